/*
 * cli.c — option parsing, progress line, messages and exit codes shared by
 * every subcommand. Only this layer writes to the terminal.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

int tm_cli_write_text(tm_cli *c, const char *path, const char *text, size_t len) {
    tm_writer *w;
    errno = 0;
    tm_error e = tm_writer_open(&w, path);
    if (!e) {
        e = tm_writer_write(w, text, len);
        if (!e) e = tm_writer_write(w, "\n", 1);
        if (e)
            tm_writer_abort(w);
        else
            e = tm_writer_close(w);
    }
    if (!e) return 0;
    fprintf(stderr, "tamis %s: cannot write %s: %s\n", c->cmd, path,
            errno ? strerror(errno) : tm_strerror(e));
    return -1;
}

double tm_cli_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "45s", "3m20s", "1h02m". */
static void fmt_eta(char *out, size_t n, double s) {
    if (s < 0) s = 0;
    long t = (long)(s + 0.5);
    if (t < 60)
        snprintf(out, n, "%lds", t);
    else if (t < 3600)
        snprintf(out, n, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(out, n, "%ldh%02ldm", t / 3600, t / 60 % 60);
}

/* Progress on stderr, only when it is a terminal and not -q: the pass, its
 * own rate (bytes since the pass began over the time since then, not since
 * the process started), and an ETA for the whole command from the bytes
 * still to read in every pass. A command that reads its inputs twice
 * (dedup) says which pass; the drop of the byte count back to the start
 * marks the second. Redrawn at most 10 times a second. */
static void progress(void *ud, uint64_t docs, uint64_t bytes_in, uint64_t total) {
    tm_cli *c = ud;
    double now = tm_cli_now();
    if (bytes_in < c->pass_bytes_last && c->pass < c->passes) {
        /* the next pass: keep the last line of this one */
        if (c->progress_shown) fputc('\n', stderr);
        c->pass++;
        c->pass_t0 = now;
        c->progress_last = 0;
    }
    c->pass_bytes_last = bytes_in;
    if (now - c->progress_last < 0.1) return;
    c->progress_last = now;
    double el = now - c->pass_t0, mb = (double)bytes_in / 1e6;
    double rate = el > 0.05 ? mb / el : 0; /* none yet at a pass's first batch */
    char pass[32] = "";
    if (c->passes > 1) snprintf(pass, sizeof pass, " pass %d/%d", c->pass, c->passes);
    if (total) {
        /* what is left of this pass and all of the passes after it */
        double left = (double)(total - (bytes_in < total ? bytes_in : total)) / 1e6 +
                      (double)(c->passes - c->pass) * (double)total / 1e6;
        char eta[32];
        fmt_eta(eta, sizeof eta, rate > 0 ? left / rate : 0);
        fprintf(stderr,
                "\r\033[Ktamis %s%s: %llu docs, %.1f of %.1f MB (%.0f%%), %.1f MB/s, ETA %s",
                c->cmd, pass, (unsigned long long)docs, mb, (double)total / 1e6,
                100.0 * (double)bytes_in / (double)total, rate, rate > 0 ? eta : "?");
    } else {
        fprintf(stderr, "\r\033[Ktamis %s%s: %llu docs, %.1f MB, %.1f MB/s", c->cmd, pass,
                (unsigned long long)docs, mb, rate);
    }
    c->progress_shown = 1;
}

/* tamis run: the pass (stage, shard), its own rate, and the run's ETA from
 * the work still to do across all passes (tm_run_progress). A new stage
 * keeps the last line of the one before; the shards' stages share a line. */
void tm_cli_run_progress(void *ud, const tm_run_progress *p) {
    tm_cli *c = ud;
    double now = tm_cli_now();
    if (p->new_pass) {
        int corpus_wide = p->input == NULL;
        if (c->progress_shown && (corpus_wide || !c->pass_shard_phase)) fputc('\n', stderr);
        c->pass_shard_phase = !corpus_wide;
        c->progress_last = 0;
    }
    if (now - c->progress_last < 0.1) return;
    c->progress_last = now;
    double mb = (double)p->bytes / 1e6;
    char rate[32] = "- MB/s"; /* a pass's first batch has no rate yet */
    if (p->pass_seconds > 0.05) snprintf(rate, sizeof rate, "%.1f MB/s", mb / p->pass_seconds);
    char where[300] = "";
    if (p->input) {
        const char *base = strrchr(p->input, '/');
        snprintf(where, sizeof where, " %zu/%zu %s", p->shard, p->n_shards,
                 base ? base + 1 : p->input);
    }
    char eta[32] = "?";
    uint64_t done = p->job_done < p->job_total ? p->job_done : p->job_total;
    if (p->job_total && done > p->job_total / 200 && p->run_seconds > 0.5)
        fmt_eta(eta, sizeof eta, p->run_seconds * (double)(p->job_total - done) / (double)done);
    fprintf(stderr, "\r\033[Ktamis run: %s%s: %.1f of %.1f MB, %s; run %.0f%%, ETA %s", p->stage,
            where, mb, (double)p->bytes_total / 1e6, rate,
            p->job_total ? 100.0 * (double)done / (double)p->job_total : 0.0, eta);
    c->progress_shown = 1;
}

void tm_cli_init(tm_cli *c, const char *cmd, const char *usage, int argc) {
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    c->usage = usage;
    tm_job_opts_init(&c->job);
    c->inputs = calloc((size_t)(argc > 0 ? argc : 1), sizeof *c->inputs);
    if (!c->inputs) {
        fprintf(stderr, "tamis: out of memory\n");
        exit(TM_EXIT_FAIL);
    }
    c->max_reject_rate = 0.10;
    c->t_start = tm_cli_now();
    c->pass_t0 = c->t_start;
    c->pass = c->passes = 1;
    c->cmd_bit = tm_cli_command_bit(cmd);
    if (tm_run_config_new(&c->cfg)) {
        fprintf(stderr, "tamis: out of memory\n");
        exit(TM_EXIT_FAIL);
    }
}

void tm_cli_free(tm_cli *c) {
    free(c->inputs);
    c->inputs = NULL;
    tm_run_config_free(c->cfg);
    c->cfg = NULL;
}

void tm_cli_usage_error(tm_cli *c, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "tamis %s: ", c->cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nRun 'tamis %s --help' for usage.\n", c->cmd);
    exit(TM_EXIT_USAGE);
}

int tm_cli_is_opt(const char *arg, const char *name) {
    size_t n = strlen(name);
    return !strncmp(arg, name, n) && (arg[n] == '\0' || (arg[n] == '=' && name[1] == '-'));
}

const char *tm_cli_value(tm_cli *c, int argc, char **argv, int *i) {
    const char *arg = argv[*i];
    const char *eq = arg[0] == '-' && arg[1] == '-' ? strchr(arg, '=') : NULL;
    if (eq) return eq + 1;
    if (*i + 1 >= argc) tm_cli_usage_error(c, "option %s needs a value", arg);
    return argv[++*i];
}

int tm_cli_common(tm_cli *c, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    tm_job_opts *j = &c->job;
    /* "--" ends the options: what follows is an input, whatever its name */
    if (c->end_of_options) {
        c->inputs[c->n_inputs++] = a;
        (*i)++;
        return 1;
    }
    if (!strcmp(a, "--")) {
        c->end_of_options = 1;
        (*i)++;
        return 1;
    }
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
        tm_cli_print_help(c, stdout);
        exit(TM_EXIT_OK);
    }
    if (tm_cli_table_option(c, argc, argv, i)) return 1;
    if (!strcmp(a, "-o") || tm_cli_is_opt(a, "--output")) {
        j->output = tm_cli_value(c, argc, argv, i);
    } else if (tm_cli_is_opt(a, "--removed")) {
        j->removed = tm_cli_value(c, argc, argv, i);
    } else if (tm_cli_is_opt(a, "--rejects")) {
        j->rejects = tm_cli_value(c, argc, argv, i);
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
        c->quiet = 1;
    } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
        c->verbose = 1;
    } else {
        return 0;
    }
    (*i)++;
    return 1;
}

