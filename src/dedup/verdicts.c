/*
 * verdicts.c — the decisions of `tamis dedup` after pass 1, on the calling
 * thread: exact groups (led by their member of highest keep priority),
 * MinHash-LSH candidate pairs from the band buckets, their verification by
 * the accept rule (Jaccard, or containment of the smaller set; with --verify
 * aligned, where the two differ: align.c), and the keep
 * decisions over the accepted pairs (decide.c) that remove a document only
 * as a verified copy of a document that stays; a kept document and its
 * removed copies form a cluster.
 */
#include "dedup/dedup_int.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bucket members each pair with the first member and this many previous. */
#define TM_BUCKET_WINDOW 16

static tm_error sh_read(dctx *c, uint32_t idx, uint64_t **v, size_t *cap) {
    size_t n = c->sh_n[idx];
    tm_error e = tmi_grow((void **)v, cap, n + 1, sizeof **v, 0);
    if (e) return e;
    if (n && pread(fileno(c->sh_file), *v, n * 8, (off_t)c->sh_off[idx]) != (ssize_t)(n * 8))
        return TM_ERR_IO;
    return TM_OK;
}

/* Reads the align record of idx (--verify aligned): the gram, then the
 * in-order shingles, 32-bit each. */
static tm_error al_read(dctx *c, uint32_t idx, uint32_t **v, size_t *cap) {
    size_t n = c->sh_n[idx];
    tm_error e = tmi_grow((void **)v, cap, n + 2, sizeof **v, 0);
    if (e) return e;
    if (n < 1) {
        (*v)[0] = 5;
        return TM_OK;
    }
    if (pread(fileno(c->sh_file), *v, n * 4, (off_t)c->sh_off[idx]) != (ssize_t)(n * 4))
        return TM_ERR_IO;
    return TM_OK;
}

/* Pairs whose signature estimate is this far below --min-jaccard are
 * turned down without reading their align records (the estimate's standard
 * deviation is at most 0.045 at 128 permutations). */
#define TM_ALIGN_PREFILTER 0.15

/* --template-df: which shingles of an in-order sequence are common (held
 * by more than template_df documents), and the set of the others (its own
 * shingles). Looked up once per document read. */
static tm_error common_mask(dctx *c, vscratch *v, const uint32_t *seq, size_t n, uint8_t **m,
                            size_t *cap, tm_aset *own) {
    tm_error e = tmi_grow((void **)m, cap, n + 1, 1, 0);
    TM_THEN(e, tmi_grow((void **)&v->ob, &v->cob, n + 1, sizeof *v->ob, 0));
    if (e) return e;
    uint32_t bound = (uint32_t)c->d->template_df;
    size_t k = 0;
    tmi_dfsketch_common(c->df, seq, n, bound, *m);
    for (size_t i = 0; i < n; i++)
        if (!(*m)[i]) v->ob[k++] = seq[i];
    return tmi_aset_build(own, v->ob, k);
}

/* The own distinct shingles of a side, and how many of them the other
 * side's set holds. */
static void own_shared(const tm_aset *own, const tm_aset *other, uint32_t *n, uint32_t *shared) {
    uint32_t in = own->has0 && other->has0;
    for (size_t i = 0; own->slot && i <= own->mask; i++)
        if (own->slot[i] && tmi_aset_has(other, own->slot[i])) in++;
    *n = own->n > UINT32_MAX ? UINT32_MAX : (uint32_t)own->n;
    *shared = in;
}

/* Measures documents x and y by the configured method into v: Jaccard and
 * the containment of the smaller shingle set in the larger (from
 * signatures, derived from the Jaccard estimate J and the exact set sizes:
 * |A & B| = J (|A| + |B|) / (1 + J)); with --verify aligned also the
 * coverage of each by the other. */
