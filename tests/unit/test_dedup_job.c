/*
 * test_dedup_job.c — tm_job_dedup end to end on generated corpora: exact and
 * near copies, verification of band collisions, --keep modes, paragraphs,
 * Chinese/Japanese copies, the spill path against the in-memory path, and
 * byte-identical output for 1 and 2 threads.
 */
#include "testutil.h"

#include "dedup/dedup.h"
#include "util/buf.h"

#include <sys/stat.h>

static char dir[256];
static uint64_t rs;

static uint64_t rnd(void) {
    uint64_t z = (rs += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A pseudo-word from a 4096-word vocabulary of syllables. */
static void word(tm_buf *b, uint64_t w) {
    static const char *syl[] = {"ka", "lo", "mi",  "ne",  "ru",  "sa",  "to", "vi",
                                "de", "po", "chu", "gan", "ber", "ist", "on", "la"};
    for (int i = 0; i < 3; i++) tmi_buf_puts(b, syl[(w >> (4 * i)) & 15]);
}

/* Writes text of n words (seeded) into b, JSON-escaped by the caller. */
static void words(tm_buf *b, uint64_t seed, int n, int edit_every) {
    uint64_t save = rs;
    rs = seed;
    for (int i = 0; i < n; i++) {
        if (i) tmi_buf_putc(b, ' ');
        uint64_t w = rnd() & 4095;
        if (edit_every && i % edit_every == edit_every / 2) w = (w + 1777) & 4095;
        word(b, w);
    }
    rs = save;
}

static void write_file(const char *path, const tm_buf *b) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    fclose(f);
}

static int count_lines(const char *s) {
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

typedef struct run_cfg {
    int threads;
    uint64_t memory;
    tm_dedup_opts d;
} run_cfg;

/* Runs the job on input; out/rm/cl receive the files' contents. */
static tm_error run(const char *input, run_cfg *cfg, char **out, char **rm, char **cl,
                    tm_dedup_stats *ds) {
    char po[300], pr[300], pc[300];
    snprintf(po, sizeof po, "%s/out.jsonl", dir);
    snprintf(pr, sizeof pr, "%s/rm.jsonl", dir);
    snprintf(pc, sizeof pc, "%s/cl.jsonl", dir);
    unlink(po);
    unlink(pr);
    unlink(pc);
    tm_job_opts o;
    tm_job_opts_init(&o);
    const char *inputs[] = {input};
    o.inputs = inputs;
    o.n_inputs = 1;
    o.threads = cfg->threads ? cfg->threads : 1;
    o.output = po;
    o.removed = pr;
    o.batch_bytes = 2048; /* many batches: exercises ordering across threads */
    cfg->d.clusters = pc;
    cfg->d.tmp_dir = dir;
    cfg->d.memory = cfg->memory ? cfg->memory : (64u << 20);
    tm_error e = tm_job_dedup(&o, &cfg->d, ds);
    *out = tm_test_text(po);
    *rm = tm_test_text(pr);
    *cl = tm_test_text(pc);
    return e;
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tamis-test-dedup-%d", (int)getpid());
    mkdir(dir, 0700);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* a, b = a with case and spacing changes (exact), c = a with 1% of words
 * changed (near), d unrelated, e = a with 25% changed (not a duplicate). */
static void t_exact_and_near(void **state) {
    (void)state;
    tm_buf f = {0}, t = {0};
    words(&t, 1, 400, 0);
    tm_test_add_doc(&f, "a", t.data, NULL);
    for (size_t i = 0; i < t.len; i++)
        if (i % 7 == 0) t.data[i] = (char)(t.data[i] - 32 * (t.data[i] >= 'a' && t.data[i] <= 'z'));
    tmi_buf_puts(&t, "   ");
    tm_test_add_doc(&f, "b", t.data, NULL);
    tmi_buf_reset(&t);
    words(&t, 1, 400, 100);
    tm_test_add_doc(&f, "c", t.data, NULL);
    tmi_buf_reset(&t);
    words(&t, 2, 400, 0);
    tm_test_add_doc(&f, "d", t.data, NULL);
    tmi_buf_reset(&t);
    words(&t, 1, 400, 4);
    tm_test_add_doc(&f, "e", t.data, NULL);
    char in[300];
    snprintf(in, sizeof in, "%s/in1.jsonl", dir);
    write_file(in, &f);

    run_cfg cfg = {0};
    tm_dedup_opts_init(&cfg.d);
    char *out, *rm, *cl;
    tm_dedup_stats ds;
    assert_int_equal(run(in, &cfg, &out, &rm, &cl, &ds), TM_OK);
    assert_int_equal(ds.docs, 5);
    assert_int_equal(ds.exact_removed, 1);
    assert_int_equal(ds.near_removed, 1);
    assert_int_equal(ds.clusters, 1);
    /* Default banding (--verify signature) targets the lowest Jaccard the
     * accept rule admits: containment 0.98 at a size ratio of 0.7,
     * J = 0.686 / 1.014 = 0.68. */
    assert_int_equal(ds.bands, 16);
    assert_int_equal(ds.rows, 8);
    assert_int_equal(ds.ledger.read, 5);
    assert_int_equal(ds.ledger.written, 3);
    assert_int_equal(ds.ledger.removed, 2);
    assert_non_null(strstr(out, "\"id\":\"a\""));
    assert_non_null(strstr(out, "\"id\":\"d\""));
    assert_non_null(strstr(out, "\"id\":\"e\""));
    assert_non_null(strstr(rm, "\"id\":\"b\""));
    assert_non_null(strstr(rm, "\"dup_kind\":\"exact\",\"duplicate_of\":\"a\","
                               "\"duplicate_of_index\":0,\"similarity\":1,\"cluster\":0"));
    assert_non_null(strstr(rm, "\"dup_kind\":\"near\",\"duplicate_of\":\"a\""));
    assert_int_equal(count_lines(cl), 1);
    assert_non_null(strstr(cl, "{\"cluster\":0,\"size\":3,\"kept\":\"a\",\"kept_index\":0,"
                               "\"members\":[{\"id\":\"a\",\"index\":0,\"kind\":\"kept\""));

    /* Standard input is spooled to --tmp-dir and read twice: same result. */
    char *out2, *rm2, *cl2;
    assert_non_null(freopen(in, "rb", stdin));
    tm_dedup_opts_init(&cfg.d);
    assert_int_equal(run("-", &cfg, &out2, &rm2, &cl2, &ds), TM_OK);
    assert_string_equal(out, out2);
    assert_string_equal(rm, rm2);
    free(out2);
    free(rm2);
    free(cl2);
    free(out);
    free(rm);
    free(cl);

    /* --verify exact: the same decisions; c's similarity is the exact
     * Jaccard of its word 5-gram set (the dedup default) with a's. */
    tm_dedup_opts_init(&cfg.d);
    cfg.d.verify = TM_VERIFY_EXACT;
    assert_int_equal(run(in, &cfg, &out, &rm, &cl, &ds), TM_OK);
    assert_int_equal(ds.exact_removed, 1);
    assert_int_equal(ds.near_removed, 1);
    tm_buf ta = {0}, tc = {0};
    words(&ta, 1, 400, 0);
    words(&tc, 1, 400, 100);
    tm_shingle_opts so;
    tm_shingle_opts_init(&so);
    so.word_n = 5;
    uint64_t *ha, *hc;
    size_t na, nc;
    assert_int_equal(tm_shingle_text(ta.data, ta.len, &so, &ha, &na, NULL), TM_OK);
    assert_int_equal(tm_shingle_text(tc.data, tc.len, &so, &hc, &nc, NULL), TM_OK);
    double j;
    assert_int_equal(tm_jaccard_hashes(ha, na, hc, nc, &j), TM_OK);
    tm_buf want = {0};
    tmi_buf_puts(&want, "\"similarity\":");
    tmi_json_num(&want, (float)j);
    assert_non_null(strstr(rm, want.data));
    free(ha);
    free(hc);
    tm_buf_free(&ta);
    tm_buf_free(&tc);
    tm_buf_free(&want);
    free(out);
    free(rm);
    free(cl);

    /* --exact only: the near copy stays. */
    tm_dedup_opts_init(&cfg.d);
    cfg.d.exact = 1;
    assert_int_equal(run(in, &cfg, &out, &rm, &cl, &ds), TM_OK);
    assert_int_equal(ds.exact_removed, 1);
    assert_int_equal(ds.near_removed, 0);
    assert_int_equal(ds.candidate_pairs, 0);
    free(out);
    free(rm);
    free(cl);
    tm_buf_free(&f);
    tm_buf_free(&t);
}

/* 32 bands of one row make every pair that shares a single minimum a
 * candidate; verification must turn the dissimilar ones down. */
static void t_verification_rejects(void **state) {
    (void)state;
    tm_buf f = {0}, t = {0};
    words(&t, 7, 300, 0);
    tm_test_add_doc(&f, "x", t.data, NULL);
    tmi_buf_reset(&t);
    words(&t, 7, 300, 10); /* a tenth of the words changed: J about 0.33 */
    tm_test_add_doc(&f, "y", t.data, NULL);
    char in[300];
    snprintf(in, sizeof in, "%s/in2.jsonl", dir);
    write_file(in, &f);
    run_cfg cfg = {0};
    tm_dedup_opts_init(&cfg.d);
    cfg.d.bands = 32;
    cfg.d.rows = 1;
    char *out, *rm, *cl;
    tm_dedup_stats ds;
    assert_int_equal(run(in, &cfg, &out, &rm, &cl, &ds), TM_OK);
    assert_int_equal(ds.candidate_pairs, 1);
    assert_int_equal(ds.rejected_pairs, 1);
    assert_int_equal(ds.verified_pairs, 0);
    assert_int_equal(ds.near_removed, 0);
    assert_int_equal(count_lines(out), 2);
    free(out);
    free(rm);
    free(cl);
    /* Invalid banding is an argument error. */
    cfg.d.bands = 100;
    cfg.d.rows = 2;
    assert_int_equal(run(in, &cfg, &out, &rm, &cl, &ds), TM_ERR_ARG);
    free(out);
    free(rm);
    free(cl);
    tm_buf_free(&f);
    tm_buf_free(&t);
}

/* Containment: a copy cut to the first 300 of 400 words has a Jaccard of
 * about 0.75 (below the 0.85 threshold) but all of its shingles are in the
 * original, and it has more than 70 % of its size: removed by the
 * containment rule, in either input order — never the full text. The last
 * 150 words are too small a part: kept. With containment off, the cut copy
 * stays too. The removed record names the rule, both similarities and both
 * sizes. */
static void t_containment(void **state) {
    (void)state;
    tm_buf f = {0}, g = {0}, t = {0}, cut = {0};
    words(&t, 11, 400, 0);
    words(&cut, 11, 300, 0);
    const char *tail = t.data;
    for (int sp = 0; sp < 250; tail++) sp += *tail == ' ';
    tm_test_add_doc(&f, "full", t.data, NULL);
    tm_test_add_doc(&f, "cut75", cut.data, NULL);
    tm_test_add_doc(&f, "last38", tail, NULL);
    tm_test_add_doc(&g, "cut75", cut.data, NULL); /* the contained one first */
    tm_test_add_doc(&g, "full", t.data, NULL);
    tm_test_add_doc(&g, "last38", tail, NULL);
    char in[300], in2[300];
    snprintf(in, sizeof in, "%s/in_cont.jsonl", dir);
    snprintf(in2, sizeof in2, "%s/in_cont2.jsonl", dir);
    write_file(in, &f);
    write_file(in2, &g);
    run_cfg cfg = {0};
    char *out, *rm, *cl;
    tm_dedup_stats ds;
    for (int order = 0; order < 2; order++)
        for (int verify = 0; verify < 3; verify++) {
            tm_dedup_opts_init(&cfg.d);
            cfg.d.verify = verify == 2 ? TM_VERIFY_ALIGNED
                           : verify    ? TM_VERIFY_EXACT
                                       : TM_VERIFY_SIGNATURE;
            assert_int_equal(run(order ? in2 : in, &cfg, &out, &rm, &cl, &ds), TM_OK);
            assert_int_equal(ds.near_removed, 1);
            assert_int_equal(ds.containment_pairs, 1);
            assert_non_null(strstr(rm, "\"id\":\"cut75\""));
            assert_non_null(strstr(rm, "\"duplicate_of\":\"full\""));
            assert_non_null(strstr(out, "\"id\":\"full\""));
            assert_non_null(strstr(out, "\"id\":\"last38\""));
            assert_non_null(strstr(rm, ",\"rule\":\"containment\",\"containment\":1,"
                                       "\"shingles\":296,\"kept_shingles\":396,"));
            /* aligned: every word of the cut copy is covered; the last 100
             * of the 400 words of the full text are not */
            char want[160];
            snprintf(want, sizeof want, "\"chars\":%zu,\"kept_chars\":%zu%s}", strlen(cut.data),
                     strlen(t.data),
                     verify == 2 ? ",\"coverage\":1,\"kept_coverage\":0.75,\"gap\":0,"
                                   "\"kept_gap\":100"
                                 : "");
            assert_non_null(strstr(rm, want));
            free(out);
            free(rm);
            free(cl);
        }
    tm_dedup_opts_init(&cfg.d);
    cfg.d.verify = TM_VERIFY_SIGNATURE;
    cfg.d.containment = 0.0;
    assert_int_equal(run(in2, &cfg, &out, &rm, &cl, &ds), TM_OK);
    assert_int_equal(ds.near_removed, 0);
    assert_int_equal(ds.containment_pairs, 0);
    assert_int_equal(ds.bands, 8); /* banding for 0.85 alone */
    assert_int_equal(ds.rows, 16);
    free(out);
    free(rm);
    free(cl);
    tm_buf_free(&f);
    tm_buf_free(&g);
    tm_buf_free(&t);
    tm_buf_free(&cut);
}

/* No removal through a chain: B shares 4 of its 5 blocks with A, C 4 of 5
 * with B and only 3 with A (Jaccard 0.66, 0.66, 0.42 at threshold 0.6).
 * B goes as a copy of A; C, similar to B only, stays — union-find removed it
 * as a "copy" of A. With --keep best and C the best, C stays and B goes
 * for C; A, similar to B only, stays. */
static void t_no_chain(void **state) {
    (void)state;
    tm_buf f = {0}, t = {0};
    const char *ids[] = {"A", "B", "C"};
    for (int d = 0; d < 3; d++) {
        tmi_buf_reset(&t);
        for (int blk = d; blk < d + 5; blk++) {
            if (blk > d) tmi_buf_putc(&t, ' ');
            words(&t, 100 + (uint64_t)blk, 100, 0);
        }
        const char *q[] = {",\"tamis\":{\"quality\":0.1}", ",\"tamis\":{\"quality\":0.5}",
                           ",\"tamis\":{\"quality\":0.9}"};
        tm_test_add_doc(&f, ids[d], t.data, q[d]);
    }
    char in[300];
    snprintf(in, sizeof in, "%s/in_chain.jsonl", dir);
    write_file(in, &f);
    run_cfg cfg = {0};
    char *out, *rm, *cl;
    tm_dedup_stats ds;
    for (int keep = 0; keep < 2; keep++) {
        tm_dedup_opts_init(&cfg.d);
        cfg.d.threshold = 0.6;
        cfg.d.containment = 0.0;
        cfg.d.lsh_threshold = 0.3; /* A, C must be a candidate too */
        cfg.d.verify = TM_VERIFY_EXACT;
        cfg.d.keep = keep ? TM_KEEP_BEST : TM_KEEP_FIRST;
        assert_int_equal(run(in, &cfg, &out, &rm, &cl, &ds), TM_OK);
        assert_int_equal(ds.candidate_pairs, 3);
        assert_int_equal(ds.verified_pairs, 2);
        assert_int_equal(ds.near_removed, 1);
        assert_int_equal(ds.chain_kept, 1);
        assert_int_equal(count_lines(out), 2);
        assert_non_null(strstr(rm, "{\"id\":\"B\""));
        assert_non_null(strstr(rm, keep ? "\"duplicate_of\":\"C\"" : "\"duplicate_of\":\"A\""));
        assert_non_null(strstr(rm, "\"rule\":\"jaccard\""));
        assert_int_equal(count_lines(cl), 1);
        assert_non_null(
            strstr(cl, keep ? "\"size\":2,\"kept\":\"C\"" : "\"size\":2,\"kept\":\"A\""));
        free(out);
        free(rm);
        free(cl);
    }
    tm_buf_free(&f);
    tm_buf_free(&t);
}

/* --keep longest and --keep best choose inside a cluster; ties and missing
 * scores fall back to the first. */
static void t_keep_modes(void **state) {
    (void)state;
    tm_buf f = {0}, t = {0};
    words(&t, 3, 300, 0);
    tm_test_add_doc(&f, "p", t.data, ",\"tamis\":{\"quality\":0.2}");
    tmi_buf_puts(&t, " extra tail words");
    tm_test_add_doc(&f, "q", t.data, ",\"tamis\":{\"quality\":0.9}");
    tmi_buf_reset(&t);
    words(&t, 3, 300, 0);
    tm_test_add_doc(&f, "r", t.data, NULL);
    char in[300];
    snprintf(in, sizeof in, "%s/in3.jsonl", dir);
    write_file(in, &f);
    run_cfg cfg = {0};
    char *out, *rm, *cl;
    tm_dedup_stats ds;
    const struct {
        tm_keep_mode k;
        const char *kept;
    } cases[] = {{TM_KEEP_FIRST, "p"}, {TM_KEEP_LONGEST, "q"}, {TM_KEEP_BEST, "q"}};
    for (int i = 0; i < 3; i++) {
        tm_dedup_opts_init(&cfg.d);
        cfg.d.keep = cases[i].k;
        assert_int_equal(run(in, &cfg, &out, &rm, &cl, &ds), TM_OK);
        assert_int_equal(count_lines(out), 1);
        char want[64];
        snprintf(want, sizeof want, "{\"id\":\"%s\"", cases[i].kept);
        assert_true(strncmp(out, want, strlen(want)) == 0);
        snprintf(want, sizeof want, "\"duplicate_of\":\"%s\"", cases[i].kept);
        assert_non_null(strstr(rm, want));
        free(out);
        free(rm);
        free(cl);
    }
    /* A score path that nobody has: no scores, the first is kept. */
    tm_dedup_opts_init(&cfg.d);
    cfg.d.keep = TM_KEEP_BEST;
    cfg.d.score_field = "signals.none";
    assert_int_equal(run(in, &cfg, &out, &rm, &cl, &ds), TM_OK);
    assert_true(strncmp(out, "{\"id\":\"p\"", 9) == 0);
    free(out);
    free(rm);
    free(cl);
    tm_buf_free(&f);
    tm_buf_free(&t);
}

/* Paragraph mode: a boilerplate line seen in an earlier document goes from
 * later ones; a document left too short goes; short lines stay. */
static void t_paragraphs(void **state) {
    (void)state;
    const char *boiler = "Subscribe to our newsletter for the latest news and offers";
    tm_buf f = {0}, t = {0};
    tmi_buf_puts(&t, boiler);
    tmi_buf_puts(&t, "\nHome\n");
    words(&t, 11, 60, 0);
    tm_test_add_doc(&f, "one", t.data, NULL);
    tmi_buf_reset(&t);
    tmi_buf_puts(&t, "Home\n");
    words(&t, 12, 60, 0);
    tmi_buf_puts(&t, "\n  SUBSCRIBE to our newsletter for the latest news and offers  \n");
    tm_test_add_doc(&f, "two", t.data, NULL);
    tmi_buf_reset(&t);
    tmi_buf_puts(&t, "Short note.\n");
    tmi_buf_puts(&t, boiler);
    tm_test_add_doc(&f, "three", t.data, NULL);
    char in[300];
    snprintf(in, sizeof in, "%s/in4.jsonl", dir);
    write_file(in, &f);
    run_cfg cfg = {0};
    tm_dedup_opts_init(&cfg.d);
    cfg.d.paragraphs = 1;
    char *out, *rm, *cl;
    tm_dedup_stats ds;
    assert_int_equal(run(in, &cfg, &out, &rm, &cl, &ds), TM_OK);
    assert_int_equal(ds.paragraphs_removed, 1);
    assert_int_equal(ds.docs_edited, 1);
    assert_int_equal(ds.paragraph_docs_removed, 1);
    assert_int_equal(ds.exact_removed + ds.near_removed, 0);
    assert_int_equal(count_lines(out), 2);
    /* "two" keeps "Home" (short) and its own words, loses the line. */
    tm_buf want = {0};
    tmi_buf_puts(&want, "{\"id\":\"two\",\"text\":\"Home\\n");
    words(&want, 12, 60, 0);
    tmi_buf_puts(&want, "\\n\",\"tamis\":{\"paragraphs_removed\":1}}");
    assert_non_null(strstr(out, want.data));
    assert_non_null(strstr(rm, "\"id\":\"three\""));
    assert_non_null(strstr(rm, "\"removed_by\":\"dedup.paragraphs\",\"chars_left\":11"));
    assert_int_equal(ds.ledger.read, 3);
    free(out);
    free(rm);
    free(cl);
    tm_buf_free(&f);
    tm_buf_free(&t);
    tm_buf_free(&want);
}

/* Chinese and Japanese copies with a character changed are found through
 * automatic character shingles. */
static void t_cjk_copies(void **state) {
    (void)state;
    const char *zh =
        "北京时间今天上午，国家统计局发布了最新的经济数据。数据显示，今年前三季度国内生产总值同比增"
        "长"
        "百分之五点二，消费对经济增长的贡献率继续提高，就业形势总体稳定，物价水平温和上涨。";
    const char *zh2 =
        "北京时间今天上午，国家统计局发布了最新的经济数据。数据显示，今年前三季度国内生产总值同比增"
        "长"
        "百分之五点三，消费对经济增长的贡献率继续提高，就业形势总体稳定，物价水平温和上涨。";
    const char *ja = "東京都は今日、新しい防災計画を発表しました。計画では、大きな地震が起きたとき"
                     "に住民がすぐに避難"
                     "できるよう、公園や学校を避難所として使う方法をくわしく決めています。";
    const char *ja2 = "東京都は今日、新しい防災計画を発表しました。計画では、大きな地震が起きたとき"
                      "に住民がすぐに避難"
                      "できるよう、公園や学校を避難所として使う方法を詳しく決めています。";
    tm_buf f = {0};
    tm_test_add_doc(&f, "zh", zh, NULL);
    tm_test_add_doc(&f, "ja", ja, NULL);
    tm_test_add_doc(&f, "zh2", zh2, NULL);
    tm_test_add_doc(&f, "ja2", ja2, NULL);
    char in[300];
    snprintf(in, sizeof in, "%s/in5.jsonl", dir);
    write_file(in, &f);
    run_cfg cfg = {0};
    tm_dedup_opts_init(&cfg.d);
    char *out, *rm, *cl;
    tm_dedup_stats ds;
    assert_int_equal(run(in, &cfg, &out, &rm, &cl, &ds), TM_OK);
    assert_int_equal(ds.near_removed, 2);
    assert_int_equal(ds.clusters, 2);
    assert_non_null(strstr(rm, "\"id\":\"zh2\""));
    assert_non_null(strstr(rm, "\"duplicate_of\":\"zh\""));
    assert_non_null(strstr(rm, "\"duplicate_of\":\"ja\""));
    free(out);
    free(rm);
    free(cl);
    tm_buf_free(&f);
}

/* A corpus with clusters, chains and exact copies: the spill path (tiny
 * --memory) and 2 threads give byte-identical files to 1 thread in memory. */
static void t_spill_and_threads(void **state) {
    (void)state;
    tm_buf f = {0}, t = {0};
    char id[32];
    for (int i = 0; i < 240; i++) {
        tmi_buf_reset(&t);
        uint64_t base = (uint64_t)(i % 60) + 100; /* 60 stories, 4 versions */
        int v = i / 60;
        /* v0 original, v1 +3 words and 1 edit, v2 +6 words and 2 edits, v3
         * an exact copy of v0. */
        words(&t, base, v == 3 ? 200 : 200 + v * 3, v == 1 ? 150 : v == 2 ? 80 : 0);
        snprintf(id, sizeof id, "doc%d", i);
        tm_test_add_doc(&f, id, t.data, NULL);
    }
    f.data[f.len - 2] = 'x'; /* the last record becomes malformed: rejected */
    char in[300];
    snprintf(in, sizeof in, "%s/in6.jsonl", dir);
    write_file(in, &f);

    /* Both verification modes: aligned has its own spill file (the
     * in-order shingles), read back with pread in either path. */
    run_cfg ref = {0}, sp = {0};
    char *o1, *r1, *c1, *o2, *r2, *c2;
    tm_dedup_stats d1, d2;
    const tm_verify_mode modes[] = {TM_VERIFY_SIGNATURE, TM_VERIFY_ALIGNED};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        memset(&ref, 0, sizeof ref);
        tm_dedup_opts_init(&ref.d);
        ref.d.verify = modes[m];
        assert_int_equal(run(in, &ref, &o1, &r1, &c1, &d1), TM_OK);
        assert_int_equal(d1.ledger.rejected, 1);
        assert_int_equal(d1.docs, 239);
        assert_int_equal(d1.exact_removed, 59);
        assert_true(d1.near_removed >= 100);
        assert_int_equal(d1.spill_runs, 0);

        memset(&sp, 0, sizeof sp);
        sp.d = ref.d;
        sp.memory = 8192;
        sp.threads = 2;
        assert_int_equal(run(in, &sp, &o2, &r2, &c2, &d2), TM_OK);
        assert_true(d2.spill_runs > 10);
        assert_string_equal(o1, o2);
        assert_string_equal(r1, r2);
        assert_string_equal(c1, c2);
        assert_int_equal(d1.candidate_pairs, d2.candidate_pairs);
        assert_int_equal(d1.verified_pairs, d2.verified_pairs);
        free(o1);
        free(r1);
        free(c1);
        free(o2);
        free(r2);
        free(c2);
    }

    /* Threads alone, and paragraphs mode too. */
    ref.d.paragraphs = 1;
    ref.d.exact = ref.d.near = 1;
    sp.d = ref.d;
    sp.memory = 0;
    assert_int_equal(run(in, &ref, &o1, &r1, &c1, &d1), TM_OK);
    assert_int_equal(run(in, &sp, &o2, &r2, &c2, &d2), TM_OK);
    assert_string_equal(o1, o2);
    assert_string_equal(r1, r2);
    free(o1);
    free(r1);
    free(c1);
    free(o2);
    free(r2);
    free(c2);
    tm_buf_free(&f);
    tm_buf_free(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_exact_and_near),    cmocka_unit_test(t_verification_rejects),
        cmocka_unit_test(t_keep_modes),        cmocka_unit_test(t_containment),
        cmocka_unit_test(t_paragraphs),        cmocka_unit_test(t_cjk_copies),
        cmocka_unit_test(t_spill_and_threads), cmocka_unit_test(t_no_chain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
