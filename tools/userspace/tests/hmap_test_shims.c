// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_shims": what only the userspace shims can do, in
 * manual mode (no background threads: grace periods and work items run
 * when a case asks, the clock moves only when it moves it), so every run
 * takes the same path. Allocation failures by count, the worker's idle
 * delay to the jiffy, the caches (cache_objs over its maximum, grace
 * periods that run only when asked for, their locking under PREEMPT_RT's
 * rules, the shrinker, cache_objs=0), and the read hook: writes made
 * between a lockless reader's steps. Everything else is tested once, in
 * the suites of kunit/.
 */
#include <stdlib.h>

#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/memcontrol.h>
#include <shim.h>

#include "hmap_cache.h"
#include "hmap_core.h"
#include "hmap_test.h"
#include <shim/kunit.h>

SHIM_PARAM_DECLARE(cache_objs, unsigned int);

/* The core's worker waits this long after the last write, by default. */
#define BG_IDLE		msecs_to_jiffies(HMAP_EVAC_DELAY_MS)

static void run_worker(void)
{
	shim_advance_jiffies(BG_IDLE);
	shim_run_work();
}

/*
 * A reference model: gen[i] is the generation of key i's value, 0 while
 * absent. With @enomem_ok an injected -ENOMEM is an allowed outcome
 * (and must leave the map as it was).
 */
struct model {
	struct kunit *test;
	struct hmap *map;
	u32 ks, vs, n;
	u32 *gen;
	u64 count;
	bool enomem_ok;
	u8 *key, *val;
};

static struct model *model_new(struct kunit *test, struct hmap *map, u32 n)
{
	struct model *m = hmap_test_buf(test, sizeof(*m));
	struct hmap_info *info = hmap_test_info(test, map);

	m->test = test;
	m->map = map;
	m->ks = info->key_size;
	m->vs = info->value_size;
	m->n = n;
	m->gen = hmap_test_buf(test, n * sizeof(*m->gen));
	m->key = hmap_test_buf(test, m->ks);
	m->val = hmap_test_buf(test, m->vs);
	return m;
}

static int model_update(struct model *m, u32 i, u32 gen, u64 flags)
{
	bool had = m->gen[i];
	int want = flags == HMAP_UPDATE_NOEXIST && had ? -EEXIST :
		   flags == HMAP_UPDATE_EXIST && !had ? -ENOENT : 0;
	int err;

	hmap_test_key(m->key, m->ks, i);
	hmap_test_value(m->val, m->vs, i, gen);
	err = hmap_update(m->map, m->key, m->val, flags, GFP_KERNEL);
	if (err == -ENOMEM && m->enomem_ok)
		return err;
	KUNIT_EXPECT_EQ_MSG(m->test, err, want, "update of key %u", i);
	if (!err) {
		m->count += !had;
		m->gen[i] = gen;
	}
	return err;
}

static int model_delete(struct model *m, u32 i)
{
	int err;

	hmap_test_key(m->key, m->ks, i);
	err = hmap_delete(m->map, m->key, GFP_KERNEL);
	if (err == -ENOMEM && m->enomem_ok)
		return err;
	KUNIT_EXPECT_EQ_MSG(m->test, err, m->gen[i] ? 0 : -ENOENT, "delete of key %u", i);
	if (!err) {
		m->count--;
		m->gen[i] = 0;
	}
	return err;
}

/* Count, every key looked up, and the core's own invariants. */
static void model_check(struct model *m, const char *when)
{
	u32 i, wrong = 0, first = 0;
	int err;

	KUNIT_ASSERT_EQ_MSG(m->test, hmap_count(m->map), m->count, "%s: count", when);
	for (i = 0; i < m->n; i++) {
		hmap_test_key(m->key, m->ks, i);
		err = hmap_lookup(m->map, m->key, m->val);
		if (m->gen[i] ? err || !hmap_test_value_ok(m->val, m->vs, i, m->gen[i]) :
		    err != -ENOENT)
			first = wrong++ ? first : i;
	}
	KUNIT_ASSERT_EQ_MSG(m->test, wrong, 0U, "%s: %u keys wrong, first %u",
			    when, wrong, first);
	KUNIT_ASSERT_EQ_MSG(m->test, hmap_verify(m->map), 0, "%s: hmap_verify()", when);
}

static u32 growth(struct hmap *map)
{
	struct hmap_info info;

	hmap_get_info(map, &info);
	return info.growth;
}

/* ---- allocation failures by count ---- */

static void create_fails_cleanly_without_memory(struct kunit *test)
{
	struct hmap_params p = { .key_size = 200, .value_size = 300 };
	unsigned long live = shim_alloc_live(), nth;
	struct hmap *map = NULL;

	for (nth = 1; nth < 100; nth++) {
		shim_alloc_fail_nth(nth);
		map = hmap_create(&p);
		shim_alloc_fail_off();
		if (!IS_ERR(map))
			break;
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(map), -ENOMEM, "allocation %lu", nth);
		shim_quiesce();
		KUNIT_EXPECT_EQ_MSG(test, shim_alloc_live(), live,
				    "leaked when allocation %lu failed", nth);
	}
	KUNIT_EXPECT_GT_MSG(test, nth, 2UL, "create made %lu allocations", nth - 1);
	if (!IS_ERR(map))
		hmap_destroy(map);
}

enum { OP_UPDATE, OP_DELETE, OP_CLEAR };

/*
 * A write fails at each of its allocations in turn: -ENOMEM, and the map
 * holds what it held before; then it succeeds.
 */
static void fail_each_allocation(struct model *m, int op, u32 k, const char *when)
{
	unsigned long nth;
	int err;

	for (nth = 1; nth < 64; nth++) {
		shim_alloc_fail_nth(nth);
		if (op == OP_UPDATE) {
			err = model_update(m, k, 7, HMAP_UPDATE_ANY);
		} else if (op == OP_DELETE) {
			err = model_delete(m, k);
		} else {
			err = hmap_clear(m->map, GFP_KERNEL);
			if (!err) {
				memset(m->gen, 0, m->n * sizeof(*m->gen));
				m->count = 0;
			}
		}
		shim_alloc_fail_off();
		if (err != -ENOMEM)
			break;
		if (nth % 4 == 1)
			model_check(m, when);
	}
	KUNIT_EXPECT_LT_MSG(m->test, nth, 64UL, "%s: op %d never succeeded", when, op);
	model_check(m, when);
}

struct fail_sizes {
	u32 ks, vs;
};

static const struct fail_sizes fail_sizes[] = { { 8, 8 }, { 129, 200 }, { 16, 0 } };

static void fail_sizes_desc(const struct fail_sizes *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "key_size_%u_value_size_%u", p->ks, p->vs);
}

KUNIT_ARRAY_PARAM(fail_sizes, fail_sizes, fail_sizes_desc);

