/*
 * json_scan.c — a validating, non-allocating JSON scanner for JSONL records.
 *
 * Why not jansson for records: tamis promises byte-faithful passthrough of
 * every member it does not touch (huge integers, exotic escapes, key order,
 * duplicate keys all survive `tamis cat`). That needs the byte spans of the
 * members, which a tree API such as jansson's does not expose, and building
 * a tree per line would also allocate per record on the hot path. So this
 * file does one recursive-descent pass over the line that (1) checks the
 * whole line against the RFC 8259 grammar, (2) records where the looked-up
 * members (dotted paths like "metadata.url") and their values sit, and (3)
 * leaves string decoding to tmi_json_unescape, run only on the values that
 * are actually used. jansson stays the oracle: tests/unit/test_io.c checks
 * that every line jansson accepts is accepted here with the same text.
 *
 * Differences from jansson, all deliberate: invalid UTF-8 inside strings is
 * accepted here (the reader repairs it to U+FFFD and counts it) where
 * jansson rejects the line; numbers of any size are accepted (kept as bytes)
 * where jansson rejects integers beyond 64 bits. Duplicate keys resolve to
 * the last one, as in jansson. Raw control characters inside strings are
 * rejected, as RFC 8259 §7 requires. Nesting is capped at 512 levels so
 * hostile input cannot exhaust the stack.
 */
#include "io/io.h"
#include "util/buf.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define MAX_DEPTH 512

typedef struct parser {
    const unsigned char *s;
    size_t n, i;
    tm_json_scan *sc; /* NULL when only validating */
    const char *err;
    size_t err_at;
} parser;

/* 1 for bytes that end the fast run inside a string: '"', '\\', C0. */
static const unsigned char str_stop[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

static int fail(parser *p, const char *why) {
    if (!p->err) {
        p->err = why;
        p->err_at = p->i;
    }
    return -1;
}

static void skip_ws(parser *p) {
    while (p->i < p->n) {
        unsigned char c = p->s[p->i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
        p->i++;
    }
}

static int hexval(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* p->i at the opening quote; leaves p->i after the closing quote. */
static int scan_string(parser *p, int *escaped) {
    const unsigned char *s = p->s;
    size_t i = p->i + 1, n = p->n;
    int esc = 0;
    for (;;) {
#if defined(__SSE2__)
        /* Sixteen bytes at a time: the mask of bytes equal to '"' or '\\'
         * or at most 0x1F (unsigned: max(x, 0x1F) == 0x1F) gives the first
         * stop byte directly. */
        {
            const __m128i quote = _mm_set1_epi8('"'), bsl = _mm_set1_epi8('\\'),
                          c1f = _mm_set1_epi8(0x1F);
            while (i + 16 <= n) {
                __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
                __m128i hit =
                    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bsl)),
                                 _mm_cmpeq_epi8(_mm_max_epu8(x, c1f), c1f));
                unsigned m = (unsigned)_mm_movemask_epi8(hit);
                if (m) {
                    i += (size_t)__builtin_ctz(m);
                    break;
                }
                i += 16;
            }
        }
#else
        /* Eight bytes at a time (SWAR): a word holds a stop byte iff it has
         * a byte equal to '"' or '\\' or below 0x20. The zero-byte tests
         * may flag extra bytes above a real hit, never a word without one,
         * so the byte loop below finds the exact position. */
        while (i + 8 <= n) {
            const uint64_t ones = UINT64_C(0x0101010101010101), high = UINT64_C(0x8080808080808080);
            uint64_t w, q, b;
            memcpy(&w, s + i, 8);
            q = w ^ (ones * '"');
            b = w ^ (ones * '\\');
            if ((((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & high) break;
            i += 8;
        }
#endif
        while (i < n && !str_stop[s[i]]) i++;
        if (i >= n) {
            p->i = i;
            return fail(p, "unterminated string");
        }
        unsigned char c = s[i];
        if (c == '"') break;
        if (c < 0x20) {
            p->i = i;
            return fail(p, "control character in string");
        }
        /* backslash */
        esc = 1;
        if (i + 1 >= n) {
            p->i = i;
            return fail(p, "unterminated string");
        }
        c = s[i + 1];
        if (c == 'u') {
            if (i + 6 > n || hexval(s[i + 2]) < 0 || hexval(s[i + 3]) < 0 || hexval(s[i + 4]) < 0 ||
                hexval(s[i + 5]) < 0) {
                p->i = i;
                return fail(p, "invalid \\u escape");
            }
            i += 6;
        } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' ||
                   c == 'r' || c == 't') {
            i += 2;
        } else {
            p->i = i;
            return fail(p, "invalid escape");
        }
    }
    if (escaped) *escaped = esc;
    p->i = i + 1;
    return 0;
}

static int scan_number(parser *p) {
    const unsigned char *s = p->s;
    size_t i = p->i, n = p->n;
    if (i < n && s[i] == '-') i++;
    if (i >= n) goto bad;
    if (s[i] == '0') {
        i++;
    } else if (s[i] >= '1' && s[i] <= '9') {
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    } else {
        goto bad;
    }
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || s[i] < '0' || s[i] > '9') goto bad;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= n || s[i] < '0' || s[i] > '9') goto bad;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    }
    p->i = i;
    return 0;
