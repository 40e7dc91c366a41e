// SPDX-License-Identifier: GPL-2.0
/*
 * Semantic tests of the core, single-threaded, with the shims in manual
 * mode: grace periods and work items run only when a test asks (the
 * background evacuation worker runs when the test moves the clock), so
 * every run takes the same path.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <shim.h>

#include "hmap_core.h"
#include "test.h"

SHIM_PARAM_DECLARE(cache_objs, unsigned int);

/* The core's worker waits this long after the last write, by default. */
#define BG_IDLE		msecs_to_jiffies(HMAP_EVAC_DELAY_MS)

static u32 expected_B(u64 n)
{
	u32 B = 0;

	if (n <= HMAP_BUCKET_SLOTS)
		return 0;
	while (n * 2 > (13ULL << B))
		B++;
	return B;
}

static u64 counter(struct hmap *map, enum hmap_stat c)
{
	return test_info(map).counters[c];
}

/* Runs the background worker: the clock moves past its idle delay. */
static void run_worker(void)
{
	shim_advance_jiffies(BG_IDLE);
	shim_run_work();
}

static int insert(struct hmap *map, struct model *m, u64 i)
{
	return model_update(map, m, i, 1, HMAP_UPDATE_ANY);
}

/* ---- basic operations on many sizes ---- */

static const struct { u32 ks, vs, n; } sizes[] = {
	{ 1, 1, 200 }, { 2, 0, 1000 }, { 3, 5, 1000 }, { 4, 4, 1000 },
	{ 8, 8, 2000 }, { 13, 7, 1000 }, { 16, 0, 1000 }, { 128, 128, 500 },
	{ 129, 8, 500 }, { 8, 129, 500 }, { 200, 300, 300 }, { 64, 1024, 200 },
	{ 512, 65536, 24 },
};

static void ops_on_all_sizes(void)
{
	unsigned int s;
	u64 i;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct hmap *map = test_create(sizes[s].ks, sizes[s].vs, 0, 0);
		struct model m;
		char when[64];

		if (!map)
			return;
		model_init(&m, sizes[s].ks, sizes[s].vs, sizes[s].n);
		snprintf(when, sizeof(when), "key %u value %u", sizes[s].ks, sizes[s].vs);
		for (i = 0; i < m.nkeys; i++)
			model_update(map, &m, i, 1, HMAP_UPDATE_NOEXIST);
		model_check(map, &m, when);
		for (i = 0; i < m.nkeys; i += 3)
			model_update(map, &m, i, 2, HMAP_UPDATE_EXIST);
		for (i = 1; i < m.nkeys; i += 5)
			model_update(map, &m, i, 3, HMAP_UPDATE_ANY);
		model_check(map, &m, when);
		for (i = 0; i < m.nkeys; i += 2)
			model_delete(map, &m, i);
		model_check(map, &m, when);
		for (i = 0; i < m.nkeys; i += 4)
			model_update(map, &m, i, 4, HMAP_UPDATE_NOEXIST);
		for (i = 0; i < m.nkeys; i += 7)
			model_delete(map, &m, i);
		model_check(map, &m, when);
		test_destroy(map);
		model_free(&m);
		/* Free what the destroyed map left for after a grace period. */
		shim_quiesce();
		BAIL_IF_FAILED();
	}
}

static void lookup_with_null_value_tests_presence(void)
{
	struct hmap *map = test_create(8, 200, 0, 0);
	u8 key[8];

	if (!map)
		return;
	test_key(8, 1, key);
	CHECK_EQ(hmap_lookup(map, key, NULL), -ENOENT);
	CHECK_EQ(hmap_update(map, key, (u8[200]){ 7 }, HMAP_UPDATE_ANY), 0);
	CHECK_EQ(hmap_lookup(map, key, NULL), 0);
	test_destroy(map);
}

static void keys_differing_in_one_byte_are_distinct(void)
{
	u32 ks[] = { 1, 5, 8, 33, 129, 512 };
	unsigned int s, b;

	for (s = 0; s < sizeof(ks) / sizeof(ks[0]); s++) {
		struct hmap *map = test_create(ks[s], 4, 0, 0);
		u8 key[512] = { 0 };
		u32 v;

		if (!map)
			return;
		for (b = 0; b < ks[s]; b++) {
			memset(key, 0, sizeof(key));
			key[b] = 0x80;
			v = b;
			CHECK_EQ(hmap_update(map, key, &v, HMAP_UPDATE_NOEXIST), 0, "key size %u byte %u", ks[s], b);
		}
		CHECK_EQ(hmap_count(map), ks[s]);
		for (b = 0; b < ks[s]; b++) {
			memset(key, 0, sizeof(key));
			key[b] = 0x80;
			CHECK_EQ(hmap_lookup(map, key, &v), 0);
			CHECK_EQ(v, b);
		}
		memset(key, 0, sizeof(key));
		CHECK_EQ(hmap_lookup(map, key, &v), -ENOENT);
		test_destroy(map);
	}
}

static void set_map_with_value_size_zero(void)
{
	struct hmap *map = test_create(8, 0, 0, 0);
	struct model m;
	u64 i;

	if (!map)
		return;
	model_init(&m, 8, 0, 3000);
	for (i = 0; i < m.nkeys; i++)
		insert(map, &m, i);
	for (i = 0; i < m.nkeys; i += 2)
		model_update(map, &m, i, 2, HMAP_UPDATE_EXIST);
	for (i = 0; i < m.nkeys; i += 3)
		model_delete(map, &m, i);
	model_check(map, &m, "value_size 0");
	test_destroy(map);
	model_free(&m);
}

/* ---- update flags, limits, parameters ---- */

static void update_flags_follow_bpf(void)
{
	struct hmap *map = test_create(8, 8, 0, 0);
	struct model m;
	u64 i;

	if (!map)
		return;
	model_init(&m, 8, 8, 64);
	/* model_update() knows the expected result of each combination. */
	for (i = 0; i < 64; i++) {
		model_update(map, &m, i, 1, HMAP_UPDATE_EXIST);	/* -ENOENT */
		model_update(map, &m, i, 2, HMAP_UPDATE_NOEXIST);	/* 0 */
		model_update(map, &m, i, 3, HMAP_UPDATE_NOEXIST);	/* -EEXIST */
		model_update(map, &m, i, 4, HMAP_UPDATE_EXIST);	/* 0 */
		model_update(map, &m, i, 5, HMAP_UPDATE_ANY);		/* 0 */
		model_update(map, &m, i, 6, 3);			/* -EINVAL */
		model_update(map, &m, i, 6, 1ULL << 32);	/* -EINVAL */
		model_update(map, &m, i, 7, ~0ULL);		/* -EINVAL */
	}
	model_check(map, &m, "flags");
	CHECK_EQ(counter(map, HMAP_STAT_INSERTS), 64);
	CHECK_EQ(counter(map, HMAP_STAT_UPDATES), 128);
	test_destroy(map);
	model_free(&m);
}

static void full_map_refuses_new_keys_with_e2big(void)
{
	struct hmap *map = test_create(8, 8, 100, 0);
	struct model m;
	u64 i;

	if (!map)
		return;
	model_init(&m, 8, 8, 200);
	m.max_entries = 100;
	CHECK_EQ(test_info(map).max_entries, 100);
	for (i = 0; i < 100; i++)
		CHECK_EQ(insert(map, &m, i), 0);
	CHECK_EQ(insert(map, &m, 100), -E2BIG);
	CHECK_EQ(model_update(map, &m, 101, 1, HMAP_UPDATE_NOEXIST), -E2BIG);
	CHECK_EQ(model_update(map, &m, 102, 1, HMAP_UPDATE_EXIST), -ENOENT);
	CHECK_EQ(model_update(map, &m, 5, 2, HMAP_UPDATE_ANY), 0);
	CHECK_EQ(model_update(map, &m, 6, 2, HMAP_UPDATE_EXIST), 0);
	CHECK_EQ(model_update(map, &m, 7, 2, HMAP_UPDATE_NOEXIST), -EEXIST);
	CHECK_EQ(model_delete(map, &m, 0), 0);
	CHECK_EQ(insert(map, &m, 150), 0);
	CHECK_EQ(insert(map, &m, 151), -E2BIG);
	model_check(map, &m, "full");
	test_destroy(map);
	model_free(&m);

	map = test_create(8, 8, 0, 0);
	if (map)
		CHECK_EQ(test_info(map).max_entries, HMAP_MAX_ENTRIES);
	test_destroy(map);
}

