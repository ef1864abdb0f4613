/*
 * langid.c — language identification: tm_langid() over CLD2.
 *
 * CLD2 (Compact Language Detector 2, full tables: about 160 languages) scores
 * quadgrams/octagrams of letters and reports, per document, the top three
 * languages with their share of letter bytes and an is_reliable flag. This
 * file prepares the input (only the first TM_LANGID_MAX_BYTES, cut at a
 * character boundary; invalid UTF-8 and the code points CLD2 refuses read
 * as spaces), maps CLD2's codes to ISO 639-1 and derives one score in [0,1]. docs/LANGID.md
 * justifies the choices with the numbers of bench/langid_eval.sh. Nothing here allocates or keeps
 * state, so any number of threads may call tm_langid() at once.
 */
#include "langid/langid.h"
#include "langid/sample.h"
#include "tamis.h"

#include <string.h>
#include <utf8proc.h>

/* Weight of an unreliable answer in the score: CLD2 flags an answer
 * unreliable when the text is short or the top two languages are close; on
 * the lingua test set such answers are right far less often (see
 * docs/LANGID.md), so their score is halved and never passes 0.5. */
#define TM_LANGID_UNRELIABLE_WEIGHT 0.5

/* Writes the tamis code of CLD2 language lang into dst (16 bytes): "und" for
 * unknown, ignored and script-only pseudo-languages ("xx-Latn"), ISO 639-1
 * instead of CLD2's legacy "iw" (Hebrew) and "jw" (Javanese), and, when base
 * is set, without CLD2's script/region subtag ("zh-Hant" -> "zh"). */
static void tm_lang_code(int lang, int base, char dst[16]) {
    const char *c = tmi_cld2_code(lang);
    size_t n = strlen(c);
    if (n < 2 || strcmp(c, "un") == 0 || strcmp(c, "xxx") == 0 || strncmp(c, "xx-", 3) == 0 ||
        n >= 16 || (c[0] >= '0' && c[0] <= '9')) {
        c = "und";
        n = 3;
    } else if (strcmp(c, "iw") == 0) {
        c = "he";
    } else if (strcmp(c, "jw") == 0) {
        c = "jv";
    }
    if (base) {
        const char *dash = strchr(c, '-');
        if (dash) n = (size_t)(dash - c);
    }
    memcpy(dst, c, n);
    dst[n] = '\0';
}

static void tm_lang_result_clear(tm_lang_result *out) {
    memset(out, 0, sizeof *out);
    memcpy(out->code, "und", 4);
    for (int i = 0; i < 3; i++) memcpy(out->top[i].code, "und", 4);
}

/* Largest n' <= n that does not split a UTF-8 sequence: steps back over at
 * most three continuation bytes (more would be invalid input anyway). */
static size_t tm_utf8_cut(const char *s, size_t len, size_t n) {
    if (n >= len) return len;
    for (int i = 0; i < 3 && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; i++) n--;
    return n;
}

/* Code points CLD2's UTF-8 check rejects although they are valid UTF-8
 * (probed over all of Unicode with libcld2 0.0.197): C0 controls other than
 * TAB, LF, FF, CR; DEL and C1 controls; noncharacters. */
static int tm_cld2_rejects(utf8proc_int32_t c) {
    if (c < 0x20) return c != 0x09 && c != 0x0A && c != 0x0C && c != 0x0D;
    if (c >= 0x7F && c <= 0x9F) return 1;
    if (c >= 0xFDD0 && c <= 0xFDEF) return 1;
    return (c & 0xFFFE) == 0xFFFE;
}

/* Slow path for text CLD2 refuses (web text does carry NULs, controls and
 * broken sequences): identify a copy in which every invalid byte and every
 * rejected code point became spaces, so offsets and the rest of the text are
 * kept. The copy lives on the stack (n <= TM_LANGID_MAX_BYTES), which keeps
 * tm_langid() allocation-free; noinline keeps the 64 KiB frame off the
 * common path. */
