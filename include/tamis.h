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
 *    names each code.
 *  - The library never prints, never exits and has no global mutable state:
 *    every handle is independent, so threads may each own one.
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
typedef struct tm_buf {
    char *data;
    size_t len;
    size_t cap;
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
    tm_format format;       /* TM_FMT_AUTO by default */
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
    /* Private to the library: where the text value and an existing "tamis"
     * member sit in raw, metadata built for non-JSON inputs. Do not touch. */
    struct {
        size_t text_beg, text_end;   /* JSON value span of the text field */
        size_t tamis_beg, tamis_end; /* member span of "tamis", 0,0 if none */
        int text_top_level;          /* text field is a top-level member */
        int raw_utf8_ok;             /* raw is known to be valid UTF-8 */
        tm_str meta;                 /* JSON object text, or empty */
        tm_str tamis;                /* existing "tamis" object value, or empty */
        tm_str id_key;               /* member to add first for a generated id
                                        (JSONL, top-level id_field), or empty */
    } priv;
} tm_doc;

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
    char *err_detail; /* if non-NULL, receives a message on failure */
    size_t err_detail_size;
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

/* ---- section: signals (src/signals) ---- */

/* Quality signals. Each has a stable id and a stable name "family.signal"
 * (docs/SIGNALS.md gives each exact definition and its empty-text value;
 * no signal ever divides by zero or returns NaN). */
typedef enum tm_signal {
    TM_SIG_GQ_N_WORDS = 0,        /* gopher_quality.n_words */
    TM_SIG_GQ_N_NON_SYMBOL_WORDS, /* gopher_quality.n_non_symbol_words */
    TM_SIG_GQ_MEAN_WORD_LENGTH,   /* gopher_quality.mean_word_length */
    TM_SIG_GQ_HASH_RATIO,         /* gopher_quality.hash_ratio */
    TM_SIG_GQ_ELLIPSIS_RATIO,     /* gopher_quality.ellipsis_ratio */
    TM_SIG_GQ_BULLET_LINE_FRAC,   /* gopher_quality.bullet_line_frac */
    TM_SIG_GQ_ELLIPSIS_LINE_FRAC, /* gopher_quality.ellipsis_line_frac */
    TM_SIG_GQ_ALPHA_WORD_FRAC,    /* gopher_quality.alpha_word_frac */
    TM_SIG_GQ_STOP_WORDS,         /* gopher_quality.stop_words */
    TM_SIG_GR_DUP_PARA_FRAC,      /* gopher_repetition.dup_para_frac */
    TM_SIG_GR_DUP_PARA_CHAR_FRAC, /* gopher_repetition.dup_para_char_frac */
    TM_SIG_GR_DUP_LINE_FRAC,      /* gopher_repetition.dup_line_frac */
    TM_SIG_GR_DUP_LINE_CHAR_FRAC, /* gopher_repetition.dup_line_char_frac */
    TM_SIG_GR_TOP_2GRAM,          /* gopher_repetition.top_2gram_char_frac */
    TM_SIG_GR_TOP_3GRAM,
    TM_SIG_GR_TOP_4GRAM,
    TM_SIG_GR_DUP_5GRAM, /* gopher_repetition.dup_5gram_char_frac */
    TM_SIG_GR_DUP_6GRAM,
    TM_SIG_GR_DUP_7GRAM,
    TM_SIG_GR_DUP_8GRAM,
    TM_SIG_GR_DUP_9GRAM,
    TM_SIG_GR_DUP_10GRAM,
    TM_SIG_C4_N_LINES,                 /* c4.n_lines */
    TM_SIG_C4_KEPT_LINES,              /* c4.kept_lines */
    TM_SIG_C4_LONG_WORD_LINES,         /* c4.long_word_lines */
    TM_SIG_C4_NO_TERMINAL_PUNCT_LINES, /* c4.no_terminal_punct_lines */
    TM_SIG_C4_FEW_WORDS_LINES,         /* c4.few_words_lines */
    TM_SIG_C4_JAVASCRIPT_LINES,        /* c4.javascript_lines */
    TM_SIG_C4_POLICY_LINES,            /* c4.policy_lines */
    TM_SIG_C4_CITATIONS,               /* c4.citations */
    TM_SIG_C4_LOREM_IPSUM,             /* c4.lorem_ipsum (0 or 1) */
    TM_SIG_C4_CURLY_BRACKET,           /* c4.curly_bracket (0 or 1) */
    TM_SIG_C4_N_SENTENCES,             /* c4.n_sentences */
    TM_SIG_FW_LINE_PUNCT_RATIO,        /* fineweb.line_punct_ratio */
    TM_SIG_FW_SHORT_LINE_RATIO,        /* fineweb.short_line_ratio */
    TM_SIG_FW_CHAR_DUP_RATIO,          /* fineweb.char_dup_ratio */
    TM_SIG_FW_LIST_RATIO,              /* fineweb.list_ratio */
    TM_SIG_TM_DOUBLED_WORD_RATIO,      /* tamis.doubled_word_ratio */
    TM_SIG_TM_NEAR_DUP_PARA_FRAC,      /* tamis.near_dup_para_frac */
    TM_SIG_TM_INVALID_UTF8,            /* tamis.invalid_utf8 */
    TM_SIG_COUNT
} tm_signal;

#define TM_SIG_ALL     ((((uint64_t)1) << TM_SIG_COUNT) - 1)
#define TM_SIG_BIT(id) (((uint64_t)1) << (id))

