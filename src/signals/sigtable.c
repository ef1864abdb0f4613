/*
 * sigtable.c — the signal table of include/tamis_signals.h expanded into
 * arrays (names, families, filter rules, presets) and the lookups by name:
 * tm_signal_name, tm_signal_lookup, tm_signal_mask_parse and those of
 * sigtable.h. The lowest file of src/signals: it calls nothing else there.
 */
#include "signals/sigtable.h"

#include "util/buf.h"

#include <stdio.h>
#include <string.h>

_Static_assert(TM_SIG_COUNT <= 64, "signal masks are 64-bit");
_Static_assert(TM_SIG_N_RULES <= TM_FILTER_MAX_RULES, "rule table too large");

#define NAME_(id, name, fam) name,
static const char *const sig_names[TM_SIG_COUNT] = {TM_SIGNALS(NAME_, TM_SIG_NOROW_)};
#undef NAME_

#define FAM_(id, name, fam) TM_FAM_##fam,
const unsigned char tmi_sig_family[TM_SIG_COUNT] = {TM_SIGNALS(FAM_, TM_SIG_NOROW_)};
#undef FAM_

#define FAMNAME_(fam, name) name,
const char *const tmi_sig_family_names[TM_FAM_COUNT] = {TM_SIGNAL_FAMILIES(FAMNAME_)};
#undef FAMNAME_

#define PRESET_(p, name, words, multilingual, langs) {name, TM_WORDS_##words, multilingual, langs},
const tm_sig_preset tmi_sig_presets[TM_PRESET_COUNT] = {TM_SIGNAL_PRESETS(PRESET_)};
#undef PRESET_

/* A rule's signal: TM_SIG_<ID>, or NONE. */
enum { TM_SIG_NONE = -1 };
#define TM_T(...)                                                                                  \
    { __VA_ARGS__ }
#define TM_HIST(lo, hi, log2) 1, lo, hi, log2
#define TM_NOHIST             0, 0, 0, 0
#define RULE_(rule, name, sig, kind, stage, thr, hist)                                             \
    {name, TM_SIG_##sig, TM_RK_##kind, TM_ST_##stage, thr, hist},
const tm_sig_rule tmi_sig_rules[TM_SIG_N_RULES] = {TM_SIGNALS(TM_SIG_NOROW_, RULE_)};
#undef RULE_

/* Every rule has one threshold per preset: a row with a column too few
 * would leave a preset's threshold 0 (the rule off) without a word. */
#define ARITY_(rule, name, sig, kind, stage, thr, hist)                                            \
    _Static_assert(sizeof((const double[])thr) == sizeof(double[TM_PRESET_COUNT]),                 \
                   "rule " name ": one threshold per preset");
TM_SIGNALS(TM_SIG_NOROW_, ARITY_)
#undef ARITY_

const char *tm_signal_name(int id) {
    return id >= 0 && id < TM_SIG_COUNT ? sig_names[id] : NULL;
}

int tm_signal_lookup(const char *name, size_t len) {
    for (int i = 0; i < TM_SIG_COUNT; i++)
        if (strlen(sig_names[i]) == len && memcmp(sig_names[i], name, len) == 0) return i;
    return -1;
}

void tmi_sig_family_masks(uint64_t *m) {
    for (int f = 0; f < TM_FAM_COUNT; f++) m[f] = 0;
    for (int i = 0; i < TM_SIG_COUNT; i++) m[tmi_sig_family[i]] |= TM_SIG_BIT(i);
}

uint64_t tmi_sig_family_mask(int family) {
    uint64_t m[TM_FAM_COUNT];
    if (family < 0 || family >= TM_FAM_COUNT) return 0;
    tmi_sig_family_masks(m);
    return m[family];
}

int tmi_sig_preset_lookup(const char *name) {
    for (int p = 0; name && p < TM_PRESET_COUNT; p++)
        if (!strcmp(tmi_sig_presets[p].name, name)) return p;
    return -1;
}

int tmi_sig_rule_lookup(const char *name, size_t len) {
    for (int r = 0; r < TM_SIG_N_RULES; r++)
        if (strlen(tmi_sig_rules[r].name) == len && !memcmp(tmi_sig_rules[r].name, name, len))
            return r;
    return -1;
}

tm_error tm_signal_mask_parse(const char *list, uint64_t *mask) {
    uint64_t m = 0;
    tmi_detail_clear();
    const char *p = list ? list : "";
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > 0) {
            int id = tm_signal_lookup(p, n), f = 0;
            if (id >= 0) {
                m |= TM_SIG_BIT(id);
            } else if (n == 3 && !memcmp(p, "all", 3)) {
                m |= TM_SIG_ALL;
            } else {
                while (f < TM_FAM_COUNT && (strlen(tmi_sig_family_names[f]) != n ||
                                            memcmp(tmi_sig_family_names[f], p, n)))
                    f++;
                if (f == TM_FAM_COUNT) {
                    tmi_detail_set("unknown signal '%.*s'", (int)n, p);
                    return TM_ERR_ARG;
                }
                m |= tmi_sig_family_mask(f);
            }
        }
        p += n;
        if (*p == ',') p++;
    }
    *mask = m;
    return TM_OK;
}
