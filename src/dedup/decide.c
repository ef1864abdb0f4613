/*
 * decide.c — which copy `tamis dedup` keeps, and which documents it removes.
 *
 * Input: the accepted pairs of the corpus (exact copies and verified
 * MinHash-LSH candidates), each an edge, some with an ordering constraint:
 * when only the containment rule accepted a pair, the smaller (contained)
 * document waits for the larger; a member of an exact group waits for the
 * group's leader. And the keep priority of every document (--keep: input
 * order, longest, best score). Output: for every document, itself (kept) or
 * the kept document it is a copy of.
 *
 * Union-find over the edges is not enough: in a chain A~B, B~C with A and C
 * dissimilar it removes C as a "copy" of A, and it may remove a container
 * in favour of the page it contains. The algorithm here is greedy:
 *
 *  1. Processing order. Documents go in keep-priority order, except that a
 *     document waits until the documents it is constrained to follow have
 *     been decided (its containers, its exact leader): Kahn's topological
 *     sort of the constraints, taking among the ready documents the one of
 *     highest priority (a binary heap beside the priority stream).
 *     Containment constraints point from the smaller to the larger set
 *     (ties: by priority), a strict total order, and an exact member has no
 *     other edge, so the constraints cannot form a cycle.
 *  2. Decisions, in that order. A document m is removed as a copy of the
 *     kept document k when the judge callback accepts the pair (m, k) — the
 *     accept rule of docs/DEDUP.md, where containment only ever removes the
 *     smaller side — and k is the first such candidate in processing order.
 *     Candidates are the documents m has an edge to that were decided
 *     earlier: each such neighbour if it was kept, and the document it was
 *     removed for if not (the pair m, k is verified afresh: it need not
 *     have been an LSH candidate). A document with no accepted candidate is
 *     kept, even when it is similar to removed documents.
 *
 * Every removal is thus verified against the document that stays, and a
 * kept document never becomes a removed one, so no removal rests on a
 * chain. Edges are stored in two external sorts (xsort.c: by document, then
 * by processing position) so that memory stays within the budget; the
 * constraints (8 bytes each: containment pairs and exact copies) and 4 to
 * 16 bytes per document are held in memory. The result is a function of the edges and the
 * priorities only, not of the order edges were added in, the thread count or the budget.
 */
#include "dedup/dedup.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

/* An ordering constraint: `contained` (the smaller document, or an exact
 * group member) is decided after `container` (the larger, or the leader). */
typedef struct cedge {
    uint32_t contained, container;
} cedge;

struct tm_keeper {
    size_t n;        /* documents 0..n-1 */
    tm_xsort *edges; /* (x, y, 0), x < y: every accepted pair */
    cedge *cont;     /* ordering constraints */
    size_t n_cont, cap_cont;
    uint64_t mem;
    char *tmp_dir;
};

tm_error tmi_keeper_new(tm_keeper **out, size_t n_docs, uint64_t mem, const char *tmp_dir) {
    *out = NULL;
    if (n_docs > UINT32_MAX) return TM_ERR_UNSUPPORTED;
    tm_keeper *k = calloc(1, sizeof *k);
    if (!k) return TM_ERR_NOMEM;
    k->n = n_docs;
    k->mem = mem;
    if (tmp_dir && !(k->tmp_dir = strdup(tmp_dir))) {
        free(k);
        return TM_ERR_NOMEM;
    }
    tm_error e = tmi_xsort_new(&k->edges, (size_t)(mem / 16), tmp_dir);
    if (e) {
        tmi_keeper_free(k);
        return e;
    }
    *out = k;
    return TM_OK;
}

void tmi_keeper_free(tm_keeper *k) {
    if (!k) return;
    tmi_xsort_free(k->edges);
    free(k->cont);
    free(k->tmp_dir);
    free(k);
}

tm_error tmi_keeper_add(tm_keeper *k, uint32_t x, uint32_t y, uint32_t after) {
    if (x == y || x >= k->n || y >= k->n) return TM_ERR_INTERNAL;
    if (after != UINT32_MAX) {
        if (after != x && after != y) return TM_ERR_INTERNAL;
        tm_error e = tmi_grow((void **)&k->cont, &k->cap_cont, k->n_cont + 1, sizeof *k->cont, 0);
        if (e) return e;
        k->cont[k->n_cont++] = (cedge){after, after == x ? y : x};
    }
    return tmi_xsort_add(k->edges, x < y ? x : y, x < y ? y : x, 0);
}

