/*
 * test_signals.c — known-answer tests of every quality signal.
 *
 * The datatrove-family vectors T1–T3 of quality-signals.md §12 are checked
 * with the spec's own token list (Python text.split(), i.e. tm_split_ws), so
 * that they test the counting logic independently of the tamis tokenizer;
 * the other vectors were worked out by hand from the definitions in
 * docs/SIGNALS.md.
 */
#include "testutil.h"

#include "signals/signals.h"

#define EPS 1e-6

static const char T1[] = "The cat sat on the mat.\nThe cat sat on the mat.\n\nIt was happy... and "
                         "warm\n- item one\n- item one\n# tag";
static const char T2[] = "I am Frank, I am Frank, I am Frank";
static const char T3[] = "Caf\xC3\xA9 au lait. \xC3\x87"
                         "a co\xC3\xBBte 3,50 \xE2\x82\xAC!\r\nDEUX "
                         "CAF\xC3\x89S, SVP.\n";

/* All signals of text with whitespace tokens (or the tamis tokenizer). */
static void score_ws(const char *text, size_t len, const char *lang, double *v) {
    tm_scorer *s;
    tm_spans toks = {0};
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(tm_split_ws(text, len, &toks), TM_OK);
    for (int i = 0; i < TM_SIG_COUNT; i++) v[i] = -1;
    assert_int_equal(tm_signals_compute_tokens(s, text, len, &toks, lang, 0, TM_SIG_ALL, v), TM_OK);
    tm_spans_free(&toks);
    tm_scorer_free(s);
}

static void test_t1(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    assert_int_equal(strlen(T1), 101); /* ASCII: bytes = code points */
    score_ws(T1, strlen(T1), "en", v);
    /* Gopher repetition */
    assert_close(v[TM_SIG_GR_DUP_PARA_FRAC], 0.0, EPS);
    assert_close(v[TM_SIG_GR_DUP_PARA_CHAR_FRAC], 0.0, EPS);
    assert_close(v[TM_SIG_GR_DUP_LINE_FRAC], 2.0 / 6, EPS);
    assert_close(v[TM_SIG_GR_DUP_LINE_CHAR_FRAC], 33.0 / 101, EPS);
    assert_close(v[TM_SIG_GR_TOP_2GRAM], 0.138614, EPS);
    assert_close(v[TM_SIG_GR_TOP_3GRAM], 0.217822, EPS);
    assert_close(v[TM_SIG_GR_TOP_4GRAM], 0.277228, EPS);
    assert_close(v[TM_SIG_GR_DUP_5GRAM], 0.138614, EPS);
    assert_close(v[TM_SIG_GR_DUP_6GRAM], 0.178218, EPS);
    for (int n = 7; n <= 10; n++) assert_close(v[TM_SIG_GR_DUP_5GRAM + n - 5], 0.0, EPS);
    /* Gopher quality */
    assert_close(v[TM_SIG_GQ_N_WORDS], 25, EPS);
    assert_close(v[TM_SIG_GQ_N_NON_SYMBOL_WORDS], 22, EPS);
    assert_close(v[TM_SIG_GQ_MEAN_WORD_LENGTH], 3.318182, EPS);
    assert_close(v[TM_SIG_GQ_HASH_RATIO], 0.04, EPS);
    assert_close(v[TM_SIG_GQ_ELLIPSIS_RATIO], 0.04, EPS);
    assert_close(v[TM_SIG_GQ_BULLET_LINE_FRAC], 0.285714, EPS);
    assert_close(v[TM_SIG_GQ_ELLIPSIS_LINE_FRAC], 0.0, EPS);
    assert_close(v[TM_SIG_GQ_ALPHA_WORD_FRAC], 0.88, EPS);
    assert_close(v[TM_SIG_GQ_STOP_WORDS], 2, EPS); /* the, and; "The" does not count */
    /* FineWeb */
    assert_close(v[TM_SIG_FW_LINE_PUNCT_RATIO], 0.333333, EPS);
    assert_close(v[TM_SIG_FW_SHORT_LINE_RATIO], 1.0, EPS);
    assert_close(v[TM_SIG_FW_CHAR_DUP_RATIO], 0.347368, EPS);
    assert_close(v[TM_SIG_FW_LIST_RATIO], 0.24, EPS);
}

static void test_t2(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    score_ws(T2, strlen(T2), "en", v);
    assert_close(v[TM_SIG_GR_TOP_2GRAM], 0.352941, EPS);
    assert_close(v[TM_SIG_GR_TOP_3GRAM], 0.647059, EPS); /* tie: earliest "I am Frank," */
    assert_close(v[TM_SIG_GR_TOP_4GRAM], 0.764706, EPS);
    assert_close(v[TM_SIG_GR_DUP_5GRAM], 0.352941, EPS);
    for (int n = 6; n <= 10; n++) assert_close(v[TM_SIG_GR_DUP_5GRAM + n - 5], 0.0, EPS);
}

