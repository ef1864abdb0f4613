/*
 * inputs.c — the list of files a reader goes through, and copies of the
 * inputs that cannot be read twice.
 *
 * Expansion (tmi_inputs_expand) turns the paths a user gave into the files
 * read, in order: "-" is standard input, a directory is walked recursively
 * with entries in byte-wise (strcmp) order, every regular file taken
 * (hidden ones too; symbolic links to files are followed, links to
 * directories inside a walk are not, so a walk cannot loop), any other path
 * kept as given. A path that cannot be examined stays in the list with its
 * error, which the reader reports when it reaches it, so a bad input fails
 * at its place in the order.
 *
 * Two-pass jobs (dedup) expand once, before the first pass, so that both
 * passes read the same files even if a directory gains or loses some, and
 * call tmi_inputs_spool: an input that is not a regular file (standard
 * input, a pipe or FIFO, a process substitution /dev/fd/N, a socket, a
 * character device) would be empty, blocked or different the second time,
 * so it is copied once, byte for byte (compressed data stays compressed),
 * into a temporary file in tmp_dir that both passes read. The entry keeps
 * its name: records report the input as the user gave it ("-", "/dev/fd/63"),
 * so ids generated as FILE:LINE and rejects name the same thing in every
 * run and in every command.
 *
 * tmi_sniff_binary tells, from an input's first bytes, whether it is no
 * text at all (the reader rejects such an input in one record).
 */
#include "io/io.h"
#include "io/xsort.h"
#include "util/buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_WALK_DEPTH 64

tm_error tmi_inputs_add(tm_inputs *l, const char *path, int err, const char *detail,
                        uint64_t size) {
    tm_error e = TM_GROW(l->v, l->cap, l->n + 1, 0);
    if (e) return e;
    tm_input_ent *in = &l->v[l->n];
    memset(in, 0, sizeof *in);
    if (!(in->path = strdup(path))) return TM_ERR_NOMEM;
    in->err = err;
    in->size = size;
    snprintf(in->detail, sizeof in->detail, "%s", detail ? detail : "");
    l->n++;
    return TM_OK;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static tm_error walk(tm_inputs *l, const char *dir, int depth) {
    if (depth > MAX_WALK_DEPTH)
        return tmi_inputs_add(l, dir, TM_ERR_OPEN, "directory tree too deep", 0);
    DIR *d = opendir(dir);
    if (!d) return tmi_inputs_add(l, dir, TM_ERR_OPEN, strerror(errno), 0);
    char **names = NULL;
    size_t n = 0, cap = 0;
    tm_error e = TM_OK;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        if ((e = TM_GROW(names, cap, n + 1, 0))) break;
        if (!(names[n] = strdup(de->d_name))) {
            e = TM_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (!e) qsort(names, n, sizeof *names, cmp_names);
    tm_buf child = {0};
    for (size_t i = 0; i < n && !e; i++) {
        tmi_buf_reset(&child);
        size_t dl = strlen(dir);
        if (tmi_buf_append(&child, dir, dl) ||
            (dl && dir[dl - 1] != '/' && tmi_buf_putc(&child, '/')) ||
            tmi_buf_puts(&child, names[i])) {
            e = TM_ERR_NOMEM;
            break;
        }
        struct stat ls, st;
        if (lstat(child.data, &ls) != 0) {
            e = tmi_inputs_add(l, child.data, TM_ERR_OPEN, strerror(errno), 0);
            continue;
        }
        if (S_ISDIR(ls.st_mode))
            e = walk(l, child.data, depth + 1);
        else if (S_ISREG(ls.st_mode))
            e = tmi_inputs_add(l, child.data, 0, NULL, (uint64_t)ls.st_size);
        else if (S_ISLNK(ls.st_mode) && stat(child.data, &st) == 0 && S_ISREG(st.st_mode))
            e = tmi_inputs_add(l, child.data, 0, NULL, (uint64_t)st.st_size);
        /* sockets, fifos, devices and links to directories are not inputs */
    }
    tm_buf_free(&child);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return e;
}

tm_error tmi_inputs_expand(tm_inputs *l, const char *const *paths, size_t n) {
    tm_error e = TM_OK;
    for (size_t i = 0; i < n && !e; i++) {
        const char *p = paths[i];
        struct stat st;
        if (!p)
            e = TM_ERR_ARG;
        else if (strcmp(p, "-") == 0)
            e = tmi_inputs_add(l, p, 0, NULL, 0);
        else if (stat(p, &st) != 0)
            e = tmi_inputs_add(l, p, TM_ERR_OPEN, strerror(errno), 0);
        else if (S_ISDIR(st.st_mode))
            e = walk(l, p, 0);
        else
            e = tmi_inputs_add(l, p, 0, NULL, S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0);
    }
    return e;
}

const char *tmi_input_name(const tm_input_ent *in) {
    return in->name ? in->name : in->path;
}

__attribute__((format(printf, 3, 4))) static void say(char *detail, size_t size, const char *fmt,
                                                      ...) {
    if (!detail || !size) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, size, fmt, ap);
    va_end(ap);
}

/* Copies what fd delivers, to its end, into a new temporary file of dir
 * (mode 0600). On failure the partial copy is removed and detail says
 * which side failed. */
static tm_error spool_fd(int fd, const char *name, const char *dir, char **path_out, uint64_t *size,
                         char *detail, size_t dsize) {
    size_t n = strlen(dir) + 32;
    char *path = malloc(n);
    if (!path) return TM_ERR_NOMEM;
    snprintf(path, n, "%s/tamis-input-XXXXXX", dir);
    int out = mkstemp(path);
    if (out < 0) {
        say(detail, dsize, "cannot create a copy of %s in %s: %s", name, dir, strerror(errno));
        free(path);
        return TM_ERR_OPEN;
    }
    enum { CHUNK = 1 << 16 };
    char *buf = malloc(CHUNK);
    tm_error e = buf ? TM_OK : TM_ERR_NOMEM;
    uint64_t total = 0;
    while (!e) {
        ssize_t got = read(fd, buf, CHUNK);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            say(detail, dsize, "cannot read %s: %s", name, strerror(errno));
            e = TM_ERR_IO;
            break;
        }
        if (got == 0) break;
        for (ssize_t off = 0; off < got && !e;) {
            ssize_t wr = write(out, buf + off, (size_t)(got - off));
            if (wr < 0 && errno == EINTR) continue;
            if (wr <= 0) {
                say(detail, dsize, "cannot write the copy of %s in %s: %s", name, dir,
                    wr < 0 ? strerror(errno) : "short write");
                e = TM_ERR_IO;
            } else {
                off += wr;
            }
        }
        total += (uint64_t)got;
    }
    free(buf);
    if (close(out) != 0 && !e) {
        say(detail, dsize, "cannot write the copy of %s in %s: %s", name, dir, strerror(errno));
        e = TM_ERR_IO;
    }
    if (e) {
        unlink(path);
        free(path);
        return e;
    }
    *path_out = path;
    *size = total;
    return TM_OK;
}

tm_error tmi_inputs_spool(tm_inputs *l, const char *tmp_dir, char *detail, size_t dsize) {
    const char *dir = tmi_io_tmp_dir(tmp_dir);
    for (size_t i = 0; i < l->n; i++) {
        tm_input_ent *in = &l->v[i];
        if (in->err || in->spooled) continue;
        int is_stdin = strcmp(in->path, "-") == 0, fd = 0;
        struct stat st;
        if (!is_stdin && (stat(in->path, &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
            continue; /* read twice as it is; a failure is the reader's to report */
        if (!is_stdin && (fd = open(in->path, O_RDONLY | O_CLOEXEC)) < 0) {
            /* reported at its place in the order, like a file that vanished */
            in->err = TM_ERR_OPEN;
            snprintf(in->detail, sizeof in->detail, "%s", strerror(errno));
            continue;
        }
        char *copy = NULL;
        uint64_t size = 0;
        tm_error e = spool_fd(fd, in->path, dir, &copy, &size, detail, dsize);
        if (!is_stdin) close(fd);
        if (e) return e;
        in->name = in->path;
        in->path = copy;
        in->size = size;
        in->spooled = 1;
    }
    return TM_OK;
}

void tmi_inputs_free(tm_inputs *l) {
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i].spooled) unlink(l->v[i].path);
        free(l->v[i].path);
        free(l->v[i].name);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* The first block of a file that is no text: a user who passes a PDF, an
 * archive or a program by mistake gets one reject that says so, not one
 * huge "document" of replacement characters. Returns why, or NULL. Only the
 * bytes already buffered are looked at (at most TM_SNIFF_BYTES), so a pipe is
 * never waited on. */
const char *tmi_sniff_binary(const char *p, size_t n) {
    static const struct {
        const char *magic;
        size_t len;
        const char *why;
    } kinds[] = {
        {"%PDF-", 5, "input looks binary: a PDF document (starts with %PDF-)"},
        {"PK\x03\x04", 4, "input looks binary: a ZIP archive or office document (starts with PK)"},
        {"\x7f"
         "ELF",
         4, "input looks binary: an ELF program"},
        {"\x89PNG\r\n\x1a\n", 8, "input looks binary: a PNG image"},
        {"GIF8", 4, "input looks binary: a GIF image"},
        {"\xff\xd8\xff", 3, "input looks binary: a JPEG image"},
        {"\xd0\xcf\x11\xe0", 4, "input looks binary: an OLE (old MS Office) document"},
        {"SQLite format 3", 16, "input looks binary: an SQLite database"},
        {"BZh", 3, "input looks binary: bzip2 data, which tamis does not read (bunzip2 it first)"},
        {"\xfd"
         "7zXZ",
         6, "input looks binary: xz data, which tamis does not read (unxz it first)"},
        {"7z\xbc\xaf\x27\x1c", 6, "input looks binary: a 7-Zip archive"},
        {"Rar!", 4, "input looks binary: a RAR archive"},
        {"\x1f\x8b", 2, "input looks binary: gzip data inside gzip data"},
        {"\x28\xb5\x2f\xfd", 4, "input looks binary: zstd data inside compressed data"},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        if (n >= kinds[k].len && !memcmp(p, kinds[k].magic, kinds[k].len)) return kinds[k].why;
    if (n >= 2 && (!memcmp(p, "\xff\xfe", 2) || !memcmp(p, "\xfe\xff", 2)))
        return "input looks binary: UTF-16 text; convert it to UTF-8 first (iconv -f UTF-16)";
    if (memchr(p, '\0', n < TM_SNIFF_BYTES ? n : TM_SNIFF_BYTES))
        return "input looks binary: NUL bytes in its first 4096 bytes";
    return NULL;
}
