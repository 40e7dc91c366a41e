/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hmap: a concurrent kernel hash map modelled on the Go runtime's classic
 * map (2^B buckets of 8 slots, tophash bytes, overflow chains, load factor
 * 6.5, incremental evacuation while growing).
 *
 * Concurrency contract, in one place:
 *
 *  - Readers (hmap_lookup(), hmap_iter_*(), hmap_walk_*(), hmap_scan())
 *    never take a lock and never write shared memory. hmap_lookup() may
 *    be called from any context, hardirq included; a walk that may sleep
 *    between entries uses hmap_walk_*(), which holds RCU for at most
 *    %HMAP_WALK_BUCKETS chains at a time. Each bucket chain carries a
 *    sequence counter: a reader copies the key and value out, then
 *    validates the counter and retries if a writer touched the chain
 *    meanwhile, so it never sees a torn key or value.
 *  - Writers (hmap_update(), hmap_delete(), hmap_clear()) are serialized by
 *    one raw spinlock per map, taken with interrupts disabled, so a reader
 *    on the writer's CPU can never spin on an odd sequence count. They may
 *    be called from any context but NMI, under the caller's spinlocks and
 *    raw spinlocks too, on PREEMPT_RT as well: the caller says with a gfp_t
 *    whether the call may sleep. One that may (GFP_KERNEL) allocates what
 *    it needs; one that may not (GFP_ATOMIC, GFP_NOWAIT) never calls the
 *    allocator and takes memory from what the map's worker keeps ready,
 *    failing with -ENOMEM, the map unchanged, when that has run out.
 *  - Memory that a reader may still be using (a bucket array that was grown
 *    out of, out-of-line keys and values) is freed only after an RCU grace
 *    period.
 *
 * A lookup that begins after an update has returned sees that update.
 */
#ifndef _HMAP_HMAP_H
#define _HMAP_HMAP_H

#include <linux/bits.h>
#include <linux/types.h>
#include <uapi/hmap.h>

struct hmap;
struct hmap_table;
struct hmap_bucket;

/*
 * The constants a consumer passes and reads are the ioctl ABI's
 * (include/uapi/hmap.h): HMAP_MAX_KEY_SIZE, HMAP_MAX_VALUE_SIZE and
 * HMAP_MAX_ENTRIES; HMAP_F_* for hmap_params.flags; HMAP_UPDATE_ANY,
 * HMAP_UPDATE_NOEXIST and HMAP_UPDATE_EXIST for hmap_update();
 * HMAP_GROWTH_* in hmap_info.growth; enum hmap_stat indexes
 * hmap_info.counters.
 */

/* The hmap_params.flags this kernel knows; any other bit is -EINVAL. */
#define HMAP_F_MASK		HMAP_F_NO_SHRINK

/**
 * enum hmap_hash - the keyed hash a map places its keys with
 * @HMAP_HASH_SIPHASH: keyed SipHash (SipHash-1-3 for keys of up to 16
 *	bytes, SipHash-2-4 above). Without the map's random 128-bit seed an
 *	attacker cannot choose keys that collide, so a map whose keys come
 *	from outside the kernel (packets, users, /dev/hmap) stays O(1). The
 *	default.
 * @HMAP_HASH_FAST: a keyed multiply-and-fold mix (two 64x64->128-bit
 *	multiplies for keys of up to 16 bytes), two to three times cheaper
 *	than SipHash. Its output is as well mixed, but it is not a PRF: keys
 *	that collide can be found for any seed, so use it only for keys no
 *	attacker chooses (pointers, kernel-assigned ids, inode numbers).
 *	rhashtable and BPF's hash maps make the same trade with seeded jhash.
 * @HMAP_HASH_NR: number of hashes
 *
 * Both yield 64 bits: the bucket index, the tophash byte and the high
 * bits all come from one hash. Either is keyed by a per-map random seed
 * that is replaced whenever the map becomes empty (but for a map of
 * shards, whose seed picks each key's shard and is kept for life).
 */
enum hmap_hash {
	HMAP_HASH_SIPHASH,
	HMAP_HASH_FAST,
	HMAP_HASH_NR,
};

