/*
 * job.c — `tamis dedup`: exact, MinHash-LSH and paragraph deduplication of a
 * whole corpus in two streaming passes with bounded memory.
 *
 * Pass 1 (pipeline workers): each document is normalised once and reduced to
 * a fixed binary record — its 128-bit exact key, its MinHash signature, the
 * hashes of its long lines, its length and score — that consume() receives
 * on the calling thread in input order and files into external sorters
 * (xsort.c): exact keys, LSH band keys (band, hash, doc), paragraph keys.
 * Signatures stay in memory up to half of --memory, then go to a file.
 *
 * Decisions (verdicts.c; calling thread, deterministic): equal exact keys
 * are grouped; documents that share a band key become candidate pairs (each
 * member of a bucket is paired with the bucket's first member and with the
 * TM_BUCKET_WINDOW members before it, so a huge bucket costs linear work);
 * candidate pairs are themselves sorted and deduplicated, then each is
 * verified — Jaccard estimated from the full signatures, or recomputed from
 * the stored shingle sets with --verify exact — before it becomes an
 * accepted pair. A band collision alone never removes a document. The keep
 * decisions over the accepted pairs (decide.c) remove a document only as a
 * verified copy of a document that stays; a kept document and its removed
 * copies are a cluster, numbered in order of its first member. Paragraph
 * keys are grouped last, ignoring the documents already removed: the first
 * document (in input order) that has a line keeps it, later documents lose
 * it.
 *
 * Pass 2 (pipeline workers) re-reads the inputs and routes every document by
 * its index (rejected records consume an index too) to the output or the
 * removed file, using only read-only decision tables. Both passes read one
 * list fixed before pass 1, with copies of the inputs that cannot be read
 * twice (io/inputs.c); each pass keeps a per-input count and running hash of
 * the records it read, and pass 2 fails (TM_ERR_CHANGED) unless it read
 * exactly what pass 1 indexed. Rejects are written once, by pass 1 (so
 * that a FIFO given as --rejects is opened once, and a failed pass 2 still
 * leaves the record of what could not be read).
 *
 * Every choice depends on input order and content only, never on thread
 * scheduling or the memory budget, so the output is byte-identical for any
 * --threads and --memory (both are tested).
 */
#include "dedup/job_int.h"

#include "io/io.h"
#include "pipeline/pipeline.h"
#include "util/buf.h"

#include <jansson.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

/* Hard cap on an id kept for reporting (web input): longer ids are cut at a
 * code point boundary. */
#define TM_ID_CAP 2048

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

/* ---- small helpers ---- */

void tm_dedup_opts_init(tm_dedup_opts *o) {
    memset(o, 0, sizeof *o);
    o->norm = TM_NORM_NFKC | TM_NORM_CASEFOLD | TM_NORM_WS;
    tm_shingle_opts_init(&o->shingle);
    /* Chosen on the tune half of the harm corpus (bench/RESULTS.md, section
     * Dedup defaults), wrong removals first: word (character, for text
     * without spaces) 5-grams, Jaccard 0.85, and containment only when the
     * smaller set has 70 % of the larger's shingles and 98 % of it is in
     * the larger (truncated copies). Templated families (sibling reference
     * pages, package descriptions of one source, one text in related
     * dialects) share most of their 3-grams, and many of their 5-grams. */
    o->shingle.word_n = 5;
    o->shingle.char_n = 5;
    o->perms = 128;
    o->threshold = 0.85;
    o->containment = 0.98;
    o->containment_ratio = 0.7;
    o->verify = TM_VERIFY_SIGNATURE;
    o->keep = TM_KEEP_FIRST;
    o->min_paragraph_chars = 40;
    o->min_doc_chars = 100;
    o->seed = 1;
    /* --verify aligned (opt-in: on the report half of the harm corpus it
     * removed 7 originals against signature's 3, related-dialect UDHR
     * translations among them, and it is slower), parameters chosen on the
     * tune half: see docs/DEDUP.md, Choosing the threshold */
    o->min_jaccard = 0.65;
    o->coverage = 0.95;
    o->coverage_contained = 0.985;
    o->max_gap = 20;
    o->max_gap_contained = 1;
    o->template_df = 0;
    o->template_own = 0.5;
    o->template_min = 10;
    o->df_sketch_bytes = (uint64_t)32 << 20;
}

static uint64_t default_memory(void) {
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || psize <= 0) return (uint64_t)1 << 30;
    return (uint64_t)pages * (uint64_t)psize / 2;
}

/* Score of a document for --keep best: the number at `path` (dots nest)
 * inside its existing "tamis" object. */
