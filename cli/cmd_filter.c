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
    "options:\n"
    "  -o, --output FILE      kept documents (default stdout)\n"
    "  --removed FILE         removed documents (default: not written)\n"
    "  --removed-format F     full (each removed document, with its reason) or ids\n"
    "                         (one line each: id, stage, reason, evidence)\n"
    "  --preset NAME          gopher | c4 | fineweb | default (default: default)\n"
    "  --lang LIST            keep only these languages (ISO 639-1, comma-separated)\n"
    "  --min-lang-score X     minimum language score in [0,1] (fineweb: 0.65)\n"
    "  --tokenizer NAME       words of the Gopher/FineWeb rules and C4's sentences:\n"
    "                         nltk (datatrove's; gopher, c4, fineweb) | tamis (default)\n"
    "  --rule NAME=THRESHOLD  set a rule's threshold (repeatable; 0 disables)\n"
    "  --explain              add every rule's verdict to every document\n"
    "  --lang-sample SIZE     identify the language on ~SIZE bytes (start, middle,\n"
    "                         end) instead of the whole text: faster (docs/LANGID.md)\n"
    "  --list-rules           print the preset's active rules (with --rule and --lang\n"
    "                         applied): name, kind (max: removed above the threshold,\n"
    "                         min: below it, flag: when set) and threshold; exit\n"
    "  --stats-json FILE      write the per-rule removal counts as JSON\n"
    "  -v, --verbose          a summary and removals per rule on stderr\n" TM_CLI_READ_HELP;

#define MAX_RULE_ARGS 64

int tm_cmd_filter(int argc, char **argv) {
    tm_cli c;
    tm_cli_init(&c, "filter", usage, argc);
    const char *preset = "default", *langs = NULL, *stats_json = NULL, *tokenizer = NULL;
    const char *rules[MAX_RULE_ARGS];
    size_t n_rules = 0;
    double min_score = -1;
    int explain = 0, list = 0;
    size_t lang_sample = 0;
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        if (tm_cli_common(&c, argc, argv, &i)) continue;
        if (tm_cli_is_opt(a, "--preset")) {
            preset = tm_cli_value(&c, argc, argv, &i);
        } else if (tm_cli_is_opt(a, "--lang")) {
            langs = tm_cli_value(&c, argc, argv, &i);
        } else if (tm_cli_is_opt(a, "--min-lang-score")) {
            min_score =
                tm_cli_double(&c, "--min-lang-score", tm_cli_value(&c, argc, argv, &i), 0, 1);
        } else if (tm_cli_is_opt(a, "--tokenizer")) {
            tokenizer = tm_cli_value(&c, argc, argv, &i);
        } else if (tm_cli_is_opt(a, "--rule")) {
            if (n_rules == MAX_RULE_ARGS) tm_cli_usage_error(&c, "too many --rule options");
            rules[n_rules++] = tm_cli_value(&c, argc, argv, &i);
        } else if (tm_cli_is_opt(a, "--stats-json")) {
            stats_json = tm_cli_value(&c, argc, argv, &i);
        } else if (!strcmp(a, "--explain")) {
            explain = 1;
        } else if (tm_cli_is_opt(a, "--lang-sample")) {
            lang_sample =
                (size_t)tm_cli_size(&c, "--lang-sample", tm_cli_value(&c, argc, argv, &i));
        } else if (!strcmp(a, "--list-rules")) {
            list = 1;
        } else {
            tm_cli_positional(&c, argv[i++]);
            continue;
        }
        i++;
    }
    tm_filter *f;
    if (tm_filter_new(&f, preset))
        tm_cli_usage_error(&c, "--preset: unknown preset '%s' (gopher, c4, fineweb, default)",
                           preset);
    if ((langs || min_score >= 0) && tm_filter_set_lang(f, langs, min_score))
        tm_cli_usage_error(&c, "--lang: expected comma-separated language codes");
    if (tokenizer && tm_filter_set_tokenizer(f, tokenizer))
        tm_cli_usage_error(&c, "--tokenizer: unknown tokenizer '%s' (nltk, tamis)", tokenizer);
    for (size_t k = 0; k < n_rules; k++) {
        const char *eq = strchr(rules[k], '=');
        if (!eq) tm_cli_usage_error(&c, "--rule: expected NAME=THRESHOLD, got '%s'", rules[k]);
        char name[128];
        size_t n = (size_t)(eq - rules[k]);
        if (n >= sizeof name) tm_cli_usage_error(&c, "--rule: name too long");
        memcpy(name, rules[k], n);
        name[n] = '\0';
        double thr = tm_cli_double(&c, "--rule", eq + 1, 0, 1e12);
        if (tm_filter_set_rule(f, name, thr))
            tm_cli_usage_error(&c, "--rule: unknown rule '%s' (see --list-rules)", name);
    }
    if (list) {
        /* name, kind, threshold: the preset with --rule/--lang applied */
        for (size_t k = 0; k < tm_filter_n_rules(f); k++)
            printf("%-46s %-5s %.10g\n", tm_filter_rule_name(f, k), tm_filter_rule_kind(f, k),
                   tm_filter_rule_threshold(f, k));
        tm_filter_free(f);
        free(c.inputs);
        return TM_EXIT_OK;
    }
    tm_cli_check_output(&c, stats_json);
    tm_cli_finish(&c);
    tm_filter_opts fo = {.filter = f, .explain = explain, .lang_sample = lang_sample};
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
    free(c.inputs);
    return rc;
}
