// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_shard": maps of 2^shard_bits shards. Each key lives
 * in the one shard its hash names (hmap_verify() checks every key's
 * shard, and lookups on the shards find each key in exactly one); each
 * shard grows on its own; max_entries is split and never exceeded; the
 * walks (hmap_iter, hmap_scan, hmap_walk) cover every shard; a shard
 * never reseeds, even when it empties; writers on two CPUs and a reader
 * leave every shard consistent.
 */
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <kunit/test.h>

#include "hmap_test.h"

/* Shards whose own lookup finds key @idx. */
static u32 shard_holders(struct kunit *test, struct hmap *map, u32 idx,
			 u32 *which)
{
	u8 key[8];
	u32 i, n = 0;

	hmap_test_key(key, sizeof(key), idx);
	for (i = 0; i < hmap_shard_count(map); i++) {
		if (!hmap_lookup(hmap_shard(map, i), key, NULL)) {
			n++;
			*which = i;
		}
	}
	return n;
}

static void shard_0_bits_is_one_map(struct kunit *test)
{
	struct hmap *map = hmap_test_create_shards(test, 8, 8, 0, 0,
						   HMAP_HASH_FAST);
	struct hmap_info *info;

	KUNIT_EXPECT_EQ(test, hmap_shard_count(map), 1U);
	KUNIT_EXPECT_PTR_EQ(test, hmap_shard(map, 0), map);
	KUNIT_EXPECT_NULL(test, hmap_shard(map, 1));
	hmap_test_insert_range(test, map, 0, 100, 1);
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ(test, info->shard_bits, 0U);
	KUNIT_EXPECT_EQ(test, info->count, 100ULL);
}

static void shard_bad_params_are_einval(struct kunit *test)
{
	struct hmap_params p = { .key_size = 8, .value_size = 8 };
	struct hmap *map;

	p.shard_bits = HMAP_MAX_SHARD_BITS + 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(hmap_create(&p)), -EINVAL);
	/* Fewer entries than shards: a shard could hold none. */
	p.shard_bits = 2;
	p.max_entries = 3;
	KUNIT_EXPECT_EQ(test, PTR_ERR(hmap_create(&p)), -EINVAL);
	p.max_entries = 4;
	map = hmap_create(&p);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, map);
	KUNIT_EXPECT_EQ(test, hmap_shard_count(map), 4U);
	hmap_destroy(map);
}

/* 20000 keys over 8 shards: each key in one shard, every shard used. */
/* The whole map's info reports the parameters it was created with. */
static void shard_info_has_the_maps_parameters(struct kunit *test)
{
	struct hmap_params p = {
		.key_size = 16, .value_size = 24, .shard_bits = 2,
		.hash = HMAP_HASH_FAST, .evac_delay_ms = 1234,
	};
	struct hmap_info *info;
	struct hmap *map;

	map = hmap_create(&p);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, map);
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ(test, info->shard_bits, 2U);
	KUNIT_EXPECT_EQ(test, info->key_size, 16U);
	KUNIT_EXPECT_EQ(test, info->value_size, 24U);
	KUNIT_EXPECT_EQ(test, info->hash, (u32)HMAP_HASH_FAST);
	KUNIT_EXPECT_EQ(test, info->evac_delay_ms, 1234U);
	info = hmap_test_info(test, hmap_shard(map, 3));
	KUNIT_EXPECT_EQ(test, info->evac_delay_ms, 1234U);
	hmap_destroy(map);
}

