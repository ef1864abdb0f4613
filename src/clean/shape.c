/*
 * shape.c — what a paragraph of `tamis clean` is: the shape of each
 * paragraph (prose, heading, list item, option, table row, code...) and
 * whether a line is prose, so that stages 3-5 only touch prose.
 *
 * Repeated and reworded drops were tuned on news, where a paragraph is a
 * line of prose. Technical and templated text repeats on purpose: the
 * descriptions of two options of one command, the bullet items of a CLI
 * reference, table rows, code, the articles of a legal text under their
 * headings. Only a prose paragraph is a unit to drop, and only against a
 * prose paragraph of the same section, or of another one for long prose
 * outside any item (docs/CLEAN.md, "Paragraph shapes", "Sections").
 *
 * Algorithm, one pass over the lines of a paragraph (a line in line mode,
 * a block of lines between blank lines in block mode), then one rule per
 * shape, first match wins (docs/CLEAN.md has the table with examples):
 *  - CODE: a line inside a fenced block (``` or ~~~, tracked across
 *    paragraphs), or with a code marker: a line opening with a comment or
 *    preprocessor mark ("//", "/ *" without the space, "#include", "#undef",
 *    "#!"), a shell prompt ("$ ", "% ", "# " and a lowercase command),
 *    opening with "{" or "}", ending with "{", "}", ");" or " \", ending
 *    with ";" after "_", "=" or "(", or holding an operator that prose does
 *    not write ("->", "::", "==", "!=", "&&", "||", "+=", ":=", "=>", "();");
 *    "::" inside a qualified name of prose ("DateTime::Locale") is none.
 *  - TABLE (a page header or footer): one line with a gap of 6+ spaces.
 *  - HEADING: a one-line paragraph of at most 12 words and 100 bytes
 *    without final sentence punctuation (the Tibetan shad may end it:
 *    "Article 7", "OPTIONS", "## Install", a title), or a line of only "=",
 *    "-", "~", "*", "#" (underlined titles).
 *  - LIST: the first line opens with a bullet or a run of one (•, ◦, ▪, ·,
 *    -, *, +, –, — and a space: "** item") or a number or letter and ".",
 *    ")" ("1. ", "2) ", "(a) ", "Q. ").
 *  - OPTION: the first line opens with "-x" / "--flag" / "+x" (man pages'
 *    option lists and their indented descriptions).
 *  - TABLE: cells that start at the same column on two lines of a block
 *    (or on a neighbouring line, in line mode, for a row of short cells), a
 *    tab or two "|" or one " | " (a diffstat) inside a line, or one gap of
 *    3 spaces or more after a short first cell on the first line ("-b
 *    like --backup"; justified text pads with two). A gap is a tab or a
 *    run of two or more spaces between two words, except after sentence
 *    punctuation (two spaces after a full stop is typography).
 *  - HEADING too: a block whose first line is less indented than the rest
 *    (a term and its hanging description), or a short first line without
 *    sentence punctuation above a list item or a longer line (a title
 *    glued above), or a block ending with an underline.
 *  - TABLE too: a block of "Key: value" fields (a package's Section,
 *    Maintainer, Depends): a record, not a title above its text.
 *  - DATA: letters are under 3/4 of the characters that are not spaces or
 *    sentence punctuation (paths, numbers, identifiers), or an ASCII block
 *    whose lines are one token each ("foo()", "/tmp/test.cpp:8:10").
 *  - SHORT: a one-line paragraph of fewer than 12 letters, or of fewer
 *    than 8 words and 40 letters (scripts without spaces have few "words").
 *  - WRAPPED (line mode): a line of at most WRAP_BYTES that does not end a
 *    sentence followed by a line that starts in lowercase, or such a
 *    continuation line: a hard-wrapped paragraph cut into lines, whose
 *    lines are not units.
 *  - LEAD: prose that ends with a colon ("To list them, run:") introduces
 *    the example or list after it and is part of it.
 *  - PROSE otherwise. Which section a paragraph belongs to follows from
 *    indentation and headings: shape_all() in paragraphs.c.
 * tmi_clean_prose_line() is the line-level test of stage 5 (doubled words),
 * tmi_shape_glued_heading() the split of a title glued above its text.
 */
#include "clean/clean_int.h"

#include "text/text.h"

#include <string.h>
#include <utf8proc.h>

