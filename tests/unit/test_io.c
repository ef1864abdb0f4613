/*
 * test_io.c — readers and serialisation: JSONL reading (ids, texts, line
 * numbers, error kinds and reasons), binary inputs, field paths, the bytes
 * of re-serialised lines and rejects, gzip and zstd, directories, text and
 * lines. Inputs are written to a fresh temporary directory by each test, so
 * the known answers are exact. The JSON scanner is test_json.c; WARC,
 * oversize records, writers and ../shared/data are test_io_archive.c.
 */
#include "io_testutil.h"

/* ---- JSONL reading ---- */

static const char JSONL[] = "{\"id\":\"a\",\"text\":\"plain\"}\n"                    /* 1 */
                            "\n"                                                     /* 2 blank */
                            "  \t\r\n"                                               /* 3 blank */
                            "{\"text\":\"no id\"}\r\n"                               /* 4 CRLF */
                            "{\"id\":7,\"text\":\"num id \\u00e9\\ud83d\\ude00\"}\n" /* 5 */
                            "{\"id\":null,\"text\":\"nul\\u0000in\"}\n"              /* 6 */
                            "{\"id\":\"b\",\"text\":\"bad \xff\xfe utf8\"}\n"        /* 7 */
                            "{\"id\":\"c\",\"text\":42}\n"                           /* 8 */
                            "{\"id\":\"d\"}\n"                                       /* 9 */
                            "{\"id\":\"e\",\"text\":\"x\" oops}\n"                   /* 10 */
                            "{\"id\":\"f\",\"text\":\"lone \\udc00\"}\n"             /* 11 */
                            "{\"id\":\"g\",\"text\":\"last\"}";                      /* 12, no LF */

static void test_jsonl_read(void **state) {
    (void)state;
    const char *p = write_file("a.jsonl", JSONL, sizeof JSONL - 1);
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &p, 1, &o), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.format, TM_FMT_JSONL);
    assert_int_equal(d.line, 1);
    assert_int_equal(d.offset, 0);
    assert_int_equal(d.index, 0);
    assert_int_equal(d.has_id, 1);
    assert_memory_equal(d.id.ptr, "a", 1);
    assert_int_equal(d.text.len, 5);
    assert_true(d.text.ptr >= d.raw.ptr && d.text.ptr < d.raw.ptr + d.raw.len); /* a view */
    assert_int_equal(d.raw.len, 25);

    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.line, 4);
    assert_int_equal(d.offset, 26 + 1 + 5);
    assert_int_equal(d.has_id, 0);
    char want[600];
    snprintf(want, sizeof want, "%s:4", p);
    assert_int_equal(d.id.len, strlen(want));
    assert_memory_equal(d.id.ptr, want, d.id.len);
    assert_int_equal(d.raw.len, 16); /* CR dropped */

    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.line, 5);
    assert_memory_equal(d.id.ptr, "7", 1);
    assert_int_equal(d.id.len, 1);
    assert_int_equal(d.text.len, 7 + 2 + 4);
    assert_memory_equal(d.text.ptr, "num id \xc3\xa9\xf0\x9f\x98\x80", 13);

    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.id.len, 4);
    assert_memory_equal(d.id.ptr, "null", 4);
    assert_int_equal(d.text.len, 6);
    assert_memory_equal(d.text.ptr, "nul\0in", 6);

    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.invalid_utf8, 2);
    assert_int_equal(d.text.len, 4 + 6 + 5);
    assert_memory_equal(d.text.ptr, "bad \xef\xbf\xbd\xef\xbf\xbd utf8", 15);

    assert_int_equal(tm_reader_next(r, &d), TM_ERR_FIELD);
    assert_string_equal(tm_reader_detail(r), "text field \"text\" is a number, not a string");
    assert_int_equal(d.line, 8);
    assert_int_equal(d.raw.len, strlen("{\"id\":\"c\",\"text\":42}"));
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_FIELD);
    assert_string_equal(tm_reader_detail(r), "missing text field \"text\" (fields: id)");
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_JSON);
    assert_string_equal(tm_reader_detail(r), "expected ',' or '}' at byte 21");
    assert_int_equal(d.line, 10);

    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.invalid_utf8, 0);
    assert_memory_equal(d.text.ptr, "lone \xef\xbf\xbd", 8);
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.line, 12);
    assert_int_equal(d.index, 9);
    assert_memory_equal(d.text.ptr, "last", 4);
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    assert_int_equal(tm_reader_bytes_in(r), sizeof JSONL - 1);
    assert_int_equal(tm_reader_bytes_total(r), sizeof JSONL - 1);
    tm_reader_close(r);
}

