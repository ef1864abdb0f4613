/*
 * doubled.c — stage 5 of `tamis clean`: doubled words ("un accord accord de
 * fourniture" → "un accord de fourniture").
 *
 * A candidate is two equal words (letters, marks, digits; compared
 * lowercase code point by code point) separated only by spaces or tabs — a
 * line break, a comma or a hyphen in between means the writer meant it
 * ("accord, accord", "bien-être être" are not candidates). Then, in order:
 *  - words with a digit ("20 20"), single-letter words, a pair whose second
 *    word is capitalised ("de De Gaulle"; names: "Bora Bora"), and a pair
 *    whose first word is capitalised away from a sentence start ("de l'Est
 *    est") are legitimate: skipped;
 *  - the word is in the language's exception list (French "nous nous",
 *    English "had had", German "die die"...) or the list of interjections
 *    and intensifiers repeated on purpose in every language ("bla bla",
 *    "très très", "very very"): skipped;
 *  - the language is not one with a list (fr, en, de, es, pt, nl, ca), or
 *    the detector is unsure (CLD2 not reliable): reported as doubled_word
 *    with "kept" giving the reason, not edited — Indonesian, Turkish, Hindi
 *    and others use reduplication as grammar;
 *  - otherwise the second word and the spaces before it are removed and
 *    logged as undouble_word at the offset of the kept word in the output.
 * Chains ("very very very") collapse to one word.
 */
#include "clean/clean_int.h"

#include "text/text.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

static const char *const common_ok[] = {
    "ha",   "ah",  "oh",   "eh",   "hé",    "hi",   "ho",   "hu",  "bla",   "blah",
    "bye",  "tic", "tac",  "toc",  "pan",   "boum", "chut", "na",  "bang",  "ding",
    "dong", "tut", "pooh", "chop", "knock", "no",   "si",   "sí",  "oui",   "non",
    "yes",  "ja",  "nein", "nee",  "sim",   "não",  "hum",  "olé", "bunga", NULL};

/* "en en": gerund after the pronoun ("En en retirant 2 %"); "ça ça":
 * spoken left dislocation ("tout ça ça va", docs/CLEAN-REVIEW.md). */
static const char *const fr_ok[] = {"nous", "vous", "en",   "ça",   "très", "trop",
                                    "vite", "bien", "fort", "tout", NULL};
static const char *const en_ok[] = {"had",   "that", "is",   "do",   "very", "really", "so",
                                    "too",   "far",  "many", "much", "more", "well",   "now",
                                    "there", "hear", "go",   "bye",  NULL};
static const char *const de_ok[] = {"die", "das", "der", "den",  "dem",
                                    "sie", "es",  "so",  "sehr", NULL};
static const char *const es_ok[] = {"ya", "muy", "poco", "casi", "así", NULL};
static const char *const pt_ok[] = {"que", "já", "muito", "bem", NULL};
static const char *const nl_ok[] = {"die", "dat", "heel", "erg", NULL};
static const char *const ca_ok[] = {"que", "molt", NULL};

static const struct {
    const char *lang;
    const char *const *ok;
} lang_lists[] = {{"fr", fr_ok}, {"en", en_ok}, {"de", de_ok}, {"es", es_ok},
                  {"pt", pt_ok}, {"nl", nl_ok}, {"ca", ca_ok}};

static const char *const *list_for(const char *lang) {
    if (!lang) return NULL;
    size_t n = strcspn(lang, "-_");
    for (size_t i = 0; i < sizeof lang_lists / sizeof lang_lists[0]; i++)
        if (strlen(lang_lists[i].lang) == n && !strncmp(lang, lang_lists[i].lang, n))
            return lang_lists[i].ok;
    return NULL;
}

static int in_list(const char *const *l, const char *w, size_t n) {
    for (; l && *l; l++)
        if (strlen(*l) == n && !memcmp(*l, w, n)) return 1;
    return 0;
}

int tm_clean_doubled_exception(const char *lang, const char *word, size_t len) {
    return in_list(common_ok, word, len) || in_list(list_for(lang), word, len);
}

static int is_letter_cat(utf8proc_category_t c) {
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL || c == UTF8PROC_CATEGORY_LT ||
           c == UTF8PROC_CATEGORY_LM || c == UTF8PROC_CATEGORY_LO;
}

