/*
 * job_clean.c — `tamis clean` over a corpus: the pipeline's ordered map
 * with one tm_cleaner per worker thread.
 *
 * Every document is written (clean never removes a document, only defects
 * inside it); the ones with edit records get "tamis":{"edits":[...]}, the
 * others are written exactly as `tamis cat` writes them. Per-worker totals
 * are merged under a mutex when the pipeline frees the workers.
 */
#include "clean/clean_int.h"
#include "engine/pipeline.h"

#include "util/buf.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct clean_ctx {
    const tm_clean_opts *co;
    pthread_mutex_t mu;
    tm_clean_stats *total;
} clean_ctx;

typedef struct clean_ws {
    clean_ctx *ctx;
    tm_cleaner *cl;
    tm_buf text, edits, members;
    tm_clean_stats part;
} clean_ws;

static void clean_worker_free(void *p) {
    clean_ws *w = p;
    if (!w) return;
    clean_ctx *x = w->ctx;
    pthread_mutex_lock(&x->mu);
    x->total->touched += w->part.touched;
    x->total->changed += w->part.changed;
    x->total->bytes_out += w->part.bytes_out;
    for (int k = 0; k < TM_CLEAN_EDIT_KINDS; k++) x->total->edits[k] += w->part.edits[k];
    pthread_mutex_unlock(&x->mu);
    tm_cleaner_free(w->cl);
    tm_buf_free(&w->text);
    tm_buf_free(&w->edits);
    tm_buf_free(&w->members);
    free(w);
}

static void *clean_worker_new(void *ctx) {
    clean_ws *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->ctx = ctx;
    if (tm_cleaner_new(&w->cl, w->ctx->co) != TM_OK) {
        free(w);
        return NULL;
    }
    return w;
}

static tm_error clean_process(void *p, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    clean_ws *w = p;
    tm_clean_counts k;
    tmi_buf_reset(&w->text);
    tmi_buf_reset(&w->edits);
    /* tm_doc.text is valid UTF-8: the reader replaced bad sequences. */
    tm_error e =
        tmi_clean_text_ex(w->cl, doc->text.ptr, doc->text.len, NULL, 1, &w->text, &w->edits, &k);
    if (e) return e;
    /* st->text_bytes (text in) is counted by the pipeline for every job */
    w->part.bytes_out += w->text.len;
    w->part.touched += k.edits > 0;
    w->part.changed += k.changed != 0;
    for (int i = 0; i < TM_CLEAN_EDIT_KINDS; i++) w->part.edits[i] += k.n[i];
    if (w->edits.len <= 2) { /* "[]" */
        e = tm_doc_to_jsonl(doc, NULL, 0, NULL, 0, &sinks[TM_SINK_OUT]);
    } else {
        tmi_buf_reset(&w->members);
        e = tmi_buf_puts(&w->members, "\"edits\":");
        TM_THEN(e, tmi_buf_append(&w->members, w->edits.data, w->edits.len));
        int same =
            w->text.len == doc->text.len && !memcmp(w->text.data, doc->text.ptr, w->text.len);
        if (!e)
            e = tm_doc_to_jsonl(doc, same ? NULL : w->text.data, w->text.len, w->members.data,
                                w->members.len, &sinks[TM_SINK_OUT]);
    }
    if (e) return e;
    st->written++;
    return TM_OK;
}

tm_error tm_job_clean(const tm_job_opts *o_in, const tm_clean_opts *co, tm_clean_stats *stats) {
    tm_job_opts o_copy;
    tm_job_opts_init(&o_copy);
    TM_TRY(tmi_opts_in(&o_copy, sizeof o_copy, o_in, "tm_job_clean"));
    const tm_job_opts *o = &o_copy;
    tmi_detail_clear();
    if (!o || !stats) return TM_ERR_ARG;
    tm_clean_opts def;
    if (!co) {
        tm_clean_opts_init(&def);
        co = &def;
    }
    memset(stats, 0, sizeof *stats);
    /* Fail on bad options before any file is opened. */
    tm_cleaner *probe = NULL;
    tm_error e = tm_cleaner_new(&probe, co);
    if (e) return e;
    tm_cleaner_free(probe);
    clean_ctx ctx = {.co = co, .total = stats};
    pthread_mutex_init(&ctx.mu, NULL);
    tm_pjob job = {.opts = o,
                   .n_sinks = 1,
                   .ctx = &ctx,
                   .worker_new = clean_worker_new,
                   .worker_free = clean_worker_free,
                   .process = clean_process};
    e = tmi_pipeline_run(&job, &stats->base);
    pthread_mutex_destroy(&ctx.mu);
    return e;
}
