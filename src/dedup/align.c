/*
 * align.c — where two documents differ, for `tamis dedup --verify aligned`.
 *
 * A set similarity says how much two documents share, not where they differ,
 * and on templated text that is not enough: a sibling reference page shares
 * as many shingles with its neighbour as a copy with 2 % of its words edited.
 * What separates them is the shape of the difference. An edited copy differs
 * from its original in many small scattered places (a replaced, deleted or
 * inserted word uncovers one to a few words), a sibling page in long
 * contiguous blocks (its own name, description and flags), a translation
 * into a related dialect densely everywhere.
 *
 * So each document keeps its shingle hashes in text order (32 bits each) and
 * its sorted distinct set. Shingle i of an n-gram document spans word
 * positions i .. i+n-1 (characters for character shingles); a position of A
 * is covered when at least one shingle of A that spans it is also in B's
 * set. coverage(A→B) is the share of A's positions covered, gap(A→B) the
 * longest run of uncovered positions. One scan of A's sequence with a binary
 * search in B's set gives both. The accept rule built on them is in
 * verdicts.c.
 */
#include "dedup/dedup.h"

#include "text/text.h"

#include <stdlib.h>
#include <string.h>

uint32_t tm_align_hash32(uint64_t h) {
    return (uint32_t)(h ^ (h >> 32));
}

static int has(const uint32_t *set, size_t n, uint32_t x) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && set[lo] == x;
}

void tm_align_cover(const uint32_t *seq, size_t n_seq, int gram, const uint32_t *set,
                    size_t n_set, tm_cover *out) {
    memset(out, 0, sizeof *out);
    if (!n_seq) return;
    size_t g = gram > 0 ? (size_t)gram : 1;
    size_t pos = n_seq + g - 1, cov_end = 0, unc = 0, gap = 0, lead = 0, seen = 0;
    for (size_t i = 0; i < n_seq; i++) {
        if (!has(set, n_set, seq[i])) continue;
        if (i > cov_end) {
            size_t run = i - cov_end;
            unc += run;
            if (!seen)
                lead = run;
            else if (run > gap)
                gap = run;
        }
        seen = 1;
        if (i + g > cov_end) cov_end = i + g;
    }
    size_t tail = pos - cov_end;
    if (!seen) {
        lead = unc = pos;
        tail = 0;
    }
    unc += tail;
    out->positions = pos > UINT32_MAX ? UINT32_MAX : (uint32_t)pos;
    out->coverage = 1.0 - (double)unc / (double)pos;
    out->inner_gap = gap > UINT32_MAX ? UINT32_MAX : (uint32_t)gap;
    size_t edge = lead > tail ? lead : tail;
    out->edge_gap = edge > UINT32_MAX ? UINT32_MAX : (uint32_t)edge;
    out->gap = out->inner_gap > out->edge_gap ? out->inner_gap : out->edge_gap;
}

static int cmp_u32(const void *x, const void *y) {
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

size_t tm_align_set(const uint32_t *seq, size_t n, uint32_t *set) {
    if (!n) return 0;
    memcpy(set, seq, n * sizeof *set);
    qsort(set, n, sizeof *set, cmp_u32);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (set[i] != set[k - 1]) set[k++] = set[i];
    return k;
}

double tm_align_jaccard(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                        size_t *inter_out) {
    size_t i = 0, j = 0, inter = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (b[j] < a[i])
            j++;
        else
            inter++, i++, j++;
    }
    if (inter_out) *inter_out = inter;
    size_t uni = na + nb - inter;
    return uni ? (double)inter / (double)uni : 0.0;
}

/* One text's in-order shingles (32 bits), its sorted set and its gram. */
typedef struct atext {
    uint32_t *seq, *set;
    size_t n_seq, n_set;
    int gram;
} atext;

static tm_error shingle_one(const char *s, size_t len, const tm_shingle_opts *o, atext *t) {
    memset(t, 0, sizeof *t);
    uint64_t *h = NULL;
    size_t n = 0;
    int chars = 0;
    tm_error e = tm_shingle_text(s, len, o, &h, &n, &chars);
    if (e) return e;
    t->gram = chars ? (o->char_n > 0 ? o->char_n : 5) : (o->word_n > 0 ? o->word_n : 5);
    t->seq = malloc((n ? n : 1) * sizeof *t->seq);
    t->set = malloc((n ? n : 1) * sizeof *t->set);
    if (!t->seq || !t->set) {
        free(h);
        return TM_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) t->seq[i] = tm_align_hash32(h[i]);
    free(h);
    t->n_seq = n;
    t->n_set = tm_align_set(t->seq, n, t->set);
    return TM_OK;
}

tm_error tm_align_texts(const char *a, size_t la, const char *b, size_t lb,
                        const tm_shingle_opts *o, tm_cover *ab, tm_cover *ba, double *jaccard) {
    atext x, y;
    tm_error e = shingle_one(a, la, o, &x);
    if (!e) e = shingle_one(b, lb, o, &y);
    else memset(&y, 0, sizeof y);
    if (!e) {
        tm_align_cover(x.seq, x.n_seq, x.gram, y.set, y.n_set, ab);
        tm_align_cover(y.seq, y.n_seq, y.gram, x.set, x.n_set, ba);
        *jaccard = tm_align_jaccard(x.set, x.n_set, y.set, y.n_set, NULL);
    }
    free(x.seq);
    free(x.set);
    free(y.seq);
    free(y.set);
    return e;
}
