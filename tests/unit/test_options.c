/*
 * test_options.c — the option table (tm_option_*): every entry complete and
 * consistent, a bad value refused with the same message whether it comes
 * from a flag or from the YAML of `tamis run`, unknown keys refused with the
 * nearest key, and the options translated into the jobs' option records.
 */
#include "testutil.h"

static tm_run_config *fresh(void) {
    tm_run_config *c;
    assert_int_equal(tm_run_config_new(&c), TM_OK);
    return c;
}

/* Loads "section:\n  leaf: value\n" (or "key: value") into c. */
static tm_error load_one(tm_run_config *c, const char *key, const char *value, char *err,
                         size_t size) {
    char y[512];
    const char *dot = strchr(key, '.');
    if (dot)
        snprintf(y, sizeof y, "%.*s:\n  %s: %s\n", (int)(dot - key), key, dot + 1, value);
    else
        snprintf(y, sizeof y, "%s: %s\n", key, value);
    return tm_test_detail(tm_run_config_load_yaml(c, y, strlen(y)), err, size);
}

static void test_every_entry_complete(void **state) {
    (void)state;
    tm_run_config *c = fresh();
    tm_buf y = {0};
    assert_int_equal(tm_run_config_to_yaml(c, &y), TM_OK);
    assert_true(tm_option_count() >= 60);
    for (size_t i = 0; i < tm_option_count(); i++) {
        const tm_option *o = tm_option_get(i);
        assert_non_null(o->key);
        assert_true(strlen(o->key) > 0);
        assert_non_null(o->help);
        assert_true(strlen(o->help) > 5);
        assert_ptr_equal(tm_option_find(o->key), o);
        for (size_t k = 0; k < i; k++) assert_string_not_equal(tm_option_get(k)->key, o->key);
        if (o->type == TM_OPT_ENUM) assert_non_null(o->choices);
        if (o->flag) {
            assert_true(o->flag[0] == '-' && o->flag[1] == '-');
            assert_true(o->commands != 0);
            assert_true(o->arg || o->preset);
            /* a flag means one option per command */
            for (int b = 0; b < 8; b++)
                if (o->commands & (1u << b))
                    assert_ptr_equal(tm_option_by_flag(o->flag, 1u << b), o);
        }
        /* the default reads back as itself */
        char v[256], v2[256], err[256];
        assert_int_equal(tm_options_value(c, o->key, v, sizeof v), TM_OK);
        assert_int_equal(tm_test_detail(tm_options_set(c, o->key, v, NULL), err, sizeof err),
                         TM_OK);
        assert_int_equal(tm_options_value(c, o->key, v2, sizeof v2), TM_OK);
        assert_string_equal(v, v2);
        /* a configuration key is printed by --print-config, under its leaf */
        const char *leaf = strrchr(o->key, '.');
        char line[128];
        snprintf(line, sizeof line, "%s%s: ", leaf ? "\n  " : "", leaf ? leaf + 1 : o->key);
        if (o->flags & TM_OPT_F_YAML)
            assert_non_null(strstr(y.data, line));
        else
            assert_int_equal(tm_test_detail(tm_run_config_set(c, o->key, v), err, sizeof err),
                             TM_ERR_ARG);
    }
    tm_buf_free(&y);
    tm_run_config_free(c);
}

/* For every number option with a flag and a key: a value out of range is
 * refused by the flag and by the YAML with one message, only the name
 * differing (the flag, or the key after the line number). */
