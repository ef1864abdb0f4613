/*
 * langid.h — internal interface between the C language-identification code
 * and the one C++ file that talks to CLD2 (cld2_adapter.cc).
 *
 * CLD2 has no C API, so the adapter turns one detection into plain integers
 * (CLD2 Language enum values and percentages); langid.c does everything
 * else (truncation, code mapping, score) in C.
 */
#ifndef TM_LANGID_LANGID_H
#define TM_LANGID_LANGID_H

#ifdef __cplusplus
extern "C" {
#endif

/* One CLD2 ExtDetectLanguageSummaryCheckUTF8 call, flattened. */
typedef struct tm_cld2_raw {
    int summary;      /* the return value: CLD2's summary language */
    int lang[3];      /* CLD2::Language values, best first */
    int percent[3];   /* percent of letter bytes, 0..100 */
    double nscore[3]; /* CLD2's normalized_score3 */
    int text_bytes;   /* letter bytes scored */
    int reliable;     /* is_reliable */
    int valid_prefix; /* leading bytes that are valid UTF-8 */
} tm_cld2_raw;

/* Runs CLD2 on text (len bytes, any content) as plain text with no hints.
 * Returns 0, -2 if CLD2 ran out of memory, -1 if it threw anything else.
 * Re-entrant. */
int tmi_cld2_detect(const char *text, int len, tm_cld2_raw *out);
/* CLD2's code for a Language value ("en", "iw", "zh-Hant", "un"); static. */
const char *tmi_cld2_code(int lang);
/* CLD2::DetectLanguageVersion(); static. */
const char *tmi_cld2_version(void);

#ifdef __cplusplus
}
#endif
#endif
