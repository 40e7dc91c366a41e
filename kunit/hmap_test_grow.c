// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_grow": the table's shape. Grow points (load factor
 * 6.5), same-size grows after churn, incremental evacuation step by step,
 * the tophash bytes of inserts and deletes (EMPTY_ONE / EMPTY_REST
 * compaction, also across an overflow chain), the memory accounting, and
 * the largest array (one allocation of at most INT_MAX bytes).
 */
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/test.h>

#include "hmap_core.h"	/* hmap_hash(), hmap_max_B(), map->evac_work */
#include "hmap_test.h"

/* B of the map the evacuation cases grow out of: 16 old buckets. */
#define GROW_EDGE_B	4

/* A quiet map (8 byte keys and values) at the edge of a grow from 2^@B buckets. */
static struct hmap *grow_map_at_edge(struct kunit *test, u32 B)
{
	return hmap_test_map_at_edge(test, B, 8, 0, HMAP_MAX_EVAC_DELAY_MS);
}

static void grow_points_follow_load_factor(struct kunit *test)
{
	const u32 nkeys = 20000;
	struct hmap *map = hmap_test_create_quiet(test, 8, 0, 0);
	struct hmap_info *info = hmap_test_buf(test, sizeof(*info));
	u8 key[8];
	u32 n;

	for (n = 1; n <= nkeys; n++) {
		hmap_test_key(key, sizeof(key), n);
		KUNIT_ASSERT_EQ_MSG(test, hmap_update(map, key, NULL, HMAP_UPDATE_ANY, GFP_KERNEL),
				    0, "insert of key %u", n);
		hmap_get_info(map, info);
		KUNIT_ASSERT_EQ_MSG(test, info->count, (u64)n, "count");
		KUNIT_ASSERT_EQ_MSG(test, info->B, hmap_test_expected_B(n),
				    "B after %u distinct keys", n);
	}
}

static void eight_keys_fit_one_bucket(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 8, 0);
	struct hmap_info *info;

	hmap_test_insert_range(test, map, 0, 8, 1);
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, info->B, 0U, "B with 8 keys");
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_GROWS], 0ULL,
			    "grew with 8 keys");
	KUNIT_EXPECT_EQ_MSG(test, info->noverflow, 0ULL,
			    "overflow bucket with 8 keys");
	hmap_test_insert_range(test, map, 8, 9, 1);
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ_MSG(test, info->B, 1U, "B with 9 keys");
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_GROWS], 1ULL,
			    "grows with 9 keys");
}

/* The insert that starts a grow publishes the new array and moves little. */
static void grow_publishes_new_array(struct kunit *test)
{
	struct hmap *map = grow_map_at_edge(test, GROW_EDGE_B);
	struct hmap_info *before = hmap_test_info(test, map);
	u32 n = hmap_test_grow_edge(GROW_EDGE_B);
	struct hmap_info *after;

	hmap_test_insert_range(test, map, n, n + 1, 1);
	after = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_GROWS],
			    before->counters[HMAP_STAT_GROWS] + 1, "grows");
	KUNIT_EXPECT_EQ_MSG(test, after->B, GROW_EDGE_B + 1, "new B");
	KUNIT_EXPECT_EQ_MSG(test, after->old_B, GROW_EDGE_B, "old B");
	KUNIT_EXPECT_EQ_MSG(test, after->old_buckets, 1ULL << GROW_EDGE_B,
			    "old buckets");
	KUNIT_EXPECT_EQ_MSG(test, after->growth, (u32)HMAP_GROWTH_DOUBLE,
			    "growth");
	KUNIT_EXPECT_LE_MSG(test, after->counters[HMAP_STAT_EVACUATED] -
			    before->counters[HMAP_STAT_EVACUATED], 2ULL,
			    "the insert that started the grow evacuated more than 2 buckets");
}

/* Count slots of @snap whose tophash equals @top. */
static u32 grow_count_marks(const struct hmap_bucket_snap *snap, u8 top)
{
	u32 i, n = 0;

	for (i = 0; i < snap->nslots; i++)
		if (snap->tophash[i] == top)
			n++;
	return n;
}

/*
 * An evacuated old bucket has only evacuation marks; its live entries went
 * to new bucket i (X) or i + oldsize (Y), and nothing else is there.
 */
static void evacuation_splits_bucket_between_x_and_y(struct kunit *test)
{
	struct hmap *map = grow_map_at_edge(test, GROW_EDGE_B);
	u32 n = hmap_test_grow_edge(GROW_EDGE_B), oldsize = 1U << GROW_EDGE_B;
	struct hmap_bucket_snap *osnap, *xsnap, *ysnap;
	u32 i, evacuated = 0;
	u8 key[8];

	osnap = hmap_test_buf(test, sizeof(*osnap));
	/* Start the grow, then remove the key that started it. */
	hmap_test_insert_range(test, map, n, n + 1, 1);
	hmap_test_key(key, sizeof(key), n);
	KUNIT_ASSERT_EQ(test, hmap_delete(map, key, GFP_KERNEL), 0);
	/* Four writes in all: at most 8 of the 16 old buckets evacuated. */
	hmap_test_insert_range(test, map, 0, 2, 2);

	for (i = 0; i < oldsize; i++) {
		u32 x, y, ev, live;

		KUNIT_ASSERT_EQ_MSG(test, hmap_snapshot_bucket(map, true, i, osnap),
				    0, "snapshot of old bucket %u", i);
		xsnap = hmap_test_snap(test, map, i);
		ysnap = hmap_test_snap(test, map, i + oldsize);
		x = grow_count_marks(osnap, HMAP_EVACUATED_X);
		y = grow_count_marks(osnap, HMAP_EVACUATED_Y);
		ev = x + y + grow_count_marks(osnap, HMAP_EVACUATED_EMPTY);
		live = hmap_test_live_slots(osnap);
		if (ev == 0) {
			KUNIT_EXPECT_EQ_MSG(test, hmap_test_live_slots(xsnap) +
					    hmap_test_live_slots(ysnap), 0U,
					    "new buckets of unevacuated old bucket %u hold entries",
					    i);
			continue;
		}
		evacuated++;
		KUNIT_EXPECT_EQ_MSG(test, ev, osnap->nslots,
				    "old bucket %u partly evacuated (%u live)",
				    i, live);
		KUNIT_EXPECT_EQ_MSG(test, hmap_test_live_slots(xsnap), x,
				    "new bucket %u vs X marks of old bucket %u",
				    i, i);
		KUNIT_EXPECT_EQ_MSG(test, hmap_test_live_slots(ysnap), y,
				    "new bucket %u vs Y marks of old bucket %u",
				    i + oldsize, i);
	}
	KUNIT_EXPECT_GT_MSG(test, evacuated, 0U, "no old bucket evacuated");
	KUNIT_EXPECT_LT_MSG(test, evacuated, oldsize,
			    "every old bucket evacuated after 4 writes");
}

