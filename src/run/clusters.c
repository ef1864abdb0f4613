/*
 * clusters.c — the duplicate clusters of a `tamis run` for its summary: the
 * size histogram, and the examples the report shows side by side (the
 * largest clusters; in each, the member kept and the removed member least
 * similar to it, with their texts as read, before cleaning).
 */
#include "run/run_int.h"

#include "util/buf.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The pair a cluster example shows: the member kept (a) and, of those
 * removed, the one least similar to it (b), the closest call the dedup
 * made in that cluster; an exact copy is shown only when all are exact.
 * Ties keep the earliest member. */
static void cluster_pair(json_t *members, size_t *a, size_t *b) {
    size_t n = json_array_size(members);
    *a = 0;
    for (size_t k = 0; k < n; k++) {
        json_t *kind = json_object_get(json_array_get(members, k), "kind");
        if (json_is_string(kind) && !strcmp(json_string_value(kind), "kept")) {
            *a = k;
            break;
        }
    }
    *b = *a == 0 ? 1 : 0;
    double low = INFINITY;
    for (size_t k = 0; k < n; k++) {
        if (k == *a) continue;
        json_t *s = json_object_get(json_array_get(members, k), "similarity");
        double v = json_is_number(s) ? json_number_value(s) : 1;
        if (v < low) low = v, *b = k;
    }
}

/* Reads the texts of the ids in need (id -> null) from paths, first found
 * wins; with the configured fields (the run's inputs) or tamis's own files. */
static void fetch_texts(tm_runner *R, json_t *need, const char *const *paths, size_t n,
                        int inputs) {
    tm_reader_opts ro;
    tm_reader_opts_init(&ro);
    if (inputs) {
        ro.format = (tm_format)R->c->format;
        ro.max_doc_bytes = (size_t)R->c->max_doc_bytes;
    } else {
        ro.format = TM_FMT_JSONL;
    }
    ro.text_field = R->c->text_field;
    ro.id_field = R->c->id_field;
    tm_reader *rd;
    if (tm_reader_open(&rd, paths, n, &ro) != TM_OK) return;
    size_t left = 0;
    const char *k;
    json_t *v;
    json_object_foreach(need, k, v) left += json_is_null(v);
    tm_doc doc;
    tm_error r;
    while (left && (r = tm_reader_next(rd, &doc)) != TM_EOF) {
        if (r) continue;
        char id[512];
        snprintf(id, sizeof id, "%.*s", (int)doc.id.len, doc.id.ptr);
        json_t *slot = json_object_get(need, id);
        if (!slot || !json_is_null(slot)) continue;
        size_t cut = doc.text.len < 1500 ? doc.text.len : 1500;
        while (cut < doc.text.len && ((unsigned char)doc.text.ptr[cut] & 0xC0) == 0x80) cut++;
        json_object_set_new(need, id, json_stringn(doc.text.ptr, cut));
        left--;
    }
    tm_reader_close(rd);
}

/* Cluster examples: the largest clusters, the kept member and the removed
 * one least similar to it side by side, with their texts as read (before
 * cleaning, so that the diff shows what the two inputs had). */
