/*
 * io.h — internal interface of the readers and writers.
 *
 * Reading is split in two so that the expensive half runs on worker threads:
 *  1. framing (tmi_reader_next_raw, one thread): decompress, cut the stream
 *     into raw records (JSONL lines, WARC records, whole text files), note
 *     where each came from, enforce max_doc_bytes;
 *  2. parsing (tmi_parse_raw, any thread): JSON scanning, WARC header parsing,
 *     charset decoding, UTF-8 repair, id generation.
 * tm_reader_next() in tamis.h is simply 1 then 2. Both halves go through the
 * input's format: one file per format behind format.h, one table of them in
 * formats.c.
 */
#ifndef TM_IO_H
#define TM_IO_H

#include "tamis.h"

#include <stdio.h>

/* What tm_doc.priv points to: the parser's bookkeeping of one document
 * (in its tm_parse_scratch), read by the writer (output.c) to copy the record
 * back byte for byte with only the text and the "tamis" member changed.
 * Access it with TM_DOCP(doc); a document that no parser filled (priv NULL)
 * reads as all empty. */
typedef struct tm_doc_private {
    size_t text_beg, text_end;   /* JSON value span of the text field */
    size_t tamis_beg, tamis_end; /* member span of "tamis", 0,0 if none */
    int text_top_level;          /* text field is a top-level member */
    int raw_utf8_ok;             /* raw is known to be valid UTF-8 */
    tm_str meta;                 /* JSON object text, or empty */
    tm_str tamis;                /* existing "tamis" object value, or empty */
    tm_str id_key;               /* member to add first for a generated id
                                    (JSONL, top-level id_field), or empty */
} tm_docp;
static inline tm_docp *tmi_docp_of(const tm_doc *doc) {
    static const tm_docp none;
    /* writers only write through the pointer that tmi_parse_raw set */
    return (tm_docp *)(doc->priv ? doc->priv : &none);
}
#define TM_DOCP(doc) tmi_docp_of(doc)

/* A framed record. data/len are owned by the reader and valid until the next
 * tmi_reader_next_raw call. source stays valid until tm_reader_close. */
typedef struct tm_raw {
    const char *data;
    size_t len;
    const char *source;
    uint64_t line;    /* 1-based first line (0 for WARC) */
    uint64_t offset;  /* byte offset in the decompressed stream */
    uint64_t index;   /* ordinal over all inputs */
    size_t input;     /* position of its input in the reader's list */
    tm_format format; /* resolved format: an id of formats.c's table */
    int err;          /* 0, or a framing error: TM_ERR_TRUNCATED,
                         TM_ERR_TOO_BIG, TM_ERR_CORRUPT, TM_ERR_WARC */
    char detail[160]; /* one-line reason when err != 0 */
    /* For records over max_doc_bytes: the whole record was streamed to this
     * anonymous temporary file (owned by the reader, rewound, valid until
     * the next call) and data holds only its first max_doc_bytes bytes. */
    FILE *spill;
    uint64_t spill_len;
} tm_raw;

/* ---- the input list (inputs.c) ---- */

/* One file of a reader's list, in reading order. */
typedef struct tm_input_ent {
    char *path; /* what is opened; "-" = standard input */
    char *name; /* the source its records report; NULL = path */
    int err;    /* TM_ERR_OPEN when it could not be examined (detail
                   says why): the reader reports it at its place */
    char detail[96];
    uint64_t size; /* bytes of a regular file (or copy); 0 = unknown */
    int spooled;   /* path is a temporary copy: removed by tmi_inputs_free */
    /* Not a file (tm_reader_open_mem, _cb): TM_SRC_MEM reads mem[0..mem_len),
     * TM_SRC_CB calls fn(user, ...); path is then only the name. These stay
     * last: tmi_reader_open_list copies them as one block. */
    int src;
    const void *mem;
    size_t mem_len;
    tm_read_fn fn;
    void *user;
} tm_input_ent;

typedef struct tm_inputs {
    tm_input_ent *v;
    size_t n, cap;
} tm_inputs;

/* Appends paths expanded as tm_reader_open documents it (directories walked
 * now, in strcmp order of names). A path that cannot be examined is listed
 * with its error. Zero-initialise l; free with tmi_inputs_free. */
tm_error tmi_inputs_expand(tm_inputs *l, const char *const *paths, size_t n);
tm_error tmi_inputs_add(tm_inputs *l, const char *path, int err, const char *detail, uint64_t size);
/* Copies every input that is not a regular file ("-", pipes, FIFOs,
 * /dev/fd/N, sockets, character devices) once into a temporary file in
 * tmp_dir (NULL = $TMPDIR or /tmp), which then stands in for it under its
 * own name. TM_ERR_OPEN / TM_ERR_IO with a message in detail when a copy
 * cannot be made; an input that cannot be opened is marked TM_ERR_OPEN. */
tm_error tmi_inputs_spool(tm_inputs *l, const char *tmp_dir, char *detail, size_t detail_size);
/* The source name of an entry: the input as given. */
const char *tmi_input_name(const tm_input_ent *in);
/* Frees the list and removes its temporary copies. */
void tmi_inputs_free(tm_inputs *l);

