/*
 * pipeline.c — the ordered parallel map behind every job.
 *
 * Design (see pipeline.h): the calling thread frames records into batches
 * (decompression and record cutting are sequential by nature); a fixed pool
 * of worker threads parses and processes whole batches; finished batches are
 * written strictly in sequence order by the calling thread. A ring of
 * 2 x threads + 1 batch slots bounds memory and keeps both cores busy while
 * the writer waits for the oldest batch. With one thread everything runs
 * inline, which is also the reference the multi-threaded output must equal
 * byte for byte.
 *
 * Records over max_doc_bytes arrive as spill files; they are written to the
 * rejects file directly after every earlier batch has been flushed, so the
 * rejects file stays in input order too.
 */
#include "engine/pipeline.h"

#include "io/io.h"
#include "text/text.h"
#include "util/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#define TM_MAX_THREADS TM_THREADS_MAX

/* One framed record inside a batch: bytes live in the batch arena. */
typedef struct brec {
    size_t off, len;
    const char *source;
    uint64_t line, offset, index;
    size_t input;  /* position in the reader's list */
    uint64_t hash; /* XXH3-64 of the bytes, when the job wants digests */
    tm_format format;
    int err;
    char detail[160];
} brec;

typedef enum { SLOT_FREE, SLOT_READY, SLOT_BUSY, SLOT_DONE } slot_state;

typedef struct batch {
    uint64_t seq;
    slot_state state; /* guarded by run.mu when threads > 1 */
    int inflight;     /* touched by the calling thread only */
    tm_buf arena;
    brec *recs;
    size_t n, cap;
    tm_buf sinks[TM_MAX_SINKS];
    tm_buf rejects;
    tm_stats st;
    size_t n_docs; /* parsed documents handed to process() */
    tm_error err;
    char errdetail[256];
} batch;

typedef struct worker {
    void *ws;
    tm_parse_scratch sc;
} worker;

typedef struct run {
    tm_pjob *job;
    const tm_job_opts *o;
    int threads;
    batch *slots;
    size_t n_slots;
    pthread_mutex_t mu;
    pthread_cond_t cv_work; /* a slot became READY, or stop */
    pthread_cond_t cv_done; /* a slot became DONE */
    int stop;
    tm_writer *out[TM_MAX_SINKS];
    tm_writer *rejects;
    char rejects_path[4096];
    uint64_t rejects_seen; /* reject lines written so far, in input order */
} run;

void tm_job_opts_init(tm_job_opts *o) {
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    tm_reader_opts_init(&o->reader);
}

int tmi_pipeline_threads(int requested) {
    if (requested > 0) return requested > TM_MAX_THREADS ? TM_MAX_THREADS : requested;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    return n > TM_MAX_THREADS ? TM_MAX_THREADS : (int)n;
}

void tm_job_rejects_path(const tm_job_opts *o_in, char *out, size_t size) {
    tm_job_opts o_copy;
    tm_job_opts_init(&o_copy);
    if (tmi_opts_in(&o_copy, sizeof o_copy, o_in, "tm_job_rejects_path")) {
        if (size) out[0] = '\0';
        return;
    }
    const tm_job_opts *o = &o_copy;
    if (o->rejects && *o->rejects)
        snprintf(out, size, "%s", o->rejects);
    else if (o->output && !tmi_writer_in_place(o->output))
        /* beside a regular output; never "/dev/null.rejects.jsonl" */
        snprintf(out, size, "%s.rejects.jsonl", o->output);
    else
        snprintf(out, size, "tamis-rejects.jsonl");
}

/* ---- processing one batch (worker side) ---- */

