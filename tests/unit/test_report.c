/*
 * test_report.c — the HTML run report: numbers tied to the summary, escaping
 * of web text, a page without external references, malformed and partial
 * summaries, the example caps, and the word diff's exact markup.
 */
#include "testutil.h"

#include "report/report.h"
#include "util/buf.h"

#include <ctype.h>

static const char summary[] =
    "{\"tamis_version\":\"0.1.0\",\"inputs\":[\"in/a.jsonl\",\"in/b.warc.gz\"],"
    "\"config\":{\"filter\":{\"preset\":\"default\"}},"
    "\"ledger\":{\"read\":1234567,\"kept\":1000000,\"removed\":234000,\"rejected\":567,"
    "\"ok\":true},"
    "\"stages\":[{\"name\":\"read\",\"docs_in\":1234567,\"docs_out\":1234000,"
    "\"bytes_in\":312450911,\"bytes_out\":301877310,\"seconds\":4.214},"
    "{\"name\":\"filter\",\"docs_in\":1234000,\"docs_out\":1000000,\"bytes_in\":301877310,"
    "\"bytes_out\":214002871,\"seconds\":23.46}],"
    "\"removed_by\":{\"c4.lorem_ipsum\":12,\"gopher_quality.n_words\":233000,\"dedup.near\":988},"
    "\"rejected_by\":{\"json\":567},"
    "\"languages\":{\"en\":300000,\"fr\":700000},"
    "\"signals\":{\"gopher_quality.n_words\":{\"edges\":[0,10,20,40],\"kept\":[0,5,20],"
    "\"removed\":[7,1,0],\"threshold\":15}},"
    "\"clusters\":{\"count\":77,\"size_histogram\":{\"10\":2,\"2\":70,\"3\":5}},"
    "\"edits\":{\"nfc\":31,\"drop_paragraph\":4}}";

static char *render(const char *s, const char *ex, tm_error want) {
    tm_buf out = {0};
    tm_error err = tm_report_html(s, strlen(s), ex, ex ? strlen(ex) : 0, &out);
    assert_int_equal(err, want);
    if (err) {
        assert_int_equal(out.len, 0);
        tm_buf_free(&out);
        return NULL;
    }
    assert_non_null(out.data);
    assert_int_equal(strlen(out.data), out.len); /* no NUL inside */
    return out.data;
}

static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

static int contains_ci(const char *hay, const char *needle) {
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (needle[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i])) i++;
        if (!needle[i]) return 1;
    }
    return 0;
}

/* A log2 signal: its caption says so and its big edges are whole numbers
 * with separators, not 5.243e+05; a rule label of 41 characters is not cut. */
static void test_log_axis(void **state) {
    (void)state;
    static const char sum[] =
        "{\"removed_by\":{\"gopher_repetition.dup_10gram_char_frac_x\":3},"
        "\"signals\":{\"w\":{\"edges\":[0,1,2,4,8,16,32,64,128,256,512,1024,2048,4096,8192,"
        "16384,32768,65536,131072,262144,524288],\"kept\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"
        "0,1],\"removed\":[1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],\"scale\":\"log2\"}}}";
    tm_buf b = {0};
    assert_int_equal(tm_report_html(sum, strlen(sum), NULL, 0, &b), TM_OK);
    assert_non_null(strstr(b.data, "data-k=\"/signals/w/edges/20\">524,288<"));
    assert_null(strstr(b.data, "e+05"));
    assert_non_null(strstr(b.data, ">value, log scale (each bin twice the one before)</text>"));
    assert_null(strstr(b.data, "gopher_repetition.dup_10gram_char_frac_x\xE2\x80\xA6"));
    assert_non_null(strstr(b.data, ">gopher_repetition.dup_10gram_char_frac_x</text>"));
    tm_buf_free(&b);
}

