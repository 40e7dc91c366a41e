/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: KCSAN hints are no-ops, but for the read hook (see
 * linux/rcupdate.h). The seqcount read sections kcsan_atomic_next() marks
 * are what tools/userspace/tsan.supp names for ThreadSanitizer.
 */
#ifndef _SHIM_LINUX_KCSAN_CHECKS_H
#define _SHIM_LINUX_KCSAN_CHECKS_H

#include <linux/kernel.h>

#define KCSAN_SEQLOCK_REGION_MAX	1000

/* A seqcount read section's edges are reader steps for the read hook. */
#ifdef SHIM_BENCH
/* The benchmark build: no read hook. */
#define kcsan_atomic_next(n)	do { (void)(n); } while (0)
#else
extern void (*shim_read_hook)(void);
#define kcsan_atomic_next(n)	do {					\
	(void)(n);							\
	if (__builtin_expect(shim_read_hook != 0, 0))			\
		shim_read_hook();					\
} while (0)
#endif
#define kcsan_nestable_atomic_begin()	do { } while (0)
#define kcsan_nestable_atomic_end()	do { } while (0)
#define kcsan_flat_atomic_begin()	do { } while (0)
#define kcsan_flat_atomic_end()		do { } while (0)
#define kcsan_set_access_mask(m)	do { (void)(m); } while (0)
#define kcsan_check_read(p, n)		do { (void)(p); (void)(n); } while (0)
#define kcsan_check_write(p, n)		do { (void)(p); (void)(n); } while (0)
#define ASSERT_EXCLUSIVE_WRITER(var)	do { } while (0)
#define ASSERT_EXCLUSIVE_ACCESS(var)	do { } while (0)

#endif
