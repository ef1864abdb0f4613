/*
 * chart.c — inline SVG charts of the HTML report.
 *
 * Three chart shapes cover the report: horizontal bars (removals per reason,
 * languages, cluster sizes, edits), the funnel (in/out bars per stage) and a
 * pair of histograms (a signal over kept and over removed documents). Each is
 * plain SVG 1.1 sized for a 600 px column, styled by the page's CSS classes,
 * without scripts or external references. Bars are labelled with their exact
 * values rather than with tick marks, so that every number in the chart is a
 * value of the summary (data-k) and a reader never has to estimate; the
 * element that sets a scale says so in data-scale (px per unit) and data-dim
 * (the rect attribute it scales), which the browser test checks.
 */
#include "report/report.h"

#include "util/buf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define W       600 /* chart width, px */
#define LABEL_W 290 /* label column of bar charts */
#define BAR_MAX 220 /* longest bar */
#define ROW_H   22
#define BAR_H   14
#define LABEL_CH                                                                                   \
    48 /* characters of a label before an ellipsis (11 px text: the                                \
          longest rule name, 41 characters, is never cut) */

/* Length of a bar of value v: proportional, at least 1 px when v > 0 so a
 * small count stays visible next to a large one. */
static double bar_len(double v, double scale) {
    if (!(v > 0) || !isfinite(v)) return 0;
    double w = v * scale;
    return w < 1 ? 1 : w;
}

static double max_of(const double *v, size_t n, size_t stride) {
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double x = *(const double *)((const char *)v + i * stride);
        if (isfinite(x) && x > m) m = x;
    }
    return m;
}

/* <svg ...> opening tag with its accessible name. */
static tm_error svg_open(tm_buf *b, double h, const char *aria, double scale, const char *dim) {
    if (tmi_buf_printf(b,
                       "<svg class=\"chart\" width=\"%d\" "
                       "height=\"%.0f\" viewBox=\"0 0 %d %.0f\" role=\"img\" aria-label=\"",
                       W, h, W, h))
        return TM_ERR_NOMEM;
    if (tmi_html_text(b, aria, strlen(aria))) return TM_ERR_NOMEM;
    if (dim) return tmi_buf_printf(b, "\" data-scale=\"%.9g\" data-dim=\"%s\">", scale, dim);
    return tmi_buf_puts(b, "\">");
}

/* A data-k attribute: prefix, then key as a pointer segment; none for a
 * value the summary lacks (NaN), which is drawn as an empty bar. */
static tm_error attr_k(tm_buf *b, const char *prefix, const char *key, double v) {
    if (!isfinite(v)) return TM_OK;
    if (tmi_buf_printf(b, " data-k=\"%s", prefix)) return TM_ERR_NOMEM;
    if (key && tmi_report_ptr_seg(b, key, strlen(key))) return TM_ERR_NOMEM;
    return tmi_buf_putc(b, '"');
}

/* A label cut to LABEL_CH characters, with the full text as its tooltip. */
static tm_error label(tm_buf *b, double x, double y, const char *anchor, const char *s) {
    size_t n = strlen(s);
    if (tmi_buf_printf(
            b, "<text class=\"lbl\" data-free x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"><title>", x,
            y, anchor) ||
        tmi_html_text(b, s, n) || tmi_buf_puts(b, "</title>") ||
        tmi_html_text_cut(b, s, n, LABEL_CH) || tmi_buf_puts(b, "</text>"))
        return TM_ERR_NOMEM;
    return TM_OK;
}

tm_error tmi_chart_hbars(tm_buf *b, const char *aria, const char *prefix, const tm_bar *bars,
                         size_t n, tm_rfmt fmt, const char *color) {
    if (n > TM_CHART_MAX_BARS) n = TM_CHART_MAX_BARS;
    double mx = max_of(&bars[0].value, n, sizeof *bars);
    double scale = mx > 0 ? BAR_MAX / mx : 0;
    if (svg_open(b, (double)n * ROW_H + 6, aria, scale, "width")) return TM_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        double y = 4 + (double)i * ROW_H, w = bar_len(bars[i].value, scale);
        if (label(b, LABEL_W - 6, y + BAR_H - 3, "end", bars[i].label) ||
            tmi_buf_printf(b, "<rect x=\"%d\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\"",
                           LABEL_W, y, w, BAR_H, color) ||
            attr_k(b, prefix, bars[i].key, bars[i].value) || tmi_buf_puts(b, "></rect>") ||
            tmi_buf_printf(b, "<text class=\"val\" x=\"%.1f\" y=\"%.1f\">", LABEL_W + w + 6,
                           y + BAR_H - 3) ||
            tmi_report_num(b, "tspan", prefix, bars[i].key, bars[i].value, fmt) ||
            tmi_buf_puts(b, "</text>"))
            return TM_ERR_NOMEM;
    }
    return tmi_buf_puts(b, "</svg>");
}

