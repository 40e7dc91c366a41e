// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: bad map, list, dump, stats and snapshot requests; unknown
 * requests; a full map.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "ioctl_test.h"

static uint8_t keys[1024 * FIX_KS], vals[1024 * FIX_VS];

TEST(map_requests_on_an_unknown_map_are_enoent)
{
	struct hmap_ioc_stats st;
	struct hmap_ioc_snapshot sn;
	uint64_t cursor;
	uint32_t count;

	EXPECT_REJECTED(map_destroy("e2e_nosuchmap"), ENOENT, "destroy of an unknown map");
	EXPECT_REJECTED(map_clear("e2e_nosuchmap"), ENOENT, "clear of an unknown map");
	EXPECT_REJECTED(map_stats("e2e_nosuchmap", &st), ENOENT, "stats of an unknown map");
	EXPECT_REJECTED(map_snapshot("e2e_nosuchmap", &sn), ENOENT, "snapshot of an unknown map");
	cursor = 0;
	count = 16;
	EXPECT_REJECTED(dump_call("e2e_nosuchmap", &cursor, keys, vals, FIX_KS, FIX_VS, &count),
		   ENOENT, "dump of an unknown map");
}

TEST(reserved_fields_must_be_zero)
{
	struct hmap_ioc_map mo = { .size = sizeof(mo), .reserved = 1 };
	struct hmap_ioc_stats st;
	struct hmap_ioc_snapshot sn;

	name_set(mo.name, FIX);
	EXPECT_REJECTED(ioc(HMAP_IOC_DESTROY, &mo), EINVAL, "destroy with reserved 1");
	EXPECT_REJECTED(ioc(HMAP_IOC_CLEAR, &mo), EINVAL, "clear with reserved 1");

	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	name_set(st.name, FIX);
	st.reserved = 1;
	EXPECT_REJECTED(ioc(HMAP_IOC_STATS, &st), EINVAL, "stats with reserved 1");
	for (int i = 0; i < 4; i++) {
		static const char *const field[] = {
			"reserved", "reserved2", "reserved3", "reserved4",
		};

		memset(&sn, 0, sizeof(sn));
		sn.size = sizeof(sn);
		name_set(sn.name, FIX);
		if (i == 0)
			sn.reserved = 1;
		else if (i == 1)
			sn.reserved2 = 1;
		else if (i == 2)
			sn.reserved3 = 1;
		else
			sn.reserved4 = 1;
		EXPECT_REJECTED(ioc(HMAP_IOC_SNAPSHOT, &sn), EINVAL, "snapshot with %s 1", field[i]);
	}
}

TEST(list_into_bad_memory_is_efault)
{
	struct hmap_ioc_list l = { .size = sizeof(l), .count = 4 };

	l.entries = 0;
	EXPECT_REJECTED(ioc(HMAP_IOC_LIST, &l), EFAULT, "list into entries NULL with count 4");
	l.entries = (uintptr_t)hole;
	EXPECT_REJECTED(ioc(HMAP_IOC_LIST, &l), EFAULT, "list into unmapped entries");
	l.entries = (uintptr_t)ro_page;
	EXPECT_REJECTED(ioc(HMAP_IOC_LIST, &l), EFAULT, "list into read-only entries");
	l.entries = KERNEL_PTR;
	EXPECT_REJECTED(ioc(HMAP_IOC_LIST, &l), EFAULT, "list into a kernel address");
}

TEST(dump_of_the_fixture_in_one_call)
{
	struct hmap_ioc_dump d;
	int rc;

	dump_request(&d, keys, vals);
	rc = ioc(HMAP_IOC_DUMP, &d);
	EXPECT_TRUE(rc == 0 && d.count == FIX_N && d.cursor == 0,
		    "dump of the fixture in one call -> %u entries, cursor 0 (%s)", d.count, ename(rc));
}

#define DUMP_FIELD(f)	offsetof(struct hmap_ioc_dump, f), sizeof(((struct hmap_ioc_dump *)0)->f)

TEST(bad_dump_requests)
{
	const struct {
		const char *what;
		size_t off, len;	/* the field changed */
		uint64_t value;
		int err;
	} bad[] = {
		{ "dump with key_size 4 (map's 8)", DUMP_FIELD(key_size), 4, EINVAL },
		{ "dump with value_size 8 (map's 16)", DUMP_FIELD(value_size), 8, EINVAL },
		{ "dump with flags 1", DUMP_FIELD(flags), 1, EINVAL },
		{ "dump with reserved 1", DUMP_FIELD(reserved), 1, EINVAL },
		{ "dump into keys NULL", DUMP_FIELD(keys), 0, EFAULT },
		{ "dump into values NULL", DUMP_FIELD(values), 0, EFAULT },
		{ "dump into unmapped keys", DUMP_FIELD(keys), (uintptr_t)hole, EFAULT },
		{ "dump into read-only values", DUMP_FIELD(values), (uintptr_t)ro_page, EFAULT },
		{ "dump into a kernel address", DUMP_FIELD(keys), KERNEL_PTR, EFAULT },
		{ "dump into values running into an unmapped page", DUMP_FIELD(values),
		  (uintptr_t)(edge_end - 100 * FIX_VS + 8), EFAULT },
		{ "dump with count 0", DUMP_FIELD(count), 0, EINVAL },
	};
	struct hmap_ioc_dump d;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		uint32_t v32 = (uint32_t)bad[i].value;

		dump_request(&d, keys, vals);
		memcpy((char *)&d + bad[i].off, bad[i].len == 4 ? (void *)&v32 : (void *)&bad[i].value,
		       bad[i].len);
		EXPECT_REJECTED(ioc(HMAP_IOC_DUMP, &d), bad[i].err, "%s", bad[i].what);
	}
}