static void shard_every_key_in_the_shard_its_hash_names(struct kunit *test)
{
	const u32 n = 20000;
	u32 hash = HMAP_HASH_SIPHASH, per[8] = { 0 };
	struct hmap_histogram *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct hmap *map;
	struct hmap_info *info;
	u32 i, which = 0, sum = 0;

	KUNIT_ASSERT_NOT_NULL(test, h);
	for (hash = 0; hash < HMAP_HASH_NR; hash++) {
		memset(per, 0, sizeof(per));
		sum = 0;
		map = hmap_test_create_shards(test, 8, 8, 0, 3, hash);
		KUNIT_ASSERT_EQ(test, hmap_shard_count(map), 8U);
		hmap_test_insert_range(test, map, 0, n, 1);
		KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);
		KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, 0, n, 1), 0U);
		for (i = 0; i < n; i++) {
			KUNIT_ASSERT_EQ_MSG(test, shard_holders(test, map, i, &which), 1U,
					    "%s: key %u", hmap_test_hash_name(hash), i);
			per[which]++;
		}
		for (i = 0; i < 8; i++) {
			info = hmap_test_info(test, hmap_shard(map, i));
			KUNIT_EXPECT_EQ(test, info->count, (u64)per[i]);
			/*
			 * ~4.9 keys a bucket: few empty buckets (0.7%), unless
			 * the shard bits overlapped the index bits, which would
			 * leave 7 in 8 empty.
			 */
			KUNIT_ASSERT_EQ(test, hmap_get_histogram(hmap_shard(map, i),
								 false, h), 0);
			KUNIT_EXPECT_LT(test, h->occupancy[0] * 16, h->buckets);
			KUNIT_EXPECT_EQ(test, info->shard_bits, 0U);
			/* A fair share: 2500 expected, sd 47. */
			KUNIT_EXPECT_GT(test, per[i], 2200U);
			KUNIT_EXPECT_LT(test, per[i], 2800U);
			sum += per[i];
		}
		KUNIT_EXPECT_EQ(test, sum, n);
		info = hmap_test_info(test, map);
		KUNIT_EXPECT_EQ(test, info->count, (u64)n);
		KUNIT_EXPECT_EQ(test, hmap_count(map), (u64)n);
		KUNIT_EXPECT_EQ(test, info->shard_bits, 3U);
		KUNIT_EXPECT_EQ(test, info->key_size, 8U);
	}
}

/* Each shard sizes its own array for its own count. */
static void shard_each_grows_on_its_own(struct kunit *test)
{
	struct hmap *map = hmap_test_create_shards(test, 8, 8, 0, 2,
						   HMAP_HASH_FAST);
	struct hmap_info *info, *si;
	u32 i, maxB = 0;

	hmap_test_insert_range(test, map, 0, 4000, 1);
	for (i = 0; i < 4; i++) {
		si = hmap_test_info(test, hmap_shard(map, i));
		/* ~1000 keys: B 8 once grown (6.5 * 2^7 = 832 < 1000). */
		KUNIT_EXPECT_GE(test, si->B, 7U);
		KUNIT_EXPECT_LE(test, si->count * 2, (u64)13 << si->B);
		KUNIT_EXPECT_GT(test, si->counters[HMAP_STAT_GROWS], 0ULL);
		maxB = max(maxB, si->B);
	}
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ(test, info->B, maxB);
	/* One map of 4000 keys would be at B 10: the shards are not. */
	KUNIT_EXPECT_LT(test, info->B, 10U);
}

/*
 * max_entries is split rounded down (1001 over 4 shards: 250 each), and
 * 0 over 256 shards stays within HMAP_MAX_ENTRIES, which their sum could
 * wrap a u32 otherwise.
 */
static void shard_max_entries_rounds_down_and_fits(struct kunit *test)
{
	struct hmap *map = hmap_test_create_shards(test, 8, 8, 1001, 2,
						   HMAP_HASH_FAST);
	struct hmap_info *info = hmap_test_info(test, map);
	u32 i;

	KUNIT_EXPECT_EQ(test, info->max_entries, 1000U);
	KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);
	map = hmap_test_create_shards(test, 8, 8, 0, HMAP_MAX_SHARD_BITS,
				      HMAP_HASH_FAST);
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ(test, info->shard_bits, (u32)HMAP_MAX_SHARD_BITS);
	KUNIT_EXPECT_LE(test, info->max_entries, (u32)HMAP_MAX_ENTRIES);
	KUNIT_EXPECT_EQ(test, info->max_entries,
			(u32)HMAP_MAX_ENTRIES >> HMAP_MAX_SHARD_BITS << HMAP_MAX_SHARD_BITS);
	for (i = 0; i < hmap_shard_count(map); i++)
		KUNIT_ASSERT_EQ(test, hmap_test_info(test, hmap_shard(map, i))->max_entries,
				(u32)HMAP_MAX_ENTRIES >> HMAP_MAX_SHARD_BITS);
	KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);
}

