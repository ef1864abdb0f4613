/*
 * buf.c — growable byte buffers and the JSON emitter shared by every module.
 *
 * Growth is geometric (x1.5, at least 64 bytes) so appends are amortised
 * O(1); every append keeps a NUL after the data so buffers can be handed to
 * C string functions without copying. Every buffer has a hard cap (max) and
 * a sticky error. tmi_grow is the same growth for typed arrays, with an
 * element cap and the size_t overflow checks that a hand-written doubling
 * loop tends to forget.
 */
#include "util/buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void tm_buf_free(tm_buf *b) {
    if (!b) return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->err = TM_OK;
}

tm_error tmi_buf_reserve(tm_buf *b, size_t extra) {
    if (b->err) return (tm_error)b->err;
    size_t max = b->max ? b->max : TM_BUF_MAX_DEFAULT;
    if (extra >= max || b->len >= max - extra) {
        b->err = TM_ERR_TOO_BIG;
        return TM_ERR_TOO_BIG;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return TM_OK;
    size_t cap = b->cap < 64 ? 64 : b->cap;
    while (cap < need) cap = cap > max / 3 * 2 ? need : cap + cap / 2;
    if (cap > max) cap = need;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->err = TM_ERR_NOMEM;
        return TM_ERR_NOMEM;
    }
    b->data = p;
    b->cap = cap;
    return TM_OK;
}

tm_error tmi_grow(void **p, size_t *cap, size_t need, size_t elem, size_t max) {
    if (need <= *cap) return TM_OK;
    if (elem == 0 || (max && need > max) || need > SIZE_MAX / elem) return TM_ERR_TOO_BIG;
    size_t c = *cap < 64 ? 64 : *cap;
    while (c < need) c = c > SIZE_MAX / 2 ? need : c * 2;
    if (max && c > max) c = max;
    if (c > SIZE_MAX / elem) c = need;
    void *q = realloc(*p, c * elem);
    if (!q) return TM_ERR_NOMEM;
    *p = q;
    *cap = c;
    return TM_OK;
}

tm_error tmi_buf_append(tm_buf *b, const void *p, size_t n) {
    tm_error e = tmi_buf_reserve(b, n);
    if (e) return e;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return TM_OK;
}

tm_error tmi_buf_puts(tm_buf *b, const char *s) {
    return tmi_buf_append(b, s, strlen(s));
}

tm_error tmi_buf_putc(tm_buf *b, char c) {
    return tmi_buf_append(b, &c, 1);
}

tm_error tmi_buf_printf(tm_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return TM_ERR_INTERNAL;
    if ((size_t)n < sizeof small) return tmi_buf_append(b, small, (size_t)n);
    tm_error e = tmi_buf_reserve(b, (size_t)n);
    if (e) return e;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return TM_OK;
}

/* Characters that need escaping in a JSON string: ", \ and C0 controls.
 * DEL and non-ASCII pass through (the input is valid UTF-8). */
static const char json_hex[] = "0123456789abcdef";

tm_error tmi_json_str(tm_buf *b, const char *s, size_t n) {
    /* worst case every byte becomes \u00XX */
    if (n > (SIZE_MAX - 3) / 6) return TM_ERR_TOO_BIG;
    tm_error err = tmi_buf_reserve(b, n * 6 + 2);
    if (err) return err;
    char *o = b->data + b->len;
    *o++ = '"';
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        const unsigned char *run = p;
        while (p < e && *p >= 0x20 && *p != '"' && *p != '\\') p++;
        memcpy(o, run, (size_t)(p - run));
        o += p - run;
        if (p == e) break;
        unsigned char c = *p++;
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = json_hex[c >> 4];
            *o++ = json_hex[c & 15];
        }
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
    return TM_OK;
}

tm_error tmi_json_num(tm_buf *b, double v) {
    if (!isfinite(v)) return tmi_buf_puts(b, "null");
    if (v == (double)(int64_t)v && fabs(v) < 9007199254740992.0)
        return tmi_buf_printf(b, "%lld", (long long)(int64_t)v);
    /* Six decimals are what the signals are specified to; print them
     * rounded, then drop trailing zeros so 0.25 stays "0.25". */
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, "%.6f", v);
    if (n <= 0 || (size_t)n >= sizeof tmp) return tmi_buf_printf(b, "%.17g", v);
    if (fabs(v) < 1e-4) return tmi_buf_printf(b, "%.6g", v);
    while (n > 0 && tmp[n - 1] == '0') n--;
    if (n > 0 && tmp[n - 1] == '.') n--;
    if (n == 2 && tmp[0] == '-' && tmp[1] == '0') return tmi_buf_puts(b, "0");
    return tmi_buf_append(b, tmp, (size_t)n);
}

tm_error tmi_json_u64(tm_buf *b, uint64_t v) {
    return tmi_buf_printf(b, "%llu", (unsigned long long)v);
}

tm_error tmi_json_key(tm_buf *b, const char *key, int comma) {
    if (comma && tmi_buf_putc(b, ',')) return TM_ERR_NOMEM;
    if (tmi_json_str(b, key, strlen(key))) return TM_ERR_NOMEM;
    return tmi_buf_putc(b, ':');
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

tm_error tmi_base64(tm_buf *b, const void *data, size_t n) {
    if (n > SIZE_MAX / 2 || tmi_buf_reserve(b, (n + 2) / 3 * 4)) return TM_ERR_NOMEM;
    const unsigned char *p = data;
    char *o = b->data + b->len;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *o++ = b64[v >> 18];
        *o++ = b64[(v >> 12) & 63];
        *o++ = b64[(v >> 6) & 63];
        *o++ = b64[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
        *o++ = b64[v >> 18];
        *o++ = b64[(v >> 12) & 63];
        *o++ = i + 1 < n ? b64[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
    return TM_OK;
}
