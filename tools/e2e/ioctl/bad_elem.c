// SPDX-License-Identifier: GPL-2.0
/* Conformance: bad element requests are rejected and leave the maps alone. */
#include <errno.h>
#include <string.h>

#include "ioctl_test.h"

/* @key and @val: id FIX_N's, not in the fixture; @big: zeros. */
static void new_entry(uint8_t key[FIX_KS], uint8_t val[FIX_VS], uint8_t big[64])
{
	mkkey(key, FIX_KS, FIX_N);
	mkval(val, FIX_VS, FIX_N, 0);
	memset(big, 0, 64);
}

TEST(elem_unknown_map_is_enoent)
{
	uint8_t key[FIX_KS], val[FIX_VS], big[64];

	new_entry(key, val, big);
	EXPECT_REJECTED(lookup("e2e_nosuchmap", key, FIX_KS, val, FIX_VS), ENOENT, "lookup in an unknown map");
	EXPECT_REJECTED(update("e2e_nosuchmap", key, FIX_KS, val, FIX_VS, 0), ENOENT, "update in an unknown map");
	EXPECT_REJECTED(delete("e2e_nosuchmap", key, FIX_KS), ENOENT, "delete in an unknown map");
}

TEST(elem_wrong_sizes_are_einval)
{
	uint8_t key[FIX_KS], val[FIX_VS], big[64];

	new_entry(key, val, big);
	for (uint32_t ks = 0; ks <= 16; ks += 4) {
		if (ks == FIX_KS)
			continue;
		EXPECT_REJECTED(lookup(FIX, big, ks, val, FIX_VS), EINVAL, "lookup with key_size %u (map's 8)", ks);
		EXPECT_REJECTED(update(FIX, big, ks, val, FIX_VS, 0), EINVAL, "update with key_size %u", ks);
		EXPECT_REJECTED(delete(FIX, big, ks), EINVAL, "delete with key_size %u", ks);
	}
	EXPECT_REJECTED(lookup(FIX, key, FIX_KS, big, FIX_VS - 1), EINVAL, "lookup with value_size 15 (map's 16)");
	EXPECT_REJECTED(lookup(FIX, key, FIX_KS, big, 0), EINVAL, "lookup with value_size 0");
	EXPECT_REJECTED(update(FIX, key, FIX_KS, big, FIX_VS + 1, 0), EINVAL, "update with value_size 17");
	EXPECT_REJECTED(update(FIX, key, FIX_KS, big, 0, 0), EINVAL, "update with value_size 0");
	EXPECT_REJECTED(update(FIX, key, FIX_KS, big, 0xffffffff, 0), EINVAL, "update with value_size 0xffffffff");
	EXPECT_REJECTED(elem_fd(ioc_dev, HMAP_IOC_DELETE, FIX, key, FIX_KS, val, 0, 0), EINVAL,
			"delete with a value pointer");
	EXPECT_REJECTED(elem_fd(ioc_dev, HMAP_IOC_DELETE, FIX, key, FIX_KS, NULL, FIX_VS, 0), EINVAL,
			"delete with a value_size");
}

