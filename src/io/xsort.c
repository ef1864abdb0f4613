/*
 * xsort.c — external sort of fixed 24-byte records, and the anonymous
 * temporary files it spills to (the one TMPDIR lookup of the library).
 *
 * The LSH index, the exact-hash table and the paragraph table of `tamis
 * dedup` are all "group equal keys" problems, so instead of hash tables that
 * grow with the corpus they are sorted streams: records accumulate in a
 * buffer of at most mem_bytes; a full buffer is sorted and written as a run to
 * an anonymous file in tmp_dir; at the end the runs are merged with a binary
 * heap (at most TM_XS_FANIN open at once: more runs are first merged into
 * bigger runs). Small inputs never touch the disk. Output order is a pure
 * function of the records, so the result does not depend on the memory
 * budget — the tests compare a tiny budget against an unbounded one.
 */
#include "io/xsort.h"
#include "util/buf.h"

#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>

#define TM_XS_FANIN 64

typedef struct run_in {
    FILE *f;
    tm_rec cur;
} run_in;

struct tm_xsort {
    char *tmp_dir;
    tm_rec *buf;
    size_t n, cap;      /* records buffered; the most allowed (budget) */
    size_t buf_cap_now; /* records allocated so far (grows to cap) */
    FILE **runs;
    size_t n_runs, runs_cap;
    uint64_t count, runs_written;
    int finished;
    size_t pos; /* in-memory iteration */
    run_in *in; /* merge inputs */
    size_t *heap, n_heap;
};

static int rec_cmp(const tm_rec *x, const tm_rec *y) {
    if (x->a != y->a) return x->a < y->a ? -1 : 1;
    if (x->b != y->b) return x->b < y->b ? -1 : 1;
    if (x->c != y->c) return x->c < y->c ? -1 : 1;
    return 0;
}

/* ---- in-memory sort ----
 *
 * Sorting the buffer was the largest serial cost of `tamis dedup` (qsort's
 * merge sort with an indirect comparator: 12 % of one job's CPU for 32 band
 * keys a document). This is an in-place MSD radix sort (American flag sort):
 * the key is the 24 bytes of (a, b, c) read most significant first; each
 * level counts one key byte over a range, permutes the range into its 256
 * buckets by cycle-walking, and recurses into every bucket. Bytes that are
 * equal across the whole buffer (the high bytes of a band number, of a doc
 * number) are found with one pass at the start and never counted. Ranges
 * under 32 records go to insertion sort on the full key. In place, so the
 * buffer stays the only memory (qsort allocated a second one). Equal records
 * are identical, so the lack of stability cannot change the output. */

#define TM_XS_SMALL 32

static inline unsigned key_byte(const tm_rec *r, unsigned d) {
    uint64_t w = d < 8 ? r->a : d < 16 ? r->b : r->c;
    return (unsigned)(w >> (56 - 8 * (d & 7))) & 0xffu;
}

