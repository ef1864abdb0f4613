/*
 * test_signals.c — known-answer tests of every quality signal.
 *
 * The datatrove-family vectors T1–T3 of quality-signals.md §12 are checked
 * with the spec's own token list (Python text.split(), i.e. tmi_split_ws), so
 * that they test the counting logic independently of the tamis tokenizer;
 * the other vectors were worked out by hand from the definitions in
 * docs/SIGNALS.md.
 */
#include "testutil.h"

#include "langid/sample.h"
#include "signals/signals.h"

#define EPS 1e-6

static const char T1[] = "The cat sat on the mat.\nThe cat sat on the mat.\n\nIt was happy... and "
                         "warm\n- item one\n- item one\n# tag";
static const char T2[] = "I am Frank, I am Frank, I am Frank";
static const char T3[] = "Caf\xC3\xA9 au lait. \xC3\x87"
                         "a co\xC3\xBBte 3,50 \xE2\x82\xAC!\r\nDEUX "
                         "CAF\xC3\x89S, SVP.\n";

/* All signals of text with whitespace tokens (or the tamis tokenizer). */
static void score_ws(const char *text, size_t len, const char *lang, double *v) {
    tm_scorer *s;
    tm_spans toks = {0};
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(tmi_split_ws(text, len, &toks), TM_OK);
    for (int i = 0; i < TM_SIG_COUNT; i++) v[i] = -1;
    assert_int_equal(tmi_signals_compute_tokens(s, text, len, &toks, lang, 0, TM_SIG_ALL, v),
                     TM_OK);
    tmi_spans_free(&toks);
    tm_scorer_free(s);
}

static void test_t1(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    assert_int_equal(strlen(T1), 101); /* ASCII: bytes = code points */
    score_ws(T1, strlen(T1), "en", v);
    /* Gopher repetition */
    assert_close(v[TM_SIG_GR_DUP_PARA_FRAC], 0.0, EPS);
    assert_close(v[TM_SIG_GR_DUP_PARA_CHAR_FRAC], 0.0, EPS);
    assert_close(v[TM_SIG_GR_DUP_LINE_FRAC], 2.0 / 6, EPS);
    assert_close(v[TM_SIG_GR_DUP_LINE_CHAR_FRAC], 33.0 / 101, EPS);
    assert_close(v[TM_SIG_GR_TOP_2GRAM], 0.138614, EPS);
    assert_close(v[TM_SIG_GR_TOP_3GRAM], 0.217822, EPS);
    assert_close(v[TM_SIG_GR_TOP_4GRAM], 0.277228, EPS);
    assert_close(v[TM_SIG_GR_DUP_5GRAM], 0.138614, EPS);
    assert_close(v[TM_SIG_GR_DUP_6GRAM], 0.178218, EPS);
    for (int n = 7; n <= 10; n++) assert_close(v[TM_SIG_GR_DUP_5GRAM + n - 5], 0.0, EPS);
    /* Gopher quality */
    assert_close(v[TM_SIG_GQ_N_WORDS], 25, EPS);
    assert_close(v[TM_SIG_GQ_N_NON_SYMBOL_WORDS], 22, EPS);
    assert_close(v[TM_SIG_GQ_MEAN_WORD_LENGTH], 3.318182, EPS);
    assert_close(v[TM_SIG_GQ_HASH_RATIO], 0.04, EPS);
    assert_close(v[TM_SIG_GQ_ELLIPSIS_RATIO], 0.04, EPS);
    assert_close(v[TM_SIG_GQ_BULLET_LINE_FRAC], 0.285714, EPS);
    assert_close(v[TM_SIG_GQ_ELLIPSIS_LINE_FRAC], 0.0, EPS);
    assert_close(v[TM_SIG_GQ_ALPHA_WORD_FRAC], 0.88, EPS);
    assert_close(v[TM_SIG_GQ_STOP_WORDS], 2, EPS); /* the, and; "The" does not count */
    /* FineWeb */
    assert_close(v[TM_SIG_FW_LINE_PUNCT_RATIO], 0.333333, EPS);
    assert_close(v[TM_SIG_FW_SHORT_LINE_RATIO], 1.0, EPS);
    assert_close(v[TM_SIG_FW_CHAR_DUP_RATIO], 0.347368, EPS);
    assert_close(v[TM_SIG_FW_LIST_RATIO], 0.24, EPS);
}

