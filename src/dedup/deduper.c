/*
 * deduper.c — the streaming dedup handle (tm_deduper_*), on which
 * `tamis dedup` (src/jobs/job_dedup.c) is a file driver.
 *
 * The handle owns the whole decision state of the job (dctx, dedup_int.h):
 * options checked once, the MinHash permutations, the external sorters and
 * spill files bounded by --memory. Documents enter through the pass-1 work
 * of pass1.c — tmi_dd_p1_process reduces one document to its fixed record,
 * tmi_dd_p1_consume files it under its index — which the job runs on its
 * pipeline workers and tm_deduper_add runs inline, one document at a time.
 * tm_deduper_finish takes the decisions (verdicts.c, decide.c, the
 * paragraph decisions of paragraphs.c), and tmi_dd_decision reads one document's
 * fate from the tables: the job's pass 2 writes what it says, so a program
 * that feeds the same documents in the same order gets the job's decisions
 * by construction, not by a second implementation.
 */
#include "dedup/dedup_int.h"

#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The size of tm_dedup_opts when the size member was introduced: callers
 * built against this header or a later one pass at least this much. */
#define OPTS_V1 (offsetof(tm_dedup_opts, substitution) + sizeof(int))

struct tm_deduper {
    dctx c;
    tm_dedup_stats st;
    wstate *w;     /* the one worker state of tm_deduper_add */
    tm_buf rec;    /* the pass-1 record of the document being added */
    uint64_t next; /* index of the next document */
    int finished;
    tm_error err; /* sticky failure */
};

/* ---- small helpers ---- */

void tm_dedup_opts_init(tm_dedup_opts *o) {
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->norm = TM_NORM_NFKC | TM_NORM_CASEFOLD | TM_NORM_WS;
    tm_shingle_opts_init(&o->shingle);
    /* Chosen on the tune half of the harm corpus (bench/RESULTS.md, section
     * Dedup defaults), wrong removals first: word (character, for text
     * without spaces) 5-grams, Jaccard 0.85, and containment only when the
     * smaller set has 70 % of the larger's shingles and 98 % of it is in
     * the larger (truncated copies). Templated families (sibling reference
     * pages, package descriptions of one source, one text in related
     * dialects) share most of their 3-grams, and many of their 5-grams. */
    o->shingle.word_n = 5;
    o->shingle.char_n = 5;
    o->perms = 128;
    o->threshold = 0.85;
    o->containment = 0.98;
    o->containment_ratio = 0.7;
    o->verify = TM_VERIFY_SIGNATURE;
    o->keep = TM_KEEP_FIRST;
    o->min_paragraph_chars = 40;
    o->min_doc_chars = 100;
    o->seed = 1;
    /* --verify aligned (opt-in: on the report half of the harm corpus it
     * removed 7 originals against signature's 3, related-dialect UDHR
     * translations among them, and it is slower), parameters chosen on the
     * tune half: see docs/DEDUP.md, Choosing the threshold */
    o->min_jaccard = 0.65;
    o->coverage = 0.95;
    o->coverage_contained = 0.985;
    o->max_gap = 20;
    o->max_gap_contained = 1;
    o->template_df = 0;
    o->template_own = 0.5;
    o->template_min = 10;
    o->df_sketch_bytes = (uint64_t)32 << 20;
}

tm_error tmi_dd_load_ids(dctx *c) {
    if (fflush(c->id_file) || fseeko(c->id_file, 0, SEEK_SET)) return TM_ERR_IO;
    size_t cap = 0;
    char buf[TM_ID_CAP];
    uint32_t rec[2];
    while (fread(rec, sizeof rec, 1, c->id_file) == 1) {
        if (rec[1] > TM_ID_CAP || (rec[1] && fread(buf, 1, rec[1], c->id_file) != rec[1]))
            return TM_ERR_IO;
        if (!(c->di[rec[0]].flags & DF_NEED_ID)) continue;
        tm_error e = tmi_grow((void **)&c->ids, &cap, c->n_ids + 1, sizeof *c->ids, 0);
        if (e) return e;
        c->ids[c->n_ids++] = (idref){rec[0], rec[1], c->idpool.len};
        if ((e = tmi_buf_append(&c->idpool, buf, rec[1]))) return e;
    }
    return ferror(c->id_file) ? TM_ERR_IO : TM_OK;
}

