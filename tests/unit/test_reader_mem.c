/*
 * test_reader_mem.c — input for programs: readers over memory and over a
 * read callback give exactly the documents and rejects of a reader over the
 * same bytes in a file named like them (plain, gzip members, zstd, WARC,
 * WET, text, a truncated stream, a record over max_doc_bytes), whatever
 * sizes the callback returns; a failing callback is a read error at its
 * place; and tm_parse_record turns each line into the reader's document or
 * rejection. Also tm_free on what the library allocates.
 */
#include "testutil.h"

#include <zstd.h>

static char dir[256];

static const char jsonl[] =
    "{\"id\": \"a\", \"text\": \"premier \\u00e9t\\u00e9\", \"meta\": {\"x\": [1, 2]}}\n"
    "\n"
    "{\"id\": \"b\", \"text\": 5}\n"
    "not json\r\n"
    "   \n"
    "{\"text\": \"no id: the reader makes one\"}\r\n"
    "{\"id\": \"c\", \"text\": \"bad \xff utf-8\", \"tamis\": {\"quality\": 0.5}}\n"
    "{\"id\": \"d\", \"text\": \"the last line has no LF\"}";

/* A document as the tests compare it, with its error and detail. */
static void expect_same(tm_reader *want, tm_reader *got) {
    for (int k = 0;; k++) {
        tm_doc a, b;
        tm_error ea = tm_reader_next(want, &a), eb = tm_reader_next(got, &b);
        assert_int_equal(eb, ea);
        if (ea == TM_EOF) break;
        assert_string_equal(tm_reader_detail(got), tm_reader_detail(want));
        assert_int_equal(b.source.len, a.source.len);
        assert_memory_equal(b.source.ptr, a.source.ptr, a.source.len);
        assert_int_equal(b.line, a.line);
        assert_int_equal(b.offset, a.offset);
        assert_int_equal(b.index, a.index);
        assert_int_equal(b.raw.len, a.raw.len);
        if (a.raw.len) assert_memory_equal(b.raw.ptr, a.raw.ptr, a.raw.len);
        /* the rejects line says the same (file name, line, offset, raw) */
        tm_buf ra = {0}, rb = {0};
        if (ea < 0) {
            assert_int_equal(tm_reject_to_jsonl(&a, ea, tm_reader_detail(want), &ra), TM_OK);
            assert_int_equal(tm_reject_to_jsonl(&b, eb, tm_reader_detail(got), &rb), TM_OK);
            assert_string_equal(rb.data, ra.data);
        } else {
            assert_int_equal(b.format, a.format);
            assert_int_equal(b.text.len, a.text.len);
            if (a.text.len) assert_memory_equal(b.text.ptr, a.text.ptr, a.text.len);
            assert_int_equal(b.id.len, a.id.len);
            assert_memory_equal(b.id.ptr, a.id.ptr, a.id.len);
            assert_int_equal(b.invalid_utf8, a.invalid_utf8);
            assert_int_equal(tm_doc_to_jsonl(&a, NULL, 0, NULL, 0, &ra), TM_OK);
            assert_int_equal(tm_doc_to_jsonl(&b, NULL, 0, NULL, 0, &rb), TM_OK);
            assert_string_equal(rb.data, ra.data);
        }
        tm_buf_free(&ra);
        tm_buf_free(&rb);
    }
}

/* Hands out the buffer in pieces of `step` bytes (or fails at `fail_at`). */
typedef struct feed {
    const char *p;
    size_t n, at, step, fail_at;
    int calls_after_end;
    int ended;
} feed;

static long feed_read(void *user, void *buf, size_t cap) {
    feed *f = user;
    if (f->ended) f->calls_after_end++;
    if (f->fail_at && f->at >= f->fail_at) {
        f->ended = 1;
        return -1;
    }
    size_t k = f->n - f->at;
    if (k > f->step) k = f->step;
    if (k > cap) k = cap;
    if (f->fail_at && f->at + k > f->fail_at) k = f->fail_at - f->at;
    memcpy(buf, f->p + f->at, k);
    f->at += k;
    if (!k) f->ended = 1;
    return (long)k;
}

/* The file reader over data written to dir/name against the memory reader
 * and callback readers (several piece sizes) named after that path. */
