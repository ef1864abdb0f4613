/*
 * nltk.h — the English word and sentence tokens that datatrove's
 * NLTKTokenizer produces: NLTK's untrained Punkt sentence splitter
 * (PunktSentenceTokenizer() without parameters) and NLTKWordTokenizer run
 * on each sentence, tokens stripped, empty ones dropped. This is what the
 * reference decisions of datatrove 0.10 were computed with, and what its
 * English filters counted before spaCy (FineWeb 2024). Rules and the
 * places where this port is known to differ: docs/TOKENIZER.md.
 */
#ifndef TM_NLTK_H
#define TM_NLTK_H

#include "text/text.h"
#include "util/buf.h"

/* Scratch (zero-initialise, reuse, free with tmi_nltk_free). */
typedef struct tm_nltk {
    int32_t *cp; /* the text as code points */
    size_t cp_n, cp_cap;
    int32_t *a, *b; /* word-tokenizer passes ping-pong between these */
    size_t a_cap, b_cap;
    size_t *sl; /* sentence slices: beg, end pairs (code-point indices) */
    size_t sl_n, sl_cap;
    size_t *pt; /* Punkt word tokens of one context: beg, end pairs */
    size_t pt_n, pt_cap;
} tm_nltk;

void tmi_nltk_free(tm_nltk *w);

/* The word tokens of text, written UTF-8 into *buf (replaced), separated by
 * one space; *toks receives their spans into buf->data (replaced). */
tm_error tmi_nltk_words(tm_nltk *w, const char *text, size_t len, tm_buf *buf, tm_spans *toks);

/* Number of sentences of untrained Punkt in text (0 for text that is empty
 * after rstrip). */
tm_error tmi_nltk_count_sentences(tm_nltk *w, const char *text, size_t len, size_t *n);

#endif
