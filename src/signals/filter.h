/*
 * filter.h — internal interface of the rule engine (filter.c) used by the
 * filter job and the tests. The public side (tm_filter_new, ...) is in
 * include/tamis.h, section "signals".
 */
#ifndef TM_SIGNALS_FILTER_H
#define TM_SIGNALS_FILTER_H

#include "signals/signals.h"

typedef struct tm_filter_verdict {
    size_t rule; /* index of an active rule (tm_filter_rule_name) */
    double value, threshold;
    int pass;
} tm_filter_verdict;

/* Outcome of one document. Zero-initialise once, reuse across documents,
 * release with tmi_filter_result_free(); c4buf is owned by the result. */
typedef struct tm_filter_result {
    int removed;
    size_t rule; /* first failing rule (active index) */
    double value, threshold;
    const char *text; /* text to write: the input or c4buf */
    size_t text_len;
    int edited; /* C4 dropped a line or deleted a citation */
    size_t c4_lines_removed, c4_citations;
    int c4_done;
    tm_c4_result c4;
    tm_buf c4buf;
    size_t n_verdicts; /* explain mode: every active rule in order */
    tm_filter_verdict verdicts[TM_FILTER_MAX_RULES];
} tm_filter_result;

void tmi_filter_result_free(tm_filter_result *r);

/* Runs the rules of f over text. lang may be NULL when the filter does not
 * need it (tm_filter_needs_lang). With explain, every rule is evaluated and
 * recorded in r->verdicts; otherwise evaluation stops at the first failure. */
tm_error tmi_filter_apply(const tm_filter *f, tm_scorer *s, const char *text, size_t len,
                          size_t invalid_utf8, const tm_lang_result *lang, int explain,
                          tm_filter_result *r);

#endif
