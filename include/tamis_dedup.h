/*
 * tamis_dedup.h — exact and near-duplicate removal: shingles and MinHash, the options and
 * counters of `tamis dedup`, the job, and the streaming handle tm_deduper
 * that gives the job's decisions for documents added one at a time.
 *
 * A part of tamis.h, which includes it: programs include <tamis.h> only.
 * The conventions of tamis.h hold here (tm_error, ownership, no globals).
 */
#ifndef TAMIS_DEDUP_H
#define TAMIS_DEDUP_H

#ifndef TAMIS_H
#error "include <tamis.h>: this file is one of its parts"
#endif

/* ---- section: dedup (src/dedup) ---- */

/* MinHash signatures. A minhasher holds `perms` random permutations of the
 * 32-bit hash space, h -> a*h + b (mod 2^32) with a odd, drawn from seed by
 * SplitMix64; a signature is, for each permutation, the minimum over the
 * document's shingle hashes. Two signatures agree on a permutation with
 * probability equal to the Jaccard similarity of the shingle sets. The
 * minhasher is immutable after creation: threads may share one. The caller
 * owns it and frees it with tm_minhasher_free. */
typedef struct tm_minhasher tm_minhasher;

TM_API tm_error tm_minhasher_new(tm_minhasher **out, int perms, uint64_t seed);
TM_API void tm_minhasher_free(tm_minhasher *m);
TM_API int tm_minhasher_perms(const tm_minhasher *m);

/* Signature of a set of 64-bit shingle hashes (duplicates are harmless)
 * into sig[perms], owned by the caller. An empty set gives all 0xFFFFFFFF. */
TM_API void tm_minhash_hashes(const tm_minhasher *m, const uint64_t *hashes, size_t n,
                              uint32_t *sig);

/* How text is cut into shingles. AUTO: word n-grams, but character n-grams
 * when more than 30% of the letters are in scripts written without spaces
 * (Chinese, Japanese, Thai, ...). */
typedef enum tm_shingle_kind {
    TM_SHINGLE_AUTO = 0,
    TM_SHINGLE_WORDS = 1,
    TM_SHINGLE_CHARS = 2
} tm_shingle_kind;

typedef struct tm_shingle_opts {
    size_t size; /* sizeof this struct, set by its _init: the library reads only that much */
    int norm;    /* TM_NORM_* flags applied first (0 = none) */
    tm_shingle_kind kind; /* TM_SHINGLE_AUTO by default */
    int word_n;           /* words per shingle, 5 by default */
    int char_n;           /* code points per shingle, 5 by default */
} tm_shingle_opts;

/* Defaults: NFKC + case folding + whitespace collapsing, AUTO, 5, 5. */
TM_API void tm_shingle_opts_init(tm_shingle_opts *o);

/* Shingle hashes of text, normalised as o says, in a malloc'ed array *out of
 * *n_out hashes that the caller frees with tm_free(). *used_chars (may be NULL) says whether
 * character shingles were chosen. Word and character shingles use different hash seeds, so a word
 * shingle never equals a character shingle. */
TM_API tm_error tm_shingle_text(const char *text, size_t len, const tm_shingle_opts *o,
                                uint64_t **out, size_t *n_out, int *used_chars);

/* Fraction of equal positions of two signatures: the MinHash estimate of
 * the Jaccard similarity. */
TM_API double tm_minhash_similarity(const uint32_t *a, const uint32_t *b, int perms);

/* Exact Jaccard similarity of two sets of hashes (each may hold
 * duplicates; they are ignored). Allocates a scratch copy. */
TM_API tm_error tm_jaccard_hashes(const uint64_t *a, size_t na, const uint64_t *b, size_t nb,
                                  double *out);

/* LSH banding: the bands x rows (bands * rows <= perms) that minimise
 * 0.5 * FP + 0.5 * FN, where FP is the area under the S-curve
 * P(s) = 1 - (1 - s^rows)^bands over [0, threshold] and FN the area above it
 * over [threshold, 1] (datasketch's _optimal_param, integrated with Simpson's
 * rule on 1000 intervals). 0.8/128 gives 9 x 13. TM_ERR_ARG when threshold
 * is outside (0, 1) or perms < 1. */
TM_API tm_error tm_lsh_params(double threshold, int perms, int *bands, int *rows);

