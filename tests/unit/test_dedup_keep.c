/*
 * test_dedup_keep.c — the keep decisions of `tamis dedup` (decide.c) on
 * hand-made graphs: no removal through a chain, containment removes the
 * contained document in either input order, containers are decided before
 * what they contain, keep priorities, and results that do not depend on the
 * order edges arrive in or on the memory budget (spilled edge runs).
 */
#include "testutil.h"

#include "dedup/dedup.h"

#include <sys/stat.h>

#define N_MAX 64

/* A judge from a similarity table: sim[m][k] is TM_RULE_* for "m may go as
 * a copy of k"; containment is entered one way only (the smaller side). */
typedef struct table {
    int sim[N_MAX][N_MAX];
    uint32_t removed_m[N_MAX], removed_k[N_MAX];
    int removed_rule[N_MAX];
    size_t n_removed;
} table;

static tm_error judge(void *ctx, uint32_t m, uint32_t k, tm_verdict *v) {
    table *t = ctx;
    v->rule = t->sim[m][k];
    v->jaccard = v->rule == TM_RULE_JACCARD ? 0.9 : 0.3;
    v->containment = v->rule ? 0.95 : 0.3;
    return TM_OK;
}

static tm_error removed(void *ctx, uint32_t m, uint32_t k, const tm_verdict *v) {
    table *t = ctx;
    t->removed_m[t->n_removed] = m;
    t->removed_k[t->n_removed] = k;
    t->removed_rule[t->n_removed] = v->rule;
    t->n_removed++;
    return TM_OK;
}

static void sym(table *t, uint32_t a, uint32_t b) {
    t->sim[a][b] = t->sim[b][a] = TM_RULE_JACCARD;
}

typedef struct edge {
    uint32_t x, y, contained;
} edge;

static char dir[256];

/* Resolves n documents with the given edges (added in the given order) and
 * returns keeper[] in out. */
static void resolve(table *t, size_t n, const edge *e, size_t n_e, const uint32_t *order,
                    size_t n_order, uint64_t mem, uint32_t *out, tm_keeper_stats *st) {
    tm_keeper *k;
    assert_int_equal(tmi_keeper_new(&k, n, mem, dir), TM_OK);
    for (size_t i = 0; i < n_e; i++)
        assert_int_equal(tmi_keeper_add(k, e[i].x, e[i].y, e[i].contained), TM_OK);
    tm_keeper_cb cb = {t, judge, removed};
    t->n_removed = 0;
    assert_int_equal(tmi_keeper_resolve(k, order, n_order, out, &cb, st), TM_OK);
    tmi_keeper_free(k);
}

#define NONE UINT32_MAX

/* A~B, B~C, A and C dissimilar: C stays (union-find removed it as a copy
 * of A). When A~C holds but was no LSH candidate, C goes as a copy of A:
 * the pair is verified through B. */
static void t_no_chain(void **state) {
    (void)state;
    table t;
    memset(&t, 0, sizeof t);
    sym(&t, 0, 1);
    sym(&t, 1, 2);
    edge e[] = {{0, 1, NONE}, {1, 2, NONE}};
    uint32_t kb[3];
    tm_keeper_stats st;
    resolve(&t, 3, e, 2, NULL, 0, 1 << 20, kb, &st);
    assert_int_equal(kb[0], 0);
    assert_int_equal(kb[1], 0);
    assert_int_equal(kb[2], 2);
    assert_int_equal(st.chain_kept, 1);
    assert_int_equal(t.n_removed, 1);

    sym(&t, 0, 2);
    resolve(&t, 3, e, 2, NULL, 0, 1 << 20, kb, &st);
    assert_int_equal(kb[2], 0);
    assert_int_equal(st.chain_kept, 0);
    assert_int_equal(t.n_removed, 2);
    assert_int_equal(t.removed_m[1], 2);
    assert_int_equal(t.removed_k[1], 0);

    /* Keep priority 2, 1, 0 (--keep longest with C the longest): C is kept,
     * B goes for C, and A, similar to B only, stays. */
    memset(&t, 0, sizeof t);
    sym(&t, 0, 1);
    sym(&t, 1, 2);
    uint32_t order[] = {2, 1, 0};
    resolve(&t, 3, e, 2, order, 3, 1 << 20, kb, &st);
    assert_int_equal(kb[0], 0);
    assert_int_equal(kb[1], 2);
    assert_int_equal(kb[2], 2);
}

/* S is contained in L (only the containment rule accepts the pair): S goes
 * and L stays whichever comes first, and under any keep priority. */
static void t_containment_direction(void **state) {
    (void)state;
    for (int small_first = 0; small_first < 2; small_first++) {
        uint32_t s = small_first ? 0 : 1, l = small_first ? 1 : 0;
        table t;
        memset(&t, 0, sizeof t);
        t.sim[s][l] = TM_RULE_CONTAINMENT; /* never l as a copy of s */
        edge e[] = {{0, 1, s}};
        uint32_t kb[2];
        tm_keeper_stats st;
        resolve(&t, 2, e, 1, NULL, 0, 1 << 20, kb, &st);
        assert_int_equal(kb[s], l);
        assert_int_equal(kb[l], l);
        assert_int_equal(t.n_removed, 1);
        assert_int_equal(t.removed_rule[0], TM_RULE_CONTAINMENT);
        uint32_t order[] = {s, l}; /* the small one has the higher priority */
        resolve(&t, 2, e, 1, order, 2, 1 << 20, kb, &st);
        assert_int_equal(kb[s], l);
        assert_int_equal(kb[l], l);
    }
}