/* A missing text field names the fields the record has, cut with "..."
 * when they do not fit, "(no fields)" for {}. */
static void test_missing_field_lists(void **state) {
    (void)state;
    char big[400];
    int n = snprintf(big, sizeof big, "{\"a\":1,\"body\":\"x\",\"u\":{\"text\":1}}\n{}\n{");
    for (int k = 0; k < 30; k++)
        n += snprintf(big + n, sizeof big - (size_t)n, "%s\"field%02d\":0", k ? "," : "", k);
    snprintf(big + n, sizeof big - (size_t)n, "}\n");
    const char *p = write_file("missing.jsonl", big, strlen(big));
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &p, 1, &o), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_FIELD);
    assert_string_equal(tm_reader_detail(r), "missing text field \"text\" (fields: a, body, u)");
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_FIELD);
    assert_string_equal(tm_reader_detail(r), "missing text field \"text\" (no fields)");
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_FIELD);
    const char *det = tm_reader_detail(r);
    assert_true(strlen(det) < 160);
    assert_non_null(strstr(det, "(fields: field00, field01, "));
    assert_non_null(strstr(det, ", ...)"));
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    tm_reader_close(r);
}

/* Binary inputs are one reject with the reason, read no further; text that
 * merely contains a NUL after the first 4096 bytes, JSONL and WARC are not
 * sniffed. */
static void test_binary_inputs(void **state) {
    (void)state;
    static const struct {
        const char *data;
        size_t len;
        const char *why; /* NULL: read as text */
    } cases[] = {
        {"%PDF-1.7\n%\xe2\xe3\n1 0 obj", 21,
         "input looks binary: a PDF document (starts with %PDF-)"},
        {"PK\x03\x04\x14\x00", 6,
         "input looks binary: a ZIP archive or office document (starts with PK)"},
        {"\x7f"
         "ELF\x02\x01",
         6, "input looks binary: an ELF program"},
        {"BZh91AY&SY", 10,
         "input looks binary: bzip2 data, which tamis does not read (bunzip2 it first)"},
        {"\xff\xfeh\x00i\x00", 6,
         "input looks binary: UTF-16 text; convert it to UTF-8 first (iconv -f UTF-16)"},
        {"some text\x00more", 14, "input looks binary: NUL bytes in its first 4096 bytes"},
        {"Plain text, nothing odd.\n", 25, NULL},
        {"{\"text\":\"a\\u0000b\"}\n", 20, NULL},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const char *p = write_file("bin.in", cases[k].data, cases[k].len);
        tm_reader_opts o;
        tm_reader_opts_init(&o);
        tm_reader *r;
        assert_int_equal(tm_reader_open(&r, &p, 1, &o), TM_OK);
        tm_doc d;
        tm_error e = tm_reader_next(r, &d);
        if (cases[k].why) {
            assert_int_equal(e, TM_ERR_UNSUPPORTED);
            assert_string_equal(tm_reader_detail(r), cases[k].why);
            assert_int_equal(d.raw.len, cases[k].len);
        } else {
            assert_int_equal(e, TM_OK);
        }
        assert_int_equal(tm_reader_next(r, &d), TM_EOF);
        tm_reader_close(r);
    }
    /* a NUL past the first 4096 bytes: text (the NUL stays in the text) */
    char late[5000];
    memset(late, 'a', sizeof late);
    late[4500] = '\0';
    const char *p = write_file("late.txt", late, sizeof late);
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &p, 1, &o), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.text.len, sizeof late);
    tm_reader_close(r);
}

