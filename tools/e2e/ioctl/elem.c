// SPDX-License-Identifier: GPL-2.0
/* Conformance: lookup, update (ANY, NOEXIST, EXIST), delete, clear; sets; big entries. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ioctl_test.h"

#define M	"e2e_elem"

FIXTURE(elem) {
	uint8_t key[8], val[16], got[16];
};

/* An empty map of key 8, value 16; key is id 7's, val its generation 0. */
FIXTURE_SETUP(elem)
{
	ASSERT_EQ(fresh_map(M, 8, 16, 0), 0, "create " M);
	mkkey(self->key, 8, 7);
	mkval(self->val, 16, 7, 0);
}

FIXTURE_TEARDOWN(elem)
{
	(void)self;
	map_destroy(M);
}

TEST_F(elem, lookup_of_a_missing_key_is_enoent)
{
	int rc;

	memset(self->got, 0x5a, sizeof(self->got));
	rc = lookup(M, self->key, 8, self->got, 16);
	EXPECT_TRUE(rc == -ENOENT && self->got[0] == 0x5a && self->got[15] == 0x5a,
		    "lookup of a missing key -> ENOENT, value buffer untouched (%s)", ename(rc));
}

TEST_F(elem, update_exist_of_a_missing_key_is_enoent)
{
	int rc = update(M, self->key, 8, self->val, 16, HMAP_UPDATE_EXIST);

	EXPECT_TRUE(rc == -ENOENT && map_count(M) == 0,
		    "update EXIST of a missing key -> ENOENT, nothing inserted (%s)", ename(rc));
}

TEST_F(elem, update_noexist_inserts)
{
	int rc = update(M, self->key, 8, self->val, 16, HMAP_UPDATE_NOEXIST);

	EXPECT_TRUE(rc == 0 && map_count(M) == 1, "update NOEXIST of a new key -> 0, count 1 (%s)",
		    ename(rc));
	rc = lookup(M, self->key, 8, self->got, 16);
	EXPECT_TRUE(rc == 0 && val_ok(self->got, 16, 7, 0), "lookup returns the value stored (%s)",
		    ename(rc));
}

/* Inserts id 7, then updates it to generation 1 with @flags; got: what is stored. */
static int insert_and_update(struct harness *_h, struct harness_fixture_elem *self,
			     uint32_t flags)
{
	int rc;

	ASSERT_EQ(update(M, self->key, 8, self->val, 16, 0), 0, "insert");
	mkval(self->val, 16, 7, 1);
	rc = update(M, self->key, 8, self->val, 16, flags);
	lookup(M, self->key, 8, self->got, 16);
	return rc;
}

TEST_F(elem, update_noexist_of_a_present_key_is_eexist)
{
	int rc = insert_and_update(_h, self, HMAP_UPDATE_NOEXIST);

	EXPECT_TRUE(rc == -EEXIST && val_ok(self->got, 16, 7, 0) && map_count(M) == 1,
		    "update NOEXIST of a present key -> EEXIST, value kept (%s)", ename(rc));
}

TEST_F(elem, update_exist_and_any_replace)
{
	int rc = insert_and_update(_h, self, HMAP_UPDATE_EXIST);

	EXPECT_TRUE(rc == 0 && val_ok(self->got, 16, 7, 1) && map_count(M) == 1,
		    "update EXIST of a present key -> 0, value replaced (%s)", ename(rc));
	mkval(self->val, 16, 7, 2);
	rc = update(M, self->key, 8, self->val, 16, HMAP_UPDATE_ANY);
	lookup(M, self->key, 8, self->got, 16);
	EXPECT_TRUE(rc == 0 && val_ok(self->got, 16, 7, 2) && map_count(M) == 1,
		    "update ANY of a present key -> 0, value replaced (%s)", ename(rc));
	mkkey(self->key, 8, 8);
	mkval(self->val, 16, 8, 0);
	rc = update(M, self->key, 8, self->val, 16, HMAP_UPDATE_ANY);
	EXPECT_TRUE(rc == 0 && map_count(M) == 2, "update ANY of a new key -> 0, count 2 (%s)",
		    ename(rc));
}

