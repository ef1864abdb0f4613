/*
 * cmd_stats.c — `tamis stats`: counts documents, bytes, characters, words,
 * lines, empty documents, invalid UTF-8 and rejects by reason.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: tamis stats [options] INPUT...\n"
    "\n"
    "Counts documents, bytes, characters (code points), words (tamis tokenizer),\n"
    "lines, empty documents, invalid UTF-8 sequences and rejected records by\n"
    "reason, as a table or as JSON. Writes no file unless --rejects FILE is given\n"
    "(rejected records are counted either way). Never exits 4: it counts what\n"
    "other commands would refuse.\n"
    "\n"
    "output:\n"
    "  --json                 one JSON object instead of the table\n";

int tm_cmd_stats(int argc, char **argv) {
    tm_cli c;
    tm_cli_init(&c, "stats", usage, argc);
    c.no_reject_check = 1; /* stats counts what others would refuse */
    for (int i = 1; i < argc;) {
        if (tm_cli_common(&c, argc, argv, &i)) continue;
        if (!strcmp(argv[i], "--json")) {
            c.json = 1;
            i++;
            continue;
        }
        tm_cli_positional(&c, argv[i++]);
    }
    tm_cli_finish(&c);
    tm_stats st = {0};
    tm_error e = tm_job_stats(&c.job, &st);
    int rc = tm_cli_done(&c, e, &st);
    if (rc == TM_EXIT_OK) {
        if (c.json) {
            tm_buf b = {0};
            if (tm_stats_to_json(&st, &b) == TM_OK) printf("%s\n", b.data);
            tm_buf_free(&b);
        } else {
            tm_cli_print_stats_table(stdout, &st, 0);
        }
    }
    tm_cli_free(&c);
    return rc;
}
