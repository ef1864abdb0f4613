/*
 * test_clean_shapes.c — the wrong edits of `tamis clean` on technical,
 * templated and multilingual text (issue 9), one test per class: paragraph
 * drops of list items, headings, table rows, code, option descriptions,
 * sentence frames and repeats across sections; doubled-word repairs in
 * code, hex, tables, listings, C types, command lines and placeholders.
 * Each case was edited by the rules before shape.c and reworded.c; the last
 * tests check that real repeats and typos in prose are still repaired.
 */
#include "testutil.h"
#include "util/buf.h"

typedef struct res {
    tm_buf text, edits;
    tm_clean_counts k;
} res;

/* Cleans s with ops (and lang); returns the cleaned text. */
static const char *run(res *r, const char *s, unsigned ops, const char *lang) {
    tm_clean_opts o;
    tm_clean_opts_init(&o);
    o.ops = ops;
    tm_cleaner *c = NULL;
    assert_int_equal(tm_cleaner_new(&c, &o), TM_OK);
    tm_buf_free(&r->text);
    tm_buf_free(&r->edits);
    assert_int_equal(tm_clean_text(c, s, strlen(s), lang, &r->text, &r->edits, &r->k), TM_OK);
    tm_cleaner_free(c);
    return r->text.data ? r->text.data : "";
}

/* s comes out of every operation unchanged, with no edit. */
static void unchanged(const char *s, const char *lang) {
    res r = {0};
    assert_string_equal(run(&r, s, TM_CLEAN_ALL, lang), s);
    assert_int_equal(r.k.n[TM_EDIT_DROP_REPEATED], 0);
    assert_int_equal(r.k.n[TM_EDIT_DROP_REWORDED], 0);
    assert_int_equal(r.k.n[TM_EDIT_UNDOUBLE_WORD], 0);
    tm_buf_free(&r.text);
    tm_buf_free(&r.edits);
}

/* ---- paragraphs that are not units ---- */

/* CMake generators: one sentence frame, two generators. */
static void test_frame_not_reworded(void **st) {
    unchanged("MinGW Makefiles\n\n"
              "Generates makefiles for use with mingw32-make under a Windows command prompt. "
              "Use this generator under a Windows command prompt with MinGW in the PATH and "
              "run the build from the build tree with the native make tool.\n\n"
              "MSYS Makefiles\n\n"
              "Generates makefiles for use with MSYS make under the MSYS shell. Use this "
              "generator under a Windows command prompt with MSYS in the PATH and run the "
              "build from the build tree with the native make tool.\n",
              "en");
    /* A frame filled twice in one section: the same sentence with another
     * slot ("more elaborate debconf support" / "support for directory
     * services"). */
    unchanged("We might be willing to reintroduce more elaborate debconf support in the future "
              "if somebody volunteers to write the code, documentation and tests, and to "
              "actually maintain it for the foreseeable future.\n\n"
              "We might be willing to reintroduce support for directory services in the future "
              "if somebody volunteers to write the code, documentation and tests, and to "
              "actually maintain it for the foreseeable future.\n",
              "en");
}

/* Bullet items of a CLI reference page, reworded and exact. */
static void test_list_items_kept(void **st) {
    unchanged("       To set the backup_schedule attribute:\n\n"
              "       • provide the argument backup_schedule on the command line with a\n"
              "         fully specified name;\n\n"
              "       • provide the argument --location on the command line with a fully\n"
              "         specified name;\n\n"
              "       • provide the argument --project on the command line with a fully\n"
              "         specified name;\n\n"
              "       • provide the argument --project on the command line with a fully\n"
              "         specified name;\n",
              "en");
}

/* Option descriptions of a man page: the same frame with -4/-6, the same
 * sentence under two options. */
static void test_options_kept(void **st) {
    unchanged("OPTIONS\n"
              "       -4, --ipv4\n"
              "              Search only IPv4 sockets.  This option must not be used with the\n"
              "              -6 option and only has an effect with the tcp and udp namespaces.\n\n"
              "       -6, --ipv6\n"
              "              Search only IPv6 sockets.  This option must not be used with the\n"
              "              -4 option and only has an effect with the tcp and udp namespaces.\n\n"
              "       --replica-count=REPLICA_COUNT\n"
              "              The number of replicas of the instance, kept in every zone.\n\n"
              "              This field is only set for a primary instance in a region.\n\n"
              "       --shard-count=SHARD_COUNT\n"
              "              The number of shards of the instance, spread over the zones.\n\n"
              "              This field is only set for a primary instance in a region.\n",
              "en");
}

