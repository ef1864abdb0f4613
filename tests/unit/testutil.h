/*
 * testutil.h — shared helpers for the cmocka unit tests.
 *
 * cmocka needs <stdarg.h>, <stddef.h>, <setjmp.h> before <cmocka.h>; every
 * test includes this file instead. TM_SHARED_DATA locates ../shared/data for
 * the few tests that read real corpora; they skip when it is absent. The
 * file and document helpers below are the ones several tests need: read a
 * whole output, append a JSONL document, gzip one member.
 */
#ifndef TM_TESTUTIL_H
#define TM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tamis.h"
#include "util/buf.h"

#include <zlib.h>

/* Returns e after copying tm_error_detail() into buf: the tests that
 * compare the messages of two calls keep the first. */
static inline tm_error tm_test_detail(tm_error e, char *buf, size_t size) {
    snprintf(buf, size, "%s", tm_error_detail());
    return e;
}

/* Path of a file under ../shared/data, or NULL when not present. */
static inline const char *tm_test_shared(const char *rel, char *buf, size_t size) {
    const char *root = getenv("TM_SHARED_DATA");
    snprintf(buf, size, "%s/%s", root ? root : "../shared/data", rel);
    return access(buf, R_OK) == 0 ? buf : NULL;
}

/* The whole content of path (a regular file or a FIFO), NUL-terminated,
 * malloc'ed; its length in *n (may be NULL); NULL when it cannot be opened. */
static inline char *tm_test_slurp(const char *path, size_t *n) {
    if (n) *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    tm_buf b = {0};
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(tmi_buf_append(&b, chunk, k), TM_OK);
    fclose(f);
    if (!b.data) assert_int_equal(tmi_buf_append(&b, "", 0), TM_OK);
    if (n) *n = b.len;
    return b.data;
}

/* tm_test_slurp, or an empty string when the file does not exist (an
 * output a job did not need to write); free() it. */
static inline char *tm_test_text(const char *path) {
    char *s = tm_test_slurp(path, NULL);
    return s ? s : calloc(1, 1);
}

/* Appends {"id":ID,"text":TEXT<extra>} and a newline; extra (may be NULL)
 * is more members, starting with a comma. */
static inline void tm_test_add_doc(tm_buf *f, const char *id, const char *text, const char *extra) {
    tmi_buf_puts(f, "{\"id\":");
    tmi_json_str(f, id, strlen(id));
    tmi_buf_puts(f, ",\"text\":");
    tmi_json_str(f, text, strlen(text));
    if (extra) tmi_buf_puts(f, extra);
    tmi_buf_puts(f, "}\n");
}

/* Appends s[0, n) as one gzip member. */
static inline void tm_test_gzip_member(tm_buf *out, const char *s, size_t n) {
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    tmi_buf_reserve(out, deflateBound(&z, n) + 32);
    z.next_in = (Bytef *)(uintptr_t)s;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = (uInt)(out->cap - out->len - 1);
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    out->len += z.total_out;
    deflateEnd(&z);
}

#define assert_close(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

#endif
