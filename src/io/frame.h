/*
 * frame.h — what a format's framer works with: the reader's buffer over the
 * active input, and the ways a record leaves it (internal to io).
 *
 * The reader (reader.c) owns one tm_frame, points it at each input in turn
 * and calls the input's format's frame() (format.h) for every record. A
 * framer cuts records out of buf[pos, end), calls tmi_frame_more() when it
 * needs bytes past end, and hands a record out with one of the calls below:
 * a view into the buffer (tmi_frame_raw), a record spilled to a temporary file
 * because it is over max_doc_bytes (tmi_frame_spill, tmi_frame_spill_memory),
 * or an error of the stream (tmi_frame_stream_error). Nothing else of the
 * reader is visible to a format, so a format file needs only this header and
 * format.h. The buffer never holds more than one record plus one read chunk:
 * framers bound a record by max_doc_bytes before asking for more.
 */
#ifndef TM_IO_FRAME_H
#define TM_IO_FRAME_H

#include "io/io.h"
#include "io/stream.h"
#include "util/buf.h"

#include <stdio.h>

typedef struct tm_frame {
    const tm_reader_opts *opts; /* the reader's options (max_doc_bytes, lines...) */
    tm_stream *st;              /* the active input's decompressed bytes */
    char *buf;                  /* bytes [pos, end) not yet framed */
    size_t cap, pos, end;
    uint64_t base;      /* stream offset of buf[0] */
    int eof;            /* the stream reported its clean end */
    int serr;           /* the stream reported this error */
    int done;           /* the active input has nothing more to frame */
    uint64_t line;      /* LF bytes consumed in the active input */
    uint64_t index;     /* records handed out over all inputs */
    uint64_t skipped;   /* records a framer passed over (WARC requests...) */
    const char *source; /* the active input's name, for its records */
    size_t input;       /* the active input's position in the list */
    tm_format fmt;      /* the active input's resolved format */
    FILE *spill;        /* the oversize record's file, reused */
    tm_buf head;        /* first max_doc_bytes of a spilled record */
    tm_buf junk;        /* a malformed stretch, or a skipped record's header */
    char detail[160];   /* scratch for a framer's reasons */
} tm_frame;

/* Allocates the buffer (tmi_frame_init) or frees everything (tmi_frame_free). */
tm_error tmi_frame_init(tm_frame *fr, const tm_reader_opts *opts, tm_stream *st);
void tmi_frame_free(tm_frame *fr);
/* Points the frame at the input just opened: an empty buffer at offset 0. */
void tmi_frame_reset(tm_frame *fr, const char *source, size_t input);

/* Reads more decompressed bytes after end, first moving the unframed bytes
 * [pos, end) to the front or growing the buffer. Returns > 0 bytes added,
 * 0 at the clean end of the stream, or the stream's negative error. */
long tmi_frame_more(tm_frame *fr);

/* The record buf[beg, beg + len) with its provenance (the next index). */
void tmi_frame_raw(tm_frame *fr, tm_raw *raw, size_t beg, size_t len, uint64_t line);
/* The same for bytes outside the buffer (fr->junk...) that began at stream
 * offset `offset`. */
void tmi_frame_raw_at(tm_frame *fr, tm_raw *raw, const char *data, size_t len, uint64_t offset,
                      uint64_t line);
/* Marks raw as a framing error with its one-line reason. */
void tmi_raw_set_err(tm_raw *raw, int err, const char *detail);

/* The stream failed (fr->serr) while the record at beg was being framed:
 * the input is done. TM_ERR_IO and TM_ERR_NOMEM are returned (the input
 * could not be read); a truncated or corrupt stream is a rejected record of
 * what came before. */
tm_error tmi_frame_stream_error(tm_frame *fr, tm_raw *raw, size_t beg, uint64_t line);

/* Streams the record starting at pos to the spill file: up to the next LF
 * (consumed, not stored), to the end of the stream, or `count` bytes. raw is
 * then rejected TM_ERR_TOO_BIG (or TM_ERR_TRUNCATED, or the stream's error)
 * with its whole bytes in raw->spill. */
enum { TM_SPILL_LF, TM_SPILL_EOF, TM_SPILL_COUNT };
tm_error tmi_frame_spill(tm_frame *fr, tm_raw *raw, int mode, uint64_t count, uint64_t line);
/* A record already complete in buf[beg, beg + len) that is over the cap:
 * spilled too, so that oversize records always reach the rejects the same
 * way. */
tm_error tmi_frame_spill_memory(tm_frame *fr, tm_raw *raw, size_t beg, size_t len, uint64_t line);

/* Appends to fr->junk, up to TM_WARC_MAX_HEADER bytes in all. */
tm_error tmi_frame_junk_put(tm_frame *fr, const char *p, size_t n);

/* The framer of line formats (JSONL, --lines, and any format whose record
 * is one line): one record per LF-terminated line; CR before LF is dropped;
 * blank lines are skipped (their numbers still count); a line over
 * max_doc_bytes is spilled. */
tm_error tmi_frame_lines(tm_frame *fr, tm_raw *raw);

#endif
