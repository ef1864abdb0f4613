/*
 * test_util.c — the growth helpers every module uses: tm_buf's hard cap and
 * sticky error, tmi_grow's element cap and overflow checks, and TM_TRY's
 * forwarding. These are the checks a hand-written doubling loop forgets, so
 * each is pinned here with exact values.
 */
#include "testutil.h"

#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

static void test_buf_cap_sticky(void **state) {
    (void)state;
    tm_buf b = {0};
    b.max = 8; /* 7 bytes of data + the NUL */
    assert_int_equal(tmi_buf_puts(&b, "abcd"), TM_OK);
    assert_int_equal(tmi_buf_puts(&b, "efg"), TM_OK);
    assert_string_equal(b.data, "abcdefg");
    /* one more byte crosses the cap: refused, content unchanged */
    assert_int_equal(tmi_buf_putc(&b, 'h'), TM_ERR_TOO_BIG);
    assert_int_equal(b.len, 7);
    assert_string_equal(b.data, "abcdefg");
    /* sticky: an append that would fit still fails, and so does printf */
    b.len = 0;
    assert_int_equal(tmi_buf_putc(&b, 'x'), TM_ERR_TOO_BIG);
    assert_int_equal(tmi_buf_printf(&b, "%d", 1), TM_ERR_TOO_BIG);
    assert_int_equal(tmi_json_str(&b, "y", 1), TM_ERR_TOO_BIG);
    assert_int_equal(b.err, TM_ERR_TOO_BIG);
    /* reset starts the next document clean */
    tmi_buf_reset(&b);
    assert_int_equal(b.err, TM_OK);
    assert_int_equal(tmi_buf_puts(&b, "ok"), TM_OK);
    assert_string_equal(b.data, "ok");
    tm_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.err, TM_OK);
}

static void test_buf_default_cap(void **state) {
    (void)state;
    tm_buf b = {0};
    assert_int_equal(tmi_buf_putc(&b, 'a'), TM_OK);
    /* a size no cap allows: overflow is refused, not wrapped */
    assert_int_equal(tmi_buf_reserve(&b, SIZE_MAX - 1), TM_ERR_TOO_BIG);
    assert_int_equal(b.len, 1);
    tm_buf_free(&b);
    b.max = 0;
    assert_int_equal(tmi_buf_reserve(&b, TM_BUF_MAX_DEFAULT), TM_ERR_TOO_BIG);
    tm_buf_free(&b);
}

static void test_grow(void **state) {
    (void)state;
    uint32_t *v = NULL;
    size_t cap = 0;
    assert_int_equal(TM_GROW(v, cap, 1, 0), TM_OK);
    assert_int_equal(cap, 64);
    for (uint32_t i = 0; i < 64; i++) v[i] = i * 7;
    assert_int_equal(TM_GROW(v, cap, 65, 0), TM_OK);
    assert_int_equal(cap, 128); /* doubles; contents kept */
    for (uint32_t i = 0; i < 64; i++) assert_int_equal(v[i], i * 7);
    assert_int_equal(TM_GROW(v, cap, 100, 0), TM_OK); /* room already */
    assert_int_equal(cap, 128);
    /* element cap: growth stops at it, and asking past it is refused */
    assert_int_equal(TM_GROW(v, cap, 129, 200), TM_OK);
    assert_int_equal(cap, 200);
    assert_int_equal(TM_GROW(v, cap, 201, 200), TM_ERR_TOO_BIG);
    assert_int_equal(cap, 200);
    /* need * elem beyond size_t: refused before any arithmetic wraps */
    assert_int_equal(TM_GROW(v, cap, SIZE_MAX / 2, 0), TM_ERR_TOO_BIG);
    assert_int_equal(cap, 200);
    assert_non_null(v);
    free(v);
}

static tm_error fails_with(tm_error e, int *reached) {
    TM_TRY(e);
    *reached = 1;
    return TM_OK;
}

static void test_try_then(void **state) {
    (void)state;
    int reached = 0;
    assert_int_equal(fails_with(TM_ERR_JSON, &reached), TM_ERR_JSON);
    assert_int_equal(reached, 0);
    assert_int_equal(fails_with(TM_OK, &reached), TM_OK);
    assert_int_equal(reached, 1);
    tm_error e = TM_OK;
    int calls = 0;
    TM_THEN(e, (calls++, TM_ERR_IO));
    TM_THEN(e, (calls++, TM_OK)); /* not evaluated: e holds an error */
    assert_int_equal(e, TM_ERR_IO);
    assert_int_equal(calls, 1);
}

/* Options at a public entry point: a caller built against an older header
 * passes a smaller struct; only its size is read and the newer members keep
 * the defaults; an unset size (no _init) or a struct from a newer header is
 * refused with a detail. */
static void test_opts_in(void **state) {
    (void)state;
    tm_clean_opts mine, old;
    tm_clean_opts_init(&mine);
    memset(&old, 0xAB, sizeof old);              /* what lies past an old struct */
    old.size = offsetof(tm_clean_opts, dry_run); /* an older tm_clean_opts */
    old.ops = TM_CLEAN_ENCODING;
    old.para_threshold = 0.7;
    old.min_repeat_words = 5;
    old.min_reworded_words = 12;
    old.lang = NULL;
    assert_int_equal(tmi_opts_in(&mine, sizeof mine, &old, "t"), TM_OK);
    assert_int_equal(mine.size, sizeof mine);
    assert_int_equal(mine.ops, TM_CLEAN_ENCODING);
    assert_int_equal(mine.min_reworded_words, 12);
    assert_int_equal(mine.dry_run, 0); /* the default, not 0xABABABAB */
    tm_clean_opts bad;
    memset(&bad, 0, sizeof bad);
    assert_int_equal(tmi_opts_in(&mine, sizeof mine, &bad, "tm_cleaner_new"), TM_ERR_ARG);
    assert_non_null(strstr(tm_error_detail(), "tm_cleaner_new: options of size 0"));
    bad.size = sizeof bad + 8; /* a newer header's struct */
    assert_int_equal(tmi_opts_in(&mine, sizeof mine, &bad, "t"), TM_ERR_ARG);
    /* and through the public entry point */
    tm_cleaner *c = NULL;
    bad.size = 0;
    assert_int_equal(tm_cleaner_new(&c, &bad), TM_ERR_ARG);
    assert_null(c);
    assert_int_equal(tm_cleaner_new(&c, &old), TM_OK);
    tm_cleaner_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_cap_sticky), cmocka_unit_test(test_buf_default_cap),
        cmocka_unit_test(test_grow),           cmocka_unit_test(test_try_then),
        cmocka_unit_test(test_opts_in),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
