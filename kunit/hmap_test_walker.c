// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_walker": walks with hmap_walk_start()/hmap_walk_next(),
 * which leave RCU between read-side sections. Visit counters prove that
 * every key comes back exactly once (at least once across resizes); the
 * walk's section counts prove that no section read more than
 * HMAP_WALK_BUCKETS chains, and that, without a resize, the sections
 * together read each chain of the array once; grace periods waited for
 * between sections prove that the walk holds no RCU there.
 */
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <kunit/test.h>

#include "hmap_test.h"

/* What a walk saw. */
struct walker_seen {
	u32 nkeys;		/* keys [0, nkeys) are counted in @visits */
	u8 *visits;		/* times each key was returned (saturates) */
	u64 returned;		/* entries returned */
	u32 unknown;		/* keys outside [0, nkeys) */
	u32 bad_values;		/* value not the one its key was given */
	u64 sections;		/* read-side sections */
	u64 chains;		/* chains read, summed over the sections */
	u32 max_section_chains;	/* most chains one section read */
	int end;		/* what the last hmap_walk_next() returned */
};

/* Called between two hmap_walk_next() calls, after @returned entries. */
typedef void (*walker_between_fn)(struct kunit *test, struct hmap *map,
				  u64 returned, bool new_section, void *arg);

static void walker_seen_init(struct kunit *test, struct walker_seen *s,
			     u32 nkeys)
{
	memset(s, 0, sizeof(*s));
	s->nkeys = nkeys;
	s->visits = kvzalloc(nkeys, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s->visits);
}

/*
 * Walks all of @map, counting what comes back in @s; values are checked
 * against generation @gen when value_size holds the header.
 */
static void walker_walk(struct kunit *test, struct hmap *map,
			struct walker_seen *s, u32 gen,
			walker_between_fn between, void *arg)
{
	struct hmap_info *info = hmap_test_info(test, map);
	u32 ks = info->key_size, vs = info->value_size;
	u8 *key = hmap_test_buf(test, ks);
	u8 *value = hmap_test_buf(test, vs);
	struct hmap_walk walk;
	u64 sections = 0;
	bool new_section;
	u32 idx;

	KUNIT_ASSERT_EQ(test, hmap_walk_start(map, &walk), 0);
	for (;;) {
		s->end = hmap_walk_next(&walk, key, value);
		new_section = walk.sections != sections;
		sections = walk.sections;
		if (s->end)
			break;
		s->returned++;
		idx = hmap_test_key_idx(key, ks);
		if (idx >= s->nkeys) {
			s->unknown++;
		} else {
			if (s->visits[idx] < U8_MAX)
				s->visits[idx]++;
			if (vs >= 8 && !hmap_test_value_ok(value, vs, idx, gen))
				s->bad_values++;
		}
		if (between)
			between(test, map, s->returned, new_section, arg);
	}
	KUNIT_EXPECT_EQ(test, hmap_walk_next(&walk, key, value), -ENOENT);
	s->sections = walk.sections;
	s->chains = walk.chains;
	s->max_section_chains = walk.max_section_chains;
	hmap_walk_stop(&walk);
	KUNIT_EXPECT_EQ(test, s->end, -ENOENT);
	KUNIT_EXPECT_LE(test, s->max_section_chains, HMAP_WALK_BUCKETS);
	KUNIT_EXPECT_EQ(test, s->unknown, 0);
	KUNIT_EXPECT_EQ(test, s->bad_values, 0);
}

/* Keys of [@from, @to) that were returned other than @want times. */
static u32 walker_visits_not(const struct walker_seen *s, u32 from, u32 to,
			     u8 want)
{
	u32 i, bad = 0;

	for (i = from; i < to; i++)
		bad += s->visits[i] != want;
	return bad;
}

/* Keys of [@from, @to) that were never returned. */
static u32 walker_missed(const struct walker_seen *s, u32 from, u32 to)
{
	u32 i, bad = 0;

	for (i = from; i < to; i++)
		bad += !s->visits[i];
	return bad;
}

static void walk_of_empty_map_ends_at_once(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct walker_seen s;

	walker_seen_init(test, &s, 1);
	walker_walk(test, map, &s, 1, NULL, NULL);
	KUNIT_EXPECT_EQ(test, s.returned, 0);
	KUNIT_EXPECT_EQ(test, s.chains, 1);
	kvfree(s.visits);
}

