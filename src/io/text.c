/*
 * text.c — the text and lines formats (format.h): a whole file is one
 * document (text), or every line of it is (lines, which text becomes under
 * --lines). Text is what detection falls back to: it takes any input that
 * no other format sniffs. A document's id is its source (text) or its
 * source and line number (lines); its metadata says where it came from.
 */
#include "io/format.h"
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

/* A whole input is one record. */
static tm_error text_frame(tm_frame *fr, tm_raw *raw) {
    for (;;) {
        if (fr->end - fr->pos > fr->opts->max_doc_bytes)
            return tmi_frame_spill(fr, raw, TM_SPILL_EOF, 0, 1);
        long k = tmi_frame_more(fr);
        if (k > 0) continue;
        if (k < 0) return tmi_frame_stream_error(fr, raw, fr->pos, 1);
        fr->done = 1;
        if (fr->pos == fr->end) return TM_EOF;
        tmi_frame_raw(fr, raw, fr->pos, fr->end - fr->pos, 1);
        fr->pos = fr->end;
        return TM_OK;
    }
}

/* The text as UTF-8; the id is the source (whole files) or source:line. */
static tm_error parse_text_or_line(const tm_raw *raw, tm_doc *doc, tm_parse_scratch *sc,
                                   int lines) {
    if (tmi_utf8_view(raw->data, raw->len, &sc->text, &doc->text, &doc->invalid_utf8))
        return TM_ERR_NOMEM;
    tm_buf *m = &sc->meta;
    tmi_buf_reset(m);
    tmi_buf_reset(&sc->id);
    if (lines) {
        if (tmi_buf_printf(&sc->id, "%s:%llu", raw->source, (unsigned long long)raw->line))
            return TM_ERR_NOMEM;
    } else if (tmi_buf_puts(&sc->id, raw->source)) {
        return TM_ERR_NOMEM;
    }
    if (tmi_utf8_view(sc->id.data, sc->id.len, &sc->tmp2, &doc->id, NULL)) return TM_ERR_NOMEM;
    if (tmi_buf_putc(m, '{') || tmi_meta_str(m, "source", raw->source, strlen(raw->source)))
        return TM_ERR_NOMEM;
    if (lines && (tmi_json_key(m, "line", 1) || tmi_json_u64(m, raw->line))) return TM_ERR_NOMEM;
    if (tmi_buf_putc(m, '}')) return TM_ERR_NOMEM;
    TM_DOCP(doc)->meta = (tm_str){m->data, m->len};
    return TM_OK;
}

static tm_error text_parse(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc,
                           tm_parse_scratch *sc, char *detail, size_t dsz) {
    return parse_text_or_line(raw, doc, sc, 0);
}

static tm_error lines_parse(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc,
                            tm_parse_scratch *sc, char *detail, size_t dsz) {
    return parse_text_or_line(raw, doc, sc, 1);
}

/* Anything is text. */
static int text_sniff(const char *p, size_t n) {
    return 1;
}

const tm_format_ops tmi_format_text = {
    .id = TM_FMT_TEXT,
    .name = "text",
    .flags = TM_FORMAT_WHOLE,
    .sniff = text_sniff,
    .lines_as = TM_FMT_LINES,
    .frame = text_frame,
    .parse = text_parse,
};

const tm_format_ops tmi_format_lines = {
    .id = TM_FMT_LINES,
    .name = "lines",
    .frame = tmi_frame_lines,
    .parse = lines_parse,
};