static void test_numbers(void **state) {
    (void)state;
    char *h = render(summary, NULL, TM_OK);
    /* The ledger, with ids for the browser test and the verdict. */
    assert_non_null(strstr(h, "<span id=\"ledger-read\"><span class=\"n\" data-f=\"count\" "
                              "data-k=\"/ledger/read\">1,234,567</span></span>"));
    assert_non_null(strstr(h, "data-k=\"/ledger/rejected\">567<"));
    assert_non_null(strstr(h, "<span id=\"ledger-status\" class=\"status ok\">OK</span>"));
    assert_non_null(strstr(h, "data-of=\"/ledger/read\" id=\"kept-share\">81.0%<"));
    /* Funnel: chart labels and table cells. */
    assert_non_null(strstr(h, "data-k=\"/stages/0/bytes_in\">312 MB<"));
    assert_non_null(strstr(h, "data-k=\"/stages/0/bytes_in\">312,450,911<"));
    assert_non_null(strstr(h, "data-k=\"/stages/1/docs_out\">1,000,000<"));
    assert_non_null(strstr(h, "data-k=\"/stages/0/seconds\">4.21 s<"));
    assert_non_null(strstr(h, "data-k=\"/stages/1/seconds\">23.5 s<"));
    /* Removals sorted by count, descending. */
    const char *a = strstr(h, "data-k=\"/removed_by/gopher_quality.n_words\">233,000<");
    const char *b = strstr(h, "data-k=\"/removed_by/dedup.near\">988<");
    const char *c = strstr(h, "data-k=\"/removed_by/c4.lorem_ipsum\">12<");
    assert_true(a && b && c && a < b && b < c);
    /* The longest bar is 220 px; others in proportion (988 / 233000 of
     * it is 0.93 px: drawn 1 px, so that it stays visible). */
    assert_non_null(strstr(h, "width=\"220.00\" height=\"14\" fill=\"var(--removed)\" "
                              "data-k=\"/removed_by/gopher_quality.n_words\""));
    assert_non_null(strstr(h, "width=\"1.00\" height=\"14\" fill=\"var(--removed)\" "
                              "data-k=\"/removed_by/dedup.near\""));
    /* Cluster sizes in numeric order: 2, 3, 10. */
    const char *s2 = strstr(h, "data-k=\"/clusters/size_histogram/2\">70<");
    const char *s3 = strstr(h, "data-k=\"/clusters/size_histogram/3\">5<");
    const char *s10 = strstr(h, "data-k=\"/clusters/size_histogram/10\">2<");
    assert_true(s2 && s3 && s10 && s2 < s3 && s3 < s10);
    assert_non_null(strstr(h, "data-k=\"/clusters/count\">77<"));
    assert_non_null(strstr(h, "data-k=\"/languages/fr\">700,000<"));
    assert_non_null(strstr(h, "data-k=\"/edits/nfc\">31<"));
    /* Histograms: 3 bins x 2 panels; the maximal bin labelled; threshold
     * 15 sits halfway through bin 1 of 90 px bins: x = 135. */
    assert_int_equal(count(h, "data-k=\"/signals/gopher_quality.n_words/kept/"), 3 + 1);
    assert_int_equal(count(h, "data-k=\"/signals/gopher_quality.n_words/removed/"), 3 + 1);
    assert_non_null(strstr(h, "max <tspan class=\"n\" data-f=\"count\" "
                              "data-k=\"/signals/gopher_quality.n_words/kept/2\">20</tspan>"));
    assert_non_null(strstr(h, "<line class=\"thr\" x1=\"135.00\""));
    assert_non_null(strstr(h, "data-k=\"/signals/gopher_quality.n_words/threshold\">15<"));
    assert_non_null(strstr(h, "data-k=\"/signals/gopher_quality.n_words/edges/3\">40<"));
    /* Axes say what they are: the y axis's top is "max N per bin", the x
     * axis its scale (these edges are not doubling: linear); the right
     * panel is the filter's removals. */
    assert_non_null(strstr(h, "</tspan> per bin</text>"));
    assert_non_null(strstr(h, ">value, linear scale</text>"));
    assert_non_null(strstr(h, ">removed (filter)</text>"));
    /* A zero bin has no bar, a small one at least 1 px (1 of max 7). */
    assert_non_null(strstr(h, "height=\"0.00\" data-k=\"/signals/gopher_quality.n_words/kept/0\""));
    assert_non_null(
        strstr(h, "height=\"14.29\" data-k=\"/signals/gopher_quality.n_words/removed/1\""));
    free(h);
}

