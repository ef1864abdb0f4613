/*
 * fineweb.c — the FineWeb signals (quality-signals.md §6.1, current datatrove):
 * lines ending in punctuation, short lines, duplicated line characters and
 * line feeds per word.
 */
#include "signals/families.h"

#include "util/buf.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

/* ---- FineWeb (§6.1, current datatrove) ---- */

/* Whether a line has at most 30 code points, counting only when its byte
 * length (1 to 4 bytes per code point) leaves a doubt. */
static int short_line(const char *p, size_t l) {
    if (l <= 30) return 1;
    if (l > 120) return 0;
    return tmi_utf8_count(p, l) <= 30;
}

tm_error tmi_sig_fineweb(tm_scorer *s, const char *text, size_t len, const tm_spans *t, double L,
                         double *v) {
    /* text.split("\n"), then only lines with a non-space code point */
    tm_error e;
    size_t start = 0, n_lf = 0;
    s->fwlines.n = 0;
    for (;;) {
        const char *q = memchr(text + start, '\n', len - start);
        size_t end = q ? (size_t)(q - text) : len;
        if (tmi_has_nonspace(text + start, end - start) &&
            (e = tmi_spans_push(&s->fwlines, start, end)))
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
        if (c < 0x80 ? (tmi_latin1_flags[c] & TM_CF_TERMINAL) != 0
                     : tmi_is_terminal_punct(tmi_sig_last_cp(p, l)))
            punct++;
        shortl += (size_t)short_line(p, l);
    }
    if ((e = tmi_sig_find_duplicates(s, text, &s->fwlines, &dc, &dch))) return e;
    double denom = L - (double)n_lf;
    v[TM_SIG_FW_LINE_PUNCT_RATIO] = nl ? (double)punct / (double)nl : 0.0;
    v[TM_SIG_FW_SHORT_LINE_RATIO] = nl ? (double)shortl / (double)nl : 0.0;
    v[TM_SIG_FW_CHAR_DUP_RATIO] = denom > 0 ? (double)dch / denom : 0.0;
    v[TM_SIG_FW_LIST_RATIO] = t->n ? (double)n_lf / (double)t->n : 0.0;
    return TM_OK;
}
