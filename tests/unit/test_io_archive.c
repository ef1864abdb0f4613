/*
 * test_io_archive.c — WARC records (the small real fixtures of tests/data/io/,
 * copied from ../shared/data/cc-warc, Apache-2.0, and synthetic ones),
 * records over max_doc_bytes (spilled, never held whole), the writers
 * (temporary name and rename; devices and FIFOs in place) and every file of
 * ../shared/data, skipped when it is absent.
 */
#include "io_testutil.h"

/* ---- WARC ---- */

static void test_warc_fixtures(void **state) {
    (void)state;
    /* WET: warcinfo skipped, one conversion record */
    const char *p = "tests/data/io/whirlwind.warc.wet.gz";
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &p, 1, NULL), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.format, TM_FMT_WARC);
    assert_int_equal(d.line, 0);
    assert_memory_equal(d.id.ptr, "<urn:uuid:ba729a40-ff84-4085-8d48-0a5b2ee0c42d>", d.id.len);
    assert_int_equal(d.text.len, 4456);
    assert_memory_equal(d.text.ptr, "Escopete - Biquipedia", 21);
    tm_buf out = {0};
    assert_int_equal(tm_doc_to_jsonl(&d, "T", 1, NULL, 0, &out), TM_OK);
    assert_string_equal(
        out.data, "{\"id\":\"<urn:uuid:ba729a40-ff84-4085-8d48-0a5b2ee0c42d>\",\"text\":\"T\","
                  "\"metadata\":{\"source\":\"tests/data/io/whirlwind.warc.wet.gz\","
                  "\"url\":\"https://an.wikipedia.org/wiki/Escopete\",\"warc_record_id\":"
                  "\"<urn:uuid:ba729a40-ff84-4085-8d48-0a5b2ee0c42d>\",\"warc_date\":"
                  "\"2024-05-18T01:58:10Z\",\"warc_type\":\"conversion\",\"content_type\":"
                  "\"text/plain\"}}\n");
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    assert_int_equal(tm_reader_skipped(r), 1);
    tm_reader_close(r);

    /* ISO-8859-1 by <meta>, decoded as windows-1252 (WHATWG) */
    p = "tests/data/io/latin1.warc.gz";
    assert_int_equal(tm_reader_open(&r, &p, 1, NULL), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.text.len, 36545);
    assert_int_equal(d.invalid_utf8, 0);
    assert_non_null(memmem(d.text.ptr, d.text.len, "Giro d\xe2\x80\x99Italia", 14));
    assert_non_null(memmem(d.text.ptr, d.text.len, "bezahlen \xe2\x80\x93 mit", 15));
    assert_non_null(memmem(d.text.ptr, d.text.len,
                           "\xc3\x9c"
                           "bersich",
                           9));
    const char *mt = "\"charset\":\"iso-8859-1\",\"http_status\":200,"
                     "\"http_headers\":\"HTTP/1.1 200 OK\\r\\nServer: nginx";
    assert_non_null(memmem(tm_doc_meta(&d).ptr, tm_doc_meta(&d).len, mt, strlen(mt)));
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    assert_int_equal(tm_reader_skipped(r), 1); /* the request */
    tm_reader_close(r);

    /* ClueWeb09: WARC/0.18, bare-LF HTTP headers, EUC-JP, false gzip label */
    p = "tests/data/io/clueweb-quirk.warc.gz";
    assert_int_equal(tm_reader_open(&r, &p, 1, NULL), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_memory_equal(d.id.ptr, "<urn:uuid:a1139a48-24c7-4d88-8d47-f38823b96187>", d.id.len);
    assert_int_equal(d.invalid_utf8, 0);
    const char *title =
        "\xe3\x83\x96\xe3\x83\xa9\xe3\x82\xa6\xe3\x83\x8b\xe3\x83\xbc "
        "\xe3\x82\xa6\xe3\x82\xa7\xe3\x82\xb9\xe3\x83\x88"; /* ブラウニー ウェスト */
    assert_non_null(memmem(d.text.ptr, d.text.len, title, strlen(title)));
    assert_non_null(memmem(tm_doc_meta(&d).ptr, tm_doc_meta(&d).len, "\"charset\":\"euc-jp\"", 18));
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    tm_reader_close(r);
    tm_buf_free(&out);
}

