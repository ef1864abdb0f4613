/*
 * module.c — the tamis._tamis extension module: the exception classes that
 * carry the library's error code and detail, the conversion of Python text
 * to UTF-8, the per-document functions that need no handle (langid,
 * minhash, the signal mask), the Scorer and Cleaner handles behind
 * tamis.signals/signals_many and tamis.clean/clean_many, and the module
 * table. Readers are in reader.c, Filter, Deduplicator and run in handles.c.
 *
 * The Python layer (tamis/__init__.py) builds the user-facing API over
 * these: it keeps one Scorer and Cleaner per thread, parses JSON and edits.
 */
#include "tamis_py.h"

#include <string.h>

/* ---- errors ---------------------------------------------------------- */

/* tamis.Error and one subclass per negative tm_error (index -err). */
#define N_ERRS 15
static PyObject *err_base;
static PyObject *err_cls[N_ERRS];

static const struct {
    int code;
    const char *name; /* class name */
    int base;         /* 0 none, 1 ValueError, 2 OSError, 3 MemoryError */
} err_table[] = {
    {TM_ERR_NOMEM, "NoMemoryError", 3},
    {TM_ERR_IO, "ReadWriteError", 2},
    {TM_ERR_OPEN, "OpenError", 2},
    {TM_ERR_ARG, "ArgumentError", 1},
    {TM_ERR_JSON, "JSONError", 1},
    {TM_ERR_FIELD, "FieldError", 1},
    {TM_ERR_WARC, "WARCError", 1},
    {TM_ERR_TRUNCATED, "TruncatedError", 1},
    {TM_ERR_CORRUPT, "CorruptError", 1},
    {TM_ERR_TOO_BIG, "TooBigError", 1},
    {TM_ERR_UNSUPPORTED, "UnsupportedError", 0},
    {TM_ERR_LEDGER, "LedgerError", 0},
    {TM_ERR_INTERNAL, "InternalError", 0},
    {TM_ERR_CHANGED, "ChangedError", 0},
};

static int errors_init(PyObject *m) {
    err_base = PyErr_NewExceptionWithDoc(
        "tamis.Error",
        "An error of libtamis: .code (the tm_error number), .name "
        "(its stable name) and .detail (what failed and where, may be '').",
        NULL, NULL);
    if (!err_base || PyModule_AddObjectRef(m, "Error", err_base) < 0) return -1;
    for (size_t i = 0; i < sizeof err_table / sizeof *err_table; i++) {
        PyObject *std = err_table[i].base == 1   ? PyExc_ValueError
                        : err_table[i].base == 2 ? PyExc_OSError
                        : err_table[i].base == 3 ? PyExc_MemoryError
                                                 : NULL;
        PyObject *bases = std ? PyTuple_Pack(2, err_base, std) : PyTuple_Pack(1, err_base);
        if (!bases) return -1;
        char qual[64];
        snprintf(qual, sizeof qual, "tamis.%s", err_table[i].name);
        PyObject *c = PyErr_NewException(qual, bases, NULL);
        Py_DECREF(bases);
        if (!c || PyModule_AddObjectRef(m, err_table[i].name, c) < 0) return -1;
        err_cls[-err_table[i].code] = c;
    }
    return 0;
}

PyObject *tp_raise(int err, const char *detail) {
    if (!detail) detail = tm_error_detail();
    PyObject *cls = err < 0 && -err < N_ERRS && err_cls[-err] ? err_cls[-err] : err_base;
    PyObject *msg = detail[0] ? PyUnicode_FromFormat("%s: %s", tm_strerror(err), detail)
                              : PyUnicode_FromString(tm_strerror(err));
    if (!msg) return NULL;
    PyObject *exc = PyObject_CallOneArg(cls, msg);
    Py_DECREF(msg);
    if (!exc) return NULL;
    PyObject *code = PyLong_FromLong(err);
    PyObject *name = PyUnicode_FromString(tm_error_name(err));
    PyObject *det = PyUnicode_DecodeUTF8(detail, (Py_ssize_t)strlen(detail), "replace");
    if (code && name && det && PyObject_SetAttrString(exc, "code", code) == 0 &&
        PyObject_SetAttrString(exc, "name", name) == 0 &&
        PyObject_SetAttrString(exc, "detail", det) == 0)
        PyErr_SetObject(cls, exc);
    Py_XDECREF(code);
    Py_XDECREF(name);
    Py_XDECREF(det);
    Py_DECREF(exc);
    return NULL;
}

