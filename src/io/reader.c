/*
 * reader.c — input expansion and record framing (the single-threaded half of
 * reading; see io.h).
 *
 * Inputs are expanded once at open (inputs.c: "-" is standard input, a
 * directory is walked recursively in byte-wise order of names), or given as
 * a fixed list by two-pass jobs (tm_reader_open_list). Each input is a
 * tm_stream of decompressed bytes; its format is resolved from its first
 * bytes unless forced. Framing then cuts the stream into records inside one
 * reusable buffer: JSONL and --lines records are found with memchr and handed
 * out as views into that buffer (no copy, no per-record allocation); text
 * files accumulate to EOF; WARC records are cut by their Content-Length.
 * The buffer never holds more than one record plus one read chunk: a record
 * over max_doc_bytes is streamed into an anonymous tmpfile() (the spill)
 * instead, and only its first max_doc_bytes bytes stay in memory.
 */
#include "io/io.h"
#include "io/stream.h"
#include "util/buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_INIT  (1u << 20)  /* first buffer size; grows for long records */
#define READ_MIN  (64u << 10) /* never read into less room than this */
#define PEEK_HTTP 8192        /* payload bytes examined to skip non-text */

struct tm_reader {
    tm_reader_opts opts;
    tm_inputs in;
    size_t cur; /* index of the next input to open */
    int active; /* st is open on in.v[cur - 1] */
    tm_stream st;
    tm_format fmt; /* resolved format of the active input */
    char *buf;     /* decompressed bytes [pos, end) not yet framed */
    size_t cap, pos, end;
    uint64_t base;      /* stream offset of buf[0] */
    int eof;            /* the stream reported its clean end */
    int serr;           /* the stream reported this error */
    int done;           /* the active input has nothing more to frame */
    const char *binary; /* the active input looks binary: why (tm_sniff_binary) */
    uint64_t line;      /* LF bytes consumed in the active input */
    uint64_t index;     /* records handed out over all inputs */
    uint64_t bytes_closed, bytes_total, skipped;
    FILE *spill;
    tm_buf head; /* first max_doc_bytes of a spilled record */
    tm_buf junk; /* a malformed WARC stretch, or a skipped record's header */
    tm_parse_scratch sc;
    char detail[160];
};

void tm_reader_opts_init(tm_reader_opts *o) {
    memset(o, 0, sizeof *o);
    o->format = TM_FMT_AUTO;
    o->text_field = "text";
    o->id_field = "id";
    o->max_doc_bytes = (size_t)64 << 20;
}

/* A reader over the list r->in, which the caller filled. */
static tm_error reader_new(tm_reader **out, const tm_reader_opts *opts) {
    *out = NULL;
    tm_reader *r = calloc(1, sizeof *r);
    if (!r) return TM_ERR_NOMEM;
    if (opts)
        r->opts = *opts;
    else
        tm_reader_opts_init(&r->opts);
    if (!r->opts.text_field || !*r->opts.text_field) r->opts.text_field = "text";
    if (!r->opts.id_field || !*r->opts.id_field) r->opts.id_field = "id";
    if (r->opts.max_doc_bytes == 0) r->opts.max_doc_bytes = (size_t)64 << 20;
    r->st.fd = -1;
    *out = r;
    return TM_OK;
}

static tm_error reader_ready(tm_reader *r, tm_error e) {
    tm_json_path tp, ip;
    tm_json_path_parse(&tp, r->opts.text_field);
    tm_json_path_parse(&ip, r->opts.id_field);
    if (!e && (tp.n == 0 || ip.n == 0)) e = TM_ERR_ARG; /* more than TM_JSON_MAX_PATH parts */
    for (size_t i = 0; i < r->in.n; i++) r->bytes_total += r->in.v[i].size;
    if (!e && !(r->buf = malloc(BUF_INIT + 1))) e = TM_ERR_NOMEM;
    if (e) {
        tm_reader_close(r);
        return e;
    }
    r->cap = BUF_INIT;
    return TM_OK;
}

