/*
 * warc.c — the WARC format (format.h): record headers, the HTTP header block
 * of responses, and the framer and parser that WARC and ARC (arc.c) share.
 *
 * Both are "name: value" lines ended by an empty line. The parsers accept
 * CRLF or bare LF line ends, any "WARC/<digit>..." version line (1.0, 1.1,
 * and the 0.18 of ClueWeb09, whose HTTP headers also end in bare LF), and
 * ignore lines that are not fields instead of failing on them: only what
 * framing needs (the version line and a numeric Content-Length) is
 * mandatory. Every scan is bounded by TM_WARC_MAX_HEADER bytes and
 * TM_WARC_MAX_LINES lines, so hostile input cannot make a header costly.
 * The HTTP helpers (header values, chunked transfer coding, gzip/deflate
 * content coding) serve WARC and ARC responses alike.
 *
 * Framing cuts a record by its Content-Length and skips, unbuffered, the
 * records that are no documents: WARC requests, metadata, and responses
 * whose HTTP payload is not text. A malformed record is rejected up to the
 * next line that opens a record, and reading resumes there. Parsing gives a
 * conversion record's (WET) body, or a response's HTTP payload, de-chunked,
 * gunzipped when the server said so and the bytes agree, and decoded to
 * UTF-8 (tmi_payload_decode, parse.c). The two archive formats differ only
 * in what a tm_archive describes: their header parser, how a response is
 * known to be HTTP, their metadata members and the words of their reasons.
 */
#include "io/format.h"
#include "io/io.h"
#include "util/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

