/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hmap ioctl ABI: the interface of /dev/hmap. Self-contained: a C program
 * needs no other header.
 *
 * Every call takes a pointer to a structure whose first field, @size, is
 * sizeof() the structure as the caller knows it. A kernel that knows a
 * shorter structure accepts a longer one when the bytes it does not know
 * are zero (else -EINVAL); a kernel that knows a longer one reads the
 * missing tail as zero (the clone3() / perf_event_attr pattern). A @size
 * smaller than the structure's first version (its _SIZE_VER0 where this
 * header defines one, else the structure in this header) is -EINVAL, and
 * so is a @size between two of the versions this header names (half a
 * field). Fields named reserved must be zero. Pointers to user memory are
 * carried as __u64. The kernel dispatches on the request's type and number
 * only, so a request built with a later, larger structure still reaches
 * the same operation.
 *
 * Maps are named: 1 to HMAP_NAME_MAX - 1 characters from [A-Za-z0-9_.-],
 * not starting with '.', not "maps", NUL-terminated and zero-padded.
 *
 * Errors common to every call: -EFAULT (a pointer is bad), -EINVAL (size,
 * reserved field, flag or name is bad), -ENOENT (no map of that name),
 * -ENOTTY (unknown request). HMAP_IOC_CREATE, HMAP_IOC_DESTROY and
 * HMAP_IOC_ENABLE_STATS need CAP_SYS_ADMIN (-EPERM).
 *
 * A structure extended at its end names the size of each earlier version
 * (HMAP_IOC_*_SIZE_VER0, ...): a caller built against one of them passes
 * that size and keeps working; the kernel then reads and writes only that
 * many bytes, so the fields a caller does not know are never touched.
 */
#ifndef _UAPI_HMAP_H
#define _UAPI_HMAP_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define HMAP_DEVICE		"/dev/hmap"
#define HMAP_NAME_MAX		32	/* bytes, NUL included */

/* Limits (the in-kernel API's). */
#define HMAP_MAX_KEY_SIZE		512
#define HMAP_MAX_VALUE_SIZE	65536
#define HMAP_MAX_ENTRIES		(13U << 25)	/* max_entries 0 means this */
#define HMAP_MAX_SHARD_BITS	8		/* 256 shards: hash bits 48..55 */
/* hmap_ioc_create.evac_delay_ms: the default (what 0 asks for), the largest. */
#define HMAP_EVAC_DELAY_MS		50
#define HMAP_MAX_EVAC_DELAY_MS	60000
/* The names ABI 1 first gave them, kept for programs written against it. */
#define HMAP_UAPI_MAX_KEY_SIZE		HMAP_MAX_KEY_SIZE
#define HMAP_UAPI_MAX_VALUE_SIZE	HMAP_MAX_VALUE_SIZE
#define HMAP_UAPI_MAX_ENTRIES		HMAP_MAX_ENTRIES

/* hmap_ioc_elem.flags for HMAP_IOC_UPDATE. */
#define HMAP_UPDATE_ANY		0	/* insert or replace */
#define HMAP_UPDATE_NOEXIST	1	/* insert only: -EEXIST if present */
#define HMAP_UPDATE_EXIST	2	/* replace only: -ENOENT if absent */