static __attribute__((noinline)) int tm_langid_scrubbed(const char *text, size_t n,
                                                        tm_cld2_raw *raw) {
    char buf[TM_LANGID_MAX_BYTES];
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0) k = 1, c = -1;
        if (c < 0 || tm_cld2_rejects(c))
            memset(buf + i, ' ', (size_t)k);
        else
            memcpy(buf + i, text + i, (size_t)k);
        i += (size_t)k;
    }
    int rc = tmi_cld2_detect(buf, (int)n, raw);
    if (rc != 0) return rc;
    /* Should CLD2 still refuse something, use what it accepts. */
    if (raw->valid_prefix >= 0 && (size_t)raw->valid_prefix < n)
        return tmi_cld2_detect(buf, raw->valid_prefix, raw);
    return 0;
}

tm_error tm_langid(const char *text, size_t len, tm_lang_result *out) {
    if (!out) return TM_ERR_ARG;
    tm_lang_result_clear(out);
    if (!text && len) return TM_ERR_ARG;
    size_t n = tm_utf8_cut(text, len, TM_LANGID_MAX_BYTES);
    if (n == 0) return TM_OK;

    tm_cld2_raw raw;
    int rc = tmi_cld2_detect(text, (int)n, &raw);
    if (rc == 0 && raw.valid_prefix >= 0 && (size_t)raw.valid_prefix < n)
        rc = tm_langid_scrubbed(text, n, &raw);
    if (rc != 0) return rc == -2 ? TM_ERR_NOMEM : TM_ERR_INTERNAL;

    for (int i = 0; i < 3; i++) {
        tm_lang_code(raw.lang[i], 0, out->top[i].code);
        int p = raw.percent[i];
        out->top[i].share = strcmp(out->top[i].code, "und") == 0 || p <= 0 ? 0.0
                            : p >= 100                                     ? 1.0
                                                                           : p / 100.0;
    }
    out->reliable = raw.reliable;
    out->text_bytes = raw.text_bytes;
    /* code is CLD2's summary language (its return value), which is top[0]
     * except in CLD2's own tie-breaks; the score uses that language's share. */
    tm_lang_code(raw.summary, 1, out->code);
    if (strcmp(out->code, "und") != 0) {
        double share = 0.0;
        for (int i = 0; i < 3; i++)
            if (raw.lang[i] == raw.summary) share = out->top[i].share;
        out->score = share * (raw.reliable ? 1.0 : TM_LANGID_UNRELIABLE_WEIGHT);
    }
    return TM_OK;
}

tm_error tmi_langid_sampled(const char *text, size_t len, size_t budget, tm_lang_result *out) {
    if (budget > TM_LANGID_SAMPLE_MAX) budget = TM_LANGID_SAMPLE_MAX;
    if (budget == 0 || len <= budget || !text) return tm_langid(text, len, out);
    /* Slices of chunk bytes starting at 0, ..., len - chunk (evenly
     * spaced, so they never overlap), each cut back to character
     * boundaries: the beginning of a web page is often navigation, and a
     * spread sample agrees with the whole-text answer more often than a
     * prefix of the same size (docs/LANGID.md). */
    char buf[TM_LANGID_SAMPLE_MAX + TM_LANGID_SAMPLE_CHUNKS];
    const size_t k = TM_LANGID_SAMPLE_CHUNKS, chunk = budget / k;
    size_t o = 0;
    for (size_t c = 0; c < k; c++) {
        size_t a = (len - chunk) / (k - 1) * c;
        size_t b = tm_utf8_cut(text, len, a + chunk);
        a = tm_utf8_cut(text, len, a);
        if (o) buf[o++] = '\n';
        memcpy(buf + o, text + a, b - a);
        o += b - a;
    }
    return tm_langid(buf, o, out);
}

const char *tm_langid_version(void) {
    return tmi_cld2_version();
}
