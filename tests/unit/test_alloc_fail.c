/*
 * test_alloc_fail.c — every public entry point fails cleanly when an
 * allocation fails, and leaks nothing (SQLite's and curl's "OOM loop").
 *
 * The test binary provides malloc, calloc, realloc, free, aligned_alloc,
 * posix_memalign, strdup and strndup over glibc's own (__libc_*; glibc's
 * strdup would allocate past the interposed malloc), so every allocation of the
 * process goes through them: tamis's, and those of utf8proc, jansson,
 * libyaml, zlib and CLD2 (C++'s operator new calls malloc). For each entry
 * point, run once to learn its result and then again with the 1st, 2nd, ...
 * allocation failing, until a run makes fewer allocations than the one
 * failed. Each failing run must return TM_ERR_NOMEM, or TM_OK with exactly
 * the result of the run without failure (a fallback that changes nothing),
 * and must leave as many live allocations as before it: every handle it
 * made is freed by the entry points' own cleanup. The one exception is
 * CLD2's own scratch when its operator new throws (cld2_on_stack()): the
 * call still returns TM_ERR_NOMEM, and the loss is inside CLD2. Under a
 * sanitizer, which owns malloc itself, the test is skipped.
 */
#include "testutil.h"
#include "util/buf.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <errno.h>
#include <execinfo.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack: no allocation */
#include <xxhash.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TM_NO_INTERPOSE 1
#endif

#ifndef TM_NO_INTERPOSE
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void *__libc_memalign(size_t, size_t);
void __libc_free(void *);

/* Exported (the build hides symbols by default) so that the shared
 * libraries' calls land here too. */
#define TM_EXPORT __attribute__((visibility("default")))

static long live;    /* allocations not yet freed */
static long calls;   /* allocation calls since arm() */
static long fail_at; /* the call that fails (1-based); 0: none */
static int injected; /* a failure was injected since arm() */

static int in_cld2; /* the injected failure was asked for by CLD2's code */

/* Is libcld2 on the stack? CLD2 is not exception-safe: when its operator new
 * throws, the blocks it already holds are lost inside it (the adapter
 * catches std::bad_alloc and returns TM_ERR_NOMEM). backtrace() was called
 * once before counting, so it allocates nothing here. */
static int cld2_on_stack(void) {
    void *bt[24];
    int n = backtrace(bt, 24);
    for (int i = 0; i < n; i++) {
        Dl_info info;
        if (dladdr(bt[i], &info) && info.dli_fname && strstr(info.dli_fname, "libcld2")) return 1;
    }
    return 0;
}

static int should_fail(void) {
    calls++;
    if (fail_at && calls == fail_at) {
        injected = 1;
        in_cld2 = cld2_on_stack();
        if (getenv("TM_OOM_TRACE")) { /* where the failed allocation was asked for */
            void *bt[16];
            backtrace_symbols_fd(bt, backtrace(bt, 16), 2);
        }
        return 1;
    }
    return 0;
}

TM_EXPORT void *malloc(size_t n) {
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_malloc(n);
    if (p) live++;
    return p;
}
TM_EXPORT void *calloc(size_t a, size_t b) {
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_calloc(a, b);
    if (p) live++;
    return p;
}
TM_EXPORT void *realloc(void *q, size_t n) {
    if (!q) return malloc(n);
    if (!n) {
        free(q);
        return NULL;
    }
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(q, n);
}
TM_EXPORT void free(void *p) {
    if (!p) return;
    live--;
    __libc_free(p);
}
TM_EXPORT void *aligned_alloc(size_t align, size_t n) {
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_memalign(align, n);
    if (p) live++;
    return p;
}
/* glibc's own strdup allocates inside libc, past an interposed malloc. */
TM_EXPORT char *strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    return p ? memcpy(p, s, n) : NULL;
}
TM_EXPORT char *strndup(const char *s, size_t max) {
    size_t n = strnlen(s, max);
    char *p = malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}