static int cmp_container(const void *a, const void *b) {
    const cedge *x = a, *y = b;
    if (x->container != y->container) return x->container < y->container ? -1 : 1;
    return (x->contained > y->contained) - (x->contained < y->contained);
}

/* Binary min-heap of (rank << 32 | document). */
typedef struct heap {
    uint64_t *v;
    size_t n;
} heap;

static void heap_push(heap *h, uint64_t x) {
    size_t i = h->n++;
    while (i && h->v[(i - 1) / 2] > x) {
        h->v[i] = h->v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->v[i] = x;
}

static uint64_t heap_pop(heap *h) {
    uint64_t top = h->v[0], last = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, s = l;
        if (l >= h->n) break;
        if (l + 1 < h->n && h->v[l + 1] < h->v[l]) s = l + 1;
        if (h->v[s] >= last) break;
        h->v[i] = h->v[s];
        i = s;
    }
    h->v[i] = last;
    return top;
}

/* Fills pos[d] with the processing position of every document: priority
 * order (order[0..n_order), or 0..n-1 when order is NULL), each constrained
 * document after all of the documents it follows. Documents absent from order get
 * UINT32_MAX (they have no edges). */
static tm_error processing_order(tm_keeper *k, const uint32_t *order, size_t n_order,
                                 uint32_t *pos) {
    size_t n = k->n;
    if (!order) n_order = n;
    for (size_t i = 0; i < n; i++) pos[i] = UINT32_MAX;
    if (!k->n_cont) {
        for (size_t i = 0; i < n_order; i++) pos[order ? order[i] : i] = (uint32_t)i;
        return TM_OK;
    }
    /* rank[d]: the priority of d (identity without an order). */
    uint32_t *rank = NULL, *indeg = calloc(n ? n : 1, sizeof *indeg);
    heap h = {malloc(k->n_cont * sizeof *h.v), 0};
    tm_error e = TM_OK;
    if (!indeg || !h.v || (order && !(rank = malloc((n ? n : 1) * sizeof *rank)))) {
        e = TM_ERR_NOMEM;
        goto out;
    }
    if (rank) {
        for (size_t i = 0; i < n; i++) rank[i] = UINT32_MAX;
        for (size_t i = 0; i < n_order; i++) rank[order[i]] = (uint32_t)i;
    }
    qsort(k->cont, k->n_cont, sizeof *k->cont, cmp_container);
    for (size_t i = 0; i < k->n_cont; i++) indeg[k->cont[i].contained]++;
    /* The priority stream yields only the documents that follow nothing;
     * the others enter the heap when the last one they follow is placed. */
    size_t at = 0;
    uint32_t t = 0;
    for (;;) {
        while (at < n_order && indeg[order ? order[at] : at]) at++;
        uint32_t d;
        if (at < n_order && (!h.n || (uint64_t)at << 32 < h.v[0])) {
            d = order ? order[at] : (uint32_t)at;
            at++;
        } else if (h.n) {
            d = (uint32_t)heap_pop(&h);
        } else {
            break;
        }
        pos[d] = t++;
        size_t lo = 0, hi = k->n_cont;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (k->cont[mid].container < d)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t i = lo; i < k->n_cont && k->cont[i].container == d; i++) {
            uint32_t c = k->cont[i].contained;
            if (--indeg[c] == 0) heap_push(&h, (uint64_t)(rank ? rank[c] : c) << 32 | c);
        }
    }
    /* A cycle (which the callers' size order rules out) would leave a
     * document unplaced. */
    for (size_t i = 0; i < k->n_cont && !e; i++)
        if (pos[k->cont[i].contained] == UINT32_MAX || pos[k->cont[i].container] == UINT32_MAX)
            e = TM_ERR_INTERNAL;
out:
    free(rank);
    free(indeg);
    free(h.v);
    return e;
}

typedef struct cand {
    uint32_t pos, doc;
} cand;

