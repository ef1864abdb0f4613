/*
 * test_pipeline.c — the ordered parallel map: output identical whatever the
 * number of threads and batch size, the ledger, rejects in input order, and
 * a job that miscounts is caught.
 */
#include "testutil.h"

#include "engine/pipeline.h"
#include "util/buf.h"

#include <sys/stat.h>

static char dir[256];

static void write_file(const char *path, const char *data, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* 3000 records: every 7th malformed, every 11th without id, some with
 * invalid UTF-8, of varying sizes so that batch boundaries move around. */
static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tm-pipe-XXXXXX");
    assert_non_null(mkdtemp(dir));
    tm_buf b = {0};
    for (int i = 0; i < 3000; i++) {
        if (i % 7 == 3) {
            tmi_buf_printf(&b, "{\"id\": %d, \"text\": broken}\n", i);
            continue;
        }
        if (i % 11 == 5)
            tmi_buf_puts(&b, "{\"text\": \"");
        else
            tmi_buf_printf(&b, "{\"id\": \"d%d\", \"text\": \"", i);
        size_t words = (size_t)(i * 37 % 200) + 1;
        for (size_t w = 0; w < words; w++) tmi_buf_puts(&b, w % 2 ? "mot " : "word ");
        if (i % 13 == 0) tmi_buf_putc(&b, (char)0xC3); /* truncated sequence */
        tmi_buf_puts(&b, "\", \"n\": 1e999}\n");
    }
    char path[300];
    snprintf(path, sizeof path, "%s/in.jsonl", dir);
    write_file(path, b.data, b.len);
    tm_buf_free(&b);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void run_cat(int threads, size_t batch, const char *tag, tm_stats *st) {
    char in[300], out[300], rej[300];
    snprintf(in, sizeof in, "%s/in.jsonl", dir);
    snprintf(out, sizeof out, "%s/out-%s.jsonl", dir, tag);
    snprintf(rej, sizeof rej, "%s/rej-%s.jsonl", dir, tag);
    const char *inputs[] = {in};
    tm_job_opts o;
    tm_job_opts_init(&o);
    o.inputs = inputs;
    o.n_inputs = 1;
    o.threads = threads;
    o.batch_bytes = batch;
    o.output = out;
    o.rejects = rej;
    memset(st, 0, sizeof *st);
    assert_int_equal(tm_job_cat(&o, st), TM_OK);
}

static void test_threads_identical(void **state) {
    (void)state;
    tm_stats s1, s2, s4;
    run_cat(1, 0, "t1", &s1);
    run_cat(2, 1000, "t2", &s2);
    run_cat(4, 3000, "t4", &s4);
    assert_int_equal(s1.read, 3000);
    assert_int_equal(s1.rejected, 3000 / 7 + (3000 % 7 > 3));
    assert_int_equal(s1.read, s1.written + s1.removed + s1.rejected);
    assert_int_equal(s1.rejected_by[-TM_ERR_JSON], s1.rejected);
    assert_true(s1.invalid_utf8 == 0); /* cat does not count content */
    assert_int_equal(s2.written, s1.written);
    assert_int_equal(s4.rejected, s1.rejected);
    const char *tags[] = {"t1", "t2", "t4"};
    char *ref_out = NULL, *ref_rej = NULL;
    size_t ref_out_n = 0, ref_rej_n = 0;
    for (int k = 0; k < 3; k++) {
        char p[300], q[300];
        size_t n1 = 0, n2 = 0;
        snprintf(p, sizeof p, "%s/out-%s.jsonl", dir, tags[k]);
        snprintf(q, sizeof q, "%s/rej-%s.jsonl", dir, tags[k]);
        char *o = tm_test_slurp(p, &n1), *r = tm_test_slurp(q, &n2);
        assert_non_null(o);
        assert_non_null(r);
        if (!k) {
            ref_out = o, ref_out_n = n1, ref_rej = r, ref_rej_n = n2;
            continue;
        }
        assert_int_equal(n1, ref_out_n);
        assert_memory_equal(o, ref_out, n1);
        assert_int_equal(n2, ref_rej_n);
        assert_memory_equal(r, ref_rej, n2);
        free(o);
        free(r);
    }
    /* Output is valid UTF-8 even though the input was not. */
    assert_int_equal(tm_utf8_valid_prefix(ref_out, ref_out_n), ref_out_n);
    /* The first rejected record is line 4 (id 3) and comes first. */
    assert_non_null(strstr(ref_rej, "\"line\":4"));
    assert_true(strstr(ref_rej, "\"line\":4") < strstr(ref_rej, "\"line\":11"));
    free(ref_out);
    free(ref_rej);
}

static void test_stats_job(void **state) {
    (void)state;
    char in[300];
    snprintf(in, sizeof in, "%s/in.jsonl", dir);
    const char *inputs[] = {in};
    tm_job_opts o;
    tm_job_opts_init(&o);
    o.inputs = inputs;
    o.n_inputs = 1;
    char rej[300];
    snprintf(rej, sizeof rej, "%s/rej-stats.jsonl", dir);
    o.rejects = rej;
    tm_stats a = {0}, b = {0};
    o.threads = 1;
    assert_int_equal(tm_job_stats(&o, &a), TM_OK);
    o.threads = 2;
    o.batch_bytes = 777;
    assert_int_equal(tm_job_stats(&o, &b), TM_OK);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(a.written + a.rejected, 3000);
    /* 231 records end in a truncated C3 byte → one U+FFFD each. */
    uint64_t bad = 0;
    for (int i = 0; i < 3000; i++) bad += (i % 7 != 3 && i % 13 == 0);
    assert_int_equal(a.invalid_utf8, bad);
    tm_buf j = {0};
    assert_int_equal(tm_stats_to_json(&a, &j), TM_OK);
    assert_non_null(strstr(j.data, "\"ledger_ok\":true"));
    assert_non_null(strstr(j.data, "\"rejected_by\":{\"json\":"));
    tm_buf_free(&j);
}

/* A job whose process() forgets to count a document breaks the ledger. */
static tm_error bad_process(void *ws, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    (void)ws;
    (void)sinks;
    if (doc->index != 100) st->written++;
    return TM_OK;
}

static void test_ledger_enforced(void **state) {
    (void)state;
    char in[300], rej[300];
    snprintf(in, sizeof in, "%s/in.jsonl", dir);
    snprintf(rej, sizeof rej, "%s/rej-bad.jsonl", dir);
    const char *inputs[] = {in};
    tm_job_opts o;
    tm_job_opts_init(&o);
    o.inputs = inputs;
    o.n_inputs = 1;
    o.rejects = rej;
    o.threads = 2;
    tm_pjob job;
    memset(&job, 0, sizeof job);
    job.opts = &o;
    job.n_sinks = 1;
    job.process = bad_process;
    job.no_output = 1;
    tm_stats st = {0};
    assert_int_equal(tmi_pipeline_run(&job, &st), TM_ERR_LEDGER);
}

static void test_missing_input(void **state) {
    (void)state;
    char in[300], out[300];
    snprintf(in, sizeof in, "%s/in.jsonl", dir);
    snprintf(out, sizeof out, "%s/out-missing.jsonl", dir);
    const char *inputs[] = {"/nonexistent/tamis/file.jsonl", in};
    tm_job_opts o;
    tm_job_opts_init(&o);
    o.inputs = inputs;
    o.n_inputs = 2;
    o.output = out;
    char rej[300];
    snprintf(rej, sizeof rej, "%s/rej-missing.jsonl", dir);
    o.rejects = rej;
    tm_stats st = {0};
    tm_error e = tm_job_cat(&o, &st);
    assert_true(e == TM_ERR_OPEN || e == TM_ERR_IO);
    /* the detail names the input and the system's reason */
    assert_string_equal(tm_error_detail(),
                        "cannot read /nonexistent/tamis/file.jsonl: No such file or directory");
    /* The other input was still read in full. */
    assert_int_equal(st.read, 3000);
    /* A failed job does not publish its output. */
    assert_int_equal(access(out, F_OK), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_stats_job),
        cmocka_unit_test(test_ledger_enforced),
        cmocka_unit_test(test_missing_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
