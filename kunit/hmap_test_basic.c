// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_basic": lookup, update, delete and clear, the update
 * flags, max_entries, bad parameters, reseeding and the counters.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/test.h>

#include "hmap_core.h"	/* struct hmap_bucket, HMAP_INLINE_MAX */
#include "hmap_test.h"

/*
 * Keys per map in the size-parameterized cases (a 1 byte key has 256):
 * four grows, from 1 bucket to 16.
 */
#define BASIC_NKEYS	100

struct basic_sizes {
	u32 key_size;
	u32 value_size;
};

/*
 * Key sizes 1..512 and value sizes 0..65536: inline and out of line (past
 * HMAP_INLINE_MAX), the sizes of the SipHash-1-3 keys (4, 8) and odd
 * ones the generic hash takes, up to both limits.
 */
static const struct basic_sizes basic_sizes[] = {
	{ 1, 0 }, { 1, 8 }, { 1, 4096 },
	{ 2, 0 }, { 3, 5 },
	{ 4, 0 }, { 4, 8 }, { 4, 4096 },
	{ 8, 0 }, { 8, 8 }, { 8, 4096 }, { 8, 65536 },
	{ 13, 7 },
	{ 16, 0 }, { 16, 8 }, { 16, 4096 },
	{ 100, 0 }, { 100, 8 }, { 100, 4096 },
	{ 129, 8 },
	{ 200, 0 }, { 200, 8 }, { 200, 4096 },
	{ 512, 0 }, { 512, 65536 },
};

static void basic_sizes_desc(const struct basic_sizes *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "key_size_%u_value_size_%u",
		 p->key_size, p->value_size);
}

KUNIT_ARRAY_PARAM(basic_sizes, basic_sizes, basic_sizes_desc);

static const u32 basic_key_sizes[] = { 1, 2, 3, 4, 8, 13, 16, 100, 129, 200, 512 };

static void basic_key_sizes_desc(const u32 *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "key_size_%u", *p);
}

KUNIT_ARRAY_PARAM(basic_key_sizes, basic_key_sizes, basic_key_sizes_desc);

/* A map of the case's sizes holding keys [0, BASIC_NKEYS) at generation 1. */
static struct hmap *basic_filled_map(struct kunit *test,
				     const struct basic_sizes *p)
{
	struct hmap *map = hmap_test_create(test, p->key_size, p->value_size, 0);

	hmap_test_insert_range(test, map, 0, BASIC_NKEYS, 1);
	KUNIT_ASSERT_EQ_MSG(test, hmap_count(map), (u64)BASIC_NKEYS,
			    "count after %u inserts", BASIC_NKEYS);
	return map;
}

static void lookup_finds_inserted_key(struct kunit *test)
{
	const struct basic_sizes *p = test->param_value;
	struct hmap *map = basic_filled_map(test, p);
	u8 *key = hmap_test_buf(test, p->key_size);
	u8 *value = hmap_test_buf(test, p->value_size);
	u32 i;

	for (i = 0; i < BASIC_NKEYS; i++) {
		hmap_test_key(key, p->key_size, i);
		memset(value, 0, p->value_size);
		KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, value), 0,
				    "key %u not found", i);
		KUNIT_EXPECT_TRUE_MSG(test,
				      hmap_test_value_ok(value, p->value_size, i, 1),
				      "key %u: wrong value", i);
	}
}

static void update_replaces_value(struct kunit *test)
{
	const struct basic_sizes *p = test->param_value;
	struct hmap *map = basic_filled_map(test, p);
	u8 *key = hmap_test_buf(test, p->key_size);
	u8 *value = hmap_test_buf(test, p->value_size);
	u32 i;

	for (i = 0; i < BASIC_NKEYS; i += 2) {
		hmap_test_key(key, p->key_size, i);
		hmap_test_value(value, p->value_size, i, 2);
		KUNIT_ASSERT_EQ_MSG(test, hmap_update(map, key, value, HMAP_UPDATE_ANY, GFP_KERNEL),
				    0, "update of key %u", i);
	}
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), (u64)BASIC_NKEYS,
			    "updates changed the count");
	for (i = 0; i < BASIC_NKEYS; i++) {
		hmap_test_key(key, p->key_size, i);
		memset(value, 0, p->value_size);
		KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, value), 0,
				    "key %u not found", i);
		KUNIT_EXPECT_TRUE_MSG(test,
				      hmap_test_value_ok(value, p->value_size,
							 i, i % 2 ? 1 : 2),
				      "key %u: wrong value after updates", i);
	}
}

