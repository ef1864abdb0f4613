/*
 * dedup.h — internal building blocks of `tamis dedup`: the MinHash kernels,
 * the external sorter that keeps the LSH index and the exact/paragraph hash
 * tables within --memory, and the keep decisions over accepted pairs.
 *
 * Everything here is reentrant: each handle is owned by its creator and
 * touched by one thread at a time. The public entry points (tm_minhasher_*,
 * tm_lsh_params, tm_job_dedup) are declared in tamis.h.
 */
#ifndef TM_DEDUP_H
#define TM_DEDUP_H

#include "tamis.h"

#include "io/xsort.h"
#include "text/text.h"

#include <stdint.h>
#include <errno.h>
#include <stdio.h>

/* ---- MinHash kernels ---- */

/* Permutations are processed in blocks of this many lanes; the parameter
 * arrays are padded to a multiple of it (the padding lanes are computed and
 * dropped), so the inner loop has a constant trip count and vectorises. */
#define TM_MH_LANES 32

typedef void (*tm_mh_kernel)(const uint32_t *a, const uint32_t *b, size_t padded, const uint64_t *h,
                             size_t n, uint32_t *sig);

/* The kernel variants compiled into this build: "portable" always, "avx2"
 * and "avx512" on x86-64 when the CPU supports them at run time. Returns
 * NULL for an unknown or unsupported name. Exposed for the tests that check
 * every variant against the portable one. */
tm_mh_kernel tmi_mh_kernel_get(const char *name);
/* Name of the kernel the minhasher uses ("portable", "avx2", "avx512"). */
const char *tmi_minhasher_kernel(const tm_minhasher *m);
/* Forces a kernel variant (tests); TM_ERR_UNSUPPORTED when unavailable. */
tm_error tmi_minhasher_set_kernel(tm_minhasher *m, const char *name);

/* Distinct seeds keep word and character shingles in disjoint hash spaces. */
#define TM_SEED_WORDS 0x74616d6973773530ULL
#define TM_SEED_CHARS 0x74616d6973633530ULL

/* Shingle hashes of already-normalised s into out (replaced), choosing word
 * or character shingles as o->kind says; the allocation-free core of
 * tm_shingle_text for the per-worker hot path. */
tm_error tmi_shingle_into(const char *s, size_t len, const tm_shingle_opts *o, tm_u64s *out,
                          int *used_chars);

/* The 128-bit exact-duplicate key of already-normalised text. */
void tmi_exact_key(const char *s, size_t len, uint64_t key[2]);

/* ---- which copy is kept (decide.c) ---- */

/* The rule that let a document go as a copy of the kept one. */
enum {
    TM_RULE_NONE = 0,
    TM_RULE_EXACT,
    TM_RULE_JACCARD,
    TM_RULE_CONTAINMENT,
    TM_RULE_ALIGNED /* --verify aligned: scattered small differences only */
};

/* ---- where two documents differ (align.c, --verify aligned) ---- */

typedef struct tm_cover {
    double coverage;    /* share of A's positions spanned by a shingle in B */
    uint32_t gap;       /* longest run of uncovered positions */
    uint32_t inner_gap; /* the same, between two covered positions */
    uint32_t edge_gap;  /* the longer uncovered run at A's start or end */
    uint32_t positions; /* words (characters) of A: shingles + n - 1 */
} tm_cover;

/* The 32 bits of a shingle hash kept for alignment. */
uint32_t tmi_align_hash32(uint64_t h);
/* A set of 32-bit shingles (hash table); zero-initialise, reusable. */
typedef struct tm_aset {
    uint32_t *slot;
    size_t cap, mask, n; /* n: distinct values */
    int has0;
} tm_aset;
tm_error tmi_aset_build(tm_aset *s, const uint32_t *v, size_t n);
int tmi_aset_has(const tm_aset *s, uint32_t x);
void tmi_aset_free(tm_aset *s);
/* Jaccard of two sets; *inter (may be NULL) receives the shared count. */
double tmi_aset_jaccard(const tm_aset *a, const tm_aset *b, size_t *inter);
/* Coverage of a document, given its in-order shingles seq (n-grams of
 * `gram` units), by the shingle set of another. */
void tmi_align_cover(const uint32_t *seq, size_t n_seq, int gram, const tm_aset *set,
                     tm_cover *out);
/* Template-aware coverage (--template-df): as tmi_align_cover, but a
 * position of A that no shingle in `set` spans is excused — neither
 * covered nor uncovered, and it ends an uncovered run — when a shingle of A
 * that spans it is common (common[i] set: its document frequency is above
 * the template bound). A copy wrapped in a site's boilerplate, or a page
 * whose family template the other lacks, is then judged on the rest.
 * mark is scratch of at least n_seq + gram bytes. out->positions counts the
 * positions not excused. */
void tmi_align_cover_t(const uint32_t *seq, const uint8_t *common, size_t n_seq, int gram,
                       const tm_aset *set, uint8_t *mark, tm_cover *out);
/* Where each shingle of a sequence is (--substitution): value -> its
 * position, TM_APOS_MANY when it occurs more than once, TM_APOS_NONE when
 * absent. Zero-initialise, reusable. */
