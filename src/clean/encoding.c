/*
 * encoding.c — stage 1 of `tamis clean`: mojibake repair.
 *
 * Mojibake is UTF-8 that was decoded as Windows-1252 or Latin-1 and
 * re-encoded: "é" (C3 A9) becomes "Ã©", "’" (E2 80 99) becomes "â€™" (cp1252)
 * or "â" U+0080 U+0099 (Latin-1). The repair follows ftfy's idea, kept
 * small: every such sequence consists of characters that encode back to one
 * byte each in cp1252 ∪ Latin-1, the first a UTF-8 lead byte (C2..F4) and
 * the others continuation bytes (80..BF), and together a valid UTF-8
 * sequence. Because correct text also contains such pairs now and then
 * ("É»" at the end of a quote), a sequence is decoded only when the result is
 * clearly more plausible:
 *   tier A (always): the sequence contains a C1 control (never in real text),
 *     or it starts with "Â"/"Ã" (Latin-1 symbols and accented letters), or it
 *     is "â" + two bytes decoding to general punctuation, currency or
 *     letterlike symbols ("â€™", "â‚¬", "â„¢");
 *   tier B (everything else that decodes to an assigned, non-control,
 *     non-private character: Greek, Cyrillic, CJK, "Ã"+NBSP = "à"...): only
 *     next to another decodable sequence (a word of Russian or Chinese
 *     mojibake is a run of them), or when the document already has a tier-A
 *     repair.
 * Work is done on "blobs", maximal runs of non-ASCII characters that all map
 * to a byte: each blob is repaired up to three times, which undoes double
 * and triple encoding ("Ã¢â‚¬â„¢" → "â€™" → "’"), and the blob's original and
 * final forms are logged as one (from, to) pair.
 */
#include "clean/clean_int.h"
#include "util/buf.h"

#include "text/text.h"

#include <string.h>
#include <utf8proc.h>

#define BLOB_MAX 4096 /* bytes of one blob repaired at once */

/* cp1252 bytes 80..9F (0 = undefined there, Latin-1 C1 is used instead). */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* The byte a code point came from when UTF-8 was read as cp1252 or Latin-1;
 * -1 when none. */
static int cp_to_byte(int32_t cp) {
    if (cp < 0x100) return (int)cp;
    if (cp < 0x152 || cp > 0x2122) return -1; /* outside cp1252_hi's values */
    for (int i = 0; i < 32; i++)
        if (cp1252_hi[i] == cp) return 0x80 + i;
    return -1;
}

/* Plausible characters for a repaired sequence: assigned, not a control,
 * not private use, not a noncharacter or a lone combining mark. */
static int plausible_cp(int32_t d) {
    if (d < 0xA0) return 0;
    if ((d & 0xFFFE) == 0xFFFE || (d >= 0xFDD0 && d <= 0xFDEF)) return 0;
    if ((d >= 0xE000 && d <= 0xF8FF) || d >= 0xF0000) return 0;
    utf8proc_category_t cat = utf8proc_category(d);
    return cat != UTF8PROC_CATEGORY_CN && cat != UTF8PROC_CATEGORY_CO &&
           cat != UTF8PROC_CATEGORY_CS && cat != UTF8PROC_CATEGORY_CC &&
           cat != UTF8PROC_CATEGORY_MN && cat != UTF8PROC_CATEGORY_ME;
}

typedef struct seq {
    size_t len; /* bytes of the mojibake sequence in the input */
    int32_t cp; /* what it decodes to */
    int tier;   /* 1 = A, 2 = B */
} seq;

