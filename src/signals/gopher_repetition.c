/*
 * gopher_repetition.c — the Gopher repetition signals (quality-signals.md §4):
 * duplicated paragraphs and lines, the most frequent 2-4-grams and the
 * duplicated 5-10-grams, with datatrove's separator-less n-gram keys folded
 * from the tokens' prefix hashes (signals.c) and repeat candidates found
 * with two bit sets before any table is touched.
 */
#include "signals/families.h"

#include "util/buf.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

/* ---- Gopher repetition (§4) ---- */

/* Byte equality of the concatenations of tokens [a, a+n) and [b, b+n). */
static int concat_eq(const char *text, const tm_spans *t, size_t a, size_t b, size_t n) {
    size_t ia = a, ib = b, oa = 0, ob = 0;
    size_t ea = a + n, eb = b + n;
    for (;;) {
        while (ia < ea && t->v[ia].beg + oa == t->v[ia].end) ia++, oa = 0;
        while (ib < eb && t->v[ib].beg + ob == t->v[ib].end) ib++, ob = 0;
        if (ia == ea || ib == eb) return ia == ea && ib == eb;
        size_t ra = t->v[ia].end - t->v[ia].beg - oa, rb = t->v[ib].end - t->v[ib].beg - ob;
        size_t k = ra < rb ? ra : rb;
        if (memcmp(text + t->v[ia].beg + oa, text + t->v[ib].beg + ob, k)) return 0;
        oa += k;
        ob += k;
    }
}

/* Window scratch: wh and cand for m windows, wbit for nbits entries. */
static int grow_windows(tm_scorer *s, size_t m, size_t nbits) {
    if (tmi_grow((void **)&s->wh, &s->win_cap, m, sizeof *s->wh, 0)) return -1;
    if (tmi_grow((void **)&s->cand, &s->cand_cap, m, sizeof *s->cand, 0)) return -1;
    if (tmi_grow((void **)&s->wbit, &s->wbit_cap, nbits, sizeof *s->wbit, 0)) return -1;
    return 0;
}

/*
 * Which windows may have a key that occurs more than once. wh[c] is the
 * hash of window in[c] (in NULL: of window c), np windows in all. Two bit
 * sets of at least 8·np bits record "hashed here once" and "twice or more";
 * a window whose bit was set only once has a key that no other window has,
 * so it can never be found in a table, nor be found by a later window, nor
 * have a count above 1: the n-gram passes skip it. Most n-grams of a text
 * occur once, so this replaces most table operations by two bit tests.
 * Writes the other positions, ascending, to s->cand (in may be s->cand);
 * returns their number, or (size_t)-1 when out of memory.
 */
static size_t repeat_candidates(tm_scorer *s, const uint32_t *in, size_t np) {
    unsigned lg = 9;
    while (((size_t)1 << lg) < 8 * np) lg++;
    size_t words = ((size_t)1 << lg) / 64;
    if (tmi_grow((void **)&s->seen, &s->seen_cap, 2 * words, sizeof *s->seen, 0)) return (size_t)-1;
    uint64_t *once = s->seen, *twice = s->seen + words;
    memset(s->seen, 0, 2 * words * sizeof *s->seen);
    const uint64_t *wh = s->wh;
    uint32_t *wb = s->wbit;
    const unsigned sh = 64 - lg;
    for (size_t c = 0; c < np; c++) {
        uint32_t b = (uint32_t)((wh[c] * 0x9E3779B97F4A7C15ull) >> sh);
        uint64_t bit = (uint64_t)1 << (b & 63);
        wb[c] = b;
        twice[b >> 6] |= once[b >> 6] & bit;
        once[b >> 6] |= bit;
    }
    size_t k = 0;
    for (size_t c = 0; c < np; c++) {
        s->cand[k] = in ? in[c] : (uint32_t)c;
        k += (twice[wb[c] >> 6] >> (wb[c] & 63)) & 1;
    }
    return k;
}

/* Hash of the sequence of tokens [i, i+n) (bn = B2^n). */
static inline uint64_t seq_hash(const tm_scorer *s, size_t i, size_t n, uint64_t bn) {
    return s->pt[i + n] - s->pt[i] * bn;
}

/* Hash of the byte concatenation of tokens [i, i+n). */
static inline uint64_t concat_hash(const tm_scorer *s, size_t i, size_t n) {
    return s->ph[i + n] - s->ph[i] * s->pw[i + n] * s->ipw[i];
}

/* Most frequent n-gram. *nc holds the number of candidates the pass for
 * n - 1 left in s->cand ((size_t)-1 for none yet): an n-gram can repeat only
 * where its first n - 1 tokens do, so each pass starts from the last one's
 * candidates (token sequences, unlike separator-less keys, nest). */