/* UDHR: two Tahitian articles written on one frame, and an article whose
 * text repeats the previous one's (as some translations do). */
static void test_udhr_articles_kept(void **st) {
    unchanged("Tuhaa 21\n"
              "'E ti'amanara'a to te ta'ata ato'a i te fa'a\xc5\x8d ti'a atu, 'aore ra na ni'a "
              "atu i te ti'ara'a o te mau mero-m\xc4\x81'iti-ti'am\xc4\x81-hia, i roto i te "
              "fa'aterera'a-'ohipa a te Hau o to na fenua.\n"
              "'E ti'amanara'a to te ta'ata ato'a i te fa'a\xc5\x8d atu, na ni'a i te mau "
              "ti'ara'a 'aifaito, i roto i te mau toro'a-'ohipa a te Hau o to na fenua.\n"
              "Article 12\n"
              "Yirisaro ba o wan, o yeete mii, to deeyoono ka o yasire-ti yanisi tori, o da "
              "sooki-di o wo bo bootu.\n"
              "Article 13\n"
              "Yirisaro ba o wan, o yeete mii, to deeyoono ka o yasire-ti yanisi tori, o da "
              "sooki-di o wo bo bootu.\n",
              "ty");
}

/* Tibetan headings "Article three" ... "Article thirteen" (dropped as
 * rewords of one another: they share most character bigrams). */
static void test_tibetan_headings_kept(void **st) {
    const char *h3 = "\xe0\xbd\x91\xe0\xbd\xbc\xe0\xbd\x93\xe0\xbc\x8b\xe0\xbd\x9a\xe0\xbd\x93\xe0"
                     "\xbc\x8b\xe0\xbd\x82\xe0\xbd\xa6\xe0\xbd\xb4\xe0\xbd\x98\xe0\xbc\x8b\xe0\xbd"
                     "\x94\xe0\xbc\x8d";
    const char *h13 = "\xe0\xbd\x91\xe0\xbd\xbc\xe0\xbd\x93\xe0\xbc\x8b\xe0\xbd\x9a\xe0\xbd\x93"
                      "\xe0\xbc\x8b\xe0\xbd\x96\xe0\xbd\x85\xe0\xbd\xb4\xe0\xbc\x8b\xe0\xbd\x82\xe0"
                      "\xbd\xa6\xe0\xbd\xb4\xe0\xbd\x98\xe0\xbc\x8b\xe0\xbd\x94\xe0\xbc\x8d";
    char in[1024];
    snprintf(in, sizeof in,
             "%s\nBody of the third article, one sentence of prose here.\n%s\n"
             "Body of the thirteenth article, another sentence of prose.\n",
             h3, h13);
    unchanged(in, "bo");
}

/* Table rows, code blocks and headings repeat legitimately. */
static void test_rows_code_headings_kept(void **st) {
    unchanged("Salt size\n    12 bits\n\nHash size\n    128 bits\n\nSalt size\n    12 bits\n",
              "en");
    unchanged("The first way:\n\n    if (x == NULL) {\n        return -1;\n    }\n\n"
              "The second way, in another function:\n\n"
              "    if (x == NULL) {\n        return -1;\n    }\n",
              "en");
    unchanged("name      owner  group  mode\n"
              "shadow    root   shadow 0640\n"
              "passwd    root   root   0644\n"
              "group     root   root   0644\n"
              "passwd    root   root   0644\n",
              "en");
}

/* ---- doubled words that are not typos ---- */

static void test_doubled_in_code_and_data(void **st) {
    /* A C type, in code and in prose. */
    unchanged("static unsigned long long count = 0;\n", "en");
    unchanged("The function returns an unsigned long long value on success.\n", "en");
    /* Hex dumps. */
    unchanged("00000010  ff ff 0a 0a 00 00 de ad  be ef 00 00 ff ff ff ff  |................|\n",
              "en");
    unchanged("ff ff ff ff ff ff ff ff\n", "en");
    /* Owner and group columns, table cells. */
    unchanged("-rw-r--r-- 1 root root 4096 Dec  4 10:00 shadow\n", "en");
    unchanged("Option    Default     Meaning\ncipher    encryption  encryption of the volume\n",
              "en");
}

