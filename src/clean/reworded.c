/*
 * reworded.c — the test that separates a paragraph that says the same thing
 * again from one that shares a sentence frame with it (stage 4 of `tamis
 * clean`, called by paragraphs.c once the word-set Jaccard of two units is
 * at or above --para-threshold).
 *
 * Word-set Jaccard alone cannot tell "Use this generator under a Windows
 * command prompt with MinGW" from "... with MSYS", or two articles of a
 * legal text written on one frame ("Everyone has the right to ..."): the
 * frame is most of the words. What a reworded repeat keeps is its content:
 *  - content words: the words that are not stop words of the document's
 *    language (stopwords-iso, compiled into the library; the language is
 *    detected once per document, tmi_clean_lang()) and hold no digit, each
 *    weighted by 1 / (1 + the number of the document's other units that
 *    hold it), so that the words of a frame shared by many paragraphs
 *    weigh little;
 *  - the weighted share of each paragraph's content words found in the
 *    other must be at least TM_CLEAN_REWORD_CONTENT in both directions (a
 *    paragraph that adds a sentence is new content, not a repeat);
 *  - words with a digit (numbers, versions: "IPv4", "2019") and identifier
 *    tokens (paths, tags, snake_case, camelCase, file.names, capitals,
 *    tokens with a digit: "2.5",
 *    "HereDoc", "FOLDER_ID", "CUDA") must be the same sets: "Visual Studio
 *    11" is not "Visual Studio 12", "<standard_session_servicedirs/>" not
 *    "<standard_system_servicedirs/>";
 *  - word counts within TM_CLEAN_REWORD_LENGTH of each other;
 *  - words replaced (absent from the other side, on both sides; stop words
 *    included): at most one per TM_CLEAN_REWORD_SHARED (32) shared words,
 *    none below, since rewording moves, drops and swaps words while a
 *    template fills a slot with other words.
 * Measured in docs/CLEAN.md ("Reworded: content, not frame"): the seed pair
 * of tests/golden/clean-summit scores 0.93 both ways (Jaccard 0.94).
 *
 * Everything here is computed lazily, only for documents with a candidate
 * pair: the words of a paragraph (sorted hashes) once, the weights once.
 */
#include "clean/clean_int.h"
#include "util/buf.h"

#include "text/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

struct tm_reword {
    uint64_t *pool; /* sorted content and digit word hashes of the paragraphs */
    size_t np, capp;
    uint64_t *tmp; /* one paragraph's words while it is scanned */
    size_t nt, capt;
    uint64_t *dfk; /* units holding each content word: open addressing */
    uint32_t *dfv;
    size_t dfcap, dfmask;
    int df_done;
    char lang2[3]; /* the stop-word language, "" when none */
    int lang_done;
};

tm_reword *tmi_reword_new(void) {
    return calloc(1, sizeof(tm_reword));
}

void tmi_reword_free(tm_reword *r) {
    if (!r) return;
    free(r->pool);
    free(r->tmp);
    free(r->dfk);
    free(r->dfv);
    free(r);
}

void tmi_reword_reset(tm_reword *r) {
    r->np = 0;
    r->df_done = 0;
    r->lang_done = 0;
    r->lang2[0] = '\0';
}

