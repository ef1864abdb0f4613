/*
 * tamis_own.c — tamis's own signals: doubled words, near-duplicate paragraphs
 * (word-set Jaccard of sorted hash sets) and the reader's invalid UTF-8 count.
 */
#include "signals/families.h"

#include "util/buf.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

/* ---- tamis's own ---- */

static inline unsigned ascii_fold(unsigned c) {
    return c - 'A' < 26u ? c + 32 : c;
}

/* Equality under simple (1:1) lowercase mapping of every code point. ASCII
 * maps to ASCII, so two ASCII first bytes that differ after folding settle
 * most pairs, and two ASCII tokens compare byte by byte. */
static int eq_nocase(const char *a, size_t la, unsigned fa, const char *b, size_t lb, unsigned fb) {
    if (la == lb && memcmp(a, b, la) == 0) return 1;
    if (!la || !lb) return 0;
    unsigned a0 = (unsigned char)a[0], b0 = (unsigned char)b[0];
    if (a0 < 0x80 && b0 < 0x80 && ascii_fold(a0) != ascii_fold(b0)) return 0;
    if (fa & fb & TF_ASCII) {
        if (la != lb) return 0;
        for (size_t k = 0; k < la; k++)
            if (ascii_fold((unsigned char)a[k]) != ascii_fold((unsigned char)b[k])) return 0;
        return 1;
    }
    size_t i = 0, j = 0;
    while (i < la && j < lb) {
        int32_t x, y;
        i += tmi_utf8_decode(a + i, la - i, &x);
        j += tmi_utf8_decode(b + j, lb - j, &y);
        if (x != y && utf8proc_tolower(x) != utf8proc_tolower(y)) return 0;
    }
    return i == la && j == lb;
}

#define NEAR_DUP_JACCARD    0.5
#define NEAR_DUP_MAX_CHECKS 256

/* Sorts a few 64-bit keys: insertion sort below 16, else quicksort on the
 * median of three (qsort's callback dominated the profile). */
static void sort_u64_small(uint64_t *a, size_t n) {
    while (n > 16) {
        uint64_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint64_t piv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < piv) i++;
            while (a[j] > piv) j--;
            if (i >= j) break;
            uint64_t t = a[i];
            a[i++] = a[j];
            a[j--] = t;
        }
        /* recurse into the smaller side, loop on the larger */
        if (j + 1 < n - j - 1) {
            sort_u64_small(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            sort_u64_small(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    for (size_t i = 1; i < n; i++) {
        uint64_t v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) a[j] = a[j - 1], j--;
        a[j] = v;
    }
}

/* Sorts hashes. From 17 keys on, a counting pass scatters them by their top
 * k bits into 2^k ~ n/2 buckets (hashes are uniform, so about two keys a
 * bucket) and insertion sort finishes; a bucket that an adversary filled
 * is quicksorted on its own first, so the worst case stays O(n log n). tmp holds n keys, pos 2^k +
 * 1 counters (k <= 16, so at most 65537). Any sort gives the same order, so the results do not
 * depend on this; it only avoids quicksort's unpredictable compares on random keys. */
static void sort_u64(uint64_t *a, size_t n, uint64_t *tmp, uint32_t *pos) {
    if (n <= 16 || !tmp || !pos) {
        sort_u64_small(a, n);
        return;
    }
    unsigned k = 3;
    while (((size_t)2 << k) < n && k < 16) k++;
    const unsigned sh = 64 - k;
    const size_t nb = (size_t)1 << k;
    memset(pos, 0, (nb + 1) * sizeof *pos);
    for (size_t i = 0; i < n; i++) pos[(a[i] >> sh) + 1]++;
    for (size_t b = 0; b < nb; b++) pos[b + 1] += pos[b];
    /* pos[b] = start of bucket b; scatter advances pos[b] to its end */
    for (size_t i = 0; i < n; i++) tmp[pos[a[i] >> sh]++] = a[i];
    /* Buckets of more than 32 keys (rare unless crafted) are sorted on
     * their own; one insertion-sort pass then finishes the nearly sorted
     * array, moving keys only within the small buckets. */
    size_t start = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t end = pos[b];
        if (end - start > 32) sort_u64_small(tmp + start, end - start);
        start = end;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t v = tmp[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) a[j] = a[j - 1], j--;
        a[j] = v;
    }
}

/* Whether the Jaccard index of two sorted sets is >= 1/2, that is
 * 3·|A∩B| >= |A| + |B| (the same decision as the quotient in double
 * precision for sets below 2^52 elements). The merge stops as soon as the
 * answer is known either way. */
static int jaccard_half(const uint64_t *a, size_t na, const uint64_t *b, size_t nb) {
    size_t i = 0, j = 0, inter = 0, need = (na + nb + 2) / 3; /* ceil((na + nb) / 3) */
    while (i < na && j < nb) {
        uint64_t x = a[i], y = b[j];
        inter += x == y;
        i += x <= y;
        j += y <= x;
        if (inter >= need) return 1;
        size_t ra = na - i, rb = nb - j;
        if (inter + (ra < rb ? ra : rb) < need) return 0;
    }
    return inter >= need;
}

/* Prefix length for Jaccard >= 1/2 (prefix filtering, Chaudhuri et al.
 * 2006): two sorted sets reaching the threshold share an element within
 * their first |x| - ceil(|x|/2) + 1 elements. */
static size_t prefix_len(size_t u) {
    return u - (u + 1) / 2 + 1;
}

