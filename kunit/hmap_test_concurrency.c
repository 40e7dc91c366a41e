// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_concurrency": reader, iterator and scanner kthreads
 * on a map while the case's own thread writes to it and makes it grow.
 *
 * The threads only count what they see; the case checks the counts after
 * stopping them. A deferred action stops every thread when the case ends,
 * also when an assertion aborts it, before the map is destroyed (KUnit runs
 * deferred actions in reverse order: the context is allocated first, the
 * map second, the stop action last).
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/resource.h>
#include <kunit/test.h>

#include "hmap_test.h"

#define CONC_READERS	2
/* Keys every reader checks; never written while the threads run. */
#define CONC_STABLE	64
/* The writer's keys: [CONC_WKEY0, CONC_WKEY0 + CONC_WKEYS). */
#define CONC_WKEY0	1000
#define CONC_WKEYS	900
/* The second writer's keys: [CONC_CKEY0, CONC_CKEY0 + CONC_CKEYS). */
#define CONC_CKEY0	3000
#define CONC_CKEYS	300
/* Entries one hmap_scan() call may return (a group holds a few dozen). */
#define CONC_SCAN_ROOM	256
/* Longest the writer waits for the threads to get going. */
#define CONC_START_TIMEOUT	(20 * HZ)

struct conc_ctx;

struct conc_thread {
	struct conc_ctx *ctx;
	struct task_struct *task;
	unsigned long passes;	/* completed passes over the stable keys */
	unsigned long lookups;
	unsigned long errors;
	/* The first error, for the failure message. */
	u32 bad_idx;
	int bad_err;
	u32 bad_gen;
	/* Buffers of the thread. */
	u8 *key;
	u8 *value;
	u32 *last_gen;		/* per stable key, newest generation seen */
	u8 *visits;		/* per key, in the iterating thread */
	u8 *skeys;		/* hmap_scan() output, in the scanning thread */
	u8 *svalues;
	u32 *wver0;		/* writer key versions as a walk began */
	unsigned long untouched;	/* writer keys present throughout a walk */
};

struct conc_ctx {
	struct hmap *map;
	u32 key_size;
	u32 value_size;
	u32 nstable;
	bool gens_move;		/* stable values are being rewritten */
	u32 gen_done;		/* every stable key has this generation (or newer) */
	struct conc_thread threads[CONC_READERS];
	u32 nthreads;
	/*
	 * Per writer key: a version bumped before and after each write (odd
	 * while one is in flight), and whether the key is in the map.
	 */
	atomic_t wver[CONC_WKEYS];
	u8 wpresent[CONC_WKEYS];
	bool check_untouched;	/* walks check the writer keys they did not race */
};

static void conc_error(struct conc_thread *t, u32 idx, int err, u32 gen)
{
	if (!t->errors++) {
		t->bad_idx = idx;
		t->bad_err = err;
		t->bad_gen = gen;
	}
}

/*
 * Looks up every stable key again and again, and a key never inserted
 * after each pass. Without @gens_move the value must be generation 1; with
 * it, any intact value of the right key whose generation is not older than
 * the one this thread saw before, nor than the writer's updates that
 * returned before the lookup began (@gen_done).
 */
static int conc_reader_fn(void *data)
{
	struct conc_thread *t = data;
	struct conc_ctx *c = t->ctx;
	u32 idx, vidx, vgen, floor;
	int err;

	while (!kthread_should_stop()) {
		for (idx = 0; idx < c->nstable; idx++) {
			/* Pairs with the writer's release: its updates are done. */
			floor = smp_load_acquire(&c->gen_done);
			hmap_test_key(t->key, c->key_size, idx);
			memset(t->value, 0, c->value_size);
			err = hmap_lookup(c->map, t->key, t->value);
			t->lookups++;
			if (err) {
				conc_error(t, idx, err, 0);
				continue;
			}
			if (!hmap_test_value_consistent(t->value, c->value_size,
							&vidx, &vgen) ||
			    vidx != idx) {
				conc_error(t, idx, 0, U32_MAX);
				continue;
			}
			if (c->gens_move ? vgen < max(t->last_gen[idx], floor) :
			    vgen != 1)
				conc_error(t, idx, 0, vgen);
			t->last_gen[idx] = vgen;
		}
		idx = CONC_WKEY0 + CONC_WKEYS + t->passes % CONC_STABLE;
		hmap_test_key(t->key, c->key_size, idx);
		err = hmap_lookup(c->map, t->key, t->value);
		if (err != -ENOENT)
			conc_error(t, idx, err, 0);
		WRITE_ONCE(t->passes, t->passes + 1);
		cond_resched();
	}
	return 0;
}

