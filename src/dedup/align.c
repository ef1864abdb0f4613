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
 * So each document keeps its shingle hashes in text order (32 bits each);
 * the set of a document in a candidate pair is built when the pair is
 * verified (a hash table: no sort in pass 1). Shingle i of an n-gram document spans word
 * positions i .. i+n-1 (characters for character shingles); a position of A
 * is covered when at least one shingle of A that spans it is also in B's
 * set. coverage(A→B) is the share of A's positions covered, gap(A→B) the
 * longest run of uncovered positions. One scan of A's sequence with a
 * lookup in B's set gives both. The accept rule built on them is in
 * verdicts.c.
 */
#include "dedup/dedup.h"
#include "util/buf.h"

#include "text/text.h"

#include <stdlib.h>
#include <string.h>

uint32_t tmi_align_hash32(uint64_t h) {
    return (uint32_t)(h ^ (h >> 32));
}

/* Open addressing over a power-of-two table of at least twice the values;
 * 0 marks an empty slot, so the value 0 is tracked apart. The values are
 * hash bits already, so their low bits index the table. */
tm_error tmi_aset_build(tm_aset *s, const uint32_t *v, size_t n) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    tm_error e = TM_GROW(s->slot, s->cap, cap, 0);
    if (e) return e;
    memset(s->slot, 0, cap * sizeof *s->slot);
    s->mask = cap - 1;
    s->n = 0;
    s->has0 = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t x = v[i];
        if (!x) {
            s->n += !s->has0;
            s->has0 = 1;
            continue;
        }
        size_t at = (x ^ (x >> 16)) & s->mask;
        while (s->slot[at] && s->slot[at] != x) at = (at + 1) & s->mask;
        if (!s->slot[at]) {
            s->slot[at] = x;
            s->n++;
        }
    }
    return TM_OK;
}

int tmi_aset_has(const tm_aset *s, uint32_t x) {
    if (!x) return s->has0;
    if (!s->slot) return 0;
    size_t at = (x ^ (x >> 16)) & s->mask;
    while (s->slot[at]) {
        if (s->slot[at] == x) return 1;
        at = (at + 1) & s->mask;
    }
    return 0;
}

void tmi_aset_free(tm_aset *s) {
    free(s->slot);
    memset(s, 0, sizeof *s);
}

double tmi_aset_jaccard(const tm_aset *a, const tm_aset *b, size_t *inter_out) {
    size_t inter = a->has0 && b->has0;
    for (size_t i = 0; a->slot && i <= a->mask; i++)
        if (a->slot[i] && tmi_aset_has(b, a->slot[i])) inter++;
    if (inter_out) *inter_out = inter;
    size_t uni = a->n + b->n - inter;
    return uni ? (double)inter / (double)uni : 0.0;
}

