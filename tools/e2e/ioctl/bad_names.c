// SPDX-License-Identifier: GPL-2.0
/* Conformance: bad names and create parameters are rejected, and change nothing. */
#include <errno.h>
#include <string.h>

#include "ioctl_test.h"

TEST(create_with_a_bad_name_is_einval)
{
	static const struct { const char *what; char name[HMAP_NAME_MAX]; } bad[] = {
		{ "empty", "" },
		{ "\"a/b\"", "a/b" },
		{ "\".x\"", ".x" },
		{ "\"..\"", ".." },
		{ "\"maps\"", "maps" },
		{ "\"a b\"", "a b" },
		{ "\"a\\n\"", "a\n" },
		{ "\"\\xff\"", "\xff" },
		{ "\"a\\0x\" (bytes after the NUL)", "a\0x" },
		{ "\"ab\" and a last byte set", "ab" },	/* byte 31 set below */
	};
	char name32[HMAP_NAME_MAX];
	long long before = map_list(NULL, 0);
	size_t i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct hmap_ioc_create c = { .size = sizeof(c), .key_size = 4, .value_size = 4 };

		memcpy(c.name, bad[i].name, HMAP_NAME_MAX);
		if (i == ARRAY_SIZE(bad) - 1)
			c.name[HMAP_NAME_MAX - 1] = 1;
		rc = ioc(HMAP_IOC_CREATE, &c);
		EXPECT_REJECTED(rc, EINVAL, "create with name %s", bad[i].what);
		if (rc == 0) {		/* take it away again */
			struct hmap_ioc_map mo = { .size = sizeof(mo) };

			memcpy(mo.name, c.name, HMAP_NAME_MAX);
			ioc(HMAP_IOC_DESTROY, &mo);
		}
	}
	memset(name32, 'n', sizeof(name32));	/* 32 characters, no NUL */
	{
		struct hmap_ioc_create c = { .size = sizeof(c), .key_size = 4, .value_size = 4 };

		memcpy(c.name, name32, HMAP_NAME_MAX);
		EXPECT_REJECTED(ioc(HMAP_IOC_CREATE, &c), EINVAL, "create with a 32-character name (no NUL)");
	}
	EXPECT_TRUE(map_list(NULL, 0) == before, "no map was created by a bad name");
}

/* Bad names are EINVAL for every call, not ENOENT. */
TEST(every_request_with_a_bad_name_is_einval)
{
	uint8_t key[FIX_KS], val[FIX_VS];
	char name32[HMAP_NAME_MAX];

	memset(name32, 'n', sizeof(name32));	/* 32 characters, no NUL */
	mkkey(key, FIX_KS, FIX_SAMPLE);
	{
		struct hmap_ioc_elem e = { .size = sizeof(e), .key = (uintptr_t)key,
					   .value = (uintptr_t)val, .key_size = FIX_KS,
					   .value_size = FIX_VS };
		struct hmap_ioc_map mo = { .size = sizeof(mo) };
		struct hmap_ioc_stats st = { .size = sizeof(st) };
		struct hmap_ioc_snapshot sn = { .size = sizeof(sn) };
		struct hmap_ioc_dump d = { .size = sizeof(d), .key_size = FIX_KS,
					   .value_size = FIX_VS, .count = 1,
					   .keys = (uintptr_t)key, .values = (uintptr_t)val };

		memcpy(e.name, "a/b", 4);
		EXPECT_REJECTED(ioc(HMAP_IOC_LOOKUP, &e), EINVAL, "lookup in map \"a/b\"");
		memcpy(e.name, name32, HMAP_NAME_MAX);
		EXPECT_REJECTED(ioc(HMAP_IOC_UPDATE, &e), EINVAL, "update in a 32-character name");
		memcpy(mo.name, ".x", 3);
		EXPECT_REJECTED(ioc(HMAP_IOC_DESTROY, &mo), EINVAL, "destroy \".x\"");
		EXPECT_REJECTED(ioc(HMAP_IOC_CLEAR, &mo), EINVAL, "clear \".x\"");
		memcpy(st.name, "maps", 5);
		EXPECT_REJECTED(ioc(HMAP_IOC_STATS, &st), EINVAL, "stats of \"maps\"");
		memcpy(sn.name, FIX "\0x", sizeof(FIX) + 2);
		EXPECT_REJECTED(ioc(HMAP_IOC_SNAPSHOT, &sn), EINVAL, "snapshot of \"" FIX "\\0x\"");
		EXPECT_REJECTED(ioc(HMAP_IOC_DUMP, &d), EINVAL, "dump of an empty name");
	}
}

TEST(create_with_bad_parameters_is_einval)
{
	static const struct { const char *what; uint32_t ks, vs, max, flags, reserved; } bad[] = {
		{ "key_size 0", 0, 4, 0, 0, 0 },
		{ "key_size 513", HMAP_MAX_KEY_SIZE + 1, 4, 0, 0, 0 },
		{ "key_size 0xffffffff", 0xffffffff, 4, 0, 0, 0 },
		{ "value_size 65537", 4, HMAP_MAX_VALUE_SIZE + 1, 0, 0, 0 },
		{ "value_size 0xffffffff", 4, 0xffffffff, 0, 0, 0 },
		{ "max_entries 0xffffffff", 4, 4, 0xffffffff, 0, 0 },
		{ "max_entries HMAP_MAX_ENTRIES + 1", 4, 4, HMAP_MAX_ENTRIES + 1, 0, 0 },
		{ "flags 2 (unknown)", 4, 4, 0, 2, 0 },
		{ "flags 0x80000001 (unknown bit)", 4, 4, 0, 0x80000001, 0 },
		{ "reserved 1", 4, 4, 0, 0, 1 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct hmap_ioc_create c = {
			.size = sizeof(c), .key_size = bad[i].ks, .value_size = bad[i].vs,
			.max_entries = bad[i].max, .flags = bad[i].flags,
			.reserved = bad[i].reserved,
		};

		name_set(c.name, "e2e_badcreate");
		EXPECT_REJECTED(ioc(HMAP_IOC_CREATE, &c), EINVAL, "create with %s", bad[i].what);
		if (map_exists("e2e_badcreate")) {
			EXPECT_TRUE(false, "create with %s made a map", bad[i].what);
			map_destroy("e2e_badcreate");
		}
	}
}

TEST(create_of_a_taken_name_is_eexist_for_any_sizes)
{
	EXPECT_REJECTED(map_create(FIX, FIX_KS, FIX_VS, 0), EEXIST, "create of an existing name");
	EXPECT_REJECTED(map_create(FIX, 1, 1, 0), EEXIST, "create of an existing name, other sizes");
}
