/*
 * reader.c — tamis._tamis.Reader over tm_reader (files, memory or a Python
 * file object through the read callback) and write_lines over tm_writer.
 *
 * Reader.next_record() gives one raw record as a tuple; the Python layer
 * (tamis.read) turns it into a document dict, parsing the JSON with the json
 * module, and keeps the rejects. A file object is read from the callback,
 * which the library calls inside tm_reader_next while the GIL is released:
 * the callback takes the GIL back (PyGILState_Ensure) to call its read().
 */
#include "tamis_py.h"

#include <string.h>

typedef struct {
    PyObject_HEAD tm_reader *r;
    PyThread_type_lock lock;
    tm_reader_opts opts;
    PyObject *keep;    /* what the reader borrows: the bytes, the option strings */
    PyObject *fileobj; /* for the callback */
    PyObject *pending; /* bytes the callback got beyond what the library asked */
    Py_ssize_t pending_off;
    PyObject *cb_exc; /* an exception raised by fileobj.read, re-raised by next */
    int closed;
} Reader;

static long read_cb(void *user, void *buf, size_t cap) {
    Reader *self = user;
    PyGILState_STATE g = PyGILState_Ensure();
    long got = -1;
    if (!self->pending || self->pending_off >= PyBytes_GET_SIZE(self->pending)) {
        Py_CLEAR(self->pending);
        self->pending_off = 0;
        PyObject *b = PyObject_CallMethod(self->fileobj, "read", "n", (Py_ssize_t)cap);
        if (b && PyUnicode_Check(b)) { /* a text-mode file: its UTF-8 */
            PyObject *u = PyUnicode_AsUTF8String(b);
            Py_DECREF(b);
            b = u;
        }
        if (b && !PyBytes_Check(b)) {
            PyErr_Format(PyExc_TypeError, "read() of the file object returned %.100s, not bytes",
                         Py_TYPE(b)->tp_name);
            Py_CLEAR(b);
        }
        if (!b) {
            PyObject *t, *v, *tb;
            PyErr_Fetch(&t, &v, &tb);
            PyErr_NormalizeException(&t, &v, &tb);
            if (tb) PyException_SetTraceback(v, tb);
            Py_XDECREF(t);
            Py_XDECREF(tb);
            Py_XSETREF(self->cb_exc, v);
            PyGILState_Release(g);
            return -1;
        }
        self->pending = b;
    }
    Py_ssize_t left = PyBytes_GET_SIZE(self->pending) - self->pending_off;
    got = (long)(left < (Py_ssize_t)cap ? left : (Py_ssize_t)cap);
    memcpy(buf, PyBytes_AS_STRING(self->pending) + self->pending_off, (size_t)got);
    self->pending_off += got;
    PyGILState_Release(g);
    return got;
}

/* Reader(paths=None, data=None, fileobj=None, name=None, format=0,
 *        text_field=None, id_field=None, max_doc_bytes=0, lines=False,
 *        all_responses=False): exactly one of paths, data, fileobj. */
