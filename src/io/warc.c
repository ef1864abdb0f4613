/*
 * warc.c — WARC record headers and the HTTP header block of responses.
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
 */
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

int tm_warc_parse_header(const char *p, size_t n, tm_warc_hdr *h, char *detail,
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

void tm_http_peek(const char *p, size_t n, int *status, tm_str *content_type, size_t *hdr_len) {
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

int tm_http_is_text(tm_str ct) {
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
tm_str tm_http_header(const char *p, size_t n, const char *name) {
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

int tm_http_has_token(tm_str v, const char *tok) {
    size_t k = strlen(tok);
    for (size_t i = 0; i + k <= v.len; i++)
        if (strncasecmp(v.ptr + i, tok, k) == 0) return 1;
    return 0;
}

/* Removes HTTP/1.1 chunked transfer coding; stops quietly at the first
 * malformed chunk size (crawlers store what they got). */
tm_error tm_http_dechunk(const char *p, size_t n, tm_buf *out) {
    tm_buf_reset(out);
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
        if (tm_buf_append(out, p + i, take)) return TM_ERR_NOMEM;
        i += take;
        if (i < n && p[i] == '\r') i++;
        if (i < n && p[i] == '\n') i++;
    }
    return TM_OK;
}

/* Inflates a gzip or zlib payload into out, at most cap bytes. */
tm_error tm_http_inflate(const char *p, size_t n, size_t cap, tm_buf *out) {
    tm_buf_reset(out);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK) return TM_ERR_NOMEM; /* auto gzip/zlib */
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    tm_error e = TM_OK;
    for (;;) {
        if (tm_buf_reserve(out, 64 * 1024)) {
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
