/*
 * config.c — the configuration of `tamis run`: the keys of the option table
 * (options.c) set from YAML (libyaml), from "section.key=value" overrides,
 * and printed back as canonical YAML and as JSON.
 *
 * The table drives every direction so that a key cannot be readable but
 * not printable, or documented but not settable. The canonical YAML (every
 * key, fixed order, fixed number formatting) is also what identifies a run
 * for resumption: options that cannot change the output (threads, memory,
 * tmp_dir) are marked and left out of that identity.
 */
#include "run/options_int.h"
#include "run/run_int.h"

#include "util/buf.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static tm_error set_str(char **dst, const char *v) {
    char *p = strdup(v);
    if (!p) return TM_ERR_NOMEM;
    free(*dst);
    *dst = p;
    return TM_OK;
}

tm_error tm_run_config_new(tm_run_config **out) {
    tm_run_config *c = calloc(1, sizeof *c);
    if (!c) return TM_ERR_NOMEM;
    c->threads = 0;
    c->format = 0;
    c->max_doc_bytes = (uint64_t)64 << 20;
    /* Stage defaults come from the stages themselves, so that `tamis run`
     * and the single commands cannot drift apart. */
    tm_clean_opts co;
    tm_clean_opts_init(&co);
    tm_dedup_opts dd;
    tm_dedup_opts_init(&dd);
    c->clean_enabled = 1;
    c->clean_para_threshold = co.para_threshold;
    c->filter_enabled = 1;
    c->filter_preset = 0;
    c->filter_min_lang_score = -1;
    c->dedup_enabled = 1;
    c->dedup_exact = 1;
    c->dedup_near = 1;
    c->dedup_threshold = dd.threshold;
    c->dedup_containment = dd.containment;
    c->dedup_containment_ratio = dd.containment_ratio;
    c->dedup_lsh_threshold = dd.lsh_threshold;
    c->dedup_perms = dd.perms;
    c->dedup_verify = (int)dd.verify;
    c->dedup_min_jaccard = dd.min_jaccard;
    c->dedup_coverage = dd.coverage;
    c->dedup_coverage_contained = dd.coverage_contained;
    c->dedup_max_gap = dd.max_gap;
    c->dedup_max_gap_contained = dd.max_gap_contained;
    c->dedup_template_df = dd.template_df;
    c->dedup_template_own = dd.template_own;
    c->dedup_template_min = dd.template_min;
    c->dedup_df_sketch = dd.df_sketch_bytes;
    c->dedup_substitution = dd.substitution;
    c->dedup_min_paragraph_chars = (int)dd.min_paragraph_chars;
    c->dedup_min_doc_chars = (int)dd.min_doc_chars;
    c->shard_bytes = (uint64_t)256 << 20;
    c->compression = 0;
    c->report_examples = 3;
    c->report_clusters = 5;
    c->dedup_norm = 4; /* nfkc_casefold: dd.norm */
    c->dedup_seed = dd.seed;
    c->score_lang = 1;
    c->rejects_keep = 100;    /* tm_job_opts: 0 = 100 */
    c->max_reject_rate = 0.1; /* the command line's exit 4 */
    tm_error e = TM_OK;
    TM_THEN(e, set_str(&c->text_field, "text"));
    TM_THEN(e, set_str(&c->id_field, "id"));
    TM_THEN(e, set_str(&c->clean_ops, "all"));
    TM_THEN(e, set_str(&c->clean_lang, ""));
    TM_THEN(e, set_str(&c->filter_lang, ""));
    TM_THEN(e, set_str(&c->dedup_shingle, "auto"));
    TM_THEN(e, set_str(&c->dedup_tmp_dir, ""));
    TM_THEN(e, set_str(&c->dedup_score_field, ""));
    TM_THEN(e, set_str(&c->score_signals, "all"));
    if (e) {
        tm_run_config_free(c);
        return e;
    }
    *out = c;
    return TM_OK;
}

void tm_run_config_free(tm_run_config *c) {
    if (!c) return;
    tmi_options_free_strings(c);
    for (size_t i = 0; i < c->n_rules; i++) free(c->rule_names[i]);
    free(c);
}

/* The library's functions write their messages into the caller's buffer;
 * the public ones hand them to tm_error_detail() (tmi_detail_result). */
static tm_error config_set(tm_run_config *c, const char *name, const char *v, char *err,
                           size_t err_size) {
    if (!strncmp(name, "filter.rules.", 13))
        return tmi_run_config_set_rule(c, name, v, name, err, err_size);
    return tmi_options_set_scoped(c, name, v, name, 1, err, err_size);
}

tm_error tm_run_config_set(tm_run_config *c, const char *name, const char *v) {
    char err[TM_DETAIL_MAX] = "";
    return tmi_detail_result(config_set(c, name, v, err, sizeof err), err);
}