static int push(uint64_t **v, size_t *n, size_t *cap, uint64_t h) {
    if (TM_GROW(*v, *cap, *n + 1, 0)) return 0;
    (*v)[(*n)++] = h;
    return 1;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts r->tmp[from, nt), removes duplicates, appends to the pool; returns
 * the pool offset and *len. */
static int flush(tm_reword *r, size_t from, size_t *off, size_t *len) {
    uint64_t *v = r->tmp + from;
    size_t k = r->nt - from, u = 0;
    qsort(v, k, sizeof *v, cmp_u64);
    for (size_t i = 0; i < k; i++)
        if (!u || v[i] != v[u - 1]) v[u++] = v[i];
    *off = r->np;
    *len = u;
    for (size_t i = 0; i < u; i++)
        if (!push(&r->pool, &r->np, &r->capp, v[i])) return 0;
    return 1;
}

static int is_digit(int32_t cp) {
    if (cp < 0x80) return cp >= '0' && cp <= '9';
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_ND || c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
}

static uint64_t hash_of(const void *w, size_t n) {
    uint64_t h = XXH3_64bits(w, n);
    return h ? h : 1; /* 0 marks an empty slot of the weight table */
}

/* Is the space-delimited token t (its outer punctuation trimmed) an
 * identifier: a path, a tag, an option, a name_with_underscores, a
 * file.name, camelCase or capitals (HereDoc, FOLDER_ID, CUDA)? */
static int identifier(const char *t, size_t n) {
    size_t upper = 0;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (strchr("_/\\<>=@#$:{}[]()|~*+", c) || (c >= '0' && c <= '9')) return 1;
        if (c == '.' && i > 0 && i + 1 < n && ((unsigned char)t[i + 1] | 32) >= 'a' &&
            ((unsigned char)t[i + 1] | 32) <= 'z')
            return 1;
        if (c >= 'A' && c <= 'Z') {
            upper++;
            if (i > 0 && t[i - 1] >= 'a' && t[i - 1] <= 'z') return 1;
        }
    }
    return upper >= 2;
}

/* Hashes of the identifier tokens of p into r->tmp (the set that, with the
 * words holding a digit, must be the same in a reworded repeat). */
/* Does the character at s[i] (of n bytes) end a token of identifiers(),
 * and how long is it: white space, and in scripts written without spaces
 * each character and the ideographic and fullwidth punctuation around them
 * (a Chinese sentence with a "12" in it is not one identifier). */
