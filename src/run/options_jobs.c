/*
 * options_jobs.c — from the options (a tm_run_config, set through the table
 * of options.c) to the option records of the jobs, for `tamis run` and the
 * single commands alike: one translation, so that `tamis dedup --x` and
 * `dedup.x` in a run cannot mean two things. Also the option reference of
 * docs/CONFIG.md, made from the table.
 */
#include "run/options_int.h"
#include "run/run_int.h"

#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* How a message names key: the flag of command cmd, else the key. */
static const char *name_of(const char *key, unsigned cmd) {
    const tm_option *o = tm_option_find(key);
    if (!o || !cmd || cmd == TM_CMD_RUN || !(o->commands & cmd) || !o->flag) return key;
    return o->flag;
}

tm_error tm_options_job(const tm_run_config *c, tm_job_opts *o) {
    o->threads = c->threads;
    o->reader.format = (tm_format)c->format;
    o->reader.text_field = c->text_field;
    o->reader.id_field = c->id_field;
    o->reader.max_doc_bytes = (size_t)c->max_doc_bytes;
    o->reader.lines = c->reader_lines;
    o->batch_bytes = (size_t)c->batch_bytes;
    o->rejects_keep = c->rejects_keep == UINT64_MAX ? -1 : (long)c->rejects_keep;
    return TM_OK;
}

tm_error tm_options_dedup(const tm_run_config *c, unsigned cmd, tm_dedup_opts *d) {
    static const int norms[] = {
        -1,
        TM_NORM_WS,
        TM_NORM_NFC | TM_NORM_WS,
        TM_NORM_NFKC | TM_NORM_WS,
        TM_NORM_NFKC | TM_NORM_CASEFOLD | TM_NORM_WS,
        TM_NORM_NFKC | TM_NORM_CASEFOLD | TM_NORM_WS | TM_NORM_PUNCT | TM_NORM_DIGITS,
    };
    tmi_detail_clear();
    tm_dedup_opts_init(d);
    d->exact = c->dedup_exact;
    d->near = c->dedup_near;
    d->paragraphs = c->dedup_paragraphs;
    if (!d->exact && !d->near && !d->paragraphs)
        return tmi_fail_arg("dedup: exact, near and paragraphs are all off; "
                            "set dedup.enabled: false instead");
    d->norm = norms[c->dedup_norm];
    d->shingle.norm = d->norm < 0 ? 0 : d->norm;
    char why[160];
    if (tmi_options_shingle(c->dedup_shingle, &d->shingle, why, sizeof why))
        return tmi_fail_arg("%s: %s, got '%s'", name_of("dedup.shingle", cmd), why,
                            c->dedup_shingle);
    d->threshold = c->dedup_threshold;
    d->containment = c->dedup_containment;
    d->containment_ratio = c->dedup_containment_ratio;
    d->lsh_threshold = c->dedup_lsh_threshold;
    d->perms = c->dedup_perms;
    d->bands = c->dedup_bands;
    d->rows = c->dedup_rows;
    if ((d->bands > 0) != (d->rows > 0))
        return tmi_fail_arg("%s and %s go together", name_of("dedup.bands", cmd),
                            name_of("dedup.rows", cmd));
    if (d->bands > 0 && (long)d->bands * d->rows > d->perms)
        return tmi_fail_arg("%s x %s must not exceed %s (%d)", name_of("dedup.bands", cmd),
                            name_of("dedup.rows", cmd), name_of("dedup.perms", cmd), d->perms);
    d->verify = (tm_verify_mode)c->dedup_verify;
    d->min_jaccard = c->dedup_min_jaccard;
    d->coverage = c->dedup_coverage;
    d->coverage_contained = c->dedup_coverage_contained;
    d->max_gap = c->dedup_max_gap;
    d->max_gap_contained = c->dedup_max_gap_contained;
    d->template_df = c->dedup_template_df;
    d->template_own = c->dedup_template_own;
    d->template_min = c->dedup_template_min;
    d->df_sketch_bytes = c->dedup_df_sketch;
    d->substitution = c->dedup_substitution;
    d->keep = (tm_keep_mode)c->dedup_keep;
    d->score_field = *c->dedup_score_field ? c->dedup_score_field : NULL;
    d->min_paragraph_chars = (size_t)c->dedup_min_paragraph_chars;
    d->min_doc_chars = (size_t)c->dedup_min_doc_chars;
    d->memory = c->dedup_memory;
    d->tmp_dir = *c->dedup_tmp_dir ? c->dedup_tmp_dir : NULL;
    d->seed = c->dedup_seed;
    return TM_OK;
}

tm_error tm_options_clean(const tm_run_config *c, tm_clean_opts *co) {
    tmi_detail_clear();
    tm_clean_opts_init(co);
    if (tm_clean_ops_parse(c->clean_ops, &co->ops))
        return tmi_fail_arg("clean.ops '%s'", c->clean_ops);
    co->para_threshold = c->clean_para_threshold;
    co->lang = *c->clean_lang ? c->clean_lang : NULL;
    co->dry_run = c->clean_dry_run;
    return TM_OK;
}

