/*
 * text.h — the Unicode text layer: decoding, character classes with Python's
 * semantics, the three line-splitting conventions, the word tokenizer and the
 * shingler.
 *
 * Everything here works on memory only (never files) and on valid UTF-8
 * (documents are repaired by the readers before they reach this layer).
 * Character classes follow Python 3.11 str methods exactly, because the
 * reference quality filters (datatrove, RedPajama) are written in Python and
 * ../docs/SIGNALS.md promises the same numbers; see quality-signals.md §1.
 * Spans are byte offsets [beg, end) into the input text; span arrays are
 * owned by the caller (zero-initialise, reuse, free with tmi_spans_free).
 */
#ifndef TM_TEXT_H
#define TM_TEXT_H

#include "tamis.h"

#include <stdint.h>

/* ---- UTF-8 ---- */

/* Decodes the code point at s (valid UTF-8, len >= 1); returns its byte
 * length (1..4). On invalid input returns 1 and *cp = 0xFFFD. */
size_t tmi_utf8_decode(const char *s, size_t len, int32_t *cp);
/* tmi_utf8_decode() with the common cases inline: ASCII, the two-byte
 * sequences (Latin, Greek, Cyrillic...) and the three-byte ones other than
 * the leads E0 and ED, whose second byte has a narrower range (punctuation
 * such as U+2019, CJK). Same results; no call per character in the scanning
 * loops of the tokenizer, the shingler and clean. len >= 1. */
static inline size_t tmi_utf8_decode_fast(const char *s, size_t len, int32_t *cp) {
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF && len >= 2 && (p[1] & 0xC0) == 0x80) {
        *cp = (int32_t)(((c & 0x1Fu) << 6) | (p[1] & 0x3Fu));
        return 2;
    }
    if (c >= 0xE1 && c <= 0xEF && c != 0xED && len >= 3 && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80) {
        *cp = (int32_t)(((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu));
        return 3;
    }
    return tmi_utf8_decode(s, len, cp);
}
/* Writes cp as UTF-8 into out (4 bytes room); returns the length. */
size_t tmi_utf8_encode(int32_t cp, char *out);
/* Number of code points in valid UTF-8. */
size_t tmi_utf8_count(const char *s, size_t len);

/* ---- character classes (Python 3.11 semantics, Unicode 15 via utf8proc) ---- */

int tmi_is_space(int32_t cp);   /* str.isspace: exactly 29 code points (§1.2) */
int tmi_is_alpha(int32_t cp);   /* str.isalpha: Lu Ll Lt Lm Lo */
int tmi_is_upper(int32_t cp);   /* Lu or Other_Uppercase */
int tmi_is_lower(int32_t cp);   /* Ll or Other_Lowercase */
int tmi_is_decimal(int32_t cp); /* Nd (re \d) */
int tmi_is_numeric(int32_t cp); /* str.isnumeric, CJK numeral ideographs included */
int tmi_is_alnum(int32_t cp);   /* str.isalnum */
int tmi_is_word(int32_t cp);    /* re \w: isalnum or '_' (no combining marks) */
int tmi_is_punct(int32_t cp);   /* Unicode general category P* */
int tmi_is_symbol(int32_t cp);  /* Unicode general category S* */
int tmi_is_mark(int32_t cp);    /* Mn Mc Me */
int tmi_is_control(int32_t cp); /* Cc */
/* datatrove PUNCTUATION_SET: the 281 code points of quality-signals §2.5. */
int tmi_is_dt_punct(int32_t cp);
/* datatrove TERMINAL_PUNCTUATION (159 code points, §2.5). */
int tmi_is_terminal_punct(int32_t cp);
/* Scripts written without spaces between words: Han, Hiragana, Katakana,
 * Thai, Lao, Khmer, Myanmar, Tibetan (and their extensions). */
int tmi_is_nospace_script(int32_t cp);
int tmi_is_format(int32_t cp); /* Cf (ZWSP, ZWJ/ZWNJ, soft hyphen, BOM...) */

/* All the classes above of one code point in one lookup, as TM_CF_* bits;
 * the hot loops of the signals use this instead of several calls. */
