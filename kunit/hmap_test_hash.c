// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the map's hashes (enum hmap_hash).
 *
 * HMAP_HASH_SIPHASH must be SipHash-1-3 up to 16 bytes and the kernel's
 * siphash() (SipHash-2-4) above: both are checked against a plain
 * byte-by-byte SipHash-c-d written here from the paper, which is itself
 * checked against siphash(). hmap_fold_mul() is checked against a 128-bit
 * product computed here from 32-bit pieces.
 *
 * Both hashes, for key sizes with and without a fast path (4, 8, 16 and
 * 3, 12, 24, 200), must spread keys evenly: a chi-square test of the bits
 * the map uses (the low bits, the bucket index; the top byte, the tophash;
 * and some high bits, which a grow of 2^40 buckets would use) over keys
 * that count up, count in steps of 4096, count in the high half of a word,
 * count in the key's last bytes, or are random. The seed is random, so
 * the bound is wide: the chi-square of k bins has mean k - 1 and variance
 * 2(k - 1); a test passes within 6 standard deviations of the mean, which
 * a good hash misses with a probability around 1e-8 (of ~200 tests a run,
 * 1e-6), and a hash that ignores some key bytes or a part of its output
 * misses by orders of magnitude. And a hash must depend on its seed: two
 * seeds, or one seed bit apart, place the same keys differently.
 */

#include <kunit/test.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/unaligned.h>

#include "hmap_core.h"
#include "hmap_test.h"

/* ---- reference SipHash ---- */

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

/* What a map of hash @hash computes for @len bytes, by the seed @seed. */
static u64 hash_of(u32 hash, const void *key, u32 len,
		   const siphash_key_t *seed)
{
	if (hash == HMAP_HASH_FAST)
		return hmap_fast_hash(key, len, seed);
	return hmap_sip_hash(key, len, seed);
}

/* ---- the cases' parameters: a hash and a key size ---- */

struct hash_case {
	u32 hash;
	u32 len;
};

static const struct hash_case hash_cases[] = {
	{ HMAP_HASH_SIPHASH, 3 }, { HMAP_HASH_SIPHASH, 4 },
	{ HMAP_HASH_SIPHASH, 8 }, { HMAP_HASH_SIPHASH, 12 },
	{ HMAP_HASH_SIPHASH, 16 }, { HMAP_HASH_SIPHASH, 24 },
	{ HMAP_HASH_SIPHASH, 200 },
	{ HMAP_HASH_FAST, 3 }, { HMAP_HASH_FAST, 4 },
	{ HMAP_HASH_FAST, 8 }, { HMAP_HASH_FAST, 12 },
	{ HMAP_HASH_FAST, 16 }, { HMAP_HASH_FAST, 24 },
	{ HMAP_HASH_FAST, 200 },
};

static void hash_case_desc(const struct hash_case *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s key %u",
		 hmap_test_hash_name(p->hash), p->len);
}

KUNIT_ARRAY_PARAM(hash_case, hash_cases, hash_case_desc);

static const u32 hash_ids[] = { HMAP_HASH_SIPHASH, HMAP_HASH_FAST };

static void hash_id_desc(const u32 *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", hmap_test_hash_name(*p));
}

KUNIT_ARRAY_PARAM(hash_id, hash_ids, hash_id_desc);

#define HASH_MAX_LEN	200

/* ---- SipHash ---- */

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

/* hmap_sip_hash() of 1..16 bytes is SipHash-1-3, of every length. */
static void sip_hash_up_to_16_bytes_is_siphash13(struct kunit *test)
{
	siphash_key_t key;
	u8 msg[16];
	u32 len;
	int n;

	for (len = 1; len <= 16; len++) {
		for (n = 0; n < 200; n++) {
			get_random_bytes(&key, sizeof(key));
			get_random_bytes(msg, sizeof(msg));
			KUNIT_ASSERT_EQ_MSG(test, hmap_sip_hash(msg, len, &key),
					    ref_siphash(msg, len, &key, 1, 3),
					    "SipHash-1-3 of %u bytes, try %d",
					    len, n);
		}
	}
}

