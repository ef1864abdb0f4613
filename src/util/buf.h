/*
 * buf.h — growable byte buffers and a small JSON emitter.
 *
 * Every module appends its output to a caller-owned tm_buf (see tamis.h) so
 * that the hot paths reuse memory across documents instead of allocating per
 * record. The JSON helpers only *write* JSON (escaping, numbers); parsing is
 * done by io/json_scan.c for records and by jansson for configuration.
 */
#ifndef TM_UTIL_BUF_H
#define TM_UTIL_BUF_H

#include "tamis.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* Forwards an error: evaluates expr once and returns its error from the
 * calling function when it is one. The one error-forwarding idiom of the
 * library, with TM_THEN for the "first error wins" chains that must run a
 * cleanup after them. */
#define TM_TRY(expr)                                                                               \
    do {                                                                                           \
        tm_error tm_try_e_ = (expr);                                                               \
        if (tm_try_e_) return tm_try_e_;                                                           \
    } while (0)
/* e = expr unless e already holds an error (then expr is not evaluated). */
#define TM_THEN(e, expr)                                                                           \
    do {                                                                                           \
        if (!(e)) (e) = (expr);                                                                    \
    } while (0)

/* The error detail of the calling thread (detail.c), read by the caller
 * with tm_error_detail(): every failing path that can say more than
 * tm_strerror() sets it, on the thread that returns the error (a job sets
 * it on its calling thread from what the workers carried back). Public
 * functions that set one clear it on entry, so a failure without a message
 * reads "". TM_DETAIL_MAX bytes with the NUL; longer messages are cut. */
#define TM_DETAIL_MAX 1024
void tmi_detail_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tmi_detail_vset(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void tmi_detail_clear(void);
/* Returns e after setting the detail to msg (NULL: "") when e < 0, or
 * clearing it otherwise: the tail of a public function whose internal
 * version writes its message into a local buffer. */
tm_error tmi_detail_result(tm_error e, const char *msg);
/* A public entry point's options: copies the caller's src over dst, which
 * holds this library's defaults (its _init) and whose first member, like
 * src's, is the struct's size. A caller built against an older tamis.h
 * passes a smaller struct: only its size is read, the newer members keep
 * their defaults. TM_ERR_ARG (and the detail) when src is NULL, its size
 * was not set (no _init) or is larger than this library knows. */
tm_error tmi_opts_in(void *dst, size_t dst_size, const void *src, const char *what);

/* TM_ERR_ARG with its message: tmi_fail_arg sets the thread's detail,
 * tmi_fail_buf writes into err[0..size) (an internal function's message
 * that its public caller publishes). The one "bad argument" helper. */
tm_error tmi_fail_arg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
tm_error tmi_fail_buf(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The one checked array growth of the library: makes *p (an array of *cap
 * elements of elem bytes, realloc'd) hold at least need elements, doubling
 * from 64. TM_ERR_TOO_BIG when need exceeds max elements (0: no cap but the
 * size_t range) or need * elem overflows; TM_ERR_NOMEM when realloc fails.
 * On failure *p and *cap are unchanged. Use TM_GROW for typed arrays. */
tm_error tmi_grow(void **p, size_t *cap, size_t need, size_t elem, size_t max);
#define TM_GROW(arr, cap, need, max) tmi_grow((void **)&(arr), &(cap), (need), sizeof *(arr), (max))

/* Ensures room for extra more bytes plus a NUL: TM_ERR_NOMEM when memory
 * runs out, TM_ERR_TOO_BIG past b->max, or the buffer's sticky error. */
tm_error tmi_buf_reserve(tm_buf *b, size_t extra);
tm_error tmi_buf_append(tm_buf *b, const void *p, size_t n);
tm_error tmi_buf_puts(tm_buf *b, const char *s);
tm_error tmi_buf_putc(tm_buf *b, char c);
tm_error tmi_buf_printf(tm_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Keeps the allocation, forgets the content and the sticky error (a buffer
 * reused for the next document starts clean). */
static inline void tmi_buf_reset(tm_buf *b) {
    b->len = 0;
    b->err = TM_OK;
    if (b->data) b->data[0] = '\0';
}

/* JSON string literal (with quotes) of s, which must be valid UTF-8.
 * Control characters and NUL are escaped as \u00XX; '/' and non-ASCII are
 * written as is. */
tm_error tmi_json_str(tm_buf *b, const char *s, size_t n);
/* A JSON number: integers exactly; other values with up to 6 significant
 * decimals after rounding (%.6g would lose 0.1234567's tail; we print the
 * shortest of %.{1..17}g that keeps 6 decimal places of precision).
 * NaN and infinities are written as null. */
tm_error tmi_json_num(tm_buf *b, double v);
tm_error tmi_json_u64(tm_buf *b, uint64_t v);
/* "key": — with a leading comma when comma is non-zero. */
tm_error tmi_json_key(tm_buf *b, const char *key, int comma);

/* Standard base64 (RFC 4648 §4, with padding) of p appended to b. */
tm_error tmi_base64(tm_buf *b, const void *p, size_t n);

#endif
