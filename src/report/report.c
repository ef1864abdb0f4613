/*
 * report.c — the HTML report of a run (tm_report_html).
 *
 * Input is the run summary that `tamis run` writes as stats.json and an
 * optional JSONL file of examples (docs/REPORT.md defines both); output is
 * one self-contained HTML page: inline CSS and SVG, no script, no external
 * reference of any kind, so it opens offline and cannot leak a request.
 * The page reads top-down as a person asks questions about a run: did every
 * document get accounted for (the ledger), where did documents go (funnel,
 * removals per reason), were the thresholds right (signal histograms of kept
 * vs removed), what is left (languages), how much was duplicated (clusters),
 * and what do removed documents and duplicates look like (examples). Charts
 * come first; exact numbers sit in collapsed <details> tables.
 *
 * The summary is parsed with jansson (it is small: counters and histograms);
 * the examples are parsed a line at a time and only the few that are shown
 * are kept, so memory stays bounded whatever the size of the examples file.
 */
#include "report/report.h"

#include "util/buf.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- summary access ------------------------------------------------------ */

/* Member key of obj when it is of the wanted type; NULL when absent or null;
 * *bad set when present with another type. */
static json_t *member(json_t *obj, const char *key, json_type type, int *bad) {
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    if (!v || json_is_null(v)) return NULL;
    if (json_typeof(v) != type && !(type == JSON_REAL && json_is_number(v))) {
        *bad = 1;
        return NULL;
    }
    return v;
}

/* Number member of obj, NaN when absent; *bad when not a number. */
static double num(json_t *obj, const char *key, int *bad) {
    json_t *v = member(obj, key, JSON_REAL, bad);
    return v ? json_number_value(v) : NAN;
}

static int bar_cmp(const void *pa, const void *pb) {
    const tm_bar *a = pa, *b = pb;
    if (a->value != b->value) return a->value > b->value ? -1 : 1;
    return strcmp(a->key, b->key);
}

/* Size keys of a histogram compare as numbers ("10" after "9"). */
static int bar_key_num_cmp(const void *pa, const void *pb) {
    const tm_bar *a = pa, *b = pb;
    double x = strtod(a->key, NULL), y = strtod(b->key, NULL);
    if (x != y) return x < y ? -1 : 1;
    return strcmp(a->key, b->key);
}

/* Bars from the number members of obj (labels and keys borrowed from obj),
 * sorted by cmp. Returns TM_ERR_JSON when a member is not a number. */
static tm_error obj_bars(json_t *obj, int (*cmp)(const void *, const void *), tm_bar **out,
                         size_t *n) {
    *out = NULL;
    *n = 0;
    if (!obj || json_object_size(obj) == 0) return TM_OK;
    tm_bar *bars = calloc(json_object_size(obj), sizeof *bars);
    if (!bars) return TM_ERR_NOMEM;
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        if (!json_is_number(v)) {
            free(bars);
            return TM_ERR_JSON;
        }
        bars[*n].label = bars[*n].key = k;
        bars[*n].value = json_number_value(v);
        (*n)++;
    }
    qsort(bars, *n, sizeof *bars, cmp);
    *out = bars;
    return TM_OK;
}

/* ---- page pieces ----------------------------------------------------------- */

