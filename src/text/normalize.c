/*
 * normalize.c — Unicode normalisation (NFC/NFKC, case folding) with the
 * whitespace, punctuation and digit foldings used to build dedup keys, and
 * Python's str.lower().
 *
 * utf8proc does the Unicode work; calling it on a whole document would
 * cost a malloc of 4 bytes per code point and a second pass, so the text is
 * cut into segments: runs of ASCII are final under NFC and NFKC (an ASCII
 * character never combines with the one after it) and are folded in place,
 * and only the non-ASCII stretches — with the ASCII character before them,
 * which a combining mark may compose with — go through utf8proc, into a
 * stack buffer when they are short. The optional foldings then run per code
 * point on utf8proc's output, in this order: drop P* and S*, digits to '0',
 * whitespace collapse; so "a , b" with PUNCT|WS gives "a b".
 *
 * In Latin-script text most non-ASCII segments are one accented letter with
 * the ASCII letter before it ("ré", "tè"), and the same few recur all through
 * a document; a small direct-mapped cache of utf8proc's output for segments
 * of up to 8 bytes (a pure function of the bytes and the options) skips most
 * utf8proc calls. It lives on the stack of one call: no shared state.
 *
 * ASCII runs, most of the bytes, are scanned and folded 16 bytes at a time
 * with SSE2 when the options are the usual ones (case folding and/or
 * whitespace collapse, no punctuation or digit folding): a block whose only
 * whitespace is single ' ' characters, not at its start, is its own
 * collapsed form once lower-cased; other blocks take the byte loop.
 */
#include "text/text.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct emitter {
    tm_buf *out;
    int flags;
    int pending_space; /* a whitespace run was seen after some output */
    int any;           /* something was emitted */
    tm_fcache fc;      /* classes of utf8proc's output ("’" in French text) */
} emitter;

#define SEG_CACHE   64
#define SEG_MAX_OUT 12

typedef struct seg_entry {
    uint64_t key; /* the segment's bytes, zero-padded */
    uint8_t klen; /* 0: empty slot */
    uint8_t n;    /* code points in out */
    int32_t out[SEG_MAX_OUT];
} seg_entry;

static inline int ascii_is_space(unsigned c) {
    return (c >= 9 && c <= 13) || (c >= 28 && c <= 32);
}

static inline int ascii_is_punct_or_symbol(unsigned c) {
    /* all 32 ASCII punctuation characters are P* or S* */
    return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
           (c >= 123 && c <= 126);
}

/* What each ASCII byte becomes under the flags: itself folded, or DROP, or
 * SPACE (starts a whitespace run). Built once per call: 128 bytes. */
enum { MAP_DROP = 0x80, MAP_SPACE = 0x81 };

static void build_ascii_map(unsigned char map[128], int f) {
    for (unsigned c = 0; c < 128; c++) {
        unsigned m = c;
        if ((f & TM_NORM_WS) && ascii_is_space(c))
            m = MAP_SPACE;
        else if ((f & TM_NORM_PUNCT) && ascii_is_punct_or_symbol(c))
            m = MAP_DROP;
        else if ((f & TM_NORM_DIGITS) && c >= '0' && c <= '9')
            m = '0';
        else if ((f & TM_NORM_CASEFOLD) && c >= 'A' && c <= 'Z')
            m = c + 32;
        map[c] = (unsigned char)m;
    }
}

/* Bytes p[from..to) folded through the map, one at a time. */
static inline char *ascii_bytes(const unsigned char *map, const unsigned char *p, size_t from,
                                size_t to, char *o, int *pending, int *any) {
    for (size_t i = from; i < to; i++) {
        unsigned m = map[p[i]];
        if (m < 0x80) {
            if (*pending) {
                *o++ = ' ';
                *pending = 0;
            }
            *o++ = (char)m;
            *any = 1;
        } else if (m == MAP_SPACE) {
            *pending = *any;
        }
    }
    return o;
}

/* ASCII bytes p[0..n) folded per the flags (the caller reserved n + 1). */
static void emit_ascii(emitter *e, const unsigned char *map, const unsigned char *p, size_t n) {
    char *o = e->out->data + e->out->len;
    int f = e->flags;
    if (!(f & (TM_NORM_CASEFOLD | TM_NORM_WS | TM_NORM_PUNCT | TM_NORM_DIGITS))) {
        memcpy(o, p, n);
        e->out->len += n;
        e->any |= n > 0;
        return;
    }
    int pending = e->pending_space, any = e->any;
    size_t i = 0;
#ifdef __SSE2__
    if (!(f & (TM_NORM_PUNCT | TM_NORM_DIGITS))) {
        const int ws = (f & TM_NORM_WS) != 0, fold = (f & TM_NORM_CASEFOLD) != 0;
        const __m128i before_a = _mm_set1_epi8('A' - 1), after_z = _mm_set1_epi8('Z' + 1);
        const __m128i space = _mm_set1_epi8(' '), below = _mm_set1_epi8(' ' + 1);
        /* Output never runs ahead of input by more than the one pending
         * space, so a 16-byte store stays inside the n + 1 reserved. */
        while (n - i >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
            unsigned sp = 0;
            if (ws) {
                /* bytes are ASCII here, so the signed compare is exact */
                unsigned low = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, below));
                sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, space));
                if (low != sp || (sp & (sp >> 1)) || (sp & 1)) {
                    /* a control or other whitespace byte, a run of spaces or
                     * a leading space: through the first such byte, slowly */
                    size_t stop = i + (size_t)__builtin_ctz(low) + 1;
                    o = ascii_bytes(map, p, i, stop, o, &pending, &any);
                    i = stop;
                    continue;
                }
            }
            if (fold) {
                __m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, before_a), _mm_cmplt_epi8(v, after_z));
                v = _mm_add_epi8(v, _mm_and_si128(up, space));
            }
            if (pending) {
                *o++ = ' ';
                pending = 0;
            }
            _mm_storeu_si128((__m128i *)o, v);
            /* a space in the last byte is not written yet: it is pending */
            if (sp & 0x8000) {
                o += 15;
                pending = 1;
            } else {
                o += 16;
            }
            any = 1;
            i += 16;
        }
    }
