/*
 * paragraphs.c — stages 3 and 4 of `tamis clean`: repeated and reworded
 * paragraphs within one document.
 *
 * Paragraphs: every non-blank line is one (wire copy and web text put one
 * paragraph a line), unless blank lines are the separator: then a paragraph
 * is a run of non-blank lines. Blank lines are the separator when there is
 * at least one and either they separate at least a third of the line pairs
 * or the lines are short (mean under 90 bytes: hard-wrapped text). A single
 * stray blank line in a one-paragraph-a-line article (common in news-fr)
 * must not glue the whole article into two giant paragraphs.
 * They are numbered from 1 in the text this stage receives.
 *
 * Each paragraph is reduced to its words: maximal runs of letters, marks and
 * digits, lowercased (utf8proc simple mapping), hashed with XXH3-64; in
 * scripts written without spaces (Han, Kana, Thai...) character bigrams. Its
 * sequence key chains the word hashes, its set is the sorted unique hashes.
 *  - repeated (exact): same key as an earlier kept paragraph and at least
 *    min_repeat_words words — case, punctuation and spacing do not matter;
 *    short lines ("Oui.", "Share") are left alone on purpose: they repeat
 *    legitimately in interviews and lists.
 *  - reworded: word-set Jaccard with an earlier kept paragraph >=
 *    para_threshold, both having at least min_reworded_words words. Word sets
 *    rather than shingles because machine rewording moves clauses around
 *    ("On sait jusqu'à présent que" / "Jusqu'à présent, on sait que"), which
 *    breaks shingles but keeps the words; docs/CLEAN.md has the numbers
 *    behind the default threshold.
 * The later paragraph is dropped with the separator that followed it, the
 * earlier one kept. Each paragraph is compared with at most
 * TM_CLEAN_MAX_COMPARE earlier kept ones, so a page of 100,000 lines costs
 * linear time.
 */
#include "clean/clean_int.h"

#include "text/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

typedef struct para {
    size_t beg, end;     /* bytes, without the separator */
    size_t set, set_len; /* word-set hashes in ps->hashes */
    size_t words;
    uint64_t key;
    int kept;
} para;

struct tm_para_scratch {
    para *p;
    size_t n, cap;
    uint64_t *hashes; /* all word sets, back to back */
    size_t nh, caph;
    size_t *kept; /* indexes of kept paragraphs */
    size_t nk, capk;
};

tm_para_scratch *tm_para_scratch_new(void) {
    return calloc(1, sizeof(tm_para_scratch));
}

void tm_para_scratch_free(tm_para_scratch *ps) {
    if (!ps) return;
    free(ps->p);
    free(ps->hashes);
    free(ps->kept);
    free(ps);
}

static int grow(void **v, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 1;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need) nc *= 2;
    void *nv = realloc(*v, nc * elem);
    if (!nv) return 0;
    *v = nv;
    *cap = nc;
    return 1;
}

int32_t tm_clean_lower(int32_t cp) {
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    if (cp >= 0xC0 && cp <= 0xDE) return cp == 0xD7 ? cp : cp + 32;
    if (cp >= 0xDF && cp <= 0xFF) return cp;
    return utf8proc_tolower(cp);
}

static int word_cp(int32_t cp) {
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp >= 0xC0 && cp < 0x250) return cp != 0xD7 && cp != 0xF7; /* Latin letters */
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return 1;
    default: return 0;
    }
}

/* Sorts v ascending: quicksort with an inline comparison (libc qsort's
 * callback was 40% of this stage), insertion sort below 16 elements. */