static const char css[] =
    ":root{--kept:#3b6fb6;--removed:#e07b39;--in:#cfd8e3;--rej:#b83232;--lang:#2a9d8f;"
    "--clu:#7c5cbf;--edit:#64748b;--ink:#1f2933;--mute:#6b7280;--line:#e5e7eb}"
    "body{margin:0;background:#fff;color:var(--ink);font:15px/1.45 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}"
    "main{max-width:760px;margin:0 auto;padding:24px 20px 60px}"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:34px 0 8px;padding-top:10px;"
    "border-top:1px solid var(--line)}h3{font-size:15px;margin:18px 0 4px}"
    ".sub,.note,.empty{color:var(--mute)}.empty{font-style:italic}"
    ".ledger{font-size:17px;margin:14px 0 4px}.ledger .n{font-weight:600}"
    ".status{display:inline-block;margin-left:8px;padding:1px 9px;border-radius:10px;"
    "font-size:13px;font-weight:700;color:#fff}.status.ok{background:#2f855a}"
    ".status.broken{background:var(--rej)}.status.unknown{background:var(--mute)}"
    "svg.chart{display:block;max-width:100%;height:auto;margin:6px 0}"
    "svg text{font-size:12px;fill:var(--ink)}svg .lbl{fill:#374151;font-size:11px}svg "
    ".val{fill:var(--mute)}"
    "svg .ttl{font-weight:600}svg .ttl.kept{fill:var(--kept)}svg .ttl.removed{fill:var(--removed)}"
    "svg rect.in{fill:var(--in)}svg rect.out{fill:var(--kept)}svg rect.kept{fill:var(--kept)}"
    "svg rect.removed{fill:var(--removed)}svg .axis{stroke:#9ca3af}"
    "svg .thr{stroke:var(--ink);stroke-dasharray:4 3}"
    ".legend span{display:inline-block;margin-right:14px;font-size:13px;color:var(--mute)}"
    ".legend i{display:inline-block;width:10px;height:10px;margin-right:5px;border-radius:2px}"
    "details{margin:8px 0}summary{cursor:pointer;color:var(--mute);font-size:13px}"
    "table{border-collapse:collapse;font-size:13px;margin:6px 0}"
    "th,td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:left}"
    "td.r,th.r,td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".ex{border:1px solid var(--line);border-radius:6px;margin:8px 0;overflow:hidden}"
    ".ex header{background:#f7f7f8;padding:4px 10px;font-size:13px;color:var(--mute)}"
    ".ex header .id{color:var(--ink);font-family:ui-monospace,SFMono-Regular,Menlo,monospace}"
    ".txt{margin:0;padding:8px 10px;white-space:pre-wrap;overflow-wrap:anywhere;max-height:15em;"
    "overflow:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}"
    ".pair{display:grid;grid-template-columns:1fr 1fr;gap:0}.pair>div+div{border-left:1px solid "
    "var(--line)}"
    "del{background:#fde2e1;color:#8a1c1c}ins{background:#dcf5dc;color:#14532d;"
    "text-decoration:none}"
    "pre.cfg{background:#f7f7f8;padding:8px 10px;font-size:12px;overflow:auto}";

/* Table of bars in <details>: name, value. */
static tm_error bars_table(tm_buf *b, const char *prefix, const tm_bar *bars, size_t n,
                           const char *col, tm_rfmt fmt) {
    if (tmi_buf_printf(b,
                       "<details><summary>exact numbers</summary><table><tr><th>%s</th>"
                       "<th class=\"r\">count</th></tr>",
                       col))
        return TM_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (tmi_buf_puts(b, "<tr><td data-free>") || tmi_report_put_text(b, bars[i].label) ||
            tmi_buf_puts(b, "</td>") ||
            tmi_report_num(b, "td", prefix, bars[i].key, bars[i].value, fmt) ||
            tmi_buf_puts(b, "</tr>"))
            return TM_ERR_NOMEM;
    }
    return tmi_buf_puts(b, "</table></details>");
}

/* A chart of an object's counts with its table; "empty" when it has none. */
static tm_error counts_section(tm_report_page *r, const char *key, const char *title,
                               const char *aria, const char *col, const char *color,
                               const char *empty, int by_key) {
    int bad = 0;
    json_t *obj = member(r->root, key, JSON_OBJECT, &bad);
    if (bad) return TM_ERR_JSON;
    tm_bar *bars;
    size_t n;
    tm_error err = obj_bars(obj, by_key ? bar_key_num_cmp : bar_cmp, &bars, &n);
    if (err) return err;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "/%s", key);
    err = TM_ERR_NOMEM;
    if (tmi_buf_printf(r->b, "<section id=\"%s\"><h2>%s</h2>", key, title)) goto out;
    if (n == 0) {
        if (tmi_buf_printf(r->b, "<p class=\"empty\">%s</p>", empty)) goto out;
    } else {
        if (tmi_chart_hbars(r->b, aria, prefix, bars, n, TM_RFMT_COUNT, color)) goto out;
        if (n > TM_CHART_MAX_BARS &&
            tmi_buf_puts(r->b, "<p class=\"note\">The chart shows the largest entries; the "
                               "table lists all.</p>"))
            goto out;
        if (bars_table(r->b, prefix, bars, n, col, TM_RFMT_COUNT)) goto out;
    }
    err = tmi_buf_puts(r->b, "</section>");
out:
    free(bars);
    return err;
}

/* ---- sections ------------------------------------------------------------- */