tm_error tmi_chart_funnel(tm_buf *b, const char *aria, const tm_funnel_row *rows, size_t n,
                          const char *in_key, const char *out_key, tm_rfmt fmt) {
    enum { FL = 110, FROW = 30 };
    double mx = fmax(max_of(&rows[0].in, n, sizeof *rows), max_of(&rows[0].out, n, sizeof *rows));
    double scale = mx > 0 ? BAR_MAX / mx : 0;
    if (svg_open(b, (double)n * FROW + 6, aria, scale, "width")) return TM_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        double y = 4 + (double)i * FROW;
        double wi = bar_len(rows[i].in, scale), wo = bar_len(rows[i].out, scale);
        if (label(b, FL - 6, y + 15, "end", rows[i].name) ||
            tmi_buf_printf(b, "<rect class=\"in\" x=\"%d\" y=\"%.1f\" width=\"%.2f\" height=\"20\"",
                           FL, y, wi) ||
            attr_k(b, rows[i].prefix, in_key, rows[i].in) || tmi_buf_puts(b, "></rect>") ||
            tmi_buf_printf(b,
                           "<rect class=\"out\" x=\"%d\" y=\"%.1f\" width=\"%.2f\" height=\"10\"",
                           FL, y + 5, wo) ||
            attr_k(b, rows[i].prefix, out_key, rows[i].out) || tmi_buf_puts(b, "></rect>") ||
            tmi_buf_printf(b, "<text class=\"val\" x=\"%.1f\" y=\"%.1f\">", FL + fmax(wi, wo) + 6,
                           y + 15) ||
            tmi_report_num(b, "tspan", rows[i].prefix, in_key, rows[i].in, fmt) ||
            tmi_buf_puts(b, " \xE2\x86\x92 ") || /* U+2192 rightwards arrow */
            tmi_report_num(b, "tspan", rows[i].prefix, out_key, rows[i].out, fmt) ||
            tmi_buf_puts(b, "</text>"))
            return TM_ERR_NOMEM;
    }
    return tmi_buf_puts(b, "</svg>");
}

/* Position of t in bin units (bin i spans [i, i+1)), or NaN outside. */
static double bin_pos(const double *edges, size_t n, double t) {
    if (!isfinite(t) || !(t >= edges[0]) || !(t <= edges[n])) return NAN;
    for (size_t i = 0; i < n; i++) {
        if (t < edges[i + 1] || i + 1 == n) {
            double span = edges[i + 1] - edges[i];
            return (double)i + (span > 0 ? (t - edges[i]) / span : 0);
        }
    }
    return NAN;
}

/* How an edge is written: whole numbers of a log scale as counts
 * (524,288, not 5.243e+05), others as reals. */
static tm_rfmt edge_fmt(double e, int log_scale) {
    return log_scale && e == floor(e) && fabs(e) < 1e15 ? TM_RFMT_COUNT : TM_RFMT_REAL;
}