static void warc_rec(tm_buf *b, const char *type, const char *ctype, const char *body, size_t n) {
    tmi_buf_printf(b,
                   "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:x:%zu>\r\n"
                   "WARC-Target-URI: <http://e.x/%s>\r\nContent-Type: %s\r\n"
                   "Content-Length: %zu\r\n\r\n",
                   type, b->len, type, ctype, n);
    tmi_buf_append(b, body, n);
    tmi_buf_puts(b, "\r\n\r\n");
}

static void test_warc_synth(void **state) {
    (void)state;
    tm_buf w = {0};
    const char *gb = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=GB2312\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n4\r\n\xd6\xd0\xce\xc4\r\n"
                     "3\r\n<p>\r\n0\r\n\r\n";
    warc_rec(&w, "response", "application/http; msgtype=response", gb, strlen(gb));
    const char *img = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG";
    warc_rec(&w, "response", "application/http; msgtype=response", img, strlen(img));
    warc_rec(&w, "request", "application/http; msgtype=request", "GET / HTTP/1.1\r\n\r\n", 18);
    /* malformed: bad Content-Length, then garbage; reading resumes */
    tmi_buf_puts(&w, "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 12x\r\n\r\nblah\r\n");
    /* bare LF headers are fine */
    tmi_buf_puts(&w, "WARC/1.0\nWARC-Type: conversion\nContent-Length: 5\n\nhello\n\n");
    const char *cp = "HTTP/1.1 404 Not Found\r\n\r\n<meta charset=\"windows-1251\">\xcf\xf0\xe8";
    warc_rec(&w, "response", "application/http; msgtype=response", cp, strlen(cp));
    const char *br = "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx";
    warc_rec(&w, "response", "application/http; msgtype=response", br, strlen(br));
    /* truncated: Content-Length promises more than the file has */
    tmi_buf_puts(&w, "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 100\r\n\r\nshort");
    const char *p = write_file("s.warc", w.data, w.len);
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &p, 1, NULL), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.text.len, 9);
    assert_memory_equal(d.text.ptr, "\xe4\xb8\xad\xe6\x96\x87<p>", 9); /* 中文<p> */
    assert_memory_equal(d.id.ptr, "<urn:x:0>", 9);
    assert_non_null(
        memmem(tm_doc_meta(&d).ptr, tm_doc_meta(&d).len, "\"url\":\"http://e.x/response\"", 27));
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_WARC);
    assert_string_equal(tm_reader_detail(r), "invalid Content-Length '12x'");
    assert_int_equal(d.raw.len, strlen("WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: "
                                       "12x\r\n\r\nblah\r\n"));
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.text.len, 5);
    assert_memory_equal(d.text.ptr, "hello", 5);
    assert_int_equal(d.has_id, 0);
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.text.len, strlen("<meta charset=\"windows-1251\">") + 6);
    assert_memory_equal(d.text.ptr + d.text.len - 6, "\xd0\x9f\xd1\x80\xd0\xb8", 6); /* При */
    assert_non_null(memmem(tm_doc_meta(&d).ptr, tm_doc_meta(&d).len, "\"http_status\":404", 17));
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_UNSUPPORTED);
    assert_string_equal(tm_reader_detail(r), "unsupported Content-Encoding 'br'");
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_TRUNCATED);
    assert_string_equal(tm_reader_detail(r), "input ends after 5 of 100 WARC body bytes");
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    assert_int_equal(tm_reader_skipped(r), 2); /* the image and the request */
    tm_reader_close(r);
    /* the same stream gzipped record by record, cut inside the last member */
    tm_buf_free(&w);
}

/* ---- oversize records ---- */

