/*
 * c4.c — the C4 line filter as datatrove's C4QualityFilter runs it
 * (quality-signals.md §5.2): a transformer that drops lines and may flag the
 * whole document, in a fixed order per line — long word, citation removal,
 * terminal punctuation, minimum words, "lorem ipsum" (document), javascript,
 * '{' (document), policy phrases — so that a line already dropped can no
 * longer flag the document.
 *
 * The reference lowercases with str.lower() before its substring tests; all
 * phrases are ASCII, and the only non-ASCII code point whose lowercase is an
 * ASCII letter usable in them is KELVIN SIGN (U+212A -> 'k'), so an ASCII
 * fold plus that one mapping gives the same matches without a Unicode
 * lowercase pass. Sentences are counted with a punctuation heuristic instead
 * of spaCy's sentencizer (docs/SIGNALS.md).
 */
#include "signals/signals.h"

#include "util/buf.h"

#include <string.h>

void tm_c4_opts_init(tm_c4_opts *o) {
    o->terminal_punct = 1;
    o->min_words_per_line = 3;
    o->max_word_length = 1000;
    o->javascript = 1;
    o->policy = 1;
    o->citations = 1;
    o->lorem_ipsum = 1;
    o->curly_bracket = 1;
}

static const char *const policy_phrases[] = {"terms of use", "privacy policy", "cookie policy",
                                             "uses cookies", "use of cookies", "use cookies"};

static int is_space_cp(int32_t cp) {
    return cp < 0x80 ? (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) : tm_is_space(cp);
}

/* Deletes \[\d*\]|\[edit\]|\[citation needed\] (Python re, leftmost match,
 * alternatives in that order); returns the number of deletions. */
static size_t remove_citations(const char *p, size_t n, tm_buf *out) {
    size_t i = 0, count = 0, copied = 0;
    tm_buf_reset(out);
    while (i < n) {
        const char *q = memchr(p + i, '[', n - i);
        if (!q) break;
        size_t at = (size_t)(q - p), j = at + 1, end = 0;
        while (j < n) {
            int32_t cp;
            size_t k = tm_utf8_decode(p + j, n - j, &cp);
            if (!tm_is_decimal(cp)) break;
            j += k;
        }
        if (j < n && p[j] == ']')
            end = j + 1;
        else if (n - at >= 6 && memcmp(p + at, "[edit]", 6) == 0)
            end = at + 6;
        else if (n - at >= 17 && memcmp(p + at, "[citation needed]", 17) == 0)
            end = at + 17;
        if (end) {
            tm_buf_append(out, p + copied, at - copied);
            copied = end;
            count++;
            i = end;
        } else {
            i = at + 1;
        }
    }
    tm_buf_append(out, p + copied, n - copied);
    return count;
}

static void ascii_lower(const char *p, size_t n, tm_buf *out) {
    tm_buf_reset(out);
    if (tm_buf_reserve(out, n)) return;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == 0xE2 && i + 2 < n && (unsigned char)p[i + 1] == 0x84 &&
            (unsigned char)p[i + 2] == 0xAA) { /* U+212A KELVIN SIGN */
            out->data[o++] = 'k';
            i += 2;
            continue;
        }
        out->data[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out->len = o;
    out->data[o] = '\0';
}

static int contains(const tm_buf *b, const char *needle) {
    return b->len && memmem(b->data, b->len, needle, strlen(needle)) != NULL;
}

/* Sentences of a line: each run of terminal punctuation followed by
 * whitespace or the end closes one; trailing text without one is one more. */
static size_t count_sentences(const char *p, size_t n) {
    size_t i = 0, count = 0;
    int content = 0;
    while (i < n) {
        int32_t cp;
        size_t k = tm_utf8_decode(p + i, n - i, &cp);
        if (tm_is_terminal_punct(cp)) {
            size_t j = i + k;
            while (j < n) {
                size_t kk = tm_utf8_decode(p + j, n - j, &cp);
                if (!tm_is_terminal_punct(cp)) break;
                j += kk;
            }
            int32_t nx = 0;
            if (j < n) tm_utf8_decode(p + j, n - j, &nx);
            if (content && (j == n || is_space_cp(nx))) {
                count++;
                content = 0;
            }
            i = j;
            continue;
        }
        if (!is_space_cp(cp)) content = 1;
        i += k;
    }
    return count + (size_t)content;
}

