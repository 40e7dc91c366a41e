/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: shrinkers are kept on a list; shim_shrink_all() calls
 * them as memory pressure would.
 */
#ifndef _SHIM_LINUX_SHRINKER_H
#define _SHIM_LINUX_SHRINKER_H

#include <linux/kernel.h>

#include <linux/gfp.h>
#include <linux/types.h>

#define SHRINK_STOP	(~0UL)
#define SHRINK_EMPTY	(~0UL - 1)
#define DEFAULT_SEEKS	2
#define SHRINKER_MEMCG_AWARE	(1 << 2)
#define SHRINKER_NUMA_AWARE	(1 << 3)

struct mem_cgroup;

struct shrink_control {
	gfp_t gfp_mask;
	int nid;
	struct mem_cgroup *memcg;	/* NULL: every cgroup (see list_lru.h) */
	unsigned long nr_to_scan;
	unsigned long nr_scanned;
};

struct shrinker {
	unsigned long (*count_objects)(struct shrinker *s, struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *s, struct shrink_control *sc);
	long batch;
	int seeks;
	unsigned int flags;
	void *private_data;
	struct list_head list;
	bool registered;
	char name[32];
};

struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...);
void shrinker_register(struct shrinker *s);
void shrinker_free(struct shrinker *s);

#endif