/* ---- YAML in ---- */

/* Whether name is a section ("dedup", "filter.rules"), not a key. */
static int is_section(const char *name) {
    size_t n = strlen(name);
    if (!strcmp(name, "filter.rules")) return 1;
    for (size_t i = 0; i < tm_option_count(); i++) {
        const tm_option *o = tm_option_get(i);
        if ((o->flags & TM_OPT_F_YAML) && !strncmp(o->key, name, n) && o->key[n] == '.') return 1;
    }
    return 0;
}

static tm_error load_map(tm_run_config *c, yaml_document_t *doc, yaml_node_t *map,
                         const char *prefix, int depth, char *err, size_t err_size) {
    if (map->type != YAML_MAPPING_NODE)
        return tmi_fail_buf(err, err_size, "line %lu: expected a mapping%s%s",
                            (unsigned long)map->start_mark.line + 1, *prefix ? " under " : "",
                            prefix);
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE)
            return tmi_fail_buf(err, err_size, "line %lu: keys must be plain names",
                                (unsigned long)(k ? k->start_mark.line + 1 : 0));
        char name[256];
        int n = snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "",
                         (const char *)k->data.scalar.value);
        if (n < 0 || (size_t)n >= sizeof name) return tmi_fail_buf(err, err_size, "key too long");
        /* YAML lets the last of two equal keys win; a configuration where
         * one silently undoes the other is a mistake */
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *k0 = yaml_document_get_node(doc, q->key);
            if (k0 && k0->type == YAML_SCALAR_NODE &&
                !strcmp((const char *)k0->data.scalar.value, (const char *)k->data.scalar.value))
                return tmi_fail_buf(err, err_size,
                                    "line %lu: duplicate key '%s' (first at line %lu)",
                                    (unsigned long)k->start_mark.line + 1, name,
                                    (unsigned long)k0->start_mark.line + 1);
        }
        if (v->type != YAML_MAPPING_NODE && is_section(name))
            return tmi_fail_buf(err, err_size,
                                "line %lu: '%s' is a section: it needs a mapping of keys under it "
                                "(see tamis run --print-config), not a single value",
                                (unsigned long)k->start_mark.line + 1, name);
        if (v->type == YAML_MAPPING_NODE) {
            if (depth >= 2) return tmi_fail_buf(err, err_size, "%s: nested too deep", name);
            tm_error e = load_map(c, doc, v, name, depth + 1, err, err_size);
            if (e) return e;
            continue;
        }
        if (v->type != YAML_SCALAR_NODE)
            return tmi_fail_buf(err, err_size, "line %lu: %s: expected a single value",
                                (unsigned long)v->start_mark.line + 1, name);
        const char *val = (const char *)v->data.scalar.value;
        /* An empty or null plain scalar means "the empty string" for text
         * options (clean.lang: ) and is an error elsewhere. */
        if (v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            (!strcmp(val, "~") || !strcmp(val, "null")))
            val = "";
        char line_err[256] = "";
        tm_error e = config_set(c, name, val, line_err, sizeof line_err);
        if (e == TM_ERR_ARG)
            return tmi_fail_buf(err, err_size, "line %lu: %s",
                                (unsigned long)k->start_mark.line + 1, line_err);
        if (e) return e;
    }
    return TM_OK;
}

static tm_error load_yaml(tm_run_config *c, const char *text, size_t len, char *err,
                          size_t err_size) {
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) return TM_ERR_NOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        /* Not the text's fault: libyaml says so, or (a failed strdup of a
         * default tag) fails without naming any problem. */
        if (parser.error == YAML_MEMORY_ERROR || parser.error == YAML_NO_ERROR) {
            yaml_parser_delete(&parser);
            tmi_fail_buf(err, err_size, "out of memory while reading the YAML");
            return TM_ERR_NOMEM;
        }
        tmi_fail_buf(err, err_size, "YAML error at line %lu: %s",
                     (unsigned long)parser.problem_mark.line + 1,
                     parser.problem ? parser.problem : "unreadable");
        yaml_parser_delete(&parser);
        return TM_ERR_ARG;
    }
    tm_error e = TM_OK;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root) e = load_map(c, &doc, root, "", 0, err, err_size);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return e;
}

tm_error tm_run_config_load_yaml(tm_run_config *c, const char *text, size_t len) {
    char err[TM_DETAIL_MAX] = "";
    return tmi_detail_result(load_yaml(c, text, len, err, sizeof err), err);
}

/* ---- YAML out ---- */

static tm_error put_double(tm_buf *b, double v) {
    char tmp[40];
    tmi_options_fmt_double(tmp, sizeof tmp, v);
    return tmi_buf_puts(b, tmp);
}

