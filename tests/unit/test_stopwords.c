/*
 * test_stopwords.c — the stopwords-iso 1.1.0 tables behind tm_is_stopword().
 *
 * Known answers come from the package's documented facts (58 languages,
 * 21,707 entries, en 1,298, zh 794, ja 134, th 116, zu 29). When the package
 * itself is present (build/npm, installed by scripts/deps.sh) every entry of
 * every list is also looked up, and the lists' exact sizes compared.
 */
#include "testutil.h"

#include <jansson.h>

static const char *const LANGS[] = {
    "af", "ar", "bg", "bn", "br", "ca", "cs", "da", "de", "el", "en", "eo", "es", "et", "eu",
    "fa", "fi", "fr", "ga", "gl", "gu", "ha", "he", "hi", "hr", "hu", "hy", "id", "it", "ja",
    "ko", "ku", "la", "lt", "lv", "mr", "ms", "nl", "no", "pl", "pt", "ro", "ru", "sk", "sl",
    "so", "st", "sv", "sw", "th", "tl", "tr", "uk", "ur", "vi", "yo", "zh", "zu"};

static int sw(const char *lang, const char *w) {
    return tm_is_stopword(lang, w, strlen(w));
}

static void test_counts(void **state) {
    (void)state;
    size_t total = 0;
    for (size_t i = 0; i < sizeof LANGS / sizeof *LANGS; i++) {
        size_t c = tm_stopword_count(LANGS[i]);
        assert_true(c >= 29);
        total += c;
    }
    assert_int_equal(sizeof LANGS / sizeof *LANGS, 58);
    assert_int_equal(total, 21707);
    assert_int_equal(tm_stopword_count("en"), 1298);
    assert_int_equal(tm_stopword_count("zh"), 794);
    assert_int_equal(tm_stopword_count("ja"), 134);
    assert_int_equal(tm_stopword_count("th"), 116);
    assert_int_equal(tm_stopword_count("zu"), 29);
    /* No list: not in the package, not a two-letter lowercase code. */
    assert_int_equal(tm_stopword_count("nb"), 0);
    assert_int_equal(tm_stopword_count("EN"), 0);
    assert_int_equal(tm_stopword_count("eng"), 0);
    assert_int_equal(tm_stopword_count("e"), 0);
    assert_int_equal(tm_stopword_count(""), 0);
    assert_int_equal(tm_stopword_count("zh-Hant"), 0);
    assert_int_equal(tm_stopword_count(NULL), 0);
}

static void test_lookup(void **state) {
    (void)state;
    /* Gopher's eight English stop words are all in the English list. */
    const char *gopher[] = {"the", "be", "to", "of", "and", "that", "have", "with"};
    for (int i = 0; i < 8; i++) assert_int_equal(sw("en", gopher[i]), 1);
    assert_int_equal(sw("en", "ableabout"), 1); /* the list's known noise */
    assert_int_equal(sw("en", "10"), 1);
    assert_int_equal(sw("en", "The"), 0); /* exact bytes: callers lowercase */
    assert_int_equal(sw("en", "the "), 0);
    assert_int_equal(sw("en", "dog"), 0);
    assert_int_equal(tm_is_stopword("en", "there", 3), 1); /* len, not NUL, ends it */
    assert_int_equal(tm_is_stopword("en", "the", 0), 0);
    assert_int_equal(tm_is_stopword("en", NULL, 3), 0);
    assert_int_equal(sw("fr", "le"), 1);
    assert_int_equal(sw("fr", "absolument"), 1);
    assert_int_equal(sw("fr", "the"), 0);
    assert_int_equal(sw("de", "und"), 1);
    assert_int_equal(sw("ru", "и"), 1);
    assert_int_equal(sw("zh", "一个"), 1);
    assert_int_equal(sw("ja", "あの人"), 1);
    assert_int_equal(sw("la", "et"), 1);
    assert_int_equal(sw("eo", "kaj"), 1);
    /* Unknown languages have no stop words. */
    assert_int_equal(sw("nb", "og"), 0);
    assert_int_equal(sw("xx", "the"), 0);
    assert_int_equal(sw(NULL, "the"), 0);
    assert_int_equal(sw("EN", "the"), 0);
}

static void test_nfc_aliases(void **state) {
    (void)state;
    /* Arabic "anna" is listed with shadda (ccc 33) before the final fatha
     * (ccc 30); NFC reorders them. Both forms are accepted; the count stays
     * the list's (test_counts). */
    assert_int_equal(sw("ar", "\xd8\xa3\xd9\x8e\xd9\x86\xd9\x91\xd9\x8e"), 1); /* as listed */
    assert_int_equal(sw("ar", "\xd8\xa3\xd9\x8e\xd9\x86\xd9\x8e\xd9\x91"), 1); /* NFC */
    /* Hindi "kaafii" with U+095E (listed) and its NFC U+092B U+093C. */
    assert_int_equal(sw("hi", "\xe0\xa4\x95\xe0\xa4\xbe\xe0\xa5\x9e\xe0\xa5\x80"), 1);
    assert_int_equal(sw("hi", "\xe0\xa4\x95\xe0\xa4\xbe\xe0\xa4\xab\xe0\xa4\xbc\xe0\xa5\x80"), 1);
}

/* Every entry of the package is found, in its language, with the same size. */
static void test_whole_package(void **state) {
    (void)state;
    const char *path = getenv("TM_STOPWORDS_JSON");
    if (!path) path = "build/npm/node_modules/stopwords-iso/stopwords-iso.json";
    if (access(path, R_OK) != 0) {
        skip();
        return;
    }
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    assert_non_null(root);
    assert_int_equal(json_object_size(root), 58);
    const char *lang;
    json_t *list;
    size_t total = 0;
    json_object_foreach(root, lang, list) {
        assert_int_equal(tm_stopword_count(lang), json_array_size(list));
        size_t i;
        json_t *w;
        json_array_foreach(list, i, w) {
            assert_int_equal(tm_is_stopword(lang, json_string_value(w), json_string_length(w)), 1);
            total++;
        }
    }
    assert_int_equal(total, 21707);
    json_decref(root);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_nfc_aliases),
        cmocka_unit_test(test_whole_package),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
