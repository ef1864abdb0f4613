/*
 * shingle.c — word and character shingles for near-duplicate detection,
 * and the nospace-script share that picks between them.
 *
 * A word shingle is XXH3-64 (seeded) of n consecutive tm_tokenize tokens
 * joined by one space. That definition is testable by anyone with xxHash,
 * and it is cheap on normalised text: when the tokens of a window are
 * already separated by exactly one ASCII space in s, the joined string *is*
 * the byte range of s from the first token to the last, which is hashed in
 * place. Only other windows are joined, in a stack buffer or, for windows
 * longer than it, through XXH3's streaming state (same result). The last n
 * token spans live in a ring, so nothing is allocated for n <= 64 apart
 * from the caller's output array.
 */
#include "text/text.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* Shingles hash a few bytes per call: inlining XXH3 (xxHash's own
 * header-only mode, same results as libxxhash) removes the call overhead. */
#define XXH_INLINE_ALL
#include <xxhash.h>

void tm_u64s_free(tm_u64s *a) {
    if (!a) return;
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

static tm_error u64s_grow(tm_u64s *a) {
    {
        size_t cap = a->cap ? a->cap * 2 : 256;
        if (cap > SIZE_MAX / sizeof *a->v) return TM_ERR_NOMEM;
        uint64_t *v = realloc(a->v, cap * sizeof *v);
        if (!v) return TM_ERR_NOMEM;
        a->v = v;
        a->cap = cap;
    }
    return TM_OK;
}

/* One call per shingle: the common case inline, growth out of line. */
static inline tm_error u64s_push(tm_u64s *a, uint64_t x) {
    if (a->n == a->cap) {
        tm_error e = u64s_grow(a);
        if (e) return e;
    }
    a->v[a->n++] = x;
    return TM_OK;
}

/* Hash of the tokens ring[first], ring[first+1 mod n] ... (cnt of them)
 * joined by one space, when they are not one contiguous range of s. */
static uint64_t hash_joined(const char *s, const tm_span *ring, size_t n, size_t first, size_t cnt,
                            uint64_t seed) {
    char small[512];
    size_t total = cnt - 1;
    for (size_t k = 0, j = first; k < cnt; k++, j = j + 1 == n ? 0 : j + 1)
        total += ring[j].end - ring[j].beg;
    if (total <= sizeof small) {
        char *o = small;
        for (size_t k = 0, j = first; k < cnt; k++, j = j + 1 == n ? 0 : j + 1) {
            const tm_span *t = &ring[j];
            if (k) *o++ = ' ';
            memcpy(o, s + t->beg, t->end - t->beg);
            o += t->end - t->beg;
        }
        return XXH3_64bits_withSeed(small, total, seed);
    }
    XXH3_state_t st;
    /* reset_withSeed compares with the previous seed: start from zeros */
    memset(&st, 0, sizeof st);
    XXH3_64bits_reset_withSeed(&st, seed);
    for (size_t k = 0, j = first; k < cnt; k++, j = j + 1 == n ? 0 : j + 1) {
        const tm_span *t = &ring[j];
        if (k) XXH3_64bits_update(&st, " ", 1);
        XXH3_64bits_update(&st, s + t->beg, t->end - t->beg);
    }
    return XXH3_64bits_digest(&st);
}

tm_error tm_shingle_words(const char *s, size_t len, int n_, uint64_t seed, tm_u64s *out) {
    tm_span ring_stack[64];
    unsigned char gap_stack[64];
    out->n = 0;
    if (n_ < 1) return TM_ERR_ARG;
    size_t n = (size_t)n_;
    tm_span *ring = ring_stack;
    unsigned char *gap = gap_stack; /* gap[k % n]: token k is not preceded by exactly " " */
    if (n > 64) {
        ring = malloc(n * sizeof *ring);
        gap = malloc(n);
        if (!ring || !gap) {
            free(ring);
            free(gap);
            return TM_ERR_NOMEM;
        }
    }
    tm_error err = TM_OK;
    size_t pos = 0, k = 0, bad = 0; /* bad: irregular gaps inside the window */
    /* slot = k mod n, next = (k + 1) mod n, prev = (k - 1) mod n, kept
     * incrementally: a division per token cost more than the ring */
    size_t slot = 0, prev = n - 1, next = n > 1 ? 1 : 0;
    tm_span t;
    while (tm_token_next(s, len, &pos, &t)) {
        if (k > 0) {
            const tm_span *pt = &ring[prev];
            unsigned char g = !(t.beg == pt->end + 1 && s[pt->end] == ' ');
            /* the gap before the window's new first token leaves the window */
            if (n > 1 && k >= n) bad -= gap[next];
            if (n > 1) bad += g;
            gap[slot] = g;
        } else {
            gap[slot] = 0;
        }
        ring[slot] = t;
        if (k + 1 >= n) {
            size_t first = next;
            uint64_t h =
                bad == 0 ? XXH3_64bits_withSeed(s + ring[first].beg, t.end - ring[first].beg, seed)
                         : hash_joined(s, ring, n, first, n, seed);
            if ((err = u64s_push(out, h))) break;
        }
        k++;
        prev = slot;
        slot = next;
        next = next + 1 == n ? 0 : next + 1;
    }
    if (!err && k > 0 && k < n) {
        /* fewer tokens than n: one shingle of all of them */
        uint64_t h =
            bad == 0 ? XXH3_64bits_withSeed(s + ring[0].beg, ring[k - 1].end - ring[0].beg, seed)
                     : hash_joined(s, ring, n, 0, k, seed);
        err = u64s_push(out, h);
    }
    if (ring != ring_stack) {
        free(ring);
        free(gap);
    }
    return err;
}

/* Byte length of the UTF-8 sequence that starts with c (valid input). */
static inline size_t seq_len(unsigned char c) {
    return c < 0xE0 ? (c < 0x80 ? 1 : 2) : (c < 0xF0 ? 3 : 4);
}

/* True when s has no whitespace but single ASCII spaces between other
 * characters: it is its own whitespace-collapsed form. */
static int ws_collapsed(const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s;
    int prev_space = 1; /* a leading space is not collapsed */
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t n = p[i] < 0x80 ? (cp = p[i], 1) : tm_utf8_decode(s + i, len - i, &cp);
        if (tm_cflags(cp) & TM_CF_SPACE) {
            if (prev_space || cp != ' ') return 0;
            prev_space = 1;
        } else {
            prev_space = 0;
        }
        i += n;
    }
    return !prev_space || len == 0;
}

