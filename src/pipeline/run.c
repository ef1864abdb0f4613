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
 *
 * Resumption: every stage writes its files through tm_writer (temporary
 * name, renamed when complete) and then commits with a small ".done" JSON
 * file written the same way, so a kill at any point leaves either a committed
 * stage or nothing that looks finished. A rerun skips committed shards, and
 * redoes the (cheap, corpus-wide) dedup and assembly steps unless committed.
 * Every output is a function of the committed files only, so a resumed run
 * is byte-identical to an uninterrupted one. The manifest makes a changed
 * configuration or input an error instead of a silent mix of two runs.
 */
#include "pipeline/run_int.h"

#include "util/buf.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#define PATH_MAX_LEN 4096

typedef struct runner {
    const tm_run_config *c;
    const tm_run_opts *o;
    char dir[PATH_MAX_LEN];  /* outdir */
    char work[PATH_MAX_LEN]; /* outdir/.tamis */
    const char *ext;         /* ".zst", ".gz" or "" */
    char **inputs;
    size_t n_inputs;
    tm_filter *filter;
    tm_clean_opts clean;
    tm_dedup_opts dedup;
} runner;

__attribute__((format(printf, 2, 3))) static void say(runner *R, const char *fmt, ...) {
    if (!R->o->log) return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    R->o->log(R->o->log_ud, line);
}

__attribute__((format(printf, 3, 4))) static tm_error fail(runner *R, tm_error e, const char *fmt,
                                                             ...) {
    if (R->o->err_detail && R->o->err_detail_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(R->o->err_detail, R->o->err_detail_size, fmt, ap);
        va_end(ap);
    }
    return e;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void pathf(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pathf(char *out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, PATH_MAX_LEN, fmt, ap);
    va_end(ap);
}

static int exists(const char *p) { return access(p, F_OK) == 0; }

static tm_error mkdirs(const char *path) {
    char tmp[PATH_MAX_LEN];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return TM_ERR_OPEN;
        *p = '/';
    }
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return TM_ERR_OPEN;
    return TM_OK;
}

/* Reads a whole small file (manifest, .done, stats) into b. */
static tm_error slurp(const char *path, tm_buf *b, size_t cap) {
    FILE *f = fopen(path, "rb");
    if (!f) return TM_ERR_OPEN;
    char chunk[65536];
    size_t n;
    tm_error e = TM_OK;
    while (!e && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b->len + n > cap) e = TM_ERR_TOO_BIG;
        if (!e) e = tm_buf_append(b, chunk, n);
    }
    if (!e && ferror(f)) e = TM_ERR_IO;
    fclose(f);
    return e;
}

/* Writes data to path atomically (tm_writer: temporary name, rename). */
static tm_error put_file(const char *path, const char *data, size_t n) {
    tm_writer *w;
    tm_error e = tm_writer_open(&w, path);
    if (e) return e;
    if ((e = tm_writer_write(w, data, n))) {
        tm_writer_abort(w);
        return e;
    }
    return tm_writer_close(w);
}

/* Appends the bytes of src (if it exists) to w. Concatenated gzip members
 * and zstd frames are valid streams, so compressed shards join as bytes. */
static tm_error append_file(tm_writer *w, const char *src) {
    FILE *f = fopen(src, "rb");
    if (!f) return errno == ENOENT ? TM_OK : TM_ERR_OPEN;
    char *buf = malloc(1 << 20);
    tm_error e = buf ? TM_OK : TM_ERR_NOMEM;
    size_t n;
    while (!e && (n = fread(buf, 1, 1 << 20, f)) > 0) e = tm_writer_write(w, buf, n);
    if (!e && ferror(f)) e = TM_ERR_IO;
    free(buf);
    fclose(f);
    return e;
}