static void test_self_contained(void **state) {
    (void)state;
    const char *ex =
        "{\"kind\":\"removed\",\"reason\":\"dedup.near\",\"id\":\"d1\",\"text\":\"plain "
        "words only\"}\n";
    char *h = render(summary, ex, TM_OK);
    assert_null(strstr(h, "http://"));
    assert_null(strstr(h, "https://"));
    assert_null(strstr(h, "src="));
    assert_null(strstr(h, "url("));
    assert_null(strstr(h, "@import"));
    assert_false(contains_ci(h, "<script"));
    assert_false(contains_ci(h, "<link rel=\"stylesheet"));
    assert_non_null(strstr(h, "<link rel=\"icon\" href=\"data:,\">")); /* no favicon fetch */
    assert_int_equal(strncmp(h, "<!DOCTYPE html>", 15), 0);
    assert_non_null(strstr(h, "</html>\n"));
    free(h);
}

static void test_escaping(void **state) {
    (void)state;
    const char *ex =
        "{\"kind\":\"removed\",\"reason\":\"dedup.near\",\"id\":\"x\\\"><b>\",\"text\":"
        "\"<script>alert(1)</script><img src=\\\"http://e.com/x.png\\\" onerror=alert(2)>&amp; "
        "'q'\\u0001\\r\\n\",\"value\":3,\"threshold\":50}\n"
        "{\"kind\":\"cluster\",\"cluster\":\"<i>c</i>\",\"size\":2,\"similarity\":0.9,"
        "\"a\":{\"id\":\"a\",\"text\":\"<script>alert(1)</script> x\"},"
        "\"b\":{\"id\":\"b\",\"text\":\"<script>alert(1)</script> y\"}}\n";
    char *h = render(summary, ex, TM_OK);
    assert_false(contains_ci(h, "<script"));
    assert_false(contains_ci(h, "<img"));
    assert_null(strstr(h, "<i>c</i>"));
    assert_null(strstr(h, "src=\""));
    assert_non_null(strstr(h, "<pre class=\"txt\" data-free>&lt;script&gt;alert(1)&lt;/script&gt;"
                              "&lt;img src=&quot;http://e.com/x.png&quot; onerror=alert(2)&gt;"
                              "&amp;amp; &#39;q&#39;\xEF\xBF\xBD\n</pre>"));
    assert_non_null(strstr(h, "<span class=\"id\" data-free>x&quot;&gt;&lt;b&gt;</span>"));
    assert_non_null(strstr(h, "&lt;i&gt;c&lt;/i&gt;"));
    assert_non_null(strstr(h, "data-k=\"ex/0/value\">3<"));
    assert_non_null(strstr(h, "data-k=\"ex/0/threshold\">50<"));
    assert_non_null(strstr(h, "data-k=\"ex/1/similarity\">0.9<"));
    free(h);

    tm_buf b = {0};
    assert_int_equal(tmi_report_ptr_seg(&b, "a/b~c\"", 6), TM_OK);
    assert_string_equal(b.data, "/a~1b~0c&quot;");
    tmi_buf_reset(&b);
    assert_int_equal(tmi_html_text_cut(&b, "\xC3\xA9t\xC3\xA9 ok", 9, 3), TM_OK);
    assert_string_equal(b.data, "\xC3\xA9t\xC3\xA9\xE2\x80\xA6");
    tm_buf_free(&b);
}

