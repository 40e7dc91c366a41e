// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the map's hash. hmap_sip13() must be SipHash-1-3: it is checked
 * against a plain byte-by-byte SipHash-c-d written here from the paper,
 * which is itself checked against the kernel's siphash() (SipHash-2-4).
 */

#include <kunit/test.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/unaligned.h>

#include "hmap_core.h"
#include "hmap_test.h"

static void ref_round(u64 v[4])
{
	v[0] += v[1];
	v[1] = rol64(v[1], 13) ^ v[0];
	v[0] = rol64(v[0], 32);
	v[2] += v[3];
	v[3] = rol64(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = rol64(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = rol64(v[1], 17) ^ v[2];
	v[2] = rol64(v[2], 32);
}

/* SipHash-c-d of @len bytes, as the paper describes it. */
static u64 ref_siphash(const u8 *msg, size_t len, const siphash_key_t *key,
		       int c, int d)
{
	u64 v[4] = { 0x736f6d6570736575ULL ^ key->key[0],
		     0x646f72616e646f6dULL ^ key->key[1],
		     0x6c7967656e657261ULL ^ key->key[0],
		     0x7465646279746573ULL ^ key->key[1] };
	size_t off = 0, i;
	u64 m;
	int r;

	for (;;) {
		m = 0;
		for (i = 0; i < 8 && off + i < len; i++)
			m |= (u64)msg[off + i] << (8 * i);
		if (i < 8 || off + 8 == len) {
			if (i == 8) {	/* a last full block, then the length block */
				v[3] ^= m;
				for (r = 0; r < c; r++)
					ref_round(v);
				v[0] ^= m;
				m = 0;
			}
			m |= (u64)(len & 0xff) << 56;
			break;
		}
		v[3] ^= m;
		for (r = 0; r < c; r++)
			ref_round(v);
		v[0] ^= m;
		off += 8;
	}
	v[3] ^= m;
	for (r = 0; r < c; r++)
		ref_round(v);
	v[0] ^= m;
	v[2] ^= 0xff;
	for (r = 0; r < d; r++)
		ref_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static void reference_siphash_matches_kernel_siphash24(struct kunit *test)
{
	siphash_key_t key;
	u8 msg[24];
	size_t len;
	int n;

	for (n = 0; n < 200; n++) {
		get_random_bytes(&key, sizeof(key));
		get_random_bytes(msg, sizeof(msg));
		len = n % (sizeof(msg) + 1);
		KUNIT_ASSERT_EQ_MSG(test, ref_siphash(msg, len, &key, 2, 4),
				    siphash(msg, len, &key),
				    "reference SipHash-2-4 of %zu bytes", len);
	}
}

static void sip13_of_8_bytes_is_siphash13(struct kunit *test)
{
	siphash_key_t key;
	u8 msg[8];
	int n;

	for (n = 0; n < 1000; n++) {
		get_random_bytes(&key, sizeof(key));
		get_random_bytes(msg, sizeof(msg));
		KUNIT_ASSERT_EQ_MSG(test,
				    hmap_sip_hash(msg, 8, &key),
				    ref_siphash(msg, 8, &key, 1, 3),
				    "SipHash-1-3 of 8 bytes, try %d", n);
	}
}

static void sip13_of_4_bytes_is_siphash13(struct kunit *test)
{
	siphash_key_t key;
	u8 msg[4];
	int n;

	for (n = 0; n < 1000; n++) {
		get_random_bytes(&key, sizeof(key));
		get_random_bytes(msg, sizeof(msg));
		KUNIT_ASSERT_EQ_MSG(test,
				    hmap_sip_hash(msg, 4, &key),
				    ref_siphash(msg, 4, &key, 1, 3),
				    "SipHash-1-3 of 4 bytes, try %d", n);
	}
}

/* Keys over 16 bytes keep the kernel's SipHash-2-4. */
static void map_hash_of_other_sizes_is_siphash24(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 24, 8, 0);
	u8 key[24];
	siphash_key_t seed;

	get_random_bytes(key, sizeof(key));
	seed = map->seed;
	KUNIT_EXPECT_EQ(test, hmap_hash(map, key), siphash(key, 24, &seed));
}

static struct kunit_case hmap_hash_cases[] = {
	KUNIT_CASE(reference_siphash_matches_kernel_siphash24),
	KUNIT_CASE(sip13_of_8_bytes_is_siphash13),
	KUNIT_CASE(sip13_of_4_bytes_is_siphash13),
	KUNIT_CASE(map_hash_of_other_sizes_is_siphash24),
	{}
};

HMAP_TEST_SUITE(hmap_hash, hmap_hash_cases);
