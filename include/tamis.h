/*
 * tamis.h — the one public header of libtamis.
 *
 * tamis reads multilingual web and news text as a stream (JSONL, plain text,
 * WARC/WET; gzip and zstd), repairs it, scores it, identifies its language,
 * removes exact and near duplicates, and says why for every document.
 *
 * Conventions (the same everywhere in this header):
 *  - Every symbol starts with tm_ / TM_. Handles are opaque structs created by
 *    tm_X_open/tm_X_new and destroyed by tm_X_close/tm_X_free.
 *  - Functions that can fail return tm_error: TM_OK (0) on success, TM_EOF (1)
 *    at the end of a stream, a negative TM_ERR_* otherwise. tm_strerror()
 *    names each code; tm_error_detail() is the one way to get more: what
 *    failed and where (a file and line, an option and its value).
 *  - The library never prints, never exits and has no global mutable state
 *    but each thread's error detail: every handle is independent, so threads
 *    may each own one.
 *  - Memory: each function says who owns what it returns. Views (tm_str) point
 *    into memory owned by the handle that produced them and stay valid until
 *    the next call on that handle; tm_buf is always owned by the caller.
 */
#ifndef TAMIS_H
#define TAMIS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(TM_STATIC_BUILD)
#define TM_API __attribute__((visibility("default")))
#else
#define TM_API
#endif

#define TM_VERSION_MAJOR  0
#define TM_VERSION_MINOR  1
#define TM_VERSION_PATCH  0
#define TM_VERSION_STRING "0.1.0"

/* Version of the library actually linked (may differ from the header's). */
TM_API const char *tm_version(void);

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

typedef enum tm_error {
    TM_OK = 0,
    TM_EOF = 1,               /* end of input; not a failure */
    TM_ERR_NOMEM = -1,        /* an allocation failed */
    TM_ERR_IO = -2,           /* a read or write failed */
    TM_ERR_OPEN = -3,         /* an input or output could not be opened */
    TM_ERR_ARG = -4,          /* an argument or option is invalid */
    TM_ERR_JSON = -5,         /* a record is not a well-formed JSON object */
    TM_ERR_FIELD = -6,        /* the text field is missing or not a string */
    TM_ERR_WARC = -7,         /* a WARC record header is malformed */
    TM_ERR_TRUNCATED = -8,    /* the input ends inside a record or frame */
    TM_ERR_CORRUPT = -9,      /* a compressed stream is corrupt */
    TM_ERR_TOO_BIG = -10,     /* a record exceeds max_doc_bytes */
    TM_ERR_UNSUPPORTED = -11, /* valid input that tamis does not handle */
    TM_ERR_LEDGER = -12,      /* read != kept + removed + rejected (a bug) */
    TM_ERR_INTERNAL = -13,    /* an invariant broke (a bug) */
    TM_ERR_CHANGED = -14      /* an input read twice (dedup) was not the same
                                 the second time: deleted, cut, grown or edited */
} tm_error;

/* A static, one-line English description of err. Never NULL. */
TM_API const char *tm_strerror(int err);

/* Short stable name of err ("json", "truncated", ...), used as the reason
 * key in stats and rejects files. Never NULL. */
TM_API const char *tm_error_name(int err);

/* What the last failing tm_ call of this thread has to say beyond
 * tm_strerror(): one line naming what failed and where ("line 3: unknown
 * configuration key 'dedup.treshold' (did you mean 'dedup.threshold'?)",
 * "cannot read in.jsonl: No such file or directory"), "" when there is
 * nothing more to say. Read it right after the call that returned an error
 * (< 0); the next failing call on the same thread replaces it. The functions
 * that set a detail (the tm_job_* jobs, tm_run_config_set and _load_yaml,
 * tm_options_set and the tm_options_ translations, tm_signal_mask_parse,
 * tm_filter_new and _new_spec) clear it when they start, so "" after one of
 * them means there is no more to say; the other functions leave it as it
 * was. The string is owned by the library, never freed by the caller, and
 * kept per thread in static memory, so it is readable after TM_ERR_NOMEM
 * and a failure on another thread does not change it. A job sets it on the
 * thread that called it, whichever worker failed. Never NULL. */
TM_API const char *tm_error_detail(void);

/* ------------------------------------------------------------------------ */
/* Buffers and views                                                         */
/* ------------------------------------------------------------------------ */

/* A read-only byte view; not NUL-terminated unless stated. */
typedef struct tm_str {
    const char *ptr;
    size_t len;
} tm_str;

/* A growable byte buffer owned by the caller: zero-initialise it, pass it to
 * functions that append to it, release it with tm_buf_free(). data is always
 * NUL-terminated after any tm_ call that appended to it. */
