/*
 * diff.c — word-level diff of two duplicate documents for the report.
 *
 * Near-duplicates differ in a few words (a date, a byline, a changed
 * sentence), so the report highlights differences on word tokens rather than
 * characters or lines. The algorithm is Myers' greedy O((N+M)D) shortest
 * edit script ("An O(ND) Difference Algorithm and Its Variations", 1986),
 * keeping the furthest-reaching x of every diagonal after each step D so the
 * script can be traced back; the common prefix and suffix are stripped
 * first, which is where near-duplicates spend most of their length. The
 * trace costs (D+1)^2 ints, so both the token count and D are capped
 * (TM_DIFF_MAX_TOKENS, TM_DIFF_MAX_EDITS: 8 MB at most); beyond the caps the
 * pair is shown unhighlighted. Tokens are compared by XXH3 hash, then bytes.
 */
#include "report/report.h"

#include "util/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct tok {
    size_t beg, end; /* byte span of the token */
    uint64_t hash;
} tok;

static int is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Splits s into tokens; returns the count, or SIZE_MAX past max tokens. */
static size_t tokenize(const char *s, size_t n, tok *t, size_t max) {
    size_t k = 0, i = 0;
    while (i < n) {
        while (i < n && is_ws(s[i])) i++;
        if (i == n) break;
        size_t beg = i;
        while (i < n && !is_ws(s[i])) i++;
        if (k == max) return SIZE_MAX;
        t[k].beg = beg;
        t[k].end = i;
        t[k].hash = XXH3_64bits(s + beg, i - beg);
        k++;
    }
    return k;
}

static int tok_eq(const char *a, const tok *x, const char *b, const tok *y) {
    return x->hash == y->hash && x->end - x->beg == y->end - y->beg &&
           memcmp(a + x->beg, b + y->beg, x->end - x->beg) == 0;
}

/* Myers on a[0..n) and b[0..m); sets mark_a[i] for deleted tokens of a and
 * mark_b[j] for inserted tokens of b. Returns 1, 0 when D > max_d, or
 * TM_ERR_NOMEM. */
static int myers(const char *sa, const tok *a, size_t n, const char *sb, const tok *b, size_t m,
                 unsigned char *mark_a, unsigned char *mark_b, size_t max_d) {
    size_t dmax = n + m < max_d ? n + m : max_d;
    long off = (long)dmax + 1;
    long *v = malloc(sizeof *v * (2 * dmax + 3));
    long *trace = malloc(sizeof *trace * (dmax + 1) * (dmax + 1));
    if (!v || !trace) {
        free(v);
        free(trace);
        return TM_ERR_NOMEM;
    }
    v[off + 1] = 0;
    long dfound = -1;
    for (long d = 0; d <= (long)dmax && dfound < 0; d++) {
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1]
                                                                              : v[off + k - 1] + 1;
            long y = x - k;
            while (x < (long)n && y < (long)m && tok_eq(sa, &a[x], sb, &b[y])) x++, y++;
            v[off + k] = x;
            if (x >= (long)n && y >= (long)m) dfound = d;
        }
        /* Row d of the trace holds v[-d..d]; it starts at d^2. */
        memcpy(trace + d * d, v + off - d, sizeof *v * (size_t)(2 * d + 1));
    }
    if (dfound < 0) {
        free(v);
        free(trace);
        return 0;
    }
    long x = (long)n, y = (long)m;
    for (long d = dfound; d > 0; d--) {
        const long *pv = trace + (d - 1) * (d - 1) + (d - 1); /* pv[k] = v_{d-1}[k] */
        long k = x - y;
        int down = k == -d || (k != d && pv[k - 1] < pv[k + 1]);
        long pk = down ? k + 1 : k - 1;
        long px = pv[pk], py = px - pk;
        if (down)
            mark_b[py] = 1; /* b[py] inserted */
        else
            mark_a[px] = 1; /* a[px] deleted */
        x = px;
        y = py;
    }
    free(v);
    free(trace);
    return 1;
}

/* Writes s with the marked tokens wrapped in <el>...</el> runs. */
static tm_error render(tm_buf *out, const char *s, size_t len, const tok *t, size_t n,
                       const unsigned char *mark, const char *el) {
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        int open = mark && mark[i] && (i == 0 || !mark[i - 1]);
        int close = mark && mark[i] && (i + 1 == n || !mark[i + 1]);
        if (tmi_html_text(out, s + pos, t[i].beg - pos)) return TM_ERR_NOMEM;
        if (open && tmi_buf_printf(out, "<%s>", el)) return TM_ERR_NOMEM;
        if (tmi_html_text(out, s + t[i].beg, t[i].end - t[i].beg)) return TM_ERR_NOMEM;
        if (close && tmi_buf_printf(out, "</%s>", el)) return TM_ERR_NOMEM;
        pos = t[i].end;
    }
    return tmi_html_text(out, s + pos, len - pos);
}

int tmi_report_diff_html(const char *a, size_t alen, const char *b, size_t blen, tm_buf *out_a,
                         tm_buf *out_b) {
    /* Tokens are at least one byte plus a separator: len/2 + 1 bounds them. */
    size_t cap_a = alen / 2 + 1 < TM_DIFF_MAX_TOKENS ? alen / 2 + 1 : TM_DIFF_MAX_TOKENS;
    size_t cap_b = blen / 2 + 1 < TM_DIFF_MAX_TOKENS ? blen / 2 + 1 : TM_DIFF_MAX_TOKENS;
    tok *ta = malloc(sizeof *ta * cap_a), *tb = malloc(sizeof *tb * cap_b);
    unsigned char *ma = calloc(cap_a, 1), *mb = calloc(cap_b, 1);
    int rc = TM_ERR_NOMEM;
    if (!ta || !tb || !ma || !mb) goto done;
    size_t n = tokenize(a, alen, ta, cap_a), m = tokenize(b, blen, tb, cap_b);
    rc = 0;
    if (n != SIZE_MAX && m != SIZE_MAX) {
        size_t pre = 0, suf = 0;
        while (pre < n && pre < m && tok_eq(a, &ta[pre], b, &tb[pre])) pre++;
        while (suf < n - pre && suf < m - pre && tok_eq(a, &ta[n - 1 - suf], b, &tb[m - 1 - suf]))
            suf++;
        rc = myers(a, ta + pre, n - pre - suf, b, tb + pre, m - pre - suf, ma + pre, mb + pre,
                   TM_DIFF_MAX_EDITS);
        if (rc < 0) goto done;
    }
    if (render(out_a, a, alen, ta, rc ? n : 0, rc ? ma : NULL, "del") ||
        render(out_b, b, blen, tb, rc ? m : 0, rc ? mb : NULL, "ins"))
        rc = TM_ERR_NOMEM;
done:
    free(ta);
    free(tb);
    free(ma);
    free(mb);
    return rc;
}
