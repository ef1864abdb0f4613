#!/usr/bin/env python3
"""check-deps.py — checks that the library's layers point one way.

The rules are not kept here: they are read from the module table of
docs/ARCHITECTURE.md ("## Modules": folder, role, may depend on, touches
files), so the page and the check cannot drift apart. Four checks:

1. includes: a file of src/M/ includes headers of M, of the modules M may
   depend on, and "tamis.h"; a file of cli/ includes only "tamis.h" and
   "cli.h", and one of python/src only "tamis.h" and "tamis_py.h" (the CLI
   and the binding are users of the public header like any other).
2. calls (with --objects DIR, the build folder): a symbol that an object of
   src/M/ uses and an object of src/N/ defines needs N in M's list. This
   catches what a header cannot: a prototype written by hand.
3. cycles: no two files of the library call each other, directly or through
   others (strongly connected components of the call graph between objects,
   read with nm). A cycle means two files that cannot be read, tested or
   moved apart.
4. files: only modules whose "touches files" column says yes call the
   functions that open, name or remove files (fopen, open, mkstemp, rename,
   unlink, opendir, stat, ...). The other layers work on memory.
5. names (with --objects): a global symbol of the library that starts with
   tm_ is declared TM_API in include/; internal symbols take tmi_, so the
   static library puts nothing in a program's tm_ namespace by accident.

Exit status 0 when every rule holds, 1 with one line per violation.
Usage: check-deps.py [--root DIR] [--objects BUILD_DIR]
"""
import argparse
import collections
import os
import re
import subprocess
import sys

# Calls that open, create, name or remove files. Reading or writing a FILE *
# or a descriptor that the caller was given is not listed: a stage may write
# into a stream it is handed (the writer and spill files come from io/).
FS_CALLS = {
    "fopen", "fopen64", "freopen", "fdopen", "open", "open64", "openat", "openat64", "creat",
    "mkstemp", "mkstemp64", "mkostemp", "mkostemps", "mkdtemp", "tmpfile", "tmpfile64",
    "rename", "renameat", "renameat2", "unlink", "unlinkat", "remove", "opendir",
    "fdopendir", "mkdir", "mkdirat", "rmdir", "stat", "stat64", "lstat", "lstat64",
    "fstatat", "fstatat64", "__xstat", "__xstat64", "__lxstat", "__lxstat64",
    "__fxstatat", "__fxstatat64", "statx", "access", "faccessat", "euidaccess",
    "realpath", "readlink", "symlink", "link", "chmod", "truncate", "truncate64",
    "mkfifo", "mknod", "chdir", "nftw", "ftw", "glob", "scandir",
}

ROW = re.compile(r"^\|\s*`(src/[a-z_]+/|cli/|python/)`\s*\|(.*)\|(.*)\|(.*)\|\s*$")


def read_table(root):
    """Module name -> (set of allowed modules, touches files)."""
    path = os.path.join(root, "docs", "ARCHITECTURE.md")
    rules = {}
    in_modules = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                in_modules = line.strip() == "## Modules"
                continue
            m = ROW.match(line) if in_modules else None
            if not m:
                continue
            folder, _role, deps, files = m.groups()
            name = folder.rstrip("/").split("/")[-1]
            deps = re.sub(r"\([^)]*\)", "", deps)  # "(+ libxml2)" notes
            allowed = set()
            for d in deps.split(","):
                d = d.strip().strip("`").rstrip("/")
                d = d.split("/")[-1]
                if d and d not in ("libc", "include", "tamis.h"):
                    allowed.add(d)
            rules[name] = (allowed, files.strip().lower().startswith("yes"))
    if not rules:
        sys.exit("check-deps: no module table in docs/ARCHITECTURE.md")
    return rules


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def check_includes(root, rules, out):
    for dirpath, _dirs, files in os.walk(os.path.join(root, "src")):
        mod = os.path.relpath(dirpath, os.path.join(root, "src")).split(os.sep)[0]
        for fn in sorted(files):
            if not fn.endswith((".c", ".h", ".cc")):
                continue
            path = os.path.join(dirpath, fn)
            rel = os.path.relpath(path, root)
            if mod not in rules:
                out.append(f"{rel}: module src/{mod}/ is not in the table of docs/ARCHITECTURE.md")
                continue
            text = open(path, encoding="utf-8", errors="replace").read()
            for inc in INCLUDE.findall(text):
                if "/" not in inc:
                    if inc != "tamis.h" and not os.path.exists(os.path.join(dirpath, inc)):
                        out.append(f'{rel}: includes "{inc}", which is not a header of src/{mod}/')
                    continue
                to = inc.split("/")[0]
                if to != mod and to not in rules[mod][0]:
                    out.append(f'{rel}: includes "{inc}": src/{mod}/ may not depend on src/{to}/')
    # the CLI and the Python binding are users of the public header
    for folder, own, who in (("cli", "cli.h", "the CLI"), ("python/src", "tamis_py.h", "the binding")):
        d = os.path.join(root, folder)
        for fn in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            if fn.endswith((".c", ".h")):
                text = open(os.path.join(d, fn), encoding="utf-8").read()
                for inc in INCLUDE.findall(text):
                    if inc not in ("tamis.h", own):
                        out.append(f'{folder}/{fn}: includes "{inc}": {who} uses only tamis.h')


