/*
 * fuzz_warc.c — libFuzzer target for the WARC and ARC framer and record
 * parser (one framer reads both, reader.c).
 *
 * The reader only opens paths, so each input is written to a temporary file
 * in /tmp three times: as is, gzip-compressed and zstd-compressed. All three
 * are read to the end with format WARC (ARC when the input starts with an
 * ARC version block, "filedesc://") and a small max_doc_bytes (so that
 * the oversize path runs too). Checks: the loop ends (at most one record per
 * input byte), every error is one a WARC reader may return, every document
 * is valid UTF-8 and serialises to JSON that jansson reads back to the same
 * text, every rejected record serialises to a valid rejects line, and the
 * three compressions yield the same sequence of results (up to the first
 * error, see same()). A gzip
 * stream cut short is read too, for crashes only. abort() on any failure.
 */
#include "tamis.h"
#include "util/buf.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>
#include <zstd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_warc: check failed at line %d: %s\n", __LINE__, #cond);          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define MAX_DOC (16 * 1024)

typedef struct result {
    int err;
    size_t len;
    uint64_t hash; /* XXH3 of the text, or of the raw bytes for errors */
} result;

typedef struct run {
    result *r;
    size_t n, cap;
    uint64_t skipped;
} run;

static void write_file(const char *path, const void *p, size_t n) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(n == 0 || fwrite(p, 1, n, f) == n);
    CHECK(fclose(f) == 0);
}

/* gzip (not zlib) framing: windowBits 15 + 16. */
static size_t gzip(const uint8_t *p, size_t n, uint8_t *out, size_t cap) {
    z_stream z;
    memset(&z, 0, sizeof z);
    CHECK(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
    size_t len = z.total_out;
    deflateEnd(&z);
    return len;
}

static tm_format fmt; /* of the current input */

static void read_all(const char *path, run *out, int compare_only_crash) {
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    o.format = fmt;
    o.max_doc_bytes = MAX_DOC;
    tm_reader *rd = NULL;
    CHECK(tm_reader_open(&rd, &path, 1, &o) == TM_OK);
    tm_buf buf = {0};
    size_t limit = 0;
    for (;;) {
        tm_doc d;
        memset(&d, 0, sizeof d);
        tm_error e = tm_reader_next(rd, &d);
        if (e == TM_EOF) break;
        CHECK(++limit <= 70000); /* inputs are at most 64 KiB */
        if (compare_only_crash) continue;
        result res = {e, 0, 0};
        tmi_buf_reset(&buf);
        if (e == TM_OK) {
            CHECK(d.format == fmt);
            CHECK(tm_utf8_valid_prefix(d.text.ptr, d.text.len) == d.text.len);
            CHECK(d.text.len <= MAX_DOC * 4);
            CHECK(tm_doc_to_jsonl(&d, NULL, 0, "\"x\":1", 5, &buf) == TM_OK);
            json_error_t je;
            json_t *j = json_loadb(buf.data, buf.len, JSON_ALLOW_NUL, &je);
            if (!j)
                fprintf(stderr, "fuzz_warc: bad output JSON: %s\n%.*s\n", je.text, (int)buf.len,
                        buf.data);
            CHECK(j != NULL);
            json_t *t = json_object_get(j, "text");
            CHECK(t && json_is_string(t) && json_string_length(t) == d.text.len &&
                  memcmp(json_string_value(t), d.text.ptr, d.text.len) == 0);
            json_decref(j);
            res.len = d.text.len;
            res.hash = XXH3_64bits(d.text.ptr, d.text.len);
        } else {
            CHECK(e == TM_ERR_WARC || e == TM_ERR_TRUNCATED || e == TM_ERR_TOO_BIG ||
                  e == TM_ERR_CORRUPT || e == TM_ERR_UNSUPPORTED);
            CHECK(tm_reject_to_jsonl(&d, e, "fuzz", &buf) == TM_OK);
            json_error_t je;
            json_t *j = json_loadb(buf.data, buf.len, JSON_ALLOW_NUL, &je);
            if (!j)
                fprintf(stderr, "fuzz_warc: bad rejects line (%s): %.*s\n", je.text, (int)buf.len,
                        buf.data);
            CHECK(j != NULL && json_is_object(j));
            json_decref(j);
            res.len = d.raw.len;
            res.hash = d.raw.ptr ? XXH3_64bits(d.raw.ptr, d.raw.len) : 0;
        }
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->r = realloc(out->r, out->cap * sizeof *out->r);
            CHECK(out->r != NULL);
        }
        out->r[out->n++] = res;
    }
    out->skipped = tm_reader_skipped(rd);
    tm_reader_close(rd);
    tm_buf_free(&buf);
}

/* Identical up to the first error; after it a compressed input may resync
 * differently (at the next gzip member rather than the next "WARC/" or
 * ARC "http" line),
 * so only error-free runs must match to the end. */
static void same(const run *a, const run *b) {
    size_t n = a->n < b->n ? a->n : b->n;
    for (size_t i = 0; i < n; i++) {
        CHECK(a->r[i].err == b->r[i].err);
        CHECK(a->r[i].len == b->r[i].len);
        CHECK(a->r[i].hash == b->r[i].hash);
        if (a->r[i].err != TM_OK) return;
    }
    CHECK(a->n == b->n);
    CHECK(a->skipped == b->skipped);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char plain[64], gz[64], zst[64], cut[64];
    int pid = (int)getpid();
    snprintf(plain, sizeof plain, "/tmp/fuzz_warc-%d.warc", pid);
    snprintf(gz, sizeof gz, "/tmp/fuzz_warc-%d.warc.gz", pid);
    snprintf(zst, sizeof zst, "/tmp/fuzz_warc-%d.warc.zst", pid);
    snprintf(cut, sizeof cut, "/tmp/fuzz_warc-%d.cut.gz", pid);

    size_t cap = ZSTD_compressBound(size) + size / 8 + 128;
    uint8_t *zbuf = malloc(cap);
    CHECK(zbuf != NULL);

    fmt = size >= 11 && !memcmp(data, "filedesc://", 11) ? TM_FMT_ARC : TM_FMT_WARC;
    run a = {0}, b = {0}, c = {0}, d = {0};
    write_file(plain, data, size);
    read_all(plain, &a, 0);

    if (size > 0) { /* an empty gzip/zstd file is an empty stream: skip */
        size_t n = gzip(data, size, zbuf, cap);
        write_file(gz, zbuf, n);
        read_all(gz, &b, 0);
        same(&a, &b);
        write_file(cut, zbuf, n > 12 ? n - 12 : n / 2);
        read_all(cut, &d, 1);

        size_t zn = ZSTD_compress(zbuf, cap, data, size, 1);
        CHECK(!ZSTD_isError(zn));
        write_file(zst, zbuf, zn);
        read_all(zst, &c, 0);
        same(&a, &c);
    }
    unlink(plain);
    unlink(gz);
    unlink(zst);
    unlink(cut);
    free(zbuf);
    free(a.r);
    free(b.r);
    free(c.r);
    free(d.r);
    return 0;
}
