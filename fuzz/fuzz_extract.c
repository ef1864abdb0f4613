/*
 * fuzz_extract.c — libFuzzer target for the HTML extractor (src/extract).
 *
 * Each input is extracted twice on one handle as UTF-8 (repaired first, as
 * the readers always give valid UTF-8), and once as raw bytes (crashes,
 * leaks and sanitizer reports only). Checks on the UTF-8 runs: the text and
 * every metadata value are valid UTF-8; the text neither starts with a line
 * break nor ends with a space or line break, and, when the page has no
 * <pre> (whose lines are kept verbatim), has no run of three line breaks
 * (the paragraph model: one blank line between blocks); the second run on the
 * reused scratch gives the same bytes. abort() on any failure.
 */
#include "tamis.h"
#include "util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_extract: check failed at line %d: %s\n", __LINE__, #cond);       \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Whether s contains "<pre", in any case. */
static int has_pre(const char *s, size_t n) {
    for (size_t i = 0; i + 4 <= n; i++)
        if (s[i] == '<' && (s[i + 1] | 0x20) == 'p' && (s[i + 2] | 0x20) == 'r' &&
            (s[i + 3] | 0x20) == 'e')
            return 1;
    return 0;
}

static void valid(tm_str s) {
    CHECK(tm_utf8_valid_prefix(s.ptr, s.len) == s.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    tm_extractor *x;
    if (tm_extractor_new(&x)) return 0;
    tm_buf in = {0}, first = {0};
    tm_extracted r;
    if (tm_utf8_repair((const char *)data, size, &in, NULL) == TM_OK) {
        const char *p = in.data ? in.data : "";
        for (int round = 0; round < 2; round++) {
            CHECK(tm_extract_html(x, p, in.len, &r) == TM_OK);
            valid(r.text);
            valid(r.title);
            valid(r.canonical);
            valid(r.date);
            valid(r.author);
            valid(r.site_name);
            valid(r.lang);
            if (r.text.len) {
                char a = r.text.ptr[0], z = r.text.ptr[r.text.len - 1];
                CHECK(a != '\n' && z != ' ' && z != '\n');
                CHECK(has_pre(p, in.len) || !memmem(r.text.ptr, r.text.len, "\n\n\n", 3));
            }
            if (round == 0) {
                CHECK(tmi_buf_append(&first, r.text.ptr, r.text.len) == TM_OK);
            } else {
                CHECK(first.len == r.text.len);
                CHECK(!r.text.len || memcmp(first.data, r.text.ptr, r.text.len) == 0);
            }
        }
    }
    CHECK(tm_extract_html(x, (const char *)data, size, &r) == TM_OK);
    tm_buf_free(&in);
    tm_buf_free(&first);
    tm_extractor_free(x);
    return 0;
}
