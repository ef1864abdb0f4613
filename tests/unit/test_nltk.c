/*
 * test_nltk.c — datatrove's English words and sentences (text/nltk.c): the
 * tokens and Punkt sentence counts of NLTK 3.8 (PunktSentenceTokenizer()
 * untrained, then NLTKWordTokenizer per sentence) on texts that exercise
 * each of its substitutions, and the Gopher and C4 decisions of the
 * datatrove presets on two Common Crawl pages (cc-wet, Apache-2.0) where
 * tamis used to disagree with datatrove 0.10's own decisions. Every
 * expected list below was printed by NLTK itself.
 */
#include "testutil.h"

#include "signals/filter.h"
#include "signals/signals.h"
#include "text/nltk.h"

static void expect_words(const char *text, const char *const *want, size_t n) {
    tm_nltk w = {0};
    tm_buf b = {0};
    tm_spans t = {0};
    assert_int_equal(tmi_nltk_words(&w, text, strlen(text), &b, &t), TM_OK);
    for (size_t i = 0; i < t.n && i < n; i++) {
        char got[128];
        snprintf(got, sizeof got, "%.*s", (int)(t.v[i].end - t.v[i].beg), b.data + t.v[i].beg);
        if (strcmp(got, want[i])) print_error("token %zu of \"%s\"\n", i, text);
        assert_string_equal(got, want[i]);
    }
    assert_int_equal(t.n, n);
    tmi_spans_free(&t);
    tm_buf_free(&b);
    tmi_nltk_free(&w);
}

#define WORDS(text, ...)                                                                           \
    do {                                                                                           \
        static const char *const want_[] = {__VA_ARGS__};                                          \
        expect_words(text, want_, sizeof want_ / sizeof want_[0]);                                 \
    } while (0)

static void test_words(void **state) {
    (void)state;
    /* NLTK's own example: a period stays on a word unless Punkt ends a
     * sentence there; "3,36" and "$3.88" */
    WORDS("Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.  Please buy me\ntwo of "
          "them.\nThanks.",
          "Good", "muffins", "cost", "$", "3.88", "(", "roughly", "3,36", "euros", ")", "in", "New",
          "York", ".", "Please", "buy", "me", "two", "of", "them", ".", "Thanks", ".");
    /* quotes: " becomes `` or '', 'yes' keeps its opening apostrophe */
    WORDS("He said \"no,\" and 'yes' -- isn't it? \u00abOui\u00bb \u201cSmart\u201d "
          "\u2018q\u2019 \u201ex\u201c",
          "He", "said", "``", "no", ",", "''", "and", "'yes", "'", "--", "is", "n't", "it", "?",
          "\u00ab", "Oui", "\u00bb", "\u201c", "Smart", "\u201d", "\u2018", "q", "\u2019", "\u201e",
          "x", "\u201c");
    /* clitics and MacIntyre's contractions */
    WORDS("I cannot go, gonna wanna see. 'Tis fine, d'ye know? More'n that: they'll, we're, I'd.",
          "I", "can", "not", "go", ",", "gon", "na", "wan", "na", "see", ".", "'T", "is", "fine",
          ",", "d", "'ye", "know", "?", "More", "'n", "that", ":", "they", "'ll", ",", "we", "'re",
          ",", "I", "'d", ".");
    /* Punkt: no break after an initial, nor after a number before a
     * lower-case word; an ellipsis is not a break; "(Sent1.)" realigned */
    WORDS("J. Smith arrived in 1990. he left. See p. 5 and No. 7. OK! Yes?! Wait... what. (Sent1.) "
          "Sent2.",
          "J.", "Smith", "arrived", "in", "1990.", "he", "left", ".", "See", "p", ".", "5", "and",
          "No", ".", "7", ".", "OK", "!", "Yes", "?", "!", "Wait", "...", "what", ".", "(", "Sent1",
          ".", ")", "Sent2", ".");
    /* symbols each a token; "e.g." and "U.S.A." keep their inner periods */
    WORDS("#tag @user 50% a&b x*y [1] {c} <d> e.g. U.S.A. 3.5 km, 1,000 people; end:", "#", "tag",
          "@", "user", "50", "%", "a", "&", "b", "x", "*", "y", "[", "1", "]", "{", "c", "}", "<",
          "d", ">", "e.g", ".", "U.S.A", ".", "3.5", "km", ",", "1,000", "people", ";", "end", ":");
    /* technical text: a URL and "foo.c:42" stay whole (a colon before a
     * digit is not split), which is why their alpha fraction is higher
     * than with tamis tokens */
    WORDS("Version 2.0.1 (2019-07-17): fixed bug #12 in foo.c:42 -> see http://example.org/a.html.",
          "Version", "2.0.1", "(", "2019-07-17", ")", ":", "fixed", "bug", "#", "12", "in",
          "foo.c:42", "-", ">", "see", "http", ":", "//example.org/a.html", ".");
    WORDS("");
    WORDS(" \n\t ");
}