static void test_doubled_commands_placeholders(void **st) {
    /* Arguments of a command line quoted in prose. */
    unchanged("cp once again diagnoses the invalid \"cp -rl dir dir\" right away, rather than "
              "after creating the directory.\n",
              "en");
    /* A word glued to a file name, a word and its placeholder in a man page. */
    unchanged("       To submit a build with local source source.tgz asynchronously, run the\n"
              "       command below from the directory of the build.\n",
              "en");
    unchanged("NAME\n       pthread_setschedparam - set scheduling policy of a thread\n\n"
              "DESCRIPTION\n"
              "       The pthread_setschedparam() function sets the scheduling policy and\n"
              "       parameters of the thread thread.  The policy argument specifies the\n"
              "       new scheduling policy for thread.\n",
              "en");
}

/* Reduplication as grammar (Nigerian Pidgin, detected as English). */
static void test_doubled_reduplication(void **st) {
    res r = {0};
    const char *s = "Dem talk say nobodi must hold di other one like slave or make am boi boi. "
                    "Dem must make sure say progress de for all di kontris and beta beta life "
                    "de too for everibodi. Dem must make sure say mago mago no de wen dem de "
                    "do im case.\n";
    assert_string_equal(run(&r, s, TM_CLEAN_ALL, "en"), s);
    assert_int_equal(r.k.n[TM_EDIT_UNDOUBLE_WORD], 0);
    assert_int_equal(r.k.n[TM_EDIT_DOUBLED_KEPT], 3);
    assert_non_null(strstr(r.edits.data, "\"kept\":\"reduplication\""));
    tm_buf_free(&r.text);
    tm_buf_free(&r.edits);
}

/* Frames with one word replaced in a short paragraph: "Clients"/"Servers",
 * "greater"/"less" (gitprotocol-http(5), pow(3)). */
static void test_replaced_word_kept(void **st) {
    unchanged("Clients SHOULD support both HTTP 1.0 and HTTP 1.1 and SHOULD use chunked "
              "encoding for both request and response bodies.\n\n"
              "Servers SHOULD support both HTTP 1.0 and HTTP 1.1 and SHOULD use chunked "
              "encoding for both request and response bodies.\n",
              "en");
    unchanged("If the absolute value of x is greater than 1, and y is positive infinity, the "
              "result is positive infinity in every rounding mode.\n\n"
              "If the absolute value of x is less than 1, and y is positive infinity, the "
              "result is positive infinity in every rounding mode.\n",
              "en");
}

/* Lines of one token each (a program's output in an example) repeat. */
static void test_token_lines_kept(void **st) {
    unchanged("EXAMPLE\n\n"
              "       foo()\n"
              "       /tmp/test.cpp:8:10\n\n"
              "       Then with the other input file:\n\n"
              "       foo()\n"
              "       /tmp/test.cpp:8:10\n",
              "en");
}

/* The same long paragraph in the bodies of two options stays (the rule
 * across sections is for paragraphs outside any item). */
static void test_long_option_bodies_kept(void **st) {
    unchanged("OPTIONS\n"
              "       --cache-dir=DIR\n"
              "              The directory is created when it does not exist, and every file\n"
              "              written there is removed again when the program exits normally,\n"
              "              unless the keep option was given on the command line.\n\n"
              "       --spool-dir=DIR\n"
              "              The directory is created when it does not exist, and every file\n"
              "              written there is removed again when the program exits normally,\n"
              "              unless the keep option was given on the command line.\n",
              "en");
}

/* A long paragraph under every release of a NEWS file is boilerplate of
 * each release, not a copy (polkit's NEWS). */
static void test_release_boilerplate_kept(void **st) {
    const char *w = "WARNING: This is a prerelease on the road to polkit 1.0. Public API might "
                    "change and certain parts of the code still needs some security review. "
                    "Use at your own risk.\n";
    char in[2048];
    snprintf(in, sizeof in,
             "polkit 0.104\n\n%s\nThe agent is faster.\n\n"
             "polkit 0.103\n\n%s\nThe daemon logs less.\n\n"
             "polkit 0.102\n\n%s\nThe rules are cached.\n",
             w, w, w);
    unchanged(in, "en");
}

/* A long prose paragraph repeated after the next heading (a package
 * description's fields, a news article's sub-heading) is still a repeat;
 * fields are a record, not a heading. */
