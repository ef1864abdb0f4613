/*
 * filter.c — the rule engine of `tamis filter`: an ordered list of
 * threshold rules over the signals, grouped in the stages of datatrove's
 * FineWeb chain (empty → language → Gopher repetition → Gopher quality → C4
 * → FineWeb → tamis). The first failing rule removes the document and is
 * reported with its value and threshold; in explain mode every rule is
 * evaluated (on the text as the chain would have left it) and reported.
 *
 * Rules follow datatrove's conventions: comparisons are strict ("> max",
 * "< min"), and a threshold of 0 disables a rule. The C4 stage rewrites the
 * text (dropped lines, deleted citations) before the FineWeb stage scores
 * it, exactly as the reference pipeline hands its modified document on.
 */
#include "signals/filter.h"

#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_MIN, K_MAX, K_FLAG, K_OPT, K_LANG, K_EMPTY };
enum { ST_EMPTY, ST_LANG, ST_GR, ST_GQ, ST_C4OPT, ST_C4, ST_FW, ST_TM };

typedef struct rule_def {
    const char *name;
    int signal; /* -1 for language / empty / options */
    int kind;
    int stage;
} rule_def;

/* The canonical order: evaluation order within and across stages. */
static const rule_def defs[] = {
    {"tamis.empty", -1, K_EMPTY, ST_EMPTY},
    {"language", -1, K_LANG, ST_LANG},
    {"gopher_repetition.dup_para_frac", TM_SIG_GR_DUP_PARA_FRAC, K_MAX, ST_GR},
    {"gopher_repetition.dup_para_char_frac", TM_SIG_GR_DUP_PARA_CHAR_FRAC, K_MAX, ST_GR},
    {"gopher_repetition.dup_line_frac", TM_SIG_GR_DUP_LINE_FRAC, K_MAX, ST_GR},
    {"gopher_repetition.dup_line_char_frac", TM_SIG_GR_DUP_LINE_CHAR_FRAC, K_MAX, ST_GR},
    {"gopher_repetition.top_2gram_char_frac", TM_SIG_GR_TOP_2GRAM, K_MAX, ST_GR},
    {"gopher_repetition.top_3gram_char_frac", TM_SIG_GR_TOP_3GRAM, K_MAX, ST_GR},
    {"gopher_repetition.top_4gram_char_frac", TM_SIG_GR_TOP_4GRAM, K_MAX, ST_GR},
    {"gopher_repetition.dup_5gram_char_frac", TM_SIG_GR_DUP_5GRAM, K_MAX, ST_GR},
    {"gopher_repetition.dup_6gram_char_frac", TM_SIG_GR_DUP_6GRAM, K_MAX, ST_GR},
    {"gopher_repetition.dup_7gram_char_frac", TM_SIG_GR_DUP_7GRAM, K_MAX, ST_GR},
    {"gopher_repetition.dup_8gram_char_frac", TM_SIG_GR_DUP_8GRAM, K_MAX, ST_GR},
    {"gopher_repetition.dup_9gram_char_frac", TM_SIG_GR_DUP_9GRAM, K_MAX, ST_GR},
    {"gopher_repetition.dup_10gram_char_frac", TM_SIG_GR_DUP_10GRAM, K_MAX, ST_GR},
    {"gopher_quality.min_non_symbol_words", TM_SIG_GQ_N_NON_SYMBOL_WORDS, K_MIN, ST_GQ},
    {"gopher_quality.max_non_symbol_words", TM_SIG_GQ_N_NON_SYMBOL_WORDS, K_MAX, ST_GQ},
    {"gopher_quality.min_mean_word_length", TM_SIG_GQ_MEAN_WORD_LENGTH, K_MIN, ST_GQ},
    {"gopher_quality.max_mean_word_length", TM_SIG_GQ_MEAN_WORD_LENGTH, K_MAX, ST_GQ},
    {"gopher_quality.hash_ratio", TM_SIG_GQ_HASH_RATIO, K_MAX, ST_GQ},
    {"gopher_quality.ellipsis_ratio", TM_SIG_GQ_ELLIPSIS_RATIO, K_MAX, ST_GQ},
    {"gopher_quality.bullet_line_frac", TM_SIG_GQ_BULLET_LINE_FRAC, K_MAX, ST_GQ},
    {"gopher_quality.ellipsis_line_frac", TM_SIG_GQ_ELLIPSIS_LINE_FRAC, K_MAX, ST_GQ},
    {"gopher_quality.alpha_word_frac", TM_SIG_GQ_ALPHA_WORD_FRAC, K_MIN, ST_GQ},
    {"gopher_quality.stop_words", TM_SIG_GQ_STOP_WORDS, K_MIN, ST_GQ},
    {"c4.terminal_punct", -1, K_OPT, ST_C4OPT},
    {"c4.min_words_per_line", -1, K_OPT, ST_C4OPT},
    {"c4.max_word_length", -1, K_OPT, ST_C4OPT},
    {"c4.javascript", -1, K_OPT, ST_C4OPT},
    {"c4.policy", -1, K_OPT, ST_C4OPT},
    {"c4.citations", -1, K_OPT, ST_C4OPT},
    {"c4.lorem_ipsum", TM_SIG_C4_LOREM_IPSUM, K_FLAG, ST_C4},
    {"c4.curly_bracket", TM_SIG_C4_CURLY_BRACKET, K_FLAG, ST_C4},
    {"c4.n_sentences", TM_SIG_C4_N_SENTENCES, K_MIN, ST_C4},
    {"fineweb.line_punct_ratio", TM_SIG_FW_LINE_PUNCT_RATIO, K_MIN, ST_FW},
    {"fineweb.short_line_ratio", TM_SIG_FW_SHORT_LINE_RATIO, K_MAX, ST_FW},
    {"fineweb.char_dup_ratio", TM_SIG_FW_CHAR_DUP_RATIO, K_MAX, ST_FW},
    {"fineweb.list_ratio", TM_SIG_FW_LIST_RATIO, K_MAX, ST_FW},
    {"tamis.doubled_word_ratio", TM_SIG_TM_DOUBLED_WORD_RATIO, K_MAX, ST_TM},
    {"tamis.near_dup_para_frac", TM_SIG_TM_NEAR_DUP_PARA_FRAC, K_MAX, ST_TM},
    {"tamis.invalid_utf8", TM_SIG_TM_INVALID_UTF8, K_MAX, ST_TM},
};
#define N_DEFS (sizeof defs / sizeof defs[0])
_Static_assert(N_DEFS <= TM_FILTER_MAX_RULES, "rule table too large");

