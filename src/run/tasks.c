/*
 * tasks.c — `tamis run` as tasks that any scheduler can run (docs/TASKS.md):
 * the task ids ("shard-NNNNN" per input file, "dedup", "finish"), the plan
 * that lists them with their dependencies and command lines, the locks that
 * let shard tasks of one run work side by side in one OUTDIR, and the
 * check that a task's prerequisites are committed. run.c runs the stages
 * themselves; a task is one of them, committed by the same .done files, so
 * a run made of tasks leaves the same bytes as one process.
 *
 * Locks: OUTDIR/.tamis.lock is taken shared by shard tasks and exclusive
 * by everything else (a whole run, dedup, finish, the plan), so shard tasks
 * run together and nothing else runs beside them; each shard task also
 * holds .tamis/shards/NNNNN.lock exclusive, so one shard is never worked on
 * twice at once. flock locks die with the process: a killed task blocks
 * nothing.
 */
#include "run/run_int.h"

#include "util/buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

tm_error tmi_run_task_parse(tm_runner *R, const char *id, int *kind, size_t *shard) {
    *shard = 0;
    if (!strcmp(id, "dedup")) {
        *kind = TM_TASK_DEDUP;
        return TM_OK;
    }
    if (!strcmp(id, "finish")) {
        *kind = TM_TASK_FINISH;
        return TM_OK;
    }
    /* exactly the plan's spelling: shard-NNNNN, five digits or more */
    if (!strncmp(id, "shard-", 6) && strlen(id + 6) >= 5 && strlen(id + 6) < 12 &&
        strspn(id + 6, "0123456789") == strlen(id + 6)) {
        size_t n = (size_t)strtoull(id + 6, NULL, 10);
        char again[32];
        snprintf(again, sizeof again, "shard-%05zu", n);
        if (!strcmp(again, id) && n < R->n_inputs) {
            *kind = TM_TASK_SHARD;
            *shard = n;
            return TM_OK;
        }
        if (!strcmp(again, id))
            return tmi_run_fail(R, TM_ERR_ARG, "no task %s: the inputs make %zu shards", id,
                                R->n_inputs);
    }
    return tmi_run_fail(R, TM_ERR_ARG,
                        "no task '%s': a task is shard-NNNNN, dedup or finish "
                        "(tamis run --plan lists them)",
                        id);
}

static tm_error lock_file(tm_runner *R, const char *path, int how, int *fd, const char *busy) {
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (*fd < 0) return tmi_run_fail(R, TM_ERR_OPEN, "cannot create %s: %s", path, strerror(errno));
    if (flock(*fd, how | LOCK_NB) != 0) {
        close(*fd);
        *fd = -1;
        return tmi_run_fail(R, TM_ERR_ARG, "%s", busy);
    }
    return TM_OK;
}

tm_error tmi_run_lock(tm_runner *R, int kind, size_t shard, int *run_fd, int *shard_fd) {
    char p[PATH_MAX_LEN], busy[PATH_MAX_LEN + 64];
    *run_fd = *shard_fd = -1;
    tmi_run_path(p, "%s/.tamis.lock", R->dir);
    snprintf(busy, sizeof busy, "another tamis run is working in %s", R->dir);
    tm_error e = lock_file(R, p, kind == TM_TASK_SHARD ? LOCK_SH : LOCK_EX, run_fd, busy);
    if (e || kind != TM_TASK_SHARD) return e;
    tmi_run_path(p, "%s/shards", R->work);
    if (tmi_run_mkdirs(p))
        return tmi_run_fail(R, TM_ERR_OPEN, "cannot create %s: %s", p, strerror(errno));
    tmi_run_path(p, "%s/shards/%05zu.lock", R->work, shard);
    snprintf(busy, sizeof busy, "another tamis run is working on shard-%05zu in %s", shard, R->dir);
    return lock_file(R, p, LOCK_EX, shard_fd, busy);
}

/* What a killed task of shard i left half-written: tm_writer temporaries
 * of the shard's own files only, since other shard tasks may be writing
 * theirs beside them. */
