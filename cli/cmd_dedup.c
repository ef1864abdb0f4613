/*
 * cmd_dedup.c — `tamis dedup`: option parsing for tm_job_dedup (see
 * docs/DEDUP.md for the method, the defaults and what each option costs).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: tamis dedup [options] INPUT... -o KEPT\n"
    "\n"
    "Removes exact duplicates (128-bit hash of the normalised text) and near\n"
    "duplicates (MinHash-LSH, every candidate pair verified by Jaccard similarity),\n"
    "keeping one document per cluster; optionally removes lines already seen in an\n"
    "earlier document (--paragraphs). Reads the inputs twice: stdin, pipes, FIFOs\n"
    "and other inputs that are not regular files are first copied to --tmp-dir, and\n"
    "an input that changes between the passes fails the job. Output is identical\n"
    "for any --threads and --memory.\n"
    "\n"
    "what to remove (default: --exact --near):\n"
    "  --exact                exact duplicates of the normalised text\n"
    "  --near                 near duplicates (MinHash-LSH)\n"
    "  --paragraphs           lines of --min-paragraph-chars or more that appeared in\n"
    "                         an earlier document (CCNet-style)\n"
    "\n"
    "options:\n"
    "  -o, --output FILE      kept documents (default stdout); .gz/.zst compress\n"
    "  --removed FILE         removed documents, with \"tamis\": {\"duplicate_of\",\n"
    "                         \"similarity\", \"cluster\", ...}\n"
    "  --removed-format F     full (each removed document, with its reason) or ids\n"
    "                         (one line each: id, stage, reason, evidence)\n"
    "  --clusters FILE        one JSON line per cluster: members and similarities\n"
    "  --normalize FORM       none|ws|nfc|nfkc|nfkc_casefold|aggressive (default\n"
    "                         nfkc_casefold: NFKC, case folded, whitespace collapsed)\n"
    "  --shingle S            auto|auto:W,C|word:N|char:N (default auto: word\n"
    "                         5-grams, or character 5-grams for Chinese/Japanese/\n"
    "                         Thai... text; auto:W,C sets both sizes)\n"
    "  --perms N              MinHash permutations (default 128)\n"
    "  --threshold J          Jaccard similarity of duplicates (default 0.85)\n"
    "  --containment C        also duplicates: the smaller shingle set has at least\n"
    "                         --containment-ratio of the larger's size and C of it\n"
    "                         is in the larger (truncation); only the smaller one\n"
    "                         goes (default 0.98, 0 = off)\n"
    "  --containment-ratio R  see --containment (default 0.7)\n"
    "  --lsh-threshold S      similarity the banding targets (default: the lowest\n"
    "                         Jaccard --threshold/--containment accept)\n"
    "  --bands B --rows R     LSH banding (default: optimal for --lsh-threshold)\n"
    "  --verify M             signature|exact|aligned: how candidate pairs are\n"
    "                         checked (default signature: Jaccard estimate;\n"
    "                         exact: exact Jaccard; aligned: where the two differ)\n"
    "  --coverage C           aligned: a near copy covers C of each one's words\n"
    "                         with shingles of the other (default 0.95)\n"
    "  --max-gap N            aligned: ... and leaves no run of more than N\n"
    "                         uncovered words in either (default 20)\n"
    "  --min-jaccard J        aligned: ... and has a Jaccard of at least J (0.65)\n"
    "  --coverage-contained C aligned: the smaller one goes when C of its words\n"
    "                         are covered by the larger (default 0.985) ...\n"
    "  --max-gap-contained N  ... with no uncovered run over N words (default 1)\n"
    "  --template-df N        aligned: shingles in more than N documents are a\n"
    "                         family's template; pairs must share their own\n"
    "                         content (default 0: off; see docs/DEDUP.md)\n"
    "  --template-own X       ... X of one side's own shingles in the other (0.5)\n"
    "  --template-min N       ... counted on a side with >= N own shingles (10)\n"
    "  --df-sketch SIZE       size of the document-frequency sketch (32M)\n"
    "  --substitution N       aligned: N or more differences, nearly all\n"
    "                         word-for-word, are a substitution, not a copy\n"
    "                         (default 0: off)\n"
    "  --keep K               first|longest|best: which copy stays (default first;\n"
    "                         best = highest \"tamis\" score, see --score-field)\n"
    "  --score-field PATH     number inside \"tamis\" used by --keep best (default\n"
    "                         quality, else lang_score; dots nest: signals.x)\n"
    "  --min-paragraph-chars N  shortest line --paragraphs removes (default 40)\n"
    "  --min-doc-chars N      documents left shorter go (default 100)\n"
    "  --memory SIZE          bound for the index (default half of RAM); beyond it,\n"
    "                         signatures and keys spill to --tmp-dir\n"
    "  --tmp-dir DIR          temporary files (default $TMPDIR or /tmp)\n"
    "  --seed N               permutation seed (default 1)\n"
    "  --stats-json FILE      write the dedup counters as JSON\n"
    "  -v, --verbose          print the dedup counters to stderr\n" TM_CLI_READ_HELP;

static int parse_norm(const char *v) {
    static const struct {
        const char *name;
        int flags;
    } forms[] = {
        {"none", -1},
        {"ws", TM_NORM_WS},
        {"nfc", TM_NORM_NFC | TM_NORM_WS},
        {"nfkc", TM_NORM_NFKC | TM_NORM_WS},
        {"nfkc_casefold", TM_NORM_NFKC | TM_NORM_CASEFOLD | TM_NORM_WS},
        {"aggressive",
         TM_NORM_NFKC | TM_NORM_CASEFOLD | TM_NORM_WS | TM_NORM_PUNCT | TM_NORM_DIGITS},
    };
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
        if (!strcmp(v, forms[i].name)) return forms[i].flags;
    return -2;
}

int tm_cmd_dedup(int argc, char **argv) {
    tm_cli c;
    tm_cli_init(&c, "dedup", usage, argc);
    tm_dedup_opts d;
    tm_dedup_opts_init(&d);
    const char *stats_json = NULL;
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        if (tm_cli_common(&c, argc, argv, &i)) continue;
        if (!strcmp(a, "--exact")) {
            d.exact = 1;
        } else if (!strcmp(a, "--near")) {
            d.near = 1;
        } else if (!strcmp(a, "--paragraphs")) {
            d.paragraphs = 1;
        } else if (tm_cli_is_opt(a, "--clusters")) {
            d.clusters = tm_cli_value(&c, argc, argv, &i);
        } else if (tm_cli_is_opt(a, "--normalize")) {
            const char *v = tm_cli_value(&c, argc, argv, &i);
            int f = parse_norm(v);
            if (f == -2)
                tm_cli_usage_error(
                    &c, "--normalize: expected none|ws|nfc|nfkc|nfkc_casefold|aggressive");
            d.norm = f;
            d.shingle.norm = f < 0 ? 0 : f;
        } else if (tm_cli_is_opt(a, "--shingle")) {
            const char *v = tm_cli_value(&c, argc, argv, &i);
            if (!strcmp(v, "auto")) {
                d.shingle.kind = TM_SHINGLE_AUTO;
            } else if (!strncmp(v, "auto:", 5) && strchr(v, ',')) {
                /* auto:W,C — auto with W-word and C-character shingles */
                char wn[32];
                size_t l = (size_t)(strchr(v, ',') - (v + 5));
                if (l >= sizeof wn) tm_cli_usage_error(&c, "--shingle: expected auto:W,C");
                memcpy(wn, v + 5, l);
                wn[l] = '\0';
                d.shingle.kind = TM_SHINGLE_AUTO;
                d.shingle.word_n = (int)tm_cli_long(&c, "--shingle", wn, 1, 64);
                d.shingle.char_n = (int)tm_cli_long(&c, "--shingle", strchr(v, ',') + 1, 1, 256);
            } else if (!strncmp(v, "word:", 5)) {
                d.shingle.kind = TM_SHINGLE_WORDS;
                d.shingle.word_n = (int)tm_cli_long(&c, "--shingle", v + 5, 1, 64);
            } else if (!strncmp(v, "char:", 5)) {
                d.shingle.kind = TM_SHINGLE_CHARS;
                d.shingle.char_n = (int)tm_cli_long(&c, "--shingle", v + 5, 1, 256);
            } else {
                tm_cli_usage_error(&c, "--shingle: expected auto, word:N or char:N");
            }
        } else if (tm_cli_is_opt(a, "--perms")) {
            d.perms = (int)tm_cli_long(&c, "--perms", tm_cli_value(&c, argc, argv, &i), 1, 4096);
        } else if (tm_cli_is_opt(a, "--threshold")) {
            d.threshold =
                tm_cli_double(&c, "--threshold", tm_cli_value(&c, argc, argv, &i), 0.01, 0.99);
        } else if (tm_cli_is_opt(a, "--containment")) {
            d.containment =
                tm_cli_double(&c, "--containment", tm_cli_value(&c, argc, argv, &i), 0.0, 1.0);
        } else if (tm_cli_is_opt(a, "--containment-ratio")) {
            d.containment_ratio = tm_cli_double(&c, "--containment-ratio",
                                                tm_cli_value(&c, argc, argv, &i), 0.01, 1.0);
        } else if (tm_cli_is_opt(a, "--lsh-threshold")) {
            d.lsh_threshold =
                tm_cli_double(&c, "--lsh-threshold", tm_cli_value(&c, argc, argv, &i), 0.01, 0.99);
        } else if (tm_cli_is_opt(a, "--bands")) {
            d.bands = (int)tm_cli_long(&c, "--bands", tm_cli_value(&c, argc, argv, &i), 1, 4096);
        } else if (tm_cli_is_opt(a, "--rows")) {
            d.rows = (int)tm_cli_long(&c, "--rows", tm_cli_value(&c, argc, argv, &i), 1, 4096);
        } else if (tm_cli_is_opt(a, "--verify")) {
            const char *v = tm_cli_value(&c, argc, argv, &i);
            if (!strcmp(v, "signature"))
                d.verify = TM_VERIFY_SIGNATURE;
            else if (!strcmp(v, "exact"))
                d.verify = TM_VERIFY_EXACT;
            else if (!strcmp(v, "aligned"))
                d.verify = TM_VERIFY_ALIGNED;
            else
                tm_cli_usage_error(&c, "--verify: expected signature, exact or aligned");
        } else if (tm_cli_is_opt(a, "--min-jaccard")) {
            d.min_jaccard =
                tm_cli_double(&c, "--min-jaccard", tm_cli_value(&c, argc, argv, &i), 0.01, 0.99);
        } else if (tm_cli_is_opt(a, "--coverage")) {
            d.coverage =
                tm_cli_double(&c, "--coverage", tm_cli_value(&c, argc, argv, &i), 0.01, 1.0);
        } else if (tm_cli_is_opt(a, "--coverage-contained")) {
            d.coverage_contained = tm_cli_double(&c, "--coverage-contained",
                                                 tm_cli_value(&c, argc, argv, &i), 0.01, 1.0);
        } else if (tm_cli_is_opt(a, "--max-gap-contained")) {
            d.max_gap_contained = (int)tm_cli_long(&c, "--max-gap-contained",
                                                   tm_cli_value(&c, argc, argv, &i), 0, 1000000);
        } else if (tm_cli_is_opt(a, "--template-df")) {
            d.template_df =
                (int)tm_cli_long(&c, "--template-df", tm_cli_value(&c, argc, argv, &i), 0, 254);
        } else if (tm_cli_is_opt(a, "--template-own")) {
            d.template_own =
                tm_cli_double(&c, "--template-own", tm_cli_value(&c, argc, argv, &i), 0.0, 1.0);
        } else if (tm_cli_is_opt(a, "--template-min")) {
            d.template_min = (int)tm_cli_long(&c, "--template-min",
                                              tm_cli_value(&c, argc, argv, &i), 0, 1000000);
        } else if (tm_cli_is_opt(a, "--substitution")) {
            d.substitution = (int)tm_cli_long(&c, "--substitution",
                                              tm_cli_value(&c, argc, argv, &i), 0, 1000000);
        } else if (tm_cli_is_opt(a, "--df-sketch")) {
            d.df_sketch_bytes = tm_cli_size(&c, "--df-sketch", tm_cli_value(&c, argc, argv, &i));
            if (d.df_sketch_bytes < 4096) tm_cli_usage_error(&c, "--df-sketch: at least 4K");
        } else if (tm_cli_is_opt(a, "--max-gap")) {
            d.max_gap =
                (int)tm_cli_long(&c, "--max-gap", tm_cli_value(&c, argc, argv, &i), 0, 1000000);
        } else if (tm_cli_is_opt(a, "--keep")) {
            const char *v = tm_cli_value(&c, argc, argv, &i);
            if (!strcmp(v, "first"))
                d.keep = TM_KEEP_FIRST;
            else if (!strcmp(v, "longest"))
                d.keep = TM_KEEP_LONGEST;
            else if (!strcmp(v, "best"))
                d.keep = TM_KEEP_BEST;
            else
                tm_cli_usage_error(&c, "--keep: expected first, longest or best");
        } else if (tm_cli_is_opt(a, "--score-field")) {
            d.score_field = tm_cli_value(&c, argc, argv, &i);
        } else if (tm_cli_is_opt(a, "--min-paragraph-chars")) {
            d.min_paragraph_chars = (size_t)tm_cli_long(
                &c, "--min-paragraph-chars", tm_cli_value(&c, argc, argv, &i), 1, 1L << 30);
        } else if (tm_cli_is_opt(a, "--min-doc-chars")) {
            d.min_doc_chars = (size_t)tm_cli_long(&c, "--min-doc-chars",
                                                  tm_cli_value(&c, argc, argv, &i), 0, 1L << 30);
        } else if (tm_cli_is_opt(a, "--memory")) {
            d.memory = tm_cli_size(&c, "--memory", tm_cli_value(&c, argc, argv, &i));
            if (d.memory < 4096) tm_cli_usage_error(&c, "--memory: at least 4K");
        } else if (tm_cli_is_opt(a, "--tmp-dir")) {
            d.tmp_dir = tm_cli_value(&c, argc, argv, &i);
        } else if (tm_cli_is_opt(a, "--seed")) {
            d.seed = (uint64_t)tm_cli_long(&c, "--seed", tm_cli_value(&c, argc, argv, &i), 0,
                                           (long)(~0UL >> 1));
        } else if (tm_cli_is_opt(a, "--stats-json")) {
            stats_json = tm_cli_value(&c, argc, argv, &i);
        } else {
            tm_cli_positional(&c, argv[i++]);
            continue;
        }
        i++;
    }
    if ((d.bands > 0) != (d.rows > 0)) tm_cli_usage_error(&c, "--bands and --rows go together");
    if (d.bands > 0 && (long)d.bands * d.rows > d.perms)
        tm_cli_usage_error(&c, "--bands x --rows must not exceed --perms (%d)", d.perms);
    tm_cli_check_output(&c, d.clusters);
    tm_cli_check_output(&c, stats_json);
    tm_cli_finish(&c);
    c.passes = 2; /* the progress line says which */
    tm_dedup_stats ds;
    tm_error e = tm_job_dedup(&c.job, &d, &ds);
    int rc = tm_cli_done(&c, e, &ds.ledger);
    if (rc == TM_EXIT_OK && (c.verbose || stats_json)) {
        tm_buf b = {0};
        if (tm_dedup_stats_to_json(&ds, &b) == TM_OK) {
            if (c.verbose && !c.quiet)
                fprintf(stderr,
                        "tamis dedup: %llu docs: %llu exact, %llu near removed in %llu "
                        "clusters; %llu lines removed, %llu docs left too short; LSH %dx%d, "
                        "%llu candidate pairs, %llu verified, %llu rejected\n",
                        (unsigned long long)ds.docs, (unsigned long long)ds.exact_removed,
                        (unsigned long long)ds.near_removed, (unsigned long long)ds.clusters,
                        (unsigned long long)ds.paragraphs_removed,
                        (unsigned long long)ds.paragraph_docs_removed, ds.bands, ds.rows,
                        (unsigned long long)ds.candidate_pairs,
                        (unsigned long long)ds.verified_pairs,
                        (unsigned long long)ds.rejected_pairs);
            if (stats_json) {
                if (tm_cli_write_text(&c, stats_json, b.data, b.len)) rc = TM_EXIT_FAIL;
            }
        }
        tm_buf_free(&b);
    }
    free(c.inputs);
    return rc;
}
