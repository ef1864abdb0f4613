/*
 * handles.c — tamis._tamis.Filter (tm_filter + tm_filter_checker),
 * tamis._tamis.Deduplicator (tm_deduper) and run (tm_job_run).
 *
 * Each handle has a lock taken with the GIL released, so several Python
 * threads may share one (they take turns); for parallel work each thread
 * makes its own. A result that points into a handle is copied into Python
 * objects before the lock is let go.
 */
#include "tamis_py.h"

#include <string.h>

/* ---- Filter ---------------------------------------------------------- */

typedef struct {
    PyObject_HEAD tm_filter *f;
    tm_filter_checker *c;
    PyThread_type_lock lock;
} Filter;

/* Filter(preset, rules, tokenizer, langs, min_lang_score, lang_sample):
 * rules is a dict {rule name: threshold}. */
static int Filter_init(Filter *self, PyObject *args, PyObject *kw) {
    static char *kws[] = {"preset",         "rules",       "tokenizer", "langs",
                          "min_lang_score", "lang_sample", NULL};
    const char *preset = "default", *tok, *langs;
    PyObject *rules = Py_None, *toko = Py_None, *langso = Py_None;
    double min_score = -1;
    Py_ssize_t sample = 0;
    if (self->f) {
        PyErr_SetString(PyExc_RuntimeError, "Filter already initialised");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|sOOOdn", kws, &preset, &rules, &toko, &langso,
                                     &min_score, &sample) ||
        tp_opt_cstr(toko, "tokenizer", &tok) < 0 || tp_opt_cstr(langso, "langs", &langs) < 0)
        return -1;
    if (rules != Py_None && !PyDict_Check(rules)) {
        PyErr_SetString(PyExc_TypeError, "rules must be a dict {rule name: threshold}");
        return -1;
    }
    if (sample < 0) {
        PyErr_SetString(PyExc_ValueError, "lang_sample must be >= 0");
        return -1;
    }
    tm_error e = tm_filter_new(&self->f, preset);
    if (e) goto fail;
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (rules != Py_None && PyDict_Next(rules, &pos, &k, &v)) {
        const char *name = PyUnicode_Check(k) ? PyUnicode_AsUTF8(k) : NULL;
        double t = PyFloat_AsDouble(v);
        if (!name || PyErr_Occurred()) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "rule names must be str");
            return -1;
        }
        if (t < 0) {
            PyErr_Format(PyExc_ValueError, "rule '%s': threshold must be >= 0", name);
            return -1;
        }
        if ((e = tm_filter_set_rule(self->f, name, t))) {
            char d[256];
            snprintf(d, sizeof d, "unknown rule '%s'", name);
            tp_raise(e, d);
            return -1;
        }
    }
    if (tok && (e = tm_filter_set_tokenizer(self->f, tok))) {
        tp_raise(e, "tokenizer must be 'nltk' or 'tamis'");
        return -1;
    }
    if ((langs || min_score >= 0) && (e = tm_filter_set_lang(self->f, langs, min_score))) goto fail;
    if ((e = tm_filter_checker_new(&self->c, self->f, (size_t)sample))) goto fail;
    if (!(self->lock = PyThread_allocate_lock())) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
fail:
    tp_raise(e, NULL);
    return -1;
}

static void Filter_dealloc(Filter *self) {
    tm_filter_checker_free(self->c);
    tm_filter_free(self->f);
    if (self->lock) PyThread_free_lock(self->lock);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* check(text_or_doc, invalid_utf8=0, full=False): None when kept, else
 * (rule, value, threshold); full: a dict of the whole verdict. */
static PyObject *Filter_check(Filter *self, PyObject *args, PyObject *kw) {
    static char *kws[] = {"doc", "invalid_utf8", "full", NULL};
    PyObject *doc;
    Py_ssize_t inv = 0;
    int full = 0;
    const char *s;
    Py_ssize_t n;
    if (!self->c) return PyErr_Format(PyExc_RuntimeError, "Filter not initialised");
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|np", kws, &doc, &inv, &full)) return NULL;
    if (tp_text(doc, "text", 1, &s, &n) < 0) return NULL;
    tm_filter_verdict_out v = {.size = sizeof v};
    tm_error e;
    PyObject *out;
    Py_BEGIN_ALLOW_THREADS TP_LOCK(self->lock);
    e = tm_filter_check(self->c, s, (size_t)n, (size_t)(inv < 0 ? 0 : inv), &v);
    Py_END_ALLOW_THREADS if (e) out = tp_raise(e, "");
    else if (!full) {
        if (v.removed)
            out = Py_BuildValue("(sdd)", v.rule, v.value, v.threshold);
        else {
            out = Py_None;
            Py_INCREF(out);
        }
    }
    else {
        out = Py_BuildValue(
            "{s:O,s:z,s:d,s:d,s:O,s:K,s:K,s:s#,s:z}", "removed", v.removed ? Py_True : Py_False,
            "rule", v.removed ? v.rule : NULL, "value", v.value, "threshold", v.threshold, "edited",
            v.edited ? Py_True : Py_False, "lines_removed", (unsigned long long)v.lines_removed,
            "citations_removed", (unsigned long long)v.citations_removed, "text",
            v.text.ptr ? v.text.ptr : "", (Py_ssize_t)v.text.len, "lang",
            v.has_lang ? v.lang.code : NULL);
    }
    TP_UNLOCK(self->lock);
    return out;
}

static PyObject *Filter_rules(Filter *self, PyObject *noargs) {
    size_t n = self->f ? tm_filter_n_rules(self->f) : 0;
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; l && i < n; i++) {
        PyObject *t =
            Py_BuildValue("(ssd)", tm_filter_rule_name(self->f, i), tm_filter_rule_kind(self->f, i),
                          tm_filter_rule_threshold(self->f, i));
        if (!t) {
            Py_CLEAR(l);
            break;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)i, t);
    }
    return l;
}

