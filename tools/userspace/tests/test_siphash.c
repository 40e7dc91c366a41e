// SPDX-License-Identifier: GPL-2.0
/*
 * The shim's SipHash-2-4 against the published test vectors: key
 * 00 01 .. 0f, message 00 01 .. (len - 1) for len 0..63 (the reference
 * implementation's vectors; len 15 is the worked example of the paper's
 * Appendix A, a129ca6149be45e5), and the kernel's word forms.
 */
#include <string.h>

#include <linux/siphash.h>

#include "hmap_core.h"
#include "test.h"

static const siphash_key_t vec_key = {{
	0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL
}};

static const u64 vectors[64] = {
	0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL, 0x0d6c8009d9a94f5aULL,
	0x85676696d7fb7e2dULL, 0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL,
	0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL, 0x93f5f5799a932462ULL,
	0x9e0082df0ba9e4b0ULL, 0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
	0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL, 0xf723ca908e7af2eeULL,
	0xa129ca6149be45e5ULL, 0x3f2acc7f57c29bdbULL, 0x699ae9f52cbe4794ULL,
	0x4bc1b3f0968dd39cULL, 0xbb6dc91da77961bdULL, 0xbed65cf21aa2ee98ULL,
	0xd0f2cbb02e3b67c7ULL, 0x93536795e3a33e88ULL, 0xa80c038ccd5ccec8ULL,
	0xb8ad50c6f649af94ULL, 0xbce192de8a85b8eaULL, 0x17d835b85bbb15f3ULL,
	0x2f2e6163076bcfadULL, 0xde4daaaca71dc9a5ULL, 0xa6a2506687956571ULL,
	0xad87a3535c49ef28ULL, 0x32d892fad841c342ULL, 0x7127512f72f27cceULL,
	0xa7f32346f95978e3ULL, 0x12e0b01abb051238ULL, 0x15e034d40fa197aeULL,
	0x314dffbe0815a3b4ULL, 0x027990f029623981ULL, 0xcadcd4e59ef40c4dULL,
	0x9abfd8766a33735cULL, 0x0e3ea96b5304a7d0ULL, 0xad0c42d6fc585992ULL,
	0x187306c89bc215a9ULL, 0xd4a60abcf3792b95ULL, 0xf935451de4f21df2ULL,
	0xa9538f0419755787ULL, 0xdb9acddff56ca510ULL, 0xd06c98cd5c0975ebULL,
	0xe612a3cb9ecba951ULL, 0xc766e62cfcadaf96ULL, 0xee64435a9752fe72ULL,
	0xa192d576b245165aULL, 0x0a8787bf8ecb74b2ULL, 0x81b3e73d20b49b6fULL,
	0x7fa8220ba3b2eceaULL, 0x245731c13ca42499ULL, 0xb78dbfaf3a8d83bdULL,
	0xea1ad565322a1a0bULL, 0x60e61c23a3795013ULL, 0x6606d7e446282b93ULL,
	0x6ca4ecb15c5f91e1ULL, 0x9f626da15c9625f3ULL, 0xe51b38608ef25f57ULL,
	0x958a324ceb064572ULL,
};

static void siphash_reference_vectors(void)
{
	u8 in[64 + 8];
	int len, off;

	for (len = 0; len < 64 + 8; len++)
		in[len] = len;
	for (len = 0; len < 64; len++)
		CHECK(siphash(in, len, &vec_key) == vectors[len],
		      "length %d: %016llx", len, siphash(in, len, &vec_key));
	/* Unaligned input gives the same result. */
	for (off = 1; off < 8; off++) {
		u8 buf[64 + 8];

		for (len = 0; len < 64; len++)
			buf[off + len] = len;
		for (len = 0; len < 64; len++)
			CHECK(siphash(buf + off, len, &vec_key) == vectors[len],
			      "offset %d length %d", off, len);
	}
}

static void siphash_paper_appendix_a(void)
{
	u8 msg[15];
	int i;

	for (i = 0; i < 15; i++)
		msg[i] = i;
	CHECK(siphash(msg, sizeof(msg), &vec_key) == 0xa129ca6149be45e5ULL);
}

/* The kernel's word forms: the word's little-endian bytes. */
static void siphash_word_forms_match_bytes(void)
{
	siphash_key_t k = {{ 0x0123456789abcdefULL, 0xfedcba9876543210ULL }};
	u64 x = 0x1122334455667788ULL;
	u8 b[16];
	int i;

	CHECK(siphash_1u64(0x0706050403020100ULL, &vec_key) == vectors[8]);
	CHECK(siphash_1u32(0x03020100U, &vec_key) == vectors[4]);
	CHECK(siphash_2u64(0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL,
			   &vec_key) == vectors[16]);
	CHECK(siphash_2u32(0x03020100U, 0x07060504U, &vec_key) == vectors[8]);
	for (i = 0; i < 1000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		for (int j = 0; j < 8; j++)
			b[j] = x >> (8 * j);
		CHECK(siphash_1u64(x, &k) == siphash(b, 8, &k));
		CHECK(siphash_1u32((u32)x, &k) == siphash(b, 4, &k));
		k.key[0] += x;
	}
}

/* SipHash-c-d itself: c = 2, d = 4 is siphash(). */
static void siphash_cd_generalizes_2_4(void)
{
	u8 in[64];
	int len;

	for (len = 0; len < 64; len++)
		in[len] = len;
	for (len = 0; len < 64; len++)
		CHECK(shim_siphash_cd(2, 4, in, len, &vec_key) == vectors[len], "length %d", len);
}

/*
 * The core's hmap_hash() is a keyed member of the SipHash family over the
 * key's bytes: SipHash-2-4 (the kernel's siphash()), or for 4- and 8-byte
 * keys SipHash-1-3 or -2-4, whichever the core inlines.
 */
static void core_hash_is_keyed_siphash(void)
{
	static const u32 sizes[] = { 1, 3, 4, 5, 8, 9, 16, 129, 512 };
	struct hmap map;
	u8 key[512];
	u64 x = 0x0123456789abcdefULL;

	memset(&map, 0, sizeof(map));
	for (unsigned int s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		u32 ks = sizes[s];

		map.layout.key_size = ks;
		for (int i = 0; i < 200; i++) {
			u64 h, h24, h13;

			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			map.seed.key[0] = x;
			map.seed.key[1] = x * 31 + i;
			for (u32 j = 0; j < ks; j++)
				key[j] = (x >> (j % 57)) + j;
			h = hmap_hash(&map, key);
			h24 = siphash(key, ks, &map.seed);
			h13 = shim_siphash_cd(1, 3, key, ks, &map.seed);
			if (ks == 4 || ks == 8)
				CHECK(h == h24 || h == h13, "key size %u", ks);
			else
				CHECK(h == h24, "key size %u", ks);
		}
	}
}

static const struct test_case siphash_cases[] = {
	{ "reference_vectors", siphash_reference_vectors },
	{ "paper_appendix_a", siphash_paper_appendix_a },
	{ "word_forms_match_bytes", siphash_word_forms_match_bytes },
	{ "cd_generalizes_2_4", siphash_cd_generalizes_2_4 },
	{ "core_hash_is_keyed_siphash", core_hash_is_keyed_siphash },
	{ NULL, NULL },
};

const struct test_group siphash_group = { "siphash", siphash_cases, false };