static void test_malformed(void **state) {
    (void)state;
    static const char *const bad[] = {
        "",
        "{",
        "[]",
        "null",
        "{\"ledger\":\"x\"}",
        "{\"ledger\":{\"read\":\"7\"}}",
        "{\"ledger\":{\"read\":1,\"ok\":1}}",
        "{\"stages\":[1]}",
        "{\"stages\":[{\"name\":\"x\",\"docs_in\":\"1\"}]}",
        "{\"removed_by\":[1]}",
        "{\"removed_by\":{\"a\":\"1\"}}",
        "{\"languages\":{\"fr\":null}}",
        "{\"signals\":{\"x\":{\"edges\":[0,1],\"kept\":[1,2]}}}",
        "{\"signals\":{\"x\":{\"edges\":[0,\"1\"],\"kept\":[1]}}}",
        "{\"signals\":{\"x\":3}}",
        "{\"clusters\":{\"count\":\"3\"}}",
        "{\"inputs\":[3]}",
        "{\"ledger\":{}} trailing",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tm_buf out = {0};
        tmi_buf_puts(&out, "keep");
        assert_int_equal(tm_report_html(bad[i], strlen(bad[i]), NULL, 0, &out), TM_ERR_JSON);
        assert_string_equal(out.data, "keep"); /* left as it was */
        tm_buf_free(&out);
    }
    /* 201 bins exceed the cap. */
    tm_buf s = {0};
    tmi_buf_puts(&s, "{\"signals\":{\"x\":{\"edges\":[0");
    for (int i = 1; i <= 201; i++) tmi_buf_printf(&s, ",%d", i);
    tmi_buf_puts(&s, "],\"kept\":[1");
    for (int i = 1; i < 201; i++) tmi_buf_puts(&s, ",1");
    tmi_buf_puts(&s, "]}}}");
    render(s.data, NULL, TM_ERR_JSON);
    tm_buf_free(&s);
    tm_buf out = {0};
    assert_int_equal(tm_report_html(NULL, 3, NULL, 0, &out), TM_ERR_ARG);
    assert_int_equal(tm_report_html("{}", 2, NULL, 0, NULL), TM_ERR_ARG);
}

static void test_partial(void **state) {
    (void)state;
    char *h = render("{}", NULL, TM_OK);
    assert_non_null(strstr(h, "class=\"status unknown\">UNKNOWN<"));
    assert_non_null(strstr(h, "No stages in this summary."));
    assert_non_null(strstr(h, "No documents were removed."));
    assert_non_null(strstr(h, "No signal histograms in this summary."));
    assert_non_null(strstr(h, "No duplicate clusters."));
    assert_non_null(strstr(h, "No examples of removed documents."));
    assert_null(strstr(h, "data-k="));
    free(h);
    /* Broken ledger; a stage without byte counts shows n/a; empty series. */
    h = render("{\"ledger\":{\"read\":10,\"kept\":5,\"removed\":4,\"rejected\":0},"
               "\"stages\":[{\"name\":\"read\",\"docs_in\":10,\"docs_out\":10}],"
               "\"signals\":{\"s\":{\"edges\":[0,1],\"kept\":[3]}},\"removed_by\":{}}",
               NULL, TM_OK);
    assert_non_null(strstr(h, "class=\"status broken\">BROKEN<"));
    assert_non_null(strstr(h, "<span class=\"na\">n/a</span>"));
    assert_null(strstr(h, "/stages/0/bytes_in"));
    assert_non_null(strstr(h, "data-k=\"/signals/s/kept/0\""));
    assert_null(strstr(h, "/signals/s/removed/"));
    free(h);
    /* "ok": false breaks a ledger that adds up. */
    h = render("{\"ledger\":{\"read\":1,\"kept\":1,\"removed\":0,\"rejected\":0,\"ok\":false}}",
               NULL, TM_OK);
    assert_non_null(strstr(h, ">BROKEN<"));
    free(h);
}