static PyMethodDef Filter_methods[] = {
    {"check", (PyCFunction)(void (*)(void))Filter_check, METH_VARARGS | METH_KEYWORDS,
     "check(text_or_doc, invalid_utf8=0, full=False) -> None or (rule, value, threshold)"},
    {"rules", (PyCFunction)Filter_rules, METH_NOARGS, "rules() -> [(name, kind, threshold)]"},
    {NULL}};

PyTypeObject tp_FilterType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "tamis._tamis.Filter",
    .tp_basicsize = sizeof(Filter),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A filter rule set and its checker (tm_filter, tm_filter_checker).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Filter_init,
    .tp_dealloc = (destructor)Filter_dealloc,
    .tp_methods = Filter_methods,
};

/* ---- Deduplicator ---------------------------------------------------- */

typedef struct {
    PyObject_HEAD tm_deduper *d;
    PyThread_type_lock lock;
    PyObject *keep; /* the strings the deduper borrows (tmp_dir, score_field) */
    int finished;
} Dedup;

static int set_enum(const char *v, const char *const *names, int *out, const char *what) {
    for (int i = 0; names[i]; i++)
        if (!strcmp(v, names[i])) {
            *out = i;
            return 0;
        }
    PyErr_Format(PyExc_ValueError, "%s: unknown value '%s'", what, v);
    return -1;
}

