// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_shrink": what hmap does beyond Go's map when keys go.
 * The shrink threshold, hysteresis and NO_SHRINK; a shrink's evacuation
 * step by step, with lookups, walks and scans checked after every write;
 * maps emptied back to one bucket, and the memory a shrink gives back.
 * The background worker (hmap_test_worker.c) and the per-CPU caches
 * (hmap_test_cache.c) have suites of their own.
 */
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <kunit/test.h>

#include "hmap_test.h"

/* B of the map the step-by-step cases shrink: 16 old buckets, 8 new. */
#define SHRINK_B		4
/* Values of the step-by-step maps carry a header walks can check. */
#define SHRINK_VS		16
/*
 * The step-by-step walk deletes keys while more than this many are left,
 * then rewrites them: at B = 3, 14 keys are above the shrink point (13),
 * so the shrink the walk follows is the only one.
 */
#define SHRINK_KEEP		14
/* Entries one hmap_scan() call may return; groups here hold ~10. */
#define SHRINK_SCAN_ROOM	128
/*
 * Tries at catching a shrink or a state of one before the background
 * worker (which a stall of the case longer than its idle delay lets in).
 */
#define SHRINK_ATTEMPTS		3

/* Largest count a delete may leave to start a shrink: count * 8 <= 13 * 2^B. */
static u32 shrink_point(u32 B)
{
	return (13U << B) / 8;
}

/* Deletes keys @from - 1 down to @to. */
static void shrink_delete_down(struct kunit *test, struct hmap *map,
			       u32 from, u32 to)
{
	while (from > to)
		hmap_test_delete(test, map, --from);
}

/* ---- threshold, hysteresis, NO_SHRINK ---- */

static const u32 shrink_b_values[] = { 1, 2, 3, 4, 5, 6 };

static void shrink_B_desc(const u32 *B, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "B_%u", *B);
}

KUNIT_ARRAY_PARAM(shrink_b_values, shrink_b_values, shrink_B_desc);

/*
 * Deleting keys one at a time from a full map of 2^B buckets: no shrink
 * while count * 8 > 13 * 2^B, and the delete that leaves count * 8 <=
 * 13 * 2^B starts one, to 2^(B-1) buckets, with nothing evacuated yet.
 */
static void delete_to_shrink_point_starts_shrink(struct kunit *test)
{
	const u32 B = *(const u32 *)test->param_value;
	struct hmap *map = hmap_test_map_at_edge(test, B, 8, 0, 0);
	struct hmap_info *start = hmap_test_info(test, map);
	struct hmap_info *info = hmap_test_buf(test, sizeof(*info));
	u32 n = hmap_test_grow_edge(B);

	while (n > shrink_point(B) + 1) {
		hmap_test_delete(test, map, --n);
		hmap_get_info(map, info);
		KUNIT_ASSERT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS],
				    start->counters[HMAP_STAT_SHRINKS],
				    "shrink started at count %u, B %u (13 * 2^B = %u)",
				    n, B, 13U << B);
	}
	KUNIT_ASSERT_EQ_MSG(test, info->B, B, "B before the shrink point");
	KUNIT_ASSERT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_NONE,
			    "growth before the shrink point");

	hmap_test_delete(test, map, --n);
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ_MSG(test, info->count, (u64)shrink_point(B),
			    "count after the delete");
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS],
			    start->counters[HMAP_STAT_SHRINKS] + 1,
			    "shrinks after the delete leaving %u keys in 2^%u buckets",
			    n, B);
	KUNIT_EXPECT_EQ_MSG(test, info->B, B - 1, "new B");
	/* Unless a stall of the case let the worker finish the shrink. */
	if (info->counters[HMAP_STAT_EVACUATED_BG] ==
	    start->counters[HMAP_STAT_EVACUATED_BG]) {
		KUNIT_EXPECT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_SHRINK,
				    "growth");
		KUNIT_EXPECT_EQ_MSG(test, info->old_B, B, "old B");
		KUNIT_EXPECT_EQ_MSG(test, info->old_buckets, 1ULL << B,
				    "old buckets");
		KUNIT_EXPECT_EQ_MSG(test, info->nevacuate, 0ULL,
				    "nevacuate right after the shrink started");
	}
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_GROWS],
			    start->counters[HMAP_STAT_GROWS],
			    "a shrink counted as a grow");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, map, 0, n, 1), 0U,
			    "keys lost when the shrink started");
}

/* A map holding the most keys its buckets allow does not shrink on a delete. */
static void map_at_grow_edge_does_not_shrink_on_delete(struct kunit *test)
{
	struct hmap *map = hmap_test_map_at_edge(test, SHRINK_B, 8, 0, 0);
	struct hmap_info *info;

	hmap_test_delete(test, map, hmap_test_grow_edge(SHRINK_B) - 1);
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS], 0ULL,
			    "shrinks");
	KUNIT_EXPECT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_NONE, "growth");
	KUNIT_EXPECT_EQ_MSG(test, info->B, SHRINK_B, "B");
}

