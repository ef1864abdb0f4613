/*
 * stream.h — decompressed byte stream over one input (internal to io/).
 */
#ifndef TM_IO_STREAM_H
#define TM_IO_STREAM_H

#include "tamis.h"

#include <zlib.h>
#include <zstd.h>

enum { TM_CODEC_NONE = 0, TM_CODEC_GZIP, TM_CODEC_ZSTD };

/* Where the (compressed) bytes come from: a file descriptor, a caller's
 * buffer, or a caller's read callback. Only the source differs: detection
 * and decompression are the same for all three. */
enum { TM_SRC_FD = 0, TM_SRC_MEM, TM_SRC_CB };

/* State of one open input. Owned by the reader; one per input at a time. */
typedef struct tm_stream {
    int src; /* TM_SRC_* */
    int fd, own_fd;
    const unsigned char *mem; /* TM_SRC_MEM: the bytes not yet read */
    size_t mem_left;
    tm_read_fn fn; /* TM_SRC_CB */
    void *user;
    int fn_done; /* the callback returned 0 or an error: never call it again */
    int codec;
    z_stream zs;
    int z_init, member_open;
    ZSTD_DCtx *zd;
    size_t zret; /* last ZSTD_decompressStream hint: 0 = frame complete */
    unsigned char *in;
    size_t in_pos, in_len;
    int in_eof;
    int err;           /* sticky error once reported */
    int pending;       /* an error met after output that was delivered first */
    uint64_t bytes_in; /* compressed bytes consumed */
} tm_stream;

/* Opens path ("-" = stdin) and sniffs its compression. On failure the
 * stream must still be closed with tmi_stream_close. */
tm_error tmi_stream_open(tm_stream *s, const char *path);
/* Reads up to cap decompressed bytes into dst: > 0 bytes, 0 at the clean end,
 * or a negative tm_error (TM_ERR_TRUNCATED, TM_ERR_CORRUPT, TM_ERR_IO),
 * which is then returned by every later call. */
long tmi_stream_read(tm_stream *s, char *dst, size_t cap);
/* The same over len bytes at data (borrowed until close), or over what
 * fn(user, ...) returns. */
tm_error tmi_stream_open_mem(tm_stream *s, const void *data, size_t len);
tm_error tmi_stream_open_cb(tm_stream *s, tm_read_fn fn, void *user);
/* Opens the source an input entry names (io.h: a path, memory or a
 * callback). */
struct tm_input_ent;
tm_error tmi_stream_open_input(tm_stream *s, const struct tm_input_ent *in);
void tmi_stream_close(tm_stream *s);

#endif
