/*
 * config.c — the configuration of `tamis run`: one table of every option of
 * every stage, set from YAML (libyaml), from "section.key=value" overrides,
 * and printed back as canonical YAML.
 *
 * One table drives all three directions so that a key cannot be readable but
 * not printable, or documented but not settable. The canonical YAML (every
 * key, fixed order, fixed number formatting) is also what identifies a run
 * for resumption: options that cannot change the output (threads, memory,
 * tmp_dir) are marked and left out of that identity.
 */
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

typedef enum { K_BOOL, K_INT, K_DOUBLE, K_SIZE, K_STR, K_ENUM } kind;

typedef struct key {
    const char *name;
    kind k;
    size_t off;
    const char *choices; /* K_ENUM: "a|b|c"; K_STR: NULL */
    int identity;        /* part of the run's identity (changes output) */
    const char *help;
} key;

#define OFF(f) offsetof(struct tm_run_config, f)

static const key keys[] = {
    {"threads", K_INT, OFF(threads), NULL, 0, "worker threads; 0 = all cores"},
    {"reader.format", K_ENUM, OFF(format), "auto|jsonl|text|lines|warc|arc", 1, "input format"},
    {"reader.text_field", K_STR, OFF(text_field), NULL, 1, "JSON path of the text"},
    {"reader.id_field", K_STR, OFF(id_field), NULL, 1, "JSON path of the id"},
    {"reader.max_doc_bytes", K_SIZE, OFF(max_doc_bytes), NULL, 1, "larger records are rejected"},
    {"extract.mode", K_ENUM, OFF(extract_mode), "auto|on|off", 1,
     "main text of HTML first: auto = WARC and ARC inputs, on = also text files (HTML), off = "
     "never"},
    {"clean.enabled", K_BOOL, OFF(clean_enabled), NULL, 1, "run the clean stage"},
    {"clean.ops", K_STR, OFF(clean_ops), NULL, 1,
     "encoding,normalize,repeated,reworded,doubled | all | none"},
    {"clean.para_threshold", K_DOUBLE, OFF(clean_para_threshold), NULL, 1,
     "word-set Jaccard of reworded paragraphs"},
    {"clean.lang", K_STR, OFF(clean_lang), NULL, 1, "language of every document; empty = detect"},
    {"filter.enabled", K_BOOL, OFF(filter_enabled), NULL, 1, "run the filter stage"},
    {"filter.preset", K_ENUM, OFF(filter_preset), "default|gopher|c4|fineweb", 1, "rule preset"},
    {"filter.lang", K_STR, OFF(filter_lang), NULL, 1,
     "keep only these languages (fr,en); empty = any"},
    {"filter.min_lang_score", K_DOUBLE, OFF(filter_min_lang_score), NULL, 1,
     "minimum language score; -1 = the preset's"},
    {"filter.lang_sample", K_SIZE, OFF(filter_lang_sample), NULL, 1,
     "identify the language on ~this many bytes; 0 = whole text"},
    {"dedup.enabled", K_BOOL, OFF(dedup_enabled), NULL, 1, "run the dedup stage"},
    {"dedup.exact", K_BOOL, OFF(dedup_exact), NULL, 1, "remove exact duplicates"},
    {"dedup.near", K_BOOL, OFF(dedup_near), NULL, 1, "remove near duplicates (MinHash-LSH)"},
    {"dedup.paragraphs", K_BOOL, OFF(dedup_paragraphs), NULL, 1,
     "remove lines seen in earlier documents"},
    {"dedup.threshold", K_DOUBLE, OFF(dedup_threshold), NULL, 1, "Jaccard similarity of near dups"},
    {"dedup.containment", K_DOUBLE, OFF(dedup_containment), NULL, 1,
     "also dups: this share of the smaller's shingles in the larger; 0 = off"},
    {"dedup.containment_ratio", K_DOUBLE, OFF(dedup_containment_ratio), NULL, 1,
     "containment only when the smaller has this share of the larger's size"},
    {"dedup.lsh_threshold", K_DOUBLE, OFF(dedup_lsh_threshold), NULL, 1,
     "similarity the LSH banding targets; 0 = the lowest the rule accepts"},
    {"dedup.perms", K_INT, OFF(dedup_perms), NULL, 1, "MinHash permutations"},
    {"dedup.bands", K_INT, OFF(dedup_bands), NULL, 1, "LSH bands; 0 = from threshold"},
    {"dedup.rows", K_INT, OFF(dedup_rows), NULL, 1, "LSH rows per band; 0 = from threshold"},
    {"dedup.shingle", K_STR, OFF(dedup_shingle), NULL, 1, "auto | auto:W,C | word:N | char:N"},
    {"dedup.verify", K_ENUM, OFF(dedup_verify), "signature|exact|aligned", 1,
     "how candidates are verified"},
    {"dedup.min_jaccard", K_DOUBLE, OFF(dedup_min_jaccard), NULL, 1,
     "verify aligned: least Jaccard of a near copy"},
    {"dedup.coverage", K_DOUBLE, OFF(dedup_coverage), NULL, 1,
     "verify aligned: share of each one's words the other covers"},
    {"dedup.coverage_contained", K_DOUBLE, OFF(dedup_coverage_contained), NULL, 1,
     "verify aligned: share of the smaller one's words the larger covers"},
    {"dedup.max_gap", K_INT, OFF(dedup_max_gap), NULL, 1,
     "verify aligned: longest run of uncovered words"},
    {"dedup.max_gap_contained", K_INT, OFF(dedup_max_gap_contained), NULL, 1,
     "verify aligned: longest uncovered run of a contained copy"},
    {"dedup.template_df", K_INT, OFF(dedup_template_df), NULL, 1,
     "verify aligned: shingles in more than this many documents are template; 0 = off"},
    {"dedup.template_own", K_DOUBLE, OFF(dedup_template_own), NULL, 1,
     "template_df: share of one side's own shingles the other must hold"},
    {"dedup.template_min", K_INT, OFF(dedup_template_min), NULL, 1,
     "template_df: own shingles a side needs for that test"},
    {"dedup.df_sketch", K_SIZE, OFF(dedup_df_sketch), NULL, 1,
     "template_df: size of the document-frequency sketch"},
    {"dedup.substitution", K_INT, OFF(dedup_substitution), NULL, 1,
     "verify aligned: this many word-for-word differences are a substitution; 0 = off"},
    {"dedup.keep", K_ENUM, OFF(dedup_keep), "first|longest|best", 1, "which copy is kept"},
    {"dedup.min_paragraph_chars", K_INT, OFF(dedup_min_paragraph_chars), NULL, 1,
     "shortest line paragraph dedup removes"},
    {"dedup.min_doc_chars", K_INT, OFF(dedup_min_doc_chars), NULL, 1,
     "documents left shorter are removed"},
    {"dedup.memory", K_SIZE, OFF(dedup_memory), NULL, 0, "index memory; 0 = half of RAM"},
    {"dedup.tmp_dir", K_STR, OFF(dedup_tmp_dir), NULL, 0, "spill files; empty = OUTDIR/.tamis"},
    {"output.shard_bytes", K_SIZE, OFF(shard_bytes), NULL, 1, "uncompressed bytes per kept shard"},
    {"output.compression", K_ENUM, OFF(compression), "zst|gz|none", 1, "kept/removed files"},
    {"output.explain", K_BOOL, OFF(output_explain), NULL, 1,
     "keep every filter rule's verdict on kept and removed documents"},
    {"output.removed_format", K_ENUM, OFF(removed_format), "full|ids", 1,
     "removed/: documents with reason and evidence, or only id, stage, reason, evidence"},
    {"report.examples", K_INT, OFF(report_examples), NULL, 1, "examples shown per reason"},
    {"report.clusters", K_INT, OFF(report_clusters), NULL, 1, "largest clusters shown"},
};
#define N_KEYS (sizeof keys / sizeof *keys)