/*
 * hmap_set_alloc_limit() limits every shard, or none: a map of shards
 * with one shard grown is refused whole.
 */
static void shard_alloc_limit_applies_to_every_shard(struct kunit *test)
{
	struct hmap *map = hmap_test_create_shards(test, 8, 8, 0, 2,
						   HMAP_HASH_FAST);
	u32 i, lim = 4 * 152, refused = 0;
	u8 key[8], value[8] = { 0 };
	int err;

	/* Four buckets a shard: 26 entries each, 104 in all. */
	KUNIT_ASSERT_EQ(test, hmap_set_alloc_limit(map, lim), 0);
	KUNIT_EXPECT_EQ(test, hmap_test_info(test, map)->max_entries, 104U);
	for (i = 0; i < 400; i++) {
		hmap_test_key(key, 8, i);
		err = hmap_update(map, key, value, HMAP_UPDATE_ANY, GFP_KERNEL);
		if (err == -E2BIG)
			refused++;
		else
			KUNIT_ASSERT_EQ(test, err, 0);
	}
	KUNIT_EXPECT_EQ(test, hmap_count(map), 104ULL);
	KUNIT_EXPECT_EQ(test, refused, 296U);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_LE(test, hmap_test_info(test, hmap_shard(map, i))->B, 2U);
	KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);

	/* Shards grown: refused, and no shard changed. */
	map = hmap_test_create_shards(test, 8, 8, 0, 2, HMAP_HASH_FAST);
	hmap_test_insert_range(test, map, 0, 200, 1);
	KUNIT_EXPECT_EQ(test, hmap_set_alloc_limit(map, lim), -EBUSY);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_GT(test, hmap_test_info(test, hmap_shard(map, i))->max_entries,
				26U);
}

/* A caller's spinlock (static: lockdep needs a static key). */
static DEFINE_SPINLOCK(shard_test_lock);

/*
 * 2000 inserts under a spinlock (GFP_ATOMIC), retried 10 ms after each
 * -ENOMEM, into a map of 2^@bits shards: all get in. Before the fix, a
 * failed write still counted as a write, so the worker, which finishes a
 * grow once writes pause, never did, and the writes, which needed that
 * grow's memory, failed for ever (a map of one table stuck at B 2 with
 * 199 entries).
 */
static void shard_atomic_writes(struct kunit *test, u32 bits)
{
	struct hmap *map = hmap_test_create_shards(test, 8, 8, 0, bits,
						   HMAP_HASH_SIPHASH);
	u32 i, done = 0, enomem = 0, round;
	u8 key[8], value[8];
	int err;

	/* Up to 10 s: the workers restock a few objects per shard at a time. */
	for (round = 0; round < 500 && done < 2000; round++) {
		for (i = done; i < 2000; i++) {
			hmap_test_key(key, 8, i);
			hmap_test_value(value, 8, i, 1);
			spin_lock(&shard_test_lock);
			err = hmap_update(map, key, value, HMAP_UPDATE_ANY, GFP_ATOMIC);
			spin_unlock(&shard_test_lock);
			if (err == -ENOMEM) {
				enomem++;
				break;
			}
			KUNIT_ASSERT_EQ(test, err, 0);
			done++;
		}
		/* Out of what the workers keep ready: let them restock. */
		if (done < 2000)
			msleep(20);
	}
	KUNIT_EXPECT_EQ(test, done, 2000U);
	KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);
	KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, 0, 2000, 1), 0U);
	kunit_info(test, "%u -ENOMEM waits for the workers", enomem);
}

static void shard_atomic_writes_under_spinlock(struct kunit *test)
{
	shard_atomic_writes(test, 2);
}

/* The same on a map of one table: the defect was the core's. */
static void shard_atomic_writes_one_table_never_stall_a_grow(struct kunit *test)
{
	shard_atomic_writes(test, 0);
}

