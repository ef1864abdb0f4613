/*
 * clean.c — `tamis clean` on one document: runs the stages in order
 * (encoding → normalize → paragraphs → doubled words), each on the previous
 * stage's output, and assembles the edit log.
 *
 * The order matters: mojibake must be repaired before control removal (its
 * C1 characters are evidence), paragraphs are compared on normalised text,
 * and doubled words are found last so that their offsets are offsets into
 * the final text. Stages 1-2 log per-document summaries (pairs and counts),
 * stage 3-4 paragraph numbers, stage 5 output offsets. With dry_run the
 * same stages run and the input text is returned; the offsets still refer to
 * the text that would have been written.
 */
#include "clean/clean_int.h"
#include "util/buf.h"

#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tm_cleaner {
    tm_clean_opts o;
    tm_buf stage[2], scratch, repaired;
    tm_clean_log log;
    tm_para_scratch *ps;
};

void tm_clean_opts_init(tm_clean_opts *o) {
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->ops = TM_CLEAN_ALL;
    o->para_threshold = 0.6;
    o->min_repeat_words = 4;
    o->min_reworded_words = 10;
}

tm_error tm_clean_ops_parse(const char *list, unsigned *ops) {
    static const struct {
        const char *name;
        unsigned flags;
    } names[] = {{"encoding", TM_CLEAN_ENCODING},
                 {"normalize", TM_CLEAN_NORMALIZE},
                 {"repeated", TM_CLEAN_REPEATED},
                 {"reworded", TM_CLEAN_REWORDED},
                 {"doubled", TM_CLEAN_DOUBLED},
                 {"all", TM_CLEAN_ALL},
                 {"none", 0}};
    if (!list || !ops) return TM_ERR_ARG;
    unsigned r = 0;
    for (const char *p = list;;) {
        size_t n = strcspn(p, ",");
        size_t i = 0;
        for (; i < sizeof names / sizeof names[0]; i++)
            if (strlen(names[i].name) == n && !strncmp(p, names[i].name, n)) break;
        if (i == sizeof names / sizeof names[0]) return TM_ERR_ARG;
        r |= names[i].flags;
        if (!p[n]) break;
        p += n + 1;
    }
    *ops = r;
    return TM_OK;
}

tm_error tm_cleaner_new(tm_cleaner **out, const tm_clean_opts *opts) {
    if (!out) return TM_ERR_ARG;
    *out = NULL;
    tm_cleaner *c = calloc(1, sizeof *c);
    if (!c) return TM_ERR_NOMEM;
    tm_clean_opts_init(&c->o);
    if (opts && tmi_opts_in(&c->o, sizeof c->o, opts, "tm_cleaner_new")) {
        free(c);
        return TM_ERR_ARG;
    }
    if (c->o.para_threshold <= 0.0 || c->o.para_threshold > 1.0 || (c->o.ops & ~TM_CLEAN_ALL)) {
        free(c);
        return TM_ERR_ARG;
    }
    c->ps = tmi_para_scratch_new();
    if (!c->ps) {
        free(c);
        return TM_ERR_NOMEM;
    }
    *out = c;
    return TM_OK;
}

void tm_cleaner_free(tm_cleaner *c) {
    if (!c) return;
    tm_buf_free(&c->stage[0]);
    tm_buf_free(&c->stage[1]);
    tm_buf_free(&c->scratch);
    tm_buf_free(&c->repaired);
    tm_buf_free(&c->log.json);
    tmi_para_scratch_free(c->ps);
    free(c);
}

tm_error tm_clean_text(tm_cleaner *c, const char *text, size_t len, const char *lang,
                       tm_buf *out_text, tm_buf *edits_json, tm_clean_counts *counts) {
    return tmi_clean_text_ex(c, text, len, lang, 0, out_text, edits_json, counts);
}