static void delete_removes_key(struct kunit *test)
{
	const struct basic_sizes *p = test->param_value;
	struct hmap *map = basic_filled_map(test, p);
	u8 *key = hmap_test_buf(test, p->key_size);
	u8 *value = hmap_test_buf(test, p->value_size);
	u32 i;

	for (i = 0; i < BASIC_NKEYS; i += 2) {
		hmap_test_key(key, p->key_size, i);
		KUNIT_ASSERT_EQ_MSG(test, hmap_delete(map, key, GFP_KERNEL), 0,
				    "delete of key %u", i);
	}
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), (u64)BASIC_NKEYS / 2,
			    "count after deleting half the keys");
	for (i = 0; i < BASIC_NKEYS; i++) {
		hmap_test_key(key, p->key_size, i);
		memset(value, 0, p->value_size);
		if (i % 2 == 0) {
			KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, value),
					    -ENOENT, "deleted key %u found", i);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, value), 0,
				    "kept key %u not found", i);
		KUNIT_EXPECT_TRUE_MSG(test,
				      hmap_test_value_ok(value, p->value_size, i, 1),
				      "kept key %u: wrong value", i);
	}
}

/* Keys equal but for their last byte must all be told apart. */
static void keys_differing_in_last_byte_are_distinct(struct kunit *test)
{
	const u32 key_size = *(const u32 *)test->param_value;
	const u32 nkeys = 16;
	struct hmap *map = hmap_test_create(test, key_size, 8, 0);
	u8 *key = hmap_test_buf(test, key_size);
	u8 *value = hmap_test_buf(test, 8);
	u32 i;

	memset(key, 0x5a, key_size);
	for (i = 0; i < nkeys; i++) {
		key[key_size - 1] = i;
		hmap_test_value(value, 8, i, 1);
		KUNIT_ASSERT_EQ_MSG(test,
				    hmap_update(map, key, value, HMAP_UPDATE_NOEXIST, GFP_KERNEL),
				    0, "insert of key ending in %u", i);
	}
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), (u64)nkeys,
			    "keys were merged");
	for (i = 0; i < nkeys; i++) {
		key[key_size - 1] = i;
		memset(value, 0, 8);
		KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, value), 0,
				    "key ending in %u not found", i);
		KUNIT_EXPECT_TRUE_MSG(test, hmap_test_value_ok(value, 8, i, 1),
				      "key ending in %u: another key's value", i);
	}
}

/*
 * Keys of zeros but for one byte at one position, every position of the
 * key, must all be told apart from each other and from the all-zero key.
 */
static void keys_differing_in_any_one_byte_are_distinct(struct kunit *test)
{
	const u32 key_size = *(const u32 *)test->param_value;
	struct hmap *map = hmap_test_create(test, key_size, 4, 0);
	u8 *key = hmap_test_buf(test, key_size);
	u32 b, v;

	for (b = 0; b < key_size; b++) {
		memset(key, 0, key_size);
		key[b] = 0x80;
		KUNIT_ASSERT_EQ_MSG(test,
				    hmap_update(map, key, &b, HMAP_UPDATE_NOEXIST, GFP_KERNEL),
				    0, "insert of the key with byte %u set", b);
	}
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), (u64)key_size,
			    "keys were merged");
	for (b = 0; b < key_size; b++) {
		memset(key, 0, key_size);
		key[b] = 0x80;
		v = U32_MAX;
		KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, &v), 0,
				    "key with byte %u set not found", b);
		KUNIT_EXPECT_EQ_MSG(test, v, b,
				    "key with byte %u set: another key's value", b);
	}
	memset(key, 0, key_size);
	KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, NULL), -ENOENT,
			    "the all-zero key found");
}

static void lookup_with_null_value_reports_presence(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 16, 0);
	u8 key[8];

	hmap_test_insert_range(test, map, 0, 10, 1);
	hmap_test_key(key, sizeof(key), 3);
	KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, NULL), 0,
			    "present key not reported with a NULL value");
	hmap_test_key(key, sizeof(key), 30);
	KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, NULL), -ENOENT,
			    "absent key reported present with a NULL value");
}

static void lookup_absent_key_returns_enoent(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	u8 key[8], value[8];

	hmap_test_key(key, sizeof(key), 1000);
	KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, value), -ENOENT,
			    "lookup in an empty map");
	hmap_test_insert_range(test, map, 0, 100, 1);
	KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, value), -ENOENT,
			    "lookup of an absent key in a populated map");
}