TM_EXPORT int posix_memalign(void **out, size_t align, size_t n) {
    void *p = aligned_alloc(align, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
#endif

static char work_dir[64], out_path[96], removed_path[96];
static void no_leftovers(void);

/* An entry point under test: does its whole work, frees what it made, and
 * returns its error and a digest of its result. */
typedef tm_error (*op_fn)(uint64_t *digest);

static void oom_loop(const char *name, op_fn op) {
#ifdef TM_NO_INTERPOSE
    (void)name, (void)op, (void)no_leftovers; /* used only where malloc is ours */
    skip();
#else
    uint64_t want = 0, got = 0;
    long before = live;
    fail_at = 0;
    calls = 0;
    assert_int_equal(op(&want), TM_OK);
    assert_int_equal(live, before);
    long total = calls;
    long n;
    long cld2_lost = 0;
    for (n = 1;; n++) {
        long base = live;
        calls = 0, injected = 0, in_cld2 = 0, fail_at = n;
        got = 0;
        tmi_detail_clear(); /* not every entry point clears it (tamis.h) */
        tm_error e = op(&got);
        fail_at = 0;
        if (!injected) break;
        if (in_cld2 && e == TM_ERR_NOMEM && live > base) { /* CLD2's own loss, see above */
            cld2_lost += live - base;
            live = base;
        }
        if (live != base || (e != TM_OK && e != TM_ERR_NOMEM) || (e == TM_OK && got != want))
            print_error("%s: allocation %ld of %ld failed: returned %d (%s), %ld allocations "
                        "leaked%s\n",
                        name, n, total, (int)e, tm_strerror(e), live - base,
                        e == TM_OK && got != want ? ", a different result" : "");
        assert_int_equal(live, base);
        assert_true(e == TM_OK || e == TM_ERR_NOMEM);
        if (e == TM_ERR_NOMEM) {
            /* the detail is static per thread: readable now, and it says
             * nothing or speaks of memory, never of another failure */
            const char *d = tm_error_detail();
            assert_non_null(memchr(d, '\0', TM_DETAIL_MAX));
            if (*d && !strstr(d, "memory"))
                print_error("%s: allocation %ld of %ld failed: detail '%s'\n", name, n, total, d);
            assert_true(!*d || strstr(d, "memory"));
        }
        if (work_dir[0]) no_leftovers();
        if (e == TM_OK) assert_true(got == want);
    }
    print_message("%s: %ld allocations, each failed once%s\n", name, n - 1,
                  cld2_lost ? " (CLD2 lost its own blocks when its operator new threw)" : "");
#endif
}

static uint64_t digest(const void *p, size_t n) {
    return XXH3_64bits(p, n);
}

static const char text[] =
    "Le sommet s'est ouvert lundi à Paris. Les dirigeants ont signé un accord accord sur le "
    "climat après une longue nuit de négociations.\n\n"
    "Les dirigeants ont signé un accord sur le climat après une longue nuit de négociations, "
    "a indiqué la présidence.\n\n"
    "Le sommet s'est ouvert lundi à Paris. Les dirigeants ont signé un accord accord sur le "
    "climat après une longue nuit de négociations.\n\n"
    "Caf\xC3\x83\xC2\xA9 cr\xC3\x83\xC2\xA8me \xE2\x80\x8B \xEF\xAC\x81n de partie.\n";

static tm_error op_normalize(uint64_t *d) {
    tm_buf b = {0};
    tm_error e = tm_normalize(text, sizeof text - 1,
                              TM_NORM_NFKC | TM_NORM_CASEFOLD | TM_NORM_WS | TM_NORM_PUNCT, &b);
    if (!e) *d = digest(b.data, b.len);
    tm_buf_free(&b);
    return e;
}

static tm_error op_repair(uint64_t *d) {
    tm_buf b = {0};
    size_t n = 0;
    tm_error e = tm_utf8_repair("a\xFF\xC3(b\xE2\x82", 8, &b, &n);
    if (!e) *d = digest(b.data, b.len) ^ n;
    tm_buf_free(&b);
    return e;
}

static tm_error op_clean(uint64_t *d) {
    tm_clean_opts o;
    tm_clean_opts_init(&o);
    o.min_reworded_words = 5;
    tm_cleaner *c = NULL;
    tm_error e = tm_cleaner_new(&c, &o);
    if (e) return e;
    tm_buf out = {0}, edits = {0};
    tm_clean_counts k;
    e = tm_clean_text(c, text, sizeof text - 1, NULL, &out, &edits, &k);
    if (!e) *d = digest(out.data, out.len) ^ digest(edits.data, edits.len);
    tm_buf_free(&out);
    tm_buf_free(&edits);
    tm_cleaner_free(c);
    return e;
}

static tm_error op_signals(uint64_t *d) {
    tm_scorer *s = NULL;
    tm_error e = tm_scorer_new(&s);
    if (e) return e;
    double v[TM_SIG_COUNT];
    memset(v, 0, sizeof v);
    e = tm_signals_compute(s, text, sizeof text - 1, "fr", 0, TM_SIG_ALL, v);
    if (!e) *d = digest(v, sizeof v);
    tm_scorer_free(s);
    return e;
}

static tm_error op_filter(uint64_t *d) {
    tm_filter *f = NULL;
    tm_error e = tm_filter_new(&f, "gopher");
    if (e) return e;
    e = tm_filter_set_rule(f, "gopher_quality.min_non_symbol_words", 30);
    if (!e) e = tm_filter_set_lang(f, "fr,en", 0.5);
    if (!e) *d = tm_filter_n_rules(f);
    tm_filter_free(f);
    return e;
}

/* One document through the c4 rules (they edit lines: the checker's own
 * buffer) with a language restriction (CLD2 runs). */
static tm_error op_filter_check(uint64_t *d) {
    tm_filter *f = NULL;
    tm_filter_checker *c = NULL;
    tm_error e = tm_filter_new(&f, "c4");
    if (!e) e = tm_filter_set_lang(f, "fr,en", 0.1);
    if (!e) e = tm_filter_checker_new(&c, f, 0);
    tm_filter_verdict_out v = {.size = sizeof v};
    if (!e) e = tm_filter_check(c, text, sizeof text - 1, 0, &v);
    if (!e)
        *d = (uint64_t)v.removed ^ digest(v.text.ptr, v.text.len) ^
             (v.rule ? digest(v.rule, strlen(v.rule)) : 0) ^ (uint64_t)(v.value * 1e6);
    tm_filter_checker_free(c);
    tm_filter_free(f);
    return e;
}

static tm_error op_langid(uint64_t *d) {
    static char big[32 * 1024]; /* CLD2 allocates its scratch for longer texts */
    if (!big[0])
        for (size_t i = 0; i + sizeof text < sizeof big; i += sizeof text - 1)
            memcpy(big + i, text, sizeof text - 1);
    tm_lang_result r;
    tm_error e = tm_langid(big, strlen(big), &r);
    if (!e) *d = digest(r.code, strlen(r.code)) ^ (uint64_t)(r.score * 1e6);
    return e;
}

static tm_error op_shingles(uint64_t *d) {
    tm_shingle_opts o;
    tm_shingle_opts_init(&o);
    o.norm = TM_NORM_NFKC | TM_NORM_CASEFOLD | TM_NORM_WS;
    uint64_t *h = NULL;
    size_t n = 0;
    int chars = 0;
    tm_error e = tm_shingle_text(text, sizeof text - 1, &o, &h, &n, &chars);
    if (!e) *d = digest(h, n * sizeof *h) ^ (uint64_t)chars;
    free(h);
    return e;
}

static tm_error op_config(uint64_t *d) {
    static const char yaml[] = "filter:\n  preset: gopher\n  rules:\n"
                               "    gopher_quality.min_non_symbol_words: 30\n"
                               "dedup:\n  threshold: 0.8\nclean:\n  ops: \"repeated,doubled\"\n";
    tm_run_config *c = NULL;
    tm_error e = tm_run_config_new(&c);
    if (e) return e;
    e = tm_run_config_load_yaml(c, yaml, sizeof yaml - 1);
    tm_buf y = {0};
    if (!e) e = tm_run_config_to_yaml(c, &y);
    if (!e) *d = digest(y.data, y.len);
    tm_buf_free(&y);
    tm_run_config_free(c);
    return e;
}

static char jsonl_path[96];

static tm_error op_reader(uint64_t *d) {
    tm_reader_opts ro;
    tm_reader_opts_init(&ro);
    tm_reader *r = NULL;
    const char *paths[] = {jsonl_path};
    tm_error e = tm_reader_open(&r, paths, 1, &ro);
    if (e) return e;
    uint64_t h = 0;
    tm_doc doc;
    tm_error fatal = TM_OK;
    for (tm_error x; (x = tm_reader_next(r, &doc)) != TM_EOF;) {
        if (x == TM_ERR_NOMEM) {
            fatal = x;
            break;
        }
        h = h * 31 + (uint64_t)-x + (x ? 0 : digest(doc.text.ptr, doc.text.len));
    }
    tm_reader_close(r);
    if (!fatal) *d = h;
    return fatal;
}

/* The input file's bytes, read once by main (not counted). */
static char jsonl_mem[4096];
static size_t jsonl_len;

static tm_error read_all(tm_reader *r, uint64_t *d) {
    uint64_t h = 0;
    tm_doc doc;
    tm_error fatal = TM_OK;
    for (tm_error x; (x = tm_reader_next(r, &doc)) != TM_EOF;) {
        if (x == TM_ERR_NOMEM) {
            fatal = x;
            break;
        }
        h = h * 31 + (uint64_t)-x + (x ? 0 : digest(doc.text.ptr, doc.text.len));
    }
    tm_reader_close(r);
    if (!fatal) *d = h;
    return fatal;
}

typedef struct piece {
    size_t at;
} piece;

static long read_piece(void *user, void *buf, size_t cap) {
    piece *p = user;
    size_t k = jsonl_len - p->at < 7 ? jsonl_len - p->at : 7;
    if (k > cap) k = cap;
    memcpy(buf, jsonl_mem + p->at, k);
    p->at += k;
    return (long)k;
}

static tm_error op_reader_mem(uint64_t *d) {
    tm_reader *r = NULL;
    tm_error e = tm_reader_open_mem(&r, jsonl_mem, jsonl_len, "mem", NULL);
    uint64_t a = 0, b = 0;
    if (!e) e = read_all(r, &a);
    piece p = {0};
    if (!e) e = tm_reader_open_cb(&r, read_piece, &p, "cb", NULL);
    if (!e) e = read_all(r, &b);
    if (!e) *d = a ^ (b << 1);
    return e;
}

static tm_error op_parser(uint64_t *d) {
    tm_parser *p = NULL;
    tm_error e = tm_parser_new(&p, "lines", NULL);
    if (e) return e;
    uint64_t h = 0;
    for (const char *at = jsonl_mem, *end = jsonl_mem + jsonl_len; at < end && !e;) {
        const char *nl = memchr(at, '\n', (size_t)(end - at));
        size_t len = nl ? (size_t)(nl - at) + 1 : (size_t)(end - at);
        tm_doc doc;
        tm_error x = tm_parse_record(p, at, len, &doc);
        at += len;
        if (x == TM_ERR_NOMEM) e = x;
        h = h * 31 + (uint64_t)-x + (x ? 0 : digest(doc.id.ptr, doc.id.len));
    }
    tm_parser_free(p);
    if (!e) *d = h;
    return e;
}

/* The streaming dedup handle over the parsed lines, paragraphs on and a
 * budget small enough to spill; the digest covers every decision. */
static tm_error op_deduper(uint64_t *d) {
    tm_dedup_opts dd;
    tm_dedup_opts_init(&dd);
    dd.tmp_dir = work_dir;
    dd.paragraphs = dd.exact = dd.near = 1;
    dd.min_paragraph_chars = 10;
    dd.memory = 2048;
    tm_deduper *x = NULL;
    tm_parser *p = NULL;
    tm_error e = tm_deduper_new(&x, &dd);
    if (!e) e = tm_parser_new(&p, "lines", NULL);
    for (const char *at = jsonl_mem, *end = jsonl_mem + jsonl_len; at < end && !e;) {
        const char *nl = memchr(at, '\n', (size_t)(end - at));
        size_t len = nl ? (size_t)(nl - at) + 1 : (size_t)(end - at);
        tm_doc doc;
        tm_error r = tm_parse_record(p, at, len, &doc);
        at += len;
        if (r == TM_ERR_NOMEM)
            e = r;
        else if (r == TM_OK)
            e = tm_deduper_add_doc(x, &doc);
        else if (r != TM_EOF)
            e = tm_deduper_skip(x);
    }
    if (!e) e = tm_deduper_finish(x);
    uint64_t h = 0;
    tm_buf t = {0};
    for (uint64_t i = 0; !e && i < tm_deduper_count(x); i++) {
        tm_dedup_decision dc = {.size = sizeof dc};
        e = tm_deduper_decision(x, i, &dc);
        if (!e) e = tm_deduper_apply(x, i, "a\nb", 3, &t);
        h = h * 31 + (uint64_t)dc.fate * 7 + dc.duplicate_of + (uint64_t)dc.cluster +
            (uint64_t)(dc.similarity * 1e6) + dc.lines_removed;
    }
    if (!e) *d = h ^ digest(t.data, t.len) ^ tm_deduper_stats(x)->spill_runs;
    tm_buf_free(&t);
    tm_parser_free(p);
    tm_deduper_free(x);
    return e;
}

static tm_error op_minhash(uint64_t *d) {
    tm_minhasher *m = NULL;
    tm_error e = tm_minhasher_new(&m, 64, 7);
    if (e) return e;
    uint64_t h[] = {1, 2, 3, 0xfedcba9876543210ull};
    uint32_t sig[64];
    tm_minhash_hashes(m, h, 4, sig);
    *d = digest(sig, sizeof sig);
    tm_minhasher_free(m);
    double j = 0;
    e = tm_jaccard_hashes(h, 4, h + 1, 3, &j);
    if (!e) *d ^= (uint64_t)(j * 1e6);
    return e;
}

/* The bytes of a file, hashed with open/read: no allocation. */
static uint64_t file_digest(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    XXH3_state_t st;
    XXH3_64bits_reset(&st);
    char b[4096];
    for (ssize_t n; (n = read(fd, b, sizeof b)) > 0;) XXH3_64bits_update(&st, b, (size_t)n);
    close(fd);
    return XXH3_64bits_digest(&st);
}

static void job_opts(tm_job_opts *o, const char **paths) {
    tm_job_opts_init(o);
    paths[0] = jsonl_path;
    o->inputs = paths;
    o->n_inputs = 1;
    o->threads = 1;
    o->output = out_path;
    o->removed = removed_path;
}

static tm_error op_job_clean(uint64_t *d) {
    tm_job_opts o;
    const char *paths[1];
    job_opts(&o, paths);
    o.removed = NULL;
    tm_clean_opts co;
    tm_clean_opts_init(&co);
    co.lang = "fr"; /* CLD2 is covered by op_langid */
    tm_clean_stats st;
    tm_error e = tm_job_clean(&o, &co, &st);
    if (!e) *d = file_digest(out_path) ^ st.base.read;
    return e;
}

static tm_error op_job_dedup(uint64_t *d) {
    tm_job_opts o;
    const char *paths[1];
    job_opts(&o, paths);
    tm_dedup_opts dd;
    tm_dedup_opts_init(&dd);
    dd.tmp_dir = work_dir;
    tm_dedup_stats st;
    tm_error e = tm_job_dedup(&o, &dd, &st);
    if (!e) *d = file_digest(out_path) ^ (file_digest(removed_path) << 1);
    return e;
}

/* After a job failed: no temporary file of its writers, spills or input
 * copies is left in the work directory (the input and finished outputs
 * aside). Runs outside the counted calls. */
static void no_leftovers(void) {
    DIR *dir = opendir(work_dir);
    assert_non_null(dir);
    for (struct dirent *de; (de = readdir(dir));) {
        const char *n = de->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, "in.jsonl") ||
            !strcmp(n, "out.jsonl") || !strcmp(n, "removed.jsonl") ||
            !strcmp(n, "out.jsonl.rejects.jsonl"))
            continue;
        print_error("left behind: %s/%s\n", work_dir, n);
        fail();
    }
    closedir(dir);
}