static void measure(dctx *c, vscratch *v, uint32_t x, uint32_t y, tm_verdict *out) {
    size_t small = c->di[x].n_set < c->di[y].n_set ? c->di[x].n_set : c->di[y].n_set;
    memset(out, 0, sizeof *out);
    if (c->d->verify == TM_VERIFY_EXACT) {
        tm_error e = sh_read(c, x, &v->h1, &v->c1);
        TM_THEN(e, sh_read(c, y, &v->h2, &v->c2));
        if (e) {
            c->err = e;
            return;
        }
        size_t na = c->sh_n[x], nb = c->sh_n[y], i = 0, j = 0, inter = 0;
        while (i < na && j < nb) {
            if (v->h1[i] < v->h2[j])
                i++;
            else if (v->h2[j] < v->h1[i])
                j++;
            else
                inter++, i++, j++;
        }
        size_t uni = na + nb - inter;
        if (small) out->containment = (double)inter / (double)small;
        out->jaccard = uni ? (double)inter / (double)uni : 0.0;
        return;
    }
    const uint32_t *a = tmi_dd_sig_get(c, x, v->s1), *b = tmi_dd_sig_get(c, y, v->s2);
    double j = tm_minhash_similarity(a, b, c->perms);
    out->jaccard = j;
    if (small) {
        double inter = j * ((double)c->di[x].n_set + (double)c->di[y].n_set) / (1.0 + j);
        out->containment = inter >= (double)small ? 1.0 : inter / (double)small;
    }
    if (c->d->verify != TM_VERIFY_ALIGNED || j < c->d->min_jaccard - TM_ALIGN_PREFILTER) return;
    /* every aligned rule needs the size ratio (a Jaccard of --threshold
     * implies one of at least --threshold): no need to read the records */
    size_t big = c->di[x].n_set < c->di[y].n_set ? c->di[y].n_set : c->di[x].n_set;
    if ((double)small < c->d->containment_ratio * (double)big &&
        (double)small < c->d->threshold * (double)big)
        return;
    /* Candidate pairs come sorted by their first document: the record and
     * set of the last one of each side are kept. */
    if (v->d1 != x + 1) {
        v->d1 = 0;
        tm_error e = al_read(c, x, &v->a1, &v->ca1);
        TM_THEN(e, tmi_aset_build(&v->t1, v->a1 + 1, c->sh_n[x] ? c->sh_n[x] - 1 : 0));
        if (!e && c->df)
            e = common_mask(c, v, v->a1 + 1, c->sh_n[x] ? c->sh_n[x] - 1 : 0, &v->m1, &v->cm1,
                            &v->o1);
        if (!e && c->d->substitution > 0)
            e = tmi_apos_build(&v->p1, v->a1 + 1, c->sh_n[x] ? c->sh_n[x] - 1 : 0);
        if (e) {
            c->err = e;
            return;
        }
        v->d1 = x + 1;
    }
    if (v->d2 != y + 1) {
        v->d2 = 0;
        tm_error e = al_read(c, y, &v->a2, &v->ca2);
        TM_THEN(e, tmi_aset_build(&v->t2, v->a2 + 1, c->sh_n[y] ? c->sh_n[y] - 1 : 0));
        if (!e && c->df)
            e = common_mask(c, v, v->a2 + 1, c->sh_n[y] ? c->sh_n[y] - 1 : 0, &v->m2, &v->cm2,
                            &v->o2);
        if (e) {
            c->err = e;
            return;
        }
        v->d2 = y + 1;
    }
    const uint32_t *p = v->a1, *q = v->a2;
    size_t np = c->sh_n[x] ? c->sh_n[x] - 1 : 0, nq = c->sh_n[y] ? c->sh_n[y] - 1 : 0;
    size_t inter = 0;
    out->jaccard = tmi_aset_jaccard(&v->t1, &v->t2, &inter);
    size_t lo = v->t1.n < v->t2.n ? v->t1.n : v->t2.n;
    out->containment = lo ? (double)inter / (double)lo : 0.0;
    out->aligned = 1;
    if (c->d->substitution > 0) tmi_align_shifts(q + 1, nq, &v->p1, &out->islands, &out->shifts);
    if (!c->df) {
        tmi_align_cover(p + 1, np, (int)p[0], &v->t2, &out->m2k);
        tmi_align_cover(q + 1, nq, (int)q[0], &v->t1, &out->k2m);
        return;
    }
    size_t big_n = (np > nq ? np : nq) + (size_t)(p[0] > q[0] ? p[0] : q[0]) + 1;
    tm_error e = tmi_grow((void **)&v->mark, &v->cmark, big_n, 1, 0);
    if (e) {
        c->err = e;
        return;
    }
    tmi_align_cover_t(p + 1, v->m1, np, (int)p[0], &v->t2, v->mark, &out->m2k);
    tmi_align_cover_t(q + 1, v->m2, nq, (int)q[0], &v->t1, v->mark, &out->k2m);
    out->templ = 1;
    own_shared(&v->o1, &v->t2, &out->own_m, &out->own_m_in_k);
    own_shared(&v->o2, &v->t1, &out->own_k, &out->own_k_in_m);
}