static void process_batch(run *R, worker *w, batch *b) {
    tm_pjob *job = R->job;
    char detail[256];
    for (size_t i = 0; i < b->n && !b->err; i++) {
        brec *r = &b->recs[i];
        tm_raw raw = {0};
        raw.data = b->arena.data + r->off;
        raw.len = r->len;
        raw.source = r->source;
        raw.line = r->line;
        raw.offset = r->offset;
        raw.index = r->index;
        raw.format = r->format;
        raw.err = r->err;
        memcpy(raw.detail, r->detail, sizeof raw.detail);
        if (job->digests) r->hash = XXH3_64bits(raw.data, raw.len);
        tm_doc doc;
        int err = r->err;
        const char *why = r->detail;
        if (!err) {
            detail[0] = '\0';
            err = tmi_parse_raw(&raw, &R->o->reader, &doc, &w->sc, detail, sizeof detail);
            why = detail;
        }
        if (err == TM_ERR_NOMEM) {
            b->err = TM_ERR_NOMEM;
            break;
        }
        if (err) {
            /* A record we cannot read: verbatim to the rejects file. */
            if (r->err) {
                memset(&doc, 0, sizeof doc);
                doc.raw.ptr = raw.data;
                doc.raw.len = raw.len;
                doc.source.ptr = raw.source;
                doc.source.len = strlen(raw.source);
                doc.line = raw.line;
                doc.offset = raw.offset;
                doc.index = raw.index;
                doc.format = raw.format;
            }
            if (tm_reject_to_jsonl(&doc, err, why, &b->rejects)) {
                b->err = TM_ERR_NOMEM;
                break;
            }
            b->st.rejected++;
            if (-err > 0 && -err < TM_REJECT_KINDS) b->st.rejected_by[-err]++;
            continue;
        }
        b->n_docs++;
        b->st.text_bytes += doc.text.len;
        b->st.empty_docs += (uint64_t)!tmi_has_nonspace(doc.text.ptr, doc.text.len);
        if (job->count_as_written) b->st.written++;
        if (job->process) {
            uint64_t before = b->st.written + b->st.removed;
            tm_error e = job->process(w->ws, &doc, b->sinks, &b->st);
            if (e) {
                b->err = e;
                snprintf(b->errdetail, sizeof b->errdetail, "%s:%llu: %s", raw.source,
                         (unsigned long long)raw.line, tm_strerror(e));
                break;
            }
            if (!job->count_as_written && b->st.written + b->st.removed != before + 1) {
                b->err = TM_ERR_LEDGER;
                snprintf(b->errdetail, sizeof b->errdetail,
                         "job did not account for record %llu exactly once",
                         (unsigned long long)raw.index);
                break;
            }
        }
    }
}

static void *worker_main(void *arg) {
    void **pair = arg;
    run *R = pair[0];
    worker *w = pair[1];
    pthread_mutex_lock(&R->mu);
    for (;;) {
        batch *pick = NULL;
        for (size_t i = 0; i < R->n_slots; i++) {
            batch *b = &R->slots[i];
            if (b->state == SLOT_READY && (!pick || b->seq < pick->seq)) pick = b;
        }
        if (!pick) {
            if (R->stop) break;
            pthread_cond_wait(&R->cv_work, &R->mu);
            continue;
        }
        pick->state = SLOT_BUSY;
        pthread_mutex_unlock(&R->mu);
        process_batch(R, w, pick);
        pthread_mutex_lock(&R->mu);
        pick->state = SLOT_DONE;
        pthread_cond_broadcast(&R->cv_done);
    }
    pthread_mutex_unlock(&R->mu);
    return NULL;
}

/* ---- writing finished batches (calling thread) ---- */

/* One record into its input's digest (see tm_input_digest). */
static void digest_fold(tm_input_digest *d, uint64_t offset, uint64_t line, uint64_t len, int err,
                        uint64_t hash) {
    uint64_t t[5] = {offset, line, len, (uint64_t)(int64_t)err, hash};
    d->records++;
    d->hash = XXH3_64bits_withSeed(t, sizeof t, d->hash);
}