/* Neither does a map that has just doubled, deleting the key that grew it. */
static void map_just_grown_does_not_shrink_on_delete(struct kunit *test)
{
	struct hmap *map = hmap_test_map_at_edge(test, SHRINK_B, 8, 0, 0);
	u32 n = hmap_test_grow_edge(SHRINK_B);
	struct hmap_info *info;

	hmap_test_insert_range(test, map, n, n + 1, 1);
	hmap_test_finish_growth(test, map, 0, 1, 1U << SHRINK_B);
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ_MSG(test, info->B, SHRINK_B + 1, "B after the grow");
	hmap_test_delete(test, map, n);
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS], 0ULL,
			    "shrinks");
	KUNIT_EXPECT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_NONE, "growth");
	KUNIT_EXPECT_EQ_MSG(test, info->B, SHRINK_B + 1, "B");
}

/*
 * A map of 2^(@B + 1) buckets shrunk to 2^@B: keys [0, shrink point) are
 * left, the shrink is over (finished by rewrites), nothing else happened.
 */
static struct hmap *shrink_map_shrunk_to(struct kunit *test, u32 B)
{
	struct hmap *map = hmap_test_map_at_edge(test, B + 1, 8, 0, 0);
	struct hmap_info *info;

	shrink_delete_down(test, map, hmap_test_grow_edge(B + 1), shrink_point(B + 1));
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS], 1ULL,
			    "no shrink at %u keys", shrink_point(B + 1));
	hmap_test_finish_growth(test, map, 0, 1, 2U << B);
	hmap_get_info(map, info);
	KUNIT_ASSERT_EQ_MSG(test, info->B, B, "B after the shrink");
	KUNIT_ASSERT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS], 1ULL,
			    "shrinks");
	return map;
}

/* After a shrink the map holds half the keys that would make it grow. */
static void shrunk_map_is_at_half_max_load(struct kunit *test)
{
	const u32 B = SHRINK_B;
	struct hmap *map = shrink_map_shrunk_to(test, B);
	struct hmap_info *info = hmap_test_info(test, map);

	/* Half of 6.5 * 2^B is 13 * 2^B / 4. */
	KUNIT_EXPECT_LE_MSG(test, info->count * 4, 13ULL << B,
			    "%llu keys in 2^%u buckets: above half the max load",
			    info->count, B);
	KUNIT_EXPECT_GT_MSG(test, (info->count + 1) * 4, 13ULL << B,
			    "%llu keys in 2^%u buckets: shrank later than at half the max load",
			    info->count, B);
}

static void shrunk_map_does_not_shrink_on_next_delete(struct kunit *test)
{
	struct hmap *map = shrink_map_shrunk_to(test, SHRINK_B);
	struct hmap_info *info;

	hmap_test_delete(test, map, 1);
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS], 1ULL,
			    "a delete right after a shrink shrank again (count %llu)",
			    info->count);
	KUNIT_EXPECT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_NONE, "growth");
	KUNIT_EXPECT_EQ_MSG(test, info->B, SHRINK_B, "B");
}

/*
 * Inserting back past the count the map had before the shrink does not
 * grow it: only the insert past 6.5 * 2^B does.
 */
static void shrunk_map_grows_again_only_past_grow_edge(struct kunit *test)
{
	const u32 B = SHRINK_B;
	struct hmap *map = shrink_map_shrunk_to(test, B);
	struct hmap_info *info = hmap_test_info(test, map);
	u64 grows = info->counters[HMAP_STAT_GROWS];
	u32 n = shrink_point(B + 1), next = hmap_test_grow_edge(B + 1);

	for (; n < hmap_test_grow_edge(B); n++, next++) {
		hmap_test_insert_range(test, map, next, next + 1, 1);
		hmap_get_info(map, info);
		KUNIT_ASSERT_EQ_MSG(test, info->counters[HMAP_STAT_GROWS], grows,
				    "grew again at %u keys in 2^%u buckets",
				    n + 1, B);
		KUNIT_ASSERT_EQ_MSG(test, info->B, B, "B at %u keys", n + 1);
	}
	hmap_test_insert_range(test, map, next, next + 1, 1);
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_GROWS], grows + 1,
			    "no grow at %u keys in 2^%u buckets", n + 1, B);
	KUNIT_EXPECT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_DOUBLE, "growth");
	KUNIT_EXPECT_EQ_MSG(test, info->B, B + 1, "B");
}

/* NO_SHRINK: emptied by deletes, and left alone for the worker to act. */
static void no_shrink_map_never_shrinks(struct kunit *test)
{
	struct hmap *map = hmap_test_map_at_edge(test, SHRINK_B, 8,
					      HMAP_F_NO_SHRINK, 0);
	struct hmap_info *info;

	shrink_delete_down(test, map, hmap_test_grow_edge(SHRINK_B), 0);
	/* Twice the worker's idle delay (HMAP_BG_IDLE, 50 ms) and more. */
	msleep(200);
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, info->count, 0ULL, "count");
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS], 0ULL,
			    "shrinks of a NO_SHRINK map");
	KUNIT_EXPECT_EQ_MSG(test, info->B, SHRINK_B, "B of a NO_SHRINK map");
	KUNIT_EXPECT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_NONE, "growth");
}

/* ---- a shrink step by step ---- */

/*
 * The keys of a map and what a check expects of them: keys [0, nkeys)
 * were inserted at generation 1, those with @present set are still there.
 */
struct shrink_keys {
	struct hmap *map;
	u32 nkeys;
	u8 *present;
	u32 left;		/* keys present */
	u8 *visits;		/* per key, times a walk or scan returned it */
	u8 *skeys;		/* hmap_scan() output */
	u8 *svalues;
	struct hmap_info *sbefore;	/* around a scan */
	struct hmap_info *safter;
};

