/*
 * arc.c — record headers of the Internet Archive's ARC format (versions 1
 * and 2), the format before WARC.
 *
 * An ARC file is a version block (a record whose URL is "filedesc://...")
 * followed by records, each a newline, one header line of fields separated
 * by spaces, then Archive-length bytes of what the server sent (for HTTP,
 * the whole response: status line, headers, payload). Version 1 has five
 * fields, `URL IP-address Archive-date Content-type Archive-length`;
 * version 2 has ten, `URL IP-address Archive-date Content-type Result-code
 * Checksum Location Offset Filename Archive-length`. ARC is framed and
 * parsed by the WARC code (warc.c, tmi_archive_frame and tmi_archive_parse)
 * through the description below: a header line is mapped onto a
 * tm_warc_hdr, with the type "response" for http and https URLs and the
 * URL's scheme ("filedesc", "dns", "ftp") for the rest, which the framer
 * skips.
 */
#include "io/format.h"
#include "io/io.h"
#include "util/buf.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ARC_MAX_FIELDS 64 /* a header line with more is not an ARC header */

static int all_digits(tm_str s) {
    if (!s.len) return 0;
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] < '0' || s.ptr[i] > '9') return 0;
    return 1;
}

int tmi_arc_parse_header(const char *p, size_t n, tm_warc_hdr *h, char *detail,
                         size_t detail_size) {
    memset(h, 0, sizeof *h);
    if (n > TM_WARC_MAX_HEADER) n = TM_WARC_MAX_HEADER;
    const char *nl = memchr(p, '\n', n);
    if (!nl) return 0;
    size_t len = (size_t)(nl - p);
    if (len && p[len - 1] == '\r') len--;
    tm_str f[ARC_MAX_FIELDS];
    size_t nf = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && p[i] == ' ') i++;
        if (i == len) break;
        size_t b = i;
        while (i < len && p[i] != ' ') i++;
        if (nf == ARC_MAX_FIELDS) {
            snprintf(detail, detail_size, "ARC header line has more than %d fields",
                     ARC_MAX_FIELDS);
            return -1;
        }
        f[nf++] = (tm_str){p + b, i - b};
    }
    if (nf < 5) {
        snprintf(detail, detail_size,
                 "ARC header line has %zu fields, expected 5 (version 1) or 10 (version 2)", nf);
        return -1;
    }
    /* Version 2 has ten fields; a version 1 URL may hold spaces (early
     * crawls did not escape them): it is everything before the last four. */
    size_t u = nf == 10 ? 0 : nf - 5;
    tm_str url = {f[0].ptr, (size_t)(f[u].ptr + f[u].len - f[0].ptr)};
    tm_str len_f = f[nf - 1];
    size_t scheme = 0;
    while (scheme < url.len && scheme < 32 && url.ptr[scheme] != ':') scheme++;
    if (scheme == 0 || scheme >= url.len || url.ptr[scheme] != ':') {
        snprintf(detail, detail_size, "ARC header line does not start with a URL");
        return -1;
    }
    if (!all_digits(len_f) || len_f.len > 18) {
        snprintf(detail, detail_size, "invalid ARC Archive-length '%.*s'",
                 (int)(len_f.len > 40 ? 40 : len_f.len), len_f.ptr);
        return -1;
    }
    if (!all_digits(f[u + 2])) {
        snprintf(detail, detail_size, "invalid ARC Archive-date '%.*s'",
                 (int)(f[u + 2].len > 40 ? 40 : f[u + 2].len), f[u + 2].ptr);
        return -1;
    }
    for (size_t j = 0; j < len_f.len; j++)
        h->content_length = h->content_length * 10 + (uint64_t)(len_f.ptr[j] - '0');
    h->has_length = 1;
    h->uri = url;
    h->date = f[u + 2];
    h->content_type = f[u + 3];
    h->version = (tm_str){nf == 10 ? "ARC/2" : "ARC/1", 5};
    if ((scheme == 4 && strncasecmp(url.ptr, "http", 4) == 0) ||
        (scheme == 5 && strncasecmp(url.ptr, "https", 5) == 0))
        h->type = (tm_str){"response", 8};
    else
        h->type = (tm_str){url.ptr, scheme};
    h->len = (size_t)(nl - p) + 1;
    return 1;
}

int tmi_record_header(tm_format f, const char *p, size_t n, tm_warc_hdr *h, char *detail,
                      size_t detail_size) {
    return f == TM_FMT_ARC ? tmi_arc_parse_header(p, n, h, detail, detail_size)
                           : tmi_warc_parse_header(p, n, h, detail, detail_size);
}

size_t tmi_arc_date_iso(tm_str d, char *out, size_t size) {
    if (d.len >= 14 && all_digits((tm_str){d.ptr, 14})) {
        const char *s = d.ptr;
        return (size_t)snprintf(out, size, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", s, s + 4, s + 6, s + 8,
                                s + 10, s + 12);
    }
    /* a shorter date (some early records): as written */
    return (size_t)snprintf(out, size, "%.*s", (int)(d.len < 31 ? d.len : 31), d.ptr);
}

/* ---- the ARC format ---- */

/* Members of an ARC record's metadata after "source" and "url": the file is
 * the source; the offset (in the decompressed stream) finds the record in
 * it. */
static tm_error arc_meta(tm_buf *m, const tm_warc_hdr *h, const tm_raw *raw) {
    char iso[32];
    size_t n = tmi_arc_date_iso(h->date, iso, sizeof iso);
    tm_error e = n > 0 ? tmi_meta_str(m, "arc_date", iso, n) : TM_OK;
    if (!e && (tmi_json_key(m, "arc_offset", 1) || tmi_json_u64(m, raw->offset))) e = TM_ERR_NOMEM;
    return e;
}

static const tm_archive arc = {
    .kind = "ARC",
    .resync = "\nhttp",
    .header = tmi_arc_parse_header,
    .http_by_url = 1,
    .hdr_too_big = "ARC header line exceeds 64 KiB",
    .ends_in_header = "input ends inside an ARC header line",
    .ends_in_body = "input ends inside an ARC record body",
    .incomplete = "incomplete ARC header",
    .meta = arc_meta,
};

/* An ARC file opens with its version block. */
static int arc_sniff(const char *p, size_t n) {
    return n >= 11 && memcmp(p, "filedesc://", 11) == 0;
}

static tm_error arc_frame(tm_frame *fr, tm_raw *raw) {
    return tmi_archive_frame(fr, raw, &arc);
}

static tm_error arc_parse(const tm_raw *raw, const tm_reader_opts *o, tm_doc *doc,
                          tm_parse_scratch *sc, char *detail, size_t dsz) {
    return tmi_archive_parse(raw, o, doc, sc, detail, dsz, &arc);
}

const tm_format_ops tmi_format_arc = {
    .id = TM_FMT_ARC,
    .name = "arc",
    .flags = TM_FORMAT_ARCHIVE,
    .sniff = arc_sniff,
    .frame = arc_frame,
    .parse = arc_parse,
};
