/*
 * test_tokenize.c — known answers for the text layer's splitting: the three
 * line-splitting conventions (quality-signals.md §1), the word tokenizer per
 * script (with its general path as the differential oracle on random tricky
 * text), shingles (checked against XXH3 of the joined string) and the share
 * of no-space scripts.
 */
#include "testutil.h"

#include "text/text.h"
#include "util/buf.h"

#include <xxhash.h>

/* Not in text.h: the word tokenizer without its fast paths. */
int tmi_token_next_general(const char *s, size_t len, size_t *pos, tm_span *tok);

/* ---- lines ---- */

static void check_spans(const char *s, const tm_spans *sp, const char *const *want, size_t n) {
    assert_int_equal(sp->n, n);
    for (size_t i = 0; i < n; i++) {
        size_t l = sp->v[i].end - sp->v[i].beg;
        assert_int_equal(l, strlen(want[i]));
        assert_memory_equal(s + sp->v[i].beg, want[i], l);
    }
}

#define SPLIT(fn, lit, ...)                                                                        \
    do {                                                                                           \
        static const char *const w_[] = {__VA_ARGS__};                                             \
        assert_int_equal(fn(lit, sizeof(lit) - 1, &sp), TM_OK);                                    \
        check_spans(lit, &sp, w_, sizeof w_ / sizeof w_[0]);                                       \
    } while (0)
#define SPLIT0(fn, lit)                                                                            \
    do {                                                                                           \
        assert_int_equal(fn(lit, sizeof(lit) - 1, &sp), TM_OK);                                    \
        assert_int_equal(sp.n, 0);                                                                 \
    } while (0)

static void test_lines(void **state) {
    (void)state;
    tm_spans sp = {0};
    SPLIT0(tmi_split_pylines, "");
    SPLIT(tmi_split_pylines, "\n", "");
    SPLIT(tmi_split_pylines, "a\n\nb", "a", "", "b");
    SPLIT(tmi_split_pylines, "a\r\nb\r\n", "a", "b");
    SPLIT(tmi_split_pylines, "a\r\rb", "a", "", "b");
    SPLIT(tmi_split_pylines,
          "a\vb\fc\x1c"
          "d\x1d"
          "e\x1e"
          "f\x1fg",
          "a", "b", "c", "d", "e", "f\x1fg"); /* U+001F is not a line separator */
    SPLIT(tmi_split_pylines,
          "a\xC2\x85"
          "b\xE2\x80\xA8"
          "c\xE2\x80\xA9"
          "d\xE2\x80\xAA",
          "a", "b", "c", "d\xE2\x80\xAA");
    SPLIT(tmi_split_lf, "", "");
    SPLIT(tmi_split_lf, "\na\n", "", "a", "");
    SPLIT(tmi_split_lf, "a\r\nb", "a\r", "b");
    SPLIT(tmi_split_lf, "a\n\nb", "a", "", "b");
    SPLIT0(tmi_split_lf_incl, "");
    SPLIT(tmi_split_lf_incl, "a\n\n", "a\n", "\n");
    SPLIT(tmi_split_lf_incl, "a\nb", "a\n", "b");
    SPLIT(tmi_split_lf_incl, "\n", "\n");
    SPLIT(tmi_split_lf_runs, "\n\na\n\n\nb\r\n", "a", "b\r");
    SPLIT0(tmi_split_lf_runs, "\n\n");
    SPLIT(tmi_split_paragraphs, "a\nb\n\nc\n\n\n", "a\nb", "c");
    SPLIT(tmi_split_paragraphs, "a\r\n\r\nb", "a\r\n\r\nb"); /* CRLF CRLF is no break */
    SPLIT(tmi_split_paragraphs, "\n\nx\n", "x\n");
    SPLIT0(tmi_split_ws, "");
    SPLIT0(tmi_split_ws, " \t\xE3\x80\x80 ");
    SPLIT(tmi_split_ws,
          " a\xC2\xA0"
          "b\xE3\x80\x80 c\xE2\x80\x8B"
          "d\xEF\xBB\xBF ",
          "a", "b",
          "c\xE2\x80\x8B"
          "d\xEF\xBB\xBF");
    const char *t = "\xE2\x80\x83 x y\t\n\xC2\x85";
    size_t b = 0, e = strlen(t);
    tmi_strip(t, &b, &e);
    assert_int_equal(b, 4);
    assert_int_equal(e, 7);
    b = 0;
    e = 3;
    tmi_strip(" \t ", &b, &e);
    assert_int_equal(b, e);
    tmi_spans_free(&sp);
}