static void shrink_keys_init(struct kunit *test, struct shrink_keys *k,
			     struct hmap *map, u32 nkeys)
{
	k->map = map;
	k->nkeys = nkeys;
	k->left = nkeys;
	k->present = hmap_test_buf(test, nkeys);
	memset(k->present, 1, nkeys);
	k->visits = hmap_test_buf(test, nkeys);
	k->skeys = hmap_test_buf(test, SHRINK_SCAN_ROOM * 8);
	k->svalues = hmap_test_buf(test, SHRINK_SCAN_ROOM * SHRINK_VS);
	k->sbefore = hmap_test_buf(test, sizeof(*k->sbefore));
	k->safter = hmap_test_buf(test, sizeof(*k->safter));
}

static void shrink_keys_delete(struct kunit *test, struct shrink_keys *k,
			       u32 idx)
{
	hmap_test_delete(test, k->map, idx);
	k->present[idx] = 0;
	k->left--;
}

/*
 * Keys whose visit count is wrong: a present key must have been seen
 * once (@exact) or at least once, a deleted key never. Sets *@first to
 * the first such key.
 */
static u32 shrink_wrong_visits(const struct shrink_keys *k, bool exact,
			       u32 *first)
{
	u32 idx, wrong = 0;
	bool ok;

	*first = U32_MAX;
	for (idx = 0; idx < k->nkeys; idx++) {
		u8 v = k->visits[idx];

		if (k->present[idx])
			ok = exact ? v == 1 : v >= 1;
		else
			ok = v == 0;
		if (!ok && !wrong++)
			*first = idx;
	}
	return wrong;
}

/* Every present key found with its value, every deleted key absent. */
static void shrink_expect_lookups(struct kunit *test, struct shrink_keys *k,
				  const char *when, u32 step)
{
	u8 key[8], value[SHRINK_VS];
	u32 idx, wrong = 0, first = U32_MAX;
	int err, first_err = 0;

	for (idx = 0; idx < k->nkeys; idx++) {
		hmap_test_key(key, sizeof(key), idx);
		memset(value, 0, sizeof(value));
		err = hmap_lookup(k->map, key, value);
		if (k->present[idx] ?
		    err || !hmap_test_value_ok(value, sizeof(value), idx, 1) :
		    err != -ENOENT) {
			if (!wrong++) {
				first = idx;
				first_err = err;
			}
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, wrong, 0U,
			    "%s %u: %u of %u keys looked up wrong; first key %u (%s, lookup %d)",
			    when, step, wrong, k->nkeys, first,
			    first < k->nkeys && k->present[first] ? "present" : "deleted",
			    first_err);
}

/* One walk in one RCU read-side section: each present key exactly once. */
static void shrink_expect_iter(struct kunit *test, struct shrink_keys *k,
			       const char *when, u32 step)
{
	u8 key[8], value[SHRINK_VS];
	u32 idx, unknown = 0, bad_values = 0, wrong, first;
	struct hmap_iter it;
	int end;

	memset(k->visits, 0, k->nkeys);
	rcu_read_lock();
	hmap_iter_init(k->map, &it);
	while ((end = hmap_iter_next(&it, key, value)) == 0) {
		idx = hmap_test_key_idx(key, sizeof(key));
		if (idx >= k->nkeys) {
			unknown++;
			continue;
		}
		if (k->visits[idx] < U8_MAX)
			k->visits[idx]++;
		if (!hmap_test_value_ok(value, sizeof(value), idx, 1))
			bad_values++;
	}
	rcu_read_unlock();

	wrong = shrink_wrong_visits(k, true, &first);
	KUNIT_EXPECT_EQ_MSG(test, end, -ENOENT, "%s %u: end of walk", when, step);
	KUNIT_EXPECT_EQ_MSG(test, unknown, 0U,
			    "%s %u: walk returned keys never inserted", when, step);
	KUNIT_EXPECT_EQ_MSG(test, bad_values, 0U,
			    "%s %u: walk returned wrong values", when, step);
	KUNIT_EXPECT_EQ_MSG(test, wrong, 0U,
			    "%s %u: walk got %u keys wrong; first key %u (%s) returned %u times",
			    when, step, wrong, first,
			    first < k->nkeys && k->present[first] ? "present" : "deleted",
			    first < k->nkeys ? k->visits[first] : 0);
}

/* Counts the visits of what one hmap_scan() call returned. */
static void shrink_count_scanned(struct shrink_keys *k, u32 n, u32 *unknown,
				 u32 *bad_values)
{
	u32 i, idx;

	for (i = 0; i < n; i++) {
		idx = hmap_test_key_idx(k->skeys + i * 8, 8);
		if (idx >= k->nkeys) {
			(*unknown)++;
			continue;
		}
		if (k->visits[idx] < U8_MAX)
			k->visits[idx]++;
		if (!hmap_test_value_ok(k->svalues + i * SHRINK_VS, SHRINK_VS,
					idx, 1))
			(*bad_values)++;
	}
}

static bool shrink_resized(const struct hmap_info *a, const struct hmap_info *b)
{
	return a->counters[HMAP_STAT_GROWS] != b->counters[HMAP_STAT_GROWS] ||
	       a->counters[HMAP_STAT_SAMESIZE_GROWS] !=
	       b->counters[HMAP_STAT_SAMESIZE_GROWS] ||
	       a->counters[HMAP_STAT_SHRINKS] != b->counters[HMAP_STAT_SHRINKS];
}

/*
 * A whole scan from cursor 0: each present key at least once, exactly
 * once if no grow or shrink started during the scan.
 */
static void shrink_expect_scan(struct kunit *test, struct shrink_keys *k,
			       const char *when, u32 step)
{
	u32 n, calls = 0, unknown = 0, bad_values = 0, wrong, first;
	u64 cursor = 0;
	bool exact;
	int err;

	memset(k->visits, 0, k->nkeys);
	hmap_get_info(k->map, k->sbefore);
	do {
		err = hmap_scan(k->map, &cursor, k->skeys, k->svalues,
				SHRINK_SCAN_ROOM, &n);
		KUNIT_ASSERT_EQ_MSG(test, err, 0,
				    "%s %u: hmap_scan() call %u (room %u, needs %u)",
				    when, step, calls, SHRINK_SCAN_ROOM, n);
		shrink_count_scanned(k, n, &unknown, &bad_values);
		KUNIT_ASSERT_LT_MSG(test, ++calls, 1U << 12,
				    "%s %u: scan does not end", when, step);
	} while (cursor);
	hmap_get_info(k->map, k->safter);
	exact = !shrink_resized(k->sbefore, k->safter);

	wrong = shrink_wrong_visits(k, exact, &first);
	KUNIT_EXPECT_EQ_MSG(test, unknown, 0U,
			    "%s %u: scan returned keys never inserted", when, step);
	KUNIT_EXPECT_EQ_MSG(test, bad_values, 0U,
			    "%s %u: scan returned wrong values", when, step);
	KUNIT_EXPECT_EQ_MSG(test, wrong, 0U,
			    "%s %u: scan (%s) got %u keys wrong; first key %u (%s) returned %u times",
			    when, step, exact ? "no resize" : "across a resize",
			    wrong, first,
			    first < k->nkeys && k->present[first] ? "present" : "deleted",
			    first < k->nkeys ? k->visits[first] : 0);
}

/* Whether old bucket @i is evacuated (true if there is no old array). */
static bool shrink_old_evacuated(struct kunit *test, struct hmap *map, u64 i)
{
	struct hmap_bucket_snap *snap = hmap_test_buf(test, sizeof(*snap));
	u8 top;
	int err;

	err = hmap_snapshot_bucket(map, true, i, snap);
	top = snap->tophash[0];
	kunit_kfree(test, snap);
	if (err == -ENOENT)
		return true;
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "snapshot of old bucket %llu", i);
	return top > HMAP_EMPTY_ONE && top < HMAP_MIN_TOPHASH;
}