/* Parses a mojibake sequence at s[0..n). Returns 0 when there is none. */
static int parse_seq(const char *s, size_t n, seq *q) {
    int32_t c;
    size_t l = tmi_utf8_decode_fast(s, n, &c);
    int b = cp_to_byte(c);
    if (b < 0xC2 || b > 0xF4) return 0;
    int k = b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
    unsigned char bytes[4] = {(unsigned char)b, 0, 0, 0};
    int c1 = 0, nbsp = 0;
    size_t j = l;
    for (int t = 1; t <= k; t++) {
        if (j >= n) return 0;
        int32_t cc;
        size_t ll = tmi_utf8_decode_fast(s + j, n - j, &cc);
        int bb = cp_to_byte(cc);
        if (bb < 0x80 || bb > 0xBF) return 0;
        bytes[t] = (unsigned char)bb;
        if (cc >= 0x80 && cc <= 0x9F) c1 = 1;
        if (cc == 0xA0) nbsp = 1;
        j += ll;
    }
    /* Overlongs and surrogates are not UTF-8 (RFC 3629 table). */
    if ((b == 0xE0 && bytes[1] < 0xA0) || (b == 0xED && bytes[1] > 0x9F) ||
        (b == 0xF0 && bytes[1] < 0x90) || (b == 0xF4 && bytes[1] > 0x8F))
        return 0;
    int32_t d;
    if (k == 1)
        d = ((b & 0x1F) << 6) | (bytes[1] & 0x3F);
    else if (k == 2)
        d = ((b & 0x0F) << 12) | ((bytes[1] & 0x3F) << 6) | (bytes[2] & 0x3F);
    else
        d = ((b & 0x07) << 18) | ((bytes[1] & 0x3F) << 12) | ((bytes[2] & 0x3F) << 6) |
            (bytes[3] & 0x3F);
    if (!plausible_cp(d)) return 0;
    q->len = j;
    q->cp = d;
    if (c1 || ((b == 0xC2 || b == 0xC3) && !nbsp) ||
        (b == 0xE2 && ((d >= 0x2010 && d <= 0x20CF) || (d >= 0x2100 && d <= 0x215F))))
        q->tier = 1;
    else
        q->tier = 2;
    return 1;
}

/* One level of repair of a blob; returns the number of sequences decoded and
 * sets *tier_a when one of them was tier A. */
static size_t repair_level(const char *s, size_t n, int weak, char *out, size_t *out_len,
                           int *tier_a) {
    size_t i = 0, o = 0, fixed = 0, prev_end = (size_t)-1;
    while (i < n) {
        seq q;
        if (parse_seq(s + i, n - i, &q)) {
            int ok = q.tier == 1 || weak || prev_end == i;
            if (!ok) {
                seq r;
                ok = parse_seq(s + i + q.len, n - i - q.len, &r);
            }
            if (ok) {
                o += tmi_utf8_encode(q.cp, out + o);
                i += q.len;
                prev_end = i;
                fixed++;
                if (q.tier == 1) *tier_a = 1;
                continue;
            }
        }
        int32_t c;
        size_t l = tmi_utf8_decode_fast(s + i, n - i, &c);
        memcpy(out + o, s + i, l);
        o += l;
        i += l;
    }
    *out_len = o;
    return fixed;
}

typedef struct pair {
    size_t from, from_len, to, to_len; /* offsets into the arena */
    uint64_t count;
} pair;

typedef struct enc_state {
    pair pairs[TM_CLEAN_MAX_PAIRS];
    size_t n_pairs;
    uint64_t fixes, unlogged;
    tm_buf arena;
} enc_state;

/* Remembers one repair, trimmed of the characters it left unchanged. */
static tm_error note_pair(enc_state *st, const char *a, size_t an, const char *b, size_t bn) {
    size_t pre = 0;
    while (pre < an && pre < bn && a[pre] == b[pre]) pre++;
    while (pre > 0 && ((unsigned char)a[pre] & 0xC0) == 0x80) pre--;
    size_t suf = 0;
    while (suf < an - pre && suf < bn - pre && a[an - 1 - suf] == b[bn - 1 - suf]) suf++;
    while (suf > 0 && ((unsigned char)a[an - suf] & 0xC0) == 0x80) suf--;
    a += pre, b += pre;
    an -= pre + suf, bn -= pre + suf;
    st->fixes++;
    for (size_t i = 0; i < st->n_pairs; i++) {
        pair *p = &st->pairs[i];
        if (p->from_len == an && p->to_len == bn && !memcmp(st->arena.data + p->from, a, an) &&
            !memcmp(st->arena.data + p->to, b, bn)) {
            p->count++;
            return TM_OK;
        }
    }
    if (st->n_pairs == TM_CLEAN_MAX_PAIRS || an + bn > 256) {
        st->unlogged++;
        return TM_OK;
    }
    pair *p = &st->pairs[st->n_pairs++];
    p->from = st->arena.len;
    p->from_len = an;
    tm_error e = tmi_buf_append(&st->arena, a, an);
    p->to = st->arena.len;
    p->to_len = bn;
    TM_THEN(e, tmi_buf_append(&st->arena, b, bn));
    p->count = 1;
    return e;
}