static int token_break(const char *s, size_t n, size_t i, size_t *len) {
    unsigned char c = (unsigned char)s[i];
    *len = 1;
    if (c < 0x80) return c == ' ' || c == '\t' || c == '\n';
    int32_t cp;
    *len = tmi_utf8_decode_fast(s + i, n - i, &cp);
    return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
           (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
           (cp >= 0xFF5B && cp <= 0xFF65) ||
           (cp >= 0x0E01 && !(cp >= 0x2000 && cp <= 0x206F) && tmi_is_nospace_script(cp));
}

static tm_error identifiers(tm_reword *r, const char *s, const tm_clean_para *p) {
    static const char trim[] = ".,;:!?()[]\"'`";
    for (size_t i = p->beg, l; i < p->end;) {
        while (i < p->end && token_break(s, p->end, i, &l)) i += l;
        size_t b = i;
        while (i < p->end && !token_break(s, p->end, i, &l)) i += l;
        size_t e = i;
        while (b < e && s[b] && strchr(trim, s[b])) b++;
        while (e > b && s[e - 1] && strchr(trim, s[e - 1])) e--;
        if (e > b && identifier(s + b, e - b) &&
            !push(&r->tmp, &r->nt, &r->capt, hash_of(s + b, e - b) ^ 0x5bd1e995u))
            return TM_ERR_NOMEM;
    }
    return TM_OK;
}

/* The words of p (as paragraphs.c reads them: runs of letters, marks and
 * digits, lowercased; character bigrams in scripts without spaces), sorted
 * into content words and words with a digit. */
static tm_error words_of(tm_reword *r, const char *s, tm_clean_para *p) {
    char w[TM_CLEAN_MAX_WORD_BYTES + 8];
    size_t wl = 0, nd = 0;
    int digit = 0, in_word = 0;
    int32_t prev_ns = 0;
    r->nt = 0;
    uint64_t *dig = NULL, *stop = NULL;
    size_t capd = 0, ns_ = 0, caps = 0;
    tm_error e = TM_OK;
    for (size_t i = p->beg; i <= p->end && !e;) {
        int32_t cp = -1;
        size_t l = 1;
        if (i < p->end) l = tmi_utf8_decode_fast(s + i, p->end - i, &cp);
        int punct = cp >= 0x2000 && cp <= 0x206F;
        int ns = cp >= 0x0E01 && !punct && tmi_is_nospace_script(cp);
        if (cp >= 0 && !ns && !punct && tmi_clean_word_cp(cp)) {
            if (wl + 4 <= TM_CLEAN_MAX_WORD_BYTES)
                wl += tmi_utf8_encode(tmi_clean_lower(cp), w + wl);
            digit |= is_digit(cp);
            in_word = 1;
            prev_ns = 0;
            i += l;
            continue;
        }
        if (in_word) {
            uint64_t h = hash_of(w, wl);
            if (digit) {
                if (!push(&dig, &nd, &capd, h)) e = TM_ERR_NOMEM;
            } else if (!r->lang2[0] || !tm_is_stopword(r->lang2, w, wl)) {
                if (!push(&r->tmp, &r->nt, &r->capt, h)) e = TM_ERR_NOMEM;
            } else if (!push(&stop, &ns_, &caps, h)) {
                e = TM_ERR_NOMEM;
            }
            wl = 0, in_word = 0, digit = 0;
        }
        if (ns) {
            int32_t bg[2] = {prev_ns, cp};
            if (!push(&r->tmp, &r->nt, &r->capt, hash_of(bg, sizeof bg))) e = TM_ERR_NOMEM;
            prev_ns = cp;
        } else
            prev_ns = 0;
        i += l;
    }
    if (!e && !flush(r, 0, &p->cw, &p->cw_n)) e = TM_ERR_NOMEM;
    if (!e) {
        r->nt = 0;
        for (size_t i = 0; i < nd && !e; i++)
            if (!push(&r->tmp, &r->nt, &r->capt, dig[i])) e = TM_ERR_NOMEM;
        TM_THEN(e, identifiers(r, s, p));
        if (!e && !flush(r, 0, &p->nw, &p->nw_n)) e = TM_ERR_NOMEM;
    }
    if (!e) {
        r->nt = 0;
        for (size_t i = 0; i < ns_ && !e; i++)
            if (!push(&r->tmp, &r->nt, &r->capt, stop[i])) e = TM_ERR_NOMEM;
        if (!e && !flush(r, 0, &p->sw, &p->sw_n)) e = TM_ERR_NOMEM;
    }
    free(dig);
    free(stop);
    p->cw_done = !e;
    return e;
}

static size_t df_slot(const tm_reword *r, uint64_t h) {
    size_t k = (size_t)h & r->dfmask;
    while (r->dfk[k] && r->dfk[k] != h) k = (k + 1) & r->dfmask;
    return k;
}

/* Weights: how many units hold each content word. */
static tm_error build_df(tm_reword *r, const char *s, tm_clean_para *p, size_t np) {
    size_t total = 0;
    for (size_t j = 0; j < np; j++) {
        if (!p[j].unit) continue;
        if (!p[j].cw_done) {
            tm_error e = words_of(r, s, &p[j]);
            if (e) return e;
        }
        total += p[j].cw_n;
    }
    size_t m = 16;
    while (m < 2 * total + 2) m *= 2;
    if (m > r->dfcap) {
        /* both tables get m slots before dfcap says so: a failure between
         * the two leaves dfcap at the smaller size */
        size_t ck = r->dfcap, cv = r->dfcap;
        tm_error e = tmi_grow((void **)&r->dfk, &ck, m, sizeof *r->dfk, 0);
        TM_THEN(e, tmi_grow((void **)&r->dfv, &cv, m, sizeof *r->dfv, 0));
        if (e) return e;
        r->dfcap = ck < cv ? ck : cv;
    }
    memset(r->dfk, 0, m * sizeof *r->dfk);
    r->dfmask = m - 1;
    for (size_t j = 0; j < np; j++) {
        if (!p[j].unit) continue;
        for (size_t i = 0; i < p[j].cw_n; i++) {
            uint64_t h = r->pool[p[j].cw + i];
            size_t k = df_slot(r, h);
            if (!r->dfk[k]) r->dfk[k] = h, r->dfv[k] = 0;
            r->dfv[k]++;
        }
    }
    r->df_done = 1;
    return TM_OK;
}

/* 1 / (1 + the number of other units holding h): in is how many of the
 * two paragraphs compared hold it. */
static double weight(const tm_reword *r, uint64_t h, unsigned in) {
    size_t k = df_slot(r, h);
    uint32_t df = r->dfk[k] ? r->dfv[k] : in;
    return 1.0 / (double)(1 + (df > in ? df - in : 0));
}

tm_error tmi_reword_same(tm_reword *r, const char *s, size_t n, tm_clean_para *p, size_t np,
                         size_t a, size_t b, tm_lang_guess *lang, int *same) {
    *same = 0;
    tm_clean_para *pa = &p[a], *pb = &p[b];
    size_t lo = pa->words < pb->words ? pa->words : pb->words;
    size_t hi = pa->words < pb->words ? pb->words : pa->words;
    if ((double)lo + 1e-9 < TM_CLEAN_REWORD_LENGTH * (double)hi) return TM_OK;
    if (!r->lang_done) {
        tm_error e = tmi_clean_lang(s, n, lang);
        if (e) return e;
        const char *c = lang->code;
        int two = c[0] >= 'a' && c[0] <= 'z' && c[1] >= 'a' && c[1] <= 'z' &&
                  (!c[2] || c[2] == '-' || c[2] == '_');
        if (two && tm_stopword_count((char[3]){c[0], c[1], 0}))
            r->lang2[0] = c[0], r->lang2[1] = c[1], r->lang2[2] = 0;
        r->lang_done = 1;
    }
    if (!r->df_done) {
        tm_error e = build_df(r, s, p, np);
        if (e) return e;
    }
    /* Same words with digits. */
    if (pa->nw_n != pb->nw_n ||
        (pa->nw_n && memcmp(r->pool + pa->nw, r->pool + pb->nw, pa->nw_n * sizeof(uint64_t))))
        return TM_OK;
    /* Weighted content containment, both ways, by a merge of sorted sets. */
    const uint64_t *x = r->pool + pa->cw, *y = r->pool + pb->cw;
    size_t i = 0, j = 0;
    double wa = 0.0, wb = 0.0, shared = 0.0;
    size_t only_a = 0, only_b = 0, both = 0;
    while (i < pa->cw_n || j < pb->cw_n) {
        if (j == pb->cw_n || (i < pa->cw_n && x[i] < y[j])) {
            wa += weight(r, x[i++], 1);
            only_a++;
        } else if (i == pa->cw_n || y[j] < x[i]) {
            wb += weight(r, y[j++], 1);
            only_b++;
        } else {
            double w = weight(r, x[i], 2);
            wa += w, wb += w, shared += w;
            i++, j++, both++;
        }
    }
    if (wa <= 0.0 || wb <= 0.0) return TM_OK;
    /* Words replaced on both sides (stop words included: "greater"/"less",
     * "before"/"after", "first"/"last" are in the large lists): at most one
     * per 32 shared words, none in a paragraph of one or two sentences.
     * Rewording moves, drops and swaps words; a frame fills its slot with
     * others ("more elaborate debconf support" / "support for directory
     * services", "Clients SHOULD support ..." / "Servers SHOULD support
     * ...", "greater than 1" / "less than 1"). A synonym replaced in a short
     * paragraph is therefore kept: a miss, not a wrong drop. */
    const uint64_t *u = r->pool + pa->sw, *v = r->pool + pb->sw;
    for (i = 0, j = 0; i < pa->sw_n || j < pb->sw_n;) {
        if (j == pb->sw_n || (i < pa->sw_n && u[i] < v[j]))
            only_a++, i++;
        else if (i == pa->sw_n || v[j] < u[i])
            only_b++, j++;
        else
            i++, j++, both++;
    }
    size_t replaced = only_a < only_b ? only_a : only_b;
    if (replaced > both / TM_CLEAN_REWORD_SHARED) return TM_OK;
    *same = shared + 1e-9 >= TM_CLEAN_REWORD_CONTENT * wa &&
            shared + 1e-9 >= TM_CLEAN_REWORD_CONTENT * wb;
    return TM_OK;
}