/* 1 letter or mark, 2 digit, 0 otherwise. */
static int word_class(int32_t cp) {
    if (cp < 0x80) {
        if ((cp | 32) >= 'a' && (cp | 32) <= 'z') return 1;
        return cp >= '0' && cp <= '9' ? 2 : 0;
    }
    if (cp >= 0xC0 && cp < 0x250) return cp != 0xD7 && cp != 0xF7;
    if (cp >= 0x2000 && cp <= 0x206F) return 0; /* general punctuation: "’", "«" */
    utf8proc_category_t c = utf8proc_category(cp);
    if (is_letter_cat(c) || c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC ||
        c == UTF8PROC_CATEGORY_ME)
        return 1;
    return c == UTF8PROC_CATEGORY_ND || c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO ? 2
                                                                                               : 0;
}

/* Code point ending just before s[i] (i > 0). */
static size_t prev_cp(const char *s, size_t i, int32_t *cp) {
    size_t b = i - 1;
    while (b > 0 && i - b < 4 && ((unsigned char)s[b] & 0xC0) == 0x80) b--;
    tm_utf8_decode(s + b, i - b, cp);
    return b;
}

static int is_joiner(int32_t cp) {
    return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == '_' || cp == '/' || cp == '@' ||
           cp == '\'' || cp == 0x2019 || cp == '&';
}

static int is_upper(int32_t cp) {
    return cp < 0x80 ? (cp >= 'A' && cp <= 'Z') : utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

/* Does a sentence start at s[i]? Looks back past spaces and opening quotes
 * for the start of the text or line, or terminal punctuation. */
static int sentence_start(const char *s, size_t i) {
    while (i > 0) {
        int32_t cp;
        size_t b = prev_cp(s, i, &cp);
        if (cp == ' ' || cp == '\t' || cp == '"' || cp == 0xAB || cp == 0x201C || cp == '(' ||
            cp == 0x2014 || cp == 0x2013 || cp == '-') {
            i = b;
            continue;
        }
        return cp == '\n' || cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == ':';
    }
    return 1;
}

/* Compares two words lowercase; 1 if equal. Inside a word every ASCII
 * byte is a letter or digit, whose lowercase the table gives. */
static int same_word(const char *a, size_t an, const char *b, size_t bn) {
    size_t i = 0, j = 0;
    while (i < an && j < bn) {
        unsigned char ca = (unsigned char)a[i], cb = (unsigned char)b[j];
        if ((ca | cb) < 0x80) {
            if (tm_clean_ascii_word[ca] != tm_clean_ascii_word[cb]) return 0;
            i++, j++;
            continue;
        }
        int32_t x, y;
        i += tm_clean_decode(a + i, an - i, &x);
        j += tm_clean_decode(b + j, bn - j, &y);
        if (x != y && tm_clean_lower(x) != tm_clean_lower(y)) return 0;
    }
    return i == an && j == bn;
}

/* End of the word starting at s[i]: ASCII letters and digits by table,
 * the rest by word_class(). */
static size_t word_end(const char *s, size_t n, size_t i) {
    const unsigned char *p = (const unsigned char *)s + i, *e = (const unsigned char *)s + n;
    for (;;) {
        while (p < e && *p < 0x80 && tm_clean_ascii_word[*p]) p++;
        if (p == e || *p < 0x80) break;
        int32_t cp;
        size_t l = tm_clean_decode((const char *)p, (size_t)(e - p), &cp);
        if (!word_class(cp)) break;
        p += l;
    }
    return (size_t)(p - (const unsigned char *)s);
}

/* Code points of w, as the scanning loop decodes them. */
static size_t cp_count(const char *w, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        int32_t cp;
        i += tm_clean_decode(w + i, n - i, &cp);
    }
    return k;
}

/* Does the word w hold a digit (word_class 2)? */
static int has_digit(const char *w, size_t n) {
    for (size_t i = 0; i < n;) {
        int32_t cp;
        i += tm_clean_decode(w + i, n - i, &cp);
        if (word_class(cp) == 2) return 1;
    }
    return 0;
}

static tm_error log_word(tm_clean_log *g, int kind, size_t offset, const char *w, size_t wn,
                         const char *why) {
    tm_clean_log_count(g, kind, 1);
    if (!tm_clean_log_begin(g, tm_clean_edit_name(kind))) return TM_OK;
    tm_buf *b = &g->json;
    tm_error e = tm_json_key(b, "offset", 1);
    if (!e) e = tm_json_u64(b, offset);
    if (!e) e = tm_json_key(b, "word", 1);
    if (!e) e = tm_json_str(b, w, wn);
    if (why && !e) e = tm_json_key(b, "kept", 1);
    if (why && !e) e = tm_json_str(b, why, strlen(why));
    if (!e) e = tm_clean_log_end(g);
    return e;
}