void tm_cli_positional(tm_cli *c, const char *arg) {
    if (arg[0] == '-' && arg[1] != '\0') tm_cli_usage_error(c, "unknown option '%s'", arg);
    c->inputs[c->n_inputs++] = arg;
}

void tm_cli_check_output(tm_cli *c, const char *path) {
    if (!path || !*path || !strcmp(path, "-")) return;
    struct stat st;
    int err = 0;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) err = EISDIR;
    } else {
        /* the folder it would be created in */
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash) {
            if (slash == dir)
                slash[1] = '\0';
            else
                *slash = '\0';
            if (stat(dir, &st) != 0)
                err = errno;
            else if (!S_ISDIR(st.st_mode))
                err = ENOTDIR;
        }
    }
    if (!err) return;
    fprintf(stderr, "tamis %s: cannot write %s: %s\n", c->cmd, path, strerror(err));
    exit(TM_EXIT_FAIL);
}

void tm_cli_finish(tm_cli *c) {
    /* the table's options into the job: threads, reader fields, format */
    tm_options_job(c->cfg, &c->job);
    char rf[16];
    tm_options_value(c->cfg, "output.removed_format", rf, sizeof rf);
    /* a run writes its removed/ files itself, in either form */
    c->removed_ids = c->cmd_bit != TM_CMD_RUN && !strcmp(rf, "ids");
    char rate[32];
    tm_options_value(c->cfg, "reader.max_reject_rate", rate, sizeof rate);
    c->max_reject_rate = strtod(rate, NULL);
    /* outputs that cannot be written fail before any input is read, so
     * that a failed command leaves no other output behind */
    tm_cli_check_output(c, c->job.output);
    tm_cli_check_output(c, c->job.removed);
    tm_cli_check_output(c, c->job.rejects);
    if (c->removed_ids) {
        if (!c->job.removed) tm_cli_usage_error(c, "--removed-format ids needs --removed FILE");
        /* the job writes the full documents beside the temporary files;
         * tm_cli_done keeps their ids, stage, reason and evidence */
        const char *dir = getenv("TMPDIR");
        snprintf(c->removed_tmp, sizeof c->removed_tmp, "%s/tamis-removed-XXXXXX.jsonl",
                 dir && *dir ? dir : "/tmp");
        int fd = mkstemps(c->removed_tmp, 6);
        if (fd < 0) {
            fprintf(stderr, "tamis %s: cannot create a temporary file in %s: %s\n", c->cmd,
                    dir && *dir ? dir : "/tmp", strerror(errno));
            exit(TM_EXIT_FAIL);
        }
        close(fd);
        c->removed_user = c->job.removed;
        c->job.removed = c->removed_tmp;
    }
    if (c->n_inputs == 0) c->inputs[c->n_inputs++] = "-";
    c->job.inputs = c->inputs;
    c->job.n_inputs = c->n_inputs;
    if (!c->quiet && isatty(STDERR_FILENO)) {
        c->job.progress = progress;
        c->job.progress_ud = c;
    }
}