/* Stable name of a signal id (static string), NULL when out of range. */
TM_API const char *tm_signal_name(int id);
/* Id of a signal name, or -1. */
TM_API int tm_signal_lookup(const char *name, size_t len);
/* Parses a comma-separated list of signal names or family names
 * ("gopher_quality", "c4", ...) into a mask; TM_ERR_ARG names the first
 * unknown entry in err (may be NULL). */
TM_API tm_error tm_signal_mask_parse(const char *list, uint64_t *mask, char *err, size_t err_size);

/* Per-thread scratch memory of the signal computations (token spans, hash
 * tables, line lists), reused across documents. Owned by the caller. */
typedef struct tm_scorer tm_scorer;
TM_API tm_error tm_scorer_new(tm_scorer **out);
TM_API void tm_scorer_free(tm_scorer *s);

/* Computes the signals selected by mask for text (valid UTF-8) with the
 * tamis word tokenizer. lang (ISO 639-1, NULL = English) selects the stop
 * words; invalid_utf8 is the reader's count (tm_doc.invalid_utf8). values
 * must hold TM_SIG_COUNT doubles; unselected entries are left untouched.
 * Signals are computed per family, so asking for one signal of a family
 * costs the whole family. */
TM_API tm_error tm_signals_compute(tm_scorer *s, const char *text, size_t len, const char *lang,
                                   size_t invalid_utf8, uint64_t mask, double *values);

/* ---- filter: ordered rules over the signals ---- */

#define TM_FILTER_MAX_RULES 64

/* A compiled rule set (preset + overrides). Immutable once built, so one
 * filter may be shared by every worker thread. Owned by the caller. */
typedef struct tm_filter tm_filter;

/* Creates the rule set of a preset: "gopher", "c4", "fineweb", "default". */
TM_API tm_error tm_filter_new(tm_filter **out, const char *preset);
TM_API void tm_filter_free(tm_filter *f);
/* Sets a rule's threshold by name ("gopher_repetition.dup_line_frac"); 0
 * disables the rule, as in datatrove. A rule not in the preset is added at
 * the end of its family. TM_ERR_ARG for an unknown name. */
TM_API tm_error tm_filter_set_rule(tm_filter *f, const char *name, double threshold);
/* The word tokenizer of the Gopher and FineWeb signals and of C4's sentence
 * count: "nltk" (datatrove's English tokens, the default of the gopher, c4
 * and fineweb presets) or "tamis" (the default preset's). TM_ERR_ARG for
 * another name. */
TM_API tm_error tm_filter_set_tokenizer(tm_filter *f, const char *name);
/* Restricts languages (comma-separated ISO 639-1 codes; NULL or "" = any)
 * and sets the minimum language score (< 0 keeps the preset's). */
TM_API tm_error tm_filter_set_lang(tm_filter *f, const char *langs, double min_score);
TM_API size_t tm_filter_n_rules(const tm_filter *f);
TM_API const char *tm_filter_rule_name(const tm_filter *f, size_t i);
/* Threshold and kind of active rule i: "max" (removed when the value is
 * above the threshold), "min" (below it), "flag" (removed when the value
 * reaches it, e.g. 1 for a yes/no signal), "lang" (the minimum language
 * score) or "empty"; 0 and NULL past the end. */
TM_API double tm_filter_rule_threshold(const tm_filter *f, size_t i);
TM_API const char *tm_filter_rule_kind(const tm_filter *f, size_t i);
/* Whether the rule set needs language identification. */
TM_API int tm_filter_needs_lang(const tm_filter *f);

/* Options of `tamis score`. */
typedef struct tm_score_opts {
    uint64_t signals;   /* mask of signals to compute (TM_SIG_ALL) */
    int lang;           /* identify the language (1) */
    size_t lang_sample; /* 0: identify the whole text (default); N: a sample of about N bytes
                         * (start, middle, end), about N/len of the CLD2 time; docs/LANGID.md */
    int quality;        /* also "quality": the share in [0,1] of the default preset's rules
                         * the document passes (what `dedup --keep best` ranks by) (0) */
    int nltk_words;     /* Gopher/FineWeb signals on datatrove's English NLTK words and C4
                         * sentences by Punkt, as the gopher/c4/fineweb presets count (0:
                         * tamis tokens and the sentence heuristic) */
} tm_score_opts;
TM_API void tm_score_opts_init(tm_score_opts *o);

/* tamis score: every document with "tamis": {"lang", "lang_score",
 * "lang_reliable", "lang_top": [{"lang","share"}...], "signals": {...}} to
 * the output, and "quality" when so->quality. */
TM_API tm_error tm_job_score(const tm_job_opts *o, const tm_score_opts *so, tm_stats *stats);

/* Options of `tamis filter`; the filter is borrowed. */
typedef struct tm_filter_opts {
    const tm_filter *filter;
    int explain;        /* add every rule's verdict to every document */
    size_t lang_sample; /* as in tm_score_opts: 0 = the whole text */
} tm_filter_opts;

/* Counters of `tamis filter`: the job's ledger plus removals per rule
 * (removed_by[i] belongs to tm_filter_rule_name(filter, i)). */
typedef struct tm_filter_stats {
    tm_stats base;
    size_t n_rules;
    const char *rule_names[TM_FILTER_MAX_RULES]; /* static strings */
    uint64_t removed_by[TM_FILTER_MAX_RULES];
    uint64_t edited; /* kept documents whose text the C4 rules changed */
} tm_filter_stats;

/* Appends {"stats":..., "removed_by": {rule: n, ...}, "edited": n}. */
TM_API tm_error tm_filter_stats_to_json(const tm_filter_stats *s, tm_buf *out);

