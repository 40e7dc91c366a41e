// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_keysize": every key size a map takes a path for, by
 * each hash. Keys of 4, 8 and 16 bytes have constant-size fast paths (the
 * hash and the key compare fold at compile time), the others the generic
 * one, and keys over HMAP_INLINE_MAX bytes are stored out of line; values
 * of 0 (a set), 8 and 200 (out of line) bytes. For each, a map grows
 * several times as keys go in, finds every key with its value and no key
 * it does not hold (keys never inserted, and keys one bit off a present
 * one), updates them, loses half of them to deletes, passes
 * hmap_verify(), and empties.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <hmap/hmap.h>
#include <hmap/hmap_debug.h>

#include "hmap_test.h"

/*
 * Keys a case inserts: 5 grows, from one bucket to 32; half the keys of
 * one byte, so that there are absent ones to miss.
 */
#define KS_KEYS		128

static const u32 ks_key_sizes[] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
	20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 64, 128, 129,
	200,
};

static const u32 ks_value_sizes[] = { 0, 8, 200 };

struct ks_param {
	u32 hash;
	u32 key_size;
};

static struct ks_param ks_params[HMAP_HASH_NR * ARRAY_SIZE(ks_key_sizes)];

/* Each hash with each key size; the table is filled on the first call. */
static const void *ks_gen_params(const void *prev, char *desc)
{
	const struct ks_param *p = prev;
	size_t i = p ? p - ks_params + 1 : 0;
	size_t n = ARRAY_SIZE(ks_key_sizes), j;

	if (!i) {
		for (j = 0; j < ARRAY_SIZE(ks_params); j++) {
			ks_params[j].hash = j / n;
			ks_params[j].key_size = ks_key_sizes[j % n];
		}
	}
	if (i >= ARRAY_SIZE(ks_params))
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s key %u",
		 hmap_test_hash_name(ks_params[i].hash),
		 ks_params[i].key_size);
	return &ks_params[i];
}

/* Lookups of absent keys: each must be -ENOENT; returns those that were not. */
static u32 ks_misses(struct hmap *map, u32 ks, u32 vs, u32 from, u32 to,
		     u8 *key, u8 *value)
{
	u32 bad = 0, i;

	for (i = from; i < to; i++) {
		hmap_test_key(key, ks, i);
		bad += hmap_lookup(map, key, value) != -ENOENT;
	}
	return bad;
}

/*
 * Keys [0, @n) one bit off in their last byte: none of them is a key of
 * [0, 2 @n) (for 4-byte keys it sets bit 31 of the number; above, it
 * breaks the pattern), so none is found.
 */
static u32 ks_near_misses(struct hmap *map, u32 ks, u32 n, u8 *key,
			  u8 *value)
{
	u32 bad = 0, i;

	if (ks < 4)
		return 0;
	for (i = 0; i < n; i++) {
		hmap_test_key(key, ks, i);
		key[ks - 1] ^= 0x80;
		bad += hmap_lookup(map, key, value) != -ENOENT;
	}
	return bad;
}