void tm_cli_print_stats_table(FILE *f, const tm_stats *st, double seconds) {
    double mb = (double)st->bytes_in / 1e6;
    fprintf(f, "%-18s %14llu\n", "documents read", (unsigned long long)st->read);
    fprintf(f, "%-18s %14llu\n", "  kept", (unsigned long long)st->written);
    fprintf(f, "%-18s %14llu\n", "  removed", (unsigned long long)st->removed);
    fprintf(f, "%-18s %14llu\n", "  rejected", (unsigned long long)st->rejected);
    for (int i = 1; i < TM_REJECT_KINDS; i++)
        if (st->rejected_by[i])
            fprintf(f, "    %-14s %14llu\n", tm_error_name(-i),
                    (unsigned long long)st->rejected_by[i]);
    fprintf(f, "%-18s %14llu\n", "skipped records", (unsigned long long)st->skipped_records);
    fprintf(f, "%-18s %14llu\n", "input bytes", (unsigned long long)st->bytes_in);
    fprintf(f, "%-18s %14llu\n", "text bytes", (unsigned long long)st->text_bytes);
    fprintf(f, "%-18s %14llu\n", "characters", (unsigned long long)st->chars);
    fprintf(f, "%-18s %14llu\n", "words", (unsigned long long)st->words);
    fprintf(f, "%-18s %14llu\n", "lines", (unsigned long long)st->lines);
    fprintf(f, "%-18s %14llu\n", "empty documents", (unsigned long long)st->empty_docs);
    fprintf(f, "%-18s %14llu\n", "invalid UTF-8", (unsigned long long)st->invalid_utf8);
    fprintf(f, "%-18s %14llu\n", "NUL characters", (unsigned long long)st->nul_bytes);
    if (seconds > 0) fprintf(f, "%-18s %14.1f\n", "MB/s", seconds > 0 ? mb / seconds : 0.0);
}