/* Does the pair share its own content (--template-df)? 1: yes, 0: no,
 * -1: neither side has template_min rare shingles, no evidence either way.
 * Each side with enough rare shingles is asked; one holding template_own of
 * the other's is enough: an edited copy's new shingles are rare too, so its
 * own side can look poor while the original's is held whole. */
static int own_evidence(const dctx *c, const tm_verdict *v) {
    const tm_dedup_opts *d = c->d;
    uint32_t mn = (uint32_t)d->template_min;
    int asked = 0;
    if (v->own_m >= mn && v->own_m) {
        asked = 1;
        if ((double)v->own_m_in_k >= d->template_own * (double)v->own_m) return 1;
    }
    if (v->own_k >= mn && v->own_k) {
        asked = 1;
        if ((double)v->own_k_in_m >= d->template_own * (double)v->own_k) return 1;
    }
    return asked ? 0 : -1;
}

/* What an aligned pair may still be when it fails the aligned shape
 * (both accept rules end here): a copy by Jaccard at or above --threshold,
 * or by containment of the smaller side (a sets, b sets: distinct
 * shingles of the two documents). */
static int aligned_rest(const tm_dedup_opts *d, uint32_t a, uint32_t b, const tm_verdict *v,
                        int ratio_ok) {
    uint32_t gc = (uint32_t)d->max_gap_contained;
    if (v->jaccard >= d->threshold) return TM_RULE_JACCARD;
    if (d->containment <= 0.0 || !ratio_ok || v->jaccard < d->min_jaccard) return TM_RULE_NONE;
    /* the smaller side, as decide_near and judge name it */
    const tm_cover *s = a < b ? &v->m2k : b < a ? &v->k2m : NULL;
    if (s)
        return s->coverage >= d->coverage_contained && s->gap <= gc ? TM_RULE_CONTAINMENT
                                                                    : TM_RULE_NONE;
    /* Equal sizes: the keep decisions may remove either side, so each
     * must be contained in the other; one side covered alone would let
     * the container go. */
    if (v->m2k.coverage >= d->coverage_contained && v->m2k.gap <= gc &&
        v->k2m.coverage >= d->coverage_contained && v->k2m.gap <= gc)
        return TM_RULE_CONTAINMENT;
    return TM_RULE_NONE;
}

/* The aligned rules, template-aware (--template-df): coverages and gaps
 * excuse the template one side lacks (boilerplate, a family's common
 * section), and every rule also needs the pair to share its own content.
 * Without own content on either side (a document made of common shingles
 * only) the evidence is weak: Jaccard at least --threshold and the aligned
 * shape, both. The Jaccard of the whole sets is at least --min-jaccard for
 * every rule but containment, which removes the smaller. */
