/*
 * classes.c — character classes with Python 3.11 str semantics.
 *
 * The quality signals count characters the way datatrove and RedPajama do
 * in Python, so every class here reproduces a Python predicate exactly
 * (quality-signals.md §1.2, §1.4): isspace is a fixed 29-code-point set,
 * isalpha is general category L*, isupper/islower add the Other_Uppercase /
 * Other_Lowercase properties, and isnumeric adds the CJK ideographs that
 * Unihan gives a numeric value. General categories come from utf8proc; the
 * properties utf8proc does not expose are embedded below as sorted range
 * tables, generated from Python 3.11 (Unicode 14) and searched by bisection.
 * U+0000..U+00FF, which dominates European text, is one table lookup.
 * datatrove's PUNCTUATION_SET and TERMINAL_PUNCTUATION (§2.5) are tables too.
 */
#include "text/text.h"

#include <stddef.h>
#include <utf8proc.h>

typedef struct tm_range {
    int32_t lo, hi;
} tm_range;

static int in_ranges(const tm_range *r, size_t n, int32_t cp) {
    size_t a = 0, b = n;
    if (n == 0 || cp < r[0].lo || cp > r[n - 1].hi) return 0;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (cp < r[m].lo)
            b = m;
        else if (cp > r[m].hi)
            a = m + 1;
        else
            return 1;
    }
    return 0;
}

#define NRANGES(t) (sizeof(t) / sizeof((t)[0]))

/* datatrove PUNCTUATION (129) ∪ TERMINAL_PUNCTUATION (159): 281 code points. */
static const tm_range dt_punct_ranges[103] = {
    {0x0000, 0x0008},   {0x000B, 0x001F},   {0x0021, 0x002F},   {0x003A, 0x0040},
    {0x005B, 0x0060},   {0x007B, 0x009F},   {0x00AB, 0x00AB},   {0x00B4, 0x00B4},
    {0x00BB, 0x00BB},   {0x0589, 0x0589},   {0x061D, 0x061F},   {0x06D4, 0x06D4},
    {0x0700, 0x0702},   {0x07F9, 0x07F9},   {0x0837, 0x0837},   {0x0839, 0x0839},
    {0x083D, 0x083E},   {0x0964, 0x0965},   {0x104A, 0x104B},   {0x1362, 0x1362},
    {0x1367, 0x1368},   {0x166E, 0x166E},   {0x1735, 0x1736},   {0x17D4, 0x17D6},
    {0x17D9, 0x17DA},   {0x1803, 0x1803},   {0x1809, 0x1809},   {0x1944, 0x1945},
    {0x1AA8, 0x1AAB},   {0x1B5A, 0x1B5B},   {0x1B5E, 0x1B5F},   {0x1B7D, 0x1B7E},
    {0x1C3B, 0x1C3C},   {0x1C7E, 0x1C7F},   {0x2013, 0x2014},   {0x2019, 0x2019},
    {0x201C, 0x201E},   {0x2026, 0x2026},   {0x203C, 0x203D},   {0x2047, 0x2049},
    {0x2236, 0x2236},   {0x2501, 0x2501},   {0x25BA, 0x25BA},   {0x2E2E, 0x2E2E},
    {0x2E3C, 0x2E3C},   {0x2E53, 0x2E54},   {0x3001, 0x3002},   {0x3008, 0x300D},
    {0x3010, 0x3011},   {0xA4FF, 0xA4FF},   {0xA60E, 0xA60F},   {0xA6F3, 0xA6F3},
    {0xA6F7, 0xA6F7},   {0xA876, 0xA877},   {0xA8CE, 0xA8CF},   {0xA92F, 0xA92F},
    {0xA9C8, 0xA9C9},   {0xAA5D, 0xAA5F},   {0xAAF0, 0xAAF1},   {0xABEB, 0xABEB},
    {0xFE52, 0xFE52},   {0xFE56, 0xFE57},   {0xFF01, 0xFF01},   {0xFF05, 0xFF05},
    {0xFF08, 0xFF09},   {0xFF0C, 0xFF0C},   {0xFF0E, 0xFF0E},   {0xFF11, 0xFF11},
    {0xFF1A, 0xFF1B},   {0xFF1F, 0xFF1F},   {0xFF5E, 0xFF5E},   {0xFF61, 0xFF61},
    {0x10A56, 0x10A57}, {0x10F55, 0x10F59}, {0x10F86, 0x10F89}, {0x11047, 0x11048},
    {0x110BE, 0x110C1}, {0x11141, 0x11143}, {0x111C5, 0x111C6}, {0x111CD, 0x111CD},
    {0x111DE, 0x111DF}, {0x11238, 0x11239}, {0x1123B, 0x1123C}, {0x112A9, 0x112A9},
    {0x1144B, 0x1144C}, {0x115C2, 0x115C3}, {0x115C9, 0x115D7}, {0x11641, 0x11642},
    {0x1173C, 0x1173E}, {0x11944, 0x11944}, {0x11946, 0x11946}, {0x11A42, 0x11A43},
    {0x11A9B, 0x11A9C}, {0x11C41, 0x11C42}, {0x11EF7, 0x11EF8}, {0x11F43, 0x11F44},
    {0x16A6E, 0x16A6F}, {0x16AF5, 0x16AF5}, {0x16B37, 0x16B38}, {0x16B44, 0x16B44},
    {0x16E98, 0x16E98}, {0x1BC9F, 0x1BC9F}, {0x1DA88, 0x1DA88},
};