static void test_range_error_same_message(void **state) {
    (void)state;
    int checked = 0;
    for (size_t i = 0; i < tm_option_count(); i++) {
        const tm_option *o = tm_option_get(i);
        if (!o->flag || !(o->flags & TM_OPT_F_YAML)) continue;
        if (o->type != TM_OPT_INT && o->type != TM_OPT_DOUBLE) continue;
        char bad[64], cli[512], yaml[512], want[600];
        snprintf(bad, sizeof bad, "%.0f", o->hi * 2 + 7);
        tm_run_config *a = fresh(), *b = fresh();
        assert_int_equal(tm_test_detail(tm_options_set(a, o->key, bad, o->flag), cli, sizeof cli),
                         TM_ERR_ARG);
        assert_int_equal(load_one(b, o->key, bad, yaml, sizeof yaml), TM_ERR_ARG);
        size_t n = strlen(o->flag);
        assert_memory_equal(cli, o->flag, n);
        snprintf(want, sizeof want, "line %d: %s%s", strchr(o->key, '.') ? 2 : 1, o->key, cli + n);
        assert_string_equal(yaml, want);
        assert_non_null(strstr(cli, "got '"));
        tm_run_config_free(a);
        tm_run_config_free(b);
        checked++;
    }
    assert_true(checked >= 15);
}

/* The drift that started it: char:N took 256 on the command line and 64 in
 * a configuration; now one rule, [1, 256], for both. */
static void test_shingle_one_rule(void **state) {
    (void)state;
    char err[256], yaml[256];
    tm_run_config *c = fresh();
    assert_int_equal(tm_test_detail(tm_options_set(c, "dedup.shingle", "char:300", "--shingle"),
                                    err, sizeof err),
                     TM_ERR_ARG);
    assert_string_equal(
        err, "--shingle: expected C, characters per shingle, in [1, 256], got 'char:300'");
    assert_int_equal(load_one(c, "dedup.shingle", "char:300", yaml, sizeof yaml), TM_ERR_ARG);
    assert_string_equal(
        yaml,
        "line 2: dedup.shingle: expected C, characters per shingle, in [1, 256], got 'char:300'");
    assert_int_equal(load_one(c, "dedup.shingle", "char:256", yaml, sizeof yaml), TM_OK);
    tm_dedup_opts d;
    assert_int_equal(tm_test_detail(tm_options_dedup(c, TM_CMD_RUN, &d), err, sizeof err), TM_OK);
    assert_int_equal(d.shingle.kind, TM_SHINGLE_CHARS);
    assert_int_equal(d.shingle.char_n, 256);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "dedup.shingle", "auto:3,100", NULL), err, sizeof err),
        TM_OK);
    assert_int_equal(tm_test_detail(tm_options_dedup(c, TM_CMD_DEDUP, &d), err, sizeof err), TM_OK);
    assert_int_equal(d.shingle.kind, TM_SHINGLE_AUTO);
    assert_int_equal(d.shingle.word_n, 3);
    assert_int_equal(d.shingle.char_n, 100);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "dedup.shingle", "word:65", NULL), err, sizeof err),
        TM_ERR_ARG);
    assert_non_null(strstr(err, "in [1, 64]"));
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "dedup.shingle", "word:5x", NULL), err, sizeof err),
        TM_ERR_ARG);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "dedup.shingle", "auto:0,5", NULL), err, sizeof err),
        TM_ERR_ARG);
    tm_run_config_free(c);
}

static void test_unknown_keys(void **state) {
    (void)state;
    char err[256];
    tm_run_config *c = fresh();
    assert_int_equal(tm_test_detail(tm_run_config_set(c, "dedup.bandz", "3"), err, sizeof err),
                     TM_ERR_ARG);
    assert_string_equal(err,
                        "unknown configuration key 'dedup.bandz' (did you mean 'dedup.bands'?)");
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "nothing.like.it", "3", NULL), err, sizeof err),
        TM_ERR_ARG);
    assert_string_equal(err, "unknown configuration key 'nothing.like.it'");
    assert_int_equal(load_one(c, "dedup.treshold", "0.7", err, sizeof err), TM_ERR_ARG);
    assert_string_equal(
        err,
        "line 2: unknown configuration key 'dedup.treshold' (did you mean 'dedup.threshold'?)");
    /* a single command's flag is no key of a run: refused there, with what
     * takes it, and set through the table for the command */
    assert_int_equal(tm_test_detail(tm_run_config_set(c, "dedup.seed", "7"), err, sizeof err),
                     TM_ERR_ARG);
    assert_string_equal(err, "'dedup.seed' is not a configuration key of tamis run yet (only tamis "
                             "dedup --seed)");
    assert_int_equal(load_one(c, "dedup.seed", "7", err, sizeof err), TM_ERR_ARG);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "dedup.seed", "7", "--seed"), err, sizeof err), TM_OK);
    tm_dedup_opts d;
    assert_int_equal(tm_test_detail(tm_options_dedup(c, TM_CMD_DEDUP, &d), err, sizeof err), TM_OK);
    assert_int_equal(d.seed, 7);
    tm_run_config_free(c);
}