static void check_bytes(const char *name, const void *data, size_t n, const tm_reader_opts *o) {
    char path[300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    const char *paths[] = {path};
    tm_reader *want, *got;
    assert_int_equal(tm_reader_open(&want, paths, 1, o), TM_OK);
    assert_int_equal(tm_reader_open_mem(&got, data, n, path, o), TM_OK);
    assert_int_equal(tm_reader_n_inputs(got), 1);
    assert_string_equal(tm_reader_input(got, 0), path);
    assert_int_equal(tm_reader_bytes_total(got), n);
    expect_same(want, got);
    assert_int_equal(tm_reader_skipped(got), tm_reader_skipped(want));
    assert_int_equal(tm_reader_bytes_in(got), tm_reader_bytes_in(want));
    tm_reader_close(want);
    tm_reader_close(got);
    size_t steps[] = {1, 3, 4096, (size_t)1 << 20};
    for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
        if (steps[s] == 1 && n > 100000) continue; /* byte by byte: small inputs only */
        feed fd = {data, n, 0, steps[s], 0, 0, 0};
        assert_int_equal(tm_reader_open(&want, paths, 1, o), TM_OK);
        assert_int_equal(tm_reader_open_cb(&got, feed_read, &fd, path, o), TM_OK);
        expect_same(want, got);
        assert_int_equal(fd.calls_after_end, 0);
        tm_reader_close(want);
        tm_reader_close(got);
    }
    remove(path);
}

static void check_file(const char *src, const char *name) {
    size_t n;
    char *data = tm_test_slurp(src, &n);
    assert_non_null(data);
    check_bytes(name, data, n, NULL);
    free(data);
}

static void test_formats(void **st) {
    (void)st;
    size_t n = sizeof jsonl - 1;
    check_bytes("plain.jsonl", jsonl, n, NULL);
    /* gzip, two members */
    tm_buf gz = {0};
    tm_test_gzip_member(&gz, jsonl, 100);
    tm_test_gzip_member(&gz, jsonl + 100, n - 100);
    check_bytes("two.jsonl.gz", gz.data, gz.len, NULL);
    /* cut inside the second member: TM_ERR_TRUNCATED at its place */
    check_bytes("cut.jsonl.gz", gz.data, gz.len - 9, NULL);
    tm_buf_free(&gz);
    /* corrupt inside a member: the records inflated before the damage are
     * delivered, then the error, however the bytes arrive */
    tm_buf many = {0}, gz2 = {0};
    for (int i = 0; i < 300; i++)
        tmi_buf_printf(&many, "{\"id\":\"%d\",\"text\":\"line %d of a long member\"}\n", i,
                       i * 7919);
    tm_test_gzip_member(&gz2, many.data, many.len);
    for (size_t k = gz2.len * 6 / 10; k < gz2.len * 6 / 10 + 8; k++) gz2.data[k] ^= 0x5a;
    check_bytes("damaged.jsonl.gz", gz2.data, gz2.len, NULL);
    tm_reader *r;
    assert_int_equal(tm_reader_open_mem(&r, gz2.data, gz2.len, "damaged", NULL), TM_OK);
    tm_doc d;
    int ok = 0;
    tm_error e;
    while ((e = tm_reader_next(r, &d)) == TM_OK) ok++;
    assert_true(ok > 10 && ok < 300);
    assert_true(e == TM_ERR_CORRUPT || e == TM_ERR_JSON);
    tm_reader_close(r);
    tm_buf_free(&many);
    tm_buf_free(&gz2);
    /* zstd */
    size_t cap = ZSTD_compressBound(n);
    char *z = malloc(cap);
    size_t zn = ZSTD_compress(z, cap, jsonl, n, 3);
    assert_false(ZSTD_isError(zn));
    check_bytes("a.jsonl.zst", z, zn, NULL);
    check_bytes("cut.jsonl.zst", z, zn - 5, NULL);
    z[zn / 2] ^= 0x55; /* corrupt */
    check_bytes("bad.jsonl.zst", z, zn, NULL);
    free(z);
    /* other formats and options */
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    o.format = TM_FMT_TEXT;
    check_bytes("whole.txt", jsonl, n, &o);
    o.lines = 1;
    check_bytes("lines.txt", jsonl, n, &o);
    tm_reader_opts_init(&o);
    o.max_doc_bytes = 40; /* records over it are spilled and rejected */
    check_bytes("big.jsonl", jsonl, n, &o);
    o.text_field = "meta.x";
    check_bytes("field.jsonl", jsonl, n, &o);
    check_bytes("empty.jsonl", "", 0, NULL);
    static const char pdf[] = "%PDF-1.4\n\0\0\0binary";
    check_bytes("binary.bin", pdf, sizeof pdf - 1, NULL);
    check_file("tests/data/io/latin1.warc.gz", "latin1.warc.gz");
    check_file("tests/data/io/whirlwind.warc.wet.gz", "w.wet.gz");
    check_file("tests/data/io/clueweb-quirk.warc.gz", "q.warc.gz");
    check_file("tests/data/clipped.warc.gz", "clipped.warc.gz");
}

