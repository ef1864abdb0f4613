/*
 * signals.c — the document quality signals of Gopher (quality and
 * repetition), C4, FineWeb and tamis's own, computed in one pass per family.
 *
 * Each family reproduces datatrove's arithmetic exactly as a function of
 * (text, tokens): Python code-point lengths, its three line conventions, the
 * duplicate counter that skips first occurrences, the earliest-first
 * tie-break of Counter.most_common and the greedy jump of the duplicated
 * n-gram count (quality-signals.md §3, §4, §6). Where the reference divides
 * by zero or yields NaN we return 0 (docs/SIGNALS.md lists every case).
 *
 * Speed: tokens are hashed once (XXH3 for equality-by-token, a polynomial
 * hash over bytes for datatrove's separator-less n-gram keys, which lets a
 * key's hash be folded from its tokens' hashes); one open-addressing table of
 * 32-bit entry indices is cleared and reused for every count, so nothing is
 * allocated per token or per document once the scratch has grown.
 */
#include "signals/signals.h"

#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
/* XXH3 inlined (same function as libxxhash): most tokens are a few bytes,
 * where the call and dispatch cost as much as the hashing. */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* ---- names ---- */

static const char *const sig_names[TM_SIG_COUNT] = {
    "gopher_quality.n_words",
    "gopher_quality.n_non_symbol_words",
    "gopher_quality.mean_word_length",
    "gopher_quality.hash_ratio",
    "gopher_quality.ellipsis_ratio",
    "gopher_quality.bullet_line_frac",
    "gopher_quality.ellipsis_line_frac",
    "gopher_quality.alpha_word_frac",
    "gopher_quality.stop_words",
    "gopher_repetition.dup_para_frac",
    "gopher_repetition.dup_para_char_frac",
    "gopher_repetition.dup_line_frac",
    "gopher_repetition.dup_line_char_frac",
    "gopher_repetition.top_2gram_char_frac",
    "gopher_repetition.top_3gram_char_frac",
    "gopher_repetition.top_4gram_char_frac",
    "gopher_repetition.dup_5gram_char_frac",
    "gopher_repetition.dup_6gram_char_frac",
    "gopher_repetition.dup_7gram_char_frac",
    "gopher_repetition.dup_8gram_char_frac",
    "gopher_repetition.dup_9gram_char_frac",
    "gopher_repetition.dup_10gram_char_frac",
    "c4.n_lines",
    "c4.kept_lines",
    "c4.long_word_lines",
    "c4.no_terminal_punct_lines",
    "c4.few_words_lines",
    "c4.javascript_lines",
    "c4.policy_lines",
    "c4.citations",
    "c4.lorem_ipsum",
    "c4.curly_bracket",
    "c4.n_sentences",
    "fineweb.line_punct_ratio",
    "fineweb.short_line_ratio",
    "fineweb.char_dup_ratio",
    "fineweb.list_ratio",
    "tamis.doubled_word_ratio",
    "tamis.near_dup_para_frac",
    "tamis.invalid_utf8",
};

_Static_assert(TM_SIG_COUNT <= 64, "signal masks are 64-bit");

#define RANGE_MASK(a, b) (((((uint64_t)1) << ((b) - (a) + 1)) - 1) << (a))
#define MASK_GQ          RANGE_MASK(TM_SIG_GQ_N_WORDS, TM_SIG_GQ_STOP_WORDS)
#define MASK_GR          RANGE_MASK(TM_SIG_GR_DUP_PARA_FRAC, TM_SIG_GR_DUP_10GRAM)
#define MASK_C4          RANGE_MASK(TM_SIG_C4_N_LINES, TM_SIG_C4_N_SENTENCES)
#define MASK_FW          RANGE_MASK(TM_SIG_FW_LINE_PUNCT_RATIO, TM_SIG_FW_LIST_RATIO)
#define MASK_TM          RANGE_MASK(TM_SIG_TM_DOUBLED_WORD_RATIO, TM_SIG_TM_INVALID_UTF8)

static const struct {
    const char *name;
    uint64_t mask;
} families[] = {
    {"gopher_quality", MASK_GQ},
    {"gopher_repetition", MASK_GR},
    {"c4", MASK_C4},
    {"fineweb", MASK_FW},
    {"tamis", MASK_TM},
    {"all", TM_SIG_ALL},
};