/*
 * Three quarters of the way to a grow whose array is 64 KiB or more, the
 * worker allocates that array; the insert that starts the grow takes it
 * instead of allocating (and zeroing) it itself.
 */
static void large_grow_uses_array_allocated_ahead(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *info;
	u64 grows;
	int i;

	/* B = 8 holds 833..1664 keys; 1300 is past 3/4 of 1664. */
	hmap_test_insert_range(test, map, 0, 1300, 1);
	for (i = 0; i < 150; i++) {
		info = hmap_test_info(test, map);
		if (info->spare_buckets)
			break;
		msleep(20);
	}
	KUNIT_ASSERT_EQ_MSG(test, info->B, 8U, "B with 1300 keys");
	KUNIT_ASSERT_EQ_MSG(test, info->spare_buckets, 512ULL,
			    "no array of 512 buckets allocated ahead");
	KUNIT_EXPECT_GE_MSG(test, info->memory,
			    512ULL * info->bucket_size + 256ULL * info->bucket_size,
			    "memory counts the spare array");
	grows = info->counters[HMAP_STAT_GROWS];

	hmap_test_insert_range(test, map, 1300, 1665, 1);
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ_MSG(test, info->B, 9U, "B after the 1665th key");
	KUNIT_EXPECT_EQ_MSG(test, info->counters[HMAP_STAT_GROWS], grows + 1,
			    "one more grow");
	KUNIT_EXPECT_EQ_MSG(test, info->spare_buckets, 0ULL,
			    "the grow used the spare array");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, map, 0, 1665, 1),
			    0U, "keys missing after the grow");
}

/*
 * A request for the next array that is still pending when a grow starts
 * without it is stale: at the new B the map is not near its grow point,
 * and the worker must not allocate an array twice the new size.
 */
static void stale_spare_request_allocates_nothing(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);
	struct hmap_info *info;
	unsigned long flags;
	bool pending = true;
	int i;

	/* 1665 keys: B = 9, a third of the way to its grow point. */
	hmap_test_insert_range(test, map, 0, 1665, 1);
	for (i = 0; i < 150; i++) {
		info = hmap_test_info(test, map);
		if (info->growth == HMAP_GROWTH_NONE)
			break;
		msleep(20);
	}
	KUNIT_ASSERT_EQ_MSG(test, info->growth, HMAP_GROWTH_NONE,
			    "the worker did not finish the grow");
	/* As if asked before the grow, and the worker ran only after it. */
	raw_spin_lock_irqsave(&map->lock, flags);
	map->spare_pending = true;
	raw_spin_unlock_irqrestore(&map->lock, flags);
	/* Idle now, the worker may run once from any workqueue. */
	mod_delayed_work(system_wq, &map->evac_work, 0);
	for (i = 0; i < 150 && pending; i++) {
		flush_delayed_work(&map->evac_work);
		raw_spin_lock_irqsave(&map->lock, flags);
		pending = map->spare_pending;
		raw_spin_unlock_irqrestore(&map->lock, flags);
		if (pending)
			msleep(20);
	}
	KUNIT_ASSERT_FALSE_MSG(test, pending, "the worker never ran");
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_EQ(test, info->B, 9U);
	KUNIT_EXPECT_EQ_MSG(test, info->spare_buckets, 0ULL,
			    "a spare array for a grow that is not near");
}

/* A grow walked one new key at a time: keys [0, nkeys) are in the map. */
struct grow_walk {
	struct hmap_test_walk w;
	u32 nkeys;
};

static void grow_walk_insert(struct kunit *test, struct hmap_test_walk *w)
{
	struct grow_walk *g = w->priv;

	hmap_test_insert_range(test, w->map, g->nkeys, g->nkeys + 1, 1);
	g->nkeys++;
}

/* Brings a map to the edge of a grow and starts it with one more key. */
static struct hmap_test_walk *grow_walk_start(struct kunit *test,
					      struct grow_walk *g)
{
	g->w.map = grow_map_at_edge(test, GROW_EDGE_B);
	g->w.write = grow_walk_insert;
	g->w.priv = g;
	g->nkeys = hmap_test_grow_edge(GROW_EDGE_B);
	KUNIT_ASSERT_TRUE_MSG(test, hmap_test_walk_start(test, &g->w,
							 HMAP_GROWTH_DOUBLE),
			      "the worker of a quiet map evacuated");
	return &g->w;
}

static void evacuation_moves_at_most_two_buckets_per_write(struct kunit *test)
{
	struct hmap_test_walk *w;
	struct grow_walk g;
	u64 evac;

	w = grow_walk_start(test, &g);
	while (hmap_test_walk_step(test, w)) {
		evac = w->cur->counters[HMAP_STAT_EVACUATED] -
		       w->prev->counters[HMAP_STAT_EVACUATED];
		KUNIT_EXPECT_LE_MSG(test, evac, 2ULL,
				    "write %u evacuated %llu buckets",
				    w->writes, evac);
		KUNIT_EXPECT_GE_MSG(test, evac, 1ULL,
				    "write %u during a grow evacuated nothing",
				    w->writes);
	}
}

static void evacuation_advances_nevacuate(struct kunit *test)
{
	struct hmap_test_walk *w;
	struct grow_walk g;

	w = grow_walk_start(test, &g);
	while (hmap_test_walk_step(test, w)) {
		if (w->cur->growth == HMAP_GROWTH_NONE)
			break;
		KUNIT_EXPECT_GE_MSG(test, w->cur->nevacuate, w->prev->nevacuate,
				    "nevacuate went back at write %u", w->writes);
		KUNIT_EXPECT_LE_MSG(test, w->cur->nevacuate, w->cur->old_buckets,
				    "nevacuate past the old array at write %u",
				    w->writes);
		KUNIT_EXPECT_EQ_MSG(test, w->cur->old_buckets,
				    1ULL << GROW_EDGE_B,
				    "old array changed size at write %u",
				    w->writes);
	}
}

static void evacuation_keeps_every_key_reachable(struct kunit *test)
{
	struct hmap_test_walk *w;
	struct grow_walk g;
	u32 bad;

	w = grow_walk_start(test, &g);
	do {
		bad = hmap_test_check_range(test, w->map, 0, g.nkeys, 1);
		KUNIT_EXPECT_EQ_MSG(test, bad, 0U,
				    "%u of %u keys lost or wrong after %u writes",
				    bad, g.nkeys, w->writes);
	} while (hmap_test_walk_step(test, w));
}

