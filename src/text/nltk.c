/*
 * nltk.c — a port of the two NLTK tokenizers that datatrove's English
 * filters count with (see nltk.h): Punkt's sentence splitter with empty
 * parameters (no abbreviations, collocations or orthographic statistics:
 * every '.', '?', '!' that ends a Punkt word is a break, except after an
 * initial or a number when the next word does not look like a sentence
 * start) and NLTKWordTokenizer, a fixed sequence of regular-expression
 * substitutions (nltk/tokenize/destructive.py, NLTK 3.8).
 *
 * Both work on code points, as Python does. Each substitution of
 * NLTKWordTokenizer is one pass that reads one buffer and writes the other,
 * reproducing the leftmost, non-overlapping matching of re.sub, including
 * the spaces it inserts: later patterns (clitics, "'tis") test for them.
 * Python's \w, \d and \s are tm_is_word, tm_is_decimal and tm_is_space;
 * (?i) is ASCII case folding (Python also folds U+017F and U+212A, which no
 * pattern here can meet in a word it would split).
 */
#include "text/nltk.h"

#include <stdlib.h>
#include <string.h>

void tm_nltk_free(tm_nltk *w) {
    free(w->cp);
    free(w->a);
    free(w->b);
    free(w->sl);
    free(w->pt);
    memset(w, 0, sizeof *w);
}

static int grow(void **p, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *q = realloc(*p, c * size);
    if (!q) return 1;
    *p = q;
    *cap = c;
    return 0;
}

/* The passes test the classes of every code point many times: a cache of
 * the flags of recent non-Latin-1 code points (one per thread, as the
 * tokenizer is called from the filter's worker threads) saves the binary
 * searches of tm_char_flags. */
static _Thread_local tm_fcache fc;

static inline unsigned F(int32_t c) {
    return (uint32_t)c < 256 ? tm_latin1_flags[c] : tm_cflags_c(&fc, c);
}
static inline int W(int32_t c) {
    return (F(c) & TM_CF_WORD) != 0;
}
static inline int S(int32_t c) {
    return (F(c) & TM_CF_SPACE) != 0;
}
static inline int D(int32_t c) {
    return (F(c) & TM_CF_DECIMAL) != 0;
}
/* ASCII sets of the patterns, one bit each (the table below). */
enum {
    C_MSTDN = 1 << 0,
    C_SMD = 1 << 1,
    C_NONWORD = 1 << 2,
    C_CLS = 1 << 3,
    C_NOSTART = 1 << 4,
    C_ORTHO = 1 << 5,
    C_END = 1 << 6,
    C_NUM = 1 << 7,
    C_OPEN = 1 << 8,
    C_CC = 1 << 9,
    C_REALIGN = 1 << 10,
    C_DOT = 1 << 11,
    C_PAD1 = 1 << 12,
    C_QE = 1 << 13,
    C_STAR = 1 << 14,
    C_PARENS = 1 << 15,
    C_DQ = 1 << 16,
    C_SQ = 1 << 17,
    C_BT = 1 << 18,
    C_DASH = 1 << 19,
};