static tm_error sec_header(tm_report_page *r) {
    tm_buf *b = r->b;
    int bad = 0;
    json_t *ver = member(r->root, "tamis_version", JSON_STRING, &bad);
    json_t *inputs = member(r->root, "inputs", JSON_ARRAY, &bad);
    if (bad) return TM_ERR_JSON;
    if (tmi_buf_puts(b, "<header><h1>tamis run report</h1><p class=\"sub\">")) return TM_ERR_NOMEM;
    if (ver && (tmi_buf_puts(b, "tamis ") ||
                tmi_report_free_text(b, "v", json_string_value(ver), json_string_length(ver))))
        return TM_ERR_NOMEM;
    if (inputs && json_array_size(inputs)) {
        if (tmi_buf_puts(b, ver ? " \xC2\xB7 input: " : "input: ")) return TM_ERR_NOMEM;
        size_t i;
        json_t *v;
        json_array_foreach(inputs, i, v) {
            if (!json_is_string(v)) return TM_ERR_JSON;
            if (i == 3) {
                if (tmi_buf_puts(b, ", \xE2\x80\xA6")) return TM_ERR_NOMEM;
                break;
            }
            if ((i && tmi_buf_puts(b, ", ")) ||
                tmi_report_free_text(b, "in", json_string_value(v), json_string_length(v)))
                return TM_ERR_NOMEM;
        }
    }
    if (tmi_buf_puts(b, "</p>")) return TM_ERR_NOMEM;
    return TM_OK;
}

static tm_error sec_ledger(tm_report_page *r) {
    tm_buf *b = r->b;
    int bad = 0;
    json_t *led = member(r->root, "ledger", JSON_OBJECT, &bad);
    if (bad) return TM_ERR_JSON;
    if (!led)
        return tmi_buf_puts(b, "<p class=\"ledger\">No ledger in this summary. <span "
                               "id=\"ledger-status\" class=\"status unknown\">UNKNOWN</span></p>"
                               "</header>");
    static const char *const part[] = {"read", "kept", "removed", "rejected"};
    static const char *const sep[] = {"", " = ", " + ", " + "};
    double v[4];
    for (int i = 0; i < 4; i++) v[i] = num(led, part[i], &bad);
    json_t *ok = json_object_get(led, "ok");
    if (bad || (ok && !json_is_boolean(ok))) return TM_ERR_JSON;
    int all = isfinite(v[0]) && isfinite(v[1]) && isfinite(v[2]) && isfinite(v[3]);
    int holds = all && v[0] == v[1] + v[2] + v[3] && (!ok || json_is_true(ok));
    if (tmi_buf_puts(b, "<p class=\"ledger\">")) return TM_ERR_NOMEM;
    for (int i = 0; i < 4; i++) {
        if (tmi_buf_printf(b, "%s%s <span id=\"ledger-%s\">", sep[i], part[i], part[i]) ||
            tmi_report_num(b, "span", "/ledger", part[i], v[i], TM_RFMT_COUNT) ||
            tmi_buf_puts(b, "</span>"))
            return TM_ERR_NOMEM;
    }
    if (tmi_buf_printf(b, " <span id=\"ledger-status\" class=\"status %s\">%s</span></p>",
                       !all    ? "unknown"
                       : holds ? "ok"
                               : "broken",
                       !all    ? "UNKNOWN"
                       : holds ? "OK"
                               : "BROKEN"))
        return TM_ERR_NOMEM;
    if (all && v[0] > 0 &&
        (tmi_buf_puts(b, "<p class=\"sub\"><span class=\"n\" data-f=\"pct\" data-k=\"/ledger/"
                         "kept\" data-of=\"/ledger/read\" id=\"kept-share\">") ||
         tmi_report_fmt(b, 100 * v[1] / v[0], TM_RFMT_PCT) ||
         tmi_buf_puts(b, "</span> of the documents read were kept.</p>")))
        return TM_ERR_NOMEM;
    return tmi_buf_puts(b, "</header>");
}

