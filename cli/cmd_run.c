/*
 * cmd_run.c — `tamis run`: the whole pipeline from raw input to a clean,
 * deduplicated corpus with a report. Options come from the defaults, then
 * the --config file, then the command line, in that order.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The command line of the plan's tasks: this program, "run", the options
 * as given (less the plan's own), -o and the inputs as absolute paths, so
 * that a task runs the same from any directory of any machine that sees
 * the same files. The argument strings live as long as the process. */
typedef struct task_argv {
    const char **v;
    size_t n;
    char **own; /* the strings made here, freed with v */
    size_t n_own;
} task_argv;

/* The arrays stay reachable on the paths that leave early (--help, a
 * usage error exits): freed at the end otherwise. volatile: stores never
 * read are not optimised away. */
static const char **volatile keep_v;
static char **volatile keep_own;

/* p, or cwd/p (owned by t) when p is relative */
static const char *absolute(task_argv *t, const char *p) {
    if (p[0] == '/') return p;
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) return p;
    size_t n = strlen(cwd) + strlen(p) + 2;
    char *a = malloc(n);
    if (!a) return p;
    snprintf(a, n, "%s/%s", cwd, p);
    t->own[t->n_own++] = a;
    return a;
}

static void task_argv_free(task_argv *t) {
    for (size_t k = 0; k < t->n_own; k++) free(t->own[k]);
    free(t->own);
    free(t->v);
}

static void add(task_argv *t, const char *a) {
    t->v[t->n++] = a;
}

static const char usage[] =
    "usage: tamis run INPUT... -o OUTDIR [options]\n"
    "\n"
    "Reads, cleans, scores, filters and deduplicates the inputs (files or\n"
    "directories; JSONL, text, WARC/WET; gz, zst) and writes to OUTDIR:\n"
    "  kept/part-NNNNN.jsonl.zst  the clean corpus in shards of bounded size\n"
    "  removed/                   every removed document with its stage and reason\n"
    "  rejected.jsonl             unreadable input, verbatim, with the error\n"
    "  clusters.jsonl             duplicate clusters\n"
    "  stats.json                 per stage counts and the ledger\n"
    "  report.html                a page a person can read (offline)\n"
    "A run killed at any point finishes when started again with the same\n"
    "command, skipping finished input files; the result is byte-identical.\n"
    "\n"
    "outputs and the configuration:\n"
    "  -o, --output OUTDIR     output directory (required)\n"
    "  --config FILE           YAML configuration (see --print-config, docs/CONFIG.md)\n"
    "  --set KEY=VALUE         set one option, e.g. --set dedup.threshold=0.7\n"
    "  --print-config          print the effective configuration and exit\n"
    "  --restart               discard a previous run in OUTDIR (needed when the\n"
    "                          configuration or the inputs changed)\n"
    "  --plan                  print the run as tasks (JSON: ids, dependencies,\n"
    "                          commands) for a scheduler, and run nothing\n"
    "  --task ID               run one task of the plan (docs/TASKS.md)\n"
    "  -q, --quiet             no progress, no notes\n"
    "  -v, --verbose           say what each stage does\n"
    "  -h, --help              this help\n";

static void log_line(void *ud, const char *line) {
    tm_cli *c = ud;
    if (!c->verbose || c->quiet) return;
    fprintf(stderr, "%stamis run: %s\n", c->progress_shown ? "\r\033[K" : "", line);
}

