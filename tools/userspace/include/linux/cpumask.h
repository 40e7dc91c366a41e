/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: SHIM_NR_CPUS CPUs, all online (<linux/percpu.h>). */
#ifndef _SHIM_LINUX_CPUMASK_H
#define _SHIM_LINUX_CPUMASK_H

#include <linux/kernel.h>
#include <linux/percpu.h>

struct cpumask {
	unsigned long bits;
};

extern const struct cpumask shim_cpu_masks[SHIM_NR_CPUS];
extern const struct cpumask shim_cpu_all;

#define cpumask_of(cpu)		(&shim_cpu_masks[cpu])
#define cpu_online_mask		(&shim_cpu_all)
#define cpu_possible_mask	(&shim_cpu_all)

static inline unsigned int cpumask_first(const struct cpumask *m)
{
	return m->bits ? __builtin_ctzl(m->bits) : nr_cpu_ids;
}

static inline unsigned int cpumask_any_but(const struct cpumask *m,
					   unsigned int cpu)
{
	unsigned long bits = m->bits & ~(1UL << cpu);

	return bits ? __builtin_ctzl(bits) : nr_cpu_ids;
}

#endif