static void sort_u64(uint64_t *v, size_t n) {
    while (n > 16) {
        uint64_t a = v[0], b = v[n / 2], c = v[n - 1];
        uint64_t p = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t i = 0, j = n - 1;
        for (;;) {
            while (v[i] < p) i++;
            while (v[j] > p) j--;
            if (i >= j) break;
            uint64_t t = v[i];
            v[i] = v[j], v[j] = t;
            i++, j--;
        }
        /* Recurse on the smaller part, loop on the larger. */
        if (j + 1 < n - j - 1) {
            sort_u64(v, j + 1);
            v += j + 1, n -= j + 1;
        } else {
            sort_u64(v + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) v[j] = v[j - 1], j--;
        v[j] = x;
    }
}

/* Words of s[beg, end) into ps->hashes (as a sorted set) and *pp. */
static tm_error scan_words(tm_para_scratch *ps, const char *s, para *pp, size_t want_words) {
    char w[TM_CLEAN_MAX_WORD_BYTES + 4];
    size_t wl = 0, first = ps->nh;
    int in_word = 0;
    int32_t prev_ns = 0;
    uint64_t key = 0;
    pp->words = 0;
    for (size_t i = pp->beg; i <= pp->end;) {
        int32_t cp = -1;
        size_t l = 1;
        if (i < pp->end) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x80) {
                /* ASCII fast path: most bytes of most corpora. */
                if ((c | 32) >= 'a' && (c | 32) <= 'z')
                    c |= 32;
                else if (c < '0' || c > '9')
                    goto not_word;
                if (wl <= TM_CLEAN_MAX_WORD_BYTES) w[wl++] = (char)c;
                in_word = 1;
                prev_ns = 0;
                i++;
                continue;
            }
            l = tm_utf8_decode(s + i, pp->end - i, &cp);
        }
    not_word:;
        int ns = cp >= 0x0E01 && tm_is_nospace_script(cp);
        if (cp >= 0 && !ns && word_cp(cp)) {
            if (wl <= TM_CLEAN_MAX_WORD_BYTES) wl += tm_utf8_encode(tm_clean_lower(cp), w + wl);
            in_word = 1;
            prev_ns = 0;
            i += l;
            continue;
        }
        uint64_t h = 0;
        int have = 0;
        if (in_word) {
            h = XXH3_64bits(w, wl), have = 1;
            wl = 0;
            in_word = 0;
        }
        if (have) {
            key = (key ^ h) * 0x9E3779B97F4A7C15ull;
            if (!grow((void **)&ps->hashes, &ps->caph, ps->nh + 1, sizeof(uint64_t)))
                return TM_ERR_NOMEM;
            ps->hashes[ps->nh++] = h;
            pp->words++;
        }
        if (ns) {
            /* Scripts without spaces: every character counts as a word and
             * the set holds character bigrams (the first one of a run paired
             * with 0), which keep far more of the order than single ideographs. */
            int32_t bg[2] = {prev_ns, cp};
            h = XXH3_64bits(bg, sizeof bg);
            key = (key ^ h) * 0x9E3779B97F4A7C15ull;
            if (!grow((void **)&ps->hashes, &ps->caph, ps->nh + 1, sizeof(uint64_t)))
                return TM_ERR_NOMEM;
            ps->hashes[ps->nh++] = h;
            pp->words++;
            prev_ns = cp;
        } else
            prev_ns = 0;
        i += l;
    }
    size_t n = ps->nh - first;
    int want_set = pp->words >= want_words;
    uint64_t *v = ps->hashes + first;
    if (!want_set) n = 0; /* only reworded repeats need the set */
    sort_u64(v, n);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || v[u - 1] != v[i]) v[u++] = v[i];
    ps->nh = first + u;
    pp->set = first;
    pp->set_len = u;
    pp->key = key;
    return TM_OK;
}

static double jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb) {
    size_t i = 0, j = 0, inter = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j])
            inter++, i++, j++;
        else if (a[i] < b[j])
            i++;
        else
            j++;
    }
    size_t uni = na + nb - inter;
    return uni ? (double)inter / (double)uni : 0.0;
}

static int blank_range(const char *s, size_t b, size_t e) {
    for (; b < e; b++)
        if (s[b] != ' ' && s[b] != '\t' && s[b] != '\r') return 0;
    return 1;
}

/* Mean line length under which lines separated by blank lines are taken as
 * hard-wrapped paragraphs (72-column mail, Gutenberg): 90 bytes. */
#define BLOCK_LINE_BYTES 90

/* Fills ps->p with the paragraphs of s (see the top of the file). */
static tm_error split_paragraphs(tm_para_scratch *ps, const char *s, size_t n) {
    ps->n = 0;
    size_t lines = 0, gaps = 0, bytes = 0;
    int blank_before = 0;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t le = nl ? (size_t)(nl - s) : n;
        if (blank_range(s, i, le))
            blank_before = lines > 0;
        else {
            gaps += (size_t)blank_before;
            blank_before = 0;
            lines++;
            bytes += le - i;
        }
        i = le + 1;
    }
    size_t adjacent = lines > gaps ? lines - 1 - gaps : 0;
    int block = gaps > 0 && (3 * gaps >= adjacent || bytes < BLOCK_LINE_BYTES * lines);
    size_t cur_beg = 0, cur_end = 0;
    int open = 0;
    for (size_t i = 0; i <= n;) {
        const char *nl = i < n ? memchr(s + i, '\n', n - i) : NULL;
        size_t le = nl ? (size_t)(nl - s) : n;
        int blank = blank_range(s, i, le);
        if (!blank && open && block) {
            cur_end = le;
        } else if (!blank) {
            if (open) {
                if (!grow((void **)&ps->p, &ps->cap, ps->n + 1, sizeof(para))) return TM_ERR_NOMEM;
                ps->p[ps->n++] = (para){.beg = cur_beg, .end = cur_end};
            }
            cur_beg = i, cur_end = le, open = 1;
        } else if (open && block) {
            if (!grow((void **)&ps->p, &ps->cap, ps->n + 1, sizeof(para))) return TM_ERR_NOMEM;
            ps->p[ps->n++] = (para){.beg = cur_beg, .end = cur_end};
            open = 0;
        }
        if (!nl) break;
        i = le + 1;
    }
    if (open) {
        if (!grow((void **)&ps->p, &ps->cap, ps->n + 1, sizeof(para))) return TM_ERR_NOMEM;
        ps->p[ps->n++] = (para){.beg = cur_beg, .end = cur_end};
    }
    return TM_OK;
}

