/*
 * gopher_quality.c — the Gopher quality signals (quality-signals.md §3): word counts and
 * lengths, symbol ratios, bullet and ellipsis lines, alphabetic words and
 * stop words (the English list of the paper, or the document language's).
 */
#include "signals/families.h"

#include "util/buf.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

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

tm_error tmi_sig_gopher_quality(tm_scorer *s, const char *text, size_t len, const tm_spans *t,
                                const tm_spans *lines, const char *lang, double *v) {
    size_t n = t->n, n_ns = 0, ns_chars = 0, n_alpha = 0;
    int english = is_english(lang) || tm_stopword_count(lang) == 0;
    unsigned stop_bits = 0;
    size_t stop_distinct = 0;
    if (!english) {
        tm_error e = tmi_sig_table_reset(s, n);
        if (e) return e;
    }
    size_t mask = english ? 0 : tmi_sig_table_mask(s, n);
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
            size_t slot = tmi_sig_slot_of(s->th[i], mask);
            for (;;) {
                uint32_t e = s->slots[slot];
                if (!e) {
                    s->ents[s->ent_n] = (ent){s->th[i], (uint32_t)i, 1};
                    s->slots[slot] = (uint32_t)++s->ent_n;
                    stop_distinct++;
                    break;
                }
                if (s->ents[e - 1].h == s->th[i] &&
                    tmi_sig_tok_eq(s, s->tb, t, s->ents[e - 1].pos, i))
                    break;
                slot = (slot + 1) & mask;
            }
        }
    }
    size_t hashes = count_byte(text, len, '#'), ell = count_ellipses(text, len);
    size_t bullets = 0, ell_lines = 0;
    for (size_t i = 0; i < lines->n; i++) {
        size_t b = lines->v[i].beg, en = lines->v[i].end;
        tmi_strip(text, &b, &en);
        if (b == en) continue;
        unsigned char c0 = (unsigned char)text[b];
        if (c0 == '-' || (c0 == 0xE2 && tmi_sig_first_cp(text + b, en - b) == 0x2022)) bullets++;
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
