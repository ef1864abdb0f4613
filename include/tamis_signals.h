/*
 * tamis_signals.h — the one table of tamis's quality signals, their filter
 * rules and the presets' thresholds, included by tamis.h (its "signals"
 * section generates the tm_signal enum from it). The library generates the
 * signal names, the family masks, the filter's rules, the presets and the
 * report's histogram bins from the same rows (src/signals/sigtable.h), so a
 * new signal is one row here, one function that fills it and one
 * known-answer test (docs/ARCHITECTURE.md, "Adding a quality signal").
 *
 * These are X-macro tables: each takes the macros that a user of the table
 * defines and calls one of them per row.
 *
 * TM_SIGNAL_FAMILIES(F): F(FAM, "name") — the families, the names that
 * `--signals` accepts for a whole family.
 *
 * TM_SIGNAL_PRESETS(P): P(PRESET, "name", words, multilingual, "langs") —
 * the filter presets, in the order of the threshold columns of the rules:
 * words is the tokenizer of the Gopher/FineWeb signals and of C4's
 * sentences (TAMIS or NLTK: the datatrove presets count datatrove's English
 * words and sentences, as its reference decisions do, docs/SIGNALS.md),
 * multilingual (1) counts Gopher stop words in the document's language and
 * skips the rules that cannot apply to it, langs the languages the preset
 * keeps ("" = any).
 *
 * TM_SIGNALS(S, R): one table of two kinds of rows.
 *   S(ID, "family.name", FAM) is a signal: tm_signal TM_SIG_<ID>, its stable
 *   name, its family. Signal ids are the order of the S rows: a new signal is
 *   APPENDED at the end of the table, whatever its family, so that no
 *   existing id ever changes (families are masks of their rows, never
 *   ranges of ids).
 *   R(RULE, "rule name", SIGNAL, KIND, STAGE, TM_T(default, gopher, c4,
 *   fineweb), HIST) is a filter rule over signal TM_SIG_<SIGNAL> (NONE for
 *   the rules that read no signal): KIND is MIN (removed below the
 *   threshold), MAX (above it), FLAG (a yes/no signal), OPT (an option of
 *   the C4 line filter, never a verdict), LANG or EMPTY; STAGE places it in
 *   datatrove's FineWeb chain (EMPTY, LANG, GR, GQ, C4OPT, C4, FW, TM: rules
 *   are evaluated stage by stage, in table order within a stage); TM_T gives
 *   its threshold in each preset of TM_SIGNAL_PRESETS (0 = off); HIST is
 *   TM_HIST(lo, hi, log2) for a histogram in the run report (linear bins
 *   over [lo, hi], or log2 bins) or TM_NOHIST.
 *
 * Presets: datatrove's defaults for gopher, c4 and fineweb (fineweb.py:
 * language en at 0.65, no terminal-punctuation rule); the multilingual
 * default differs where docs/SIGNALS.md and bench/RESULTS.md say why
 * (FineWeb-2's char_dup_ratio of 0.1, alpha_word_frac 0.7 for tamis tokens,
 * C4's lorem-ipsum flag without its line rewriting, tamis's own signals).
 */
#ifndef TAMIS_SIGNALS_H
#define TAMIS_SIGNALS_H

#define TM_SIGNAL_FAMILIES(F)                                                                      \
    F(GQ, "gopher_quality")                                                                        \
    F(GR, "gopher_repetition")                                                                     \
    F(C4, "c4")                                                                                    \
    F(FW, "fineweb")                                                                               \
    F(TM, "tamis")

#define TM_SIGNAL_PRESETS(P)                                                                       \
    P(DEFAULT, "default", TAMIS, 1, "")                                                            \
    P(GOPHER, "gopher", NLTK, 0, "")                                                               \
    P(C4, "c4", NLTK, 0, "")                                                                       \
    P(FINEWEB, "fineweb", NLTK, 0, "en")

