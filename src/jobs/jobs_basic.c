/*
 * jobs_basic.c — the two jobs every other one builds on: `cat` (any input to
 * normalised JSONL) and `stats` (counts only: engine/stats.c counts).
 */
#include "engine/pipeline.h"

#include "text/text.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

/* ---- cat ---- */

static tm_error cat_process(void *ws, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    (void)ws;
    tm_error e = tm_doc_to_jsonl(doc, NULL, 0, NULL, 0, &sinks[TM_SINK_OUT]);
    if (e) return e;
    st->written++;
    return TM_OK;
}

tm_error tm_job_cat(const tm_job_opts *o_in, tm_stats *stats) {
    tm_job_opts o_copy;
    tm_job_opts_init(&o_copy);
    TM_TRY(tmi_opts_in(&o_copy, sizeof o_copy, o_in, "tm_job_cat"));
    const tm_job_opts *o = &o_copy;
    tmi_detail_clear();
    tm_pjob job = {.opts = o, .n_sinks = 1, .process = cat_process};
    return tmi_pipeline_run(&job, stats);
}

/* ---- stats ---- */

static void *stats_worker_new(void *ctx) {
    (void)ctx;
    return calloc(1, sizeof(tm_spans));
}

static void stats_worker_free(void *ws) {
    tmi_spans_free(ws);
    free(ws);
}

static tm_error stats_process(void *ws, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    (void)sinks;
    tmi_stats_add_content(st, doc, ws);
    return TM_OK;
}

tm_error tm_job_stats(const tm_job_opts *o_in, tm_stats *stats) {
    tm_job_opts o_copy;
    tm_job_opts_init(&o_copy);
    TM_TRY(tmi_opts_in(&o_copy, sizeof o_copy, o_in, "tm_job_stats"));
    const tm_job_opts *o = &o_copy;
    tmi_detail_clear();
    tm_pjob job = {.opts = o,
                   .n_sinks = 1,
                   .worker_new = stats_worker_new,
                   .worker_free = stats_worker_free,
                   .process = stats_process,
                   .count_as_written = 1,
                   .no_output = 1,
                   /* a read-only job writes nothing it was not asked for */
                   .discard_rejects = !(o->rejects && *o->rejects)};
    return tmi_pipeline_run(&job, stats);
}