static void test_spill(void **state) {
    (void)state;
    char big[300];
    memset(big, 'x', sizeof big);
    tm_buf l = {0};
    tmi_buf_puts(&l, "{\"text\":\"ok\"}\n{\"text\":\"");
    tmi_buf_append(&l, big, sizeof big);
    tmi_buf_puts(&l, "\"}\n{\"text\":\"after\"}\n");
    const char *p = write_file("big.jsonl", l.data, l.len);
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    o.max_doc_bytes = 100;
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &p, 1, &o), TM_OK);
    tm_raw raw;
    assert_int_equal(tmi_reader_next_raw(r, &raw), TM_OK);
    assert_int_equal(raw.err, 0);
    assert_int_equal(tmi_reader_next_raw(r, &raw), TM_OK);
    assert_int_equal(raw.err, TM_ERR_TOO_BIG);
    assert_int_equal(raw.len, 100);
    assert_int_equal(raw.spill_len, 300 + 11);
    assert_int_equal(raw.line, 2);
    assert_string_equal(raw.detail, "record of 311 bytes exceeds max_doc_bytes 100");
    tm_writer *w;
    const char *rp = tpath("rej.jsonl");
    assert_int_equal(tm_writer_open(&w, rp), TM_OK);
    assert_int_equal(tmi_reject_write_spill(w, &raw), TM_OK);
    assert_int_equal(tm_writer_close(w), TM_OK);
    assert_int_equal(tmi_reader_next_raw(r, &raw), TM_OK);
    assert_int_equal(raw.err, 0);
    assert_int_equal(raw.line, 3);
    assert_int_equal(tmi_reader_next_raw(r, &raw), TM_EOF);
    tm_reader_close(r);
    /* the rejects line carries the whole record */
    json_error_t je;
    json_t *j = json_load_file(rp, 0, &je);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "too_big");
    assert_int_equal(json_integer_value(json_object_get(j, "line")), 2);
    const char *b64 = json_string_value(json_object_get(j, "raw_base64"));
    tm_buf want = {0};
    tmi_base64(&want, l.data + 14, 311);
    assert_string_equal(b64, want.data);
    json_decref(j);
    tm_buf_free(&want);
    /* a WARC record over the cap, then a normal one */
    tmi_buf_reset(&l);
    warc_rec(&l, "conversion", "text/plain", big, sizeof big);
    warc_rec(&l, "conversion", "text/plain", "small", 5);
    p = write_file("big.warc", l.data, l.len);
    o.max_doc_bytes = 200;
    run rr;
    read_all(&p, 1, &o, &rr);
    assert_int_equal(rr.ok, 1);
    assert_int_equal(rr.bad, 1);
    assert_non_null(strstr(rr.log.data, "too_big|record of "));
    assert_non_null(strstr(rr.log.data, "|small|0\n"));
    tm_buf_free(&rr.log);
    tm_buf_free(&l);
}

/* ---- writers ---- */

static void test_writers(void **state) {
    (void)state;
    char tmpname[600];
    long sizes[6];
    const char *p = tpath("out.jsonl");
    tm_writer *w;
    assert_int_equal(tm_writer_open(&w, p), TM_OK);
    snprintf(tmpname, sizeof tmpname, "%s.tmp-%ld", p, (long)getpid());
    assert_int_equal(access(tmpname, F_OK), 0);
    assert_int_not_equal(access(p, F_OK), 0);
    assert_int_equal(tm_writer_write(w, "{\"text\":\"a\"}\n", 13), TM_OK);
    assert_int_equal(tm_writer_bytes(w), 13);
    assert_int_equal(tm_writer_close(w), TM_OK);
    assert_int_equal(access(p, F_OK), 0);
    assert_int_not_equal(access(tmpname, F_OK), 0);
    /* abort leaves nothing */
    p = tpath("gone.jsonl");
    assert_int_equal(tm_writer_open(&w, p), TM_OK);
    tm_writer_write(w, "x", 1);
    tm_writer_abort(w);
    assert_int_not_equal(access(p, F_OK), 0);
    snprintf(tmpname, sizeof tmpname, "%s.tmp-%ld", p, (long)getpid());
    assert_int_not_equal(access(tmpname, F_OK), 0);
    /* lazy: no write, no file */
    p = tpath("lazy.jsonl");
    assert_int_equal(tm_writer_open_lazy(&w, p), TM_OK);
    snprintf(tmpname, sizeof tmpname, "%s.tmp-%ld", p, (long)getpid());
    assert_int_not_equal(access(tmpname, F_OK), 0);
    assert_int_equal(tm_writer_close(w), TM_OK);
    assert_int_not_equal(access(p, F_OK), 0);
    /* .gz and .zst round trips through the reader, larger than a buffer, at
     * the default level and at levels 1 and 9 (the level must take effect:
     * the compressed sizes differ, the records do not) */
    const char *names[] = {"rt.jsonl.gz", "rt.jsonl.zst"};
    static const int levels[] = {0, 1, 9};
    for (int k = 0; k < 6; k++) {
        p = tpath(names[k % 2]);
        int level = levels[k / 2];
        if (level)
            assert_int_equal(tm_writer_open_level(&w, p, level), TM_OK);
        else
            assert_int_equal(tm_writer_open(&w, p), TM_OK);
        char line[128];
        for (int i = 0; i < 40000; i++) {
            int n = snprintf(line, sizeof line, "{\"id\":%d,\"text\":\"line %d %x\"}\n", i, i,
                             i * 2654435761u);
            assert_int_equal(tm_writer_write(w, line, (size_t)n), TM_OK);
        }
        assert_int_equal(tm_writer_close(w), TM_OK);
        FILE *f = fopen(p, "rb");
        unsigned char m[4];
        assert_int_equal(fread(m, 1, 4, f), 4);
        fclose(f);
        assert_int_equal(m[0], k % 2 == 0 ? 0x1f : 0x28);
        struct stat sb;
        assert_int_equal(stat(p, &sb), 0);
        sizes[k] = (long)sb.st_size;
        run rr;
        read_all(&p, 1, NULL, &rr);
        assert_int_equal(rr.ok, 40000);
        assert_int_equal(rr.bad, 0);
        assert_non_null(strstr(rr.log.data, "ok|39999|line 39999 "));
        tm_buf_free(&rr.log);
    }
    for (int k = 2; k < 6; k++) assert_true(sizes[k] != sizes[k % 2]);
}