static const uint32_t ascii_sets[128] = {
    [' '] = C_OPEN,
    ['!'] = C_NONWORD | C_ORTHO | C_END | C_QE,
    ['"'] = C_NONWORD | C_CLS | C_NOSTART | C_REALIGN | C_DQ,
    ['#'] = C_NOSTART | C_PAD1,
    ['$'] = C_PAD1,
    ['%'] = C_PAD1,
    ['&'] = C_NOSTART | C_PAD1,
    ['\''] = C_NONWORD | C_CLS | C_REALIGN | C_SQ,
    ['('] = C_NONWORD | C_NOSTART | C_OPEN | C_PARENS,
    [')'] = C_NONWORD | C_CLS | C_NOSTART | C_REALIGN | C_PARENS,
    ['*'] = C_NONWORD | C_NOSTART | C_STAR,
    [','] = C_NOSTART | C_ORTHO | C_NUM | C_CC,
    ['-'] = C_NOSTART | C_NUM | C_DASH,
    ['.'] = C_ORTHO | C_END | C_NUM | C_DOT,
    [':'] = C_NONWORD | C_NOSTART | C_ORTHO | C_CC,
    [';'] = C_NONWORD | C_NOSTART | C_ORTHO | C_PAD1,
    ['<'] = C_OPEN | C_PARENS,
    ['>'] = C_CLS | C_PARENS,
    ['?'] = C_NONWORD | C_ORTHO | C_END | C_QE,
    ['@'] = C_NONWORD | C_NOSTART | C_PAD1,
    ['D'] = C_SMD,
    ['M'] = C_SMD,
    ['S'] = C_SMD,
    ['['] = C_NONWORD | C_NOSTART | C_OPEN | C_PARENS,
    [']'] = C_NONWORD | C_CLS | C_NOSTART | C_REALIGN | C_PARENS,
    ['`'] = C_NOSTART | C_BT,
    ['d'] = C_MSTDN | C_SMD,
    ['m'] = C_MSTDN | C_SMD,
    ['n'] = C_MSTDN,
    ['s'] = C_MSTDN | C_SMD,
    ['t'] = C_MSTDN,
    ['{'] = C_NONWORD | C_NOSTART | C_OPEN | C_PARENS,
    ['}'] = C_NONWORD | C_CLS | C_NOSTART | C_REALIGN | C_PARENS,
};

