/*
 * stopwords.c — stop-word lookup over the stopwords-iso 1.1.0 lists.
 *
 * tm_is_stopword() runs once per token in the quality signals, so the lists
 * are compiled into static tables at build time (scripts/gen-stopwords.js):
 * a two-letter code indexes a 26x26 array straight to its language, and each
 * language has its own open-addressing hash table (load <= 1/2, linear
 * probing) keyed by FNV-1a of the word's bytes. A lookup is one hash, one or
 * two probes and one memcmp; nothing is allocated and nothing is mutable.
 */
#include "langid/stopwords.h"
#include "tamis.h"

#include <string.h>

/* 32-bit FNV-1a; scripts/gen-stopwords.js computes the same function. */
static uint32_t tm_sw_hash(const unsigned char *p, size_t n) {
    uint32_t h = 0x811c9dc5u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x01000193u;
    return h;
}

static const tm_sw_lang *tm_sw_find_lang(const char *lang) {
    if (!lang || lang[0] < 'a' || lang[0] > 'z' || lang[1] < 'a' || lang[1] > 'z' || lang[2])
        return NULL;
    int i = tmi_sw_index[(lang[0] - 'a') * 26 + (lang[1] - 'a')];
    return i < 0 ? NULL : &tmi_sw_langs[i];
}

int tm_is_stopword(const char *lang, const char *word, size_t len) {
    const tm_sw_lang *l = tm_sw_find_lang(lang);
    if (!l || !word || len == 0 || len > 255) return 0;
    const uint16_t *slots = tmi_sw_slots + l->slot;
    for (uint32_t j = tm_sw_hash((const unsigned char *)word, len) & l->mask;;
         j = (j + 1) & l->mask) {
        unsigned e = slots[j];
        if (e == 0) return 0; /* tables are at most half full: always ends */
        e--;
        if (tmi_sw_len[e] == len && memcmp(tmi_sw_pool + tmi_sw_off[e], word, len) == 0) return 1;
    }
}

size_t tm_stopword_count(const char *lang) {
    const tm_sw_lang *l = tm_sw_find_lang(lang);
    return l ? l->count : 0;
}
