/*
 * test_dedup_template.c — template-aware verification (--template-df,
 * dfsketch.c, align.c, verdicts.c) and word-for-word substitutions
 * (--substitution): the document-frequency sketch counts exactly on a
 * small input, saturates, and ends the same whatever the threads' order;
 * the coverage excuses a header the other side lacks but not a block
 * inside; offsets tell a replaced word from an inserted or deleted one; and
 * end to end, on hand-made texts: a family of 20 sibling pages that share
 * a long template and differ by one word in every 30 stays (plain aligned
 * verification removes 19 of them), an edited copy of one sibling goes,
 * 30 wire copies of one story (every shingle in 31 documents) go, a
 * 4 %-edited wire copy made of common shingles only stays, and the output
 * is the same for 1 and 2 threads and with the index spilled.
 */
#include "testutil.h"

#include "dedup/dedup.h"
#include "util/buf.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void t_sketch(void **state) {
    (void)state;
    tm_dfsketch *s;
    assert_int_equal(tmi_dfsketch_new(&s, 1u << 20), TM_OK);
    assert_int_equal(tmi_dfsketch_bytes(s), 1u << 20);
    for (int i = 0; i < 3; i++) tmi_dfsketch_add(s, 42);
    tmi_dfsketch_add(s, 7);
    assert_int_equal(tmi_dfsketch_get(s, 42), 3);
    assert_int_equal(tmi_dfsketch_get(s, 7), 1);
    assert_int_equal(tmi_dfsketch_get(s, 8), 0);
    for (int i = 0; i < 300; i++) tmi_dfsketch_add(s, 9);
    assert_int_equal(tmi_dfsketch_get(s, 9), 255); /* saturated */
    /* the batched form counts tmi_align_hash32 of each value */
    uint64_t v[40];
    for (int i = 0; i < 40; i++) v[i] = ((uint64_t)i << 32) | 1000u;
    tmi_dfsketch_add_hashes(s, v, 40);
    assert_int_equal(tmi_dfsketch_get(s, tmi_align_hash32(v[5])), 1);
    tmi_dfsketch_free(s);
    /* the smallest sketch: 16 lines */
    assert_int_equal(tmi_dfsketch_new(&s, 1), TM_OK);
    assert_int_equal(tmi_dfsketch_bytes(s), 1024);
    tmi_dfsketch_free(s);
}

typedef struct adder {
    tm_dfsketch *s;
    int from, step;
} adder;

static void *add_some(void *p) {
    adder *a = p;
    for (int i = a->from; i < 200000; i += a->step)
        tmi_dfsketch_add(a->s, (uint32_t)(i % 5000) * 7919u);
    return NULL;
}

/* Four threads racing on one sketch end with exactly the counts of one
 * thread adding in order. */
static void t_sketch_threads(void **state) {
    (void)state;
    tm_dfsketch *one, *four;
    assert_int_equal(tmi_dfsketch_new(&one, 1u << 20), TM_OK);
    assert_int_equal(tmi_dfsketch_new(&four, 1u << 20), TM_OK);
    adder a = {one, 0, 1};
    add_some(&a);
    pthread_t th[4];
    adder b[4];
    for (int t = 0; t < 4; t++) {
        b[t] = (adder){four, t, 4};
        assert_int_equal(pthread_create(&th[t], NULL, add_some, &b[t]), 0);
    }
    for (int t = 0; t < 4; t++) pthread_join(th[t], NULL);
    int differ = 0, low = 0;
    for (uint32_t i = 0; i < 6000; i++) {
        uint32_t h = i * 7919u;
        differ += tmi_dfsketch_get(one, h) != tmi_dfsketch_get(four, h);
        low += i < 5000 && tmi_dfsketch_get(one, h) < 40; /* each was added 40 times */
    }
    assert_int_equal(differ, 0);
    assert_int_equal(low, 0);
    tmi_dfsketch_free(one);
    tmi_dfsketch_free(four);
}

/* 10 shingles of 3 (12 positions). B lacks the first two shingles and
 * shingles 4-6. Plain coverage: positions 0, 1 and 6 uncovered. When
 * shingles 0-1 are common (a header), positions 0-1 are excused; 4-6 are
 * common too, but position 6 still counts: a block inside is a difference. */
