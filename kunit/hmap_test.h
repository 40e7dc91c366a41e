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

#endif /* _HMAP_TEST_H */
