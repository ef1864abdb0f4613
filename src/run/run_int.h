/*
 * run_int.h — the configuration record of `tamis run`, shared by config.c
 * (parsing and printing) and run.c (the stages). Opaque outside the library.
 */
#ifndef TM_RUN_INT_H
#define TM_RUN_INT_H

#include "tamis.h"

#include <time.h>

#define TM_RUN_MAX_RULES 64

struct tm_run_config {
    int threads;
    int format; /* tm_format */
    char *text_field, *id_field;
    uint64_t max_doc_bytes;
    int extract_mode; /* 0 auto (WARC inputs), 1 on (also text/HTML files), 2 off */
    int clean_enabled;
    char *clean_ops;
    double clean_para_threshold;
    char *clean_lang;
    int filter_enabled;
    int filter_preset; /* index in "default|gopher|c4|fineweb" */
    char *filter_lang;
    double filter_min_lang_score;
    uint64_t filter_lang_sample;
    size_t n_rules;
    char *rule_names[TM_RUN_MAX_RULES];
    double rule_values[TM_RUN_MAX_RULES];
    int dedup_enabled, dedup_exact, dedup_near, dedup_paragraphs;
    double dedup_threshold, dedup_containment, dedup_containment_ratio, dedup_lsh_threshold;
    int dedup_perms, dedup_bands, dedup_rows;
    char *dedup_shingle;
    int dedup_verify, dedup_keep; /* tm_verify_mode, tm_keep_mode */
    double dedup_min_jaccard, dedup_coverage, dedup_coverage_contained;
    int dedup_max_gap, dedup_max_gap_contained;
    int dedup_template_df, dedup_template_min, dedup_substitution;
    double dedup_template_own;
    uint64_t dedup_df_sketch;
    int dedup_min_paragraph_chars, dedup_min_doc_chars;
    uint64_t dedup_memory;
    char *dedup_tmp_dir;
    uint64_t shard_bytes;
    int output_explain;
    int removed_format; /* index in "full|ids" */
    int compression;    /* index in "zst|gz|none" */
    int report_examples, report_clusters;
    /* options of single commands that are not configuration keys of tamis
     * run yet (no TM_OPT_F_YAML in options.c): set from their flags only */
    int reader_lines;
    uint64_t batch_bytes;
    uint64_t rejects_keep; /* UINT64_MAX: all */
    double max_reject_rate;
    int dedup_norm; /* index in "none|ws|nfc|nfkc|nfkc_casefold|aggressive" */
    uint64_t dedup_seed;
    char *dedup_score_field;
    int clean_dry_run;
    int filter_tokenizer; /* index in "preset|tamis|nltk" */
    int score_tokenizer;  /* index in "tamis|nltk" */
    char *score_signals;
    int score_lang, score_quality;
};

#define PATH_MAX_LEN 4096

/* One `tamis run` in progress: run.c drives the stages, summary.c writes
 * stats.json and report.html from what they committed. */
typedef struct tm_runner {
    const tm_run_config *c;
    const tm_run_opts *o;
    char dir[PATH_MAX_LEN];  /* outdir */
    char work[PATH_MAX_LEN]; /* outdir/.tamis */
    const char *ext;         /* ".zst", ".gz" or "" */
    char **inputs;
    size_t n_inputs;
    tm_filter *filter;
    tm_clean_opts clean;
    tm_dedup_opts dedup;
    /* progress of the whole run (o->run_progress): the pass under way */
    tm_run_progress prog;
    uint64_t prog_weight; /* the pass's share of prog.job_total */
    uint64_t prog_base;   /* job work done before the pass */
    uint64_t prog_last;   /* bytes of the last call: a drop starts dedup pass 2 */
    int prog_dedup;       /* the pass is tm_job_dedup's two */
    char prog_stage[32];
    double prog_t0, prog_run_t0; /* when the pass and the run began */
} tm_runner;