/*
 * The counters of the lookup path (HMAP_STAT_HITS, HMAP_STAT_MISSES and
 * HMAP_STAT_READER_RETRIES) count only while run-time statistics are on:
 * see hmap_stats_enable(). The others always count.
 */
#define HMAP_STATS_RUNTIME_MASK	(BIT_ULL(HMAP_STAT_HITS) |		\
				 BIT_ULL(HMAP_STAT_MISSES) |		\
				 BIT_ULL(HMAP_STAT_READER_RETRIES))

/**
 * struct hmap_params - parameters of a new map
 * @key_size: bytes per key, 1..HMAP_MAX_KEY_SIZE
 * @value_size: bytes per value, 0..HMAP_MAX_VALUE_SIZE (0 makes a set)
 * @max_entries: most entries the map holds, 0 for as many as its bucket
 *	size allows (a larger value is lowered to that: see hmap_create())
 * @flags: creation flags, see HMAP_F_MASK
 * @evac_delay_ms: how long writes must pause before the background worker
 *	finishes a grow or shrink in progress, 0 for HMAP_EVAC_DELAY_MS, at
 *	most HMAP_MAX_EVAC_DELAY_MS
 * @hash: enum hmap_hash; 0 is HMAP_HASH_SIPHASH
 * @shard_bits: the map is 2^@shard_bits shards, 0..HMAP_MAX_SHARD_BITS:
 *	see hmap_create(); 0 (one table) is the default
 */
struct hmap_params {
	u32 key_size;
	u32 value_size;
	u32 max_entries;
	u32 flags;
	u32 evac_delay_ms;
	u32 hash;
	u32 shard_bits;
};

/*
 * hmap_params.evac_delay_ms's default and largest value, HMAP_EVAC_DELAY_MS
 * and HMAP_MAX_EVAC_DELAY_MS, are the ABI's (include/uapi/hmap.h).
 */

/**
 * struct hmap_info - a consistent snapshot of a map's shape and counters
 * @id: the map's number, unique while the module is loaded (tracepoints
 *	name maps by it)
 * @key_size: bytes per key
 * @value_size: bytes per value
 * @max_entries: entry limit (hmap_params.max_entries as hmap_create()
 *	lowered it to what the map's largest array takes)
 * @flags: creation flags
 * @count: entries in the map
 * @B: log2 of the current bucket array's length
 * @buckets: buckets in the current array (2^@B; a map of shards: the sum)
 * @old_B: log2 of the old array's length while growing, else 0
 * @growth: what the map is doing (HMAP_GROWTH_*)
 * @nevacuate: old buckets below this index are all evacuated
 * @old_buckets: buckets in the old array (0 when not growing)
 * @noverflow: overflow buckets hanging off the current array
 * @old_noverflow: overflow buckets hanging off the old array
 * @bucket_size: bytes per bucket
 * @memory: bytes the map holds (arrays, overflow buckets, out-of-line
 *	keys and values, its caches, the map itself)
 * @cache_objects: free objects in the map's per-CPU caches
 * @spare_buckets: buckets of the array allocated ahead of the next double
 *	grow (0 when there is none)
 * @hash: enum hmap_hash
 * @evac_delay_ms: hmap_params.evac_delay_ms (HMAP_EVAC_DELAY_MS for 0)
 * @counters_off: bit i set: counter i is not counting now (run-time
 *	statistics are off, see HMAP_STATS_RUNTIME_MASK), so counters[i] is
 *	what it counted while they were on
 * @counters: per-CPU counters summed, indexed by enum hmap_stat
 * @shard_bits: the map is 2^@shard_bits shards (hmap_params.shard_bits).
 *	With shards, @B and @old_B are the largest of the shards', @growth
 *	is that of the first shard resizing, and every count is the sum over
 *	the shards (@nevacuate too, so @nevacuate / @old_buckets is the
 *	progress of the resizes running); hmap_shard() gives each shard's own
 */
