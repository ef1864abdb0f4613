/*
 * main.c — the `tamis` program: dispatches to one subcommand per file
 * (cli/cmd_*.c). Global options: --version, --help.
 */
#include "cli.h"

#include <stdio.h>
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
               "3 internal error.\n");
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

int main(int argc, char **argv) {
    tune_allocator();
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
