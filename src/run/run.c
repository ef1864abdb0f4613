/*
 * run.c — `tamis run`: the whole pipeline, resumable, with a summary and a
 * report.
 *
 * Layout of OUTDIR (docs/CONFIG.md):
 *   .tamis/manifest.json      what this run is: configuration + inputs
 *   .tamis/shards/N.*         per input file: clean output, filter output,
 *                             removed and rejected records, N.done
 *   .tamis/dedup.*            the dedup stage's outputs and dedup.done
 *   kept/part-NNNNN.jsonl.zst the clean corpus, shards of bounded size
 *   removed/filter.jsonl.zst  removed by a quality rule (with the rule)
 *   removed/dedup.jsonl.zst   removed as a duplicate (with its original)
 *   rejected.jsonl            unreadable input, verbatim, with the error
 *   clusters.jsonl            duplicate clusters
 *   stats.json, report.html   the summary and the page made from it
 *                             (summary.c)
 *
 * Resumption: every stage writes its files through tm_writer (temporary
 * name, renamed when complete) and then commits with a small ".done" JSON
 * file written the same way, so a kill at any point leaves either a committed
 * stage or nothing that looks finished. A rerun skips committed shards, and
 * redoes the (cheap, corpus-wide) dedup and assembly steps unless committed.
 * Every output is a function of the committed files only, so a resumed run
 * is byte-identical to an uninterrupted one. The manifest makes a changed
 * configuration or input an error instead of a silent mix of two runs.
 * The same stages run one at a time as the tasks of a plan (--task: one
 * shard, dedup, finish; ids, plan and locks in tasks.c, docs/TASKS.md).
 */
#include "run/run_int.h"

#include "io/io.h"
#include "util/buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

__attribute__((format(printf, 2, 3))) static void say(tm_runner *R, const char *fmt, ...) {
    if (!R->o->log) return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    R->o->log(R->o->log_ud, line);
}

/* ---- manifest (manifest.c) ---- */

static tm_error check_manifest(tm_runner *R) {
    char path[PATH_MAX_LEN];
    tmi_run_path(path, "%s/manifest.json", R->work);
    tm_buf want = {0}, have = {0};
    tm_error e = tmi_run_manifest_text(R, &want);
    if (e) goto out;
    if (R->o->task && !tmi_run_exists(path)) {
        /* a task never starts a run: other tasks may be working in it */
        e = tmi_run_fail(R, TM_ERR_ARG, "no run planned in %s: run tamis run --plan first", R->dir);
        goto out;
    }
    if (R->o->restart) {
        tmi_run_wipe_outputs(R);
    } else if (tmi_run_exists(path)) {
        if ((e = tmi_run_slurp(path, &have, 1 << 24))) goto out;
        char what[400];
        if (tmi_run_manifest_diff(have.data ? have.data : "", have.len, want.data, want.len, what,
                                  sizeof what)) {
            e = tmi_run_fail(R, TM_ERR_ARG, "%s holds another run: %s; use --restart to discard it",
                             R->dir, what);
            goto out;
        }
        say(R, "resuming the run in %s", R->dir);
    } else {
        /* No manifest: a fresh run. Anything of ours lying there is stale. */
        tmi_run_wipe_outputs(R);
    }
    char sub[PATH_MAX_LEN];
    tmi_run_path(sub, "%s/shards", R->work);
    if (tmi_run_mkdirs(sub)) {
        e = tmi_run_fail(R, TM_ERR_OPEN, "cannot create %s: %s", sub, strerror(errno));
        goto out;
    }
    if (!tmi_run_exists(path)) e = tmi_run_put_file(path, want.data, want.len);
out:
    tm_buf_free(&want);
    tm_buf_free(&have);
    return e;
}

/* ---- stage 1: per input shard: read + clean, then filter ---- */

