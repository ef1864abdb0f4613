/*
 * options_int.h — what the option table (options.c) shares with the
 * configuration's YAML reader and printer (config.c) and the stages: the
 * enum and number forms the table uses, so that they are written once.
 */
#ifndef TM_OPTIONS_INT_H
#define TM_OPTIONS_INT_H

#include "tamis.h"

/* Index of v in choices "a|b|c", or -1; the name at idx into buf. */
int tmi_options_enum_index(const char *choices, const char *v);
const char *tmi_options_enum_name(const char *choices, int idx, char *buf, size_t size);
/* The shortest %g form of v that reads back as v. */
void tmi_options_fmt_double(char *out, size_t n, double v);
/* Sets key; yaml_only refuses keys that are not configuration keys. */
tm_error tmi_options_set_scoped(tm_run_config *c, const char *key, const char *value,
                                const char *label, int yaml_only, char *err, size_t err_size);
/* The message for an unknown key, with the nearest known key. */
tm_error tmi_options_unknown(const char *key, int yaml_only, char *err, size_t err_size);
/* The text of a STRING or LIST option in c. */
const char *tmi_options_str(const tm_run_config *c, const tm_option *o);
/* Frees the configuration's strings (and sets them to NULL). */
void tmi_options_free_strings(tm_run_config *c);
/* Checks a dedup.shingle value and, when sh is not NULL, sets sh. */
tm_error tmi_options_shingle(const char *v, tm_shingle_opts *sh, char *why, size_t size);
/* options_jobs.c: the rules of STRING and LIST options (the table's
 * check), "reason" into why for TM_ERR_ARG. */
tm_error tmi_options_check_shingle(const char *v, char *why, size_t size);
tm_error tmi_options_check_clean_ops(const char *v, char *why, size_t size);
tm_error tmi_options_check_langs(const char *v, char *why, size_t size);
tm_error tmi_options_check_signals(const char *v, char *why, size_t size);
/* config.c: "filter.rules.NAME" = a threshold; label names it in messages. */
tm_error tmi_run_config_set_rule(tm_run_config *c, const char *key, const char *value,
                                 const char *label, char *err, size_t err_size);

#endif