static void test_jsonl_fields(void **state) {
    (void)state;
    static const char L[] = "{\"doc\":{\"body\":\"B\",\"meta\":{\"url\":\"u1\"}},\"text\":\"T\"}\n"
                            "{\"doc\":{\"body\":\"C\"}}\n";
    const char *p = write_file("f.jsonl", L, sizeof L - 1);
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    o.text_field = "doc.body";
    o.id_field = "doc.meta.url";
    run rr;
    read_all(&p, 1, &o, &rr);
    char want[1200];
    snprintf(want, sizeof want, "ok|u1|B|1\nok|%s:2|C|2\n", p);
    assert_string_equal(rr.log.data, want);
    tm_buf_free(&rr.log);
    /* dotted id_field never becomes a generated member */
    tm_buf out = {0};
    first_doc_jsonl(p, &o, "new", NULL, &out);
    assert_string_equal(out.data,
                        "{\"doc\":{\"body\":\"new\",\"meta\":{\"url\":\"u1\"}},\"text\":\"T\"}\n");
    tm_buf_free(&out);
}

/* ---- serialisation ---- */

static void test_doc_to_jsonl(void **state) {
    (void)state;
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    tm_buf out = {0};
    /* untouched: byte for byte, big numbers and odd spacing included */
    const char *l1 = "{ \"id\":\"q\", \"n\" : 123456789012345678901234567890 , "
                     "\"f\":1.0E+2,\"text\":\"x\\u0041\" }";
    const char *p = write_file("s1.jsonl", l1, strlen(l1));
    first_doc_jsonl(p, &o, NULL, NULL, &out);
    assert_int_equal(out.len, strlen(l1) + 1);
    assert_memory_equal(out.data, l1, strlen(l1));
    assert_int_equal(out.data[out.len - 1], '\n');
    /* new text and tamis members appended */
    first_doc_jsonl(p, &o, "y\"\n", "\"lang\":\"fr\"", &out);
    assert_string_equal(out.data,
                        "{ \"id\":\"q\", \"n\" : 123456789012345678901234567890 , \"f\":1.0E+2,"
                        "\"text\":\"y\\\"\\n\" ,\"tamis\":{\"lang\":\"fr\"}}\n");
    /* an existing tamis is dropped and merged at the end, old bytes kept */
    const char *l2 = "{\"tamis\":{\"lang\":\"en\",\"q\":1.50},\"text\":\"t\",\"z\":0}";
    p = write_file("s2.jsonl", l2, strlen(l2));
    first_doc_jsonl(p, &o, NULL, "\"lang\":\"fr\",\"w\":2", &out);
    char want[1200];
    snprintf(want, sizeof want,
             "{\"id\":\"%s:1\",\"text\":\"t\",\"z\":0,"
             "\"tamis\":{\"q\":1.50,\"lang\":\"fr\",\"w\":2}}\n",
             p);
    assert_string_equal(out.data, want);
    /* tamis in the middle, no new members: moved to the end unchanged */
    const char *l3 = "{\"id\":1,\"tamis\":{\"a\":[1]},\"text\":\"t\"}";
    p = write_file("s3.jsonl", l3, strlen(l3));
    first_doc_jsonl(p, &o, NULL, NULL, &out);
    assert_string_equal(out.data, "{\"id\":1,\"text\":\"t\",\"tamis\":{\"a\":[1]}}\n");
    /* tamis last */
    const char *l4 = "{\"id\":1,\"text\":\"t\",\"tamis\":5}";
    p = write_file("s4.jsonl", l4, strlen(l4));
    first_doc_jsonl(p, &o, NULL, "\"k\":true", &out);
    assert_string_equal(out.data, "{\"id\":1,\"text\":\"t\",\"tamis\":{\"k\":true}}\n");
    /* a null member removes the old one of that name, and is not written */
    const char *lnull = "{\"id\":1,\"text\":\"t\",\"tamis\":{\"v\":[1,2],\"lang\":\"fr\"}}";
    p = write_file("snull.jsonl", lnull, strlen(lnull));
    first_doc_jsonl(p, &o, NULL, "\"v\":null,\"k\":1,\"gone\":null", &out);
    assert_string_equal(out.data,
                        "{\"id\":1,\"text\":\"t\",\"tamis\":{\"lang\":\"fr\",\"k\":1}}\n");
    /* invalid UTF-8 in the text and elsewhere: the line comes out valid */
    const char *l5 = "{\"id\":\"\xc3\",\"text\":\"a\xff\"}";
    p = write_file("s5.jsonl", l5, strlen(l5));
    first_doc_jsonl(p, &o, NULL, NULL, &out);
    assert_string_equal(out.data, "{\"id\":\"\xef\xbf\xbd\",\"text\":\"a\xef\xbf\xbd\"}\n");
    /* NUL in text is escaped when the text is rewritten */
    const char *l6 = "{\"text\":\"a\\u0000b\"}";
    p = write_file("s6.jsonl", l6, strlen(l6));
    /* new text with a NUL, passed with an explicit length */
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &p, 1, &o), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    tmi_buf_reset(&out);
    assert_int_equal(tm_doc_to_jsonl(&d, "c\0d", 3, NULL, 0, &out), TM_OK);
    snprintf(want, sizeof want, "{\"id\":\"%s:1\",\"text\":\"c\\u0000d\"}\n", p);
    assert_string_equal(out.data, want);
    tm_reader_close(r);
    tm_buf_free(&out);
}

