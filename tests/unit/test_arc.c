/*
 * test_arc.c — the Internet Archive's ARC format (versions 1 and 2): framing,
 * auto-detection, skipped records, rejects, and extraction.
 *
 * The ARC files are made by hand in each test (a version block, then
 * records of "URL IP date type length" lines and their bodies), written
 * plain and gzipped one member per record as .arc.gz files are, so the
 * expected ids, offsets, texts, metadata and reasons below are exact.
 */
#include "testutil.h"

#include "io/io.h"
#include "util/buf.h"

#include <zlib.h>

static char dir[256];

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tamis-test-arc-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(const char *name) {
    static char buf[4][512];
    static int k;
    k = (k + 1) & 3;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static const char *put(const char *name, const char *data, size_t n) {
    const char *p = path_of(name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    return p;
}

static int has(const tm_doc *d, const char *s) {
    return memmem(tm_doc_meta(d).ptr, tm_doc_meta(d).len, s, strlen(s)) != NULL;
}

/* An ARC file under construction: the plain bytes, the same records as one
 * gzip member each, and each record's offset in the plain bytes. */
typedef struct arc {
    tm_buf plain, gz;
    size_t off[16], n;
} arc;

/* Appends a record: a version 1 header line (v2: the ten fields), the
 * body, and the newline that ends every record. */
static void rec(arc *a, const char *url, const char *date, const char *type, const char *body,
                size_t n, int v2) {
    tm_buf r = {0};
    if (v2)
        tmi_buf_printf(&r, "%s 192.0.2.7 %s %s 200 - - 0 IA-2.arc %zu\n", url, date, type, n);
    else
        tmi_buf_printf(&r, "%s 192.0.2.7 %s %s %zu\n", url, date, type, n);
    tmi_buf_append(&r, body, n);
    tmi_buf_putc(&r, '\n');
    a->off[a->n++] = a->plain.len;
    tmi_buf_append(&a->plain, r.data, r.len);
    tm_test_gzip_member(&a->gz, r.data, r.len);
    tm_buf_free(&r);
}

static void version_block(arc *a, int v2) {
    const char *v1b = "1 0 Alexa Internet\nURL IP-address Archive-date Content-type "
                      "Archive-length\n";
    const char *v2b = "2 0 Alexa Internet\nURL IP-address Archive-date Content-type Result-code "
                      "Checksum Location Offset Filename Archive-length\n";
    const char *b = v2 ? v2b : v1b;
    rec(a, "filedesc://IA-001102.arc", "19961104142103", "text/plain", b, strlen(b), v2);
}

static void arc_free(arc *a) {
    tm_buf_free(&a->plain);
    tm_buf_free(&a->gz);
}

static const char PAGE[] = "<html><head><title>Le chat</title></head><body><article><p>Le chat "
                           "dort sur le canap\xc3\xa9 depuis ce matin, et personne ne veut le "
                           "r\xc3\xa9veiller.</p><p>Il fait beau dehors, mais le chat s'en moque "
                           "bien.</p></article></body></html>";
static const char HTTP_HEAD[] = "HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n";

/* A version 1 file: version block, a DNS record, a page, an image and a
 * redirect. */
static void v1_file(arc *a) {
    memset(a, 0, sizeof *a);
    version_block(a, 0);
    const char *dns = "19961104142104\nwww.example.org. 3600 IN A 192.0.2.7\n";
    rec(a, "dns:www.example.org", "19961104142104", "text/dns", dns, strlen(dns), 0);
    tm_buf h = {0};
    tmi_buf_printf(&h, "%s%s", HTTP_HEAD, PAGE);
    rec(a, "http://www.example.org/chat.html", "19961104142105", "text/html", h.data, h.len, 0);
    static const char gif[] = "HTTP/1.0 200 OK\r\nContent-Type: image/gif\r\n\r\nGIF89a\x00\x01";
    rec(a, "http://www.example.org/i.gif", "19961104142106", "image/gif", gif, sizeof gif - 1, 0);
    const char *moved = "HTTP/1.0 301 Moved\r\nLocation: /x\r\nContent-Type: text/html\r\n\r\n"
                        "<html>moved</html>";
    rec(a, "http://www.example.org/old", "19961104142107", "text/html", moved, strlen(moved), 0);
    tm_buf_free(&h);
}

/* The expected JSONL line of the page at offset off of file path. */
static void page_line(tm_buf *b, const char *path, size_t off) {
    tmi_buf_reset(b);
    tmi_buf_printf(b,
                   "{\"id\":\"%s@%zu\",\"text\":\"T\",\"metadata\":{\"source\":\"%s\","
                   "\"url\":\"http://www.example.org/chat.html\",\"arc_date\":"
                   "\"1996-11-04T14:21:05Z\",\"arc_offset\":%zu,\"content_type\":\"text/html; "
                   "charset=utf-8\",\"charset\":\"utf-8\",\"http_status\":200,\"http_headers\":"
                   "\"HTTP/1.0 200 OK\\r\\nContent-Type: text/html; charset=utf-8\"}}\n",
                   path, off, path, off);
}

static void test_v1_plain_and_gzip(void **state) {
    (void)state;
    arc a;
    v1_file(&a);
    const char *paths[2] = {put("a.arc", a.plain.data, a.plain.len),
                            put("a.arc.gz", a.gz.data, a.gz.len)};
    for (int k = 0; k < 2; k++) {
        tm_reader *r;
        assert_int_equal(tm_reader_open(&r, &paths[k], 1, NULL), TM_OK);
        tm_doc d;
        assert_int_equal(tm_reader_next(r, &d), TM_OK);
        assert_int_equal(d.format, TM_FMT_ARC);
        assert_int_equal(d.offset, a.off[2]);
        assert_int_equal(d.has_id, 0);
        assert_int_equal(d.text.len, strlen(PAGE));
        assert_memory_equal(d.text.ptr, PAGE, d.text.len);
        tm_buf out = {0}, want = {0};
        assert_int_equal(tm_doc_to_jsonl(&d, "T", 1, NULL, 0, &out), TM_OK);
        page_line(&want, paths[k], a.off[2]);
        assert_string_equal(out.data, want.data);
        /* the image is skipped (not text); the redirect is a document */
        assert_int_equal(tm_reader_next(r, &d), TM_OK);
        assert_int_equal(d.offset, a.off[4]);
        assert_int_equal(d.text.len, 18);
        assert_memory_equal(d.text.ptr, "<html>moved</html>", 18);
        assert_true(has(&d, "\"url\":\"http://www.example.org/old\",\"arc_date\":"
                            "\"1996-11-04T14:21:07Z\""));
        assert_true(has(&d, "\"http_status\":301"));
        assert_int_equal(tm_reader_next(r, &d), TM_EOF);
        /* the version block, the DNS record and the image */
        assert_int_equal(tm_reader_skipped(r), 3);
        tm_reader_close(r);
        tm_buf_free(&out);
        tm_buf_free(&want);
    }
    /* all_responses (what extract reads with) hands the image on too */
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    o.all_responses = 1;
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &paths[1], 1, &o), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.offset, a.off[3]);
    assert_int_equal(d.text.len, 0);
    assert_true(has(&d, "\"content_type\":\"image/gif\""));
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    assert_int_equal(tm_reader_skipped(r), 2);
    tm_reader_close(r);
    arc_free(&a);
}

