/*
 * sigutil.c — what every signal family shares, below them all: the scorer's
 * scratch (tm_scorer_new/free), its growth and its open-addressing table,
 * the first/last code point of a span, datatrove's find_duplicates and the
 * paragraph split. Calls go one way in src/signals: the driver (signals.c,
 * dt_words.c) runs the families (gopher_quality.c, gopher_repetition.c,
 * fineweb.c, tamis_own.c, c4.c), which use these helpers; nothing here calls
 * a family or the driver.
 */
#include "signals/families.h"

#include "text/nltk.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>
/* XXH3 inlined (same function as libxxhash), as in signals.c. */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* ---- scratch ---- */

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
    if (s->nltk) tmi_nltk_free(s->nltk);
    free(s->nltk);
    tm_buf_free(&s->nltk_buf);
    tmi_spans_free(&s->nltk_toks);
    tmi_spans_free(&s->toks);
    tmi_spans_free(&s->lines);
    tmi_spans_free(&s->paras);
    tmi_spans_free(&s->fwlines);
    tmi_spans_free(&s->pylines);
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
    tmi_spans_free(&s->c4lines);
    free(s);
}

/* Clears the table for up to n insertions (load factor <= 1/2). */
tm_error tmi_sig_table_reset(tm_scorer *s, size_t n) {
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
    if (tmi_grow((void **)&s->ents, &s->ent_cap, n + 1, sizeof *s->ents, 0)) return TM_ERR_NOMEM;
    return TM_OK;
}

/* The mask of the table in use (its size was chosen by table_reset). */
size_t tmi_sig_table_mask(const tm_scorer *s, size_t n) {
    size_t want = 16;
    (void)s;
    while (want < 2 * n + 2) want *= 2;
    return want - 1;
}

int32_t tmi_sig_first_cp(const char *p, size_t n) {
    int32_t cp = 0;
    if (n) tmi_utf8_decode(p, n, &cp);
    return cp;
}

int32_t tmi_sig_last_cp(const char *p, size_t n) {
    if (!n) return 0;
    size_t i = n - 1;
    while (i > 0 && ((unsigned char)p[i] & 0xC0) == 0x80) i--;
    int32_t cp = 0;
    tmi_utf8_decode(p + i, n - i, &cp);
    return cp;
}

/* ---- find_duplicates over spans (quality-signals §4.2) ---- */

tm_error tmi_sig_find_duplicates(tm_scorer *s, const char *text, const tm_spans *sp,
                                 size_t *dup_count, size_t *dup_chars) {
    tm_error e = tmi_sig_table_reset(s, sp->n);
    if (e) return e;
    size_t mask = tmi_sig_table_mask(s, sp->n);
    *dup_count = *dup_chars = 0;
    for (size_t i = 0; i < sp->n; i++) {
        const char *p = text + sp->v[i].beg;
        size_t len = sp->v[i].end - sp->v[i].beg;
        uint64_t h = XXH3_64bits(p, len);
        size_t k = tmi_sig_slot_of(h, mask);
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
                *dup_chars += tmi_utf8_count(p, len);
                break;
            }
            k = (k + 1) & mask;
        }
    }
    return TM_OK;
}

/* ---- splits ---- */

/* re.split(pattern, text) where pattern is a run of at least min_run LFs:
 * every piece is kept, empty ones included. */
tm_error tmi_sig_split_lf_min(const char *text, size_t beg, size_t end, size_t min_run,
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
            tm_error e = tmi_spans_push(out, start, i);
            if (e) return e;
            start = j;
        }
        i = j;
    }
    return tmi_spans_push(out, start, end);
}