TEST_F(elem, delete_removes_once)
{
	int rc;

	ASSERT_EQ(update(M, self->key, 8, self->val, 16, 0), 0, "insert id 7");
	mkkey(self->key, 8, 8);
	mkval(self->val, 16, 8, 0);
	ASSERT_EQ(update(M, self->key, 8, self->val, 16, 0), 0, "insert id 8");
	rc = delete(M, self->key, 8);
	EXPECT_TRUE(rc == 0 && map_count(M) == 1 && lookup(M, self->key, 8, self->got, 16) == -ENOENT,
		    "delete -> 0, key gone, count 1 (%s)", ename(rc));
	rc = delete(M, self->key, 8);
	EXPECT_TRUE(rc == -ENOENT && map_count(M) == 1, "delete of a missing key -> ENOENT (%s)",
		    ename(rc));
}

TEST_F(elem, clear_empties_the_map)
{
	int rc;

	ASSERT_EQ(update(M, self->key, 8, self->val, 16, 0), 0, "insert id 7");
	rc = fill(M, 8, 16, 100, 1100, 0);
	EXPECT_TRUE(rc == 0 && map_count(M) == 1001, "1000 inserts -> count 1001 (%s)", ename(rc));
	rc = map_clear(M);
	mkkey(self->key, 8, 500);
	EXPECT_TRUE(rc == 0 && map_count(M) == 0 && lookup(M, self->key, 8, self->got, 16) == -ENOENT,
		    "clear -> 0, count 0, entries gone (%s)", ename(rc));
	rc = map_clear(M);
	EXPECT_TRUE(rc == 0 && map_count(M) == 0, "clear of an empty map -> 0 (%s)", ename(rc));
	rc = fill(M, 8, 16, 0, 50, 3);
	rc = rc ? rc : lookup(M, self->key, 8, self->got, 16) == -ENOENT ? 0 : -1;
	mkkey(self->key, 8, 49);
	EXPECT_TRUE(rc == 0 && map_count(M) == 50 && lookup(M, self->key, 8, self->got, 16) == 0 &&
		    val_ok(self->got, 16, 49, 3), "inserts after clear work (count 50)");
}

/* Counters: exact on a fresh map, the run-time ones while they are on. */
TEST_F(elem, stats_counters_are_exact)
{
	struct hmap_ioc_stats st;
	int rc, sfd;

	sfd = stats_enable();
	ASSERT_TRUE(sfd >= 0, "HMAP_IOC_ENABLE_STATS -> an fd (%s)", ename(sfd < 0 ? sfd : 0));
	fill(M, 8, 16, 0, 10, 0);		/* 10 inserts */
	fill(M, 8, 16, 0, 3, 1);		/* 3 updates */
	for (int i = 0; i < 7; i++) {		/* 5 hits, 2 misses */
		mkkey(self->key, 8, i < 5 ? i : 1000 + i);
		lookup(M, self->key, 8, self->got, 16);
	}
	for (int i = 0; i < 4; i++) {		/* 4 deletes */
		mkkey(self->key, 8, i);
		delete(M, self->key, 8);
	}
	rc = map_stats(M, &st);
	close(sfd);
	EXPECT_TRUE(rc == 0 && st.counters_off == 0, "stats: counters_off 0 while enabled (%#llx)",
		    (unsigned long long)st.counters_off);
	EXPECT_TRUE(rc == 0 && st.nr_counters >= HMAP_STAT_NR_V0 &&
		    st.nr_counters <= HMAP_STATS_MAX_COUNTERS,
		    "stats: nr_counters %u in [%d, %d]", st.nr_counters, HMAP_STAT_NR_V0,
		    HMAP_STATS_MAX_COUNTERS);
	EXPECT_TRUE(st.count == 6 && st.counters[HMAP_STAT_INSERTS] == 10 &&
		    st.counters[HMAP_STAT_UPDATES] == 3 && st.counters[HMAP_STAT_HITS] == 5 &&
		    st.counters[HMAP_STAT_MISSES] == 2 && st.counters[HMAP_STAT_DELETES] == 4,
		    "stats counters: count %llu, inserts %llu, updates %llu, hits %llu, misses %llu, deletes %llu (6 10 3 5 2 4)",
		    (unsigned long long)st.count,
		    (unsigned long long)st.counters[HMAP_STAT_INSERTS],
		    (unsigned long long)st.counters[HMAP_STAT_UPDATES],
		    (unsigned long long)st.counters[HMAP_STAT_HITS],
		    (unsigned long long)st.counters[HMAP_STAT_MISSES],
		    (unsigned long long)st.counters[HMAP_STAT_DELETES]);
	map_clear(M);
	map_stats(M, &st);
	EXPECT_TRUE(st.count == 0 && st.counters[HMAP_STAT_CLEARS] == 1,
		    "stats: clears 1 after a clear");
	EXPECT_TRUE(st.buckets == 1ULL << st.B && st.bucket_size > 0 && st.memory > 0 &&
		    st.key_size == 8 && st.value_size == 16,
		    "stats: buckets %llu = 2^B (B %u), bucket_size %u, memory %llu",
		    (unsigned long long)st.buckets, st.B, st.bucket_size,
		    (unsigned long long)st.memory);
}