/* datatrove TERMINAL_PUNCTUATION: 159 code points. */
static const tm_range terminal_ranges[82] = {
    {0x0021, 0x0021},   {0x002E, 0x002E},   {0x003F, 0x003F},   {0x0589, 0x0589},
    {0x061D, 0x061F},   {0x06D4, 0x06D4},   {0x0700, 0x0702},   {0x07F9, 0x07F9},
    {0x0837, 0x0837},   {0x0839, 0x0839},   {0x083D, 0x083E},   {0x0964, 0x0965},
    {0x104A, 0x104B},   {0x1362, 0x1362},   {0x1367, 0x1368},   {0x166E, 0x166E},
    {0x1735, 0x1736},   {0x17D4, 0x17D6},   {0x17D9, 0x17DA},   {0x1803, 0x1803},
    {0x1809, 0x1809},   {0x1944, 0x1945},   {0x1AA8, 0x1AAB},   {0x1B5A, 0x1B5B},
    {0x1B5E, 0x1B5F},   {0x1B7D, 0x1B7E},   {0x1C3B, 0x1C3C},   {0x1C7E, 0x1C7F},
    {0x203C, 0x203D},   {0x2047, 0x2049},   {0x2E2E, 0x2E2E},   {0x2E3C, 0x2E3C},
    {0x2E53, 0x2E54},   {0x3002, 0x3002},   {0xA4FF, 0xA4FF},   {0xA60E, 0xA60F},
    {0xA6F3, 0xA6F3},   {0xA6F7, 0xA6F7},   {0xA876, 0xA877},   {0xA8CE, 0xA8CF},
    {0xA92F, 0xA92F},   {0xA9C8, 0xA9C9},   {0xAA5D, 0xAA5F},   {0xAAF0, 0xAAF1},
    {0xABEB, 0xABEB},   {0xFE52, 0xFE52},   {0xFE56, 0xFE57},   {0xFF01, 0xFF01},
    {0xFF0E, 0xFF0E},   {0xFF1F, 0xFF1F},   {0xFF61, 0xFF61},   {0x10A56, 0x10A57},
    {0x10F55, 0x10F59}, {0x10F86, 0x10F89}, {0x11047, 0x11048}, {0x110BE, 0x110C1},
    {0x11141, 0x11143}, {0x111C5, 0x111C6}, {0x111CD, 0x111CD}, {0x111DE, 0x111DF},
    {0x11238, 0x11239}, {0x1123B, 0x1123C}, {0x112A9, 0x112A9}, {0x1144B, 0x1144C},
    {0x115C2, 0x115C3}, {0x115C9, 0x115D7}, {0x11641, 0x11642}, {0x1173C, 0x1173E},
    {0x11944, 0x11944}, {0x11946, 0x11946}, {0x11A42, 0x11A43}, {0x11A9B, 0x11A9C},
    {0x11C41, 0x11C42}, {0x11EF7, 0x11EF8}, {0x11F43, 0x11F44}, {0x16A6E, 0x16A6F},
    {0x16AF5, 0x16AF5}, {0x16B37, 0x16B38}, {0x16B44, 0x16B44}, {0x16E98, 0x16E98},
    {0x1BC9F, 0x1BC9F}, {0x1DA88, 0x1DA88},
};