/* ---- tokenizer ---- */

#define TOK(lit, ...) SPLIT(tmi_tokenize, lit, __VA_ARGS__)

static void test_tokenize(void **state) {
    (void)state;
    tm_spans sp = {0};
    SPLIT0(tmi_tokenize, "");
    SPLIT0(tmi_tokenize, " \n\t\xEF\xBB\xBF ");
    TOK("Don't stop... it's 3,50 \xE2\x82\xAC!", "Don't", "stop", "...", "it's", "3,50",
        "\xE2\x82\xAC", "!");
    TOK("The well-known U.S.A. (e.g. 1,000.5) end.Next", "The", "well-known", "U.S.A", ".", "(",
        "e.g", ".", "1,000.5", ")", "end", ".", "Next");
    TOK("a--b -- 'x' \"y\" 10:30 1/2 and/or", "a", "--", "b", "--", "'", "x", "'", "\"", "y", "\"",
        "10:30", "1/2", "and", "/", "or");
    TOK("$5 50% #tag __init__ snake_case students'", "$", "5", "50", "%", "#", "tag", "__init__",
        "snake_case", "students", "'");
    /* French elision */
    TOK("L'homme qu'il aime aujourd'hui l\xE2\x80\x99"
        "eau",
        "L'", "homme", "qu'", "il", "aime", "aujourd'hui", "l\xE2\x80\x99", "eau");
    /* Chinese: one token per ideograph; digits stay a number */
    TOK("\xE6\x88\x91\xE7\x88\xB1\xE5\x8C\x97\xE4\xBA\xAC\xE3\x80\x82"
        "2023\xE5\xB9\xB4",
        "\xE6\x88\x91", "\xE7\x88\xB1", "\xE5\x8C\x97", "\xE4\xBA\xAC", "\xE3\x80\x82", "2023",
        "\xE5\xB9\xB4");
    /* Japanese: 日本語のテキスト、 */
    TOK("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9"
        "\xE3\x83\x88\xE3\x80\x81",
        "\xE6\x97\xA5", "\xE6\x9C\xAC", "\xE8\xAA\x9E", "\xE3\x81\xAE", "\xE3\x83\x86",
        "\xE3\x82\xAD", "\xE3\x82\xB9", "\xE3\x83\x88", "\xE3\x80\x81");
    /* Thai: สวัสดี — vowel marks stay with their consonant; Thai digits are one number */
    TOK("\xE0\xB8\xAA\xE0\xB8\xA7\xE0\xB8\xB1\xE0\xB8\xAA\xE0\xB8\x94\xE0\xB8\xB5 "
        "\xE0\xB9\x92\xE0\xB9\x95",
        "\xE0\xB8\xAA", "\xE0\xB8\xA7\xE0\xB8\xB1", "\xE0\xB8\xAA", "\xE0\xB8\x94\xE0\xB8\xB5",
        "\xE0\xB9\x92\xE0\xB9\x95");
    /* Arabic: مرحبا بالعالم! */
    TOK("\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xD8\xA8\xD8\xA7\xD9\x84\xD8\xB9\xD8\xA7\xD9\x84"
        "\xD9\x85!",
        "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7",
        "\xD8\xA8\xD8\xA7\xD9\x84\xD8\xB9\xD8\xA7\xD9\x84\xD9\x85", "!");
    /* Russian: Привет, мир! Ёлки-палки. */
    TOK("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, \xD0\xBC\xD0\xB8\xD1\x80! "
        "\xD0\x81\xD0\xBB\xD0\xBA\xD0\xB8-\xD0\xBF\xD0\xB0\xD0\xBB\xD0\xBA\xD0\xB8.",
        "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82", ",", "\xD0\xBC\xD0\xB8\xD1\x80", "!",
        "\xD0\x81\xD0\xBB\xD0\xBA\xD0\xB8-\xD0\xBF\xD0\xB0\xD0\xBB\xD0\xBA\xD0\xB8", ".");
    /* decomposed accents and Persian ZWNJ stay inside the word */
    TOK("cafe\xCC\x81 \xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB1\xD9\x88\xD9\x85", "cafe\xCC\x81",
        "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB1\xD9\x88\xD9\x85");
    /* emoji: skin tone, variation selector, flag, ZWJ family */
    TOK("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD\xE2\x9D\xA4\xEF\xB8\x8F\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7o"
        "k",
        "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", "\xE2\x9D\xA4\xEF\xB8\x8F",
        "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7", "ok");
    /* Hangul is space-delimited: words */
    TOK("\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 \xEB\xAC\xB8\xEC\x9E\xA5",
        "\xED\x95\x9C\xEA\xB5\xAD"
        "\xEC\x96\xB4",
        "\xEB\xAC\xB8\xEC\x9E\xA5");
    assert_int_equal(tmi_count_tokens("Don't stop... now!", 18), 5);
    /* the iterator gives the same spans */
    const char *s = "Hello, world... \xE4\xB8\xAD\xE6\x96\x87 ok";
    assert_int_equal(tmi_tokenize(s, strlen(s), &sp), TM_OK);
    size_t pos = 0, k = 0;
    tm_span t;
    while (tmi_token_next(s, strlen(s), &pos, &t)) {
        assert_true(k < sp.n);
        assert_int_equal(t.beg, sp.v[k].beg);
        assert_int_equal(t.end, sp.v[k].end);
        k++;
    }
    assert_int_equal(k, sp.n);
    tmi_spans_free(&sp);
}

