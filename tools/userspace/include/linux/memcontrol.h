/* SPDX-License-Identifier: GPL-2.0 */
/* Shim: no memory cgroups in userspace (the kernel without CONFIG_MEMCG). */
#ifndef _SHIM_LINUX_MEMCONTROL_H
#define _SHIM_LINUX_MEMCONTROL_H

struct mem_cgroup;

/* Its argument is not evaluated: the shim's tasks have no mm. */
#define get_mem_cgroup_from_mm(mm)	((struct mem_cgroup *)NULL)

static inline void mem_cgroup_put(struct mem_cgroup *memcg)
{
}

#endif
