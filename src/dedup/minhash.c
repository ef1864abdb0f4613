/*
 * minhash.c — MinHash signatures, LSH banding parameters and the exact key.
 *
 * A signature is min over shingles of (a_i * x + b_i) mod 2^32 for each of
 * the `perms` permutations, where x folds the 64-bit XXH3 shingle hash to 32
 * bits. With odd a_i each map is a bijection of the 32-bit space, and x is
 * already a strong hash, so the minimum is a fair sample (the unit tests check
 * the estimate against exact Jaccard). The cost is perms multiply-add-min per
 * shingle; the parameters are a structure of arrays walked in blocks of
 * TM_MH_LANES. The portable kernel is plain C with a constant trip count
 * (the compiler vectorises it for the build's baseline ISA); the AVX2 and
 * AVX-512F kernels, compiled through target attributes, keep the running
 * minima of 64 or 128 lanes in registers: one broadcast of x, then
 * vpmulld/vpaddd/vpminud per register. The best one the CPU supports is
 * picked once at run time with __builtin_cpu_supports — never -march=native.
 *
 * The banding (bands x rows) follows datasketch's _optimal_param: minimise
 * the weighted areas of false positives (below the threshold) and false
 * negatives (above it) under the LSH S-curve.
 */
#include "dedup/dedup.h"

#include "text/text.h"
#include "util/buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

struct tm_minhasher {
    int perms;
    size_t padded; /* perms rounded up to TM_MH_LANES */
    uint32_t *a, *b;
    tm_mh_kernel kernel;
    const char *kernel_name;
};

static uint64_t splitmix64(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The kernel body: for each block of lanes, the running minima stay in
 * registers while the shingles stream past. */
#define TM_MH_BODY                                                                                 \
    for (size_t p0 = 0; p0 < padded; p0 += TM_MH_LANES) {                                          \
        uint32_t m[TM_MH_LANES], ra[TM_MH_LANES], rb[TM_MH_LANES];                                 \
        for (int j = 0; j < TM_MH_LANES; j++) {                                                    \
            m[j] = UINT32_MAX;                                                                     \
            ra[j] = a[p0 + j];                                                                     \
            rb[j] = b[p0 + j];                                                                     \
        }                                                                                          \
        for (size_t k = 0; k < n; k++) {                                                           \
            uint32_t x = (uint32_t)h[k] ^ (uint32_t)(h[k] >> 32);                                  \
            for (int j = 0; j < TM_MH_LANES; j++) {                                                \
                uint32_t v = ra[j] * x + rb[j];                                                    \
                m[j] = v < m[j] ? v : m[j];                                                        \
            }                                                                                      \
        }                                                                                          \
        memcpy(sig + p0, m, sizeof m);                                                             \
    }

static void mh_portable(const uint32_t *restrict a, const uint32_t *restrict b, size_t padded,
                        const uint64_t *restrict h, size_t n, uint32_t *restrict sig) {
    TM_MH_BODY
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TM_MH_X86 1
#include <immintrin.h>

/*
 * The SIMD kernels are written with intrinsics: compiled from TM_MH_BODY,
 * GCC kept the running minima in a stack array and paid a load and a store
 * per vector per shingle. Here each block of lanes keeps its minima in
 * named registers (8 of them) while the shingles stream past, and the
 * multipliers and offsets are memory operands (L1 loads folded into
 * vpmulld/vpaddd). Per shingle and 8 (AVX2) or 16 (AVX-512) lanes: one
 * multiply, one add, one unsigned min — the portable body's arithmetic
 * exactly, so the results are equal bit for bit (tests/unit/test_dedup.c).
 */
#define TM_FOLD(hk) ((uint32_t)(hk) ^ (uint32_t)((hk) >> 32))

/* One step of lane group j: m_j = min(m_j, a_j * x + b_j). */
#define TM_AVX2_STEP(j)                                                                            \
    m##j = _mm256_min_epu32(                                                                       \
        m##j, _mm256_add_epi32(                                                                    \
                  _mm256_mullo_epi32(x, _mm256_load_si256((const __m256i *)(a + p0) + (j))),       \
                  _mm256_load_si256((const __m256i *)(b + p0) + (j))))

