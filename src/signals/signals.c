/*
 * signals.c — the document quality signals of Gopher (quality and
 * repetition), C4, FineWeb and tamis's own: their names and masks, the
 * scorer's scratch, the token pass every family shares, and the entry points
 * that run the families (one file each: gopher_quality.c,
 * gopher_repetition.c, fineweb.c, tamis_own.c, c4.c; families.h).
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
#include "signals/families.h"

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

#define POLY_B 0x100000001B3ull /* FNV prime: odd, so powers never vanish */

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

int tm_sig_grow(void **p, size_t *cap, size_t need, size_t elem) {
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
tm_error tm_sig_table_reset(tm_scorer *s, size_t n) {
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
    if (tm_sig_grow((void **)&s->ents, &s->ent_cap, n + 1, sizeof *s->ents)) return TM_ERR_NOMEM;
    return TM_OK;
}

/* The mask of the table in use (its size was chosen by table_reset). */
size_t tm_sig_table_mask(const tm_scorer *s, size_t n) {
    size_t want = 16;
    (void)s;
    while (want < 2 * n + 2) want *= 2;
    return want - 1;
}

int32_t tm_sig_first_cp(const char *p, size_t n) {
    int32_t cp = 0;
    if (n) tm_utf8_decode(p, n, &cp);
    return cp;
}

int32_t tm_sig_last_cp(const char *p, size_t n) {
    if (!n) return 0;
    size_t i = n - 1;
    while (i > 0 && ((unsigned char)p[i] & 0xC0) == 0x80) i--;
    int32_t cp = 0;
    tm_utf8_decode(p + i, n - i, &cp);
    return cp;
}

/* ---- token preparation ---- */

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

/* ---- find_duplicates over spans (quality-signals §4.2) ---- */

tm_error tm_sig_find_duplicates(tm_scorer *s, const char *text, const tm_spans *sp,
                                size_t *dup_count, size_t *dup_chars) {
    tm_error e = tm_sig_table_reset(s, sp->n);
    if (e) return e;
    size_t mask = tm_sig_table_mask(s, sp->n);
    *dup_count = *dup_chars = 0;
    for (size_t i = 0; i < sp->n; i++) {
        const char *p = text + sp->v[i].beg;
        size_t len = sp->v[i].end - sp->v[i].beg;
        uint64_t h = XXH3_64bits(p, len);
        size_t k = tm_sig_slot_of(h, mask);
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
        if ((e = tm_sig_split_lf_min(text, b, en, 2, &s->paras))) return e;
    }
    double L = (double)tm_utf8_count(text, len);
    if ((mask & MASK_GQ) &&
        !(e = tm_sig_gopher_quality(s, text, len, tokens, &s->pylines, lang, v)))
        store(values, v, mask, MASK_GQ);
    if (!e && (mask & MASK_GR) && !(e = tm_sig_gopher_repetition(s, text, len, tokens, L, v)))
        store(values, v, mask, MASK_GR);
    if (!e && (mask & MASK_FW) && !(e = tm_sig_fineweb(s, text, len, tokens, L, v)))
        store(values, v, mask, MASK_FW);
    if (!e && (mask & MASK_TM) && !(e = tm_sig_tamis_own(s, text, tokens, invalid_utf8, v)))
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
