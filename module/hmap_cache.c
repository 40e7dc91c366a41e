// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU magazines of free objects, so that a map's write path rarely
 * reaches the slab allocator (the idea of Go's per-P pools and of BPF's
 * per-CPU freelists).
 *
 * Each map has, per CPU and per object kind, a ring of at most cache_cap
 * free objects (the cache_objs parameter, at most HMAP_CACHE_OBJS_MAX),
 * used as a double-ended queue. An object no reader can reach (an overflow
 * bucket of an array retired after a grace period, an object never
 * published) is ready: it goes in at the front, and the next allocation
 * takes it, the last freed and the likeliest to be in the CPU's cache. An
 * object that lock-free readers may still be looking at (a deleted
 * out-of-line key or value) goes in at the back with the RCU cookie of its
 * removal, and is handed out only once poll_state_synchronize_rcu() says
 * that grace period is over, so no reader can see it change under it. A
 * ring is thus ready objects, then waiting ones in the order of their
 * cookies: if its front is not ready, nothing in it is, and no ready object
 * waits behind one that is not.
 *
 * A cookie from get_state_synchronize_rcu() starts no grace period. So
 * each free that leaves an object waiting asks for one, with an RCU
 * callback that stays queued while frees keep asking (hmap_cache_want_gp()):
 * call_rcu() may be called from any context but NMI, and
 * start_poll_synchronize_rcu() would need interrupts enabled.
 *
 * Locking. Each CPU's rings have a raw spinlock, so that on PREEMPT_RT too
 * hmap_cache_take() and hmap_cache_put() serve any context but NMI, under
 * map->lock (a raw spinlock) too. The CPU that owns the rings takes it with
 * interrupts off, which also keeps the caller on that CPU; it is contended
 * only by hmap_cache_fill(), the shrinker and hmap_cache_destroy(), which
 * reach every CPU's rings. Nothing calls into slab under it: a drain takes
 * a batch of objects out and frees them after unlocking, a fill allocates
 * before locking.
 *
 * The shrinker is memcg aware. Each map with caches has a token, a small
 * object allocated charged to the map's memory cgroup (its creator's), on
 * hmap_cache_lru, a list_lru, which files it under that cgroup and the
 * NUMA node of its memory. Reclaim in a cgroup (memory.high, memory.max,
 * memory.reclaim) then calls the shrinker for that cgroup, and it finds
 * that cgroup's maps only; global reclaim calls it for each cgroup in
 * turn. The count adds up the maps' cache_count; the scan drains maps in
 * the list's order and moves them to its end, so the next scan starts
 * with the maps this one did not reach. Maps found on the list stay alive
 * while hmap_cache_maps_lock is held, since hmap_cache_destroy() takes it
 * to take the token off. That lock is a mutex, so the shrinker can
 * reschedule between maps; any allocation may enter reclaim and run it,
 * which is safe since nobody holding hmap_cache_maps_lock allocates
 * memory or takes a map's lock. A map's objects may sit on any node,
 * while its token is on one: on NUMA machines a node's reclaim drains the
 * maps whose token is there.
 */

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/irqflags.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/list_lru.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/stringify.h>

#include "hmap_cache.h"
#include "hmap_core.h"

static unsigned int hmap_cache_objs = 32;
module_param_named(cache_objs, hmap_cache_objs, uint, 0444);
MODULE_PARM_DESC(cache_objs,
		 "free objects each map keeps per CPU and per kind (0: no cache; at most "
		 __stringify(HMAP_CACHE_OBJS_MAX) ")");

struct hmap_cache_slot {
	void *obj;
	unsigned long gp;	/* reusable once this grace period is over */
};

/* One kind's objects on one CPU: a deque of cache_cap slots. */
struct hmap_cache_ring {
	struct hmap_cache_slot *slot;	/* cache_cap of them */
	u32 head;		/* front entry */
	u32 n;			/* entries */
};

struct hmap_cache_cpu {
	raw_spinlock_t lock;	/* protects rings, slots and unfolded */
	struct hmap_cache_ring ring[HMAP_OBJ_NR];
	struct hmap_cache_slot *slots;	/* HMAP_OBJ_NR rings of cap slots */
	int unfolded;		/* objects in, minus out, not in cache_count */
};