static void test_v2_and_odd_headers(void **state) {
    (void)state;
    arc a;
    memset(&a, 0, sizeof a);
    version_block(&a, 1);
    tm_buf h = {0};
    tmi_buf_printf(&h, "%s%s", HTTP_HEAD, PAGE);
    rec(&a, "https://www.example.org/v2.html", "20080430204825", "text/html", h.data, h.len, 1);
    /* version 1 lines in the same file: an unescaped space in the URL, and
     * a date of 12 digits, which stays as written */
    const char *small = "HTTP/1.1 200 OK\r\n\r\n<p>Petit</p>";
    rec(&a, "http://e.x/a b.html", "20080430204826", "text/html", small, strlen(small), 0);
    rec(&a, "http://e.x/c.html", "200804302048", "text/html", small, strlen(small), 0);
    const char *p = put("v2.arc", a.plain.data, a.plain.len);
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &p, 1, NULL), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.format, TM_FMT_ARC);
    assert_memory_equal(d.text.ptr, PAGE, strlen(PAGE));
    tm_buf want = {0};
    tmi_buf_printf(&want,
                   "{\"source\":\"%s\",\"url\":\"https://www.example.org/v2.html\",\"arc_date\":"
                   "\"2008-04-30T20:48:25Z\",\"arc_offset\":%zu,\"content_type\":",
                   p, a.off[1]);
    assert_true(tm_doc_meta(&d).len > want.len);
    assert_memory_equal(tm_doc_meta(&d).ptr, want.data, want.len);
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_memory_equal(d.text.ptr, "<p>Petit</p>", 12);
    assert_true(has(&d, "\"url\":\"http://e.x/a b.html\",\"arc_date\":\"2008-04-30T20:48:26Z\""));
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_true(has(&d, "\"url\":\"http://e.x/c.html\",\"arc_date\":\"200804302048\""));
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    assert_int_equal(tm_reader_skipped(r), 1);
    tm_reader_close(r);
    tm_buf_free(&want);
    tm_buf_free(&h);
    arc_free(&a);
}