tm_error tm_reader_open(tm_reader **out, const char *const *paths, size_t n_paths,
                        const tm_reader_opts *opts) {
    *out = NULL;
    if (!paths && n_paths) return TM_ERR_ARG;
    tm_reader *r;
    tm_error e = reader_new(&r, opts);
    if (e) return e;
    if ((e = reader_ready(r, tm_inputs_expand(&r->in, paths, n_paths)))) return e;
    *out = r;
    return TM_OK;
}

tm_error tm_reader_open_list(tm_reader **out, const tm_inputs *l, const tm_reader_opts *opts) {
    *out = NULL;
    tm_reader *r;
    tm_error e = reader_new(&r, opts);
    if (e) return e;
    for (size_t i = 0; i < l->n && !e; i++) {
        const tm_input_ent *s = &l->v[i];
        e = tm_inputs_add(&r->in, s->path, s->err, s->detail, s->size);
        if (!e && s->name && !(r->in.v[i].name = strdup(s->name))) e = TM_ERR_NOMEM;
        if (!e) memcpy(&r->in.v[i].src, &s->src, sizeof *s - offsetof(tm_input_ent, src));
    }
    if ((e = reader_ready(r, e))) return e;
    *out = r;
    return TM_OK;
}

void tm_reader_close(tm_reader *r) {
    if (!r) return;
    if (r->active) tm_stream_close(&r->st);
    /* the reader's copy: its entries are never marked spooled */
    tm_inputs_free(&r->in);
    free(r->buf);
    if (r->spill) fclose(r->spill);
    tm_buf_free(&r->head);
    tm_buf_free(&r->junk);
    tm_parse_scratch_free(&r->sc);
    free(r);
}

uint64_t tm_reader_bytes_in(const tm_reader *r) {
    return r->bytes_closed + (r->active ? r->st.bytes_in : 0);
}
uint64_t tm_reader_bytes_total(const tm_reader *r) {
    return r->bytes_total;
}
uint64_t tm_reader_skipped(const tm_reader *r) {
    return r->skipped;
}
const char *tm_reader_detail(const tm_reader *r) {
    return r->detail;
}
size_t tm_reader_n_inputs(const tm_reader *r) {
    return r->in.n;
}
const char *tm_reader_input(const tm_reader *r, size_t i) {
    return i < r->in.n ? tm_input_name(&r->in.v[i]) : NULL;
}

/* ---- the buffer ---- */

/* Reads more decompressed bytes after end, first moving the unframed bytes
 * [pos, end) to the front or growing the buffer. Returns > 0 bytes added,
 * 0 at the clean end of the stream, or the stream's negative error. */
static long more(tm_reader *r) {
    if (r->eof) return 0;
    if (r->serr) return r->serr;
    if (r->cap - r->end < READ_MIN && r->pos > 0) {
        size_t live = r->end - r->pos;
        memmove(r->buf, r->buf + r->pos, live);
        r->base += r->pos;
        r->pos = 0;
        r->end = live;
    }
    if (r->cap - r->end < READ_MIN) {
        /* Framers bound a record by max_doc_bytes before asking for more,
         * so the buffer stays below max_doc_bytes + 2 chunks. */
        size_t cap = r->cap * 2;
        char *p = realloc(r->buf, cap + 1);
        if (!p) return TM_ERR_NOMEM;
        r->buf = p;
        r->cap = cap;
    }
    long k = tm_stream_read(&r->st, r->buf + r->end, r->cap - r->end);
    if (k > 0)
        r->end += (size_t)k;
    else if (k == 0)
        r->eof = 1;
    else
        r->serr = (int)k;
    return k;
}

/* ---- record emission ---- */

static void raw_init(tm_reader *r, tm_raw *raw, size_t beg, size_t len, uint64_t line) {
    memset(raw, 0, sizeof *raw);
    raw->data = r->buf + beg;
    raw->len = len;
    raw->source = tm_input_name(&r->in.v[r->cur - 1]);
    raw->input = r->cur - 1;
    raw->line = line;
    raw->offset = r->base + beg;
    raw->index = r->index++;
    raw->format = r->fmt;
}

