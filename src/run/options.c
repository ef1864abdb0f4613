/*
 * options.c — the one table of tamis's options: for each, its configuration
 * key, the flags and commands that take it, its type, range or values, its
 * help line and where it lands in the configuration record. The command
 * line of every command (cli/), the YAML of `tamis run` (config.c), each
 * command's --help and the option reference of docs/CONFIG.md are all made
 * from it, and a value is checked here only: before the table, `--shingle
 * char:N` took up to 256 on the command line and 64 in a configuration.
 *
 * Defaults are not in the table: tm_run_config_new takes them from the
 * stages' own init functions, so a stage and its options cannot disagree;
 * --help and the docs print them from a fresh configuration.
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

typedef tm_error (*check_fn)(const char *v, char *why, size_t size);

typedef struct entry {
    tm_option o;
    size_t off;     /* field of struct tm_run_config */
    check_fn check; /* STRING, LIST: the option's own rule */
    int wide;       /* INT landing in a uint64_t */
} entry;

#define OFF(f)     offsetof(struct tm_run_config, f)
#define Y          (TM_OPT_F_YAML | TM_OPT_F_IDENTITY)
#define YN         TM_OPT_F_YAML /* a key that cannot change the output */
#define Z          TM_OPT_F_ZERO_OK
#define CAT        TM_CMD_CAT
#define STATS      TM_CMD_STATS
#define SCORE      TM_CMD_SCORE
#define FILT       TM_CMD_FILTER
#define EXTR       TM_CMD_EXTRACT
#define CLEAN      TM_CMD_CLEAN
#define DEDUP      TM_CMD_DEDUP
#define RUN        TM_CMD_RUN
#define ALL        TM_CMD_ALL
#define BIG        1e9
#define SIZE_MAX_D 1e18

/* key, type, flags, flag, short, commands, arg, preset, group, lo, hi,
 * choices, help; then the field and the check. The order is that of
 * --print-config (and so of a run's identity): new keys go at the end of
 * their section. */