/* Indices into defs of the C4 options, in tm_c4_opts order. */
enum { D_C4_FIRST_OPT = 25 };

struct tm_filter {
    double thr[N_DEFS];    /* 0 = disabled */
    size_t active[N_DEFS]; /* defs index of each active verdict rule */
    size_t n_active;
    char langs[16][16]; /* allowed languages; none = any */
    size_t n_langs;
    int stop_lang_auto; /* Gopher stop words in the identified language */
    int lang_aware;     /* skip rules that cannot apply to the language */
    int words;          /* TM_WORDS_*: the tokenizer of the Gopher/FineWeb/C4 signals */
};

/* Languages whose scripts do not separate words with spaces: the tamis
 * tokenizer makes one token per character there, so word-length and word
 * n-gram rules measure characters, not words, and reject ordinary text
 * (UDHR in Chinese has mean "word" length 1, in Thai a dup_5gram of 0.42). */
static int nospace_lang(const char *code) {
    static const char *const l[] = {"zh", "ja", "th", "lo", "km", "my", "bo"};
    for (size_t i = 0; i < sizeof l / sizeof *l; i++)
        if (!strcmp(code, l[i])) return 1;
    return 0;
}

/* In language-aware presets, whether rule d is meaningful for the document's
 * language: Gopher's stop-word rule needs a stop-word list for it, and the
 * word-length and word n-gram rules need space-separated words. */
