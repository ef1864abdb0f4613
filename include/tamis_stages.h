/*
 * tamis_stages.h — the per-document stages on memory: quality signals and the filter, language
 * identification, clean. Each is a handle a program can use one document at
 * a time, and a job (tm_job_*) that runs it over files.
 *
 * A part of tamis.h, which includes it: programs include <tamis.h> only.
 * The conventions of tamis.h hold here (tm_error, ownership, no globals).
 */
#ifndef TAMIS_STAGES_H
#define TAMIS_STAGES_H

#ifndef TAMIS_H
#error "include <tamis.h>: this file is one of its parts"
#endif

/* ---- section: signals (src/signals) ---- */

/* Quality signals. Each has a stable id and a stable name "family.signal"
 * (docs/SIGNALS.md gives each exact definition and its empty-text value;
 * no signal ever divides by zero or returns NaN). The ids, names, families,
 * filter rules and presets are one table, tamis_signals.h: a new signal is
 * appended there, so no id ever changes. */
#include "tamis_signals.h"

#define TM_SIG_ENUM_(id, name, family) TM_SIG_##id,
#define TM_SIG_NOROW_(...)
typedef enum tm_signal { TM_SIGNALS(TM_SIG_ENUM_, TM_SIG_NOROW_) TM_SIG_COUNT } tm_signal;
#undef TM_SIG_ENUM_
#undef TM_SIG_NOROW_

#define TM_SIG_ALL     ((((uint64_t)1) << TM_SIG_COUNT) - 1)
#define TM_SIG_BIT(id) (((uint64_t)1) << (id))

/* Stable name of a signal id (static string), NULL when out of range. */
TM_API const char *tm_signal_name(int id);
/* Id of a signal name, or -1. */
TM_API int tm_signal_lookup(const char *name, size_t len);
/* Parses a comma-separated list of signal names or family names
 * ("gopher_quality", "c4", ...) into a mask; TM_ERR_ARG for an unknown
 * entry, which tm_error_detail() names. */
TM_API tm_error tm_signal_mask_parse(const char *list, uint64_t *mask);

/* Per-thread scratch memory of the signal computations (token spans, hash
 * tables, line lists), reused across documents. Owned by the caller. */
typedef struct tm_scorer tm_scorer;
TM_API tm_error tm_scorer_new(tm_scorer **out);
TM_API void tm_scorer_free(tm_scorer *s);

/* Computes the signals selected by mask for text (valid UTF-8) with the
 * tamis word tokenizer. lang (ISO 639-1, NULL = English) selects the stop
 * words; invalid_utf8 is the reader's count (tm_doc.invalid_utf8). values
 * must hold TM_SIG_COUNT doubles; unselected entries are left untouched.
 * Signals are computed per family, so asking for one signal of a family
 * costs the whole family. */
TM_API tm_error tm_signals_compute(tm_scorer *s, const char *text, size_t len, const char *lang,
                                   size_t invalid_utf8, uint64_t mask, double *values);

/* ---- filter: ordered rules over the signals ---- */

#define TM_FILTER_MAX_RULES 64

/* A compiled rule set (preset + overrides). Immutable once built, so one
 * filter may be shared by every worker thread. Owned by the caller. */
typedef struct tm_filter tm_filter;

/* Creates the rule set of a preset: "gopher", "c4", "fineweb", "default"
 * (their thresholds: tamis_signals.h). TM_ERR_ARG for another name. */
TM_API tm_error tm_filter_new(tm_filter **out, const char *preset);
/* The same from a preset and overrides: "PRESET[,RULE=THRESHOLD...]", e.g.
 * "default,gopher_quality.stop_words=3,c4.lorem_ipsum=0". TM_ERR_ARG for an
 * unknown preset or rule or a threshold that is not a number >= 0, with the
 * reason in tm_error_detail(), e.g. "unknown rule 'gopher_quality.x'". */
TM_API tm_error tm_filter_new_spec(tm_filter **out, const char *spec);
TM_API void tm_filter_free(tm_filter *f);
/* Sets a rule's threshold by name ("gopher_repetition.dup_line_frac"); 0
 * disables the rule, as in datatrove. A rule not in the preset is added at
 * the end of its family. TM_ERR_ARG for an unknown name. */