/* A map's entry on hmap_cache_lru; @lru first (the userspace shim's need). */
struct hmap_cache_token {
	struct list_head lru;
	struct hmap *map;
};

static struct kmem_cache *hmap_cache_tokens;
static struct list_lru hmap_cache_lru;
static DEFINE_MUTEX(hmap_cache_maps_lock);
static struct shrinker *hmap_shrinker;

/*
 * The grace-period request: at most one callback is queued. A free that
 * finds it queued marks it AGAIN, since that callback's grace period may
 * have started before the free took its cookie; the callback then queues
 * itself once more instead of going idle.
 */
enum {
	HMAP_CACHE_KICK_IDLE,
	HMAP_CACHE_KICK_QUEUED,
	HMAP_CACHE_KICK_AGAIN,
};

static atomic_t hmap_cache_kick_state = ATOMIC_INIT(HMAP_CACHE_KICK_IDLE);
static struct rcu_head hmap_cache_kick;

static void hmap_cache_kick_fn(struct rcu_head *head)
{
	if (atomic_cmpxchg(&hmap_cache_kick_state, HMAP_CACHE_KICK_QUEUED,
			   HMAP_CACHE_KICK_IDLE) == HMAP_CACHE_KICK_QUEUED)
		return;
	/*
	 * AGAIN: a free asked after this was queued. Back to QUEUED, fully
	 * ordered before call_rcu(): that free's cookie is older than the
	 * next grace period.
	 */
	atomic_xchg(&hmap_cache_kick_state, HMAP_CACHE_KICK_QUEUED);
	call_rcu_hurry(head, hmap_cache_kick_fn);
}

/*
 * Makes sure a grace period will complete the cookie the caller just took.
 * Mostly a read: the state changes at most a few times per grace period.
 */
static void hmap_cache_want_gp(void)
{
	int s;

	/* The cookie is read before the state (see hmap_cache_kick_fn()). */
	smp_rmb();
	s = atomic_read(&hmap_cache_kick_state);
	for (;;) {
		if (s == HMAP_CACHE_KICK_AGAIN)
			return;
		if (s == HMAP_CACHE_KICK_IDLE) {
			s = atomic_cmpxchg(&hmap_cache_kick_state, s,
					   HMAP_CACHE_KICK_QUEUED);
			if (s == HMAP_CACHE_KICK_IDLE) {
				call_rcu_hurry(&hmap_cache_kick, hmap_cache_kick_fn);
				return;
			}
		} else {
			s = atomic_cmpxchg(&hmap_cache_kick_state, s,
					   HMAP_CACHE_KICK_AGAIN);
			if (s == HMAP_CACHE_KICK_QUEUED)
				return;
		}
	}
}

static size_t hmap_obj_size(struct hmap *map, enum hmap_obj_kind kind)
{
	switch (kind) {
	case HMAP_OBJ_BUCKET:
		return map->layout.bucket_size;
	case HMAP_OBJ_KEY:
		return sizeof(struct hmap_obj) + map->layout.key_size;
	default:
		return sizeof(struct hmap_obj) + map->layout.value_size;
	}
}

static void hmap_cache_count(struct hmap *map, enum hmap_stat c,
			     unsigned int n)
{
	this_cpu_add(map->stats->cnt[c], n);
}

/*
 * The shrinker's count of a map's objects, map->cache_count, gets each
 * CPU's changes once they add up to HMAP_CACHE_FOLD, as a percpu_counter
 * would, but inline, under the ring lock each change takes anyway.
 */
#define HMAP_CACHE_FOLD		16

static void hmap_cache_note(struct hmap *map, struct hmap_cache_cpu *c, int n)
{
	lockdep_assert_held(&c->lock);
	c->unfolded += n;
	if (c->unfolded >= HMAP_CACHE_FOLD || c->unfolded <= -HMAP_CACHE_FOLD) {
		atomic_long_add(c->unfolded, &map->cache_count);
		c->unfolded = 0;
	}
}

/* Objects in one CPU's rings, read without the lock. */
static u32 hmap_cache_cpu_objects(struct hmap_cache_cpu *c,
				  enum hmap_obj_kind kind)
{
	/* A racy read is fine for statistics, fills and the shrinker. */
	return data_race(c->ring[kind].n);
}