static void writes_fail_cleanly_without_memory(struct kunit *test)
{
	const struct fail_sizes *p = test->param_value;
	struct hmap *map = hmap_test_create(test, p->ks, p->vs, 0);
	struct model *m = model_new(test, map, 4000);
	struct hmap_info info;
	u32 i, next;

	m->enomem_ok = true;
	for (next = 0; next < 400; next++)		/* at rest, with overflow chains */
		model_update(m, next, 1, HMAP_UPDATE_ANY);
	run_worker();
	fail_each_allocation(m, OP_UPDATE, next++, "insert at rest");
	fail_each_allocation(m, OP_UPDATE, 3, "update at rest");
	fail_each_allocation(m, OP_DELETE, 4, "delete at rest");
	while (growth(map) == HMAP_GROWTH_NONE)	/* growing: writes evacuate */
		model_update(m, next++, 1, HMAP_UPDATE_ANY);
	for (i = 0; i < 20 && growth(map) != HMAP_GROWTH_NONE; i++) {
		fail_each_allocation(m, OP_UPDATE, next++, "insert growing");
		fail_each_allocation(m, OP_UPDATE, i * 5, "update growing");
		fail_each_allocation(m, OP_DELETE, i * 5 + 1, "delete growing");
	}
	while (growth(map) != HMAP_GROWTH_NONE)	/* the insert that starts a grow */
		model_update(m, next++, 1, HMAP_UPDATE_ANY);
	hmap_get_info(map, &info);
	while (!(m->count + 1 > 8 && (m->count + 1) * 2 > (13ULL << info.B)))
		model_update(m, next++, 1, HMAP_UPDATE_ANY);
	fail_each_allocation(m, OP_UPDATE, next++, "insert starting a grow");
	for (i = 0; i < next && growth(map) != HMAP_GROWTH_SHRINK; i++)
		if (m->gen[i])
			model_delete(m, i);
	KUNIT_EXPECT_EQ_MSG(test, growth(map), (u32)HMAP_GROWTH_SHRINK, "no shrink");
	for (; i < next && growth(map) == HMAP_GROWTH_SHRINK; i += 2)
		if (m->gen[i])
			fail_each_allocation(m, OP_DELETE, i, "delete shrinking");
	fail_each_allocation(m, OP_CLEAR, 0, "clear");
}

/* A delete that should start a shrink but has no memory leaves it to the worker. */
static void failed_shrink_start_is_left_to_worker(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct model *m = model_new(test, map, 1000);
	struct hmap_info *info;
	u32 i;

	for (i = 0; i < 832; i++)		/* 6.5 * 128: B = 7, full */
		model_update(m, i, 1, HMAP_UPDATE_ANY);
	run_worker();
	for (i = 0; m->count > 209; i++)	/* a shrink at 13 * 128 / 8 = 208 */
		model_delete(m, i);
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ(test, info->B, 7U);
	KUNIT_ASSERT_EQ(test, info->growth, (u32)HMAP_GROWTH_NONE);
	shim_alloc_fail_all(true);
	KUNIT_EXPECT_EQ(test, model_delete(m, i++), 0);
	shim_alloc_fail_off();
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ(test, info->growth, (u32)HMAP_GROWTH_NONE);
	KUNIT_EXPECT_EQ(test, info->counters[HMAP_STAT_SHRINKS], 0ULL);
	run_worker();			/* no more writes: the worker shrinks */
	hmap_get_info(map, info);
	KUNIT_EXPECT_GE(test, info->counters[HMAP_STAT_SHRINKS], 1ULL);
	KUNIT_EXPECT_LT(test, info->B, 7U);
	model_check(m, "shrunk by the worker");
}

/*
 * A worker that cannot start a shrink either tries again later, less and
 * less often while memory stays short, and shrinks once memory is back.
 */
static void worker_retries_shrink_it_could_not_start(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct model *m = model_new(test, map, 1000);
	unsigned long fails, tries, t, runs = 0;
	struct hmap_info *info;
	u32 i;

	for (i = 0; i < 832; i++)		/* B = 7, as above */
		model_update(m, i, 1, HMAP_UPDATE_ANY);
	run_worker();
	for (i = 0; m->count > 209; i++)
		model_delete(m, i);
	shim_alloc_fail_all(true);
	KUNIT_EXPECT_EQ(test, model_delete(m, i++), 0);	/* its shrink fails */
	fails = shim_alloc_failures();
	for (t = 0; t < 100 * BG_IDLE; t++) {	/* 100 idle delays, no memory */
		shim_advance_jiffies(1);
		runs += shim_run_work();
	}
	tries = shim_alloc_failures() - fails;
	shim_alloc_fail_off();
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ(test, info->counters[HMAP_STAT_SHRINKS], 0ULL);
	KUNIT_EXPECT_GE_MSG(test, tries, 3UL, "the worker tried %lu times", tries);
	/* Backing off: a few runs, not one per idle delay. */
	KUNIT_EXPECT_LE_MSG(test, runs, 10UL, "the worker ran %lu times", runs);
	for (t = 0; t < 2 * msecs_to_jiffies(HMAP_RETRY_MAX_MS) &&
	     !info->counters[HMAP_STAT_SHRINKS]; t++) {
		shim_advance_jiffies(1);
		shim_run_work();
		hmap_get_info(map, info);
	}
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS], 1ULL,
			    "no shrink %lu jiffies after memory came back", t);
	KUNIT_EXPECT_LT(test, info->B, 7U);
	model_check(m, "shrunk by the worker's retry");
}

/*
 * A write that drops the lock to allocate the next grow's array, while
 * other writes grow the map past it (the array hook runs them), must not
 * keep that array as the map's spare: it is no longer one resize away,
 * and hmap_verify() says so. Seen in torture_failslab_inline.
 */
static struct model *outgrown_model;

static void outgrown_grow_three_times(size_t bytes)
{
	struct model *m = outgrown_model;
	u8 *key = m->key, *val = m->val;	/* the waiting write's */
	u8 k[8], v[8];
	u32 i;

	shim_set_array_hook(NULL);	/* once */
	m->key = k;
	m->val = v;
	for (i = 100; i < 400; i++)	/* 352 keys: B 3 -> 6 */
		model_update(m, i, 1, HMAP_UPDATE_ANY);
	hmap_test_finish_growth(m->test, m->map, 100, 1, 1000);
	m->key = key;
	m->val = val;
}

static void refill_array_outgrown_meanwhile_is_not_kept(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct model *m = model_new(test, map, 400);
	struct hmap_info *info;
	u32 i;

	for (i = 0; i < 52; i++)		/* 6.5 * 8: B = 3, full */
		model_update(m, i, 1, HMAP_UPDATE_ANY);
	run_worker();
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ(test, info->B, 3U);
	KUNIT_ASSERT_EQ(test, info->spare_buckets, 0ULL);
	outgrown_model = m;
	shim_set_array_hook(outgrown_grow_three_times);
	model_update(m, 52, 1, HMAP_UPDATE_ANY);	/* wants B 4 */
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ(test, info->B, 6U);
	KUNIT_EXPECT_EQ_MSG(test, info->spare_buckets, 0ULL,
			    "a spare array of %llu buckets at B 6",
			    info->spare_buckets);
	KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);
	model_check(m, "after the outgrown refill");
}

/* ---- the worker's idle delay, to the jiffy ---- */