static void create_rejects_bad_params(void)
{
	static const struct hmap_params bad[] = {
		{ 0, 8, 0, 0 },
		{ HMAP_MAX_KEY_SIZE + 1, 8, 0, 0 },
		{ 8, HMAP_MAX_VALUE_SIZE + 1, 0, 0 },
		{ 8, 8, HMAP_MAX_ENTRIES + 1, 0 },
		{ 8, 8, 0, 1U << 1 },
		{ 8, 8, 0, 1U << 31 },
		{ ~0U, ~0U, ~0U, ~0U },
		{ 8, 8, 0, 0, HMAP_MAX_EVAC_DELAY_MS + 1 },
	};
	static const struct hmap_params good[] = {
		{ 1, 0, 0, 0 },
		{ HMAP_MAX_KEY_SIZE, HMAP_MAX_VALUE_SIZE, 0, 0 },
		{ 8, 8, HMAP_MAX_ENTRIES, HMAP_F_NO_SHRINK },
		{ 8, 8, 1, 0 },
		{ 8, 8, 0, 0, HMAP_MAX_EVAC_DELAY_MS },
	};
	unsigned int i;

	CHECK(hmap_create(NULL) == ERR_PTR(-EINVAL));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(hmap_create(&bad[i]) == ERR_PTR(-EINVAL), "bad params #%u", i);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct hmap *map = hmap_create(&good[i]);

		CHECK(!IS_ERR(map), "good params #%u", i);
		if (!IS_ERR(map)) {
			struct hmap_info info = test_info(map);

			CHECK_EQ(info.key_size, good[i].key_size);
			CHECK_EQ(info.value_size, good[i].value_size);
			CHECK_EQ(info.flags, good[i].flags);
			CHECK_EQ(info.count, 0);
			CHECK_EQ(info.B, 0);
			hmap_destroy(map);
		}
	}
	hmap_destroy(NULL);
}

/* ---- growth ---- */

static void grow_points_follow_load_factor(void)
{
	struct hmap *map = test_create(8, 8, 0, 0);
	struct model m;
	u32 grows = 0, B = 0;
	u64 n;

	if (!map)
		return;
	model_init(&m, 8, 8, 7000);
	for (n = 1; n <= m.nkeys; n++) {
		struct hmap_info info;

		insert(map, &m, n - 1);
		info = test_info(map);
		if (info.B != expected_B(n)) {
			test_fail(__FILE__, __LINE__, "after %llu inserts B = %u, want %u",
				  (unsigned long long)n, info.B, expected_B(n));
			break;
		}
		if (info.B != B) {
			grows++;
			B = info.B;
		}
		CHECK(info.growth == HMAP_GROWTH_NONE || info.growth == HMAP_GROWTH_DOUBLE);
	}
	CHECK_EQ(counter(map, HMAP_STAT_GROWS), grows);
	CHECK_EQ(counter(map, HMAP_STAT_SAMESIZE_GROWS), 0);
	model_check(map, &m, "after grows");
	test_destroy(map);
	model_free(&m);
}

/* The bucket chain @index of the old (or current) array. */
static int snap(struct hmap *map, bool old, u64 index, struct hmap_bucket_snap *s)
{
	return hmap_snapshot_bucket(map, old, index, s);
}

static bool old_evacuated(struct hmap *map, u64 oi)
{
	struct hmap_bucket_snap s;
	u8 top;

	if (snap(map, true, oi, &s))
		return true;	/* the grow is over */
	top = s.tophash[0];
	return top >= HMAP_EVACUATED_X && top <= HMAP_EVACUATED_EMPTY;
}

static u8 tophash_of(u64 hash)
{
	u8 top = hash >> 56;

	return top < HMAP_MIN_TOPHASH ? top + HMAP_MIN_TOPHASH : top;
}

static bool chain_has(struct hmap *map, bool old, u64 index, u8 top)
{
	struct hmap_bucket_snap s;
	u32 i;

	if (snap(map, old, index, &s))
		return false;
	for (i = 0; i < s.nslots; i++)
		if (s.tophash[i] == top)
			return true;
	return false;
}

/*
 * Every key is where the layout says: in its old bucket while that is not
 * evacuated, else in bucket hash & (2^B - 1) of the current array.
 */
static void check_placement(struct hmap *map, const struct model *m, const char *when)
{
	struct hmap_info info = test_info(map);
	u8 key[HMAP_MAX_KEY_SIZE];
	u64 i, h;

	for (i = 0; i < m->nkeys; i++) {
		bool old;
		u64 index;

		if (!m->gen[i])
			continue;
		test_key(m->key_size, i, key);
		h = test_hash(map, key);
		old = info.old_buckets && !old_evacuated(map, h & (info.old_buckets - 1));
		index = h & ((old ? info.old_buckets : 1ULL << info.B) - 1);
		if (!chain_has(map, old, index, tophash_of(h))) {
			test_fail(__FILE__, __LINE__, "%s: key %llu not in %s bucket %llu",
				  when, (unsigned long long)i, old ? "old" : "new",
				  (unsigned long long)index);
			return;
		}
	}
}

static void grow_publishes_array_and_moves_nothing(void)
{
	struct hmap *map = test_create(8, 8, 0, HMAP_F_NO_SHRINK);
	struct hmap_info info;
	struct model m;
	u64 i, evacuated;

	if (!map)
		return;
	model_init(&m, 8, 8, 200);
	for (i = 0; i < 104; i++)		/* 6.5 * 16: B = 4, full */
		insert(map, &m, i);
	info = test_info(map);
	CHECK_EQ(info.B, 4);
	CHECK_EQ(info.growth, HMAP_GROWTH_NONE);
	evacuated = info.counters[HMAP_STAT_EVACUATED];
	insert(map, &m, 104);
	info = test_info(map);
	CHECK_EQ(info.B, 5);
	CHECK_EQ(info.old_B, 4);
	CHECK_EQ(info.old_buckets, 16);
	CHECK_EQ(info.growth, HMAP_GROWTH_DOUBLE);
	/* The insert that started the grow evacuated at most two buckets. */
	CHECK(info.counters[HMAP_STAT_EVACUATED] - evacuated <= 2, "%llu",
	      info.counters[HMAP_STAT_EVACUATED] - evacuated);
	CHECK(info.nevacuate <= 2, "%llu", info.nevacuate);
	check_placement(map, &m, "grow started");
	model_check(map, &m, "grow started");
	test_destroy(map);
	model_free(&m);
}