TM_API tm_error tm_job_filter(const tm_job_opts *o, const tm_filter_opts *fo,
                              tm_filter_stats *stats);

/* ---- section: language identification (src/langid) ---- */

/* Result of tm_langid(). Codes are ISO 639-1 where one exists ("fr"),
 * otherwise CLD2's code ("haw"); "und" when unknown. code is the base
 * language ("zh" for both Chinese scripts, "he" for CLD2's "iw"); top[] keeps
 * CLD2's script/region variant ("zh-Hant", "sr-ME"). See docs/LANGID.md. */
typedef struct tm_lang_result {
    char code[16];  /* top language */
    double score;   /* in [0,1]: top language's share of letter bytes x reliability, see docs */
    int reliable;   /* CLD2's is_reliable flag */
    int text_bytes; /* letter bytes CLD2 scored */
    struct {
        char code[16];
        double share;
    } top[3]; /* byte shares in [0,1], "und"/0 when absent */
} tm_lang_result;
/* Identifies the language of UTF-8 text (any bytes accepted: the UTF-8-checking CLD2 entry point is
 * used on untrusted input). Thread-safe; out is caller-owned. tamis allocates nothing; CLD2
 * allocates ~10 scratch blocks a call and frees them (TM_ERR_NOMEM if that fails). Only the first
 * TM_LANGID_MAX_BYTES bytes are read (cut at a character boundary); invalid UTF-8 and the controls
 * CLD2 refuses are read as spaces. On glibc, calling it in a loop on the main thread makes the
 * allocator return CLD2's scratch to the kernel on every call: raise M_TRIM_THRESHOLD
 * (docs/LANGID.md). */
TM_API tm_error tm_langid(const char *text, size_t len, tm_lang_result *out);
#define TM_LANGID_MAX_BYTES (64 * 1024)
/* Version string of the language identifier's tables (CLD2's). */
TM_API const char *tm_langid_version(void);
/* Stop words of lang (ISO 639-1) from stopwords-iso 1.1.0: 1 if word (lowercase UTF-8, exact bytes)
 * is one. 0 for unknown languages. The NFC form of the 33 list entries that are not in NFC is
 * accepted too. */
TM_API int tm_is_stopword(const char *lang, const char *word, size_t len);
/* Number of stop words for lang (0 if none) — lets callers know whether a list exists. */
TM_API size_t tm_stopword_count(const char *lang);

/* ---- section: clean (src/clean) ---- */

/* Operations of tm_clean_text(), in the order they run; flags combine. */
enum {
    TM_CLEAN_ENCODING = 1 << 0,  /* mojibake: UTF-8 read as cp1252/Latin-1 */
    TM_CLEAN_NORMALIZE = 1 << 1, /* NFC, controls, odd spaces, blank lines */
    TM_CLEAN_REPEATED = 1 << 2,  /* exact repeated paragraphs */
    TM_CLEAN_REWORDED = 1 << 3,  /* near-duplicate paragraphs */
    TM_CLEAN_DOUBLED = 1 << 4,   /* doubled words ("accord accord") */
    TM_CLEAN_ALL = 0x1f
};

/* Kinds of recorded edits (index of tm_clean_counts.n); tm_clean_edit_name()
 * gives the "op" string used in the edits JSON and in the stats. */
typedef enum tm_clean_edit {
    TM_EDIT_FIX_ENCODING = 0, /* fix_encoding */
    TM_EDIT_NFC,              /* nfc */
    TM_EDIT_REMOVE_CONTROL,   /* remove_control */
    TM_EDIT_NORMALIZE_SPACE,  /* normalize_space */
    TM_EDIT_TRIM_TRAILING,    /* trim_trailing_space */
    TM_EDIT_COLLAPSE_BLANK,   /* collapse_blank_lines */
    TM_EDIT_DROP_REPEATED,    /* drop_repeated_paragraph (record: op
                                 "drop_paragraph", kind "repeated") */
    TM_EDIT_DROP_REWORDED,    /* drop_reworded_paragraph (kind "reworded") */
    TM_EDIT_UNDOUBLE_WORD,    /* undouble_word */
    TM_EDIT_DOUBLED_KEPT,     /* doubled_word: reported, not edited */
    TM_CLEAN_EDIT_KINDS
} tm_clean_edit;

TM_API const char *tm_clean_edit_name(int kind);

/* Options of the cleaner. Initialise with tm_clean_opts_init(). lang is
 * borrowed and must outlive the cleaner. */
typedef struct tm_clean_opts {
    unsigned ops;           /* TM_CLEAN_* flags; TM_CLEAN_ALL by default */
    double para_threshold;  /* word-set Jaccard for reworded paragraphs, 0.6 */
    int min_repeat_words;   /* exact repeats need this many words (4) */
    int min_reworded_words; /* both paragraphs need this many words (10) */
    const char *lang;       /* language of every document (ISO 639-1), or
                               NULL: detected when a doubled word is found */
    int dry_run;            /* record edits, return the text unchanged */
} tm_clean_opts;

TM_API void tm_clean_opts_init(tm_clean_opts *o);

/* Parses a comma-separated list of operation names (encoding, normalize,
 * repeated, reworded, doubled; "all", "none") into TM_CLEAN_* flags. */
TM_API tm_error tm_clean_ops_parse(const char *list, unsigned *ops);

/* Edits made to one document. */
typedef struct tm_clean_counts {
    uint64_t n[TM_CLEAN_EDIT_KINDS]; /* edits of each kind */
    uint64_t edits;                  /* sum of n[] */
    int changed;                     /* the cleaned text differs from the input */
} tm_clean_counts;