__attribute__((format(printf, 3, 4))) static tm_error fail(char *err, size_t size, const char *fmt,
                                                           ...) {
    if (err && size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, size, fmt, ap);
        va_end(ap);
    }
    return TM_ERR_ARG;
}

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
    tm_error e = TM_OK;
    if (!e) e = set_str(&c->text_field, "text");
    if (!e) e = set_str(&c->id_field, "id");
    if (!e) e = set_str(&c->clean_ops, "all");
    if (!e) e = set_str(&c->clean_lang, "");
    if (!e) e = set_str(&c->filter_lang, "");
    if (!e) e = set_str(&c->dedup_shingle, "auto");
    if (!e) e = set_str(&c->dedup_tmp_dir, "");
    if (e) {
        tm_run_config_free(c);
        return e;
    }
    *out = c;
    return TM_OK;
}

void tm_run_config_free(tm_run_config *c) {
    if (!c) return;
    for (size_t i = 0; i < N_KEYS; i++)
        if (keys[i].k == K_STR) free(*(char **)((char *)c + keys[i].off));
    for (size_t i = 0; i < c->n_rules; i++) free(c->rule_names[i]);
    free(c);
}

static int enum_index(const char *choices, const char *v) {
    int i = 0;
    size_t n = strlen(v);
    for (const char *p = choices;; i++) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && !strncmp(p, v, n)) return i;
        if (!bar) return -1;
        p = bar + 1;
    }
}

