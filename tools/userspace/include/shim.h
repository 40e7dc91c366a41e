/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Control of the userspace shims, for the test programs and the fuzzer.
 * (The core itself only sees the kernel API of include/linux/.)
 */
#ifndef _SHIM_H
#define _SHIM_H

#include <linux/types.h>

/*
 * Manual mode: no background threads. call_rcu() callbacks run in
 * shim_rcu_process() or rcu_barrier(), work items in shim_run_work(), and
 * jiffies move only with shim_advance_jiffies(). Set it before the first
 * call_rcu() or queue_work(); a single-threaded program then behaves the
 * same on every run (with shim_random_seed()).
 */
void shim_set_manual(bool manual);
bool shim_manual(void);

/* WARN_ON() and friends, lockdep and might_sleep() reports so far. */
unsigned long shim_warnings(void);
/* Abort on the first warning (the fuzzer). */
void shim_set_warn_fatal(bool fatal);
/* Print warnings (default) or only count them (tests that expect some). */
void shim_set_warn_quiet(bool quiet);

/*
 * Allocation failure injection, for kmalloc() and friends and per-CPU
 * allocations (not __GFP_NOFAIL). fail_nth(n): the n-th allocation from
 * now fails (1: the next one), then injection stops; 0 turns it off.
 * fail_all: every allocation fails until turned off. fail_random: each
 * fails with probability ppm / 1e6, from a generator seeded with seed.
 */
void shim_alloc_fail_nth(unsigned long n);
void shim_alloc_fail_all(bool on);
void shim_alloc_fail_random(u32 ppm, u64 seed);
void shim_alloc_fail_off(void);
/* Live allocations, allocations made and failures injected so far. */
unsigned long shim_alloc_live(void);
unsigned long shim_alloc_total(void);
unsigned long shim_alloc_failures(void);
u64 shim_alloc_live_bytes(void);

/*
 * RCU. shim_rcu_process(): a grace period, then every callback queued
 * before it (manual mode; in threaded mode it is rcu_barrier()). Returns
 * the callbacks run. shim_rcu_unregister_thread(): the calling thread
 * stops being an RCU reader (done automatically at thread exit).
 */
unsigned long shim_rcu_process(void);
/*
 * shim_rcu_gp_requested(): RCU was asked for a grace period that has not
 * run yet (a callback is queued, or a start_poll_synchronize_rcu() cookie
 * is not done); get_state_synchronize_rcu() asks for none.
 * shim_rcu_process_requested(): shim_rcu_process() if so, as an otherwise
 * idle kernel would run one; returns whether it did.
 */
bool shim_rcu_gp_requested(void);
bool shim_rcu_process_requested(void);
unsigned long shim_rcu_pending(void);
unsigned long shim_rcu_grace_periods(void);
void shim_rcu_unregister_thread(void);

/*
 * Work. shim_run_work(): run the work items that are due (manual mode);
 * returns how many ran. shim_advance_jiffies(): move the manual clock.
 * shim_quiesce(): repeat grace periods and due work until nothing is
 * pending (threaded mode: until the RCU and work threads are idle).
 */
unsigned int shim_run_work(void);
void shim_advance_jiffies(unsigned long n);
void shim_quiesce(void);
unsigned long shim_work_queued(void);

/* The "CPU" of the calling thread, 0..SHIM_NR_CPUS-1. */
void shim_set_cpu(int cpu);

/* Deterministic get_random_bytes() from now on (0: back to getrandom). */
void shim_random_seed(u64 seed);

/* Call every registered shrinker's scan with nr_to_scan = nr. */
unsigned long shim_shrink_all(unsigned long nr);
/* The sum of every registered shrinker's count (SHRINK_EMPTY as 0). */
unsigned long shim_shrink_count(void);
/*
 * The same as reclaim in memory cgroup @memcg (<linux/memcontrol.h>):
 * the memcg-aware shrinkers only, for that cgroup's objects.
 */
struct mem_cgroup;
unsigned long shim_shrink_memcg(struct mem_cgroup *memcg, unsigned long nr);
unsigned long shim_shrink_memcg_count(struct mem_cgroup *memcg);

/*
 * The read hook: @fn runs at every rcu_dereference() and at both edges of
 * every seqcount read section, i.e. between a reader's steps; NULL turns
 * it off. A single-threaded test (manual mode) can make writes there as
 * "another thread" would: between shim_other_thread_begin() and _end(),
 * which set aside the caller's rcu_read_lock() and atomic context for the
 * checks (no grace period can run in manual mode meanwhile anyway).
 */
void shim_set_read_hook(void (*fn)(void));
void shim_other_thread_begin(void);
void shim_other_thread_end(void);

/*
 * The array hook: @fn runs at the start of every kvcalloc() (how the core
 * allocates bucket arrays), with the bytes asked for, but not within its
 * own run; NULL turns it off. A test makes writes there as another thread
 * would while a writer that dropped its lock to allocate waits.
 */
void shim_set_array_hook(void (*fn)(size_t bytes));

/* Stop the shim's threads (after shim_quiesce()). */
void shim_shutdown(void);

#endif