static void test_t2(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    score_ws(T2, strlen(T2), "en", v);
    assert_close(v[TM_SIG_GR_TOP_2GRAM], 0.352941, EPS);
    assert_close(v[TM_SIG_GR_TOP_3GRAM], 0.647059, EPS); /* tie: earliest "I am Frank," */
    assert_close(v[TM_SIG_GR_TOP_4GRAM], 0.764706, EPS);
    assert_close(v[TM_SIG_GR_DUP_5GRAM], 0.352941, EPS);
    for (int n = 6; n <= 10; n++) assert_close(v[TM_SIG_GR_DUP_5GRAM + n - 5], 0.0, EPS);
}

static void test_t3(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    score_ws(T3, strlen(T3), "fr", v);
    assert_close(v[TM_SIG_FW_LINE_PUNCT_RATIO], 0.5, EPS); /* first line ends with CR */
    assert_close(v[TM_SIG_FW_SHORT_LINE_RATIO], 0.5, EPS);
    assert_close(v[TM_SIG_FW_CHAR_DUP_RATIO], 0.0, EPS);
    assert_close(v[TM_SIG_FW_LIST_RATIO], 0.2, EPS);
    assert_close(v[TM_SIG_GQ_ALPHA_WORD_FRAC], 0.8, EPS);
    assert_close(v[TM_SIG_GQ_MEAN_WORD_LENGTH], 3.8, EPS);
}

/* Empty and whitespace-only text: every signal defined, no NaN. */
static void test_empty(void **state) {
    (void)state;
    const char *texts[] = {"", " \n\n \t"};
    for (size_t k = 0; k < 2; k++) {
        double v[TM_SIG_COUNT];
        score_ws(texts[k], strlen(texts[k]), NULL, v);
        for (int i = 0; i < TM_SIG_COUNT; i++) {
            assert_false(isnan(v[i]));
            if (i != TM_SIG_C4_N_LINES && i != TM_SIG_GQ_N_WORDS &&
                i != TM_SIG_C4_FEW_WORDS_LINES && i != TM_SIG_C4_NO_TERMINAL_PUNCT_LINES &&
                i != TM_SIG_GR_DUP_LINE_FRAC)
                assert_close(v[i], 0.0, EPS);
        }
    }
    double v[TM_SIG_COUNT];
    /* " \n\n \t": lines (re.split("\n+")) are " " and " \t": no duplicate */
    score_ws(" \n\n \t", 5, NULL, v);
    assert_close(v[TM_SIG_GR_DUP_LINE_FRAC], 0.0, EPS);
    assert_close(v[TM_SIG_C4_N_LINES], 3, EPS);
}

/* Line conventions: leading/trailing LF give empty lines that duplicate. */
static void test_gopher_lines(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    score_ws("\na\n\nb\n", 6, NULL, v); /* ["", "a", "b", ""] */
    assert_close(v[TM_SIG_GR_DUP_LINE_FRAC], 0.25, EPS);
    assert_close(v[TM_SIG_GR_DUP_LINE_CHAR_FRAC], 0.0, EPS);
    /* paragraphs after strip: "a", "b" */
    assert_close(v[TM_SIG_GR_DUP_PARA_FRAC], 0.0, EPS);
    /* "x\n\nx\n\nx": paragraphs x,x,x -> 2/3, chars 2/7 */
    score_ws("x\n\nx\n\nx", 7, NULL, v);
    assert_close(v[TM_SIG_GR_DUP_PARA_FRAC], 2.0 / 3, EPS);
    assert_close(v[TM_SIG_GR_DUP_PARA_CHAR_FRAC], 2.0 / 7, EPS);
    /* "\r\n\r\n" does not separate paragraphs */
    score_ws("x\r\n\r\nx", 6, NULL, v);
    assert_close(v[TM_SIG_GR_DUP_PARA_FRAC], 0.0, EPS);
}

