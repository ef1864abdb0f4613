/*
 * clean_int.h — the stages of `tamis clean`, shared between the files of
 * src/clean. Each stage reads one text and appends its rewrite to a
 * caller-owned buffer, so tm_clean_text() can chain them with two scratch
 * buffers; each stage writes its edit records into a tm_clean_log, which
 * knows the cap on recorded edits and the counters.
 */
#ifndef TM_CLEAN_INT_H
#define TM_CLEAN_INT_H

#include "tamis.h"
#include "text/text.h"
#include "util/buf.h"

#include <stdint.h>

/* Hard caps on what one web document may cost. */
#define TM_CLEAN_MAX_RECORDS    512  /* edit records written per document */
#define TM_CLEAN_MAX_PAIRS      64   /* distinct from/to pairs of fix_encoding */
#define TM_CLEAN_MAX_COMPARE    1000 /* earlier paragraphs a paragraph is compared with */
#define TM_CLEAN_MAX_WORD_BYTES 64   /* longer words are hashed on this prefix */

/* Edit records of one document, as JSON objects without the array's
 * brackets. Records beyond TM_CLEAN_MAX_RECORDS are counted, not written. */
typedef struct tm_clean_log {
    tm_buf json;
    size_t records;
    uint64_t dropped_records;
    tm_clean_counts *counts;
} tm_clean_log;

/* tm_clean_text(); valid = 1 promises that text is valid UTF-8 (a reader's
 * document, tm_doc.text), which skips the check. */
tm_error tm_clean_text_ex(tm_cleaner *c, const char *text, size_t len, const char *lang, int valid,
                          tm_buf *out_text, tm_buf *edits_json, tm_clean_counts *counts);

/* Starts a record {"op":NAME and returns 1, or returns 0 when the cap is
 * reached (the record is counted as dropped). The caller appends its
 * members (",\"k\":v") then calls tm_clean_log_end(). Counting in
 * counts->n is separate: see tm_clean_log_count(). */
int tm_clean_log_begin(tm_clean_log *g, const char *op);
tm_error tm_clean_log_end(tm_clean_log *g);
void tm_clean_log_count(tm_clean_log *g, int kind, uint64_t n);

/* Stage 1, encoding.c: mojibake repair. Appends the repaired text to out and
 * logs one fix_encoding record per distinct (from, to) pair with its count. */
tm_error tm_clean_encoding(const char *s, size_t n, tm_buf *out, tm_clean_log *g);

/* Stage 2, normalize.c: controls, odd spaces, trailing spaces, blank lines
 * and NFC. Logs one summary record per kind with its count. */
tm_error tm_clean_normalize(const char *s, size_t n, tm_buf *out, tm_buf *scratch, tm_clean_log *g);

/* Stages 3 and 4, paragraphs.c: drops exact and reworded repeats.
 * ps is the cleaner's paragraph scratch (opaque to the caller). Sets
 * *doubled to 0 when no two consecutive words of a paragraph are equal
 * (lowercase): then stage 5 has no candidate in the output and may be
 * skipped. */
typedef struct tm_para_scratch tm_para_scratch;
tm_para_scratch *tm_para_scratch_new(void);
void tm_para_scratch_free(tm_para_scratch *ps);
tm_error tm_clean_paragraphs(tm_para_scratch *ps, const tm_clean_opts *o, const char *s, size_t n,
                             tm_buf *out, tm_clean_log *g, int *doubled);

/* Stage 5, doubled.c: doubled words. lang may be NULL; then detect() is
 * called once, lazily, on the first candidate. */
typedef struct tm_lang_guess {
    char code[16];
    int reliable;
    int known; /* code/reliable filled */
} tm_lang_guess;
tm_error tm_clean_doubled(const char *s, size_t n, tm_lang_guess *lang, tm_buf *out,
                          tm_clean_log *g);

/* Is word (lowercase UTF-8) a legitimate repetition in lang? Exposed for
 * the unit tests. */
int tm_clean_doubled_exception(const char *lang, const char *word, size_t len);

/* tm_utf8_decode() with the common cases inline (ASCII; two-byte
 * sequences: Latin, Greek, Cyrillic...; three-byte ones other than the
 * leads E0 and ED, whose second byte has a narrower range: punctuation such
 * as U+2019, CJK): same results, without a call per character in the
 * scanning loops. */
static inline size_t tm_clean_decode(const char *s, size_t len, int32_t *cp) {
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF && len >= 2 && (p[1] & 0xC0) == 0x80) {
        *cp = (int32_t)(((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu));
        return 2;
    }
    if (p[0] >= 0xE1 && p[0] <= 0xEF && p[0] != 0xED && len >= 3 && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80) {
        *cp = (int32_t)(((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu));
        return 3;
    }
    return tm_utf8_decode(s, len, cp);
}

/* ASCII bytes that belong to words (letters, digits) mapped to their
 * lowercase; 0 for the other bytes below 0x80 (paragraphs.c). Hidden: the
 * scanning loops then address it directly instead of through the GOT. */
extern const unsigned char tm_clean_ascii_word[128] __attribute__((visibility("hidden")));

/* Lowercase of one code point (utf8proc simple case mapping). */
int32_t tm_clean_lower(int32_t cp);

#endif
