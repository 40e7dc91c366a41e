// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for hmap: module glue and the helpers shared by the suites.
 * Each hmap_test_*.c file registers its own suite.
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <kunit/resource.h>
#include <kunit/test.h>

#include "hmap_test.h"

static u8 hmap_test_pattern(u32 idx, u32 gen, u32 j)
{
	return (u8)(idx * 31 + gen * 17 + j * 7 + 1);
}

void hmap_test_key(void *key, u32 key_size, u32 idx)
{
	u8 *k = key;
	u32 j;

	for (j = 0; j < key_size; j++) {
		if (j < sizeof(u32))
			k[j] = (u8)(idx >> (8 * j));
		else
			k[j] = hmap_test_pattern(idx, 0xabc, j);
	}
}

u32 hmap_test_key_idx(const void *key, u32 key_size)
{
	const u8 *k = key;
	u32 idx = 0;
	u32 j;

	for (j = 0; j < key_size && j < sizeof(u32); j++)
		idx |= (u32)k[j] << (8 * j);
	return idx;
}

void hmap_test_value(void *value, u32 value_size, u32 idx, u32 gen)
{
	u8 *v = value;
	u32 j;

	for (j = 0; j < value_size; j++)
		v[j] = hmap_test_pattern(idx, gen, j);
	if (value_size >= 2 * sizeof(u32)) {
		put_unaligned_le32(idx, v);
		put_unaligned_le32(gen, v + sizeof(u32));
	}
}

bool hmap_test_value_ok(const void *value, u32 value_size, u32 idx, u32 gen)
{
	const u8 *v = value;
	u32 j;

	if (value_size >= 2 * sizeof(u32)) {
		if (get_unaligned_le32(v) != idx ||
		    get_unaligned_le32(v + sizeof(u32)) != gen)
			return false;
		j = 2 * sizeof(u32);
	} else {
		j = 0;
	}
	for (; j < value_size; j++)
		if (v[j] != hmap_test_pattern(idx, gen, j))
			return false;
	return true;
}

bool hmap_test_value_consistent(const void *value, u32 value_size,
				u32 *idx, u32 *gen)
{
	const u8 *v = value;

	if (value_size < 2 * sizeof(u32))
		return false;
	*idx = get_unaligned_le32(v);
	*gen = get_unaligned_le32(v + sizeof(u32));
	return hmap_test_value_ok(value, value_size, *idx, *gen);
}

KUNIT_DEFINE_ACTION_WRAPPER(hmap_test_destroy_action, hmap_destroy,
			    struct hmap *);

struct hmap *hmap_test_create(struct kunit *test, u32 key_size,
			      u32 value_size, u32 max_entries)
{
	return hmap_test_create_flags(test, key_size, value_size, max_entries, 0);
}

struct hmap *hmap_test_create_flags(struct kunit *test, u32 key_size,
				    u32 value_size, u32 max_entries, u32 flags)
{
	return hmap_test_create_delay(test, key_size, value_size, max_entries,
				      flags, 0);
}

struct hmap *hmap_test_create_quiet(struct kunit *test, u32 key_size,
				    u32 value_size, u32 max_entries)
{
	return hmap_test_create_delay(test, key_size, value_size, max_entries,
				      0, HMAP_MAX_EVAC_DELAY_MS);
}

static struct hmap *hmap_test_create_params(struct kunit *test,
					    const struct hmap_params *params)
{
	struct hmap *map;
	int err;

	map = hmap_create(params);
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, map,
					 "hmap_create(key %u, value %u, max %u, hash %u)",
					 params->key_size, params->value_size,
					 params->max_entries, params->hash);
	err = kunit_add_action_or_reset(test, hmap_test_destroy_action, map);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "cannot defer hmap_destroy()");
	return map;
}

struct hmap *hmap_test_create_delay(struct kunit *test, u32 key_size,
				    u32 value_size, u32 max_entries, u32 flags,
				    u32 evac_delay_ms)
{
	struct hmap_params params = {
		.key_size = key_size,
		.value_size = value_size,
		.max_entries = max_entries,
		.flags = flags,
		.evac_delay_ms = evac_delay_ms,
	};

	return hmap_test_create_params(test, &params);
}

struct hmap *hmap_test_create_shards(struct kunit *test, u32 key_size,
				     u32 value_size, u32 max_entries,
				     u32 shard_bits, u32 hash)
{
	struct hmap_params params = {
		.key_size = key_size,
		.value_size = value_size,
		.max_entries = max_entries,
		.hash = hash,
		.shard_bits = shard_bits,
	};

	return hmap_test_create_params(test, &params);
}

