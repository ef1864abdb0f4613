/*
 * extract.c — the public face of the extractor: one HTML page in memory to
 * its main text and metadata (tm_extract_html). A handle holds the scratch
 * of one thread and is reused page after page, so steady-state extraction
 * allocates nothing new. The page is parsed once (sax.c); the content is
 * selected strictly first (class/id hints may drop a block) and, when that
 * leaves less than TM_X_RETRY bytes, again with the hints ignored, keeping
 * the longer text (Readability does the same).
 */
#include "extract/extract_int.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

#define TM_X_RETRY 500 /* bytes of text under which the strict pass is retried */

tm_error tm_extractor_new(tm_extractor **out) {
    if (!out) return TM_ERR_ARG;
    *out = calloc(1, sizeof **out);
    return *out ? TM_OK : TM_ERR_NOMEM;
}

void tm_extractor_free(tm_extractor *x) {
    if (!x) return;
    free(x->nodes);
    free(x->ev);
    tm_buf_free(&x->text);
    tm_buf_free(&x->title_buf);
    tm_buf_free(&x->ld);
    tm_buf_free(&x->out);
    tm_buf_free(&x->nul_free);
    tm_buf_free(&x->alt);
    free(x);
}

static tm_str slot(const tm_extractor *x, int i) {
    return (tm_str){x->meta[i], strlen(x->meta[i])};
}

tm_error tm_extract_html(tm_extractor *x, const char *html, size_t n, tm_extracted *res) {
    if (!x || !res || (!html && n)) return TM_ERR_ARG;
    memset(res, 0, sizeof *res);
    tm_error e = tmi_x_parse(x, html ? html : "", n);
    TM_THEN(e, tmi_x_select(x, 1));
    if (!e && x->out.len < TM_X_RETRY) {
        /* keep the strict text aside, try without the hints */
        tmi_buf_reset(&x->alt);
        if (tmi_buf_append(&x->alt, x->out.data ? x->out.data : "", x->out.len))
            return TM_ERR_NOMEM;
        e = tmi_x_select(x, 0);
        if (!e && x->out.len <= x->alt.len) {
            tm_buf t = x->out;
            x->out = x->alt;
            x->alt = t;
        }
    }
    if (e) return e;
    res->text = (tm_str){x->out.data ? x->out.data : "", x->out.len};
    res->title = slot(x, XM_TITLE);
    res->canonical = slot(x, XM_CANONICAL);
    res->date = slot(x, XM_DATE);
    res->author = slot(x, XM_AUTHOR);
    res->site_name = slot(x, XM_SITE);
    res->lang = slot(x, XM_LANG);
    res->truncated = x->truncated;
    res->nodes = x->n_nodes;
    return TM_OK;
}
