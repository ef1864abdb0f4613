/*
 * extract_int.h — internal interface of the HTML extractor (src/extract).
 *
 * sax.c turns one UTF-8 HTML page into a compact, bounded representation
 * with libxml2's HTML parser driven through SAX callbacks (no libxml2 tree
 * is built): an array of element nodes in document order (a node's
 * descendants are the index range (i, end)), an event stream of opens,
 * closes and text runs, and the page's metadata. select.c scores the
 * nodes, picks the main content and writes its text. Nothing here opens a
 * file or recurses over the tree: every walk is a loop over index ranges.
 */
#ifndef TM_EXTRACT_INT_H
#define TM_EXTRACT_INT_H

#include "tamis.h"

#include <stdint.h>

/* Hard caps, per page. Past them the page is still parsed (libxml2 keeps
 * going) but no more nodes or events are recorded, and the result says it
 * was truncated: memory stays bounded whatever the input. */
#define TM_X_MAX_DEPTH  256        /* element nesting kept as nodes */
#define TM_X_MAX_NODES  400000     /* element nodes */
#define TM_X_MAX_EVENTS 1600000    /* opens + closes + text runs */
#define TM_X_MAX_META   2048       /* bytes of one metadata value */
#define TM_X_MAX_TEXT   (8u << 20) /* bytes of text runs kept */

/* Tags the extractor knows; everything else is X_OTHER (inline). */
enum {
    X_OTHER = 0,
    X_HTML,
    X_HEAD,
    X_BODY,
    X_TITLE,
    X_META,
    X_LINK,
    X_SCRIPT,
    X_STYLE,
    X_NOSCRIPT,
    X_TEMPLATE,
    X_SVG,
    X_MATH,
    X_IFRAME,
    X_OBJECT,
    X_EMBED,
    X_CANVAS,
    X_SELECT,
    X_BUTTON,
    X_INPUT,
    X_TEXTAREA,
    X_NAV,
    X_ASIDE,
    X_FOOTER,
    X_HEADER,
    X_FORM,
    X_MENU,
    X_DIALOG,
    X_P,
    X_DIV,
    X_SECTION,
    X_ARTICLE,
    X_MAIN,
    X_H1,
    X_H2,
    X_H3,
    X_H4,
    X_H5,
    X_H6,
    X_UL,
    X_OL,
    X_LI,
    X_DL,
    X_DT,
    X_DD,
    X_TABLE,
    X_TR,
    X_TD,
    X_TH,
    X_CAPTION,
    X_BLOCKQUOTE,
    X_PRE,
    X_FIGURE,
    X_FIGCAPTION,
    X_HR,
    X_BR,
    X_ADDRESS,
    X_CENTER,
    X_DETAILS,
    X_SUMMARY,
    X_A,
    X_IMG,
    X_TIME,
    X_CODE,
    X_TBODY,
    X_THEAD,
    X_TFOOT,
    X_N_TAGS
};

/* Node flags. */
enum {
    XF_HIDDEN = 1,   /* hidden attribute, aria-hidden, display:none */
    XF_UNLIKELY = 2, /* class/id says boilerplate (and nothing says content) */
    XF_DROP = 4,     /* the tag is never text (script, nav, form controls...) */
    XF_INLINK = 8,   /* inside an <a> */
    XF_INPRE = 16,   /* inside a <pre> */
};

typedef struct tm_xnode {
    uint32_t parent;  /* UINT32_MAX for a top-level node */
    uint32_t end;     /* one past the last descendant */
    uint32_t ev_open; /* index of its open event; its close is ev_close */
    uint32_t ev_close;
    uint16_t tag;
    uint8_t flags;
    int8_t weight;              /* class/id hint: -2..+2 (25 points each when scored) */
    uint32_t own_text;          /* non-space bytes of its own text runs */
    uint32_t own_link;          /* of those, inside a link */
    uint32_t own_comma;         /* commas (Latin, Arabic, CJK) in its own text */
    uint32_t text, link, comma; /* the same over the kept subtree */
    uint32_t n_p, n_li, n_img;  /* <p>, <li>, <img> in the kept subtree */
    uint32_t n_tr, n_th, n_tab; /* rows, header cells (or captions), tables */
    float score;
    uint8_t scored; /* score initialised (a candidate) */
    uint8_t skip;   /* dropped from the output (itself or an ancestor) */
} tm_xnode;

/* Events: an open or close of a node, or a text run in text[off, off+len). */
enum { XE_OPEN = 0, XE_CLOSE = 1, XE_TEXT = 2 };
typedef struct tm_xevent {
    uint32_t kind;
    uint32_t a; /* node (open/close) or text offset */
    uint32_t b; /* text length; for a run, the node it belongs to in c */
    uint32_t c;
} tm_xevent;

/* Metadata slots, each a NUL-terminated string in the extractor's meta
 * buffer; a slot is filled by the first source of the highest rank. */
enum { XM_TITLE, XM_CANONICAL, XM_DATE, XM_AUTHOR, XM_SITE, XM_LANG, XM_N };

/* A cached class/id hint (sax.c, hints_of). */
#define TM_X_HINT_CACHE 512
typedef struct tm_xhint {
    char key[47];
    uint8_t bits, used;
} tm_xhint;

struct tm_extractor {
    /* the parse */
    tm_xnode *nodes;
    size_t n_nodes, cap_nodes;
    tm_xevent *ev;
    size_t n_ev, cap_ev;
    tm_buf text; /* raw text runs, as parsed */
    uint32_t stack[TM_X_MAX_DEPTH];
    unsigned depth; /* open nodes on stack */
    unsigned deep;  /* open elements past the depth cap */
    unsigned in_title, in_script_ld, in_skip;
    int truncated;
    /* metadata: value and rank of every slot */
    char meta[XM_N][TM_X_MAX_META];
    int meta_rank[XM_N];
    tm_buf title_buf, ld; /* <title> text, JSON-LD scripts */
    uint32_t bylines[8];  /* elements that look like a byline (class, rel, itemprop) */
    int n_bylines;
    tm_xhint hint_cache[TM_X_HINT_CACHE]; /* kept across pages: a pure function */
    /* the output */
    tm_buf out, alt, nul_free;
};

/* meta.c: sets a slot from v[0..n) (trimmed, whitespace collapsed, cut at
 * TM_X_MAX_META) unless a source of equal or higher rank set it. */
void tmi_x_meta_set(tm_extractor *x, int slot, int rank, const char *v, size_t n);
/* After the parse: <title>, JSON-LD and byline elements into their slots. */
void tmi_x_meta_finish(tm_extractor *x);

/* sax.c: parses html[0..n) (UTF-8) into x. TM_ERR_NOMEM only. */
tm_error tmi_x_parse(tm_extractor *x, const char *html, size_t n);
int tmi_x_tag(const char *name);

/* select.c: scores x and writes the main text into x->out. strict: drop
 * XF_UNLIKELY nodes (the first try; the second, when it yields little,
 * keeps them). */
tm_error tmi_x_select(tm_extractor *x, int strict);

#endif
