// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: SipHash-2-4, written from the algorithm's description in
 * "SipHash: a fast short-input PRF" (Aumasson, Bernstein, 2012), with the
 * kernel's siphash() interface (the core uses nothing else). The hmap_hash
 * suite checks it against an independent SipHash-c-d, hmap_shims against
 * the paper's test vector.
 */
#include <string.h>

#include <linux/siphash.h>
#include <linux/unaligned.h>

struct sip_state {
	u64 v0, v1, v2, v3;
};

static inline u64 rotl64(u64 x, int b)
{
	return (x << b) | (x >> (64 - b));
}

static inline void sip_round(struct sip_state *s)
{
	s->v0 += s->v1;
	s->v1 = rotl64(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = rotl64(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl64(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = rotl64(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = rotl64(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = rotl64(s->v2, 32);
}

static inline void sip_init(struct sip_state *s, const siphash_key_t *key)
{
	s->v0 = key->key[0] ^ SIPHASH_CONST_0;
	s->v1 = key->key[1] ^ SIPHASH_CONST_1;
	s->v2 = key->key[0] ^ SIPHASH_CONST_2;
	s->v3 = key->key[1] ^ SIPHASH_CONST_3;
}

/* c = 2 compression rounds per message word. */
static inline void sip_word(struct sip_state *s, u64 m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

/* The last word (length byte on top), then d = 4 finalization rounds. */
static inline u64 sip_final(struct sip_state *s, u64 last)
{
	sip_word(s, last);
	s->v2 ^= 0xff;
	sip_round(s);
	sip_round(s);
	sip_round(s);
	sip_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

u64 siphash(const void *data, size_t len, const siphash_key_t *key)
{
	const u8 *p = data, *end = p + (len & ~(size_t)7);
	struct sip_state s;
	u64 last = (u64)len << 56;
	size_t i;

	sip_init(&s, key);
	for (; p < end; p += 8)
		sip_word(&s, get_unaligned_le64(p));
	for (i = 0; i < (len & 7); i++)
		last |= (u64)p[i] << (8 * i);
	return sip_final(&s, last);
}