static tm_error top_ngram(tm_scorer *s, const char *text, const tm_spans *t, size_t n, double L,
                          size_t *nc, double *out) {
    *out = 0.0;
    if (t->n < n) return TM_OK;
    size_t m = t->n - n + 1, np;
    if (grow_windows(s, m + 1, m + 1)) return TM_ERR_NOMEM;
    uint64_t bn = 1;
    for (size_t k = 0; k < n; k++) bn *= POLY_B2;
    if (*nc == (size_t)-1) {
        for (size_t i = 0; i < m; i++) s->wh[i] = seq_hash(s, i, n, bn);
        *nc = repeat_candidates(s, NULL, m);
    } else {
        np = 0;
        for (size_t c = 0; c < *nc; c++)
            if (s->cand[c] < m)
                s->wh[np] = seq_hash(s, s->cand[c], n, bn), s->cand[np++] = s->cand[c];
        *nc = repeat_candidates(s, s->cand, np);
    }
    if (*nc == (size_t)-1) return TM_ERR_NOMEM;
    size_t ncand = *nc;
    tm_error e = tmi_sig_table_reset(s, ncand);
    if (e) return e;
    size_t mask = tmi_sig_table_mask(s, ncand);
    for (size_t c = 0; c < ncand; c++) {
        size_t i = s->cand[c];
        uint64_t h = seq_hash(s, i, n, bn);
        size_t slot = tmi_sig_slot_of(h, mask);
        for (;;) {
            uint32_t x = s->slots[slot];
            if (!x) {
                s->ents[s->ent_n] = (ent){h, (uint32_t)i, 1};
                s->slots[slot] = (uint32_t)++s->ent_n;
                break;
            }
            ent *en = &s->ents[x - 1];
            if (en->h == h) {
                size_t k = 0;
                while (k < n && tmi_sig_tok_eq(s, text, t, en->pos + k, i + k)) k++;
                if (k == n) {
                    en->count++;
                    break;
                }
            }
            slot = (slot + 1) & mask;
        }
    }
    /* Counter.most_common(1): highest count, ties to the first inserted.
     * Entries are in first-occurrence order; when nothing repeats, the
     * answer is the first n-gram of the text, once. */
    size_t best_pos = 0, best_count = 1;
    for (size_t i = 0; i < s->ent_n; i++)
        if (s->ents[i].count > best_count) {
            best_count = s->ents[i].count;
            best_pos = s->ents[i].pos;
        }
    size_t chars = n - 1;
    for (size_t k = 0; k < n; k++) chars += s->tcp[best_pos + k];
    if (L > 0) *out = (double)chars * (double)best_count / L;
    return TM_OK;
}

/*
 * Candidates of the six duplicated-n-gram passes (n = 5..10) at once: one
 * sweep over the positions computes the six window hashes from the same
 * prefix arrays and feeds six pairs of bit sets (see repeat_candidates),
 * and a second sweep writes six candidate lists, list n - 5 at
 * s->wbit + (n - 5) * stride (over each window's bit index, which is no
 * longer needed); ncand[n - 5] receives each length.
 */
#define DUP_N_MIN  5
#define DUP_N_MAX  10
#define DUP_PASSES (DUP_N_MAX - DUP_N_MIN + 1)

static tm_error dup_candidates(tm_scorer *s, size_t ntok, size_t *stride, size_t *ncand) {
    size_t m = ntok - DUP_N_MIN + 1; /* windows of the shortest n */
    if (grow_windows(s, 0, DUP_PASSES * m)) return TM_ERR_NOMEM;
    unsigned lg = 9;
    while (((size_t)1 << lg) < 8 * m) lg++;
    size_t words = ((size_t)1 << lg) / 64;
    if (tmi_grow((void **)&s->seen, &s->seen_cap, 2 * DUP_PASSES * words, sizeof *s->seen, 0))
        return TM_ERR_NOMEM;
    memset(s->seen, 0, 2 * DUP_PASSES * words * sizeof *s->seen);
    const unsigned sh = 64 - lg;
    uint32_t *wb = s->wbit;
    uint64_t *once[DUP_PASSES], *twice[DUP_PASSES];
    for (size_t k = 0; k < DUP_PASSES; k++) {
        once[k] = s->seen + 2 * k * words;
        twice[k] = once[k] + words;
    }
    /* positions where every n fits run without the bound test (the inner
     * loop has a constant trip count and unrolls) */
    size_t full = ntok >= DUP_N_MAX ? ntok - DUP_N_MAX + 1 : 0;
    for (size_t i = 0; i < m; i++) {
        const uint64_t q = s->ph[i] * s->ipw[i];
        const size_t kn = i < full ? DUP_PASSES : ntok - i - DUP_N_MIN + 1;
        for (size_t k = 0; k < kn; k++) {
            const size_t n = DUP_N_MIN + k;
            uint64_t h = s->ph[i + n] - q * s->pw[i + n];
            uint32_t b = (uint32_t)((h * 0x9E3779B97F4A7C15ull) >> sh);
            uint64_t bit = (uint64_t)1 << (b & 63);
            wb[k * m + i] = b;
            twice[k][b >> 6] |= once[k][b >> 6] & bit;
            once[k][b >> 6] |= bit;
        }
    }
    for (size_t k = 0; k < DUP_PASSES; k++) {
        size_t n = DUP_N_MIN + k, mk = ntok >= n ? ntok - n + 1 : 0, c = 0;
        const uint64_t *tw = twice[k];
        uint32_t *w = wb + k * m; /* compacted in place: c <= i */
        for (size_t i = 0; i < mk; i++) {
            uint32_t b = w[i];
            w[c] = (uint32_t)i;
            c += (tw[b >> 6] >> (b & 63)) & 1;
        }
        ncand[k] = c;
    }
    *stride = m;
    return TM_OK;
}