/* Index in @visits of key @idx: stable keys first, then the writer's. */
static bool conc_visit_slot(const struct conc_ctx *c, u32 idx, u32 *slot)
{
	if (idx < c->nstable) {
		*slot = idx;
		return true;
	}
	if (idx >= CONC_WKEY0 && idx < CONC_WKEY0 + CONC_WKEYS) {
		*slot = c->nstable + idx - CONC_WKEY0;
		return true;
	}
	return false;
}

/*
 * With @check_untouched, a writer key (@slot past the stable ones) that no
 * write touched during the walk (same even version before and after) was
 * present throughout, or absent throughout: exactly once, or never.
 */
static bool conc_untouched(struct conc_thread *t, u32 slot, u8 *want_min,
			   u8 *want_max)
{
	struct conc_ctx *c = t->ctx;
	u32 k = slot - c->nstable, v1;
	u8 present;

	if (!c->check_untouched || slot < c->nstable)
		return false;
	present = READ_ONCE(c->wpresent[k]);
	/* The flag before the version: a write since moved the version. */
	smp_rmb();
	v1 = atomic_read(&c->wver[k]);
	if (v1 != t->wver0[k] || (v1 & 1))
		return false;
	*want_min = present;
	*want_max = present;
	t->untouched += present;
	return true;
}

/*
 * Walks the map again and again, each walk in one RCU read-side section.
 * Per walk: each stable key exactly once, any other key at most once, and
 * every value intact and belonging to its key.
 */
static int conc_iter_fn(void *data)
{
	struct conc_thread *t = data;
	struct conc_ctx *c = t->ctx;
	const u32 nslots = c->nstable + CONC_WKEYS;
	struct hmap_iter it;
	u32 idx, slot, vidx, vgen;
	int err;

	while (!kthread_should_stop()) {
		memset(t->visits, 0, nslots);
		for (slot = 0; slot < CONC_WKEYS; slot++)
			t->wver0[slot] = atomic_read(&c->wver[slot]);
		/* The versions are read before the walk's first step. */
		smp_mb();
		rcu_read_lock();
		hmap_iter_init(c->map, &it);
		while ((err = hmap_iter_next(&it, t->key, t->value)) == 0) {
			idx = hmap_test_key_idx(t->key, c->key_size);
			t->lookups++;
			if (!conc_visit_slot(c, idx, &slot)) {
				conc_error(t, idx, 0, 0);
				continue;
			}
			if (t->visits[slot] < U8_MAX)
				t->visits[slot]++;
			if (!hmap_test_value_consistent(t->value, c->value_size,
							&vidx, &vgen) ||
			    vidx != idx)
				conc_error(t, idx, 0, U32_MAX);
		}
		rcu_read_unlock();
		if (err != -ENOENT)
			conc_error(t, U32_MAX, err, 0);
		/* And the flags and versions after its last. */
		smp_mb();
		for (slot = 0; slot < nslots; slot++) {
			u8 want_max = 1, want_min = slot < c->nstable;

			if (conc_untouched(t, slot, &want_min, &want_max))
				err = -ESRCH;
			else
				err = -EDOM;
			if (t->visits[slot] < want_min || t->visits[slot] > want_max)
				conc_error(t, slot < c->nstable ? slot :
					   slot - c->nstable + CONC_WKEY0,
					   err, t->visits[slot]);
		}
		WRITE_ONCE(t->passes, t->passes + 1);
		cond_resched();
	}
	return 0;
}

/* Reads the map's info, histogram and first bucket, as a debugger would. */
static void conc_introspect(struct conc_thread *t, struct hmap_info *info,
			    struct hmap_histogram *h, struct hmap_bucket_snap *snap)
{
	struct conc_ctx *c = t->ctx;
	int err;

