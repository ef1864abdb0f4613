/*
 * test_deduper.c — the streaming dedup handle (tm_deduper_*): its decisions
 * are tamis dedup's, document for document, on the golden dedup inputs and
 * on a generated corpus of exact, edited, truncated and line-sharing copies,
 * for several option sets, with the handle's memory budget spilling or not;
 * and its error paths (options, order of calls, indexes, sizes).
 *
 * The job's side is read back from its files: every removed record's
 * "tamis" object must say what the decision says, every kept record must
 * be the next kept decision's document (its text less the lines
 * tm_deduper_apply removes), every cluster member must carry its cluster.
 */
#include "testutil.h"

#include <jansson.h>
#include <sys/stat.h>

static char dir[256];

/* ---- a corpus of near copies ---- */

static uint64_t rng = 88172645463325252ULL;
static uint32_t next_rand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

static void words(tm_buf *t, int n) {
    static const char *syl[] = {"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo",
                                "zi", "pa", "do", "gu", "he", "ji", "bo", "fe"};
    for (int i = 0; i < n; i++) {
        if (i) tmi_buf_putc(t, i % 13 == 12 ? '\n' : ' ');
        int k = 2 + (int)(next_rand() % 3);
        for (int j = 0; j < k; j++) tmi_buf_puts(t, syl[next_rand() % 16]);
    }
}

/* Originals; exact copies (case, spaces); copies with a few words edited;
 * truncated copies; documents sharing a long line with an earlier one;
 * documents with a quality score; one record that is not JSON. */
static void gen_corpus(tm_buf *f, int n_orig) {
    tm_buf *orig = calloc((size_t)n_orig, sizeof *orig);
    char id[64], extra[64];
    const char *shared_line =
        "this navigation line is long enough to be a paragraph key for every page";
    for (int i = 0; i < n_orig; i++) {
        words(&orig[i], 60 + (int)(next_rand() % 60));
        snprintf(id, sizeof id, "o%d", i);
        snprintf(extra, sizeof extra, ",\"tamis\":{\"quality\":%u}", next_rand() % 100);
        tm_test_add_doc(f, id, orig[i].data, i % 3 ? extra : NULL);
    }
    for (int i = 0; i < n_orig; i++) {
        int kind = (int)(next_rand() % 6);
        const tm_buf *o = &orig[next_rand() % (uint32_t)n_orig];
        tm_buf t = {0};
        snprintf(id, sizeof id, "c%d-%d", i, kind);
        if (kind == 0) { /* exact: upper case and doubled spaces */
            for (size_t k = 0; k < o->len; k++) {
                char ch = o->data[k];
                if (ch == ' ') tmi_buf_putc(&t, ' ');
                tmi_buf_putc(&t, ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch);
            }
        } else if (kind == 1 || kind == 2) { /* a few words replaced */
            tmi_buf_append(&t, o->data, o->len);
            for (int k = 0; k < kind; k++) {
                size_t at = next_rand() % t.len;
                while (at < t.len && t.data[at] != ' ') at++;
                if (at + 3 < t.len) memcpy(t.data + at + 1, "zzz", 3);
            }
        } else if (kind == 3) { /* truncated to about 85 % */
            tmi_buf_append(&t, o->data, o->len * 85 / 100);
        } else if (kind == 4) { /* its own text with a line seen before */
            words(&t, 40);
            tmi_buf_putc(&t, '\n');
            tmi_buf_puts(&t, shared_line);
        } else { /* unrelated, short, mostly the shared line */
            tmi_buf_puts(&t, shared_line);
            tmi_buf_puts(&t, "\nshort rest");
        }
        snprintf(extra, sizeof extra, ",\"tamis\":{\"quality\":%u}", next_rand() % 100);
        tm_test_add_doc(f, id, t.data, i % 2 ? extra : NULL);
        tm_buf_free(&t);
        if (i == n_orig / 2) tmi_buf_puts(f, "{\"id\": \"broken\", \"text\": \n");
    }
    for (int i = 0; i < n_orig; i++) tm_buf_free(&orig[i]);
    free(orig);
}

/* ---- the job's files against the handle's decisions ---- */

typedef struct lines {
    char *data;
    char *at;
} lines;

