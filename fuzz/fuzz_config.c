/*
 * fuzz_config.c — libFuzzer target for the configuration of `tamis run`
 * (src/run/config.c over libyaml).
 *
 * The bytes are a YAML document. Invariants (abort on failure): loading
 * either succeeds or fails with a non-empty message that fits its buffer;
 * a configuration that loaded is written back as YAML
 * (tm_run_config_to_yaml), that YAML loads into a fresh configuration, and
 * writing that one gives the same bytes (the effective configuration is a
 * fixed point of load and write, as resume relies on).
 */
#include "tamis.h"

#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) abort();                                                                         \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    tm_run_config *c = NULL, *d = NULL;
    CHECK(tm_run_config_new(&c) == TM_OK);
    tm_error e = tm_run_config_load_yaml(c, (const char *)data, size);
    if (e == TM_ERR_NOMEM) abort();
    if (e) {
        /* every refusal says why, in one line */
        const char *err = tm_error_detail();
        CHECK(err[0] != 0 && strlen(err) < 1024);
    } else {
        tm_buf y1 = {0}, y2 = {0};
        CHECK(tm_run_config_to_yaml(c, &y1) == TM_OK);
        CHECK(tm_run_config_new(&d) == TM_OK);
        CHECK(tm_run_config_load_yaml(d, y1.data ? y1.data : "", y1.len) == TM_OK);
        CHECK(tm_run_config_to_yaml(d, &y2) == TM_OK);
        CHECK(y1.len == y2.len && (!y1.len || memcmp(y1.data, y2.data, y1.len) == 0));
        tm_buf_free(&y1);
        tm_buf_free(&y2);
        tm_run_config_free(d);
    }
    tm_run_config_free(c);
    return 0;
}