/* max_entries 1000 over 4 shards: 250 each, and never more than 1000. */
static void shard_max_entries_is_split_and_never_exceeded(struct kunit *test)
{
	struct hmap *map = hmap_test_create_shards(test, 8, 8, 1000, 2,
						   HMAP_HASH_SIPHASH);
	struct hmap_info *info = hmap_test_info(test, map);
	u8 key[8], value[8] = { 0 };
	u32 i, refused = 0, which = 0;
	int err;

	KUNIT_EXPECT_EQ(test, info->max_entries, 1000U);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, hmap_test_info(test, hmap_shard(map, i))->max_entries,
				250U);
	for (i = 0; i < 4000; i++) {
		hmap_test_key(key, sizeof(key), i);
		err = hmap_update(map, key, value, HMAP_UPDATE_ANY, GFP_KERNEL);
		if (err == -E2BIG) {
			refused++;
			continue;
		}
		KUNIT_ASSERT_EQ(test, err, 0);
		/* A key taken is in a shard at most full. */
		KUNIT_ASSERT_EQ(test, shard_holders(test, map, i, &which), 1U);
		KUNIT_EXPECT_LE(test, hmap_count(hmap_shard(map, which)), 250ULL);
	}
	KUNIT_EXPECT_EQ(test, hmap_count(map), 1000ULL);
	KUNIT_EXPECT_EQ(test, refused, 3000U);
	KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);
}

/* hmap_iter: every entry once, across every shard. */
static void shard_iter_returns_every_entry_once(struct kunit *test)
{
	const u32 n = 5000;
	struct hmap *map = hmap_test_create_shards(test, 8, 8, 0, 3,
						   HMAP_HASH_FAST);
	u8 *seen = kunit_kzalloc(test, n, GFP_KERNEL);
	struct hmap_iter it;
	u8 key[8], value[8];
	u32 idx, total = 0, bad = 0;

	KUNIT_ASSERT_NOT_NULL(test, seen);
	hmap_test_insert_range(test, map, 0, n, 1);
	rcu_read_lock();
	hmap_iter_init(map, &it);
	while (!hmap_iter_next(&it, key, value)) {
		idx = hmap_test_key_idx(key, sizeof(key));
		if (idx >= n || !hmap_test_value_ok(value, 8, idx, 1))
			bad++;
		else
			seen[idx]++;
		total++;
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_EQ(test, total, n);
	for (idx = 0; idx < n; idx++)
		KUNIT_ASSERT_EQ_MSG(test, seen[idx], 1, "key %u", idx);
}

/* hmap_scan's cursor and hmap_walk: every entry once, across every shard. */
static void shard_scan_and_walk_return_every_entry_once(struct kunit *test)
{
	const u32 n = 5000, room = 4096;
	struct hmap *map = hmap_test_create_shards(test, 8, 8, 0, 2,
						   HMAP_HASH_SIPHASH);
	u8 *seen = kunit_kzalloc(test, n, GFP_KERNEL);
	u8 *keys = kunit_kzalloc(test, room * 8, GFP_KERNEL);
	u8 *values = kunit_kzalloc(test, room * 8, GFP_KERNEL);
	struct hmap_walk walk;
	u32 idx, got, i, calls = 0;
	u8 key[8], value[8];
	u64 cursor = 0;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, seen);
	KUNIT_ASSERT_NOT_NULL(test, keys);
	KUNIT_ASSERT_NOT_NULL(test, values);
	hmap_test_insert_range(test, map, 0, n, 1);
	do {
		err = hmap_scan(map, &cursor, keys, values, room, &got);
		KUNIT_ASSERT_EQ(test, err, 0);
		for (i = 0; i < got; i++) {
			idx = hmap_test_key_idx(keys + i * 8, 8);
			KUNIT_ASSERT_LT(test, idx, n);
			seen[idx]++;
		}
		KUNIT_ASSERT_LT(test, ++calls, 100000U);
	} while (cursor);
	for (idx = 0; idx < n; idx++)
		KUNIT_ASSERT_EQ_MSG(test, seen[idx], 1, "scan: key %u", idx);
	/* A cursor past the last shard. */
	cursor = 4ULL << 56;
	KUNIT_EXPECT_EQ(test, hmap_scan(map, &cursor, keys, values, room, &got),
			-EINVAL);

	memset(seen, 0, n);
	KUNIT_ASSERT_EQ(test, hmap_walk_start(map, &walk), 0);
	while (!(err = hmap_walk_next(&walk, key, value))) {
		idx = hmap_test_key_idx(key, 8);
		KUNIT_ASSERT_LT(test, idx, n);
		KUNIT_EXPECT_TRUE(test, hmap_test_value_ok(value, 8, idx, 1));
		seen[idx]++;
	}
	KUNIT_EXPECT_LE(test, walk.max_section_chains, (u32)HMAP_WALK_BUCKETS);
	hmap_walk_stop(&walk);
	KUNIT_EXPECT_EQ(test, err, -ENOENT);
	for (idx = 0; idx < n; idx++)
		KUNIT_ASSERT_EQ_MSG(test, seen[idx], 1, "walk: key %u", idx);
}