static void delete_absent_key_returns_enoent(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	u8 key[8];

	hmap_test_key(key, sizeof(key), 5);
	KUNIT_EXPECT_EQ_MSG(test, hmap_delete(map, key, GFP_KERNEL), -ENOENT,
			    "delete in an empty map");
	hmap_test_insert_range(test, map, 0, 20, 1);
	KUNIT_ASSERT_EQ_MSG(test, hmap_delete(map, key, GFP_KERNEL), 0, "first delete");
	KUNIT_EXPECT_EQ_MSG(test, hmap_delete(map, key, GFP_KERNEL), -ENOENT,
			    "second delete of the same key");
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), 19ULL,
			    "a failed delete changed the count");
}

static void update_noexist_on_present_key_returns_eexist(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	u8 key[8], value[8];

	hmap_test_insert_range(test, map, 0, 4, 1);
	hmap_test_key(key, sizeof(key), 2);
	hmap_test_value(value, sizeof(value), 2, 2);
	KUNIT_EXPECT_EQ_MSG(test, hmap_update(map, key, value, HMAP_UPDATE_NOEXIST, GFP_KERNEL),
			    -EEXIST, "NOEXIST on a present key");
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), 4ULL, "count changed");
	memset(value, 0, sizeof(value));
	KUNIT_ASSERT_EQ(test, hmap_lookup(map, key, value), 0);
	KUNIT_EXPECT_TRUE_MSG(test, hmap_test_value_ok(value, 8, 2, 1),
			      "a refused NOEXIST update changed the value");
}

static void update_noexist_inserts_absent_key(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	u8 key[8], value[8];

	hmap_test_key(key, sizeof(key), 7);
	hmap_test_value(value, sizeof(value), 7, 1);
	KUNIT_EXPECT_EQ_MSG(test, hmap_update(map, key, value, HMAP_UPDATE_NOEXIST, GFP_KERNEL),
			    0, "NOEXIST on an absent key");
	memset(value, 0, sizeof(value));
	KUNIT_ASSERT_EQ_MSG(test, hmap_lookup(map, key, value), 0,
			    "key inserted with NOEXIST not found");
	KUNIT_EXPECT_TRUE(test, hmap_test_value_ok(value, 8, 7, 1));
}

static void update_exist_on_absent_key_returns_enoent(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	u8 key[8], value[8];

	hmap_test_insert_range(test, map, 0, 4, 1);
	hmap_test_key(key, sizeof(key), 9);
	hmap_test_value(value, sizeof(value), 9, 1);
	KUNIT_EXPECT_EQ_MSG(test, hmap_update(map, key, value, HMAP_UPDATE_EXIST, GFP_KERNEL),
			    -ENOENT, "EXIST on an absent key");
	KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, NULL), -ENOENT,
			    "a refused EXIST update inserted the key");
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), 4ULL, "count changed");
}

static void update_exist_replaces_present_key(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	u8 key[8], value[8];

	hmap_test_insert_range(test, map, 0, 4, 1);
	hmap_test_key(key, sizeof(key), 3);
	hmap_test_value(value, sizeof(value), 3, 2);
	KUNIT_EXPECT_EQ_MSG(test, hmap_update(map, key, value, HMAP_UPDATE_EXIST, GFP_KERNEL), 0,
			    "EXIST on a present key");
	memset(value, 0, sizeof(value));
	KUNIT_ASSERT_EQ(test, hmap_lookup(map, key, value), 0);
	KUNIT_EXPECT_TRUE_MSG(test, hmap_test_value_ok(value, 8, 3, 2),
			      "EXIST update did not replace the value");
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), 4ULL, "count changed");
}

static void update_any_inserts_absent_key(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	u8 key[8], value[8];

	hmap_test_key(key, sizeof(key), 11);
	hmap_test_value(value, sizeof(value), 11, 1);
	KUNIT_EXPECT_EQ_MSG(test, hmap_update(map, key, value, HMAP_UPDATE_ANY, GFP_KERNEL), 0,
			    "ANY on an absent key");
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), 1ULL, "count after insert");
	memset(value, 0, sizeof(value));
	KUNIT_ASSERT_EQ(test, hmap_lookup(map, key, value), 0);
	KUNIT_EXPECT_TRUE(test, hmap_test_value_ok(value, 8, 11, 1));
}

