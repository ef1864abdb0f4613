/*
 * parse.c — framed records to documents (the half of reading that runs on
 * worker threads; see io.h).
 *
 * JSONL lines go through the validating scanner of json_scan.c; text and
 * ids are decoded only when they contain escapes or invalid UTF-8, so a
 * clean line costs one scan plus one UTF-8 check of its text and the
 * document's text is a view into the line. WARC `conversion` records (WET)
 * give their body; `response` records and ARC HTTP captures (arc.c) give
 * their HTTP payload, de-chunked,
 * gunzipped when the server said so and the bytes agree, and decoded to
 * UTF-8 with glibc iconv from the charset named by the HTTP Content-Type,
 * else a byte order mark, else a <meta> tag in the first 4 KiB, else UTF-8.
 * Charset labels are mapped the way browsers (WHATWG Encoding) map them:
 * ISO-8859-1 and ASCII mean windows-1252, GB2312 and GBK mean GB18030,
 * Shift_JIS means windows-31j, EUC-KR means windows-949. Undecodable bytes
 * become U+FFFD, counted in doc->invalid_utf8.
 */
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

void tm_parse_scratch_free(tm_parse_scratch *sc) {
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

void tm_doc_from_raw(tm_doc *doc, const tm_raw *raw) {
    memset(doc, 0, sizeof *doc);
    doc->raw = (tm_str){raw->data, raw->len};
    doc->source = (tm_str){raw->source, raw->source ? strlen(raw->source) : 0};
    doc->line = raw->line;
    doc->offset = raw->offset;
    doc->index = raw->index;
    doc->format = raw->format;
    doc->text = doc->id = doc->priv.meta = doc->priv.tamis = doc->priv.id_key = (tm_str){"", 0};
}

/* s as valid UTF-8: a view of s itself when it already is, else repaired
 * into out. Adds the replacements to *count. */
static tm_error utf8_view(const char *s, size_t n, tm_buf *out, tm_str *view, size_t *count) {
    if (tm_utf8_valid_prefix(s, n) == n) {
        *view = (tm_str){s, n};
        return TM_OK;
    }
    size_t k = 0;
    tm_buf_reset(out);
    if (tm_utf8_repair(s, n, out, &k)) return TM_ERR_NOMEM;
    if (count) *count += k;
    *view = (tm_str){out->data, out->len};
    return TM_OK;
}

/* ---- JSONL ---- */

static const char *type_name(int t) {
    switch (t) {
    case TM_JSON_NUMBER: return "number";
    case TM_JSON_OBJECT: return "object";
    case TM_JSON_ARRAY: return "array";
    case TM_JSON_TRUE:
    case TM_JSON_FALSE: return "boolean";
    case TM_JSON_NULL: return "null";
    default: return "string";
    }
}

/* Decodes the JSON string value at raw[beg..end) (quotes included).
 * raw_ok: the whole line is known to be valid UTF-8. Then so is the decoded
 * value: a multi-byte sequence cannot straddle a backslash (ASCII), and
 * every escape decodes to a complete sequence (lone surrogates to U+FFFD),
 * so the UTF-8 check is skipped. */
static tm_error json_string_view(const char *raw, const tm_json_hit *h, int raw_ok, tm_buf *tmp,
                                 tm_buf *out, tm_str *view, size_t *count) {
    const char *body = raw + h->val_beg + 1;
    size_t n = h->val_end - h->val_beg - 2;
    if (!h->escaped) {
        if (raw_ok) {
            *view = (tm_str){body, n};
            return TM_OK;
        }
        return utf8_view(body, n, out, view, count);
    }
    tm_buf_reset(tmp);
    if (tm_json_unescape(body, n, tmp)) return TM_ERR_NOMEM;
    if (raw_ok) {
        *view = (tm_str){tmp->data, tmp->len};
        return TM_OK;
    }
    return utf8_view(tmp->data, tmp->len, out, view, count);
}

/* "missing text field "content" (fields: id, text, url)": the fields that
 * the record has are what a user needs to fix --text-field; names longer
 * than the room left are cut with "...". */
static void missing_field(const char *obj, size_t n, const char *tf, char *detail, size_t dsz) {
    int w = snprintf(detail, dsz, "missing text field \"%s\"", tf);
    if (w < 0 || (size_t)w >= dsz) return;
    size_t at = (size_t)w;
    tm_json_iter it;
    tm_json_member m;
    tm_json_iter_init(&it, obj, n);
    int k = 0;
    while (tm_json_iter_next(&it, &m)) {
        const char *key = obj + m.key_beg + 1;
        size_t kl = m.key_end - m.key_beg - 2;
        const char *sep = k++ ? ", " : " (fields: ";
        if (at + strlen(sep) + kl + 2 >= dsz) {
            if (at + 6 < dsz) at += (size_t)snprintf(detail + at, dsz - at, ", ...");
            break;
        }
        at += (size_t)snprintf(detail + at, dsz - at, "%s%.*s", sep, (int)kl, key);
    }
    if (k == 0 && at + 13 < dsz)
        snprintf(detail + at, dsz - at, " (no fields)");
    else if (at + 2 < dsz)
        snprintf(detail + at, dsz - at, ")");
}

static tm_error parse_jsonl(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc,
                            tm_parse_scratch *sc, char *detail, size_t dsz) {
    const char *tf = o && o->text_field && *o->text_field ? o->text_field : "text";
    const char *idf = o && o->id_field && *o->id_field ? o->id_field : "id";
    tm_json_path tp, ip, kp;
    tm_json_path_parse(&tp, tf);
    tm_json_path_parse(&ip, idf);
    tm_json_path_parse(&kp, "tamis");
    tm_json_scan scan;
    memset(&scan, 0, sizeof scan);
    scan.target[0] = &tp;
    scan.target[1] = &ip;
    scan.target[2] = &kp;
    scan.n_targets = 3;
    if (tm_json_scan_object(raw->data, raw->len, &scan)) {
        snprintf(detail, dsz, "%s at byte %zu", scan.err, scan.err_at);
        return TM_ERR_JSON;
    }
    const tm_json_hit *th = &scan.hit[0], *ih = &scan.hit[1], *kh = &scan.hit[2];
    if (kh->type != TM_JSON_NONE) {
        doc->priv.tamis_beg = kh->key_beg;
        doc->priv.tamis_end = kh->val_end;
        doc->priv.tamis = (tm_str){raw->data + kh->val_beg, kh->val_end - kh->val_beg};
    }
    if (tp.n == 0) {
        snprintf(detail, dsz, "invalid text field path \"%s\"", tf);
        return TM_ERR_ARG;
    }
    if (th->type == TM_JSON_NONE) {
        missing_field(raw->data + scan.obj_beg, scan.obj_end + 1 - scan.obj_beg, tf, detail, dsz);
        return TM_ERR_FIELD;
    }
    if (th->type != TM_JSON_STRING) {
        snprintf(detail, dsz, "text field \"%s\" is a %s, not a string", tf, type_name(th->type));
        return TM_ERR_FIELD;
    }
    doc->priv.text_beg = th->val_beg;
    doc->priv.text_end = th->val_end;
    doc->priv.text_top_level = tp.n == 1;
    /* One UTF-8 check of the whole line serves the text, the id and the
     * writer (tm_doc_to_jsonl copies a valid line without checking again). */
    int raw_ok = tm_utf8_valid_prefix(raw->data, raw->len) == raw->len;
    doc->priv.raw_utf8_ok = raw_ok;
    if (json_string_view(raw->data, th, raw_ok, &sc->tmp, &sc->text, &doc->text,
                         &doc->invalid_utf8))
        return TM_ERR_NOMEM;
    if (ih->type == TM_JSON_STRING) {
        if (json_string_view(raw->data, ih, raw_ok, &sc->tmp2, &sc->id, &doc->id, NULL))
            return TM_ERR_NOMEM;
        doc->has_id = 1;
    } else if (ih->type != TM_JSON_NONE) {
        /* a number, null, ... id: its JSON text is the id */
        doc->id = (tm_str){raw->data + ih->val_beg, ih->val_end - ih->val_beg};
        doc->has_id = 1;
    } else {
        tm_buf_reset(&sc->id);
        if (tm_buf_printf(&sc->id, "%s:%llu", raw->source, (unsigned long long)raw->line))
            return TM_ERR_NOMEM;
        tm_str v;
        if (utf8_view(sc->id.data, sc->id.len, &sc->tmp2, &v, NULL)) return TM_ERR_NOMEM;
        doc->id = v;
        if (ip.n == 1) doc->priv.id_key = (tm_str){ip.comp[0], ip.len[0]};
    }
    return TM_OK;
}

/* ---- metadata of non-JSON inputs ---- */

/* Appends "key":"s" to the metadata object m. Invalid UTF-8 (rare: file
 * names, header bytes) is repaired in a private buffer so that no scratch
 * buffer the text may point into is touched. */
static tm_error meta_str(tm_buf *m, const char *key, const char *s, size_t n) {
    if (tm_json_key(m, key, m->len > 1)) return TM_ERR_NOMEM;
    if (tm_utf8_valid_prefix(s, n) == n) return tm_json_str(m, s, n);
    tm_buf tmp = {0};
    tm_error e = tm_utf8_repair(s, n, &tmp, NULL);
    if (!e) e = tm_json_str(m, tmp.data, tmp.len);
    tm_buf_free(&tmp);
    return e;
}

static tm_error parse_text(const tm_raw *raw, tm_doc *doc, tm_parse_scratch *sc) {
    if (utf8_view(raw->data, raw->len, &sc->text, &doc->text, &doc->invalid_utf8))
        return TM_ERR_NOMEM;
    tm_buf *m = &sc->meta;
    tm_buf_reset(m);
    tm_buf_reset(&sc->id);
    if (raw->format == TM_FMT_LINES) {
        if (tm_buf_printf(&sc->id, "%s:%llu", raw->source, (unsigned long long)raw->line))
            return TM_ERR_NOMEM;
    } else if (tm_buf_puts(&sc->id, raw->source)) {
        return TM_ERR_NOMEM;
    }
    if (utf8_view(sc->id.data, sc->id.len, &sc->tmp2, &doc->id, NULL)) return TM_ERR_NOMEM;
    if (tm_buf_putc(m, '{') || meta_str(m, "source", raw->source, strlen(raw->source)))
        return TM_ERR_NOMEM;
    if (raw->format == TM_FMT_LINES && (tm_json_key(m, "line", 1) || tm_json_u64(m, raw->line)))
        return TM_ERR_NOMEM;
    if (tm_buf_putc(m, '}')) return TM_ERR_NOMEM;
    doc->priv.meta = (tm_str){m->data, m->len};
    return TM_OK;
}

/* ---- WARC ---- */

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
    tm_buf_reset(out);
    char *in = (char *)(uintptr_t)p;
    size_t inleft = n;
    while (inleft > 0) {
        if (tm_buf_reserve(out, inleft * 2 + 64)) return TM_ERR_NOMEM;
        char *o = out->data + out->len;
        size_t oleft = out->cap - out->len - 1;
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
        out->len = (size_t)(o - out->data);
        if (rc != (size_t)-1) break;
        if (errno == E2BIG) continue;
        /* EILSEQ or EINVAL (cut sequence at the end): one U+FFFD, skip a byte */
        if (tm_buf_append(out, "\xEF\xBF\xBD", 3)) return TM_ERR_NOMEM;
        (*count)++;
        in++;
        inleft--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    if (tm_buf_reserve(out, 0)) return TM_ERR_NOMEM;
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

tm_error tm_payload_decode(tm_parse_scratch *sc, tm_str ct, const char *pay, size_t plen,
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
            tm_buf_reset(&sc->text);
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
    return utf8_view(pay, plen, &sc->text, text, invalid);
}

static tm_error parse_warc(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc,
                           tm_parse_scratch *sc, char *detail, size_t dsz) {
    tm_warc_hdr h;
    int arc = raw->format == TM_FMT_ARC;
    if (tm_record_header(raw->format, raw->data, raw->len, &h, detail, dsz) != 1) {
        if (!detail[0])
            snprintf(detail, dsz, arc ? "incomplete ARC header" : "incomplete WARC header");
        return TM_ERR_WARC;
    }
    const char *body = raw->data + h.len;
    size_t blen = raw->len - h.len;
    tm_buf *m = &sc->meta;
    tm_buf_reset(m);
    tm_error e = TM_OK;
#define META(key, s, n)                                                                            \
    do {                                                                                           \
        if ((n) > 0 && (e = meta_str(m, key, s, n))) return e;                                     \
    } while (0)
    if (tm_buf_putc(m, '{')) return TM_ERR_NOMEM;
    META("source", raw->source, strlen(raw->source));
    META("url", h.uri.ptr, h.uri.len);
    if (arc) {
        /* the file is the source; the offset (in the decompressed stream)
         * finds the record in it */
        char iso[32];
        META("arc_date", iso, tm_arc_date_iso(h.date, iso, sizeof iso));
        if (tm_json_key(m, "arc_offset", 1) || tm_json_u64(m, raw->offset)) return TM_ERR_NOMEM;
    } else {
        META("warc_record_id", h.record_id.ptr, h.record_id.len);
        META("warc_date", h.date.ptr, h.date.len);
        META("warc_type", h.type.ptr, h.type.len);
    }
    if (h.record_id.len) {
        if (utf8_view(h.record_id.ptr, h.record_id.len, &sc->id, &doc->id, NULL))
            return TM_ERR_NOMEM;
        doc->has_id = 1;
    } else {
        tm_buf_reset(&sc->id);
        if (tm_buf_printf(&sc->id, "%s@%llu", raw->source, (unsigned long long)raw->offset))
            return TM_ERR_NOMEM;
        if (utf8_view(sc->id.data, sc->id.len, &sc->tmp2, &doc->id, NULL)) return TM_ERR_NOMEM;
    }
    if (h.type.len != 8 || strncasecmp(h.type.ptr, "response", 8) != 0) {
        /* conversion (WET) and anything else framing let through: the body
         * is the text */
        META("content_type", h.content_type.ptr, h.content_type.len);
        if (tm_buf_putc(m, '}')) return TM_ERR_NOMEM;
        doc->priv.meta = (tm_str){m->data, m->len};
        return utf8_view(body, blen, &sc->text, &doc->text, &doc->invalid_utf8);
    }
    int status;
    tm_str ct;
    size_t hl;
    tm_http_peek(body, blen, &status, &ct, &hl);
    const char *pay = body + hl;
    size_t plen = blen - hl;
    /* transfer coding, then content coding */
    if (tm_http_has_token(tm_http_header(body, hl, "Transfer-Encoding"), "chunked")) {
        if (tm_http_dechunk(pay, plen, &sc->tmp2)) return TM_ERR_NOMEM;
        pay = sc->tmp2.data ? sc->tmp2.data : "";
        plen = sc->tmp2.len;
    }
    tm_str ce = tm_http_header(body, hl, "Content-Encoding");
    if (ce.len && !tm_http_has_token(ce, "identity")) {
        int gz = plen >= 2 && (unsigned char)pay[0] == 0x1f && (unsigned char)pay[1] == 0x8b;
        int zl = plen >= 2 && ((unsigned char)pay[0] & 0x0f) == 8 &&
                 (((unsigned char)pay[0] << 8) | (unsigned char)pay[1]) % 31 == 0;
        if ((tm_http_has_token(ce, "gzip") || tm_http_has_token(ce, "deflate")) && (gz || zl)) {
            size_t cap = o && o->max_doc_bytes ? o->max_doc_bytes : (size_t)64 << 20;
            e = tm_http_inflate(pay, plen, cap, &sc->tmp);
            if (e == TM_ERR_NOMEM) return e;
            if (e == TM_ERR_TOO_BIG) {
                snprintf(detail, dsz, "decompressed payload exceeds max_doc_bytes");
                return e;
            }
            if (e == TM_ERR_CORRUPT) {
                snprintf(detail, dsz, "corrupt %.*s payload", (int)(ce.len > 20 ? 20 : ce.len),
                         ce.ptr);
                return e;
            }
            /* a truncated payload keeps what was inflated */
            pay = sc->tmp.data;
            plen = sc->tmp.len;
        } else if (!tm_http_has_token(ce, "gzip") && !tm_http_has_token(ce, "deflate")) {
            snprintf(detail, dsz, "unsupported Content-Encoding '%.*s'",
                     (int)(ce.len > 20 ? 20 : ce.len), ce.ptr);
            return TM_ERR_UNSUPPORTED;
        }
        /* else: labelled gzip but stored decoded (ClueWeb09): use as is */
    }
    char label[48] = "", declared[48] = "";
    if (tm_http_is_text(ct)) {
        e = tm_payload_decode(sc, ct, pay, plen, &doc->text, &doc->invalid_utf8, label,
                              sizeof label, declared, sizeof declared);
        if (e) return e;
    } else {
        doc->text = (tm_str){"", 0}; /* all_responses: a non-text payload, metadata only */
    }
    META("content_type", ct.ptr, ct.len);
    META("charset", label, strlen(label));
    if (strcmp(declared, label) != 0) META("charset_declared", declared, strlen(declared));
    if (status) {
        if (tm_json_key(m, "http_status", 1) || tm_json_u64(m, (uint64_t)status))
            return TM_ERR_NOMEM;
    }
    if (hl) {
        size_t k = hl;
        while (k && (body[k - 1] == '\n' || body[k - 1] == '\r')) k--;
        META("http_headers", body, k);
    }
#undef META
    if (tm_buf_putc(m, '}')) return TM_ERR_NOMEM;
    doc->priv.meta = (tm_str){m->data, m->len};
    return TM_OK;
}

tm_error tm_parse_raw(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc, tm_parse_scratch *sc,
                      char *detail, size_t detail_size) {
    tm_doc_from_raw(doc, raw);
    if (detail && detail_size) detail[0] = '\0';
    char dummy[8];
    if (!detail || !detail_size) {
        detail = dummy;
        detail_size = sizeof dummy;
    }
    if (raw->err) {
        snprintf(detail, detail_size, "%s", raw->detail);
        return (tm_error)raw->err;
    }
    switch (raw->format) {
    case TM_FMT_JSONL: return parse_jsonl(raw, o, doc, sc, detail, detail_size);
    case TM_FMT_WARC:
    case TM_FMT_ARC: return parse_warc(raw, o, doc, sc, detail, detail_size);
    case TM_FMT_TEXT:
    case TM_FMT_LINES: return parse_text(raw, doc, sc);
    default: snprintf(detail, detail_size, "unresolved format"); return TM_ERR_INTERNAL;
    }
}
