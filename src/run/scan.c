/*
 * scan.c — what the report plots from the corpus: a pass over the files a
 * run committed (kept, removed by the filter, removed as duplicates) that
 * fills the signal histograms with fixed bins (bounded memory, any order),
 * the languages of kept documents and the examples of each removal reason.
 * summary.c turns them into stats.json and the report.
 */
#include "engine/pipeline.h"
#include "run/run_int.h"

#include "io/io.h"
#include "util/buf.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bin_of(const tm_run_sig_hist *h, double v) {
    double x;
    if (h->log_scale) {
        /* bins [0,1), [1,2), [2,4) ... [2^18, inf) */
        if (v < 1) return 0;
        x = floor(log2(v)) + 1;
    } else {
        x = (v - h->lo) / (h->hi - h->lo) * N_BINS;
    }
    /* clamp before the cast: converting an infinite or NaN double to int
     * is undefined (a "tamis" object from the input may carry anything) */
    if (!(x >= 0)) return 0;
    if (x >= N_BINS) return N_BINS - 1;
    return (int)x;
}

json_t *tmi_run_hist_json(const tm_run_sig_hist *h) {
    json_t *o = json_object(), *edges = json_array(), *k = json_array(), *r = json_array();
    for (int i = 0; i <= N_BINS; i++) {
        double e =
            h->log_scale ? (i == 0 ? 0 : ldexp(1, i - 1)) : h->lo + (h->hi - h->lo) * i / N_BINS;
        json_array_append_new(edges, json_real(e));
    }
    for (int i = 0; i < N_BINS; i++) {
        json_array_append_new(k, json_integer((json_int_t)h->kept[i]));
        json_array_append_new(r, json_integer((json_int_t)h->removed[i]));
    }
    json_object_set_new(o, "edges", edges);
    json_object_set_new(o, "kept", k);
    json_object_set_new(o, "removed", r);
    if (h->has_threshold) json_object_set_new(o, "threshold", json_real(h->threshold));
    json_object_set_new(o, "scale", json_string(h->log_scale ? "log2" : "linear"));
    return o;
}

/* Reading one output file for the summary runs on the pipeline: workers
 * read each document's "tamis" object into a compact record,
 * and scan_consume folds the records into the histograms, languages and
 * examples on the calling thread, in input order, so the result is the one
 * a sequential scan gives, whatever the number of threads. */
typedef struct scan_ctx {
    tm_run_scan *sc;
    int kind; /* 0 kept, 1 removed by the filter, 2 removed as duplicate */
} scan_ctx;

/* Record layout in the sink: u32 size, u64 text bytes, n_h x (i8 bin, f64
 * threshold or NaN), then length-prefixed strings: lang, reason, id, an
 * example text (removed documents only), and value/threshold doubles. */
static tm_error put_u32(tm_buf *b, uint32_t v) {
    return tmi_buf_append(b, &v, sizeof v);
}
static tm_error put_f64(tm_buf *b, double v) {
    return tmi_buf_append(b, &v, sizeof v);
}
static tm_error put_str(tm_buf *b, const char *s, size_t n) {
    tm_error e = put_u32(b, (uint32_t)n);
    return e ? e : tmi_buf_append(b, s, n);
}

/* Workers share the context read-only: the histogram definitions are only
 * read here, and written by scan_consume on the calling thread. */
static void *scan_worker(void *ctx) {
    return ctx;
}

/* Where a member's value sits in its object's bytes. */
typedef struct jval {
    size_t b, e;
    int has;
} jval;

/* Finds the members named keys[0..nk) of the validated JSON object s[0..n)
 * (keys are compared raw: tamis writes its own without escapes); the last
 * duplicate wins, as in a tree parser. */