static void update_any_replaces_present_key(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	u8 key[8], value[8];

	hmap_test_insert_range(test, map, 11, 12, 1);
	hmap_test_key(key, sizeof(key), 11);
	hmap_test_value(value, sizeof(value), 11, 2);
	KUNIT_EXPECT_EQ_MSG(test, hmap_update(map, key, value, HMAP_UPDATE_ANY, GFP_KERNEL), 0,
			    "ANY on a present key");
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), 1ULL,
			    "replacing a value changed the count");
	memset(value, 0, sizeof(value));
	KUNIT_ASSERT_EQ(test, hmap_lookup(map, key, value), 0);
	KUNIT_EXPECT_TRUE_MSG(test, hmap_test_value_ok(value, 8, 11, 2),
			      "ANY did not replace the value");
}

static void update_unknown_flags_return_einval(struct kunit *test)
{
	static const u64 bad_flags[] = { 3, 4, 1ULL << 8, 1ULL << 63 };
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	u8 key[8], value[8];
	u32 i;

	hmap_test_insert_range(test, map, 0, 1, 1);
	for (i = 0; i < ARRAY_SIZE(bad_flags); i++) {
		/* On an absent key: nothing may be inserted. */
		hmap_test_key(key, sizeof(key), 1);
		hmap_test_value(value, sizeof(value), 1, 1);
		KUNIT_EXPECT_EQ_MSG(test,
				    hmap_update(map, key, value, bad_flags[i], GFP_KERNEL),
				    -EINVAL, "flags %#llx, absent key",
				    bad_flags[i]);
		KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, NULL), -ENOENT,
				    "flags %#llx inserted a key", bad_flags[i]);
		/* On a present key: the value must stay. */
		hmap_test_key(key, sizeof(key), 0);
		hmap_test_value(value, sizeof(value), 0, 2);
		KUNIT_EXPECT_EQ_MSG(test,
				    hmap_update(map, key, value, bad_flags[i], GFP_KERNEL),
				    -EINVAL, "flags %#llx, present key",
				    bad_flags[i]);
		memset(value, 0, sizeof(value));
		KUNIT_ASSERT_EQ(test, hmap_lookup(map, key, value), 0);
		KUNIT_EXPECT_TRUE_MSG(test, hmap_test_value_ok(value, 8, 0, 1),
				      "flags %#llx replaced a value",
				      bad_flags[i]);
	}
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), 1ULL, "count changed");
}

struct basic_bad_params {
	struct hmap_params params;
	const char *desc;
};

static const struct basic_bad_params basic_bad_params[] = {
	{ { .key_size = 0, .value_size = 8 }, "key_size_0" },
	{ { .key_size = HMAP_MAX_KEY_SIZE + 1, .value_size = 8 },
	  "key_size_over_max" },
	{ { .key_size = U32_MAX, .value_size = 8 }, "key_size_u32_max" },
	{ { .key_size = 8, .value_size = HMAP_MAX_VALUE_SIZE + 1 },
	  "value_size_over_max" },
	{ { .key_size = 8, .value_size = U32_MAX }, "value_size_u32_max" },
	{ { .key_size = 8, .value_size = 8, .flags = 2 }, "flags_bit_1" },
	{ { .key_size = 8, .value_size = 8, .flags = 1U << 31 },
	  "flags_bit_31" },
	{ { .key_size = 8, .value_size = 8,
	    .max_entries = HMAP_MAX_ENTRIES + 1 }, "max_entries_over_max" },
	{ { .key_size = 8, .value_size = 8, .max_entries = U32_MAX },
	  "max_entries_u32_max" },
	{ { .key_size = 8, .value_size = 8,
	    .evac_delay_ms = HMAP_MAX_EVAC_DELAY_MS + 1 },
	  "evac_delay_over_max" },
};

KUNIT_ARRAY_PARAM_DESC(basic_bad_params, basic_bad_params, desc);

static void create_rejects_bad_params(struct kunit *test)
{
	const struct basic_bad_params *p = test->param_value;
	struct hmap *map = hmap_create(&p->params);

	if (!IS_ERR_OR_NULL(map))
		hmap_destroy(map);
	KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(map), -EINVAL,
			    "hmap_create(%s) returned %pe", p->desc, map);
}

static void create_rejects_null_params(struct kunit *test)
{
	struct hmap *map = hmap_create(NULL);

	if (!IS_ERR_OR_NULL(map))
		hmap_destroy(map);
	KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(map), -EINVAL,
			    "hmap_create(NULL) returned %pe", map);
}