enum {
    TM_CF_SPACE = 1 << 0,
    TM_CF_ALPHA = 1 << 1,
    TM_CF_UPPER = 1 << 2,
    TM_CF_LOWER = 1 << 3,
    TM_CF_DECIMAL = 1 << 4,
    TM_CF_NUMERIC = 1 << 5,
    TM_CF_WORD = 1 << 6, /* \w; alnum = ALPHA|NUMERIC */
    TM_CF_PUNCT = 1 << 7,
    TM_CF_SYMBOL = 1 << 8,
    TM_CF_MARK = 1 << 9,
    TM_CF_CONTROL = 1 << 10,
    TM_CF_DT_PUNCT = 1 << 11,
    TM_CF_TERMINAL = 1 << 12,
    TM_CF_FORMAT = 1 << 13,
    TM_CF_NOSPACE = 1 << 14
};
unsigned tmi_char_flags(int32_t cp);
/* Flags of U+0000..U+00FF; tmi_cflags() inlines that fast path. */
extern const uint16_t tmi_latin1_flags[256];
static inline unsigned tmi_cflags(int32_t cp) {
    return (uint32_t)cp < 256 ? tmi_latin1_flags[cp] : tmi_char_flags(cp);
}

/* tmi_char_flags is a few binary searches (~200 instructions), and a text
 * uses few distinct code points above U+00FF (an alphabet, the common Han
 * characters, typographic quotes): a direct-mapped cache of (code point,
 * flags), owned by one call on its stack and filled on first use, answers
 * most lookups. Zero-initialise it ({0}); a NULL cache means tmi_cflags. */
typedef struct tm_fcache {
    int init;
    int32_t cp[128];
    uint16_t f[128];
} tm_fcache;

static inline unsigned tmi_cflags_c(tm_fcache *c, int32_t cp) {
    if ((uint32_t)cp < 256 || !c) return tmi_cflags(cp);
    if (!c->init) {
        for (int i = 0; i < 128; i++) c->cp[i] = -1;
        c->init = 1;
    }
    unsigned slot = ((uint32_t)cp ^ ((uint32_t)cp >> 7)) & 127u;
    if (c->cp[slot] != cp) {
        c->cp[slot] = cp;
        c->f[slot] = (uint16_t)tmi_char_flags(cp);
    }
    return c->f[slot];
}

/* Python str.isupper() on a whole string: at least one cased code point
 * and none lowercase or titlecase ("USA2", "U.S." are upper; "" is not). */
int tmi_str_isupper(const char *s, size_t len);
/* Python str.lower(): full lowercasing, appended to out (caller-owned);
 * İ U+0130 becomes "i" U+0307 and Σ becomes ς at the end of a word. */
tm_error tmi_lower(const char *s, size_t len, tm_buf *out);

/* ---- spans and line splitting ---- */

typedef struct tm_span {
    size_t beg, end;
} tm_span;

typedef struct tm_spans {
    tm_span *v;
    size_t n, cap;
} tm_spans;

void tmi_spans_free(tm_spans *s);
tm_error tmi_spans_push(tm_spans *s, size_t beg, size_t end);

/* Python str.splitlines(): separators LF VT FF CR FS GS RS NEL LS PS, CRLF
 * as one; no final empty line for a trailing separator. Spans exclude the
 * separator. Replaces the content of out. */
tm_error tmi_split_pylines(const char *s, size_t len, tm_spans *out);
/* Python s.split("\n"): LF only, every piece kept (empty ones too, and a
 * leading/trailing empty piece). */
tm_error tmi_split_lf(const char *s, size_t len, tm_spans *out);
/* Regex [^\n]*\n|[^\n]+$ : each span includes its LF; a final fragment
 * without LF only when non-empty (RedPajama-V2 / Dolma lines). */
tm_error tmi_split_lf_incl(const char *s, size_t len, tm_spans *out);
/* Python re.split("\n+") pieces with empty pieces dropped (Gopher repetition
 * lines) — and tmi_split_paragraphs: re.split("\n{2,}") likewise. Both strip
 * nothing else. */
tm_error tmi_split_lf_runs(const char *s, size_t len, tm_spans *out);
tm_error tmi_split_paragraphs(const char *s, size_t len, tm_spans *out);
/* Python str.split() with no argument: runs of tmi_is_space, no empties. */
tm_error tmi_split_ws(const char *s, size_t len, tm_spans *out);
/* Python str.strip(): narrows [*beg,*end) past tmi_is_space at both ends. */
void tmi_strip(const char *s, size_t *beg, size_t *end);
/* tmi_is_space() of the code point at p (n >= 1 bytes left); *adv receives
 * its length in bytes. */