static void test_reject_jsonl(void **state) {
    (void)state;
    tm_doc d;
    memset(&d, 0, sizeof d);
    d.source = (tm_str){"in.jsonl", 8};
    d.raw = (tm_str){"{\"a\" 1}", 7};
    d.line = 3;
    d.offset = 40;
    tm_buf b = {0};
    assert_int_equal(tm_reject_to_jsonl(&d, TM_ERR_JSON, "expected ':' at byte 5", &b), TM_OK);
    assert_string_equal(b.data,
                        "{\"file\":\"in.jsonl\",\"line\":3,\"offset\":40,\"error\":\"json\","
                        "\"reason\":\"expected ':' at byte 5\",\"raw\":\"{\\\"a\\\" 1}\"}\n");
    tmi_buf_reset(&b);
    d.raw = (tm_str){"\xff\x00z", 3};
    assert_int_equal(tm_reject_to_jsonl(&d, TM_ERR_TRUNCATED, NULL, &b), TM_OK);
    assert_string_equal(b.data, "{\"file\":\"in.jsonl\",\"line\":3,\"offset\":40,\"error\":"
                                "\"truncated\",\"reason\":\"input ends inside a record\","
                                "\"raw_base64\":\"/wB6\"}\n");
    tm_buf_free(&b);
}

/* ---- compression ---- */

static void test_gzip_zstd(void **state) {
    (void)state;
    const char *a = "{\"text\":\"one\"}\n{\"text\":\"tw", *b = "o\"}\n",
               *c = "{\"text\":\"three\"}\n";
    tm_buf z = {0};
    tm_test_gzip_member(&z, a, strlen(a));
    tm_test_gzip_member(&z, b, strlen(b));
    tm_test_gzip_member(&z, c, strlen(c));
    const char *p = write_file("m.jsonl.data", z.data, z.len); /* name says nothing */
    run rr;
    read_all(&p, 1, NULL, &rr);
    assert_int_equal(rr.ok, 3);
    assert_int_equal(rr.bad, 0);
    assert_non_null(strstr(rr.log.data, "|two|2\n"));
    tm_buf_free(&rr.log);
    /* cut inside the last member's trailer: all lines, then the cut is
     * reported at the stream end; the next input is read */
    p = write_file("t.gz", z.data, z.len - 6);
    const char *p2 = write_file("after.jsonl", "{\"text\":\"next\"}\n", 16);
    const char *two[] = {p, p2};
    read_all(two, 2, NULL, &rr);
    assert_int_equal(rr.ok, 4);
    assert_int_equal(rr.bad, 1);
    assert_non_null(strstr(rr.log.data, "|three|3\ntruncated|compressed stream ends inside a "
                                        "record|4\nok|"));
    assert_non_null(strstr(rr.log.data, "|next|1\n"));
    tm_buf_free(&rr.log);
    /* cut inside the deflate data: the partial line is the truncated record */
    p = write_file("t2.gz", z.data, z.len - 15);
    read_all(&p, 1, NULL, &rr);
    assert_int_equal(rr.ok, 2);
    assert_int_equal(rr.bad, 1);
    assert_non_null(strstr(rr.log.data, "|two|2\ntruncated|compressed stream ends inside a "
                                        "record|3\n"));
    tm_buf_free(&rr.log);
    /* garbage after a member is corrupt */
    tmi_buf_append(&z, "junk!", 5);
    p = write_file("g.gz", z.data, z.len);
    read_all(&p, 1, NULL, &rr);
    assert_int_equal(rr.ok, 3);
    assert_int_equal(rr.bad, 1);
    assert_non_null(strstr(rr.log.data, "corrupt|corrupt compressed data|"));
    tm_buf_free(&rr.log);
    /* zstd, two frames split inside a record */
    tmi_buf_reset(&z);
    zstd_frame(&z, a, strlen(a));
    zstd_frame(&z, b, strlen(b));
    p = write_file("x.zst", z.data, z.len);
    read_all(&p, 1, NULL, &rr);
    assert_int_equal(rr.ok, 2);
    assert_int_equal(rr.bad, 0);
    tm_buf_free(&rr.log);
    p = write_file("y.zst", z.data, z.len - 3);
    read_all(&p, 1, NULL, &rr);
    assert_int_equal(rr.ok, 1);
    assert_int_equal(rr.bad, 1);
    assert_non_null(strstr(rr.log.data, "truncated|"));
    tm_buf_free(&rr.log);
    tm_buf_free(&z);
}

