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
#include "util/buf.h"

#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
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
/* "on on", "in in": a particle, then a preposition ("Caps Lock is on on
 * Windows", "a Makefile.in that was left in in the first commit"). */
static const char *const en_ok[] = {
    "had",  "that", "is",    "do",   "very", "really", "so",   "too", "far", "many", "much", "more",
    "well", "now",  "there", "hear", "go",   "bye",    "long", "big", "on",  "in",   NULL};
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

int tmi_clean_doubled_exception(const char *lang, const char *word, size_t len) {
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
    tmi_utf8_decode(s + b, i - b, cp);
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
            if (tmi_clean_ascii_word[ca] != tmi_clean_ascii_word[cb]) return 0;
            i++, j++;
            continue;
        }
        int32_t x, y;
        i += tmi_utf8_decode_fast(a + i, an - i, &x);
        j += tmi_utf8_decode_fast(b + j, bn - j, &y);
        if (x != y && tmi_clean_lower(x) != tmi_clean_lower(y)) return 0;
    }
    return i == an && j == bn;
}

/* End of the word starting at s[i]: ASCII letters and digits by table,
 * the rest by word_class(). */
static size_t word_end(const char *s, size_t n, size_t i) {
    const unsigned char *p = (const unsigned char *)s + i, *e = (const unsigned char *)s + n;
    for (;;) {
        while (p < e && *p < 0x80 && tmi_clean_ascii_word[*p]) p++;
        if (p == e || *p < 0x80) break;
        int32_t cp;
        size_t l = tmi_utf8_decode_fast((const char *)p, (size_t)(e - p), &cp);
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
        i += tmi_utf8_decode_fast(w + i, n - i, &cp);
    }
    return k;
}

/* Does the word w hold a digit (word_class 2)? */
static int has_digit(const char *w, size_t n) {
    for (size_t i = 0; i < n;) {
        int32_t cp;
        i += tmi_utf8_decode_fast(w + i, n - i, &cp);
        if (word_class(cp) == 2) return 1;
    }
    return 0;
}

/* Two or more letters, all capitals ("NAME", "FILE"). */
static int all_caps(const char *w, size_t n) {
    size_t caps = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        i += tmi_utf8_decode_fast(w + i, n - i, &cp);
        if (!is_upper(cp)) return 0;
        caps++;
    }
    return caps >= 2;
}

/* Letters of the Latin script only. */
static int latin_word(const char *w, size_t n) {
    for (size_t i = 0; i < n;) {
        int32_t cp;
        i += tmi_utf8_decode_fast(w + i, n - i, &cp);
        if (cp < 0x80 ? !((cp | 32) >= 'a' && (cp | 32) <= 'z')
                      : (cp < 0xC0 || cp >= 0x250 || cp == 0xD7 || cp == 0xF7))
            return 0;
    }
    return 1;
}

/* Stop word of lang ("pt-BR" looks "pt" up). */
static int stop_word(const char *lang, const char *w, size_t n) {
    char l2[3] = {lang[0], lang[0] ? lang[1] : 0, 0};
    return tm_is_stopword(l2, w, n);
}

/* Is w a run of hexadecimal letters ("ff", "de")? */
static int hex_word(const char *w, size_t wn) {
    for (size_t i = 0; i < wn; i++)
        if (!memchr("abcdefABCDEF", w[i], 12)) return 0;
    return 1;
}

/* Are the tokens of the line s[b, e) mostly hexadecimal (a dump: "ff ff 0a
 * 00")? */
static int hex_line(const char *s, size_t b, size_t e) {
    size_t tokens = 0, hex = 0;
    for (size_t i = b; i < e;) {
        while (i < e && s[i] == ' ') i++;
        size_t t = i;
        int ishex = 1;
        while (i < e && s[i] != ' ') {
            if (!memchr("0123456789abcdefABCDEF", s[i], 22)) ishex = 0;
            i++;
        }
        if (i > t) tokens++, hex += (size_t)ishex;
    }
    return 2 * hex >= tokens;
}

/* What pass 1 knows of the line its current pair stands on, computed once
 * per line: a line holding thousands of pairs ("the the the ...") must not
 * be scanned again for each (that was quadratic). */
typedef struct line_info {
    size_t lb, le;  /* the line s[lb, le); le == 0: none yet */
    int prose, hex; /* tmi_clean_prose_line, hex_line */
    int sw_done;    /* stop words looked up (the language is known) */
    size_t n_sw;    /* distinct stop words of the line, 0, 1 or 2 (2: more) */
    char sw[TM_CLEAN_MAX_WORD_BYTES + 8];
    size_t sw_len; /* the one stop word when n_sw == 1 */
} line_info;

