/*
 * mkreport.c — writes the HTML report of a summary file for the browser
 * test: mkreport SUMMARY.json EXAMPLES.jsonl|- OUT.html. It does what
 * `tamis run` does at its end (read the two files, call tm_report_html,
 * write the page), without a run.
 */
#include "tamis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *p = malloc(cap);
    for (size_t got; p && (got = fread(p + len, 1, cap - len, f)) > 0;) {
        len += got;
        if (len == cap) {
            char *q = realloc(p, cap *= 2);
            if (!q) free(p);
            p = q;
        }
    }
    fclose(f);
    *n = len;
    return p;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: mkreport SUMMARY.json EXAMPLES.jsonl|- OUT.html\n");
        return 2;
    }
    size_t n = 0, en = 0;
    char *s = slurp(argv[1], &n), *e = strcmp(argv[2], "-") ? slurp(argv[2], &en) : NULL;
    if (!s || (strcmp(argv[2], "-") && !e)) {
        fprintf(stderr, "mkreport: cannot read input\n");
        return 1;
    }
    tm_buf out = {0};
    tm_error err = tm_report_html(s, n, e, en, &out);
    if (err) {
        fprintf(stderr, "mkreport: %s\n", tm_strerror(err));
        return 1;
    }
    FILE *f = fopen(argv[3], "wb");
    if (!f || fwrite(out.data, 1, out.len, f) != out.len || fclose(f)) {
        fprintf(stderr, "mkreport: cannot write %s\n", argv[3]);
        return 1;
    }
    tm_buf_free(&out);
    free(s);
    free(e);
    return 0;
}
