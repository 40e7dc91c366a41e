// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_cache": the per-CPU object caches. Refills on delete,
 * allocation ahead on insert, reuse only after a grace period (never
 * under a reader that may still see the object, and with nobody else
 * asking RCU for one), bounds, draining on destroy, and the overflow
 * buckets of retired arrays.
 *
 * The cases pin their thread (the case's own kthread, which ends with the
 * case) to one CPU, since every CPU has its own cache. They expect
 * hmap.ko's default cache_objs (32), with which tools/vm/kunit.sh loads
 * it.
 */
#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <kunit/resource.h>
#include <kunit/test.h>

#include "hmap_test.h"

/* hmap.ko's default cache_objs: objects per CPU and kind in a cache. */
#define CACHE_OBJS	32
/* Object kinds a cache holds: overflow buckets, keys, values. */
#define CACHE_KINDS	3

/*
 * Keeps the case's thread on the CPU it is on, so that its deletes and
 * inserts use that CPU's caches. The thread is the case's own and ends
 * with it.
 */
static int cache_pin_cpu(struct kunit *test)
{
	int cpu = raw_smp_processor_id();

	KUNIT_ASSERT_EQ_MSG(test, set_cpus_allowed_ptr(current, cpumask_of(cpu)),
			    0, "cannot pin the case to CPU %d", cpu);
	KUNIT_ASSERT_EQ_MSG(test, raw_smp_processor_id(), cpu,
			    "pinned to CPU %d, running elsewhere", cpu);
	return cpu;
}

static const u32 cache_ool_sizes[] = { 200, 4096 };

static void cache_ool_desc(const u32 *vs, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "value_size_%u", *vs);
}

KUNIT_ARRAY_PARAM(cache_ool, cache_ool_sizes, cache_ool_desc);

/* Keys [0, 8) fill the one bucket of a fresh map; no overflow, no grow. */
#define CACHE_KEYS	8
#define CACHE_DELS	4

/*
 * Inserts that allocate keep what they allocated ahead in the caches (see
 * insert_allocates_ahead): a case that counts objects starts from none.
 */
static void cache_empty(struct kunit *test, struct hmap *map)
{
	struct hmap_info *info;

	hmap_drain_caches(map);
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ_MSG(test, info->cache_objects, 0ULL,
			    "objects cached after hmap_drain_caches()");
}

/*
 * A map of the case's out-of-line value size on the pinned CPU, holding
 * keys [0, CACHE_KEYS), of which the first CACHE_DELS are then deleted,
 * with empty caches in between. @before gets the map's state before the
 * deletes.
 */
static struct hmap *cache_map_after_deletes(struct kunit *test,
					    struct hmap_info *before)
{
	const u32 vs = *(const u32 *)test->param_value;
	struct hmap *map = hmap_test_create(test, 8, vs, 0);
	u32 i;

	cache_pin_cpu(test);
	hmap_test_insert_range(test, map, 0, CACHE_KEYS, 1);
	cache_empty(test, map);
	hmap_get_info(map, before);
	for (i = 0; i < CACHE_DELS; i++)
		hmap_test_delete(test, map, i);
	return map;
}

static void cache_refills_on_delete(struct kunit *test)
{
	struct hmap_info *before = hmap_test_buf(test, sizeof(*before));
	struct hmap *map = cache_map_after_deletes(test, before);
	struct hmap_info *after = hmap_test_info(test, map);

	KUNIT_ASSERT_EQ_MSG(test, before->cache_objects, 0ULL,
			    "objects cached before any delete");
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_CACHE_REFILLS] -
			    before->counters[HMAP_STAT_CACHE_REFILLS],
			    (u64)CACHE_DELS,
			    "refills after deleting %u out-of-line values",
			    CACHE_DELS);
	KUNIT_EXPECT_EQ_MSG(test, after->cache_objects, (u64)CACHE_DELS,
			    "objects cached");
}