bad:
    p->i = i;
    return fail(p, "invalid number");
}

static int scan_literal(parser *p, const char *lit, size_t len) {
    if (p->n - p->i < len || memcmp(p->s + p->i, lit, len) != 0) return fail(p, "invalid literal");
    p->i += len;
    return 0;
}

/* Does the key s[beg..end) (quotes included) equal comp? */
static int key_equals(const unsigned char *s, size_t beg, size_t end, int escaped, const char *comp,
                      size_t clen) {
    size_t klen = end - beg - 2;
    if (!escaped) return klen == clen && memcmp(s + beg + 1, comp, clen) == 0;
    /* Escaped keys are rare: decode into a bounded stack buffer. A decoded
     * key is never longer than its encoded form. */
    char tmp[512];
    tm_buf b = {0};
    if (klen > sizeof tmp - 1) {
        if (tmi_json_unescape((const char *)s + beg + 1, klen, &b)) return 0;
        int eq = b.len == clen && memcmp(b.data, comp, clen) == 0;
        tm_buf_free(&b);
        return eq;
    }
    /* small keys: decode with a stack-backed buffer without heap traffic */
    b.data = tmp;
    b.cap = sizeof tmp;
    if (tmi_json_unescape((const char *)s + beg + 1, klen, &b)) return 0;
    return b.len == clen && memcmp(b.data, comp, clen) == 0;
}

static int scan_value(parser *p, unsigned mask, int depth, int *type);

/* mask: targets whose first `depth` components matched the path so far. */
static int scan_object(parser *p, unsigned mask, int depth) {
    if (depth >= MAX_DEPTH) return fail(p, "nesting too deep");
    p->i++; /* '{' */
    skip_ws(p);
    size_t members = 0;
    if (p->i < p->n && p->s[p->i] == '}') {
        p->i++;
        if (depth == 0 && p->sc) p->sc->n_members = 0;
        return 0;
    }
    for (;;) {
        if (p->i >= p->n) return fail(p, "expected '\"' (object key)");
        if (p->s[p->i] != '"') return fail(p, "expected '\"' (object key)");
        size_t kbeg = p->i;
        int kesc = 0;
        if (scan_string(p, &kesc)) return -1;
        size_t kend = p->i;
        skip_ws(p);
        if (p->i >= p->n || p->s[p->i] != ':') return fail(p, "expected ':'");
        p->i++;
        skip_ws(p);
        /* Which targets does this member continue or complete? */
        unsigned sub = 0, done = 0;
        if (mask) {
            tm_json_scan *sc = p->sc;
            for (int t = 0; t < sc->n_targets; t++) {
                if (!(mask >> t & 1u)) continue;
                const tm_json_path *path = sc->target[t];
                if (!key_equals(p->s, kbeg, kend, kesc, path->comp[depth], path->len[depth]))
                    continue;
                /* a later duplicate replaces the earlier member, as in jansson */
                sc->hit[t].type = TM_JSON_NONE;
                if (depth + 1 == path->n)
                    done |= 1u << t;
                else
                    sub |= 1u << t;
            }
        }
        size_t vbeg = p->i;
        int type = 0, vesc = 0;
        if (done && p->i < p->n && p->s[p->i] == '"') {
            type = TM_JSON_STRING;
            if (scan_string(p, &vesc)) return -1;
        } else if (scan_value(p, sub, depth + 1, &type)) {
            return -1;
        }
        if (done) {
            for (int t = 0; t < p->sc->n_targets; t++) {
                if (!(done >> t & 1u)) continue;
                tm_json_hit *h = &p->sc->hit[t];
                h->type = type;
                h->key_beg = kbeg;
                h->val_beg = vbeg;
                h->val_end = p->i;
                h->escaped = vesc;
            }
        }
        members++;
        skip_ws(p);
        if (p->i >= p->n) return fail(p, "expected ',' or '}'");
        unsigned char c = p->s[p->i];
        if (c == ',') {
            p->i++;
            skip_ws(p);
            continue;
        }
        if (c == '}') {
            p->i++;
            break;
        }
        return fail(p, "expected ',' or '}'");
    }
    if (depth == 0 && p->sc) p->sc->n_members = members;
    return 0;
}

