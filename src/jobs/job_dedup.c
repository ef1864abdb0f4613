/*
 * job_dedup.c — `tamis dedup`: exact, MinHash-LSH and paragraph deduplication of a
 * whole corpus in two streaming passes with bounded memory.
 *
 * Pass 1 (pipeline workers): each document is normalised once and reduced to
 * a fixed binary record — its 128-bit exact key, its MinHash signature, the
 * hashes of its long lines, its length and score — that consume() receives
 * on the calling thread in input order and files into external sorters
 * (xsort.c): exact keys, LSH band keys (band, hash, doc), paragraph keys.
 * Signatures stay in memory up to half of --memory, then go to a file.
 *
 * Decisions (verdicts.c; calling thread, deterministic): equal exact keys
 * are grouped; documents that share a band key become candidate pairs (each
 * member of a bucket is paired with the bucket's first member and with the
 * TM_BUCKET_WINDOW members before it, so a huge bucket costs linear work);
 * candidate pairs are themselves sorted and deduplicated, then each is
 * verified — Jaccard estimated from the full signatures, or recomputed from
 * the stored shingle sets with --verify exact — before it becomes an
 * accepted pair. A band collision alone never removes a document. The keep
 * decisions over the accepted pairs (decide.c) remove a document only as a
 * verified copy of a document that stays; a kept document and its removed
 * copies are a cluster, numbered in order of its first member. Paragraph
 * keys are grouped last, ignoring the documents already removed: the first
 * document (in input order) that has a line keeps it, later documents lose
 * it.
 *
 * Pass 2 (pipeline workers) re-reads the inputs and routes every document by
 * its index (rejected records consume an index too) to the output or the
 * removed file, using only read-only decision tables. Both passes read one
 * list fixed before pass 1, with copies of the inputs that cannot be read
 * twice (io/inputs.c); each pass keeps a per-input count and running hash of
 * the records it read, and pass 2 fails (TM_ERR_CHANGED) unless it read
 * exactly what pass 1 indexed. Rejects are written once, by pass 1 (so
 * that a FIFO given as --rejects is opened once, and a failed pass 2 still
 * leaves the record of what could not be read).
 *
 * Files: the decision state is the streaming handle of src/dedup
 * (deduper.c; pass 1's per-document work in pass1.c, the decisions in
 * verdicts.c, decide.c and paragraphs.c); the clusters file and pass 2 are
 * dedup_route.c; this file runs the job's two passes over the handle.
 *
 * Every choice depends on input order and content only, never on thread
 * scheduling or the memory budget, so the output is byte-identical for any
 * --threads and --memory (both are tested).
 */
#include "dedup/dedup_int.h"

#include "io/io.h"
#include "engine/pipeline.h"
#include "util/buf.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- the job: a file driver over the handle (deduper.c) ---- */

