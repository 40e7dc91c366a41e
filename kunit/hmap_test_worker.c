// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_worker": the background worker evacuates what writers
 * leave unfinished. A shrink or a grow that no write follows is finished
 * by the worker; writes coming back to back do the evacuating themselves.
 *
 * The cases poll the map with a bounded msleep() loop (hmap_test_wait()).
 */
#include <linux/delay.h>
#include <kunit/test.h>

#include "hmap_test.h"

/* B of the map emptied one shrink at a time. */
#define WORKER_B	4

/*
 * Deleting every key of a map of 2^WORKER_B buckets, pausing after each
 * delete that starts a shrink: the worker then does every evacuation,
 * and the map ends at one bucket, with the memory of a fresh map (as
 * without the pauses: emptied_map_returns_to_one_bucket in hmap_shrink).
 */
static void emptied_map_is_shrunk_by_worker_when_deletes_pause(struct kunit *test)
{
	struct hmap *map = hmap_test_map_at_edge(test, WORKER_B, 8, 0, 0);
	struct hmap *fresh_map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *fresh = hmap_test_info(test, fresh_map);
	struct hmap_info *before = hmap_test_info(test, map);
	struct hmap_info *info = hmap_test_buf(test, sizeof(*info));
	u32 n = hmap_test_grow_edge(WORKER_B);
	u64 old_total = 0, cached;

	while (n) {
		hmap_test_delete(test, map, --n);
		hmap_get_info(map, info);
		if (info->growth == HMAP_GROWTH_NONE)
			continue;
		old_total += info->old_buckets;
		KUNIT_ASSERT_TRUE_MSG(test, hmap_test_wait(map, info,
							   hmap_test_not_growing),
				      "shrink at %u keys not over after %u ms (nevacuate %llu of %llu)",
				      n, HMAP_TEST_WAIT_MS, info->nevacuate,
				      info->old_buckets);
	}
	KUNIT_ASSERT_TRUE_MSG(test, hmap_test_wait(map, info, hmap_test_one_bucket),
			      "emptied map at B %u, growth %u after %u ms",
			      info->B, info->growth, HMAP_TEST_WAIT_MS);
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS] -
			    before->counters[HMAP_STAT_SHRINKS], (u64)WORKER_B,
			    "shrinks from 2^%u buckets to 1", WORKER_B);
	KUNIT_EXPECT_GT_MSG(test, info->counters[HMAP_STAT_EVACUATED_BG] -
			    before->counters[HMAP_STAT_EVACUATED_BG], 0ULL,
			    "buckets evacuated by the worker");
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_EVACUATED_BG] -
			    before->counters[HMAP_STAT_EVACUATED_BG], old_total,
			    "the worker did not evacuate every old bucket of the shrinks");
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_EVACUATED] -
			    before->counters[HMAP_STAT_EVACUATED], 0ULL,
			    "buckets evacuated by writers (no write during a shrink)");
	cached = info->cache_objects * info->bucket_size;
	KUNIT_EXPECT_LE_MSG(test, info->memory, fresh->memory + cached,
			    "memory %llu of the emptied map vs %llu of a fresh one (%llu cached)",
			    info->memory, fresh->memory, cached);
}

/* A grow that no write follows is finished by the worker. */
static void grow_finishes_in_background_when_writes_stop(struct kunit *test)
{
	const u32 B = 6;
	struct hmap *map = hmap_test_map_at_edge(test, B, 8, 0, 0);
	struct hmap_info *pre = hmap_test_info(test, map), *start;
	struct hmap_info *info = hmap_test_buf(test, sizeof(*info));
	u32 n = hmap_test_grow_edge(B);
	u64 bg, wr;

	hmap_test_insert_range(test, map, n, n + 1, 1);
	start = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ_MSG(test, start->growth, (u32)HMAP_GROWTH_DOUBLE,
			    "no grow at %u keys", n + 1);
	/* The insert that started the grow evacuated up to 2 buckets. */
	KUNIT_ASSERT_LE(test, start->counters[HMAP_STAT_EVACUATED] -
			pre->counters[HMAP_STAT_EVACUATED], 2ULL);
	KUNIT_EXPECT_TRUE_MSG(test, hmap_test_wait(map, info, hmap_test_not_growing),
			      "grow not over %u ms after the last write (nevacuate %llu of %llu)",
			      HMAP_TEST_WAIT_MS, info->nevacuate, info->old_buckets);
	KUNIT_EXPECT_EQ_MSG(test, info->old_buckets, 0ULL, "old array");
	KUNIT_EXPECT_EQ_MSG(test, info->B, B + 1, "B");
	bg = info->counters[HMAP_STAT_EVACUATED_BG] -
	     start->counters[HMAP_STAT_EVACUATED_BG];
	wr = info->counters[HMAP_STAT_EVACUATED] -
	     start->counters[HMAP_STAT_EVACUATED];
	KUNIT_EXPECT_GT_MSG(test, bg, 0ULL, "buckets evacuated by the worker");
	KUNIT_EXPECT_EQ_MSG(test, wr, 0ULL,
			    "buckets evacuated by writers after the last write");
	KUNIT_EXPECT_EQ_MSG(test, bg + start->counters[HMAP_STAT_EVACUATED] -
			    pre->counters[HMAP_STAT_EVACUATED], 1ULL << B,
			    "old buckets evacuated by the grow's insert and the worker");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, map, 0, n + 1, 1),
			    0U, "keys lost by the background evacuation");
}