/* A cleaner holds scratch memory for one thread; it copies opts. */
typedef struct tm_cleaner tm_cleaner;
TM_API tm_error tm_cleaner_new(tm_cleaner **out, const tm_clean_opts *opts);
TM_API void tm_cleaner_free(tm_cleaner *c);

/* Cleans one document. text is UTF-8 (invalid sequences become U+FFFD
 * first). lang (NULL = opts->lang, else detected) names its language.
 * Appends the cleaned text (the input, with opts->dry_run) to out_text and
 * the edits as a JSON array ("[]" when none) to edits_json (may be NULL);
 * both buffers are the caller's. Offsets in the edits are byte offsets into
 * the cleaned text. counts (may be NULL) is overwritten. */
TM_API tm_error tm_clean_text(tm_cleaner *c, const char *text, size_t len, const char *lang,
                              tm_buf *out_text, tm_buf *edits_json, tm_clean_counts *counts);

/* Totals of a clean job. */
typedef struct tm_clean_stats {
    tm_stats base;                       /* the ledger: every document written */
    uint64_t touched;                    /* documents with at least one edit */
    uint64_t changed;                    /* documents whose text changed */
    uint64_t edits[TM_CLEAN_EDIT_KINDS]; /* edits of each kind */
    uint64_t bytes_out;                  /* text bytes after cleaning */
} tm_clean_stats;

/* Appends {"documents","touched","changed","text_bytes_in","text_bytes_out",
 * "edits":{op: n}} (no newline) to out. */
TM_API tm_error tm_clean_stats_to_json(const tm_clean_stats *s, tm_buf *out);

/* tamis clean: every document to output, cleaned, with its edits in
 * "tamis":{"edits":[...]} (documents without edits are written as `cat`
 * would). stats is zeroed, then filled. */
TM_API tm_error tm_job_clean(const tm_job_opts *o, const tm_clean_opts *co, tm_clean_stats *stats);

/* ---- section: dedup (src/dedup) ---- */

/* MinHash signatures. A minhasher holds `perms` random permutations of the
 * 32-bit hash space, h -> a*h + b (mod 2^32) with a odd, drawn from seed by
 * SplitMix64; a signature is, for each permutation, the minimum over the
 * document's shingle hashes. Two signatures agree on a permutation with
 * probability equal to the Jaccard similarity of the shingle sets. The
 * minhasher is immutable after creation: threads may share one. The caller
 * owns it and frees it with tm_minhasher_free. */
typedef struct tm_minhasher tm_minhasher;

TM_API tm_error tm_minhasher_new(tm_minhasher **out, int perms, uint64_t seed);
TM_API void tm_minhasher_free(tm_minhasher *m);
TM_API int tm_minhasher_perms(const tm_minhasher *m);

/* Signature of a set of 64-bit shingle hashes (duplicates are harmless)
 * into sig[perms], owned by the caller. An empty set gives all 0xFFFFFFFF. */
TM_API void tm_minhash_hashes(const tm_minhasher *m, const uint64_t *hashes, size_t n,
                              uint32_t *sig);

/* How text is cut into shingles. AUTO: word n-grams, but character n-grams
 * when more than 30% of the letters are in scripts written without spaces
 * (Chinese, Japanese, Thai, ...). */
typedef enum tm_shingle_kind {
    TM_SHINGLE_AUTO = 0,
    TM_SHINGLE_WORDS = 1,
    TM_SHINGLE_CHARS = 2
} tm_shingle_kind;

typedef struct tm_shingle_opts {
    int norm;             /* TM_NORM_* flags applied first (0 = none) */
    tm_shingle_kind kind; /* TM_SHINGLE_AUTO by default */
    int word_n;           /* words per shingle, 5 by default */
    int char_n;           /* code points per shingle, 5 by default */
} tm_shingle_opts;

/* Defaults: NFKC + case folding + whitespace collapsing, AUTO, 5, 5. */
TM_API void tm_shingle_opts_init(tm_shingle_opts *o);

/* Shingle hashes of text, normalised as o says, in a malloc'ed array *out of
 * *n_out hashes that the caller frees with tm_free(). *used_chars (may be NULL) says whether
 * character shingles were chosen. Word and character shingles use different hash seeds, so a word
 * shingle never equals a character shingle. */
TM_API tm_error tm_shingle_text(const char *text, size_t len, const tm_shingle_opts *o,
                                uint64_t **out, size_t *n_out, int *used_chars);

/* Fraction of equal positions of two signatures: the MinHash estimate of
 * the Jaccard similarity. */
TM_API double tm_minhash_similarity(const uint32_t *a, const uint32_t *b, int perms);

/* Exact Jaccard similarity of two sets of hashes (each may hold
 * duplicates; they are ignored). Allocates a scratch copy. */
TM_API tm_error tm_jaccard_hashes(const uint64_t *a, size_t na, const uint64_t *b, size_t nb,
                                  double *out);

/* LSH banding: the bands x rows (bands * rows <= perms) that minimise
 * 0.5 * FP + 0.5 * FN, where FP is the area under the S-curve
 * P(s) = 1 - (1 - s^rows)^bands over [0, threshold] and FN the area above it
 * over [threshold, 1] (datasketch's _optimal_param, integrated with Simpson's
 * rule on 1000 intervals). 0.8/128 gives 9 x 13. TM_ERR_ARG when threshold
 * is outside (0, 1) or perms < 1. */
TM_API tm_error tm_lsh_params(double threshold, int perms, int *bands, int *rows);

