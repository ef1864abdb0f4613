/*
 * progress.c — the progress of a whole `tamis run` (tm_run_progress): which
 * pass runs, its own counters, and the run's work done and left in input
 * bytes, so that the command line can show one true ETA across all passes.
 */
#include "run/run_int.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The job's per-batch progress turned into the run's: pass-local counters
 * and the run's work done (committed passes plus this pass's fraction of
 * its weight). tm_job_dedup reads its inputs twice through one callback:
 * the bytes dropping back says pass 2 began. */
static void pass_progress(void *ud, uint64_t docs, uint64_t bytes, uint64_t total) {
    tm_runner *R = ud;
    tm_run_progress *p = &R->prog;
    if (R->prog_dedup && bytes < R->prog_last && !strcmp(R->prog_stage, "dedup pass 1")) {
        R->prog_base += R->prog_weight;
        snprintf(R->prog_stage, sizeof R->prog_stage, "dedup pass 2");
        p->new_pass = 1;
        R->prog_t0 = tmi_run_now();
    }
    R->prog_last = bytes;
    p->stage = R->prog_stage;
    p->docs = docs;
    p->bytes = bytes;
    p->bytes_total = total;
    double f = total ? (double)bytes / (double)total : 0;
    if (f > 1) f = 1;
    p->job_done = R->prog_base + (uint64_t)(f * (double)R->prog_weight);
    p->pass_seconds = tmi_run_now() - R->prog_t0;
    p->run_seconds = tmi_run_now() - R->prog_run_t0;
    R->o->run_progress(R->o->progress_ud, p);
    p->new_pass = 0;
}

/* A pass begins: its name, shard and weight; j reports through it. */
void tmi_run_pass_begin(tm_runner *R, tm_job_opts *j, const char *stage, size_t shard,
                        uint64_t weight, int dedup) {
    if (!R->o->run_progress) return;
    snprintf(R->prog_stage, sizeof R->prog_stage, "%s", stage);
    R->prog.stage = R->prog_stage;
    R->prog.shard = shard ? shard : 0;
    R->prog.n_shards = R->n_inputs;
    R->prog.input = shard ? R->inputs[shard - 1] : NULL;
    R->prog.new_pass = 1;
    R->prog_weight = weight;
    R->prog_last = 0;
    R->prog_dedup = dedup;
    R->prog_t0 = tmi_run_now();
    j->progress = pass_progress;
    j->progress_ud = R;
}

void tmi_run_pass_end(tm_runner *R) {
    R->prog_base += R->prog_weight;
    R->prog_weight = 0;
}

uint64_t tmi_run_file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* The run's work still to do, in input bytes (shards committed before are
 * left out, so that a resumed run's ETA is about what it still reads). */
void tmi_run_plan_progress(tm_runner *R) {
    uint64_t total = 0, all = 0;
    for (size_t i = 0; i < R->n_inputs; i++) {
        char done[PATH_MAX_LEN];
        tmi_run_path(done, "%s/shards/%05zu.done", R->work, i);
        uint64_t sz = tmi_run_file_size(R->inputs[i]);
        all += sz;
        if (!tmi_run_exists(done))
            total += sz * ((R->c->filter_enabled ? 2 : 1) + (tmi_run_wants_extract(R, i) ? 1 : 0));
    }
    char done[PATH_MAX_LEN];
    tmi_run_path(done, "%s/dedup.done", R->work);
    if (!tmi_run_exists(done)) total += all * (R->c->dedup_enabled ? 2 : 1);
    R->prog.job_total = total;
    R->prog_base = 0;
    R->prog_run_t0 = tmi_run_now();
}
