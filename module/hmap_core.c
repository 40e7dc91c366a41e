// SPDX-License-Identifier: GPL-2.0
/*
 * hmap core: a hash table built like the Go runtime's classic map, made
 * safe for lockless RCU readers.
 *
 * Layout. A table is 2^B buckets. A bucket holds 8 slots: 8 tophash bytes
 * (the hash's top byte, or a reserved marker), 8 keys and their values
 * (each key beside its value; see struct hmap_bucket), and a link to an
 * overflow bucket when the chain needs more room. Keys and
 * values longer than HMAP_INLINE_MAX are stored out of line and the slot
 * holds a pointer. A key lives in bucket hash & (2^B - 1).
 *
 * Growth. A new key that would take the load over 6.5 per bucket (or a map
 * with as many overflow buckets as buckets) makes the writer allocate a new
 * array, twice as large (or the same size, to compact chains left by
 * churn), and publish it with the old one hanging off it. No entry moves
 * then: each later insert or update evacuates at most two old buckets, the
 * one its key hashes to and the lowest one not yet evacuated (nevacuate),
 * splitting the entries between the same index (X) and index + old size
 * (Y). A delete evacuates only the one at nevacuate and removes its key
 * from the old chain if that is still where the key lives: an entry about
 * to die is not copied (Go evacuates it first). When
 * nevacuate reaches the old size the old array is unlinked and freed after
 * an RCU grace period; until then its contents stay intact, with each slot
 * marked EVACUATED_X/Y/EMPTY, so a reader still inside it reads valid data.
 *
 * Locking. Writers hold map->lock, a raw spinlock taken with interrupts
 * off, so that they may run in any context but NMI, on PREEMPT_RT too.
 * Under it nothing calls the page or slab allocator, whose locks sleep on
 * RT: objects come from the map's caches, bucket arrays from the worker or
 * from a writer that may sleep, which allocates with the lock dropped and
 * starts over (struct hmap_writer). Readers hold only rcu_read_lock(). Each
 * chain's first bucket carries a sequence count; a writer changes slots of
 * a chain only between hmap_write_begin() and hmap_write_end() on that
 * count, with interrupts off (the lock's) so that no reader on the same
 * CPU can spin on an odd count. A reader
 * copies what it needs, then checks the count and retries if it moved. A
 * slot's key and value (and out-of-line pointers) are written before its
 * tophash byte, and read after it, so a reader never follows a pointer a
 * writer has not finished. Out-of-line objects and retired arrays are freed
 * only after a grace period. Entries never move within a chain, and
 * overflow buckets are never unlinked while their array is live, which is
 * what lets the iterator walk a chain slot by slot.
 */

#include <asm/byteorder.h>
#include <linux/bitops.h>
#include <linux/bitrev.h>
#include <linux/bug.h>
#include <linux/cache.h>
#include <linux/err.h>
#include <linux/irqflags.h>
#include <linux/jump_label.h>
#include <linux/kcsan-checks.h>
#include <linux/llist.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/prefetch.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "hmap_cache.h"
#include "hmap_core.h"

#define CREATE_TRACE_POINTS
#include "hmap_trace.h"

/* Steps nevacuate may skip over already evacuated buckets per write. */
#define HMAP_EVAC_SCAN_MAX	1024
/* The worker evacuates this many old buckets per batch, then reschedules. */
#define HMAP_BG_BATCH		64

static atomic_t hmap_next_id = ATOMIC_INIT(0);

static struct workqueue_struct *hmap_wq;

static inline void hmap_count_event(struct hmap *map, enum hmap_stat c)
{
	this_cpu_inc(map->stats->cnt[c]);
}

/*
 * Run-time statistics (HMAP_STATS_RUNTIME_MASK): the lookup path counts
 * only while someone holds them on, as BPF's run-time stats are counted
 * only under BPF_ENABLE_STATS; otherwise the counter costs a patched-out
 * jump on kernels with jump labels.
 */
static DEFINE_STATIC_KEY_FALSE(hmap_stats_key);

static __always_inline void hmap_count_runtime(struct hmap *map,
					       enum hmap_stat c)
{
	if (static_branch_unlikely(&hmap_stats_key))
		this_cpu_inc(map->stats->cnt[c]);
}

static DEFINE_MUTEX(hmap_stats_mutex);

/**
 * hmap_stats_enable() - start counting the lookup path's statistics
 *
 * Turns on HMAP_STAT_HITS, HMAP_STAT_MISSES and HMAP_STAT_READER_RETRIES
 * for every map, until a matching hmap_stats_disable(). Calls nest: the
 * counters stay on while any caller holds them on.
 *
 * Context: Process context; may sleep (it patches code). Not with
 * cpus_read_lock() held.
 * Return: 0, or -EBUSY if INT_MAX / 2 holds are taken already (the hold
 * count must never wrap; BPF's run-time stats have the same bound).
 */