tm_error tm_job_dedup(const tm_job_opts *o_in, const tm_dedup_opts *d, tm_dedup_stats *ds) {
    tm_job_opts o_copy;
    tm_job_opts_init(&o_copy);
    TM_TRY(tmi_opts_in(&o_copy, sizeof o_copy, o_in, "tm_job_dedup"));
    const tm_job_opts *o = &o_copy;
    tmi_detail_clear();
    memset(ds, 0, sizeof *ds);
    if (!o || !d) return TM_ERR_ARG;
    tm_deduper *dd = NULL;
    tm_error e = tm_deduper_new(&dd, d);
    if (e) return e;
    dctx *c = tmi_dd_ctx(dd);
    c->dopt.clusters = d->clusters; /* the handle leaves them out */
    int ran2 = 0;
    ds->bands = c->bands;
    ds->rows = c->rows;
    tm_inputs fixed = {0};      /* the files both passes read */
    tm_input_digest *dg = NULL; /* what each pass read of each: 2 x n */
    tm_job_opts o1 = *o;
    tm_stats st1 = {0}, st2 = {0};
    /* Both passes read one list, fixed now: directories are walked once,
     * and what cannot be read twice (stdin, pipes, FIFOs, /dev/fd/N) is
     * copied once to tmp_dir, keeping its name (io/inputs.c). */
    if (!o->inputs && o->n_inputs) {
        e = TM_ERR_ARG;
        goto done;
    }
    char spool_err[TM_DETAIL_MAX] = "";
    if ((e = tmi_inputs_expand(&fixed, o->inputs, o->n_inputs)) ||
        (e = tmi_inputs_spool(&fixed, c->tmp_dir, spool_err, sizeof spool_err))) {
        if (spool_err[0]) tmi_detail_set("%s", spool_err);
        goto done;
    }
    if (!(dg = calloc(2 * fixed.n + 1, sizeof *dg))) {
        e = TM_ERR_NOMEM;
        goto done;
    }

    /* Pass 1: the workers reduce each document to its record, the calling
     * thread files it in the handle under the document's index (rejected
     * records consume one, as tm_deduper_skip does). */
    tm_pjob j1 = {.opts = &o1,
                  .n_sinks = 1,
                  .ctx = c,
                  .worker_new = tmi_dd_w_new,
                  .worker_free = tmi_dd_w_free,
                  .process = tmi_dd_p1_process,
                  .consume = tmi_dd_p1_consume,
                  .count_as_written = 1,
                  .no_output = 1,
                  .input_list = &fixed,
                  .digests = dg};
    if ((e = tmi_pipeline_run(&j1, &st1))) goto done;

    /* Decisions, in input order: what tm_deduper_finish takes. */
    if ((e = tmi_dd_decide(c))) goto done;

    /* Pass 2: route every document as tmi_dd_decision says. */
    tm_pjob j2 = {.opts = &o1,
                  .n_sinks = 2,
                  .ctx = c,
                  .worker_new = tmi_dd_w_new,
                  .worker_free = tmi_dd_w_free,
                  .process = tmi_dd_p2_process,
                  .input_list = &fixed,
                  .digests = dg + fixed.n,
                  .expect = dg,
                  .discard_rejects = 1};
    e = tmi_pipeline_run(&j2, &st2);
    ran2 = 1;
    /* The ledger counts what pass 1 indexed: it cannot balance when pass 2
     * read anything else (which also fails the job, TM_ERR_CHANGED). */
    ds->pass1_read = st1.read;
    ds->pass2_read = st2.read;
    if (!e && ds->pass2_read != ds->pass1_read) e = TM_ERR_CHANGED;
    /* Clusters only once pass 2 has confirmed the inputs: a job that fails
     * there publishes no clusters file either. */
    if (!e && d->clusters) e = tmi_dd_write_clusters(c);

done:;
    uint64_t p1 = ds->pass1_read, p2 = ds->pass2_read;
    *ds = *tm_deduper_stats(dd);
    ds->pass1_read = p1;
    ds->pass2_read = p2;
    if (ran2) {
        ds->ledger = st2;
        ds->ledger.read = st1.read;
    }
    tmi_inputs_free(&fixed);
    free(dg);
    tm_deduper_free(dd);
    return e;
}

tm_error tm_dedup_stats_to_json(const tm_dedup_stats *s, tm_buf *out) {
    struct {
        const char *k;
        uint64_t v;
    } f[] = {{"docs", s->docs},
             {"exact_removed", s->exact_removed},
             {"near_removed", s->near_removed},
             {"paragraph_docs_removed", s->paragraph_docs_removed},
             {"paragraphs_removed", s->paragraphs_removed},
             {"docs_edited", s->docs_edited},
             {"clusters", s->clusters},
             {"candidate_pairs", s->candidate_pairs},
             {"verified_pairs", s->verified_pairs},
             {"rejected_pairs", s->rejected_pairs},
             {"containment_pairs", s->containment_pairs},
             {"judged_pairs", s->judged_pairs},
             {"chain_kept", s->chain_kept},
             {"spill_runs", s->spill_runs},
             {"bands", (uint64_t)s->bands},
             {"rows", (uint64_t)s->rows},
             {"index_bytes", s->index_bytes},
             {"pass1_read", s->pass1_read},
             {"pass2_read", s->pass2_read}};
    tm_error e = tmi_buf_putc(out, '{');
    for (size_t i = 0; i < sizeof f / sizeof *f && !e; i++) {
        e = tmi_json_key(out, f[i].k, i > 0);
        TM_THEN(e, tmi_json_u64(out, f[i].v));
    }
    TM_THEN(e, tmi_json_key(out, "ledger", 1));
    TM_THEN(e, tm_stats_to_json(&s->ledger, out));
    TM_THEN(e, tmi_buf_putc(out, '}'));
    return e;
}