static void cache_serves_inserts_after_grace_period(struct kunit *test)
{
	struct hmap_info *before = hmap_test_buf(test, sizeof(*before));
	struct hmap *map = cache_map_after_deletes(test, before);
	struct hmap_info *after;

	synchronize_rcu();
	hmap_get_info(map, before);
	/* New keys into the freed slots: one value object each. */
	hmap_test_insert_range(test, map, 100, 100 + CACHE_DELS, 2);
	after = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_CACHE_HITS] -
			    before->counters[HMAP_STAT_CACHE_HITS],
			    (u64)CACHE_DELS,
			    "cache hits of %u inserts after a grace period",
			    CACHE_DELS);
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_CACHE_MISSES] -
			    before->counters[HMAP_STAT_CACHE_MISSES], 0ULL,
			    "cache misses with %u objects ready", CACHE_DELS);
	KUNIT_EXPECT_EQ_MSG(test, after->cache_objects, 0ULL, "objects left");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, map, 100,
							100 + CACHE_DELS, 2),
			    0U, "values in reused objects");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, map,
							CACHE_DELS,
							CACHE_KEYS, 1),
			    0U, "values of the keys kept");
}

/*
 * An insert that lacks an out-of-line key under the lock, with the cache
 * empty, allocates ahead for the inserts after it: they take their key
 * objects from the cache, and none of them drops the lock to allocate
 * its own and starts over.
 */
static void insert_allocates_ahead(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 200, 8, 0);
	struct hmap_info *before = hmap_test_buf(test, sizeof(*before));
	struct hmap_info *after;

	cache_pin_cpu(test);
	cache_empty(test, map);
	hmap_test_insert_range(test, map, 0, 1, 1);
	hmap_get_info(map, before);
	KUNIT_EXPECT_GT_MSG(test, before->cache_objects, 0ULL,
			    "nothing allocated ahead by an insert that lacked");
	hmap_test_insert_range(test, map, 1, CACHE_KEYS, 1);
	after = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_CACHE_HITS] -
			    before->counters[HMAP_STAT_CACHE_HITS],
			    (u64)CACHE_KEYS - 1,
			    "inserts served from the cache");
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_CACHE_MISSES] -
			    before->counters[HMAP_STAT_CACHE_MISSES], 0ULL,
			    "inserts that went to the allocator");
	KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, 0, CACHE_KEYS, 1), 0U);
}

/* Tries of cache_reuse_needs_no_synchronize(): fewer than the ring's room. */
#define CACHE_TRIES	20
static_assert(CACHE_DELS + CACHE_TRIES < CACHE_OBJS);

/*
 * Nobody here waits for a grace period: the cache asks RCU for the one
 * its deleted values wait on, so they are reused soon anyway (a cookie
 * alone starts none, and an idle system may run none for a long time).
 * Each insert that misses is deleted again, to wait in the cache too; the
 * ring never fills, whose kfree_rcu() fallback would start one.
 */
static void cache_reuse_needs_no_synchronize(struct kunit *test)
{
	const u32 vs = *(const u32 *)test->param_value;
	struct hmap *map = hmap_test_create_flags(test, 8, vs, 0, HMAP_F_NO_SHRINK);
	struct hmap_info *before = hmap_test_buf(test, sizeof(*before));
	struct hmap_info *after = hmap_test_buf(test, sizeof(*after));
	u32 i, k;

	cache_pin_cpu(test);
	hmap_test_insert_range(test, map, 0, CACHE_KEYS, 1);
	cache_empty(test, map);
	for (i = 0; i < CACHE_DELS; i++)
		hmap_test_delete(test, map, i);
	hmap_get_info(map, before);
	for (k = 100; k < 100 + CACHE_TRIES; k++) {
		msleep(HMAP_TEST_WAIT_MS / CACHE_TRIES);
		hmap_test_insert_range(test, map, k, k + 1, 1);
		hmap_get_info(map, after);
		if (after->counters[HMAP_STAT_CACHE_HITS] !=
		    before->counters[HMAP_STAT_CACHE_HITS])
			break;
		hmap_test_delete(test, map, k);
	}
	KUNIT_EXPECT_GT_MSG(test, after->counters[HMAP_STAT_CACHE_HITS],
			    before->counters[HMAP_STAT_CACHE_HITS],
			    "no deleted value reused within %u ms", HMAP_TEST_WAIT_MS);
	if (k < 100 + CACHE_TRIES)
		KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, k, k + 1, 1), 0U);
}