	hmap_get_info(c->map, info);
	if (info->count > c->nstable + CONC_WKEYS)
		conc_error(t, U32_MAX, -ERANGE, (u32)info->count);
	err = hmap_get_histogram(c->map, false, h);
	if (!err)
		err = hmap_snapshot_bucket(c->map, false, 0, snap);
	if (err)
		conc_error(t, U32_MAX, err, 0);
}

/*
 * Scans the map with hmap_scan() again and again, reading its info,
 * histogram and a bucket snapshot between calls. Per scan: each stable
 * key at least once (a scan across a resize may return a key twice), and
 * every value intact and belonging to its key.
 */
static int conc_scan_fn(void *data)
{
	struct conc_thread *t = data;
	struct conc_ctx *c = t->ctx;
	struct hmap_info *info = kzalloc(sizeof(*info), GFP_KERNEL);
	struct hmap_histogram *h = kzalloc(sizeof(*h), GFP_KERNEL);
	struct hmap_bucket_snap *snap = kzalloc(sizeof(*snap), GFP_KERNEL);
	u32 i, n, idx, vidx, vgen;
	u64 cursor;
	int err = 0;

	if (!info || !h || !snap)
		conc_error(t, U32_MAX, -ENOMEM, 0);
	while (info && h && snap && !kthread_should_stop()) {
		memset(t->visits, 0, c->nstable);
		cursor = 0;
		do {
			err = hmap_scan(c->map, &cursor, t->skeys, t->svalues,
					CONC_SCAN_ROOM, &n);
			if (err) {
				conc_error(t, U32_MAX, err, n);
				break;
			}
			for (i = 0; i < n; i++) {
				u8 *v = t->svalues + i * c->value_size;

				idx = hmap_test_key_idx(t->skeys + i * c->key_size,
							c->key_size);
				t->lookups++;
				if (idx < c->nstable && t->visits[idx] < U8_MAX)
					t->visits[idx]++;
				if (!hmap_test_value_consistent(v, c->value_size,
								&vidx, &vgen) ||
				    vidx != idx)
					conc_error(t, idx, 0, U32_MAX);
			}
			conc_introspect(t, info, h, snap);
		} while (cursor);
		for (idx = 0; !err && idx < c->nstable; idx++)
			if (!t->visits[idx])
				conc_error(t, idx, -EDOM, 0);
		WRITE_ONCE(t->passes, t->passes + 1);
		cond_resched();
	}
	kfree(info);
	kfree(h);
	kfree(snap);
	/* Not gone before kthread_stop(), which needs the task. */
	while (!kthread_should_stop())
		usleep_range(1000, 2000);
	return 0;
}

static void conc_stop_threads(void *data)
{
	struct conc_ctx *c = data;
	u32 i;

	for (i = 0; i < c->nthreads; i++) {
		if (c->threads[i].task) {
			kthread_stop(c->threads[i].task);
			c->threads[i].task = NULL;
		}
	}
}

/* Context and map with keys [0, nstable) at generation 1. */
static struct conc_ctx *conc_setup(struct kunit *test, u32 value_size)
{
	struct conc_ctx *c = hmap_test_buf(test, sizeof(*c));

	c->key_size = 8;
	c->value_size = value_size;
	c->nstable = CONC_STABLE;
	c->map = hmap_test_create(test, c->key_size, value_size, 0);
	hmap_test_insert_range(test, c->map, 0, c->nstable, 1);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, conc_stop_threads, c), 0);
	return c;
}