/* XXH3-64 of a spilled (oversize) record: the whole spill file. */
static tm_error spill_hash(const tm_raw *raw, uint64_t *out) {
    XXH3_state_t *st = XXH3_createState();
    char *buf = malloc(1 << 16);
    tm_error e = st && buf ? TM_OK : TM_ERR_NOMEM;
    if (!e) XXH3_64bits_reset(st);
    if (!e && fseek(raw->spill, 0, SEEK_SET) != 0) e = TM_ERR_IO;
    size_t n;
    while (!e && (n = fread(buf, 1, 1 << 16, raw->spill)) > 0) XXH3_64bits_update(st, buf, n);
    if (!e && ferror(raw->spill)) e = TM_ERR_IO;
    if (!e) *out = XXH3_64bits_digest(st);
    if (!e && fseek(raw->spill, 0, SEEK_SET) != 0) e = TM_ERR_IO;
    free(buf);
    XXH3_freeState(st);
    return e;
}

/* The second pass of a two-pass job against the first: the first input
 * that differs fails the job, with what each pass read. */
static tm_error check_digests(const tm_pjob *job, int input_err) {
    const struct tm_inputs *l = job->input_list;
    for (size_t i = 0; i < l->n; i++) {
        const tm_input_digest *a = &job->expect[i], *b = &job->digests[i];
        if (a->records == b->records && a->hash == b->hash) continue;
        char why[320] = "";
        if (input_err && *tm_error_detail()) snprintf(why, sizeof why, " (%s)", tm_error_detail());
        const char *name = tmi_input_name(&l->v[i]);
        if (a->records == b->records)
            tmi_detail_set("%s: pass 1 and pass 2 read %llu records each, not the same bytes%s",
                           name, (unsigned long long)a->records, why);
        else
            tmi_detail_set("%s: pass 1 read %llu records, pass 2 read %llu%s", name,
                           (unsigned long long)a->records, (unsigned long long)b->records, why);
        return TM_ERR_CHANGED;
    }
    return TM_OK;
}

static void stats_add(tm_stats *a, const tm_stats *b) {
    a->read += b->read;
    a->written += b->written;
    a->removed += b->removed;
    a->rejected += b->rejected;
    for (int i = 0; i < TM_REJECT_KINDS; i++) a->rejected_by[i] += b->rejected_by[i];
    a->skipped_records += b->skipped_records;
    a->bytes_in += b->bytes_in;
    a->text_bytes += b->text_bytes;
    a->chars += b->chars;
    a->words += b->words;
    a->lines += b->lines;
    a->empty_docs += b->empty_docs;
    a->invalid_utf8 += b->invalid_utf8;
    a->nul_bytes += b->nul_bytes;
}

static tm_error open_rejects(run *R) {
    if (R->rejects) return TM_OK;
    tm_job_rejects_path(R->o, R->rejects_path, sizeof R->rejects_path);
    tm_error e = tm_writer_open_lazy(&R->rejects, R->rejects_path);
    if (e && e != TM_ERR_NOMEM) tmi_detail_set("cannot open rejects file %s", R->rejects_path);
    return e;
}

/* Whether the reject number k (0-based, input order) keeps its raw record:
 * the first o->rejects_keep (default TM_REJECTS_KEEP), then one in
 * TM_REJECTS_SAMPLE. A wrong --text-field rejects every record of a corpus;
 * copying them all would double it on disk and tell no more. */
#define TM_REJECTS_KEEP   100
#define TM_REJECTS_SAMPLE 100
static int reject_keeps_raw(const run *R, uint64_t k) {
    long keep = R->o->rejects_keep;
    if (keep < 0) return 1;
    uint64_t n = keep ? (uint64_t)keep : TM_REJECTS_KEEP;
    return k < n || (k - n + 1) % TM_REJECTS_SAMPLE == 0;
}

/* Writes reject lines (each ending with '\n') with the sampling above; a
 * line past the sample loses its "raw"/"raw_base64" member (always the
 * last one; no unescaped quote can occur inside a JSON string, so the
 * first match is the member) and says "raw_omitted":true. */