/* A growable byte buffer, owned by the caller, zero-initialised ({0}) to
 * start and released with tm_buf_free(). Functions append to it and keep a
 * NUL after the data. Growth stops at max bytes (0: TM_BUF_MAX_DEFAULT) with
 * TM_ERR_TOO_BIG; the first failed append is kept in err (sticky, as curl's
 * dynbuf): later appends do nothing and return it, so a sequence of appends
 * can be checked once at its end. tm_buf_free() clears it. */
#define TM_BUF_MAX_DEFAULT ((size_t)1 << 40)
typedef struct tm_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max; /* hard cap on len + 1, in bytes; 0 = TM_BUF_MAX_DEFAULT */
    int err;    /* the first error of an append (tm_error), sticky */
} tm_buf;

TM_API void tm_buf_free(tm_buf *b);

/* Frees memory that the library allocated and handed to the caller (the
 * array of tm_shingle_text, ...); NULL is ignored. Use it rather than free()
 * so that a program linked against another C runtime or allocator than the
 * library's frees in the right heap. */
TM_API void tm_free(void *p);

/* ------------------------------------------------------------------------ */
/* Documents and readers                                                     */
/* ------------------------------------------------------------------------ */

typedef enum tm_format {
    TM_FMT_AUTO = 0, /* detect from content: WARC or ARC magic, JSON object, else text */
    TM_FMT_JSONL,    /* one JSON object a line */
    TM_FMT_TEXT,     /* a whole file is one document */
    TM_FMT_LINES,    /* every line of a text file is one document */
    TM_FMT_WARC,     /* WARC 1.0/1.1 and WET */
    TM_FMT_ARC       /* Internet Archive ARC, versions 1 and 2 */
} tm_format;

/* Reader options. Initialise with tm_reader_opts_init() then override. The
 * strings are borrowed: they must outlive the reader. */
typedef struct tm_reader_opts {
    size_t size;      /* sizeof this struct, set by its _init: the library reads only that much */
    tm_format format; /* TM_FMT_AUTO by default */
    const char *text_field; /* JSON path of the text, "text" by default; dots
                               separate nested keys ("doc.body") */
    const char *id_field;   /* JSON path of the id, "id" by default */
    size_t max_doc_bytes;   /* hard cap on one record, 64 MiB by default */
    int lines;              /* plain text: every line is a document (--lines) */
    int all_responses;      /* WARC, ARC: also give HTTP responses whose payload is
                               not text (empty text, metadata only), and any
                               input: no binary sniffing, so that tamis extract
                               can remove such pages with a reason */
} tm_reader_opts;

TM_API void tm_reader_opts_init(tm_reader_opts *o);

/* One input record after parsing. All views are owned by the reader (or the
 * pipeline batch) that produced the document and stay valid until the next
 * record is read from that handle. */
typedef struct tm_doc {
    tm_str text;         /* valid UTF-8 (bad sequences became U+FFFD);
                            may contain NUL; not NUL-terminated */
    tm_str id;           /* the id field, or "<file>:<line>" when absent */
    tm_str source;       /* input path ("-" for standard input) */
    tm_str raw;          /* the record exactly as read (JSON line, WARC
                            record, text file) */
    uint64_t line;       /* 1-based line of the record's first byte in the
                            decompressed stream (0 for WARC records) */
    uint64_t offset;     /* byte offset of the record in that stream */
    uint64_t index;      /* 0-based ordinal of the record over all inputs */
    tm_format format;    /* TM_FMT_JSONL, TEXT, LINES, WARC or ARC */
    size_t invalid_utf8; /* invalid UTF-8 sequences replaced in text */
    int has_id;          /* the input carried an id (not generated) */
    /* The library's own bookkeeping (where the text value and an existing
     * "tamis" member sit in raw, metadata of non-JSON inputs): opaque, not
     * part of the interface; it belongs to the handle that produced the
     * document and is valid as long as its views. tm_doc_meta() and
     * tm_doc_tamis() give what a program may read of it. */
    const struct tm_doc_private *priv;
} tm_doc;

/* The metadata the reader built for a non-JSON record (WARC headers, HTTP
 * status, content type, file name...) as the text of a JSON object, or an
 * empty view for JSONL records. Owned by the document, as its other views. */
TM_API tm_str tm_doc_meta(const tm_doc *doc);
/* The value of the record's existing "tamis" member (JSON text of an object,
 * as written by an earlier tamis command), or an empty view when it has
 * none. Owned by the document, as its other views. */
