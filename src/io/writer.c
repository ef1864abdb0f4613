/*
 * writer.c — output files that appear only when complete.
 *
 * Data goes to "<path>.tmp-<pid>" and is renamed to path by a successful
 * tm_writer_close(), so a crash or an error never leaves a file that looks
 * finished. That holds for regular files and new paths only: an output that
 * exists and is not a regular file once symbolic links are followed (a
 * character device such as /dev/null, a FIFO, a terminal) is opened and
 * written in place, without O_TRUNC, and never renamed over or removed,
 * since replacing it would destroy it (a root `-o /dev/null` used to turn
 * /dev/null into a regular file). Names of open descriptors ("-",
 * /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N) write to a
 * duplicate of that descriptor, whatever it refers to: its offset and
 * append mode stay the shell's, and the link is never replaced. Such
 * outputs cannot be made atomic: after an error what was written stays
 * written. Compression follows
 * the extension: ".gz" is zlib deflate with a gzip header, ".zst" is
 * ZSTD_compressStream2; levels 6 and 3 unless tm_writer_open_level says
 * otherwise (tamis run writes the files only it reads back at 1). Writes are gathered in a 256 KiB
 * buffer (the compressed side for .gz/.zst, the data itself otherwise) so
 * that the many small appends of the output path cost one write(2) per
 * buffer. Errors are sticky: after one, every call fails and close removes
 * the temporary file.
 */
#include "io/io.h"
#include "util/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define WBUF (256 * 1024)

enum { C_NONE, C_GZIP, C_ZSTD };

/* How the file was opened: a temporary renamed at close, standard output
 * (flushed, never closed), or in place (closed, never renamed or removed). */
enum { W_TEMP, W_STDOUT, W_IN_PLACE };

struct tm_writer {
    char *path, *tmp;
    int fd, mode;
    int codec;
    int lazy, opened;
    int err;
    z_stream zs;
    int z_init;
    ZSTD_CCtx *zc;
    unsigned char *buf;
    size_t len;
    uint64_t bytes;
};

static int ends_with(const char *s, const char *suf) {
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
}

static tm_error flush_buf(tm_writer *w) {
    size_t off = 0;
    while (off < w->len) {
        ssize_t k = write(w->fd, w->buf + off, w->len - off);
        if (k < 0) {
            if (errno == EINTR) continue;
            return TM_ERR_IO;
        }
        off += (size_t)k;
    }
    w->len = 0;
    return TM_OK;
}

/* The descriptor a path names ("/dev/stdout", "/dev/fd/3"...), or -1. */
static int fd_name(const char *path) {
    if (!strcmp(path, "/dev/stdout")) return 1;
    if (!strcmp(path, "/dev/stderr")) return 2;
    const char *n = NULL;
    if (!strncmp(path, "/dev/fd/", 8))
        n = path + 8;
    else if (!strncmp(path, "/proc/self/fd/", 14))
        n = path + 14;
    if (!n || *n < '0' || *n > '9') return -1;
    char *end;
    long v = strtol(n, &end, 10);
    return *end || v > INT_MAX ? -1 : (int)v;
}

/* A writable duplicate of the descriptor path names, or -1 (not such a
 * name, or that descriptor is closed or read-only: then the path is opened
 * like any other). */
static int dup_named(const char *path) {
    int n = fd_name(path);
    if (n < 0) return -1;
    int fl = fcntl(n, F_GETFL);
    if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY) return -1;
    return fcntl(n, F_DUPFD_CLOEXEC, 3);
}