tm_error tm_c4_run(tm_scorer *s, const char *text, size_t len, const tm_c4_opts *o, tm_buf *out,
                   tm_c4_result *r) {
    tm_spans lines = s->c4lines;
    tm_buf line = s->c4line, lower = s->c4lower;
    memset(r, 0, sizeof *r);
    tm_buf_reset(out);
    if (!text) text = "";
    tm_error e = tm_split_pylines(text, len, &lines);
    if (e) goto done;
    r->n_lines = lines.n;
    int first = 1;
    for (size_t li = 0; li < lines.n; li++) {
        size_t b = lines.v[li].beg, en = lines.v[li].end;
        tm_strip(text, &b, &en);
        /* words = line.split(): count and longest, before citation removal */
        size_t words = 0, longest = 0, cur = 0, i = b;
        while (i < en) {
            int32_t cp;
            i += tm_utf8_decode(text + i, en - i, &cp);
            if (is_space_cp(cp)) {
                cur = 0;
            } else {
                if (cur++ == 0) words++;
                if (cur > longest) longest = cur;
            }
        }
        if (o->max_word_length > 0 && longest > (size_t)o->max_word_length) {
            r->long_word_lines++;
            continue;
        }
        if (o->citations) {
            r->citations += remove_citations(text + b, en - b, &line);
        } else {
            tm_buf_reset(&line);
            tm_buf_append(&line, text + b, en - b);
        }
        if (tm_buf_reserve(&line, 1)) {
            e = TM_ERR_NOMEM;
            goto done;
        }
        const char *lp = line.data ? line.data : "";
        size_t ll = line.len;
        if (o->terminal_punct) {
            char c = ll ? lp[ll - 1] : 0;
            int ok = c == '.' || c == '?' || c == '!' || c == '"' || c == '\'';
            if (!ok || (ll >= 3 && memcmp(lp + ll - 3, "...", 3) == 0)) {
                r->no_terminal_punct_lines++;
                continue;
            }
        }
        if (o->min_words_per_line > 0 && words < (size_t)o->min_words_per_line) {
            r->few_words_lines++;
            continue;
        }
        ascii_lower(lp, ll, &lower);
        if (o->lorem_ipsum && contains(&lower, "lorem ipsum")) {
            if (!r->first_doc_flag) r->first_doc_flag = 1;
            r->lorem_ipsum = 1;
        }
        if (o->javascript && contains(&lower, "javascript")) {
            r->javascript_lines++;
            continue;
        }
        if (o->curly_bracket && ll && memchr(lp, '{', ll)) {
            if (!r->first_doc_flag) r->first_doc_flag = 2;
            r->curly_bracket = 1;
        }
        if (o->policy) {
            size_t k;
            for (k = 0; k < sizeof policy_phrases / sizeof *policy_phrases; k++)
                if (contains(&lower, policy_phrases[k])) break;
            if (k < sizeof policy_phrases / sizeof *policy_phrases) {
                r->policy_lines++;
                continue;
            }
        }
        r->kept_lines++;
        r->n_sentences += count_sentences(lp, ll);
        if (!first && (e = tm_buf_putc(out, '\n'))) goto done;
        if ((e = tm_buf_append(out, lp, ll))) goto done;
        first = 0;
    }
    /* "\n".join(kept).strip() */
    {
        size_t b = 0, en = out->len;
        if (out->data) {
            tm_strip(out->data, &b, &en);
            memmove(out->data, out->data + b, en - b);
            out->len = en - b;
            out->data[out->len] = '\0';
        }
    }
done:
    /* hand the grown scratch back for the next document */
    s->c4lines = lines;
    s->c4line = line;
    s->c4lower = lower;
    return e;
}
