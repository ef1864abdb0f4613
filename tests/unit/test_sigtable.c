/*
 * test_sigtable.c — the one table of signals, rules and presets
 * (include/tamis_signals.h): every signal row has a name under its family's
 * and a function that fills it; every rule names a signal of its stage's
 * family; every preset builds with its column of thresholds; an unknown
 * preset or rule is an error that names it.
 */
#include "testutil.h"

#include "signals/filter.h"

/* Every row of the signal table (include/tamis_signals.h) has a name under
 * its family's, a family, and a function that fills it: the driver leaves a
 * signal NaN until its family writes it, so a row added without code fails
 * here, on texts that take each family's early exits (empty, one word, too
 * few tokens for an n-gram) and its full path, with both tokenizers and with
 * each family asked alone. */
static void test_table_rows_computed(void **state) {
    (void)state;
    uint64_t fam[TM_FAM_COUNT], all = 0;
    tmi_sig_family_masks(fam);
    for (int f = 0; f < TM_FAM_COUNT; f++) {
        assert_true(fam[f] != 0); /* no family without a signal */
        assert_true((all & fam[f]) == 0);
        all |= fam[f];
        assert_int_equal(tmi_sig_family_mask(f) == fam[f], 1);
    }
    assert_true(all == TM_SIG_ALL);
    for (int i = 0; i < TM_SIG_COUNT; i++) {
        const char *n = tm_signal_name(i), *fn;
        assert_non_null(n);
        assert_true(tmi_sig_family[i] < TM_FAM_COUNT);
        fn = tmi_sig_family_names[tmi_sig_family[i]];
        /* "family.signal" */
        assert_int_equal(strncmp(n, fn, strlen(fn)), 0);
        assert_int_equal(n[strlen(fn)], '.');
        assert_true(n[strlen(fn) + 1] != '\0');
        for (int j = 0; j < i; j++) assert_string_not_equal(n, tm_signal_name(j));
    }
    const char *texts[] = {"",
                           "word",
                           "one two three",
                           "The cat sat on the mat.\nThe cat sat on the mat.\n\n- item\n# tag...",
                           "I am Frank, I am Frank, I am Frank",
                           "Caf\xC3\xA9 au lait. 3,50 \xE2\x82\xAC!\r\nDEUX CAF\xC3\x89S, SVP.\n",
                           "A first paragraph that says something.\n\nA second one, with "
                           "lorem ipsum { and [1] a citation.\n\nA first paragraph that says "
                           "something."};
    tm_scorer *s;
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++)
        for (int words = TM_WORDS_TAMIS; words <= TM_WORDS_NLTK; words++)
            for (int f = -1; f < TM_FAM_COUNT; f++) {
                uint64_t mask = f < 0 ? TM_SIG_ALL : fam[f];
                double v[TM_SIG_COUNT];
                for (int i = 0; i < TM_SIG_COUNT; i++) v[i] = NAN;
                assert_int_equal(tmi_signals_compute_words(s, words, texts[k], strlen(texts[k]),
                                                           "en", 0, mask, v),
                                 TM_OK);
                for (int i = 0; i < TM_SIG_COUNT; i++) {
                    int asked = (mask & TM_SIG_BIT(i)) != 0;
                    if (asked && !isfinite(v[i]))
                        fprintf(stderr, "%s not computed on text %zu\n", tm_signal_name(i), k);
                    assert_int_equal(asked, !isnan(v[i])); /* only asked ones written */
                    if (asked) assert_true(isfinite(v[i]) && v[i] >= 0);
                }
            }
    tm_scorer_free(s);
}

/* The rule table and the presets: every rule names a signal of the right
 * family (or none), once; every preset of the table builds, with its column
 * of thresholds; an unknown preset, or a preset naming an unknown rule, is an
 * error that says which name, never a rule silently left off. */
