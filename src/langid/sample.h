/*
 * sample.h — language identification of a sample of a document, for the
 * jobs that identify every document (`tamis score`, `tamis filter`).
 */
#ifndef TM_LANGID_SAMPLE_H
#define TM_LANGID_SAMPLE_H

#include "tamis.h"

/* tm_langid() on a sample of about budget bytes of text: the whole text
 * when it is no longer, otherwise TM_LANGID_SAMPLE_CHUNKS slices spread
 * evenly from its start to its end, cut at character boundaries and joined
 * with LF. CLD2 costs about as much as all the quality signals per byte, so
 * `tamis score` and `tamis filter` can identify a sample
 * (tm_score_opts.lang_sample); docs/LANGID.md gives the agreement with
 * whole-text answers. budget is capped at TM_LANGID_SAMPLE_MAX; 0 = whole
 * text. Same contract as tm_langid() otherwise (no allocation). */
#define TM_LANGID_SAMPLE_CHUNKS 3
#define TM_LANGID_SAMPLE_MAX    16384
tm_error tmi_langid_sampled(const char *text, size_t len, size_t budget, tm_lang_result *out);

#endif
