/*
 * job_extract.c — `tamis extract`: every record to one document with the
 * page's main text, or to the removed output with the reason.
 *
 * The job sits in jobs/ because it joins two layers: io/ frames WARC
 * records and decodes HTTP payloads (chunks, gzip, charset) and here decodes
 * HTML files from their raw bytes (tmi_payload_decode: BOM, <meta>, uchardet);
 * extract/ works on one UTF-8 page in memory. WARC responses are read with
 * all_responses set, so that images, PDFs and the like arrive here (with
 * empty text) and are removed as not_html instead of vanishing in framing.
 * WET conversion records are already text and pass through unchanged.
 */
#include "io/io.h"
#include "engine/pipeline.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const reason_names[TM_XR_N] = {"not_html", "redirect", "http_error", "empty",
                                                  "binary"};

const char *tm_extract_reason_name(int r) {
    return r >= 0 && r < TM_XR_N ? reason_names[r] : "unknown";
}

typedef struct xws {
    tm_extract_stats *st;
    tm_extractor *x;
    tm_parse_scratch sc;
    tm_buf meta, mem;
    uint64_t removed_by[TM_XR_N], html_bytes, truncated, passed;
} xws;

static void *x_worker_new(void *ctx) {
    xws *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->st = ctx;
    if (tm_extractor_new(&w->x)) {
        free(w);
        return NULL;
    }
    return w;
}

static void x_worker_free(void *p) {
    xws *w = p;
    /* on the calling thread, after every worker has joined */
    for (int i = 0; i < TM_XR_N; i++) w->st->removed_by[i] += w->removed_by[i];
    w->st->html_bytes += w->html_bytes;
    w->st->truncated += w->truncated;
    w->st->passed += w->passed;
    tm_extractor_free(w->x);
    tmi_parse_scratch_free(&w->sc);
    tm_buf_free(&w->meta);
    tm_buf_free(&w->mem);
    free(w);
}

/* Whether an HTTP Content-Type is HTML (or unknown, or XML that may be XHTML). */
static int html_type(tm_str ct) {
    if (!ct.len) return 1;
    size_t n = 0;
    while (n < ct.len && ct.ptr[n] != ';' && ct.ptr[n] != ' ') n++;
    return (n == 9 && !strncasecmp(ct.ptr, "text/html", 9)) ||
           (n == 21 && !strncasecmp(ct.ptr, "application/xhtml+xml", 21)) ||
           (n == 8 && !strncasecmp(ct.ptr, "text/xml", 8)) ||
           (n == 15 && !strncasecmp(ct.ptr, "application/xml", 15));
}

/* Whether decoded text starts like binary data: more than 10 % of the code
 * points of its first 4 KiB are C0 controls (other than tab, LF, FF, CR)
 * or U+FFFD. */
static int binary(tm_str t) {
    size_t n = t.len < 4096 ? t.len : 4096, cps = 0, bad = 0;
    const unsigned char *s = (const unsigned char *)t.ptr;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if ((c & 0xC0) == 0x80) continue; /* continuation byte */
        cps++;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r')
            bad++;
        else if (c == 0xEF && i + 2 < n && s[i + 1] == 0xBF && s[i + 2] == 0xBD)
            bad++;
    }
    return cps && bad * 10 > cps;
}

static tm_error put_meta(tm_buf *m, const char *key, tm_str v) {
    if (!v.len) return TM_OK;
    tm_error e = tmi_json_key(m, key, m->len > 1);
    return e ? e : tmi_json_str(m, v.ptr, v.len);
}

