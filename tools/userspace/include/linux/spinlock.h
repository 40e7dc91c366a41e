/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: spinlock_t is an error-checking pthread mutex (it has a
 * static initializer for DEFINE_SPINLOCK, and ThreadSanitizer knows it).
 * Holding one makes the thread atomic for might_sleep().
 */
#ifndef _SHIM_LINUX_SPINLOCK_H
#define _SHIM_LINUX_SPINLOCK_H

#include <linux/kernel.h>

#include <pthread.h>
#include <linux/irqflags.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>
#include <linux/types.h>

typedef struct spinlock {
	pthread_mutex_t m;
	unsigned long owner;
} spinlock_t;

#ifdef SHIM_BENCH
/*
 * The benchmark build: a default (fast) pthread mutex, inline, no owner,
 * no checks (one atomic to lock, one to unlock when uncontended; the
 * kernel's spin_unlock() is a plain store).
 */
#define __SPIN_LOCK_UNLOCKED(name)	{ PTHREAD_MUTEX_INITIALIZER, 0 }
#define DEFINE_SPINLOCK(name)	spinlock_t name = __SPIN_LOCK_UNLOCKED(name)
#define spin_lock_init(l)	pthread_mutex_init(&(l)->m, NULL)
#define shim_spin_lock(l)	pthread_mutex_lock(&(l)->m)
#define shim_spin_unlock(l)	pthread_mutex_unlock(&(l)->m)
#define spin_trylock(l)		(pthread_mutex_trylock(&(l)->m) == 0)
#define spin_lock(l)		shim_spin_lock(l)
#define spin_unlock(l)		shim_spin_unlock(l)
#else
#define __SPIN_LOCK_UNLOCKED(name)					\
	{ PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP, 0 }
#define DEFINE_SPINLOCK(name)	spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

void shim_spin_lock_init(spinlock_t *l);
void shim_spin_lock(spinlock_t *l);
void shim_spin_unlock(spinlock_t *l);
int shim_spin_trylock(spinlock_t *l);

#define spin_lock_init(l)		shim_spin_lock_init(l)
#define spin_lock(l)			shim_spin_lock(l)
#define spin_unlock(l)			shim_spin_unlock(l)
#define spin_trylock(l)			shim_spin_trylock(l)
#endif
#define spin_lock_bh(l)			shim_spin_lock(l)
#define spin_unlock_bh(l)		shim_spin_unlock(l)
#define spin_lock_irq(l)		shim_spin_lock(l)
#define spin_unlock_irq(l)		shim_spin_unlock(l)
#define spin_lock_irqsave(l, f)		do { local_irq_save(f); shim_spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f)	do { shim_spin_unlock(l); local_irq_restore(f); } while (0)
#define assert_spin_locked(l)		lockdep_assert_held(l)

/* Userspace has no PREEMPT_RT: a raw spinlock is a spinlock. */
typedef spinlock_t raw_spinlock_t;
#define DEFINE_RAW_SPINLOCK(name)	DEFINE_SPINLOCK(name)
#define raw_spin_lock_init(l)		spin_lock_init(l)
#define raw_spin_lock(l)		spin_lock(l)
#define raw_spin_unlock(l)		spin_unlock(l)
#define raw_spin_trylock(l)		spin_trylock(l)
#define raw_spin_lock_irqsave(l, f)	spin_lock_irqsave(l, f)
#define raw_spin_unlock_irqrestore(l, f) spin_unlock_irqrestore(l, f)

#endif
