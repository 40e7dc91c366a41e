/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: HZ is 1000. jiffies follow CLOCK_MONOTONIC, or in manual
 * mode a clock only shim_advance_jiffies() moves. Both start 5 minutes
 * before the counter wraps, as the kernel's INITIAL_JIFFIES does, so that
 * comparisons without time_before() show up.
 */
#ifndef _SHIM_LINUX_JIFFIES_H
#define _SHIM_LINUX_JIFFIES_H

#include <linux/kernel.h>

#include <linux/types.h>

#define HZ			1000
#define INITIAL_JIFFIES		((unsigned long)(unsigned int)(-300 * HZ))

#ifdef SHIM_BENCH
/*
 * The benchmark build: a variable, as the kernel's, that a ticker thread
 * (tools/bench/native/shim_bench.c) advances every millisecond.
 */
extern unsigned long shim_bench_jiffies;
#define jiffies			__atomic_load_n(&shim_bench_jiffies, __ATOMIC_RELAXED)
#else
unsigned long shim_jiffies(void);
#define jiffies			shim_jiffies()
#endif

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)
#define msecs_to_jiffies(m)	((unsigned long)(m))
#define jiffies_to_msecs(j)	((unsigned int)(j))
#define usecs_to_jiffies(u)	((unsigned long)(((u) + 999) / 1000))

#endif
