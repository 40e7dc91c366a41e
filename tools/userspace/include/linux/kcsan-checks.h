/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: KCSAN hints are no-ops. (The seqcount read sections they
 * mark are what tools/userspace/tsan.supp names for ThreadSanitizer.)
 */
#ifndef _SHIM_LINUX_KCSAN_CHECKS_H
#define _SHIM_LINUX_KCSAN_CHECKS_H

#include <linux/kernel.h>

#define KCSAN_SEQLOCK_REGION_MAX	1000

#define kcsan_atomic_next(n)		do { (void)(n); } while (0)
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