static uint64_t default_memory(void) {
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || psize <= 0) return (uint64_t)1 << 30;
    return (uint64_t)pages * (uint64_t)psize / 2;
}

/* Checks the options and derives the banding into c (c->d already points
 * at the full copy). */
static tm_error ctx_check(dctx *c) {
    const tm_dedup_opts *d = c->d;
    c->do_exact = d->exact;
    c->do_near = d->near;
    c->do_para = d->paragraphs;
    if (!c->do_exact && !c->do_near && !c->do_para) c->do_exact = c->do_near = 1;
    c->need_score = d->keep == TM_KEEP_BEST;
    c->perms = d->perms > 0 ? d->perms : 128;
    if (c->perms > 4096 || d->threshold <= 0.0 || d->threshold >= 1.0) return TM_ERR_ARG;
    if (d->containment < 0.0 || d->containment > 1.0 || d->lsh_threshold < 0.0 ||
        d->lsh_threshold >= 1.0 || !(d->containment_ratio > 0.0 && d->containment_ratio <= 1.0))
        return TM_ERR_ARG;
    /* The lowest Jaccard the accept rule admits: containment c of a set r
     * times the size of the other gives J = c r / (1 + r - c r). */
    c->lsh_threshold = d->threshold;
    double cr = d->containment * d->containment_ratio;
    if (d->containment > 0.0 && cr / (1.0 + d->containment_ratio - cr) < c->lsh_threshold)
        c->lsh_threshold = cr / (1.0 + d->containment_ratio - cr);
    if (d->verify == TM_VERIFY_ALIGNED) {
        /* the aligned rule admits pairs down to --min-jaccard */
        if (!(d->min_jaccard > 0.0 && d->min_jaccard < 1.0) || d->max_gap < 0 ||
            d->max_gap_contained < 0 || !(d->coverage > 0.0 && d->coverage <= 1.0) ||
            !(d->coverage_contained > 0.0 && d->coverage_contained <= 1.0))
            return TM_ERR_ARG;
        c->lsh_threshold = d->min_jaccard;
        if (d->template_df < 0 || !(d->template_own >= 0.0 && d->template_own <= 1.0) ||
            d->template_min < 0)
            return TM_ERR_ARG;
    }
    if (d->lsh_threshold > 0.0) c->lsh_threshold = d->lsh_threshold;
    if (d->bands > 0 && d->rows > 0) {
        if ((long)d->bands * d->rows > c->perms) return TM_ERR_ARG;
        c->bands = d->bands;
        c->rows = d->rows;
    } else if (d->bands > 0 || d->rows > 0) {
        return TM_ERR_ARG;
    } else {
        tm_error e = tm_lsh_params(c->lsh_threshold, c->perms, &c->bands, &c->rows);
        if (e) return e;
    }
    c->sig_bytes = (size_t)c->perms * 4;
    c->tmp_dir = d->tmp_dir;
    c->mem = d->memory ? d->memory : default_memory();
    return TM_OK;
}

/* The handles and files of pass 1. */
static tm_error ctx_open(dctx *c) {
    const tm_dedup_opts *d = c->d;
    tm_error e;
    if ((e = tm_minhasher_new(&c->mh, c->perms, d->seed))) return e;
    if ((e = tmi_xsort_new(&c->xs_exact, c->mem / 16, c->tmp_dir)) ||
        (e = tmi_xsort_new(&c->xs_band, c->mem / 4, c->tmp_dir)) ||
        (e = tmi_xsort_new(&c->xs_para, c->mem / 8, c->tmp_dir)))
        return e;
    if (!(c->id_file = tmi_io_tmpfile(c->tmp_dir))) return tmi_io_open_error();
    if (c->do_near && d->verify == TM_VERIFY_ALIGNED && d->template_df > 0 &&
        (e = tmi_dfsketch_new(&c->df, d->df_sketch_bytes)))
        return e;
    c->sh_elem = d->verify == TM_VERIFY_ALIGNED ? 4 : 8;
    if (c->do_near && d->verify != TM_VERIFY_SIGNATURE &&
        !(c->sh_file = tmi_io_tmpfile(c->tmp_dir)))
        return tmi_io_open_error();
    return TM_OK;
}