/* A callback that fails: the records before it, then a read error at its
 * place; the callback is never called again. */
static void test_callback_errors(void **st) {
    (void)st;
    size_t n = sizeof jsonl - 1;
    tm_reader *r;
    /* fails in the middle of "not json" */
    feed fd = {jsonl, n, 0, 16, (size_t)(strstr(jsonl, "not json") - jsonl) + 4, 0, 0};
    assert_int_equal(tm_reader_open_cb(&r, feed_read, &fd, "net", NULL), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_OK); /* a: line 1, wholly read */
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_FIELD);
    tm_error e = tm_reader_next(r, &d);
    assert_int_equal(e, TM_ERR_IO); /* "not json" was cut by the failure */
    assert_int_equal(d.source.len, 3);
    assert_memory_equal(d.source.ptr, "net", 3);
    assert_int_equal(d.line, 4);
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    assert_int_equal(fd.calls_after_end, 0);
    tm_reader_close(r);

    /* failing at once: the input is unreadable, named */
    feed f0 = {jsonl, n, 0, 0, 0, 0, 0}; /* returns 0 at once: an empty stream */
    assert_int_equal(tm_reader_open_cb(&r, feed_read, &f0, NULL, NULL), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    tm_reader_close(r);
    feed f1 = {jsonl, n, 0, 16, 0, 0, 0};
    f1.at = 1; /* fail_at 1 <= at: the first call fails */
    f1.fail_at = 1;
    assert_int_equal(tm_reader_open_cb(&r, feed_read, &f1, NULL, NULL), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_IO);
    assert_int_equal(d.source.len, strlen("<stream>"));
    assert_memory_equal(d.source.ptr, "<stream>", d.source.len);
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    assert_int_equal(f1.calls_after_end, 0);
    tm_reader_close(r);

    /* an empty buffer is an empty input */
    assert_int_equal(tm_reader_open_mem(&r, NULL, 0, NULL, NULL), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    tm_reader_close(r);
    /* arguments */
    r = (tm_reader *)&d;
    assert_int_equal(tm_reader_open_mem(&r, NULL, 4, "x", NULL), TM_ERR_ARG);
    assert_null(r);
    assert_int_equal(tm_reader_open_cb(&r, NULL, NULL, "x", NULL), TM_ERR_ARG);
    assert_int_equal(tm_reader_open_mem(NULL, "x", 1, "x", NULL), TM_ERR_ARG);
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    o.text_field = "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z";
    assert_int_equal(tm_reader_open_mem(&r, "x", 1, "x", &o), TM_ERR_ARG);
}

static long liar(void *user, void *buf, size_t cap) {
    (void)user;
    (void)buf;
    return (long)cap + 1;
}

/* A callback that claims more than it was offered is a read error. */
static void test_callback_liar(void **st) {
    (void)st;
    tm_reader *r;
    tm_doc d;
    assert_int_equal(tm_reader_open_cb(&r, liar, NULL, "liar", NULL), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_IO);
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    tm_reader_close(r);
}

/* Each line through tm_parse_record is the reader's document or reject. */
static void test_parse_record(void **st) {
    (void)st;
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    tm_reader *r;
    assert_int_equal(tm_reader_open_mem(&r, jsonl, sizeof jsonl - 1, "mem.jsonl", &o), TM_OK);
    tm_parser *p;
    assert_int_equal(tm_parser_new(&p, "mem.jsonl", &o), TM_OK);
    const char *at = jsonl, *end = jsonl + sizeof jsonl - 1;
    int records = 0;
    while (at < end) {
        const char *nl = memchr(at, '\n', (size_t)(end - at));
        size_t len = nl ? (size_t)(nl - at) + 1 : (size_t)(end - at); /* with its LF */
        tm_doc a, b;
        tm_error eb = tm_parse_record(p, at, len, &b);
        at += len;
        if (eb == TM_EOF) continue; /* a blank line: the reader skips it */
        records++;
        tm_error ea = tm_reader_next(r, &a);
        assert_int_equal(eb, ea);
        assert_string_equal(tm_parser_detail(p), tm_reader_detail(r));
        assert_int_equal(b.line, a.line);
        assert_int_equal(b.index + 0, (uint64_t)(b.line - 1));
        assert_int_equal(b.raw.len, a.raw.len);
        assert_memory_equal(b.raw.ptr, a.raw.ptr, a.raw.len);
        if (ea) continue;
        assert_int_equal(b.text.len, a.text.len);
        assert_memory_equal(b.text.ptr, a.text.ptr, a.text.len);
        assert_int_equal(b.id.len, a.id.len);
        assert_memory_equal(b.id.ptr, a.id.ptr, a.id.len);
        assert_int_equal(b.has_id, a.has_id);
        assert_int_equal(b.invalid_utf8, a.invalid_utf8);
        tm_buf ja = {0}, jb = {0};
        assert_int_equal(tm_doc_to_jsonl(&a, NULL, 0, "\"k\":1", 5, &ja), TM_OK);
        assert_int_equal(tm_doc_to_jsonl(&b, NULL, 0, "\"k\":1", 5, &jb), TM_OK);
        assert_string_equal(jb.data, ja.data);
        tm_buf_free(&ja);
        tm_buf_free(&jb);
    }
    assert_int_equal(records, 6);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    tm_reader_close(r);
    /* one record, not two */
    assert_int_equal(tm_parse_record(p, "{}\n{}", 5, &d), TM_ERR_ARG);
    assert_int_equal(tm_parse_record(p, NULL, 3, &d), TM_ERR_ARG);
    assert_int_equal(tm_parse_record(NULL, "{}", 2, &d), TM_ERR_ARG);
    tm_parser_free(p);

    /* over max_doc_bytes: rejected, raw cut where the reader cuts it */
    o.max_doc_bytes = 10;
    assert_int_equal(tm_parser_new(&p, NULL, &o), TM_OK);
    const char *big = "{\"text\": \"longer than ten bytes\"}";
    assert_int_equal(tm_parse_record(p, big, strlen(big), &d), TM_ERR_TOO_BIG);
    assert_int_equal(d.raw.len, 10);
    assert_string_equal(tm_parser_detail(p), "record of 33 bytes exceeds max_doc_bytes 10");
    assert_int_equal(d.source.len, strlen("<memory>"));
    tm_parser_free(p);
    /* text lines; a generated id names the parser */
    tm_reader_opts_init(&o);
    o.format = TM_FMT_LINES;
    assert_int_equal(tm_parser_new(&p, "notes", &o), TM_OK);
    assert_int_equal(tm_parse_record(p, "hello\r\n", 7, &d), TM_OK);
    assert_int_equal(d.text.len, 5);
    assert_memory_equal(d.text.ptr, "hello", 5);
    assert_int_equal(d.id.len, strlen("notes:1"));
    assert_memory_equal(d.id.ptr, "notes:1", d.id.len);
    tm_parser_free(p);
    /* WARC records need framing: not one line */
    o.format = TM_FMT_WARC;
    assert_int_equal(tm_parser_new(&p, NULL, &o), TM_ERR_ARG);
    assert_int_equal(tm_parser_new(NULL, NULL, NULL), TM_ERR_ARG);
    tm_parser_free(NULL);
}

static void test_tm_free(void **st) {
    (void)st;
    tm_shingle_opts so;
    tm_shingle_opts_init(&so);
    uint64_t *h = NULL;
    size_t n = 0;
    assert_int_equal(tm_shingle_text("one two three four five six", 27, &so, &h, &n, NULL), TM_OK);
    assert_int_equal(n, 2);
    tm_free(h);
    tm_free(NULL);
}

int main(void) {
    snprintf(dir, sizeof dir, "%s/tamis-readmem-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),       cmocka_unit_test(test_callback_errors),
        cmocka_unit_test(test_callback_liar), cmocka_unit_test(test_parse_record),
        cmocka_unit_test(test_tm_free),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    int left = rmdir(dir) != 0; /* the tests removed what they wrote */
    return rc || left;
}
