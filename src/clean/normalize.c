/*
 * normalize.c — stage 2 of `tamis clean`: the character-level hygiene that
 * every later stage (and every consumer) assumes.
 *
 * Three passes, each linear:
 *  1. characters: CRLF and lone CR become LF, U+2028/U+2029 become LF; C0/C1
 *     controls other than TAB and LF, DEL and U+FEFF (a BOM or ZWNBSP) are
 *     removed; NBSP, NNBSP and the other fixed-width spaces (U+1680,
 *     U+2000..U+200A, U+205F) become a plain space. U+3000 IDEOGRAPHIC SPACE
 *     is kept: it is correct typography in CJK text.
 *  2. lines: trailing spaces and tabs are trimmed, leading blank lines
 *     dropped, runs of blank lines collapsed to one, trailing blank lines
 *     dropped (a final LF is kept when there was one).
 *  3. NFC (utf8proc), applied only to runs of non-ASCII text that contain a
 *     character NFC may change (a combining or spacing mark, a character
 *     with a canonical decomposition or excluded from composition, a Hangul
 *     jamo), each run together with the ASCII character before it. No ASCII
 *     character composes with what precedes it, so runs are independent and
 *     ordinary Latin text never reaches utf8proc.
 * Each kind of change is logged once per document with its count (offsets of
 * thousands of NBSPs would dwarf the text).
 */
#include "clean/clean_int.h"
#include "util/buf.h"

#include "text/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int odd_space(int32_t cp) {
    return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x205F;
}

/* Can NFC change a text because of cp? Conservative (see above). */
static int nfc_sensitive(int32_t cp) {
    if (cp < 0x300) return 0;
    if ((cp >= 0x2010 && cp <= 0x20CF) || (cp >= 0x4E00 && cp <= 0x9FFF)) return 0;
    if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xA960 && cp <= 0xA97F) ||
        (cp >= 0xD7B0 && cp <= 0xD7FF))
        return 1;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    return p->combining_class != 0 || p->comp_exclusion || p->category == UTF8PROC_CATEGORY_MC ||
           (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0);
}

/* Are the 8 bytes of x all printable ASCII (0x20..0x7E)? SWAR tests
 * (Anderson's bit hacks, exact for "some byte is"): a high bit, a byte below
 * 0x20, a byte equal to 0x7F. */
static inline int printable8(uint64_t x) {
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t below = (x - 0x20 * ones) & ~x & high;
    uint64_t y = x ^ (0x7F * ones);
    uint64_t del = (y - ones) & ~y & high;
    return !((x & high) | below | del);
}

typedef struct norm_counts {
    uint64_t control, space, trim, blank, nfc;
} norm_counts;

static tm_error pass_chars(const char *s, size_t n, tm_buf *out, norm_counts *k, int *nfc) {
    tm_error e = tmi_buf_reserve(out, n);
    if (e) return e;
    char *o = out->data + out->len;
    for (size_t i = 0; i < n;) {
        /* Eight printable ASCII bytes at a time; the output is never longer
         * than the input read so far, so the reserve covers the store. */
        while (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            if (!printable8(x)) break;
            memcpy(o, &x, 8);
            o += 8, i += 8;
        }
        if (i >= n) break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) {
            *o++ = (char)c;
            i++;
            continue;
        }
        if (c < 0x80) {
            i++;
            if (c == '\n' || c == '\t')
                *o++ = (char)c;
            else if (c == '\r') {
                k->control++;
                if (i >= n || s[i] != '\n') *o++ = '\n';
            } else
                k->control++;
            continue;
        }
        int32_t cp;
        size_t l = tmi_utf8_decode_fast(s + i, n - i, &cp);
        if ((cp >= 0x80 && cp <= 0x9F) || cp == 0xFEFF) {
            k->control++;
        } else if (cp == 0x2028 || cp == 0x2029) {
            k->space++;
            *o++ = '\n';
        } else if (odd_space(cp)) {
            k->space++;
            *o++ = ' ';
        } else {
            for (size_t t = 0; t < l; t++) o[t] = s[i + t]; /* 2 to 4 bytes */
            o += l;
            if (!*nfc && nfc_sensitive(cp)) *nfc = 1;
        }
        i += l;
    }
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
    return TM_OK;
}

