/*
 * cmd_score.c — `tamis score`: every document out with its language and
 * quality signals under "tamis" (definitions: docs/SIGNALS.md).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: tamis score [options] INPUT...\n"
    "\n"
    "Writes every document with \"tamis\": {\"lang\", \"lang_score\", \"signals\":\n"
    "{name: value, ...}}. Signals are the Gopher quality and repetition, C4,\n"
    "FineWeb and tamis signals of docs/SIGNALS.md.\n"
    "\n"
    "outputs:\n"
    "  -o, --output FILE      output (default stdout; .gz/.zst compress)\n"
    "  --list-signals         print every signal name and exit\n"
    "  -v, --verbose          a summary on stderr\n";

int tm_cmd_score(int argc, char **argv) {
    tm_cli c;
    tm_score_opts so;
    tm_cli_init(&c, "score", usage, argc);
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        if (tm_cli_common(&c, argc, argv, &i)) continue;
        if (!strcmp(a, "--list-signals")) {
            for (int k = 0; k < TM_SIG_COUNT; k++) printf("%s\n", tm_signal_name(k));
            tm_cli_free(&c);
            return TM_EXIT_OK;
        }
        tm_cli_positional(&c, argv[i++]);
    }
    if (tm_options_score(c.cfg, &so)) tm_cli_usage_error(&c, "%s", tm_error_detail());
    tm_cli_finish(&c);
    tm_stats st = {0};
    tm_error e = tm_job_score(&c.job, &so, &st);
    int rc = tm_cli_done(&c, e, &st);
    tm_cli_free(&c);
    return rc;
}