int tmi_space_at(const char *p, size_t n, size_t *adv);
/* Whether s has a code point that is not Python whitespace. */
int tmi_has_nonspace(const char *s, size_t len);

/* ---- words ---- */

/* The tamis word tokenizer used by the quality signals and word shingles,
 * an allocation-free approximation of datatrove's spaCy tokens (full rules
 * and the differences from spaCy, NLTK, jieba/Sudachi/PyThaiNLP and
 * str.split() in docs/TOKENIZER.md). In order:
 *  - Unicode whitespace (tmi_is_space) separates tokens and is dropped, and so
 *    is a format character (Cf: BOM, ZWSP) that is not inside a word;
 *  - a character of a script written without spaces (Han, Hiragana,
 *    Katakana, Thai, Lao, Khmer, Myanmar, Tibetan letters) is a token of its
 *    own, with the combining marks that follow it;
 *  - a word is a run of \w characters, combining marks and Cf (ZWJ/ZWNJ);
 *    it keeps an inner apostrophe between letters ("don't", "aujourd'hui"),
 *    an inner hyphen between alphanumerics ("well-known", "COVID-19"), an
 *    inner period between alphanumerics unless a lowercase letter precedes
 *    an uppercase one ("U.S.A", "example.com", "3.5"), and an inner comma,
 *    colon or slash between digits ("1,000", "3,50", "10:30", "1/2"); a
 *    French/Italian elision ends the token after its apostrophe ("l'homme"
 *    gives "l'" + "homme", "qu'il" gives "qu'" + "il");
 *  - a run of one repeated ASCII punctuation character is one token ("...",
 *    "--", "!!"); every other character is a token of its own, with its
 *    combining marks (and emoji modifiers and ZWJ sequences after a symbol).
 * Spans are ordered, non-overlapping and never empty. Appends spans to out
 * after clearing it. */
tm_error tmi_tokenize(const char *s, size_t len, tm_spans *out);
/* The same tokens one at a time, with no array: scans from *pos, stores the
 * next token in *tok and advances *pos past it; returns 0 at the end. Start
 * with *pos = 0 (or any token boundary). */
int tmi_token_next(const char *s, size_t len, size_t *pos, tm_span *tok);
/* Up to cap next tokens from *pos into v (caller's array), advancing *pos;
 * returns how many (0 at the end). Faster than tmi_token_next per token. */
size_t tmi_token_batch(const char *s, size_t len, size_t *pos, tm_span *v, size_t cap);
/* Number of tmi_tokenize tokens of s. */
size_t tmi_count_tokens(const char *s, size_t len);

/* ---- shingles (for dedup) ---- */

typedef struct tm_u64s {
    uint64_t *v;
    size_t n, cap;
} tm_u64s;

void tmi_u64s_free(tm_u64s *a);

/* Hashes of every word n-gram of the tmi_tokenize tokens of s (which should
 * already be normalised), n >= 1, computed as XXH3_64bits_withSeed over the
 * n token byte strings joined by one space. Texts with fewer than n tokens
 * yield one shingle of all their tokens (none if empty). Replaces out, which
 * the caller owns and frees with tmi_u64s_free. Fastest on text that went
 * through tm_normalize(TM_NORM_WS | TM_NORM_PUNCT): its windows are hashed
 * in place. TM_ERR_ARG when n < 1. */
tm_error tmi_shingle_words(const char *s, size_t len, int n, uint64_t seed, tm_u64s *out);
/* Hashes (XXH3_64bits_withSeed) of every n-code-point window of s with
 * whitespace runs collapsed to one space and both ends stripped, as
 * tm_normalize(TM_NORM_WS) does (texts shorter than n give one shingle;
 * empty gives none). Text already in that form is hashed in place; other
 * text is collapsed into a temporary copy first. Replaces out. */
tm_error tmi_shingle_chars(const char *s, size_t len, int n, uint64_t seed, tm_u64s *out);
/* Fraction (0..1) of letters of s that belong to tmi_is_nospace_script
 * scripts; the dedup stage switches to character shingles above 0.3. */
double tmi_nospace_fraction(const char *s, size_t len);
/* tmi_nospace_fraction(s, len) > frac, the same answer, read only as far as
 * needed to know it (half of a long Latin or Han text, typically). */
int tmi_nospace_exceeds(const char *s, size_t len, double frac);

#endif
