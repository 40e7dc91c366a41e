/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal layout of the hmap core. Users include <hmap/hmap.h> instead;
 * this header is shared by the core's own files only.
 */
#ifndef _HMAP_CORE_H
#define _HMAP_CORE_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/memcontrol.h>
#include <linux/minmax.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched/mm.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/unaligned.h>
#include <linux/workqueue.h>
#include <hmap/hmap.h>
#include <hmap/hmap_debug.h>

#include "hmap_cache.h"

/* Keys and values longer than this are stored out of line. */
#define HMAP_INLINE_MAX		128

/* Load factor 6.5 = 13 / 2, kept as a fraction so nothing is truncated. */
#define HMAP_LOAD_NUM		13
#define HMAP_LOAD_DEN		2

/*
 * HMAP_MAX_ENTRIES, the ABI's bound on max_entries, is the load of
 * 2^HMAP_MAX_B buckets. No map gets that far: see HMAP_ALLOC_MAX.
 */
#define HMAP_MAX_B		26
static_assert(HMAP_MAX_ENTRIES == 13U << (HMAP_MAX_B - 1));

/*
 * A bucket array is one allocation, and kvmalloc() refuses any over
 * INT_MAX bytes (with a WARN). So the largest B of a map follows from its
 * bucket size: hmap_max_B(). Buckets take 32 bytes at least, so no map
 * has 2^HMAP_MAX_B of them (2 GiB); with 8-byte keys and values (152-byte
 * buckets) 2^23 is the most, 1.2 GiB.
 */
#define HMAP_ALLOC_MAX		((size_t)INT_MAX)

/* The largest B whose array of @bucket_size-byte buckets fits @limit bytes. */
static inline unsigned int hmap_max_B(u32 bucket_size, size_t limit)
{
	unsigned int B;

	/* Stop when bucket_size << (B + 1) > limit, with no shift overflow. */
	for (B = 0; B < HMAP_MAX_B; B++)
		if (limit >> (B + 1) < bucket_size)
			break;
	return B;
}

/*
 * The most entries 2^@B buckets take before a new key would double them
 * (at least the 8 slots of one bucket): the most a map whose largest B is
 * @B holds.
 */
static inline u32 hmap_max_load(unsigned int B)
{
	return max_t(u32, ((u64)HMAP_LOAD_NUM << B) / HMAP_LOAD_DEN,
		     HMAP_BUCKET_SLOTS);
}

/*
 * The background worker, out of memory, tries again after the map's idle
 * delay, then twice as long at each failure in a row, up to this (or the
 * idle delay if that is longer).
 */
#define HMAP_RETRY_MAX_MS	8000

/*
 * A bucket: 8 tophash bytes, the overflow link and the chain's sequence
 * count, then 8 slots, each a key and its value side by side. Go puts the
 * overflow pointer last; here it sits next to the tophash bytes so that a
 * chain walk for a miss touches the first cache line of each bucket only.
 * Go also packs the 8 keys, then the 8 values, which needs no padding but
 * puts a hit's key and value a line apart: with 8-byte keys and values a
 * hit touches 2.8 lines on average that way, 2.0 with pairs. Only where a
 * pair would need padding to keep an out-of-line pointer aligned (a
 * pointer value after a key, or a pointer key after a value, whose size is
 * not a multiple of 8) are keys and values packed apart, as Go does.
 * @seq is used in the chain's first bucket only: it covers every slot of
 * the chain.
 */
struct hmap_bucket {
	union {
		u8 tophash[HMAP_BUCKET_SLOTS];
		u64 tophash_word;	/* all 8 bytes in one load */
	};
	struct hmap_bucket __rcu *overflow;
	u32 seq;
	u32 pad;
	u8 data[];
};

/* An out-of-line key or value: the slot holds a pointer to one of these. */
struct hmap_obj {
	struct rcu_head rcu;
	u8 data[];
};

