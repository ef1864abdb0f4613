/*
 * cmd_extract.c — `tamis extract`: WARC responses, HTML files and JSONL
 * records holding HTML to documents with the page's main text and metadata;
 * pages that give nothing are removed with their reason.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: tamis extract INPUT... [-o OUT] [--removed REMOVED] [options]\n"
    "\n"
    "Reads WARC response records (HTTP status, headers, chunked and gzip\n"
    "payloads, charset), HTML files and JSONL with an HTML field, and writes one\n"
    "document {\"id\",\"text\",\"metadata\"} a page: the main text, paragraphs\n"
    "separated by blank lines, and title, url, canonical_url, date, author,\n"
    "site_name, html_lang, charset where the page has them. Non-HTML payloads,\n"
    "redirects, HTTP errors and pages without main text are removed with\n"
    "\"tamis\":{\"removed_by\":\"extract.REASON\"}. WET records pass unchanged.\n"
    "Algorithm and limits: docs/EXTRACT.md.\n"
    "\n"
    "outputs and fields:\n"
    "  -o, --output FILE      documents (default stdout); .gz/.zst compress\n"
    "  --removed FILE         removed records (default: not written)\n"
    "  --html-field PATH      JSONL: the field holding the HTML (default text)\n"
    "  --stats-json FILE      write the counts per reason as JSON\n"
    "  -v, --verbose          a summary and removals per reason on stderr\n";

int tm_cmd_extract(int argc, char **argv) {
    tm_cli c;
    tm_cli_init(&c, "extract", usage, argc);
    const char *stats_json = NULL;
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        if (tm_cli_common(&c, argc, argv, &i)) continue;
        if (tm_cli_is_opt(a, "--html-field")) {
            /* the reader's text field, under the name it has here */
            tm_cli_set(&c, "reader.text_field", tm_cli_value(&c, argc, argv, &i), "--html-field");
        } else if (tm_cli_is_opt(a, "--stats-json")) {
            stats_json = tm_cli_value(&c, argc, argv, &i);
        } else {
            tm_cli_positional(&c, argv[i++]);
            continue;
        }
        i++;
    }
    tm_cli_finish(&c);
    c.empty_is_removal = 1; /* a page without text is removed as "empty", not lost */
    tm_extract_stats xs;
    memset(&xs, 0, sizeof xs);
    tm_error e = tm_job_extract(&c.job, &xs);
    int rc = tm_cli_done(&c, e, &xs.base);
    if (rc == TM_EXIT_OK && c.verbose) {
        for (int k = 0; k < TM_XR_N; k++)
            if (xs.removed_by[k])
                fprintf(stderr, "  removed as %-12s %llu\n", tm_extract_reason_name(k),
                        (unsigned long long)xs.removed_by[k]);
        if (xs.truncated)
            fprintf(stderr, "  pages over a parse cap  %llu\n", (unsigned long long)xs.truncated);
    }
    if (rc == TM_EXIT_OK && stats_json) {
        tm_buf b = {0};
        if (tm_extract_stats_to_json(&xs, &b) == TM_OK &&
            tm_cli_write_text(&c, stats_json, b.data, b.len))
            rc = TM_EXIT_FAIL;
        tm_buf_free(&b);
    }
    tm_cli_free(&c);
    return rc;
}
