/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: struct mutex is an error-checking pthread mutex that
 * records its owner. Taking it may sleep (might_sleep() checks), taking it
 * twice or releasing it from another thread is a BUG.
 */
#ifndef _SHIM_LINUX_MUTEX_H
#define _SHIM_LINUX_MUTEX_H

#include <linux/kernel.h>

#include <pthread.h>
#include <linux/lockdep.h>
#include <linux/types.h>

struct mutex {
	pthread_mutex_t m;
	unsigned long owner;
};

#ifdef SHIM_BENCH
/*
 * The benchmark build: a default (fast) pthread mutex, inline, no owner
 * and no checks: lock and unlock are one atomic each when uncontended,
 * as the kernel's mutex fast paths are.
 */
#define __MUTEX_INITIALIZER(name)	{ PTHREAD_MUTEX_INITIALIZER, 0 }
#define DEFINE_MUTEX(name)	struct mutex name = __MUTEX_INITIALIZER(name)
#define mutex_init(mx)		pthread_mutex_init(&(mx)->m, NULL)
#define mutex_destroy(mx)	pthread_mutex_destroy(&(mx)->m)
#define mutex_lock(mx)		pthread_mutex_lock(&(mx)->m)
#define mutex_lock_interruptible(mx) ({ pthread_mutex_lock(&(mx)->m); 0; })
#define mutex_lock_killable(mx)	mutex_lock_interruptible(mx)
#define mutex_trylock(mx)	(pthread_mutex_trylock(&(mx)->m) == 0)
#define mutex_unlock(mx)		pthread_mutex_unlock(&(mx)->m)
#define mutex_is_locked(mx)	(__atomic_load_n(&(mx)->m.__data.__lock, __ATOMIC_RELAXED) != 0)
#else
#define __MUTEX_INITIALIZER(name)					\
	{ PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP, 0 }
#define DEFINE_MUTEX(name)	struct mutex name = __MUTEX_INITIALIZER(name)

void shim_mutex_init(struct mutex *m);
void shim_mutex_destroy(struct mutex *m);
void shim_mutex_lock(struct mutex *m, const char *file, int line);
int shim_mutex_trylock(struct mutex *m);
void shim_mutex_unlock(struct mutex *m);

#define mutex_init(m)		shim_mutex_init(m)
#define mutex_destroy(m)	shim_mutex_destroy(m)
#define mutex_lock(m)		shim_mutex_lock(m, __FILE__, __LINE__)
#define mutex_lock_interruptible(m) ({ shim_mutex_lock(m, __FILE__, __LINE__); 0; })
#define mutex_lock_killable(m)	mutex_lock_interruptible(m)
#define mutex_trylock(m)	shim_mutex_trylock(m)
#define mutex_unlock(m)		shim_mutex_unlock(m)
#define mutex_is_locked(m)	(__atomic_load_n(&(m)->owner, __ATOMIC_RELAXED) != 0)
#endif

#endif
