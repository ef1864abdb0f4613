/*
 * memory_pipeline.c — libtamis without files: a program that holds its
 * corpus in memory reads it, cleans each document, filters it on a quality
 * signal and deduplicates what is left, using only the public header.
 *
 * It shows the handles a program (or a binding) strings together:
 * tm_reader_open_mem (the same formats, decompression and rejects as files),
 * tm_cleaner (one document at a time), tm_scorer + tm_signals_compute (the
 * quality signals; the rule sets of tm_filter are applied by tm_job_filter,
 * here one signal is checked by hand), tm_deduper (add every kept
 * document, finish, then ask each one's decision), and tm_parse_record +
 * tm_doc_to_jsonl to write a kept record back with its cleaned text.
 * Everything it allocates it frees.
 *
 *   cc memory_pipeline.c -ltamis   (or: make, which builds
 *   build/examples/memory_pipeline; make test runs it)
 *
 * It prints the kept documents as JSONL and one line of counts to stderr,
 * and exits 1 unless the corpus below came out as expected: the exact copy
 * and the near copy removed as copies of "a", the two-word page filtered,
 * the doubled word cleaned and the broken line rejected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tamis.h"

static const char corpus[] =
    "{\"id\":\"a\",\"text\":\"The council approved the new budget on Monday after a long debate "
    "about schools, roads and the library that opens next spring in the old market hall.\"}\n"
    "{\"id\":\"b\",\"text\":\"Short page.\"}\n"
    "{\"id\":\"c\",\"text\":\"THE COUNCIL APPROVED THE NEW BUDGET ON MONDAY AFTER A LONG DEBATE "
    "ABOUT SCHOOLS, ROADS AND THE LIBRARY THAT OPENS NEXT SPRING IN THE OLD MARKET HALL.\"}\n"
    "{\"id\":\"d\",\"text\":\"Rain is expected in the north of the country for the whole week, "
    "with the the strongest showers on Thursday and milder air arriving from the west.\"}\n"
    "{\"id\":\"e\",\"text\": broken}\n"
    "{\"id\":\"f\",\"text\":\"The council approved the new budget on Monday after a long debate "
    "about schools, roads and the library that opens next spring in the old market hall "
    "today.\"}\n";

#define MIN_WORDS 5 /* the filter: at least this many words */

/* One document kept by clean and filter, until the dedup decisions. */
typedef struct kept {
    char *id, *text, *raw;
    size_t text_len, raw_len;
} kept;

int main(void) {
    int rc = 1;
    tm_reader *r = NULL;
    tm_cleaner *cl = NULL;
    tm_scorer *sc = NULL;
    tm_deduper *dd = NULL;
    tm_parser *p = NULL;
    kept *docs = NULL;
    size_t n_docs = 0, rejected = 0, filtered = 0, edited = 0;
    tm_buf clean = {0}, line = {0};

    tm_clean_opts co;
    tm_clean_opts_init(&co);
    co.lang = "en";
    tm_dedup_opts dopt;
    tm_dedup_opts_init(&dopt);
    /* the corpus borrowed, not copied; the name stands for a file name */
    if (tm_reader_open_mem(&r, corpus, sizeof corpus - 1, "corpus", NULL) ||
        tm_cleaner_new(&cl, &co) || tm_scorer_new(&sc) || tm_deduper_new(&dd, &dopt) ||
        tm_parser_new(&p, "corpus", NULL))
        goto out;
    docs = calloc(sizeof corpus, sizeof *docs); /* more than enough slots */
    if (!docs) goto out;

    tm_doc doc;
    tm_error e;
    while ((e = tm_reader_next(r, &doc)) != TM_EOF) {
        if (e) { /* a record that could not be read: say why, go on */
            fprintf(stderr, "rejected %.*s:%llu: %s (%s)\n", (int)doc.source.len, doc.source.ptr,
                    (unsigned long long)doc.line, tm_error_name(e), tm_reader_detail(r));
            rejected++;
            continue;
        }
        tm_clean_counts cc;
        tm_buf_free(&clean);
        if (tm_clean_text(cl, doc.text.ptr, doc.text.len, NULL, &clean, NULL, &cc)) goto out;
        edited += cc.changed != 0;
        double v[TM_SIG_COUNT];
        if (tm_signals_compute(sc, clean.data, clean.len, "en", doc.invalid_utf8,
                               TM_SIG_BIT(TM_SIG_GQ_N_WORDS), v))
            goto out;
        if (v[TM_SIG_GQ_N_WORDS] < MIN_WORDS) {
            filtered++;
            continue;
        }
        /* the views of doc end with the next read: keep copies */
        kept *k = &docs[n_docs++];
        k->id = strndup(doc.id.ptr, doc.id.len);
        k->text = malloc(clean.len + 1);
        if (!k->id || !k->text) goto out;
        memcpy(k->text, clean.data, clean.len + 1);
        k->text_len = clean.len;
        k->raw = malloc(doc.raw.len + 1);
        if (!k->raw) goto out;
        memcpy(k->raw, doc.raw.ptr, doc.raw.len);
        k->raw_len = doc.raw.len;
        if (tm_deduper_add(dd, k->id, strlen(k->id), k->text, k->text_len)) goto out;
    }
    if (tm_deduper_finish(dd)) goto out;

    size_t removed = 0;
    int a_kept = 0, c_and_f_of_a = 0;
    for (size_t i = 0; i < n_docs; i++) {
        tm_dedup_decision dc = {.size = sizeof dc};
        if (tm_deduper_decision(dd, i, &dc)) goto out;
        if (dc.removed) {
            removed++;
            fprintf(stderr, "%s: %s of %.*s (similarity %.3f, rule %s)\n", docs[i].id, dc.reason,
                    (int)dc.duplicate_of_id.len, dc.duplicate_of_id.ptr, dc.similarity, dc.rule);
            c_and_f_of_a += dc.duplicate_of_id.len == 1 && dc.duplicate_of_id.ptr[0] == 'a';
            continue;
        }
        a_kept += !strcmp(docs[i].id, "a");
        /* the record back from its raw line (tm_parse_record: the reader's
         * rules for one line), written with its cleaned text */
        tm_doc d;
        tm_buf_free(&line);
        if (tm_parse_record(p, docs[i].raw, docs[i].raw_len, &d) ||
            tm_doc_to_jsonl(&d, docs[i].text, docs[i].text_len, NULL, 0, &line))
            goto out;
        fwrite(line.data, 1, line.len, stdout);
    }
    fprintf(stderr, "read %zu, rejected %zu, cleaned %zu, filtered %zu, duplicates %zu\n",
            n_docs + filtered + rejected, rejected, edited, filtered, removed);
    rc =
        rejected == 1 && filtered == 1 && edited >= 1 && removed == 2 && c_and_f_of_a == 2 && a_kept
            ? 0
            : 1;
    if (rc) fprintf(stderr, "memory_pipeline: unexpected result\n");
out:
    for (size_t i = 0; docs && i < n_docs; i++) {
        free(docs[i].id);
        free(docs[i].text);
        free(docs[i].raw);
    }
    tm_parser_free(p);
    free(docs);
    tm_buf_free(&clean);
    tm_buf_free(&line);
    tm_deduper_free(dd);
    tm_scorer_free(sc);
    tm_cleaner_free(cl);
    tm_reader_close(r);
    return rc;
}