/* Which copy of a cluster is kept. */
typedef enum tm_keep_mode {
    TM_KEEP_FIRST = 0, /* the first in input order */
    TM_KEEP_LONGEST,   /* the most code points; ties: the first */
    TM_KEEP_BEST       /* the highest score (see score_field); ties and
                          documents without a score rank below: the first */
} tm_keep_mode;

typedef enum tm_verify_mode {
    TM_VERIFY_SIGNATURE = 0, /* Jaccard estimated from the full signatures */
    TM_VERIFY_EXACT,         /* exact Jaccard of the two shingle sets, kept
                                in a temporary file (8 bytes per shingle) */
    TM_VERIFY_ALIGNED        /* where two documents differ: coverage of each
                                one's words by shingles of the other and the
                                longest uncovered run (docs/DEDUP.md); the
                                in-order shingles are kept in a temporary file
                                (4 bytes per word) */
} tm_verify_mode;

/* Options of tm_job_dedup and tm_deduper_new. Initialise with
 * tm_dedup_opts_init() (TM_ERR_ARG when size is not set). Strings are
 * borrowed for the duration of the call (of the deduper's life). */
typedef struct tm_dedup_opts {
    size_t size;    /* sizeof(tm_dedup_opts), set by tm_dedup_opts_init: the
                       library reads only that many bytes (members added
                       later keep their defaults), so the struct may grow
                       without breaking programs built against this header */
    int exact;      /* exact duplicates (normalised text) */
    int near;       /* MinHash-LSH near duplicates */
    int paragraphs; /* CCNet-style repeated-line removal; when none of
                       the three is set, exact + near run */
    int norm;       /* TM_NORM_* flags for the exact key, the
                       paragraph keys and the shingles; -1 = raw bytes */
    tm_shingle_opts shingle;
    int perms;            /* 128 */
    double threshold;     /* Jaccard at or above which documents are dups */
    double containment;   /* also dups: the smaller shingle set has at least
                             containment_ratio of the larger's distinct shingles
                             and this share of it is in the larger (truncation,
                             boilerplate); removes the smaller only; 0 = off */
    double lsh_threshold; /* similarity the banding targets; 0 = the lowest
                             Jaccard the two rules above can accept */
    int bands, rows;      /* 0 = from tm_lsh_params(lsh_threshold, perms) */
    tm_verify_mode verify;
    double containment_ratio; /* see containment */
    tm_keep_mode keep;
    const char *score_field;    /* path inside "tamis" for TM_KEEP_BEST; NULL =
                                   "quality", then "lang_score" */
    const char *clusters;       /* NULL, or a path for one JSON line per cluster */
    const char *tmp_dir;        /* NULL = $TMPDIR or /tmp */
    uint64_t memory;            /* bytes for the index; 0 = half of RAM */
    size_t min_paragraph_chars; /* lines shorter than this are never removed: 40 */
    size_t min_doc_chars;       /* docs left shorter after line removal go: 100 */
    uint64_t seed;              /* permutation seed, 1 */
    /* TM_VERIFY_ALIGNED: a near copy has at least min_jaccard, covers at
     * least `coverage` of each document's words with shingles found in the
     * other, and leaves no run of more than max_gap uncovered words in
     * either; a contained copy (the smaller goes) has coverage_contained of
     * its own words covered and no run longer than max_gap_contained,
     * whatever the larger holds. Both rules need the smaller set to have
     * containment_ratio of the larger's distinct shingles. */
    double min_jaccard;        /* 0.65 */
    double coverage;           /* 0.95 */
    double coverage_contained; /* 0.985 */
    int max_gap;               /* 20 words (characters for char shingles) */
    int max_gap_contained;     /* 1: the contained copy's longest run */
    /* Template-aware verification (TM_VERIFY_ALIGNED only; docs/DEDUP.md):
     * a shingle held by more than template_df documents (counted in a
     * sketch of df_sketch_bytes) is template. Uncovered template positions
     * are excused, and an accepted pair must also share its own content:
     * one side with at least template_min rare shingles has template_own of
     * them in the other. Pairs where neither side has template_min rare
     * shingles need Jaccard >= threshold and the aligned shape. */
    int template_df;          /* 0 = off */
    double template_own;      /* 0.5 */
    int template_min;         /* 10 */
    uint64_t df_sketch_bytes; /* 32 MiB */
    /* TM_VERIFY_ALIGNED: a pair whose shingles differ in at least this many
     * places, at most a quarter of which insert or delete words (the rest
     * replace one word by one), is not a copy but a substitution (one name
     * or spelling changed throughout); 0 = off */
    int substitution;
} tm_dedup_opts;

TM_API void tm_dedup_opts_init(tm_dedup_opts *o);

typedef struct tm_dedup_stats {
    uint64_t docs; /* documents read (rejected records excluded) */
    uint64_t exact_removed;
    uint64_t near_removed;
    uint64_t paragraph_docs_removed; /* left too short after line removal */
    uint64_t paragraphs_removed;     /* lines removed from kept documents */
    uint64_t docs_edited;            /* kept documents that lost lines */
    uint64_t clusters;               /* groups of two or more copies */
    uint64_t candidate_pairs;        /* distinct pairs from band collisions */
    uint64_t verified_pairs;         /* candidates that passed verification */
    uint64_t rejected_pairs;         /* candidates verification turned down */
    uint64_t containment_pairs;      /* verified by containment, not Jaccard */
    uint64_t judged_pairs;           /* (document, kept document) pairs judged
                                        by the keep decisions */
    uint64_t chain_kept;             /* kept: similar to a removed document
                                        only, not to the one kept for it */
    uint64_t spill_runs;             /* sorted runs written to tmp_dir */
    int bands, rows;                 /* the banding used */
    uint64_t index_bytes;            /* in-memory bytes of the index at its peak */
    uint64_t pass1_read, pass2_read; /* records each pass read (rejected included):
                                        different only when an input changed */
    tm_stats ledger;                 /* read (pass 1) = written + removed +
                                        rejected (pass 2) */
} tm_dedup_stats;

