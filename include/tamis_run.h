/*
 * tamis_run.h — HTML extraction, `tamis run` (its configuration, progress and options),
 * the report; and, behind TM_UNSTABLE_API, the option table that the command
 * line, the configuration file and docs/CONFIG.md are made from.
 *
 * A part of tamis.h, which includes it: programs include <tamis.h> only.
 * The conventions of tamis.h hold here (tm_error, ownership, no globals).
 */
#ifndef TAMIS_RUN_H
#define TAMIS_RUN_H

#ifndef TAMIS_H
#error "include <tamis.h>: this file is one of its parts"
#endif

/* ---- section: extract (src/extract, src/jobs/job_extract.c) ---- */

/* Main-content extraction from HTML (docs/EXTRACT.md). A handle is one
 * thread's reusable scratch; views in tm_extracted point into it and stay
 * valid until its next call. */
typedef struct tm_extractor tm_extractor;

typedef struct tm_extracted {
    tm_str text;      /* the main text, paragraphs separated by a blank line,
                         rows and list items by a line break; "" when none */
    tm_str title;     /* og:title, else <title>, else JSON-LD headline */
    tm_str canonical; /* <link rel=canonical>, else og:url */
    tm_str date;      /* article:published_time, itemprop/JSON-LD
                         datePublished, date metas, first <time datetime> */
    tm_str author;    /* meta author, JSON-LD author, article:author */
    tm_str site_name; /* og:site_name */
    tm_str lang;      /* <html lang>, else Content-Language meta */
    int truncated;    /* a cap (nesting, nodes, events) was reached: the text
                         comes from the part of the page within the caps */
    size_t nodes;     /* element nodes recorded */
} tm_extracted;

TM_API tm_error tm_extractor_new(tm_extractor **out);
TM_API void tm_extractor_free(tm_extractor *x);

/* Extracts html[0..n) (UTF-8; NUL bytes are read as spaces). TM_ERR_NOMEM
 * or TM_ERR_ARG only: a page without content gives empty text. */
TM_API tm_error tm_extract_html(tm_extractor *x, const char *html, size_t n, tm_extracted *out);

/* Why tamis extract removes a record (stable names: tm_extract_reason_name). */
typedef enum tm_extract_reason {
    TM_XR_NOT_HTML = 0, /* "not_html": a WARC payload that is not HTML/XHTML/text */
    TM_XR_REDIRECT,     /* "redirect": HTTP 3xx */
    TM_XR_HTTP_ERROR,   /* "http_error": HTTP 4xx/5xx (or 1xx) */
    TM_XR_EMPTY,        /* "empty": no main text found */
    TM_XR_BINARY,       /* "binary": the page's first 4 KiB, decoded, is more than
                           10 % control characters and U+FFFD: not text */
    TM_XR_N
} tm_extract_reason;

TM_API const char *tm_extract_reason_name(int reason);

typedef struct tm_extract_stats {
    tm_stats base;
    uint64_t removed_by[TM_XR_N];
    uint64_t html_bytes; /* UTF-8 bytes of HTML given to the extractor */
    uint64_t truncated;  /* pages that reached a cap */
    uint64_t passed;     /* WET conversion records kept as they are */
} tm_extract_stats;

/* Appends {"stats":…,"removed_by":{reason:n…},"html_bytes":n,"truncated":n,
 * "passed":n}. */
TM_API tm_error tm_extract_stats_to_json(const tm_extract_stats *s, tm_buf *out);

/* tamis extract: WARC response records (non-text ones included, to be
 * removed with a reason), HTML files (charset from BOM, <meta>, detection)
 * and JSONL records whose text field (reader.text_field) holds HTML, to
 * documents {"id","text","metadata"} with the main text and the page's
 * metadata. WET conversion records pass through unchanged. */
TM_API tm_error tm_job_extract(const tm_job_opts *o, tm_extract_stats *stats);

/* ---- section: run (src/run/run.c, config.c, options.c) ---- */

/* The configuration of `tamis run`: every option of every stage, keyed by
 * dotted names ("dedup.threshold"), listed with their defaults by
 * tm_run_config_to_yaml() and documented in docs/CONFIG.md. Owned by the
 * caller; strings given to it are copied. */
typedef struct tm_run_config tm_run_config;

TM_API tm_error tm_run_config_new(tm_run_config **out);
TM_API void tm_run_config_free(tm_run_config *c);
/* Sets one option from its text form ("0.7", "true", "64M", "fineweb");
 * "filter.rules.NAME" sets a rule threshold. TM_ERR_ARG, with a message in
 * tm_error_detail(), for an unknown key (naming the nearest key), a key that only a single
 * command's flag sets (tm_options_set sets those), or a bad value. */
TM_API tm_error tm_run_config_set(tm_run_config *c, const char *key, const char *value);
/* Applies a YAML document (sections of keys, as printed by
 * tm_run_config_to_yaml) held in memory. TM_ERR_ARG, with the line and the
 * reason in tm_error_detail(), for bad YAML or a bad key or value. */