TM_API tm_error tm_filter_set_rule(tm_filter *f, const char *name, double threshold);
/* The word tokenizer of the Gopher and FineWeb signals and of C4's sentence
 * count: "nltk" (datatrove's English tokens, the default of the gopher, c4
 * and fineweb presets) or "tamis" (the default preset's). TM_ERR_ARG for
 * another name. */
TM_API tm_error tm_filter_set_tokenizer(tm_filter *f, const char *name);
/* Restricts languages (comma-separated ISO 639-1 codes; NULL or "" = any)
 * and sets the minimum language score (< 0 keeps the preset's). */
TM_API tm_error tm_filter_set_lang(tm_filter *f, const char *langs, double min_score);
TM_API size_t tm_filter_n_rules(const tm_filter *f);
TM_API const char *tm_filter_rule_name(const tm_filter *f, size_t i);
/* Threshold and kind of active rule i: "max" (removed when the value is
 * above the threshold), "min" (below it), "flag" (removed when the value
 * reaches it, e.g. 1 for a yes/no signal), "lang" (the minimum language
 * score) or "empty"; 0 and NULL past the end. */
TM_API double tm_filter_rule_threshold(const tm_filter *f, size_t i);
TM_API const char *tm_filter_rule_kind(const tm_filter *f, size_t i);
/* Whether the rule set needs language identification. */
TM_API int tm_filter_needs_lang(const tm_filter *f);

/* Options of `tamis score`. */
typedef struct tm_score_opts {
    size_t size;        /* sizeof this struct, set by its _init: the library reads only that much */
    uint64_t signals;   /* mask of signals to compute (TM_SIG_ALL) */
    int lang;           /* identify the language (1) */
    size_t lang_sample; /* 0: identify the whole text (default); N: a sample of about N bytes
                         * (start, middle, end), about N/len of the CLD2 time; docs/LANGID.md */
    int quality;        /* also "quality": the share in [0,1] of the default preset's rules
                         * the document passes (what `dedup --keep best` ranks by) (0) */
    int nltk_words;     /* Gopher/FineWeb signals on datatrove's English NLTK words and C4
                         * sentences by Punkt, as the gopher/c4/fineweb presets count (0:
                         * tamis tokens and the sentence heuristic) */
} tm_score_opts;
TM_API void tm_score_opts_init(tm_score_opts *o);

/* tamis score: every document with "tamis": {"lang", "lang_score",
 * "lang_reliable", "lang_top": [{"lang","share"}...], "signals": {...}} to
 * the output, and "quality" when so->quality. */
TM_API tm_error tm_job_score(const tm_job_opts *o, const tm_score_opts *so, tm_stats *stats);

/* Options of `tamis filter`; the filter is borrowed. */
typedef struct tm_filter_opts {
    size_t size; /* sizeof this struct, set by its _init: the library reads only that much */
    const tm_filter *filter;
    int explain;        /* add every rule's verdict to every document */
    size_t lang_sample; /* as in tm_score_opts: 0 = the whole text */
} tm_filter_opts;

/* Zero options with size set; the caller then sets filter (required). */
TM_API void tm_filter_opts_init(tm_filter_opts *o);

/* Counters of `tamis filter`: the job's ledger plus removals per rule
 * (removed_by[i] belongs to tm_filter_rule_name(filter, i)). */
typedef struct tm_filter_stats {
    tm_stats base;
    size_t n_rules;
    const char *rule_names[TM_FILTER_MAX_RULES]; /* static strings */
    uint64_t removed_by[TM_FILTER_MAX_RULES];
    uint64_t edited; /* kept documents whose text the C4 rules changed */
} tm_filter_stats;

/* Appends {"stats":..., "removed_by": {rule: n, ...}, "edited": n}. */
TM_API tm_error tm_filter_stats_to_json(const tm_filter_stats *s, tm_buf *out);

/* `tamis filter`: fills *stats (zeroed first), as every job does. */
TM_API tm_error tm_job_filter(const tm_job_opts *o, const tm_filter_opts *fo,
                              tm_filter_stats *stats);

/* ---- section: language identification (src/langid) ---- */

/* Result of tm_langid(). Codes are ISO 639-1 where one exists ("fr"),
 * otherwise CLD2's code ("haw"); "und" when unknown. code is the base
 * language ("zh" for both Chinese scripts, "he" for CLD2's "iw"); top[] keeps
 * CLD2's script/region variant ("zh-Hant", "sr-ME"). See docs/LANGID.md. */