static void writes_evacuate_at_most_two_buckets(void)
{
	struct hmap *map = test_create(8, 8, 0, HMAP_F_NO_SHRINK);
	struct model m;
	u64 i, next = 417, writes = 0, oldsize;
	bool evac[64];

	if (!map)
		return;
	model_init(&m, 8, 8, 2000);
	for (i = 0; i < 417; i++)		/* 417 > 6.5 * 64: B 6 -> 7 */
		insert(map, &m, i);
	CHECK_EQ(test_info(map).growth, HMAP_GROWTH_DOUBLE);
	oldsize = test_info(map).old_buckets;
	CHECK_EQ(oldsize, 64);
	BAIL_IF_FAILED();

	while (test_info(map).growth != HMAP_GROWTH_NONE && writes < 1000) {
		u8 key[8];
		u64 k, before, n = 0, oi;
		int op = writes % 5;

		for (oi = 0; oi < oldsize; oi++)
			evac[oi] = old_evacuated(map, oi);
		before = counter(map, HMAP_STAT_EVACUATED);
		switch (op) {
		case 0:		/* insert */
			k = next++;
			insert(map, &m, k);
			break;
		case 1:		/* update */
			k = (writes * 7) % 417;
			model_update(map, &m, k, 2, m.gen[k] ? HMAP_UPDATE_EXIST : HMAP_UPDATE_ANY);
			break;
		case 2:		/* delete */
			k = (writes * 13) % 417;
			model_delete(map, &m, k);
			break;
		case 3:		/* delete of an absent key */
			k = 1999;
			model_delete(map, &m, k);
			break;
		default:	/* refused insert */
			k = (writes * 3) % 417;
			model_update(map, &m, k, 9, m.gen[k] ? HMAP_UPDATE_NOEXIST : HMAP_UPDATE_EXIST);
			break;
		}
		writes++;
		test_key(8, k, key);
		for (oi = 0; oi < oldsize; oi++)
			n += !evac[oi] && old_evacuated(map, oi);
		CHECK(n <= 2, "write %llu (op %d) evacuated %llu old buckets",
		      (unsigned long long)writes, op, (unsigned long long)n);
		CHECK(counter(map, HMAP_STAT_EVACUATED) - before <= 2);
		CHECK(old_evacuated(map, test_hash(map, key) & (oldsize - 1)),
		      "the written key's old bucket is not evacuated");
		if (writes % 4 == 0) {
			check_placement(map, &m, "during grow");
			model_check(map, &m, "during grow");
		}
		BAIL_IF_FAILED();
	}
	/* nevacuate moves at least one bucket per write. */
	CHECK(writes <= oldsize, "grow took %llu writes", (unsigned long long)writes);
	CHECK_EQ(test_info(map).B, 7);
	check_placement(map, &m, "grow done");
	model_check(map, &m, "grow done");
	test_destroy(map);
	model_free(&m);
}

/* A key number whose hash with the map's current seed is @bucket. */
static u64 key_for_bucket(struct hmap *map, const struct model *m, u64 *next,
			  u64 bucket, u64 mask)
{
	u8 key[HMAP_MAX_KEY_SIZE];

	for (;; (*next)++) {
		if (*next >= m->nkeys)
			abort();
		if (m->gen[*next])
			continue;
		test_key(m->key_size, *next, key);
		if ((test_hash(map, key) & mask) == bucket)
			return (*next)++;
	}
}

static void samesize_grow_compacts_churned_chains(void)
{
	struct hmap *map = test_create(8, 8, 0, HMAP_F_NO_SHRINK);
	struct hmap_info info;
	struct model m;
	u64 i, n, next = 100, k[10];

	if (!map)
		return;
	model_init(&m, 8, 8, 1 << 16);
	for (i = 0; i < 9; i++)			/* B = 1 */
		insert(map, &m, i);
	for (i = 1; i < 9; i++)			/* key 0 stays: no reseed */
		model_delete(map, &m, i);
	CHECK_EQ(test_info(map).B, 1);
	CHECK_EQ(test_info(map).noverflow, 0);
	/* Keys in bucket 0 until it needs an overflow bucket; delete them. */
	for (n = 0; n < 10 && test_info(map).noverflow < 1; n++)
		insert(map, &m, k[n] = key_for_bucket(map, &m, &next, 0, 1));
	CHECK_EQ(test_info(map).noverflow, 1);
	for (i = 0; i < n; i++)
		model_delete(map, &m, k[i]);
	/* The same in bucket 1: two overflow buckets for two buckets. */
	for (i = 0; i < 10 && test_info(map).noverflow < 2; i++)
		insert(map, &m, key_for_bucket(map, &m, &next, 1, 1));
	info = test_info(map);
	CHECK_EQ(info.noverflow, 2);
	CHECK_EQ(info.growth, HMAP_GROWTH_NONE);
	CHECK_EQ(info.counters[HMAP_STAT_SAMESIZE_GROWS], 0);
	/* The next new key starts a same-size grow. */
	insert(map, &m, key_for_bucket(map, &m, &next, 0, 1));
	info = test_info(map);
	CHECK_EQ(info.counters[HMAP_STAT_SAMESIZE_GROWS], 1);
	CHECK_EQ(info.counters[HMAP_STAT_GROWS], 1);
	CHECK_EQ(info.B, 1);
	run_worker();
	info = test_info(map);
	CHECK_EQ(info.growth, HMAP_GROWTH_NONE);
	CHECK_EQ(info.B, 1);
	CHECK(info.noverflow < 2, "noverflow %llu", info.noverflow);
	check_placement(map, &m, "same-size grow");
	model_check(map, &m, "same-size grow");
	test_destroy(map);
	model_free(&m);
}

/*
 * Churn: keys come and go in a few buckets at a time, which leaves long
 * sparse chains; same-size grows compact them and the map stays correct.
 */
static void samesize_grows_under_churn(void)
{
	struct hmap *map = test_create(8, 16, 0, HMAP_F_NO_SHRINK);
	struct model m;
	u64 i, next = 1000, round, k[12];
	u32 B;

	if (!map)
		return;
	model_init(&m, 8, 16, 1 << 20);
	for (i = 0; i < 150; i++)		/* B = 5, room for 58 more */
		insert(map, &m, i);
	run_worker();
	B = test_info(map).B;
	CHECK_EQ(B, 5);
	for (round = 0; round < 400; round++) {
		u64 bucket = (round * 11) % 32;
		struct hmap_info info;

		for (i = 0; i < 12; i++)
			insert(map, &m, k[i] = key_for_bucket(map, &m, &next, bucket, 31));
		for (i = 0; i < 12; i++)
			model_delete(map, &m, k[i]);
		info = test_info(map);
		CHECK_EQ(info.B, B, "a same-size grow keeps B");
		if (round % 50 == 0) {
			check_placement(map, &m, "churn");
			model_check(map, &m, "churn");
		}
		BAIL_IF_FAILED();
	}
	CHECK(counter(map, HMAP_STAT_SAMESIZE_GROWS) >= 5, "%llu same-size grows",
	      counter(map, HMAP_STAT_SAMESIZE_GROWS));
	CHECK_EQ(counter(map, HMAP_STAT_GROWS), 5);
	model_check(map, &m, "after churn");
	test_destroy(map);
	model_free(&m);
}

/* ---- shrink ---- */

static bool under_load(const struct hmap_info *info)
{
	return info->B > 0 && info->count * 8 <= (13ULL << info->B);
}

static void shrink_after_deletes(void)
{
	struct hmap *map = test_create(8, 8, 0, 0);
	struct hmap_info info;
	struct model m;
	u32 B = 10;
	u64 i;

	if (!map)
		return;
	model_init(&m, 8, 8, 5000);
	for (i = 0; i < 5000; i++)
		insert(map, &m, i);
	run_worker();
	CHECK_EQ(test_info(map).B, 10);
	for (i = 0; i < 5000; i++) {
		model_delete(map, &m, (i * 7919) % 5000);
		info = test_info(map);
		CHECK(info.B <= B, "B grew from %u to %u while deleting", B, info.B);
		B = info.B;
		/* A map at rest after a delete is never under loaded. */
		CHECK(info.growth != HMAP_GROWTH_NONE || !under_load(&info),
		      "after %llu deletes: %llu entries in 2^%u buckets, no shrink",
		      (unsigned long long)i + 1, info.count, info.B);
		if (info.growth == HMAP_GROWTH_SHRINK)
			CHECK_EQ(info.old_B, info.B + 1);
		if (i % 500 == 0 || (info.growth == HMAP_GROWTH_SHRINK && i % 97 == 0)) {
			check_placement(map, &m, "shrinking");
			model_check(map, &m, "shrinking");
		}
		BAIL_IF_FAILED();
	}
	CHECK(counter(map, HMAP_STAT_SHRINKS) >= 3, "%llu shrinks", counter(map, HMAP_STAT_SHRINKS));
	/* The worker finishes the shrink and halves an empty map to one bucket. */
	run_worker();
	info = test_info(map);
	CHECK_EQ(info.B, 0);
	CHECK_EQ(info.growth, HMAP_GROWTH_NONE);
	CHECK_EQ(info.counters[HMAP_STAT_SHRINKS], 10);
	model_check(map, &m, "empty");
	test_destroy(map);
	model_free(&m);
}

