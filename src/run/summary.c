/*
 * summary.c — the end of `tamis run`: stats.json and report.html.
 *
 * Everything here is computed from what the stages committed (their .done
 * files and output files), never from in-memory state of the run, so a
 * resumed run writes the same summary as an uninterrupted one. Histograms
 * use fixed bins, so they stream in bounded memory and do not depend on
 * document order; examples are the first ones in output order.
 */
#include "engine/pipeline.h"
#include "run/run_int.h"

#include "io/io.h"
#include "signals/sigtable.h"
#include "util/buf.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the summary ---- */

typedef struct summary {
    json_t *root;
    json_t *removed_by, *rejected_by, *edits;
    json_t *filter_removed, *dedup_removed, *extract_removed; /* the same, per stage */
    int has_extract;
    uint64_t x_in, x_out, x_bytes_in; /* extract stage */
    double t_extract;
    uint64_t read, kept, removed, rejected;
    uint64_t empty;                           /* empty documents read (for --max-reject-rate) */
    uint64_t r_in, r_out, r_bytes_in, r_text; /* read stage */
    uint64_t c_bytes_in, c_bytes_out;         /* clean stage */
    uint64_t f_in, f_out, f_bytes_in;         /* filter stage */
    uint64_t d_in, d_out, d_bytes_in;         /* dedup stage */
    double t_read, t_filter, t_dedup;
} summary;

static uint64_t ju(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
}
/* "kept", or "written" in the .done files of a run begun by an older tamis */
static uint64_t ju_kept(json_t *o) {
    return json_object_get(o, "kept") ? ju(o, "kept") : ju(o, "written");
}
static double jd(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : 0;
}

static void add_counts(json_t *into, json_t *from) {
    const char *k;
    json_t *v;
    json_object_foreach(from, k, v) {
        if (!json_is_integer(v) || json_integer_value(v) == 0) continue;
        json_t *cur = json_object_get(into, k);
        json_int_t base = json_is_integer(cur) ? json_integer_value(cur) : 0;
        json_object_set_new(into, k, json_integer(base + json_integer_value(v)));
    }
}

static tm_error load_json(tm_runner *R, const char *path, json_t **out) {
    tm_buf b = {0};
    tm_error e = tmi_run_slurp(path, &b, 1 << 26);
    if (e) {
        tm_buf_free(&b);
        return tmi_run_fail(R, e, "cannot read %s", path);
    }
    json_error_t je;
    *out = json_loadb(b.data, b.len, 0, &je);
    tm_buf_free(&b);
    if (!*out) return tmi_run_fail(R, TM_ERR_JSON, "%s: %s", path, je.text);
    return TM_OK;
}