TM_API tm_error tm_run_config_load_yaml(tm_run_config *c, const char *yaml, size_t len);
/* Appends the effective configuration as commented YAML. */
TM_API tm_error tm_run_config_to_yaml(const tm_run_config *c, tm_buf *out);

/* Where a run stands, for a progress line: the pass (stage, shard) with its
 * own counters, and the whole run's work in input bytes, where each pass
 * over a shard weighs that input file's size and each corpus-wide dedup
 * pass the size of all inputs (shards already committed are left out), so
 * that done/total and the time so far give an ETA for the whole run. */
typedef struct tm_run_progress {
    const char *stage;      /* "clean", "read" (clean off), "filter", "dedup pass 1"... */
    const char *input;      /* the shard's input file, or NULL for corpus-wide passes */
    size_t shard, n_shards; /* 1-based shard number, shards; 0 for dedup */
    uint64_t docs, bytes, bytes_total; /* this pass: documents, bytes read of bytes_total */
    uint64_t job_done, job_total;      /* the run, in input bytes as above */
    int new_pass;                      /* 1 on the first call of a pass */
    double pass_seconds, run_seconds;  /* since the pass and the run began */
} tm_run_progress;

/* Options of tm_job_run(); all pointers are borrowed for the call. */
typedef struct tm_run_opts {
    size_t size; /* sizeof this struct, set by its _init: the library reads only that much */
    const char *const *inputs;
    size_t n_inputs;
    const char *outdir;
    int restart; /* discard an earlier run's state in outdir */
    /* Called with one line of news (stage started, shard skipped...). */
    void (*log)(void *ud, const char *line);
    void *log_ud;
    tm_progress_fn progress; /* per stage, as for other jobs */
    void *progress_ud;
    /* Progress of the whole run (NULL: progress, per job, as before);
     * called from the calling thread after each batch. */
    void (*run_progress)(void *ud, const tm_run_progress *p);
    /* Tasks (docs/TASKS.md). plan: write the run's manifest, run nothing,
     * and append the plan to plan_out: JSON of the tasks ("shard-NNNNN" per
     * input file, "dedup", "finish"), their dependencies, and each one's
     * command line: task_argv with "--task", ID inserted after its first
     * task_argv_at elements. task: run only the task of that id (the
     * manifest must exist: a plan wrote it); a task whose prerequisites are
     * not committed fails with TM_ERR_ARG naming them. */
    int plan;
    tm_buf *plan_out;
    const char *const *task_argv;
    size_t n_task_argv, task_argv_at;
    const char *task;
} tm_run_opts;

/* Zero options with size set; the caller then sets inputs and outdir. */
TM_API void tm_run_opts_init(tm_run_opts *o);

/* tamis run: clean, filter and deduplicate the inputs into outdir (kept/,
 * removed/, rejected.jsonl, clusters.jsonl, stats.json, report.html; layout
 * in docs/CONFIG.md). Resumable: each input file is a shard whose stage
 * results are committed atomically under outdir/.tamis, so a run killed at
 * any point and started again with the same inputs and configuration skips
 * finished shards and produces byte-identical outputs. A changed
 * configuration or input is refused (TM_ERR_ARG) unless restart is set.
 * ledger receives the whole run's read = written + removed + rejected. */
TM_API tm_error tm_job_run(const tm_run_config *c, const tm_run_opts *o, tm_stats *ledger);

/* ---- section: report (src/report) ---- */

/* Renders the HTML report of a run: summary_json is the run summary that
 * `tamis run` writes as stats.json, examples_jsonl (NULL or ex_len 0: none)
 * the examples file; both formats are defined in docs/REPORT.md. Appends one
 * self-contained page (inline CSS and SVG, no script, no external reference)
 * to out, which the caller owns; on error out is left as it was. Works on
 * memory only: the caller reads and writes the files. TM_ERR_JSON when the
 * summary is not a JSON object or a known member has the wrong shape;
 * unreadable example lines are skipped (the page says so). */
TM_API tm_error tm_report_html(const char *summary_json, size_t len, const char *examples_jsonl,
                               size_t ex_len, tm_buf *out);

/* ---- unstable: the option table (TM_UNSTABLE_API) ----
 * What follows may change between minor versions without notice: its structs
 * grow and its functions mirror the command line. Define TM_UNSTABLE_API
 * before including tamis.h to use it (the tamis program does); everything
 * else in tamis.h is the stable interface. */
#ifdef TM_UNSTABLE_API

/* ---- options: one table for every command's flags, the configuration
 * keys of `tamis run`, `--help` and docs/CONFIG.md (src/run/options.c).
 * A value is checked in one place, the table's parser for its type and
 * range, so a flag and its configuration key cannot accept different
 * values. ---- */

typedef enum tm_option_type {
    TM_OPT_BOOL,   /* true/false, yes/no, on/off, 1/0 */
    TM_OPT_INT,    /* a whole number in [lo, hi] */
    TM_OPT_DOUBLE, /* a number in [lo, hi] */
    TM_OPT_SIZE,   /* bytes, with K, M, G suffixes (powers of 1024), in [lo, hi] */
    TM_OPT_STRING, /* text, checked by the option's own rule where it has one */
    TM_OPT_ENUM,   /* one of choices ("a|b|c") */
    TM_OPT_LIST    /* comma-separated names, checked by the option's own rule */
} tm_option_type;

