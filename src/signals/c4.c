/*
 * c4.c — the C4 line filter as datatrove's C4QualityFilter runs it
 * (quality-signals.md §5.2): a transformer that drops lines and may flag the
 * whole document, in a fixed order per line — long word, citation removal,
 * terminal punctuation, minimum words, "lorem ipsum" (document), javascript,
 * '{' (document), policy phrases — so that a line already dropped can no
 * longer flag the document.
 *
 * The reference lowercases with str.lower() before its substring tests; all
 * phrases are ASCII, and the only non-ASCII code point whose lowercase is an
 * ASCII letter usable in them is KELVIN SIGN (U+212A -> 'k'), so an ASCII
 * fold plus that one mapping gives the same matches without a Unicode
 * lowercase pass. Sentences are counted with a punctuation heuristic instead
 * of spaCy's sentencizer (docs/SIGNALS.md).
 */
#include "signals/signals.h"
#include "text/nltk.h"

#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

void tmi_c4_result_values(const tm_c4_result *r, double *v) {
    v[TM_SIG_C4_N_LINES] = (double)r->n_lines;
    v[TM_SIG_C4_KEPT_LINES] = (double)r->kept_lines;
    v[TM_SIG_C4_LONG_WORD_LINES] = (double)r->long_word_lines;
    v[TM_SIG_C4_NO_TERMINAL_PUNCT_LINES] = (double)r->no_terminal_punct_lines;
    v[TM_SIG_C4_FEW_WORDS_LINES] = (double)r->few_words_lines;
    v[TM_SIG_C4_JAVASCRIPT_LINES] = (double)r->javascript_lines;
    v[TM_SIG_C4_POLICY_LINES] = (double)r->policy_lines;
    v[TM_SIG_C4_CITATIONS] = (double)r->citations;
    v[TM_SIG_C4_LOREM_IPSUM] = r->lorem_ipsum;
    v[TM_SIG_C4_CURLY_BRACKET] = r->curly_bracket;
    v[TM_SIG_C4_N_SENTENCES] = (double)r->n_sentences;
}

void tmi_c4_opts_init(tm_c4_opts *o) {
    o->terminal_punct = 1;
    o->min_words_per_line = 3;
    o->max_word_length = 1000;
    o->javascript = 1;
    o->policy = 1;
    o->citations = 1;
    o->lorem_ipsum = 1;
    o->curly_bracket = 1;
    o->punkt_sentences = 0;
}

/* Deletes \[\d*\]|\[edit\]|\[citation needed\] (Python re, leftmost match,
 * alternatives in that order); returns the number of deletions. */
static size_t remove_citations(const char *p, size_t n, tm_buf *out) {
    size_t i = 0, count = 0, copied = 0;
    tmi_buf_reset(out);
    while (i < n) {
        const char *q = memchr(p + i, '[', n - i);
        if (!q) break;
        size_t at = (size_t)(q - p), j = at + 1, end = 0;
        while (j < n) {
            int32_t cp;
            size_t k = tmi_utf8_decode(p + j, n - j, &cp);
            if (!tmi_is_decimal(cp)) break;
            j += k;
        }
        if (j < n && p[j] == ']')
            end = j + 1;
        else if (n - at >= 6 && memcmp(p + at, "[edit]", 6) == 0)
            end = at + 6;
        else if (n - at >= 17 && memcmp(p + at, "[citation needed]", 17) == 0)
            end = at + 17;
        if (end) {
            tmi_buf_append(out, p + copied, at - copied);
            copied = end;
            count++;
            i = end;
        } else {
            i = at + 1;
        }
    }
    tmi_buf_append(out, p + copied, n - copied);
    return count;
}

/* Lead bytes of the non-ASCII whitespace code points (U+0085, U+00A0,
 * U+1680, U+2000..U+205F, U+3000): any other lead byte starts a non-space. */
static inline int may_be_space(unsigned c) {
    return c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3;
}

