/*
 * paragraphs.c — stages 3 and 4 of `tamis clean`: repeated and reworded
 * paragraphs within one document.
 *
 * Paragraphs: every non-blank line is one (wire copy and web text put one
 * paragraph a line), unless blank lines are the separator: then a paragraph
 * is a run of non-blank lines. Blank lines are the separator when there is
 * at least one and either they separate at least a third of the line pairs
 * or the lines are short (mean under 90 bytes: hard-wrapped text). A single
 * stray blank line in a one-paragraph-a-line article (common in news-fr)
 * must not glue the whole article into two giant paragraphs.
 * They are numbered from 1 in the text this stage receives.
 *
 * Each paragraph is reduced to its words: maximal runs of letters, marks and
 * digits, lowercased (utf8proc simple mapping), hashed with XXH3-64; in
 * scripts written without spaces (Han, Kana, Thai...) character bigrams. Its
 * sequence key chains the word hashes, its set is the unique hashes.
 *  - repeated (exact): same key as an earlier kept paragraph and at least
 *    min_repeat_words words — case, punctuation and spacing do not matter;
 *    short lines ("Oui.", "Share") are left alone on purpose: they repeat
 *    legitimately in interviews and lists.
 *  - reworded: word-set Jaccard with an earlier kept paragraph >=
 *    para_threshold, both having at least min_reworded_words words. Word sets
 *    rather than shingles because machine rewording moves clauses around
 *    ("On sait jusqu'à présent que" / "Jusqu'à présent, on sait que"), which
 *    breaks shingles but keeps the words; docs/CLEAN.md has the numbers
 *    behind the default threshold.
 * The later paragraph is dropped with the separator that followed it, the
 * earlier one kept. Each paragraph is compared with at most
 * TM_CLEAN_MAX_COMPARE earlier kept ones, so a page of 100,000 lines costs
 * linear time.
 *
 * Speed (bench/RESULTS.md, "Clean"): ASCII words are found and lowercased 8
 * bytes at a time; a set is deduplicated in a small hash table (no sort)
 * that then answers the membership tests of the comparisons, with
 * branch-free probes; a comparison stops as soon as its misses rule out the
 * threshold and the best pair so far. The scan also notes whether two equal
 * words ever follow each other with only spaces between, so that stage 5
 * can be skipped on the (many) documents where it has nothing to find.
 */
#include "clean/clean_int.h"

#include "text/text.h"
#include "util/buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
/* XXH3 inline: most words are a few bytes, where the call and the dispatch
 * of the shared library cost as much as the hash. Same hash values. */
#define XXH_INLINE_ALL
#include <xxhash.h>

typedef tm_clean_para para;

struct tm_para_scratch {
    para *p;
    size_t n, cap;
    uint64_t *hashes; /* all word sets, back to back */
    size_t nh, caph;
    size_t *kept; /* indexes of kept paragraphs */
    size_t nk, capk;
    uint64_t *tab; /* the current paragraph's word set (set_build) */
    size_t captab, mask;
    int zero;    /* the set holds the hash 0 */
    int doubled; /* two consecutive words hash alike somewhere (or see scan_words) */
    int shaped;  /* shapes and sections known (after the first candidate) */
    int block;   /* blank lines separate the paragraphs */
    tm_reword *rw;
};

tm_para_scratch *tmi_para_scratch_new(void) {
    tm_para_scratch *ps = calloc(1, sizeof(tm_para_scratch));
    if (ps && !(ps->rw = tmi_reword_new())) {
        free(ps);
        return NULL;
    }
    return ps;
}

void tmi_para_scratch_free(tm_para_scratch *ps) {
    if (!ps) return;
    free(ps->p);
    free(ps->hashes);
    free(ps->kept);
    free(ps->tab);
    tmi_reword_free(ps->rw);
    free(ps);
}

/* Word-set hashes back to back in ps->hashes: a growable array written
 * through a local cursor in the scanning loop. */
static int push_hash(tm_para_scratch *ps, uint64_t h) {
    if (ps->nh == ps->caph &&
        tmi_grow((void **)&ps->hashes, &ps->caph, ps->nh + 1, sizeof(uint64_t), 0))
        return 0;
    ps->hashes[ps->nh++] = h;
    return 1;
}

