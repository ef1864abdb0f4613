/*
 * options_check.c — the checks of option values that need more than a type
 * and a range: the shingle spec (auto, auto:W,C, word:W, char:C), clean's
 * operation list, language codes, signal names and filter rules (asked of
 * the filter itself, so that a rule the filter does not know is refused
 * where the file and line are still known). The table of options.c points at
 * these functions; options_jobs.c uses the shingle parser to build dedup's
 * options. Nothing here calls back into the table, so calls go one way:
 * config.c, options_jobs.c -> options.c -> options_check.c.
 */
#include "run/options_int.h"
#include "util/buf.h"
#include "run/run_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* auto | auto:W,C | word:W | char:C; sets *sh when not NULL. */
tm_error tmi_options_shingle(const char *v, tm_shingle_opts *sh, char *why, size_t size) {
    long w = 0, ch = 0;
    int kind;
    char tail;
    if (!strcmp(v, "auto"))
        kind = TM_SHINGLE_AUTO;
    else if (sscanf(v, "auto:%ld,%ld%c", &w, &ch, &tail) == 2)
        kind = TM_SHINGLE_AUTO;
    else if (sscanf(v, "word:%ld%c", &w, &tail) == 1)
        kind = TM_SHINGLE_WORDS;
    else if (sscanf(v, "char:%ld%c", &ch, &tail) == 1)
        kind = TM_SHINGLE_CHARS;
    else
        return tmi_fail_buf(why, size, "expected auto, auto:W,C, word:W or char:C");
    int has_w = kind != TM_SHINGLE_CHARS, has_c = kind != TM_SHINGLE_WORDS;
    if (kind == TM_SHINGLE_AUTO && !w && !ch) has_w = has_c = 0; /* plain "auto" */
    if (has_w && (w < 1 || w > 64))
        return tmi_fail_buf(why, size, "expected W, words per shingle, in [1, 64]");
    if (has_c && (ch < 1 || ch > 256))
        return tmi_fail_buf(why, size, "expected C, characters per shingle, in [1, 256]");
    if (sh) {
        sh->kind = (tm_shingle_kind)kind;
        if (w) sh->word_n = (int)w;
        if (ch) sh->char_n = (int)ch;
    }
    return TM_OK;
}

tm_error tmi_options_check_shingle(const char *v, char *why, size_t size) {
    return tmi_options_shingle(v, NULL, why, size);
}

tm_error tmi_options_check_clean_ops(const char *v, char *why, size_t size) {
    unsigned ops;
    if (tm_clean_ops_parse(v, &ops) == TM_OK) return TM_OK;
    return tmi_fail_buf(
        why, size,
        "unknown operation (encoding, normalize, repeated, reworded, doubled, all, none)");
}

tm_error tmi_options_check_langs(const char *v, char *why, size_t size) {
    tm_filter *f;
    if (tm_filter_new(&f, "default")) return TM_ERR_NOMEM;
    tm_error e = tm_filter_set_lang(f, v, -1);
    tm_filter_free(f);
    if (e == TM_ERR_NOMEM) return e;
    return e ? tmi_fail_buf(why, size, "expected comma-separated language codes") : TM_OK;
}

tm_error tmi_options_check_signals(const char *v, char *why, size_t size) {
    uint64_t mask;
    if (tm_signal_mask_parse(v, &mask) == TM_OK) return TM_OK;
    /* The parser's reason, cut at 127 bytes as it always was. */
    return tmi_fail_buf(why, size, "%.127s (see --list-signals)", tm_error_detail());
}

tm_error tmi_run_config_set_rule(tm_run_config *c, const char *name, const char *v,
                                 const char *label, char *err, size_t err_size) {
    const char *rule = name + 13;
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (!label) label = name;
    if (!*rule) return tmi_fail_buf(err, err_size, "filter.rules: empty rule name");
    if (end == v || *end || errno || !isfinite(d))
        return tmi_fail_buf(err, err_size, "%s: expected a number, got '%s'", label, v);
    /* rule names do not depend on the preset: check it here, where the
     * caller still knows the file and line it came from */
    tm_filter *f;
    if (tm_filter_new(&f, "default")) return TM_ERR_NOMEM;
    tm_error known = tm_filter_set_rule(f, rule, d);
    tm_filter_free(f);
    if (known)
        return tmi_fail_buf(err, err_size,
                            d < 0
                                ? "%s: expected a threshold >= 0, got '%s'"
                                : "%s: unknown filter rule (tamis filter --list-rules lists them)",
                            label, v);
    for (size_t i = 0; i < c->n_rules; i++)
        if (!strcmp(c->rule_names[i], rule)) return c->rule_values[i] = d, TM_OK;
    if (c->n_rules == TM_RUN_MAX_RULES) return tmi_fail_buf(err, err_size, "too many filter rules");
    if (!(c->rule_names[c->n_rules] = strdup(rule))) return TM_ERR_NOMEM;
    c->rule_values[c->n_rules++] = d;
    return TM_OK;
}
