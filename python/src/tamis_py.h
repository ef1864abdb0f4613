/*
 * tamis_py.h — what the C files of the Python binding (module.c, reader.c,
 * handles.c) share: the error mapping, the conversion of Python text to
 * UTF-8 views, the handle lock and the type objects each file defines.
 *
 * The binding uses only the public header <tamis.h>. Every call into the
 * library that may take time runs with the GIL released; a handle that the
 * library says is one thread's (scorer, cleaner, checker, deduper, reader)
 * carries a lock, so Python threads may share a handle safely (they then take
 * turns) or each own one (they run in parallel).
 */
#ifndef TAMIS_PY_H
#define TAMIS_PY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pythread.h>

#include "tamis.h"

/* Raises the tamis.Error subclass of err with the thread's
 * tm_error_detail() (or `detail` when not NULL); returns NULL. */
PyObject *tp_raise(int err, const char *detail);

/* A UTF-8 view of a Python text: str (encoded by CPython, cached in the
 * object), bytes (checked: invalid UTF-8 raises ValueError) or, when
 * allow_doc, a dict whose "text" member is one of those. None and other
 * types raise TypeError naming `what`. The view lives as long as o. */
int tp_text(PyObject *o, const char *what, int allow_doc, const char **s, Py_ssize_t *n);

/* An optional str argument as a C string (NULL for None). */
int tp_opt_cstr(PyObject *o, const char *what, const char **out);

/* Takes a handle's lock with the GIL released (so that a thread waiting for
 * the lock never holds the GIL the owner needs). Use inside
 * Py_BEGIN_ALLOW_THREADS. */
#define TP_LOCK(l)   PyThread_acquire_lock((l), WAIT_LOCK)
#define TP_UNLOCK(l) PyThread_release_lock(l)

/* Builds the signals dict of values selected by mask. */
PyObject *tp_signals_dict(const double *v, uint64_t mask);

/* Types and module additions of the other files. */
extern PyTypeObject tp_ReaderType;
extern PyTypeObject tp_FilterType;
extern PyTypeObject tp_DedupType;
extern PyTypeObject tp_ScorerType;
extern PyTypeObject tp_CleanerType;
PyObject *tp_write_lines(PyObject *self, PyObject *args);
PyObject *tp_run(PyObject *self, PyObject *args, PyObject *kw);

#endif
