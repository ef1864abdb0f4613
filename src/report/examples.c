/*
 * examples.c — the report's examples: the removed documents and duplicate
 * clusters of the examples file, read one line at a time with only the few
 * that are shown kept (EX_PER_REASON per removal reason, the largest
 * MAX_CLUSTERS_SHOWN clusters), and their section of the page: the text of
 * each removed document, and each cluster's kept copy beside a removed one
 * with a word diff (diff.c). report.c builds the rest of the page.
 */
#include "report/report.h"

#include "util/buf.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of the first max_chars code points of s. */
static size_t cut_len(const char *s, size_t n, size_t max_chars) {
    size_t chars = 0, i = 0;
    for (; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max_chars) break;
    return i;
}

/* "value V vs threshold T" of a removed example, when it has them. */
static tm_error ex_value(tm_buf *b, json_t *j, size_t line) {
    char prefix[40];
    snprintf(prefix, sizeof prefix, "ex/%zu", line);
    json_t *v = json_object_get(j, "value"), *t = json_object_get(j, "threshold");
    if (json_is_number(v) &&
        (tmi_buf_puts(b, " \xC2\xB7 value ") ||
         tmi_report_num(b, "span", prefix, "value", json_number_value(v), TM_RFMT_REAL)))
        return TM_ERR_NOMEM;
    if (json_is_number(t) &&
        (tmi_buf_puts(b, " vs threshold ") ||
         tmi_report_num(b, "span", prefix, "threshold", json_number_value(t), TM_RFMT_REAL)))
        return TM_ERR_NOMEM;
    return TM_OK;
}

/* The id of an example document (a string, or a number shown as JSON). */
static tm_error ex_id(tm_buf *b, json_t *doc) {
    json_t *id = json_object_get(doc, "id");
    if (json_is_string(id))
        return tmi_report_free_text(b, "id", json_string_value(id), json_string_length(id));
    if (!id || json_is_null(id)) return tmi_buf_puts(b, "<span class=\"id\">(no id)</span>");
    char *s = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
    if (!s) return TM_ERR_NOMEM;
    tm_error err = tmi_report_free_text(b, "id", s, strlen(s));
    free(s);
    return err;
}

static tm_error ex_text(tm_buf *b, json_t *doc) {
    json_t *t = json_object_get(doc, "text");
    const char *s = json_is_string(t) ? json_string_value(t) : "";
    size_t n = json_is_string(t) ? json_string_length(t) : 0;
    if (tmi_buf_puts(b, "<pre class=\"txt\" data-free>") ||
        tmi_html_text_cut(b, s, n, EX_TEXT_CHARS) || tmi_buf_puts(b, "</pre>"))
        return TM_ERR_NOMEM;
    return TM_OK;
}

