/*
 * manifest.c — what identifies a `tamis run` for resumption, and what to
 * tell the user when a rerun is not the same run.
 *
 * .tamis/manifest.json holds the tamis version, the configuration keys that
 * can change the output (canonical YAML) and, per input file, its canonical
 * path (realpath: `corpus.jsonl` and `/abs/dir/corpus.jsonl` are the same
 * input), size, modification time and a hash of its first and last 64 KiB.
 * A rerun whose manifest is byte-identical resumes. Otherwise the two
 * manifests are compared member by member so that the refusal says what
 * changed (which input and how, which configuration key from what to what)
 * instead of leaving the user to guess.
 */
#include "run/run_int.h"

#include "util/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define FP_BLOCK 65536

/* XXH3 of the first and the last FP_BLOCK bytes (the whole file when it is
 * smaller than two blocks), as 16 hex digits. Cheap at any size, and it
 * sees an input rewritten with the same size and time stamp, which a
 * coarse file system clock can produce. */
static tm_error head_tail_hash(const char *path, off_t size, char out[17]) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return TM_ERR_OPEN;
    char *buf = malloc(2 * FP_BLOCK);
    if (!buf) {
        close(fd);
        return TM_ERR_NOMEM;
    }
    size_t n = 0;
    tm_error e = TM_OK;
    off_t first = size < 2 * FP_BLOCK ? size : FP_BLOCK;
    for (off_t at = 0; !e && (off_t)n < first;) {
        ssize_t k = pread(fd, buf + n, (size_t)(first - (off_t)n), at);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0)
            e = TM_ERR_IO;
        else
            n += (size_t)k, at += k;
    }
    if (!e && size >= 2 * FP_BLOCK) {
        for (off_t at = size - FP_BLOCK; !e && at < size;) {
            ssize_t k = pread(fd, buf + n, (size_t)(size - at), at);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0)
                e = TM_ERR_IO;
            else
                n += (size_t)k, at += k;
        }
    }
    close(fd);
    if (!e) snprintf(out, 17, "%016llx", (unsigned long long)XXH3_64bits(buf, n));
    free(buf);
    return e;
}

tm_error tmi_run_manifest_text(tm_runner *R, tm_buf *m) {
    tm_buf cfg = {0};
    tm_error e = tmi_run_config_yaml(R->c, 1, &cfg);
    TM_THEN(e, tmi_buf_puts(m, "{\"tamis_version\":"));
    TM_THEN(e, tmi_json_str(m, tm_version(), strlen(tm_version())));
    TM_THEN(e, tmi_buf_puts(m, ",\"config\":"));
    TM_THEN(e, tmi_json_str(m, cfg.data ? cfg.data : "", cfg.len));
    TM_THEN(e, tmi_buf_puts(m, ",\"inputs\":["));
    for (size_t i = 0; i < R->n_inputs && !e; i++) {
        struct stat st;
        char real[PATH_MAX], fp[17];
        if (stat(R->inputs[i], &st) != 0 || !realpath(R->inputs[i], real)) {
            e = tmi_run_fail(R, TM_ERR_OPEN, "cannot read %s: %s", R->inputs[i], strerror(errno));
            break;
        }
        if ((e = head_tail_hash(R->inputs[i], st.st_size, fp))) {
            e = tmi_run_fail(R, e, "cannot read %s: %s", R->inputs[i], strerror(errno));
            break;
        }
        e = tmi_buf_puts(m, i ? ",{\"path\":" : "{\"path\":");
        TM_THEN(e, tmi_json_str(m, real, strlen(real)));
        if (!e)
            e = tmi_buf_printf(m, ",\"size\":%lld,\"mtime\":\"%lld.%09ld\",\"head_tail\":\"%s\"}",
                               (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                               (long)st.st_mtim.tv_nsec, fp);
    }
    TM_THEN(e, tmi_buf_puts(m, "]}\n"));
    tm_buf_free(&cfg);
    return e;
}

/* ---- what changed ---- */

typedef struct said {
    char *out;
    size_t size, len;
    int n; /* items said */
    int more;
} said;

__attribute__((format(printf, 2, 3))) static void say_item(said *s, const char *fmt, ...) {
    if (s->n >= 3) {
        s->more++;
        return;
    }
    if (s->n++ && s->len + 2 < s->size)
        s->len += (size_t)snprintf(s->out + s->len, s->size - s->len, "; ");
    if (s->len >= s->size) return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(s->out + s->len, s->size - s->len, fmt, ap);
    va_end(ap);
    if (k > 0) s->len += (size_t)k < s->size - s->len ? (size_t)k : s->size - s->len - 1;
}

/* The identity YAML as "section.key" → value lines ("filter.rules.x" for
 * the rules): fills names/values (pointers into a copy the caller frees). */
typedef struct kv {
    char *key, *val;
} kv;

static size_t yaml_keys(const char *y, kv **out, char **store) {
    *store = strdup(y ? y : "");
    *out = NULL;
    if (!*store) return 0;
    size_t n = 0, cap = 0;
    char sec[128] = "", sub[128] = "";
    for (char *line = strtok(*store, "\n"); line; line = strtok(NULL, "\n")) {
        size_t ind = strspn(line, " ");
        char *colon = strchr(line + ind, ':');
        if (!colon) continue;
        *colon = '\0';
        char *val = colon + 1;
        while (*val == ' ') val++;
        if (!*val && ind == 0) {
            snprintf(sec, sizeof sec, "%s", line);
            sub[0] = '\0';
            continue;
        }
        if (!*val && ind == 2) {
            snprintf(sub, sizeof sub, "%s", line + ind);
            continue;
        }
        if (TM_GROW(*out, cap, n + 1, 0)) break;
        char name[400];
        if (ind == 0)
            snprintf(name, sizeof name, "%s", line);
        else if (ind == 2)
            snprintf(name, sizeof name, "%s.%s", sec, line + ind), sub[0] = '\0';
        else
            snprintf(name, sizeof name, "%s.%s.%s", sec, sub, line + ind);
        (*out)[n].key = strdup(name);
        (*out)[n].val = val;
        if ((*out)[n].key) n++;
    }
    return n;
}

static const char *kv_find(const kv *v, size_t n, const char *key) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].key, key)) return v[i].val;
    return NULL;
}

