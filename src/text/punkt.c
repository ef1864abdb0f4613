/*
 * punkt.c — NLTK's Punkt sentence splitter without training
 * (PunktSentenceTokenizer() with empty parameters, NLTK 3.8), the sentences
 * datatrove's English tokenizer cuts before NLTKWordTokenizer (nltk.c) and
 * that its C4 filter counts.
 *
 * With no abbreviations, collocations, sentence starters or orthographic
 * statistics, Punkt reduces to: each '.', '?' or '!' followed by one of
 * )";}]*:@'({[?! or by whitespace and a token is a candidate; the
 * candidate's context (the word before it, the mark, what follows) is split
 * into Punkt words, and the candidate breaks when a word before the last is
 * '.', '?', '!' alone or ends with a single '.', unless that word is an
 * initial or a number and the next word's case says it does not start a
 * sentence (_second_pass_annotation with an empty ortho_context). Then
 * closing quotes and brackets after a break are moved into the sentence
 * before it (_realign_boundaries). Indices are code points, as in Python.
 */
#include "text/nltk_int.h"

/* _re_non_word_chars: ) " ; } ] * : @ ' ( { [ ? ! */
static inline int nonword(int32_t c) {
    return in(c, C_NONWORD);
}

/* Length of _re_multi_char_punct at i (0: no match): -{2,} | \.{2,} |
 * (?:\.\s){2,}\. */
static size_t multichar(const int32_t *v, size_t n, size_t i) {
    if (i + 1 >= n) return 0;
    if ((v[i] == '-' || v[i] == '.') && v[i + 1] == v[i]) {
        size_t j = i;
        while (j < n && v[j] == v[i]) j++;
        return j - i;
    }
    size_t k = 0;
    while (i + 2 * k + 1 < n && v[i + 2 * k] == '.' && S(v[i + 2 * k + 1])) k++;
    if (k >= 1 && !(i + 2 * k < n && v[i + 2 * k] == '.')) k--;
    return k >= 2 ? 2 * k + 1 : 0;
}

/* Punkt's word tokens of the line [b, e) of v, appended to w->pt. */
static int punkt_words(tm_nltk *w, const int32_t *v, size_t b, size_t e) {
    const int32_t *l = v + b;
    size_t n = e - b;
    for (size_t i = 0; i < n;) {
        if (S(l[i])) {
            i++;
            continue;
        }
        size_t j = i + multichar(l, n, i);
        if (j == i && !in(l[i], C_NOSTART)) {
            for (j = i + 1; j < n; j++) {
                if (S(l[j]) || nonword(l[j]) || multichar(l, n, j)) break;
                if (l[j] == ',' &&
                    (j + 1 == n || S(l[j + 1]) || nonword(l[j + 1]) || multichar(l, n, j + 1)))
                    break;
            }
        } else if (j == i) {
            j = i + 1;
        }
        if (tmi_grow((void **)&w->pt, &w->pt_cap, w->pt_n + 2, sizeof *w->pt, 0)) return 1;
        w->pt[w->pt_n++] = b + i;
        w->pt[w->pt_n++] = b + j;
        i = j;
    }
    return 0;
}

static int is_number(const int32_t *t, size_t n) {
    size_t i = 0;
    if (i < n && t[i] == '-') i++;
    if (i < n && (t[i] == '.' || t[i] == ',')) i++;
    if (!(i < n && D(t[i]))) {
        /* -? and [.,]? give nothing back that \d could use */
        return 0;
    }
    for (i++; i < n; i++)
        if (!D(t[i]) && !in(t[i], C_NUM)) return 0;
    return 1;
}

/* text_contains_sentbreak() of the context v[b, e): a token after a
 * sentence break exists. */
static int contains_break(tm_nltk *w, const int32_t *v, size_t b, size_t e, int *err) {
    w->pt_n = 0;
    for (size_t i = b; i < e;) {
        size_t j = i;
        while (j < e && v[j] != '\n') j++;
        int blank = 1;
        for (size_t k = i; k < j && blank; k++) blank = S(v[k]);
        if (!blank && punkt_words(w, v, i, j)) {
            *err = 1;
            return 0;
        }
        i = j + 1;
    }
    size_t nt = w->pt_n / 2;
    for (size_t t = 0; t + 1 < nt; t++) {
        const int32_t *s = v + w->pt[2 * t];
        size_t n = w->pt[2 * t + 1] - w->pt[2 * t];
        int brk = 0;
        if (n == 1 && in(s[0], C_END)) {
            brk = 1;
        } else {
            int dots = n >= 2;
            for (size_t k = 0; k < n && dots; k++) dots = s[k] == '.';
            if (!dots && s[n - 1] == '.' && !(n >= 2 && s[n - 2] == '.')) brk = 1;
        }
        if (brk && s[n - 1] == '.') {
            /* second pass: initials and numbers */
            int initial = n == 2 && W(s[0]) && !D(s[0]);
            if (initial || is_number(s, n)) {
                const int32_t *s2 = v + w->pt[2 * t + 2];
                size_t n2 = w->pt[2 * t + 3] - w->pt[2 * t + 2];
                int upper = tmi_is_upper(s2[0]), lower = tmi_is_lower(s2[0]);
                int punct = n2 == 1 && in(s2[0], C_ORTHO);
                if (punct || (!upper && lower))
                    brk = 0; /* ortho heuristic False */
                else if (!upper && !lower)
                    ; /* unknown, and not first_upper */
                else if (initial)
                    brk = 0; /* unknown, initial, first_upper */
            }
        }
        if (brk) return 1;
    }
    return 0;
}

