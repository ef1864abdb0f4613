/*
 * parse.c — what the formats' parse functions share (format.h): the parse
 * scratch, a document's provenance, UTF-8 views and metadata members, and
 * the decoding of HTTP payloads and HTML files to UTF-8.
 *
 * Payloads are decoded with glibc iconv from the charset named by the HTTP
 * Content-Type, else a byte order mark, else a <meta> tag in the first
 * 4 KiB, else UTF-8. Charset labels are mapped the way browsers (WHATWG
 * Encoding) map them: ISO-8859-1 and ASCII mean windows-1252, GB2312 and
 * GBK mean GB18030, Shift_JIS means windows-31j, EUC-KR means windows-949.
 * Undecodable bytes become U+FFFD, counted in doc->invalid_utf8. The parse
 * functions themselves are in their formats' files; tmi_parse_raw, which
 * picks one, is in formats.c.
 */
#include "io/format.h"
#include "io/io.h"
#include "util/buf.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <uchardet/uchardet.h>

#define META_SCAN   4096       /* bytes searched for <meta charset> */
#define DETECT_SCAN (64 << 10) /* bytes given to charset detection */

void tmi_parse_scratch_free(tm_parse_scratch *sc) {
    tm_buf_free(&sc->text);
    tm_buf_free(&sc->id);
    tm_buf_free(&sc->meta);
    tm_buf_free(&sc->tmp);
    tm_buf_free(&sc->tmp2);
    if (sc->conv) iconv_close((iconv_t)sc->conv);
    sc->conv = NULL;
    sc->conv_name[0] = '\0';
    if (sc->det) uchardet_delete((uchardet_t)sc->det);
    sc->det = NULL;
}

void tmi_doc_from_raw(tm_doc *doc, const tm_raw *raw, tm_parse_scratch *sc) {
    memset(doc, 0, sizeof *doc);
    memset(&sc->doc, 0, sizeof sc->doc);
    doc->priv = &sc->doc;
    doc->raw = (tm_str){raw->data, raw->len};
    doc->source = (tm_str){raw->source, raw->source ? strlen(raw->source) : 0};
    doc->line = raw->line;
    doc->offset = raw->offset;
    doc->index = raw->index;
    doc->format = raw->format;
    doc->text = doc->id = TM_DOCP(doc)->meta = TM_DOCP(doc)->tamis = TM_DOCP(doc)->id_key =
        (tm_str){"", 0};
}

/* s as valid UTF-8: a view of s itself when it already is, else repaired
 * into out. Adds the replacements to *count. */
tm_error tmi_utf8_view(const char *s, size_t n, tm_buf *out, tm_str *view, size_t *count) {
    if (tm_utf8_valid_prefix(s, n) == n) {
        *view = (tm_str){s, n};
        return TM_OK;
    }
    size_t k = 0;
    tmi_buf_reset(out);
    if (tm_utf8_repair(s, n, out, &k)) return TM_ERR_NOMEM;
    if (count) *count += k;
    *view = (tm_str){out->data, out->len};
    return TM_OK;
}

/* ---- metadata of non-JSON inputs ---- */

/* Appends "key":"s" to the metadata object m. Invalid UTF-8 (rare: file
 * names, header bytes) is repaired in a private buffer so that no scratch
 * buffer the text may point into is touched. */
tm_error tmi_meta_str(tm_buf *m, const char *key, const char *s, size_t n) {
    if (tmi_json_key(m, key, m->len > 1)) return TM_ERR_NOMEM;
    if (tm_utf8_valid_prefix(s, n) == n) return tmi_json_str(m, s, n);
    tm_buf tmp = {0};
    tm_error e = tm_utf8_repair(s, n, &tmp, NULL);
    TM_THEN(e, tmi_json_str(m, tmp.data, tmp.len));
    tm_buf_free(&tmp);
    return e;
}

/* ---- charsets (WARC and ARC payloads, HTML files of extract) ---- */

/* Copies a charset label (lowercased, quotes and spaces trimmed) into out. */
static void label_copy(const char *p, size_t n, char *out, size_t size) {
    while (n && (*p == ' ' || *p == '"' || *p == '\'')) p++, n--;
    size_t k = 0;
    while (
        k < n && k + 1 < size &&
        (isalnum((unsigned char)p[k]) || p[k] == '-' || p[k] == '_' || p[k] == '.' || p[k] == ':'))
        out[k] = (char)tolower((unsigned char)p[k]), k++;
    out[k] = '\0';
}

/* The charset parameter of a Content-Type value. */
static int charset_param(tm_str ct, char *out, size_t size) {
    for (size_t i = 0; i + 8 <= ct.len; i++) {
        if (strncasecmp(ct.ptr + i, "charset", 7) != 0) continue;
        size_t j = i + 7;
        while (j < ct.len && ct.ptr[j] == ' ') j++;
        if (j >= ct.len || ct.ptr[j] != '=') continue;
        label_copy(ct.ptr + j + 1, ct.len - j - 1, out, size);
        return out[0] != '\0';
    }
    return 0;
}