/*
 * HMAP_IOC_CREATE: make a map. Errors: -EEXIST (name taken), -ENOSPC
 * (too many maps, see the module parameter max_maps).
 *
 * @shard_bits (added after HMAP_IOC_CREATE_SIZE_VER0): the map is
 * 2^@shard_bits shards, 0..HMAP_MAX_SHARD_BITS (else -EINVAL); it cannot
 * change later. Each shard
 * is a whole table with its own writer lock, bucket array and growth, and
 * a key's hash picks its shard, so writers on different CPUs rarely wait
 * for each other. Each shard holds at most max_entries >> @shard_bits
 * entries (max_entries 0: HMAP_MAX_ENTRIES >> @shard_bits; a max_entries
 * that leaves a shard none, below 2^@shard_bits, is -EINVAL), so an insert
 * may be refused with -E2BIG before the map as a whole holds max_entries,
 * when its shard is full. 0, one table, is what a caller of VER0 gets; a
 * kernel older than the field answers a nonzero one with -EINVAL.
 *
 * @evac_delay_ms (also added after VER0): how long writes must pause
 * before the background worker finishes a grow or shrink in progress
 * (every write also evacuates up to two old buckets, as Go's map does).
 * 0 is HMAP_EVAC_DELAY_MS; up to HMAP_MAX_EVAC_DELAY_MS (else -EINVAL).
 * A longer delay keeps both arrays, and their memory, longer after a
 * burst of writes; it makes a grow in progress easy to watch. A kernel
 * older than the field answers a nonzero one with -EINVAL.
 */
struct hmap_ioc_create {
	__u32 size;
	__u32 key_size;		/* 1..HMAP_MAX_KEY_SIZE */
	__u32 value_size;	/* 0..HMAP_MAX_VALUE_SIZE */
	__u32 max_entries;	/* 0: the largest allowed */
	__u32 flags;		/* HMAP_F_*; other bits are -EINVAL */
	__u32 reserved;
	char name[HMAP_NAME_MAX];
	__u32 shard_bits;	/* not in HMAP_IOC_CREATE_SIZE_VER0 */
	__u32 evac_delay_ms;	/* not in VER0; 0: HMAP_EVAC_DELAY_MS */
};

/*
 * sizeof(struct hmap_ioc_create) by version; VER0 has neither @shard_bits
 * nor @evac_delay_ms.
 */
#define HMAP_IOC_CREATE_SIZE_VER0	56
#define HMAP_IOC_CREATE_SIZE_VER1	64

/* hmap_ioc_create.flags: never halve the table when deletes empty it. */
#define HMAP_F_NO_SHRINK	(1U << 0)

/* HMAP_IOC_DESTROY, HMAP_IOC_CLEAR: act on a map by name. */
struct hmap_ioc_map {
	__u32 size;
	__u32 reserved;
	char name[HMAP_NAME_MAX];
};

/* One map in HMAP_IOC_LIST's answer. */
struct hmap_list_entry {
	char name[HMAP_NAME_MAX];
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 flags;
	__u64 count;
};

/*
 * HMAP_IOC_LIST: @entries points to room for @count struct hmap_list_entry.
 * On return @count is the number of maps; min(room, maps) entries are
 * filled, in creation order. Call again with more room if it grew.
 */
struct hmap_ioc_list {
	__u32 size;
	__u32 count;
	__u64 entries;
};

/*
 * HMAP_IOC_LOOKUP, HMAP_IOC_UPDATE, HMAP_IOC_DELETE: one entry. @key_size
 * and @value_size must equal the map's (-EINVAL). LOOKUP copies the value
 * to @value (-ENOENT: no such key); UPDATE stores @value under @flags
 * (-EEXIST, -ENOENT, -E2BIG: the map is full, -ENOMEM); DELETE removes
 * the key (-ENOENT: no such key) and needs @value and @value_size 0.
 * @flags must be 0 but for UPDATE.
 */
struct hmap_ioc_elem {
	__u32 size;
	__u32 flags;
	char name[HMAP_NAME_MAX];
	__u64 key;
	__u64 value;
	__u32 key_size;
	__u32 value_size;
};

