/*
 * pass1.c — pass 1 of `tamis dedup` (jobs/job_dedup.c has the whole design): the
 * pipeline workers reduce each document to a fixed binary record (exact
 * key, MinHash signature, long-line hashes, shingles for --verify exact or
 * aligned, length, score, id), and the calling thread files the records in
 * input order into the external sorters and the signature store.
 */
#include "dedup/dedup_int.h"

#include "util/buf.h"

#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

/* Pass-1 record header; followed by perms x u32 signature (near), n_lines x
 * para entries, then n_sh x u64 sorted unique shingles (--verify exact) or
 * n_sh x u32: the gram, then the shingles in text order (--verify aligned),
 * then the id. */
typedef struct p1hdr {
    uint64_t index;
    uint64_t key[2];
    uint32_t chars, flags;
    float score;
    uint32_t n_lines, n_sh, id_len;
    uint32_t n_set; /* distinct shingles */
} p1hdr;

typedef struct p1line {
    uint64_t hash;
    uint32_t line, chars;
} p1line;

/* Score of a document for --keep best: the number at `path` (dots nest)
 * inside its existing "tamis" object. */
static int read_score(const tm_doc *doc, const char *field, float *out) {
    if (!tm_doc_tamis(doc).len) return 0;
    json_t *root = json_loadb(tm_doc_tamis(doc).ptr, tm_doc_tamis(doc).len, 0, NULL);
    if (!root) return 0;
    const char *defaults[] = {"quality", "lang_score"};
    const char *const *paths = field ? &field : defaults;
    size_t n_paths = field ? 1 : 2;
    int found = 0;
    for (size_t p = 0; p < n_paths && !found; p++) {
        json_t *v = root;
        const char *s = paths[p];
        char key[256];
        while (v && *s) {
            const char *dot = strchr(s, '.');
            size_t kl = dot ? (size_t)(dot - s) : strlen(s);
            if (kl >= sizeof key) {
                v = NULL;
                break;
            }
            memcpy(key, s, kl);
            key[kl] = '\0';
            v = json_is_object(v) ? json_object_get(v, key) : NULL;
            s = dot ? dot + 1 : s + kl;
        }
        if (v && json_is_number(v)) {
            *out = (float)json_number_value(v);
            found = 1;
        }
    }
    json_decref(root);
    return found;
}

/* ---- pass 1: workers ---- */

void *tmi_dd_w_new(void *ctx) {
    dctx *c = ctx;
    wstate *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->c = c;
    w->sig = malloc(c->sig_bytes ? c->sig_bytes : 4);
    if (!w->sig) {
        free(w);
        return NULL;
    }
    return w;
}

void tmi_dd_w_free(void *p) {
    wstate *w = p;
    if (!w) return;
    tm_buf_free(&w->nb);
    tm_buf_free(&w->lb);
    tm_buf_free(&w->rec);
    tmi_u64s_free(&w->sh);
    tmi_spans_free(&w->lines);
    free(w->sig);
    free(w->set);
    free(w->al);
    free(w);
}

static int cmp_u64(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

static size_t sort_unique(uint64_t *v, size_t n) {
    if (n < 2) return n;
    qsort(v, n, sizeof *v, cmp_u64);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[k - 1]) v[k++] = v[i];
    return k;
}

/* Removes repeated hashes from v[0..n) in place, keeping first occurrences,
 * and returns the new count: linear probing in a table of at least twice n
 * slots (0 marks an empty slot, so the hash 0 is tracked apart). Shingle
 * hashes are XXH3 outputs, so their low bits index the table directly. */
static size_t unique_hashes(wstate *w, uint64_t *v, size_t n) {
    if (n < 2) return n;
    size_t cap = 64;
    while (cap < 2 * n) cap *= 2;
    if (cap > w->set_cap) {
        free(w->set);
        w->set = malloc(cap * sizeof *w->set);
        if (!w->set) {
            w->set_cap = 0;
            return sort_unique(v, n); /* no scratch: the slow way */
        }
        w->set_cap = cap;
    }
    uint64_t *t = w->set, mask = cap - 1;
    memset(t, 0, cap * sizeof *t);
    size_t k = 0;
    int zero = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = v[i];
        if (!x) {
            if (!zero) v[k++] = 0;
            zero = 1;
            continue;
        }
        size_t at = (size_t)(x ^ (x >> 29)) & mask;
        while (t[at] && t[at] != x) at = (at + 1) & mask;
        if (t[at]) continue;
        t[at] = x;
        v[k++] = x;
    }
    return k;
}