static void partial_delete_settles_at_load_factor(void)
{
	struct hmap *map = test_create(8, 8, 0, 0);
	struct hmap_info info;
	struct model m;
	u64 i;

	if (!map)
		return;
	model_init(&m, 8, 8, 5000);
	for (i = 0; i < 5000; i++)
		insert(map, &m, i);
	for (i = 0; i < 4900; i++)
		model_delete(map, &m, i);
	run_worker();
	info = test_info(map);
	/* 100 entries: shrinks stop at the first B that is not under loaded. */
	CHECK_EQ(info.growth, HMAP_GROWTH_NONE);
	CHECK(!under_load(&info), "B %u", info.B);
	CHECK(info.count * 2 <= (13ULL << info.B), "B %u", info.B);
	CHECK_EQ(info.B, 5);
	model_check(map, &m, "settled");
	test_destroy(map);
	model_free(&m);
}

static void no_shrink_flag_keeps_size(void)
{
	struct hmap *map = test_create(8, 8, 0, HMAP_F_NO_SHRINK);
	struct model m;
	u64 i;

	if (!map)
		return;
	model_init(&m, 8, 8, 3000);
	for (i = 0; i < 3000; i++)
		insert(map, &m, i);
	run_worker();
	for (i = 0; i < 3000; i++)
		model_delete(map, &m, i);
	run_worker();
	CHECK_EQ(test_info(map).B, 9);
	CHECK_EQ(counter(map, HMAP_STAT_SHRINKS), 0);
	model_check(map, &m, "no shrink");
	test_destroy(map);
	model_free(&m);
}

/* ---- iteration and scan ---- */

static void iteration_exactly_once_while_growing_and_shrinking(void)
{
	struct hmap *map = test_create(8, 16, 0, 0);
	struct model m;
	u64 i, checks = 0;

	if (!map)
		return;
	model_init(&m, 8, 16, 3000);
	for (i = 0; i < 3000; i++) {
		insert(map, &m, i);
		if (test_info(map).growth != HMAP_GROWTH_NONE && i % 3 == 0) {
			test_check_iter(map, &m, "growing");
			checks++;
		}
		BAIL_IF_FAILED();
	}
	CHECK(checks > 50, "only %llu walks while growing", (unsigned long long)checks);
	checks = 0;
	for (i = 0; i < 3000; i++) {
		model_delete(map, &m, i);
		if (test_info(map).growth == HMAP_GROWTH_SHRINK && i % 3 == 0) {
			test_check_iter(map, &m, "shrinking");
			test_check_scan(map, &m, "shrinking");
			checks++;
		}
		BAIL_IF_FAILED();
	}
	CHECK(checks > 50, "only %llu walks while shrinking", (unsigned long long)checks);
	test_destroy(map);
	model_free(&m);
}

static void iteration_starts_at_random_places(void)
{
	struct hmap *map = test_create(8, 8, 0, 0);
	struct model m;
	u64 first[32], i;
	unsigned int distinct = 0, j, k;
	u8 key[8];

	if (!map)
		return;
	model_init(&m, 8, 8, 100);
	for (i = 0; i < 100; i++)
		insert(map, &m, i);
	for (j = 0; j < 32; j++) {
		struct hmap_iter it;

		rcu_read_lock();
		hmap_iter_init(map, &it);
		CHECK_EQ(hmap_iter_next(&it, key, NULL), 0);
		rcu_read_unlock();
		first[j] = test_key_id(8, key);
		for (k = 0; k < j && first[k] != first[j]; k++)
			;
		distinct += k == j;
	}
	CHECK(distinct >= 4, "32 walks started at only %u keys", distinct);
	test_destroy(map);
	model_free(&m);
}

/*
 * A scan interrupted by writes that grow (or shrink) the map still returns
 * every key present for the whole walk, and never a key that was never in.
 */
static void scan_cursor_survives_resizes(void)
{
	for (int shrink = 0; shrink <= 1; shrink++) {
		struct hmap *map = test_create(8, 8, 0, 0);
		u64 stable = 100, i, next, cursor = 0, calls = 0;
		u32 room = 16, n, j;
		u8 *keys = malloc(room * 8), *vals = malloc(room * 8);
		u8 *seen;
		struct model m;
		u32 B0;
		int err;

		if (!map)
			return;
		model_init(&m, 8, 8, 20000);
		seen = calloc(m.nkeys, 1);
		next = shrink ? 10000 : stable;
		for (i = 0; i < next; i++)
			insert(map, &m, i);
		B0 = test_info(map).B;
		for (;;) {
			err = hmap_scan(map, &cursor, keys, vals, room, &n);
			if (err == -ENOSPC) {
				CHECK(n > room);
				room = n;
				keys = realloc(keys, room * 8);
				vals = realloc(vals, room * 8);
				continue;
			}
			CHECK_EQ(err, 0);
			for (j = 0; j < n; j++) {
				u64 id = test_key_id(8, keys + j * 8);

				CHECK(id < m.nkeys && (m.gen[id] || id < next),
				      "scan returned key %llu", (unsigned long long)id);
				if (id < m.nkeys)
					seen[id] = 1;
			}
			/* Writes between calls: grow, or shrink. */
			for (j = 0; j < 40; j++) {
				if (!shrink && next < m.nkeys)
					insert(map, &m, next++);
				else if (shrink && next > stable)
					model_delete(map, &m, --next);
			}
			calls++;
			BAIL_IF_FAILED();
			if (!cursor || calls >= 100000)
				break;
		}
		CHECK(!cursor, "scan did not finish");
		for (i = 0; i < stable; i++)
			CHECK(seen[i], "stable key %llu missed by the scan (%s)",
			      (unsigned long long)i, shrink ? "shrink" : "grow");
		if (shrink)
			CHECK(test_info(map).B < B0, "no shrink during the scan");
		else
			CHECK(test_info(map).B > B0, "no grow during the scan");
		test_destroy(map);
		model_free(&m);
		free(seen);
		free(keys);
		free(vals);
	}
}

static void scan_reports_room_needed(void)
{
	struct hmap *map = test_create(8, 8, 0, 0);
	struct model m;
	u64 cursor = 0;
	u8 keys[8 * 8], vals[8 * 8];
	u32 n = 0;
	u64 i;

	if (!map)
		return;
	model_init(&m, 8, 8, 8);
	for (i = 0; i < 8; i++)		/* B = 0: one group of 8 */
		insert(map, &m, i);
	CHECK_EQ(hmap_scan(map, &cursor, keys, vals, 3, &n), -ENOSPC);
	CHECK_EQ(n, 8);
	CHECK_EQ(cursor, 0);
	CHECK_EQ(hmap_scan(map, &cursor, keys, vals, 8, &n), 0);
	CHECK_EQ(n, 8);
	CHECK_EQ(cursor, 0);
	test_destroy(map);
	model_free(&m);
}

/* ---- readers with writes between their steps ---- */

/*
 * "Another thread" writes at the read hook, i.e. between any two steps of
 * a reader (each rcu_dereference() and each seqcount section edge): a
 * writer that fills keys RW_STABLE..RW_N-1 and empties them again, over
 * and over (grows, shrinks, background evacuation), while the test looks
 * up, walks and scans. Deterministic: every interleaving is reproducible.
 * A key no write touched during a read is judged against the model: a
 * lookup finds it with its value or not at all, a walk returns it exactly
 * once if present (never if absent), a scan at least once if present.
 */