/* Malformed header lines are rejects with the reason, and reading resumes
 * at the next HTTP record; a body or header that runs past the end of the
 * file is a truncated reject. */
static void test_rejects(void **state) {
    (void)state;
    arc a;
    memset(&a, 0, sizeof a);
    version_block(&a, 0);
    const char *ok = "HTTP/1.1 200 OK\r\n\r\nok";
    tmi_buf_puts(&a.plain, "\nnot an arc header\n");
    rec(&a, "http://e.x/1", "20240101000000", "text/html", ok, strlen(ok), 0);
    tmi_buf_puts(&a.plain, "\nhttp://e.x/2 192.0.2.7 20240101000000 text/html 12x\nblah\n");
    rec(&a, "http://e.x/3", "2024-01-01", "text/html", ok, strlen(ok), 0);
    rec(&a, "http://e.x/4", "20240101000000", "text/html", ok, strlen(ok), 0);
    /* the last record says 100 bytes; 20 follow */
    tmi_buf_puts(&a.plain, "http://e.x/5 192.0.2.7 20240101000000 text/html 100\n");
    tmi_buf_append(&a.plain, "HTTP/1.1 200 OK\r\n\r\n0", 20);
    const char *p = put("bad.arc", a.plain.data, a.plain.len);
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, &p, 1, NULL), TM_OK);
    tm_doc d;
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_WARC);
    assert_string_equal(tm_reader_detail(r),
                        "ARC header line has 4 fields, expected 5 (version 1) or 10 (version 2)");
    assert_int_equal(d.format, TM_FMT_ARC);
    assert_int_equal(d.raw.len, strlen("not an arc header\n"));
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_memory_equal(d.text.ptr, "ok", 2);
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_WARC);
    assert_string_equal(tm_reader_detail(r), "invalid ARC Archive-length '12x'");
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_WARC);
    assert_string_equal(tm_reader_detail(r), "invalid ARC Archive-date '2024-01-01'");
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_true(has(&d, "\"url\":\"http://e.x/4\""));
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_TRUNCATED);
    assert_string_equal(tm_reader_detail(r), "input ends after 20 of 100 ARC body bytes");
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    tm_reader_close(r);

    /* a skipped record cut short, and a header line cut short */
    arc b;
    memset(&b, 0, sizeof b);
    version_block(&b, 0);
    size_t vb_len = b.plain.len;
    tmi_buf_puts(&b.plain, "dns:e.x 192.0.2.7 20240101000000 text/dns 50\n20240101000000\n");
    p = put("cut-dns.arc", b.plain.data, b.plain.len);
    assert_int_equal(tm_reader_open(&r, &p, 1, NULL), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_TRUNCATED);
    assert_string_equal(tm_reader_detail(r), "input ends inside an ARC record body");
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    tm_reader_close(r);
    b.plain.len = vb_len; /* the version block, then half a header line */
    tmi_buf_puts(&b.plain, "\nhttp://e.x/6 192.0.2.7");
    p = put("cut-head.arc", b.plain.data, b.plain.len);
    assert_int_equal(tm_reader_open(&r, &p, 1, NULL), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_ERR_TRUNCATED);
    assert_string_equal(tm_reader_detail(r), "input ends inside an ARC header line");
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    tm_reader_close(r);
    arc_free(&a);
    arc_free(&b);
}