static void insertion_sort(tm_rec *v, size_t n) {
    for (size_t i = 1; i < n; i++) {
        tm_rec x = v[i];
        size_t j = i;
        while (j > 0 && rec_cmp(&x, &v[j - 1]) < 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* skip[d] is 1 when key byte d is the same in every record of the buffer. */
static void radix_sort(tm_rec *v, size_t n, unsigned d, const unsigned char *skip) {
    while (d < 24 && skip[d]) d++;
    if (n < TM_XS_SMALL) {
        insertion_sort(v, n);
        return;
    }
    if (d == 24) return; /* all keys equal */
    size_t count[256] = {0}, head[256], end[256];
    for (size_t i = 0; i < n; i++) count[key_byte(&v[i], d)]++;
    size_t at = 0;
    for (unsigned b = 0; b < 256; b++) {
        if (count[b] == n) { /* one bucket at this depth: nothing to move */
            radix_sort(v, n, d + 1, skip);
            return;
        }
        head[b] = at;
        at += count[b];
        end[b] = at;
    }
    for (unsigned b = 0; b < 256; b++) {
        while (head[b] < end[b]) {
            tm_rec x = v[head[b]];
            unsigned k;
            while ((k = key_byte(&x, d)) != b) {
                tm_rec t = v[head[k]];
                v[head[k]++] = x;
                x = t;
            }
            v[head[b]++] = x;
        }
    }
    for (unsigned b = 0; b < 256; b++)
        if (count[b] > 1) radix_sort(v + end[b] - count[b], count[b], d + 1, skip);
}

/* Sorts v[0, n) by (a, b, c). */
static void rec_sort(tm_rec *v, size_t n) {
    if (n < 2) return;
    uint64_t da = 0, db = 0, dc = 0;
    for (size_t i = 1; i < n; i++) {
        da |= v[i].a ^ v[0].a;
        db |= v[i].b ^ v[0].b;
        dc |= v[i].c ^ v[0].c;
    }
    unsigned char skip[24];
    for (unsigned d = 0; d < 24; d++) {
        uint64_t w = d < 8 ? da : d < 16 ? db : dc;
        skip[d] = ((w >> (56 - 8 * (d & 7))) & 0xffu) == 0;
    }
    radix_sort(v, n, 0, skip);
}

const char *tmi_io_tmp_dir(const char *dir) {
    if (!dir || !*dir) dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

FILE *tmi_io_tmpfile(const char *dir) {
    dir = tmi_io_tmp_dir(dir);
    char path[4096]; /* no allocation: a NULL here is the file system's (or fdopen's) */
    if ((size_t)snprintf(path, sizeof path, "%s/tamis-dedup-XXXXXX", dir) >= sizeof path) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    int fd = mkstemp(path);
    FILE *f = NULL;
    if (fd >= 0) {
        unlink(path);
        f = fdopen(fd, "w+b");
        if (!f) {
            int saved = errno;
            close(fd);
            errno = saved;
        }
    }
    return f;
}

tm_error tmi_xsort_new(tm_xsort **out, size_t mem_bytes, const char *tmp_dir) {
    *out = NULL;
    tm_xsort *s = calloc(1, sizeof *s);
    if (!s) return TM_ERR_NOMEM;
    s->cap = mem_bytes / sizeof(tm_rec);
    if (s->cap < 64) s->cap = 64;
    s->tmp_dir = tmp_dir ? strdup(tmp_dir) : NULL;
    if (tmp_dir && !s->tmp_dir) {
        free(s);
        return TM_ERR_NOMEM;
    }
    *out = s;
    return TM_OK;
}

static tm_error push_run(tm_xsort *s, FILE *f) {
    TM_TRY(TM_GROW(s->runs, s->runs_cap, s->n_runs + 1, 0));
    s->runs[s->n_runs++] = f;
    return TM_OK;
}

static tm_error spill(tm_xsort *s) {
    if (!s->n) return TM_OK;
    rec_sort(s->buf, s->n);
    FILE *f = tmi_io_tmpfile(s->tmp_dir);
    if (!f) return tmi_io_open_error();
    if (fwrite(s->buf, sizeof *s->buf, s->n, f) != s->n || fflush(f)) {
        fclose(f);
        return TM_ERR_IO;
    }
    tm_error e = push_run(s, f);
    if (e) {
        fclose(f);
        return e;
    }
    s->runs_written++;
    s->n = 0;
    return TM_OK;
}

tm_error tmi_xsort_add(tm_xsort *s, uint64_t a, uint64_t b, uint64_t c) {
    if (s->finished) return TM_ERR_INTERNAL;
    if (!s->buf) {
        /* Grow lazily: most sorters of a small job stay tiny. */
        size_t first = s->cap < 4096 ? s->cap : 4096;
        s->buf = malloc(first * sizeof *s->buf);
        if (!s->buf) return TM_ERR_NOMEM;
        s->buf_cap_now = first;
    }
    if (s->n == s->buf_cap_now) {
        if (s->buf_cap_now < s->cap) {
            TM_TRY(TM_GROW(s->buf, s->buf_cap_now, s->n + 1, s->cap));
        } else {
            tm_error e = spill(s);
            if (e) return e;
        }
    }
    tm_rec *r = &s->buf[s->n++];
    r->a = a;
    r->b = b;
    r->c = c;
    s->count++;
    return TM_OK;
}

/* ---- merging ---- */

static int run_read(run_in *r) {
    return fread(&r->cur, sizeof r->cur, 1, r->f) == 1;
}

static int heap_less(const tm_xsort *s, size_t x, size_t y) {
    int c = rec_cmp(&s->in[x].cur, &s->in[y].cur);
    return c < 0 || (c == 0 && x < y);
}

static void heap_down(tm_xsort *s, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < s->n_heap && heap_less(s, s->heap[l], s->heap[m])) m = l;
        if (r < s->n_heap && heap_less(s, s->heap[r], s->heap[m])) m = r;
        if (m == i) return;
        size_t t = s->heap[i];
        s->heap[i] = s->heap[m];
        s->heap[m] = t;
        i = m;
    }
}

/* Opens a merge over runs[from, from + k). */
static tm_error merge_open(tm_xsort *s, size_t from, size_t k) {
    free(s->in);
    free(s->heap);
    s->in = calloc(k ? k : 1, sizeof *s->in);
    s->heap = calloc(k ? k : 1, sizeof *s->heap);
    if (!s->in || !s->heap) return TM_ERR_NOMEM;
    s->n_heap = 0;
    for (size_t i = 0; i < k; i++) {
        s->in[i].f = s->runs[from + i];
        rewind(s->in[i].f);
        if (run_read(&s->in[i]))
            s->heap[s->n_heap++] = i;
        else if (ferror(s->in[i].f))
            return TM_ERR_IO;
    }
    for (size_t i = s->n_heap; i-- > 0;) heap_down(s, i);
    return TM_OK;
}

static tm_error merge_next(tm_xsort *s, tm_rec *out) {
    if (!s->n_heap) return TM_EOF;
    size_t top = s->heap[0];
    *out = s->in[top].cur;
    if (!run_read(&s->in[top])) {
        if (ferror(s->in[top].f)) return TM_ERR_IO;
        s->heap[0] = s->heap[--s->n_heap];
    }
    heap_down(s, 0);
    return TM_OK;
}

tm_error tmi_xsort_finish(tm_xsort *s) {
    if (s->finished) return TM_OK;
    s->finished = 1;
    if (!s->n_runs) {
        rec_sort(s->buf, s->n);
        s->pos = 0;
        return TM_OK;
    }
    tm_error e = spill(s);
    if (e) return e;
    free(s->buf);
    s->buf = NULL;
    s->buf_cap_now = 0;
    /* Cascade: merge the oldest TM_XS_FANIN runs into one until few remain. */
    while (s->n_runs > TM_XS_FANIN) {
        if ((e = merge_open(s, 0, TM_XS_FANIN))) return e;
        FILE *f = tmi_io_tmpfile(s->tmp_dir);
        if (!f) return tmi_io_open_error();
        tm_rec r;
        while ((e = merge_next(s, &r)) == TM_OK)
            if (fwrite(&r, sizeof r, 1, f) != 1) break;
        if (e != TM_EOF || fflush(f)) {
            fclose(f);
            return e == TM_EOF ? TM_ERR_IO : e;
        }
        for (size_t i = 0; i < TM_XS_FANIN; i++) fclose(s->runs[i]);
        memmove(s->runs, s->runs + TM_XS_FANIN, (s->n_runs - TM_XS_FANIN) * sizeof *s->runs);
        s->n_runs -= TM_XS_FANIN;
        s->runs[s->n_runs++] = f;
        s->runs_written++;
    }
    return merge_open(s, 0, s->n_runs);
}

tm_error tmi_xsort_next(tm_xsort *s, tm_rec *r) {
    if (!s->finished) return TM_ERR_INTERNAL;
    if (!s->n_runs) {
        if (s->pos >= s->n) return TM_EOF;
        *r = s->buf[s->pos++];
        return TM_OK;
    }
    return merge_next(s, r);
}

uint64_t tmi_xsort_count(const tm_xsort *s) {
    return s->count;
}
uint64_t tmi_xsort_runs(const tm_xsort *s) {
    return s->runs_written;
}

void tmi_xsort_free(tm_xsort *s) {
    if (!s) return;
    for (size_t i = 0; i < s->n_runs; i++) fclose(s->runs[i]);
    free(s->runs);
    free(s->buf);
    free(s->in);
    free(s->heap);
    free(s->tmp_dir);
    free(s);
}