static void worker_finishes_grow_when_writes_stop(struct kunit *test)
{
	struct hmap *map = hmap_test_create_flags(test, 8, 8, 0, HMAP_F_NO_SHRINK);
	struct model *m = model_new(test, map, 2000);
	struct hmap_info *info;
	u32 i;

	for (i = 0; i < 1665; i++)		/* 6.5 * 256 + 1: B 8 -> 9 */
		model_update(m, i, 1, HMAP_UPDATE_ANY);
	KUNIT_ASSERT_EQ(test, growth(map), (u32)HMAP_GROWTH_DOUBLE);
	shim_advance_jiffies(BG_IDLE - 1);	/* not idle long enough */
	shim_run_work();
	KUNIT_EXPECT_EQ(test, growth(map), (u32)HMAP_GROWTH_DOUBLE);
	shim_advance_jiffies(1);		/* a write restarts the idle time */
	model_update(m, 1665, 1, HMAP_UPDATE_ANY);
	shim_run_work();
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ(test, info->growth, (u32)HMAP_GROWTH_DOUBLE);
	KUNIT_EXPECT_EQ(test, info->counters[HMAP_STAT_EVACUATED_BG], 0ULL);
	run_worker();
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ(test, info->growth, (u32)HMAP_GROWTH_NONE);
	KUNIT_EXPECT_GT(test, info->counters[HMAP_STAT_EVACUATED_BG], 200ULL);
	/* Grows 0 -> 8 evacuated 255 buckets, this one 256, each once. */
	KUNIT_EXPECT_EQ(test, info->counters[HMAP_STAT_EVACUATED] +
			info->counters[HMAP_STAT_EVACUATED_BG], 511ULL);
	model_check(m, "grow finished by the worker");
}

static void worker_waits_the_map_evac_delay(struct kunit *test)
{
	struct hmap *map = hmap_test_create_delay(test, 8, 8, 0, 0, 400);
	struct model *m = model_new(test, map, 500);
	u32 i;

	for (i = 0; i < 417; i++)		/* B 6 -> 7 */
		model_update(m, i, 1, HMAP_UPDATE_ANY);
	KUNIT_ASSERT_EQ(test, growth(map), (u32)HMAP_GROWTH_DOUBLE);
	shim_advance_jiffies(399);
	shim_run_work();
	KUNIT_EXPECT_EQ(test, growth(map), (u32)HMAP_GROWTH_DOUBLE);
	shim_advance_jiffies(1);
	shim_run_work();
	KUNIT_EXPECT_EQ(test, growth(map), (u32)HMAP_GROWTH_NONE);
	model_check(m, "evac delay");
}

/* ---- caches: the shrinker, and cache_objs=0 ---- */

/*
 * A map of 8-byte keys and 200-byte values that do not shrink, in which
 * keys [0, @n) were inserted and [0, @deleted) deleted again, on CPU 0.
 */
static struct hmap *cache_map_deleted(struct kunit *test, u32 n, u32 deleted)
{
	struct hmap *map = hmap_test_create_flags(test, 8, 200, 0, HMAP_F_NO_SHRINK);
	u8 key[8];
	u32 i;

	shim_set_cpu(0);
	hmap_test_insert_range(test, map, 0, n, 1);
	for (i = 0; i < deleted; i++) {
		hmap_test_key(key, 8, i);
		KUNIT_ASSERT_EQ(test, hmap_delete(map, key, GFP_KERNEL), 0);
	}
	return map;
}

static void shrinker_drains_caches(struct kunit *test)
{
	struct hmap *map = cache_map_deleted(test, 40, 40);
	struct hmap_info *info;

	info = hmap_test_info(test, map);
	KUNIT_ASSERT_GE(test, info->cache_objects, 32ULL);
	KUNIT_EXPECT_GT(test, shim_shrink_all(1000), 0UL);
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ(test, info->cache_objects, 0ULL);
	KUNIT_EXPECT_GT(test, info->counters[HMAP_STAT_CACHE_DRAINS], 0ULL);
	hmap_test_insert_range(test, map, 100, 140, 2);
	KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, 100, 140, 2), 0U);
}

static void works_without_caches(struct kunit *test)
{
	unsigned int *cap = shim_param_cache_objs(), old = *cap;
	struct hmap *map;
	struct model *m;
	u32 i;

	*cap = 0;
	map = hmap_test_create(test, 8, 200, 0);
	*cap = old;
	m = model_new(test, map, 1000);
	for (i = 0; i < 1000; i++)
		model_update(m, i, 1, HMAP_UPDATE_ANY);
	for (i = 0; i < 1000; i += 2)
		model_delete(m, i);
	KUNIT_EXPECT_EQ(test, hmap_test_info(test, map)->cache_objects, 0ULL);
	KUNIT_EXPECT_EQ(test, hmap_test_info(test, map)->counters[HMAP_STAT_CACHE_HITS], 0ULL);
	model_check(m, "no cache");
}

/* Cache hits of @map so far. */
static u64 cache_hits(struct hmap *map)
{
	struct hmap_info info;

	hmap_get_info(map, &info);
	return info.counters[HMAP_STAT_CACHE_HITS];
}

/*
 * cache_objs is bounded: hmap.ko refuses to load over HMAP_CACHE_OBJS_MAX,
 * and a map never sizes its rings from more, however large the variable.
 * 0x55555556 is the value whose 3 rings per CPU came to 2 slots in 32 bits.
 */
#define CACHE_OBJS_WRAPS	0x55555556U

static void cache_objs_over_maximum_refused_at_load(struct kunit *test)
{
	unsigned int *cap = shim_param_cache_objs(), old = *cap;
	int err;

	*cap = CACHE_OBJS_WRAPS;
	err = hmap_cache_init();
	*cap = old;
	KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "hmap_cache_init() with cache_objs=%#x",
			    CACHE_OBJS_WRAPS);
}