/*
 * HMAP_IOC_DUMP: a batch of entries, resumable. Start with @cursor 0; each
 * call returns up to @count entries (keys packed at @keys, values packed at
 * @values) and the cursor to pass next; a returned cursor of 0 means the
 * dump is complete. @count must be at least 1 (else -EINVAL); it is capped
 * at HMAP_DUMP_MAX_BATCH, and the call never returns more than it.
 *
 * Guarantee: every entry present for the whole dump is returned at least
 * once, even when the map grows or shrinks between or during calls; with
 * no concurrent resize, exactly once. (The cursor walks bucket indices in
 * reverse-binary order, as Redis SCAN does, so indices already visited
 * stay visited when the table doubles or halves.)
 *
 * The cursor moves a whole bucket group at a time. If the next group holds
 * more entries than fit in @count, the call returns what it has; if not
 * even one group fits, it fails with -ENOSPC and sets @count to the room
 * that group needs, so the caller can retry with a larger buffer.
 */
#define HMAP_DUMP_MAX_BATCH	65536

struct hmap_ioc_dump {
	__u32 size;
	__u32 flags;		/* must be 0 */
	char name[HMAP_NAME_MAX];
	__u64 cursor;
	__u64 keys;
	__u64 values;
	__u32 key_size;
	__u32 value_size;
	__u32 count;
	__u32 reserved;
};

/* Growth states in hmap_ioc_stats.growth. */
#define HMAP_GROWTH_NONE	0
#define HMAP_GROWTH_DOUBLE	1
#define HMAP_GROWTH_SAMESIZE	2
#define HMAP_GROWTH_SHRINK	3

/* Counters in hmap_ioc_stats.counters, in this order. */
enum hmap_stat {
	HMAP_STAT_HITS,
	HMAP_STAT_MISSES,
	HMAP_STAT_INSERTS,
	HMAP_STAT_UPDATES,
	HMAP_STAT_DELETES,
	HMAP_STAT_GROWS,
	HMAP_STAT_SAMESIZE_GROWS,
	HMAP_STAT_EVACUATED,
	HMAP_STAT_OVERFLOW_ALLOCS,
	HMAP_STAT_READER_RETRIES,
	HMAP_STAT_CLEARS,
	HMAP_STAT_RESEEDS,
	HMAP_STAT_SHRINKS,
	HMAP_STAT_EVACUATED_BG,
	HMAP_STAT_CACHE_HITS,
	HMAP_STAT_CACHE_MISSES,
	HMAP_STAT_CACHE_REFILLS,
	HMAP_STAT_CACHE_DRAINS,
	HMAP_STAT_NR,		/* counters this header knows */
};

/* Counters of ABI 1: every kernel fills at least these. */
#define HMAP_STAT_NR_V0		18
#define hmap_uapi_counter	hmap_stat	/* ABI 1's first name of the enum */

#define HMAP_STATS_MAX_COUNTERS	32

/*
 * The run-time counters: those of the lookup path, HMAP_STAT_HITS,
 * HMAP_STAT_MISSES and HMAP_STAT_READER_RETRIES (a bit per counter, as in
 * hmap_ioc_stats.counters_off). They cost every lookup a per-CPU write, so
 * they count only while run-time statistics are on: while some file
 * returned by HMAP_IOC_ENABLE_STATS is open, for every map at once.
 * While they are off they keep what they counted while on. Every other
 * counter always counts.
 */
#define HMAP_STATS_RUNTIME_COUNTERS	((1ULL << HMAP_STAT_HITS) |	\
					 (1ULL << HMAP_STAT_MISSES) |	\
					 (1ULL << HMAP_STAT_READER_RETRIES))

/*
 * hmap_ioc_stats.query and hmap_ioc_snapshot.query (other bits: -EINVAL):
 * with HMAP_QUERY_SHARD the answer describes shard @shard alone
 * (0 .. 2^shard_bits - 1, else -EINVAL; a map without shards is its own
 * shard 0): its own count, shape, counters and @memory, its share of
 * max_entries (max_entries >> shard_bits) and its own @id, the one
 * tracepoints print for its grows. Without it, @shard must be 0 (else
 * -EINVAL) and the answer describes the whole map: for a map of shards, @B and @old_B are the
 * largest of the shards', @growth is that of the first shard resizing, and
 * every count (@count, @buckets, @old_buckets, @nevacuate, @noverflow,
 * @memory, the counters, the histograms) is the sum over the shards, so
 * @nevacuate / @old_buckets is the progress of the resizes in progress. The
 * shards are read one after the other, not at one instant.
 */