/* ---- text conversion ------------------------------------------------- */

int tp_text(PyObject *o, const char *what, int allow_doc, const char **s, Py_ssize_t *n) {
    if (allow_doc && PyDict_Check(o)) {
        PyObject *t = PyDict_GetItemString(o, "text"); /* borrowed */
        if (!t) {
            PyErr_Format(PyExc_ValueError, "%s: the document has no 'text' member", what);
            return -1;
        }
        return tp_text(t, what, 0, s, n);
    }
    if (PyUnicode_Check(o)) {
        *s = PyUnicode_AsUTF8AndSize(o, n); /* raises UnicodeEncodeError on surrogates */
        return *s ? 0 : -1;
    }
    if (PyBytes_Check(o)) {
        *s = PyBytes_AS_STRING(o);
        *n = PyBytes_GET_SIZE(o);
        size_t ok = tm_utf8_valid_prefix(*s, (size_t)*n);
        if (ok != (size_t)*n) {
            PyErr_Format(PyExc_ValueError,
                         "%s: bytes are not valid UTF-8 (invalid sequence at byte %zu)", what, ok);
            return -1;
        }
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "%s must be str or UTF-8 bytes%s, not %.100s", what,
                 allow_doc ? " or a dict with 'text'" : "", Py_TYPE(o)->tp_name);
    return -1;
}

int tp_opt_cstr(PyObject *o, const char *what, const char **out) {
    *out = NULL;
    if (!o || o == Py_None) return 0;
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s must be str or None, not %.100s", what,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    *out = PyUnicode_AsUTF8(o);
    return *out ? 0 : -1;
}

/* ---- langid ---------------------------------------------------------- */

static PyObject *lang_dict(const tm_lang_result *r) {
    PyObject *top = PyList_New(0);
    if (!top) return NULL;
    for (int i = 0; i < 3; i++) {
        if (r->top[i].share <= 0 || !strcmp(r->top[i].code, "und")) continue;
        PyObject *t = Py_BuildValue("(sd)", r->top[i].code, r->top[i].share);
        if (!t || PyList_Append(top, t) < 0) {
            Py_XDECREF(t);
            Py_DECREF(top);
            return NULL;
        }
        Py_DECREF(t);
    }
    return Py_BuildValue("{s:s,s:d,s:O,s:i,s:N}", "lang", r->code, "score", r->score, "reliable",
                         r->reliable ? Py_True : Py_False, "text_bytes", r->text_bytes, "top", top);
}

static PyObject *py_langid(PyObject *self, PyObject *arg) {
    const char *s;
    Py_ssize_t n;
    if (tp_text(arg, "text", 1, &s, &n) < 0) return NULL;
    tm_lang_result r;
    tm_error e;
    Py_BEGIN_ALLOW_THREADS e = tm_langid(s, (size_t)n, &r);
    Py_END_ALLOW_THREADS if (e) return tp_raise(e, "");
    return lang_dict(&r);
}

/* ---- signals --------------------------------------------------------- */

static PyObject *py_signal_mask(PyObject *self, PyObject *arg) {
    const char *list;
    if (tp_opt_cstr(arg, "names", &list) < 0) return NULL;
    if (!list) return PyLong_FromUnsignedLongLong(TM_SIG_ALL);
    uint64_t mask = 0;
    tm_error e = tm_signal_mask_parse(list, &mask);
    if (e) return tp_raise(e, NULL);
    return PyLong_FromUnsignedLongLong(mask);
}

static PyObject *py_signal_names(PyObject *self, PyObject *noargs) {
    PyObject *l = PyList_New(TM_SIG_COUNT);
    for (int i = 0; l && i < TM_SIG_COUNT; i++) {
        PyObject *s = PyUnicode_FromString(tm_signal_name(i));
        if (!s) {
            Py_DECREF(l);
            return NULL;
        }
        PyList_SET_ITEM(l, i, s);
    }
    return l;
}

