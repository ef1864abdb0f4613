/*
 * signals.c — the driver of the document quality signals of Gopher (quality
 * and repetition), C4, FineWeb and tamis's own: the token pass every family
 * shares and the entry points that run the families (one file each:
 * gopher_quality.c, gopher_repetition.c, fineweb.c, tamis_own.c, c4.c;
 * families.h). Their names, families and rules are the table of
 * include/tamis_signals.h (sigtable.c); the scratch and the helpers the
 * families share are in sigutil.c.
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

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
/* XXH3 inlined (same function as libxxhash): most tokens are a few bytes,
 * where the call and dispatch cost as much as the hashing. */
#define XXH_INLINE_ALL
#include <xxhash.h>

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
        /* seven arrays of one length: each grows to n + 1 (tmi_grow, so
         * all to the same doubling capacity) before tok_cap says so */
        uint64_t **arr[] = {&s->th, &s->ph, &s->pw, &s->ipw, &s->pt};
        size_t c = s->tok_cap;
        for (size_t k = 0; k < sizeof arr / sizeof arr[0]; k++) {
            c = s->tok_cap;
            TM_TRY(tmi_grow((void **)arr[k], &c, n + 1, sizeof **arr[k], 0));
        }
        c = s->tok_cap;
        TM_TRY(TM_GROW(s->tcp, c, n + 1, 0));
        c = s->tok_cap;
        TM_TRY(TM_GROW(s->tfl, c, n + 1, 0));
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
                    k += tmi_utf8_decode((const char *)p + k, len - k, &cp);
                    if (tmi_is_alpha(cp))
                        fl |= TF_ALPHA | TF_NONSYM;
                    else if (!tmi_is_dt_punct(cp))
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
tm_error tmi_signals_compute_tokens(tm_scorer *s, const char *text, size_t len,
                                    const tm_spans *tokens, const char *lang, size_t invalid_utf8,
                                    uint64_t mask, double *values) {
    double v[TM_SIG_COUNT];
    tm_error e = TM_OK;
    /* NaN until a family fills it: a table row without a function is seen
     * (test_sigtable.c), never reported as 0. */
    for (int i = 0; i < TM_SIG_COUNT; i++) v[i] = NAN;
    uint64_t fam[TM_FAM_COUNT];
    tmi_sig_family_masks(fam);
    const uint64_t m_gq = fam[TM_FAM_GQ], m_gr = fam[TM_FAM_GR], m_c4 = fam[TM_FAM_C4],
                   m_fw = fam[TM_FAM_FW], m_tm = fam[TM_FAM_TM];
    if (!text) text = "";
    if (len > UINT32_MAX / 2) return TM_ERR_TOO_BIG; /* 32-bit entry indices */
    s->tb = s->tokbase ? s->tokbase : text;          /* where tokens point (signals.h) */
    if (mask & (m_gq | m_gr | m_fw | m_tm)) {
        if (!tokens) {
            if ((e = tmi_tokenize(text, len, &s->toks))) return e;
            tokens = &s->toks;
        }
        if ((e = prepare_tokens(s, s->tb, tokens))) return e;
    }
    if ((mask & (m_gq | m_c4)) && (e = tmi_split_pylines(text, len, &s->pylines))) return e;
    if (mask & (m_gr | m_tm)) {
        /* paragraphs: the stripped text split at runs of two or more LF */
        size_t b = 0, en = len;
        tmi_strip(text, &b, &en);
        if ((e = tmi_sig_split_lf_min(text, b, en, 2, &s->paras))) return e;
    }
    double L = (double)tmi_utf8_count(text, len);
    if ((mask & m_gq) && !(e = tmi_sig_gopher_quality(s, text, len, tokens, &s->pylines, lang, v)))
        store(values, v, mask, m_gq);
    if (!e && (mask & m_gr) && !(e = tmi_sig_gopher_repetition(s, text, len, tokens, L, v)))
        store(values, v, mask, m_gr);
    if (!e && (mask & m_fw) && !(e = tmi_sig_fineweb(s, text, len, tokens, L, v)))
        store(values, v, mask, m_fw);
    if (!e && (mask & m_tm) && !(e = tmi_sig_tamis_own(s, text, tokens, invalid_utf8, v)))
        store(values, v, mask, m_tm);
    if (!e && (mask & m_c4)) {
        tm_c4_opts o;
        tm_c4_result r;
        tmi_c4_opts_init(&o);
        o.punkt_sentences = s->punkt;
        if (!(e = tmi_c4_run_lines(s, text, len, &s->pylines, &o, &s->c4text, &r))) {
            tmi_c4_result_values(&r, v);
            store(values, v, mask, m_c4);
        }
    }
    return e;
}

tm_error tm_signals_compute(tm_scorer *s, const char *text, size_t len, const char *lang,
                            size_t invalid_utf8, uint64_t mask, double *values) {
    return tmi_signals_compute_tokens(s, text, len, NULL, lang, invalid_utf8, mask, values);
}
