/*
 * nltk_int.h — what the two halves of the NLTK port share (nltk.c, the
 * word tokenizer; punkt.c, the sentence splitter): Python's character
 * classes with a per-thread cache, the ASCII sets of NLTK's patterns as bits
 * of one table, and the sentence slices that punkt.c computes for nltk.c.
 * Private to src/text.
 */
#ifndef TM_NLTK_INT_H
#define TM_NLTK_INT_H

#include "text/nltk.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

/* The passes test the classes of every code point many times: a cache of
 * the flags of recent non-Latin-1 code points (one per thread, as the
 * tokenizer is called from the filter's worker threads) saves the binary
 * searches of tmi_char_flags. */
static _Thread_local tm_fcache fc;

static inline unsigned F(int32_t c) {
    return (uint32_t)c < 256 ? tmi_latin1_flags[c] : tmi_cflags_c(&fc, c);
}
static inline int W(int32_t c) {
    return (F(c) & TM_CF_WORD) != 0;
}
static inline int S(int32_t c) {
    return (F(c) & TM_CF_SPACE) != 0;
}
static inline int D(int32_t c) {
    return (F(c) & TM_CF_DECIMAL) != 0;
}
/* ASCII sets of the patterns, one bit each (the table below). */
enum {
    C_MSTDN = 1 << 0,
    C_SMD = 1 << 1,
    C_NONWORD = 1 << 2,
    C_CLS = 1 << 3,
    C_NOSTART = 1 << 4,
    C_ORTHO = 1 << 5,
    C_END = 1 << 6,
    C_NUM = 1 << 7,
    C_OPEN = 1 << 8,
    C_CC = 1 << 9,
    C_REALIGN = 1 << 10,
    C_DOT = 1 << 11,
    C_PAD1 = 1 << 12,
    C_QE = 1 << 13,
    C_STAR = 1 << 14,
    C_PARENS = 1 << 15,
    C_DQ = 1 << 16,
    C_SQ = 1 << 17,
    C_BT = 1 << 18,
    C_DASH = 1 << 19,
};

static const uint32_t ascii_sets[128] = {
    [' '] = C_OPEN,
    ['!'] = C_NONWORD | C_ORTHO | C_END | C_QE,
    ['"'] = C_NONWORD | C_CLS | C_NOSTART | C_REALIGN | C_DQ,
    ['#'] = C_NOSTART | C_PAD1,
    ['$'] = C_PAD1,
    ['%'] = C_PAD1,
    ['&'] = C_NOSTART | C_PAD1,
    ['\''] = C_NONWORD | C_CLS | C_REALIGN | C_SQ,
    ['('] = C_NONWORD | C_NOSTART | C_OPEN | C_PARENS,
    [')'] = C_NONWORD | C_CLS | C_NOSTART | C_REALIGN | C_PARENS,
    ['*'] = C_NONWORD | C_NOSTART | C_STAR,
    [','] = C_NOSTART | C_ORTHO | C_NUM | C_CC,
    ['-'] = C_NOSTART | C_NUM | C_DASH,
    ['.'] = C_ORTHO | C_END | C_NUM | C_DOT,
    [':'] = C_NONWORD | C_NOSTART | C_ORTHO | C_CC,
    [';'] = C_NONWORD | C_NOSTART | C_ORTHO | C_PAD1,
    ['<'] = C_OPEN | C_PARENS,
    ['>'] = C_CLS | C_PARENS,
    ['?'] = C_NONWORD | C_ORTHO | C_END | C_QE,
    ['@'] = C_NONWORD | C_NOSTART | C_PAD1,
    ['D'] = C_SMD,
    ['M'] = C_SMD,
    ['S'] = C_SMD,
    ['['] = C_NONWORD | C_NOSTART | C_OPEN | C_PARENS,
    [']'] = C_NONWORD | C_CLS | C_NOSTART | C_REALIGN | C_PARENS,
    ['`'] = C_NOSTART | C_BT,
    ['d'] = C_MSTDN | C_SMD,
    ['m'] = C_MSTDN | C_SMD,
    ['n'] = C_MSTDN,
    ['s'] = C_MSTDN | C_SMD,
    ['t'] = C_MSTDN,
    ['{'] = C_NONWORD | C_NOSTART | C_OPEN | C_PARENS,
    ['}'] = C_NONWORD | C_CLS | C_NOSTART | C_REALIGN | C_PARENS,
};

static inline int in(int32_t c, unsigned set) {
    return c >= 0 && c < 128 && (ascii_sets[c] & set) != 0;
}
static inline int32_t ascii_low(int32_t c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* w->cp = the code points of text (invalid UTF-8 as U+FFFD); 1 when out of
 * memory. */
int tmi_nltk_decode(tm_nltk *w, const char *text, size_t len);
/* The realigned sentence slices of untrained Punkt over w->cp, into w->sl
 * (beg, end pairs of code-point indices); 1 when out of memory. */
int tmi_nltk_punkt(tm_nltk *w);

#endif