static int accept_templ(const dctx *c, uint32_t x, uint32_t y, const tm_verdict *v, int ratio_ok) {
    const tm_dedup_opts *d = c->d;
    uint32_t g = (uint32_t)d->max_gap;
    uint32_t a = c->di[x].n_set, b = c->di[y].n_set;
    int own = own_evidence(c, v);
    if (own == 0) return TM_RULE_NONE;
    int shape = v->m2k.coverage >= d->coverage && v->k2m.coverage >= d->coverage &&
                v->m2k.gap <= g && v->k2m.gap <= g;
    if (own < 0) return shape && v->jaccard >= d->threshold ? TM_RULE_JACCARD : TM_RULE_NONE;
    if (ratio_ok && shape && v->jaccard >= d->min_jaccard) return TM_RULE_ALIGNED;
    return aligned_rest(d, a, b, v, ratio_ok);
}

/* The accept rule (docs/DEDUP.md). Signature and exact: Jaccard at or
 * above --threshold, or, when the smaller set has at least
 * --containment-ratio of the larger's distinct shingles, containment at or
 * above --containment. Aligned (both parts need the size ratio of
 * --containment-ratio): Jaccard at least --min-jaccard, both
 * coverages at least --coverage and no uncovered run longer than --max-gap
 * in either; or Jaccard at least --threshold (1 turns that off); or the
 * containment rule on the smaller (by distinct shingles)
 * side alone: its coverage at least --coverage-contained with no run over
 * --max-gap-contained (both sides, when the sizes are equal). Symmetric: which side a containment
 * may remove is the keep decisions' business. */
static int accept(const dctx *c, uint32_t x, uint32_t y, const tm_verdict *v) {
    const tm_dedup_opts *d = c->d;
    uint32_t a = c->di[x].n_set, b = c->di[y].n_set;
    uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
    int ratio_ok = (double)lo >= d->containment_ratio * (double)hi;
    if (d->verify == TM_VERIFY_ALIGNED) {
        if (!v->aligned) return TM_RULE_NONE;
        /* Many differences, nearly all word-for-word: one name or spelling
         * substituted throughout (sibling pages, a spelling reform), not
         * the edits of a copy, which insert and delete words too. */
        if (d->substitution > 0 && v->islands >= (uint32_t)d->substitution &&
            (uint64_t)v->shifts * 4 <= v->islands)
            return TM_RULE_NONE;
        if (v->templ) return accept_templ(c, x, y, v, ratio_ok);
        uint32_t g = (uint32_t)d->max_gap;
        if (ratio_ok && v->jaccard >= d->min_jaccard && v->m2k.coverage >= d->coverage &&
            v->k2m.coverage >= d->coverage && v->m2k.gap <= g && v->k2m.gap <= g)
            return TM_RULE_ALIGNED;
        return aligned_rest(d, a, b, v, ratio_ok);
    }
    if (v->jaccard >= d->threshold) return TM_RULE_JACCARD;
    if (d->containment <= 0.0) return TM_RULE_NONE;
    return ratio_ok && v->containment >= d->containment ? TM_RULE_CONTAINMENT : TM_RULE_NONE;
}

/* Keep priority: does x go before y? --keep first: input order; longest:
 * more code points first; best: scored before unscored, higher score
 * first; ties by input order. */
static int prio_before(const dctx *c, uint32_t x, uint32_t y) {
    const dinfo *p = &c->di[x], *q = &c->di[y];
    if (c->d->keep == TM_KEEP_LONGEST && p->chars != q->chars) return p->chars > q->chars;
    if (c->d->keep == TM_KEEP_BEST) {
        int sp = !!(p->flags & DF_SCORE), sq = !!(q->flags & DF_SCORE);
        if (sp != sq) return sp;
        if (sp && p->score != q->score) return p->score > q->score;
    }
    return x < y;
}

/* ---- decisions ---- */

/* Closes one group of equal exact keys: its member of highest keep priority
 * leads it (stands in for it in the LSH index), and every other member is an
 * exact copy of the leader. */