#define TM_APOS_NONE UINT32_MAX
#define TM_APOS_MANY (UINT32_MAX - 1)
typedef struct tm_apos {
    uint32_t *key, *pos;
    size_t cap, mask;
} tm_apos;
tm_error tmi_apos_build(tm_apos *m, const uint32_t *v, size_t n);
uint32_t tmi_apos_get(const tm_apos *m, uint32_t x);
void tmi_apos_free(tm_apos *m);
/* Word-for-word differences: walks A's shingles that occur once in B, in
 * order. islands counts the runs of A's shingles absent from B between two
 * found ones (one per replaced, deleted or inserted word, or block), shifts
 * the changes of offset (position in B - position in A) between consecutive
 * found shingles: an insertion or deletion shifts, a replacement of a word
 * by one word does not. */
void tmi_align_shifts(const uint32_t *seq, size_t n, const tm_apos *b, uint32_t *islands,
                      uint32_t *shifts);
/* Both coverages and the Jaccard of two texts shingled as o says (tests). */
tm_error tmi_align_texts(const char *a, size_t la, const char *b, size_t lb,
                         const tm_shingle_opts *o, tm_cover *ab, tm_cover *ba, double *jaccard);

typedef struct tm_verdict {
    int rule;                    /* TM_RULE_*; NONE: the pair does not qualify */
    double jaccard, containment; /* of the two shingle sets (1, 1 for exact) */
    int aligned;                 /* m2k, k2m below are filled */
    tm_cover m2k, k2m;           /* coverage of m by k and of k by m */
    /* --template-df: m2k and k2m are the template-aware coverages, and
     * each side's rare (own) distinct shingles and how many of them the
     * other side holds */
    int templ;
    uint32_t own_m, own_k, own_m_in_k, own_k_in_m;
    /* --substitution: tmi_align_shifts of k's shingles against m's */
    uint32_t islands, shifts;
} tm_verdict;

/* ---- document frequency of shingles (dfsketch.c, --template-df) ---- */

typedef struct tm_dfsketch tm_dfsketch;
/* A count-min sketch of 8-bit saturating counters, two per shingle in one
 * 64-byte line; as many lines as fit in `bytes` (a power of two, at least
 * 16). */
tm_error tmi_dfsketch_new(tm_dfsketch **out, uint64_t bytes);
void tmi_dfsketch_free(tm_dfsketch *s);
uint64_t tmi_dfsketch_bytes(const tm_dfsketch *s);
/* Counts one document holding shingle h (thread-safe, order-independent). */
void tmi_dfsketch_add(tm_dfsketch *s, uint32_t h);
/* The same for tmi_align_hash32 of each of v[0..n) (prefetched batches). */
void tmi_dfsketch_add_hashes(tm_dfsketch *s, const uint64_t *v, size_t n);
/* Documents holding h: never below the truth, capped at 255. */
uint32_t tmi_dfsketch_get(const tm_dfsketch *s, uint32_t h);
/* common[i] = tmi_dfsketch_get(v[i]) > bound, for i < n (prefetched). */
void tmi_dfsketch_common(const tm_dfsketch *s, const uint32_t *v, size_t n, uint32_t bound,
                         uint8_t *common);

typedef struct tm_keeper_cb {
    void *ctx;
    /* May document m be removed as a copy of the kept document k? Fills v
     * (rule NONE when not: too dissimilar, or m contains k). */
    tm_error (*judge)(void *ctx, uint32_t m, uint32_t k, tm_verdict *v);
    /* m is removed as a copy of k, by v. */
    tm_error (*removed)(void *ctx, uint32_t m, uint32_t k, const tm_verdict *v);
} tm_keeper_cb;

typedef struct tm_keeper_stats {
    uint64_t judged;     /* pairs (document, kept document) judged */
    uint64_t chain_kept; /* kept although similar to a removed document */
    uint64_t spill_runs;
} tm_keeper_stats;

typedef struct tm_keeper tm_keeper;

/* A keeper for documents 0..n_docs-1 whose two edge sorts hold at most mem/16
 * bytes each in memory (beyond: runs in tmp_dir). */
tm_error tmi_keeper_new(tm_keeper **out, size_t n_docs, uint64_t mem, const char *tmp_dir);
/* An accepted pair x, y. after is UINT32_MAX, or x or y: that document is
 * decided only after the other — the smaller one of a pair that only the
 * containment rule accepted, the member of an exact group (after its
 * leader). Callers order these constraints by (set size, priority) and
 * give exact members no other edge, so that they never form a cycle. */
tm_error tmi_keeper_add(tm_keeper *k, uint32_t x, uint32_t y, uint32_t after);
/* Decides every document (see decide.c): keeper[d] becomes d (kept) or the
 * kept document d was removed for, and cb->removed is called for each
 * removal, in processing order. order lists the documents by keep priority
 * (NULL: 0..n_docs-1); every document with an edge must be in it. The edges
 * are consumed: call once. */
tm_error tmi_keeper_resolve(tm_keeper *k, const uint32_t *order, size_t n_order, uint32_t *keeper,
                            const tm_keeper_cb *cb, tm_keeper_stats *st);
void tmi_keeper_free(tm_keeper *k);

#endif