/* Deletes and clears go to the right shards; a clear empties them all. */
static void shard_delete_and_clear(struct kunit *test)
{
	const u32 n = 6000;
	struct hmap *map = hmap_test_create_shards(test, 8, 8, 0, 3,
						   HMAP_HASH_FAST);
	u32 i;

	hmap_test_insert_range(test, map, 0, n, 1);
	for (i = 0; i < n; i += 2)
		hmap_test_delete(test, map, i);
	KUNIT_EXPECT_EQ(test, hmap_count(map), (u64)n / 2);
	KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);
	KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, 0, n, 1), n / 2);
	KUNIT_EXPECT_EQ(test, hmap_clear(map, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, hmap_count(map), 0ULL);
	for (i = 0; i < hmap_shard_count(map); i++)
		KUNIT_EXPECT_EQ(test, hmap_test_info(test, hmap_shard(map, i))->B, 0U);
	KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, 0, n, 1), n);
	hmap_test_insert_range(test, map, 0, n, 2);
	KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);
	KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, 0, n, 2), 0U);
}

/*
 * A shard that empties keeps the seed: a new one would leave its keys,
 * routed by the map's seed, where the shard's own hash does not look.
 */
static void shard_never_reseeds_when_emptied(struct kunit *test)
{
	const u32 n = 4000;
	struct hmap *map = hmap_test_create_shards(test, 8, 8, 0, 1,
						   HMAP_HASH_SIPHASH);
	struct hmap *s0 = hmap_shard(map, 0);
	u32 *mine = kunit_kcalloc(test, n, sizeof(u32), GFP_KERNEL);
	u32 i, which = 0, nmine = 0;

	KUNIT_ASSERT_NOT_NULL(test, mine);
	hmap_test_insert_range(test, map, 0, n, 1);
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, shard_holders(test, map, i, &which), 1U);
		if (!which)
			mine[nmine++] = i;
	}
	KUNIT_ASSERT_GT(test, nmine, 0U);
	for (i = 0; i < nmine; i++)
		hmap_test_delete(test, map, mine[i]);
	KUNIT_ASSERT_EQ(test, hmap_count(s0), 0ULL);
	/* Give a deferred reseed its chance. */
	KUNIT_EXPECT_TRUE(test, hmap_test_wait(s0, hmap_test_info(test, s0),
					       hmap_test_not_growing));
	KUNIT_EXPECT_EQ(test, hmap_test_info(test, s0)->counters[HMAP_STAT_RESEEDS],
			0ULL);
	for (i = 0; i < nmine; i++)
		hmap_test_insert_range(test, map, mine[i], mine[i] + 1, 2);
	KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);
	for (i = 0; i < nmine; i++)
		KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, mine[i],
							    mine[i] + 1, 2), 0U);
	KUNIT_EXPECT_EQ(test, hmap_count(map), (u64)n);
}

/*
 * A chain is read in its shard (the map of shards has no array); the
 * map's histogram, bucket count and shape are its shards' summed.
 */