static void conc_start(struct kunit *test, struct conc_ctx *c,
		       int (*fn)(void *), u32 nthreads, const char *name)
{
	u32 i;

	for (i = 0; i < nthreads; i++) {
		struct conc_thread *t = &c->threads[i];
		struct task_struct *task;

		t->ctx = c;
		t->key = hmap_test_buf(test, c->key_size);
		t->value = hmap_test_buf(test, c->value_size);
		t->last_gen = hmap_test_buf(test, c->nstable * sizeof(u32));
		t->visits = hmap_test_buf(test, c->nstable + CONC_WKEYS);
		t->skeys = hmap_test_buf(test, CONC_SCAN_ROOM * c->key_size);
		t->svalues = hmap_test_buf(test, CONC_SCAN_ROOM * c->value_size);
		t->wver0 = hmap_test_buf(test, CONC_WKEYS * sizeof(u32));
		task = kthread_run(fn, t, "%s/%u", name, i);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(task),
				       "kthread_run: %pe", task);
		t->task = task;
		c->nthreads = i + 1;
	}
	/* Let every thread finish one pass before the writer starts. */
	for (i = 0; i < nthreads; i++) {
		unsigned long deadline = jiffies + CONC_START_TIMEOUT;

		while (!READ_ONCE(c->threads[i].passes)) {
			KUNIT_ASSERT_TRUE_MSG(test, time_before(jiffies, deadline),
					      "thread %u made no pass", i);
			usleep_range(1000, 2000);
		}
	}
}

/* Stops the threads and checks what they counted. */
static void conc_finish(struct kunit *test, struct conc_ctx *c)
{
	u32 i;

	conc_stop_threads(c);
	for (i = 0; i < c->nthreads; i++) {
		struct conc_thread *t = &c->threads[i];

		KUNIT_EXPECT_GT_MSG(test, t->lookups, 0UL,
				    "thread %u did nothing", i);
		KUNIT_EXPECT_EQ_MSG(test, t->errors, 0UL,
				    "thread %u: %lu errors in %lu lookups; first: key %u err %d gen/visits %u",
				    i, t->errors, t->lookups, t->bad_idx,
				    t->bad_err, t->bad_gen);
	}
}

/* Passes (lookup rounds or walks) made by all threads so far. */
static unsigned long conc_passes(const struct conc_ctx *c)
{
	unsigned long sum = 0;
	u32 i;

	for (i = 0; i < c->nthreads; i++)
		sum += READ_ONCE(c->threads[i].passes);
	return sum;
}

/* Inserts (or deletes) writer key @i, its version odd meanwhile. */
static int conc_write_key(struct conc_ctx *c, u32 i, u8 *key, u8 *value,
			  bool insert)
{
	u32 k = i - CONC_WKEY0;
	int err;

	hmap_test_key(key, c->key_size, i);
	/* Fully ordered: the version moves before the write, and after it. */
	atomic_inc_return(&c->wver[k]);
	if (insert)
		err = hmap_update(c->map, key, value, HMAP_UPDATE_NOEXIST, GFP_KERNEL);
	else
		err = hmap_delete(c->map, key, GFP_KERNEL);
	if (!err)
		WRITE_ONCE(c->wpresent[k], insert);
	atomic_inc_return(&c->wver[k]);
	return err;
}

/* Inserts the writer's keys (growing the map), then deletes them. */
static void conc_write_round(struct kunit *test, struct conc_ctx *c, u32 gen)
{
	u8 *key = hmap_test_buf(test, c->key_size);
	u8 *value = hmap_test_buf(test, c->value_size);
	u32 i;

	for (i = CONC_WKEY0; i < CONC_WKEY0 + CONC_WKEYS; i++) {
		hmap_test_value(value, c->value_size, i, gen);
		KUNIT_ASSERT_EQ_MSG(test, conc_write_key(c, i, key, value, true),
				    0, "insert of writer key %u", i);
	}
	for (i = CONC_WKEY0; i < CONC_WKEY0 + CONC_WKEYS; i++)
		KUNIT_ASSERT_EQ_MSG(test, conc_write_key(c, i, key, value, false),
				    0, "delete of writer key %u", i);
}

/*
 * A second writer on keys of its own: a pass inserts them all and
 * deletes them all, so a stop between passes leaves none behind. Its
 * writes and the case's contend for the map's lock.
 */
static int conc_churn_fn(void *data)
{
	struct conc_thread *t = data;
	struct conc_ctx *c = t->ctx;
	u32 i, phase;
	int err;

	while (!kthread_should_stop()) {
		for (phase = 0; phase < 2; phase++) {
			for (i = CONC_CKEY0; i < CONC_CKEY0 + CONC_CKEYS; i++) {
				hmap_test_key(t->key, c->key_size, i);
				hmap_test_value(t->value, c->value_size, i, 1);
				err = phase ? hmap_delete(c->map, t->key, GFP_KERNEL) :
				      hmap_update(c->map, t->key, t->value,
						  HMAP_UPDATE_NOEXIST, GFP_KERNEL);
				t->lookups++;
				if (err)
					conc_error(t, i, err, phase);
			}
		}
		WRITE_ONCE(t->passes, t->passes + 1);
		cond_resched();
	}
	return 0;
}

