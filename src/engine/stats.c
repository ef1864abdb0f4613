/*
 * stats.c — the engine's counters of a job (tm_stats): the content counters
 * of one document (characters, words, lines, NUL bytes, invalid UTF-8) that
 * `tamis stats` and the report use, and the JSON form of tm_stats that every
 * command's summary and every .done file of `tamis run` carry.
 */
#include "engine/pipeline.h"

#include "text/text.h"
#include "util/buf.h"

#include <string.h>

/* text_bytes and empty_docs are counted by the pipeline for every job. */
void tmi_stats_add_content(tm_stats *st, const tm_doc *doc, void *tokenizer_spans) {
    const char *s = doc->text.ptr;
    size_t n = doc->text.len;
    st->chars += tmi_utf8_count(s, n);
    st->invalid_utf8 += doc->invalid_utf8;
    /* Lines as `wc -l` would count them, plus a final line without LF. */
    uint64_t lines = 0;
    for (const char *p = s, *e = s + n; p < e;) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        if (!nl) {
            lines++;
            break;
        }
        lines++;
        p = nl + 1;
    }
    st->lines += lines;
    for (const char *p = s, *e = s + n; p < e;) {
        const char *z = memchr(p, '\0', (size_t)(e - p));
        if (!z) break;
        st->nul_bytes++;
        p = z + 1;
    }
    tm_spans *sp = tokenizer_spans;
    if (sp && tmi_tokenize(s, n, sp) == TM_OK) st->words += sp->n;
}

/* ---- JSON ---- */

tm_error tm_stats_to_json(const tm_stats *s, tm_buf *b) {
    tm_error e = TM_OK;
#define KV(name, val, comma)                                                                       \
    do {                                                                                           \
        if (!e) e = tmi_json_key(b, name, comma);                                                  \
        if (!e) e = tmi_json_u64(b, val);                                                          \
    } while (0)
    e = tmi_buf_putc(b, '{');
    KV("read", s->read, 0);
    KV("kept", s->written, 1); /* "kept" in every command (was "written" before 0.x) */
    KV("removed", s->removed, 1);
    KV("rejected", s->rejected, 1);
    TM_THEN(e, tmi_json_key(b, "rejected_by", 1));
    TM_THEN(e, tmi_buf_putc(b, '{'));
    int first = 1;
    for (int i = 1; i < TM_REJECT_KINDS && !e; i++) {
        if (!s->rejected_by[i]) continue;
        KV(tm_error_name(-i), s->rejected_by[i], !first);
        first = 0;
    }
    TM_THEN(e, tmi_buf_putc(b, '}'));
    KV("skipped_records", s->skipped_records, 1);
    KV("bytes_in", s->bytes_in, 1);
    KV("text_bytes", s->text_bytes, 1);
    KV("chars", s->chars, 1);
    KV("words", s->words, 1);
    KV("lines", s->lines, 1);
    KV("empty_docs", s->empty_docs, 1);
    KV("invalid_utf8", s->invalid_utf8, 1);
    KV("nul_bytes", s->nul_bytes, 1);
    TM_THEN(e, tmi_json_key(b, "ledger_ok", 1));
    if (!e)
        e = tmi_buf_puts(b, s->read == s->written + s->removed + s->rejected ? "true" : "false");
    TM_THEN(e, tmi_buf_putc(b, '}'));
#undef KV
    return e;
}
