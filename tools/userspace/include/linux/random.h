/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: get_random_bytes() is getrandom(2), or after
 * shim_random_seed() a deterministic generator (the fuzzer: one input,
 * one behaviour).
 */
#ifndef _SHIM_LINUX_RANDOM_H
#define _SHIM_LINUX_RANDOM_H

#include <linux/kernel.h>

#include <linux/types.h>

void get_random_bytes(void *buf, size_t len);
u32 get_random_u32(void);
u64 get_random_u64(void);

static inline u32 get_random_u32_below(u32 ceil)
{
	return (u32)(((u64)get_random_u32() * ceil) >> 32);
}

#endif