/*
 * The writer runs at least two rounds (insert 900 keys: four grows; delete
 * them), and more until the readers made CONC_MIN_PASSES passes while it
 * was writing, so that the lookups overlap the grows.
 */
#define CONC_MIN_PASSES	8
#define CONC_DEADLINE	(60 * HZ)

/*
 * Writer rounds, at least @min_rounds, until the threads made
 * CONC_MIN_PASSES passes meanwhile (or CONC_DEADLINE); returns their passes.
 */
static unsigned long conc_write_rounds(struct kunit *test, struct conc_ctx *c,
				       u32 min_rounds)
{
	unsigned long deadline = jiffies + CONC_DEADLINE;
	unsigned long passes = conc_passes(c);
	u32 round = 0;

	do {
		conc_write_round(test, c, ++round);
	} while ((round < min_rounds ||
		  conc_passes(c) - passes < CONC_MIN_PASSES) &&
		 time_before(jiffies, deadline));
	return conc_passes(c) - passes;
}

static void readers_find_stable_keys_while_map_grows(struct kunit *test)
{
	struct conc_ctx *c = conc_setup(test, 16);
	struct hmap_info *before = hmap_test_info(test, c->map), *after;
	unsigned long passes;

	conc_start(test, c, conc_reader_fn, CONC_READERS, "hmap_reader");
	passes = conc_write_rounds(test, c, 2);
	after = hmap_test_info(test, c->map);
	conc_finish(test, c);
	KUNIT_EXPECT_GE_MSG(test, passes, (unsigned long)CONC_MIN_PASSES,
			    "reader passes while the writer ran");
	KUNIT_EXPECT_GE_MSG(test, after->counters[HMAP_STAT_GROWS] -
			    before->counters[HMAP_STAT_GROWS], 3ULL,
			    "the writer did not make the map grow 3 times");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, c->map, 0,
							c->nstable, 1), 0U,
			    "stable keys after the run");
}

static const u32 conc_value_sizes[] = { 64, 512 };

static void conc_value_sizes_desc(const u32 *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "value_size_%u", *p);
}

KUNIT_ARRAY_PARAM(conc_value_sizes, conc_value_sizes, conc_value_sizes_desc);

/*
 * Stable keys get new values (a new generation each round) while the map
 * grows: a reader must see each value whole, and never go back to an
 * older generation of a key after seeing a newer one.
 */
static void readers_never_see_torn_or_old_values(struct kunit *test)
{
	const u32 rounds = 60;
	const u32 vs = *(const u32 *)test->param_value;
	struct conc_ctx *c = conc_setup(test, vs);
	struct hmap_info *before = hmap_test_info(test, c->map), *after;
	u8 *key = hmap_test_buf(test, c->key_size);
	u8 *value = hmap_test_buf(test, vs);
	u32 gen, i, w = CONC_WKEY0;
	unsigned long passes;

	c->gens_move = true;
	conc_start(test, c, conc_reader_fn, CONC_READERS, "hmap_reader");
	passes = conc_passes(c);
	for (gen = 2; gen < 2 + rounds; gen++) {
		for (i = 0; i < c->nstable; i++) {
			hmap_test_key(key, c->key_size, i);
			hmap_test_value(value, vs, i, gen);
			KUNIT_ASSERT_EQ_MSG(test,
					    hmap_update(c->map, key, value,
							HMAP_UPDATE_EXIST, GFP_KERNEL),
					    0, "rewrite of key %u", i);
		}
		/* Every rewrite of this round returned before; see the reader. */
		smp_store_release(&c->gen_done, gen);
		/* And grow: 15 new keys a round, 900 in all. */
		for (i = 0; i < 15; i++, w++) {
			hmap_test_key(key, c->key_size, w);
			hmap_test_value(value, vs, w, gen);
			KUNIT_ASSERT_EQ_MSG(test,
					    hmap_update(c->map, key, value,
							HMAP_UPDATE_NOEXIST, GFP_KERNEL),
					    0, "insert of key %u", w);
		}
	}
	passes = conc_passes(c) - passes;
	after = hmap_test_info(test, c->map);
	conc_finish(test, c);
	KUNIT_EXPECT_GT_MSG(test, passes, 0UL,
			    "no reader pass while the writer ran");
	KUNIT_EXPECT_GE_MSG(test, after->counters[HMAP_STAT_GROWS] -
			    before->counters[HMAP_STAT_GROWS], 3ULL,
			    "the writer did not make the map grow 3 times");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, c->map, 0,
							c->nstable, 1 + rounds),
			    0U, "stable keys after the run");
}