/* clang-format off */
#define TM_SIGNALS(S, R)                                                                          \
    /* rules of every document (threshold columns: default, gopher, c4, fineweb) */               \
    R(EMPTY, "tamis.empty", NONE, EMPTY, EMPTY, TM_T(1, 1, 1, 1), TM_NOHIST)                      \
    R(LANGUAGE, "language", NONE, LANG, LANG, TM_T(0, 0, 0, 0.65), TM_NOHIST)                     \
    /* Gopher quality (docs/SIGNALS.md) */                                                        \
    S(GQ_N_WORDS, "gopher_quality.n_words", GQ)                                                   \
    S(GQ_N_NON_SYMBOL_WORDS, "gopher_quality.n_non_symbol_words", GQ)                             \
    R(GQ_MIN_NON_SYMBOL_WORDS, "gopher_quality.min_non_symbol_words", GQ_N_NON_SYMBOL_WORDS, MIN, \
      GQ, TM_T(50, 50, 0, 50), TM_HIST(0, 0, 1))                                                  \
    R(GQ_MAX_NON_SYMBOL_WORDS, "gopher_quality.max_non_symbol_words", GQ_N_NON_SYMBOL_WORDS, MAX, \
      GQ, TM_T(100000, 100000, 0, 100000), TM_NOHIST)                                             \
    S(GQ_MEAN_WORD_LENGTH, "gopher_quality.mean_word_length", GQ)                                 \
    R(GQ_MIN_MEAN_WORD_LENGTH, "gopher_quality.min_mean_word_length", GQ_MEAN_WORD_LENGTH, MIN,   \
      GQ, TM_T(3, 3, 0, 3), TM_HIST(0, 15, 0))                                                    \
    R(GQ_MAX_MEAN_WORD_LENGTH, "gopher_quality.max_mean_word_length", GQ_MEAN_WORD_LENGTH, MAX,   \
      GQ, TM_T(10, 10, 0, 10), TM_NOHIST)                                                         \
    S(GQ_HASH_RATIO, "gopher_quality.hash_ratio", GQ)                                             \
    R(GQ_HASH_RATIO, "gopher_quality.hash_ratio", GQ_HASH_RATIO, MAX, GQ,                         \
      TM_T(0.1, 0.1, 0, 0.1), TM_NOHIST)                                                          \
    S(GQ_ELLIPSIS_RATIO, "gopher_quality.ellipsis_ratio", GQ)                                     \
    R(GQ_ELLIPSIS_RATIO, "gopher_quality.ellipsis_ratio", GQ_ELLIPSIS_RATIO, MAX, GQ,             \
      TM_T(0.1, 0.1, 0, 0.1), TM_NOHIST)                                                          \
    S(GQ_BULLET_LINE_FRAC, "gopher_quality.bullet_line_frac", GQ)                                 \
    R(GQ_BULLET_LINE_FRAC, "gopher_quality.bullet_line_frac", GQ_BULLET_LINE_FRAC, MAX, GQ,       \
      TM_T(0.9, 0.9, 0, 0.9), TM_NOHIST)                                                          \
    S(GQ_ELLIPSIS_LINE_FRAC, "gopher_quality.ellipsis_line_frac", GQ)                             \
    R(GQ_ELLIPSIS_LINE_FRAC, "gopher_quality.ellipsis_line_frac", GQ_ELLIPSIS_LINE_FRAC, MAX, GQ, \
      TM_T(0.3, 0.3, 0, 0.3), TM_NOHIST)                                                          \
    S(GQ_ALPHA_WORD_FRAC, "gopher_quality.alpha_word_frac", GQ)                                   \
    /* default 0.7: Gopher's 0.8 was measured on whitespace words ("mat." is   */                \
    /* one alphabetic word); tamis tokens split punctuation off, which costs    */                \
    /* news prose about 0.1 (bench/RESULTS.md, "Default preset")                */                \
    R(GQ_ALPHA_WORD_FRAC, "gopher_quality.alpha_word_frac", GQ_ALPHA_WORD_FRAC, MIN, GQ,          \
      TM_T(0.7, 0.8, 0, 0.8), TM_HIST(0, 1, 0))                                                   \
    S(GQ_STOP_WORDS, "gopher_quality.stop_words", GQ)                                             \
    R(GQ_STOP_WORDS, "gopher_quality.stop_words", GQ_STOP_WORDS, MIN, GQ,                         \
      TM_T(2, 2, 0, 2), TM_HIST(0, 0, 1))                                                         \
    /* Gopher repetition */                                                                       \
    S(GR_DUP_PARA_FRAC, "gopher_repetition.dup_para_frac", GR)                                    \
    R(GR_DUP_PARA_FRAC, "gopher_repetition.dup_para_frac", GR_DUP_PARA_FRAC, MAX, GR,             \
      TM_T(0.30, 0.30, 0, 0.30), TM_NOHIST)                                                       \
    S(GR_DUP_PARA_CHAR_FRAC, "gopher_repetition.dup_para_char_frac", GR)                          \
    R(GR_DUP_PARA_CHAR_FRAC, "gopher_repetition.dup_para_char_frac", GR_DUP_PARA_CHAR_FRAC, MAX,  \
      GR, TM_T(0.20, 0.20, 0, 0.20), TM_NOHIST)                                                   \
    S(GR_DUP_LINE_FRAC, "gopher_repetition.dup_line_frac", GR)                                    \
    R(GR_DUP_LINE_FRAC, "gopher_repetition.dup_line_frac", GR_DUP_LINE_FRAC, MAX, GR,             \
      TM_T(0.30, 0.30, 0, 0.30), TM_HIST(0, 1, 0))                                                \
    S(GR_DUP_LINE_CHAR_FRAC, "gopher_repetition.dup_line_char_frac", GR)                          \
    R(GR_DUP_LINE_CHAR_FRAC, "gopher_repetition.dup_line_char_frac", GR_DUP_LINE_CHAR_FRAC, MAX,  \
      GR, TM_T(0.20, 0.20, 0, 0.20), TM_NOHIST)                                                   \
    S(GR_TOP_2GRAM, "gopher_repetition.top_2gram_char_frac", GR)                                  \
    R(GR_TOP_2GRAM, "gopher_repetition.top_2gram_char_frac", GR_TOP_2GRAM, MAX, GR,               \
      TM_T(0.20, 0.20, 0, 0.20), TM_HIST(0, 1, 0))                                                \
    S(GR_TOP_3GRAM, "gopher_repetition.top_3gram_char_frac", GR)                                  \
    R(GR_TOP_3GRAM, "gopher_repetition.top_3gram_char_frac", GR_TOP_3GRAM, MAX, GR,               \
      TM_T(0.18, 0.18, 0, 0.18), TM_NOHIST)                                                       \
    S(GR_TOP_4GRAM, "gopher_repetition.top_4gram_char_frac", GR)                                  \
    R(GR_TOP_4GRAM, "gopher_repetition.top_4gram_char_frac", GR_TOP_4GRAM, MAX, GR,               \
      TM_T(0.16, 0.16, 0, 0.16), TM_NOHIST)                                                       \
    S(GR_DUP_5GRAM, "gopher_repetition.dup_5gram_char_frac", GR)                                  \
    R(GR_DUP_5GRAM, "gopher_repetition.dup_5gram_char_frac", GR_DUP_5GRAM, MAX, GR,               \
      TM_T(0.15, 0.15, 0, 0.15), TM_NOHIST)                                                       \
    S(GR_DUP_6GRAM, "gopher_repetition.dup_6gram_char_frac", GR)                                  \
    R(GR_DUP_6GRAM, "gopher_repetition.dup_6gram_char_frac", GR_DUP_6GRAM, MAX, GR,               \
      TM_T(0.14, 0.14, 0, 0.14), TM_NOHIST)                                                       \
    S(GR_DUP_7GRAM, "gopher_repetition.dup_7gram_char_frac", GR)                                  \
    R(GR_DUP_7GRAM, "gopher_repetition.dup_7gram_char_frac", GR_DUP_7GRAM, MAX, GR,               \
      TM_T(0.13, 0.13, 0, 0.13), TM_NOHIST)                                                       \
    S(GR_DUP_8GRAM, "gopher_repetition.dup_8gram_char_frac", GR)                                  \
    R(GR_DUP_8GRAM, "gopher_repetition.dup_8gram_char_frac", GR_DUP_8GRAM, MAX, GR,               \
      TM_T(0.12, 0.12, 0, 0.12), TM_NOHIST)                                                       \
    S(GR_DUP_9GRAM, "gopher_repetition.dup_9gram_char_frac", GR)                                  \
    R(GR_DUP_9GRAM, "gopher_repetition.dup_9gram_char_frac", GR_DUP_9GRAM, MAX, GR,               \
      TM_T(0.11, 0.11, 0, 0.11), TM_NOHIST)                                                       \
    S(GR_DUP_10GRAM, "gopher_repetition.dup_10gram_char_frac", GR)                                \
    R(GR_DUP_10GRAM, "gopher_repetition.dup_10gram_char_frac", GR_DUP_10GRAM, MAX, GR,            \
      TM_T(0.10, 0.10, 0, 0.10), TM_NOHIST)                                                       \
    /* C4: counts of the line filter, and the options that rewrite the text */                    \
    S(C4_N_LINES, "c4.n_lines", C4)                                                               \
    S(C4_KEPT_LINES, "c4.kept_lines", C4)                                                         \
    S(C4_LONG_WORD_LINES, "c4.long_word_lines", C4)                                               \
    S(C4_NO_TERMINAL_PUNCT_LINES, "c4.no_terminal_punct_lines", C4)                               \
    S(C4_FEW_WORDS_LINES, "c4.few_words_lines", C4)                                               \
    S(C4_JAVASCRIPT_LINES, "c4.javascript_lines", C4)                                             \
    S(C4_POLICY_LINES, "c4.policy_lines", C4)                                                     \
    S(C4_CITATIONS, "c4.citations", C4)                                                           \
    R(C4_TERMINAL_PUNCT, "c4.terminal_punct", NONE, OPT, C4OPT, TM_T(0, 0, 1, 0), TM_NOHIST)      \
    R(C4_MIN_WORDS_PER_LINE, "c4.min_words_per_line", NONE, OPT, C4OPT, TM_T(0, 0, 3, 3),         \
      TM_NOHIST)                                                                                  \
    R(C4_MAX_WORD_LENGTH, "c4.max_word_length", NONE, OPT, C4OPT, TM_T(0, 0, 1000, 1000),         \
      TM_NOHIST)                                                                                  \
    R(C4_JAVASCRIPT, "c4.javascript", NONE, OPT, C4OPT, TM_T(0, 0, 1, 1), TM_NOHIST)              \
    R(C4_POLICY, "c4.policy", NONE, OPT, C4OPT, TM_T(0, 0, 1, 1), TM_NOHIST)                      \
    R(C4_CITATIONS, "c4.citations", NONE, OPT, C4OPT, TM_T(0, 0, 1, 1), TM_NOHIST)                \
    S(C4_LOREM_IPSUM, "c4.lorem_ipsum", C4) /* 0 or 1 */                                          \
    R(C4_LOREM_IPSUM, "c4.lorem_ipsum", C4_LOREM_IPSUM, FLAG, C4, TM_T(1, 0, 1, 1), TM_NOHIST)    \
    S(C4_CURLY_BRACKET, "c4.curly_bracket", C4) /* 0 or 1 */                                      \
    R(C4_CURLY_BRACKET, "c4.curly_bracket", C4_CURLY_BRACKET, FLAG, C4, TM_T(0, 0, 1, 1),         \
      TM_NOHIST)                                                                                  \
    S(C4_N_SENTENCES, "c4.n_sentences", C4)                                                       \
    R(C4_N_SENTENCES, "c4.n_sentences", C4_N_SENTENCES, MIN, C4, TM_T(0, 0, 5, 5), TM_NOHIST)     \
    /* FineWeb */                                                                                 \
    S(FW_LINE_PUNCT_RATIO, "fineweb.line_punct_ratio", FW)                                        \
    R(FW_LINE_PUNCT_RATIO, "fineweb.line_punct_ratio", FW_LINE_PUNCT_RATIO, MIN, FW,              \
      TM_T(0.12, 0, 0, 0.12), TM_HIST(0, 1, 0))                                                   \
    S(FW_SHORT_LINE_RATIO, "fineweb.short_line_ratio", FW)                                        \
    R(FW_SHORT_LINE_RATIO, "fineweb.short_line_ratio", FW_SHORT_LINE_RATIO, MAX, FW,              \
      TM_T(0.67, 0, 0, 0.67), TM_HIST(0, 1, 0))                                                   \
    S(FW_CHAR_DUP_RATIO, "fineweb.char_dup_ratio", FW)                                            \
    R(FW_CHAR_DUP_RATIO, "fineweb.char_dup_ratio", FW_CHAR_DUP_RATIO, MAX, FW,                    \
      TM_T(0.1, 0, 0, 0.01), TM_HIST(0, 1, 0))                                                    \
    S(FW_LIST_RATIO, "fineweb.list_ratio", FW)                                                    \
    R(FW_LIST_RATIO, "fineweb.list_ratio", FW_LIST_RATIO, MAX, FW, TM_T(0.3, 0, 0, 0.3),          \
      TM_NOHIST)                                                                                  \
    /* tamis's own */                                                                             \
    S(TM_DOUBLED_WORD_RATIO, "tamis.doubled_word_ratio", TM)                                      \
    R(TM_DOUBLED_WORD_RATIO, "tamis.doubled_word_ratio", TM_DOUBLED_WORD_RATIO, MAX, TM,          \
      TM_T(0.05, 0, 0, 0), TM_HIST(0, 0.2, 0))                                                    \
    S(TM_NEAR_DUP_PARA_FRAC, "tamis.near_dup_para_frac", TM)                                      \
    R(TM_NEAR_DUP_PARA_FRAC, "tamis.near_dup_para_frac", TM_NEAR_DUP_PARA_FRAC, MAX, TM,          \
      TM_T(0.3, 0, 0, 0), TM_NOHIST)                                                              \
    S(TM_INVALID_UTF8, "tamis.invalid_utf8", TM)                                                  \
    R(TM_INVALID_UTF8, "tamis.invalid_utf8", TM_INVALID_UTF8, MAX, TM, TM_T(0, 0, 0, 0),          \
      TM_NOHIST)                                                                                  \
    /* new signals: append here (ids are the order of the S rows) */
/* clang-format on */

#endif
