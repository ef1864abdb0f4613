/*
 * test_error_detail.c — tm_error_detail(), the one way to get an error's
 * detail: the message each kind of failure leaves (a configuration key with
 * its nearest key, a YAML line, a signal name, a filter rule, a job's
 * unreadable input, the input of tamis run that changed since), that a call
 * with nothing to add leaves "", that each thread reads its own, and that
 * it stays readable when memory is out (test_alloc_fail.c).
 */
#include "testutil.h"

#include <pthread.h>

static tm_run_config *fresh(void) {
    tm_run_config *c = NULL;
    assert_int_equal(tm_run_config_new(&c), TM_OK);
    return c;
}

static void test_config_key(void **state) {
    (void)state;
    tm_run_config *c = fresh();
    assert_int_equal(tm_run_config_set(c, "dedup.treshold", "0.7"), TM_ERR_ARG);
    assert_string_equal(tm_error_detail(),
                        "unknown configuration key 'dedup.treshold' (did you mean "
                        "'dedup.threshold'?)");
    /* a success clears it: the next failure without more to say reads "" */
    assert_int_equal(tm_run_config_set(c, "dedup.threshold", "0.7"), TM_OK);
    assert_string_equal(tm_error_detail(), "");
    assert_int_equal(tm_run_config_set(c, "dedup.threshold", "2"), TM_ERR_ARG);
    assert_non_null(strstr(tm_error_detail(), "dedup.threshold: expected a number in"));
    assert_non_null(strstr(tm_error_detail(), "got '2'"));
    tm_run_config_free(c);
}

static void test_yaml_line(void **state) {
    (void)state;
    tm_run_config *c = fresh();
    static const char bad_key[] = "dedup:\n  threshold: 0.7\n  bandz: 3\n";
    assert_int_equal(tm_run_config_load_yaml(c, bad_key, sizeof bad_key - 1), TM_ERR_ARG);
    assert_string_equal(tm_error_detail(),
                        "line 3: unknown configuration key 'dedup.bandz' (did you mean "
                        "'dedup.bands'?)");
    static const char bad_syntax[] = "dedup:\n  threshold: [0.7\n";
    assert_int_equal(tm_run_config_load_yaml(c, bad_syntax, sizeof bad_syntax - 1), TM_ERR_ARG);
    assert_true(strncmp(tm_error_detail(), "YAML error at line ", 19) == 0);
    static const char dup[] = "dedup:\n  threshold: 0.7\n  threshold: 0.8\n";
    assert_int_equal(tm_run_config_load_yaml(c, dup, sizeof dup - 1), TM_ERR_ARG);
    assert_string_equal(tm_error_detail(),
                        "line 3: duplicate key 'dedup.threshold' (first at line 2)");
    tm_run_config_free(c);
}

static void test_signal_and_filter(void **state) {
    (void)state;
    uint64_t m = 0;
    assert_int_equal(tm_signal_mask_parse("c4,no_such_signal", &m), TM_ERR_ARG);
    assert_string_equal(tm_error_detail(), "unknown signal 'no_such_signal'");
    tm_filter *f = NULL;
    assert_int_equal(tm_filter_new_spec(&f, "default,gopher_quality.x=3"), TM_ERR_ARG);
    assert_null(f);
    assert_string_equal(tm_error_detail(),
                        "unknown rule 'gopher_quality.x' (tamis filter --list-rules)");
    assert_int_equal(tm_filter_new_spec(&f, "c4,c4.n_sentences=-1"), TM_ERR_ARG);
    assert_string_equal(tm_error_detail(),
                        "'c4.n_sentences=-1': expected RULE=THRESHOLD, a number >= 0");
    assert_int_equal(tm_filter_new_spec(&f, "fineweb"), TM_OK);
    assert_string_equal(tm_error_detail(), "");
    tm_filter_free(f);
}

/* The options of a command, translated for its job: the flag named. */
static void test_options(void **state) {
    (void)state;
    tm_run_config *c = fresh();
    assert_int_equal(tm_options_set(c, "dedup.bands", "4", "--bands"), TM_OK);
    tm_dedup_opts d;
    assert_int_equal(tm_options_dedup(c, TM_CMD_DEDUP, &d), TM_ERR_ARG);
    assert_string_equal(tm_error_detail(), "--bands and --rows go together");
    assert_int_equal(tm_options_set(c, "score.signals", "c4,nope", "--signals"), TM_ERR_ARG);
    assert_string_equal(tm_error_detail(),
                        "--signals: unknown signal 'nope' (see --list-signals), got 'c4,nope'");
    tm_run_config_free(c);
}

/* A job fails on the calling thread with what its reader said, whichever
 * worker thread read the input. */