static tm_error exact_group(dctx *c, const uint32_t *g, size_t n) {
    uint32_t lead = g[0];
    for (size_t i = 1; i < n; i++)
        if (prio_before(c, g[i], lead)) lead = g[i];
    for (size_t i = 0; i < n; i++) {
        if (g[i] == lead) continue;
        c->di[g[i]].exact_rep = lead;
        c->di[g[i]].flags |= DF_EXACT_DUP;
        tm_error e = tmi_keeper_add(c->keeper, lead, g[i], g[i]); /* after its leader */
        if (e) return e;
    }
    return TM_OK;
}

tm_error tmi_dd_decide_exact(dctx *c) {
    tm_error e = tmi_xsort_finish(c->xs_exact);
    if (e) return e;
    tm_rec r, first = {0, 0, 0};
    uint32_t *g = NULL;
    size_t n = 0, cap = 0;
    while ((e = tmi_xsort_next(c->xs_exact, &r)) == TM_OK) {
        if (n && (r.a != first.a || r.b != first.b)) {
            if (n > 1 && (e = exact_group(c, g, n))) break;
            n = 0;
        }
        if (!n) first = r;
        if ((e = tmi_grow((void **)&g, &cap, n + 1, sizeof *g, 0))) break;
        g[n++] = (uint32_t)r.c;
    }
    if (e == TM_EOF) e = n > 1 ? exact_group(c, g, n) : TM_OK;
    free(g);
    c->ds->spill_runs += tmi_xsort_runs(c->xs_exact);
    tmi_xsort_free(c->xs_exact);
    c->xs_exact = NULL;
    return e;
}

tm_error tmi_dd_decide_near(dctx *c) {
    tm_xsort *pairs = NULL;
    tm_error e = tmi_xsort_finish(c->xs_band);
    if (e) return e;
    if ((e = tmi_xsort_new(&pairs, c->mem / 8, c->tmp_dir))) return e;
    /* Buckets: members in index order; a ring of the last members. */
    uint32_t ring[TM_BUCKET_WINDOW];
    uint32_t head = 0;
    size_t n_in = 0;
    uint64_t ka = 0, kb = 0;
    tm_rec r;
    while ((e = tmi_xsort_next(c->xs_band, &r)) == TM_OK) {
        uint32_t doc = (uint32_t)r.c;
        if (c->di[doc].flags & DF_EXACT_DUP) continue; /* its group's leader stands in */
        if (!n_in || r.a != ka || r.b != kb) {
            ka = r.a;
            kb = r.b;
            head = doc;
            n_in = 1;
            ring[0] = doc;
            continue;
        }
        if ((e = tmi_xsort_add(pairs, head, doc, 0))) goto out;
        size_t w = n_in - 1 < TM_BUCKET_WINDOW ? n_in - 1 : TM_BUCKET_WINDOW;
        for (size_t j = 1; j <= w; j++) {
            uint32_t prev = ring[(n_in - j) % TM_BUCKET_WINDOW];
            if (prev != head && (e = tmi_xsort_add(pairs, prev, doc, 0))) goto out;
        }
        ring[n_in % TM_BUCKET_WINDOW] = doc;
        n_in++;
    }
    if (e != TM_EOF) goto out;
    c->ds->spill_runs += tmi_xsort_runs(c->xs_band);
    tmi_xsort_free(c->xs_band);
    c->xs_band = NULL;
    if ((e = tmi_xsort_finish(pairs))) goto out;
    vscratch v = {0};
    v.s1 = malloc(c->sig_bytes);
    v.s2 = malloc(c->sig_bytes);
    if (!v.s1 || !v.s2) {
        e = TM_ERR_NOMEM;
    } else {
        tm_rec last = {UINT64_MAX, UINT64_MAX, 0};
        while ((e = tmi_xsort_next(pairs, &r)) == TM_OK) {
            if (r.a == last.a && r.b == last.b) continue;
            last = r;
            c->ds->candidate_pairs++;
            uint32_t x = (uint32_t)r.a, y = (uint32_t)r.b;
            tm_verdict vd;
            measure(c, &v, x, y, &vd);
            if (c->err) {
                e = c->err; /* a short read or no memory: never a partial verdict */
                break;
            }
            int how = accept(c, x, y, &vd);
            if (how) {
                c->ds->verified_pairs++;
                uint32_t in = UINT32_MAX; /* containment only: the smaller side */
                if (how == TM_RULE_CONTAINMENT) {
                    uint32_t nx = c->di[x].n_set, ny = c->di[y].n_set;
                    in = nx < ny || (nx == ny && prio_before(c, y, x)) ? x : y;
                    c->ds->containment_pairs++;
                }
                if ((e = tmi_keeper_add(c->keeper, x, y, in))) break;
            } else {
                c->ds->rejected_pairs++;
            }
        }
        if (e == TM_EOF) e = c->err;
    }
    free(v.s1);
    free(v.s2);
    free(v.h1);
    free(v.h2);
    free(v.a1);
    free(v.a2);
    free(v.m1);
    free(v.m2);
    free(v.mark);
    free(v.ob);
    tmi_apos_free(&v.p1);
    tmi_aset_free(&v.o1);
    tmi_aset_free(&v.o2);
    tmi_aset_free(&v.t1);
    tmi_aset_free(&v.t2);
    c->ds->spill_runs += tmi_xsort_runs(pairs);
out:
    tmi_xsort_free(pairs);
    return e == TM_EOF ? TM_OK : e;
}

