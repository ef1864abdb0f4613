/*
 * fuzz_text.c — libFuzzer target for the text layer.
 *
 * Arbitrary bytes go through tm_utf8_repair, and the repaired text through
 * every consumer of the text layer. Invariants checked (abort on failure):
 * repair output is valid UTF-8 and counts one U+FFFD per replacement;
 * repairing valid text is the identity; normalisation with several flag
 * sets gives valid UTF-8, and with TM_NORM_WS has no leading, trailing or
 * doubled space; tokens, lines and words are non-empty (where the
 * convention says so), inside the text, ordered and non-overlapping, and
 * tokens contain no whitespace and start on code-point boundaries; the
 * token iterator agrees with tmi_tokenize; NLTK tokens (text/nltk.h) are
 * non-empty, space-free, valid UTF-8 and one space apart in their buffer,
 * and text with a non-space code point has at least one Punkt sentence;
 * shingle counts follow from the token and code-point counts.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc
 *        fuzz/fuzz_text.c <libtamis objects> -lutf8proc -lxxhash ...
 */
#include "text/nltk.h"
#include "text/text.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) abort();                                                                         \
    } while (0)

static int is_boundary(const char *s, size_t len, size_t i) {
    return i == len || ((unsigned char)s[i] & 0xC0) != 0x80;
}

static void check_spans(const char *s, size_t len, const tm_spans *sp, int allow_empty) {
    size_t prev = 0;
    for (size_t i = 0; i < sp->n; i++) {
        CHECK(sp->v[i].beg >= prev);
        CHECK(sp->v[i].beg <= sp->v[i].end);
        CHECK(sp->v[i].end <= len);
        CHECK(allow_empty || sp->v[i].end > sp->v[i].beg);
        CHECK(is_boundary(s, len, sp->v[i].beg) && is_boundary(s, len, sp->v[i].end));
        prev = sp->v[i].end;
    }
}