static void evacuation_end_retires_old_array(struct kunit *test)
{
	struct hmap_bucket_snap *snap = hmap_test_buf(test, sizeof(*snap));
	struct hmap_test_walk *w;
	struct grow_walk g;

	w = grow_walk_start(test, &g);
	while (hmap_test_walk_step(test, w))
		;
	KUNIT_EXPECT_EQ_MSG(test, w->cur->growth, (u32)HMAP_GROWTH_NONE, "growth");
	KUNIT_EXPECT_EQ_MSG(test, w->cur->old_buckets, 0ULL,
			    "old array still attached");
	KUNIT_EXPECT_EQ_MSG(test, w->cur->old_B, 0U, "old_B");
	KUNIT_EXPECT_EQ_MSG(test, w->cur->B, GROW_EDGE_B + 1, "B");
	/* Every old bucket was evacuated by a writer, and only once. */
	KUNIT_EXPECT_EQ_MSG(test, w->cur->counters[HMAP_STAT_EVACUATED] -
			    w->start->counters[HMAP_STAT_EVACUATED],
			    1ULL << GROW_EDGE_B,
			    "buckets evacuated during the grow");
	KUNIT_EXPECT_EQ_MSG(test, hmap_snapshot_bucket(w->map, true, 0, snap),
			    -ENOENT, "old array still reachable by snapshot");
}

/*
 * The writes that evacuate during a grow besides new keys, each walked
 * alone over a grow of 2^GROW_EDGE_B old buckets.
 */
enum grow_op {
	GROW_INSERT,
	GROW_UPDATE,
	GROW_DELETE,
	GROW_DELETE_ABSENT,
	GROW_REFUSED_NOEXIST,
	GROW_REFUSED_FULL,
};

struct grow_op_param {
	enum grow_op op;
	const char *desc;
};

static const struct grow_op_param grow_op_params[] = {
	{ GROW_INSERT, "insert" },
	{ GROW_UPDATE, "update" },
	{ GROW_DELETE, "delete" },
	{ GROW_DELETE_ABSENT, "delete_absent" },
	{ GROW_REFUSED_NOEXIST, "noexist_on_present_key" },
	{ GROW_REFUSED_FULL, "insert_into_full_map" },
};

KUNIT_ARRAY_PARAM_DESC(grow_op, grow_op_params, desc);

struct grow_op_walk {
	struct hmap_test_walk w;
	const struct grow_op_param *p;
	struct hmap_bucket_snap *snap;
	u32 nkeys;		/* keys [0, nkeys) were inserted */
	u32 seq;		/* writes after the one that started the grow */
	bool evac[1U << GROW_EDGE_B];	/* before the latest write */
	u32 newly;		/* old buckets the latest write evacuated */
	bool own;		/* the latest key's old bucket is evacuated */
};

/* Old bucket @i is evacuated, or the grow (and the old array) is over. */
static bool grow_old_evacuated(struct kunit *test, struct grow_op_walk *g,
			       u32 i)
{
	int err = hmap_snapshot_bucket(g->w.map, true, i, g->snap);

	if (err == -ENOENT)
		return true;
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "snapshot of old bucket %u", i);
	return g->snap->tophash[0] >= HMAP_EVACUATED_X &&
	       g->snap->tophash[0] <= HMAP_EVACUATED_EMPTY;
}

static void grow_op_write(struct kunit *test, struct hmap_test_walk *w)
{
	struct grow_op_walk *g = w->priv;
	const u32 oldsize = 1U << GROW_EDGE_B;
	u32 i, idx = g->seq;
	int ret, want = 0;
	u8 key[8], value[8];

	if (!g->nkeys++) {
		/* The insert that starts the grow. */
		g->nkeys = hmap_test_grow_edge(GROW_EDGE_B) + 1;
		hmap_test_insert_range(test, w->map, g->nkeys - 1, g->nkeys, 1);
		return;
	}
	for (i = 0; i < oldsize; i++)
		g->evac[i] = grow_old_evacuated(test, g, i);
	/* Keys [0, seq) may be gone: each write takes a new one. */
	if (g->p->op == GROW_INSERT || g->p->op == GROW_REFUSED_FULL)
		idx = g->nkeys + g->seq;
	else if (g->p->op == GROW_DELETE_ABSENT)
		idx = 1U << 20;
	hmap_test_key(key, sizeof(key), idx);
	hmap_test_value(value, sizeof(value), idx, 2);
	switch (g->p->op) {
	case GROW_INSERT:
		ret = hmap_update(w->map, key, value, HMAP_UPDATE_NOEXIST, GFP_KERNEL);
		break;
	case GROW_UPDATE:
		ret = hmap_update(w->map, key, value, HMAP_UPDATE_EXIST, GFP_KERNEL);
		break;
	case GROW_DELETE:
		ret = hmap_delete(w->map, key, GFP_KERNEL);
		break;
	case GROW_DELETE_ABSENT:
		ret = hmap_delete(w->map, key, GFP_KERNEL);
		want = -ENOENT;
		break;
	case GROW_REFUSED_NOEXIST:
		ret = hmap_update(w->map, key, value, HMAP_UPDATE_NOEXIST, GFP_KERNEL);
		want = -EEXIST;
		break;
	default:
		ret = hmap_update(w->map, key, value, HMAP_UPDATE_ANY, GFP_KERNEL);
		want = -E2BIG;
		break;
	}
	KUNIT_ASSERT_EQ_MSG(test, ret, want, "%s of key %u during the grow",
			    g->p->desc, idx);
	g->seq++;
	g->newly = 0;
	for (i = 0; i < oldsize; i++)
		g->newly += !g->evac[i] && grow_old_evacuated(test, g, i);
	g->own = grow_old_evacuated(test, g,
				    hmap_hash(w->map, key) & (oldsize - 1));
}

/*
 * A quiet map at the edge of a grow; a full one for the refused insert
 * (room for exactly the key that starts the grow). The grow is started.
 */
static struct grow_op_walk *grow_op_walk_start(struct kunit *test)
{
	struct grow_op_walk *g = hmap_test_buf(test, sizeof(*g));
	u32 n = hmap_test_grow_edge(GROW_EDGE_B);

	g->p = test->param_value;
	g->snap = hmap_test_buf(test, sizeof(*g->snap));
	g->w.map = hmap_test_create_delay(test, 8, 8,
					  g->p->op == GROW_REFUSED_FULL ? n + 1 : 0,
					  0, HMAP_MAX_EVAC_DELAY_MS);
	g->w.write = grow_op_write;
	g->w.priv = g;
	hmap_test_insert_range(test, g->w.map, 0, n, 1);
	KUNIT_ASSERT_EQ_MSG(test, hmap_test_info(test, g->w.map)->B, GROW_EDGE_B,
			    "B with %u keys", n);
	KUNIT_ASSERT_TRUE_MSG(test, hmap_test_walk_start(test, &g->w,
							 HMAP_GROWTH_DOUBLE),
			      "the worker of a quiet map evacuated");
	return g;
}

