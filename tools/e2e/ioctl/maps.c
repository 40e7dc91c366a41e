// SPDX-License-Identifier: GPL-2.0
/* Conformance: create, list, destroy, and the names a map may have. */
#include <errno.h>
#include <string.h>

#include "ioctl_test.h"

TEST(create_gives_an_empty_map_of_its_sizes)
{
	struct hmap_ioc_stats st;
	int rc;

	map_destroy("e2e_a");
	rc = map_create("e2e_a", 8, 8, 0);
	EXPECT_TRUE(rc == 0 && map_exists("e2e_a"), "create e2e_a (key 8, value 8, max 0) -> 0 (%s)",
		    ename(rc));
	rc = map_stats("e2e_a", &st);
	/* max 0: the load of 2^23 152-byte buckets, the most INT_MAX bytes hold */
	EXPECT_TRUE(rc == 0 && st.key_size == 8 && st.value_size == 8 && st.count == 0 &&
		    st.max_entries == 13U << 22 && st.flags == 0,
		    "stats of a new map: key 8, value 8, count 0, max_entries %u (0 means 6.5 * 2^23)",
		    st.max_entries);
	map_destroy("e2e_a");
}

TEST(create_of_a_taken_name_is_eexist)
{
	struct hmap_ioc_stats st;
	long long before;
	int rc;

	ASSERT_EQ(fresh_map("e2e_a", 8, 8, 0), 0, "create e2e_a");
	before = map_list(NULL, 0);
	rc = map_create("e2e_a", 4, 4, 0);
	EXPECT_TRUE(rc == -EEXIST && map_list(NULL, 0) == before &&
		    map_stats("e2e_a", &st) == 0 && st.key_size == 8,
		    "create e2e_a again -> EEXIST, the first one kept (%s)", ename(rc));
	map_destroy("e2e_a");
}

/* Three maps a, c, b, created in this order. */
static void make_acb(struct harness *_h)
{
	ASSERT_TRUE(!fresh_map("e2e_a", 8, 8, 0) && !fresh_map("e2e_c", 4, 0, 10) &&
		    !fresh_map("e2e_b", 16, 32, 0), "create e2e_a, e2e_c, e2e_b");
}

static void destroy_acb(void)
{
	map_destroy("e2e_a");
	map_destroy("e2e_b");
	map_destroy("e2e_c");
}

TEST(stats_ids_differ)
{
	struct hmap_ioc_stats sa, sb;

	make_acb(_h);
	map_stats("e2e_a", &sa);
	map_stats("e2e_b", &sb);
	EXPECT_TRUE(sa.id != sb.id, "stats: two maps have different ids (%u, %u)", sa.id, sb.id);
	destroy_acb();
}

TEST(list_in_creation_order)
{
	int pa, pb, pc;

	make_acb(_h);
	pa = list_pos("e2e_a");
	pc = list_pos("e2e_c");
	pb = list_pos("e2e_b");
	EXPECT_TRUE(pa >= 0 && pa < pc && pc < pb, "list: in creation order (a %d, c %d, b %d)",
		    pa, pc, pb);
	destroy_acb();
}

TEST(list_room_and_count)
{
	static struct hmap_list_entry e[8];
	long long n;

	make_acb(_h);
	n = map_list(NULL, 0);
	EXPECT_TRUE(n >= 4, "list with count 0 and entries NULL -> number of maps (%lld)", n);
	memset(e, 0xa5, sizeof(e));
	n = map_list(e, 1);
	EXPECT_TRUE(n >= 4 && e[0].name[0] != (char)0xa5 && e[1].name[0] == (char)0xa5,
		    "list with room for 1: count %lld, only entry 0 written", n);
	n = map_list(e, 0xffffffff);
	EXPECT_TRUE(n >= 4, "list: count 0xffffffff (huge room) -> capped, count %lld", n);
	destroy_acb();
}

TEST(list_entries_describe_the_maps)
{
	static struct hmap_list_entry e[8];
	uint8_t key[8], val[8];
	int pa, pc;

	make_acb(_h);
	map_list(e, ARRAY_SIZE(e));
	pc = list_pos("e2e_c");
	EXPECT_TRUE(pc >= 0 && e[pc].key_size == 4 && e[pc].value_size == 0 &&
		    e[pc].max_entries == 10 && e[pc].count == 0 && e[pc].flags == 0,
		    "list: e2e_c has key_size 4, value_size 0, max_entries 10, count 0");
	mkkey(key, 8, 1);
	mkval(val, 8, 1, 0);
	update("e2e_a", key, 8, val, 8, 0);
	map_list(e, ARRAY_SIZE(e));
	pa = list_pos("e2e_a");
	EXPECT_TRUE(pa >= 0 && e[pa].count == 1, "list: e2e_a count 1 after an insert");
	destroy_acb();
}

/* e2e_a, key 8, value 8, with id 1 in it. */
static void make_a(struct harness *_h, uint8_t key[8], uint8_t val[8])
{
	ASSERT_EQ(fresh_map("e2e_a", 8, 8, 0), 0, "create e2e_a");
	mkkey(key, 8, 1);
	mkval(val, 8, 1, 0);
	update("e2e_a", key, 8, val, 8, 0);
}

TEST(destroy_removes_the_map)
{
	uint8_t key[8], val[8];
	int rc;

	make_a(_h, key, val);
	rc = map_destroy("e2e_a");
	EXPECT_TRUE(rc == 0 && !map_exists("e2e_a") && list_pos("e2e_a") < 0,
		    "destroy e2e_a -> 0, gone from list and stats (%s)", ename(rc));
	rc = lookup("e2e_a", key, 8, val, 8);
	EXPECT_TRUE(rc == -ENOENT, "lookup in a destroyed map -> ENOENT (%s)", ename(rc));
	rc = map_destroy("e2e_a");
	EXPECT_TRUE(rc == -ENOENT, "destroy e2e_a again -> ENOENT (%s)", ename(rc));
}

TEST(destroy_frees_the_name)
{
	struct hmap_ioc_stats st;
	uint8_t key[8], val[8];
	int rc;

	make_a(_h, key, val);
	ASSERT_EQ(map_destroy("e2e_a"), 0, "destroy e2e_a");
	rc = map_create("e2e_a", 4, 4, 0);
	EXPECT_TRUE(rc == 0 && map_count("e2e_a") == 0 && map_stats("e2e_a", &st) == 0 &&
		    st.key_size == 4, "the name is free again: create e2e_a (key 4) -> 0, empty");
	map_destroy("e2e_a");
}

TEST(names_at_the_limits_are_accepted)
{
	const char *n31 = "abcdefghijklmnopqrstuvwxyz01234";	/* 31 */
	const char *good[] = { n31, "a.b-c_D9", "-x", "_", "maps2", "Maps", "x.", "0" };

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		int rc;

		map_destroy(good[i]);
		rc = map_create(good[i], 4, 4, 0);
		EXPECT_TRUE(rc == 0 && list_pos(good[i]) >= 0 && map_destroy(good[i]) == 0,
			    "create, list, destroy name \"%s\" -> 0 (%s)", good[i], ename(rc));
	}
}