static int rule_applies(const tm_filter *f, const rule_def *d, const tm_lang_result *lang,
                        const char *text, size_t len) {
    if (!f->lang_aware) return 1;
    /* FineWeb's line punctuation ratio needs lines to count: a one-line news
     * brief ending with its source ("... – Reuters") or a closing quote
     * scores 0. Below 5 lines the rule does not apply. */
    if (d->signal == TM_SIG_FW_LINE_PUNCT_RATIO) {
        size_t lines = 0;
        for (const char *p = text, *e = text + len; p < e && lines < 5;) {
            const char *nl = memchr(p, '\n', (size_t)(e - p));
            lines += (nl ? nl : e) > p; /* non-empty lines, as FineWeb counts */
            p = nl ? nl + 1 : e;
        }
        if (lines < 5) return 0;
    }
    if (!lang || !strcmp(lang->code, "und"))
        /* An unidentified language has no stop-word list to count with
         * (English's would remove every page in the 400 languages CLD2
         * does not know); the other rules still apply. */
        return d->signal != TM_SIG_GQ_STOP_WORDS;
    /* Per-character tokens: digits and CJK punctuation weigh as much as
     * every ideograph, so the alphabetic-word fraction of ordinary Chinese
     * news is ~0.75. */
    if (d->signal == TM_SIG_GQ_ALPHA_WORD_FRAC && nospace_lang(lang->code)) return 0;
    if (d->signal == TM_SIG_GQ_STOP_WORDS) return tm_stopword_count(lang->code) > 0;
    /* Korean words are one to three Hangul syllables: a mean below 3 code
     * points is normal (UDHR in Korean: 2.86). */
    if (d->signal == TM_SIG_GQ_MEAN_WORD_LENGTH && !strcmp(lang->code, "ko")) return 0;
    /* Thai, Lao, Khmer, Burmese and Tibetan end sentences with a space or
     * with marks outside TERMINAL_PUNCTUATION: FineWeb's line punctuation
     * ratio is 0 for ordinary text there. */
    if (d->signal == TM_SIG_FW_LINE_PUNCT_RATIO && nospace_lang(lang->code) &&
        strcmp(lang->code, "zh") && strcmp(lang->code, "ja"))
        return 0;
    if (!nospace_lang(lang->code)) return 1;
    switch (d->signal) {
    case TM_SIG_GQ_MEAN_WORD_LENGTH:
    case TM_SIG_GR_TOP_2GRAM:
    case TM_SIG_GR_TOP_3GRAM:
    case TM_SIG_GR_TOP_4GRAM:
    case TM_SIG_GR_DUP_5GRAM:
    case TM_SIG_GR_DUP_6GRAM:
    case TM_SIG_GR_DUP_7GRAM:
    case TM_SIG_GR_DUP_8GRAM:
    case TM_SIG_GR_DUP_9GRAM:
    case TM_SIG_GR_DUP_10GRAM: return 0;
    default: return 1;
    }
}

static void set_defaults(double *t, const char *const *names, const double *vals, size_t n) {
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < N_DEFS; d++)
            if (!strcmp(defs[d].name, names[i])) t[d] = vals[i];
}

static const char *const gr_names[] = {
    "gopher_repetition.dup_para_frac",       "gopher_repetition.dup_para_char_frac",
    "gopher_repetition.dup_line_frac",       "gopher_repetition.dup_line_char_frac",
    "gopher_repetition.top_2gram_char_frac", "gopher_repetition.top_3gram_char_frac",
    "gopher_repetition.top_4gram_char_frac", "gopher_repetition.dup_5gram_char_frac",
    "gopher_repetition.dup_6gram_char_frac", "gopher_repetition.dup_7gram_char_frac",
    "gopher_repetition.dup_8gram_char_frac", "gopher_repetition.dup_9gram_char_frac",
    "gopher_repetition.dup_10gram_char_frac"};
static const double gr_vals[] = {0.30, 0.20, 0.30, 0.20, 0.20, 0.18, 0.16,
                                 0.15, 0.14, 0.13, 0.12, 0.11, 0.10};
static const char *const gq_names[] = {
    "gopher_quality.min_non_symbol_words", "gopher_quality.max_non_symbol_words",
    "gopher_quality.min_mean_word_length", "gopher_quality.max_mean_word_length",
    "gopher_quality.hash_ratio",           "gopher_quality.ellipsis_ratio",
    "gopher_quality.bullet_line_frac",     "gopher_quality.ellipsis_line_frac",
    "gopher_quality.alpha_word_frac",      "gopher_quality.stop_words"};
static const double gq_vals[] = {50, 100000, 3, 10, 0.1, 0.1, 0.9, 0.3, 0.8, 2};
static const char *const c4_names[] = {
    "c4.terminal_punct", "c4.min_words_per_line", "c4.max_word_length", "c4.javascript",
    "c4.policy",         "c4.citations",          "c4.lorem_ipsum",     "c4.curly_bracket",
    "c4.n_sentences"};