/* Slot of h in the table t: where it is, or the empty slot that ends its
 * probe sequence. One exit test ("found or empty") instead of two: whether
 * a word is in the set is a coin toss the branch predictor loses. */
static inline size_t probe(const uint64_t *t, size_t mask, uint64_t h) {
    size_t k = (size_t)h & mask;
    for (;;) {
        uint64_t x = t[k];
        if ((x == h) | (x == 0)) return k;
        k = (k + 1) & mask;
    }
}

/* Hash table of the current paragraph's word set: open addressing, linear
 * probing on the low bits of the (already uniform) XXH3 hash; 0 marks an
 * empty slot, so a word hashing to 0 is remembered in ps->zero. It removes
 * the duplicates of the set (instead of a sort: the sort was a third of
 * this stage) and answers the membership tests of jaccard(). */
static tm_error set_build(tm_para_scratch *ps, size_t first) {
    size_t n = ps->nh - first, m = 16;
    while (m < 2 * n) m *= 2;
    if (tmi_grow((void **)&ps->tab, &ps->captab, m, sizeof(uint64_t), 0)) return TM_ERR_NOMEM;
    uint64_t *t = ps->tab, *v = ps->hashes + first;
    memset(t, 0, m * sizeof *t);
    ps->mask = m - 1;
    ps->zero = 0;
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = v[i];
        if (!h) {
            if (!ps->zero) ps->zero = 1, v[u++] = 0;
            continue;
        }
        size_t k = probe(t, ps->mask, h);
        size_t fresh = t[k] != h; /* a new word, not a repeat: no branch */
        t[k] = h;
        v[u] = h;
        u += fresh;
    }
    ps->nh = first + u;
    return TM_OK;
}

/* Eight bytes at a time on little-endian machines (SWAR: SIMD within a
 * register, portable C): which bytes of x are ASCII letters or digits, as
 * the high bit of each byte; *upper gets the same for A-Z. Every byte is
 * first reduced to 7 bits, so no sum carries into the next byte. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TM_SWAR   1
#define SWAR_ONES 0x0101010101010101ull
#define SWAR_HIGH 0x8080808080808080ull
static inline uint64_t alnum8(uint64_t x, uint64_t *upper) {
    uint64_t ascii = ~x & SWAR_HIGH, x7 = x & ~SWAR_HIGH, l = x7 | 0x20 * SWAR_ONES;
    uint64_t digit = (x7 + (0x80 - '0') * SWAR_ONES) & ~(x7 + (0x80 - '9' - 1) * SWAR_ONES);
    uint64_t alpha = (l + (0x80 - 'a') * SWAR_ONES) & ~(l + (0x80 - 'z' - 1) * SWAR_ONES);
    *upper = (x7 + (0x80 - 'A') * SWAR_ONES) & ~(x7 + (0x80 - 'Z' - 1) * SWAR_ONES) & ascii;
    return (digit | alpha) & ascii;
}
#else
#define TM_SWAR 0
#endif

/* Words of s[beg, end) into ps->hashes (as a set, in order of first
 * occurrence) and *pp; when the set is wanted, ps->tab holds it. */
