/*
 * dedup_sig.c — MinHash signature throughput alone (no I/O, no
 * normalisation): shingle hashes per second for each kernel variant this CPU
 * runs, and the text MB/s that corresponds to at ~6 bytes per word 5-gram.
 * Build: cc -O2 -Iinclude -Isrc bench/dedup_sig.c BUILD/libtamis.a -lxxhash ...
 * (bench/dedup_run.sh).
 */
#include "dedup/dedup.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void) {
    const size_t n = 1000, docs = 20000;
    uint64_t *h = malloc(n * sizeof *h), s = 1;
    for (size_t i = 0; i < n; i++) h[i] = (s = s * 6364136223846793005ULL + 1442695040888963407ULL);
    const char *names[] = {"portable", "avx2", "avx512"};
    for (int k = 0; k < 3; k++) {
        tm_minhasher *m;
        if (tm_minhasher_new(&m, 128, 1) || tmi_minhasher_set_kernel(m, names[k])) continue;
        uint32_t sig[128];
        unsigned acc = 0;
        double t0 = now();
        for (size_t d = 0; d < docs; d++) {
            h[d % n] ^= d;
            tm_minhash_hashes(m, h, n, sig);
            acc += sig[d % 128];
        }
        double dt = now() - t0, sh = (double)n * docs / dt;
        printf("%-8s %7.1f M shingles/s  ~%6.0f MB/s of word-5-gram text (6 B/shingle)  [%u]\n",
               names[k], sh / 1e6, sh * 6 / 1e6, acc & 1);
        tm_minhasher_free(m);
    }
    free(h);
    return 0;
}