static void set_err(tm_raw *raw, int err, const char *detail) {
    raw->err = err;
    snprintf(raw->detail, sizeof raw->detail, "%s", detail);
}

/* The stream failed while a record [beg, end) was being framed. */
static tm_error emit_stream_error(tm_reader *r, tm_raw *raw, size_t beg, uint64_t line) {
    int err = r->serr;
    r->done = 1;
    if (err == TM_ERR_IO || err == TM_ERR_NOMEM) {
        raw_init(r, raw, beg, 0, line);
        set_err(raw, err, err == TM_ERR_IO ? strerror(errno) : "out of memory");
        return (tm_error)err;
    }
    raw_init(r, raw, beg, r->end - beg, line);
    set_err(raw, err,
            err == TM_ERR_TRUNCATED ? "compressed stream ends inside a record"
                                    : "corrupt compressed data");
    r->pos = r->end;
    return TM_OK;
}

/* ---- spilling records over max_doc_bytes ---- */

static tm_error spill_start(tm_reader *r) {
    tm_buf_reset(&r->head);
    if (r->spill) {
        rewind(r->spill);
        if (ftruncate(fileno(r->spill), 0) != 0) return TM_ERR_IO;
    } else if (!(r->spill = tmpfile())) {
        return TM_ERR_IO;
    }
    return TM_OK;
}

static tm_error spill_put(tm_reader *r, const char *p, size_t n) {
    size_t max = r->opts.max_doc_bytes;
    if (r->head.len < max) {
        size_t k = n < max - r->head.len ? n : max - r->head.len;
        if (tm_buf_append(&r->head, p, k)) return TM_ERR_NOMEM;
    }
    if (n && fwrite(p, 1, n, r->spill) != n) return TM_ERR_IO;
    return TM_OK;
}

enum { SPILL_LF, SPILL_EOF, SPILL_COUNT };

/* Streams the record starting at pos to the spill file: up to the next LF
 * (consumed, not stored), to the end of the stream, or `count` bytes. */
static tm_error spill_record(tm_reader *r, tm_raw *raw, int mode, uint64_t count, uint64_t line) {
    uint64_t offset = r->base + r->pos, total = 0;
    tm_error e = spill_start(r);
    int err = TM_ERR_TOO_BIG;
    for (;;) {
        size_t avail = r->end - r->pos;
        const char *p = r->buf + r->pos;
        size_t take = avail;
        int finished = 0;
        if (mode == SPILL_LF) {
            const char *nl = memchr(p, '\n', avail);
            if (nl) {
                take = (size_t)(nl - p);
                finished = 1;
            }
        } else if (mode == SPILL_COUNT && count - total <= avail) {
            take = (size_t)(count - total);
            finished = 1;
        }
        if (!e) e = spill_put(r, p, take);
        total += take;
        r->pos += take;
        if (finished) {
            if (mode == SPILL_LF) r->pos++; /* the LF */
            break;
        }
        long k = more(r);
        if (k == 0) {
            if (mode == SPILL_COUNT) err = TM_ERR_TRUNCATED;
            r->done = 1;
            break;
        }
        if (k < 0) {
            err = (int)k;
            r->done = 1;
            break;
        }
    }
    if (!e && fflush(r->spill) != 0) e = TM_ERR_IO;
    if (e) return e;
    rewind(r->spill);
    memset(raw, 0, sizeof *raw);
    raw->data = r->head.data ? r->head.data : "";
    raw->len = r->head.len;
    raw->source = tm_input_name(&r->in.v[r->cur - 1]);
    raw->input = r->cur - 1;
    raw->line = line;
    raw->offset = offset;
    raw->index = r->index++;
    raw->format = r->fmt;
    raw->spill = r->spill;
    raw->spill_len = total;
    if (err == TM_ERR_TOO_BIG)
        snprintf(raw->detail, sizeof raw->detail, "record of %llu bytes exceeds max_doc_bytes %zu",
                 (unsigned long long)total, r->opts.max_doc_bytes);
    else
        snprintf(raw->detail, sizeof raw->detail, "%s after %llu bytes of an oversize record",
                 err == TM_ERR_TRUNCATED ? "input ends" : tm_strerror(err),
                 (unsigned long long)total);
    raw->err = err;
    return TM_OK;
}

