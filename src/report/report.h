/*
 * report.h — internals of the HTML run report (src/report).
 *
 * tm_report_html() (tamis.h) turns a run summary into one self-contained
 * HTML page. This header exposes its building blocks to the other report
 * files and to the unit tests: HTML escaping, number formatting with the
 * data-k attributes that tie every shown number to the summary (docs/REPORT.md,
 * "Numbers"), the SVG charts, and the word-level diff of duplicate pairs.
 * Everything appends to a caller-owned tm_buf and never allocates anything the
 * caller must free besides that buffer.
 */
#ifndef TM_REPORT_REPORT_H
#define TM_REPORT_REPORT_H

#include "tamis.h"

#include <stddef.h>
#include <jansson.h>

/* How a number is written (docs/REPORT.md lists the exact formats, which the
 * browser test parses back). */
typedef enum tm_rfmt {
    TM_RFMT_COUNT = 0, /* integers with ',' every three digits; else %.4g */
    TM_RFMT_REAL,      /* %.4g */
    TM_RFMT_BYTES,     /* "N B", or 3 significant digits + kB/MB/GB/TB (SI) */
    TM_RFMT_SECONDS,   /* "%.2f s" below 10, "%.1f s" below 100, else "%.0f s" */
    TM_RFMT_PCT        /* "%.1f%%" of a ratio already multiplied by 100 */
} tm_rfmt;

/* Appends s as HTML text or attribute content: & < > " ' become entities,
 * C0 controls other than tab and newline, and DEL, become U+FFFD, CR is
 * dropped. s must be valid UTF-8 (jansson guarantees it for parsed strings). */
tm_error tmi_html_text(tm_buf *b, const char *s, size_t n);

/* Like tmi_html_text, but cut after max_chars code points with an ellipsis. */
tm_error tmi_html_text_cut(tm_buf *b, const char *s, size_t n, size_t max_chars);

/* Appends v formatted as fmt (no markup). */
tm_error tmi_report_fmt(tm_buf *b, double v, tm_rfmt fmt);

/* Appends the JSON Pointer (RFC 6901) segment "/" + key, with ~ and /
 * escaped, HTML-escaped for use inside an attribute. */
tm_error tmi_report_ptr_seg(tm_buf *b, const char *key, size_t n);

/* Appends <tag class="n" data-k="PTR" [data-f="FMT"]>formatted v</tag> where
 * PTR is prefix followed by key as a pointer segment (key NULL: prefix alone).
 * prefix is written as is: it must already be an escaped pointer. */
tm_error tmi_report_num(tm_buf *b, const char *tag, const char *prefix, const char *key, double v,
                        tm_rfmt fmt);

/* ---- charts (chart.c) ---- */

/* One bar: a label (UTF-8, escaped on output) and the value at pointer
 * prefix + "/" + key (key NULL: the pointer is prefix alone). */
typedef struct tm_bar {
    const char *label;
    const char *key;
    double value;
} tm_bar;

/* Horizontal bar chart, bars in the given order, at most TM_CHART_MAX_BARS;
 * each rect and value label carries data-k, the svg data-scale (px/unit). */
#define TM_CHART_MAX_BARS 40
tm_error tmi_chart_hbars(tm_buf *b, const char *aria, const char *prefix, const tm_bar *bars,
                         size_t n, tm_rfmt fmt, const char *color);

/* One funnel row: stage name, pointer prefix of the stage ("/stages/2"),
 * values in and out. */
typedef struct tm_funnel_row {
    const char *name;
    const char *prefix;
    double in, out;
} tm_funnel_row;

/* Funnel: for each stage a light bar (in) under a dark bar (out), on one
 * scale; in_key/out_key name the members ("docs_in"/"docs_out"). */
tm_error tmi_chart_funnel(tm_buf *b, const char *aria, const tm_funnel_row *rows, size_t n,
                          const char *in_key, const char *out_key, tm_rfmt fmt);