/* Letters (Lo) with a Unihan numeric value (kPrimaryNumeric,
 * kAccountingNumeric, kOtherNumeric): Python isnumeric() is true for them.
 * Every N* code point is numeric too; no other category is. */
static const tm_range numeric_lo_ranges[72] = {
    {0x3405, 0x3405},   {0x3483, 0x3483},   {0x382A, 0x382A},   {0x3B4D, 0x3B4D},
    {0x4E00, 0x4E00},   {0x4E03, 0x4E03},   {0x4E07, 0x4E07},   {0x4E09, 0x4E09},
    {0x4E5D, 0x4E5D},   {0x4E8C, 0x4E8C},   {0x4E94, 0x4E94},   {0x4E96, 0x4E96},
    {0x4EBF, 0x4EC0},   {0x4EDF, 0x4EDF},   {0x4EE8, 0x4EE8},   {0x4F0D, 0x4F0D},
    {0x4F70, 0x4F70},   {0x5104, 0x5104},   {0x5146, 0x5146},   {0x5169, 0x5169},
    {0x516B, 0x516B},   {0x516D, 0x516D},   {0x5341, 0x5341},   {0x5343, 0x5345},
    {0x534C, 0x534C},   {0x53C1, 0x53C4},   {0x56DB, 0x56DB},   {0x58F1, 0x58F1},
    {0x58F9, 0x58F9},   {0x5E7A, 0x5E7A},   {0x5EFE, 0x5EFF},   {0x5F0C, 0x5F0E},
    {0x5F10, 0x5F10},   {0x62FE, 0x62FE},   {0x634C, 0x634C},   {0x67D2, 0x67D2},
    {0x6F06, 0x6F06},   {0x7396, 0x7396},   {0x767E, 0x767E},   {0x8086, 0x8086},
    {0x842C, 0x842C},   {0x8CAE, 0x8CAE},   {0x8CB3, 0x8CB3},   {0x8D30, 0x8D30},
    {0x9621, 0x9621},   {0x9646, 0x9646},   {0x964C, 0x964C},   {0x9678, 0x9678},
    {0x96F6, 0x96F6},   {0xF96B, 0xF96B},   {0xF973, 0xF973},   {0xF978, 0xF978},
    {0xF9B2, 0xF9B2},   {0xF9D1, 0xF9D1},   {0xF9D3, 0xF9D3},   {0xF9FD, 0xF9FD},
    {0x20001, 0x20001}, {0x20064, 0x20064}, {0x200E2, 0x200E2}, {0x20121, 0x20121},
    {0x2092A, 0x2092A}, {0x20983, 0x20983}, {0x2098C, 0x2098C}, {0x2099C, 0x2099C},
    {0x20AEA, 0x20AEA}, {0x20AFD, 0x20AFD}, {0x20B19, 0x20B19}, {0x22390, 0x22390},
    {0x22998, 0x22998}, {0x23B1B, 0x23B1B}, {0x2626D, 0x2626D}, {0x2F890, 0x2F890},
};

