/*
 * route.c — what `tamis dedup` writes once the decisions are taken (job.c
 * has the whole design): the ids kept from pass 1 for reporting, the
 * clusters file, and pass 2, whose workers route every document by its
 * index to the output or the removed file with the reason and evidence.
 */
#include "dedup/job_int.h"

#include "engine/pipeline.h"
#include "util/buf.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

tm_error tm_dd_load_ids(dctx *c) {
    if (fflush(c->id_file) || fseeko(c->id_file, 0, SEEK_SET)) return TM_ERR_IO;
    size_t cap = 0;
    char buf[TM_ID_CAP];
    uint32_t rec[2];
    while (fread(rec, sizeof rec, 1, c->id_file) == 1) {
        if (rec[1] > TM_ID_CAP || (rec[1] && fread(buf, 1, rec[1], c->id_file) != rec[1]))
            return TM_ERR_IO;
        if (!(c->di[rec[0]].flags & DF_NEED_ID)) continue;
        tm_error e = tm_dd_grow((void **)&c->ids, &cap, c->n_ids + 1, sizeof *c->ids);
        if (e) return e;
        c->ids[c->n_ids++] = (idref){rec[0], rec[1], c->idpool.len};
        if ((e = tm_buf_append(&c->idpool, buf, rec[1]))) return e;
    }
    return ferror(c->id_file) ? TM_ERR_IO : TM_OK;
}

/* Binary search of an array of n records of size bytes, sorted by a
 * uint32_t index that is their first member (idref, rment). */
static const void *find_index(const void *base, size_t n, size_t size, uint32_t index) {
    const char *v = base;
    size_t lo = 0, hi = n;
    uint32_t x;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        memcpy(&x, v + mid * size, sizeof x);
        if (x < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == n) return NULL;
    memcpy(&x, v + lo * size, sizeof x);
    return x == index ? v + lo * size : NULL;
}

_Static_assert(offsetof(idref, index) == 0 && offsetof(rment, index) == 0,
               "find_index reads the index first");

static const idref *id_of(const dctx *c, uint32_t index) {
    return find_index(c->ids, c->n_ids, sizeof *c->ids, index);
}

static const rment *rm_of(const dctx *c, uint32_t index) {
    return find_index(c->rm, c->n_rm, sizeof *c->rm, index);
}

static tm_error put_id(tm_buf *b, const dctx *c, uint32_t index) {
    const idref *r = id_of(c, index);
    if (!r) return tm_buf_puts(b, "null");
    return tm_json_str(b, c->idpool.data + r->off, r->len);
}