static void create_accepts_limit_sizes(struct kunit *test)
{
	const u32 ks = HMAP_MAX_KEY_SIZE, vs = HMAP_MAX_VALUE_SIZE;
	struct hmap *map = hmap_test_create(test, ks, vs, HMAP_MAX_ENTRIES);
	u8 *key = hmap_test_buf(test, ks);
	u8 *value = hmap_test_buf(test, vs);

	hmap_test_key(key, ks, 42);
	hmap_test_value(value, vs, 42, 1);
	KUNIT_ASSERT_EQ_MSG(test, hmap_update(map, key, value, HMAP_UPDATE_ANY, GFP_KERNEL), 0,
			    "insert with the largest key and value");
	memset(value, 0, vs);
	KUNIT_ASSERT_EQ(test, hmap_lookup(map, key, value), 0);
	KUNIT_EXPECT_TRUE_MSG(test, hmap_test_value_ok(value, vs, 42, 1),
			      "largest value not read back intact");
}

static void create_max_entries_zero_means_limit(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *info = hmap_test_info(test, map);

	/* 6.5 * 2^23: 2^23 152-byte buckets are the most INT_MAX bytes hold. */
	KUNIT_EXPECT_EQ_MSG(test, info->max_entries, 13U << 22,
			    "max_entries 0 should mean the most 2^23 buckets take");
}

/* What a map that holds nothing and is not growing reports. */
static void basic_expect_empty(struct kunit *test, const struct hmap_info *info,
			       const char *when)
{
	KUNIT_EXPECT_EQ_MSG(test, info->count, 0ULL, "count %s", when);
	KUNIT_EXPECT_EQ_MSG(test, info->B, 0U, "B %s", when);
	KUNIT_EXPECT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_NONE,
			    "growing %s", when);
	KUNIT_EXPECT_EQ_MSG(test, info->old_buckets, 0ULL, "old array %s",
			    when);
}

static void info_reports_creation_params(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 24, 300, 1000);
	struct hmap_info *info = hmap_test_info(test, map);

	KUNIT_EXPECT_EQ_MSG(test, info->key_size, 24U, "key_size");
	KUNIT_EXPECT_EQ_MSG(test, info->value_size, 300U, "value_size");
	KUNIT_EXPECT_EQ_MSG(test, info->max_entries, 1000U, "max_entries");
	KUNIT_EXPECT_EQ_MSG(test, info->flags, 0U, "flags");
	basic_expect_empty(test, info, "of a new map");
	KUNIT_EXPECT_GT_MSG(test, info->memory, 0ULL, "memory of a new map");
}

/* Bytes of one key or value in a slot: itself, or a pointer to it. */
static u32 basic_slot_bytes(u32 size)
{
	return size > HMAP_INLINE_MAX ? sizeof(void *) : size;
}

/*
 * A bucket is its header and 8 slots of key and value, 8-aligned (the
 * memory accounting and the ioctl's snapshot size rest on it).
 */
static void info_bucket_size_is_header_and_eight_slots(struct kunit *test)
{
	const struct basic_sizes *p = test->param_value;
	struct hmap *map = hmap_test_create(test, p->key_size, p->value_size, 0);
	u32 want = ALIGN(sizeof(struct hmap_bucket) + HMAP_BUCKET_SLOTS *
			 (basic_slot_bytes(p->key_size) +
			  basic_slot_bytes(p->value_size)), sizeof(u64));

	KUNIT_EXPECT_EQ_MSG(test, hmap_test_info(test, map)->bucket_size, want,
			    "bucket_size of key %u value %u", p->key_size,
			    p->value_size);
}

/* The last bucket of the current array can be read, the next cannot. */
static void snapshot_past_last_bucket_returns_erange(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_bucket_snap *snap = hmap_test_buf(test, sizeof(*snap));
	struct hmap_info *info;
	u64 nb;

	hmap_test_insert_range(test, map, 0, 1000, 1);
	hmap_test_finish_growth(test, map, 0, 1, 1000);
	info = hmap_test_info(test, map);
	nb = 1ULL << info->B;
	KUNIT_EXPECT_EQ_MSG(test, hmap_snapshot_bucket(map, false, nb - 1, snap),
			    0, "snapshot of the last bucket %llu", nb - 1);
	KUNIT_EXPECT_EQ_MSG(test, hmap_snapshot_bucket(map, false, nb, snap),
			    -ERANGE, "snapshot of bucket 2^B = %llu", nb);
	KUNIT_EXPECT_EQ_MSG(test, hmap_snapshot_bucket(map, false, U64_MAX, snap),
			    -ERANGE, "snapshot of bucket U64_MAX");
}