const char *tm_signal_name(int id) {
    return id >= 0 && id < TM_SIG_COUNT ? sig_names[id] : NULL;
}

int tm_signal_lookup(const char *name, size_t len) {
    for (int i = 0; i < TM_SIG_COUNT; i++)
        if (strlen(sig_names[i]) == len && memcmp(sig_names[i], name, len) == 0) return i;
    return -1;
}

uint64_t tm_signal_group_mask(int family) {
    if (family < 0 || (size_t)family >= sizeof families / sizeof families[0]) return 0;
    return families[family].mask;
}

tm_error tm_signal_mask_parse(const char *list, uint64_t *mask, char *err, size_t err_size) {
    uint64_t m = 0;
    const char *p = list ? list : "";
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > 0) {
            int id = tm_signal_lookup(p, n);
            if (id >= 0) {
                m |= TM_SIG_BIT(id);
            } else {
                size_t f, nf = sizeof families / sizeof families[0];
                for (f = 0; f < nf; f++)
                    if (strlen(families[f].name) == n && memcmp(families[f].name, p, n) == 0) break;
                if (f == nf) {
                    if (err && err_size)
                        snprintf(err, err_size, "unknown signal '%.*s'", (int)n, p);
                    return TM_ERR_ARG;
                }
                m |= families[f].mask;
            }
        }
        p += n;
        if (*p == ',') p++;
    }
    *mask = m;
    return TM_OK;
}

/* ---- scratch ---- */

#define POLY_B  0x100000001B3ull      /* FNV prime: odd, so powers never vanish */
#define POLY_B2 0x9E3779B97F4A7C15ull /* odd: the hash over token hashes */

/* Multiplicative inverse of an odd number modulo 2^64 (Newton's iteration:
 * each step doubles the correct low bits, starting from 3). */
static uint64_t inv_odd(uint64_t b) {
    uint64_t x = b;
    for (int i = 0; i < 5; i++) x *= 2 - b * x;
    return x;
}

tm_error tm_scorer_new(tm_scorer **out) {
    tm_scorer *s = calloc(1, sizeof *s);
    *out = s;
    if (!s) return TM_ERR_NOMEM;
    const uint64_t ib = inv_odd(POLY_B);
    s->bpow[0] = s->ibpow[0] = 1;
    for (size_t k = 1; k < 64; k++) {
        s->bpow[k] = s->bpow[k - 1] * POLY_B;
        s->ibpow[k] = s->ibpow[k - 1] * ib;
    }
    return TM_OK;
}