static void test_repeat_across_sections(void **st) {
    res r = {0};
    const char *p = "TimeMon gives a graphical representation of where the CPU cycles are going. "
                    "It is coarse, but better than nothing, and it runs in an icon on your dock "
                    "so that you never lose it.\n";
    char in[4096], want[2048];
    snprintf(want, sizeof want,
             "Package: timemon.app (4.2-2)\n\nCPU time usage monitor for GNUstep\n\n%s\n"
             "Section: gnustep\nMaintainer: Debian GNUstep maintainers <pkg@example.org>\n"
             "Depends: gnustep-back0.29 (>= 0.29.0), libc6 (>= 2.34)\n",
             p);
    snprintf(in, sizeof in, "%s\n%s", want, p);
    assert_string_equal(run(&r, in, TM_CLEAN_ALL, "en"), want);
    assert_int_equal(r.k.n[TM_EDIT_DROP_REPEATED], 1);
    const char *a = "Le gouvernement a pr\xc3\xa9sent\xc3\xa9 mardi un plan de r\xc3\xa9"
                    "forme des "
                    "retraites qui doit entrer en vigueur au d\xc3\xa9"
                    "but de l'ann\xc3\xa9"
                    "e "
                    "prochaine, apr\xc3\xa8s des mois de n\xc3\xa9gociations avec les syndicats.\n";
    const char *b = "Les syndicats ont aussit\xc3\xb4t annonc\xc3\xa9 une journ\xc3\xa9"
                    "e de "
                    "mobilisation pour le jeudi suivant dans toutes les grandes villes.\n";
    snprintf(want, sizeof want, "%s%sUne mobilisation attendue\n%s", a, b, b);
    snprintf(in, sizeof in, "%s%sUne mobilisation attendue\n%s%s", a, b, b, a);
    /* b again right under the heading is its section's only other text: the
     * later copy of a goes, after the heading. */
    assert_string_equal(run(&r, in, TM_CLEAN_REPEATED, "fr"), want);
    assert_int_equal(r.k.n[TM_EDIT_DROP_REPEATED], 1);
    tm_buf_free(&r.text);
    tm_buf_free(&r.edits);
}

/* A particle, then a preposition (pinentry's NEWS, a changelog). */
static void test_doubled_particle_kept(void **st) {
    unchanged("The dialog now shows a warning if Caps Lock is on on Windows, and the "
              "Makefile.in that was left in in the first commit is removed.\n",
              "en");
}

/* A Perl module's name in prose is no scope operator of code; code that
 * calls one stays code. */
static void test_qualified_names(void **st) {
    res r = {0};
    const char *p = "DateTime::Locale extends DateTime by providing localization support. It "
                    "also provides some functions for getting information on available "
                    "locales.\n";
    char in[2048], want[1024];
    snprintf(want, sizeof want, "%s\nIt is easily customizable.\n", p);
    snprintf(in, sizeof in, "%s\n%s", want, p);
    assert_string_equal(run(&r, in, TM_CLEAN_ALL, "en"), want);
    assert_int_equal(r.k.n[TM_EDIT_DROP_REPEATED], 1);
    tm_buf_free(&r.text);
    tm_buf_free(&r.edits);
    unchanged("    my $locale = DateTime::Locale->load('en-US'), then the name of it\n\n"
              "    and then:\n\n"
              "    my $locale = DateTime::Locale->load('en-US'), then the name of it\n",
              "en");
}

/* ---- what must still be repaired ---- */

/* One line of 10,000 doubled words (hostile input): every pair is repaired,
 * and the line is looked at once, not once per pair (the per-pair scan of
 * its line, prose and stop-word tests made this minutes of work). */
static void test_long_line_of_pairs(void **st) {
    (void)st;
    tm_buf in = {0}, want = {0};
    for (int i = 0; i < 10000; i++) {
        assert_int_equal(tmi_buf_puts(&in, "we saw the the here "), TM_OK);
        assert_int_equal(tmi_buf_puts(&want, "we saw the here "), TM_OK);
    }
    assert_int_equal(tmi_buf_putc(&want, '\0'), TM_OK);
    assert_int_equal(tmi_buf_putc(&in, '\0'), TM_OK);
    res r = {0};
    assert_string_equal(run(&r, in.data, TM_CLEAN_DOUBLED, "en"), want.data);
    assert_int_equal(r.k.n[TM_EDIT_UNDOUBLE_WORD], 10000);
    tm_buf_free(&r.text);
    tm_buf_free(&r.edits);
    tm_buf_free(&in);
    tm_buf_free(&want);
}