/* A record already complete in memory that is over the cap: spilled too, so
 * that oversize records always reach the rejects the same way. */
static tm_error spill_memory(tm_reader *r, tm_raw *raw, size_t beg, size_t len, uint64_t line) {
    tm_error e = spill_start(r);
    if (!e) e = spill_put(r, r->buf + beg, len);
    if (!e && fflush(r->spill) != 0) e = TM_ERR_IO;
    if (e) return e;
    rewind(r->spill);
    raw_init(r, raw, beg, 0, line);
    raw->data = r->head.data;
    raw->len = r->head.len;
    raw->spill = r->spill;
    raw->spill_len = len;
    snprintf(raw->detail, sizeof raw->detail, "record of %zu bytes exceeds max_doc_bytes %zu", len,
             r->opts.max_doc_bytes);
    raw->err = TM_ERR_TOO_BIG;
    return TM_OK;
}

/* ---- framing: lines ---- */

static int blank(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return 0;
    return 1;
}

/* JSONL and --lines: one record per LF-terminated line; CR before LF is
 * dropped; blank lines are skipped (their numbers still count). */
static tm_error frame_lines(tm_reader *r, tm_raw *raw) {
    size_t scan = r->pos;
    for (;;) {
        char *nl = memchr(r->buf + scan, '\n', r->end - scan);
        size_t lbeg = r->pos, lend;
        if (nl) {
            lend = (size_t)(nl - r->buf);
            r->pos = scan = lend + 1;
        } else {
            if (r->end - r->pos > r->opts.max_doc_bytes)
                return spill_record(r, raw, SPILL_LF, 0, ++r->line);
            size_t rel = r->end - r->pos;
            long k = more(r);
            scan = r->pos + rel;
            if (k > 0) continue;
            if (k < 0) return emit_stream_error(r, raw, r->pos, r->line + 1);
            if (r->pos == r->end) {
                r->done = 1;
                return TM_EOF;
            }
            lbeg = r->pos;
            lend = r->end; /* last line without LF */
            r->pos = r->end;
        }
        uint64_t line = ++r->line;
        size_t len = lend - lbeg;
        if (len && r->buf[lbeg + len - 1] == '\r') len--;
        if (blank(r->buf + lbeg, len)) continue;
        if (len > r->opts.max_doc_bytes) return spill_memory(r, raw, lbeg, len, line);
        raw_init(r, raw, lbeg, len, line);
        return TM_OK;
    }
}

/* A whole input is one record. */
static tm_error frame_text(tm_reader *r, tm_raw *raw) {
    for (;;) {
        if (r->end - r->pos > r->opts.max_doc_bytes) return spill_record(r, raw, SPILL_EOF, 0, 1);
        long k = more(r);
        if (k > 0) continue;
        if (k < 0) return emit_stream_error(r, raw, r->pos, 1);
        r->done = 1;
        if (r->pos == r->end) return TM_EOF;
        raw_init(r, raw, r->pos, r->end - r->pos, 1);
        r->pos = r->end;
        return TM_OK;
    }
}

/* ---- framing: WARC ---- */

static int ieq(tm_str s, const char *lit) {
    size_t n = strlen(lit);
    return s.len == n && strncasecmp(s.ptr, lit, n) == 0;
}

static int iprefix(tm_str s, const char *lit) {
    size_t n = strlen(lit);
    return s.len >= n && strncasecmp(s.ptr, lit, n) == 0;
}

static tm_error junk_put(tm_reader *r, const char *p, size_t n) {
    if (r->junk.len >= TM_WARC_MAX_HEADER) return TM_OK;
    size_t room = TM_WARC_MAX_HEADER - r->junk.len;
    return tm_buf_append(&r->junk, p, n < room ? n : room);
}