static u32 shrink_count_top(const struct hmap_bucket_snap *snap, u8 top)
{
	u32 i, n = 0;

	for (i = 0; i < snap->nslots; i++)
		n += snap->tophash[i] == top;
	return n;
}

/*
 * A map of 2^SHRINK_B buckets brought to the shrink point and shrinking,
 * and the write by write walk over its shrink.
 */
struct shrink_walk {
	struct hmap_test_walk w;
	struct shrink_keys k;
	u8 *bucket;		/* each key's bucket in the old array */
	u32 next;		/* key of the next write; U32_MAX: picked */
	bool replace_next;	/* the next write replaces, never deletes */
};

/*
 * Learns which bucket of a map that is not growing each present key is
 * in: a scan returns one bucket per call, the one the cursor's low B bits
 * name.
 */
static void shrink_learn_buckets(struct kunit *test, struct shrink_keys *k,
				 u8 *bucket, u32 B)
{
	u64 cursor = 0, group;
	u32 i, n, idx, calls = 0;

	memset(bucket, U8_MAX, k->nkeys);
	do {
		group = cursor & ((1ULL << B) - 1);
		KUNIT_ASSERT_EQ_MSG(test, hmap_scan(k->map, &cursor, k->skeys,
						    k->svalues, SHRINK_SCAN_ROOM,
						    &n), 0,
				    "scan of bucket %llu", group);
		for (i = 0; i < n; i++) {
			idx = hmap_test_key_idx(k->skeys + i * 8, 8);
			KUNIT_ASSERT_LT_MSG(test, idx, k->nkeys,
					    "scan returned key %u", idx);
			bucket[idx] = group;
		}
		KUNIT_ASSERT_LE_MSG(test, ++calls, 1U << B,
				    "scan of 2^%u buckets took more calls", B);
	} while (cursor);
	for (idx = 0; idx < k->nkeys; idx++)
		KUNIT_ASSERT_TRUE_MSG(test, !k->present[idx] ||
				      bucket[idx] != U8_MAX,
				      "key %u not returned by the scan", idx);
}

/* A present key of old bucket @b, or U32_MAX. */
static u32 shrink_key_in_bucket(const struct shrink_keys *k, const u8 *bucket,
				u32 b)
{
	u32 idx;

	for (idx = 0; idx < k->nkeys; idx++)
		if (k->present[idx] && bucket[idx] == b)
			return idx;
	return U32_MAX;
}

/*
 * The key the walk writes next: preferably one in the highest old bucket
 * of the upper half that is not evacuated yet, so that upper buckets get
 * evacuated before their lower siblings; else the highest key left.
 */