/* A C header documents sibling functions with the same words: in a
 * document at least half code, the comments are not copies of each other. */
static void test_code_document_comments_kept(void **st) {
    (void)st;
    unchanged("/* Buffer helpers of the widget library. */\n\n"
              "#ifndef WIDGET_BUF_H\n#define WIDGET_BUF_H\n\n"
              "/* Defined in buf.c:\n\n"
              "   int widget_has_key(Widget *w, const char *key);\n\n"
              "   Returns 1 if the widget w holds the key, and 0 otherwise.\n"
              "   This function always succeeds and never sets an error. */\n\n"
              "int widget_has_key(Widget *w, const char *key);\n\n"
              "/* Defined in buf.c:\n\n"
              "   int widget_has_keyobj(Widget *w, Key *key);\n\n"
              "   Returns 1 if the widget w holds the key, and 0 otherwise.\n"
              "   This function always succeeds and never sets an error. */\n\n"
              "int widget_has_keyobj(Widget *w, Key *key);\n\n#endif\n",
              "en");
}

/* The same settings shown in two examples of one section are a listing
 * ("name = value" lines), not a repeated paragraph of prose. */
static void test_settings_kept(void **st) {
    (void)st;
    unchanged("EXAMPLES\n"
              "       Example 1. Apply settings that exist only when a certain module is\n"
              "       loaded (the first method)\n\n"
              "       /etc/demo.d/filter.conf:\n\n"
              "           net.demo.filter-call-one = 0\n"
              "           net.demo.filter-call-two = 0\n"
              "           net.demo.filter-call-six = 0\n\n"
              "       Example 2. Apply settings that exist only when a certain module is\n"
              "       loaded (the second method)\n\n"
              "       /etc/demo.d/filter.conf:\n\n"
              "           net.demo.filter-call-one = 0\n"
              "           net.demo.filter-call-two = 0\n"
              "           net.demo.filter-call-six = 0\n",
              "en");
}

/* GNU ChangeLog entries of one day by one author share their header line
 * ("date  Name  <address>", longer than a title): each heads its own
 * entry, so neither the header nor the entry's text is a copy. */
static void test_changelog_bylines_kept(void **st) {
    (void)st;
    unchanged("Tue Mar 14 10:21:07 2006  Ada-Marie Example  <ada@lists.example.org>\n\n"
              "\t* src/scan.c: Reindent the scanner and fix the implicit declarations\n"
              "\tthat older compilers accepted.\n\n"
              "\tThis change was made by the included conversion script.\n\n"
              "Tue Mar 14 10:21:07 2006  Ada-Marie Example  <ada@lists.example.org>\n\n"
              "\t* src/main.c: Replace the old option parser with the new one, which\n"
              "\treports unknown options by name.\n\n"
              "\tThis change was made by the included conversion script.\n",
              "en");
}

/* "--flag=VALUE" opens an option's entry (a title of its body), not a
 * setting: the same note after two options stays. */
static void test_option_assignments_kept(void **st) {
    (void)st;
    unchanged("FLAGS\n"
              "         --public-note=[id=ID],[value=VALUE]\n\n"
              "           Notes to attach to the keyset when it is created or updated.\n\n"
              "         At least one of public-note or shared-note must be specified.\n\n"
              "         --shared-note=[version=VERSION]\n\n"
              "           An ordered list of shared notes kept in the secret store.\n\n"
              "         At least one of public-note or shared-note must be specified.\n",
              "en");
}

/* A Chinese paragraph with a number in it, repeated with one character
 * left out, is a reworded repeat: the identifier test (a token with a
 * digit must be in both) works on tokens between spaces, and a Chinese
 * sentence has none, so it once took the whole sentence for one identifier
 * and no edit of it could ever match. Another number is still another
 * statement. */