static tm_error scan_words(tm_para_scratch *ps, const char *s, para *pp, size_t want_words) {
    /* The cap, plus one character or one 8-byte store past it. */
    char w[TM_CLEAN_MAX_WORD_BYTES + 16];
    size_t wl = 0, first = ps->nh, words = 0, end = pp->end;
    int in_word = 0;
    int32_t prev_ns = 0;
    uint64_t key = 0, last = 0;
    int sp = 0; /* only spaces and tabs since the last word (hash last) */
    for (size_t i = pp->beg; i <= end;) {
        int32_t cp = -1;
        size_t l = 1;
        if (i < end) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x80 && tmi_clean_ascii_word[c]) {
                /* A run of ASCII letters and digits, most bytes of most
                 * corpora, lowercased into w up to the cap (longer words
                 * are hashed on their prefix). */
                size_t j = i;
#if TM_SWAR
                while (j + 8 <= end) {
                    uint64_t x, up;
                    memcpy(&x, s + j, 8);
                    uint64_t stop = ~alnum8(x, &up) & SWAR_HIGH;
                    size_t k = stop ? (size_t)__builtin_ctzll(stop) / 8 : 8;
                    if (wl <= TM_CLEAN_MAX_WORD_BYTES) {
                        x |= up >> 2; /* 0x80 >> 2 = 0x20: lowercase */
                        memcpy(w + wl, &x, 8);
                        size_t room = TM_CLEAN_MAX_WORD_BYTES + 1 - wl;
                        wl += k < room ? k : room;
                    }
                    j += k;
                    if (stop) break;
                }
#endif
                for (; j < end && (unsigned char)s[j] < 0x80 &&
                       tmi_clean_ascii_word[(unsigned char)s[j]];
                     j++) {
                    w[wl] = (char)tmi_clean_ascii_word[(unsigned char)s[j]];
                    wl += wl <= TM_CLEAN_MAX_WORD_BYTES;
                }
                in_word = 1;
                prev_ns = 0;
                i = j;
                continue;
            }
            if (c < 0x80)
                cp = c;
            else
                l = tmi_utf8_decode_fast(s + i, end - i, &cp);
        }
        /* General punctuation (U+2000..U+206F: "’", "«", dashes) is neither a
         * word character nor of a script without spaces: no table lookups. */
        int punct = cp >= 0x2000 && cp <= 0x206F;
        int ns = cp >= 0x0E01 && !punct && tmi_is_nospace_script(cp);
        if (cp >= 0x80 && !ns && !punct && tmi_clean_word_cp(cp)) {
            if (wl <= TM_CLEAN_MAX_WORD_BYTES) wl += tmi_utf8_encode(tmi_clean_lower(cp), w + wl);
            in_word = 1;
            prev_ns = 0;
            i += l;
            continue;
        }
        if (in_word) {
            uint64_t h = XXH3_64bits(w, wl);
            wl = 0;
            in_word = 0;
            ps->doubled |= sp && h == last;
            last = h, sp = 1;
            key = (key ^ h) * 0x9E3779B97F4A7C15ull;
            if (!push_hash(ps, h)) return TM_ERR_NOMEM;
            words++;
        }
        if (cp != ' ' && cp != '\t') sp = 0;
        if (ns) {
            /* Scripts without spaces: every character counts as a word and
             * the set holds character bigrams (the first one of a run paired
             * with 0), which keep far more of the order than single ideographs. */
            int32_t bg[2] = {prev_ns, cp};
            uint64_t h = XXH3_64bits(bg, sizeof bg);
            ps->doubled = 1; /* words of these scripts are not hashed whole */
            last = h;
            key = (key ^ h) * 0x9E3779B97F4A7C15ull;
            if (!push_hash(ps, h)) return TM_ERR_NOMEM;
            words++;
            prev_ns = cp;
        } else
            prev_ns = 0;
        i += l;
    }
    pp->words = words;
    pp->key = key;
    pp->set = first;
    if (words >= want_words) {
        tm_error e = set_build(ps, first);
        if (e) return e;
    } else
        ps->nh = first; /* only reworded repeats need the set */
    pp->set_len = ps->nh - first;
    return TM_OK;
}

/* Jaccard of sets of na and nb hashes sharing inter of them. */
static double jaccard_of(size_t na, size_t nb, size_t inter) {
    size_t uni = na + nb - inter;
    return uni ? (double)inter / (double)uni : 0.0;
}

/* Jaccard of the set b (an earlier paragraph) with the current paragraph's
 * set of na hashes, held in ps->tab; -1 as soon as it cannot reach need.
 * Only pairs at or above the threshold and above the best so far change
 * the outcome, and most pairs that pass the size filter share few words:
 * the probe stops after the misses that rule them out (a quarter of the
 * words at 0.6 for sets of equal size) instead of counting to the end. */
static double jaccard(const tm_para_scratch *ps, size_t na, const uint64_t *b, size_t nb,
                      double need) {
    /* The least intersection that reaches need: Jaccard grows with it. */
    size_t lo = na < nb ? na : nb, least = 0;
    double est = need * (double)(na + nb) / (1.0 + need);
    if (est > 1.0) least = (size_t)est - 1;
    while (least <= lo && jaccard_of(na, nb, least) < need) least++;
    while (least > 0 && jaccard_of(na, nb, least - 1) >= need) least--;
    if (least > lo) return -1.0;
    size_t inter = 0, misses = 0, allowed = nb - least;
    for (size_t j = 0; j < nb; j++) {
        uint64_t h = b[j];
        int hit = h ? ps->tab[probe(ps->tab, ps->mask, h)] == h : ps->zero;
        inter += (size_t)hit;
        misses += (size_t)!hit;
        if (misses > allowed) return -1.0;
    }
    return jaccard_of(na, nb, inter);
}

