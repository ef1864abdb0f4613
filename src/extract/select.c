/*
 * select.c — picks a page's main content from the parsed nodes and writes
 * its text (paragraphs separated by blank lines).
 *
 * The scoring is Readability's (Mozilla's Readability.js, the algorithm of
 * readability-lxml): every paragraph-like block with enough text gives its
 * ancestors points (1 + commas + one per 100 bytes, at most 3), the parent
 * in full, the grandparent half, older ancestors a third per level, up to
 * five levels; a candidate starts from its tag (div +5, lists -3, headings
 * -5) and its class/id hints (25 points each); its final score is scaled by
 * (1 - link density). The best candidate and those of its siblings that
 * score at least a fifth of it (or are link-free prose) are the article.
 * Inside them, containers that look like boilerplate (negative hints, link
 * lists, tiny blocks) are dropped, as Readability's "clean conditionally".
 * All walks are loops over the node array (document order: a node's
 * descendants are the index range (i, end)), never recursion.
 */
#include "extract/extract_int.h"
#include "util/buf.h"

#include <string.h>

/* 2: paragraph break around it; 1: line break; 0: inline. */
static int block_level(int t) {
    switch (t) {
    case X_P:
    case X_DIV:
    case X_SECTION:
    case X_ARTICLE:
    case X_MAIN:
    case X_H1:
    case X_H2:
    case X_H3:
    case X_H4:
    case X_H5:
    case X_H6:
    case X_UL:
    case X_OL:
    case X_DL:
    case X_TABLE:
    case X_BLOCKQUOTE:
    case X_PRE:
    case X_FIGURE:
    case X_HR:
    case X_ADDRESS:
    case X_CENTER:
    case X_DETAILS:
    case X_HEADER:
    case X_FORM:
    case X_BODY:
    case X_CAPTION: return 2;
    case X_LI:
    case X_TR:
    case X_BR:
    case X_DT:
    case X_DD:
    case X_FIGCAPTION:
    case X_SUMMARY: return 1;
    default: return 0;
    }
}

static float tag_base(int t) {
    switch (t) {
    case X_DIV: return 5;
    case X_PRE:
    case X_TD:
    case X_BLOCKQUOTE: return 3;
    case X_ADDRESS:
    case X_OL:
    case X_UL:
    case X_DL:
    case X_DD:
    case X_DT:
    case X_LI:
    case X_FORM: return -3;
    case X_H1:
    case X_H2:
    case X_H3:
    case X_H4:
    case X_H5:
    case X_H6:
    case X_TH: return -5;
    default: return 0;
    }
}

static float link_density(const tm_xnode *n) {
    return n->text ? (float)n->link / (float)n->text : 0.f;
}

/* Readability's conditional clean of a container inside the article. */
static int boilerplate(const tm_xnode *n) {
    switch (n->tag) {
    case X_DIV:
    case X_SECTION:
    case X_UL:
    case X_OL:
    case X_TABLE:
    case X_FORM:
    case X_HEADER:
    case X_DL: break;
    default: return 0;
    }
    if (n->weight < 0) return 1;
    if (n->comma >= 10) return 0;
    /* a data table (header cells, a caption, or ten rows, and no table
     * inside: layout tables nest) is content, however many links its cells
     * hold (Readability's _markDataTables) */
    if (n->tag == X_TABLE && n->n_tab == 1 && (n->n_th > 0 || n->n_tr >= 10)) return 0;
    float ld = link_density(n);
    int list = n->tag == X_UL || n->tag == X_OL || n->tag == X_DL;
    /* a list of sentences that carry links (release notes, changelogs) is
     * prose; a menu or a "related" list has short items, or items that are
     * links through and through */
    if (list && n->n_li && n->text / n->n_li >= 40 && ld < 0.7f) return 0;
    if (n->weight <= 0 && ld > 0.33f) return 1;
    if (n->weight > 0 && ld > 0.5f) return 1;
    if (!list && n->tag != X_TABLE && n->text < 20 && n->n_img == 0) return 1;
    return 0;
}

/* Appends text with whitespace collapsed, opening the pending break first. */
typedef struct emit {
    tm_buf *out;
    int brk;      /* pending break: 0, 1 (line), 2 (paragraph) */
    int space;    /* pending space */
    int sep;      /* pending cell separator */
    uint32_t row; /* the row whose cell closed last */
    int clean;    /* drop boilerplate-looking containers */
} emit;

static tm_error put_break(emit *e) {
    tm_buf *o = e->out;
    if (o->len) {
        if (e->brk) {
            while (o->len && (o->data[o->len - 1] == ' ' || o->data[o->len - 1] == '\n')) o->len--;
            if (o->len && tmi_buf_append(o, "\n\n", (size_t)e->brk)) return TM_ERR_NOMEM;
        } else if (e->sep) {
            if (tmi_buf_append(o, " | ", 3)) return TM_ERR_NOMEM;
        } else if (e->space && o->data[o->len - 1] != '\n') {
            if (tmi_buf_putc(o, ' ')) return TM_ERR_NOMEM;
        }
    }
    e->brk = e->space = e->sep = 0;
    return TM_OK;
}

