/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark build of the shims (-DSHIM_BENCH; only tools/bench/native
 * builds it): the core measured as the kernel runs it, without the test
 * shims' checks.
 *
 *  - rcu_read_lock()/rcu_read_unlock() are liburcu-memb's inline fast path
 *    (<linux/rcupdate.h>); every thread that reads registers itself with
 *    shim_bench_thread_enter() (the shim's own RCU and work threads do so
 *    on their own);
 *  - this_cpu_*() are plain read-modify-writes of the calling thread's
 *    copy: shim_bench_thread_enter(cpu) gives each benchmark thread a CPU
 *    of its own (the shim's RCU and work threads take the last two);
 *  - no lockdep ownership, might_sleep(), atomic-context or read-hook
 *    checks; mutexes and spinlocks are default pthread mutexes, inline;
 *    local_irq_save() and preempt_disable() are compiler barriers;
 *  - jiffies is a variable a ticker thread advances every millisecond
 *    (tools/bench/native/shim_bench.c, which defines what this declares).
 */
#ifndef _SHIM_BENCH_H
#define _SHIM_BENCH_H

#include <linux/percpu.h>

#ifndef SHIM_BENCH
#error "<shim/bench.h> is the benchmark build's (-DSHIM_BENCH)"
#endif

/* The calling thread reads under RCU and counts per CPU as @cpu. */
void shim_bench_thread_enter(int cpu);
/* It stops being an RCU reader. */
void shim_bench_thread_leave(void);

/* The CPU of the shim's work thread and RCU thread. */
#define SHIM_BENCH_CPU_WORK	(SHIM_NR_CPUS - 1)
#define SHIM_BENCH_CPU_RCU	(SHIM_NR_CPUS - 2)

#endif