void tm_scorer_free(tm_scorer *s) {
    if (!s) return;
    tm_dt_words_free(s);
    tm_spans_free(&s->toks);
    tm_spans_free(&s->lines);
    tm_spans_free(&s->paras);
    tm_spans_free(&s->fwlines);
    tm_spans_free(&s->pylines);
    free(s->th);
    free(s->ph);
    free(s->pw);
    free(s->ipw);
    free(s->pt);
    free(s->tcp);
    free(s->tfl);
    free(s->wh);
    free(s->seen);
    free(s->cand);
    free(s->wbit);
    free(s->slots);
    free(s->ents);
    free(s->sh);
    free(s->sh_off);
    free(s->sh_tmp);
    free(s->sh_pos);
    tm_buf_free(&s->c4text);
    tm_buf_free(&s->c4line);
    tm_buf_free(&s->c4lower);
    tm_spans_free(&s->c4lines);
    free(s);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Clears the table for up to n insertions (load factor <= 1/2). */
static tm_error table_reset(tm_scorer *s, size_t n) {
    size_t want = 16;
    while (want < 2 * n + 2) want *= 2;
    if (want > s->slot_cap) {
        free(s->slots);
        s->slots = malloc(want * sizeof *s->slots);
        if (!s->slots) {
            s->slot_cap = 0;
            return TM_ERR_NOMEM;
        }
        s->slot_cap = want;
    }
    /* Only the part in use is cleared: a huge document does not make every
     * later small one pay for its table. */
    memset(s->slots, 0, want * sizeof *s->slots);
    s->ent_n = 0;
    if (grow((void **)&s->ents, &s->ent_cap, n + 1, sizeof *s->ents)) return TM_ERR_NOMEM;
    return TM_OK;
}

/* The mask of the table in use (its size was chosen by table_reset). */
static size_t table_mask(const tm_scorer *s, size_t n) {
    size_t want = 16;
    (void)s;
    while (want < 2 * n + 2) want *= 2;
    return want - 1;
}

static int32_t first_cp(const char *p, size_t n) {
    int32_t cp = 0;
    if (n) tm_utf8_decode(p, n, &cp);
    return cp;
}

static int32_t last_cp(const char *p, size_t n) {
    if (!n) return 0;
    size_t i = n - 1;
    while (i > 0 && ((unsigned char)p[i] & 0xC0) == 0x80) i--;
    int32_t cp = 0;
    tm_utf8_decode(p + i, n - i, &cp);
    return cp;
}

/* ---- token preparation ---- */

/* Per-token class bits (tfl). */
enum {
    TF_ALPHA = 1,  /* has an alphabetic code point (str.isalpha) */
    TF_NONSYM = 2, /* has a code point outside datatrove's PUNCTUATION_SET */
    TF_ASCII = 4   /* every byte is ASCII */
};

/* Per token: XXH3 of its bytes, code-point length and class bits; prefix
 * polynomial hashes of the byte concatenation of tokens [0, k) with the
 * matching powers of B and their inverses, so that the key of any run of
 * tokens — datatrove's separator-less n-gram — hashes in O(1):
 * H(i..j) = P[j] - P[i] * PW[j] * IPW[i]; and prefix polynomial hashes over
 * the token hashes (pt), which hash a run of n tokens as a sequence:
 * T(i..i+n) = pt[i+n] - pt[i] * B2^n. */
static tm_error prepare_tokens(tm_scorer *s, const char *text, const tm_spans *t) {
    size_t n = t->n;
    if (n + 1 > s->tok_cap) {
        size_t c = s->tok_cap ? s->tok_cap : 256;
        while (c < n + 1) c *= 2;
        uint64_t **arr[] = {&s->th, &s->ph, &s->pw, &s->ipw, &s->pt};
        for (size_t k = 0; k < sizeof arr / sizeof arr[0]; k++) {
            uint64_t *a = realloc(*arr[k], c * sizeof *a);
            if (!a) return TM_ERR_NOMEM;
            *arr[k] = a;
        }
        uint32_t *b = realloc(s->tcp, c * sizeof *b);
        if (!b) return TM_ERR_NOMEM;
        s->tcp = b;
        uint8_t *f = realloc(s->tfl, c);
        if (!f) return TM_ERR_NOMEM;
        s->tfl = f;
        s->tok_cap = c;
    }
    /* Per byte: the token's own polynomial hash (a short dependency chain
     * per token, so consecutive tokens overlap in the pipeline) and its
     * class bits through one table; code points are counted, and classes
     * decoded, only for the tokens that are not ASCII. */
    static const uint8_t cls[256] = {
#define C4(x)  x, x, x, x
#define C16(x) C4(x), C4(x), C4(x), C4(x)
        /* 00-1F: controls in PUNCTUATION_SET, except TAB and LF */
        C4(0), C4(0), 0, 2, 2, 0, C4(0), C16(0),
        /* 20-2F: space, punctuation */
        2, C4(0), C4(0), C4(0), 0, 0, 0,
        /* 30-39 digits, 3A-40 punctuation */
        C4(2), C4(2), 2, 2, 0, 0, 0, 0, 0, 0, 0,
        /* 41-5A letters, 5B-60 punctuation */
        C16(3), C4(3), C4(3), 3, 3, 0, 0, 0, 0, 0, 0,
        /* 61-7A letters, 7B-7F punctuation and DEL */
        C16(3), C4(3), C4(3), 3, 3, 0, 0, 0, 0, 0,
        /* 80-FF: part of a UTF-8 sequence */
        C16(4), C16(4), C16(4), C16(4), C16(4), C16(4), C16(4), C16(4)
#undef C16
#undef C4
    };
    _Static_assert(TF_ALPHA == 1 && TF_NONSYM == 2, "cls[] holds TF_ALPHA | TF_NONSYM");
    uint64_t h = 0, w = 1, iw = 1, ht = 0;
    s->ph[0] = s->pt[0] = 0;
    s->pw[0] = s->ipw[0] = 1;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = (const unsigned char *)text + t->v[i].beg;
        size_t len = t->v[i].end - t->v[i].beg;
        uint64_t tp = 0;
        unsigned f = 0;
        for (size_t k = 0; k < len; k++) {
            tp = tp * POLY_B + p[k] + 1;
            f |= cls[p[k]];
        }
        size_t r = len;
        for (; r >= 64; r -= 63) h *= s->bpow[63], w *= s->bpow[63], iw *= s->ibpow[63];
        h = h * s->bpow[r] + tp;
        w *= s->bpow[r];
        iw *= s->ibpow[r];
        uint32_t cps = (uint32_t)len;
        unsigned fl = f & (TF_ALPHA | TF_NONSYM);
        if (!(f & 4)) {
            fl |= TF_ASCII;
        } else {
            /* A letter is never in PUNCTUATION_SET (P*, S*, Cc and U+FF11
             * only), so the first letter settles both bits. */
            cps = 0;
            for (size_t k = 0; k < len; k++) cps += (p[k] & 0xC0) != 0x80;
            for (size_t k = 0; k < len && fl != (TF_ALPHA | TF_NONSYM);) {
                int32_t cp;
                if (p[k] < 0x80) {
                    fl |= cls[p[k++]];
                } else {
                    k += tm_utf8_decode((const char *)p + k, len - k, &cp);
                    if (tm_is_alpha(cp))
                        fl |= TF_ALPHA | TF_NONSYM;
                    else if (!tm_is_dt_punct(cp))
                        fl |= TF_NONSYM;
                }
            }
        }
        s->th[i] = XXH3_64bits(p, len);
        ht = ht * POLY_B2 + s->th[i];
        s->ph[i + 1] = h;
        s->pw[i + 1] = w;
        s->ipw[i + 1] = iw;
        s->pt[i + 1] = ht;
        s->tcp[i] = cps;
        s->tfl[i] = (uint8_t)fl;
    }
    return TM_OK;
}