/* Other_Lowercase (Unicode 14 PropList): lowercase but not Ll. */
static const tm_range other_lower_ranges[24] = {
    {0x00AA, 0x00AA},   {0x00BA, 0x00BA},   {0x02B0, 0x02B8},   {0x02C0, 0x02C1},
    {0x02E0, 0x02E4},   {0x0345, 0x0345},   {0x037A, 0x037A},   {0x1D2C, 0x1D6A},
    {0x1D78, 0x1D78},   {0x1D9B, 0x1DBF},   {0x2071, 0x2071},   {0x207F, 0x207F},
    {0x2090, 0x209C},   {0x2170, 0x217F},   {0x24D0, 0x24E9},   {0x2C7C, 0x2C7D},
    {0xA69C, 0xA69D},   {0xA770, 0xA770},   {0xA7F8, 0xA7F9},   {0xAB5C, 0xAB5F},
    {0x10780, 0x10780}, {0x10783, 0x10785}, {0x10787, 0x107B0}, {0x107B2, 0x107BA},
};

/* Other_Uppercase: Roman numerals, circled and squared Latin capitals. */
static const tm_range other_upper_ranges[5] = {
    {0x2160, 0x216F}, {0x24B6, 0x24CF}, {0x1F130, 0x1F149}, {0x1F150, 0x1F169}, {0x1F170, 0x1F189},
};

#define SP TM_CF_SPACE
#define AL TM_CF_ALPHA
#define UP TM_CF_UPPER
#define LO TM_CF_LOWER
#define DE TM_CF_DECIMAL
#define NU TM_CF_NUMERIC
#define WO TM_CF_WORD
#define PU TM_CF_PUNCT
#define SY TM_CF_SYMBOL
#define MK TM_CF_MARK
#define CC TM_CF_CONTROL
#define DT TM_CF_DT_PUNCT
#define TE TM_CF_TERMINAL
#define FO TM_CF_FORMAT

/* Flags of U+0000..U+00FF, generated from Python 3.11; the unit test checks
 * it against the general path below. */
/* clang-format off */
const uint16_t tmi_latin1_flags[256] = {
    /* 00 */ CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,
    /* 08 */ CC|DT,    SP|CC,    SP|CC,    SP|CC|DT, SP|CC|DT, SP|CC|DT, CC|DT,    CC|DT,
    /* 10 */ CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,
    /* 18 */ CC|DT,    CC|DT,    CC|DT,    CC|DT,    SP|CC|DT, SP|CC|DT, SP|CC|DT, SP|CC|DT,
    /* 20 */ SP,       PU|DT|TE, PU|DT,    PU|DT,    SY|DT,    PU|DT,    PU|DT,    PU|DT,
    /* 28 */ PU|DT,    PU|DT,    PU|DT,    SY|DT,    PU|DT,    PU|DT,    PU|DT|TE, PU|DT,
    /* 30 */ DE|NU|WO, DE|NU|WO, DE|NU|WO, DE|NU|WO, DE|NU|WO, DE|NU|WO, DE|NU|WO, DE|NU|WO,
    /* 38 */ DE|NU|WO, DE|NU|WO, PU|DT,    PU|DT,    SY|DT,    SY|DT,    SY|DT,    PU|DT|TE,
    /* 40 */ PU|DT,    AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO,
    /* 48 */ AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO,
    /* 50 */ AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO,
    /* 58 */ AL|UP|WO, AL|UP|WO, AL|UP|WO, PU|DT,    PU|DT,    PU|DT,    SY|DT,    WO|PU|DT,
    /* 60 */ SY|DT,    AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO,
    /* 68 */ AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO,
    /* 70 */ AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO,
    /* 78 */ AL|LO|WO, AL|LO|WO, AL|LO|WO, PU|DT,    SY|DT,    PU|DT,    SY|DT,    CC|DT,
    /* 80 */ CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    SP|CC|DT, CC|DT,    CC|DT,
    /* 88 */ CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,
    /* 90 */ CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,
    /* 98 */ CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,    CC|DT,
    /* A0 */ SP,       PU,       SY,       SY,       SY,       SY,       SY,       PU,
    /* A8 */ SY,       SY,       AL|LO|WO, PU|DT,    SY,       FO,       SY,       SY,
    /* B0 */ SY,       SY,       NU|WO,    NU|WO,    SY|DT,    AL|LO|WO, PU,       PU,
    /* B8 */ SY,       NU|WO,    AL|LO|WO, PU|DT,    NU|WO,    NU|WO,    NU|WO,    PU,
    /* C0 */ AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO,
    /* C8 */ AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO,
    /* D0 */ AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, SY,
    /* D8 */ AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|UP|WO, AL|LO|WO,
    /* E0 */ AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO,
    /* E8 */ AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO,
    /* F0 */ AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, SY,
    /* F8 */ AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO, AL|LO|WO,
};
/* clang-format on */