int hmap_stats_enable(void)
{
	int err = 0;

	mutex_lock(&hmap_stats_mutex);
	if (static_key_count(&hmap_stats_key.key) >= INT_MAX / 2)
		err = -EBUSY;
	else
		static_branch_inc(&hmap_stats_key);
	mutex_unlock(&hmap_stats_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(hmap_stats_enable);

/**
 * hmap_stats_disable() - drop one hold taken by hmap_stats_enable()
 *
 * Context: Process context; may sleep (it patches code).
 */
void hmap_stats_disable(void)
{
	mutex_lock(&hmap_stats_mutex);
	static_branch_dec(&hmap_stats_key);
	mutex_unlock(&hmap_stats_mutex);
}
EXPORT_SYMBOL_GPL(hmap_stats_disable);

/**
 * hmap_stats_enabled() - are the lookup path's statistics counting
 *
 * Context: Any context.
 * Return: true while some caller holds them on.
 */
bool hmap_stats_enabled(void)
{
	return static_key_enabled(&hmap_stats_key);
}
EXPORT_SYMBOL_GPL(hmap_stats_enabled);

/*
 * Sequence count of a chain: see "Locking" above. False, and nothing
 * begun, if a writer is in the chain.
 */
static __always_inline bool hmap_read_try_begin(const struct hmap_bucket *head,
						unsigned int *seq)
{
	*seq = READ_ONCE(head->seq);
	if (unlikely(*seq & 1))
		return false;
	/* Pairs with hmap_write_end(): slots are read after the count. */
	smp_rmb();
	/*
	 * The reads up to hmap_read_retry() race with writers by design and
	 * are validated by the count: tell KCSAN, as seqlock readers do.
	 */
	kcsan_atomic_next(KCSAN_SEQLOCK_REGION_MAX);
	return true;
}

static inline unsigned int hmap_read_begin(const struct hmap_bucket *head)
{
	unsigned int seq;

	while (!hmap_read_try_begin(head, &seq))
		cpu_relax();
	return seq;
}

static inline bool hmap_read_retry(const struct hmap_bucket *head,
				   unsigned int seq)
{
	kcsan_atomic_next(0);
	/* Pairs with hmap_write_begin(): the slots were read before this. */
	smp_rmb();
	return READ_ONCE(head->seq) != seq;
}

static inline void hmap_write_begin(struct hmap_bucket *head)
{
	WRITE_ONCE(head->seq, head->seq + 1);
	/* The odd count is visible before any slot changes. */
	smp_wmb();
	/* Readers of this section retry: its writes are not data races. */
	kcsan_nestable_atomic_begin();
}

static inline void hmap_write_end(struct hmap_bucket *head)
{
	kcsan_nestable_atomic_end();
	/* Every slot change is visible before the even count. */
	smp_wmb();
	WRITE_ONCE(head->seq, head->seq + 1);
}

/* ---- allocation ---- */

/*
 * An array of 2^@B empty buckets. Never under map->lock. Callers stay
 * within max_B: more would make kvcalloc() WARN.
 */
static struct hmap_table *hmap_alloc_table(struct hmap *map, unsigned int B,
					   gfp_t gfp)
{
	const struct hmap_layout *l = &map->layout;
	struct mem_cgroup *old;
	struct hmap_table *t;

	/* Callers stay within max_B: more would make kvcalloc() WARN. */
	if (WARN_ON_ONCE(((size_t)l->bucket_size << B) > READ_ONCE(map->alloc_max)))
		return NULL;
	old = hmap_charge_begin(map);
	t = kzalloc(sizeof(*t), gfp | __GFP_ACCOUNT);
	if (t)
		t->buckets = kvcalloc(1UL << B, l->bucket_size,
				      gfp | __GFP_ACCOUNT);
	hmap_charge_end(old);
	if (t && !t->buckets) {
		kfree(t);
		return NULL;
	}
	if (!t)
		return NULL;
	t->B = B;
	t->mask = (1UL << B) - 1;
	t->layout = *l;
	return t;
}

static void hmap_free_map(struct hmap *map)
{
	hmap_cache_destroy(map);
	free_percpu(map->stats);
	mem_cgroup_put(map->memcg);
	kfree(map);
}

static void hmap_put(struct hmap *map)
{
	if (refcount_dec_and_test(&map->refs))
		hmap_free_map(map);
}

/* Frees an object nobody can reach, into @map's caches if there is one. */
static void hmap_free_obj(struct hmap *map, enum hmap_obj_kind kind,
			  void *obj)
{
	if (map)
		hmap_cache_free(map, kind, obj, false);
	else
		kfree(obj);
}

/*
 * Frees a table nobody can reach any more; its overflow buckets (and, with
 * free_entries, its live entries' objects) go to @map's caches, or to the
 * allocator if @map is NULL. Process context.
 */
static void hmap_free_table(struct hmap_table *t, struct hmap *map)
{
	const struct hmap_layout *l = &t->layout;
	unsigned long i;
	unsigned int s;

	for (i = 0; i < hmap_nbuckets(t); i++) {
		struct hmap_bucket *head = hmap_bucket_at(t, i), *b, *next;

		for (b = head; b; b = next) {
			next = rcu_dereference_protected(b->overflow, 1);
			for (s = 0; t->free_entries && s < HMAP_BUCKET_SLOTS; s++) {
				if (!hmap_is_live(b->tophash[s]))
					continue;
				if (l->key_ool)
					hmap_free_obj(map, HMAP_OBJ_KEY,
						      *(void **)hmap_slot_key(l, b, s));
				if (l->value_ool)
					hmap_free_obj(map, HMAP_OBJ_VALUE,
						      *(void **)hmap_slot_value(l, b, s));
			}
			if (b != head)
				hmap_free_obj(map, HMAP_OBJ_BUCKET, b);
		}
		if ((i & 1023) == 1023)
			cond_resched();
	}
	kvfree(t->buckets);
	kfree(t);
}

static void hmap_free_table_work(struct work_struct *work)
{
	struct hmap_table *t = container_of(to_rcu_work(work),
					    struct hmap_table, free_work);
	struct hmap *map = t->map;

	hmap_free_table(t, map);
	hmap_put(map);
}

/*
 * Frees @t after a grace period; @entries: it still owns live entries.
 * The array holds a reference on the map until then, for the caches.
 */
static void hmap_retire_table(struct hmap *map, struct hmap_table *t,
			      bool entries)
{
	t->free_entries = entries;
	t->map = map;
	refcount_inc(&map->refs);
	INIT_RCU_WORK(&t->free_work, hmap_free_table_work);
	queue_rcu_work(hmap_wq, &t->free_work);
}

/*
 * A new seed for an empty map. The random pool's locks sleep on RT, so the
 * seed was drawn before the lock was taken (map->next_seed); without one
 * the worker reseeds, if the map is still empty when it runs.
 */
static void hmap_reseed(struct hmap *map)
{
	lockdep_assert_held(&map->lock);
	if (map->router)	/* the seed picks the shard: it stays */
		return;
	if (!map->next_seed_ready) {
		map->reseed_due = true;
		mod_delayed_work(hmap_wq, &map->evac_work, 0);
		return;
	}
	WRITE_ONCE(map->seed.key[0], map->next_seed.key[0]);
	WRITE_ONCE(map->seed.key[1], map->next_seed.key[1]);
	map->next_seed_ready = false;
	map->reseed_due = false;
	hmap_count_event(map, HMAP_STAT_RESEEDS);
}

/* ---- lookup ---- */

#define HMAP_LO_BYTES	0x0101010101010101ULL
#define HMAP_HI_BITS	0x8080808080808080ULL

#define HMAP_LOW7_BITS	0x7f7f7f7f7f7f7f7fULL

/*
 * Bit 7 set in each zero byte of @w. Exact up to the lowest zero byte (a
 * borrow may mark bytes above it): for finding the first one.
 */
static __always_inline u64 hmap_zero_bytes(u64 w)
{
	return (w - HMAP_LO_BYTES) & ~w & HMAP_HI_BITS;
}

/* Bit 7 set in exactly the zero bytes of @w: no carry crosses a byte. */
static __always_inline u64 hmap_zero_bytes_exact(u64 w)
{
	return ~(((w & HMAP_LOW7_BITS) + HMAP_LOW7_BITS) | w | HMAP_LOW7_BITS);
}

/*
 * Bit 7 set in byte i for each live slot i of @b, a bucket that is not
 * evacuated, whose slots are all live or empty (EMPTY_ONE or EMPTY_REST,
 * 0 and 1: zero once bit 0 is cleared). Writers only.
 */
static __always_inline u64 hmap_live_slots(const struct hmap_bucket *b)
{
	u64 word = le64_to_cpu((__force __le64)b->tophash_word);

	return ~hmap_zero_bytes_exact(word & ~HMAP_LO_BYTES) & HMAP_HI_BITS;
}

/*
 * Key compare and value copy with single loads for the common sizes; the
 * fast paths pass @size as a constant.
 */
static __always_inline bool hmap_key_eq(const u8 *k, const void *key, u32 size)
{
	if (size == 2 * sizeof(u64))
		return !((get_unaligned((const u64 *)k) ^
			  get_unaligned((const u64 *)key)) |
			 (get_unaligned((const u64 *)k + 1) ^
			  get_unaligned((const u64 *)key + 1)));
	if (size == sizeof(u64))
		return get_unaligned((const u64 *)k) == get_unaligned((const u64 *)key);
	if (size == sizeof(u32))
		return get_unaligned((const u32 *)k) == get_unaligned((const u32 *)key);
	return !memcmp(k, key, size);
}

static __always_inline void hmap_copy_bytes(void *dst, const u8 *src, u32 size)
{
	if (size == sizeof(u64))
		put_unaligned(get_unaligned((const u64 *)src), (u64 *)dst);
	else if (size == 2 * sizeof(u64))
		memcpy(dst, src, 2 * sizeof(u64));
	else if (size == sizeof(u32))
		put_unaligned(get_unaligned((const u32 *)src), (u32 *)dst);
	else
		memcpy(dst, src, size);
}

/* Slot @i's key bytes, for a key size the fast paths know at compile time. */
static __always_inline const u8 *hmap_key_at(const struct hmap_layout *l,
					     struct hmap_bucket *b,
					     unsigned int i, u32 ksize)
{
	if (ksize <= HMAP_INLINE_MAX)
		return hmap_slot_key(l, b, i);
	return hmap_key_bytes(l, b, i);
}

/* Slot @i's inline value. */
static __always_inline u8 *hmap_value_at(const struct hmap_layout *l,
					 struct hmap_bucket *b,
					 unsigned int i, u32 ksize)
{
	if (ksize > HMAP_INLINE_MAX)
		return hmap_slot_value(l, b, i);
	/* An inline key of 8-byte multiples always has its value beside it. */
	if (ksize % sizeof(u64) == 0)
		return hmap_slot_key(l, b, i) + ksize;
	return hmap_slot_value(l, b, i);
}

/*
 * Searches one chain for @key (@ksize: the map's key size). Caller holds
 * rcu_read_lock() and validates the chain's sequence count afterwards;
 * until then what was read may be torn, so nothing here may trust more
 * than a non-NULL pointer. The 8 tophash bytes are matched at once: one
 * load, a few word operations. An inline value is copied to @value here;
 * an out-of-line one (@value_ool, which the fast paths pass as false) is
 * left in *@ool for the caller to copy once the count validated: its
 * object never changes, so the read section stays short for any size.
 */
static __always_inline bool hmap_chain_find(const struct hmap_layout *l,
					    struct hmap_bucket *head, u8 top,
					    const void *key, u32 ksize,
					    void *value, bool value_ool,
					    const u8 **ool)
{
	struct hmap_bucket *b = head;
	unsigned int i;

	do {
		/* Byte i of the word is slot i's tophash on any endianness. */
		u64 word = le64_to_cpu((__force __le64)READ_ONCE(b->tophash_word));
		u64 rest = hmap_zero_bytes(word);
		u64 match = hmap_zero_bytes_exact(word ^ (HMAP_LO_BYTES * top));

		/* Slot contents are read after the tophash that published them. */
		smp_rmb();
		/* Slots from the first EMPTY_REST on are all empty. */
		if (rest)
			match &= (rest & -rest) - 1;
		while (match) {
			const u8 *k, *v;

			i = __ffs64(match) / 8;
			match &= match - 1;
			k = hmap_key_at(l, b, i, ksize);
			/* Only an out-of-line slot can hold a NULL (torn) pointer. */
			if ((ksize > HMAP_INLINE_MAX && !k) ||
			    !hmap_key_eq(k, key, ksize))
				continue;
			if (value && value_ool) {
				v = hmap_value_bytes(l, b, i);
				if (!v)
					continue;
				*ool = v;
			} else if (value && l->value_size) {
				hmap_copy_bytes(value, hmap_value_at(l, b, i, ksize),
						l->value_size);
			}
			return true;
		}
		if (rest)
			return false;
		b = rcu_dereference(b->overflow);
	} while (b);
	return false;
}

/*
 * The bucket a lookup reads: its later cache lines are fetched as soon as
 * its address is known, so a hit's key and value lines load in parallel
 * with the tophash line instead of after it (large tables miss the cache).
 */
static __always_inline struct hmap_bucket *
hmap_lookup_bucket(const struct hmap_table *t, u64 hash)
{
	struct hmap_bucket *head = hmap_bucket_at(t, hash & t->mask);
	u32 bucket_size = t->layout.bucket_size;

	if (bucket_size > L1_CACHE_BYTES)
		prefetch((u8 *)head + L1_CACHE_BYTES);
	if (bucket_size > 2 * L1_CACHE_BYTES)
		prefetch((u8 *)head + 2 * L1_CACHE_BYTES);
	return head;
}

/*
 * Lookup of a hashed key. Caller holds rcu_read_lock(). @copied: an
 * earlier attempt copied a value to @value that did not validate; if the
 * key turns out absent, @value is zeroed rather than left holding it.
 */
static __always_inline bool __hmap_lookup_rcu(struct hmap *map, u64 hash,
					      const void *key, u32 ksize,
					      void *value, bool copied)
{
	const struct hmap_layout *l = &map->layout;
	u8 top = hmap_tophash(hash);
	const u8 *ool = NULL;
	struct hmap_bucket *head;
	struct hmap_table *t, *o;
	unsigned int seq;
	bool found;

restart:
	t = rcu_dereference(map->tbl);
	o = rcu_dereference(t->old);
	if (unlikely(o)) {
		/* Growing: the old bucket holds the key until it is evacuated. */
		head = hmap_bucket_at(o, hash & (hmap_nbuckets(o) - 1));
		seq = hmap_read_begin(head);
		if (!hmap_evacuated(head)) {
			found = hmap_chain_find(l, head, top, key, ksize, value,
						l->value_ool, &ool);
			if (!hmap_read_retry(head, seq))
				goto out;
			copied |= found && !l->value_ool;
			hmap_count_runtime(map, HMAP_STAT_READER_RETRIES);
			goto restart;
		}
		if (hmap_read_retry(head, seq)) {
			hmap_count_runtime(map, HMAP_STAT_READER_RETRIES);
			goto restart;
		}
	}
	head = hmap_lookup_bucket(t, hash);
	seq = hmap_read_begin(head);
	found = hmap_chain_find(l, head, top, key, ksize, value, l->value_ool,
				&ool);
	/*
	 * An evacuated chain holds only marks, so it never has a hit: a miss
	 * there means @t is itself being grown out of; start from the map.
	 */
	if (unlikely(!found && hmap_evacuated(head)))
		goto restart;
	if (unlikely(hmap_read_retry(head, seq))) {
		copied |= found && !l->value_ool;
		hmap_count_runtime(map, HMAP_STAT_READER_RETRIES);
		goto restart;
	}
out:
	/* Still ours: objects are freed a grace period after they go. */
	if (found && ool)
		memcpy(value, ool, l->value_size);
	/* Found means copied: @copied matters only for a miss. */
	if (unlikely(!found && copied && value && l->value_size))
		memset(value, 0, l->value_size);
	return found;
}

/* A whole lookup for any key size and hash, out of the fast paths' way. */
static noinline int hmap_lookup_slow(struct hmap *map, const void *key,
				     void *value, bool copied)
{
	bool found;

	rcu_read_lock();
	found = __hmap_lookup_rcu(map, hmap_hash(map, key), key,
				  map->layout.key_size, value, copied);
	rcu_read_unlock();
	hmap_count_runtime(map, found ? HMAP_STAT_HITS : HMAP_STAT_MISSES);
	return found ? 0 : -ENOENT;
}

/* hmap_lookup_try()'s answers when hmap_lookup_slow() must decide. */
#define HMAP_TRY_AGAIN		(-1)	/* nothing was copied to the value */
#define HMAP_TRY_AGAIN_COPIED	(-2)	/* a copy was made, then invalidated */

/*
 * One attempt at a lookup in the common case, with no grow in progress
 * and no writer in the chain: 1 or 0 (found or not), or HMAP_TRY_AGAIN*.
 * Without the full path's restart loop the common case is one straight
 * line that needs few registers. Caller holds rcu_read_lock().
 */
static __always_inline int hmap_lookup_try(struct hmap *map, u64 hash,
					   const void *key, u32 ksize,
					   void *value)
{
	struct hmap_table *t = rcu_dereference(map->tbl);
	struct hmap_bucket *head;
	unsigned int seq;
	bool found;

	/* Out-of-line values are copied after the count validates. */
	if (unlikely(rcu_access_pointer(t->old) || map->layout.value_ool))
		return HMAP_TRY_AGAIN;
	head = hmap_lookup_bucket(t, hash);
	if (!hmap_read_try_begin(head, &seq))
		return HMAP_TRY_AGAIN;
	found = hmap_chain_find(&map->layout, head, hmap_tophash(hash), key,
				ksize, value, false, NULL);
	/* A miss in an evacuated chain: @t is being grown out of. */
	if (unlikely(!found && hmap_evacuated(head)))
		return HMAP_TRY_AGAIN;
	if (unlikely(hmap_read_retry(head, seq))) {
		hmap_count_runtime(map, HMAP_STAT_READER_RETRIES);
		return found ? HMAP_TRY_AGAIN_COPIED : HMAP_TRY_AGAIN;
	}
	return found;
}

/* hmap_lookup() for a key size and hash that may be constants. */
static __always_inline int hmap_lookup_sized(struct hmap *map, const void *key,
					     void *value, u32 ksize, u32 hash)
{
	u64 h;
	int found;

	rcu_read_lock();
	h = hmap_hash_sized(map, key, ksize, hash);
	if (unlikely(map->shard_mask))
		map = hmap_shard_of(map, h);
	found = hmap_lookup_try(map, h, key, ksize, value);
	rcu_read_unlock();
	if (unlikely(found < 0))
		return hmap_lookup_slow(map, key, value,
					found == HMAP_TRY_AGAIN_COPIED);
	hmap_count_runtime(map, found ? HMAP_STAT_HITS : HMAP_STAT_MISSES);
	return found ? 0 : -ENOENT;
}

/*
 * The lookup fast paths, one function each, so that each has only the
 * frame its own key size needs; hmap_lookup() tail-calls one of them.
 */
static noinline int hmap_lookup_fast4(struct hmap *map, const void *key,
				      void *value)
{
	return hmap_lookup_sized(map, key, value, 4, HMAP_HASH_FAST);
}

static noinline int hmap_lookup_fast8(struct hmap *map, const void *key,
				      void *value)
{
	return hmap_lookup_sized(map, key, value, 8, HMAP_HASH_FAST);
}

static noinline int hmap_lookup_fast16(struct hmap *map, const void *key,
				       void *value)
{
	return hmap_lookup_sized(map, key, value, 16, HMAP_HASH_FAST);
}

static noinline int hmap_lookup_fast(struct hmap *map, const void *key,
				     void *value, u32 ks)
{
	return hmap_lookup_sized(map, key, value, ks, HMAP_HASH_FAST);
}

static noinline int hmap_lookup_sip4(struct hmap *map, const void *key,
				     void *value)
{
	return hmap_lookup_sized(map, key, value, 4, HMAP_HASH_SIPHASH);
}

static noinline int hmap_lookup_sip8(struct hmap *map, const void *key,
				     void *value)
{
	return hmap_lookup_sized(map, key, value, 8, HMAP_HASH_SIPHASH);
}

static noinline int hmap_lookup_sip16(struct hmap *map, const void *key,
				      void *value)
{
	return hmap_lookup_sized(map, key, value, 16, HMAP_HASH_SIPHASH);
}

static noinline int hmap_lookup_sip(struct hmap *map, const void *key,
				    void *value, u32 ks)
{
	return hmap_lookup_sized(map, key, value, ks, HMAP_HASH_SIPHASH);
}

/**
 * hmap_lookup() - look up a key and copy its value out
 * @map: the map
 * @key: key_size bytes
 * @value: buffer of value_size bytes for the value, or NULL to only test
 *	whether the key is present
 *
 * Lockless: takes rcu_read_lock() itself and never blocks or writes shared
 * memory (the run-time statistics, when on, are per CPU). The value copied
 * out is one that the key held at some instant during the call. On
 * -ENOENT, @value holds what the caller left there, or zeroes if a
 * concurrent write invalidated a copy made during the call; never a copy
 * that did not validate.
 *
 * Context: Any context, including hardirq, but not NMI.
 * Return: 0 if the key was found (and its value copied), -ENOENT if not.
 */
int hmap_lookup(struct hmap *map, const void *key, void *value)
{
	u32 ks = map->layout.key_size;

	if (map->hash == HMAP_HASH_FAST) {
		if (ks == 8)
			return hmap_lookup_fast8(map, key, value);
		if (ks == 4)
			return hmap_lookup_fast4(map, key, value);
		if (ks == 16)
			return hmap_lookup_fast16(map, key, value);
		return hmap_lookup_fast(map, key, value, ks);
	}
	if (ks == 8)
		return hmap_lookup_sip8(map, key, value);
	if (ks == 4)
		return hmap_lookup_sip4(map, key, value);
	if (ks == 16)
		return hmap_lookup_sip16(map, key, value);
	return hmap_lookup_sip(map, key, value, ks);
}
EXPORT_SYMBOL_GPL(hmap_lookup);

/* ---- writers: everything below runs under map->lock ---- */

/*
 * A write's dealings with memory (see "Locking" above). Under map->lock a
 * write takes objects from what it allocated ahead (@pre), then from the
 * caches, and counts in @want what neither had; arrays come from map->spare
 * (@want_B: the one it lacked). A write that may sleep (@gfp allows it)
 * then drops the lock, allocates what was lacking, and starts over; one
 * that may not fails with -ENOMEM, or goes on without (a grow that waits
 * for its array). Objects the caches have no room for go to @trash, freed
 * once the lock is dropped, by the writer if it may sleep, else by the
 * worker.
 *
 * Every write has one on its stack, declared __uninitialized: kernels built
 * with INIT_STACK_ALL_ZERO (Debian's) would otherwise zero its 100 bytes or so on
 * every call, while a write reads only what @held and @lacked say is set.
 */
struct hmap_writer {
	gfp_t gfp;
	unsigned long irqflags;
	bool held;			/* @pre, @trash and @table are set up */
	bool lacked;			/* @want and @want_B are set up */
	int want_B;			/* -1: no array lacking */
	unsigned int want[HMAP_OBJ_NR];
	void *pre[HMAP_OBJ_NR];		/* lists chained through the first word */
	void *trash[HMAP_OBJ_NR];	/* the same */
	struct hmap_table *table;	/* an array allocated ahead */
	struct hmap_obj *value;		/* the value's copy, made before the lock */
};

/*
 * The lists, counts and array are set up only when first used: the common
 * write lacks nothing and keeps nothing, and pays for none of it.
 */
static void hmap_writer_hold(struct hmap_writer *w)
{
	if (!w->held) {
		memset(w->pre, 0, sizeof(w->pre));
		memset(w->trash, 0, sizeof(w->trash));
		w->table = NULL;
		w->value = NULL;
		w->held = true;
	}
}

static void hmap_writer_push(struct hmap_writer *w, void **lists,
			     enum hmap_obj_kind kind, void *obj)
{
	hmap_writer_hold(w);
	*(void **)obj = lists[kind];
	lists[kind] = obj;
}

static void *hmap_writer_pop(struct hmap_writer *w, void **lists,
			     enum hmap_obj_kind kind)
{
	void *obj = w->held ? lists[kind] : NULL;

	if (obj)
		lists[kind] = *(void **)obj;
	return obj;
}

static void hmap_writer_lack(struct hmap_writer *w, enum hmap_obj_kind kind,
			     unsigned int n)
{
	if (!w->lacked) {
		memset(w->want, 0, sizeof(w->want));
		w->want_B = -1;
		w->lacked = true;
	}
	w->want[kind] += n;
}

static bool hmap_may_sleep(const struct hmap_writer *w)
{
	return gfpflags_allow_blocking(w->gfp);
}

/*
 * Whether an array of 2^@B buckets may be the map's spare: one resize away
 * from the current array at most (hmap_verify() checks the same).
 */
static bool hmap_spare_fits(struct hmap *map, unsigned int B)
{
	unsigned int cur = hmap_dereference_protected(map->tbl, map)->B;

	return B <= cur + 1 && B + 1 >= cur;
}

/*
 * Draws the seed of the map's next reseed, for a write that may sleep and
 * found none: the random pool may not be called under the lock, which
 * hmap_reseed() holds.
 */
static noinline void hmap_writer_draw_seed(struct hmap *map)
{
	unsigned long flags;
	siphash_key_t seed;

	get_random_bytes(&seed, sizeof(seed));
	raw_spin_lock_irqsave(&map->lock, flags);
	if (!map->next_seed_ready) {
		map->next_seed = seed;
		map->next_seed_ready = true;
	}
	raw_spin_unlock_irqrestore(&map->lock, flags);
}

/*
 * The map's first write that may not sleep: from now on the worker keeps
 * arrays and a reserve of objects ready.
 */
static noinline void hmap_writer_note_atomic(struct hmap *map)
{
	lockdep_assert_held(&map->lock);
	map->atomic_writes = true;
	mod_delayed_work(hmap_wq, &map->evac_work, 0);
}

static __always_inline void hmap_writer_lock(struct hmap *map,
					     struct hmap_writer *w)
{
	raw_spin_lock_irqsave(&map->lock, w->irqflags);
}

static __always_inline void hmap_writer_init(struct hmap_writer *w, gfp_t gfp)
{
	w->gfp = gfp;
	w->held = false;
	w->lacked = false;
}

/* Takes the lock for a write that hmap_writer_init() set up. */
static __always_inline void hmap_writer_begin(struct hmap *map,
					      struct hmap_writer *w)
{
	if (unlikely(!READ_ONCE(map->next_seed_ready)) && hmap_may_sleep(w))
		hmap_writer_draw_seed(map);
	hmap_writer_lock(map, w);
	if (unlikely(!hmap_may_sleep(w)) && unlikely(!map->atomic_writes))
		hmap_writer_note_atomic(map);
}

/* Starts a write, which @gfp says may or may not sleep. */
static __always_inline void hmap_writer_start(struct hmap *map,
					      struct hmap_writer *w, gfp_t gfp)
{
	hmap_writer_init(w, gfp);
	hmap_writer_begin(map, w);
}

/*
 * A write of an out-of-line value that may sleep copies the value into a
 * new object before it takes the lock, as BPF's hash maps do: the lock is
 * not held while up to 64 KiB are copied, and the write never lacks the
 * object under the lock (almost every such write needs one: an insert,
 * or a replacement, see hmap_replace_ool_value()).
 */
static noinline void hmap_writer_copy_value(struct hmap *map,
					    struct hmap_writer *w,
					    const void *value)
{
	struct hmap_obj *obj = hmap_cache_alloc(map, HMAP_OBJ_VALUE, w->gfp);

	if (!obj)
		return;		/* the write lacks it under the lock, as without */
	memcpy(obj->data, value, map->layout.value_size);
	hmap_writer_hold(w);
	w->value = obj;
}

/* Frees what the caches had no room for, once the lock is dropped. */
static noinline void hmap_writer_empty_trash(struct hmap *map,
					     struct hmap_writer *w)
{
	bool kick = false;
	unsigned int k;
	void *obj;

	for (k = 0; k < HMAP_OBJ_NR; k++) {
		while ((obj = hmap_writer_pop(w, w->trash, k))) {
			if (hmap_may_sleep(w)) {
				/* Keys and values may have had readers. */
				hmap_cache_release(k, obj, k != HMAP_OBJ_BUCKET);
				continue;
			}
			llist_add(obj, &map->trash[k]);
			kick = true;
		}
	}
	if (kick)
		mod_delayed_work(hmap_wq, &map->evac_work, 0);
}

static __always_inline void hmap_writer_unlock(struct hmap *map,
					       struct hmap_writer *w)
{
	raw_spin_unlock_irqrestore(&map->lock, w->irqflags);
	if (unlikely(w->held))
		hmap_writer_empty_trash(map, w);
}

/* hmap_writer_finish() for a write that allocated ahead. */
static noinline void hmap_writer_finish_held(struct hmap *map,
					     struct hmap_writer *w)
{
	unsigned int k;
	void *obj;

	if (w->value)	/* never published */
		hmap_writer_push(w, w->pre, HMAP_OBJ_VALUE, w->value);
	for (k = 0; k < HMAP_OBJ_NR; k++)
		while ((obj = hmap_writer_pop(w, w->pre, k)))
			if (!hmap_cache_put(map, k, obj, false))
				hmap_writer_push(w, w->trash, k, obj);
	hmap_writer_unlock(map, w);
	if (w->table)
		hmap_free_table(w->table, NULL);
}

/*
 * Ends a write. What it allocated ahead and did not use goes back to the
 * caches, or is freed.
 */
static __always_inline void hmap_writer_finish(struct hmap *map,
					       struct hmap_writer *w)
{
	if (unlikely(w->held))
		hmap_writer_finish_held(map, w);
	else
		raw_spin_unlock_irqrestore(&map->lock, w->irqflags);
}

/* An object under the lock: see struct hmap_writer. NULL if there is none. */
static void *hmap_writer_obj(struct hmap *map, struct hmap_writer *w,
			     enum hmap_obj_kind kind)
{
	void *obj = hmap_writer_pop(w, w->pre, kind);

	lockdep_assert_held(&map->lock);
	if (obj) {
		/* The link was a bucket's tophash word, or a key's rcu_head. */
		*(void **)obj = NULL;
		return obj;
	}
	obj = hmap_cache_take(map, kind);
	if (!obj) {
		hmap_writer_lack(w, kind, 1);
		/* Nobody else may wake the worker to restock the caches. */
		if (!hmap_may_sleep(w))
			mod_delayed_work(hmap_wq, &map->evac_work, 0);
	}
	return obj;
}

/* An out-of-line key or value holding a copy of @src, or NULL. */
static struct hmap_obj *hmap_writer_copy(struct hmap *map, struct hmap_writer *w,
					 enum hmap_obj_kind kind, const void *src)
{
	size_t size = kind == HMAP_OBJ_KEY ? map->layout.key_size :
					     map->layout.value_size;
	struct hmap_obj *obj;

	if (kind == HMAP_OBJ_VALUE && w->held && w->value) {
		/* Copied before the lock: hmap_writer_copy_value(). */
		obj = w->value;
		w->value = NULL;
		return obj;
	}
	obj = hmap_writer_obj(map, w, kind);
	if (obj)
		memcpy(obj->data, src, size);
	return obj;
}

/*
 * Keeps an object a write took but did not use (never published) for its
 * next attempt, so that a refill does not find it gone.
 */
static void hmap_writer_keep(struct hmap *map, struct hmap_writer *w,
			     enum hmap_obj_kind kind, void *obj)
{
	lockdep_assert_held(&map->lock);
	hmap_writer_push(w, w->pre, kind, obj);
}

/* Gives back an object under the lock: to the caches, or to @trash. */
static void hmap_writer_free(struct hmap *map, struct hmap_writer *w,
			     enum hmap_obj_kind kind, void *obj, bool readers)
{
	lockdep_assert_held(&map->lock);
	if (!hmap_cache_put(map, kind, obj, readers))
		hmap_writer_push(w, w->trash, kind, obj);
}

/*
 * Objects of a kind a refill allocates beyond what the write lacked: the
 * write puts what it does not use in this CPU's cache, so that the writes
 * after it find them there, instead of each starting over for its own.
 */
#define HMAP_REFILL_AHEAD	8U

/*
 * After an attempt that lacked memory: a write that may sleep drops the
 * lock, allocates what was lacking (and HMAP_REFILL_AHEAD more of each
 * kind, within the cache's room) and takes the lock again; true if it has
 * what it lacked and should start over. False, with the lock held, for a
 * write that may not sleep or when memory ran out.
 */
static bool hmap_writer_refill(struct hmap *map, struct hmap_writer *w)
{
	unsigned int want[HMAP_OBJ_NR], ahead, k, n;
	bool ok = true;
	int want_B;
	void *obj;

	lockdep_assert_held(&map->lock);
	if (!hmap_may_sleep(w) || !w->lacked)
		return false;
	for (k = 0; k < HMAP_OBJ_NR; k++)
		want[k] = w->want[k];
	want_B = w->want_B;
	ahead = min(map->cache_cap / 2, HMAP_REFILL_AHEAD);
	w->lacked = false;
	hmap_writer_unlock(map, w);
	for (k = 0; k < HMAP_OBJ_NR && ok; k++) {
		bool lacked = want[k];

		for (; want[k] && ok; want[k]--) {
			obj = hmap_cache_alloc(map, k, w->gfp);
			if (obj)
				hmap_writer_push(w, w->pre, k, obj);
			ok = obj;
		}
		for (n = 0; lacked && ok && n < ahead; n++) {
			obj = hmap_cache_alloc(map, k, w->gfp | __GFP_NOWARN);
			if (!obj)
				break;
			hmap_writer_push(w, w->pre, k, obj);
		}
	}
	if (ok && want_B >= 0) {
		hmap_writer_hold(w);
		if (w->table && w->table->B != want_B) {
			/* Allocated for a resize the map has gone past. */
			hmap_free_table(w->table, NULL);
			w->table = NULL;
		}
		if (!w->table)
			w->table = hmap_alloc_table(map, want_B, w->gfp);
		ok = w->table;
	}
	hmap_writer_lock(map, w);
	/*
	 * The array, for hmap_start_grow() to take, if it still fits: other
	 * writes may have resized the map meanwhile.
	 */
	if (w->held && w->table && !map->spare &&
	    map->growth == HMAP_GROWTH_NONE &&
	    hmap_spare_fits(map, w->table->B)) {
		map->spare = w->table;
		w->table = NULL;
	}
	return ok;
}

/* A slot position in a chain. */
struct hmap_pos {
	struct hmap_bucket *b;
	unsigned int i;
};

/*
 * Finds @key in a chain; on a miss *@free is the first empty slot (b NULL
 * when the chain is full) and *@last the chain's last bucket. Matches the
 * 8 tophash bytes at once, as hmap_chain_find() does.
 */
static __always_inline bool hmap_locked_find(struct hmap *map,
					     struct hmap_bucket *head, u8 top,
					     const void *key, u32 ksize,
					     struct hmap_pos *pos,
					     struct hmap_pos *free,
					     struct hmap_bucket **last)
{
	const struct hmap_layout *l = &map->layout;
	struct hmap_bucket *b;
	unsigned int i;

	lockdep_assert_held(&map->lock);

	free->b = NULL;
	*last = head;
	for (b = head; b; b = hmap_dereference_protected(b->overflow, map)) {
		u64 word = le64_to_cpu((__force __le64)b->tophash_word);
		u64 rest = hmap_zero_bytes(word);
		u64 match = hmap_zero_bytes_exact(word ^ (HMAP_LO_BYTES * top));
		/* EMPTY_REST and EMPTY_ONE are 0 and 1: zero once bit 0 is. */
		u64 empty = hmap_zero_bytes(word & ~HMAP_LO_BYTES);

		*last = b;
		if (rest)
			match &= (rest & -rest) - 1;
		while (match) {
			i = __ffs64(match) / 8;
			match &= match - 1;
			if (hmap_key_eq(hmap_key_at(l, b, i, ksize), key, ksize)) {
				pos->b = b;
				pos->i = i;
				return true;
			}
		}
		if (empty && !free->b) {
			free->b = b;
			free->i = __ffs64(empty) / 8;
		}
		if (rest)
			return false;
	}
	return false;
}

/* Where evacuation appends into a destination chain. */
struct hmap_dest {
	struct hmap_bucket *head;
	struct hmap_bucket *b;	/* bucket holding the next free slot */
	unsigned int i;		/* next free slot, HMAP_BUCKET_SLOTS if full */
	unsigned int n;		/* entries headed here */
	unsigned int room;	/* free slots from (b, i) to the chain's end */
};

/*
 * Positions @d after the last live or deleted slot of its chain: at its
 * first EMPTY_REST slot, since those are always the chain's tail.
 */
static void hmap_dest_init(struct hmap *map, struct hmap_dest *d,
			   struct hmap_bucket *head)
{
	struct hmap_bucket *b;
	u64 rest;

	lockdep_assert_held(&map->lock);

	d->head = head;
	d->n = 0;
	d->room = 0;
	for (b = head; b; b = hmap_dereference_protected(b->overflow, map)) {
		if (d->room) {		/* past the first EMPTY_REST */
			d->room += HMAP_BUCKET_SLOTS;
			continue;
		}
		rest = hmap_zero_bytes(le64_to_cpu((__force __le64)b->tophash_word));
		d->b = b;
		d->i = rest ? __ffs64(rest) / 8 : HMAP_BUCKET_SLOTS;
		d->room = HMAP_BUCKET_SLOTS - d->i;
	}
}

/*
 * Moves slot @i of @src to the end of @d's chain, taking an overflow bucket
 * from @spare when the chain is full. Inside the write sections of both.
 */
static void hmap_dest_append(struct hmap *map, struct hmap_dest *d,
			     struct hmap_bucket *src, unsigned int i,
			     struct hmap_bucket **spare)
{
	const struct hmap_layout *l = &map->layout;
	struct hmap_bucket *b;

	lockdep_assert_held(&map->lock);

	if (d->i == HMAP_BUCKET_SLOTS) {
		b = hmap_dereference_protected(d->b->overflow, map);
		if (!b) {
			b = *spare;
			*spare = hmap_dereference_protected(b->overflow, map);
			RCU_INIT_POINTER(b->overflow, NULL);
			rcu_assign_pointer(d->b->overflow, b);
			map->noverflow++;
		}
		d->b = b;
		d->i = 0;
	}
	if (l->value_base == l->key_slot) {	/* key and value side by side */
		hmap_copy_bytes(hmap_slot_key(l, d->b, d->i),
				hmap_slot_key(l, src, i),
				l->key_slot + l->value_slot);
	} else {
		memcpy(hmap_slot_key(l, d->b, d->i), hmap_slot_key(l, src, i),
		       l->key_slot);
		memcpy(hmap_slot_value(l, d->b, d->i),
		       hmap_slot_value(l, src, i), l->value_slot);
	}
	/* Key and value before the tophash that publishes them. */
	smp_wmb();
	WRITE_ONCE(d->b->tophash[d->i], src->tophash[i]);
	d->i++;
}

/*
 * Spares an evacuation did not use: kept for the next attempt after one
 * that failed (@keep), else given back to the caches at once.
 */
static void hmap_free_spares(struct hmap *map, struct hmap_writer *w,
			     struct hmap_bucket *spare, bool keep)
{
	struct hmap_bucket *next;

	lockdep_assert_held(&map->lock);

	for (; spare; spare = next) {
		next = hmap_dereference_protected(spare->overflow, map);
		RCU_INIT_POINTER(spare->overflow, NULL);
		if (keep)
			hmap_writer_keep(map, w, HMAP_OBJ_BUCKET, spare);
		else
			hmap_writer_free(map, w, HMAP_OBJ_BUCKET, spare, false);
	}
}

static void hmap_finish_grow(struct hmap *map, struct hmap_table *t,
			     struct hmap_table *o)
{
	lockdep_assert_held(&map->lock);
	trace_hmap_grow_finish(map->id, o->B, t->B, map->growth, map->count);
	rcu_assign_pointer(t->old, NULL);
	map->growth = HMAP_GROWTH_NONE;
	map->nevacuate = 0;
	map->old_noverflow = 0;
	/* Every entry has moved to @t: the old array owns none of them. */
	hmap_retire_table(map, o, false);
}

/* Which destination of an evacuation an entry with @hash goes to. */
static inline unsigned int hmap_evac_dest(struct hmap *map,
					  struct hmap_table *o,
					  struct hmap_bucket *b, unsigned int i)
{
	if (map->growth != HMAP_GROWTH_DOUBLE)
		return 0;
	return !!(hmap_hash(map, hmap_key_bytes(&map->layout, b, i)) &
		  hmap_nbuckets(o));
}

/*
 * Evacuates old bucket @oi of the grow from @o into @t. In a double grow
 * each live entry goes to X (same index) or Y (index + old size) by the
 * hash bit the new mask adds; in a same-size grow to the same index; in a
 * shrink to index & new mask, after what the sibling old bucket put there.
 * Overflow buckets the destinations need are allocated first, so a
 * failure leaves everything as it was. @worker: called by the background
 * worker rather than a writer (for the counters).
 */
static int hmap_evacuate(struct hmap *map, struct hmap_writer *w,
			 struct hmap_table *t, struct hmap_table *o,
			 unsigned long oi, bool worker)
{
	struct hmap_bucket *ohead = hmap_bucket_at(o, oi), *b, *spare = NULL;
	unsigned long oldsize = hmap_nbuckets(o);
	unsigned int i, need = 0, d, nd, moved = 0;
	struct hmap_dest dst[2];

	lockdep_assert_held(&map->lock);

	if (hmap_evacuated(ohead))
		goto advance;

	nd = map->growth == HMAP_GROWTH_DOUBLE ? 2 : 1;
	hmap_dest_init(map, &dst[0],
		       hmap_bucket_at(t, oi & (hmap_nbuckets(t) - 1)));
	if (nd == 2)
		hmap_dest_init(map, &dst[1], hmap_bucket_at(t, oi + oldsize));

	/*
	 * Reserve the buckets the destinations need as if every live entry
	 * went to each of them: then each entry is hashed once, when it moves,
	 * and the spares left over go back to the cache. A chain of up to 8
	 * entries into fresh buckets (the usual case) needs none.
	 */
	for (b = ohead; b; b = hmap_dereference_protected(b->overflow, map))
		dst[0].n += hweight64(hmap_live_slots(b));
	dst[1].n = dst[0].n;
	for (d = 0; d < nd; d++)
		if (dst[d].n > dst[d].room)
			need += DIV_ROUND_UP(dst[d].n - dst[d].room,
					     HMAP_BUCKET_SLOTS);
	while (need--) {
		b = hmap_writer_obj(map, w, HMAP_OBJ_BUCKET);
		if (!b) {
			/* All of them are lacking, for hmap_writer_refill(). */
			hmap_writer_lack(w, HMAP_OBJ_BUCKET, need);
			hmap_free_spares(map, w, spare, true);
			return -ENOMEM;
		}
		RCU_INIT_POINTER(b->overflow, spare);
		spare = b;
		hmap_count_event(map, HMAP_STAT_OVERFLOW_ALLOCS);
	}

	hmap_write_begin(ohead);
	for (d = 0; d < nd; d++)
		hmap_write_begin(dst[d].head);
	for (b = ohead; b; b = hmap_dereference_protected(b->overflow, map)) {
		u64 live = hmap_live_slots(b);
		/* Every slot gets a mark: EMPTY unless an entry moves out. */
		u64 marks = HMAP_LO_BYTES * HMAP_EVACUATED_EMPTY;

		for (; live; live &= live - 1) {
			i = __ffs64(live) / 8;
			d = hmap_evac_dest(map, o, b, i);
			hmap_dest_append(map, &dst[d], b, i, &spare);
			marks ^= (u64)(HMAP_EVACUATED_EMPTY ^
				       (d ? HMAP_EVACUATED_Y : HMAP_EVACUATED_X)) << (8 * i);
			moved++;
		}
		WRITE_ONCE(b->tophash_word, (__force u64)cpu_to_le64(marks));
	}
	for (d = 0; d < nd; d++)
		hmap_write_end(dst[d].head);
	hmap_write_end(ohead);

	if (spare)
		hmap_free_spares(map, w, spare, false);
	hmap_count_event(map, worker ? HMAP_STAT_EVACUATED_BG : HMAP_STAT_EVACUATED);
	trace_hmap_evacuate(map->id, oi, moved, map->nevacuate, worker);

advance:
	if (oi == map->nevacuate) {
		unsigned long stop;

		map->nevacuate++;
		stop = min(map->nevacuate + HMAP_EVAC_SCAN_MAX, oldsize);
		while (map->nevacuate < stop &&
		       hmap_evacuated(hmap_bucket_at(o, map->nevacuate)))
			map->nevacuate++;
		if (map->nevacuate == oldsize)
			hmap_finish_grow(map, t, o);
	}
	return 0;
}

/* A writer's evacuation of the old bucket at nevacuate, while the map grows. */
static __always_inline int hmap_evacuate_next(struct hmap *map,
					      struct hmap_writer *w)
{
	struct hmap_table *t = hmap_dereference_protected(map->tbl, map);

	return hmap_evacuate(map, w, t, hmap_dereference_protected(t->old, map),
			     map->nevacuate, false);
}

/* It lacked memory: a write that may sleep allocates it and tries again. */
static noinline void hmap_evacuate_progress_refill(struct hmap *map,
						   struct hmap_writer *w)
{
	if (hmap_writer_refill(map, w) && map->growth != HMAP_GROWTH_NONE)
		hmap_evacuate_next(map, w);
}

/*
 * After a write, while the map grows: evacuates the old bucket at
 * nevacuate, so the grow finishes. Progress only: without memory (or, for
 * a write that may not sleep, with none in the caches) it is left for the
 * next write or the worker.
 */
static __always_inline void hmap_evacuate_progress(struct hmap *map,
						   struct hmap_writer *w)
{
	if (unlikely(map->growth != HMAP_GROWTH_NONE) &&
	    unlikely(hmap_evacuate_next(map, w)))
		hmap_evacuate_progress_refill(map, w);
}

/*
 * Growth work before a write of a key with @hash: evacuate the old bucket
 * the key may still be in, which the write needs. The one at nevacuate,
 * which only makes progress, comes after the write's own change
 * (hmap_evacuate_progress()), so that a refill for it never undoes that.
 */
static int hmap_grow_work(struct hmap *map, struct hmap_writer *w, u64 hash)
{
	struct hmap_table *t = hmap_dereference_protected(map->tbl, map);
	struct hmap_table *o = hmap_dereference_protected(t->old, map);

	lockdep_assert_held(&map->lock);

	/* The writers calling this have stamped map->last_write already. */
	return hmap_evacuate(map, w, t, o, hash & (hmap_nbuckets(o) - 1), false);
}

static bool hmap_over_load(u64 count, unsigned int B)
{
	return count > HMAP_BUCKET_SLOTS &&
	       count * HMAP_LOAD_DEN > ((u64)HMAP_LOAD_NUM << B);
}

static bool hmap_too_many_overflow(unsigned long noverflow, unsigned int B)
{
	return noverflow >= 1UL << min(B, 15U);
}

/*
 * Shrink when the load is a quarter of the grow threshold (1.625 entries
 * per bucket): the halved array then sits at half the threshold, so it
 * takes doubling the entries to grow it back, or halving them to shrink it
 * again, and a map at either edge does not flap.
 */
static bool hmap_under_load(struct hmap *map, unsigned int B)
{
	lockdep_assert_held(&map->lock);
	return B > 0 && !(map->flags & HMAP_F_NO_SHRINK) &&
	       map->count * 4 * HMAP_LOAD_DEN <= ((u64)HMAP_LOAD_NUM << B);
}

/*
 * Arrays this large are allocated ahead of a double grow by the worker:
 * zeroing megabytes would otherwise be the latency of one unlucky insert.
 * Once writes that may not sleep have come (map->atomic_writes), every
 * size is: those writes cannot allocate an array themselves.
 */
#define HMAP_SPARE_MIN_BYTES	(64 * 1024)

/* Whether the next double grow's array should be allocated now. */
static __always_inline bool hmap_spare_due(struct hmap *map, unsigned int B)
{
	lockdep_assert_held(&map->lock);
	/* Three quarters of the way to the grow point: false most often. */
	return map->count * 4 * HMAP_LOAD_DEN >= 3 * ((u64)HMAP_LOAD_NUM << B) &&
	       map->growth == HMAP_GROWTH_NONE && !map->spare && B < map->max_B &&
	       (map->atomic_writes ||
		((size_t)map->layout.bucket_size << (B + 1)) >= HMAP_SPARE_MIN_BYTES);
}

/* Whether to ask the worker for it (once). */
static __always_inline bool hmap_want_spare(struct hmap *map, unsigned int B)
{
	return !map->spare_pending && hmap_spare_due(map, B);
}

/* A write that may not sleep leaves the grow of @kind to the worker. */
static void hmap_defer_grow(struct hmap *map, u32 kind)
{
	lockdep_assert_held(&map->lock);
	if (map->grow_deferred == kind)
		return;
	map->grow_deferred = kind;
	mod_delayed_work(hmap_wq, &map->evac_work, 0);
}

/*
 * Drops the spare array (the table changed size another way). Freed from
 * the workqueue: not under the lock.
 */
static void hmap_drop_spare(struct hmap *map)
{
	lockdep_assert_held(&map->lock);
	if (map->spare)
		hmap_retire_table(map, map->spare, false);
	map->spare = NULL;
}

/*
 * The resize the worker starts for a map of @B: a grow a write deferred if
 * it is still due, or a shrink; HMAP_GROWTH_NONE if none. Go's grows stay
 * the writes' to start: the worker only finishes what one could not.
 */
static u32 hmap_worker_resize_due(struct hmap *map, unsigned int B)
{
	u32 kind = map->grow_deferred;

	lockdep_assert_held(&map->lock);
	if (map->growth != HMAP_GROWTH_NONE)
		return HMAP_GROWTH_NONE;
	if ((kind == HMAP_GROWTH_DOUBLE && hmap_over_load(map->count, B) &&
	     map->max_B > B) ||
	    (kind == HMAP_GROWTH_SAMESIZE &&
	     hmap_too_many_overflow(map->noverflow, B)))
		return kind;
	map->grow_deferred = HMAP_GROWTH_NONE;
	if (hmap_under_load(map, B))
		return HMAP_GROWTH_SHRINK;
	return HMAP_GROWTH_NONE;
}

static unsigned int hmap_resize_B(unsigned int B, u32 kind)
{
	return kind == HMAP_GROWTH_DOUBLE ? B + 1 :
	       kind == HMAP_GROWTH_SHRINK ? B - 1 : B;
}

/*
 * Worker side: allocate the array the map needs next outside the lock (it
 * may sleep a while), then keep it if it is still wanted.
 */
static void hmap_make_spare(struct hmap *map)
{
	struct hmap_table *nt = NULL;
	unsigned long flags;
	int want = -1;
	unsigned int B;
	u32 kind;

	raw_spin_lock_irqsave(&map->lock, flags);
	B = hmap_dereference_protected(map->tbl, map)->B;
	kind = hmap_worker_resize_due(map, B);
	/*
	 * Asked before a grow that did not wait for the spare, a request is
	 * for an array the map no longer needs: check again at today's B.
	 */
	if (map->spare)
		want = -1;
	else if (kind != HMAP_GROWTH_NONE)
		want = hmap_resize_B(B, kind);
	else if (map->spare_pending && hmap_spare_due(map, B))
		want = B + 1;
	raw_spin_unlock_irqrestore(&map->lock, flags);
	if (want >= 0)
		nt = hmap_alloc_table(map, want, GFP_KERNEL);

	raw_spin_lock_irqsave(&map->lock, flags);
	if (nt && map->growth == HMAP_GROWTH_NONE && !map->spare &&
	    hmap_dereference_protected(map->tbl, map)->B == B) {
		map->spare = nt;
		nt = NULL;
	}
	map->spare_pending = false;
	raw_spin_unlock_irqrestore(&map->lock, flags);
	if (nt)
		hmap_free_table(nt, NULL);
}

/*
 * Publishes a new array; entries move later, in hmap_grow_work(). The
 * array is map->spare: without one of the right size this allocates
 * nothing and fails with -ENOMEM, recording in @w (if any) what it lacked.
 */
static int hmap_start_grow(struct hmap *map, struct hmap_writer *w, u32 kind)
{
	struct hmap_table *t = hmap_dereference_protected(map->tbl, map), *nt;
	unsigned int B = hmap_resize_B(t->B, kind);

	lockdep_assert_held(&map->lock);

	if (!map->spare || map->spare->B != B) {
		hmap_drop_spare(map);
		if (w) {
			hmap_writer_lack(w, HMAP_OBJ_BUCKET, 0);
			w->want_B = B;
		}
		return -ENOMEM;
	}
	nt = map->spare;
	map->spare = NULL;
	map->grow_deferred = HMAP_GROWTH_NONE;
	RCU_INIT_POINTER(nt->old, t);
	nt->gen = ++map->ngen;
	map->old_noverflow = map->noverflow;
	map->noverflow = 0;
	map->nevacuate = 0;
	map->growth = kind;
	rcu_assign_pointer(map->tbl, nt);
	hmap_count_event(map, kind == HMAP_GROWTH_DOUBLE ? HMAP_STAT_GROWS :
			 kind == HMAP_GROWTH_SAMESIZE ? HMAP_STAT_SAMESIZE_GROWS :
			 HMAP_STAT_SHRINKS);
	trace_hmap_grow_start(map->id, t->B, B, kind, map->count);
	/* If writes stop before the grow is done, the worker finishes it. */
	queue_delayed_work(hmap_wq, &map->evac_work, map->evac_delay);
	return 0;
}

/*
 * For writers that may not sleep: what they could not free, a seed for
 * the next reseed (and the reseed they could not do), the array a clear
 * installs, and objects in every CPU's caches.
 */
static void hmap_worker_restock(struct hmap *map)
{
	struct hmap_table *empty = NULL;
	struct llist_node *n, *next;
	siphash_key_t seed;
	unsigned long flags;
	bool atomic;
	int k;

	for (k = 0; k < HMAP_OBJ_NR; k++)
		llist_for_each_safe(n, next, llist_del_all(&map->trash[k]))
			hmap_cache_release(k, n, k != HMAP_OBJ_BUCKET);

	raw_spin_lock_irqsave(&map->lock, flags);
	atomic = map->atomic_writes;
	raw_spin_unlock_irqrestore(&map->lock, flags);
	get_random_bytes(&seed, sizeof(seed));
	if (atomic)
		empty = hmap_alloc_table(map, 0, GFP_KERNEL);

	raw_spin_lock_irqsave(&map->lock, flags);
	if (!map->next_seed_ready) {
		map->next_seed = seed;
		map->next_seed_ready = true;
	}
	if (map->reseed_due && !map->count)
		hmap_reseed(map);
	map->reseed_due = false;
	if (empty && !map->empty) {
		map->empty = empty;
		empty = NULL;
	}
	raw_spin_unlock_irqrestore(&map->lock, flags);
	if (empty)
		hmap_free_table(empty, NULL);
	if (atomic) {
		hmap_cache_fill(map, HMAP_OBJ_BUCKET);
		if (map->layout.key_ool)
			hmap_cache_fill(map, HMAP_OBJ_KEY);
		if (map->layout.value_ool)
			hmap_cache_fill(map, HMAP_OBJ_VALUE);
	}
}

/*
 * The worker's delay before it tries again after running out of memory:
 * the idle delay, doubled at each failure in a row up to HMAP_RETRY_MAX_MS,
 * so that a map whose memory stays short costs an attempt every few
 * seconds, not one per idle delay.
 */
static unsigned long hmap_retry_later(struct hmap *map)
{
	unsigned long most = max(map->evac_delay,
				 msecs_to_jiffies(HMAP_RETRY_MAX_MS));

	lockdep_assert_held(&map->lock);
	map->retry_delay = map->retry_delay ?
			   min(2 * map->retry_delay, most) : map->evac_delay;
	return map->retry_delay;
}

/*
 * The map's worker. Restocks what writers that may not sleep need, and
 * allocates the array of the next resize when one is near or due (and
 * starts it if due: a write that could not wait for its array asked).
 * While a grow is in progress and no write came for map->evac_delay, it
 * evacuates in batches of HMAP_BG_BATCH old buckets, leaving the lock
 * between batches. Once the grow is done, it starts a shrink if the map is
 * under loaded, so an emptied map returns to one bucket. Out of memory for
 * either, it tries again later (hmap_retry_later()).
 */
static void hmap_evac_worker(struct work_struct *work)
{
	struct hmap *map = container_of(to_delayed_work(work), struct hmap,
					evac_work);
	struct hmap_writer w __uninitialized;
	struct hmap_table *t, *o;
	unsigned long delay = 0;
	unsigned int n;
	u32 kind;

	hmap_worker_restock(map);
	hmap_make_spare(map);
	hmap_writer_start(map, &w, GFP_KERNEL);
	for (;;) {
		t = hmap_dereference_protected(map->tbl, map);
		kind = hmap_worker_resize_due(map, t->B);
		if (kind != HMAP_GROWTH_NONE && hmap_start_grow(map, &w, kind)) {
			/* Allocate its array, then look again. */
			if (hmap_writer_refill(map, &w))
				continue;
			/* A delete would try again, but none may come. */
			delay = hmap_retry_later(map);
			break;
		}
		if (kind != HMAP_GROWTH_NONE)
			map->retry_delay = 0;
		if (map->growth == HMAP_GROWTH_NONE)
			break;
		if (time_before(jiffies, map->last_write + map->evac_delay)) {
			/* Writers are at it; look again when they pause. */
			delay = map->evac_delay;
			break;
		}
		t = hmap_dereference_protected(map->tbl, map);
		o = hmap_dereference_protected(t->old, map);
		for (n = 0; n < HMAP_BG_BATCH && map->growth != HMAP_GROWTH_NONE; n++) {
			if (hmap_evacuate(map, &w, t, o, map->nevacuate, true)) {
				if (!hmap_writer_refill(map, &w))
					delay = hmap_retry_later(map);	/* no memory */
				break;
			}
		}
		if (!delay)
			map->retry_delay = 0;
		if (delay)
			break;
		/* Leave the lock between batches. */
		hmap_writer_unlock(map, &w);
		cond_resched();
		hmap_writer_lock(map, &w);
	}
	hmap_writer_finish(map, &w);
	if (delay)
		queue_delayed_work(hmap_wq, &map->evac_work, delay);
}

/*
 * Publishes a new entry in slot @i of @b: its key bytes or out-of-line
 * @kobj, its value bytes or @vobj, then its tophash; @b hangs after @last
 * when it is a new overflow bucket (@nb).
 */
static __always_inline void hmap_publish_slot(struct hmap *map,
					      struct hmap_bucket *head,
					      struct hmap_bucket *b,
					      unsigned int i, u8 top, u32 ksize,
					      const void *key,
					      struct hmap_obj *kobj,
					      const void *value,
					      struct hmap_obj *vobj, bool nb,
					      struct hmap_bucket *last)
{
	const struct hmap_layout *l = &map->layout;

	lockdep_assert_held(&map->lock);

	hmap_write_begin(head);
	if (kobj)
		WRITE_ONCE(*(struct hmap_obj **)hmap_slot_key(l, b, i), kobj);
	else
		hmap_copy_bytes(hmap_slot_key(l, b, i), key, ksize);
	if (vobj)
		WRITE_ONCE(*(struct hmap_obj **)hmap_slot_value(l, b, i), vobj);
	else if (l->value_size)
		hmap_copy_bytes(hmap_slot_value(l, b, i), value, l->value_size);
	/* Key and value before the tophash that publishes them. */
	smp_wmb();
	WRITE_ONCE(b->tophash[i], top);
	if (nb)
		rcu_assign_pointer(last->overflow, b);
	hmap_write_end(head);
}

/*
 * hmap_insert() for what takes objects: an out-of-line key or value, or a
 * new overflow bucket when the chain is full.
 */
static noinline int hmap_insert_objs(struct hmap *map, struct hmap_writer *w,
				     struct hmap_bucket *head,
				     struct hmap_pos *free,
				     struct hmap_bucket *last, u8 top,
				     const void *key, const void *value)
{
	const struct hmap_layout *l = &map->layout;
	struct hmap_obj *kobj = NULL, *vobj = NULL;
	struct hmap_bucket *nb = NULL;

	lockdep_assert_held(&map->lock);

	/* Each is tried, so that a refill learns everything lacking. */
	if (l->key_ool)
		kobj = hmap_writer_copy(map, w, HMAP_OBJ_KEY, key);
	if (l->value_ool)
		vobj = hmap_writer_copy(map, w, HMAP_OBJ_VALUE, value);
	if (!free->b)
		nb = hmap_writer_obj(map, w, HMAP_OBJ_BUCKET);
	if ((l->key_ool && !kobj) || (l->value_ool && !vobj) ||
	    (!free->b && !nb))
		goto nomem;
	if (nb) {
		hmap_count_event(map, HMAP_STAT_OVERFLOW_ALLOCS);
		hmap_publish_slot(map, head, nb, 0, top, l->key_size, key, kobj,
				  value, vobj, true, last);
		map->noverflow++;
	} else {
		hmap_publish_slot(map, head, free->b, free->i, top, l->key_size,
				  key, kobj, value, vobj, false, NULL);
	}
	return 0;
nomem:
	/* Never published: no reader can have seen them. */
	if (kobj)
		hmap_writer_keep(map, w, HMAP_OBJ_KEY, kobj);
	if (vobj)
		hmap_writer_keep(map, w, HMAP_OBJ_VALUE, vobj);
	if (nb)
		hmap_writer_keep(map, w, HMAP_OBJ_BUCKET, nb);
	return -ENOMEM;
}

/*
 * Stores a new entry in an empty slot, or in a new overflow bucket. The
 * common insert, inline keys and values into a free slot, takes nothing.
 */
static __always_inline int hmap_insert(struct hmap *map, struct hmap_writer *w,
				       struct hmap_bucket *head,
				       struct hmap_pos *free,
				       struct hmap_bucket *last, u8 top,
				       u32 ksize, const void *key,
				       const void *value)
{
	const struct hmap_layout *l = &map->layout;

	if (unlikely(!free->b || l->key_ool || l->value_ool))
		return hmap_insert_objs(map, w, head, free, last, top, key,
					value);
	hmap_publish_slot(map, head, free->b, free->i, top, ksize, key, NULL,
			  value, NULL, false, NULL);
	return 0;
}

/*
 * Replaces the out-of-line value of the entry at @pos: the new value is
 * published as a new object and the old one freed after a grace period,
 * as rhashtable and BPF replace theirs. Objects never change once
 * published, so a reader that loaded the old pointer copies a whole old
 * value, and the pointer store needs no write section: readers do not
 * retry for a value write, however large the value (up to 64 KiB).
 */
static int hmap_replace_ool_value(struct hmap *map, struct hmap_writer *w,
				  struct hmap_pos *pos, const void *value)
{
	u8 *slot = hmap_slot_value(&map->layout, pos->b, pos->i);
	struct hmap_obj *old, *vobj;

	lockdep_assert_held(&map->lock);

	vobj = hmap_writer_copy(map, w, HMAP_OBJ_VALUE, value);
	if (!vobj)
		return -ENOMEM;
	old = *(struct hmap_obj **)slot;
	/* The value's bytes before the pointer that publishes them. */
	smp_store_release((struct hmap_obj **)slot, vobj);
	hmap_writer_free(map, w, HMAP_OBJ_VALUE, old, true);
	return 0;
}

/*
 * hmap_update() for a key size and hash that may be constants. @routed (a
 * constant): @map is a shard, and @hash the key's hash, which holds
 * throughout since a shard's seed never changes; else the hash is taken
 * under the lock, as the seed changes only under it.
 */
static __always_inline int hmap_update_sized(struct hmap *map, const void *key,
					     const void *value, u64 flags,
					     gfp_t gfp, u32 ksize, u32 hash_kind,
					     const bool routed, u64 hash)
{
	const struct hmap_layout *l = &map->layout;
	struct hmap_pos pos, free;
	struct hmap_bucket *head, *last;
	struct hmap_writer w __uninitialized;
	struct hmap_table *t;
	unsigned long stamp;
	u8 top;
	int err;

	if (flags > HMAP_UPDATE_EXIST)
		return -EINVAL;
	might_sleep_if(gfpflags_allow_blocking(gfp));

	hmap_writer_init(&w, gfp);
	if (l->value_ool && hmap_may_sleep(&w))
		hmap_writer_copy_value(map, &w, value);
	hmap_writer_begin(map, &w);
	stamp = map->last_write;
again:
	if (!routed)
		hash = hmap_hash_sized(map, key, ksize, hash_kind);
	top = hmap_tophash(hash);
	map->last_write = jiffies;
	t = hmap_dereference_protected(map->tbl, map);
	if (map->growth != HMAP_GROWTH_NONE) {
		err = hmap_grow_work(map, &w, hash);
		if (err)
			goto nomem;
		t = hmap_dereference_protected(map->tbl, map);
	}
	head = hmap_bucket_at(t, hash & (hmap_nbuckets(t) - 1));

	if (hmap_locked_find(map, head, top, key, ksize, &pos, &free, &last)) {
		err = -EEXIST;
		if (flags == HMAP_UPDATE_NOEXIST)
			goto out;
		if (l->value_ool) {
			err = hmap_replace_ool_value(map, &w, &pos, value);
			if (err)
				goto nomem;
		} else if (l->value_size) {
			hmap_write_begin(head);
			hmap_copy_bytes(hmap_slot_value(l, pos.b, pos.i), value,
					l->value_size);
			hmap_write_end(head);
		}
		hmap_count_event(map, HMAP_STAT_UPDATES);
		err = 0;
		goto out;
	}

	err = -ENOENT;
	if (flags == HMAP_UPDATE_EXIST)
		goto out;
	/*
	 * max_entries is at most the load of the largest array (max_B), so
	 * a map that is full needs no larger one: it is refused here.
	 */
	err = -E2BIG;
	if (map->count >= map->max_entries)
		goto out;

	if (map->growth == HMAP_GROWTH_NONE) {
		bool dbl = hmap_over_load(map->count + 1, t->B) &&
			   t->B < map->max_B;
		u32 kind = dbl ? HMAP_GROWTH_DOUBLE : HMAP_GROWTH_SAMESIZE;

		if (dbl || hmap_too_many_overflow(map->noverflow, t->B)) {
			if (!hmap_start_grow(map, &w, kind))
				goto again;
			if (hmap_may_sleep(&w))
				goto nomem;
			/*
			 * Without its array the grow waits for the worker, and
			 * the entry goes into the chains meanwhile: a longer
			 * chain for a while rather than a failed write.
			 */
			hmap_defer_grow(map, kind);
		}
	}

	err = hmap_insert(map, &w, head, &free, last, top, ksize, key, value);
	if (err)
		goto nomem;
	WRITE_ONCE(map->count, map->count + 1);
	hmap_count_event(map, HMAP_STAT_INSERTS);
	if (hmap_want_spare(map, t->B)) {
		map->spare_pending = true;
		mod_delayed_work(hmap_wq, &map->evac_work, 0);
	}
	goto out;
nomem:
	/* Nothing changed yet: allocate what was lacking and start over. */
	if (hmap_writer_refill(map, &w))
		goto again;
	/*
	 * A write that changed nothing does not count as one: the worker
	 * finishes a grow once writes pause, and writers in atomic context
	 * that fail, for want of what that grow would free, must not keep
	 * it waiting for ever.
	 */
	map->last_write = stamp;
	err = -ENOMEM;
out:
	hmap_evacuate_progress(map, &w);
	hmap_writer_finish(map, &w);
	return err;
}

/*
 * hmap_update() on a map of shards: the key's hash picks the shard, whose
 * write is the rest. Apart, so that the writes of a map without shards
 * carry none of it.
 */
static noinline int hmap_update_routed(struct hmap *map, const void *key,
				       const void *value, u64 flags, gfp_t gfp)
{
	u32 ks = map->layout.key_size;
	u64 hash = hmap_hash_sized(map, key, ks, map->hash);

	return hmap_update_sized(hmap_shard_of(map, hash), key, value, flags,
				 gfp, ks, map->hash, true, hash);
}

/**
 * hmap_update() - insert or replace an entry
 * @map: the map
 * @key: key_size bytes
 * @value: value_size bytes (ignored when value_size is 0)
 * @flags: HMAP_UPDATE_ANY, HMAP_UPDATE_NOEXIST or HMAP_UPDATE_EXIST
 * @gfp: what the call may do for memory: with a @gfp that allows blocking
 *	(GFP_KERNEL) it may sleep and allocates whatever it needs; with any
 *	other (GFP_ATOMIC, GFP_NOWAIT, 0) it never calls the allocator
 *
 * While the map grows, also evacuates up to two old buckets. A new key may
 * start a grow: a double grow when the load would pass 6.5 entries per
 * bucket, a same-size grow when there are as many overflow buckets as
 * buckets (up to 2^15). A value stored out of line (value_size over
 * HMAP_INLINE_MAX) is replaced by a new copy, the old one freed after a
 * grace period, so that readers never retry for it: that allocates too.
 *
 * A call that may not sleep takes the overflow buckets and out-of-line
 * keys and values it needs from the map's per-CPU caches, which the map's
 * worker keeps stocked once such a call has come, and a grow's array from
 * the worker, which allocates it ahead of the grow point. If the array is
 * not there yet, the new entry goes into the current chains and the
 * worker allocates the array and starts the grow soon after, as the write
 * would have: the map stays correct, and only its chains are longer
 * meanwhile.
 *
 * Context: Any context but NMI, also under a spinlock or raw spinlock,
 * with a @gfp that does not allow blocking; process context with one
 * that does. Takes map->lock, a raw spinlock, with interrupts off.
 * Return: 0 on success; -EINVAL for unknown @flags; -EEXIST (NOEXIST and
 * the key is present); -ENOENT (EXIST and the key is absent); -E2BIG if the
 * key is new and the map holds max_entries (never more than its largest
 * array takes, see hmap_create()); -ENOMEM if memory ran out or, for a
 * call that may not sleep, the caches had none of what it needed: the
 * map's contents are unchanged then.
 */
int hmap_update(struct hmap *map, const void *key, const void *value,
		u64 flags, gfp_t gfp)
{
	u32 ks = map->layout.key_size;

	if (unlikely(map->shard_mask))
		return hmap_update_routed(map, key, value, flags, gfp);
	/* Constant sizes for the common keys, as hmap_lookup() has. */
	if (map->hash == HMAP_HASH_FAST) {
		if (ks == 8)
			return hmap_update_sized(map, key, value, flags, gfp, 8,
						 HMAP_HASH_FAST, false, 0);
		if (ks == 4)
			return hmap_update_sized(map, key, value, flags, gfp, 4,
						 HMAP_HASH_FAST, false, 0);
		if (ks == 16)
			return hmap_update_sized(map, key, value, flags, gfp, 16,
						 HMAP_HASH_FAST, false, 0);
	} else {
		if (ks == 8)
			return hmap_update_sized(map, key, value, flags, gfp, 8,
						 HMAP_HASH_SIPHASH, false, 0);
		if (ks == 4)
			return hmap_update_sized(map, key, value, flags, gfp, 4,
						 HMAP_HASH_SIPHASH, false, 0);
		if (ks == 16)
			return hmap_update_sized(map, key, value, flags, gfp, 16,
						 HMAP_HASH_SIPHASH, false, 0);
	}
	return hmap_update_sized(map, key, value, flags, gfp, ks, map->hash,
				 false, 0);
}
EXPORT_SYMBOL_GPL(hmap_update);

/* The bucket before @b in its chain, or NULL if @b is the head. */
static struct hmap_bucket *hmap_prev_bucket(struct hmap *map,
					    struct hmap_bucket *head,
					    struct hmap_bucket *b)
{
	struct hmap_bucket *p;

	lockdep_assert_held(&map->lock);

	if (b == head)
		return NULL;
	for (p = head; hmap_dereference_protected(p->overflow, map) != b;
	     p = hmap_dereference_protected(p->overflow, map))
		;
	return p;
}

/*
 * Marks slot @pos deleted. When nothing live follows it, it and the run of
 * EMPTY_ONE slots before it become EMPTY_REST, across bucket boundaries, so
 * that searches stop early. Inside the chain's write section.
 */
static void hmap_clear_slot(struct hmap *map, struct hmap_bucket *head,
			    struct hmap_pos pos)
{
	struct hmap_bucket *b = pos.b, *next;
	unsigned int i = pos.i;

	lockdep_assert_held(&map->lock);

	WRITE_ONCE(b->tophash[i], HMAP_EMPTY_ONE);
	if (i == HMAP_BUCKET_SLOTS - 1) {
		next = hmap_dereference_protected(b->overflow, map);
		if (next && next->tophash[0] != HMAP_EMPTY_REST)
			return;
	} else if (b->tophash[i + 1] != HMAP_EMPTY_REST) {
		return;
	}
	for (;;) {
		WRITE_ONCE(b->tophash[i], HMAP_EMPTY_REST);
		if (i == 0) {
			b = hmap_prev_bucket(map, head, b);
			if (!b)
				return;
			i = HMAP_BUCKET_SLOTS - 1;
		} else {
			i--;
		}
		if (b->tophash[i] != HMAP_EMPTY_ONE)
			return;
	}
}

/*
 * Starts the shrink a delete made due. Its array comes from this call if
 * it may sleep, else from the worker, asked for it now; without memory,
 * the worker tries again later.
 */
static noinline void hmap_delete_shrink(struct hmap *map, struct hmap_writer *w)
{
	unsigned int B, tries;

	for (tries = 0; tries < 2; tries++) {
		B = hmap_dereference_protected(map->tbl, map)->B;
		if (map->growth != HMAP_GROWTH_NONE || !hmap_under_load(map, B) ||
		    !hmap_start_grow(map, w, HMAP_GROWTH_SHRINK))
			return;
		if (!hmap_may_sleep(w)) {
			if (!map->spare_pending) {
				map->spare_pending = true;
				mod_delayed_work(hmap_wq, &map->evac_work, 0);
			}
			return;
		}
		if (tries || !hmap_writer_refill(map, w))
			break;
	}
	queue_delayed_work(hmap_wq, &map->evac_work, map->evac_delay);
}

/*
 * hmap_delete() for a key size and hash that may be constants; @routed
 * and @hash as for hmap_update_sized().
 */
static __always_inline int hmap_delete_sized(struct hmap *map, const void *key,
					     gfp_t gfp, u32 ksize, u32 hash_kind,
					     const bool routed, u64 hash)
{
	const struct hmap_layout *l = &map->layout;
	struct hmap_bucket *head, *last;
	struct hmap_obj *kobj = NULL, *vobj = NULL;
	struct hmap_pos pos, free;
	struct hmap_table *t, *o;
	struct hmap_writer w __uninitialized;
	int err;

	might_sleep_if(gfpflags_allow_blocking(gfp));
	hmap_writer_start(map, &w, gfp);
	if (!routed)
		hash = hmap_hash_sized(map, key, ksize, hash_kind);
	map->last_write = jiffies;
	t = hmap_dereference_protected(map->tbl, map);
	head = NULL;
	if (map->growth != HMAP_GROWTH_NONE) {
		o = hmap_dereference_protected(t->old, map);
		/*
		 * Unlike Go, do not evacuate the key's old bucket first: until
		 * it is evacuated, that chain is where readers look for the key,
		 * so the key is deleted there and is never copied just to die.
		 */
		if (o) {
			head = hmap_bucket_at(o, hash & (hmap_nbuckets(o) - 1));
			if (hmap_evacuated(head))
				head = NULL;
		}
	}
	if (!head)
		head = hmap_bucket_at(t, hash & (hmap_nbuckets(t) - 1));
	err = -ENOENT;
	if (!hmap_locked_find(map, head, hmap_tophash(hash), key, ksize, &pos,
			      &free, &last)) {
		hmap_evacuate_progress(map, &w);
		goto out;
	}

	if (l->key_ool)
		kobj = *(struct hmap_obj **)hmap_slot_key(l, pos.b, pos.i);
	if (l->value_ool)
		vobj = *(struct hmap_obj **)hmap_slot_value(l, pos.b, pos.i);

	hmap_write_begin(head);
	hmap_clear_slot(map, head, pos);
	hmap_write_end(head);

	/* Readers may still be copying from them: reused after a grace period. */
	if (kobj)
		hmap_writer_free(map, &w, HMAP_OBJ_KEY, kobj, true);
	if (vobj)
		hmap_writer_free(map, &w, HMAP_OBJ_VALUE, vobj, true);

	WRITE_ONCE(map->count, map->count - 1);
	hmap_count_event(map, HMAP_STAT_DELETES);
	if (!map->count)
		hmap_reseed(map);
	hmap_evacuate_progress(map, &w);
	if (unlikely(map->growth == HMAP_GROWTH_NONE &&
		     hmap_under_load(map, hmap_dereference_protected(map->tbl, map)->B)))
		hmap_delete_shrink(map, &w);
	err = 0;
out:
	hmap_writer_finish(map, &w);
	return err;
}

/* hmap_delete() on a map of shards, as hmap_update_routed(). */
static noinline int hmap_delete_routed(struct hmap *map, const void *key,
				       gfp_t gfp)
{
	u32 ks = map->layout.key_size;
	u64 hash = hmap_hash_sized(map, key, ks, map->hash);

	return hmap_delete_sized(hmap_shard_of(map, hash), key, gfp, ks,
				 map->hash, true, hash);
}

/**
 * hmap_delete() - remove a key
 * @map: the map
 * @key: key_size bytes
 * @gfp: as for hmap_update(); a delete allocates only the array of a
 *	shrink, which without blocking it leaves to the worker
 *
 * While the map grows, also evacuates the old bucket at nevacuate, and
 * removes the key from its old chain if that chain is not evacuated yet.
 * Removing the last entry gives the map a new hash seed (not in a map of
 * shards, see hmap_create()). A delete that
 * leaves the map under a quarter of its maximum load starts a shrink to
 * half the buckets (without memory for it, the worker tries later, and
 * again at growing intervals while memory stays short).
 *
 * Context: Any context but NMI, also under a spinlock or raw spinlock,
 * with a @gfp that does not allow blocking; process context with one
 * that does. Takes map->lock, a raw spinlock, with interrupts off.
 * Return: 0 if the key was removed; -ENOENT if it was absent.
 */
int hmap_delete(struct hmap *map, const void *key, gfp_t gfp)
{
	u32 ks = map->layout.key_size;

	if (unlikely(map->shard_mask))
		return hmap_delete_routed(map, key, gfp);
	/* Constant sizes for the common keys, as hmap_lookup() has. */
	if (map->hash == HMAP_HASH_FAST) {
		if (ks == 8)
			return hmap_delete_sized(map, key, gfp, 8, HMAP_HASH_FAST,
						 false, 0);
		if (ks == 4)
			return hmap_delete_sized(map, key, gfp, 4, HMAP_HASH_FAST,
						 false, 0);
		if (ks == 16)
			return hmap_delete_sized(map, key, gfp, 16, HMAP_HASH_FAST,
						 false, 0);
	} else {
		if (ks == 8)
			return hmap_delete_sized(map, key, gfp, 8,
						 HMAP_HASH_SIPHASH, false, 0);
		if (ks == 4)
			return hmap_delete_sized(map, key, gfp, 4,
						 HMAP_HASH_SIPHASH, false, 0);
		if (ks == 16)
			return hmap_delete_sized(map, key, gfp, 16,
						 HMAP_HASH_SIPHASH, false, 0);
	}
	return hmap_delete_sized(map, key, gfp, ks, map->hash, false, 0);
}
EXPORT_SYMBOL_GPL(hmap_delete);

/**
 * hmap_clear() - remove every entry
 * @map: the map
 * @gfp: as for hmap_update(): the new one-bucket array comes from the
 *	allocator with a @gfp that allows blocking, else from the worker,
 *	which keeps one ready once a write that may not sleep has come
 *
 * Replaces the bucket arrays with one empty bucket and gives the map a new
 * hash seed. The old arrays and their entries are freed after an RCU grace
 * period, by the workqueue; lookups that started before the call may
 * still find old entries. A map of shards clears its shards one after
 * the other, each under its own lock, so a concurrent reader may see some
 * shards cleared and others not yet; it keeps its seed.
 *
 * Context: Any context but NMI, also under a spinlock or raw spinlock,
 * with a @gfp that does not allow blocking; process context with one
 * that does. Takes map->lock, a raw spinlock, with interrupts off.
 * Return: 0, or -ENOMEM if there was no new array (the map is unchanged
 * then; for a map of shards, the shards that had none are unchanged and
 * the others are cleared).
 */
int hmap_clear(struct hmap *map, gfp_t gfp)
{
	struct hmap_table *t, *o, *nt = NULL;
	struct hmap_writer w __uninitialized;
	unsigned int i;
	int err = 0;

	might_sleep_if(gfpflags_allow_blocking(gfp));
	if (map->shard_mask) {
		for (i = 0; i <= map->shard_mask; i++)
			err = hmap_clear(map->shards[i], gfp) ?: err;
		return err;
	}
	if (gfpflags_allow_blocking(gfp)) {
		nt = hmap_alloc_table(map, 0, gfp);
		if (!nt)
			return -ENOMEM;
	}
	hmap_writer_start(map, &w, gfp);
	if (!nt) {
		nt = map->empty;
		map->empty = NULL;
		/* The worker makes the next one. */
		mod_delayed_work(hmap_wq, &map->evac_work, 0);
		if (!nt) {
			hmap_writer_finish(map, &w);
			return -ENOMEM;
		}
	}
	t = hmap_dereference_protected(map->tbl, map);
	o = hmap_dereference_protected(t->old, map);
	hmap_drop_spare(map);
	hmap_reseed(map);
	nt->gen = ++map->ngen;
	rcu_assign_pointer(map->tbl, nt);
	WRITE_ONCE(map->count, 0);
	map->growth = HMAP_GROWTH_NONE;
	map->grow_deferred = HMAP_GROWTH_NONE;
	map->nevacuate = 0;
	map->noverflow = 0;
	map->old_noverflow = 0;
	hmap_count_event(map, HMAP_STAT_CLEARS);
	/* Each array owns the live entries it still holds. */
	hmap_retire_table(map, t, true);
	if (o)
		hmap_retire_table(map, o, true);
	hmap_writer_finish(map, &w);
	return 0;
}
EXPORT_SYMBOL_GPL(hmap_clear);

/* ---- iteration ---- */

/* hmap_iter_init() of one map (or one shard). */
static void hmap_iter_init_one(struct hmap *map, struct hmap_iter *iter, u32 r)
{
	struct hmap_table *t = rcu_dereference(map->tbl);

	memset(iter, 0, sizeof(*iter));
	iter->map = map;
	iter->tbl = t;
	iter->start_bucket = r & (hmap_nbuckets(t) - 1);
	iter->bucket = iter->start_bucket;
	iter->offset = (r >> 29) & (HMAP_BUCKET_SLOTS - 1);
}

/* Moves a walk over a map of shards on to shard @i, @left shards before its end. */
static void hmap_iter_enter_shard(struct hmap_iter *iter, struct hmap *router,
				  u32 i, u32 left, u32 rnd)
{
	/*
	 * Each shard's random start from the one number hmap_iter_init()
	 * drew: the random pool is not called again in hmap_iter_next(),
	 * whose callers may be in any context.
	 */
	hmap_iter_init_one(router->shards[i], iter, (u32)hmap_fold_mul(rnd, i + 1));
	iter->router = router;
	iter->shard = i;
	iter->shards_left = left;
	iter->rnd = rnd;
}

/**
 * hmap_iter_init() - start a walk over a map
 * @map: the map
 * @iter: the walk's state, filled here
 *
 * The walk starts at a random bucket and a random slot offset, as Go's
 * does, so no caller comes to depend on an order. Every entry present for
 * the whole walk is returned exactly once, also when the map grows during
 * the walk; entries inserted or removed during the walk may or may not be.
 * A map of shards is walked shard by shard, from a random one.
 *
 * Context: Caller holds rcu_read_lock() until the walk's last
 * hmap_iter_next() call. Any context but NMI.
 */
void hmap_iter_init(struct hmap *map, struct hmap_iter *iter)
{
	u32 r = get_random_u32();

	if (map->shard_mask)
		/* The shards in turn, from a random one. */
		hmap_iter_enter_shard(iter, map, r & map->shard_mask,
				      map->shard_mask, r);
	else
		hmap_iter_init_one(map, iter, r);
}
EXPORT_SYMBOL_GPL(hmap_iter_init);

static bool hmap_evacuated_stable(struct hmap_bucket *head)
{
	unsigned int seq;
	bool evac;

	do {
		seq = hmap_read_begin(head);
		evac = hmap_evacuated(head);
	} while (hmap_read_retry(head, seq));
	return evac;
}

/*
 * Plans the chains that hold the entries of @iter->bucket right now. Not
 * growing: the bucket's chain. Double or same-size grow: the old chain if
 * it is not evacuated yet (in a double grow only the entries of our half),
 * else the new one. Shrink: each of the two old chains not evacuated yet,
 * then the new chain without the entries that came from those two (they
 * would arrive there if evacuated during the walk, and were already read).
 */
static void hmap_iter_enter_bucket(struct hmap_iter *iter)
{
	struct hmap_table *t = iter->tbl, *o = rcu_dereference(t->old);
	struct hmap_bucket *ohead;
	unsigned long oi;

	iter->nchain = 0;
	iter->nskip = 0;
	iter->keep_new_index = false;
	if (o && o->B <= t->B) {
		ohead = hmap_bucket_at(o, iter->bucket & (hmap_nbuckets(o) - 1));
		if (!hmap_evacuated_stable(ohead)) {
			iter->chain[iter->nchain++] = ohead;
			iter->keep_new_index = o->B < t->B;
		}
	} else if (o) {
		iter->old_mask = hmap_nbuckets(o) - 1;
		for (oi = iter->bucket; oi < hmap_nbuckets(o);
		     oi += hmap_nbuckets(t)) {
			ohead = hmap_bucket_at(o, oi);
			if (hmap_evacuated_stable(ohead))
				continue;
			iter->chain[iter->nchain++] = ohead;
			iter->skip_old[iter->nskip++] = oi;
		}
	}
	if (!iter->nchain || iter->nskip)
		iter->chain[iter->nchain++] = hmap_bucket_at(t, iter->bucket);
	iter->ci = 0;
	iter->b = iter->chain[0];
	iter->slot = 0;
}

/* Whether the entry with @key belongs to another part of the walk. */
static bool hmap_iter_filtered(struct hmap_iter *iter, const void *key)
{
	u64 hash;

	if (iter->keep_new_index) {
		hash = hmap_hash(iter->map, key);
		return (hash & (hmap_nbuckets(iter->tbl) - 1)) != iter->bucket;
	}
	/* Only the new chain of a shrink, read after the old ones, filters. */
	if (iter->nskip && iter->ci == iter->nchain - 1) {
		hash = hmap_hash(iter->map, key) & iter->old_mask;
		return hash == iter->skip_old[0] ||
		       (iter->nskip > 1 && hash == iter->skip_old[1]);
	}
	return false;
}

/*
 * Reads slot @i of the current bucket. Returns 1 and fills @key/@value if
 * it holds an entry to return, 0 to skip it.
 */
static int hmap_iter_slot(struct hmap_iter *iter, unsigned int i, void *key,
			  void *value)
{
	struct hmap *map = iter->map;
	const struct hmap_layout *l = &map->layout;
	struct hmap_bucket *b = iter->b, *head = iter->chain[iter->ci];
	const u8 *k, *v = NULL;
	unsigned int seq;
	u8 top;

	for (;;) {
		seq = hmap_read_begin(head);
		top = READ_ONCE(b->tophash[i]);
		if (!hmap_is_live(top) && top != HMAP_EVACUATED_X &&
		    top != HMAP_EVACUATED_Y)
			return 0;
		/* Pairs with the writers' smp_wmb() before the tophash. */
		smp_rmb();
		k = hmap_key_bytes(l, b, i);
		if (!k)
			goto retry;
		memcpy(key, k, l->key_size);
		if (hmap_is_live(top) && value && l->value_size) {
			v = hmap_value_bytes(l, b, i);
			if (!v)
				goto retry;
			/* An out-of-line value's object never changes: later. */
			if (!l->value_ool)
				memcpy(value, v, l->value_size);
		}
		if (!hmap_read_retry(head, seq))
			break;
retry:
		hmap_count_runtime(map, HMAP_STAT_READER_RETRIES);
	}
	if (l->value_ool && v && hmap_is_live(top))
		memcpy(value, v, l->value_size);

	if (hmap_iter_filtered(iter, key))
		return 0;
	if (hmap_is_live(top))
		return 1;
	/*
	 * Moved to a newer array since the walk began: this slot is still
	 * the key's one place in the walk, but its current value is there.
	 */
	return __hmap_lookup_rcu(map, hmap_hash(map, key), key,
				 map->layout.key_size, value, false);
}

/* hmap_iter_next() within one map (or one shard). */
static int hmap_iter_next_one(struct hmap_iter *iter, void *key, void *value)
{
	unsigned long n = hmap_nbuckets(iter->tbl);

	while (!iter->done) {
		if (!iter->b) {
			if (iter->bucket == iter->start_bucket && iter->wrapped) {
				iter->done = true;
				break;
			}
			hmap_iter_enter_bucket(iter);
		}
		while (iter->slot < HMAP_BUCKET_SLOTS) {
			unsigned int i = (iter->slot++ + iter->offset) &
					 (HMAP_BUCKET_SLOTS - 1);

			if (hmap_iter_slot(iter, i, key, value))
				return 0;
		}
		iter->b = rcu_dereference(iter->b->overflow);
		iter->slot = 0;
		if (!iter->b && ++iter->ci < iter->nchain)
			iter->b = iter->chain[iter->ci];
		if (!iter->b) {
			iter->bucket = (iter->bucket + 1) & (n - 1);
			if (iter->bucket == 0)
				iter->wrapped = true;
		}
	}
	return -ENOENT;
}

/**
 * hmap_iter_next() - return the walk's next entry
 * @iter: a walk started with hmap_iter_init()
 * @key: buffer of key_size bytes for the key
 * @value: buffer of value_size bytes for the value, or NULL
 *
 * A map of shards is walked one shard after the other, each as a map.
 *
 * Context: Caller holds rcu_read_lock() since hmap_iter_init(). Any
 * context but NMI.
 * Return: 0 with the entry copied out, -ENOENT once the walk is over.
 */
int hmap_iter_next(struct hmap_iter *iter, void *key, void *value)
{
	struct hmap *router;

	while (hmap_iter_next_one(iter, key, value)) {
		router = iter->router;
		if (!router || !iter->shards_left)
			return -ENOENT;
		hmap_iter_enter_shard(iter, router,
				      (iter->shard + 1) & router->shard_mask,
				      iter->shards_left - 1, iter->rnd);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(hmap_iter_next);

/* ---- creation, introspection ---- */

static struct hmap *hmap_create_sharded(const struct hmap_params *params);
static struct hmap *hmap_create_one(const struct hmap_params *params,
				    struct hmap *router);

/**
 * hmap_create() - create a map
 * @params: key and value sizes, entry limit, flags
 *
 * All of the map's memory, for its whole life, is charged to the memory
 * cgroup of the calling task's mm (the root cgroup for a kernel thread):
 * also what other tasks' writes, interrupts and the map's worker allocate
 * for it. Objects parked in its per-CPU caches stay charged there, and
 * that cgroup's reclaim frees them.
 *
 * A bucket array is one allocation, which kvmalloc() limits to INT_MAX
 * bytes (HMAP_ALLOC_MAX), so a map's buckets can double only up to the
 * largest B whose array fits (hmap_max_B() of the bucket size), and it
 * holds at most the load of that array, 6.5 entries per bucket
 * (hmap_max_load()). A max_entries of 0, or one over that, is lowered to
 * it: hmap_get_info() reports the map's max_entries. With 8-byte keys and
 * values (152-byte buckets) that is 2^23 buckets and 54,525,952 entries;
 * no bucket size reaches HMAP_MAX_ENTRIES. At max_entries a new key is
 * refused with -E2BIG rather than let chains grow longer, so lookups stay
 * O(1) in every map that fits.
 *
 * Shards (@params->shard_bits > 0) let writers on different CPUs run at
 * once: the map is then 2^shard_bits complete maps, each with its own
 * writer lock, arrays, growth and worker, and a key's hash bits 48..55
 * pick its shard. Lookups, updates and deletes cost one branch and two
 * dependent loads more (the shard's pointer, then the shard). Each shard
 * has the fixed memory of a map: per possible CPU, its counters
 * (HMAP_STAT_NR u64s) and, per object kind, a cache of cache_objs
 * slots, which the worker keeps half full once a write that may not
 * sleep has come (a write in atomic context takes all it needs from
 * there, so a shard's cache is not made smaller); so choose shard_bits
 * for the writers that will run at once, not for the size of the
 * machine. Each shard takes max_entries /
 * 2^shard_bits entries (rounded down; with max_entries 0,
 * HMAP_MAX_ENTRIES / 2^shard_bits, or what its largest array takes if
 * less), so count never exceeds max_entries, but a new key may
 * be refused with -E2BIG once its own shard is full: with a well-mixed
 * hash, the fullest of n shards holding c entries in all is about
 * sqrt(2 c ln(n) / n) over the mean. A map of shards keeps its seed for
 * life, since a new one would move keys between shards.
 *
 * Context: Process context; may sleep.
 * Return: the map, or ERR_PTR(-EINVAL) for bad parameters (NULL @params,
 * key_size 0 or over HMAP_MAX_KEY_SIZE, value_size over
 * HMAP_MAX_VALUE_SIZE, max_entries over HMAP_MAX_ENTRIES or, with
 * shards, not 0 and under one per shard, evac_delay_ms over
 * HMAP_MAX_EVAC_DELAY_MS, shard_bits over HMAP_MAX_SHARD_BITS, an unknown
 * hash or flags), or ERR_PTR(-ENOMEM).
 */
struct hmap *hmap_create(const struct hmap_params *params)
{
	if (!params || !params->key_size ||
	    params->key_size > HMAP_MAX_KEY_SIZE ||
	    params->value_size > HMAP_MAX_VALUE_SIZE ||
	    params->max_entries > HMAP_MAX_ENTRIES ||
	    params->evac_delay_ms > HMAP_MAX_EVAC_DELAY_MS ||
	    params->hash >= HMAP_HASH_NR ||
	    params->shard_bits > HMAP_MAX_SHARD_BITS ||
	    (params->max_entries &&
	     params->max_entries >> params->shard_bits == 0) ||
	    (params->flags & ~HMAP_F_MASK))
		return ERR_PTR(-EINVAL);
	if (params->shard_bits)
		return hmap_create_sharded(params);
	return hmap_create_one(params, NULL);
}
EXPORT_SYMBOL_GPL(hmap_create);

/* A map of one table, or with @router one of @router's shards. */
static struct hmap *hmap_create_one(const struct hmap_params *params,
				    struct hmap *router)
{
	struct hmap_layout *l;
	struct hmap_table *t;
	struct hmap *map;

	map = kzalloc(sizeof(*map), GFP_KERNEL_ACCOUNT);
	if (!map)
		return ERR_PTR(-ENOMEM);
	/* A kernel thread's maps go to the root cgroup (no mm). */
	map->memcg = get_mem_cgroup_from_mm(current->mm);
	l = &map->layout;
	l->key_size = params->key_size;
	l->value_size = params->value_size;
	l->key_ool = l->key_size > HMAP_INLINE_MAX;
	l->value_ool = l->value_size > HMAP_INLINE_MAX;
	l->key_slot = l->key_ool ? sizeof(void *) : l->key_size;
	l->value_slot = l->value_ool ? sizeof(void *) : l->value_size;
	/*
	 * Key and value side by side, unless an out-of-line pointer, which
	 * is read with single loads and must be aligned, would need padding.
	 * Inline bytes are read with unaligned-safe loads either way.
	 */
	if ((l->key_ool || l->value_ool) &&
	    (l->key_slot % sizeof(void *) || l->value_slot % sizeof(void *))) {
		l->key_stride = l->key_slot;
		l->value_base = HMAP_BUCKET_SLOTS * l->key_slot;
		l->value_stride = l->value_slot;
	} else {
		l->key_stride = l->key_slot + l->value_slot;
		l->value_base = l->key_slot;
		l->value_stride = l->key_stride;
	}
	/* Keep buckets 8-aligned so out-of-line pointers are too. */
	l->bucket_size = ALIGN(sizeof(struct hmap_bucket) +
			       HMAP_BUCKET_SLOTS * (l->key_slot + l->value_slot),
			       sizeof(u64));
	map->hash = params->hash;
	map->alloc_max = HMAP_ALLOC_MAX;
	map->max_B = hmap_max_B(l->bucket_size, map->alloc_max);
	/* 0, or more than the largest array takes: as many as that takes. */
	map->max_entries = min(params->max_entries ?: HMAP_MAX_ENTRIES,
			       hmap_max_load(map->max_B));
	map->flags = params->flags;
	raw_spin_lock_init(&map->lock);
	get_random_bytes(&map->seed, sizeof(map->seed));
	get_random_bytes(&map->next_seed, sizeof(map->next_seed));
	map->next_seed_ready = true;
	if (router) {
		map->seed = router->seed;
		map->router = router;
	}
	map->id = atomic_inc_return(&hmap_next_id);
	map->evac_delay_ms = params->evac_delay_ms ?: HMAP_EVAC_DELAY_MS;
	map->evac_delay = msecs_to_jiffies(map->evac_delay_ms);
	INIT_DELAYED_WORK(&map->evac_work, hmap_evac_worker);

	refcount_set(&map->refs, 1);
	map->stats = alloc_percpu_gfp(struct hmap_pcpu_stats, GFP_KERNEL_ACCOUNT);
	t = hmap_alloc_table(map, 0, GFP_KERNEL);
	if (!map->stats || !t || hmap_cache_create(map)) {
		if (t)
			hmap_free_table(t, NULL);
		hmap_free_map(map);
		return ERR_PTR(-ENOMEM);
	}
	RCU_INIT_POINTER(map->tbl, t);
	return map;
}

static void hmap_destroy_router_work(struct work_struct *work)
{
	struct hmap *map = container_of(to_rcu_work(work), struct hmap,
					destroy_work);

	kfree(map->shards);
	kfree(map);
}

/* Frees a map of shards once readers are done with it (see hmap_destroy()). */
static void hmap_destroy_router(struct hmap *map)
{
	unsigned int i;

	for (i = 0; i <= map->shard_mask; i++)
		hmap_destroy(map->shards[i]);
	INIT_RCU_WORK(&map->destroy_work, hmap_destroy_router_work);
	queue_rcu_work(hmap_wq, &map->destroy_work);
}

/*
 * A map of shards: the map the caller holds routes to its shards and has
 * only what routing needs (sizes, hash, seed) and the sums of its shards'
 * limits.
 */
static struct hmap *hmap_create_sharded(const struct hmap_params *params)
{
	struct hmap_params sp = *params;
	struct hmap *router, *shard;
	unsigned int i, n = 1U << params->shard_bits;

	router = kzalloc(sizeof(*router), GFP_KERNEL_ACCOUNT);
	if (!router)
		return ERR_PTR(-ENOMEM);
	router->shards = kcalloc(n, sizeof(*router->shards), GFP_KERNEL_ACCOUNT);
	if (!router->shards) {
		kfree(router);
		return ERR_PTR(-ENOMEM);
	}
	router->shard_mask = n - 1;
	get_random_bytes(&router->seed, sizeof(router->seed));
	router->id = atomic_inc_return(&hmap_next_id);
	sp.shard_bits = 0;
	/* The sum stays within HMAP_MAX_ENTRIES, as one map's limit does. */
	sp.max_entries = (params->max_entries ?: HMAP_MAX_ENTRIES) >>
			 params->shard_bits;
	for (i = 0; i < n; i++) {
		shard = hmap_create_one(&sp, router);
		if (IS_ERR(shard)) {
			/* Never published: no reader can hold the router. */
			while (i--)
				hmap_destroy(router->shards[i]);
			kfree(router->shards);
			kfree(router);
			return shard;
		}
		router->shards[i] = shard;
		router->max_entries += shard->max_entries;
	}
	shard = router->shards[0];
	router->layout = shard->layout;
	router->hash = shard->hash;
	router->evac_delay_ms = shard->evac_delay_ms;
	router->flags = shard->flags;
	router->alloc_max = shard->alloc_max;
	router->max_B = shard->max_B;
	return router;
}

/**
 * hmap_shard_count() - how many shards a map has
 * @map: the map
 *
 * Context: Any context.
 * Return: 2^hmap_params.shard_bits: 1 for a map without shards.
 */
unsigned int hmap_shard_count(const struct hmap *map)
{
	return map->shard_mask + 1;
}
EXPORT_SYMBOL_GPL(hmap_shard_count);

/**
 * hmap_shard() - one shard of a map, to look at
 * @map: the map
 * @i: the shard's number, below hmap_shard_count()
 *
 * A shard is a map of its own: hmap_get_info(), hmap_snapshot_bucket(),
 * hmap_get_histogram() and hmap_verify() describe it. Reading it is all a
 * caller may do: a key written to it directly would be in the wrong
 * shard. It lives as long as @map.
 *
 * Context: Any context.
 * Return: the shard; @map itself for shard 0 of a map without shards;
 * NULL if @i is out of range.
 */
struct hmap *hmap_shard(struct hmap *map, unsigned int i)
{
	if (i > map->shard_mask)
		return NULL;
	return map->shard_mask ? map->shards[i] : map;
}
EXPORT_SYMBOL_GPL(hmap_shard);

/* hmap_set_alloc_limit() takes a map of one bucket, not growing, only. */
static bool hmap_alloc_limit_busy(struct hmap *map)
{
	struct hmap_table *t = hmap_dereference_protected(map->tbl, map);

	lockdep_assert_held(&map->lock);
	return t->B || map->growth != HMAP_GROWTH_NONE;
}

/**
 * hmap_set_alloc_limit() - make a map behave as if arrays over @bytes failed
 * @map: a map of one bucket, not growing (a new one)
 * @bytes: the largest bucket array to allocate, from one bucket to
 *	HMAP_ALLOC_MAX bytes
 *
 * For tests: the map's largest B and its max_entries become those that an
 * allocator refusing more than @bytes would give (see hmap_create()), so
 * that a small map reaches the limit. A map of shards limits each shard
 * so (each shard must be of one bucket, not growing), and no other call
 * on the map may run meanwhile. An array over @bytes is never asked
 * for; if one were, the allocation would WARN and fail as kvcalloc()'s
 * over INT_MAX does.
 *
 * Context: Any context but NMI; takes and releases map->lock.
 * Return: 0; -EINVAL if @bytes is out of range; -EBUSY if the map has
 * more than one bucket or is growing.
 */
int hmap_set_alloc_limit(struct hmap *map, size_t bytes)
{
	struct hmap *sh;
	unsigned long flags;
	unsigned int i;
	bool busy;
	int err = 0;

	if (bytes < map->layout.bucket_size || bytes > HMAP_ALLOC_MAX)
		return -EINVAL;
	if (map->shard_mask) {
		/* Each shard's arrays are limited alike: all of them, or none. */
		for (i = 0; i <= map->shard_mask; i++) {
			sh = map->shards[i];
			raw_spin_lock_irqsave(&sh->lock, flags);
			busy = hmap_alloc_limit_busy(sh);
			raw_spin_unlock_irqrestore(&sh->lock, flags);
			if (busy)
				return -EBUSY;
		}
		for (i = 0; i <= map->shard_mask; i++)
			err = hmap_set_alloc_limit(map->shards[i], bytes) ?: err;
		if (err)	/* a write came between: the caller broke the rule */
			return err;
		WRITE_ONCE(map->max_entries, map->shards[0]->max_entries <<
			   fls(map->shard_mask));
		map->alloc_max = bytes;
		map->max_B = map->shards[0]->max_B;
		return 0;
	}
	raw_spin_lock_irqsave(&map->lock, flags);
	if (hmap_alloc_limit_busy(map)) {
		err = -EBUSY;
		goto out;
	}
	WRITE_ONCE(map->alloc_max, bytes);
	map->max_B = hmap_max_B(map->layout.bucket_size, bytes);
	map->max_entries = min(map->max_entries, hmap_max_load(map->max_B));
out:
	raw_spin_unlock_irqrestore(&map->lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(hmap_set_alloc_limit);

/**
 * hmap_drain_caches() - free what a map's per-CPU caches hold
 * @map: the map
 *
 * Gives the free overflow buckets and out-of-line keys and values that
 * the map's caches keep back to the allocator (those that readers may
 * still see, after a grace period), as the shrinker does under memory
 * pressure: for tests that need the caches empty.
 *
 * Context: Process context; may sleep. Not concurrently with
 * hmap_destroy() of @map.
 * Return: the number of objects freed.
 */
unsigned long hmap_drain_caches(struct hmap *map)
{
	unsigned long freed = 0;
	unsigned int i;

	might_sleep();
	if (map->shard_mask) {
		for (i = 0; i <= map->shard_mask; i++)
			freed += hmap_cache_drain(map->shards[i], ULONG_MAX);
		return freed;
	}
	return hmap_cache_drain(map, ULONG_MAX);
}
EXPORT_SYMBOL_GPL(hmap_drain_caches);

static void hmap_destroy_work(struct work_struct *work)
{
	struct hmap *map = container_of(to_rcu_work(work), struct hmap,
					destroy_work);
	struct hmap_table *t = rcu_dereference_protected(map->tbl, 1);
	struct hmap_table *o = rcu_dereference_protected(t->old, 1);
	struct llist_node *n, *next;
	int k;

	t->free_entries = true;
	hmap_free_table(t, NULL);
	if (map->spare)
		hmap_free_table(map->spare, NULL);
	if (map->empty)
		hmap_free_table(map->empty, NULL);
	for (k = 0; k < HMAP_OBJ_NR; k++)
		llist_for_each_safe(n, next, llist_del_all(&map->trash[k]))
			hmap_cache_release(k, n, false);
	if (o) {
		/* Only the entries not evacuated yet are still live there. */
		o->free_entries = true;
		hmap_free_table(o, NULL);
	}
	/* Retired arrays still queued hold references: the last frees. */
	hmap_put(map);
}

/**
 * hmap_destroy() - free a map and everything in it
 * @map: the map, or NULL
 *
 * The caller must make sure no other call on @map is running or will be
 * made. Lookups already inside an RCU read-side critical section may
 * finish: the memory is freed after a grace period. A map of shards
 * destroys each shard so.
 *
 * Context: Process context; waits for the map's background evacuation to
 * stop, so it may sleep.
 */
void hmap_destroy(struct hmap *map)
{
	if (!map)
		return;
	if (map->shard_mask) {
		hmap_destroy_router(map);
		return;
	}
	cancel_delayed_work_sync(&map->evac_work);
	INIT_RCU_WORK(&map->destroy_work, hmap_destroy_work);
	queue_rcu_work(hmap_wq, &map->destroy_work);
}
EXPORT_SYMBOL_GPL(hmap_destroy);

/**
 * hmap_count() - number of entries
 * @map: the map
 *
 * Context: Any context; lockless, so the value may be stale by the time
 * it is used. A map of shards sums its shards' counts one by one, so
 * with writers running the sum need not have held at any one instant.
 * Return: entries in the map.
 */
u64 hmap_count(const struct hmap *map)
{
	unsigned int i;
	u64 n = 0;

	if (!map->shard_mask)
		return READ_ONCE(map->count);
	for (i = 0; i <= map->shard_mask; i++)
		n += READ_ONCE(map->shards[i]->count);
	return n;
}
EXPORT_SYMBOL_GPL(hmap_count);

static void hmap_get_info_sharded(struct hmap *map, struct hmap_info *info)
{
	struct hmap_info si;
	unsigned int i, c;

	memset(info, 0, sizeof(*info));
	for (i = 0; i <= map->shard_mask; i++) {
		hmap_get_info(map->shards[i], &si);
		/* Resizes sum, so nevacuate / old_buckets is their progress. */
		if (!info->growth)
			info->growth = si.growth;
		info->old_B = max(info->old_B, si.old_B);
		info->old_buckets += si.old_buckets;
		info->nevacuate += si.nevacuate;
		info->old_noverflow += si.old_noverflow;
		info->B = max(info->B, si.B);
		info->buckets += si.buckets;
		info->count += si.count;
		info->noverflow += si.noverflow;
		info->memory += si.memory;
		info->cache_objects += si.cache_objects;
		info->spare_buckets += si.spare_buckets;
		info->counters_off = si.counters_off;
		for (c = 0; c < HMAP_STAT_NR; c++)
			info->counters[c] += si.counters[c];
	}
	info->id = map->id;
	info->key_size = map->layout.key_size;
	info->value_size = map->layout.value_size;
	info->max_entries = READ_ONCE(map->max_entries);
	info->flags = map->flags;
	info->hash = map->hash;
	info->evac_delay_ms = map->evac_delay_ms;
	info->bucket_size = map->layout.bucket_size;
	info->memory += sizeof(*map) + sizeof(*map->shards) * (map->shard_mask + 1);
	info->shard_bits = fls(map->shard_mask);
}

/**
 * hmap_get_info() - read a map's shape and counters
 * @map: the map
 * @info: filled with a snapshot taken under the writer lock; the per-CPU
 *	counters are summed without stopping their updates. A map of shards
 *	sums its shards' snapshots, taken one after the other (see struct
 *	hmap_info)
 *
 * Context: Any context but NMI; takes and releases map->lock (each
 * shard's in turn).
 */
void hmap_get_info(struct hmap *map, struct hmap_info *info)
{
	const struct hmap_layout *l = &map->layout;
	struct hmap_table *t, *o;
	u64 obj_bytes = 0, cache_bytes;
	unsigned long nb, flags;
	int cpu, c;

	if (map->shard_mask) {
		hmap_get_info_sharded(map, info);
		return;
	}
	memset(info, 0, sizeof(*info));
	info->id = map->id;
	raw_spin_lock_irqsave(&map->lock, flags);
	t = hmap_dereference_protected(map->tbl, map);
	o = hmap_dereference_protected(t->old, map);
	info->key_size = l->key_size;
	info->value_size = l->value_size;
	info->max_entries = map->max_entries;
	info->flags = map->flags;
	info->hash = map->hash;
	info->evac_delay_ms = map->evac_delay_ms;
	info->count = map->count;
	info->B = t->B;
	info->buckets = hmap_nbuckets(t);
	info->growth = map->growth;
	info->noverflow = map->noverflow;
	info->bucket_size = l->bucket_size;
	nb = hmap_nbuckets(t) + map->noverflow;
	if (o) {
		info->old_B = o->B;
		info->old_buckets = hmap_nbuckets(o);
		info->nevacuate = map->nevacuate;
		info->old_noverflow = map->old_noverflow;
		nb += hmap_nbuckets(o) + map->old_noverflow;
	}
	if (map->spare) {	/* allocated ahead of the next grow */
		info->spare_buckets = hmap_nbuckets(map->spare);
		nb += info->spare_buckets;
	}
	if (map->empty)
		nb++;
	raw_spin_unlock_irqrestore(&map->lock, flags);

	if (l->key_ool)
		obj_bytes += sizeof(struct hmap_obj) + l->key_size;
	if (l->value_ool)
		obj_bytes += sizeof(struct hmap_obj) + l->value_size;
	info->cache_objects = hmap_cache_objects(map, &cache_bytes);
	info->memory = sizeof(*map) + sizeof(*t) * (o ? 2 : 1) +
		       (u64)nb * l->bucket_size + info->count * obj_bytes +
		       sizeof(struct hmap_pcpu_stats) * num_possible_cpus() +
		       cache_bytes;

	if (!hmap_stats_enabled())
		info->counters_off = HMAP_STATS_RUNTIME_MASK;
	for_each_possible_cpu(cpu) {
		struct hmap_pcpu_stats *s = per_cpu_ptr(map->stats, cpu);

		for (c = 0; c < HMAP_STAT_NR; c++)
			info->counters[c] += READ_ONCE(s->cnt[c]);
	}
}
EXPORT_SYMBOL_GPL(hmap_get_info);

/**
 * hmap_snapshot_bucket() - copy the tophash bytes of one bucket chain
 * @map: the map
 * @old: read the array being evacuated instead of the current one
 * @index: bucket index in that array
 * @snap: filled with the chain length and up to HMAP_SNAP_MAX_CHAIN
 *	buckets' tophash bytes, read consistently (the chain's sequence count
 *	is checked)
 *
 * Context: Any context but NMI; takes rcu_read_lock() itself.
 * Return: 0; -ENOENT if @old and the map is not growing; -ERANGE if
 * @index is past the array's end; -EINVAL for a map of shards, whose
 * arrays are its shards' (hmap_shard()).
 */
int hmap_snapshot_bucket(struct hmap *map, bool old, u64 index,
			 struct hmap_bucket_snap *snap)
{
	struct hmap_bucket *head, *b;
	struct hmap_table *t;
	unsigned int seq;
	int err = 0;

	if (map->shard_mask)
		return -EINVAL;
	rcu_read_lock();
	t = rcu_dereference(map->tbl);
	if (old)
		t = rcu_dereference(t->old);
	if (!t) {
		err = -ENOENT;
		goto out;
	}
	if (index >= hmap_nbuckets(t)) {
		err = -ERANGE;
		goto out;
	}
	head = hmap_bucket_at(t, index);
	do {
		seq = hmap_read_begin(head);
		snap->chain_len = 0;
		snap->nslots = 0;
		for (b = head; b; b = rcu_dereference(b->overflow)) {
			if (snap->chain_len++ >= HMAP_SNAP_MAX_CHAIN)
				continue;
			memcpy(&snap->tophash[snap->nslots], b->tophash,
			       HMAP_BUCKET_SLOTS);
			snap->nslots += HMAP_BUCKET_SLOTS;
		}
	} while (hmap_read_retry(head, seq));
out:
	rcu_read_unlock();
	return err;
}
EXPORT_SYMBOL_GPL(hmap_snapshot_bucket);

/* ---- resumable scan (the dump cursor) ---- */

static inline u64 hmap_bitrev64(u64 v)
{
	return (u64)bitrev32(v) << 32 | bitrev32(v >> 32);
}

/*
 * Copies the live entries of a chain to slots @got.. of the output, as far
 * as @room allows, and returns how many live entries the chain holds.
 * Caller holds rcu_read_lock().
 */
static u32 hmap_scan_chain(struct hmap *map, struct hmap_bucket *head,
			   u8 *keys, u8 *values, u32 got, u32 room)
{
	const struct hmap_layout *l = &map->layout;
	struct hmap_bucket *b;
	unsigned int seq, i;
	u32 n;

	for (;;) {
		seq = hmap_read_begin(head);
		n = 0;
		for (b = head; b; b = rcu_dereference(b->overflow)) {
			for (i = 0; i < HMAP_BUCKET_SLOTS; i++) {
				const u8 *k, *v = NULL;

				if (!hmap_is_live(READ_ONCE(b->tophash[i])))
					continue;
				/* Pairs with the writers' smp_wmb() before the tophash. */
				smp_rmb();
				k = hmap_key_bytes(l, b, i);
				if (l->value_size)
					v = hmap_value_bytes(l, b, i);
				if (!k || (l->value_size && !v))
					continue;	/* torn: the retry below sorts it out */
				if (got + n < room) {
					size_t at = got + n;

					memcpy(keys + at * l->key_size, k,
					       l->key_size);
					/*
					 * An out-of-line value's object never
					 * changes: park its address where the
					 * value goes and copy once validated.
					 */
					if (l->value_ool)
						memcpy(values + at * l->value_size,
						       &v, sizeof(v));
					else if (v)
						memcpy(values + at * l->value_size,
						       v, l->value_size);
				}
				n++;
			}
		}
		if (!hmap_read_retry(head, seq))
			break;
		hmap_count_runtime(map, HMAP_STAT_READER_RETRIES);
	}
	for (i = got; l->value_ool && i < min(got + n, room); i++) {
		u8 *dst = values + (size_t)i * l->value_size;
		const u8 *v;

		memcpy(&v, dst, sizeof(v));
		memcpy(dst, v, l->value_size);
	}
	return n;
}

/* Scans every chain of @t whose index is @r modulo 2^@small_B. */
static u32 hmap_scan_table(struct hmap *map, struct hmap_table *t,
			   unsigned long r, unsigned int small_B,
			   u8 *keys, u8 *values, u32 got, u32 room)
{
	unsigned long i;
	u32 n = 0;

	for (i = r; i < hmap_nbuckets(t); i += 1UL << small_B)
		n += hmap_scan_chain(map, hmap_bucket_at(t, i), keys, values,
				     got + n, room);
	return n;
}

/*
 * The arrays a cursor's group is read from, as of now: every chain of @t
 * (and while resizing, of @o) whose index is the cursor's low @small_B bits.
 */
struct hmap_group {
	struct hmap_table *t;
	struct hmap_table *o;
	unsigned int small_B;
	u32 chains;		/* chains the group spans: 1 to 3 */
};

/* Caller holds rcu_read_lock(). */
static void hmap_group_of(struct hmap *map, struct hmap_group *g)
{
	g->t = rcu_dereference(map->tbl);
	g->o = rcu_dereference(g->t->old);
	g->small_B = g->o ? min(g->t->B, g->o->B) : g->t->B;
	g->chains = hmap_nbuckets(g->t) >> g->small_B;
	if (g->o)
		g->chains += hmap_nbuckets(g->o) >> g->small_B;
}

/*
 * Copies the entries of @cursor's group to slots @got.. of the output, as
 * far as @room allows; returns how many the group holds. The copy is good
 * only if map->tbl is still @g->t afterwards: a grow that began meanwhile
 * may have moved entries on. While resizing, the old array is read before
 * the new one, so an entry moving between them is seen at least once.
 * Caller holds rcu_read_lock().
 */
static u32 hmap_scan_group(struct hmap *map, const struct hmap_group *g,
			   u64 cursor, u8 *keys, u8 *values, u32 got, u32 room)
{
	unsigned long r = cursor & ((1UL << g->small_B) - 1);
	u32 n = 0;

	if (g->o)
		n = hmap_scan_table(map, g->o, r, g->small_B, keys, values,
				    got, room);
	return n + hmap_scan_table(map, g->t, r, g->small_B, keys, values,
				   got + n, room);
}

/*
 * The cursor after a group @small_B bits wide: the bits above the group's
 * incremented, most significant first; 0 once every group was visited.
 */
static u64 hmap_cursor_next(u64 cursor, unsigned int small_B)
{
	cursor |= ~((1ULL << small_B) - 1);
	return hmap_bitrev64(hmap_bitrev64(cursor) + 1);
}

/*
 * On a map of shards a cursor also names its shard, in the bits above
 * every index: a walk goes through the shards in order, each in full.
 */
#define HMAP_CURSOR_SHARD_SHIFT	56

/* The map (a shard, if @map has shards) that @cursor's group is in. */
static struct hmap *hmap_cursor_map(struct hmap *map, u64 cursor)
{
	return map->shard_mask ? map->shards[cursor >> HMAP_CURSOR_SHARD_SHIFT] :
				 map;
}

/* hmap_cursor_next() of @map's cursor: on to the next shard at a shard's end. */
static u64 hmap_cursor_advance(struct hmap *map, u64 cursor,
			       unsigned int small_B)
{
	u64 shard = cursor >> HMAP_CURSOR_SHARD_SHIFT;

	if (!map->shard_mask)
		return hmap_cursor_next(cursor, small_B);
	cursor = hmap_cursor_next(cursor & (BIT_ULL(HMAP_CURSOR_SHARD_SHIFT) - 1),
				  small_B);
	if (cursor)
		return cursor | shard << HMAP_CURSOR_SHARD_SHIFT;
	return shard < map->shard_mask ? (shard + 1) << HMAP_CURSOR_SHARD_SHIFT : 0;
}

/**
 * hmap_scan() - copy out the entries of the next bucket group
 * @map: the map
 * @cursor: where to go on (0 to start); on success, where to go on next
 *	time, 0 once the walk is complete
 * @keys: room for @room keys, packed
 * @values: room for @room values, packed (unused when value_size is 0)
 * @room: capacity of @keys and @values, in entries
 * @n: entries copied (0 on -EINVAL), or with -ENOSPC the room the group needs
 *
 * A group is every entry whose hash has the cursor's low bits, in the
 * smaller of the arrays while growing. The cursor counts in bit-reversed
 * order, as Redis SCAN does: groups already visited stay visited when the
 * array doubles or halves between calls, so every entry present for the
 * whole walk is returned at least once, and exactly once if no resize
 * happens during it. While growing the old array is read before the new
 * one, so an entry moving between them is seen at least once. On a map
 * of shards the cursor goes through the shards one after the other, and
 * names its shard in its top byte.
 *
 * Context: Any context but NMI; takes rcu_read_lock() itself.
 * Return: 0, or -ENOSPC if the group holds more than @room entries (the
 * cursor does not move then), or -EINVAL if the cursor names a shard the
 * map does not have.
 */
int hmap_scan(struct hmap *map, u64 *cursor, void *keys, void *values,
	      u32 room, u32 *n)
{
	struct hmap_group g;
	struct hmap *m;
	u32 got;

	*n = 0;
	if (map->shard_mask &&
	    *cursor >> HMAP_CURSOR_SHARD_SHIFT > map->shard_mask)
		return -EINVAL;
	m = hmap_cursor_map(map, *cursor);
	rcu_read_lock();
	do {
		hmap_group_of(m, &g);
		got = hmap_scan_group(m, &g, *cursor, keys, values, 0, room);
	} while (rcu_dereference(m->tbl) != g.t);
	rcu_read_unlock();

	*n = got;
	if (got > room)
		return -ENOSPC;
	*cursor = hmap_cursor_advance(map, *cursor, g.small_B);
	return 0;
}
EXPORT_SYMBOL_GPL(hmap_scan);

/* ---- walks in bounded read-side sections ---- */

/* The buffer a walk starts with holds about this many bytes of entries. */
#define HMAP_WALK_BUF_BYTES	(16 * 1024)

/* Replaces the walk's buffers by empty ones of @room entries. */
static int hmap_walk_resize(struct hmap_walk *walk, u32 room)
{
	const struct hmap_layout *l = &walk->map->layout;
	u8 *keys, *values = NULL;

	keys = kvmalloc_array(room, l->key_size, GFP_KERNEL_ACCOUNT);
	if (!keys)
		return -ENOMEM;
	if (l->value_size) {
		values = kvmalloc_array(room, l->value_size, GFP_KERNEL_ACCOUNT);
		if (!values) {
			kvfree(keys);
			return -ENOMEM;
		}
	}
	kvfree(walk->keys);
	kvfree(walk->values);
	walk->keys = keys;
	walk->values = values;
	walk->room = room;
	walk->n = 0;
	walk->pos = 0;
	return 0;
}

/**
 * hmap_walk_start() - start a walk in bounded read-side sections
 * @map: the map, which the caller keeps alive until hmap_walk_stop()
 * @walk: the walk's state, filled here
 *
 * Unlike hmap_iter_init(), whose walk holds one RCU read-side section
 * from start to end, this walk copies entries out a section at a time:
 * each section reads at most %HMAP_WALK_BUCKETS chains (a bucket of an
 * array and its overflow buckets), then leaves RCU, so grace periods and
 * the scheduler go on between sections. Its order is that of hmap_scan()'s
 * cursor, and so are its guarantees: every entry present for the whole
 * walk is returned at least once, and exactly once if the map does not
 * resize during the walk; entries inserted or removed during the walk may
 * or may not be.
 *
 * Context: Process context; may sleep. Not under rcu_read_lock().
 * Return: 0, or -ENOMEM (nothing to stop then).
 */
int hmap_walk_start(struct hmap *map, struct hmap_walk *walk)
{
	const struct hmap_layout *l = &map->layout;
	u32 entry = l->key_size + l->value_size;

	might_sleep();
	memset(walk, 0, sizeof(*walk));
	walk->map = map;
	return hmap_walk_resize(walk, clamp_t(u32, HMAP_WALK_BUF_BYTES / entry,
					      1, HMAP_WALK_BUCKETS *
					      HMAP_BUCKET_SLOTS));
}
EXPORT_SYMBOL_GPL(hmap_walk_start);

/*
 * One read-side section: copies whole groups into the buffers while they
 * fit, up to HMAP_WALK_BUCKETS chains read, counting a group read again
 * (a grow began under it) as read twice. Sets *@need to the room of a
 * group that did not fit an empty buffer.
 */
static void hmap_walk_section(struct hmap_walk *walk, u32 *need)
{
	struct hmap_group g;
	u32 chains = 0, n = 0, got;
	struct hmap *map;

	*need = 0;
	rcu_read_lock();
	for (;;) {
		map = hmap_cursor_map(walk->map, walk->cursor);
		hmap_group_of(map, &g);
		if (chains + g.chains > HMAP_WALK_BUCKETS)
			break;
		chains += g.chains;
		got = hmap_scan_group(map, &g, walk->cursor, walk->keys,
				      walk->values, n, walk->room);
		if (rcu_dereference(map->tbl) != g.t)
			continue;
		if (n + got > walk->room) {
			if (!n)
				*need = got;
			break;
		}
		n += got;
		walk->cursor = hmap_cursor_advance(walk->map, walk->cursor,
						   g.small_B);
		if (!walk->cursor) {
			walk->done = true;
			break;
		}
	}
	rcu_read_unlock();

	walk->n = n;
	walk->pos = 0;
	walk->sections++;
	walk->chains += chains;
	walk->max_section_chains = max(walk->max_section_chains, chains);
}

/**
 * hmap_walk_next() - return the walk's next entry
 * @walk: a walk started with hmap_walk_start()
 * @key: receives the key
 * @value: receives the value (unused when value_size is 0)
 *
 * Returns from the entries the last section copied, and runs the next
 * section when they are used up, rescheduling between sections. The
 * caller may sleep between calls, and may stop at any point.
 *
 * Context: Process context; may sleep. Not under rcu_read_lock().
 * Return: 0 and an entry; -ENOENT once every entry was returned; -ENOMEM
 * if a group held more entries than the walk had room for and a larger
 * buffer could not be had (the walk stays where it was: call again).
 */
int hmap_walk_next(struct hmap_walk *walk, void *key, void *value)
{
	const struct hmap_layout *l = &walk->map->layout;
	u32 need;
	int err;

	might_sleep();
	while (walk->pos == walk->n) {
		if (walk->done)
			return -ENOENT;
		if (walk->sections)
			cond_resched();
		hmap_walk_section(walk, &need);
		if (need) {
			err = hmap_walk_resize(walk, need);
			if (err)
				return err;
		}
	}
	memcpy(key, walk->keys + (size_t)walk->pos * l->key_size, l->key_size);
	if (l->value_size)
		memcpy(value, walk->values + (size_t)walk->pos * l->value_size,
		       l->value_size);
	walk->pos++;
	return 0;
}
EXPORT_SYMBOL_GPL(hmap_walk_next);

/**
 * hmap_walk_stop() - end a walk and free its buffers
 * @walk: a walk started with hmap_walk_start(), at any point
 *
 * Context: Process context.
 */
void hmap_walk_stop(struct hmap_walk *walk)
{
	kvfree(walk->keys);
	kvfree(walk->values);
	walk->keys = NULL;
	walk->values = NULL;
	walk->n = 0;
	walk->pos = 0;
}
EXPORT_SYMBOL_GPL(hmap_walk_stop);

/* Adds one chain's shape to @h. Caller holds rcu_read_lock(). */
static void hmap_histogram_chain(struct hmap_bucket *head,
				 struct hmap_histogram *h)
{
	u64 occ[HMAP_HIST_SLOTS];
	struct hmap_bucket *b;
	unsigned int seq, i, live, len;

	do {
		seq = hmap_read_begin(head);
		memset(occ, 0, sizeof(occ));
		len = 0;
		for (b = head; b; b = rcu_dereference(b->overflow)) {
			for (i = 0, live = 0; i < HMAP_BUCKET_SLOTS; i++)
				live += hmap_is_live(READ_ONCE(b->tophash[i]));
			occ[live]++;
			len++;
		}
	} while (hmap_read_retry(head, seq));
	h->chain[min_t(unsigned int, len, HMAP_HIST_CHAIN) - 1]++;
	for (i = 0; i < HMAP_HIST_SLOTS; i++)
		h->occupancy[i] += occ[i];
	h->evacuated += hmap_evacuated(head);
}

/* The current array, or with @old the one it grows from (NULL if none). */
static struct hmap_table *hmap_histogram_table(struct hmap *map, bool old)
{
	struct hmap_table *t = rcu_dereference(map->tbl);

	return old ? rcu_dereference(t->old) : t;
}

/*
 * Adds the histograms of one map's (shard's) array to @h: the current one,
 * or with @old the one it grows from. Returns as hmap_get_histogram().
 */
static int hmap_histogram_add(struct hmap *map, bool old,
			      struct hmap_histogram *h)
{
	struct hmap_table *t;
	unsigned long i = 0, end, nb;
	int err = 0;
	u64 gen;

	rcu_read_lock();
	t = hmap_histogram_table(map, old);
	if (!t) {
		err = -ENOENT;
		goto out;
	}
	/*
	 * The array is told by its generation: one of the same size may
	 * replace it (a same-size grow), and a new one may even take the
	 * address of a freed one.
	 */
	gen = t->gen;
	nb = hmap_nbuckets(t);
	h->buckets += nb;
	while (i < nb) {
		if (i) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
			t = hmap_histogram_table(map, old);
			if (!t || t->gen != gen) {
				err = -EAGAIN;
				break;
			}
		}
		end = min(nb, i + 256);
		for (; i < end; i++)
			hmap_histogram_chain(hmap_bucket_at(t, i), h);
	}
out:
	rcu_read_unlock();
	return err;
}

/**
 * hmap_get_histogram() - chain lengths and slot occupancy of an array
 * @map: the map
 * @old: describe the array being evacuated instead of the current one
 * @h: filled with the histograms
 *
 * Walks the array in chunks, leaving the RCU read-side critical section
 * between them, so a large map neither delays grace periods nor hogs the
 * CPU. Writers keep running: the result is exact only for a quiet map.
 * Its figures all come from one array: if another array, even one of the
 * same size (a same-size grow), replaced it between two chunks, the call
 * fails. hmap_get_shape() reads both histograms and the figures they must
 * agree with at one moment.
 *
 * A map of shards sums its shards' histograms (with @old, those of the
 * shards that are resizing), read one after the other.
 *
 * Context: Process context; may sleep.
 * Return: 0; -ENOENT if @old and the map (no shard of it) is not
 * resizing; -EAGAIN if an array was replaced during the walk.
 */
int hmap_get_histogram(struct hmap *map, bool old, struct hmap_histogram *h)
{
	unsigned int s;
	int err, e;

	memset(h, 0, sizeof(*h));
	if (!map->shard_mask)
		return hmap_histogram_add(map, old, h);
	err = -ENOENT;
	for (s = 0; s <= map->shard_mask; s++) {
		e = hmap_histogram_add(map->shards[s], old, h);
		if (e == -ENOENT)
			continue;
		if (e)
			return e;
		err = 0;
	}
	return err;
}
EXPORT_SYMBOL_GPL(hmap_get_histogram);

/* Reads of a shape before hmap_get_shape() settles for a moving one. */
#define HMAP_SHAPE_TRIES	8

/* No resize step, insert or delete came between two hmap_get_info(). */
static bool hmap_same_layout(const struct hmap_info *a,
			     const struct hmap_info *b)
{
	return a->count == b->count && a->B == b->B &&
	       a->buckets == b->buckets && a->noverflow == b->noverflow &&
	       a->growth == b->growth && a->old_B == b->old_B &&
	       a->old_buckets == b->old_buckets &&
	       a->nevacuate == b->nevacuate &&
	       a->old_noverflow == b->old_noverflow;
}

/**
 * hmap_get_shape() - a map's figures and both histograms at one moment
 * @map: the map
 * @shape: filled in
 *
 * Reads hmap_get_info(), the current array's histograms and, while the map
 * resizes, the old array's, and reads again if the map changed meanwhile.
 * The background worker evacuates without any write, and a grow it ends
 * between the two histograms would leave entries counted in neither, so a
 * quiet map's shape is always whole: its live slots add up to its count.
 * Under writers that never pause it settles, after a few tries, for the
 * last read, which is off by the writes made while it ran.
 *
 * Context: Process context; may sleep.
 * Return: 0; -EAGAIN if on every try an array was replaced while it was
 * read (same-size grows that follow each other); -EINTR if a fatal signal
 * is pending.
 */
int hmap_get_shape(struct hmap *map, struct hmap_shape *shape)
{
	struct hmap_info before;
	int tries, err;

	for (tries = 1; ; tries++) {
		hmap_get_info(map, &before);
		err = hmap_get_histogram(map, false, &shape->cur);
		if (!err) {
			err = hmap_get_histogram(map, true, &shape->old);
			shape->resizing = !err;
			if (err == -ENOENT)
				err = 0;
		}
		hmap_get_info(map, &shape->info);
		if (!err && hmap_same_layout(&before, &shape->info))
			return 0;
		if (tries == HMAP_SHAPE_TRIES)
			return err;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
}
EXPORT_SYMBOL_GPL(hmap_get_shape);

/* Called at module load: the queue that frees retired arrays and maps. */
int hmap_core_init(void)
{
	int err;

	hmap_wq = alloc_workqueue("hmap", WQ_UNBOUND, 0);
	if (!hmap_wq)
		return -ENOMEM;
	err = hmap_cache_init();
	if (err)
		destroy_workqueue(hmap_wq);
	return err;
}

/* Called at module unload, after every map was destroyed. */
void hmap_core_exit(void)
{
	/* Let pending grace periods queue their frees, then run them. */
	rcu_barrier();
	destroy_workqueue(hmap_wq);
	hmap_cache_exit();
}