static void full_map_insert_returns_e2big(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 4);
	u8 key[8], value[8];

	hmap_test_insert_range(test, map, 0, 4, 1);
	hmap_test_key(key, sizeof(key), 4);
	hmap_test_value(value, sizeof(value), 4, 1);
	KUNIT_EXPECT_EQ_MSG(test, hmap_update(map, key, value, HMAP_UPDATE_ANY, GFP_KERNEL),
			    -E2BIG, "ANY insert into a full map");
	KUNIT_EXPECT_EQ_MSG(test, hmap_update(map, key, value, HMAP_UPDATE_NOEXIST, GFP_KERNEL),
			    -E2BIG, "NOEXIST insert into a full map");
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), 4ULL,
			    "a refused insert changed the count");
	KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, NULL), -ENOENT,
			    "a refused insert stored the key");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, map, 0, 4, 1),
			    0U, "a refused insert disturbed the stored keys");
}

static void full_map_accepts_update_of_present_key(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 4);
	u8 key[8], value[8];

	hmap_test_insert_range(test, map, 0, 4, 1);
	hmap_test_key(key, sizeof(key), 1);
	hmap_test_value(value, sizeof(value), 1, 2);
	KUNIT_EXPECT_EQ_MSG(test, hmap_update(map, key, value, HMAP_UPDATE_ANY, GFP_KERNEL), 0,
			    "ANY update of a present key in a full map");
	hmap_test_key(key, sizeof(key), 2);
	hmap_test_value(value, sizeof(value), 2, 2);
	KUNIT_EXPECT_EQ_MSG(test, hmap_update(map, key, value, HMAP_UPDATE_EXIST, GFP_KERNEL), 0,
			    "EXIST update of a present key in a full map");
	KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, 1, 3, 2), 0U);
	KUNIT_EXPECT_EQ(test, hmap_count(map), 4ULL);
}

static void full_map_accepts_insert_after_delete(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 4);
	u8 key[8];

	hmap_test_insert_range(test, map, 0, 4, 1);
	hmap_test_key(key, sizeof(key), 0);
	KUNIT_ASSERT_EQ(test, hmap_delete(map, key, GFP_KERNEL), 0);
	hmap_test_insert_range(test, map, 4, 5, 1);
	KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, 1, 5, 1), 0U);
	KUNIT_EXPECT_EQ(test, hmap_count(map), 4ULL);
}

static void clear_leaves_empty_map(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *info;

	hmap_test_insert_range(test, map, 0, 500, 1);
	KUNIT_ASSERT_EQ(test, hmap_clear(map, GFP_KERNEL), 0);
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), 0ULL, "count after clear");
	KUNIT_EXPECT_EQ_MSG(test, info->count, 0ULL, "info.count after clear");
}

static void clear_forgets_old_keys(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	u8 key[8];
	u32 i;

	hmap_test_insert_range(test, map, 0, 500, 1);
	KUNIT_ASSERT_EQ(test, hmap_clear(map, GFP_KERNEL), 0);
	for (i = 0; i < 500; i++) {
		hmap_test_key(key, sizeof(key), i);
		KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(map, key, NULL), -ENOENT,
				    "key %u survived clear", i);
	}
}

static void map_usable_after_clear(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);

	hmap_test_insert_range(test, map, 0, 500, 1);
	KUNIT_ASSERT_EQ(test, hmap_clear(map, GFP_KERNEL), 0);
	hmap_test_insert_range(test, map, 250, 750, 2);
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), 500ULL,
			    "count after refilling a cleared map");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, map, 250, 750, 2),
			    0U, "keys inserted after clear not found");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, map, 0, 250, 1),
			    250U, "keys from before the clear found again");
}

/* A clear in the middle of a grow drops both arrays, and the grow with them. */
static void clear_while_growing_leaves_empty_map(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 300, 0);
	struct hmap_info *info;

	/* The 105th key starts a grow of 16 buckets (6.5 * 16 = 104). */
	hmap_test_insert_range(test, map, 0, 105, 1);
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_DOUBLE,
			    "map of 105 keys not growing");
	KUNIT_ASSERT_EQ(test, hmap_clear(map, GFP_KERNEL), 0);
	hmap_get_info(map, info);
	basic_expect_empty(test, info, "after a clear during a grow");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, map, 0, 105, 1),
			    105U, "keys survived a clear during a grow");
}

static void clear_reseeds(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *before, *after;

	hmap_test_insert_range(test, map, 0, 50, 1);
	before = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ(test, hmap_clear(map, GFP_KERNEL), 0);
	after = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_RESEEDS],
			    before->counters[HMAP_STAT_RESEEDS] + 1,
			    "clear did not reseed exactly once");
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_CLEARS],
			    before->counters[HMAP_STAT_CLEARS] + 1,
			    "clear not counted");
}