static void test_job_missing_input(void **state) {
    (void)state;
    const char *inputs[] = {"/nonexistent/tamis/missing.jsonl"};
    char out[64], rej[64];
    snprintf(out, sizeof out, "/tmp/tamis-detail-%d.jsonl", (int)getpid());
    snprintf(rej, sizeof rej, "/tmp/tamis-detail-%d.rej.jsonl", (int)getpid());
    tm_job_opts o;
    tm_job_opts_init(&o);
    o.inputs = inputs;
    o.n_inputs = 1;
    o.output = out;
    o.rejects = rej;
    o.threads = 3;
    tm_stats st = {0};
    tm_error e = tm_job_cat(&o, &st);
    assert_true(e == TM_ERR_OPEN || e == TM_ERR_IO);
    assert_string_equal(tm_error_detail(),
                        "cannot read /nonexistent/tamis/missing.jsonl: No such file or directory");
    assert_int_equal(access(out, F_OK), -1);
    unlink(rej);
}

/* Two threads fail differently at the same time: each reads its own. */
typedef struct {
    pthread_barrier_t *both_failed;
    const char *list;
    char got[128];
} fail_arg;

static void *fail_thread(void *p) {
    fail_arg *a = p;
    uint64_t m;
    tm_error e = tm_signal_mask_parse(a->list, &m);
    pthread_barrier_wait(a->both_failed); /* the other one has failed too */
    snprintf(a->got, sizeof a->got, "%d %s", (int)e, tm_error_detail());
    return NULL;
}

static void test_per_thread(void **state) {
    (void)state;
    tm_filter *f = NULL;
    assert_int_equal(tm_filter_new_spec(&f, "nope"), TM_ERR_ARG); /* this thread's */
    pthread_barrier_t b;
    assert_int_equal(pthread_barrier_init(&b, NULL, 2), 0);
    fail_arg x = {&b, "c4,first_bad", ""}, y = {&b, "second_bad", ""};
    pthread_t tx, ty;
    assert_int_equal(pthread_create(&tx, NULL, fail_thread, &x), 0);
    assert_int_equal(pthread_create(&ty, NULL, fail_thread, &y), 0);
    pthread_join(tx, NULL);
    pthread_join(ty, NULL);
    pthread_barrier_destroy(&b);
    assert_string_equal(x.got, "-4 unknown signal 'first_bad'");
    assert_string_equal(y.got, "-4 unknown signal 'second_bad'");
    assert_string_equal(tm_error_detail(), "unknown preset 'nope' (default, gopher, c4, fineweb)");
}

/* A message longer than the buffer is cut, never overflows, and a detail
 * formatted from the detail itself (as the run does: "path: <detail>") is
 * right. */
static void test_long_and_nested(void **state) {
    (void)state;
    char list[3000];
    memset(list, 'z', sizeof list - 1);
    list[sizeof list - 1] = '\0';
    uint64_t m;
    assert_int_equal(tm_signal_mask_parse(list, &m), TM_ERR_ARG);
    assert_int_equal(strlen(tm_error_detail()), TM_DETAIL_MAX - 1);
    assert_true(strncmp(tm_error_detail(), "unknown signal 'zzz", 19) == 0);
    assert_int_equal(tm_signal_mask_parse("bad", &m), TM_ERR_ARG);
    tmi_detail_set("in.jsonl: %s", tm_error_detail());
    assert_string_equal(tm_error_detail(), "in.jsonl: unknown signal 'bad'");
    tmi_detail_clear();
    assert_string_equal(tm_error_detail(), "");
}

/* tamis run refuses an outdir that holds a run of other inputs, and says
 * which input changed and how. */
static void test_run_changed_input(void **state) {
    (void)state;
    static const char doc1[] =
        "{\"id\":\"a\",\"text\":\"The first document of the run, with a few words.\"}\n";
    static const char doc2[] =
        "{\"id\":\"b\",\"text\":\"A second document, added after the first run.\"}\n";
    char dir[64], in[96], out[96];
    snprintf(dir, sizeof dir, "/tmp/tamis-detail-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(in, sizeof in, "%s/in.jsonl", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    FILE *f = fopen(in, "w");
    assert_non_null(f);
    fputs(doc1, f);
    fclose(f);
    tm_run_config *c = fresh();
    assert_int_equal(tm_run_config_set(c, "threads", "2"), TM_OK);
    const char *inputs[] = {in};
    tm_run_opts o;
    tm_run_opts_init(&o);
    o.inputs = inputs;
    o.n_inputs = 1;
    o.outdir = out;
    tm_stats st;
    assert_int_equal(tm_job_run(c, &o, &st), TM_OK);
    assert_string_equal(tm_error_detail(), "");
    f = fopen(in, "a");
    assert_non_null(f);
    fputs(doc2, f);
    fclose(f);
    assert_int_equal(tm_job_run(c, &o, &st), TM_ERR_ARG);
    char want[512];
    snprintf(want, sizeof want,
             "%s holds another run: input %s changed (%zu bytes, now %zu); use --restart to "
             "discard it",
             out, in, strlen(doc1), strlen(doc1) + strlen(doc2));
    assert_string_equal(tm_error_detail(), want);
    tm_run_config_free(c);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_key),        cmocka_unit_test(test_yaml_line),
        cmocka_unit_test(test_signal_and_filter), cmocka_unit_test(test_options),
        cmocka_unit_test(test_job_missing_input), cmocka_unit_test(test_per_thread),
        cmocka_unit_test(test_long_and_nested),   cmocka_unit_test(test_run_changed_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
