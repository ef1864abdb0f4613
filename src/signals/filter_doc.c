/*
 * filter_doc.c — a filter's rules over one document at a time, for programs
 * (tm_filter_checker_*): what `tamis filter` does to each document, without
 * files. It holds what a filter job's worker holds (a scorer, the result
 * with its C4-edited text) and runs the same steps in the same order:
 * language identification when the rules need it (sampled as the job's
 * lang_sample says), then tmi_filter_apply. So a document's verdict, its
 * failing rule's value and threshold, and the C4-edited text are the job's.
 */
#include "signals/filter.h"

#include "langid/sample.h"

#include <stdlib.h>
#include <string.h>

struct tm_filter_checker {
    const tm_filter *f;
    size_t lang_sample;
    tm_scorer *sc;
    tm_filter_result res;
};

tm_error tm_filter_checker_new(tm_filter_checker **out, const tm_filter *f, size_t lang_sample) {
    if (!out) return TM_ERR_ARG;
    *out = NULL;
    if (!f) return TM_ERR_ARG;
    tm_filter_checker *c = calloc(1, sizeof *c);
    if (!c) return TM_ERR_NOMEM;
    c->f = f;
    c->lang_sample = lang_sample;
    tm_error e = tm_scorer_new(&c->sc);
    if (e) {
        free(c);
        return e;
    }
    *out = c;
    return TM_OK;
}

void tm_filter_checker_free(tm_filter_checker *c) {
    if (!c) return;
    tm_scorer_free(c->sc);
    tmi_filter_result_free(&c->res);
    free(c);
}

tm_error tm_filter_check(tm_filter_checker *c, const char *text, size_t len, size_t invalid_utf8,
                         tm_filter_verdict_out *out) {
    if (!c || !out || (!text && len) ||
        out->size < offsetof(tm_filter_verdict_out, lang) + sizeof out->lang)
        return TM_ERR_ARG;
    if (!text) text = "";
    tm_filter_verdict_out v;
    memset(&v, 0, sizeof v);
    tm_error e = TM_OK;
    tm_lang_result *lp = NULL;
    if (tm_filter_needs_lang(c->f)) {
        if ((e = tmi_langid_sampled(text, len, c->lang_sample, &v.lang))) return e;
        lp = &v.lang;
        v.has_lang = 1;
    }
    if ((e = tmi_filter_apply(c->f, c->sc, text, len, invalid_utf8, lp, 0, &c->res))) return e;
    const tm_filter_result *r = &c->res;
    v.removed = r->removed;
    if (r->removed) {
        v.rule = tm_filter_rule_name(c->f, r->rule);
        v.value = r->value;
        v.threshold = r->threshold;
    }
    v.edited = !r->removed && r->edited;
    if (v.edited) {
        v.lines_removed = r->c4_lines_removed;
        v.citations_removed = r->c4_citations;
    }
    v.text = (tm_str){r->text ? r->text : text, r->text ? r->text_len : len};
    size_t n = out->size < sizeof v ? out->size : sizeof v;
    memcpy((char *)out + sizeof v.size, (const char *)&v + sizeof v.size, n - sizeof v.size);
    return TM_OK;
}