/* Random strings of tricky pieces: the fast paths (ASCII runs, the
 * non-punctuation stop byte, the flags cache, batches) must give the spans
 * of the general path, and word shingles the hashes of those tokens joined
 * by one space (windows past the shingler's 4 KB join buffer included). */
static const char *const tricky[] = {
    "a",
    "Z",
    "q",
    "7",
    "0",
    "_",
    "ab",
    "Cd",
    "x.Y",
    "3,5",
    "l'",
    "qu'",
    "Jusqu'",
    "'",
    "-",
    ".",
    ",",
    ":",
    "/",
    "!",
    "!!",
    "...",
    "$",
    "%",
    "(",
    "\"",
    " ",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\x01",
    "\x7F",
    "\xC3\xA9",     /* é */
    "\xC3\x89",     /* É */
    "\xC2\xA0",     /* NBSP */
    "\xC2\xB2",     /* superscript two */
    "\xE2\x80\x99", /* right single quote */
    "\xCA\xBC",     /* modifier apostrophe */
    "\xE2\x80\x90", /* hyphen */
    "\xE2\x80\xA6", /* ellipsis */
    "\xE4\xB8\xAD",
    "\xE6\x96\x87", /* CJK */
    "\xE3\x83\x86", /* katakana */
    "\xE0\xB8\x81",
    "\xE0\xB8\xB1", /* Thai letter, vowel mark */
    "\xD0\xBF",
    "\xD9\x85", /* Cyrillic, Arabic */
    "\xCC\x81",
    "\xCC\x81\xCC\x88", /* combining marks */
    "\xE2\x80\x8B",
    "\xE2\x80\x8C",     /* ZWSP, ZWNJ */
    "\xEF\xBB\xBF",     /* BOM */
    "\xF0\x9F\x98\x80", /* emoji */
    "\xF0\x9F\x8F\xBB", /* skin tone */
    "\xE2\x80\x8D",     /* ZWJ */
    "\xF0\x9F\x87\xAB", /* regional indicator */
    "\xEF\xB8\x8F",     /* variation selector */
    "\xD9\xA3",         /* Arabic-Indic three */
    "\x80",
    "\xE0",
    "\xED\xA0\x80", /* invalid UTF-8 */
};

static uint64_t rng_next(uint64_t *x) {
    /* xorshift64* */
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 0x2545F4914F6CDD1DULL;
}

