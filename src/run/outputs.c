/*
 * outputs.c — what `tamis run` leaves for the user to keep: removed/ in
 * its lean or ids form, and no second copy of the corpus under .tamis once
 * the run is finished.
 *
 * The filter runs with every rule's verdict on every document, because the
 * report's histograms need them; a removed document needs only the rule
 * that removed it, its value and threshold (or, for a duplicate, what it
 * duplicates and how closely). On a 201 MB news corpus the verdicts made
 * removed/dedup.jsonl 300 MB uncompressed. They stay in the work files the
 * summary reads, and go with them when the run is committed.
 */
#include "run/run_int.h"

#include "io/io.h"
#include "util/buf.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* {"id":ID,"stage":S,"reason":R,"evidence":{...}}: the document's "tamis"
 * object less what is not evidence of the removal. */
static tm_error id_line(const tm_doc *doc, const char *stage, tm_buf *out) {
    json_t *t = tm_doc_tamis(doc).len
                    ? json_loadb(tm_doc_tamis(doc).ptr, tm_doc_tamis(doc).len, 0, NULL)
                    : NULL;
    const char *reason = json_string_value(json_object_get(t, "removed_by"));
    tm_error e = tmi_buf_puts(out, "{\"id\":");
    TM_THEN(e, tmi_json_str(out, doc->id.ptr, doc->id.len));
    TM_THEN(e, tmi_buf_puts(out, ",\"stage\":"));
    TM_THEN(e, tmi_json_str(out, stage, strlen(stage)));
    TM_THEN(e, tmi_buf_puts(out, ",\"reason\":"));
    TM_THEN(e, reason ? tmi_json_str(out, reason, strlen(reason)) : tmi_buf_puts(out, "null"));
    TM_THEN(e, tmi_buf_puts(out, ",\"evidence\":"));
    if (!e) {
        static const char *const not_evidence[] = {"removed_by", "verdicts",   "edits",
                                                   "lang",       "lang_score", "quality"};
        json_t *ev = json_is_object(t) ? t : json_object();
        for (size_t k = 0; k < sizeof not_evidence / sizeof *not_evidence; k++)
            json_object_del(ev, not_evidence[k]);
        char *s = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII |
                                     JSON_REAL_PRECISION(15));
        e = s ? tmi_buf_puts(out, s) : TM_ERR_NOMEM;
        free(s);
        if (ev != t) json_decref(ev);
    }
    TM_THEN(e, tmi_buf_puts(out, "}\n"));
    json_decref(t);
    return e;
}

/* srcs (those that exist) to dst: id lines (ids), or the documents less
 * their verdicts (strip), or as they are. *unreadable is 1 with *bad the
 * record of a source that could not be read, 2 when the sources could not
 * be opened, 0 otherwise (then an error is the writer's). */
static tm_error rewrite(const char *const *srcs, size_t n, const char *dst, const char *stage,
                        int ids, int strip_verdicts, const tm_reader_opts *base, tm_doc *bad,
                        int *unreadable) {
    *unreadable = 0;
    const char **in = calloc(n ? n : 1, sizeof *in);
    if (!in) return TM_ERR_NOMEM;
    size_t n_in = 0;
    for (size_t i = 0; i < n; i++)
        if (access(srcs[i], F_OK) == 0) in[n_in++] = srcs[i];
    tm_writer *w;
    tm_error e = tm_writer_open(&w, dst);
    if (e) {
        free(in);
        return e;
    }
    tm_reader *rd = NULL;
    tm_reader_opts ro = *base;
    ro.format = TM_FMT_JSONL;
    ro.max_doc_bytes = (size_t)1 << 40;
    if (n_in && (e = tm_reader_open(&rd, in, n_in, &ro))) *unreadable = 2;
    static const char strip[] = "\"verdicts\":null";
    tm_buf line = {0};
    tm_doc doc;
    tm_error r;
    while (!e && rd && (r = tm_reader_next(rd, &doc)) != TM_EOF) {
        if (r) {
            *bad = doc;
            *unreadable = 1;
            e = r;
            break;
        }
        tmi_buf_reset(&line);
        if (ids)
            e = id_line(&doc, stage, &line);
        else if (!strip_verdicts)
            e = tm_doc_to_jsonl(&doc, NULL, 0, NULL, 0, &line);
        else
            e = tm_doc_to_jsonl(&doc, NULL, 0, strip, sizeof strip - 1, &line);
        TM_THEN(e, tm_writer_write(w, line.data, line.len));
    }
    if (e)
        tm_writer_abort(w);
    else
        e = tm_writer_close(w);
    tm_buf_free(&line);
    if (rd) tm_reader_close(rd);
    free(in);
    return e;
}

tm_error tmi_run_write_removed(tm_runner *R, const char *const *srcs, size_t n, const char *dst,
                               const char *stage) {
    tm_reader_opts ro;
    tm_reader_opts_init(&ro);
    ro.text_field = R->c->text_field;
    ro.id_field = R->c->id_field;
    tm_doc bad;
    int unreadable;
    tm_error e = rewrite(srcs, n, dst, stage, R->c->removed_format == 1, !R->c->output_explain, &ro,
                         &bad, &unreadable);
    /* tamis wrote these files itself: a record it cannot read is a bug */
    if (unreadable == 1)
        return tmi_run_fail(R, TM_ERR_INTERNAL, "%.*s:%llu: %s", (int)bad.source.len,
                            bad.source.ptr, (unsigned long long)bad.line, tm_strerror(e));
    if (unreadable == 2) return tmi_run_fail(R, e, "cannot read the removed files of %s", stage);
    if (e) return tmi_run_fail(R, e, "cannot write %s", dst);
    return TM_OK;
}

tm_error tm_removed_to_ids(const char *const *srcs, size_t n, const char *dst, const char *stage,
                           const tm_reader_opts *ro) {
    tm_reader_opts d;
    if (!ro) tm_reader_opts_init(&d);
    tm_doc bad;
    int unreadable;
    tm_error e = rewrite(srcs, n, dst, stage ? stage : "", 1, 0, ro ? ro : &d, &bad, &unreadable);
    return unreadable == 1 ? TM_ERR_INTERNAL : e;
}

void tmi_run_drop_work_files(tm_runner *R) {
    char p[PATH_MAX_LEN];
    static const char *const corpus_wide[] = {"dedup.kept.jsonl.zst",   "dedup.removed.jsonl.zst",
                                              "dedup.removed.jsonl.gz", "dedup.removed.jsonl",
                                              "dedup.clusters.jsonl",   "dedup.rejects.jsonl"};
    for (size_t k = 0; k < sizeof corpus_wide / sizeof *corpus_wide; k++) {
        tmi_run_path(p, "%s/%s", R->work, corpus_wide[k]);
        unlink(p);
    }
    for (size_t i = 0; i < R->n_inputs; i++) {
        static const char *const per_shard[] = {"kept.jsonl.zst",   "removed.jsonl.zst",
                                                "removed.jsonl.gz", "removed.jsonl",
                                                "rejects.jsonl",    "rejects-filter.jsonl"};
        for (size_t k = 0; k < sizeof per_shard / sizeof *per_shard; k++) {
            tmi_run_path(p, "%s/shards/%05zu.%s", R->work, i, per_shard[k]);
            unlink(p);
        }
    }
}