/* Takes the front entry of a ring that has one. */
static struct hmap_cache_slot hmap_cache_pop(struct hmap *map,
					     struct hmap_cache_cpu *c,
					     struct hmap_cache_ring *r)
{
	struct hmap_cache_slot s;

	lockdep_assert_held(&c->lock);
	s = r->slot[r->head];
	r->head = r->head + 1 < map->cache_cap ? r->head + 1 : 0;
	r->n--;
	return s;
}

/*
 * A new front entry, for an object no reader can see (the next allocation
 * takes it), in a ring that has room; the caller sets its object.
 */
static struct hmap_cache_slot *hmap_cache_push_front(struct hmap *map,
						     struct hmap_cache_cpu *c,
						     struct hmap_cache_ring *r)
{
	struct hmap_cache_slot *s;

	lockdep_assert_held(&c->lock);
	r->head = r->head ? r->head - 1 : map->cache_cap - 1;
	s = &r->slot[r->head];
	s->gp = get_completed_synchronize_rcu();
	r->n++;
	return s;
}

/**
 * hmap_cache_take() - take a free object of @kind from this CPU's cache
 * @map: the map
 * @kind: which object
 *
 * Never calls the allocator, so writers may call it under map->lock.
 * Buckets come back zeroed; keys and values are the caller's to fill.
 *
 * Context: Any context but NMI (a raw spinlock, interrupts saved).
 * Return: the object, or NULL if the cache has none ready.
 */
void *hmap_cache_take(struct hmap *map, enum hmap_obj_kind kind)
{
	struct hmap_cache_cpu *c;
	struct hmap_cache_ring *r;
	unsigned long flags;
	void *obj = NULL;

	if (map->cache_cap) {
		local_irq_save(flags);
		c = this_cpu_ptr(map->cache);
		r = &c->ring[kind];
		raw_spin_lock(&c->lock);
		/* Ready objects are in front: if the front waits, all do. */
		if (r->n && poll_state_synchronize_rcu(r->slot[r->head].gp)) {
			obj = hmap_cache_pop(map, c, r).obj;
			hmap_cache_note(map, c, -1);
		}
		raw_spin_unlock(&c->lock);
		local_irq_restore(flags);
	}
	if (obj) {
		hmap_cache_count(map, HMAP_STAT_CACHE_HITS, 1);
		if (kind == HMAP_OBJ_BUCKET)
			memset(obj, 0, map->layout.bucket_size);
	}
	return obj;
}

/**
 * hmap_cache_alloc() - take a free object of @kind, from the allocator if
 *	the cache has none
 * @map: the map
 * @kind: which object
 * @gfp: the allocator's flags (__GFP_ACCOUNT is added)
 *
 * Buckets come back zeroed; keys and values are the caller's to fill.
 *
 * Context: Whatever @gfp allows, and never under map->lock or another raw
 * spinlock (on PREEMPT_RT the allocator's locks sleep).
 * Return: the object, or NULL if memory ran out.
 */
void *hmap_cache_alloc(struct hmap *map, enum hmap_obj_kind kind, gfp_t gfp)
{
	void *obj = hmap_cache_take(map, kind);
	struct mem_cgroup *old;

	if (obj)
		return obj;
	hmap_cache_count(map, HMAP_STAT_CACHE_MISSES, 1);
	old = hmap_charge_begin(map);
	obj = kmalloc(hmap_obj_size(map, kind), gfp | __GFP_ACCOUNT |
		      (kind == HMAP_OBJ_BUCKET ? __GFP_ZERO : 0));
	hmap_charge_end(old);
	return obj;
}

/**
 * hmap_cache_release() - free an object the cache has no room for
 * @kind: which object
 * @obj: the object
 * @readers: lockless readers may still see @obj: freed after a grace period
 *
 * Context: Process or softirq context, never under map->lock or a ring's
 * lock: kfree() takes the allocator's locks, which sleep on PREEMPT_RT
 * (kfree_rcu(), with @readers, would do anywhere but NMI).
 */
