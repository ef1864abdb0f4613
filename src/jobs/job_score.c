/*
 * job_score.c — `tamis score` and `tamis filter` as pipeline jobs.
 *
 * Each worker thread owns a tm_scorer (all signal scratch) and a filter
 * result, so the per-document path allocates nothing once warm. Removal
 * counts per rule live in the worker too and are summed into the job's
 * stats when the pipeline frees its workers (after every thread has joined),
 * so no counter is shared between threads.
 */
#include "langid/sample.h"
#include "engine/pipeline.h"
#include "signals/filter.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

void tm_score_opts_init(tm_score_opts *o) {
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->signals = TM_SIG_ALL;
    o->lang = 1;
    o->lang_sample = 0;
    o->quality = 0;
    o->nltk_words = 0;
}

static tm_error put_lang(tm_buf *m, const tm_lang_result *l) {
    tm_error e = tmi_json_key(m, "lang", m->len > 0);
    TM_THEN(e, tmi_json_str(m, l->code, strlen(l->code)));
    TM_THEN(e, tmi_json_key(m, "lang_score", 1));
    TM_THEN(e, tmi_json_num(m, l->score));
    return e;
}

/* `score` also gives CLD2's reliability flag and its top three languages
 * with their shares of the letter bytes (absent entries left out). */
static tm_error put_lang_detail(tm_buf *m, const tm_lang_result *l) {
    tm_error e = tmi_json_key(m, "lang_reliable", 1);
    TM_THEN(e, tmi_buf_puts(m, l->reliable ? "true" : "false"));
    TM_THEN(e, tmi_json_key(m, "lang_top", 1));
    TM_THEN(e, tmi_buf_putc(m, '['));
    for (int i = 0, n = 0; i < 3 && !e; i++) {
        if (l->top[i].share <= 0 || !strcmp(l->top[i].code, "und")) continue;
        if (n++) e = tmi_buf_putc(m, ',');
        TM_THEN(e, tmi_buf_puts(m, "{\"lang\":"));
        TM_THEN(e, tmi_json_str(m, l->top[i].code, strlen(l->top[i].code)));
        TM_THEN(e, tmi_json_key(m, "share", 1));
        TM_THEN(e, tmi_json_num(m, l->top[i].share));
        TM_THEN(e, tmi_buf_putc(m, '}'));
    }
    TM_THEN(e, tmi_buf_putc(m, ']'));
    return e;
}

/* ---- score ---- */

typedef struct score_ctx {
    const tm_score_opts *so;
    tm_filter *quality; /* the default preset, when so->quality */
} score_ctx;

typedef struct score_ws {
    const tm_score_opts *so;
    const tm_filter *quality;
    tm_scorer *sc;
    tm_filter_result res;
    tm_buf members;
} score_ws;

static void *score_worker_new(void *ctx) {
    score_ws *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    const score_ctx *cx = ctx;
    w->so = cx->so;
    w->quality = cx->quality;
    if (tm_scorer_new(&w->sc)) {
        free(w);
        return NULL;
    }
    return w;
}

static void score_worker_free(void *p) {
    score_ws *w = p;
    tm_scorer_free(w->sc);
    tmi_filter_result_free(&w->res);
    tm_buf_free(&w->members);
    free(w);
}

static tm_error score_process(void *p, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    score_ws *w = p;
    tm_buf *m = &w->members;
    tm_error e = TM_OK;
    double v[TM_SIG_COUNT];
    tm_lang_result lang;
    const char *code = NULL;
    tmi_buf_reset(m);
    if (w->so->lang) {
        if ((e = tmi_langid_sampled(doc->text.ptr, doc->text.len, w->so->lang_sample, &lang)))
            return e;
        if ((e = put_lang(m, &lang))) return e;
        if ((e = put_lang_detail(m, &lang))) return e;
        code = lang.code;
    }
    if (w->so->signals) {
        e = tmi_signals_compute_words(w->sc, w->so->nltk_words ? TM_WORDS_NLTK : TM_WORDS_TAMIS,
                                      doc->text.ptr, doc->text.len, code, doc->invalid_utf8,
                                      w->so->signals, v);
        if (e) return e;
        if ((e = tmi_json_key(m, "signals", m->len > 0))) return e;
        if ((e = tmi_buf_putc(m, '{'))) return e;
        int first = 1;
        for (int i = 0; i < TM_SIG_COUNT && !e; i++) {
            if (!(w->so->signals & TM_SIG_BIT(i))) continue;
            e = tmi_json_key(m, tm_signal_name(i), !first);
            TM_THEN(e, tmi_json_num(m, v[i]));
            first = 0;
        }
        TM_THEN(e, tmi_buf_putc(m, '}'));
        if (e) return e;
    }
    if (w->quality) {
        /* quality: the share of the default preset's rules the document
         * passes, one number for `dedup --keep best` to rank copies by */
        e = tmi_filter_apply(w->quality, w->sc, doc->text.ptr, doc->text.len, doc->invalid_utf8,
                             w->so->lang ? &lang : NULL, 1, &w->res);
        if (e) return e;
        size_t pass = 0;
        for (size_t i = 0; i < w->res.n_verdicts; i++) pass += w->res.verdicts[i].pass != 0;
        if ((e = tmi_json_key(m, "quality", m->len > 0))) return e;
        if ((e = tmi_json_num(m, w->res.n_verdicts ? (double)pass / (double)w->res.n_verdicts : 0)))
            return e;
    }
    e = tm_doc_to_jsonl(doc, NULL, 0, m->data, m->len, &sinks[TM_SINK_OUT]);
    if (e) return e;
    st->written++;
    return TM_OK;
}