/* Sizes fixed at creation; each table keeps a copy so it can free itself. */
struct hmap_layout {
	u32 key_size;
	u32 value_size;
	u32 key_slot;		/* bytes of a slot's key: key_size or a pointer */
	u32 value_slot;		/* bytes of its value: value_size or a pointer */
	u32 key_stride;		/* slot i's key is at data + i * key_stride */
	u32 value_base;		/* and its value at data + value_base + */
	u32 value_stride;	/*	i * value_stride */
	u32 bucket_size;
	bool key_ool;		/* keys stored out of line */
	bool value_ool;		/* values stored out of line */
};

/*
 * One bucket array. While a grow is in progress the map's current table
 * points at the array it is being evacuated from through @old.
 */
struct hmap_table {
	struct hmap_table __rcu *old;
	void *buckets;
	unsigned long mask;	/* 2^B - 1: the index bits of a hash */
	unsigned int B;
	u64 gen;		/* the map's @ngen when it was published */
	bool free_entries;	/* on free, also free the live slots' objects */
	struct hmap *map;	/* while retired: the map, whose caches take the buckets */
	struct hmap_layout layout;
	struct rcu_work free_work;
};

struct hmap_pcpu_stats {
	u64 cnt[HMAP_STAT_NR];
};

/**
 * struct hmap - a map
 * @tbl: the current bucket array (RCU; written under @lock)
 * @seed: the hash's key, replaced when the map becomes empty (a map of
 *	shards and its shards keep theirs)
 * @layout: sizes, fixed at creation
 * @hash: enum hmap_hash, fixed at creation
 * @shard_mask: 2^shard_bits - 1 for a map of shards (see below), else 0
 * @shards: a map of shards: its 2^shard_bits shards, else NULL
 * @router: a shard: the map of shards it belongs to, else NULL
 * @max_entries: entry limit, at most hmap_max_load(@max_B)
 * @max_B: the largest B an array of the map may have (written under @lock)
 * @alloc_max: the largest array the allocator gives, in bytes:
 *	HMAP_ALLOC_MAX, or less for a test (hmap_set_alloc_limit())
 * @flags: creation flags
 * @lock: serializes writers; taken with interrupts off, from any context
 *	but NMI (a raw spinlock: it must not sleep on PREEMPT_RT either)
 * @count: live entries (written under @lock, read locklessly)
 * @nevacuate: old buckets below this index are evacuated (under @lock)
 * @noverflow: overflow buckets of the current array (under @lock)
 * @old_noverflow: overflow buckets of the old array (under @lock)
 * @growth: HMAP_GROWTH_* (under @lock)
 * @ngen: arrays published so far, which tells two of one size apart
 *	(under @lock)
 * @stats: per-CPU counters
 * @id: number for tracepoints and debugfs
 * @refs: one for the map, one per retired array not freed yet
 * @cache: per-CPU caches of free objects (hmap_cache.c)
 * @cache_cap: objects per CPU and kind the caches hold
 * @cache_token: the map's entry on the shrinker's list_lru (hmap_cache.c)
 * @cache_count: objects in @cache as the CPUs folded them in, the shrinker's
 *	count (hmap_cache.c)
 * @last_write: jiffies of the last write (under @lock)
 * @evac_delay: jiffies without writes before the worker evacuates
 * @evac_delay_ms: the same in milliseconds, as created (hmap_get_info())
 * @retry_delay: the worker's delay since its last failure for want of
 *	memory, 0 if its last attempt succeeded (under @lock)
 * @spare: a zeroed array the worker (or a writer that may sleep) allocated
 *	for the next resize, within the largest B, or NULL (under @lock)
 * @spare_pending: the worker was asked for @spare (under @lock)
 * @grow_deferred: HMAP_GROWTH_DOUBLE or _SAMESIZE: a write that may not
 *	sleep reached that grow's point without its array and went on
 *	without it; the worker allocates the array and starts the grow
 *	(under @lock)
 * @atomic_writes: a write that may not sleep has come: from now on the
 *	worker allocates every resize's array ahead, whatever its size
 *	(under @lock)
 * @next_seed: the seed the next reseed takes, drawn ahead because the
 *	random pool must not be called under @lock (under @lock)
 * @next_seed_ready: @next_seed is fresh (under @lock)
 * @reseed_due: the map became empty without a fresh seed: the worker
 *	reseeds it if it is still empty (under @lock)
 * @trash: objects per kind that writers which may not sleep could not
 *	give back to the caches, for the worker to free
 * @empty: a one-bucket array a clear that may not sleep installs, or
 *	NULL until the worker allocates another (under @lock)
 * @evac_work: finishes a grow when writes stop (background evacuation)
 * @destroy_work: frees the map after a grace period
 */