PyObject *tp_signals_dict(const double *v, uint64_t mask) {
    PyObject *d = PyDict_New();
    for (int i = 0; d && i < TM_SIG_COUNT; i++) {
        if (!(mask & TM_SIG_BIT(i))) continue;
        PyObject *x = PyFloat_FromDouble(v[i]);
        if (!x || PyDict_SetItemString(d, tm_signal_name(i), x) < 0) {
            Py_XDECREF(x);
            Py_CLEAR(d);
            break;
        }
        Py_DECREF(x);
    }
    return d;
}

typedef struct {
    PyObject_HEAD tm_scorer *sc;
    PyThread_type_lock lock;
} Scorer;

static int Scorer_init(Scorer *self, PyObject *args, PyObject *kw) {
    if (self->sc) return 0;
    tm_error e = tm_scorer_new(&self->sc);
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

static void Scorer_dealloc(Scorer *self) {
    tm_scorer_free(self->sc);
    if (self->lock) PyThread_free_lock(self->lock);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* One text: the language first (as `tamis score` does) unless lang is
 * given, then the signals with that language's stop words. */
static tm_error score_one(tm_scorer *sc, const char *s, size_t n, const char *lang, uint64_t mask,
                          double *v) {
    tm_lang_result r;
    if (!lang) {
        tm_error e = tm_langid(s, n, &r);
        if (e) return e;
        lang = r.code;
    }
    return tm_signals_compute(sc, s, n, lang, 0, mask, v);
}

static PyObject *Scorer_signals(Scorer *self, PyObject *args) {
    PyObject *text;
    unsigned long long mask;
    PyObject *lango = Py_None;
    const char *s, *lang;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "OK|O", &text, &mask, &lango)) return NULL;
    if (tp_text(text, "text", 1, &s, &n) < 0 || tp_opt_cstr(lango, "lang", &lang) < 0) return NULL;
    double v[TM_SIG_COUNT];
    tm_error e;
    Py_BEGIN_ALLOW_THREADS TP_LOCK(self->lock);
    e = score_one(self->sc, s, (size_t)n, lang, mask, v);
    TP_UNLOCK(self->lock);
    Py_END_ALLOW_THREADS if (e) return tp_raise(e, "");
    return tp_signals_dict(v, mask);
}

/* Views of every text of a sequence, taken with the GIL held so that the
 * batch then runs without it. */
typedef struct {
    PyObject *seq;
    const char **s;
    size_t *n;
    Py_ssize_t count;
} text_batch;

static void batch_free(text_batch *b) {
    PyMem_Free(b->s);
    PyMem_Free(b->n);
    Py_XDECREF(b->seq);
}

static int batch_take(text_batch *b, PyObject *texts) {
    memset(b, 0, sizeof *b);
    if (PyUnicode_Check(texts) || PyBytes_Check(texts)) {
        PyErr_SetString(PyExc_TypeError, "texts must be a list of texts, not one text");
        return -1;
    }
    if (!(b->seq = PySequence_Fast(texts, "texts must be a sequence (list, tuple) of texts")))
        return -1;
    b->count = PySequence_Fast_GET_SIZE(b->seq);
    b->s = PyMem_Calloc((size_t)b->count + 1, sizeof *b->s);
    b->n = PyMem_Calloc((size_t)b->count + 1, sizeof *b->n);
    if (!b->s || !b->n) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < b->count; i++) {
        Py_ssize_t len;
        if (tp_text(PySequence_Fast_GET_ITEM(b->seq, i), "texts[i]", 1, &b->s[i], &len) < 0)
            return -1;
        b->n[i] = (size_t)len;
    }
    return 0;
}