static tm_error run_shard(tm_runner *R, size_t i) {
    char done[PATH_MAX_LEN], base[PATH_MAX_LEN];
    tmi_run_path(base, "%s/shards/%05zu", R->work, i);
    tmi_run_path(done, "%s.done", base);
    if (tmi_run_exists(done)) {
        say(R, "shard %zu/%zu (%s): already done", i + 1, R->n_inputs, R->inputs[i]);
        return TM_OK;
    }
    say(R, "shard %zu/%zu: %s", i + 1, R->n_inputs, R->inputs[i]);
    char cleaned[PATH_MAX_LEN], kept[PATH_MAX_LEN], removed[PATH_MAX_LEN], rej1[PATH_MAX_LEN],
        rej2[PATH_MAX_LEN];
    tmi_run_path(cleaned, "%s.clean.jsonl.zst", base);
    tmi_run_path(kept, "%s.kept.jsonl.zst", base);
    tmi_run_path(removed, "%s.removed.jsonl%s", base, R->ext);
    tmi_run_path(rej1, "%s.rejects.jsonl", base);
    tmi_run_path(rej2, "%s.rejects-filter.jsonl", base);
    tm_buf d = {0};
    tm_error e = tmi_buf_puts(&d, "{\"input\":");
    TM_THEN(e, tmi_json_str(&d, R->inputs[i], strlen(R->inputs[i])));

    /* Extract (WARC, HTML inputs): raw pages to documents, which the read
     * stage then reads as tamis's own JSONL (run_extract.c). */
    const char *in1[] = {R->inputs[i]};
    tm_job_opts j;
    char xout[PATH_MAX_LEN];
    int use_x = 0;
    TM_THEN(e, tmi_run_extract(R, i, base, &d, xout, &use_x));
    if (e) goto out;
    if (use_x) in1[0] = xout;
    /* Read (and clean): the only stage that sees raw input (unless extract
     * did), so the only one whose rejects can be non-empty in practice. */
    tmi_run_job_base(R, &j, in1, 1);
    if (use_x) { /* extract's own JSONL: {"id","text",...} whatever the input's fields */
        tmi_run_job_internal(R, &j);
        j.reader.text_field = "text";
        j.reader.id_field = "id";
    }
    j.output = R->c->filter_enabled ? cleaned : kept;
    j.output_level = TM_RUN_WORK_LEVEL;
    j.rejects = rej1;
    unlink(rej1);
    uint64_t in_size = tmi_run_file_size(R->inputs[i]);
    tmi_run_pass_begin(R, &j, R->c->clean_enabled ? "clean" : "read", i + 1, in_size, 0);
    double t0 = tmi_run_now();
    if (!e && R->c->clean_enabled) {
        tm_clean_stats cs;
        e = tm_job_clean(&j, &R->clean, &cs);
        TM_THEN(e, tmi_run_put_stats(&d, "read", &cs.base, tmi_run_now() - t0));
        TM_THEN(e, tmi_buf_puts(&d, ",\"clean\":"));
        TM_THEN(e, tm_clean_stats_to_json(&cs, &d));
    } else if (!e) {
        tm_stats st = {0};
        e = tm_job_cat(&j, &st);
        TM_THEN(e, tmi_run_put_stats(&d, "read", &st, tmi_run_now() - t0));
    }
    if (e) {
        e = tmi_run_fail(R, e, "%s: %s", R->inputs[i], tmi_run_detail_or(e));
        goto out;
    }
    tmi_run_pass_end(R);
    if (R->c->filter_enabled) {
        const char *in2[] = {cleaned};
        tmi_run_job_base(R, &j, in2, 1);
        tmi_run_job_internal(R, &j);
        j.output = kept;
        j.output_level = TM_RUN_WORK_LEVEL;
        j.removed = removed;
        j.rejects = rej2;
        unlink(rej2);
        tm_filter_opts fo;
        tm_filter_opts_init(&fo);
        fo.filter = R->filter;
        fo.explain = 1;
        fo.lang_sample = (size_t)R->c->filter_lang_sample;
        tm_filter_stats fs;
        memset(&fs, 0, sizeof fs);
        tmi_run_pass_begin(R, &j, "filter", i + 1, in_size, 0);
        t0 = tmi_run_now();
        e = tm_job_filter(&j, &fo, &fs);
        if (e) {
            e = tmi_run_fail(R, e, "filter %s: %s", R->inputs[i], tmi_run_detail_or(e));
            goto out;
        }
        tmi_run_pass_end(R);
        e = tmi_run_put_stats(&d, "filter", &fs.base, tmi_run_now() - t0);
        TM_THEN(e, tmi_buf_puts(&d, ",\"filter_rules\":"));
        TM_THEN(e, tm_filter_stats_to_json(&fs, &d));
        unlink(cleaned);
    }
    if (use_x) unlink(xout);
    TM_THEN(e, tmi_buf_puts(&d, "}\n"));
    TM_THEN(e, tmi_run_put_file(done, d.data, d.len));
out:
    tm_buf_free(&d);
    return e;
}