/* datatrove's duplicated n-gram count over the candidates cand[0..nc) that
 * dup_candidates found for this n. */
static tm_error dup_ngram(tm_scorer *s, const char *text, const tm_spans *t, size_t n,
                          const uint32_t *cand, size_t nc, double L, double *out) {
    *out = 0.0;
    if (t->n < n) return TM_OK;
    tm_error e = tmi_sig_table_reset(s, nc);
    if (e) return e;
    /* The greedy scan visits i = 0, 1, ... and jumps n after a hit; a
     * position that is not a candidate is a miss that inserts nothing
     * anyone will look up, so only candidates past the last jump are
     * looked at (next = the first position the scan still visits). */
    size_t mask = tmi_sig_table_mask(s, nc), rep = 0, next = 0;
    for (size_t c = 0; c < nc; c++) {
        size_t i = cand[c];
        if (i < next) continue;
        uint64_t h = concat_hash(s, i, n);
        size_t slot = tmi_sig_slot_of(h, mask);
        int found = 0;
        for (;;) {
            uint32_t x = s->slots[slot];
            if (!x) break;
            ent *en = &s->ents[x - 1];
            if (en->h == h && concat_eq(text, t, en->pos, i, n)) {
                found = 1;
                break;
            }
            slot = (slot + 1) & mask;
        }
        if (found) {
            for (size_t k = 0; k < n; k++) rep += s->tcp[i + k];
            next = i + n;
        } else {
            s->ents[s->ent_n] = (ent){h, (uint32_t)i, 1};
            s->slots[slot] = (uint32_t)++s->ent_n;
            next = i + 1;
        }
    }
    if (L > 0) *out = (double)rep / L;
    return TM_OK;
}

tm_error tmi_sig_gopher_repetition(tm_scorer *s, const char *text, size_t len, const tm_spans *t,
                                   double L, double *v) {
    size_t dc, dch;
    tm_error e = tmi_sig_find_duplicates(s, text, &s->paras, &dc, &dch);
    if (e) return e;
    v[TM_SIG_GR_DUP_PARA_FRAC] = (double)dc / (double)s->paras.n;
    v[TM_SIG_GR_DUP_PARA_CHAR_FRAC] = L > 0 ? (double)dch / L : 0.0;
    e = tmi_sig_split_lf_min(text, 0, len, 1, &s->lines);
    TM_THEN(e, tmi_sig_find_duplicates(s, text, &s->lines, &dc, &dch));
    if (e) return e;
    v[TM_SIG_GR_DUP_LINE_FRAC] = (double)dc / (double)s->lines.n;
    v[TM_SIG_GR_DUP_LINE_CHAR_FRAC] = L > 0 ? (double)dch / L : 0.0;
    size_t nc = (size_t)-1;
    for (size_t n = 2; n <= 4; n++)
        if ((e = top_ngram(s, s->tb, t, n, L, &nc, &v[TM_SIG_GR_TOP_2GRAM + n - 2]))) return e;
    if (t->n >= DUP_N_MIN) {
        size_t stride, ncand[DUP_PASSES];
        if ((e = dup_candidates(s, t->n, &stride, ncand))) return e;
        for (size_t n = DUP_N_MIN; n <= DUP_N_MAX; n++)
            if ((e = dup_ngram(s, s->tb, t, n, s->wbit + (n - DUP_N_MIN) * stride,
                               ncand[n - DUP_N_MIN], L, &v[TM_SIG_GR_DUP_5GRAM + n - 5])))
                return e;
    } else {
        /* too few tokens for any of them (dup_ngram's own empty case) */
        for (size_t n = DUP_N_MIN; n <= DUP_N_MAX; n++) v[TM_SIG_GR_DUP_5GRAM + n - 5] = 0.0;
    }
    return TM_OK;
}