static void t_cover_template(void **state) {
    (void)state;
    uint32_t seq[] = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
    uint32_t set[] = {12, 13, 17, 18, 19};
    uint8_t common[10] = {1, 1, 0, 0, 1, 1, 1, 0, 0, 0}, mark[16];
    tm_aset s = {0};
    assert_int_equal(tmi_aset_build(&s, set, 5), TM_OK);
    tm_cover c;
    tmi_align_cover(seq, 10, 3, &s, &c);
    assert_int_equal(c.positions, 12);
    assert_true(fabs(c.coverage - 9.0 / 12.0) < 1e-12);
    assert_int_equal(c.gap, 2);
    tmi_align_cover_t(seq, common, 10, 3, &s, mark, &c);
    assert_int_equal(c.positions, 10);
    assert_true(fabs(c.coverage - 9.0 / 10.0) < 1e-12);
    assert_int_equal(c.gap, 1);
    assert_int_equal(c.inner_gap, 1);
    assert_int_equal(c.edge_gap, 0);
    /* nothing common: the same as the plain coverage */
    uint8_t none[10] = {0};
    tmi_align_cover_t(seq, none, 10, 3, &s, mark, &c);
    assert_int_equal(c.positions, 12);
    assert_true(fabs(c.coverage - 9.0 / 12.0) < 1e-12);
    assert_int_equal(c.gap, 2);
    assert_int_equal(c.edge_gap, 2);
    tmi_aset_free(&s);
}

/* n words "wK"; the words at i % every == phase become "xK" (op 'r':
 * replaced), "zz" ('s': one word substituted throughout), are left out
 * ('d': deleted) or get "yK" after them ('i': inserted). */
static void words(tm_buf *b, int base, int n, int every, int phase, char op) {
    char w[40];
    for (int i = 0; i < n; i++) {
        int at = every > 0 && i % every == phase;
        if (at && op == 'd') continue;
        if (at && op == 's')
            snprintf(w, sizeof w, "%szz", b->len ? " " : "");
        else
            snprintf(w, sizeof w, "%s%s%d", b->len ? " " : "", at && op == 'r' ? "x" : "w",
                     base + i);
        tmi_buf_puts(b, w);
        if (at && op == 'i') {
            snprintf(w, sizeof w, " y%d", base + i);
            tmi_buf_puts(b, w);
        }
    }
}

static void shingle32(const char *s, uint32_t **out, size_t *n) {
    tm_shingle_opts o;
    tm_shingle_opts_init(&o);
    uint64_t *h = NULL;
    int chars = 0;
    assert_int_equal(tm_shingle_text(s, strlen(s), &o, &h, n, &chars), TM_OK);
    *out = malloc(*n * sizeof **out);
    for (size_t i = 0; i < *n; i++) (*out)[i] = tmi_align_hash32(h[i]);
    free(h);
}

/* 200 words, 8 differences: replacements shift nothing, deletions and
 * insertions shift the offset once each. */
static void t_shifts(void **state) {
    (void)state;
    const char ops[] = {'r', 'd', 'i'};
    const uint32_t want_shifts[] = {0, 8, 8};
    tm_buf a = {0}, b = {0};
    words(&a, 0, 200, 0, 0, 0);
    uint32_t *sa, *sb, isl, sh;
    size_t na, nb;
    shingle32(a.data, &sa, &na);
    tm_apos m = {0};
    assert_int_equal(tmi_apos_build(&m, sa, na), TM_OK);
    assert_int_equal(tmi_apos_get(&m, sa[17]), 17);
    for (int k = 0; k < 3; k++) {
        tmi_buf_reset(&b);
        words(&b, 0, 200, 25, 12, ops[k]);
        shingle32(b.data, &sb, &nb);
        tmi_align_shifts(sb, nb, &m, &isl, &sh);
        assert_int_equal(isl, 8);
        assert_int_equal(sh, want_shifts[k]);
        free(sb);
    }
    /* a repeated shingle maps to MANY, an absent one to NONE */
    uint32_t rep[] = {5, 6, 5};
    assert_int_equal(tmi_apos_build(&m, rep, 3), TM_OK);
    assert_int_equal(tmi_apos_get(&m, 5), TM_APOS_MANY);
    assert_int_equal(tmi_apos_get(&m, 6), 1);
    assert_int_equal(tmi_apos_get(&m, 7), TM_APOS_NONE);
    tmi_apos_free(&m);
    free(sa);
    tm_buf_free(&a);
    tm_buf_free(&b);
}