/*
 * A kthread on another CPU stays in one RCU read-side critical section,
 * looking up one key again and again, until told to leave.
 */
struct cache_reader {
	struct hmap *map;
	struct task_struct *task;
	u8 key[8];
	u8 *value;
	u32 value_size;
	u32 idx;
	bool inside;		/* in its read-side section */
	bool leave;
	unsigned long lookups;
	unsigned long bad;	/* found with a value not the key's */
};

/* Longest a reader stays inside, whatever happens to the case. */
#define CACHE_READER_MAX	(2 * HZ)

static int cache_reader_fn(void *data)
{
	struct cache_reader *r = data;
	unsigned long deadline = jiffies + CACHE_READER_MAX;

	rcu_read_lock();
	WRITE_ONCE(r->inside, true);
	while (!READ_ONCE(r->leave) && time_before(jiffies, deadline)) {
		if (!hmap_lookup(r->map, r->key, r->value) &&
		    !hmap_test_value_ok(r->value, r->value_size, r->idx, 1))
			r->bad++;
		r->lookups++;
		cpu_relax();
	}
	/* Stored before the unlock: seen true, the section is not over. */
	WRITE_ONCE(r->inside, false);
	rcu_read_unlock();
	while (!kthread_should_stop())
		usleep_range(1000, 2000);
	return 0;
}

static void cache_reader_stop(void *data)
{
	struct cache_reader *r = data;

	WRITE_ONCE(r->leave, true);
	if (r->task) {
		kthread_stop(r->task);
		r->task = NULL;
	}
}

/*
 * While a reader that may still see a deleted value is inside its
 * section, the value's object is not handed out again; once the reader
 * left and a grace period passed, it is.
 */
static void cache_does_not_reuse_object_under_reader(struct kunit *test)
{
	const u32 vs = *(const u32 *)test->param_value;
	struct hmap *map = hmap_test_create(test, 8, vs, 0);
	struct cache_reader *r = hmap_test_buf(test, sizeof(*r));
	struct hmap_info *before = hmap_test_buf(test, sizeof(*before));
	struct hmap_info *after = hmap_test_buf(test, sizeof(*after));
	unsigned long deadline;
	struct task_struct *task;
	int cpu, rcpu;
	bool inside;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs a second CPU for the reader");
	cpu = cache_pin_cpu(test);
	rcpu = cpumask_any_but(cpu_online_mask, cpu);
	KUNIT_ASSERT_LT(test, rcpu, nr_cpu_ids);

	hmap_test_insert_range(test, map, 0, 2, 1);
	cache_empty(test, map);
	r->map = map;
	r->idx = 0;
	r->value_size = vs;
	r->value = hmap_test_buf(test, vs);
	hmap_test_key(r->key, sizeof(r->key), r->idx);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, cache_reader_stop, r), 0);
	task = kthread_create(cache_reader_fn, r, "hmap_cache_rd");
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(task), "kthread_create: %pe", task);
	kthread_bind(task, rcpu);
	r->task = task;
	wake_up_process(task);
	deadline = jiffies + CACHE_READER_MAX / 2;
	while (!READ_ONCE(r->inside)) {
		KUNIT_ASSERT_TRUE_MSG(test, time_before(jiffies, deadline),
				      "reader on CPU %d did not start", rcpu);
		usleep_range(100, 200);
	}

	hmap_get_info(map, before);
	hmap_test_delete(test, map, r->idx);
	hmap_get_info(map, after);
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_CACHE_REFILLS] -
			    before->counters[HMAP_STAT_CACHE_REFILLS], 1ULL,
			    "the deleted value did not enter the cache");
	hmap_get_info(map, before);
	hmap_test_insert_range(test, map, 100, 101, 1);
	hmap_get_info(map, after);
	/* Read last: if still inside, no grace period ended since the delete. */
	inside = READ_ONCE(r->inside);
	KUNIT_ASSERT_TRUE_MSG(test, inside,
			      "reader left its section before the checks (%lu lookups)",
			      r->lookups);
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_CACHE_HITS] -
			    before->counters[HMAP_STAT_CACHE_HITS], 0ULL,
			    "an insert reused an object a reader may still see");

	WRITE_ONCE(r->leave, true);
	deadline = jiffies + CACHE_READER_MAX;
	while (READ_ONCE(r->inside)) {
		KUNIT_ASSERT_TRUE_MSG(test, time_before(jiffies, deadline),
				      "reader does not leave");
		usleep_range(100, 200);
	}
	synchronize_rcu();
	hmap_get_info(map, before);
	hmap_test_insert_range(test, map, 101, 102, 1);
	hmap_get_info(map, after);
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_CACHE_HITS] -
			    before->counters[HMAP_STAT_CACHE_HITS], 1ULL,
			    "insert after the reader left and a grace period passed");
	cache_reader_stop(r);
	KUNIT_EXPECT_GT_MSG(test, r->lookups, 0UL, "reader made no lookup");
	KUNIT_EXPECT_EQ_MSG(test, r->bad, 0UL,
			    "reader saw a wrong value in %lu lookups", r->lookups);
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, map, 100, 102, 1),
			    0U, "values of the new keys");
}

