/*
 * reader.c — input expansion and the framing loop (the single-threaded half
 * of reading; see io.h).
 *
 * Inputs are expanded once at open (inputs.c: "-" is standard input, a
 * directory is walked recursively in byte-wise order of names), or given as
 * a fixed list by two-pass jobs (tmi_reader_open_list). Each input is a
 * tm_stream of decompressed bytes; its format is resolved from its first
 * bytes by the table of formats (formats.c) unless forced, and its records
 * are cut by that format's framer over the reader's one reusable buffer
 * (frame.h, frame.c). What is no text (tmi_sniff_binary) is rejected as one
 * record without being framed. This file knows no format by name.
 */
#include "io/format.h"
#include "util/buf.h"
#include "io/frame.h"
#include "io/io.h"
#include "io/stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tm_reader {
    tm_reader_opts opts;
    tm_inputs in;
    size_t cur; /* index of the next input to open */
    int active; /* st is open on in.v[cur - 1] */
    tm_stream st;
    tm_frame fr;              /* the buffer over st, and the record count */
    const tm_format_ops *fmt; /* resolved format of the active input */
    const char *binary;       /* the active input looks binary: why (tmi_sniff_binary) */
    uint64_t bytes_closed, bytes_total;
    tm_parse_scratch sc;
    char detail[160];
};

void tm_reader_opts_init(tm_reader_opts *o) {
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
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
    tm_reader_opts_init(&r->opts);
    if (opts && tmi_opts_in(&r->opts, sizeof r->opts, opts, "tm_reader_open")) {
        free(r);
        return TM_ERR_ARG;
    }
    if (!r->opts.text_field || !*r->opts.text_field) r->opts.text_field = "text";
    if (!r->opts.id_field || !*r->opts.id_field) r->opts.id_field = "id";
    if (r->opts.max_doc_bytes == 0) r->opts.max_doc_bytes = (size_t)64 << 20;
    r->st.fd = -1;
    *out = r;
    return TM_OK;
}

static tm_error reader_ready(tm_reader *r, tm_error e) {
    tm_json_path tp, ip;
    tmi_json_path_parse(&tp, r->opts.text_field);
    tmi_json_path_parse(&ip, r->opts.id_field);
    if (!e && (tp.n == 0 || ip.n == 0)) e = TM_ERR_ARG; /* more than TM_JSON_MAX_PATH parts */
    /* a forced format that is none */
    if (!e && !tmi_format_resolve(&r->opts, NULL)) e = TM_ERR_ARG;
    for (size_t i = 0; i < r->in.n; i++) r->bytes_total += r->in.v[i].size;
    TM_THEN(e, tmi_frame_init(&r->fr, &r->opts, &r->st));
    if (e) {
        tm_reader_close(r);
        return e;
    }
    return TM_OK;
}

tm_error tm_reader_open(tm_reader **out, const char *const *paths, size_t n_paths,
                        const tm_reader_opts *opts) {
    *out = NULL;
    if (!paths && n_paths) return TM_ERR_ARG;
    tm_reader *r;
    tm_error e = reader_new(&r, opts);
    if (e) return e;
    if ((e = reader_ready(r, tmi_inputs_expand(&r->in, paths, n_paths)))) return e;
    *out = r;
    return TM_OK;
}

tm_error tmi_reader_open_list(tm_reader **out, const tm_inputs *l, const tm_reader_opts *opts) {
    *out = NULL;
    tm_reader *r;
    tm_error e = reader_new(&r, opts);
    if (e) return e;
    for (size_t i = 0; i < l->n && !e; i++) {
        const tm_input_ent *s = &l->v[i];
        e = tmi_inputs_add(&r->in, s->path, s->err, s->detail, s->size);
        if (!e && s->name && !(r->in.v[i].name = strdup(s->name))) e = TM_ERR_NOMEM;
        if (!e) memcpy(&r->in.v[i].src, &s->src, sizeof *s - offsetof(tm_input_ent, src));
    }
    if ((e = reader_ready(r, e))) return e;
    *out = r;
    return TM_OK;
}

void tm_reader_close(tm_reader *r) {
    if (!r) return;
    if (r->active) tmi_stream_close(&r->st);
    /* the reader's copy: its entries are never marked spooled */
    tmi_inputs_free(&r->in);
    tmi_frame_free(&r->fr);
    tmi_parse_scratch_free(&r->sc);
    free(r);
}