#endif
    o = ascii_bytes(map, p, i, n, o, &pending, &any);
    e->pending_space = pending;
    e->any = any;
    e->out->len = (size_t)(o - e->out->data);
}

/* One code point of utf8proc output; room for 5 bytes was reserved. */
static void emit_cp(emitter *e, int32_t cp) {
    int f = e->flags;
    if (f & (TM_NORM_WS | TM_NORM_PUNCT | TM_NORM_DIGITS)) {
        unsigned cf = tmi_cflags_c(&e->fc, cp);
        if ((f & TM_NORM_WS) && (cf & TM_CF_SPACE)) {
            e->pending_space = e->any;
            return;
        }
        if ((f & TM_NORM_PUNCT) && (cf & (TM_CF_PUNCT | TM_CF_SYMBOL))) return;
        if ((f & TM_NORM_DIGITS) && (cf & TM_CF_DECIMAL)) cp = '0';
    }
    if (e->pending_space) {
        e->out->data[e->out->len++] = ' ';
        e->pending_space = 0;
    }
    e->out->len += tmi_utf8_encode(cp, e->out->data + e->out->len);
    e->any = 1;
}

tm_error tm_normalize(const char *s, size_t len, int flags, tm_buf *out) {
    const unsigned char *p = (const unsigned char *)s;
    size_t old_len = out->len;
    emitter e;
    e.out = out;
    e.flags = flags;
    e.pending_space = e.any = 0;
    e.fc.init = 0;
    int opts = 0;
    int32_t stack[256];
    int32_t *heap = NULL;
    size_t heap_cap = 0;
    tm_error err = TM_OK;
    unsigned char map[128];
    seg_entry cache[SEG_CACHE];

    build_ascii_map(map, flags);
    for (size_t c = 0; c < SEG_CACHE; c++) cache[c].klen = 0;
    if (flags & TM_NORM_NFKC)
        opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
    else if (flags & TM_NORM_NFC)
        opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    if (flags & TM_NORM_CASEFOLD) opts |= UTF8PROC_CASEFOLD;

    size_t i = 0;
    while (i < len) {
        size_t j = i;
#ifdef __SSE2__
        for (; len - j >= 16; j += 16) {
            unsigned hi = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(p + j)));
            if (hi) {
                j += (size_t)__builtin_ctz(hi);
                break;
            }
        }
