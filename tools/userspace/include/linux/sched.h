/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: might_sleep() warns in atomic context or inside
 * rcu_read_lock(), as CONFIG_DEBUG_ATOMIC_SLEEP does. Tasks: every thread
 * is one (`current`); kthreads are <linux/kthread.h>'s.
 */
#ifndef _SHIM_LINUX_SCHED_H
#define _SHIM_LINUX_SCHED_H

#include <shim/ctx.h>

#ifdef SHIM_BENCH
/* The benchmark build (see <shim/bench.h>): no checks. */
#define might_sleep()		do { } while (0)
#define might_sleep_if(c)	do { (void)(c); } while (0)
#define cond_resched()		({ 0; })
#else
#define might_sleep()		shim_might_sleep(__FILE__, __LINE__)
#define might_sleep_if(c)	do { if (c) might_sleep(); } while (0)
#define cond_resched()		({ might_sleep(); 0; })
#endif
#define need_resched()		0
#define in_task()		(!shim_atomic_depth)
#define in_interrupt()		0
#define in_atomic()		(shim_atomic_depth != 0)

struct task_struct;
struct cpumask;

struct task_struct *shim_current(void);
#define current			shim_current()
int wake_up_process(struct task_struct *task);
/* Moves the task to the first CPU of @mask (its next per-CPU access). */
int set_cpus_allowed_ptr(struct task_struct *task, const struct cpumask *mask);

#endif
