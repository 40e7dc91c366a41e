/* SPDX-License-Identifier: GPL-2.0 */
/* Shared state of the shim implementation files. */
#ifndef _SHIM_INTERNAL_H
#define _SHIM_INTERNAL_H

#include <pthread.h>
#include <linux/types.h>

extern bool shim_is_manual;

/* Grace periods of synchronize_rcu() (rcu.c), for the workqueue thread. */
void shim_rcu_thread_start(void);
void shim_work_thread_stop(void);
void shim_rcu_thread_stop(void);
bool shim_work_idle(void);
bool shim_rcu_idle(void);
/*
 * Stops the RCU or work thread: under @lock sets *@stop and wakes it,
 * joins it, then clears *@on (nothing if *@on is false).
 */
void shim_thread_stop(pthread_mutex_t *lock, pthread_cond_t *wake,
		      pthread_t *thread, bool *on, bool *stop);

/* A small deterministic generator (splitmix64). */
static inline u64 shim_splitmix64(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif
