/*
 * test_run_config.c — the configuration of `tamis run`: defaults, setting
 * keys, YAML loading with line-numbered errors, and the printed form
 * loading back to the same configuration.
 */
#include "testutil.h"

static char *yaml_of(tm_run_config *c) {
    tm_buf b = {0};
    assert_int_equal(tm_run_config_to_yaml(c, &b), TM_OK);
    return b.data;
}

static void test_defaults_and_set(void **state) {
    (void)state;
    tm_run_config *c;
    assert_int_equal(tm_run_config_new(&c), TM_OK);
    char *y = yaml_of(c);
    assert_non_null(strstr(y, "  threshold: 0.85   #"));
    assert_non_null(strstr(y, "  containment: 0.98   #"));
    assert_non_null(strstr(y, "  containment_ratio: 0.7   #"));
    assert_non_null(strstr(y, "  preset: default   #"));
    assert_non_null(strstr(y, "  para_threshold: 0.6   #"));
    assert_non_null(strstr(y, "  rules: {}\n"));
    free(y);
    char err[256];
    assert_int_equal(
        tm_test_detail(tm_run_config_set(c, "dedup.threshold", "0.7"), err, sizeof err), TM_OK);
    assert_int_equal(
        tm_test_detail(tm_run_config_set(c, "filter.preset", "fineweb"), err, sizeof err), TM_OK);
    assert_int_equal(
        tm_test_detail(tm_run_config_set(c, "output.shard_bytes", "64M"), err, sizeof err), TM_OK);
    assert_int_equal(
        tm_test_detail(tm_run_config_set(c, "filter.rules.gopher_quality.stop_words", "3"), err,
                       sizeof err),
        TM_OK);
    y = yaml_of(c);
    assert_non_null(strstr(y, "  threshold: 0.7   #"));
    assert_non_null(strstr(y, "  preset: fineweb   #"));
    assert_non_null(strstr(y, "  shard_bytes: 67108864   #"));
    assert_non_null(strstr(y, "  rules:\n    gopher_quality.stop_words: 3\n"));
    free(y);
    assert_int_equal(tm_test_detail(tm_run_config_set(c, "dedup.treshold", "0.7"), err, sizeof err),
                     TM_ERR_ARG);
    assert_non_null(strstr(err, "unknown configuration key 'dedup.treshold'"));
    assert_int_equal(tm_test_detail(tm_run_config_set(c, "filter.preset", "best"), err, sizeof err),
                     TM_ERR_ARG);
    assert_non_null(strstr(err, "default|gopher|c4|fineweb"));
    assert_int_equal(tm_test_detail(tm_run_config_set(c, "dedup.near", "maybe"), err, sizeof err),
                     TM_ERR_ARG);
    assert_int_equal(tm_test_detail(tm_run_config_set(c, "dedup.perms", "-3"), err, sizeof err),
                     TM_ERR_ARG);
    assert_int_equal(
        tm_test_detail(tm_run_config_set(c, "output.shard_bytes", "12X"), err, sizeof err),
        TM_ERR_ARG);
    tm_run_config_free(c);
}

static void test_yaml(void **state) {
    (void)state;
    tm_run_config *c;
    assert_int_equal(tm_run_config_new(&c), TM_OK);
    const char *doc = "# a comment\n"
                      "threads: 2\n"
                      "clean:\n  ops: normalize,doubled\n  lang: ~\n"
                      "filter:\n  preset: gopher\n  lang: fr,en\n"
                      "  rules:\n    gopher_repetition.dup_line_frac: 0.25\n"
                      "dedup:\n  paragraphs: yes\n  shingle: 'char:5'\n";
    char err[256] = "";
    assert_int_equal(tm_test_detail(tm_run_config_load_yaml(c, doc, strlen(doc)), err, sizeof err),
                     TM_OK);
    char *y = yaml_of(c);
    assert_non_null(strstr(y, "threads: 2   #"));
    assert_non_null(strstr(y, "  ops: \"normalize,doubled\"   #"));
    assert_non_null(strstr(y, "  lang: \"\"   # language of every document"));
    assert_non_null(strstr(y, "  lang: \"fr,en\"   #"));
    assert_non_null(strstr(y, "    gopher_repetition.dup_line_frac: 0.25\n"));
    assert_non_null(strstr(y, "  paragraphs: true   #"));
    assert_non_null(strstr(y, "  shingle: \"char:5\"   #"));
    /* The printed form loads back into the same configuration. */
    tm_run_config *d;
    assert_int_equal(tm_run_config_new(&d), TM_OK);
    assert_int_equal(tm_test_detail(tm_run_config_load_yaml(d, y, strlen(y)), err, sizeof err),
                     TM_OK);
    char *y2 = yaml_of(d);
    assert_string_equal(y, y2);
    free(y);
    free(y2);
    tm_run_config_free(d);
    tm_run_config_free(c);
}

static void test_yaml_errors(void **state) {
    (void)state;
    tm_run_config *c;
    assert_int_equal(tm_run_config_new(&c), TM_OK);
    char err[256] = "";
    const char *bad_key = "dedup:\n  threshold: 0.7\n  bandz: 4\n";
    assert_int_equal(
        tm_test_detail(tm_run_config_load_yaml(c, bad_key, strlen(bad_key)), err, sizeof err),
        TM_ERR_ARG);
    assert_non_null(strstr(err, "line 3"));
    assert_non_null(strstr(err, "dedup.bandz"));
    const char *bad_syntax = "dedup: [1, 2\n";
    assert_int_equal(
        tm_test_detail(tm_run_config_load_yaml(c, bad_syntax, strlen(bad_syntax)), err, sizeof err),
        TM_ERR_ARG);
    assert_non_null(strstr(err, "YAML error"));
    const char *list = "dedup:\n  threshold: [0.7]\n";
    assert_int_equal(
        tm_test_detail(tm_run_config_load_yaml(c, list, strlen(list)), err, sizeof err),
        TM_ERR_ARG);
    assert_non_null(strstr(err, "expected a single value"));
    const char *scalar = "just text\n";
    assert_int_equal(
        tm_test_detail(tm_run_config_load_yaml(c, scalar, strlen(scalar)), err, sizeof err),
        TM_ERR_ARG);
    /* An empty document changes nothing. */
    assert_int_equal(tm_test_detail(tm_run_config_load_yaml(c, "", 0), err, sizeof err), TM_OK);
    tm_run_config_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_set),
        cmocka_unit_test(test_yaml),
        cmocka_unit_test(test_yaml_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
