/*
 * extract_parse.c — parser measurements behind docs/EXTRACT.md: the same
 * HTML pages parsed by libxml2 into its tree (htmlReadMemory + xmlFreeDoc,
 * as lxml does), by libxml2's SAX interface with empty callbacks, and by the
 * whole extractor (tm_extract_html: SAX into the bounded node array, scoring,
 * text). One thread; prints MB/s of HTML for each over all files given, best
 * of 3 passes.
 *
 * Built and run by bench/extract.sh (make bench-extract).
 */
#include "tamis.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void nop_start(void *c, const xmlChar *n, const xmlChar **a) {
    (void)c, (void)n, (void)a;
}
static void nop_end(void *c, const xmlChar *n) {
    (void)c, (void)n;
}
static void nop_text(void *c, const xmlChar *s, int n) {
    (void)c, (void)s, (void)n;
}
static void nop_err(void *c, xmlErrorPtr e) {
    (void)c, (void)e;
}

static const int OPTS = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                        HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT;

int main(int argc, char **argv) {
    size_t n = (size_t)argc - 1, total = 0;
    char **buf = calloc(n, sizeof *buf);
    size_t *len = calloc(n, sizeof *len);
    for (size_t i = 0; i < n; i++) {
        FILE *f = fopen(argv[i + 1], "rb");
        if (!f) return 1;
        fseek(f, 0, SEEK_END);
        len[i] = (size_t)ftell(f);
        fseek(f, 0, SEEK_SET);
        buf[i] = malloc(len[i] + 1);
        if (fread(buf[i], 1, len[i], f) != len[i]) return 1;
        fclose(f);
        total += len[i];
    }
    xmlInitParser();
    tm_extractor *x;
    tm_extractor_new(&x);
    const char *names[3] = {"libxml2 tree (htmlReadMemory + xmlFreeDoc)",
                            "libxml2 SAX, empty callbacks",
                            "tm_extract_html (SAX + nodes + scoring + text)"};
    for (int mode = 0; mode < 3; mode++) {
        double best = 1e9;
        for (int pass = 0; pass < 3; pass++) {
            double t0 = now();
            for (size_t i = 0; i < n; i++) {
                if (mode == 0) {
                    htmlDocPtr d = htmlReadMemory(buf[i], (int)len[i], NULL, "UTF-8", OPTS);
                    if (d) xmlFreeDoc(d);
                } else if (mode == 1) {
                    htmlParserCtxtPtr c = htmlCreateMemoryParserCtxt(buf[i], (int)len[i]);
                    htmlSAXHandler sax;
                    memset(&sax, 0, sizeof sax);
                    sax.initialized = XML_SAX2_MAGIC;
                    sax.startElement = nop_start;
                    sax.endElement = nop_end;
                    sax.characters = nop_text;
                    sax.serror = nop_err;
                    memcpy(c->sax, &sax, sizeof sax);
                    htmlCtxtUseOptions(c, OPTS);
                    xmlSwitchEncoding(c, XML_CHAR_ENCODING_UTF8); /* as the extractor */
                    htmlParseDocument(c);
                    htmlFreeParserCtxt(c);
                } else {
                    tm_extracted r;
                    tm_extract_html(x, buf[i], len[i], &r);
                }
            }
            double t = now() - t0;
            if (t < best) best = t;
        }
        printf("%-48s %7.1f MB/s\n", names[mode], (double)total / best / 1e6);
    }
    tm_extractor_free(x);
    return 0;
}