/* Removes what a previous run left in outdir (only tamis's own names). */
static void remove_tree(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
                char child[PATH_MAX_LEN];
                pathf(child, "%s/%s", path, de->d_name);
                remove_tree(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void wipe_outputs(runner *R) {
    static const char *names[] = {".tamis",         "kept",        "removed",    "rejected.jsonl",
                                  "clusters.jsonl", "stats.json", "report.html"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char p[PATH_MAX_LEN];
        pathf(p, "%s/%s", R->dir, names[i]);
        remove_tree(p);
    }
}

/* ---- manifest ---- */

static tm_error manifest_text(runner *R, tm_buf *m) {
    tm_buf cfg = {0};
    tm_error e = tm_run_config_yaml(R->c, 1, &cfg);
    if (!e) e = tm_buf_puts(m, "{\"tamis_version\":");
    if (!e) e = tm_json_str(m, tm_version(), strlen(tm_version()));
    if (!e) e = tm_buf_puts(m, ",\"config\":");
    if (!e) e = tm_json_str(m, cfg.data ? cfg.data : "", cfg.len);
    if (!e) e = tm_buf_puts(m, ",\"inputs\":[");
    for (size_t i = 0; i < R->n_inputs && !e; i++) {
        struct stat st;
        if (stat(R->inputs[i], &st) != 0) {
            e = fail(R, TM_ERR_OPEN, "cannot read %s: %s", R->inputs[i], strerror(errno));
            break;
        }
        e = tm_buf_puts(m, i ? ",{\"path\":" : "{\"path\":");
        if (!e) e = tm_json_str(m, R->inputs[i], strlen(R->inputs[i]));
        if (!e)
            e = tm_buf_printf(m, ",\"size\":%lld,\"mtime\":%lld.%09ld}", (long long)st.st_size,
                              (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
    }
    if (!e) e = tm_buf_puts(m, "]}\n");
    tm_buf_free(&cfg);
    return e;
}

static tm_error check_manifest(runner *R) {
    char path[PATH_MAX_LEN];
    pathf(path, "%s/manifest.json", R->work);
    tm_buf want = {0}, have = {0};
    tm_error e = manifest_text(R, &want);
    if (e) goto out;
    if (R->o->restart) {
        wipe_outputs(R);
    } else if (exists(path)) {
        if ((e = slurp(path, &have, 1 << 24))) goto out;
        if (have.len != want.len || memcmp(have.data, want.data, want.len)) {
            e = fail(R, TM_ERR_ARG,
                     "%s holds a run with another configuration or other inputs; "
                     "use --restart to discard it",
                     R->dir);
            goto out;
        }
        say(R, "resuming the run in %s", R->dir);
    } else {
        /* No manifest: a fresh run. Anything of ours lying there is stale. */
        wipe_outputs(R);
    }
    char sub[PATH_MAX_LEN];
    pathf(sub, "%s/shards", R->work);
    if (mkdirs(sub)) {
        e = fail(R, TM_ERR_OPEN, "cannot create %s: %s", sub, strerror(errno));
        goto out;
    }
    if (!exists(path)) e = put_file(path, want.data, want.len);
out:
    tm_buf_free(&want);
    tm_buf_free(&have);
    return e;
}

/* ---- stage 1: per input shard: read + clean, then filter ---- */

static void job_base(runner *R, tm_job_opts *j, const char **in, size_t n_in, char *err,
                     size_t err_size) {
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
    j->err_detail = err;
    j->err_detail_size = err_size;
}

/* Later stages read tamis's own JSONL: the text is under "text", ids exist. */
static void job_internal(tm_job_opts *j) {
    j->reader.format = TM_FMT_JSONL;
    j->reader.text_field = "text";
    j->reader.id_field = "id";
    j->reader.max_doc_bytes = (size_t)1 << 40;
}

static tm_error put_stats(tm_buf *b, const char *key, const tm_stats *s, double secs) {
    tm_error e = tm_json_key(b, key, 1);
    if (!e) e = tm_stats_to_json(s, b);
    if (!e) e = tm_buf_printf(b, ",\"%s_seconds\":%.3f", key, secs);
    return e;
}

static tm_error run_shard(runner *R, size_t i) {
    char done[PATH_MAX_LEN], base[PATH_MAX_LEN];
    pathf(base, "%s/shards/%05zu", R->work, i);
    pathf(done, "%s.done", base);
    if (exists(done)) {
        say(R, "shard %zu/%zu (%s): already done", i + 1, R->n_inputs, R->inputs[i]);
        return TM_OK;
    }
    say(R, "shard %zu/%zu: %s", i + 1, R->n_inputs, R->inputs[i]);
    char cleaned[PATH_MAX_LEN], kept[PATH_MAX_LEN], removed[PATH_MAX_LEN], rej1[PATH_MAX_LEN],
        rej2[PATH_MAX_LEN];
    pathf(cleaned, "%s.clean.jsonl.zst", base);
    pathf(kept, "%s.kept.jsonl.zst", base);
    pathf(removed, "%s.removed.jsonl%s", base, R->ext);
    pathf(rej1, "%s.rejects.jsonl", base);
    pathf(rej2, "%s.rejects-filter.jsonl", base);
    char err[512] = "";
    tm_buf d = {0};
    tm_error e = tm_buf_puts(&d, "{\"input\":");
    if (!e) e = tm_json_str(&d, R->inputs[i], strlen(R->inputs[i]));

    /* Read (and clean): the only stage that sees raw input, so the only one
     * whose rejects can be non-empty in practice. */
    const char *in1[] = {R->inputs[i]};
    tm_job_opts j;
    job_base(R, &j, in1, 1, err, sizeof err);
    j.output = R->c->filter_enabled ? cleaned : kept;
    j.rejects = rej1;
    unlink(rej1);
    double t0 = now();
    if (!e && R->c->clean_enabled) {
        tm_clean_stats cs;
        e = tm_job_clean(&j, &R->clean, &cs);
        if (!e) e = put_stats(&d, "read", &cs.base, now() - t0);
        if (!e) e = tm_buf_puts(&d, ",\"clean\":");
        if (!e) e = tm_clean_stats_to_json(&cs, &d);
    } else if (!e) {
        tm_stats st = {0};
        e = tm_job_cat(&j, &st);
        if (!e) e = put_stats(&d, "read", &st, now() - t0);
    }
    if (e) {
        e = fail(R, e, "%s: %s", R->inputs[i], err[0] ? err : tm_strerror(e));
        goto out;
    }
    if (R->c->filter_enabled) {
        const char *in2[] = {cleaned};
        job_base(R, &j, in2, 1, err, sizeof err);
        job_internal(&j);
        j.output = kept;
        j.removed = removed;
        j.rejects = rej2;
        unlink(rej2);
        tm_filter_opts fo = {.filter = R->filter, .explain = 1,
                             .lang_sample = (size_t)R->c->filter_lang_sample};
        tm_filter_stats fs;
        memset(&fs, 0, sizeof fs);
        t0 = now();
        e = tm_job_filter(&j, &fo, &fs);
        if (e) {
            e = fail(R, e, "filter %s: %s", R->inputs[i], err[0] ? err : tm_strerror(e));
            goto out;
        }
        e = put_stats(&d, "filter", &fs.base, now() - t0);
        if (!e) e = tm_buf_puts(&d, ",\"filter_rules\":");
        if (!e) e = tm_filter_stats_to_json(&fs, &d);
        unlink(cleaned);
    }
    if (!e) e = tm_buf_puts(&d, "}\n");
    if (!e) e = put_file(done, d.data, d.len);
out:
    tm_buf_free(&d);
    return e;
}

/* ---- stage 2: corpus-wide dedup, then kept shards of bounded size ---- */

static tm_error split_kept(runner *R, const char *src) {
    char kdir[PATH_MAX_LEN];
    pathf(kdir, "%s/kept", R->dir);
    remove_tree(kdir);
    if (mkdirs(kdir)) return fail(R, TM_ERR_OPEN, "cannot create %s", kdir);
    FILE *f = fopen(src, "rb");
    if (!f) return fail(R, TM_ERR_OPEN, "cannot read %s", src);
    tm_writer *w = NULL;
    int part = 0;
    uint64_t in_part = 0;
    tm_error e = TM_OK;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (!e && (n = getline(&line, &cap, f)) > 0) {
        if (w && in_part >= R->c->shard_bytes) {
            e = tm_writer_close(w);
            w = NULL;
        }
        if (!e && !w) {
            char p[PATH_MAX_LEN];
            pathf(p, "%s/part-%05d.jsonl%s", kdir, part++, R->ext);
            e = tm_writer_open(&w, p);
            in_part = 0;
        }
        if (!e) e = tm_writer_write(w, line, (size_t)n);
        in_part += (uint64_t)n;
    }
    if (!e && ferror(f)) e = TM_ERR_IO;
    if (w) {
        if (e)
            tm_writer_abort(w);
        else
            e = tm_writer_close(w);
    }
    free(line);
    fclose(f);
    return e;
}

static tm_error run_dedup(runner *R) {
    char done[PATH_MAX_LEN], kept[PATH_MAX_LEN], removed[PATH_MAX_LEN], clusters[PATH_MAX_LEN],
        rej[PATH_MAX_LEN];
    pathf(done, "%s/dedup.done", R->work);
    if (exists(done)) {
        say(R, "dedup: already done");
        return TM_OK;
    }
    pathf(kept, "%s/dedup.kept.jsonl", R->work);
    pathf(removed, "%s/dedup.removed.jsonl%s", R->work, R->ext);
    pathf(clusters, "%s/dedup.clusters.jsonl", R->work);
    pathf(rej, "%s/dedup.rejects.jsonl", R->work);
    unlink(rej);
    const char **in = calloc(R->n_inputs ? R->n_inputs : 1, sizeof *in);
    char (*paths)[PATH_MAX_LEN] = calloc(R->n_inputs ? R->n_inputs : 1, PATH_MAX_LEN);
    if (!in || !paths) {
        free(in);
        free(paths);
        return TM_ERR_NOMEM;
    }
    for (size_t i = 0; i < R->n_inputs; i++) {
        pathf(paths[i], "%s/shards/%05zu.kept.jsonl.zst", R->work, i);
        in[i] = paths[i];
    }
    char err[512] = "";
    tm_job_opts j;
    job_base(R, &j, in, R->n_inputs, err, sizeof err);
    job_internal(&j);
    j.output = kept;
    j.removed = removed;
    j.rejects = rej;
    tm_buf d = {0};
    tm_error e = TM_OK;
    double t0 = now();
    say(R, "dedup: %zu shards", R->n_inputs);
    if (R->c->dedup_enabled) {
        tm_dedup_opts dd = R->dedup;
        dd.clusters = clusters;
        char tmp[PATH_MAX_LEN];
        pathf(tmp, "%s", R->work);
        if (!dd.tmp_dir || !*dd.tmp_dir) dd.tmp_dir = tmp;
        tm_dedup_stats ds;
        memset(&ds, 0, sizeof ds);
        e = tm_job_dedup(&j, &dd, &ds);
        if (!e) e = tm_buf_puts(&d, "{");
        if (!e) e = put_stats(&d, "dedup", &ds.ledger, now() - t0);
        if (!e) e = tm_buf_puts(&d, ",\"dedup_detail\":");
        if (!e) e = tm_dedup_stats_to_json(&ds, &d);
    } else {
        tm_stats st = {0};
        e = tm_job_cat(&j, &st);
        if (!e) e = tm_buf_puts(&d, "{");
        if (!e) e = put_stats(&d, "dedup", &st, now() - t0);
    }
    free(in);
    free(paths);
    if (e) {
        tm_buf_free(&d);
        return fail(R, e, "dedup: %s", err[0] ? err : tm_strerror(e));
    }
    /* put_stats starts with a comma; drop the one after "{". */
    if (d.len > 1 && d.data[1] == ',') memmove(d.data + 1, d.data + 2, d.len-- - 1);
    say(R, "writing kept shards");
    if (!e) e = split_kept(R, kept);
    if (!e) e = tm_buf_puts(&d, "}\n");
    if (!e) e = put_file(done, d.data, d.len);
    if (!e) unlink(kept);
    tm_buf_free(&d);
    return e;
}

/* ---- stage 3: assembly of removed/, rejected.jsonl, clusters.jsonl ---- */

static tm_error concat_into(const char *dst, const char *const *srcs, size_t n) {
    tm_writer *w;
    /* A plain temporary + rename; the sources are already compressed. */
    char tmp[PATH_MAX_LEN];
    pathf(tmp, "%s.part", dst);
    tm_error e = tm_writer_open(&w, tmp);
    for (size_t i = 0; !e && i < n; i++) e = append_file(w, srcs[i]);
    if (e) {
        tm_writer_abort(w);
        return e;
    }
    if ((e = tm_writer_close(w))) return e;
    return rename(tmp, dst) == 0 ? TM_OK : TM_ERR_IO;
}

static tm_error assemble(runner *R) {
    char rdir[PATH_MAX_LEN];
    pathf(rdir, "%s/removed", R->dir);
    if (mkdirs(rdir)) return fail(R, TM_ERR_OPEN, "cannot create %s", rdir);
    size_t n = R->n_inputs;
    char (*p)[PATH_MAX_LEN] = calloc(2 * n + 2, PATH_MAX_LEN);
    const char **src = calloc(2 * n + 2, sizeof *src);
    tm_error e = p && src ? TM_OK : TM_ERR_NOMEM;
    char dst[PATH_MAX_LEN];
    if (!e) {
        for (size_t i = 0; i < n; i++) {
            pathf(p[i], "%s/shards/%05zu.removed.jsonl%s", R->work, i, R->ext);
            src[i] = p[i];
        }
        pathf(dst, "%s/filter.jsonl%s", rdir, R->ext);
        e = concat_into(dst, src, n);
    }
    if (!e) {
        pathf(p[0], "%s/dedup.removed.jsonl%s", R->work, R->ext);
        src[0] = p[0];
        pathf(dst, "%s/dedup.jsonl%s", rdir, R->ext);
        e = concat_into(dst, src, 1);
    }
    if (!e) {
        for (size_t i = 0; i < n; i++) {
            pathf(p[2 * i], "%s/shards/%05zu.rejects.jsonl", R->work, i);
            pathf(p[2 * i + 1], "%s/shards/%05zu.rejects-filter.jsonl", R->work, i);
            src[2 * i] = p[2 * i];
            src[2 * i + 1] = p[2 * i + 1];
        }
        pathf(p[2 * n], "%s/dedup.rejects.jsonl", R->work);
        src[2 * n] = p[2 * n];
        pathf(dst, "%s/rejected.jsonl", R->dir);
        e = concat_into(dst, src, 2 * n + 1);
    }
    if (!e) {
        pathf(p[0], "%s/dedup.clusters.jsonl", R->work);
        src[0] = p[0];
        pathf(dst, "%s/clusters.jsonl", R->dir);
        e = concat_into(dst, src, 1);
    }
    free(p);
    free(src);
    return e;
}

/* ---- the summary ---- */

typedef struct summary {
    json_t *root;
    json_t *removed_by, *rejected_by, *edits;
    uint64_t read, kept, removed, rejected;
    uint64_t r_in, r_out, r_bytes_in, r_text;     /* read stage */
    uint64_t c_bytes_in, c_bytes_out;             /* clean stage */
    uint64_t f_in, f_out, f_bytes_in;             /* filter stage */
    uint64_t d_in, d_out, d_bytes_in;             /* dedup stage */
    double t_read, t_filter, t_dedup;
} summary;

static uint64_t ju(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
}
static double jd(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : 0;
}

static void add_counts(json_t *into, json_t *from) {
    const char *k;
    json_t *v;
    json_object_foreach(from, k, v) {
        if (!json_is_integer(v) || json_integer_value(v) == 0) continue;
        json_t *cur = json_object_get(into, k);
        json_int_t base = json_is_integer(cur) ? json_integer_value(cur) : 0;
        json_object_set_new(into, k, json_integer(base + json_integer_value(v)));
    }
}

static tm_error load_json(runner *R, const char *path, json_t **out) {
    tm_buf b = {0};
    tm_error e = slurp(path, &b, 1 << 26);
    if (e) {
        tm_buf_free(&b);
        return fail(R, e, "cannot read %s", path);
    }
    json_error_t je;
    *out = json_loadb(b.data, b.len, 0, &je);
    tm_buf_free(&b);
    if (!*out) return fail(R, TM_ERR_JSON, "%s: %s", path, je.text);
    return TM_OK;
}

static tm_error gather(runner *R, summary *S) {
    char path[PATH_MAX_LEN];
    tm_error e = TM_OK;
    for (size_t i = 0; i < R->n_inputs && !e; i++) {
        json_t *d;
        pathf(path, "%s/shards/%05zu.done", R->work, i);
        if ((e = load_json(R, path, &d))) break;
        json_t *rd = json_object_get(d, "read"), *fl = json_object_get(d, "filter");
        json_t *cl = json_object_get(d, "clean");
        S->read += ju(rd, "read");
        S->rejected += ju(rd, "rejected");
        S->r_in += ju(rd, "read");
        S->r_out += ju(rd, "written");
        S->r_bytes_in += ju(rd, "bytes_in");
        S->r_text += ju(rd, "text_bytes");
        add_counts(S->rejected_by, json_object_get(rd, "rejected_by"));
        S->t_read += jd(d, "read_seconds");
        if (cl) {
            S->c_bytes_in += ju(cl, "text_bytes_in");
            S->c_bytes_out += ju(cl, "text_bytes_out");
            add_counts(S->edits, json_object_get(cl, "edits"));
        }
        if (fl) {
            S->f_in += ju(fl, "read");
            S->f_out += ju(fl, "written");
            S->f_bytes_in += ju(fl, "text_bytes");
            S->removed += ju(fl, "removed");
            S->rejected += ju(fl, "rejected");
            add_counts(S->rejected_by, json_object_get(fl, "rejected_by"));
            add_counts(S->removed_by,
                       json_object_get(json_object_get(d, "filter_rules"), "removed_by"));
            S->t_filter += jd(d, "filter_seconds");
        }
        json_decref(d);
    }
    if (e) return e;
    json_t *d;
    pathf(path, "%s/dedup.done", R->work);
    if ((e = load_json(R, path, &d))) return e;
    json_t *dl = json_object_get(d, "dedup"), *dd = json_object_get(d, "dedup_detail");
    S->d_in = ju(dl, "read");
    S->d_out = ju(dl, "written");
    S->d_bytes_in = ju(dl, "text_bytes");
    S->kept = ju(dl, "written");
    S->removed += ju(dl, "removed");
    S->rejected += ju(dl, "rejected");
    add_counts(S->rejected_by, json_object_get(dl, "rejected_by"));
    S->t_dedup = jd(d, "dedup_seconds");
    if (dd) {
        uint64_t ex = ju(dd, "exact_removed"), nr = ju(dd, "near_removed"),
                 pr = ju(dd, "paragraph_docs_removed");
        if (ex) json_object_set_new(S->removed_by, "dedup.exact", json_integer((json_int_t)ex));
        if (nr) json_object_set_new(S->removed_by, "dedup.near", json_integer((json_int_t)nr));
        if (pr)
            json_object_set_new(S->removed_by, "dedup.paragraphs", json_integer((json_int_t)pr));
        json_object_set(S->root, "dedup", dd);
    }
    json_decref(d);
    return TM_OK;
}

static json_t *stage(const char *name, uint64_t din, uint64_t dout, uint64_t bin, uint64_t bout,
                     double secs) {
    json_t *s = json_object();
    json_object_set_new(s, "name", json_string(name));
    json_object_set_new(s, "docs_in", json_integer((json_int_t)din));
    json_object_set_new(s, "docs_out", json_integer((json_int_t)dout));
    json_object_set_new(s, "bytes_in", json_integer((json_int_t)bin));
    json_object_set_new(s, "bytes_out", json_integer((json_int_t)bout));
    json_object_set_new(s, "seconds", json_real(round(secs * 1000) / 1000));
    return s;
}

/* Signals drawn in the report, kept vs removed, with fixed bins so the
 * histograms stream (bounded memory) and do not depend on the data order. */
typedef struct sig_hist {
    const char *name;
    double lo, hi; /* linear bins over [lo, hi]; log2 bins when lo < 0 */
    int log_scale;
    uint64_t kept[20], removed[20];
    double threshold;
    int has_threshold;
} sig_hist;

#define N_BINS 20

static int bin_of(const sig_hist *h, double v) {
    double x;
    if (h->log_scale) {
        /* bins [0,1), [1,2), [2,4) ... [2^18, inf) */
        if (v < 1) return 0;
        x = floor(log2(v)) + 1;
    } else {
        x = (v - h->lo) / (h->hi - h->lo) * N_BINS;
    }
    int b = (int)x;
    return b < 0 ? 0 : b >= N_BINS ? N_BINS - 1 : b;
}

static json_t *hist_json(const sig_hist *h) {
    json_t *o = json_object(), *edges = json_array(), *k = json_array(), *r = json_array();
    for (int i = 0; i <= N_BINS; i++) {
        double e = h->log_scale ? (i == 0 ? 0 : ldexp(1, i - 1))
                                : h->lo + (h->hi - h->lo) * i / N_BINS;
        json_array_append_new(edges, json_real(e));
    }
    for (int i = 0; i < N_BINS; i++) {
        json_array_append_new(k, json_integer((json_int_t)h->kept[i]));
        json_array_append_new(r, json_integer((json_int_t)h->removed[i]));
    }
    json_object_set_new(o, "edges", edges);
    json_object_set_new(o, "kept", k);
    json_object_set_new(o, "removed", r);
    if (h->has_threshold) json_object_set_new(o, "threshold", json_real(h->threshold));
    return o;
}

typedef struct scan {
    sig_hist *h;
    size_t n_h;
    json_t *langs;
    json_t *examples_by_reason; /* reason -> count of examples taken */
    tm_buf examples;
    int per_reason;
    uint64_t kept_text_bytes;
} scan;

static tm_error example_line(scan *sc, const char *reason, const tm_doc *doc, json_t *tamis) {
    json_t *taken = json_object_get(sc->examples_by_reason, reason);
    json_int_t n = json_is_integer(taken) ? json_integer_value(taken) : 0;
    if (n >= sc->per_reason) return TM_OK;
    json_object_set_new(sc->examples_by_reason, reason, json_integer(n + 1));
    /* ~600 characters, cut at a character boundary. */
    size_t len = doc->text.len, cut = 0, chars = 0;
    while (cut < len && chars < 600) {
        cut++;
        while (cut < len && ((unsigned char)doc->text.ptr[cut] & 0xC0) == 0x80) cut++;
        chars++;
    }
    tm_buf *b = &sc->examples;
    tm_error e = tm_buf_puts(b, "{\"kind\":\"removed\",\"reason\":");
    if (!e) e = tm_json_str(b, reason, strlen(reason));
    if (!e) e = tm_buf_puts(b, ",\"id\":");
    if (!e) e = tm_json_str(b, doc->id.ptr, doc->id.len);
    if (!e) e = tm_buf_puts(b, ",\"text\":");
    if (!e) e = tm_json_str(b, doc->text.ptr, cut);
    json_t *v = json_object_get(tamis, "value"), *t = json_object_get(tamis, "threshold");
    if (!v) v = json_object_get(tamis, "similarity");
    if (!e && json_is_number(v)) e = tm_buf_printf(b, ",\"value\":%.6g", json_number_value(v));
    if (!e && json_is_number(t)) e = tm_buf_printf(b, ",\"threshold\":%.6g", json_number_value(t));
    if (!e) e = tm_buf_puts(b, "}\n");
    return e;
}

/* Reads one output file and feeds the histograms, languages and examples.
 * kind: 0 kept, 1 removed by the filter, 2 removed as duplicate. */
static tm_error scan_file(runner *R, scan *sc, const char *path, int kind) {
    if (!exists(path)) return TM_OK;
    tm_reader_opts ro;
    tm_reader_opts_init(&ro);
    ro.format = TM_FMT_JSONL;
    ro.max_doc_bytes = (size_t)1 << 40;
    tm_reader *rd;
    const char *in[] = {path};
    tm_error e = tm_reader_open(&rd, in, 1, &ro);
    if (e) return fail(R, e, "cannot read %s", path);
    tm_doc doc;
    tm_error r;
    while ((r = tm_reader_next(rd, &doc)) != TM_EOF) {
        if (r == TM_ERR_NOMEM) {
            e = r;
            break;
        }
        if (r) continue; /* our own files: cannot happen, and not ours to count */
        json_t *t = doc.priv.tamis.len ? json_loadb(doc.priv.tamis.ptr, doc.priv.tamis.len, 0, NULL)
                                       : NULL;
        if (kind == 0) {
            sc->kept_text_bytes += doc.text.len;
            json_t *l = json_object_get(t, "lang");
            const char *code = json_is_string(l) ? json_string_value(l) : "und";
            json_t *cur = json_object_get(sc->langs, code);
            json_object_set_new(sc->langs, code,
                                json_integer((json_is_integer(cur) ? json_integer_value(cur) : 0) + 1));
        } else {
            json_t *why = json_object_get(t, "removed_by");
            if (json_is_string(why)) e = example_line(sc, json_string_value(why), &doc, t);
        }
        json_t *verdicts = json_object_get(t, "verdicts");
        size_t vi;
        json_t *vd;
        json_array_foreach(verdicts, vi, vd) {
            const char *rule = json_string_value(json_object_get(vd, "rule"));
            json_t *v = json_object_get(vd, "value");
            if (!rule || !json_is_number(v)) continue;
            for (size_t h = 0; h < sc->n_h; h++) {
                if (strcmp(sc->h[h].name, rule)) continue;
                int bin = bin_of(&sc->h[h], json_number_value(v));
                if (kind == 0)
                    sc->h[h].kept[bin]++;
                else
                    sc->h[h].removed[bin]++;
                json_t *th = json_object_get(vd, "threshold");
                if (json_is_number(th) && !sc->h[h].has_threshold) {
                    sc->h[h].threshold = json_number_value(th);
                    sc->h[h].has_threshold = 1;
                }
            }
        }
        json_decref(t);
        if (e) break;
    }
    tm_reader_close(rd);
    return e;
}

/* Cluster examples: the largest clusters, first two members side by side. */
static tm_error cluster_examples(runner *R, scan *sc, json_t *size_hist, uint64_t *n_clusters) {
    char path[PATH_MAX_LEN];
    pathf(path, "%s/clusters.jsonl", R->dir);
    FILE *f = fopen(path, "rb");
    if (!f) return TM_OK;
    typedef struct top {
        json_int_t size;
        json_t *line;
    } top;
    int want = R->c->report_clusters;
    top *best = calloc((size_t)want + 1, sizeof *best);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    tm_error e = best ? TM_OK : TM_ERR_NOMEM;
    while (!e && (n = getline(&line, &cap, f)) > 0) {
        json_t *c = json_loadb(line, (size_t)n, 0, NULL);
        if (!c) continue;
        json_t *members = json_object_get(c, "members");
        json_int_t size = (json_int_t)json_array_size(members);
        if (json_is_integer(json_object_get(c, "size"))) size = json_integer_value(json_object_get(c, "size"));
        (*n_clusters)++;
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)size);
        json_t *cur = json_object_get(size_hist, key);
        json_object_set_new(size_hist, key,
                            json_integer((json_is_integer(cur) ? json_integer_value(cur) : 0) + 1));
        /* insertion into the top list: strictly larger wins, so ties keep
         * the earliest cluster */
        int pos = want;
        while (pos > 0 && (!best[pos - 1].line || best[pos - 1].size < size)) pos--;
        if (pos < want) {
            json_decref(best[want - 1].line);
            memmove(best + pos + 1, best + pos, (size_t)(want - 1 - pos) * sizeof *best);
            best[pos].size = size;
            best[pos].line = c;
        } else {
            json_decref(c);
        }
    }
    free(line);
    fclose(f);
    /* Fetch the texts of the first two members of each top cluster. */
    json_t *need = json_object(); /* id -> text (null until found) */
    for (int i = 0; i < want && best && best[i].line; i++) {
        json_t *m = json_object_get(best[i].line, "members");
        for (size_t k = 0; k < 2 && k < json_array_size(m); k++) {
            json_t *mem = json_array_get(m, k);
            json_t *id = json_is_object(mem) ? json_object_get(mem, "id") : mem;
            if (json_is_string(id)) json_object_set_new(need, json_string_value(id), json_null());
        }
    }
    if (!e && json_object_size(need)) {
        char kdir[PATH_MAX_LEN];
        pathf(kdir, "%s/kept", R->dir);
        char rem[PATH_MAX_LEN];
        pathf(rem, "%s/removed/dedup.jsonl%s", R->dir, R->ext);
        const char *in[] = {kdir, rem};
        tm_reader_opts ro;
        tm_reader_opts_init(&ro);
        ro.format = TM_FMT_JSONL;
        tm_reader *rd;
        if (tm_reader_open(&rd, in, exists(rem) ? 2 : 1, &ro) == TM_OK) {
            tm_doc doc;
            tm_error r;
            while ((r = tm_reader_next(rd, &doc)) != TM_EOF) {
                if (r) continue;
                char id[512];
                snprintf(id, sizeof id, "%.*s", (int)doc.id.len, doc.id.ptr);
                json_t *slot = json_object_get(need, id);
                if (!slot || !json_is_null(slot)) continue;
                size_t cut = doc.text.len < 1500 ? doc.text.len : 1500;
                while (cut < doc.text.len && ((unsigned char)doc.text.ptr[cut] & 0xC0) == 0x80) cut++;
                json_object_set_new(need, id, json_stringn(doc.text.ptr, cut));
            }
            tm_reader_close(rd);
        }
    }
    for (int i = 0; !e && i < want && best && best[i].line; i++) {
        json_t *c = best[i].line, *m = json_object_get(c, "members");
        if (json_array_size(m) < 2) continue;
        json_t *ex = json_object();
        json_object_set_new(ex, "kind", json_string("cluster"));
        json_object_set(ex, "cluster", json_object_get(c, "cluster") ? json_object_get(c, "cluster") : json_integer(i));
        json_object_set_new(ex, "size", json_integer(best[i].size));
        for (int k = 0; k < 2; k++) {
            json_t *mem = json_array_get(m, (size_t)k);
            json_t *id = json_is_object(mem) ? json_object_get(mem, "id") : mem;
            json_t *side = json_object();
            json_object_set(side, "id", id);
            json_t *txt = json_is_string(id) ? json_object_get(need, json_string_value(id)) : NULL;
            json_object_set_new(side, "text", json_is_string(txt) ? json_copy(txt) : json_string(""));
            json_object_set_new(ex, k ? "b" : "a", side);
            if (k && json_is_object(mem) && json_is_number(json_object_get(mem, "similarity")))
                json_object_set(ex, "similarity", json_object_get(mem, "similarity"));
        }
        char *s = json_dumps(ex, JSON_COMPACT | JSON_ENSURE_ASCII);
        if (s) {
            e = tm_buf_puts(&sc->examples, s);
            if (!e) e = tm_buf_putc(&sc->examples, '\n');
            free(s);
        }
        json_decref(ex);
    }
    json_decref(need);
    for (int i = 0; best && i < want; i++) json_decref(best[i].line);
    free(best);
    return e;
}

static tm_error write_summary(runner *R, tm_stats *ledger) {
    summary S;
    memset(&S, 0, sizeof S);
    S.root = json_object();
    S.removed_by = json_object();
    S.rejected_by = json_object();
    S.edits = json_object();
    tm_error e = gather(R, &S);
    scan sc;
    memset(&sc, 0, sizeof sc);
    sig_hist hs[] = {
        {"gopher_quality.min_non_symbol_words", 0, 0, 1, {0}, {0}, 0, 0},
        {"gopher_quality.min_mean_word_length", 0, 15, 0, {0}, {0}, 0, 0},
        {"gopher_quality.alpha_word_frac", 0, 1, 0, {0}, {0}, 0, 0},
        {"gopher_quality.stop_words", 0, 0, 1, {0}, {0}, 0, 0},
        {"gopher_repetition.dup_line_frac", 0, 1, 0, {0}, {0}, 0, 0},
        {"gopher_repetition.top_2gram_char_frac", 0, 1, 0, {0}, {0}, 0, 0},
        {"fineweb.line_punct_ratio", 0, 1, 0, {0}, {0}, 0, 0},
        {"fineweb.short_line_ratio", 0, 1, 0, {0}, {0}, 0, 0},
        {"fineweb.char_dup_ratio", 0, 1, 0, {0}, {0}, 0, 0},
        {"tamis.doubled_word_ratio", 0, 0.2, 0, {0}, {0}, 0, 0},
        {"lang.score", 0, 1, 0, {0}, {0}, 0, 0},
    };
    sc.h = hs;
    sc.n_h = sizeof hs / sizeof *hs;
    sc.langs = json_object();
    sc.examples_by_reason = json_object();
    sc.per_reason = R->c->report_examples;
    char path[PATH_MAX_LEN];
    if (!e) {
        pathf(path, "%s/kept", R->dir);
        e = scan_file(R, &sc, path, 0);
    }
    if (!e) {
        pathf(path, "%s/removed/filter.jsonl%s", R->dir, R->ext);
        e = scan_file(R, &sc, path, 1);
    }
    if (!e) {
        pathf(path, "%s/removed/dedup.jsonl%s", R->dir, R->ext);
        e = scan_file(R, &sc, path, 2);
    }
    json_t *size_hist = json_object();
    uint64_t n_clusters = 0;
    if (!e) e = cluster_examples(R, &sc, size_hist, &n_clusters);

    json_t *root = S.root;
    json_object_set_new(root, "tamis_version", json_string(tm_version()));
    json_t *inputs = json_array();
    for (size_t i = 0; i < R->n_inputs; i++) json_array_append_new(inputs, json_string(R->inputs[i]));
    json_object_set_new(root, "inputs", inputs);
    tm_buf cfg = {0};
    if (!e) e = tm_run_config_yaml(R->c, 0, &cfg);
    json_object_set_new(root, "config", json_stringn(cfg.data ? cfg.data : "", cfg.len));
    tm_buf_free(&cfg);
    int ok = S.read == S.kept + S.removed + S.rejected;
    json_t *led = json_object();
    json_object_set_new(led, "read", json_integer((json_int_t)S.read));
    json_object_set_new(led, "kept", json_integer((json_int_t)S.kept));
    json_object_set_new(led, "removed", json_integer((json_int_t)S.removed));
    json_object_set_new(led, "rejected", json_integer((json_int_t)S.rejected));
    json_object_set_new(led, "ok", json_boolean(ok));
    json_object_set_new(root, "ledger", led);
    json_t *stages = json_array();
    json_array_append_new(stages, stage("read", S.r_in, S.r_out, S.r_bytes_in, S.r_text, S.t_read));
    if (R->c->clean_enabled)
        json_array_append_new(stages, stage("clean", S.r_out, S.r_out, S.c_bytes_in, S.c_bytes_out, 0));
    if (R->c->filter_enabled)
        json_array_append_new(stages, stage("filter", S.f_in, S.f_out, S.f_bytes_in, S.d_bytes_in,
                                            S.t_filter));
    json_array_append_new(stages,
                          stage("dedup", S.d_in, S.d_out, S.d_bytes_in, sc.kept_text_bytes, S.t_dedup));
    json_object_set_new(root, "stages", stages);
    json_object_set_new(root, "removed_by", S.removed_by);
    json_object_set_new(root, "rejected_by", S.rejected_by);
    json_object_set_new(root, "languages", sc.langs);
    json_t *sigs = json_object();
    for (size_t h = 0; h < sc.n_h; h++) {
        uint64_t any = 0;
        for (int b = 0; b < N_BINS; b++) any += hs[h].kept[b] + hs[h].removed[b];
        if (any) json_object_set_new(sigs, hs[h].name, hist_json(&hs[h]));
    }
    json_object_set_new(root, "signals", sigs);
    json_t *cl = json_object();
    json_object_set_new(cl, "count", json_integer((json_int_t)n_clusters));
    json_object_set_new(cl, "size_histogram", size_hist);
    json_object_set_new(root, "clusters", cl);
    json_object_set_new(root, "edits", S.edits);
    json_decref(sc.examples_by_reason);

    char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text && !e) e = TM_ERR_NOMEM;
    if (!e) {
        pathf(path, "%s/stats.json", R->dir);
        size_t tl = strlen(text);
        text[tl] = '\0';
        tm_buf t = {0};
        e = tm_buf_append(&t, text, tl);
        if (!e) e = tm_buf_putc(&t, '\n');
        if (!e) e = put_file(path, t.data, t.len);
        /* The examples behind the page, kept for whoever wants to check it
         * (the browser test does). */
        pathf(path, "%s/report-examples.jsonl", R->work);
        if (!e) e = put_file(path, sc.examples.data ? sc.examples.data : "", sc.examples.len);
        tm_buf html = {0};
        if (!e) e = tm_report_html(text, tl, sc.examples.data, sc.examples.len, &html);
        if (!e) {
            pathf(path, "%s/report.html", R->dir);
            e = put_file(path, html.data, html.len);
        }
        tm_buf_free(&html);
        tm_buf_free(&t);
    }
    free(text);
    tm_buf_free(&sc.examples);
    memset(ledger, 0, sizeof *ledger);
    ledger->read = S.read;
    ledger->written = S.kept;
    ledger->removed = S.removed;
    ledger->rejected = S.rejected;
    if (!e && !ok)
        e = fail(R, TM_ERR_LEDGER, "ledger broken: read %llu != kept %llu + removed %llu + rejected %llu",
                 (unsigned long long)S.read, (unsigned long long)S.kept,
                 (unsigned long long)S.removed, (unsigned long long)S.rejected);
    return e;
}

/* ---- setup from the configuration ---- */

static tm_error prepare(runner *R) {
    const tm_run_config *c = R->c;
    static const char *presets[] = {"default", "gopher", "c4", "fineweb"};
    static const char *exts[] = {".zst", ".gz", ""};
    R->ext = exts[c->compression];
    tm_error e = tm_filter_new(&R->filter, presets[c->filter_preset]);
    if (e) return fail(R, e, "filter preset %s", presets[c->filter_preset]);
    for (size_t i = 0; i < c->n_rules; i++)
        if ((e = tm_filter_set_rule(R->filter, c->rule_names[i], c->rule_values[i])))
            return fail(R, e, "unknown filter rule '%s'", c->rule_names[i]);
    if ((e = tm_filter_set_lang(R->filter, c->filter_lang, c->filter_min_lang_score)))
        return fail(R, e, "filter.lang '%s'", c->filter_lang);
    tm_clean_opts_init(&R->clean);
    if ((e = tm_clean_ops_parse(c->clean_ops, &R->clean.ops)))
        return fail(R, e, "clean.ops '%s'", c->clean_ops);
    R->clean.para_threshold = c->clean_para_threshold;
    R->clean.lang = *c->clean_lang ? c->clean_lang : NULL;
    tm_dedup_opts *d = &R->dedup;
    tm_dedup_opts_init(d);
    d->exact = c->dedup_exact;
    d->near = c->dedup_near;
    d->paragraphs = c->dedup_paragraphs;
    if (!d->exact && !d->near && !d->paragraphs)
        return fail(R, TM_ERR_ARG, "dedup: exact, near and paragraphs are all off; "
                                   "set dedup.enabled: false instead");
    d->threshold = c->dedup_threshold;
    d->containment = c->dedup_containment;
    d->lsh_threshold = c->dedup_lsh_threshold;
    d->perms = c->dedup_perms;
    d->bands = c->dedup_bands;
    d->rows = c->dedup_rows;
    d->verify = (tm_verify_mode)c->dedup_verify;
    d->keep = (tm_keep_mode)c->dedup_keep;
    d->min_paragraph_chars = (size_t)c->dedup_min_paragraph_chars;
    d->min_doc_chars = (size_t)c->dedup_min_doc_chars;
    d->memory = c->dedup_memory;
    d->tmp_dir = *c->dedup_tmp_dir ? c->dedup_tmp_dir : NULL;
    const char *sh = c->dedup_shingle;
    int n = 0, n2 = 0;
    if (!strcmp(sh, "auto")) {
        d->shingle.kind = TM_SHINGLE_AUTO;
    } else if (sscanf(sh, "auto:%d,%d", &n, &n2) == 2 && n > 0 && n <= 64 && n2 > 0 && n2 <= 64) {
        d->shingle.kind = TM_SHINGLE_AUTO;
        d->shingle.word_n = n;
        d->shingle.char_n = n2;
    } else if (sscanf(sh, "word:%d", &n) == 1 && n > 0 && n <= 64) {
        d->shingle.kind = TM_SHINGLE_WORDS;
        d->shingle.word_n = n;
    } else if (sscanf(sh, "char:%d", &n) == 1 && n > 0 && n <= 64) {
        d->shingle.kind = TM_SHINGLE_CHARS;
        d->shingle.char_n = n;
    } else {
        return fail(R, TM_ERR_ARG, "dedup.shingle: expected auto, auto:W,C, word:N or char:N, got '%s'", sh);
    }
    if (c->dedup_threshold <= 0 || c->dedup_threshold >= 1)
        return fail(R, TM_ERR_ARG, "dedup.threshold must be in (0, 1)");
    if (c->dedup_containment < 0 || c->dedup_containment > 1 || c->dedup_lsh_threshold < 0 ||
        c->dedup_lsh_threshold >= 1)
        return fail(R, TM_ERR_ARG, "dedup.containment must be in [0, 1], "
                                   "dedup.lsh_threshold in [0, 1)");
    if (c->shard_bytes < 1024) return fail(R, TM_ERR_ARG, "output.shard_bytes is below 1K");
    return TM_OK;
}

static tm_error expand_inputs(runner *R) {
    for (size_t i = 0; i < R->o->n_inputs; i++)
        if (!strcmp(R->o->inputs[i], "-"))
            return fail(R, TM_ERR_ARG,
                        "tamis run reads files (it resumes, so it must read its inputs again); "
                        "save standard input to a file first");
    tm_reader *rd;
    tm_reader_opts ro;
    tm_reader_opts_init(&ro);
    tm_error e = tm_reader_open(&rd, R->o->inputs, R->o->n_inputs, &ro);
    if (e) return fail(R, e, "cannot open the inputs");
    R->n_inputs = tm_reader_n_inputs(rd);
    R->inputs = calloc(R->n_inputs ? R->n_inputs : 1, sizeof *R->inputs);
    if (!R->inputs) e = TM_ERR_NOMEM;
    for (size_t i = 0; !e && i < R->n_inputs; i++)
        if (!(R->inputs[i] = strdup(tm_reader_input(rd, i)))) e = TM_ERR_NOMEM;
    tm_reader_close(rd);
    if (!e && R->n_inputs == 0) e = fail(R, TM_ERR_ARG, "no input files");
    return e;
}

tm_error tm_job_run(const tm_run_config *c, const tm_run_opts *o, tm_stats *ledger) {
    runner R;
    memset(&R, 0, sizeof R);
    R.c = c;
    R.o = o;
    memset(ledger, 0, sizeof *ledger);
    if (!o->outdir || !*o->outdir) return fail(&R, TM_ERR_ARG, "no output directory");
    snprintf(R.dir, sizeof R.dir, "%s", o->outdir);
    pathf(R.work, "%s/.tamis", R.dir);
    tm_error e = prepare(&R);
    if (!e) e = expand_inputs(&R);
    if (!e && mkdirs(R.dir)) e = fail(&R, TM_ERR_OPEN, "cannot create %s: %s", R.dir, strerror(errno));
    /* One run per directory at a time: two would interleave their commits.
     * The lock dies with the process, so a killed run never blocks. */
    int lock = -1;
    if (!e) {
        char lp[PATH_MAX_LEN];
        pathf(lp, "%s/.tamis.lock", R.dir);
        lock = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (lock < 0)
            e = fail(&R, TM_ERR_OPEN, "cannot create %s: %s", lp, strerror(errno));
        else if (flock(lock, LOCK_EX | LOCK_NB) != 0)
            e = fail(&R, TM_ERR_ARG, "another tamis run is working in %s", R.dir);
    }
    if (!e) e = check_manifest(&R);
    for (size_t i = 0; !e && i < R.n_inputs; i++) e = run_shard(&R, i);
    if (!e) e = run_dedup(&R);
    if (!e) say(&R, "assembling outputs");
    if (!e) e = assemble(&R);
    if (!e) e = write_summary(&R, ledger);
    if (lock >= 0) close(lock);
    tm_filter_free(R.filter);
    for (size_t i = 0; i < R.n_inputs; i++) free(R.inputs[i]);
    free(R.inputs);
    return e;
}