/* Writes coming back to back evacuate the old array themselves. */
static void writers_evacuate_while_writes_continue(struct kunit *test)
{
	const u32 B = 8, writes = 32;
	struct hmap *map = hmap_test_map_at_edge(test, B, 8, 0, 0);
	u32 n = hmap_test_grow_edge(B), i;
	struct hmap_info *start, *info;
	u64 wr, bg;

	hmap_test_insert_range(test, map, n, n + 1, 1);
	start = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ_MSG(test, start->growth, (u32)HMAP_GROWTH_DOUBLE,
			    "no grow at %u keys", n + 1);
	for (i = 0; i < writes; i++)
		hmap_test_insert_range(test, map, i, i + 1, 1);
	info = hmap_test_info(test, map);
	wr = info->counters[HMAP_STAT_EVACUATED] -
	     start->counters[HMAP_STAT_EVACUATED];
	bg = info->counters[HMAP_STAT_EVACUATED_BG] -
	     start->counters[HMAP_STAT_EVACUATED_BG];
	KUNIT_EXPECT_GT_MSG(test, wr, 0ULL,
			    "no bucket evacuated by %u writes during a grow",
			    writes);
	KUNIT_EXPECT_LE_MSG(test, wr, 2ULL * writes,
			    "%u writes evacuated %llu buckets", writes, wr);
	/* Unless a stall of the case let the worker step in. */
	if (!bg) {
		KUNIT_EXPECT_GE_MSG(test, wr, (u64)writes,
				    "%u writes evacuated only %llu buckets",
				    writes, wr);
		KUNIT_EXPECT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_DOUBLE,
				    "grow of %u buckets over after %u writes",
				    1U << B, writes);
	}
}

/* Not resizing, and 2^B buckets are not under-loaded (a quarter of the grow edge). */
static bool worker_settled(const struct hmap_info *info)
{
	return info->growth == HMAP_GROWTH_NONE &&
	       (info->B == 0 || info->count * 4 > hmap_test_grow_edge(info->B));
}

/*
 * 100 of 2000 keys left: the shrinks the deletes leave unfinished, and
 * those the worker starts itself, stop at B = 5, the first B not
 * under-loaded (100 * 4 > 208, while at B = 6 100 * 4 <= 416).
 */
static void partial_delete_settles_at_load_factor(struct kunit *test)
{
	const u32 nkeys = 2000, keep = 100;
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *info = hmap_test_buf(test, sizeof(*info));
	struct hmap_info *later;
	u32 i;

	hmap_test_insert_range(test, map, 0, nkeys, 1);
	for (i = 0; i < nkeys - keep; i++)
		hmap_test_delete(test, map, i);
	KUNIT_ASSERT_TRUE_MSG(test, hmap_test_wait(map, info, worker_settled),
			      "%u keys: B %u, growth %u after %u ms",
			      keep, info->B, info->growth, HMAP_TEST_WAIT_MS);
	KUNIT_EXPECT_EQ_MSG(test, info->B, 5U, "B with %u keys", keep);
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS], 4ULL,
			    "shrinks from B 9 to B 5");
	/* Some worker delays later, no shrink went further. */
	msleep(4 * HMAP_EVAC_DELAY_MS);
	later = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, later->B, info->B, "B after a pause");
	KUNIT_EXPECT_EQ_MSG(test, later->counters[HMAP_STAT_SHRINKS],
			    info->counters[HMAP_STAT_SHRINKS],
			    "a shrink started at B %u with %u keys", info->B, keep);
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, map, nkeys - keep,
							nkeys, 1),
			    0U, "kept keys lost by the shrinks");
}

static struct kunit_case hmap_worker_cases[] = {
	KUNIT_CASE(emptied_map_is_shrunk_by_worker_when_deletes_pause),
	KUNIT_CASE(grow_finishes_in_background_when_writes_stop),
	KUNIT_CASE(writers_evacuate_while_writes_continue),
	KUNIT_CASE(partial_delete_settles_at_load_factor),
	{}
};

HMAP_TEST_SUITE(hmap_worker, hmap_worker_cases);