/* Appends dstats as one JSON object (no trailing newline) to out. */
TM_API tm_error tm_dedup_stats_to_json(const tm_dedup_stats *s, tm_buf *out);

/* tamis dedup: reads the inputs twice (a first pass hashes every document on
 * the worker threads; the decisions are taken on the calling thread in
 * input order; a second pass writes kept documents to o->output and removed
 * ones, with their reason, to o->removed). The inputs are listed once
 * (directories walked before pass 1), and every input that is not a regular
 * file (standard input, pipes, FIFOs, /dev/fd/N, sockets, devices) is first
 * copied to a temporary file in tmp_dir; its records keep its name. Pass 2
 * must read exactly the records pass 1 indexed (count and hash per input):
 * otherwise TM_ERR_CHANGED, with the input named in o->err_detail, and no
 * output, removed or clusters file is published (the rejects file of pass 1,
 * the records that could not be read, is). Pass 1 calls o->progress too: its last call has
 * docs = pass1_read, and pass 2 then counts again from 0. Output is
 * identical for any o->threads. */
TM_API tm_error tm_job_dedup(const tm_job_opts *o, const tm_dedup_opts *d, tm_dedup_stats *stats);

/* Streaming deduplication without files: the decisions of tamis dedup for
 * documents given one at a time. Documents get indexes 0, 1, 2... in the
 * order of tm_deduper_add / tm_deduper_skip; tm_deduper_finish takes the
 * decisions, then tm_deduper_decision tells each document's fate. With the
 * same documents in the same order (a record that could not be read counted
 * with tm_deduper_skip) and the same options, every decision, similarity,
 * cluster number and counter is the one tm_job_dedup writes: the job is a
 * file driver over this handle. Memory is bounded as for the job: per
 * document about 28 bytes stay resident, everything else (signatures, band
 * keys, pairs, ids, shingles) spills to tmp_dir beyond opts->memory. The
 * caller owns the handle (tm_deduper_free); opts is copied, its strings
 * (tmp_dir, score_field) are borrowed for the handle's life and clusters is
 * ignored. One thread at a time. After a failure other than TM_ERR_ARG the
 * handle keeps that error: every later call returns it. */
typedef struct tm_deduper tm_deduper;

TM_API tm_error tm_deduper_new(tm_deduper **out, const tm_dedup_opts *opts);
/* Adds a document: text (UTF-8, len bytes) and its id (NULL or id_len 0:
 * none; it is only reported back as duplicate_of_id); both are copied or
 * reduced as needed, never kept. Its index is the count of earlier adds and
 * skips. */
TM_API tm_error tm_deduper_add(tm_deduper *d, const char *id, size_t id_len, const char *text,
                               size_t len);
/* The same with the score that TM_KEEP_BEST ranks by. */
TM_API tm_error tm_deduper_add_scored(tm_deduper *d, const char *id, size_t id_len,
                                      const char *text, size_t len, double score);
/* A document from a reader or parser, as the job sees it: its text, its id
 * and, for TM_KEEP_BEST, the score in its existing "tamis" object. */
TM_API tm_error tm_deduper_add_doc(tm_deduper *d, const tm_doc *doc);
/* Consumes an index without a document (a rejected record: the job's
 * indexes count those too). */
TM_API tm_error tm_deduper_skip(tm_deduper *d);
/* Takes every decision; call once, after the last add. */
TM_API tm_error tm_deduper_finish(tm_deduper *d);
/* Documents (indexes) added so far, skipped ones included. */
TM_API uint64_t tm_deduper_count(const tm_deduper *d);

typedef enum tm_dedup_fate {
    TM_DEDUP_KEPT = 0,   /* kept (perhaps with repeated lines removed) */
    TM_DEDUP_EXACT,      /* removed: exact copy of duplicate_of */
    TM_DEDUP_NEAR,       /* removed: near copy of duplicate_of */
    TM_DEDUP_PARAGRAPHS, /* removed: too short once its repeated lines went */
    TM_DEDUP_SKIPPED     /* an index of tm_deduper_skip: no document */
} tm_dedup_fate;

/* One document's decision. The caller sets size to sizeof(tm_dedup_decision)
 * ({.size = sizeof d}); the library fills only that many bytes, so
 * members can be added. Views point into the deduper (until
 * tm_deduper_free). */
typedef struct tm_dedup_decision {
    size_t size;
    tm_dedup_fate fate;
    int removed;            /* fate is EXACT, NEAR or PARAGRAPHS */
    const char *reason;     /* "dedup.exact", "dedup.near", "dedup.paragraphs",
                               NULL when kept (the job's removed_by) */
    const char *rule;       /* EXACT, NEAR: "exact", "jaccard", "containment"
                               or "aligned"; else NULL */
    uint64_t duplicate_of;  /* EXACT, NEAR: index of the kept document it
                               copies; else UINT64_MAX */
    tm_str duplicate_of_id; /* its id, ptr NULL when it had none */
    int64_t cluster;        /* cluster number (a kept document that has copies,
                               also when PARAGRAPHS removed it later, and its
                               copies), -1 when none */
    double similarity;      /* EXACT, NEAR: Jaccard (estimate) with the kept
                               document; leading a cluster: 1; else 0 */
    double containment;     /* EXACT, NEAR: containment of the smaller set */
    uint32_t shingles;      /* distinct shingles of this document */
    uint32_t kept_shingles; /* EXACT, NEAR: those of the kept document */
    uint32_t chars;         /* code points of this document (PARAGRAPHS,
                               or kept with lines removed: what is left) */
    uint32_t kept_chars;    /* EXACT, NEAR: the kept document's */
    int aligned;            /* TM_VERIFY_ALIGNED: the four below are set */
    double coverage, kept_coverage;
    uint32_t gap, kept_gap;
    uint32_t lines_removed; /* kept: repeated lines removed (tm_deduper_apply) */
} tm_dedup_decision;

