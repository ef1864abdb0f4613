/*
 * runner.c — what every stage of `tamis run` shares: the run's error detail
 * (tmi_run_fail), the job options a stage starts from, the stats block of a
 * .done file, and whether an input goes through extract. It sits below
 * run.c, run_extract.c, outputs.c, summary.c and progress.c, which all call
 * it and none of which it calls, so the files of run/ call one another one
 * way only (make check-deps).
 */
#include "run/run_int.h"

#include "io/io.h"
#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 4))) tm_error tmi_run_fail(tm_runner *R, tm_error e,
                                                            const char *fmt, ...) {
    (void)R;
    va_list ap;
    va_start(ap, fmt);
    tmi_detail_vset(fmt, ap);
    va_end(ap);
    return e;
}

const char *tmi_run_detail_or(tm_error e) {
    const char *d = tm_error_detail();
    return *d ? d : tm_strerror(e);
}

void tmi_run_job_base(tm_runner *R, tm_job_opts *j, const char **in, size_t n_in) {
    tm_job_opts_init(j);
    j->inputs = in;
    j->n_inputs = n_in;
    j->threads = R->c->threads;
    j->reader.format = (tm_format)R->c->format;
    j->reader.text_field = R->c->text_field;
    j->reader.id_field = R->c->id_field;
    j->reader.max_doc_bytes = (size_t)R->c->max_doc_bytes;
    j->progress = R->o->progress;
    j->progress_ud = R->o->progress_ud;
}

/* Later stages read tamis's own JSONL: ids exist, and the text and id stay
 * under the fields the configuration names (a JSONL input keeps its
 * members; text and WARC input become {"id","text",...}, which the default
 * fields read). */
void tmi_run_job_internal(const tm_runner *R, tm_job_opts *j) {
    j->reader.format = TM_FMT_JSONL;
    j->reader.text_field = R->c->text_field;
    j->reader.id_field = R->c->id_field;
    j->reader.max_doc_bytes = (size_t)1 << 40;
}

tm_error tmi_run_put_stats(tm_buf *b, const char *key, const tm_stats *s, double secs) {
    tm_error e = tmi_json_key(b, key, 1);
    TM_THEN(e, tm_stats_to_json(s, b));
    TM_THEN(e, tmi_buf_printf(b, ",\"%s_seconds\":%.3f", key, secs));
    return e;
}

/* Whether input i goes through extract first: a WARC or ARC input (its first
 * record says so) unless extract.mode is off; with extract.mode on, a text
 * input (HTML files) too. JSONL never: its text field is taken as text. */
int tmi_run_wants_extract(tm_runner *R, size_t i) {
    int mode = R->c->extract_mode;
    if (mode == 2) return 0;
    tm_format f = (tm_format)R->c->format;
    if (f == TM_FMT_AUTO) {
        tm_reader_opts ro;
        tm_reader_opts_init(&ro);
        tm_reader *r;
        const char *p[1] = {R->inputs[i]};
        if (tm_reader_open(&r, p, 1, &ro)) return 0;
        tm_doc doc;
        tm_error e = tm_reader_next(r, &doc);
        f = e == TM_EOF ? TM_FMT_AUTO : doc.format;
        tm_reader_close(r);
    }
    return f == TM_FMT_WARC || f == TM_FMT_ARC || (mode == 1 && f == TM_FMT_TEXT);
}
