/*
 * sax.c — one HTML page to the extractor's node array, event stream and
 * metadata, with libxml2's HTML parser (the one under lxml and trafilatura)
 * driven through SAX callbacks.
 *
 * Why SAX and not libxml2's tree: the tree costs an allocation per node and
 * per text node and a second pass to free them; here an element is one
 * 80-byte slot of a growing array and a text run one 16-byte event, and
 * both arrays have hard caps, so a 50 MB page or 100,000 nested <div>s
 * cannot make memory grow past them (docs/EXTRACT.md has the measurements).
 * libxml2 does the HTML error recovery (implied and unclosed tags, stray
 * ends, entities) and gives balanced start/end calls.
 *
 * Elements that are never text (script, style, svg, forms controls, nav,
 * aside, footer, hidden elements) are not recorded at all: a counter skips
 * everything inside them. <title>, <meta>, <link rel=canonical>, <time> and
 * JSON-LD scripts feed the metadata slots instead.
 */
#include "extract/extract_int.h"
#include "util/buf.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    int tag;
} tags[] = {
    {"a", X_A},
    {"address", X_ADDRESS},
    {"article", X_ARTICLE},
    {"aside", X_ASIDE},
    {"blockquote", X_BLOCKQUOTE},
    {"body", X_BODY},
    {"br", X_BR},
    {"button", X_BUTTON},
    {"canvas", X_CANVAS},
    {"caption", X_CAPTION},
    {"center", X_CENTER},
    {"code", X_CODE},
    {"dd", X_DD},
    {"details", X_DETAILS},
    {"dialog", X_DIALOG},
    {"div", X_DIV},
    {"dl", X_DL},
    {"dt", X_DT},
    {"embed", X_EMBED},
    {"figcaption", X_FIGCAPTION},
    {"figure", X_FIGURE},
    {"footer", X_FOOTER},
    {"form", X_FORM},
    {"h1", X_H1},
    {"h2", X_H2},
    {"h3", X_H3},
    {"h4", X_H4},
    {"h5", X_H5},
    {"h6", X_H6},
    {"head", X_HEAD},
    {"header", X_HEADER},
    {"hr", X_HR},
    {"html", X_HTML},
    {"iframe", X_IFRAME},
    {"img", X_IMG},
    {"input", X_INPUT},
    {"li", X_LI},
    {"link", X_LINK},
    {"main", X_MAIN},
    {"math", X_MATH},
    {"menu", X_MENU},
    {"meta", X_META},
    {"nav", X_NAV},
    {"noscript", X_NOSCRIPT},
    {"object", X_OBJECT},
    {"ol", X_OL},
    {"p", X_P},
    {"pre", X_PRE},
    {"script", X_SCRIPT},
    {"section", X_SECTION},
    {"select", X_SELECT},
    {"style", X_STYLE},
    {"summary", X_SUMMARY},
    {"svg", X_SVG},
    {"table", X_TABLE},
    {"tbody", X_TBODY},
    {"td", X_TD},
    {"template", X_TEMPLATE},
    {"textarea", X_TEXTAREA},
    {"tfoot", X_TFOOT},
    {"th", X_TH},
    {"thead", X_THEAD},
    {"time", X_TIME},
    {"title", X_TITLE},
    {"tr", X_TR},
    {"ul", X_UL},
};

int tmi_x_tag(const char *name) {
    size_t lo = 0, hi = sizeof tags / sizeof *tags;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, tags[mid].name);
        if (c == 0) return tags[mid].tag;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return X_OTHER;
}

/* Tags whose whole subtree is never article text. */
static int drop_tag(int t) {
    switch (t) {
    case X_SCRIPT:
    case X_STYLE:
    case X_NOSCRIPT:
    case X_TEMPLATE:
    case X_SVG:
    case X_IFRAME:
    case X_OBJECT:
    case X_EMBED:
    case X_CANVAS:
    case X_SELECT:
    case X_BUTTON:
    case X_TEXTAREA:
    case X_NAV:
    case X_ASIDE:
    case X_FOOTER:
    case X_MENU:
    case X_DIALOG:
    case X_TITLE: return 1;
    default: return 0;
    }
}

