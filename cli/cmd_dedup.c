/*
 * cmd_dedup.c — `tamis dedup`: option parsing for tm_job_dedup (see
 * docs/DEDUP.md for the method, the defaults and what each option costs).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: tamis dedup [options] INPUT... -o KEPT\n"
    "\n"
    "Removes exact duplicates (128-bit hash of the normalised text) and near\n"
    "duplicates (MinHash-LSH, every candidate pair verified by Jaccard similarity),\n"
    "keeping one document per cluster; optionally removes lines already seen in an\n"
    "earlier document (--paragraphs). Reads the inputs twice: stdin, pipes, FIFOs\n"
    "and other inputs that are not regular files are first copied to --tmp-dir, and\n"
    "an input that changes between the passes fails the job. Output is identical\n"
    "for any --threads and --memory.\n"
    "\n"
    "What to remove: --exact and --near by default; naming any of --exact, --near\n"
    "and --paragraphs removes only what is named. Method and costs: docs/DEDUP.md.\n"
    "\n"
    "outputs:\n"
    "  -o, --output FILE      kept documents (default stdout); .gz/.zst compress\n"
    "  --removed FILE         removed documents, with \"tamis\": {\"duplicate_of\",\n"
    "                         \"similarity\", \"cluster\", ...}\n"
    "  --clusters FILE        one JSON line per cluster: members and similarities\n"
    "  --stats-json FILE      write the dedup counters as JSON\n"
    "  -v, --verbose          print the dedup counters to stderr\n";

int tm_cmd_dedup(int argc, char **argv) {
    tm_cli c;
    tm_cli_init(&c, "dedup", usage, argc);
    const char *stats_json = NULL, *clusters = NULL;
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        if (tm_cli_common(&c, argc, argv, &i)) continue;
        if (tm_cli_is_opt(a, "--clusters")) {
            clusters = tm_cli_value(&c, argc, argv, &i);
        } else if (tm_cli_is_opt(a, "--stats-json")) {
            stats_json = tm_cli_value(&c, argc, argv, &i);
        } else {
            tm_cli_positional(&c, argv[i++]);
            continue;
        }
        i++;
    }
    tm_dedup_opts d;
    if (tm_options_dedup(c.cfg, TM_CMD_DEDUP, &d)) tm_cli_usage_error(&c, "%s", tm_error_detail());
    d.clusters = clusters;
    tm_cli_check_output(&c, d.clusters);
    tm_cli_check_output(&c, stats_json);
    tm_cli_finish(&c);
    c.passes = 2; /* the progress line says which */
    tm_dedup_stats ds;
    tm_error e = tm_job_dedup(&c.job, &d, &ds);
    int rc = tm_cli_done(&c, e, &ds.ledger);
    if (rc == TM_EXIT_OK && (c.verbose || stats_json)) {
        tm_buf b = {0};
        if (tm_dedup_stats_to_json(&ds, &b) == TM_OK) {
            if (c.verbose && !c.quiet)
                fprintf(stderr,
                        "tamis dedup: %llu docs: %llu exact, %llu near removed in %llu "
                        "clusters; %llu lines removed, %llu docs left too short; LSH %dx%d, "
                        "%llu candidate pairs, %llu verified, %llu rejected\n",
                        (unsigned long long)ds.docs, (unsigned long long)ds.exact_removed,
                        (unsigned long long)ds.near_removed, (unsigned long long)ds.clusters,
                        (unsigned long long)ds.paragraphs_removed,
                        (unsigned long long)ds.paragraph_docs_removed, ds.bands, ds.rows,
                        (unsigned long long)ds.candidate_pairs,
                        (unsigned long long)ds.verified_pairs,
                        (unsigned long long)ds.rejected_pairs);
            if (stats_json) {
                if (tm_cli_write_text(&c, stats_json, b.data, b.len)) rc = TM_EXIT_FAIL;
            }
        }
        tm_buf_free(&b);
    }
    tm_cli_free(&c);
    return rc;
}
