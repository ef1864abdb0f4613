/*
 * sigtable.h — what the library generates from the signal table
 * (include/tamis_signals.h): the families, the presets and the filter rules
 * as arrays (sigtable.c), with the enums that index them. The filter
 * (filter.c), the signal driver (signals.c) and the run report
 * (run/summary.c) read these arrays instead of keeping lists of their
 * own, so a table row is all they need to know about a signal.
 *
 * Nothing here calls upward: sigtable.c is data and name lookups only.
 */
#ifndef TM_SIGNALS_SIGTABLE_H
#define TM_SIGNALS_SIGTABLE_H

#include "tamis.h"

#include <stddef.h>
#include <stdint.h>

/* A table row that the expansion at hand does not want. */
#define TM_SIG_NOROW_(...)

/* Families: TM_FAM_GQ, ... */
#define TM_FAM_ENUM_(fam, name) TM_FAM_##fam,
enum { TM_SIGNAL_FAMILIES(TM_FAM_ENUM_) TM_FAM_COUNT };
#undef TM_FAM_ENUM_

/* Word tokenizers of the Gopher and FineWeb signals (docs/SIGNALS.md,
 * "Tokenizers"): tamis's own, or the English tokens of datatrove's NLTK
 * tokenizer (text/nltk.h) with Punkt sentences for C4 — what datatrove's
 * reference decisions were made with. */
enum { TM_WORDS_TAMIS = 0, TM_WORDS_NLTK = 1 };

/* Presets: TM_PRESET_DEFAULT, ... in the order of the threshold columns. */
#define TM_PRESET_ENUM_(p, name, words, multilingual, langs) TM_PRESET_##p,
enum { TM_SIGNAL_PRESETS(TM_PRESET_ENUM_) TM_PRESET_COUNT };
#undef TM_PRESET_ENUM_

/* Rules: TM_RULE_EMPTY, TM_RULE_LANGUAGE, ... in table order. */
#define TM_RULE_ENUM_(rule, name, sig, kind, stage, thr, hist) TM_RULE_##rule,
enum { TM_SIGNALS(TM_SIG_NOROW_, TM_RULE_ENUM_) TM_SIG_N_RULES };
#undef TM_RULE_ENUM_

/* Rule kinds and the stages of datatrove's FineWeb chain, in evaluation
 * order (tamis_signals.h). */
enum { TM_RK_MIN, TM_RK_MAX, TM_RK_FLAG, TM_RK_OPT, TM_RK_LANG, TM_RK_EMPTY };
enum {
    TM_ST_EMPTY,
    TM_ST_LANG,
    TM_ST_GR,
    TM_ST_GQ,
    TM_ST_C4OPT,
    TM_ST_C4,
    TM_ST_FW,
    TM_ST_TM,
    TM_ST_COUNT
};

typedef struct tm_sig_rule {
    const char *name;
    int signal; /* TM_SIG_*, or -1: the rule reads no signal */
    int kind;   /* TM_RK_* */
    int stage;  /* TM_ST_* */
    double thr[TM_PRESET_COUNT];
    int hist;                /* a histogram in the run report */
    double hist_lo, hist_hi; /* its linear bins over [lo, hi] ... */
    int hist_log2;           /* ... or log2 bins */
} tm_sig_rule;

typedef struct tm_sig_preset {
    const char *name;
    int words;         /* TM_WORDS_* */
    int multilingual;  /* stop words in the document's language; rules skipped
                        * where they cannot apply to it (filter.c) */
    const char *langs; /* comma-separated; "" = any */
} tm_sig_preset;

extern const tm_sig_rule tmi_sig_rules[TM_SIG_N_RULES];
extern const tm_sig_preset tmi_sig_presets[TM_PRESET_COUNT];
/* Per signal id: its family (TM_FAM_*). */
extern const unsigned char tmi_sig_family[TM_SIG_COUNT];
/* Per family: its name. */
extern const char *const tmi_sig_family_names[TM_FAM_COUNT];

/* The signals of a family (TM_FAM_*), 0 out of range. */
uint64_t tmi_sig_family_mask(int family);
/* All family masks at once: m[TM_FAM_COUNT]. */
void tmi_sig_family_masks(uint64_t *m);
/* Index of a preset name in tmi_sig_presets, or -1. */
int tmi_sig_preset_lookup(const char *name);
/* Index of a rule name (len bytes) in tmi_sig_rules, or -1. */
int tmi_sig_rule_lookup(const char *name, size_t len);

#endif