/*
 * One thread of @fn (a walker or a scanner) runs while the writer grows
 * and shrinks the map, until it made CONC_MIN_PASSES passes.
 */
static struct conc_ctx *conc_walk_during_grow(struct kunit *test,
					      int (*fn)(void *),
					      const char *name, bool untouched)
{
	struct conc_ctx *c = conc_setup(test, 16);
	struct hmap_info *before = hmap_test_info(test, c->map), *after;
	unsigned long passes;

	c->check_untouched = untouched;
	conc_start(test, c, fn, 1, name);
	passes = conc_write_rounds(test, c, 1);
	after = hmap_test_info(test, c->map);
	conc_finish(test, c);
	KUNIT_EXPECT_GE_MSG(test, passes, (unsigned long)CONC_MIN_PASSES,
			    "%s passes done while the writer ran", name);
	KUNIT_EXPECT_GE_MSG(test, after->counters[HMAP_STAT_GROWS] -
			    before->counters[HMAP_STAT_GROWS], 3ULL,
			    "the writer did not make the map grow 3 times");
	return c;
}

static void iter_concurrent_with_grow_sees_stable_keys_once(struct kunit *test)
{
	conc_walk_during_grow(test, conc_iter_fn, "hmap_iter", false);
}

/*
 * Writer keys that no write touched during a walk are returned exactly
 * once if present, never if absent (the walker's errors say -ESRCH).
 */
static void iter_concurrent_with_grow_sees_untouched_keys_exactly_once(struct kunit *test)
{
	struct conc_ctx *c = conc_walk_during_grow(test, conc_iter_fn,
						   "hmap_iter", true);

	KUNIT_EXPECT_GT_MSG(test, c->threads[0].untouched, 0UL,
			    "no walk had a writer key present throughout");
}

static void scan_concurrent_with_grow_sees_stable_keys(struct kunit *test)
{
	conc_walk_during_grow(test, conc_scan_fn, "hmap_scan", false);
}

/*
 * Two writers contend for the map's lock while it grows and shrinks:
 * every write of each succeeds as if it were alone, and both leave only
 * the stable keys behind.
 */
static void second_writer_contends_without_lost_writes(struct kunit *test)
{
	struct conc_ctx *c = conc_setup(test, 16);
	unsigned long passes;

	conc_start(test, c, conc_churn_fn, 1, "hmap_churn");
	passes = conc_write_rounds(test, c, 2);
	conc_finish(test, c);
	KUNIT_EXPECT_GE_MSG(test, passes, (unsigned long)CONC_MIN_PASSES,
			    "second writer passes while the first ran");
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(c->map), (u64)c->nstable,
			    "count after both writers deleted their keys");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, c->map, 0,
							c->nstable, 1), 0U,
			    "stable keys after the run");
}

static struct kunit_case hmap_concurrency_cases[] = {
	KUNIT_CASE_SLOW(readers_find_stable_keys_while_map_grows),
	KUNIT_CASE_PARAM_ATTR(readers_never_see_torn_or_old_values,
			      conc_value_sizes_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_SLOW(iter_concurrent_with_grow_sees_stable_keys_once),
	KUNIT_CASE_SLOW(iter_concurrent_with_grow_sees_untouched_keys_exactly_once),
	KUNIT_CASE_SLOW(scan_concurrent_with_grow_sees_stable_keys),
	KUNIT_CASE_SLOW(second_writer_contends_without_lost_writes),
	{}
};

HMAP_TEST_SUITE(hmap_concurrency, hmap_concurrency_cases);
