/*
 * clean_eval.c — evaluation of `tamis clean` on real corpora that may not be
 * copied into the repository (../shared/data/mojibake, news-fr). Prints
 * numbers, and with `edits` the edits in context for review by hand on the
 * local machine (never commit that output: the data is local-only).
 *
 *   clean_eval mojibake FILE          broken→clean exact repairs; clean sides unchanged
 *   clean_eval unchanged FILE...      encoding repair must not touch these files
 *   clean_eval edits FILE [THRESHOLD] [EVERY]
 *                                     counts per op on a JSONL corpus ("text"),
 *                                     then every EVERY-th edit with context
 *   clean_eval speed FILE [OPS] [ROUNDS]
 *                                     library throughput on one thread: the
 *                                     texts of a JSONL corpus loaded in memory,
 *                                     cleaned ROUNDS times (default 3); MB per
 *                                     CPU-second (clock()), not wall time
 *
 * Build (after make BUILD=build):
 *   cc -std=c11 -O2 -D_GNU_SOURCE -Iinclude -o build/clean_eval bench/clean_eval.c \
 *     build/libtamis.a -lcld2_full -lcld2 -lutf8proc -lxxhash -lzstd -lz -ljansson \
 *     -lstdc++ -lpthread -lm
 */
#include "tamis.h"

#include <jansson.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)sz + 1);
    *n = b ? fread(b, 1, (size_t)sz, f) : 0;
    fclose(f);
    if (b) b[*n] = '\0';
    return b;
}

static int mojibake(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return 1;
    tm_clean_opts o;
    tm_clean_opts_init(&o);
    o.ops = TM_CLEAN_ENCODING;
    tm_cleaner *c;
    tm_cleaner_new(&c, &o);
    char *line = NULL;
    size_t cap = 0;
    int pairs = 0, fixed = 0, clean_same = 0, broken_changed = 0;
    tm_buf out = {0};
    while (getline(&line, &cap, f) > 0) {
        json_t *j = json_loads(line, 0, NULL);
        if (!j) continue;
        const char *b = json_string_value(json_object_get(j, "broken"));
        const char *k = json_string_value(json_object_get(j, "clean"));
        pairs++;
        tm_buf_free(&out);
        tm_clean_text(c, b, strlen(b), "en", &out, NULL, NULL);
        if (out.len != strlen(b) || memcmp(out.data, b, out.len)) broken_changed++;
        if (out.len == strlen(k) && !memcmp(out.data, k, out.len))
            fixed++;
        else
            printf("NOT FIXED: %s\n      got: %s\n", b, out.data);
        tm_buf_free(&out);
        tm_clean_text(c, k, strlen(k), "en", &out, NULL, NULL);
        if (out.len == strlen(k) && !memcmp(out.data, k, out.len))
            clean_same++;
        else
            printf("CLEAN CHANGED: %s\n", k);
        json_decref(j);
    }
    printf("pairs %d: broken repaired exactly %d, broken changed %d, clean unchanged %d\n", pairs,
           fixed, broken_changed, clean_same);
    tm_buf_free(&out);
    tm_cleaner_free(c);
    free(line);
    fclose(f);
    return 0;
}

static int unchanged(int n, char **paths) {
    tm_clean_opts o;
    tm_clean_opts_init(&o);
    o.ops = TM_CLEAN_ENCODING;
    tm_cleaner *c;
    tm_cleaner_new(&c, &o);
    int changed = 0, files = 0;
    size_t bytes = 0;
    for (int i = 0; i < n; i++) {
        size_t len;
        char *s = slurp(paths[i], &len);
        if (!s || tm_utf8_valid_prefix(s, len) != len) {
            free(s);
            continue;
        }
        tm_buf out = {0}, ed = {0};
        tm_clean_text(c, s, len, NULL, &out, &ed, NULL);
        files++;
        bytes += len;
        if (out.len != len || memcmp(out.data, s, len)) {
            changed++;
            printf("CHANGED %s %s\n", paths[i], ed.data);
        }
        tm_buf_free(&out);
        tm_buf_free(&ed);
        free(s);
    }
    printf("files %d (%zu bytes): changed by encoding repair %d\n", files, bytes, changed);
    tm_cleaner_free(c);
    return changed != 0;
}