static int Dedup_init(Dedup *self, PyObject *args, PyObject *kw) {
    static char *kws[] = {"exact",  "near",     "paragraphs",  "threshold", "perms",   "seed",
                          "keep",   "verify",   "containment", "memory",    "tmp_dir", "word_n",
                          "char_n", "shingles", "score_field", NULL};
    int exact = 0, near = 0, para = 0, perms = 0, word_n = 0, char_n = 0;
    double thr = -1, cont = -1;
    unsigned long long seed = 0, memory = 0;
    const char *keep = NULL, *verify = NULL, *shingles = NULL, *tmp, *sf;
    PyObject *tmpo = Py_None, *sfo = Py_None;
    if (self->d) {
        PyErr_SetString(PyExc_RuntimeError, "Deduplicator already initialised");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|$pppdiKzzdKOiizO", kws, &exact, &near, &para, &thr,
                                     &perms, &seed, &keep, &verify, &cont, &memory, &tmpo, &word_n,
                                     &char_n, &shingles, &sfo) ||
        tp_opt_cstr(tmpo, "tmp_dir", &tmp) < 0 || tp_opt_cstr(sfo, "score_field", &sf) < 0)
        return -1;
    tm_dedup_opts o;
    tm_dedup_opts_init(&o);
    o.exact = exact;
    o.near = near;
    o.paragraphs = para;
    if (thr >= 0) o.threshold = thr;
    if (perms) o.perms = perms;
    if (seed) o.seed = seed;
    if (cont >= 0) o.containment = cont;
    if (memory) o.memory = memory;
    if (word_n) o.shingle.word_n = word_n;
    if (char_n) o.shingle.char_n = char_n;
    static const char *const keeps[] = {"first", "longest", "best", NULL};
    static const char *const verifies[] = {"signature", "exact", "aligned", NULL};
    static const char *const kinds[] = {"auto", "words", "chars", NULL};
    int x;
    if (keep) {
        if (set_enum(keep, keeps, &x, "keep") < 0) return -1;
        o.keep = (tm_keep_mode)x;
    }
    if (verify) {
        if (set_enum(verify, verifies, &x, "verify") < 0) return -1;
        o.verify = (tm_verify_mode)x;
    }
    if (shingles) {
        if (set_enum(shingles, kinds, &x, "shingles") < 0) return -1;
        o.shingle.kind = (tm_shingle_kind)x;
    }
    if (!(self->keep = Py_BuildValue("(OO)", tmpo, sfo))) return -1;
    o.tmp_dir = tmp;
    o.score_field = sf;
    tm_error e = tm_deduper_new(&self->d, &o);
    if (e) {
        tp_raise(e, "");
        return -1;
    }
    if (!(self->lock = PyThread_allocate_lock())) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void Dedup_dealloc(Dedup *self) {
    tm_deduper_free(self->d);
    if (self->lock) PyThread_free_lock(self->lock);
    Py_XDECREF(self->keep);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* add(text, id=None, score=None) -> the document's index. */
static PyObject *Dedup_add(Dedup *self, PyObject *args, PyObject *kw) {
    static char *kws[] = {"text", "id", "score", NULL};
    PyObject *text, *ido = Py_None, *scoreo = Py_None;
    const char *s, *id = NULL;
    Py_ssize_t n, idn = 0;
    if (!self->d) return PyErr_Format(PyExc_RuntimeError, "Deduplicator not initialised");
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|OO", kws, &text, &ido, &scoreo)) return NULL;
    if (tp_text(text, "text", 0, &s, &n) < 0) return NULL;
    if (ido != Py_None && tp_text(ido, "id", 0, &id, &idn) < 0) return NULL;
    double score = 0;
    if (scoreo != Py_None && (score = PyFloat_AsDouble(scoreo)) == -1 && PyErr_Occurred())
        return NULL;
    if (self->finished) return PyErr_Format(PyExc_RuntimeError, "add() after finish()");
    tm_error e;
    uint64_t idx;
    Py_BEGIN_ALLOW_THREADS TP_LOCK(self->lock);
    idx = tm_deduper_count(self->d);
    e = scoreo != Py_None ? tm_deduper_add_scored(self->d, id, (size_t)idn, s, (size_t)n, score)
                          : tm_deduper_add(self->d, id, (size_t)idn, s, (size_t)n);
    TP_UNLOCK(self->lock);
    Py_END_ALLOW_THREADS if (e) return tp_raise(e, "");
    return PyLong_FromUnsignedLongLong(idx);
}

static PyObject *Dedup_skip(Dedup *self, PyObject *noargs) {
    if (!self->d) return PyErr_Format(PyExc_RuntimeError, "Deduplicator not initialised");
    if (self->finished) return PyErr_Format(PyExc_RuntimeError, "skip() after finish()");
    tm_error e;
    uint64_t idx;
    Py_BEGIN_ALLOW_THREADS TP_LOCK(self->lock);
    idx = tm_deduper_count(self->d);
    e = tm_deduper_skip(self->d);
    TP_UNLOCK(self->lock);
    Py_END_ALLOW_THREADS if (e) return tp_raise(e, "");
    return PyLong_FromUnsignedLongLong(idx);
}

static PyObject *Dedup_finish(Dedup *self, PyObject *noargs) {
    if (!self->d) return PyErr_Format(PyExc_RuntimeError, "Deduplicator not initialised");
    if (self->finished) return PyErr_Format(PyExc_RuntimeError, "finish() called twice");
    tm_error e;
    Py_BEGIN_ALLOW_THREADS TP_LOCK(self->lock);
    e = tm_deduper_finish(self->d);
    TP_UNLOCK(self->lock);
    Py_END_ALLOW_THREADS if (e) return tp_raise(e, "");
    self->finished = 1;
    Py_RETURN_NONE;
}

static const char *const fates[] = {"kept", "exact", "near", "paragraphs", "skipped"};

static PyObject *decision_dict(const tm_dedup_decision *c) {
    PyObject *dup_of, *dup_id;
    if (c->duplicate_of == UINT64_MAX) {
        dup_of = Py_None;
        Py_INCREF(dup_of);
    } else if (!(dup_of = PyLong_FromUnsignedLongLong(c->duplicate_of)))
        return NULL;
    if (!c->duplicate_of_id.ptr) {
        dup_id = Py_None;
        Py_INCREF(dup_id);
    } else if (!(dup_id = PyUnicode_DecodeUTF8(c->duplicate_of_id.ptr,
                                               (Py_ssize_t)c->duplicate_of_id.len, "replace"))) {
        Py_DECREF(dup_of);
        return NULL;
    }
    PyObject *cluster =
        c->cluster < 0 ? (Py_INCREF(Py_None), Py_None) : PyLong_FromLongLong(c->cluster);
    return Py_BuildValue("{s:s,s:O,s:z,s:z,s:N,s:N,s:N,s:d,s:d,s:I,s:I,s:I,s:I,s:I}", "fate",
                         fates[c->fate <= TM_DEDUP_SKIPPED ? c->fate : 0], "removed",
                         c->removed ? Py_True : Py_False, "reason", c->reason, "rule", c->rule,
                         "duplicate_of", dup_of, "duplicate_of_id", dup_id, "cluster", cluster,
                         "similarity", c->similarity, "containment", c->containment, "shingles",
                         c->shingles, "kept_shingles", c->kept_shingles, "chars", c->chars,
                         "kept_chars", c->kept_chars, "lines_removed", c->lines_removed);
}

/* decision(i) -> dict; decisions() -> list of every document's dict. */
static PyObject *Dedup_decision(Dedup *self, PyObject *arg) {
    unsigned long long i = PyLong_AsUnsignedLongLong(arg);
    if (PyErr_Occurred()) return NULL;
    if (!self->finished) return PyErr_Format(PyExc_RuntimeError, "decision() before finish()");
    tm_dedup_decision c = {.size = sizeof c};
    tm_error e = tm_deduper_decision(self->d, i, &c);
    if (e == TM_ERR_ARG) return PyErr_Format(PyExc_IndexError, "no document %llu", i);
    if (e) return tp_raise(e, "");
    return decision_dict(&c);
}

static PyObject *Dedup_decisions(Dedup *self, PyObject *noargs) {
    if (!self->finished) return PyErr_Format(PyExc_RuntimeError, "decisions() before finish()");
    uint64_t n = tm_deduper_count(self->d);
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (uint64_t i = 0; l && i < n; i++) {
        tm_dedup_decision c = {.size = sizeof c};
        tm_error e = tm_deduper_decision(self->d, i, &c);
        PyObject *d = e ? tp_raise(e, "") : decision_dict(&c);
        if (!d) {
            Py_CLEAR(l);
            break;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)i, d);
    }
    return l;
}

