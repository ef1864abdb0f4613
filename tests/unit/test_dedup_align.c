/*
 * test_dedup_align.c — where two documents differ (align.c, --verify
 * aligned): exact coverage and longest uncovered runs on hand-made word
 * sequences, and the accept rule end to end (tm_job_dedup): a copy with 4 %
 * of its words replaced goes, a sibling page that shares long blocks but
 * has its own paragraph stays, a truncated copy goes by containment in both
 * input orders (never the full text), a pair that differs densely
 * everywhere (a dialect) stays.
 */
#include "testutil.h"

#include "dedup/dedup.h"
#include "util/buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

/* n distinct words "wK" (K = base + i); the words at positions where
 * every > 0 and i % every == every - 1 - ... are replaced by "xK". */
static void seq_words(tm_buf *b, int base, int n, int every, int phase) {
    char w[32];
    for (int i = 0; i < n; i++) {
        int edited = every > 0 && i % every == phase;
        snprintf(w, sizeof w, "%s%s%d", i ? " " : "", edited ? "x" : "w", base + i);
        tmi_buf_puts(b, w);
    }
}

static void cover(const char *a, const char *b, tm_cover *ab, tm_cover *ba, double *j) {
    tm_shingle_opts o;
    tm_shingle_opts_init(&o);
    assert_int_equal(tmi_align_texts(a, strlen(a), b, strlen(b), &o, ab, ba, j), TM_OK);
}

/* One replaced word uncovers exactly that word: the 5 shingles around it
 * are gone, its neighbours are still spanned by the others. */
static void t_cover_sequence(void **state) {
    (void)state;
    /* 8 shingles of 3: 10 positions; shingles 2, 3, 4 (all that span
     * position 4) missing. */
    uint32_t seq[] = {10, 11, 12, 13, 14, 15, 16, 17}, set[] = {10, 11, 15, 16, 17};
    tm_cover c;
    tm_aset s = {0};
    assert_int_equal(tmi_aset_build(&s, set, 5), TM_OK);
    tmi_align_cover(seq, 8, 3, &s, &c);
    assert_int_equal(c.positions, 10);
    assert_true(fabs(c.coverage - 0.9) < 1e-12);
    assert_int_equal(c.gap, 1);
    assert_int_equal(c.inner_gap, 1);
    assert_int_equal(c.edge_gap, 0);
    /* nothing shared: every position uncovered, one run at the edge */
    uint32_t none[] = {99};
    assert_int_equal(tmi_aset_build(&s, none, 1), TM_OK);
    tmi_align_cover(seq, 8, 3, &s, &c);
    assert_true(c.coverage == 0.0);
    assert_int_equal(c.gap, 10);
    assert_int_equal(c.edge_gap, 10);
    /* the first and last shingles missing: one position at each end */
    uint32_t mid[] = {11, 12, 13, 14, 15, 16};
    assert_int_equal(tmi_aset_build(&s, mid, 6), TM_OK);
    tmi_align_cover(seq, 8, 3, &s, &c);
    assert_true(fabs(c.coverage - 0.8) < 1e-12);
    assert_int_equal(c.inner_gap, 0);
    assert_int_equal(c.edge_gap, 1);
    assert_int_equal(c.gap, 1);
    /* a set counts distinct values, 0 included */
    uint32_t dup[] = {5, 3, 0, 5, 1, 3, 0};
    assert_int_equal(tmi_aset_build(&s, dup, 7), TM_OK);
    assert_int_equal(s.n, 4);
    assert_true(tmi_aset_has(&s, 0) && tmi_aset_has(&s, 1) && !tmi_aset_has(&s, 2));
    tm_aset t = {0};
    uint32_t other[] = {0, 1, 7};
    assert_int_equal(tmi_aset_build(&t, other, 3), TM_OK);
    size_t inter;
    assert_true(fabs(tmi_aset_jaccard(&s, &t, &inter) - 2.0 / 5.0) < 1e-12);
    assert_int_equal(inter, 2);
    tmi_aset_free(&s);
    tmi_aset_free(&t);
}

/* 100 words, 4 replaced (4 %), word 5-grams: 96 shingles each, 20 lost on
 * each side, J = 76 / 116; each side has 4 single uncovered words. */
