/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal layout of the hmap core. Users include <hmap/hmap.h> instead;
 * this header is shared by the core's own files only.
 */
#ifndef _HMAP_CORE_H
#define _HMAP_CORE_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/rcupdate.h>
#include <linux/siphash.h>
#include <linux/workqueue.h>
#include <hmap/hmap.h>

/*
 * A bucket: 8 tophash bytes, the overflow link and the chain's sequence
 * count, then the 8 keys packed together, then the 8 values packed
 * together. Go puts the overflow pointer last; here it sits next to the
 * tophash bytes so that walking a chain for a miss touches only the first
 * cache line of each bucket. @seq is used in the chain's first bucket only:
 * it covers every slot of the chain.
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
	u32 key_slot;		/* bytes per key slot: key_size or a pointer */
	u32 value_slot;		/* bytes per value slot: value_size or a pointer */
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
	unsigned int B;
	bool free_entries;	/* on free, also free the live slots' objects */
	struct hmap *map;	/* while retired: the map, whose caches take the buckets */
	struct hmap_layout layout;
	struct rcu_work free_work;
};

struct hmap_pcpu_stats {
	u64 cnt[HMAP_CNT_NR];
};

/**
 * struct hmap - a map
 * @tbl: the current bucket array (RCU; written under @lock)
 * @seed: SipHash key, replaced when the map becomes empty
 * @layout: sizes, fixed at creation
 * @max_entries: entry limit
 * @flags: creation flags
 * @lock: serializes writers
 * @count: live entries (written under @lock, read locklessly)
 * @nevacuate: old buckets below this index are evacuated (under @lock)
 * @noverflow: overflow buckets of the current array (under @lock)
 * @old_noverflow: overflow buckets of the old array (under @lock)
 * @growth: enum hmap_growth (under @lock)
 * @stats: per-CPU counters
 * @id: number for tracepoints and debugfs
 * @refs: one for the map, one per retired array not freed yet
 * @cache: per-CPU caches of free objects (hmap_cache.c)
 * @cache_cap: objects per CPU and kind the caches hold
 * @cache_node: in the shrinker's list of maps
 * @last_write: jiffies of the last write (under @lock)
 * @evac_work: finishes a grow when writes stop (background evacuation)
 * @destroy_work: frees the map after a grace period
 */
struct hmap {
	struct hmap_table __rcu *tbl;
	siphash_key_t seed;
	struct hmap_layout layout;
	u32 max_entries;
	u32 flags;
	struct mutex lock;	/* serializes writers; see hmap_core.c */
	u64 count;
	unsigned long nevacuate;
	unsigned long noverflow;
	unsigned long old_noverflow;
	enum hmap_growth growth;
	struct hmap_pcpu_stats __percpu *stats;
	u32 id;
	refcount_t refs;
	struct hmap_cache_cpu __percpu *cache;
	u32 cache_cap;
	struct list_head cache_node;
	unsigned long last_write;
	struct delayed_work evac_work;
	struct rcu_work destroy_work;
};

int hmap_core_init(void);
void hmap_core_exit(void);

#endif /* _HMAP_CORE_H */
