/*
 * format.h — the interface of an input format, and the one table of them
 * (formats.c) that the reader consults (internal to io).
 *
 * A format is one tm_format_ops value, defined in its own file (jsonl.c,
 * text.c, warc.c, arc.c) and listed once in the table of formats.c. The
 * reader asks the table three things and nothing else about formats: which
 * format an input's first bytes open (sniff, in table order), how to cut
 * the input's records (frame, on the framing thread, over frame.h), and how
 * to turn one record into a document (parse, on any worker thread). A new
 * format is one file and one table line: docs/ARCHITECTURE.md, "Adding an
 * input format", walks through one.
 */
#ifndef TM_IO_FORMAT_H
#define TM_IO_FORMAT_H

#include "io/frame.h"
#include "io/io.h"

/* What the generic code of the reader needs to know of a format. */
enum {
    /* Records are archive records whose bodies may be binary (WARC, ARC):
     * no binary verdict on the input; tm_parse_record refuses the format. */
    TM_FORMAT_ARCHIVE = 1 << 0,
    /* A record is the whole input (text): tm_parse_record takes a record
     * with line breaks, numbered line 1. */
    TM_FORMAT_WHOLE = 1 << 1,
    /* Bytes this format sniffs as its own are no binary file, whatever
     * format the input is then read as (a JSON object starts with '{'). */
    TM_FORMAT_NOT_BINARY = 1 << 2,
    /* A record is one JSON object (priv's spans set by its parse): the
     * writer splices the original line instead of writing
     * {"id","text","metadata"} (output.c). */
    TM_FORMAT_JSON_LINE = 1 << 3,
};

typedef struct tm_format_ops {
    tm_format id;     /* what raw->format and doc->format carry */
    const char *name; /* "jsonl", "warc"... */
    int flags;        /* TM_FORMAT_* */
    /* Whether p[0..n), an input's first bytes (what the first reads gave:
     * 64 bytes or more of a file, TM_SNIFF_BYTES of memory or a callback,
     * fewer for a shorter input; a UTF-8 byte order mark and white space
     * skipped), open a file of this format. NULL: never detected, only
     * chosen (opts.format, lines_as). */
    int (*sniff)(const char *p, size_t n);
    /* The format an input of this format is read as under opts.lines
     * (--lines): text becomes lines. TM_FMT_AUTO: no change. */
    tm_format lines_as;
    /* Cuts the next record of the active input (frame.h): TM_OK with raw
     * set (raw->err for a rejected record), TM_EOF when the input has no
     * more (fr->done set), or an error that ends the input. */
    tm_error (*frame)(tm_frame *fr, tm_raw *raw);
    /* Fills doc (provenance already set from raw, raw->err == 0): text, id,
     * metadata, with views into raw->data and sc. TM_OK, or an error with a
     * one-line reason in detail. */
    tm_error (*parse)(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc, tm_parse_scratch *sc,
                      char *detail, size_t detail_size);
} tm_format_ops;

/* The format with this id, or NULL. */
const tm_format_ops *tmi_format_get(tm_format id);
/* The first format of the table that sniffs p[0..n) as its own (text, last,
 * takes anything). */
const tm_format_ops *tmi_format_sniff(const char *p, size_t n);
/* Whether a TM_FORMAT_NOT_BINARY format sniffs p[0..n) as its own. */
int tmi_format_not_binary(const char *p, size_t n);
/* The format a reader or parser with these options reads: opts->format
 * (TM_FMT_AUTO: `sniffed`, or JSONL for a parser, which cannot sniff), then
 * its lines_as under opts->lines. NULL when the id is no format. */
const tm_format_ops *tmi_format_resolve(const tm_reader_opts *o, const tm_format_ops *sniffed);

/* ---- helpers for parse functions (parse.c) ---- */

/* s as valid UTF-8: a view of s itself when it already is, else repaired
 * into out. Adds the replacements to *count (may be NULL). */
tm_error tmi_utf8_view(const char *s, size_t n, tm_buf *out, tm_str *view, size_t *count);
/* Appends "key":"s" to the metadata object m (comma unless m is "{"),
 * repairing invalid UTF-8 in a private buffer. */
tm_error tmi_meta_str(tm_buf *m, const char *key, const char *s, size_t n);

/* ---- the archive formats (WARC, ARC): one framer and one parser
 * (warc.c), told apart by a description ---- */

typedef struct tm_archive {
    const char *kind;   /* "WARC", "ARC": in reasons */
    const char *resync; /* a malformed stretch ends before the next LF + this */
    /* Parses a record header at p[0..n): 1 complete, 0 more bytes needed,
     * -1 malformed (reason in detail); tmi_warc_parse_header... */
    int (*header)(const char *p, size_t n, tm_warc_hdr *h, char *detail, size_t detail_size);
    /* Responses are HTTP by their URL (ARC), not by their Content-Type
     * "application/http" (WARC). */
    int http_by_url;
    const char *hdr_too_big, *ends_in_header, *ends_in_body, *incomplete;
    /* Appends the format's own metadata members after "source" and "url". */
    tm_error (*meta)(tm_buf *m, const tm_warc_hdr *h, const tm_raw *raw);
} tm_archive;

/* A header then a body of the length it gives; the records that are no
 * documents (requests, metadata, non-text responses) are skipped unread. */
tm_error tmi_archive_frame(tm_frame *fr, tm_raw *raw, const tm_archive *a);
/* conversion records give their body; responses their decoded HTTP
 * payload. */
tm_error tmi_archive_parse(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc,
                           tm_parse_scratch *sc, char *detail, size_t dsz, const tm_archive *a);

#endif