tm_error tm_options_filter(const tm_run_config *c, unsigned cmd, tm_filter **out) {
    tmi_detail_clear();
    char preset[32];
    tmi_options_enum_name(tm_option_find("filter.preset")->choices, c->filter_preset, preset,
                          sizeof preset);
    tm_filter *f;
    tm_error e = tm_filter_new(&f, preset);
    if (e) return e == TM_ERR_NOMEM ? e : tmi_fail_arg("filter preset %s", preset);
    for (size_t i = 0; !e && i < c->n_rules; i++)
        if (tm_filter_set_rule(f, c->rule_names[i], c->rule_values[i]))
            e = tmi_fail_arg("unknown filter rule '%s'", c->rule_names[i]);
    /* An empty filter.lang means "any language" in a run, even for the
     * fineweb preset (English); `tamis filter` without --lang keeps the
     * preset's. Kept as it was; the two should agree (docs/CONFIG.md). */
    int run = !cmd || cmd == TM_CMD_RUN;
    if (!e && (run || *c->filter_lang || c->filter_min_lang_score >= 0) &&
        tm_filter_set_lang(f, c->filter_lang, c->filter_min_lang_score))
        e = tmi_fail_arg("%s '%s'", name_of("filter.lang", cmd), c->filter_lang);
    static const char *const tokenizers[] = {NULL, "tamis", "nltk"};
    if (!e && c->filter_tokenizer > 0 &&
        tm_filter_set_tokenizer(f, tokenizers[c->filter_tokenizer]))
        e = TM_ERR_INTERNAL;
    if (e) {
        tm_filter_free(f);
        return e;
    }
    *out = f;
    return TM_OK;
}

tm_error tm_options_score(const tm_run_config *c, tm_score_opts *so) {
    tmi_detail_clear();
    tm_score_opts_init(so);
    /* The parser's reason, cut at 127 bytes as it always was. */
    if (tm_signal_mask_parse(c->score_signals, &so->signals))
        return tmi_fail_arg("score.signals: %.127s", tm_error_detail());
    so->lang = c->score_lang;
    so->lang_sample = (size_t)c->filter_lang_sample;
    so->quality = c->score_quality;
    so->nltk_words = c->score_tokenizer == 1;
    return TM_OK;
}

/* ---- docs/CONFIG.md's option reference ---- */

static const char *const cmd_names[] = {"cat",     "stats", "score", "filter",
                                        "extract", "clean", "dedup", "run"};

static tm_error md_cell(tm_buf *b, const char *s) {
    tm_error e = TM_OK;
    for (; *s && !e; s++) e = *s == '|' ? tmi_buf_puts(b, "\\|") : tmi_buf_putc(b, *s);
    return e;
}

tm_error tm_options_markdown(tm_buf *b) {
    tm_run_config *c;
    tm_error e = tm_run_config_new(&c);
    if (e) return e;
    static const char *const types[] = {"bool", "int", "number", "size", "string", "enum", "list"};
    e = tmi_buf_puts(b, "| key | flag: commands | type | values | default | what |\n"
                        "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < tm_option_count() && !e; i++) {
        const tm_option *o = tm_option_get(i);
        char v[4096], range[96] = "";
        e = tmi_buf_printf(b, "| `%s`%s | ", o->key, o->flags & TM_OPT_F_YAML ? "" : " (no YAML)");
        if (!e && o->flag && o->commands) {
            char flag[96];
            snprintf(flag, sizeof flag, "`%s%s%s%s%s`", o->short_flag ? o->short_flag : "",
                     o->short_flag ? ", " : "", o->flag, o->arg ? " " : "", o->arg ? o->arg : "");
            e = md_cell(b, flag);
            if (!e && !o->arg) e = tmi_buf_printf(b, " (= %s)", o->preset);
            if (!e && o->commands == TM_CMD_ALL)
                e = tmi_buf_puts(b, ": all");
            else
                for (int k = 0, n = 0; k < 8 && !e; k++)
                    if (o->commands & (1u << k))
                        e = tmi_buf_printf(b, "%s%s", n++ ? ", " : ": ", cmd_names[k]);
        }
        if (o->type == TM_OPT_INT)
            snprintf(range, sizeof range, "%s[%.0f, %.0f]",
                     o->flags & TM_OPT_F_ZERO_OK ? "0 or " : "", o->lo, o->hi);
        else if (o->type == TM_OPT_DOUBLE)
            snprintf(range, sizeof range, "%s[%g, %g]", o->flags & TM_OPT_F_ZERO_OK ? "0 or " : "",
                     o->lo, o->hi);
        else if (o->type == TM_OPT_SIZE)
            snprintf(range, sizeof range, "%s>= %g%s", o->flags & TM_OPT_F_ZERO_OK ? "0 or " : "",
                     o->lo >= 1024 ? o->lo / 1024 : o->lo, o->lo >= 1024 ? "K" : "");
        if (o->flags & TM_OPT_F_ALL) strcat(range, " or all");
        if (o->flags & TM_OPT_F_PERCENT) strcat(range, " or 0% to 100%");
        TM_THEN(e, tmi_buf_printf(b, " | %s | ", types[o->type]));
        TM_THEN(e, md_cell(b, o->choices ? o->choices : range));
        TM_THEN(e, tm_options_value(c, o->key, v, sizeof v));
        TM_THEN(e, tmi_buf_puts(b, *v ? " | `" : " | (empty)"));
        TM_THEN(e, md_cell(b, v));
        TM_THEN(e, tmi_buf_puts(b, *v ? "` | " : " | "));
        TM_THEN(e, md_cell(b, o->help));
        TM_THEN(e, tmi_buf_puts(b, " |\n"));
    }
    tm_run_config_free(c);
    return e;
}