/* Prints up to w bytes of s around [b, e) on one line, cut at UTF-8 starts. */
static void ctx(const char *s, size_t n, size_t b, size_t e, size_t w) {
    size_t lo = b > w ? b - w : 0, hi = e + w < n ? e + w : n;
    while (lo > 0 && ((unsigned char)s[lo] & 0xC0) == 0x80) lo--;
    while (hi < n && ((unsigned char)s[hi] & 0xC0) == 0x80) hi++;
    for (size_t i = lo; i < hi; i++) putchar(s[i] == '\n' ? '|' : s[i]);
}

static int blank_line(const char *p, const char *q) {
    for (; p < q; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r') return 0;
    return 1;
}

/* Paragraph k (1-based) of s, split as src/clean/paragraphs.c splits. */
static void para(const char *s, size_t n, long k) {
    const char *e = s + n;
    size_t lines = 0, gaps = 0, bytes = 0;
    int before = 0;
    for (const char *p = s; p < e;) {
        const char *q = memchr(p, '\n', (size_t)(e - p));
        if (!q) q = e;
        if (blank_line(p, q))
            before = lines > 0;
        else {
            gaps += (size_t)before;
            before = 0;
            lines++;
            bytes += (size_t)(q - p);
        }
        p = q + 1;
    }
    size_t adjacent = lines > gaps ? lines - 1 - gaps : 0;
    int block = gaps > 0 && (3 * gaps >= adjacent || bytes < 90 * lines);
    long i = 0;
    const char *pb = NULL, *pe = NULL;
    for (const char *p = s; p <= e;) {
        const char *q = memchr(p, '\n', (size_t)(e - p));
        if (!q) q = e;
        int blank = blank_line(p, q);
        if (!blank && pb && block)
            pe = q;
        else if (!blank || (pb && block)) {
            if (pb && ++i == k) break;
            pb = blank ? NULL : p, pe = q;
        }
        if (q == e) break;
        p = q + 1;
    }
    if (pb && (i == k || ++i == k))
        for (const char *p = pb; p < pe && p < pb + 400; p++) putchar(*p == '\n' ? '|' : *p);
}

static int edits(const char *path, double thr, long every) {
    FILE *f = fopen(path, "r");
    if (!f) return 1;
    tm_clean_opts o;
    tm_clean_opts_init(&o);
    if (thr > 0) o.para_threshold = thr;
    tm_cleaner *c;
    tm_cleaner_new(&c, &o);
    tm_clean_opts od = o;
    od.ops &= ~(unsigned)TM_CLEAN_DOUBLED;
    tm_cleaner *c2; /* the text the paragraph numbers refer to */
    tm_cleaner_new(&c2, &od);
    char *line = NULL;
    size_t cap = 0;
    long docs = 0, touched = 0, seen = 0;
    uint64_t tot[TM_CLEAN_EDIT_KINDS] = {0}, docs_with[TM_CLEAN_EDIT_KINDS] = {0};
    while (getline(&line, &cap, f) > 0) {
        json_t *j = json_loads(line, 0, NULL);
        if (!j) continue;
        const char *t = json_string_value(json_object_get(j, "text"));
        if (!t) {
            json_decref(j);
            continue;
        }
        docs++;
        tm_buf out = {0}, ed = {0};
        tm_clean_counts k;
        tm_clean_text(c, t, strlen(t), NULL, &out, &ed, &k);
        touched += k.edits > 0;
        for (int i = 0; i < TM_CLEAN_EDIT_KINDS; i++) {
            tot[i] += k.n[i];
            docs_with[i] += k.n[i] > 0;
        }
        json_t *arr = json_loads(ed.data, 0, NULL);
        size_t ix;
        json_t *v;
        json_array_foreach(arr, ix, v) {
            const char *op = json_string_value(json_object_get(v, "op"));
            if (every <= 0 || seen++ % every) continue;
            printf("== doc %ld %s ", docs, op);
            if (!strcmp(op, "undouble_word") || !strcmp(op, "doubled_word")) {
                size_t off = (size_t)json_integer_value(json_object_get(v, "offset"));
                printf("[%s]: ", json_string_value(json_object_get(v, "word")));
                ctx(out.data, out.len, off, off, 50);
            } else if (!strcmp(op, "drop_paragraph")) {
                tm_buf pt = {0};
                tm_cleaner_free(c2);
                tm_cleaner_new(&c2, &od);
                tm_clean_opts ox = od;
                ox.ops &= ~(unsigned)(TM_CLEAN_REPEATED | TM_CLEAN_REWORDED);
                tm_cleaner *c3;
                tm_cleaner_new(&c3, &ox);
                tm_clean_text(c3, t, strlen(t), NULL, &pt, NULL, NULL);
                tm_cleaner_free(c3);
                long a = (long)json_integer_value(json_object_get(v, "paragraph"));
                long b = (long)json_integer_value(json_object_get(v, "similar_to"));
                printf("%s sim %.2f\n   KEPT %ld: ", json_string_value(json_object_get(v, "kind")),
                       json_number_value(json_object_get(v, "similarity")), b);
                para(pt.data, pt.len, b);
                printf("\n   DROP %ld: ", a);
                para(pt.data, pt.len, a);
                tm_buf_free(&pt);
            } else {
                char *d = json_dumps(v, JSON_COMPACT);
                printf("%s", d);
                free(d);
            }
            printf("\n");
        }
        json_decref(arr);
        tm_buf_free(&out);
        tm_buf_free(&ed);
        json_decref(j);
    }
    printf("documents %ld, touched %ld\n", docs, touched);
    for (int i = 0; i < TM_CLEAN_EDIT_KINDS; i++)
        printf("  %-24s edits %8llu  documents %6llu\n", tm_clean_edit_name(i),
               (unsigned long long)tot[i], (unsigned long long)docs_with[i]);
    tm_cleaner_free(c);
    tm_cleaner_free(c2);
    free(line);
    fclose(f);
    return 0;
}

/* Texts of a JSONL corpus in memory, then tm_clean_text() in a loop: the
 * cost of the library alone, without reading, parsing and writing. */
static int speed(const char *path, const char *ops, int rounds) {
    FILE *f = fopen(path, "r");
    if (!f) return 1;
    tm_clean_opts o;
    tm_clean_opts_init(&o);
    if (ops && tm_clean_ops_parse(ops, &o.ops) != TM_OK) {
        fprintf(stderr, "bad ops %s\n", ops);
        fclose(f);
        return 2;
    }
    char *line = NULL, **texts = NULL;
    size_t cap = 0, n = 0, capt = 0, *lens = NULL, bytes = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *j = json_loads(line, 0, NULL);
        const char *t = j ? json_string_value(json_object_get(j, "text")) : NULL;
        if (t) {
            if (n == capt) {
                capt = capt ? 2 * capt : 1024;
                texts = realloc(texts, capt * sizeof *texts);
                lens = realloc(lens, capt * sizeof *lens);
            }
            lens[n] = strlen(t);
            texts[n] = malloc(lens[n] + 1);
            memcpy(texts[n], t, lens[n] + 1);
            bytes += lens[n++];
        }
        json_decref(j);
    }
    free(line);
    fclose(f);
    tm_cleaner *c;
    tm_cleaner_new(&c, &o);
    tm_buf out = {0}, ed = {0};
    size_t sink = 0;
    clock_t t0 = clock();
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < n; i++) {
            out.len = ed.len = 0; /* keep the allocations */
            tm_clean_text(c, texts[i], lens[i], NULL, &out, &ed, NULL);
            sink += out.len + ed.len;
        }
    double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
    printf("%s: %zu texts, %.1f MB x %d in %.2f CPU s: %.1f MB per CPU-second (out %zu)\n",
           ops ? ops : "all", n, bytes / 1e6, rounds, cpu, cpu > 0 ? bytes * rounds / 1e6 / cpu : 0,
           sink);
    tm_buf_free(&out);
    tm_buf_free(&ed);
    tm_cleaner_free(c);
    for (size_t i = 0; i < n; i++) free(texts[i]);
    free(texts);
    free(lens);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && !strcmp(argv[1], "speed"))
        return speed(argv[2], argc > 3 ? argv[3] : NULL, argc > 4 ? atoi(argv[4]) : 3);
    if (argc >= 3 && !strcmp(argv[1], "mojibake")) return mojibake(argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "unchanged")) return unchanged(argc - 2, argv + 2);
    if (argc >= 3 && !strcmp(argv[1], "edits"))
        return edits(argv[2], argc > 3 ? atof(argv[3]) : 0, argc > 4 ? atol(argv[4]) : 0);
    fprintf(stderr, "usage: clean_eval mojibake|unchanged|edits|speed FILE...\n");
    return 2;
}
