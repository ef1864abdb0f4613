/*
 * meta.c — the metadata slots of a page: setting a slot by rank (the best
 * source wins whatever the order it comes in), JSON-LD (datePublished,
 * author, with JSON string escapes decoded), the in-page byline when no
 * metadata names an author, and the <title> less its site-name suffix.
 *
 * JSON-LD is searched, not parsed: the values tamis wants are strings right
 * after a key, and a page's JSON-LD is often invalid JSON (trailing commas,
 * raw newlines), which a parser would reject whole.
 */
#include "extract/extract_int.h"
#include "util/buf.h"

#include <string.h>

void tmi_x_meta_set(tm_extractor *x, int slot, int rank, const char *v, size_t n) {
    if (rank <= x->meta_rank[slot]) return;
    while (n && (unsigned char)*v <= ' ') v++, n--;
    while (n && (unsigned char)v[n - 1] <= ' ') n--;
    if (n == 0) return;
    if (n >= TM_X_MAX_META) {
        n = TM_X_MAX_META - 1;
        /* v[n] is the first byte left out: never cut a UTF-8 sequence */
        while (n && ((unsigned char)v[n] & 0xC0) == 0x80) n--;
    }
    char *d = x->meta[slot];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
        if (c == ' ' && k && d[k - 1] == ' ') continue;
        d[k++] = (char)c;
    }
    d[k] = '\0';
    x->meta_rank[slot] = rank;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes the JSON string body s[0..n) into out (at most size - 1 bytes, a
 * UTF-8 sequence never cut): escapes resolved, surrogate pairs joined, a
 * lone surrogate as U+FFFD. Returns the length. */