static u32 shrink_walk_pick(struct kunit *test, struct shrink_walk *s)
{
	u32 half = 1U << (SHRINK_B - 1), idx, best = U32_MAX, top = U32_MAX;
	struct shrink_keys *k = &s->k;
	u8 b;

	for (idx = 0; idx < k->nkeys; idx++) {
		if (!k->present[idx])
			continue;
		top = idx;
		b = s->bucket[idx];
		if (b < half || (best != U32_MAX && b <= s->bucket[best]))
			continue;
		if (!shrink_old_evacuated(test, k->map, b))
			best = idx;
	}
	KUNIT_ASSERT_NE_MSG(test, top, U32_MAX, "no key left");
	return best != U32_MAX ? best : top;
}

/*
 * The walk's write hook: deletes keys while more than SHRINK_KEEP are
 * left, then rewrites them, so that the walked shrink is the only one.
 */
static void shrink_walk_write(struct kunit *test, struct hmap_test_walk *w)
{
	struct shrink_walk *s = w->priv;
	u32 idx = s->next != U32_MAX ? s->next : shrink_walk_pick(test, s);

	s->next = U32_MAX;
	if (s->k.left > SHRINK_KEEP && !s->replace_next)
		shrink_keys_delete(test, &s->k, idx);
	else
		hmap_test_insert_range(test, w->map, idx, idx + 1, 1);
}

/*
 * Brings a map to the shrink point and starts the shrink. False if the
 * background worker got to it before the first look: a stall of the case
 * as long as the worker's idle delay lets it in.
 */
static bool shrink_walk_try_start(struct kunit *test, struct shrink_walk *s)
{
	u32 n = hmap_test_grow_edge(SHRINK_B), point = shrink_point(SHRINK_B);
	struct hmap *map = hmap_test_map_at_edge(test, SHRINK_B, SHRINK_VS, 0, 0);
	struct hmap_info *info;
	u32 idx;

	shrink_keys_init(test, &s->k, map, n);
	s->replace_next = false;
	s->bucket = hmap_test_buf(test, n);
	s->w.map = map;
	s->w.write = shrink_walk_write;
	s->w.priv = s;

	/* One key above the shrink point. */
	for (idx = n; idx > point + 1; )
		shrink_keys_delete(test, &s->k, --idx);
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS], 0ULL,
			    "shrank above the shrink point");
	KUNIT_ASSERT_EQ_MSG(test, info->B, SHRINK_B, "B");
	shrink_learn_buckets(test, &s->k, s->bucket, SHRINK_B);

	/* The delete to @point keys starts it. */
	s->next = point;
	if (!hmap_test_walk_start(test, &s->w, HMAP_GROWTH_SHRINK))
		return false;
	KUNIT_ASSERT_EQ_MSG(test, s->w.cur->old_B, SHRINK_B, "old B");
	return true;
}

static struct hmap_test_walk *shrink_walk_start(struct kunit *test,
						struct shrink_walk *s)
{
	u32 attempt;

	for (attempt = 1; !shrink_walk_try_start(test, s); attempt++)
		KUNIT_ASSERT_LT_MSG(test, attempt, SHRINK_ATTEMPTS,
				    "the worker took over %u shrinks before the first write",
				    attempt);
	return &s->w;
}

static void shrink_write_evacuates_at_most_two_buckets(struct kunit *test)
{
	struct hmap_test_walk *w;
	struct shrink_walk s;
	u64 evac;

	w = shrink_walk_start(test, &s);
	while (hmap_test_walk_step(test, w)) {
		evac = w->cur->counters[HMAP_STAT_EVACUATED] -
		       w->prev->counters[HMAP_STAT_EVACUATED];
		KUNIT_EXPECT_LE_MSG(test, evac, 2ULL,
				    "write %u of the shrink evacuated %llu buckets",
				    w->writes, evac);
		/* Unless the worker finished the shrink before the write. */
		if (!hmap_test_walk_bg(w))
			KUNIT_EXPECT_GE_MSG(test, evac, 1ULL,
					    "write %u of the shrink evacuated nothing",
					    w->writes);
	}
}

static void shrink_nevacuate_never_goes_back(struct kunit *test)
{
	struct hmap_test_walk *w;
	struct shrink_walk s;

	w = shrink_walk_start(test, &s);
	while (hmap_test_walk_step(test, w)) {
		if (w->cur->growth != HMAP_GROWTH_SHRINK)
			break;
		KUNIT_EXPECT_GE_MSG(test, w->cur->nevacuate, w->prev->nevacuate,
				    "nevacuate went back at write %u", w->writes);
		KUNIT_EXPECT_LE_MSG(test, w->cur->nevacuate, w->cur->old_buckets,
				    "nevacuate past the old array at write %u",
				    w->writes);
		KUNIT_EXPECT_EQ_MSG(test, w->cur->old_buckets, 1ULL << SHRINK_B,
				    "old array changed size at write %u", w->writes);
		KUNIT_EXPECT_EQ_MSG(test, w->cur->B, SHRINK_B - 1,
				    "new array changed size at write %u", w->writes);
	}
}