static void random_tricky(tm_buf *b, uint64_t *rng, uint64_t long_odds) {
    tmi_buf_reset(b);
    size_t pieces = (size_t)(rng_next(rng) % 48);
    for (size_t i = 0; i < pieces; i++) {
        uint64_t r = rng_next(rng);
        if (r % long_odds == 0) {
            /* long words: a few of them overflow the join buffer */
            size_t n = 200 + (size_t)(r >> 32) % 4200;
            for (size_t k = 0; k < n; k++) tmi_buf_putc(b, (char)('a' + k % 26));
            continue;
        }
        tmi_buf_puts(b, tricky[(r >> 8) % (sizeof tricky / sizeof *tricky)]);
    }
}

static void test_tokenize_differential(void **state) {
    (void)state;
    tm_buf b = {0}, j = {0};
    tm_spans sp = {0}, ref = {0};
    tm_u64s sh = {0};
    tm_span batch[3];
    uint64_t rng = 0x9E3779B97F4A7C15ULL;
    for (int iter = 0; iter < 20000; iter++) {
        random_tricky(&b, &rng, iter % 16 ? 400 : 3);
        const char *s = b.data ? b.data : "";
        size_t len = b.len, pos = 0;
        tm_span t;
        ref.n = 0;
        while (tmi_token_next_general(s, len, &pos, &t))
            assert_int_equal(tmi_spans_push(&ref, t.beg, t.end), TM_OK);
        assert_int_equal(tmi_tokenize(s, len, &sp), TM_OK);
        assert_int_equal(sp.n, ref.n);
        if (ref.n) assert_memory_equal(sp.v, ref.v, ref.n * sizeof *ref.v);
        assert_int_equal(tmi_count_tokens(s, len), ref.n);
        size_t k = 0, got;
        pos = 0;
        while (tmi_token_next(s, len, &pos, &t)) {
            assert_true(k < ref.n && t.beg == ref.v[k].beg && t.end == ref.v[k].end);
            k++;
        }
        assert_int_equal(k, ref.n);
        k = 0;
        pos = 0;
        while ((got = tmi_token_batch(s, len, &pos, batch, 3)) > 0) {
            for (size_t i = 0; i < got; i++, k++)
                assert_true(k < ref.n && batch[i].beg == ref.v[k].beg &&
                            batch[i].end == ref.v[k].end);
        }
        assert_int_equal(k, ref.n);
        /* the nospace share, from a plain decode-and-classify loop */
        size_t letters = 0, nospace = 0;
        for (size_t i = 0; i < len;) {
            int32_t cp;
            i += tmi_utf8_decode(s + i, len - i, &cp);
            unsigned f = tmi_cflags(cp);
            letters += (f & TM_CF_ALPHA) != 0;
            nospace += (f & TM_CF_ALPHA) && (f & TM_CF_NOSPACE);
        }
        assert_true(tmi_nospace_fraction(s, len) ==
                    (letters ? (double)nospace / (double)letters : 0.0));
        /* word shingles of the reference tokens */
        int n = 1 + (int)(rng_next(&rng) % 4);
        assert_int_equal(tmi_shingle_words(s, len, n, 5, &sh), TM_OK);
        size_t nw = ref.n == 0 ? 0 : ref.n < (size_t)n ? 1 : ref.n - (size_t)n + 1;
        assert_int_equal(sh.n, nw);
        for (size_t w = 0; w < nw; w++) {
            tmi_buf_reset(&j);
            for (size_t i = w; i < w + (size_t)n && i < ref.n; i++) {
                if (i > w) tmi_buf_putc(&j, ' ');
                tmi_buf_append(&j, s + ref.v[i].beg, ref.v[i].end - ref.v[i].beg);
            }
            assert_true(sh.v[w] == XXH3_64bits_withSeed(j.data, j.len, 5));
        }
    }
    tm_buf_free(&b);
    tm_buf_free(&j);
    tmi_spans_free(&sp);
    tmi_spans_free(&ref);
    tmi_u64s_free(&sh);
}

/* ---- shingles ---- */

static uint64_t h(const char *s, uint64_t seed) {
    return XXH3_64bits_withSeed(s, strlen(s), seed);
}