/* Ellipsis counting and bullets (§3 rules 6-8). */
static void test_gopher_symbols(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    /* tokens: "a....", "b......", "c\xE2\x80\xA6", "d" : 1 + 2 + 1 = 4 / 4 */
    const char *t = "a.... b......\n- c\xE2\x80\xA6\n \xE2\x80\xA2 d";
    score_ws(t, strlen(t), NULL, v);
    assert_close(v[TM_SIG_GQ_N_WORDS], 6, EPS);
    assert_close(v[TM_SIG_GQ_ELLIPSIS_RATIO], 4.0 / 6, EPS);
    assert_close(v[TM_SIG_GQ_BULLET_LINE_FRAC], 2.0 / 3, EPS);
    assert_close(v[TM_SIG_GQ_ELLIPSIS_LINE_FRAC], 2.0 / 3, EPS);
    /* "-" is a symbol word; U+2022 is not in datatrove's PUNCTUATION_SET */
    assert_close(v[TM_SIG_GQ_N_NON_SYMBOL_WORDS], 5, EPS);
    assert_close(v[TM_SIG_GQ_ALPHA_WORD_FRAC], 4.0 / 6, EPS);
    /* stop words are exact tokens, counted once each */
    const char *u = "the the The of with to be, that";
    score_ws(u, strlen(u), "en", v);
    assert_close(v[TM_SIG_GQ_STOP_WORDS], 5, EPS); /* the of with to that; not "be," */
}

/* datatrove keys duplicate n-grams by concatenation without separator, so
 * ["ab","c","d","e","f"] and ["a","bc","d","e","f"] collide. */
static void test_dup_ngram_concat(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    const char *t = "ab c d e f a bc d e f";
    score_ws(t, strlen(t), NULL, v);
    assert_close(v[TM_SIG_GR_DUP_5GRAM], 6.0 / 21, EPS);
    /* greedy jump: "a b c d e a b c d e a b c d e": n=5, i=5 found (+5),
     * jump to 10 found (+5) -> 10/29 */
    const char *r = "a b c d e a b c d e a b c d e";
    score_ws(r, strlen(r), NULL, v);
    assert_close(v[TM_SIG_GR_DUP_5GRAM], 10.0 / 29, EPS);
    /* top 2-gram without repetition: first 2-gram, count 1 */
    score_ws("Hello world", 11, NULL, v);
    assert_close(v[TM_SIG_GR_TOP_2GRAM], 1.0, EPS);
    assert_close(v[TM_SIG_GR_TOP_3GRAM], 0.0, EPS); /* fewer than 3 tokens */
}

static void test_tamis_own(void **state) {
    (void)state;
    double v[TM_SIG_COUNT];
    const char *t = "accord accord Accord x , , 1 1";
    score_ws(t, strlen(t), NULL, v);
    /* alpha tokens: accord accord Accord x; doubled: 2 */
    assert_close(v[TM_SIG_TM_DOUBLED_WORD_RATIO], 0.5, EPS);
    const char *u = "\xC3\x89t\xC3\xA9 \xC3\xA9T\xC3\x89 ok";
    score_ws(u, strlen(u), NULL, v);
    assert_close(v[TM_SIG_TM_DOUBLED_WORD_RATIO], 1.0 / 3, EPS);
    /* P1 {abc bcd cde def}, P2 {abc bcd cde deg}: J = 3/5; P3 alone */
    const char *p = "a b c d e f\n\na b c d e g\n\nx y z";
    score_ws(p, strlen(p), NULL, v);
    assert_close(v[TM_SIG_TM_NEAR_DUP_PARA_FRAC], 1.0 / 3, EPS);
    /* {abc bcd cde} vs {abc bcx cxy}: J = 1/5 < 0.5 */
    const char *q = "a b c d e\n\na b c x y";
    score_ws(q, strlen(q), NULL, v);
    assert_close(v[TM_SIG_TM_NEAR_DUP_PARA_FRAC], 0.0, EPS);
    /* short paragraphs compare as one shingle of all their tokens */
    score_ws("hi there\n\nhi there\n\nhi", 22, NULL, v);
    assert_close(v[TM_SIG_TM_NEAR_DUP_PARA_FRAC], 1.0 / 3, EPS);
    tm_scorer *s;
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(tm_signals_compute(s, "x", 1, NULL, 7, TM_SIG_BIT(TM_SIG_TM_INVALID_UTF8), v),
                     TM_OK);
    assert_close(v[TM_SIG_TM_INVALID_UTF8], 7, EPS);
    tm_scorer_free(s);
}

