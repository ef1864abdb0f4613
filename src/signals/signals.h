/*
 * signals.h — internal interface of the quality-signal library.
 *
 * Every signal is a pure function of (text, word tokens, language): the
 * public entry point tm_signals_compute() runs the tamis tokenizer, while
 * tests and tools call tmi_signals_compute_tokens() with any token list (for
 * example Python's text.split(), which is what the known-answer vectors of
 * quality-signals.md §12 use). Definitions: docs/SIGNALS.md.
 *
 * The C4 line filter is also exposed here because it is a transformer: the
 * filter engine needs its rewritten text, not only its counts.
 */
#ifndef TM_SIGNALS_H
#define TM_SIGNALS_H

#include "signals/sigtable.h"
#include "tamis.h"
#include "text/text.h"

typedef struct ent {
    uint64_t h;
    uint32_t pos; /* first occurrence: token index or span index */
    uint32_t count;
} ent;

/* Scratch of the signal computations (see tm_scorer_new); private to
 * src/signals, defined here so that c4.c and filter.c share it. */
struct tm_scorer {
    tm_spans toks, lines, paras, fwlines, pylines;
    /* per token: XXH3 of its bytes (th), code-point length (tcp), TF_* class
     * bits (tfl); prefix polynomial hashes of the token concatenation (ph,
     * n+1 entries) with the powers of B (pw) and their inverses (ipw), and
     * prefix hashes over the token hashes (pt): see prepare_tokens */
    uint64_t *th, *ph, *pw, *ipw, *pt;
    uint32_t *tcp;
    uint8_t *tfl;
    size_t tok_cap;
    /* n-gram passes: window hashes (wh), positions whose hash may repeat
     * (cand), each window's bit (wbit) in the two bit sets that find them
     * (seen) */
    uint64_t *wh, *seen;
    uint32_t *cand, *wbit;
    size_t win_cap, cand_cap, wbit_cap, seen_cap;
    uint64_t bpow[64], ibpow[64]; /* B^k and B^-k, k < 64 */
    uint32_t *slots;              /* open addressing: entry index + 1, 0 = empty */
    size_t slot_cap;
    ent *ents;
    size_t ent_n, ent_cap;
    uint64_t *sh; /* near-duplicate paragraph shingles */
    size_t sh_n, sh_cap;
    size_t *sh_off; /* per paragraph: [off, off+len) into sh */
    size_t sh_off_cap;
    uint64_t *sh_tmp; /* bucket-sort scratch: keys and bucket counters */
    size_t sh_tmp_cap;
    uint32_t *sh_pos;
    size_t sh_pos_cap;
    tm_buf c4text, c4line, c4lower;
    tm_spans c4lines;
    /* the bytes that the tokens of the current computation point into
     * (tb: text itself unless tokbase is set), and datatrove's English NLTK
     * tokens with their scratch (dt_words.c); punkt: C4 counts sentences
     * with untrained Punkt instead of the tamis heuristic */
    const char *tokbase, *tb;
    int punkt;
    struct tm_nltk *nltk;
    tm_buf nltk_buf;
    tm_spans nltk_toks;
};

/* Options of the C4 line filter (datatrove C4QualityFilter defaults by
 * tmi_c4_opts_init). A numeric option <= 0 disables its rule. */
typedef struct tm_c4_opts {
    int terminal_punct;     /* drop lines not ending in . ? ! " ' (or in ...) */
    int min_words_per_line; /* drop lines with fewer whitespace words (3) */
    int max_word_length;    /* drop lines with a longer word (1000 cp) */
    int javascript;         /* drop lines containing "javascript" */
    int policy;             /* drop lines containing a policy phrase */
    int citations;          /* delete [1], [edit], [citation needed] */
    int lorem_ipsum;        /* flag the document ("lorem ipsum") */
    int curly_bracket;      /* flag the document ('{') */
    int punkt_sentences;    /* count sentences with untrained Punkt (NLTK) */
} tm_c4_opts;

void tmi_c4_opts_init(tm_c4_opts *o);

typedef struct tm_c4_result {
    size_t n_lines; /* splitlines() lines */
    size_t kept_lines;
    size_t long_word_lines;
    size_t no_terminal_punct_lines;
    size_t few_words_lines;
    size_t javascript_lines;
    size_t policy_lines;
    size_t citations;   /* citation markers deleted in examined lines */
    size_t n_sentences; /* sentences in kept lines (approximation) */
    int lorem_ipsum;    /* a surviving line contains "lorem ipsum" */
    int curly_bracket;  /* a surviving line contains '{' */
    int first_doc_flag; /* which flag came first: 1 lorem, 2 curly */
} tm_c4_result;

/* The C4 signals (TM_SIG_C4_*) of a result into v[TM_SIG_COUNT]. */
void tmi_c4_result_values(const tm_c4_result *r, double *v);

/* Runs the C4 line filter over text; the kept lines joined with LF and
 * stripped are written to *out (replaced; caller-owned). */
tm_error tmi_c4_run(tm_scorer *s, const char *text, size_t len, const tm_c4_opts *o, tm_buf *out,
                    tm_c4_result *res);
/* The same with the splitlines() spans of text already computed (lines, as
 * tmi_split_pylines returns them), so that the signals split only once. */
tm_error tmi_c4_run_lines(tm_scorer *s, const char *text, size_t len, const tm_spans *lines,
                          const tm_c4_opts *o, tm_buf *out, tm_c4_result *res);

/* Like tm_signals_compute() but with caller-supplied word tokens (spans into
 * text, none containing whitespace). tokens NULL = the tamis tokenizer. */
tm_error tmi_signals_compute_tokens(tm_scorer *s, const char *text, size_t len,
                                    const tm_spans *tokens, const char *lang, size_t invalid_utf8,
                                    uint64_t mask, double *values);

/* tm_signals_compute() with the given word tokenizer (TM_WORDS_*,
 * sigtable.h). The tamis.* signals always use tamis tokens (they are tamis's
 * own definitions). */
tm_error tmi_signals_compute_words(tm_scorer *s, int words, const char *text, size_t len,
                                   const char *lang, size_t invalid_utf8, uint64_t mask,
                                   double *values);
#endif