static tm_error log_drop(tm_clean_log *g, int kind, size_t para_no, size_t similar_to, double sim) {
    tm_clean_log_count(g, kind, 1);
    if (!tm_clean_log_begin(g, "drop_paragraph")) return TM_OK;
    tm_buf *b = &g->json;
    tm_error e = tm_json_key(b, "kind", 1);
    if (!e) e = tm_json_str(b, kind == TM_EDIT_DROP_REPEATED ? "repeated" : "reworded", 8);
    if (!e) e = tm_json_key(b, "paragraph", 1);
    if (!e) e = tm_json_u64(b, para_no);
    if (!e) e = tm_json_key(b, "similar_to", 1);
    if (!e) e = tm_json_u64(b, similar_to);
    if (!e) e = tm_json_key(b, "similarity", 1);
    if (!e) e = tm_json_num(b, floor(sim * 100.0) / 100.0);
    if (!e) e = tm_clean_log_end(g);
    return e;
}

tm_error tm_clean_paragraphs(tm_para_scratch *ps, const tm_clean_opts *o, const char *s, size_t n,
                             tm_buf *out, tm_clean_log *g) {
    tm_error e = split_paragraphs(ps, s, n);
    if (e) return e;
    ps->nh = 0;
    ps->nk = 0;
    size_t dropped = 0;
    size_t min_rep = o->min_repeat_words > 0 ? (size_t)o->min_repeat_words : 1;
    size_t min_rew = o->min_reworded_words > 0 ? (size_t)o->min_reworded_words : 1;
    for (size_t j = 0; j < ps->n; j++) {
        para *pj = &ps->p[j];
        if ((e = scan_words(ps, s, pj, (o->ops & TM_CLEAN_REWORDED) ? min_rew : SIZE_MAX)))
            return e;
        pj->kept = 1;
        size_t from = ps->nk > TM_CLEAN_MAX_COMPARE ? ps->nk - TM_CLEAN_MAX_COMPARE : 0;
        int kind = 0;
        size_t best_k = 0;
        double best = 0.0;
        if ((o->ops & TM_CLEAN_REPEATED) && pj->words >= min_rep) {
            for (size_t t = from; t < ps->nk; t++) {
                para *pk = &ps->p[ps->kept[t]];
                if (pk->key == pj->key && pk->words == pj->words) {
                    kind = TM_EDIT_DROP_REPEATED, best_k = ps->kept[t], best = 1.0;
                    break;
                }
            }
        }
        if (!kind && (o->ops & TM_CLEAN_REWORDED) && pj->words >= min_rew) {
            for (size_t t = from; t < ps->nk; t++) {
                para *pk = &ps->p[ps->kept[t]];
                if (pk->words < min_rew) continue;
                /* |A∩B|/|A∪B| <= min/max: skip pairs that cannot reach it. */
                size_t lo = pk->set_len < pj->set_len ? pk->set_len : pj->set_len;
                size_t hi = pk->set_len < pj->set_len ? pj->set_len : pk->set_len;
                if ((double)lo < o->para_threshold * (double)hi) continue;
                double sim =
                    jaccard(ps->hashes + pk->set, pk->set_len, ps->hashes + pj->set, pj->set_len);
                if (sim > best) best = sim, best_k = ps->kept[t];
            }
            if (best >= o->para_threshold) kind = TM_EDIT_DROP_REWORDED;
        }
        if (kind) {
            pj->kept = 0;
            dropped++;
            if ((e = log_drop(g, kind, j + 1, best_k + 1, best))) return e;
        } else {
            if (!grow((void **)&ps->kept, &ps->capk, ps->nk + 1, sizeof(size_t)))
                return TM_ERR_NOMEM;
            ps->kept[ps->nk++] = j;
        }
    }
    if (!dropped) return tm_buf_append(out, s, n);
    /* Kept paragraphs with the separator that followed each, except after
     * the last kept one; then whatever followed the last paragraph. */
    e = tm_buf_append(out, s, ps->p[0].beg);
    for (size_t t = 0; t < ps->nk && !e; t++) {
        size_t j = ps->kept[t];
        size_t stop = t + 1 < ps->nk ? ps->p[j + 1].beg : ps->p[j].end;
        e = tm_buf_append(out, s + ps->p[j].beg, stop - ps->p[j].beg);
    }
    if (!e) e = tm_buf_append(out, s + ps->p[ps->n - 1].end, n - ps->p[ps->n - 1].end);
    return e;
}
