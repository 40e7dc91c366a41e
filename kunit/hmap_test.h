/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the hmap KUnit suites: maps that destroy themselves
 * when a case ends, deterministic key and value generators, and small
 * wrappers around hmap_get_info() and hmap_snapshot_bucket().
 */
#ifndef _HMAP_TEST_H
#define _HMAP_TEST_H

#include <kunit/test.h>
#include <hmap/hmap.h>
#include <hmap/hmap_debug.h>

/*
 * Keys: key number @idx is stored little-endian in the first (up to) four
 * bytes; the remaining bytes are a pattern derived from @idx. A key of one
 * byte can only encode 256 keys.
 *
 * Values: every byte is a pattern derived from (@idx, @gen); when there is
 * room the first four bytes hold @idx and the next four hold @gen, so a
 * reader can tell which key and which generation a value claims to be and
 * check every other byte against it (a torn copy does not match).
 */
void hmap_test_key(void *key, u32 key_size, u32 idx);
u32 hmap_test_key_idx(const void *key, u32 key_size);
void hmap_test_value(void *value, u32 value_size, u32 idx, u32 gen);
bool hmap_test_value_ok(const void *value, u32 value_size, u32 idx, u32 gen);
bool hmap_test_value_consistent(const void *value, u32 value_size,
				u32 *idx, u32 *gen);

/* Create a map destroyed when the case ends; the case fails if it can't. */
struct hmap *hmap_test_create(struct kunit *test, u32 key_size,
			      u32 value_size, u32 max_entries);
/* The same, with creation flags (HMAP_F_*). */
struct hmap *hmap_test_create_flags(struct kunit *test, u32 key_size,
				    u32 value_size, u32 max_entries, u32 flags);
/*
 * A map whose background worker waits a minute for writes to pause, so a
 * case that steps through a grow sees only its own writes evacuate.
 */
struct hmap *hmap_test_create_quiet(struct kunit *test, u32 key_size,
				    u32 value_size, u32 max_entries);
/* Flags and the worker's delay (hmap_params.evac_delay_ms) both given. */
struct hmap *hmap_test_create_delay(struct kunit *test, u32 key_size,
				    u32 value_size, u32 max_entries, u32 flags,
				    u32 evac_delay_ms);

/* A map of hash @hash (enum hmap_hash), otherwise as hmap_test_create(). */
struct hmap *hmap_test_create_hash(struct kunit *test, u32 key_size,
				   u32 value_size, u32 max_entries, u32 hash);

/* A map of 2^@shard_bits shards, otherwise as hmap_test_create_hash(). */
struct hmap *hmap_test_create_shards(struct kunit *test, u32 key_size,
				     u32 value_size, u32 max_entries,
				     u32 shard_bits, u32 hash);

/*
 * The name of hash @hash (enum hmap_hash): "siphash", "fast" or "?".
 * Inline: the torture module has it without hmap_test_main.o.
 */
static inline const char *hmap_test_hash_name(u32 hash)
{
	switch (hash) {
	case HMAP_HASH_SIPHASH:
		return "siphash";
	case HMAP_HASH_FAST:
		return "fast";
	default:
		return "?";
	}
}

/* Heap buffer for one key or value (never NULL: a size 0 gets one byte). */
void *hmap_test_buf(struct kunit *test, u32 size);

/* Insert keys [@from, @to) with values of generation @gen (HMAP_UPDATE_ANY). */
void hmap_test_insert_range(struct kunit *test, struct hmap *map,
			    u32 from, u32 to, u32 gen);

/*
 * Check that every key in [@from, @to) is found with its value of
 * generation @gen; returns the number of keys that were not.
 */
u32 hmap_test_check_range(struct kunit *test, struct hmap *map,
			  u32 from, u32 to, u32 gen);

/*
 * Rewrite key @idx (which must be present) with generation @gen until the
 * map is no longer growing; fails the case if that takes more than
 * @max_writes writes.
 */