/* The line around s[b, e) into li, unless li holds it already. */
static void line_at(line_info *li, const char *s, size_t n, size_t b, size_t e) {
    if (li->le && b >= li->lb && e <= li->le) return;
    size_t lb = b, le = e;
    while (lb > 0 && s[lb - 1] != '\n') lb--;
    while (le < n && s[le] != '\n') le++;
    li->lb = lb, li->le = le;
    li->prose = tmi_clean_prose_line(s, lb, le);
    li->hex = li->prose ? hex_line(s, lb, le) : 0;
    li->sw_done = 0;
}

/* Does the line of li hold a stop word of lang other than the doubled word
 * (low, lowercase)? Then it is a sentence of the document's language, not a
 * table row or a listing. The line's first two distinct stop words answer
 * for every pair on it. */
static int sentence_of(line_info *li, const char *s, const char *lang, const char *low, size_t ll) {
    if (!li->sw_done) {
        li->sw_done = 1;
        li->n_sw = 0;
        char w[TM_CLEAN_MAX_WORD_BYTES + 8];
        for (size_t i = li->lb, le = li->le; i < le && li->n_sw < 2;) {
            int32_t cp;
            size_t l = tmi_utf8_decode_fast(s + i, le - i, &cp);
            if (!word_class(cp)) {
                i += l;
                continue;
            }
            size_t we = word_end(s, le, i), wl = 0;
            for (size_t k = i; k < we && wl + 4 <= TM_CLEAN_MAX_WORD_BYTES;) {
                k += tmi_utf8_decode_fast(s + k, we - k, &cp);
                wl += tmi_utf8_encode(tmi_clean_lower(cp), w + wl);
            }
            if (stop_word(lang, w, wl) &&
                !(li->n_sw == 1 && wl == li->sw_len && !memcmp(w, li->sw, wl))) {
                if (!li->n_sw) memcpy(li->sw, w, wl), li->sw_len = wl;
                li->n_sw++;
            }
            i = we;
        }
    }
    return li->n_sw >= 2 || (li->n_sw == 1 && (li->sw_len != ll || memcmp(li->sw, low, ll)));
}

/* A doubled-word pair of pass 1: the first word s[plb, pg0), the second
 * s[g1, re); why: reported, not edited (NULL: an edit). */
typedef struct pair {
    size_t plb, pg0, g1, re;
    const char *why;
} pair;

/* Is the token before s[b] (past spaces) an option ("-rl", "--force")? Then
 * the words are arguments of a command line. */
static int after_option(const char *s, size_t b) {
    size_t i = b;
    while (i > 0 && s[i - 1] == ' ') i--;
    size_t e = i;
    while (i > 0 && s[i - 1] != ' ' && s[i - 1] != '\n') i--;
    if (e - i < 2 || s[i] != '-') return 0;
    char c = s[i + 1] == '-' && e - i > 2 ? s[i + 2] : s[i + 1];
    return (c | 32) >= 'a' && (c | 32) <= 'z';
}

/* Is s mostly prose: at least half of its non-blank lines prose lines
 * (tmi_clean_prose_line) indented by less than 4 columns? Man pages (all
 * indented), listings and tables are not. */
static int prose_document(const char *s, size_t n) {
    size_t lines = 0, prose = 0;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t le = nl ? (size_t)(nl - s) : n, k = i;
        while (k < le && s[k] == ' ') k++;
        if (k < le) {
            lines++;
            prose += k - i < 4 && s[k] != '\t' && tmi_clean_prose_line(s, i, le);
        }
        i = le + 1;
    }
    return 2 * prose >= lines;
}

static tm_error log_word(tm_clean_log *g, int kind, size_t offset, const char *w, size_t wn,
                         const char *why) {
    tmi_clean_log_count(g, kind, 1);
    if (!tmi_clean_log_begin(g, tm_clean_edit_name(kind))) return TM_OK;
    tm_buf *b = &g->json;
    tm_error e = tmi_json_key(b, "offset", 1);
    TM_THEN(e, tmi_json_u64(b, offset));
    TM_THEN(e, tmi_json_key(b, "word", 1));
    TM_THEN(e, tmi_json_str(b, w, wn));
    if (why && !e) e = tmi_json_key(b, "kept", 1);
    if (why && !e) e = tmi_json_str(b, why, strlen(why));
    TM_THEN(e, tmi_clean_log_end(g));
    return e;
}

/* Decodes one code point with the ASCII and two-byte fast paths. */
static inline size_t next_cp(const char *s, size_t n, size_t i, int32_t *cp) {
    return tmi_utf8_decode_fast(s + i, n - i, cp);
}