static void test_shingle_words(void **state) {
    (void)state;
    tm_u64s a = {0}, b = {0};
    const char *s = "the quick brown fox";
    assert_int_equal(tmi_shingle_words(s, strlen(s), 2, 7, &a), TM_OK);
    assert_int_equal(a.n, 3);
    assert_true(a.v[0] == h("the quick", 7));
    assert_true(a.v[1] == h("quick brown", 7));
    assert_true(a.v[2] == h("brown fox", 7));
    /* whitespace differences do not change shingles */
    const char *s2 = "  the\tquick \n\n brown\xC2\xA0\xC2\xA0"
                     "fox ";
    assert_int_equal(tmi_shingle_words(s2, strlen(s2), 2, 7, &b), TM_OK);
    assert_int_equal(b.n, 3);
    assert_memory_equal(a.v, b.v, 3 * sizeof(uint64_t));
    /* punctuation tokens are joined with a space too */
    assert_int_equal(tmi_shingle_words("hello, world", 12, 2, 0, &a), TM_OK);
    assert_int_equal(a.n, 2);
    assert_true(a.v[0] == h("hello ,", 0));
    assert_true(a.v[1] == h(", world", 0));
    /* fewer tokens than n: one shingle; empty: none */
    assert_int_equal(tmi_shingle_words("a b", 3, 5, 1, &a), TM_OK);
    assert_int_equal(a.n, 1);
    assert_true(a.v[0] == h("a b", 1));
    assert_int_equal(tmi_shingle_words("a\tb", 3, 5, 1, &a), TM_OK);
    assert_true(a.n == 1 && a.v[0] == h("a b", 1));
    assert_int_equal(tmi_shingle_words("  ", 2, 3, 1, &a), TM_OK);
    assert_int_equal(a.n, 0);
    assert_int_equal(tmi_shingle_words("x", 1, 0, 1, &a), TM_ERR_ARG);
    /* n = 1 */
    assert_int_equal(tmi_shingle_words("a  bc", 5, 1, 3, &a), TM_OK);
    assert_true(a.n == 2 && a.v[0] == h("a", 3) && a.v[1] == h("bc", 3));
    /* n > 64 (heap ring) and windows longer than the join buffer (streaming) */
    tm_buf t = {0}, j = {0};
    for (int i = 0; i < 100; i++) tmi_buf_printf(&t, "w%03d%s", i, i % 7 ? " " : "\t\t");
    assert_int_equal(tmi_shingle_words(t.data, t.len, 70, 9, &a), TM_OK);
    assert_int_equal(a.n, 31);
    for (int w = 0; w < 31; w += 30) {
        tmi_buf_reset(&j);
        for (int i = w; i < w + 70; i++) tmi_buf_printf(&j, "%sw%03d", i > w ? " " : "", i);
        assert_true(a.v[w] == XXH3_64bits_withSeed(j.data, j.len, 9));
    }
    /* the in-place and joined paths agree window by window */
    tmi_buf_reset(&t);
    for (int i = 0; i < 40; i++) tmi_buf_printf(&t, "%s%c", i % 5 ? " " : "  ", 'a' + i % 26);
    assert_int_equal(tmi_shingle_words(t.data, t.len, 3, 2, &a), TM_OK);
    assert_int_equal(a.n, 38);
    for (int w = 0; w < 38; w++) {
        char want[8] = {(char)('a' + w % 26),       ' ', (char)('a' + (w + 1) % 26), ' ',
                        (char)('a' + (w + 2) % 26), 0};
        assert_true(a.v[w] == h(want, 2));
    }
    tm_buf_free(&t);
    tm_buf_free(&j);
    tmi_u64s_free(&a);
    tmi_u64s_free(&b);
}

