/*
 * dedup.h — internal building blocks of `tamis dedup`: the MinHash kernels,
 * the external sorter that keeps the LSH index and the exact/paragraph hash
 * tables within --memory, and union-find.
 *
 * Everything here is reentrant: each handle is owned by its creator and
 * touched by one thread at a time. The public entry points (tm_minhasher_*,
 * tm_lsh_params, tm_job_dedup) are declared in tamis.h.
 */
#ifndef TM_DEDUP_H
#define TM_DEDUP_H

#include "tamis.h"

#include "text/text.h"

#include <stdint.h>
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
tm_mh_kernel tm_mh_kernel_get(const char *name);
/* Name of the kernel the minhasher uses ("portable", "avx2", "avx512"). */
const char *tm_minhasher_kernel(const tm_minhasher *m);
/* Forces a kernel variant (tests); TM_ERR_UNSUPPORTED when unavailable. */
tm_error tm_minhasher_set_kernel(tm_minhasher *m, const char *name);

/* Distinct seeds keep word and character shingles in disjoint hash spaces. */
#define TM_SEED_WORDS 0x74616d6973773530ULL
#define TM_SEED_CHARS 0x74616d6973633530ULL

/* Shingle hashes of already-normalised s into out (replaced), choosing word
 * or character shingles as o->kind says; the allocation-free core of
 * tm_shingle_text for the per-worker hot path. */
tm_error tm_shingle_into(const char *s, size_t len, const tm_shingle_opts *o, tm_u64s *out,
                         int *used_chars);

/* The 128-bit exact-duplicate key of already-normalised text. */
void tm_exact_key(const char *s, size_t len, uint64_t key[2]);

/* ---- external sort of fixed 24-byte records ---- */

/* Records sort lexicographically on (a, b, c). Band keys are (band, hash,
 * doc), exact keys (hash_hi, hash_lo, doc), paragraph keys (line hash, doc,
 * line << 32 | chars), candidate pairs (lo, hi, 0). */
typedef struct tm_rec {
    uint64_t a, b, c;
} tm_rec;

typedef struct tm_xsort tm_xsort;

/* A sorter that holds at most mem_bytes of records in memory; beyond that,
 * sorted runs go to anonymous (already unlinked) files in tmp_dir and are
 * k-way merged, 64 at a time, by tm_xsort_next. The handle owns its files. */
tm_error tm_xsort_new(tm_xsort **out, size_t mem_bytes, const char *tmp_dir);
tm_error tm_xsort_add(tm_xsort *s, uint64_t a, uint64_t b, uint64_t c);
/* Ends the input phase; afterwards tm_xsort_next yields records in order. */
tm_error tm_xsort_finish(tm_xsort *s);
/* TM_OK with *r filled, TM_EOF after the last record, or TM_ERR_IO. */
tm_error tm_xsort_next(tm_xsort *s, tm_rec *r);
uint64_t tm_xsort_count(const tm_xsort *s);
/* Sorted runs written to disk so far (0 = everything stayed in memory). */
uint64_t tm_xsort_runs(const tm_xsort *s);
void tm_xsort_free(tm_xsort *s);

/* Creates an anonymous read-write temporary file in dir (unlinked at once,
 * so nothing is left behind even on a crash); returns NULL on failure. */
FILE *tm_dedup_tmpfile(const char *dir);

/* ---- union-find over dense 32-bit document numbers ---- */

/* The root of every set is its smallest member, which makes the clustering
 * independent of the order in which pairs are merged (and the "first in
 * input order" keep rule a plain find). Path halving keeps finds short. */
typedef struct tm_uf {
    uint32_t *parent;
    size_t n, cap;
} tm_uf;

/* Grows the forest so that 0..n-1 exist (new elements are singletons). */
tm_error tm_uf_grow(tm_uf *u, size_t n);
uint32_t tm_uf_find(tm_uf *u, uint32_t x);
/* Merges the sets of x and y; returns 1 when they were distinct. */
int tm_uf_union(tm_uf *u, uint32_t x, uint32_t y);
void tm_uf_free(tm_uf *u);

#endif