static tm_error sec_funnel(tm_report_page *r) {
    tm_buf *b = r->b;
    int bad = 0;
    json_t *stages = member(r->root, "stages", JSON_ARRAY, &bad);
    if (bad) return TM_ERR_JSON;
    if (tmi_buf_puts(b, "<section id=\"funnel\"><h2>Funnel</h2>")) return TM_ERR_NOMEM;
    size_t n = stages ? json_array_size(stages) : 0;
    if (n == 0)
        return tmi_buf_puts(b, "<p class=\"empty\">No stages in this summary.</p></section>");
    if (n > MAX_STAGES) n = MAX_STAGES;
    tm_funnel_row docs[MAX_STAGES], bytes[MAX_STAGES];
    double secs[MAX_STAGES];
    char prefix[MAX_STAGES][24];
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(stages, i);
        if (!json_is_object(s)) return TM_ERR_JSON;
        json_t *name = member(s, "name", JSON_STRING, &bad);
        snprintf(prefix[i], sizeof prefix[i], "/stages/%zu", i);
        docs[i].name = bytes[i].name = name ? json_string_value(name) : "?";
        docs[i].prefix = bytes[i].prefix = prefix[i];
        docs[i].in = num(s, "docs_in", &bad);
        docs[i].out = num(s, "docs_out", &bad);
        bytes[i].in = num(s, "bytes_in", &bad);
        bytes[i].out = num(s, "bytes_out", &bad);
        secs[i] = num(s, "seconds", &bad);
        if (bad) return TM_ERR_JSON;
    }
    if (tmi_buf_puts(b, "<div class=\"legend\"><span><i style=\"background:var(--in)\"></i>in"
                        "</span><span><i style=\"background:var(--kept)\"></i>out</span></div>"
                        "<h3>Documents</h3>") ||
        tmi_chart_funnel(b, "documents in and out of each stage", docs, n, "docs_in", "docs_out",
                         TM_RFMT_COUNT) ||
        tmi_buf_puts(b, "<h3>Bytes of text</h3>") ||
        tmi_chart_funnel(b, "bytes in and out of each stage", bytes, n, "bytes_in", "bytes_out",
                         TM_RFMT_BYTES) ||
        tmi_buf_puts(b, "<details><summary>exact numbers</summary><table><tr><th>stage</th>"
                        "<th class=\"r\">docs in</th><th class=\"r\">docs out</th>"
                        "<th class=\"r\">bytes in</th><th class=\"r\">bytes out</th>"
                        "<th class=\"r\">time</th></tr>"))
        return TM_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (tmi_buf_puts(b, "<tr><td data-free>") || tmi_report_put_text(b, docs[i].name) ||
            tmi_buf_puts(b, "</td>"))
            return TM_ERR_NOMEM;
        const struct {
            const char *k;
            double v;
            tm_rfmt f;
        } cell[] = {{"docs_in", docs[i].in, TM_RFMT_COUNT},
                    {"docs_out", docs[i].out, TM_RFMT_COUNT},
                    {"bytes_in", bytes[i].in, TM_RFMT_COUNT},
                    {"bytes_out", bytes[i].out, TM_RFMT_COUNT},
                    {"seconds", secs[i], TM_RFMT_SECONDS}};
        for (size_t c = 0; c < 5; c++) {
            if (tmi_buf_puts(b, "<td class=\"r\">") ||
                tmi_report_num(b, "span", prefix[i], cell[c].k, cell[c].v, cell[c].f) ||
                tmi_buf_puts(b, "</td>"))
                return TM_ERR_NOMEM;
        }
        if (tmi_buf_puts(b, "</tr>")) return TM_ERR_NOMEM;
    }
    if (json_array_size(stages) > MAX_STAGES &&
        tmi_buf_puts(b, "<tr><td colspan=\"6\">more stages are not shown</td></tr>"))
        return TM_ERR_NOMEM;
    return tmi_buf_puts(b, "</table></details></section>");
}

/* Numbers of a JSON array into v (at most max); TM_ERR_JSON otherwise. */
static tm_error num_array(json_t *a, double *v, size_t max, size_t *n) {
    *n = 0;
    if (!a) return TM_OK;
    if (!json_is_array(a) || json_array_size(a) > max) return TM_ERR_JSON;
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) {
        if (!json_is_number(x)) return TM_ERR_JSON;
        v[i] = json_number_value(x);
    }
    *n = json_array_size(a);
    return TM_OK;
}

