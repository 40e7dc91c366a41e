/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: no memory cgroups in userspace (the kernel without CONFIG_MEMCG). */
#ifndef _SHIM_LINUX_SCHED_MM_H
#define _SHIM_LINUX_SCHED_MM_H

struct mem_cgroup;

static inline struct mem_cgroup *set_active_memcg(struct mem_cgroup *memcg)
{
	return NULL;
}

#endif