static const char *enum_name(const char *choices, int idx, char *buf, size_t size) {
    const char *p = choices;
    for (int i = 0; i < idx && p; i++) {
        p = strchr(p, '|');
        if (p) p++;
    }
    if (!p) return "?";
    const char *bar = strchr(p, '|');
    size_t len = bar ? (size_t)(bar - p) : strlen(p);
    snprintf(buf, size, "%.*s", (int)len, p);
    return buf;
}

static int parse_bool(const char *v, int *out) {
    static const char *const t[] = {"true", "yes", "on", "1"}, *const f[] = {"false", "no", "off",
                                                                             "0"};
    for (int i = 0; i < 4; i++) {
        if (!strcmp(v, t[i])) return *out = 1, 1;
        if (!strcmp(v, f[i])) return *out = 0, 1;
    }
    return 0;
}

static int parse_size(const char *v, uint64_t *out) {
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || errno || d < 0) return 0;
    double mul = 1;
    switch (*end) {
    case 'k':
    case 'K': mul = 1024.0, end++; break;
    case 'm':
    case 'M': mul = 1048576.0, end++; break;
    case 'g':
    case 'G': mul = 1073741824.0, end++; break;
    default: break;
    }
    if (mul > 1 && (*end == 'B' || *end == 'b')) end++;
    if (*end || d * mul > 1e18) return 0;
    *out = (uint64_t)(d * mul);
    return 1;
}

tm_error tm_run_config_set(tm_run_config *c, const char *name, const char *v, char *err,
                           size_t err_size) {
    if (!strncmp(name, "filter.rules.", 13)) {
        const char *rule = name + 13;
        char *end;
        errno = 0;
        double d = strtod(v, &end);
        if (!*rule) return fail(err, err_size, "filter.rules: empty rule name");
        if (end == v || *end || errno || !isfinite(d))
            return fail(err, err_size, "%s: expected a number, got '%s'", name, v);
        /* rule names do not depend on the preset: check it here, where the
         * caller still knows the file and line it came from */
        tm_filter *f;
        if (tm_filter_new(&f, "default")) return TM_ERR_NOMEM;
        tm_error known = tm_filter_set_rule(f, rule, d);
        tm_filter_free(f);
        if (known)
            return fail(err, err_size,
                        d < 0 ? "%s: expected a threshold >= 0, got '%s'"
                              : "%s: unknown filter rule (tamis filter --list-rules lists them)",
                        name, v);
        for (size_t i = 0; i < c->n_rules; i++)
            if (!strcmp(c->rule_names[i], rule)) return c->rule_values[i] = d, TM_OK;
        if (c->n_rules == TM_RUN_MAX_RULES) return fail(err, err_size, "too many filter rules");
        if (!(c->rule_names[c->n_rules] = strdup(rule))) return TM_ERR_NOMEM;
        c->rule_values[c->n_rules++] = d;
        return TM_OK;
    }
    for (size_t i = 0; i < N_KEYS; i++) {
        const key *k = &keys[i];
        if (strcmp(k->name, name)) continue;
        void *p = (char *)c + k->off;
        char *end;
        errno = 0;
        switch (k->k) {
        case K_BOOL:
            if (!parse_bool(v, (int *)p))
                return fail(err, err_size, "%s: expected true or false, got '%s'", name, v);
            return TM_OK;
        case K_INT: {
            long n = strtol(v, &end, 10);
            long hi = k->off == OFF(threads) ? TM_THREADS_MAX : 1000000000;
            if (end == v || *end || errno || n < 0 || n > hi)
                return fail(err, err_size, "%s: expected a whole number in [0, %ld], got '%s'",
                            name, hi, v);
            *(int *)p = (int)n;
            return TM_OK;
        }
        case K_DOUBLE: {
            double d = strtod(v, &end);
            if (end == v || *end || errno || !isfinite(d))
                return fail(err, err_size, "%s: expected a number, got '%s'", name, v);
            *(double *)p = d;
            return TM_OK;
        }
        case K_SIZE:
            if (!parse_size(v, (uint64_t *)p))
                return fail(err, err_size, "%s: expected a size like 64M, got '%s'", name, v);
            return TM_OK;
        case K_STR: return set_str((char **)p, v);
        case K_ENUM: {
            int idx = enum_index(k->choices, v);
            if (idx < 0)
                return fail(err, err_size, "%s: expected %s, got '%s'", name, k->choices, v);
            *(int *)p = idx;
            return TM_OK;
        }
        }
    }
    return fail(err, err_size, "unknown configuration key '%s'", name);
}

