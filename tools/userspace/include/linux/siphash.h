/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: SipHash-2-4 (Aumasson and Bernstein) with the kernel's
 * interface: a 128-bit key of two u64 words (k0, k1) and siphash() over
 * bytes. Implemented in tools/userspace/shim/siphash.c.
 */
#ifndef _SHIM_LINUX_SIPHASH_H
#define _SHIM_LINUX_SIPHASH_H

#include <linux/kernel.h>

#include <linux/bitops.h>
#include <linux/types.h>

#define SIPHASH_ALIGNMENT	__alignof__(u64)

/* The initialization constants ("somepseudorandomlygeneratedbytes"). */
#define SIPHASH_CONST_0		0x736f6d6570736575ULL
#define SIPHASH_CONST_1		0x646f72616e646f6dULL
#define SIPHASH_CONST_2		0x6c7967656e657261ULL
#define SIPHASH_CONST_3		0x7465646279746573ULL

/* One SipRound on the state (v0, v1, v2, v3), as an expression. */
#define SIPHASH_PERMUTATION(v0, v1, v2, v3) (				\
	(v0) += (v1), (v1) = rol64((v1), 13), (v1) ^= (v0),		\
	(v0) = rol64((v0), 32),						\
	(v2) += (v3), (v3) = rol64((v3), 16), (v3) ^= (v2),		\
	(v0) += (v3), (v3) = rol64((v3), 21), (v3) ^= (v0),		\
	(v2) += (v1), (v1) = rol64((v1), 17), (v1) ^= (v2),		\
	(v2) = rol64((v2), 32))


typedef struct {
	u64 key[2];
} siphash_key_t;

u64 siphash(const void *data, size_t len, const siphash_key_t *key);

static inline bool siphash_key_is_zero(const siphash_key_t *key)
{
	return !(key->key[0] | key->key[1]);
}

#endif