static int scan_array(parser *p, int depth) {
    if (depth >= MAX_DEPTH) return fail(p, "nesting too deep");
    p->i++; /* '[' */
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == ']') {
        p->i++;
        return 0;
    }
    for (;;) {
        int type;
        if (scan_value(p, 0, depth + 1, &type)) return -1;
        skip_ws(p);
        if (p->i >= p->n) return fail(p, "expected ',' or ']'");
        unsigned char c = p->s[p->i];
        if (c == ',') {
            p->i++;
            skip_ws(p);
            continue;
        }
        if (c == ']') {
            p->i++;
            return 0;
        }
        return fail(p, "expected ',' or ']'");
    }
}

static int scan_value(parser *p, unsigned mask, int depth, int *type) {
    if (p->i >= p->n) return fail(p, "expected a value");
    switch (p->s[p->i]) {
    case '{':
        /* Targets continue only through objects: a path through a
         * non-object is simply absent. */
        *type = TM_JSON_OBJECT;
        return scan_object(p, mask, depth);
    case '[': *type = TM_JSON_ARRAY; return scan_array(p, depth);
    case '"': *type = TM_JSON_STRING; return scan_string(p, NULL);
    case 't': *type = TM_JSON_TRUE; return scan_literal(p, "true", 4);
    case 'f': *type = TM_JSON_FALSE; return scan_literal(p, "false", 5);
    case 'n': *type = TM_JSON_NULL; return scan_literal(p, "null", 4);
    default:
        *type = TM_JSON_NUMBER;
        if (p->s[p->i] == '-' || (p->s[p->i] >= '0' && p->s[p->i] <= '9')) return scan_number(p);
        return fail(p, "expected a value");
    }
}

int tmi_json_scan_object(const char *s, size_t n, tm_json_scan *sc) {
    parser p = {(const unsigned char *)s, n, 0, sc, NULL, 0};
    for (int t = 0; t < sc->n_targets; t++) sc->hit[t].type = TM_JSON_NONE;
    sc->err = NULL;
    sc->err_at = 0;
    sc->n_members = 0;
    skip_ws(&p);
    if (p.i >= n || p.s[p.i] != '{') {
        fail(&p, p.i >= n ? "empty record" : "expected '{'");
        goto error;
    }
    sc->obj_beg = p.i;
    unsigned mask = 0;
    for (int t = 0; t < sc->n_targets && t < TM_JSON_MAX_TARGETS; t++)
        if (sc->target[t] && sc->target[t]->n > 0) mask |= 1u << t;
    if (scan_object(&p, mask, 0)) goto error;
    sc->obj_end = p.i - 1;
    skip_ws(&p);
    if (p.i != n) {
        fail(&p, "trailing characters after the object");
        goto error;
    }
    return 0;
error:
    sc->err = p.err;
    sc->err_at = p.err_at;
    return -1;
}