tm_error tm_job_score(const tm_job_opts *o_in, const tm_score_opts *so_in, tm_stats *stats) {
    tm_score_opts so_copy;
    tm_score_opts_init(&so_copy);
    if (so_in) TM_TRY(tmi_opts_in(&so_copy, sizeof so_copy, so_in, "tm_job_score"));
    const tm_score_opts *so = so_in ? &so_copy : NULL;
    tm_job_opts o_copy;
    tm_job_opts_init(&o_copy);
    TM_TRY(tmi_opts_in(&o_copy, sizeof o_copy, o_in, "tm_job_score"));
    const tm_job_opts *o = &o_copy;
    tmi_detail_clear();
    tm_score_opts def;
    if (!so) {
        tm_score_opts_init(&def);
        so = &def;
    }
    score_ctx cx = {so, NULL};
    if (so->quality && tm_filter_new(&cx.quality, "default")) return TM_ERR_NOMEM;
    tm_pjob job = {.opts = o,
                   .n_sinks = 1,
                   .ctx = &cx,
                   .worker_new = score_worker_new,
                   .worker_free = score_worker_free,
                   .process = score_process};
    tm_error e = tmi_pipeline_run(&job, stats);
    tm_filter_free(cx.quality);
    return e;
}

/* ---- filter ---- */

typedef struct filter_ctx {
    const tm_filter_opts *fo;
    tm_filter_stats *fs;
} filter_ctx;

typedef struct filter_ws {
    filter_ctx *ctx;
    tm_scorer *sc;
    tm_filter_result res;
    tm_buf members;
    uint64_t removed_by[TM_FILTER_MAX_RULES];
    uint64_t edited;
} filter_ws;

static void *filter_worker_new(void *ctx) {
    filter_ws *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->ctx = ctx;
    if (tm_scorer_new(&w->sc)) {
        free(w);
        return NULL;
    }
    return w;
}

static void filter_worker_free(void *p) {
    filter_ws *w = p;
    /* runs on the calling thread after every worker has joined */
    for (size_t i = 0; i < TM_FILTER_MAX_RULES; i++) w->ctx->fs->removed_by[i] += w->removed_by[i];
    w->ctx->fs->edited += w->edited;
    tm_scorer_free(w->sc);
    tmi_filter_result_free(&w->res);
    tm_buf_free(&w->members);
    free(w);
}

