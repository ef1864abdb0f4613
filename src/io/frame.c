/*
 * frame.c — the reader's buffer and the ways a record leaves it (frame.h):
 * reading more bytes, records as views into the buffer, stream errors,
 * records over max_doc_bytes streamed to an anonymous tmpfile() (the spill)
 * with only their first max_doc_bytes bytes kept in memory, and the line
 * framer that every one-record-a-line format shares.
 */
#include "io/frame.h"
#include "util/buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_INIT (1u << 20)  /* first buffer size; grows for long records */
#define READ_MIN (64u << 10) /* never read into less room than this */

tm_error tmi_frame_init(tm_frame *fr, const tm_reader_opts *opts, tm_stream *st) {
    fr->opts = opts;
    fr->st = st;
    if (!(fr->buf = malloc(BUF_INIT + 1))) return TM_ERR_NOMEM;
    fr->cap = BUF_INIT;
    return TM_OK;
}

void tmi_frame_free(tm_frame *fr) {
    free(fr->buf);
    fr->buf = NULL;
    if (fr->spill) fclose(fr->spill);
    fr->spill = NULL;
    tm_buf_free(&fr->head);
    tm_buf_free(&fr->junk);
}

void tmi_frame_reset(tm_frame *fr, const char *source, size_t input) {
    fr->pos = fr->end = 0;
    fr->base = 0;
    fr->eof = fr->serr = fr->done = 0;
    fr->line = 0;
    fr->source = source;
    fr->input = input;
}

long tmi_frame_more(tm_frame *fr) {
    if (fr->eof) return 0;
    if (fr->serr) return fr->serr;
    if (fr->cap - fr->end < READ_MIN && fr->pos > 0) {
        size_t live = fr->end - fr->pos;
        memmove(fr->buf, fr->buf + fr->pos, live);
        fr->base += fr->pos;
        fr->pos = 0;
        fr->end = live;
    }
    if (fr->cap - fr->end < READ_MIN) {
        /* Framers bound a record by max_doc_bytes before asking for more,
         * so the buffer stays below max_doc_bytes + 2 chunks. */
        size_t cap = fr->cap * 2;
        char *p = realloc(fr->buf, cap + 1);
        if (!p) return TM_ERR_NOMEM;
        fr->buf = p;
        fr->cap = cap;
    }
    long k = tmi_stream_read(fr->st, fr->buf + fr->end, fr->cap - fr->end);
    if (k > 0)
        fr->end += (size_t)k;
    else if (k == 0)
        fr->eof = 1;
    else
        fr->serr = (int)k;
    return k;
}

/* ---- record emission ---- */

void tmi_frame_raw_at(tm_frame *fr, tm_raw *raw, const char *data, size_t len, uint64_t offset,
                      uint64_t line) {
    memset(raw, 0, sizeof *raw);
    raw->data = data;
    raw->len = len;
    raw->source = fr->source;
    raw->input = fr->input;
    raw->line = line;
    raw->offset = offset;
    raw->index = fr->index++;
    raw->format = fr->fmt;
}

void tmi_frame_raw(tm_frame *fr, tm_raw *raw, size_t beg, size_t len, uint64_t line) {
    tmi_frame_raw_at(fr, raw, fr->buf + beg, len, fr->base + beg, line);
}

void tmi_raw_set_err(tm_raw *raw, int err, const char *detail) {
    raw->err = err;
    snprintf(raw->detail, sizeof raw->detail, "%s", detail);
}

tm_error tmi_frame_stream_error(tm_frame *fr, tm_raw *raw, size_t beg, uint64_t line) {
    int err = fr->serr;
    fr->done = 1;
    if (err == TM_ERR_IO || err == TM_ERR_NOMEM) {
        tmi_frame_raw(fr, raw, beg, 0, line);
        tmi_raw_set_err(raw, err, err == TM_ERR_IO ? strerror(errno) : "out of memory");
        return (tm_error)err;
    }
    tmi_frame_raw(fr, raw, beg, fr->end - beg, line);
    tmi_raw_set_err(raw, err,
                    err == TM_ERR_TRUNCATED ? "compressed stream ends inside a record"
                                            : "corrupt compressed data");
    fr->pos = fr->end;
    return TM_OK;
}

/* ---- spilling records over max_doc_bytes ---- */

static tm_error spill_start(tm_frame *fr) {
    tmi_buf_reset(&fr->head);
    if (fr->spill) {
        rewind(fr->spill);
        if (ftruncate(fileno(fr->spill), 0) != 0) return TM_ERR_IO;
    } else if (!(fr->spill = tmpfile())) {
        return TM_ERR_IO;
    }
    return TM_OK;
}

static tm_error spill_put(tm_frame *fr, const char *p, size_t n) {
    size_t max = fr->opts->max_doc_bytes;
    if (fr->head.len < max) {
        size_t k = n < max - fr->head.len ? n : max - fr->head.len;
        if (tmi_buf_append(&fr->head, p, k)) return TM_ERR_NOMEM;
    }
    if (n && fwrite(p, 1, n, fr->spill) != n) return TM_ERR_IO;
    return TM_OK;
}

