// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_iter": walks with hmap_iter_init()/hmap_iter_next(),
 * each inside one RCU read-side critical section, and with the resumable
 * cursor of hmap_scan(). Visit counters prove that every key comes back
 * exactly once (or, for a scan across grows, at least once).
 */
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <kunit/test.h>

#include "hmap_test.h"

/* What one walk saw. Filled under rcu_read_lock(): no KUnit calls there. */
struct iter_walk {
	u32 nkeys;		/* keys [0, nkeys) are counted in @visits */
	u8 *visits;		/* times each key was returned (saturates) */
	u32 returned;		/* entries returned */
	u32 unknown;		/* keys outside [0, nkeys) */
	u32 bad_values;		/* value not the one its key was given */
	u32 first;		/* first key returned */
	int end;		/* what the last hmap_iter_next() returned */
	int after_end;		/* what one more call returned */
};

static struct iter_walk *iter_walk_alloc(struct kunit *test, u32 nkeys)
{
	struct iter_walk *w = hmap_test_buf(test, sizeof(*w));

	w->nkeys = nkeys;
	w->visits = hmap_test_buf(test, nkeys);
	return w;
}

/*
 * One walk over @map. Values are checked against their own header (key
 * number and generation, see hmap_test_value()) when value_size allows,
 * else not at all. With @null_value, values are not copied out.
 */
static void iter_walk(struct kunit *test, struct hmap *map,
		      struct iter_walk *w, bool null_value)
{
	struct hmap_info *info = hmap_test_info(test, map);
	u32 ks = info->key_size, vs = info->value_size;
	u8 *key = hmap_test_buf(test, ks);
	u8 *value = hmap_test_buf(test, vs);
	struct hmap_iter it;
	u32 idx, vidx, vgen;

	memset(w->visits, 0, w->nkeys);
	w->returned = 0;
	w->unknown = 0;
	w->bad_values = 0;
	w->first = U32_MAX;

	rcu_read_lock();
	hmap_iter_init(map, &it);
	while ((w->end = hmap_iter_next(&it, key, null_value ? NULL : value)) == 0) {
		idx = hmap_test_key_idx(key, ks);
		if (!w->returned++)
			w->first = idx;
		if (idx >= w->nkeys) {
			w->unknown++;
			continue;
		}
		if (w->visits[idx] < U8_MAX)
			w->visits[idx]++;
		if (!null_value && vs >= 8 &&
		    (!hmap_test_value_consistent(value, vs, &vidx, &vgen) ||
		     vidx != idx))
			w->bad_values++;
	}
	w->after_end = hmap_iter_next(&it, key, value);
	rcu_read_unlock();
}

/* Expect keys [0, nkeys) once each, except those @absent says are gone. */
static void iter_expect_once(struct kunit *test, const struct iter_walk *w,
			     bool (*absent)(u32 idx), const char *when)
{
	u32 i, want;

	KUNIT_EXPECT_EQ_MSG(test, w->end, -ENOENT, "%s: end of walk", when);
	KUNIT_EXPECT_EQ_MSG(test, w->unknown, 0U,
			    "%s: keys never inserted returned", when);
	KUNIT_EXPECT_EQ_MSG(test, w->bad_values, 0U,
			    "%s: entries with wrong values", when);
	for (i = 0; i < w->nkeys; i++) {
		want = absent && absent(i) ? 0 : 1;
		KUNIT_EXPECT_EQ_MSG(test, w->visits[i], want,
				    "%s: key %u returned %u times", when, i,
				    w->visits[i]);
	}
}

struct iter_sizes {
	u32 key_size;
	u32 value_size;
};

static const struct iter_sizes iter_sizes[] = {
	{ 1, 16 }, { 8, 16 }, { 200, 16 }, { 16, 4096 },
};

static void iter_sizes_desc(const struct iter_sizes *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "key_size_%u_value_size_%u",
		 p->key_size, p->value_size);
}

KUNIT_ARRAY_PARAM(iter_sizes, iter_sizes, iter_sizes_desc);

#define ITER_NKEYS	200

static void iter_visits_every_key_once(struct kunit *test)
{
	const struct iter_sizes *p = test->param_value;
	struct hmap *map = hmap_test_create_quiet(test, p->key_size, p->value_size, 0);
	struct iter_walk *w = iter_walk_alloc(test, ITER_NKEYS);

	hmap_test_insert_range(test, map, 0, ITER_NKEYS, 1);
	hmap_test_finish_growth(test, map, 0, 1, 64);
	iter_walk(test, map, w, false);
	KUNIT_EXPECT_EQ_MSG(test, w->returned, ITER_NKEYS, "entries returned");
	iter_expect_once(test, w, NULL, "walk without writers");
}