struct hmap {
	struct hmap_table __rcu *tbl;
	/*
	 * The creator's memory cgroup (referenced; NULL without CONFIG_MEMCG):
	 * every allocation of the map's memory is charged to it, whichever
	 * task, worker or interrupt makes it (hmap_charge_begin()).
	 */
	struct mem_cgroup *memcg;
	siphash_key_t seed;
	struct hmap_layout layout;
	u32 hash;
	/*
	 * A map of shards routes each call to the shard its key's hash names
	 * (hmap_shard_of()) and has no array of its own (@tbl is NULL). Each
	 * shard is a complete map, with its own lock, arrays, growth, worker,
	 * caches and counters, that shares the router's seed for life: a
	 * shard never reseeds, since a new seed would move keys between
	 * shards. Fixed at creation.
	 */
	u32 shard_mask;
	struct hmap **shards;
	struct hmap *router;
	u32 max_entries;
	unsigned int max_B;
	size_t alloc_max;
	u32 flags;
	raw_spinlock_t lock;	/* serializes writers; see hmap_core.c */
	u64 count;
	unsigned long nevacuate;
	unsigned long noverflow;
	unsigned long old_noverflow;
	u32 growth;
	u64 ngen;
	struct hmap_pcpu_stats __percpu *stats;
	u32 id;
	refcount_t refs;
	struct hmap_cache_cpu __percpu *cache;
	u32 cache_cap;
	struct hmap_cache_token *cache_token;
	atomic_long_t cache_count;
	unsigned long last_write;
	unsigned long evac_delay;
	u32 evac_delay_ms;
	unsigned long retry_delay;
	struct hmap_table *spare;
	bool spare_pending;
	u32 grow_deferred;
	bool atomic_writes;
	bool next_seed_ready;
	bool reseed_due;
	siphash_key_t next_seed;
	struct hmap_table *empty;
	struct llist_head trash[HMAP_OBJ_NR];
	struct delayed_work evac_work;
	struct rcu_work destroy_work;
};

/*
 * Helpers shared by the core's files (hmap_core.c, hmap_verify.c).
 * hmap_dereference_protected(): a pointer a writer loads under map->lock.
 */
#define hmap_dereference_protected(p, map) \
	rcu_dereference_protected(p, lockdep_is_held(&(map)->lock))

static inline unsigned long hmap_nbuckets(const struct hmap_table *t)
{
	return 1UL << t->B;
}

static inline struct hmap_bucket *hmap_bucket_at(const struct hmap_table *t,
						 unsigned long i)
{
	return t->buckets + i * t->layout.bucket_size;
}

static inline u8 *hmap_slot_key(const struct hmap_layout *l,
				struct hmap_bucket *b, unsigned int i)
{
	return b->data + i * l->key_stride;
}

static inline u8 *hmap_slot_value(const struct hmap_layout *l,
				  struct hmap_bucket *b, unsigned int i)
{
	return b->data + l->value_base + i * l->value_stride;
}

/* Bytes of a key or value as stored: inline, or behind the slot's pointer. */
static inline const u8 *hmap_key_bytes(const struct hmap_layout *l,
				       struct hmap_bucket *b, unsigned int i)
{
	u8 *slot = hmap_slot_key(l, b, i);
	struct hmap_obj *obj;

	if (!l->key_ool)
		return slot;
	obj = READ_ONCE(*(struct hmap_obj **)slot);
	return obj ? obj->data : NULL;
}

static inline u8 *hmap_value_bytes(const struct hmap_layout *l,
				   struct hmap_bucket *b, unsigned int i)
{
	u8 *slot = hmap_slot_value(l, b, i);
	struct hmap_obj *obj;

	if (!l->value_ool)
		return slot;
	obj = READ_ONCE(*(struct hmap_obj **)slot);
	return obj ? obj->data : NULL;
}

static inline bool hmap_is_live(u8 top)
{
	return top >= HMAP_MIN_TOPHASH;
}