static const double c4_vals[] = {1, 3, 1000, 1, 1, 1, 1, 1, 5};
static const char *const fw_names[] = {"fineweb.line_punct_ratio", "fineweb.short_line_ratio",
                                       "fineweb.char_dup_ratio", "fineweb.list_ratio"};
static const double fw_vals[] = {0.12, 0.67, 0.01, 0.3};

static void rebuild(tm_filter *f) {
    f->n_active = 0;
    for (size_t d = 0; d < N_DEFS; d++) {
        if (defs[d].kind == K_OPT) continue;
        if (defs[d].kind == K_LANG && !(f->thr[d] > 0 || f->n_langs)) continue;
        if (defs[d].kind != K_LANG && f->thr[d] == 0) continue;
        f->active[f->n_active++] = d;
    }
}

tm_error tm_filter_new(tm_filter **out, const char *preset) {
    tm_filter *f = calloc(1, sizeof *f);
    if (!f) return TM_ERR_NOMEM;
    const char *p = preset ? preset : "default";
    f->thr[0] = 1; /* tamis.empty, in every preset */
    /* The datatrove presets count datatrove's English words and sentences
     * (NLTK's, as its reference decisions do: docs/SIGNALS.md). */
    f->words = strcmp(p, "default") ? TM_WORDS_NLTK : TM_WORDS_TAMIS;
    if (!strcmp(p, "gopher")) {
        set_defaults(f->thr, gr_names, gr_vals, 13);
        set_defaults(f->thr, gq_names, gq_vals, 10);
    } else if (!strcmp(p, "c4")) {
        set_defaults(f->thr, c4_names, c4_vals, 9);
    } else if (!strcmp(p, "fineweb")) {
        /* datatrove examples/fineweb.py: LanguageFilter (en, 0.65),
         * GopherRepetition, GopherQuality, C4Quality without the
         * terminal-punctuation rule, FineWebQuality — all with defaults */
        f->thr[1] = 0.65;
        snprintf(f->langs[0], sizeof f->langs[0], "en");
        f->n_langs = 1;
        set_defaults(f->thr, gr_names, gr_vals, 13);
        set_defaults(f->thr, gq_names, gq_vals, 10);
        set_defaults(f->thr, c4_names, c4_vals, 9);
        set_defaults(f->thr, (const char *const[]){"c4.terminal_punct"}, (const double[]){0}, 1);
        set_defaults(f->thr, fw_names, fw_vals, 4);
    } else if (!strcmp(p, "default")) {
        /* Multilingual: any language, Gopher stop words in the document's
         * language, no C4 line rewriting, FineWeb-2's char_dup_ratio, and
         * tamis's own repetition signals. */
        f->stop_lang_auto = 1;
        f->lang_aware = 1;
        set_defaults(f->thr, gr_names, gr_vals, 13);
        set_defaults(f->thr, gq_names, gq_vals, 10);
        set_defaults(f->thr, (const char *const[]){"c4.lorem_ipsum"}, (const double[]){1}, 1);
        set_defaults(f->thr, fw_names, fw_vals, 4);
        set_defaults(f->thr,
                     (const char *const[]){"fineweb.char_dup_ratio", "tamis.doubled_word_ratio",
                                           "tamis.near_dup_para_frac"},
                     (const double[]){0.1, 0.05, 0.3}, 3);
        /* Gopher's 80% was measured on whitespace-separated words, where
         * "mat." is one alphabetic word; tamis tokens split punctuation off,
         * which costs ordinary news prose about 0.1 (a CNN article: 0.7995).
         * 0.7 keeps such prose and still removes tables, menus and lists of
         * numbers (bench/RESULTS.md, "Default preset"). */
        set_defaults(f->thr, (const char *const[]){"gopher_quality.alpha_word_frac"},
                     (const double[]){0.7}, 1);
    } else {
        free(f);
        return TM_ERR_ARG;
    }
    rebuild(f);
    *out = f;
    return TM_OK;
}

void tm_filter_free(tm_filter *f) {
    free(f);
}

void tm_filter_result_free(tm_filter_result *r) {
    tm_buf_free(&r->c4buf);
}

tm_error tm_filter_set_rule(tm_filter *f, const char *name, double threshold) {
    for (size_t d = 0; d < N_DEFS; d++) {
        if (strcmp(defs[d].name, name)) continue;
        if (threshold < 0 || threshold != threshold) return TM_ERR_ARG;
        f->thr[d] = threshold;
        rebuild(f);
        return TM_OK;
    }
    return TM_ERR_ARG;
}