/* Slot of a hash: the high half of a multiplicative mix, because the low
 * bits of a polynomial hash modulo 2^64 depend only on low input bits. */
static inline size_t slot_of(uint64_t h, size_t mask) {
    return (size_t)((h * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

static inline int tok_eq(const tm_scorer *s, const char *text, const tm_spans *t, size_t a,
                         size_t b) {
    if (s->th[a] != s->th[b]) return 0;
    size_t la = t->v[a].end - t->v[a].beg, lb = t->v[b].end - t->v[b].beg;
    return la == lb && memcmp(text + t->v[a].beg, text + t->v[b].beg, la) == 0;
}

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

/* ---- find_duplicates over spans (quality-signals §4.2) ---- */

static tm_error find_duplicates(tm_scorer *s, const char *text, const tm_spans *sp,
                                size_t *dup_count, size_t *dup_chars) {
    tm_error e = table_reset(s, sp->n);
    if (e) return e;
    size_t mask = table_mask(s, sp->n);
    *dup_count = *dup_chars = 0;
    for (size_t i = 0; i < sp->n; i++) {
        const char *p = text + sp->v[i].beg;
        size_t len = sp->v[i].end - sp->v[i].beg;
        uint64_t h = XXH3_64bits(p, len);
        size_t k = slot_of(h, mask);
        for (;;) {
            uint32_t slot = s->slots[k];
            if (!slot) {
                s->ents[s->ent_n] = (ent){h, (uint32_t)i, 1};
                s->slots[k] = (uint32_t)++s->ent_n;
                break;
            }
            ent *x = &s->ents[slot - 1];
            const tm_span *o = &sp->v[x->pos];
            if (x->h == h && o->end - o->beg == len && memcmp(text + o->beg, p, len) == 0) {
                (*dup_count)++;
                *dup_chars += tm_utf8_count(p, len);
                break;
            }
            k = (k + 1) & mask;
        }
    }
    return TM_OK;
}

/* ---- Gopher quality (§3) ---- */

static int is_english(const char *lang) {
    return !lang || !*lang || strcmp(lang, "en") == 0 || strcmp(lang, "und") == 0;
}

/* Index of Gopher's stop word {the, be, to, of, and, that, have, with}, or -1. */
static int gopher_stop_index(const char *p, size_t l) {
    switch (l) {
    case 2:
        if (memcmp(p, "be", 2) == 0) return 1;
        if (memcmp(p, "to", 2) == 0) return 2;
        if (memcmp(p, "of", 2) == 0) return 3;
        return -1;
    case 3:
        if (memcmp(p, "the", 3) == 0) return 0;
        if (memcmp(p, "and", 3) == 0) return 4;
        return -1;
    case 4:
        if (memcmp(p, "that", 4) == 0) return 5;
        if (memcmp(p, "have", 4) == 0) return 6;
        if (memcmp(p, "with", 4) == 0) return 7;
        return -1;
    default: return -1;
    }
}

/* str.count("...") + str.count("…"): both non-overlapping, and neither can
 * overlap the other; memchr finds the few candidates. */
static size_t count_byte(const char *p, size_t n, char c) {
    size_t k = 0;
    for (const char *q = p, *e = p + n; (q = memchr(q, c, (size_t)(e - q))) != NULL; q++) k++;
    return k;
}

static size_t count_ellipses(const char *text, size_t len) {
    size_t ell = 0;
    const char *e = text + len;
    for (const char *q = text; (q = memchr(q, '.', (size_t)(e - q))) != NULL;) {
        if (e - q >= 3 && q[1] == '.' && q[2] == '.') {
            ell++;
            q += 3;
        } else {
            q++;
        }
    }
    for (const char *q = text; (q = memchr(q, '\xE2', (size_t)(e - q))) != NULL;) {
        if (e - q >= 3 && q[1] == '\x80' && q[2] == '\xA6') {
            ell++;
            q += 3;
        } else {
            q++;
        }
    }
    return ell;
}

static tm_error gopher_quality(tm_scorer *s, const char *text, size_t len, const tm_spans *t,
                               const tm_spans *lines, const char *lang, double *v) {
    size_t n = t->n, n_ns = 0, ns_chars = 0, n_alpha = 0;
    int english = is_english(lang) || tm_stopword_count(lang) == 0;
    unsigned stop_bits = 0;
    size_t stop_distinct = 0;
    if (!english) {
        tm_error e = table_reset(s, n);
        if (e) return e;
    }
    size_t mask = english ? 0 : table_mask(s, n);
    for (size_t i = 0; i < n; i++) {
        const char *p = s->tb + t->v[i].beg;
        size_t l = t->v[i].end - t->v[i].beg;
        unsigned fl = s->tfl[i];
        if (fl & TF_NONSYM) {
            n_ns++;
            ns_chars += s->tcp[i];
        }
        n_alpha += (fl & TF_ALPHA) != 0;
        if (english) {
            int w = gopher_stop_index(p, l);
            if (w >= 0 && !(stop_bits & (1u << w))) {
                stop_bits |= 1u << w;
                stop_distinct++;
            }
        } else if (tm_is_stopword(lang, p, l)) {
            size_t slot = slot_of(s->th[i], mask);
            for (;;) {
                uint32_t e = s->slots[slot];
                if (!e) {
                    s->ents[s->ent_n] = (ent){s->th[i], (uint32_t)i, 1};
                    s->slots[slot] = (uint32_t)++s->ent_n;
                    stop_distinct++;
                    break;
                }
                if (s->ents[e - 1].h == s->th[i] && tok_eq(s, s->tb, t, s->ents[e - 1].pos, i))
                    break;
                slot = (slot + 1) & mask;
            }
        }
    }
    size_t hashes = count_byte(text, len, '#'), ell = count_ellipses(text, len);
    size_t bullets = 0, ell_lines = 0;
    for (size_t i = 0; i < lines->n; i++) {
        size_t b = lines->v[i].beg, en = lines->v[i].end;
        tm_strip(text, &b, &en);
        if (b == en) continue;
        unsigned char c0 = (unsigned char)text[b];
        if (c0 == '-' || (c0 == 0xE2 && first_cp(text + b, en - b) == 0x2022)) bullets++;
        const char *q = text + en;
        if (en - b >= 3 && ((q[-1] == '.' && q[-2] == '.' && q[-3] == '.') ||
                            memcmp(q - 3, "\xE2\x80\xA6", 3) == 0))
            ell_lines++;
    }
    size_t nl = lines->n;
    v[TM_SIG_GQ_N_WORDS] = (double)n;
    v[TM_SIG_GQ_N_NON_SYMBOL_WORDS] = (double)n_ns;
    v[TM_SIG_GQ_MEAN_WORD_LENGTH] = n_ns ? (double)ns_chars / (double)n_ns : 0.0;
    v[TM_SIG_GQ_HASH_RATIO] = n ? (double)hashes / (double)n : 0.0;
    v[TM_SIG_GQ_ELLIPSIS_RATIO] = n ? (double)ell / (double)n : 0.0;
    v[TM_SIG_GQ_BULLET_LINE_FRAC] = nl ? (double)bullets / (double)nl : 0.0;
    v[TM_SIG_GQ_ELLIPSIS_LINE_FRAC] = nl ? (double)ell_lines / (double)nl : 0.0;
    v[TM_SIG_GQ_ALPHA_WORD_FRAC] = n ? (double)n_alpha / (double)n : 0.0;
    v[TM_SIG_GQ_STOP_WORDS] = (double)stop_distinct;
    return TM_OK;
}

/* ---- Gopher repetition (§4) ---- */

/* re.split(pattern, text) where pattern is a run of at least min_run LFs:
 * every piece is kept, empty ones included. */
static tm_error split_lf_min(const char *text, size_t beg, size_t end, size_t min_run,
                             tm_spans *out) {
    out->n = 0;
    size_t start = beg, i = beg;
    while (i < end) {
        if (text[i] != '\n') {
            const char *q = memchr(text + i, '\n', end - i);
            if (!q) break;
            i = (size_t)(q - text);
        }
        size_t j = i;
        while (j < end && text[j] == '\n') j++;
        if (j - i >= min_run) {
            tm_error e = tm_spans_push(out, start, i);
            if (e) return e;
            start = j;
        }
        i = j;
    }
    return tm_spans_push(out, start, end);
}

static uint64_t mix_tok(uint64_t h, uint64_t th) {
    h ^= th + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xFF51AFD7ED558CCDull;
}

/* Window scratch: wh and cand for m windows, wbit for nbits entries. */
static int grow_windows(tm_scorer *s, size_t m, size_t nbits) {
    if (grow((void **)&s->wh, &s->win_cap, m, sizeof *s->wh)) return -1;
    if (grow((void **)&s->cand, &s->cand_cap, m, sizeof *s->cand)) return -1;
    if (grow((void **)&s->wbit, &s->wbit_cap, nbits, sizeof *s->wbit)) return -1;
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
    if (grow((void **)&s->seen, &s->seen_cap, 2 * words, sizeof *s->seen)) return (size_t)-1;
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
    tm_error e = table_reset(s, ncand);
    if (e) return e;
    size_t mask = table_mask(s, ncand);
    for (size_t c = 0; c < ncand; c++) {
        size_t i = s->cand[c];
        uint64_t h = seq_hash(s, i, n, bn);
        size_t slot = slot_of(h, mask);
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
                while (k < n && tok_eq(s, text, t, en->pos + k, i + k)) k++;
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
    if (grow((void **)&s->seen, &s->seen_cap, 2 * DUP_PASSES * words, sizeof *s->seen))
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
    tm_error e = table_reset(s, nc);
    if (e) return e;
    /* The greedy scan visits i = 0, 1, ... and jumps n after a hit; a
     * position that is not a candidate is a miss that inserts nothing
     * anyone will look up, so only candidates past the last jump are
     * looked at (next = the first position the scan still visits). */
    size_t mask = table_mask(s, nc), rep = 0, next = 0;
    for (size_t c = 0; c < nc; c++) {
        size_t i = cand[c];
        if (i < next) continue;
        uint64_t h = concat_hash(s, i, n);
        size_t slot = slot_of(h, mask);
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

static tm_error gopher_repetition(tm_scorer *s, const char *text, size_t len, const tm_spans *t,
                                  double L, double *v) {
    size_t dc, dch;
    tm_error e = find_duplicates(s, text, &s->paras, &dc, &dch);
    if (e) return e;
    v[TM_SIG_GR_DUP_PARA_FRAC] = (double)dc / (double)s->paras.n;
    v[TM_SIG_GR_DUP_PARA_CHAR_FRAC] = L > 0 ? (double)dch / L : 0.0;
    e = split_lf_min(text, 0, len, 1, &s->lines);
    if (!e) e = find_duplicates(s, text, &s->lines, &dc, &dch);
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
    }
    return TM_OK;
}

/* ---- FineWeb (§6.1, current datatrove) ---- */

/* Whether a line has at most 30 code points, counting only when its byte
 * length (1 to 4 bytes per code point) leaves a doubt. */
static int short_line(const char *p, size_t l) {
    if (l <= 30) return 1;
    if (l > 120) return 0;
    return tm_utf8_count(p, l) <= 30;
}

static tm_error fineweb(tm_scorer *s, const char *text, size_t len, const tm_spans *t, double L,
                        double *v) {
    /* text.split("\n"), then only lines with a non-space code point */
    tm_error e;
    size_t start = 0, n_lf = 0;
    s->fwlines.n = 0;
    for (;;) {
        const char *q = memchr(text + start, '\n', len - start);
        size_t end = q ? (size_t)(q - text) : len;
        if (tm_has_nonspace(text + start, end - start) &&
            (e = tm_spans_push(&s->fwlines, start, end)))
            return e;
        if (!q) break;
        n_lf++;
        start = end + 1;
    }
    size_t nl = s->fwlines.n, punct = 0, shortl = 0, dc, dch;
    for (size_t i = 0; i < nl; i++) {
        const char *p = text + s->fwlines.v[i].beg;
        size_t l = s->fwlines.v[i].end - s->fwlines.v[i].beg;
        unsigned char c = (unsigned char)p[l - 1]; /* l > 0: the line has a non-space */
        if (c < 0x80 ? (tm_latin1_flags[c] & TM_CF_TERMINAL) != 0
                     : tm_is_terminal_punct(last_cp(p, l)))
            punct++;
        shortl += (size_t)short_line(p, l);
    }
    if ((e = find_duplicates(s, text, &s->fwlines, &dc, &dch))) return e;
    double denom = L - (double)n_lf;
    v[TM_SIG_FW_LINE_PUNCT_RATIO] = nl ? (double)punct / (double)nl : 0.0;
    v[TM_SIG_FW_SHORT_LINE_RATIO] = nl ? (double)shortl / (double)nl : 0.0;
    v[TM_SIG_FW_CHAR_DUP_RATIO] = denom > 0 ? (double)dch / denom : 0.0;
    v[TM_SIG_FW_LIST_RATIO] = t->n ? (double)n_lf / (double)t->n : 0.0;
    return TM_OK;
}

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
        i += tm_utf8_decode(a + i, la - i, &x);
        j += tm_utf8_decode(b + j, lb - j, &y);
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
    if (grow((void **)&s->sh_off, &s->sh_off_cap, 3 * np + 3, sizeof *s->sh_off) ||
        grow((void **)&s->sh, &s->sh_cap, t->n + np + 1, sizeof *s->sh))
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
            for (size_t k = t0; k < ti; k++) h = mix_tok(h, s->th[k]);
            s->sh[s->sh_n++] = h;
        } else {
            for (size_t k = t0; k + 3 <= ti; k++)
                s->sh[s->sh_n++] =
                    mix_tok(mix_tok(mix_tok(0, s->th[k]), s->th[k + 1]), s->th[k + 2]);
        }
        size_t cnt = s->sh_n - off, u = 0;
        if (cnt > 16 && (grow((void **)&s->sh_tmp, &s->sh_tmp_cap, cnt, sizeof *s->sh_tmp) ||
                         grow((void **)&s->sh_pos, &s->sh_pos_cap, cnt + 2, sizeof *s->sh_pos)))
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
    if ((e = table_reset(s, s->sh_n))) return e;
    size_t mask = table_mask(s, s->sh_n);
    for (size_t p = 0; p < np; p++) {
        size_t off = s->sh_off[2 * p], u = s->sh_off[2 * p + 1], pl = u ? prefix_len(u) : 0;
        size_t checks = 0;
        int found = 0;
        for (size_t k = 0; k < pl && !found && checks < NEAR_DUP_MAX_CHECKS; k++) {
            uint64_t h = s->sh[off + k];
            size_t slot = slot_of(h, mask);
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
            size_t slot = slot_of(h, mask);
            while (s->slots[slot] && s->ents[s->slots[slot] - 1].h != h) slot = (slot + 1) & mask;
            s->ents[s->ent_n] = (ent){h, (uint32_t)p, s->slots[slot]};
            s->slots[slot] = (uint32_t)++s->ent_n;
        }
    }
    *out = np ? (double)near / (double)np : 0.0;
    return TM_OK;
}

static tm_error tamis_own(tm_scorer *s, const char *text, const tm_spans *t, size_t invalid_utf8,
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

/* ---- entry points ---- */

static void store(double *values, const double *v, uint64_t mask, uint64_t family) {
    uint64_t m = mask & family;
    for (int i = 0; i < TM_SIG_COUNT; i++)
        if (m & TM_SIG_BIT(i)) values[i] = v[i];
}

/*
 * Every family reads the same tokens, token hashes and classes
 * (prepare_tokens), and the splits two families share are made once: the
 * splitlines() lines of Gopher quality and C4, the paragraphs of Gopher
 * repetition and the near-duplicate signal.
 */
tm_error tm_signals_compute_tokens(tm_scorer *s, const char *text, size_t len,
                                   const tm_spans *tokens, const char *lang, size_t invalid_utf8,
                                   uint64_t mask, double *values) {
    double v[TM_SIG_COUNT];
    tm_error e = TM_OK;
    memset(v, 0, sizeof v);
    if (!text) text = "";
    if (len > UINT32_MAX / 2) return TM_ERR_TOO_BIG; /* 32-bit entry indices */
    s->tb = s->tokbase ? s->tokbase : text;          /* where tokens point (signals.h) */
    if (mask & (MASK_GQ | MASK_GR | MASK_FW | MASK_TM)) {
        if (!tokens) {
            if ((e = tm_tokenize(text, len, &s->toks))) return e;
            tokens = &s->toks;
        }
        if ((e = prepare_tokens(s, s->tb, tokens))) return e;
    }
    if ((mask & (MASK_GQ | MASK_C4)) && (e = tm_split_pylines(text, len, &s->pylines))) return e;
    if (mask & (MASK_GR | MASK_TM)) {
        /* paragraphs: the stripped text split at runs of two or more LF */
        size_t b = 0, en = len;
        tm_strip(text, &b, &en);
        if ((e = split_lf_min(text, b, en, 2, &s->paras))) return e;
    }
    double L = (double)tm_utf8_count(text, len);
    if ((mask & MASK_GQ) && !(e = gopher_quality(s, text, len, tokens, &s->pylines, lang, v)))
        store(values, v, mask, MASK_GQ);
    if (!e && (mask & MASK_GR) && !(e = gopher_repetition(s, text, len, tokens, L, v)))
        store(values, v, mask, MASK_GR);
    if (!e && (mask & MASK_FW) && !(e = fineweb(s, text, len, tokens, L, v)))
        store(values, v, mask, MASK_FW);
    if (!e && (mask & MASK_TM) && !(e = tamis_own(s, text, tokens, invalid_utf8, v)))
        store(values, v, mask, MASK_TM);
    if (!e && (mask & MASK_C4)) {
        tm_c4_opts o;
        tm_c4_result r;
        tm_c4_opts_init(&o);
        o.punkt_sentences = s->punkt;
        if (!(e = tm_c4_run_lines(s, text, len, &s->pylines, &o, &s->c4text, &r))) {
            v[TM_SIG_C4_N_LINES] = (double)r.n_lines;
            v[TM_SIG_C4_KEPT_LINES] = (double)r.kept_lines;
            v[TM_SIG_C4_LONG_WORD_LINES] = (double)r.long_word_lines;
            v[TM_SIG_C4_NO_TERMINAL_PUNCT_LINES] = (double)r.no_terminal_punct_lines;
            v[TM_SIG_C4_FEW_WORDS_LINES] = (double)r.few_words_lines;
            v[TM_SIG_C4_JAVASCRIPT_LINES] = (double)r.javascript_lines;
            v[TM_SIG_C4_POLICY_LINES] = (double)r.policy_lines;
            v[TM_SIG_C4_CITATIONS] = (double)r.citations;
            v[TM_SIG_C4_LOREM_IPSUM] = r.lorem_ipsum;
            v[TM_SIG_C4_CURLY_BRACKET] = r.curly_bracket;
            v[TM_SIG_C4_N_SENTENCES] = (double)r.n_sentences;
            store(values, v, mask, MASK_C4);
        }
    }
    return e;
}

tm_error tm_signals_compute(tm_scorer *s, const char *text, size_t len, const char *lang,
                            size_t invalid_utf8, uint64_t mask, double *values) {
    return tm_signals_compute_tokens(s, text, len, NULL, lang, invalid_utf8, mask, values);
}
