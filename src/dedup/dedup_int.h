/*
 * dedup_int.h — the decision state of dedup (dctx) that the handle shares
 * with its parts: deduper.c (the handle), pass1.c (one document to its
 * record), verdicts.c and decide.c (verification and the keep decisions),
 * paragraphs.c, and the job over it in src/jobs (job_dedup.c: the two
 * passes; dedup_route.c: the clusters file and pass 2). Internal to the
 * library.
 */
#ifndef TM_DEDUP_DEDUP_INT_H
#define TM_DEDUP_DEDUP_INT_H

#include "dedup/dedup.h"
#include "util/buf.h"

#include <stdio.h>

enum {
    DF_PRESENT = 1 << 0,   /* a parsed document (not a rejected record) */
    DF_SHINGLES = 1 << 1,  /* has at least one shingle: indexed */
    DF_SCORE = 1 << 2,     /* a --keep best score was found */
    DF_EXACT_DUP = 1 << 3, /* same exact key as an earlier document */
    DF_REMOVED = 1 << 4,   /* removed by exact or near dedup */
    DF_NEED_ID = 1 << 5,   /* id wanted for reporting */
    DF_PARA_RM = 1 << 6    /* removed: too short after line removal */
};

typedef struct dinfo {
    uint32_t exact_rep; /* the leader of its exact group (keep priority) */
    uint32_t chars;     /* code points of the text (capped at 2^32-1) */
    float score;        /* --keep best */
    uint32_t flags;
    uint32_t n_set; /* distinct shingles (containment) */
} dinfo;

enum { RK_EXACT = 1, RK_NEAR = 2, RK_PARA = 3 };

/* A removed document, sorted by index for the pass-2 lookup. */
typedef struct rment {
    uint32_t index, kept, cluster;
    uint32_t extra; /* chars left (RK_PARA); the kept document's chars */
    float sim, cont;
    uint16_t kind, rule;    /* RK_*, TM_RULE_* */
    float cov, kept_cov;    /* --verify aligned: coverage of each by the other */
    uint32_t gap, kept_gap; /* and the longest uncovered runs */
} rment;

typedef struct lineref {
    uint32_t doc, line;
} lineref;

typedef struct idref {
    uint32_t index;
    uint32_t len;
    size_t off;
} idref;

typedef struct dctx {
    tm_dedup_opts dopt;     /* the options, copied and completed */
    const tm_dedup_opts *d; /* = &dopt */
    tm_dedup_stats *ds;
    int do_exact, do_near, do_para, need_score;
    int perms, bands, rows;
    double lsh_threshold;
    size_t sig_bytes;
    tm_minhasher *mh;
    const char *tmp_dir;
    uint64_t mem;
    /* pass 1 */
    tm_xsort *xs_exact, *xs_band, *xs_para;
    dinfo *di;
    size_t n_slots, cap_slots;
    tm_keeper *keeper; /* accepted pairs, until the keep decisions */
    uint32_t *kept_by; /* per document: itself, or the kept one it copies */
    uint32_t *sigs;    /* in-memory signatures by index, until spilled */
    size_t sigs_cap;
    FILE *sig_file;
    FILE *sh_file;  /* --verify exact: shingle sets; aligned: align records */
    size_t sh_elem; /* bytes per stored value: 8 (exact), 4 (aligned) */
    uint64_t *sh_off;
    uint32_t *sh_n;
    uint64_t sh_pos;
    FILE *id_file;
    tm_dfsketch *df; /* --template-df: document frequency of shingles */
    /* decisions */
    rment *rm;
    size_t n_rm, cap_rm;
    lineref *lr;
    size_t n_lr, cap_lr;
    idref *ids;
    size_t n_ids;
    tm_buf idpool;
    uint32_t *cluster_of; /* cluster number by root, for the clusters file */
    tm_error err;
} dctx;

typedef struct vscratch {
    uint32_t *s1, *s2;
    uint64_t *h1, *h2;
    size_t c1, c2;
    uint32_t *a1, *a2; /* --verify aligned: records read back */
    size_t ca1, ca2;
    tm_aset t1, t2;   /* and their sets */
    uint32_t d1, d2;  /* the documents in a1/t1 and a2/t2, + 1 (0: none) */
    uint8_t *m1, *m2; /* --template-df: which of their shingles are common */
    size_t cm1, cm2;
    tm_aset o1, o2; /* and the set of their own (rare) shingles */
    uint32_t *ob;   /* scratch: the own shingles, in order */
    size_t cob;
    tm_apos p1;    /* --substitution: where a1's shingles are */
    uint8_t *mark; /* scratch of tmi_align_cover_t */
    size_t cmark;
} vscratch;

/* deduper.c: the handle that owns a dctx (the job drives one through
 * files), the decisions over everything filed, and reading them. */
dctx *tmi_dd_ctx(tm_deduper *d);
tm_error tmi_dd_decide(dctx *c);
const idref *tmi_dd_id_of(const dctx *c, uint32_t index);
const rment *tmi_dd_rm_of(const dctx *c, uint32_t index);
/* The lines removed from index: *first into c->lr, and how many. */
size_t tmi_dd_lines_of(const dctx *c, uint32_t index, size_t *first);
/* One document's decision (any index; SKIPPED when it is none). */
void tmi_dd_decision(const dctx *c, uint32_t index, tm_dedup_decision *out);
/* Appends text less the lines removed from idx; *n_removed says how many. */
tm_error tmi_dd_apply_lines(const dctx *c, uint32_t idx, const char *t, size_t len, tm_spans *lines,
                            tm_buf *out, size_t *n_removed);

/* pass1.c: the signature of document index (in memory, or read into buf). */
const uint32_t *tmi_dd_sig_get(dctx *c, uint32_t index, uint32_t *buf);
/* paragraphs.c: a removal, in the list kept in index order for pass 2. */
tm_error tmi_dd_rm_push(dctx *c, rment m);

/* verdicts.c: the decisions, on the calling thread after pass 1. */
tm_error tmi_dd_decide_exact(dctx *c);
tm_error tmi_dd_decide_near(dctx *c);
/* The keep decisions (decide.c) over the accepted pairs, and the clusters. */
tm_error tmi_dd_decide_clusters(dctx *c);

/* Hard cap on an id kept for reporting (web input): longer ids are cut at a
 * code point boundary. */
#define TM_ID_CAP 2048

/* The state of one pipeline worker, in both passes. */
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
    int score_given; /* tm_deduper_add_scored: score stands for the one */
    float score;     /* the "tamis" object would give */
} wstate;

/* pass1.c: the workers' state and work, and the calling thread's filing. */
void *tmi_dd_w_new(void *ctx);
void tmi_dd_w_free(void *p);
tm_error tmi_dd_p1_process(void *ws, const tm_doc *doc, tm_buf *sinks, tm_stats *st);
tm_error tmi_dd_p1_consume(void *ctx, tm_buf *sinks, size_t n_docs);
/* paragraphs.c: removed entries in index order; the paragraph decisions. */
int tmi_dd_cmp_rment(const void *x, const void *y);
tm_error tmi_dd_decide_paragraphs(dctx *c);
/* deduper.c: the ids kept for reporting, read back from their spill file. */
tm_error tmi_dd_load_ids(dctx *c);
/* jobs/dedup_route.c: the clusters file and pass 2 of the job. */
tm_error tmi_dd_write_clusters(dctx *c);
tm_error tmi_dd_p2_process(void *ws, const tm_doc *doc, tm_buf *sinks, tm_stats *st);

#endif