static void test_stopwords_lang(void **state) {
    (void)state;
    if (tm_stopword_count("fr") == 0) skip();
    double v[TM_SIG_COUNT];
    const char *t = "le chat et le chien de la maison Le";
    score_ws(t, strlen(t), "fr", v);
    /* le, et, de, la (distinct; "Le" is not lowercase) + whatever of
     * chat/chien/maison the list holds: at least 4 */
    assert_true(v[TM_SIG_GQ_STOP_WORDS] >= 4);
    int extra = tm_is_stopword("fr", "chat", 4) + tm_is_stopword("fr", "chien", 5) +
                tm_is_stopword("fr", "maison", 6);
    assert_close(v[TM_SIG_GQ_STOP_WORDS], 4 + extra, EPS);
}

/* Under datatrove's NLTK words the tokens live in a buffer of their own
 * (punctuation split off, so offsets differ from the text's): the distinct
 * stop-word count must compare those tokens, not bytes of the text at their
 * offsets (it once did, and counted a repeated stop word again, or not,
 * depending on what the worker's buffers held). */
static void test_stopwords_nltk_words(void **state) {
    (void)state;
    if (tm_stopword_count("fr") == 0) skip();
    const char *t = "\xC2\xAB le chat \xC2\xBB, et le chien (de la maison) ; et le, la de.";
    double v[TM_SIG_COUNT];
    tm_scorer *s;
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < TM_SIG_COUNT; i++) v[i] = -1;
        assert_int_equal(
            tmi_signals_compute_words(s, TM_WORDS_NLTK, t, strlen(t), "fr", 0, TM_SIG_ALL, v),
            TM_OK);
        int extra = tm_is_stopword("fr", "chat", 4) + tm_is_stopword("fr", "chien", 5) +
                    tm_is_stopword("fr", "maison", 6);
        assert_close(v[TM_SIG_GQ_STOP_WORDS], 4 + extra, EPS); /* le, et, de, la */
    }
    tm_scorer_free(s);
}

static void run_c4(const char *text, tm_buf *out, tm_c4_result *r, const tm_c4_opts *o) {
    tm_scorer *s;
    tm_c4_opts d;
    tmi_c4_opts_init(&d);
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(tmi_c4_run(s, text, strlen(text), o ? o : &d, out, r), TM_OK);
    tm_scorer_free(s);
}

static void test_c4(void **state) {
    (void)state;
    tm_buf out = {0};
    tm_c4_result r;
    const char *t = "  Keep this line here.  \n"
                    "Too short.\n"
                    "No terminal punctuation here\n"
                    "This ends with an ellipsis...\n"
                    "Enable JavaScript to view this page.\n"
                    "Read our Privacy Policy now please.\n"
                    "A cited claim is here [12].\n"
                    "A cited claim at the end [1]\n"
                    "Another [edit] fine sentence. And a second one!\n"
                    "Code with { brace after javascript mention.\n";
    run_c4(t, &out, &r, NULL);
    assert_int_equal(r.n_lines, 10);
    assert_int_equal(r.few_words_lines, 1);
    assert_int_equal(r.no_terminal_punct_lines, 3); /* no punct, "...", "[1]" -> "end " */
    assert_int_equal(r.javascript_lines, 2);        /* the '{' line is dropped first */
    assert_int_equal(r.policy_lines, 1);
    assert_int_equal(r.citations, 3);
    assert_int_equal(r.kept_lines, 3);
    assert_int_equal(r.curly_bracket, 0);
    assert_int_equal(r.lorem_ipsum, 0);
    assert_int_equal(r.n_sentences, 4);
    assert_string_equal(out.data, "Keep this line here.\nA cited claim is here .\nAnother  fine "
                                  "sentence. And a second one!");
    /* document flags, first one recorded */
    run_c4("Some { code here.\nLorem ipsum dolor sit.\n", &out, &r, NULL);
    assert_int_equal(r.curly_bracket, 1);
    assert_int_equal(r.lorem_ipsum, 1);
    assert_int_equal(r.first_doc_flag, 2);
    /* a short line never flags the document */
    run_c4("{ x.\n", &out, &r, NULL);
    assert_int_equal(r.curly_bracket, 0);
    /* FineWeb setting: no terminal punctuation rule */
    tm_c4_opts o;
    tmi_c4_opts_init(&o);
    o.terminal_punct = 0;
    run_c4("no punct at all\nour cooKie POLICY line\n", &out, &r, &o);
    assert_int_equal(r.kept_lines, 1);
    assert_int_equal(r.policy_lines, 1);
    assert_string_equal(out.data, "no punct at all");
    run_c4("the coo\xE2\x84\xAAie policy applies\n", &out, &r, &o); /* U+212A lowercases to k */
    assert_int_equal(r.policy_lines, 1);
    assert_int_equal(out.len, 0);
    tm_buf_free(&out);
}