typedef struct judge_ctx {
    dctx *c;
    vscratch v;
} judge_ctx;

/* May m go as a copy of the kept document k (decide.c)? Exact when their
 * normalised texts are equal; otherwise the accept rule on the pair, where
 * containment may only remove the smaller (contained) set. */
static tm_error judge(void *ctx, uint32_t m, uint32_t k, tm_verdict *v) {
    judge_ctx *jc = ctx;
    dctx *c = jc->c;
    memset(v, 0, sizeof *v);
    if (c->do_exact && c->di[m].exact_rep == c->di[k].exact_rep) {
        v->rule = TM_RULE_EXACT;
        v->jaccard = v->containment = 1.0;
        return TM_OK;
    }
    if (!c->do_near || !(c->di[m].flags & c->di[k].flags & DF_SHINGLES)) return TM_OK;
    measure(c, &jc->v, m, k, v);
    if (c->err) return c->err;
    v->rule = accept(c, m, k, v);
    if (v->rule == TM_RULE_CONTAINMENT && c->di[m].n_set > c->di[k].n_set) v->rule = TM_RULE_NONE;
    return TM_OK;
}

static tm_error on_removed(void *ctx, uint32_t m, uint32_t k, const tm_verdict *v) {
    dctx *c = ((judge_ctx *)ctx)->c;
    rment r = {m,
               k,
               0,
               c->di[k].chars,
               (float)v->jaccard,
               (float)v->containment,
               RK_EXACT,
               (uint16_t)v->rule,
               (float)v->m2k.coverage,
               (float)v->k2m.coverage,
               v->m2k.gap,
               v->k2m.gap};
    if (v->rule == TM_RULE_EXACT) r.cov = r.kept_cov = 1.0f;
    if (v->rule == TM_RULE_EXACT) {
        c->ds->exact_removed++;
    } else {
        r.kind = RK_NEAR;
        c->ds->near_removed++;
    }
    c->di[m].flags |= DF_REMOVED;
    return tmi_dd_rm_push(c, r);
}

