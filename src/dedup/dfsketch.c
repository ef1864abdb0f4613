/*
 * dfsketch.c — document frequency of shingles for `tamis dedup
 * --template-df`, in a count-min sketch of fixed size.
 *
 * Template-aware verification (verdicts.c) needs to know, for each shingle
 * of a candidate pair, how many documents of the corpus hold it: shingles
 * that a whole family of sibling pages shares (a flags section, a locale's
 * boilerplate, a site's header) are weak evidence that one page copies
 * another. An exact table would grow with the corpus; the sketch does not:
 * 8-bit counters, a shingle counted once per document in two of them, its
 * frequency read as the smaller (never below the truth; above it only when
 * both collide with other shingles). Counters saturate at 255, far above
 * any template bound. With N shingle occurrences (distinct per document)
 * in a sketch of B bytes each counter collects about 2N/B of other
 * shingles' counts: 32 MiB holds the 130 MB harm corpus (N ~ 14 million)
 * with a mean noise under 1, and the noise grows with N/B (docs/DEDUP.md).
 *
 * Workers of pass 1 count concurrently with atomic saturating increments.
 * Each increment either adds one or finds the counter saturated, so every
 * counter ends at min(number of increments, 255) whatever the order or the
 * number of threads: the sketch, and every decision taken from it, is the
 * same for any -j and does not depend on --memory (its size is its own
 * option). The sketch is keyed by the 32-bit shingle value that the aligned
 * records keep, so the verifier can look shingles up from those records.
 */
#include "dedup/dedup.h"

#include <stdlib.h>
#include <string.h>

struct tm_dfsketch {
    void *raw;         /* the allocation; c is its first 64-byte boundary */
    uint8_t *c;        /* lines x 64 counters */
    size_t lines_mask; /* lines - 1 */
};

/* Both counters of a shingle lie in one 64-byte line (a blocked count-min
 * sketch): one cache miss per shingle instead of one per row, with the
 * same noise as two rows of half the size each. */
#define TM_DF_LINE 64

tm_error tmi_dfsketch_new(tm_dfsketch **out, uint64_t bytes) {
    *out = NULL;
    tm_dfsketch *s = calloc(1, sizeof *s);
    if (!s) return TM_ERR_NOMEM;
    /* the largest power of two of lines within the budget, at least 16 */
    size_t lines = 16;
    while ((uint64_t)lines * 2 * TM_DF_LINE <= bytes && lines < ((size_t)1 << 34)) lines *= 2;
    /* calloc: untouched pages of a large sketch cost no resident memory */
    s->raw = calloc(lines * TM_DF_LINE + TM_DF_LINE, 1);
    if (!s->raw) {
        free(s);
        return TM_ERR_NOMEM;
    }
    uintptr_t at = ((uintptr_t)s->raw + TM_DF_LINE - 1) & ~(uintptr_t)(TM_DF_LINE - 1);
    s->c = (uint8_t *)at;
    s->lines_mask = lines - 1;
    *out = s;
    return TM_OK;
}

void tmi_dfsketch_free(tm_dfsketch *s) {
    if (!s) return;
    free(s->raw);
    free(s);
}

uint64_t tmi_dfsketch_bytes(const tm_dfsketch *s) {
    return s ? (uint64_t)(s->lines_mask + 1) * TM_DF_LINE : 0;
}

/* The two counters of h: a 64-bit finaliser (SplitMix64's) of the 32-bit
 * value picks the line and two different bytes in it. */
static void slots(const tm_dfsketch *s, uint32_t h, size_t at[2]) {
    uint64_t x = (uint64_t)h * 0x9e3779b97f4a7c15ULL + 0x74656d706c617465ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    x ^= x >> 31;
    size_t base = ((size_t)x & s->lines_mask) * TM_DF_LINE;
    size_t c0 = (size_t)(x >> 52) & 63, c1 = (c0 + 1 + (size_t)((x >> 40) % 63)) & 63;
    at[0] = base + c0;
    at[1] = base + c1;
}

static void bump(uint8_t *p) {
    uint8_t v = __atomic_load_n(p, __ATOMIC_RELAXED);
    while (v < 255 && !__atomic_compare_exchange_n(p, &v, (uint8_t)(v + 1), 1, __ATOMIC_RELAXED,
                                                   __ATOMIC_RELAXED)) {
    }
}

void tmi_dfsketch_add(tm_dfsketch *s, uint32_t h) {
    size_t at[2];
    slots(s, h, at);
    bump(&s->c[at[0]]);
    bump(&s->c[at[1]]);
}

/* Batches of this many: their lines are prefetched before any is bumped. */
#define TM_DF_BATCH 16

void tmi_dfsketch_add_hashes(tm_dfsketch *s, const uint64_t *v, size_t n) {
    size_t at[TM_DF_BATCH][2];
    for (size_t i = 0; i < n; i += TM_DF_BATCH) {
        size_t m = n - i < TM_DF_BATCH ? n - i : TM_DF_BATCH;
        for (size_t k = 0; k < m; k++) {
            slots(s, tmi_align_hash32(v[i + k]), at[k]);
            __builtin_prefetch(&s->c[at[k][0]], 1);
        }
        for (size_t k = 0; k < m; k++) {
            bump(&s->c[at[k][0]]);
            bump(&s->c[at[k][1]]);
        }
    }
}

uint32_t tmi_dfsketch_get(const tm_dfsketch *s, uint32_t h) {
    size_t at[2];
    slots(s, h, at);
    uint8_t a = s->c[at[0]], b = s->c[at[1]];
    return a < b ? a : b;
}

void tmi_dfsketch_common(const tm_dfsketch *s, const uint32_t *v, size_t n, uint32_t bound,
                         uint8_t *common) {
    size_t at[TM_DF_BATCH][2];
    for (size_t i = 0; i < n; i += TM_DF_BATCH) {
        size_t m = n - i < TM_DF_BATCH ? n - i : TM_DF_BATCH;
        for (size_t k = 0; k < m; k++) {
            slots(s, v[i + k], at[k]);
            __builtin_prefetch(&s->c[at[k][0]], 0);
        }
        for (size_t k = 0; k < m; k++) {
            uint8_t a = s->c[at[k][0]], b = s->c[at[k][1]];
            common[i + k] = (a < b ? a : b) > bound;
        }
    }
}