void hmap_cache_release(enum hmap_obj_kind kind, void *obj, bool readers)
{
	if (readers)	/* only keys and values can still have readers */
		kfree_rcu((struct hmap_obj *)obj, rcu);
	else
		kfree(obj);
}

/**
 * hmap_cache_put() - give back an object of @kind if the cache has room
 * @map: the map
 * @kind: which object
 * @obj: the object
 * @readers: lockless readers may still see @obj (it was reachable until
 *	now); it is reused only after a grace period, which this asks RCU
 *	for. Only keys and values may be given back with @readers set.
 *
 * Never calls the allocator, so writers may call it under map->lock.
 *
 * Context: Any context but NMI (a raw spinlock, interrupts saved; the
 * grace-period request is a call_rcu()).
 * Return: true if the cache took @obj; false if it is full, and @obj is
 * still the caller's to free (hmap_cache_release(), outside map->lock).
 */
bool hmap_cache_put(struct hmap *map, enum hmap_obj_kind kind, void *obj,
		    bool readers)
{
	u32 cap = map->cache_cap, pos;
	struct hmap_cache_slot *s;
	struct hmap_cache_cpu *c;
	struct hmap_cache_ring *r;
	unsigned long flags;
	bool kept = false;

	WARN_ON_ONCE(readers && kind == HMAP_OBJ_BUCKET);
	if (!cap)
		return false;
	local_irq_save(flags);
	c = this_cpu_ptr(map->cache);
	r = &c->ring[kind];
	raw_spin_lock(&c->lock);
	if (r->n < cap) {
		if (readers) {
			/* At the back: every cookie before it is older. */
			pos = r->head + r->n;
			s = &r->slot[pos < cap ? pos : pos - cap];
			s->gp = get_state_synchronize_rcu();
			r->n++;
		} else {
			s = hmap_cache_push_front(map, c, r);
		}
		s->obj = obj;
		hmap_cache_note(map, c, 1);
		kept = true;
	}
	raw_spin_unlock(&c->lock);
	local_irq_restore(flags);
	if (!kept)
		return false;
	hmap_cache_count(map, HMAP_STAT_CACHE_REFILLS, 1);
	if (readers)
		hmap_cache_want_gp();
	return true;
}

/**
 * hmap_cache_free() - give back an object of @kind, or free it
 * @map: the map
 * @kind: which object
 * @obj: the object
 * @readers: as for hmap_cache_put()
 *
 * Context: as hmap_cache_release(): never under map->lock.
 */
void hmap_cache_free(struct hmap *map, enum hmap_obj_kind kind, void *obj,
		     bool readers)
{
	if (!hmap_cache_put(map, kind, obj, readers))
		hmap_cache_release(kind, obj, readers);
}

/**
 * hmap_cache_fill() - stock every CPU's cache of @kind
 * @map: the map
 * @kind: which object
 *
 * Brings each CPU's ring up to half its capacity with new objects, for the
 * writes that may not sleep and take only what the caches hold.
 *
 * Context: Process context; may sleep.
 */
void hmap_cache_fill(struct hmap *map, enum hmap_obj_kind kind)
{
	struct hmap_cache_slot *s;
	struct hmap_cache_cpu *c;
	struct hmap_cache_ring *r;
	struct mem_cgroup *old;
	unsigned long flags;
	bool kept;
	void *obj;
	int cpu;

	for_each_possible_cpu(cpu) {
		if (!map->cache_cap)
			return;
		c = per_cpu_ptr(map->cache, cpu);
		r = &c->ring[kind];
		/* A stale count only makes one more or one fewer: rechecked below. */
		while (hmap_cache_cpu_objects(c, kind) < map->cache_cap / 2) {
			old = hmap_charge_begin(map);
			obj = kmalloc(hmap_obj_size(map, kind), GFP_KERNEL_ACCOUNT);
			hmap_charge_end(old);
			if (!obj)
				return;
			raw_spin_lock_irqsave(&c->lock, flags);
			kept = r->n < map->cache_cap;
			if (kept) {
				s = hmap_cache_push_front(map, c, r);
				s->obj = obj;
				hmap_cache_note(map, c, 1);
			}
			raw_spin_unlock_irqrestore(&c->lock, flags);
			if (!kept) {
				kfree(obj);
				break;
			}
		}
		cond_resched();
	}
}

