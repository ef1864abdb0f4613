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

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rules, their kinds, stages and per-preset thresholds are the rows of
 * include/tamis_signals.h (tmi_sig_rules, sigtable.c). */
#define N_DEFS ((size_t)TM_SIG_N_RULES)

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
static int rule_applies(const tm_filter *f, const tm_sig_rule *d, const tm_lang_result *lang,
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

/* The active rules: stage by stage (datatrove's chain), in table order
 * within a stage, so that a signal appended to the table is evaluated with
 * its stage's rules. */
static void rebuild(tm_filter *f) {
    f->n_active = 0;
    for (int st = 0; st < TM_ST_COUNT; st++)
        for (size_t d = 0; d < N_DEFS; d++) {
            if (tmi_sig_rules[d].stage != st || tmi_sig_rules[d].kind == TM_RK_OPT) continue;
            if (tmi_sig_rules[d].kind == TM_RK_LANG && !(f->thr[d] > 0 || f->n_langs)) continue;
            if (tmi_sig_rules[d].kind != TM_RK_LANG && f->thr[d] == 0) continue;
            f->active[f->n_active++] = d;
        }
}

/* The preset's thresholds are its column of the rule table; its tokenizer,
 * languages and language awareness are its row of the preset table. */
static tm_error preset_new(tm_filter **out, const char *name, size_t n) {
    int p = -1;
    for (int k = 0; k < TM_PRESET_COUNT && p < 0; k++)
        if (strlen(tmi_sig_presets[k].name) == n && !memcmp(tmi_sig_presets[k].name, name, n))
            p = k;
    if (p < 0)
        return tmi_fail_arg("unknown preset '%.*s' (default, gopher, c4, fineweb)", (int)n, name);
    tm_filter *f = calloc(1, sizeof *f);
    if (!f) return TM_ERR_NOMEM;
    const tm_sig_preset *ps = &tmi_sig_presets[p];
    for (size_t d = 0; d < N_DEFS; d++) f->thr[d] = tmi_sig_rules[d].thr[p];
    f->words = ps->words;
    f->stop_lang_auto = f->lang_aware = ps->multilingual;
    tm_error e = tm_filter_set_lang(f, ps->langs, -1); /* rebuilds */
    if (e) {
        free(f);
        return e;
    }
    *out = f;
    return TM_OK;
}

tm_error tm_filter_new(tm_filter **out, const char *preset) {
    const char *p = preset ? preset : "default";
    tmi_detail_clear();
    return preset_new(out, p, strlen(p));
}

tm_error tm_filter_new_spec(tm_filter **out, const char *spec) {
    const char *p = spec ? spec : "default";
    size_t n = strcspn(p, ",");
    tm_filter *f;
    tmi_detail_clear();
    tm_error e = preset_new(&f, p, n);
    if (e) return e;
    for (p += n; !e && *p == ',';) {
        p++;
        n = strcspn(p, ",");
        const char *eq = memchr(p, '=', n);
        size_t nl = eq ? (size_t)(eq - p) : n;
        int d = tmi_sig_rule_lookup(p, nl);
        char num[64], *end;
        size_t vl = eq ? n - nl - 1 : 0;
        double v = -1;
        if (d < 0) {
            e = tmi_fail_arg("unknown rule '%.*s' (tamis filter --list-rules)", (int)nl, p);
            break;
        }
        if (eq && vl > 0 && vl < sizeof num) {
            memcpy(num, eq + 1, vl);
            num[vl] = '\0';
            v = strtod(num, &end);
            if (*end) v = -1;
        }
        if (!(v >= 0) || !isfinite(v))
            e = tmi_fail_arg("'%.*s': expected RULE=THRESHOLD, a number >= 0", (int)n, p);
        else
            f->thr[d] = v;
        p += n;
    }
    if (e) {
        free(f);
        return e;
    }
    rebuild(f);
    *out = f;
    return TM_OK;
}

void tm_filter_free(tm_filter *f) {
    free(f);
}

void tmi_filter_result_free(tm_filter_result *r) {
    tm_buf_free(&r->c4buf);
}

tm_error tm_filter_set_rule(tm_filter *f, const char *name, double threshold) {
    for (size_t d = 0; d < N_DEFS; d++) {
        if (strcmp(tmi_sig_rules[d].name, name)) continue;
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
        f->thr[TM_RULE_LANGUAGE] = min_score;
    }
    rebuild(f);
    return TM_OK;
}

size_t tm_filter_n_rules(const tm_filter *f) {
    return f->n_active;
}

const char *tm_filter_rule_name(const tm_filter *f, size_t i) {
    return i < f->n_active ? tmi_sig_rules[f->active[i]].name : NULL;
}

double tm_filter_rule_threshold(const tm_filter *f, size_t i) {
    return i < f->n_active ? f->thr[f->active[i]] : 0;
}

const char *tm_filter_rule_kind(const tm_filter *f, size_t i) {
    if (i >= f->n_active) return NULL;
    switch (tmi_sig_rules[f->active[i]].kind) {
    case TM_RK_MIN: return "min";
    case TM_RK_MAX: return "max";
    case TM_RK_LANG: return "lang";
    case TM_RK_EMPTY: return "empty";
    default: return "flag";
    }
}

int tm_filter_needs_lang(const tm_filter *f) {
    return f->n_langs > 0 || f->thr[TM_RULE_LANGUAGE] > 0 || f->stop_lang_auto;
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
    case TM_RK_MIN: return v < thr;
    case TM_RK_MAX: return v > thr;
    case TM_RK_EMPTY: return v != 0;
    default: return 0;
    }
}