static size_t json_unescape(const char *s, size_t n, char *out, size_t size) {
    size_t k = 0;
    for (size_t i = 0; i < n && k + 4 < size;) {
        if (s[i] != '\\' || i + 1 >= n) {
            out[k++] = s[i++];
            continue;
        }
        char c = s[i + 1];
        i += 2;
        if (c != 'u') {
            out[k++] = c == 'n'   ? '\n'
                       : c == 't' ? '\t'
                       : c == 'r' ? '\r'
                       : c == 'b' ? '\b'
                       : c == 'f' ? '\f'
                                  : c;
            continue;
        }
        uint32_t cp = 0;
        int ok = i + 4 <= n;
        for (int d = 0; ok && d < 4; d++) {
            int h = hexval(s[i + d]);
            ok = h >= 0;
            cp = cp * 16 + (uint32_t)(h < 0 ? 0 : h);
        }
        if (!ok) {
            out[k++] = '?';
            continue;
        }
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= n && s[i] == '\\' && s[i + 1] == 'u') {
            uint32_t lo = 0;
            int ok2 = 1;
            for (int d = 0; ok2 && d < 4; d++) {
                int h = hexval(s[i + 2 + d]);
                ok2 = h >= 0;
                lo = lo * 16 + (uint32_t)(h < 0 ? 0 : h);
            }
            if (ok2 && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
        }
        if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
        if (cp == 0) cp = ' ';
        if (cp < 0x80) {
            out[k++] = (char)cp;
        } else if (cp < 0x800) {
            out[k++] = (char)(0xC0 | (cp >> 6));
            out[k++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[k++] = (char)(0xE0 | (cp >> 12));
            out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[k++] = (char)(0x80 | (cp & 0x3F));
        } else {
            out[k++] = (char)(0xF0 | (cp >> 18));
            out[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            out[k++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    /* a raw multi-byte sequence cut by the size limit */
    size_t j = k;
    while (j && ((unsigned char)out[j - 1] & 0xC0) == 0x80) j--;
    if (j && (unsigned char)out[j - 1] >= 0xC0) {
        unsigned char lead = (unsigned char)out[j - 1];
        size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (k - (j - 1) < want) k = j - 1;
    }
    out[k] = '\0';
    return k;
}

/* Finds "key" in JSON-LD text and copies its string value (or, for an
 * object/array value, the first "name" string inside it) to the slot. */
static void ld_find(tm_extractor *x, const char *key, int slot, int rank) {
    const char *s = x->ld.data, *end = s + x->ld.len;
    size_t kl = strlen(key);
    for (const char *p = s; p + kl < end;) {
        p = memmem(p, (size_t)(end - p), key, kl); /* key is given with its quotes */
        if (!p) return;
        const char *q = p + kl;
        p = q;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) q++;
        if (q >= end || *q != ':') continue;
        q++;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) q++;
        if (q < end && (*q == '{' || *q == '[')) {
            const char *lim = q + 400 < end ? q + 400 : end;
            const char *nm = memmem(q, (size_t)(lim - q), "\"name\"", 6);
            if (!nm) continue;
            q = nm + 6;
            while (q < end && (*q == ' ' || *q == ':' || *q == '\n' || *q == '\t')) q++;
        }
        if (q >= end || *q != '"') continue;
        const char *b = ++q;
        while (q < end && *q != '"') q += (*q == '\\' && q + 1 < end) ? 2 : 1;
        if (q > b) {
            char v[TM_X_MAX_META];
            size_t k = json_unescape(b, (size_t)(q - b), v, sizeof v);
            tmi_x_meta_set(x, slot, rank, v, k);
        }
        return;
    }
}

/* The text of a byline candidate (whitespace collapsed), when it is short
 * enough to be a byline: 1 to 100 bytes. */
static size_t byline_text(const tm_extractor *x, uint32_t id, char *out, size_t size) {
    const tm_xnode *n = &x->nodes[id];
    size_t k = 0;
    int space = 0;
    for (uint32_t e = n->ev_open; e <= n->ev_close && e < x->n_ev; e++) {
        const tm_xevent *ev = &x->ev[e];
        if (ev->kind != XE_TEXT) {
            space = 1;
            continue;
        }
        for (uint32_t i = 0; i < ev->b; i++) {
            unsigned char c = (unsigned char)x->text.data[ev->a + i];
            if (c <= ' ') {
                space = 1;
                continue;
            }
            if (space && k) {
                if (k + 1 >= size) return 0;
                out[k++] = ' ';
            }
            space = 0;
            if (k + 1 >= size) return 0;
            out[k++] = (char)c;
        }
    }
    out[k] = '\0';
    return k;
}

/* Readability's title cleanup, for a title from <title> only: "Article
 * title | Site" keeps the part before the last separator when that part has
 * at least three words. */
static void clean_title(char *t) {
    static const char *const seps[] = {
        " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \xC2\xBB ", " / ", " :: "};
    char *cut = NULL;
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
        for (char *p = strstr(t, seps[i]); p; p = strstr(p + 1, seps[i]))
            if (!cut || p > cut) cut = p;
    }
    if (!cut) return;
    int words = 1;
    for (char *p = t; p < cut; p++) words += *p == ' ' && p[1] != ' ';
    if (words >= 3) *cut = '\0';
}

void tmi_x_meta_finish(tm_extractor *x) {
    if (x->title_buf.len && x->meta_rank[XM_TITLE] < 1) {
        tmi_x_meta_set(x, XM_TITLE, 1, x->title_buf.data, x->title_buf.len);
        clean_title(x->meta[XM_TITLE]);
    }
    if (x->ld.len) {
        ld_find(x, "\"datePublished\"", XM_DATE, 3);
        ld_find(x, "\"author\"", XM_AUTHOR, 3);
    }
    for (int i = 0; i < x->n_bylines && x->meta_rank[XM_AUTHOR] == 0; i++) {
        char v[128];
        size_t k = byline_text(x, x->bylines[i], v, sizeof v);
        if (k) tmi_x_meta_set(x, XM_AUTHOR, 1, v, k);
    }
}
