/*
 * test_io.c — readers, the JSON scanner, serialisation and writers.
 *
 * Inputs are written to a fresh temporary directory by each test, so the
 * known answers below are exact: ids, texts, line numbers, error kinds and
 * reasons, bytes of re-serialised lines. The JSON scanner is checked against
 * jansson (the oracle) on hand-written and mutated lines. WARC fixtures in
 * tests/data/io/ are small real records copied from ../shared/data/cc-warc
 * (Apache-2.0); the tests that read the whole of ../shared/data skip when it
 * is absent.
 */
#include "testutil.h"

#include "io/io.h"
#include "util/buf.h"

#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>
#include <zlib.h>
#include <zstd.h>

/* ---- helpers ---- */

static char tmpdir[256];

static int setup_dir(void **state) {
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/tamis-test-io-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static void rm_rf(const char *path) {
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

static int teardown_dir(void **state) {
    (void)state;
    rm_rf(tmpdir);
    return 0;
}

static const char *tpath(const char *name) {
    static char buf[4][512];
    static int k;
    k = (k + 1) & 3;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static const char *write_file(const char *name, const void *data, size_t len) {
    const char *p = tpath(name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return p;
}

static void zstd_frame(tm_buf *out, const char *s, size_t n) {
    size_t bound = ZSTD_compressBound(n);
    tm_buf_reserve(out, bound);
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

static void read_all(const char *const *paths, size_t n, const tm_reader_opts *o, run *rr) {
    memset(rr, 0, sizeof *rr);
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, paths, n, o), TM_OK);
    tm_doc d;
    tm_error e;
    while ((e = tm_reader_next(r, &d)) != TM_EOF) {
        if (e == TM_OK) {
            rr->ok++;
            tm_buf_printf(&rr->log, "ok|%.*s|%.*s|%llu\n", (int)d.id.len, d.id.ptr, (int)d.text.len,
                          d.text.ptr, (unsigned long long)d.line);
        } else {
            rr->bad++;
            tm_buf_printf(&rr->log, "%s|%s|%llu\n", tm_error_name(e), tm_reader_detail(r),
                          (unsigned long long)d.line);
        }
    }
    rr->skipped = tm_reader_skipped(r);
    tm_reader_close(r);
    if (!rr->log.data) tm_buf_puts(&rr->log, "");
}

/* Reads one file and returns the n-th record's serialisation. */
static void first_doc_jsonl(const char *path, const tm_reader_opts *o, const char *new_text,
                            const char *tamis, tm_buf *out) {
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &path, 1, o), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    tm_buf_reset(out);
    assert_int_equal(tm_doc_to_jsonl(&d, new_text, new_text ? strlen(new_text) : 0, tamis,
                                     tamis ? strlen(tamis) : 0, out),
                     TM_OK);
    tm_reader_close(r);
}

/* ---- errors ---- */

static void test_errors(void **state) {
    (void)state;
    assert_string_equal(tm_error_name(TM_OK), "ok");
    assert_string_equal(tm_error_name(TM_ERR_JSON), "json");
    assert_string_equal(tm_error_name(TM_ERR_TOO_BIG), "too_big");
    assert_string_equal(tm_error_name(TM_ERR_INTERNAL), "internal");
    assert_string_equal(tm_error_name(-99), "unknown");
    assert_string_equal(tm_strerror(TM_ERR_TRUNCATED), "input ends inside a record");
    assert_string_equal(tm_version(), TM_VERSION_STRING);
}

/* ---- the JSON scanner ---- */

static int scan(const char *line, const char *text_path, tm_json_scan *sc, tm_json_path *tp) {
    tm_json_path_parse(tp, text_path);
    memset(sc, 0, sizeof *sc);
    sc->target[0] = tp;
    sc->n_targets = 1;
    return tm_json_scan_object(line, strlen(line), sc);
}

static void test_json_scan_errors(void **state) {
    (void)state;
    static const struct {
        const char *line, *err;
        size_t at;
    } bad[] = {
        {"{\"a\" 1}", "expected ':'", 5},
        {"{\"a\":1,}", "expected '\"' (object key)", 7},
        {"{\"a\":01}", "expected ',' or '}'", 6},
        {"{\"a\":1.}", "invalid number", 7},
        {"{\"a\":-}", "invalid number", 6},
        {"{\"a\":tru}", "invalid literal", 5},
        {"{\"a\":\"x\\q\"}", "invalid escape", 7},
        {"{\"a\":\"\\u12g4\"}", "invalid \\u escape", 6},
        {"{\"a\":\"x\ty\"}", "control character in string", 7},
        {"{\"a\":[1,2}", "expected ',' or ']'", 9},
        {"{\"a\":1} x", "trailing characters after the object", 8},
        {"[1]", "expected '{'", 0},
        {"   ", "empty record", 3},
        {"{\"a\":\"abc", "unterminated string", 9},
        {"{\"a\":1", "expected ',' or '}'", 6},
        {"{'a':1}", "expected '\"' (object key)", 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tm_json_scan sc;
        tm_json_path tp;
        assert_int_equal(scan(bad[i].line, "text", &sc, &tp), -1);
        assert_string_equal(sc.err, bad[i].err);
        assert_int_equal(sc.err_at, bad[i].at);
    }
    /* a raw NUL outside a string is an error */
    tm_json_scan sc;
    tm_json_path tp;
    tm_json_path_parse(&tp, "text");
    memset(&sc, 0, sizeof sc);
    sc.target[0] = &tp;
    sc.n_targets = 1;
    assert_int_equal(tm_json_scan_object("{\"a\":1\0}", 8, &sc), -1);
    /* nesting cap */
    char deep[1200];
    size_t n = 0;
    deep[n++] = '{';
    deep[n++] = '"';
    deep[n++] = 'a';
    deep[n++] = '"';
    deep[n++] = ':';
    for (int i = 0; i < 520; i++) deep[n++] = '[';
    assert_int_equal(tm_json_scan_object(deep, n, &sc), -1);
    assert_string_equal(sc.err, "nesting too deep");
}

static void test_json_scan_paths(void **state) {
    (void)state;
    tm_json_scan sc;
    tm_json_path tp;
    const char *l =
        " {\"id\":1,\"meta\":{\"x\":[1,{\"body\":2}],\"body\":\"B\\u00e9\"},\"body\":\"top\"} ";
    assert_int_equal(scan(l, "meta.body", &sc, &tp), 0);
    assert_int_equal(sc.hit[0].type, TM_JSON_STRING);
    assert_int_equal(sc.hit[0].escaped, 1);
    assert_int_equal(sc.n_members, 3);
    assert_int_equal(sc.obj_beg, 1);
    assert_int_equal(sc.obj_end, strlen(l) - 2);
    tm_buf b = {0};
    const tm_json_hit *h = &sc.hit[0];
    assert_int_equal(tm_json_unescape(l + h->val_beg + 1, h->val_end - h->val_beg - 2, &b), TM_OK);
    assert_string_equal(b.data, "B\xc3\xa9");
    /* last duplicate wins, also through a replaced parent */
    assert_int_equal(scan("{\"a\":{\"b\":\"1\"},\"a\":{\"c\":\"2\"}}", "a.b", &sc, &tp), 0);
    assert_int_equal(sc.hit[0].type, TM_JSON_NONE);
    assert_int_equal(scan("{\"t\":\"1\",\"t\":\"22\"}", "t", &sc, &tp), 0);
    assert_int_equal(sc.hit[0].val_beg, 13);
    /* path through a non-object is absent; escaped keys match */
    assert_int_equal(scan("{\"a\":[{\"b\":\"x\"}]}", "a.b", &sc, &tp), 0);
    assert_int_equal(sc.hit[0].type, TM_JSON_NONE);
    assert_int_equal(scan("{\"\\u0074ext\":5}", "text", &sc, &tp), 0);
    assert_int_equal(sc.hit[0].type, TM_JSON_NUMBER);
    /* escapes: surrogate pair, lone surrogates, NUL */
    tm_buf_reset(&b);
    const char *e = "a\\ud83d\\ude00b\\ud800c\\udc00\\u0000\\/\\\"\\n";
    assert_int_equal(tm_json_unescape(e, strlen(e), &b), TM_OK);
    assert_int_equal(b.len, 1 + 4 + 1 + 3 + 1 + 3 + 1 + 1 + 1 + 1);
    assert_memory_equal(b.data,
                        "a\xf0\x9f\x98\x80"
                        "b\xef\xbf\xbd"
                        "c\xef\xbf\xbd\0/\"\n",
                        b.len);
    tm_buf_free(&b);
}

/* jansson as the oracle: every object it accepts, the scanner accepts with
 * the same "text" string; what only the scanner accepts must be one of the
 * documented differences. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void oracle_check(const char *line, size_t n, size_t *agree) {
    json_error_t jerr;
    json_t *j = json_loadb(line, n, JSON_ALLOW_NUL, &jerr);
    tm_json_scan sc;
    tm_json_path tp;
    tm_json_path_parse(&tp, "text");
    memset(&sc, 0, sizeof sc);
    sc.target[0] = &tp;
    sc.n_targets = 1;
    int ours = tm_json_scan_object(line, n, &sc);
    if (j && json_is_object(j)) {
        assert_int_equal(ours, 0);
        json_t *t = json_object_get(j, "text");
        if (json_is_string(t)) {
            assert_int_equal(sc.hit[0].type, TM_JSON_STRING);
            tm_buf b = {0};
            const tm_json_hit *h = &sc.hit[0];
            tm_json_unescape(line + h->val_beg + 1, h->val_end - h->val_beg - 2, &b);
            assert_int_equal(b.len, json_string_length(t));
            assert_memory_equal(b.data ? b.data : "", json_string_value(t), b.len);
            tm_buf_free(&b);
        } else {
            assert_int_not_equal(sc.hit[0].type, TM_JSON_STRING);
        }
        (*agree) += 1000000;
    } else if (ours == 0) {
        /* accepted only here: invalid UTF-8, big numbers, lone surrogates */
        int known = strstr(jerr.text, "UTF-8") || strstr(jerr.text, "too big") ||
                    strstr(jerr.text, "overflow") || strstr(jerr.text, "surrogate") ||
                    strstr(jerr.text, "invalid Unicode") || strstr(jerr.text, "decode byte");
        if (!known)
            fprintf(stderr, "scanner accepts, jansson: %s: %.*s\n", jerr.text, (int)n, line);
        assert_true(known);
    } else {
        (*agree)++;
    }
    json_decref(j);
}

/* Element iteration over an array (the run summary reads the filter's
 * verdicts with it): strings holding commas and brackets, nested values,
 * whitespace, the empty array, and a bare element list. */
static void test_json_elems(void **state) {
    (void)state;
    static const char arr[] = " [ 1 , \"a,]b\", {\"x\":[1,2]} ,[3],null,-2.5e3 ] ";
    static const char *const want[] = {"1", "\"a,]b\"", "{\"x\":[1,2]}", "[3]", "null", "-2.5e3"};
    tm_json_iter it;
    size_t b, e, k = 0;
    tm_json_elems_init(&it, arr, sizeof arr - 1);
    while (tm_json_elems_next(&it, &b, &e)) {
        assert_true(k < 6);
        assert_int_equal(e - b, strlen(want[k]));
        assert_memory_equal(arr + b, want[k], e - b);
        k++;
    }
    assert_int_equal(k, 6);
    tm_json_elems_init(&it, "[ ]", 3);
    assert_int_equal(tm_json_elems_next(&it, &b, &e), 0);
    tm_json_elems_init(&it, "true,\"x\"", 8);
    assert_int_equal(tm_json_elems_next(&it, &b, &e), 1);
    assert_int_equal(b, 0);
    assert_int_equal(e, 4);
    assert_int_equal(tm_json_elems_next(&it, &b, &e), 1);
    assert_int_equal(b, 5);
    assert_int_equal(e, 8);
    assert_int_equal(tm_json_elems_next(&it, &b, &e), 0);
}

static void test_json_oracle(void **state) {
    (void)state;
    static const char *seeds[] = {
        "{\"text\":\"hello\",\"id\":\"a\"}",
        "{\"id\":12345678901234567890123,\"text\":\"big\"}",
        "{\"text\":\"caf\\u00e9 \\ud83d\\ude00 \\u0000 "
        "tab\\t\",\"n\":[1,2.5e-3,-0,true,false,null]}",
        "{ \"a\" : { \"text\" : 1 } , \"text\" : \"x\\\\y\\\"z\\/\" }",
        "{\"text\":\"\\ud800 lone\"}",
        "{\"text\":\"d\xc3\xa9j\xc3\xa0 \xe4\xb8\xad\"}",
        "{\"text\":\"bad \xff utf8\"}",
        "{\"text\":\"\",\"tamis\":{\"lang\":\"fr\",\"x\":[{},[]]}}",
        "{}",
        "{\"text\":1e400}",
    };
    size_t agree = 0;
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++)
        oracle_check(seeds[i], strlen(seeds[i]), &agree);
    static const char alphabet[] = "{}[]\":,\\/ubfnrt0123456789-+.eEaxlse \t\x01\x80\xc3\xa9";
    char buf[256];
    for (int iter = 0; iter < 20000; iter++) {
        const char *s = seeds[rnd() % (sizeof seeds / sizeof *seeds)];
        size_t n = strlen(s);
        memcpy(buf, s, n);
        int muts = 1 + (int)(rnd() % 3);
        for (int m = 0; m < muts; m++) {
            size_t pos = n ? rnd() % n : 0;
            char c = alphabet[rnd() % (sizeof alphabet - 1)];
            switch (rnd() % 3) {
            case 0: buf[pos] = c; break;
            case 1:
                if (n + 1 < sizeof buf) {
                    memmove(buf + pos + 1, buf + pos, n - pos);
                    buf[pos] = c;
                    n++;
                }
                break;
            default:
                if (n > 1) {
                    memmove(buf + pos, buf + pos + 1, n - pos - 1);
                    n--;
                }
            }
        }
        oracle_check(buf, n, &agree);
    }
    /* both outcomes must be well represented: accepted lines counted in
     * millions, agreed rejections in units */
    assert_true(agree / 1000000 > 2000);
    assert_true(agree % 1000000 > 2000);
}

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
    tm_buf_reset(&out);
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
    tm_buf_reset(&b);
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
    tm_buf_append(&z, "junk!", 5);
    p = write_file("g.gz", z.data, z.len);
    read_all(&p, 1, NULL, &rr);
    assert_int_equal(rr.ok, 3);
    assert_int_equal(rr.bad, 1);
    assert_non_null(strstr(rr.log.data, "corrupt|corrupt compressed data|"));
    tm_buf_free(&rr.log);
    /* zstd, two frames split inside a record */
    tm_buf_reset(&z);
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
    tm_buf_printf(b,
                  "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:x:%zu>\r\n"
                  "WARC-Target-URI: <http://e.x/%s>\r\nContent-Type: %s\r\n"
                  "Content-Length: %zu\r\n\r\n",
                  type, b->len, type, ctype, n);
    tm_buf_append(b, body, n);
    tm_buf_puts(b, "\r\n\r\n");
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
    tm_buf_puts(&w, "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 12x\r\n\r\nblah\r\n");
    /* bare LF headers are fine */
    tm_buf_puts(&w, "WARC/1.0\nWARC-Type: conversion\nContent-Length: 5\n\nhello\n\n");
    const char *cp = "HTTP/1.1 404 Not Found\r\n\r\n<meta charset=\"windows-1251\">\xcf\xf0\xe8";
    warc_rec(&w, "response", "application/http; msgtype=response", cp, strlen(cp));
    const char *br = "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx";
    warc_rec(&w, "response", "application/http; msgtype=response", br, strlen(br));
    /* truncated: Content-Length promises more than the file has */
    tm_buf_puts(&w, "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 100\r\n\r\nshort");
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
    tm_buf_puts(&l, "{\"text\":\"ok\"}\n{\"text\":\"");
    tm_buf_append(&l, big, sizeof big);
    tm_buf_puts(&l, "\"}\n{\"text\":\"after\"}\n");
    const char *p = write_file("big.jsonl", l.data, l.len);
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    o.max_doc_bytes = 100;
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &p, 1, &o), TM_OK);
    tm_raw raw;
    assert_int_equal(tm_reader_next_raw(r, &raw), TM_OK);
    assert_int_equal(raw.err, 0);
    assert_int_equal(tm_reader_next_raw(r, &raw), TM_OK);
    assert_int_equal(raw.err, TM_ERR_TOO_BIG);
    assert_int_equal(raw.len, 100);
    assert_int_equal(raw.spill_len, 300 + 11);
    assert_int_equal(raw.line, 2);
    assert_string_equal(raw.detail, "record of 311 bytes exceeds max_doc_bytes 100");
    tm_writer *w;
    const char *rp = tpath("rej.jsonl");
    assert_int_equal(tm_writer_open(&w, rp), TM_OK);
    assert_int_equal(tm_reject_write_spill(w, &raw), TM_OK);
    assert_int_equal(tm_writer_close(w), TM_OK);
    assert_int_equal(tm_reader_next_raw(r, &raw), TM_OK);
    assert_int_equal(raw.err, 0);
    assert_int_equal(raw.line, 3);
    assert_int_equal(tm_reader_next_raw(r, &raw), TM_EOF);
    tm_reader_close(r);
    /* the rejects line carries the whole record */
    json_error_t je;
    json_t *j = json_load_file(rp, 0, &je);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "too_big");
    assert_int_equal(json_integer_value(json_object_get(j, "line")), 2);
    const char *b64 = json_string_value(json_object_get(j, "raw_base64"));
    tm_buf want = {0};
    tm_base64(&want, l.data + 14, 311);
    assert_string_equal(b64, want.data);
    json_decref(j);
    tm_buf_free(&want);
    /* a WARC record over the cap, then a normal one */
    tm_buf_reset(&l);
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
        tm_buf_reset(&out);
        assert_int_equal(tm_doc_to_jsonl(&d, NULL, 0, NULL, 0, &out), TM_OK);
        tm_buf_reset(&line);
        while (fgets(chunk, sizeof chunk, f)) {
            tm_buf_puts(&line, chunk);
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
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_json_scan_errors),
        cmocka_unit_test(test_json_scan_paths),
        cmocka_unit_test(test_json_elems),
        cmocka_unit_test(test_json_oracle),
        cmocka_unit_test(test_jsonl_read),
        cmocka_unit_test(test_missing_field_lists),
        cmocka_unit_test(test_binary_inputs),
        cmocka_unit_test(test_jsonl_fields),
        cmocka_unit_test(test_doc_to_jsonl),
        cmocka_unit_test(test_reject_jsonl),
        cmocka_unit_test(test_gzip_zstd),
        cmocka_unit_test(test_dirs_and_text),
        cmocka_unit_test(test_warc_fixtures),
        cmocka_unit_test(test_warc_synth),
        cmocka_unit_test(test_spill),
        cmocka_unit_test(test_writers),
        cmocka_unit_test(test_shared_corpora),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