static size_t sentences(const char *text) {
    tm_nltk w = {0};
    size_t n = 99;
    assert_int_equal(tmi_nltk_count_sentences(&w, text, strlen(text), &n), TM_OK);
    tmi_nltk_free(&w);
    return n;
}

static void test_sentences(void **state) {
    (void)state;
    assert_int_equal(sentences(""), 0);
    assert_int_equal(sentences("   "), 0);
    assert_int_equal(sentences("no end mark"), 1);
    assert_int_equal(sentences("Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.  "
                               "Please buy me\ntwo of them.\nThanks."),
                     3);
    /* without trained abbreviations every "Dr." and "Mr." is a break, but
     * "p.m." before a lower-case word is not */
    assert_int_equal(sentences("Dr. Smith met Mr. Jones at 5 p.m. today. They talked."), 5);
    assert_int_equal(sentences("J. K. Rowling wrote in 1997. it sold... well."), 1);
    assert_int_equal(sentences("Very bad acting!!! I promise."), 2);
    assert_int_equal(sentences("(Sent1.) Sent2. \"Quoted.\" Next one?"), 4);
}

typedef struct outcome {
    int removed;
    char rule[128];
    double value;
} outcome;

static outcome run(const char *preset, const char *tokenizer, const char *text) {
    tm_filter *f;
    tm_scorer *s;
    tm_filter_result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(tm_filter_new(&f, preset), TM_OK);
    if (tokenizer) assert_int_equal(tm_filter_set_tokenizer(f, tokenizer), TM_OK);
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(tmi_filter_apply(f, s, text, strlen(text), 0, NULL, 0, &r), TM_OK);
    outcome o = {.removed = r.removed, .value = r.value};
    snprintf(o.rule, sizeof o.rule, "%s", r.removed ? tm_filter_rule_name(f, r.rule) : "");
    tmi_filter_result_free(&r);
    tm_scorer_free(s);
    tm_filter_free(f);
    return o;
}

/* The value a rule of the verdict list reported (explain mode). */
static double verdict(const char *preset, const char *tokenizer, const char *text,
                      const char *rule) {
    tm_filter *f;
    tm_scorer *s;
    tm_filter_result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(tm_filter_new(&f, preset), TM_OK);
    if (tokenizer) assert_int_equal(tm_filter_set_tokenizer(f, tokenizer), TM_OK);
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(tmi_filter_apply(f, s, text, strlen(text), 0, NULL, 1, &r), TM_OK);
    double v = -1;
    for (size_t i = 0; i < r.n_verdicts; i++)
        if (!strcmp(tm_filter_rule_name(f, r.verdicts[i].rule), rule)) v = r.verdicts[i].value;
    tmi_filter_result_free(&r);
    tm_scorer_free(s);
    tm_filter_free(f);
    return v;
}

/* cc-wet d7b5gleyz3fwayuddpnklppfx2gafrpu, lines 6-22: an API reference.
 * datatrove keeps the page; tamis tokens split "xsd:int" and the URL into
 * pieces and used to remove it for alpha_word_frac. */
static const char ADWORDS[] =
    "https://adwords.google.com/api/adwords/cm/v201809\n\nField\n\nPage (inherited)\n\n"
    "totalNumEntries\n\nxsd:int\n\nTotal number of entries in the result that this page is a "
    "part of.\n\nPage.Type\n\nxsd:string\n\nIndicates that this instance is a subtype of Page. "
    "Although this field is returned in the response, it is ignored on input and cannot be "
    "selected. Specify xsi:type instead.";

/* cc-wet 242vbn6iahjs72xy676wahe3xlw4btni, the whole page: datatrove
 * removes it with 49 non-symbol words; tamis tokens counted 50. */
static const char LOGIN[] =
    "22nd IEEE International Conference on Software Analysis, Evolution, and Reengineering\n\n"
    "User Tools\n\nSite Tools\n\n\nen:international_projects\n\nLogin\n\nYou are currently not "
    "logged in! Enter your authentication credentials below to log in. You need to have "
    "cookies enabled to log in.\n\nLogin\n\nen/international_projects.txt \u00b7 Last modified: "
    "2015/01/30 15:00 by vincent";

static void test_ccwet_decisions(void **state) {
    (void)state;
    /* 67 NLTK tokens, 56 of them with a letter (and non-symbol) */
    outcome r = run("gopher", NULL, ADWORDS);
    assert_false(r.removed);
    assert_close(verdict("gopher", NULL, ADWORDS, "gopher_quality.alpha_word_frac"), 56.0 / 67,
                 1e-12);
    assert_close(verdict("gopher", NULL, ADWORDS, "gopher_quality.min_non_symbol_words"), 56, 0);
    assert_close(verdict("gopher", NULL, ADWORDS, "gopher_quality.min_mean_word_length"),
                 296.0 / 56, 1e-12);
    /* the tamis tokenizer: 77 tokens, 60 alphabetic */
    r = run("gopher", "tamis", ADWORDS);
    assert_true(r.removed);
    assert_string_equal(r.rule, "gopher_quality.alpha_word_frac");
    assert_close(r.value, 60.0 / 77, 1e-12);
    /* the default preset keeps its own tokenizer (and its 0.7) */
    assert_false(run("default", NULL, ADWORDS).removed);

    r = run("gopher", NULL, LOGIN);
    assert_true(r.removed);
    assert_string_equal(r.rule, "gopher_quality.min_non_symbol_words");
    assert_close(r.value, 49, 0);
    assert_close(verdict("gopher", "tamis", LOGIN, "gopher_quality.min_non_symbol_words"), 50, 0);
}