static void test_normalize(void **st) {
    (void)st;
    oom_loop("tm_normalize", op_normalize);
}
static void test_repair(void **st) {
    (void)st;
    oom_loop("tm_utf8_repair", op_repair);
}
static void test_clean(void **st) {
    (void)st;
    oom_loop("tm_clean_text", op_clean);
}
static void test_signals(void **st) {
    (void)st;
    oom_loop("tm_signals_compute", op_signals);
}
static void test_filter(void **st) {
    (void)st;
    oom_loop("tm_filter_new", op_filter);
}
static void test_langid(void **st) {
    (void)st;
    oom_loop("tm_langid", op_langid);
}
static void test_shingles(void **st) {
    (void)st;
    oom_loop("tm_shingle_text", op_shingles);
}
static void test_config(void **st) {
    (void)st;
    oom_loop("tm_run_config", op_config);
}
static void test_reader(void **st) {
    (void)st;
    oom_loop("tm_reader", op_reader);
}
static void test_minhash(void **st) {
    (void)st;
    oom_loop("tm_minhasher", op_minhash);
}
static void test_job_clean(void **st) {
    (void)st;
    oom_loop("tm_job_clean", op_job_clean);
}
static void test_filter_check(void **st) {
    (void)st;
    oom_loop("tm_filter_check", op_filter_check);
}
static void test_reader_mem(void **st) {
    (void)st;
    oom_loop("tm_reader_open_mem/cb", op_reader_mem);
}
static void test_parser(void **st) {
    (void)st;
    oom_loop("tm_parse_record", op_parser);
}
static void test_deduper(void **st) {
    (void)st;
    oom_loop("tm_deduper", op_deduper);
}
static void test_job_dedup(void **st) {
    (void)st;
    oom_loop("tm_job_dedup", op_job_dedup);
}