/* ---- stage 2: corpus-wide dedup, then kept shards of bounded size ---- */

/* Writes the deduplicated corpus src as kept/part-NNNNN shards of at most
 * output.shard_bytes (cut between documents). The filter's per-rule
 * verdicts, which the summary reads from src, are dropped from the kept
 * documents unless output.explain: they would double the corpus. */
static tm_error split_kept(tm_runner *R, const char *src) {
    char kdir[PATH_MAX_LEN];
    tmi_run_path(kdir, "%s/kept", R->dir);
    tmi_run_remove_tree(kdir);
    if (tmi_run_mkdirs(kdir)) return tmi_run_fail(R, TM_ERR_OPEN, "cannot create %s", kdir);
    tm_reader_opts ro;
    tm_reader_opts_init(&ro);
    ro.format = TM_FMT_JSONL;
    ro.text_field = R->c->text_field;
    ro.id_field = R->c->id_field;
    ro.max_doc_bytes = (size_t)1 << 40;
    tm_reader *rd;
    const char *in[] = {src};
    tm_error e = tm_reader_open(&rd, in, 1, &ro);
    if (e) return tmi_run_fail(R, e, "cannot read %s", src);
    static const char strip[] = "\"verdicts\":null";
    const char *mem = R->c->output_explain ? NULL : strip;
    size_t mem_len = mem ? sizeof strip - 1 : 0;
    tm_writer *w = NULL;
    int part = 0;
    uint64_t in_part = 0;
    tm_buf line = {0};
    tm_doc doc;
    tm_error r;
    while (!e && (r = tm_reader_next(rd, &doc)) != TM_EOF) {
        if (r) {
            /* tamis wrote this file itself: a record it cannot read is a bug */
            e = tmi_run_fail(R, TM_ERR_INTERNAL, "%s:%llu: %s", src, (unsigned long long)doc.line,
                             tm_strerror(r));
            break;
        }
        if (w && in_part >= R->c->shard_bytes) {
            e = tm_writer_close(w);
            w = NULL;
        }
        if (!e && !w) {
            char p[PATH_MAX_LEN];
            tmi_run_path(p, "%s/part-%05d.jsonl%s", kdir, part++, R->ext);
            e = tm_writer_open(&w, p);
            in_part = 0;
        }
        tmi_buf_reset(&line);
        TM_THEN(e, tm_doc_to_jsonl(&doc, NULL, 0, mem, mem_len, &line));
        TM_THEN(e, tm_writer_write(w, line.data, line.len));
        in_part += line.len;
    }
    if (w) {
        if (e)
            tm_writer_abort(w);
        else
            e = tm_writer_close(w);
    }
    tm_buf_free(&line);
    tm_reader_close(rd);
    return e;
}