static void cache_objs_huge_stays_in_bounds(struct kunit *test)
{
	unsigned int *cap = shim_param_cache_objs(), old = *cap;
	const u32 n = HMAP_CACHE_OBJS_MAX + 8;
	void **objs = hmap_test_buf(test, n * sizeof(*objs));
	struct hmap *map;
	u64 hits;
	u32 i;

	*cap = CACHE_OBJS_WRAPS;
	map = hmap_test_create(test, 8, 8, 0);
	*cap = old;
	shim_set_cpu(0);
	for (i = 0; i < n; i++) {
		objs[i] = hmap_cache_alloc(map, HMAP_OBJ_BUCKET, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	/* More than a ring holds: the rest goes back to the allocator. */
	for (i = 0; i < n; i++)
		hmap_cache_free(map, HMAP_OBJ_BUCKET, objs[i], false);
	KUNIT_EXPECT_EQ(test, hmap_cache_objects(map, NULL), (u64)HMAP_CACHE_OBJS_MAX);
	hits = cache_hits(map);
	for (i = 0; i < n; i++)
		objs[i] = hmap_cache_alloc(map, HMAP_OBJ_BUCKET, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, cache_hits(map) - hits, (u64)HMAP_CACHE_OBJS_MAX);
	for (i = 0; i < n; i++)
		hmap_cache_free(map, HMAP_OBJ_BUCKET, objs[i], false);
}

/*
 * An object freed with no reader left (a write that failed, a retired
 * array's bucket) is handed out at once, even behind one that waits for
 * a grace period; the waiting one only after it.
 */
static void cache_ready_object_not_stuck_behind_waiting(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 200, 0);
	void *waiting, *ready, *got, *other, *back[3];
	u32 i;

	shim_set_cpu(0);
	waiting = hmap_cache_alloc(map, HMAP_OBJ_VALUE, GFP_KERNEL);
	ready = hmap_cache_alloc(map, HMAP_OBJ_VALUE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, waiting);
	KUNIT_ASSERT_NOT_NULL(test, ready);
	hmap_cache_free(map, HMAP_OBJ_VALUE, waiting, true);
	hmap_cache_free(map, HMAP_OBJ_VALUE, ready, false);
	got = hmap_cache_alloc(map, HMAP_OBJ_VALUE, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, got, ready);
	other = hmap_cache_alloc(map, HMAP_OBJ_VALUE, GFP_KERNEL);
	KUNIT_EXPECT_TRUE_MSG(test, other != waiting, "handed out before its grace period");
	hmap_cache_free(map, HMAP_OBJ_VALUE, other, false);
	hmap_cache_free(map, HMAP_OBJ_VALUE, got, false);
	KUNIT_EXPECT_TRUE(test, shim_rcu_process_requested());
	/* The two ready ones first, last freed first; then the one that waited. */
	for (i = 0; i < 3; i++)
		back[i] = hmap_cache_alloc(map, HMAP_OBJ_VALUE, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, back[0], got);
	KUNIT_EXPECT_PTR_EQ(test, back[1], other);
	KUNIT_EXPECT_PTR_EQ(test, back[2], waiting);
	for (i = 0; i < 3; i++)
		hmap_cache_free(map, HMAP_OBJ_VALUE, back[i], false);
}

/* Where a caller of the caches may be: the caches serve all of them. */
enum cache_ctx { CTX_PROCESS, CTX_IRQS_OFF, CTX_RAW_SPINLOCK };

static DEFINE_RAW_SPINLOCK(cache_test_raw_lock);

static void cache_ctx_enter(enum cache_ctx ctx, unsigned long *flags)
{
	if (ctx == CTX_IRQS_OFF)
		local_irq_save(*flags);
	else if (ctx == CTX_RAW_SPINLOCK)
		raw_spin_lock_irqsave(&cache_test_raw_lock, *flags);
}

static void cache_ctx_exit(enum cache_ctx ctx, unsigned long flags)
{
	if (ctx == CTX_IRQS_OFF)
		local_irq_restore(flags);
	else if (ctx == CTX_RAW_SPINLOCK)
		raw_spin_unlock_irqrestore(&cache_test_raw_lock, flags);
}

static const enum cache_ctx cache_ctxs[] = { CTX_PROCESS, CTX_IRQS_OFF, CTX_RAW_SPINLOCK };

static void cache_ctx_desc(const enum cache_ctx *c, char *desc)
{
	static const char *const names[] = { "process", "irqs_off", "raw_spinlock" };

	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", names[*c]);
}

KUNIT_ARRAY_PARAM(cache_ctx, cache_ctxs, cache_ctx_desc);

/*
 * A cookie from get_state_synchronize_rcu() starts no grace period: a free
 * with readers must ask RCU for one, or on an idle system the object waits
 * for ever. Here grace periods run only when asked for.
 */
static void cache_free_with_readers_asks_for_grace_period(struct kunit *test)
{
	const enum cache_ctx ctx = *(const enum cache_ctx *)test->param_value;
	struct hmap *map = hmap_test_create(test, 8, 200, 0);
	unsigned long flags = 0;
	void *obj, *got;
	int rounds = 0;

	shim_set_cpu(0);
	KUNIT_ASSERT_FALSE_MSG(test, shim_rcu_gp_requested(), "a grace period pending already");
	obj = hmap_cache_alloc(map, HMAP_OBJ_VALUE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	cache_ctx_enter(ctx, &flags);
	KUNIT_EXPECT_TRUE(test, hmap_cache_put(map, HMAP_OBJ_VALUE, obj, true));
	cache_ctx_exit(ctx, flags);
	KUNIT_EXPECT_TRUE(test, shim_rcu_gp_requested());
	while (shim_rcu_process_requested() && rounds < 10)
		rounds++;
	KUNIT_EXPECT_LE_MSG(test, rounds, 2, "RCU still asked for grace periods");
	cache_ctx_enter(ctx, &flags);
	got = hmap_cache_take(map, HMAP_OBJ_VALUE);
	cache_ctx_exit(ctx, flags);
	KUNIT_EXPECT_PTR_EQ(test, got, obj);
	if (got)
		hmap_cache_free(map, HMAP_OBJ_VALUE, got, false);
}

/* The same through the map: deleted values come back once RCU ran. */
static void cache_deleted_values_reused_after_requested_grace_period(struct kunit *test)
{
	struct hmap *map = cache_map_deleted(test, 8, 4);
	u64 hits;

	while (shim_rcu_process_requested())
		;
	hits = cache_hits(map);
	hmap_test_insert_range(test, map, 100, 104, 2);
	KUNIT_EXPECT_EQ_MSG(test, cache_hits(map) - hits, 4ULL,
			    "inserts served by the 4 deleted values");
	KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, 100, 104, 2), 0U);
}

/*
 * The caches' locking holds on PREEMPT_RT, where the shim reports a
 * spinlock_t or a slab call in a section that is atomic there: takes and
 * puts from under a raw spinlock (as writers make them under map->lock),
 * a fill, and every path that frees (a full ring, the shrinker,
 * hmap_destroy()), ready or waiting.
 */
static void cache_locking_valid_on_preempt_rt(struct kunit *test)
{
	struct hmap_params p = { .key_size = 8, .value_size = 200 };
	const u32 n = 40;	/* more than the 32 a ring holds */
	void **objs = hmap_test_buf(test, n * sizeof(*objs));
	unsigned long flags, warns = shim_warnings();
	struct hmap *map = hmap_create(&p);
	u32 i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(map));
	shim_set_cpu(0);
	for (i = 0; i < n; i++)
		objs[i] = hmap_cache_alloc(map, HMAP_OBJ_VALUE, GFP_KERNEL);
	for (i = 0; i < 8; i++) {	/* ready ones, from a raw spinlock */
		cache_ctx_enter(CTX_RAW_SPINLOCK, &flags);
		KUNIT_EXPECT_TRUE(test, hmap_cache_put(map, HMAP_OBJ_VALUE, objs[i], false));
		cache_ctx_exit(CTX_RAW_SPINLOCK, flags);
	}
	for (i = 0; i < 8; i++) {	/* hits, from a raw spinlock */
		cache_ctx_enter(CTX_RAW_SPINLOCK, &flags);
		objs[i] = hmap_cache_take(map, HMAP_OBJ_VALUE);
		cache_ctx_exit(CTX_RAW_SPINLOCK, flags);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	for (i = 0; i < n; i++)		/* waiting ones, the last to kfree_rcu() */
		hmap_cache_free(map, HMAP_OBJ_VALUE, objs[i], true);
	hmap_cache_fill(map, HMAP_OBJ_VALUE);
	KUNIT_EXPECT_GT(test, shim_shrink_all(8), 0UL);
	hmap_destroy(map);
	shim_quiesce();
	KUNIT_EXPECT_EQ_MSG(test, shim_warnings(), warns,
			    "reports of a spinlock_t or slab call where PREEMPT_RT is atomic");
}