static tm_error filter_process(void *p, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    filter_ws *w = p;
    const tm_filter *f = w->ctx->fo->filter;
    int explain = w->ctx->fo->explain;
    tm_filter_result *r = &w->res;
    tm_buf *m = &w->members;
    tm_lang_result lang, *lp = NULL;
    tm_error e;
    tmi_buf_reset(m);
    if (tm_filter_needs_lang(f)) {
        if ((e = tmi_langid_sampled(doc->text.ptr, doc->text.len, w->ctx->fo->lang_sample, &lang)))
            return e;
        lp = &lang;
        if ((e = put_lang(m, lp))) return e;
    }
    e = tmi_filter_apply(f, w->sc, doc->text.ptr, doc->text.len, doc->invalid_utf8, lp, explain, r);
    if (e) return e;
    if (r->removed) {
        const char *name = tm_filter_rule_name(f, r->rule);
        e = tmi_json_key(m, "removed_by", m->len > 0);
        TM_THEN(e, tmi_json_str(m, name, strlen(name)));
        TM_THEN(e, tmi_json_key(m, "value", 1));
        TM_THEN(e, tmi_json_num(m, r->value));
        TM_THEN(e, tmi_json_key(m, "threshold", 1));
        TM_THEN(e, tmi_json_num(m, r->threshold));
    } else if (r->edited) {
        e = tmi_json_key(m, "c4_edits", m->len > 0);
        TM_THEN(e, tmi_buf_puts(m, "{\"lines_removed\":"));
        TM_THEN(e, tmi_json_u64(m, r->c4_lines_removed));
        TM_THEN(e, tmi_buf_puts(m, ",\"citations_removed\":"));
        TM_THEN(e, tmi_json_u64(m, r->c4_citations));
        TM_THEN(e, tmi_buf_putc(m, '}'));
    }
    if (!e && explain) {
        e = tmi_json_key(m, "verdicts", m->len > 0);
        TM_THEN(e, tmi_buf_putc(m, '['));
        for (size_t i = 0; i < r->n_verdicts && !e; i++) {
            const tm_filter_verdict *vd = &r->verdicts[i];
            const char *name = tm_filter_rule_name(f, vd->rule);
            if (i) e = tmi_buf_putc(m, ',');
            TM_THEN(e, tmi_buf_puts(m, "{\"rule\":"));
            TM_THEN(e, tmi_json_str(m, name, strlen(name)));
            TM_THEN(e, tmi_json_key(m, "value", 1));
            TM_THEN(e, tmi_json_num(m, vd->value));
            TM_THEN(e, tmi_json_key(m, "threshold", 1));
            TM_THEN(e, tmi_json_num(m, vd->threshold));
            TM_THEN(e, tmi_buf_puts(m, vd->pass ? ",\"pass\":true}" : ",\"pass\":false}"));
        }
        TM_THEN(e, tmi_buf_putc(m, ']'));
    }
    if (e) return e;
    if (r->removed) {
        e = tm_doc_to_jsonl(doc, NULL, 0, m->data, m->len, &sinks[TM_SINK_REMOVED]);
        if (e) return e;
        w->removed_by[r->rule]++;
        st->removed++;
    } else {
        e = tm_doc_to_jsonl(doc, r->edited ? r->text : NULL, r->edited ? r->text_len : 0, m->data,
                            m->len, &sinks[TM_SINK_OUT]);
        if (e) return e;
        w->edited += (uint64_t)r->edited;
        st->written++;
    }
    return TM_OK;
}

void tm_filter_opts_init(tm_filter_opts *o) {
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
}

tm_error tm_job_filter(const tm_job_opts *o_in, const tm_filter_opts *fo_in, tm_filter_stats *fs) {
    tm_filter_opts fo_copy;
    tm_filter_opts_init(&fo_copy);
    TM_TRY(tmi_opts_in(&fo_copy, sizeof fo_copy, fo_in, "tm_job_filter"));
    const tm_filter_opts *fo = &fo_copy;
    tm_job_opts o_copy;
    tm_job_opts_init(&o_copy);
    TM_TRY(tmi_opts_in(&o_copy, sizeof o_copy, o_in, "tm_job_filter"));
    const tm_job_opts *o = &o_copy;
    tmi_detail_clear();
    if (!fo || !fo->filter || !fs) return TM_ERR_ARG;
    memset(fs, 0, sizeof *fs); /* counters of this call only, as every job's */
    filter_ctx ctx = {fo, fs};
    fs->n_rules = tm_filter_n_rules(fo->filter);
    for (size_t i = 0; i < fs->n_rules; i++) fs->rule_names[i] = tm_filter_rule_name(fo->filter, i);
    tm_pjob job = {.opts = o,
                   .n_sinks = 2,
                   .ctx = &ctx,
                   .worker_new = filter_worker_new,
                   .worker_free = filter_worker_free,
                   .process = filter_process};
    return tmi_pipeline_run(&job, &fs->base);
}

tm_error tm_filter_stats_to_json(const tm_filter_stats *s, tm_buf *b) {
    tm_error e = tmi_buf_puts(b, "{\"stats\":");
    TM_THEN(e, tm_stats_to_json(&s->base, b));
    TM_THEN(e, tmi_json_key(b, "removed_by", 1));
    TM_THEN(e, tmi_buf_putc(b, '{'));
    for (size_t i = 0; i < s->n_rules && !e; i++) {
        e = tmi_json_key(b, s->rule_names[i], i > 0);
        TM_THEN(e, tmi_json_u64(b, s->removed_by[i]));
    }
    TM_THEN(e, tmi_buf_putc(b, '}'));
    TM_THEN(e, tmi_json_key(b, "edited", 1));
    TM_THEN(e, tmi_json_u64(b, s->edited));
    TM_THEN(e, tmi_buf_putc(b, '}'));
    return e;
}
