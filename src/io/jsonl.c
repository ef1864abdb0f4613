/*
 * jsonl.c — the JSONL format (format.h): one JSON object a line.
 *
 * Lines are cut by the shared line framer (frame.c). A line goes through
 * the validating scanner of json_scan.c, which finds the text, id and
 * "tamis" members in one pass; text and ids are decoded only when they
 * contain escapes or invalid UTF-8, so a clean line costs one scan plus one
 * UTF-8 check and the document's text is a view into the line.
 */
#include "io/format.h"
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

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
        return tmi_utf8_view(body, n, out, view, count);
    }
    tmi_buf_reset(tmp);
    if (tmi_json_unescape(body, n, tmp)) return TM_ERR_NOMEM;
    if (raw_ok) {
        *view = (tm_str){tmp->data, tmp->len};
        return TM_OK;
    }
    return tmi_utf8_view(tmp->data, tmp->len, out, view, count);
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
    tmi_json_iter_init(&it, obj, n);
    int k = 0;
    while (tmi_json_iter_next(&it, &m)) {
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
    tmi_json_path_parse(&tp, tf);
    tmi_json_path_parse(&ip, idf);
    tmi_json_path_parse(&kp, "tamis");
    tm_json_scan scan;
    memset(&scan, 0, sizeof scan);
    scan.target[0] = &tp;
    scan.target[1] = &ip;
    scan.target[2] = &kp;
    scan.n_targets = 3;
    if (tmi_json_scan_object(raw->data, raw->len, &scan)) {
        snprintf(detail, dsz, "%s at byte %zu", scan.err, scan.err_at);
        return TM_ERR_JSON;
    }
    const tm_json_hit *th = &scan.hit[0], *ih = &scan.hit[1], *kh = &scan.hit[2];
    if (kh->type != TM_JSON_NONE) {
        TM_DOCP(doc)->tamis_beg = kh->key_beg;
        TM_DOCP(doc)->tamis_end = kh->val_end;
        TM_DOCP(doc)->tamis = (tm_str){raw->data + kh->val_beg, kh->val_end - kh->val_beg};
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
    TM_DOCP(doc)->text_beg = th->val_beg;
    TM_DOCP(doc)->text_end = th->val_end;
    TM_DOCP(doc)->text_top_level = tp.n == 1;
    /* One UTF-8 check of the whole line serves the text, the id and the
     * writer (tm_doc_to_jsonl copies a valid line without checking again). */
    int raw_ok = tm_utf8_valid_prefix(raw->data, raw->len) == raw->len;
    TM_DOCP(doc)->raw_utf8_ok = raw_ok;
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
        tmi_buf_reset(&sc->id);
        if (tmi_buf_printf(&sc->id, "%s:%llu", raw->source, (unsigned long long)raw->line))
            return TM_ERR_NOMEM;
        tm_str v;
        if (tmi_utf8_view(sc->id.data, sc->id.len, &sc->tmp2, &v, NULL)) return TM_ERR_NOMEM;
        doc->id = v;
        if (ip.n == 1) TM_DOCP(doc)->id_key = (tm_str){ip.comp[0], ip.len[0]};
    }
    return TM_OK;
}

/* A JSON object starts with '{' (after white space, skipped by the caller). */
static int jsonl_sniff(const char *p, size_t n) {
    return n > 0 && p[0] == '{';
}

const tm_format_ops tmi_format_jsonl = {
    .id = TM_FMT_JSONL,
    .name = "jsonl",
    .flags = TM_FORMAT_NOT_BINARY | TM_FORMAT_JSON_LINE,
    .sniff = jsonl_sniff,
    .frame = tmi_frame_lines,
    .parse = parse_jsonl,
};