static void write_during_grow_evacuates_at_most_two_buckets(struct kunit *test)
{
	struct grow_op_walk *g = grow_op_walk_start(test);
	struct hmap_test_walk *w = &g->w;
	u64 evac;

	while (hmap_test_walk_step(test, w)) {
		evac = w->cur->counters[HMAP_STAT_EVACUATED] -
		       w->prev->counters[HMAP_STAT_EVACUATED];
		KUNIT_EXPECT_LE_MSG(test, evac, 2ULL,
				    "%s %u counted %llu evacuations",
				    g->p->desc, w->writes, evac);
		KUNIT_EXPECT_LE_MSG(test, g->newly, 2U,
				    "%s %u evacuated %u old buckets",
				    g->p->desc, w->writes, g->newly);
		KUNIT_EXPECT_EQ_MSG(test, hmap_test_walk_bg(w), 0ULL,
				    "the worker of a quiet map evacuated");
	}
}

/*
 * An insert or update evacuates its key's old bucket first, as Go's do. A
 * delete does not: it removes the key from the old chain, so it evacuates
 * only nevacuate's bucket, and the key is gone either way.
 */
static void write_during_grow_evacuates_its_key_bucket(struct kunit *test)
{
	struct grow_op_walk *g = grow_op_walk_start(test);
	bool del = g->p->op == GROW_DELETE || g->p->op == GROW_DELETE_ABSENT;
	u8 key[8];

	while (hmap_test_walk_step(test, &g->w)) {
		if (!del) {
			KUNIT_EXPECT_TRUE_MSG(test, g->own,
					      "%s %u left its key's old bucket unevacuated",
					      g->p->desc, g->w.writes);
			continue;
		}
		KUNIT_EXPECT_LE_MSG(test, g->newly, 1U,
				    "%s %u evacuated %u old buckets",
				    g->p->desc, g->w.writes, g->newly);
		hmap_test_key(key, sizeof(key), g->p->op == GROW_DELETE ?
			      g->seq - 1 : 1U << 20);
		KUNIT_EXPECT_EQ_MSG(test, hmap_lookup(g->w.map, key, NULL),
				    -ENOENT, "%s %u: the key is still there",
				    g->p->desc, g->w.writes);
	}
}

/*
 * Churn: keep HOLD keys in a map of 2^4 buckets (below the 104 of the load
 * factor) and replace the oldest with a new one, again and again. Deleted
 * slots are reused only by keys of the same bucket, so chains that once
 * overflowed keep their overflow buckets until noverflow reaches 2^B and
 * the next insert starts a same-size grow.
 */
#define CHURN_B		4
#define CHURN_HOLD	96
#define CHURN_MAX_ROUNDS 50000

struct churn {
	struct hmap *map;
	struct hmap_info *before;	/* just before the latest write */
	struct hmap_info *after;	/* just after it */
	struct hmap_info *at_start;	/* before the write that started it */
	u32 first;			/* keys [first, next) are in the map */
	u32 next;
	bool started;
	bool missed;			/* noverflow reached 2^B, no grow */
};

static void churn_write(struct kunit *test, struct churn *c, bool insert)
{
	u8 key[8], value[8];

	*c->before = *c->after;
	if (insert) {
		hmap_test_key(key, sizeof(key), c->next);
		hmap_test_value(value, sizeof(value), c->next, 1);
		KUNIT_ASSERT_EQ_MSG(test, hmap_update(c->map, key, value,
						      HMAP_UPDATE_NOEXIST, GFP_KERNEL),
				    0, "churn insert of key %u", c->next);
		c->next++;
	} else {
		hmap_test_key(key, sizeof(key), c->first);
		KUNIT_ASSERT_EQ_MSG(test, hmap_delete(c->map, key, GFP_KERNEL), 0,
				    "churn delete of key %u", c->first);
		c->first++;
	}
	hmap_get_info(c->map, c->after);
}

/* Runs the churn until a same-size grow starts; fails the case if none. */
static void churn_until_samesize(struct kunit *test, struct churn *c)
{
	u32 round;

	c->map = hmap_test_create_quiet(test, 8, 8, 0);
	c->before = hmap_test_buf(test, sizeof(*c->before));
	c->after = hmap_test_buf(test, sizeof(*c->after));
	c->at_start = hmap_test_buf(test, sizeof(*c->at_start));
	hmap_test_insert_range(test, c->map, 0, CHURN_HOLD, 1);
	hmap_test_finish_growth(test, c->map, 0, 1, 1U << CHURN_B);
	hmap_get_info(c->map, c->after);
	KUNIT_ASSERT_EQ_MSG(test, c->after->B, CHURN_B, "B before churn");
	KUNIT_ASSERT_EQ_MSG(test, c->after->counters[HMAP_STAT_SAMESIZE_GROWS],
			    0ULL, "same-size grow before churn");
	c->first = 0;
	c->next = CHURN_HOLD;

	for (round = 0; round < CHURN_MAX_ROUNDS; round++) {
		churn_write(test, c, true);
		if (c->after->counters[HMAP_STAT_SAMESIZE_GROWS] !=
		    c->before->counters[HMAP_STAT_SAMESIZE_GROWS]) {
			*c->at_start = *c->before;
			c->started = true;
			return;
		}
		if (c->before->growth == HMAP_GROWTH_NONE &&
		    c->before->noverflow >= 1ULL << CHURN_B)
			c->missed = true;
		churn_write(test, c, false);
		KUNIT_ASSERT_EQ_MSG(test, c->after->counters[HMAP_STAT_SAMESIZE_GROWS],
				    c->before->counters[HMAP_STAT_SAMESIZE_GROWS],
				    "a delete started a same-size grow");
	}
	KUNIT_FAIL_AND_ABORT(test,
			     "no same-size grow after %u churn rounds (noverflow %llu)",
			     CHURN_MAX_ROUNDS, c->after->noverflow);
}

static void samesize_grow_starts_at_noverflow_2_pow_B(struct kunit *test)
{
	struct churn c = {};

	churn_until_samesize(test, &c);
	KUNIT_EXPECT_FALSE_MSG(test, c.missed,
			       "an insert with noverflow >= 2^B started no grow");
	KUNIT_EXPECT_GE_MSG(test, c.at_start->noverflow, 1ULL << CHURN_B,
			    "same-size grow started with noverflow %llu < 2^B",
			    c.at_start->noverflow);
	KUNIT_EXPECT_EQ_MSG(test, c.at_start->growth, (u32)HMAP_GROWTH_NONE,
			    "a grow started while another was in progress");
}