/* Setting the detail allocates nothing: a failure reports its detail while
 * every allocation would fail. */
static void test_detail_no_alloc(void **st) {
    (void)st;
#ifdef TM_NO_INTERPOSE
    skip();
#else
    tm_run_config *c = NULL;
    assert_int_equal(tm_run_config_new(&c), TM_OK);
    calls = 0, injected = 0, fail_at = 1; /* the first allocation fails */
    tm_error e = tm_run_config_set(c, "dedup.treshold", "0.7");
    fail_at = 0;
    assert_int_equal(e, TM_ERR_ARG);
    assert_int_equal(calls, 0);
    assert_string_equal(tm_error_detail(),
                        "unknown configuration key 'dedup.treshold' (did you mean "
                        "'dedup.threshold'?)");
    /* a failed allocation, then the detail of a failure that follows */
    calls = 0, injected = 0, fail_at = 1;
    tm_filter *f = NULL;
    e = tm_filter_new_spec(&f, "c4");
    fail_at = 0;
    assert_int_equal(e, TM_ERR_NOMEM);
    assert_true(injected);
    assert_string_equal(tm_error_detail(), "");
    uint64_t m;
    calls = 0, fail_at = 1;
    e = tm_signal_mask_parse("c4,nope", &m);
    fail_at = 0;
    assert_int_equal(e, TM_ERR_ARG);
    assert_int_equal(calls, 0);
    assert_string_equal(tm_error_detail(), "unknown signal 'nope'");
    tm_run_config_free(c);
#endif
}