static tm_error run_dedup(tm_runner *R) {
    char done[PATH_MAX_LEN], kept[PATH_MAX_LEN], removed[PATH_MAX_LEN], clusters[PATH_MAX_LEN],
        rej[PATH_MAX_LEN];
    tmi_run_path(done, "%s/dedup.done", R->work);
    if (tmi_run_exists(done)) {
        say(R, "dedup: already done");
        return TM_OK;
    }
    tmi_run_path(kept, "%s/dedup.kept.jsonl.zst", R->work);
    tmi_run_path(removed, "%s/dedup.removed.jsonl%s", R->work, R->ext);
    tmi_run_path(clusters, "%s/dedup.clusters.jsonl", R->work);
    tmi_run_path(rej, "%s/dedup.rejects.jsonl", R->work);
    unlink(rej);
    const char **in = calloc(R->n_inputs ? R->n_inputs : 1, sizeof *in);
    char(*paths)[PATH_MAX_LEN] = calloc(R->n_inputs ? R->n_inputs : 1, PATH_MAX_LEN);
    if (!in || !paths) {
        free(in);
        free(paths);
        return TM_ERR_NOMEM;
    }
    for (size_t i = 0; i < R->n_inputs; i++) {
        tmi_run_path(paths[i], "%s/shards/%05zu.kept.jsonl.zst", R->work, i);
        in[i] = paths[i];
    }
    tm_job_opts j;
    tmi_run_job_base(R, &j, in, R->n_inputs);
    tmi_run_job_internal(R, &j);
    j.output = kept;
    j.output_level = TM_RUN_WORK_LEVEL;
    j.removed = removed;
    j.rejects = rej;
    tm_buf d = {0};
    tm_error e = TM_OK;
    uint64_t all = 0;
    for (size_t i = 0; i < R->n_inputs; i++) all += tmi_run_file_size(R->inputs[i]);
    tmi_run_pass_begin(R, &j, R->c->dedup_enabled ? "dedup pass 1" : "gather", 0, all,
                       R->c->dedup_enabled);
    double t0 = tmi_run_now();
    say(R, "dedup: %zu shards", R->n_inputs);
    if (R->c->dedup_enabled) {
        tm_dedup_opts dd = R->dedup;
        dd.clusters = clusters;
        char tmp[PATH_MAX_LEN];
        tmi_run_path(tmp, "%s", R->work);
        if (!dd.tmp_dir || !*dd.tmp_dir) dd.tmp_dir = tmp;
        tm_dedup_stats ds;
        memset(&ds, 0, sizeof ds);
        e = tm_job_dedup(&j, &dd, &ds);
        TM_THEN(e, tmi_buf_puts(&d, "{"));
        TM_THEN(e, tmi_run_put_stats(&d, "dedup", &ds.ledger, tmi_run_now() - t0));
        TM_THEN(e, tmi_buf_puts(&d, ",\"dedup_detail\":"));
        TM_THEN(e, tm_dedup_stats_to_json(&ds, &d));
    } else {
        tm_stats st = {0};
        e = tm_job_cat(&j, &st);
        TM_THEN(e, tmi_buf_puts(&d, "{"));
        TM_THEN(e, tmi_run_put_stats(&d, "dedup", &st, tmi_run_now() - t0));
    }
    free(in);
    free(paths);
    if (e) {
        tm_buf_free(&d);
        return tmi_run_fail(R, e, "dedup: %s", tmi_run_detail_or(e));
    }
    tmi_run_pass_end(R);
    /* put_stats starts with a comma; drop the one after "{". */
    if (d.len > 1 && d.data[1] == ',') memmove(d.data + 1, d.data + 2, d.len-- - 1);
    say(R, "writing kept shards");
    TM_THEN(e, split_kept(R, kept));
    TM_THEN(e, tmi_buf_puts(&d, "}\n"));
    TM_THEN(e, tmi_run_put_file(done, d.data, d.len));
    tm_buf_free(&d);
    return e;
}

/* ---- stage 3: assembly of removed/, rejected.jsonl, clusters.jsonl ---- */

