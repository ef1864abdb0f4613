/*
 * files.c — the file-system work of `tamis run`: paths under OUTDIR,
 * whole small files read and written (the .done and manifest files, written
 * to a temporary name and renamed, so a kill leaves the old or the new one),
 * directories made and removed, the files a run leaves when it is
 * restarted or interrupted, and the concatenation of per-shard files into
 * the user's outputs.
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
#include <unistd.h>

void tmi_run_path(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tmi_run_path(char *out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, PATH_MAX_LEN, fmt, ap);
    va_end(ap);
}

int tmi_run_exists(const char *p) {
    return access(p, F_OK) == 0;
}

tm_error tmi_run_mkdirs(const char *path) {
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
tm_error tmi_run_slurp(const char *path, tm_buf *b, size_t cap) {
    FILE *f = fopen(path, "rb");
    if (!f) return TM_ERR_OPEN;
    char chunk[65536];
    size_t n;
    tm_error e = TM_OK;
    while (!e && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b->len + n > cap) e = TM_ERR_TOO_BIG;
        TM_THEN(e, tmi_buf_append(b, chunk, n));
    }
    if (!e && ferror(f)) e = TM_ERR_IO;
    fclose(f);
    return e;
}

/* Writes data to path atomically (tm_writer: temporary name, rename). */
tm_error tmi_run_put_file(const char *path, const char *data, size_t n) {
    tm_writer *w;
    tm_error e = tm_writer_open(&w, path);
    if (e) return e;
    if ((e = tm_writer_write(w, data, n))) {
        tm_writer_abort(w);
        return e;
    }
    return tm_writer_close(w);
}

/* Appends the bytes of src (if it exists) to fd as they are. Concatenated
 * gzip members and zstd frames are valid streams, so compressed shards join
 * as bytes. */
static tm_error append_fd(int fd, const char *src) {
    FILE *f = fopen(src, "rb");
    if (!f) return errno == ENOENT ? TM_OK : TM_ERR_OPEN;
    char *buf = malloc(1 << 20);
    tm_error e = buf ? TM_OK : TM_ERR_NOMEM;
    size_t n;
    while (!e && (n = fread(buf, 1, 1 << 20, f)) > 0)
        for (size_t off = 0; !e && off < n;) {
            ssize_t k = write(fd, buf + off, n - off);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0)
                e = TM_ERR_IO;
            else
                off += (size_t)k;
        }
    if (!e && ferror(f)) e = TM_ERR_IO;
    free(buf);
    fclose(f);
    return e;
}

/* Removes what a previous run left in outdir (only tamis's own names). */
void tmi_run_remove_tree(const char *path) {
    struct stat st, to;
    if (lstat(path, &st) != 0) return;
    /* A FIFO or device put in place of an output is the user's: written
     * in place later (tm_writer), never removed. */
    if (!S_ISDIR(st.st_mode) && stat(path, &to) == 0 && !S_ISREG(to.st_mode) &&
        !S_ISDIR(to.st_mode))
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
                char child[PATH_MAX_LEN];
                tmi_run_path(child, "%s/%s", path, de->d_name);
                tmi_run_remove_tree(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

void tmi_run_wipe_outputs(tm_runner *R) {
    static const char *const names[] = {".tamis",         "kept",           "removed",
                                        "rejected.jsonl", "clusters.jsonl", "stats.json",
                                        "report.html"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char p[PATH_MAX_LEN];
        tmi_run_path(p, "%s/%s", R->dir, names[i]);
        tmi_run_remove_tree(p);
    }
}

/* Removes what a killed run left half-written: tm_writer temporaries
 * ("<name>.tmp-<pid>") and assembly parts ("<name>.part"). Safe because the
 * lock says no other run is working here; committed files never have such
 * names. */
void tmi_run_sweep_temporaries(tm_runner *R) {
    static const char *const dirs[] = {"", "/kept", "/removed", "/.tamis", "/.tamis/shards"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        char d[PATH_MAX_LEN];
        tmi_run_path(d, "%s%s", R->dir, dirs[i]);
        DIR *dir = opendir(d);
        if (!dir) continue;
        struct dirent *de;
        while ((de = readdir(dir))) {
            size_t n = strlen(de->d_name);
            if (!strstr(de->d_name, ".tmp-") && !(n > 5 && !strcmp(de->d_name + n - 5, ".part")))
                continue;
            char p[PATH_MAX_LEN];
            tmi_run_path(p, "%s/%s", d, de->d_name);
            unlink(p);
        }
        closedir(dir);
    }
}

tm_error tmi_run_concat_into(const char *dst, const char *const *srcs, size_t n) {
    /* "<dst>.part", renamed when complete (swept if a run is killed); a
     * FIFO or device at dst is written in place instead, never replaced. */
    char tmp[PATH_MAX_LEN];
    tmi_run_path(tmp, "%s.part", dst);
    int in_place = tmi_writer_in_place(dst);
    int fd = in_place ? open(dst, O_WRONLY | O_NOCTTY | O_CLOEXEC)
                      : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) return TM_ERR_OPEN;
    tm_error e = TM_OK;
    for (size_t i = 0; !e && i < n; i++) e = append_fd(fd, srcs[i]);
    if (close(fd) != 0 && !e) e = TM_ERR_IO;
    if (in_place) return e;
    if (!e && rename(tmp, dst) != 0) e = TM_ERR_IO;
    if (e) unlink(tmp);
    return e;
}
