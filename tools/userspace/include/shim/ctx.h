/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the per-thread execution context the kernel would track
 * (preempt count, RCU nesting), so that might_sleep() and rcu_dereference()
 * can check what DEBUG_ATOMIC_SLEEP and PROVE_RCU check in the kernel.
 */
#ifndef _SHIM_CTX_H
#define _SHIM_CTX_H

/* Spinlocks, local_irq_save(), preempt_disable() and get_cpu_ptr() held. */
extern __thread int shim_atomic_depth;
/*
 * The part of it that stays atomic on PREEMPT_RT: preempt_disable() (and
 * get_cpu_ptr()), local_irq_save()/disable() and raw spinlocks, but not a
 * spinlock_t, which sleeps there and whose _irqsave leaves interrupts on.
 * Taking a spinlock_t or calling slab inside it is a bug on RT (see
 * Documentation/locking/locktypes.rst), which the shim reports on any
 * kernel, as PROVE_RAW_LOCK_NESTING does for lock nesting.
 */
extern __thread int shim_rt_atomic_depth;
/* rcu_read_lock() nesting. */
extern __thread int shim_rcu_depth;
/* Anything unique per thread: its address identifies a lock's owner. */
extern __thread char shim_thread_marker;

static inline unsigned long shim_self(void)
{
	return (unsigned long)&shim_thread_marker;
}

void shim_might_sleep(const char *file, int line);
/* Warns inside shim_rt_atomic_depth: @what is not allowed there on RT. */
void shim_rt_check(const char *file, int line, const char *what);
void shim_lockdep_warn(const char *file, int line, const char *what);

#endif