static void members(const char *s, size_t n, const char *const *keys, size_t nk, jval *out) {
    for (size_t k = 0; k < nk; k++) out[k].has = 0;
    if (!n || s[0] != '{') return;
    tm_json_iter it;
    tm_json_member m;
    tmi_json_iter_init(&it, s, n);
    while (tmi_json_iter_next(&it, &m))
        for (size_t k = 0; k < nk; k++) {
            size_t kl = strlen(keys[k]);
            if (m.key_end - m.key_beg == kl + 2 && !memcmp(s + m.key_beg + 1, keys[k], kl)) {
                out[k] = (jval){m.val_beg, m.val_end, 1};
                break;
            }
        }
}

/* A string value, unescaped into *scratch only when it holds a backslash;
 * 0 when absent or not a string. */
static int jstr(const char *s, jval v, tm_buf *scratch, const char **out, size_t *n) {
    if (!v.has || v.e - v.b < 2 || s[v.b] != '"') return 0;
    const char *body = s + v.b + 1;
    size_t len = v.e - v.b - 2;
    if (!memchr(body, '\\', len)) {
        *out = body;
        *n = len;
        return 1;
    }
    tmi_buf_reset(scratch);
    if (tmi_json_unescape(body, len, scratch) || !scratch->data) return 0;
    *out = scratch->data;
    *n = scratch->len;
    return 1;
}

/* A number value, or NaN when absent or not a number. strtod reads on from
 * the value in place: the line was validated, so the number is followed by
 * a delimiter that cannot extend it, and strtod's grammar contains JSON's
 * (the library never calls setlocale, so the decimal point is '.'). */
static double jnum(const char *s, jval v) {
    if (!v.has || !(s[v.b] == '-' || (s[v.b] >= '0' && s[v.b] <= '9'))) return NAN;
    return strtod(s + v.b, NULL);
}

/* Reads the document's "tamis" object straight from its bytes (the reader's
 * scanner validated the line; a tree parser here cost 0.8 s of the 120 MB
 * bench): per histogram the first verdict naming its rule with a numeric
 * value, then lang, removed_by, value (or similarity) and threshold. */