static void test_examples(void **state) {
    (void)state;
    tm_buf ex = {0};
    /* Five examples of one reason: three are shown. Seven clusters: the
     * five largest, largest first; a repeated cluster id is shown once. */
    for (int i = 0; i < 5; i++)
        tmi_buf_printf(&ex,
                       "{\"kind\":\"removed\",\"reason\":\"c4.lorem_ipsum\",\"id\":\"r%d\","
                       "\"text\":\"t\"}\n",
                       i);
    tmi_buf_puts(&ex,
                 "not json\n\n{\"kind\":\"removed\",\"reason\":\"unknown.rule\",\"text\":\"u\"}\n");
    static const int sizes[] = {3, 9, 4, 9, 2, 50, 7};
    for (int i = 0; i < 7; i++)
        tmi_buf_printf(&ex,
                       "{\"kind\":\"cluster\",\"cluster\":%d,\"size\":%d,\"a\":{\"id\":\"a\","
                       "\"text\":\"x\"},\"b\":{\"id\":\"b\",\"text\":\"y\"}}\n",
                       i == 3 ? 1 : i, sizes[i]);
    char *h = render(summary, ex.data, TM_OK);
    assert_int_equal(count(h, "<span class=\"id\" data-free>r"), 3);
    assert_null(strstr(h, ">r3<"));
    assert_null(strstr(h, "unknown.rule"));
    /* Lines: 0-4 removed, 5 bad, 6 empty, 7 unknown, 8.. clusters. */
    const char *order[] = {"ex/13/size\">50<", "ex/9/size\">9<", "ex/14/size\">7<",
                           "ex/10/size\">4<", "ex/8/size\">3<"};
    const char *prev = h;
    for (int i = 0; i < 5; i++) {
        const char *p = strstr(h, order[i]);
        assert_non_null(p);
        assert_true(p > prev);
        prev = p;
    }
    assert_null(strstr(h, "ex/11/size")); /* cluster 1 again */
    assert_null(strstr(h, "ex/12/size")); /* the smallest */
    assert_non_null(strstr(h, "could not be read and were skipped"));
    free(h);
    tm_buf_free(&ex);
}

/* Diffs a and b; checks both sides' markup exactly. */
static void diff_is(const char *a, const char *b, int want_rc, const char *want_a,
                    const char *want_b) {
    tm_buf oa = {0}, ob = {0};
    assert_int_equal(tmi_report_diff_html(a, strlen(a), b, strlen(b), &oa, &ob), want_rc);
    assert_string_equal(oa.data ? oa.data : "", want_a);
    assert_string_equal(ob.data ? ob.data : "", want_b);
    tm_buf_free(&oa);
    tm_buf_free(&ob);
}

static void test_diff(void **state) {
    (void)state;
    diff_is("the quick brown fox jumps", "the slow brown fox leaps high", 1,
            "the <del>quick</del> brown fox <del>jumps</del>",
            "the <ins>slow</ins> brown fox <ins>leaps high</ins>");
    diff_is("PARIS (AFP) - 40 milliards", "PARIS (Reuters) - 60 milliards d'euros", 1,
            "PARIS <del>(AFP)</del> - <del>40</del> milliards",
            "PARIS <ins>(Reuters)</ins> - <ins>60</ins> milliards <ins>d&#39;euros</ins>");
    /* Whitespace is kept as written and does not count as a difference. */
    diff_is("x  y\nz ", " x y z", 1, "x  y\nz ", " x y z");
    diff_is("a <b> c", "a <i> c", 1, "a <del>&lt;b&gt;</del> c", "a <ins>&lt;i&gt;</ins> c");
    diff_is("", "new words", 1, "", "<ins>new words</ins>");
    diff_is("old words", "", 1, "<del>old words</del>", "");
    /* Myers' paper example, ABCABBA -> CBABAC: LCS 4, so 3 + 2 edits. */
    tm_buf oa = {0}, ob = {0};
    assert_int_equal(tmi_report_diff_html("a b c a b b a", 13, "c b a b a c", 11, &oa, &ob), 1);
    size_t del = 0, ins = 0;
    for (const char *p = oa.data; (p = strstr(p, "<del>")); p++) {
        const char *e = strstr(p, "</del>");
        for (const char *q = p + 5; q < e; q++) del += *q != ' ';
    }
    for (const char *p = ob.data; (p = strstr(p, "<ins>")); p++) {
        const char *e = strstr(p, "</ins>");
        for (const char *q = p + 5; q < e; q++) ins += *q != ' ';
    }
    assert_int_equal(del, 3);
    assert_int_equal(ins, 2);
    tm_buf_free(&oa);
    tm_buf_free(&ob);

    /* Over the caps: shown unmarked. */
    tm_buf big = {0}, other = {0};
    for (int i = 0; i < TM_DIFF_MAX_TOKENS + 1; i++) tmi_buf_puts(&big, "w ");
    diff_is(big.data, "w", 0, big.data, "w");
    tmi_buf_reset(&big);
    for (int i = 0; i < 600; i++) {
        tmi_buf_printf(&big, "a%d ", i);
        tmi_buf_printf(&other, "b%d ", i);
    }
    diff_is(big.data, other.data, 0, big.data, other.data); /* D = 1200 > 1000 */
    tm_buf_free(&big);
    tm_buf_free(&other);
}