static void t_cover_edited(void **state) {
    (void)state;
    tm_buf a = {0}, b = {0};
    seq_words(&a, 0, 100, 0, 0);
    seq_words(&b, 0, 100, 25, 10);
    tm_cover ab, ba;
    double j;
    cover(a.data, b.data, &ab, &ba, &j);
    assert_true(fabs(j - 76.0 / 116.0) < 1e-12);
    assert_int_equal(ab.positions, 100);
    assert_true(fabs(ab.coverage - 0.96) < 1e-12);
    assert_true(fabs(ba.coverage - 0.96) < 1e-12);
    assert_int_equal(ab.gap, 1);
    assert_int_equal(ba.gap, 1);
    tm_buf_free(&a);
    tm_buf_free(&b);
}

/* Siblings: 200 shared words, a 24-word paragraph of their own, 200 shared
 * words. Coverage 400 / 424 and J = 392 / 448 = 0.875 are those of a
 * lightly edited copy, but the uncovered words form one run of 24. */
static void t_cover_sibling(void **state) {
    (void)state;
    tm_buf a = {0}, b = {0};
    seq_words(&a, 0, 200, 0, 0);
    tmi_buf_putc(&a, ' ');
    seq_words(&a, 1000, 24, 0, 0);
    tmi_buf_putc(&a, ' ');
    seq_words(&a, 200, 200, 0, 0);
    seq_words(&b, 0, 200, 0, 0);
    tmi_buf_putc(&b, ' ');
    seq_words(&b, 2000, 24, 0, 0);
    tmi_buf_putc(&b, ' ');
    seq_words(&b, 200, 200, 0, 0);
    tm_cover ab, ba;
    double j;
    cover(a.data, b.data, &ab, &ba, &j);
    assert_true(fabs(j - 392.0 / 448.0) < 1e-12);
    assert_true(fabs(ab.coverage - 400.0 / 424.0) < 1e-12);
    assert_int_equal(ab.gap, 24);
    assert_int_equal(ab.inner_gap, 24);
    assert_int_equal(ba.gap, 24);
    tm_buf_free(&a);
    tm_buf_free(&b);
}

/* Truncation: the cut copy is covered whole, the full text loses its tail.
 * A dense difference (every sixth word, a dialect): only the 33 runs of 5
 * unchanged words survive, one shingle each; coverage 165 / 200, J = 33 /
 * 359. */
static void t_cover_trunc_dialect(void **state) {
    (void)state;
    tm_buf a = {0}, t = {0}, d = {0};
    seq_words(&a, 0, 400, 0, 0);
    seq_words(&t, 0, 300, 0, 0);
    tm_cover ab, ba;
    double j;
    cover(t.data, a.data, &ab, &ba, &j);
    assert_true(ab.coverage == 1.0);
    assert_int_equal(ab.gap, 0);
    assert_true(fabs(ba.coverage - 0.75) < 1e-12);
    assert_int_equal(ba.gap, 100);
    assert_int_equal(ba.edge_gap, 100);
    assert_int_equal(ba.inner_gap, 0);
    tmi_buf_reset(&a);
    seq_words(&a, 0, 200, 0, 0);
    seq_words(&d, 0, 200, 6, 5);
    cover(a.data, d.data, &ab, &ba, &j);
    assert_true(fabs(ab.coverage - 165.0 / 200.0) < 1e-12);
    assert_int_equal(ab.inner_gap, 1);
    assert_int_equal(ab.edge_gap, 3); /* words 197 (changed), 198, 199 */
    assert_true(fabs(j - 33.0 / 359.0) < 1e-12);
    tm_buf_free(&a);
    tm_buf_free(&t);
    tm_buf_free(&d);
}

/* Runs the job with the options d on the documents in f. */
static void run(const tm_buf *f, const tm_dedup_opts *d, char **out, char **rm,
                tm_dedup_stats *ds) {
    char in[300], po[300], pr[300];
    snprintf(in, sizeof in, "%s/in.jsonl", dir);
    snprintf(po, sizeof po, "%s/out.jsonl", dir);
    snprintf(pr, sizeof pr, "%s/rm.jsonl", dir);
    FILE *fp = fopen(in, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(f->data, 1, f->len, fp), f->len);
    fclose(fp);
    tm_job_opts o;
    tm_job_opts_init(&o);
    const char *inputs[] = {in};
    o.inputs = inputs;
    o.n_inputs = 1;
    o.threads = 1;
    o.output = po;
    o.removed = pr;
    tm_dedup_opts dd = *d;
    dd.tmp_dir = dir;
    dd.memory = 64u << 20;
    assert_int_equal(tm_job_dedup(&o, &dd, ds), TM_OK);
    *out = tm_test_text(po);
    *rm = tm_test_text(pr);
}