/* A malformed record at pos: report the bytes up to the next line that
 * starts with "WARC/" (ARC: "http", the start of an HTTP capture's header
 * line; other records in the stretch go with it) (kept up to 64 KiB) and
 * resume there. */
static tm_error resync(tm_reader *r, tm_raw *raw, const char *why) {
    uint64_t offset = r->base + r->pos;
    tm_buf_reset(&r->junk);
    size_t from = r->pos + 1;
    const char *pat = r->fmt == TM_FMT_ARC ? "\nhttp" : "\nWARC/";
    size_t plen = strlen(pat);
    for (;;) {
        const char *hit = from < r->end ? memmem(r->buf + from, r->end - from, pat, plen) : NULL;
        if (hit) {
            size_t stop = (size_t)(hit - r->buf) + 1;
            if (junk_put(r, r->buf + r->pos, stop - r->pos)) return TM_ERR_NOMEM;
            r->pos = stop;
            break;
        }
        /* keep a possible partial match at the end */
        size_t keep = r->end - r->pos > plen - 1 ? plen - 1 : r->end - r->pos;
        if (junk_put(r, r->buf + r->pos, r->end - r->pos - keep)) return TM_ERR_NOMEM;
        r->pos = r->end - keep;
        long k = more(r);
        from = r->pos;
        if (k <= 0) {
            if (junk_put(r, r->buf + r->pos, r->end - r->pos)) return TM_ERR_NOMEM;
            r->pos = r->end;
            break;
        }
    }
    memset(raw, 0, sizeof *raw);
    raw->data = r->junk.data ? r->junk.data : "";
    raw->len = r->junk.len;
    raw->source = tm_input_name(&r->in.v[r->cur - 1]);
    raw->input = r->cur - 1;
    raw->offset = offset;
    raw->index = r->index++;
    raw->format = r->fmt;
    set_err(raw, TM_ERR_WARC, why);
    return TM_OK;
}

/* WARC and ARC: a header (a block, or one ARC line) then a body of the
 * length it gives. */