#define RW_N		3000
#define RW_STABLE	300

static struct {
	struct hmap *map;
	struct model *m;
	u64 pos, rnd, clock;	/* clock: writes made */
	u64 stamp[RW_N];	/* clock of each key's last write */
	int phase;
	u32 rate;		/* one hook call in rate writes */
	bool busy;
} rw;

static u64 rw_rnd(void)
{
	rw.rnd ^= rw.rnd << 13;
	rw.rnd ^= rw.rnd >> 7;
	rw.rnd ^= rw.rnd << 17;
	return rw.rnd;
}

static void rw_write_step(void)
{
	u64 i = RW_STABLE + (rw.pos * 7919) % (RW_N - RW_STABLE);

	if (rw.phase == 0)
		model_update(rw.map, rw.m, i, 1 + (rw.clock & 0xff), HMAP_UPDATE_ANY);
	else
		model_delete(rw.map, rw.m, i);
	rw.stamp[i] = ++rw.clock;
	if (++rw.pos == RW_N - RW_STABLE) {
		rw.pos = 0;
		rw.phase ^= 1;
	}
}

static void rw_hook(void)
{
	u64 n;

	if (rw.busy || rw_rnd() % rw.rate)
		return;
	rw.busy = true;
	shim_other_thread_begin();
	for (n = rw_rnd() % 24; n; n--)
		rw_write_step();
	if (rw_rnd() % 32 == 0) {	/* the background worker's turn */
		shim_advance_jiffies(rw_rnd() % (2 * BG_IDLE));
		shim_run_work();
	}
	shim_other_thread_end();
	rw.busy = false;
}

static void rw_walk(void)
{
	static u8 seen[RW_N], present[RW_N], val[8], want[8];
	struct hmap_iter it;
	u64 c0 = rw.clock, i, id;
	u8 key[8];

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < RW_N; i++)
		present[i] = rw.m->gen[i] != 0;
	rcu_read_lock();
	hmap_iter_init(rw.map, &it);
	while (!hmap_iter_next(&it, key, val)) {
		id = test_key_id(8, key);
		if (id >= RW_N) {
			test_fail(__FILE__, __LINE__, "walk returned key %llu", (unsigned long long)id);
			break;
		}
		if (seen[id] < 255)
			seen[id]++;
		if (rw.stamp[id] <= c0) {
			test_value(8, id, rw.m->gen[id], want);
			CHECK(rw.m->gen[id] && !memcmp(val, want, 8),
			      "walk: key %llu, untouched, has a wrong value", (unsigned long long)id);
		}
	}
	rcu_read_unlock();
	for (i = 0; i < RW_N; i++)
		if (rw.stamp[i] <= c0 && seen[i] != present[i])
			test_fail(__FILE__, __LINE__, "walk returned key %llu %u times, %s throughout",
				  (unsigned long long)i, seen[i], present[i] ? "present" : "absent");
}

static void rw_scan(void)
{
	static u8 seen[RW_N], present[RW_N];
	u8 keys[64 * 8], vals[64 * 8], *k = keys, *v = vals;
	u32 room = 64, n, j;
	u64 c0 = rw.clock, cursor = 0, i, id, calls = 0;
	int err;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < RW_N; i++)
		present[i] = rw.m->gen[i] != 0;
	for (;;) {
		err = hmap_scan(rw.map, &cursor, k, v, room, &n);
		if (err == -ENOSPC) {
			if (k != keys) {
				free(k);
				free(v);
			}
			room = n;
			k = malloc(room * 8);
			v = malloc(room * 8);
			continue;
		}
		CHECK_EQ(err, 0);
		for (j = 0; j < n; j++) {
			id = test_key_id(8, k + j * 8);
			if (id < RW_N)
				seen[id] = 1;
			else
				test_fail(__FILE__, __LINE__, "scan returned key %llu", (unsigned long long)id);
		}
		if (rw_rnd() % 2)	/* and writes between the calls */
			rw_write_step();
		if (!cursor || ++calls > 100000)
			break;
	}
	if (k != keys) {
		free(k);
		free(v);
	}
	for (i = 0; i < RW_N; i++)
		if (rw.stamp[i] <= c0 && present[i] && !seen[i])
			test_fail(__FILE__, __LINE__, "scan missed key %llu, present throughout",
				  (unsigned long long)i);
}

static void rw_lookups(unsigned int n)
{
	u8 key[8], val[8], want[8];

	while (n--) {
		u64 i = rw_rnd() % RW_N, c0 = rw.clock;
		int err;

		test_key(8, i, key);
		err = hmap_lookup(rw.map, key, val);
		if (rw.stamp[i] > c0)
			continue;
		if (!rw.m->gen[i]) {
			CHECK_EQ(err, -ENOENT, "untouched absent key %llu", (unsigned long long)i);
			continue;
		}
		CHECK_EQ(err, 0, "untouched present key %llu", (unsigned long long)i);
		test_value(8, i, rw.m->gen[i], want);
		CHECK(err || !memcmp(val, want, 8), "key %llu: wrong value", (unsigned long long)i);
	}
}

static void readers_see_writes_made_between_their_steps(void)
{
	struct model m;
	u64 round, i;

	memset(&rw, 0, sizeof(rw));
	rw.map = test_create(8, 8, 0, 0);
	if (!rw.map)
		return;
	model_init(&m, 8, 8, RW_N);
	rw.m = &m;
	rw.rnd = 0x2545f4914f6cdd1dULL ^ (getenv("RW_SEED") ? strtoull(getenv("RW_SEED"), NULL, 0) * 0x9e3779b97f4a7c15ULL : 0);
	for (i = 0; i < RW_STABLE; i++)
		insert(rw.map, &m, i);
	for (round = 0; round < 240; round++) {
		/* A few writes apart, or many: how far a walk sees the map move. */
		rw.rate = round % 3 == 0 ? 4 : round % 3 == 1 ? 16 : 64;
		shim_set_read_hook(rw_hook);
		rw_walk();
		rw_lookups(200);
		if (round % 4 == 0)
			rw_scan();
		shim_set_read_hook(NULL);
		for (i = rw_rnd() % 500; i; i--)
			rw_write_step();
		BAIL_IF_FAILED();
	}
	CHECK(counter(rw.map, HMAP_STAT_SHRINKS) > 10 && counter(rw.map, HMAP_STAT_GROWS) > 10,
	      "%llu grows, %llu shrinks", counter(rw.map, HMAP_STAT_GROWS),
	      counter(rw.map, HMAP_STAT_SHRINKS));
	if (test_verbose)
		printf("    %llu writes, %llu grows, %llu shrinks, %llu reader retries, %llu by the worker\n",
		       (unsigned long long)rw.clock, counter(rw.map, HMAP_STAT_GROWS),
		       counter(rw.map, HMAP_STAT_SHRINKS), counter(rw.map, HMAP_STAT_READER_RETRIES),
		       counter(rw.map, HMAP_STAT_EVACUATED_BG));
	model_check(rw.map, &m, "after the interleavings");
	test_destroy(rw.map);
	model_free(&m);
}

/* ---- clear, reseed ---- */