static PyObject *Scorer_signals_many(Scorer *self, PyObject *args) {
    PyObject *texts, *lango = Py_None, *out = NULL;
    unsigned long long mask;
    const char *lang;
    text_batch b;
    if (!PyArg_ParseTuple(args, "OK|O", &texts, &mask, &lango)) return NULL;
    if (tp_opt_cstr(lango, "lang", &lang) < 0) return NULL;
    if (batch_take(&b, texts) < 0) goto done;
    double *v = PyMem_Malloc(((size_t)b.count + 1) * TM_SIG_COUNT * sizeof *v);
    if (!v) {
        PyErr_NoMemory();
        goto done;
    }
    tm_error e = TM_OK;
    Py_BEGIN_ALLOW_THREADS TP_LOCK(self->lock);
    for (Py_ssize_t i = 0; i < b.count && !e; i++)
        e = score_one(self->sc, b.s[i], b.n[i], lang, mask, v + (size_t)i * TM_SIG_COUNT);
    TP_UNLOCK(self->lock);
    Py_END_ALLOW_THREADS if (e) {
        tp_raise(e, "");
    }
    else if ((out = PyList_New(b.count))) {
        for (Py_ssize_t i = 0; i < b.count; i++) {
            PyObject *d = tp_signals_dict(v + (size_t)i * TM_SIG_COUNT, mask);
            if (!d) {
                Py_CLEAR(out);
                break;
            }
            PyList_SET_ITEM(out, i, d);
        }
    }
    PyMem_Free(v);
done:
    batch_free(&b);
    return out;
}

static PyMethodDef Scorer_methods[] = {{"signals", (PyCFunction)Scorer_signals, METH_VARARGS,
                                        "signals(text, mask, lang=None) -> dict"},
                                       {"signals_many", (PyCFunction)Scorer_signals_many,
                                        METH_VARARGS,
                                        "signals_many(texts, mask, lang=None) -> list of dicts"},
                                       {NULL}};

PyTypeObject tp_ScorerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "tamis._tamis.Scorer",
    .tp_basicsize = sizeof(Scorer),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Scratch memory of the signal computations; locked per call.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Scorer_init,
    .tp_dealloc = (destructor)Scorer_dealloc,
    .tp_methods = Scorer_methods,
};

/* ---- clean ----------------------------------------------------------- */

typedef struct {
    PyObject_HEAD tm_cleaner *c;
    PyThread_type_lock lock;
    tm_buf text, edits;
    char lang[16]; /* the options' language, copied: the cleaner borrows it */
} Cleaner;