/* Why the first bytes p[0..n) of an input are no text (a PDF, an archive,
 * UTF-16, NULs in the first TM_SNIFF_BYTES), or NULL (inputs.c). */
#define TM_SNIFF_BYTES 4096
const char *tmi_sniff_binary(const char *p, size_t n);

/* A reader over a fixed list (no expansion: every entry is read as one
 * file); the list is copied, temporary copies stay the caller's. */
tm_error tmi_reader_open_list(tm_reader **out, const tm_inputs *l, const tm_reader_opts *opts);

/* Next framed record: TM_OK, TM_EOF, or TM_ERR_OPEN/TM_ERR_IO for an input
 * that could not be opened or read at all (raw->source names it, raw->len is
 * 0; the reader moves on to the next input on the following call). */
tm_error tmi_reader_next_raw(tm_reader *r, tm_raw *raw);

/* Per-thread scratch for parsing; zero-initialise, free with
 * tmi_parse_scratch_free. Documents produced with it point into it. */
typedef struct tm_parse_scratch {
    tm_buf text, id, meta, tmp;
    tm_buf tmp2;        /* second work buffer (HTTP payload decoding) */
    void *conv;         /* cached iconv_t for conv_name, or NULL */
    char conv_name[48]; /* charset conv was opened for */
    void *det;          /* uchardet handle, created on first use */
    tm_docp doc;        /* what the parsed document's priv points to */
} tm_parse_scratch;

void tmi_parse_scratch_free(tm_parse_scratch *sc);

/* Decodes an HTTP payload or HTML file to UTF-8 (*text points into sc or
 * at pay itself). The charset is ct's charset parameter, else a byte order
 * mark, else <meta charset>/http-equiv in the first 4 KiB (all three give
 * `declared`); with nothing declared, bytes that are valid UTF-8 are UTF-8
 * and others are detected (uchardet). A declared label iconv does not know,
 * or whose decoding leaves more than 1 byte in 200 undecodable, is replaced
 * by detection too; any other declaration over bytes that are valid UTF-8
 * with multi-byte sequences is read as UTF-8. label gets the charset used (lowercase), declared the
 * one declared ("" when none); undecodable bytes become U+FFFD, added to *invalid. TM_ERR_NOMEM
 * only. */
tm_error tmi_payload_decode(tm_parse_scratch *sc, tm_str ct, const char *pay, size_t plen,
                            tm_str *text, size_t *invalid, char *label, size_t lsz, char *declared,
                            size_t dsz);

/* Sets doc's provenance (source, raw, line, offset, index, format) from raw
 * and clears everything else. */
void tmi_doc_from_raw(tm_doc *doc, const tm_raw *raw, tm_parse_scratch *sc);

/* Parses a framed record into doc (a raw->err is returned as is). The views
 * in doc point into raw->data, raw->source and sc. On failure returns
 * TM_ERR_JSON, TM_ERR_FIELD, TM_ERR_WARC, or for WARC responses
 * TM_ERR_UNSUPPORTED (Content-Encoding br...), TM_ERR_CORRUPT (bad gzip
 * payload) or TM_ERR_TOO_BIG (payload inflates past max_doc_bytes), with a
 * one-line reason in detail; doc still carries the provenance and raw. */
tm_error tmi_parse_raw(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc,
                       tm_parse_scratch *sc, char *detail, size_t detail_size);

/* Whether tm_writer would write path in place instead of through a
 * temporary file and a rename: "-", a name of an open descriptor
 * (/dev/stdout, /dev/fd/N...), or a path that exists and is not a regular
 * file once links are followed (a device, a FIFO, a socket...). */
int tmi_writer_in_place(const char *path);

/* Writes a complete rejects line for a spilled (oversize) record straight to
 * w, streaming the spill file in bounded chunks. */
tm_error tmi_reject_write_spill(tm_writer *w, const tm_raw *raw);

/* ---- internal: the validating JSON scanner (json_scan.c) ---- */

/* A dotted member path ("metadata.url"), components pointing into the
 * borrowed string it was parsed from. */
#define TM_JSON_MAX_PATH 8
typedef struct tm_json_path {
    const char *comp[TM_JSON_MAX_PATH];
    size_t len[TM_JSON_MAX_PATH];
    int n; /* 0 when the path is empty or has too many components */
} tm_json_path;

void tmi_json_path_parse(tm_json_path *p, const char *dotted);

enum {
    TM_JSON_NONE = 0,
    TM_JSON_STRING,
    TM_JSON_NUMBER,
    TM_JSON_OBJECT,
    TM_JSON_ARRAY,
    TM_JSON_TRUE,
    TM_JSON_FALSE,
    TM_JSON_NULL
};

/* Where one looked-up member sits in the scanned line. */
typedef struct tm_json_hit {
    int type;                /* TM_JSON_NONE when absent */
    size_t key_beg;          /* the key's opening quote */
    size_t val_beg, val_end; /* the value; for strings quotes included */
    int escaped;             /* a string value contains a backslash */
} tm_json_hit;