static void test_t3(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    score_ws(T3, strlen(T3), "fr", v);
    assert_close(v[TM_SIG_FW_LINE_PUNCT_RATIO], 0.5, EPS); /* first line ends with CR */
    assert_close(v[TM_SIG_FW_SHORT_LINE_RATIO], 0.5, EPS);
    assert_close(v[TM_SIG_FW_CHAR_DUP_RATIO], 0.0, EPS);
    assert_close(v[TM_SIG_FW_LIST_RATIO], 0.2, EPS);
    assert_close(v[TM_SIG_GQ_ALPHA_WORD_FRAC], 0.8, EPS);
    assert_close(v[TM_SIG_GQ_MEAN_WORD_LENGTH], 3.8, EPS);
}

/* Empty and whitespace-only text: every signal defined, no NaN. */
static void test_empty(void **state) {
    (void)state;
    const char *texts[] = {"", " \n\n \t"};
    for (size_t k = 0; k < 2; k++) {
        double v[TM_SIG_COUNT];
        score_ws(texts[k], strlen(texts[k]), NULL, v);
        for (int i = 0; i < TM_SIG_COUNT; i++) {
            assert_false(isnan(v[i]));
            if (i != TM_SIG_C4_N_LINES && i != TM_SIG_GQ_N_WORDS &&
                i != TM_SIG_C4_FEW_WORDS_LINES && i != TM_SIG_C4_NO_TERMINAL_PUNCT_LINES &&
                i != TM_SIG_GR_DUP_LINE_FRAC)
                assert_close(v[i], 0.0, EPS);
        }
    }
    double v[TM_SIG_COUNT];
    /* " \n\n \t": lines (re.split("\n+")) are " " and " \t": no duplicate */
    score_ws(" \n\n \t", 5, NULL, v);
    assert_close(v[TM_SIG_GR_DUP_LINE_FRAC], 0.0, EPS);
    assert_close(v[TM_SIG_C4_N_LINES], 3, EPS);
}

/* Line conventions: leading/trailing LF give empty lines that duplicate. */
static void test_gopher_lines(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    score_ws("\na\n\nb\n", 6, NULL, v); /* ["", "a", "b", ""] */
    assert_close(v[TM_SIG_GR_DUP_LINE_FRAC], 0.25, EPS);
    assert_close(v[TM_SIG_GR_DUP_LINE_CHAR_FRAC], 0.0, EPS);
    /* paragraphs after strip: "a", "b" */
    assert_close(v[TM_SIG_GR_DUP_PARA_FRAC], 0.0, EPS);
    /* "x\n\nx\n\nx": paragraphs x,x,x -> 2/3, chars 2/7 */
    score_ws("x\n\nx\n\nx", 7, NULL, v);
    assert_close(v[TM_SIG_GR_DUP_PARA_FRAC], 2.0 / 3, EPS);
    assert_close(v[TM_SIG_GR_DUP_PARA_CHAR_FRAC], 2.0 / 7, EPS);
    /* "\r\n\r\n" does not separate paragraphs */
    score_ws("x\r\n\r\nx", 6, NULL, v);
    assert_close(v[TM_SIG_GR_DUP_PARA_FRAC], 0.0, EPS);
}

/* Ellipsis counting and bullets (§3 rules 6-8). */
static void test_gopher_symbols(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    /* tokens: "a....", "b......", "c\xE2\x80\xA6", "d" : 1 + 2 + 1 = 4 / 4 */
    const char *t = "a.... b......\n- c\xE2\x80\xA6\n \xE2\x80\xA2 d";
    score_ws(t, strlen(t), NULL, v);
    assert_close(v[TM_SIG_GQ_N_WORDS], 6, EPS);
    assert_close(v[TM_SIG_GQ_ELLIPSIS_RATIO], 4.0 / 6, EPS);
    assert_close(v[TM_SIG_GQ_BULLET_LINE_FRAC], 2.0 / 3, EPS);
    assert_close(v[TM_SIG_GQ_ELLIPSIS_LINE_FRAC], 2.0 / 3, EPS);
    /* "-" is a symbol word; U+2022 is not in datatrove's PUNCTUATION_SET */
    assert_close(v[TM_SIG_GQ_N_NON_SYMBOL_WORDS], 5, EPS);
    assert_close(v[TM_SIG_GQ_ALPHA_WORD_FRAC], 4.0 / 6, EPS);
    /* stop words are exact tokens, counted once each */
    const char *u = "the the The of with to be, that";
    score_ws(u, strlen(u), "en", v);
    assert_close(v[TM_SIG_GQ_STOP_WORDS], 5, EPS); /* the of with to that; not "be," */
}