static int blank_range(const char *s, size_t b, size_t e) {
    for (; b < e; b++)
        if (s[b] != ' ' && s[b] != '\t' && s[b] != '\r') return 0;
    return 1;
}

/* Mean line length under which lines separated by blank lines are taken as
 * hard-wrapped paragraphs (72-column mail, Gutenberg): 90 bytes. */
#define BLOCK_LINE_BYTES 90

/* Fills ps->p with the paragraphs of s (see the top of the file). A title
 * glued above the first paragraph of its section ("DESCRIPTION" and the
 * indented text under it) is a paragraph of its own. */
static tm_error split_paragraphs(tm_para_scratch *ps, const char *s, size_t n) {
    ps->n = 0;
    size_t lines = 0, gaps = 0, bytes = 0;
    int blank_before = 0;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t le = nl ? (size_t)(nl - s) : n;
        if (blank_range(s, i, le))
            blank_before = lines > 0;
        else {
            gaps += (size_t)blank_before;
            blank_before = 0;
            lines++;
            bytes += le - i;
        }
        i = le + 1;
    }
    size_t adjacent = lines > gaps ? lines - 1 - gaps : 0;
    int block = gaps > 0 && (3 * gaps >= adjacent || bytes < BLOCK_LINE_BYTES * lines);
    ps->block = block;
    size_t cur_beg = 0, cur_end = 0;
    int open = 0, one_line = 0; /* one_line: the open block holds one line so far */
    for (size_t i = 0; i <= n;) {
        const char *nl = i < n ? memchr(s + i, '\n', n - i) : NULL;
        size_t le = nl ? (size_t)(nl - s) : n;
        int blank = blank_range(s, i, le);
        if (!blank && open && block &&
            !(one_line && tmi_shape_glued_heading(s, cur_beg, cur_end, i, le))) {
            cur_end = le;
            one_line = 0;
        } else if (!blank) {
            if (open) {
                if (tmi_grow((void **)&ps->p, &ps->cap, ps->n + 1, sizeof(para), 0))
                    return TM_ERR_NOMEM;
                ps->p[ps->n++] = (para){.beg = cur_beg, .end = cur_end};
            }
            cur_beg = i, cur_end = le, open = 1, one_line = 1;
        } else if (open && block) {
            if (tmi_grow((void **)&ps->p, &ps->cap, ps->n + 1, sizeof(para), 0))
                return TM_ERR_NOMEM;
            ps->p[ps->n++] = (para){.beg = cur_beg, .end = cur_end};
            open = 0;
        }
        if (!nl) break;
        i = le + 1;
    }
    if (open) {
        if (tmi_grow((void **)&ps->p, &ps->cap, ps->n + 1, sizeof(para), 0)) return TM_ERR_NOMEM;
        ps->p[ps->n++] = (para){.beg = cur_beg, .end = cur_end};
    }
    return TM_OK;
}

static tm_error log_drop(tm_clean_log *g, int kind, size_t para_no, size_t similar_to, double sim) {
    tmi_clean_log_count(g, kind, 1);
    if (!tmi_clean_log_begin(g, "drop_paragraph")) return TM_OK;
    tm_buf *b = &g->json;
    tm_error e = tmi_json_key(b, "kind", 1);
    TM_THEN(e, tmi_json_str(b, kind == TM_EDIT_DROP_REPEATED ? "repeated" : "reworded", 8));
    TM_THEN(e, tmi_json_key(b, "paragraph", 1));
    TM_THEN(e, tmi_json_u64(b, para_no));
    TM_THEN(e, tmi_json_key(b, "similar_to", 1));
    TM_THEN(e, tmi_json_u64(b, similar_to));
    TM_THEN(e, tmi_json_key(b, "similarity", 1));
    TM_THEN(e, tmi_json_num(b, floor(sim * 100.0) / 100.0));
    TM_THEN(e, tmi_clean_log_end(g));
    return e;
}