/* Sets the run's error detail and returns e. */
tm_error tmi_run_fail(tm_runner *R, tm_error e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* snprintf into a PATH_MAX_LEN buffer. */
void tmi_run_path(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tmi_run_exists(const char *path);
/* Reads a whole file of at most cap bytes into b (caller-owned). */
tm_error tmi_run_slurp(const char *path, tm_buf *b, size_t cap);
/* Writes data to path atomically (temporary name, then rename). */
tm_error tmi_run_put_file(const char *path, const char *data, size_t n);
/* Gathers the committed stage results into stats.json, scans the outputs
 * for the report's histograms and examples, writes report.html, and checks
 * the ledger (TM_ERR_LEDGER). */
tm_error tmi_run_write_summary(tm_runner *R, tm_stats *ledger);

/* outputs.c: removed/<stage>.jsonl from the run's own removed files: lean
 * (no other rule's verdicts unless output.explain) or ids only. */
tm_error tmi_run_write_removed(tm_runner *R, const char *const *srcs, size_t n, const char *dst,
                               const char *stage);
/* outputs.c: after the run is committed (.tamis/run.done), the work files
 * that only duplicate what kept/ and removed/ hold are removed. */
void tmi_run_drop_work_files(tm_runner *R);
/* summary.c: the ledger of a finished run, from its committed stage
 * results (a rerun of a finished run). */
tm_error tmi_run_ledger(tm_runner *R, tm_stats *ledger);

/* progress.c: a pass begins (j reports through it when o->run_progress is
 * set), ends; the plan of the run's work; a file's size (0 if unknown). */
void tmi_run_pass_begin(tm_runner *R, tm_job_opts *j, const char *stage, size_t shard,
                        uint64_t weight, int dedup);
void tmi_run_pass_end(tm_runner *R);
void tmi_run_plan_progress(tm_runner *R);
uint64_t tmi_run_file_size(const char *path);

/* clusters.c: reads .tamis/dedup.clusters.jsonl into the size histogram
 * (size -> clusters) and appends the examples of the largest clusters (one
 * JSON line each, docs/REPORT.md) to examples. */
struct json_t;
tm_error tmi_run_cluster_examples(tm_runner *R, tm_buf *examples, struct json_t *size_hist,
                                  uint64_t *n_clusters);

/* zstd level of the files under .tamis/ that only the run reads back (the
 * cleaned and kept shards, the deduplicated corpus before it is split):
 * level 1 compresses ~2x faster than the default 3 for ~20 % more disk,
 * 1.1 s of 13.2 on the 120 MB bench (bench/RESULTS.md). Files the user
 * gets (kept/, removed/) keep the default. */
#define TM_RUN_WORK_LEVEL 1

/* Job options of a stage reading in[0..n_in) with the run's reader and
 * thread settings (run.c); _internal switches them to tamis's own JSONL
 * (the configured text and id fields). */
void tmi_run_job_base(tm_runner *R, tm_job_opts *j, const char **in, size_t n_in);
void tmi_run_job_internal(const tm_runner *R, tm_job_opts *j);
/* What a failed job said (tm_error_detail), or tm_strerror(e) when it said
 * nothing more. */
const char *tmi_run_detail_or(tm_error e);
/* Appends ,"key":{stats},"key_seconds":secs to a shard's .done. */
tm_error tmi_run_put_stats(tm_buf *b, const char *key, const tm_stats *s, double secs);
/* The extract stage of input i (run_extract.c): when the input goes
 * through extract, runs it into xout (PATH_MAX_LEN bytes) with the shard's
 * removed and rejects files, appends its counts to d and sets *used. */
/* Whether input i goes through extract (extract.mode, and its format). */
int tmi_run_wants_extract(tm_runner *R, size_t i);
tm_error tmi_run_extract(tm_runner *R, size_t i, const char *base, tm_buf *d, char *xout,
                         int *used);

/* Canonical YAML of c; identity_only leaves out what cannot change the
 * output (threads, memory, tmp_dir) and the comments. */
tm_error tmi_run_config_yaml(const tm_run_config *c, int identity_only, tm_buf *b);
/* The manifest of the run R would be (manifest.c): version, identity
 * configuration, every input's canonical path and fingerprint. */
tm_error tmi_run_manifest_text(tm_runner *R, tm_buf *m);
/* 0 when the manifests are the same run; else 1 with what changed in msg
 * ("input /data/a.jsonl changed (1200 bytes, now 1300); configuration key
 * dedup.threshold changed (0.85, now 0.7)"). */
int tmi_run_manifest_diff(const char *have, size_t hl, const char *want, size_t wl, char *msg,
                          size_t size);
/* The full configuration as one JSON object of sections, typed (stats.json). */
tm_error tmi_run_config_json(const tm_run_config *c, tm_buf *b);

/* scan.c: the signal histograms of the report and the scan of committed
 * output files that fills them (languages and examples too). */
/* Signals drawn in the report, kept vs removed, with fixed bins so the
 * histograms stream (bounded memory) and do not depend on the data order. */
typedef struct tm_run_sig_hist {
    const char *name;
    double lo, hi; /* linear bins over [lo, hi]; log2 bins when lo < 0 */
    int log_scale;
    uint64_t kept[20], removed[20];
    double threshold;
    int has_threshold;
} tm_run_sig_hist;
#define N_BINS 20

/* At most this many signal histograms: the fixed table in
 * tmi_run_write_summary and one per other rule that removed documents. */
#define TM_SUMMARY_MAX_HIST 32

typedef struct tm_run_scan {
    tm_run_sig_hist *h;
    size_t n_h; /* <= TM_SUMMARY_MAX_HIST */
    struct json_t *langs;
    struct json_t *examples_by_reason; /* reason -> count of examples taken */
    tm_buf examples;
    int per_reason;
    uint64_t kept_text_bytes;
} tm_run_scan;

struct json_t *tmi_run_hist_json(const tm_run_sig_hist *h);
/* Scans the output files (kind 0 kept, 1 removed by the filter, 2 removed
 * as duplicates) into sc, in file order. */
tm_error tmi_run_scan_files(tm_runner *R, tm_run_scan *sc, const char *const *paths, size_t n_paths,
                            int kind);
tm_error tmi_run_scan_file(tm_runner *R, tm_run_scan *sc, const char *path, int kind);

/* files.c: directories, trees, the outputs of a restarted run, the
 * temporaries of an interrupted one, and shard files concatenated. */
tm_error tmi_run_mkdirs(const char *path);
void tmi_run_remove_tree(const char *path);
void tmi_run_wipe_outputs(tm_runner *R);
void tmi_run_sweep_temporaries(tm_runner *R);
tm_error tmi_run_concat_into(const char *dst, const char *const *srcs, size_t n);

/* tasks.c: `tamis run` as tasks (docs/TASKS.md). */
enum { TM_TASK_RUN = -1, TM_TASK_SHARD = 0, TM_TASK_DEDUP = 1, TM_TASK_FINISH = 2 };
/* The task of id ("shard-NNNNN", "dedup", "finish"): its kind and shard. */
tm_error tmi_run_task_parse(tm_runner *R, const char *id, int *kind, size_t *shard);
/* Locks OUTDIR for a task of kind (TM_TASK_RUN: a whole run or the plan):
 * shared for a shard task, which also locks its shard; exclusive else.
 * Close the descriptors (-1: none) to unlock. */
tm_error tmi_run_lock(tm_runner *R, int kind, size_t shard, int *run_fd, int *shard_fd);
/* Removes the temporaries that a killed task of shard left. */
void tmi_run_sweep_shard(tm_runner *R, size_t shard);
/* TM_OK when the prerequisites of a task of kind are committed; else
 * TM_ERR_ARG naming the missing tasks. */
tm_error tmi_run_task_ready(tm_runner *R, int kind);
/* Appends the plan (JSON, docs/TASKS.md) to b. */
tm_error tmi_run_plan_json(tm_runner *R, tm_buf *b);

/* Monotonic seconds, for the stages' times and the progress rates. */
static inline double tmi_run_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