static json_t *next_line(lines *l) {
    if (!l->at || !*l->at) return NULL;
    char *nl = strchr(l->at, '\n');
    assert_non_null(nl);
    json_t *j = json_loadb(l->at, (size_t)(nl - l->at), 0, NULL);
    assert_non_null(j);
    l->at = nl + 1;
    return j;
}

static void expect_str(json_t *o, const char *key, const char *want) {
    json_t *v = json_object_get(o, key);
    if (!want) {
        assert_true(!v || json_is_null(v));
        return;
    }
    assert_non_null(v);
    assert_string_equal(json_string_value(v), want);
}

static void expect_num(json_t *o, const char *key, double want) {
    json_t *v = json_object_get(o, key);
    assert_non_null(v);
    /* the job writes numbers with six decimals (tmi_json_num): so must want */
    tm_buf b = {0};
    assert_int_equal(tmi_json_num(&b, want), TM_OK);
    assert_close(json_number_value(v), strtod(b.data, NULL), 1e-12);
    tm_buf_free(&b);
}

/* One removed record's "tamis" object against decision r. */
static void check_removed(json_t *rec, const tm_dedup_decision *r, const tm_dedup_opts *d) {
    json_t *t = json_object_get(rec, "tamis");
    assert_non_null(t);
    expect_str(t, "removed_by", r->reason);
    if (r->fate == TM_DEDUP_PARAGRAPHS) {
        expect_num(t, "chars_left", r->chars);
        return;
    }
    assert_true(r->fate == TM_DEDUP_EXACT || r->fate == TM_DEDUP_NEAR);
    expect_str(t, "dup_kind", r->fate == TM_DEDUP_EXACT ? "exact" : "near");
    expect_str(t, "rule", r->rule);
    expect_num(t, "duplicate_of_index", (double)r->duplicate_of);
    json_t *of = json_object_get(t, "duplicate_of");
    if (r->duplicate_of_id.ptr) {
        assert_true(json_is_string(of));
        assert_int_equal(json_string_length(of), r->duplicate_of_id.len);
        assert_memory_equal(json_string_value(of), r->duplicate_of_id.ptr, r->duplicate_of_id.len);
    } else {
        assert_true(json_is_null(of));
    }
    expect_num(t, "similarity", r->similarity);
    expect_num(t, "containment", r->containment);
    expect_num(t, "cluster", (double)r->cluster);
    expect_num(t, "shingles", r->shingles);
    expect_num(t, "kept_shingles", r->kept_shingles);
    expect_num(t, "chars", r->chars);
    expect_num(t, "kept_chars", r->kept_chars);
    assert_int_equal(r->aligned, d->verify == TM_VERIFY_ALIGNED);
    if (r->aligned) {
        expect_num(t, "coverage", r->coverage);
        expect_num(t, "kept_coverage", r->kept_coverage);
        expect_num(t, "gap", r->gap);
        expect_num(t, "kept_gap", r->kept_gap);
    }
}

/* Runs tamis dedup over data (written to a file) and the handle over the
 * same bytes (a reader over memory named after the file, rejected records
 * skipped, scores given explicitly when `scored`), then compares every
 * decision. handle_mem, when not 0, is the handle's own memory budget. */