/* line.split(): number of words (counting stops at max_words when it is
 * not 0) and, when longest is not NULL, the code-point length of the
 * longest word. Continuation bytes belong to the code point before them. */
static size_t count_words(const char *s, size_t n, size_t max_words, size_t *longest) {
    const unsigned char *p = (const unsigned char *)s;
    size_t words = 0, cur = 0, lng = 0, i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            if (tmi_latin1_flags[c] & TM_CF_SPACE) {
                cur = 0;
                i++;
                continue;
            }
        } else if ((c & 0xC0) == 0x80) {
            i++;
            continue;
        } else if (may_be_space(c)) {
            size_t adv;
            if (tmi_space_at(s + i, n - i, &adv)) {
                cur = 0;
                i += adv;
                continue;
            }
        }
        i++;
        if (cur++ == 0) {
            words++;
            if (!longest && words == max_words) break;
        }
        if (cur > lng) lng = cur;
    }
    if (longest) *longest = lng;
    return words;
}

/* Whether line.split() has a word of more than max code points. Such a word
 * spans more than max bytes with no whitespace, so the scan looks at byte
 * i + max first and walks back to the nearest ASCII whitespace byte j: no
 * long word starts in [i, j], and the scan resumes at j + 1, about max
 * bytes further. Only a stretch of max + 1 bytes without ASCII whitespace
 * (a real long word, or text without spaces) is counted code point by
 * code point, from the last position the skipping reached. */
static int has_long_word(const char *s, size_t n, size_t max) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (n - i > max) {
        size_t j = i + max;
        while (j >= i && !(p[j] < 0x80 && (tmi_latin1_flags[p[j]] & TM_CF_SPACE))) {
            if (j == i) break;
            j--;
        }
        if (p[j] < 0x80 && (tmi_latin1_flags[p[j]] & TM_CF_SPACE)) {
            i = j + 1;
            continue;
        }
        /* i is at a code point boundary: 0, or just after an ASCII byte */
        size_t longest;
        count_words(s + i, n - i, 0, &longest);
        return longest > max;
    }
    return 0;
}

/* Case-insensitive (ASCII) match of a lowercase phrase at q. */
static int phrase_at(const char *q, const char *ph, size_t n) {
    for (size_t k = 0; k < n; k++) {
        unsigned c = (unsigned char)q[k], pc = (unsigned char)ph[k];
        if (pc >= 'a' ? (c | 0x20) != pc : c != pc) return 0;
    }
    return 1;
}

static void ascii_lower(const char *p, size_t n, tm_buf *out) {
    tmi_buf_reset(out);
    if (tmi_buf_reserve(out, n)) return;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == 0xE2 && i + 2 < n && (unsigned char)p[i + 1] == 0x84 &&
            (unsigned char)p[i + 2] == 0xAA) { /* U+212A KELVIN SIGN */
            out->data[o++] = 'k';
            i += 2;
            continue;
        }
        out->data[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out->len = o;
    out->data[o] = '\0';
}

enum { PH_LOREM = 1, PH_JAVASCRIPT = 2, PH_POLICY = 4 };

/* Which phrases the line contains, ignoring ASCII case, in one scan. Every
 * phrase starts with one of six letter pairs (lo ja te pr co us); two
 * table lookups flag a position where such a pair starts (a few percent of
 * positions in prose, so the branch is well predicted), and the phrase is
 * confirmed there. */