/* Runs @expect once the shrink started and after every later write. */
static void shrink_walk_expect(struct kunit *test,
			       void (*expect)(struct kunit *test,
					      struct shrink_keys *k,
					      const char *when, u32 step))
{
	struct hmap_test_walk *w;
	struct shrink_walk s;

	w = shrink_walk_start(test, &s);
	do {
		expect(test, &s.k, "shrink write", w->writes);
	} while (hmap_test_walk_step(test, w));
}

static void shrink_lookups_find_every_remaining_key(struct kunit *test)
{
	shrink_walk_expect(test, shrink_expect_lookups);
}

static void shrink_walk_returns_each_key_once(struct kunit *test)
{
	shrink_walk_expect(test, shrink_expect_iter);
}

static void shrink_scan_returns_each_key_once(struct kunit *test)
{
	shrink_walk_expect(test, shrink_expect_scan);
}

/* What shrink_half_merged_buckets_read_correctly() looks at. */
struct shrink_half_merged {
	u32 h;			/* old bucket of the written key */
	bool evac[4];		/* old buckets h, h - half, 0, half */
	u64 nevacuate;
	u32 x_h, live_j;	/* X marks of old h, live slots of new h - half */
	u32 x_0, live_0;	/* the same for old and new bucket 0 */
};

/*
 * Starts a shrink, writes a key of old bucket h > half and looks at the
 * buckets. False if the worker stepped in meanwhile.
 */
static bool shrink_half_merged_try(struct kunit *test, struct shrink_walk *s,
				   struct shrink_half_merged *m)
{
	const u32 half = 1U << (SHRINK_B - 1);
	struct hmap_bucket_snap *snap = hmap_test_buf(test, sizeof(*snap));
	struct hmap_info *info = hmap_test_buf(test, sizeof(*info));
	u32 idx, pick = U32_MAX;
	bool ok;

	shrink_walk_start(test, s);
	m->h = 0;
	for (idx = 0; idx < s->k.nkeys; idx++)
		if (s->k.present[idx] && s->bucket[idx] > half &&
		    (pick == U32_MAX || s->bucket[idx] > m->h)) {
			pick = idx;
			m->h = s->bucket[idx];
		}
	KUNIT_ASSERT_NE_MSG(test, pick, U32_MAX,
			    "no key left in old buckets %u..%u", half + 1,
			    2 * half - 1);
	/* A replace: a delete would not evacuate its key's bucket. */
	s->next = pick;
	s->replace_next = true;
	if (!hmap_test_walk_step(test, &s->w))
		return false;
	s->replace_next = false;
	m->nevacuate = s->w.cur->nevacuate;
	m->evac[0] = shrink_old_evacuated(test, s->k.map, m->h);
	m->evac[1] = shrink_old_evacuated(test, s->k.map, m->h - half);
	m->evac[2] = shrink_old_evacuated(test, s->k.map, 0);
	m->evac[3] = shrink_old_evacuated(test, s->k.map, half);
	ok = !hmap_snapshot_bucket(s->k.map, true, m->h, snap);
	m->x_h = shrink_count_top(snap, HMAP_EVACUATED_X);
	m->live_j = hmap_test_live_slots(hmap_test_snap(test, s->k.map,
							m->h - half));
	ok = ok && !hmap_snapshot_bucket(s->k.map, true, 0, snap);
	m->x_0 = shrink_count_top(snap, HMAP_EVACUATED_X);
	m->live_0 = hmap_test_live_slots(hmap_test_snap(test, s->k.map, 0));
	hmap_get_info(s->k.map, info);
	return ok && info->counters[HMAP_STAT_EVACUATED_BG] ==
		     s->w.prev->counters[HMAP_STAT_EVACUATED_BG];
}

/*
 * New bucket j of a shrink takes old buckets j and j + 2^(B-1). The first
 * write, a replace of a key in old bucket h = j + 2^(B-1) (j > 0), evacuates h and
 * nevacuate's bucket 0: then new bucket 0 holds old 0 and waits for old
 * 2^(B-1), new bucket j holds old h and waits for old j. Reads must see
 * every key in both states.
 */
static void shrink_half_merged_buckets_read_correctly(struct kunit *test)
{
	const u32 half = 1U << (SHRINK_B - 1);
	struct shrink_half_merged m;
	struct shrink_walk s;
	u32 attempt;

	for (attempt = 1; !shrink_half_merged_try(test, &s, &m); attempt++)
		KUNIT_ASSERT_LT_MSG(test, attempt, SHRINK_ATTEMPTS,
				    "the worker stepped in %u times", attempt);

	KUNIT_EXPECT_TRUE_MSG(test, m.evac[0],
			      "old bucket %u of the written key not evacuated", m.h);
	KUNIT_EXPECT_FALSE_MSG(test, m.evac[1],
			       "old bucket %u evacuated with its sibling %u",
			       m.h - half, m.h);
	KUNIT_EXPECT_TRUE_MSG(test, m.evac[2],
			      "old bucket 0 (nevacuate) not evacuated");
	KUNIT_EXPECT_FALSE_MSG(test, m.evac[3],
			       "old bucket %u evacuated with its sibling 0", half);
	KUNIT_EXPECT_EQ_MSG(test, m.nevacuate, 1ULL, "nevacuate");
	/* The new buckets hold what their evacuated old bucket moved there. */
	KUNIT_EXPECT_EQ_MSG(test, m.live_j, m.x_h,
			    "new bucket %u vs the entries old bucket %u moved",
			    m.h - half, m.h);
	KUNIT_EXPECT_EQ_MSG(test, m.live_0, m.x_0,
			    "new bucket 0 vs the entries old bucket 0 moved");

	shrink_expect_lookups(test, &s.k, "half merged, write", s.w.writes);
	shrink_expect_iter(test, &s.k, "half merged, write", s.w.writes);
	shrink_expect_scan(test, &s.k, "half merged, write", s.w.writes);
}