tm_error tmi_frame_spill(tm_frame *fr, tm_raw *raw, int mode, uint64_t count, uint64_t line) {
    uint64_t offset = fr->base + fr->pos, total = 0;
    tm_error e = spill_start(fr);
    int err = TM_ERR_TOO_BIG;
    for (;;) {
        size_t avail = fr->end - fr->pos;
        const char *p = fr->buf + fr->pos;
        size_t take = avail;
        int finished = 0;
        if (mode == TM_SPILL_LF) {
            const char *nl = memchr(p, '\n', avail);
            if (nl) {
                take = (size_t)(nl - p);
                finished = 1;
            }
        } else if (mode == TM_SPILL_COUNT && count - total <= avail) {
            take = (size_t)(count - total);
            finished = 1;
        }
        TM_THEN(e, spill_put(fr, p, take));
        total += take;
        fr->pos += take;
        if (finished) {
            if (mode == TM_SPILL_LF) fr->pos++; /* the LF */
            break;
        }
        long k = tmi_frame_more(fr);
        if (k == 0) {
            if (mode == TM_SPILL_COUNT) err = TM_ERR_TRUNCATED;
            fr->done = 1;
            break;
        }
        if (k < 0) {
            err = (int)k;
            fr->done = 1;
            break;
        }
    }
    if (!e && fflush(fr->spill) != 0) e = TM_ERR_IO;
    if (e) return e;
    rewind(fr->spill);
    tmi_frame_raw_at(fr, raw, fr->head.data ? fr->head.data : "", fr->head.len, offset, line);
    raw->spill = fr->spill;
    raw->spill_len = total;
    if (err == TM_ERR_TOO_BIG)
        snprintf(raw->detail, sizeof raw->detail, "record of %llu bytes exceeds max_doc_bytes %zu",
                 (unsigned long long)total, fr->opts->max_doc_bytes);
    else
        snprintf(raw->detail, sizeof raw->detail, "%s after %llu bytes of an oversize record",
                 err == TM_ERR_TRUNCATED ? "input ends" : tm_strerror(err),
                 (unsigned long long)total);
    raw->err = err;
    return TM_OK;
}

tm_error tmi_frame_spill_memory(tm_frame *fr, tm_raw *raw, size_t beg, size_t len, uint64_t line) {
    tm_error e = spill_start(fr);
    TM_THEN(e, spill_put(fr, fr->buf + beg, len));
    if (!e && fflush(fr->spill) != 0) e = TM_ERR_IO;
    if (e) return e;
    rewind(fr->spill);
    tmi_frame_raw_at(fr, raw, fr->head.data, fr->head.len, fr->base + beg, line);
    raw->spill = fr->spill;
    raw->spill_len = len;
    snprintf(raw->detail, sizeof raw->detail, "record of %zu bytes exceeds max_doc_bytes %zu", len,
             fr->opts->max_doc_bytes);
    raw->err = TM_ERR_TOO_BIG;
    return TM_OK;
}

tm_error tmi_frame_junk_put(tm_frame *fr, const char *p, size_t n) {
    if (fr->junk.len >= TM_WARC_MAX_HEADER) return TM_OK;
    size_t room = TM_WARC_MAX_HEADER - fr->junk.len;
    return tmi_buf_append(&fr->junk, p, n < room ? n : room);
}

/* ---- the line framer ---- */

static int blank(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return 0;
    return 1;
}

tm_error tmi_frame_lines(tm_frame *fr, tm_raw *raw) {
    size_t scan = fr->pos;
    for (;;) {
        char *nl = memchr(fr->buf + scan, '\n', fr->end - scan);
        size_t lbeg = fr->pos, lend;
        if (nl) {
            lend = (size_t)(nl - fr->buf);
            fr->pos = scan = lend + 1;
        } else {
            if (fr->end - fr->pos > fr->opts->max_doc_bytes)
                return tmi_frame_spill(fr, raw, TM_SPILL_LF, 0, ++fr->line);
            size_t rel = fr->end - fr->pos;
            long k = tmi_frame_more(fr);
            scan = fr->pos + rel;
            if (k > 0) continue;
            if (k < 0) return tmi_frame_stream_error(fr, raw, fr->pos, fr->line + 1);
            if (fr->pos == fr->end) {
                fr->done = 1;
                return TM_EOF;
            }
            lbeg = fr->pos;
            lend = fr->end; /* last line without LF */
            fr->pos = fr->end;
        }
        uint64_t line = ++fr->line;
        size_t len = lend - lbeg;
        if (len && fr->buf[lbeg + len - 1] == '\r') len--;
        if (blank(fr->buf + lbeg, len)) continue;
        if (len > fr->opts->max_doc_bytes) return tmi_frame_spill_memory(fr, raw, lbeg, len, line);
        tmi_frame_raw(fr, raw, lbeg, len, line);
        return TM_OK;
    }
}