/* Objects a drain takes out under a ring's lock at a time. */
#define HMAP_CACHE_DRAIN_BATCH	16

/* Frees up to @max objects of one CPU's rings; returns how many. */
static unsigned long hmap_cache_drain_cpu(struct hmap *map, int cpu,
					  unsigned long max)
{
	struct hmap_cache_cpu *c = per_cpu_ptr(map->cache, cpu);
	void *obj[HMAP_CACHE_DRAIN_BATCH];
	bool wait[HMAP_CACHE_DRAIN_BATCH];
	u8 kinds[HMAP_CACHE_DRAIN_BATCH];
	unsigned long freed = 0, flags;
	unsigned int n, i;
	int kind;

	do {
		n = 0;
		raw_spin_lock_irqsave(&c->lock, flags);
		for (kind = 0; kind < HMAP_OBJ_NR; kind++) {
			struct hmap_cache_ring *r = &c->ring[kind];

			while (r->n && n < HMAP_CACHE_DRAIN_BATCH &&
			       freed + n < max) {
				struct hmap_cache_slot s = hmap_cache_pop(map, c, r);

				obj[n] = s.obj;
				kinds[n] = kind;
				wait[n++] = !poll_state_synchronize_rcu(s.gp);
			}
		}
		hmap_cache_note(map, c, -(int)n);
		raw_spin_unlock_irqrestore(&c->lock, flags);
		for (i = 0; i < n; i++)
			hmap_cache_release(kinds[i], obj[i], wait[i]);
		freed += n;
	} while (n == HMAP_CACHE_DRAIN_BATCH && freed < max);
	if (freed)
		hmap_cache_count(map, HMAP_STAT_CACHE_DRAINS, freed);
	return freed;
}

/**
 * hmap_cache_drain() - free objects of a map's caches
 * @map: the map
 * @max: at most this many
 *
 * Context: Process context; reschedules between CPUs. Not under map->lock.
 * Return: how many were freed.
 */
unsigned long hmap_cache_drain(struct hmap *map, unsigned long max)
{
	unsigned long freed = 0;
	int cpu, kind;

	if (!map->cache)
		return 0;

	for_each_possible_cpu(cpu) {
		struct hmap_cache_cpu *c = per_cpu_ptr(map->cache, cpu);
		u32 n = 0;

		if (freed >= max)
			break;
		for (kind = 0; kind < HMAP_OBJ_NR; kind++)
			n += hmap_cache_cpu_objects(c, kind);
		if (!n)
			continue;
		freed += hmap_cache_drain_cpu(map, cpu, max - freed);
		cond_resched();
	}
	return freed;
}

/**
 * hmap_cache_objects() - objects held in a map's caches
 * @map: the map
 * @bytes: if not NULL, set to their size in bytes
 *
 * Context: Any context; the sum is read without locks.
 * Return: the number of cached objects.
 */
u64 hmap_cache_objects(struct hmap *map, u64 *bytes)
{
	u64 n = 0, b = 0, k;
	int cpu, kind;

	for_each_possible_cpu(cpu) {
		struct hmap_cache_cpu *c;

		if (!map->cache)
			break;
		c = per_cpu_ptr(map->cache, cpu);
		for (kind = 0; kind < HMAP_OBJ_NR; kind++) {
			k = hmap_cache_cpu_objects(c, kind);
			n += k;
			b += k * hmap_obj_size(map, kind);
		}
	}
	if (bytes)
		*bytes = b;
	return n;
}