/* A in B in C (each pair by containment only, A in C too) and D, an exact
 * copy of A that comes last: containers are decided first, so C stays and
 * B, A and D go for it, in that order (D through A, as a copy of C). */
static void t_containment_chain(void **state) {
    (void)state;
    table t;
    memset(&t, 0, sizeof t);
    enum { A = 0, B = 1, C = 2, D = 3 };
    t.sim[A][B] = t.sim[B][C] = t.sim[A][C] = t.sim[D][B] = t.sim[D][C] = TM_RULE_CONTAINMENT;
    t.sim[A][D] = t.sim[D][A] = TM_RULE_EXACT;
    edge e[] = {{A, B, A}, {B, C, B}, {D, A, NONE}};
    uint32_t kb[4];
    tm_keeper_stats st;
    resolve(&t, 4, e, 3, NULL, 0, 1 << 20, kb, &st);
    assert_int_equal(kb[C], C);
    assert_int_equal(kb[B], C);
    assert_int_equal(kb[A], C);
    assert_int_equal(kb[D], C);
    assert_int_equal(t.n_removed, 3);
    assert_int_equal(t.removed_m[0], B);
    assert_int_equal(t.removed_m[1], A);
    assert_int_equal(t.removed_m[2], D);
    assert_int_equal(t.removed_rule[2], TM_RULE_CONTAINMENT);
}

/* A random graph: the same decisions whatever order the edges are added in
 * and with a budget so small that the edges spill to disk. */
static void t_order_and_spill(void **state) {
    (void)state;
    uint64_t s = 42;
    table t;
    memset(&t, 0, sizeof t);
    edge e[400];
    size_t n_e = 0;
    for (uint32_t x = 0; x < N_MAX; x++)
        for (uint32_t y = x + 1; y < N_MAX; y++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned r = (unsigned)(s >> 33) % 100;
            if (r < 6) {
                sym(&t, x, y);
                if (n_e < 400) e[n_e++] = (edge){x, y, NONE};
            } else if (r < 8) {
                /* containment: the larger number is the larger document */
                t.sim[x][y] = TM_RULE_CONTAINMENT;
                if (n_e < 400) e[n_e++] = (edge){x, y, x};
            } else if (r < 12) {
                sym(&t, x, y); /* similar, but not a candidate */
            }
        }
    uint32_t a[N_MAX], b[N_MAX];
    tm_keeper_stats sa, sb;
    resolve(&t, N_MAX, e, n_e, NULL, 0, 1 << 20, a, &sa);
    size_t removed_a = t.n_removed;
    assert_int_equal(sa.spill_runs, 0);
    for (size_t i = n_e; i > 1; i--) { /* reverse and flip every edge */
        edge x = e[i - 1];
        e[i - 1] = e[n_e - i];
        e[n_e - i] = x;
    }
    for (size_t i = 0; i < n_e; i++) {
        uint32_t x = e[i].x;
        e[i].x = e[i].y;
        e[i].y = x;
    }
    resolve(&t, N_MAX, e, n_e, NULL, 0, 4096, b, &sb);
    assert_true(sb.spill_runs > 0);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(t.n_removed, removed_a);
    assert_int_equal(sa.judged, sb.judged);
    /* Every removal is to a kept document that accepts it. */
    for (uint32_t m = 0; m < N_MAX; m++) {
        if (a[m] == m) continue;
        assert_int_equal(a[a[m]], a[m]);
        assert_int_not_equal(t.sim[m][a[m]], TM_RULE_NONE);
    }
    /* No kept document could have gone for an earlier kept one it has an
     * edge to (greedy in input order, containment aside). */
    for (size_t i = 0; i < n_e; i++) {
        uint32_t x = e[i].x < e[i].y ? e[i].x : e[i].y, y = e[i].x ^ e[i].y ^ x;
        if (a[x] == x && a[y] == y && e[i].contained == NONE) fail();
    }
}

/* An edge to a document that is not in the priority order is a bug. */
static void t_bad_edges(void **state) {
    (void)state;
    tm_keeper *k;
    assert_int_equal(tmi_keeper_new(&k, 3, 1 << 20, dir), TM_OK);
    assert_int_equal(tmi_keeper_add(k, 1, 1, NONE), TM_ERR_INTERNAL);
    assert_int_equal(tmi_keeper_add(k, 0, 3, NONE), TM_ERR_INTERNAL);
    assert_int_equal(tmi_keeper_add(k, 0, 1, 2), TM_ERR_INTERNAL);
    assert_int_equal(tmi_keeper_add(k, 0, 2, NONE), TM_OK);
    table t;
    memset(&t, 0, sizeof t);
    tm_keeper_cb cb = {&t, judge, removed};
    uint32_t kb[3], order[] = {0, 1};
    tm_keeper_stats st;
    assert_int_equal(tmi_keeper_resolve(k, order, 2, kb, &cb, &st), TM_ERR_INTERNAL);
    tmi_keeper_free(k);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/tamis-test-keep-%d", (int)getpid());
    mkdir(dir, 0700);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_no_chain),          cmocka_unit_test(t_containment_direction),
        cmocka_unit_test(t_containment_chain), cmocka_unit_test(t_order_and_spill),
        cmocka_unit_test(t_bad_edges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