static void samesize_grow_keeps_B(struct kunit *test)
{
	struct churn c = {};

	churn_until_samesize(test, &c);
	KUNIT_EXPECT_EQ_MSG(test, c.after->growth, (u32)HMAP_GROWTH_SAMESIZE,
			    "growth after the same-size grow started");
	KUNIT_EXPECT_EQ_MSG(test, c.after->B, CHURN_B, "B changed");
	KUNIT_EXPECT_EQ_MSG(test, c.after->old_B, CHURN_B, "old_B");
	KUNIT_EXPECT_EQ_MSG(test, c.after->old_buckets, 1ULL << CHURN_B,
			    "old_buckets");
	KUNIT_EXPECT_EQ_MSG(test, c.after->counters[HMAP_STAT_GROWS],
			    c.before->counters[HMAP_STAT_GROWS],
			    "a same-size grow counted as a double grow");
}

static void samesize_grow_reduces_overflow(struct kunit *test)
{
	struct churn c = {};
	u32 writes = 0;
	bool insert = false;

	churn_until_samesize(test, &c);
	/* Keep churning until the grow is over. */
	while (c.after->growth != HMAP_GROWTH_NONE) {
		KUNIT_ASSERT_LE_MSG(test, writes, 2U << CHURN_B,
				    "same-size grow not over after %u writes",
				    writes);
		churn_write(test, &c, insert);
		insert = !insert;
		writes++;
	}
	KUNIT_EXPECT_EQ_MSG(test, c.after->B, CHURN_B, "B after the grow");
	KUNIT_EXPECT_LT_MSG(test, c.after->noverflow, c.at_start->noverflow,
			    "noverflow did not drop");
	KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, c.map, c.first,
							c.next, 1), 0U,
			    "keys lost by the same-size grow");
}

/*
 * Tophash bytes in a fresh map: one bucket, 8 slots, filled in order.
 */
static struct hmap *slots_map(struct kunit *test, u32 nkeys)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 8, 0);

	hmap_test_insert_range(test, map, 0, nkeys, 1);
	return map;
}

/*
 * Expect the chain's tophash bytes to follow @pattern, one char a slot:
 * 'L' live, 'R' EMPTY_REST, 'O' EMPTY_ONE; slots past the pattern are R.
 */
static void slots_expect(struct kunit *test, struct hmap *map, u64 bucket,
			 const char *pattern, const char *when)
{
	struct hmap_bucket_snap *snap = hmap_test_snap(test, map, bucket);
	u32 i, len = strlen(pattern);
	char want, got;

	KUNIT_ASSERT_GE_MSG(test, snap->nslots, len,
			    "%s: chain shorter than expected", when);
	for (i = 0; i < snap->nslots; i++) {
		u8 top = snap->tophash[i];

		want = i < len ? pattern[i] : 'R';
		got = top >= HMAP_MIN_TOPHASH ? 'L' :
		      top == HMAP_EMPTY_REST ? 'R' :
		      top == HMAP_EMPTY_ONE ? 'O' : '?';
		KUNIT_EXPECT_EQ_MSG(test, got, want,
				    "%s: slot %u has tophash %u", when, i, top);
	}
}

static void insert_fills_first_empty_slot(struct kunit *test)
{
	static const char * const steps[] = {
		"L", "LL", "LLL", "LLLL", "LLLLL", "LLLLLL", "LLLLLLL",
		"LLLLLLLL",
	};
	struct hmap *map = hmap_test_create_quiet(test, 8, 8, 0);
	u32 i;

	slots_expect(test, map, 0, "", "empty map");
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		hmap_test_insert_range(test, map, i, i + 1, 1);
		slots_expect(test, map, 0, steps[i], "after an insert");
	}
}

static void insert_reuses_first_deleted_slot(struct kunit *test)
{
	struct hmap *map = slots_map(test, 8);

	hmap_test_delete(test, map, 2);
	hmap_test_delete(test, map, 5);
	slots_expect(test, map, 0, "LLOLLOLL", "after deleting slots 2 and 5");
	hmap_test_insert_range(test, map, 100, 101, 1);
	slots_expect(test, map, 0, "LLLLLOLL", "after an insert");
	hmap_test_insert_range(test, map, 101, 102, 1);
	slots_expect(test, map, 0, "LLLLLLLL", "after a second insert");
}

static void delete_last_live_slot_marks_empty_rest(struct kunit *test)
{
	struct hmap *map = slots_map(test, 5);

	hmap_test_delete(test, map, 4);
	slots_expect(test, map, 0, "LLLLRRRR", "5 keys, last deleted");
}

static void delete_of_slot_7_marks_empty_rest(struct kunit *test)
{
	struct hmap *map = slots_map(test, 8);

	hmap_test_delete(test, map, 7);
	slots_expect(test, map, 0, "LLLLLLLR", "8 keys, last deleted");
}

static void delete_middle_slot_marks_empty_one(struct kunit *test)
{
	struct hmap *map = slots_map(test, 8);

	hmap_test_delete(test, map, 3);
	slots_expect(test, map, 0, "LLLOLLLL", "slot 3 deleted");
	hmap_test_delete(test, map, 0);
	slots_expect(test, map, 0, "OLLOLLLL", "slots 3 and 0 deleted");
}

static void delete_before_empty_rest_converts_run(struct kunit *test)
{
	struct hmap *map = slots_map(test, 8);

	hmap_test_delete(test, map, 5);
	hmap_test_delete(test, map, 6);
	slots_expect(test, map, 0, "LLLLLOOL", "slots 5, 6 deleted");
	hmap_test_delete(test, map, 7);
	slots_expect(test, map, 0, "LLLLLRRR", "slots 5, 6, 7 deleted");
	hmap_test_delete(test, map, 2);
	hmap_test_delete(test, map, 3);
	slots_expect(test, map, 0, "LLOOLRRR", "slots 2, 3 deleted");
	hmap_test_delete(test, map, 4);
	slots_expect(test, map, 0, "LLRRRRRR", "slot 4 deleted");
}

/*
 * Chains: a map of two buckets (B=1) that is not growing and holds only
 * keys of bucket 0, found by trying keys: a key that did not add a live
 * slot to bucket 0 went to bucket 1 and is deleted again. At most 11
 * keys are in the map at once, below the 13 that make it grow.
 */
struct chain {
	struct hmap *map;
	u32 keys[16];	/* keys[i] is in slot i of bucket 0's chain */
	u32 n;
	u32 next;	/* next key to try */
};