/* ---- YAML in ---- */

/* Whether name is a section ("dedup", "filter.rules"), not a key. */
static int is_section(const char *name) {
    size_t n = strlen(name);
    if (!strcmp(name, "filter.rules")) return 1;
    for (size_t i = 0; i < N_KEYS; i++)
        if (!strncmp(keys[i].name, name, n) && keys[i].name[n] == '.') return 1;
    return 0;
}

static tm_error load_map(tm_run_config *c, yaml_document_t *doc, yaml_node_t *map,
                         const char *prefix, int depth, char *err, size_t err_size) {
    if (map->type != YAML_MAPPING_NODE)
        return fail(err, err_size, "line %lu: expected a mapping%s%s",
                    (unsigned long)map->start_mark.line + 1, *prefix ? " under " : "", prefix);
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE)
            return fail(err, err_size, "line %lu: keys must be plain names",
                        (unsigned long)(k ? k->start_mark.line + 1 : 0));
        char name[256];
        int n = snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "",
                         (const char *)k->data.scalar.value);
        if (n < 0 || (size_t)n >= sizeof name) return fail(err, err_size, "key too long");
        /* YAML lets the last of two equal keys win; a configuration where
         * one silently undoes the other is a mistake */
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *k0 = yaml_document_get_node(doc, q->key);
            if (k0 && k0->type == YAML_SCALAR_NODE &&
                !strcmp((const char *)k0->data.scalar.value, (const char *)k->data.scalar.value))
                return fail(err, err_size, "line %lu: duplicate key '%s' (first at line %lu)",
                            (unsigned long)k->start_mark.line + 1, name,
                            (unsigned long)k0->start_mark.line + 1);
        }
        if (v->type != YAML_MAPPING_NODE && is_section(name))
            return fail(err, err_size,
                        "line %lu: '%s' is a section: it needs a mapping of keys under it "
                        "(see tamis run --print-config), not a single value",
                        (unsigned long)k->start_mark.line + 1, name);
        if (v->type == YAML_MAPPING_NODE) {
            if (depth >= 2) return fail(err, err_size, "%s: nested too deep", name);
            tm_error e = load_map(c, doc, v, name, depth + 1, err, err_size);
            if (e) return e;
            continue;
        }
        if (v->type != YAML_SCALAR_NODE)
            return fail(err, err_size, "line %lu: %s: expected a single value",
                        (unsigned long)v->start_mark.line + 1, name);
        const char *val = (const char *)v->data.scalar.value;
        /* An empty or null plain scalar means "the empty string" for text
         * options (clean.lang: ) and is an error elsewhere. */
        if (v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            (!strcmp(val, "~") || !strcmp(val, "null")))
            val = "";
        char line_err[256] = "";
        tm_error e = tm_run_config_set(c, name, val, line_err, sizeof line_err);
        if (e == TM_ERR_ARG)
            return fail(err, err_size, "line %lu: %s", (unsigned long)k->start_mark.line + 1,
                        line_err);
        if (e) return e;
    }
    return TM_OK;
}

tm_error tm_run_config_load_yaml(tm_run_config *c, const char *text, size_t len, char *err,
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
            fail(err, err_size, "out of memory while reading the YAML");
            return TM_ERR_NOMEM;
        }
        fail(err, err_size, "YAML error at line %lu: %s",
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

/* ---- YAML out ---- */

/* The shortest %g form that reads back as the same double ("0.6", not
 * "0.59999999999999998"), so printed configurations load back exactly. */
static tm_error put_double(tm_buf *b, double v) {
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v) break;
    }
    return tm_buf_puts(b, tmp);
}

