/*
 * stopwords.h — the stop-word tables generated at build time by
 * scripts/gen-stopwords.js into $(BUILD)/gen/stopwords.c, and searched by
 * stopwords.c. Layout: see the generator's header comment.
 */
#ifndef TM_LANGID_STOPWORDS_H
#define TM_LANGID_STOPWORDS_H

#include <stddef.h>
#include <stdint.h>

typedef struct tm_sw_lang {
    char code[3];   /* ISO 639-1 */
    uint16_t count; /* words in the stopwords-iso list */
    uint32_t slot;  /* first slot of its hash table in tmi_sw_slots */
    uint32_t mask;  /* table size - 1 (a power of two) */
} tm_sw_lang;

extern const size_t tmi_sw_n_langs;
extern const tm_sw_lang tmi_sw_langs[];
extern const signed char tmi_sw_index[26 * 26]; /* "ab" -> langs index or -1 */
extern const uint32_t tmi_sw_off[];             /* entry -> offset in pool */
extern const unsigned char tmi_sw_len[];        /* entry -> byte length */
extern const uint16_t tmi_sw_slots[];           /* entry + 1, 0 = empty */
extern const char tmi_sw_pool[];

#endif