static tm_error gather(tm_runner *R, summary *S) {
    char path[PATH_MAX_LEN];
    tm_error e = TM_OK;
    for (size_t i = 0; i < R->n_inputs && !e; i++) {
        json_t *d;
        tmi_run_path(path, "%s/shards/%05zu.done", R->work, i);
        if ((e = load_json(R, path, &d))) break;
        json_t *rd = json_object_get(d, "read"), *fl = json_object_get(d, "filter");
        json_t *cl = json_object_get(d, "clean");
        json_t *ex = json_object_get(d, "extract");
        if (ex) {
            /* extract saw the input; read saw extract's documents */
            S->has_extract = 1;
            S->read += ju(ex, "read");
            S->rejected += ju(ex, "rejected");
            S->removed += ju(ex, "removed");
            S->x_in += ju(ex, "read");
            S->x_out += ju_kept(ex);
            S->x_bytes_in += ju(ex, "bytes_in");
            S->t_extract += jd(d, "extract_seconds");
            add_counts(S->rejected_by, json_object_get(ex, "rejected_by"));
            const char *k;
            json_t *v, *named = json_object();
            json_object_foreach(
                json_object_get(json_object_get(d, "extract_reasons"), "removed_by"), k, v) {
                char name[64];
                snprintf(name, sizeof name, "extract.%s", k);
                json_object_set(named, name, v);
            }
            add_counts(S->extract_removed, named);
            add_counts(S->removed_by, named);
            json_decref(named);
        } else {
            S->read += ju(rd, "read");
        }
        S->rejected += ju(rd, "rejected");
        S->r_in += ju(rd, "read");
        S->r_out += ju_kept(rd);
        S->r_bytes_in += ju(rd, "bytes_in");
        S->r_text += ju(rd, "text_bytes");
        S->empty += ju(rd, "empty_docs");
        add_counts(S->rejected_by, json_object_get(rd, "rejected_by"));
        S->t_read += jd(d, "read_seconds");
        if (cl) {
            S->c_bytes_in += ju(cl, "text_bytes_in");
            S->c_bytes_out += ju(cl, "text_bytes_out");
            add_counts(S->edits, json_object_get(cl, "edits"));
        }
        if (fl) {
            S->f_in += ju(fl, "read");
            S->f_out += ju_kept(fl);
            S->f_bytes_in += ju(fl, "text_bytes");
            S->removed += ju(fl, "removed");
            S->rejected += ju(fl, "rejected");
            add_counts(S->rejected_by, json_object_get(fl, "rejected_by"));
            add_counts(S->removed_by,
                       json_object_get(json_object_get(d, "filter_rules"), "removed_by"));
            add_counts(S->filter_removed,
                       json_object_get(json_object_get(d, "filter_rules"), "removed_by"));
            S->t_filter += jd(d, "filter_seconds");
        }
        json_decref(d);
    }
    if (e) return e;
    json_t *d;
    tmi_run_path(path, "%s/dedup.done", R->work);
    if ((e = load_json(R, path, &d))) return e;
    json_t *dl = json_object_get(d, "dedup"), *dd = json_object_get(d, "dedup_detail");
    S->d_in = ju(dl, "read");
    S->d_out = ju_kept(dl);
    S->d_bytes_in = ju(dl, "text_bytes");
    S->kept = ju_kept(dl);
    S->removed += ju(dl, "removed");
    S->rejected += ju(dl, "rejected");
    add_counts(S->rejected_by, json_object_get(dl, "rejected_by"));
    S->t_dedup = jd(d, "dedup_seconds");
    if (dd) {
        uint64_t ex = ju(dd, "exact_removed"), nr = ju(dd, "near_removed"),
                 pr = ju(dd, "paragraph_docs_removed");
        if (ex) json_object_set_new(S->dedup_removed, "dedup.exact", json_integer((json_int_t)ex));
        if (nr) json_object_set_new(S->dedup_removed, "dedup.near", json_integer((json_int_t)nr));
        if (pr)
            json_object_set_new(S->dedup_removed, "dedup.paragraphs", json_integer((json_int_t)pr));
        add_counts(S->removed_by, S->dedup_removed);
        json_object_set(S->root, "dedup", dd);
    }
    json_decref(d);
    return TM_OK;
}

static json_t *stage(const char *name, uint64_t din, uint64_t dout, uint64_t bin, uint64_t bout,
                     double secs) {
    json_t *s = json_object();
    json_object_set_new(s, "name", json_string(name));
    json_object_set_new(s, "docs_in", json_integer((json_int_t)din));
    json_object_set_new(s, "docs_out", json_integer((json_int_t)dout));
    json_object_set_new(s, "bytes_in", json_integer((json_int_t)bin));
    json_object_set_new(s, "bytes_out", json_integer((json_int_t)bout));
    json_object_set_new(s, "seconds",
                        isnan(secs) ? json_null() : json_real(round(secs * 1000) / 1000));
    return s;
}

/* The objects gather() fills, in a zeroed S. */
static void summary_begin(summary *S) {
    memset(S, 0, sizeof *S);
    S->root = json_object();
    S->removed_by = json_object();
    S->filter_removed = json_object();
    S->dedup_removed = json_object();
    S->extract_removed = json_object();
    S->rejected_by = json_object();
    S->edits = json_object();
}