/* Which copy of a cluster is kept. */
typedef enum tm_keep_mode {
    TM_KEEP_FIRST = 0, /* the first in input order */
    TM_KEEP_LONGEST,   /* the most code points; ties: the first */
    TM_KEEP_BEST       /* the highest score (see score_field); ties and
                          documents without a score rank below: the first */
} tm_keep_mode;

typedef enum tm_verify_mode {
    TM_VERIFY_SIGNATURE = 0, /* Jaccard estimated from the full signatures */
    TM_VERIFY_EXACT,         /* exact Jaccard of the two shingle sets, kept
                                in a temporary file (8 bytes per shingle) */
    TM_VERIFY_ALIGNED        /* where two documents differ: coverage of each
                                one's words by shingles of the other and the
                                longest uncovered run (docs/DEDUP.md); the
                                in-order shingles are kept in a temporary file
                                (4 bytes per word) */
} tm_verify_mode;

/* Options of tm_job_dedup and tm_deduper_new. Initialise with
 * tm_dedup_opts_init() (TM_ERR_ARG when size is not set). Strings are
 * borrowed for the duration of the call (of the deduper's life). */
typedef struct tm_dedup_opts {
    size_t size;    /* sizeof(tm_dedup_opts), set by tm_dedup_opts_init: the
                       library reads only that many bytes (members added
                       later keep their defaults), so the struct may grow
                       without breaking programs built against this header */
    int exact;      /* exact duplicates (normalised text) */
    int near;       /* MinHash-LSH near duplicates */
    int paragraphs; /* CCNet-style repeated-line removal; when none of
                       the three is set, exact + near run */
    int norm;       /* TM_NORM_* flags for the exact key, the
                       paragraph keys and the shingles; -1 = raw bytes */
    tm_shingle_opts shingle;
    int perms;            /* 128 */
    double threshold;     /* Jaccard at or above which documents are dups */
    double containment;   /* also dups: the smaller shingle set has at least
                             containment_ratio of the larger's distinct shingles
                             and this share of it is in the larger (truncation,
                             boilerplate); removes the smaller only; 0 = off */
    double lsh_threshold; /* similarity the banding targets; 0 = the lowest
                             Jaccard the two rules above can accept */
    int bands, rows;      /* 0 = from tm_lsh_params(lsh_threshold, perms) */
    tm_verify_mode verify;
    double containment_ratio; /* see containment */
    tm_keep_mode keep;
    const char *score_field;    /* path inside "tamis" for TM_KEEP_BEST; NULL =
                                   "quality", then "lang_score" */
    const char *clusters;       /* NULL, or a path for one JSON line per cluster */
    const char *tmp_dir;        /* NULL = $TMPDIR or /tmp */
    uint64_t memory;            /* bytes for the index; 0 = half of RAM */
    size_t min_paragraph_chars; /* lines shorter than this are never removed: 40 */
    size_t min_doc_chars;       /* docs left shorter after line removal go: 100 */
    uint64_t seed;              /* permutation seed, 1 */
    /* TM_VERIFY_ALIGNED: a near copy has at least min_jaccard, covers at
     * least `coverage` of each document's words with shingles found in the
     * other, and leaves no run of more than max_gap uncovered words in
     * either; a contained copy (the smaller goes) has coverage_contained of
     * its own words covered and no run longer than max_gap_contained,
     * whatever the larger holds. Both rules need the smaller set to have
     * containment_ratio of the larger's distinct shingles. */
    double min_jaccard;        /* 0.65 */
    double coverage;           /* 0.95 */
    double coverage_contained; /* 0.985 */
    int max_gap;               /* 20 words (characters for char shingles) */
    int max_gap_contained;     /* 1: the contained copy's longest run */
    /* Template-aware verification (TM_VERIFY_ALIGNED only; docs/DEDUP.md):
     * a shingle held by more than template_df documents (counted in a
     * sketch of df_sketch_bytes) is template. Uncovered template positions
     * are excused, and an accepted pair must also share its own content:
     * one side with at least template_min rare shingles has template_own of
     * them in the other. Pairs where neither side has template_min rare
     * shingles need Jaccard >= threshold and the aligned shape. */
    int template_df;          /* 0 = off */
    double template_own;      /* 0.5 */
    int template_min;         /* 10 */
    uint64_t df_sketch_bytes; /* 32 MiB */
    /* TM_VERIFY_ALIGNED: a pair whose shingles differ in at least this many
     * places, at most a quarter of which insert or delete words (the rest
     * replace one word by one), is not a copy but a substitution (one name
     * or spelling changed throughout); 0 = off */
    int substitution;
} tm_dedup_opts;