static tm_error assemble(tm_runner *R) {
    char rdir[PATH_MAX_LEN];
    tmi_run_path(rdir, "%s/removed", R->dir);
    if (tmi_run_mkdirs(rdir)) return tmi_run_fail(R, TM_ERR_OPEN, "cannot create %s", rdir);
    size_t n = R->n_inputs;
    char(*p)[PATH_MAX_LEN] = calloc(3 * n + 2, PATH_MAX_LEN);
    const char **src = calloc(3 * n + 2, sizeof *src);
    tm_error e = p && src ? TM_OK : TM_ERR_NOMEM;
    char dst[PATH_MAX_LEN];
    if (!e) {
        for (size_t i = 0; i < n; i++) {
            tmi_run_path(p[i], "%s/shards/%05zu.removed.jsonl%s", R->work, i, R->ext);
            src[i] = p[i];
        }
        tmi_run_path(dst, "%s/filter.jsonl%s", rdir, R->ext);
        e = tmi_run_write_removed(R, src, n, dst, "filter");
    }
    if (!e && R->c->extract_mode != 2) {
        for (size_t i = 0; i < n; i++) {
            tmi_run_path(p[i], "%s/shards/%05zu.removed-extract.jsonl%s", R->work, i, R->ext);
            src[i] = p[i];
        }
        tmi_run_path(dst, "%s/extract.jsonl%s", rdir, R->ext);
        e = tmi_run_write_removed(R, src, n, dst, "extract");
    }
    if (!e) {
        tmi_run_path(p[0], "%s/dedup.removed.jsonl%s", R->work, R->ext);
        src[0] = p[0];
        tmi_run_path(dst, "%s/dedup.jsonl%s", rdir, R->ext);
        e = tmi_run_write_removed(R, src, 1, dst, "dedup");
    }
    if (!e) {
        for (size_t i = 0; i < n; i++) {
            tmi_run_path(p[3 * i], "%s/shards/%05zu.rejects-extract.jsonl", R->work, i);
            tmi_run_path(p[3 * i + 1], "%s/shards/%05zu.rejects.jsonl", R->work, i);
            tmi_run_path(p[3 * i + 2], "%s/shards/%05zu.rejects-filter.jsonl", R->work, i);
            src[3 * i] = p[3 * i];
            src[3 * i + 1] = p[3 * i + 1];
            src[3 * i + 2] = p[3 * i + 2];
        }
        tmi_run_path(p[3 * n], "%s/dedup.rejects.jsonl", R->work);
        src[3 * n] = p[3 * n];
        tmi_run_path(dst, "%s/rejected.jsonl", R->dir);
        e = tmi_run_concat_into(dst, src, 3 * n + 1);
    }
    if (!e) {
        tmi_run_path(p[0], "%s/dedup.clusters.jsonl", R->work);
        src[0] = p[0];
        tmi_run_path(dst, "%s/clusters.jsonl", R->dir);
        e = tmi_run_concat_into(dst, src, 1);
    }
    free(p);
    free(src);
    return e;
}

/* ---- setup from the configuration ---- */

static tm_error prepare(tm_runner *R) {
    const tm_run_config *c = R->c;
    static const char *const exts[] = {".zst", ".gz", ""};
    R->ext = exts[c->compression];
    /* the same translation as the single commands' (options_jobs.c) */
    tm_error e = tm_options_filter(c, TM_CMD_RUN, &R->filter);
    TM_THEN(e, tm_options_clean(c, &R->clean));
    TM_THEN(e, tm_options_dedup(c, TM_CMD_RUN, &R->dedup));
    /* cut at 255 bytes, as the options' message always was here */
    if (e) return tmi_run_fail(R, e, "%.255s", tm_error_detail());
    if (c->shard_bytes < 1024) return tmi_run_fail(R, TM_ERR_ARG, "output.shard_bytes is below 1K");
    return TM_OK;
}

static tm_error expand_inputs(tm_runner *R) {
    for (size_t i = 0; i < R->o->n_inputs; i++)
        if (!strcmp(R->o->inputs[i], "-"))
            return tmi_run_fail(
                R, TM_ERR_ARG,
                "tamis run reads files (it resumes, so it must read its inputs again); "
                "save standard input to a file first");
    tm_reader *rd;
    tm_reader_opts ro;
    tm_reader_opts_init(&ro);
    tm_error e = tm_reader_open(&rd, R->o->inputs, R->o->n_inputs, &ro);
    if (e) return tmi_run_fail(R, e, "cannot open the inputs");
    R->n_inputs = tm_reader_n_inputs(rd);
    R->inputs = calloc(R->n_inputs ? R->n_inputs : 1, sizeof *R->inputs);
    if (!R->inputs) e = TM_ERR_NOMEM;
    for (size_t i = 0; !e && i < R->n_inputs; i++)
        if (!(R->inputs[i] = strdup(tm_reader_input(rd, i)))) e = TM_ERR_NOMEM;
    tm_reader_close(rd);
    if (!e && R->n_inputs == 0) e = tmi_run_fail(R, TM_ERR_ARG, "no input files");
    /* before OUTDIR is made: a failed run leaves nothing behind */
    for (size_t i = 0; !e && i < R->n_inputs; i++) {
        struct stat st;
        if (stat(R->inputs[i], &st) != 0 || access(R->inputs[i], R_OK) != 0)
            e = tmi_run_fail(R, TM_ERR_OPEN, "cannot read %s: %s", R->inputs[i], strerror(errno));
    }
    return e;
}