static tm_error put_value(tm_buf *b, const key *k, const tm_run_config *c) {
    const void *p = (const char *)c + k->off;
    char tmp[64];
    switch (k->k) {
    case K_BOOL: return tm_buf_puts(b, *(const int *)p ? "true" : "false");
    case K_INT: return tm_buf_printf(b, "%d", *(const int *)p);
    case K_DOUBLE: return put_double(b, *(const double *)p);
    case K_SIZE: return tm_buf_printf(b, "%llu", (unsigned long long)*(const uint64_t *)p);
    case K_STR: return tm_json_str(b, *(char *const *)p, strlen(*(char *const *)p));
    case K_ENUM: return tm_buf_puts(b, enum_name(k->choices, *(const int *)p, tmp, sizeof tmp));
    }
    return TM_ERR_INTERNAL;
}

tm_error tm_run_config_yaml(const tm_run_config *c, int identity_only, tm_buf *b) {
    tm_error e = TM_OK;
    const char *section = "";
    size_t slen = 0;
    for (size_t i = 0; i < N_KEYS && !e; i++) {
        const key *k = &keys[i];
        if (identity_only && !k->identity) continue;
        const char *dot = strchr(k->name, '.');
        const char *leaf = k->name;
        if (dot) {
            size_t n = (size_t)(dot - k->name);
            if (n != slen || strncmp(section, k->name, n)) {
                section = k->name;
                slen = n;
                e = tm_buf_printf(b, "%.*s:\n", (int)n, k->name);
            }
            leaf = dot + 1;
        }
        if (!e) e = tm_buf_printf(b, "%s%s: ", dot ? "  " : "", leaf);
        if (!e) e = put_value(b, k, c);
        if (!e && !identity_only) e = tm_buf_printf(b, "   # %s", k->help);
        if (!e) e = tm_buf_putc(b, '\n');
        if (!e && !strcmp(k->name, "filter.min_lang_score")) {
            e = tm_buf_puts(b, c->n_rules ? "  rules:\n" : "  rules: {}\n");
            for (size_t r = 0; r < c->n_rules && !e; r++) {
                e = tm_buf_printf(b, "    %s: ", c->rule_names[r]);
                if (!e) e = put_double(b, c->rule_values[r]);
                if (!e) e = tm_buf_putc(b, '\n');
            }
        }
    }
    return e;
}

/* The same keys as one JSON object of sections ({"threads":0,"reader":
 * {"format":"auto",...},"filter":{...,"rules":{}},...}), typed: booleans,
 * numbers (sizes in bytes), strings; for stats.json, where `jq
 * .config.dedup.threshold` should work. */
tm_error tm_run_config_json(const tm_run_config *c, tm_buf *b) {
    tm_error e = tm_buf_putc(b, '{');
    const char *section = "";
    size_t slen = 0;
    int first = 1, first_in = 1;
    for (size_t i = 0; i < N_KEYS && !e; i++) {
        const key *k = &keys[i];
        const char *dot = strchr(k->name, '.');
        const char *leaf = k->name;
        size_t n = dot ? (size_t)(dot - k->name) : 0;
        if (n != slen || strncmp(section, k->name, n)) {
            if (slen) e = tm_buf_putc(b, '}');
            if (!e && n) e = tm_buf_printf(b, "%s\"%.*s\":{", first ? "" : ",", (int)n, k->name);
            section = k->name;
            slen = n;
            first = 0;
            first_in = 1;
        }
        if (dot) leaf = dot + 1;
        int comma = dot ? !first_in : !first;
        if (!e) e = tm_buf_printf(b, "%s\"%s\":", comma ? "," : "", leaf);
        first_in = first = 0;
        if (!e) {
            const void *p = (const char *)c + k->off;
            char tmp[64];
            if (k->k == K_ENUM) {
                const char *v = enum_name(k->choices, *(const int *)p, tmp, sizeof tmp);
                e = tm_json_str(b, v, strlen(v));
            } else {
                e = put_value(b, k, c);
            }
        }
        if (!e && !strcmp(k->name, "filter.min_lang_score")) {
            e = tm_buf_puts(b, ",\"rules\":{");
            for (size_t r = 0; r < c->n_rules && !e; r++) {
                e = tm_buf_printf(b, "%s", r ? "," : "");
                if (!e) e = tm_json_str(b, c->rule_names[r], strlen(c->rule_names[r]));
                if (!e) e = tm_buf_putc(b, ':');
                if (!e) e = put_double(b, c->rule_values[r]);
            }
            if (!e) e = tm_buf_putc(b, '}');
        }
    }
    if (!e && slen) e = tm_buf_putc(b, '}');
    if (!e) e = tm_buf_putc(b, '}');
    return e;
}

tm_error tm_run_config_to_yaml(const tm_run_config *c, tm_buf *out) {
    return tm_run_config_yaml(c, 0, out);
}