tm_error tmi_run_ledger(tm_runner *R, tm_stats *ledger) {
    summary S;
    summary_begin(&S);
    tm_error e = gather(R, &S);
    memset(ledger, 0, sizeof *ledger);
    ledger->read = S.read;
    ledger->written = S.kept;
    ledger->removed = S.removed;
    ledger->rejected = S.rejected;
    ledger->empty_docs = S.empty;
    for (int i = 1; i < TM_REJECT_KINDS; i++)
        ledger->rejected_by[i] =
            (uint64_t)json_integer_value(json_object_get(S.rejected_by, tm_error_name(-i)));
    json_decref(S.root);
    json_decref(S.removed_by);
    json_decref(S.filter_removed);
    json_decref(S.dedup_removed);
    json_decref(S.extract_removed);
    json_decref(S.rejected_by);
    json_decref(S.edits);
    return e;
}

tm_error tmi_run_write_summary(tm_runner *R, tm_stats *ledger) {
    summary S;
    summary_begin(&S);
    tm_error e = gather(R, &S);
    tm_run_scan sc;
    memset(&sc, 0, sizeof sc);
    /* the histograms that the signal table asks for (its rows' TM_HIST),
     * in table order, then the language score */
    tm_run_sig_hist hs[TM_SUMMARY_MAX_HIST];
    memset(hs, 0, sizeof hs);
    for (size_t r = 0; r < TM_SIG_N_RULES && sc.n_h < TM_SUMMARY_MAX_HIST - 1; r++)
        if (tmi_sig_rules[r].hist)
            hs[sc.n_h++] = (tm_run_sig_hist){tmi_sig_rules[r].name,
                                             tmi_sig_rules[r].hist_lo,
                                             tmi_sig_rules[r].hist_hi,
                                             tmi_sig_rules[r].hist_log2,
                                             {0},
                                             {0},
                                             0,
                                             0};
    hs[sc.n_h++] = (tm_run_sig_hist){"lang.score", 0, 1, 0, {0}, {0}, 0, 0};
    sc.h = hs;
    /* A panel for every other rule that removed documents: fractions on
     * [0, 1], counts on log bins. */
    char dyn_names[TM_SUMMARY_MAX_HIST][96];
    const char *rule;
    json_t *cnt;
    json_object_foreach(S.filter_removed, rule, cnt) {
        if (sc.n_h >= TM_SUMMARY_MAX_HIST) break;
        if (json_integer_value(cnt) <= 0 || !strcmp(rule, "tamis.empty") ||
            !strcmp(rule, "language") || strlen(rule) >= sizeof dyn_names[0])
            continue;
        int have = 0;
        for (size_t h = 0; h < sc.n_h && !have; h++) have = !strcmp(hs[h].name, rule);
        if (have) continue;
        double thr = 1;
        for (size_t k = 0; k < tm_filter_n_rules(R->filter); k++)
            if (!strcmp(tm_filter_rule_name(R->filter, k), rule))
                thr = tm_filter_rule_threshold(R->filter, k);
        snprintf(dyn_names[sc.n_h], sizeof dyn_names[0], "%s", rule);
        hs[sc.n_h] = (tm_run_sig_hist){dyn_names[sc.n_h], 0, 1, thr > 1, {0}, {0}, 0, 0};
        sc.n_h++;
    }
    sc.langs = json_object();
    sc.examples_by_reason = json_object();
    sc.per_reason = R->c->report_examples;
    char path[PATH_MAX_LEN];
    if (!e) {
        /* the kept documents before kept/ lost their verdicts */
        tmi_run_path(path, "%s/dedup.kept.jsonl.zst", R->work);
        e = tmi_run_scan_file(R, &sc, path, 0);
    }
    /* The removed documents are read from the files removed/ was assembled
     * from (run.c), the same records in the same order: an output replaced
     * by a FIFO or device by the user is written, never read back. */
    if (!e) {
        char(*p)[PATH_MAX_LEN] = calloc(R->n_inputs ? R->n_inputs : 1, PATH_MAX_LEN);
        const char **ps = calloc(R->n_inputs ? R->n_inputs : 1, sizeof *ps);
        if (!p || !ps) e = TM_ERR_NOMEM;
        for (size_t i = 0; !e && i < R->n_inputs; i++) {
            tmi_run_path(p[i], "%s/shards/%05zu.removed-extract.jsonl%s", R->work, i, R->ext);
            ps[i] = p[i];
        }
        if (!e)
            e = tmi_run_scan_files(R, &sc, ps, R->n_inputs, 1); /* examples of extract's reasons */
        for (size_t i = 0; !e && i < R->n_inputs; i++) {
            tmi_run_path(p[i], "%s/shards/%05zu.removed.jsonl%s", R->work, i, R->ext);
            ps[i] = p[i];
        }
        TM_THEN(e, tmi_run_scan_files(R, &sc, ps, R->n_inputs, 1));
        free(p);
        free(ps);
    }
    if (!e) {
        tmi_run_path(path, "%s/dedup.removed.jsonl%s", R->work, R->ext);
        e = tmi_run_scan_file(R, &sc, path, 2);
    }
    json_t *size_hist = json_object();
    uint64_t n_clusters = 0;
    TM_THEN(e, tmi_run_cluster_examples(R, &sc.examples, size_hist, &n_clusters));

    json_t *root = S.root;
    json_object_set_new(root, "tamis_version", json_string(tm_version()));
    json_t *inputs = json_array();
    for (size_t i = 0; i < R->n_inputs; i++)
        json_array_append_new(inputs, json_string(R->inputs[i]));
    json_object_set_new(root, "inputs", inputs);
    /* the configuration as JSON (jq .config.dedup.threshold), and the YAML
     * text that --config reads back */
    tm_buf cfg = {0};
    TM_THEN(e, tmi_run_config_json(R->c, &cfg));
    json_t *cj = e ? NULL : json_loadb(cfg.data, cfg.len, 0, NULL);
    if (!e && !cj) e = tmi_run_fail(R, TM_ERR_INTERNAL, "configuration is not valid JSON");
    json_object_set_new(root, "config", cj ? cj : json_null());
    tmi_buf_reset(&cfg);
    TM_THEN(e, tmi_run_config_yaml(R->c, 0, &cfg));
    json_object_set_new(root, "config_yaml", json_stringn(cfg.data ? cfg.data : "", cfg.len));
    tm_buf_free(&cfg);
    int ok = S.read == S.kept + S.removed + S.rejected;
    json_t *led = json_object();
    json_object_set_new(led, "read", json_integer((json_int_t)S.read));
    json_object_set_new(led, "kept", json_integer((json_int_t)S.kept));
    json_object_set_new(led, "removed", json_integer((json_int_t)S.removed));
    json_object_set_new(led, "rejected", json_integer((json_int_t)S.rejected));
    json_object_set_new(led, "ok", json_boolean(ok));
    json_object_set_new(root, "ledger", led);
    json_t *stages = json_array();
    /* Each stage says why documents left it: rejects when read, edits when
     * cleaned (none leave), rule removals when filtered, duplicates. The
     * read+clean pass is one job: its time is on "clean", and "read" has
     * none of its own (null) unless clean is off. */
    json_t *st;
    if (S.has_extract) {
        st = stage("extract", S.x_in, S.x_out, S.x_bytes_in, S.r_text, S.t_extract);
        json_object_set(st, "removed_by", S.extract_removed);
        json_array_append_new(stages, st);
    }
    st = stage("read", S.r_in, S.r_out, S.r_bytes_in, S.r_text,
               R->c->clean_enabled ? NAN : S.t_read);
    json_object_set(st, "rejected_by", S.rejected_by);
    json_array_append_new(stages, st);
    if (R->c->clean_enabled) {
        st = stage("clean", S.r_out, S.r_out, S.c_bytes_in, S.c_bytes_out, S.t_read);
        json_object_set(st, "edits", S.edits);
        json_array_append_new(stages, st);
    }
    if (R->c->filter_enabled) {
        st = stage("filter", S.f_in, S.f_out, S.f_bytes_in, S.d_bytes_in, S.t_filter);
        json_object_set(st, "removed_by", S.filter_removed);
        json_array_append_new(stages, st);
    }
    st = stage("dedup", S.d_in, S.d_out, S.d_bytes_in, sc.kept_text_bytes, S.t_dedup);
    json_object_set(st, "removed_by", S.dedup_removed);
    json_array_append_new(stages, st);
    json_decref(S.filter_removed);
    json_decref(S.dedup_removed);
    json_decref(S.extract_removed);
    json_object_set_new(root, "stages", stages);
    json_object_set_new(root, "removed_by", S.removed_by);
    uint64_t rejected_by[TM_REJECT_KINDS] = {0}; /* for the caller's ledger */
    for (int i = 1; i < TM_REJECT_KINDS; i++)
        rejected_by[i] =
            (uint64_t)json_integer_value(json_object_get(S.rejected_by, tm_error_name(-i)));
    json_object_set_new(root, "rejected_by", S.rejected_by);
    json_object_set_new(root, "languages", sc.langs);
    /* the signals of rules that removed documents first, then the others */
    json_t *sigs = json_object();
    for (int pass = 0; pass < 2; pass++)
        for (size_t h = 0; h < sc.n_h; h++) {
            uint64_t any = 0;
            for (int b = 0; b < N_BINS; b++) any += hs[h].kept[b] + hs[h].removed[b];
            int removing = json_integer_value(json_object_get(S.removed_by, hs[h].name)) > 0;
            if (any && removing == !pass)
                json_object_set_new(sigs, hs[h].name, tmi_run_hist_json(&hs[h]));
        }
    json_object_set_new(root, "signals", sigs);
    json_t *cl = json_object();
    json_object_set_new(cl, "count", json_integer((json_int_t)n_clusters));
    json_object_set_new(cl, "size_histogram", size_hist);
    json_object_set_new(root, "clusters", cl);
    json_object_set_new(root, "edits", S.edits);
    json_decref(sc.examples_by_reason);

    char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text && !e) e = TM_ERR_NOMEM;
    if (!e) {
        tmi_run_path(path, "%s/stats.json", R->dir);
        size_t tl = strlen(text);
        text[tl] = '\0';
        tm_buf t = {0};
        e = tmi_buf_append(&t, text, tl);
        TM_THEN(e, tmi_buf_putc(&t, '\n'));
        TM_THEN(e, tmi_run_put_file(path, t.data, t.len));
        /* The examples behind the page, kept for whoever wants to check it
         * (the browser test does). */
        tmi_run_path(path, "%s/report-examples.jsonl", R->work);
        if (!e)
            e = tmi_run_put_file(path, sc.examples.data ? sc.examples.data : "", sc.examples.len);
        tm_buf html = {0};
        TM_THEN(e, tm_report_html(text, tl, sc.examples.data, sc.examples.len, &html));
        if (!e) {
            tmi_run_path(path, "%s/report.html", R->dir);
            e = tmi_run_put_file(path, html.data, html.len);
        }
        tm_buf_free(&html);
        tm_buf_free(&t);
    }
    free(text);
    tm_buf_free(&sc.examples);
    memset(ledger, 0, sizeof *ledger);
    ledger->read = S.read;
    ledger->written = S.kept;
    ledger->removed = S.removed;
    ledger->rejected = S.rejected;
    ledger->empty_docs = S.empty;
    memcpy(ledger->rejected_by, rejected_by, sizeof rejected_by);
    if (!e && !ok)
        e = tmi_run_fail(R, TM_ERR_LEDGER,
                         "ledger broken: read %llu != kept %llu + removed %llu + rejected %llu",
                         (unsigned long long)S.read, (unsigned long long)S.kept,
                         (unsigned long long)S.removed, (unsigned long long)S.rejected);
    return e;
}