tm_error tmi_run_cluster_examples(tm_runner *R, tm_buf *examples, json_t *size_hist,
                                  uint64_t *n_clusters) {
    char path[PATH_MAX_LEN];
    /* the source of clusters.jsonl, which may be a FIFO (run.c) */
    tmi_run_path(path, "%s/dedup.clusters.jsonl", R->work);
    FILE *f = fopen(path, "rb");
    if (!f) return TM_OK;
    typedef struct top {
        json_int_t size;
        json_t *line;
    } top;
    int want = R->c->report_clusters;
    top *best = calloc((size_t)want + 1, sizeof *best);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    tm_error e = best ? TM_OK : TM_ERR_NOMEM;
    while (!e && (n = getline(&line, &cap, f)) > 0) {
        json_t *c = json_loadb(line, (size_t)n, 0, NULL);
        if (!c) continue;
        json_t *members = json_object_get(c, "members");
        json_int_t size = (json_int_t)json_array_size(members);
        if (json_is_integer(json_object_get(c, "size")))
            size = json_integer_value(json_object_get(c, "size"));
        (*n_clusters)++;
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)size);
        json_t *cur = json_object_get(size_hist, key);
        json_object_set_new(size_hist, key,
                            json_integer((json_is_integer(cur) ? json_integer_value(cur) : 0) + 1));
        /* insertion into the top list: strictly larger wins, so ties keep
         * the earliest cluster */
        int pos = want;
        while (pos > 0 && (!best[pos - 1].line || best[pos - 1].size < size)) pos--;
        if (pos < want) {
            json_decref(best[want - 1].line);
            memmove(best + pos + 1, best + pos, (size_t)(want - 1 - pos) * sizeof *best);
            best[pos].size = size;
            best[pos].line = c;
        } else {
            json_decref(c);
        }
    }
    free(line);
    fclose(f);
    /* Fetch the texts of the pair shown of each top cluster. */
    json_t *need = json_object(); /* id -> text (null until found) */
    for (int i = 0; i < want && best && best[i].line; i++) {
        json_t *m = json_object_get(best[i].line, "members");
        if (json_array_size(m) < 2) continue;
        size_t pa, pb;
        cluster_pair(m, &pa, &pb);
        size_t pick[2] = {pa, pb};
        for (size_t k = 0; k < 2; k++) {
            json_t *mem = json_array_get(m, pick[k]);
            json_t *id = json_is_object(mem) ? json_object_get(mem, "id") : mem;
            if (json_is_string(id)) json_object_set_new(need, json_string_value(id), json_null());
        }
    }
    if (!e && json_object_size(need)) {
        /* the texts before cleaning, from the inputs; what is not found
         * there (ids of an input renamed since) from the run's own files */
        if (R->c->clean_enabled)
            fetch_texts(R, need, (const char *const *)R->inputs, R->n_inputs, 1);
        char kdir[PATH_MAX_LEN], rem[PATH_MAX_LEN];
        tmi_run_path(kdir, "%s/kept", R->dir);
        tmi_run_path(rem, "%s/dedup.removed.jsonl%s", R->work, R->ext);
        const char *in[] = {kdir, rem};
        fetch_texts(R, need, in, tmi_run_exists(rem) ? 2 : 1, 0);
    }
    for (int i = 0; !e && i < want && best && best[i].line; i++) {
        json_t *c = best[i].line, *m = json_object_get(c, "members");
        if (json_array_size(m) < 2) continue;
        json_t *ex = json_object();
        json_object_set_new(ex, "kind", json_string("cluster"));
        json_t *cid = json_object_get(c, "cluster");
        json_object_set_new(ex, "cluster", cid ? json_incref(cid) : json_integer(i));
        json_object_set_new(ex, "size", json_integer(best[i].size));
        size_t pick[2];
        cluster_pair(m, &pick[0], &pick[1]);
        for (int k = 0; k < 2; k++) {
            json_t *mem = json_array_get(m, pick[k]);
            json_t *id = json_is_object(mem) ? json_object_get(mem, "id") : mem;
            json_t *side = json_object();
            json_object_set(side, "id", id);
            json_t *txt = json_is_string(id) ? json_object_get(need, json_string_value(id)) : NULL;
            json_object_set_new(side, "text",
                                json_is_string(txt) ? json_copy(txt) : json_string(""));
            json_object_set_new(ex, k ? "b" : "a", side);
            if (k && json_is_object(mem) && json_is_number(json_object_get(mem, "similarity")))
                json_object_set(ex, "similarity", json_object_get(mem, "similarity"));
        }
        char *s = json_dumps(ex, JSON_COMPACT | JSON_ENSURE_ASCII);
        if (s) {
            e = tmi_buf_puts(examples, s);
            TM_THEN(e, tmi_buf_putc(examples, '\n'));
            free(s);
        }
        json_decref(ex);
    }
    json_decref(need);
    for (int i = 0; best && i < want; i++) json_decref(best[i].line);
    free(best);
    return e;
}