static const entry table[] = {
    {{"threads", TM_OPT_INT, YN, "--threads", "-j", ALL, "N", NULL, 0, 0, TM_THREADS_MAX, NULL,
      "worker threads; 0 = all cores"},
     OFF(threads),
     NULL,
     0},
    {{"reader.format", TM_OPT_ENUM, Y, "--format", NULL, ALL, "F", NULL, 0, 0, 0,
      "auto|jsonl|text|lines|warc|arc", "input format"},
     OFF(format),
     NULL,
     0},
    {{"reader.text_field", TM_OPT_STRING, Y | TM_OPT_F_NONEMPTY, "--text-field", NULL, ALL, "PATH",
      NULL, 0, 0, 0, NULL, "JSON path of the text"},
     OFF(text_field),
     NULL,
     0},
    {{"reader.id_field", TM_OPT_STRING, Y | TM_OPT_F_NONEMPTY, "--id-field", NULL, ALL, "PATH",
      NULL, 0, 0, 0, NULL, "JSON path of the id"},
     OFF(id_field),
     NULL,
     0},
    {{"reader.max_doc_bytes", TM_OPT_SIZE, Y, "--max-doc-bytes", NULL, ALL & ~RUN, "SIZE", NULL, 0,
      1, SIZE_MAX_D, NULL, "larger records are rejected"},
     OFF(max_doc_bytes),
     NULL,
     0},
    {{"reader.lines", TM_OPT_BOOL, 0, "--lines", NULL, ALL & ~RUN, NULL, "true", 0, 0, 0, NULL,
      "plain text: one document per line"},
     OFF(reader_lines),
     NULL,
     0},
    {{"reader.batch_bytes", TM_OPT_SIZE, TM_OPT_F_ZERO_OK, "--batch-bytes", NULL, ALL & ~RUN,
      "SIZE", NULL, 0, 1, SIZE_MAX_D, NULL, "raw bytes per work batch; 0 = 1M"},
     OFF(batch_bytes),
     NULL,
     0},
    {{"reader.rejects_keep", TM_OPT_INT, TM_OPT_F_ALL, "--rejects-keep", NULL, ALL & ~RUN, "N|all",
      NULL, 0, 1, 1099511627776.0, NULL,
      "copy the raw record of the first N rejects, then of one in 100"},
     OFF(rejects_keep),
     NULL,
     1},
    {{"reader.max_reject_rate", TM_OPT_DOUBLE, TM_OPT_F_PERCENT, "--max-reject-rate", NULL, ALL,
      "R", NULL, 0, 0, 1, NULL,
      "exit 4 when more than R of the records are rejected or empty (0.1 or 10%; 100% = never)"},
     OFF(max_reject_rate),
     NULL,
     0},
    {{"extract.mode", TM_OPT_ENUM, Y, "--no-extract", NULL, RUN, NULL, "off", 0, 0, 0,
      "auto|on|off",
      "main text of HTML first: auto = WARC and ARC inputs, on = also text files (HTML), off = "
      "never"},
     OFF(extract_mode),
     NULL,
     0},
    {{"clean.enabled", TM_OPT_BOOL, Y, "--no-clean", NULL, RUN, NULL, "false", 0, 0, 0, NULL,
      "run the clean stage"},
     OFF(clean_enabled),
     NULL,
     0},
    {{"clean.ops", TM_OPT_LIST, Y, "--ops", NULL, CLEAN, "LIST", NULL, 0, 0, 0,
      "encoding,normalize,repeated,reworded,doubled,all,none",
      "encoding,normalize,repeated,reworded,doubled | all | none"},
     OFF(clean_ops),
     tmi_options_check_clean_ops,
     0},
    {{"clean.para_threshold", TM_OPT_DOUBLE, Y, "--para-threshold", NULL, CLEAN, "X", NULL, 0, 0.01,
      1, NULL, "word-set Jaccard of reworded paragraphs"},
     OFF(clean_para_threshold),
     NULL,
     0},
    {{"clean.lang", TM_OPT_STRING, Y, "--lang", NULL, CLEAN, "CODE", NULL, 0, 0, 0, NULL,
      "language of every document; empty = detect"},
     OFF(clean_lang),
     NULL,
     0},
    {{"clean.dry_run", TM_OPT_BOOL, 0, "--dry-run", NULL, CLEAN, NULL, "true", 0, 0, 0, NULL,
      "record the edits, leave the text unchanged"},
     OFF(clean_dry_run),
     NULL,
     0},
    {{"filter.enabled", TM_OPT_BOOL, Y, "--no-filter", NULL, RUN, NULL, "false", 0, 0, 0, NULL,
      "run the filter stage"},
     OFF(filter_enabled),
     NULL,
     0},
    {{"filter.preset", TM_OPT_ENUM, Y, "--preset", NULL, FILT | RUN, "P", NULL, 0, 0, 0,
      "default|gopher|c4|fineweb", "rule preset"},
     OFF(filter_preset),
     NULL,
     0},
    {{"filter.lang", TM_OPT_LIST, Y, "--lang", NULL, FILT | RUN, "LIST", NULL, 0, 0, 0,
      "ISO 639-1 codes", "keep only these languages (fr,en); empty = any"},
     OFF(filter_lang),
     tmi_options_check_langs,
     0},
    {{"filter.min_lang_score", TM_OPT_DOUBLE, Y, "--min-lang-score", NULL, FILT, "X", NULL, 0, -1,
      1, NULL, "minimum language score; -1 = the preset's"},
     OFF(filter_min_lang_score),
     NULL,
     0},
    {{"filter.lang_sample", TM_OPT_SIZE, Y, "--lang-sample", NULL, FILT | SCORE, "SIZE", NULL, 0, 0,
      SIZE_MAX_D, NULL, "identify the language on ~this many bytes; 0 = whole text"},
     OFF(filter_lang_sample),
     NULL,
     0},
    {{"filter.tokenizer", TM_OPT_ENUM, 0, "--tokenizer", NULL, FILT, "NAME", NULL, 0, 0, 0,
      "preset|tamis|nltk",
      "words of the Gopher/FineWeb rules and C4's sentences: nltk (datatrove's), tamis, or "
      "the preset's"},
     OFF(filter_tokenizer),
     NULL,
     0},
    {{"score.signals", TM_OPT_LIST, 0, "--signals", NULL, SCORE, "LIST", NULL, 0, 0, 0,
      "signal and family names, all",
      "signals or families to compute (gopher_quality, gopher_repetition, c4, fineweb, tamis, "
      "all); see --list-signals"},
     OFF(score_signals),
     tmi_options_check_signals,
     0},
    {{"score.lang", TM_OPT_BOOL, 0, "--no-lang", NULL, SCORE, NULL, "false", 0, 0, 0, NULL,
      "identify the language of every document"},
     OFF(score_lang),
     NULL,
     0},
    {{"score.tokenizer", TM_OPT_ENUM, 0, "--tokenizer", NULL, SCORE, "NAME", NULL, 0, 0, 0,
      "tamis|nltk",
      "words of the Gopher/FineWeb signals and C4's sentences: tamis or nltk (datatrove's)"},
     OFF(score_tokenizer),
     NULL,
     0},
    {{"score.quality", TM_OPT_BOOL, 0, "--quality", NULL, SCORE, NULL, "true", 0, 0, 0, NULL,
      "add \"quality\": the share of the default preset's rules passed (dedup --keep best)"},
     OFF(score_quality),
     NULL,
     0},
    {{"dedup.enabled", TM_OPT_BOOL, Y, "--no-dedup", NULL, RUN, NULL, "false", 0, 0, 0, NULL,
      "run the dedup stage"},
     OFF(dedup_enabled),
     NULL,
     0},
    {{"dedup.exact", TM_OPT_BOOL, Y, "--exact", NULL, DEDUP, NULL, "true", 1, 0, 0, NULL,
      "remove exact duplicates"},
     OFF(dedup_exact),
     NULL,
     0},
    {{"dedup.near", TM_OPT_BOOL, Y, "--near", NULL, DEDUP, NULL, "true", 1, 0, 0, NULL,
      "remove near duplicates (MinHash-LSH)"},
     OFF(dedup_near),
     NULL,
     0},
    {{"dedup.paragraphs", TM_OPT_BOOL, Y, "--paragraphs", NULL, DEDUP, NULL, "true", 1, 0, 0, NULL,
      "remove lines seen in earlier documents"},
     OFF(dedup_paragraphs),
     NULL,
     0},
    {{"dedup.threshold", TM_OPT_DOUBLE, Y, "--threshold", NULL, DEDUP | RUN, "J", NULL, 0, 0.01,
      0.99, NULL, "Jaccard similarity of near dups"},
     OFF(dedup_threshold),
     NULL,
     0},
    {{"dedup.containment", TM_OPT_DOUBLE, Y, "--containment", NULL, DEDUP, "C", NULL, 0, 0, 1, NULL,
      "also dups: this share of the smaller's shingles in the larger; 0 = off"},
     OFF(dedup_containment),
     NULL,
     0},
    {{"dedup.containment_ratio", TM_OPT_DOUBLE, Y, "--containment-ratio", NULL, DEDUP, "R", NULL, 0,
      0.01, 1, NULL, "containment only when the smaller has this share of the larger's size"},
     OFF(dedup_containment_ratio),
     NULL,
     0},
    {{"dedup.lsh_threshold", TM_OPT_DOUBLE, Y | Z, "--lsh-threshold", NULL, DEDUP, "S", NULL, 0,
      0.01, 0.99, NULL, "similarity the LSH banding targets; 0 = the lowest the rule accepts"},
     OFF(dedup_lsh_threshold),
     NULL,
     0},
    {{"dedup.perms", TM_OPT_INT, Y, "--perms", NULL, DEDUP, "N", NULL, 0, 1, 4096, NULL,
      "MinHash permutations"},
     OFF(dedup_perms),
     NULL,
     0},
    {{"dedup.bands", TM_OPT_INT, Y | Z, "--bands", NULL, DEDUP, "B", NULL, 0, 1, 4096, NULL,
      "LSH bands; 0 = from threshold"},
     OFF(dedup_bands),
     NULL,
     0},
    {{"dedup.rows", TM_OPT_INT, Y | Z, "--rows", NULL, DEDUP, "R", NULL, 0, 1, 4096, NULL,
      "LSH rows per band; 0 = from threshold"},
     OFF(dedup_rows),
     NULL,
     0},
    {{"dedup.shingle", TM_OPT_STRING, Y, "--shingle", NULL, DEDUP, "S", NULL, 0, 0, 0,
      "auto, auto:W,C, word:W or char:C (W <= 64, C <= 256)", "auto | auto:W,C | word:N | char:N"},
     OFF(dedup_shingle),
     tmi_options_check_shingle,
     0},
    {{"dedup.verify", TM_OPT_ENUM, Y, "--verify", NULL, DEDUP, "M", NULL, 0, 0, 0,
      "signature|exact|aligned", "how candidates are verified"},
     OFF(dedup_verify),
     NULL,
     0},
    {{"dedup.min_jaccard", TM_OPT_DOUBLE, Y, "--min-jaccard", NULL, DEDUP, "J", NULL, 0, 0.01, 0.99,
      NULL, "verify aligned: least Jaccard of a near copy"},
     OFF(dedup_min_jaccard),
     NULL,
     0},
    {{"dedup.coverage", TM_OPT_DOUBLE, Y, "--coverage", NULL, DEDUP, "C", NULL, 0, 0.01, 1, NULL,
      "verify aligned: share of each one's words the other covers"},
     OFF(dedup_coverage),
     NULL,
     0},
    {{"dedup.coverage_contained", TM_OPT_DOUBLE, Y, "--coverage-contained", NULL, DEDUP, "C", NULL,
      0, 0.01, 1, NULL, "verify aligned: share of the smaller one's words the larger covers"},
     OFF(dedup_coverage_contained),
     NULL,
     0},
    {{"dedup.max_gap", TM_OPT_INT, Y, "--max-gap", NULL, DEDUP, "N", NULL, 0, 0, 1000000, NULL,
      "verify aligned: longest run of uncovered words"},
     OFF(dedup_max_gap),
     NULL,
     0},
    {{"dedup.max_gap_contained", TM_OPT_INT, Y, "--max-gap-contained", NULL, DEDUP, "N", NULL, 0, 0,
      1000000, NULL, "verify aligned: longest uncovered run of a contained copy"},
     OFF(dedup_max_gap_contained),
     NULL,
     0},
    {{"dedup.template_df", TM_OPT_INT, Y, "--template-df", NULL, DEDUP, "N", NULL, 0, 0, 254, NULL,
      "verify aligned: shingles in more than this many documents are template; 0 = off"},
     OFF(dedup_template_df),
     NULL,
     0},
    {{"dedup.template_own", TM_OPT_DOUBLE, Y, "--template-own", NULL, DEDUP, "X", NULL, 0, 0, 1,
      NULL, "template_df: share of one side's own shingles the other must hold"},
     OFF(dedup_template_own),
     NULL,
     0},
    {{"dedup.template_min", TM_OPT_INT, Y, "--template-min", NULL, DEDUP, "N", NULL, 0, 0, 1000000,
      NULL, "template_df: own shingles a side needs for that test"},
     OFF(dedup_template_min),
     NULL,
     0},
    {{"dedup.df_sketch", TM_OPT_SIZE, Y, "--df-sketch", NULL, DEDUP, "SIZE", NULL, 0, 4096,
      SIZE_MAX_D, NULL, "template_df: size of the document-frequency sketch"},
     OFF(dedup_df_sketch),
     NULL,
     0},
    {{"dedup.substitution", TM_OPT_INT, Y, "--substitution", NULL, DEDUP, "N", NULL, 0, 0, 1000000,
      NULL, "verify aligned: this many word-for-word differences are a substitution; 0 = off"},
     OFF(dedup_substitution),
     NULL,
     0},
    {{"dedup.keep", TM_OPT_ENUM, Y, "--keep", NULL, DEDUP, "K", NULL, 0, 0, 0, "first|longest|best",
      "which copy is kept"},
     OFF(dedup_keep),
     NULL,
     0},
    {{"dedup.min_paragraph_chars", TM_OPT_INT, Y, "--min-paragraph-chars", NULL, DEDUP, "N", NULL,
      0, 1, 1 << 30, NULL, "shortest line paragraph dedup removes"},
     OFF(dedup_min_paragraph_chars),
     NULL,
     0},
    {{"dedup.min_doc_chars", TM_OPT_INT, Y, "--min-doc-chars", NULL, DEDUP, "N", NULL, 0, 0,
      1 << 30, NULL, "documents left shorter are removed"},
     OFF(dedup_min_doc_chars),
     NULL,
     0},
    {{"dedup.memory", TM_OPT_SIZE, YN | Z, "--memory", NULL, DEDUP, "SIZE", NULL, 0, 4096,
      SIZE_MAX_D, NULL, "index memory; 0 = half of RAM"},
     OFF(dedup_memory),
     NULL,
     0},
    {{"dedup.tmp_dir", TM_OPT_STRING, YN, "--tmp-dir", NULL, DEDUP, "DIR", NULL, 0, 0, 0, NULL,
      "spill files; empty = OUTDIR/.tamis"},
     OFF(dedup_tmp_dir),
     NULL,
     0},
    {{"dedup.normalize", TM_OPT_ENUM, 0, "--normalize", NULL, DEDUP, "FORM", NULL, 0, 0, 0,
      "none|ws|nfc|nfkc|nfkc_casefold|aggressive",
      "normal form of the text before hashing (nfkc_casefold: NFKC, case folded, whitespace "
      "collapsed)"},
     OFF(dedup_norm),
     NULL,
     0},
    {{"dedup.seed", TM_OPT_INT, 0, "--seed", NULL, DEDUP, "N", NULL, 0, 0, 1e15, NULL,
      "MinHash permutation seed"},
     OFF(dedup_seed),
     NULL,
     1},
    {{"dedup.score_field", TM_OPT_STRING, 0, "--score-field", NULL, DEDUP, "PATH", NULL, 0, 0, 0,
      NULL, "number inside \"tamis\" that keep best ranks by; empty = quality, else lang_score"},
     OFF(dedup_score_field),
     NULL,
     0},
    {{"output.shard_bytes", TM_OPT_SIZE, Y, NULL, NULL, 0, NULL, NULL, 0, 1024, SIZE_MAX_D, NULL,
      "uncompressed bytes per kept shard"},
     OFF(shard_bytes),
     NULL,
     0},
    {{"output.compression", TM_OPT_ENUM, Y, NULL, NULL, 0, NULL, NULL, 0, 0, 0, "zst|gz|none",
      "kept/removed files"},
     OFF(compression),
     NULL,
     0},
    {{"output.explain", TM_OPT_BOOL, Y, "--explain", NULL, FILT | RUN, NULL, "true", 0, 0, 0, NULL,
      "keep every filter rule's verdict on kept and removed documents"},
     OFF(output_explain),
     NULL,
     0},
    {{"output.removed_format", TM_OPT_ENUM, Y, "--removed-format", NULL, ALL, "F", NULL, 0, 0, 0,
      "full|ids",
      "removed/: documents with reason and evidence, or only id, stage, reason, evidence"},
     OFF(removed_format),
     NULL,
     0},
    {{"report.examples", TM_OPT_INT, Y, NULL, NULL, 0, NULL, NULL, 0, 0, BIG, NULL,
      "examples shown per reason"},
     OFF(report_examples),
     NULL,
     0},
    {{"report.clusters", TM_OPT_INT, Y, NULL, NULL, 0, NULL, NULL, 0, 0, BIG, NULL,
      "largest clusters shown"},
     OFF(report_clusters),
     NULL,
     0},
};
#define N_TABLE (sizeof table / sizeof *table)