static int cmp_rec(const void *x, const void *y) {
    const tm_rec *a = x, *b = y;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

static tm_error put_rule(tm_buf *b, int rule) {
    return tm_buf_puts(b, rule == TM_RULE_EXACT     ? ",\"rule\":\"exact\""
                          : rule == TM_RULE_JACCARD ? ",\"rule\":\"jaccard\""
                          : rule == TM_RULE_ALIGNED ? ",\"rule\":\"aligned\""
                                                    : ",\"rule\":\"containment\"");
}

/* One JSON line per cluster (a kept document and the documents removed as
 * its copies): members in input order with their kind, the rule that
 * removed them and their similarities to the kept document. */
tm_error tm_dd_write_clusters(dctx *c) {
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
        if (!(e = tm_dd_grow((void **)&m, &cap, nm + 1, sizeof *m))) m[nm++] = (tm_rec){cl, i, 0};
    }
    /* Clusters interleave in input order: group them. */
    if (nm) qsort(m, nm, sizeof *m, cmp_rec);
    tm_buf b = {0};
    for (size_t i = 0; i < nm && !e;) {
        size_t j = i;
        while (j < nm && m[j].a == m[i].a) j++;
        uint32_t kept = c->kept_by[m[i].b];
        tm_buf_reset(&b);
        e = tm_buf_puts(&b, "{\"cluster\":");
        if (!e) e = tm_json_u64(&b, m[i].a);
        if (!e) e = tm_buf_puts(&b, ",\"size\":");
        if (!e) e = tm_json_u64(&b, j - i);
        if (!e) e = tm_buf_puts(&b, ",\"kept\":");
        if (!e) e = put_id(&b, c, kept);
        if (!e) e = tm_buf_puts(&b, ",\"kept_index\":");
        if (!e) e = tm_json_u64(&b, kept);
        if (!e) e = tm_buf_puts(&b, ",\"members\":[");
        for (size_t k = i; k < j && !e; k++) {
            uint32_t idx = (uint32_t)m[k].b;
            const rment *r = idx == kept ? NULL : rm_of(c, idx);
            if (k > i) e = tm_buf_putc(&b, ',');
            if (!e) e = tm_buf_puts(&b, "{\"id\":");
            if (!e) e = put_id(&b, c, idx);
            if (!e) e = tm_buf_puts(&b, ",\"index\":");
            if (!e) e = tm_json_u64(&b, idx);
            if (!e)
                e = tm_buf_puts(&b, !r                    ? ",\"kind\":\"kept\""
                                    : r->kind == RK_EXACT ? ",\"kind\":\"exact\""
                                                          : ",\"kind\":\"near\"");
            if (!e && r) e = put_rule(&b, r->rule);
            if (!e) e = tm_buf_puts(&b, ",\"similarity\":");
            if (!e) e = tm_json_num(&b, r ? r->sim : 1.0);
            if (!e && r) e = tm_buf_puts(&b, ",\"containment\":");
            if (!e && r) e = tm_json_num(&b, r->cont);
            if (!e) e = tm_buf_putc(&b, '}');
        }
        if (!e) e = tm_buf_puts(&b, "]}\n");
        if (!e) e = tm_writer_write(w, b.data, b.len);
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

/* The fields of a removed copy after "cluster": the rule, the containment
 * of the smaller shingle set in the larger, and both documents' sizes. */
static tm_error put_sizes(tm_buf *b, const dctx *c, const rment *r) {
    tm_error e = put_rule(b, r->rule);
    if (!e) e = tm_buf_puts(b, ",\"containment\":");
    if (!e) e = tm_json_num(b, r->cont);
    if (!e) e = tm_buf_puts(b, ",\"shingles\":");
    if (!e) e = tm_json_u64(b, c->di[r->index].n_set);
    if (!e) e = tm_buf_puts(b, ",\"kept_shingles\":");
    if (!e) e = tm_json_u64(b, c->di[r->kept].n_set);
    if (!e) e = tm_buf_puts(b, ",\"chars\":");
    if (!e) e = tm_json_u64(b, c->di[r->index].chars);
    if (!e) e = tm_buf_puts(b, ",\"kept_chars\":");
    if (!e) e = tm_json_u64(b, r->extra);
    if (c->d->verify != TM_VERIFY_ALIGNED) return e;
    if (!e) e = tm_buf_puts(b, ",\"coverage\":");
    if (!e) e = tm_json_num(b, r->cov);
    if (!e) e = tm_buf_puts(b, ",\"kept_coverage\":");
    if (!e) e = tm_json_num(b, r->kept_cov);
    if (!e) e = tm_buf_puts(b, ",\"gap\":");
    if (!e) e = tm_json_u64(b, r->gap);
    if (!e) e = tm_buf_puts(b, ",\"kept_gap\":");
    if (!e) e = tm_json_u64(b, r->kept_gap);
    return e;
}

tm_error tm_dd_p2_process(void *ws, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    wstate *w = ws;
    dctx *c = w->c;
    tm_error e;
    uint32_t idx = (uint32_t)doc->index;
    const rment *r = rm_of(c, idx);
    tm_buf *mb = &w->rec;
    tm_buf_reset(mb);
    if (r) {
        if (r->kind == RK_PARA) {
            e = tm_buf_puts(mb, "\"removed_by\":\"dedup.paragraphs\",\"chars_left\":");
            if (!e) e = tm_json_u64(mb, r->extra);
            if (!e) e = tm_buf_puts(mb, ",\"min_doc_chars\":");
            if (!e) e = tm_json_u64(mb, c->d->min_doc_chars);
        } else {
            e = tm_buf_puts(mb, r->kind == RK_EXACT
                                    ? "\"removed_by\":\"dedup.exact\",\"dup_kind\":\"exact\""
                                    : "\"removed_by\":\"dedup.near\",\"dup_kind\":\"near\"");
            if (!e) e = tm_buf_puts(mb, ",\"duplicate_of\":");
            if (!e) e = put_id(mb, c, r->kept);
            if (!e) e = tm_buf_puts(mb, ",\"duplicate_of_index\":");
            if (!e) e = tm_json_u64(mb, r->kept);
            if (!e) e = tm_buf_puts(mb, ",\"similarity\":");
            if (!e) e = tm_json_num(mb, r->sim);
            if (!e) e = tm_buf_puts(mb, ",\"cluster\":");
            if (!e) e = tm_json_u64(mb, r->cluster);
            if (!e) e = put_sizes(mb, c, r);
        }
        if (!e) e = tm_doc_to_jsonl(doc, NULL, 0, mb->data, mb->len, &sinks[TM_SINK_REMOVED]);
        st->removed++;
        return e;
    }
    /* Lines to drop, if any: a range of the sorted (doc, line) table. */
    size_t lo = 0, hi = c->n_lr;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->lr[mid].doc < idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < c->n_lr && c->lr[lo].doc == idx) {
        const char *t = doc->text.ptr ? doc->text.ptr : "";
        if ((e = tm_split_lf(t, doc->text.len, &w->lines))) return e;
        tm_buf_reset(&w->nb);
        size_t k = lo, n_rm = 0, kept_pieces = 0;
        for (size_t i = 0; i < w->lines.n; i++) {
            if (k < c->n_lr && c->lr[k].doc == idx && c->lr[k].line == i) {
                k++;
                n_rm++;
                continue;
            }
            if (kept_pieces++ && (e = tm_buf_putc(&w->nb, '\n'))) return e;
            if ((e = tm_buf_append(&w->nb, t + w->lines.v[i].beg,
                                   w->lines.v[i].end - w->lines.v[i].beg)))
                return e;
        }
        e = tm_buf_puts(mb, "\"paragraphs_removed\":");
        if (!e) e = tm_json_u64(mb, n_rm);
        if (!e)
            e = tm_doc_to_jsonl(doc, w->nb.data ? w->nb.data : "", w->nb.len, mb->data, mb->len,
                                &sinks[TM_SINK_OUT]);
        st->written++;
        return e;
    }
    st->written++;
    return tm_doc_to_jsonl(doc, NULL, 0, NULL, 0, &sinks[TM_SINK_OUT]);
}