TM_API tm_str tm_doc_tamis(const tm_doc *doc);

typedef struct tm_reader tm_reader;

/* Opens a stream over the inputs, in order. "-" is standard input; a
 * directory is read recursively in byte-wise sorted order of names.
 * Compression (gzip, including multi-member, and zstd) is detected from the
 * first bytes. The reader copies paths; opts is borrowed. */
TM_API tm_error tm_reader_open(tm_reader **out, const char *const *paths, size_t n_paths,
                               const tm_reader_opts *opts);

/* Reads the next document. Returns TM_OK with *doc filled, TM_EOF at the end,
 * or a negative error for a record that cannot be read: then *doc still
 * describes it (source, line, offset, raw) so that it can be rejected
 * verbatim, and reading may continue with the next call. A fatal error that
 * ends the stream (an unreadable file) is returned as TM_ERR_OPEN / TM_ERR_IO
 * with doc->source set; the reader then moves to the next input. */
TM_API tm_error tm_reader_next(tm_reader *r, tm_doc *doc);

/* Bytes of compressed input consumed so far, and the total size of the
 * regular-file inputs (0 when unknown, e.g. stdin); for progress display. */
TM_API uint64_t tm_reader_bytes_in(const tm_reader *r);
TM_API uint64_t tm_reader_bytes_total(const tm_reader *r);

/* One-line reason for the last error tm_reader_next returned ("expected ':'
 * at byte 17"); owned by the reader, valid until the next call. */
TM_API const char *tm_reader_detail(const tm_reader *r);

/* Records skipped by design (WARC request/metadata/warcinfo records...). */
TM_API uint64_t tm_reader_skipped(const tm_reader *r);

/* The inputs after expansion of directories, in reading order (file paths
 * and "-"); the strings belong to the reader. */
TM_API size_t tm_reader_n_inputs(const tm_reader *r);
TM_API const char *tm_reader_input(const tm_reader *r, size_t i);

TM_API void tm_reader_close(tm_reader *r);

/* Appends doc as one JSON line to out: JSONL input keeps every member in its
 * original order and bytes; non-JSON input becomes {"id","text","metadata"}.
 * new_text (NULL = unchanged) replaces the text value. tamis_members (NULL or
 * "" = none) is a comma-separated list of JSON members, without braces, that
 * are merged into the document's "tamis" object (new members last; an
 * existing member of the same name is replaced; a new member whose value is
 * null removes the existing one and is not written). */
TM_API tm_error tm_doc_to_jsonl(const tm_doc *doc, const char *new_text, size_t new_text_len,
                                const char *tamis_members, size_t tamis_len, tm_buf *out);

/* Appends a rejects-file line for a record that could not be read:
 * {"file","line","offset","error","reason","raw"} where raw is the record
 * verbatim as a JSON string when it is valid UTF-8, or "raw_base64". */
TM_API tm_error tm_reject_to_jsonl(const tm_doc *doc, int err, const char *detail, tm_buf *out);

/* Readers over memory and over a read callback: the same decompression
 * (gzip, zstd by magic bytes), formats (opts->format, AUTO detection),
 * framing, max_doc_bytes and rejects as tm_reader_open, with `name` (NULL =
 * "<memory>" / "<stream>") standing for the file name in doc->source, in
 * generated ids ("name:LINE") and in rejects. The reader copies name; opts
 * is borrowed as for tm_reader_open. tm_reader_open_mem borrows data[0..len)
 * until tm_reader_close (nothing is copied). */
TM_API tm_error tm_reader_open_mem(tm_reader **out, const void *data, size_t len, const char *name,
                                   const tm_reader_opts *opts);

/* The read callback: fills buf with up to cap bytes and returns how many
 * (> 0), 0 at the end of the stream, or a negative value on a read error
 * (reported as TM_ERR_IO: the stream's last record is rejected as cut, or the
 * input as unreadable). It is called only from tm_reader_next, on that
 * thread, and never after it returned 0 or an error. */
typedef long (*tm_read_fn)(void *user, void *buf, size_t cap);

/* A reader over what read_fn returns; user is passed back to it and stays
 * the caller's. The documents do not depend on the sizes read_fn returns,
 * with one exception: how much of a damaged zstd frame decodes before
 * TM_ERR_CORRUPT (zstd streams a raw block piece by piece, but checks it
 * whole when it is all there). */
TM_API tm_error tm_reader_open_cb(tm_reader **out, tm_read_fn read_fn, void *user, const char *name,
                                  const tm_reader_opts *opts);