/* ---- everything in ../shared/data ---- */

static void test_shared_corpora(void **state) {
    (void)state;
    static const struct {
        const char *rel;
        size_t ok, bad, skipped;
    } want[] = {
        {"cc-warc/clipped.warc.gz", 0, 1, 0},
        {"cc-warc/clueweb-quirk.warc.gz", 29, 0, 1},
        {"cc-warc/warcfile.warc.gz", 16, 0, 34},
        {"cc-warc/whirlwind.warc.gz", 1, 0, 3},
        {"cc-warc/whirlwind.warc.wat.gz", 0, 0, 2},
        {"cc-warc/whirlwind.warc.wet.gz", 1, 0, 1},
        {"cc-wet/CC-MAIN-20190717121559-20190717143559-00140.jsonl.gz", 697, 0, 0},
        {"cc-wet/cc_main_2019_30_wet_docs.jsonl", 697, 0, 0},
        {"cc-wet/cc_en_head-0091.jsonl", 10, 0, 0},
        {"cc-wet/provided_documents_000.json.gz", 10, 0, 0},
        {"cc-wet/sample-0000.warc.gz", 22, 0, 26},
        {"cc-wet/sample-0001.warc.gz", 15, 0, 19},
    };
    char buf[1024];
    int seen = 0;
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const char *p = tm_test_shared(want[i].rel, buf, sizeof buf);
        if (!p) continue;
        seen++;
        run rr;
        read_all(&p, 1, NULL, &rr);
        if (rr.ok != want[i].ok || rr.bad != want[i].bad || rr.skipped != want[i].skipped)
            fprintf(stderr, "%s: ok=%zu bad=%zu skipped=%zu\n", want[i].rel, rr.ok, rr.bad,
                    rr.skipped);
        assert_int_equal(rr.ok, want[i].ok);
        assert_int_equal(rr.bad, want[i].bad);
        assert_int_equal(rr.skipped, want[i].skipped);
        if (i == 0) assert_non_null(strstr(rr.log.data, "truncated|"));
        tm_buf_free(&rr.log);
    }
    if (!seen) skip();
    /* JSONL passes through byte for byte */
    const char *p = tm_test_shared("cc-wet/cc_main_2019_30_wet_docs.jsonl", buf, sizeof buf);
    if (!p) return;
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &p, 1, NULL), TM_OK);
    FILE *f = fopen(p, "rb");
    tm_buf line = {0}, out = {0};
    tm_doc d;
    char chunk[1 << 16];
    while (tm_reader_next(r, &d) == TM_OK) {
        tmi_buf_reset(&out);
        assert_int_equal(tm_doc_to_jsonl(&d, NULL, 0, NULL, 0, &out), TM_OK);
        tmi_buf_reset(&line);
        while (fgets(chunk, sizeof chunk, f)) {
            tmi_buf_puts(&line, chunk);
            if (line.len && line.data[line.len - 1] == '\n') break;
        }
        assert_int_equal(out.len, line.len);
        assert_memory_equal(out.data, line.data, out.len);
    }
    fclose(f);
    tm_buf_free(&line);
    tm_buf_free(&out);
    tm_reader_close(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_warc_fixtures),  cmocka_unit_test(test_warc_synth),
        cmocka_unit_test(test_spill),          cmocka_unit_test(test_writers),
        cmocka_unit_test(test_shared_corpora),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
