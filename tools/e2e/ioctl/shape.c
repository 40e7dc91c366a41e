// SPDX-License-Identifier: GPL-2.0
/* Conformance: the table's shape in stats and snapshots; growing and shrinking. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ioctl_test.h"

/* Polls stats until the map is not growing or shrinking (5 s at most). */
int wait_settled(const char *name, struct hmap_ioc_stats *st)
{
	for (int i = 0; i < 500; i++) {
		int rc = map_stats(name, st);

		if (rc || st->growth == HMAP_GROWTH_NONE)
			return rc;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/* Fills @m with ids 0..4999, settles (*@st0), deletes 100..4999. */
static void fill_and_empty(const char *m, struct hmap_ioc_stats *st0)
{
	uint8_t key[8];

	fill(m, 8, 8, 0, 5000, 0);
	wait_settled(m, st0);
	for (uint64_t id = 100; id < 5000; id++) {
		mkkey(key, 8, id);
		delete(m, key, 8);
	}
}

TEST(deletes_shrink_the_table)
{
	const char *m = "e2e_shrink";
	struct hmap_ioc_stats st0, st1;
	uint8_t key[8], val[8];
	bool ok = true;
	int rc;

	ASSERT_EQ(fresh_map(m, 8, 8, 0), 0, "create %s", m);
	fill_and_empty(m, &st0);
	rc = wait_settled(m, &st1);
	for (uint64_t id = 0; id < 100 && ok; id++) {
		mkkey(key, 8, id);
		ok = lookup(m, key, 8, val, 8) == 0 && val_ok(val, 8, id, 0);
	}
	EXPECT_TRUE(rc == 0 && ok && st1.count == 100 && st1.B < st0.B &&
		    st1.counters[HMAP_STAT_SHRINKS] > 0,
		    "deleting 4900 of 5000: the table shrinks (B %u -> %u, %llu shrinks), the rest intact (%s)",
		    st0.B, st1.B, (unsigned long long)st1.counters[HMAP_STAT_SHRINKS], ename(rc));
	map_destroy(m);
}

TEST(no_shrink_flag_keeps_the_table)
{
	const char *ns = "e2e_noshrink";
	struct hmap_ioc_create c = { .size = sizeof(c), .key_size = 8, .value_size = 8,
				     .flags = HMAP_F_NO_SHRINK };
	struct hmap_ioc_stats st0, st1;
	int rc;

	map_destroy(ns);
	name_set(c.name, ns);
	rc = ioc(HMAP_IOC_CREATE, &c);
	EXPECT_TRUE(rc == 0, "create with flags HMAP_F_NO_SHRINK -> 0 (%s)", ename(rc));
	fill_and_empty(ns, &st0);
	rc = wait_settled(ns, &st1);
	EXPECT_TRUE(rc == 0 && st1.count == 100 && st1.B == st0.B && st1.flags == HMAP_F_NO_SHRINK &&
		    st1.counters[HMAP_STAT_SHRINKS] == 0,
		    "with HMAP_F_NO_SHRINK it does not (B %u, flags %#x, %llu shrinks)", st1.B,
		    st1.flags, (unsigned long long)st1.counters[HMAP_STAT_SHRINKS]);
	map_destroy(ns);
}

TEST(clear_leaves_one_bucket)
{
	const char *m = "e2e_shrink";
	struct hmap_ioc_stats st0, st1;

	ASSERT_EQ(fresh_map(m, 8, 8, 0), 0, "create %s", m);
	fill_and_empty(m, &st0);
	map_clear(m);
	map_stats(m, &st1);
	EXPECT_TRUE(st1.count == 0 && st1.B == 0 && st1.growth == HMAP_GROWTH_NONE,
		    "clear leaves one bucket (B %u)", st1.B);
	map_destroy(m);
}

static const char *shrink_map;
static uint64_t shrink_next;

/* A map this big shrinks more than once when all but 1000 go. */
#define SHRINK_KEYS	10000

static int gen_below_shrink_keys(uint64_t id)
{
	return id < SHRINK_KEYS ? 0 : -1;
}

static void shrink_between(unsigned int call)
{
	uint8_t key[8];
	unsigned int i;

	(void)call;
	for (i = 0; i < 300 && shrink_next < SHRINK_KEYS; i++, shrink_next++) {
		mkkey(key, 8, shrink_next);
		delete(shrink_map, key, 8);
	}
}


/* Shrinking between the batches of a dump. */
TEST(dump_while_the_map_shrinks)
{
	const char *m = "e2e_shrink";
	struct hmap_ioc_stats st0, st1;
	struct dump_result r;
	int rc;

	ASSERT_EQ(fresh_map(m, 8, 8, 0), 0, "create %s", m);
	fill(m, 8, 8, 0, SHRINK_KEYS, 0);
	wait_settled(m, &st0);
	shrink_map = m;
	shrink_next = 1000;
	result_init(&r, SHRINK_KEYS);
	rc = dump_walk(m, 0, 8, 8, 16, &r, gen_below_shrink_keys, shrink_between);
	map_stats(m, &st1);
	EXPECT_TRUE(rc == 0 && !r.bad && result_seen(&r, 0, 1000, 1, UINT32_MAX) &&
		    st1.counters[HMAP_STAT_SHRINKS] > st0.counters[HMAP_STAT_SHRINKS],
		    "dump while the map shrinks (B %u -> %u, %llu shrinks): every lasting key returned (%u calls)",
		    st0.B, st1.B,
		    (unsigned long long)(st1.counters[HMAP_STAT_SHRINKS] - st0.counters[HMAP_STAT_SHRINKS]),
		    r.calls);
	free(r.seen);
	map_destroy(m);
}

/* Checks a snapshot against the rules of its histograms. */
static bool snapshot_consistent(const struct hmap_ioc_snapshot *sn, const char *what)
{
	uint64_t chains = 0, bkts = 0, live = 0, ochains = 0, obkts = 0, olive = 0;
	bool ok = true;
	int i;

	for (i = 0; i < HMAP_HIST_CHAIN; i++) {
		chains += sn->chain_hist[i];
		ochains += sn->old_chain_hist[i];
	}
	for (i = 0; i < HMAP_HIST_SLOTS; i++) {
		bkts += sn->slot_hist[i];
		live += (uint64_t)i * sn->slot_hist[i];
		obkts += sn->old_slot_hist[i];
		olive += (uint64_t)i * sn->old_slot_hist[i];
	}
	if (sn->buckets != 1ULL << sn->B || chains != sn->buckets) {
		TH_LOG("%s: buckets %llu, B %u, chains %llu", what,
		       (unsigned long long)sn->buckets, sn->B, (unsigned long long)chains);
		ok = false;
	}
	if (bkts != sn->buckets + sn->noverflow) {
		TH_LOG("%s: slot_hist sums to %llu buckets, buckets + noverflow = %llu", what,
		       (unsigned long long)bkts, (unsigned long long)(sn->buckets + sn->noverflow));
		ok = false;
	}
	if (live + olive != sn->count) {
		TH_LOG("%s: live slots %llu + old %llu != count %llu", what,
		       (unsigned long long)live, (unsigned long long)olive,
		       (unsigned long long)sn->count);
		ok = false;
	}
	if (sn->growth == HMAP_GROWTH_NONE) {
		if (sn->old_buckets || sn->old_B || ochains || obkts || sn->old_evacuated) {
			TH_LOG("%s: not growing but old_* are set", what);
			ok = false;
		}
	} else {
		if (sn->old_buckets != 1ULL << sn->old_B || ochains != sn->old_buckets ||
		    obkts < sn->old_buckets || sn->nevacuate > sn->old_buckets ||
		    sn->old_evacuated < sn->nevacuate || sn->old_evacuated > sn->old_buckets) {
			TH_LOG("%s: growing: old_B %u old_buckets %llu old chains %llu nevacuate %llu old_evacuated %llu",
			       what, sn->old_B, (unsigned long long)sn->old_buckets,
			       (unsigned long long)ochains, (unsigned long long)sn->nevacuate,
			       (unsigned long long)sn->old_evacuated);
			ok = false;
		}
		if ((sn->growth == HMAP_GROWTH_DOUBLE && sn->old_B + 1 != sn->B) ||
		    (sn->growth == HMAP_GROWTH_SAMESIZE && sn->old_B != sn->B) ||
		    (sn->growth == HMAP_GROWTH_SHRINK && sn->old_B != sn->B + 1)) {
			TH_LOG("%s: growth %u from B %u to %u", what, sn->growth, sn->old_B, sn->B);
			ok = false;
		}
	}
	return ok;
}

TEST(snapshot_agrees_with_stats)
{
	const char *m = "e2e_shape";
	struct hmap_ioc_snapshot sn;
	struct hmap_ioc_stats st;
	int rc;

	ASSERT_TRUE(!fresh_map(m, 8, 8, 0) && !fill(m, 8, 8, 0, 5000, 0), "create and fill %s", m);
	rc = map_snapshot(m, &sn);
	map_stats(m, &st);
	EXPECT_TRUE(rc == 0 && sn.count == 5000 && sn.B == st.B && sn.noverflow == st.noverflow &&
		    snapshot_consistent(&sn, "5000 entries"),
		    "snapshot of 5000 entries: count, B %u, histograms consistent (%s)", sn.B,
		    ename(rc));
	EXPECT_TRUE(st.count == 5000 && st.growth == sn.growth && st.buckets == sn.buckets,
		    "stats agrees with the snapshot (count, growth, buckets)");
	map_destroy(m);
}

TEST(stats_and_snapshots_while_growing)
{
	const char *m = "e2e_shape";
	struct hmap_ioc_snapshot sn;
	struct hmap_ioc_stats st;
	uint64_t id;
	uint64_t prev_nevac = 0;
	int grows = 0, checked = 0;
	bool ok = true;

	ASSERT_TRUE(!fresh_map(m, 8, 8, 0) && !fill(m, 8, 8, 0, 5000, 0), "create and fill %s", m);

	/*
	 * Step through two grows (B 10 -> 11 at 6657 entries, 11 -> 12 at
	 * 13313): insert one at a time, look at stats and snapshots meanwhile.
	 */
	for (id = 5000; id < 14000 && ok; id++) {
		uint8_t key[8], val[8];

		mkkey(key, 8, id);
		mkval(val, 8, id, 0);
		update(m, key, 8, val, 8, 0);
		if (map_stats(m, &st) || st.count != id + 1) {
			ok = false;
			break;
		}
		if (st.growth == HMAP_GROWTH_NONE) {
			prev_nevac = 0;
			continue;
		}
		if (st.nevacuate < prev_nevac) {
			TH_LOG("nevacuate went back from %llu to %llu",
			       (unsigned long long)prev_nevac, (unsigned long long)st.nevacuate);
			ok = false;
		}
		grows += prev_nevac == 0;
		prev_nevac = st.nevacuate ? st.nevacuate : 1;
		ok = ok && st.old_buckets == 1ULL << st.old_B && st.nevacuate <= st.old_buckets;
		if (ok && id % 16 == 0) {
			ok = map_snapshot(m, &sn) == 0 && snapshot_consistent(&sn, "growing");
			checked++;
		}
	}
	/*
	 * Two grows happen here; a grow left idle for 50 ms is finished by a
	 * worker, so a slow VM may see only one of them under way.
	 */
	EXPECT_TRUE(ok && grows >= 1 && checked > 0,
		    "stats while growing (%d grows): old_buckets = 2^old_B, nevacuate <= old_buckets and never goes back; %d snapshots consistent",
		    grows, checked);
	map_destroy(m);
}