static void ctx_free(dctx *c) {
    tmi_xsort_free(c->xs_exact);
    tmi_xsort_free(c->xs_band);
    tmi_xsort_free(c->xs_para);
    tm_minhasher_free(c->mh);
    free(c->di);
    tmi_keeper_free(c->keeper);
    free(c->kept_by);
    free(c->sigs);
    if (c->sig_file) fclose(c->sig_file);
    if (c->sh_file) fclose(c->sh_file);
    tmi_dfsketch_free(c->df);
    if (c->id_file) fclose(c->id_file);
    free(c->sh_off);
    free(c->sh_n);
    free(c->rm);
    free(c->lr);
    free(c->ids);
    tm_buf_free(&c->idpool);
    free(c->cluster_of);
}

tm_error tm_deduper_new(tm_deduper **out, const tm_dedup_opts *opts) {
    if (!out) return TM_ERR_ARG;
    *out = NULL;
    if (!opts || opts->size < OPTS_V1 || opts->size > sizeof *opts) return TM_ERR_ARG;
    tm_deduper *d = calloc(1, sizeof *d);
    if (!d) return TM_ERR_NOMEM;
    tm_dedup_opts_init(&d->c.dopt);
    memcpy(&d->c.dopt, opts, opts->size);
    d->c.dopt.size = sizeof d->c.dopt;
    d->c.dopt.clusters = NULL; /* a file: the job's business */
    d->c.d = &d->c.dopt;
    d->c.ds = &d->st;
    tm_error e = ctx_check(&d->c);
    if (!e) {
        d->st.bands = d->c.bands;
        d->st.rows = d->c.rows;
        e = ctx_open(&d->c);
    }
    if (!e && !(d->w = tmi_dd_w_new(&d->c))) e = TM_ERR_NOMEM;
    if (e) {
        tm_deduper_free(d);
        return e;
    }
    *out = d;
    return TM_OK;
}

void tm_deduper_free(tm_deduper *d) {
    if (!d) return;
    tmi_dd_w_free(d->w);
    tm_buf_free(&d->rec);
    ctx_free(&d->c);
    free(d);
}

dctx *tmi_dd_ctx(tm_deduper *d) {
    return &d->c;
}

/* Whether a document may still be added; the error to return otherwise. */
static tm_error can_add(const tm_deduper *d) {
    if (d->err) return d->err;
    if (d->finished) return TM_ERR_ARG;
    if (d->next >= UINT32_MAX - 1) return TM_ERR_UNSUPPORTED; /* 32-bit indexes */
    return TM_OK;
}

/* Pass 1 for one document, inline: the record the job's workers would
 * build, filed under the next index. */
static tm_error add_one(tm_deduper *d, const tm_doc *src, int has_score, double score) {
    tm_error e = can_add(d);
    if (e) return e;
    tm_doc doc = *src;
    doc.index = d->next;
    d->w->score_given = has_score;
    d->w->score = (float)score;
    tmi_buf_reset(&d->rec);
    e = tmi_dd_p1_process(d->w, &doc, &d->rec, NULL);
    TM_THEN(e, tmi_dd_p1_consume(&d->c, &d->rec, 1));
    if (e) {
        /* A document half filed (sorters, sketch, files) cannot be taken
         * back: the handle is failed. */
        d->err = e;
        return e;
    }
    d->next++;
    return TM_OK;
}

static tm_error doc_of(tm_doc *doc, const char *id, size_t id_len, const char *text, size_t len) {
    memset(doc, 0, sizeof *doc);
    if ((!text && len) || (!id && id_len)) return TM_ERR_ARG;
    doc->text = (tm_str){text ? text : "", len};
    doc->id = (tm_str){id ? id : "", id ? id_len : 0};
    doc->has_id = id_len > 0;
    doc->format = TM_FMT_JSONL;
    return TM_OK;
}

tm_error tm_deduper_add(tm_deduper *d, const char *id, size_t id_len, const char *text,
                        size_t len) {
    if (!d) return TM_ERR_ARG;
    tm_doc doc;
    tm_error e = doc_of(&doc, id, id_len, text, len);
    return e ? e : add_one(d, &doc, 0, 0.0);
}

tm_error tm_deduper_add_scored(tm_deduper *d, const char *id, size_t id_len, const char *text,
                               size_t len, double score) {
    if (!d) return TM_ERR_ARG;
    tm_doc doc;
    tm_error e = doc_of(&doc, id, id_len, text, len);
    return e ? e : add_one(d, &doc, 1, score);
}