static inline int ascii_ws(int32_t c) {
    return c == ' ' || (c >= 9 && c <= 13);
}

int tmi_nltk_punkt(tm_nltk *w) {
    const int32_t *v = w->cp;
    size_t n = w->cp_n;
    w->sl_n = 0;
    size_t last_break = 0;
    /* the pending match: its index, end of after_tok, next_tok start (or
     * (size_t)-1), and the slice of the word before it */
    int have = 0;
    size_t pm = 0, pa = 0, pnext = 0, ps = 0, pe = 0;
    int err = 0;
#define PUSH(x, y)                                                                                 \
    do {                                                                                           \
        if (tmi_grow((void **)&w->sl, &w->sl_cap, w->sl_n + 2, sizeof *w->sl, 0)) return 1;        \
        w->sl[w->sl_n++] = (x);                                                                    \
        w->sl[w->sl_n++] = (y);                                                                    \
    } while (0)
    for (size_t i = 0; i <= n; i++) {
        int flush = i == n;
        size_t aend = 0, nt = (size_t)-1;
        if (!flush) {
            if (!in(v[i], C_END)) continue;
            if (i + 1 < n && nonword(v[i + 1])) {
                aend = i + 2;
            } else if (i + 1 < n && S(v[i + 1])) {
                size_t j = i + 1;
                while (j < n && S(v[j])) j++;
                if (j == n) continue;
                nt = j;
                while (j < n && !S(v[j])) j++;
                aend = j;
            } else {
                continue;
            }
        }
        size_t start = 0;
        if (!flush) {
            /* the word before: after the last ASCII whitespace of
             * text[prev_stop:i], where an index 0 counts as none */
            size_t idx = 0;
            for (size_t k = i; k > pe; k--)
                if (ascii_ws(v[k - 1])) {
                    idx = k - 1 - pe;
                    break;
                }
            start = idx ? idx + pe + 1 : ps;
        }
        if (have && (flush || pe <= start)) {
            /* context = text[ps:pe] + match + after_tok, built in w->a's
             * place: it is contiguous in the text only when pe == pm */
            size_t cl = (pe - ps) + 1 + (pa - pm - 1);
            if (tmi_grow((void **)&w->b, &w->b_cap, cl + 1, sizeof(int32_t), 0)) return 1;
            memcpy(w->b, v + ps, (pe - ps) * sizeof *v);
            memcpy(w->b + (pe - ps), v + pm, (pa - pm) * sizeof *v);
            if (contains_break(w, w->b, 0, cl, &err)) {
                PUSH(last_break, pm + 1);
                last_break = pnext != (size_t)-1 ? pnext : pm + 1;
            }
            if (err) return 1;
        }
        if (flush) break;
        have = 1;
        pm = i;
        pa = aend;
        pnext = nt;
        ps = start;
        pe = i;
    }
    size_t rs = n;
    while (rs > 0 && S(v[rs - 1])) rs--;
    PUSH(last_break, rs);
#undef PUSH
    /* _realign_boundaries, in place: slices only shrink or merge forward */
    size_t m = w->sl_n / 2, o = 0, realign = 0;
    for (size_t k = 0; k < m; k++) {
        size_t b = w->sl[2 * k] + realign, e = w->sl[2 * k + 1];
        if (k + 1 == m) {
            if (b < e) w->sl[2 * o] = b, w->sl[2 * o + 1] = e, o++;
            continue;
        }
        size_t b2 = w->sl[2 * k + 2], e2 = w->sl[2 * k + 3];
        /* ["\')\]}]+?(?:\s+|(?=--)|$) at b2 (MULTILINE $) */
        size_t j = b2, mend = 0;
        int hit = 0;
        while (j < e2 && in(v[j], C_REALIGN)) {
            j++;
            if (j < e2 && S(v[j])) {
                mend = j;
                while (mend < e2 && S(v[mend])) mend++;
                hit = 1;
            } else if (j + 1 < e2 && v[j] == '-' && v[j + 1] == '-') {
                mend = j, hit = 1;
            } else if (j == e2 || v[j] == '\n') {
                mend = j, hit = 1;
            }
            if (hit) break;
        }
        if (hit) {
            w->sl[2 * o] = b, w->sl[2 * o + 1] = j, o++;
            realign = mend - b2;
        } else {
            realign = 0;
            if (b < e) w->sl[2 * o] = b, w->sl[2 * o + 1] = e, o++;
        }
    }
    w->sl_n = 2 * o;
    return 0;
}

int tmi_nltk_decode(tm_nltk *w, const char *text, size_t len) {
    if (tmi_grow((void **)&w->cp, &w->cp_cap, len + 1, sizeof *w->cp, 0)) return 1;
    w->cp_n = 0;
    for (size_t i = 0; i < len;) {
        int32_t c;
        i += tmi_utf8_decode(text + i, len - i, &c);
        w->cp[w->cp_n++] = c;
    }
    return 0;
}

tm_error tmi_nltk_count_sentences(tm_nltk *w, const char *text, size_t len, size_t *n) {
    if (tmi_nltk_decode(w, text ? text : "", text ? len : 0) || tmi_nltk_punkt(w))
        return TM_ERR_NOMEM;
    *n = w->sl_n / 2;
    return TM_OK;
}