static void compare(const char *data, size_t n, const tm_dedup_opts *d, uint64_t handle_mem,
                    int scored) {
    char in[300], out[300], rm[300], cl[300];
    snprintf(in, sizeof in, "%s/in.jsonl", dir);
    snprintf(out, sizeof out, "%s/kept.jsonl", dir);
    snprintf(rm, sizeof rm, "%s/removed.jsonl", dir);
    snprintf(cl, sizeof cl, "%s/clusters.jsonl", dir);
    FILE *f = fopen(in, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);

    tm_job_opts o;
    tm_job_opts_init(&o);
    const char *paths[] = {in};
    o.inputs = paths;
    o.n_inputs = 1;
    o.threads = 2;
    o.output = out;
    o.removed = rm;
    tm_dedup_opts jd = *d;
    jd.clusters = cl;
    jd.tmp_dir = dir;
    tm_dedup_stats js;
    assert_int_equal(tm_job_dedup(&o, &jd, &js), TM_OK);

    tm_dedup_opts hd = *d;
    hd.tmp_dir = dir;
    if (handle_mem) hd.memory = handle_mem;
    tm_deduper *dd;
    assert_int_equal(tm_deduper_new(&dd, &hd), TM_OK);
    tm_reader *r;
    assert_int_equal(tm_reader_open_mem(&r, data, n, in, NULL), TM_OK);
    tm_buf texts = {0}, ids = {0};
    size_t *toff = NULL, n_doc = 0;
    tm_doc doc;
    tm_error e;
    while ((e = tm_reader_next(r, &doc)) != TM_EOF) {
        toff = realloc(toff, (n_doc + 2) * 2 * sizeof *toff);
        toff[2 * n_doc] = texts.len;
        toff[2 * n_doc + 1] = ids.len;
        n_doc++;
        if (e) {
            assert_int_equal(tm_deduper_skip(dd), TM_OK);
            continue;
        }
        tmi_buf_append(&texts, doc.text.ptr, doc.text.len);
        tmi_buf_append(&ids, doc.id.ptr, doc.id.len);
        if (scored) {
            /* the score the job reads from the document's "tamis" object */
            json_t *t = json_loadb(tm_doc_tamis(&doc).ptr, tm_doc_tamis(&doc).len, 0, NULL);
            json_t *q = t ? json_object_get(t, "quality") : NULL;
            if (q)
                e = tm_deduper_add_scored(dd, doc.id.ptr, doc.id.len, doc.text.ptr, doc.text.len,
                                          json_number_value(q));
            else
                e = tm_deduper_add(dd, doc.id.ptr, doc.id.len, doc.text.ptr, doc.text.len);
            json_decref(t);
        } else {
            e = tm_deduper_add_doc(dd, &doc);
        }
        assert_int_equal(e, TM_OK);
    }
    toff = realloc(toff, (n_doc + 1) * 2 * sizeof *toff);
    toff[2 * n_doc] = texts.len;
    toff[2 * n_doc + 1] = ids.len;
    tm_reader_close(r);
    assert_int_equal(tm_deduper_count(dd), js.pass1_read);
    assert_int_equal(tm_deduper_finish(dd), TM_OK);

    const tm_dedup_stats *hs = tm_deduper_stats(dd);
    assert_int_equal(hs->docs, js.docs);
    assert_int_equal(hs->exact_removed, js.exact_removed);
    assert_int_equal(hs->near_removed, js.near_removed);
    assert_int_equal(hs->paragraph_docs_removed, js.paragraph_docs_removed);
    assert_int_equal(hs->paragraphs_removed, js.paragraphs_removed);
    assert_int_equal(hs->docs_edited, js.docs_edited);
    assert_int_equal(hs->clusters, js.clusters);
    assert_int_equal(hs->candidate_pairs, js.candidate_pairs);
    assert_int_equal(hs->verified_pairs, js.verified_pairs);
    assert_int_equal(hs->containment_pairs, js.containment_pairs);
    assert_int_equal(hs->judged_pairs, js.judged_pairs);
    assert_int_equal(hs->chain_kept, js.chain_kept);
    assert_int_equal(hs->bands, js.bands);
    assert_int_equal(hs->rows, js.rows);
    if (!handle_mem) {
        assert_int_equal(hs->spill_runs, js.spill_runs);
        assert_int_equal(hs->index_bytes, js.index_bytes);
    }

    lines kept = {tm_test_text(out), NULL}, removed = {tm_test_text(rm), NULL};
    kept.at = kept.data;
    removed.at = removed.data;
    uint64_t n_removed = 0;
    tm_buf edited = {0};
    for (uint64_t i = 0; i < n_doc; i++) {
        tm_dedup_decision dc = {.size = sizeof dc};
        assert_int_equal(tm_deduper_decision(dd, i, &dc), TM_OK);
        const char *text = texts.data + toff[2 * i];
        size_t tlen = toff[2 * i + 2] - toff[2 * i];
        if (dc.fate == TM_DEDUP_SKIPPED) {
            assert_int_equal(tlen, 0);
            continue;
        }
        json_t *rec = next_line(dc.removed ? &removed : &kept);
        assert_non_null(rec);
        json_t *id = json_object_get(rec, "id");
        assert_int_equal(json_string_length(id), toff[2 * i + 3] - toff[2 * i + 1]);
        assert_memory_equal(json_string_value(id), ids.data + toff[2 * i + 1],
                            json_string_length(id));
        if (dc.removed) {
            n_removed++;
            check_removed(rec, &dc, d);
        } else {
            /* kept: the job's text is the text less the removed lines */
            tmi_buf_reset(&edited);
            assert_int_equal(tm_deduper_apply(dd, i, text, tlen, &edited), TM_OK);
            json_t *jt = json_object_get(rec, "text");
            assert_int_equal(json_string_length(jt), edited.len);
            assert_memory_equal(json_string_value(jt), edited.len ? edited.data : "", edited.len);
            json_t *t = json_object_get(rec, "tamis");
            json_t *pr = t ? json_object_get(t, "paragraphs_removed") : NULL;
            assert_int_equal(pr ? json_integer_value(pr) : 0, dc.lines_removed);
            size_t nl = 99;
            assert_int_equal(tm_deduper_lines(dd, i, NULL, 0, &nl), TM_OK);
            assert_int_equal(nl, dc.lines_removed);
        }
        json_decref(rec);
    }
    assert_null(next_line(&kept));
    assert_null(next_line(&removed));
    assert_int_equal(n_removed, js.ledger.removed);

    /* Every cluster member carries its cluster; the kept one leads it. */
    lines clusters = {tm_test_text(cl), NULL};
    clusters.at = clusters.data;
    json_t *c;
    uint64_t n_clusters = 0;
    while ((c = next_line(&clusters))) {
        json_int_t num = json_integer_value(json_object_get(c, "cluster"));
        assert_int_equal(num, (json_int_t)n_clusters++);
        json_t *m;
        size_t k;
        json_array_foreach(json_object_get(c, "members"), k, m) {
            tm_dedup_decision dc = {.size = sizeof dc};
            uint64_t idx = (uint64_t)json_integer_value(json_object_get(m, "index"));
            assert_int_equal(tm_deduper_decision(dd, idx, &dc), TM_OK);
            assert_int_equal(dc.cluster, num);
            const char *kind = json_string_value(json_object_get(m, "kind"));
            if (!strcmp(kind, "kept")) /* leads it, even when --paragraphs removed it */
                assert_true(dc.fate == TM_DEDUP_KEPT || dc.fate == TM_DEDUP_PARAGRAPHS);
            else
                assert_int_equal(dc.fate, !strcmp(kind, "exact") ? TM_DEDUP_EXACT : TM_DEDUP_NEAR);
        }
        json_decref(c);
    }
    assert_int_equal(n_clusters, hs->clusters);

    free(clusters.data);
    free(kept.data);
    free(removed.data);
    tm_buf_free(&edited);
    tm_buf_free(&texts);
    tm_buf_free(&ids);
    free(toff);
    tm_deduper_free(dd);
    remove(in);
    remove(out);
    remove(rm);
    remove(cl);
    char rj[320];
    snprintf(rj, sizeof rj, "%s.rejects.jsonl", out);
    remove(rj);
    if (getenv("TM_TEST_VERBOSE"))
        fprintf(stderr, "docs %llu exact %llu near %llu para %llu/%llu clusters %llu spill %llu\n",
                (unsigned long long)js.docs, (unsigned long long)js.exact_removed,
                (unsigned long long)js.near_removed, (unsigned long long)js.paragraph_docs_removed,
                (unsigned long long)js.paragraphs_removed, (unsigned long long)js.clusters,
                (unsigned long long)js.spill_runs);
}

