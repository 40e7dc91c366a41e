/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: min()/max() insist on one type, as the kernel's do. */
#ifndef _SHIM_LINUX_MINMAX_H
#define _SHIM_LINUX_MINMAX_H

#include <linux/compiler.h>

#define __shim_cmp(op, x, y) ({						\
	__typeof__(x) __x = (x);					\
	__typeof__(y) __y = (y);					\
	(void)(&__x == &__y);	/* warns on differing types */		\
	__x op __y ? __x : __y; })

#define min(x, y)		__shim_cmp(<, x, y)
#define max(x, y)		__shim_cmp(>, x, y)
#define min_t(t, x, y)		__shim_cmp(<, (t)(x), (t)(y))
#define max_t(t, x, y)		__shim_cmp(>, (t)(x), (t)(y))
#define min3(x, y, z)		min(min(x, y), z)
#define max3(x, y, z)		max(max(x, y), z)
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define clamp_t(t, v, lo, hi)	min_t(t, max_t(t, v, lo), hi)
#define swap(a, b) do {							\
	__typeof__(a) __s = (a); (a) = (b); (b) = __s; } while (0)

#endif