/* datatrove keys duplicate n-grams by concatenation without separator, so
 * ["ab","c","d","e","f"] and ["a","bc","d","e","f"] collide. */
static void test_dup_ngram_concat(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    const char *t = "ab c d e f a bc d e f";
    score_ws(t, strlen(t), NULL, v);
    assert_close(v[TM_SIG_GR_DUP_5GRAM], 6.0 / 21, EPS);
    /* greedy jump: "a b c d e a b c d e a b c d e": n=5, i=5 found (+5),
     * jump to 10 found (+5) -> 10/29 */
    const char *r = "a b c d e a b c d e a b c d e";
    score_ws(r, strlen(r), NULL, v);
    assert_close(v[TM_SIG_GR_DUP_5GRAM], 10.0 / 29, EPS);
    /* top 2-gram without repetition: first 2-gram, count 1 */
    score_ws("Hello world", 11, NULL, v);
    assert_close(v[TM_SIG_GR_TOP_2GRAM], 1.0, EPS);
    assert_close(v[TM_SIG_GR_TOP_3GRAM], 0.0, EPS); /* fewer than 3 tokens */
}

static void test_tamis_own(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    const char *t = "accord accord Accord x , , 1 1";
    score_ws(t, strlen(t), NULL, v);
    /* alpha tokens: accord accord Accord x; doubled: 2 */
    assert_close(v[TM_SIG_TM_DOUBLED_WORD_RATIO], 0.5, EPS);
    const char *u = "\xC3\x89t\xC3\xA9 \xC3\xA9T\xC3\x89 ok";
    score_ws(u, strlen(u), NULL, v);
    assert_close(v[TM_SIG_TM_DOUBLED_WORD_RATIO], 1.0 / 3, EPS);
    /* P1 {abc bcd cde def}, P2 {abc bcd cde deg}: J = 3/5; P3 alone */
    const char *p = "a b c d e f\n\na b c d e g\n\nx y z";
    score_ws(p, strlen(p), NULL, v);
    assert_close(v[TM_SIG_TM_NEAR_DUP_PARA_FRAC], 1.0 / 3, EPS);
    /* {abc bcd cde} vs {abc bcx cxy}: J = 1/5 < 0.5 */
    const char *q = "a b c d e\n\na b c x y";
    score_ws(q, strlen(q), NULL, v);
    assert_close(v[TM_SIG_TM_NEAR_DUP_PARA_FRAC], 0.0, EPS);
    /* short paragraphs compare as one shingle of all their tokens */
    score_ws("hi there\n\nhi there\n\nhi", 22, NULL, v);
    assert_close(v[TM_SIG_TM_NEAR_DUP_PARA_FRAC], 1.0 / 3, EPS);
    tm_scorer *s;
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(tm_signals_compute(s, "x", 1, NULL, 7, TM_SIG_BIT(TM_SIG_TM_INVALID_UTF8), v),
                     TM_OK);
    assert_close(v[TM_SIG_TM_INVALID_UTF8], 7, EPS);
    tm_scorer_free(s);
}

static void test_stopwords_lang(void **state) {
    (void)state;
    if (tm_stopword_count("fr") == 0) skip();
    double v[TM_SIG_COUNT];
    const char *t = "le chat et le chien de la maison Le";
    score_ws(t, strlen(t), "fr", v);
    /* le, et, de, la (distinct; "Le" is not lowercase) + whatever of
     * chat/chien/maison the list holds: at least 4 */
    assert_true(v[TM_SIG_GQ_STOP_WORDS] >= 4);
    int extra = tm_is_stopword("fr", "chat", 4) + tm_is_stopword("fr", "chien", 5) +
                tm_is_stopword("fr", "maison", 6);
    assert_close(v[TM_SIG_GQ_STOP_WORDS], 4 + extra, EPS);
}

static void run_c4(const char *text, tm_buf *out, tm_c4_result *r, const tm_c4_opts *o) {
    tm_scorer *s;
    tm_c4_opts d;
    tm_c4_opts_init(&d);
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(tm_c4_run(s, text, strlen(text), o ? o : &d, out, r), TM_OK);
    tm_scorer_free(s);
}