/* Frees @n fresh buckets into @map's caches on the calling thread's CPU. */
static void cache_give(struct kunit *test, struct hmap *map, u32 n)
{
	void **objs = kunit_kcalloc(test, n, sizeof(*objs), GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, objs);
	for (i = 0; i < n; i++) {
		objs[i] = kzalloc(map->layout.bucket_size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	for (i = 0; i < n; i++)
		hmap_cache_free(map, HMAP_OBJ_BUCKET, objs[i], false);
}

/* The shrinker's count follows frees, hits, drains and fills. */
static void shrinker_counts_cached_objects(struct kunit *test)
{
	struct hmap *a = hmap_test_create(test, 8, 200, 0);
	struct hmap *b = hmap_test_create(test, 200, 8, 0);
	unsigned long base = shim_shrink_count();
	void *obj;

#define CACHED()	(hmap_cache_objects(a, NULL) + hmap_cache_objects(b, NULL))
	shim_set_cpu(0);
	cache_give(test, a, 10);
	shim_set_cpu(1);
	cache_give(test, a, 5);
	cache_give(test, b, 7);
	KUNIT_EXPECT_EQ(test, CACHED(), 22ULL);
	KUNIT_EXPECT_EQ(test, shim_shrink_count(), base + 22);
	obj = hmap_cache_alloc(a, HMAP_OBJ_BUCKET, GFP_KERNEL);	/* a hit on CPU 1 */
	KUNIT_EXPECT_EQ(test, shim_shrink_count(), base + 21);
	shim_set_cpu(0);
	hmap_cache_free(b, HMAP_OBJ_BUCKET, obj, false);	/* a's bucket fits b */
	KUNIT_EXPECT_EQ(test, shim_shrink_count(), base + 22);
	KUNIT_EXPECT_EQ(test, shim_shrink_all(6), 6UL);
	KUNIT_EXPECT_EQ(test, CACHED(), 16ULL);
	KUNIT_EXPECT_EQ(test, shim_shrink_count(), base + 16);
	KUNIT_EXPECT_EQ(test, shim_shrink_all(1000), 16UL);
	KUNIT_EXPECT_EQ(test, CACHED(), 0ULL);
	KUNIT_EXPECT_EQ(test, shim_shrink_count(), base);
	hmap_cache_fill(a, HMAP_OBJ_BUCKET);	/* half of every CPU's ring */
	KUNIT_EXPECT_EQ(test, CACHED(), 16ULL * SHIM_NR_CPUS);
	KUNIT_EXPECT_EQ(test, shim_shrink_count(), base + 16 * SHIM_NR_CPUS);
#undef CACHED
}

/*
 * A scan frees as many as it says, and the next one starts with the maps
 * the last one did not reach, so a small nr_to_scan does not drain one map
 * over and over.
 */
static void shrinker_scans_maps_in_turn(struct kunit *test)
{
	struct hmap *a = hmap_test_create(test, 8, 8, 0);
	struct hmap *b = hmap_test_create(test, 8, 8, 0);
	u64 na, nb;

	shim_set_cpu(0);
	cache_give(test, a, 20);
	cache_give(test, b, 20);
	KUNIT_EXPECT_EQ(test, shim_shrink_all(5), 5UL);
	na = hmap_cache_objects(a, NULL);
	nb = hmap_cache_objects(b, NULL);
	KUNIT_EXPECT_EQ(test, na + nb, 35ULL);
	KUNIT_EXPECT_EQ(test, shim_shrink_all(5), 5UL);
	KUNIT_EXPECT_EQ_MSG(test, hmap_cache_objects(a, NULL), 15ULL,
			    "after two scans of 5 (%llu after the first)", na);
	KUNIT_EXPECT_EQ_MSG(test, hmap_cache_objects(b, NULL), 15ULL,
			    "after two scans of 5 (%llu after the first)", nb);
}

/*
 * Reclaim in a memory cgroup drains the caches of the maps created in it,
 * whoever filled them, and no other map's.
 */
static struct mem_cgroup shrink_memcg_a = { 1 }, shrink_memcg_b = { 2 };

static void shrinker_reclaims_in_the_creators_cgroup(struct kunit *test)
{
	struct hmap *a, *b;

	shim_task_memcg = &shrink_memcg_a;
	a = hmap_test_create(test, 8, 8, 0);
	shim_task_memcg = &shrink_memcg_b;
	b = hmap_test_create(test, 8, 8, 0);
	shim_task_memcg = NULL;		/* the writes: from the root cgroup */
	shim_set_cpu(0);
	cache_give(test, a, 10);
	cache_give(test, b, 7);
	KUNIT_EXPECT_EQ(test, shim_shrink_memcg_count(&shrink_memcg_a), 10UL);
	KUNIT_EXPECT_EQ(test, shim_shrink_memcg_count(&shrink_memcg_b), 7UL);
	KUNIT_EXPECT_EQ(test, shim_shrink_memcg(&shrink_memcg_a, 1000), 10UL);
	KUNIT_EXPECT_EQ(test, hmap_cache_objects(a, NULL), 0ULL);
	KUNIT_EXPECT_EQ(test, hmap_cache_objects(b, NULL), 7ULL);
	/* A map whose caches are empty still counts 0, not SHRINK_EMPTY. */
	KUNIT_EXPECT_EQ(test, shim_shrink_memcg_count(&shrink_memcg_a), 0UL);
	KUNIT_EXPECT_EQ(test, shim_shrink_memcg(&shrink_memcg_b, 3), 3UL);
	KUNIT_EXPECT_EQ(test, hmap_cache_objects(b, NULL), 4ULL);
}

/* The shim's siphash() against the paper's test vector (appendix A). */
static void shim_siphash_matches_paper(struct kunit *test)
{
	const siphash_key_t key = { { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL } };
	u8 msg[15];
	u32 i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i;
	KUNIT_EXPECT_EQ(test, siphash(msg, sizeof(msg), &key), 0xa129ca6149be45e5ULL);
}

/* ---- readers with writes between their steps ---- */

/*
 * "Another thread" writes at the read hook, i.e. between any two steps of
 * a reader (each rcu_dereference() and each seqcount section edge): a
 * writer that fills keys RW_STABLE..RW_N-1 and empties them again, over
 * and over (grows, shrinks, the background worker), while the case looks
 * up, walks and scans. Deterministic (RW_SEED=n in the environment
 * explores other interleavings). A key no write touched during a read is
 * judged against the model: a lookup finds it with its value or not at
 * all, a walk returns it exactly once if present (never if absent), a
 * scan at least once if present.
 */
#define RW_N		3000
#define RW_STABLE	300

static struct {
	struct model *m;
	u64 pos, rnd, clock;	/* clock: writes made */
	u64 stamp[RW_N];	/* clock of each key's last write */
	u8 seen[RW_N], present[RW_N];
	int phase;
	u32 rate;		/* the hook writes at one call in @rate */
	bool busy;
} rw;

static u64 rw_rnd(void)
{
	rw.rnd ^= rw.rnd << 13;
	rw.rnd ^= rw.rnd >> 7;
	rw.rnd ^= rw.rnd << 17;
	return rw.rnd;
}

static void rw_write_step(void)
{
	u32 i = RW_STABLE + (rw.pos * 7919) % (RW_N - RW_STABLE);

	if (rw.phase == 0)
		model_update(rw.m, i, 1 + (rw.clock & 0xff), HMAP_UPDATE_ANY);
	else
		model_delete(rw.m, i);
	rw.stamp[i] = ++rw.clock;
	if (++rw.pos == RW_N - RW_STABLE) {
		rw.pos = 0;
		rw.phase ^= 1;
	}
}

static void rw_hook(void)
{
	u64 n;

	if (rw.busy || rw_rnd() % rw.rate)
		return;
	rw.busy = true;
	shim_other_thread_begin();
	for (n = rw_rnd() % 24; n; n--)
		rw_write_step();
	if (rw_rnd() % 32 == 0) {	/* the background worker's turn */
		shim_advance_jiffies(rw_rnd() % (2 * BG_IDLE));
		shim_run_work();
	}
	shim_other_thread_end();
	rw.busy = false;
}

/* Before a read: what is present, and the clock. */
static u64 rw_begin(void)
{
	u32 i;

	memset(rw.seen, 0, sizeof(rw.seen));
	for (i = 0; i < RW_N; i++)
		rw.present[i] = rw.m->gen[i] != 0;
	return rw.clock;
}

static void rw_walk(struct kunit *test)
{
	u8 key[8], val[8];
	struct hmap_iter it;
	u32 i, id, unknown = 0, wrong = 0, bad = 0, first = 0;
	u64 c0 = rw_begin();

	rcu_read_lock();
	hmap_iter_init(rw.m->map, &it);
	while (!hmap_iter_next(&it, key, val)) {
		id = hmap_test_key_idx(key, 8);
		if (id >= RW_N) {
			unknown++;
			continue;
		}
		rw.seen[id] += rw.seen[id] < 255;
		if (rw.stamp[id] <= c0 &&
		    !(rw.m->gen[id] && hmap_test_value_ok(val, 8, id, rw.m->gen[id])))
			wrong++;
	}
	rcu_read_unlock();
	for (i = 0; i < RW_N; i++)
		if (rw.stamp[i] <= c0 && rw.seen[i] != rw.present[i])
			first = bad++ ? first : i;
	KUNIT_EXPECT_EQ_MSG(test, unknown, 0U, "walk returned keys never inserted");
	KUNIT_EXPECT_EQ_MSG(test, wrong, 0U, "walk: untouched keys with a wrong value");
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "walk: key %u returned %u times, %s throughout",
			    first, rw.seen[first], rw.present[first] ? "present" : "absent");
}

static void rw_scan(struct kunit *test)
{
	u32 room = 64, n, j, i, missed = 0, first = 0;
	u8 *k = malloc(room * 8), *v = malloc(room * 8);
	u64 c0 = rw_begin(), cursor = 0, calls = 0;
	int err;

	do {
		err = hmap_scan(rw.m->map, &cursor, k, v, room, &n);
		if (err == -ENOSPC) {
			room = n;
			k = realloc(k, room * 8);
			v = realloc(v, room * 8);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, err, 0, "hmap_scan()");
		for (j = 0; !err && j < n; j++) {
			u32 id = hmap_test_key_idx(k + j * 8, 8);

			KUNIT_EXPECT_LT_MSG(test, id, RW_N, "scan returned key %u", id);
			if (id < RW_N)
				rw.seen[id] = 1;
		}
		if (rw_rnd() % 2)	/* and writes between the calls */
			rw_write_step();
	} while (!err && cursor && ++calls < 100000);
	free(k);
	free(v);
	for (i = 0; i < RW_N; i++)
		if (rw.stamp[i] <= c0 && rw.present[i] && !rw.seen[i])
			first = missed++ ? first : i;
	KUNIT_EXPECT_EQ_MSG(test, missed, 0U, "scan missed key %u, present throughout", first);
}

static void rw_lookups(struct kunit *test, u32 n)
{
	u8 key[8], val[8];

	while (n--) {
		u32 i = rw_rnd() % RW_N;
		u64 c0 = rw.clock;
		int err;

		hmap_test_key(key, 8, i);
		err = hmap_lookup(rw.m->map, key, val);
		if (rw.stamp[i] > c0)
			continue;
		if (!rw.m->gen[i])
			KUNIT_EXPECT_EQ_MSG(test, err, -ENOENT, "untouched absent key %u", i);
		else
			KUNIT_EXPECT_TRUE_MSG(test, !err &&
					      hmap_test_value_ok(val, 8, i, rw.m->gen[i]),
					      "untouched present key %u: %d", i, err);
	}
}

static void readers_see_writes_made_between_their_steps(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	const char *seed = getenv("RW_SEED");
	struct hmap_info *info;
	u32 round, i;

	memset(&rw, 0, sizeof(rw));
	rw.m = model_new(test, map, RW_N);
	rw.rnd = 0x2545f4914f6cdd1dULL ^
		 (seed ? strtoull(seed, NULL, 0) * 0x9e3779b97f4a7c15ULL : 0);
	for (i = 0; i < RW_STABLE; i++)
		model_update(rw.m, i, 1, HMAP_UPDATE_ANY);
	for (round = 0; round < 240; round++) {
		/* A few writes apart, or many: how far a walk sees the map move. */
		rw.rate = round % 3 == 0 ? 4 : round % 3 == 1 ? 16 : 64;
		shim_set_read_hook(rw_hook);
		rw_walk(test);
		rw_lookups(test, 200);
		if (round % 4 == 0)
			rw_scan(test);
		shim_set_read_hook(NULL);
		for (i = rw_rnd() % 500; i; i--)
			rw_write_step();
		if (test->status == KUNIT_FAILURE)
			return;
	}
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_GT(test, info->counters[HMAP_STAT_GROWS], 10ULL);
	KUNIT_EXPECT_GT(test, info->counters[HMAP_STAT_SHRINKS], 10ULL);
	kunit_info(test, "%llu writes, %llu grows, %llu shrinks, %llu reader retries",
		   rw.clock, info->counters[HMAP_STAT_GROWS],
		   info->counters[HMAP_STAT_SHRINKS],
		   info->counters[HMAP_STAT_READER_RETRIES]);
	model_check(rw.m, "after the interleavings");
}

/*
 * A lookup that copied the value, then saw the chain change and found the
 * key gone, must not hand back that copy: the caller's buffer holds what
 * it held, or zeroes. The hook deletes the key right after the copy.
 */
static struct {
	struct hmap *map;
	u8 key[8], buf[8], sentinel[8];
	bool deleted;
} torn;

static void torn_hook(void)
{
	if (torn.deleted || !memcmp(torn.buf, torn.sentinel, 8))
		return;
	torn.deleted = true;
	shim_other_thread_begin();
	hmap_delete(torn.map, torn.key, GFP_KERNEL);
	shim_other_thread_end();
}

static void lookup_miss_leaves_no_invalidated_copy(struct kunit *test)
{
	const bool growing = *(const bool *)test->param_value;
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *info;
	u8 zero[8] = {};
	u64 held, val;
	u32 n = growing ? hmap_test_grow_edge(3) + 1 : 1;

	/* With @growing, the grow has just started: lookups read two arrays. */
	hmap_test_insert_range(test, map, 0, n, 1);
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ(test, hmap_test_not_growing(info), !growing);
	memset(&torn, 0, sizeof(torn));
	torn.map = map;
	hmap_test_key(torn.key, 8, 0);
	memset(torn.sentinel, 0xa5, 8);
	memcpy(torn.buf, torn.sentinel, 8);
	shim_set_read_hook(torn_hook);
	KUNIT_EXPECT_EQ(test, hmap_lookup(map, torn.key, torn.buf), -ENOENT);
	shim_set_read_hook(NULL);
	KUNIT_EXPECT_TRUE(test, torn.deleted);
	hmap_test_value(&val, 8, 0, 1);
	memcpy(&held, torn.buf, 8);
	KUNIT_EXPECT_TRUE_MSG(test, !memcmp(torn.buf, zero, 8) ||
			      !memcmp(torn.buf, torn.sentinel, 8),
			      "the buffer holds %#llx after -ENOENT (the value was %#llx)",
			      held, val);
}

/*
 * A histogram whose walk a same-size grow (started and finished by the
 * hook at its @at-th step, in the first of its two chunks) replaced the
 * array under: its figures are those of one array, the one before or the
 * one after, or it fails with -EAGAIN; never a chunk of each. The old and
 * the new array have the same size, so their sizes cannot tell them apart.
 */
static struct {
	struct model *m;
	u32 steps, at, next;
	bool busy, grown;
} hist;

static void hist_hook(void)
{
	if (hist.busy || ++hist.steps != hist.at)
		return;
	hist.busy = true;
	shim_other_thread_begin();
	model_update(hist.m, hist.next++, 1, HMAP_UPDATE_ANY);
	hist.grown = growth(hist.m->map) == HMAP_GROWTH_SAMESIZE;
	run_worker();			/* and finishes it */
	shim_other_thread_end();
	hist.busy = false;
}

static void histogram_is_of_one_array(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_histogram *before = hmap_test_buf(test, sizeof(*before));
	struct hmap_histogram *after = hmap_test_buf(test, sizeof(*after));
	struct hmap_histogram *h = hmap_test_buf(test, sizeof(*h));
	struct hmap_info *info;
	u32 first = 0, round;
	int err;

	memset(&hist, 0, sizeof(hist));
	hist.m = model_new(test, map, 200000);
	/* 512 buckets: more than one of the walk's chunks (256). */
	for (hist.next = 0; hist.next < 3000; hist.next++)
		model_update(hist.m, hist.next, 1, HMAP_UPDATE_ANY);
	run_worker();
	/* Churn until the next new key starts a same-size grow. */
	info = hmap_test_info(test, map);
	for (round = 0; info->noverflow < 1ULL << info->B && round < 150000; round++) {
		model_delete(hist.m, first++);
		model_update(hist.m, hist.next++, 1, HMAP_UPDATE_ANY);
		hmap_get_info(map, info);
	}
	KUNIT_ASSERT_EQ(test, info->B, 9U);
	KUNIT_ASSERT_EQ(test, info->growth, (u32)HMAP_GROWTH_NONE);
	KUNIT_ASSERT_GE(test, info->noverflow, 1ULL << info->B);

	/* How many steps a quiet walk takes: the grow comes at a quarter. */
	shim_set_read_hook(hist_hook);
	KUNIT_ASSERT_EQ(test, hmap_get_histogram(map, false, before), 0);
	hist.at = hist.steps / 4;
	hist.steps = 0;
	err = hmap_get_histogram(map, false, h);
	shim_set_read_hook(NULL);
	KUNIT_ASSERT_TRUE(test, hist.grown);
	KUNIT_ASSERT_EQ(test, growth(map), (u32)HMAP_GROWTH_NONE);
	KUNIT_ASSERT_EQ(test, hmap_get_histogram(map, false, after), 0);
	KUNIT_EXPECT_TRUE_MSG(test, err == -EAGAIN ||
			      (!err && (!memcmp(h, before, sizeof(*h)) ||
					!memcmp(h, after, sizeof(*h)))),
			      "%d, and %llu chains of 1 bucket, %llu evacuated; the arrays had %llu and %llu",
			      err, h->chain[0], h->evacuated, before->chain[0],
			      after->chain[0]);
	model_check(hist.m, "after the same-size grow");
}

/*
 * A shape read while the worker ends a grow, with no write at all: the
 * hook (at the last chain of the current array's walk) lets the worker
 * evacuate every old bucket left into chains the walk has passed, so that
 * walk misses those entries and the old array is gone before its own
 * walk. hmap_get_shape() must see the change and read again: whatever it
 * returns adds up to the count.
 */
static struct {
	u32 steps, at;
	bool done;
} shape;

static void shape_hook(void)
{
	if (++shape.steps != shape.at)
		return;
	shape.done = true;
	shim_other_thread_begin();
	run_worker();
	shim_other_thread_end();
}

static void shape_adds_up_when_the_worker_ends_a_grow(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_histogram *h = hmap_test_buf(test, sizeof(*h));
	struct hmap_shape *sh = hmap_test_buf(test, sizeof(*sh));
	struct hmap_info *info;
	u64 live = 0;
	int i;

	/* A double grow from 32 buckets just started: nearly all of it left. */
	hmap_test_insert_range(test, map, 0, hmap_test_grow_edge(5) + 1, 1);
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ(test, info->growth, (u32)HMAP_GROWTH_DOUBLE);
	KUNIT_ASSERT_LT(test, info->nevacuate, info->old_buckets / 2);

	/* The steps of a quiet walk of the current array. */
	memset(&shape, 0, sizeof(shape));
	shim_set_read_hook(shape_hook);
	KUNIT_ASSERT_EQ(test, hmap_get_histogram(map, false, h), 0);
	shape.at = shape.steps;
	shape.steps = 0;
	i = hmap_get_shape(map, sh);
	shim_set_read_hook(NULL);
	KUNIT_ASSERT_EQ(test, i, 0);
	KUNIT_ASSERT_TRUE(test, shape.done);
	KUNIT_EXPECT_EQ(test, sh->info.growth, (u32)HMAP_GROWTH_NONE);
	KUNIT_EXPECT_FALSE(test, sh->resizing);
	for (i = 0; i < HMAP_HIST_SLOTS; i++)
		live += (u64)i * (sh->cur.occupancy[i] + sh->old.occupancy[i]);
	KUNIT_EXPECT_EQ(test, live, sh->info.count);
	KUNIT_EXPECT_EQ(test, sh->cur.buckets, sh->info.buckets);
	KUNIT_EXPECT_EQ(test, sh->old.buckets, 0ULL);
}

/*
 * A walk in bounded sections whose section a grow, started and finished
 * by the hook at its @at-th step, moved every entry under: the section
 * must see the new array and read the group again, or the entries of the
 * chain it was reading are lost (the old one's are marked evacuated). Tried
 * at every step of a quiet walk, which is one section here: every key
 * present throughout comes back at least once.
 */
static struct {
	struct model *m;
	u32 steps, at, next;
	bool busy, grown;
} wg;

static void wg_hook(void)
{
	if (wg.busy || ++wg.steps != wg.at)
		return;
	wg.busy = true;
	shim_other_thread_begin();
	model_update(wg.m, wg.next++, 1, HMAP_UPDATE_ANY);
	wg.grown = growth(wg.m->map) == HMAP_GROWTH_DOUBLE;
	run_worker();
	wg.grown &= growth(wg.m->map) == HMAP_GROWTH_NONE;
	shim_other_thread_end();
	wg.busy = false;
}

/* Walks @map with the hook at step @at (0: never); the keys' visits. */
static void wg_walk(struct kunit *test, struct hmap *map, u32 at, u8 *visits,
		    u32 n)
{
	struct hmap_walk walk;
	u8 key[8], val[8];
	u32 id;
	int err;

	memset(visits, 0, n);
	wg.steps = 0;
	wg.at = at;
	wg.grown = false;
	KUNIT_ASSERT_EQ(test, hmap_walk_start(map, &walk), 0);
	shim_set_read_hook(wg_hook);
	while (!(err = hmap_walk_next(&walk, key, val))) {
		id = hmap_test_key_idx(key, 8);
		KUNIT_EXPECT_LT_MSG(test, id, n, "walk returned key %u", id);
		if (id < n && visits[id] < U8_MAX)
			visits[id]++;
	}
	shim_set_read_hook(NULL);
	KUNIT_EXPECT_EQ(test, err, -ENOENT);
	KUNIT_EXPECT_EQ(test, walk.sections, 1ULL);
	hmap_walk_stop(&walk);
}

/* The same seed, so the same layout and steps, for every map of the case. */
#define WG_SEED		0x9e3779b97f4a7c15ULL

static void wg_random_back(void *unused)
{
	shim_random_seed(0);
}

static struct hmap *wg_map(struct kunit *test)
{
	shim_random_seed(WG_SEED);
	return hmap_test_map_at_edge(test, 3, 8, 0, 0);
}

static void walk_reads_a_group_again_when_a_grow_moves_it(struct kunit *test)
{
	u32 edge = hmap_test_grow_edge(3), quiet, at, i, missed, first = 0;
	u8 *visits = hmap_test_buf(test, edge + 1);
	struct hmap *map;

	memset(&wg, 0, sizeof(wg));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, wg_random_back, NULL), 0);
	map = wg_map(test);
	wg_walk(test, map, 0, visits, edge + 1);
	quiet = wg.steps;
	KUNIT_ASSERT_GT(test, quiet, 8U);
	for (at = 1; at <= quiet; at++) {
		map = wg_map(test);
		wg.m = model_new(test, map, edge + 1);
		for (i = 0; i < edge; i++)
			wg.m->gen[i] = 1;
		wg.m->count = edge;
		wg.next = edge;
		wg_walk(test, map, at, visits, edge + 1);
		KUNIT_ASSERT_TRUE_MSG(test, wg.grown, "no whole grow at step %u", at);
		for (i = 0, missed = 0; i < edge; i++)
			if (!visits[i])
				first = missed++ ? first : i;
		KUNIT_EXPECT_EQ_MSG(test, missed, 0U,
				    "grow at step %u of %u: %u keys missed, first %u",
				    at, quiet, missed, first);
		model_check(wg.m, "after the walk");
		if (test->status == KUNIT_FAILURE)
			return;
	}
}