static void chain_init(struct kunit *test, struct chain *c)
{
	struct hmap_info *info;
	u32 i, attempt;
	u8 key[8];

	/*
	 * Nine keys make B=1. If all nine went to one bucket (1 in 256),
	 * that bucket has an overflow bucket already: start over.
	 */
	for (attempt = 0; attempt < 4; attempt++) {
		/* Emptied below, the map must keep its two buckets. */
		c->map = hmap_test_create_delay(test, 8, 8, 0,
						HMAP_F_NO_SHRINK,
						HMAP_MAX_EVAC_DELAY_MS);
		hmap_test_insert_range(test, c->map, 0, 9, 1);
		hmap_test_finish_growth(test, c->map, 0, 1, 4);
		info = hmap_test_info(test, c->map);
		if (info->noverflow == 0)
			break;
	}
	for (i = 0; i < 9; i++) {
		hmap_test_key(key, sizeof(key), i);
		KUNIT_ASSERT_EQ(test, hmap_delete(c->map, key, GFP_KERNEL), 0);
	}
	c->n = 0;
	c->next = 1000;
	info = hmap_test_info(test, c->map);
	KUNIT_ASSERT_EQ_MSG(test, info->B, 1U, "B of the emptied map");
	KUNIT_ASSERT_EQ_MSG(test, info->growth, (u32)HMAP_GROWTH_NONE, "growth");
	KUNIT_ASSERT_EQ_MSG(test, info->noverflow, 0ULL, "noverflow");
	KUNIT_ASSERT_EQ_MSG(test, info->count, 0ULL, "count");
}

/* Adds one more key to bucket 0. */
static void chain_add(struct kunit *test, struct chain *c)
{
	struct hmap_bucket_snap *snap;
	u32 live = hmap_test_live_slots(hmap_test_snap(test, c->map, 0));
	u32 tries;
	u8 key[8];

	KUNIT_ASSERT_LT(test, c->n, (u32)ARRAY_SIZE(c->keys));
	for (tries = 0; tries < 1000; tries++) {
		u32 idx = c->next++;

		hmap_test_insert_range(test, c->map, idx, idx + 1, 1);
		snap = hmap_test_snap(test, c->map, 0);
		if (hmap_test_live_slots(snap) > live) {
			c->keys[c->n++] = idx;
			return;
		}
		hmap_test_key(key, sizeof(key), idx);
		KUNIT_ASSERT_EQ(test, hmap_delete(c->map, key, GFP_KERNEL), 0);
	}
	KUNIT_FAIL_AND_ABORT(test, "no key for bucket 0 in 1000 tries");
}

static void chain_delete(struct kunit *test, struct chain *c, u32 slot)
{
	hmap_test_delete(test, c->map, c->keys[slot]);
}

static void full_bucket_gets_overflow_bucket(struct kunit *test)
{
	struct chain c;
	struct hmap_bucket_snap *snap;
	struct hmap_info *before, *after;

	chain_init(test, &c);
	while (c.n < 8)
		chain_add(test, &c);
	snap = hmap_test_snap(test, c.map, 0);
	KUNIT_EXPECT_EQ_MSG(test, snap->chain_len, 1U, "chain of 8 keys");
	before = hmap_test_info(test, c.map);
	chain_add(test, &c);
	after = hmap_test_info(test, c.map);
	snap = hmap_test_snap(test, c.map, 0);
	KUNIT_EXPECT_EQ_MSG(test, snap->chain_len, 2U, "chain of 9 keys");
	KUNIT_EXPECT_EQ_MSG(test, after->noverflow, before->noverflow + 1,
			    "noverflow");
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_OVERFLOW_ALLOCS],
			    before->counters[HMAP_STAT_OVERFLOW_ALLOCS] + 1,
			    "overflow allocations");
	slots_expect(test, c.map, 0, "LLLLLLLLL", "9 keys in one chain");
}

static void lookup_finds_keys_in_overflow_bucket(struct kunit *test)
{
	struct chain c;
	u32 i;

	chain_init(test, &c);
	while (c.n < 10)
		chain_add(test, &c);
	for (i = 0; i < c.n; i++)
		KUNIT_EXPECT_EQ_MSG(test, hmap_test_check_range(test, c.map,
								c.keys[i],
								c.keys[i] + 1, 1),
				    0U, "key in chain slot %u not found", i);
}

static void delete_compaction_crosses_overflow_chain(struct kunit *test)
{
	struct chain c;

	chain_init(test, &c);
	while (c.n < 10)
		chain_add(test, &c);
	slots_expect(test, c.map, 0, "LLLLLLLLLL", "10 keys in one chain");
	chain_delete(test, &c, 8);
	slots_expect(test, c.map, 0, "LLLLLLLLOL", "slot 8 deleted");
	chain_delete(test, &c, 7);
	slots_expect(test, c.map, 0, "LLLLLLLOOL", "slots 7, 8 deleted");
	chain_delete(test, &c, 9);
	slots_expect(test, c.map, 0, "LLLLLLLRRR", "slots 7, 8, 9 deleted");
}

/* Sum of live slots over every bucket equals the count. */
static void live_slots_sum_to_count(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 8, 0);
	struct hmap_info *info;
	u64 i, live = 0;

	hmap_test_insert_range(test, map, 0, 1000, 1);
	hmap_test_finish_growth(test, map, 0, 1, 1U << 8);
	info = hmap_test_info(test, map);
	for (i = 0; i < 1ULL << info->B; i++)
		live += hmap_test_live_slots(hmap_test_snap(test, map, i));
	KUNIT_EXPECT_EQ_MSG(test, live, info->count,
			    "live tophash bytes vs count");
	KUNIT_EXPECT_EQ(test, info->count, 1000ULL);
}

static void memory_grows_with_map(struct kunit *test)
{
	static const u32 sizes[] = { 8, 13, 100, 1000, 5000 };
	struct hmap *map = hmap_test_create_quiet(test, 8, 8, 0);
	struct hmap_info *info = hmap_test_buf(test, sizeof(*info));
	u64 prev_memory = 0;
	u32 i, have = 0;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		hmap_test_insert_range(test, map, have, sizes[i], 1);
		have = sizes[i];
		hmap_test_finish_growth(test, map, 0, 1, sizes[i]);
		hmap_get_info(map, info);
		KUNIT_EXPECT_EQ_MSG(test, info->count, (u64)have, "count");
		KUNIT_EXPECT_EQ_MSG(test, hmap_count(map), (u64)have,
				    "hmap_count()");
		KUNIT_EXPECT_GT_MSG(test, info->memory, prev_memory,
				    "memory did not grow from %u keys (B %u)",
				    have, info->B);
		KUNIT_EXPECT_GE_MSG(test, info->memory,
				    (u64)info->bucket_size << info->B,
				    "memory below the bucket array's size");
		prev_memory = info->memory;
	}
}

static void memory_counts_out_of_line_values(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 4096, 0);
	struct hmap_info *info;

	hmap_test_insert_range(test, map, 0, 50, 1);
	info = hmap_test_info(test, map);
	KUNIT_EXPECT_GE_MSG(test, info->memory, 50ULL * 4096,
			    "memory does not count 50 out-of-line values");
}