static tm_error frame_warc(tm_reader *r, tm_raw *raw) {
    int arc = r->fmt == TM_FMT_ARC;
    const char *kind = arc ? "ARC" : "WARC";
    for (;;) {
        /* the separator: any run of CR and LF between records */
        for (;;) {
            while (r->pos < r->end && (r->buf[r->pos] == '\r' || r->buf[r->pos] == '\n')) r->pos++;
            if (r->pos < r->end) break;
            long k = more(r);
            if (k == 0) {
                r->done = 1;
                return TM_EOF;
            }
            if (k < 0) return emit_stream_error(r, raw, r->pos, 0);
        }
        tm_warc_hdr h;
        for (;;) {
            int rc = tm_record_header(r->fmt, r->buf + r->pos, r->end - r->pos, &h, r->detail,
                                      sizeof r->detail);
            if (rc > 0) break;
            if (rc < 0) return resync(r, raw, r->detail);
            if (r->end - r->pos >= TM_WARC_MAX_HEADER)
                return resync(r, raw,
                              arc ? "ARC header line exceeds 64 KiB"
                                  : "WARC header block exceeds 64 KiB");
            long k = more(r);
            if (k < 0) return emit_stream_error(r, raw, r->pos, 0);
            if (k == 0) {
                raw_init(r, raw, r->pos, r->end - r->pos, 0);
                set_err(raw, TM_ERR_TRUNCATED,
                        arc ? "input ends inside an ARC header line"
                            : "input ends inside a WARC header");
                r->pos = r->end;
                r->done = 1;
                return TM_OK;
            }
        }
        uint64_t cl = h.content_length;
        int is_doc = ieq(h.type, "conversion") || ieq(h.type, "response");
        if (is_doc && ieq(h.type, "response")) {
            /* Only HTTP responses with a text payload are documents (an
             * ARC content type is the payload's: the URL's scheme said HTTP) */
            if (!arc && !iprefix(h.content_type, "application/http")) {
                is_doc = 0;
            } else {
                size_t want = h.len + (cl < PEEK_HTTP ? (size_t)cl : PEEK_HTTP);
                while (r->end - r->pos < want) {
                    long k = more(r);
                    if (k <= 0) break;
                }
                if (r->end - r->pos >= h.len) {
                    size_t avail = r->end - r->pos - h.len;
                    if (avail > cl) avail = (size_t)cl;
                    int status;
                    tm_str ct;
                    size_t hl;
                    tm_http_peek(r->buf + r->pos + h.len, avail, &status, &ct, &hl);
                    if (hl && !tm_http_is_text(ct) && !r->opts.all_responses) is_doc = 0;
                }
            }
        }
        if (!is_doc) {
            /* Skip without buffering the body; keep the header in case the
             * input ends inside the body. */
            tm_buf_reset(&r->junk);
            if (junk_put(r, r->buf + r->pos, h.len)) return TM_ERR_NOMEM;
            uint64_t offset = r->base + r->pos;
            r->pos += h.len;
            uint64_t left = cl;
            while (left > 0) {
                size_t avail = r->end - r->pos;
                size_t take = left < avail ? (size_t)left : avail;
                r->pos += take;
                left -= take;
                if (!left) break;
                long k = more(r);
                if (k <= 0) {
                    r->done = 1;
                    memset(raw, 0, sizeof *raw);
                    raw->data = r->junk.data;
                    raw->len = r->junk.len;
                    raw->source = tm_input_name(&r->in.v[r->cur - 1]);
                    raw->input = r->cur - 1;
                    raw->offset = offset;
                    raw->index = r->index++;
                    raw->format = r->fmt;
                    if (k == 0)
                        set_err(raw, TM_ERR_TRUNCATED,
                                arc ? "input ends inside an ARC record body"
                                    : "input ends inside a WARC record body");
                    else
                        set_err(raw, (int)k, tm_strerror((int)k));
                    return TM_OK;
                }
            }
            r->skipped++;
            continue;
        }
        if (cl > r->opts.max_doc_bytes || h.len + cl > r->opts.max_doc_bytes)
            return spill_record(r, raw, SPILL_COUNT, h.len + cl, 0);
        size_t total = h.len + (size_t)cl;
        while (r->end - r->pos < total) {
            long k = more(r);
            if (k < 0) return emit_stream_error(r, raw, r->pos, 0);
            if (k == 0) {
                raw_init(r, raw, r->pos, r->end - r->pos, 0);
                snprintf(raw->detail, sizeof raw->detail,
                         "input ends after %zu of %llu %s body bytes", r->end - r->pos - h.len,
                         (unsigned long long)cl, kind);
                raw->err = TM_ERR_TRUNCATED;
                r->pos = r->end;
                r->done = 1;
                return TM_OK;
            }
        }
        raw_init(r, raw, r->pos, total, 0);
        r->pos += total;
        return TM_OK;
    }
}

/* ---- inputs ---- */

static void finish_input(tm_reader *r) {
    if (!r->active) return;
    r->bytes_closed += r->st.bytes_in;
    tm_stream_close(&r->st);
    r->active = 0;
}

#define SNIFF_BYTES TM_SNIFF_BYTES

/* Resolves the format of the input just opened from its first bytes: 64 of
 * a file descriptor (a pipe is never waited on), TM_SNIFF_BYTES of a buffer
 * or callback, whose verdict must not depend on the sizes bytes arrive in. */