/**
 * hmap_cache_create() - set up a map's caches
 * @map: a map being created
 *
 * Context: Process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
int hmap_cache_create(struct hmap *map)
{
	struct hmap_cache_token *tok;
	struct mem_cgroup *old;
	size_t nslots;
	int cpu, kind;

	/*
	 * hmap_cache_init() refused more at load; the bound also keeps the
	 * sizes below far from wrapping whatever the variable holds.
	 */
	map->cache_cap = min_t(unsigned int, hmap_cache_objs,
			       HMAP_CACHE_OBJS_MAX);
	if (!map->cache_cap)
		return 0;
	atomic_long_set(&map->cache_count, 0);
	map->cache = alloc_percpu_gfp(struct hmap_cache_cpu, GFP_KERNEL_ACCOUNT);
	if (!map->cache)
		return -ENOMEM;
	nslots = (size_t)HMAP_OBJ_NR * map->cache_cap;
	for_each_possible_cpu(cpu) {
		struct hmap_cache_cpu *c = per_cpu_ptr(map->cache, cpu);

		raw_spin_lock_init(&c->lock);
		c->slots = kcalloc(nslots, sizeof(*c->slots), GFP_KERNEL_ACCOUNT);
		if (!c->slots) {
			hmap_cache_destroy(map);
			return -ENOMEM;
		}
		for (kind = 0; kind < HMAP_OBJ_NR; kind++)
			c->ring[kind].slot = c->slots + (size_t)kind * map->cache_cap;
	}
	/* Charged to the map's cgroup: the list_lru files it there. */
	old = hmap_charge_begin(map);
	tok = kmem_cache_alloc_lru(hmap_cache_tokens, &hmap_cache_lru,
				   GFP_KERNEL_ACCOUNT);
	hmap_charge_end(old);
	if (!tok) {
		hmap_cache_destroy(map);
		return -ENOMEM;
	}
	INIT_LIST_HEAD(&tok->lru);
	tok->map = map;
	map->cache_token = tok;
	list_lru_add_obj(&hmap_cache_lru, &tok->lru);
	return 0;
}

/**
 * hmap_cache_destroy() - free a map's caches and the objects in them
 * @map: a map being freed, on which no other call runs or will run
 *
 * Context: Process context; may sleep (it waits for the shrinker).
 */
void hmap_cache_destroy(struct hmap *map)
{
	int cpu;

	if (!map->cache)
		return;
	if (map->cache_token) {
		/* Once off the list, the shrinker does not touch the map. */
		mutex_lock(&hmap_cache_maps_lock);
		list_lru_del_obj(&hmap_cache_lru, &map->cache_token->lru);
		mutex_unlock(&hmap_cache_maps_lock);
		kmem_cache_free(hmap_cache_tokens, map->cache_token);
		map->cache_token = NULL;
	}
	for_each_possible_cpu(cpu) {
		struct hmap_cache_cpu *c = per_cpu_ptr(map->cache, cpu);

		if (c->slots)
			hmap_cache_drain_cpu(map, cpu, ULONG_MAX);
		kfree(c->slots);
		cond_resched();
	}
	free_percpu(map->cache);
	map->cache = NULL;
}

/*
 * A map's cached objects, closely enough for the shrinker: the folded
 * count, or near zero, where what the CPUs hold back may be all of it,
 * that plus each CPU's (read without their locks).
 */
static unsigned long hmap_cache_count_read(struct hmap *map)
{
	long n = atomic_long_read(&map->cache_count);
	int cpu;

	if (n >= (long)HMAP_CACHE_FOLD * num_possible_cpus())
		return n;
	for_each_possible_cpu(cpu)	/* racy: a count for the shrinker */
		n += data_race(per_cpu_ptr(map->cache, cpu)->unfolded);
	return max(n, 0L);
}

/* Under the list's lock, which keeps each map on it alive. */
static enum lru_status hmap_shrink_count_map(struct list_head *item,
					     struct list_lru_one *list,
					     spinlock_t *lock, void *arg)
{
	struct hmap_cache_token *tok = list_entry(item, struct hmap_cache_token,
						  lru);
	unsigned long *n = arg;

	*n += hmap_cache_count_read(tok->map);
	return LRU_SKIP;
}

static unsigned long hmap_shrink_count(struct shrinker *s,
				       struct shrink_control *sc)
{
	unsigned long maps = list_lru_shrink_count(&hmap_cache_lru, sc);
	unsigned long n = 0;

	if (!maps)
		return SHRINK_EMPTY;
	list_lru_walk_one(&hmap_cache_lru, sc->nid, sc->memcg,
			  hmap_shrink_count_map, &n, &maps);
	/*
	 * Maps with empty caches: 0, not SHRINK_EMPTY, which would clear
	 * the cgroup's bit for this shrinker until the next new map set it.
	 */
	return n;
}

