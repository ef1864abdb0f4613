/*
 * test_extract.c — the HTML extractor (src/extract) and `tamis extract`'s
 * job: main text and metadata of a hand-written page with every kind of
 * boilerplate, hostile pages (100,000 nested elements, NULs, unclosed tags,
 * more elements than the cap), charsets (undeclared windows-1251 found by
 * detection, a lying <meta>, an unknown label), and WARC responses removed
 * with their reason (redirect, HTTP error, image, binary, empty) while
 * nothing is lost. Real records: the EUC-JP ClueWeb and latin-1 fixtures of
 * tests/data/io (excerpts of ../shared/data/cc-warc).
 */
#include "testutil.h"

#include "util/buf.h"

#include <iconv.h>
#include <sys/stat.h>

static char dir[256];

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tamis-test-extract-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void put_file(const char *path, const char *data, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static int str_eq(tm_str s, const char *want) {
    return s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}

static void test_article(void **state) {
    (void)state;
    size_t n;
    char *html = tm_test_slurp("tests/data/extract/article.html", &n);
    assert_non_null(html);
    tm_extractor *x;
    assert_int_equal(tm_extractor_new(&x), TM_OK);
    tm_extracted r;
    assert_int_equal(tm_extract_html(x, html, n, &r), TM_OK);
    const char *want =
        "Le vrai titre\n\n"
        "Premier paragraphe de l'article, avec des virgules, des mots et assez de texte pour "
        "compter comme un vrai paragraphe.\n\n"
        "Deuxième paragraphe, lui aussi assez long, qui continue le propos de l'article avec un "
        "lien au milieu.\n\n"
        "Une section\n\n"
        "premier point\nsecond point\n\n"
        "Ville | Population\nParis | 2 100 000\n\n"
        "code ligne 1\n  code ligne 2\n\n"
        "Une légende de figure.\n\n"
        "Dernier paragraphe : la fin de l'article, avec une conclusion, quelques virgules et un "
        "point final.";
    if (!str_eq(r.text, want)) fprintf(stderr, "got [%.*s]\n", (int)r.text.len, r.text.ptr);
    assert_true(str_eq(r.text, want));
    assert_true(str_eq(r.title, "Le vrai titre")); /* og:title over <title> */
    assert_true(str_eq(r.canonical, "https://example.org/article/42"));
    assert_true(str_eq(r.date, "2024-03-05T10:00:00Z")); /* JSON-LD */
    assert_true(str_eq(r.author, "Marie Curie"));        /* meta author over JSON-LD */
    assert_true(str_eq(r.site_name, "Le Site"));
    assert_true(str_eq(r.lang, "fr-CA"));
    assert_int_equal(r.truncated, 0);
    /* the same handle again gives the same answer (scratch reused) */
    tm_extracted r2;
    assert_int_equal(tm_extract_html(x, html, n, &r2), TM_OK);
    assert_true(str_eq(r2.text, want));
    /* nothing: empty input, a page without text */
    assert_int_equal(tm_extract_html(x, "", 0, &r), TM_OK);
    assert_int_equal(r.text.len, 0);
    assert_int_equal(r.title.len, 0);
    const char *bare = "<html><head><title>T</title></head><body><script>var a=1;</script>"
                       "<nav><a href=/>home</a></nav></body></html>";
    assert_int_equal(tm_extract_html(x, bare, strlen(bare), &r), TM_OK);
    assert_int_equal(r.text.len, 0);
    assert_true(str_eq(r.title, "T"));
    assert_int_equal(tm_extract_html(NULL, "", 0, &r), TM_ERR_ARG);
    tm_extractor_free(x);
    free(html);
}

/* A page without paragraphs worth scoring: the whole body, inline text
 * joined by spaces, <br> as a line break, a table's cells by " | ". */
static void test_fallback_and_layout(void **state) {
    (void)state;
    tm_extractor *x;
    assert_int_equal(tm_extractor_new(&x), TM_OK);
    tm_extracted r;
    const char *p = "<body>short <b>bold</b>  text<br>next line<div>block</div>"
                    "<table><tr><td>a</td><td>b</td><td>c</td></tr></table></body>";
    assert_int_equal(tm_extract_html(x, p, strlen(p), &r), TM_OK);
    if (!str_eq(r.text, "short bold text\nnext line\n\nblock\n\na | b | c"))
        fprintf(stderr, "got [%.*s]\n", (int)r.text.len, r.text.ptr);
    assert_true(str_eq(r.text, "short bold text\nnext line\n\nblock\n\na | b | c"));
    /* entities and a <time> date */
    const char *q = "<p>Caf&eacute; &amp; cr&#232;me &lt;ok&gt;, a paragraph with words.</p>"
                    "<time datetime=\"2020-01-02\">2 Jan</time>";
    assert_int_equal(tm_extract_html(x, q, strlen(q), &r), TM_OK);
    assert_true(str_eq(r.text, "Café & crème <ok>, a paragraph with words.\n\n2 Jan"));
    assert_true(str_eq(r.date, "2020-01-02"));
    /* JSON-LD escapes decoded; the <title>'s site suffix cut (3+ words
     * before it); a byline element when no metadata names the author */
    const char *m = "<html><head><title>A long article title | The Site</title>"
                    "<script type=\"application/ld+json\">{\"author\": [{\"@type\":\"Person\", "
                    "\"name\": \"Ale\\u0161 V\\u00e1vra \\\"AV\\\"\"}]}</script></head>"
                    "<body><p>Text of the article, long enough, with commas.</p></body></html>";
    assert_int_equal(tm_extract_html(x, m, strlen(m), &r), TM_OK);
    assert_true(str_eq(r.author, "Aleš Vávra \"AV\""));
    assert_true(str_eq(r.title, "A long article title"));
    const char *by = "<title>Short | Site</title><div class=\"post-byline\">By  <a "
                     "href=/u>Jane Doe</a></div><p>Text of the article, long enough, with "
                     "commas.</p>";
    assert_int_equal(tm_extract_html(x, by, strlen(by), &r), TM_OK);
    assert_true(str_eq(r.author, "By Jane Doe"));
    assert_true(str_eq(r.title, "Short | Site")); /* one word before the bar: kept whole */
    tm_extractor_free(x);
}

/* Rules of the selection, one page each. */
static void test_rules(void **state) {
    (void)state;
    tm_extractor *x;
    assert_int_equal(tm_extractor_new(&x), TM_OK);
    tm_extracted r;
    /* itemprop=articleBody outranks an id that says "share" */
    const char *a =
        "<body><div class=\"gallery\"><p>Caption one of a photo of the place.</p>"
        "<p>Caption two of a photo of the place.</p></div>"
        "<div id=\"share-btns-parent\" itemprop=\"articleBody\"><p>The article's first "
        "paragraph, with several commas, words, and a full stop.</p><p>The second paragraph "
        "of the article, also long enough, with commas, to count.</p></div></body>";
    assert_int_equal(tm_extract_html(x, a, strlen(a), &r), TM_OK);
    assert_true(str_eq(r.text, "The article's first paragraph, with several commas, words, and a "
                               "full stop.\n\nThe second paragraph of the article, also long "
                               "enough, with commas, to count."));
    /* inside the article: a list of sentences with links stays (link
     * density 0.45, over the 0.33 of other containers), a list of links goes */
    const char *l =
        "<body><article><p>Release notes of this week, with commas, words, and more words "
        "to score.</p><ul><li><a href=/1>Alice fixed a crash</a> when tabs are closed "
        "quickly</li><li><a href=/2>Bob landed the new profiler</a> documentation for "
        "markers</li></ul><ul><li><a href=/a>Home</a></li><li><a href=/b>News</a></li>"
        "<li><a href=/c>Sport</a></li></ul></article></body>";
    assert_int_equal(tm_extract_html(x, l, strlen(l), &r), TM_OK);
    assert_true(str_eq(r.text, "Release notes of this week, with commas, words, and more words "
                               "to score.\n\nAlice fixed a crash when tabs are closed quickly\n"
                               "Bob landed the new profiler documentation for markers"));
    tm_extractor_free(x);
}

static void test_hostile(void **state) {
    (void)state;
    tm_extractor *x;
    assert_int_equal(tm_extractor_new(&x), TM_OK);
    tm_extracted r;
    tm_buf b = {0};
    /* 100,000 nested elements: no recursion, the depth cap, text after them kept */
    assert_int_equal(tmi_buf_puts(&b, "<html><body>"), TM_OK);
    for (int i = 0; i < 100000; i++) assert_int_equal(tmi_buf_puts(&b, "<div>"), TM_OK);
    assert_int_equal(tmi_buf_puts(&b, "deep"), TM_OK);
    for (int i = 0; i < 100000; i++) assert_int_equal(tmi_buf_puts(&b, "</div>"), TM_OK);
    assert_int_equal(tmi_buf_puts(&b, "<p>After the nesting, a paragraph, with commas.</p>"),
                     TM_OK);
    assert_int_equal(tm_extract_html(x, b.data, b.len, &r), TM_OK);
    assert_int_equal(r.truncated, 1);
    assert_true(str_eq(r.text, "After the nesting, a paragraph, with commas."));
    /* unclosed tags all the way down */
    b.len = 0;
    for (int i = 0; i < 20000; i++) assert_int_equal(tmi_buf_puts(&b, "<div><span>x "), TM_OK);
    assert_int_equal(tm_extract_html(x, b.data, b.len, &r), TM_OK);
    assert_int_equal(r.truncated, 1); /* 40,000 levels */
    /* more elements than the node cap: truncated, memory bounded */
    b.len = 0;
    for (int i = 0; i < 500000; i++) assert_int_equal(tmi_buf_puts(&b, "<i>a</i>"), TM_OK);
    assert_int_equal(tm_extract_html(x, b.data, b.len, &r), TM_OK);
    assert_int_equal(r.truncated, 1);
    assert_true(r.nodes <= 400000);
    /* closes in a row at every phase of the event array's growth (a close
     * once found the array full: "out of memory" at shift 0, and on
     * Readability's lifehacker-post-comment-load page) */
    for (int shift = 0; shift < 14; shift++) {
        b.len = 0;
        for (int i = 0; i < shift; i++) assert_int_equal(tmi_buf_puts(&b, "<b>x</b>"), TM_OK);
        for (int i = 0; i < 3000; i++)
            assert_int_equal(tmi_buf_puts(&b, "<div><div><div>x</div></div></div>"), TM_OK);
        assert_int_equal(tm_extract_html(x, b.data, b.len, &r), TM_OK);
    }
    /* NUL bytes read as spaces */
    static const char nul[] = "<p>one\0two, a paragraph with enough words in it.</p>";
    assert_int_equal(tm_extract_html(x, nul, sizeof nul - 1, &r), TM_OK);
    assert_true(str_eq(r.text, "one two, a paragraph with enough words in it."));
    /* binary junk: no crash */
    b.len = 0;
    uint32_t s = 12345;
    for (int i = 0; i < 200000; i++) {
        s = s * 1103515245u + 12345u;
        assert_int_equal(tmi_buf_putc(&b, (char)(s >> 24)), TM_OK);
    }
    assert_int_equal(tm_extract_html(x, b.data, b.len, &r), TM_OK);
    tm_buf_free(&b);
    tm_extractor_free(x);
}

/* Runs tm_job_extract on one input; returns the output file's content. */
static char *run_job(const char *input, const char *html_field, tm_extract_stats *xs,
                     char **removed) {
    char out[512], rem[512];
    snprintf(out, sizeof out, "%s/out.jsonl", dir);
    snprintf(rem, sizeof rem, "%s/removed.jsonl", dir);
    tm_job_opts o;
    tm_job_opts_init(&o);
    const char *in[1] = {input};
    o.inputs = in;
    o.n_inputs = 1;
    o.output = out;
    o.removed = rem;
    o.threads = 2;
    if (html_field) o.reader.text_field = html_field;
    memset(xs, 0, sizeof *xs);
    assert_int_equal(tm_job_extract(&o, xs), TM_OK);
    assert_int_equal(xs->base.read, xs->base.written + xs->base.removed + xs->base.rejected);
    size_t n;
    char *s = tm_test_slurp(out, &n);
    *removed = tm_test_slurp(rem, &n);
    if (!*removed) *removed = calloc(1, 1);
    return s ? s : calloc(1, 1);
}

/* UTF-8 text converted to charset cs with iconv. */
static size_t encode(const char *cs, const char *utf8, char *out, size_t cap) {
    iconv_t cd = iconv_open(cs, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char *in = (char *)(uintptr_t)utf8, *o = out;
    size_t il = strlen(utf8), ol = cap;
    assert_true(iconv(cd, &in, &il, &o, &ol) != (size_t)-1);
    iconv_close(cd);
    return (size_t)(o - out);
}

static const char *ru = "В начале было Слово, и Слово было у Бога, и Слово было Бог. Оно было в "
                        "начале у Бога. Все через Него начало быть, и без Него ничто не начало "
                        "быть, что начало быть. В Нем была жизнь, и жизнь была свет человеков.";

static void test_charsets(void **state) {
    (void)state;
    char page[4096], enc[2048], path[512];
    tm_extract_stats xs;
    char *rem;
    /* undeclared windows-1251: found by detection */
    size_t k = encode("WINDOWS-1251", ru, enc, sizeof enc);
    int m = snprintf(page, sizeof page, "<html><body><p>%.*s</p></body></html>", (int)k, enc);
    snprintf(path, sizeof path, "%s/cp1251.html", dir);
    put_file(path, page, (size_t)m);
    char *out = run_job(path, NULL, &xs, &rem);
    assert_non_null(strstr(out, "\"charset\":\"windows-1251\""));
    assert_non_null(strstr(out, "В начале было Слово, и Слово было у Бога"));
    assert_null(strstr(out, "charset_declared"));
    free(out);
    free(rem);
    /* a <meta> naming a charset that does not exist, over UTF-8: UTF-8, and the
     * declaration is recorded */
    m = snprintf(page, sizeof page,
                 "<html><head><meta charset=\"x-no-such\"></head><body><p>%s</p></body></html>",
                 ru);
    put_file(path, page, (size_t)m);
    out = run_job(path, NULL, &xs, &rem);
    assert_non_null(strstr(out, "\"charset\":\"utf-8\",\"charset_declared\":\"x-no-such\""));
    assert_non_null(strstr(out, "В начале было Слово"));
    free(out);
    free(rem);
    /* a <meta> saying gb2312 over a page re-saved as UTF-8 */
    m = snprintf(page, sizeof page,
                 "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
                 "charset=gb2312\"></head><body><p>%s</p></body></html>",
                 ru);
    put_file(path, page, (size_t)m);
    out = run_job(path, NULL, &xs, &rem);
    assert_non_null(strstr(out, "\"charset\":\"utf-8\",\"charset_declared\":\"gb2312\""));
    free(out);
    free(rem);
    /* a correct declaration is used as is */
    k = encode("WINDOWS-1251", ru, enc, sizeof enc);
    m = snprintf(page, sizeof page,
                 "<html><head><meta charset=windows-1251></head><body><p>%.*s</p></body></html>",
                 (int)k, enc);
    put_file(path, page, (size_t)m);
    out = run_job(path, NULL, &xs, &rem);
    assert_non_null(strstr(out, "\"charset\":\"windows-1251\",\"title\"") == NULL
                        ? strstr(out, "\"charset\":\"windows-1251\"")
                        : NULL);
    assert_non_null(strstr(out, "жизнь была свет человеков"));
    free(out);
    free(rem);
}

/* One WARC response record with the given HTTP message. */
static void warc_rec(tm_buf *b, const char *id, const char *http, size_t n) {
    assert_int_equal(
        tmi_buf_printf(b,
                       "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:%s>\r\n"
                       "WARC-Date: 2024-01-01T00:00:00Z\r\n"
                       "WARC-Target-URI: http://example.org/%s\r\n"
                       "Content-Type: application/http; msgtype=response\r\n"
                       "Content-Length: %zu\r\n\r\n",
                       id, id, n),
        TM_OK);
    assert_int_equal(tmi_buf_append(b, http, n), TM_OK);
    assert_int_equal(tmi_buf_puts(b, "\r\n\r\n"), TM_OK);
}

static void test_warc_reasons(void **state) {
    (void)state;
    tm_buf b = {0}, h = {0};
    const char *para = "<html><body><article><p>A real article paragraph, with commas, words and "
                       "a full stop at its end.</p></article></body></html>";
    tmi_buf_printf(&h, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n%s", para);
    warc_rec(&b, "ok", h.data, h.len);
    /* chunked transfer coding */
    h.len = 0;
    tmi_buf_printf(&h,
                   "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n%zx\r\n%s\r\n0\r\n\r\n",
                   strlen(para), para);
    warc_rec(&b, "chunked", h.data, h.len);
    const char *redir = "HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\n\r\n";
    warc_rec(&b, "redirect", redir, strlen(redir));
    const char *e404 = "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>Not found</p>";
    warc_rec(&b, "missing", e404, strlen(e404));
    static const char png[] = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n";
    warc_rec(&b, "image", png, sizeof png - 1);
    const char *empty =
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body></body></html>";
    warc_rec(&b, "empty", empty, strlen(empty));
    char path[512];
    snprintf(path, sizeof path, "%s/in.warc", dir);
    put_file(path, b.data, b.len);
    tm_extract_stats xs;
    char *rem, *out = run_job(path, NULL, &xs, &rem);
    assert_int_equal(xs.base.read, 6);
    assert_int_equal(xs.base.written, 2);
    assert_int_equal(xs.base.removed, 4);
    assert_int_equal(xs.removed_by[TM_XR_REDIRECT], 1);
    assert_int_equal(xs.removed_by[TM_XR_HTTP_ERROR], 1);
    assert_int_equal(xs.removed_by[TM_XR_NOT_HTML], 1);
    assert_int_equal(xs.removed_by[TM_XR_EMPTY], 1);
    const char *line1 =
        "{\"id\":\"<urn:ok>\",\"text\":\"A real article paragraph, with commas, words and a full "
        "stop at its end.\",\"metadata\":{\"source\":\"";
    assert_memory_equal(out, line1, strlen(line1));
    assert_non_null(strstr(out, "\"url\":\"http://example.org/ok\",\"warc_record_id\":\"<urn:ok>\""
                                ",\"warc_date\":\"2024-01-01T00:00:00Z\""));
    assert_non_null(strstr(out, "{\"id\":\"<urn:chunked>\",\"text\":\"A real article paragraph"));
    assert_non_null(strstr(rem, "\"tamis\":{\"removed_by\":\"extract.redirect\"}"));
    assert_non_null(strstr(rem, "\"tamis\":{\"removed_by\":\"extract.http_error\"}"));
    assert_non_null(strstr(rem, "\"tamis\":{\"removed_by\":\"extract.not_html\"}"));
    assert_non_null(strstr(rem, "\"tamis\":{\"removed_by\":\"extract.empty\"}"));
    tm_buf j = {0};
    assert_int_equal(tm_extract_stats_to_json(&xs, &j), TM_OK);
    assert_non_null(strstr(j.data, "\"removed_by\":{\"not_html\":1,\"redirect\":1,\"http_error\":1,"
                                   "\"empty\":1,\"binary\":0}"));
    tm_buf_free(&j);
    free(out);
    free(rem);
    tm_buf_free(&b);
    tm_buf_free(&h);
}

/* Real records: ClueWeb09's EUC-JP page labelled gzip but stored decoded,
 * a latin-1 page, a WET file passed through, a clipped WARC rejected. */
static void test_real_records(void **state) {
    (void)state;
    tm_extract_stats xs;
    char *rem, *out = run_job("tests/data/io/clueweb-quirk.warc.gz", NULL, &xs, &rem);
    assert_int_equal(xs.base.written, 1);
    assert_non_null(strstr(out, "\"text\":\"アイテム詳細情報\\n\\nジップ式ポケットが"));
    assert_non_null(strstr(out, "\"charset\":\"euc-jp\""));
    free(out);
    free(rem);
    out = run_job("tests/data/io/latin1.warc.gz", NULL, &xs, &rem);
    assert_int_equal(xs.base.written, 1);
    assert_non_null(strstr(out, "\"text\":\"Persönliche Statistik\\n\\nPunkte in der Saison: 0"));
    free(out);
    free(rem);
    out = run_job("tests/data/io/whirlwind.warc.wet.gz", NULL, &xs, &rem);
    assert_true(xs.passed > 0);
    assert_int_equal(xs.passed, xs.base.written);
    free(out);
    free(rem);
    out = run_job("tests/data/clipped.warc.gz", NULL, &xs, &rem);
    assert_true(xs.base.rejected >= 1);
    free(out);
    free(rem);
}

/* JSONL with the HTML in a field of its own. */
static void test_jsonl(void **state) {
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/in.jsonl", dir);
    const char *l =
        "{\"id\":\"a\",\"html\":\"<title>T</title><p>Hello world, this is a page.</p>\"}\n"
        "{\"id\":\"b\",\"html\":\"<p></p>\"}\n";
    put_file(path, l, strlen(l));
    tm_extract_stats xs;
    char *rem, *out = run_job(path, "html", &xs, &rem);
    char want[1024];
    snprintf(want, sizeof want,
             "{\"id\":\"a\",\"text\":\"Hello world, this is a page.\",\"metadata\":{\"source\":"
             "\"%s\",\"line\":1,\"title\":\"T\"}}\n",
             path);
    assert_string_equal(out, want);
    assert_int_equal(xs.removed_by[TM_XR_EMPTY], 1);
    free(out);
    free(rem);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article),      cmocka_unit_test(test_fallback_and_layout),
        cmocka_unit_test(test_rules),        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_charsets),     cmocka_unit_test(test_warc_reasons),
        cmocka_unit_test(test_real_records), cmocka_unit_test(test_jsonl),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