TM_API void tm_dedup_opts_init(tm_dedup_opts *o);

typedef struct tm_dedup_stats {
    uint64_t docs; /* documents read (rejected records excluded) */
    uint64_t exact_removed;
    uint64_t near_removed;
    uint64_t paragraph_docs_removed; /* left too short after line removal */
    uint64_t paragraphs_removed;     /* lines removed from kept documents */
    uint64_t docs_edited;            /* kept documents that lost lines */
    uint64_t clusters;               /* groups of two or more copies */
    uint64_t candidate_pairs;        /* distinct pairs from band collisions */
    uint64_t verified_pairs;         /* candidates that passed verification */
    uint64_t rejected_pairs;         /* candidates verification turned down */
    uint64_t containment_pairs;      /* verified by containment, not Jaccard */
    uint64_t judged_pairs;           /* (document, kept document) pairs judged
                                        by the keep decisions */
    uint64_t chain_kept;             /* kept: similar to a removed document
                                        only, not to the one kept for it */
    uint64_t spill_runs;             /* sorted runs written to tmp_dir */
    int bands, rows;                 /* the banding used */
    uint64_t index_bytes;            /* in-memory bytes of the index at its peak */
    uint64_t pass1_read, pass2_read; /* records each pass read (rejected included):
                                        different only when an input changed */
    tm_stats ledger;                 /* read (pass 1) = written + removed +
                                        rejected (pass 2) */
} tm_dedup_stats;

/* Appends dstats as one JSON object (no trailing newline) to out. */
TM_API tm_error tm_dedup_stats_to_json(const tm_dedup_stats *s, tm_buf *out);

/* tamis dedup: reads the inputs twice (a first pass hashes every document on
 * the worker threads; the decisions are taken on the calling thread in
 * input order; a second pass writes kept documents to o->output and removed
 * ones, with their reason, to o->removed). The inputs are listed once
 * (directories walked before pass 1), and every input that is not a regular
 * file (standard input, pipes, FIFOs, /dev/fd/N, sockets, devices) is first
 * copied to a temporary file in tmp_dir; its records keep its name. Pass 2
 * must read exactly the records pass 1 indexed (count and hash per input):
 * otherwise TM_ERR_CHANGED, with the input named in tm_error_detail(), and no
 * output, removed or clusters file is published (the rejects file of pass 1,
 * the records that could not be read, is). Pass 1 calls o->progress too: its last call has
 * docs = pass1_read, and pass 2 then counts again from 0. Output is
 * identical for any o->threads. */
TM_API tm_error tm_job_dedup(const tm_job_opts *o, const tm_dedup_opts *d, tm_dedup_stats *stats);

/* Streaming deduplication without files: the decisions of tamis dedup for
 * documents given one at a time. Documents get indexes 0, 1, 2... in the
 * order of tm_deduper_add / tm_deduper_skip; tm_deduper_finish takes the
 * decisions, then tm_deduper_decision tells each document's fate. With the
 * same documents in the same order (a record that could not be read counted
 * with tm_deduper_skip) and the same options, every decision, similarity,
 * cluster number and counter is the one tm_job_dedup writes: the job is a
 * file driver over this handle. Memory is bounded as for the job: per
 * document about 28 bytes stay resident, everything else (signatures, band
 * keys, pairs, ids, shingles) spills to tmp_dir beyond opts->memory. The
 * caller owns the handle (tm_deduper_free); opts is copied, its strings
 * (tmp_dir, score_field) are borrowed for the handle's life and clusters is
 * ignored. One thread at a time. After a failure other than TM_ERR_ARG the
 * handle keeps that error: every later call returns it. */
typedef struct tm_deduper tm_deduper;

TM_API tm_error tm_deduper_new(tm_deduper **out, const tm_dedup_opts *opts);
/* Adds a document: text (UTF-8, len bytes) and its id (NULL or id_len 0:
 * none; it is only reported back as duplicate_of_id); both are copied or
 * reduced as needed, never kept. Its index is the count of earlier adds and
 * skips. */
TM_API tm_error tm_deduper_add(tm_deduper *d, const char *id, size_t id_len, const char *text,
                               size_t len);
/* The same with the score that TM_KEEP_BEST ranks by. */
TM_API tm_error tm_deduper_add_scored(tm_deduper *d, const char *id, size_t id_len,
                                      const char *text, size_t len, double score);