static void run(const tm_buf *f, const tm_dedup_opts *d, int threads, uint64_t mem, char **out,
                char **rm, tm_dedup_stats *ds) {
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
    o.threads = threads;
    o.output = po;
    o.removed = pr;
    tm_dedup_opts dd = *d;
    dd.tmp_dir = dir;
    dd.memory = mem;
    assert_int_equal(tm_job_dedup(&o, &dd, ds), TM_OK);
    *out = tm_test_text(po);
    *rm = tm_test_text(pr);
}

/* Sibling i of a family: 10 blocks of 29 template words and one word of
 * its own ("n<i>x<b>"), 300 words. With edit, the words at positions 7,
 * 57, ... (2 %) are replaced. */
static void sibling(tm_buf *b, int i, int edit) {
    char w[40];
    int pos = 0;
    for (int blk = 0; blk < 10; blk++)
        for (int k = 0; k < 30; k++, pos++) {
            if (edit && pos % 50 == 7)
                snprintf(w, sizeof w, "%se%d", pos ? " " : "", pos);
            else if (k == 29)
                snprintf(w, sizeof w, " n%dx%d", i, blk);
            else
                snprintf(w, sizeof w, "%st%d", pos ? " " : "", blk * 29 + k);
            tmi_buf_puts(b, w);
        }
}

static void corpus(tm_buf *f) {
    tm_buf t = {0};
    char id[32];
    for (int i = 0; i < 20; i++) {
        tmi_buf_reset(&t);
        sibling(&t, i, 0);
        snprintf(id, sizeof id, "sib%02d", i);
        tm_test_add_doc(f, id, t.data, NULL);
    }
    tmi_buf_reset(&t);
    words(&t, 100000, 200, 0, 0, 0);
    tm_test_add_doc(f, "story", t.data, NULL);
    for (int c = 0; c < 30; c++) { /* one word replaced in each copy */
        tmi_buf_reset(&t);
        words(&t, 100000, 200, 200, (c * 37) % 200, 'r');
        snprintf(id, sizeof id, "wire%02d", c);
        tm_test_add_doc(f, id, t.data, NULL);
    }
    tmi_buf_reset(&t);
    words(&t, 100000, 200, 25, 10, 'r'); /* 8 words: 4 % */
    tm_test_add_doc(f, "wire-edit4", t.data, NULL);
    tmi_buf_reset(&t);
    sibling(&t, 3, 1);
    tm_test_add_doc(f, "sib03-copy", t.data, NULL);
    tm_buf_free(&t);
}

