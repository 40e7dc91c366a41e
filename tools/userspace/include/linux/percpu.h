/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: SHIM_NR_CPUS possible CPUs. A per-CPU allocation is one
 * block holding a copy per CPU, SHIM_PCPU_STRIDE bytes apart (the same
 * distance for every allocation, as the kernel's per-CPU offsets are, so
 * this_cpu_*() can find a copy from the address alone). A thread's "CPU"
 * is an index it gets at its first per-CPU access (round robin), or the
 * one shim_set_cpu() gives it. this_cpu_*() operations are relaxed atomic
 * RMWs, since two threads may share an index.
 */
#ifndef _SHIM_LINUX_PERCPU_H
#define _SHIM_LINUX_PERCPU_H

#include <linux/kernel.h>

#include <linux/gfp.h>
#include <linux/preempt.h>
#include <linux/types.h>

#ifndef SHIM_NR_CPUS
#define SHIM_NR_CPUS		4
#endif
#define SHIM_PCPU_STRIDE	2048

extern __thread int shim_cpu;
int shim_cpu_assign(void);

static inline int shim_cpu_id(void)
{
	int c = shim_cpu;

	return c >= 0 ? c : shim_cpu_assign();
}

void *shim_alloc_percpu(size_t size, gfp_t gfp, const char *file, int line);
void shim_free_percpu(void *p);

#define alloc_percpu_gfp(type, gfp)					\
	((type __percpu *)shim_alloc_percpu(sizeof(type), gfp, __FILE__, __LINE__))
#define alloc_percpu(type)	alloc_percpu_gfp(type, GFP_KERNEL)
#define free_percpu(p)		shim_free_percpu(p)

#define per_cpu_ptr(p, cpu)						\
	((__typeof__(p))((char *)(p) + (size_t)(cpu) * SHIM_PCPU_STRIDE))
#define raw_cpu_ptr(p)		per_cpu_ptr(p, shim_cpu_id())
#define this_cpu_ptr(p)		raw_cpu_ptr(p)
#define get_cpu_ptr(p)		({ preempt_disable(); this_cpu_ptr(p); })
#define put_cpu_ptr(p)		do { (void)(p); preempt_enable(); } while (0)
#define get_cpu()		({ preempt_disable(); shim_cpu_id(); })
#define put_cpu()		preempt_enable()
#define smp_processor_id()	shim_cpu_id()
#define raw_smp_processor_id()	shim_cpu_id()

#ifdef SHIM_BENCH
/*
 * The benchmark build: each benchmark thread has a CPU of its own
 * (shim_set_cpu(), see <shim/bench.h>), so this_cpu_*() are plain
 * read-modify-writes of the thread's copy, as the kernel's single
 * instruction on its CPU's copy is not atomic against other CPUs either.
 */
#define this_cpu_add(pcp, n)	((void)(*this_cpu_ptr(&(pcp)) += (n)))
#define this_cpu_sub(pcp, n)	((void)(*this_cpu_ptr(&(pcp)) -= (n)))
#define this_cpu_read(pcp)	(*(volatile __typeof__(pcp) *)this_cpu_ptr(&(pcp)))
#define this_cpu_write(pcp, v)	((void)(*this_cpu_ptr(&(pcp)) = (v)))
#else
#define this_cpu_add(pcp, n)						\
	((void)__atomic_fetch_add(this_cpu_ptr(&(pcp)), (n), __ATOMIC_RELAXED))
#define this_cpu_sub(pcp, n)						\
	((void)__atomic_fetch_sub(this_cpu_ptr(&(pcp)), (n), __ATOMIC_RELAXED))
#define this_cpu_read(pcp)	__atomic_load_n(this_cpu_ptr(&(pcp)), __ATOMIC_RELAXED)
#define this_cpu_write(pcp, v)						\
	__atomic_store_n(this_cpu_ptr(&(pcp)), (v), __ATOMIC_RELAXED)
#endif
#define this_cpu_inc(pcp)	this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp)	this_cpu_sub(pcp, 1)
#define __this_cpu_add(pcp, n)	this_cpu_add(pcp, n)
#define __this_cpu_inc(pcp)	this_cpu_inc(pcp)
#define __this_cpu_read(pcp)	this_cpu_read(pcp)

#define nr_cpu_ids			SHIM_NR_CPUS
#define num_possible_cpus()		SHIM_NR_CPUS
#define num_online_cpus()		SHIM_NR_CPUS
#define for_each_possible_cpu(cpu)	for ((cpu) = 0; (cpu) < SHIM_NR_CPUS; (cpu)++)
#define for_each_online_cpu(cpu)	for_each_possible_cpu(cpu)

#endif