static void histogram_matches_table_shape(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 8, 0);
	struct hmap_histogram *h = hmap_test_buf(test, sizeof(*h));
	struct hmap_info *info;
	u64 chains = 0, buckets = 0, live = 0;
	u32 i;

	hmap_test_insert_range(test, map, 0, 1000, 1);
	hmap_test_finish_growth(test, map, 0, 1, 1U << 8);
	info = hmap_test_info(test, map);
	KUNIT_ASSERT_EQ(test, hmap_get_histogram(map, false, h), 0);
	for (i = 0; i < HMAP_HIST_CHAIN; i++) {
		chains += h->chain[i];
		buckets += h->chain[i] * (i + 1);
	}
	for (i = 0; i < HMAP_HIST_SLOTS; i++)
		live += h->occupancy[i] * i;
	KUNIT_EXPECT_EQ_MSG(test, h->buckets, 1ULL << info->B, "buckets");
	KUNIT_EXPECT_EQ_MSG(test, chains, 1ULL << info->B, "chains counted");
	KUNIT_EXPECT_EQ_MSG(test, buckets, (1ULL << info->B) + info->noverflow,
			    "buckets in chains vs 2^B + noverflow");
	KUNIT_EXPECT_EQ_MSG(test, live, info->count,
			    "live slots in the occupancy histogram");
	KUNIT_EXPECT_EQ_MSG(test, h->evacuated, 0ULL,
			    "evacuated chains in the current array");
}

static void histogram_of_old_array_needs_grow(struct kunit *test)
{
	struct hmap *map = hmap_test_create_quiet(test, 8, 8, 0);
	struct hmap_histogram *h = hmap_test_buf(test, sizeof(*h));

	hmap_test_insert_range(test, map, 0, 5, 1);
	KUNIT_EXPECT_EQ_MSG(test, hmap_get_histogram(map, true, h), -ENOENT,
			    "histogram of the old array of a map not growing");
}

static void histogram_of_old_array_counts_evacuated(struct kunit *test)
{
	struct hmap_test_walk *w;
	struct grow_walk g;
	struct hmap_histogram *h = hmap_test_buf(test, sizeof(*h));

	w = grow_walk_start(test, &g);
	hmap_test_walk_step(test, w);
	KUNIT_ASSERT_EQ(test, w->cur->growth, (u32)HMAP_GROWTH_DOUBLE);
	KUNIT_ASSERT_EQ(test, hmap_get_histogram(w->map, true, h), 0);
	KUNIT_EXPECT_EQ_MSG(test, h->buckets, w->cur->old_buckets,
			    "buckets of the old array");
	KUNIT_EXPECT_EQ_MSG(test, h->evacuated,
			    w->cur->counters[HMAP_STAT_EVACUATED] -
			    w->start->counters[HMAP_STAT_EVACUATED],
			    "evacuated chains vs buckets evacuated by writers");
}

/* ---- the allocator's limit: one array of at most INT_MAX bytes ---- */

/*
 * Each bucket size's largest B, worked out by hand: 2^B buckets fit one
 * allocation while bucket_size * 2^B <= INT_MAX = 2^31 - 1 bytes.
 */
struct limit_size {
	u32 ks, vs, bucket_size, B;
};

static const struct limit_size limit_sizes[] = {
	{ 1, 0, 32, 25 },	/* the smallest bucket: 2^26 of them are 2 GiB */
	{ 8, 8, 152, 23 },	/* 1.19 GiB; 2^24 would be 2.38 GiB */
	{ 128, 128, 2072, 19 },	/* the largest inline slots: 1.01 GiB */
	{ 512, 65536, 152, 23 },	/* out of line: two pointers a slot */
};

static void limit_size_desc(const struct limit_size *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "key_%u_value_%u", p->ks, p->vs);
}

KUNIT_ARRAY_PARAM(limit_size, limit_sizes, limit_size_desc);

/* max_entries 0, or over what the largest array holds, becomes that. */
static void create_lowers_max_entries_to_largest_array(struct kunit *test)
{
	const struct limit_size *p = test->param_value;
	const u32 most = hmap_test_grow_edge(p->B);
	static const u32 asked[] = { 0, HMAP_MAX_ENTRIES, 1000, 0, 0 };
	struct hmap_info *info;
	u32 i, want;

	KUNIT_EXPECT_EQ(test, hmap_max_B(p->bucket_size, HMAP_ALLOC_MAX), p->B);
	KUNIT_EXPECT_EQ(test, hmap_max_load(p->B), most);
	for (i = 0; i < ARRAY_SIZE(asked); i++) {
		/* The last two: exactly the most, and one more. */
		u32 max = i == 3 ? most : i == 4 ? most + 1 : asked[i];

		want = max && max < most ? max : most;
		info = hmap_test_info(test, hmap_test_create(test, p->ks, p->vs, max));
		KUNIT_EXPECT_EQ(test, info->bucket_size, p->bucket_size);
		KUNIT_EXPECT_EQ_MSG(test, info->max_entries, want,
				    "max_entries %u asked for", max);
	}
}

/*
 * Maps grown up to a faked allocation limit of (bucket_size << B) + slack
 * bytes: 2^B buckets are the most, so the load of 2^B buckets is.
 */
struct limit_fake {
	u32 ks, vs, B, slack;
	bool churn;	/* until a same-size grow at the limit */
};

static const struct limit_fake limit_fakes[] = {
	{ 128, 128, 5, 0, true },	/* 32 buckets of 2072 bytes: the limit exactly */
	{ 8, 8, 9, 151, false },	/* 512 of 152 bytes, and less than one more */
	{ 8, 0, 0, 87, false },		/* one bucket of 88 bytes: 8 entries */
};

static void limit_fake_desc(const struct limit_fake *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "key_%u_value_%u_B_%u", p->ks, p->vs,
		 p->B);
}

KUNIT_ARRAY_PARAM(limit_fake, limit_fakes, limit_fake_desc);

static int limit_write(struct hmap *map, u32 idx, u8 *key, u8 *value,
		       const struct limit_fake *p, u64 flags)
{
	hmap_test_key(key, p->ks, idx);
	hmap_test_value(value, p->vs, idx, 1);
	return hmap_update(map, key, value, flags, GFP_KERNEL);
}

/*
 * A new key that would need a larger array than the allocator gives is
 * refused with -E2BIG, the map unchanged: never -ENOMEM, and never a WARN
 * (no array, spare or grown, is asked for over the limit). Writes that
 * need no larger array go on, same-size grows included.
 */