#define OUTLINE_COLS 64

/* Cross-section repeats: a prose paragraph of at least FREE_WORDS words,
 * indented by less than FREE_INDENT columns, under headings only. */
#define FREE_WORDS  20
#define FREE_INDENT 4

/* Hash of the text of s[b, e) without its spaces (indentation and wrapping
 * do not matter). */
static uint64_t text_hash(const char *s, size_t b, size_t e) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (; b < e; b++)
        if (s[b] != ' ' && s[b] != '\t' && s[b] != '\n')
            h = (h ^ (unsigned char)s[b]) * 0x100000001b3ull;
    return h;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* How many paragraphs of the document have the text of each (spaces
 * aside): the text hashes sorted once, then a binary search each, so a
 * page of 100,000 paragraphs stays O(n log n). Without memory every count
 * is "many", which only keeps paragraphs. */
static void count_copies(tm_para_scratch *ps) {
    uint64_t *v = malloc(ps->n * sizeof *v + 1);
    for (size_t j = 0; j < ps->n; j++) ps->p[j].copies = SIZE_MAX;
    if (!v) return;
    for (size_t j = 0; j < ps->n; j++) v[j] = ps->p[j].text;
    qsort(v, ps->n, sizeof *v, cmp_u64);
    for (size_t j = 0; j < ps->n; j++) {
        uint64_t h = ps->p[j].text;
        size_t lo = 0, hi = ps->n; /* first index >= h */
        while (lo < hi) {
            size_t m = lo + (hi - lo) / 2;
            if (v[m] < h)
                lo = m + 1;
            else
                hi = m;
        }
        size_t e = lo;
        while (e < ps->n && v[e] == h) e++;
        ps->p[j].copies = e - lo;
    }
    free(v);
}

/* Shapes and sections of every paragraph (shape.c), once per document, when
 * the first candidate pair appears: most documents have none and never pay
 * for it. A unit is a prose paragraph. Sections follow the outline that
 * indentation draws: a paragraph's section is the last earlier paragraph
 * that is less indented by two columns or more (the option, list item or
 * heading whose body it is; one stray space is no outline) or a heading at
 * most as indented, named by the path of their texts; units are compared
 * only within one section, so the same sentence under two options, two
 * articles or two releases stays; long prose outside any item also across
 * sections (may_match()). */
static void shape_all(tm_para_scratch *ps, const char *s, size_t n) {
    tm_shape_ctx c;
    tmi_shape_begin(&c, ps->block);
    size_t last_any[OUTLINE_COLS + 1] = {0}, last_head[OUTLINE_COLS + 1] = {0}; /* index + 1 */
    for (size_t j = 0; j < ps->n; j++) {
        para *pj = &ps->p[j];
        pj->shape = (unsigned char)tmi_shape_classify(&c, s, n, pj->beg, pj->end, &pj->indent);
        size_t d = pj->indent < OUTLINE_COLS ? pj->indent : OUTLINE_COLS, b = 0;
        for (size_t k = 0; k + 2 <= d; k++) b = last_any[k] > b ? last_any[k] : b;
        for (size_t k = 0; k <= d; k++) b = last_head[k] > b ? last_head[k] : b;
        /* The section is named by the path of the headings above it, not
         * by their positions: a block copied with its title ("DESCRIPTION"
         * and its text, printed twice) is in the section of the first. */
        pj->section = b ? (ps->p[b - 1].section ^ ps->p[b - 1].text) * 0x9E3779B97F4A7C15ull : 0;
        last_any[d] = j + 1;
        if (pj->shape == TM_SHAPE_HEADING) last_head[d] = j + 1;
        pj->unit = pj->shape == TM_SHAPE_PROSE;
        /* A long prose paragraph whose outline holds only headings (not
         * the body of an option, list item or term) is free of its
         * section: see same_scope(). */
        int free_parent = !b || (ps->p[b - 1].shape == TM_SHAPE_HEADING && ps->p[b - 1].free_unit);
        pj->free_unit =
            free_parent && pj->indent < FREE_INDENT && (pj->shape == TM_SHAPE_HEADING || pj->unit);
        pj->text = text_hash(s, pj->beg, pj->end);
        pj->cw = pj->cw_n = pj->nw = pj->nw_n = pj->sw = pj->sw_n = 0;
        pj->cw_done = 0;
    }
    /* In a document at least half of whose paragraphs are code (a C header,
     * a script), the prose between the code documents the code around it:
     * the same comment above two functions, the same note in two blocks,
     * are two explanations, not a copy. No paragraph is a unit there. */
    size_t ncode = 0;
    for (size_t j = 0; j < ps->n; j++) ncode += ps->p[j].shape == TM_SHAPE_CODE;
    if (2 * ncode >= ps->n)
        for (size_t j = 0; j < ps->n; j++) ps->p[j].unit = ps->p[j].free_unit = 0;
    count_copies(ps);
    tmi_reword_reset(ps->rw);
    ps->shaped = 1;
}