/* Keys over 16 bytes keep the kernel's SipHash-2-4. */
static void sip_hash_above_16_bytes_is_siphash24(struct kunit *test)
{
	static const u32 lens[] = { 17, 23, 24, 25, 31, 32, 33, 64, 128, 129,
				    200 };
	siphash_key_t key;
	u8 *msg = hmap_test_buf(test, HASH_MAX_LEN);
	u32 i, len;
	int n;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		len = lens[i];
		for (n = 0; n < 50; n++) {
			get_random_bytes(&key, sizeof(key));
			get_random_bytes(msg, len);
			KUNIT_ASSERT_EQ_MSG(test, hmap_sip_hash(msg, len, &key),
					    siphash(msg, len, &key),
					    "siphash() of %u bytes, try %d",
					    len, n);
			KUNIT_ASSERT_EQ_MSG(test, hmap_sip_hash(msg, len, &key),
					    ref_siphash(msg, len, &key, 2, 4),
					    "SipHash-2-4 of %u bytes, try %d",
					    len, n);
		}
	}
}

/*
 * hmap_hash() of a map is its hash by its seed; so is hmap_hash_sized()
 * with the size and hash as constants, the form the fast paths use.
 */
static void map_hash_is_its_hash_by_its_seed(struct kunit *test)
{
	const struct hash_case *p = test->param_value;
	struct hmap *map = hmap_test_create_hash(test, p->len, 8, 0, p->hash);
	u8 *key = hmap_test_buf(test, HASH_MAX_LEN);
	siphash_key_t seed;
	u64 want, sized;
	int n;

	KUNIT_ASSERT_EQ(test, map->hash, p->hash);
	for (n = 0; n < 100; n++) {
		get_random_bytes(key, p->len);
		seed = map->seed;
		want = hash_of(p->hash, key, p->len, &seed);
		if (p->hash == HMAP_HASH_SIPHASH && p->len <= 16)
			KUNIT_ASSERT_EQ(test, want,
					ref_siphash(key, p->len, &seed, 1, 3));
		else if (p->hash == HMAP_HASH_SIPHASH)
			KUNIT_ASSERT_EQ(test, want, siphash(key, p->len, &seed));
		KUNIT_ASSERT_EQ_MSG(test, hmap_hash(map, key), want, "try %d", n);
		if (p->hash == HMAP_HASH_FAST && p->len == 4)
			sized = hmap_hash_sized(map, key, 4, HMAP_HASH_FAST);
		else if (p->hash == HMAP_HASH_FAST && p->len == 8)
			sized = hmap_hash_sized(map, key, 8, HMAP_HASH_FAST);
		else if (p->hash == HMAP_HASH_FAST && p->len == 16)
			sized = hmap_hash_sized(map, key, 16, HMAP_HASH_FAST);
		else if (p->len == 4)
			sized = hmap_hash_sized(map, key, 4, HMAP_HASH_SIPHASH);
		else if (p->len == 8)
			sized = hmap_hash_sized(map, key, 8, HMAP_HASH_SIPHASH);
		else if (p->len == 16)
			sized = hmap_hash_sized(map, key, 16, HMAP_HASH_SIPHASH);
		else
			sized = want;
		KUNIT_ASSERT_EQ_MSG(test, sized, want,
				    "constant-size hash, try %d", n);
	}
}