__attribute__((target("avx2"))) static void mh_avx2(const uint32_t *restrict a,
                                                    const uint32_t *restrict b, size_t padded,
                                                    const uint64_t *restrict h, size_t n,
                                                    uint32_t *restrict sig) {
    size_t p0 = 0;
    /* 64 lanes (8 registers of minima) at a time, then a 32-lane tail */
    for (; p0 + 64 <= padded; p0 += 64) {
        __m256i m0 = _mm256_set1_epi32(-1), m1 = m0, m2 = m0, m3 = m0, m4 = m0, m5 = m0, m6 = m0,
                m7 = m0;
        for (size_t k = 0; k < n; k++) {
            __m256i x = _mm256_set1_epi32((int)TM_FOLD(h[k]));
            TM_AVX2_STEP(0);
            TM_AVX2_STEP(1);
            TM_AVX2_STEP(2);
            TM_AVX2_STEP(3);
            TM_AVX2_STEP(4);
            TM_AVX2_STEP(5);
            TM_AVX2_STEP(6);
            TM_AVX2_STEP(7);
        }
        __m256i *o = (__m256i *)(sig + p0);
        _mm256_storeu_si256(o + 0, m0);
        _mm256_storeu_si256(o + 1, m1);
        _mm256_storeu_si256(o + 2, m2);
        _mm256_storeu_si256(o + 3, m3);
        _mm256_storeu_si256(o + 4, m4);
        _mm256_storeu_si256(o + 5, m5);
        _mm256_storeu_si256(o + 6, m6);
        _mm256_storeu_si256(o + 7, m7);
    }
    for (; p0 < padded; p0 += 32) {
        __m256i m0 = _mm256_set1_epi32(-1), m1 = m0, m2 = m0, m3 = m0;
        for (size_t k = 0; k < n; k++) {
            __m256i x = _mm256_set1_epi32((int)TM_FOLD(h[k]));
            TM_AVX2_STEP(0);
            TM_AVX2_STEP(1);
            TM_AVX2_STEP(2);
            TM_AVX2_STEP(3);
        }
        __m256i *o = (__m256i *)(sig + p0);
        _mm256_storeu_si256(o + 0, m0);
        _mm256_storeu_si256(o + 1, m1);
        _mm256_storeu_si256(o + 2, m2);
        _mm256_storeu_si256(o + 3, m3);
    }
}

#define TM_AVX512_STEP(j)                                                                          \
    m##j = _mm512_min_epu32(                                                                       \
        m##j, _mm512_add_epi32(                                                                    \
                  _mm512_mullo_epi32(x, _mm512_load_si512((const __m512i *)(a + p0) + (j))),       \
                  _mm512_load_si512((const __m512i *)(b + p0) + (j))))

__attribute__((target("avx512f"))) static void mh_avx512(const uint32_t *restrict a,
                                                         const uint32_t *restrict b, size_t padded,
                                                         const uint64_t *restrict h, size_t n,
                                                         uint32_t *restrict sig) {
    size_t p0 = 0;
    /* 128 lanes (8 registers) at a time: the default signature in one pass */
    for (; p0 + 128 <= padded; p0 += 128) {
        __m512i m0 = _mm512_set1_epi32(-1), m1 = m0, m2 = m0, m3 = m0, m4 = m0, m5 = m0, m6 = m0,
                m7 = m0;
        for (size_t k = 0; k < n; k++) {
            __m512i x = _mm512_set1_epi32((int)TM_FOLD(h[k]));
            TM_AVX512_STEP(0);
            TM_AVX512_STEP(1);
            TM_AVX512_STEP(2);
            TM_AVX512_STEP(3);
            TM_AVX512_STEP(4);
            TM_AVX512_STEP(5);
            TM_AVX512_STEP(6);
            TM_AVX512_STEP(7);
        }
        __m512i *o = (__m512i *)(sig + p0);
        _mm512_storeu_si512(o + 0, m0);
        _mm512_storeu_si512(o + 1, m1);
        _mm512_storeu_si512(o + 2, m2);
        _mm512_storeu_si512(o + 3, m3);
        _mm512_storeu_si512(o + 4, m4);
        _mm512_storeu_si512(o + 5, m5);
        _mm512_storeu_si512(o + 6, m6);
        _mm512_storeu_si512(o + 7, m7);
    }
    for (; p0 < padded; p0 += 32) {
        __m512i m0 = _mm512_set1_epi32(-1), m1 = m0;
        for (size_t k = 0; k < n; k++) {
            __m512i x = _mm512_set1_epi32((int)TM_FOLD(h[k]));
            TM_AVX512_STEP(0);
            TM_AVX512_STEP(1);
        }
        __m512i *o = (__m512i *)(sig + p0);
        _mm512_storeu_si512(o + 0, m0);
        _mm512_storeu_si512(o + 1, m1);
    }
}
#endif

tm_mh_kernel tmi_mh_kernel_get(const char *name) {
    if (!strcmp(name, "portable")) return mh_portable;
#ifdef TM_MH_X86
    __builtin_cpu_init();
    if (!strcmp(name, "avx2") && __builtin_cpu_supports("avx2")) return mh_avx2;
    if (!strcmp(name, "avx512") && __builtin_cpu_supports("avx512f")) return mh_avx512;
#endif
    return NULL;
}