/* The decision for document i (after tm_deduper_finish; TM_ERR_ARG before
 * it or for an index never added). */
TM_API tm_error tm_deduper_decision(const tm_deduper *d, uint64_t i, tm_dedup_decision *out);
/* The 0-based LF-separated lines of document i that paragraph dedup
 * removes, ascending: the first cap of them into lines (the caller's), their
 * number into *n (0 when none; call with cap 0 to size the array). */
TM_API tm_error tm_deduper_lines(const tm_deduper *d, uint64_t i, uint32_t *lines, size_t cap,
                                 size_t *n);
/* Appends to out the text of document i as the job writes it: text less the
 * lines tm_deduper_lines names (each with one LF). text must be the text
 * that was added. */
TM_API tm_error tm_deduper_apply(const tm_deduper *d, uint64_t i, const char *text, size_t len,
                                 tm_buf *out);
/* The job's counters (docs, exact_removed, near_removed, clusters, pairs,
 * spill_runs, bands, rows, index_bytes...; the ledger and pass counts stay
 * 0), complete after tm_deduper_finish. */
TM_API const tm_dedup_stats *tm_deduper_stats(const tm_deduper *d);
TM_API void tm_deduper_free(tm_deduper *d);

/* One document at a time through a filter's rules (src/signals/filter_doc.c;
 * declared here, with the other handles for programs): what `tamis filter`
 * decides for each document, without files. A checker is one thread's
 * scratch (a scorer, the C4-edited text); it borrows the filter, which
 * threads may share. The caller owns the checker (tm_filter_checker_free).
 * lang_sample is tm_filter_opts.lang_sample (0: identify the whole text). */
typedef struct tm_filter_checker tm_filter_checker;
TM_API tm_error tm_filter_checker_new(tm_filter_checker **out, const tm_filter *f,
                                      size_t lang_sample);
TM_API void tm_filter_checker_free(tm_filter_checker *c);

/* A document's verdict. The caller sets size ({.size = sizeof v}); the
 * library fills only that many bytes. text points into the checker or at
 * the input, valid until the checker's next call. */
typedef struct tm_filter_verdict_out {
    size_t size;
    int removed;             /* a rule failed */
    const char *rule;        /* the first failing rule (tm_filter_rule_name); NULL when kept */
    double value, threshold; /* its value and threshold (the job's "value", "threshold") */
    int edited;              /* kept, with C4 lines or citations removed */
    uint64_t lines_removed, citations_removed;
    tm_str text;  /* the text to keep: the edited one, or the input */
    int has_lang; /* the rules needed the language: lang is set */
    tm_lang_result lang;
} tm_filter_verdict_out;

/* Runs the filter's rules over text (UTF-8; invalid_utf8 is the reader's
 * count, tm_doc.invalid_utf8), identifying the language first when the
 * rules need it. */
TM_API tm_error tm_filter_check(tm_filter_checker *c, const char *text, size_t len,
                                size_t invalid_utf8, tm_filter_verdict_out *out);

/* ---- section: extract (src/extract, src/pipeline/job_extract.c) ---- */

/* Main-content extraction from HTML (docs/EXTRACT.md). A handle is one
 * thread's reusable scratch; views in tm_extracted point into it and stay
 * valid until its next call. */
typedef struct tm_extractor tm_extractor;

typedef struct tm_extracted {
    tm_str text;      /* the main text, paragraphs separated by a blank line,
                         rows and list items by a line break; "" when none */
    tm_str title;     /* og:title, else <title>, else JSON-LD headline */
    tm_str canonical; /* <link rel=canonical>, else og:url */
    tm_str date;      /* article:published_time, itemprop/JSON-LD
                         datePublished, date metas, first <time datetime> */
    tm_str author;    /* meta author, JSON-LD author, article:author */
    tm_str site_name; /* og:site_name */
    tm_str lang;      /* <html lang>, else Content-Language meta */
    int truncated;    /* a cap (nesting, nodes, events) was reached: the text
                         comes from the part of the page within the caps */
    size_t nodes;     /* element nodes recorded */
} tm_extracted;

TM_API tm_error tm_extractor_new(tm_extractor **out);
TM_API void tm_extractor_free(tm_extractor *x);

/* Extracts html[0..n) (UTF-8; NUL bytes are read as spaces). TM_ERR_NOMEM
 * or TM_ERR_ARG only: a page without content gives empty text. */
TM_API tm_error tm_extract_html(tm_extractor *x, const char *html, size_t n, tm_extracted *out);

/* Why tamis extract removes a record (stable names: tm_extract_reason_name). */
typedef enum tm_extract_reason {
    TM_XR_NOT_HTML = 0, /* "not_html": a WARC payload that is not HTML/XHTML/text */
    TM_XR_REDIRECT,     /* "redirect": HTTP 3xx */
    TM_XR_HTTP_ERROR,   /* "http_error": HTTP 4xx/5xx (or 1xx) */
    TM_XR_EMPTY,        /* "empty": no main text found */
    TM_XR_BINARY,       /* "binary": the page's first 4 KiB, decoded, is more than
                           10 % control characters and U+FFFD: not text */
    TM_XR_N
} tm_extract_reason;