#define HMAP_QUERY_SHARD	(1U << 0)

/*
 * HMAP_IOC_STATS: sizes, shape and counters of a map. The kernel fills
 * @nr_counters entries of @counters (at most HMAP_STATS_MAX_COUNTERS).
 *
 * @counters_off (added after HMAP_IOC_STATS_SIZE_VER0; a caller passing
 * that size gets everything before it): bit i set means counter i is not
 * counting now, so counters[i] is what it counted while it was on. It is
 * HMAP_STATS_RUNTIME_COUNTERS while run-time statistics are off, 0 while
 * they are on. A kernel older than the field does not write it and
 * answers HMAP_IOC_ENABLE_STATS with -ENOTTY; its counters always count,
 * so the 0 the caller zeroed it to is right.
 *
 * @query, @shard and @shard_bits (added after HMAP_IOC_STATS_SIZE_VER1):
 * HMAP_QUERY_SHARD in @query asks for shard @shard alone; the kernel
 * writes @shard_bits (the map is 2^@shard_bits shards) and
 * @evac_delay_ms (the map's, in milliseconds: HMAP_EVAC_DELAY_MS if it
 * was created with 0), and ignores what the caller put there.
 */
struct hmap_ioc_stats {
	__u32 size;
	__u32 reserved;
	char name[HMAP_NAME_MAX];
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 flags;
	__u64 count;
	__u32 B;
	__u32 old_B;
	__u32 growth;
	__u32 bucket_size;
	__u64 buckets;
	__u64 old_buckets;
	__u64 nevacuate;
	__u64 noverflow;
	__u64 old_noverflow;
	__u64 memory;		/* bytes, caches included */
	__u64 cache_objects;	/* free objects in the per-CPU caches */
	__u64 spare_buckets;	/* array allocated ahead of the next grow */
	__u32 nr_counters;
	__u32 id;		/* the map's number in tracepoints */
	__u64 counters[HMAP_STATS_MAX_COUNTERS];
	__u64 counters_off;	/* not in HMAP_IOC_STATS_SIZE_VER0 */
	__u32 query;		/* in: HMAP_QUERY_*; not in VER0 or VER1 */
	__u32 shard;		/* in: with HMAP_QUERY_SHARD */
	__u32 shard_bits;	/* the map is 2^shard_bits shards */
	__u32 evac_delay_ms;	/* as created (0 there: HMAP_EVAC_DELAY_MS) */
};

/*
 * sizeof(struct hmap_ioc_stats) by version; VER0 has no @counters_off,
 * VER1 nothing from @query on.
 */
#define HMAP_IOC_STATS_SIZE_VER0	408
#define HMAP_IOC_STATS_SIZE_VER1	416
#define HMAP_IOC_STATS_SIZE_VER2	432

/*
 * HMAP_IOC_ENABLE_STATS: turn run-time statistics on (see
 * HMAP_STATS_RUNTIME_COUNTERS) for as long as the returned file is open.
 * On success the ioctl returns a new file descriptor, not 0 (close-on-exec,
 * an anonymous inode that supports nothing but close); the counters count
 * until the last such file is closed, however its process ends, so a
 * killed reader cannot leave them on. Holders nest: each returned file
 * holds them on. Needs CAP_SYS_ADMIN (-EPERM). @flags must be 0 (-EINVAL).
 * Errors: -EMFILE, -ENFILE, -ENOMEM as for open(). The BPF_ENABLE_STATS
 * pattern.
 */
struct hmap_ioc_enable_stats {
	__u32 size;
	__u32 flags;		/* must be 0 */
};

#define HMAP_HIST_CHAIN		16	/* chain lengths 1..15, then >= 16 */
#define HMAP_HIST_SLOTS		9	/* live slots per bucket: 0..8 */