/* May units a and b be compared: the same section, or both long prose
 * paragraphs outside any option, list item or indented body (a repeat of
 * a whole paragraph of prose after the next heading of an article, a
 * NEWS file or a package description). */
static int same_scope(const para *a, const para *b) {
    return a->section == b->section || (a->free_unit && b->free_unit && a->unit && b->unit &&
                                        a->words >= FREE_WORDS && b->words >= FREE_WORDS);
}

/* A drop across sections must not empty the later paragraph's section: a
 * section whose whole body repeats another's (two UDHR articles of one
 * text, two entries sharing a description) is a family, and dropping it
 * would leave its heading bare. Paragraphs of one section follow each
 * other, so its neighbours tell. */
static int section_has_more(const tm_para_scratch *ps, size_t j) {
    uint64_t sec = ps->p[j].section;
    return (j > 0 && ps->p[j - 1].section == sec && ps->p[j - 1].shape != TM_SHAPE_HEADING) ||
           (j + 1 < ps->n && ps->p[j + 1].section == sec && ps->p[j + 1].shape != TM_SHAPE_HEADING);
}

/* Across sections, a text found three times or more is boilerplate of
 * each section (a NEWS file's "WARNING: This is a prerelease ..." or "See
 * URL for the list of bugs fixed in this release" under every release),
 * not a copy: both paragraphs must be at most twice in the document. */
static int may_match(const tm_para_scratch *ps, const para *k, size_t j) {
    const para *pj = &ps->p[j];
    if (!k->unit) return 0;
    if (k->section == pj->section) return 1;
    return same_scope(k, pj) && section_has_more(ps, j) && k->copies <= 2 && pj->copies <= 2;
}

/* The earlier kept paragraph that paragraph j repeats, exactly (*kind
 * TM_EDIT_DROP_REPEATED) or reworded. Before the document is shaped, any
 * kept paragraph may match, and a match only says that shapes are now
 * needed; once shaped, j must be a unit and so must the match, in j's
 * section, and a reworded match must pass tmi_reword_same(). */
