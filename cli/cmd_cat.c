/*
 * cmd_cat.c — `tamis cat`: any supported input to normalised JSONL.
 */
#include "cli.h"

#include <stdlib.h>

static const char usage[] =
    "usage: tamis cat [options] INPUT...\n"
    "\n"
    "Writes every readable record of the inputs as one JSON object a line.\n"
    "JSONL input keeps all its fields byte for byte (text repaired to valid UTF-8);\n"
    "text and WARC/WET input become {\"id\",\"text\",\"metadata\"}. Unreadable records\n"
    "go to the rejects file with their file, line and reason.\n"
    "\n"
    "outputs:\n"
    "  -o, --output FILE      output (default stdout); .gz/.zst compress\n"
    "  -v, --verbose          print a summary to stderr\n";

int tm_cmd_cat(int argc, char **argv) {
    tm_cli c;
    tm_cli_init(&c, "cat", usage, argc);
    for (int i = 1; i < argc;) {
        if (tm_cli_common(&c, argc, argv, &i)) continue;
        tm_cli_positional(&c, argv[i++]);
    }
    tm_cli_finish(&c);
    tm_stats st = {0};
    tm_error e = tm_job_cat(&c.job, &st);
    int rc = tm_cli_done(&c, e, &st);
    tm_cli_free(&c);
    return rc;
}
