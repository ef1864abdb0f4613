/*
 * cmd_filter.c — `tamis filter`: keeps or removes every document by an
 * ordered rule set (a preset plus overrides), with the first failing rule,
 * its value and threshold on every removed document.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: tamis filter INPUT... -o KEPT [--removed REMOVED] [options]\n"
    "\n"
    "Keeps the documents that pass every rule; removed ones get \"tamis\":\n"
    "{\"removed_by\": RULE, \"value\": V, \"threshold\": T}. Rules run in the order\n"
    "of datatrove's FineWeb chain: language, Gopher repetition, Gopher quality,\n"
    "C4 (whose line rules rewrite the text), FineWeb, tamis. A threshold of 0\n"
    "disables a rule. Definitions and presets: docs/SIGNALS.md.\n"
    "\n"
    "outputs and rules:\n"
    "  -o, --output FILE      kept documents (default stdout)\n"
    "  --removed FILE         removed documents (default: not written)\n"
    "  --rule NAME=THRESHOLD  set a rule's threshold (repeatable; 0 disables); the\n"
    "                         configuration key filter.rules.NAME\n"
    "  --list-rules           print the preset's active rules (with --rule and --lang\n"
    "                         applied): name, kind (max: removed above the threshold,\n"
    "                         min: below it, flag: when set) and threshold; exit\n"
    "  --stats-json FILE      write the per-rule removal counts as JSON\n"
    "  -v, --verbose          a summary and removals per rule on stderr\n";

int tm_cmd_filter(int argc, char **argv) {
    tm_cli c;
    tm_cli_init(&c, "filter", usage, argc);
    const char *stats_json = NULL;
    int list = 0;
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        if (tm_cli_common(&c, argc, argv, &i)) continue;
        if (tm_cli_is_opt(a, "--rule")) {
            /* NAME=THRESHOLD is the key filter.rules.NAME */
            const char *v = tm_cli_value(&c, argc, argv, &i);
            const char *eq = strchr(v, '=');
            if (!eq) tm_cli_usage_error(&c, "--rule: expected NAME=THRESHOLD, got '%s'", v);
            char key[160];
            if ((size_t)(eq - v) >= sizeof key - 13)
                tm_cli_usage_error(&c, "--rule: name too long");
            snprintf(key, sizeof key, "filter.rules.%.*s", (int)(eq - v), v);
            tm_cli_set(&c, key, eq + 1, NULL); /* the message names the rule */
        } else if (tm_cli_is_opt(a, "--stats-json")) {
            stats_json = tm_cli_value(&c, argc, argv, &i);
        } else if (!strcmp(a, "--list-rules")) {
            list = 1;
        } else {
            tm_cli_positional(&c, argv[i++]);
            continue;
        }
        i++;
    }
    tm_filter *f;
    tm_error fe = tm_options_filter(c.cfg, TM_CMD_FILTER, &f);
    if (fe == TM_ERR_ARG) tm_cli_usage_error(&c, "%s", tm_error_detail());
    if (fe) {
        fprintf(stderr, "tamis filter: %s\n", tm_strerror(fe));
        tm_cli_free(&c);
        return TM_EXIT_FAIL;
    }
    if (list) {
        /* name, kind, threshold: the preset with --rule/--lang applied */
        for (size_t k = 0; k < tm_filter_n_rules(f); k++)
            printf("%-46s %-5s %.10g\n", tm_filter_rule_name(f, k), tm_filter_rule_kind(f, k),
                   tm_filter_rule_threshold(f, k));
        tm_filter_free(f);
        tm_cli_free(&c);
        return TM_EXIT_OK;
    }
    tm_cli_check_output(&c, stats_json);
    tm_cli_finish(&c);
    char explain[8], sample[32];
    tm_options_value(c.cfg, "output.explain", explain, sizeof explain);
    tm_options_value(c.cfg, "filter.lang_sample", sample, sizeof sample);
    tm_filter_opts fo;
    tm_filter_opts_init(&fo);
    fo.filter = f;
    fo.explain = !strcmp(explain, "true");
    fo.lang_sample = (size_t)strtoull(sample, NULL, 10);
    tm_filter_stats fs;
    memset(&fs, 0, sizeof fs);
    tm_error e = tm_job_filter(&c.job, &fo, &fs);
    int rc = tm_cli_done(&c, e, &fs.base);
    if (rc == TM_EXIT_OK && (c.verbose || stats_json)) {
        tm_buf b = {0};
        if (tm_filter_stats_to_json(&fs, &b) == TM_OK) {
            if (c.verbose)
                for (size_t k = 0; k < fs.n_rules; k++)
                    if (fs.removed_by[k])
                        fprintf(stderr, "  removed by %-42s %llu\n", fs.rule_names[k],
                                (unsigned long long)fs.removed_by[k]);
            if (stats_json) {
                if (tm_cli_write_text(&c, stats_json, b.data, b.len)) rc = TM_EXIT_FAIL;
            }
        }
        tm_buf_free(&b);
    }
    tm_filter_free(f);
    tm_cli_free(&c);
    return rc;
}