struct hmap_info {
	u32 id;
	u32 key_size;
	u32 value_size;
	u32 max_entries;
	u32 flags;
	u64 count;
	u32 B;
	u64 buckets;
	u32 old_B;
	u32 growth;
	u64 nevacuate;
	u64 old_buckets;
	u64 noverflow;
	u64 old_noverflow;
	u32 bucket_size;
	u64 memory;
	u64 cache_objects;
	u64 spare_buckets;
	u32 hash;
	u32 evac_delay_ms;
	u64 counters_off;
	u64 counters[HMAP_STAT_NR];
	u32 shard_bits;
};

/**
 * struct hmap_iter - position of a walk over a map
 *
 * Fill it with hmap_iter_init() and advance it with hmap_iter_next(); the
 * fields are private. The whole walk, from hmap_iter_init() to the last
 * hmap_iter_next(), must run inside one RCU read-side critical section.
 */
struct hmap_iter {
	/* private: */
	struct hmap *map;
	struct hmap_table *tbl;		/* the array the walk covers */
	struct hmap_bucket *chain[3];	/* chains holding the current index */
	struct hmap_bucket *b;		/* bucket being read, NULL at a new index */
	unsigned long start_bucket;
	unsigned long bucket;		/* index in @tbl being walked */
	unsigned long old_mask;		/* index mask of the old array */
	unsigned long skip_old[2];	/* old chains read directly (shrink) */
	u8 nchain;			/* chains planned for @bucket */
	u8 ci;				/* chain being read */
	u8 nskip;			/* entries of @skip_old */
	u8 offset;			/* random start slot */
	u8 slot;			/* slots of @b already read */
	bool keep_new_index;		/* double grow: only our half of @chain[0] */
	bool wrapped;
	bool done;
	struct hmap *router;		/* a map of shards: the map walked */
	u32 rnd;			/* its shards' random starts come from this */
	u32 shard;			/* and the shard @map is */
	u32 shards_left;		/* shards after it still to walk */
};

/* Most chains one read-side section of hmap_walk_next() reads. */
#define HMAP_WALK_BUCKETS	64

/**
 * struct hmap_walk - position of a walk in bounded read-side sections
 * @sections: read-side sections run so far
 * @chains: chains read, summed over the sections
 * @max_section_chains: most chains any section read, at most
 *	%HMAP_WALK_BUCKETS
 *
 * Fill it with hmap_walk_start(), advance it with hmap_walk_next(), end it
 * with hmap_walk_stop(). The fields are private but for the section
 * counts, which say what the walk cost.
 */
struct hmap_walk {
	/* private: */
	struct hmap *map;
	u8 *keys;			/* entries of the last section, packed */
	u8 *values;
	u64 cursor;			/* hmap_scan() cursor of the next group */
	u32 room;			/* capacity of @keys and @values */
	u32 n;				/* entries in them */
	u32 pos;			/* entries of them already returned */
	bool done;			/* the cursor went round */
	/* public: */
	u64 sections;
	u64 chains;
	u32 max_section_chains;
};

struct hmap *hmap_create(const struct hmap_params *params);
void hmap_destroy(struct hmap *map);
int hmap_lookup(struct hmap *map, const void *key, void *value);
int hmap_update(struct hmap *map, const void *key, const void *value,
		u64 flags, gfp_t gfp);
int hmap_delete(struct hmap *map, const void *key, gfp_t gfp);
int hmap_clear(struct hmap *map, gfp_t gfp);
u64 hmap_count(const struct hmap *map);
unsigned int hmap_shard_count(const struct hmap *map);
struct hmap *hmap_shard(struct hmap *map, unsigned int i);
void hmap_get_info(struct hmap *map, struct hmap_info *info);
void hmap_iter_init(struct hmap *map, struct hmap_iter *iter);
int hmap_iter_next(struct hmap_iter *iter, void *key, void *value);
int hmap_scan(struct hmap *map, u64 *cursor, void *keys, void *values,
	      u32 room, u32 *n);
int hmap_walk_start(struct hmap *map, struct hmap_walk *walk);
int hmap_walk_next(struct hmap_walk *walk, void *key, void *value);
void hmap_walk_stop(struct hmap_walk *walk);
int hmap_stats_enable(void);
void hmap_stats_disable(void);
bool hmap_stats_enabled(void);

#endif /* _HMAP_HMAP_H */