static tm_str trim(const char *p, size_t n) {
    while (n && (*p == ' ' || *p == '\t')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r')) n--;
    return (tm_str){p, n};
}

static int name_is(const char *p, size_t n, const char *name) {
    size_t k = strlen(name);
    return n == k && strncasecmp(p, name, k) == 0;
}

int tmi_warc_parse_header(const char *p, size_t n, tm_warc_hdr *h, char *detail,
                          size_t detail_size) {
    memset(h, 0, sizeof *h);
    size_t k = n < 5 ? n : 5;
    if (memcmp(p, "WARC/", k) != 0 || (n > 5 && (p[5] < '0' || p[5] > '9'))) {
        snprintf(detail, detail_size, "expected a 'WARC/' version line");
        return -1;
    }
    size_t lines = 0, i = 0;
    for (;;) {
        const char *nl = memchr(p + i, '\n', n - i);
        if (!nl) return 0;
        size_t beg = i, end = (size_t)(nl - p);
        size_t len = end - beg;
        if (len && p[end - 1] == '\r') len--;
        i = end + 1;
        if (++lines > TM_WARC_MAX_LINES) {
            snprintf(detail, detail_size, "WARC header has more than %d lines", TM_WARC_MAX_LINES);
            return -1;
        }
        if (lines == 1) {
            h->version = trim(p + beg, len);
            continue;
        }
        if (len == 0) break; /* the blank line ends the block */
        const char *line = p + beg;
        if (*line == ' ' || *line == '\t') continue; /* folded continuation */
        const char *colon = memchr(line, ':', len);
        if (!colon) continue;
        size_t nlen = (size_t)(colon - line);
        tm_str v = trim(colon + 1, len - nlen - 1);
        tm_str nm = trim(line, nlen);
        if (name_is(nm.ptr, nm.len, "Content-Length")) {
            uint64_t cl = 0;
            size_t j = 0;
            for (; j < v.len && v.ptr[j] >= '0' && v.ptr[j] <= '9' && j < 19; j++)
                cl = cl * 10 + (uint64_t)(v.ptr[j] - '0');
            if (j == 0 || j != v.len) {
                snprintf(detail, detail_size, "invalid Content-Length '%.*s'",
                         (int)(v.len > 40 ? 40 : v.len), v.ptr);
                return -1;
            }
            h->content_length = cl;
            h->has_length = 1;
        } else if (name_is(nm.ptr, nm.len, "WARC-Type")) {
            h->type = v;
        } else if (name_is(nm.ptr, nm.len, "WARC-Target-URI")) {
            /* WARC 1.0 writers (wget) wrap the URI in angle brackets */
            if (v.len >= 2 && v.ptr[0] == '<' && v.ptr[v.len - 1] == '>') {
                v.ptr++;
                v.len -= 2;
            }
            h->uri = v;
        } else if (name_is(nm.ptr, nm.len, "WARC-Record-ID")) {
            h->record_id = v;
        } else if (name_is(nm.ptr, nm.len, "WARC-Date")) {
            h->date = v;
        } else if (name_is(nm.ptr, nm.len, "Content-Type")) {
            h->content_type = v;
        }
    }
    if (!h->has_length) {
        snprintf(detail, detail_size, "WARC header without Content-Length");
        return -1;
    }
    h->len = i;
    return 1;
}

void tmi_http_peek(const char *p, size_t n, int *status, tm_str *content_type, size_t *hdr_len) {
    *status = 0;
    *content_type = (tm_str){"", 0};
    *hdr_len = 0;
    if (n > TM_WARC_MAX_HEADER) n = TM_WARC_MAX_HEADER;
    if (n < 5 || memcmp(p, "HTTP/", 5) != 0) return;
    size_t i = 0, lines = 0;
    for (;;) {
        const char *nl = memchr(p + i, '\n', n - i);
        if (!nl) return; /* no end of headers within the bound */
        size_t beg = i, end = (size_t)(nl - p);
        size_t len = end - beg;
        if (len && p[end - 1] == '\r') len--;
        i = end + 1;
        if (++lines > TM_WARC_MAX_LINES) return;
        const char *line = p + beg;
        if (lines == 1) {
            /* "HTTP/1.1 200 OK" */
            const char *sp = memchr(line, ' ', len);
            if (sp) {
                int st = 0, digits = 0;
                for (const char *q = sp + 1; q < line + len && *q >= '0' && *q <= '9' && digits < 3;
                     q++, digits++)
                    st = st * 10 + (*q - '0');
                if (digits == 3) *status = st;
            }
            continue;
        }
        if (len == 0) break;
        const char *colon = memchr(line, ':', len);
        if (colon && name_is(line, (size_t)(colon - line), "Content-Type"))
            *content_type = trim(colon + 1, len - (size_t)(colon - line) - 1);
    }
    *hdr_len = i;
}

int tmi_http_is_text(tm_str ct) {
    if (ct.len == 0) return 1; /* unknown: give it a chance */
    size_t n = 0;
    while (n < ct.len && ct.ptr[n] != ';' && ct.ptr[n] != ' ') n++;
    static const char *const ok[] = {"text/html", "text/plain", "application/xhtml+xml", "text/xml",
                                     "application/xml"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (name_is(ct.ptr, n, ok[i])) return 1;
    return 0;
}

/* Value of header `name` in an HTTP header block, or empty. */
tm_str tmi_http_header(const char *p, size_t n, const char *name) {
    size_t k = strlen(name), i = 0;
    while (i < n) {
        const char *nl = memchr(p + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - p) : n;
        const char *line = p + i;
        size_t len = end - i;
        if (len > k && line[k] == ':' && strncasecmp(line, name, k) == 0) {
            const char *v = line + k + 1;
            size_t vn = len - k - 1;
            while (vn && (*v == ' ' || *v == '\t')) v++, vn--;
            while (vn && (v[vn - 1] == '\r' || v[vn - 1] == ' ' || v[vn - 1] == '\t')) vn--;
            return (tm_str){v, vn};
        }
        i = end + 1;
    }
    return (tm_str){"", 0};
}

int tmi_http_has_token(tm_str v, const char *tok) {
    size_t k = strlen(tok);
    for (size_t i = 0; i + k <= v.len; i++)
        if (strncasecmp(v.ptr + i, tok, k) == 0) return 1;
    return 0;
}

/* Removes HTTP/1.1 chunked transfer coding; stops quietly at the first
 * malformed chunk size (crawlers store what they got). */
tm_error tmi_http_dechunk(const char *p, size_t n, tm_buf *out) {
    tmi_buf_reset(out);
    size_t i = 0;
    while (i < n) {
        uint64_t size = 0;
        int digits = 0;
        while (i < n && isxdigit((unsigned char)p[i]) && digits < 16) {
            int c = (unsigned char)p[i];
            size = size * 16 + (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
            i++, digits++;
        }
        if (!digits) break;
        const char *nl = memchr(p + i, '\n', n - i); /* chunk extensions */
        if (!nl) break;
        i = (size_t)(nl - p) + 1;
        if (size == 0) break;
        size_t take = size < n - i ? (size_t)size : n - i;
        if (tmi_buf_append(out, p + i, take)) return TM_ERR_NOMEM;
        i += take;
        if (i < n && p[i] == '\r') i++;
        if (i < n && p[i] == '\n') i++;
    }
    return TM_OK;
}

/* Inflates a gzip or zlib payload into out, at most cap bytes. */
tm_error tmi_http_inflate(const char *p, size_t n, size_t cap, tm_buf *out) {
    tmi_buf_reset(out);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK) return TM_ERR_NOMEM; /* auto gzip/zlib */
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    tm_error e = TM_OK;
    for (;;) {
        if (tmi_buf_reserve(out, 64 * 1024)) {
            e = TM_ERR_NOMEM;
            break;
        }
        z.next_out = (Bytef *)out->data + out->len;
        z.avail_out = (uInt)(out->cap - out->len - 1);
        uInt before = z.avail_out;
        int rc = inflate(&z, Z_NO_FLUSH);
        out->len += before - z.avail_out;
        if (out->len > cap) {
            e = TM_ERR_TOO_BIG;
            break;
        }
        if (rc == Z_STREAM_END) break;
        if (rc == Z_BUF_ERROR && z.avail_in == 0) {
            e = TM_ERR_TRUNCATED;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            e = TM_ERR_CORRUPT;
            break;
        }
    }
    inflateEnd(&z);
    out->data[out->len] = '\0';
    return e;
}

/* ---- framing (WARC and ARC) ---- */

#define PEEK_HTTP 8192 /* payload bytes examined to skip non-text */

static int ieq(tm_str s, const char *lit) {
    size_t n = strlen(lit);
    return s.len == n && strncasecmp(s.ptr, lit, n) == 0;
}

static int iprefix(tm_str s, const char *lit) {
    size_t n = strlen(lit);
    return s.len >= n && strncasecmp(s.ptr, lit, n) == 0;
}

/* A malformed record at pos: report the bytes up to the next line that
 * starts with a->resync ("WARC/"; ARC: "http", the start of an HTTP
 * capture's header line; other records in the stretch go with it) (kept up
 * to 64 KiB) and resume there. */
static tm_error resync(tm_frame *fr, tm_raw *raw, const tm_archive *a, const char *why) {
    uint64_t offset = fr->base + fr->pos;
    tmi_buf_reset(&fr->junk);
    size_t from = fr->pos + 1;
    const char *pat = a->resync;
    size_t plen = strlen(pat);
    for (;;) {
        const char *hit = from < fr->end ? memmem(fr->buf + from, fr->end - from, pat, plen) : NULL;
        if (hit) {
            size_t stop = (size_t)(hit - fr->buf) + 1;
            if (tmi_frame_junk_put(fr, fr->buf + fr->pos, stop - fr->pos)) return TM_ERR_NOMEM;
            fr->pos = stop;
            break;
        }
        /* keep a possible partial match at the end */
        size_t keep = fr->end - fr->pos > plen - 1 ? plen - 1 : fr->end - fr->pos;
        if (tmi_frame_junk_put(fr, fr->buf + fr->pos, fr->end - fr->pos - keep))
            return TM_ERR_NOMEM;
        fr->pos = fr->end - keep;
        long k = tmi_frame_more(fr);
        from = fr->pos;
        if (k <= 0) {
            if (tmi_frame_junk_put(fr, fr->buf + fr->pos, fr->end - fr->pos)) return TM_ERR_NOMEM;
            fr->pos = fr->end;
            break;
        }
    }
    tmi_frame_raw_at(fr, raw, fr->junk.data ? fr->junk.data : "", fr->junk.len, offset, 0);
    tmi_raw_set_err(raw, TM_ERR_WARC, why);
    return TM_OK;
}

/* Whether the record whose header h is at pos is a document: a conversion
 * (WET), or a response over HTTP whose payload is text (all_responses:
 * any). */
static int is_document(tm_frame *fr, const tm_archive *a, const tm_warc_hdr *h) {
    uint64_t cl = h->content_length;
    if (ieq(h->type, "conversion")) return 1;
    if (!ieq(h->type, "response")) return 0;
    /* an ARC content type is the payload's: the URL's scheme said HTTP */
    if (!a->http_by_url && !iprefix(h->content_type, "application/http")) return 0;
    size_t want = h->len + (cl < PEEK_HTTP ? (size_t)cl : PEEK_HTTP);
    while (fr->end - fr->pos < want) {
        long k = tmi_frame_more(fr);
        if (k <= 0) break;
    }
    if (fr->end - fr->pos >= h->len) {
        size_t avail = fr->end - fr->pos - h->len;
        if (avail > cl) avail = (size_t)cl;
        int status;
        tm_str ct;
        size_t hl;
        tmi_http_peek(fr->buf + fr->pos + h->len, avail, &status, &ct, &hl);
        if (hl && !tmi_http_is_text(ct) && !fr->opts->all_responses) return 0;
    }
    return 1;
}

/* Skips a record that is no document without buffering its body; keeps the
 * header in case the input ends inside the body. 1 when skipped, 0 with raw
 * set when the input ended, < 0 on error. */
static int skip_record(tm_frame *fr, tm_raw *raw, const tm_archive *a, const tm_warc_hdr *h) {
    tmi_buf_reset(&fr->junk);
    if (tmi_frame_junk_put(fr, fr->buf + fr->pos, h->len)) return TM_ERR_NOMEM;
    uint64_t offset = fr->base + fr->pos;
    fr->pos += h->len;
    uint64_t left = h->content_length;
    while (left > 0) {
        size_t avail = fr->end - fr->pos;
        size_t take = left < avail ? (size_t)left : avail;
        fr->pos += take;
        left -= take;
        if (!left) break;
        long k = tmi_frame_more(fr);
        if (k <= 0) {
            fr->done = 1;
            tmi_frame_raw_at(fr, raw, fr->junk.data, fr->junk.len, offset, 0);
            if (k == 0)
                tmi_raw_set_err(raw, TM_ERR_TRUNCATED, a->ends_in_body);
            else
                tmi_raw_set_err(raw, (int)k, tm_strerror((int)k));
            return 0;
        }
    }
    fr->skipped++;
    return 1;
}

tm_error tmi_archive_frame(tm_frame *fr, tm_raw *raw, const tm_archive *a) {
    for (;;) {
        /* the separator: any run of CR and LF between records */
        for (;;) {
            while (fr->pos < fr->end && (fr->buf[fr->pos] == '\r' || fr->buf[fr->pos] == '\n'))
                fr->pos++;
            if (fr->pos < fr->end) break;
            long k = tmi_frame_more(fr);
            if (k == 0) {
                fr->done = 1;
                return TM_EOF;
            }
            if (k < 0) return tmi_frame_stream_error(fr, raw, fr->pos, 0);
        }
        tm_warc_hdr h;
        for (;;) {
            int rc =
                a->header(fr->buf + fr->pos, fr->end - fr->pos, &h, fr->detail, sizeof fr->detail);
            if (rc > 0) break;
            if (rc < 0) return resync(fr, raw, a, fr->detail);
            if (fr->end - fr->pos >= TM_WARC_MAX_HEADER) return resync(fr, raw, a, a->hdr_too_big);
            long k = tmi_frame_more(fr);
            if (k < 0) return tmi_frame_stream_error(fr, raw, fr->pos, 0);
            if (k == 0) {
                tmi_frame_raw(fr, raw, fr->pos, fr->end - fr->pos, 0);
                tmi_raw_set_err(raw, TM_ERR_TRUNCATED, a->ends_in_header);
                fr->pos = fr->end;
                fr->done = 1;
                return TM_OK;
            }
        }
        uint64_t cl = h.content_length;
        if (!is_document(fr, a, &h)) {
            int rc = skip_record(fr, raw, a, &h);
            if (rc < 0) return (tm_error)rc;
            if (rc == 0) return TM_OK;
            continue;
        }
        if (cl > fr->opts->max_doc_bytes || h.len + cl > fr->opts->max_doc_bytes)
            return tmi_frame_spill(fr, raw, TM_SPILL_COUNT, h.len + cl, 0);
        size_t total = h.len + (size_t)cl;
        while (fr->end - fr->pos < total) {
            long k = tmi_frame_more(fr);
            if (k < 0) return tmi_frame_stream_error(fr, raw, fr->pos, 0);
            if (k == 0) {
                tmi_frame_raw(fr, raw, fr->pos, fr->end - fr->pos, 0);
                snprintf(raw->detail, sizeof raw->detail,
                         "input ends after %zu of %llu %s body bytes", fr->end - fr->pos - h.len,
                         (unsigned long long)cl, a->kind);
                raw->err = TM_ERR_TRUNCATED;
                fr->pos = fr->end;
                fr->done = 1;
                return TM_OK;
            }
        }
        tmi_frame_raw(fr, raw, fr->pos, total, 0);
        fr->pos += total;
        return TM_OK;
    }
}

/* ---- parsing (WARC and ARC) ---- */

tm_error tmi_archive_parse(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc,
                           tm_parse_scratch *sc, char *detail, size_t dsz, const tm_archive *a) {
    tm_warc_hdr h;
    if (a->header(raw->data, raw->len, &h, detail, dsz) != 1) {
        if (!detail[0]) snprintf(detail, dsz, "%s", a->incomplete);
        return TM_ERR_WARC;
    }
    const char *body = raw->data + h.len;
    size_t blen = raw->len - h.len;
    tm_buf *m = &sc->meta;
    tmi_buf_reset(m);
    tm_error e = TM_OK;
#define META(key, s, n)                                                                            \
    do {                                                                                           \
        if ((n) > 0 && (e = tmi_meta_str(m, key, s, n))) return e;                                 \
    } while (0)
    if (tmi_buf_putc(m, '{')) return TM_ERR_NOMEM;
    META("source", raw->source, strlen(raw->source));
    META("url", h.uri.ptr, h.uri.len);
    if ((e = a->meta(m, &h, raw))) return e;
    if (h.record_id.len) {
        if (tmi_utf8_view(h.record_id.ptr, h.record_id.len, &sc->id, &doc->id, NULL))
            return TM_ERR_NOMEM;
        doc->has_id = 1;
    } else {
        tmi_buf_reset(&sc->id);
        if (tmi_buf_printf(&sc->id, "%s@%llu", raw->source, (unsigned long long)raw->offset))
            return TM_ERR_NOMEM;
        if (tmi_utf8_view(sc->id.data, sc->id.len, &sc->tmp2, &doc->id, NULL)) return TM_ERR_NOMEM;
    }
    if (h.type.len != 8 || strncasecmp(h.type.ptr, "response", 8) != 0) {
        /* conversion (WET) and anything else framing let through: the body
         * is the text */
        META("content_type", h.content_type.ptr, h.content_type.len);
        if (tmi_buf_putc(m, '}')) return TM_ERR_NOMEM;
        TM_DOCP(doc)->meta = (tm_str){m->data, m->len};
        return tmi_utf8_view(body, blen, &sc->text, &doc->text, &doc->invalid_utf8);
    }
    int status;
    tm_str ct;
    size_t hl;
    tmi_http_peek(body, blen, &status, &ct, &hl);
    const char *pay = body + hl;
    size_t plen = blen - hl;
    /* transfer coding, then content coding */
    if (tmi_http_has_token(tmi_http_header(body, hl, "Transfer-Encoding"), "chunked")) {
        if (tmi_http_dechunk(pay, plen, &sc->tmp2)) return TM_ERR_NOMEM;
        pay = sc->tmp2.data ? sc->tmp2.data : "";
        plen = sc->tmp2.len;
    }
    tm_str ce = tmi_http_header(body, hl, "Content-Encoding");
    if (ce.len && !tmi_http_has_token(ce, "identity")) {
        int gz = plen >= 2 && (unsigned char)pay[0] == 0x1f && (unsigned char)pay[1] == 0x8b;
        int zl = plen >= 2 && ((unsigned char)pay[0] & 0x0f) == 8 &&
                 (((unsigned char)pay[0] << 8) | (unsigned char)pay[1]) % 31 == 0;
        if ((tmi_http_has_token(ce, "gzip") || tmi_http_has_token(ce, "deflate")) && (gz || zl)) {
            size_t cap = o && o->max_doc_bytes ? o->max_doc_bytes : (size_t)64 << 20;
            e = tmi_http_inflate(pay, plen, cap, &sc->tmp);
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
        } else if (!tmi_http_has_token(ce, "gzip") && !tmi_http_has_token(ce, "deflate")) {
            snprintf(detail, dsz, "unsupported Content-Encoding '%.*s'",
                     (int)(ce.len > 20 ? 20 : ce.len), ce.ptr);
            return TM_ERR_UNSUPPORTED;
        }
        /* else: labelled gzip but stored decoded (ClueWeb09): use as is */
    }
    char label[48] = "", declared[48] = "";
    if (tmi_http_is_text(ct)) {
        e = tmi_payload_decode(sc, ct, pay, plen, &doc->text, &doc->invalid_utf8, label,
                               sizeof label, declared, sizeof declared);
        if (e) return e;
    } else {
        doc->text = (tm_str){"", 0}; /* all_responses: a non-text payload, metadata only */
    }
    META("content_type", ct.ptr, ct.len);
    META("charset", label, strlen(label));
    if (strcmp(declared, label) != 0) META("charset_declared", declared, strlen(declared));
    if (status) {
        if (tmi_json_key(m, "http_status", 1) || tmi_json_u64(m, (uint64_t)status))
            return TM_ERR_NOMEM;
    }
    if (hl) {
        size_t k = hl;
        while (k && (body[k - 1] == '\n' || body[k - 1] == '\r')) k--;
        META("http_headers", body, k);
    }
#undef META
    if (tmi_buf_putc(m, '}')) return TM_ERR_NOMEM;
    TM_DOCP(doc)->meta = (tm_str){m->data, m->len};
    return TM_OK;
}

/* ---- the WARC format ---- */

/* Members of a WARC record's metadata after "source" and "url". */
static tm_error warc_meta(tm_buf *m, const tm_warc_hdr *h, const tm_raw *raw) {
    (void)raw;
    tm_error e = TM_OK;
    if (h->record_id.len) e = tmi_meta_str(m, "warc_record_id", h->record_id.ptr, h->record_id.len);
    if (!e && h->date.len) e = tmi_meta_str(m, "warc_date", h->date.ptr, h->date.len);
    if (!e && h->type.len) e = tmi_meta_str(m, "warc_type", h->type.ptr, h->type.len);
    return e;
}

static const tm_archive warc = {
    .kind = "WARC",
    .resync = "\nWARC/",
    .header = tmi_warc_parse_header,
    .hdr_too_big = "WARC header block exceeds 64 KiB",
    .ends_in_header = "input ends inside a WARC header",
    .ends_in_body = "input ends inside a WARC record body",
    .incomplete = "incomplete WARC header",
    .meta = warc_meta,
};

static int warc_sniff(const char *p, size_t n) {
    return n >= 5 && memcmp(p, "WARC/", 5) == 0;
}

static tm_error warc_frame(tm_frame *fr, tm_raw *raw) {
    return tmi_archive_frame(fr, raw, &warc);
}

static tm_error warc_parse(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc,
                           tm_parse_scratch *sc, char *detail, size_t dsz) {
    return tmi_archive_parse(raw, o, doc, sc, detail, dsz, &warc);
}

const tm_format_ops tmi_format_warc = {
    .id = TM_FMT_WARC,
    .name = "warc",
    .flags = TM_FORMAT_ARCHIVE,
    .sniff = warc_sniff,
    .frame = warc_frame,
    .parse = warc_parse,
};