void tm_run_opts_init(tm_run_opts *o) {
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
}

tm_error tm_job_run(const tm_run_config *c, const tm_run_opts *o_in, tm_stats *ledger) {
    tm_run_opts o_copy;
    tm_run_opts_init(&o_copy);
    TM_TRY(tmi_opts_in(&o_copy, sizeof o_copy, o_in, "tm_job_run"));
    const tm_run_opts *o = &o_copy;
    tmi_detail_clear();
    tm_runner R;
    memset(&R, 0, sizeof R);
    R.c = c;
    R.o = o;
    memset(ledger, 0, sizeof *ledger);
    if (!o->outdir || !*o->outdir) return tmi_run_fail(&R, TM_ERR_ARG, "no output directory");
    snprintf(R.dir, sizeof R.dir, "%s", o->outdir);
    tmi_run_path(R.work, "%s/.tamis", R.dir);
    tm_error e = prepare(&R);
    TM_THEN(e, expand_inputs(&R));
    if (!e && tmi_run_mkdirs(R.dir))
        e = tmi_run_fail(&R, TM_ERR_OPEN, "cannot create %s: %s", R.dir, strerror(errno));
    /* One run per directory at a time: two would interleave their commits;
     * shard tasks of one run are the exception (tasks.c). The locks die
     * with the process, so a killed run never blocks. */
    int kind = TM_TASK_RUN, lock = -1, slock = -1;
    size_t shard = 0;
    if (!e && o->task && (o->plan || o->restart))
        e = tmi_run_fail(&R, TM_ERR_ARG, "a task (--task) cannot %s",
                         o->plan ? "plan" : "restart the run");
    if (!e && o->task) e = tmi_run_task_parse(&R, o->task, &kind, &shard);
    TM_THEN(e, tmi_run_lock(&R, kind, shard, &lock, &slock));
    if (!e && kind == TM_TASK_SHARD)
        tmi_run_sweep_shard(&R, shard);
    else if (!e)
        tmi_run_sweep_temporaries(&R);
    TM_THEN(e, check_manifest(&R));
    if (!e && o->plan) e = tmi_run_plan_json(&R, o->plan_out);
    /* A finished run is committed by run.done; its work files are gone,
     * and running it (or any of its tasks) again only says so. */
    char fin[PATH_MAX_LEN];
    tmi_run_path(fin, "%s/run.done", R.work);
    int finished = !e && !o->plan && tmi_run_exists(fin);
    if (finished) {
        say(&R, "the run in %s is finished", R.dir);
        e = tmi_run_ledger(&R, ledger);
    }
    if (!e && !finished && !o->plan) {
        if (kind == TM_TASK_RUN) tmi_run_plan_progress(&R);
        for (size_t i = 0; !e && kind == TM_TASK_RUN && i < R.n_inputs; i++) e = run_shard(&R, i);
        if (kind == TM_TASK_SHARD) TM_THEN(e, run_shard(&R, shard));
        if (kind == TM_TASK_DEDUP) TM_THEN(e, tmi_run_task_ready(&R, kind));
        if (kind == TM_TASK_RUN || kind == TM_TASK_DEDUP) TM_THEN(e, run_dedup(&R));
        if (kind == TM_TASK_FINISH) TM_THEN(e, tmi_run_task_ready(&R, kind));
        if (kind == TM_TASK_RUN || kind == TM_TASK_FINISH) {
            if (!e) say(&R, "assembling outputs");
            TM_THEN(e, assemble(&R));
            TM_THEN(e, tmi_run_write_summary(&R, ledger));
            TM_THEN(e, tmi_run_put_file(fin, "{}\n", 3));
            if (!e) tmi_run_drop_work_files(&R);
        }
    }
    if (slock >= 0) close(slock);
    if (lock >= 0) close(lock);
    tm_filter_free(R.filter);
    for (size_t i = 0; i < R.n_inputs; i++) free(R.inputs[i]);
    free(R.inputs);
    return e;
}