void tmi_run_sweep_shard(tm_runner *R, size_t shard) {
    char d[PATH_MAX_LEN], prefix[32];
    tmi_run_path(d, "%s/shards", R->work);
    snprintf(prefix, sizeof prefix, "%05zu.", shard);
    DIR *dir = opendir(d);
    if (!dir) return;
    struct dirent *de;
    while ((de = readdir(dir))) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) || !strstr(de->d_name, ".tmp-")) continue;
        char p[PATH_MAX_LEN];
        tmi_run_path(p, "%s/%s", d, de->d_name);
        unlink(p);
    }
    closedir(dir);
}

tm_error tmi_run_task_ready(tm_runner *R, int kind) {
    char p[PATH_MAX_LEN];
    if (kind == TM_TASK_FINISH) {
        tmi_run_path(p, "%s/dedup.done", R->work);
        if (!tmi_run_exists(p))
            return tmi_run_fail(R, TM_ERR_ARG, "task finish needs task dedup committed first in %s",
                                R->dir);
        return TM_OK;
    }
    if (kind != TM_TASK_DEDUP) return TM_OK;
    tm_buf miss = {0};
    size_t n_miss = 0;
    tm_error e = TM_OK;
    for (size_t i = 0; !e && i < R->n_inputs; i++) {
        tmi_run_path(p, "%s/shards/%05zu.done", R->work, i);
        if (tmi_run_exists(p)) continue;
        if (n_miss < 10) e = tmi_buf_printf(&miss, "%sshard-%05zu", n_miss ? ", " : "", i);
        n_miss++;
    }
    if (!e && n_miss > 10) e = tmi_buf_printf(&miss, " and %zu more", n_miss - 10);
    if (!e && n_miss)
        e = tmi_run_fail(R, TM_ERR_ARG,
                         "task dedup needs every shard task committed first; missing in %s: %s",
                         R->dir, miss.data);
    tm_buf_free(&miss);
    return e;
}

static tm_error put_task(tm_runner *R, tm_buf *b, const char *id, const char *after, int more) {
    const tm_run_opts *o = R->o;
    tm_error e = tmi_buf_puts(b, "{\"id\":");
    TM_THEN(e, tmi_json_str(b, id, strlen(id)));
    TM_THEN(e, tmi_buf_printf(b, ",\"after\":[%s],\"argv\":[", after));
    size_t at = o->task_argv_at < o->n_task_argv ? o->task_argv_at : o->n_task_argv;
    int first = 1;
    for (size_t k = 0; !e && k <= o->n_task_argv; k++) {
        if (k == at) {
            e = tmi_buf_puts(b, first ? "\"--task\"," : ",\"--task\",");
            TM_THEN(e, tmi_json_str(b, id, strlen(id)));
            first = 0;
        }
        if (e || k == o->n_task_argv) continue;
        if (!first) e = tmi_buf_puts(b, ",");
        TM_THEN(e, tmi_json_str(b, o->task_argv[k], strlen(o->task_argv[k])));
        first = 0;
    }
    TM_THEN(e, tmi_buf_puts(b, more ? "]},\n" : "]}\n"));
    return e;
}

/* One task a line, so that the plan reads (and diffs) well. */
tm_error tmi_run_plan_json(tm_runner *R, tm_buf *b) {
    if (!b) return tmi_run_fail(R, TM_ERR_ARG, "a plan needs somewhere to go (plan_out)");
    tm_error e = tmi_buf_puts(b, "{\"version\":1,\"outdir\":");
    TM_THEN(e, tmi_json_str(b, R->dir, strlen(R->dir)));
    TM_THEN(e, tmi_buf_puts(b, ",\"tasks\":[\n"));
    tm_buf all = {0};
    char id[32];
    for (size_t i = 0; !e && i < R->n_inputs; i++) {
        snprintf(id, sizeof id, "shard-%05zu", i);
        e = put_task(R, b, id, "", 1);
        TM_THEN(e, tmi_buf_printf(&all, "%s\"%s\"", i ? "," : "", id));
    }
    TM_THEN(e, put_task(R, b, "dedup", all.data ? all.data : "", 1));
    TM_THEN(e, put_task(R, b, "finish", "\"dedup\"", 0));
    TM_THEN(e, tmi_buf_puts(b, "]}\n"));
    tm_buf_free(&all);
    return e;
}