typedef struct tm_lang_result {
    char code[16];  /* top language */
    double score;   /* in [0,1]: top language's share of letter bytes x reliability, see docs */
    int reliable;   /* CLD2's is_reliable flag */
    int text_bytes; /* letter bytes CLD2 scored */
    struct {
        char code[16];
        double share;
    } top[3]; /* byte shares in [0,1], "und"/0 when absent */
} tm_lang_result;
/* Identifies the language of UTF-8 text (any bytes accepted: the UTF-8-checking CLD2 entry point is
 * used on untrusted input). Thread-safe; out is caller-owned. tamis allocates nothing; CLD2
 * allocates ~10 scratch blocks a call and frees them (TM_ERR_NOMEM if that fails). Only the first
 * TM_LANGID_MAX_BYTES bytes are read (cut at a character boundary); invalid UTF-8 and the controls
 * CLD2 refuses are read as spaces. On glibc, calling it in a loop on the main thread makes the
 * allocator return CLD2's scratch to the kernel on every call: raise M_TRIM_THRESHOLD
 * (docs/LANGID.md). */
TM_API tm_error tm_langid(const char *text, size_t len, tm_lang_result *out);
#define TM_LANGID_MAX_BYTES (64 * 1024)
/* Version string of the language identifier's tables (CLD2's). */
TM_API const char *tm_langid_version(void);
/* Stop words of lang (ISO 639-1) from stopwords-iso 1.1.0: 1 if word (lowercase UTF-8, exact bytes)
 * is one. 0 for unknown languages. The NFC form of the 33 list entries that are not in NFC is
 * accepted too. */
TM_API int tm_is_stopword(const char *lang, const char *word, size_t len);
/* Number of stop words for lang (0 if none) — lets callers know whether a list exists. */
TM_API size_t tm_stopword_count(const char *lang);

/* ---- section: clean (src/clean) ---- */

/* Operations of tm_clean_text(), in the order they run; flags combine. */
enum {
    TM_CLEAN_ENCODING = 1 << 0,  /* mojibake: UTF-8 read as cp1252/Latin-1 */
    TM_CLEAN_NORMALIZE = 1 << 1, /* NFC, controls, odd spaces, blank lines */
    TM_CLEAN_REPEATED = 1 << 2,  /* exact repeated paragraphs */
    TM_CLEAN_REWORDED = 1 << 3,  /* near-duplicate paragraphs */
    TM_CLEAN_DOUBLED = 1 << 4,   /* doubled words ("accord accord") */
    TM_CLEAN_ALL = 0x1f
};

/* Kinds of recorded edits (index of tm_clean_counts.n); tm_clean_edit_name()
 * gives the "op" string used in the edits JSON and in the stats. */
typedef enum tm_clean_edit {
    TM_EDIT_FIX_ENCODING = 0, /* fix_encoding */
    TM_EDIT_NFC,              /* nfc */
    TM_EDIT_REMOVE_CONTROL,   /* remove_control */
    TM_EDIT_NORMALIZE_SPACE,  /* normalize_space */
    TM_EDIT_TRIM_TRAILING,    /* trim_trailing_space */
    TM_EDIT_COLLAPSE_BLANK,   /* collapse_blank_lines */
    TM_EDIT_DROP_REPEATED,    /* drop_repeated_paragraph (record: op
                                 "drop_paragraph", kind "repeated") */
    TM_EDIT_DROP_REWORDED,    /* drop_reworded_paragraph (kind "reworded") */
    TM_EDIT_UNDOUBLE_WORD,    /* undouble_word */
    TM_EDIT_DOUBLED_KEPT,     /* doubled_word: reported, not edited */
    TM_CLEAN_EDIT_KINDS
} tm_clean_edit;

TM_API const char *tm_clean_edit_name(int kind);

/* Options of the cleaner. Initialise with tm_clean_opts_init(). lang is
 * borrowed and must outlive the cleaner. */
typedef struct tm_clean_opts {
    size_t size;  /* sizeof this struct, set by its _init: the library reads only that much */
    unsigned ops; /* TM_CLEAN_* flags; TM_CLEAN_ALL by default */
    double para_threshold;  /* word-set Jaccard for reworded paragraphs, 0.6 */
    int min_repeat_words;   /* exact repeats need this many words (4) */
    int min_reworded_words; /* both paragraphs need this many words (10) */
    const char *lang;       /* language of every document (ISO 639-1), or
                               NULL: detected when a doubled word is found */
    int dry_run;            /* record edits, return the text unchanged */
} tm_clean_opts;

