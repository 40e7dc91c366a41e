// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: memory cgroups as tags, kmem caches that remember the
 * cgroup of each object, and list_lru (see <linux/list_lru.h>).
 */
#include <stdlib.h>
#include <linux/list_lru.h>
#include <linux/memcontrol.h>
#include <linux/slab.h>

__thread struct mem_cgroup *shim_task_memcg;
__thread struct mem_cgroup *shim_active_memcg;

/* Before each object of a cache: the cgroup it was charged to. */
struct shim_obj_head {
	struct mem_cgroup *memcg;
	unsigned long pad;
};

struct kmem_cache *shim_kmem_cache_create(size_t size)
{
	struct kmem_cache *c = calloc(1, sizeof(*c));

	if (c)
		c->size = size;
	return c;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	free(c);
}

void *kmem_cache_alloc_lru(struct kmem_cache *c, struct list_lru *lru, gfp_t gfp)
{
	struct shim_obj_head *h = shim_kmalloc(sizeof(*h) + c->size, gfp,
					       __FILE__, __LINE__);

	if (!h)
		return NULL;
	h->memcg = (gfp & __GFP_ACCOUNT) ? shim_charge_memcg() : NULL;
	return h + 1;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	if (obj)
		shim_kfree((struct shim_obj_head *)obj - 1);
}

static struct mem_cgroup *shim_obj_memcg(struct list_head *item)
{
	return ((struct shim_obj_head *)item - 1)->memcg;
}

static bool shim_lru_match(struct list_head *item, struct mem_cgroup *memcg)
{
	return !memcg || shim_obj_memcg(item) == memcg;
}

int list_lru_init_memcg(struct list_lru *lru, struct shrinker *shrinker)
{
	spin_lock_init(&lru->lock);
	INIT_LIST_HEAD(&lru->one.list);
	lru->one.nr_items = 0;
	return 0;
}

void list_lru_destroy(struct list_lru *lru)
{
	WARN_ON(!list_empty(&lru->one.list));
}

bool list_lru_add_obj(struct list_lru *lru, struct list_head *item)
{
	bool added;

	spin_lock(&lru->lock);
	added = list_empty(item);
	if (added) {
		list_add_tail(item, &lru->one.list);
		lru->one.nr_items++;
	}
	spin_unlock(&lru->lock);
	return added;
}

bool list_lru_del_obj(struct list_lru *lru, struct list_head *item)
{
	bool deleted;

	spin_lock(&lru->lock);
	deleted = !list_empty(item);
	if (deleted) {
		list_del_init(item);
		lru->one.nr_items--;
	}
	spin_unlock(&lru->lock);
	return deleted;
}

unsigned long list_lru_count_one(struct list_lru *lru, int nid,
				 struct mem_cgroup *memcg)
{
	struct list_head *item;
	unsigned long n = 0;

	spin_lock(&lru->lock);
	list_for_each(item, &lru->one.list)
		n += shim_lru_match(item, memcg);
	spin_unlock(&lru->lock);
	return n;
}

unsigned long list_lru_walk_one(struct list_lru *lru, int nid,
				struct mem_cgroup *memcg, list_lru_walk_cb isolate,
				void *cb_arg, unsigned long *nr_to_walk)
{
	struct list_head *item, *next;
	unsigned long removed = 0;

	spin_lock(&lru->lock);
	list_for_each_safe(item, next, &lru->one.list) {
		if (!shim_lru_match(item, memcg))
			continue;
		if (!*nr_to_walk)
			break;
		--*nr_to_walk;
		switch (isolate(item, &lru->one, &lru->lock, cb_arg)) {
		case LRU_ROTATE:
			list_move_tail(item, &lru->one.list);
			break;
		case LRU_STOP:
			goto out;
		case LRU_REMOVED:
			removed++;
			break;
		default:
			break;
		}
	}
out:
	spin_unlock(&lru->lock);
	return removed;
}