static void iter_returns_current_values(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct hmap_info *info = hmap_test_info(test, map);
	u8 key[8], value[16];
	struct hmap_iter it;
	u32 idx, wrong = 0, n = 0;
	int err;

	hmap_test_insert_range(test, map, 0, ITER_NKEYS, 1);
	/* Every third key gets a second generation. */
	for (idx = 0; idx < ITER_NKEYS; idx += 3)
		hmap_test_insert_range(test, map, idx, idx + 1, 2);
	hmap_get_info(map, info);
	KUNIT_ASSERT_EQ(test, info->count, (u64)ITER_NKEYS);

	rcu_read_lock();
	hmap_iter_init(map, &it);
	while ((err = hmap_iter_next(&it, key, value)) == 0) {
		idx = hmap_test_key_idx(key, sizeof(key));
		n++;
		if (!hmap_test_value_ok(value, sizeof(value), idx,
					idx % 3 ? 1 : 2))
			wrong++;
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ_MSG(test, err, -ENOENT, "end of walk");
	KUNIT_EXPECT_EQ_MSG(test, n, ITER_NKEYS, "entries returned");
	KUNIT_EXPECT_EQ_MSG(test, wrong, 0U, "entries with a stale value");
}

static void iter_start_point_varies(struct kunit *test)
{
	const u32 walks = 20;
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct iter_walk *w = iter_walk_alloc(test, ITER_NKEYS);
	u32 i, first = U32_MAX, differ = 0;

	hmap_test_insert_range(test, map, 0, ITER_NKEYS, 1);
	for (i = 0; i < walks; i++) {
		iter_walk(test, map, w, false);
		KUNIT_ASSERT_EQ_MSG(test, w->returned, ITER_NKEYS,
				    "walk %u: entries returned", i);
		if (i == 0)
			first = w->first;
		else if (w->first != first)
			differ++;
	}
	KUNIT_EXPECT_GT_MSG(test, differ, 0U,
			    "%u walks all started at key %u", walks, first);
}

static void iter_during_grow_visits_every_key_once(struct kunit *test)
{
	/* 104 keys fill 16 buckets; the 105th starts a grow. */
	const u32 edge = 104, nkeys = edge + 4;
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct iter_walk *w = iter_walk_alloc(test, nkeys);
	struct hmap_info *info;

	hmap_test_insert_range(test, map, 0, edge, 1);
	hmap_test_finish_growth(test, map, 0, 1, 16);
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ_MSG(test, info->B, 4U, "B at the edge");
	/* Start the grow, then three more writes: at most 8 of 16 moved. */
	hmap_test_insert_range(test, map, edge, nkeys, 1);
	hmap_get_info(map, info);
	KUNIT_ASSERT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_DOUBLE,
			    "map not growing");
	KUNIT_ASSERT_GT_MSG(test, info->nevacuate, 0ULL,
			    "nothing evacuated yet");
	iter_walk(test, map, w, false);
	KUNIT_EXPECT_EQ_MSG(test, w->returned, nkeys, "entries returned");
	iter_expect_once(test, w, NULL, "walk during a grow");
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_DOUBLE,
			    "grow ended before the walk (test is void)");
}

static void iter_empty_map_returns_enoent(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct iter_walk *w = iter_walk_alloc(test, 1);

	iter_walk(test, map, w, false);
	KUNIT_EXPECT_EQ_MSG(test, w->end, -ENOENT, "first call on a new map");
	KUNIT_EXPECT_EQ_MSG(test, w->returned, 0U, "entries from a new map");
}

static bool iter_multiple_of_3(u32 idx)
{
	return idx % 3 == 0;
}

static void iter_emptied_map_returns_enoent(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct iter_walk *w = iter_walk_alloc(test, ITER_NKEYS);
	u8 key[8];
	u32 i;

	hmap_test_insert_range(test, map, 0, ITER_NKEYS, 1);
	for (i = 0; i < ITER_NKEYS; i++) {
		hmap_test_key(key, sizeof(key), i);
		KUNIT_ASSERT_EQ(test, hmap_delete(map, key, GFP_KERNEL), 0);
	}
	iter_walk(test, map, w, false);
	KUNIT_EXPECT_EQ_MSG(test, w->end, -ENOENT, "walk of an emptied map");
	KUNIT_EXPECT_EQ_MSG(test, w->returned, 0U,
			    "entries from an emptied map");
}

static void iter_skips_deleted_keys(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct iter_walk *w = iter_walk_alloc(test, ITER_NKEYS);
	u8 key[8];
	u32 i;

	hmap_test_insert_range(test, map, 0, ITER_NKEYS, 1);
	for (i = 0; i < ITER_NKEYS; i += 3) {
		hmap_test_key(key, sizeof(key), i);
		KUNIT_ASSERT_EQ(test, hmap_delete(map, key, GFP_KERNEL), 0);
	}
	iter_walk(test, map, w, false);
	iter_expect_once(test, w, iter_multiple_of_3, "walk after deletes");
}

