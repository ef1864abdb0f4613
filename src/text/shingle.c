/*
 * shingle.c — word and character shingles for near-duplicate detection,
 * and the nospace-script share that picks between them.
 *
 * A word shingle is XXH3-64 (seeded) of n consecutive tmi_tokenize tokens
 * joined by one space. That definition is testable by anyone with xxHash,
 * and it is cheap: each token is copied once into a buffer of the tokens
 * joined by one space, where every window is a contiguous range hashed in
 * place (joining each window instead copied every token n times). Windows
 * longer than that buffer are joined through XXH3's streaming state (same
 * result). The last n token spans live in a ring, so nothing is allocated
 * for n <= 64 apart from the caller's output array.
 */
#include "text/text.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* Shingles hash a few bytes per call: inlining XXH3 (xxHash's own
 * header-only mode, same results as libxxhash) removes the call overhead. */
#define XXH_INLINE_ALL
#include <xxhash.h>

void tmi_u64s_free(tm_u64s *a) {
    if (!a) return;
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

/* One call per shingle: the common case inline, growth out of line. */
static inline tm_error u64s_push(tm_u64s *a, uint64_t x) {
    if (a->n == a->cap) {
        tm_error e = TM_GROW(a->v, a->cap, a->n + 1, 0);
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

/* Joined-token buffer of tmi_shingle_words (plus slack for 16-byte copies). */
#define JOIN_CAP 4096

tm_error tmi_shingle_words(const char *s, size_t len, int n_, uint64_t seed, tm_u64s *out) {
    tm_span ring_stack[64];
    size_t off_stack[64];
    out->n = 0;
    if (n_ < 1) return TM_ERR_ARG;
    size_t n = (size_t)n_;
    tm_span *ring = ring_stack;
    size_t *off = off_stack; /* off[k % n]: where token k starts in jb */
    if (n > 64) {
        ring = malloc(n * sizeof *ring);
        off = malloc(n * sizeof *off);
        if (!ring || !off) {
            free(ring);
            free(off);
            return TM_ERR_NOMEM;
        }
    }
    /* Every token is appended once to jb, space-separated, so that each
     * window is one contiguous range of it: a copy per token instead of a
     * join per window. jb holds tokens from number `from` on; when full,
     * the tokens before the current window are dropped, and a window that
     * no longer fits (longer than JOIN_CAP) is joined from the ring. */
    char jb[JOIN_CAP + 16];
    size_t jl = 0, from = 0;
    tm_span batch[128];
    tm_error err = TM_OK;
    size_t pos = 0, k = 0, cnt;
    /* slot = k mod n, next = (k + 1) mod n, kept incrementally: a division
     * per token cost more than the ring */
    size_t slot = 0, next = n > 1 ? 1 : 0;
    while (!err && (cnt = tmi_token_batch(s, len, &pos, batch, sizeof batch / sizeof *batch))) {
        for (size_t b = 0; b < cnt; b++) {
            tm_span t = batch[b];
            size_t tl = t.end - t.beg, sp = jl > 0;
            size_t w = k + 1 >= n ? k + 1 - n : 0; /* first token of the window */
            if (jl + sp + tl > JOIN_CAP) {
                if (w >= from && w < k) {
                    size_t keep = off[k + 1 >= n ? next : 0]; /* token w */
                    memmove(jb, jb + keep, jl - keep);
                    jl -= keep;
                    for (size_t j = 0; j < n; j++) off[j] -= keep;
                    from = w;
                } else {
                    jl = 0;
                    from = k;
                }
                sp = jl > 0;
                if (jl + sp + tl > JOIN_CAP) {
                    jl = sp = 0;
                    from = k + 1;
                }
            }
            if (k >= from) {
                if (sp) jb[jl++] = ' ';
                off[slot] = jl;
                if (tl <= 16 && len - t.beg >= 16)
                    memcpy(jb + jl, s + t.beg, 16); /* one fixed-size move */
                else
                    memcpy(jb + jl, s + t.beg, tl);
                jl += tl;
            }
            ring[slot] = t;
            if (k + 1 >= n) {
                uint64_t h = w >= from ? XXH3_64bits_withSeed(jb + off[next], jl - off[next], seed)
                                       : hash_joined(s, ring, n, next, n, seed);
                if ((err = u64s_push(out, h))) break;
            }
            k++;
            slot = next;
            next = next + 1 == n ? 0 : next + 1;
        }
    }
    if (!err && k > 0 && k < n) {
        /* fewer tokens than n: one shingle of all of them */
        uint64_t h =
            from == 0 ? XXH3_64bits_withSeed(jb, jl, seed) : hash_joined(s, ring, n, 0, k, seed);
        err = u64s_push(out, h);
    }
    if (ring != ring_stack) {
        free(ring);
        free(off);
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
    tm_fcache fc;
    fc.init = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t n = p[i] < 0x80 ? (cp = p[i], 1) : tmi_utf8_decode(s + i, len - i, &cp);
        if (tmi_cflags_c(&fc, cp) & TM_CF_SPACE) {
            if (prev_space || cp != ' ') return 0;
            prev_space = 1;
        } else {
            prev_space = 0;
        }
        i += n;
    }
    return !prev_space || len == 0;
}

tm_error tmi_shingle_chars(const char *s, size_t len, int n_, uint64_t seed, tm_u64s *out) {
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

/* Counts the letters of s and those in no-space scripts. With frac >= 0 it
 * may stop early, every 256 bytes, once the rest of the text cannot move the
 * share across frac: a no-space letter (all at U+0E01 or above) takes at
 * least 3 bytes and any letter at least 1, so with R bytes left the final
 * share lies in [nospace / (letters + R), (nospace + R/3) / (letters + R/3)].
 * It then returns 0 or 1 (share above frac or not), else -1 with the counts
 * of the whole text. The margin keeps an early answer equal to the full
 * computation's `nospace / letters > frac` despite rounding. */
static int nospace_scan(const char *s, size_t len, double frac, size_t *letters_out,
                        size_t *nospace_out) {
    const unsigned char *p = (const unsigned char *)s;
    size_t letters = 0, nospace = 0;
    tm_fcache fc;
    fc.init = 0;
    size_t next_check = frac >= 0 ? 256 : SIZE_MAX;
    int verdict = -1;
#ifdef __SSE2__
    /* per-lane counts of ASCII letters, summed with psadbw (no popcount
     * instruction in baseline x86-64) */
    __m128i acc = _mm_setzero_si128();
#endif
    for (size_t i = 0; i < len;) {
        if (i >= next_check) {
            next_check = i + 256;
            size_t all = letters;
#ifdef __SSE2__
            uint64_t lanes[2];
            _mm_storeu_si128((__m128i *)(void *)lanes, acc);
            all += (size_t)(lanes[0] + lanes[1]);
#endif
            double rest = (double)(len - i), r3 = rest / 3;
            if ((double)nospace + r3 < (frac - 1e-9) * ((double)all + r3)) {
                verdict = 0;
                break;
            }
            if ((double)nospace > (frac + 1e-9) * ((double)all + rest)) {
                verdict = 1;
                break;
            }
        }
#ifdef __SSE2__
        /* 16 ASCII bytes at a time: the ASCII letters (TM_CF_ALPHA below
         * 0x80) are exactly the bytes with c | 0x20 in 'a'..'z' */
        while (len - i >= 16 && i < next_check) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            if (_mm_movemask_epi8(v)) break;
            __m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
            __m128i is = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1)));
            acc = _mm_add_epi64(
                acc, _mm_sad_epu8(_mm_and_si128(is, _mm_set1_epi8(1)), _mm_setzero_si128()));
            i += 16;
        }
        if (i >= len) break;
        if (i >= next_check) continue;
#endif
        if (p[i] < 0x80) {
            letters += (tmi_latin1_flags[p[i]] & TM_CF_ALPHA) != 0;
            i++;
            continue;
        }
        int32_t cp;
        i += tmi_utf8_decode_fast(s + i, len - i, &cp);
        unsigned f = tmi_cflags_c(&fc, cp);
        if (f & TM_CF_ALPHA) {
            letters++;
            nospace += (f & TM_CF_NOSPACE) != 0;
        }
    }
#ifdef __SSE2__
    uint64_t lanes[2];
    _mm_storeu_si128((__m128i *)(void *)lanes, acc);
    letters += (size_t)(lanes[0] + lanes[1]);
#endif
    *letters_out = letters;
    *nospace_out = nospace;
    return verdict;
}

double tmi_nospace_fraction(const char *s, size_t len) {
    size_t letters, nospace;
    nospace_scan(s, len, -1, &letters, &nospace);
    return letters ? (double)nospace / (double)letters : 0.0;
}

int tmi_nospace_exceeds(const char *s, size_t len, double frac) {
    size_t letters, nospace;
    int v = nospace_scan(s, len, frac < 0 ? 0 : frac, &letters, &nospace);
    if (v >= 0) return v;
    return (letters ? (double)nospace / (double)letters : 0.0) > frac;
}
