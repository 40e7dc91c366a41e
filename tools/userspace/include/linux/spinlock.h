/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: spinlock_t (and raw_spinlock_t, below) is an
 * error-checking pthread mutex (it has a static initializer for
 * DEFINE_SPINLOCK, and ThreadSanitizer knows it). Holding one makes the
 * thread atomic for might_sleep().
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

/*
 * raw_spinlock_t: the same lock, but a type of its own, so that passing
 * one kind of lock to the other's functions does not compile, as in the
 * kernel; and a section that stays atomic on PREEMPT_RT, where a
 * spinlock_t sleeps (shim_rt_atomic_depth, <shim/ctx.h>).
 */
typedef struct raw_spinlock {
	pthread_mutex_t m;
	unsigned long owner;
} raw_spinlock_t;

static inline spinlock_t *shim_raw_lock(raw_spinlock_t *l)
{
	return (spinlock_t *)l;	/* the same members, in the same order */
}

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
#define spin_lock_irqsave(l, f)		do { local_irq_save(f); shim_spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f)	do { shim_spin_unlock(l); local_irq_restore(f); } while (0)
#define raw_spin_lock(l)		shim_spin_lock(shim_raw_lock(l))
#define raw_spin_unlock(l)		shim_spin_unlock(shim_raw_lock(l))
#define raw_spin_trylock(l)		spin_trylock(shim_raw_lock(l))
#else
#define __SPIN_LOCK_UNLOCKED(name)					\
	{ PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP, 0 }
#define DEFINE_SPINLOCK(name)	spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

/* A spinlock_t inside shim_rt_atomic_depth warns: it sleeps on RT. */
void shim_spin_lock_init(spinlock_t *l);
void shim_spin_lock(spinlock_t *l);
void shim_spin_unlock(spinlock_t *l);
int shim_spin_trylock(spinlock_t *l);
void shim_raw_spin_lock(raw_spinlock_t *l);
void shim_raw_spin_unlock(raw_spinlock_t *l);
int shim_raw_spin_trylock(raw_spinlock_t *l);

#define spin_lock_init(l)		shim_spin_lock_init(l)
#define spin_lock(l)			shim_spin_lock(l)
#define spin_unlock(l)			shim_spin_unlock(l)
#define spin_trylock(l)			shim_spin_trylock(l)
/* On RT, a spinlock_t's _irqsave leaves interrupts on: atomic only off RT. */
#define spin_lock_irqsave(l, f) do {					\
	unsigned long *__slf = &(f);	/* typecheck */			\
	shim_spin_lock(l);						\
	*__slf = 0;							\
	shim_atomic_depth++;						\
} while (0)
#define spin_unlock_irqrestore(l, f) do {				\
	(void)(f);							\
	shim_atomic_depth--;						\
	shim_spin_unlock(l);						\
} while (0)
#define raw_spin_lock(l)		shim_raw_spin_lock(l)
#define raw_spin_unlock(l)		shim_raw_spin_unlock(l)
#define raw_spin_trylock(l)		shim_raw_spin_trylock(l)
#endif
#define spin_lock_bh(l)			shim_spin_lock(l)
#define spin_unlock_bh(l)		shim_spin_unlock(l)
#define spin_lock_irq(l)		shim_spin_lock(l)
#define spin_unlock_irq(l)		shim_spin_unlock(l)
#define assert_spin_locked(l)		lockdep_assert_held(l)

#define DEFINE_RAW_SPINLOCK(name)	raw_spinlock_t name = __SPIN_LOCK_UNLOCKED(name)
#define raw_spin_lock_init(l)		spin_lock_init(shim_raw_lock(l))
#define raw_spin_lock_irqsave(l, f)	do { local_irq_save(f); raw_spin_lock(l); } while (0)
#define raw_spin_unlock_irqrestore(l, f) do { raw_spin_unlock(l); local_irq_restore(f); } while (0)
#define raw_spin_lock_irq(l)		do { local_irq_disable(); raw_spin_lock(l); } while (0)
#define raw_spin_unlock_irq(l)		do { raw_spin_unlock(l); local_irq_enable(); } while (0)

#endif
