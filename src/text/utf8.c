/*
 * utf8.c — UTF-8 decoding, validation and repair.
 *
 * Validation follows Unicode §3.9 Table 3-7 (well-formed byte sequences):
 * overlong forms, surrogates U+D800..DFFF and values above U+10FFFF are
 * ill-formed. Repair replaces each *maximal subpart* of an ill-formed
 * sequence with one U+FFFD, the practice that Unicode recommends and the
 * WHATWG Encoding Standard mandates, so counts agree with browsers and
 * Python's errors="replace". Repair runs on every document, so valid input
 * is never copied byte by byte: ASCII is checked 16 bytes at a time,
 * runs of multi-byte characters are walked without leaving the inner loop,
 * and valid stretches are appended with one memcpy.
 */
#include "text/text.h"
#include "util/buf.h"

#include <string.h>

/*
 * Length of the well-formed sequence at p (1..4), or 0 when it is
 * ill-formed; then *bad receives the length of its maximal subpart (1..3):
 * the lead byte plus the continuation bytes that were still acceptable.
 */
static inline size_t seq_check(const unsigned char *p, size_t avail, size_t *bad) {
    unsigned c = p[0];
    unsigned lo = 0x80, hi = 0xBF;
    size_t need;
    if (c < 0x80) return 1;
    if (c < 0xC2) {
        *bad = 1;
        return 0;
    } else if (c < 0xE0) {
        need = 2;
    } else if (c < 0xF0) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c < 0xF5) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *bad = 1;
        return 0;
    }
    /* Only the second byte has a narrowed range; later ones are 80..BF. */
    if (avail < 2 || p[1] < lo || p[1] > hi) {
        *bad = 1;
        return 0;
    }
    for (size_t k = 2; k < need; k++) {
        if (k >= avail || (p[k] & 0xC0) != 0x80) {
            *bad = k;
            return 0;
        }
    }
    return need;
}

/* Number of leading ASCII bytes of p[0..n), examined a machine word at a
 * time (memcpy keeps the loads aligned-agnostic and strict-aliasing safe).
 * On little-endian machines the first non-ASCII byte of a word is found
 * with one count-trailing-zeros instead of a byte loop, which matters for
 * scripts where ASCII runs are a single space between words. */
static inline size_t ascii_prefix(const unsigned char *p, size_t n) {
    const uint64_t hi = UINT64_C(0x8080808080808080);
    size_t i = 0;
    while (i + 16 <= n) {
        uint64_t a, b;
        memcpy(&a, p + i, 8);
        memcpy(&b, p + i + 8, 8);
        if ((a | b) & hi) break;
        i += 16;
    }
    while (i + 8 <= n) {
        uint64_t a;
        memcpy(&a, p + i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
        if (a & hi) return i + ((size_t)__builtin_ctzll(a & hi) >> 3);
#else
        if (a & hi) break;
#endif
        i += 8;
    }
    while (i < n && p[i] < 0x80) i++;
    return i;
}

/* Valid multi-byte sequences from p[i] on, while the bytes stay non-ASCII:
 * returns the index of the first ASCII byte (or n), or of an ill-formed
 * sequence, with *ok = 0 and *bad its maximal subpart. Text in non-Latin
 * scripts is mostly such runs, so they are walked here without returning
 * to the word-at-a-time ASCII loop after every character. */
static inline size_t multi_run(const unsigned char *p, size_t i, size_t n, int *ok, size_t *bad) {
    while (i < n && p[i] >= 0x80) {
        unsigned c = p[i];
        /* the common cases first, in full: 2-byte C2..DF, 3-byte E1..EC and
         * EE..EF (no narrowed second-byte range) */
        if (c >= 0xC2 && c < 0xE0 && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        if (c > 0xE0 && c < 0xF0 && c != 0xED && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 &&
            (p[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        size_t k = seq_check(p + i, n - i, bad);
        if (!k) {
            *ok = 0;
            return i;
        }
        i += k;
    }
    *ok = 1;
    return i;
}

size_t tm_utf8_valid_prefix(const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, bad;
    int ok;
    while (i < len) {
        i += ascii_prefix(p + i, len - i);
        if (i >= len) break;
        i = multi_run(p, i, len, &ok, &bad);
        if (!ok) return i;
    }
    return len;
}

tm_error tm_utf8_repair(const char *s, size_t len, tm_buf *out, size_t *n_replaced) {
    static const char fffd[3] = {'\xEF', '\xBF', '\xBD'};
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, start = 0, nrep = 0, bad;
    int ok;
    size_t old_len = out->len;
    if (tmi_buf_reserve(out, len)) return TM_ERR_NOMEM;
    while (i < len) {
        i += ascii_prefix(p + i, len - i);
        if (i >= len) break;
        i = multi_run(p, i, len, &ok, &bad);
        if (ok) continue;
        if (tmi_buf_append(out, s + start, i - start) || tmi_buf_append(out, fffd, 3)) {
            out->len = old_len;
            if (out->data) out->data[old_len] = '\0';
            return TM_ERR_NOMEM;
        }
        nrep++;
        i += bad;
        start = i;
    }
    if (tmi_buf_append(out, s + start, len - start)) {
        out->len = old_len;
        if (out->data) out->data[old_len] = '\0';
        return TM_ERR_NOMEM;
    }
    if (n_replaced) *n_replaced = nrep;
    return TM_OK;
}

size_t tmi_utf8_decode(const char *s, size_t len, int32_t *cp) {
    const unsigned char *p = (const unsigned char *)s;
    size_t bad;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    size_t k = seq_check(p, len, &bad);
    switch (k) {
    case 2: *cp = (int32_t)(((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu)); break;
    case 3: *cp = (int32_t)(((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu)); break;
    case 4:
        *cp = (int32_t)(((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
                        (p[3] & 0x3Fu));
        break;
    default: *cp = 0xFFFD; return 1;
    }
    return k;
}

size_t tmi_utf8_encode(int32_t cp, char *out) {
    unsigned char *o = (unsigned char *)out;
    uint32_t c = (uint32_t)cp;
    if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    } else if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | (c >> 6));
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    } else if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12));
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    } else if (c < 0x110000) {
        o[0] = (unsigned char)(0xF0 | (c >> 18));
        o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
        o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[3] = (unsigned char)(0x80 | (c & 0x3F));
        return 4;
    }
    /* Out of range: U+FFFD, so the output stays valid UTF-8. */
    o[0] = 0xEF;
    o[1] = 0xBF;
    o[2] = 0xBD;
    return 3;
}

size_t tmi_utf8_count(const char *s, size_t len) {
    /* Every byte that is not a continuation byte starts a code point. */
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0, i = 0;
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        /* continuation bytes are 10xxxxxx: bit7 set and bit6 clear */
        uint64_t cont = w & ~(w << 1) & UINT64_C(0x8080808080808080);
        n += 8 - (size_t)__builtin_popcountll(cont);
        i += 8;
    }
    for (; i < len; i++) n += (p[i] & 0xC0) != 0x80;
    return n;
}