#undef SP
#undef AL
#undef UP
#undef LO
#undef DE
#undef NU
#undef WO
#undef PU
#undef SY
#undef MK
#undef CC
#undef DT
#undef TE
#undef FO

/* Blocks of the scripts written without spaces (Scripts.txt for Han,
 * Hiragana, Katakana, Thai, Lao, Tibetan, Myanmar, Khmer, plus the kana
 * length and voicing marks that Scripts.txt files under Common). */
static const tm_range nospace_ranges[] = {
    {0x0E01, 0x0E5B},   {0x0E81, 0x0EDF},   {0x0F00, 0x0FDA},   {0x1000, 0x109F},
    {0x1780, 0x17F9},   {0x19E0, 0x19FF},   {0x2E80, 0x2EF3},   {0x2F00, 0x2FD5},
    {0x3005, 0x3005},   {0x3007, 0x3007},   {0x3021, 0x3029},   {0x3038, 0x303B},
    {0x3041, 0x3096},   {0x3099, 0x30FA},   {0x30FC, 0x30FF},   {0x31F0, 0x31FF},
    {0x32D0, 0x32FE},   {0x3300, 0x3357},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},
    {0xA9E0, 0xA9FE},   {0xAA60, 0xAA7F},   {0xF900, 0xFAD9},   {0xFF66, 0xFF9F},
    {0x16FF0, 0x16FF1}, {0x1AFF0, 0x1AFFE}, {0x1B000, 0x1B16F}, {0x1F200, 0x1F200},
    {0x20000, 0x2A6DF}, {0x2A700, 0x2EBEF}, {0x2F800, 0x2FA1F}, {0x30000, 0x323AF},
};

/* For each table, bit k is set when one of its ranges meets the BMP block
 * U+(k*1024)..U+(k*1024+1023) (generated from the tables above): one shift
 * rejects most code points before the bisection, e.g. every Cyrillic,
 * Arabic or Devanagari letter for the nospace table. Code points above
 * U+FFFF always search. test_text checks the gated path against a search of
 * every table for every code point, and the set sizes (281, 159). */
#define DT_PUNCT_BLOCKS      0x8000060000001bf7ull
#define TERMINAL_BLOCKS      0x80000600000019f7ull
#define NUMERIC_LO_BLOCKS    0x4000002b3bf86000ull
#define OTHER_LOWER_BLOCKS   0x0000060000000b81ull
#define OTHER_UPPER_BLOCKS   0x0000000000000300ull
#define NOSPACE_BLOCKS       0xc00004fffffff878ull
#define MAY_MEET(blocks, cp) ((uint32_t)(cp) > 0xFFFF || (((blocks) >> ((uint32_t)(cp) >> 10)) & 1))