def nm(path):
    """(defined, undefined) global symbols of one object file."""
    res = subprocess.run(["nm", "-P", path], capture_output=True, text=True, check=True)
    defined, undefined = set(), set()
    for line in res.stdout.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        sym, kind = parts[0], parts[1]
        if kind == "U":
            undefined.add(sym.split("@")[0])
        elif kind in "TDBRVWGS" and kind.isupper():
            defined.add(sym)
    return defined, undefined


def check_objects(root, objdir, rules, out):
    objs = {}
    base = os.path.join(objdir, "src")
    for dirpath, _dirs, files in os.walk(base):
        for fn in sorted(files):
            if fn.endswith(".o"):
                path = os.path.join(dirpath, fn)
                src = os.path.relpath(path, objdir)[:-2]
                # an object left behind by a source that moved or went away
                if not any(os.path.exists(os.path.join(root, src + x)) for x in (".c", ".cc")):
                    continue
                objs[src] = nm(path)
    if not objs:
        out.append(f"{objdir}: no objects under src/ (build first: make)")
        return
    owner = {}
    for src, (defined, _u) in objs.items():
        for s in defined:
            owner.setdefault(s, src)
    public = set()
    for h in sorted(os.listdir(os.path.join(root, "include"))):
        if h.endswith(".h"):
            text = open(os.path.join(root, "include", h), encoding="utf-8").read()
            public |= set(re.findall(r"TM_API[^;{]*?\b(tm_\w+)\s*\(", text, re.S))
    for src, (defined, _u) in sorted(objs.items()):
        for sym in sorted(defined):
            if sym.startswith("tm_") and sym not in public:
                out.append(f"{src}: defines {sym}: tm_ names the public API (TM_API in "
                           "include/); an internal symbol takes tmi_")
    graph = collections.defaultdict(set)
    for src, (_d, undefined) in sorted(objs.items()):
        mod = src.split("/")[1]
        allowed, files_ok = rules.get(mod, (set(), False))
        for s in sorted(undefined):
            if s in FS_CALLS and not files_ok:
                out.append(f"{src}: calls {s}(): src/{mod}/ works on memory (no file-system calls)")
            to = owner.get(s)
            if not to or to == src:
                continue
            graph[src].add(to)
            tmod = to.split("/")[1]
            if tmod != mod and tmod not in allowed:
                out.append(f"{src}: calls {s} of {to}: src/{mod}/ may not depend on src/{tmod}/")
    for comp in cycles(graph):
        out.append("call cycle between files: " + " -> ".join(comp + comp[:1]))


def cycles(graph):
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index, low, on, stack, comps = {}, {}, set(), [], []
    counter = [0]
    nodes = sorted(set(graph) | {w for vs in graph.values() for w in vs})
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    comps.append(sorted(comp))
    return comps


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=".")
    ap.add_argument("--objects", help="build folder whose src/**/*.o are checked")
    a = ap.parse_args()
    rules = read_table(a.root)
    out = []
    check_includes(a.root, rules, out)
    if a.objects:
        check_objects(a.root, a.objects, rules, out)
    for line in out:
        print("check-deps: " + line)
    if out:
        print(f"check-deps: {len(out)} violation(s) of the layers in docs/ARCHITECTURE.md")
        return 1
    print(f"check-deps: {len(rules)} modules, layers point one way")
    return 0


if __name__ == "__main__":
    sys.exit(main())