/* A histogram series: counts[i] of bin [edges[i], edges[i+1]). */
typedef struct tm_hist {
    const double *edges;  /* n + 1 values */
    const double *counts; /* n values */
    size_t n;
} tm_hist;

/* Two histogram panels side by side (kept, removed by the filter) of the
 * signal whose pointer prefix is sig_prefix ("/signals/c4.n_lines"); bins
 * are drawn at equal widths (the edges may be uneven), labelled with the
 * first, middle and last edge (whole numbers on a log scale) and an axis
 * caption that says which scale; each panel has a y axis that scales to its
 * own maximum, which is labelled ("max N per bin").
 * threshold (NaN: none) is drawn as a dashed line at its place in the bins.
 * Both series share edges; more than TM_CHART_MAX_BINS bins is an error. */
#define TM_CHART_MAX_BINS 200
tm_error tmi_chart_hist_pair(tm_buf *b, const char *aria, const char *sig_prefix,
                             const tm_hist *kept, const tm_hist *removed, double threshold,
                             int log_scale);

/* ---- word diff (diff.c) ---- */

/* Caps of the word diff: beyond them a pair is shown without highlighting. */
#define TM_DIFF_MAX_TOKENS 2000
#define TM_DIFF_MAX_EDITS  1000

/* Word-level diff of a and b (tokens: runs of non-whitespace; whitespace is
 * ASCII space, tab, CR, LF, FF, VT), by Myers' O((N+M)D) algorithm after
 * stripping the common prefix and suffix. Appends a, escaped, to out_a with
 * every maximal run of tokens absent from b inside <del>...</del>, and b to
 * out_b with runs absent from a inside <ins>...</ins>; whitespace between two
 * marked tokens of a run is inside the element, other whitespace outside.
 * Returns 1 when highlighted, 0 when a side has more than TM_DIFF_MAX_TOKENS
 * tokens or the edit distance exceeds TM_DIFF_MAX_EDITS (both texts are then
 * appended escaped, unmarked), or TM_ERR_NOMEM. */
int tmi_report_diff_html(const char *a, size_t alen, const char *b, size_t blen, tm_buf *out_a,
                         tm_buf *out_b);

/* ---- the page under construction (report.c, examples.c; text helpers in html.c) ---- */

#define MAX_STAGES         32
#define MAX_SIGNALS        40
#define MAX_REASONS        64 /* removal reasons that get examples */
#define EX_PER_REASON      3
#define MAX_CLUSTERS_SHOWN 5
#define EX_MAX_LINE        (1u << 20) /* longer example lines are skipped */
#define EX_TEXT_CHARS      2000       /* characters of an example shown */

typedef struct ex_ref {
    json_t *j;   /* owned reference */
    size_t line; /* 0-based line in the examples file */
} ex_ref;

typedef struct tm_report_page {
    tm_buf *b;
    json_t *root;
    tm_bar *reasons; /* removed_by sorted by count, descending */
    size_t n_reasons;
    ex_ref removed[MAX_REASONS][EX_PER_REASON];
    size_t n_removed[MAX_REASONS];
    ex_ref clusters[MAX_CLUSTERS_SHOWN]; /* by size, descending */
    size_t n_clusters;
    size_t ex_bad; /* example lines that could not be used */
} tm_report_page;

/* Appends s (NUL-terminated) as HTML text. */
tm_error tmi_report_put_text(tm_buf *b, const char *s);
/* A <span class="cls" data-free> around a string of the summary (a name, an id). */
tm_error tmi_report_free_text(tm_buf *b, const char *cls, const char *s, size_t n);
/* Keeps the examples of p[0..len) that the page shows (examples.c); lines
 * that cannot be used are counted in r->ex_bad. */
void tmi_report_read_examples(tm_report_page *r, const char *p, size_t len);
/* The examples section of the page (examples.c). */
tm_error tmi_report_sec_examples(tm_report_page *r);

#endif