static int Cleaner_init(Cleaner *self, PyObject *args, PyObject *kw) {
    static char *kws[] = {"ops", "lang", "dry_run", "para_threshold", NULL};
    PyObject *opso = Py_None, *lango = Py_None;
    int dry = 0;
    double para = -1;
    const char *ops, *lang;
    if (self->c) {
        PyErr_SetString(PyExc_RuntimeError, "Cleaner already initialised");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|OOpd", kws, &opso, &lango, &dry, &para) ||
        tp_opt_cstr(opso, "ops", &ops) < 0 || tp_opt_cstr(lango, "lang", &lang) < 0)
        return -1;
    tm_clean_opts co;
    tm_clean_opts_init(&co);
    tm_error e;
    if (ops && (e = tm_clean_ops_parse(ops, &co.ops))) {
        tp_raise(e, "unknown clean operation in ops (expected encoding, normalize, repeated, "
                    "reworded, doubled, all or none)");
        return -1;
    }
    if (lang) {
        snprintf(self->lang, sizeof self->lang, "%s", lang);
        co.lang = self->lang;
    }
    co.dry_run = dry;
    if (para >= 0) co.para_threshold = para;
    if ((e = tm_cleaner_new(&self->c, &co))) {
        tp_raise(e, "");
        return -1;
    }
    if (!(self->lock = PyThread_allocate_lock())) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void Cleaner_dealloc(Cleaner *self) {
    tm_cleaner_free(self->c);
    tm_buf_free(&self->text);
    tm_buf_free(&self->edits);
    if (self->lock) PyThread_free_lock(self->lock);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static tm_error clean_one(Cleaner *self, const char *s, size_t n, const char *lang) {
    self->text.len = self->edits.len = 0;
    if (self->text.data) self->text.data[0] = 0;
    if (self->edits.data) self->edits.data[0] = 0;
    return tm_clean_text(self->c, s, n, lang, &self->text, &self->edits, NULL);
}

static PyObject *clean_result(Cleaner *self) {
    return Py_BuildValue("(s#s#)", self->text.data ? self->text.data : "",
                         (Py_ssize_t)self->text.len, self->edits.data ? self->edits.data : "[]",
                         (Py_ssize_t)(self->edits.data ? self->edits.len : 2));
}

static PyObject *Cleaner_clean(Cleaner *self, PyObject *args) {
    PyObject *text, *lango = Py_None, *out;
    const char *s, *lang;
    Py_ssize_t n;
    if (!self->c) return PyErr_Format(PyExc_RuntimeError, "Cleaner not initialised");
    if (!PyArg_ParseTuple(args, "O|O", &text, &lango)) return NULL;
    if (tp_text(text, "text", 1, &s, &n) < 0 || tp_opt_cstr(lango, "lang", &lang) < 0) return NULL;
    tm_error e;
    /* the lock is held until the result is copied out of the handle's
     * buffers, with the GIL back (a thread waiting for the lock holds no GIL) */
    Py_BEGIN_ALLOW_THREADS TP_LOCK(self->lock);
    e = clean_one(self, s, (size_t)n, lang);
    Py_END_ALLOW_THREADS out = e ? tp_raise(e, "") : clean_result(self);
    TP_UNLOCK(self->lock);
    return out;
}

static PyObject *Cleaner_clean_many(Cleaner *self, PyObject *args) {
    PyObject *texts, *lango = Py_None, *out = NULL;
    const char *lang;
    text_batch b;
    if (!self->c) return PyErr_Format(PyExc_RuntimeError, "Cleaner not initialised");
    if (!PyArg_ParseTuple(args, "O|O", &texts, &lango)) return NULL;
    if (tp_opt_cstr(lango, "lang", &lang) < 0) return NULL;
    if (batch_take(&b, texts) < 0 || !(out = PyList_New(b.count))) goto fail;
    /* one document at a time: each result must be copied out of the handle
     * before the next, with the GIL; the cleaning itself runs without it */
    for (Py_ssize_t i = 0; i < b.count; i++) {
        tm_error e;
        Py_BEGIN_ALLOW_THREADS TP_LOCK(self->lock);
        e = clean_one(self, b.s[i], b.n[i], lang);
        Py_END_ALLOW_THREADS PyObject *t = e ? tp_raise(e, "") : clean_result(self);
        TP_UNLOCK(self->lock);
        if (!t) goto fail;
        PyList_SET_ITEM(out, i, t);
    }
    batch_free(&b);
    return out;
fail:
    Py_XDECREF(out);
    batch_free(&b);
    return NULL;
}

static PyMethodDef Cleaner_methods[] = {{"clean", (PyCFunction)Cleaner_clean, METH_VARARGS,
                                         "clean(text, lang=None) -> (text, edits_json)"},
                                        {"clean_many", (PyCFunction)Cleaner_clean_many,
                                         METH_VARARGS,
                                         "clean_many(texts, lang=None) -> [(text, edits_json)]"},
                                        {NULL}};

PyTypeObject tp_CleanerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "tamis._tamis.Cleaner",
    .tp_basicsize = sizeof(Cleaner),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Cleaner(ops=None, lang=None, dry_run=False, para_threshold=-1): tm_cleaner.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Cleaner_init,
    .tp_dealloc = (destructor)Cleaner_dealloc,
    .tp_methods = Cleaner_methods,
};

/* ---- minhash --------------------------------------------------------- */

static PyObject *py_minhash(PyObject *self, PyObject *args, PyObject *kw) {
    static char *kws[] = {"text", "perms", "seed", "word_n", "char_n", "kind", NULL};
    PyObject *text;
    int perms = 128, word_n = 5, char_n = 5;
    unsigned long long seed = 1;
    const char *kind = "auto", *s;
    Py_ssize_t n;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|$iKiis", kws, &text, &perms, &seed, &word_n,
                                     &char_n, &kind))
        return NULL;
    if (tp_text(text, "text", 1, &s, &n) < 0) return NULL;
    tm_shingle_opts so;
    tm_shingle_opts_init(&so);
    so.word_n = word_n;
    so.char_n = char_n;
    if (!strcmp(kind, "words"))
        so.kind = TM_SHINGLE_WORDS;
    else if (!strcmp(kind, "chars"))
        so.kind = TM_SHINGLE_CHARS;
    else if (strcmp(kind, "auto"))
        return PyErr_Format(PyExc_ValueError, "kind must be 'auto', 'words' or 'chars', not '%s'",
                            kind);
    if (perms < 1 || perms > 4096 || word_n < 1 || char_n < 1)
        return PyErr_Format(PyExc_ValueError, "perms must be in 1..4096, word_n and char_n >= 1");
    tm_minhasher *mh = NULL;
    uint64_t *h = NULL;
    size_t nh = 0;
    uint32_t *sig = PyMem_Malloc((size_t)perms * sizeof *sig);
    if (!sig) return PyErr_NoMemory();
    tm_error e;
    Py_BEGIN_ALLOW_THREADS e = tm_minhasher_new(&mh, perms, seed);
    if (!e) e = tm_shingle_text(s, (size_t)n, &so, &h, &nh, NULL);
    if (!e) tm_minhash_hashes(mh, h, nh, sig);
    tm_free(h);
    tm_minhasher_free(mh);
    Py_END_ALLOW_THREADS PyObject *out = NULL;
    if (e)
        tp_raise(e, "");
    else if ((out = PyList_New(perms)))
        for (int i = 0; i < perms; i++) PyList_SET_ITEM(out, i, PyLong_FromUnsignedLong(sig[i]));
    PyMem_Free(sig);
    return out;
}