/* Sentence punctuation: neutral in the letter ratio, terminal when it ends
 * a line (with closing quotes and brackets after it). */
static int terminal_cp(int32_t cp) {
    return cp == '.' || cp == '!' || cp == '?' || cp == ';' || cp == ':' || cp == 0x2026 ||
           cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == 0xFF1A ||
           cp == 0x0964 || cp == 0x0965 || cp == 0x0F0D || cp == 0x0F0E || cp == 0x06D4 ||
           cp == 0x061F || cp == 0x104B || cp == 0x17D4 || cp == 0x0589 || cp == 0x1362;
}

static int closing_cp(int32_t cp) {
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0xBB || cp == 0x2019 ||
           cp == 0x201D || cp == 0x300D || cp == 0x300F || cp == 0xFF09;
}

static int neutral_cp(int32_t cp) {
    return terminal_cp(cp) || closing_cp(cp) || cp == ',' || cp == '(' || cp == '[' || cp == '-' ||
           cp == 0xAB || cp == 0x2018 || cp == 0x201C || cp == 0x2013 || cp == 0x2014 ||
           cp == 0x3001 || cp == 0xFF0C || cp == 0x300C || cp == 0x300E || cp == 0xFF08 ||
           cp == 0x060C || cp == '/' || cp == '%' || cp == '&';
}

/* A letter or combining mark: the word characters of the paragraph
 * comparisons (tmi_clean_word_cp) less the numbers. */
static int letter_cp(int32_t cp) {
    if (cp < 0x80) return (cp | 32) >= 'a' && (cp | 32) <= 'z';
    if (!tmi_clean_word_cp(cp)) return 0;
    utf8proc_category_t c = utf8proc_category(cp);
    return c != UTF8PROC_CATEGORY_ND && c != UTF8PROC_CATEGORY_NL && c != UTF8PROC_CATEGORY_NO;
}

static int digit_cp(int32_t cp) {
    if (cp < 0x80) return cp >= '0' && cp <= '9';
    if (cp < 0x250) return 0;
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_ND || c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
}