/* ---- the fast paths against plain definitions ---- */

/* datatrove's greedy duplicated n-gram count, straight from the definition
 * (keys compared as strings, O(m^2)), as a fraction of L. */
static double naive_dup(const char *text, const tm_spans *t, size_t n, double L) {
    if (t->n < n || L == 0) return 0;
    size_t m = t->n - n + 1, rep = 0, *seen = malloc(m * sizeof *seen), ns = 0;
    char a[256], b[256];
    for (size_t i = 0; i < m;) {
        size_t la = 0, found = 0;
        for (size_t k = 0; k < n; k++)
            for (size_t x = t->v[i + k].beg; x < t->v[i + k].end; x++) a[la++] = text[x];
        for (size_t q = 0; q < ns && !found; q++) {
            size_t lb = 0, j = seen[q];
            for (size_t k = 0; k < n; k++)
                for (size_t x = t->v[j + k].beg; x < t->v[j + k].end; x++) b[lb++] = text[x];
            found = la == lb && memcmp(a, b, la) == 0;
        }
        if (found) {
            rep += la; /* ASCII: bytes = code points */
            i += n;
        } else {
            seen[ns++] = i++;
        }
    }
    free(seen);
    return (double)rep / L;
}

/* Counter(" ".join(tokens[i:i+n])).most_common(1), earliest on ties. */
static double naive_top(const char *text, const tm_spans *t, size_t n, double L) {
    if (t->n < n || L == 0) return 0;
    size_t m = t->n - n + 1, best = 0, best_c = 0;
    for (size_t i = 0; i < m; i++) {
        size_t c = 0;
        for (size_t j = 0; j < m; j++) {
            size_t k = 0;
            while (k < n &&
                   t->v[i + k].end - t->v[i + k].beg == t->v[j + k].end - t->v[j + k].beg &&
                   memcmp(text + t->v[i + k].beg, text + t->v[j + k].beg,
                          t->v[i + k].end - t->v[i + k].beg) == 0)
                k++;
            c += k == n;
        }
        if (c > best_c) best_c = c, best = i;
    }
    size_t chars = n - 1;
    for (size_t k = 0; k < n; k++) chars += t->v[best + k].end - t->v[best + k].beg;
    return (double)chars * (double)best_c / L;
}

/* The n-gram passes skip windows through bit sets; on streams drawn from a
 * tiny vocabulary whose words concatenate ambiguously ("ab"+"c" = "a"+"bc")
 * every value must equal the plain definition. */
static void test_ngram_filters(void **state) {
    (void)state;
    static const char *const vocab[] = {"a", "b", "ab", "c", "bc", "abc", "d", "cd"};
    char text[4096];
    uint32_t x = 12345;
    for (int round = 0; round < 40; round++) {
        size_t len = 0, ntok = 20 + (size_t)round * 17, nv = 3 + (size_t)round % 6;
        for (size_t i = 0; i < ntok; i++) {
            x = x * 1103515245u + 12345u;
            const char *w = vocab[(x >> 16) % nv];
            if (i) text[len++] = (x >> 8) % 5 ? ' ' : '\n';
            memcpy(text + len, w, strlen(w));
            len += strlen(w);
        }
        double v[TM_SIG_COUNT];
        tm_spans toks = {0};
        assert_int_equal(tmi_split_ws(text, len, &toks), TM_OK);
        score_ws(text, len, NULL, v);
        for (size_t n = 2; n <= 4; n++)
            assert_close(v[TM_SIG_GR_TOP_2GRAM + n - 2], naive_top(text, &toks, n, (double)len),
                         1e-12);
        for (size_t n = 5; n <= 10; n++)
            assert_close(v[TM_SIG_GR_DUP_5GRAM + n - 5], naive_dup(text, &toks, n, (double)len),
                         1e-12);
        tmi_spans_free(&toks);
    }
}

