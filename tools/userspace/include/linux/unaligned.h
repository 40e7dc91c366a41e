/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: unaligned access through a packed one-member struct. */
#ifndef _SHIM_LINUX_UNALIGNED_H
#define _SHIM_LINUX_UNALIGNED_H

#include <linux/kernel.h>

#include <linux/types.h>

#define get_unaligned(ptr) ({						\
	const struct { __typeof__(*(ptr)) v; } __packed *__gu =		\
		(const void *)(ptr);					\
	__gu->v; })

#define put_unaligned(val, ptr) do {					\
	struct { __typeof__(*(ptr)) v; } __packed *__pu = (void *)(ptr);	\
	__pu->v = (val);						\
} while (0)

static inline u32 get_unaligned_le32(const void *p)
{
	const u8 *b = p;

	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

static inline u64 get_unaligned_le64(const void *p)
{
	return get_unaligned_le32(p) | (u64)get_unaligned_le32((const u8 *)p + 4) << 32;
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	u8 *b = p;
	int i;

	for (i = 0; i < 4; i++)
		b[i] = v >> (8 * i);
}

static inline void put_unaligned_le64(u64 v, void *p)
{
	u8 *b = p;
	int i;

	for (i = 0; i < 8; i++)
		b[i] = v >> (8 * i);
}

#endif