TM_API void tm_clean_opts_init(tm_clean_opts *o);

/* Parses a comma-separated list of operation names (encoding, normalize,
 * repeated, reworded, doubled; "all", "none") into TM_CLEAN_* flags. */
TM_API tm_error tm_clean_ops_parse(const char *list, unsigned *ops);

/* Edits made to one document. */
typedef struct tm_clean_counts {
    uint64_t n[TM_CLEAN_EDIT_KINDS]; /* edits of each kind */
    uint64_t edits;                  /* sum of n[] */
    int changed;                     /* the cleaned text differs from the input */
} tm_clean_counts;

/* A cleaner holds scratch memory for one thread; it copies opts. */
typedef struct tm_cleaner tm_cleaner;
TM_API tm_error tm_cleaner_new(tm_cleaner **out, const tm_clean_opts *opts);
TM_API void tm_cleaner_free(tm_cleaner *c);

/* Cleans one document. text is UTF-8 (invalid sequences become U+FFFD
 * first). lang (NULL = opts->lang, else detected) names its language.
 * Appends the cleaned text (the input, with opts->dry_run) to out_text and
 * the edits as a JSON array ("[]" when none) to edits_json (may be NULL);
 * both buffers are the caller's. Offsets in the edits are byte offsets into
 * the cleaned text. counts (may be NULL) is overwritten. */
TM_API tm_error tm_clean_text(tm_cleaner *c, const char *text, size_t len, const char *lang,
                              tm_buf *out_text, tm_buf *edits_json, tm_clean_counts *counts);

/* Totals of a clean job. */
typedef struct tm_clean_stats {
    tm_stats base;                       /* the ledger: every document written */
    uint64_t touched;                    /* documents with at least one edit */
    uint64_t changed;                    /* documents whose text changed */
    uint64_t edits[TM_CLEAN_EDIT_KINDS]; /* edits of each kind */
    uint64_t bytes_out;                  /* text bytes after cleaning */
} tm_clean_stats;

/* Appends {"documents","touched","changed","text_bytes_in","text_bytes_out",
 * "edits":{op: n}} (no newline) to out. */
TM_API tm_error tm_clean_stats_to_json(const tm_clean_stats *s, tm_buf *out);

/* tamis clean: every document to output, cleaned, with its edits in
 * "tamis":{"edits":[...]} (documents without edits are written as `cat`
 * would). stats is zeroed, then filled. */
TM_API tm_error tm_job_clean(const tm_job_opts *o, const tm_clean_opts *co, tm_clean_stats *stats);

/* ---- the filter over one document (src/signals/filter_doc.c) ----
 * One document at a time through a filter's rules: what `tamis filter`
 * decides for each document, without files. A checker is one thread's
 * scratch (a scorer, the C4-edited text); it borrows the filter, which
 * threads may share. The caller owns the checker (tm_filter_checker_free).
 * lang_sample is tm_filter_opts.lang_sample (0: identify the whole text). */
typedef struct tm_filter_checker tm_filter_checker;
TM_API tm_error tm_filter_checker_new(tm_filter_checker **out, const tm_filter *f,
                                      size_t lang_sample);
TM_API void tm_filter_checker_free(tm_filter_checker *c);

/* A document's verdict. The caller sets size ({.size = sizeof v}); the
 * library fills only that many bytes. text points into the checker or at
 * the input, valid until the checker's next call. */
typedef struct tm_filter_verdict_out {
    size_t size;
    int removed;             /* a rule failed */
    const char *rule;        /* the first failing rule (tm_filter_rule_name); NULL when kept */
    double value, threshold; /* its value and threshold (the job's "value", "threshold") */
    int edited;              /* kept, with C4 lines or citations removed */
    uint64_t lines_removed, citations_removed;
    tm_str text;  /* the text to keep: the edited one, or the input */
    int has_lang; /* the rules needed the language: lang is set */
    tm_lang_result lang;
} tm_filter_verdict_out;

/* Runs the filter's rules over text (UTF-8; invalid_utf8 is the reader's
 * count, tm_doc.invalid_utf8), identifying the language first when the
 * rules need it. */
TM_API tm_error tm_filter_check(tm_filter_checker *c, const char *text, size_t len,
                                size_t invalid_utf8, tm_filter_verdict_out *out);

#endif /* TAMIS_STAGES_H */
