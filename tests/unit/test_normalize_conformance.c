/*
 * test_normalize_conformance.c — tm_normalize() against the Unicode
 * Consortium's NormalizationTest.txt (Debian `unicode-data`, installed by
 * scripts/deps.sh as /usr/share/unicode/NormalizationTest.txt.bz2; another
 * copy may be named by TM_NORMALIZATION_TEST, plain or .bz2).
 *
 * tm_normalize() sends only the segments that may change through utf8proc
 * and copies the rest (normalize.c), so its answer can differ from the
 * standard's only by a wrong segment boundary: every line of the file is a
 * case, with the invariants of the file's own header,
 *   c2 == NFC(c1) == NFC(c2) == NFC(c3), c4 == NFC(c4) == NFC(c5),
 *   c4 == NFKC(c1) == ... == NFKC(c5).
 * Lines with a code point that utf8proc does not know (a file newer than
 * the library) are counted and skipped. The test skips when no file is found.
 */
#include "testutil.h"
#include "util/buf.h"

#include <utf8proc.h>

static void put_utf8(tm_buf *b, const char *field) {
    char *end;
    for (const char *p = field; *p;) {
        unsigned long cp = strtoul(p, &end, 16);
        if (end == p) break;
        utf8proc_uint8_t u[4];
        utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, u);
        assert_int_equal(tmi_buf_append(b, (const char *)u, (size_t)n), TM_OK);
        p = end;
        while (*p == ' ') p++;
    }
}

static int all_known(const char *field) {
    char *end;
    for (const char *p = field; *p;) {
        unsigned long cp = strtoul(p, &end, 16);
        if (end == p) break;
        if (utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_CN) return 0;
        p = end;
        while (*p == ' ') p++;
    }
    return 1;
}

/* form(c) equals want, both as bytes. */
static int same(int form, const tm_buf *c, const tm_buf *want, tm_buf *out) {
    out->len = 0;
    assert_int_equal(tm_normalize(c->data ? c->data : "", c->len, form, out), TM_OK);
    return out->len == want->len && (!out->len || memcmp(out->data, want->data, out->len) == 0);
}

static FILE *open_test_file(int *piped) {
    const char *env = getenv("TM_NORMALIZATION_TEST");
    const char *path = env ? env : "/usr/share/unicode/NormalizationTest.txt.bz2";
    *piped = 0;
    if (access(path, R_OK) != 0) return NULL;
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".bz2") == 0) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "bzip2 -dc '%s'", path);
        *piped = 1;
        return popen(cmd, "r");
    }
    return fopen(path, "r");
}

static void test_normalization_test_txt(void **state) {
    (void)state;
    int piped;
    FILE *f = open_test_file(&piped);
    if (!f) {
        print_message("NormalizationTest.txt not found (Debian unicode-data): skipped\n");
        skip();
    }
    tm_buf c[5] = {{0}}, out = {0};
    char line[4096];
    size_t cases = 0, unknown = 0, failed = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '@' || line[0] == '\n') continue;
        char *fields[5], *p = line;
        int nf = 0;
        for (; nf < 5; nf++) {
            char *semi = strchr(p, ';');
            if (!semi) break;
            *semi = 0;
            fields[nf] = p;
            p = semi + 1;
        }
        if (nf < 5) continue;
        if (!all_known(fields[0])) {
            unknown++;
            continue;
        }
        for (int i = 0; i < 5; i++) {
            c[i].len = 0;
            put_utf8(&c[i], fields[i]);
        }
        int ok = same(TM_NORM_NFC, &c[0], &c[1], &out) && same(TM_NORM_NFC, &c[1], &c[1], &out) &&
                 same(TM_NORM_NFC, &c[2], &c[1], &out) && same(TM_NORM_NFC, &c[3], &c[3], &out) &&
                 same(TM_NORM_NFC, &c[4], &c[3], &out);
        for (int i = 0; i < 5 && ok; i++) ok = same(TM_NORM_NFKC, &c[i], &c[3], &out);
        if (!ok && failed++ < 10)
            print_error("not conformant: %s;%s;%s\n", fields[0], fields[1], fields[2]);
        cases++;
    }
    int rc = piped ? pclose(f) : fclose(f);
    for (int i = 0; i < 5; i++) tm_buf_free(&c[i]);
    tm_buf_free(&out);
    print_message("%zu cases, %zu skipped (code points unknown to utf8proc %s)\n", cases, unknown,
                  utf8proc_unicode_version());
    assert_int_equal(rc, 0);
    assert_true(cases > 15000); /* the whole file was read (Unicode 15: 19,000+ lines) */
    assert_int_equal(failed, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalization_test_txt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