tm_error tmi_clean_text_ex(tm_cleaner *c, const char *text, size_t len, const char *lang, int valid,
                           tm_buf *out_text, tm_buf *edits_json, tm_clean_counts *counts) {
    if (!c || (!text && len) || !out_text) return TM_ERR_ARG;
    tm_clean_counts local;
    if (!counts) counts = &local;
    memset(counts, 0, sizeof *counts);
    tm_clean_log *g = &c->log;
    tmi_buf_reset(&g->json);
    g->records = 0;
    g->dropped_records = 0;
    g->counts = counts;
    g->err = TM_OK;
    if (!text) text = "";

    const char *in = text;
    size_t in_len = len;
    tm_error e = TM_OK;
    if (!valid && tm_utf8_valid_prefix(text, len) != len) {
        tmi_buf_reset(&c->repaired);
        if ((e = tm_utf8_repair(text, len, &c->repaired, NULL))) return e;
        in = c->repaired.data, in_len = c->repaired.len;
    }
    const char *cur = in;
    size_t cur_len = in_len;
    int next = 0;
#define STAGE(call)                                                                                \
    do {                                                                                           \
        tm_buf *dst = &c->stage[next];                                                             \
        tmi_buf_reset(dst);                                                                        \
        if ((e = (call))) return e;                                                                \
        cur = dst->data ? dst->data : "";                                                          \
        cur_len = dst->len;                                                                        \
        next ^= 1;                                                                                 \
    } while (0)
    unsigned ops = c->o.ops;
    int doubled = 1; /* stage 5 may find a candidate */
    /* The language: given, or detected once by the first stage that needs
     * it (stage 4's stop words, stage 5's exception lists). */
    tm_lang_guess lg;
    memset(&lg, 0, sizeof lg);
    const char *l = lang ? lang : c->o.lang;
    if (l && *l) {
        snprintf(lg.code, sizeof lg.code, "%s", l);
        lg.known = lg.reliable = 1;
    }
    if (ops & TM_CLEAN_ENCODING) STAGE(tmi_clean_encoding(cur, cur_len, dst, g));
    if (ops & TM_CLEAN_NORMALIZE) STAGE(tmi_clean_normalize(cur, cur_len, dst, &c->scratch, g));
    if (ops & (TM_CLEAN_REPEATED | TM_CLEAN_REWORDED))
        STAGE(tmi_clean_paragraphs(c->ps, &c->o, cur, cur_len, &lg, dst, g, &doubled));
    /* Stage 3 hashed every word: without two equal words in a row (most
     * documents) stage 5 would copy the text unchanged, so it is skipped. */
    if ((ops & TM_CLEAN_DOUBLED) && doubled) STAGE(tmi_clean_doubled(cur, cur_len, &lg, dst, g));
#undef STAGE
    if (g->err) return g->err;
    for (int k = 0; k < TM_CLEAN_EDIT_KINDS; k++)
        if (k != TM_EDIT_DOUBLED_KEPT) counts->edits += counts->n[k];
    counts->changed = cur_len != len || memcmp(cur, text, len) != 0;
    if (c->o.dry_run)
        e = tmi_buf_append(out_text, in, in_len);
    else
        e = tmi_buf_append(out_text, cur, cur_len);
    if (e || !edits_json) return e;
    e = tmi_buf_putc(edits_json, '[');
    TM_THEN(e, tmi_buf_append(edits_json, g->json.data, g->json.len));
    if (!e && g->dropped_records) {
        e = tmi_buf_puts(edits_json, g->records ? ",{\"op\":\"more\",\"count\":"
                                                : "{\"op\":\"more\",\"count\":");
        TM_THEN(e, tmi_json_u64(edits_json, g->dropped_records));
        TM_THEN(e, tmi_buf_putc(edits_json, '}'));
    }
    TM_THEN(e, tmi_buf_putc(edits_json, ']'));
    return e;
}

tm_error tm_clean_stats_to_json(const tm_clean_stats *s, tm_buf *b) {
    tm_error e = tmi_buf_putc(b, '{');
    TM_THEN(e, tmi_json_key(b, "documents", 0));
    TM_THEN(e, tmi_json_u64(b, s->base.written + s->base.removed));
    TM_THEN(e, tmi_json_key(b, "touched", 1));
    TM_THEN(e, tmi_json_u64(b, s->touched));
    TM_THEN(e, tmi_json_key(b, "changed", 1));
    TM_THEN(e, tmi_json_u64(b, s->changed));
    TM_THEN(e, tmi_json_key(b, "rejected", 1));
    TM_THEN(e, tmi_json_u64(b, s->base.rejected));
    TM_THEN(e, tmi_json_key(b, "text_bytes_in", 1));
    TM_THEN(e, tmi_json_u64(b, s->base.text_bytes));
    TM_THEN(e, tmi_json_key(b, "text_bytes_out", 1));
    TM_THEN(e, tmi_json_u64(b, s->bytes_out));
    TM_THEN(e, tmi_json_key(b, "edits", 1));
    TM_THEN(e, tmi_buf_putc(b, '{'));
    for (int k = 0; k < TM_CLEAN_EDIT_KINDS && !e; k++) {
        e = tmi_json_key(b, tm_clean_edit_name(k), k > 0);
        TM_THEN(e, tmi_json_u64(b, s->edits[k]));
    }
    TM_THEN(e, tmi_buf_puts(b, "}}"));
    return e;
}