/* One record at a time, without a reader: parses one JSONL record (or, with
 * opts->format TM_FMT_LINES or TM_FMT_TEXT, one line or text) into a document
 * with the same rules and rejection errors as the reader (TM_ERR_JSON,
 * TM_ERR_FIELD, TM_ERR_TOO_BIG over max_doc_bytes; a trailing LF or CRLF is
 * not part of the record). Each call counts a line: doc->line and
 * doc->index are 1-based and 0-based counts of the calls since
 * tm_parser_new, and doc->source and generated ids use `name` (NULL =
 * "<memory>"). The views in *doc point into the parser and into line (which
 * must stay alive while doc is used) until the next call. The parser copies
 * name and borrows opts; one parser is one thread's. */
typedef struct tm_parser tm_parser;
TM_API tm_error tm_parser_new(tm_parser **out, const char *name, const tm_reader_opts *opts);
TM_API tm_error tm_parse_record(tm_parser *p, const char *line, size_t len, tm_doc *out);
/* Why the last tm_parse_record failed ("expected ':' at byte 17"); owned by
 * the parser, valid until its next call. */
TM_API const char *tm_parser_detail(const tm_parser *p);
TM_API void tm_parser_free(tm_parser *p);

/* ------------------------------------------------------------------------ */
/* Writers                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct tm_writer tm_writer;

/* Opens path for writing ("-" = standard output). Compression follows the
 * extension: ".gz" gzip, ".zst" zstd, otherwise none. For a new path or a
 * regular file, data goes to "<path>.tmp-<pid>" and is renamed to path only
 * by a successful tm_writer_close(), so a crash never leaves a file that
 * looks finished. A path that exists and is not a regular file (a device
 * such as /dev/null, a FIFO; links followed) is written in place and never
 * replaced or removed; /dev/stdout, /dev/stderr, /dev/fd/N and
 * /proc/self/fd/N write to a duplicate of that descriptor. */
TM_API tm_error tm_writer_open(tm_writer **out, const char *path);
TM_API tm_error tm_writer_write(tm_writer *w, const void *data, size_t len);
/* Finishes the stream and renames it into place; on error, or when w was
 * never written and lazily is set by tm_writer_open_lazy, nothing is left
 * (an output written in place is still opened and closed once). */
TM_API tm_error tm_writer_close(tm_writer *w);
/* Removes the temporary file without publishing it (an output written in
 * place is only closed: what was written stays). */
TM_API void tm_writer_abort(tm_writer *w);
/* Like tm_writer_open, with the compression level: 1..9 for ".gz", 1..19 for ".zst" (larger is
 * clipped), 0 = the default (6 and 3); ignored for uncompressed output. */
TM_API tm_error tm_writer_open_level(tm_writer **out, const char *path, int level);
/* Like tm_writer_open, but the file is only created on the first write. */
TM_API tm_error tm_writer_open_lazy(tm_writer **out, const char *path);
TM_API uint64_t tm_writer_bytes(const tm_writer *w);

/* ------------------------------------------------------------------------ */
/* Text layer (exposed for tools and tests; works on memory only)            */
/* ------------------------------------------------------------------------ */

/* Normalisation forms for tm_normalize(). Flags combine. */
enum {
    TM_NORM_NFC = 1 << 0,
    TM_NORM_NFKC = 1 << 1,
    TM_NORM_CASEFOLD = 1 << 2,
    TM_NORM_WS = 1 << 3,    /* collapse runs of Unicode whitespace to one
                               space and strip both ends */
    TM_NORM_PUNCT = 1 << 4, /* drop punctuation (P*) and symbols (S*) */
    TM_NORM_DIGITS = 1 << 5 /* map every decimal digit to '0' */
};

/* Appends the normalised form of s (valid UTF-8) to out. */
TM_API tm_error tm_normalize(const char *s, size_t len, int flags, tm_buf *out);

/* Appends s to out with invalid UTF-8 sequences replaced by U+FFFD (one per
 * maximal invalid subpart, as Unicode §3.9 and WHATWG do); returns how many
 * were replaced through *n_replaced (may be NULL). */
TM_API tm_error tm_utf8_repair(const char *s, size_t len, tm_buf *out, size_t *n_replaced);

/* Length of the longest valid UTF-8 prefix of s; equal to len when valid. */
TM_API size_t tm_utf8_valid_prefix(const char *s, size_t len);

/* ------------------------------------------------------------------------ */
/* Jobs: whole-corpus operations used by the tamis command                  */
/* ------------------------------------------------------------------------ */

/* Counters for one job. read = written + removed + rejected always holds at
 * the end of a successful job (the job checks it: TM_ERR_LEDGER). */