/* A set: value_size 0, NULL values. */
TEST(set_takes_null_values)
{
	uint8_t ks0[4];
	int rc;

	ASSERT_EQ(fresh_map("e2e_set", 4, 0, 0), 0, "create e2e_set");
	memcpy(ks0, "abcd", 4);
	rc = update("e2e_set", ks0, 4, NULL, 0, 0);
	EXPECT_TRUE(rc == 0 && map_count("e2e_set") == 1,
		    "set (value_size 0): update with value NULL -> 0 (%s)", ename(rc));
	rc = lookup("e2e_set", ks0, 4, NULL, 0);
	EXPECT_TRUE(rc == 0, "set: lookup with value NULL -> 0 (%s)", ename(rc));
	rc = update("e2e_set", ks0, 4, NULL, 0, HMAP_UPDATE_NOEXIST);
	EXPECT_TRUE(rc == -EEXIST, "set: update NOEXIST of a member -> EEXIST (%s)", ename(rc));
	rc = delete("e2e_set", ks0, 4);
	EXPECT_TRUE(rc == 0 && map_count("e2e_set") == 0, "set: delete -> 0 (%s)", ename(rc));
	map_destroy("e2e_set");
}

/* Keys and values stored out of line (over 128 bytes). */
TEST(out_of_line_entries)
{
	static uint8_t key[200], got[300];
	const char *m = "e2e_big";
	uint64_t id;
	bool ok;
	int rc;

	rc = fresh_map(m, 200, 300, 0);
	ok = rc == 0 && fill(m, 200, 300, 0, 500, 0) == 0 && map_count(m) == 500;
	for (id = 0; id < 500 && ok; id++) {
		mkkey(key, 200, id);
		ok = lookup(m, key, 200, got, 300) == 0 && val_ok(got, 300, id, 0);
	}
	EXPECT_TRUE(ok, "key 200, value 300 (out of line): 500 inserts, every lookup right");
	for (id = 0; id < 500; id += 2) {
		mkkey(key, 200, id);
		delete(m, key, 200);
	}
	mkkey(key, 200, 3);
	EXPECT_TRUE(map_count(m) == 250 && lookup(m, key, 200, got, 300) == 0 &&
		    (mkkey(key, 200, 4), lookup(m, key, 200, got, 300)) == -ENOENT,
		    "out-of-line entries: delete half -> count 250, the rest found");
	map_destroy(m);
}

TEST(largest_entries)
{
	static uint8_t key[HMAP_MAX_KEY_SIZE];
	static uint8_t got[HMAP_MAX_VALUE_SIZE];
	const char *m = "e2e_big";
	bool ok;
	int rc;

	rc = fresh_map(m, HMAP_MAX_KEY_SIZE, HMAP_MAX_VALUE_SIZE, 0);
	EXPECT_TRUE(rc == 0, "create key_size %d, value_size %d (the limits) -> 0 (%s)",
		    HMAP_MAX_KEY_SIZE, HMAP_MAX_VALUE_SIZE, ename(rc));
	ok = fill(m, HMAP_MAX_KEY_SIZE, HMAP_MAX_VALUE_SIZE, 0, 20, 5) == 0;
	mkkey(key, HMAP_MAX_KEY_SIZE, 13);
	memset(got, 0, sizeof(got));
	ok = ok && lookup(m, key, HMAP_MAX_KEY_SIZE, got, HMAP_MAX_VALUE_SIZE) == 0 &&
	     val_ok(got, HMAP_MAX_VALUE_SIZE, 13, 5);
	EXPECT_TRUE(ok && map_count(m) == 20, "largest entries: 20 inserts, lookup right");
	map_destroy(m);
}