/* Paragraphs are s->paras, split by the caller. */
static tm_error near_dup_paragraphs(tm_scorer *s, const tm_spans *t, double *out) {
    tm_error e;
    size_t np = s->paras.n, ti = 0, near = 0;
    if (tmi_grow((void **)&s->sh_off, &s->sh_off_cap, 3 * np + 3, sizeof *s->sh_off, 0) ||
        tmi_grow((void **)&s->sh, &s->sh_cap, t->n + np + 1, sizeof *s->sh, 0))
        return TM_ERR_NOMEM;
    size_t *mark = s->sh_off + 2 * np; /* last paragraph that checked q, + 1 */
    s->sh_n = 0;
    /* 1. each paragraph's sorted set of word-3-gram hashes */
    for (size_t p = 0; p < np; p++) {
        while (ti < t->n && t->v[ti].end <= s->paras.v[p].beg) ti++;
        size_t t0 = ti;
        while (ti < t->n && t->v[ti].beg < s->paras.v[p].end) ti++;
        size_t nt = ti - t0, off = s->sh_n;
        if (nt > 0 && nt < 3) {
            uint64_t h = 0;
            for (size_t k = t0; k < ti; k++) h = tmi_sig_mix_tok(h, s->th[k]);
            s->sh[s->sh_n++] = h;
        } else {
            for (size_t k = t0; k + 3 <= ti; k++)
                s->sh[s->sh_n++] = tmi_sig_mix_tok(
                    tmi_sig_mix_tok(tmi_sig_mix_tok(0, s->th[k]), s->th[k + 1]), s->th[k + 2]);
        }
        size_t cnt = s->sh_n - off, u = 0;
        if (cnt > 16 &&
            (tmi_grow((void **)&s->sh_tmp, &s->sh_tmp_cap, cnt, sizeof *s->sh_tmp, 0) ||
             tmi_grow((void **)&s->sh_pos, &s->sh_pos_cap, cnt + 2, sizeof *s->sh_pos, 0)))
            return TM_ERR_NOMEM;
        sort_u64(s->sh + off, cnt, s->sh_tmp, s->sh_pos);
        for (size_t k = 0; k < cnt; k++)
            if (u == 0 || s->sh[off + k] != s->sh[off + u - 1]) s->sh[off + u++] = s->sh[off + k];
        s->sh_n = off + u;
        s->sh_off[2 * p] = off;
        s->sh_off[2 * p + 1] = u;
        mark[p] = 0;
    }
    /* 2. candidates through an index of prefix elements; each entry chains
     * to the previous paragraph with the same element (ent.count = next) */
    if ((e = tmi_sig_table_reset(s, s->sh_n))) return e;
    size_t mask = tmi_sig_table_mask(s, s->sh_n);
    for (size_t p = 0; p < np; p++) {
        size_t off = s->sh_off[2 * p], u = s->sh_off[2 * p + 1], pl = u ? prefix_len(u) : 0;
        size_t checks = 0;
        int found = 0;
        for (size_t k = 0; k < pl && !found && checks < NEAR_DUP_MAX_CHECKS; k++) {
            uint64_t h = s->sh[off + k];
            size_t slot = tmi_sig_slot_of(h, mask);
            while (s->slots[slot] && s->ents[s->slots[slot] - 1].h != h) slot = (slot + 1) & mask;
            for (uint32_t x = s->slots[slot]; x && !found && checks < NEAR_DUP_MAX_CHECKS;
                 x = s->ents[x - 1].count) {
                size_t q = s->ents[x - 1].pos, qu = s->sh_off[2 * q + 1];
                if (mark[q] == p + 1) continue;
                mark[q] = p + 1;
                size_t lo = qu < u ? qu : u, hi = qu < u ? u : qu;
                if ((double)lo < NEAR_DUP_JACCARD * (double)hi) continue; /* J <= lo/hi */
                checks++;
                if (jaccard_half(s->sh + s->sh_off[2 * q], qu, s->sh + off, u)) found = 1;
            }
        }
        near += (size_t)found;
        for (size_t k = 0; k < pl; k++) {
            uint64_t h = s->sh[off + k];
            size_t slot = tmi_sig_slot_of(h, mask);
            while (s->slots[slot] && s->ents[s->slots[slot] - 1].h != h) slot = (slot + 1) & mask;
            s->ents[s->ent_n] = (ent){h, (uint32_t)p, s->slots[slot]};
            s->slots[slot] = (uint32_t)++s->ent_n;
        }
    }
    *out = np ? (double)near / (double)np : 0.0;
    return TM_OK;
}

tm_error tmi_sig_tamis_own(tm_scorer *s, const char *text, const tm_spans *t, size_t invalid_utf8,
                           double *v) {
    /* doubled words: token i equal to token i-1 ignoring case, with a letter;
     * tokens point into s->tb, which is not text under the NLTK tokenizer */
    const char *tb = s->tb;
    size_t words = 0, doubled = 0;
    int prev_alpha = 0;
    for (size_t i = 0; i < t->n; i++) {
        int a = (s->tfl[i] & TF_ALPHA) != 0;
        if (a) {
            words++;
            if (prev_alpha &&
                eq_nocase(tb + t->v[i - 1].beg, t->v[i - 1].end - t->v[i - 1].beg, s->tfl[i - 1],
                          tb + t->v[i].beg, t->v[i].end - t->v[i].beg, s->tfl[i]))
                doubled++;
        }
        prev_alpha = a;
    }
    v[TM_SIG_TM_DOUBLED_WORD_RATIO] = words ? (double)doubled / (double)words : 0.0;
    v[TM_SIG_TM_INVALID_UTF8] = (double)invalid_utf8;
    return near_dup_paragraphs(s, t, &v[TM_SIG_TM_NEAR_DUP_PARA_FRAC]);
}
