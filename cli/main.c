/*
 * main.c — the `tamis` program: dispatches to one subcommand per file
 * (cli/cmd_*.c). Global options: --version, --help.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"cat", tm_cmd_cat, "any input (JSONL, text, WARC/WET; gz, zst) to normalised JSONL"},
    {"extract", tm_cmd_extract, "WARC responses and HTML pages to their main text and metadata"},
    {"stats", tm_cmd_stats, "count documents, bytes, characters, words, lines, rejects"},
    {"score", tm_cmd_score, "quality signals and language of every document"},
    {"filter", tm_cmd_filter, "keep or remove documents by quality rules and presets"},
    {"clean", tm_cmd_clean, "repair documents: mojibake, repeats, doubled words, spaces"},
    {"dedup", tm_cmd_dedup, "remove exact and near duplicates (MinHash-LSH)"},
    {"run", tm_cmd_run, "the whole pipeline into a directory, resumable, with a report"},
};

static void usage(FILE *f) {
    fprintf(f, "usage: tamis <command> [options] INPUT...\n\n"
               "tamis reads web and news text as a stream and explains every decision.\n\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun 'tamis <command> --help' for a command's options.\n"
               "INPUT is a file, a directory (read recursively, sorted) or - for stdin.\n\n"
               "exit codes: 0 success (rejected records are counted and kept in the rejects\n"
               "file), 1 an input or output could not be read or written, 2 usage error,\n"
               "3 internal error, 4 more than --max-reject-rate (default 10%%) of the\n"
               "records were rejected or empty (the message says why).\n");
}

/* CLD2 allocates and frees about 100 KiB of scratch on every call. On the
 * main thread glibc gives that back to the kernel each time (the freed block
 * tops the heap and exceeds the 128 KiB trim threshold) and takes it again
 * on the next call: one brk pair and a page-fault storm per document. On
 * 50,000 short documents, `tamis score -j 1` spent 2.8 s in the kernel out
 * of 4.1 s. Keeping up to 4 MiB of free heap stops it (0.7 s; worker threads'
 * arenas trim less eagerly and were less affected). The library must not
 * change process-wide allocator settings, so the program does: docs/LANGID.md
 * tells library users the same. */
static void tune_allocator(void) {
#if defined(__GLIBC__) && defined(M_TRIM_THRESHOLD)
    mallopt(M_TRIM_THRESHOLD, 4 << 20);
#endif
}

/* Short options combine as in zstd and jq: "-qv" is "-q -v", "-qj2" is
 * "-q -j 2", "-qofile" is "-q -o file". Only the short options every
 * command shares are split (q, v, h flags; o, j with a value); anything else
 * is left for the command to refuse. Arguments after "--" are not touched.
 * Returns a new argv (the strings are argv's or allocated; kept for the
 * life of the process, reachable from split_argv). */
static char **volatile split_argv; /* volatile: a store never read is not optimised away */
static char **split_short_options(int *argc, char **argv) {
    char **out = calloc((size_t)*argc * 2 + 1, sizeof *out);
    if (!out) return argv;
    split_argv = out;
    int n = 0, ends = 0;
    for (int i = 0; i < *argc; i++) {
        const char *a = argv[i];
        size_t len = strlen(a);
        if (!strcmp(a, "--")) ends = 1;
        int ok = !ends && i > 0 && a[0] == '-' && a[1] != '-' && len > 2;
        /* every letter up to the first that takes a value must be a flag */
        for (size_t k = 1; ok && k < len; k++) {
            if (a[k] == 'o' || a[k] == 'j') break;
            if (!strchr("qvh", a[k])) ok = 0;
        }
        if (!ok || (a[1] == 'j' && len > 2)) { /* -j2 stays, as make takes it */
            out[n++] = argv[i];
            continue;
        }
        for (size_t k = 1; k < len; k++) {
            char *opt = malloc(3);
            if (!opt) return argv;
            opt[0] = '-', opt[1] = a[k], opt[2] = '\0';
            out[n++] = opt;
            if (a[k] == 'o' || a[k] == 'j') {
                if (a[k + 1]) out[n++] = (char *)a + k + 1;
                break;
            }
        }
    }
    out[n] = NULL;
    *argc = n;
    return out;
}

int main(int argc, char **argv) {
    tune_allocator();
    argv = split_short_options(&argc, argv);
    if (argc < 2) {
        usage(stderr);
        return TM_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("tamis %s\n", tm_version());
        return TM_EXIT_OK;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return TM_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(cmd, commands[i].name)) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "tamis: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return TM_EXIT_USAGE;
}