static int is_lower_cp(int32_t cp) {
    if (cp < 0x80) return cp >= 'a' && cp <= 'z';
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

static int starts_with(const char *s, size_t n, const char *lit) {
    size_t k = strlen(lit);
    return n >= k && !memcmp(s, lit, k);
}

static int contains(const char *s, size_t n, const char *lit) {
    size_t k = strlen(lit);
    for (size_t i = 0; i + k <= n; i++)
        if (s[i] == lit[0] && !memcmp(s + i, lit, k)) return 1;
    return 0;
}

/* "::" that is not inside a qualified name of prose ("DateTime::Locale",
 * "LaTeX::TOM::Tree": Perl modules in a package description): a scope
 * operator of code ("std::", "::1", "a ::b"). A qualified name in code
 * comes with other marks (";", "(", "{", "<"...). */
static int bare_scope(const char *t, size_t n) {
    int marks = -1; /* the line's code marks, looked up at the first "::" only */
    for (size_t i = 0; i + 1 < n; i++) {
        if (t[i] != ':' || t[i + 1] != ':') continue;
        if (marks < 0)
            marks = memchr("<(;{", t[n - 1], 4) || memchr(t, '(', n) || memchr(t, '<', n);
        int l = i > 0 && ((t[i - 1] | 32) >= 'a' && (t[i - 1] | 32) <= 'z');
        int r = i + 2 < n && ((t[i + 2] | 32) >= 'a' && (t[i + 2] | 32) <= 'z');
        if (marks || !l || !r || (t[i + 2] >= 'a' && t[i + 2] <= 'z')) return 1;
        i++;
    }
    return 0;
}

/* What one line says about its paragraph's shape. */
typedef struct line_feat {
    size_t indent; /* columns of leading spaces and tabs (tabs to multiples of 8) */
    size_t words, letters, other, bytes;
    size_t gaps, first_cell_words, first_gap, max_gap, pipes;
    uint64_t cols[2];          /* columns (< 128) where a cell starts after a gap */
    int inner_tab;             /* a tab after the first word */
    int32_t first_cp, last_cp; /* first and last characters, closing marks skipped at the end */
    int code, bullet, option, rule, fence, terminal;
    int head_end; /* may end a heading: no sentence punctuation */
    int spaced;   /* a space or tab after the first character: more than one token */
    int field;    /* "Key: value", "Build-Depends: ...": a record field */
    int assign;   /* "net.ipv4.ip_forward = 1", "KEY=value": a setting */
    int byline;   /* ends with "<user@host>": a ChangeLog entry's header, a byline */
} line_feat;

/* Bullets followed by a space: •, ◦, ▪, ‣, ·, ■, □, ●, ○, -, *, +, –, —. */
static int bullet_cp(int32_t cp) {
    return cp == 0x2022 || cp == 0x25E6 || cp == 0x25AA || cp == 0x2023 || cp == 0xB7 ||
           cp == 0x25A0 || cp == 0x25A1 || cp == 0x25CF || cp == 0x25CB || cp == '-' || cp == '*' ||
           cp == '+' || cp == 0x2013 || cp == 0x2014;
}

/* "1. ", "12) ", "a) ", "(3) ", "iv. " at the start of t (after the indentation). */
static int numbered(const char *t, size_t n) {
    size_t i = 0;
    if (i < n && t[i] == '(') i++;
    size_t d = i;
    while (i < n && i - d < 4 && ((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'z')))
        i++;
    if (i == d && i + 2 < n && t[i] >= 'A' && t[i] <= 'Z' && (t[i + 1] == '.' || t[i + 1] == ')') &&
        t[i + 2] == ' ')
        return 1; /* "Q. ", "A) ": questions and answers, lettered items */
    if (i == d || i >= n) return 0;
    int digits = t[d] >= '0' && t[d] <= '9';
    if (!digits && i - d > 1) { /* letters: one letter or a roman numeral */
        for (size_t k = d; k < i; k++)
            if (!strchr("ivx", t[k])) return 0;
    }
    if (t[i] != '.' && t[i] != ')') return 0;
    return i + 1 < n && (t[i + 1] == ' ' || t[i + 1] == '\t');
}

static void line_features(const char *s, size_t b, size_t e, line_feat *f) {
    memset(f, 0, sizeof *f);
    size_t i = b, col = 0;
    for (; i < e && (s[i] == ' ' || s[i] == '\t'); i++)
        col = s[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
    f->indent = col;
    const char *t = s + i;
    size_t tn = e - i;
    f->bytes = tn;
    if (!tn) return;
    /* Markers at the start of the line. */
    if (starts_with(t, tn, "```") || starts_with(t, tn, "~~~")) f->fence = 1;
    if (starts_with(t, tn, "//") || starts_with(t, tn, "/*") || starts_with(t, tn, "*/") ||
        starts_with(t, tn, "#include") || starts_with(t, tn, "#define") ||
        starts_with(t, tn, "#if") || starts_with(t, tn, "#!") || starts_with(t, tn, "$ ") ||
        starts_with(t, tn, "% ") || starts_with(t, tn, "}") || starts_with(t, tn, "{") ||
        (starts_with(t, tn, "# ") && tn > 2 && t[2] >= 'a' && t[2] <= 'z') ||
        (t[0] == '#' && tn > 1 && t[1] >= 'a' && t[1] <= 'z')) /* #undef, #pragma */
        f->code = 1;
    if ((t[0] == '-' || t[0] == '+') && tn > 1 &&
        ((t[1] >= 'a' && t[1] <= 'z') || (t[1] >= 'A' && t[1] <= 'Z') ||
         (t[1] >= '0' && t[1] <= '9') || (t[1] == '-' && tn > 2 && t[2] != '-' && t[2] != ' ')))
        f->option = 1;
    if (numbered(t, tn)) f->bullet = 1;
    {
        size_t k = 0; /* a record field: a capitalised key of letters and "-", ": " */
        if (t[0] >= 'A' && t[0] <= 'Z')
            while (k < tn && k < 32 &&
                   ((t[k] | 32) >= 'a' && (t[k] | 32) <= 'z' ? 1 : t[k] == '-' && k > 0))
                k++;
        f->field = k > 1 && k + 1 < tn && t[k] == ':' && t[k + 1] == ' ';
    }
    {
        /* A setting: one token of a name's characters, then "=" (not "=="),
         * then a value. Prose writes "x = y" inside a sentence, never as a
         * line of its own that starts with the name. */
        size_t k = 0;
        while (k < tn && (((t[k] | 32) >= 'a' && (t[k] | 32) <= 'z') ||
                          (t[k] >= '0' && t[k] <= '9') || strchr("_.-/[]", t[k])))
            k++;
        size_t eq = k;
        while (eq < tn && t[eq] == ' ') eq++;
        f->assign = k > 0 && eq + 1 < tn && t[eq] == '=' && t[eq + 1] != '=' &&
                    ((t[0] | 32) >= 'a' && (t[0] | 32) <= 'z'); /* "--flag=X" is an option */
    }
    int32_t cp0;
    size_t l0 = tmi_utf8_decode_fast(t, tn, &cp0);
    f->first_cp = cp0;
    size_t run = l0; /* "** item", "-- item": a run of one bullet */
    while (cp0 < 0x80 && run < tn && t[run] == (char)cp0) run++;
    if (bullet_cp(cp0) && run < tn && (t[run] == ' ' || t[run] == '\t')) f->bullet = 1;
    if (contains(t, tn, "->") || bare_scope(t, tn) || contains(t, tn, "==") ||
        contains(t, tn, "!=") || contains(t, tn, "&&") || contains(t, tn, "||") ||
        contains(t, tn, "+=") || contains(t, tn, ":=") || contains(t, tn, "=>") ||
        contains(t, tn, "();") || contains(t, tn, "){"))
        f->code = 1;
    /* One pass over the characters: words, letters, gaps, the last one. */
    int in_word = 0, rule = 1;
    size_t spaces = 0, cells_words = 0;
    int32_t prev = 0, last = 0, last_strong = 0;
    size_t column = col;
    for (size_t k = 0; k < tn; column++) {
        int32_t cp;
        size_t l = tmi_utf8_decode_fast(t + k, tn - k, &cp);
        k += l;
        if (cp == ' ' || cp == '\t') {
            spaces += cp == '\t' ? 2 : 1;
            f->inner_tab |= cp == '\t';
            f->spaced = 1;
            in_word = 0;
            continue;
        }
        if (spaces >= 2 && prev && !terminal_cp(prev)) {
            if (!f->gaps) f->first_cell_words = cells_words, f->first_gap = spaces;
            if (spaces > f->max_gap) f->max_gap = spaces;
            f->gaps++;
            if (column < 128) f->cols[column / 64] |= 1ull << (column % 64);
        }
        spaces = 0;
        if (cp == '|') f->pipes += prev && k < tn && t[k] == ' ' ? 2 : 1; /* "a | b": cells */
        if (!strchr("=-~*#_", cp < 0x80 ? (int)cp : 'x')) rule = 0;
        int let = letter_cp(cp), dig = !let && digit_cp(cp);
        if (let || dig) {
            if (!in_word) f->words++, cells_words++;
            in_word = 1;
            f->letters += (size_t)let;
            f->other += (size_t)dig;
        } else {
            in_word = 0;
            if (!neutral_cp(cp)) f->other++;
        }
        prev = cp;
        last = cp;
        if (!closing_cp(cp) && cp != '*' && cp != '_') last_strong = cp; /* "**bold.**" */
    }
    f->rule = rule && tn >= 3;
    f->last_cp = last_strong ? last_strong : last;
    f->terminal = terminal_cp(f->last_cp);
    /* The Tibetan shad closes a heading as well as a sentence. */
    f->head_end = !f->terminal || f->last_cp == 0x0F0D || f->last_cp == 0x0F0E;
    /* A line that ends with an address in angle brackets and no sentence
     * punctuation is a byline: it names who wrote the text it heads. */
    if (tn >= 5 && t[tn - 1] == '>') {
        size_t k = tn - 1;
        while (k > 0 && t[k - 1] != '<' && t[k - 1] != ' ') k--;
        f->byline = k > 0 && t[k - 1] == '<' && memchr(t + k, '@', tn - 1 - k) != NULL;
    }
    if (last == '{' || last == '}' || (tn >= 2 && (t[tn - 1] == '\\' && t[tn - 2] == ' ')) ||
        (tn >= 2 && t[tn - 1] == ';' && t[tn - 2] == ')'))
        f->code = 1;
    if (last == ';' && (memchr(t, '_', tn) || memchr(t, '=', tn) || memchr(t, '(', tn)))
        f->code = 1; /* "typedef int __s32;", "x = 1;" */
}

static int ascii_only(const char *s, size_t b, size_t e) {
    for (; b < e; b++)
        if ((unsigned char)s[b] >= 0x80) return 0;
    return 1;
}

void tmi_shape_begin(tm_shape_ctx *c, int block) {
    memset(c, 0, sizeof *c);
    c->block = block;
}

/* Hard-wrapped lines are at most this long (72-80 columns, with some
 * multi-byte letters); longer lines are paragraphs, even when extraction
 * broke them mid-sentence. */
#define WRAP_BYTES 100

/* Line mode: does a neighbouring line have a cell at one of the columns
 * of f (the line s[b, e))? */
static int aligned_neighbour(const char *s, size_t n, size_t b, size_t e, const line_feat *f) {
    line_feat g;
    if (b > 0) {
        size_t pb = b - 1;
        while (pb > 0 && s[pb - 1] != '\n') pb--;
        line_features(s, pb, b - 1, &g);
        if ((g.cols[0] & f->cols[0]) | (g.cols[1] & f->cols[1])) return 1;
    }
    if (e < n) {
        size_t ne = e + 1;
        while (ne < n && s[ne] != '\n') ne++;
        line_features(s, e + 1, ne, &g);
        if ((g.cols[0] & f->cols[0]) | (g.cols[1] & f->cols[1])) return 1;
    }
    return 0;
}

/* Is the line that ends before s[i] (i at a line start) a non-blank line
 * that does not end a sentence? Line mode only: its neighbours. */
static int prev_line_open(const char *s, size_t i) {
    if (i == 0) return 0;
    size_t e = i - 1; /* the '\n' */
    size_t b = e;
    while (b > 0 && s[b - 1] != '\n') b--;
    line_feat f;
    line_features(s, b, e, &f);
    return f.bytes > 0 && f.bytes <= WRAP_BYTES && !f.terminal && f.words >= 3;
}

static int next_line_lower(const char *s, size_t n, size_t e) {
    if (e >= n) return 0;
    size_t b = e + 1, k = b;
    while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
    if (k >= n || s[k] == '\n') return 0;
    int32_t cp;
    tmi_utf8_decode_fast(s + k, n - k, &cp);
    return is_lower_cp(cp);
}

int tmi_shape_classify(tm_shape_ctx *c, const char *s, size_t n, size_t beg, size_t end,
                       size_t *indent) {
    line_feat f, first, second;
    memset(&first, 0, sizeof first);
    memset(&second, 0, sizeof second);
    size_t lines = 0, words = 0, letters = 0, other = 0, min_rest = (size_t)-1;
    int code = 0, table = 0, in_fence = c->fence, fenced = c->fence, spaced = 0, fields = 1;
    int assigns = 1;
    uint64_t cols[2] = {0, 0}; /* cell columns of the lines so far */
    int32_t last_cp = 0;
    for (size_t i = beg; i < end;) {
        const char *nl = memchr(s + i, '\n', end - i);
        size_t le = nl ? (size_t)(nl - s) : end;
        line_features(s, i, le, &f);
        if (!lines)
            first = f;
        else if (f.bytes && f.indent < min_rest)
            min_rest = f.indent;
        if (lines == 1) second = f;
        lines++;
        if (f.fence) {
            in_fence = !in_fence;
            fenced = 1;
        }
        code |= f.code;
        /* Columns: cells that start at the same column on two lines (the
         * gaps of justified text fall anywhere), cells separated by tabs or
         * "|", or a term and its definition on the first line. */
        table |= f.pipes >= 2 || f.inner_tab ||
                 (lines == 1 && f.gaps == 1 && f.first_gap >= 3 && f.first_cell_words <= 3) ||
                 (lines > 1 && ((f.cols[0] & cols[0]) | (f.cols[1] & cols[1])));
        cols[0] |= f.cols[0], cols[1] |= f.cols[1];
        last_cp = f.bytes ? f.last_cp : last_cp;
        words += f.words, letters += f.letters, other += f.other;
        spaced |= f.spaced;
        fields &= f.field | !f.bytes;
        assigns &= f.assign | !f.bytes;
        i = le + 1;
    }
    c->fence = in_fence;
    *indent = lines ? first.indent : 0;
    if (!lines) return TM_SHAPE_DATA;
    if (fenced || code || assigns) return TM_SHAPE_CODE;
    /* A page header or footer ("SLEEP(1)     User Commands     SLEEP(1)")
     * spreads cells over the line: furniture, not a title. */
    if (lines == 1 && first.max_gap >= 6) return TM_SHAPE_TABLE;
    int short_head = first.words <= 12 && first.bytes <= 100 && first.head_end;
    /* A byline heads what follows it however many words its date and
     * address make (a ChangeLog entry's "date  Name  <user@host>"). */
    if (first.rule || (lines == 1 && (short_head || first.byline))) return TM_SHAPE_HEADING;
    if (first.bullet) return TM_SHAPE_LIST;
    /* Lines of "Key: value" fields (a package's Section, Maintainer and
     * Depends, mail headers) are a record, not a title above a paragraph. */
    if (lines > 1 && fields) return TM_SHAPE_TABLE;
    if (first.option) return TM_SHAPE_OPTION;
    /* Line mode: a row of short cells aligned with a neighbour (a long line
     * with stray double spaces next to its own copy is not a table). */
    if (!c->block && lines == 1 && first.gaps && !table && first.words <= 4 * (first.gaps + 1))
        table = aligned_neighbour(s, n, beg, end, &first);
    if (table) return TM_SHAPE_TABLE;
    if (lines > 1 && min_rest != (size_t)-1 && first.indent < min_rest) return TM_SHAPE_HEADING;
    /* A title glued above a list or a paragraph: a short first line without
     * sentence punctuation, then a list item or a longer line. */
    if (lines > 1 && first.words <= 8 && !first.terminal &&
        (second.bullet || second.option || second.bytes > first.bytes + 16))
        return TM_SHAPE_HEADING;
    if (lines > 1) {
        /* An underlined title ("Title\n=====") or a title glued above. */
        line_feat lf;
        size_t lb = end;
        while (lb > beg && s[lb - 1] != '\n') lb--;
        line_features(s, lb, end, &lf);
        if (lf.rule) return TM_SHAPE_HEADING;
    }
    /* Lines of one token each ("foo()", "/tmp/test.cpp:8:10": a program's
     * output, a list of names) are no sentence; scripts written without
     * spaces are. */
    if (4 * letters < 3 * (letters + other) || (lines > 1 && !spaced && ascii_only(s, beg, end)))
        return TM_SHAPE_DATA;
    /* One short sentence ("Update to newest gnulib.", "This is a bugfix
     * release."): repeats legitimately in changelogs, lists and dialogue. */
    if (lines == 1 && (letters < 12 || (words < 8 && letters < 40))) return TM_SHAPE_SHORT;
    if (!c->block && lines == 1 && first.bytes <= WRAP_BYTES) {
        if ((!first.terminal && next_line_lower(s, n, end)) ||
            (prev_line_open(s, beg) && is_lower_cp(first.first_cp)))
            return TM_SHAPE_WRAPPED;
    }
    /* "To list them, run:" introduces the example after it. */
    if (last_cp == ':' || last_cp == 0xFF1A) return TM_SHAPE_LEAD;
    return TM_SHAPE_PROSE;
}

/* Doubled words: is the line s[b, e) prose? No tab, no column gaps between
 * short cells, no code marker, no table cell separators, and letters at
 * least 4/5 of the characters that are not spaces or sentence punctuation. */
int tmi_clean_prose_line(const char *s, size_t b, size_t e) {
    line_feat f;
    if (memchr(s + b, '\t', e - b)) return 0;
    line_features(s, b, e, &f);
    /* Gaps between cells of a few words are columns; stray double spaces in
     * a long sentence (common in extracted web text) are not. */
    if (f.code || (f.gaps && f.words <= 4 * (f.gaps + 1)) || f.pipes || f.fence || f.rule) return 0;
    for (size_t i = b; i < e; i++)
        if (strchr("{}<>=\\$#@_`~^|", s[i] ? s[i] : 'a') && s[i]) return 0;
    return f.words >= 4 && 5 * f.letters >= 4 * (f.letters + f.other);
}

/* Paragraph split: is the line s[b1, e1) a title glued above the line
 * s[b2, e2): at most 8 words and 60 bytes without sentence punctuation,
 * less indented than the line after it? */
int tmi_shape_glued_heading(const char *s, size_t b1, size_t e1, size_t b2, size_t e2) {
    size_t i1 = b1, i2 = b2;
    while (i1 < e1 && s[i1] == ' ') i1++;
    while (i2 < e2 && s[i2] == ' ') i2++;
    if (i1 - b1 + 2 > i2 - b2 || e1 - i1 > 60 || i1 == e1) return 0;
    line_feat f;
    line_features(s, b1, e1, &f);
    return f.words <= 8 && f.head_end && !f.bullet && !f.option && !f.code;
}