static void detect(tm_reader *r) {
    size_t want = r->st.src == TM_SRC_FD ? 64 : SNIFF_BYTES;
    while (r->end - r->pos < want && more(r) > 0) {
    }
    const char *p = r->buf + r->pos;
    size_t n = r->end - r->pos;
    int is_warc =
        (n >= 5 && memcmp(p, "WARC/", 5) == 0) || (n >= 11 && !memcmp(p, "filedesc://", 11));
    if (!is_warc && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        r->pos += 3; /* a UTF-8 byte order mark is not content */
        p += 3;
        n -= 3;
    }
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    tm_format f = r->opts.format;
    if (f == TM_FMT_AUTO) {
        if (n - i >= 5 && memcmp(p + i, "WARC/", 5) == 0)
            f = TM_FMT_WARC;
        else if (n - i >= 11 && memcmp(p + i, "filedesc://", 11) == 0)
            f = TM_FMT_ARC; /* an ARC file opens with its version block */
        else if (i < n && p[i] == '{')
            f = TM_FMT_JSONL;
        else
            f = TM_FMT_TEXT;
    }
    if (f == TM_FMT_TEXT && r->opts.lines) f = TM_FMT_LINES;
    r->fmt = f;
    /* WARC bodies may be binary, and a JSON object starts with '{'; a reader
     * for extract (all_responses) hands every payload on: extract removes
     * a binary page with its reason instead. */
    r->binary =
        f == TM_FMT_WARC || f == TM_FMT_ARC || r->opts.all_responses || (i < n && p[i] == '{')
            ? NULL
            : tm_sniff_binary(p, n);
}

/* The one record of a binary input: its first block, rejected with the
 * reason; the rest of the input is not read. */
static tm_error frame_binary(tm_reader *r, tm_raw *raw) {
    size_t n = r->end - r->pos;
    raw_init(r, raw, r->pos, n < SNIFF_BYTES ? n : SNIFF_BYTES, 1);
    set_err(raw, TM_ERR_UNSUPPORTED, r->binary);
    r->pos = r->end;
    r->done = 1;
    return TM_OK;
}

static tm_error open_next(tm_reader *r, tm_raw *raw) {
    tm_input_ent *in = &r->in.v[r->cur++];
    r->pos = r->end = 0;
    r->base = 0;
    r->eof = r->serr = r->done = 0;
    r->line = 0;
    if (in->err) {
        raw_init(r, raw, 0, 0, 0);
        set_err(raw, in->err, in->detail);
        return (tm_error)in->err;
    }
    tm_error e = tm_stream_open_input(&r->st, in);
    if (e) {
        int saved = errno;
        tm_stream_close(&r->st);
        raw_init(r, raw, 0, 0, 0);
        set_err(raw, e, e == TM_ERR_OPEN ? strerror(saved) : tm_strerror(e));
        /* Out of memory is the job's failure, not this input's. */
        return e == TM_ERR_OPEN || e == TM_ERR_NOMEM ? e : TM_ERR_IO;
    }
    r->active = 1;
    detect(r);
    return TM_OK;
}

tm_error tm_reader_next_raw(tm_reader *r, tm_raw *raw) {
    for (;;) {
        if (!r->active || r->done) {
            finish_input(r);
            if (r->cur >= r->in.n) return TM_EOF;
            tm_error e = open_next(r, raw);
            if (e) {
                snprintf(r->detail, sizeof r->detail, "%s", raw->detail);
                return e;
            }
        }
        tm_error e;
        if (r->binary) {
            e = frame_binary(r, raw);
            r->binary = NULL;
        } else
            switch (r->fmt) {
            case TM_FMT_WARC:
            case TM_FMT_ARC: e = frame_warc(r, raw); break;
            case TM_FMT_TEXT: e = frame_text(r, raw); break;
            default: e = frame_lines(r, raw); break;
            }
        if (e == TM_EOF) continue;
        if (e == TM_OK && raw->err) snprintf(r->detail, sizeof r->detail, "%s", raw->detail);
        return e;
    }
}

tm_error tm_reader_next(tm_reader *r, tm_doc *doc) {
    tm_raw raw;
    r->detail[0] = '\0';
    tm_error e = tm_reader_next_raw(r, &raw);
    if (e == TM_EOF) return TM_EOF;
    tm_doc_from_raw(doc, &raw);
    if (e) return e;
    if (raw.err) return (tm_error)raw.err;
    return tm_parse_raw(&raw, &r->opts, doc, &r->sc, r->detail, sizeof r->detail);
}
