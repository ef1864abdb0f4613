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
    "options:\n"
    "  -o, --output FILE      output (default stdout; .gz/.zst compress)\n"
    "  --signals LIST         comma-separated signal or family names to compute\n"
    "                         (gopher_quality, gopher_repetition, c4, fineweb,\n"
    "                         tamis, all; default all); families not asked for\n"
    "                         are not computed\n"
    "  --no-lang              skip language identification\n"
    "  --tokenizer NAME       words of the Gopher/FineWeb signals and C4's sentences:\n"
    "                         tamis (default) | nltk (datatrove's, as the gopher, c4\n"
    "                         and fineweb filter presets count)\n"
    "  --quality              add \"quality\": the share of the default filter preset's\n"
    "                         rules the document passes (dedup --keep best uses it)\n"
    "  --lang-sample SIZE     identify the language on ~SIZE bytes (start, middle,\n"
    "                         end) instead of the whole text: faster (docs/LANGID.md)\n"
    "  --list-signals         print every signal name and exit\n"
    "  -v, --verbose          a summary on stderr\n" TM_CLI_READ_HELP;

int tm_cmd_score(int argc, char **argv) {
    tm_cli c;
    tm_score_opts so;
    tm_cli_init(&c, "score", usage, argc);
    tm_score_opts_init(&so);
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        if (tm_cli_common(&c, argc, argv, &i)) continue;
        if (tm_cli_is_opt(a, "--signals")) {
            char err[128];
            const char *v = tm_cli_value(&c, argc, argv, &i);
            if (tm_signal_mask_parse(v, &so.signals, err, sizeof err))
                tm_cli_usage_error(&c, "--signals: %s (see --list-signals)", err);
            i++;
        } else if (!strcmp(a, "--no-lang")) {
            so.lang = 0;
            i++;
        } else if (tm_cli_is_opt(a, "--tokenizer")) {
            const char *v = tm_cli_value(&c, argc, argv, &i);
            if (strcmp(v, "tamis") && strcmp(v, "nltk"))
                tm_cli_usage_error(&c, "--tokenizer: unknown tokenizer '%s' (nltk, tamis)", v);
            so.nltk_words = !strcmp(v, "nltk");
            i++;
        } else if (!strcmp(a, "--quality")) {
            so.quality = 1;
            i++;
        } else if (tm_cli_is_opt(a, "--lang-sample")) {
            so.lang_sample =
                (size_t)tm_cli_size(&c, "--lang-sample", tm_cli_value(&c, argc, argv, &i));
            i++;
        } else if (!strcmp(a, "--list-signals")) {
            for (int k = 0; k < TM_SIG_COUNT; k++) printf("%s\n", tm_signal_name(k));
            free(c.inputs);
            return TM_EXIT_OK;
        } else {
            tm_cli_positional(&c, argv[i++]);
        }
    }
    tm_cli_finish(&c);
    tm_stats st = {0};
    tm_error e = tm_job_score(&c.job, &so, &st);
    int rc = tm_cli_done(&c, e, &st);
    free(c.inputs);
    return rc;
}