static void test_flags_per_command(void **state) {
    (void)state;
    assert_string_equal(tm_option_by_flag("--lang", TM_CMD_CLEAN)->key, "clean.lang");
    assert_string_equal(tm_option_by_flag("--lang", TM_CMD_FILTER)->key, "filter.lang");
    assert_string_equal(tm_option_by_flag("--lang", TM_CMD_RUN)->key, "filter.lang");
    assert_null(tm_option_by_flag("--lang", TM_CMD_CAT));
    assert_string_equal(tm_option_by_flag("-j", TM_CMD_STATS)->key, "threads");
    assert_string_equal(tm_option_by_flag("--tokenizer", TM_CMD_SCORE)->key, "score.tokenizer");
    assert_string_equal(tm_option_by_flag("--tokenizer", TM_CMD_FILTER)->key, "filter.tokenizer");
    assert_string_equal(tm_option_by_flag("--no-dedup", TM_CMD_RUN)->preset, "false");
    assert_null(tm_option_by_flag("--no-dedup", TM_CMD_DEDUP));
}

/* One translation into the jobs' records, naming options as the asker
 * does: flags for a command, keys for a run. */
static void test_translation(void **state) {
    (void)state;
    char err[256];
    tm_run_config *c = fresh();
    tm_dedup_opts d, def;
    tm_dedup_opts_init(&def);
    assert_int_equal(tm_test_detail(tm_options_dedup(c, TM_CMD_DEDUP, &d), err, sizeof err), TM_OK);
    assert_true(d.threshold == def.threshold && d.perms == def.perms && d.norm == def.norm);
    assert_true(d.seed == def.seed && d.min_doc_chars == def.min_doc_chars);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "dedup.threshold", "0.7", NULL), err, sizeof err), TM_OK);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "dedup.normalize", "none", NULL), err, sizeof err), TM_OK);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "dedup.keep", "longest", NULL), err, sizeof err), TM_OK);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "dedup.memory", "64M", NULL), err, sizeof err), TM_OK);
    assert_int_equal(tm_test_detail(tm_options_dedup(c, TM_CMD_DEDUP, &d), err, sizeof err), TM_OK);
    assert_true(d.threshold == 0.7);
    assert_int_equal(d.norm, -1);
    assert_int_equal(d.keep, TM_KEEP_LONGEST);
    assert_int_equal(d.memory, 64 << 20);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "dedup.memory", "100", "--memory"), err, sizeof err),
        TM_ERR_ARG);
    assert_string_equal(err, "--memory: expected 0 or a size of at least 4K, got '100'");
    assert_int_equal(tm_test_detail(tm_options_set(c, "dedup.bands", "4", NULL), err, sizeof err),
                     TM_OK);
    assert_int_equal(tm_test_detail(tm_options_dedup(c, TM_CMD_DEDUP, &d), err, sizeof err),
                     TM_ERR_ARG);
    assert_string_equal(err, "--bands and --rows go together");
    assert_int_equal(tm_test_detail(tm_options_dedup(c, TM_CMD_RUN, &d), err, sizeof err),
                     TM_ERR_ARG);
    assert_string_equal(err, "dedup.bands and dedup.rows go together");
    assert_int_equal(tm_test_detail(tm_options_set(c, "dedup.rows", "40", NULL), err, sizeof err),
                     TM_OK);
    assert_int_equal(tm_test_detail(tm_options_dedup(c, TM_CMD_DEDUP, &d), err, sizeof err),
                     TM_ERR_ARG);
    assert_string_equal(err, "--bands x --rows must not exceed --perms (128)");
    /* reader options, the rate with its percent form, and "all" */
    tm_job_opts j;
    tm_job_opts_init(&j);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "reader.text_field", "body", NULL), err, sizeof err),
        TM_OK);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "reader.text_field", "", "--text-field"), err, sizeof err),
        TM_ERR_ARG);
    assert_string_equal(err, "--text-field: empty");
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "reader.rejects_keep", "all", NULL), err, sizeof err),
        TM_OK);
    assert_int_equal(tm_test_detail(tm_options_set(c, "threads", "3", NULL), err, sizeof err),
                     TM_OK);
    assert_int_equal(tm_options_job(c, &j), TM_OK);
    assert_string_equal(j.reader.text_field, "body");
    assert_int_equal(j.rejects_keep, -1);
    assert_int_equal(j.threads, 3);
    char v[32];
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "reader.max_reject_rate", "25%", NULL), err, sizeof err),
        TM_OK);
    assert_int_equal(tm_options_value(c, "reader.max_reject_rate", v, sizeof v), TM_OK);
    assert_string_equal(v, "0.25");
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "reader.max_reject_rate", "150%", "--max-reject-rate"),
                       err, sizeof err),
        TM_ERR_ARG);
    assert_string_equal(err, "--max-reject-rate: expected a number in [0, 1], got '150%'");
    /* clean, filter, score */
    tm_clean_opts co;
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "clean.ops", "normalize,doubled", NULL), err, sizeof err),
        TM_OK);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "clean.ops", "normalise", "--ops"), err, sizeof err),
        TM_ERR_ARG);
    assert_int_equal(tm_test_detail(tm_options_clean(c, &co), err, sizeof err), TM_OK);
    assert_int_equal(co.ops, TM_CLEAN_NORMALIZE | TM_CLEAN_DOUBLED);
    tm_filter *f;
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "filter.preset", "c4", NULL), err, sizeof err), TM_OK);
    assert_int_equal(tm_test_detail(tm_options_set(c, "filter.rules.c4.n_sentences", "2", NULL),
                                    err, sizeof err),
                     TM_OK);
    assert_int_equal(tm_test_detail(tm_options_filter(c, TM_CMD_FILTER, &f), err, sizeof err),
                     TM_OK);
    int found = 0;
    for (size_t k = 0; k < tm_filter_n_rules(f); k++)
        if (!strcmp(tm_filter_rule_name(f, k), "c4.n_sentences"))
            found = tm_filter_rule_threshold(f, k) == 2;
    assert_true(found);
    tm_filter_free(f);
    tm_score_opts so;
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "score.tokenizer", "nltk", NULL), err, sizeof err), TM_OK);
    assert_int_equal(
        tm_test_detail(tm_options_set(c, "score.lang", "false", NULL), err, sizeof err), TM_OK);
    assert_int_equal(tm_test_detail(tm_options_score(c, &so), err, sizeof err), TM_OK);
    assert_int_equal(so.nltk_words, 1);
    assert_int_equal(so.lang, 0);
    tm_run_config_free(c);
}

static void test_markdown_lists_every_key(void **state) {
    (void)state;
    tm_buf b = {0};
    assert_int_equal(tm_options_markdown(&b), TM_OK);
    for (size_t i = 0; i < tm_option_count(); i++) {
        char cell[128];
        snprintf(cell, sizeof cell, "\n| `%s`", tm_option_get(i)->key);
        assert_non_null(strstr(b.data, cell));
    }
    assert_non_null(strstr(b.data, "| `dedup.threshold` | `--threshold J`: dedup, run | number | "
                                   "[0.01, 0.99] | `0.85` |"));
    tm_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_entry_complete),
        cmocka_unit_test(test_range_error_same_message),
        cmocka_unit_test(test_shingle_one_rule),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_flags_per_command),
        cmocka_unit_test(test_translation),
        cmocka_unit_test(test_markdown_lists_every_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