static PyObject *py_error_name(PyObject *self, PyObject *arg) {
    long code = PyLong_AsLong(arg);
    if (code == -1 && PyErr_Occurred()) return NULL;
    return PyUnicode_FromString(tm_error_name((int)code));
}

/* ---- module ---------------------------------------------------------- */

static PyMethodDef methods[] = {
    {"langid", py_langid, METH_O, "langid(text) -> dict"},
    {"error_name", py_error_name, METH_O, "error_name(code) -> the tm_error's stable name"},
    {"signal_mask", py_signal_mask, METH_O, "signal_mask(names or None) -> int"},
    {"signal_names", py_signal_names, METH_NOARGS, "signal_names() -> list"},
    {"minhash", (PyCFunction)(void (*)(void))py_minhash, METH_VARARGS | METH_KEYWORDS,
     "minhash(text, *, perms=128, seed=1, word_n=5, char_n=5, kind='auto') -> list of int"},
    {"write_lines", tp_write_lines, METH_VARARGS, "write_lines(path, iterable of str) -> int"},
    {"run", (PyCFunction)(void (*)(void))tp_run, METH_VARARGS | METH_KEYWORDS,
     "run(inputs, outdir, settings, yaml, restart, progress) -> ledger dict"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "tamis._tamis",
                                    "libtamis, the C core of tamis (use the tamis package).", -1,
                                    methods};

PyMODINIT_FUNC PyInit__tamis(void);
PyMODINIT_FUNC PyInit__tamis(void) {
    PyObject *m = PyModule_Create(&moddef);
    if (!m) return NULL;
    PyTypeObject *types[] = {&tp_ScorerType, &tp_CleanerType, &tp_ReaderType, &tp_FilterType,
                             &tp_DedupType};
    const char *names[] = {"Scorer", "Cleaner", "Reader", "Filter", "Deduplicator"};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (PyType_Ready(types[i]) < 0 ||
            PyModule_AddObjectRef(m, names[i], (PyObject *)types[i]) < 0)
            goto fail;
    if (errors_init(m) < 0 || PyModule_AddStringConstant(m, "version", tm_version()) < 0 ||
        PyModule_AddIntConstant(m, "SIG_COUNT", TM_SIG_COUNT) < 0)
        goto fail;
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}
