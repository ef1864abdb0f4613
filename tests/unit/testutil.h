/*
 * testutil.h — shared helpers for the cmocka unit tests.
 *
 * cmocka needs <stdarg.h>, <stddef.h>, <setjmp.h> before <cmocka.h>; every
 * test includes this file instead. TM_SHARED_DATA locates ../shared/data for
 * the few tests that read real corpora; they skip when it is absent.
 */
#ifndef TM_TESTUTIL_H
#define TM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tamis.h"

/* Path of a file under ../shared/data, or NULL when not present. */
static inline const char *tm_test_shared(const char *rel, char *buf, size_t size) {
    const char *root = getenv("TM_SHARED_DATA");
    snprintf(buf, size, "%s/%s", root ? root : "../shared/data", rel);
    return access(buf, R_OK) == 0 ? buf : NULL;
}

#define assert_close(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

#endif