uint64_t tm_reader_bytes_in(const tm_reader *r) {
    return r->bytes_closed + (r->active ? r->st.bytes_in : 0);
}
uint64_t tm_reader_bytes_total(const tm_reader *r) {
    return r->bytes_total;
}
uint64_t tm_reader_skipped(const tm_reader *r) {
    return r->fr.skipped;
}
const char *tm_reader_detail(const tm_reader *r) {
    return r->detail;
}
size_t tm_reader_n_inputs(const tm_reader *r) {
    return r->in.n;
}
const char *tm_reader_input(const tm_reader *r, size_t i) {
    return i < r->in.n ? tmi_input_name(&r->in.v[i]) : NULL;
}

/* ---- inputs ---- */

static void finish_input(tm_reader *r) {
    if (!r->active) return;
    r->bytes_closed += r->st.bytes_in;
    tmi_stream_close(&r->st);
    r->active = 0;
}

/* Resolves the format of the input just opened from its first bytes: 64 of
 * a file descriptor (a pipe is never waited on), TM_SNIFF_BYTES of a buffer
 * or callback, whose verdict must not depend on the sizes bytes arrive in. */
static void detect(tm_reader *r) {
    tm_frame *fr = &r->fr;
    size_t want = r->st.src == TM_SRC_FD ? 64 : TM_SNIFF_BYTES;
    while (fr->end - fr->pos < want && tmi_frame_more(fr) > 0) {
    }
    const char *p = fr->buf + fr->pos;
    size_t n = fr->end - fr->pos;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        fr->pos += 3; /* a UTF-8 byte order mark is not content */
        p += 3;
        n -= 3;
    }
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    /* opts.format was checked at open: never NULL */
    r->fmt = tmi_format_resolve(&r->opts, tmi_format_sniff(p + i, n - i));
    fr->fmt = r->fmt->id;
    /* Archive bodies may be binary, and a JSON object starts with '{'; a
     * reader for extract (all_responses) hands every payload on: extract
     * removes a binary page with its reason instead. */
    r->binary = (r->fmt->flags & TM_FORMAT_ARCHIVE) || r->opts.all_responses ||
                        tmi_format_not_binary(p + i, n - i)
                    ? NULL
                    : tmi_sniff_binary(p, n);
}

/* The one record of a binary input: its first block, rejected with the
 * reason; the rest of the input is not read. */
static tm_error frame_binary(tm_reader *r, tm_raw *raw) {
    tm_frame *fr = &r->fr;
    size_t n = fr->end - fr->pos;
    tmi_frame_raw(fr, raw, fr->pos, n < TM_SNIFF_BYTES ? n : TM_SNIFF_BYTES, 1);
    tmi_raw_set_err(raw, TM_ERR_UNSUPPORTED, r->binary);
    fr->pos = fr->end;
    fr->done = 1;
    return TM_OK;
}

static tm_error open_next(tm_reader *r, tm_raw *raw) {
    tm_input_ent *in = &r->in.v[r->cur++];
    tmi_frame_reset(&r->fr, tmi_input_name(in), r->cur - 1);
    if (in->err) {
        tmi_frame_raw(&r->fr, raw, 0, 0, 0);
        tmi_raw_set_err(raw, in->err, in->detail);
        return (tm_error)in->err;
    }
    tm_error e = tmi_stream_open_input(&r->st, in);
    if (e) {
        int saved = errno;
        tmi_stream_close(&r->st);
        tmi_frame_raw(&r->fr, raw, 0, 0, 0);
        tmi_raw_set_err(raw, e, e == TM_ERR_OPEN ? strerror(saved) : tm_strerror(e));
        /* Out of memory is the job's failure, not this input's. */
        return e == TM_ERR_OPEN || e == TM_ERR_NOMEM ? e : TM_ERR_IO;
    }
    r->active = 1;
    detect(r);
    return TM_OK;
}

tm_error tmi_reader_next_raw(tm_reader *r, tm_raw *raw) {
    for (;;) {
        if (!r->active || r->fr.done) {
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
        } else {
            e = r->fmt->frame(&r->fr, raw);
        }
        if (e == TM_EOF) continue;
        if (e == TM_OK && raw->err) snprintf(r->detail, sizeof r->detail, "%s", raw->detail);
        return e;
    }
}

tm_error tm_reader_next(tm_reader *r, tm_doc *doc) {
    tm_raw raw;
    r->detail[0] = '\0';
    tm_error e = tmi_reader_next_raw(r, &raw);
    if (e == TM_EOF) return TM_EOF;
    tmi_doc_from_raw(doc, &raw, &r->sc);
    if (e) return e;
    if (raw.err) return (tm_error)raw.err;
    return tmi_parse_raw(&raw, &r->opts, doc, &r->sc, r->detail, sizeof r->detail);
}