static void clear_empties_and_reseeds(void)
{
	for (int growing = 0; growing <= 1; growing++) {
		struct hmap *map = test_create(8, 300, 0, 0);
		struct model m;
		siphash_key_t seed;
		u64 i, n = growing ? 417 : 400, live;

		if (!map)
			return;
		model_init(&m, 8, 300, 1000);
		for (i = 0; i < n; i++)
			insert(map, &m, i);
		if (!growing)
			run_worker();
		CHECK_EQ(test_info(map).growth, growing ? HMAP_GROWTH_DOUBLE : HMAP_GROWTH_NONE);
		seed = map->seed;
		live = shim_alloc_live();
		CHECK_EQ(hmap_clear(map), 0);
		memset(m.gen, 0, m.nkeys * sizeof(*m.gen));
		m.count = 0;
		CHECK(memcmp(&seed, &map->seed, sizeof(seed)), "seed unchanged");
		CHECK_EQ(test_info(map).B, 0);
		CHECK_EQ(test_info(map).growth, HMAP_GROWTH_NONE);
		CHECK_EQ(counter(map, HMAP_STAT_CLEARS), 1);
		CHECK_EQ(counter(map, HMAP_STAT_RESEEDS), 1);
		model_check(map, &m, "cleared");
		/* The old arrays and their values go after a grace period. */
		shim_quiesce();
		/* (up to 32 per CPU and kind may stay in the map's caches) */
		CHECK(live - shim_alloc_live() >= n - 32, "clear freed %ld objects",
		      (long)(live - shim_alloc_live()));
		for (i = 0; i < 50; i++)
			insert(map, &m, i + 500);
		model_check(map, &m, "after clear");
		test_destroy(map);
		model_free(&m);
	}
}

static void delete_of_last_key_reseeds(void)
{
	struct hmap *map = test_create(8, 8, 0, 0);
	struct model m;
	siphash_key_t seed;

	if (!map)
		return;
	model_init(&m, 8, 8, 4);
	insert(map, &m, 1);
	insert(map, &m, 2);
	seed = map->seed;
	model_delete(map, &m, 1);
	CHECK(!memcmp(&seed, &map->seed, sizeof(seed)), "reseeded with a key left");
	model_delete(map, &m, 2);
	CHECK(memcmp(&seed, &map->seed, sizeof(seed)), "not reseeded when emptied");
	CHECK_EQ(counter(map, HMAP_STAT_RESEEDS), 1);
	insert(map, &m, 3);
	model_check(map, &m, "after reseed");
	test_destroy(map);
	model_free(&m);
}

/* ---- allocation failures ---- */

static void create_fails_cleanly_without_memory(void)
{
	unsigned long live = shim_alloc_live(), nth;
	struct hmap_params p = { .key_size = 200, .value_size = 300 };
	struct hmap *map = NULL;

	for (nth = 1; nth < 100; nth++) {
		shim_alloc_fail_nth(nth);
		map = hmap_create(&p);
		shim_alloc_fail_off();
		if (!IS_ERR(map))
			break;
		CHECK(map == ERR_PTR(-ENOMEM), "allocation %lu: %ld", nth, PTR_ERR(map));
		shim_quiesce();
		CHECK_EQ(shim_alloc_live(), live, "allocation %lu failed", nth);
	}
	CHECK(nth > 2 && !IS_ERR(map), "create made %lu allocations", nth - 1);
	if (!IS_ERR(map))
		hmap_destroy(map);
}

/*
 * Each write fails at each of its allocations in turn: -ENOMEM, and the
 * map's contents are those of before (the model does not change).
 */
static void fail_each_allocation(struct hmap *map, struct model *m, int op, u64 k,
				 const char *when)
{
	unsigned long nth, fails = 0;
	int err;

	for (nth = 1; nth < 64; nth++) {
		shim_alloc_fail_nth(nth);
		if (op == 0)
			err = model_update(map, m, k, 7, HMAP_UPDATE_ANY);
		else if (op == 1)
			err = model_delete(map, m, k);
		else {
			err = hmap_clear(map);
			if (!err) {
				memset(m->gen, 0, m->nkeys * sizeof(*m->gen));
				m->count = 0;
			}
		}
		shim_alloc_fail_off();
		if (err != -ENOMEM)
			break;
		fails++;
		CHECK_EQ(hmap_count(map), m->count, "%s op %d", when, op);
		if (fails % 4 == 1)
			model_check(map, m, when);
		BAIL_IF_FAILED();
	}
	CHECK(nth < 64, "%s: op %d never succeeded", when, op);
	if (test_verbose > 1)
		printf("    %s op %d: %lu failures\n", when, op, fails);
	model_check(map, m, when);
}

static void writes_fail_cleanly_without_memory(void)
{
	static const struct { u32 ks, vs; } sz[] = { { 8, 8 }, { 129, 200 }, { 16, 0 } };

	for (unsigned int s = 0; s < 3; s++) {
		struct hmap *map = test_create(sz[s].ks, sz[s].vs, 0, 0);
		struct model m;
		u64 i, next = 0;

		if (!map)
			return;
		model_init(&m, sz[s].ks, sz[s].vs, 4000);
		m.allow_enomem = true;
		/* At rest, with overflow chains. */
		for (; next < 400; next++)
			insert(map, &m, next);
		run_worker();
		fail_each_allocation(map, &m, 0, next++, "insert at rest");
		fail_each_allocation(map, &m, 0, 3, "update at rest");
		fail_each_allocation(map, &m, 1, 4, "delete at rest");
		/* Growing: writes evacuate, and evacuation allocates. */
		while (test_info(map).growth == HMAP_GROWTH_NONE)
			insert(map, &m, next++);
		for (i = 0; i < 20 && test_info(map).growth != HMAP_GROWTH_NONE; i++) {
			fail_each_allocation(map, &m, 0, next++, "insert growing");
			fail_each_allocation(map, &m, 0, i * 5, "update growing");
			fail_each_allocation(map, &m, 1, i * 5 + 1, "delete growing");
		}
		/* The grow itself: the insert that starts it fails. */
		while (test_info(map).growth != HMAP_GROWTH_NONE)
			insert(map, &m, next++);
		while (!(m.count + 1 > 8 && (m.count + 1) * 2 > (13ULL << test_info(map).B)))
			insert(map, &m, next++);
		fail_each_allocation(map, &m, 0, next++, "insert starting a grow");
		/* Shrinking. */
		for (i = 0; i < next && test_info(map).growth != HMAP_GROWTH_SHRINK; i++)
			if (m.gen[i])
				model_delete(map, &m, i);
		for (; i < next && test_info(map).growth == HMAP_GROWTH_SHRINK; i += 2)
			if (m.gen[i])
				fail_each_allocation(map, &m, 1, i, "delete shrinking");
		fail_each_allocation(map, &m, 2, 0, "clear");
		test_destroy(map);
		model_free(&m);
		BAIL_IF_FAILED();
	}
}

/*
 * An evacuation that needs two overflow buckets and gets only the first:
 * the first goes back, the write fails, nothing changed.
 */
static void evacuation_fails_after_partial_reservation(void)
{
	struct hmap *map = test_create(8, 8, 0, HMAP_F_NO_SHRINK);
	struct model m;
	u64 i, next = 100;

	if (!map)
		return;
	model_init(&m, 8, 8, 1 << 16);
	m.allow_enomem = true;
	for (i = 0; i < 14; i++)		/* B = 2 */
		insert(map, &m, i);
	for (i = 1; i < 14; i++)		/* key 0 stays: no reseed */
		model_delete(map, &m, i);
	CHECK_EQ(test_info(map).B, 2);
	/* 20 keys of old bucket 0 that all stay at index 0 (X) in B = 3. */
	for (i = 0; i < 20; i++)
		insert(map, &m, key_for_bucket(map, &m, &next, 0, 7));
	while (m.count < 26)
		insert(map, &m, key_for_bucket(map, &m, &next, 1, 3));
	CHECK_EQ(test_info(map).growth, HMAP_GROWTH_NONE);
	BAIL_IF_FAILED();
	/*
	 * The 27th key, of old bucket 1, starts the grow; its write then
	 * evacuates old bucket 1 (no spare needed) and, as the bucket at
	 * nevacuate, old bucket 0: that needs two spares, and the first one
	 * failing is not the write's failure. Bucket 0 stays where it is.
	 */
	shim_alloc_fail_nth(3);
	CHECK_EQ(insert(map, &m, key_for_bucket(map, &m, &next, 1, 3)), 0);
	shim_alloc_fail_off();
	CHECK_EQ(test_info(map).growth, HMAP_GROWTH_DOUBLE);
	CHECK_EQ(test_info(map).nevacuate, 0);
	CHECK(!old_evacuated(map, 0));
	/* A write to old bucket 0: the first spare, then the second, fail. */
	fail_each_allocation(map, &m, 0, key_for_bucket(map, &m, &next, 0, 7),
			     "insert evacuating a long chain");
	CHECK(old_evacuated(map, 0));
	CHECK_EQ(test_info(map).B, 3);
	check_placement(map, &m, "long chain");
	test_destroy(map);
	model_free(&m);
}