void tmi_json_path_parse(tm_json_path *p, const char *dotted) {
    p->n = 0;
    if (!dotted || !*dotted) return;
    const char *s = dotted;
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        if (p->n == TM_JSON_MAX_PATH) {
            p->n = 0;
            return;
        }
        p->comp[p->n] = s;
        p->len[p->n] = len;
        p->n++;
        if (!dot) break;
        s = dot + 1;
    }
}

static size_t put_utf8(char *o, uint32_t cp) {
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static uint32_t hex4(const unsigned char *s) {
    return (uint32_t)(hexval(s[0]) << 12 | hexval(s[1]) << 8 | hexval(s[2]) << 4 | hexval(s[3]));
}

tm_error tmi_json_unescape(const char *str, size_t n, tm_buf *out) {
    /* decoded output never exceeds the input length */
    if (out->cap < out->len + n + 1 && tmi_buf_reserve(out, n)) return TM_ERR_NOMEM;
    const unsigned char *s = (const unsigned char *)str, *e = s + n;
    char *o = out->data + out->len;
    while (s < e) {
        const unsigned char *bs = memchr(s, '\\', (size_t)(e - s));
        size_t run = (size_t)((bs ? bs : e) - s);
        memcpy(o, s, run);
        o += run;
        s += run;
        if (!bs) break;
        if (e - s < 2) return TM_ERR_JSON;
        unsigned char c = s[1];
        s += 2;
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            if (e - s < 4) return TM_ERR_JSON;
            uint32_t cp = hex4(s);
            s += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                /* a high surrogate needs a low one right after */
                if (e - s >= 6 && s[0] == '\\' && s[1] == 'u') {
                    uint32_t lo = hex4(s + 2);
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        s += 6;
                    } else {
                        cp = 0xFFFD;
                    }
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            /* "\uXXXX" (6 bytes) always has room for up to 3 output bytes;
             * a pair (12 bytes) for 4. */
            o += put_utf8(o, cp);
            break;
        }
        default: return TM_ERR_JSON;
        }
    }
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
    return TM_OK;
}

/* Object members and array elements are iterated alike: past the opening
 * bracket (when there is one), then item by item, each after one comma. */
static void iter_init(tm_json_iter *it, const char *s, size_t n, char open) {
    parser p = {(const unsigned char *)s, n, 0, NULL, NULL, 0};
    skip_ws(&p);
    if (p.i < n && s[p.i] == open) p.i++;
    it->s = s;
    it->n = n;
    it->pos = p.i;
    it->first = 1;
}

/* A parser at the start of the next item (whitespace and separator skipped). */
static parser iter_item(tm_json_iter *it) {
    parser p = {(const unsigned char *)it->s, it->n, it->pos, NULL, NULL, 0};
    skip_ws(&p);
    if (!it->first && p.i < p.n && p.s[p.i] == ',') {
        p.i++;
        skip_ws(&p);
    }
    it->first = 0;
    return p;
}

void tmi_json_iter_init(tm_json_iter *it, const char *s, size_t n) {
    iter_init(it, s, n, '{');
}

int tmi_json_iter_next(tm_json_iter *it, tm_json_member *m) {
    parser p = iter_item(it);
    int type;
    if (p.i >= p.n || p.s[p.i] != '"') goto end;
    m->key_beg = p.i;
    if (scan_string(&p, NULL)) goto end;
    m->key_end = p.i;
    skip_ws(&p);
    if (p.i >= p.n || p.s[p.i] != ':') goto end;
    p.i++;
    skip_ws(&p);
    m->val_beg = p.i;
    if (scan_value(&p, 0, 1, &type)) goto end;
    m->val_end = p.i;
    it->pos = p.i;
    return 1;
end:
    it->pos = it->n;
    return 0;
}

void tmi_json_elems_init(tm_json_iter *it, const char *s, size_t n) {
    iter_init(it, s, n, '[');
}

int tmi_json_elems_next(tm_json_iter *it, size_t *beg, size_t *end) {
    parser p = iter_item(it);
    int type;
    if (p.i >= p.n || p.s[p.i] == ']') goto end;
    *beg = p.i;
    if (scan_value(&p, 0, 1, &type)) goto end;
    *end = p.i;
    it->pos = p.i;
    return 1;
end:
    it->pos = it->n;
    return 0;
}
