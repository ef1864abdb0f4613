/*
 * weak.c — placeholders that let `tamis` link while a subcommand's file is
 * being written; a real cmd_<name>.c overrides each one. They are never part
 * of a release: tests/unit check that every command listed in main.c runs.
 */
#include "cli.h"

#include <stdio.h>

static int missing(const char *name) {
    fprintf(stderr, "tamis %s: not built into this binary\n", name);
    return TM_EXIT_FAIL;
}

__attribute__((weak)) int tm_cmd_score(int argc, char **argv) { return missing("score"); }
__attribute__((weak)) int tm_cmd_filter(int argc, char **argv) { return missing("filter"); }
__attribute__((weak)) int tm_cmd_clean(int argc, char **argv) { return missing("clean"); }
__attribute__((weak)) int tm_cmd_dedup(int argc, char **argv) { return missing("dedup"); }
