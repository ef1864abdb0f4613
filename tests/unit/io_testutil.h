/*
 * io_testutil.h — what the io tests share: a fresh temporary directory per
 * test group (setup_dir/teardown_dir), files written into it, a zstd frame,
 * every record of some inputs as one log line each, and the serialisation of
 * a file's first record. Included by test_io.c, test_io_archive.c and
 * test_json.c; each uses part of it.
 */
#ifndef TM_TEST_IO_TESTUTIL_H
#define TM_TEST_IO_TESTUTIL_H

#include "testutil.h"

#include "io/io.h"
#include "util/buf.h"

#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>
#include <zlib.h>
#include <zstd.h>

static char tmpdir[256];

__attribute__((unused)) static int setup_dir(void **state) {
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/tamis-test-io-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

__attribute__((unused)) static void rm_rf(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        char child[1024];
        while (d && (de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
            snprintf(child, sizeof child, "%s/%s", path, de->d_name);
            rm_rf(child);
        }
        if (d) closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

__attribute__((unused)) static int teardown_dir(void **state) {
    (void)state;
    rm_rf(tmpdir);
    return 0;
}

__attribute__((unused)) static const char *tpath(const char *name) {
    static char buf[4][512];
    static int k;
    k = (k + 1) & 3;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

__attribute__((unused)) static const char *write_file(const char *name, const void *data,
                                                      size_t len) {
    const char *p = tpath(name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return p;
}

__attribute__((unused)) static void zstd_frame(tm_buf *out, const char *s, size_t n) {
    size_t bound = ZSTD_compressBound(n);
    tmi_buf_reserve(out, bound);
    size_t k = ZSTD_compress(out->data + out->len, bound, s, n, 3);
    assert_false(ZSTD_isError(k));
    out->len += k;
}

/* Reads every record of paths; returns the count of TM_OK documents and
 * appends "<err name>|<id>|<text>\n" per record to log. */
typedef struct run {
    tm_buf log;
    size_t ok, bad, skipped;
} run;

__attribute__((unused)) static void read_all(const char *const *paths, size_t n,
                                             const tm_reader_opts *o, run *rr) {
    memset(rr, 0, sizeof *rr);
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, paths, n, o), TM_OK);
    tm_doc d;
    tm_error e;
    while ((e = tm_reader_next(r, &d)) != TM_EOF) {
        if (e == TM_OK) {
            rr->ok++;
            tmi_buf_printf(&rr->log, "ok|%.*s|%.*s|%llu\n", (int)d.id.len, d.id.ptr,
                           (int)d.text.len, d.text.ptr, (unsigned long long)d.line);
        } else {
            rr->bad++;
            tmi_buf_printf(&rr->log, "%s|%s|%llu\n", tm_error_name(e), tm_reader_detail(r),
                           (unsigned long long)d.line);
        }
    }
    rr->skipped = tm_reader_skipped(r);
    tm_reader_close(r);
    if (!rr->log.data) tmi_buf_puts(&rr->log, "");
}

/* Reads one file and returns the n-th record's serialisation. */
__attribute__((unused)) static void first_doc_jsonl(const char *path, const tm_reader_opts *o,
                                                    const char *new_text, const char *tamis,
                                                    tm_buf *out) {
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &path, 1, o), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    tmi_buf_reset(out);
    assert_int_equal(tm_doc_to_jsonl(&d, new_text, new_text ? strlen(new_text) : 0, tamis,
                                     tamis ? strlen(tamis) : 0, out),
                     TM_OK);
    tm_reader_close(r);
}

#endif