static size_t count_replacements(const char *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i + 3 <= len; i++)
        if (memcmp(s + i, "\xEF\xBF\xBD", 3) == 0) n++;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *in = (const char *)data;
    tm_buf text = {0}, again = {0}, norm = {0};
    tm_spans sp = {0};
    tm_u64s sh = {0};
    size_t nrep = 0;

    if (tm_utf8_repair(in, size, &text, &nrep) != TM_OK) abort();
    const char *s = text.data ? text.data : "";
    size_t len = text.len;
    CHECK(tm_utf8_valid_prefix(s, len) == len);
    CHECK(count_replacements(s, len) == count_replacements(in, size) + nrep);
    if (tm_utf8_valid_prefix(in, size) == size) CHECK(nrep == 0 && len == size);
    /* repair is idempotent */
    size_t nrep2 = 1;
    CHECK(tm_utf8_repair(s, len, &again, &nrep2) == TM_OK);
    CHECK(nrep2 == 0 && again.len == len && (len == 0 || memcmp(again.data, s, len) == 0));
    size_t ncp = tmi_utf8_count(s, len);
    CHECK(ncp <= len);

    static const int flag_sets[] = {
        TM_NORM_NFC,
        TM_NORM_NFKC,
        TM_NORM_NFC | TM_NORM_CASEFOLD,
        TM_NORM_WS,
        TM_NORM_NFKC | TM_NORM_CASEFOLD | TM_NORM_WS | TM_NORM_PUNCT | TM_NORM_DIGITS,
        TM_NORM_PUNCT | TM_NORM_DIGITS,
    };
    for (size_t k = 0; k < sizeof flag_sets / sizeof flag_sets[0]; k++) {
        tmi_buf_reset(&norm);
        CHECK(tm_normalize(s, len, flag_sets[k], &norm) == TM_OK);
        CHECK(tm_utf8_valid_prefix(norm.data, norm.len) == norm.len);
        if (flag_sets[k] & TM_NORM_WS) {
            CHECK(norm.len == 0 || (norm.data[0] != ' ' && norm.data[norm.len - 1] != ' '));
            for (size_t i = 1; i < norm.len; i++)
                CHECK(norm.data[i] != ' ' || norm.data[i - 1] != ' ');
            /* WS-normalised text is a fixed point of TM_NORM_WS */
            tmi_buf_reset(&again);
            CHECK(tm_normalize(norm.data, norm.len, TM_NORM_WS, &again) == TM_OK);
            CHECK(again.len == norm.len &&
                  (norm.len == 0 || !memcmp(again.data, norm.data, norm.len)));
        }
    }
    tmi_buf_reset(&norm);
    CHECK(tmi_lower(s, len, &norm) == TM_OK);
    CHECK(tm_utf8_valid_prefix(norm.data, norm.len) == norm.len);
    (void)tmi_str_isupper(s, len);

    /* tokens */
    CHECK(tmi_tokenize(s, len, &sp) == TM_OK);
    check_spans(s, len, &sp, 0);
    size_t ntok = sp.n;
    for (size_t i = 0; i < sp.n; i++) {
        for (size_t q = sp.v[i].beg; q < sp.v[i].end;) {
            int32_t cp;
            q += tmi_utf8_decode(s + q, sp.v[i].end - q, &cp);
            CHECK(!tmi_is_space(cp));
        }
    }
    {
        size_t pos = 0, k = 0;
        tm_span t;
        while (tmi_token_next(s, len, &pos, &t)) {
            CHECK(k < sp.n && t.beg == sp.v[k].beg && t.end == sp.v[k].end);
            k++;
        }
        CHECK(k == ntok && tmi_count_tokens(s, len) == ntok);
    }

    /* datatrove's English tokens and Punkt sentences */
    {
        tm_nltk nk = {0};
        tm_buf nb = {0};
        tm_spans nt = {0};
        CHECK(tmi_nltk_words(&nk, s, len, &nb, &nt) == TM_OK);
        CHECK(tm_utf8_valid_prefix(nb.data ? nb.data : "", nb.len) == nb.len);
        check_spans(nb.data ? nb.data : "", nb.len, &nt, 0);
        for (size_t i = 0; i < nt.n; i++) {
            CHECK(nt.v[i].beg == (i ? nt.v[i - 1].end + 1 : 0));
            for (size_t q = nt.v[i].beg; q < nt.v[i].end;) {
                int32_t cp;
                q += tmi_utf8_decode(nb.data + q, nt.v[i].end - q, &cp);
                CHECK(!tmi_is_space(cp));
            }
        }
        CHECK(nt.n ? nt.v[nt.n - 1].end == nb.len : nb.len == 0);
        size_t nsent = 0;
        CHECK(tmi_nltk_count_sentences(&nk, s, len, &nsent) == TM_OK);
        CHECK(!tmi_has_nonspace(s, len) || nsent >= 1);
        CHECK(!nt.n || tmi_has_nonspace(s, len));
        tmi_nltk_free(&nk);
        tm_buf_free(&nb);
        tmi_spans_free(&nt);
    }

    /* lines and words */
    CHECK(tmi_split_pylines(s, len, &sp) == TM_OK);
    check_spans(s, len, &sp, 1);
    CHECK(tmi_split_lf(s, len, &sp) == TM_OK);
    check_spans(s, len, &sp, 1);
    CHECK(sp.n >= 1);
    CHECK(tmi_split_lf_incl(s, len, &sp) == TM_OK);
    check_spans(s, len, &sp, 0);
    CHECK(tmi_split_lf_runs(s, len, &sp) == TM_OK);
    check_spans(s, len, &sp, 0);
    CHECK(tmi_split_paragraphs(s, len, &sp) == TM_OK);
    check_spans(s, len, &sp, 0);
    CHECK(tmi_split_ws(s, len, &sp) == TM_OK);
    check_spans(s, len, &sp, 0);
    for (size_t i = 0; i < sp.n; i++) {
        size_t b = sp.v[i].beg, e = sp.v[i].end;
        tmi_strip(s, &b, &e);
        CHECK(b == sp.v[i].beg && e == sp.v[i].end); /* words have no edge space */
    }
    {
        size_t b = 0, e = len;
        tmi_strip(s, &b, &e);
        CHECK(b <= e && e <= len && is_boundary(s, len, b) && is_boundary(s, len, e));
    }

    /* shingles */
    for (int n = 1; n <= 5; n += 2) {
        CHECK(tmi_shingle_words(s, len, n, 42, &sh) == TM_OK);
        CHECK(sh.n == (ntok == 0 ? 0 : ntok < (size_t)n ? 1 : ntok - (size_t)n + 1));
        CHECK(tmi_shingle_chars(s, len, n, 42, &sh) == TM_OK);
        CHECK(sh.n <= (ncp < (size_t)n ? 1 : ncp - (size_t)n + 1));
    }
    double f = tmi_nospace_fraction(s, len);
    CHECK(f >= 0.0 && f <= 1.0);

    tm_buf_free(&text);
    tm_buf_free(&again);
    tm_buf_free(&norm);
    tmi_spans_free(&sp);
    tmi_u64s_free(&sh);
    return 0;
}
