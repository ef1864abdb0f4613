/*
 * fuzz_signals.c — libFuzzer target for the quality signals (src/signals)
 * on one document at a time, with both word tokenizers.
 *
 * The first byte chooses the tokenizer (tamis's or datatrove's NLTK words)
 * and the language (none, English, French, Chinese: the stop-word paths
 * differ); the rest, repaired to UTF-8, is the document. One scorer per
 * choice lives for the whole run, as a worker thread keeps its own.
 * Invariants (abort on failure): every signal of TM_SIG_ALL is computed, is
 * finite and not negative; with tamis's words the shares (bounded()) lie in
 * [0, 1] (NLTK's words turn '"' into two characters, `` or '', so their
 * character counts may pass the text's, in datatrove as here); computing the same text again after
 * another document gives the same values bit for bit (scratch state must not leak between
 * documents: it once did, under the NLTK words).
 */
#include "signals/signals.h"
#include "text/text.h"
#include "util/buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) abort();                                                                         \
    } while (0)

static tm_scorer *scorers[8];

static void compute(tm_scorer *s, int words, const char *t, size_t n, const char *lang, double *v) {
    for (int i = 0; i < TM_SIG_COUNT; i++) v[i] = -1.0;
    CHECK(tmi_signals_compute_words(s, words, t, n, lang, 0, TM_SIG_ALL, v) == TM_OK);
}

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A share of lines, words, paragraphs or characters: at most 1. Not the
 * counts per word (hash_ratio, ellipsis_ratio, and FineWeb's list_ratio:
 * line feeds per word) nor Gopher's top n-gram fraction, whose overlapping
 * occurrences may count a character twice (docs/SIGNALS.md). */
static int bounded(const char *name) {
    return (ends_with(name, "_frac") || ends_with(name, "_ratio")) && !strstr(name, ".top_") &&
           !ends_with(name, "hash_ratio") && !ends_with(name, "ellipsis_ratio") &&
           !ends_with(name, "list_ratio");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    unsigned sel = data[0] & 7;
    int words = sel & 1 ? TM_WORDS_NLTK : TM_WORDS_TAMIS;
    static const char *const langs[] = {NULL, "en", "fr", "zh"};
    const char *lang = langs[sel >> 1];
    if (!scorers[sel]) CHECK(tm_scorer_new(&scorers[sel]) == TM_OK);
    tm_scorer *s = scorers[sel];
    tm_buf rep = {0};
    CHECK(tm_utf8_repair((const char *)data + 1, size - 1, &rep, NULL) == TM_OK);
    const char *t = rep.data ? rep.data : "";
    size_t n = rep.len;
    double v[TM_SIG_COUNT], w[TM_SIG_COUNT], other[TM_SIG_COUNT];
    compute(s, words, t, n, lang, v);
    for (int i = 0; i < TM_SIG_COUNT; i++) {
        const char *name = tm_signal_name(i);
        CHECK(isfinite(v[i]) && v[i] >= 0.0);
        if (name && bounded(name) && words == TM_WORDS_TAMIS) CHECK(v[i] <= 1.0);
    }
    /* Another document (the second half) through the same scorer, then this
     * one again: the same bits. */
    size_t half = n / 2;
    while (half < n && ((unsigned char)t[half] & 0xC0) == 0x80) half++;
    compute(s, words, t + half, n - half, lang, other);
    compute(s, words, t, n, lang, w);
    CHECK(memcmp(v, w, sizeof v) == 0);
    tm_buf_free(&rep);
    return 0;
}