tm_error tmi_report_sec_examples(tm_report_page *r) {
    tm_buf *b = r->b;
    if (tmi_buf_puts(b, "<section id=\"examples\"><h2>Examples of removed documents</h2>"))
        return TM_ERR_NOMEM;
    size_t any = 0;
    for (size_t i = 0; i < r->n_reasons && i < MAX_REASONS; i++) {
        if (!r->n_removed[i]) continue;
        any++;
        if (tmi_buf_puts(b, "<h3>") ||
            tmi_report_free_text(b, "rs", r->reasons[i].key, strlen(r->reasons[i].key)) ||
            tmi_buf_puts(b, "</h3>"))
            return TM_ERR_NOMEM;
        for (size_t e = 0; e < r->n_removed[i]; e++) {
            ex_ref *x = &r->removed[i][e];
            if (tmi_buf_puts(b, "<article class=\"ex\"><header>") || ex_id(b, x->j) ||
                ex_value(b, x->j, x->line) || tmi_buf_puts(b, "</header>") || ex_text(b, x->j) ||
                tmi_buf_puts(b, "</article>"))
                return TM_ERR_NOMEM;
        }
    }
    if (!any && tmi_buf_puts(b, "<p class=\"empty\">No examples of removed documents.</p>"))
        return TM_ERR_NOMEM;

    if (tmi_buf_puts(b, "<h2>Largest duplicate clusters</h2>")) return TM_ERR_NOMEM;
    if (r->n_clusters == 0)
        return tmi_buf_puts(b, "<p class=\"empty\">No duplicate pairs to show.</p></section>");
    if (tmi_buf_puts(b, "<p class=\"note\">Two members of each cluster; words only in the left "
                        "one are <del>struck</del>, words only in the right one are "
                        "<ins>marked</ins>.</p>"))
        return TM_ERR_NOMEM;
    tm_buf da = {0}, db = {0};
    for (size_t i = 0; i < r->n_clusters; i++) {
        json_t *j = r->clusters[i].j, *a = json_object_get(j, "a"), *bb = json_object_get(j, "b");
        json_t *ta = json_object_get(a, "text"), *tb = json_object_get(bb, "text");
        char prefix[40];
        snprintf(prefix, sizeof prefix, "ex/%zu", r->clusters[i].line);
        tmi_buf_reset(&da);
        tmi_buf_reset(&db);
        json_t *cid = json_object_get(j, "cluster"), *sim = json_object_get(j, "similarity");
        char *cs =
            cid && !json_is_string(cid) ? json_dumps(cid, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
        const char *cn = json_is_string(cid) ? json_string_value(cid) : cs ? cs : "?";
        size_t cl = json_is_string(cid) ? json_string_length(cid) : strlen(cn);
        int e = tmi_buf_puts(b, "<article class=\"ex\"><header>cluster ") ||
                tmi_report_free_text(b, "id", cn, cl) || tmi_buf_puts(b, " \xC2\xB7 ") ||
                tmi_report_num(b, "span", prefix, "size",
                               json_number_value(json_object_get(j, "size")), TM_RFMT_COUNT) ||
                tmi_buf_puts(b, " documents");
        free(cs);
        if (e) goto nomem;
        if (json_is_number(sim) &&
            (tmi_buf_puts(b, " \xC2\xB7 similarity ") ||
             tmi_report_num(b, "span", prefix, "similarity", json_number_value(sim), TM_RFMT_REAL)))
            goto nomem;
        /* Texts are cut before the diff so what is shown is what is compared. */
        const char *sa = json_is_string(ta) ? json_string_value(ta) : "";
        const char *sb = json_is_string(tb) ? json_string_value(tb) : "";
        size_t la = json_is_string(ta) ? json_string_length(ta) : 0;
        size_t lb = json_is_string(tb) ? json_string_length(tb) : 0;
        size_t ca = cut_len(sa, la, EX_TEXT_CHARS), cb = cut_len(sb, lb, EX_TEXT_CHARS);
        int rc = tmi_report_diff_html(sa, ca, sb, cb, &da, &db);
        if (rc < 0 || (ca < la && tmi_buf_puts(&da, "\xE2\x80\xA6")) ||
            (cb < lb && tmi_buf_puts(&db, "\xE2\x80\xA6")))
            goto nomem;
        if (tmi_buf_puts(b, "</header><div class=\"pair\"><div><header>") || ex_id(b, a) ||
            tmi_buf_puts(b, "</header><pre class=\"txt\" data-free>") ||
            tmi_buf_append(b, da.data ? da.data : "", da.len) ||
            tmi_buf_puts(b, "</pre></div><div><header>") || ex_id(b, bb) ||
            tmi_buf_puts(b, "</header><pre class=\"txt\" data-free>") ||
            tmi_buf_append(b, db.data ? db.data : "", db.len) ||
            tmi_buf_puts(b, "</pre></div></div>"))
            goto nomem;
        if (rc == 0 && tmi_buf_puts(b, "<p class=\"note\">Too long to compare word by word.</p>"))
            goto nomem;
        if (tmi_buf_puts(b, "</article>")) goto nomem;
    }
    tm_buf_free(&da);
    tm_buf_free(&db);
    return tmi_buf_puts(b, "</section>");
nomem:
    tm_buf_free(&da);
    tm_buf_free(&db);
    return TM_ERR_NOMEM;
}

/* ---- examples file -------------------------------------------------------- */

static void keep_removed(tm_report_page *r, json_t *j, size_t line) {
    json_t *reason = json_object_get(j, "reason");
    if (!json_is_string(reason)) {
        r->ex_bad++;
        return;
    }
    for (size_t i = 0; i < r->n_reasons && i < MAX_REASONS; i++) {
        if (strcmp(r->reasons[i].key, json_string_value(reason)) != 0) continue;
        if (r->n_removed[i] == EX_PER_REASON) return;
        ex_ref *x = &r->removed[i][r->n_removed[i]++];
        x->j = json_incref(j);
        x->line = line;
        return;
    }
}

/* Keeps the MAX_CLUSTERS_SHOWN largest clusters (first seen wins a tie and
 * a cluster id seen before), as a small insertion-sorted array. */
static void keep_cluster(tm_report_page *r, json_t *j, size_t line) {
    json_t *size = json_object_get(j, "size");
    if (!json_is_number(size) || !json_is_object(json_object_get(j, "a")) ||
        !json_is_object(json_object_get(j, "b"))) {
        r->ex_bad++;
        return;
    }
    json_t *cid = json_object_get(j, "cluster");
    for (size_t i = 0; i < r->n_clusters; i++)
        if (cid && json_equal(cid, json_object_get(r->clusters[i].j, "cluster"))) return;
    double s = json_number_value(size);
    size_t at = r->n_clusters;
    while (at > 0 && json_number_value(json_object_get(r->clusters[at - 1].j, "size")) < s) at--;
    if (at == MAX_CLUSTERS_SHOWN) return;
    if (r->n_clusters == MAX_CLUSTERS_SHOWN) json_decref(r->clusters[--r->n_clusters].j);
    memmove(&r->clusters[at + 1], &r->clusters[at], (r->n_clusters - at) * sizeof r->clusters[0]);
    r->clusters[at].j = json_incref(j);
    r->clusters[at].line = line;
    r->n_clusters++;
}

void tmi_report_read_examples(tm_report_page *r, const char *p, size_t len) {
    size_t line = 0;
    while (len > 0) {
        const char *nl = memchr(p, '\n', len);
        size_t n = nl ? (size_t)(nl - p) : len;
        if (n > 0 && n <= EX_MAX_LINE) {
            json_error_t jerr;
            json_t *j = json_loadb(p, n, 0, &jerr);
            json_t *kind = json_object_get(j, "kind");
            if (!json_is_object(j) || !json_is_string(kind))
                r->ex_bad++;
            else if (strcmp(json_string_value(kind), "removed") == 0)
                keep_removed(r, j, line);
            else if (strcmp(json_string_value(kind), "cluster") == 0)
                keep_cluster(r, j, line);
            json_decref(j);
        } else if (n > EX_MAX_LINE) {
            r->ex_bad++;
        }
        line++;
        p += nl ? n + 1 : n;
        len -= nl ? n + 1 : n;
    }
}