static void compare_file(const char *path, const tm_dedup_opts *d, uint64_t mem, int scored) {
    size_t n;
    char *data = tm_test_slurp(path, &n);
    assert_non_null(data);
    compare(data, n, d, mem, scored);
    free(data);
}

static void test_golden_inputs(void **st) {
    (void)st;
    tm_dedup_opts d;
    tm_dedup_opts_init(&d);
    compare_file("tests/golden/dedup-near/input.jsonl", &d, 0, 0);
    compare_file("tests/golden/dedup-keep-best/input.jsonl", &d, 0, 0);
    d.keep = TM_KEEP_LONGEST;
    d.paragraphs = d.exact = d.near = 1;
    compare_file("tests/golden/dedup-near/input.jsonl", &d, 8192, 0);
    tm_dedup_opts_init(&d);
    d.verify = TM_VERIFY_ALIGNED;
    compare_file("tests/golden/dedup-keep-best/input.jsonl", &d, 0, 0);
}

static void test_generated(void **st) {
    (void)st;
    tm_buf f = {0};
    gen_corpus(&f, 240);
    tm_dedup_opts d;
    tm_dedup_opts_init(&d);
    compare(f.data, f.len, &d, 0, 0);
    /* the handle spills (8 KiB: runs on disk, signatures in a file) */
    compare(f.data, f.len, &d, 8192, 0);
    d.paragraphs = d.exact = d.near = 1;
    d.keep = TM_KEEP_BEST;
    compare(f.data, f.len, &d, 0, 0);
    compare(f.data, f.len, &d, 0, 1); /* the same scores, given to add_scored */
    tm_dedup_opts_init(&d);
    d.verify = TM_VERIFY_EXACT;
    d.keep = TM_KEEP_LONGEST;
    d.memory = 16384;
    compare(f.data, f.len, &d, 0, 0);
    tm_dedup_opts_init(&d);
    d.verify = TM_VERIFY_ALIGNED;
    d.template_df = 4;
    d.min_jaccard = 0.6;
    d.df_sketch_bytes = 1 << 16;
    compare(f.data, f.len, &d, 8192, 0);
    tm_dedup_opts_init(&d);
    d.paragraphs = 1; /* paragraphs alone */
    compare(f.data, f.len, &d, 0, 0);
    tm_buf_free(&f);
}

