/*
 * output.c — documents and rejects as JSON lines.
 *
 * JSONL documents are written by splicing the original line: every byte is
 * copied except the text value (re-encoded only when new text is given or
 * the original had invalid UTF-8), an existing top-level "tamis" member
 * (dropped, then re-emitted merged as the last member) and, for a generated
 * id, a new first member. Old "tamis" members are copied as their original
 * bytes (located with the same scanner as the reader), so numbers and
 * escapes in them survive too. Output is always valid UTF-8: any invalid
 * sequence left in the copied bytes (other string members) is replaced by
 * U+FFFD; JSON structure is unaffected because such bytes can only sit
 * inside strings of a validated line.
 */
#include "io/format.h"
#include "io/io.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends p as is when it is valid UTF-8, repaired otherwise. */
static tm_error put_utf8(tm_buf *out, const char *p, size_t n) {
    if (tm_utf8_valid_prefix(p, n) == n) return tmi_buf_append(out, p, n);
    return tm_utf8_repair(p, n, out, NULL);
}

/* A JSON string of s, repairing invalid UTF-8 first. */
static tm_error json_str_safe(tm_buf *out, const char *s, size_t n) {
    if (tm_utf8_valid_prefix(s, n) == n) return tmi_json_str(out, s, n);
    tm_buf tmp = {0};
    tm_error e = tm_utf8_repair(s, n, &tmp, NULL);
    TM_THEN(e, tmi_json_str(out, tmp.data ? tmp.data : "", tmp.len));
    tm_buf_free(&tmp);
    return e;
}

static int is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Do two raw JSON keys (quotes included) name the same member? */
static int same_key(const char *a, size_t an, const char *b, size_t bn) {
    if (!memchr(a, '\\', an) && !memchr(b, '\\', bn)) return an == bn && memcmp(a, b, an) == 0;
    tm_buf da = {0}, db = {0};
    int eq = 0;
    if (an >= 2 && bn >= 2 && !tmi_json_unescape(a + 1, an - 2, &da) &&
        !tmi_json_unescape(b + 1, bn - 2, &db))
        eq = da.len == db.len && (da.len == 0 || memcmp(da.data, db.data, da.len) == 0);
    tm_buf_free(&da);
    tm_buf_free(&db);
    return eq;
}

/* "tamis":{old members not overridden..., new members} */
static tm_error put_tamis(tm_buf *out, tm_str old, const char *mem, size_t mem_len) {
    if (tmi_buf_puts(out, "\"tamis\":{")) return TM_ERR_NOMEM;
    int n = 0;
    if (old.len && old.ptr[0] == '{') {
        tm_json_iter it;
        tm_json_member m;
        tmi_json_iter_init(&it, old.ptr, old.len);
        while (tmi_json_iter_next(&it, &m)) {
            int overridden = 0;
            if (mem_len) {
                tm_json_iter jt;
                tm_json_member k;
                tmi_json_iter_init(&jt, mem, mem_len);
                while (!overridden && tmi_json_iter_next(&jt, &k))
                    overridden = same_key(old.ptr + m.key_beg, m.key_end - m.key_beg,
                                          mem + k.key_beg, k.key_end - k.key_beg);
            }
            if (overridden) continue;
            if ((n++ && tmi_buf_putc(out, ',')) ||
                put_utf8(out, old.ptr + m.key_beg, m.val_end - m.key_beg))
                return TM_ERR_NOMEM;
        }
    }
    if (mem_len) {
        /* New members are copied as given, except those whose value is
         * null: they only remove the old member of that name. */
        tm_json_iter jt;
        tm_json_member k;
        tmi_json_iter_init(&jt, mem, mem_len);
        while (tmi_json_iter_next(&jt, &k)) {
            if (k.val_end - k.val_beg == 4 && !memcmp(mem + k.val_beg, "null", 4)) continue;
            if ((n++ && tmi_buf_putc(out, ',')) ||
                tmi_buf_append(out, mem + k.key_beg, k.val_end - k.key_beg))
                return TM_ERR_NOMEM;
        }
    }
    return tmi_buf_putc(out, '}');
}

/* A span of the raw line replaced by the text (kind 1) or dropped (2). */
struct edit {
    size_t beg, end;
    int kind;
};