/* No resize during the walk: every key exactly once, every chain read. */
static void walk_returns_each_entry_exactly_once(struct kunit *test)
{
	const u32 n = 20000;
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *info;
	struct walker_seen s;

	hmap_test_insert_range(test, map, 0, n, 3);
	hmap_test_finish_growth(test, map, 0, 3, 1U << 16);
	info = hmap_test_info(test, map);
	walker_seen_init(test, &s, n);
	walker_walk(test, map, &s, 3, NULL, NULL);
	KUNIT_EXPECT_EQ(test, s.returned, n);
	KUNIT_EXPECT_EQ(test, walker_visits_not(&s, 0, n, 1), 0);
	/* Without a resize, each chain of the array exactly once. */
	KUNIT_EXPECT_EQ(test, s.chains, 1ULL << info->B);
	kvfree(s.visits);
}

/* Between sections: a grace period, which would never end under RCU. */
static void walker_wait_gp(struct kunit *test, struct hmap *map,
			   u64 returned, bool new_section, void *arg)
{
	u32 *gps = arg;

	if (new_section) {
		synchronize_rcu();
		(*gps)++;
	}
}

static void walk_lets_grace_periods_end_between_sections(struct kunit *test)
{
	const u32 n = 5000;
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct walker_seen s;
	u32 gps = 0;

	hmap_test_insert_range(test, map, 0, n, 1);
	hmap_test_finish_growth(test, map, 0, 1, 1U << 16);
	walker_seen_init(test, &s, n);
	walker_walk(test, map, &s, 1, walker_wait_gp, &gps);
	KUNIT_EXPECT_EQ(test, walker_visits_not(&s, 0, n, 1), 0);
	KUNIT_EXPECT_GT(test, gps, 1);
	kvfree(s.visits);
}

/* Keys [0, base) stay; between entries, keys from base on come and go. */
struct walker_churn {
	u32 base;
	u32 next;		/* next key to insert (grow) */
	u32 to;			/* insert up to here, then stop */
	u32 del_next;		/* next key to delete (shrink) */
	u32 del_to;
	u32 per_call;		/* writes between two hmap_walk_next() calls */
	u8 *value;
};

static void walker_churn(struct kunit *test, struct hmap *map, u64 returned,
			 bool new_section, void *arg)
{
	struct walker_churn *c = arg;
	u8 key[8];
	u32 i;

	for (i = 0; i < c->per_call && c->next < c->to; i++, c->next++) {
		hmap_test_key(key, sizeof(key), c->next);
		hmap_test_value(c->value, 8, c->next, 1);
		KUNIT_ASSERT_EQ(test, hmap_update(map, key, c->value,
						  HMAP_UPDATE_ANY, GFP_KERNEL), 0);
	}
	for (i = 0; i < c->per_call && c->del_next < c->del_to;
	     i++, c->del_next++) {
		hmap_test_key(key, sizeof(key), c->del_next);
		KUNIT_ASSERT_EQ(test, hmap_delete(map, key, GFP_KERNEL), 0);
	}
}

static void walk_across_grows_returns_every_present_entry(struct kunit *test)
{
	const u32 base = 3000;
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct walker_churn c = {
		.base = base, .next = base, .to = 16 * base, .per_call = 16,
	};
	struct hmap_info *before, *after;
	struct walker_seen s;

	c.value = hmap_test_buf(test, 8);
	hmap_test_insert_range(test, map, 0, base, 1);
	before = hmap_test_info(test, map);
	walker_seen_init(test, &s, c.to);
	walker_walk(test, map, &s, 1, walker_churn, &c);
	after = hmap_test_info(test, map);
	KUNIT_EXPECT_GE(test, after->B, before->B + 3);
	KUNIT_EXPECT_EQ(test, walker_missed(&s, 0, base), 0);
	kvfree(s.visits);
}

static void walk_across_shrinks_returns_every_present_entry(struct kunit *test)
{
	const u32 base = 1000;
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct walker_churn c = {
		.base = base, .del_next = base, .del_to = 32 * base,
		.per_call = 16,
	};
	struct hmap_info *before, *after;
	struct walker_seen s;

	c.value = hmap_test_buf(test, 8);
	hmap_test_insert_range(test, map, 0, c.del_to, 1);
	hmap_test_finish_growth(test, map, 0, 1, 1U << 16);
	before = hmap_test_info(test, map);
	walker_seen_init(test, &s, c.del_to);
	walker_walk(test, map, &s, 1, walker_churn, &c);
	/* The shrinks may still be in progress: their start is what counts. */
	after = hmap_test_info(test, map);
	KUNIT_EXPECT_LT(test, after->B, before->B);
	KUNIT_EXPECT_EQ(test, walker_missed(&s, 0, base), 0);
	kvfree(s.visits);
}