static tm_error put_text(emit *e, const char *s, size_t n, int pre) {
    if (pre) {
        /* verbatim, as one block */
        size_t i = 0;
        while (i < n && (s[i] == '\n' || s[i] == '\r')) i++;
        if (i == n) return TM_OK;
        if (put_break(e)) return TM_ERR_NOMEM;
        for (; i < n; i++)
            if (s[i] != '\r' && tmi_buf_putc(e->out, s[i])) return TM_ERR_NOMEM;
        return TM_OK;
    }
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        int sp = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        int nb = c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0;
        if (sp || nb) {
            e->space = 1;
            i += nb ? 2 : 1;
            continue;
        }
        size_t j = i;
        while (j < n) {
            unsigned char d = (unsigned char)s[j];
            if (d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == '\f' || d == '\v') break;
            if (d == 0xC2 && j + 1 < n && (unsigned char)s[j + 1] == 0xA0) break;
            j++;
        }
        if (put_break(e) || tmi_buf_append(e->out, s + i, j - i)) return TM_ERR_NOMEM;
        i = j;
    }
    return TM_OK;
}

/* Writes the text of node r's subtree, leaving out skipped and
 * boilerplate descendants. */
static tm_error emit_node(tm_extractor *x, uint32_t r, emit *e) {
    const tm_xnode *root = &x->nodes[r];
    for (uint32_t k = root->ev_open; k <= root->ev_close && k < x->n_ev; k++) {
        const tm_xevent *ev = &x->ev[k];
        if (ev->kind == XE_TEXT) {
            if (put_text(e, x->text.data + ev->a, ev->b, x->nodes[ev->c].flags & XF_INPRE))
                return TM_ERR_NOMEM;
            continue;
        }
        const tm_xnode *n = &x->nodes[ev->a];
        if (ev->kind == XE_OPEN) {
            if (ev->a != r && (n->skip || (e->clean && boilerplate(n)))) {
                k = n->ev_close; /* the loop steps past the close */
                continue;
            }
            /* a cell after another of the same row */
            if ((n->tag == X_TD || n->tag == X_TH) && n->parent == e->row && !e->brk) e->sep = 1;
        } else if (n->tag == X_TD || n->tag == X_TH) {
            e->row = n->parent;
        }
        int lv = block_level(n->tag);
        if (lv > e->brk) e->brk = lv;
    }
    return TM_OK;
}

/* Readability's corrections of the top candidate. (1) An article cut in
 * several blocks leaves near-equal candidates: when three of the five best
 * (each at least 3/4 of the top's score) sit under one ancestor of the
 * top, that ancestor is the article. (2) Going up while the parent scores
 * more (and at least a third) finds the container of split content. (3) An
 * only child stands for its parent. */
static uint32_t refine(tm_xnode *v, size_t nn, uint32_t top, float best) {
    enum { ALT = 5 };
    uint32_t alt[ALT];
    int n_alt = 0;
    for (size_t i = 0; i < nn; i++) {
        if (!v[i].scored || v[i].skip || i == top || v[i].score < 0.75f * best) continue;
        /* keep the ALT best, in a tiny insertion-sorted array */
        int k;
        if (n_alt < ALT) {
            k = n_alt++;
        } else {
            if (v[alt[ALT - 1]].score >= v[i].score) continue;
            k = ALT - 1;
        }
        while (k > 0 && v[alt[k - 1]].score < v[i].score) {
            alt[k] = alt[k - 1];
            k--;
        }
        alt[k] = (uint32_t)i;
    }
    if (n_alt >= 3) {
        for (uint32_t a = v[top].parent; a != UINT32_MAX && v[a].tag != X_BODY; a = v[a].parent) {
            int inside = 0;
            for (int k = 0; k < n_alt; k++) inside += alt[k] > a && alt[k] < v[a].end;
            if (inside >= 3) {
                top = a;
                break;
            }
        }
    }
    float last = v[top].scored ? v[top].score : 0.f, thr = last / 3.f;
    for (uint32_t a = v[top].parent; a != UINT32_MAX && v[a].tag != X_BODY; a = v[a].parent) {
        if (!v[a].scored) continue;
        if (v[a].score < thr) break;
        if (v[a].score > last) {
            top = a;
            break;
        }
        last = v[a].score;
    }
    for (uint32_t a = v[top].parent;
         a != UINT32_MAX && v[a].tag != X_BODY && a + 1 == top && v[top].end == v[a].end;
         a = v[a].parent)
        top = a;
    return top;
}

