// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the suites that resize maps (hmap_grow, hmap_shrink,
 * hmap_worker, hmap_cache): maps at the edge of a grow, waits for the
 * background worker, and the walk over a grow or a shrink one write at a
 * time.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <kunit/test.h>

#include "hmap_test.h"

u32 hmap_test_grow_edge(u32 B)
{
	return (13U << B) / 2;
}

struct hmap *hmap_test_map_at_edge(struct kunit *test, u32 B, u32 value_size,
				   u32 flags, u32 evac_delay_ms)
{
	struct hmap *map = hmap_test_create_delay(test, 8, value_size, 0, flags,
						  evac_delay_ms);
	u32 n = hmap_test_grow_edge(B);
	struct hmap_info *info;

	hmap_test_insert_range(test, map, 0, n, 1);
	hmap_test_finish_growth(test, map, 0, 1, 2U << B);
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ_MSG(test, info->B, B, "B with %u keys", n);
	KUNIT_ASSERT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_NONE,
			    "growing at the edge");
	KUNIT_ASSERT_EQ_MSG(test, info->count, (u64)n, "count at the edge");
	return map;
}

void hmap_test_delete(struct kunit *test, struct hmap *map, u32 idx)
{
	u8 key[8];

	hmap_test_key(key, sizeof(key), idx);
	KUNIT_ASSERT_EQ_MSG(test, hmap_delete(map, key, GFP_KERNEL), 0,
			    "delete of key %u", idx);
}

bool hmap_test_wait(struct hmap *map, struct hmap_info *info,
		    bool (*done)(const struct hmap_info *info))
{
	unsigned long deadline = jiffies + msecs_to_jiffies(HMAP_TEST_WAIT_MS);

	for (;;) {
		hmap_get_info(map, info);
		if (done(info))
			return true;
		if (time_after(jiffies, deadline))
			return false;
		msleep(HMAP_TEST_POLL_MS);
	}
}

bool hmap_test_not_growing(const struct hmap_info *info)
{
	return info->growth == HMAP_GROWTH_NONE;
}

bool hmap_test_one_bucket(const struct hmap_info *info)
{
	return info->growth == HMAP_GROWTH_NONE && info->B == 0;
}

static const char *hmap_test_walk_kind(u32 growth)
{
	return growth == HMAP_GROWTH_SHRINK ? "shrink" : "grow";
}

u64 hmap_test_walk_bg(const struct hmap_test_walk *w)
{
	return w->cur->counters[HMAP_STAT_EVACUATED_BG] -
	       w->prev->counters[HMAP_STAT_EVACUATED_BG];
}

bool hmap_test_walk_start(struct kunit *test, struct hmap_test_walk *w,
			  u32 growth)
{
	w->start = hmap_test_info(test, w->map);
	w->prev = hmap_test_buf(test, sizeof(*w->prev));
	w->cur = hmap_test_buf(test, sizeof(*w->cur));
	w->growth = growth;
	w->writes = 0;
	w->write(test, w);
	hmap_get_info(w->map, w->cur);
	*w->prev = *w->start;
	if (hmap_test_walk_bg(w))
		return false;
	KUNIT_ASSERT_EQ_MSG(test, w->cur->growth, growth,
			    "the write that was to start a %s started none",
			    hmap_test_walk_kind(growth));
	w->old_B = w->cur->old_B;
	return true;
}

bool hmap_test_walk_step(struct kunit *test, struct hmap_test_walk *w)
{
	if (w->cur->growth != w->growth || w->cur->old_B != w->old_B)
		return false;
	/* Every write during a resize evacuates at least one old bucket. */
	KUNIT_ASSERT_LT_MSG(test, w->writes, 1U << w->old_B,
			    "%s of %u buckets not over after %u writes",
			    hmap_test_walk_kind(w->growth), 1U << w->old_B,
			    w->writes);
	*w->prev = *w->cur;
	w->write(test, w);
	w->writes++;
	hmap_get_info(w->map, w->cur);
	return true;
}
