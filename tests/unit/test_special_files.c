/*
 * test_special_files.c — outputs that are not regular files and inputs that
 * cannot be read twice.
 *
 * Writers: a FIFO, a character device node made here (root only: mknod of
 * 1:3, the null device, in the test's own folder — never the system's
 * /dev/null) and descriptor names (/dev/fd/N) are written in place and stay
 * what they were, compressed by extension when asked, while a regular file
 * keeps the temporary + rename. Dedup: a FIFO input gives the same outputs
 * as the same bytes in a regular file, with its name in generated ids; and
 * an input changed between the two passes (deleted, truncated, appended to,
 * edited in place — done from the progress callback when pass 2 starts)
 * fails the job with TM_ERR_CHANGED naming the file, publishing nothing,
 * with a ledger that does not balance when the counts differ; a file added
 * to a directory between the passes is not read (the list is fixed).
 */
#include "testutil.h"

#include "io/io.h"
#include "util/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <zlib.h>

static char dir[256];

static void path_of(char *out, size_t n, const char *name) {
    snprintf(out, n, "%s/%s", dir, name);
}

static void write_file(const char *path, const char *data) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, strlen(data), f), strlen(data));
    assert_int_equal(fclose(f), 0);
}

/* Files of dir whose name contains ".tmp-" (a writer's temporary). */
static int temporaries(void) {
    char cmd[400];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -c '\\.tmp-'", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1) n = -1;
        pclose(p);
    }
    return n;
}

/* A reader thread that drains a FIFO into memory until its end. */
typedef struct drain {
    char path[300];
    tm_buf got;
    pthread_t t;
} drain;

static void *drain_main(void *arg) {
    drain *d = arg;
    int fd = open(d->path, O_RDONLY);
    if (fd < 0) return NULL;
    char chunk[4096];
    ssize_t k;
    while ((k = read(fd, chunk, sizeof chunk)) > 0) tmi_buf_append(&d->got, chunk, (size_t)k);
    close(fd);
    return NULL;
}

static void drain_start(drain *d, const char *path) {
    memset(d, 0, sizeof *d);
    snprintf(d->path, sizeof d->path, "%s", path);
    assert_int_equal(pthread_create(&d->t, NULL, drain_main, d), 0);
}

static void drain_join(drain *d) {
    pthread_join(d->t, NULL);
}

static void make_fifo(const char *path) {
    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
}