static tm_error find_match(tm_para_scratch *ps, const tm_clean_opts *o, const char *s, size_t n,
                           size_t j, tm_lang_guess *lang, int *kind, size_t *best_k,
                           double *best_sim) {
    para *pj = &ps->p[j];
    size_t min_rep = o->min_repeat_words > 0 ? (size_t)o->min_repeat_words : 1;
    size_t min_rew = o->min_reworded_words > 0 ? (size_t)o->min_reworded_words : 1;
    *kind = 0;
    *best_k = 0;
    *best_sim = 0.0;
    if (ps->shaped && !pj->unit) return TM_OK;
    size_t from = ps->nk > TM_CLEAN_MAX_COMPARE ? ps->nk - TM_CLEAN_MAX_COMPARE : 0;
    if ((o->ops & TM_CLEAN_REPEATED) && pj->words >= min_rep) {
        for (size_t t = from; t < ps->nk; t++) {
            para *pk = &ps->p[ps->kept[t]];
            if (pk->key == pj->key && pk->words == pj->words &&
                (!ps->shaped || may_match(ps, pk, j))) {
                *kind = TM_EDIT_DROP_REPEATED, *best_k = ps->kept[t], *best_sim = 1.0;
                return TM_OK;
            }
        }
    }
    if (!(o->ops & TM_CLEAN_REWORDED) || pj->words < min_rew) return TM_OK;
    double best = 0.0;
    for (size_t t = from; t < ps->nk; t++) {
        para *pk = &ps->p[ps->kept[t]];
        if (pk->words < min_rew || (ps->shaped && !may_match(ps, pk, j))) continue;
        /* |A∩B|/|A∪B| <= min/max: skip pairs that cannot reach it. */
        size_t lo = pk->set_len < pj->set_len ? pk->set_len : pj->set_len;
        size_t hi = pk->set_len < pj->set_len ? pj->set_len : pk->set_len;
        if ((double)lo + 1e-9 < o->para_threshold * (double)hi) continue;
        /* Word counts too far apart never pass tmi_reword_same(): no need
         * to shape the document for them. */
        size_t wlo = pk->words < pj->words ? pk->words : pj->words;
        size_t whi = pk->words < pj->words ? pj->words : pk->words;
        if ((double)wlo + 1e-9 < TM_CLEAN_REWORD_LENGTH * (double)whi) continue;
        double need = best > o->para_threshold ? best : o->para_threshold;
        double sim = jaccard(ps, pj->set_len, ps->hashes + pk->set, pk->set_len, need);
        if (sim <= best || sim < o->para_threshold) continue;
        if (!ps->shaped) {
            *kind = TM_EDIT_DROP_REWORDED; /* a candidate: shapes needed */
            return TM_OK;
        }
        int same = 0;
        tm_error e = tmi_reword_same(ps->rw, s, n, ps->p, ps->n, ps->kept[t], j, lang, &same);
        if (e) return e;
        if (same) best = sim, *best_k = ps->kept[t];
    }
    if (best >= o->para_threshold) *kind = TM_EDIT_DROP_REWORDED, *best_sim = best;
    return TM_OK;
}

/* Stages 3 and 4 on the paragraphs split from s. */
static tm_error paragraphs(tm_para_scratch *ps, const tm_clean_opts *o, const char *s, size_t n,
                           tm_lang_guess *lang, tm_buf *out, tm_clean_log *g) {
    tm_error e;
    ps->nh = 0;
    ps->nk = 0;
    ps->shaped = 0;
    size_t dropped = 0;
    size_t min_rew = o->min_reworded_words > 0 ? (size_t)o->min_reworded_words : 1;
    for (size_t j = 0; j < ps->n; j++) {
        para *pj = &ps->p[j];
        if ((e = scan_words(ps, s, pj, (o->ops & TM_CLEAN_REWORDED) ? min_rew : SIZE_MAX)))
            return e;
        pj->kept = 1;
        int kind;
        size_t best_k;
        double best;
        if ((e = find_match(ps, o, s, n, j, lang, &kind, &best_k, &best))) return e;
        if (kind && !ps->shaped) {
            shape_all(ps, s, n);
            if ((e = find_match(ps, o, s, n, j, lang, &kind, &best_k, &best))) return e;
        }
        if (kind) {
            pj->kept = 0;
            dropped++;
            if ((e = log_drop(g, kind, j + 1, best_k + 1, best))) return e;
        } else {
            if (tmi_grow((void **)&ps->kept, &ps->capk, ps->nk + 1, sizeof(size_t), 0))
                return TM_ERR_NOMEM;
            ps->kept[ps->nk++] = j;
        }
    }
    if (!dropped) return tmi_buf_append(out, s, n);
    /* Kept paragraphs with the separator that followed each, except after
     * the last kept one; then whatever followed the last paragraph. */
    e = tmi_buf_append(out, s, ps->p[0].beg);
    for (size_t t = 0; t < ps->nk && !e; t++) {
        size_t j = ps->kept[t];
        size_t stop = t + 1 < ps->nk ? ps->p[j + 1].beg : ps->p[j].end;
        e = tmi_buf_append(out, s + ps->p[j].beg, stop - ps->p[j].beg);
    }
    TM_THEN(e, tmi_buf_append(out, s + ps->p[ps->n - 1].end, n - ps->p[ps->n - 1].end));
    return e;
}

tm_error tmi_clean_paragraphs(tm_para_scratch *ps, const tm_clean_opts *o, const char *s, size_t n,
                              tm_lang_guess *lang, tm_buf *out, tm_clean_log *g, int *doubled) {
    ps->doubled = 0;
    tm_error e = split_paragraphs(ps, s, n);
    TM_THEN(e, paragraphs(ps, o, s, n, lang, out, g));
    *doubled = ps->doubled;
    return e;
}
