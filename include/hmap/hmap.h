/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hmap: a concurrent kernel hash map modelled on the Go runtime's classic
 * map (2^B buckets of 8 slots, tophash bytes, overflow chains, load factor
 * 6.5, incremental evacuation while growing).
 *
 * Concurrency contract, in one place:
 *
 *  - Readers (hmap_lookup(), hmap_iter_*()) never take a lock and never
 *    write shared memory. hmap_lookup() may be called from any context,
 *    hardirq included. Each bucket chain carries a sequence counter: a
 *    reader copies the key and value out, then validates the counter and
 *    retries if a writer touched the chain meanwhile, so it never sees a
 *    torn key or value.
 *  - Writers (hmap_update(), hmap_delete(), hmap_clear()) are serialized by
 *    one mutex per map. They may sleep (they allocate with GFP_KERNEL) and
 *    must be called from process context. The short sections in which a
 *    writer changes slots a reader may be looking at run with interrupts
 *    disabled, so a reader on the writer's CPU can never spin on an odd
 *    sequence count.
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

struct hmap;
struct hmap_table;
struct hmap_bucket;

/* Slots per bucket, as in Go. */
#define HMAP_BUCKET_SLOTS	8

/* Keys and values longer than this are stored out of line. */
#define HMAP_INLINE_MAX		128

/* Limits checked by hmap_create(). */
#define HMAP_MAX_KEY_SIZE	512
#define HMAP_MAX_VALUE_SIZE	65536
/* The largest table has 2^HMAP_MAX_B buckets. */
#define HMAP_MAX_B		26
/* max_entries may not exceed the load of the largest table. */
#define HMAP_MAX_ENTRIES	(13U << (HMAP_MAX_B - 1))

/*
 * Flags for hmap_create(); any other bit set is -EINVAL.
 * HMAP_CREATE_NO_SHRINK: never halve the table when deletes empty it (for
 * maps that refill, and for tests that need a fixed size).
 */
#define HMAP_CREATE_NO_SHRINK	BIT(0)
#define HMAP_CREATE_FLAGS_MASK	HMAP_CREATE_NO_SHRINK

/* Flags for hmap_update(), as BPF's map update flags. */
enum hmap_update_flags {
	HMAP_ANY	= 0,	/* insert or replace */
	HMAP_NOEXIST	= 1,	/* insert only: -EEXIST if present */
	HMAP_EXIST	= 2,	/* replace only: -ENOENT if absent */
};

/**
 * struct hmap_params - parameters of a new map
 * @key_size: bytes per key, 1..HMAP_MAX_KEY_SIZE
 * @value_size: bytes per value, 0..HMAP_MAX_VALUE_SIZE (0 makes a set)
 * @max_entries: most entries the map holds, 0 for HMAP_MAX_ENTRIES
 * @flags: creation flags, see HMAP_CREATE_FLAGS_MASK
 * @evac_delay_ms: how long writes must pause before the background worker
 *	finishes a grow or shrink in progress, 0 for HMAP_EVAC_DELAY_MS, at
 *	most HMAP_MAX_EVAC_DELAY_MS
 */
struct hmap_params {
	u32 key_size;
	u32 value_size;
	u32 max_entries;
	u32 flags;
	u32 evac_delay_ms;
};

/* Default and largest hmap_params.evac_delay_ms. */
#define HMAP_EVAC_DELAY_MS	50
#define HMAP_MAX_EVAC_DELAY_MS	60000

/* What a map is doing about its size. */
enum hmap_growth {
	HMAP_GROW_NONE = 0,
	HMAP_GROW_DOUBLE,	/* 2^B -> 2^(B+1) buckets */
	HMAP_GROW_SAMESIZE,	/* same B, compacting overflow chains */
	HMAP_GROW_SHRINK,	/* 2^B -> 2^(B-1) buckets */
};

/* Per-CPU event counters, summed by hmap_get_info(). */
enum hmap_counter {
	HMAP_CNT_HITS,			/* lookups that found the key */
	HMAP_CNT_MISSES,		/* lookups that did not */
	HMAP_CNT_INSERTS,		/* new keys stored */
	HMAP_CNT_UPDATES,		/* values replaced */
	HMAP_CNT_DELETES,		/* keys removed */
	HMAP_CNT_GROWS,			/* double grows started */
	HMAP_CNT_SAMESIZE_GROWS,	/* same-size grows started */
	HMAP_CNT_EVACUATED,		/* old buckets evacuated by writers */
	HMAP_CNT_OVERFLOW_ALLOCS,	/* overflow buckets allocated */
	HMAP_CNT_READER_RETRIES,	/* reader sequence-count retries */
	HMAP_CNT_CLEARS,		/* hmap_clear() calls */
	HMAP_CNT_RESEEDS,		/* hash seed replaced (map emptied) */
	HMAP_CNT_SHRINKS,		/* shrinks (halvings) started */
	HMAP_CNT_EVACUATED_BG,		/* old buckets evacuated by the worker */
	HMAP_CNT_CACHE_HITS,		/* allocations served by a per-CPU cache */
	HMAP_CNT_CACHE_MISSES,		/* allocations that reached the allocator */
	HMAP_CNT_CACHE_REFILLS,		/* freed objects kept in a cache */
	HMAP_CNT_CACHE_DRAINS,		/* cached objects given back (shrinker, destroy) */
	HMAP_CNT_NR
};