static tm_error x_process(void *p, const tm_doc *doc, tm_buf *sinks, tm_stats *st) {
    xws *w = p;
    tm_buf *m = &w->meta;
    tm_error e = TM_OK;
    tm_str html = doc->text;
    int reason = -1;
    char label[48] = "", declared[48] = "";
    tmi_buf_reset(m);
    if (doc->format == TM_FMT_WARC || doc->format == TM_FMT_ARC) {
        tm_warc_hdr h;
        char why[8];
        if (tmi_record_header(doc->format, doc->raw.ptr, doc->raw.len, &h, why, sizeof why) != 1)
            return TM_ERR_INTERNAL; /* the reader parsed it already */
        if (h.type.len != 8 || strncasecmp(h.type.ptr, "response", 8) != 0) {
            /* WET: already text */
            w->passed++;
            st->written++;
            return tm_doc_to_jsonl(doc, NULL, 0, NULL, 0, &sinks[TM_SINK_OUT]);
        }
        int status;
        tm_str ct;
        size_t hl;
        tmi_http_peek(doc->raw.ptr + h.len, doc->raw.len - h.len, &status, &ct, &hl);
        if (status >= 300 && status < 400)
            reason = TM_XR_REDIRECT;
        else if (status >= 400 || (status > 0 && status < 200))
            reason = TM_XR_HTTP_ERROR;
        else if (!html_type(ct))
            reason = TM_XR_NOT_HTML;
        /* the reader's metadata, less its closing brace */
        tm_str rm = TM_DOCP(doc)->meta;
        if (rm.len < 2 || tmi_buf_append(m, rm.ptr, rm.len - 1))
            return rm.len < 2 ? TM_ERR_INTERNAL : TM_ERR_NOMEM;
    } else {
        if (tmi_buf_putc(m, '{')) return TM_ERR_NOMEM;
        if ((e = put_meta(m, "source", doc->source))) return e;
        if (doc->format == TM_FMT_TEXT) {
            /* an HTML file: its bytes, decoded as a browser would */
            size_t bad = 0;
            e = tmi_payload_decode(&w->sc, (tm_str){"", 0}, doc->raw.ptr, doc->raw.len, &html, &bad,
                                   label, sizeof label, declared, sizeof declared);
            if (e) return e;
            if ((e = put_meta(m, "charset", (tm_str){label, strlen(label)}))) return e;
            if (strcmp(label, declared) &&
                (e = put_meta(m, "charset_declared", (tm_str){declared, strlen(declared)})))
                return e;
        } else {
            if (tmi_json_key(m, "line", 1) || tmi_json_u64(m, doc->line)) return TM_ERR_NOMEM;
        }
    }
    tm_extracted r;
    memset(&r, 0, sizeof r);
    if (reason < 0 && binary(html)) reason = TM_XR_BINARY;
    if (reason < 0) {
        w->html_bytes += html.len;
        if ((e = tm_extract_html(w->x, html.ptr, html.len, &r))) return e;
        w->truncated += (uint64_t)r.truncated;
        if (!r.text.len) reason = TM_XR_EMPTY;
        if ((e = put_meta(m, "title", r.title)) ||
            (e = put_meta(m, "canonical_url", r.canonical)) || (e = put_meta(m, "date", r.date)) ||
            (e = put_meta(m, "author", r.author)) || (e = put_meta(m, "site_name", r.site_name)) ||
            (e = put_meta(m, "html_lang", r.lang)))
            return e;
        if (r.truncated &&
            (tmi_json_key(m, "extract_truncated", m->len > 1) || tmi_buf_puts(m, "true")))
            return TM_ERR_NOMEM;
    }
    if (tmi_buf_putc(m, '}')) return TM_ERR_NOMEM;
    tm_doc d = *doc;
    d.format = TM_FMT_TEXT;     /* written as {"id","text","metadata"} */
    tm_docp dp = *TM_DOCP(doc); /* the page's bookkeeping, with new metadata */
    dp.meta = (tm_str){m->data, m->len};
    d.priv = &dp;
    if (reason >= 0) {
        tm_buf *mm = &w->mem;
        tmi_buf_reset(mm);
        if (tmi_buf_printf(mm, "\"removed_by\":\"extract.%s\"", reason_names[reason]))
            return TM_ERR_NOMEM;
        w->removed_by[reason]++;
        st->removed++;
        return tm_doc_to_jsonl(&d, html.ptr, html.len, mm->data, mm->len, &sinks[TM_SINK_REMOVED]);
    }
    st->written++;
    return tm_doc_to_jsonl(&d, r.text.ptr, r.text.len, NULL, 0, &sinks[TM_SINK_OUT]);
}

tm_error tm_job_extract(const tm_job_opts *o_in, tm_extract_stats *stats) {
    tm_job_opts o_copy;
    tm_job_opts_init(&o_copy);
    TM_TRY(tmi_opts_in(&o_copy, sizeof o_copy, o_in, "tm_job_extract"));
    const tm_job_opts *o = &o_copy;
    tmi_detail_clear();
    if (!o || !stats) return TM_ERR_ARG;
    tm_job_opts jo = *o;
    jo.reader.all_responses = 1;
    tm_pjob job = {.opts = &jo,
                   .n_sinks = 2,
                   .ctx = stats,
                   .worker_new = x_worker_new,
                   .worker_free = x_worker_free,
                   .process = x_process};
    return tmi_pipeline_run(&job, &stats->base);
}

tm_error tm_extract_stats_to_json(const tm_extract_stats *s, tm_buf *b) {
    tm_error e = tmi_buf_puts(b, "{\"stats\":");
    TM_THEN(e, tm_stats_to_json(&s->base, b));
    TM_THEN(e, tmi_json_key(b, "removed_by", 1));
    TM_THEN(e, tmi_buf_putc(b, '{'));
    for (int i = 0; i < TM_XR_N && !e; i++) {
        e = tmi_json_key(b, reason_names[i], i > 0);
        TM_THEN(e, tmi_json_u64(b, s->removed_by[i]));
    }
    TM_THEN(e, tmi_buf_putc(b, '}'));
    TM_THEN(e, tmi_json_key(b, "html_bytes", 1));
    TM_THEN(e, tmi_json_u64(b, s->html_bytes));
    TM_THEN(e, tmi_json_key(b, "truncated", 1));
    TM_THEN(e, tmi_json_u64(b, s->truncated));
    TM_THEN(e, tmi_json_key(b, "passed", 1));
    TM_THEN(e, tmi_json_u64(b, s->passed));
    TM_THEN(e, tmi_buf_putc(b, '}'));
    return e;
}
