/*
 * options.c — the flags of every command read through the library's option
 * table (tm_option_*): a flag is looked up for the command, its value set by
 * tm_options_set, which checks it as a configuration key is checked, and
 * the command's --help lists the table's flags with their defaults. What is
 * left to each command is what only the command line has: outputs, -q, -v.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    unsigned bit;
} commands[] = {
    {"cat", TM_CMD_CAT},       {"stats", TM_CMD_STATS},     {"score", TM_CMD_SCORE},
    {"filter", TM_CMD_FILTER}, {"extract", TM_CMD_EXTRACT}, {"clean", TM_CMD_CLEAN},
    {"dedup", TM_CMD_DEDUP},   {"run", TM_CMD_RUN},
};

unsigned tm_cli_command_bit(const char *cmd) {
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(commands[i].name, cmd)) return commands[i].bit;
    return 0;
}

void tm_cli_set(tm_cli *c, const char *key, const char *value, const char *label) {
    tm_error e = tm_options_set(c->cfg, key, value, label);
    if (e == TM_ERR_ARG) tm_cli_usage_error(c, "%s", tm_error_detail());
    if (e) {
        fprintf(stderr, "tamis %s: %s\n", c->cmd, tm_strerror(e));
        exit(TM_EXIT_FAIL);
    }
}

int tm_cli_table_option(tm_cli *c, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    char name[64];
    const char *attached = NULL; /* "-j2": the value after a short flag */
    if (a[0] != '-' || !a[1]) return 0;
    if (a[1] == '-') {
        size_t n = strcspn(a, "=");
        if (n >= sizeof name) return 0;
        memcpy(name, a, n);
        name[n] = '\0';
    } else {
        name[0] = '-', name[1] = a[1], name[2] = '\0';
        if (a[2]) attached = a + 2;
    }
    const tm_option *o = tm_option_by_flag(name, c->cmd_bit);
    if (!o) return 0;
    /* a flag without a value takes none: "--exact=1" stays unknown */
    if (!o->arg && (attached || strchr(a, '='))) return 0;
    if (attached && !o->arg) return 0;
    const char *v = o->preset;
    if (o->arg) v = attached ? attached : tm_cli_value(c, argc, argv, i);
    /* the first flag of a group clears the group: --paragraphs alone is
     * paragraphs only, not added to the default exact and near */
    if (o->group > 0 && !(c->groups_seen & (1u << o->group))) {
        c->groups_seen |= 1u << o->group;
        for (size_t k = 0; k < tm_option_count(); k++) {
            const tm_option *g = tm_option_get(k);
            if (g->group == o->group) tm_cli_set(c, g->key, "false", NULL);
        }
    }
    /* tamis run names its configuration keys, which its flags set */
    int by_key = c->label_keys && (o->flags & TM_OPT_F_YAML);
    tm_cli_set(c, o->key, v, by_key ? o->key : o->flag);
    (*i)++;
    return 1;
}

/* Appends words of text to a help line that starts at column col,
 * wrapping at 79 columns under column 25. */
static void wrap(FILE *f, const char *text, size_t col) {
    const size_t indent = 25, width = 79;
    int first = 1;
    for (const char *p = text; *p;) {
        size_t w = strcspn(p, " ");
        if (!first && col + 1 + w > width) {
            fprintf(f, "\n%*s", (int)indent, "");
            col = indent;
        } else {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, w, f);
        col += w;
        p += w;
        while (*p == ' ') p++;
        first = 0;
    }
    fputc('\n', f);
}

void tm_cli_print_help(const tm_cli *c, FILE *f) {
    fputs(c->usage, f);
    fputs("\noptions (their configuration keys in docs/CONFIG.md):\n", f);
    tm_run_config *fresh;
    if (tm_run_config_new(&fresh)) return;
    for (size_t k = 0; k < tm_option_count(); k++) {
        const tm_option *o = tm_option_get(k);
        if (!o->flag || !(o->commands & c->cmd_bit)) continue;
        char flag[64], help[512], def[128];
        snprintf(flag, sizeof flag, "%s%s%s%s%s", o->short_flag ? o->short_flag : "",
                 o->short_flag ? ", " : "", o->flag, o->arg ? " " : "", o->arg ? o->arg : "");
        tm_options_value(fresh, o->key, def, sizeof def);
        unsigned long long n = strtoull(def, NULL, 10);
        if (o->type == TM_OPT_SIZE && n >= 1024 && n % 1024 == 0) /* 64M, not 67108864 */
            snprintf(def, sizeof def, "%llu%s", n % 1048576 ? n / 1024 : n / 1048576,
                     n % 1048576 ? "K" : "M");
        if (!o->arg && strcmp(o->preset, "true"))
            snprintf(help, sizeof help, "sets %s to %s (%s: %s)", o->key, o->preset, o->key,
                     o->help);
        else
            snprintf(help, sizeof help, "%s%s%s", o->help, o->type == TM_OPT_ENUM ? ": " : "",
                     o->type == TM_OPT_ENUM ? o->choices : "");
        if (o->arg && *def) {
            size_t len = strlen(help);
            snprintf(help + len, sizeof help - len, " (default %s)", def);
        }
        int col = fprintf(f, "  %-22s", flag);
        wrap(f, help, col > 0 ? (size_t)col : 0);
    }
    tm_run_config_free(fresh);
    if (c->cmd_bit != TM_CMD_RUN) fputs(TM_CLI_READ_HELP, f);
}