struct hmap *hmap_test_create_hash(struct kunit *test, u32 key_size,
				   u32 value_size, u32 max_entries, u32 hash)
{
	return hmap_test_create_shards(test, key_size, value_size, max_entries,
				       0, hash);
}

void *hmap_test_buf(struct kunit *test, u32 size)
{
	void *buf = kunit_kzalloc(test, size ? size : 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL_MSG(test, buf, "no memory for a %u byte buffer",
				  size);
	return buf;
}

void hmap_test_insert_range(struct kunit *test, struct hmap *map,
			    u32 from, u32 to, u32 gen)
{
	struct hmap_info *info = hmap_test_info(test, map);
	u8 *key = hmap_test_buf(test, info->key_size);
	u8 *value = hmap_test_buf(test, info->value_size);
	u32 i;
	int err;

	for (i = from; i < to; i++) {
		hmap_test_key(key, info->key_size, i);
		hmap_test_value(value, info->value_size, i, gen);
		err = hmap_update(map, key, value, HMAP_UPDATE_ANY, GFP_KERNEL);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "insert of key %u failed", i);
	}
}

u32 hmap_test_check_range(struct kunit *test, struct hmap *map,
			  u32 from, u32 to, u32 gen)
{
	struct hmap_info *info = hmap_test_info(test, map);
	u8 *key = hmap_test_buf(test, info->key_size);
	u8 *value = hmap_test_buf(test, info->value_size);
	u32 bad = 0;
	u32 i;
	int err;

	for (i = from; i < to; i++) {
		hmap_test_key(key, info->key_size, i);
		memset(value, 0, info->value_size);
		err = hmap_lookup(map, key, value);
		if (err || !hmap_test_value_ok(value, info->value_size, i, gen))
			bad++;
	}
	return bad;
}

void hmap_test_finish_growth(struct kunit *test, struct hmap *map, u32 idx,
			     u32 gen, u32 max_writes)
{
	struct hmap_info *info = hmap_test_info(test, map);
	u8 *key = hmap_test_buf(test, info->key_size);
	u8 *value = hmap_test_buf(test, info->value_size);
	u32 writes = 0;
	int err;

	hmap_test_key(key, info->key_size, idx);
	hmap_test_value(value, info->value_size, idx, gen);
	for (;;) {
		hmap_get_info(map, info);
		if (info->growth == HMAP_GROWTH_NONE)
			break;
		KUNIT_ASSERT_LT_MSG(test, writes, max_writes,
				    "grow not finished after %u writes (nevacuate %llu of %llu)",
				    writes, info->nevacuate, info->old_buckets);
		err = hmap_update(map, key, value, HMAP_UPDATE_EXIST, GFP_KERNEL);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "rewrite of key %u failed", idx);
		writes++;
	}
}

struct hmap_info *hmap_test_info(struct kunit *test, struct hmap *map)
{
	struct hmap_info *info = hmap_test_buf(test, sizeof(*info));

	hmap_get_info(map, info);
	return info;
}

u32 hmap_test_live_slots(const struct hmap_bucket_snap *snap)
{
	u32 live = 0;
	u32 i;

	for (i = 0; i < snap->nslots; i++)
		if (snap->tophash[i] >= HMAP_MIN_TOPHASH)
			live++;
	return live;
}

struct hmap_bucket_snap *hmap_test_snap(struct kunit *test, struct hmap *map,
					u64 index)
{
	struct hmap_bucket_snap *snap = hmap_test_buf(test, sizeof(*snap));
	int err;

	err = hmap_snapshot_bucket(map, false, index, snap);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "snapshot of bucket %llu failed",
			    index);
	KUNIT_ASSERT_EQ_MSG(test, snap->nslots,
			    min_t(u32, snap->chain_len, HMAP_SNAP_MAX_CHAIN) *
			    HMAP_BUCKET_SLOTS,
			    "snapshot of bucket %llu: nslots does not match chain_len %u",
			    index, snap->chain_len);
	return snap;
}

u32 hmap_test_expected_B(u64 n)
{
	u32 B = 0;

	if (n <= HMAP_BUCKET_SLOTS)
		return 0;
	/* Smallest B with n <= 6.5 * 2^B, in integers. */
	while (2 * n > (13ULL << B))
		B++;
	return B;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the hmap hash map");