#define TM_REJECT_KINDS 16
typedef struct tm_stats {
    uint64_t read;                         /* records seen, rejected ones included */
    uint64_t written;                      /* kept: written to the main output */
    uint64_t removed;                      /* removed with a reason */
    uint64_t rejected;                     /* unreadable, written to the rejects file */
    uint64_t rejected_by[TM_REJECT_KINDS]; /* indexed by -tm_error */
    uint64_t skipped_records;              /* WARC records that are not documents */
    uint64_t bytes_in;                     /* compressed input bytes consumed */
    uint64_t text_bytes;                   /* UTF-8 bytes of document text */
    uint64_t chars;                        /* code points of document text */
    uint64_t words;                        /* tokens of the tamis word tokenizer */
    uint64_t lines;                        /* lines (LF-separated, final line counted if
                                              non-empty) */
    uint64_t empty_docs;                   /* documents whose text is only whitespace */
    uint64_t invalid_utf8;                 /* invalid sequences replaced */
    uint64_t nul_bytes;                    /* NUL code points in text */
} tm_stats;

/* Appends stats as one JSON object (no trailing newline) to out. */
TM_API tm_error tm_stats_to_json(const tm_stats *s, tm_buf *out);

/* Called from the calling thread with 0 bytes when a pass over the inputs
 * begins (a job reading them twice calls it twice) and after each batch;
 * total is 0 when the input size is unknown. */
typedef void (*tm_progress_fn)(void *ud, uint64_t docs, uint64_t bytes_in, uint64_t bytes_total);

/* The most worker threads any job uses: -j/--threads and the run
 * configuration's threads refuse more, so every command has one limit. */
#define TM_THREADS_MAX 64

/* Options shared by every job. Initialise with tm_job_opts_init(). All
 * pointers are borrowed for the duration of the call. */
typedef struct tm_job_opts {
    size_t size; /* sizeof this struct, set by its _init: the library reads only that much */
    const char *const *inputs;
    size_t n_inputs;
    tm_reader_opts reader;
    int threads;         /* worker threads; 0 = all online cores */
    const char *output;  /* main output path; NULL or "-" = stdout */
    const char *removed; /* removed documents path; NULL = not written */
    const char *rejects; /* rejects path; NULL = "<output>.rejects.jsonl",
                            or "tamis-rejects.jsonl" when output is stdout
                            or written in place (a device, a FIFO);
                            created only if a record is rejected */
    size_t batch_bytes;  /* raw bytes per work batch; 0 = 1 MiB */
    int output_level;    /* compression level of output (tm_writer_open_level); 0 = default */
    int removed_level;   /* the same for removed */
    long rejects_keep;   /* rejects whose raw record is copied: the first N
                            (0 = 100), then one in 100; the others keep file,
                            line, offset, error and reason and say
                            "raw_omitted":true; < 0 = every one */
    tm_progress_fn progress;
    void *progress_ud;
} tm_job_opts;

TM_API void tm_job_opts_init(tm_job_opts *o);

/* tamis cat: every readable record to output as normalised JSONL. */
TM_API tm_error tm_job_cat(const tm_job_opts *o, tm_stats *stats);

/* The list form of removed documents (`--removed-format ids`): reads the
 * removed-document files srcs[0..n) that a job wrote (missing ones are
 * skipped) and writes dst with one line per document, {"id", "stage",
 * "reason", "evidence"}: the document's "tamis" object less its verdicts,
 * edits and language, its text dropped. ro (NULL = defaults) names the id
 * field. dst is written as every output is (a temporary name then a rename;
 * a device or FIFO in place). TM_ERR_INTERNAL when a source line is not
 * tamis's JSONL. Strings are borrowed. */
TM_API tm_error tm_removed_to_ids(const char *const *srcs, size_t n, const char *dst,
                                  const char *stage, const tm_reader_opts *ro);

/* tamis stats: counts only; rejects are counted, and written only when
 * o->rejects names a file (no default path: it writes nothing unasked). */
TM_API tm_error tm_job_stats(const tm_job_opts *o, tm_stats *stats);

/* Where the rejects of a job went (the path it used, resolved from
 * o->rejects and o->output); out must hold at least 4096 bytes. */
TM_API void tm_job_rejects_path(const tm_job_opts *o, char *out, size_t size);

/* ---- the rest of the interface, in parts (each needs this header) ---- */
#include "tamis_stages.h" /* signals, filter, language ID, clean */
#include "tamis_dedup.h"  /* shingles, MinHash, dedup job and handle */
#include "tamis_run.h"    /* extract, tamis run, report; option table */

#ifdef __cplusplus
}
#endif
#endif /* TAMIS_H */