/* apply(i, text) -> the text as the job writes it (repeated lines gone). */
static PyObject *Dedup_apply(Dedup *self, PyObject *args) {
    unsigned long long i;
    PyObject *text;
    const char *s;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "KO", &i, &text) || tp_text(text, "text", 0, &s, &n) < 0)
        return NULL;
    if (!self->finished) return PyErr_Format(PyExc_RuntimeError, "apply() before finish()");
    tm_buf b = {0};
    tm_error e = tm_deduper_apply(self->d, i, s, (size_t)n, &b);
    PyObject *out = e ? tp_raise(e, "")
                      : PyUnicode_DecodeUTF8(b.data ? b.data : "", (Py_ssize_t)b.len, "replace");
    tm_buf_free(&b);
    return out;
}

static PyObject *Dedup_stats(Dedup *self, PyObject *noargs) {
    const tm_dedup_stats *st = self->d ? tm_deduper_stats(self->d) : NULL;
    if (!st) Py_RETURN_NONE;
    tm_buf b = {0};
    tm_error e = tm_dedup_stats_to_json(st, &b);
    PyObject *out = e ? tp_raise(e, "") : PyUnicode_FromStringAndSize(b.data, (Py_ssize_t)b.len);
    tm_buf_free(&b);
    return out;
}

static PyObject *Dedup_count(Dedup *self, PyObject *noargs) {
    return PyLong_FromUnsignedLongLong(self->d ? tm_deduper_count(self->d) : 0);
}

static PyMethodDef Dedup_methods[] = {
    {"add", (PyCFunction)(void (*)(void))Dedup_add, METH_VARARGS | METH_KEYWORDS,
     "add(text, id=None, score=None) -> index"},
    {"skip", (PyCFunction)Dedup_skip, METH_NOARGS, "skip() -> index"},
    {"finish", (PyCFunction)Dedup_finish, METH_NOARGS, "finish()"},
    {"decision", (PyCFunction)Dedup_decision, METH_O, "decision(i) -> dict"},
    {"decisions", (PyCFunction)Dedup_decisions, METH_NOARGS, "decisions() -> list"},
    {"apply", (PyCFunction)Dedup_apply, METH_VARARGS, "apply(i, text) -> str"},
    {"stats_json", (PyCFunction)Dedup_stats, METH_NOARGS, "stats_json() -> str"},
    {"count", (PyCFunction)Dedup_count, METH_NOARGS, "count() -> int"},
    {NULL}};