static tm_error sec_signals(tm_report_page *r) {
    tm_buf *b = r->b;
    int bad = 0;
    json_t *sigs = member(r->root, "signals", JSON_OBJECT, &bad);
    if (bad) return TM_ERR_JSON;
    if (tmi_buf_puts(b, "<section id=\"signals\"><h2>Signals: kept vs removed</h2>"))
        return TM_ERR_NOMEM;
    if (!sigs || json_object_size(sigs) == 0)
        return tmi_buf_puts(b, "<p class=\"empty\">No signal histograms in this summary.</p>"
                               "</section>");
    if (tmi_buf_puts(b, "<p class=\"note\">Documents per bin of each signal, kept against removed "
                        "by the filter (duplicates are not counted: they are mostly good text); "
                        "each panel has its own vertical scale. A dashed line marks the rule's "
                        "threshold. Every rule that removed documents has a panel.</p>"))
        return TM_ERR_NOMEM;
    double edges[TM_CHART_MAX_BINS + 1], kept[TM_CHART_MAX_BINS], rem[TM_CHART_MAX_BINS];
    const char *name;
    json_t *s;
    size_t shown = 0;
    tm_buf prefix = {0};
    tm_error err = TM_OK;
    json_object_foreach(sigs, name, s) {
        if (shown++ == MAX_SIGNALS) {
            err = tmi_buf_puts(b, "<p class=\"note\">More signals are in stats.json.</p>");
            break;
        }
        if (!json_is_object(s)) {
            err = TM_ERR_JSON;
            break;
        }
        size_t ne, nk, nr;
        double thr = num(s, "threshold", &bad);
        if (bad || num_array(json_object_get(s, "edges"), edges, TM_CHART_MAX_BINS + 1, &ne) ||
            num_array(json_object_get(s, "kept"), kept, TM_CHART_MAX_BINS, &nk) ||
            num_array(json_object_get(s, "removed"), rem, TM_CHART_MAX_BINS, &nr) ||
            (nk && nk + 1 != ne) || (nr && nr + 1 != ne)) {
            err = TM_ERR_JSON;
            break;
        }
        tmi_buf_reset(&prefix);
        tm_hist hk = {edges, kept, nk}, hr = {edges, rem, nr};
        if (tmi_buf_puts(&prefix, "/signals") || tmi_report_ptr_seg(&prefix, name, strlen(name)) ||
            tmi_buf_puts(b, "<figure class=\"sig\"><h3>") ||
            tmi_report_free_text(b, "sn", name, strlen(name)))
            goto nomem;
        if (isfinite(thr) &&
            (tmi_buf_puts(b, " <span class=\"sub\">threshold ") ||
             tmi_report_num(b, "span", prefix.data, "threshold", thr, TM_RFMT_REAL) ||
             tmi_buf_puts(b, "</span>")))
            goto nomem;
        /* "scale": "log2" from tamis run; else guessed from the edges
         * (0, 1, 2, 4...) */
        json_t *sv = json_object_get(s, "scale");
        int log_scale = json_is_string(sv) ? !strcmp(json_string_value(sv), "log2")
                                           : ne > 3 && edges[0] == 0 && edges[1] == 1 &&
                                                 edges[2] == 2 && edges[3] == 4;
        if (tmi_buf_puts(b, "</h3>") ||
            tmi_chart_hist_pair(b, name, prefix.data, &hk, &hr, thr, log_scale) ||
            tmi_buf_puts(b, "</figure>"))
            goto nomem;
    }
    tm_buf_free(&prefix);
    return err ? err : tmi_buf_puts(b, "</section>");
nomem:
    tm_buf_free(&prefix);
    return TM_ERR_NOMEM;
}

static tm_error sec_clusters(tm_report_page *r) {
    tm_buf *b = r->b;
    int bad = 0;
    json_t *cl = member(r->root, "clusters", JSON_OBJECT, &bad);
    if (bad) return TM_ERR_JSON;
    json_t *hist = member(cl, "size_histogram", JSON_OBJECT, &bad);
    double count = num(cl, "count", &bad);
    if (bad) return TM_ERR_JSON;
    tm_bar *bars;
    size_t n;
    tm_error err = obj_bars(hist, bar_key_num_cmp, &bars, &n);
    if (err) return err;
    err = TM_ERR_NOMEM;
    if (tmi_buf_puts(b, "<section id=\"clusters\"><h2>Duplicate clusters</h2>")) goto out;
    if (isfinite(count) &&
        (tmi_buf_puts(b, "<p>") ||
         tmi_report_num(b, "span", "/clusters", "count", count, TM_RFMT_COUNT) ||
         tmi_buf_puts(b, " clusters of duplicate documents; documents per cluster:</p>")))
        goto out;
    if (n == 0) {
        if (tmi_buf_puts(b, "<p class=\"empty\">No duplicate clusters.</p>")) goto out;
    } else {
        for (size_t i = 0; i < n; i++) bars[i].label = bars[i].key;
        if (tmi_chart_hbars(b, "clusters by number of documents", "/clusters/size_histogram", bars,
                            n, TM_RFMT_COUNT, "var(--clu)") ||
            bars_table(b, "/clusters/size_histogram", bars, n, "documents per cluster",
                       TM_RFMT_COUNT))
            goto out;
    }
    err = tmi_buf_puts(b, "</section>");
out:
    free(bars);
    return err;
}

