/*
 * paragraphs.c — the paragraph decisions of dedup (--paragraphs): line keys
 * (line hash, document, line << 32 | characters) come sorted from the
 * external sorter; per group of equal line hashes the first document not
 * already removed keeps the line and every later document loses it. A
 * document left shorter than --min-doc-chars is removed; the others are
 * edited (the lines go when the job writes them). Also the list of removals
 * that the decisions build (tmi_dd_rm_push), in index order for pass 2.
 */
#include "dedup/dedup_int.h"

#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

/* ---- paragraphs: the first document that has a long line keeps it ---- */

tm_error tmi_dd_rm_push(dctx *c, rment m) {
    tm_error e = tmi_grow((void **)&c->rm, &c->cap_rm, c->n_rm + 1, sizeof *c->rm, 0);
    if (e) return e;
    c->rm[c->n_rm++] = m;
    return TM_OK;
}

static int cmp_lineref(const void *x, const void *y) {
    const lineref *a = x, *b = y;
    if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

int tmi_dd_cmp_rment(const void *x, const void *y) {
    const rment *a = x, *b = y;
    return (a->index > b->index) - (a->index < b->index);
}

tm_error tmi_dd_decide_paragraphs(dctx *c) {
    tm_error e = tmi_xsort_finish(c->xs_para);
    if (e) return e;
    tm_rec r;
    uint64_t key = 0;
    int have = 0;
    uint32_t owner = 0;
    /* Per group of equal line hashes: the first not-removed document owns
     * the line; the same line in any later document goes. */
    while ((e = tmi_xsort_next(c->xs_para, &r)) == TM_OK) {
        uint32_t doc = (uint32_t)r.b;
        if (c->di[doc].flags & DF_REMOVED) continue;
        if (!have || r.a != key) {
            key = r.a;
            have = 1;
            owner = doc;
            continue;
        }
        if (doc == owner) continue;
        if ((e = tmi_grow((void **)&c->lr, &c->cap_lr, c->n_lr + 1, sizeof *c->lr, 0))) return e;
        c->lr[c->n_lr++] = (lineref){doc, (uint32_t)(r.c >> 32)};
        /* From here on di.chars counts what is left: the line and the LF
         * that joined it to its neighbour go. */
        uint64_t gone = (r.c & 0xffffffffu) + 1;
        c->di[doc].chars = c->di[doc].chars > gone ? (uint32_t)(c->di[doc].chars - gone) : 0;
    }
    if (e != TM_EOF) return e;
    c->ds->spill_runs += tmi_xsort_runs(c->xs_para);
    tmi_xsort_free(c->xs_para);
    c->xs_para = NULL;
    if (c->n_lr) qsort(c->lr, c->n_lr, sizeof *c->lr, cmp_lineref);
    /* Documents left too short are removed; the others are edited. */
    size_t w = 0;
    for (size_t i = 0; i < c->n_lr;) {
        size_t j = i;
        uint32_t doc = c->lr[i].doc;
        while (j < c->n_lr && c->lr[j].doc == doc) j++;
        if (c->di[doc].chars < c->d->min_doc_chars) {
            c->di[doc].flags |= DF_PARA_RM;
            c->ds->paragraph_docs_removed++;
            rment m = {.index = doc, .kept = doc, .extra = c->di[doc].chars, .kind = RK_PARA};
            if ((e = tmi_dd_rm_push(c, m))) return e;
        } else {
            c->ds->docs_edited++;
            c->ds->paragraphs_removed += j - i;
            memmove(c->lr + w, c->lr + i, (j - i) * sizeof *c->lr);
            w += j - i;
        }
        i = j;
    }
    c->n_lr = w;
    return TM_OK;
}