/* Substring test of a lowercase ASCII needle in a lowercased haystack.
 * Naive on purpose: class names are short and strstr's setup (two-way
 * factorisation) cost more than the search, 25 % of all time. */
static int has(const char *s, const char *needle) {
    char c0 = needle[0];
    size_t k = strlen(needle);
    for (const char *p = s; (p = strchr(p, c0)); p++)
        if (!strncmp(p, needle, k)) return 1;
    return 0;
}

/* s lowercased into buf (cut at size - 1 bytes). */
static const char *lower(const char *s, char *buf, size_t size) {
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        buf[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
    buf[i] = '\0';
    return buf;
}

/* Readability's "unlikely candidate" class/id words, plus cookie banners,
 * share bars and newsletters; "maybe" words protect a match. */
static int unlikely(const char *s) {
    static const char *const bad[] = {
        "-ad-",         "ai2html",    "banner",  "breadcrumb", "combx",   "comment",
        "community",    "cover-wrap", "disqus",  "extra",      "footer",  "gdpr",
        "header",       "legends",    "menu",    "related",    "remark",  "replies",
        "rss",          "shoutbox",   "sidebar", "skyscraper", "social",  "sponsor",
        "supplemental", "ad-break",   "agegate", "pagination", "pager",   "popup",
        "yom-remote",   "cookie",     "consent", "share",      "sharing", "newsletter",
        "subscribe",    "navbar",     "masthead"};
    static const char *const maybe[] = {"and",     "article", "body",    "column",
                                        "content", "main",    "mathjax", "shadow"};
    int b = 0;
    for (size_t i = 0; i < sizeof bad / sizeof *bad && !b; i++) b = has(s, bad[i]);
    if (!b) return 0;
    for (size_t i = 0; i < sizeof maybe / sizeof *maybe; i++)
        if (has(s, maybe[i])) return 0;
    return 1;
}

/* Readability's class weight, one attribute: -1, 0 or +1. */
static int weight_of(const char *s) {
    static const char *const neg[] = {
        "-ad-",   "hidden",   "banner",  "combx",      "comment",   "com-",     "contact", "foot",
        "gdpr",   "masthead", "media",   "meta",       "outbrain",  "promo",    "related", "scroll",
        "share",  "shoutbox", "sidebar", "skyscraper", "sponsor",   "shopping", "tags",    "tool",
        "widget", "cookie",   "social",  "nav",        "breadcrumb"};
    static const char *const pos[] = {"article", "body", "content", "entry",      "hentry",
                                      "h-entry", "main", "page",    "pagination", "post",
                                      "text",    "blog", "story"};
    int w = 0;
    for (size_t i = 0; i < sizeof neg / sizeof *neg; i++)
        if (has(s, neg[i])) {
            w--;
            break;
        }
    for (size_t i = 0; i < sizeof pos / sizeof *pos; i++)
        if (has(s, pos[i])) {
            w++;
            break;
        }
    return w;
}

/* The attributes the extractor reads, found in one pass (libxml2 gives
 * HTML attribute names lowercased). */
enum {
    XA_CLASS,
    XA_ID,
    XA_ROLE,
    XA_HIDDEN,
    XA_ARIA_HIDDEN,
    XA_STYLE,
    XA_ITEMPROP,
    XA_DATETIME,
    XA_CONTENT,
    XA_TYPE,
    XA_REL,
    XA_HREF,
    XA_LANG,
    XA_XML_LANG,
    XA_PROPERTY,
    XA_NAME,
    XA_HTTP_EQUIV,
    XA_N
};
static const char *const attr_names[XA_N] = {
    "class", "id",  "role", "hidden", "aria-hidden", "style",    "itemprop", "datetime",  "content",
    "type",  "rel", "href", "lang",   "xml:lang",    "property", "name",     "http-equiv"};

typedef struct xattrs {
    const char *v[XA_N];
    int any;
} xattrs;

static void read_attrs(const xmlChar **atts, xattrs *a) {
    memset(a, 0, sizeof *a);
    if (!atts) return;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *nm = (const char *)atts[i];
        for (int k = 0; k < XA_N; k++)
            if (nm[0] == attr_names[k][0] && !strcmp(nm, attr_names[k])) {
                a->v[k] = atts[i + 1] ? (const char *)atts[i + 1] : "";
                a->any = 1;
                break;
            }
    }
}