tm_error tmi_dd_p1_process(void *ws, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    wstate *w = ws;
    dctx *c = w->c;
    const tm_dedup_opts *d = c->d;
    tm_error e;
    const char *s = doc->text.ptr ? doc->text.ptr : "";
    size_t sl = doc->text.len;
    if (d->norm >= 0) {
        tmi_buf_reset(&w->nb);
        if ((e = tm_normalize(s, sl, d->norm, &w->nb))) return e;
        s = w->nb.data ? w->nb.data : "";
        sl = w->nb.len;
    }
    p1hdr h;
    memset(&h, 0, sizeof h);
    h.index = doc->index;
    tmi_exact_key(s, sl, h.key);
    {
        size_t n = tmi_utf8_count(doc->text.ptr, doc->text.len);
        h.chars = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    }
    if (c->need_score && w->score_given) {
        h.score = w->score;
        h.flags |= DF_SCORE;
    } else if (c->need_score && read_score(doc, d->score_field, &h.score)) {
        h.flags |= DF_SCORE;
    }
    size_t n_sh = 0;
    if (c->do_near) {
        int chars = 0;
        if ((e = tmi_shingle_into(s, sl, &d->shingle, &w->sh, &chars))) return e;
        memset(w->sig, 0xff, c->sig_bytes);
        if (w->sh.n && d->verify == TM_VERIFY_ALIGNED) {
            /* the gram, then the shingles in text order (32 bits) */
            size_t n = w->sh.n;
            if (n > UINT32_MAX - 1) return TM_ERR_UNSUPPORTED;
            if ((e = tmi_grow((void **)&w->al, &w->al_cap, 1 + n, sizeof *w->al, 0))) return e;
            w->al[0] = (uint32_t)(chars ? (d->shingle.char_n > 0 ? d->shingle.char_n : 5)
                                        : (d->shingle.word_n > 0 ? d->shingle.word_n : 5));
            for (size_t i = 0; i < n; i++) w->al[1 + i] = tmi_align_hash32(w->sh.v[i]);
            n_sh = 1 + n;
        }
        if (w->sh.n) {
            h.flags |= DF_SHINGLES;
            w->sh.n = unique_hashes(w, w->sh.v, w->sh.n);
            h.n_set = w->sh.n > UINT32_MAX ? UINT32_MAX : (uint32_t)w->sh.n;
            tm_minhash_hashes(c->mh, w->sh.v, w->sh.n, w->sig);
            if (c->df) /* each distinct shingle once per document */
                tmi_dfsketch_add_hashes(c->df, w->sh.v, w->sh.n);
            if (d->verify == TM_VERIFY_EXACT) n_sh = sort_unique(w->sh.v, w->sh.n);
        }
    }
    h.n_sh = (uint32_t)n_sh;
    size_t id_len = doc->id.len > TM_ID_CAP ? TM_ID_CAP : doc->id.len;
    id_len = tm_utf8_valid_prefix(doc->id.ptr, id_len);
    h.id_len = (uint32_t)id_len;

    tm_buf *out = &sinks[0];
    size_t hdr_at = out->len;
    if ((e = tmi_buf_append(out, &h, sizeof h))) return e;
    if (c->do_near && (e = tmi_buf_append(out, w->sig, c->sig_bytes))) return e;
    if (c->do_para) {
        if ((e = tmi_split_lf(doc->text.ptr ? doc->text.ptr : "", doc->text.len, &w->lines)))
            return e;
        uint32_t n_lines = 0;
        for (size_t i = 0; i < w->lines.n && i < UINT32_MAX; i++) {
            size_t beg = w->lines.v[i].beg, end = w->lines.v[i].end;
            size_t full = tmi_utf8_count(doc->text.ptr + beg, end - beg);
            tmi_strip(doc->text.ptr, &beg, &end);
            if (end <= beg ||
                tmi_utf8_count(doc->text.ptr + beg, end - beg) < d->min_paragraph_chars)
                continue;
            const char *ls = doc->text.ptr + beg;
            size_t ll = end - beg;
            if (d->norm >= 0) {
                tmi_buf_reset(&w->lb);
                if ((e = tm_normalize(ls, ll, d->norm, &w->lb))) return e;
                ls = w->lb.data ? w->lb.data : "";
                ll = w->lb.len;
            }
            p1line pl = {XXH3_64bits(ls, ll), (uint32_t)i,
                         full > UINT32_MAX ? UINT32_MAX : (uint32_t)full};
            if ((e = tmi_buf_append(out, &pl, sizeof pl))) return e;
            n_lines++;
        }
        memcpy(out->data + hdr_at + offsetof(p1hdr, n_lines), &n_lines, sizeof n_lines);
    }
    if (n_sh &&
        (e = tmi_buf_append(out, d->verify == TM_VERIFY_ALIGNED ? (void *)w->al : (void *)w->sh.v,
                            n_sh * c->sh_elem)))
        return e;
    if (id_len && (e = tmi_buf_append(out, doc->id.ptr, id_len))) return e;
    (void)st;
    return TM_OK;
}

/* ---- pass 1: the calling thread files records in input order ---- */

