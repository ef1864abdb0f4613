/*
 * stream.c — one input file as a stream of decompressed bytes.
 *
 * Compression is recognised by magic bytes, never by file name: gzip
 * (1f 8b) is inflated with zlib, restarting after every member because
 * Common Crawl files are thousands of concatenated gzip members; zstd
 * (28 b5 2f fd, or a skippable frame) goes through ZSTD_decompressStream,
 * which walks consecutive frames by itself. Decompression writes straight
 * into the caller's buffer, so uncompressed and compressed inputs cost one
 * copy at most. An input that stops inside a member or frame reports
 * TM_ERR_TRUNCATED once everything before the cut was delivered; bad
 * compressed data reports TM_ERR_CORRUPT, also once everything decoded before
 * it was delivered (whatever the sizes the compressed bytes arrived in). The bytes come from a file
 * descriptor, a caller's buffer or a caller's read callback (src_read, the
 * one place that knows), so the library's readers over memory and over
 * callbacks decompress and frame exactly as over files.
 */
#include "io/stream.h"
#include "io/io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IN_CAP (256 * 1024)

/* Up to cap raw bytes from the source: > 0, 0 at its end, -1 on error. */
static long src_read(tm_stream *s, void *dst, size_t cap) {
    if (cap > (size_t)1 << 30) cap = (size_t)1 << 30;
    if (s->src == TM_SRC_MEM) {
        size_t k = s->mem_left < cap ? s->mem_left : cap;
        if (k) memcpy(dst, s->mem, k);
        s->mem += k;
        s->mem_left -= k;
        return (long)k;
    }
    if (s->src == TM_SRC_CB) {
        if (s->fn_done) return 0;
        long k = s->fn(s->user, dst, cap);
        if (k <= 0 || (size_t)k > cap) {
            s->fn_done = 1;
            return k == 0 ? 0 : -1;
        }
        return k;
    }
    for (;;) {
        ssize_t k = read(s->fd, dst, cap);
        if (k < 0 && errno == EINTR) continue;
        return k < 0 ? -1 : (long)k;
    }
}

static tm_error fill_in(tm_stream *s) {
    if (s->in_eof) return TM_OK;
    if (s->in_pos > 0 && s->in_pos == s->in_len) s->in_pos = s->in_len = 0;
    if (s->in_pos > 0) {
        memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
        s->in_len -= s->in_pos;
        s->in_pos = 0;
    }
    if (s->in_len >= IN_CAP) return TM_OK;
    long k = src_read(s, s->in + s->in_len, IN_CAP - s->in_len);
    if (k < 0) return TM_ERR_IO;
    if (k == 0)
        s->in_eof = 1;
    else
        s->in_len += (size_t)k;
    return TM_OK;
}

/* Reads the first bytes and picks the codec from their magic number. */
static tm_error sniff(tm_stream *s) {
    s->in = malloc(IN_CAP);
    if (!s->in) return TM_ERR_NOMEM;
    /* enough bytes to see the magic number */
    while (s->in_len < 4 && !s->in_eof) {
        tm_error e = fill_in(s);
        if (e) return e;
    }
    const unsigned char *m = s->in;
    if (s->in_len >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
        s->codec = TM_CODEC_GZIP;
        if (inflateInit2(&s->zs, 15 + 16) != Z_OK) return TM_ERR_NOMEM;
        s->z_init = 1;
    } else if (s->in_len >= 4 &&
               ((m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) ||
                ((m[0] & 0xf0) == 0x50 && m[1] == 0x2a && m[2] == 0x4d && m[3] == 0x18))) {
        s->codec = TM_CODEC_ZSTD;
        s->zd = ZSTD_createDCtx();
        if (!s->zd) return TM_ERR_NOMEM;
    }
    return TM_OK;
}

tm_error tmi_stream_open(tm_stream *s, const char *path) {
    memset(s, 0, sizeof *s);
    s->fd = -1;
    if (strcmp(path, "-") == 0) {
        s->fd = 0;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0) return TM_ERR_OPEN;
        s->own_fd = 1;
    }
    return sniff(s);
}

tm_error tmi_stream_open_mem(tm_stream *s, const void *data, size_t len) {
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->src = TM_SRC_MEM;
    s->mem = data;
    s->mem_left = data ? len : 0;
    return sniff(s);
}

tm_error tmi_stream_open_cb(tm_stream *s, tm_read_fn fn, void *user) {
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->src = TM_SRC_CB;
    s->fn = fn;
    s->user = user;
    return sniff(s);
}