/* A chain is evacuated once its first slot carries an evacuation mark. */
static inline bool hmap_evacuated(const struct hmap_bucket *head)
{
	u8 top = READ_ONCE(head->tophash[0]);

	return top > HMAP_EMPTY_ONE && top < HMAP_MIN_TOPHASH;
}

static inline u8 hmap_tophash(u64 hash)
{
	u8 top = hash >> 56;

	return top < HMAP_MIN_TOPHASH ? top + HMAP_MIN_TOPHASH : top;
}

/*
 * SipHash-1-3 of the message @m[0..nwords) of 8-byte little-endian words,
 * the last of which holds the final @len % 8 bytes (or is a full word):
 * one compression round per word and three finalization rounds, the member
 * of the SipHash family that Rust's and Python's hash tables use. Five or
 * six rounds where siphash_2u64() (SipHash-2-4) takes ten: the hash is the
 * largest single cost of a lookup. hsiphash() is as cheap but gives 32
 * bits, and a map needs B + 8.
 */
static __always_inline u64 hmap_sip13(const u64 *m, unsigned int len,
				      const siphash_key_t *key)
{
	u64 v0 = SIPHASH_CONST_0 ^ key->key[0];
	u64 v1 = SIPHASH_CONST_1 ^ key->key[1];
	u64 v2 = SIPHASH_CONST_2 ^ key->key[0];
	u64 v3 = SIPHASH_CONST_3 ^ key->key[1];
	u64 last = (u64)len << 56;
	unsigned int i;

	for (i = 0; i < len / 8; i++) {
		v3 ^= m[i];
		SIPHASH_PERMUTATION(v0, v1, v2, v3);
		v0 ^= m[i];
	}
	if (len % 8)
		last |= m[len / 8];
	v3 ^= last;
	SIPHASH_PERMUTATION(v0, v1, v2, v3);
	v0 ^= last;
	v2 ^= 0xff;
	SIPHASH_PERMUTATION(v0, v1, v2, v3);
	SIPHASH_PERMUTATION(v0, v1, v2, v3);
	SIPHASH_PERMUTATION(v0, v1, v2, v3);
	return (v0 ^ v1) ^ (v2 ^ v3);
}

/* hmap_fold_mul() from four 32x32-bit products, for 32-bit machines. */
static __always_inline u64 hmap_fold_mul32(u64 a, u64 b)
{
	u64 al = (u32)a, ah = a >> 32, bl = (u32)b, bh = b >> 32;
	u64 ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	u64 mid = (ll >> 32) + (u32)lh + (u32)hl;

	return ((mid << 32) | (u32)ll) ^ (hh + (lh >> 32) + (hl >> 32) + (mid >> 32));
}

/*
 * The high and low halves of the 128-bit product, folded: every output
 * bit depends on every input bit of both factors. One instruction on
 * x86-64 whatever the kernel's Kconfig says (ARCH=um's does not select
 * ARCH_SUPPORTS_INT128, though its CPU multiplies just as well).
 */
static __always_inline u64 hmap_fold_mul(u64 a, u64 b)
{
#if defined(__SIZEOF_INT128__) && \
	(defined(CONFIG_ARCH_SUPPORTS_INT128) || defined(CONFIG_X86_64))
	u128 p = (u128)a * b;

	return (u64)p ^ (u64)(p >> 64);
#else
	return hmap_fold_mul32(a, b);
#endif
}

/* Fractional parts of sqrt(2), sqrt(3), sqrt(5), sqrt(7): no structure. */
#define HMAP_FAST_K0	0x6a09e667f3bcc908ULL
#define HMAP_FAST_K1	0xbb67ae8584caa73bULL
#define HMAP_FAST_K2	0x3c6ef372fe94f82bULL
#define HMAP_FAST_K3	0xa54ff53a5f1d36f1ULL

/*
 * HMAP_HASH_FAST: each 16-byte block is folded into the state with one
 * keyed multiply, then one more multiply spreads the state. A key shorter
 * than 16 bytes is read as two overlapping words, which for a fixed length
 * is one-to-one; the length is mixed in, so that a map could not confuse
 * keys of two sizes even if it had them.
 */
