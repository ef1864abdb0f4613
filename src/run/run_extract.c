/*
 * run_extract.c — the extract stage of `tamis run`: WARC and ARC inputs (and, with
 * extract.mode on, HTML files) go through tamis extract first; the shard's
 * read stage then reads extract's documents. Its removals go to the shard's
 * removed-extract file (assembled into removed/extract.jsonl), its rejects
 * to rejects-extract (into rejected.jsonl), its counts into the shard's
 * .done under "extract" and "extract_reasons" (summary.c makes the funnel
 * row of them).
 */
#include "run/run_int.h"
#include "util/buf.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

tm_error tmi_run_extract(tm_runner *R, size_t i, const char *base, tm_buf *d, char *xout,
                         int *used) {
    char xrem[PATH_MAX_LEN], rej0[PATH_MAX_LEN];
    tmi_run_path(xout, "%s.extract.jsonl.zst", base);
    tmi_run_path(xrem, "%s.removed-extract.jsonl%s", base, R->ext);
    tmi_run_path(rej0, "%s.rejects-extract.jsonl", base);
    unlink(rej0);
    unlink(xrem);
    *used = tmi_run_wants_extract(R, i);
    if (!*used) return TM_OK;
    const char *in[] = {R->inputs[i]};
    tm_job_opts j;
    tmi_run_job_base(R, &j, in, 1);
    j.output = xout;
    j.output_level = TM_RUN_WORK_LEVEL;
    j.removed = xrem;
    j.rejects = rej0;
    tm_extract_stats xs;
    memset(&xs, 0, sizeof xs);
    tmi_run_pass_begin(R, &j, "extract", i + 1, tmi_run_file_size(R->inputs[i]), 0);
    double t0 = tmi_run_now();
    tm_error e = tm_job_extract(&j, &xs);
    if (e) return tmi_run_fail(R, e, "extract %s: %s", R->inputs[i], tmi_run_detail_or(e));
    tmi_run_pass_end(R);
    e = tmi_run_put_stats(d, "extract", &xs.base, tmi_run_now() - t0);
    TM_THEN(e, tmi_buf_puts(d, ",\"extract_reasons\":"));
    TM_THEN(e, tm_extract_stats_to_json(&xs, d));
    return e;
}