static tm_error slots_grow(dctx *c, size_t n) {
    if (n > UINT32_MAX - 1) return TM_ERR_UNSUPPORTED;
    size_t old = c->cap_slots;
    tm_error e = tmi_grow((void **)&c->di, &c->cap_slots, n, sizeof *c->di, 0);
    if (e) return e;
    if (c->cap_slots > old) memset(c->di + old, 0, (c->cap_slots - old) * sizeof *c->di);
    if (c->sh_file) {
        size_t cap = old;
        if ((e = tmi_grow((void **)&c->sh_off, &cap, c->cap_slots, sizeof *c->sh_off, 0))) return e;
        cap = old;
        if ((e = tmi_grow((void **)&c->sh_n, &cap, c->cap_slots, sizeof *c->sh_n, 0))) return e;
    }
    if (n > c->n_slots) c->n_slots = n;
    return TM_OK;
}

/* Signatures live in memory up to half of the budget, then in a file at
 * index * sig_bytes (read back with pread during verification). */
static tm_error sig_store(dctx *c, uint64_t index, const uint32_t *sig) {
    if (!c->sig_file) {
        size_t need = (size_t)(index + 1) * c->perms;
        if ((uint64_t)need * 4 <= c->mem / 2) {
            tm_error e = tmi_grow((void **)&c->sigs, &c->sigs_cap, need, sizeof *c->sigs, 0);
            if (e) return e;
            memcpy(c->sigs + index * c->perms, sig, c->sig_bytes);
            return TM_OK;
        }
        c->sig_file = tmi_io_tmpfile(c->tmp_dir);
        if (!c->sig_file) return tmi_io_open_error();
        size_t have = c->sigs_cap / c->perms;
        if (have > index) have = (size_t)index;
        if (have && fwrite(c->sigs, c->sig_bytes, have, c->sig_file) != have) return TM_ERR_IO;
        free(c->sigs);
        c->sigs = NULL;
        c->sigs_cap = 0;
        c->ds->spill_runs++;
    }
    if (fseeko(c->sig_file, (off_t)(index * c->sig_bytes), SEEK_SET) ||
        fwrite(sig, c->sig_bytes, 1, c->sig_file) != 1)
        return TM_ERR_IO;
    return TM_OK;
}

const uint32_t *tmi_dd_sig_get(dctx *c, uint32_t index, uint32_t *buf) {
    if (!c->sig_file) return c->sigs + (size_t)index * c->perms;
    if (pread(fileno(c->sig_file), buf, c->sig_bytes, (off_t)index * (off_t)c->sig_bytes) !=
        (ssize_t)c->sig_bytes) {
        c->err = TM_ERR_IO;
        memset(buf, 0, c->sig_bytes);
    }
    return buf;
}

tm_error tmi_dd_p1_consume(void *ctx, tm_buf *sinks, size_t n_docs) {
    dctx *c = ctx;
    const char *p = sinks[0].data, *end = p + sinks[0].len;
    tm_error e;
    for (size_t k = 0; k < n_docs; k++) {
        p1hdr h;
        if ((size_t)(end - p) < sizeof h) return TM_ERR_INTERNAL;
        memcpy(&h, p, sizeof h);
        p += sizeof h;
        if ((e = slots_grow(c, (size_t)h.index + 1))) return e;
        uint32_t idx = (uint32_t)h.index;
        dinfo *di = &c->di[idx];
        di->flags = DF_PRESENT | h.flags;
        di->exact_rep = idx;
        di->chars = h.chars;
        di->score = h.score;
        di->n_set = h.n_set;
        c->ds->docs++;
        if (c->do_exact && (e = tmi_xsort_add(c->xs_exact, h.key[0], h.key[1], idx))) return e;
        if (c->do_near) {
            uint32_t sig[4096];
            memcpy(sig, p, c->sig_bytes);
            p += c->sig_bytes;
            if (h.flags & DF_SHINGLES) {
                if ((e = sig_store(c, idx, sig))) return e;
                for (int b = 0; b < c->bands; b++) {
                    uint64_t bh = XXH3_64bits_withSeed(sig + (size_t)b * c->rows,
                                                       (size_t)c->rows * 4, (uint64_t)b);
                    if ((e = tmi_xsort_add(c->xs_band, (uint64_t)b, bh, idx))) return e;
                }
            }
        }
        for (uint32_t i = 0; i < h.n_lines; i++) {
            p1line pl;
            memcpy(&pl, p, sizeof pl);
            p += sizeof pl;
            if ((e = tmi_xsort_add(c->xs_para, pl.hash, idx, (uint64_t)pl.line << 32 | pl.chars)))
                return e;
        }
        if (c->sh_file) {
            c->sh_off[idx] = c->sh_pos;
            c->sh_n[idx] = h.n_sh;
            if (h.n_sh && fwrite(p, c->sh_elem, h.n_sh, c->sh_file) != h.n_sh) return TM_ERR_IO;
            c->sh_pos += (uint64_t)h.n_sh * c->sh_elem;
            p += (size_t)h.n_sh * c->sh_elem;
        }
        uint32_t rec[2] = {idx, h.id_len};
        if (fwrite(rec, sizeof rec, 1, c->id_file) != 1 ||
            (h.id_len && fwrite(p, 1, h.id_len, c->id_file) != h.id_len))
            return TM_ERR_IO;
        p += h.id_len;
    }
    return p == end ? TM_OK : TM_ERR_INTERNAL;
}