PyTypeObject tp_DedupType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "tamis._tamis.Deduplicator",
    .tp_basicsize = sizeof(Dedup),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "The streaming deduplicator (tm_deduper).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Dedup_init,
    .tp_dealloc = (destructor)Dedup_dealloc,
    .tp_methods = Dedup_methods,
};

/* ---- run ------------------------------------------------------------- */

typedef struct {
    PyObject *cb;
    PyObject *exc; /* the first exception the callback raised */
} progress_ctx;

static void run_progress(void *ud, const tm_run_progress *p) {
    progress_ctx *c = ud;
    PyGILState_STATE g = PyGILState_Ensure();
    if (!c->exc) {
        PyObject *r = PyObject_CallFunction(
            c->cb, "({s:s,s:z,s:n,s:n,s:K,s:K,s:K,s:K})", "stage", p->stage ? p->stage : "",
            "input", p->input, "shard", (Py_ssize_t)p->shard, "n_shards", (Py_ssize_t)p->n_shards,
            "docs", (unsigned long long)p->docs, "bytes", (unsigned long long)p->bytes, "done",
            (unsigned long long)p->job_done, "total", (unsigned long long)p->job_total);
        if (!r) {
            PyObject *t, *tb;
            PyErr_Fetch(&t, &c->exc, &tb);
            PyErr_NormalizeException(&t, &c->exc, &tb);
            Py_XDECREF(t);
            Py_XDECREF(tb);
        }
        Py_XDECREF(r);
    }
    PyGILState_Release(g);
}

/* run(inputs, outdir, settings, yaml, restart, progress) -> ledger JSON:
 * settings is a list of (key, value-as-text) pairs applied after the YAML
 * text (None: none). */
PyObject *tp_run(PyObject *self, PyObject *args, PyObject *kw) {
    static char *kws[] = {"inputs", "outdir", "settings", "yaml", "restart", "progress", NULL};
    PyObject *inputs, *settings = Py_None, *yamlo = Py_None, *prog = Py_None, *seq = NULL;
    const char *outdir, *yaml, **pv = NULL;
    int restart = 0;
    PyObject *out = NULL;
    tm_run_config *c = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "Os|OOpO", kws, &inputs, &outdir, &settings, &yamlo,
                                     &restart, &prog) ||
        tp_opt_cstr(yamlo, "yaml", &yaml) < 0)
        return NULL;
    tm_error e = tm_run_config_new(&c);
    if (e) return tp_raise(e, "");
    if (yaml && (e = tm_run_config_load_yaml(c, yaml, strlen(yaml)))) goto tm_fail;
    if (settings != Py_None) {
        if (!(seq = PySequence_Fast(settings, "settings must be a list of (key, value)")))
            goto fail;
        for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
            const char *k, *v;
            if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "ss", &k, &v)) goto fail;
            if ((e = tm_run_config_set(c, k, v))) goto tm_fail;
        }
        Py_CLEAR(seq);
    }
    if (!(seq = PySequence_Fast(inputs, "inputs must be a list of paths"))) goto fail;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (!(pv = PyMem_Calloc((size_t)n + 1, sizeof *pv))) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (tp_opt_cstr(PySequence_Fast_GET_ITEM(seq, i), "inputs[i]", &pv[i]) < 0 || !pv[i]) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "inputs must be str");
            goto fail;
        }
    progress_ctx pc = {prog, NULL};
    tm_run_opts ro;
    tm_run_opts_init(&ro);
    ro.inputs = pv;
    ro.n_inputs = (size_t)n;
    ro.outdir = outdir;
    ro.restart = restart;
    if (prog != Py_None) {
        ro.run_progress = run_progress;
        ro.progress_ud = &pc;
    }
    tm_stats st;
    memset(&st, 0, sizeof st);
    Py_BEGIN_ALLOW_THREADS e = tm_job_run(c, &ro, &st);
    Py_END_ALLOW_THREADS if (pc.exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(pc.exc), pc.exc);
        Py_DECREF(pc.exc);
        goto fail;
    }
    if (e) goto tm_fail;
    tm_buf b = {0};
    if ((e = tm_stats_to_json(&st, &b))) goto tm_fail;
    out = PyUnicode_FromStringAndSize(b.data, (Py_ssize_t)b.len);
    tm_buf_free(&b);
    goto fail; /* the common exit */
tm_fail:
    tp_raise(e, NULL);
fail:
    PyMem_Free(pv);
    Py_XDECREF(seq);
    tm_run_config_free(c);
    return out;
}