tm_error tm_deduper_add_doc(tm_deduper *d, const tm_doc *doc) {
    if (!d || !doc || (!doc->text.ptr && doc->text.len)) return TM_ERR_ARG;
    return add_one(d, doc, 0, 0.0);
}

tm_error tm_deduper_skip(tm_deduper *d) {
    if (!d) return TM_ERR_ARG;
    tm_error e = can_add(d);
    if (e) return e;
    d->next++;
    return TM_OK;
}

uint64_t tm_deduper_count(const tm_deduper *d) {
    return d ? d->next : 0;
}

/* The decisions over everything filed: exact groups, near pairs, the keep
 * decisions and clusters, paragraphs; then the tables pass 2 reads. */
tm_error tmi_dd_decide(dctx *c) {
    tm_error e;
    if (c->sh_file && fflush(c->sh_file)) return TM_ERR_IO;
    if (c->sig_file && fflush(c->sig_file)) return TM_ERR_IO;
    c->ds->index_bytes = (uint64_t)c->cap_slots * (sizeof(dinfo) + 4) + (uint64_t)c->sigs_cap * 4 +
                         (c->sh_file ? (uint64_t)c->cap_slots * 12 : 0) +
                         tmi_dfsketch_bytes(c->df) +
                         24 * (tmi_xsort_count(c->xs_band) + tmi_xsort_count(c->xs_exact) +
                               tmi_xsort_count(c->xs_para));
    if ((e = tmi_keeper_new(&c->keeper, c->n_slots, c->mem, c->tmp_dir))) return e;
    if (c->do_exact && (e = tmi_dd_decide_exact(c))) return e;
    if (c->do_near && (e = tmi_dd_decide_near(c))) return e;
    if ((e = tmi_dd_decide_clusters(c))) return e;
    if (c->do_para && (e = tmi_dd_decide_paragraphs(c))) return e;
    if (c->n_rm) qsort(c->rm, c->n_rm, sizeof *c->rm, tmi_dd_cmp_rment);
    return tmi_dd_load_ids(c);
}

tm_error tm_deduper_finish(tm_deduper *d) {
    if (!d) return TM_ERR_ARG;
    if (d->err) return d->err;
    if (d->finished) return TM_ERR_ARG;
    tm_error e = tmi_dd_decide(&d->c);
    if (e) {
        d->err = e;
        return e;
    }
    d->finished = 1;
    return TM_OK;
}

const tm_dedup_stats *tm_deduper_stats(const tm_deduper *d) {
    return d ? &d->st : NULL;
}

/* ---- reading the decisions ---- */

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

const idref *tmi_dd_id_of(const dctx *c, uint32_t index) {
    return find_index(c->ids, c->n_ids, sizeof *c->ids, index);
}

const rment *tmi_dd_rm_of(const dctx *c, uint32_t index) {
    return find_index(c->rm, c->n_rm, sizeof *c->rm, index);
}

size_t tmi_dd_lines_of(const dctx *c, uint32_t index, size_t *first) {
    size_t lo = 0, hi = c->n_lr;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->lr[mid].doc < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < c->n_lr && c->lr[k].doc == index) k++;
    *first = lo;
    return k - lo;
}

static const char *rule_name(int rule) {
    return rule == TM_RULE_EXACT     ? "exact"
           : rule == TM_RULE_JACCARD ? "jaccard"
           : rule == TM_RULE_ALIGNED ? "aligned"
                                     : "containment";
}