void tmi_stream_close(tm_stream *s) {
    if (s->z_init) inflateEnd(&s->zs);
    ZSTD_freeDCtx(s->zd);
    if (s->own_fd && s->fd >= 0) close(s->fd);
    free(s->in);
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

tm_error tmi_stream_open_input(tm_stream *s, const tm_input_ent *in) {
    if (in->src == TM_SRC_MEM) return tmi_stream_open_mem(s, in->mem, in->mem_len);
    if (in->src == TM_SRC_CB) return tmi_stream_open_cb(s, in->fn, in->user);
    return tmi_stream_open(s, in->path);
}

static long read_plain(tm_stream *s, char *dst, size_t cap) {
    if (s->in_pos < s->in_len) { /* bytes read while sniffing the magic */
        size_t k = s->in_len - s->in_pos;
        if (k > cap) k = cap;
        memcpy(dst, s->in + s->in_pos, k);
        s->in_pos += k;
        s->bytes_in += k;
        return (long)k;
    }
    long k = src_read(s, dst, cap);
    if (k < 0) return TM_ERR_IO;
    s->bytes_in += (uint64_t)k;
    return k;
}

static long read_gzip(tm_stream *s, char *dst, size_t cap) {
    z_stream *z = &s->zs;
    z->next_out = (Bytef *)dst;
    z->avail_out = (uInt)(cap > 0x40000000u ? 0x40000000u : cap);
    uInt want = z->avail_out;
    while (z->avail_out == want) {
        if (s->in_pos == s->in_len) {
            tm_error e = fill_in(s);
            if (e) return e;
            if (s->in_len == 0) {
                /* end of input: fine between members, a cut inside one */
                return s->member_open ? TM_ERR_TRUNCATED : 0;
            }
        }
        if (!s->member_open) {
            /* a new member must start with the gzip magic */
            if (s->in_len - s->in_pos < 2 && !s->in_eof) {
                tm_error e = fill_in(s);
                if (e) return e;
            }
            if (s->in_len - s->in_pos < 2 || s->in[s->in_pos] != 0x1f ||
                s->in[s->in_pos + 1] != 0x8b)
                return TM_ERR_CORRUPT;
            if (inflateReset(z) != Z_OK) return TM_ERR_INTERNAL;
            s->member_open = 1;
        }
        z->next_in = s->in + s->in_pos;
        z->avail_in = (uInt)(s->in_len - s->in_pos);
        uInt before = z->avail_in;
        int rc = inflate(z, Z_NO_FLUSH);
        size_t used = before - z->avail_in;
        s->in_pos += used;
        s->bytes_in += used;
        if (rc == Z_STREAM_END) {
            s->member_open = 0;
            if (z->avail_out != want) break;
            continue;
        }
        if (rc == Z_BUF_ERROR) {
            /* no progress: input exhausted mid-member */
            if (s->in_eof && s->in_pos == s->in_len) {
                if (z->avail_out != want) break;
                return TM_ERR_TRUNCATED;
            }
            continue;
        }
        if (rc != Z_OK) {
            tm_error e = rc == Z_MEM_ERROR ? TM_ERR_NOMEM : TM_ERR_CORRUPT;
            if (z->avail_out == want) return e;
            s->pending = e; /* what inflated before the error goes out first */
            break;
        }
        if (s->in_eof && s->in_pos == s->in_len && z->avail_out == want) return TM_ERR_TRUNCATED;
    }
    return (long)(want - z->avail_out);
}

static long read_zstd(tm_stream *s, char *dst, size_t cap) {
    ZSTD_outBuffer out = {dst, cap, 0};
    while (out.pos == 0) {
        if (s->in_pos == s->in_len) {
            tm_error e = fill_in(s);
            if (e) return e;
            if (s->in_len == 0) return s->zret != 0 ? TM_ERR_TRUNCATED : 0;
        }
        ZSTD_inBuffer in = {s->in + s->in_pos, s->in_len - s->in_pos, 0};
        size_t rc = ZSTD_decompressStream(s->zd, &out, &in);
        s->in_pos += in.pos;
        s->bytes_in += in.pos;
        if (ZSTD_isError(rc)) {
            if (!out.pos) return TM_ERR_CORRUPT;
            s->pending = TM_ERR_CORRUPT; /* the bytes before the error first */
            break;
        }
        s->zret = rc;
        if (out.pos == 0 && in.pos == 0 && s->in_eof && s->in_pos == s->in_len)
            return rc != 0 ? TM_ERR_TRUNCATED : 0;
    }
    return (long)out.pos;
}

long tmi_stream_read(tm_stream *s, char *dst, size_t cap) {
    if (s->err) return s->err;
    if (s->pending) return s->err = s->pending;
    long k;
    switch (s->codec) {
    case TM_CODEC_GZIP: k = read_gzip(s, dst, cap); break;
    case TM_CODEC_ZSTD: k = read_zstd(s, dst, cap); break;
    default: k = read_plain(s, dst, cap); break;
    }
    if (k < 0) s->err = (int)k;
    return k;
}