static unsigned find_phrases(const char *p, size_t n) {
    enum { G_LO = 1, G_JA = 2, G_TE = 4, G_PR = 8, G_CO = 16, G_US = 32 };
    static const uint8_t first[256] = {
        ['l'] = G_LO, ['j'] = G_JA, ['t'] = G_TE, ['p'] = G_PR, ['c'] = G_CO, ['u'] = G_US,
        ['L'] = G_LO, ['J'] = G_JA, ['T'] = G_TE, ['P'] = G_PR, ['C'] = G_CO, ['U'] = G_US};
    static const uint8_t second[256] = {
        ['o'] = G_LO | G_CO, ['a'] = G_JA, ['e'] = G_TE, ['r'] = G_PR, ['s'] = G_US,
        ['O'] = G_LO | G_CO, ['A'] = G_JA, ['E'] = G_TE, ['R'] = G_PR, ['S'] = G_US};
    const unsigned char *u = (const unsigned char *)p;
    unsigned found = 0;
#define PH(str, bit)                                                                               \
    if (!(found & (bit)) && rest >= sizeof(str) - 1 && phrase_at(q, str, sizeof(str) - 1))         \
    found |= (bit)
    for (size_t i = 0; i + 10 <= n; i++) { /* the shortest phrase has 10 bytes */
        unsigned g = first[u[i]] & second[u[i + 1]];
        if (!g) continue;
        const char *q = p + i;
        size_t rest = n - i;
        switch (g) {
        case G_LO: PH("lorem ipsum", PH_LOREM); break;
        case G_JA: PH("javascript", PH_JAVASCRIPT); break;
        case G_TE: PH("terms of use", PH_POLICY); break;
        case G_PR: PH("privacy policy", PH_POLICY); break;
        case G_CO: PH("cookie policy", PH_POLICY); break;
        default:
            PH("uses cookies", PH_POLICY);
            else PH("use of cookies", PH_POLICY);
            else PH("use cookies", PH_POLICY);
            break;
        }
        if (found == (PH_LOREM | PH_JAVASCRIPT | PH_POLICY)) break;
    }
#undef PH
    return found;
}

/* str.lower() turns KELVIN SIGN (E2 84 AA) into 'k', so a line that has one
 * is searched in a lowered copy. */
static int has_kelvin(const char *p, size_t n) {
    const char *e = p + n;
    for (const char *q = p; (q = memchr(q, '\xE2', (size_t)(e - q))) != NULL; q++)
        if (e - q >= 3 && q[1] == '\x84' && q[2] == '\xAA') return 1;
    return 0;
}

/* Sentences of a line: each run of terminal punctuation followed by
 * whitespace or the end closes one; trailing text without one is one more. */
static size_t count_sentences(const char *p, size_t n) {
    size_t i = 0, count = 0;
    int content = 0;
    while (i < n) {
        int32_t cp;
        size_t k;
        unsigned f;
        if ((unsigned char)p[i] < 0x80) {
            f = tmi_latin1_flags[(unsigned char)p[i]];
            k = 1;
        } else {
            k = tmi_utf8_decode(p + i, n - i, &cp);
            f = tmi_is_terminal_punct(cp) ? TM_CF_TERMINAL : tmi_is_space(cp) ? TM_CF_SPACE : 0;
        }
        if (f & TM_CF_TERMINAL) {
            size_t j = i + k;
            while (j < n) {
                if ((unsigned char)p[j] < 0x80) {
                    if (!(tmi_latin1_flags[(unsigned char)p[j]] & TM_CF_TERMINAL)) break;
                    j++;
                } else {
                    size_t kk = tmi_utf8_decode(p + j, n - j, &cp);
                    if (!tmi_is_terminal_punct(cp)) break;
                    j += kk;
                }
            }
            size_t adv;
            if (content && (j == n || tmi_space_at(p + j, n - j, &adv))) {
                count++;
                content = 0;
            }
            i = j;
            continue;
        }
        content |= !(f & TM_CF_SPACE); /* no branch: it would follow every word */
        i += k;
    }
    return count + (size_t)content;
}

tm_error tmi_c4_run(tm_scorer *s, const char *text, size_t len, const tm_c4_opts *o, tm_buf *out,
                    tm_c4_result *r) {
    if (!text) text = "";
    tm_error e = tmi_split_pylines(text, len, &s->c4lines);
    if (e) {
        memset(r, 0, sizeof *r);
        tmi_buf_reset(out);
        return e;
    }
    return tmi_c4_run_lines(s, text, len, &s->c4lines, o, out, r);
}