/* Records without a version block are ARC only when the format says so. */
static void test_forced_format(void **state) {
    (void)state;
    arc a;
    memset(&a, 0, sizeof a);
    const char *ok = "HTTP/1.1 200 OK\r\n\r\nbonjour";
    rec(&a, "http://e.x/1", "20240101000000", "text/html", ok, strlen(ok), 0);
    const char *p = put("bare.arc", a.plain.data, a.plain.len);
    tm_reader *r;
    tm_doc d;
    assert_int_equal(tm_reader_open(&r, &p, 1, NULL), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.format, TM_FMT_TEXT);
    tm_reader_close(r);
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    o.format = TM_FMT_ARC;
    assert_int_equal(tm_reader_open(&r, &p, 1, &o), TM_OK);
    assert_int_equal(tm_reader_next(r, &d), TM_OK);
    assert_int_equal(d.format, TM_FMT_ARC);
    assert_int_equal(d.text.len, 7);
    assert_memory_equal(d.text.ptr, "bonjour", 7);
    assert_int_equal(tm_reader_next(r, &d), TM_EOF);
    assert_int_equal(tm_reader_skipped(r), 0);
    tm_reader_close(r);
    arc_free(&a);
}

/* tamis extract over an .arc.gz: the article text, the ARC metadata, and
 * the image and the redirect removed with their reasons. */
static void test_extract(void **state) {
    (void)state;
    arc a;
    v1_file(&a);
    const char *in = put("x.arc.gz", a.gz.data, a.gz.len);
    const char *outp = path_of("out.jsonl"), *remp = path_of("removed.jsonl");
    tm_job_opts o;
    tm_job_opts_init(&o);
    const char *ins[1] = {in};
    o.inputs = ins;
    o.n_inputs = 1;
    o.output = outp;
    o.removed = remp;
    o.threads = 2;
    tm_extract_stats xs;
    memset(&xs, 0, sizeof xs);
    assert_int_equal(tm_job_extract(&o, &xs), TM_OK);
    assert_int_equal(xs.base.read, 3);
    assert_int_equal(xs.base.written, 1);
    assert_int_equal(xs.base.removed, 2);
    assert_int_equal(xs.base.rejected, 0);
    assert_int_equal(xs.removed_by[TM_XR_NOT_HTML], 1);
    assert_int_equal(xs.removed_by[TM_XR_REDIRECT], 1);
    char *out = tm_test_text(outp), *rem = tm_test_text(remp);
    tm_buf want = {0};
    tmi_buf_printf(&want,
                   "{\"id\":\"%s@%zu\",\"text\":\"Le chat dort sur le canap\xc3\xa9 depuis ce "
                   "matin, et personne ne veut le r\xc3\xa9veiller.\\n\\nIl fait beau dehors, mais "
                   "le chat s'en moque bien.\",\"metadata\":{\"source\":\"%s\",\"url\":"
                   "\"http://www.example.org/chat.html\",\"arc_date\":\"1996-11-04T14:21:05Z\","
                   "\"arc_offset\":%zu,\"content_type\":\"text/html; charset=utf-8\",\"charset\":"
                   "\"utf-8\",\"http_status\":200,\"http_headers\":\"HTTP/1.0 200 OK\\r\\n"
                   "Content-Type: text/html; charset=utf-8\",\"title\":\"Le chat\"}}\n",
                   in, a.off[2], in, a.off[2]);
    assert_string_equal(out, want.data);
    assert_non_null(strstr(rem, "\"url\":\"http://www.example.org/i.gif\""));
    assert_non_null(strstr(rem, "\"tamis\":{\"removed_by\":\"extract.not_html\"}"));
    assert_non_null(strstr(rem, "\"tamis\":{\"removed_by\":\"extract.redirect\"}"));
    free(out);
    free(rem);
    tm_buf_free(&want);
    arc_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_plain_and_gzip), cmocka_unit_test(test_v2_and_odd_headers),
        cmocka_unit_test(test_rejects),           cmocka_unit_test(test_forced_format),
        cmocka_unit_test(test_extract),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