/* Maps a scan picks from the list at a time. */
#define HMAP_SHRINK_MAPS	16

struct hmap_shrink_pick {
	struct hmap *map[HMAP_SHRINK_MAPS];
	unsigned int n;
	unsigned long want;	/* objects still to find */
};

/* Picks maps until they hold what the scan wants, each to the list's end. */
static enum lru_status hmap_shrink_pick_map(struct list_head *item,
					    struct list_lru_one *list,
					    spinlock_t *lock, void *arg)
{
	struct hmap_cache_token *tok = list_entry(item, struct hmap_cache_token,
						  lru);
	struct hmap_shrink_pick *p = arg;
	unsigned long n;

	if (p->n == HMAP_SHRINK_MAPS || !p->want)
		return LRU_STOP;
	n = hmap_cache_count_read(tok->map);
	if (n) {
		p->map[p->n++] = tok->map;
		p->want -= min(n, p->want);
	}
	return LRU_ROTATE;
}

static unsigned long hmap_shrink_scan(struct shrinker *s,
				      struct shrink_control *sc)
{
	struct hmap_shrink_pick p;
	unsigned long freed = 0, walk;
	unsigned int i;

	mutex_lock(&hmap_cache_maps_lock);
	while (freed < sc->nr_to_scan) {
		p.n = 0;
		p.want = sc->nr_to_scan - freed;
		/* Each map once per pick, though it moves to the end. */
		walk = list_lru_shrink_count(&hmap_cache_lru, sc);
		list_lru_walk_one(&hmap_cache_lru, sc->nid, sc->memcg,
				  hmap_shrink_pick_map, &p, &walk);
		if (!p.n)
			break;
		for (i = 0; i < p.n && freed < sc->nr_to_scan; i++) {
			freed += hmap_cache_drain(p.map[i],
						  sc->nr_to_scan - freed);
			cond_resched();
		}
		if (p.want)
			break;	/* the list had no more */
	}
	mutex_unlock(&hmap_cache_maps_lock);
	return freed ?: SHRINK_STOP;
}

/**
 * hmap_cache_init() - check cache_objs, register the shrinker
 *
 * Context: Process context (module load).
 * Return: 0, -EINVAL if cache_objs is over HMAP_CACHE_OBJS_MAX, or
 * -ENOMEM.
 */
int hmap_cache_init(void)
{
	int err;

	if (hmap_cache_objs > HMAP_CACHE_OBJS_MAX) {
		pr_err("hmap: cache_objs=%u is over the maximum, %u\n",
		       hmap_cache_objs, HMAP_CACHE_OBJS_MAX);
		return -EINVAL;
	}
	hmap_cache_tokens = KMEM_CACHE(hmap_cache_token, SLAB_ACCOUNT);
	if (!hmap_cache_tokens)
		return -ENOMEM;
	hmap_shrinker = shrinker_alloc(SHRINKER_MEMCG_AWARE | SHRINKER_NUMA_AWARE,
				       "hmap-cache");
	if (!hmap_shrinker) {
		err = -ENOMEM;
		goto fail_shrinker;
	}
	err = list_lru_init_memcg(&hmap_cache_lru, hmap_shrinker);
	if (err)
		goto fail_lru;
	hmap_shrinker->count_objects = hmap_shrink_count;
	hmap_shrinker->scan_objects = hmap_shrink_scan;
	shrinker_register(hmap_shrinker);
	return 0;

fail_lru:
	shrinker_free(hmap_shrinker);
fail_shrinker:
	kmem_cache_destroy(hmap_cache_tokens);
	return err;
}

/**
 * hmap_cache_exit() - unregister the shrinker, wait for the RCU callback
 *
 * Context: Process context (module unload), after every map is freed.
 */
void hmap_cache_exit(void)
{
	shrinker_free(hmap_shrinker);
	list_lru_destroy(&hmap_cache_lru);
	kmem_cache_destroy(hmap_cache_tokens);
	/* No map is left to ask again: the callback stops within two rounds. */
	while (atomic_read(&hmap_cache_kick_state) != HMAP_CACHE_KICK_IDLE)
		rcu_barrier();
	/* The run that went idle may still be returning. */
	rcu_barrier();
}
