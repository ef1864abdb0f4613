/*
 * fuzz_clean.c — libFuzzer target for `tamis clean` (src/clean) on one
 * document at a time.
 *
 * The first byte chooses the operations, the block or line paragraph model
 * (a blank line in the text or not decides that by itself), dry run and the
 * language; the rest is the document (tm_clean_text repairs invalid UTF-8
 * first). One cleaner per option set is kept for the whole run, as a worker
 * thread keeps its own, so that state left in its scratch by one document is
 * exercised by the next. Invariants (abort on failure): the call succeeds;
 * the output is valid UTF-8; a dry run, or no operation, returns the
 * repaired input byte for byte; the edits are a JSON array; counts.edits is
 * the sum of counts.n[] (reported doubled words apart); `changed` says
 * whether the output differs from the input; cleaning the same input again
 * after another document gives the same bytes and edits (no state leaks).
 */
#include "text/text.h"
#include "util/buf.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) abort();                                                                         \
    } while (0)

static tm_cleaner *cleaners[64];

static void clean(tm_cleaner *c, const char *s, size_t n, const char *lang, tm_buf *out,
                  tm_buf *edits, tm_clean_counts *k) {
    out->len = edits->len = 0;
    CHECK(tm_clean_text(c, s, n, lang, out, edits, k) == TM_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned sel = data[0] & 63;
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    static const char *const langs[] = {NULL, "en", "fr", "zh"};
    const char *lang = langs[(sel >> 4) & 3];
    if (!cleaners[sel]) {
        tm_clean_opts o;
        tm_clean_opts_init(&o);
        static const unsigned ops[] = {TM_CLEAN_ALL, TM_CLEAN_REPEATED | TM_CLEAN_REWORDED,
                                       TM_CLEAN_DOUBLED | TM_CLEAN_NORMALIZE, 0};
        o.ops = ops[sel & 3];
        o.dry_run = (sel >> 2) & 1;
        o.min_reworded_words = (sel >> 3) & 1 ? 3 : 10; /* small paragraphs reach reworded */
        CHECK(tm_cleaner_new(&cleaners[sel], &o) == TM_OK);
    }
    tm_cleaner *c = cleaners[sel];
    tm_buf rep = {0}, out = {0}, edits = {0}, out2 = {0}, edits2 = {0}, other = {0};
    size_t nrep = 0;
    CHECK(tm_utf8_repair(in, n, &rep, &nrep) == TM_OK);
    const char *r = rep.data ? rep.data : "";
    tm_clean_counts k, k2;
    clean(c, in, n, lang, &out, &edits, &k);
    CHECK(tm_utf8_valid_prefix(out.data ? out.data : "", out.len) == out.len);
    int dry = (sel >> 2) & 1;
    int same_as_repaired = out.len == rep.len && (!out.len || memcmp(out.data, r, out.len) == 0);
    int same_as_input = out.len == n && (!n || memcmp(out.data, in, n) == 0);
    if (dry || (sel & 3) == 3) CHECK(same_as_repaired);
    if (!dry) CHECK(k.changed == !same_as_input);
    uint64_t sum = 0; /* reported doubled words are no edit */
    for (int i = 0; i < TM_CLEAN_EDIT_KINDS; i++) sum += i == TM_EDIT_DOUBLED_KEPT ? 0 : k.n[i];
    CHECK(sum == k.edits);
    json_error_t jerr;
    json_t *arr = json_loadb(edits.data ? edits.data : "", edits.len, 0, &jerr);
    CHECK(arr && json_is_array(arr));
    json_decref(arr);
    /* Another document through the same cleaner, then this one again. */
    size_t half = n / 2;
    clean(c, in + half, n - half, lang, &other, &edits2, &k2);
    clean(c, in, n, lang, &out2, &edits2, &k2);
    CHECK(out2.len == out.len && (!out.len || memcmp(out2.data, out.data, out.len) == 0));
    CHECK(edits2.len == edits.len &&
          (!edits.len || memcmp(edits2.data, edits.data, edits.len) == 0));
    CHECK(k2.edits == k.edits);
    tm_buf_free(&rep);
    tm_buf_free(&out);
    tm_buf_free(&edits);
    tm_buf_free(&out2);
    tm_buf_free(&edits2);
    tm_buf_free(&other);
    return 0;
}