static void shrink_end_retires_old_array(struct kunit *test)
{
	struct hmap_bucket_snap *snap = hmap_test_buf(test, sizeof(*snap));
	struct hmap_test_walk *w;
	struct shrink_walk s;
	u64 evac;

	w = shrink_walk_start(test, &s);
	while (hmap_test_walk_step(test, w))
		;
	KUNIT_EXPECT_EQ_MSG(test, w->cur->growth, (u32)HMAP_GROWTH_NONE, "growth");
	KUNIT_EXPECT_EQ_MSG(test, w->cur->old_buckets, 0ULL,
			    "old array still attached");
	KUNIT_EXPECT_EQ_MSG(test, w->cur->old_B, 0U, "old_B");
	KUNIT_EXPECT_EQ_MSG(test, w->cur->B, SHRINK_B - 1, "B");
	KUNIT_EXPECT_EQ_MSG(test, w->cur->counters[HMAP_STAT_SHRINKS], 1ULL,
			    "shrinks");
	/* Each old bucket was evacuated once, by a writer or the worker. */
	evac = w->cur->counters[HMAP_STAT_EVACUATED] +
	       w->cur->counters[HMAP_STAT_EVACUATED_BG] -
	       w->start->counters[HMAP_STAT_EVACUATED] -
	       w->start->counters[HMAP_STAT_EVACUATED_BG];
	KUNIT_EXPECT_EQ_MSG(test, evac, 1ULL << SHRINK_B,
			    "buckets evacuated during the shrink");
	KUNIT_EXPECT_EQ_MSG(test, hmap_snapshot_bucket(s.k.map, true, 0, snap),
			    -ENOENT, "old array still reachable by snapshot");
	shrink_expect_lookups(test, &s.k, "after the shrink, write", w->writes);
}

/*
 * A scan that began before a shrink and goes on while it runs: each key
 * present for the whole scan comes out at least once. After each call
 * during the shrink a write evacuates the upper sibling (old bucket
 * r + 2^(B-1)) of the group r just returned into new bucket r, behind
 * the cursor: a scan whose group did not cover both siblings loses it.
 */
static void scan_across_shrink_returns_every_key(struct kunit *test)
{
	const u32 B = SHRINK_B + 1, half = 1U << (B - 1);
	u32 nkeys = hmap_test_grow_edge(B), point = shrink_point(B);
	struct hmap *map = hmap_test_map_at_edge(test, B, SHRINK_VS, 0, 0);
	struct hmap_info *info = hmap_test_buf(test, sizeof(*info));
	struct hmap_info *pre = hmap_test_buf(test, sizeof(*pre));
	u32 n, idx, calls = 0, unknown = 0, bad_values = 0, moved = 0;
	u8 *bucket = hmap_test_buf(test, nkeys);
	u32 wrong, first, group;
	struct shrink_keys k;
	u64 cursor = 0;

	shrink_keys_init(test, &k, map, nkeys);
	for (idx = nkeys; idx > point + 1; )
		shrink_keys_delete(test, &k, --idx);
	shrink_learn_buckets(test, &k, bucket, B);
	hmap_get_info(map, pre);
	memset(k.visits, 0, k.nkeys);
	/* Half the 2^B groups, then the shrink starts, then the rest. */
	do {
		group = cursor & (half - 1);
		KUNIT_ASSERT_EQ_MSG(test, hmap_scan(map, &cursor, k.skeys,
						    k.svalues, SHRINK_SCAN_ROOM,
						    &n), 0, "scan call %u", calls);
		shrink_count_scanned(&k, n, &unknown, &bad_values);
		if (++calls == half) {
			/* Key @point may or may not be returned from now on. */
			shrink_keys_delete(test, &k, point);
			hmap_get_info(map, info);
			KUNIT_ASSERT_EQ_MSG(test, info->growth,
					    (u32)HMAP_GROWTH_SHRINK,
					    "no shrink at %u keys", point);
		} else if (calls > half) {
			idx = shrink_key_in_bucket(&k, bucket, group + half);
			if (idx != U32_MAX &&
			    !shrink_old_evacuated(test, map, group + half))
				moved++;
			else
				idx = calls % point;
			hmap_test_insert_range(test, map, idx, idx + 1, 1);
		}
		KUNIT_ASSERT_LT_MSG(test, calls, 1U << 12, "scan does not end");
	} while (cursor);
	k.visits[point] = 0;
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS], 1ULL,
			    "shrinks during the scan");
	/* Unless a stall of the case let the worker finish the shrink. */
	if (info->counters[HMAP_STAT_EVACUATED_BG] ==
	    pre->counters[HMAP_STAT_EVACUATED_BG])
		KUNIT_EXPECT_GT_MSG(test, moved, 0U,
				    "no old bucket evacuated behind the cursor");
	wrong = shrink_wrong_visits(&k, false, &first);
	KUNIT_EXPECT_EQ_MSG(test, unknown, 0U, "scan returned keys never inserted");
	KUNIT_EXPECT_EQ_MSG(test, bad_values, 0U, "scan returned wrong values");
	KUNIT_EXPECT_EQ_MSG(test, wrong, 0U,
			    "scan across a shrink got %u keys wrong (%u buckets moved behind the cursor); first key %u returned %u times",
			    wrong, moved, first, first < k.nkeys ? k.visits[first] : 0);
}