static tm_error scan_process(void *ws, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    (void)st;
    const scan_ctx *cx = ws;
    const tm_run_scan *sc = cx->sc;
    tm_buf *b = &sinks[0];
    size_t start = b->len;
    const char *t = tm_doc_tamis(doc).ptr;
    enum { K_VERDICTS, K_LANG, K_REMOVED_BY, K_VALUE, K_SIMILARITY, K_THRESHOLD, K_N };
    static const char *const keys[K_N] = {"verdicts", "lang",       "removed_by",
                                          "value",    "similarity", "threshold"};
    jval m[K_N];
    members(t, tm_doc_tamis(doc).len, keys, K_N, m);

    signed char bins[TM_SUMMARY_MAX_HIST];
    double thrs[TM_SUMMARY_MAX_HIST];
    for (size_t h = 0; h < sc->n_h; h++) bins[h] = -1, thrs[h] = NAN;
    tm_buf scratch = {0};
    if (m[K_VERDICTS].has && t[m[K_VERDICTS].b] == '[') {
        static const char *const vkeys[3] = {"rule", "value", "threshold"};
        const char *arr = t + m[K_VERDICTS].b;
        tm_json_iter ai;
        size_t eb, ee, found = 0;
        tmi_json_elems_init(&ai, arr, m[K_VERDICTS].e - m[K_VERDICTS].b);
        while (found < sc->n_h && tmi_json_elems_next(&ai, &eb, &ee)) {
            const char *el = arr + eb, *rule;
            size_t rule_n;
            jval vm[3];
            members(el, ee - eb, vkeys, 3, vm);
            double v = jnum(el, vm[1]);
            if (!jstr(el, vm[0], &scratch, &rule, &rule_n) || isnan(v)) continue;
            for (size_t h = 0; h < sc->n_h; h++)
                if (bins[h] < 0 && strlen(sc->h[h].name) == rule_n &&
                    !memcmp(sc->h[h].name, rule, rule_n)) {
                    bins[h] = (signed char)bin_of(&sc->h[h], v);
                    thrs[h] = jnum(el, vm[2]);
                    found++;
                }
        }
    }
    tm_error e = put_u32(b, 0);
    uint64_t tl = doc->text.len;
    TM_THEN(e, tmi_buf_append(b, &tl, sizeof tl));
    for (size_t h = 0; h < sc->n_h && !e; h++) {
        e = tmi_buf_append(b, &bins[h], 1);
        TM_THEN(e, put_f64(b, thrs[h]));
    }
    const char *code = "und", *reason = "";
    size_t code_n = 3, reason_n = 0;
    if (!jstr(t, m[K_LANG], &scratch, &code, &code_n)) code = "und", code_n = 3;
    TM_THEN(e, put_str(b, code, code_n));
    if (!cx->kind || !jstr(t, m[K_REMOVED_BY], &scratch, &reason, &reason_n))
        reason = "", reason_n = 0;
    TM_THEN(e, put_str(b, reason, reason_n));
    TM_THEN(e, put_str(b, doc->id.ptr, doc->id.len));
    /* ~600 characters, cut at a character boundary */
    size_t cut = 0;
    if (reason_n)
        for (size_t chars = 0; cut < doc->text.len && chars < 600; chars++) {
            cut++;
            while (cut < doc->text.len && ((unsigned char)doc->text.ptr[cut] & 0xC0) == 0x80) cut++;
        }
    TM_THEN(e, put_str(b, doc->text.ptr, cut));
    /* "similarity" stands in for "value" only when "value" is absent */
    double v = jnum(t, m[K_VALUE].has ? m[K_VALUE] : m[K_SIMILARITY]);
    TM_THEN(e, put_f64(b, v));
    TM_THEN(e, put_f64(b, jnum(t, m[K_THRESHOLD])));
    tm_buf_free(&scratch);
    if (!e) {
        uint32_t size = (uint32_t)(b->len - start);
        memcpy(b->data + start, &size, sizeof size);
    }
    return e;
}

/* Reads a length-prefixed string of a record. */
static const char *get_str(const char **p, uint32_t *n) {
    memcpy(n, *p, sizeof *n);
    const char *s = *p + sizeof *n;
    *p = s + *n;
    return s;
}

static tm_error example_line(tm_run_scan *sc, const char *reason, const char *id, uint32_t id_len,
                             const char *text, uint32_t text_len, double value, double threshold) {
    json_t *taken = json_object_get(sc->examples_by_reason, reason);
    json_int_t n = json_is_integer(taken) ? json_integer_value(taken) : 0;
    if (n >= sc->per_reason) return TM_OK;
    json_object_set_new(sc->examples_by_reason, reason, json_integer(n + 1));
    tm_buf *b = &sc->examples;
    tm_error e = tmi_buf_puts(b, "{\"kind\":\"removed\",\"reason\":");
    TM_THEN(e, tmi_json_str(b, reason, strlen(reason)));
    TM_THEN(e, tmi_buf_puts(b, ",\"id\":"));
    TM_THEN(e, tmi_json_str(b, id, id_len));
    TM_THEN(e, tmi_buf_puts(b, ",\"text\":"));
    TM_THEN(e, tmi_json_str(b, text, text_len));
    if (!e && !isnan(value)) e = tmi_buf_printf(b, ",\"value\":%.6g", value);
    if (!e && !isnan(threshold)) e = tmi_buf_printf(b, ",\"threshold\":%.6g", threshold);
    TM_THEN(e, tmi_buf_puts(b, "}\n"));
    return e;
}