/* One histogram panel at horizontal offset x0. */
static tm_error hist_panel(tm_buf *b, double x0, const char *title, const char *cls,
                           const char *prefix, const char *series, const tm_hist *h,
                           double threshold, int log_scale) {
    enum { PW = 270, TOP = 34, PH = 100 };
    size_t imax = 0;
    for (size_t i = 0; i < h->n; i++)
        if (h->counts[i] > h->counts[imax]) imax = i;
    double mx = h->n ? h->counts[imax] : 0, scale = mx > 0 ? PH / mx : 0;
    double bw = h->n ? (double)PW / (double)h->n : PW;
    tm_buf pfx = {0}, edges = {0};
    tm_error err = TM_ERR_NOMEM;
    if (tmi_buf_printf(&pfx, "%s/%s", prefix, series) || tmi_buf_printf(&edges, "%s/edges", prefix))
        goto out;
    if (tmi_buf_printf(b,
                       "<g transform=\"translate(%.0f,0)\" data-scale=\"%.9g\" data-dim=\"height\">"
                       "<text class=\"ttl %s\" x=\"0\" y=\"14\">%s</text>",
                       x0, scale, cls, title))
        goto out;
    if (h->n && mx > 0) {
        char idx[24];
        snprintf(idx, sizeof idx, "%zu", imax);
        /* the y axis: its top is the tallest bar, labelled with its count */
        if (tmi_buf_printf(b, "<text class=\"val\" x=\"%d\" y=\"14\" text-anchor=\"end\">max ",
                           PW) ||
            tmi_report_num(b, "tspan", pfx.data, idx, mx, TM_RFMT_COUNT) ||
            tmi_buf_puts(b, " per bin</text>") ||
            tmi_buf_printf(b, "<line class=\"axis\" x1=\"-4\" y1=\"%d\" x2=\"0\" y2=\"%d\"></line>",
                           TOP, TOP))
            goto out;
    }
    for (size_t i = 0; i < h->n; i++) {
        double bh = bar_len(h->counts[i], scale);
        if (tmi_buf_printf(b,
                           "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                           "height=\"%.2f\" data-k=\"%s/%zu\"><title>",
                           cls, (double)i * bw + 0.5, TOP + PH - bh, bw > 2 ? bw - 1 : bw, bh,
                           pfx.data, i) ||
            tmi_report_fmt(b, h->edges[i], edge_fmt(h->edges[i], log_scale)) ||
            tmi_buf_puts(b, " \xE2\x80\x93 ") ||
            tmi_report_fmt(b, h->edges[i + 1], edge_fmt(h->edges[i + 1], log_scale)) ||
            tmi_buf_puts(b, ": ") || tmi_report_fmt(b, h->counts[i], TM_RFMT_COUNT) ||
            tmi_buf_puts(b, "</title></rect>"))
            goto out;
    }
    if (tmi_buf_printf(b, "<line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"></line>",
                       TOP + PH, PW, TOP + PH) ||
        tmi_buf_printf(b, "<line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"0\" y2=\"%d\"></line>", TOP,
                       TOP + PH) ||
        tmi_buf_printf(b, "<text class=\"val\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                       PW / 2, TOP + PH + 28,
                       log_scale ? "value, log scale (each bin twice the one before)"
                                 : "value, linear scale"))
        goto out;
    double tp = h->n ? bin_pos(h->edges, h->n, threshold) : NAN;
    if (isfinite(tp) &&
        tmi_buf_printf(b, "<line class=\"thr\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"></line>",
                       tp * bw, TOP - 4, tp * bw, TOP + PH))
        goto out;
    /* Edge labels: first, middle (when the bins split evenly) and last. */
    if (h->n) {
        size_t at[3] = {0, h->n / 2, h->n};
        const char *anchor[3] = {"start", "middle", "end"};
        for (int j = 0; j < 3; j++) {
            if (j == 1 && (h->n < 2 || h->n % 2)) continue;
            char idx[24];
            snprintf(idx, sizeof idx, "%zu", at[j]);
            tm_rfmt f = edge_fmt(h->edges[at[j]], log_scale);
            if (tmi_buf_printf(b, "<text class=\"val\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">",
                               (double)at[j] * bw, TOP + PH + 14, anchor[j]) ||
                tmi_report_num(b, "tspan", edges.data, idx, h->edges[at[j]], f) ||
                tmi_buf_puts(b, "</text>"))
                goto out;
        }
    }
    err = tmi_buf_puts(b, "</g>");
out:
    tm_buf_free(&pfx);
    tm_buf_free(&edges);
    return err;
}

tm_error tmi_chart_hist_pair(tm_buf *b, const char *aria, const char *sig_prefix,
                             const tm_hist *kept, const tm_hist *removed, double threshold,
                             int log_scale) {
    if (kept->n > TM_CHART_MAX_BINS || removed->n > TM_CHART_MAX_BINS) return TM_ERR_ARG;
    if (svg_open(b, 172, aria, 0, NULL) ||
        hist_panel(b, 10, "kept", "kept", sig_prefix, "kept", kept, threshold, log_scale) ||
        hist_panel(b, 318, "removed (filter)", "removed", sig_prefix, "removed", removed, threshold,
                   log_scale))
        return TM_ERR_NOMEM;
    return tmi_buf_puts(b, "</svg>");
}
