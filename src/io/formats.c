/*
 * formats.c — the one table of input formats (format.h), and the dispatch
 * through it: detection, the parse half of reading (tmi_parse_raw) and the
 * record headers of the archive formats.
 *
 * The table's order is the order of detection: the archive formats by their
 * magic, then JSONL by its '{', and text, which takes anything, last. A
 * format that is only ever chosen (lines, by --lines) has no sniff.
 */
#include "io/format.h"

#include <stdio.h>
#include <string.h>

/* The formats, each defined in its own file. */
extern const tm_format_ops tmi_format_warc, tmi_format_arc, tmi_format_jsonl, tmi_format_lines,
    tmi_format_text;

static const tm_format_ops *const formats[] = {
    &tmi_format_warc,  /* warc.c: "WARC/" */
    &tmi_format_arc,   /* arc.c: "filedesc://" */
    &tmi_format_jsonl, /* jsonl.c: '{' */
    &tmi_format_lines, /* text.c: never sniffed, text under --lines */
    &tmi_format_text,  /* text.c: anything, so last */
};
#define N_FORMATS (sizeof formats / sizeof *formats)

const tm_format_ops *tmi_format_get(tm_format id) {
    for (size_t i = 0; i < N_FORMATS; i++)
        if (formats[i]->id == id) return formats[i];
    return NULL;
}

const tm_format_ops *tmi_format_sniff(const char *p, size_t n) {
    for (size_t i = 0; i < N_FORMATS; i++)
        if (formats[i]->sniff && formats[i]->sniff(p, n)) return formats[i];
    return NULL;
}

int tmi_format_not_binary(const char *p, size_t n) {
    for (size_t i = 0; i < N_FORMATS; i++)
        if ((formats[i]->flags & TM_FORMAT_NOT_BINARY) && formats[i]->sniff &&
            formats[i]->sniff(p, n))
            return 1;
    return 0;
}

const tm_format_ops *tmi_format_resolve(const tm_reader_opts *o, const tm_format_ops *sniffed) {
    const tm_format_ops *f = o->format != TM_FMT_AUTO ? tmi_format_get(o->format)
                             : sniffed                ? sniffed
                                                      : &tmi_format_jsonl;
    if (f && o->lines && f->lines_as != TM_FMT_AUTO) f = tmi_format_get(f->lines_as);
    return f;
}

tm_error tmi_parse_raw(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc,
                       tm_parse_scratch *sc, char *detail, size_t detail_size) {
    tmi_doc_from_raw(doc, raw, sc);
    if (detail && detail_size) detail[0] = '\0';
    char dummy[8];
    if (!detail || !detail_size) {
        detail = dummy;
        detail_size = sizeof dummy;
    }
    if (raw->err) {
        snprintf(detail, detail_size, "%s", raw->detail);
        return (tm_error)raw->err;
    }
    const tm_format_ops *f = tmi_format_get(raw->format);
    if (!f || !f->parse) {
        snprintf(detail, detail_size, "unresolved format");
        return TM_ERR_INTERNAL;
    }
    return f->parse(raw, o, doc, sc, detail, detail_size);
}