/*
 * However many objects are freed, a map caches at most cache_objs per CPU
 * and kind; the pinned CPU's key and value caches are full.
 */
static void cache_objects_stay_bounded(struct kunit *test)
{
	const u32 nkeys = 200;
	struct hmap *map = hmap_test_create(test, 200, 200, 0);
	struct hmap_info *info;
	u64 refills;
	u64 bound = (u64)CACHE_OBJS * CACHE_KINDS *
		    num_possible_cpus();
	u8 key[200];
	u32 i;

	cache_pin_cpu(test);
	hmap_test_insert_range(test, map, 0, nkeys, 1);
	cache_empty(test, map);
	info = hmap_test_info(test, map);
	refills = info->counters[HMAP_STAT_CACHE_REFILLS];
	for (i = 0; i < nkeys; i++) {
		hmap_test_key(key, sizeof(key), i);
		KUNIT_ASSERT_EQ_MSG(test, hmap_delete(map, key, GFP_KERNEL), 0,
				    "delete of key %u", i);
	}
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_LE_MSG(test, info->cache_objects, bound,
			    "objects cached after freeing %u keys and %u values",
			    nkeys, nkeys);
	KUNIT_EXPECT_GE_MSG(test, info->cache_objects, 2ULL * CACHE_OBJS,
			    "key and value caches of this CPU not full");
	KUNIT_EXPECT_LT_MSG(test, info->counters[HMAP_STAT_CACHE_REFILLS] - refills,
			    2ULL * nkeys,
			    "every freed key and value was cached");
}

/*
 * hmap_destroy() of a map whose caches hold objects. Nothing to look at
 * afterwards: kmemleak (tools/vm/kunit.sh scans after the run) and KASAN
 * tell whether the objects were freed, and freed once.
 */
static void destroy_drains_full_caches(struct kunit *test)
{
	struct hmap_params params = { .key_size = 200, .value_size = 4096 };
	struct hmap_info *info = hmap_test_buf(test, sizeof(*info));
	u8 *value = hmap_test_buf(test, params.value_size);
	struct hmap *map;
	u8 key[200];
	u32 i;

	map = hmap_create(&params);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, map);
	for (i = 0; i < 64; i++) {
		hmap_test_key(key, sizeof(key), i);
		hmap_test_value(value, params.value_size, i, 1);
		if (hmap_update(map, key, value, HMAP_UPDATE_NOEXIST, GFP_KERNEL))
			break;
	}
	KUNIT_EXPECT_EQ_MSG(test, i, 64U, "insert of key %u failed", i);
	for (i = 0; i < 64; i++) {
		hmap_test_key(key, sizeof(key), i);
		if (hmap_delete(map, key, GFP_KERNEL))
			break;
	}
	hmap_get_info(map, info);
	/* Freed a grace period later, on a workqueue. */
	hmap_destroy(map);
	KUNIT_EXPECT_EQ_MSG(test, i, 64U, "delete of key %u failed", i);
	KUNIT_EXPECT_GT_MSG(test, info->cache_objects, 0ULL,
			    "nothing cached before hmap_destroy()");
}

