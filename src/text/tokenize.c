/*
 * tokenize.c — the tamis word tokenizer (rules and rationale in
 * docs/TOKENIZER.md).
 *
 * The quality signals of datatrove count spaCy tokens: words with the
 * punctuation split off, each punctuation mark a token. This is a one-pass,
 * allocation-free approximation of that for space-delimited scripts, plus
 * one token per character (with its combining marks) for the scripts
 * written without spaces, where the references run dictionary segmenters
 * (jieba, Sudachi, PyThaiNLP) that tamis does not carry. A token never
 * depends on text before its first byte, so tokenizing can restart at any
 * token boundary (the shingler relies on this only through tmi_token_next).
 */
#include "text/text.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define LETTERISH (TM_CF_ALPHA | TM_CF_MARK)
#define ALNUM     (TM_CF_ALPHA | TM_CF_NUMERIC)

/* A nospace-script character that is a token by itself: letters, marks and
 * numerals of those scripts, not their digits, punctuation or symbols. */
static inline int nospace_char(unsigned f) {
    return (f & TM_CF_NOSPACE) && !(f & (TM_CF_DECIMAL | TM_CF_PUNCT | TM_CF_SYMBOL));
}

/* Skips combining marks (and variation selectors, which are Mn) after i. */
static size_t absorb_marks(const char *s, size_t i, size_t len, tm_fcache *fc) {
    while (i < len && (unsigned char)s[i] >= 0xCC) {
        int32_t cp;
        size_t n = tmi_utf8_decode_fast(s + i, len - i, &cp);
        if (!(tmi_cflags_c(fc, cp) & TM_CF_MARK)) break;
        i += n;
    }
    return i;
}

/* After a non-ASCII symbol: emoji modifiers, keycaps, ZWJ sequences and
 * regional-indicator pairs stay in the token. */
static size_t absorb_emoji(const char *s, size_t i, size_t len, int32_t first, tm_fcache *fc) {
    int ri = first >= 0x1F1E6 && first <= 0x1F1FF;
    for (;;) {
        i = absorb_marks(s, i, len, fc);
        if (i >= len) return i;
        int32_t cp;
        size_t n = tmi_utf8_decode_fast(s + i, len - i, &cp);
        if (cp >= 0x1F3FB && cp <= 0x1F3FF) {
            i += n;
        } else if (ri && cp >= 0x1F1E6 && cp <= 0x1F1FF) {
            i += n;
            ri = 0;
        } else if (cp == 0x200D && i + n < len) {
            int32_t c2;
            size_t n2 = tmi_utf8_decode_fast(s + i + n, len - (i + n), &c2);
            if (!(tmi_cflags_c(fc, c2) & TM_CF_SYMBOL)) return i;
            i += n + n2;
        } else {
            return i;
        }
    }
}

/* ASCII bytes with TM_CF_WORD (\w: digits, letters, '_'); the run loop
 * tests one table entry per byte. */
static const uint8_t ascii_word[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['_'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,
    ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,
    ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1,
    ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,
    ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1,
    ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1};

static inline int is_apostrophe(int32_t cp) {
    return cp == '\'' || cp == 0x2019 || cp == 0x2BC;
}
static inline int is_hyphen(int32_t cp) {
    return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

/* French and Italian elided articles and conjunctions ("l'", "qu'",
 * "dell'"): the apostrophe ends the token, as spaCy's fr/it exceptions do. */
static int is_elision(const char *w, size_t n) {
    /* lengths stored: this runs at every apostrophe inside a word */
    static const struct {
        unsigned char n;
        char w[7];
    } words[] = {{1, "c"},      {1, "d"},      {1, "j"},      {1, "l"},    {1, "m"},
                 {1, "n"},      {1, "s"},      {1, "t"},      {2, "qu"},   {5, "jusqu"},
                 {6, "lorsqu"}, {6, "puisqu"}, {6, "quoiqu"}, {4, "dell"}, {4, "dall"},
                 {4, "nell"},   {4, "sull"},   {3, "all"},    {2, "un"},   {5, "quest"},
                 {5, "quell"}};
    char low[8];
    if (n == 0 || n > 6) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c >= 0x80) return 0;
        low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (words[k].n == n && memcmp(words[k].w, low, n) == 0) return 1;
    return 0;
}

/*
 * Whether the joiner j between prev (flags pf) and next (flags nf) stays
 * inside a word: apostrophes between a letter and a letter; hyphens between
 * alphanumerics; periods between alphanumerics except at a lower→upper
 * change ("end.Next" is two sentences, "U.S.A" and "example.com" are one
 * token); comma, colon and slash between digits ("3,50" "10:30" "1/2").
 */
static int joins(int32_t j, unsigned pf, unsigned nf) {
    if (nf & TM_CF_NOSPACE) return 0;
    if (is_apostrophe(j)) return (pf & LETTERISH) && (nf & TM_CF_ALPHA);
    if (is_hyphen(j)) return (pf & (ALNUM | TM_CF_MARK)) && (nf & ALNUM);
    if (j == '.')
        return (pf & (ALNUM | TM_CF_MARK)) && (nf & ALNUM) &&
               !((pf & TM_CF_LOWER) && (nf & TM_CF_UPPER));
    if (j == ',' || j == ':' || j == '/') return (pf & TM_CF_DECIMAL) && (nf & TM_CF_DECIMAL);
    return 0;
}

/* End of the run of ASCII word characters from j. With SSE2, 16 bytes are
 * classified at once (the letters are exactly the bytes with c | 0x20 in
 * 'a'..'z'; bytes >= 0x80 compare as negative), which also spares the
 * mispredicted branch at the end of every word. */
static inline size_t ascii_word_run(const char *s, size_t j, size_t len) {
#ifdef __SSE2__
    while (len - j >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
        __m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
        __m128i w =
            _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(l, _mm_set1_epi8('z' + 1))),
                         _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                                    _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1))),
                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
        unsigned m = (unsigned)_mm_movemask_epi8(w) ^ 0xFFFFu;
        if (m) return j + (size_t)__builtin_ctz(m);
        j += 16;
    }
