/*
 * dedup_route.c — what `tamis dedup` writes once the decisions are taken (job_dedup.c
 * has the whole design): the ids kept from pass 1 for reporting, the
 * clusters file, and pass 2, whose workers route every document by its
 * index to the output or the removed file with the reason and evidence.
 */
#include "dedup/dedup_int.h"

#include "engine/pipeline.h"
#include "util/buf.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const idref *id_of(const dctx *c, uint32_t index) {
    return tmi_dd_id_of(c, index);
}

static const rment *rm_of(const dctx *c, uint32_t index) {
    return tmi_dd_rm_of(c, index);
}

static tm_error put_id(tm_buf *b, const dctx *c, uint32_t index) {
    const idref *r = id_of(c, index);
    if (!r) return tmi_buf_puts(b, "null");
    return tmi_json_str(b, c->idpool.data + r->off, r->len);
}

static int cmp_rec(const void *x, const void *y) {
    const tm_rec *a = x, *b = y;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

static tm_error put_rule(tm_buf *b, int rule) {
    return tmi_buf_puts(b, rule == TM_RULE_EXACT     ? ",\"rule\":\"exact\""
                           : rule == TM_RULE_JACCARD ? ",\"rule\":\"jaccard\""
                           : rule == TM_RULE_ALIGNED ? ",\"rule\":\"aligned\""
                                                     : ",\"rule\":\"containment\"");
}

/* One JSON line per cluster (a kept document and the documents removed as
 * its copies): members in input order with their kind, the rule that
 * removed them and their similarities to the kept document. */
tm_error tmi_dd_write_clusters(dctx *c) {
    tm_writer *w = NULL;
    tm_error e = tm_writer_open(&w, c->d->clusters);
    if (e) return e;
    size_t n = c->n_slots;
    /* Members grouped by cluster: (cluster, index) pairs sorted. */
    tm_rec *m = NULL;
    size_t nm = 0, cap = 0;
    for (size_t i = 0; i < n && !e; i++) {
        if (!(c->di[i].flags & DF_PRESENT)) continue;
        uint32_t cl = c->cluster_of[c->kept_by[i]];
        if (cl == UINT32_MAX) continue;
        if (!(e = tmi_grow((void **)&m, &cap, nm + 1, sizeof *m, 0))) m[nm++] = (tm_rec){cl, i, 0};
    }
    /* Clusters interleave in input order: group them. */
    if (nm) qsort(m, nm, sizeof *m, cmp_rec);
    tm_buf b = {0};
    for (size_t i = 0; i < nm && !e;) {
        size_t j = i;
        while (j < nm && m[j].a == m[i].a) j++;
        uint32_t kept = c->kept_by[m[i].b];
        tmi_buf_reset(&b);
        e = tmi_buf_puts(&b, "{\"cluster\":");
        TM_THEN(e, tmi_json_u64(&b, m[i].a));
        TM_THEN(e, tmi_buf_puts(&b, ",\"size\":"));
        TM_THEN(e, tmi_json_u64(&b, j - i));
        TM_THEN(e, tmi_buf_puts(&b, ",\"kept\":"));
        TM_THEN(e, put_id(&b, c, kept));
        TM_THEN(e, tmi_buf_puts(&b, ",\"kept_index\":"));
        TM_THEN(e, tmi_json_u64(&b, kept));
        TM_THEN(e, tmi_buf_puts(&b, ",\"members\":["));
        for (size_t k = i; k < j && !e; k++) {
            uint32_t idx = (uint32_t)m[k].b;
            const rment *r = idx == kept ? NULL : rm_of(c, idx);
            if (k > i) e = tmi_buf_putc(&b, ',');
            TM_THEN(e, tmi_buf_puts(&b, "{\"id\":"));
            TM_THEN(e, put_id(&b, c, idx));
            TM_THEN(e, tmi_buf_puts(&b, ",\"index\":"));
            TM_THEN(e, tmi_json_u64(&b, idx));
            if (!e)
                e = tmi_buf_puts(&b, !r                    ? ",\"kind\":\"kept\""
                                     : r->kind == RK_EXACT ? ",\"kind\":\"exact\""
                                                           : ",\"kind\":\"near\"");
            if (!e && r) e = put_rule(&b, r->rule);
            TM_THEN(e, tmi_buf_puts(&b, ",\"similarity\":"));
            TM_THEN(e, tmi_json_num(&b, r ? r->sim : 1.0));
            if (!e && r) e = tmi_buf_puts(&b, ",\"containment\":");
            if (!e && r) e = tmi_json_num(&b, r->cont);
            TM_THEN(e, tmi_buf_putc(&b, '}'));
        }
        TM_THEN(e, tmi_buf_puts(&b, "]}\n"));
        TM_THEN(e, tm_writer_write(w, b.data, b.len));
        i = j;
    }
    tm_buf_free(&b);
    free(m);
    if (e) {
        tm_writer_abort(w);
        return e;
    }
    return tm_writer_close(w);
}

/* ---- pass 2 ---- */

/* A document's id as the decision gives it: a JSON string, or null. */
static tm_error put_str_or_null(tm_buf *b, tm_str s) {
    if (!s.ptr) return tmi_buf_puts(b, "null");
    return tmi_json_str(b, s.ptr, s.len);
}

/* The evidence of a removed copy after "cluster": the rule, the
 * containment of the smaller shingle set in the larger, and both
 * documents' sizes (and coverages, --verify aligned). */
static tm_error put_sizes(tm_buf *b, const tm_dedup_decision *r) {
    tm_error e = tmi_buf_puts(b, ",\"rule\":\"");
    TM_THEN(e, tmi_buf_puts(b, r->rule));
    TM_THEN(e, tmi_buf_puts(b, "\",\"containment\":"));
    TM_THEN(e, tmi_json_num(b, r->containment));
    TM_THEN(e, tmi_buf_puts(b, ",\"shingles\":"));
    TM_THEN(e, tmi_json_u64(b, r->shingles));
    TM_THEN(e, tmi_buf_puts(b, ",\"kept_shingles\":"));
    TM_THEN(e, tmi_json_u64(b, r->kept_shingles));
    TM_THEN(e, tmi_buf_puts(b, ",\"chars\":"));
    TM_THEN(e, tmi_json_u64(b, r->chars));
    TM_THEN(e, tmi_buf_puts(b, ",\"kept_chars\":"));
    TM_THEN(e, tmi_json_u64(b, r->kept_chars));
    if (!r->aligned) return e;
    TM_THEN(e, tmi_buf_puts(b, ",\"coverage\":"));
    TM_THEN(e, tmi_json_num(b, r->coverage));
    TM_THEN(e, tmi_buf_puts(b, ",\"kept_coverage\":"));
    TM_THEN(e, tmi_json_num(b, r->kept_coverage));
    TM_THEN(e, tmi_buf_puts(b, ",\"gap\":"));
    TM_THEN(e, tmi_json_u64(b, r->gap));
    TM_THEN(e, tmi_buf_puts(b, ",\"kept_gap\":"));
    TM_THEN(e, tmi_json_u64(b, r->kept_gap));
    return e;
}

/* Routes one document as its decision (tmi_dd_decision, the handle's)
 * says: removed with its reason and evidence, or kept, less the repeated
 * lines paragraph dedup took from it. */
tm_error tmi_dd_p2_process(void *ws, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    wstate *w = ws;
    dctx *c = w->c;
    tm_error e;
    tm_dedup_decision r;
    tmi_dd_decision(c, (uint32_t)doc->index, &r);
    tm_buf *mb = &w->rec;
    tmi_buf_reset(mb);
    if (r.removed) {
        if (r.fate == TM_DEDUP_PARAGRAPHS) {
            e = tmi_buf_puts(mb, "\"removed_by\":\"dedup.paragraphs\",\"chars_left\":");
            TM_THEN(e, tmi_json_u64(mb, r.chars));
            TM_THEN(e, tmi_buf_puts(mb, ",\"min_doc_chars\":"));
            TM_THEN(e, tmi_json_u64(mb, c->d->min_doc_chars));
        } else {
            e = tmi_buf_puts(mb, r.fate == TM_DEDUP_EXACT
                                     ? "\"removed_by\":\"dedup.exact\",\"dup_kind\":\"exact\""
                                     : "\"removed_by\":\"dedup.near\",\"dup_kind\":\"near\"");
            TM_THEN(e, tmi_buf_puts(mb, ",\"duplicate_of\":"));
            TM_THEN(e, put_str_or_null(mb, r.duplicate_of_id));
            TM_THEN(e, tmi_buf_puts(mb, ",\"duplicate_of_index\":"));
            TM_THEN(e, tmi_json_u64(mb, r.duplicate_of));
            TM_THEN(e, tmi_buf_puts(mb, ",\"similarity\":"));
            TM_THEN(e, tmi_json_num(mb, r.similarity));
            TM_THEN(e, tmi_buf_puts(mb, ",\"cluster\":"));
            TM_THEN(e, tmi_json_u64(mb, (uint64_t)r.cluster));
            TM_THEN(e, put_sizes(mb, &r));
        }
        TM_THEN(e, tm_doc_to_jsonl(doc, NULL, 0, mb->data, mb->len, &sinks[TM_SINK_REMOVED]));
        st->removed++;
        return e;
    }
    if (r.lines_removed) {
        size_t n_rm;
        tmi_buf_reset(&w->nb);
        e = tmi_dd_apply_lines(c, (uint32_t)doc->index, doc->text.ptr, doc->text.len, &w->lines,
                               &w->nb, &n_rm);
        TM_THEN(e, tmi_buf_puts(mb, "\"paragraphs_removed\":"));
        TM_THEN(e, tmi_json_u64(mb, n_rm));
        if (!e)
            e = tm_doc_to_jsonl(doc, w->nb.data ? w->nb.data : "", w->nb.len, mb->data, mb->len,
                                &sinks[TM_SINK_OUT]);
        st->written++;
        return e;
    }
    st->written++;
    return tm_doc_to_jsonl(doc, NULL, 0, NULL, 0, &sinks[TM_SINK_OUT]);
}
