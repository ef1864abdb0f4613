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
    "outputs:\n"
    "  -o, --output FILE      output (default stdout); .gz/.zst compress\n"
    "  --stats-json FILE      write the clean totals as JSON to FILE\n"
    "  -v, --verbose          print the clean totals to stderr\n";

int tm_cmd_clean(int argc, char **argv) {
    tm_cli c;
    tm_cli_init(&c, "clean", usage, argc);
    const char *stats_path = NULL;
    int stats_failed = 0;
    for (int i = 1; i < argc;) {
        if (tm_cli_common(&c, argc, argv, &i)) continue;
        const char *a = argv[i];
        if (tm_cli_is_opt(a, "--stats-json") || tm_cli_is_opt(a, "--stats")) {
            stats_path = tm_cli_value(&c, argc, argv, &i);
            i++;
        } else {
            tm_cli_positional(&c, argv[i++]);
        }
    }
    tm_clean_opts co;
    if (tm_options_clean(c.cfg, &co)) tm_cli_usage_error(&c, "%s", tm_error_detail());
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
    tm_cli_free(&c);
    return rc;
}