size_t tm_option_count(void) {
    return N_TABLE;
}

const tm_option *tm_option_get(size_t i) {
    return i < N_TABLE ? &table[i].o : NULL;
}

static const entry *find(const char *key) {
    for (size_t i = 0; i < N_TABLE; i++)
        if (!strcmp(table[i].o.key, key)) return &table[i];
    return NULL;
}

const tm_option *tm_option_find(const char *key) {
    const entry *e = find(key);
    return e ? &e->o : NULL;
}

const tm_option *tm_option_by_flag(const char *flag, unsigned cmd) {
    for (size_t i = 0; i < N_TABLE; i++) {
        const tm_option *o = &table[i].o;
        if (!(o->commands & cmd)) continue;
        if ((o->flag && !strcmp(o->flag, flag)) || (o->short_flag && !strcmp(o->short_flag, flag)))
            return o;
    }
    return NULL;
}

/* Levenshtein distance of two short keys, for "did you mean". */
static size_t distance(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b), row[128];
    if (nb >= 128) return (size_t)-1;
    for (size_t j = 0; j <= nb; j++) row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

tm_error tmi_options_unknown(const char *key, int yaml_only, char *err, size_t err_size) {
    const tm_option *en = tm_option_find(key);
    if (en && yaml_only) {
        static const char *const names[] = {"cat",     "stats", "score", "filter",
                                            "extract", "clean", "dedup", "run"};
        char cmds[96] = "";
        for (int k = 0; k < 8; k++)
            if (en->commands & (1u << k))
                snprintf(cmds + strlen(cmds), sizeof cmds - strlen(cmds), "%stamis %s",
                         *cmds ? ", " : "", names[k]);
        return tmi_fail_buf(err, err_size,
                            "'%s' is not a configuration key of tamis run yet (only %s %s)", key,
                            cmds, en->flag ? en->flag : "");
    }
    const char *best = NULL;
    size_t bd = 3; /* at most two edits away */
    for (size_t i = 0; i < tm_option_count(); i++) {
        const tm_option *o = tm_option_get(i);
        if (yaml_only && !(o->flags & TM_OPT_F_YAML)) continue;
        size_t d = distance(key, o->key);
        if (d < bd) bd = d, best = o->key;
    }
    if (best)
        return tmi_fail_buf(err, err_size, "unknown configuration key '%s' (did you mean '%s'?)",
                            key, best);
    return tmi_fail_buf(err, err_size, "unknown configuration key '%s'", key);
}

