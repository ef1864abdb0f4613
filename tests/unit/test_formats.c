/*
 * test_formats.c — the table of input formats (src/io/formats.c): detection
 * in table order (archive magics, a JSON object, text for anything else),
 * forced formats and --lines resolved through it, the parse dispatch by a
 * record's format, and a reader over memory that reads each format it
 * detects with that format's framer and parser.
 */
#include "testutil.h"

#include "io/format.h"

static const char *sniffed(const char *p) {
    const tm_format_ops *f = tmi_format_sniff(p, strlen(p));
    return f ? f->name : "none";
}

static void test_sniff_order(void **state) {
    (void)state;
    assert_string_equal(sniffed("WARC/1.0\r\n"), "warc");
    assert_string_equal(sniffed("filedesc://x.arc 0.0.0.0 20000101000000 text/plain 9\n"), "arc");
    assert_string_equal(sniffed("{\"text\": \"a\"}\n"), "jsonl");
    assert_string_equal(sniffed("plain words\n"), "text");
    assert_string_equal(sniffed("WARC"), "text"); /* a magic cut short is no magic */
    assert_string_equal(sniffed(""), "text");
    /* only what a NOT_BINARY format sniffs escapes the binary verdict */
    assert_true(tmi_format_not_binary("{\"a\":1}", 7));
    assert_false(tmi_format_not_binary("WARC/1.0", 8));
    assert_false(tmi_format_not_binary("abc", 3));
}

static void test_resolve(void **state) {
    (void)state;
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    const tm_format_ops *text = tmi_format_get(TM_FMT_TEXT);
    assert_non_null(text);
    assert_ptr_equal(tmi_format_resolve(&o, text), text);
    assert_int_equal(tmi_format_resolve(&o, NULL)->id, TM_FMT_JSONL); /* a parser's default */
    o.lines = 1;
    assert_int_equal(tmi_format_resolve(&o, text)->id, TM_FMT_LINES);
    assert_int_equal(tmi_format_resolve(&o, tmi_format_get(TM_FMT_WARC))->id, TM_FMT_WARC);
    o.format = TM_FMT_ARC; /* forced: the sniffed format does not count */
    assert_int_equal(tmi_format_resolve(&o, text)->id, TM_FMT_ARC);
    o.format = (tm_format)99;
    assert_null(tmi_format_resolve(&o, text));
    /* every id of the table finds its own entry */
    const tm_format ids[] = {TM_FMT_JSONL, TM_FMT_TEXT, TM_FMT_LINES, TM_FMT_WARC, TM_FMT_ARC};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        const tm_format_ops *f = tmi_format_get(ids[i]);
        assert_non_null(f);
        assert_int_equal(f->id, ids[i]);
        assert_non_null(f->frame);
        assert_non_null(f->parse);
    }
    assert_null(tmi_format_get(TM_FMT_AUTO));
    /* a reader with a format that is none fails at open */
    tm_reader_opts_init(&o);
    o.format = (tm_format)99;
    tm_reader *r = NULL;
    assert_int_equal(tm_reader_open_mem(&r, "a\n", 2, "x", &o), TM_ERR_ARG);
    assert_null(r);
}

static void test_parse_dispatch(void **state) {
    (void)state;
    tm_parse_scratch sc = {0};
    tm_doc d;
    char detail[160];
    tm_raw raw;
    memset(&raw, 0, sizeof raw);
    raw.data = "one line";
    raw.len = 8;
    raw.source = "f.txt";
    raw.line = 3;
    raw.format = TM_FMT_LINES;
    assert_int_equal(tmi_parse_raw(&raw, NULL, &d, &sc, detail, sizeof detail), TM_OK);
    assert_int_equal(d.id.len, 7);
    assert_memory_equal(d.id.ptr, "f.txt:3", 7);
    raw.format = TM_FMT_TEXT;
    assert_int_equal(tmi_parse_raw(&raw, NULL, &d, &sc, detail, sizeof detail), TM_OK);
    assert_int_equal(d.id.len, 5);
    raw.format = TM_FMT_JSONL;
    assert_int_equal(tmi_parse_raw(&raw, NULL, &d, &sc, detail, sizeof detail), TM_ERR_JSON);
    raw.format = (tm_format)99;
    assert_int_equal(tmi_parse_raw(&raw, NULL, &d, &sc, detail, sizeof detail), TM_ERR_INTERNAL);
    assert_string_equal(detail, "unresolved format");
    tmi_parse_scratch_free(&sc);
}

/* Each input of one reader is detected on its own. */
static void test_reader_detects(void **state) {
    (void)state;
    static const struct {
        const char *bytes;
        tm_format fmt;
        const char *text;
    } cases[] = {
        {"\xEF\xBB\xBF  {\"id\":\"a\",\"text\":\"json\"}\n", TM_FMT_JSONL, "json"},
        {"\n\nWARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 4\r\n\r\nwet!\r\n\r\n",
         TM_FMT_WARC, "wet!"},
        {"just text", TM_FMT_TEXT, "just text"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tm_reader *r;
        assert_int_equal(tm_reader_open_mem(&r, cases[i].bytes, strlen(cases[i].bytes), "m", NULL),
                         TM_OK);
        tm_doc d;
        assert_int_equal(tm_reader_next(r, &d), TM_OK);
        assert_int_equal(d.format, cases[i].fmt);
        assert_int_equal(d.text.len, strlen(cases[i].text));
        assert_memory_equal(d.text.ptr, cases[i].text, d.text.len);
        assert_int_equal(tm_reader_next(r, &d), TM_EOF);
        tm_reader_close(r);
    }
}

/* What a program may read of a document's private part: the existing
 * "tamis" member and a non-JSON record's metadata; a document no parser
 * filled reads as empty. */
static void test_doc_accessors(void **state) {
    (void)state;
    tm_doc zero;
    memset(&zero, 0, sizeof zero);
    assert_int_equal(tm_doc_meta(&zero).len, 0);
    assert_int_equal(tm_doc_tamis(&zero).len, 0);
    tm_parser *p;
    assert_int_equal(tm_parser_new(&p, "in.jsonl", NULL), TM_OK);
    const char *line = "{\"id\":\"a\",\"text\":\"hi\",\"tamis\":{\"lang\":\"fr\"}}";
    tm_doc d;
    assert_int_equal(tm_parse_record(p, line, strlen(line), &d), TM_OK);
    tm_str t = tm_doc_tamis(&d);
    assert_int_equal(t.len, strlen("{\"lang\":\"fr\"}"));
    assert_memory_equal(t.ptr, "{\"lang\":\"fr\"}", t.len);
    assert_int_equal(tm_doc_meta(&d).len, 0); /* JSONL: its members are the metadata */
    tm_parser_free(p);
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    o.format = TM_FMT_TEXT;
    tm_reader *r;
    const char *text = "a page of text\n";
    assert_int_equal(tm_reader_open_mem(&r, text, strlen(text), "page.txt", &o), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    tm_str m = tm_doc_meta(&d);
    assert_true(m.len > 2 && m.ptr[0] == '{' && m.ptr[m.len - 1] == '}');
    assert_int_equal(tm_doc_tamis(&d).len, 0);
    tm_reader_close(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff_order),    cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_parse_dispatch), cmocka_unit_test(test_reader_detects),
        cmocka_unit_test(test_doc_accessors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