static void shard_arrays_are_read_per_shard_and_summed(struct kunit *test)
{
	struct hmap *map = hmap_test_create_shards(test, 8, 8, 0, 1,
						   HMAP_HASH_FAST);
	struct hmap_bucket_snap *snap = kunit_kzalloc(test, sizeof(*snap), GFP_KERNEL);
	struct hmap_histogram *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct hmap_histogram *sum = kunit_kzalloc(test, sizeof(*sum), GFP_KERNEL);
	struct hmap_shape *shape = kunit_kzalloc(test, sizeof(*shape), GFP_KERNEL);
	u64 buckets = 0;
	u32 s, i;

	KUNIT_ASSERT_NOT_NULL(test, snap);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_NOT_NULL(test, sum);
	KUNIT_ASSERT_NOT_NULL(test, shape);
	hmap_test_insert_range(test, map, 0, 500, 1);
	/* The map's info sums its shards': not growing once none is. */
	KUNIT_ASSERT_TRUE(test, hmap_test_wait(map, hmap_test_info(test, map),
					       hmap_test_not_growing));
	KUNIT_EXPECT_EQ(test, hmap_snapshot_bucket(map, false, 0, snap), -EINVAL);
	KUNIT_EXPECT_EQ(test, hmap_snapshot_bucket(hmap_shard(map, 1), false, 0, snap), 0);
	KUNIT_ASSERT_EQ(test, hmap_shard_count(map), 2U);
	for (s = 0; s < hmap_shard_count(map); s++) {
		struct hmap_info *si = hmap_test_info(test, hmap_shard(map, s));

		KUNIT_ASSERT_EQ(test, hmap_get_histogram(hmap_shard(map, s), false, h), 0);
		KUNIT_EXPECT_EQ(test, h->buckets, 1ULL << si->B);
		KUNIT_EXPECT_EQ(test, si->buckets, 1ULL << si->B);
		buckets += h->buckets;
		for (i = 0; i < HMAP_HIST_CHAIN; i++)
			sum->chain[i] += h->chain[i];
		for (i = 0; i < HMAP_HIST_SLOTS; i++)
			sum->occupancy[i] += h->occupancy[i];
	}
	KUNIT_ASSERT_EQ(test, hmap_get_histogram(map, false, h), 0);
	KUNIT_EXPECT_EQ(test, h->buckets, buckets);
	KUNIT_EXPECT_EQ(test, hmap_test_info(test, map)->buckets, buckets);
	for (i = 0; i < HMAP_HIST_CHAIN; i++)
		KUNIT_EXPECT_EQ_MSG(test, h->chain[i], sum->chain[i], "chain %u", i + 1);
	for (i = 0; i < HMAP_HIST_SLOTS; i++)
		KUNIT_EXPECT_EQ_MSG(test, h->occupancy[i], sum->occupancy[i], "slots %u", i);
	/* No shard is resizing: the map has no old array either. */
	KUNIT_EXPECT_EQ(test, hmap_get_histogram(map, true, h), -ENOENT);
	/* The shape is the same sums, with the figures of that moment. */
	KUNIT_ASSERT_EQ(test, hmap_get_shape(map, shape), 0);
	KUNIT_EXPECT_FALSE(test, shape->resizing);
	KUNIT_EXPECT_EQ(test, shape->info.count, 500ULL);
	KUNIT_EXPECT_EQ(test, shape->info.buckets, buckets);
	KUNIT_EXPECT_EQ(test, shape->cur.buckets, buckets);
	KUNIT_EXPECT_EQ(test, memcmp(shape->cur.occupancy, sum->occupancy,
				     sizeof(sum->occupancy)), 0);
	KUNIT_EXPECT_EQ(test, shape->old.buckets, 0ULL);
}

/* Keys [0, SHARD_STABLE) stay; writer w churns [base(w), base(w) + SHARD_CHURN). */
#define SHARD_STABLE	512
#define SHARD_CHURN	4096

struct shard_thread {
	struct hmap *map;
	struct task_struct *task;
	u32 first;		/* a writer's keys; 0 for the reader */
	unsigned long ops, errors;
};

static int shard_writer_fn(void *arg)
{
	struct shard_thread *t = arg;
	u8 key[8], value[8];
	u32 i = 0, idx;
	int err;

	while (!kthread_should_stop()) {
		/* Insert all, then delete all: grows and shrinks each shard. */
		idx = t->first + i % SHARD_CHURN;
		hmap_test_key(key, 8, idx);
		if ((i / SHARD_CHURN) & 1) {
			err = hmap_delete(t->map, key, GFP_KERNEL);
		} else {
			hmap_test_value(value, 8, idx, 1);
			err = hmap_update(t->map, key, value, HMAP_UPDATE_NOEXIST,
					  GFP_KERNEL);
		}
		t->errors += !!err;
		t->ops++;
		i++;
		cond_resched();
	}
	return 0;
}

