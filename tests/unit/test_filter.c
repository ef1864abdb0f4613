/*
 * test_filter.c — the rule engine: presets, order of evaluation, the first
 * failing rule with its value and threshold, disabled rules (threshold 0),
 * C4 rewriting feeding the FineWeb stage, language rules and explain mode.
 */
#include "testutil.h"

#include "signals/filter.h"

static const char T1[] = "The cat sat on the mat.\nThe cat sat on the mat.\n\nIt was happy... and "
                         "warm\n- item one\n- item one\n# tag";

static void apply(const tm_filter *f, const char *text, const tm_lang_result *l, int explain,
                  tm_filter_result *r) {
    tm_scorer *s;
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(tmi_filter_apply(f, s, text, strlen(text), 0, l, explain, r), TM_OK);
    tm_scorer_free(s);
}

static const char *removed_by(const tm_filter *f, const tm_filter_result *r) {
    return r->removed ? tm_filter_rule_name(f, r->rule) : "";
}

/* A clean English paragraph long enough for Gopher (>= 50 words). */
static const char GOOD[] =
    "The history of the small town is told in the records that the council kept with care. "
    "Every family that settled there had to register with the clerk, and the clerk wrote the "
    "names of the children, the trades of the fathers and the land that was granted to them. "
    "Many of these books survive today in the archive of the region, where historians read "
    "them to understand how people lived, worked and traded with their neighbours.\n"
    "Visitors can consult the archive on weekdays, and the staff will help them to find what "
    "they are looking for in the old registers of births and marriages. The reading room "
    "closes at five in the evening.";

static void test_gopher_preset(void **state) {
    (void)state;
    tm_filter *f;
    tm_filter_result r = {0};
    assert_int_equal(tm_filter_new(&f, "gopher"), TM_OK);
    assert_false(tm_filter_needs_lang(f));
    apply(f, T1, NULL, 0, &r);
    /* repetition runs before quality: T1 fails dup_line_frac (1/3 > 0.30) */
    assert_true(r.removed);
    assert_string_equal(removed_by(f, &r), "gopher_repetition.dup_line_frac");
    assert_close(r.value, 1.0 / 3, 1e-9);
    assert_close(r.threshold, 0.30, 1e-12);
    /* disabling it moves the removal to the next failing rule */
    assert_int_equal(tm_filter_set_rule(f, "gopher_repetition.dup_line_frac", 0), TM_OK);
    apply(f, T1, NULL, 0, &r);
    assert_string_equal(removed_by(f, &r), "gopher_repetition.dup_line_char_frac");
    assert_int_equal(tm_filter_set_rule(f, "no.such_rule", 1), TM_ERR_ARG);
    apply(f, GOOD, NULL, 0, &r);
    assert_false(r.removed);
    assert_ptr_equal(r.text, GOOD); /* gopher never rewrites */
    apply(f, " \n ", NULL, 0, &r);
    assert_string_equal(removed_by(f, &r), "tamis.empty");
    tmi_filter_result_free(&r);
    tm_filter_free(f);
}

static void test_explain(void **state) {
    (void)state;
    tm_filter *f;
    tm_filter_result r = {0};
    assert_int_equal(tm_filter_new(&f, "gopher"), TM_OK);
    apply(f, T1, NULL, 1, &r);
    assert_int_equal(r.n_verdicts, tm_filter_n_rules(f));
    assert_string_equal(removed_by(f, &r), "gopher_repetition.dup_line_frac");
    size_t fails = 0;
    for (size_t i = 0; i < r.n_verdicts; i++) {
        assert_int_equal(r.verdicts[i].rule, i);
        fails += !r.verdicts[i].pass;
        if (!strcmp(tm_filter_rule_name(f, i), "gopher_quality.min_non_symbol_words")) {
            assert_close(r.verdicts[i].value, 22, 1e-9);
            assert_false(r.verdicts[i].pass);
        }
    }
    assert_true(fails >= 2);
    tmi_filter_result_free(&r);
    tm_filter_free(f);
}