/* The hints of one class or id value: bits 0-1 weight + 1 (0..2), bit 2
 * unlikely, bit 3 byline. A pure function of the string, so a small
 * direct-mapped cache of the extractor answers the same class names that a
 * page (and a site) repeats, without rescanning the needle lists. */
#define H_UNLIKELY 4
#define H_BYLINE   8
static unsigned hints_of(tm_extractor *x, const char *v) {
    size_t n = strlen(v);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)v[i]) * 16777619u;
    tm_xhint *c = &x->hint_cache[h % TM_X_HINT_CACHE];
    if (n < sizeof c->key && c->used && !strcmp(c->key, v)) return c->bits;
    char lb[256];
    lower(v, lb, sizeof lb);
    unsigned bits = (unsigned)(weight_of(lb) + 1);
    if (unlikely(lb)) bits |= H_UNLIKELY;
    if (has(lb, "byline") || has(lb, "author") || has(lb, "writtenby")) bits |= H_BYLINE;
    if (n < sizeof c->key) {
        memcpy(c->key, v, n + 1);
        c->bits = (uint8_t)bits;
        c->used = 1;
    }
    return bits;
}

static void meta_tag(tm_extractor *x, const xattrs *a) {
    const char *content = a->v[XA_CONTENT];
    if (!content) return;
    size_t n = strlen(content);
    const char *key = a->v[XA_PROPERTY];
    if (!key) key = a->v[XA_NAME];
    if (!key) key = a->v[XA_ITEMPROP];
    if (!key) {
        const char *he = a->v[XA_HTTP_EQUIV];
        if (he && !strcasecmp(he, "content-language")) tmi_x_meta_set(x, XM_LANG, 1, content, n);
        return;
    }
    /* ranks follow Readability's order: Dublin Core, then Open Graph,
     * then Twitter and Parse.ly, then the document's own elements */
    if (!strcasecmp(key, "dc.title") || !strcasecmp(key, "dc:title") ||
        !strcasecmp(key, "dcterms.title") || !strcasecmp(key, "dcterm:title"))
        tmi_x_meta_set(x, XM_TITLE, 4, content, n);
    else if (!strcasecmp(key, "og:title"))
        tmi_x_meta_set(x, XM_TITLE, 3, content, n);
    else if (!strcasecmp(key, "parsely-title"))
        tmi_x_meta_set(x, XM_TITLE, 2, content, n);
    else if (!strcasecmp(key, "parsely-pub-date"))
        tmi_x_meta_set(x, XM_DATE, 3, content, n);
    else if (!strcasecmp(key, "parsely-author"))
        tmi_x_meta_set(x, XM_AUTHOR, 3, content, n);
    else if (!strcasecmp(key, "twitter:title"))
        tmi_x_meta_set(x, XM_TITLE, 2, content, n);
    else if (!strcasecmp(key, "og:url"))
        tmi_x_meta_set(x, XM_CANONICAL, 1, content, n);
    else if (!strcasecmp(key, "og:site_name"))
        tmi_x_meta_set(x, XM_SITE, 2, content, n);
    else if (!strcasecmp(key, "application-name"))
        tmi_x_meta_set(x, XM_SITE, 1, content, n);
    else if (!strcasecmp(key, "article:published_time"))
        tmi_x_meta_set(x, XM_DATE, 5, content, n);
    else if (!strcasecmp(key, "datePublished"))
        tmi_x_meta_set(x, XM_DATE, 4, content, n);
    else if (!strcasecmp(key, "date") || !strcasecmp(key, "pubdate") ||
             !strcasecmp(key, "dc.date") || !strcasecmp(key, "dcterms.date") ||
             !strcasecmp(key, "dc.date.issued") || !strcasecmp(key, "publish-date"))
        tmi_x_meta_set(x, XM_DATE, 2, content, n);
    else if (!strcasecmp(key, "dc.creator") || !strcasecmp(key, "dc:creator") ||
             !strcasecmp(key, "dcterm:creator"))
        tmi_x_meta_set(x, XM_AUTHOR, 5, content, n);
    else if (!strcasecmp(key, "author"))
        tmi_x_meta_set(x, XM_AUTHOR, 4, content, n);
    else if (!strcasecmp(key, "article:author") && strncasecmp(content, "http", 4))
        tmi_x_meta_set(x, XM_AUTHOR, 2, content, n);
}