static void delete_of_last_key_reseeds(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *info;
	u64 reseeds;
	u8 key[8];
	u32 i;

	hmap_test_insert_range(test, map, 0, 20, 1);
	info = hmap_test_info(test, map);
	reseeds = info->counters[HMAP_STAT_RESEEDS];
	for (i = 0; i < 19; i++) {
		hmap_test_key(key, sizeof(key), i);
		KUNIT_ASSERT_EQ(test, hmap_delete(map, key, GFP_KERNEL), 0);
		hmap_get_info(map, info);
		KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_RESEEDS],
				    reseeds,
				    "reseeded with %u keys left", 19 - i);
	}
	hmap_test_key(key, sizeof(key), 19);
	KUNIT_ASSERT_EQ(test, hmap_delete(map, key, GFP_KERNEL), 0);
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_RESEEDS], reseeds + 1,
			    "deleting the last key did not reseed");
}

/*
 * The seed is private, but in a one-bucket map a key's tophash byte shows
 * its hash: after each reseed it is a fresh random byte, so across a few
 * reseeds it must change (the chance that 6 reseeds all give the same
 * byte is 1 in 251^6).
 */
static void reseed_changes_key_tophash(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_bucket_snap *snap;
	u8 first, changed = 0;
	u32 round;

	hmap_test_insert_range(test, map, 0, 1, 1);
	snap = hmap_test_snap(test, map, 0);
	first = snap->tophash[0];
	KUNIT_ASSERT_GE_MSG(test, first, HMAP_MIN_TOPHASH, "slot 0 not live");
	for (round = 0; round < 6; round++) {
		KUNIT_ASSERT_EQ(test, hmap_clear(map, GFP_KERNEL), 0);
		hmap_test_insert_range(test, map, 0, 1, 1);
		snap = hmap_test_snap(test, map, 0);
		KUNIT_ASSERT_GE_MSG(test, snap->tophash[0], HMAP_MIN_TOPHASH,
				    "slot 0 not live after clear and insert");
		if (snap->tophash[0] != first)
			changed++;
	}
	KUNIT_EXPECT_GT_MSG(test, changed, 0,
			    "tophash of the key stayed %#x across 6 reseeds",
			    first);
}

static void count_tracks_inserts_and_deletes(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *info;
	u8 key[8];
	u32 i;

	hmap_test_insert_range(test, map, 0, 300, 1);
	KUNIT_EXPECT_EQ(test, hmap_count(map), 300ULL);
	hmap_test_insert_range(test, map, 100, 200, 2);
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), 300ULL,
			    "replacing values changed the count");
	for (i = 0; i < 300; i += 3) {
		hmap_test_key(key, sizeof(key), i);
		KUNIT_ASSERT_EQ(test, hmap_delete(map, key, GFP_KERNEL), 0);
	}
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), 200ULL,
			    "count after 100 deletes");
	KUNIT_EXPECT_EQ_MSG(test, info->count, 200ULL,
			    "info.count disagrees with hmap_count()");
}

/* 15 lookups of keys 0..14 in a map holding keys 0..9. */
static void lookup_15(struct hmap *map)
{
	u8 key[8];
	u32 i;

	for (i = 0; i < 15; i++) {
		hmap_test_key(key, sizeof(key), i);
		hmap_lookup(map, key, NULL);
	}
}

static void counters_track_lookups(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *before, *after;

	hmap_test_insert_range(test, map, 0, 10, 1);
	hmap_stats_enable();
	before = hmap_test_info(test, map);
	lookup_15(map);
	after = hmap_test_info(test, map);
	hmap_stats_disable();
	KUNIT_EXPECT_EQ(test, after->counters_off, 0ULL);
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_HITS] -
			    before->counters[HMAP_STAT_HITS], 10ULL, "hits");
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_MISSES] -
			    before->counters[HMAP_STAT_MISSES], 5ULL, "misses");
}

/*
 * Without hmap_stats_enable() the lookup path counts nothing, and the info
 * says so; holds nest, and the last disable turns them off.
 */