/* The decisions say what the documents are, not what the files say. */
static void test_small_exact(void **st) {
    (void)st;
    tm_dedup_opts d;
    tm_dedup_opts_init(&d);
    d.tmp_dir = dir;
    tm_deduper *dd;
    assert_int_equal(tm_deduper_new(&dd, &d), TM_OK);
    const char *t = "The quick brown fox jumps over the lazy dog near the river bank today.";
    assert_int_equal(tm_deduper_add(dd, "a", 1, t, strlen(t)), TM_OK);
    assert_int_equal(tm_deduper_skip(dd), TM_OK);
    assert_int_equal(tm_deduper_add(dd, NULL, 0, "something else entirely, not a copy", 35), TM_OK);
    assert_int_equal(tm_deduper_add(dd, "b", 1,
                                    "THE  quick brown fox jumps over the lazy dog "
                                    "near the river bank today.",
                                    71),
                     TM_OK);
    assert_int_equal(tm_deduper_add(dd, "", 0, "", 0), TM_OK);
    assert_int_equal(tm_deduper_count(dd), 5);
    tm_dedup_decision dc = {.size = sizeof dc};
    assert_int_equal(tm_deduper_decision(dd, 0, &dc), TM_ERR_ARG); /* before finish */
    assert_int_equal(tm_deduper_finish(dd), TM_OK);
    assert_int_equal(tm_deduper_finish(dd), TM_ERR_ARG);
    assert_int_equal(tm_deduper_add(dd, "c", 1, t, strlen(t)), TM_ERR_ARG);
    assert_int_equal(tm_deduper_skip(dd), TM_ERR_ARG);

    assert_int_equal(tm_deduper_decision(dd, 0, &dc), TM_OK);
    assert_int_equal(dc.fate, TM_DEDUP_KEPT);
    assert_int_equal(dc.removed, 0);
    assert_null(dc.reason);
    assert_int_equal(dc.cluster, 0);
    assert_close(dc.similarity, 1.0, 0);
    assert_int_equal(dc.chars, strlen(t));

    assert_int_equal(tm_deduper_decision(dd, 1, &dc), TM_OK);
    assert_int_equal(dc.fate, TM_DEDUP_SKIPPED);
    assert_int_equal(dc.cluster, -1);

    assert_int_equal(tm_deduper_decision(dd, 2, &dc), TM_OK);
    assert_int_equal(dc.fate, TM_DEDUP_KEPT);
    assert_int_equal(dc.cluster, -1);
    assert_close(dc.similarity, 0.0, 0);
    assert_int_equal(dc.duplicate_of, UINT64_MAX);

    assert_int_equal(tm_deduper_decision(dd, 3, &dc), TM_OK);
    assert_int_equal(dc.fate, TM_DEDUP_EXACT);
    assert_int_equal(dc.removed, 1);
    assert_string_equal(dc.reason, "dedup.exact");
    assert_string_equal(dc.rule, "exact");
    assert_int_equal(dc.duplicate_of, 0);
    assert_int_equal(dc.duplicate_of_id.len, 1);
    assert_memory_equal(dc.duplicate_of_id.ptr, "a", 1);
    assert_int_equal(dc.cluster, 0);
    assert_close(dc.similarity, 1.0, 0);
    assert_close(dc.containment, 1.0, 0);
    assert_int_equal(dc.kept_chars, strlen(t));
    assert_int_equal(dc.shingles, dc.kept_shingles);

    assert_int_equal(tm_deduper_decision(dd, 4, &dc), TM_OK);
    assert_int_equal(dc.fate, TM_DEDUP_KEPT);
    assert_int_equal(dc.shingles, 0);
    assert_int_equal(tm_deduper_decision(dd, 5, &dc), TM_ERR_ARG); /* never added */

    /* A caller built against an older, smaller decision gets only that. */
    struct {
        tm_dedup_decision d;
        int guard;
    } big;
    memset(&big, 0x5a, sizeof big);
    big.d.size = offsetof(tm_dedup_decision, lines_removed) + sizeof(uint32_t);
    assert_int_equal(tm_deduper_decision(dd, 3, &big.d), TM_OK);
    assert_int_equal(big.d.fate, TM_DEDUP_EXACT);
    assert_int_equal(big.guard, 0x5a5a5a5a);
    big.d.size = 8;
    assert_int_equal(tm_deduper_decision(dd, 3, &big.d), TM_ERR_ARG);

    tm_buf b = {0};
    assert_int_equal(tm_deduper_apply(dd, 0, t, strlen(t), &b), TM_OK);
    assert_int_equal(b.len, strlen(t));
    assert_int_equal(tm_deduper_apply(dd, 9, t, strlen(t), &b), TM_ERR_ARG);
    assert_int_equal(tm_deduper_apply(dd, 0, NULL, 3, &b), TM_ERR_ARG);
    tm_buf_free(&b);
    assert_int_equal(tm_deduper_stats(dd)->docs, 4);
    assert_int_equal(tm_deduper_stats(dd)->exact_removed, 1);
    tm_deduper_free(dd);
}