/*
 * The overflow buckets of an array a grow retired go back to the cache
 * once the array is freed, a grace period after the grow ended.
 */
static void retired_overflow_buckets_refill_cache(struct kunit *test)
{
	const u32 B = 6;
	struct hmap *map = hmap_test_map_at_edge(test, B, 8, 0, 0);
	struct hmap_info *info = hmap_test_buf(test, sizeof(*info));
	struct hmap_info *start, *done;
	u32 n = hmap_test_grow_edge(B), stable = 0;
	unsigned long deadline;
	u64 want, room;

	/* Let the arrays the map grew out of so far be freed first. */
	rcu_barrier();
	start = hmap_test_info(test, map);
	deadline = jiffies + msecs_to_jiffies(HMAP_TEST_WAIT_MS);
	while (stable < 5 && time_before(jiffies, deadline)) {
		msleep(HMAP_TEST_POLL_MS);
		hmap_get_info(map, info);
		stable = info->counters[HMAP_STAT_CACHE_REFILLS] ==
			 start->counters[HMAP_STAT_CACHE_REFILLS] ? stable + 1 : 0;
		*start = *info;
	}
	KUNIT_ASSERT_GT_MSG(test, start->noverflow, 0ULL,
			    "no overflow bucket in 2^%u buckets of %u keys", B, n);
	/* Keys and values are inline: the caches hold only buckets. */
	KUNIT_ASSERT_LT_MSG(test, start->cache_objects, (u64)CACHE_OBJS,
			    "bucket caches already full");
	room = CACHE_OBJS - start->cache_objects;

	hmap_test_insert_range(test, map, n, n + 1, 1);
	hmap_get_info(map, info);
	KUNIT_ASSERT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_DOUBLE,
			    "no grow at %u keys", n + 1);
	KUNIT_ASSERT_EQ_MSG(test, info->old_noverflow, start->noverflow,
			    "overflow buckets of the old array");
	want = min(info->old_noverflow, room);
	hmap_test_finish_growth(test, map, 0, 1, 1U << B);
	done = hmap_test_info(test, map);

	deadline = jiffies + msecs_to_jiffies(HMAP_TEST_WAIT_MS);
	do {
		msleep(HMAP_TEST_POLL_MS);
		hmap_get_info(map, info);
	} while (info->counters[HMAP_STAT_CACHE_REFILLS] -
		 done->counters[HMAP_STAT_CACHE_REFILLS] < want &&
		 time_before(jiffies, deadline));
	KUNIT_EXPECT_GE_MSG(test, info->counters[HMAP_STAT_CACHE_REFILLS] -
			    done->counters[HMAP_STAT_CACHE_REFILLS], want,
			    "refills %u ms after the grow ended (old array had %llu overflow buckets)",
			    HMAP_TEST_WAIT_MS, start->noverflow);
}

static struct kunit_case hmap_cache_cases[] = {
	KUNIT_CASE_PARAM(cache_refills_on_delete, cache_ool_gen_params),
	KUNIT_CASE_PARAM(cache_serves_inserts_after_grace_period,
			 cache_ool_gen_params),
	KUNIT_CASE_PARAM(cache_reuse_needs_no_synchronize, cache_ool_gen_params),
	KUNIT_CASE_PARAM(cache_does_not_reuse_object_under_reader,
			 cache_ool_gen_params),
	KUNIT_CASE(insert_allocates_ahead),
	KUNIT_CASE(cache_objects_stay_bounded),
	KUNIT_CASE(destroy_drains_full_caches),
	KUNIT_CASE(retired_overflow_buckets_refill_cache),
	{}
};

HMAP_TEST_SUITE(hmap_cache, hmap_cache_cases);
