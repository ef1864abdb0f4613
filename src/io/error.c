/*
 * error.c — names and descriptions of tm_error codes, and the library
 * version.
 *
 * The short names are part of the output format: they key the rejected_by
 * counters in stats and the "error" member of rejects lines, so they never
 * change once released (see docs/FORMATS.md).
 */
#include "tamis.h"

const char *tm_version(void) {
    return TM_VERSION_STRING;
}

const char *tm_error_name(int err) {
    switch (err) {
    case TM_OK: return "ok";
    case TM_EOF: return "eof";
    case TM_ERR_NOMEM: return "nomem";
    case TM_ERR_IO: return "io";
    case TM_ERR_OPEN: return "open";
    case TM_ERR_ARG: return "arg";
    case TM_ERR_JSON: return "json";
    case TM_ERR_FIELD: return "field";
    case TM_ERR_WARC: return "warc";
    case TM_ERR_TRUNCATED: return "truncated";
    case TM_ERR_CORRUPT: return "corrupt";
    case TM_ERR_TOO_BIG: return "too_big";
    case TM_ERR_UNSUPPORTED: return "unsupported";
    case TM_ERR_LEDGER: return "ledger";
    case TM_ERR_INTERNAL: return "internal";
    case TM_ERR_CHANGED: return "changed";
    default: return "unknown";
    }
}

const char *tm_strerror(int err) {
    switch (err) {
    case TM_OK: return "success";
    case TM_EOF: return "end of input";
    case TM_ERR_NOMEM: return "out of memory";
    case TM_ERR_IO: return "read or write error";
    case TM_ERR_OPEN: return "cannot open file";
    case TM_ERR_ARG: return "invalid argument";
    case TM_ERR_JSON: return "malformed JSON record";
    case TM_ERR_FIELD: return "text field missing or not a string";
    case TM_ERR_WARC: return "malformed WARC record header";
    case TM_ERR_TRUNCATED: return "input ends inside a record";
    case TM_ERR_CORRUPT: return "corrupt compressed data";
    case TM_ERR_TOO_BIG: return "record larger than max_doc_bytes";
    case TM_ERR_UNSUPPORTED: return "unsupported input";
    case TM_ERR_LEDGER: return "ledger mismatch: read != written + removed + rejected";
    case TM_ERR_INTERNAL: return "internal error";
    case TM_ERR_CHANGED: return "an input changed between the two passes that read it";
    default: return "unknown error";
    }
}