tm_error tmi_clean_doubled(const char *s, size_t n, tm_lang_guess *lang, tm_buf *out,
                           tm_clean_log *g) {
    /* Pass 1 finds the pairs (in a small array: pairs are rare), pass 2
     * writes the text and the records: between them, a document with many
     * different doubled words is found to reduplicate on purpose. */
    pair *v = NULL;
    size_t nv = 0, cap = 0, distinct = 0;
    /* One pass over the words; the previous word is remembered while only
     * spaces and tabs follow it. */
    size_t lb = 0, g0 = 0;
    int have_prev = 0, gap = 0, prose_doc = -1;
    line_info li = {0};
    tm_error e = TM_OK;
    for (size_t i = 0; i < n && !e;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && !tmi_clean_ascii_word[c]) {
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
        /* Nor a dot or colon inside a token ("source source.tgz", "hexseed:seed seed"). */
        if (((after == '.' || after == ':') && re + 1 < n &&
             tmi_clean_ascii_word[(unsigned char)s[re + 1] & 0x7F] &&
             (unsigned char)s[re + 1] < 0x80) ||
            ((before == '.' || before == ':') && plb >= 2 && (unsigned char)s[plb - 2] < 0x80 &&
             tmi_clean_ascii_word[(unsigned char)s[plb - 2]]))
            continue;
        if (is_upper(r0)) continue; /* "de De Gaulle", "Bora Bora" */
        /* One space only: a tab or a run of spaces separates columns
         * ("encryption  encryption"). An all-capitals first word is a
         * name, a constant or a table heading ("NAME name"). */
        if (g1 != pg0 + 1 || s[pg0] != ' ' || all_caps(s + plb, pg0 - plb)) continue;
        if (after_option(s, plb)) continue; /* "cp -rl dir dir" */
        /* Only in a line of prose: not code, a table or a listing. */
        line_at(&li, s, n, plb, re);
        if (!li.prose || (li.hex && hex_word(s + g1, re - g1))) continue;
        /* A capital is a sentence start ("La la revuelta") or a name: "de
         * l'Est est largement" is a name followed by the verb. */
        if (is_upper(l0) && !sentence_start(s, plb)) continue;
        char low[TM_CLEAN_MAX_WORD_BYTES + 8];
        size_t ll = 0;
        for (size_t k = g1; k < re && ll <= TM_CLEAN_MAX_WORD_BYTES;) {
            k += next_cp(s, re, k, &cp);
            ll += tmi_utf8_encode(tmi_clean_lower(cp), low + ll);
        }
        /* Interjections are kept in every language: no need to detect it. */
        if (in_list(common_ok, low, ll)) continue;
        if ((e = tmi_clean_lang(s, n, lang))) break;
        if (tmi_clean_doubled_exception(lang->code, low, ll)) continue;
        const char *why = !lang->reliable         ? "lang_unsure"
                          : !list_for(lang->code) ? "lang_unsupported"
                                                  : NULL;
        /* An edit only in a sentence of the document's language: Latin
         * letters (the languages with lists are written in Latin script)
         * and another stop word of the language on the line. */
        if (!why && (!latin_word(s + g1, re - g1) || !sentence_of(&li, s, lang->code, low, ll)))
            continue;
        /* In technical text a doubled noun is a term and its placeholder
         * ("the thread thread", "field field has value value": the second
         * is an argument name, set in italics before the page was
         * rendered): there only short function words are repaired ("the
         * the", "to to"). */
        if (!why && prose_doc < 0) prose_doc = prose_document(s, n);
        if (!why && !prose_doc && (cp_count(low, ll) > 3 || !stop_word(lang->code, low, ll)))
            continue;
        if (TM_GROW(v, cap, nv + 1, 0)) {
            free(v);
            return TM_ERR_NOMEM;
        }
        /* Once reduplication is decided (below) more distinct words change
         * nothing: stop comparing, or many pairs cost pairs x distinct. */
        int fresh = !why && !(distinct >= 3 && distinct * 4096 >= n);
        for (size_t k = 0; k < nv && fresh; k++)
            if (!v[k].why && same_word(s + v[k].g1, v[k].re - v[k].g1, s + g1, re - g1)) fresh = 0;
        distinct += (size_t)fresh;
        v[nv++] = (pair){plb, pg0, g1, re, why};
    }
    /* Three different doubled words, one per 4 KB or more, is grammar
     * (reduplication: Nigerian Pidgin "beta beta", "mago mago", detected
     * as English), not typing: reported, not edited. */
    int redup = distinct >= 3 && distinct * 4096 >= n;
    size_t base = out->len, copied = 0, last_off = 0;
    for (size_t k = 0; k < nv && !e; k++) {
        pair *q = &v[k];
        /* Offset of the kept word in the output; in a chain it was the
         * previous pair's kept word. */
        size_t off = q->plb >= copied ? out->len - base + (q->plb - copied) : last_off;
        const char *why = q->why ? q->why : redup ? "reduplication" : NULL;
        if (why) {
            e = log_word(g, TM_EDIT_DOUBLED_KEPT, off, s + q->plb, q->pg0 - q->plb, why);
            continue;
        }
        e = tmi_buf_append(out, s + copied, q->pg0 - copied);
        TM_THEN(e, log_word(g, TM_EDIT_UNDOUBLE_WORD, off, s + q->plb, q->pg0 - q->plb, NULL));
        copied = q->re;
        last_off = off;
    }
    free(v);
    TM_THEN(e, tmi_buf_append(out, s + copied, n - copied));
    return e;
}