/* Line splitting, stripping, long words and phrases in C4: the signal code
 * has its own fast versions of the text-layer functions. */
/* Plain reference versions of the text layer's table-scan line splitter
 * and ASCII-shortcut strip: decode every code point, as Python does. */
static size_t ref_sep(const unsigned char *p, size_t i, size_t len) {
    unsigned c = p[i];
    if (c == '\r') return (i + 1 < len && p[i + 1] == '\n') ? 2 : 1;
    if ((c >= 0x0A && c <= 0x0C) || (c >= 0x1C && c <= 0x1E)) return 1;
    if (c == 0xC2) return (i + 1 < len && p[i + 1] == 0x85) ? 2 : 0;
    if (c == 0xE2)
        return (i + 2 < len && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) ? 3 : 0;
    return 0;
}

static tm_error ref_pylines(const char *s, size_t len, tm_spans *out) {
    const unsigned char *p = (const unsigned char *)s;
    size_t beg = 0, i = 0;
    out->n = 0;
    while (i < len) {
        size_t k = ref_sep(p, i, len);
        if (!k) {
            i++;
            continue;
        }
        if (tmi_spans_push(out, beg, i)) return TM_ERR_NOMEM;
        i += k;
        beg = i;
    }
    if (beg < len && tmi_spans_push(out, beg, len)) return TM_ERR_NOMEM;
    return TM_OK;
}

static void ref_strip(const char *s, size_t *beg, size_t *end) {
    size_t b = *beg, e = *end;
    while (b < e) {
        int32_t cp;
        size_t n = tmi_utf8_decode(s + b, e - b, &cp);
        if (!tmi_is_space(cp)) break;
        b += n;
    }
    while (e > b) {
        int32_t cp;
        size_t a = e - 1;
        while (a > b && ((unsigned char)s[a] & 0xC0) == 0x80 && e - a < 4) a--;
        tmi_utf8_decode(s + a, e - a, &cp);
        if (!tmi_is_space(cp)) break;
        e = a;
    }
    *beg = b;
    *end = e;
}

static void test_fast_paths(void **state) {
    (void)state;
    static const char *const cases[] = {
        "",
        "a",
        "\n",
        "a\r\nb\rc\x0b"
        "d\x0c"
        "e\x1c"
        "f\x1d"
        "g\x1e"
        "h\x1f"
        "i",
        "x\xC2\x85y\xE2\x80\xA8z\xE2\x80\xA9w\xC2\xA0v\xE2\x80\x8Bu\n\n",
        "\xC2\xA0 \t lead and trail \xE3\x80\x80\xE2\x80\x83 ",
        "\xE2\x80\xA8\xC2\x85",
        "caf\xC3\xA9\r\n\r\n\xE2\x80\xA6 end\xC2",
        "\xE2\x80",
        "  \xC2\xA0  "};
    tm_spans a = {0}, b = {0};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const char *t = cases[c];
        size_t n = strlen(t);
        assert_int_equal(ref_pylines(t, n, &a), TM_OK);
        assert_int_equal(tmi_split_pylines(t, n, &b), TM_OK);
        assert_int_equal(a.n, b.n);
        for (size_t i = 0; i < a.n; i++) {
            assert_int_equal(a.v[i].beg, b.v[i].beg);
            assert_int_equal(a.v[i].end, b.v[i].end);
        }
        for (size_t beg = 0; beg <= n; beg++)
            for (size_t end = beg; end <= n; end++) {
                size_t b1 = beg, e1 = end, b2 = beg, e2 = end;
                ref_strip(t, &b1, &e1);
                tmi_strip(t, &b2, &e2);
                assert_int_equal(b1, b2);
                assert_int_equal(e1, e2);
            }
    }
    tmi_spans_free(&a);
    tmi_spans_free(&b);
    /* long words: the byte skipping must still find a word of 1001 code
     * points after 2000 bytes of short words, and must not count bytes:
     * 600 two-byte letters are 600 code points */
    char *text = malloc(16384);
    size_t len = 0;
    for (int i = 0; i < 500; i++) memcpy(text + len, "abc ", 4), len += 4;
    memset(text + len, 'x', 1001), len += 1001;
    memcpy(text + len, " end.\n", 6), len += 6;
    for (int i = 0; i < 500; i++) memcpy(text + len, "abc ", 4), len += 4;
    memset(text + len, 'y', 1000), len += 1000;
    memcpy(text + len, " end.\n", 6), len += 6;
    memcpy(text + len, "w w ", 4), len += 4;
    for (int i = 0; i < 600; i++) memcpy(text + len, "\xC3\xA9", 2), len += 2;
    memcpy(text + len, " end.\n", 6), len += 6;
    for (int i = 0; i < 1001; i++) memcpy(text + len, "\xC3\xA9", 2), len += 2;
    memcpy(text + len,
           "\xC2\xA0"
           "a b.",
           6),
        len += 6;
    text[len] = '\0';
    tm_buf out = {0};
    tm_c4_result r;
    run_c4(text, &out, &r, NULL);
    assert_int_equal(r.n_lines, 4);
    assert_int_equal(r.long_word_lines, 2);
    assert_int_equal(r.kept_lines, 2);
    /* phrases in any ASCII case, anywhere in the line */
    run_c4("We Use Of Cookies here, ok.\nLOREM IPSUM is fine here.\nsee TERMS OF USE now.\n"
           "jAvAsCrIpT: yes it is.\nterms of us, javascrip, lorem ipsu: none.\n",
           &out, &r, NULL);
    assert_int_equal(r.policy_lines, 2);
    assert_int_equal(r.javascript_lines, 1);
    assert_int_equal(r.lorem_ipsum, 1);
    assert_int_equal(r.kept_lines, 2);
    tm_buf_free(&out);
    free(text);
}