static void test_c4(void **state) {
    (void)state;
    tm_buf out = {0};
    tm_c4_result r;
    const char *t = "  Keep this line here.  \n"
                    "Too short.\n"
                    "No terminal punctuation here\n"
                    "This ends with an ellipsis...\n"
                    "Enable JavaScript to view this page.\n"
                    "Read our Privacy Policy now please.\n"
                    "A cited claim is here [12].\n"
                    "A cited claim at the end [1]\n"
                    "Another [edit] fine sentence. And a second one!\n"
                    "Code with { brace after javascript mention.\n";
    run_c4(t, &out, &r, NULL);
    assert_int_equal(r.n_lines, 10);
    assert_int_equal(r.few_words_lines, 1);
    assert_int_equal(r.no_terminal_punct_lines, 3); /* no punct, "...", "[1]" -> "end " */
    assert_int_equal(r.javascript_lines, 2);        /* the '{' line is dropped first */
    assert_int_equal(r.policy_lines, 1);
    assert_int_equal(r.citations, 3);
    assert_int_equal(r.kept_lines, 3);
    assert_int_equal(r.curly_bracket, 0);
    assert_int_equal(r.lorem_ipsum, 0);
    assert_int_equal(r.n_sentences, 4);
    assert_string_equal(out.data, "Keep this line here.\nA cited claim is here .\nAnother  fine "
                                  "sentence. And a second one!");
    /* document flags, first one recorded */
    run_c4("Some { code here.\nLorem ipsum dolor sit.\n", &out, &r, NULL);
    assert_int_equal(r.curly_bracket, 1);
    assert_int_equal(r.lorem_ipsum, 1);
    assert_int_equal(r.first_doc_flag, 2);
    /* a short line never flags the document */
    run_c4("{ x.\n", &out, &r, NULL);
    assert_int_equal(r.curly_bracket, 0);
    /* FineWeb setting: no terminal punctuation rule */
    tm_c4_opts o;
    tm_c4_opts_init(&o);
    o.terminal_punct = 0;
    run_c4("no punct at all\nour cooKie POLICY line\n", &out, &r, &o);
    assert_int_equal(r.kept_lines, 1);
    assert_int_equal(r.policy_lines, 1);
    assert_string_equal(out.data, "no punct at all");
    run_c4("the coo\xE2\x84\xAAie policy applies\n", &out, &r, &o); /* U+212A lowercases to k */
    assert_int_equal(r.policy_lines, 1);
    assert_int_equal(out.len, 0);
    tm_buf_free(&out);
}

static void test_names(void **state) {
    (void)state;
    for (int i = 0; i < TM_SIG_COUNT; i++) {
        const char *n = tm_signal_name(i);
        assert_non_null(n);
        assert_int_equal(tm_signal_lookup(n, strlen(n)), i);
    }
    assert_null(tm_signal_name(TM_SIG_COUNT));
    assert_string_equal(tm_signal_name(TM_SIG_GR_DUP_LINE_FRAC), "gopher_repetition.dup_line_frac");
    uint64_t m;
    assert_int_equal(tm_signal_mask_parse("fineweb,tamis.doubled_word_ratio", &m, NULL, 0), TM_OK);
    assert_true(m ==
                (TM_SIG_BIT(TM_SIG_FW_LINE_PUNCT_RATIO) | TM_SIG_BIT(TM_SIG_FW_SHORT_LINE_RATIO) |
                 TM_SIG_BIT(TM_SIG_FW_CHAR_DUP_RATIO) | TM_SIG_BIT(TM_SIG_FW_LIST_RATIO) |
                 TM_SIG_BIT(TM_SIG_TM_DOUBLED_WORD_RATIO)));
    char err[64];
    assert_int_equal(tm_signal_mask_parse("fineweb,nope", &m, err, sizeof err), TM_ERR_ARG);
    assert_non_null(strstr(err, "nope"));
}

/* The tamis tokenizer path and the mask: only asked signals are written. */
static void test_mask_tokenizer(void **state) {
    (void)state;
    tm_scorer *s;
    double v[TM_SIG_COUNT];
    for (int i = 0; i < TM_SIG_COUNT; i++) v[i] = -1;
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(
        tm_signals_compute(s, T1, strlen(T1), "en", 0, TM_SIG_BIT(TM_SIG_GR_DUP_LINE_FRAC), v),
        TM_OK);
    assert_close(v[TM_SIG_GR_DUP_LINE_FRAC], 2.0 / 6, EPS); /* tokenizer-independent */
    for (int i = 0; i < TM_SIG_COUNT; i++)
        if (i != TM_SIG_GR_DUP_LINE_FRAC) assert_close(v[i], -1, 0);
    assert_int_equal(tm_signals_compute(s, T1, strlen(T1), "en", 0, TM_SIG_ALL, v), TM_OK);
    for (int i = 0; i < TM_SIG_COUNT; i++) assert_false(isnan(v[i]) || v[i] < 0);
    tm_scorer_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t1),
        cmocka_unit_test(test_t2),
        cmocka_unit_test(test_t3),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_gopher_lines),
        cmocka_unit_test(test_gopher_symbols),
        cmocka_unit_test(test_dup_ngram_concat),
        cmocka_unit_test(test_tamis_own),
        cmocka_unit_test(test_stopwords_lang),
        cmocka_unit_test(test_c4),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_mask_tokenizer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
