/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: memory cgroups as tags. A task's cgroup is
 * shim_task_memcg (a test sets it, NULL is the root); the active one
 * (set_active_memcg()) overrides it for charges, as in the kernel.
 * Objects of kmem_cache_alloc_lru() remember the cgroup they were charged
 * to, so list_lru files them under it (<linux/list_lru.h>).
 */
#ifndef _SHIM_LINUX_MEMCONTROL_H
#define _SHIM_LINUX_MEMCONTROL_H

struct mem_cgroup {
	int id;
};

extern __thread struct mem_cgroup *shim_task_memcg;
extern __thread struct mem_cgroup *shim_active_memcg;

/* The cgroup a charge goes to now. */
static inline struct mem_cgroup *shim_charge_memcg(void)
{
	return shim_active_memcg ?: shim_task_memcg;
}

/* Its argument is not evaluated: the shim's tasks have no mm. */
#define get_mem_cgroup_from_mm(mm)	shim_charge_memcg()

static inline void mem_cgroup_put(struct mem_cgroup *memcg)
{
}

#endif