static void grow_stops_at_allocation_limit(struct kunit *test)
{
	const struct limit_fake *p = test->param_value;
	struct hmap *map = hmap_test_create(test, p->ks, p->vs, 0);
	struct hmap_info *info = hmap_test_info(test, map);
	u8 *key = hmap_test_buf(test, p->ks), *value = hmap_test_buf(test, p->vs);
	const u32 most = p->B ? hmap_test_grow_edge(p->B) : HMAP_BUCKET_SLOTS;
	u64 samesize;
	u32 i, first = 0, next;

	KUNIT_ASSERT_EQ(test, hmap_set_alloc_limit(map, ((size_t)info->bucket_size << p->B) +
						   p->slack), 0);
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ(test, info->max_entries, most);
	for (i = 0; i < most; i++)
		KUNIT_ASSERT_EQ_MSG(test, limit_write(map, i, key, value, p, HMAP_UPDATE_ANY),
				    0, "insert of key %u", i);
	KUNIT_EXPECT_EQ(test, limit_write(map, most, key, value, p, HMAP_UPDATE_ANY), -E2BIG);
	KUNIT_EXPECT_EQ(test, limit_write(map, most + 1, key, value, p, HMAP_UPDATE_NOEXIST),
			-E2BIG);
	/* The worker may be asked for a spare array: none over the limit. */
	flush_delayed_work(&map->evac_work);
	hmap_test_finish_growth(test, map, 0, 1, 1U << p->B);
	hmap_get_info(map, info);
	KUNIT_EXPECT_EQ(test, info->B, p->B);
	KUNIT_EXPECT_EQ(test, info->count, (u64)most);
	KUNIT_EXPECT_EQ(test, info->spare_buckets, 0ULL);
	KUNIT_EXPECT_EQ(test, hmap_test_check_range(test, map, 0, most, 1), 0U);
	hmap_test_key(key, p->ks, most);
	KUNIT_EXPECT_EQ(test, hmap_lookup(map, key, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);
	KUNIT_EXPECT_EQ(test, limit_write(map, 3, key, value, p, HMAP_UPDATE_EXIST), 0);

	/* Churn at the limit: same-size grows still run (2,000 rounds or so). */
	samesize = info->counters[HMAP_STAT_SAMESIZE_GROWS];
	for (next = most; p->churn && next < most + 20000 &&
	     info->counters[HMAP_STAT_SAMESIZE_GROWS] == samesize; next++) {
		hmap_test_key(key, p->ks, first);
		KUNIT_ASSERT_EQ(test, hmap_delete(map, key, GFP_KERNEL), 0);
		first++;
		KUNIT_ASSERT_EQ_MSG(test, limit_write(map, next, key, value, p,
						      HMAP_UPDATE_NOEXIST),
				    0, "churn insert of key %u", next);
		hmap_get_info(map, info);
	}
	if (p->churn)
		KUNIT_EXPECT_GT(test, info->counters[HMAP_STAT_SAMESIZE_GROWS], samesize);
	KUNIT_EXPECT_EQ(test, limit_write(map, next, key, value, p, HMAP_UPDATE_ANY), -E2BIG);
	flush_delayed_work(&map->evac_work);
	KUNIT_EXPECT_EQ(test, hmap_test_info(test, map)->B, p->B);
	KUNIT_EXPECT_EQ(test, hmap_verify(map), 0);
}

static void alloc_limit_rejects_bad_limits(struct kunit *test)
{
	struct hmap *map = hmap_test_create(test, 8, 8, 0);

	KUNIT_EXPECT_EQ(test, hmap_set_alloc_limit(map, 151), -EINVAL);
	KUNIT_EXPECT_EQ(test, hmap_set_alloc_limit(map, HMAP_ALLOC_MAX + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, hmap_set_alloc_limit(map, HMAP_ALLOC_MAX), 0);
	KUNIT_EXPECT_EQ(test, hmap_test_info(test, map)->max_entries, 13U << 22);
	hmap_test_insert_range(test, map, 0, 9, 1);	/* two buckets */
	KUNIT_EXPECT_EQ(test, hmap_set_alloc_limit(map, 1000), -EBUSY);
	KUNIT_EXPECT_EQ(test, hmap_test_info(test, map)->max_entries, 13U << 22);
}

static struct kunit_case hmap_grow_cases[] = {
	KUNIT_CASE_SLOW(grow_points_follow_load_factor),
	KUNIT_CASE(eight_keys_fit_one_bucket),
	KUNIT_CASE(grow_publishes_new_array),
	KUNIT_CASE(evacuation_splits_bucket_between_x_and_y),
	KUNIT_CASE(evacuation_moves_at_most_two_buckets_per_write),
	KUNIT_CASE(evacuation_advances_nevacuate),
	KUNIT_CASE(evacuation_keeps_every_key_reachable),
	KUNIT_CASE(evacuation_end_retires_old_array),
	KUNIT_CASE_PARAM(write_during_grow_evacuates_at_most_two_buckets,
			 grow_op_gen_params),
	KUNIT_CASE_PARAM(write_during_grow_evacuates_its_key_bucket,
			 grow_op_gen_params),
	KUNIT_CASE(samesize_grow_starts_at_noverflow_2_pow_B),
	KUNIT_CASE(samesize_grow_keeps_B),
	KUNIT_CASE(samesize_grow_reduces_overflow),
	KUNIT_CASE(insert_fills_first_empty_slot),
	KUNIT_CASE(insert_reuses_first_deleted_slot),
	KUNIT_CASE(delete_last_live_slot_marks_empty_rest),
	KUNIT_CASE(delete_of_slot_7_marks_empty_rest),
	KUNIT_CASE(delete_middle_slot_marks_empty_one),
	KUNIT_CASE(delete_before_empty_rest_converts_run),
	KUNIT_CASE(full_bucket_gets_overflow_bucket),
	KUNIT_CASE(lookup_finds_keys_in_overflow_bucket),
	KUNIT_CASE(delete_compaction_crosses_overflow_chain),
	KUNIT_CASE(live_slots_sum_to_count),
	KUNIT_CASE(memory_grows_with_map),
	KUNIT_CASE(memory_counts_out_of_line_values),
	KUNIT_CASE(histogram_matches_table_shape),
	KUNIT_CASE(histogram_of_old_array_needs_grow),
	KUNIT_CASE(histogram_of_old_array_counts_evacuated),
	KUNIT_CASE(large_grow_uses_array_allocated_ahead),
	KUNIT_CASE(stale_spare_request_allocates_nothing),
	KUNIT_CASE_PARAM(create_lowers_max_entries_to_largest_array,
			 limit_size_gen_params),
	KUNIT_CASE_PARAM(grow_stops_at_allocation_limit, limit_fake_gen_params),
	KUNIT_CASE(alloc_limit_rejects_bad_limits),
	{}
};

HMAP_TEST_SUITE(hmap_grow, hmap_grow_cases);