static void random_failures_under_churn(void)
{
	struct hmap *map = test_create(8, 150, 0, 0);
	struct model m;
	unsigned long failures = shim_alloc_failures();
	u64 seed = 12345, op;

	if (!map)
		return;
	model_init(&m, 8, 150, 3000);
	m.allow_enomem = true;
	shim_alloc_fail_random(30000, 42);	/* 3% */
	for (op = 0; op < 30000; op++) {
		u64 r = seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		u64 k = (r >> 20) % m.nkeys;

		switch ((r >> 8) % 8) {
		case 0: case 1: case 2:
			model_update(map, &m, k, 1 + (r >> 50) % 100, HMAP_UPDATE_ANY);
			break;
		case 3:
			model_update(map, &m, k, 1 + (r >> 50) % 100, HMAP_UPDATE_NOEXIST);
			break;
		case 4:
			model_update(map, &m, k, 1 + (r >> 50) % 100, HMAP_UPDATE_EXIST);
			break;
		default:
			model_delete(map, &m, k);
			break;
		}
		if (op % 5000 == 4999) {
			shim_alloc_fail_off();
			run_worker();
			model_check(map, &m, "random failures");
			shim_alloc_fail_random(30000, op);
		}
		BAIL_IF_FAILED();
	}
	shim_alloc_fail_off();
	failures = shim_alloc_failures() - failures;
	CHECK(failures > 100, "only %lu injected failures", failures);
	model_check(map, &m, "random failures");
	test_destroy(map);
	model_free(&m);
}

/* ---- background evacuation ---- */

static void worker_finishes_grow_when_writes_stop(void)
{
	struct hmap *map = test_create(8, 8, 0, HMAP_F_NO_SHRINK);
	struct hmap_info info;
	struct model m;
	u64 i;

	if (!map)
		return;
	model_init(&m, 8, 8, 2000);
	for (i = 0; i < 1665; i++)		/* 6.5 * 256 + 1: B 8 -> 9 */
		insert(map, &m, i);
	info = test_info(map);
	CHECK_EQ(info.growth, HMAP_GROWTH_DOUBLE);
	CHECK_EQ(info.B, 9);
	/* Not idle long enough: nothing happens. */
	shim_advance_jiffies(BG_IDLE - 1);
	shim_run_work();
	CHECK_EQ(test_info(map).growth, HMAP_GROWTH_DOUBLE);
	/* A write restarts the idle time. */
	shim_advance_jiffies(1);
	insert(map, &m, 1665);
	shim_run_work();
	info = test_info(map);
	CHECK_EQ(info.growth, HMAP_GROWTH_DOUBLE);
	CHECK_EQ(info.counters[HMAP_STAT_EVACUATED_BG], 0);
	run_worker();
	info = test_info(map);
	CHECK_EQ(info.growth, HMAP_GROWTH_NONE);
	CHECK(info.counters[HMAP_STAT_EVACUATED_BG] > 200, "%llu",
	      info.counters[HMAP_STAT_EVACUATED_BG]);
	/* Grows 0 -> 8 evacuated 255 buckets, this one 256, each once. */
	CHECK_EQ(info.counters[HMAP_STAT_EVACUATED] + info.counters[HMAP_STAT_EVACUATED_BG], 511);
	CHECK_EQ(info.old_buckets, 0);
	check_placement(map, &m, "worker");
	model_check(map, &m, "worker");
	test_destroy(map);
	model_free(&m);
}

static void worker_waits_the_map_evac_delay(void)
{
	struct hmap_params p = { .key_size = 8, .value_size = 8, .evac_delay_ms = 400 };
	struct hmap *map = hmap_create(&p);
	struct model m;
	u64 i;

	CHECK(!IS_ERR(map));
	if (IS_ERR(map))
		return;
	model_init(&m, 8, 8, 500);
	for (i = 0; i < 417; i++)		/* B 6 -> 7 */
		insert(map, &m, i);
	CHECK_EQ(test_info(map).growth, HMAP_GROWTH_DOUBLE);
	shim_advance_jiffies(399);
	shim_run_work();
	CHECK_EQ(test_info(map).growth, HMAP_GROWTH_DOUBLE);
	shim_advance_jiffies(1);
	shim_run_work();
	CHECK_EQ(test_info(map).growth, HMAP_GROWTH_NONE);
	model_check(map, &m, "evac delay");
	hmap_destroy(map);
	model_free(&m);
}

/* A delete that should start a shrink but has no memory leaves it to the worker. */
static void failed_shrink_start_is_left_to_worker(void)
{
	struct hmap *map = test_create(8, 8, 0, 0);
	struct hmap_info info;
	struct model m;
	u64 i;

	if (!map)
		return;
	model_init(&m, 8, 8, 1000);
	for (i = 0; i < 832; i++)		/* 6.5 * 128: B = 7, full */
		insert(map, &m, i);
	run_worker();
	CHECK_EQ(test_info(map).B, 7);
	/* Under load at 13 * 128 / 8 = 208 entries. */
	for (i = 0; m.count > 209; i++)
		model_delete(map, &m, i);
	CHECK_EQ(test_info(map).growth, HMAP_GROWTH_NONE);
	shim_alloc_fail_all(true);
	CHECK_EQ(model_delete(map, &m, i++), 0);
	shim_alloc_fail_off();
	info = test_info(map);
	CHECK_EQ(info.growth, HMAP_GROWTH_NONE);
	CHECK_EQ(info.B, 7);
	CHECK_EQ(info.counters[HMAP_STAT_SHRINKS], 0);
	/* No more writes: the worker starts the shrink (and finishes it). */
	run_worker();
	info = test_info(map);
	CHECK(info.counters[HMAP_STAT_SHRINKS] >= 1, "no shrink");
	CHECK(info.B < 7, "B %u", info.B);
	model_check(map, &m, "shrink by the worker");
	test_destroy(map);
	model_free(&m);
}

/* ---- per-CPU caches ---- */

static void caches_reuse_after_grace_period(void)
{
	struct hmap *map = test_create(8, 200, 0, HMAP_F_NO_SHRINK);
	struct hmap_info info;
	struct model m;
	u64 i, hits;

	if (!map)
		return;
	shim_set_cpu(0);
	model_init(&m, 8, 200, 100);
	for (i = 0; i < 40; i++)
		insert(map, &m, i);
	for (i = 0; i < 40; i++)
		model_delete(map, &m, i);
	info = test_info(map);
	CHECK(info.cache_objects >= 32, "%llu cached", info.cache_objects);
	/* Not reused before a grace period. */
	hits = info.counters[HMAP_STAT_CACHE_HITS];
	insert(map, &m, 50);
	CHECK_EQ(counter(map, HMAP_STAT_CACHE_HITS), hits);
	shim_rcu_process();
	insert(map, &m, 51);
	CHECK(counter(map, HMAP_STAT_CACHE_HITS) > hits);
	model_check(map, &m, "cache reuse");
	/* The shrinker drains them. */
	CHECK(shim_shrink_all(1000) > 0);
	info = test_info(map);
	CHECK_EQ(info.cache_objects, 0);
	CHECK(info.counters[HMAP_STAT_CACHE_DRAINS] > 0);
	model_check(map, &m, "after shrinker");
	test_destroy(map);
	model_free(&m);
}