/* <meta charset="x"> or <meta http-equiv=... content="...; charset=x"> in
 * the first META_SCAN bytes, as the HTML prescan does (simplified). */
static int meta_charset(const char *p, size_t n, char *out, size_t size) {
    if (n > META_SCAN) n = META_SCAN;
    for (size_t i = 0; i + 5 < n; i++) {
        if (p[i] != '<' || strncasecmp(p + i + 1, "meta", 4) != 0) continue;
        const char *gt = memchr(p + i, '>', n - i);
        size_t end = gt ? (size_t)(gt - p) : n;
        if (charset_param((tm_str){p + i, end - i}, out, size)) return 1;
    }
    return 0;
}

/* WHATWG label → the iconv name we decode with (NULL = UTF-8). */
static const char *iconv_name(const char *label) {
    static const struct {
        const char *label, *name;
    } map[] = {
        {"utf-8", NULL},
        {"utf8", NULL},
        {"unicode-1-1-utf-8", NULL},
        {"us-ascii", "WINDOWS-1252"},
        {"ascii", "WINDOWS-1252"},
        {"iso-8859-1", "WINDOWS-1252"},
        {"iso8859-1", "WINDOWS-1252"},
        {"iso_8859-1", "WINDOWS-1252"},
        {"latin1", "WINDOWS-1252"},
        {"l1", "WINDOWS-1252"},
        {"cp1252", "WINDOWS-1252"},
        {"windows-1252", "WINDOWS-1252"},
        {"iso-8859-9", "WINDOWS-1254"},
        {"latin5", "WINDOWS-1254"},
        {"tis-620", "WINDOWS-874"},
        {"iso-8859-11", "WINDOWS-874"},
        {"gb2312", "GB18030"},
        {"gbk", "GB18030"},
        {"x-gbk", "GB18030"},
        {"cp936", "GB18030"},
        {"gb_2312-80", "GB18030"},
        {"shift_jis", "WINDOWS-31J"},
        {"shift-jis", "WINDOWS-31J"},
        {"sjis", "WINDOWS-31J"},
        {"x-sjis", "WINDOWS-31J"},
        {"ms_kanji", "WINDOWS-31J"},
        {"euc-kr", "CP949"},
        {"ks_c_5601-1987", "CP949"},
        {"big5", "BIG5-HKSCS"},
        {"x-euc-jp", "EUC-JP"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(label, map[i].label) == 0) return map[i].name;
    return label;
}

/* Decodes p from charset name into out as UTF-8, U+FFFD for every
 * undecodable byte. Returns TM_ERR_UNSUPPORTED when iconv does not know
 * the charset. */
static tm_error decode_charset(tm_parse_scratch *sc, const char *name, const char *p, size_t n,
                               tm_buf *out, size_t *count) {
    if (!sc->conv || strcmp(sc->conv_name, name) != 0) {
        if (sc->conv) iconv_close((iconv_t)sc->conv);
        sc->conv = NULL;
        iconv_t cd = iconv_open("UTF-8", name);
        if (cd == (iconv_t)-1) return TM_ERR_UNSUPPORTED;
        sc->conv = (void *)cd;
        snprintf(sc->conv_name, sizeof sc->conv_name, "%s", name);
    }
    iconv_t cd = (iconv_t)sc->conv;
    iconv(cd, NULL, NULL, NULL, NULL);
    tmi_buf_reset(out);
    char *in = (char *)(uintptr_t)p;
    size_t inleft = n;
    while (inleft > 0) {
        if (tmi_buf_reserve(out, inleft * 2 + 64)) return TM_ERR_NOMEM;
        char *o = out->data + out->len;
        size_t oleft = out->cap - out->len - 1;
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
        out->len = (size_t)(o - out->data);
        if (rc != (size_t)-1) break;
        if (errno == E2BIG) continue;
        /* EILSEQ or EINVAL (cut sequence at the end): one U+FFFD, skip a byte */
        if (tmi_buf_append(out, "\xEF\xBF\xBD", 3)) return TM_ERR_NOMEM;
        (*count)++;
        in++;
        inleft--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    if (tmi_buf_reserve(out, 0)) return TM_ERR_NOMEM;
    out->data[out->len] = '\0';
    return TM_OK;
}

/* uchardet's guess for p (lowercased into out), or 0 when it has none. */
static int detect_charset(tm_parse_scratch *sc, const char *p, size_t n, char *out, size_t size) {
    if (!sc->det && !(sc->det = uchardet_new())) return 0;
    uchardet_t ud = (uchardet_t)sc->det;
    uchardet_reset(ud);
    /* the start of a page carries its script; 64 KiB is plenty and bounds the cost */
    if (uchardet_handle_data(ud, p, n < DETECT_SCAN ? n : DETECT_SCAN) != 0) return 0;
    uchardet_data_end(ud);
    const char *cs = uchardet_get_charset(ud);
    if (!cs || !*cs) return 0;
    label_copy(cs, strlen(cs), out, size);
    return out[0] != '\0';
}

tm_error tmi_payload_decode(tm_parse_scratch *sc, tm_str ct, const char *pay, size_t plen,
                            tm_str *text, size_t *invalid, char *label, size_t lsz, char *declared,
                            size_t dsz) {
    label[0] = declared[0] = '\0';
    if (!charset_param(ct, declared, dsz)) {
        if (plen >= 3 && memcmp(pay, "\xEF\xBB\xBF", 3) == 0)
            snprintf(declared, dsz, "utf-8");
        else if (plen >= 2 && memcmp(pay, "\xFF\xFE", 2) == 0)
            snprintf(declared, dsz, "utf-16le");
        else if (plen >= 2 && memcmp(pay, "\xFE\xFF", 2) == 0)
            snprintf(declared, dsz, "utf-16be");
        else
            meta_charset(pay, plen, declared, dsz);
    }
    int utf8_ok = -1; /* unknown yet */
    snprintf(label, lsz, "%s", declared[0] ? declared : "utf-8");
    const char *name = iconv_name(label);
    /* A declaration other than UTF-8/16 over bytes that are valid UTF-8
     * with some multi-byte sequences is the commonest lie (pages re-saved
     * as UTF-8 keep their old <meta>): the page is UTF-8. In a real
     * one-byte or CJK text, every non-ASCII run forming valid UTF-8 is
     * improbable. */
    if (declared[0] && name && strncmp(name, "utf-16", 6) != 0) {
        size_t ascii = 0;
        while (ascii < plen && (unsigned char)pay[ascii] < 0x80) ascii++;
        if (ascii < plen && tm_utf8_valid_prefix(pay, plen) == plen) {
            utf8_ok = 1;
            name = NULL;
            snprintf(label, lsz, "utf-8");
        }
    }
    if (name) {
        size_t bad = 0;
        tm_error e = decode_charset(sc, name, pay, plen, &sc->text, &bad);
        if (e == TM_ERR_NOMEM) return e;
        if (e == TM_OK && bad * 200 <= plen) {
            *invalid += bad;
            *text = (tm_str){sc->text.data, sc->text.len};
            return TM_OK;
        }
        /* unknown to iconv, or it does not decode: detect */
    } else {
        if (utf8_ok < 0) utf8_ok = tm_utf8_valid_prefix(pay, plen) == plen;
        if (utf8_ok) {
            *text = (tm_str){pay, plen};
            return TM_OK;
        }
        if (declared[0]) {
            /* declared UTF-8 with a few bad bytes is UTF-8 */
            size_t bad = 0;
            tmi_buf_reset(&sc->text);
            if (tm_utf8_repair(pay, plen, &sc->text, &bad)) return TM_ERR_NOMEM;
            if (bad * 200 <= plen) {
                *invalid += bad;
                *text = (tm_str){sc->text.data, sc->text.len};
                return TM_OK;
            }
        }
    }
    char guess[48];
    if (detect_charset(sc, pay, plen, guess, sizeof guess)) {
        const char *gname = iconv_name(guess);
        if (gname) {
            size_t bad = 0;
            tm_error e = decode_charset(sc, gname, pay, plen, &sc->text, &bad);
            if (e == TM_ERR_NOMEM) return e;
            if (e == TM_OK) {
                *invalid += bad;
                snprintf(label, lsz, "%s", guess);
                *text = (tm_str){sc->text.data, sc->text.len};
                return TM_OK;
            }
        } else {
            snprintf(label, lsz, "utf-8");
        }
    }
    /* nothing better: UTF-8, repaired (pay may live in sc->tmp/tmp2) */
    if (name && strcmp(label, "utf-8") != 0) {
        /* the declared charset decodes, badly, and nothing was detected */
        size_t bad = 0;
        tm_error e = decode_charset(sc, name, pay, plen, &sc->text, &bad);
        if (e == TM_ERR_NOMEM) return e;
        if (e == TM_OK) {
            *invalid += bad;
            *text = (tm_str){sc->text.data, sc->text.len};
            return TM_OK;
        }
    }
    snprintf(label, lsz, "utf-8");
    return tmi_utf8_view(pay, plen, &sc->text, text, invalid);
}

tm_str tm_doc_meta(const tm_doc *doc) {
    return TM_DOCP(doc)->meta;
}

tm_str tm_doc_tamis(const tm_doc *doc) {
    return TM_DOCP(doc)->tamis;
}