tm_error tmi_x_select(tm_extractor *x, int strict) {
    size_t nn = x->n_nodes;
    tm_xnode *v = x->nodes;
    tmi_buf_reset(&x->out);
    if (!nn) return TM_OK;
    /* 1. what is left out, inherited from ancestors */
    for (size_t i = 0; i < nn; i++) {
        tm_xnode *n = &v[i];
        int t = n->tag;
        n->skip = n->tag == X_HEAD;
        if (strict && (n->flags & XF_UNLIKELY) && t != X_BODY && t != X_HTML && t != X_ARTICLE &&
            t != X_MAIN && t != X_A && t != X_TD && t != X_TR && t != X_TABLE)
            n->skip = 1;
        if (n->parent != UINT32_MAX && v[n->parent].skip) n->skip = 1;
        n->text = n->own_text;
        n->link = n->own_link;
        n->comma = n->own_comma;
        n->n_p = t == X_P;
        n->n_li = t == X_LI;
        n->n_img = t == X_IMG;
        n->n_tr = t == X_TR;
        n->n_th = t == X_TH || t == X_CAPTION || t == X_THEAD;
        n->n_tab = t == X_TABLE;
        n->score = 0;
        n->scored = 0;
    }
    /* 2. subtree totals, children before parents */
    for (size_t i = nn; i-- > 0;) {
        tm_xnode *n = &v[i];
        if (n->skip || n->parent == UINT32_MAX) continue;
        tm_xnode *p = &v[n->parent];
        p->text += n->text;
        p->link += n->link;
        p->comma += n->comma;
        p->n_p += n->n_p;
        p->n_li += n->n_li;
        p->n_img += n->n_img;
        p->n_tr += n->n_tr;
        p->n_th += n->n_th;
        p->n_tab += n->n_tab;
    }
    /* 3. paragraphs score their ancestors */
    for (size_t i = 0; i < nn; i++) {
        tm_xnode *n = &v[i];
        if (n->skip || n->text < 20) continue;
        int t = n->tag;
        int para = t == X_P || t == X_PRE || t == X_TD || t == X_SECTION ||
                   (t >= X_H2 && t <= X_H6) ||
                   ((t == X_DIV || t == X_OTHER || t == X_ARTICLE || t == X_MAIN) &&
                    n->own_text >= 20 && n->own_text * 2 > n->text);
        if (!para) continue;
        float cs = 1.f + (float)n->comma + (float)(n->text / 100 < 3 ? n->text / 100 : 3);
        uint32_t a = n->parent;
        for (int level = 0; level < 5 && a != UINT32_MAX; level++, a = v[a].parent) {
            tm_xnode *an = &v[a];
            if (an->tag == X_HTML) break;
            if (!an->scored) {
                an->scored = 1;
                an->score = tag_base(an->tag) + 25.f * (float)an->weight;
            }
            an->score += level == 0 ? cs : level == 1 ? cs / 2.f : cs / (float)(level * 3);
        }
    }
    /* 4. the best candidate */
    uint32_t top = UINT32_MAX, body = UINT32_MAX;
    float best = 0;
    for (size_t i = 0; i < nn; i++) {
        tm_xnode *n = &v[i];
        if (n->tag == X_BODY && body == UINT32_MAX) body = (uint32_t)i;
        if (!n->scored || n->skip) continue;
        n->score *= 1.f - link_density(n);
        if (top == UINT32_MAX || n->score > best) {
            top = (uint32_t)i;
            best = n->score;
        }
    }
    if (top != UINT32_MAX) top = refine(v, nn, top, best);
    if (top != UINT32_MAX) best = v[top].scored ? v[top].score : best;
    emit e = {&x->out, 0, 0, 0, UINT32_MAX, 1};
    if (top == UINT32_MAX) {
        /* no paragraph anywhere: the whole body */
        uint32_t r = body != UINT32_MAX ? body : 0;
        e.clean = 0;
        if (!v[r].skip && emit_node(x, r, &e)) return TM_ERR_NOMEM;
    } else {
        /* 5. the top candidate with its qualifying siblings */
        uint32_t p = v[top].parent;
        float thr = best * 0.2f > 10.f ? best * 0.2f : 10.f;
        if (p == UINT32_MAX || v[top].tag == X_BODY) {
            if (emit_node(x, top, &e)) return TM_ERR_NOMEM;
        } else {
            for (uint32_t c = p + 1; c < v[p].end; c = v[c].end) {
                tm_xnode *s = &v[c];
                int take = c == top;
                if (!take && !s->skip) {
                    float ld = link_density(s);
                    if (s->scored && s->score >= thr)
                        take = 1;
                    else if (s->tag == X_P && s->text > 80 && ld < 0.25f)
                        take = 1;
                    else if (s->tag == X_P && s->text > 0 && ld == 0.f && s->comma > 0)
                        take = 1;
                }
                if (take && emit_node(x, c, &e)) return TM_ERR_NOMEM;
                if (take && e.brk < 2) e.brk = 2;
            }
        }
    }
    tm_buf *o = &x->out;
    while (o->len && (o->data[o->len - 1] == ' ' || o->data[o->len - 1] == '\n')) o->len--;
    if (tmi_buf_reserve(o, 1)) return TM_ERR_NOMEM;
    o->data[o->len] = '\0';
    return TM_OK;
}