static void iter_end_is_sticky(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct iter_walk *w = iter_walk_alloc(test, ITER_NKEYS);

	hmap_test_insert_range(test, map, 0, 50, 1);
	iter_walk(test, map, w, false);
	KUNIT_ASSERT_EQ(test, w->end, -ENOENT);
	KUNIT_EXPECT_EQ_MSG(test, w->after_end, -ENOENT,
			    "hmap_iter_next() after the end");
}

static void iter_with_null_value_returns_keys(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct iter_walk *w = iter_walk_alloc(test, ITER_NKEYS);

	hmap_test_insert_range(test, map, 0, ITER_NKEYS, 1);
	iter_walk(test, map, w, true);
	KUNIT_EXPECT_EQ_MSG(test, w->returned, ITER_NKEYS, "entries returned");
	iter_expect_once(test, w, NULL, "walk with a NULL value buffer");
}

/*
 * hmap_scan(): the resumable dump cursor. Keys and values come out packed,
 * one bucket group per call.
 */
struct scan_walk {
	u8 *keys;
	u8 *values;
	u32 room;
	u32 calls;
	int err;		/* first error of a call */
};

static struct scan_walk *scan_walk_alloc(struct kunit *test, u32 room,
					 u32 ks, u32 vs)
{
	struct scan_walk *s = hmap_test_buf(test, sizeof(*s));

	s->room = room;
	s->keys = hmap_test_buf(test, room * ks);
	s->values = hmap_test_buf(test, room * vs);
	return s;
}

/*
 * Runs scan calls from *@cursor until it returns to 0 or @max_calls calls
 * were made, counting visits as iter_walk() does (keys and values of
 * 8 and 16 bytes).
 */
static void scan_calls(struct hmap *map, struct scan_walk *s,
		       struct iter_walk *w, u64 *cursor, u32 max_calls)
{
	u32 i, n, idx, vidx, vgen;

	do {
		s->err = hmap_scan(map, cursor, s->keys, s->values, s->room, &n);
		if (s->err)
			return;
		s->calls++;
		for (i = 0; i < n; i++) {
			idx = hmap_test_key_idx(s->keys + i * 8, 8);
			w->returned++;
			if (idx >= w->nkeys) {
				w->unknown++;
				continue;
			}
			if (w->visits[idx] < U8_MAX)
				w->visits[idx]++;
			if (!hmap_test_value_consistent(s->values + i * 16, 16,
							&vidx, &vgen) ||
			    vidx != idx)
				w->bad_values++;
		}
	} while (*cursor && --max_calls);
}

static void scan_returns_every_key_once(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct iter_walk *w = iter_walk_alloc(test, ITER_NKEYS);
	struct scan_walk *s = scan_walk_alloc(test, 64, 8, 16);
	struct hmap_info *info;
	u64 cursor = 0;

	hmap_test_insert_range(test, map, 0, ITER_NKEYS, 1);
	hmap_test_finish_growth(test, map, 0, 1, 64);
	info = hmap_test_info(test, map);
	scan_calls(map, s, w, &cursor, 1U << 20);
	KUNIT_ASSERT_EQ_MSG(test, s->err, 0, "hmap_scan() failed");
	KUNIT_EXPECT_EQ_MSG(test, cursor, 0ULL, "cursor did not come back to 0");
	KUNIT_EXPECT_EQ_MSG(test, s->calls, 1U << info->B,
			    "calls for a table of 2^%u buckets", info->B);
	w->end = -ENOENT;
	iter_expect_once(test, w, NULL, "scan without writers");
}

static void scan_during_grow_returns_every_key_once(struct kunit *test)
{
	const u32 edge = 104, nkeys = edge + 3;
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct iter_walk *w = iter_walk_alloc(test, nkeys);
	struct scan_walk *s = scan_walk_alloc(test, 64, 8, 16);
	struct hmap_info *info;
	u64 cursor = 0;

	hmap_test_insert_range(test, map, 0, edge, 1);
	hmap_test_finish_growth(test, map, 0, 1, 16);
	hmap_test_insert_range(test, map, edge, nkeys, 1);
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_DOUBLE,
			    "map not growing");
	scan_calls(map, s, w, &cursor, 1U << 20);
	KUNIT_ASSERT_EQ_MSG(test, s->err, 0, "hmap_scan() failed");
	KUNIT_EXPECT_EQ_MSG(test, cursor, 0ULL, "cursor did not come back to 0");
	w->end = -ENOENT;
	iter_expect_once(test, w, NULL, "scan during a grow");
}