static void test_presets_table(void **state) {
    (void)state;
    static const int stage_family[TM_ST_COUNT] = {
        [TM_ST_EMPTY] = -1, [TM_ST_LANG] = -1,      [TM_ST_GR] = TM_FAM_GR, [TM_ST_GQ] = TM_FAM_GQ,
        [TM_ST_C4OPT] = -1, [TM_ST_C4] = TM_FAM_C4, [TM_ST_FW] = TM_FAM_FW, [TM_ST_TM] = TM_FAM_TM};
    for (int r = 0; r < TM_SIG_N_RULES; r++) {
        const tm_sig_rule *d = &tmi_sig_rules[r];
        assert_true(d->name && *d->name);
        assert_int_equal(tmi_sig_rule_lookup(d->name, strlen(d->name)), r); /* unique */
        assert_true(d->stage >= 0 && d->stage < TM_ST_COUNT);
        if (d->signal >= 0) {
            assert_true(d->signal < TM_SIG_COUNT);
            assert_true(d->kind == TM_RK_MIN || d->kind == TM_RK_MAX || d->kind == TM_RK_FLAG);
            assert_int_equal(tmi_sig_family[d->signal], stage_family[d->stage]);
        } else {
            assert_int_equal(stage_family[d->stage], -1);
        }
        for (int p = 0; p < TM_PRESET_COUNT; p++) assert_true(d->thr[p] >= 0);
    }
    for (int p = 0; p < TM_PRESET_COUNT; p++) {
        tm_filter *f;
        char err[128] = "";
        assert_int_equal(
            tm_test_detail(tm_filter_new_spec(&f, tmi_sig_presets[p].name), err, sizeof err),
            TM_OK);
        /* every active rule carries the preset's threshold from the table */
        size_t n_on = 0;
        for (int r = 0; r < TM_SIG_N_RULES; r++)
            n_on += tmi_sig_rules[r].kind != TM_RK_OPT && tmi_sig_rules[r].thr[p] > 0;
        assert_int_equal(tm_filter_n_rules(f), n_on);
        for (size_t i = 0; i < tm_filter_n_rules(f); i++) {
            const char *n = tm_filter_rule_name(f, i);
            int r = tmi_sig_rule_lookup(n, strlen(n));
            assert_true(r >= 0);
            assert_true(tm_filter_rule_threshold(f, i) == tmi_sig_rules[r].thr[p]);
            /* stage by stage */
            if (i) {
                const char *m = tm_filter_rule_name(f, i - 1);
                assert_true(tmi_sig_rules[tmi_sig_rule_lookup(m, strlen(m))].stage <=
                            tmi_sig_rules[r].stage);
            }
        }
        tm_filter_free(f);
    }
    /* datatrove's order: repetition before quality */
    tm_filter *f;
    assert_int_equal(tm_filter_new(&f, "gopher"), TM_OK);
    assert_string_equal(tm_filter_rule_name(f, 1), "gopher_repetition.dup_para_frac");
    assert_string_equal(tm_filter_rule_name(f, 14), "gopher_quality.min_non_symbol_words");
    tm_filter_free(f);

    char err[128] = "";
    assert_int_equal(tm_test_detail(tm_filter_new_spec(&f, "gopherr"), err, sizeof err),
                     TM_ERR_ARG);
    assert_string_equal(err, "unknown preset 'gopherr' (default, gopher, c4, fineweb)");
    assert_int_equal(tm_test_detail(tm_filter_new_spec(&f, "default,gopher_quality.stop_word=3"),
                                    err, sizeof err),
                     TM_ERR_ARG);
    assert_string_equal(err, "unknown rule 'gopher_quality.stop_word' (tamis filter --list-rules)");
    assert_int_equal(tm_test_detail(tm_filter_new_spec(&f, "c4,c4.n_sentences=x"), err, sizeof err),
                     TM_ERR_ARG);
    assert_non_null(strstr(err, "c4.n_sentences=x"));
    assert_int_equal(tm_filter_new_spec(&f, "c4,c4.n_sentences"), TM_ERR_ARG);
    /* a preset with overrides: one rule off, one on, one changed */
    assert_int_equal(
        tm_test_detail(tm_filter_new_spec(&f, "c4,c4.lorem_ipsum=0,tamis.invalid_utf8=2,"
                                              "c4.n_sentences=7"),
                       err, sizeof err),
        TM_OK);
    assert_int_equal(tm_filter_n_rules(f), 4);
    assert_string_equal(tm_filter_rule_name(f, 1), "c4.curly_bracket");
    assert_string_equal(tm_filter_rule_name(f, 2), "c4.n_sentences");
    assert_true(tm_filter_rule_threshold(f, 2) == 7);
    assert_string_equal(tm_filter_rule_name(f, 3), "tamis.invalid_utf8");
    assert_true(tm_filter_rule_threshold(f, 3) == 2);
    tm_filter_free(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_rows_computed),
        cmocka_unit_test(test_presets_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