static void test_c4_rewrites(void **state) {
    (void)state;
    tm_filter *f;
    tm_filter_result r = {0};
    assert_int_equal(tm_filter_new(&f, "c4"), TM_OK);
    const char *t = "First sentence here. Second one!\nA menu line\nThird sentence is here. "
                    "Fourth [3] one. Fifth one.\nWe use cookies on this site.\n";
    apply(f, t, NULL, 0, &r);
    assert_false(r.removed);
    assert_true(r.edited);
    assert_int_equal(r.c4_lines_removed, 2);
    assert_int_equal(r.c4_citations, 1);
    assert_int_equal(r.text_len, strlen("First sentence here. Second one!\nThird sentence is "
                                        "here. Fourth  one. Fifth one."));
    assert_memory_equal(
        r.text, "First sentence here. Second one!\nThird sentence is here. Fourth  one. Fifth one.",
        r.text_len);
    /* fewer than 5 sentences */
    apply(f, "Only one sentence here.\n", NULL, 0, &r);
    assert_string_equal(removed_by(f, &r), "c4.n_sentences");
    assert_close(r.value, 1, 0);
    assert_close(r.threshold, 5, 0);
    /* the first document flag met wins */
    apply(f, "A { brace in this line.\nLorem ipsum dolor sit amet.\n", NULL, 0, &r);
    assert_string_equal(removed_by(f, &r), "c4.curly_bracket");
    tmi_filter_result_free(&r);
    tm_filter_free(f);
}

static void test_language(void **state) {
    (void)state;
    tm_filter *f;
    tm_filter_result r = {0};
    tm_lang_result l;
    memset(&l, 0, sizeof l);
    assert_int_equal(tm_filter_new(&f, "fineweb"), TM_OK);
    assert_true(tm_filter_needs_lang(f));
    assert_string_equal(tm_filter_rule_name(f, 1), "language");
    snprintf(l.code, sizeof l.code, "fr");
    l.score = 0.99;
    snprintf(l.top[0].code, sizeof l.top[0].code, "fr");
    l.top[0].share = 0.99;
    apply(f, GOOD, &l, 0, &r);
    assert_string_equal(removed_by(f, &r), "language");
    assert_close(r.value, 0, 0);
    assert_close(r.threshold, 0.65, 1e-12);
    assert_int_equal(tm_filter_set_lang(f, "fr,de", 0.5), TM_OK);
    apply(f, GOOD, &l, 0, &r);
    assert_true(!r.removed || strcmp(removed_by(f, &r), "language") != 0);
    l.score = 0.4; /* below 0.5 */
    apply(f, GOOD, &l, 0, &r);
    assert_string_equal(removed_by(f, &r), "language");
    assert_close(r.value, 0.4, 1e-12);
    tmi_filter_result_free(&r);
    tm_filter_free(f);
}

static void test_fineweb_chain(void **state) {
    (void)state;
    tm_filter *f;
    tm_filter_result r = {0};
    tm_lang_result l;
    memset(&l, 0, sizeof l);
    snprintf(l.code, sizeof l.code, "en");
    l.score = 0.95;
    assert_int_equal(tm_filter_new(&f, "fineweb"), TM_OK);
    apply(f, GOOD, &l, 0, &r);
    if (r.removed) fprintf(stderr, "removed by %s\n", removed_by(f, &r));
    assert_false(r.removed);
    assert_false(r.edited);
    /* FineWeb's stage scores the C4 output: the menu lines (< 3 words)
     * are gone before line_punct_ratio is computed */
    char doc[2048];
    snprintf(doc, sizeof doc, "%s\nHome\nAbout\nContact\nShop\nNews\nLogin\nHelp\n", GOOD);
    apply(f, doc, &l, 0, &r);
    assert_false(r.removed);
    assert_true(r.edited);
    assert_int_equal(r.c4_lines_removed, 7);
    assert_int_equal(tm_filter_new(&f, "nope") == TM_ERR_ARG, 1);
    tmi_filter_result_free(&r);
    tm_filter_free(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gopher_preset), cmocka_unit_test(test_explain),
        cmocka_unit_test(test_c4_rewrites),   cmocka_unit_test(test_language),
        cmocka_unit_test(test_fineweb_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