TM_API const char *tm_extract_reason_name(int reason);

typedef struct tm_extract_stats {
    tm_stats base;
    uint64_t removed_by[TM_XR_N];
    uint64_t html_bytes; /* UTF-8 bytes of HTML given to the extractor */
    uint64_t truncated;  /* pages that reached a cap */
    uint64_t passed;     /* WET conversion records kept as they are */
} tm_extract_stats;

/* Appends {"stats":…,"removed_by":{reason:n…},"html_bytes":n,"truncated":n,
 * "passed":n}. */
TM_API tm_error tm_extract_stats_to_json(const tm_extract_stats *s, tm_buf *out);

/* tamis extract: WARC response records (non-text ones included, to be
 * removed with a reason), HTML files (charset from BOM, <meta>, detection)
 * and JSONL records whose text field (reader.text_field) holds HTML, to
 * documents {"id","text","metadata"} with the main text and the page's
 * metadata. WET conversion records pass through unchanged. */
TM_API tm_error tm_job_extract(const tm_job_opts *o, tm_extract_stats *stats);

/* ---- section: run (src/pipeline/run.c, config.c) ---- */

/* The configuration of `tamis run`: every option of every stage, keyed by
 * dotted names ("dedup.threshold"), listed with their defaults by
 * tm_run_config_to_yaml() and documented in docs/CONFIG.md. Owned by the
 * caller; strings given to it are copied. */
typedef struct tm_run_config tm_run_config;

TM_API tm_error tm_run_config_new(tm_run_config **out);
TM_API void tm_run_config_free(tm_run_config *c);
/* Sets one option from its text form ("0.7", "true", "64M", "fineweb");
 * "filter.rules.NAME" sets a rule threshold. TM_ERR_ARG with a message in err
 * for an unknown key or a bad value. */
TM_API tm_error tm_run_config_set(tm_run_config *c, const char *key, const char *value, char *err,
                                  size_t err_size);
/* Applies a YAML document (sections of keys, as printed by
 * tm_run_config_to_yaml) held in memory. */
TM_API tm_error tm_run_config_load_yaml(tm_run_config *c, const char *yaml, size_t len, char *err,
                                        size_t err_size);
/* Appends the effective configuration as commented YAML. */
TM_API tm_error tm_run_config_to_yaml(const tm_run_config *c, tm_buf *out);

/* Where a run stands, for a progress line: the pass (stage, shard) with its
 * own counters, and the whole run's work in input bytes, where each pass
 * over a shard weighs that input file's size and each corpus-wide dedup
 * pass the size of all inputs (shards already committed are left out), so
 * that done/total and the time so far give an ETA for the whole run. */
typedef struct tm_run_progress {
    const char *stage;      /* "clean", "read" (clean off), "filter", "dedup pass 1"... */
    const char *input;      /* the shard's input file, or NULL for corpus-wide passes */
    size_t shard, n_shards; /* 1-based shard number, shards; 0 for dedup */
    uint64_t docs, bytes, bytes_total; /* this pass: documents, bytes read of bytes_total */
    uint64_t job_done, job_total;      /* the run, in input bytes as above */
    int new_pass;                      /* 1 on the first call of a pass */
    double pass_seconds, run_seconds;  /* since the pass and the run began */
} tm_run_progress;

/* Options of tm_job_run(); all pointers are borrowed for the call. */
typedef struct tm_run_opts {
    const char *const *inputs;
    size_t n_inputs;
    const char *outdir;
    int restart; /* discard an earlier run's state in outdir */
    /* Called with one line of news (stage started, shard skipped...). */
    void (*log)(void *ud, const char *line);
    void *log_ud;
    tm_progress_fn progress; /* per stage, as for other jobs */
    void *progress_ud;
    char *err_detail;
    size_t err_detail_size;
    /* Progress of the whole run (NULL: progress, per job, as before);
     * called from the calling thread after each batch. */
    void (*run_progress)(void *ud, const tm_run_progress *p);
} tm_run_opts;

/* tamis run: clean, filter and deduplicate the inputs into outdir (kept/,
 * removed/, rejected.jsonl, clusters.jsonl, stats.json, report.html; layout
 * in docs/CONFIG.md). Resumable: each input file is a shard whose stage
 * results are committed atomically under outdir/.tamis, so a run killed at
 * any point and started again with the same inputs and configuration skips
 * finished shards and produces byte-identical outputs. A changed
 * configuration or input is refused (TM_ERR_ARG) unless restart is set.
 * ledger receives the whole run's read = written + removed + rejected. */
TM_API tm_error tm_job_run(const tm_run_config *c, const tm_run_opts *o, tm_stats *ledger);

/* ---- section: report (src/report) ---- */

/* Renders the HTML report of a run: summary_json is the run summary that
 * `tamis run` writes as stats.json, examples_jsonl (NULL or ex_len 0: none)
 * the examples file; both formats are defined in docs/REPORT.md. Appends one
 * self-contained page (inline CSS and SVG, no script, no external reference)
 * to out, which the caller owns; on error out is left as it was. Works on
 * memory only: the caller reads and writes the files. TM_ERR_JSON when the
 * summary is not a JSON object or a known member has the wrong shape;
 * unreadable example lines are skipped (the page says so). */
TM_API tm_error tm_report_html(const char *summary_json, size_t len, const char *examples_jsonl,
                               size_t ex_len, tm_buf *out);

#ifdef __cplusplus
}
#endif
#endif /* TAMIS_H */
