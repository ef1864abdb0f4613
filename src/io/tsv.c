/*
 * tsv.c — a TSV export: a header line "id<TAB>text", then one document a
 * line, its id before the first tab and its text after it (the example of
 * docs/ARCHITECTURE.md, "Adding an input format").
 */
#include "io/format.h"
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

#define TM_FMT_TSV ((tm_format)100) /* detected only: no name in tamis.h */

/* The header line opens the file (white space before it skipped). */
static int tsv_sniff(const char *p, size_t n) {
    return n >= 8 && (memcmp(p, "id\ttext\n", 8) == 0 || memcmp(p, "id\ttext\r", 8) == 0);
}

/* The header line, which sniffing found in the buffer, is no record: the
 * first call steps over it (and blank lines before it), counting its line. */
static tm_error tsv_frame(tm_frame *fr, tm_raw *raw) {
    for (int seen = 0; fr->line == 0 && fr->pos < fr->end;) {
        char c = fr->buf[fr->pos++];
        if (c == '\n' && seen) fr->line = 1;
        seen |= c != ' ' && c != '\t' && c != '\r' && c != '\n';
    }
    return tm_frame_lines(fr, raw);
}

static tm_error tsv_parse(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc,
                          tm_parse_scratch *sc, char *detail, size_t dsz) {
    const char *tab = memchr(raw->data, '\t', raw->len);
    if (!tab || tab == raw->data) {
        snprintf(detail, dsz, "expected id<TAB>text");
        return TM_ERR_FIELD;
    }
    size_t idl = (size_t)(tab - raw->data);
    if (tm_utf8_view(raw->data, idl, &sc->id, &doc->id, NULL) ||
        tm_utf8_view(tab + 1, raw->len - idl - 1, &sc->text, &doc->text, &doc->invalid_utf8))
        return TM_ERR_NOMEM;
    doc->has_id = 1;
    tm_buf *m = &sc->meta;
    tm_buf_reset(m);
    if (tm_buf_putc(m, '{') || tm_meta_str(m, "source", raw->source, strlen(raw->source)) ||
        tm_json_key(m, "line", 1) || tm_json_u64(m, raw->line) || tm_buf_putc(m, '}'))
        return TM_ERR_NOMEM;
    doc->priv.meta = (tm_str){m->data, m->len};
    return TM_OK;
}

const tm_format_ops tm_format_tsv = {
    .id = TM_FMT_TSV,
    .name = "tsv",
    .sniff = tsv_sniff,
    .frame = tsv_frame,
    .parse = tsv_parse,
};
