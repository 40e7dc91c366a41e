/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: RCU on liburcu's urcu-memb flavour (see
 * tools/userspace/README.md for why that one).
 *
 * rcu_read_lock()/rcu_read_unlock() are liburcu's read-side markers; the
 * calling thread is registered with liburcu on its first rcu_read_lock()
 * and unregistered when it exits. synchronize_rcu() is liburcu's, and also
 * counts grace periods for get_state_synchronize_rcu() and
 * poll_state_synchronize_rcu() (liburcu 0.13 has no polling API).
 * call_rcu() callbacks run on the shim's RCU thread after a grace period,
 * or, in manual mode (shim_set_manual(true)), when the test calls
 * shim_rcu_process() or rcu_barrier().
 *
 * As PROVE_RCU does, rcu_dereference() warns outside rcu_read_lock() and
 * rcu_dereference_protected() warns when its condition (a lockdep check)
 * is false; synchronize_rcu() warns inside a read-side section.
 */
#ifndef _SHIM_LINUX_RCUPDATE_H
#define _SHIM_LINUX_RCUPDATE_H

#include <linux/kernel.h>

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>
#include <linux/types.h>
#include <shim/ctx.h>

typedef void (*rcu_callback_t)(struct rcu_head *head);

#ifdef SHIM_BENCH
/*
 * The benchmark build (tools/bench/native): the read side is liburcu's
 * inline fast path (urcu-memb: a thread-local nesting count and compiler
 * barriers; sys_membarrier on the writer side), so a lookup pays what a
 * liburcu reader pays and none of the checks below. Every thread that
 * reads must have registered (shim_bench_thread_enter(), <shim/bench.h>);
 * nothing registers on its own. The writer side is the shim's (rcu.c),
 * on urcu_memb_synchronize_rcu().
 */
#ifndef _LGPL_SOURCE
#define _LGPL_SOURCE
#endif
#include <urcu/static/urcu-memb.h>

static inline void rcu_read_lock(void)
{
	_urcu_memb_read_lock();
}

static inline void rcu_read_unlock(void)
{
	_urcu_memb_read_unlock();
}

#define rcu_read_lock_held()		_urcu_memb_read_ongoing()
#define RCU_LOCKDEP_WARN(c, msg)	do { } while (0)
#define __shim_read_hook()		do { } while (0)
/* A plain load on x86, as the kernel's READ_ONCE() */
#define rcu_dereference_check(p, c)	__atomic_load_n(&(p), __ATOMIC_CONSUME)
#define rcu_dereference_protected(p, c)	__atomic_load_n(&(p), __ATOMIC_RELAXED)
#else
void rcu_read_lock(void);
void rcu_read_unlock(void);
#define rcu_read_lock_held()		(shim_rcu_depth > 0)
#endif
void synchronize_rcu(void);
void call_rcu(struct rcu_head *head, rcu_callback_t func);
/* No lazy callbacks here: every one is as hurried as the kernel's _hurry. */
#define call_rcu_hurry(head, func)	call_rcu(head, func)
void rcu_barrier(void);
void shim_kfree_rcu(void *ptr, size_t offset);
unsigned long get_state_synchronize_rcu(void);
unsigned long start_poll_synchronize_rcu(void);
bool poll_state_synchronize_rcu(unsigned long cookie);
void cond_synchronize_rcu(unsigned long cookie);

#define rcu_read_lock_bh()		rcu_read_lock()
#define rcu_read_unlock_bh()		rcu_read_unlock()
#define rcu_read_lock_sched()		rcu_read_lock()
#define rcu_read_unlock_sched()		rcu_read_unlock()
#define synchronize_rcu_expedited()	synchronize_rcu()
#define get_completed_synchronize_rcu()	0UL
#define init_rcu_head(h)		do { } while (0)
#define destroy_rcu_head(h)		do { } while (0)

#ifndef SHIM_BENCH
#define RCU_LOCKDEP_WARN(c, msg) do {					\
	if (unlikely(c))						\
		shim_lockdep_warn(__FILE__, __LINE__, msg);		\
} while (0)

/*
 * The read hook (shim_set_read_hook() in <shim.h>): a test's function run
 * at every rcu_dereference() and at the start and end of every seqcount
 * read section (kcsan_atomic_next()), so that a single-threaded test can
 * make "another thread's" writes at exactly the points where a reader
 * steps. NULL (the default) costs a load and a branch.
 */
extern void (*shim_read_hook)(void);
#define __shim_read_hook()	do {					\
	if (unlikely(shim_read_hook))					\
		shim_read_hook();					\
} while (0)

#define rcu_dereference_check(p, c) ({					\
	RCU_LOCKDEP_WARN(!((c) || rcu_read_lock_held()),		\
			 "suspicious rcu_dereference_check() usage");	\
	__shim_read_hook();						\
	__atomic_load_n(&(p), __ATOMIC_ACQUIRE); })
#endif
#define rcu_dereference(p)		rcu_dereference_check(p, 0)
#define rcu_dereference_bh(p)		rcu_dereference_check(p, 0)
#define rcu_dereference_sched(p)	rcu_dereference_check(p, 0)
#define rcu_dereference_raw(p)		__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#ifndef SHIM_BENCH
#define rcu_dereference_protected(p, c) ({				\
	RCU_LOCKDEP_WARN(!(c),						\
			 "suspicious rcu_dereference_protected() usage");\
	__atomic_load_n(&(p), __ATOMIC_RELAXED); })
#endif
#define rcu_access_pointer(p)		__atomic_load_n(&(p), __ATOMIC_RELAXED)
#define rcu_assign_pointer(p, v)					\
	__atomic_store_n(&(p), (__typeof__(p))(v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v)						\
	__atomic_store_n(&(p), (__typeof__(p))(v), __ATOMIC_RELAXED)
#define rcu_replace_pointer(p, v, c) ({					\
	__typeof__(p) __rp_old = rcu_dereference_protected(p, c);	\
	rcu_assign_pointer(p, v);					\
	__rp_old; })

#define kfree_rcu(ptr, rhf)						\
	shim_kfree_rcu((void *)(ptr), offsetof(__typeof__(*(ptr)), rhf))

#endif