tm_error tm_filter_set_tokenizer(tm_filter *f, const char *name) {
    if (!name) return TM_ERR_ARG;
    if (!strcmp(name, "tamis"))
        f->words = TM_WORDS_TAMIS;
    else if (!strcmp(name, "nltk"))
        f->words = TM_WORDS_NLTK;
    else
        return TM_ERR_ARG;
    return TM_OK;
}

tm_error tm_filter_set_lang(tm_filter *f, const char *langs, double min_score) {
    if (langs) {
        f->n_langs = 0;
        const char *p = langs;
        while (*p) {
            size_t n = strcspn(p, ",");
            if (n > 0) {
                if (n >= sizeof f->langs[0] || f->n_langs == 16) return TM_ERR_ARG;
                memcpy(f->langs[f->n_langs], p, n);
                f->langs[f->n_langs++][n] = '\0';
            }
            p += n;
            if (*p == ',') p++;
        }
    }
    if (min_score >= 0) {
        if (min_score > 1) return TM_ERR_ARG;
        f->thr[1] = min_score;
    }
    rebuild(f);
    return TM_OK;
}

size_t tm_filter_n_rules(const tm_filter *f) {
    return f->n_active;
}

const char *tm_filter_rule_name(const tm_filter *f, size_t i) {
    return i < f->n_active ? defs[f->active[i]].name : NULL;
}

double tm_filter_rule_threshold(const tm_filter *f, size_t i) {
    return i < f->n_active ? f->thr[f->active[i]] : 0;
}

const char *tm_filter_rule_kind(const tm_filter *f, size_t i) {
    if (i >= f->n_active) return NULL;
    switch (defs[f->active[i]].kind) {
    case K_MIN: return "min";
    case K_MAX: return "max";
    case K_LANG: return "lang";
    case K_EMPTY: return "empty";
    default: return "flag";
    }
}

int tm_filter_needs_lang(const tm_filter *f) {
    return f->n_langs > 0 || f->thr[1] > 0 || f->stop_lang_auto;
}

/* Language value (quality-signals §8, datatrove LanguageFilter): the score of
 * an allowed language — the top language's score, or the byte share of a
 * lower-ranked allowed one — or the top score when any language is allowed. */
static double lang_value(const tm_filter *f, const tm_lang_result *l) {
    if (!l) return 0;
    if (!f->n_langs) return l->score;
    double best = 0;
    for (size_t i = 0; i < f->n_langs; i++) {
        if (!strcmp(l->code, f->langs[i]) && l->score > best) best = l->score;
        for (int k = 1; k < 3; k++) {
            /* top[] may carry a script/region variant ("zh-Hant") */
            size_t n = strlen(f->langs[i]);
            if (!strncmp(l->top[k].code, f->langs[i], n) &&
                (l->top[k].code[n] == '\0' || l->top[k].code[n] == '-') && l->top[k].share > best)
                best = l->top[k].share;
        }
    }
    return best;
}

static int fails(int kind, double v, double thr) {
    switch (kind) {
    case K_MIN: return v < thr;
    case K_MAX: return v > thr;
    case K_EMPTY: return v != 0;
    default: return 0;
    }
}

static void c4_opts_from(const tm_filter *f, tm_c4_opts *o) {
    const double *t = f->thr + D_C4_FIRST_OPT;
    o->terminal_punct = t[0] != 0;
    o->min_words_per_line = (int)t[1];
    o->max_word_length = (int)t[2];
    o->javascript = t[3] != 0;
    o->policy = t[4] != 0;
    o->citations = t[5] != 0;
    o->lorem_ipsum = f->thr[D_C4_FIRST_OPT + 6] != 0;
    o->curly_bracket = f->thr[D_C4_FIRST_OPT + 7] != 0;
    o->punkt_sentences = f->words == TM_WORDS_NLTK;
}

static int stage_active(const tm_filter *f, int stage) {
    for (size_t i = 0; i < f->n_active; i++)
        if (defs[f->active[i]].stage == stage) return 1;
    return 0;
}