int tm_cmd_run(int argc, char **argv) {
    tm_cli c;
    tm_cli_init(&c, "run", usage, argc);
    c.label_keys = 1; /* run's flags are shortcuts for configuration keys */
    tm_run_config *cfg = c.cfg;
    /* Two passes: the config file first, whatever its position, so that
     * every other option overrides it. */
    const char *config = NULL;
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config = argv[++i];
        else if (!strncmp(argv[i], "--config=", 9))
            config = argv[i] + 9;
    }
    if (config) {
        FILE *f = fopen(config, "rb");
        if (!f) {
            fprintf(stderr, "tamis run: cannot read configuration %s: %s\n", config,
                    strerror(errno));
            tm_cli_free(&c);
            return TM_EXIT_FAIL;
        }
        tm_buf text = {0};
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && text.len < (1u << 24)) {
            text.data = realloc(text.data, text.len + n + 1);
            if (!text.data) return TM_EXIT_FAIL;
            memcpy(text.data + text.len, chunk, n);
            text.len += n;
        }
        /* a directory opens, and fails on the first read (EISDIR) */
        int read_err = ferror(f) ? errno : 0;
        fclose(f);
        if (read_err) {
            fprintf(stderr, "tamis run: cannot read configuration %s: %s\n", config,
                    strerror(read_err));
            free(text.data);
            tm_cli_free(&c);
            return TM_EXIT_FAIL;
        }
        tm_error e = tm_run_config_load_yaml(cfg, text.data ? text.data : "", text.len);
        free(text.data);
        if (e) {
            const char *d = tm_error_detail();
            fprintf(stderr, "tamis run: %s: %s\n", config, *d ? d : tm_strerror(e));
            tm_cli_free(&c);
            return TM_EXIT_USAGE;
        }
    }
    int print_config = 0, restart = 0, plan = 0;
    const char *outdir = NULL, *task = NULL;
    /* room for every argument, the program, "run", -o OUTDIR and "--" */
    task_argv ta = {calloc((size_t)argc + 8, sizeof(char *)), 0,
                    calloc((size_t)argc + 8, sizeof(char *)), 0};
    if (!ta.v || !ta.own) return TM_EXIT_FAIL;
    keep_v = ta.v;
    keep_own = ta.own;
    char self[4096];
    ssize_t sn = readlink("/proc/self/exe", self, sizeof self - 1);
    add(&ta, sn > 0 ? (self[sn] = '\0', self) : "tamis");
    add(&ta, "run");
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        int i0 = i;
        if (c.end_of_options) {
            c.inputs[c.n_inputs++] = a; /* after "--": an input, whatever its name */
        } else if (!strcmp(a, "--")) {
            c.end_of_options = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            tm_cli_print_help(&c, stdout);
            tm_cli_free(&c);
            return TM_EXIT_OK;
        } else if (!strcmp(a, "--print-options-md")) {
            /* hidden: docs/CONFIG.md's option reference (tests/docs/config.sh) */
            tm_buf b = {0};
            if (tm_options_markdown(&b) == TM_OK) fputs(b.data, stdout);
            tm_buf_free(&b);
            tm_cli_free(&c);
            return TM_EXIT_OK;
        } else if (tm_cli_table_option(&c, argc, argv, &i)) {
            for (int k = i0; k < i; k++) add(&ta, argv[k]);
            continue;
        } else if (!strcmp(a, "--config") || !strncmp(a, "--config=", 9)) {
            add(&ta, "--config");
            add(&ta, absolute(&ta, tm_cli_value(&c, argc, argv, &i)));
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strncmp(a, "--output=", 9)) {
            outdir = tm_cli_value(&c, argc, argv, &i);
        } else if (!strcmp(a, "--plan")) {
            plan = 1;
        } else if (!strcmp(a, "--task") || !strncmp(a, "--task=", 7)) {
            task = tm_cli_value(&c, argc, argv, &i);
        } else if (!strcmp(a, "--set") || !strncmp(a, "--set=", 6)) {
            const char *kv = tm_cli_value(&c, argc, argv, &i);
            add(&ta, "--set");
            add(&ta, kv);
            const char *eq = strchr(kv, '=');
            if (!eq || eq == kv) tm_cli_usage_error(&c, "--set expects KEY=VALUE, got '%s'", kv);
            char key[256];
            snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
            /* configuration keys only: a single command's flag that is no
             * key would not be printed, nor part of the run's identity */
            tm_error e = tm_run_config_set(cfg, key, eq + 1);
            if (e == TM_ERR_ARG) tm_cli_usage_error(&c, "%s", tm_error_detail());
            if (e) {
                fprintf(stderr, "tamis run: %s\n", tm_strerror(e));
                tm_cli_free(&c);
                return TM_EXIT_FAIL;
            }
        } else if (!strcmp(a, "--print-config")) {
            print_config = 1;
        } else if (!strcmp(a, "--restart")) {
            restart = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            c.quiet = 1;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            c.verbose = 1;
        } else {
            tm_cli_positional(&c, a);
        }
        i++;
    }
    if (print_config) {
        task_argv_free(&ta);
        tm_buf b = {0};
        if (tm_run_config_to_yaml(cfg, &b) == TM_OK) fputs(b.data, stdout);
        tm_buf_free(&b);
        tm_cli_free(&c);
        return TM_EXIT_OK;
    }
    if (!outdir) tm_cli_usage_error(&c, "-o OUTDIR is required");
    if (!c.n_inputs) tm_cli_usage_error(&c, "no INPUT given");
    if (plan && task) tm_cli_usage_error(&c, "--plan and --task do not go together");
    tm_cli_finish(&c);
    /* the plan's tasks: "--task ID" goes right after "run" */
    size_t task_at = 2;
    add(&ta, "-o");
    const char *abs_out = absolute(&ta, outdir);
    add(&ta, abs_out);
    add(&ta, "--");
    for (size_t k = 0; k < c.n_inputs; k++) add(&ta, absolute(&ta, c.inputs[k]));
    tm_buf plan_json = {0};
    tm_run_opts ro;
    tm_run_opts_init(&ro);
    ro.inputs = c.inputs;
    ro.n_inputs = c.n_inputs;
    ro.outdir = plan ? abs_out : outdir;
    ro.restart = restart;
    ro.plan = plan;
    ro.plan_out = &plan_json;
    ro.task_argv = ta.v;
    ro.n_task_argv = ta.n;
    ro.task_argv_at = task_at;
    ro.task = task;
    ro.log = log_line;
    ro.log_ud = &c;
    if (c.job.progress) { /* a terminal, not -q */
        ro.run_progress = tm_cli_run_progress;
        ro.progress_ud = &c;
    }
    tm_stats st;
    tm_error e = tm_job_run(cfg, &ro, &st);
    int rc;
    if (e == TM_ERR_ARG) {
        if (c.progress_shown) fputs("\r\033[K", stderr);
        const char *d = tm_error_detail();
        fprintf(stderr, "tamis run: %s\n", *d ? d : tm_strerror(e));
        rc = TM_EXIT_USAGE;
    } else {
        /* rejects are inside OUTDIR; say where, not the per-job default */
        c.job.rejects = NULL;
        rc = tm_cli_done(&c, e, NULL);
        if (rc == TM_EXIT_OK && plan) fputs(plan_json.data, stdout);
        /* the ledger is the whole run's: only its last task has it */
        int whole = !plan && (!task || !strcmp(task, "finish"));
        if (rc == TM_EXIT_OK && !c.quiet && whole)
            fprintf(stderr,
                    "tamis run: read %llu = kept %llu + removed %llu + rejected %llu; "
                    "see %s/report.html\n",
                    (unsigned long long)st.read, (unsigned long long)st.written,
                    (unsigned long long)st.removed, (unsigned long long)st.rejected, outdir);
        if (rc == TM_EXIT_OK && whole) {
            char rej[4096];
            snprintf(rej, sizeof rej, "%s/rejected.jsonl", outdir);
            rc = tm_cli_check_rejects(&c, &st, rej);
        }
    }
    tm_buf_free(&plan_json);
    task_argv_free(&ta);
    tm_cli_free(&c);
    return rc;
}