#define TM_JSON_MAX_TARGETS 4
typedef struct tm_json_scan {
    const tm_json_path *target[TM_JSON_MAX_TARGETS]; /* in: paths to find */
    int n_targets;
    tm_json_hit hit[TM_JSON_MAX_TARGETS]; /* out, last duplicate wins */
    size_t obj_beg, obj_end;              /* the top-level '{' and '}' */
    size_t n_members;                     /* top-level members */
    const char *err;                      /* static reason on failure */
    size_t err_at;                        /* byte offset of the failure */
} tm_json_scan;

/* Validates that s is exactly one JSON object (RFC 8259; surrounding JSON
 * whitespace allowed; UTF-8 inside strings is not checked) and fills the
 * hits. Returns 0, or -1 with err/err_at set. */
int tmi_json_scan_object(const char *s, size_t n, tm_json_scan *sc);

/* Appends the decoded content of a validated JSON string body (between the
 * quotes) to out: escapes resolved, surrogate pairs joined, lone surrogates
 * become U+FFFD, \u0000 a NUL byte; other bytes are copied as they are. */
tm_error tmi_json_unescape(const char *s, size_t n, tm_buf *out);

/* Iterates the members of a validated JSON object s[0..n), or of a bare
 * member list ("a":1,"b":2) when s does not start with '{'. */
typedef struct tm_json_iter {
    const char *s;
    size_t n, pos;
    int first;
} tm_json_iter;
typedef struct tm_json_member {
    size_t key_beg, key_end; /* the key, quotes included */
    size_t val_beg, val_end;
} tm_json_member;
void tmi_json_iter_init(tm_json_iter *it, const char *s, size_t n);
/* 1 with *m filled, 0 at the end (or on malformed input). */
int tmi_json_iter_next(tm_json_iter *it, tm_json_member *m);
/* The same over the elements of a validated JSON array s[0..n): 1 with the
 * element at s[*beg..*end), 0 at the end (or on malformed input). */
void tmi_json_elems_init(tm_json_iter *it, const char *s, size_t n);
int tmi_json_elems_next(tm_json_iter *it, size_t *beg, size_t *end);

/* ---- internal: WARC record headers (warc.c) ---- */

#define TM_WARC_MAX_HEADER (64 * 1024) /* header block cap */
#define TM_WARC_MAX_LINES  512         /* header lines cap */

typedef struct tm_warc_hdr {
    size_t len;     /* bytes of the block, blank line included */
    tm_str version; /* "WARC/1.0" */
    tm_str type, uri, record_id, date, content_type;
    uint64_t content_length;
    int has_length;
} tm_warc_hdr;

/* Parses the header block at p[0..n). Returns 1 when complete, 0 when more
 * bytes are needed (no blank line yet), -1 when malformed (reason written to
 * detail). Bare LF line ends are accepted. */
int tmi_warc_parse_header(const char *p, size_t n, tm_warc_hdr *h, char *detail,
                          size_t detail_size);

/* Finds the HTTP header block at the start of a response payload: sets
 * *status (0 if no status line), the Content-Type value and the block length
 * (blank line included; 0 when not found within n bytes). */
void tmi_http_peek(const char *p, size_t n, int *status, tm_str *content_type, size_t *hdr_len);

/* Whether an HTTP Content-Type (empty = unknown) is a text document type. */
int tmi_http_is_text(tm_str content_type);

/* Value of header `name` in an HTTP header block, or empty. */
tm_str tmi_http_header(const char *p, size_t n, const char *name);

/* Whether the header value v contains tok (case-insensitive). */
int tmi_http_has_token(tm_str v, const char *tok);

/* Removes HTTP/1.1 chunked transfer coding from p into out. */
tm_error tmi_http_dechunk(const char *p, size_t n, tm_buf *out);

/* Inflates a gzip or zlib payload into out, at most cap bytes: TM_OK,
 * TM_ERR_TOO_BIG, TM_ERR_TRUNCATED (out keeps what was inflated),
 * TM_ERR_CORRUPT or TM_ERR_NOMEM. */
tm_error tmi_http_inflate(const char *p, size_t n, size_t cap, tm_buf *out);

/* ---- internal: ARC record headers (arc.c) ---- */

/* Parses an ARC header line (version 1 or 2) at p[0..n) into h, as
 * tmi_warc_parse_header does (same returns): uri, date (14 digits), the
 * content type, the length; type "response" for http(s) URLs, else the
 * URL's scheme. */
int tmi_arc_parse_header(const char *p, size_t n, tm_warc_hdr *h, char *detail, size_t detail_size);

/* tmi_warc_parse_header or tmi_arc_parse_header, by format (for extract,
 * which reads a document's raw record again). */
int tmi_record_header(tm_format f, const char *p, size_t n, tm_warc_hdr *h, char *detail,
                      size_t detail_size);

/* An ARC Archive-date (YYYYMMDDhhmmss) as ISO 8601 ("1996-11-04T14:21:03Z")
 * into out; a date of fewer digits is copied as is. Returns its length. */
size_t tmi_arc_date_iso(tm_str d, char *out, size_t size);

#endif
