/*
 * common.c — what the clean stages share: the names of the edit kinds, the
 * edit log every stage appends to, the word characters of the paragraph and
 * doubled-word comparisons, and the document's language guess (asked of
 * CLD2 once, when a stage first needs it). The stages (encoding.c,
 * normalize.c, paragraphs.c, reworded.c, shape.c, doubled.c) call this file
 * and clean.c calls the stages, so the calls inside clean/ go one way.
 */
#include "clean/clean_int.h"
#include "util/buf.h"

#include "text/text.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

static const char *const edit_names[TM_CLEAN_EDIT_KINDS] = {"fix_encoding",
                                                            "nfc",
                                                            "remove_control",
                                                            "normalize_space",
                                                            "trim_trailing_space",
                                                            "collapse_blank_lines",
                                                            "drop_repeated_paragraph",
                                                            "drop_reworded_paragraph",
                                                            "undouble_word",
                                                            "doubled_word"};

const char *tm_clean_edit_name(int kind) {
    return kind >= 0 && kind < TM_CLEAN_EDIT_KINDS ? edit_names[kind] : "unknown";
}

int tmi_clean_log_begin(tm_clean_log *g, const char *op) {
    if (g->records >= TM_CLEAN_MAX_RECORDS) {
        g->dropped_records++;
        return 0;
    }
    tm_error e = g->records ? tmi_buf_putc(&g->json, ',') : TM_OK;
    TM_THEN(e, tmi_buf_puts(&g->json, "{\"op\":"));
    TM_THEN(e, tmi_json_str(&g->json, op, strlen(op)));
    if (e) {
        if (!g->err) g->err = e;
        return 0;
    }
    g->records++;
    return 1;
}

tm_error tmi_clean_log_end(tm_clean_log *g) {
    return tmi_buf_putc(&g->json, '}');
}

void tmi_clean_log_count(tm_clean_log *g, int kind, uint64_t n) {
    g->counts->n[kind] += n;
}

const unsigned char tmi_clean_ascii_word[128] = {
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   48,  49,  50,  51,  52,  53,  54,  55,  56,
    57,  0,   0,   0,   0,   0,   0,   0,   97,  98,  99,  100, 101, 102, 103, 104, 105, 106, 107,
    108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0,   0,   0,   0,
    0,   0,   97,  98,  99,  100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113,
    114, 115, 116, 117, 118, 119, 120, 121, 122, 0,   0,   0,   0,   0,
};

int32_t tmi_clean_lower(int32_t cp) {
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    if (cp >= 0xC0 && cp <= 0xDE) return cp == 0xD7 ? cp : cp + 32;
    if (cp >= 0xDF && cp <= 0xFF) return cp;
    return utf8proc_tolower(cp);
}

int tmi_clean_word_cp(int32_t cp) {
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp >= 0xC0 && cp < 0x250) return cp != 0xD7 && cp != 0xF7; /* Latin letters */
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return 1;
    default: return 0;
    }
}

tm_error tmi_clean_lang(const char *s, size_t n, tm_lang_guess *lang) {
    if (lang->known) return TM_OK;
    tm_lang_result r;
    tm_error e = tm_langid(s, n, &r);
    /* Out of memory fails the document: "und" would change its edits. */
    if (e == TM_ERR_NOMEM) return e;
    lang->known = 1;
    if (e == TM_OK) {
        snprintf(lang->code, sizeof lang->code, "%s", r.code);
        lang->reliable = r.reliable;
    } else {
        snprintf(lang->code, sizeof lang->code, "und");
        lang->reliable = 0;
    }
    return TM_OK;
}
