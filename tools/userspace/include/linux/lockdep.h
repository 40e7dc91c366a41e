/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: locks record their owner, so lockdep_is_held() is a
 * real check (rcu_dereference_protected() and lockdep_assert_held() warn
 * when the lock is not held by the calling thread). No lock ordering.
 */
#ifndef _SHIM_LINUX_LOCKDEP_H
#define _SHIM_LINUX_LOCKDEP_H

#include <linux/kernel.h>

#include <shim/ctx.h>

struct lock_class_key {
	char unused;
};

#ifdef SHIM_BENCH
/* The benchmark build: no lock ownership, no checks (as !CONFIG_LOCKDEP). */
#define lockdep_is_held(lock)		((void)(lock), 1)
#define lockdep_assert_held(lock)	do { (void)(lock); } while (0)
#define lockdep_assert_not_held(lock)	do { (void)(lock); } while (0)
#else
#define lockdep_is_held(lock)						\
	(__atomic_load_n(&(lock)->owner, __ATOMIC_RELAXED) == shim_self())
#define lockdep_assert_held(lock) do {					\
	if (!lockdep_is_held(lock))					\
		shim_lockdep_warn(__FILE__, __LINE__,			\
				  "lockdep_assert_held(" #lock ")");	\
} while (0)
#define lockdep_assert_not_held(lock) do {				\
	if (lockdep_is_held(lock))					\
		shim_lockdep_warn(__FILE__, __LINE__,			\
				  "lockdep_assert_not_held(" #lock ")");\
} while (0)
#endif
#define lockdep_set_class(lock, key)	do { } while (0)
#define lockdep_assert_irqs_disabled()	do { } while (0)

#endif