static tm_error sec_details(tm_report_page *r) {
    tm_buf *b = r->b;
    json_t *inputs = json_object_get(r->root, "inputs");
    json_t *cfg = json_object_get(r->root, "config");
    if (tmi_buf_puts(b, "<section id=\"run\"><h2>Run details</h2>")) return TM_ERR_NOMEM;
    if (json_is_array(inputs) && json_array_size(inputs)) {
        if (tmi_buf_puts(b, "<details><summary>inputs</summary><ul>")) return TM_ERR_NOMEM;
        size_t i;
        json_t *v;
        json_array_foreach(inputs, i, v) {
            if (tmi_buf_puts(b, "<li>") ||
                tmi_report_free_text(b, "in", json_string_value(v), json_string_length(v)) ||
                tmi_buf_puts(b, "</li>"))
                return TM_ERR_NOMEM;
        }
        if (tmi_buf_puts(b, "</ul></details>")) return TM_ERR_NOMEM;
    }
    if (cfg && !json_is_null(cfg)) {
        char *s = json_dumps(cfg, JSON_ENCODE_ANY | JSON_INDENT(2));
        if (!s) return TM_ERR_NOMEM;
        int e = tmi_buf_puts(b, "<details><summary>configuration</summary><pre class=\"cfg\" "
                                "data-free>") ||
                tmi_report_put_text(b, s) || tmi_buf_puts(b, "</pre></details>");
        free(s);
        if (e) return TM_ERR_NOMEM;
    }
    if (r->ex_bad &&
        tmi_buf_puts(b, "<p class=\"note\">Some lines of the examples file could not be read and "
                        "were skipped.</p>"))
        return TM_ERR_NOMEM;
    return tmi_buf_puts(b, "</section>");
}

/* ---- entry point ---------------------------------------------------------- */

tm_error tm_report_html(const char *summary_json, size_t len, const char *examples_jsonl,
                        size_t ex_len, tm_buf *out) {
    if (!out || (!summary_json && len)) return TM_ERR_ARG;
    size_t start = out->len;
    tm_report_page r;
    memset(&r, 0, sizeof r);
    r.b = out;
    json_error_t jerr;
    r.root = json_loadb(summary_json ? summary_json : "", len, 0, &jerr);
    tm_error err = TM_ERR_JSON;
    if (!json_is_object(r.root)) goto done;
    int bad = 0;
    err = obj_bars(member(r.root, "removed_by", JSON_OBJECT, &bad), bar_cmp, &r.reasons,
                   &r.n_reasons);
    if (bad) err = TM_ERR_JSON;
    if (err) goto done;
    if (examples_jsonl) tmi_report_read_examples(&r, examples_jsonl, ex_len);

    err = TM_ERR_NOMEM;
    if (tmi_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                          "<title>tamis run report</title><link rel=\"icon\" href=\"data:,\">"
                          "<style>") ||
        tmi_buf_puts(out, css) || tmi_buf_puts(out, "</style></head>\n<body><main>"))
        goto done;
    if ((err = sec_header(&r)) || (err = sec_ledger(&r)) || (err = sec_funnel(&r)) ||
        (err =
             counts_section(&r, "removed_by", "Removals per reason", "documents removed per reason",
                            "reason", "var(--removed)", "No documents were removed.", 0)) ||
        (err = counts_section(&r, "rejected_by", "Rejected input", "records rejected per error",
                              "error", "var(--rej)", "No input was rejected.", 0)) ||
        (err = sec_signals(&r)) ||
        (err = counts_section(&r, "languages", "Languages of kept documents",
                              "kept documents per language", "language", "var(--lang)",
                              "No language counts in this summary.", 0)) ||
        (err = sec_clusters(&r)) ||
        (err = counts_section(&r, "edits", "Cleaning edits", "edits per kind", "edit",
                              "var(--edit)", "No cleaning edits.", 0)) ||
        (err = tmi_report_sec_examples(&r)) || (err = sec_details(&r)))
        goto done;
    err = tmi_buf_puts(out, "</main></body></html>\n");
done:
    for (size_t i = 0; i < MAX_REASONS; i++)
        for (size_t e = 0; e < r.n_removed[i]; e++) json_decref(r.removed[i][e].j);
    for (size_t i = 0; i < r.n_clusters; i++) json_decref(r.clusters[i].j);
    free(r.reasons);
    json_decref(r.root);
    if (err) {
        out->len = start;
        if (out->data) out->data[start] = '\0';
    }
    return err;
}
