/*
 * test_json.c — error names and the span-keeping JSON scanner of the
 * readers: errors and paths on hand-written lines, and jansson as the oracle
 * on hand-written and mutated lines.
 */
#include "io_testutil.h"

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
    tmi_json_path_parse(tp, text_path);
    memset(sc, 0, sizeof *sc);
    sc->target[0] = tp;
    sc->n_targets = 1;
    return tmi_json_scan_object(line, strlen(line), sc);
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
    tmi_json_path_parse(&tp, "text");
    memset(&sc, 0, sizeof sc);
    sc.target[0] = &tp;
    sc.n_targets = 1;
    assert_int_equal(tmi_json_scan_object("{\"a\":1\0}", 8, &sc), -1);
    /* nesting cap */
    char deep[1200];
    size_t n = 0;
    deep[n++] = '{';
    deep[n++] = '"';
    deep[n++] = 'a';
    deep[n++] = '"';
    deep[n++] = ':';
    for (int i = 0; i < 520; i++) deep[n++] = '[';
    assert_int_equal(tmi_json_scan_object(deep, n, &sc), -1);
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
    assert_int_equal(tmi_json_unescape(l + h->val_beg + 1, h->val_end - h->val_beg - 2, &b), TM_OK);
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
    tmi_buf_reset(&b);
    const char *e = "a\\ud83d\\ude00b\\ud800c\\udc00\\u0000\\/\\\"\\n";
    assert_int_equal(tmi_json_unescape(e, strlen(e), &b), TM_OK);
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
    tmi_json_path_parse(&tp, "text");
    memset(&sc, 0, sizeof sc);
    sc.target[0] = &tp;
    sc.n_targets = 1;
    int ours = tmi_json_scan_object(line, n, &sc);
    if (j && json_is_object(j)) {
        assert_int_equal(ours, 0);
        json_t *t = json_object_get(j, "text");
        if (json_is_string(t)) {
            assert_int_equal(sc.hit[0].type, TM_JSON_STRING);
            tm_buf b = {0};
            const tm_json_hit *h = &sc.hit[0];
            tmi_json_unescape(line + h->val_beg + 1, h->val_end - h->val_beg - 2, &b);
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
    tmi_json_elems_init(&it, arr, sizeof arr - 1);
    while (tmi_json_elems_next(&it, &b, &e)) {
        assert_true(k < 6);
        assert_int_equal(e - b, strlen(want[k]));
        assert_memory_equal(arr + b, want[k], e - b);
        k++;
    }
    assert_int_equal(k, 6);
    tmi_json_elems_init(&it, "[ ]", 3);
    assert_int_equal(tmi_json_elems_next(&it, &b, &e), 0);
    tmi_json_elems_init(&it, "true,\"x\"", 8);
    assert_int_equal(tmi_json_elems_next(&it, &b, &e), 1);
    assert_int_equal(b, 0);
    assert_int_equal(e, 4);
    assert_int_equal(tmi_json_elems_next(&it, &b, &e), 1);
    assert_int_equal(b, 5);
    assert_int_equal(e, 8);
    assert_int_equal(tmi_json_elems_next(&it, &b, &e), 0);
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors),          cmocka_unit_test(test_json_scan_errors),
        cmocka_unit_test(test_json_scan_paths), cmocka_unit_test(test_json_elems),
        cmocka_unit_test(test_json_oracle),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
