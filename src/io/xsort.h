/*
 * xsort.h — spill files and the external sorter over them: what a bounded
 * index (dedup's signatures, band keys, pairs, clusters) needs when its
 * records outgrow its memory budget. Anonymous temporary files live here, in
 * io/, the one memory layer that touches the file system; the dedup
 * decisions above use them without naming a file.
 */
#ifndef TM_IO_XSORT_H
#define TM_IO_XSORT_H

#include "tamis.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>

/* ---- external sort of fixed 24-byte records ---- */

/* Records sort lexicographically on (a, b, c). Band keys are (band, hash,
 * doc), exact keys (hash_hi, hash_lo, doc), paragraph keys (line hash, doc,
 * line << 32 | chars), candidate pairs (lo, hi, 0). */
typedef struct tm_rec {
    uint64_t a, b, c;
} tm_rec;

typedef struct tm_xsort tm_xsort;

/* A sorter that holds at most mem_bytes of records in memory; beyond that,
 * sorted runs go to anonymous (already unlinked) files in tmp_dir and are
 * k-way merged, 64 at a time, by tmi_xsort_next. The handle owns its files. */
tm_error tmi_xsort_new(tm_xsort **out, size_t mem_bytes, const char *tmp_dir);
tm_error tmi_xsort_add(tm_xsort *s, uint64_t a, uint64_t b, uint64_t c);
/* Ends the input phase; afterwards tmi_xsort_next yields records in order. */
tm_error tmi_xsort_finish(tm_xsort *s);
/* TM_OK with *r filled, TM_EOF after the last record, or TM_ERR_IO. */
tm_error tmi_xsort_next(tm_xsort *s, tm_rec *r);
uint64_t tmi_xsort_count(const tm_xsort *s);
/* Sorted runs written to disk so far (0 = everything stayed in memory). */
uint64_t tmi_xsort_runs(const tm_xsort *s);
void tmi_xsort_free(tm_xsort *s);

/* The folder of temporary files: dir when given and not empty, else
 * $TMPDIR when set and not empty, else /tmp. The one TMPDIR lookup. */
const char *tmi_io_tmp_dir(const char *dir);
/* Creates an anonymous read-write temporary file in tmi_io_tmp_dir(dir)
 * (unlinked at once, so nothing is left behind even on a crash); returns
 * NULL on failure. */
FILE *tmi_io_tmpfile(const char *dir);
/* The error of a tmi_io_tmpfile() that returned NULL: fdopen's ENOMEM is
 * the job's lack of memory, anything else the file system's refusal. */
static inline tm_error tmi_io_open_error(void) {
    return errno == ENOMEM ? TM_ERR_NOMEM : TM_ERR_OPEN;
}

#endif