/* A document from a reader or parser, as the job sees it: its text, its id
 * and, for TM_KEEP_BEST, the score in its existing "tamis" object. */
TM_API tm_error tm_deduper_add_doc(tm_deduper *d, const tm_doc *doc);
/* Consumes an index without a document (a rejected record: the job's
 * indexes count those too). */
TM_API tm_error tm_deduper_skip(tm_deduper *d);
/* Takes every decision; call once, after the last add. */
TM_API tm_error tm_deduper_finish(tm_deduper *d);
/* Documents (indexes) added so far, skipped ones included. */
TM_API uint64_t tm_deduper_count(const tm_deduper *d);

typedef enum tm_dedup_fate {
    TM_DEDUP_KEPT = 0,   /* kept (perhaps with repeated lines removed) */
    TM_DEDUP_EXACT,      /* removed: exact copy of duplicate_of */
    TM_DEDUP_NEAR,       /* removed: near copy of duplicate_of */
    TM_DEDUP_PARAGRAPHS, /* removed: too short once its repeated lines went */
    TM_DEDUP_SKIPPED     /* an index of tm_deduper_skip: no document */
} tm_dedup_fate;

/* One document's decision. The caller sets size to sizeof(tm_dedup_decision)
 * ({.size = sizeof d}); the library fills only that many bytes, so
 * members can be added. Views point into the deduper (until
 * tm_deduper_free). */
typedef struct tm_dedup_decision {
    size_t size;
    tm_dedup_fate fate;
    int removed;            /* fate is EXACT, NEAR or PARAGRAPHS */
    const char *reason;     /* "dedup.exact", "dedup.near", "dedup.paragraphs",
                               NULL when kept (the job's removed_by) */
    const char *rule;       /* EXACT, NEAR: "exact", "jaccard", "containment"
                               or "aligned"; else NULL */
    uint64_t duplicate_of;  /* EXACT, NEAR: index of the kept document it
                               copies; else UINT64_MAX */
    tm_str duplicate_of_id; /* its id, ptr NULL when it had none */
    int64_t cluster;        /* cluster number (a kept document that has copies,
                               also when PARAGRAPHS removed it later, and its
                               copies), -1 when none */
    double similarity;      /* EXACT, NEAR: Jaccard (estimate) with the kept
                               document; leading a cluster: 1; else 0 */
    double containment;     /* EXACT, NEAR: containment of the smaller set */
    uint32_t shingles;      /* distinct shingles of this document */
    uint32_t kept_shingles; /* EXACT, NEAR: those of the kept document */
    uint32_t chars;         /* code points of this document (PARAGRAPHS,
                               or kept with lines removed: what is left) */
    uint32_t kept_chars;    /* EXACT, NEAR: the kept document's */
    int aligned;            /* TM_VERIFY_ALIGNED: the four below are set */
    double coverage, kept_coverage;
    uint32_t gap, kept_gap;
    uint32_t lines_removed; /* kept: repeated lines removed (tm_deduper_apply) */
} tm_dedup_decision;

/* The decision for document i (after tm_deduper_finish; TM_ERR_ARG before
 * it or for an index never added). */
TM_API tm_error tm_deduper_decision(const tm_deduper *d, uint64_t i, tm_dedup_decision *out);
/* The 0-based LF-separated lines of document i that paragraph dedup
 * removes, ascending: the first cap of them into lines (the caller's), their
 * number into *n (0 when none; call with cap 0 to size the array). */
TM_API tm_error tm_deduper_lines(const tm_deduper *d, uint64_t i, uint32_t *lines, size_t cap,
                                 size_t *n);
/* Appends to out the text of document i as the job writes it: text less the
 * lines tm_deduper_lines names (each with one LF). text must be the text
 * that was added. */
TM_API tm_error tm_deduper_apply(const tm_deduper *d, uint64_t i, const char *text, size_t len,
                                 tm_buf *out);
/* The job's counters (docs, exact_removed, near_removed, clusters, pairs,
 * spill_runs, bands, rows, index_bytes...; the ledger and pass counts stay
 * 0), complete after tm_deduper_finish. */
TM_API const tm_dedup_stats *tm_deduper_stats(const tm_deduper *d);
TM_API void tm_deduper_free(tm_deduper *d);

#endif /* TAMIS_DEDUP_H */
