/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_LOG2_H
#define _SHIM_LINUX_LOG2_H

#include <linux/kernel.h>

#include <linux/types.h>

#define ilog2(n)	((int)(sizeof(n) <= 4 ?				\
			 31 - __builtin_clz((unsigned int)(n)) :	\
			 63 - __builtin_clzll((unsigned long long)(n))))
#define is_power_of_2(n)	((n) != 0 && (((n) & ((n) - 1)) == 0))

static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}

static inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (63 - __builtin_clzl(n));
}

static inline int order_base_2(unsigned long n)
{
	return n <= 1 ? 0 : 64 - __builtin_clzl(n - 1);
}

#endif
