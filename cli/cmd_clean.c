/*
 * cmd_clean.c — `tamis clean`: repair documents in place and record every
 * edit (see docs/CLEAN.md).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: tamis clean [options] INPUT...\n"
    "\n"
    "Repairs every document and writes it as JSONL, with its edits in\n"
    "\"tamis\":{\"edits\":[...]}; documents without edits are written unchanged.\n"
    "Operations, in order (all on by default):\n"
    "  encoding    mojibake: UTF-8 read as cp1252/Latin-1 (\"Ã©\" -> \"é\")\n"
    "  normalize   NFC, control characters, odd spaces, blank lines, trailing spaces\n"
    "  repeated    paragraphs repeating an earlier one (>= 4 words)\n"
    "  reworded    paragraphs near-duplicating an earlier one (>= 10 words)\n"
    "  doubled     doubled words (\"accord accord\"), per-language exceptions\n"
    "\n"
    "options:\n"
    "  --ops LIST             comma-separated operations to run (default all)\n"
    "  --para-threshold X     word-set Jaccard for reworded paragraphs (default 0.6)\n"
    "  --lang CODE            language of every document (default: detected)\n"
    "  --dry-run              record the edits, leave the text unchanged\n"
    "  --stats-json FILE      write the clean totals as JSON to FILE\n"
    "  -o, --output FILE      output (default stdout); .gz/.zst compress\n"
    "  -v, --verbose          print the clean totals to stderr\n" TM_CLI_READ_HELP;

int tm_cmd_clean(int argc, char **argv) {
    tm_cli c;
    tm_cli_init(&c, "clean", usage, argc);
    tm_clean_opts co;
    tm_clean_opts_init(&co);
    const char *stats_path = NULL;
    int stats_failed = 0;
    for (int i = 1; i < argc;) {
        if (tm_cli_common(&c, argc, argv, &i)) continue;
        const char *a = argv[i];
        if (!strncmp(a, "--ops", 5) && (a[5] == '\0' || a[5] == '=')) {
            const char *v = tm_cli_value(&c, argc, argv, &i);
            if (tm_clean_ops_parse(v, &co.ops) != TM_OK)
                tm_cli_usage_error(&c,
                                   "--ops: unknown operation in '%s' (encoding, normalize, "
                                   "repeated, reworded, doubled, all, none)",
                                   v);
            i++;
        } else if (!strncmp(a, "--para-threshold", 16) && (a[16] == '\0' || a[16] == '=')) {
            const char *v = tm_cli_value(&c, argc, argv, &i);
            co.para_threshold = tm_cli_double(&c, "--para-threshold", v, 0.01, 1.0);
            i++;
        } else if (!strncmp(a, "--lang", 6) && (a[6] == '\0' || a[6] == '=')) {
            co.lang = tm_cli_value(&c, argc, argv, &i);
            i++;
        } else if (tm_cli_is_opt(a, "--stats-json") || tm_cli_is_opt(a, "--stats")) {
            stats_path = tm_cli_value(&c, argc, argv, &i);
            i++;
        } else if (!strcmp(a, "--dry-run")) {
            co.dry_run = 1;
            i++;
        } else {
            tm_cli_positional(&c, argv[i++]);
        }
    }
    tm_cli_check_output(&c, stats_path);
    tm_cli_finish(&c);
    tm_clean_stats st;
    tm_error e = tm_job_clean(&c.job, &co, &st);
    if (e == TM_OK && (stats_path || c.verbose)) {
        tm_buf b = {0};
        e = tm_clean_stats_to_json(&st, &b);
        if (e == TM_OK && c.verbose) fprintf(stderr, "tamis clean: %s\n", b.data);
        /* tm_cli_write_text says what failed: only the exit code follows */
        if (e == TM_OK && stats_path && tm_cli_write_text(&c, stats_path, b.data, b.len))
            stats_failed = 1;
        tm_buf_free(&b);
    }
    int rc = tm_cli_done(&c, e, &st.base);
    if (stats_failed && rc == TM_EXIT_OK) rc = TM_EXIT_FAIL;
    free(c.inputs);
    return rc;
}
