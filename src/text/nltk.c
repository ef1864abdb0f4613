/*
 * nltk.c — a port of NLTKWordTokenizer (nltk/tokenize/destructive.py,
 * NLTK 3.8), the word tokenizer that datatrove's English filters count
 * with (see nltk.h), run on each sentence of untrained Punkt (punkt.c): a
 * fixed sequence of regular-expression substitutions, then str.split().
 *
 * It works on code points, as Python does. Each substitution of
 * NLTKWordTokenizer is one pass that reads one buffer and writes the other,
 * reproducing the leftmost, non-overlapping matching of re.sub, including
 * the spaces it inserts: later patterns (clitics, "'tis") test for them.
 * Python's \w, \d and \s are tmi_is_word, tmi_is_decimal and tmi_is_space;
 * (?i) is ASCII case folding (Python also folds U+017F and U+212A, which no
 * pattern here can meet in a word it would split).
 */
#include "text/nltk_int.h"

void tmi_nltk_free(tm_nltk *w) {
    free(w->cp);
    free(w->a);
    free(w->b);
    free(w->sl);
    free(w->pt);
    memset(w, 0, sizeof *w);
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
    if (tmi_grow((void **)buf, cap, p->out.n + 1, sizeof(int32_t), 0)) return p->err = 1;
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
        if (tmi_grow((void **)&p->w->a, &p->w->a_cap, p->in.n + 16, sizeof(int32_t), 0)) return 1;
        p->out.v = p->w->a;
        p->out_cap = p->w->a_cap;
    } else {
        if (tmi_grow((void **)&p->w->b, &p->w->b_cap, p->in.n + 16, sizeof(int32_t), 0)) return 1;
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

/* NLTK's CONTRACTIONS2 pairs, matched case-insensitively as whole words;
 * la and l are the lengths of A and of A+B. */
static const struct {
    const char *a, *b;
    size_t la, l;
} c2[] = {{"can", "not", 3, 6}, {"d", "'ye", 1, 4},  {"gim", "me", 3, 5},  {"gon", "na", 3, 5},
          {"got", "ta", 3, 5},  {"lem", "me", 3, 5}, {"more", "'n", 4, 6}, {"wan", "na", 3, 5}};

/* Does pattern k of c2[] match at v[i] (i < n): a word start, the letters
 * of A then B, and a word end ("wanna" wants white space after it, as
 * NLTK's (?=\s)). The first letter is tested first: it rules out almost
 * every position. */
static inline int c2_hit(const int32_t *v, size_t n, size_t i, size_t k) {
    if (ascii_low(v[i]) != c2[k].a[0]) return 0;
    size_t la = c2[k].la, l = c2[k].l;
    if (i + l > n || (i > 0 && W(v[i - 1]))) return 0;
    for (size_t j = 1; j < l; j++) {
        int32_t want = j < la ? c2[k].a[j] : c2[k].b[j - la];
        if (ascii_low(v[i + j]) != want) return 0;
    }
    return k == 7 ? i + l < n && S(v[i + l]) : i + l == n || !W(v[i + l]);
}

/* The patterns of c2[] from k0 on that match somewhere in v, as a bit
 * mask: a pattern can start only at a word start with its first letter. */
static unsigned c2_hits(const int32_t *v, size_t n, size_t k0) {
    unsigned hits = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t c = ascii_low(v[i]);
        if ((c != 'c' && c != 'd' && c != 'g' && c != 'l' && c != 'm' && c != 'w') ||
            (i > 0 && W(v[i - 1])))
            continue;
        for (size_t k = k0; k < sizeof c2 / sizeof c2[0]; k++)
            if (c2[k].a[0] == c && c2_hit(v, n, i, k)) hits |= 1u << k;
    }
    return hits;
}

static int word_tokenize(tm_nltk *w, const int32_t *s, size_t sn, tm_buf *buf, tm_spans *toks) {
    pass P = {.w = w};
    pass *p = &P;
    if (tmi_grow((void **)&w->a, &w->a_cap, sn + 16, sizeof(int32_t), 0) ||
        tmi_grow((void **)&w->b, &w->b_cap, sn + 16, sizeof(int32_t), 0))
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
    /* CONTRACTIONS2: (?i)\b(A)(B)\b -> " \1 \2 " ("wanna": (?=\s) after).
     * A pass copies the whole sentence, and most sentences hold none of the
     * eight patterns: one scan finds which patterns occur (c2_hits), only
     * those passes run, and the scan is redone after a pass has changed the
     * text, so the output is the same as running all eight. */
    for (unsigned hits = c2_hits(p->in.v, p->in.n, 0); hits;) {
        size_t k = (size_t)__builtin_ctz(hits);
        BEGIN;
        size_t la = c2[k].la, l = c2[k].l;
        for (size_t i = 0; i < n;) {
            if (c2_hit(v, n, i, k)) {
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
        hits = c2_hits(p->in.v, p->in.n, k + 1);
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
        if (buf->len && tmi_buf_putc(buf, ' ')) return 1;
        size_t beg = buf->len;
        while (i < n && !S(v[i])) {
            char u[4];
            size_t k = tmi_utf8_encode(v[i++], u);
            if (tmi_buf_append(buf, u, k)) return 1;
        }
        if (tmi_spans_push(toks, beg, buf->len)) return 1;
    }
    return 0;
}

tm_error tmi_nltk_words(tm_nltk *w, const char *text, size_t len, tm_buf *buf, tm_spans *toks) {
    tmi_buf_reset(buf);
    toks->n = 0;
    if (!text) text = "";
    if (tmi_nltk_decode(w, text, len) || tmi_nltk_punkt(w)) return TM_ERR_NOMEM;
    /* the slices stay valid: word_tokenize only uses a, b and buf */
    for (size_t k = 0; k + 1 < w->sl_n; k += 2) {
        size_t b = w->sl[k], e = w->sl[k + 1];
        if (word_tokenize(w, w->cp + b, e - b, buf, toks)) return TM_ERR_NOMEM;
    }
    if (tmi_buf_reserve(buf, 1)) return TM_ERR_NOMEM;
    return TM_OK;
}