/* ---- emptied maps, memory ---- */

/*
 * Deleting every key of a map of 2^SHRINK_B buckets, back to back: the
 * successive shrinks leave one bucket, and the memory of a fresh map.
 */
static void emptied_map_returns_to_one_bucket(struct kunit *test)
{
	struct hmap *map = hmap_test_map_at_edge(test, SHRINK_B, 8, 0, 0);
	struct hmap *fresh_map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *fresh = hmap_test_info(test, fresh_map);
	struct hmap_info *before = hmap_test_info(test, map);
	struct hmap_info *info = hmap_test_buf(test, sizeof(*info));
	u64 cached;

	shrink_delete_down(test, map, hmap_test_grow_edge(SHRINK_B), 0);
	KUNIT_ASSERT_TRUE_MSG(test, hmap_test_wait(map, info, hmap_test_one_bucket),
			      "emptied map at B %u, growth %u after %u ms",
			      info->B, info->growth, HMAP_TEST_WAIT_MS);
	KUNIT_EXPECT_EQ_MSG(test, info->count, 0ULL, "count");
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_SHRINKS] -
			    before->counters[HMAP_STAT_SHRINKS], (u64)SHRINK_B,
			    "shrinks from 2^%u buckets to 1", SHRINK_B);
	KUNIT_EXPECT_EQ_MSG(test, info->old_buckets, 0ULL, "old array");
	KUNIT_EXPECT_EQ_MSG(test, info->noverflow, 0ULL, "overflow buckets");
	/* Keys and values are inline: the caches hold only buckets. */
	cached = info->cache_objects * info->bucket_size;
	KUNIT_EXPECT_LE_MSG(test, info->memory, fresh->memory + cached,
			    "memory %llu of the emptied map vs %llu of a fresh one (%llu cached)",
			    info->memory, fresh->memory, cached);
	KUNIT_EXPECT_LT_MSG(test, info->memory, before->memory,
			    "memory did not drop");
	kunit_info(test, "buckets evacuated by writers %llu, by the worker %llu",
		   info->counters[HMAP_STAT_EVACUATED] -
		   before->counters[HMAP_STAT_EVACUATED],
		   info->counters[HMAP_STAT_EVACUATED_BG] -
		   before->counters[HMAP_STAT_EVACUATED_BG]);
}

/* The halved array takes less memory than the one it replaced. */
static void memory_drops_after_shrink(struct kunit *test)
{
	const u32 B = 6;
	struct hmap *map = hmap_test_map_at_edge(test, B, 8, 0, 0);
	struct hmap_info *before, *after;

	shrink_delete_down(test, map, hmap_test_grow_edge(B), shrink_point(B) + 1);
	before = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ_MSG(test, before->B, B, "B before the shrink");
	hmap_test_delete(test, map, shrink_point(B));
	hmap_test_finish_growth(test, map, 0, 1, 1U << B);
	after = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ_MSG(test, after->B, B - 1, "B after the shrink");
	KUNIT_EXPECT_LT_MSG(test, after->memory, before->memory,
			    "memory after the shrink (2^%u buckets, %llu overflow, %llu cached objects) vs before (2^%u, %llu overflow)",
			    after->B, after->noverflow, after->cache_objects,
			    before->B, before->noverflow);
	KUNIT_EXPECT_GE_MSG(test, after->memory,
			    (u64)after->bucket_size << after->B,
			    "memory below the new array's size");
}

static struct kunit_case hmap_shrink_cases[] = {
	KUNIT_CASE_PARAM(delete_to_shrink_point_starts_shrink, shrink_b_values_gen_params),
	KUNIT_CASE(map_at_grow_edge_does_not_shrink_on_delete),
	KUNIT_CASE(map_just_grown_does_not_shrink_on_delete),
	KUNIT_CASE(shrunk_map_is_at_half_max_load),
	KUNIT_CASE(shrunk_map_does_not_shrink_on_next_delete),
	KUNIT_CASE(shrunk_map_grows_again_only_past_grow_edge),
	KUNIT_CASE(no_shrink_map_never_shrinks),
	KUNIT_CASE(shrink_write_evacuates_at_most_two_buckets),
	KUNIT_CASE(shrink_nevacuate_never_goes_back),
	KUNIT_CASE(shrink_lookups_find_every_remaining_key),
	KUNIT_CASE(shrink_walk_returns_each_key_once),
	KUNIT_CASE(shrink_scan_returns_each_key_once),
	KUNIT_CASE(shrink_half_merged_buckets_read_correctly),
	KUNIT_CASE(shrink_end_retires_old_array),
	KUNIT_CASE(scan_across_shrink_returns_every_key),
	KUNIT_CASE(emptied_map_returns_to_one_bucket),
	KUNIT_CASE(memory_drops_after_shrink),
	{}
};

HMAP_TEST_SUITE(hmap_shrink, hmap_shrink_cases);
