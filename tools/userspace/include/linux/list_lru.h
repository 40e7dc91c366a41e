/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a list_lru is one locked list. Its items must be the
 * first member of an object of kmem_cache_alloc_lru(), which remembers
 * the memory cgroup it was charged to; the count and the walk of a
 * shrink_control with a memcg see that cgroup's items only, with memcg
 * NULL all of them (as a kernel without CONFIG_MEMCG does). One node.
 */
#ifndef _SHIM_LINUX_LIST_LRU_H
#define _SHIM_LINUX_LIST_LRU_H

#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/shrinker.h>
#include <linux/spinlock.h>

enum lru_status {
	LRU_REMOVED,
	LRU_REMOVED_RETRY,
	LRU_ROTATE,
	LRU_SKIP,
	LRU_RETRY,
	LRU_STOP,
};

struct list_lru_one {
	struct list_head list;
	long nr_items;
};

struct list_lru {
	spinlock_t lock;
	struct list_lru_one one;
};

typedef enum lru_status (*list_lru_walk_cb)(struct list_head *item,
		struct list_lru_one *list, spinlock_t *lock, void *cb_arg);

int list_lru_init_memcg(struct list_lru *lru, struct shrinker *shrinker);
void list_lru_destroy(struct list_lru *lru);
bool list_lru_add_obj(struct list_lru *lru, struct list_head *item);
bool list_lru_del_obj(struct list_lru *lru, struct list_head *item);
unsigned long list_lru_count_one(struct list_lru *lru, int nid,
				 struct mem_cgroup *memcg);
unsigned long list_lru_walk_one(struct list_lru *lru, int nid,
				struct mem_cgroup *memcg, list_lru_walk_cb isolate,
				void *cb_arg, unsigned long *nr_to_walk);

static inline unsigned long list_lru_shrink_count(struct list_lru *lru,
						  struct shrink_control *sc)
{
	return list_lru_count_one(lru, sc->nid, sc->memcg);
}

#endif