static tm_error pass_lines(const char *s, size_t n, tm_buf *out, norm_counts *k) {
    tm_error e = tmi_buf_reserve(out, n + 1);
    if (e) return e;
    int ended_nl = n > 0 && s[n - 1] == '\n';
    size_t end_all = ended_nl ? n - 1 : n, pending = 0;
    int emitted = 0;
    char *o = out->data + out->len;
    for (size_t i = 0; i <= end_all;) {
        const char *nl = memchr(s + i, '\n', end_all - i);
        size_t le = nl ? (size_t)(nl - s) : end_all, te = le;
        while (te > i && (s[te - 1] == ' ' || s[te - 1] == '\t')) te--;
        if (te != le) k->trim++;
        if (te == i) {
            pending++;
        } else {
            if (emitted) *o++ = '\n';
            if (emitted && pending) *o++ = '\n';
            if (pending > (emitted ? 1u : 0u)) k->blank++;
            pending = 0;
            memcpy(o, s + i, te - i);
            o += te - i;
            emitted = 1;
        }
        if (!nl) break;
        i = le + 1;
    }
    /* Blank lines at the end are dropped. */
    if (pending && emitted) k->blank++;
    if (emitted && ended_nl) *o++ = '\n';
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
    return TM_OK;
}

static tm_error pass_nfc(const char *s, size_t n, tm_buf *out, norm_counts *k) {
    size_t i = 0, copied = 0;
    tm_error e = TM_OK;
    while (i < n && !e) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t beg = i > 0 ? i - 1 : 0, j = i; /* the ASCII char before */
        int sensitive = 0;
        while (j < n && (unsigned char)s[j] >= 0x80) {
            int32_t cp;
            j += tmi_utf8_decode_fast(s + j, n - j, &cp);
            if (!sensitive) sensitive = nfc_sensitive(cp);
        }
        if (sensitive) {
            utf8proc_uint8_t *dst = NULL;
            utf8proc_ssize_t m =
                utf8proc_map((const utf8proc_uint8_t *)s + beg, (utf8proc_ssize_t)(j - beg), &dst,
                             UTF8PROC_STABLE | UTF8PROC_COMPOSE);
            if (m < 0) return m == UTF8PROC_ERROR_NOMEM ? TM_ERR_NOMEM : TM_ERR_INTERNAL;
            if ((size_t)m != j - beg || memcmp(dst, s + beg, (size_t)m)) {
                k->nfc++;
                e = tmi_buf_append(out, s + copied, beg - copied);
                TM_THEN(e, tmi_buf_append(out, dst, (size_t)m));
                copied = j;
            }
            free(dst);
        }
        i = j;
    }
    TM_THEN(e, tmi_buf_append(out, s + copied, n - copied));
    return e;
}

static tm_error log_summary(tm_clean_log *g, int kind, uint64_t count) {
    if (!count) return TM_OK;
    tmi_clean_log_count(g, kind, count);
    if (!tmi_clean_log_begin(g, tm_clean_edit_name(kind))) return TM_OK;
    tm_error e = tmi_json_key(&g->json, "count", 1);
    TM_THEN(e, tmi_json_u64(&g->json, count));
    TM_THEN(e, tmi_clean_log_end(g));
    return e;
}

tm_error tmi_clean_normalize(const char *s, size_t n, tm_buf *out, tm_buf *scratch,
                             tm_clean_log *g) {
    norm_counts k;
    memset(&k, 0, sizeof k);
    int nfc = 0;
    tmi_buf_reset(scratch);
    tm_error e = pass_chars(s, n, scratch, &k, &nfc);
    if (e) return e;
    if (!nfc) {
        e = pass_lines(scratch->data, scratch->len, out, &k);
    } else {
        tm_buf lines = {0};
        e = pass_lines(scratch->data, scratch->len, &lines, &k);
        TM_THEN(e, pass_nfc(lines.data, lines.len, out, &k));
        tm_buf_free(&lines);
    }
    TM_THEN(e, log_summary(g, TM_EDIT_NFC, k.nfc));
    TM_THEN(e, log_summary(g, TM_EDIT_REMOVE_CONTROL, k.control));
    TM_THEN(e, log_summary(g, TM_EDIT_NORMALIZE_SPACE, k.space));
    TM_THEN(e, log_summary(g, TM_EDIT_TRIM_TRAILING, k.trim));
    TM_THEN(e, log_summary(g, TM_EDIT_COLLAPSE_BLANK, k.blank));
    return e;
}
