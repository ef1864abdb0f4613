/*
 * detail.c — the error detail of the calling thread: tm_error_detail() and
 * the setters every failing path of the library calls.
 *
 * A failing tm_ function returns its tm_error and leaves a one-line message
 * (what failed and where: a file and line, an option and its value) in a
 * buffer of its thread, read with tm_error_detail(). The buffer is static
 * and per thread (C11 _Thread_local), so setting it never allocates and works
 * after TM_ERR_NOMEM, and two threads failing at once keep their own. Jobs
 * set it on the calling thread when they return, from the message their
 * worker threads carry back with a failed batch.
 */
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

static _Thread_local char detail[TM_DETAIL_MAX];

const char *tm_error_detail(void) {
    return detail;
}

void tmi_detail_clear(void) {
    detail[0] = '\0';
}

void tmi_detail_vset(const char *fmt, va_list ap) {
    /* Formatted aside first: an argument may be the detail itself ("%s: %s",
     * name, tm_error_detail()), and vsnprintf's source and destination must
     * not overlap. */
    char tmp[TM_DETAIL_MAX];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n < 0) tmp[0] = '\0';
    memcpy(detail, tmp, sizeof tmp);
}

void tmi_detail_set(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    tmi_detail_vset(fmt, ap);
    va_end(ap);
}

tm_error tmi_detail_result(tm_error e, const char *msg) {
    if (e < 0)
        tmi_detail_set("%s", msg ? msg : "");
    else
        tmi_detail_clear();
    return e;
}

tm_error tmi_fail_arg(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    tmi_detail_vset(fmt, ap);
    va_end(ap);
    return TM_ERR_ARG;
}

tm_error tmi_fail_buf(char *err, size_t size, const char *fmt, ...) {
    if (err && size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, size, fmt, ap);
        va_end(ap);
    }
    return TM_ERR_ARG;
}

tm_error tmi_opts_in(void *dst, size_t dst_size, const void *src, const char *what) {
    size_t n;
    if (!src) return tmi_fail_arg("%s: NULL options", what);
    memcpy(&n, src, sizeof n);
    if (n < sizeof n || n > dst_size)
        return tmi_fail_arg("%s: options of size %zu, expected at most %zu: initialise them with "
                            "their _init function",
                            what, n, dst_size);
    memcpy(dst, src, n);
    memcpy(dst, &dst_size, sizeof dst_size);
    return TM_OK;
}