static tm_error scan_consume(void *ctx, tm_buf *sinks, size_t n_docs) {
    scan_ctx *cx = ctx;
    tm_run_scan *sc = cx->sc;
    const char *p = sinks[0].data;
    tm_error e = TM_OK;
    for (size_t d = 0; d < n_docs && !e; d++) {
        uint32_t size;
        memcpy(&size, p, sizeof size);
        const char *next = p + size, *q = p + sizeof size;
        uint64_t tl;
        memcpy(&tl, q, sizeof tl);
        q += sizeof tl;
        for (size_t h = 0; h < sc->n_h; h++) {
            signed char bin = (signed char)*q++;
            double thr;
            memcpy(&thr, q, sizeof thr);
            q += sizeof thr;
            /* kept against removed by the filter: duplicates would make
             * "removed" look like "kept" (they are mostly good text) */
            if (bin < 0 || cx->kind == 2) continue;
            if (cx->kind == 0)
                sc->h[h].kept[bin]++;
            else
                sc->h[h].removed[bin]++;
            if (!isnan(thr) && !sc->h[h].has_threshold) {
                sc->h[h].threshold = thr;
                sc->h[h].has_threshold = 1;
            }
        }
        uint32_t ln, rn, in, xn;
        const char *lang = get_str(&q, &ln), *reason = get_str(&q, &rn), *id = get_str(&q, &in),
                   *text = get_str(&q, &xn);
        double value, threshold;
        memcpy(&value, q, sizeof value);
        memcpy(&threshold, q + sizeof value, sizeof threshold);
        if (cx->kind == 0) {
            sc->kept_text_bytes += tl;
            char code[64];
            snprintf(code, sizeof code, "%.*s", (int)ln, lang);
            json_t *cur = json_object_get(sc->langs, code);
            json_object_set_new(
                sc->langs, code,
                json_integer((json_is_integer(cur) ? json_integer_value(cur) : 0) + 1));
        } else if (rn) {
            char why[256];
            snprintf(why, sizeof why, "%.*s", (int)rn, reason);
            e = example_line(sc, why, id, in, text, xn, value, threshold);
        }
        p = next;
    }
    return e;
}

/* Reads output files (those of them that exist, as one stream) and feeds
 * the histograms, languages and examples. */
tm_error tmi_run_scan_files(tm_runner *R, tm_run_scan *sc, const char *const *paths, size_t n_paths,
                            int kind) {
    const char **in = calloc(n_paths ? n_paths : 1, sizeof *in);
    if (!in) return TM_ERR_NOMEM;
    size_t n_in = 0;
    for (size_t i = 0; i < n_paths; i++)
        if (tmi_run_exists(paths[i])) in[n_in++] = paths[i];
    if (!n_in) {
        free(in);
        return TM_OK;
    }
    const char *path = in[0];
    char rej[PATH_MAX_LEN];
    tmi_run_path(rej, "%s/summary-rejects.jsonl", R->work);
    tm_job_opts o;
    tm_job_opts_init(&o);
    o.inputs = in;
    o.n_inputs = n_in;
    o.threads = R->c->threads;
    o.reader.format = TM_FMT_JSONL;
    o.reader.text_field = R->c->text_field;
    o.reader.id_field = R->c->id_field;
    o.reader.max_doc_bytes = (size_t)1 << 40;
    o.rejects = rej;
    scan_ctx cx = {sc, kind};
    tm_pjob job = {.opts = &o,
                   .n_sinks = 1,
                   .ctx = &cx,
                   .worker_new = scan_worker,
                   .process = scan_process,
                   .consume = scan_consume,
                   .count_as_written = 1,
                   .no_output = 1};
    tm_stats st = {0};
    tm_error e = tmi_pipeline_run(&job, &st);
    free(in);
    if (e) return tmi_run_fail(R, e, "reading %s: %s", path, tmi_run_detail_or(e));
    if (st.rejected)
        return tmi_run_fail(R, TM_ERR_INTERNAL, "%s: tamis cannot read its own output", path);
    return TM_OK;
}

tm_error tmi_run_scan_file(tm_runner *R, tm_run_scan *sc, const char *path, int kind) {
    return tmi_run_scan_files(R, sc, &path, 1, kind);
}