tm_error tmi_minhasher_set_kernel(tm_minhasher *m, const char *name) {
    static const char *const names[] = {"portable", "avx2", "avx512"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (strcmp(name, names[i])) continue;
        tm_mh_kernel k = tmi_mh_kernel_get(name);
        if (!k) return TM_ERR_UNSUPPORTED;
        m->kernel = k;
        m->kernel_name = names[i];
        return TM_OK;
    }
    return TM_ERR_UNSUPPORTED;
}

const char *tmi_minhasher_kernel(const tm_minhasher *m) {
    return m->kernel_name;
}

tm_error tm_minhasher_new(tm_minhasher **out, int perms, uint64_t seed) {
    *out = NULL;
    if (perms < 1 || perms > 4096) return TM_ERR_ARG;
    tm_minhasher *m = calloc(1, sizeof *m);
    if (!m) return TM_ERR_NOMEM;
    m->perms = perms;
    m->padded = ((size_t)perms + TM_MH_LANES - 1) / TM_MH_LANES * TM_MH_LANES;
    m->a = aligned_alloc(64, m->padded * sizeof(uint32_t));
    m->b = aligned_alloc(64, m->padded * sizeof(uint32_t));
    if (!m->a || !m->b) {
        tm_minhasher_free(m);
        return TM_ERR_NOMEM;
    }
    uint64_t s = seed;
    for (size_t i = 0; i < m->padded; i++) {
        uint64_t r = splitmix64(&s);
        m->a[i] = (uint32_t)r | 1u; /* odd: a bijection mod 2^32 */
        m->b[i] = (uint32_t)(r >> 32);
    }
    if (tmi_minhasher_set_kernel(m, "avx512") && tmi_minhasher_set_kernel(m, "avx2"))
        tmi_minhasher_set_kernel(m, "portable");
    *out = m;
    return TM_OK;
}

void tm_minhasher_free(tm_minhasher *m) {
    if (!m) return;
    free(m->a);
    free(m->b);
    free(m);
}

int tm_minhasher_perms(const tm_minhasher *m) {
    return m->perms;
}

void tm_minhash_hashes(const tm_minhasher *m, const uint64_t *hashes, size_t n, uint32_t *sig) {
    if ((size_t)m->perms == m->padded) {
        m->kernel(m->a, m->b, m->padded, hashes, n, sig);
        return;
    }
    /* Padding lanes need room: compute into a local block, copy the head. */
    uint32_t tmp[4096 + TM_MH_LANES];
    m->kernel(m->a, m->b, m->padded, hashes, n, tmp);
    memcpy(sig, tmp, (size_t)m->perms * sizeof *sig);
}

double tm_minhash_similarity(const uint32_t *a, const uint32_t *b, int perms) {
    if (perms <= 0) return 0.0;
    int eq = 0;
    for (int i = 0; i < perms; i++) eq += a[i] == b[i];
    return (double)eq / perms;
}

void tm_shingle_opts_init(tm_shingle_opts *o) {
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->norm = TM_NORM_NFKC | TM_NORM_CASEFOLD | TM_NORM_WS;
    o->kind = TM_SHINGLE_AUTO;
    o->word_n = 5;
    o->char_n = 5;
}

tm_error tmi_shingle_into(const char *s, size_t len, const tm_shingle_opts *o, tm_u64s *out,
                          int *used_chars) {
    int chars = o->kind == TM_SHINGLE_CHARS ||
                (o->kind == TM_SHINGLE_AUTO && tmi_nospace_exceeds(s, len, 0.3));
    if (used_chars) *used_chars = chars;
    return chars ? tmi_shingle_chars(s, len, o->char_n > 0 ? o->char_n : 5, TM_SEED_CHARS, out)
                 : tmi_shingle_words(s, len, o->word_n > 0 ? o->word_n : 5, TM_SEED_WORDS, out);
}

tm_error tm_shingle_text(const char *text, size_t len, const tm_shingle_opts *o_in, uint64_t **out,
                         size_t *n_out, int *used_chars) {
    tm_shingle_opts o_copy;
    tm_shingle_opts_init(&o_copy);
    TM_TRY(tmi_opts_in(&o_copy, sizeof o_copy, o_in, "tm_shingle_text"));
    const tm_shingle_opts *o = &o_copy;
    *out = NULL;
    *n_out = 0;
    tm_buf nb = {0};
    tm_u64s sh = {0};
    tm_error e = TM_OK;
    const char *s = text;
    size_t sl = len;
    if (o->norm > 0) {
        if ((e = tm_normalize(text, len, o->norm, &nb))) goto out;
        s = nb.data ? nb.data : "";
        sl = nb.len;
    }
    if ((e = tmi_shingle_into(s, sl, o, &sh, used_chars))) goto out;
    *out = sh.v;
    *n_out = sh.n;
    sh.v = NULL;
out:
    tm_buf_free(&nb);
    tmi_u64s_free(&sh);
    return e;
}