static inline int in(int32_t c, unsigned set) {
    return c >= 0 && c < 128 && (ascii_sets[c] & set) != 0;
}
static inline int32_t ascii_low(int32_t c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* ---- NLTKWordTokenizer: one buffer in, one out ---- */

typedef struct vec {
    int32_t *v;
    size_t n;
} vec;

typedef struct pass {
    tm_nltk *w;
    vec in, out;
    size_t out_cap;
    int out_a; /* out is w->a (else w->b) */
    int err;   /* out of memory: END fails */
} pass;

/* out starts with room for its input plus 16 (final_period copies in
 * place) and grows as the pass inserts: up to 4 code points for one ('"'
 * becomes " '' "), but one input large enough to matter is mostly words. */
static int grow_out(pass *p) {
    int32_t **buf = p->out_a ? &p->w->a : &p->w->b;
    size_t *cap = p->out_a ? &p->w->a_cap : &p->w->b_cap;
    if (grow((void **)buf, cap, p->out.n + 1, sizeof(int32_t))) return p->err = 1;
    p->out.v = *buf;
    p->out_cap = *cap;
    return 0;
}
static inline void put(pass *p, int32_t c) {
    if (p->out.n == p->out_cap && grow_out(p)) return;
    p->out.v[p->out.n++] = c;
}
static void put_str(pass *p, const char *s) {
    while (*s) put(p, (unsigned char)*s++);
}

/* swaps out into in for the next pass */
static int next(pass *p) {
    if (p->err) return 1;
    p->in = p->out;
    /* the buffer in was reading becomes the next output */
    p->out_a = !p->out_a;
    if (p->out_a) {
        if (grow((void **)&p->w->a, &p->w->a_cap, p->in.n + 16, sizeof(int32_t))) return 1;
        p->out.v = p->w->a;
        p->out_cap = p->w->a_cap;
    } else {
        if (grow((void **)&p->w->b, &p->w->b_cap, p->in.n + 16, sizeof(int32_t))) return 1;
        p->out.v = p->w->b;
        p->out_cap = p->w->b_cap;
    }
    p->out.n = 0;
    return 0;
}

#define IN(i) ((i) < n ? v[i] : -1)

/* Pads every code point of set (or, with runs, every maximal run of one of
 * them when at least min long) with a space on both sides. */
static void pad(pass *p, unsigned set, int runs, size_t min) {
    const int32_t *v = p->in.v;
    size_t n = p->in.n;
    for (size_t i = 0; i < n;) {
        if (in(v[i], set)) {
            size_t j = i + 1;
            if (runs)
                while (j < n && v[j] == v[i]) j++;
            if (j - i >= min) {
                put(p, ' ');
                for (size_t k = i; k < j; k++) put(p, v[k]);
                put(p, ' ');
            } else {
                for (size_t k = i; k < j; k++) put(p, v[k]);
            }
            i = j;
        } else {
            put(p, v[i++]);
        }
    }
}

/* pad() for the non-ASCII sets («“‘„ and »”’) */
static void pad_cps(pass *p, const int32_t *set, size_t ns) {
    const int32_t *v = p->in.v;
    for (size_t i = 0; i < p->in.n; i++) {
        int hit = 0;
        for (size_t k = 0; k < ns; k++) hit |= v[i] == set[k];
        if (hit) put(p, ' ');
        put(p, v[i]);
        if (hit) put(p, ' ');
    }
}

/* ([^\.])(\.)(CLS*)\s*$ -> \1 \2 \3 (sep = " ") or \1 \2\3 (sep = "")
 * where CLS is ])}>"' plus, with wide, »”’ and the space. The only
 * candidate is the '.' before the longest suffix of CLS then whitespace. */
static void final_period(pass *p, int wide) {
    const int32_t *v = p->in.v;
    size_t n = p->in.n;
#define CLS(c)                                                                                     \
    (in(c, C_CLS) || (wide && ((c) == ' ' || (c) == 0xBB || (c) == 0x201D || (c) == 0x2019)))
    size_t ws = n;
    while (ws > 0 && S(v[ws - 1])) ws--;
    size_t cf = ws;
    while (cf > 0 && CLS(v[cf - 1])) cf--;
    if (cf < 2 || v[cf - 1] != '.' || v[cf - 2] == '.') {
        memcpy(p->out.v, v, n * sizeof *v);
        p->out.n = n;
        return;
    }
    size_t r = cf; /* greedy CLS run from cf */
    while (r < n && CLS(v[r])) r++;
#undef CLS
    memcpy(p->out.v, v, (cf - 1) * sizeof *v);
    p->out.n = cf - 1;
    put(p, ' ');
    put(p, '.');
    if (wide) put(p, ' ');
    for (size_t k = cf; k < r; k++) put(p, v[k]);
    put(p, ' ');
}

static void starting_quotes(pass *p) {
    const int32_t *v = p->in.v;
    size_t n = p->in.n;
    /* ([«“‘„]|[`]+) -> " \1 " */
    {
        for (size_t i = 0; i < n;) {
            if (v[i] == 0xAB || v[i] == 0x201C || v[i] == 0x2018 || v[i] == 0x201E) {
                put(p, ' '), put(p, v[i++]), put(p, ' ');
            } else if (v[i] == '`') {
                put(p, ' ');
                while (i < n && v[i] == '`') put(p, v[i++]);
                put(p, ' ');
            } else {
                put(p, v[i++]);
            }
        }
    }
}

static int word_tokenize(tm_nltk *w, const int32_t *s, size_t sn, tm_buf *buf, tm_spans *toks) {
    pass P = {.w = w};
    pass *p = &P;
    if (grow((void **)&w->a, &w->a_cap, sn + 16, sizeof(int32_t)) ||
        grow((void **)&w->b, &w->b_cap, sn + 16, sizeof(int32_t)))
        return 1;
    memcpy(w->a, s, sn * sizeof *s);
    p->in = (vec){w->a, sn};
    p->out = (vec){w->b, 0};
    p->out_cap = w->b_cap;
    p->out_a = 0;
    const int32_t *v;
    size_t n;
#define BEGIN                                                                                      \
    v = p->in.v;                                                                                   \
    n = p->in.n;                                                                                   \
    (void)v;                                                                                       \
    (void)n
#define END                                                                                        \
    if (next(p)) return 1
    /* Which pattern characters the sentence has: a pass whose characters
     * are absent would copy its input unchanged, and is skipped. A '"'
     * becomes `` or '' on the way, so it counts for both. */
    unsigned have = 0;
    int oq = 0, cq = 0;
    for (size_t i = 0; i < sn; i++) {
        int32_t c = s[i];
        if (c < 128)
            have |= c >= 0 ? ascii_sets[c] : 0;
        else if (c == 0xAB || c == 0x201C || c == 0x2018 || c == 0x201E)
            oq = 1;
        else if (c == 0xBB || c == 0x201D || c == 0x2019)
            cq = 1;
    }
#define HAVE(bits) ((have & (bits)) != 0)
    /* STARTING_QUOTES */
    if (HAVE(C_BT) || oq) {
        starting_quotes(p);
        END;
    }
    if (HAVE(C_DQ)) {
        BEGIN; /* ^\" -> `` */
        for (size_t i = 0; i < n; i++) {
            if (i == 0 && v[0] == '"')
                put_str(p, "``");
            else
                put(p, v[i]);
        }
        END;
    }
    if (HAVE(C_BT | C_DQ)) {
        BEGIN; /* (``) -> " \1 " */
        for (size_t i = 0; i < n;) {
            if (v[i] == '`' && IN(i + 1) == '`') {
                put_str(p, " `` ");
                i += 2;
            } else {
                put(p, v[i++]);
            }
        }
        END;
    }
    if (HAVE(C_DQ | C_SQ)) {
        BEGIN; /* ([ \(\[{<])(\"|\'{2}) -> "\1 `` " */
        for (size_t i = 0; i < n;) {
            if (in(v[i], C_OPEN) && IN(i + 1) == '"') {
                put(p, v[i]), put_str(p, " `` ");
                i += 2;
            } else if (in(v[i], C_OPEN) && IN(i + 1) == '\'' && IN(i + 2) == '\'') {
                put(p, v[i]), put_str(p, " `` ");
                i += 3;
            } else {
                put(p, v[i++]);
            }
        }
        END;
    }
    if (HAVE(C_SQ)) {
        BEGIN; /* (?i)(\')(?!re|ve|ll|m|t|s|d|n)(\w)\b -> "\1 \2" */
        for (size_t i = 0; i < n;) {
            int32_t c = IN(i + 1);
            if (v[i] == '\'' && c >= 0 && W(c) && !in(ascii_low(c), C_MSTDN) && c != 0x17F &&
                !(i + 2 < n && W(v[i + 2]))) {
                put(p, '\''), put(p, ' '), put(p, c);
                i += 2;
            } else {
                put(p, v[i++]);
            }
        }
        END;
    }
    /* PUNCTUATION */
    final_period(p, 1);
    END;
    if (HAVE(C_CC)) {
        BEGIN; /* ([:,])([^\d]) -> " \1 \2" */
        for (size_t i = 0; i < n;) {
            if (in(v[i], C_CC) && i + 1 < n && !D(v[i + 1])) {
                put(p, ' '), put(p, v[i]), put(p, ' '), put(p, v[i + 1]);
                i += 2;
            } else {
                put(p, v[i++]);
            }
        }
        END;
    }
    if (HAVE(C_CC)) {
        BEGIN; /* ([:,])$ -> " \1 " ($: the end, or before a final LF) */
        {
            size_t at = n && in(v[n - 1], C_CC)                            ? n - 1
                        : n >= 2 && v[n - 1] == '\n' && in(v[n - 2], C_CC) ? n - 2
                                                                           : (size_t)-1;
            for (size_t i = 0; i < n; i++) {
                if (i == at)
                    put(p, ' '), put(p, v[i]), put(p, ' ');
                else
                    put(p, v[i]);
            }
        }
        END;
    }
    if (HAVE(C_DOT)) {
        pad(p, C_DOT, 1, 2); /* \.{2,} */
        END;
    }
    if (HAVE(C_PAD1)) {
        pad(p, C_PAD1, 0, 1);
        END;
    }
    final_period(p, 0);
    END;
    if (HAVE(C_QE)) {
        pad(p, C_QE, 0, 1);
        END;
    }
    if (HAVE(C_SQ)) {
        BEGIN; /* ([^'])' -> "\1 ' " */
        for (size_t i = 0; i < n;) {
            if (v[i] != '\'' && IN(i + 1) == '\'' && IN(i + 2) == ' ') {
                put(p, v[i]), put_str(p, " ' ");
                i += 3;
            } else {
                put(p, v[i++]);
            }
        }
        END;
    }
    if (HAVE(C_STAR)) {
        pad(p, C_STAR, 0, 1);
        END;
    }
    if (HAVE(C_PARENS)) {
        pad(p, C_PARENS, 0, 1); /* PARENS_BRACKETS */
        END;
    }
    if (HAVE(C_DASH)) {
        BEGIN; /* DOUBLE_DASHES */
        for (size_t i = 0; i < n;) {
            if (v[i] == '-' && IN(i + 1) == '-') {
                put_str(p, " -- ");
                i += 2;
            } else {
                put(p, v[i++]);
            }
        }
        END;
    }
    BEGIN; /* " " + text + " " */
    put(p, ' ');
    for (size_t i = 0; i < n; i++) put(p, v[i]);
    put(p, ' ');
    END;
    /* ENDING_QUOTES */
    if (cq) {
        pad_cps(p, (const int32_t[]){0xBB, 0x201D, 0x2019}, 3);
        END;
    }
    if (HAVE(C_SQ | C_DQ)) {
        BEGIN; /* '' -> " '' " */
        for (size_t i = 0; i < n;) {
            if (v[i] == '\'' && IN(i + 1) == '\'') {
                put_str(p, " '' ");
                i += 2;
            } else {
                put(p, v[i++]);
            }
        }
        END;
    }
    if (HAVE(C_DQ)) {
        BEGIN; /* " -> " '' " */
        for (size_t i = 0; i < n; i++) {
            if (v[i] == '"')
                put_str(p, " '' ");
            else
                put(p, v[i]);
        }
        END;
    }
    if (HAVE(C_SQ | C_DQ)) {
        BEGIN; /* ([^' ])('[sS]|'[mM]|'[dD]|') -> "\1 \2 " */
        for (size_t i = 0; i < n;) {
            if (v[i] != '\'' && v[i] != ' ' && IN(i + 1) == '\'') {
                if (in(IN(i + 2), C_SMD) && IN(i + 3) == ' ') {
                    put(p, v[i]), put(p, ' '), put(p, '\''), put(p, v[i + 2]), put(p, ' ');
                    i += 4;
                    continue;
                }
                if (IN(i + 2) == ' ') {
                    put(p, v[i]), put_str(p, " ' ");
                    i += 3;
                    continue;
                }
            }
            put(p, v[i++]);
        }
        END;
    }
    if (HAVE(C_SQ | C_DQ)) {
        BEGIN; /* ([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) -> "\1 \2 " */
        for (size_t i = 0; i < n;) {
            if (v[i] != '\'' && v[i] != ' ' && i + 4 < n && v[i + 4] == ' ') {
                static const char *const cl[] = {"'ll", "'LL", "'re", "'RE",
                                                 "'ve", "'VE", "n't", "N'T"};
                int hit = 0;
                for (size_t k = 0; k < 8 && !hit; k++)
                    hit = v[i + 1] == cl[k][0] && v[i + 2] == cl[k][1] && v[i + 3] == cl[k][2];
                if (hit) {
                    put(p, v[i]), put(p, ' '), put(p, v[i + 1]), put(p, v[i + 2]), put(p, v[i + 3]);
                    put(p, ' ');
                    i += 5;
                    continue;
                }
            }
            put(p, v[i++]);
        }
        END;
    }
    /* CONTRACTIONS2: (?i)\b(A)(B)\b -> " \1 \2 " ("wanna": (?=\s) after) */
    static const struct {
        const char *a, *b;
    } c2[] = {{"can", "not"}, {"d", "'ye"},  {"gim", "me"},  {"gon", "na"},
              {"got", "ta"},  {"lem", "me"}, {"more", "'n"}, {"wan", "na"}};
    for (size_t k = 0; k < 8; k++) {
        BEGIN;
        size_t la = strlen(c2[k].a), lb = strlen(c2[k].b), l = la + lb;
        for (size_t i = 0; i < n;) {
            int hit = ascii_low(v[i]) == c2[k].a[0] && i + l <= n && (i == 0 || !W(v[i - 1]));
            for (size_t j = 0; hit && j < l; j++) {
                int32_t want = j < la ? c2[k].a[j] : c2[k].b[j - la];
                hit = ascii_low(v[i + j]) == want;
            }
            if (hit) hit = k == 7 ? i + l < n && S(v[i + l]) : i + l == n || !W(v[i + l]);
            if (hit) {
                put(p, ' ');
                for (size_t j = 0; j < la; j++) put(p, v[i + j]);
                put(p, ' ');
                for (size_t j = la; j < l; j++) put(p, v[i + j]);
                put(p, ' ');
                i += l;
            } else {
                put(p, v[i++]);
            }
        }
        END;
    }
    /* CONTRACTIONS3: (?i) ('t)(is)\b and (?i) ('t)(was)\b -> " \1 \2 " */
    for (int k = 0; k < 2 && HAVE(C_SQ | C_DQ); k++) {
        BEGIN;
        const char *b = k ? "was" : "is";
        size_t lb = strlen(b);
        for (size_t i = 0; i < n;) {
            int hit =
                v[i] == ' ' && i + 3 + lb <= n && v[i + 1] == '\'' && ascii_low(v[i + 2]) == 't';
            for (size_t j = 0; hit && j < lb; j++) hit = ascii_low(v[i + 3 + j]) == b[j];
            if (hit) hit = i + 3 + lb == n || !W(v[i + 3 + lb]);
            if (hit) {
                put(p, ' '), put(p, ' '), put(p, '\''), put(p, v[i + 2]), put(p, ' ');
                for (size_t j = 0; j < lb; j++) put(p, v[i + 3 + j]);
                put(p, ' ');
                i += 3 + lb;
            } else {
                put(p, v[i++]);
            }
        }
        END;
    }
#undef BEGIN
#undef END
#undef HAVE
    /* text.split(), then datatrove's strip and drop of empty tokens */
    v = p->in.v;
    n = p->in.n;
    for (size_t i = 0; i < n;) {
        while (i < n && S(v[i])) i++;
        if (i == n) break;
        if (buf->len && tm_buf_putc(buf, ' ')) return 1;
        size_t beg = buf->len;
        while (i < n && !S(v[i])) {
            char u[4];
            size_t k = tm_utf8_encode(v[i++], u);
            if (tm_buf_append(buf, u, k)) return 1;
        }
        if (tm_spans_push(toks, beg, buf->len)) return 1;
    }
    return 0;
}

/* ---- Punkt (untrained) ---- */

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
        if (grow((void **)&w->pt, &w->pt_cap, w->pt_n + 2, sizeof *w->pt)) return 1;
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
                int upper = tm_is_upper(s2[0]), lower = tm_is_lower(s2[0]);
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

/* Sentence slices of w->cp (realigned), into w->sl. */
static int punkt(tm_nltk *w) {
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
        if (grow((void **)&w->sl, &w->sl_cap, w->sl_n + 2, sizeof *w->sl)) return 1;               \
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
            if (grow((void **)&w->b, &w->b_cap, cl + 1, sizeof(int32_t))) return 1;
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

static int decode_all(tm_nltk *w, const char *text, size_t len) {
    if (grow((void **)&w->cp, &w->cp_cap, len + 1, sizeof *w->cp)) return 1;
    w->cp_n = 0;
    for (size_t i = 0; i < len;) {
        int32_t c;
        i += tm_utf8_decode(text + i, len - i, &c);
        w->cp[w->cp_n++] = c;
    }
    return 0;
}

tm_error tm_nltk_words(tm_nltk *w, const char *text, size_t len, tm_buf *buf, tm_spans *toks) {
    tm_buf_reset(buf);
    toks->n = 0;
    if (!text) text = "";
    if (decode_all(w, text, len) || punkt(w)) return TM_ERR_NOMEM;
    /* the slices stay valid: word_tokenize only uses a, b and buf */
    for (size_t k = 0; k + 1 < w->sl_n; k += 2) {
        size_t b = w->sl[k], e = w->sl[k + 1];
        if (word_tokenize(w, w->cp + b, e - b, buf, toks)) return TM_ERR_NOMEM;
    }
    if (tm_buf_reserve(buf, 1)) return TM_ERR_NOMEM;
    return TM_OK;
}

tm_error tm_nltk_count_sentences(tm_nltk *w, const char *text, size_t len, size_t *n) {
    if (decode_all(w, text ? text : "", text ? len : 0) || punkt(w)) return TM_ERR_NOMEM;
    *n = w->sl_n / 2;
    return TM_OK;
}
