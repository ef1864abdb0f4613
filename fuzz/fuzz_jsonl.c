/*
 * fuzz_jsonl.c — libFuzzer target for the JSONL record parser.
 *
 * The input is cut into lines like a JSONL file and every line goes through
 * tmi_parse_raw (the parsing half of the reader, io/io.h), once with the text
 * at "text" and once at the nested path "doc.body". jansson is the oracle:
 * when it accepts a line as a JSON object (the line is then valid UTF-8 with
 * no lone surrogates) and the field is a string, tamis must accept the line
 * and decode exactly the same bytes, NULs included. Whatever tamis accepts
 * must come out of tm_doc_to_jsonl (with and without a replaced text and
 * extra "tamis" members) as JSON that jansson parses back to the same text;
 * whatever it refuses must make a rejects line jansson can parse. Any
 * difference calls abort(), which libFuzzer reports as a crash.
 */
#include "io/io.h"
#include "tamis.h"
#include "util/buf.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_jsonl: check failed at line %d: %s\n", __LINE__, #cond);         \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Deepest array/object nesting of v, to tell a documented depth cap apart
 * from a real disagreement. */
static int json_depth(const json_t *v) {
    int d = 0;
    if (json_is_object(v)) {
        const char *k;
        json_t *c;
        json_object_foreach((json_t *)v, k, c) {
            int cd = json_depth(c);
            if (cd > d) d = cd;
        }
        return d + 1;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c) {
            int cd = json_depth(c);
            if (cd > d) d = cd;
        }
        return d + 1;
    }
    return 0;
}

/* The string at a dotted path of up to two components, or NULL. */
static json_t *lookup(json_t *root, const char *a, const char *b) {
    json_t *v = json_object_get(root, a);
    if (v && b) v = json_is_object(v) ? json_object_get(v, b) : NULL;
    return v;
}

static void check_line(const char *line, size_t len, uint64_t lineno, const char *field,
                       const char *a, const char *b, tm_parse_scratch *sc) {
    tm_reader_opts o;
    tm_reader_opts_init(&o);
    o.format = TM_FMT_JSONL;
    o.text_field = field;

    tm_raw raw;
    memset(&raw, 0, sizeof raw);
    raw.data = line;
    raw.len = len;
    raw.source = "fuzz.jsonl";
    raw.line = lineno;
    raw.format = TM_FMT_JSONL;

    tm_doc doc;
    memset(&doc, 0, sizeof doc);
    char detail[256] = "";
    tm_error e = tmi_parse_raw(&raw, &o, &doc, sc, detail, sizeof detail);
    CHECK(e == TM_OK || e == TM_ERR_JSON || e == TM_ERR_FIELD);

    json_error_t jerr;
    json_t *root = json_loadb(line, len, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &jerr);
    json_t *want = root && json_is_object(root) ? lookup(root, a, b) : NULL;
    /* tamis refuses nesting deeper than 512 levels (io/json_scan.c), jansson
     * allows 2048: in between, only the absence of crashes is checked. */
    int comparable = want && json_is_string(want) && json_depth(root) <= 500;
    /* A raw NUL byte is never valid JSON (RFC 8259: not whitespace, and a
     * control character inside strings), but jansson's lexer skips one that
     * follows a literal or number ("false\0,"): on such lines jansson is not
     * the oracle, and tamis must reject. */
    int has_nul = memchr(line, '\0', len) != NULL;
    if (has_nul) {
        CHECK(e != TM_OK);
        comparable = 0;
    }

    tm_buf out = {0};
    if (e == TM_OK) {
        CHECK(tm_utf8_valid_prefix(doc.text.ptr, doc.text.len) == doc.text.len);
        CHECK(doc.has_id || doc.id.len > 0);
        if (comparable) {
            CHECK(doc.text.len == json_string_length(want));
            CHECK(memcmp(doc.text.ptr, json_string_value(want), doc.text.len) == 0);
        }
        /* The document written back must be JSON carrying the same text. */
        CHECK(tm_doc_to_jsonl(&doc, NULL, 0, NULL, 0, &out) == TM_OK);
        json_t *back =
            json_loadb(out.data, out.len, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &jerr);
        if (comparable) {
            CHECK(back != NULL);
            json_t *t = lookup(back, a, b);
            CHECK(t && json_is_string(t) && json_string_length(t) == doc.text.len &&
                  memcmp(json_string_value(t), doc.text.ptr, doc.text.len) == 0);
        }
        json_decref(back);
        /* Replaced text and merged tamis members. */
        tmi_buf_reset(&out);
        static const char members[] = "\"fuzz\":1,\"lang\":\"xx\"";
        CHECK(tm_doc_to_jsonl(&doc, "new\ntext", 8, members, sizeof members - 1, &out) == TM_OK);
        back = json_loadb(out.data, out.len, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &jerr);
        if (comparable) {
            CHECK(back != NULL);
            json_t *t = lookup(back, a, b);
            CHECK(t && json_is_string(t) && strcmp(json_string_value(t), "new\ntext") == 0);
            /* An input "tamis" member of another type may be kept as is. */
            if (!json_object_get(root, "tamis")) {
                json_t *tm = json_object_get(back, "tamis");
                CHECK(tm && json_is_object(tm));
                CHECK(json_real_value(json_object_get(tm, "fuzz")) == 1.0);
            }
        }
        json_decref(back);
    } else {
        CHECK(!comparable);
        CHECK(detail[0] != '\0');
        CHECK(tm_reject_to_jsonl(&doc, e, detail, &out) == TM_OK);
        json_t *rej = json_loadb(out.data, out.len, JSON_ALLOW_NUL, &jerr);
        if (!rej)
            fprintf(stderr, "fuzz_jsonl: bad rejects line (%s): %.*s\n", jerr.text, (int)out.len,
                    out.data);
        CHECK(rej != NULL && json_is_object(rej));
        CHECK(json_is_string(json_object_get(rej, "reason")));
        json_decref(rej);
    }
    tm_buf_free(&out);
    json_decref(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    tm_parse_scratch sc;
    memset(&sc, 0, sizeof sc);
    const char *p = (const char *)data, *end = p + size;
    uint64_t lineno = 1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        /* A heap copy of exactly the line, so ASan catches any read past it. */
        char *line = malloc(len ? len : 1);
        CHECK(line != NULL);
        memcpy(line, p, len);
        check_line(line, len, lineno, "text", "text", NULL, &sc);
        check_line(line, len, lineno, "doc.body", "doc", "body", &sc);
        free(line);
        p += len + 1;
        lineno++;
    }
    tmi_parse_scratch_free(&sc);
    return 0;
}
