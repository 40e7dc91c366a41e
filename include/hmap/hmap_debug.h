/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hmap's introspection API: the shape of a map's table as debugfs, the
 * ioctl snapshot and the tests see it (one chain's tophash bytes, chain
 * length and occupancy histograms), a check of the table's invariants, and
 * for tests a lower allocation limit (hmap_set_alloc_limit()) and empty
 * caches (hmap_drain_caches()).
 * A module that only stores and looks up entries needs <hmap/hmap.h> alone.
 */
#ifndef _HMAP_HMAP_DEBUG_H
#define _HMAP_HMAP_DEBUG_H

#include <linux/build_bug.h>
#include <hmap/hmap.h>

/* Slots per bucket, as in Go. */
#define HMAP_BUCKET_SLOTS	8

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

/* The histograms' sizes are the ABI's: HMAP_HIST_CHAIN and HMAP_HIST_SLOTS. */
static_assert(HMAP_HIST_SLOTS == 1 + HMAP_BUCKET_SLOTS);

/**
 * struct hmap_histogram - shape of a bucket array (of a map of shards,
 *	the sum over its shards' arrays)
 * @buckets: chains in the array (2^B), or in the shards' arrays
 * @evacuated: chains already evacuated (of an old array)
 * @chain: @chain[i] counts chains of i + 1 buckets, the last entry those
 *	of HMAP_HIST_CHAIN or more
 * @occupancy: @occupancy[i] counts buckets (first or overflow) with i
 *	live slots
 */
struct hmap_histogram {
	u64 buckets;
	u64 evacuated;
	u64 chain[HMAP_HIST_CHAIN];
	u64 occupancy[HMAP_HIST_SLOTS];
};

/**
 * struct hmap_shape - a map's figures and histograms, read at one moment
 * @info: as hmap_get_info() reports it
 * @cur: the histograms of the current array (of a map of shards, the sum)
 * @old: those of the array being evacuated (the resizing shards' sum);
 *	zero if @resizing is false
 * @resizing: @old was read: the map (a shard of it) was resizing
 */
struct hmap_shape {
	struct hmap_info info;
	struct hmap_histogram cur;
	struct hmap_histogram old;
	bool resizing;
};

/* Reserved tophash values, as in Go. Live slots hold HMAP_MIN_TOPHASH..255. */
#define HMAP_EMPTY_REST		0	/* this and every later slot of the chain empty */
#define HMAP_EMPTY_ONE		1	/* this slot empty */
#define HMAP_EVACUATED_X	2	/* moved to the same index in the new array */
#define HMAP_EVACUATED_Y	3	/* moved to index + old size */
#define HMAP_EVACUATED_EMPTY	4	/* empty, and the bucket is evacuated */
#define HMAP_MIN_TOPHASH	5

int hmap_get_histogram(struct hmap *map, bool old, struct hmap_histogram *h);
int hmap_get_shape(struct hmap *map, struct hmap_shape *shape);
int hmap_snapshot_bucket(struct hmap *map, bool old, u64 index,
			 struct hmap_bucket_snap *snap);
int hmap_verify(struct hmap *map);
int hmap_set_alloc_limit(struct hmap *map, size_t bytes);
unsigned long hmap_drain_caches(struct hmap *map);

#endif /* _HMAP_HMAP_DEBUG_H */
