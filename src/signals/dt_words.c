/*
 * dt_words.c — the signals computed on datatrove's own English words.
 *
 * datatrove's Gopher and FineWeb filters count the tokens of its English
 * word tokenizer, and its C4 filter the sentences of its sentence splitter;
 * the reference decisions that the gopher, c4 and fineweb presets are
 * measured against (bench/RESULTS.md, "Agreement with datatrove") were made
 * with NLTK's, whose port is text/nltk.c. Those tokens are not substrings
 * of the text (a '"' becomes `` or ''), so they are written to a buffer of
 * their own and the signals read them there (tm_scorer.tokbase); the line,
 * paragraph and character counts still read the text.
 *
 * tamis's own signals (tamis.*) are defined on tamis tokens and keep them,
 * whichever tokenizer the datatrove families use. The NLTK scratch is freed
 * with the scorer (sigutil.c).
 */
#include "signals/signals.h"
#include "text/nltk.h"

#include <stdlib.h>

tm_error tmi_signals_compute_words(tm_scorer *s, int words, const char *text, size_t len,
                                   const char *lang, size_t invalid_utf8, uint64_t mask,
                                   double *values) {
    if (words != TM_WORDS_NLTK)
        return tmi_signals_compute_tokens(s, text, len, NULL, lang, invalid_utf8, mask, values);
    if (!text) text = "";
    tm_error e = TM_OK;
    const uint64_t tamis = tmi_sig_family_mask(TM_FAM_TM); /* the tamis.* signals */
    if (mask & tamis) {
        e = tmi_signals_compute_tokens(s, text, len, NULL, lang, invalid_utf8, mask & tamis,
                                       values);
        if (e) return e;
    }
    mask &= ~tamis;
    if (!mask) return TM_OK;
    if (!s->nltk && !(s->nltk = calloc(1, sizeof *s->nltk))) return TM_ERR_NOMEM;
    if ((e = tmi_nltk_words(s->nltk, text, len, &s->nltk_buf, &s->nltk_toks))) return e;
    s->tokbase = s->nltk_buf.data ? s->nltk_buf.data : "";
    s->punkt = 1;
    e = tmi_signals_compute_tokens(s, text, len, &s->nltk_toks, lang, invalid_utf8, mask, values);
    s->tokbase = NULL;
    s->punkt = 0;
    return e;
}