#endif
    while (j < len && ascii_word[(unsigned char)s[j]]) j++;
    return j;
}

/* The tokenizer proper; inlined into the loops below, where the call per
 * token cost as much as scanning a short word. fast = 0 is the general
 * path, every character decoded and classified one by one, which the fast
 * paths (runs of ASCII word characters, an ASCII non-punctuation byte
 * ending a word, the flags cache) must match token for token; the unit
 * test compares both on random strings through tmi_token_next_general. */
__attribute__((always_inline)) static inline int token_next(const char *s, size_t len, size_t *pos,
                                                            tm_span *tok, tm_fcache *fc, int fast) {
    size_t i = *pos, n = 0;
    int32_t cp = 0;
    unsigned f = 0;
    while (i < len) {
        n = tmi_utf8_decode_fast(s + i, len - i, &cp);
        f = tmi_cflags_c(fc, cp);
        /* whitespace separates; a format character outside a word (BOM,
         * stray ZWSP) is dropped like it */
        if (!(f & (TM_CF_SPACE | TM_CF_FORMAT))) break;
        i += n;
    }
    if (i >= len) {
        *pos = len;
        return 0;
    }
    size_t beg = i;
    i += n;
    if (nospace_char(f)) {
        i = absorb_marks(s, i, len, fc);
    } else if (f & (TM_CF_WORD | TM_CF_MARK)) {
        unsigned pf = f;
        while (i < len) {
            /* plain ASCII word characters: no decoding, no joiner rules;
             * after them an ASCII byte that is neither a word character
             * nor punctuation (space, control, symbol) ends the token */
            if (fast && ascii_word[(unsigned char)s[i]]) {
                size_t j = i + 1;
                j = ascii_word_run(s, j, len);
                pf = tmi_latin1_flags[(unsigned char)s[j - 1]];
                i = j;
                if (j < len && (unsigned char)s[j] < 0x80 &&
                    !(tmi_latin1_flags[(unsigned char)s[j]] &
                      (TM_CF_PUNCT | TM_CF_WORD | TM_CF_MARK | TM_CF_FORMAT)))
                    break;
                continue;
            }
            int32_t c2;
            size_t n2 = tmi_utf8_decode_fast(s + i, len - i, &c2);
            unsigned f2 = tmi_cflags_c(fc, c2);
            if (nospace_char(f2) && !(f2 & TM_CF_MARK)) break;
            if (f2 & (TM_CF_WORD | TM_CF_MARK | TM_CF_FORMAT)) {
                i += n2;
                if (!(f2 & TM_CF_FORMAT)) pf = f2;
                continue;
            }
            if (!(f2 & TM_CF_PUNCT) || i + n2 >= len) break;
            int32_t c3;
            size_t n3 = tmi_utf8_decode_fast(s + i + n2, len - (i + n2), &c3);
            unsigned f3 = tmi_cflags_c(fc, c3);
            if (!joins(c2, pf, f3)) break;
            if (is_apostrophe(c2) && is_elision(s + beg, i - beg)) {
                i += n2;
                break;
            }
            i += n2 + n3;
            pf = f3;
        }
    } else if (cp < 0x80) {
        /* a run of the same ASCII punctuation ("...", "--", "!!") */
        while (i < len && s[i] == (char)cp) i++;
        if (i < len && (unsigned char)s[i] >= 0xCC) i = absorb_marks(s, i, len, fc);
    } else if (f & TM_CF_SYMBOL) {
        i = absorb_emoji(s, i, len, cp, fc);
    } else {
        i = absorb_marks(s, i, len, fc);
    }
    tok->beg = beg;
    tok->end = i;
    *pos = i;
    return 1;
}

int tmi_token_next(const char *s, size_t len, size_t *pos, tm_span *tok) {
    return token_next(s, len, pos, tok, NULL, 1);
}

/* Not in text.h: the general path alone, for the unit test. */
int tmi_token_next_general(const char *s, size_t len, size_t *pos, tm_span *tok);
int tmi_token_next_general(const char *s, size_t len, size_t *pos, tm_span *tok) {
    return token_next(s, len, pos, tok, NULL, 0);
}

size_t tmi_token_batch(const char *s, size_t len, size_t *pos, tm_span *v, size_t cap) {
    tm_fcache fc;
    fc.init = 0;
    size_t k = 0;
    while (k < cap && token_next(s, len, pos, &v[k], &fc, 1)) k++;
    return k;
}

tm_error tmi_tokenize(const char *s, size_t len, tm_spans *out) {
    size_t pos = 0;
    tm_span t;
    tm_fcache fc;
    fc.init = 0;
    out->n = 0;
    while (token_next(s, len, &pos, &t, &fc, 1)) {
        if (out->n < out->cap)
            out->v[out->n++] = t; /* tmi_spans_push only to grow */
        else if (tmi_spans_push(out, t.beg, t.end))
            return TM_ERR_NOMEM;
    }
    return TM_OK;
}

size_t tmi_count_tokens(const char *s, size_t len) {
    size_t pos = 0, n = 0;
    tm_span t;
    tm_fcache fc;
    fc.init = 0;
    while (token_next(s, len, &pos, &t, &fc, 1)) n++;
    return n;
}
