/*
 * html.c — escaping and number formatting for the HTML report.
 *
 * The report shows text taken from the web (removed documents, duplicate
 * pairs), so every string goes through tmi_html_text(), which escapes the five
 * HTML metacharacters (OWASP's rule for both text and quoted attributes) and
 * replaces control characters that HTML forbids. Numbers are written by
 * tmi_report_num() inside an element that names, in data-k, the JSON Pointer of
 * the value in the summary: the browser test resolves each pointer and checks
 * the text shown against it, so no number in the page can drift from
 * stats.json.
 */
#include "report/report.h"

#include "util/buf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

tm_error tmi_html_text(tm_buf *b, const char *s, size_t n) {
    size_t run = 0; /* start of the pending span copied verbatim */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\r': rep = ""; break;
        case '\t':
        case '\n': continue;
        default:
            if (c >= 0x20 && c != 0x7f) continue;
            rep = "\xEF\xBF\xBD"; /* U+FFFD */
        }
        if (tmi_buf_append(b, s + run, i - run) || tmi_buf_puts(b, rep)) return TM_ERR_NOMEM;
        run = i + 1;
    }
    return tmi_buf_append(b, s + run, n - run);
}

tm_error tmi_html_text_cut(tm_buf *b, const char *s, size_t n, size_t max_chars) {
    size_t chars = 0, i = 0;
    for (; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max_chars) break;
    }
    if (tmi_html_text(b, s, i)) return TM_ERR_NOMEM;
    return i < n ? tmi_buf_puts(b, "\xE2\x80\xA6") : TM_OK; /* U+2026 */
}

/* 2^53: beyond it a double no longer holds every integer. */
#define EXACT_INT 9007199254740992.0

static tm_error fmt_grouped(tm_buf *b, double v) {
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%.0f", fabs(v));
    if (n <= 0 || (size_t)n >= sizeof tmp) return TM_ERR_INTERNAL;
    if (v < 0 && tmi_buf_putc(b, '-')) return TM_ERR_NOMEM;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0 && tmi_buf_putc(b, ',')) return TM_ERR_NOMEM;
        if (tmi_buf_putc(b, tmp[i])) return TM_ERR_NOMEM;
    }
    return TM_OK;
}

tm_error tmi_report_fmt(tm_buf *b, double v, tm_rfmt fmt) {
    if (!isfinite(v)) return tmi_buf_puts(b, "n/a");
    switch (fmt) {
    case TM_RFMT_COUNT:
        if (v == floor(v) && fabs(v) < EXACT_INT) return fmt_grouped(b, v);
        return tmi_buf_printf(b, "%.4g", v);
    case TM_RFMT_REAL: return tmi_buf_printf(b, "%.4g", v);
    case TM_RFMT_BYTES: {
        static const char *const unit[] = {"kB", "MB", "GB", "TB", "PB"};
        if (fabs(v) < 1000) return tmi_buf_printf(b, "%.0f B", v);
        int u = 0;
        double x = v / 1000;
        /* Round first so 999,999 B prints as "1 MB", not "1e+03 kB". */
        while (u < 4 && fabs(x) >= 999.5) x /= 1000, u++;
        return tmi_buf_printf(b, "%.3g %s", x, unit[u]);
    }
    case TM_RFMT_SECONDS:
        return tmi_buf_printf(b, "%.*f s", fabs(v) < 10 ? 2 : fabs(v) < 100 ? 1 : 0, v);
    case TM_RFMT_PCT: return tmi_buf_printf(b, "%.1f%%", v);
    }
    return TM_ERR_ARG;
}

tm_error tmi_report_ptr_seg(tm_buf *b, const char *key, size_t n) {
    if (tmi_buf_putc(b, '/')) return TM_ERR_NOMEM;
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (key[i] != '~' && key[i] != '/') continue;
        if (tmi_html_text(b, key + run, i - run) || tmi_buf_puts(b, key[i] == '~' ? "~0" : "~1"))
            return TM_ERR_NOMEM;
        run = i + 1;
    }
    return tmi_html_text(b, key + run, n - run);
}

static const char *const fmt_name[] = {"count", "real", "bytes", "seconds", "pct"};

tm_error tmi_report_num(tm_buf *b, const char *tag, const char *prefix, const char *key, double v,
                        tm_rfmt fmt) {
    /* A value the summary lacks is shown as such, tied to nothing. */
    if (!isfinite(v)) return tmi_buf_printf(b, "<%s class=\"na\">n/a</%s>", tag, tag);
    if (tmi_buf_printf(b, "<%s class=\"n\" data-f=\"%s\" data-k=\"%s", tag, fmt_name[fmt], prefix))
        return TM_ERR_NOMEM;
    if (key && tmi_report_ptr_seg(b, key, strlen(key))) return TM_ERR_NOMEM;
    if (tmi_buf_puts(b, "\">") || tmi_report_fmt(b, v, fmt)) return TM_ERR_NOMEM;
    return tmi_buf_printf(b, "</%s>", tag);
}

tm_error tmi_report_put_text(tm_buf *b, const char *s) {
    return tmi_html_text(b, s, strlen(s));
}

/* A <span data-free> around a string of the summary (a name, an id). */
tm_error tmi_report_free_text(tm_buf *b, const char *cls, const char *s, size_t n) {
    if (tmi_buf_printf(b, "<span class=\"%s\" data-free>", cls) || tmi_html_text(b, s, n) ||
        tmi_buf_puts(b, "</span>"))
        return TM_ERR_NOMEM;
    return TM_OK;
}
