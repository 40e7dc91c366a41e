/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: SipHash-2-4 (Aumasson and Bernstein) with the kernel's
 * interface: a 128-bit key of two u64 words (k0, k1), siphash() over
 * bytes, and siphash_1u32()/siphash_1u64() equal to siphash() over the
 * word's little-endian bytes. Implemented in tools/userspace/shim/siphash.c.
 */
#ifndef _SHIM_LINUX_SIPHASH_H
#define _SHIM_LINUX_SIPHASH_H

#include <linux/kernel.h>

#include <linux/types.h>

#define SIPHASH_ALIGNMENT	__alignof__(u64)

typedef struct {
	u64 key[2];
} siphash_key_t;

u64 siphash(const void *data, size_t len, const siphash_key_t *key);
u64 siphash_1u64(u64 a, const siphash_key_t *key);
u64 siphash_2u64(u64 a, u64 b, const siphash_key_t *key);
u64 siphash_1u32(u32 a, const siphash_key_t *key);
u64 siphash_2u32(u32 a, u32 b, const siphash_key_t *key);

static inline bool siphash_key_is_zero(const siphash_key_t *key)
{
	return !(key->key[0] | key->key[1]);
}

#endif
