/*
 * lines.c — span arrays and the line-splitting conventions of the reference
 * filters (quality-signals.md §1.3).
 *
 * The references disagree on what a line is: str.splitlines() (Gopher
 * quality, C4), split("\n") (FineWeb), re.split("\n+") (Gopher repetition),
 * and the regex [^\n]*\n|[^\n]+$ (RedPajama-V2, Dolma). Each gets its own
 * function so a signal states which one it uses. All of them write byte
 * spans into a caller-owned array that is cleared, not freed, so a worker
 * that reuses it allocates nothing in steady state.
 */
#include "text/text.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

void tmi_spans_free(tm_spans *s) {
    if (!s) return;
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

tm_error tmi_spans_push(tm_spans *s, size_t beg, size_t end) {
    if (s->n == s->cap) {
        tm_error e = TM_GROW(s->v, s->cap, s->n + 1, 0);
        if (e) return e;
    }
    s->v[s->n].beg = beg;
    s->v[s->n].end = end;
    s->n++;
    return TM_OK;
}

/* Bytes that may start a splitlines() separator: LF VT FF CR FS GS RS, and
 * the lead bytes of NEL (C2 85) and LS/PS (E2 80 A8/A9). */
static const uint8_t pyline_stop[256] = {
    [0x0A] = 1, [0x0B] = 1, [0x0C] = 1, [0x0D] = 1, [0x1C] = 1,
    [0x1D] = 1, [0x1E] = 1, [0xC2] = 1, [0xE2] = 1,
};

tm_error tmi_split_pylines(const char *s, size_t len, tm_spans *out) {
    const unsigned char *p = (const unsigned char *)s;
    size_t beg = 0, i = 0;
    out->n = 0;
    for (;;) {
        while (i + 4 <= len && !(pyline_stop[p[i]] | pyline_stop[p[i + 1]] | pyline_stop[p[i + 2]] |
                                 pyline_stop[p[i + 3]]))
            i += 4;
        while (i < len && !pyline_stop[p[i]]) i++;
        if (i >= len) break;
        unsigned c = p[i];
        size_t k;
        if (c == '\r')
            k = (i + 1 < len && p[i + 1] == '\n') ? 2 : 1;
        else if (c < 0x20)
            k = 1;
        else if (c == 0xC2)
            k = (i + 1 < len && p[i + 1] == 0x85) ? 2 : 0;
        else
            k = (i + 2 < len && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) ? 3 : 0;
        if (!k) {
            i++;
            continue;
        }
        if (tmi_spans_push(out, beg, i)) return TM_ERR_NOMEM;
        i += k;
        beg = i;
    }
    if (beg < len && tmi_spans_push(out, beg, len)) return TM_ERR_NOMEM;
    return TM_OK;
}

tm_error tmi_split_lf(const char *s, size_t len, tm_spans *out) {
    size_t beg = 0;
    out->n = 0;
    for (;;) {
        const char *nl = len > beg ? memchr(s + beg, '\n', len - beg) : NULL;
        size_t end = nl ? (size_t)(nl - s) : len;
        if (tmi_spans_push(out, beg, end)) return TM_ERR_NOMEM;
        if (!nl) return TM_OK;
        beg = end + 1;
    }
}

tm_error tmi_split_lf_incl(const char *s, size_t len, tm_spans *out) {
    size_t beg = 0;
    out->n = 0;
    while (beg < len) {
        const char *nl = memchr(s + beg, '\n', len - beg);
        size_t end = nl ? (size_t)(nl - s) + 1 : len;
        if (tmi_spans_push(out, beg, end)) return TM_ERR_NOMEM;
        beg = end;
    }
    return TM_OK;
}

/* Pieces between runs of at least min_run LFs, empty pieces dropped. A run
 * shorter than min_run stays inside its piece. */
static tm_error split_lf_min(const char *s, size_t len, size_t min_run, tm_spans *out) {
    size_t beg = 0, i = 0;
    out->n = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        if (!nl) break;
        size_t a = (size_t)(nl - s), b = a;
        while (b < len && s[b] == '\n') b++;
        if (b - a >= min_run) {
            if (a > beg && tmi_spans_push(out, beg, a)) return TM_ERR_NOMEM;
            beg = b;
        }
        i = b;
    }
    if (len > beg && tmi_spans_push(out, beg, len)) return TM_ERR_NOMEM;
    return TM_OK;
}

tm_error tmi_split_lf_runs(const char *s, size_t len, tm_spans *out) {
    return split_lf_min(s, len, 1, out);
}

tm_error tmi_split_paragraphs(const char *s, size_t len, tm_spans *out) {
    return split_lf_min(s, len, 2, out);
}

tm_error tmi_split_ws(const char *s, size_t len, tm_spans *out) {
    size_t i = 0;
    out->n = 0;
    while (i < len) {
        int32_t cp;
        size_t n = tmi_utf8_decode(s + i, len - i, &cp);
        if (tmi_is_space(cp)) {
            i += n;
            continue;
        }
        size_t beg = i;
        i += n;
        while (i < len) {
            n = tmi_utf8_decode(s + i, len - i, &cp);
            if (tmi_is_space(cp)) break;
            i += n;
        }
        if (tmi_spans_push(out, beg, i)) return TM_ERR_NOMEM;
    }
    return TM_OK;
}

int tmi_space_at(const char *p, size_t n, size_t *adv) {
    unsigned char c = (unsigned char)p[0];
    if (c < 0x80) {
        *adv = 1;
        return (tmi_latin1_flags[c] & TM_CF_SPACE) != 0;
    }
    int32_t cp;
    *adv = tmi_utf8_decode(p, n, &cp);
    return tmi_is_space(cp);
}

int tmi_has_nonspace(const char *p, size_t n) {
    size_t i = 0, adv;
    while (i < n) {
        if (!tmi_space_at(p + i, n - i, &adv)) return 1;
        i += adv;
    }
    return 0;
}

void tmi_strip(const char *s, size_t *beg, size_t *end) {
    const unsigned char *p = (const unsigned char *)s;
    size_t b = *beg, e = *end, adv;
    while (b < e) {
        if (p[b] < 0x80) {
            if (!(tmi_latin1_flags[p[b]] & TM_CF_SPACE)) break;
            b++;
        } else {
            if (!tmi_space_at(s + b, e - b, &adv)) break;
            b += adv;
        }
    }
    while (e > b) {
        if (p[e - 1] < 0x80) {
            if (!(tmi_latin1_flags[p[e - 1]] & TM_CF_SPACE)) break;
            e--;
        } else {
            /* the code point ending at e: back over at most three
             * continuation bytes, never before b (a well-formed code point cannot start earlier) */
            size_t a = e - 1;
            while (a > b && (p[a] & 0xC0) == 0x80 && e - a < 4) a--;
            int32_t cp;
            tmi_utf8_decode(s + a, e - a, &cp);
            if (!tmi_is_space(cp)) break;
            e = a;
        }
    }
    *beg = b;
    *end = e;
}