static void config_diff(said *s, const char *have, const char *want) {
    kv *a, *b;
    char *sa, *sb;
    size_t na = yaml_keys(have, &a, &sa), nb = yaml_keys(want, &b, &sb);
    for (size_t i = 0; i < nb; i++) {
        const char *old = kv_find(a, na, b[i].key);
        if (!old)
            say_item(s, "configuration key %s set to %s", b[i].key, b[i].val);
        else if (strcmp(old, b[i].val))
            say_item(s, "configuration key %s changed (%s, now %s)", b[i].key, old, b[i].val);
    }
    for (size_t i = 0; i < na; i++)
        if (!kv_find(b, nb, a[i].key))
            say_item(s, "configuration key %s no longer set (was %s)", a[i].key, a[i].val);
    for (size_t i = 0; i < na; i++) free(a[i].key);
    for (size_t i = 0; i < nb; i++) free(b[i].key);
    free(a);
    free(b);
    free(sa);
    free(sb);
}

static const char *jstr(json_t *o, const char *k, const char *dflt) {
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : dflt;
}

static json_t *find_input(json_t *arr, const char *path, size_t *at) {
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (!strcmp(jstr(v, "path", ""), path)) {
            if (at) *at = i;
            return v;
        }
    }
    return NULL;
}

static void inputs_diff(said *s, json_t *have, json_t *want) {
    size_t i;
    json_t *w;
    int moved = 0;
    json_array_foreach(want, i, w) {
        const char *p = jstr(w, "path", "?");
        size_t at = 0;
        json_t *h = find_input(have, p, &at);
        if (!h) {
            say_item(s, "new input %s", p);
            continue;
        }
        if (at != i) moved = 1;
        json_int_t hs = json_integer_value(json_object_get(h, "size")),
                   ws = json_integer_value(json_object_get(w, "size"));
        const char *hm = jstr(h, "mtime", ""), *wm = jstr(w, "mtime", "");
        const char *hh = jstr(h, "head_tail", ""), *wh = jstr(w, "head_tail", "");
        if (hs != ws)
            say_item(s, "input %s changed (%lld bytes, now %lld)", p, (long long)hs, (long long)ws);
        else if (strcmp(hh, wh))
            say_item(s, "input %s changed (same size, other content)", p);
        else if (strcmp(hm, wm))
            say_item(s,
                     "input %s was modified (its time stamp; same size and first and last 64 "
                     "KiB)",
                     p);
    }
    json_array_foreach(have, i, w) {
        const char *p = jstr(w, "path", "?");
        if (!find_input(want, p, NULL)) say_item(s, "input %s is no longer given", p);
    }
    if (moved && s->n == 0) say_item(s, "the same inputs in another order");
}

int tmi_run_manifest_diff(const char *have, size_t hl, const char *want, size_t wl, char *msg,
                          size_t size) {
    if (hl == wl && !memcmp(have, want, wl)) return 0;
    said s = {msg, size, 0, 0, 0};
    msg[0] = '\0';
    json_t *h = json_loadb(have, hl, 0, NULL), *w = json_loadb(want, wl, 0, NULL);
    const char *hv = json_string_value(json_object_get(h, "tamis_version"));
    const char *wv = json_string_value(json_object_get(w, "tamis_version"));
    if (!h || !hv || !json_is_array(json_object_get(h, "inputs")) ||
        json_object_get(json_array_get(json_object_get(h, "inputs"), 0), "head_tail") == NULL) {
        say_item(&s, "it was made by an older tamis");
    } else {
        if (wv && strcmp(hv, wv)) say_item(&s, "it was made by tamis %s (this is %s)", hv, wv);
        config_diff(&s, json_string_value(json_object_get(h, "config")),
                    json_string_value(json_object_get(w, "config")));
        inputs_diff(&s, json_object_get(h, "inputs"), json_object_get(w, "inputs"));
    }
    if (s.n == 0) say_item(&s, "its manifest differs");
    if (s.more && s.len + 32 < size)
        snprintf(msg + s.len, size - s.len, "; and %d more difference%s", s.more,
                 s.more == 1 ? "" : "s");
    json_decref(h);
    json_decref(w);
    return 1;
}