void tmi_align_cover(const uint32_t *seq, size_t n_seq, int gram, const tm_aset *set,
                     tm_cover *out) {
    memset(out, 0, sizeof *out);
    if (!n_seq) return;
    size_t g = gram > 0 ? (size_t)gram : 1;
    size_t pos = n_seq + g - 1, cov_end = 0, unc = 0, gap = 0, lead = 0, seen = 0;
    for (size_t i = 0; i < n_seq; i++) {
        if (!tmi_aset_has(set, seq[i])) continue;
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

void tmi_align_cover_t(const uint32_t *seq, const uint8_t *common, size_t n_seq, int gram,
                       const tm_aset *set, uint8_t *mark, tm_cover *out) {
    memset(out, 0, sizeof *out);
    if (!n_seq) return;
    size_t g = gram > 0 ? (size_t)gram : 1, pos = n_seq + g - 1;
    /* bit 0: spanned by a shingle in set; bit 1: spanned by a common one */
    memset(mark, 0, pos);
    for (size_t i = 0; i < n_seq; i++) {
        uint8_t m = (uint8_t)(tmi_aset_has(set, seq[i]) | (common[i] ? 2 : 0));
        if (m)
            for (size_t k = 0; k < g; k++) mark[i + k] |= m;
    }
    /* Only the stretches before the first and after the last covered
     * position may be excused: a header or footer the other lacks. A
     * template block inside counts as a difference (a sibling page's
     * own section of its family's template). */
    size_t first = pos, last = 0;
    for (size_t p = 0; p < pos; p++)
        if (mark[p] & 1) {
            if (first == pos) first = p;
            last = p;
        }
    size_t counted = 0, unc = 0, run = 0, gap = 0, inner = 0, lead = 0, tail = 0;
    for (size_t p = 0; p < pos; p++) {
        int edge = p < first || p > last;
        if (mark[p] & 1) {
            counted++;
            if (run && p > run && run > inner) inner = run;
            run = 0;
            continue;
        }
        if (edge && (mark[p] & 2)) { /* excused */
            run = 0;
            continue;
        }
        counted++;
        unc++;
        if (++run > gap) gap = run;
        if (p < first) lead = run > lead ? run : lead;
        if (p > last) tail = run > tail ? run : tail;
    }
    out->positions = counted > UINT32_MAX ? UINT32_MAX : (uint32_t)counted;
    out->coverage = counted ? 1.0 - (double)unc / (double)counted : 1.0;
    out->gap = gap > UINT32_MAX ? UINT32_MAX : (uint32_t)gap;
    out->inner_gap = inner > UINT32_MAX ? UINT32_MAX : (uint32_t)inner;
    size_t edge = lead > tail ? lead : tail;
    out->edge_gap = edge > UINT32_MAX ? UINT32_MAX : (uint32_t)edge;
}

/* Open addressing as tm_aset, keys with their position; 0 is not mapped
 * (a shingle hashing to 0 is simply not used for offsets). */
tm_error tmi_apos_build(tm_apos *m, const uint32_t *v, size_t n) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    if (cap > m->cap) {
        /* both arrays hold cap before m->cap says so */
        size_t ck = m->cap, cp = m->cap;
        tm_error e = TM_GROW(m->key, ck, cap, 0);
        TM_THEN(e, TM_GROW(m->pos, cp, cap, 0));
        if (e) return e;
        m->cap = ck < cp ? ck : cp;
    }
    memset(m->key, 0, cap * sizeof *m->key);
    m->mask = cap - 1;
    for (size_t i = 0; i < n; i++) {
        uint32_t x = v[i];
        if (!x) continue;
        size_t at = (x ^ (x >> 16)) & m->mask;
        while (m->key[at] && m->key[at] != x) at = (at + 1) & m->mask;
        if (m->key[at]) {
            m->pos[at] = TM_APOS_MANY;
        } else {
            m->key[at] = x;
            m->pos[at] = i > TM_APOS_MANY - 1 ? TM_APOS_MANY : (uint32_t)i;
        }
    }
    return TM_OK;
}

uint32_t tmi_apos_get(const tm_apos *m, uint32_t x) {
    if (!x || !m->key) return TM_APOS_NONE;
    size_t at = (x ^ (x >> 16)) & m->mask;
    while (m->key[at]) {
        if (m->key[at] == x) return m->pos[at];
        at = (at + 1) & m->mask;
    }
    return TM_APOS_NONE;
}

void tmi_apos_free(tm_apos *m) {
    free(m->key);
    free(m->pos);
    memset(m, 0, sizeof *m);
}

void tmi_align_shifts(const uint32_t *seq, size_t n, const tm_apos *b, uint32_t *islands,
                      uint32_t *shifts) {
    uint32_t isl = 0, sh = 0;
    int have = 0, missing = 0;
    int64_t off = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t j = tmi_apos_get(b, seq[i]);
        if (j == TM_APOS_MANY) continue; /* repeated in B: says nothing of where */
        if (j == TM_APOS_NONE) {
            missing = 1;
            continue;
        }
        int64_t d = (int64_t)j - (int64_t)i;
        if (have) {
            isl += (uint32_t)missing;
            sh += d != off;
        }
        have = 1;
        missing = 0;
        off = d;
    }
    *islands = isl;
    *shifts = sh;
}

/* One text's in-order shingles (32 bits), its set and its gram. */
typedef struct atext {
    uint32_t *seq;
    size_t n_seq;
    tm_aset set;
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
    if (!t->seq) {
        free(h);
        return TM_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) t->seq[i] = tmi_align_hash32(h[i]);
    free(h);
    t->n_seq = n;
    return tmi_aset_build(&t->set, t->seq, n);
}

tm_error tmi_align_texts(const char *a, size_t la, const char *b, size_t lb,
                         const tm_shingle_opts *o, tm_cover *ab, tm_cover *ba, double *jaccard) {
    atext x, y;
    memset(&y, 0, sizeof y);
    tm_error e = shingle_one(a, la, o, &x);
    TM_THEN(e, shingle_one(b, lb, o, &y));
    if (!e) {
        tmi_align_cover(x.seq, x.n_seq, x.gram, &y.set, ab);
        tmi_align_cover(y.seq, y.n_seq, y.gram, &x.set, ba);
        *jaccard = tmi_aset_jaccard(&x.set, &y.set, NULL);
    }
    free(x.seq);
    free(y.seq);
    tmi_aset_free(&x.set);
    tmi_aset_free(&y.set);
    return e;
}