tm_error tm_shingle_chars(const char *s, size_t len, int n_, uint64_t seed, tm_u64s *out) {
    out->n = 0;
    if (n_ < 1) return TM_ERR_ARG;
    size_t n = (size_t)n_;
    tm_buf tmp = {0};
    if (!ws_collapsed(s, len)) {
        tm_error e = tm_normalize(s, len, TM_NORM_WS, &tmp);
        if (e) return e;
        s = tmp.data;
        len = tmp.len;
    }
    const unsigned char *p = (const unsigned char *)s;
    tm_error err = TM_OK;
    size_t a = 0, b = 0, k = 0;
    while (k < n && b < len) {
        size_t l = seq_len(p[b]);
        b += l <= len - b ? l : len - b;
        k++;
    }
    if (len > 0) {
        for (;;) {
            if ((err = u64s_push(out, XXH3_64bits_withSeed(s + a, b - a, seed)))) break;
            if (b >= len) break;
            size_t l = seq_len(p[b]);
            b += l <= len - b ? l : len - b;
            a += seq_len(p[a]);
        }
    }
    tm_buf_free(&tmp);
    return err;
}

double tm_nospace_fraction(const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s;
    size_t letters = 0, nospace = 0;
    /* tm_cflags is a binary search beyond U+00FF; a text uses few distinct
     * letters (an alphabet, or the common Han characters), so a small
     * direct-mapped cache of (code point, flags) answers most lookups. */
    int32_t ccp[256];
    uint16_t cfl[256];
    memset(ccp, 0xff, sizeof ccp);
    for (size_t i = 0; i < len;) {
#ifdef __SSE2__
        /* 16 ASCII bytes at a time: the ASCII letters (TM_CF_ALPHA below
         * 0x80) are exactly the bytes with c | 0x20 in 'a'..'z' */
        while (len - i >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
            if (_mm_movemask_epi8(v)) break;
            __m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
            __m128i is = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));
            letters += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(is));
            i += 16;
        }
        if (i >= len) break;
#endif
        if (p[i] < 0x80) {
            letters += (tm_latin1_flags[p[i]] & TM_CF_ALPHA) != 0;
            i++;
            continue;
        }
        int32_t cp;
        i += tm_utf8_decode(s + i, len - i, &cp);
        unsigned slot = ((uint32_t)cp ^ ((uint32_t)cp >> 8)) & 255u, f;
        if (ccp[slot] == cp) {
            f = cfl[slot];
        } else {
            f = tm_cflags(cp);
            ccp[slot] = cp;
            cfl[slot] = (uint16_t)f;
        }
        if (f & TM_CF_ALPHA) {
            letters++;
            nospace += (f & TM_CF_NOSPACE) != 0;
        }
    }
    return letters ? (double)nospace / (double)letters : 0.0;
}