int tmi_options_enum_index(const char *choices, const char *v) {
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

const char *tmi_options_enum_name(const char *choices, int idx, char *buf, size_t size) {
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
    static const char *const t[] = {"true", "yes", "on", "1"};
    static const char *const f[] = {"false", "no", "off", "0"};
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
    if (end == v || errno || !(d >= 0)) return 0;
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

/* "4K", "64M", or bytes: how a size range is said. */
static void fmt_size(char *out, size_t n, double v) {
    if (v >= 1048576 && fmod(v, 1048576) == 0)
        snprintf(out, n, "%.0fM", v / 1048576);
    else if (v >= 1024 && fmod(v, 1024) == 0)
        snprintf(out, n, "%.0fK", v / 1024);
    else
        snprintf(out, n, "%.0f", v);
}

static tm_error set_str(char **dst, const char *v) {
    char *p = strdup(v);
    if (!p) return TM_ERR_NOMEM;
    free(*dst);
    *dst = p;
    return TM_OK;
}

/* Parses v by e's type and range into its field of c. */
static tm_error set_entry(tm_run_config *c, const entry *en, const char *v, const char *label,
                          char *err, size_t err_size) {
    const tm_option *o = &en->o;
    void *p = (char *)c + en->off;
    int zero = (o->flags & TM_OPT_F_ZERO_OK) != 0;
    char *end;
    errno = 0;
    switch (o->type) {
    case TM_OPT_BOOL:
        if (!parse_bool(v, (int *)p))
            return tmi_fail_buf(err, err_size, "%s: expected true or false, got '%s'", label, v);
        return TM_OK;
    case TM_OPT_INT: {
        if ((o->flags & TM_OPT_F_ALL) && en->wide && !strcmp(v, "all")) {
            *(uint64_t *)p = UINT64_MAX;
            return TM_OK;
        }
        long long n = strtoll(v, &end, 10);
        long long lo = (long long)o->lo, hi = (long long)o->hi;
        if (end == v || *end || errno || ((n < lo || n > hi) && !(zero && n == 0)))
            return tmi_fail_buf(err, err_size,
                                "%s: expected %sa whole number in [%lld, %lld], got '%s'", label,
                                zero ? "0 or " : "", lo, hi, v);
        if (en->wide)
            *(uint64_t *)p = (uint64_t)n;
        else
            *(int *)p = (int)n;
        return TM_OK;
    }
    case TM_OPT_DOUBLE: {
        double d = strtod(v, &end);
        if ((o->flags & TM_OPT_F_PERCENT) && end != v && *end == '%' && !end[1])
            d /= 100, end++; /* "10%" */
        if (end == v || *end || errno || !isfinite(d) ||
            ((d < o->lo || d > o->hi) && !(zero && d == 0)))
            return tmi_fail_buf(err, err_size, "%s: expected %sa number in [%g, %g], got '%s'",
                                label, zero ? "0 or " : "", o->lo, o->hi, v);
        *(double *)p = d;
        return TM_OK;
    }
    case TM_OPT_SIZE: {
        uint64_t n;
        if (!parse_size(v, &n))
            return tmi_fail_buf(err, err_size, "%s: expected a size like 64M, got '%s'", label, v);
        if (((double)n < o->lo || (double)n > o->hi) && !(zero && n == 0)) {
            char lo[32];
            fmt_size(lo, sizeof lo, o->lo);
            return tmi_fail_buf(err, err_size, "%s: expected %sa size of at least %s, got '%s'",
                                label, zero ? "0 or " : "", lo, v);
        }
        *(uint64_t *)p = n;
        return TM_OK;
    }
    case TM_OPT_STRING:
    case TM_OPT_LIST:
        if ((o->flags & TM_OPT_F_NONEMPTY) && !*v)
            return tmi_fail_buf(err, err_size, "%s: empty", label);
        if (en->check && *v) {
            char why[160];
            tm_error e = en->check(v, why, sizeof why);
            if (e == TM_ERR_ARG)
                return tmi_fail_buf(err, err_size, "%s: %s, got '%s'", label, why, v);
            if (e) return e;
        }
        return set_str((char **)p, v);
    case TM_OPT_ENUM: {
        int idx = tmi_options_enum_index(o->choices, v);
        if (idx < 0)
            return tmi_fail_buf(err, err_size, "%s: expected %s, got '%s'", label, o->choices, v);
        *(int *)p = idx;
        return TM_OK;
    }
    }
    return TM_ERR_INTERNAL;
}

tm_error tmi_options_set_scoped(tm_run_config *c, const char *key, const char *value,
                                const char *label, int yaml_only, char *err, size_t err_size) {
    const entry *en = find(key);
    if (!en || (yaml_only && !(en->o.flags & TM_OPT_F_YAML)))
        return tmi_options_unknown(key, yaml_only, err, err_size);
    return set_entry(c, en, value, label ? label : key, err, err_size);
}

tm_error tm_options_set(tm_run_config *c, const char *key, const char *value, const char *label) {
    char err[TM_DETAIL_MAX] = "";
    tm_error e = !strncmp(key, "filter.rules.", 13)
                     ? tmi_run_config_set_rule(c, key, value, label, err, sizeof err)
                     : tmi_options_set_scoped(c, key, value, label, 0, err, sizeof err);
    return tmi_detail_result(e, err);
}

const char *tmi_options_str(const tm_run_config *c, const tm_option *o) {
    const entry *en = (const entry *)o; /* o is the first member of its entry */
    return *(char *const *)((const char *)c + en->off);
}

void tmi_options_free_strings(tm_run_config *c) {
    for (size_t i = 0; i < N_TABLE; i++)
        if (table[i].o.type == TM_OPT_STRING || table[i].o.type == TM_OPT_LIST) {
            char **p = (char **)((char *)c + table[i].off);
            free(*p);
            *p = NULL;
        }
}

/* The shortest %g form that reads back as the same double ("0.6", not
 * "0.59999999999999998"), so printed configurations load back exactly. */
void tmi_options_fmt_double(char *out, size_t n, double v) {
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, n, "%.*g", prec, v);
        if (strtod(out, NULL) == v) break;
    }
}

tm_error tm_options_value(const tm_run_config *c, const char *key, char *out, size_t size) {
    const entry *en = find(key);
    if (!en || !size) return TM_ERR_ARG;
    const void *p = (const char *)c + en->off;
    switch (en->o.type) {
    case TM_OPT_BOOL: snprintf(out, size, "%s", *(const int *)p ? "true" : "false"); break;
    case TM_OPT_INT:
        if (en->wide && (en->o.flags & TM_OPT_F_ALL) && *(const uint64_t *)p == UINT64_MAX)
            snprintf(out, size, "all");
        else if (en->wide)
            snprintf(out, size, "%llu", (unsigned long long)*(const uint64_t *)p);
        else
            snprintf(out, size, "%d", *(const int *)p);
        break;
    case TM_OPT_DOUBLE: tmi_options_fmt_double(out, size, *(const double *)p); break;
    case TM_OPT_SIZE: snprintf(out, size, "%llu", (unsigned long long)*(const uint64_t *)p); break;
    case TM_OPT_STRING:
    case TM_OPT_LIST: snprintf(out, size, "%s", *(char *const *)p); break;
    case TM_OPT_ENUM: tmi_options_enum_name(en->o.choices, *(const int *)p, out, size); break;
    }
    return TM_OK;
}