/*
 * One pass over the lines, in datatrove's order. Each test reads the text
 * in place where it can: the word scan that finds over-long words runs
 * only on lines long enough to hold one, a line is copied only when it has
 * a citation to delete, words are counted only up to the minimum, and only
 * lines that reach the phrase tests are lowercased.
 */
tm_error tmi_c4_run_lines(tm_scorer *s, const char *text, size_t len, const tm_spans *lines,
                          const tm_c4_opts *o, tm_buf *out, tm_c4_result *r) {
    tm_buf *line = &s->c4line, *lower = &s->c4lower;
    tm_error e = TM_OK;
    memset(r, 0, sizeof *r);
    tmi_buf_reset(out);
    if (!text) text = "";
    (void)len;
    r->n_lines = lines->n;
    int first = 1;
    for (size_t li = 0; li < lines->n; li++) {
        size_t b = lines->v[li].beg, en = lines->v[li].end;
        tmi_strip(text, &b, &en);
        /* words = line.split() of the stripped line, before citation
         * removal; a word longer than max_word_length code points needs
         * more bytes than that */
        if (o->max_word_length > 0 && en - b > (size_t)o->max_word_length &&
            has_long_word(text + b, en - b, (size_t)o->max_word_length)) {
            r->long_word_lines++;
            continue;
        }
        const char *lp = text + b;
        size_t ll = en - b;
        if (o->citations && memchr(lp, '[', ll)) {
            r->citations += remove_citations(lp, ll, line);
            if (tmi_buf_reserve(line, 1)) return TM_ERR_NOMEM;
            lp = line->data;
            ll = line->len;
        }
        if (o->terminal_punct) {
            char c = ll ? lp[ll - 1] : 0;
            int ok = c == '.' || c == '?' || c == '!' || c == '"' || c == '\'';
            if (!ok || (ll >= 3 && memcmp(lp + ll - 3, "...", 3) == 0)) {
                r->no_terminal_punct_lines++;
                continue;
            }
        }
        if (o->min_words_per_line > 0 &&
            count_words(text + b, en - b, (size_t)o->min_words_per_line, NULL) <
                (size_t)o->min_words_per_line) {
            r->few_words_lines++;
            continue;
        }
        unsigned ph;
        if (!has_kelvin(lp, ll)) {
            ph = find_phrases(lp, ll);
        } else {
            ascii_lower(lp, ll, lower);
            ph = lower->len ? find_phrases(lower->data, lower->len) : 0;
        }
        if (o->lorem_ipsum && (ph & PH_LOREM)) {
            if (!r->first_doc_flag) r->first_doc_flag = 1;
            r->lorem_ipsum = 1;
        }
        if (o->javascript && (ph & PH_JAVASCRIPT)) {
            r->javascript_lines++;
            continue;
        }
        if (o->curly_bracket && ll && memchr(lp, '{', ll)) {
            if (!r->first_doc_flag) r->first_doc_flag = 2;
            r->curly_bracket = 1;
        }
        if (o->policy && (ph & PH_POLICY)) {
            r->policy_lines++;
            continue;
        }
        r->kept_lines++;
        if (o->punkt_sentences) {
            /* datatrove: len(split_into_sentences(line)), NLTK's Punkt */
            size_t ns;
            if (!s->nltk && !(s->nltk = calloc(1, sizeof *s->nltk))) return TM_ERR_NOMEM;
            if ((e = tmi_nltk_count_sentences(s->nltk, lp, ll, &ns))) return e;
            r->n_sentences += ns;
        } else {
            r->n_sentences += count_sentences(lp, ll);
        }
        if (!first && (e = tmi_buf_putc(out, '\n'))) return e;
        if ((e = tmi_buf_append(out, lp, ll))) return e;
        first = 0;
    }
    /* "\n".join(kept).strip() */
    if (out->data) {
        size_t b = 0, en = out->len;
        tmi_strip(out->data, &b, &en);
        memmove(out->data, out->data + b, en - b);
        out->len = en - b;
        out->data[out->len] = '\0';
    }
    return TM_OK;
}
