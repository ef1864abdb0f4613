/*
 * test_text.c — known answers for the text layer: UTF-8 repair (Unicode
 * Table 3-8 / WHATWG replacement counts), normalisation, Python 3.11
 * character classes and line splitting (quality-signals.md §1), datatrove's
 * punctuation sets (§2.5), the word tokenizer per script, and shingles
 * (checked against XXH3 of the joined string).
 */
#include "testutil.h"

#include "text/text.h"
#include "util/buf.h"

#include <xxhash.h>

/* Not in text.h: tmi_char_flags without its fast paths. */
unsigned tmi_char_flags_general(int32_t cp);
/* Not in text.h: the word tokenizer without its fast paths. */
int tmi_token_next_general(const char *s, size_t len, size_t *pos, tm_span *tok);

/* ---- UTF-8 ---- */

static size_t repair(const char *in, size_t len, tm_buf *out) {
    size_t n = 99;
    tmi_buf_reset(out);
    assert_int_equal(tm_utf8_repair(in, len, out, &n), TM_OK);
    assert_int_equal(tm_utf8_valid_prefix(out->data, out->len), out->len);
    return n;
}

#define R(lit) repair(lit, sizeof(lit) - 1, &b)
#define FFFD   "\xEF\xBF\xBD"

static void test_repair_vectors(void **state) {
    (void)state;
    tm_buf b = {0};
    assert_int_equal(R("plain ascii"), 0);
    assert_string_equal(b.data, "plain ascii");
    assert_int_equal(R("caf\xC3\xA9 \xF0\x9F\x98\x80"), 0); /* valid 2- and 4-byte */
    assert_int_equal(R("\xC0\x80"), 2);                     /* overlong NUL */
    assert_string_equal(b.data, FFFD FFFD);
    assert_int_equal(R("\xC1\xBF"), 2);
    assert_int_equal(R("\xE0\x80\x80"), 3); /* overlong 3-byte */
    assert_int_equal(R("\xE0\x9F\xBF"), 3);
    assert_int_equal(R("\xED\xA0\x80"), 3); /* surrogate D800 */
    assert_int_equal(R("\xED\xBF\xBF"), 3); /* surrogate DFFF */
    assert_int_equal(R("\xF0\x80\x80\x80"), 4);
    assert_int_equal(R("\xF4\x90\x80\x80"), 4); /* > U+10FFFF */
    assert_int_equal(R("\xF5\x80"), 2);
    assert_int_equal(R("\xFF\xFE"), 2);
    assert_int_equal(R("\x80"), 1); /* lone continuation bytes */
    assert_int_equal(R("\x80\xBF\x80"), 3);
    assert_int_equal(R("a\xF0\x9F\x98"), 1); /* truncated at the end: one */
    assert_string_equal(b.data, "a" FFFD);
    assert_int_equal(R("\xE2\x82"), 1);
    assert_int_equal(R("\xC3"), 1);
    assert_int_equal(R("a\xF0\x9F\x98z"), 1);
    assert_string_equal(b.data, "a" FFFD "z");
    assert_int_equal(R("\xE0\xA0"
                       "A"),
                     1);
    assert_string_equal(b.data, FFFD "A");
    /* Unicode 15 Table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 */
    assert_int_equal(R("a\xF1\x80\x80\xE1\x80\xC2"
                       "b\x80"
                       "c\x80\xBF"
                       "d"),
                     6);
    assert_string_equal(b.data, "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d");
    assert_int_equal(R("\xEF\xBF\xBF\xF4\x8F\xBF\xBF"), 0); /* U+FFFF, U+10FFFF valid */
    /* a NUL byte is valid UTF-8 and kept */
    assert_int_equal(repair("a\0b", 3, &b), 0);
    assert_int_equal(b.len, 3);
    /* appends, and a long ASCII run around an error takes the fast path */
    char big[100];
    memset(big, 'x', sizeof big);
    big[50] = '\xFF';
    tmi_buf_reset(&b);
    tmi_buf_puts(&b, "pre");
    size_t n;
    assert_int_equal(tm_utf8_repair(big, sizeof big, &b, &n), TM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(b.len, 3 + 99 + 3);
    assert_memory_equal(b.data + 3 + 50, FFFD, 3);
    assert_int_equal(tm_utf8_valid_prefix(big, sizeof big), 50);
    assert_int_equal(tm_utf8_valid_prefix("ab\xE2\x82", 4), 2);
    tm_buf_free(&b);
}

static void test_decode_encode_count(void **state) {
    (void)state;
    int32_t cp;
    char o[4];
    assert_int_equal(tmi_utf8_decode("\xE2\x82\xAC", 3, &cp), 3);
    assert_int_equal(cp, 0x20AC);
    assert_int_equal(tmi_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(tmi_utf8_decode("\xC0\x80", 2, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(tmi_utf8_encode(0xE9, o), 2);
    assert_memory_equal(o, "\xC3\xA9", 2);
    assert_int_equal(tmi_utf8_encode(0x10FFFF, o), 4);
    assert_memory_equal(o, "\xF4\x8F\xBF\xBF", 4);
    assert_int_equal(tmi_utf8_encode(0xD800, o), 3); /* surrogate → U+FFFD */
    assert_memory_equal(o, FFFD, 3);
    /* "é" precomposed is 1, decomposed 2 (§1.1) */
    assert_int_equal(tmi_utf8_count("\xC3\xA9", 2), 1);
    assert_int_equal(tmi_utf8_count("e\xCC\x81", 3), 2);
    const char *mix = "h\xC3\xA9llo \xE4\xB8\x96\xE7\x95\x8C \xF0\x9F\x98\x80!";
    assert_int_equal(tmi_utf8_count(mix, strlen(mix)), 11);
}

/* ---- normalisation ---- */

static const char *norm(tm_buf *b, const char *s, int flags) {
    tmi_buf_reset(b);
    assert_int_equal(tm_normalize(s, strlen(s), flags, b), TM_OK);
    return b->data ? b->data : "";
}

static void test_normalize(void **state) {
    (void)state;
    tm_buf b = {0};
    assert_string_equal(norm(&b, "e\xCC\x81", TM_NORM_NFC), "\xC3\xA9");
    assert_string_equal(norm(&b, "cafe\xCC\x81 au lait", TM_NORM_NFC), "caf\xC3\xA9 au lait");
    assert_string_equal(norm(&b, "\xEF\xAC\x81", TM_NORM_NFKC), "fi"); /* ﬁ */
    assert_string_equal(norm(&b, "\xEF\xAC\x81", TM_NORM_NFC), "\xEF\xAC\x81");
    assert_string_equal(norm(&b,
                             "Stra\xC3\x9F"
                             "e",
                             TM_NORM_CASEFOLD),
                        "strasse");
    assert_string_equal(norm(&b,
                             "Stra\xC3\x9F"
                             "e",
                             TM_NORM_NFC | TM_NORM_CASEFOLD),
                        "strasse");
    assert_string_equal(norm(&b,
                             "\xEF\xBC\xA1\xEF\xBC\xA2"
                             "C",
                             TM_NORM_NFKC | TM_NORM_CASEFOLD),
                        "abc"); /* fullwidth ＡＢ */
    assert_string_equal(norm(&b,
                             "  a \t\n b\xC2\xA0\xE3\x80\x80"
                             "c  ",
                             TM_NORM_WS),
                        "a b c");
    assert_string_equal(norm(&b,
                             "\xE2\x80\x8B"
                             "a",
                             TM_NORM_WS),
                        "\xE2\x80\x8B"
                        "a"); /* ZWSP */
    assert_string_equal(norm(&b,
                             "Hello, world! \xC2\xAB"
                             "ok\xC2\xBB",
                             TM_NORM_PUNCT | TM_NORM_WS),
                        "Hello world ok");
    assert_string_equal(norm(&b, "a , b", TM_NORM_PUNCT | TM_NORM_WS), "a b");
    assert_string_equal(norm(&b, "1+1=2 \xE2\x82\xAC", TM_NORM_PUNCT), "112 ");
    assert_string_equal(norm(&b, "42 \xD9\xA3 x9", TM_NORM_DIGITS), "00 0 x0"); /* ٣ is Nd */
    assert_string_equal(norm(&b, "\xC2\xBD", TM_NORM_DIGITS), "\xC2\xBD");      /* ½ is No */
    assert_string_equal(norm(&b, "", TM_NORM_NFKC | TM_NORM_WS), "");
    assert_string_equal(norm(&b, " \t ", TM_NORM_WS), "");
    assert_string_equal(
        norm(&b, "\xC3\x89T\xC3\x89  \xD0\x81", TM_NORM_NFKC | TM_NORM_CASEFOLD | TM_NORM_WS),
        "\xC3\xA9t\xC3\xA9 \xD1\x91"); /* ÉTÉ Ё */
    /* long non-ASCII segment goes through the heap buffer */
    tm_buf in = {0};
    for (int i = 0; i < 400; i++) tmi_buf_puts(&in, "\xC3\x85"); /* Å (U+00C5) */
    tmi_buf_reset(&b);
    assert_int_equal(tm_normalize(in.data, in.len, TM_NORM_NFC | TM_NORM_CASEFOLD, &b), TM_OK);
    assert_int_equal(b.len, 800);
    assert_memory_equal(b.data, "\xC3\xA5\xC3\xA5", 4);
    /* ill-formed input is refused and out is left as it was */
    tmi_buf_reset(&b);
    tmi_buf_puts(&b, "keep");
    assert_int_equal(tm_normalize("a\xFF", 2, TM_NORM_NFC, &b), TM_ERR_ARG);
    assert_int_equal(tm_normalize("a\xFF", 2, TM_NORM_WS, &b), TM_ERR_ARG);
    assert_string_equal(b.data, "keep");
    tm_buf_free(&in);
    tm_buf_free(&b);
}

static void test_lower(void **state) {
    (void)state;
    tm_buf b = {0};
    assert_int_equal(tmi_lower("\xC4\xB0", 2, &b), TM_OK); /* İ → i + U+0307: 2 code points */
    assert_string_equal(b.data, "i\xCC\x87");
    assert_int_equal(tmi_utf8_count(b.data, b.len), 2);
    tmi_buf_reset(&b);
    const char *odos = "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 \xCE\xA3"; /* ΟΔΟΣ Σ */
    assert_int_equal(tmi_lower(odos, strlen(odos), &b), TM_OK);
    assert_string_equal(b.data, "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82 \xCF\x83"); /* οδος σ */
    tmi_buf_reset(&b);
    assert_int_equal(tmi_lower("\xCE\xA3\xCE\x91 ABC\xC3\x9F", 10, &b), TM_OK);
    assert_string_equal(b.data, "\xCF\x83\xCE\xB1 abc\xC3\x9F"); /* σα abcß */
    tm_buf_free(&b);
}

/* ---- character classes ---- */

static void test_space_set(void **state) {
    (void)state;
    int n = 0;
    for (int32_t c = 0; c <= 0x10FFFF; c++) n += tmi_is_space(c);
    assert_int_equal(n, 29);
    static const int32_t yes[] = {0x09,   0x0A,   0x0B,   0x0C,   0x0D,   0x1C,   0x1D,
                                  0x1E,   0x1F,   0x20,   0x85,   0xA0,   0x1680, 0x2000,
                                  0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) assert_true(tmi_is_space(yes[i]));
    static const int32_t no[] = {0x200B, 0xFEFF, 0x2060, 0x180E, 0x00, 0x08, 0x7F, 0x200C};
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) assert_false(tmi_is_space(no[i]));
}

static void test_classes(void **state) {
    (void)state;
    /* the Latin-1 table and the gated general path agree with a search of
     * every property table, over all code points */
    for (int32_t c = 0; c <= 0x10FFFF; c++) {
        if (tmi_char_flags(c) != tmi_char_flags_general(c))
            fail_msg("flags of U+%04X", (unsigned)c);
    }
    assert_true(tmi_is_upper(0x2163));  /* Ⅳ: Other_Uppercase */
    assert_true(tmi_is_upper(0x24B6));  /* Ⓐ */
    assert_true(tmi_is_upper(0x1F170)); /* 🅰 */
    assert_false(tmi_is_upper(0x1C5));  /* ǅ titlecase */
    assert_false(tmi_is_alpha(0x2163)); /* Nl */
    assert_true(tmi_is_lower(0x24D0));  /* ⓐ */
    assert_true(tmi_is_lower(0xAA));    /* ª */
    assert_true(tmi_is_alpha(0x4E2D));  /* 中 */
    assert_true(tmi_is_alpha(0x0E01));  /* Thai ก */
    assert_false(tmi_is_alpha(0x0E31)); /* Thai vowel mark: Mn */
    assert_false(tmi_is_alpha(0x093F)); /* Devanagari vowel sign: Mc */
    assert_true(tmi_is_mark(0x093F));
    /* isnumeric: CJK numeral ideographs, No, Nl */
    static const int32_t num[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B,
                                  0x4E5D, 0x5341, 0x767E, 0x5343, 0x4E07, 0x5104, 0x5146, 0x96F6,
                                  0x58F1, 0x5F10, 0x53C2, 0x62FE, 0x5EFF, 0x5345, 0x3007, 0xBD,
                                  0x216B, 0x663,  0xB2,   0xF96B, 0x2092A};
    for (size_t i = 0; i < sizeof num / sizeof num[0]; i++) {
        assert_true(tmi_is_numeric(num[i]));
        assert_true(tmi_is_alnum(num[i]));
        assert_true(tmi_is_word(num[i]));
    }
    assert_false(tmi_is_numeric(0x4E2D)); /* 中 */
    assert_false(tmi_is_numeric('a'));
    assert_true(tmi_is_decimal(0x663)); /* ٣ */
    assert_false(tmi_is_decimal(0xBD)); /* ½ */
    assert_false(tmi_is_decimal(0xB2)); /* ² */
    assert_false(tmi_is_decimal(0x4E00));
    /* \w = isalnum or '_'; combining marks are not \w */
    assert_true(tmi_is_word('_'));
    assert_true(tmi_is_word(0xE9));
    assert_false(tmi_is_word(0x301));
    assert_false(tmi_is_word(0x0E31));
    assert_false(tmi_is_word('-'));
    assert_false(tmi_is_word(0x203F)); /* ‿ is Pc but not \w in Python */
    assert_true(tmi_is_punct(0x203F));
    assert_true(tmi_is_punct(0x2019));
    assert_true(tmi_is_symbol(0x20AC));
    assert_true(tmi_is_symbol('+'));
    assert_true(tmi_is_control(0x85));
    assert_true(tmi_is_format(0xFEFF));
    assert_true(tmi_is_format(0xAD));
    assert_true(tmi_is_nospace_script(0x4E2D));
    assert_true(tmi_is_nospace_script(0x3042)); /* あ */
    assert_true(tmi_is_nospace_script(0x30AB)); /* カ */
    assert_true(tmi_is_nospace_script(0x0E01));
    assert_true(tmi_is_nospace_script(0x0E81)); /* Lao */
    assert_true(tmi_is_nospace_script(0x1780)); /* Khmer */
    assert_true(tmi_is_nospace_script(0x1000)); /* Myanmar */
    assert_true(tmi_is_nospace_script(0x0F40)); /* Tibetan */
    assert_true(tmi_is_nospace_script(0x20000));
    assert_false(tmi_is_nospace_script(0xAC00)); /* Hangul uses spaces */
    assert_false(tmi_is_nospace_script('a'));
    assert_false(tmi_is_nospace_script(0x30FB)); /* ・ is punctuation */
    /* flags agree with the single predicates */
    static const int32_t probe[] = {'A', 'z', '5', ' ', '_', 0x2163, 0x4E00, 0x0301, 0x3002};
    for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
        unsigned f = tmi_char_flags(probe[i]);
        assert_int_equal(!!(f & TM_CF_UPPER), tmi_is_upper(probe[i]));
        assert_int_equal(!!(f & TM_CF_NUMERIC), tmi_is_numeric(probe[i]));
        assert_int_equal(!!(f & TM_CF_WORD), tmi_is_word(probe[i]));
        assert_int_equal(!!(f & TM_CF_DT_PUNCT), tmi_is_dt_punct(probe[i]));
        assert_int_equal(f, tmi_cflags(probe[i]));
    }
}

static void test_str_isupper(void **state) {
    (void)state;
    assert_true(tmi_str_isupper("USA2", 4));
    assert_true(tmi_str_isupper("U.S.", 4));
    assert_true(tmi_str_isupper("I", 1));
    assert_true(tmi_str_isupper("\xE2\x85\xA3", 3)); /* Ⅳ */
    assert_false(tmi_str_isupper("Hello", 5));
    assert_false(tmi_str_isupper("123", 3));
    assert_false(tmi_str_isupper("", 0));
    assert_false(tmi_str_isupper("\xC7\x85", 2)); /* ǅ */
    assert_false(tmi_str_isupper("A\xC7\x85", 3));
}

static void test_punct_sets(void **state) {
    (void)state;
    int dt = 0, term = 0, both = 0;
    for (int32_t c = 0; c <= 0x10FFFF; c++) {
        dt += tmi_is_dt_punct(c);
        term += tmi_is_terminal_punct(c);
        both += tmi_is_dt_punct(c) && tmi_is_terminal_punct(c);
    }
    assert_int_equal(dt, 281);
    assert_int_equal(term, 159);
    assert_int_equal(both, 159);          /* TERMINAL ⊂ PUNCTUATION_SET */
    assert_true(tmi_is_dt_punct(0xFF11)); /* fullwidth 1: in the set */
    assert_true(tmi_is_dt_punct(0x2026));
    assert_true(tmi_is_dt_punct(0x0D));
    assert_true(tmi_is_dt_punct(0x9F));
    assert_false(tmi_is_dt_punct(0x09));
    assert_false(tmi_is_dt_punct(0x0A));
    assert_false(tmi_is_dt_punct(0x2018));
    assert_false(tmi_is_dt_punct(0x30FB));
    assert_false(tmi_is_dt_punct(0x2039));
    assert_true(tmi_is_terminal_punct('.'));
    assert_true(tmi_is_terminal_punct(0x3002));
    assert_true(tmi_is_terminal_punct(0x1DA88));
    assert_true(tmi_is_terminal_punct(0x0964));  /* । */
    assert_false(tmi_is_terminal_punct(0x2026)); /* … */
    assert_false(tmi_is_terminal_punct(0x201D));
    assert_false(tmi_is_terminal_punct('"'));
    assert_false(tmi_is_terminal_punct(')'));
}

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
        cmocka_unit_test(test_repair_vectors),
        cmocka_unit_test(test_decode_encode_count),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_lower),
        cmocka_unit_test(test_space_set),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_str_isupper),
        cmocka_unit_test(test_punct_sets),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_tokenize),
        cmocka_unit_test(test_tokenize_differential),
        cmocka_unit_test(test_shingle_words),
        cmocka_unit_test(test_shingle_chars),
        cmocka_unit_test(test_nospace_fraction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