/* Paragraphs of 300 shingles (radix sort) and 100 (bucket sort): exact
 * copies are near-duplicates, a paragraph of other words is not. */
static void test_near_dup_sizes(void **state) {
    (void)state;
    for (int words = 100; words <= 300; words += 200) {
        char *text = malloc(16384);
        size_t len = 0;
        uint32_t x = 7;
        for (int p = 0; p < 3; p++) {
            if (p == 2)
                x = 99;
            else if (p == 1)
                x = 7;
            for (int i = 0; i < words + 2; i++) {
                x = x * 1103515245u + 12345u;
                len += (size_t)sprintf(text + len, "%s%c%u", i ? " " : "", p == 2 ? 'q' : 'w',
                                       (x >> 16) % 1000);
            }
            memcpy(text + len, "\n\n", 2), len += 2;
        }
        double v[TM_SIG_COUNT];
        score_ws(text, len, NULL, v);
        assert_close(v[TM_SIG_TM_NEAR_DUP_PARA_FRAC], 1.0 / 3, EPS);
        assert_close(v[TM_SIG_GR_DUP_PARA_FRAC], 1.0 / 3, EPS);
        free(text);
    }
}

/* tmi_langid_sampled (tm_score_opts.lang_sample): short texts and budget 0
 * are identified whole; a long text through slices from its start, middle
 * and end, so 8 KB of English before 24 KB of Russian reads as Russian
 * (English second) where the 2 KB prefix alone reads as English. */