/* ---- directories, text and lines ---- */

static void test_dirs_and_text(void **state) {
    (void)state;
    mkdir(tpath("d"), 0777);
    mkdir(tpath("d/B"), 0777);
    write_file("d/b.txt", "bee", 3);
    write_file("d/B/z.txt", "zed\xff", 4);
    write_file("d/.hidden", "hid", 3);
    write_file("d/a.txt",
               "\xEF\xBB\xBF"
               "ay\nsecond line\n\nthird",
               24);
    const char *p = tpath("d");
    run rr;
    read_all(&p, 1, NULL, &rr);
    char want[2048];
    /* byte order: ".hidden" < "B/" < "a.txt" < "b.txt" */
    snprintf(want, sizeof want,
             "ok|%s/.hidden|hid|1\nok|%s/B/z.txt|zed\xef\xbf\xbd|1\n"
             "ok|%s/a.txt|ay\nsecond line\n\nthird|1\nok|%s/b.txt|bee|1\n",
             p, p, p, p);
    assert_string_equal(rr.log.data, want);
    tm_buf_free(&rr.log);
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    o.lines = 1;
    const char *a = tpath("d/a.txt");
    read_all(&a, 1, &o, &rr);
    snprintf(want, sizeof want, "ok|%s:1|ay|1\nok|%s:2|second line|2\nok|%s:4|third|4\n", a, a, a);
    assert_string_equal(rr.log.data, want);
    tm_buf_free(&rr.log);
    /* metadata of a line document */
    tm_buf out = {0};
    first_doc_jsonl(a, &o, NULL, "\"k\":1", &out);
    snprintf(want, sizeof want,
             "{\"id\":\"%s:1\",\"text\":\"ay\",\"metadata\":{\"source\":\"%s\",\"line\":1},"
             "\"tamis\":{\"k\":1}}\n",
             a, a);
    assert_string_equal(out.data, want);
    tm_buf_free(&out);
    /* a missing input is reported, then reading goes on */
    const char *two[] = {tpath("nope.jsonl"), tpath("d/b.txt")};
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, two, 2, NULL), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_OPEN);
    assert_string_equal(d.source.ptr, two[0]);
    assert_string_equal(tm_reader_detail(r), "No such file or directory");
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    tm_reader_close(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_read),    cmocka_unit_test(test_missing_field_lists),
        cmocka_unit_test(test_binary_inputs), cmocka_unit_test(test_jsonl_fields),
        cmocka_unit_test(test_doc_to_jsonl),  cmocka_unit_test(test_reject_jsonl),
        cmocka_unit_test(test_gzip_zstd),     cmocka_unit_test(test_dirs_and_text),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