void tmi_dd_decision(const dctx *c, uint32_t i, tm_dedup_decision *o) {
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->duplicate_of = UINT64_MAX;
    o->cluster = -1;
    if (i >= c->n_slots || !(c->di[i].flags & DF_PRESENT)) {
        o->fate = TM_DEDUP_SKIPPED;
        return;
    }
    const dinfo *di = &c->di[i];
    o->shingles = di->n_set;
    o->chars = di->chars;
    const rment *r = tmi_dd_rm_of(c, i);
    if (!r || r->kind == RK_PARA) {
        /* The kept document of a cluster leads it even when paragraph
         * dedup then removes it as too short (the clusters file says
         * "kept"): the two decisions are independent. */
        uint32_t cl = c->cluster_of ? c->cluster_of[i] : UINT32_MAX;
        if (cl != UINT32_MAX) {
            o->cluster = cl;
            o->similarity = 1.0;
        }
    }
    if (!r) {
        size_t first;
        size_t n = tmi_dd_lines_of(c, i, &first);
        o->lines_removed = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
        return;
    }
    o->removed = 1;
    if (r->kind == RK_PARA) {
        o->fate = TM_DEDUP_PARAGRAPHS;
        o->reason = "dedup.paragraphs";
        o->chars = r->extra;
        return;
    }
    o->fate = r->kind == RK_EXACT ? TM_DEDUP_EXACT : TM_DEDUP_NEAR;
    o->reason = r->kind == RK_EXACT ? "dedup.exact" : "dedup.near";
    o->rule = rule_name(r->rule);
    o->duplicate_of = r->kept;
    const idref *id = tmi_dd_id_of(c, r->kept);
    if (id) o->duplicate_of_id = (tm_str){c->idpool.data ? c->idpool.data + id->off : "", id->len};
    o->cluster = r->cluster;
    o->similarity = r->sim;
    o->containment = r->cont;
    o->kept_shingles = c->di[r->kept].n_set;
    o->kept_chars = r->extra;
    if (c->d->verify == TM_VERIFY_ALIGNED) {
        o->aligned = 1;
        o->coverage = r->cov;
        o->kept_coverage = r->kept_cov;
        o->gap = r->gap;
        o->kept_gap = r->kept_gap;
    }
}

tm_error tm_deduper_decision(const tm_deduper *d, uint64_t i, tm_dedup_decision *out) {
    if (!d || !out || out->size < offsetof(tm_dedup_decision, lines_removed) + sizeof(uint32_t))
        return TM_ERR_ARG;
    if (d->err) return d->err;
    if (!d->finished || i >= d->next) return TM_ERR_ARG;
    tm_dedup_decision full;
    tmi_dd_decision(&d->c, (uint32_t)i, &full);
    size_t n = out->size < sizeof full ? out->size : sizeof full;
    memcpy((char *)out + sizeof full.size, (const char *)&full + sizeof full.size,
           n - sizeof full.size);
    return TM_OK;
}

tm_error tm_deduper_lines(const tm_deduper *d, uint64_t i, uint32_t *lines, size_t cap, size_t *n) {
    if (!d || !n || (!lines && cap)) return TM_ERR_ARG;
    *n = 0;
    if (d->err) return d->err;
    if (!d->finished || i >= d->next) return TM_ERR_ARG;
    size_t first;
    *n = tmi_dd_lines_of(&d->c, (uint32_t)i, &first);
    for (size_t k = 0; k < *n && k < cap; k++) lines[k] = d->c.lr[first + k].line;
    return TM_OK;
}

/* Appends text less the lines removed from document idx (each with the LF
 * that joined it to its neighbour); lines is the caller's scratch. */
tm_error tmi_dd_apply_lines(const dctx *c, uint32_t idx, const char *t, size_t len, tm_spans *lines,
                            tm_buf *out, size_t *n_removed) {
    size_t lo;
    size_t n = tmi_dd_lines_of(c, idx, &lo);
    *n_removed = 0;
    if (!t) t = "";
    if (!n) return tmi_buf_append(out, t, len);
    tm_error e = tmi_split_lf(t, len, lines);
    if (e) return e;
    size_t k = lo, end = lo + n, kept_pieces = 0;
    for (size_t i = 0; i < lines->n; i++) {
        if (k < end && c->lr[k].line == i) {
            k++;
            (*n_removed)++;
            continue;
        }
        if (kept_pieces++ && (e = tmi_buf_putc(out, '\n'))) return e;
        if ((e = tmi_buf_append(out, t + lines->v[i].beg, lines->v[i].end - lines->v[i].beg)))
            return e;
    }
    return TM_OK;
}

tm_error tm_deduper_apply(const tm_deduper *d, uint64_t i, const char *text, size_t len,
                          tm_buf *out) {
    if (!d || !out || (!text && len)) return TM_ERR_ARG;
    if (d->err) return d->err;
    if (!d->finished || i >= d->next) return TM_ERR_ARG;
    tm_spans lines = {0};
    size_t n;
    tm_error e = tmi_dd_apply_lines(&d->c, (uint32_t)i, text, len, &lines, out, &n);
    tmi_spans_free(&lines);
    return e;
}