/* Room for two more events. Closes are always recorded (one per node, so
 * at most TM_X_MAX_DEPTH past the cap); opens and text stop at the cap. */
static int ev_room(tm_extractor *x) {
    return TM_GROW(x->ev, x->cap_ev, x->n_ev + 2, 0) ? -1 : 0;
}

static int push_node(tm_extractor *x, int tag, int flags, int weight) {
    if (x->n_nodes >= TM_X_MAX_NODES || x->n_ev + 2 >= TM_X_MAX_EVENTS) {
        x->truncated = 1;
        return -1;
    }
    if (TM_GROW(x->nodes, x->cap_nodes, x->n_nodes + 1, TM_X_MAX_NODES)) return -2;
    if (ev_room(x)) return -2;
    uint32_t id = (uint32_t)x->n_nodes++;
    tm_xnode *nd = &x->nodes[id];
    memset(nd, 0, sizeof *nd);
    nd->parent = x->depth ? x->stack[x->depth - 1] : UINT32_MAX;
    nd->tag = (uint16_t)tag;
    nd->weight = (int8_t)weight;
    nd->flags = (uint8_t)flags;
    if (nd->parent != UINT32_MAX) nd->flags |= x->nodes[nd->parent].flags & (XF_INLINK | XF_INPRE);
    if (tag == X_A) nd->flags |= XF_INLINK;
    if (tag == X_PRE) nd->flags |= XF_INPRE;
    nd->ev_open = (uint32_t)x->n_ev;
    x->ev[x->n_ev++] = (tm_xevent){XE_OPEN, id, 0, 0};
    x->stack[x->depth++] = id;
    return 0;
}