static tm_error put_rejects(run *R, const char *s, size_t n) {
    tm_error e = open_rejects(R);
    const char *end = s + n;
    while (!e && s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);
        const char *cut = NULL;
        if (!reject_keeps_raw(R, R->rejects_seen++)) {
            cut = memmem(s, len, ",\"raw\":", 7);
            if (!cut) cut = memmem(s, len, ",\"raw_base64\":", 14);
        }
        if (!cut) {
            e = tm_writer_write(R->rejects, s, len);
        } else {
            static const char omit[] = ",\"raw_omitted\":true}\n";
            e = tm_writer_write(R->rejects, s, (size_t)(cut - s));
            TM_THEN(e, tm_writer_write(R->rejects, omit, sizeof omit - 1));
        }
        s += len;
    }
    if (e && e != TM_ERR_NOMEM)
        tmi_detail_set("cannot write rejects file %s: %s", R->rejects_path,
                       errno ? strerror(errno) : tm_strerror(e));
    return e;
}

static tm_error flush_batch(run *R, batch *b, tm_stats *total) {
    tm_pjob *job = R->job;
    tm_error e = b->err;
    if (e) {
        /* the worker's message, on the calling thread (tm_error_detail) */
        if (b->errdetail[0]) tmi_detail_set("%s", b->errdetail);
        return e;
    }
    if (job->digests)
        for (size_t i = 0; i < b->n; i++) {
            const brec *r = &b->recs[i];
            digest_fold(&job->digests[r->input], r->offset, r->line, r->len, r->err, r->hash);
        }
    if (job->consume) {
        e = job->consume(job->ctx, b->sinks, b->n_docs);
        if (e) return e;
    } else {
        for (size_t k = 0; k < job->n_sinks && k < 2; k++)
            if (R->out[k] && b->sinks[k].len &&
                (e = tm_writer_write(R->out[k], b->sinks[k].data, b->sinks[k].len)))
                return e;
    }
    if (b->rejects.len && !job->discard_rejects) {
        if ((e = put_rejects(R, b->rejects.data, b->rejects.len))) return e;
    }
    stats_add(total, &b->st);
    return TM_OK;
}

static void batch_reset(batch *b) {
    tmi_buf_reset(&b->arena);
    for (int k = 0; k < TM_MAX_SINKS; k++) tmi_buf_reset(&b->sinks[k]);
    tmi_buf_reset(&b->rejects);
    memset(&b->st, 0, sizeof b->st);
    b->n = 0;
    b->n_docs = 0;
    b->err = TM_OK;
    b->errdetail[0] = '\0';
    b->inflight = 0;
}

static void batch_free(batch *b) {
    tm_buf_free(&b->arena);
    for (int k = 0; k < TM_MAX_SINKS; k++) tm_buf_free(&b->sinks[k]);
    tm_buf_free(&b->rejects);
    free(b->recs);
}

static tm_error batch_add(batch *b, const tm_raw *raw) {
    tm_error e = TM_GROW(b->recs, b->cap, b->n + 1, 0);
    if (e) return e;
    brec *r = &b->recs[b->n];
    r->off = b->arena.len;
    r->len = raw->len;
    if (tmi_buf_append(&b->arena, raw->data, raw->len)) return TM_ERR_NOMEM;
    r->source = raw->source;
    r->line = raw->line;
    r->offset = raw->offset;
    r->index = raw->index;
    r->input = raw->input;
    r->hash = 0;
    r->format = raw->format;
    r->err = raw->err;
    memcpy(r->detail, raw->detail, sizeof r->detail);
    b->n++;
    b->st.read++;
    return TM_OK;
}

/* Hands a filled batch to the workers (or, inline, to retire_oldest). */
static void submit(run *R, batch *b) {
    b->inflight = 1;
    if (R->threads > 1) {
        pthread_mutex_lock(&R->mu);
        b->state = SLOT_READY;
        pthread_cond_signal(&R->cv_work);
        pthread_mutex_unlock(&R->mu);
    } else {
        b->state = SLOT_READY;
    }
}

