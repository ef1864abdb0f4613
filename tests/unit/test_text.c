/*
 * test_text.c — known answers for the text layer: UTF-8 repair (Unicode
 * Table 3-8 / WHATWG replacement counts), normalisation, Python 3.11
 * character classes (quality-signals.md §1) and datatrove's punctuation
 * sets (§2.5). Line splitting, the tokenizer and shingles are
 * test_tokenize.c.
 */
#include "testutil.h"

#include "text/text.h"
#include "util/buf.h"

#include <xxhash.h>

/* Not in text.h: tmi_char_flags without its fast paths. */
unsigned tmi_char_flags_general(int32_t cp);

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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repair_vectors), cmocka_unit_test(test_decode_encode_count),
        cmocka_unit_test(test_normalize),      cmocka_unit_test(test_lower),
        cmocka_unit_test(test_space_set),      cmocka_unit_test(test_classes),
        cmocka_unit_test(test_str_isupper),    cmocka_unit_test(test_punct_sets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
