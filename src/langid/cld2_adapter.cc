/*
 * cld2_adapter.cc — the only C++ in libtamis: an extern "C" shim over CLD2.
 *
 * CLD2 (Debian libcld2) is C++ only: std::vector in its header, mangled
 * symbols, exceptions possible in principle. This file calls the
 * UTF-8-checking entry point (ExtDetectLanguageSummaryCheckUTF8, so any bytes
 * are safe), with no chunk vector (nothing is allocated for results) and
 * catches every exception at the C boundary: CLD2 itself allocates about ten
 * short-lived scratch blocks per call, so std::bad_alloc is possible. Detection is re-entrant:
 * CLD2's tables are read-only and its scratch state lives on the stack.
 */
#include <cstddef>
#include <cstdio>
#include <new>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include "langid/langid.h"

extern "C" int tmi_cld2_detect(const char *text, int len, tm_cld2_raw *out) {
    try {
        CLD2::CLDHints hints = {NULL, NULL, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
        CLD2::Language lang3[3] = {CLD2::UNKNOWN_LANGUAGE, CLD2::UNKNOWN_LANGUAGE,
                                   CLD2::UNKNOWN_LANGUAGE};
        int percent3[3] = {0, 0, 0};
        double nscore3[3] = {0, 0, 0};
        int text_bytes = 0, valid_prefix = 0;
        bool reliable = false;
        CLD2::Language summary = CLD2::ExtDetectLanguageSummaryCheckUTF8(
            text, len, true, &hints, 0, lang3, percent3, nscore3, NULL, &text_bytes, &reliable,
            &valid_prefix);
        out->summary = static_cast<int>(summary);
        for (int i = 0; i < 3; i++) {
            out->lang[i] = static_cast<int>(lang3[i]);
            out->percent[i] = percent3[i];
            out->nscore[i] = nscore3[i];
        }
        out->text_bytes = text_bytes;
        out->reliable = reliable ? 1 : 0;
        out->valid_prefix = valid_prefix;
        return 0;
    } catch (const std::bad_alloc &) {
        return -2;
    } catch (...) {
        return -1;
    }
}

extern "C" const char *tmi_cld2_code(int lang) {
    if (lang < 0 || lang >= CLD2::NUM_LANGUAGES) return "un";
    return CLD2::LanguageCode(static_cast<CLD2::Language>(lang));
}

extern "C" const char *tmi_cld2_version(void) {
    return CLD2::DetectLanguageVersion();
}