static tm_error jsonl_line(const tm_doc *doc, const char *new_text, size_t new_text_len,
                           const char *mem, size_t mem_len, tm_buf *out) {
    const char *r = doc->raw.ptr;
    size_t n = doc->raw.len;
    int raw_ok = TM_DOCP(doc)->raw_utf8_ok;
    /* The common case of `cat`: a valid line written back unchanged is the
     * line itself, copied once. */
    if (raw_ok && !new_text && !mem_len && !doc->invalid_utf8 &&
        TM_DOCP(doc)->tamis_end <= TM_DOCP(doc)->tamis_beg &&
        (doc->has_id || !TM_DOCP(doc)->id_key.len)) {
        if (tmi_buf_reserve(out, n + 1)) return TM_ERR_NOMEM;
        memcpy(out->data + out->len, r, n);
        out->data[out->len + n] = '\n';
        out->len += n + 1;
        out->data[out->len] = '\0';
        return TM_OK;
    }
    size_t ob = 0;
    while (ob < n && r[ob] != '{') ob++;
    size_t oe = n;
    while (oe > ob && r[oe - 1] != '}') oe--;
    if (ob >= n || oe <= ob) return TM_ERR_ARG; /* not a parsed JSON object */
    oe--;                                       /* r[oe] == '}' */
    size_t first = ob + 1;
    while (first < oe && is_ws(r[first])) first++;
    int empty = first == oe;
    /* the "tamis" member and the comma that separates it */
    int has_tamis = TM_DOCP(doc)->tamis_end > TM_DOCP(doc)->tamis_beg;
    size_t cut_beg = 0, cut_end = 0;
    int only_tamis = 0;
    if (has_tamis) {
        size_t p = TM_DOCP(doc)->tamis_beg;
        while (p > ob && is_ws(r[p - 1])) p--;
        size_t q = TM_DOCP(doc)->tamis_end;
        while (q < oe && is_ws(r[q])) q++;
        if (p > ob + 1 && r[p - 1] == ',') {
            cut_beg = p - 1;
            cut_end = TM_DOCP(doc)->tamis_end;
        } else {
            cut_beg = TM_DOCP(doc)->tamis_beg;
            cut_end = q < oe && r[q] == ',' ? q + 1 : TM_DOCP(doc)->tamis_end;
            only_tamis = q == oe;
        }
    }
    int others = !empty && !only_tamis;
    int add_id = !doc->has_id && TM_DOCP(doc)->id_key.len > 0;
    /* the text value: replaced when new, or when the original was repaired */
    int repl = new_text != NULL || doc->invalid_utf8 > 0;
    size_t tb = TM_DOCP(doc)->text_beg, te = TM_DOCP(doc)->text_end;
    if (te <= tb || (has_tamis && tb >= cut_beg && te <= cut_end)) repl = 0;
    if (tmi_buf_reserve(out, n + (repl ? (new_text ? new_text_len : doc->text.len) * 6 : 0) +
                                 mem_len + TM_DOCP(doc)->tamis.len + 64))
        return TM_ERR_NOMEM;
    if (tmi_buf_append(out, r, ob + 1)) return TM_ERR_NOMEM;
    if (add_id) {
        if (tmi_json_str(out, TM_DOCP(doc)->id_key.ptr, TM_DOCP(doc)->id_key.len) ||
            tmi_buf_putc(out, ':') || json_str_safe(out, doc->id.ptr, doc->id.len) ||
            (others && tmi_buf_putc(out, ',')))
            return TM_ERR_NOMEM;
    }
    /* copy (ob, oe) with at most two edits, in order */
    size_t pos = ob + 1;
    struct edit ed[2];
    int ne = 0;
    if (repl) ed[ne++] = (struct edit){tb, te, 1};
    if (has_tamis) ed[ne++] = (struct edit){cut_beg, cut_end, 2};
    if (ne == 2 && ed[1].beg < ed[0].beg) {
        struct edit t = ed[0];
        ed[0] = ed[1];
        ed[1] = t;
    }
    for (int i = 0; i < ne; i++) {
        if ((raw_ok ? tmi_buf_append(out, r + pos, ed[i].beg - pos)
                    : put_utf8(out, r + pos, ed[i].beg - pos)))
            return TM_ERR_NOMEM;
        if (ed[i].kind == 1) {
            const char *t = new_text ? new_text : doc->text.ptr;
            size_t tl = new_text ? new_text_len : doc->text.len;
            if (tmi_json_str(out, t, tl)) return TM_ERR_NOMEM;
        }
        pos = ed[i].end;
    }
    if ((raw_ok ? tmi_buf_append(out, r + pos, oe - pos) : put_utf8(out, r + pos, oe - pos)))
        return TM_ERR_NOMEM;
    if (has_tamis || mem_len) {
        if ((others || add_id) && tmi_buf_putc(out, ',')) return TM_ERR_NOMEM;
        if (put_tamis(out, TM_DOCP(doc)->tamis, mem, mem_len)) return TM_ERR_NOMEM;
    }
    if (tmi_buf_append(out, r + oe, n - oe) || tmi_buf_putc(out, '\n')) return TM_ERR_NOMEM;
    return TM_OK;
}