/* Values of 4 KiB: the first buffer holds a few, a group needs more. */
static void walk_grows_its_buffer_for_a_large_group(struct kunit *test)
{
	const u32 n = 300;
	struct hmap *map = hmap_test_create(test, 8, 4096, 0);
	struct walker_seen s;

	hmap_test_insert_range(test, map, 0, n, 2);
	hmap_test_finish_growth(test, map, 0, 2, 1U << 16);
	walker_seen_init(test, &s, n);
	walker_walk(test, map, &s, 2, NULL, NULL);
	KUNIT_EXPECT_EQ(test, walker_visits_not(&s, 0, n, 1), 0);
	kvfree(s.visits);
}

/* A large array with few entries: many sections, none over the limit. */
static void walk_of_sparse_map_reads_bounded_sections(struct kunit *test)
{
	const u32 n = 100000, keep = 10;
	struct hmap *map = hmap_test_create_flags(test, 8, 8, 0,
						  HMAP_F_NO_SHRINK);
	struct hmap_info *info;
	struct walker_seen s;
	u32 i;

	hmap_test_insert_range(test, map, 0, n, 1);
	hmap_test_finish_growth(test, map, 0, 1, 1U << 16);
	for (i = keep; i < n; i++)
		hmap_test_delete(test, map, i);
	info = hmap_test_info(test, map);
	walker_seen_init(test, &s, n);
	walker_walk(test, map, &s, 1, NULL, NULL);
	KUNIT_EXPECT_EQ(test, s.returned, keep);
	KUNIT_EXPECT_EQ(test, walker_visits_not(&s, 0, keep, 1), 0);
	KUNIT_EXPECT_EQ(test, s.chains, 1ULL << info->B);
	/* Sections end at the limit, not sooner, when no entry fills them. */
	KUNIT_EXPECT_LE(test, s.sections,
			(1ULL << info->B) / (HMAP_WALK_BUCKETS - 2) + 1);
	kvfree(s.visits);
}

/* A walk may stop anywhere; its buffers go (kmemleak and ASan see). */
static void walk_stops_midway(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_walk walk;
	u8 key[8], value[8];
	u32 i;

	hmap_test_insert_range(test, map, 0, 1000, 1);
	KUNIT_ASSERT_EQ(test, hmap_walk_start(map, &walk), 0);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, hmap_walk_next(&walk, key, value), 0);
	hmap_walk_stop(&walk);
}

/*
 * A 1M-entry map, walked. Very slow in the debug VMs (40 s for the 1M
 * inserts under KASAN and TCG): tools/check runs it on the debug kernel
 * only (kunit.filter=speed>very_slow on the others).
 */
static void walk_of_1m_entries_reads_at_most_HMAP_WALK_BUCKETS_chains(struct kunit *test)
{
	const u32 n = 1U << 20;
	struct hmap *map = hmap_test_create(test, 8, 0, 0);
	struct hmap_info *info;
	struct walker_seen s;
	u8 key[8];
	u32 i;

	for (i = 0; i < n; i++) {
		hmap_test_key(key, sizeof(key), i);
		KUNIT_ASSERT_EQ(test, hmap_update(map, key, NULL,
						  HMAP_UPDATE_ANY, GFP_KERNEL), 0);
		if (!(i & 4095))
			cond_resched();
	}
	hmap_test_finish_growth(test, map, 0, 1, 1U << 20);
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ(test, info->count, n);
	walker_seen_init(test, &s, n);
	walker_walk(test, map, &s, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, s.returned, n);
	KUNIT_EXPECT_EQ(test, walker_visits_not(&s, 0, n, 1), 0);
	KUNIT_EXPECT_EQ(test, s.chains, 1ULL << info->B);
	kvfree(s.visits);
}

static struct kunit_case hmap_walker_cases[] = {
	KUNIT_CASE(walk_of_empty_map_ends_at_once),
	KUNIT_CASE(walk_returns_each_entry_exactly_once),
	KUNIT_CASE(walk_lets_grace_periods_end_between_sections),
	KUNIT_CASE(walk_across_grows_returns_every_present_entry),
	KUNIT_CASE(walk_across_shrinks_returns_every_present_entry),
	KUNIT_CASE(walk_grows_its_buffer_for_a_large_group),
	KUNIT_CASE(walk_of_sparse_map_reads_bounded_sections),
	KUNIT_CASE(walk_stops_midway),
	KUNIT_CASE_ATTR(walk_of_1m_entries_reads_at_most_HMAP_WALK_BUCKETS_chains,
			{ .speed = KUNIT_SPEED_VERY_SLOW }),
	{}
};

static struct kunit_suite hmap_walker_suite = {
	.name = "hmap_walker",
	.test_cases = hmap_walker_cases,
};

kunit_test_suite(hmap_walker_suite);