static int cmp_u64(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

tm_error tm_jaccard_hashes(const uint64_t *a, size_t na, const uint64_t *b, size_t nb,
                           double *out) {
    *out = 0.0;
    uint64_t *x = malloc((na + nb + 1) * sizeof *x);
    if (!x) return TM_ERR_NOMEM;
    if (na) memcpy(x, a, na * sizeof *x);
    if (nb) memcpy(x + na, b, nb * sizeof *x);
    qsort(x, na, sizeof *x, cmp_u64);
    qsort(x + na, nb, sizeof *x, cmp_u64);
    /* Intersection and union of the two deduplicated sorted runs. */
    size_t i = 0, j = 0, inter = 0, uni = 0;
    uint64_t *p = x, *q = x + na;
    while (i < na || j < nb) {
        if (j >= nb || (i < na && p[i] < q[j])) {
            uint64_t v = p[i];
            while (i < na && p[i] == v) i++;
        } else if (i >= na || q[j] < p[i]) {
            uint64_t v = q[j];
            while (j < nb && q[j] == v) j++;
        } else {
            uint64_t v = p[i];
            while (i < na && p[i] == v) i++;
            while (j < nb && q[j] == v) j++;
            inter++;
        }
        uni++;
    }
    free(x);
    *out = uni ? (double)inter / (double)uni : 0.0;
    return TM_OK;
}

/* ---- LSH banding ---- */

/* x^n by squaring: the exponents are small integers, and libm's pow()
 * made this search cost ~0.1 s of CPU per job. */
static double ipow(double x, int n) {
    double r = 1.0;
    while (n) {
        if (n & 1) r *= x;
        x *= x;
        n >>= 1;
    }
    return r;
}

/* Simpson's rule on 1000 intervals: the integrands are smooth polynomials,
 * and this matches scipy.integrate.quad (datasketch) to ~1e-9, far below the
 * gap between competing (bands, rows) choices. */
#define TM_AREA_N 1000

/* sr[i] = s_i^rows at the Simpson nodes s_i = lo + i * h of [lo, hi]. */
static void area_nodes(double lo, double hi, int rows, double *sr) {
    double h = (hi - lo) / TM_AREA_N;
    for (int i = 0; i <= TM_AREA_N; i++) sr[i] = ipow(lo + i * h, rows);
}

/* Area under the S-curve 1 - (1 - s^rows)^bands (above = 0), or over it
 * (above = 1), on [lo, hi], from the nodes of area_nodes. */
static double area(double lo, double hi, const double *sr, int bands, int above) {
    double h = (hi - lo) / TM_AREA_N, sum = 0.0;
    for (int i = 0; i <= TM_AREA_N; i++) {
        double p = 1.0 - ipow(1.0 - sr[i], bands);
        double f = above ? 1.0 - p : p;
        sum += f * (i == 0 || i == TM_AREA_N ? 1 : (i % 2 ? 4 : 2));
    }
    return sum * h / 3.0;
}

tm_error tm_lsh_params(double threshold, int perms, int *bands, int *rows) {
    if (!(threshold > 0.0 && threshold < 1.0) || perms < 1 || perms > 4096) return TM_ERR_ARG;
    double best = INFINITY;
    int bb = 1, br = 1;
    double lo_nodes[TM_AREA_N + 1], hi_nodes[TM_AREA_N + 1];
    /* The argmin over (bands, rows) in lexicographic order, first on ties,
     * searched with rows outside so that s^rows is computed once per row
     * count rather than once per banding. */
    for (int r = 1; r <= perms; r++) {
        area_nodes(0.0, threshold, r, lo_nodes);
        area_nodes(threshold, 1.0, r, hi_nodes);
        for (int b = 1; b <= perms / r; b++) {
            double fp = area(0.0, threshold, lo_nodes, b, 0);
            /* err >= 0.5 * fp (fn >= 0 and rounding is monotone): a banding
             * whose false-positive area alone loses needs no second area */
            if (0.5 * fp > best) continue;
            double fn = area(threshold, 1.0, hi_nodes, b, 1);
            double err = 0.5 * fp + 0.5 * fn;
            if (err < best || (err == best && b < bb)) {
                best = err;
                bb = b;
                br = r;
            }
        }
    }
    *bands = bb;
    *rows = br;
    return TM_OK;
}

void tmi_exact_key(const char *s, size_t len, uint64_t key[2]) {
    XXH128_hash_t h = XXH3_128bits(s, len);
    key[0] = h.high64;
    key[1] = h.low64;
}