static int is_space_slow(int32_t cp) {
    return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Code points above U+00FF: every flag from the general category plus the
 * embedded property tables. */
static unsigned flags_slow(int32_t cp) {
    unsigned f = 0;
    if (cp < 0 || cp > 0x10FFFF) return 0;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: f = TM_CF_ALPHA | TM_CF_UPPER | TM_CF_WORD; break;
    case UTF8PROC_CATEGORY_LL: f = TM_CF_ALPHA | TM_CF_LOWER | TM_CF_WORD; break;
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: f = TM_CF_ALPHA | TM_CF_WORD; break;
    case UTF8PROC_CATEGORY_LO:
        f = TM_CF_ALPHA | TM_CF_WORD;
        if (cp >= 0x3405 && MAY_MEET(NUMERIC_LO_BLOCKS, cp) &&
            in_ranges(numeric_lo_ranges, NRANGES(numeric_lo_ranges), cp))
            f |= TM_CF_NUMERIC;
        break;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: f = TM_CF_MARK; break;
    case UTF8PROC_CATEGORY_ND: f = TM_CF_DECIMAL | TM_CF_NUMERIC | TM_CF_WORD; break;
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: f = TM_CF_NUMERIC | TM_CF_WORD; break;
    case UTF8PROC_CATEGORY_PC: f = TM_CF_PUNCT | (cp == '_' ? TM_CF_WORD : 0); break;
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO: f = TM_CF_PUNCT; break;
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO: f = TM_CF_SYMBOL; break;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP: f = is_space_slow(cp) ? TM_CF_SPACE : 0; break;
    case UTF8PROC_CATEGORY_CC: f = TM_CF_CONTROL | (is_space_slow(cp) ? TM_CF_SPACE : 0); break;
    case UTF8PROC_CATEGORY_CF: f = TM_CF_FORMAT; break;
    default: break;
    }
    /* Each property table is searched only for the categories its members
     * have (checked by the unit test over all code points): Other_Uppercase
     * is Nl/So, Other_Lowercase Lo/Lm/Mn/Nl/So, the datatrove sets P*, S*,
     * Cc and U+FF11. Letters (Ll, Lu, most Lo) pay for one search at most. */
    if ((f & (TM_CF_NUMERIC | TM_CF_SYMBOL)) && MAY_MEET(OTHER_UPPER_BLOCKS, cp)) {
        if (in_ranges(other_upper_ranges, NRANGES(other_upper_ranges), cp)) f |= TM_CF_UPPER;
    }
    if ((f & (TM_CF_ALPHA | TM_CF_MARK | TM_CF_NUMERIC | TM_CF_SYMBOL)) && !(f & TM_CF_LOWER) &&
        MAY_MEET(OTHER_LOWER_BLOCKS, cp)) {
        if (in_ranges(other_lower_ranges, NRANGES(other_lower_ranges), cp)) f |= TM_CF_LOWER;
    }
    if ((f & (TM_CF_PUNCT | TM_CF_SYMBOL | TM_CF_CONTROL)) || cp == 0xFF11) {
        if (MAY_MEET(DT_PUNCT_BLOCKS, cp) &&
            in_ranges(dt_punct_ranges, NRANGES(dt_punct_ranges), cp))
            f |= TM_CF_DT_PUNCT;
        if (MAY_MEET(TERMINAL_BLOCKS, cp) &&
            in_ranges(terminal_ranges, NRANGES(terminal_ranges), cp))
            f |= TM_CF_TERMINAL;
    }
    if (cp >= 0x0E01 && MAY_MEET(NOSPACE_BLOCKS, cp) &&
        in_ranges(nospace_ranges, NRANGES(nospace_ranges), cp))
        f |= TM_CF_NOSPACE;
    return f;
}

unsigned tmi_char_flags(int32_t cp) {
    if ((uint32_t)cp < 256) return tmi_latin1_flags[cp];
    return flags_slow(cp);
}

/* The single predicates avoid the range searches they do not need. */
static inline int cat_of(int32_t cp) {
    return (uint32_t)cp <= 0x10FFFF ? (int)utf8proc_category(cp) : UTF8PROC_CATEGORY_CN;
}

int tmi_is_space(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_SPACE) != 0;
    return is_space_slow(cp);
}

int tmi_is_alpha(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_ALPHA) != 0;
    int c = cat_of(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

int tmi_is_upper(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_UPPER) != 0;
    return cat_of(cp) == UTF8PROC_CATEGORY_LU ||
           in_ranges(other_upper_ranges, NRANGES(other_upper_ranges), cp);
}

int tmi_is_lower(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_LOWER) != 0;
    return cat_of(cp) == UTF8PROC_CATEGORY_LL ||
           in_ranges(other_lower_ranges, NRANGES(other_lower_ranges), cp);
}