static void t_job_family(void **state) {
    (void)state;
    tm_buf f = {0};
    corpus(&f);
    tm_dedup_opts d;
    tm_dedup_opts_init(&d);
    d.verify = TM_VERIFY_ALIGNED;
    d.min_jaccard = 0.6;
    char *out, *rm;
    tm_dedup_stats ds;
    /* plain aligned verification: one word of their own in every 30 is a
     * scattered difference, like an edited copy's, so 19 siblings go as
     * copies of the first (and the copy of sib03 stays: sib03 is gone, and
     * it is farther from sib00); the 4 %-edited wire copy goes too */
    run(&f, &d, 1, 64u << 20, &out, &rm, &ds);
    assert_non_null(strstr(rm, "\"id\":\"sib01\""));
    assert_non_null(strstr(rm, "\"id\":\"wire-edit4\""));
    assert_non_null(strstr(out, "\"id\":\"sib03-copy\""));
    assert_int_equal(ds.near_removed, 19 + 30 + 1);
    free(out);
    free(rm);

    d.template_df = 16;
    run(&f, &d, 1, 64u << 20, &out, &rm, &ds);
    /* the siblings' own words are theirs alone: all 20 stay */
    char id[32];
    for (int i = 0; i < 20; i++) {
        snprintf(id, sizeof id, "\"id\":\"sib%02d\"", i);
        assert_non_null(strstr(out, id));
    }
    /* the edited copy shares its original's own words: it goes, as a copy
     * of sib03 and of no other sibling */
    assert_non_null(strstr(rm, "{\"id\":\"sib03-copy\""));
    assert_non_null(strstr(rm, "\"duplicate_of\":\"sib03\",\"duplicate_of_index\":3,"));
    assert_non_null(strstr(rm, "\"rule\":\"aligned\""));
    /* every wire copy goes although each shingle is in 31 documents (no
     * own content on either side: Jaccard >= 0.85 and the aligned shape,
     * rule jaccard); the 4 %-edited one stays: its only own shingles are
     * its 40 edited ones, which the story lacks, and the rest is common */
    for (int c = 0; c < 30; c++) {
        snprintf(id, sizeof id, "{\"id\":\"wire%02d\"", c);
        assert_non_null(strstr(rm, id));
    }
    assert_non_null(strstr(rm, "\"duplicate_of\":\"story\",\"duplicate_of_index\":20,"));
    assert_non_null(strstr(out, "\"id\":\"wire-edit4\""));
    assert_int_equal(ds.near_removed, 31);
    /* the sketch counts in the index */
    assert_true(ds.index_bytes >= (32u << 20));
    char *out1 = out, *rm1 = rm;

    /* the same for 2 threads, and with every index structure spilled */
    run(&f, &d, 2, 64u << 20, &out, &rm, &ds);
    assert_string_equal(out, out1);
    assert_string_equal(rm, rm1);
    free(out);
    free(rm);
    run(&f, &d, 2, 8192, &out, &rm, &ds);
    assert_true(ds.spill_runs > 0);
    assert_string_equal(out, out1);
    assert_string_equal(rm, rm1);
    free(out);
    free(rm);
    free(out1);
    free(rm1);
    tm_buf_free(&f);
}

/* --substitution: a page with one word substituted in 8 places (a name, a
 * spelling) is no copy; one with 8 words edited, some inserted or deleted,
 * is. Without the option both go. */
static void t_job_substitution(void **state) {
    (void)state;
    tm_buf f = {0}, t = {0};
    words(&t, 0, 300, 0, 0, 0);
    tm_test_add_doc(&f, "orig", t.data, NULL);
    tmi_buf_reset(&t);
    words(&t, 0, 300, 38, 20, 's'); /* one word substituted in 8 places */
    tm_test_add_doc(&f, "subst", t.data, NULL);
    tmi_buf_reset(&t);
    words(&t, 5000, 300, 0, 0, 0);
    tm_test_add_doc(&f, "orig2", t.data, NULL);
    tmi_buf_reset(&t);
    /* 8 edits: 4 deleted, 4 replaced */
    tm_buf a = {0};
    words(&a, 5000, 150, 38, 20, 'd');
    words(&a, 5150, 150, 38, 20, 'r');
    tm_test_add_doc(&f, "edited", a.data, NULL);
    tm_dedup_opts d;
    tm_dedup_opts_init(&d);
    d.verify = TM_VERIFY_ALIGNED;
    d.min_jaccard = 0.6;
    char *out, *rm;
    tm_dedup_stats ds;
    run(&f, &d, 1, 64u << 20, &out, &rm, &ds);
    assert_int_equal(ds.near_removed, 2);
    free(out);
    free(rm);
    d.substitution = 4;
    run(&f, &d, 1, 64u << 20, &out, &rm, &ds);
    assert_int_equal(ds.near_removed, 1);
    assert_non_null(strstr(rm, "{\"id\":\"edited\""));
    assert_non_null(strstr(out, "\"id\":\"subst\""));
    free(out);
    free(rm);
    tm_buf_free(&f);
    tm_buf_free(&t);
    tm_buf_free(&a);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tamis-test-template-%d", (int)getpid());
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
        cmocka_unit_test(t_sketch),         cmocka_unit_test(t_sketch_threads),
        cmocka_unit_test(t_cover_template), cmocka_unit_test(t_shifts),
        cmocka_unit_test(t_job_family),     cmocka_unit_test(t_job_substitution),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