static int Reader_init(Reader *self, PyObject *args, PyObject *kw) {
    static char *kws[] = {"paths",  "data",          "fileobj",  "name",
                          "format", "text_field",    "id_field", "max_doc_bytes",
                          "lines",  "all_responses", NULL};
    PyObject *paths = Py_None, *data = Py_None, *fileobj = Py_None, *nameo = Py_None;
    PyObject *tfo = Py_None, *ifo = Py_None;
    int format = 0, lines = 0, allr = 0;
    Py_ssize_t maxb = 0;
    const char *name, *tf, *idf;
    if (self->r || self->closed) {
        PyErr_SetString(PyExc_RuntimeError, "Reader already initialised");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|OOOOiOOnpp", kws, &paths, &data, &fileobj, &nameo,
                                     &format, &tfo, &ifo, &maxb, &lines, &allr) ||
        tp_opt_cstr(nameo, "name", &name) < 0 || tp_opt_cstr(tfo, "text_field", &tf) < 0 ||
        tp_opt_cstr(ifo, "id_field", &idf) < 0)
        return -1;
    if (format < TM_FMT_AUTO || format > TM_FMT_ARC || maxb < 0) {
        PyErr_SetString(PyExc_ValueError, "bad format or max_doc_bytes");
        return -1;
    }
    if (!(self->keep = PyList_New(0))) return -1;
    /* the option strings are borrowed by the reader: keep their owners */
    PyList_Append(self->keep, tfo);
    PyList_Append(self->keep, ifo);
    tm_reader_opts_init(&self->opts);
    self->opts.format = (tm_format)format;
    if (tf) self->opts.text_field = tf;
    if (idf) self->opts.id_field = idf;
    if (maxb) self->opts.max_doc_bytes = (size_t)maxb;
    self->opts.lines = lines;
    self->opts.all_responses = allr;
    if (!(self->lock = PyThread_allocate_lock())) {
        PyErr_NoMemory();
        return -1;
    }
    tm_error e;
    if (paths != Py_None) {
        PyObject *seq = PySequence_Fast(paths, "paths must be a list of str");
        if (!seq) return -1;
        Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
        const char **pv = PyMem_Calloc((size_t)n + 1, sizeof *pv);
        int ok = pv != NULL;
        for (Py_ssize_t i = 0; ok && i < n; i++) {
            PyObject *p = PySequence_Fast_GET_ITEM(seq, i);
            if (!PyUnicode_Check(p)) {
                PyErr_Format(PyExc_TypeError, "paths must be str, not %.100s", Py_TYPE(p)->tp_name);
                ok = 0;
            } else if (!(pv[i] = PyUnicode_AsUTF8(p)))
                ok = 0;
        }
        e = ok ? tm_reader_open(&self->r, pv, (size_t)n, &self->opts) : TM_OK;
        PyMem_Free(pv);
        Py_DECREF(seq);
        if (!ok) return -1;
    } else if (data != Py_None) {
        if (!PyBytes_Check(data)) {
            PyErr_SetString(PyExc_TypeError, "data must be bytes");
            return -1;
        }
        PyList_Append(self->keep, data); /* borrowed until close */
        e = tm_reader_open_mem(&self->r, PyBytes_AS_STRING(data), (size_t)PyBytes_GET_SIZE(data),
                               name, &self->opts);
    } else if (fileobj != Py_None) {
        Py_INCREF(fileobj);
        self->fileobj = fileobj;
        e = tm_reader_open_cb(&self->r, read_cb, self, name, &self->opts);
    } else {
        PyErr_SetString(PyExc_TypeError, "Reader needs paths, data or fileobj");
        return -1;
    }
    if (e) {
        tp_raise(e, "");
        return -1;
    }
    return 0;
}

static void reader_close(Reader *self) {
    tm_reader_close(self->r);
    self->r = NULL;
    self->closed = 1;
    Py_CLEAR(self->pending);
}