static int read_score(const tm_doc *doc, const char *field, float *out) {
    if (!doc->priv.tamis.len) return 0;
    json_t *root = json_loadb(doc->priv.tamis.ptr, doc->priv.tamis.len, 0, NULL);
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

typedef struct wstate {
    dctx *c;
    tm_buf nb, lb, rec;
    tm_u64s sh;
    uint32_t *al; /* --verify aligned: the record being built */
    size_t al_cap;
    tm_spans lines;
    uint32_t *sig;
    uint64_t *set; /* open-addressing scratch of unique_hashes */
    size_t set_cap;
} wstate;

static void *w_new(void *ctx) {
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

static void w_free(void *p) {
    wstate *w = p;
    if (!w) return;
    tm_buf_free(&w->nb);
    tm_buf_free(&w->lb);
    tm_buf_free(&w->rec);
    tm_u64s_free(&w->sh);
    tm_spans_free(&w->lines);
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

static tm_error p1_process(void *ws, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    wstate *w = ws;
    dctx *c = w->c;
    const tm_dedup_opts *d = c->d;
    tm_error e;
    const char *s = doc->text.ptr ? doc->text.ptr : "";
    size_t sl = doc->text.len;
    if (d->norm >= 0) {
        tm_buf_reset(&w->nb);
        if ((e = tm_normalize(s, sl, d->norm, &w->nb))) return e;
        s = w->nb.data ? w->nb.data : "";
        sl = w->nb.len;
    }
    p1hdr h;
    memset(&h, 0, sizeof h);
    h.index = doc->index;
    tm_exact_key(s, sl, h.key);
    {
        size_t n = tm_utf8_count(doc->text.ptr, doc->text.len);
        h.chars = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    }
    if (c->need_score && read_score(doc, d->score_field, &h.score)) h.flags |= DF_SCORE;
    size_t n_sh = 0;
    if (c->do_near) {
        int chars = 0;
        if ((e = tm_shingle_into(s, sl, &d->shingle, &w->sh, &chars))) return e;
        memset(w->sig, 0xff, c->sig_bytes);
        if (w->sh.n && d->verify == TM_VERIFY_ALIGNED) {
            /* the gram, then the shingles in text order (32 bits) */
            size_t n = w->sh.n;
            if (n > UINT32_MAX - 1) return TM_ERR_UNSUPPORTED;
            if ((e = tm_dd_grow((void **)&w->al, &w->al_cap, 1 + n, sizeof *w->al))) return e;
            w->al[0] = (uint32_t)(chars ? (d->shingle.char_n > 0 ? d->shingle.char_n : 5)
                                        : (d->shingle.word_n > 0 ? d->shingle.word_n : 5));
            for (size_t i = 0; i < n; i++) w->al[1 + i] = tm_align_hash32(w->sh.v[i]);
            n_sh = 1 + n;
        }
        if (w->sh.n) {
            h.flags |= DF_SHINGLES;
            w->sh.n = unique_hashes(w, w->sh.v, w->sh.n);
            h.n_set = w->sh.n > UINT32_MAX ? UINT32_MAX : (uint32_t)w->sh.n;
            tm_minhash_hashes(c->mh, w->sh.v, w->sh.n, w->sig);
            if (c->df) /* each distinct shingle once per document */
                tm_dfsketch_add_hashes(c->df, w->sh.v, w->sh.n);
            if (d->verify == TM_VERIFY_EXACT) n_sh = sort_unique(w->sh.v, w->sh.n);
        }
    }
    h.n_sh = (uint32_t)n_sh;
    size_t id_len = doc->id.len > TM_ID_CAP ? TM_ID_CAP : doc->id.len;
    id_len = tm_utf8_valid_prefix(doc->id.ptr, id_len);
    h.id_len = (uint32_t)id_len;

    tm_buf *out = &sinks[0];
    size_t hdr_at = out->len;
    if ((e = tm_buf_append(out, &h, sizeof h))) return e;
    if (c->do_near && (e = tm_buf_append(out, w->sig, c->sig_bytes))) return e;
    if (c->do_para) {
        if ((e = tm_split_lf(doc->text.ptr ? doc->text.ptr : "", doc->text.len, &w->lines)))
            return e;
        uint32_t n_lines = 0;
        for (size_t i = 0; i < w->lines.n && i < UINT32_MAX; i++) {
            size_t beg = w->lines.v[i].beg, end = w->lines.v[i].end;
            size_t full = tm_utf8_count(doc->text.ptr + beg, end - beg);
            tm_strip(doc->text.ptr, &beg, &end);
            if (end <= beg ||
                tm_utf8_count(doc->text.ptr + beg, end - beg) < d->min_paragraph_chars)
                continue;
            const char *ls = doc->text.ptr + beg;
            size_t ll = end - beg;
            if (d->norm >= 0) {
                tm_buf_reset(&w->lb);
                if ((e = tm_normalize(ls, ll, d->norm, &w->lb))) return e;
                ls = w->lb.data ? w->lb.data : "";
                ll = w->lb.len;
            }
            p1line pl = {XXH3_64bits(ls, ll), (uint32_t)i,
                         full > UINT32_MAX ? UINT32_MAX : (uint32_t)full};
            if ((e = tm_buf_append(out, &pl, sizeof pl))) return e;
            n_lines++;
        }
        memcpy(out->data + hdr_at + offsetof(p1hdr, n_lines), &n_lines, sizeof n_lines);
    }
    if (n_sh &&
        (e = tm_buf_append(out, d->verify == TM_VERIFY_ALIGNED ? (void *)w->al : (void *)w->sh.v,
                           n_sh * c->sh_elem)))
        return e;
    if (id_len && (e = tm_buf_append(out, doc->id.ptr, id_len))) return e;
    (void)st;
    return TM_OK;
}

/* ---- pass 1: the calling thread files records in input order ---- */

static tm_error slots_grow(dctx *c, size_t n) {
    if (n > UINT32_MAX - 1) return TM_ERR_UNSUPPORTED;
    size_t old = c->cap_slots;
    tm_error e = tm_dd_grow((void **)&c->di, &c->cap_slots, n, sizeof *c->di);
    if (e) return e;
    if (c->cap_slots > old) memset(c->di + old, 0, (c->cap_slots - old) * sizeof *c->di);
    if (c->sh_file) {
        size_t cap = old;
        if ((e = tm_dd_grow((void **)&c->sh_off, &cap, c->cap_slots, sizeof *c->sh_off))) return e;
        cap = old;
        if ((e = tm_dd_grow((void **)&c->sh_n, &cap, c->cap_slots, sizeof *c->sh_n))) return e;
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
            tm_error e = tm_dd_grow((void **)&c->sigs, &c->sigs_cap, need, sizeof *c->sigs);
            if (e) return e;
            memcpy(c->sigs + index * c->perms, sig, c->sig_bytes);
            return TM_OK;
        }
        c->sig_file = tm_dedup_tmpfile(c->tmp_dir);
        if (!c->sig_file) return tm_dd_open_error();
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

const uint32_t *tm_dd_sig_get(dctx *c, uint32_t index, uint32_t *buf) {
    if (!c->sig_file) return c->sigs + (size_t)index * c->perms;
    if (pread(fileno(c->sig_file), buf, c->sig_bytes, (off_t)index * (off_t)c->sig_bytes) !=
        (ssize_t)c->sig_bytes) {
        c->err = TM_ERR_IO;
        memset(buf, 0, c->sig_bytes);
    }
    return buf;
}

static tm_error p1_consume(void *ctx, tm_buf *sinks, size_t n_docs) {
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
        if (c->do_exact && (e = tm_xsort_add(c->xs_exact, h.key[0], h.key[1], idx))) return e;
        if (c->do_near) {
            uint32_t sig[4096];
            memcpy(sig, p, c->sig_bytes);
            p += c->sig_bytes;
            if (h.flags & DF_SHINGLES) {
                if ((e = sig_store(c, idx, sig))) return e;
                for (int b = 0; b < c->bands; b++) {
                    uint64_t bh = XXH3_64bits_withSeed(sig + (size_t)b * c->rows,
                                                       (size_t)c->rows * 4, (uint64_t)b);
                    if ((e = tm_xsort_add(c->xs_band, (uint64_t)b, bh, idx))) return e;
                }
            }
        }
        for (uint32_t i = 0; i < h.n_lines; i++) {
            p1line pl;
            memcpy(&pl, p, sizeof pl);
            p += sizeof pl;
            if ((e = tm_xsort_add(c->xs_para, pl.hash, idx, (uint64_t)pl.line << 32 | pl.chars)))
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

tm_error tm_dd_rm_push(dctx *c, rment m) {
    tm_error e = tm_dd_grow((void **)&c->rm, &c->cap_rm, c->n_rm + 1, sizeof *c->rm);
    if (e) return e;
    c->rm[c->n_rm++] = m;
    return TM_OK;
}

static int cmp_lineref(const void *x, const void *y) {
    const lineref *a = x, *b = y;
    if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

static int cmp_rment(const void *x, const void *y) {
    const rment *a = x, *b = y;
    return (a->index > b->index) - (a->index < b->index);
}

static tm_error decide_paragraphs(dctx *c) {
    tm_error e = tm_xsort_finish(c->xs_para);
    if (e) return e;
    tm_rec r;
    uint64_t key = 0;
    int have = 0;
    uint32_t owner = 0;
    /* Per group of equal line hashes: the first not-removed document owns
     * the line; the same line in any later document goes. */
    while ((e = tm_xsort_next(c->xs_para, &r)) == TM_OK) {
        uint32_t doc = (uint32_t)r.b;
        if (c->di[doc].flags & DF_REMOVED) continue;
        if (!have || r.a != key) {
            key = r.a;
            have = 1;
            owner = doc;
            continue;
        }
        if (doc == owner) continue;
        if ((e = tm_dd_grow((void **)&c->lr, &c->cap_lr, c->n_lr + 1, sizeof *c->lr))) return e;
        c->lr[c->n_lr++] = (lineref){doc, (uint32_t)(r.c >> 32)};
        /* From here on di.chars counts what is left: the line and the LF
         * that joined it to its neighbour go. */
        uint64_t gone = (r.c & 0xffffffffu) + 1;
        c->di[doc].chars = c->di[doc].chars > gone ? (uint32_t)(c->di[doc].chars - gone) : 0;
    }
    if (e != TM_EOF) return e;
    c->ds->spill_runs += tm_xsort_runs(c->xs_para);
    tm_xsort_free(c->xs_para);
    c->xs_para = NULL;
    if (c->n_lr) qsort(c->lr, c->n_lr, sizeof *c->lr, cmp_lineref);
    /* Documents left too short are removed; the others are edited. */
    size_t w = 0;
    for (size_t i = 0; i < c->n_lr;) {
        size_t j = i;
        uint32_t doc = c->lr[i].doc;
        while (j < c->n_lr && c->lr[j].doc == doc) j++;
        if (c->di[doc].chars < c->d->min_doc_chars) {
            c->di[doc].flags |= DF_PARA_RM;
            c->ds->paragraph_docs_removed++;
            rment m = {.index = doc, .kept = doc, .extra = c->di[doc].chars, .kind = RK_PARA};
            if ((e = tm_dd_rm_push(c, m))) return e;
        } else {
            c->ds->docs_edited++;
            c->ds->paragraphs_removed += j - i;
            memmove(c->lr + w, c->lr + i, (j - i) * sizeof *c->lr);
            w += j - i;
        }
        i = j;
    }
    c->n_lr = w;
    return TM_OK;
}

/* Reads back the ids flagged DF_NEED_ID into a sorted table. */
static tm_error load_ids(dctx *c) {
    if (fflush(c->id_file) || fseeko(c->id_file, 0, SEEK_SET)) return TM_ERR_IO;
    size_t cap = 0;
    char buf[TM_ID_CAP];
    uint32_t rec[2];
    while (fread(rec, sizeof rec, 1, c->id_file) == 1) {
        if (rec[1] > TM_ID_CAP || (rec[1] && fread(buf, 1, rec[1], c->id_file) != rec[1]))
            return TM_ERR_IO;
        if (!(c->di[rec[0]].flags & DF_NEED_ID)) continue;
        tm_error e = tm_dd_grow((void **)&c->ids, &cap, c->n_ids + 1, sizeof *c->ids);
        if (e) return e;
        c->ids[c->n_ids++] = (idref){rec[0], rec[1], c->idpool.len};
        if ((e = tm_buf_append(&c->idpool, buf, rec[1]))) return e;
    }
    return ferror(c->id_file) ? TM_ERR_IO : TM_OK;
}

/* Binary search of an array of n records of size bytes, sorted by a
 * uint32_t index that is their first member (idref, rment). */
static const void *find_index(const void *base, size_t n, size_t size, uint32_t index) {
    const char *v = base;
    size_t lo = 0, hi = n;
    uint32_t x;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        memcpy(&x, v + mid * size, sizeof x);
        if (x < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == n) return NULL;
    memcpy(&x, v + lo * size, sizeof x);
    return x == index ? v + lo * size : NULL;
}

_Static_assert(offsetof(idref, index) == 0 && offsetof(rment, index) == 0,
               "find_index reads the index first");

static const idref *id_of(const dctx *c, uint32_t index) {
    return find_index(c->ids, c->n_ids, sizeof *c->ids, index);
}

static const rment *rm_of(const dctx *c, uint32_t index) {
    return find_index(c->rm, c->n_rm, sizeof *c->rm, index);
}

static tm_error put_id(tm_buf *b, const dctx *c, uint32_t index) {
    const idref *r = id_of(c, index);
    if (!r) return tm_buf_puts(b, "null");
    return tm_json_str(b, c->idpool.data + r->off, r->len);
}

static int cmp_rec(const void *x, const void *y) {
    const tm_rec *a = x, *b = y;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

static tm_error put_rule(tm_buf *b, int rule) {
    return tm_buf_puts(b, rule == TM_RULE_EXACT     ? ",\"rule\":\"exact\""
                          : rule == TM_RULE_JACCARD ? ",\"rule\":\"jaccard\""
                          : rule == TM_RULE_ALIGNED ? ",\"rule\":\"aligned\""
                                                    : ",\"rule\":\"containment\"");
}

/* One JSON line per cluster (a kept document and the documents removed as
 * its copies): members in input order with their kind, the rule that
 * removed them and their similarities to the kept document. */
static tm_error write_clusters(dctx *c) {
    tm_writer *w = NULL;
    tm_error e = tm_writer_open(&w, c->d->clusters);
    if (e) return e;
    size_t n = c->n_slots;
    /* Members grouped by cluster: (cluster, index) pairs sorted. */
    tm_rec *m = NULL;
    size_t nm = 0, cap = 0;
    for (size_t i = 0; i < n && !e; i++) {
        if (!(c->di[i].flags & DF_PRESENT)) continue;
        uint32_t cl = c->cluster_of[c->kept_by[i]];
        if (cl == UINT32_MAX) continue;
        if (!(e = tm_dd_grow((void **)&m, &cap, nm + 1, sizeof *m))) m[nm++] = (tm_rec){cl, i, 0};
    }
    /* Clusters interleave in input order: group them. */
    if (nm) qsort(m, nm, sizeof *m, cmp_rec);
    tm_buf b = {0};
    for (size_t i = 0; i < nm && !e;) {
        size_t j = i;
        while (j < nm && m[j].a == m[i].a) j++;
        uint32_t kept = c->kept_by[m[i].b];
        tm_buf_reset(&b);
        e = tm_buf_puts(&b, "{\"cluster\":");
        if (!e) e = tm_json_u64(&b, m[i].a);
        if (!e) e = tm_buf_puts(&b, ",\"size\":");
        if (!e) e = tm_json_u64(&b, j - i);
        if (!e) e = tm_buf_puts(&b, ",\"kept\":");
        if (!e) e = put_id(&b, c, kept);
        if (!e) e = tm_buf_puts(&b, ",\"kept_index\":");
        if (!e) e = tm_json_u64(&b, kept);
        if (!e) e = tm_buf_puts(&b, ",\"members\":[");
        for (size_t k = i; k < j && !e; k++) {
            uint32_t idx = (uint32_t)m[k].b;
            const rment *r = idx == kept ? NULL : rm_of(c, idx);
            if (k > i) e = tm_buf_putc(&b, ',');
            if (!e) e = tm_buf_puts(&b, "{\"id\":");
            if (!e) e = put_id(&b, c, idx);
            if (!e) e = tm_buf_puts(&b, ",\"index\":");
            if (!e) e = tm_json_u64(&b, idx);
            if (!e)
                e = tm_buf_puts(&b, !r                    ? ",\"kind\":\"kept\""
                                    : r->kind == RK_EXACT ? ",\"kind\":\"exact\""
                                                          : ",\"kind\":\"near\"");
            if (!e && r) e = put_rule(&b, r->rule);
            if (!e) e = tm_buf_puts(&b, ",\"similarity\":");
            if (!e) e = tm_json_num(&b, r ? r->sim : 1.0);
            if (!e && r) e = tm_buf_puts(&b, ",\"containment\":");
            if (!e && r) e = tm_json_num(&b, r->cont);
            if (!e) e = tm_buf_putc(&b, '}');
        }
        if (!e) e = tm_buf_puts(&b, "]}\n");
        if (!e) e = tm_writer_write(w, b.data, b.len);
        i = j;
    }
    tm_buf_free(&b);
    free(m);
    if (e) {
        tm_writer_abort(w);
        return e;
    }
    return tm_writer_close(w);
}

/* ---- pass 2 ---- */

/* The fields of a removed copy after "cluster": the rule, the containment
 * of the smaller shingle set in the larger, and both documents' sizes. */
static tm_error put_sizes(tm_buf *b, const dctx *c, const rment *r) {
    tm_error e = put_rule(b, r->rule);
    if (!e) e = tm_buf_puts(b, ",\"containment\":");
    if (!e) e = tm_json_num(b, r->cont);
    if (!e) e = tm_buf_puts(b, ",\"shingles\":");
    if (!e) e = tm_json_u64(b, c->di[r->index].n_set);
    if (!e) e = tm_buf_puts(b, ",\"kept_shingles\":");
    if (!e) e = tm_json_u64(b, c->di[r->kept].n_set);
    if (!e) e = tm_buf_puts(b, ",\"chars\":");
    if (!e) e = tm_json_u64(b, c->di[r->index].chars);
    if (!e) e = tm_buf_puts(b, ",\"kept_chars\":");
    if (!e) e = tm_json_u64(b, r->extra);
    if (c->d->verify != TM_VERIFY_ALIGNED) return e;
    if (!e) e = tm_buf_puts(b, ",\"coverage\":");
    if (!e) e = tm_json_num(b, r->cov);
    if (!e) e = tm_buf_puts(b, ",\"kept_coverage\":");
    if (!e) e = tm_json_num(b, r->kept_cov);
    if (!e) e = tm_buf_puts(b, ",\"gap\":");
    if (!e) e = tm_json_u64(b, r->gap);
    if (!e) e = tm_buf_puts(b, ",\"kept_gap\":");
    if (!e) e = tm_json_u64(b, r->kept_gap);
    return e;
}

static tm_error p2_process(void *ws, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    wstate *w = ws;
    dctx *c = w->c;
    tm_error e;
    uint32_t idx = (uint32_t)doc->index;
    const rment *r = rm_of(c, idx);
    tm_buf *mb = &w->rec;
    tm_buf_reset(mb);
    if (r) {
        if (r->kind == RK_PARA) {
            e = tm_buf_puts(mb, "\"removed_by\":\"dedup.paragraphs\",\"chars_left\":");
            if (!e) e = tm_json_u64(mb, r->extra);
            if (!e) e = tm_buf_puts(mb, ",\"min_doc_chars\":");
            if (!e) e = tm_json_u64(mb, c->d->min_doc_chars);
        } else {
            e = tm_buf_puts(mb, r->kind == RK_EXACT
                                    ? "\"removed_by\":\"dedup.exact\",\"dup_kind\":\"exact\""
                                    : "\"removed_by\":\"dedup.near\",\"dup_kind\":\"near\"");
            if (!e) e = tm_buf_puts(mb, ",\"duplicate_of\":");
            if (!e) e = put_id(mb, c, r->kept);
            if (!e) e = tm_buf_puts(mb, ",\"duplicate_of_index\":");
            if (!e) e = tm_json_u64(mb, r->kept);
            if (!e) e = tm_buf_puts(mb, ",\"similarity\":");
            if (!e) e = tm_json_num(mb, r->sim);
            if (!e) e = tm_buf_puts(mb, ",\"cluster\":");
            if (!e) e = tm_json_u64(mb, r->cluster);
            if (!e) e = put_sizes(mb, c, r);
        }
        if (!e) e = tm_doc_to_jsonl(doc, NULL, 0, mb->data, mb->len, &sinks[TM_SINK_REMOVED]);
        st->removed++;
        return e;
    }
    /* Lines to drop, if any: a range of the sorted (doc, line) table. */
    size_t lo = 0, hi = c->n_lr;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->lr[mid].doc < idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < c->n_lr && c->lr[lo].doc == idx) {
        const char *t = doc->text.ptr ? doc->text.ptr : "";
        if ((e = tm_split_lf(t, doc->text.len, &w->lines))) return e;
        tm_buf_reset(&w->nb);
        size_t k = lo, n_rm = 0, kept_pieces = 0;
        for (size_t i = 0; i < w->lines.n; i++) {
            if (k < c->n_lr && c->lr[k].doc == idx && c->lr[k].line == i) {
                k++;
                n_rm++;
                continue;
            }
            if (kept_pieces++ && (e = tm_buf_putc(&w->nb, '\n'))) return e;
            if ((e = tm_buf_append(&w->nb, t + w->lines.v[i].beg,
                                   w->lines.v[i].end - w->lines.v[i].beg)))
                return e;
        }
        e = tm_buf_puts(mb, "\"paragraphs_removed\":");
        if (!e) e = tm_json_u64(mb, n_rm);
        if (!e)
            e = tm_doc_to_jsonl(doc, w->nb.data ? w->nb.data : "", w->nb.len, mb->data, mb->len,
                                &sinks[TM_SINK_OUT]);
        st->written++;
        return e;
    }
    st->written++;
    return tm_doc_to_jsonl(doc, NULL, 0, NULL, 0, &sinks[TM_SINK_OUT]);
}

/* ---- the job ---- */

static void ctx_free(dctx *c) {
    tm_xsort_free(c->xs_exact);
    tm_xsort_free(c->xs_band);
    tm_xsort_free(c->xs_para);
    tm_minhasher_free(c->mh);
    free(c->di);
    tm_keeper_free(c->keeper);
    free(c->kept_by);
    free(c->sigs);
    if (c->sig_file) fclose(c->sig_file);
    if (c->sh_file) fclose(c->sh_file);
    tm_dfsketch_free(c->df);
    if (c->id_file) fclose(c->id_file);
    free(c->sh_off);
    free(c->sh_n);
    free(c->rm);
    free(c->lr);
    free(c->ids);
    tm_buf_free(&c->idpool);
    free(c->cluster_of);
}

tm_error tm_job_dedup(const tm_job_opts *o, const tm_dedup_opts *d, tm_dedup_stats *ds) {
    memset(ds, 0, sizeof *ds);
    if (!o || !d) return TM_ERR_ARG;
    dctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.d = d;
    c.ds = ds;
    c.do_exact = d->exact;
    c.do_near = d->near;
    c.do_para = d->paragraphs;
    if (!c.do_exact && !c.do_near && !c.do_para) c.do_exact = c.do_near = 1;
    c.need_score = d->keep == TM_KEEP_BEST;
    c.perms = d->perms > 0 ? d->perms : 128;
    if (c.perms > 4096 || d->threshold <= 0.0 || d->threshold >= 1.0) return TM_ERR_ARG;
    if (d->containment < 0.0 || d->containment > 1.0 || d->lsh_threshold < 0.0 ||
        d->lsh_threshold >= 1.0 || !(d->containment_ratio > 0.0 && d->containment_ratio <= 1.0))
        return TM_ERR_ARG;
    /* The lowest Jaccard the accept rule admits: containment c of a set r
     * times the size of the other gives J = c r / (1 + r - c r). */
    c.lsh_threshold = d->threshold;
    double cr = d->containment * d->containment_ratio;
    if (d->containment > 0.0 && cr / (1.0 + d->containment_ratio - cr) < c.lsh_threshold)
        c.lsh_threshold = cr / (1.0 + d->containment_ratio - cr);
    if (d->verify == TM_VERIFY_ALIGNED) {
        /* the aligned rule admits pairs down to --min-jaccard */
        if (!(d->min_jaccard > 0.0 && d->min_jaccard < 1.0) || d->max_gap < 0 ||
            d->max_gap_contained < 0 || !(d->coverage > 0.0 && d->coverage <= 1.0) ||
            !(d->coverage_contained > 0.0 && d->coverage_contained <= 1.0))
            return TM_ERR_ARG;
        c.lsh_threshold = d->min_jaccard;
        if (d->template_df < 0 || !(d->template_own >= 0.0 && d->template_own <= 1.0) ||
            d->template_min < 0)
            return TM_ERR_ARG;
    }
    if (d->lsh_threshold > 0.0) c.lsh_threshold = d->lsh_threshold;
    if (d->bands > 0 && d->rows > 0) {
        if ((long)d->bands * d->rows > c.perms) return TM_ERR_ARG;
        c.bands = d->bands;
        c.rows = d->rows;
    } else if (d->bands > 0 || d->rows > 0) {
        return TM_ERR_ARG;
    } else {
        tm_error e = tm_lsh_params(c.lsh_threshold, c.perms, &c.bands, &c.rows);
        if (e) return e;
    }
    ds->bands = c.bands;
    ds->rows = c.rows;
    c.sig_bytes = (size_t)c.perms * 4;
    c.tmp_dir = d->tmp_dir;
    c.mem = d->memory ? d->memory : default_memory();

    tm_error e = TM_OK;
    tm_inputs fixed = {0};      /* the files both passes read */
    tm_input_digest *dg = NULL; /* what each pass read of each: 2 x n */
    tm_job_opts o1 = *o;
    tm_stats st1 = {0};
    if ((e = tm_minhasher_new(&c.mh, c.perms, d->seed))) goto done;
    if ((e = tm_xsort_new(&c.xs_exact, c.mem / 16, c.tmp_dir)) ||
        (e = tm_xsort_new(&c.xs_band, c.mem / 4, c.tmp_dir)) ||
        (e = tm_xsort_new(&c.xs_para, c.mem / 8, c.tmp_dir)))
        goto done;
    c.id_file = tm_dedup_tmpfile(c.tmp_dir);
    if (!c.id_file) {
        e = tm_dd_open_error();
        goto done;
    }
    if (c.do_near && d->verify == TM_VERIFY_ALIGNED && d->template_df > 0 &&
        (e = tm_dfsketch_new(&c.df, d->df_sketch_bytes)))
        goto done;
    c.sh_elem = d->verify == TM_VERIFY_ALIGNED ? 4 : 8;
    if (c.do_near && d->verify != TM_VERIFY_SIGNATURE &&
        !(c.sh_file = tm_dedup_tmpfile(c.tmp_dir))) {
        e = tm_dd_open_error();
        goto done;
    }
    /* Both passes read one list, fixed now: directories are walked once,
     * and what cannot be read twice (stdin, pipes, FIFOs, /dev/fd/N) is
     * copied once to tmp_dir, keeping its name (io/inputs.c). */
    if (!o->inputs && o->n_inputs) {
        e = TM_ERR_ARG;
        goto done;
    }
    if ((e = tm_inputs_expand(&fixed, o->inputs, o->n_inputs)) ||
        (e = tm_inputs_spool(&fixed, c.tmp_dir, o->err_detail, o->err_detail_size)))
        goto done;
    if (!(dg = calloc(2 * fixed.n + 1, sizeof *dg))) {
        e = TM_ERR_NOMEM;
        goto done;
    }

    /* Pass 1: hash and index. */
    tm_pjob j1 = {.opts = &o1,
                  .n_sinks = 1,
                  .ctx = &c,
                  .worker_new = w_new,
                  .worker_free = w_free,
                  .process = p1_process,
                  .consume = p1_consume,
                  .count_as_written = 1,
                  .no_output = 1,
                  .input_list = &fixed,
                  .digests = dg};
    if ((e = tm_pipeline_run(&j1, &st1))) goto done;
    if (c.sh_file && fflush(c.sh_file)) e = TM_ERR_IO;
    if (c.sig_file && fflush(c.sig_file)) e = TM_ERR_IO;
    if (e) goto done;
    ds->index_bytes =
        (uint64_t)c.cap_slots * (sizeof(dinfo) + 4) + (uint64_t)c.sigs_cap * 4 +
        (c.sh_file ? (uint64_t)c.cap_slots * 12 : 0) + tm_dfsketch_bytes(c.df) +
        24 * (tm_xsort_count(c.xs_band) + tm_xsort_count(c.xs_exact) + tm_xsort_count(c.xs_para));

    /* Decisions, in input order. */
    if ((e = tm_keeper_new(&c.keeper, c.n_slots, c.mem, c.tmp_dir))) goto done;
    if (c.do_exact && (e = tm_dd_decide_exact(&c))) goto done;
    if (c.do_near && (e = tm_dd_decide_near(&c))) goto done;
    if ((e = tm_dd_decide_clusters(&c))) goto done;
    if (c.do_para && (e = decide_paragraphs(&c))) goto done;
    if (c.n_rm) qsort(c.rm, c.n_rm, sizeof *c.rm, cmp_rment);
    if ((e = load_ids(&c))) goto done;

    /* Pass 2: route every document. */
    tm_pjob j2 = {.opts = &o1,
                  .n_sinks = 2,
                  .ctx = &c,
                  .worker_new = w_new,
                  .worker_free = w_free,
                  .process = p2_process,
                  .input_list = &fixed,
                  .digests = dg + fixed.n,
                  .expect = dg,
                  .discard_rejects = 1};
    e = tm_pipeline_run(&j2, &ds->ledger);
    /* The ledger counts what pass 1 indexed: it cannot balance when pass 2
     * read anything else (which also fails the job, TM_ERR_CHANGED). */
    ds->pass1_read = st1.read;
    ds->pass2_read = ds->ledger.read;
    ds->ledger.read = st1.read;
    if (!e && ds->pass2_read != ds->pass1_read) e = TM_ERR_CHANGED;
    /* Clusters only once pass 2 has confirmed the inputs: a job that fails
     * there publishes no clusters file either. */
    if (!e && d->clusters) e = write_clusters(&c);

done:
    tm_inputs_free(&fixed);
    free(dg);
    ctx_free(&c);
    return e;
}

tm_error tm_dedup_stats_to_json(const tm_dedup_stats *s, tm_buf *out) {
    struct {
        const char *k;
        uint64_t v;
    } f[] = {{"docs", s->docs},
             {"exact_removed", s->exact_removed},
             {"near_removed", s->near_removed},
             {"paragraph_docs_removed", s->paragraph_docs_removed},
             {"paragraphs_removed", s->paragraphs_removed},
             {"docs_edited", s->docs_edited},
             {"clusters", s->clusters},
             {"candidate_pairs", s->candidate_pairs},
             {"verified_pairs", s->verified_pairs},
             {"rejected_pairs", s->rejected_pairs},
             {"containment_pairs", s->containment_pairs},
             {"judged_pairs", s->judged_pairs},
             {"chain_kept", s->chain_kept},
             {"spill_runs", s->spill_runs},
             {"bands", (uint64_t)s->bands},
             {"rows", (uint64_t)s->rows},
             {"index_bytes", s->index_bytes},
             {"pass1_read", s->pass1_read},
             {"pass2_read", s->pass2_read}};
    tm_error e = tm_buf_putc(out, '{');
    for (size_t i = 0; i < sizeof f / sizeof *f && !e; i++) {
        e = tm_json_key(out, f[i].k, i > 0);
        if (!e) e = tm_json_u64(out, f[i].v);
    }
    if (!e) e = tm_json_key(out, "ledger", 1);
    if (!e) e = tm_stats_to_json(&s->ledger, out);
    if (!e) e = tm_buf_putc(out, '}');
    return e;
}