TEST(unknown_requests_are_enotty)
{
	uint8_t key[FIX_KS], val[FIX_VS];
	struct hmap_ioc_map mo = { .size = sizeof(mo), .reserved = 1 };
	int rc;

	name_set(mo.name, FIX);
	mkkey(key, FIX_KS, FIX_SAMPLE);
	{
		struct hmap_ioc_elem e = { .size = sizeof(e), .key = (uintptr_t)key,
					   .value = (uintptr_t)val, .key_size = FIX_KS,
					   .value_size = FIX_VS };
		static const unsigned int nrs[] = { 0, 12, 13, 0x7f, 0xff };

		name_set(e.name, FIX);
		for (size_t i = 0; i < ARRAY_SIZE(nrs); i++)
			EXPECT_REJECTED(ioc(_IOWR(HMAP_IOC_MAGIC, nrs[i], struct hmap_ioc_elem), &e),
				   ENOTTY, "request number %u", nrs[i]);
		EXPECT_REJECTED(ioc(_IOWR(HMAP_IOC_MAGIC + 1, 4, struct hmap_ioc_elem), &e), ENOTTY,
			"lookup with magic 0xb8");
		EXPECT_REJECTED(ioc(_IOWR(0, 5, struct hmap_ioc_elem), &e), ENOTTY, "update with magic 0");
		EXPECT_REJECTED(ioc(_IOW('T', 2, struct hmap_ioc_map), &mo), ENOTTY,
			"destroy request with magic 'T'");
		EXPECT_REJECTED(ioc(0x5401 /* TCGETS */, &e), ENOTTY, "TCGETS");
		/* Type and number only: the direction and size bits do not matter. */
		rc = ioc(_IO(HMAP_IOC_MAGIC, _IOC_NR(HMAP_IOC_LOOKUP)), &e);
		EXPECT_TRUE(rc == 0 && val_ok(val, FIX_VS, FIX_SAMPLE, 0),
			    "lookup as _IO(magic, 4) (no size, no direction) -> 0 (%s)", ename(rc));
	}
}

TEST(full_map_is_e2big)
{
	uint8_t key[4], val[4];
	int rc;

	ASSERT_EQ(fresh_map("e2e_full", 4, 4, 10), 0, "create e2e_full");
	mkval(val, 4, 10, 0);
	rc = fill("e2e_full", 4, 4, 0, 10, 0);
	EXPECT_TRUE(rc == 0 && map_count("e2e_full") == 10, "max_entries 10: 10 inserts -> 0 (%s)", ename(rc));
	mkkey(key, 4, 10);
	rc = update("e2e_full", key, 4, val, 4, HMAP_UPDATE_ANY);
	EXPECT_TRUE(rc == -E2BIG && map_count("e2e_full") == 10 &&
		    lookup("e2e_full", key, 4, val, 4) == -ENOENT,
		    "the 11th insert -> E2BIG, count 10 (%s)", ename(rc));
	rc = update("e2e_full", key, 4, val, 4, HMAP_UPDATE_NOEXIST);
	EXPECT_TRUE(rc == -E2BIG, "the 11th insert, NOEXIST -> E2BIG (%s)", ename(rc));
	mkkey(key, 4, 3);
	mkval(val, 4, 3, 1);
	rc = update("e2e_full", key, 4, val, 4, HMAP_UPDATE_ANY);
	EXPECT_TRUE(rc == 0 && map_count("e2e_full") == 10, "replacing in a full map -> 0 (%s)", ename(rc));
	rc = update("e2e_full", key, 4, val, 4, HMAP_UPDATE_EXIST);
	EXPECT_TRUE(rc == 0, "update EXIST in a full map -> 0 (%s)", ename(rc));
	delete("e2e_full", key, 4);
	mkkey(key, 4, 10);
	rc = update("e2e_full", key, 4, val, 4, HMAP_UPDATE_ANY);
	EXPECT_TRUE(rc == 0 && map_count("e2e_full") == 10, "after a delete, an insert fits again (%s)", ename(rc));
	map_destroy("e2e_full");
}