/* State of a parse: the extractor and the first allocation failure. */
typedef struct sax_ud {
    tm_extractor *x;
    int nomem;
} sax_ud;

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts) {
    sax_ud *u = ctx;
    tm_extractor *x = u->x;
    if (x->in_skip) {
        x->in_skip++;
        return;
    }
    int tag = tmi_x_tag((const char *)name);
    xattrs at;
    const xattrs *a = &at;
    read_attrs(atts, &at);
    switch (tag) {
    case X_META:
        meta_tag(x, a);
        x->deep++; /* void and not recorded: its end pops nothing */
        return;
    case X_LINK: {
        const char *rel = a->v[XA_REL], *href = a->v[XA_HREF];
        if (rel && href && !strcasecmp(rel, "canonical"))
            tmi_x_meta_set(x, XM_CANONICAL, 2, href, strlen(href));
        x->deep++;
        return;
    }
    case X_HTML: {
        const char *lang = a->v[XA_LANG];
        if (!lang) lang = a->v[XA_XML_LANG];
        if (lang) tmi_x_meta_set(x, XM_LANG, 2, lang, strlen(lang));
        break;
    }
    case X_TITLE: x->in_title++; break;
    case X_SCRIPT: {
        const char *ty = a->v[XA_TYPE];
        if (ty && !strcasecmp(ty, "application/ld+json")) x->in_script_ld = 1;
        break;
    }
    default: break;
    }
    if (a->any) {
        const char *ip = a->v[XA_ITEMPROP];
        if (ip && !strcasecmp(ip, "datePublished")) {
            const char *v = a->v[XA_DATETIME];
            if (!v) v = a->v[XA_CONTENT];
            if (v) tmi_x_meta_set(x, XM_DATE, 4, v, strlen(v));
        } else if (ip && !strcasecmp(ip, "author") && tag != X_META) {
            /* the name is the text: too costly to follow; a content attr only */
            const char *v = a->v[XA_CONTENT];
            if (v) tmi_x_meta_set(x, XM_AUTHOR, 1, v, strlen(v));
        }
    }
    if (tag == X_TIME && x->meta_rank[XM_DATE] < 1) {
        const char *v = a->v[XA_DATETIME];
        if (v) tmi_x_meta_set(x, XM_DATE, 1, v, strlen(v));
    }
    int flags = 0, weight = 0, byline = 0;
    if (a->any) {
        char lb[256];
        const char *cls = a->v[XA_CLASS], *id = a->v[XA_ID];
        unsigned hc = cls && *cls ? hints_of(x, cls) : 1, hi = id && *id ? hints_of(x, id) : 1;
        weight += (int)(hc & 3) - 1 + (int)(hi & 3) - 1;
        if ((hc | hi) & H_UNLIKELY) flags |= XF_UNLIKELY;
        byline = ((hc | hi) & H_BYLINE) != 0;
        const char *role = a->v[XA_ROLE];
        if (role && (!strcasecmp(role, "navigation") || !strcasecmp(role, "menu") ||
                     !strcasecmp(role, "menubar") || !strcasecmp(role, "complementary") ||
                     !strcasecmp(role, "alert") || !strcasecmp(role, "alertdialog") ||
                     !strcasecmp(role, "dialog")))
            flags |= XF_UNLIKELY;
        if (a->v[XA_HIDDEN]) flags |= XF_HIDDEN;
        const char *ah = a->v[XA_ARIA_HIDDEN];
        if (ah && !strcasecmp(ah, "true") && tag != X_IMG) flags |= XF_HIDDEN;
        const char *st = a->v[XA_STYLE];
        if (st) st = lower(st, lb, sizeof lb);
        if (st && (has(st, "display:none") || has(st, "display: none") ||
                   has(st, "visibility:hidden") || has(st, "visibility: hidden")))
            flags |= XF_HIDDEN;
        if (role && !strcasecmp(role, "main")) weight += 2;
        /* schema.org's articleBody names the content outright: it outranks
         * any class/id word (an id "…share-btns…" on the body of an article) */
        const char *ip = a->v[XA_ITEMPROP];
        if (ip && strstr(ip, "articleBody")) {
            weight += 2;
            flags &= ~XF_UNLIKELY;
        }
    }
    if (tag == X_ARTICLE || tag == X_MAIN) weight += 1;
    if (drop_tag(tag) || (flags & XF_HIDDEN)) {
        x->in_skip = 1;
        return;
    }
    if (x->depth >= TM_X_MAX_DEPTH) {
        x->deep++;
        x->truncated = 1;
        return;
    }
    int r = push_node(x, tag, flags, weight);
    if (r == 0 && a->any && x->n_bylines < 8) {
        /* Readability's byline test: rel=author, itemprop~author, or a
         * class/id with byline, author, writtenby (not its "dateline":
         * those hold dates) */
        const char *rel = a->v[XA_REL], *ip = a->v[XA_ITEMPROP];
        if (byline || (rel && !strcasecmp(rel, "author")) || (ip && strstr(ip, "author")))
            x->bylines[x->n_bylines++] = (uint32_t)(x->n_nodes - 1);
    }
    if (r == -2) u->nomem = 1;
    if (r) x->deep++; /* not recorded: its end must not pop a node */
}

static void on_end(void *ctx, const xmlChar *name) {
    sax_ud *u = ctx;
    tm_extractor *x = u->x;
    (void)name;
    if (x->in_skip) {
        if (--x->in_skip == 0) {
            x->in_title = 0;
            x->in_script_ld = 0;
        }
        return;
    }
    if (x->deep) {
        x->deep--;
        return;
    }
    if (!x->depth) return;
    uint32_t id = x->stack[--x->depth];
    tm_xnode *nd = &x->nodes[id];
    nd->end = (uint32_t)x->n_nodes;
    nd->ev_close = (uint32_t)x->n_ev;
    if (ev_room(x))
        u->nomem = 1;
    else
        x->ev[x->n_ev++] = (tm_xevent){XE_CLOSE, id, 0, 0};
}

static uint32_t count_commas(const char *s, size_t n) {
    uint32_t c = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b == ',')
            c++;
        else if (b == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
                 (unsigned char)s[i + 2] == 0x8C)
            c++; /* U+FF0C fullwidth comma */
        else if (b == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                 (unsigned char)s[i + 2] == 0x81)
            c++; /* U+3001 ideographic comma */
        else if (b == 0xD8 && i + 1 < n && (unsigned char)s[i + 1] == 0x8C)
            c++; /* U+060C Arabic comma */
    }
    return c;
}