static void test_format(void **state) {
    (void)state;
    static const struct {
        double v;
        tm_rfmt f;
        const char *s;
    } k[] = {
        {0, TM_RFMT_COUNT, "0"},
        {999, TM_RFMT_COUNT, "999"},
        {1000, TM_RFMT_COUNT, "1,000"},
        {1234567, TM_RFMT_COUNT, "1,234,567"},
        {-1234, TM_RFMT_COUNT, "-1,234"},
        {0.5, TM_RFMT_COUNT, "0.5"},
        {0.714286, TM_RFMT_REAL, "0.7143"},
        {50, TM_RFMT_REAL, "50"},
        {999, TM_RFMT_BYTES, "999 B"},
        {1000, TM_RFMT_BYTES, "1 kB"},
        {999999, TM_RFMT_BYTES, "1 MB"},
        {1234567, TM_RFMT_BYTES, "1.23 MB"},
        {312450911, TM_RFMT_BYTES, "312 MB"},
        {4.214, TM_RFMT_SECONDS, "4.21 s"},
        {23.46, TM_RFMT_SECONDS, "23.5 s"},
        {123.4, TM_RFMT_SECONDS, "123 s"},
        {57.34, TM_RFMT_PCT, "57.3%"},
        {NAN, TM_RFMT_COUNT, "n/a"},
    };
    for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
        tm_buf b = {0};
        assert_int_equal(tmi_report_fmt(&b, k[i].v, k[i].f), TM_OK);
        assert_string_equal(b.data, k[i].s);
        tm_buf_free(&b);
    }
}

/* Every prefix of a valid summary and of an examples file: no crash, and a
 * cut summary is TM_ERR_JSON unless it still parses (only the full one). */
static void test_truncated(void **state) {
    (void)state;
    const char *ex =
        "{\"kind\":\"removed\",\"reason\":\"dedup.near\",\"text\":\"a b\",\"value\":1}\n"
        "{\"kind\":\"cluster\",\"cluster\":1,\"size\":3,\"a\":{\"text\":\"a b c\"},"
        "\"b\":{\"text\":\"a x c\"}}\n";
    size_t n = strlen(summary);
    for (size_t i = 0; i < n; i++) {
        tm_buf out = {0};
        assert_int_equal(tm_report_html(summary, i, ex, strlen(ex), &out), TM_ERR_JSON);
        tm_buf_free(&out);
    }
    for (size_t i = 0; i <= strlen(ex); i++) {
        tm_buf out = {0};
        assert_int_equal(tm_report_html(summary, n, ex, i, &out), TM_OK);
        assert_true(out.len > 0);
        tm_buf_free(&out);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),        cmocka_unit_test(test_log_axis),
        cmocka_unit_test(test_self_contained), cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_malformed),      cmocka_unit_test(test_partial),
        cmocka_unit_test(test_examples),       cmocka_unit_test(test_diff),
        cmocka_unit_test(test_format),         cmocka_unit_test(test_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
