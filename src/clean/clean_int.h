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
    tm_error err; /* sticky: a record that could not be written fails the document */
} tm_clean_log;

/* tm_clean_text(); valid = 1 promises that text is valid UTF-8 (a reader's
 * document, tm_doc.text), which skips the check. */
tm_error tmi_clean_text_ex(tm_cleaner *c, const char *text, size_t len, const char *lang, int valid,
                           tm_buf *out_text, tm_buf *edits_json, tm_clean_counts *counts);

/* Starts a record {"op":NAME and returns 1, or returns 0 when the cap is
 * reached (the record is counted as dropped) or when memory ran out (then
 * g->err is set, and tm_clean_text returns it: an edit is never made without
 * its record, silently). The caller appends its
 * members (",\"k\":v") then calls tmi_clean_log_end(). Counting in
 * counts->n is separate: see tmi_clean_log_count(). */
int tmi_clean_log_begin(tm_clean_log *g, const char *op);
tm_error tmi_clean_log_end(tm_clean_log *g);
void tmi_clean_log_count(tm_clean_log *g, int kind, uint64_t n);

/* Stage 1, encoding.c: mojibake repair. Appends the repaired text to out and
 * logs one fix_encoding record per distinct (from, to) pair with its count. */
tm_error tmi_clean_encoding(const char *s, size_t n, tm_buf *out, tm_clean_log *g);

/* Stage 2, normalize.c: controls, odd spaces, trailing spaces, blank lines
 * and NFC. Logs one summary record per kind with its count. */
tm_error tmi_clean_normalize(const char *s, size_t n, tm_buf *out, tm_buf *scratch,
                             tm_clean_log *g);

/* The document's language, detected at most once per document by the
 * first stage that needs it (tmi_clean_lang()): the reworded test of stage 4
 * (stop words), stage 5 (exception lists). */
typedef struct tm_lang_guess {
    char code[16];
    int reliable;
    int known; /* code/reliable filled */
} tm_lang_guess;
tm_error tmi_clean_lang(const char *s, size_t n, tm_lang_guess *lang);

/* Stages 3 and 4, paragraphs.c: drops exact and reworded repeats.
 * ps is the cleaner's paragraph scratch (opaque to the caller). Sets
 * *doubled to 0 when no two consecutive words of a paragraph are equal
 * (lowercase): then stage 5 has no candidate in the output and may be
 * skipped. */
typedef struct tm_para_scratch tm_para_scratch;
/* One paragraph of stages 3-4 (paragraphs.c), with what shape.c and
 * reworded.c learn about it. */
typedef struct tm_clean_para {
    size_t beg, end;     /* bytes, without the separator */
    size_t set, set_len; /* word-set hashes in the scratch's hash pool */
    size_t words;
    uint64_t key;
    int kept;
    unsigned char shape; /* TM_SHAPE_*, once the document is shaped */
    unsigned char unit;  /* a prose paragraph that may be dropped or kept for */
    unsigned char cw_done;
    unsigned char free_unit; /* a long prose paragraph outside any item: compared across sections */
    uint64_t section;        /* the path of headings above it (paragraphs.c) */
    size_t indent;           /* columns before its first line */
    uint64_t text;           /* hash of its text without spaces (paragraphs.c) */
    size_t copies;           /* paragraphs of the document with that text */
    size_t cw, cw_n;         /* content words (reworded.c), sorted hashes */
    size_t nw, nw_n;         /* words with a digit, sorted hashes */
    size_t sw, sw_n;         /* stop words, sorted hashes */
} tm_clean_para;
tm_para_scratch *tmi_para_scratch_new(void);
void tmi_para_scratch_free(tm_para_scratch *ps);
tm_error tmi_clean_paragraphs(tm_para_scratch *ps, const tm_clean_opts *o, const char *s, size_t n,
                              tm_lang_guess *lang, tm_buf *out, tm_clean_log *g, int *doubled);

/* The reworded test of stage 4, reworded.c: does paragraph b say again
 * what paragraph a says (both units of p[0, n), word-set Jaccard already
 * at or above the threshold)? Content words (not stop words of the
 * document's language, not holding digits) weighted by 1 / the number of
 * units holding them, both directions at least TM_CLEAN_REWORD_CONTENT;
 * the same words with digits; word counts within TM_CLEAN_REWORD_LENGTH. */
#define TM_CLEAN_REWORD_CONTENT 0.8
#define TM_CLEAN_REWORD_LENGTH  0.8
#define TM_CLEAN_REWORD_SHARED  32 /* shared words per replaced word allowed */
typedef struct tm_reword tm_reword;
tm_reword *tmi_reword_new(void);
void tmi_reword_free(tm_reword *r);
void tmi_reword_reset(tm_reword *r); /* a new document */
tm_error tmi_reword_same(tm_reword *r, const char *s, size_t n, tm_clean_para *p, size_t np,
                         size_t a, size_t b, tm_lang_guess *lang, int *same);
/* Word characters of stages 3-4 (letters, marks, digits), paragraphs.c. */
int tmi_clean_word_cp(int32_t cp);

/* Paragraph shapes, shape.c (algorithm at the top of that file). Only
 * TM_SHAPE_PROSE paragraphs are units of stages 3-4. */
enum {
    TM_SHAPE_PROSE,
    TM_SHAPE_HEADING,
    TM_SHAPE_LIST,
    TM_SHAPE_OPTION,
    TM_SHAPE_TABLE,
    TM_SHAPE_CODE,
    TM_SHAPE_SHORT,
    TM_SHAPE_DATA,
    TM_SHAPE_WRAPPED,
    TM_SHAPE_LEAD
};
typedef struct tm_shape_ctx {
    int block; /* paragraphs are blocks between blank lines (else lines) */
    int fence; /* inside a ``` fenced block */
} tm_shape_ctx;
void tmi_shape_begin(tm_shape_ctx *c, int block);
/* Shape of the paragraph s[beg, end) of the text s[0, n), in text order
 * (fences are tracked across calls); *indent gets its first line's
 * indentation (the outline of sections, paragraphs.c). */
int tmi_shape_classify(tm_shape_ctx *c, const char *s, size_t n, size_t beg, size_t end,
                       size_t *indent);
/* Is the line s[b1, e1) a title glued above the more indented s[b2, e2)? */
int tmi_shape_glued_heading(const char *s, size_t b1, size_t e1, size_t b2, size_t e2);
/* Is the line s[b, e) a line of prose (doubled words are repaired only there)? */
int tmi_clean_prose_line(const char *s, size_t b, size_t e);

/* Stage 5, doubled.c: doubled words. The language is detected once,
 * lazily, on the first candidate (unless known: --lang, or stage 4). */
tm_error tmi_clean_doubled(const char *s, size_t n, tm_lang_guess *lang, tm_buf *out,
                           tm_clean_log *g);

/* Is word (lowercase UTF-8) a legitimate repetition in lang? Exposed for
 * the unit tests. */
int tmi_clean_doubled_exception(const char *lang, const char *word, size_t len);

/* ASCII bytes that belong to words (letters, digits) mapped to their
 * lowercase; 0 for the other bytes below 0x80 (paragraphs.c). Hidden: the
 * scanning loops then address it directly instead of through the GOT. */
extern const unsigned char tmi_clean_ascii_word[128] __attribute__((visibility("hidden")));

/* Lowercase of one code point (utf8proc simple case mapping). */
int32_t tmi_clean_lower(int32_t cp);

#endif
