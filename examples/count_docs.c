/*
 * count_docs.c — the smallest useful libtamis program: counts the documents
 * of its inputs and why the unreadable ones were refused.
 *
 * It shows the reading loop every tool built on tamis starts from, using
 * only the public header: tm_reader_open over any mix of JSONL, text and
 * WARC files (gzip or zstd, directories), tm_reader_next until TM_EOF, a
 * negative code for a record that could not be read (the loop goes on), and
 * tm_error_name to key the reasons.
 *
 *   cc count_docs.c -ltamis   (or: make, which builds build/examples/count_docs)
 *   count_docs [--text-field PATH] [--lines] INPUT...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tamis.h"

int main(int argc, char **argv) {
    tm_reader_opts opts;
    tm_reader_opts_init(&opts);
    /* The inputs are argv itself: paths are borrowed until tm_reader_open
     * copies them. */
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t n_paths = 0;
    if (!paths) return 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--text-field") && i + 1 < argc) {
            opts.text_field = argv[++i];
        } else if (!strcmp(argv[i], "--lines")) {
            opts.lines = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "usage: count_docs [--text-field PATH] [--lines] INPUT...\n");
            free(paths);
            return 2;
        } else {
            paths[n_paths++] = argv[i];
        }
    }
    if (n_paths == 0) paths[n_paths++] = "-";

    tm_reader *r;
    tm_error e = tm_reader_open(&r, paths, n_paths, &opts);
    if (e != TM_OK) {
        fprintf(stderr, "count_docs: %s\n", tm_strerror(e));
        free(paths);
        return 1;
    }
    /* Reasons are indexed like tm_stats.rejected_by: by -tm_error. */
    unsigned long long docs = 0, bytes = 0, invalid = 0, rejected = 0;
    unsigned long long by_reason[TM_REJECT_KINDS] = {0};
    int failed = 0;
    tm_doc doc;
    while ((e = tm_reader_next(r, &doc)) != TM_EOF) {
        if (e == TM_OK) {
            docs++;
            bytes += doc.text.len;
            invalid += doc.invalid_utf8;
        } else if (e == TM_ERR_OPEN || e == TM_ERR_IO) {
            /* A whole input is unreadable; the reader goes on to the next. */
            fprintf(stderr, "count_docs: %.*s: %s\n", (int)doc.source.len, doc.source.ptr,
                    tm_strerror(e));
            failed = 1;
        } else {
            rejected++;
            if (-e > 0 && -e < TM_REJECT_KINDS) by_reason[-e]++;
        }
    }
    printf("documents  %llu\n", docs);
    printf("text bytes %llu\n", bytes);
    printf("invalid    %llu UTF-8 sequences replaced\n", invalid);
    printf("skipped    %llu records (not documents)\n", (unsigned long long)tm_reader_skipped(r));
    printf("rejected   %llu\n", rejected);
    for (int k = 1; k < TM_REJECT_KINDS; k++)
        if (by_reason[k]) printf("  %-12s %llu\n", tm_error_name(-k), by_reason[k]);
    tm_reader_close(r);
    free(paths);
    return failed;
}