/*
 * HMAP_IOC_SNAPSHOT: the map's shape. chain_hist[i] counts chains of i + 1
 * buckets (the last entry: 16 or more); slot_hist[i] counts buckets (heads
 * and overflow buckets) with i live slots. The histograms cover the
 * current array; while growing, old_* cover the old one (all zero when
 * the map is not resizing).
 *
 * The figures are of one moment: if the map changed while they were read
 * (a write, or the background worker evacuating), the kernel reads them
 * again, a few times at most, so on a map no one writes the live slots of
 * both slot histograms add up to @count. Under writers that never pause
 * the last read is returned, off by the writes made meanwhile. Errors:
 * -EAGAIN if on every try a same-size grow replaced an array while it was
 * read (call again), -EINTR if a fatal signal is pending.
 *
 * @query, @shard and @shard_bits (added after HMAP_IOC_SNAPSHOT_SIZE_VER0):
 * as in struct hmap_ioc_stats; the whole map's histograms sum the shards'.
 */
struct hmap_ioc_snapshot {
	__u32 size;
	__u32 reserved;
	char name[HMAP_NAME_MAX];
	__u64 count;
	__u32 B;
	__u32 old_B;
	__u32 growth;
	__u32 reserved2;
	__u64 buckets;
	__u64 old_buckets;
	__u64 nevacuate;
	__u64 noverflow;
	__u64 chain_hist[HMAP_HIST_CHAIN];
	__u64 slot_hist[HMAP_HIST_SLOTS];
	__u32 reserved3;
	__u32 reserved4;
	__u64 old_chain_hist[HMAP_HIST_CHAIN];
	__u64 old_slot_hist[HMAP_HIST_SLOTS];
	__u64 old_evacuated;	/* old buckets already evacuated */
	__u32 query;		/* in: HMAP_QUERY_*; not in VER0 */
	__u32 shard;		/* in: with HMAP_QUERY_SHARD */
	__u32 shard_bits;	/* the map is 2^shard_bits shards */
	__u32 reserved5;
};

/* sizeof(struct hmap_ioc_snapshot) by version; VER0 ends at @old_evacuated. */
#define HMAP_IOC_SNAPSHOT_SIZE_VER0	512
#define HMAP_IOC_SNAPSHOT_SIZE_VER1	528

#define HMAP_IOC_MAGIC		0xb7

#define HMAP_IOC_CREATE		_IOWR(HMAP_IOC_MAGIC, 1, struct hmap_ioc_create)
#define HMAP_IOC_DESTROY	_IOW(HMAP_IOC_MAGIC, 2, struct hmap_ioc_map)
#define HMAP_IOC_LIST		_IOWR(HMAP_IOC_MAGIC, 3, struct hmap_ioc_list)
#define HMAP_IOC_LOOKUP		_IOWR(HMAP_IOC_MAGIC, 4, struct hmap_ioc_elem)
#define HMAP_IOC_UPDATE		_IOW(HMAP_IOC_MAGIC, 5, struct hmap_ioc_elem)
#define HMAP_IOC_DELETE		_IOW(HMAP_IOC_MAGIC, 6, struct hmap_ioc_elem)
#define HMAP_IOC_CLEAR		_IOW(HMAP_IOC_MAGIC, 7, struct hmap_ioc_map)
#define HMAP_IOC_DUMP		_IOWR(HMAP_IOC_MAGIC, 8, struct hmap_ioc_dump)
#define HMAP_IOC_STATS		_IOWR(HMAP_IOC_MAGIC, 9, struct hmap_ioc_stats)
#define HMAP_IOC_SNAPSHOT	_IOWR(HMAP_IOC_MAGIC, 10, struct hmap_ioc_snapshot)
#define HMAP_IOC_ENABLE_STATS	_IOW(HMAP_IOC_MAGIC, 11, struct hmap_ioc_enable_stats)

#endif /* _UAPI_HMAP_H */