/* The value of o in c as YAML (strings quoted) or, json set, as JSON. */
static tm_error put_value(tm_buf *b, const tm_option *o, const tm_run_config *c, int json) {
    if (o->type == TM_OPT_STRING || o->type == TM_OPT_LIST) {
        const char *v = tmi_options_str(c, o);
        return tmi_json_str(b, v, strlen(v));
    }
    char tmp[64];
    if (tm_options_value(c, o->key, tmp, sizeof tmp)) return TM_ERR_INTERNAL;
    if (json && o->type == TM_OPT_ENUM) return tmi_json_str(b, tmp, strlen(tmp));
    return tmi_buf_puts(b, tmp);
}

tm_error tmi_run_config_yaml(const tm_run_config *c, int identity_only, tm_buf *b) {
    tm_error e = TM_OK;
    const char *section = "";
    size_t slen = 0;
    for (size_t i = 0; i < tm_option_count() && !e; i++) {
        const tm_option *k = tm_option_get(i);
        if (!(k->flags & TM_OPT_F_YAML)) continue;
        if (identity_only && !(k->flags & TM_OPT_F_IDENTITY)) continue;
        const char *dot = strchr(k->key, '.');
        const char *leaf = k->key;
        if (dot) {
            size_t n = (size_t)(dot - k->key);
            if (n != slen || strncmp(section, k->key, n)) {
                section = k->key;
                slen = n;
                e = tmi_buf_printf(b, "%.*s:\n", (int)n, k->key);
            }
            leaf = dot + 1;
        }
        TM_THEN(e, tmi_buf_printf(b, "%s%s: ", dot ? "  " : "", leaf));
        TM_THEN(e, put_value(b, k, c, 0));
        if (!e && !identity_only) e = tmi_buf_printf(b, "   # %s", k->help);
        TM_THEN(e, tmi_buf_putc(b, '\n'));
        if (!e && !strcmp(k->key, "filter.min_lang_score")) {
            e = tmi_buf_puts(b, c->n_rules ? "  rules:\n" : "  rules: {}\n");
            for (size_t r = 0; r < c->n_rules && !e; r++) {
                e = tmi_buf_printf(b, "    %s: ", c->rule_names[r]);
                TM_THEN(e, put_double(b, c->rule_values[r]));
                TM_THEN(e, tmi_buf_putc(b, '\n'));
            }
        }
    }
    return e;
}

/* The same keys as one JSON object of sections ({"threads":0,"reader":
 * {"format":"auto",...},"filter":{...,"rules":{}},...}), typed: booleans,
 * numbers (sizes in bytes), strings; for stats.json, where `jq
 * .config.dedup.threshold` should work. */
tm_error tmi_run_config_json(const tm_run_config *c, tm_buf *b) {
    tm_error e = tmi_buf_putc(b, '{');
    const char *section = "";
    size_t slen = 0;
    int first = 1, first_in = 1;
    for (size_t i = 0; i < tm_option_count() && !e; i++) {
        const tm_option *k = tm_option_get(i);
        if (!(k->flags & TM_OPT_F_YAML)) continue;
        const char *dot = strchr(k->key, '.');
        const char *leaf = k->key;
        size_t n = dot ? (size_t)(dot - k->key) : 0;
        if (n != slen || strncmp(section, k->key, n)) {
            if (slen) e = tmi_buf_putc(b, '}');
            if (!e && n) e = tmi_buf_printf(b, "%s\"%.*s\":{", first ? "" : ",", (int)n, k->key);
            section = k->key;
            slen = n;
            first = 0;
            first_in = 1;
        }
        if (dot) leaf = dot + 1;
        int comma = dot ? !first_in : !first;
        TM_THEN(e, tmi_buf_printf(b, "%s\"%s\":", comma ? "," : "", leaf));
        first_in = first = 0;
        TM_THEN(e, put_value(b, k, c, 1));
        if (!e && !strcmp(k->key, "filter.min_lang_score")) {
            e = tmi_buf_puts(b, ",\"rules\":{");
            for (size_t r = 0; r < c->n_rules && !e; r++) {
                e = tmi_buf_printf(b, "%s", r ? "," : "");
                TM_THEN(e, tmi_json_str(b, c->rule_names[r], strlen(c->rule_names[r])));
                TM_THEN(e, tmi_buf_putc(b, ':'));
                TM_THEN(e, put_double(b, c->rule_values[r]));
            }
            TM_THEN(e, tmi_buf_putc(b, '}'));
        }
    }
    if (!e && slen) e = tmi_buf_putc(b, '}');
    TM_THEN(e, tmi_buf_putc(b, '}'));
    return e;
}

tm_error tm_run_config_to_yaml(const tm_run_config *c, tm_buf *out) {
    return tmi_run_config_yaml(c, 0, out);
}