#endif
        while (j < len && p[j] < 0x80) j++;
        /* The last ASCII character before non-ASCII text joins the segment. */
        size_t seg = (j < len && j > i) ? j - 1 : j;
        if (seg > i) {
            if (tmi_buf_reserve(out, seg - i + 1)) goto nomem;
            emit_ascii(&e, map, p + i, seg - i);
        }
        if (j >= len) break;
        size_t k = j;
        while (k < len && p[k] >= 0x80) k++;
        /* [seg, k): one non-ASCII segment. */
        if (opts == 0) {
            /* No Unicode transformation: decode and fold directly. */
            if (tmi_buf_reserve(out, (k - seg) * 2 + 8)) goto nomem;
            for (size_t q = seg; q < k;) {
                int32_t cp;
                size_t n = tmi_utf8_decode(s + q, k - q, &cp);
                if (n == 1 && p[q] >= 0x80) goto invalid; /* ill-formed */
                q += n;
                emit_cp(&e, cp);
            }
        } else {
            seg_entry *ce = NULL;
            uint64_t key = 0;
            if (k - seg <= 8) {
                memcpy(&key, p + seg, k - seg);
                uint64_t hk = (key ^ (k - seg)) * 0x9E3779B97F4A7C15ULL;
                ce = &cache[hk >> 58];
                if (ce->klen == k - seg && ce->key == key) {
                    if (tmi_buf_reserve(out, (size_t)ce->n * 5 + 1)) goto nomem;
                    for (unsigned q = 0; q < ce->n; q++) emit_cp(&e, ce->out[q]);
                    i = k;
                    continue;
                }
            }
            int32_t *buf = stack;
            size_t cap = sizeof stack / sizeof stack[0];
            utf8proc_ssize_t n =
                utf8proc_decompose((const utf8proc_uint8_t *)s + seg, (utf8proc_ssize_t)(k - seg),
                                   buf, (utf8proc_ssize_t)cap, opts);
            if (n < 0) goto invalid;
            if ((size_t)n > cap) {
                if ((size_t)n > heap_cap) {
                    free(heap);
                    heap_cap = (size_t)n;
                    heap = malloc(heap_cap * sizeof *heap);
                    if (!heap) goto nomem;
                }
                buf = heap;
                n = utf8proc_decompose((const utf8proc_uint8_t *)s + seg,
                                       (utf8proc_ssize_t)(k - seg), buf, (utf8proc_ssize_t)heap_cap,
                                       opts);
                if (n < 0) goto invalid;
            }
            n = utf8proc_normalize_utf32(buf, n, opts);
            if (n < 0) goto invalid;
            if (ce && n <= SEG_MAX_OUT) {
                ce->key = key;
                ce->klen = (uint8_t)(k - seg);
                ce->n = (uint8_t)n;
                memcpy(ce->out, buf, (size_t)n * sizeof *buf);
            }
            /* each code point becomes at most 4 bytes plus a pending space */
            if (tmi_buf_reserve(out, (size_t)n * 5 + 1)) goto nomem;
            for (utf8proc_ssize_t q = 0; q < n; q++) emit_cp(&e, buf[q]);
        }
        i = k;
    }
    if (out->data) out->data[out->len] = '\0';
    free(heap);
    return TM_OK;

invalid:
    err = TM_ERR_ARG;
    goto fail;
nomem:
    err = TM_ERR_NOMEM;
fail:
    free(heap);
    out->len = old_len;
    if (out->data) out->data[old_len] = '\0';
    return err;
}

/* Case_Ignorable (DerivedCoreProperties): Mn Me Cf Lm Sk and the Word_Break
 * MidLetter / MidNumLet / Single_Quote characters. */
static int case_ignorable(int32_t cp) {
    switch (cp) {
    case 0x27:
    case 0x2E:
    case 0x3A:
    case 0xB7:
    case 0x387:
    case 0x55F:
    case 0x5F4:
    case 0x2018:
    case 0x2019:
    case 0x2024:
    case 0x2027:
    case 0xFE13:
    case 0xFE52:
    case 0xFE55:
    case 0xFF07:
    case 0xFF0E:
    case 0xFF1A: return 1;
    default: break;
    }
    if (cp < 0xA8) return 0;
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_ME || c == UTF8PROC_CATEGORY_CF ||
           c == UTF8PROC_CATEGORY_LM || c == UTF8PROC_CATEGORY_SK;
}

static int cased(int32_t cp) {
    if (tmi_char_flags(cp) & (TM_CF_UPPER | TM_CF_LOWER)) return 1;
    return cp >= 0x100 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LT;
}

/* Python's Final_Sigma test for the Σ at s[at..): a cased letter before it
 * (skipping case-ignorables) and none after it. */
static int final_sigma(const char *s, size_t len, size_t at, size_t after) {
    size_t j = at;
    int32_t cp = 0;
    int found = 0;
    while (j > 0) {
        size_t b = j - 1;
        while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80) b--;
        tmi_utf8_decode(s + b, j - b, &cp);
        j = b;
        if (!case_ignorable(cp)) {
            found = 1;
            break;
        }
    }
    if (!found || !cased(cp)) return 0;
    for (j = after; j < len;) {
        j += tmi_utf8_decode(s + j, len - j, &cp);
        if (!case_ignorable(cp)) return !cased(cp);
    }
    return 1;
}

tm_error tmi_lower(const char *s, size_t len, tm_buf *out) {
    const unsigned char *p = (const unsigned char *)s;
    /* Lowercasing grows UTF-8 by at most 3 bytes per code point (İ: 2→3). */
    if (len > (SIZE_MAX - 1) / 2 || tmi_buf_reserve(out, len + len / 2 + 4)) return TM_ERR_NOMEM;
    size_t i = 0;
    while (i < len) {
        if (out->cap - out->len < 8 && tmi_buf_reserve(out, 8 + (len - i) * 2)) return TM_ERR_NOMEM;
        char *o = out->data + out->len;
        if (p[i] < 0x80) {
            unsigned c = p[i++];
            *o = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            out->len++;
            continue;
        }
        int32_t cp;
        size_t n = tmi_utf8_decode(s + i, len - i, &cp);
        if (cp == 0x130) {
            o[0] = 'i';
            out->len += 1 + tmi_utf8_encode(0x307, o + 1);
        } else if (cp == 0x3A3) {
            out->len += tmi_utf8_encode(final_sigma(s, len, i, i + n) ? 0x3C2 : 0x3C3, o);
        } else {
            out->len += tmi_utf8_encode(utf8proc_tolower(cp), o);
        }
        i += n;
    }
    out->data[out->len] = '\0';
    return TM_OK;
}