/* Decodes one code point with the ASCII and two-byte fast paths. */
static inline size_t next_cp(const char *s, size_t n, size_t i, int32_t *cp) {
    return tm_clean_decode(s + i, n - i, cp);
}

tm_error tm_clean_doubled(const char *s, size_t n, tm_lang_guess *lang, tm_buf *out,
                          tm_clean_log *g) {
    size_t base = out->len, copied = 0, last_off = 0;
    /* One pass over the words; the previous word is remembered while only
     * spaces and tabs follow it. */
    size_t lb = 0, g0 = 0;
    int have_prev = 0, gap = 0;
    tm_error e = TM_OK;
    for (size_t i = 0; i < n && !e;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && !tm_clean_ascii_word[c]) {
            if (c == ' ' || c == '\t')
                gap = have_prev;
            else
                have_prev = 0;
            i++;
            continue;
        }
        int32_t cp;
        size_t l = next_cp(s, n, i, &cp);
        if (c >= 0x80 && !word_class(cp)) {
            have_prev = 0;
            i += l;
            continue;
        }
        size_t g1 = i, re = word_end(s, n, i);
        i = re;
        /* The cheap tests first, on every word; digits and length only for
         * the rare pairs that are equal. */
        int cand =
            have_prev && gap && re - g1 == g0 - lb && same_word(s + lb, g0 - lb, s + g1, re - g1);
        size_t plb = lb, pg0 = g0;
        have_prev = 1, gap = 0, lb = g1, g0 = re;
        if (!cand || has_digit(s + plb, pg0 - plb) || has_digit(s + g1, re - g1) ||
            cp_count(s + g1, re - g1) < 2)
            continue;
        int32_t r0 = cp;
        int32_t before = 0, after = 0, l0;
        next_cp(s, n, plb, &l0);
        if (plb > 0) prev_cp(s, plb, &before);
        if (re < n) next_cp(s, n, re, &after);
        /* An elided article may precede ("l'accord accord"); nothing may
         * glue either word to another one ("bien-être être"). */
        if ((before != '\'' && before != 0x2019 && is_joiner(before)) || is_joiner(after)) continue;
        if (is_upper(r0)) continue; /* "de De Gaulle", "Bora Bora" */
        /* A capital is a sentence start ("La la revuelta") or a name: "de
         * l'Est est largement" is a name followed by the verb. */
        if (is_upper(l0) && !sentence_start(s, plb)) continue;
        char low[TM_CLEAN_MAX_WORD_BYTES + 8];
        size_t ll = 0;
        for (size_t k = g1; k < re && ll <= TM_CLEAN_MAX_WORD_BYTES;) {
            k += next_cp(s, re, k, &cp);
            ll += tm_utf8_encode(tm_clean_lower(cp), low + ll);
        }
        /* Interjections are kept in every language: no need to detect it. */
        if (in_list(common_ok, low, ll)) continue;
        if (!lang->known) {
            tm_lang_result r;
            lang->known = 1;
            if (tm_langid(s, n, &r) == TM_OK) {
                snprintf(lang->code, sizeof lang->code, "%s", r.code);
                lang->reliable = r.reliable;
            } else {
                snprintf(lang->code, sizeof lang->code, "und");
                lang->reliable = 0;
            }
        }
        if (tm_clean_doubled_exception(lang->code, low, ll)) continue;
        /* Offset of the kept word in the output; in a chain it was the
         * previous pair's kept word. */
        size_t off = plb >= copied ? out->len - base + (plb - copied) : last_off;
        const char *why = !lang->reliable         ? "lang_unsure"
                          : !list_for(lang->code) ? "lang_unsupported"
                                                  : NULL;
        if (why) {
            e = log_word(g, TM_EDIT_DOUBLED_KEPT, off, s + plb, pg0 - plb, why);
            continue;
        }
        e = tm_buf_append(out, s + copied, pg0 - copied);
        if (!e) e = log_word(g, TM_EDIT_UNDOUBLE_WORD, off, s + plb, pg0 - plb, NULL);
        copied = re;
        last_off = off;
    }
    if (!e) e = tm_buf_append(out, s + copied, n - copied);
    return e;
}
