/*
 * cli.h — what every `tamis` subcommand shares: common options, the progress
 * line, messages and exit codes. The CLI uses only the public header
 * include/tamis.h; everything that prints or exits lives here, never in the
 * library.
 *
 * Exit codes (documented in `tamis --help` and README.md):
 *   0  success (rejected records, if any, are in the rejects file and counted)
 *   1  runtime failure: an input or output could not be opened, read, written
 *   2  usage error: unknown option, bad value
 *   3  internal error: the ledger read = kept + removed + rejected broke
 *   4  the job finished, but more records than --max-reject-rate allows were
 *      rejected or empty (the message names the likely cause)
 */
#ifndef TM_CLI_H
#define TM_CLI_H

#include "tamis.h"

#include <stdio.h>

enum {
    TM_EXIT_OK = 0,
    TM_EXIT_FAIL = 1,
    TM_EXIT_USAGE = 2,
    TM_EXIT_INTERNAL = 3,
    TM_EXIT_REJECTS = 4
};

typedef struct tm_cli {
    const char *cmd;        /* subcommand name, for messages */
    const char *usage;      /* the command's --help text */
    int verbose;            /* -v: summary to stderr */
    int quiet;              /* -q: nothing but errors */
    int json;               /* --json, where a command supports it */
    double max_reject_rate; /* --max-reject-rate: fraction; > 1 = no check */
    int no_reject_check;    /* the command only counts (stats) */
    int empty_is_removal;   /* empty records are removed with a reason (extract):
                               only rejects count against --max-reject-rate */
    int end_of_options;     /* "--" seen: the rest are inputs */
    int removed_ids;        /* --removed-format ids: the job writes removed
                               documents to removed_tmp, tm_cli_done turns
                               them into id lines at the user's path */
    const char *removed_user;
    char removed_tmp[4096];
    tm_job_opts job;     /* filled by the common options */
    const char **inputs; /* positional arguments */
    size_t n_inputs;
    char err[512];  /* the CLI's own error detail (the job's: tm_error_detail) */
    double t_start; /* monotonic seconds at start */
    int progress_shown;
    double progress_last; /* when the progress line was last drawn */
    int pass, passes;     /* this pass of how many (dedup reads twice) */
    double pass_t0;       /* when this pass began, for its own rate */
    uint64_t pass_bytes_last;
    int pass_shard_phase; /* tamis run: the line shows a shard's stage */
    tm_run_config *cfg;   /* the options of the table (tm_option_*) */
    unsigned cmd_bit;     /* TM_CMD_* of this command */
    int label_keys;       /* messages name options by key (tamis run) */
    unsigned groups_seen; /* flag groups already met (tm_cli_table_option) */
} tm_cli;

/* Prepares c for command cmd with its help text; the job options get the
 * library defaults and the progress callback (active only on a terminal).
 * c->cfg holds the table's options at their defaults. */
void tm_cli_init(tm_cli *c, const char *cmd, const char *usage, int argc);
/* Frees what tm_cli_init allocated. */
void tm_cli_free(tm_cli *c);

/* cli/options.c: the flags of the option table. TM_CMD_* of a command name. */
unsigned tm_cli_command_bit(const char *cmd);
/* Consumes argv[*i] (and its value) when it is a flag of the table for this
 * command: sets its key in c->cfg, or exits with a usage error naming the
 * flag (the key with label_keys). Returns 1 if consumed, 0 if not. */
int tm_cli_table_option(tm_cli *c, int argc, char **argv, int *i);
/* Sets key of c->cfg or exits with a usage error (label: NULL = key). */
void tm_cli_set(tm_cli *c, const char *key, const char *value, const char *label);
/* --help: c->usage, then the command's flags from the table with their
 * defaults, then the common reading options. */
void tm_cli_print_help(const tm_cli *c, FILE *f);

/* Tries to consume argv[*i] (and its value) as a flag of the option table
 * (tm_cli_table_option) or a common option: -o/--output, --removed,
 * --rejects, -q, -v, -h/--help. Returns 1 if consumed (*i
 * advanced past the value), 0 if not a common option, or exits with
 * TM_EXIT_USAGE after a message on a bad value. --help prints usage and
 * exits 0. */
int tm_cli_common(tm_cli *c, int argc, char **argv, int *i);

/* Whether arg is the option name, as "--name" or "--name=value" (short
 * options match exactly). */
int tm_cli_is_opt(const char *arg, const char *name);

/* Help lines of the options every command shares that are not in the
 * option table (after the table's). */
#define TM_CLI_READ_HELP                                                                           \
    "  --rejects FILE         unreadable records (default OUTPUT.rejects.jsonl, or\n"              \
    "                         tamis-rejects.jsonl when OUTPUT is stdout, a device\n"               \
    "                         or a FIFO: those are written in place, never replaced)\n"            \
    "  -q, --quiet            no progress, no notes\n"                                             \
    "  -h, --help             this help\n"

/* Value of the option at argv[*i]: "--opt=value" or "--opt value". Exits
 * with a usage error when missing. */
const char *tm_cli_value(tm_cli *c, int argc, char **argv, int *i);

/* Records a positional argument, or exits with a usage error for an unknown
 * option (anything starting with '-' other than "-"). */
void tm_cli_positional(tm_cli *c, const char *arg);

/* Exits 1 with "cannot write PATH: reason" when path is a directory or its
 * folder does not exist; NULL and "-" pass. */
void tm_cli_check_output(tm_cli *c, const char *path);

/* Call after parsing: checks the outputs (tm_cli_check_output), defaults
 * inputs to "-" and wires them into c->job. */
void tm_cli_finish(tm_cli *c);

/* Prints a usage error ("tamis CMD: msg" + hint) and exits 2. */
void tm_cli_usage_error(tm_cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/* Ends a job: clears the progress line, prints the error (if any) or, with
 * -v, a one-line summary and where rejects went; returns the exit code. */
int tm_cli_done(tm_cli *c, tm_error err, const tm_stats *st);

/* --max-reject-rate: when more than that fraction of the records read were
 * rejected or empty, prints what happened and the likely cause (the most
 * frequent reject reason, with the first such record's reason read back
 * from rejects_path) and returns TM_EXIT_REJECTS; else TM_EXIT_OK. */
int tm_cli_check_rejects(tm_cli *c, const tm_stats *st, const char *rejects_path);

/* Prints stats as a human-readable table (stats command, -v). */
void tm_cli_print_stats_table(FILE *f, const tm_stats *st, double seconds);

/* Writes text and a final newline to path through tm_writer: a regular
 * file appears complete or not at all, a device or FIFO is written in
 * place, "-" is standard output. Returns 0, or -1 after a message. */
int tm_cli_write_text(tm_cli *c, const char *path, const char *text, size_t len);

/* tamis run's progress line (tm_run_opts.run_progress; ud is the tm_cli). */
void tm_cli_run_progress(void *ud, const tm_run_progress *p);

/* Seconds on the monotonic clock. */
double tm_cli_now(void);

/* Subcommands, one file each: cli/cmd_<name>.c. */
int tm_cmd_cat(int argc, char **argv);
int tm_cmd_stats(int argc, char **argv);
int tm_cmd_score(int argc, char **argv);
int tm_cmd_filter(int argc, char **argv);
int tm_cmd_extract(int argc, char **argv);
int tm_cmd_clean(int argc, char **argv);
int tm_cmd_dedup(int argc, char **argv);
int tm_cmd_run(int argc, char **argv);

#endif
