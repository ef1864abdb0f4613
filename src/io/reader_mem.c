/*
 * reader_mem.c — input for programs rather than for the command line: readers
 * over a caller's buffer or read callback, and a parser of one record.
 *
 * A reader over memory or a callback is an ordinary reader (reader.c) whose
 * one input entry names its source instead of a path (io.h, tm_input_ent):
 * the stream (stream.c) sniffs and decompresses it as a file, and framing,
 * formats, max_doc_bytes and rejects are the reader's own, with the given
 * name where a file name would be. The parser hands one record to the same
 * tmi_parse_raw that the reader's documents go through, after the checks
 * framing would make (a blank line is no record, a line over max_doc_bytes
 * is rejected), so a program that reads lines itself gets the reader's
 * documents and errors.
 */
#include "io/format.h"
#include "io/io.h"
#include "io/stream.h"

#include <stdlib.h>
#include <string.h>

static tm_error open_src(tm_reader **out, const tm_input_ent *src, const char *name,
                         const tm_reader_opts *opts) {
    tm_inputs l = {0};
    tm_error e = tmi_inputs_add(&l, name, 0, NULL, src->mem_len);
    if (!e) {
        l.v[0].src = src->src;
        l.v[0].mem = src->mem;
        l.v[0].mem_len = src->mem_len;
        l.v[0].fn = src->fn;
        l.v[0].user = src->user;
        e = tmi_reader_open_list(out, &l, opts);
    }
    tmi_inputs_free(&l);
    return e;
}

tm_error tm_reader_open_mem(tm_reader **out, const void *data, size_t len, const char *name,
                            const tm_reader_opts *opts) {
    if (!out) return TM_ERR_ARG;
    *out = NULL;
    if (!data && len) return TM_ERR_ARG;
    tm_input_ent src = {.src = TM_SRC_MEM, .mem = data, .mem_len = len};
    return open_src(out, &src, name ? name : "<memory>", opts);
}

tm_error tm_reader_open_cb(tm_reader **out, tm_read_fn read_fn, void *user, const char *name,
                           const tm_reader_opts *opts) {
    if (!out) return TM_ERR_ARG;
    *out = NULL;
    if (!read_fn) return TM_ERR_ARG;
    tm_input_ent src = {.src = TM_SRC_CB, .fn = read_fn, .user = user};
    return open_src(out, &src, name ? name : "<stream>", opts);
}

/* ---- one record ---- */

struct tm_parser {
    tm_reader_opts opts;
    const tm_format_ops *fmt; /* what opts.format resolves to */
    char *name;
    uint64_t n; /* records (lines) seen */
    tm_parse_scratch sc;
    char detail[160];
};

tm_error tm_parser_new(tm_parser **out, const char *name, const tm_reader_opts *opts) {
    if (!out) return TM_ERR_ARG;
    *out = NULL;
    tm_parser *p = calloc(1, sizeof *p);
    if (!p) return TM_ERR_NOMEM;
    tm_reader_opts_init(&p->opts);
    if (opts && tmi_opts_in(&p->opts, sizeof p->opts, opts, "tm_parser_new")) {
        free(p);
        return TM_ERR_ARG;
    }
    /* the reader's defaults for what is left empty (reader.c) */
    if (!p->opts.text_field || !*p->opts.text_field) p->opts.text_field = "text";
    if (!p->opts.id_field || !*p->opts.id_field) p->opts.id_field = "id";
    if (p->opts.max_doc_bytes == 0) p->opts.max_doc_bytes = (size_t)64 << 20;
    /* AUTO is JSONL here: one record cannot be sniffed */
    p->fmt = tmi_format_resolve(&p->opts, NULL);
    tm_json_path tp, ip;
    tmi_json_path_parse(&tp, p->opts.text_field);
    tmi_json_path_parse(&ip, p->opts.id_field);
    tm_error e = TM_OK;
    if (tp.n == 0 || ip.n == 0 || !p->fmt || (p->fmt->flags & TM_FORMAT_ARCHIVE))
        e = TM_ERR_ARG;
    else if (!(p->name = strdup(name ? name : "<memory>")))
        e = TM_ERR_NOMEM;
    if (e) {
        tm_parser_free(p);
        return e;
    }
    p->opts.format = p->fmt->id;
    *out = p;
    return TM_OK;
}

void tm_parser_free(tm_parser *p) {
    if (!p) return;
    tmi_parse_scratch_free(&p->sc);
    free(p->name);
    free(p);
}

const char *tm_parser_detail(const tm_parser *p) {
    return p ? p->detail : "";
}

static int blank(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return 0;
    return 1;
}

tm_error tm_parse_record(tm_parser *p, const char *line, size_t len, tm_doc *out) {
    if (!p || !out || (!line && len)) return TM_ERR_ARG;
    p->detail[0] = '\0';
    if (!line) line = "";
    int one_line = !(p->fmt->flags & TM_FORMAT_WHOLE);
    /* What framing takes off: the LF that ends a line, and a CR before it. */
    if (one_line && len && line[len - 1] == '\n') len--;
    if (one_line && len && line[len - 1] == '\r') len--;
    if (one_line && memchr(line, '\n', len)) {
        snprintf(p->detail, sizeof p->detail, "a record is one line: LF inside");
        return TM_ERR_ARG;
    }
    uint64_t n = ++p->n;
    memset(out, 0, sizeof *out);
    /* The reader skips blank lines (they still count as lines). */
    if (one_line && blank(line, len)) return TM_EOF;
    tm_raw raw;
    memset(&raw, 0, sizeof raw);
    raw.data = line;
    raw.len = len;
    raw.source = p->name;
    raw.line = one_line ? n : 1;
    raw.index = n - 1;
    raw.format = p->opts.format;
    if (len > p->opts.max_doc_bytes) {
        raw.len = p->opts.max_doc_bytes; /* what the reader keeps of it */
        raw.err = TM_ERR_TOO_BIG;
        snprintf(raw.detail, sizeof raw.detail, "record of %zu bytes exceeds max_doc_bytes %zu",
                 len, p->opts.max_doc_bytes);
    }
    return tmi_parse_raw(&raw, &p->opts, out, &p->sc, p->detail, sizeof p->detail);
}
