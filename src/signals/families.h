/*
 * families.h — what the signal families share, private to src/signals:
 * signals.c prepares the tokens, their hashes and class bits once per
 * document and runs each family, one file each (gopher_quality.c,
 * gopher_repetition.c, fineweb.c, tamis_own.c; C4 is c4.c), over them.
 * Every family computes the values of its signals (the rows of its family
 * in include/tamis_signals.h) into v, from the text, its tokens (spans into
 * s->tb) and the scorer's scratch. The helpers they share are in sigutil.c,
 * which calls no family: calls go driver -> families -> sigutil.c.
 */
#ifndef TM_SIGNALS_FAMILIES_H
#define TM_SIGNALS_FAMILIES_H

#include "signals/signals.h"
#include "util/buf.h"

#include <string.h>

#define POLY_B  0x100000001B3ull      /* FNV prime: odd, so powers never vanish */
#define POLY_B2 0x9E3779B97F4A7C15ull /* odd: the hash over token hashes */

/* Per-token class bits (tfl). */
enum {
    TF_ALPHA = 1,  /* has an alphabetic code point (str.isalpha) */
    TF_NONSYM = 2, /* has a code point outside datatrove's PUNCTUATION_SET */
    TF_ASCII = 4   /* every byte is ASCII */
};

/* ---- sigutil.c ---- */

/* The open-addressing table of the scorer: cleared for up to n insertions,
 * and the mask of that size. */
tm_error tmi_sig_table_reset(tm_scorer *s, size_t n);
size_t tmi_sig_table_mask(const tm_scorer *s, size_t n);
/* First and last code points of p[0, n) (0 when empty). */
int32_t tmi_sig_first_cp(const char *p, size_t n);
int32_t tmi_sig_last_cp(const char *p, size_t n);
/* datatrove's find_duplicates over the spans sp of text: the number of
 * repeated elements and their characters (quality-signals §4.2). */
tm_error tmi_sig_find_duplicates(tm_scorer *s, const char *text, const tm_spans *sp,
                                 size_t *dup_count, size_t *dup_chars);
/* re.split of text[beg, end) at runs of at least min_run LFs. */
tm_error tmi_sig_split_lf_min(const char *text, size_t beg, size_t end, size_t min_run,
                              tm_spans *out);

/* Slot of a hash: the high half of a multiplicative mix, because the low
 * bits of a polynomial hash modulo 2^64 depend only on low input bits. */
static inline size_t tmi_sig_slot_of(uint64_t h, size_t mask) {
    return (size_t)((h * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

static inline int tmi_sig_tok_eq(const tm_scorer *s, const char *text, const tm_spans *t, size_t a,
                                 size_t b) {
    if (s->th[a] != s->th[b]) return 0;
    size_t la = t->v[a].end - t->v[a].beg, lb = t->v[b].end - t->v[b].beg;
    return la == lb && memcmp(text + t->v[a].beg, text + t->v[b].beg, la) == 0;
}

/* Folds a token hash into a running hash of a sequence of tokens. */
static inline uint64_t tmi_sig_mix_tok(uint64_t h, uint64_t th) {
    h ^= th + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xFF51AFD7ED558CCDull;
}

/* The families (docs/SIGNALS.md): each fills every signal of its family in v
 * (test_sigtable.c checks that every table row is filled). */
tm_error tmi_sig_gopher_quality(tm_scorer *s, const char *text, size_t len, const tm_spans *t,
                                const tm_spans *lines, const char *lang, double *v);
tm_error tmi_sig_gopher_repetition(tm_scorer *s, const char *text, size_t len, const tm_spans *t,
                                   double L, double *v);
tm_error tmi_sig_fineweb(tm_scorer *s, const char *text, size_t len, const tm_spans *t, double L,
                         double *v);
tm_error tmi_sig_tamis_own(tm_scorer *s, const char *text, const tm_spans *t, size_t invalid_utf8,
                           double *v);

#endif