static void ks_run(struct kunit *test, u32 hash, u32 ks, u32 vs)
{
	struct hmap *map = hmap_test_create_hash(test, ks, vs, 0, hash);
	struct hmap_info *info = hmap_test_info(test, map);
	u8 *key = hmap_test_buf(test, ks);
	u8 *value = hmap_test_buf(test, vs);
	u32 n = KS_KEYS, i, bad;
	int err;

	KUNIT_ASSERT_EQ(test, info->hash, hash);
	for (i = 0; i < n; i++) {
		hmap_test_key(key, ks, i);
		hmap_test_value(value, vs, i, 1);
		err = hmap_update(map, key, value, HMAP_UPDATE_NOEXIST, GFP_KERNEL);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "value %u: insert of key %u",
				    vs, i);
	}
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ_MSG(test, info->count, (u64)n, "value %u", vs);
	KUNIT_EXPECT_GE_MSG(test, info->counters[HMAP_STAT_GROWS], 4ULL,
			    "value %u: %u keys grew the map only %llu times",
			    vs, n, info->counters[HMAP_STAT_GROWS]);

	/* Hits with their values, misses, and refused writes. */
	bad = hmap_test_check_range(test, map, 0, n, 1);
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "value %u: keys not found or wrong",
			    vs);
	bad = ks_misses(map, ks, vs, n, 2 * n, key, value);
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "value %u: absent keys found", vs);
	bad = ks_near_misses(map, ks, n, key, value);
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U,
			    "value %u: keys one bit off a present key found",
			    vs);
	hmap_test_key(key, ks, n);
	hmap_test_value(value, vs, n, 1);
	KUNIT_EXPECT_EQ(test, hmap_update(map, key, value, HMAP_UPDATE_EXIST, GFP_KERNEL),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, hmap_delete(map, key, GFP_KERNEL), -ENOENT);
	hmap_test_key(key, ks, 0);
	KUNIT_EXPECT_EQ(test, hmap_update(map, key, value, HMAP_UPDATE_NOEXIST, GFP_KERNEL),
			-EEXIST);

	/* Every key to generation 2, in place. */
	for (i = 0; i < n; i++) {
		hmap_test_key(key, ks, i);
		hmap_test_value(value, vs, i, 2);
		err = hmap_update(map, key, value, HMAP_UPDATE_EXIST, GFP_KERNEL);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "value %u: update of key %u",
				    vs, i);
	}
	KUNIT_EXPECT_EQ(test, hmap_count(map), (u64)n);
	bad = hmap_test_check_range(test, map, 0, n, 2);
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U,
			    "value %u: keys not found or wrong after the update",
			    vs);

	/* The even keys go. */
	for (i = 0; i < n; i += 2) {
		hmap_test_key(key, ks, i);
		err = hmap_delete(map, key, GFP_KERNEL);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "value %u: delete of key %u",
				    vs, i);
	}
	KUNIT_EXPECT_EQ(test, hmap_count(map), (u64)(n / 2));
	bad = 0;
	for (i = 0; i < n; i++) {
		hmap_test_key(key, ks, i);
		memset(value, 0, vs);
		err = hmap_lookup(map, key, value);
		if (i % 2)
			bad += err || !hmap_test_value_ok(value, vs, i, 2);
		else
			bad += err != -ENOENT;
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U,
			    "value %u: wrong lookups after deleting half", vs);
	KUNIT_EXPECT_EQ_MSG(test, hmap_verify(map), 0,
			    "value %u: hmap_verify() (its error is in the log)",
			    vs);

	/* And the rest. */
	for (i = 1; i < n; i += 2) {
		hmap_test_key(key, ks, i);
		err = hmap_delete(map, key, GFP_KERNEL);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "value %u: delete of key %u",
				    vs, i);
	}
	KUNIT_EXPECT_EQ(test, hmap_count(map), 0ULL);
	bad = ks_misses(map, ks, vs, 0, 2 * n, key, value);
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U,
			    "value %u: keys found in an empty map", vs);
	KUNIT_EXPECT_EQ_MSG(test, hmap_verify(map), 0,
			    "value %u: hmap_verify() of the empty map", vs);
}

static void key_size_round_trip(struct kunit *test)
{
	const struct ks_param *p = test->param_value;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(ks_value_sizes); i++)
		ks_run(test, p->hash, p->key_size, ks_value_sizes[i]);
}

/* Only the hashes of enum hmap_hash. */
static void create_with_unknown_hash_is_einval(struct kunit *test)
{
	static const u32 bad[] = { HMAP_HASH_NR, HMAP_HASH_NR + 1, U32_MAX };
	struct hmap_params params = { .key_size = 8, .value_size = 8 };
	struct hmap_info *info;
	struct hmap *map;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		params.hash = bad[i];
		map = hmap_create(&params);
		KUNIT_EXPECT_TRUE_MSG(test, map == ERR_PTR(-EINVAL),
				      "hash %u: hmap_create() gave %pe",
				      bad[i], map);
		if (!IS_ERR_OR_NULL(map))
			hmap_destroy(map);
	}
	for (i = 0; i < HMAP_HASH_NR; i++) {
		map = hmap_test_create_hash(test, 8, 8, 0, i);
		info = hmap_test_info(test, map);
		KUNIT_EXPECT_EQ(test, info->hash, i);
	}
}

static struct kunit_case hmap_keysize_cases[] = {
	KUNIT_CASE_PARAM(key_size_round_trip, ks_gen_params),
	KUNIT_CASE(create_with_unknown_hash_is_einval),
	{}
};

HMAP_TEST_SUITE(hmap_keysize, hmap_keysize_cases);