void hmap_test_finish_growth(struct kunit *test, struct hmap *map, u32 idx,
			     u32 gen, u32 max_writes);

/* hmap_get_info() into a buffer owned by the case. */
struct hmap_info *hmap_test_info(struct kunit *test, struct hmap *map);

/* Live slots (tophash >= HMAP_MIN_TOPHASH) in a bucket snapshot. */
u32 hmap_test_live_slots(const struct hmap_bucket_snap *snap);

/* Snapshot bucket @index of the current array; fails the case on error. */
struct hmap_bucket_snap *hmap_test_snap(struct kunit *test, struct hmap *map,
					u64 index);

/* The B a map of @n distinct keys has once every grow is done. */
u32 hmap_test_expected_B(u64 n);

/*
 * Registers suite @id (its name too) of the case array @cases, which
 * ends with {}: one definition instead of the same tail in every file.
 */
#define HMAP_TEST_SUITE(id, cases)					\
	static struct kunit_suite id##_suite = {			\
		.name = #id,						\
		.test_cases = cases,					\
	};								\
	kunit_test_suites(&id##_suite)

/*
 * Helpers of the suites that resize maps (hmap_test_walk.c).
 */

/* Longest wait for the background worker, and the polling period. */
#define HMAP_TEST_WAIT_MS	5000
#define HMAP_TEST_POLL_MS	10

/* Keys a map of 2^@B buckets holds at most before it doubles. */
u32 hmap_test_grow_edge(u32 B);

/*
 * A map of 8 byte keys and @value_size byte values holding keys [0, n)
 * at generation 1, for the largest n that fits 2^@B buckets, not growing.
 */
struct hmap *hmap_test_map_at_edge(struct kunit *test, u32 B, u32 value_size,
				   u32 flags, u32 evac_delay_ms);

/* Deletes the 8 byte key @idx, which must be present. */
void hmap_test_delete(struct kunit *test, struct hmap *map, u32 idx);

/*
 * Polls @map until @done says so or HMAP_TEST_WAIT_MS passed, with no
 * write in between (so the background worker may run). Leaves the last
 * snapshot in @info; returns whether @done.
 */
bool hmap_test_wait(struct hmap *map, struct hmap_info *info,
		    bool (*done)(const struct hmap_info *info));
/* Predicates for hmap_test_wait(). */
bool hmap_test_not_growing(const struct hmap_info *info);
bool hmap_test_one_bucket(const struct hmap_info *info);

/*
 * A grow or a shrink followed one write at a time. The case sets @map,
 * @write (which makes one write, of a key of its choosing; @priv is the
 * case's) and calls hmap_test_walk_start(), whose write starts the
 * resize, then hmap_test_walk_step() until it returns false, checking
 * @prev and @cur in between.
 */
struct hmap_test_walk {
	struct hmap *map;
	void (*write)(struct kunit *test, struct hmap_test_walk *w);
	void *priv;
	u32 growth;			/* the resize walked: HMAP_GROWTH_* */
	u32 old_B;			/* B it resizes from */
	struct hmap_info *start;	/* before the write that started it */
	struct hmap_info *prev;		/* before the latest write */
	struct hmap_info *cur;		/* after it */
	u32 writes;			/* writes since it started */
};

/*
 * Makes the write that is to start a resize of kind @growth; fails the
 * case if it started none. False if the background worker evacuated
 * during that write (a stall of the case as long as the worker's idle
 * delay lets it in): the caller may try again with a new map.
 */
bool hmap_test_walk_start(struct kunit *test, struct hmap_test_walk *w,
			  u32 growth);
/* One more write; false once the walked resize is over. */
bool hmap_test_walk_step(struct kunit *test, struct hmap_test_walk *w);
/* Buckets the worker evacuated since the walk's previous write. */
u64 hmap_test_walk_bg(const struct hmap_test_walk *w);

#endif /* _HMAP_TEST_H */