/* Copies the JSON string member key of line (a rejects-file line, so a flat
 * object of tamis's making) into out, escapes resolved as far as a message
 * needs (\" \\ and \uXXXX below 0x80 as '?'). Empty when absent. */
static void json_member(const char *line, const char *key, char *out, size_t size) {
    char pat[32];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(line, pat);
    size_t o = 0;
    if (p) {
        p += strlen(pat);
        if (*p == '"') {
            for (p++; *p && *p != '"' && o + 1 < size; p++) {
                if (*p == '\\' && p[1]) {
                    p++;
                    if (*p == 'u') {
                        out[o++] = '?';
                        for (int k = 0; k < 4 && p[1]; k++) p++;
                        continue;
                    }
                    out[o++] = *p == 'n' ? ' ' : *p == 't' ? ' ' : *p;
                    continue;
                }
                out[o++] = *p;
            }
        } else {
            while (*p && *p != ',' && *p != '}' && o + 1 < size) out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

/* The first line of the rejects file whose error is name: "FILE:LINE: reason". */
static int first_reject(const char *path, const char *name, char *out, size_t size) {
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f) return 0;
    char want[48];
    snprintf(want, sizeof want, "\"error\":\"%s\"", name);
    char *line = NULL;
    size_t cap = 0;
    int found = 0;
    for (int n = 0; !found && n < 100000 && getline(&line, &cap, f) > 0; n++) {
        if (!strstr(line, want)) continue;
        char file[512], ln[32], reason[512];
        json_member(line, "file", file, sizeof file);
        json_member(line, "line", ln, sizeof ln);
        json_member(line, "reason", reason, sizeof reason);
        const char *base = strrchr(file, '/');
        snprintf(out, size, "%s:%s: %s", base ? base + 1 : file, ln, reason);
        found = 1;
    }
    free(line);
    fclose(f);
    return found;
}

int tm_cli_check_rejects(tm_cli *c, const tm_stats *st, const char *rejects_path) {
    if (!st || c->no_reject_check || st->read == 0) return TM_EXIT_OK;
    uint64_t empty = c->empty_is_removal ? 0 : st->empty_docs;
    uint64_t bad = st->rejected + empty;
    if ((double)bad <= c->max_reject_rate * (double)st->read) return TM_EXIT_OK;
    if (c->progress_shown) fputs("\r\033[K", stderr);
    fprintf(stderr,
            "tamis %s: %llu of %llu records (%.0f%%) were rejected (%llu) or empty (%llu): more "
            "than --max-reject-rate %g%% allows\n",
            c->cmd, (unsigned long long)bad, (unsigned long long)st->read,
            100.0 * (double)bad / (double)st->read, (unsigned long long)st->rejected,
            (unsigned long long)empty, 100.0 * c->max_reject_rate);
    /* the likely cause: the largest of the reject reasons and the empties */
    int top = 0;
    uint64_t most = empty;
    for (int k = 1; k < TM_REJECT_KINDS; k++)
        if (st->rejected_by[k] > most) most = st->rejected_by[k], top = k;
    char eg[1200] = "";
    if (top == 0) {
        fprintf(stderr,
                "tamis %s: likely cause: %llu of %llu documents are empty or only whitespace; "
                "does --text-field name the field that holds the text?\n",
                c->cmd, (unsigned long long)most, (unsigned long long)st->read);
        return TM_EXIT_REJECTS;
    }
    const char *name = tm_error_name(-top);
    int have = first_reject(rejects_path, name, eg, sizeof eg);
    const char *hint = "";
    switch (-top) {
    case TM_ERR_FIELD: hint = "; set --text-field to the field that holds the text"; break;
    case TM_ERR_JSON: hint = "; if the input is plain text, say --format text or --lines"; break;
    case TM_ERR_TOO_BIG: hint = "; --max-doc-bytes raises the limit"; break;
    default: break;
    }
    if (-top == TM_ERR_FIELD && have)
        fprintf(
            stderr,
            "tamis %s: likely cause: the text field is missing (or not a string) in %llu of %llu "
            "records (first: %s)%s\n",
            c->cmd, (unsigned long long)most, (unsigned long long)st->read, eg, hint);
    else if (-top == TM_ERR_UNSUPPORTED && have)
        fprintf(stderr, "tamis %s: likely cause: %s\n", c->cmd, eg);
    else
        fprintf(stderr, "tamis %s: likely cause: %llu of %llu records rejected as '%s'%s%s%s\n",
                c->cmd, (unsigned long long)most, (unsigned long long)st->read, name,
                have ? " (first: " : "", have ? eg : "", have ? ")" : "");
    if (-top != TM_ERR_FIELD && *hint) fprintf(stderr, "tamis %s: hint: %s\n", c->cmd, hint + 2);
    return TM_EXIT_REJECTS;
}

/* --removed-format ids: the job's removed documents, at the temporary
 * path, become id lines at the user's path; the temporary file goes. */
static tm_error removed_ids(tm_cli *c, tm_error err) {
    if (!c->removed_ids) return err;
    if (!err) {
        const char *src[] = {c->removed_tmp};
        err = tm_removed_to_ids(src, 1, c->removed_user, c->cmd, &c->job.reader);
        if (err)
            snprintf(c->err, sizeof c->err, "cannot write %s: %s", c->removed_user,
                     err == TM_ERR_OPEN || err == TM_ERR_IO ? strerror(errno) : tm_strerror(err));
    }
    unlink(c->removed_tmp);
    c->removed_ids = 0;
    return err;
}

int tm_cli_done(tm_cli *c, tm_error err, const tm_stats *st) {
    err = removed_ids(c, err);
    if (c->progress_shown) fputs("\r\033[K", stderr);
    double el = tm_cli_now() - c->t_start;
    if (err && err != TM_EOF) {
        /* the detail (the CLI's own, else the library's) names the path
         * and the system's reason; the generic name of the error only when
         * there is none */
        const char *d = c->err[0] ? c->err : tm_error_detail();
        fprintf(stderr, "tamis %s: %s\n", c->cmd, *d ? d : tm_strerror(err));
        return err == TM_ERR_LEDGER || err == TM_ERR_INTERNAL ? TM_EXIT_INTERNAL : TM_EXIT_FAIL;
    }
    if (st && st->rejected && !c->quiet && c->no_reject_check && !c->job.rejects) {
        fprintf(stderr, "tamis %s: %llu record%s rejected (--rejects FILE keeps them)\n", c->cmd,
                (unsigned long long)st->rejected, st->rejected == 1 ? "" : "s");
    } else if (st && st->rejected && !c->quiet) {
        char path[4096];
        tm_job_rejects_path(&c->job, path, sizeof path);
        fprintf(stderr, "tamis %s: %llu record%s rejected, kept in %s\n", c->cmd,
                (unsigned long long)st->rejected, st->rejected == 1 ? "" : "s", path);
    }
    if (st && c->verbose && !c->quiet) {
        fprintf(stderr,
                "tamis %s: read %llu = kept %llu + removed %llu + rejected %llu"
                " in %.2fs (%.1f MB/s)\n",
                c->cmd, (unsigned long long)st->read, (unsigned long long)st->written,
                (unsigned long long)st->removed, (unsigned long long)st->rejected, el,
                el > 0 ? (double)st->bytes_in / 1e6 / el : 0.0);
    }
    if (st) {
        char path[4096];
        tm_job_rejects_path(&c->job, path, sizeof path);
        return tm_cli_check_rejects(c, st, path);
    }
    return TM_EXIT_OK;
}
