/*
 * stream.h — decompressed byte stream over one input (internal to io/).
 */
#ifndef TM_IO_STREAM_H
#define TM_IO_STREAM_H

#include "tamis.h"

#include <zlib.h>
#include <zstd.h>

enum { TM_CODEC_NONE = 0, TM_CODEC_GZIP, TM_CODEC_ZSTD };

/* State of one open input. Owned by the reader; one per input at a time. */
typedef struct tm_stream {
    int fd, own_fd;
    int codec;
    z_stream zs;
    int z_init, member_open;
    ZSTD_DCtx *zd;
    size_t zret; /* last ZSTD_decompressStream hint: 0 = frame complete */
    unsigned char *in;
    size_t in_pos, in_len;
    int in_eof;
    int err;           /* sticky error once reported */
    uint64_t bytes_in; /* compressed bytes consumed */
} tm_stream;

/* Opens path ("-" = stdin) and sniffs its compression. On failure the
 * stream must still be closed with tm_stream_close. */
tm_error tm_stream_open(tm_stream *s, const char *path);
/* Reads up to cap decompressed bytes into dst: > 0 bytes, 0 at the clean end,
 * or a negative tm_error (TM_ERR_TRUNCATED, TM_ERR_CORRUPT, TM_ERR_IO),
 * which is then returned by every later call. */
long tm_stream_read(tm_stream *s, char *dst, size_t cap);
void tm_stream_close(tm_stream *s);

#endif