static const bool torn_growing[] = { false, true };

static void torn_desc(const bool *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", *p ? "growing" : "stable");
}

KUNIT_ARRAY_PARAM(torn, torn_growing, torn_desc);

/*
 * Out-of-line values are replaced by publishing a new object: a reader
 * copying one never retries for a value write, however many come while it
 * reads. The hook replaces the value at every step of the reader.
 */
#define OOL_VS		1024
#define OOL_WRITES	200

enum ool_reader { OOL_LOOKUP, OOL_ITER, OOL_SCAN };

static struct {
	struct hmap *map;
	u8 key[8], val[OOL_VS];
	u32 gen;
} ool;

static void ool_hook(void)
{
	if (ool.gen > OOL_WRITES)
		return;
	hmap_test_value(ool.val, OOL_VS, 0, ++ool.gen);
	shim_other_thread_begin();
	hmap_update(ool.map, ool.key, ool.val, HMAP_UPDATE_EXIST, GFP_KERNEL);
	shim_other_thread_end();
}

static void ool_value_writes_make_readers_retry_never(struct kunit *test)
{
	const enum ool_reader reader = *(const enum ool_reader *)test->param_value;
	struct hmap *map = hmap_test_create(test, 8, OOL_VS, 0);
	u8 *key = hmap_test_buf(test, 8), *val = hmap_test_buf(test, OOL_VS);
	struct hmap_info *before, *after;
	struct hmap_iter iter;
	u64 cursor = 0;
	u32 idx, gen, n = 0;
	int err;

	memset(&ool, 0, sizeof(ool));
	ool.map = map;
	ool.gen = 1;
	hmap_test_key(ool.key, 8, 0);
	hmap_test_insert_range(test, map, 0, 1, 1);
	KUNIT_ASSERT_EQ(test, hmap_stats_enable(), 0);
	before = hmap_test_info(test, map);
	shim_set_read_hook(ool_hook);
	switch (reader) {
	case OOL_LOOKUP:
		err = hmap_lookup(map, ool.key, val);
		break;
	case OOL_ITER:
		rcu_read_lock();
		hmap_iter_init(map, &iter);
		err = hmap_iter_next(&iter, key, val);
		rcu_read_unlock();
		break;
	default:
		err = hmap_scan(map, &cursor, key, val, 1, &n);
		if (!err && n != 1)
			err = -ENOENT;
		break;
	}
	shim_set_read_hook(NULL);
	after = hmap_test_info(test, map);
	hmap_stats_disable();
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_GT_MSG(test, ool.gen, 1U, "the hook wrote no value");
	KUNIT_EXPECT_TRUE_MSG(test, hmap_test_value_consistent(val, OOL_VS, &idx, &gen) &&
			      idx == 0 && gen >= 1 && gen <= ool.gen,
			      "a torn or foreign value");
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_READER_RETRIES] -
			    before->counters[HMAP_STAT_READER_RETRIES], 0ULL,
			    "retries while %u values were written", ool.gen - 1);
}