/* Oldest slot in flight (lowest seq not FREE), or NULL. */
static batch *oldest(run *R) {
    batch *o = NULL;
    for (size_t i = 0; i < R->n_slots; i++) {
        batch *b = &R->slots[i];
        if (b->inflight && (!o || b->seq < o->seq)) o = b;
    }
    return o;
}

/* Waits for the oldest in-flight batch, writes it and frees its slot. */
static tm_error retire_oldest(run *R, tm_stats *total, worker *inline_w) {
    batch *b = oldest(R);
    if (!b) return TM_OK;
    if (R->threads == 1) {
        if (b->state == SLOT_READY) process_batch(R, inline_w, b);
    } else {
        pthread_mutex_lock(&R->mu);
        while (b->state != SLOT_DONE) pthread_cond_wait(&R->cv_done, &R->mu);
        pthread_mutex_unlock(&R->mu);
    }
    tm_error e = flush_batch(R, b, total);
    batch_reset(b);
    if (R->threads > 1) pthread_mutex_lock(&R->mu);
    b->state = SLOT_FREE;
    if (R->threads > 1) pthread_mutex_unlock(&R->mu);
    return e;
}

static tm_error retire_all(run *R, tm_stats *total, worker *inline_w) {
    tm_error first = TM_OK;
    while (oldest(R)) {
        tm_error e = retire_oldest(R, total, inline_w);
        if (e && !first) first = e;
    }
    return first;
}

static batch *free_slot(run *R) {
    for (size_t i = 0; i < R->n_slots; i++)
        if (!R->slots[i].inflight) return &R->slots[i];
    return NULL;
}