static void test_cjk_reworded_with_numbers(void **st) {
    (void)st;
    res r = {0};
    const char *a = "市图书馆3月12日宣布，新馆将于明年五月对公众开放，"
                    "馆长6日对记者表示，新馆共有三层阅览室和一个儿童活动区。";
    const char *b = "市图书馆3月12日宣布，新馆将于明年五月对公众开放，"
                    "馆长6日对记者表示，新馆有三层阅览室和一个儿童活动区。"; /* no 共 */
    const char *c = "市图书馆3月12日宣布，新馆将于明年五月对公众开放，"
                    "馆长7日对记者表示，新馆共有三层阅览室和一个儿童活动区。"; /* 7日 */
    const char *mid = "开放时间", *after = "图书馆工作人员表示，开馆前还将举办多场读者见面活动。";
    char in[2048], want[2048];
    /* across a heading, with more text in the copy's section */
    snprintf(in, sizeof in, "%s\n\n%s\n\n%s\n\n%s\n", a, mid, b, after);
    snprintf(want, sizeof want, "%s\n\n%s\n\n%s\n", a, mid, after);
    assert_string_equal(run(&r, in, TM_CLEAN_ALL, "zh"), want);
    assert_int_equal(r.k.n[TM_EDIT_DROP_REWORDED], 1);
    snprintf(in, sizeof in, "%s\n\n%s\n\n%s\n\n%s\n", a, mid, c, after);
    unchanged(in, "zh");
    tm_buf_free(&r.text);
    tm_buf_free(&r.edits);
}

static void test_prose_still_repaired(void **st) {
    res r = {0};
    /* A function-word typo in a man page. */
    assert_string_equal(run(&r,
                            "DESCRIPTION\n"
                            "       PGVERSION is set the the PostgreSQL major version number.\n",
                            TM_CLEAN_ALL, "en"),
                        "DESCRIPTION\n"
                        "       PGVERSION is set the PostgreSQL major version number.\n");
    /* A paragraph repeated in one section of a man page, and a reworded one
     * (a clause moved, a word dropped) in a README. */
    const char *p = "       The daemon reads its configuration at start and again when it\n"
                    "       receives a hangup signal, so that a change takes effect at once.\n";
    char in[1024], want[1024];
    snprintf(in, sizeof in, "DESCRIPTION\n%s\n       It logs to the system journal.\n\n%s", p, p);
    snprintf(want, sizeof want, "DESCRIPTION\n%s\n       It logs to the system journal.\n", p);
    assert_string_equal(run(&r, in, TM_CLEAN_ALL, "en"), want);
    assert_int_equal(r.k.n[TM_EDIT_DROP_REPEATED], 1);
    const char *a = "When the cache is full, the oldest entries are written back to the disk "
                    "before new ones are read from the network.\n\nIt is a plain file.\n\n";
    const char *b = "The oldest entries are written back to the disk before new ones are read "
                    "from the network, when the cache is full.\n";
    snprintf(in, sizeof in, "%s%s", a, b);
    assert_string_equal(run(&r, in, TM_CLEAN_ALL, "en"), "When the cache is full, the oldest "
                                                         "entries are written back to the disk "
                                                         "before new ones are read from the "
                                                         "network.\n\nIt is a plain file.\n");
    assert_int_equal(r.k.n[TM_EDIT_DROP_REWORDED], 1);
    tm_buf_free(&r.text);
    tm_buf_free(&r.edits);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_not_reworded),
        cmocka_unit_test(test_list_items_kept),
        cmocka_unit_test(test_options_kept),
        cmocka_unit_test(test_udhr_articles_kept),
        cmocka_unit_test(test_tibetan_headings_kept),
        cmocka_unit_test(test_rows_code_headings_kept),
        cmocka_unit_test(test_doubled_in_code_and_data),
        cmocka_unit_test(test_doubled_commands_placeholders),
        cmocka_unit_test(test_doubled_reduplication),
        cmocka_unit_test(test_doubled_particle_kept),
        cmocka_unit_test(test_qualified_names),
        cmocka_unit_test(test_replaced_word_kept),
        cmocka_unit_test(test_token_lines_kept),
        cmocka_unit_test(test_long_option_bodies_kept),
        cmocka_unit_test(test_release_boilerplate_kept),
        cmocka_unit_test(test_repeat_across_sections),
        cmocka_unit_test(test_code_document_comments_kept),
        cmocka_unit_test(test_settings_kept),
        cmocka_unit_test(test_changelog_bylines_kept),
        cmocka_unit_test(test_option_assignments_kept),
        cmocka_unit_test(test_cjk_reworded_with_numbers),
        cmocka_unit_test(test_prose_still_repaired),
        cmocka_unit_test(test_long_line_of_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
