/*
 * fuzz_memreader.c — libFuzzer target for the readers programs use: the
 * input is read as one stream three ways — a reader over memory, a reader
 * over a read callback that hands it out in pieces of 1 to 256 bytes (sizes
 * drawn from the input's last byte), and, when it is JSONL text, line by line
 * through tm_parse_record — and the three must agree on every record: its
 * error (with its reason), line, offset, raw bytes, text and id. The first
 * two share the stream and the framing and differ only in how the bytes
 * arrive, so any disagreement is a bug of buffering (a magic number split
 * across reads, a gzip member or zstd frame cut by a piece boundary, a line
 * refilled across a read). The one allowance: how much of a damaged zstd
 * frame decodes before TM_ERR_CORRUPT depends on the sizes its bytes arrive
 * in (zstd streams a raw block in pieces, but checks it whole when it is
 * all there), so past a corrupt stream both readers need only end, each
 * after that error or the binary verdict its first bytes may draw. Any
 * other difference calls abort().
 */
#include "tamis.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_memreader: check failed at line %d: %s\n", __LINE__, #cond);     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

typedef struct feed {
    const uint8_t *p;
    size_t n, at;
    unsigned seed;
} feed;

static long feed_read(void *user, void *buf, size_t cap) {
    feed *f = user;
    f->seed = f->seed * 1103515245u + 12345u;
    size_t k = 1 + (f->seed >> 16) % 256;
    if (k > f->n - f->at) k = f->n - f->at;
    if (k > cap) k = cap;
    memcpy(buf, f->p + f->at, k);
    f->at += k;
    return (long)k;
}

static int same(tm_str a, tm_str b) {
    return a.len == b.len && (!a.len || !memcmp(a.ptr, b.ptr, a.len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    o.max_doc_bytes = 4096; /* records over it take the spill path */
    tm_reader *m = NULL, *c = NULL;
    feed f = {data, size, 0, size ? data[size - 1] : 0};
    CHECK(tm_reader_open_mem(&m, data, size, "in", &o) == TM_OK);
    CHECK(tm_reader_open_cb(&c, feed_read, &f, "in", &o) == TM_OK);
    tm_parser *p = NULL;
    CHECK(tm_parser_new(&p, "in", &o) == TM_OK);
    /* line by line only for plain JSONL: the framing then is just LF */
    int lines = size > 0 && data[0] == '{';
    size_t at = 0;
    for (;;) {
        tm_doc a, b;
        tm_error ea = tm_reader_next(m, &a), eb = tm_reader_next(c, &b);
        if (ea == TM_ERR_CORRUPT || eb == TM_ERR_CORRUPT) {
            /* How much of a damaged zstd frame decodes before the error
             * depends on how its bytes arrive (the whole frame at once, or
             * a raw block streamed in pieces, whose bytes may even make the
             * input look binary first): from here on, both must only end,
             * each after that error or the binary verdict. */
            int da = ea == TM_ERR_CORRUPT || ea == TM_ERR_UNSUPPORTED;
            int db = eb == TM_ERR_CORRUPT || eb == TM_ERR_UNSUPPORTED;
            for (tm_error x = ea; x != TM_EOF; da |= x == TM_ERR_CORRUPT || x == TM_ERR_UNSUPPORTED)
                x = tm_reader_next(m, &a);
            for (tm_error x = eb; x != TM_EOF; db |= x == TM_ERR_CORRUPT || x == TM_ERR_UNSUPPORTED)
                x = tm_reader_next(c, &b);
            CHECK(da && db);
            break;
        }
        CHECK(ea == eb);
        if (ea == TM_EOF) break;
        CHECK(!strcmp(tm_reader_detail(m), tm_reader_detail(c)));
        CHECK(a.line == b.line && a.offset == b.offset && a.index == b.index);
        CHECK(same(a.raw, b.raw) && same(a.source, b.source));
        if (!ea) CHECK(same(a.text, b.text) && same(a.id, b.id) && a.format == b.format);
        if (!lines || a.format != TM_FMT_JSONL || ea == TM_ERR_TOO_BIG) {
            lines = 0;
            continue;
        }
        /* the parser: lines up to and including this record's */
        tm_doc d;
        tm_error ed;
        do {
            const uint8_t *nl = memchr(data + at, '\n', size - at);
            size_t len = nl ? (size_t)(nl - (data + at)) + 1 : size - at;
            ed = tm_parse_record(p, (const char *)data + at, len, &d);
            at += len;
        } while (ed == TM_EOF && at < size);
        CHECK(ed == ea);
        CHECK(d.line == a.line && same(d.raw, a.raw));
        CHECK(!strcmp(tm_parser_detail(p), tm_reader_detail(m)));
        if (!ea) CHECK(same(d.text, a.text) && same(d.id, a.id));
    }
    tm_parser_free(p);
    tm_reader_close(m);
    tm_reader_close(c);
    return 0;
}