static void c4_opts_from(const tm_filter *f, tm_c4_opts *o) {
    const double *t = f->thr;
    o->terminal_punct = t[TM_RULE_C4_TERMINAL_PUNCT] != 0;
    o->min_words_per_line = (int)t[TM_RULE_C4_MIN_WORDS_PER_LINE];
    o->max_word_length = (int)t[TM_RULE_C4_MAX_WORD_LENGTH];
    o->javascript = t[TM_RULE_C4_JAVASCRIPT] != 0;
    o->policy = t[TM_RULE_C4_POLICY] != 0;
    o->citations = t[TM_RULE_C4_CITATIONS] != 0;
    o->lorem_ipsum = t[TM_RULE_C4_LOREM_IPSUM] != 0;
    o->curly_bracket = t[TM_RULE_C4_CURLY_BRACKET] != 0;
    o->punkt_sentences = f->words == TM_WORDS_NLTK;
}

static int stage_active(const tm_filter *f, int stage) {
    for (size_t i = 0; i < f->n_active; i++)
        if (tmi_sig_rules[f->active[i]].stage == stage) return 1;
    return 0;
}

tm_error tmi_filter_apply(const tm_filter *f, tm_scorer *s, const char *text, size_t len,
                          size_t invalid_utf8, const tm_lang_result *lang, int explain,
                          tm_filter_result *r) {
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
    int c4 = stage_active(f, TM_ST_C4);
    for (size_t i = 0; i < f->n_active; i++) {
        const tm_sig_rule *d = &tmi_sig_rules[f->active[i]];
        if (d->signal < 0 || d->stage == TM_ST_C4) continue;
        if (d->stage == TM_ST_GR || d->stage == TM_ST_GQ || !c4)
            pre |= TM_SIG_BIT(d->signal);
        else
            post |= TM_SIG_BIT(d->signal);
    }
    tm_error e = TM_OK;
    if (pre)
        e = tmi_signals_compute_words(s, f->words, text, len, stop_lang, invalid_utf8, pre, sig);
    int computed_post = 0;
    for (size_t i = 0; i < f->n_active && !e; i++) {
        size_t di = f->active[i];
        const tm_sig_rule *d = &tmi_sig_rules[di];
        double v = 0, thr = f->thr[di];
        if (d->kind == TM_RK_EMPTY) {
            v = !tmi_has_nonspace(text, len);
        } else if (d->kind == TM_RK_LANG) {
            v = lang_value(f, lang);
        } else if (d->stage == TM_ST_C4) {
            if (!r->c4_done) {
                tm_c4_opts o;
                tm_c4_result cr;
                c4_opts_from(f, &o);
                if ((e = tmi_c4_run(s, text, len, &o, &r->c4buf, &cr))) break;
                r->c4_done = 1;
                r->c4 = cr;
                r->c4_lines_removed = cr.n_lines - cr.kept_lines;
                r->c4_citations = cr.citations;
                /* stripping alone is not an edit: the input text is kept */
                r->edited = cr.kept_lines < cr.n_lines || cr.citations > 0;
            }
            double c4v[TM_SIG_COUNT];
            tmi_c4_result_values(&r->c4, c4v);
            v = c4v[d->signal];
        } else if (d->stage == TM_ST_FW || d->stage == TM_ST_TM) {
            if (c4 && !computed_post) {
                const char *t2 = r->c4_done ? (r->c4buf.data ? r->c4buf.data : "") : text;
                size_t l2 = r->c4_done ? r->c4buf.len : len;
                if ((e = tmi_signals_compute_words(s, f->words, t2, l2, stop_lang, invalid_utf8,
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
        else if (d->kind == TM_RK_LANG)
            fail = (f->n_langs && v <= 0) || (thr > 0 && v <= thr);
        else if (d->kind == TM_RK_FLAG)
            /* datatrove stops at the first flagged line: only the flag met
             * first rejects (the other one is reported, as passing) */
            fail = r->c4.first_doc_flag == (di == TM_RULE_C4_LOREM_IPSUM ? 1 : 2);
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