tm_error tm_doc_to_jsonl(const tm_doc *doc, const char *new_text, size_t new_text_len,
                         const char *tamis_members, size_t tamis_len, tm_buf *out) {
    if (!doc || !out) return TM_ERR_ARG;
    if (!tamis_members) tamis_len = 0;
    const tm_format_ops *f = tmi_format_get(doc->format);
    if (f && (f->flags & TM_FORMAT_JSON_LINE))
        return jsonl_line(doc, new_text, new_text_len, tamis_members, tamis_len, out);
    const char *t = new_text ? new_text : doc->text.ptr;
    size_t tl = new_text ? new_text_len : doc->text.len;
    if (tmi_buf_puts(out, "{\"id\":") || json_str_safe(out, doc->id.ptr, doc->id.len) ||
        tmi_buf_puts(out, ",\"text\":") || tmi_json_str(out, t ? t : "", tl) ||
        tmi_buf_puts(out, ",\"metadata\":"))
        return TM_ERR_NOMEM;
    if (TM_DOCP(doc)->meta.len ? tmi_buf_append(out, TM_DOCP(doc)->meta.ptr, TM_DOCP(doc)->meta.len)
                               : tmi_buf_puts(out, "{}"))
        return TM_ERR_NOMEM;
    if (tamis_len &&
        (tmi_buf_putc(out, ',') || put_tamis(out, (tm_str){"", 0}, tamis_members, tamis_len)))
        return TM_ERR_NOMEM;
    return tmi_buf_puts(out, "}\n");
}

/* {"file":…,"line":…,"offset":…,"error":…,"reason":… — the common head. */
static tm_error reject_head(tm_buf *out, const char *source, size_t source_len, uint64_t line,
                            uint64_t offset, int err, const char *detail) {
    if (tmi_buf_puts(out, "{\"file\":") || json_str_safe(out, source, source_len) ||
        tmi_buf_puts(out, ",\"line\":") || tmi_json_u64(out, line) ||
        tmi_buf_puts(out, ",\"offset\":") || tmi_json_u64(out, offset) ||
        tmi_buf_puts(out, ",\"error\":") ||
        tmi_json_str(out, tm_error_name(err), strlen(tm_error_name(err))))
        return TM_ERR_NOMEM;
    const char *why = detail && *detail ? detail : tm_strerror(err);
    if (tmi_buf_puts(out, ",\"reason\":") || json_str_safe(out, why, strlen(why)))
        return TM_ERR_NOMEM;
    return TM_OK;
}

tm_error tm_reject_to_jsonl(const tm_doc *doc, int err, const char *detail, tm_buf *out) {
    if (!doc || !out) return TM_ERR_ARG;
    const char *src = doc->source.ptr ? doc->source.ptr : "";
    if (reject_head(out, src, doc->source.len, doc->line, doc->offset, err, detail))
        return TM_ERR_NOMEM;
    const char *raw = doc->raw.ptr ? doc->raw.ptr : "";
    if (tm_utf8_valid_prefix(raw, doc->raw.len) == doc->raw.len) {
        if (tmi_buf_puts(out, ",\"raw\":") || tmi_json_str(out, raw, doc->raw.len))
            return TM_ERR_NOMEM;
    } else if (tmi_buf_puts(out, ",\"raw_base64\":\"") || tmi_base64(out, raw, doc->raw.len) ||
               tmi_buf_putc(out, '"')) {
        return TM_ERR_NOMEM;
    }
    return tmi_buf_puts(out, "}\n");
}

tm_error tmi_reject_write_spill(tm_writer *w, const tm_raw *raw) {
    if (!w || !raw || !raw->spill) return TM_ERR_ARG;
    tm_buf b = {0};
    const char *src = raw->source ? raw->source : "";
    tm_error e = reject_head(&b, src, strlen(src), raw->line, raw->offset,
                             raw->err ? raw->err : TM_ERR_TOO_BIG, raw->detail);
    TM_THEN(e, tmi_buf_puts(&b, ",\"raw_base64\":\""));
    TM_THEN(e, tm_writer_write(w, b.data, b.len));
    /* base64 in chunks of a multiple of 3 bytes so that the pieces join */
    enum { CHUNK = 3 * 64 * 1024 };
    char *chunk = e ? NULL : malloc(CHUNK);
    if (!e && !chunk) e = TM_ERR_NOMEM;
    if (!e && fseek(raw->spill, 0, SEEK_SET) != 0) e = TM_ERR_IO;
    uint64_t left = raw->spill_len;
    while (!e && left > 0) {
        size_t want = left < CHUNK ? (size_t)left : CHUNK;
        size_t got = fread(chunk, 1, want, raw->spill);
        if (got != want) {
            e = TM_ERR_IO;
            break;
        }
        tmi_buf_reset(&b);
        e = tmi_base64(&b, chunk, got);
        TM_THEN(e, tm_writer_write(w, b.data, b.len));
        left -= got;
    }
    TM_THEN(e, tm_writer_write(w, "\"}\n", 3));
    free(chunk);
    tm_buf_free(&b);
    return e;
}