static void Reader_dealloc(Reader *self) {
    reader_close(self);
    if (self->lock) PyThread_free_lock(self->lock);
    Py_XDECREF(self->keep);
    Py_XDECREF(self->fileobj);
    Py_XDECREF(self->cb_exc);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *str_of(tm_str v) {
    return PyUnicode_DecodeUTF8(v.ptr ? v.ptr : "", (Py_ssize_t)v.len, "replace");
}

/* None at the end; else (err, text, id, raw, meta, source, line, index,
 * detail, invalid_utf8): err 0 for a document, < 0 for a record that could
 * not be read (then text and id are None). */
static PyObject *Reader_next_record(Reader *self, PyObject *noargs) {
    if (!self->r) Py_RETURN_NONE;
    tm_doc d;
    tm_error e;
    memset(&d, 0, sizeof d);
    Py_BEGIN_ALLOW_THREADS TP_LOCK(self->lock);
    e = tm_reader_next(self->r, &d);
    Py_END_ALLOW_THREADS PyObject *out = NULL;
    if (self->cb_exc) { /* the file object's read() failed: that error, as it was */
        PyObject *x = self->cb_exc;
        self->cb_exc = NULL;
        PyErr_SetObject((PyObject *)Py_TYPE(x), x);
        Py_DECREF(x);
    } else if (e == TM_EOF) {
        out = Py_None;
        Py_INCREF(out);
    } else {
        tm_str meta = e ? (tm_str){NULL, 0} : tm_doc_meta(&d);
        PyObject *text = e ? Py_None : str_of(d.text), *id = e ? Py_None : str_of(d.id);
        if (e) {
            Py_INCREF(Py_None);
            Py_INCREF(Py_None);
        }
        out = Py_BuildValue(
            "(iNNy#NNKKsn)", (int)e, text, id, d.raw.ptr ? d.raw.ptr : "", (Py_ssize_t)d.raw.len,
            meta.len ? str_of(meta) : (Py_INCREF(Py_None), Py_None), str_of(d.source),
            (unsigned long long)d.line, (unsigned long long)d.index,
            e ? tm_reader_detail(self->r) : "", (Py_ssize_t)d.invalid_utf8);
    }
    TP_UNLOCK(self->lock);
    return out;
}

static PyObject *Reader_close(Reader *self, PyObject *noargs) {
    Py_BEGIN_ALLOW_THREADS TP_LOCK(self->lock);
    Py_END_ALLOW_THREADS reader_close(self);
    TP_UNLOCK(self->lock);
    Py_RETURN_NONE;
}

static PyObject *Reader_skipped(Reader *self, PyObject *noargs) {
    return PyLong_FromUnsignedLongLong(self->r ? tm_reader_skipped(self->r) : 0);
}

static PyMethodDef Reader_methods[] = {
    {"next_record", (PyCFunction)Reader_next_record, METH_NOARGS,
     "next_record() -> None at the end, else (err, text, id, raw, meta, source, line, index, "
     "detail, invalid_utf8)"},
    {"close", (PyCFunction)Reader_close, METH_NOARGS, "close()"},
    {"skipped", (PyCFunction)Reader_skipped, METH_NOARGS, "records skipped by design"},
    {NULL}};

PyTypeObject tp_ReaderType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "tamis._tamis.Reader",
    .tp_basicsize = sizeof(Reader),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A tm_reader over paths, bytes or a file object.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Reader_init,
    .tp_dealloc = (destructor)Reader_dealloc,
    .tp_methods = Reader_methods,
};

/* write_lines(path, lines): every str of lines (each ending with "\n") to
 * path through tm_writer (".gz"/".zst" compressed, renamed into place only
 * when complete). Returns the number of lines. */
PyObject *tp_write_lines(PyObject *self, PyObject *args) {
    const char *path;
    PyObject *it, *line;
    if (!PyArg_ParseTuple(args, "sO", &path, &it) || !(it = PyObject_GetIter(it))) return NULL;
    tm_writer *w = NULL;
    char detail[512];
    snprintf(detail, sizeof detail, "cannot write %s", path);
    tm_error e = tm_writer_open(&w, path);
    if (e) {
        Py_DECREF(it);
        return tp_raise(e, detail);
    }
    Py_ssize_t n = 0;
    while ((line = PyIter_Next(it))) {
        const char *s;
        Py_ssize_t len;
        int bad = !PyUnicode_Check(line) || !(s = PyUnicode_AsUTF8AndSize(line, &len));
        if (bad && !PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "lines must be str");
        if (!bad) e = tm_writer_write(w, s, (size_t)len);
        Py_DECREF(line);
        if (bad || e) break;
        n++;
    }
    Py_DECREF(it);
    if (PyErr_Occurred() || e) {
        tm_writer_abort(w);
        return e && !PyErr_Occurred() ? tp_raise(e, detail) : NULL;
    }
    if ((e = tm_writer_close(w))) return tp_raise(e, detail);
    return PyLong_FromSsize_t(n);
}