/* --verify aligned (opt-in) at its defaults, end to end: the 4 %-edited
 * copy goes with its evidence (J 0.661, above --min-jaccard 0.65); the
 * siblings (30 words of their own between 150 shared ones on each side:
 * J 0.81, coverage 0.91) and the dialect stay; the truncated copy goes in
 * either order, never the full text. */
static void t_job_rules(void **state) {
    (void)state;
    tm_dedup_opts d;
    tm_dedup_opts_init(&d);
    assert_int_equal(d.verify, TM_VERIFY_SIGNATURE); /* the default */
    d.verify = TM_VERIFY_ALIGNED;
    tm_buf f = {0}, t = {0};
    seq_words(&t, 0, 200, 0, 0);
    tm_test_add_doc(&f, "orig", t.data, NULL);
    tmi_buf_reset(&t);
    seq_words(&t, 0, 200, 25, 10); /* 8 of 200 words replaced */
    tm_test_add_doc(&f, "edit4", t.data, NULL);
    tmi_buf_reset(&t);
    seq_words(&t, 5000, 150, 0, 0);
    tmi_buf_puts(&t, " ");
    seq_words(&t, 6000, 30, 0, 0);
    tmi_buf_puts(&t, " ");
    seq_words(&t, 5150, 150, 0, 0);
    tm_test_add_doc(&f, "sib1", t.data, NULL);
    tmi_buf_reset(&t);
    seq_words(&t, 5000, 150, 0, 0);
    tmi_buf_puts(&t, " ");
    seq_words(&t, 7000, 30, 0, 0);
    tmi_buf_puts(&t, " ");
    seq_words(&t, 5150, 150, 0, 0);
    tm_test_add_doc(&f, "sib2", t.data, NULL);
    tmi_buf_reset(&t);
    seq_words(&t, 0, 200, 6, 5);
    tm_test_add_doc(&f, "dialect", t.data, NULL);
    char *out, *rm;
    tm_dedup_stats ds;
    run(&f, &d, &out, &rm, &ds);
    assert_int_equal(ds.near_removed, 1);
    /* the siblings were a candidate pair and were turned down, not missed */
    assert_true(ds.rejected_pairs >= 1);
    assert_non_null(strstr(rm, "\"id\":\"edit4\""));
    /* J = 156 / 236 */
    assert_non_null(strstr(rm, "\"duplicate_of\":\"orig\",\"duplicate_of_index\":0,"
                               "\"similarity\":0.661017,\"cluster\":0,\"rule\":\"aligned\""));
    assert_non_null(strstr(rm, "\"coverage\":0.96,\"kept_coverage\":0.96,\"gap\":1,"
                               "\"kept_gap\":1}"));
    assert_non_null(strstr(out, "\"id\":\"sib1\""));
    assert_non_null(strstr(out, "\"id\":\"sib2\""));
    assert_non_null(strstr(out, "\"id\":\"dialect\""));
    free(out);
    free(rm);

    /* Truncated to 300 of 400 words, in both orders: the cut one goes. */
    for (int order = 0; order < 2; order++) {
        tmi_buf_reset(&f);
        tm_buf full = {0}, cut = {0};
        seq_words(&full, 0, 400, 0, 0);
        seq_words(&cut, 0, 300, 0, 0);
        tm_test_add_doc(&f, order ? "cut" : "full", order ? cut.data : full.data, NULL);
        tm_test_add_doc(&f, order ? "full" : "cut", order ? full.data : cut.data, NULL);
        run(&f, &d, &out, &rm, &ds);
        assert_int_equal(ds.near_removed, 1);
        assert_non_null(strstr(rm, "\"id\":\"cut\""));
        assert_non_null(strstr(rm, "\"rule\":\"containment\""));
        assert_non_null(strstr(rm, "\"coverage\":1,\"kept_coverage\":0.75,\"gap\":0,"
                                   "\"kept_gap\":100}"));
        assert_non_null(strstr(out, "\"id\":\"full\""));
        free(out);
        free(rm);
        tm_buf_free(&full);
        tm_buf_free(&cut);
    }
    tm_buf_free(&f);
    tm_buf_free(&t);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tamis-test-align-%d", (int)getpid());
    mkdir(dir, 0700);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_cover_sequence), cmocka_unit_test(t_cover_edited),
        cmocka_unit_test(t_cover_sibling),  cmocka_unit_test(t_cover_trunc_dialect),
        cmocka_unit_test(t_job_rules),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