static int cmp_cand(const void *a, const void *b) {
    const cand *x = a, *y = b;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Decides document m (its group of edges to earlier documents is in nb). */
static tm_error decide_one(uint32_t m, const uint32_t *nb, size_t n_nb, const uint32_t *pos,
                           uint32_t *keeper, cand **cv, size_t *ccap, const tm_keeper_cb *cb,
                           tm_keeper_stats *st) {
    tm_error ge = tmi_grow((void **)cv, ccap, n_nb, sizeof **cv, 0);
    if (ge) return ge;
    cand *c = *cv;
    size_t nc = 0;
    for (size_t i = 0; i < n_nb; i++) {
        uint32_t k = keeper[nb[i]];
        c[nc++] = (cand){pos[k], k};
    }
    qsort(c, nc, sizeof *c, cmp_cand);
    for (size_t i = 0; i < nc; i++) {
        if (i && c[i].doc == c[i - 1].doc) continue;
        tm_verdict v;
        memset(&v, 0, sizeof v);
        st->judged++;
        tm_error e = cb->judge(cb->ctx, m, c[i].doc, &v);
        if (e) return e;
        if (v.rule == TM_RULE_NONE) continue;
        keeper[m] = c[i].doc;
        return cb->removed(cb->ctx, m, c[i].doc, &v);
    }
    st->chain_kept++;
    return TM_OK;
}

tm_error tmi_keeper_resolve(tm_keeper *k, const uint32_t *order, size_t n_order, uint32_t *keeper,
                            const tm_keeper_cb *cb, tm_keeper_stats *st) {
    size_t n = k->n;
    memset(st, 0, sizeof *st);
    for (size_t i = 0; i < n; i++) keeper[i] = (uint32_t)i;
    uint32_t *pos = malloc((n ? n : 1) * sizeof *pos);
    tm_xsort *by_pos = NULL;
    uint32_t *nb = NULL;
    cand *cv = NULL;
    size_t nb_cap = 0, cv_cap = 0;
    tm_error e = pos ? TM_OK : TM_ERR_NOMEM;
    TM_THEN(e, processing_order(k, order, n_order, pos));
    TM_THEN(e, tmi_xsort_finish(k->edges));
    TM_THEN(e, tmi_xsort_new(&by_pos, (size_t)(k->mem / 16), k->tmp_dir));
    /* Re-key every edge by the processing position of its later end. */
    tm_rec r;
    while (!e && (e = tmi_xsort_next(k->edges, &r)) == TM_OK) {
        uint32_t x = (uint32_t)r.a, y = (uint32_t)r.b;
        if (pos[x] == UINT32_MAX || pos[y] == UINT32_MAX) {
            e = TM_ERR_INTERNAL;
            break;
        }
        if (pos[x] > pos[y]) {
            uint32_t t = x;
            x = y;
            y = t;
        }
        e = tmi_xsort_add(by_pos, (uint64_t)pos[y] << 32 | y, (uint64_t)pos[x] << 32 | x, 0);
    }
    if (e == TM_EOF) e = TM_OK;
    if (!e) {
        st->spill_runs += tmi_xsort_runs(k->edges);
        tmi_xsort_free(k->edges);
        k->edges = NULL;
        e = tmi_xsort_finish(by_pos);
    }
    /* Groups of equal later end, in processing order. */
    size_t n_nb = 0;
    uint32_t cur = UINT32_MAX;
    while (!e && (e = tmi_xsort_next(by_pos, &r)) == TM_OK) {
        uint32_t m = (uint32_t)r.a, other = (uint32_t)r.b;
        if (m != cur && n_nb) {
            e = decide_one(cur, nb, n_nb, pos, keeper, &cv, &cv_cap, cb, st);
            n_nb = 0;
        }
        cur = m;
        TM_THEN(e, tmi_grow((void **)&nb, &nb_cap, n_nb + 1, sizeof *nb, 0));
        if (e) break;
        nb[n_nb++] = other;
    }
    if (e == TM_EOF)
        e = n_nb ? decide_one(cur, nb, n_nb, pos, keeper, &cv, &cv_cap, cb, st) : TM_OK;
    if (by_pos) st->spill_runs += tmi_xsort_runs(by_pos);
    tmi_xsort_free(by_pos);
    free(pos);
    free(nb);
    free(cv);
    return e;
}
