/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: refcount_t warns on increment from zero and on
 * underflow (the kernel saturates; here a warning is a test failure).
 */
#ifndef _SHIM_LINUX_REFCOUNT_H
#define _SHIM_LINUX_REFCOUNT_H

#include <linux/kernel.h>

#include <linux/atomic.h>
#include <linux/bug.h>

typedef struct { atomic_t refs; } refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n) }

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return atomic_read(&r->refs);
}

static inline void refcount_inc(refcount_t *r)
{
	int old = __atomic_fetch_add(&r->refs.counter, 1, __ATOMIC_RELAXED);

	WARN(old <= 0, "refcount_t: increment on %d", old);
}

static inline bool refcount_dec_and_test(refcount_t *r)
{
	int old = __atomic_fetch_sub(&r->refs.counter, 1, __ATOMIC_ACQ_REL);

	WARN(old <= 0, "refcount_t: underflow");
	return old == 1;
}

static inline void refcount_dec(refcount_t *r)
{
	WARN(refcount_dec_and_test(r), "refcount_t: decrement hit 0");
}

#endif