static int shard_reader_fn(void *arg)
{
	struct shard_thread *t = arg;
	u8 key[8], value[8];
	u32 idx = 0;

	while (!kthread_should_stop()) {
		hmap_test_key(key, 8, idx);
		if (hmap_lookup(t->map, key, value) ||
		    !hmap_test_value_ok(value, 8, idx, 1))
			t->errors++;
		t->ops++;
		idx = (idx + 1) % SHARD_STABLE;
		cond_resched();
	}
	return 0;
}

/*
 * Two writers on their own keys and a reader of stable keys, for half a
 * second on a map of 4 shards: no write fails, the reader finds every
 * stable key, and every shard passes hmap_verify() afterwards.
 */
static void shard_concurrent_writers_and_reader(struct kunit *test)
{
	struct hmap *map = hmap_test_create_shards(test, 8, 8, 0, 2,
						   HMAP_HASH_SIPHASH);
	struct shard_thread t[3] = {
		{ .map = map, .first = SHARD_STABLE },
		{ .map = map, .first = SHARD_STABLE + SHARD_CHURN },
		{ .map = map },
	};
	unsigned int cpu0, cpu1;
	u32 i;

	cpu0 = cpumask_first(cpu_online_mask);
	cpu1 = cpumask_any_but(cpu_online_mask, cpu0);
	if (cpu1 >= nr_cpu_ids)
		kunit_skip(test, "needs two CPUs for writers that run at once");
	hmap_test_insert_range(test, map, 0, SHARD_STABLE, 1);
	for (i = 0; i < 3; i++) {
		t[i].task = kthread_create(i < 2 ? shard_writer_fn : shard_reader_fn,
					   &t[i], "hmap_shard/%u", i);
		if (IS_ERR(t[i].task)) {
			t[i].task = NULL;
			break;
		}
		/* The writers on two CPUs, the reader beside writer 0. */
		kthread_bind(t[i].task, i == 1 ? cpu1 : cpu0);
		wake_up_process(t[i].task);
	}
	if (i == 3)
		msleep(500);
	/* Stopped before the map goes, also when one did not start. */
	for (i = 0; i < 3; i++)
		if (t[i].task)
			kthread_stop(t[i].task);
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, t[i].task, "kthread %u did not start", i);
		KUNIT_EXPECT_GT(test, t[i].ops, 0UL);
		KUNIT_EXPECT_EQ_MSG(test, t[i].errors, 0UL, "thread %u", i);
	}
	KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);
	KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, 0, SHARD_STABLE, 1), 0U);
}

static struct kunit_case hmap_shard_cases[] = {
	KUNIT_CASE(shard_0_bits_is_one_map),
	KUNIT_CASE(shard_bad_params_are_einval),
	KUNIT_CASE(shard_info_has_the_maps_parameters),
	KUNIT_CASE(shard_every_key_in_the_shard_its_hash_names),
	KUNIT_CASE(shard_each_grows_on_its_own),
	KUNIT_CASE(shard_max_entries_is_split_and_never_exceeded),
	KUNIT_CASE(shard_max_entries_rounds_down_and_fits),
	KUNIT_CASE(shard_alloc_limit_applies_to_every_shard),
	KUNIT_CASE(shard_atomic_writes_under_spinlock),
	KUNIT_CASE(shard_atomic_writes_one_table_never_stall_a_grow),
	KUNIT_CASE(shard_iter_returns_every_entry_once),
	KUNIT_CASE(shard_scan_and_walk_return_every_entry_once),
	KUNIT_CASE(shard_delete_and_clear),
	KUNIT_CASE(shard_never_reseeds_when_emptied),
	KUNIT_CASE(shard_arrays_are_read_per_shard_and_summed),
	KUNIT_CASE(shard_concurrent_writers_and_reader),
	{}
};

static struct kunit_suite hmap_shard_suite = {
	.name = "hmap_shard",
	.test_cases = hmap_shard_cases,
};

kunit_test_suite(hmap_shard_suite);