/* SplitMix64: cheap random numbers (get_random_u64() is slow under KASAN). */
static u64 splitmix64(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* ---- hmap_fold_mul() ---- */

/* The 128-bit product of @a and @b, column by column of 32-bit pieces. */
static void ref_mul128(u64 a, u64 b, u64 *lo, u64 *hi)
{
	u32 x[2] = { (u32)a, a >> 32 }, y[2] = { (u32)b, b >> 32 };
	u32 r[4] = { 0, 0, 0, 0 };
	u64 carry, t;
	int i, j;

	for (i = 0; i < 2; i++) {
		carry = 0;
		for (j = 0; j < 2; j++) {
			t = (u64)x[i] * y[j] + r[i + j] + carry;
			r[i + j] = (u32)t;
			carry = t >> 32;
		}
		r[i + 2] = (u32)carry;
	}
	*lo = (u64)r[1] << 32 | r[0];
	*hi = (u64)r[3] << 32 | r[2];
}

/* Both the 128-bit multiply and the 32-bit fallback. */
static void fold_mul_is_the_folded_128bit_product(struct kunit *test)
{
	static const u64 edges[] = {
		0, 1, 2, 3, 0xffffffffULL, 0x100000000ULL, 0x100000001ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL,
		0xffffffff00000000ULL, 0xfffffffffffffffeULL, ~0ULL,
		HMAP_FAST_K0, HMAP_FAST_K1, HMAP_FAST_K2, HMAP_FAST_K3,
	};
	u64 a, b, lo, hi, rnd = get_random_u64();
	u32 i, j;
	int n;

	for (i = 0; i < ARRAY_SIZE(edges); i++) {
		for (j = 0; j < ARRAY_SIZE(edges); j++) {
			ref_mul128(edges[i], edges[j], &lo, &hi);
			KUNIT_ASSERT_EQ_MSG(test, hmap_fold_mul(edges[i], edges[j]),
					    lo ^ hi, "%#llx * %#llx",
					    edges[i], edges[j]);
			KUNIT_ASSERT_EQ_MSG(test, hmap_fold_mul32(edges[i], edges[j]),
					    lo ^ hi, "32-bit: %#llx * %#llx",
					    edges[i], edges[j]);
		}
	}
	ref_mul128(~0ULL, ~0ULL, &lo, &hi);
	KUNIT_ASSERT_EQ(test, lo, 1ULL);
	KUNIT_ASSERT_EQ(test, hi, ~0ULL - 1);
	for (n = 0; n < 20000; n++) {
		a = splitmix64(&rnd);
		b = splitmix64(&rnd);
		/* Also factors with one half zero or all ones. */
		if (n % 4 == 1)
			a &= 0xffffffffULL;
		else if (n % 4 == 2)
			b |= 0xffffffff00000000ULL;
		ref_mul128(a, b, &lo, &hi);
		KUNIT_ASSERT_EQ_MSG(test, hmap_fold_mul(a, b), lo ^ hi,
				    "%#llx * %#llx", a, b);
		KUNIT_ASSERT_EQ_MSG(test, hmap_fold_mul32(a, b), lo ^ hi,
				    "32-bit: %#llx * %#llx", a, b);
	}
}

/* ---- distribution ---- */

enum hash_pattern {
	PAT_SEQ,	/* 0, 1, 2, ... little-endian in the first bytes */
	PAT_STRIDE,	/* 0, 4096, 8192, ... */
	PAT_SHIFT32,	/* i << 32: the high half of the first word */
	PAT_TAIL,	/* 0, 1, 2, ... in the last four bytes */
	PAT_RANDOM,
	PAT_NR,
};

static const char * const pat_names[PAT_NR] = {
	"sequential", "stride 4096", "i << 32", "in the last bytes", "random",
};

#define DIST_KEYS	16384

/* Keys of pattern @pat there are of @len bytes, up to DIST_KEYS; 0: none. */
static u32 pattern_keys(enum hash_pattern pat, u32 len)
{
	u64 space = len >= 8 ? ~0ULL : 1ULL << (8 * len);

	switch (pat) {
	case PAT_STRIDE:
		return min_t(u64, DIST_KEYS, space / 4096);
	case PAT_SHIFT32:
		return len >= 8 ? DIST_KEYS : 0;
	default:
		return min_t(u64, DIST_KEYS, space);
	}
}

/* Key number @i of pattern @pat, of @len bytes; PAT_RANDOM's from *@rnd. */
static void pattern_key(u8 *key, u32 len, enum hash_pattern pat, u32 i,
			u64 *rnd)
{
	u64 v = i;
	u32 j, off = 0;

	memset(key, 0, len);
	switch (pat) {
	case PAT_RANDOM:
		for (j = 0; j < len; j += 8) {
			v = splitmix64(rnd);
			memcpy(key + j, &v, min(len - j, 8U));
		}
		return;
	case PAT_STRIDE:
		v = (u64)i * 4096;
		break;
	case PAT_SHIFT32:
		v = (u64)i << 32;
		break;
	case PAT_TAIL:
		off = len > 4 ? len - 4 : 0;
		break;
	default:
		break;
	}
	for (j = 0; j < 8 && off + j < len; j++)
		key[off + j] = v >> (8 * j);
}

/* The bits of a hash a test looks at. */
enum hash_view { VIEW_LOW, VIEW_TOP, VIEW_HIGH, VIEW_NR };

static const char * const view_names[VIEW_NR] = {
	"bits 0..9 (bucket index)", "bits 56..63 (tophash)", "bits 40..49",
};

static const u32 view_bins[VIEW_NR] = { 1024, 256, 1024 };

static u32 view_of(enum hash_view v, u64 h)
{
	switch (v) {
	case VIEW_LOW:
		return h & 1023;
	case VIEW_TOP:
		return h >> 56;
	default:
		return (h >> 40) & 1023;
	}
}

static u64 isqrt64(u64 x)
{
	u64 r = 0, bit = 1ULL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/*
 * The bounds of the chi-square of @k bins, in hundredths: the mean k - 1
 * plus or minus 6 standard deviations sqrt(2(k - 1)). For 1024 bins
 * 751.62..1294.38, for 256 bins 119.52..390.48.
 */
static void chi2_bounds(u32 k, u64 *lo, u64 *hi)
{
	u64 dev = 6 * isqrt64(2ULL * (k - 1) * 10000);

	*lo = 100ULL * (k - 1) - dev;
	*hi = 100ULL * (k - 1) + dev;
}

/* Chi-square of @n samples in @k bins of @count, in hundredths. */
static u64 chi2(const u32 *count, u32 k, u32 n)
{
	u64 sq = 0;
	u32 i;

	/* sum (c - n/k)^2 / (n/k) = (k sum c^2 - n^2) / n */
	for (i = 0; i < k; i++)
		sq += (u64)count[i] * count[i];
	return (100 * (k * sq - (u64)n * n) + n / 2) / n;
}

struct dist_state {
	u32 *count[VIEW_NR];
	u64 min[VIEW_NR], max[VIEW_NR];
};

/* Chi-square tests of pattern @pat's keys by hash @p, seed @seed. */
static void dist_pattern(struct kunit *test, const struct hash_case *p,
			 enum hash_pattern pat, const siphash_key_t *seed,
			 struct dist_state *s, u8 *key)
{
	u32 n = pattern_keys(pat, p->len), i;
	u64 h, c, lo, hi, rnd = get_random_u64();
	int v;

	if (!n)
		return;
	for (v = 0; v < VIEW_NR; v++)
		memset(s->count[v], 0, view_bins[v] * sizeof(u32));
	for (i = 0; i < n; i++) {
		pattern_key(key, p->len, pat, i, &rnd);
		h = hash_of(p->hash, key, p->len, seed);
		for (v = 0; v < VIEW_NR; v++)
			s->count[v][view_of(v, h)]++;
	}
	for (v = 0; v < VIEW_NR; v++) {
		c = chi2(s->count[v], view_bins[v], n);
		chi2_bounds(view_bins[v], &lo, &hi);
		s->min[v] = min(s->min[v], c);
		s->max[v] = max(s->max[v], c);
		KUNIT_EXPECT_TRUE_MSG(test, c >= lo && c <= hi,
				      "%s, %u-byte keys, %u %s keys: chi-square of %s is %llu.%02llu, not in %llu.%02llu..%llu.%02llu (%u bins)",
				      hmap_test_hash_name(p->hash), p->len, n,
				      pat_names[pat], view_names[v],
				      c / 100, c % 100, lo / 100, lo % 100,
				      hi / 100, hi % 100, view_bins[v]);
	}
}

static void hash_spreads_keys_evenly(struct kunit *test)
{
	const struct hash_case *p = test->param_value;
	u8 *key = hmap_test_buf(test, HASH_MAX_LEN);
	struct dist_state s;
	siphash_key_t seed;
	int v, pat;

	get_random_bytes(&seed, sizeof(seed));
	for (v = 0; v < VIEW_NR; v++) {
		s.count[v] = hmap_test_buf(test, view_bins[v] * sizeof(u32));
		s.min[v] = U64_MAX;
		s.max[v] = 0;
	}
	for (pat = 0; pat < PAT_NR; pat++)
		dist_pattern(test, p, pat, &seed, &s, key);
	kunit_info(test, "%s key %u: chi-square low %llu.%02llu..%llu.%02llu, top %llu.%02llu..%llu.%02llu, high %llu.%02llu..%llu.%02llu",
		   hmap_test_hash_name(p->hash), p->len,
		   s.min[VIEW_LOW] / 100, s.min[VIEW_LOW] % 100,
		   s.max[VIEW_LOW] / 100, s.max[VIEW_LOW] % 100,
		   s.min[VIEW_TOP] / 100, s.min[VIEW_TOP] % 100,
		   s.max[VIEW_TOP] / 100, s.max[VIEW_TOP] % 100,
		   s.min[VIEW_HIGH] / 100, s.min[VIEW_HIGH] % 100,
		   s.max[VIEW_HIGH] / 100, s.max[VIEW_HIGH] % 100);
}

/* The bounds themselves: a uniform count passes, a lopsided one fails. */
static void chi2_bounds_tell_even_from_uneven(struct kunit *test)
{
	u32 *count = hmap_test_buf(test, 1024 * sizeof(u32));
	u64 lo, hi;
	u32 i;

	chi2_bounds(1024, &lo, &hi);
	KUNIT_EXPECT_EQ(test, lo, 75162ULL);
	KUNIT_EXPECT_EQ(test, hi, 129438ULL);
	chi2_bounds(256, &lo, &hi);
	KUNIT_EXPECT_EQ(test, lo, 11952ULL);
	KUNIT_EXPECT_EQ(test, hi, 39048ULL);
	/* Exactly even: 0. */
	for (i = 0; i < 1024; i++)
		count[i] = 16;
	KUNIT_EXPECT_EQ(test, chi2(count, 1024, 16384), 0ULL);
	/* Half the bins empty: n. */
	for (i = 0; i < 1024; i++)
		count[i] = i & 1 ? 32 : 0;
	KUNIT_EXPECT_EQ(test, chi2(count, 1024, 16384), 16384ULL * 100);
	/* Everything in one bin: n (k - 1). */
	memset(count, 0, 1024 * sizeof(u32));
	count[7] = 16384;
	KUNIT_EXPECT_EQ(test, chi2(count, 1024, 16384), 16384ULL * 1023 * 100);
}

/* ---- keying ---- */

#define KEYING_KEYS	1024

/*
 * Two maps of the same hash and key size have different seeds, and
 * place the same keys differently: no key (of 1024) hashes the same, and
 * the bucket index of 2^7 buckets and the tophash are the same for about
 * 1 in 128 and 1 in 256 keys (at most 1 in 16 pass).
 */
static void seeds_give_different_layouts(struct kunit *test)
{
	const struct hash_case *p = test->param_value;
	struct hmap *a = hmap_test_create_hash(test, p->len, 8, 0, p->hash);
	struct hmap *b = hmap_test_create_hash(test, p->len, 8, 0, p->hash);
	u8 *key = hmap_test_buf(test, HASH_MAX_LEN);
	u32 same = 0, same_index = 0, same_top = 0, i;
	u64 ha, hb;

	KUNIT_ASSERT_TRUE_MSG(test, a->seed.key[0] != b->seed.key[0] ||
			      a->seed.key[1] != b->seed.key[1],
			      "two maps with the same seed");
	for (i = 0; i < KEYING_KEYS; i++) {
		pattern_key(key, p->len, PAT_SEQ, i, NULL);
		ha = hmap_hash(a, key);
		hb = hmap_hash(b, key);
		same += ha == hb;
		same_index += (ha & 127) == (hb & 127);
		same_top += hmap_tophash(ha) == hmap_tophash(hb);
	}
	KUNIT_EXPECT_LE_MSG(test, same, 1U,
			    "keys of the same hash under two seeds (of %u)",
			    KEYING_KEYS);
	KUNIT_EXPECT_LE_MSG(test, same_index, KEYING_KEYS / 16,
			    "keys in the same of 128 buckets under two seeds (of %u)",
			    KEYING_KEYS);
	KUNIT_EXPECT_LE_MSG(test, same_top, KEYING_KEYS / 16,
			    "keys of the same tophash under two seeds (of %u)",
			    KEYING_KEYS);
}

/* Every bit of the seed matters: flipping it changes about every hash. */
static void every_seed_bit_changes_the_hashes(struct kunit *test)
{
	const struct hash_case *p = test->param_value;
	u8 *key = hmap_test_buf(test, HASH_MAX_LEN);
	siphash_key_t seed, flipped;
	u32 bit, i, same;
	u64 h[16];

	get_random_bytes(&seed, sizeof(seed));
	for (i = 0; i < ARRAY_SIZE(h); i++) {
		pattern_key(key, p->len, PAT_SEQ, i, NULL);
		h[i] = hash_of(p->hash, key, p->len, &seed);
	}
	for (bit = 0; bit < 128; bit++) {
		flipped = seed;
		flipped.key[bit / 64] ^= 1ULL << (bit % 64);
		same = 0;
		for (i = 0; i < ARRAY_SIZE(h); i++) {
			pattern_key(key, p->len, PAT_SEQ, i, NULL);
			same += hash_of(p->hash, key, p->len, &flipped) == h[i];
		}
		KUNIT_EXPECT_EQ_MSG(test, same, 0U,
				    "seed bit %u flipped: %u of %zu hashes the same",
				    bit, same, ARRAY_SIZE(h));
	}
}

/* The length is part of the hash: the prefixes of one buffer all differ. */
static void prefixes_hash_differently(struct kunit *test)
{
	const u32 *hash = test->param_value;
	u8 *key = hmap_test_buf(test, HASH_MAX_LEN);
	u64 *h = hmap_test_buf(test, (HASH_MAX_LEN + 1) * sizeof(u64));
	siphash_key_t seed;
	u32 len, j;
	int n;

	for (n = 0; n < 4; n++) {
		get_random_bytes(&seed, sizeof(seed));
		/* Zeros (n even) pad a shorter key as they would a word. */
		if (n & 1)
			get_random_bytes(key, HASH_MAX_LEN);
		else
			memset(key, 0, HASH_MAX_LEN);
		for (len = 1; len <= HASH_MAX_LEN; len++) {
			h[len] = hash_of(*hash, key, len, &seed);
			for (j = 1; j < len; j++)
				KUNIT_ASSERT_NE_MSG(test, h[len], h[j],
						    "%s: the first %u and %u bytes hash the same",
						    hmap_test_hash_name(*hash),
						    j, len);
		}
	}
}

static struct kunit_case hmap_hash_cases[] = {
	KUNIT_CASE(reference_siphash_matches_kernel_siphash24),
	KUNIT_CASE(sip_hash_up_to_16_bytes_is_siphash13),
	KUNIT_CASE(sip_hash_above_16_bytes_is_siphash24),
	KUNIT_CASE_PARAM(map_hash_is_its_hash_by_its_seed,
			 hash_case_gen_params),
	KUNIT_CASE(fold_mul_is_the_folded_128bit_product),
	KUNIT_CASE(chi2_bounds_tell_even_from_uneven),
	KUNIT_CASE_PARAM(hash_spreads_keys_evenly, hash_case_gen_params),
	KUNIT_CASE_PARAM(seeds_give_different_layouts, hash_case_gen_params),
	KUNIT_CASE_PARAM(every_seed_bit_changes_the_hashes,
			 hash_case_gen_params),
	KUNIT_CASE_PARAM(prefixes_hash_differently, hash_id_gen_params),
	{}
};

HMAP_TEST_SUITE(hmap_hash, hmap_hash_cases);