/* The key is new, so a half-done update would show. */
TEST(elem_bad_pointers_are_efault)
{
	uint8_t key[FIX_KS], val[FIX_VS], big[64];
	uint8_t *edge_key = edge_end - 4;	/* 4 readable bytes, then the hole */
	void *kp = (void *)(uintptr_t)KERNEL_PTR;

	new_entry(key, val, big);
	EXPECT_REJECTED(lookup(FIX, NULL, FIX_KS, val, FIX_VS), EFAULT, "lookup with key NULL");
	EXPECT_REJECTED(update(FIX, NULL, FIX_KS, val, FIX_VS, 0), EFAULT, "update with key NULL");
	EXPECT_REJECTED(delete(FIX, NULL, FIX_KS), EFAULT, "delete with key NULL");
	EXPECT_REJECTED(lookup(FIX, hole, FIX_KS, val, FIX_VS), EFAULT, "lookup with key unmapped");
	EXPECT_REJECTED(update(FIX, hole, FIX_KS, val, FIX_VS, 0), EFAULT, "update with key unmapped");
	EXPECT_REJECTED(delete(FIX, hole, FIX_KS), EFAULT, "delete with key unmapped");
	EXPECT_REJECTED(update(FIX, edge_key, FIX_KS, val, FIX_VS, 0), EFAULT,
			"update with a key running into an unmapped page");
	EXPECT_REJECTED(lookup(FIX, kp, FIX_KS, val, FIX_VS), EFAULT, "lookup with key a kernel address");
	EXPECT_REJECTED(update(FIX, kp, FIX_KS, val, FIX_VS, 0), EFAULT, "update with key a kernel address");
	EXPECT_REJECTED(update(FIX, key, FIX_KS, NULL, FIX_VS, 0), EFAULT, "update with value NULL");
	EXPECT_REJECTED(update(FIX, key, FIX_KS, hole, FIX_VS, 0), EFAULT, "update with value unmapped");
	EXPECT_REJECTED(update(FIX, key, FIX_KS, edge_end - 8, FIX_VS, 0), EFAULT,
			"update with a value running into an unmapped page");
	EXPECT_REJECTED(update(FIX, key, FIX_KS, kp, FIX_VS, 0), EFAULT, "update with value a kernel address");

	mkkey(key, FIX_KS, FIX_SAMPLE);	/* present: the lookup has a value to copy */
	EXPECT_REJECTED(lookup(FIX, key, FIX_KS, NULL, FIX_VS), EFAULT, "lookup of a present key into value NULL");
	EXPECT_REJECTED(lookup(FIX, key, FIX_KS, hole, FIX_VS), EFAULT, "lookup into an unmapped value");
	EXPECT_REJECTED(lookup(FIX, key, FIX_KS, ro_page, FIX_VS), EFAULT, "lookup into a read-only value");
	EXPECT_REJECTED(lookup(FIX, key, FIX_KS, kp, FIX_VS), EFAULT, "lookup into a kernel address");
	EXPECT_REJECTED(update(FIX, key, FIX_KS, hole, FIX_VS, 0), EFAULT,
			"update of a present key with value unmapped (value kept)");
}

TEST(elem_misaligned_pointers_are_fine)
{
	uint8_t buf[64];
	int rc;

	mkkey(buf + 3, FIX_KS, FIX_SAMPLE);
	memset(buf + 17, 0, FIX_VS);
	rc = lookup(FIX, buf + 3, FIX_KS, buf + 17, FIX_VS);
	EXPECT_TRUE(rc == 0 && val_ok(buf + 17, FIX_VS, FIX_SAMPLE, 0),
		    "lookup with misaligned key and value pointers -> 0 (%s)", ename(rc));
}

TEST(elem_bad_flags_are_einval)
{
	uint8_t key[FIX_KS], val[FIX_VS], big[64];

	new_entry(key, val, big);
	mkkey(key, FIX_KS, FIX_N);
	EXPECT_REJECTED(update(FIX, key, FIX_KS, val, FIX_VS, 3), EINVAL, "update with flags 3");
	EXPECT_REJECTED(update(FIX, key, FIX_KS, val, FIX_VS, 0x80000000), EINVAL, "update with flags 0x80000000");
	mkkey(key, FIX_KS, FIX_SAMPLE);
	EXPECT_REJECTED(elem_fd(ioc_dev, HMAP_IOC_LOOKUP, FIX, key, FIX_KS, val, FIX_VS, 1), EINVAL,
			"lookup with flags 1");
	EXPECT_REJECTED(elem_fd(ioc_dev, HMAP_IOC_DELETE, FIX, key, FIX_KS, NULL, 0, 1), EINVAL,
			"delete with flags 1");
	EXPECT_REJECTED(elem_fd(ioc_dev, HMAP_IOC_DELETE, FIX, key, FIX_KS, NULL, 0, HMAP_UPDATE_EXIST), EINVAL,
			"delete with flags EXIST");
}