static int cmp_key(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Documents in keep priority order (NULL for --keep first: input order),
 * sorted as 64-bit keys (rank key << 32 | index) and cut to their index. */
static tm_error keep_order(dctx *c, uint32_t **out, size_t *n_out) {
    *out = NULL;
    *n_out = 0;
    if (c->d->keep == TM_KEEP_FIRST) return TM_OK;
    size_t n = 0;
    uint64_t *key = malloc((c->n_slots ? c->n_slots : 1) * sizeof *key);
    if (!key) return TM_ERR_NOMEM;
    for (size_t i = 0; i < c->n_slots; i++) {
        const dinfo *d = &c->di[i];
        if (!(d->flags & DF_PRESENT)) continue;
        uint32_t hi = UINT32_MAX - d->chars;
        if (c->d->keep == TM_KEEP_BEST) {
            /* float -> unsigned with the same order, then reversed; no
             * score ranks last */
            uint32_t b;
            memcpy(&b, &d->score, sizeof b);
            b = b >> 31 ? ~b : b | 0x80000000u;
            hi = d->flags & DF_SCORE ? ~b : UINT32_MAX;
        }
        key[n++] = (uint64_t)hi << 32 | i;
    }
    qsort(key, n, sizeof *key, cmp_key);
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    if (order)
        for (size_t i = 0; i < n; i++) order[i] = (uint32_t)key[i];
    free(key);
    if (!order) return TM_ERR_NOMEM;
    *out = order;
    *n_out = n;
    return TM_OK;
}

/* The keep decisions (decide.c) over the accepted pairs, then clusters: a
 * kept document and the documents removed as its copies, numbered in order
 * of their first member. */
tm_error tmi_dd_decide_clusters(dctx *c) {
    size_t n = c->n_slots, n_order = 0;
    uint32_t *order = NULL;
    judge_ctx jc = {c, {0}};
    jc.v.s1 = malloc(c->sig_bytes ? c->sig_bytes : 4);
    jc.v.s2 = malloc(c->sig_bytes ? c->sig_bytes : 4);
    c->kept_by = malloc((n ? n : 1) * sizeof *c->kept_by);
    c->cluster_of = malloc((n ? n : 1) * sizeof *c->cluster_of);
    tm_error e = jc.v.s1 && jc.v.s2 && c->kept_by && c->cluster_of ? TM_OK : TM_ERR_NOMEM;
    TM_THEN(e, keep_order(c, &order, &n_order));
    tm_keeper_cb cb = {&jc, judge, on_removed};
    tm_keeper_stats ks = {0};
    TM_THEN(e, tmi_keeper_resolve(c->keeper, order, n_order, c->kept_by, &cb, &ks));
    c->ds->judged_pairs = ks.judged;
    c->ds->chain_kept = ks.chain_kept;
    c->ds->spill_runs += ks.spill_runs;
    free(order);
    free(jc.v.s1);
    free(jc.v.s2);
    free(jc.v.h1);
    free(jc.v.h2);
    free(jc.v.a1);
    free(jc.v.a2);
    free(jc.v.m1);
    free(jc.v.m2);
    free(jc.v.mark);
    free(jc.v.ob);
    tmi_apos_free(&jc.v.p1);
    tmi_aset_free(&jc.v.o1);
    tmi_aset_free(&jc.v.o2);
    tmi_aset_free(&jc.v.t1);
    tmi_aset_free(&jc.v.t2);
    tmi_keeper_free(c->keeper);
    c->keeper = NULL;
    if (e) return e;
    /* cluster_of, by kept document: UINT32_MAX none, UINT32_MAX - 1 to be
     * numbered, else the number. */
    const uint32_t todo = UINT32_MAX - 1;
    for (size_t i = 0; i < n; i++) c->cluster_of[i] = UINT32_MAX;
    for (size_t i = 0; i < c->n_rm; i++) c->cluster_of[c->rm[i].kept] = todo;
    uint32_t next = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(c->di[i].flags & DF_PRESENT)) continue;
        uint32_t k = c->kept_by[i];
        if (c->cluster_of[k] == UINT32_MAX) continue;
        if (c->cluster_of[k] == todo) {
            c->cluster_of[k] = next++;
            c->di[k].flags |= DF_NEED_ID;
        }
        if (c->d->clusters) c->di[i].flags |= DF_NEED_ID;
    }
    for (size_t i = 0; i < c->n_rm; i++) c->rm[i].cluster = c->cluster_of[c->rm[i].kept];
    c->ds->clusters = next;
    return TM_OK;
}