/* Paragraph decisions: the lines, and the text without them. */
static void test_lines(void **st) {
    (void)st;
    tm_dedup_opts d;
    tm_dedup_opts_init(&d);
    d.paragraphs = 1;
    d.min_doc_chars = 10;
    d.tmp_dir = dir;
    tm_deduper *dd;
    assert_int_equal(tm_deduper_new(&dd, &d), TM_OK);
    const char *a = "first unique opening line of the first page here\n"
                    "subscribe to our newsletter for more news every single day";
    const char *b = "subscribe to our newsletter for more news every single day\n"
                    "the second page has its own words\n"
                    "subscribe to our newsletter for more news every single day";
    assert_int_equal(tm_deduper_add(dd, "a", 1, a, strlen(a)), TM_OK);
    assert_int_equal(tm_deduper_add(dd, "b", 1, b, strlen(b)), TM_OK);
    assert_int_equal(tm_deduper_finish(dd), TM_OK);
    uint32_t v[4] = {9, 9, 9, 9};
    size_t n;
    assert_int_equal(tm_deduper_lines(dd, 0, v, 4, &n), TM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(tm_deduper_lines(dd, 1, v, 1, &n), TM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0], 0);
    assert_int_equal(v[1], 9); /* cap 1: only the first */
    assert_int_equal(tm_deduper_lines(dd, 1, v, 4, &n), TM_OK);
    assert_int_equal(v[1], 2);
    assert_int_equal(tm_deduper_lines(dd, 1, NULL, 1, &n), TM_ERR_ARG);
    tm_dedup_decision dc = {.size = sizeof dc};
    assert_int_equal(tm_deduper_decision(dd, 1, &dc), TM_OK);
    assert_int_equal(dc.fate, TM_DEDUP_KEPT);
    assert_int_equal(dc.lines_removed, 2);
    assert_int_equal(dc.chars, strlen("the second page has its own words"));
    tm_buf out = {0};
    assert_int_equal(tm_deduper_apply(dd, 1, b, strlen(b), &out), TM_OK);
    assert_string_equal(out.data, "the second page has its own words");
    tm_buf_free(&out);
    tm_deduper_free(dd);

    /* Left too short: removed with the paragraphs reason. */
    d.min_doc_chars = 100;
    assert_int_equal(tm_deduper_new(&dd, &d), TM_OK);
    assert_int_equal(tm_deduper_add(dd, "a", 1, a, strlen(a)), TM_OK);
    assert_int_equal(tm_deduper_add(dd, "b", 1, b, strlen(b)), TM_OK);
    assert_int_equal(tm_deduper_finish(dd), TM_OK);
    assert_int_equal(tm_deduper_decision(dd, 1, &dc), TM_OK);
    assert_int_equal(dc.fate, TM_DEDUP_PARAGRAPHS);
    assert_string_equal(dc.reason, "dedup.paragraphs");
    assert_int_equal(dc.chars, strlen("the second page has its own words"));
    assert_int_equal(dc.cluster, -1);
    tm_deduper_free(dd);
}