/* Repairs the whole text once with the given weak setting. */
static tm_error repair_text(const char *s, size_t n, int weak, tm_buf *out, enc_state *st,
                            int *tier_a) {
    char tmp[2][BLOB_MAX + 8];
    size_t i = 0;
    while (i < n) {
        /* ASCII and characters that no byte explains are copied as is. */
        size_t j = i;
        while (j < n) {
            if ((unsigned char)s[j] < 0x80) break;
            int32_t c;
            size_t l = tmi_utf8_decode_fast(s + j, n - j, &c);
            if (cp_to_byte(c) < 0 || j + l - i > BLOB_MAX) break;
            j += l;
        }
        int32_t c;
        size_t l0 = tmi_utf8_decode_fast(s + i, n - i, &c);
        if (j == i || j == i + l0) {
            /* Copy the run up to the next possible lead character (U+00C2..
             * U+00F4, encoded C3 82..C3 B4) that starts a blob of two
             * characters or more, in one append. A blob of one character
             * has no sequence to decode: it is copied as part of the run
             * (French text has an "é" every few words). */
            j = i + l0;
            for (;;) {
                const char *p = j < n ? memchr(s + j, 0xC3, n - j) : NULL;
                if (!p) {
                    j = n;
                    break;
                }
                j = (size_t)(p - s);
                if (j + 1 >= n || (unsigned char)s[j + 1] < 0x82 ||
                    (unsigned char)s[j + 1] > 0xB4) {
                    j++;
                    continue;
                }
                size_t k = j + 2;
                if (k < n && (unsigned char)s[k] >= 0x80) {
                    tmi_utf8_decode_fast(s + k, n - k, &c);
                    if (cp_to_byte(c) >= 0) break; /* a blob of two or more */
                }
                j = k;
            }
            tm_error e = tmi_buf_append(out, s + i, j - i);
            if (e) return e;
            i = j;
            continue;
        }
        /* A blob [i, j): repair up to three levels of encoding. One level
         * maps k+1 non-ASCII characters (>= 2 bytes each) to one character
         * of k+1 bytes, so no level grows and BLOB_MAX bounds them all. */
        const char *cur = s + i;
        size_t cur_len = j - i, levels = 0;
        int which = 0;
        for (int level = 0; level < 3; level++) {
            size_t ol;
            if (!repair_level(cur, cur_len, weak, tmp[which], &ol, tier_a)) break;
            cur = tmp[which];
            cur_len = ol;
            which ^= 1;
            levels++;
        }
        tm_error e = tmi_buf_append(out, cur, cur_len);
        if (!e && levels && st) e = note_pair(st, s + i, j - i, cur, cur_len);
        if (e) return e;
        i = j;
    }
    return TM_OK;
}

tm_error tmi_clean_encoding(const char *s, size_t n, tm_buf *out, tm_clean_log *g) {
    enc_state st;
    memset(&st, 0, sizeof st);
    size_t base = out->len;
    int tier_a = 0;
    tm_error e = repair_text(s, n, 0, out, &st, &tier_a);
    if (!e && tier_a) {
        /* The document is proven to be mojibake: redo with tier B allowed. */
        out->len = base;
        st.n_pairs = 0;
        st.fixes = st.unlogged = 0;
        st.arena.len = 0;
        e = repair_text(s, n, 1, out, &st, &tier_a);
    }
    if (!e && st.fixes) {
        tmi_clean_log_count(g, TM_EDIT_FIX_ENCODING, st.fixes);
        for (size_t i = 0; i < st.n_pairs && !e; i++) {
            pair *p = &st.pairs[i];
            if (!tmi_clean_log_begin(g, "fix_encoding")) continue;
            e = tmi_json_key(&g->json, "from", 1);
            TM_THEN(e, tmi_json_str(&g->json, st.arena.data + p->from, p->from_len));
            TM_THEN(e, tmi_json_key(&g->json, "to", 1));
            TM_THEN(e, tmi_json_str(&g->json, st.arena.data + p->to, p->to_len));
            TM_THEN(e, tmi_json_key(&g->json, "count", 1));
            TM_THEN(e, tmi_json_u64(&g->json, p->count));
            TM_THEN(e, tmi_clean_log_end(g));
        }
        if (!e && st.unlogged && tmi_clean_log_begin(g, "fix_encoding")) {
            e = tmi_json_key(&g->json, "other", 1);
            TM_THEN(e, tmi_json_u64(&g->json, st.unlogged));
            TM_THEN(e, tmi_clean_log_end(g));
        }
    }
    tm_buf_free(&st.arena);
    if (!e && out->data == NULL) e = tmi_buf_reserve(out, 0);
    return e;
}