tm_error tmi_pipeline_run(tm_pjob *job, tm_stats *total) {
    const tm_job_opts *o = job->opts;
    tmi_detail_clear();
    run R;
    memset(&R, 0, sizeof R);
    R.job = job;
    R.o = o;
    R.threads = tmi_pipeline_threads(o->threads);
    R.n_slots = (size_t)(R.threads == 1 ? 1 : 2 * R.threads + 1);
    /* 1 MiB batches: the bytes the framing thread copies in are still in
     * cache when a worker parses them, and the 2 x threads + 1 slots touch
     * little fresh memory; 4 MiB cost a third more CPU on `cat`. */
    size_t batch_bytes = o->batch_bytes ? o->batch_bytes : (size_t)1 << 20;
    if (job->n_sinks < 1 || job->n_sinks > TM_MAX_SINKS) return TM_ERR_ARG;
    if ((job->digests || job->expect) && (!job->input_list || !job->digests)) return TM_ERR_ARG;

    tm_error err = TM_OK, input_err = TM_OK;
    tm_reader *rd = NULL;
    worker *workers = NULL;
    pthread_t *tids = NULL;
    void **pairs = NULL;
    int started = 0;
    uint64_t seq = 0;

    R.slots = calloc(R.n_slots, sizeof *R.slots);
    workers = calloc((size_t)R.threads, sizeof *workers);
    if (!R.slots || !workers) {
        err = TM_ERR_NOMEM;
        goto done;
    }
    for (int t = 0; t < R.threads; t++) {
        workers[t].ws = job->worker_new ? job->worker_new(job->ctx) : NULL;
        if (job->worker_new && !workers[t].ws) {
            err = TM_ERR_NOMEM;
            goto done;
        }
    }
    if ((err = job->input_list ? tmi_reader_open_list(&rd, job->input_list, &o->reader)
                               : tm_reader_open(&rd, o->inputs, o->n_inputs, &o->reader))) {
        /* out of memory says it all; "cannot open inputs" would mislead */
        if (err != TM_ERR_NOMEM) tmi_detail_set("cannot open inputs");
        goto done;
    }
    /* A pass begins at 0 bytes: a job that reads its inputs twice (dedup)
     * shows its second pass by this drop, even when one batch holds all. */
    if (o->progress) o->progress(o->progress_ud, 0, 0, tm_reader_bytes_total(rd));
    if (!job->no_output && !job->consume) {
        const char *paths[2] = {o->output ? o->output : "-", o->removed};
        for (size_t k = 0; k < job->n_sinks && k < 2; k++) {
            if (!paths[k]) continue;
            int level = k ? o->removed_level : o->output_level;
            if ((err = tm_writer_open_level(&R.out[k], paths[k], level))) {
                tmi_detail_set("cannot open output %s: %s", paths[k], strerror(errno));
                goto done;
            }
        }
    }
    if (R.threads > 1) {
        pthread_mutex_init(&R.mu, NULL);
        pthread_cond_init(&R.cv_work, NULL);
        pthread_cond_init(&R.cv_done, NULL);
        tids = calloc((size_t)R.threads, sizeof *tids);
        pairs = calloc((size_t)R.threads * 2, sizeof *pairs);
        if (!tids || !pairs) {
            err = TM_ERR_NOMEM;
            goto done;
        }
        for (int t = 0; t < R.threads; t++) {
            pairs[2 * t] = &R;
            pairs[2 * t + 1] = &workers[t];
            if (pthread_create(&tids[t], NULL, worker_main, &pairs[2 * t]) != 0) {
                err = TM_ERR_INTERNAL;
                goto done;
            }
            started++;
        }
    }

    batch *cur = NULL;
    uint64_t last_skipped = 0;
    for (;;) {
        if (!cur) {
            while (!(cur = free_slot(&R)))
                if ((err = retire_oldest(&R, total, &workers[0]))) goto done;
            cur->seq = seq++;
        }
        tm_raw raw;
        tm_error e = tmi_reader_next_raw(rd, &raw);
        if (e == TM_EOF) break;
        if (e == TM_ERR_OPEN || e == TM_ERR_IO) {
            /* A whole input is unreadable: say so, go on with the others,
             * and fail the job at the end. */
            if (!input_err) {
                input_err = e;
                tmi_detail_set("cannot read %s: %s", raw.source ? raw.source : "?",
                               raw.detail[0] ? raw.detail : tm_strerror(e));
            }
            continue;
        }
        if (e) {
            err = e;
            goto done;
        }
        if (raw.spill) {
            /* An oversize record: flush everything before it, then stream
             * it to the rejects file, keeping input order. */
            if (cur->n)
                submit(&R, cur);
            else
                seq--;
            cur = NULL;
            if ((err = retire_all(&R, total, &workers[0]))) goto done;
            if (job->digests) {
                uint64_t h = 0;
                if ((err = spill_hash(&raw, &h))) goto done;
                digest_fold(&job->digests[raw.input], raw.offset, raw.line, raw.spill_len, raw.err,
                            h);
            }
            if (!job->discard_rejects && reject_keeps_raw(&R, R.rejects_seen)) {
                R.rejects_seen++;
                if ((err = open_rejects(&R))) goto done;
                if ((err = tmi_reject_write_spill(R.rejects, &raw))) goto done;
            } else if (!job->discard_rejects) {
                /* past the sample: the line without the record */
                tm_doc d;
                memset(&d, 0, sizeof d);
                d.source =
                    (tm_str){raw.source ? raw.source : "", raw.source ? strlen(raw.source) : 0};
                d.line = raw.line;
                d.offset = raw.offset;
                tm_buf line = {0};
                err = tm_reject_to_jsonl(&d, raw.err ? raw.err : TM_ERR_TOO_BIG, raw.detail, &line);
                if (!err) err = put_rejects(&R, line.data, line.len);
                tm_buf_free(&line);
                if (err) goto done;
            }
            total->read++;
            total->rejected++;
            total->rejected_by[-TM_ERR_TOO_BIG]++;
            continue;
        }
        if ((err = batch_add(cur, &raw))) goto done;
        if (cur->arena.len >= batch_bytes || cur->n >= 65536) {
            uint64_t sk = tm_reader_skipped(rd);
            cur->st.skipped_records = sk - last_skipped;
            last_skipped = sk;
            submit(&R, cur);
            cur = NULL;
            if (o->progress)
                o->progress(o->progress_ud, total->read, tm_reader_bytes_in(rd),
                            tm_reader_bytes_total(rd));
        }
    }
    if (cur) {
        if (cur->n) {
            uint64_t sk = tm_reader_skipped(rd);
            cur->st.skipped_records = sk - last_skipped;
            last_skipped = sk;
            submit(&R, cur);
        }
        cur = NULL;
    }
    err = retire_all(&R, total, &workers[0]);
    total->skipped_records += tm_reader_skipped(rd) - last_skipped;
    total->bytes_in += tm_reader_bytes_in(rd);
    if (o->progress)
        o->progress(o->progress_ud, total->read, tm_reader_bytes_in(rd), tm_reader_bytes_total(rd));

done:
    /* A second pass that did not read what the first indexed fails before
     * anything is published. */
    if (!err && job->expect) err = check_digests(job, input_err);
    /* An unreadable input fails the job (after the others were read, so
     * every problem is reported in one run). */
    if (!err && input_err) err = input_err;
    if (started) {
        pthread_mutex_lock(&R.mu);
        R.stop = 1;
        pthread_cond_broadcast(&R.cv_work);
        pthread_mutex_unlock(&R.mu);
        for (int t = 0; t < started; t++) pthread_join(tids[t], NULL);
    }
    if (R.threads > 1 && tids) {
        pthread_mutex_destroy(&R.mu);
        pthread_cond_destroy(&R.cv_work);
        pthread_cond_destroy(&R.cv_done);
    }
    free(tids);
    free(pairs);
    /* Publish outputs only when the job succeeded; a failed job leaves no
     * file that looks finished, the rejects file included (a rerun writes
     * it again; an input that could not be read is named in the error). */
    for (int k = 0; k < TM_MAX_SINKS; k++) {
        if (!R.out[k]) continue;
        if (err) {
            tm_writer_abort(R.out[k]);
        } else {
            tm_error e = tm_writer_close(R.out[k]);
            if (e && !err) err = e;
        }
    }
    if (!R.rejects && rd && !job->discard_rejects) {
        /* No rejects: a rejects path written in place (a FIFO) is still
         * opened and closed once, so that its reader sees the end. */
        tm_job_rejects_path(o, R.rejects_path, sizeof R.rejects_path);
        if (tmi_writer_in_place(R.rejects_path)) tm_writer_open_lazy(&R.rejects, R.rejects_path);
    }
    if (R.rejects && err) {
        tm_writer_abort(R.rejects); /* a failed job leaves nothing behind */
    } else if (R.rejects) {
        errno = 0;
        tm_error e = tm_writer_close(R.rejects);
        if (e && !err) {
            err = e;
            tmi_detail_set("cannot write rejects file %s: %s", R.rejects_path,
                           errno ? strerror(errno) : tm_strerror(e));
        }
    }
    if (R.slots) {
        for (size_t i = 0; i < R.n_slots; i++) batch_free(&R.slots[i]);
        free(R.slots);
    }
    if (workers) {
        for (int t = 0; t < R.threads; t++) {
            if (job->worker_free && workers[t].ws) job->worker_free(workers[t].ws);
            tmi_parse_scratch_free(&workers[t].sc);
        }
        free(workers);
    }
    if (rd) tm_reader_close(rd);
    if (!err && total->read != total->written + total->removed + total->rejected) {
        err = TM_ERR_LEDGER;
        tmi_detail_set("ledger broken: read %llu != written %llu + removed %llu + rejected %llu",
                       (unsigned long long)total->read, (unsigned long long)total->written,
                       (unsigned long long)total->removed, (unsigned long long)total->rejected);
    }
    return err;
}