static void works_without_caches(void)
{
	unsigned int *cap = shim_param_cache_objs(), old = *cap;
	struct hmap *map;
	struct model m;
	u64 i;

	*cap = 0;
	map = test_create(8, 200, 0, 0);
	*cap = old;
	if (!map)
		return;
	model_init(&m, 8, 200, 1000);
	for (i = 0; i < 1000; i++)
		insert(map, &m, i);
	for (i = 0; i < 1000; i += 2)
		model_delete(map, &m, i);
	CHECK_EQ(test_info(map).cache_objects, 0);
	CHECK_EQ(counter(map, HMAP_STAT_CACHE_HITS), 0);
	model_check(map, &m, "no cache");
	test_destroy(map);
	model_free(&m);
}

/* ---- introspection ---- */

static void snapshot_and_histogram_agree(void)
{
	struct hmap *map = test_create(8, 8, 0, 0);
	struct hmap_histogram h;
	struct hmap_bucket_snap s;
	struct hmap_info info;
	struct model m;
	u64 i, live = 0, chains = 0, buckets = 0, occ = 0;

	if (!map)
		return;
	model_init(&m, 8, 8, 1000);
	for (i = 0; i < 1000; i++)
		insert(map, &m, i);
	run_worker();
	info = test_info(map);
	CHECK_EQ(info.growth, HMAP_GROWTH_NONE);
	CHECK_EQ(hmap_get_histogram(map, true, &h), -ENOENT);
	CHECK_EQ(hmap_snapshot_bucket(map, true, 0, &s), -ENOENT);
	CHECK_EQ(hmap_snapshot_bucket(map, false, 1ULL << info.B, &s), -ERANGE);
	CHECK_EQ(hmap_get_histogram(map, false, &h), 0);
	CHECK_EQ(h.buckets, 1ULL << info.B);
	for (i = 0; i < HMAP_HIST_CHAIN; i++) {
		chains += h.chain[i];
		buckets += h.chain[i] * (i + 1);
	}
	for (i = 0; i < HMAP_HIST_SLOTS; i++)
		occ += h.occupancy[i] * i;
	CHECK_EQ(chains, 1ULL << info.B);
	CHECK_EQ(buckets, (1ULL << info.B) + info.noverflow);
	CHECK_EQ(occ, info.count);
	for (i = 0; i < (1ULL << info.B); i++) {
		CHECK_EQ(hmap_snapshot_bucket(map, false, i, &s), 0);
		CHECK_EQ(s.nslots, s.chain_len * HMAP_BUCKET_SLOTS);
		for (u32 j = 0; j < s.nslots; j++)
			live += s.tophash[j] >= HMAP_MIN_TOPHASH;
	}
	CHECK_EQ(live, info.count);
	CHECK_EQ(info.bucket_size, sizeof(struct hmap_bucket) + 8 * 16);
	test_destroy(map);
	model_free(&m);
}

static void counters_count_operations(void)
{
	struct hmap *map = test_create(8, 8, 0, 0);
	struct hmap_info info;
	struct model m;
	u8 key[8], val[8];
	u64 i;

	if (!map)
		return;
	model_init(&m, 8, 8, 100);
	for (i = 0; i < 50; i++)
		insert(map, &m, i);
	for (i = 0; i < 20; i++)
		model_update(map, &m, i, 2, HMAP_UPDATE_ANY);
	for (i = 0; i < 10; i++)
		model_delete(map, &m, i);
	for (i = 0; i < 100; i++) {
		test_key(8, i, key);
		hmap_lookup(map, key, val);
	}
	info = test_info(map);
	CHECK_EQ(info.count, 40);
	CHECK_EQ(info.counters[HMAP_STAT_INSERTS], 50);
	CHECK_EQ(info.counters[HMAP_STAT_UPDATES], 20);
	CHECK_EQ(info.counters[HMAP_STAT_DELETES], 10);
	CHECK_EQ(info.counters[HMAP_STAT_HITS], 40);
	CHECK_EQ(info.counters[HMAP_STAT_MISSES], 60);
	CHECK_EQ(info.counters[HMAP_STAT_READER_RETRIES], 0);
	CHECK(info.memory > 0);
	test_destroy(map);
	model_free(&m);
}

static void destroy_while_growing_frees_everything(void)
{
	struct hmap *map = test_create(200, 300, 0, 0);
	struct model m;
	u64 i;

	if (!map)
		return;
	model_init(&m, 200, 300, 500);
	for (i = 0; i < 417; i++)
		insert(map, &m, i);
	for (i = 0; i < 100; i += 3)
		model_delete(map, &m, i);
	CHECK(test_info(map).growth != HMAP_GROWTH_NONE);
	test_destroy(map);
	model_free(&m);
	/* main() checks that nothing leaked after the grace period. */
}

static const struct test_case core_cases[] = {
	{ "ops_on_all_sizes", ops_on_all_sizes },
	{ "lookup_with_null_value_tests_presence", lookup_with_null_value_tests_presence },
	{ "keys_differing_in_one_byte_are_distinct", keys_differing_in_one_byte_are_distinct },
	{ "set_map_with_value_size_zero", set_map_with_value_size_zero },
	{ "update_flags_follow_bpf", update_flags_follow_bpf },
	{ "full_map_refuses_new_keys_with_e2big", full_map_refuses_new_keys_with_e2big },
	{ "create_rejects_bad_params", create_rejects_bad_params },
	{ "grow_points_follow_load_factor", grow_points_follow_load_factor },
	{ "grow_publishes_array_and_moves_nothing", grow_publishes_array_and_moves_nothing },
	{ "writes_evacuate_at_most_two_buckets", writes_evacuate_at_most_two_buckets },
	{ "samesize_grow_compacts_churned_chains", samesize_grow_compacts_churned_chains },
	{ "samesize_grows_under_churn", samesize_grows_under_churn },
	{ "shrink_after_deletes", shrink_after_deletes },
	{ "partial_delete_settles_at_load_factor", partial_delete_settles_at_load_factor },
	{ "no_shrink_flag_keeps_size", no_shrink_flag_keeps_size },
	{ "iteration_exactly_once_while_growing_and_shrinking",
	  iteration_exactly_once_while_growing_and_shrinking },
	{ "iteration_starts_at_random_places", iteration_starts_at_random_places },
	{ "scan_cursor_survives_resizes", scan_cursor_survives_resizes },
	{ "scan_reports_room_needed", scan_reports_room_needed },
	{ "readers_see_writes_made_between_their_steps",
	  readers_see_writes_made_between_their_steps },
	{ "clear_empties_and_reseeds", clear_empties_and_reseeds },
	{ "delete_of_last_key_reseeds", delete_of_last_key_reseeds },
	{ "create_fails_cleanly_without_memory", create_fails_cleanly_without_memory },
	{ "writes_fail_cleanly_without_memory", writes_fail_cleanly_without_memory },
	{ "evacuation_fails_after_partial_reservation",
	  evacuation_fails_after_partial_reservation },
	{ "random_failures_under_churn", random_failures_under_churn },
	{ "worker_finishes_grow_when_writes_stop", worker_finishes_grow_when_writes_stop },
	{ "worker_waits_the_map_evac_delay", worker_waits_the_map_evac_delay },
	{ "failed_shrink_start_is_left_to_worker", failed_shrink_start_is_left_to_worker },
	{ "caches_reuse_after_grace_period", caches_reuse_after_grace_period },
	{ "works_without_caches", works_without_caches },
	{ "snapshot_and_histogram_agree", snapshot_and_histogram_agree },
	{ "counters_count_operations", counters_count_operations },
	{ "destroy_while_growing_frees_everything", destroy_while_growing_frees_everything },
	{ NULL, NULL },
};

const struct test_group core_group = { "core", core_cases, false };