tm_error tm_filter_apply(const tm_filter *f, tm_scorer *s, const char *text, size_t len,
                         size_t invalid_utf8, const tm_lang_result *lang, int explain,
                         tm_filter_result *r) {
    _Static_assert(N_DEFS > D_C4_FIRST_OPT + 7, "C4 option indices");
    double sig[TM_SIG_COUNT];
    memset(sig, 0, sizeof sig);
    r->removed = 0;
    r->rule = 0;
    r->value = r->threshold = 0;
    r->n_verdicts = 0;
    r->edited = 0;
    r->c4_lines_removed = r->c4_citations = 0;
    r->c4_done = 0;
    r->text = text;
    r->text_len = len;
    if (!text) text = "";
    const char *stop_lang =
        f->stop_lang_auto && lang && strcmp(lang->code, "und") ? lang->code : "en";
    uint64_t pre = 0, post = 0;
    int c4 = stage_active(f, ST_C4);
    for (size_t i = 0; i < f->n_active; i++) {
        const rule_def *d = &defs[f->active[i]];
        if (d->signal < 0 || d->stage == ST_C4) continue;
        if (d->stage == ST_GR || d->stage == ST_GQ || !c4)
            pre |= TM_SIG_BIT(d->signal);
        else
            post |= TM_SIG_BIT(d->signal);
    }
    tm_error e = TM_OK;
    if (pre)
        e = tm_signals_compute_words(s, f->words, text, len, stop_lang, invalid_utf8, pre, sig);
    int computed_post = 0;
    for (size_t i = 0; i < f->n_active && !e; i++) {
        size_t di = f->active[i];
        const rule_def *d = &defs[di];
        double v = 0, thr = f->thr[di];
        if (d->kind == K_EMPTY) {
            v = !tm_has_nonspace(text, len);
        } else if (d->kind == K_LANG) {
            v = lang_value(f, lang);
        } else if (d->stage == ST_C4) {
            if (!r->c4_done) {
                tm_c4_opts o;
                tm_c4_result cr;
                c4_opts_from(f, &o);
                if ((e = tm_c4_run(s, text, len, &o, &r->c4buf, &cr))) break;
                r->c4_done = 1;
                r->c4 = cr;
                r->c4_lines_removed = cr.n_lines - cr.kept_lines;
                r->c4_citations = cr.citations;
                /* stripping alone is not an edit: the input text is kept */
                r->edited = cr.kept_lines < cr.n_lines || cr.citations > 0;
            }
            if (di == D_C4_FIRST_OPT + 6)
                v = r->c4.lorem_ipsum;
            else if (di == D_C4_FIRST_OPT + 7)
                v = r->c4.curly_bracket;
            else
                v = (double)r->c4.n_sentences;
        } else if (d->stage == ST_FW || d->stage == ST_TM) {
            if (c4 && !computed_post) {
                const char *t2 = r->c4_done ? (r->c4buf.data ? r->c4buf.data : "") : text;
                size_t l2 = r->c4_done ? r->c4buf.len : len;
                if ((e = tm_signals_compute_words(s, f->words, t2, l2, stop_lang, invalid_utf8,
                                                  post, sig)))
                    break;
                computed_post = 1;
            }
            v = sig[d->signal];
        } else {
            v = sig[d->signal];
        }
        int fail;
        if (!rule_applies(f, d, lang, text, len))
            fail = 0;
        else if (d->kind == K_LANG)
            fail = (f->n_langs && v <= 0) || (thr > 0 && v <= thr);
        else if (d->kind == K_FLAG)
            /* datatrove stops at the first flagged line: only the flag met
             * first rejects (the other one is reported, as passing) */
            fail = r->c4.first_doc_flag == (di == D_C4_FIRST_OPT + 6 ? 1 : 2);
        else
            fail = fails(d->kind, v, thr);
        if (explain && r->n_verdicts < TM_FILTER_MAX_RULES) {
            tm_filter_verdict *vd = &r->verdicts[r->n_verdicts++];
            vd->rule = i;
            vd->value = v;
            vd->threshold = thr;
            vd->pass = !fail;
        }
        if (fail && !r->removed) {
            r->removed = 1;
            r->rule = i;
            r->value = v;
            r->threshold = thr;
            if (!explain) break;
        }
    }
    if (!e && r->c4_done && r->edited && !r->removed) {
        r->text = r->c4buf.data ? r->c4buf.data : "";
        r->text_len = r->c4buf.len;
    }
    return e;
}