static void test_lang_sample(void **state) {
    (void)state;
    static const char ru[] = "\xD0\x9C\xD1\x8B \xD0\xB6\xD0\xB8\xD0\xB2\xD1\x91\xD0\xBC \xD0\xB2 "
                             "\xD0\xB1\xD0\xBE\xD0\xBB\xD1\x8C\xD1\x88\xD0\xBE\xD0\xBC "
                             "\xD0\xB3\xD0\xBE\xD1\x80\xD0\xBE\xD0\xB4\xD0\xB5 \xD0\xB8 "
                             "\xD1\x80\xD0\xB0\xD0\xB1\xD0\xBE\xD1\x82\xD0\xB0\xD0\xB5\xD0\xBC "
                             "\xD0\xBA\xD0\xB0\xD0\xB6\xD0\xB4\xD1\x8B\xD0\xB9 "
                             "\xD0\xB4\xD0\xB5\xD0\xBD\xD1\x8C. ";
    static const char en[] = "The committee will publish its annual report on the state of the "
                             "river next week. ";
    size_t cap = 40000, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while (n + sizeof en < 8000) memcpy(buf + n, en, sizeof en - 1), n += sizeof en - 1;
    while (n + sizeof ru < 32000) memcpy(buf + n, ru, sizeof ru - 1), n += sizeof ru - 1;
    tm_lang_result a, b;
    assert_int_equal(tmi_langid_sampled(buf, n, 2048, &a), TM_OK);
    assert_string_equal(a.code, "ru");
    assert_string_equal(a.top[1].code, "en"); /* the first slice */
    assert_int_equal(tm_langid(buf, 2048, &b), TM_OK);
    assert_string_equal(b.code, "en");
    /* budget 0 and short texts: exactly tm_langid */
    assert_int_equal(tmi_langid_sampled(buf, n, 0, &a), TM_OK);
    assert_int_equal(tm_langid(buf, n, &b), TM_OK);
    assert_string_equal(a.code, b.code);
    assert_close(a.score, b.score, 0.0);
    assert_int_equal(tmi_langid_sampled(buf, 1500, 2048, &a), TM_OK);
    assert_int_equal(tm_langid(buf, 1500, &b), TM_OK);
    assert_int_equal(a.text_bytes, b.text_bytes);
    assert_close(a.score, b.score, 0.0);
    free(buf);
}

static void test_names(void **state) {
    (void)state;
    for (int i = 0; i < TM_SIG_COUNT; i++) {
        const char *n = tm_signal_name(i);
        assert_non_null(n);
        assert_int_equal(tm_signal_lookup(n, strlen(n)), i);
    }
    assert_null(tm_signal_name(TM_SIG_COUNT));
    assert_string_equal(tm_signal_name(TM_SIG_GR_DUP_LINE_FRAC), "gopher_repetition.dup_line_frac");
    uint64_t m;
    assert_int_equal(tm_signal_mask_parse("fineweb,tamis.doubled_word_ratio", &m), TM_OK);
    assert_true(m ==
                (TM_SIG_BIT(TM_SIG_FW_LINE_PUNCT_RATIO) | TM_SIG_BIT(TM_SIG_FW_SHORT_LINE_RATIO) |
                 TM_SIG_BIT(TM_SIG_FW_CHAR_DUP_RATIO) | TM_SIG_BIT(TM_SIG_FW_LIST_RATIO) |
                 TM_SIG_BIT(TM_SIG_TM_DOUBLED_WORD_RATIO)));
    assert_int_equal(tm_signal_mask_parse("fineweb,nope", &m), TM_ERR_ARG);
    assert_string_equal(tm_error_detail(), "unknown signal 'nope'");
}

/* The tamis tokenizer path and the mask: only asked signals are written. */
static void test_mask_tokenizer(void **state) {
    (void)state;
    tm_scorer *s;
    double v[TM_SIG_COUNT];
    for (int i = 0; i < TM_SIG_COUNT; i++) v[i] = -1;
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(
        tm_signals_compute(s, T1, strlen(T1), "en", 0, TM_SIG_BIT(TM_SIG_GR_DUP_LINE_FRAC), v),
        TM_OK);
    assert_close(v[TM_SIG_GR_DUP_LINE_FRAC], 2.0 / 6, EPS); /* tokenizer-independent */
    for (int i = 0; i < TM_SIG_COUNT; i++)
        if (i != TM_SIG_GR_DUP_LINE_FRAC) assert_close(v[i], -1, 0);
    assert_int_equal(tm_signals_compute(s, T1, strlen(T1), "en", 0, TM_SIG_ALL, v), TM_OK);
    for (int i = 0; i < TM_SIG_COUNT; i++) assert_false(isnan(v[i]) || v[i] < 0);
    tm_scorer_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t1),
        cmocka_unit_test(test_t2),
        cmocka_unit_test(test_t3),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_gopher_lines),
        cmocka_unit_test(test_gopher_symbols),
        cmocka_unit_test(test_dup_ngram_concat),
        cmocka_unit_test(test_tamis_own),
        cmocka_unit_test(test_stopwords_lang),
        cmocka_unit_test(test_stopwords_nltk_words),
        cmocka_unit_test(test_c4),
        cmocka_unit_test(test_ngram_filters),
        cmocka_unit_test(test_fast_paths),
        cmocka_unit_test(test_near_dup_sizes),
        cmocka_unit_test(test_lang_sample),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_mask_tokenizer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