static __always_inline u64 hmap_fast_hash(const void *key, unsigned int len,
					  const siphash_key_t *seed)
{
	const u8 *p = key;
	u64 h = seed->key[1] ^ (len * HMAP_FAST_K2);
	unsigned int n = len;
	u64 lo, hi;

	while (n > 16) {
		h = hmap_fold_mul(get_unaligned_le64(p) ^ seed->key[0] ^ HMAP_FAST_K0,
				  get_unaligned_le64(p + 8) ^ h ^ HMAP_FAST_K1);
		p += 16;
		n -= 16;
	}
	if (len > 16) {
		/* The last block overlaps the one before it. */
		lo = get_unaligned_le64(p + n - 16);
		hi = get_unaligned_le64(p + n - 8);
	} else if (n > 8) {
		lo = get_unaligned_le64(p);
		hi = get_unaligned_le64(p + n - 8);
	} else if (n == 8) {
		/* The two halves the case below would read, in one load. */
		lo = get_unaligned_le64(p);
		hi = lo >> 32;
		lo = (u32)lo;
	} else if (n >= 4) {
		lo = get_unaligned_le32(p);
		hi = get_unaligned_le32(p + n - 4);
	} else {
		lo = ((u64)p[0] << 16) | ((u64)p[n / 2] << 8) | p[n - 1];
		hi = 0;
	}
	h = hmap_fold_mul(lo ^ seed->key[0] ^ HMAP_FAST_K0, hi ^ h ^ HMAP_FAST_K1);
	return hmap_fold_mul(h ^ seed->key[1], HMAP_FAST_K3);
}

/* SipHash-1-3 of a key of up to 16 bytes, the kernel's siphash() above. */
static __always_inline u64 hmap_sip_hash(const void *key, unsigned int len,
					 const siphash_key_t *seed)
{
	u64 m[2] = { 0, 0 };

	if (len > 16)
		return siphash(key, len, seed);
	memcpy(m, key, len);
	m[0] = le64_to_cpu((__force __le64)m[0]);
	m[1] = le64_to_cpu((__force __le64)m[1]);
	return hmap_sip13(m, len, seed);
}

/*
 * A key's hash, for a map whose hash and key size the caller may pass as
 * constants (the fast paths do), so that everything folds at compile time.
 */
static __always_inline u64 hmap_hash_sized(const struct hmap *map,
					   const void *key, unsigned int len,
					   u32 hash)
{
	siphash_key_t seed = {{ READ_ONCE(map->seed.key[0]),
				READ_ONCE(map->seed.key[1]) }};

	if (hash == HMAP_HASH_FAST)
		return hmap_fast_hash(key, len, &seed);
	return hmap_sip_hash(key, len, &seed);
}

/* The map's keyed hash of @key (enum hmap_hash). */
static __always_inline u64 hmap_hash(const struct hmap *map, const void *key)
{
	return hmap_hash_sized(map, key, map->layout.key_size, map->hash);
}

/*
 * The hash bits that pick a key's shard: above every bucket index (B <=
 * HMAP_MAX_B) and below the tophash byte (bits 56..63).
 */
#define HMAP_SHARD_SHIFT	48
static_assert(HMAP_SHARD_SHIFT >= HMAP_MAX_B);
static_assert(HMAP_SHARD_SHIFT + HMAP_MAX_SHARD_BITS <= 56);

/* The shard of a map of shards that holds the key of hash @hash. */
static __always_inline struct hmap *hmap_shard_of(const struct hmap *map,
						  u64 hash)
{
	return map->shards[(hash >> HMAP_SHARD_SHIFT) & map->shard_mask];
}

int hmap_core_init(void);
void hmap_core_exit(void);

/*
 * Allocations between hmap_charge_begin() and hmap_charge_end() are
 * charged (with __GFP_ACCOUNT) to the map's memory cgroup, not to the
 * current task's: a map's memory belongs to whoever created it.
 */
static inline struct mem_cgroup *hmap_charge_begin(const struct hmap *map)
{
	return set_active_memcg(map->memcg);
}

static inline void hmap_charge_end(struct mem_cgroup *old)
{
	set_active_memcg(old);
}

#endif /* _HMAP_CORE_H */