int main(void) {
#ifndef TM_NO_INTERPOSE
    void *warm[4]; /* backtrace() loads libgcc on its first call: not while counting */
    backtrace(warm, 4);
#endif
    snprintf(work_dir, sizeof work_dir, "%s/tamis-oom-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(work_dir)) return 1;
    snprintf(jsonl_path, sizeof jsonl_path, "%s/in.jsonl", work_dir);
    snprintf(out_path, sizeof out_path, "%s/out.jsonl", work_dir);
    snprintf(removed_path, sizeof removed_path, "%s/removed.jsonl", work_dir);
    FILE *f = fopen(jsonl_path, "w");
    if (!f) return 1;
    fprintf(f, "{\"id\": \"a\", \"text\": \"premier \\u00e9t\\u00e9\"}\n"
               "{\"id\": \"b\", \"text\": 5}\n"
               "not json\n"
               "{\"id\": \"c\", \"text\": \"second\", \"meta\": {\"x\": [1, 2]}}\n");
    for (int i = 0; i < 3; i++)
        fprintf(f,
                "{\"id\": \"d%d\", \"text\": \"Le sommet s'est ouvert lundi \\u00e0 Paris. "
                "Les dirigeants ont sign\\u00e9 un accord accord sur le climat apr\\u00e8s une "
                "longue nuit de n\\u00e9gociations%s.\\n\\nLe sommet s'est ouvert lundi.\"}\n",
                i, i == 2 ? " difficiles" : "");
    fclose(f);
    f = fopen(jsonl_path, "rb");
    if (!f) return 1;
    jsonl_len = fread(jsonl_mem, 1, sizeof jsonl_mem, f);
    fclose(f);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),       cmocka_unit_test(test_repair),
        cmocka_unit_test(test_clean),           cmocka_unit_test(test_signals),
        cmocka_unit_test(test_filter),          cmocka_unit_test(test_langid),
        cmocka_unit_test(test_shingles),        cmocka_unit_test(test_config),
        cmocka_unit_test(test_reader),          cmocka_unit_test(test_minhash),
        cmocka_unit_test(test_job_clean),       cmocka_unit_test(test_job_dedup),
        cmocka_unit_test(test_reader_mem),      cmocka_unit_test(test_parser),
        cmocka_unit_test(test_deduper),         cmocka_unit_test(test_filter_check),
        cmocka_unit_test(test_detail_no_alloc),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    remove(jsonl_path);
    remove(out_path);
    remove(removed_path);
    remove(work_dir);
    return rc;
}