/* The commands whose command line takes an option (tm_option.commands). */
enum {
    TM_CMD_CAT = 1u << 0,
    TM_CMD_STATS = 1u << 1,
    TM_CMD_SCORE = 1u << 2,
    TM_CMD_FILTER = 1u << 3,
    TM_CMD_EXTRACT = 1u << 4,
    TM_CMD_CLEAN = 1u << 5,
    TM_CMD_DEDUP = 1u << 6,
    TM_CMD_RUN = 1u << 7,
    TM_CMD_ALL = 0xffu
};

/* tm_option.flags */
enum {
    TM_OPT_F_YAML = 1 << 0,     /* a configuration key of `tamis run` (YAML, --set,
                                   --print-config); without it the key only names
                                   a command's flag in messages and docs */
    TM_OPT_F_IDENTITY = 1 << 1, /* changes a run's output: part of its identity */
    TM_OPT_F_ZERO_OK = 1 << 2,  /* 0 is accepted outside [lo, hi] (0 = automatic) */
    TM_OPT_F_NONEMPTY = 1 << 3, /* a string that may not be empty */
    TM_OPT_F_ALL = 1 << 4,      /* INT: "all" is accepted too (no limit) */
    TM_OPT_F_PERCENT = 1 << 5   /* DOUBLE: "10%" is accepted too, as 0.1 */
};

/* One option. Every field is static: the table lives as long as the program. */
typedef struct tm_option {
    const char *key; /* "dedup.threshold": the configuration key */
    tm_option_type type;
    unsigned flags;         /* TM_OPT_F_* */
    const char *flag;       /* long flag ("--threshold"), or NULL */
    const char *short_flag; /* "-j", or NULL */
    unsigned commands;      /* TM_CMD_* whose command line takes flag */
    const char *arg;        /* the value's name in --help ("J"); NULL: flag
                               takes no value and sets preset */
    const char *preset;     /* the value a flag without argument sets */
    int group;              /* > 0: of the flags of one group, the first given
                               clears every option of the group (dedup's
                               --exact, --near, --paragraphs: "only these") */
    double lo, hi;          /* range of INT, DOUBLE, SIZE */
    const char *choices;    /* ENUM: "a|b|c"; LIST, STRING: what is accepted */
    const char *help;       /* one line for --help, --print-config, the docs */
} tm_option;

/* The table, in the order of --print-config: entries 0 .. count-1. */
TM_API size_t tm_option_count(void);
TM_API const tm_option *tm_option_get(size_t i);
/* The option of configuration key key, or NULL. */
TM_API const tm_option *tm_option_find(const char *key);
/* The option whose flag (long "--x" or short "-x") command cmd (one
 * TM_CMD_*) takes, or NULL. */
TM_API const tm_option *tm_option_by_flag(const char *flag, unsigned cmd);

/* Sets option key of c from its text form, checked by the table: the same
 * rule and the same message whatever the source. label names the option in
 * the message (the flag the user typed; NULL = the key): "LABEL: expected a
 * number in [0.01, 0.99], got '2'". Unlike tm_run_config_set, it also sets
 * options that are not configuration keys (a command's own flags).
 * TM_ERR_ARG, with the message in tm_error_detail(), for an unknown key or
 * a bad value. */
TM_API tm_error tm_options_set(tm_run_config *c, const char *key, const char *value,
                               const char *label);
/* The value of key in c as text ("0.85", "true", "auto"; strings as they
 * are), or TM_ERR_ARG for an unknown key. */
TM_API tm_error tm_options_value(const tm_run_config *c, const char *key, char *out, size_t size);
/* The job options that c sets, for one command's job (cmd: the TM_CMD_*
 * that asks, naming options in messages by its flags; 0 or TM_CMD_RUN: by
 * their keys). Strings are borrowed from c, which must outlive the job.
 * TM_ERR_ARG, with the message in tm_error_detail(), when options
 * contradict each other. */
TM_API tm_error tm_options_job(const tm_run_config *c, tm_job_opts *o);
TM_API tm_error tm_options_dedup(const tm_run_config *c, unsigned cmd, tm_dedup_opts *d);
TM_API tm_error tm_options_clean(const tm_run_config *c, tm_clean_opts *co);
/* A new filter (the caller frees it) with the preset, language and rules
 * of c. */
TM_API tm_error tm_options_filter(const tm_run_config *c, unsigned cmd, tm_filter **out);
TM_API tm_error tm_options_score(const tm_run_config *c, tm_score_opts *so);
/* The option reference of docs/CONFIG.md (Markdown), made from the table. */
TM_API tm_error tm_options_markdown(tm_buf *out);

#endif /* TM_UNSTABLE_API */

#endif /* TAMIS_RUN_H */