int tmi_is_decimal(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_DECIMAL) != 0;
    return cat_of(cp) == UTF8PROC_CATEGORY_ND;
}

int tmi_is_numeric(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_NUMERIC) != 0;
    int c = cat_of(cp);
    if (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO) return 1;
    return c == UTF8PROC_CATEGORY_LO &&
           in_ranges(numeric_lo_ranges, NRANGES(numeric_lo_ranges), cp);
}

int tmi_is_alnum(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & (TM_CF_ALPHA | TM_CF_NUMERIC)) != 0;
    int c = cat_of(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

int tmi_is_word(int32_t cp) {
    /* Python re \w = isalnum() or '_'; '_' is in the Latin-1 table. */
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_WORD) != 0;
    return tmi_is_alnum(cp);
}

int tmi_is_punct(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_PUNCT) != 0;
    int c = cat_of(cp);
    return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

int tmi_is_symbol(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_SYMBOL) != 0;
    int c = cat_of(cp);
    return c >= UTF8PROC_CATEGORY_SM && c <= UTF8PROC_CATEGORY_SO;
}

int tmi_is_mark(int32_t cp) {
    if ((uint32_t)cp < 256) return 0;
    int c = cat_of(cp);
    return c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME;
}

int tmi_is_control(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_CONTROL) != 0;
    return 0;
}

int tmi_is_format(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_FORMAT) != 0;
    return cat_of(cp) == UTF8PROC_CATEGORY_CF;
}

int tmi_is_dt_punct(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_DT_PUNCT) != 0;
    if (!MAY_MEET(DT_PUNCT_BLOCKS, cp)) return 0;
    return in_ranges(dt_punct_ranges, NRANGES(dt_punct_ranges), cp);
}

int tmi_is_terminal_punct(int32_t cp) {
    if ((uint32_t)cp < 256) return (tmi_latin1_flags[cp] & TM_CF_TERMINAL) != 0;
    if (!MAY_MEET(TERMINAL_BLOCKS, cp)) return 0;
    return in_ranges(terminal_ranges, NRANGES(terminal_ranges), cp);
}

int tmi_is_nospace_script(int32_t cp) {
    if (cp < 0x0E01) return 0;
    return in_ranges(nospace_ranges, NRANGES(nospace_ranges), cp);
}

int tmi_str_isupper(const char *s, size_t len) {
    int cased = 0;
    size_t i = 0;
    while (i < len) {
        int32_t cp;
        i += tmi_utf8_decode(s + i, len - i, &cp);
        unsigned f = tmi_char_flags(cp);
        if (f & TM_CF_LOWER) return 0;
        if (f & TM_CF_UPPER) {
            cased = 1;
        } else if ((uint32_t)cp >= 256 && cat_of(cp) == UTF8PROC_CATEGORY_LT) {
            return 0; /* titlecase (ǅ) makes a string not upper */
        }
    }
    return cased;
}

/* Not in text.h: lets the unit test check the Latin-1 table and the
 * category gating of flags_slow against a search of every table. */
unsigned tmi_char_flags_general(int32_t cp);
unsigned tmi_char_flags_general(int32_t cp) {
    /* no category gating: every property table is searched */
    unsigned f = flags_slow(cp);
    if (cp < 0 || cp > 0x10FFFF) return f;
    if (in_ranges(other_upper_ranges, NRANGES(other_upper_ranges), cp)) f |= TM_CF_UPPER;
    if (in_ranges(other_lower_ranges, NRANGES(other_lower_ranges), cp)) f |= TM_CF_LOWER;
    if (in_ranges(dt_punct_ranges, NRANGES(dt_punct_ranges), cp)) f |= TM_CF_DT_PUNCT;
    if (in_ranges(terminal_ranges, NRANGES(terminal_ranges), cp)) f |= TM_CF_TERMINAL;
    if (in_ranges(nospace_ranges, NRANGES(nospace_ranges), cp)) f |= TM_CF_NOSPACE;
    return f;
}