static void test_errors(void **st) {
    (void)st;
    tm_dedup_opts d;
    tm_dedup_opts_init(&d);
    assert_int_equal(d.size, sizeof d);
    tm_deduper *dd = (tm_deduper *)&d;
    assert_int_equal(tm_deduper_new(&dd, NULL), TM_ERR_ARG);
    assert_null(dd);
    assert_int_equal(tm_deduper_new(NULL, &d), TM_ERR_ARG);
    d.size = 0; /* not initialised */
    assert_int_equal(tm_deduper_new(&dd, &d), TM_ERR_ARG);
    d.size = sizeof d + 8; /* from a newer header than the library */
    assert_int_equal(tm_deduper_new(&dd, &d), TM_ERR_ARG);
    tm_dedup_opts_init(&d);
    d.threshold = 1.5;
    assert_int_equal(tm_deduper_new(&dd, &d), TM_ERR_ARG);
    tm_dedup_opts_init(&d);
    d.bands = 3; /* without rows */
    assert_int_equal(tm_deduper_new(&dd, &d), TM_ERR_ARG);
    tm_dedup_opts_init(&d);
    d.verify = TM_VERIFY_ALIGNED;
    d.coverage = 0;
    assert_int_equal(tm_deduper_new(&dd, &d), TM_ERR_ARG);
    tm_dedup_opts_init(&d);
    d.tmp_dir = "/nonexistent/tamis-tmp";
    assert_int_equal(tm_deduper_new(&dd, &d), TM_ERR_OPEN);
    assert_null(dd);
    /* the job checks the same */
    tm_dedup_opts_init(&d);
    d.size = 0;
    tm_job_opts o;
    tm_job_opts_init(&o);
    tm_dedup_stats js;
    assert_int_equal(tm_job_dedup(&o, &d, &js), TM_ERR_ARG);

    tm_dedup_opts_init(&d);
    d.tmp_dir = dir;
    assert_int_equal(tm_deduper_new(&dd, &d), TM_OK);
    assert_int_equal(tm_deduper_add(dd, NULL, 0, NULL, 4), TM_ERR_ARG);
    assert_int_equal(tm_deduper_add(dd, NULL, 3, "x", 1), TM_ERR_ARG);
    assert_int_equal(tm_deduper_add_doc(dd, NULL), TM_ERR_ARG);
    assert_int_equal(tm_deduper_add(NULL, "a", 1, "x", 1), TM_ERR_ARG);
    assert_int_equal(tm_deduper_count(dd), 0); /* refused adds take no index */
    size_t n;
    assert_int_equal(tm_deduper_lines(dd, 0, NULL, 0, &n), TM_ERR_ARG);
    assert_int_equal(tm_deduper_finish(NULL), TM_ERR_ARG);
    assert_null(tm_deduper_stats(NULL));
    assert_int_equal(tm_deduper_finish(dd), TM_OK); /* nothing added: fine */
    tm_dedup_decision dc = {.size = sizeof dc};
    assert_int_equal(tm_deduper_decision(dd, 0, &dc), TM_ERR_ARG);
    assert_int_equal(tm_deduper_stats(dd)->docs, 0);
    tm_deduper_free(dd);
    tm_deduper_free(NULL);
}

int main(void) {
    snprintf(dir, sizeof dir, "%s/tamis-deduper-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_exact), cmocka_unit_test(test_lines),
        cmocka_unit_test(test_errors),      cmocka_unit_test(test_golden_inputs),
        cmocka_unit_test(test_generated),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    /* every spill file was unlinked at once and the test removed its own
     * files: the directory must be empty */
    int left = rmdir(dir) != 0;
    if (left) fprintf(stderr, "test_deduper: files left in %s\n", dir);
    return rc || left;
}
