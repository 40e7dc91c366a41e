/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: bit searches and counts on the compiler's builtins. */
#ifndef _SHIM_LINUX_BITOPS_H
#define _SHIM_LINUX_BITOPS_H

#include <linux/bits.h>
#include <linux/types.h>

/* __ffs()/__fls(): bit number of the lowest/highest set bit; undefined for 0. */
static inline unsigned long __ffs(unsigned long w)
{
	return __builtin_ctzl(w);
}

static inline unsigned long __fls(unsigned long w)
{
	return 63 - __builtin_clzl(w);
}

static inline unsigned int __ffs64(u64 w)
{
	return __builtin_ctzll(w);
}

/* fls(): 1-based, 0 for 0. (ffs() is the C library's, <strings.h>.) */
static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

#define hweight8(w)	__builtin_popcount((u8)(w))
#define hweight16(w)	__builtin_popcount((u16)(w))
#define hweight32(w)	__builtin_popcount((u32)(w))
#define hweight64(w)	__builtin_popcountll((u64)(w))
#define hweight_long(w)	__builtin_popcountl((unsigned long)(w))

static inline u64 rol64(u64 w, unsigned int s)
{
	return (w << (s & 63)) | (w >> ((-s) & 63));
}

static inline u32 rol32(u32 w, unsigned int s)
{
	return (w << (s & 31)) | (w >> ((-s) & 31));
}

#endif
