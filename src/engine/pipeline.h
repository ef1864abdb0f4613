/*
 * pipeline.h — the ordered parallel map every job runs on.
 *
 * The calling thread frames raw records (io/) into batches of about
 * batch_bytes; worker threads parse each record and call the job's process()
 * on it, appending output bytes to the batch's sinks; the calling thread then
 * hands finished batches to the writers strictly in input order. Output is
 * therefore byte-identical whatever the number of threads, and memory is
 * bounded by (2 x threads + 1) batches.
 *
 * Unreadable records never reach process(): the pipeline writes them to the
 * rejects file itself (verbatim, with file, line and reason) and counts them,
 * so that every job gets "read = written + removed + rejected" for free as
 * long as process() counts each document it sees exactly once as written or
 * removed.
 */
#ifndef TM_PIPELINE_H
#define TM_PIPELINE_H

#include "tamis.h"

/* Sinks of a batch: index 0 goes to opts->output, 1 to opts->removed (when
 * set; otherwise its content is dropped). A job may declare up to
 * TM_MAX_SINKS sinks and route the extra ones itself via consume(). */
#define TM_MAX_SINKS 4
enum { TM_SINK_OUT = 0, TM_SINK_REMOVED = 1 };

/* What a pass read from one input: the number of records and a running
 * hash over each record's place (offset, line), length, framing error and
 * bytes (XXH3-64 of the bytes, chained in order). Two passes over the same
 * unchanged input give equal digests. */
typedef struct tm_input_digest {
    uint64_t records, hash;
} tm_input_digest;

struct tm_inputs;

typedef struct tm_pjob {
    const tm_job_opts *opts;
    size_t n_sinks; /* sinks used, 1..TM_MAX_SINKS */
    void *ctx;      /* job context, shared by all workers (read-only
                       while workers run, except through consume) */
    /* Per-worker state (scratch buffers, tokenizer spans...). May be NULL. */
    void *(*worker_new)(void *ctx);
    void (*worker_free)(void *ws);
    /* Runs on a worker thread for every parsed document of the batch, in
     * input order within the batch. Appends to sinks[0..n_sinks-1]; must
     * increment st->written or st->removed exactly once (or neither, when
     * the job writes nothing at all and sets count_as_written). Returning
     * an error aborts the job. */
    tm_error (*process)(void *ws, const tm_doc *doc, tm_buf *sinks, tm_stats *st);
    /* Optional: called on the calling thread in input order with a finished
     * batch's sinks instead of writing sinks 0 and 1 to the outputs. */
    tm_error (*consume)(void *ctx, tm_buf *sinks, size_t n_docs);
    int count_as_written; /* process() writes nothing: every parsed document
                             counts as written (used by `stats`) */
    int no_output;        /* do not open opts->output at all */
    /* Two-pass jobs (dedup). input_list: a fixed list (io.h) read instead
     * of opts->inputs. digests: input_list->n zeroed entries that each
     * record read is folded into. expect (with digests): the first pass's
     * digests; the job fails with TM_ERR_CHANGED, naming the input, before
     * any output is published, unless every input gave exactly these.
     * discard_rejects: rejected records are counted but not written (a
     * second pass: the first wrote the rejects file, once). */
    const struct tm_inputs *input_list;
    tm_input_digest *digests;
    const tm_input_digest *expect;
    int discard_rejects;
} tm_pjob;

/* Runs the job over opts->inputs. stats receives the totals (the caller may
 * zero it first; counts are added). Checks the ledger at the end. */
tm_error tmi_pipeline_run(tm_pjob *job, tm_stats *stats);

/* Number of worker threads for opts->threads (0 = online cores, capped). */
int tmi_pipeline_threads(int requested);

/* Content counters for one document (chars, words, lines, NUL,
 * invalid UTF-8) added to st; shared by `stats` and the report. */
void tmi_stats_add_content(tm_stats *st, const tm_doc *doc, void *tokenizer_spans);

#endif