static const enum ool_reader ool_readers[] = { OOL_LOOKUP, OOL_ITER, OOL_SCAN };

static void ool_desc(const enum ool_reader *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s",
		 *p == OOL_LOOKUP ? "lookup" : *p == OOL_ITER ? "iter" : "scan");
}

KUNIT_ARRAY_PARAM(ool, ool_readers, ool_desc);

static struct kunit_case hmap_shims_cases[] = {
	/* allocation failures by count */
	KUNIT_CASE(create_fails_cleanly_without_memory),
	KUNIT_CASE_PARAM(writes_fail_cleanly_without_memory, fail_sizes_gen_params),
	/* the worker */
	KUNIT_CASE(failed_shrink_start_is_left_to_worker),
	KUNIT_CASE(worker_retries_shrink_it_could_not_start),
	KUNIT_CASE(worker_finishes_grow_when_writes_stop),
	KUNIT_CASE(worker_waits_the_map_evac_delay),
	KUNIT_CASE(refill_array_outgrown_meanwhile_is_not_kept),
	/* caches, and the shim's own siphash() */
	KUNIT_CASE(shrinker_drains_caches),
	KUNIT_CASE(works_without_caches),
	KUNIT_CASE(cache_objs_over_maximum_refused_at_load),
	KUNIT_CASE(cache_objs_huge_stays_in_bounds),
	KUNIT_CASE(cache_ready_object_not_stuck_behind_waiting),
	KUNIT_CASE_PARAM(cache_free_with_readers_asks_for_grace_period,
			 cache_ctx_gen_params),
	KUNIT_CASE(cache_deleted_values_reused_after_requested_grace_period),
	KUNIT_CASE(cache_locking_valid_on_preempt_rt),
	KUNIT_CASE(shrinker_counts_cached_objects),
	KUNIT_CASE(shrinker_scans_maps_in_turn),
	KUNIT_CASE(shrinker_reclaims_in_the_creators_cgroup),
	KUNIT_CASE(shim_siphash_matches_paper),
	/* the read hook */
	KUNIT_CASE(readers_see_writes_made_between_their_steps),
	KUNIT_CASE_PARAM(lookup_miss_leaves_no_invalidated_copy, torn_gen_params),
	KUNIT_CASE_PARAM(ool_value_writes_make_readers_retry_never, ool_gen_params),
	KUNIT_CASE(histogram_is_of_one_array),
	KUNIT_CASE(shape_adds_up_when_the_worker_ends_a_grow),
	KUNIT_CASE(walk_reads_a_group_again_when_a_grow_moves_it),
	{}
};

KUNIT_SHIM_MANUAL_SUITE(hmap_shims, hmap_shims_cases);