/*
 * Keys present for the whole scan come out once although the map grew 4
 * times between calls: the groups visited before a doubling stay visited.
 */
static void scan_across_grows_returns_every_key_once(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct iter_walk *w = iter_walk_alloc(test, ITER_NKEYS);
	struct scan_walk *s = scan_walk_alloc(test, 256, 8, 16);
	struct hmap_info *before, *after;
	u64 cursor = 0;
	u32 i;

	hmap_test_insert_range(test, map, 0, ITER_NKEYS, 1);
	hmap_test_finish_growth(test, map, 0, 1, 64);
	before = hmap_test_info(test, map);
	/* Half of the 32 groups, then 1800 more keys, then the rest. */
	scan_calls(map, s, w, &cursor, 16);
	KUNIT_ASSERT_EQ_MSG(test, s->err, 0, "hmap_scan() failed");
	KUNIT_ASSERT_NE_MSG(test, cursor, 0ULL, "scan over after 16 calls");
	hmap_test_insert_range(test, map, 10000, 11800, 1);
	after = hmap_test_info(test, map);
	KUNIT_ASSERT_GE_MSG(test, after->B, before->B + 3, "map did not grow");
	scan_calls(map, s, w, &cursor, 1U << 20);
	KUNIT_ASSERT_EQ_MSG(test, s->err, 0, "hmap_scan() failed");
	KUNIT_EXPECT_EQ_MSG(test, cursor, 0ULL, "cursor did not come back to 0");
	for (i = 0; i < ITER_NKEYS; i++)
		KUNIT_EXPECT_EQ_MSG(test, w->visits[i], 1,
				    "key %u returned %u times by a scan across grows",
				    i, w->visits[i]);
	KUNIT_EXPECT_EQ(test, w->bad_values, 0U);
}

static void scan_small_buffer_returns_enospc_and_room(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct iter_walk *w = iter_walk_alloc(test, 8);
	struct scan_walk *s = scan_walk_alloc(test, 8, 8, 16);
	u64 cursor = 0;
	u32 n = 0;

	/* One bucket: a single group of 8 entries. */
	hmap_test_insert_range(test, map, 0, 8, 1);
	KUNIT_EXPECT_EQ_MSG(test, hmap_scan(map, &cursor, s->keys, s->values,
					    3, &n), -ENOSPC,
			    "8 entries in a buffer of 3");
	KUNIT_EXPECT_EQ_MSG(test, n, 8U, "room needed");
	KUNIT_EXPECT_EQ_MSG(test, cursor, 0ULL, "cursor moved on -ENOSPC");
	scan_calls(map, s, w, &cursor, 1);
	KUNIT_EXPECT_EQ_MSG(test, s->err, 0, "scan with the room it asked for");
	KUNIT_EXPECT_EQ_MSG(test, cursor, 0ULL, "one group, one call");
	w->end = -ENOENT;
	iter_expect_once(test, w, NULL, "scan after -ENOSPC");
}

static void scan_empty_map_ends_at_once(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 16, 0);
	struct scan_walk *s = scan_walk_alloc(test, 8, 8, 16);
	u64 cursor = 0;
	u32 n = 1;

	KUNIT_EXPECT_EQ(test, hmap_scan(map, &cursor, s->keys, s->values,
					s->room, &n), 0);
	KUNIT_EXPECT_EQ_MSG(test, n, 0U, "entries from an empty map");
	KUNIT_EXPECT_EQ_MSG(test, cursor, 0ULL,
			    "cursor of a one-bucket map after one call");
}

static struct kunit_case hmap_iter_cases[] = {
	KUNIT_CASE_PARAM(iter_visits_every_key_once, iter_sizes_gen_params),
	KUNIT_CASE(iter_returns_current_values),
	KUNIT_CASE(iter_start_point_varies),
	KUNIT_CASE(iter_during_grow_visits_every_key_once),
	KUNIT_CASE(iter_empty_map_returns_enoent),
	KUNIT_CASE(iter_emptied_map_returns_enoent),
	KUNIT_CASE(iter_skips_deleted_keys),
	KUNIT_CASE(iter_end_is_sticky),
	KUNIT_CASE(iter_with_null_value_returns_keys),
	KUNIT_CASE(scan_returns_every_key_once),
	KUNIT_CASE(scan_during_grow_returns_every_key_once),
	KUNIT_CASE(scan_across_grows_returns_every_key_once),
	KUNIT_CASE(scan_small_buffer_returns_enospc_and_room),
	KUNIT_CASE(scan_empty_map_ends_at_once),
	{}
};

HMAP_TEST_SUITE(hmap_iter, hmap_iter_cases);