int tmi_writer_in_place(const char *path) {
    if (!path || !strcmp(path, "-") || fd_name(path) >= 0) return 1;
    struct stat st;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

static tm_error create_file(tm_writer *w) {
    w->opened = 1;
    if (!strcmp(w->path, "-")) {
        w->mode = W_STDOUT;
        w->fd = 1;
        return TM_OK;
    }
    w->mode = W_IN_PLACE;
    if ((w->fd = dup_named(w->path)) >= 0) return TM_OK;
    struct stat st;
    if (fd_name(w->path) >= 0 || (stat(w->path, &st) == 0 && !S_ISREG(st.st_mode))) {
        /* No O_CREAT: what exists is written, never replaced; no O_TRUNC:
         * a device or FIFO has nothing to truncate. A directory fails here
         * (EISDIR). */
        w->fd = open(w->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (w->fd < 0) return TM_ERR_OPEN;
        if (fstat(w->fd, &st) != 0 || !S_ISREG(st.st_mode)) return TM_OK;
        close(w->fd); /* a regular file appeared meanwhile: the safe way */
    }
    w->mode = W_TEMP;
    w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    return w->fd < 0 ? TM_ERR_OPEN : TM_OK;
}

static tm_error open_common(tm_writer **out, const char *path, int lazy, int level) {
    *out = NULL;
    if (!path || !*path) return TM_ERR_ARG;
    tm_writer *w = calloc(1, sizeof *w);
    if (!w) return TM_ERR_NOMEM;
    w->fd = -1;
    w->lazy = lazy;
    tm_error e = TM_OK;
    if (!(w->path = strdup(path)) || !(w->buf = malloc(WBUF))) e = TM_ERR_NOMEM;
    if (!e && strcmp(path, "-") != 0) {
        size_t n = strlen(path) + 32; /* the temporary name, if one is needed */
        if (!(w->tmp = malloc(n)))
            e = TM_ERR_NOMEM;
        else
            snprintf(w->tmp, n, "%s.tmp-%ld", path, (long)getpid());
        if (ends_with(path, ".gz"))
            w->codec = C_GZIP;
        else if (ends_with(path, ".zst"))
            w->codec = C_ZSTD;
    }
    if (!e && w->codec == C_GZIP) {
        if (deflateInit2(&w->zs, level > 0 ? (level > 9 ? 9 : level) : 6, Z_DEFLATED, 15 + 16, 8,
                         Z_DEFAULT_STRATEGY) != Z_OK)
            e = TM_ERR_NOMEM;
        else
            w->z_init = 1;
    }
    if (!e && w->codec == C_ZSTD) {
        if (!(w->zc = ZSTD_createCCtx()) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(w->zc, ZSTD_c_compressionLevel,
                                                level > 0 ? (level > 19 ? 19 : level) : 3)))
            e = TM_ERR_NOMEM;
    }
    if (!e && !lazy) e = create_file(w);
    if (e) {
        tm_writer_abort(w);
        return e;
    }
    *out = w;
    return TM_OK;
}

tm_error tm_writer_open(tm_writer **out, const char *path) {
    return open_common(out, path, 0, 0);
}

tm_error tm_writer_open_level(tm_writer **out, const char *path, int level) {
    return open_common(out, path, 0, level);
}

tm_error tm_writer_open_lazy(tm_writer **out, const char *path) {
    return open_common(out, path, 1, 0);
}

/* Runs the compressor over data (NULL + finish at close). */
static tm_error run_codec(tm_writer *w, const void *data, size_t len, int finish) {
    if (w->codec == C_GZIP) {
        z_stream *z = &w->zs;
        z->next_in = (Bytef *)(uintptr_t)data;
        z->avail_in = (uInt)len;
        for (;;) {
            z->next_out = w->buf + w->len;
            z->avail_out = (uInt)(WBUF - w->len);
            int rc = deflate(z, finish ? Z_FINISH : Z_NO_FLUSH);
            w->len = WBUF - z->avail_out;
            if (rc == Z_STREAM_ERROR) return TM_ERR_INTERNAL;
            if (w->len == WBUF && flush_buf(w)) return TM_ERR_IO;
            if (finish ? rc == Z_STREAM_END : z->avail_in == 0) break;
        }
        return TM_OK;
    }
    ZSTD_inBuffer in = {data, len, 0};
    for (;;) {
        ZSTD_outBuffer o = {w->buf, WBUF, w->len};
        size_t rc = ZSTD_compressStream2(w->zc, &o, &in, finish ? ZSTD_e_end : ZSTD_e_continue);
        w->len = o.pos;
        if (ZSTD_isError(rc)) return TM_ERR_INTERNAL;
        if (w->len == WBUF && flush_buf(w)) return TM_ERR_IO;
        if (finish ? rc == 0 : in.pos == in.size) break;
    }
    return TM_OK;
}

tm_error tm_writer_write(tm_writer *w, const void *data, size_t len) {
    if (!w) return TM_ERR_ARG;
    if (w->err) return (tm_error)w->err;
    if (!len) return TM_OK;
    tm_error e = TM_OK;
    if (!w->opened) e = create_file(w);
    if (!e) {
        w->bytes += len;
        if (w->codec == C_NONE) {
            if (len >= WBUF) {
                /* big blocks go straight out after what is buffered */
                e = flush_buf(w);
                const char *p = data;
                while (!e && len) {
                    ssize_t k = write(w->fd, p, len);
                    if (k < 0 && errno == EINTR) continue;
                    if (k < 0)
                        e = TM_ERR_IO;
                    else
                        p += k, len -= (size_t)k;
                }
            } else {
                if (WBUF - w->len < len) e = flush_buf(w);
                if (!e) {
                    memcpy(w->buf + w->len, data, len);
                    w->len += len;
                }
            }
        } else {
            /* split so that avail_in (uInt) never overflows */
            const char *p = data;
            while (!e && len) {
                size_t k = len > (1u << 30) ? (1u << 30) : len;
                e = run_codec(w, p, k, 0);
                p += k;
                len -= k;
            }
        }
    }
    if (e) w->err = e;
    return e;
}

uint64_t tm_writer_bytes(const tm_writer *w) {
    return w ? w->bytes : 0;
}

static void release(tm_writer *w) {
    if (w->z_init) deflateEnd(&w->zs);
    ZSTD_freeCCtx(w->zc);
    free(w->buf);
    free(w->path);
    free(w->tmp);
    free(w);
}

void tm_writer_abort(tm_writer *w) {
    if (!w) return;
    if (w->opened && w->fd >= 0 && w->mode != W_STDOUT) {
        close(w->fd);
        if (w->mode == W_TEMP) unlink(w->tmp);
    }
    release(w);
}

tm_error tm_writer_close(tm_writer *w) {
    if (!w) return TM_ERR_ARG;
    tm_error e = (tm_error)w->err;
    if (!e && !w->opened) {
        /* Never written: a lazy writer publishes nothing, except that an
         * output written in place is still opened and closed once (with an
         * empty compressed stream when it is compressed), so that a reader
         * waiting on a FIFO sees its end. */
        if (w->lazy && !tmi_writer_in_place(w->path)) {
            release(w);
            return TM_OK;
        }
        e = create_file(w);
    }
    if (!e && w->codec != C_NONE) e = run_codec(w, NULL, 0, 1);
    TM_THEN(e, flush_buf(w));
    if (w->mode == W_STDOUT || !w->opened) { /* stdout: flushed, never closed */
        release(w);
        return e;
    }
    if (w->fd >= 0 && close(w->fd) != 0 && !e) e = TM_ERR_IO;
    w->fd = -1;
    if (w->mode == W_TEMP) {
        if (!e && rename(w->tmp, w->path) != 0) e = TM_ERR_IO;
        if (e) unlink(w->tmp);
    }
    release(w);
    return e;
}