/* C4 counts Punkt sentences: one here, where the tamis heuristic sees five
 * (after "J.", "K.", "1997.", "sold..." and "well."). */
static void test_c4_punkt(void **state) {
    (void)state;
    static const char doc[] = "J. K. Rowling wrote in 1997. it sold... well.";
    outcome r = run("c4", NULL, doc);
    assert_true(r.removed);
    assert_string_equal(r.rule, "c4.n_sentences");
    assert_close(r.value, 1, 0);
    assert_close(verdict("c4", "tamis", doc, "c4.n_sentences"), 5, 0);
    assert_false(run("c4", "tamis", doc).removed);
}

/* quality-signals.md §12 T1 with NLTK's tokens instead of str.split():
 * 28 tokens ("mat" "." split at each Punkt sentence end, "..." "-" "#"
 * separate), 22 non-symbol; the n-gram values as NLTK tokens give them. */
static void test_signals_t1(void **state) {
    (void)state;
    static const char T1[] = "The cat sat on the mat.\nThe cat sat on the mat.\n\nIt was happy... "
                             "and warm\n- item one\n- item one\n# tag";
    tm_scorer *s;
    double v[TM_SIG_COUNT];
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(
        tmi_signals_compute_words(s, TM_WORDS_NLTK, T1, strlen(T1), "en", 0, TM_SIG_ALL, v), TM_OK);
    assert_close(v[TM_SIG_GQ_N_WORDS], 28, 0);
    assert_close(v[TM_SIG_GQ_N_NON_SYMBOL_WORDS], 22, 0);
    assert_close(v[TM_SIG_GQ_MEAN_WORD_LENGTH], 68.0 / 22, 1e-12);
    assert_close(v[TM_SIG_GQ_ALPHA_WORD_FRAC], 22.0 / 28, 1e-12);
    assert_close(v[TM_SIG_GQ_HASH_RATIO], 1.0 / 28, 1e-12);
    assert_close(v[TM_SIG_GQ_ELLIPSIS_RATIO], 1.0 / 28, 1e-12);
    assert_close(v[TM_SIG_GQ_STOP_WORDS], 2, 0);
    assert_close(v[TM_SIG_GR_TOP_2GRAM], 14.0 / 101, 1e-12);
    assert_close(v[TM_SIG_GR_TOP_3GRAM], 22.0 / 101, 1e-12);
    assert_close(v[TM_SIG_GR_TOP_4GRAM], 28.0 / 101, 1e-12);
    assert_close(v[TM_SIG_GR_DUP_5GRAM], 14.0 / 101, 1e-12);
    assert_close(v[TM_SIG_GR_DUP_6GRAM], 17.0 / 101, 1e-12);
    assert_close(v[TM_SIG_GR_DUP_7GRAM], 18.0 / 101, 1e-12);
    assert_close(v[TM_SIG_GR_DUP_8GRAM], 0, 0);
    assert_close(v[TM_SIG_FW_LIST_RATIO], 6.0 / 28, 1e-12);
    /* the line-based values do not depend on the tokens */
    assert_close(v[TM_SIG_GR_DUP_LINE_FRAC], 2.0 / 6, 1e-12);
    /* tamis.* keep tamis tokens: "the" "the" is no doubled word either way */
    double t[TM_SIG_COUNT];
    assert_int_equal(tm_signals_compute(s, T1, strlen(T1), "en", 0, TM_SIG_ALL, t), TM_OK);
    assert_close(v[TM_SIG_TM_NEAR_DUP_PARA_FRAC], t[TM_SIG_TM_NEAR_DUP_PARA_FRAC], 0);
    assert_close(v[TM_SIG_TM_DOUBLED_WORD_RATIO], t[TM_SIG_TM_DOUBLED_WORD_RATIO], 0);
    /* where the tokenizers differ: NLTK splits the clitic, tamis does not */
    static const char D[] = "I don't know.";
    assert_int_equal(tmi_signals_compute_words(s, TM_WORDS_NLTK, D, strlen(D), "en", 0,
                                               TM_SIG_BIT(TM_SIG_GQ_N_WORDS), v),
                     TM_OK);
    assert_close(v[TM_SIG_GQ_N_WORDS], 5, 0);
    assert_int_equal(tmi_signals_compute_words(s, TM_WORDS_TAMIS, D, strlen(D), "en", 0,
                                               TM_SIG_BIT(TM_SIG_GQ_N_WORDS), v),
                     TM_OK);
    assert_close(v[TM_SIG_GQ_N_WORDS], 4, 0);
    tm_scorer_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words),           cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_ccwet_decisions), cmocka_unit_test(test_c4_punkt),
        cmocka_unit_test(test_signals_t1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