static void runtime_counters_count_only_when_enabled(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *before, *after;

	hmap_test_insert_range(test, map, 0, 10, 1);
	if (hmap_stats_enabled())
		kunit_skip(test, "run-time statistics held on by someone else");
	before = hmap_test_info(test, map);
	lookup_15(map);
	after = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ(test, after->counters_off, HMAP_STATS_RUNTIME_MASK);
	KUNIT_EXPECT_EQ(test, after->counters[HMAP_STAT_HITS],
			before->counters[HMAP_STAT_HITS]);
	KUNIT_EXPECT_EQ(test, after->counters[HMAP_STAT_MISSES],
			before->counters[HMAP_STAT_MISSES]);

	hmap_stats_enable();
	hmap_stats_enable();
	hmap_stats_disable();
	KUNIT_EXPECT_TRUE(test, hmap_stats_enabled());
	lookup_15(map);
	hmap_stats_disable();
	KUNIT_EXPECT_FALSE(test, hmap_stats_enabled());
	lookup_15(map);
	after = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ(test, after->counters[HMAP_STAT_HITS] -
			before->counters[HMAP_STAT_HITS], 10ULL);
	KUNIT_EXPECT_EQ(test, after->counters[HMAP_STAT_MISSES] -
			before->counters[HMAP_STAT_MISSES], 5ULL);
}

static void counters_track_writes(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *before, *after;
	u8 key[8];
	u32 i;

	before = hmap_test_info(test, map);
	hmap_test_insert_range(test, map, 0, 30, 1);
	hmap_test_insert_range(test, map, 0, 10, 2);
	for (i = 0; i < 5; i++) {
		hmap_test_key(key, sizeof(key), i);
		KUNIT_ASSERT_EQ(test, hmap_delete(map, key, GFP_KERNEL), 0);
	}
	after = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_INSERTS] -
			    before->counters[HMAP_STAT_INSERTS], 30ULL,
			    "inserts");
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_UPDATES] -
			    before->counters[HMAP_STAT_UPDATES], 10ULL,
			    "updates");
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_DELETES] -
			    before->counters[HMAP_STAT_DELETES], 5ULL,
			    "deletes");
}

static struct kunit_case hmap_basic_cases[] = {
	KUNIT_CASE_PARAM(lookup_finds_inserted_key, basic_sizes_gen_params),
	KUNIT_CASE_PARAM(update_replaces_value, basic_sizes_gen_params),
	KUNIT_CASE_PARAM(delete_removes_key, basic_sizes_gen_params),
	KUNIT_CASE_PARAM(keys_differing_in_last_byte_are_distinct,
			 basic_key_sizes_gen_params),
	KUNIT_CASE_PARAM(keys_differing_in_any_one_byte_are_distinct,
			 basic_key_sizes_gen_params),
	KUNIT_CASE(lookup_with_null_value_reports_presence),
	KUNIT_CASE(lookup_absent_key_returns_enoent),
	KUNIT_CASE(delete_absent_key_returns_enoent),
	KUNIT_CASE(update_noexist_on_present_key_returns_eexist),
	KUNIT_CASE(update_noexist_inserts_absent_key),
	KUNIT_CASE(update_exist_on_absent_key_returns_enoent),
	KUNIT_CASE(update_exist_replaces_present_key),
	KUNIT_CASE(update_any_inserts_absent_key),
	KUNIT_CASE(update_any_replaces_present_key),
	KUNIT_CASE(update_unknown_flags_return_einval),
	KUNIT_CASE_PARAM(create_rejects_bad_params,
			 basic_bad_params_gen_params),
	KUNIT_CASE(create_rejects_null_params),
	KUNIT_CASE(create_accepts_limit_sizes),
	KUNIT_CASE(create_max_entries_zero_means_limit),
	KUNIT_CASE(info_reports_creation_params),
	KUNIT_CASE_PARAM(info_bucket_size_is_header_and_eight_slots,
			 basic_sizes_gen_params),
	KUNIT_CASE(snapshot_past_last_bucket_returns_erange),
	KUNIT_CASE(full_map_insert_returns_e2big),
	KUNIT_CASE(full_map_accepts_update_of_present_key),
	KUNIT_CASE(full_map_accepts_insert_after_delete),
	KUNIT_CASE(clear_leaves_empty_map),
	KUNIT_CASE(clear_forgets_old_keys),
	KUNIT_CASE(map_usable_after_clear),
	KUNIT_CASE(clear_while_growing_leaves_empty_map),
	KUNIT_CASE(clear_reseeds),
	KUNIT_CASE(delete_of_last_key_reseeds),
	KUNIT_CASE(reseed_changes_key_tophash),
	KUNIT_CASE(count_tracks_inserts_and_deletes),
	KUNIT_CASE(counters_track_lookups),
	KUNIT_CASE(runtime_counters_count_only_when_enabled),
	KUNIT_CASE(counters_track_writes),
	{}
};

HMAP_TEST_SUITE(hmap_basic, hmap_basic_cases);