/**
 * struct hmap_info - a consistent snapshot of a map's shape and counters
 * @id: the map's number, unique while the module is loaded (tracepoints
 *	name maps by it)
 * @key_size: bytes per key
 * @value_size: bytes per value
 * @max_entries: entry limit
 * @flags: creation flags
 * @count: entries in the map
 * @B: log2 of the current bucket array's length
 * @old_B: log2 of the old array's length while growing, else 0
 * @growth: what the map is doing, see enum hmap_growth
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
 * @counters: per-CPU counters summed, indexed by enum hmap_counter
 */
struct hmap_info {
	u32 id;
	u32 key_size;
	u32 value_size;
	u32 max_entries;
	u32 flags;
	u64 count;
	u32 B;
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
	u64 counters[HMAP_CNT_NR];
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
};

/* Snapshot of one bucket chain, for debugging and debugfs. */
#define HMAP_SNAP_MAX_CHAIN	64

/**
 * struct hmap_bucket_snap - the tophash bytes of one bucket chain
 * @chain_len: buckets in the chain (head plus overflow buckets)
 * @nslots: tophash bytes copied into @tophash (8 per bucket, at most
 *	HMAP_SNAP_MAX_CHAIN buckets)
 * @tophash: the chain's tophash bytes, bucket after bucket
 */
struct hmap_bucket_snap {
	u32 chain_len;
	u32 nslots;
	u8 tophash[HMAP_SNAP_MAX_CHAIN * HMAP_BUCKET_SLOTS];
};

/* Histogram sizes, see struct hmap_histogram. */
#define HMAP_HIST_CHAINS	16	/* chain lengths 1..15, then 16 or more */
#define HMAP_HIST_OCCUPANCY	(HMAP_BUCKET_SLOTS + 1)	/* 0..8 live slots */

/**
 * struct hmap_histogram - shape of one bucket array
 * @buckets: chains in the array (2^B)
 * @evacuated: chains already evacuated (of an old array)
 * @chain: @chain[i] counts chains of i + 1 buckets, the last entry those
 *	of HMAP_HIST_CHAINS or more
 * @occupancy: @occupancy[i] counts buckets (first or overflow) with i
 *	live slots
 */
struct hmap_histogram {
	u64 buckets;
	u64 evacuated;
	u64 chain[HMAP_HIST_CHAINS];
	u64 occupancy[HMAP_HIST_OCCUPANCY];
};

/* Reserved tophash values, as in Go. Live slots hold HMAP_MIN_TOPHASH..255. */
#define HMAP_EMPTY_REST		0	/* this and every later slot of the chain empty */
#define HMAP_EMPTY_ONE		1	/* this slot empty */
#define HMAP_EVACUATED_X	2	/* moved to the same index in the new array */
#define HMAP_EVACUATED_Y	3	/* moved to index + old size */
#define HMAP_EVACUATED_EMPTY	4	/* empty, and the bucket is evacuated */
#define HMAP_MIN_TOPHASH	5

struct hmap *hmap_create(const struct hmap_params *params);
void hmap_destroy(struct hmap *map);
int hmap_lookup(struct hmap *map, const void *key, void *value);
int hmap_update(struct hmap *map, const void *key, const void *value, u64 flags);
int hmap_delete(struct hmap *map, const void *key);
int hmap_clear(struct hmap *map);
u64 hmap_count(const struct hmap *map);
void hmap_get_info(struct hmap *map, struct hmap_info *info);
void hmap_iter_init(struct hmap *map, struct hmap_iter *iter);
int hmap_iter_next(struct hmap_iter *iter, void *key, void *value);
int hmap_scan(struct hmap *map, u64 *cursor, void *keys, void *values,
	      u32 room, u32 *n);
int hmap_get_histogram(struct hmap *map, bool old, struct hmap_histogram *h);
int hmap_snapshot_bucket(struct hmap *map, bool old, u64 index,
			 struct hmap_bucket_snap *snap);
int hmap_verify(struct hmap *map);

#endif /* _HMAP_HMAP_H */
