/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a percpu_counter is one 64-bit atomic. Reads are exact
 * here, where the kernel's percpu_counter_read() may be off by up to the
 * batch times the CPUs: callers must not rely on more than the kernel's.
 */
#ifndef _SHIM_LINUX_PERCPU_COUNTER_H
#define _SHIM_LINUX_PERCPU_COUNTER_H

#include <linux/kernel.h>

#include <linux/gfp.h>
#include <linux/types.h>

struct percpu_counter {
	s64 count;
};

/* The kernel's is max(32, 2 * CPUs): how far each CPU's part may drift. */
#define percpu_counter_batch	32

static inline int percpu_counter_init(struct percpu_counter *fbc, s64 amount,
				      gfp_t gfp)
{
	fbc->count = amount;
	return 0;
}

static inline void percpu_counter_destroy(struct percpu_counter *fbc)
{
}

static inline void percpu_counter_add(struct percpu_counter *fbc, s64 amount)
{
	__atomic_fetch_add(&fbc->count, amount, __ATOMIC_RELAXED);
}

static inline void percpu_counter_sub(struct percpu_counter *fbc, s64 amount)
{
	percpu_counter_add(fbc, -amount);
}

#define percpu_counter_inc(fbc)	percpu_counter_add(fbc, 1)
#define percpu_counter_dec(fbc)	percpu_counter_add(fbc, -1)

static inline s64 percpu_counter_read(struct percpu_counter *fbc)
{
	return __atomic_load_n(&fbc->count, __ATOMIC_RELAXED);
}

static inline s64 percpu_counter_read_positive(struct percpu_counter *fbc)
{
	s64 n = percpu_counter_read(fbc);

	return n > 0 ? n : 0;
}

#define percpu_counter_sum(fbc)			percpu_counter_read(fbc)
#define percpu_counter_sum_positive(fbc)	percpu_counter_read_positive(fbc)

#endif