static int is_fifo(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0 && S_ISFIFO(st.st_mode);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tm-special-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static const char payload[] = "{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\"two\"}\n";

static void put(const char *path, const char *data, tm_error want_close) {
    tm_writer *w;
    assert_int_equal(tm_writer_open(&w, path), TM_OK);
    assert_int_equal(tm_writer_write(w, data, strlen(data)), TM_OK);
    assert_int_equal(tm_writer_close(w), want_close);
}

static void t_fifo_written_in_place(void **state) {
    (void)state;
    char p[300];
    path_of(p, sizeof p, "out.jsonl");
    make_fifo(p);
    assert_int_equal(tmi_writer_in_place(p), 1);
    drain d;
    drain_start(&d, p);
    put(p, payload, TM_OK);
    drain_join(&d);
    assert_true(is_fifo(p));
    assert_int_equal(d.got.len, strlen(payload));
    assert_memory_equal(d.got.data, payload, d.got.len);
    assert_int_equal(temporaries(), 0);
    tm_buf_free(&d.got);
    /* An aborted writer leaves the FIFO in place too. */
    drain_start(&d, p);
    tm_writer *w;
    assert_int_equal(tm_writer_open(&w, p), TM_OK);
    assert_int_equal(tm_writer_write(w, "partial", 7), TM_OK);
    tm_writer_abort(w);
    drain_join(&d);
    assert_true(is_fifo(p));
    tm_buf_free(&d.got);
    unlink(p);
}

static void t_fifo_compressed(void **state) {
    (void)state;
    char p[300];
    path_of(p, sizeof p, "out.jsonl.gz");
    make_fifo(p);
    drain d;
    drain_start(&d, p);
    put(p, payload, TM_OK);
    drain_join(&d);
    assert_true(is_fifo(p));
    /* gzip by extension, as for a file */
    assert_true(d.got.len > 2 && (unsigned char)d.got.data[0] == 0x1f &&
                (unsigned char)d.got.data[1] == 0x8b);
    char out[256];
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = (Bytef *)d.got.data;
    z.avail_in = (uInt)d.got.len;
    z.next_out = (Bytef *)out;
    z.avail_out = sizeof out;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(z.total_out, strlen(payload));
    assert_memory_equal(out, payload, strlen(payload));
    inflateEnd(&z);
    tm_buf_free(&d.got);
    unlink(p);
}

/* A lazy writer (the rejects file) never written still opens and closes an
 * in-place output once: the FIFO's reader gets its end instead of waiting. */
static void t_lazy_fifo_closed(void **state) {
    (void)state;
    char p[300];
    path_of(p, sizeof p, "rejects.jsonl");
    make_fifo(p);
    drain d;
    drain_start(&d, p);
    tm_writer *w;
    assert_int_equal(tm_writer_open_lazy(&w, p), TM_OK);
    assert_int_equal(tm_writer_close(w), TM_OK);
    drain_join(&d);
    assert_int_equal(d.got.len, 0);
    assert_true(is_fifo(p));
    tm_buf_free(&d.got);
    unlink(p);
    /* a regular lazy path stays absent */
    assert_int_equal(tm_writer_open_lazy(&w, p), TM_OK);
    assert_int_equal(tm_writer_close(w), TM_OK);
    assert_int_equal(access(p, F_OK), -1);
}

static void t_device_node(void **state) {
    (void)state;
    char p[300];
    path_of(p, sizeof p, "null");
    if (geteuid() != 0 || mknod(p, S_IFCHR | 0666, makedev(1, 3)) != 0) {
        skip(); /* needs root (and a file system that allows device nodes) */
        return;
    }
    assert_int_equal(tmi_writer_in_place(p), 1);
    put(p, payload, TM_OK);
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(major(st.st_rdev), 1);
    assert_int_equal(minor(st.st_rdev), 3);
    assert_int_equal(temporaries(), 0);
    /* compressed, and through a symbolic link: still the node */
    char link[300];
    path_of(link, sizeof link, "null.zst");
    assert_int_equal(symlink(p, link), 0);
    put(link, payload, TM_OK);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(stat(link, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    unlink(link);
    unlink(p);
}

/* /dev/fd/N writes to that descriptor: the open file keeps its inode and
 * its append mode (what the shell opened), nothing is created. */
static void t_descriptor_names(void **state) {
    (void)state;
    char p[300], name[64];
    path_of(p, sizeof p, "fd-target.txt");
    write_file(p, "head\n");
    struct stat before, after;
    assert_int_equal(stat(p, &before), 0);
    int fd = open(p, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    snprintf(name, sizeof name, "/dev/fd/%d", fd);
    assert_int_equal(tmi_writer_in_place(name), 1);
    put(name, payload, TM_OK);
    close(fd);
    assert_int_equal(stat(p, &after), 0);
    assert_int_equal(after.st_ino, before.st_ino);
    size_t n;
    char *got = tm_test_slurp(p, &n);
    tm_buf want = {0};
    tmi_buf_printf(&want, "head\n%s", payload);
    assert_int_equal(n, want.len);
    assert_memory_equal(got, want.data, n);
    free(got);
    tm_buf_free(&want);
    /* a closed descriptor is an error, not a new file */
    snprintf(name, sizeof name, "/dev/fd/%d", fd);
    tm_writer *w;
    tm_error e = tm_writer_open(&w, name);
    assert_int_equal(e, TM_ERR_OPEN);
    unlink(p);
}

/* A regular file is still replaced atomically: the old content stays
 * until close, the new one arrives under a new inode. */
static void t_regular_still_atomic(void **state) {
    (void)state;
    char p[300];
    path_of(p, sizeof p, "regular.jsonl");
    write_file(p, "old\n");
    assert_int_equal(tmi_writer_in_place(p), 0);
    struct stat before, after;
    assert_int_equal(stat(p, &before), 0);
    tm_writer *w;
    assert_int_equal(tm_writer_open(&w, p), TM_OK);
    assert_int_equal(tm_writer_write(w, payload, strlen(payload)), TM_OK);
    assert_int_equal(temporaries(), 1);
    size_t n;
    char *got = tm_test_slurp(p, &n);
    assert_string_equal(got, "old\n");
    free(got);
    assert_int_equal(tm_writer_close(w), TM_OK);
    assert_int_equal(temporaries(), 0);
    assert_int_equal(stat(p, &after), 0);
    assert_true(after.st_ino != before.st_ino);
    got = tm_test_slurp(p, &n);
    assert_string_equal(got, payload);
    free(got);
    /* new paths too; and an aborted writer leaves the old file */
    assert_int_equal(tm_writer_open(&w, p), TM_OK);
    assert_int_equal(tm_writer_write(w, "x", 1), TM_OK);
    tm_writer_abort(w);
    got = tm_test_slurp(p, &n);
    assert_string_equal(got, payload);
    free(got);
    assert_int_equal(temporaries(), 0);
    unlink(p);
    assert_int_equal(tmi_writer_in_place(p), 0);
    assert_int_equal(tmi_writer_in_place("-"), 1);
    assert_int_equal(tmi_writer_in_place("/dev/stdout"), 1);
}

/* The default rejects path of an output written in place is not beside it
 * (that would be "/dev/null.rejects.jsonl"). */
static void t_rejects_path(void **state) {
    (void)state;
    char p[300], r[4096], want[400];
    path_of(p, sizeof p, "o.fifo");
    make_fifo(p);
    tm_job_opts o;
    tm_job_opts_init(&o);
    o.output = p;
    tm_job_rejects_path(&o, r, sizeof r);
    assert_string_equal(r, "tamis-rejects.jsonl");
    unlink(p);
    tm_job_rejects_path(&o, r, sizeof r);
    snprintf(want, sizeof want, "%s.rejects.jsonl", p);
    assert_string_equal(r, want);
}

/* ---- dedup over inputs that cannot be read twice ---- */

/* Four documents, a near copy of the first and an exact copy of the
 * second; the copies have no id (FILE:LINE ids). */
static const char *const docs_a =
    "{\"id\":\"a1\",\"text\":\"the quick brown fox jumps over the lazy dog near the river bank "
    "at dawn while birds sing\"}\n"
    "{\"id\":\"a2\",\"text\":\"completely different words about cooking pasta with garlic olive "
    "oil and fresh basil leaves\"}\n";
static const char *const docs_c =
    "{\"text\":\"completely different words about cooking pasta with garlic olive oil and fresh "
    "basil leaves\"}\n"
    "{\"id\":\"c2\",\"text\":\"a third text on mountains glaciers and snow over the high alpine "
    "passes in winter time\"}\n"
    "not json\n";

typedef struct fixture {
    tm_job_opts o;
    tm_dedup_opts d;
    char out[300], rm[300], rej[300], err[512];
} fixture;

static void fixture_init(fixture *f, const char *const *in, size_t n) {
    tm_job_opts_init(&f->o);
    tm_dedup_opts_init(&f->d);
    f->o.inputs = in;
    f->o.n_inputs = n;
    f->o.threads = 1;
    path_of(f->out, sizeof f->out, "kept.jsonl");
    path_of(f->rm, sizeof f->rm, "removed.jsonl");
    path_of(f->rej, sizeof f->rej, "rejects.jsonl");
    unlink(f->out);
    unlink(f->rm);
    unlink(f->rej);
    f->o.output = f->out;
    f->o.removed = f->rm;
    f->o.rejects = f->rej;
    f->err[0] = '\0';
    f->d.tmp_dir = dir;
}

typedef struct feeder {
    char path[300];
    const char *data;
    pthread_t t;
} feeder;

static void *feed_main(void *arg) {
    feeder *f = arg;
    int fd = open(f->path, O_WRONLY);
    if (fd < 0) return NULL;
    size_t n = strlen(f->data), off = 0;
    while (off < n) {
        ssize_t k = write(fd, f->data + off, n - off);
        if (k <= 0) break;
        off += (size_t)k;
    }
    close(fd);
    return NULL;
}

static void t_dedup_fifo_input(void **state) {
    (void)state;
    char reg[300], fifo[300];
    path_of(reg, sizeof reg, "all.jsonl");
    path_of(fifo, sizeof fifo, "all.fifo");
    tm_buf all = {0};
    tmi_buf_puts(&all, docs_a);
    tmi_buf_puts(&all, docs_c);
    write_file(reg, all.data);
    /* reference: the same bytes in a regular file */
    fixture f;
    const char *in1[] = {reg};
    fixture_init(&f, in1, 1);
    tm_dedup_stats ds;
    assert_int_equal(tm_job_dedup(&f.o, &f.d, &ds), TM_OK);
    assert_int_equal(ds.pass1_read, 5);
    assert_int_equal(ds.pass2_read, 5);
    char *k_ref = tm_test_slurp(f.out, NULL), *r_ref = tm_test_slurp(f.rm, NULL),
         *j_ref = tm_test_slurp(f.rej, NULL);
    assert_non_null(k_ref);
    assert_non_null(r_ref);
    assert_non_null(j_ref);
    /* the FIFO, fed by a writer thread */
    make_fifo(fifo);
    feeder fd = {.data = all.data};
    snprintf(fd.path, sizeof fd.path, "%s", fifo);
    assert_int_equal(pthread_create(&fd.t, NULL, feed_main, &fd), 0);
    const char *in2[] = {fifo};
    fixture_init(&f, in2, 1);
    assert_int_equal(tm_job_dedup(&f.o, &f.d, &ds), TM_OK);
    pthread_join(fd.t, NULL);
    assert_true(is_fifo(fifo));
    assert_int_equal(ds.ledger.read, 5);
    assert_int_equal(ds.ledger.written, 3);
    assert_int_equal(ds.ledger.removed, 1);
    assert_int_equal(ds.ledger.rejected, 1);
    assert_int_equal(ds.pass2_read, 5);
    /* Same decisions; names are the input's own (not the copy's). */
    char *k = tm_test_slurp(f.out, NULL), *r = tm_test_slurp(f.rm, NULL),
         *j = tm_test_slurp(f.rej, NULL);
    assert_non_null(k);
    assert_non_null(r);
    assert_non_null(j);
    tm_buf want = {0};
    tmi_buf_printf(&want, "\"%s:3\"", fifo);
    assert_non_null(strstr(r, want.data)); /* the exact copy, line 3, removed */
    tmi_buf_reset(&want);
    tmi_buf_printf(&want, "{\"file\":\"%s\",\"line\":5,", fifo);
    assert_true(strncmp(j, want.data, want.len) == 0);
    assert_null(strstr(k, "tamis-input-"));
    assert_null(strstr(r, "tamis-input-"));
    assert_string_equal(k, k_ref); /* kept documents carry their own ids */
    tm_buf_free(&want);
    free(k);
    free(r);
    free(j);
    free(k_ref);
    free(r_ref);
    free(j_ref);
    tm_buf_free(&all);
    /* the copy is gone */
    char cmd[400];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -q tamis-input-", dir);
    assert_int_not_equal(system(cmd), 0);
    unlink(fifo);
    unlink(reg);
}

/* What the progress callback does to the last file when pass 2 starts
 * (the first call whose count is below the previous one's). */
enum { ACT_DELETE, ACT_TRUNCATE, ACT_APPEND, ACT_EDIT, ACT_ADD_FILE };

typedef struct between {
    int action, done;
    uint64_t last;
    char victim[320], extra[320];
} between;

static void on_progress(void *ud, uint64_t docs, uint64_t bytes_in, uint64_t bytes_total) {
    (void)bytes_in;
    (void)bytes_total;
    between *b = ud;
    if (!b->done && docs < b->last) {
        b->done = 1;
        FILE *f;
        switch (b->action) {
        case ACT_DELETE: unlink(b->victim); break;
        case ACT_TRUNCATE: assert_int_equal(truncate(b->victim, 40), 0); break;
        case ACT_APPEND:
            f = fopen(b->victim, "ab");
            fputs("{\"id\":\"late\",\"text\":\"appended between the passes\"}\n", f);
            fclose(f);
            break;
        case ACT_EDIT: /* same length, one byte changed */
            f = fopen(b->victim, "r+b");
            fseek(f, 30, SEEK_SET);
            fputc('X', f);
            fclose(f);
            break;
        case ACT_ADD_FILE:
            write_file(b->extra, "{\"id\":\"new\",\"text\":\"added later\"}\n");
            break;
        }
    }
    b->last = docs;
}

static void run_between(int action, tm_error want) {
    char sub[300], a[320], c[320], z[320];
    path_of(sub, sizeof sub, "corpus");
    mkdir(sub, 0700);
    snprintf(a, sizeof a, "%s/a.jsonl", sub);
    snprintf(c, sizeof c, "%s/c.jsonl", sub);
    snprintf(z, sizeof z, "%s/z.jsonl", sub);
    unlink(z);
    write_file(a, docs_a);
    write_file(c, docs_c);
    fixture f;
    const char *in[] = {sub};
    fixture_init(&f, in, 1);
    between b = {.action = action};
    snprintf(b.victim, sizeof b.victim, "%s", c);
    snprintf(b.extra, sizeof b.extra, "%s", z);
    f.o.progress = on_progress;
    f.o.progress_ud = &b;
    f.o.batch_bytes = 1; /* one record a batch: a progress call each */
    char cl[300];
    path_of(cl, sizeof cl, "clusters.jsonl");
    unlink(cl);
    f.d.clusters = cl;
    tm_dedup_stats ds;
    tm_error e = tm_test_detail(tm_job_dedup(&f.o, &f.d, &ds), f.err, sizeof f.err);
    assert_int_equal(b.done, 1);
    assert_int_equal(e, want);
    tm_buf j = {0};
    assert_int_equal(tm_dedup_stats_to_json(&ds, &j), TM_OK);
    if (want == TM_OK) {
        /* the new file was not read: the list is fixed at pass 1 */
        assert_int_equal(ds.pass1_read, 5);
        assert_int_equal(ds.pass2_read, 5);
        char *k = tm_test_slurp(f.out, NULL);
        assert_non_null(k);
        assert_null(strstr(k, "\"new\""));
        free(k);
        assert_int_equal(access(cl, F_OK), 0); /* published once pass 2 agreed */
        assert_non_null(strstr(j.data, "\"ledger_ok\":true"));
    } else {
        tm_buf w = {0};
        tmi_buf_printf(&w, "%s: pass 1 ", c);
        assert_true(strncmp(f.err, w.data, w.len) == 0);
        tm_buf_free(&w);
        assert_string_equal(tm_strerror(e), "an input changed between the two passes that read it");
        assert_string_equal(tm_error_name(e), "changed");
        /* nothing published: kept, removed, clusters */
        assert_int_equal(access(f.out, F_OK), -1);
        assert_int_equal(access(f.rm, F_OK), -1);
        assert_int_equal(access(cl, F_OK), -1);
        assert_int_equal(ds.pass1_read, 5);
        assert_int_equal(ds.ledger.read, 5);
        if (ds.pass2_read != ds.pass1_read)
            assert_non_null(strstr(j.data, "\"ledger_ok\":false"));
        else
            assert_non_null(strstr(f.err, "not the same bytes"));
        if (action == ACT_DELETE) {
            assert_int_equal(ds.pass2_read, 2);
            assert_non_null(strstr(f.err, "pass 1 read 3 records, pass 2 read 0 (cannot read"));
            assert_non_null(strstr(f.err, "No such file"));
        }
        if (action == ACT_APPEND) {
            assert_int_equal(ds.pass2_read, 6);
            assert_non_null(strstr(f.err, "pass 1 read 3 records, pass 2 read 4"));
        }
        if (action == ACT_TRUNCATE) assert_non_null(strstr(f.err, "pass 2 read 1"));
    }
    tm_buf_free(&j);
    unlink(a);
    unlink(c);
    unlink(z);
    rmdir(sub);
}

static void t_deleted_between_passes(void **state) {
    (void)state;
    run_between(ACT_DELETE, TM_ERR_CHANGED);
}
static void t_truncated_between_passes(void **state) {
    (void)state;
    run_between(ACT_TRUNCATE, TM_ERR_CHANGED);
}
static void t_appended_between_passes(void **state) {
    (void)state;
    run_between(ACT_APPEND, TM_ERR_CHANGED);
}
static void t_edited_between_passes(void **state) {
    (void)state;
    run_between(ACT_EDIT, TM_ERR_CHANGED);
}
static void t_file_added_between_passes(void **state) {
    (void)state;
    run_between(ACT_ADD_FILE, TM_OK);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_fifo_written_in_place),
        cmocka_unit_test(t_fifo_compressed),
        cmocka_unit_test(t_lazy_fifo_closed),
        cmocka_unit_test(t_device_node),
        cmocka_unit_test(t_descriptor_names),
        cmocka_unit_test(t_regular_still_atomic),
        cmocka_unit_test(t_rejects_path),
        cmocka_unit_test(t_dedup_fifo_input),
        cmocka_unit_test(t_deleted_between_passes),
        cmocka_unit_test(t_truncated_between_passes),
        cmocka_unit_test(t_appended_between_passes),
        cmocka_unit_test(t_edited_between_passes),
        cmocka_unit_test(t_file_added_between_passes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