static void test_shingle_chars(void **state) {
    (void)state;
    tm_u64s a = {0}, b = {0};
    assert_int_equal(tmi_shingle_chars("abcd", 4, 3, 5, &a), TM_OK);
    assert_int_equal(a.n, 2);
    assert_true(a.v[0] == h("abc", 5) && a.v[1] == h("bcd", 5));
    assert_int_equal(tmi_shingle_chars(" ab \t\nc\n", 8, 3, 5, &b), TM_OK); /* → "ab c" */
    assert_int_equal(b.n, 2);
    assert_true(b.v[0] == h("ab ", 5) && b.v[1] == h("b c", 5));
    const char *jp =
        "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xA7\xE3\x81\x99"; /* 日本語です */
    assert_int_equal(tmi_shingle_chars(jp, strlen(jp), 2, 0, &a), TM_OK);
    assert_int_equal(a.n, 4);
    assert_true(a.v[0] == h("\xE6\x97\xA5\xE6\x9C\xAC", 0));
    assert_true(a.v[3] == h("\xE3\x81\xA7\xE3\x81\x99", 0));
    assert_int_equal(tmi_shingle_chars("ab", 2, 5, 0, &a), TM_OK);
    assert_true(a.n == 1 && a.v[0] == h("ab", 0));
    assert_int_equal(tmi_shingle_chars(" \n ", 3, 5, 0, &a), TM_OK);
    assert_int_equal(a.n, 0);
    assert_int_equal(tmi_shingle_chars("", 0, 5, 0, &a), TM_OK);
    assert_int_equal(a.n, 0);
    tmi_u64s_free(&a);
    tmi_u64s_free(&b);
}

static void test_nospace_fraction(void **state) {
    (void)state;
    const char *s = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E abc, 123";
    assert_close(tmi_nospace_fraction(s, strlen(s)), 0.5, 1e-12);
    assert_close(tmi_nospace_fraction("", 0), 0.0, 0);
    assert_close(tmi_nospace_fraction("hello", 5), 0.0, 0);
    const char *th = "\xE0\xB8\xAA\xE0\xB8\xA7\xE0\xB8\xB1"; /* ส ว + mark: 2 letters */
    assert_close(tmi_nospace_fraction(th, strlen(th)), 1.0, 0);
    assert_int_equal(tmi_nospace_exceeds(s, strlen(s), 0.3), 1);
    assert_int_equal(tmi_nospace_exceeds(s, strlen(s), 0.5), 0);
    assert_int_equal(tmi_nospace_exceeds("", 0, 0.3), 0);
    /* The early answer of tmi_nospace_exceeds equals the full share's, on
     * texts long enough to stop early (up to 40 KiB) whose share of Han,
     * Thai and kana letters among Latin, Cyrillic, digits and spaces lands
     * on both sides of, and right at, the threshold. */
    static const char *const pieces[] = {
        "word ",        "Abc ",         "\xD0\xB6\xD0\xB8 ", "12 ",
        ", ",           "\n", /* Latin, Cyrillic, other */
        "\xE4\xB8\xAD", "\xE0\xB8\x81", "\xE3\x81\x82",      "\xE6\x96\x87\xE5\xAD\x97"};
    uint64_t rng = 77;
    tm_buf t = {0};
    int yes = 0, no = 0;
    for (int round = 0; round < 400; round++) {
        tmi_buf_reset(&t);
        size_t target = 1 + (size_t)(rng_next(&rng) % 40000);
        unsigned bias = 1 + (unsigned)(rng_next(&rng) % 9); /* no-space pieces per 10 */
        while (t.len < target) {
            uint64_t r = rng_next(&rng);
            size_t k = (r % 10) < bias ? 6 + (size_t)((r >> 8) % 4) : (size_t)((r >> 8) % 6);
            tmi_buf_puts(&t, pieces[k]);
        }
        /* late no-space runs: the part an early stop does not read decides */
        if (round % 4 == 0)
            for (int k = 0; k < 300; k++) tmi_buf_puts(&t, pieces[6]);
        for (int f = 0; f < 3; f++) {
            double frac = f == 0 ? 0.3 : f == 1 ? 0.5 : tmi_nospace_fraction(t.data, t.len);
            int want = tmi_nospace_fraction(t.data, t.len) > frac;
            assert_int_equal(tmi_nospace_exceeds(t.data, t.len, frac), want);
            yes += want;
            no += !want;
        }
    }
    assert_true(yes > 100 && no > 100);
    tm_buf_free(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_tokenize),
        cmocka_unit_test(test_tokenize_differential),
        cmocka_unit_test(test_shingle_words),
        cmocka_unit_test(test_shingle_chars),
        cmocka_unit_test(test_nospace_fraction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
