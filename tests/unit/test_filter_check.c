/*
 * test_filter_check.c — tm_filter_checker, a filter's rules over one
 * document at a time, decides what `tamis filter` decides: for every preset
 * (and a language restriction, which needs language identification) each
 * document of the golden filter input is removed by the same rule with the
 * same value and threshold, or kept with the same (C4-edited) text.
 */
#include "testutil.h"

#include <jansson.h>

static char dir[256];

static json_t *next_line(char **at) {
    if (!*at || !**at) return NULL;
    char *nl = strchr(*at, '\n');
    assert_non_null(nl);
    json_t *j = json_loadb(*at, (size_t)(nl - *at), 0, NULL);
    assert_non_null(j);
    *at = nl + 1;
    return j;
}

/* Numbers in the job's files have six decimals (tmi_json_num). */
static void expect_num(json_t *o, const char *key, double want) {
    tm_buf b = {0};
    assert_int_equal(tmi_json_num(&b, want), TM_OK);
    json_t *v = json_object_get(o, key);
    assert_non_null(v);
    assert_close(json_number_value(v), strtod(b.data, NULL), 1e-12);
    tm_buf_free(&b);
}

static void compare(const tm_filter *f, int *n_removed, int *n_edited) {
    const char *in = "tests/golden/filter-presets/input.jsonl";
    char out[300], rm[300];
    snprintf(out, sizeof out, "%s/kept.jsonl", dir);
    snprintf(rm, sizeof rm, "%s/removed.jsonl", dir);
    tm_job_opts o;
    tm_job_opts_init(&o);
    const char *paths[] = {in};
    o.inputs = paths;
    o.n_inputs = 1;
    o.threads = 2;
    o.output = out;
    o.removed = rm;
    tm_filter_opts fo;
    tm_filter_opts_init(&fo);
    fo.filter = f;
    /* tm_job_filter zeroes its counters itself: garbage here must not show */
    tm_filter_stats fs;
    memset(&fs, 0x5A, sizeof fs);
    assert_int_equal(tm_job_filter(&o, &fo, &fs), TM_OK);

    char *kept = tm_test_text(out), *removed = tm_test_text(rm);
    char *ka = kept, *ra = removed;
    tm_filter_checker *c;
    assert_int_equal(tm_filter_checker_new(&c, f, 0), TM_OK);
    tm_reader *r;
    assert_int_equal(tm_reader_open(&r, paths, 1, NULL), TM_OK);
    tm_doc doc;
    tm_error e;
    *n_removed = *n_edited = 0;
    while ((e = tm_reader_next(r, &doc)) != TM_EOF) {
        if (e) continue; /* rejected: the job never filters it */
        tm_filter_verdict_out v = {.size = sizeof v};
        assert_int_equal(tm_filter_check(c, doc.text.ptr, doc.text.len, doc.invalid_utf8, &v),
                         TM_OK);
        assert_int_equal(v.has_lang, tm_filter_needs_lang(f));
        json_t *rec = next_line(v.removed ? &ra : &ka);
        assert_non_null(rec);
        json_t *id = json_object_get(rec, "id");
        assert_int_equal(json_string_length(id), doc.id.len);
        assert_memory_equal(json_string_value(id), doc.id.ptr, doc.id.len);
        json_t *t = json_object_get(rec, "tamis");
        if (v.removed) {
            (*n_removed)++;
            assert_string_equal(json_string_value(json_object_get(t, "removed_by")), v.rule);
            expect_num(t, "value", v.value);
            expect_num(t, "threshold", v.threshold);
        } else {
            json_t *jt = json_object_get(rec, "text");
            assert_int_equal(json_string_length(jt), v.text.len);
            assert_memory_equal(json_string_value(jt), v.text.ptr, v.text.len);
            json_t *ed = t ? json_object_get(t, "c4_edits") : NULL;
            assert_int_equal(ed != NULL, v.edited);
            if (ed) {
                (*n_edited)++;
                expect_num(ed, "lines_removed", (double)v.lines_removed);
                expect_num(ed, "citations_removed", (double)v.citations_removed);
            }
        }
        if (v.has_lang) {
            json_t *l = json_object_get(t, "lang");
            assert_string_equal(json_string_value(l), v.lang.code);
        }
        json_decref(rec);
    }
    assert_null(next_line(&ka));
    assert_null(next_line(&ra));
    assert_int_equal((uint64_t)*n_removed, fs.base.removed);
    tm_reader_close(r);
    tm_filter_checker_free(c);
    free(kept);
    free(removed);
    remove(out);
    remove(rm);
    char rj[320];
    snprintf(rj, sizeof rj, "%s.rejects.jsonl", out);
    remove(rj);
}

static void test_presets(void **st) {
    (void)st;
    const char *presets[] = {"default", "gopher", "c4", "fineweb"};
    int total_removed = 0, total_edited = 0;
    for (size_t i = 0; i < 4; i++) {
        tm_filter *f;
        assert_int_equal(tm_filter_new(&f, presets[i]), TM_OK);
        int nr, ne;
        compare(f, &nr, &ne);
        total_removed += nr;
        total_edited += ne;
        if (i == 0) {
            /* a language restriction: the checker identifies the language */
            assert_int_equal(tm_filter_set_lang(f, "en", 0.5), TM_OK);
            compare(f, &nr, &ne);
            assert_true(nr > 0);
        }
        tm_filter_free(f);
    }
    assert_true(total_removed > 0);
    assert_true(total_edited > 0); /* c4 edits lines of kept documents */
}

static void test_errors(void **st) {
    (void)st;
    tm_filter *f;
    assert_int_equal(tm_filter_new(&f, "gopher"), TM_OK);
    tm_filter_checker *c = (tm_filter_checker *)f;
    assert_int_equal(tm_filter_checker_new(&c, NULL, 0), TM_ERR_ARG);
    assert_null(c);
    assert_int_equal(tm_filter_checker_new(NULL, f, 0), TM_ERR_ARG);
    assert_int_equal(tm_filter_checker_new(&c, f, 0), TM_OK);
    tm_filter_verdict_out v = {.size = sizeof v};
    assert_int_equal(tm_filter_check(c, NULL, 3, 0, &v), TM_ERR_ARG);
    v.size = 4;
    assert_int_equal(tm_filter_check(c, "x", 1, 0, &v), TM_ERR_ARG);
    v.size = sizeof v;
    assert_int_equal(tm_filter_check(c, "", 0, 0, &v), TM_OK);
    assert_int_equal(v.removed, 1); /* an empty text has too few words */
    assert_non_null(v.rule);
    tm_filter_checker_free(c);
    tm_filter_checker_free(NULL);
    tm_filter_free(f);
}

int main(void) {
    snprintf(dir, sizeof dir, "%s/tamis-fcheck-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 1;
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_presets),
                                       cmocka_unit_test(test_errors)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    int left = rmdir(dir) != 0; /* the tests removed what they wrote */
    return rc || left;
}