static void on_text(void *ctx, const xmlChar *ch, int len) {
    sax_ud *u = ctx;
    tm_extractor *x = u->x;
    if (len <= 0) return;
    const char *s = (const char *)ch;
    size_t n = (size_t)len;
    if (x->in_skip) {
        tm_buf *b = x->in_title ? &x->title_buf : x->in_script_ld ? &x->ld : NULL;
        if (b && b->len < (1u << 16) && tmi_buf_append(b, s, n)) u->nomem = 1;
        return;
    }
    if (!x->depth) return;
    if (x->n_ev >= TM_X_MAX_EVENTS - 2 || x->text.len + n > TM_X_MAX_TEXT) {
        x->truncated = 1;
        return;
    }
    if (ev_room(x)) {
        u->nomem = 1;
        return;
    }
    uint32_t id = x->stack[x->depth - 1];
    tm_xnode *nd = &x->nodes[id];
    uint32_t solid = 0;
    for (size_t i = 0; i < n; i++) solid += (unsigned char)s[i] > ' ';
    /* Merge with the previous run when it is the same node's and adjacent
     * (libxml2 delivers text in pieces around entities). */
    tm_xevent *last = x->n_ev ? &x->ev[x->n_ev - 1] : NULL;
    if (last && last->kind == XE_TEXT && last->c == id && last->a + last->b == x->text.len) {
        last->b += (uint32_t)n;
    } else {
        x->ev[x->n_ev++] = (tm_xevent){XE_TEXT, (uint32_t)x->text.len, (uint32_t)n, id};
    }
    if (tmi_buf_append(&x->text, s, n)) {
        u->nomem = 1;
        return;
    }
    nd->own_text += solid;
    if (nd->flags & XF_INLINK) nd->own_link += solid;
    nd->own_comma += count_commas(s, n);
}

static void on_error(void *ctx, xmlErrorPtr err) {
    (void)ctx;
    (void)err; /* the library never prints: parse errors are recovered */
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_libxml(void) {
    xmlInitParser();
}

tm_error tmi_x_parse(tm_extractor *x, const char *html, size_t n) {
    pthread_once(&init_once, init_libxml);
    x->n_nodes = x->n_ev = 0;
    x->depth = x->deep = x->in_title = x->in_script_ld = x->in_skip = 0;
    x->truncated = 0;
    x->n_bylines = 0;
    tmi_buf_reset(&x->text);
    tmi_buf_reset(&x->title_buf);
    tmi_buf_reset(&x->ld);
    for (int i = 0; i < XM_N; i++) {
        x->meta[i][0] = '\0';
        x->meta_rank[i] = 0;
    }
    if (n > INT32_MAX) n = INT32_MAX; /* libxml2 takes an int; callers cap far below */
    /* A NUL ends libxml2's input early: read them as spaces (copy only when
     * there is one). */
    if (memchr(html, '\0', n)) {
        tmi_buf_reset(&x->nul_free);
        if (tmi_buf_append(&x->nul_free, html, n)) return TM_ERR_NOMEM;
        for (size_t i = 0; i < n; i++)
            if (!x->nul_free.data[i]) x->nul_free.data[i] = ' ';
        html = x->nul_free.data;
    }
    if (n == 0) return TM_OK;
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(html, (int)n);
    if (!ctxt) return TM_ERR_NOMEM;
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_text;
    sax.ignorableWhitespace = on_text;
    sax.cdataBlock = on_text;
    sax.serror = on_error;
    memcpy(ctxt->sax, &sax, sizeof sax);
    sax_ud u = {x, 0};
    ctxt->userData = &u;
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                 HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(ctxt);
    htmlFreeParserCtxt(ctxt);
    /* close what libxml2 left open (it normally closes everything) */
    while (x->depth) {
        uint32_t id = x->stack[--x->depth];
        x->nodes[id].end = (uint32_t)x->n_nodes;
        x->nodes[id].ev_close = (uint32_t)x->n_ev;
        if (ev_room(x))
            u.nomem = 1;
        else
            x->ev[x->n_ev++] = (tm_xevent){XE_CLOSE, id, 0, 0};
    }
    if (u.nomem) return TM_ERR_NOMEM;
    tmi_x_meta_finish(x);
    return TM_OK;
}
