// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: maps of shards (HMAP_IOC_CREATE's shard_bits). Create's
 * new fields and sizes; stats and snapshots of the whole map (the sums
 * over the shards) and, with HMAP_QUERY_SHARD, of one shard, their new
 * errors and their older sizes; dumps that walk shard after shard (the
 * cursor's top byte), settled and while the shards grow; max_entries split
 * between the shards.
 *
 * Every refused request is checked for its errno, for the fixture, and
 * for leaving the map it named as it was (count, shape, counters) and the
 * number of maps as it was (a refused create made nothing).
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ioctl_test.h"

#define SM		"e2e_shard"	/* the map of shards of a test */
#define SM1		"e2e_shard_one"	/* a map of one table beside it */
#define SM_NEW		"e2e_shard_new"	/* a name refused creates must not make */
#define SM_N		5000		/* ids 0..4999 in SM */
#define CURSOR_SHIFT	56		/* the cursor's top byte names the shard */

static uint8_t area[3 * 4096] __attribute__((aligned(64)));

FIXTURE(shard) {
	int unused;
};

FIXTURE_SETUP(shard)
{
	(void)self;
	map_destroy(SM);
	map_destroy(SM1);
	map_destroy(SM_NEW);
}

FIXTURE_TEARDOWN(shard)
{
	(void)self;
	map_destroy(SM);
	map_destroy(SM1);
	map_destroy(SM_NEW);
}

/* ---- requests ---- */

static void create_fill(struct hmap_ioc_create *c, const char *name, uint32_t ks, uint32_t vs,
			uint32_t max, uint32_t flags, uint32_t shard_bits)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->key_size = ks;
	c->value_size = vs;
	c->max_entries = max;
	c->flags = flags;
	c->shard_bits = shard_bits;
	name_set(c->name, name);
}

/* Destroys what is left of @name, then creates it with 2^@shard_bits shards. */
static int create_sharded(const char *name, uint32_t ks, uint32_t vs, uint32_t max,
			  uint32_t flags, uint32_t shard_bits)
{
	struct hmap_ioc_create c;

	map_destroy(name);
	create_fill(&c, name, ks, vs, max, flags, shard_bits);
	return ioc(HMAP_IOC_CREATE, &c);
}

/*
 * HMAP_IOC_CREATE of @c with the size field @usize: the structure's bytes
 * as @c has them (also past @usize), then zeros.
 */
static int create_sized(const struct hmap_ioc_create *c, uint32_t usize)
{
	memset(area, 0, sizeof(area));
	memcpy(area, c, sizeof(*c));
	memcpy(area, &usize, sizeof(usize));
	return ioc(HMAP_IOC_CREATE, area);
}

static void stats_fill(struct hmap_ioc_stats *st, const char *name, uint32_t query,
		       uint32_t shard)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->query = query;
	st->shard = shard;
	name_set(st->name, name);
}

/* HMAP_IOC_STATS of @name; with @query HMAP_QUERY_SHARD, of shard @shard. */
static int stats_q(const char *name, uint32_t query, uint32_t shard, struct hmap_ioc_stats *st)
{
	stats_fill(st, name, query, shard);
	return ioc(HMAP_IOC_STATS, st);
}

static int shard_stats(const char *name, uint32_t shard, struct hmap_ioc_stats *st)
{
	return stats_q(name, HMAP_QUERY_SHARD, shard, st);
}

static void snap_fill(struct hmap_ioc_snapshot *sn, const char *name, uint32_t query,
		      uint32_t shard)
{
	memset(sn, 0, sizeof(*sn));
	sn->size = sizeof(*sn);
	sn->query = query;
	sn->shard = shard;
	name_set(sn->name, name);
}

static int snap_q(const char *name, uint32_t query, uint32_t shard, struct hmap_ioc_snapshot *sn)
{
	snap_fill(sn, name, query, shard);
	return ioc(HMAP_IOC_SNAPSHOT, sn);
}

/*
 * A request @req of @len bytes from @s, with the size field @usize, at
 * area + @off; the rest of the area (past @len) is @canary. Returns the
 * result; the area keeps what the kernel wrote.
 */
static int sized_at(unsigned long req, const void *s, size_t len, uint32_t usize, size_t off,
		    uint8_t canary)
{
	memset(area, canary, sizeof(area));
	memcpy(area + off, s, len);
	memcpy(area + off, &usize, sizeof(usize));
	return ioc(req, area + off);
}

/* The area from @from on still holds @canary. */
static bool canary_kept(size_t from, uint8_t canary)
{
	for (size_t i = from; i < sizeof(area); i++)
		if (area[i] != canary) {
			TH_LOG("byte %zu past the structure's start written: %#x", i, area[i]);
			return false;
		}
	return true;
}

/* ---- a map left as it was ---- */

struct state {
	long long nmaps;
	int rc;				/* of the stats call */
	struct hmap_ioc_stats st;
};

static void state_get(const char *name, struct state *s)
{
	s->nmaps = map_list(NULL, 0);
	s->rc = map_stats(name, &s->st);
}

/* @name and the list are as in @a: the fields a refused request could change. */
static bool state_same(const char *name, const struct state *a, const char *what)
{
	static const int ctr[] = {
		HMAP_STAT_INSERTS, HMAP_STAT_UPDATES, HMAP_STAT_DELETES, HMAP_STAT_GROWS,
		HMAP_STAT_CLEARS, HMAP_STAT_SHRINKS,
	};
	const struct hmap_ioc_stats *x = &a->st, *y;
	struct state b;
	bool ok;

	state_get(name, &b);
	y = &b.st;
	ok = b.nmaps == a->nmaps && b.rc == a->rc;
	if (ok && !a->rc) {
		ok = x->count == y->count && x->B == y->B && x->buckets == y->buckets &&
		     x->noverflow == y->noverflow && x->growth == y->growth &&
		     x->shard_bits == y->shard_bits && x->max_entries == y->max_entries;
		for (size_t i = 0; i < ARRAY_SIZE(ctr); i++)
			ok = ok && x->counters[ctr[i]] == y->counters[ctr[i]];
	}
	if (!ok)
		TH_LOG("%s: %s changed: maps %lld -> %lld, stats %s -> %s, count %llu -> %llu, B %u -> %u, buckets %llu -> %llu",
		       what, name, a->nmaps, b.nmaps, ename(a->rc), ename(b.rc),
		       (unsigned long long)x->count, (unsigned long long)y->count, x->B, y->B,
		       (unsigned long long)x->buckets, (unsigned long long)y->buckets);
	return ok;
}

static bool refused(int rc, int err, const char *name, const struct state *before,
		    const char *what)
{
	bool ok = rejected(rc, err, what);

	return state_same(name, before, what) && ok;
}

/* One check: @rc is -@err, the fixture intact, @name (and the list) as in @before. */
#define EXPECT_REFUSED(rc, err, name, before, ...) do {			\
	char _what[256];						\
	int _rc = (rc);							\
									\
	snprintf(_what, sizeof(_what), __VA_ARGS__);			\
	EXPECT_TRUE(refused(_rc, (err), (name), (before), _what),	\
		    "%s -> %s, %s and the maps unchanged", _what, ename(-(err)), (name)); \
} while (0)

/* SM with 2^@S shards, ids 0..@n-1 (key 8, value 8), settled. */
static int sm_setup(uint32_t S, uint64_t n, struct hmap_ioc_stats *st)
{
	int rc = create_sharded(SM, 8, 8, 0, 0, S);

	if (!rc)
		rc = fill(SM, 8, 8, 0, n, 0);
	if (!rc)
		rc = wait_settled(SM, st);
	return rc;
}

/* ---- create ---- */

TEST_F(shard, create_shard_bits_over_8_is_einval)
{
	static const uint32_t bad[] = { HMAP_MAX_SHARD_BITS + 1, 10, 16, 31, 32, 64, 255, 256,
					1U << 31, 0xffffffff };
	struct hmap_ioc_create c;
	struct state before;

	(void)self;
	EXPECT_EQ(HMAP_MAX_SHARD_BITS, 8, "HMAP_MAX_SHARD_BITS is 8 (256 shards)");
	state_get(SM_NEW, &before);
	EXPECT_EQ(before.rc, -ENOENT, SM_NEW " does not exist yet");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		create_fill(&c, SM_NEW, 8, 8, 0, 0, bad[i]);
		EXPECT_REFUSED(ioc(HMAP_IOC_CREATE, &c), EINVAL, SM_NEW, &before,
			       "create with shard_bits %u", bad[i]);
	}
	create_fill(&c, SM_NEW, 8, 8, 1000, HMAP_F_NO_SHRINK, 9);
	EXPECT_REFUSED(ioc(HMAP_IOC_CREATE, &c), EINVAL, SM_NEW, &before,
		       "create with shard_bits 9, max_entries 1000, HMAP_F_NO_SHRINK");
}

TEST_F(shard, create_size_between_versions_is_einval)
{
	struct hmap_ioc_create c;
	struct state before;

	(void)self;
	EXPECT_TRUE(HMAP_IOC_CREATE_SIZE_VER0 == offsetof(struct hmap_ioc_create, shard_bits) &&
		    HMAP_IOC_CREATE_SIZE_VER1 == sizeof(struct hmap_ioc_create),
		    "HMAP_IOC_CREATE_SIZE_VER0 %d ends before shard_bits, VER1 %d is sizeof",
		    HMAP_IOC_CREATE_SIZE_VER0, HMAP_IOC_CREATE_SIZE_VER1);
	state_get(SM_NEW, &before);
	for (uint32_t size = HMAP_IOC_CREATE_SIZE_VER0 + 1; size < HMAP_IOC_CREATE_SIZE_VER1; size++) {
		create_fill(&c, SM_NEW, 8, 8, 0, 0, 0);
		EXPECT_REFUSED(create_sized(&c, size), EINVAL, SM_NEW, &before,
			       "create with size %u (between VER0 and VER1), shard_bits 0", size);
	}
	create_fill(&c, SM_NEW, 8, 8, 0, 0, 2);
	EXPECT_REFUSED(create_sized(&c, 60), EINVAL, SM_NEW, &before,
		       "create with size 60, shard_bits 2");
	create_fill(&c, SM_NEW, 8, 8, 0, 0, 0);
	EXPECT_REFUSED(create_sized(&c, HMAP_IOC_CREATE_SIZE_VER0 - 1), EINVAL, SM_NEW, &before,
		       "create with size VER0 - 1");
	/* Past VER1 the tail must be zero. */
	create_fill(&c, SM_NEW, 8, 8, 0, 0, 1);
	memset(area, 0, sizeof(area));
	memcpy(area, &c, sizeof(c));
	memcpy(area, &(uint32_t){ sizeof(c) + 8 }, 4);
	area[sizeof(c) + 5] = 1;
	EXPECT_REFUSED(ioc(HMAP_IOC_CREATE, area), EINVAL, SM_NEW, &before,
		       "create with size VER1 + 8, a non-zero tail byte");
}

TEST_F(shard, create_evac_delay_over_the_largest_is_einval)
{
	static const uint32_t junk[] = {
		HMAP_MAX_EVAC_DELAY_MS + 1, 0x10000, 1U << 31, 0xffffffff,
	};
	struct hmap_ioc_create c;
	struct state before;

	(void)self;
	state_get(SM_NEW, &before);
	for (size_t i = 0; i < ARRAY_SIZE(junk); i++) {
		create_fill(&c, SM_NEW, 8, 8, 0, 0, i % 3);
		c.evac_delay_ms = junk[i];
		EXPECT_REFUSED(ioc(HMAP_IOC_CREATE, &c), EINVAL, SM_NEW, &before,
			       "create with evac_delay_ms %u, shard_bits %zu", junk[i], i % 3);
	}
}

/*
 * evac_delay_ms as created, in stats of the map and of each shard; 0 is
 * HMAP_EVAC_DELAY_MS. A map that waits 4 s is still growing half a
 * second after the write that started its grow (a map of 50 ms would be
 * done), and the worker ends the grow once the 4 s are over.
 */
TEST_F(shard, create_evac_delay_is_kept_and_the_worker_waits_it)
{
	static const uint32_t delays[] = { 0, 1, 4000, HMAP_MAX_EVAC_DELAY_MS };
	struct hmap_ioc_create c;
	struct hmap_ioc_stats st;
	int rc;

	(void)self;
	for (size_t i = 0; i < ARRAY_SIZE(delays); i++) {
		uint32_t want = delays[i] ?: HMAP_EVAC_DELAY_MS;

		map_destroy(SM);
		create_fill(&c, SM, 8, 8, 0, 0, i % 3);
		c.evac_delay_ms = delays[i];
		rc = ioc(HMAP_IOC_CREATE, &c);
		EXPECT_TRUE(rc == 0, "create with evac_delay_ms %u (%s)", delays[i], ename(rc));
		rc = map_stats(SM, &st);
		EXPECT_TRUE(rc == 0 && st.evac_delay_ms == want,
			    "evac_delay_ms %u: stats say %u (%s)", delays[i], st.evac_delay_ms,
			    ename(rc));
		/* An output field: what the caller puts there is ignored. */
		stats_fill(&st, SM, HMAP_QUERY_SHARD, 0);
		st.evac_delay_ms = 1U << 31;
		rc = ioc(HMAP_IOC_STATS, &st);
		EXPECT_TRUE(rc == 0 && st.evac_delay_ms == want,
			    "evac_delay_ms %u: shard 0's stats (asked with 1 << 31 there) say %u (%s)",
			    delays[i], st.evac_delay_ms, ename(rc));
	}
	/* 833 entries start a grow from 128 buckets to 256. */
	map_destroy(SM1);
	create_fill(&c, SM1, 8, 8, 0, 0, 0);
	c.evac_delay_ms = 4000;
	EXPECT_TRUE(ioc(HMAP_IOC_CREATE, &c) == 0, "create " SM1 " with evac_delay_ms 4000");
	EXPECT_TRUE(fill(SM1, 8, 8, 0, 833, 0) == 0, "833 entries");
	usleep(500000);
	rc = map_stats(SM1, &st);
	EXPECT_TRUE(rc == 0 && st.growth == HMAP_GROWTH_DOUBLE && st.nevacuate < st.old_buckets,
		    "0.5 s after the last write of a map of 4 s: still growing (growth %u, %llu of %llu evacuated)",
		    st.growth, (unsigned long long)st.nevacuate,
		    (unsigned long long)st.old_buckets);
	for (int i = 0; i < 100 && !rc && st.growth != HMAP_GROWTH_NONE; i++) {
		usleep(100000);
		rc = map_stats(SM1, &st);
	}
	EXPECT_TRUE(rc == 0 && st.growth == HMAP_GROWTH_NONE && st.count == 833,
		    "the worker ends the grow after its 4 s (growth %u, count %llu)", st.growth,
		    (unsigned long long)st.count);
}

/* One per shard at least: max_entries under 2^shard_bits is refused. */
TEST_F(shard, create_max_entries_under_one_per_shard_is_einval)
{
	struct hmap_ioc_create c;
	struct state before;
	int rc;

	(void)self;
	state_get(SM_NEW, &before);
	create_fill(&c, SM_NEW, 8, 8, 3, 0, 2);
	EXPECT_REFUSED(ioc(HMAP_IOC_CREATE, &c), EINVAL, SM_NEW, &before,
		       "create with max_entries 3, shard_bits 2 (0 per shard)");
	create_fill(&c, SM_NEW, 8, 8, 255, 0, 8);
	EXPECT_REFUSED(ioc(HMAP_IOC_CREATE, &c), EINVAL, SM_NEW, &before,
		       "create with max_entries 255, shard_bits 8");
	create_fill(&c, SM_NEW, 8, 8, 4, 0, 2);
	rc = ioc(HMAP_IOC_CREATE, &c);
	EXPECT_TRUE(rc == 0, "create with max_entries 4, shard_bits 2 (1 per shard) -> 0 (%s)",
		    ename(rc));
}

TEST_F(shard, create_every_shard_bits_0_to_8)
{
	(void)self;
	for (uint32_t S = 0; S <= HMAP_MAX_SHARD_BITS; S++) {
		struct hmap_ioc_stats st, last;
		struct hmap_ioc_snapshot sn;
		uint64_t n = 1ULL << S;
		uint8_t key[8], val[8];
		bool found = true;
		int rc = create_sharded(SM, 8, 8, 0, 0, S), rcs, rcl, rcp;

		EXPECT_TRUE(rc == 0, "create with shard_bits %u -> 0 (%s)", S, ename(rc));
		if (rc)
			continue;
		rcs = map_stats(SM, &st);
		EXPECT_TRUE(rcs == 0 && st.shard_bits == S && st.count == 0 && st.B == 0 &&
			    st.buckets == n && st.growth == HMAP_GROWTH_NONE &&
			    st.key_size == 8 && st.value_size == 8,
			    "shard_bits %u: stats shard_bits %u, count %llu, B %u, buckets %llu (one per shard: %llu) (%s)",
			    S, st.shard_bits, (unsigned long long)st.count, st.B,
			    (unsigned long long)st.buckets, (unsigned long long)n, ename(rcs));
		rcl = shard_stats(SM, (uint32_t)n - 1, &last);
		EXPECT_TRUE(rcl == 0 && last.shard == n - 1 && last.shard_bits == S &&
			    last.buckets == 1 && last.count == 0,
			    "shard_bits %u: the last shard, %llu, answers (%s)", S,
			    (unsigned long long)n - 1, ename(rcl));
		rcp = snap_q(SM, 0, 0, &sn);
		EXPECT_TRUE(rcp == 0 && sn.shard_bits == S && sn.buckets == n &&
			    sn.chain_hist[0] == n && sn.slot_hist[0] == n,
			    "shard_bits %u: snapshot shard_bits %u, %llu buckets, all empty chains of 1 (%s)",
			    S, sn.shard_bits, (unsigned long long)sn.buckets, ename(rcp));
		rc = fill(SM, 8, 8, 0, 300, 0);
		for (uint64_t id = 0; id < 300 && found; id++) {
			mkkey(key, 8, id);
			found = lookup(SM, key, 8, val, 8) == 0 && val_ok(val, 8, id, 0);
		}
		EXPECT_TRUE(rc == 0 && found && map_count(SM) == 300,
			    "shard_bits %u: 300 inserts, each looks up (%s)", S, ename(rc));
		map_destroy(SM);
	}
}

/* A caller of the first version: 56 bytes, whatever follows them in memory. */
TEST_F(shard, create_first_version_size_makes_one_table)
{
	struct hmap_ioc_create c;
	struct hmap_ioc_stats st, s0;
	uint8_t *at;
	int rc;

	(void)self;
	create_fill(&c, SM, 8, 8, 0, 0, 5);	/* shard_bits past the size: not read */
	c.evac_delay_ms = 0xdeadbeef;	/* also past the size: not read */
	rc = create_sized(&c, HMAP_IOC_CREATE_SIZE_VER0);
	EXPECT_TRUE(rc == 0, "create with size VER0 (56), junk after it -> 0 (%s)", ename(rc));
	rc = map_stats(SM, &st);
	EXPECT_TRUE(rc == 0 && st.shard_bits == 0 && st.buckets == 1,
		    "a VER0 create makes a one-table map: shard_bits %u, buckets %llu (%s)",
		    st.shard_bits, (unsigned long long)st.buckets, ename(rc));
	EXPECT_TRUE(fill(SM, 8, 8, 0, 1000, 0) == 0 && map_count(SM) == 1000,
		    "it takes 1000 entries");
	wait_settled(SM, &st);
	rc = shard_stats(SM, 0, &s0);
	EXPECT_TRUE(rc == 0 && s0.count == st.count && s0.B == st.B && s0.buckets == st.buckets &&
		    s0.max_entries == st.max_entries && s0.id == st.id && s0.shard == 0 &&
		    s0.shard_bits == 0 && s0.counters[HMAP_STAT_INSERTS] == 1000,
		    "a one-table map is its own shard 0: the same answer (count %llu, B %u, id %u/%u) (%s)",
		    (unsigned long long)s0.count, s0.B, s0.id, st.id, ename(rc));
	{
		struct state before;

		state_get(SM, &before);
		EXPECT_REFUSED(shard_stats(SM, 1, &s0), EINVAL, SM, &before,
			       "stats of shard 1 of a one-table map");
	}
	map_destroy(SM);

	/* VER0 ending at an unmapped page: nothing past 56 bytes is read. */
	at = edge_end - HMAP_IOC_CREATE_SIZE_VER0;
	memcpy(at, &c, HMAP_IOC_CREATE_SIZE_VER0);
	memcpy(at, &(uint32_t){ HMAP_IOC_CREATE_SIZE_VER0 }, 4);
	rc = ioc(HMAP_IOC_CREATE, at);
	EXPECT_TRUE(rc == 0 && map_stats(SM, &st) == 0 && st.shard_bits == 0,
		    "create with size VER0 ending at an unmapped page -> 0, one table (%s)",
		    ename(rc));
	map_destroy(SM);

	/* VER1 + 8, zero tail: the shard_bits of VER1 count. */
	create_fill(&c, SM, 8, 8, 0, 0, 3);
	memset(area, 0, sizeof(area));
	memcpy(area, &c, sizeof(c));
	memcpy(area, &(uint32_t){ sizeof(c) + 8 }, 4);
	rc = ioc(HMAP_IOC_CREATE, area);
	EXPECT_TRUE(rc == 0 && map_stats(SM, &st) == 0 && st.shard_bits == 3,
		    "create with size VER1 + 8, zero tail, shard_bits 3 -> 0, shard_bits %u (%s)",
		    st.shard_bits, ename(rc));
}

/* ---- stats ---- */

TEST_F(shard, stats_bad_requests)
{
	static const uint32_t bad_query[] = { 2, 3, 4, 0x80, 1U << 31, 0xffffffff, 0xfffffffe };
	struct hmap_ioc_stats st;
	struct state before;

	(void)self;
	ASSERT_EQ(sm_setup(2, SM_N, &st), 0, "create " SM " (4 shards), %d entries", SM_N);
	state_get(SM, &before);
	for (uint32_t size = HMAP_IOC_STATS_SIZE_VER1 + 1; size < HMAP_IOC_STATS_SIZE_VER2; size++) {
		stats_fill(&st, SM, 0, 0);
		EXPECT_REFUSED(sized_at(HMAP_IOC_STATS, &st, sizeof(st), size, 0, 0), EINVAL, SM,
			       &before, "stats with size %u (between VER1 and VER2)", size);
	}
	stats_fill(&st, SM, 0, 0);
	EXPECT_REFUSED(sized_at(HMAP_IOC_STATS, &st, sizeof(st), HMAP_IOC_STATS_SIZE_VER0 + 4, 0, 0),
		       EINVAL, SM, &before, "stats with size VER0 + 4 (between VER0 and VER1)");
	for (size_t i = 0; i < ARRAY_SIZE(bad_query); i++) {
		EXPECT_REFUSED(stats_q(SM, bad_query[i], 0, &st), EINVAL, SM, &before,
			       "stats with query %#x (an unknown bit)", bad_query[i]);
	}
	EXPECT_REFUSED(stats_q(SM, 0, 1, &st), EINVAL, SM, &before,
		       "stats with shard 1 but no HMAP_QUERY_SHARD");
	EXPECT_REFUSED(stats_q(SM, 0, 0xffffffff, &st), EINVAL, SM, &before,
		       "stats with shard 0xffffffff but no HMAP_QUERY_SHARD");
	EXPECT_REFUSED(shard_stats(SM, 4, &st), EINVAL, SM, &before,
		       "stats of shard 4 of 4 (shard == 2^shard_bits)");
	EXPECT_REFUSED(shard_stats(SM, 256, &st), EINVAL, SM, &before, "stats of shard 256 of 4");
	EXPECT_REFUSED(shard_stats(SM, 0xffffffff, &st), EINVAL, SM, &before,
		       "stats of shard 0xffffffff of 4");
	/* Unknown names and the bad request together: either error is a refusal. */
	stats_fill(&st, "e2e_shard_none", HMAP_QUERY_SHARD, 0);
	EXPECT_REFUSED(ioc(HMAP_IOC_STATS, &st), ENOENT, SM, &before,
		       "stats of shard 0 of a map that does not exist");
}

TEST_F(shard, stats_shards_sum_to_the_whole_map)
{
	struct hmap_ioc_stats whole, sh[4], again;
	uint64_t count = 0, buckets = 0, novf = 0, max = 0, inserts = 0, cap = 0;
	uint32_t maxB = 0;
	bool each = true, own = true, ids = true;
	int rc = 0;

	(void)self;
	ASSERT_EQ(sm_setup(2, SM_N, &whole), 0, "create " SM " (4 shards), %d entries", SM_N);
	ASSERT_EQ(map_stats(SM, &whole), 0, "stats of " SM);
	EXPECT_TRUE(whole.count == SM_N && whole.shard_bits == 2 && whole.growth == HMAP_GROWTH_NONE &&
		    whole.counters[HMAP_STAT_INSERTS] == SM_N,
		    "whole map: count %llu, shard_bits %u, settled, %llu inserts",
		    (unsigned long long)whole.count, whole.shard_bits,
		    (unsigned long long)whole.counters[HMAP_STAT_INSERTS]);
	for (uint32_t s = 0; s < 4 && !rc; s++) {
		rc = shard_stats(SM, s, &sh[s]);
		if (rc)
			break;
		count += sh[s].count;
		buckets += sh[s].buckets;
		novf += sh[s].noverflow;
		max += sh[s].max_entries;
		inserts += sh[s].counters[HMAP_STAT_INSERTS];
		maxB = sh[s].B > maxB ? sh[s].B : maxB;
		cap = sh[s].max_entries;
		/* Hash bits pick the shard: 1250 each on average, none far off. */
		if (sh[s].count < SM_N / 8 || sh[s].count > SM_N / 2) {
			TH_LOG("shard %u holds %llu of %d", s, (unsigned long long)sh[s].count, SM_N);
			each = false;
		}
		if (sh[s].shard != s || sh[s].shard_bits != 2 || sh[s].query != HMAP_QUERY_SHARD ||
		    sh[s].buckets != 1ULL << sh[s].B || sh[s].growth != HMAP_GROWTH_NONE ||
		    sh[s].key_size != 8 || sh[s].value_size != 8 || sh[s].flags != 0 ||
		    strcmp(sh[s].name, SM) || sh[s].max_entries != sh[0].max_entries) {
			TH_LOG("shard %u: shard %u, shard_bits %u, B %u, buckets %llu, growth %u, max %u, name %.32s",
			       s, sh[s].shard, sh[s].shard_bits, sh[s].B,
			       (unsigned long long)sh[s].buckets, sh[s].growth, sh[s].max_entries,
			       sh[s].name);
			own = false;
		}
		for (uint32_t t = 0; t < s; t++)
			ids &= sh[t].id != sh[s].id;
		ids &= sh[s].id != whole.id;
	}
	ASSERT_EQ(rc, 0, "stats of each of the 4 shards (HMAP_QUERY_SHARD)");
	EXPECT_EQ(count, whole.count, "the shards' counts sum to the whole map's");
	EXPECT_EQ(buckets, whole.buckets, "the shards' buckets sum to the whole map's");
	EXPECT_EQ(novf, whole.noverflow, "the shards' noverflow sum to the whole map's");
	EXPECT_EQ(inserts, whole.counters[HMAP_STAT_INSERTS],
		  "the shards' inserts counters sum to the whole map's");
	EXPECT_EQ(max, whole.max_entries, "the shards' max_entries sum to the whole map's");
	EXPECT_EQ(maxB, whole.B, "the whole map's B is the largest shard's");
	EXPECT_TRUE(cap > 0 && cap <= (HMAP_MAX_ENTRIES >> 2),
		    "a shard's max_entries is at most HMAP_MAX_ENTRIES >> 2 (%llu)",
		    (unsigned long long)cap);
	EXPECT_TRUE(each, "each shard holds some of the keys: %llu %llu %llu %llu",
		    (unsigned long long)sh[0].count, (unsigned long long)sh[1].count,
		    (unsigned long long)sh[2].count, (unsigned long long)sh[3].count);
	EXPECT_TRUE(own, "each shard's answer is its own (shard echoed, its B and buckets) with the map's name, sizes, flags and shard_bits");
	EXPECT_TRUE(ids, "each shard has its own id, not the map's (%u): %u %u %u %u", whole.id,
		    sh[0].id, sh[1].id, sh[2].id, sh[3].id);
	rc = map_stats(SM, &again);
	EXPECT_TRUE(rc == 0 && again.shard_bits == 2 && again.shard == 0 && again.query == 0 &&
		    again.id == whole.id,
		    "the whole map again: shard_bits 2, query and shard 0, the map's id (%s)",
		    ename(rc));

	/* A one-table map's shard 0 is the map. */
	{
		struct hmap_ioc_stats one, one0;

		ASSERT_TRUE(!fresh_map(SM1, 8, 8, 0) && !fill(SM1, 8, 8, 0, 700, 0) &&
			    !wait_settled(SM1, &one), "create and fill " SM1);
		rc = shard_stats(SM1, 0, &one0);
		EXPECT_TRUE(rc == 0 && one.shard_bits == 0 && one0.count == one.count &&
			    one0.buckets == one.buckets && one0.B == one.B &&
			    one0.noverflow == one.noverflow && one0.max_entries == one.max_entries &&
			    one0.id == one.id && one0.shard_bits == 0 && one0.shard == 0,
			    "one table: shard 0 is the whole map (count %llu, B %u) (%s)",
			    (unsigned long long)one0.count, one0.B, ename(rc));
	}
}

/* Callers of VER0 and VER1 get what they know, and nothing is written past it. */
TEST_F(shard, stats_older_sizes_on_a_map_of_shards)
{
	static const uint32_t sizes[] = {
		HMAP_IOC_STATS_SIZE_VER0, HMAP_IOC_STATS_SIZE_VER1, HMAP_IOC_STATS_SIZE_VER2,
	};
	struct hmap_ioc_stats whole, st;

	(void)self;
	ASSERT_EQ(sm_setup(2, SM_N, &whole), 0, "create " SM " (4 shards), %d entries", SM_N);
	ASSERT_EQ(map_stats(SM, &whole), 0, "stats of " SM);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint32_t size = sizes[i];
		int rc;

		stats_fill(&st, SM, 0, 0);
		rc = sized_at(HMAP_IOC_STATS, &st, size, size, 0, 0xa5);
		memset(&st, 0, sizeof(st));
		memcpy(&st, area, size);
		EXPECT_TRUE(rc == 0 && st.count == SM_N && st.buckets == whole.buckets &&
			    st.B == whole.B && st.key_size == 8,
			    "stats with size %u: the whole map, count %llu, buckets %llu (%s)", size,
			    (unsigned long long)st.count, (unsigned long long)st.buckets, ename(rc));
		EXPECT_TRUE(canary_kept(size, 0xa5), "stats with size %u: nothing written past it",
			    size);
		/* A caller that knows no query field cannot ask for a shard. */
		if (size < HMAP_IOC_STATS_SIZE_VER2) {
			stats_fill(&st, SM, HMAP_QUERY_SHARD, 3);
			rc = sized_at(HMAP_IOC_STATS, &st, sizeof(st), size, 0, 0xa5);
			memcpy(&st, area, size);
			EXPECT_TRUE(rc == 0 && st.count == SM_N,
				    "stats with size %u and query/shard past it: not read, the whole map (%s)",
				    size, ename(rc));
		}
		/* Ending at an unmapped page. */
		stats_fill(&st, SM, 0, 0);
		memcpy(edge_end - size, &st, size);
		memcpy(edge_end - size, &size, 4);
		rc = ioc(HMAP_IOC_STATS, edge_end - size);
		memcpy(&st, edge_end - size, size);
		EXPECT_TRUE(rc == 0 && st.count == SM_N,
			    "stats with size %u ending at an unmapped page -> 0 (%s)", size, ename(rc));
	}
	/* With a shard asked for, at size VER2 exactly. */
	stats_fill(&st, SM, HMAP_QUERY_SHARD, 3);
	{
		int rc = sized_at(HMAP_IOC_STATS, &st, sizeof(st), HMAP_IOC_STATS_SIZE_VER2, 0, 0x5a);

		memcpy(&st, area, sizeof(st));
		EXPECT_TRUE(rc == 0 && st.shard == 3 && st.shard_bits == 2 && st.count < SM_N &&
			    canary_kept(HMAP_IOC_STATS_SIZE_VER2, 0x5a),
			    "stats of shard 3 at size VER2: its count %llu, nothing past the structure (%s)",
			    (unsigned long long)st.count, ename(rc));
	}
}

/* ---- snapshot ---- */

TEST_F(shard, snapshot_bad_requests)
{
	static const uint32_t bad_query[] = { 2, 3, 0x10, 1U << 31, 0xffffffff };
	struct hmap_ioc_snapshot sn;
	struct hmap_ioc_stats st;
	struct state before;

	(void)self;
	EXPECT_TRUE(HMAP_IOC_SNAPSHOT_SIZE_VER0 == offsetof(struct hmap_ioc_snapshot, query) &&
		    HMAP_IOC_SNAPSHOT_SIZE_VER1 == sizeof(struct hmap_ioc_snapshot),
		    "HMAP_IOC_SNAPSHOT_SIZE_VER0 %d ends before query, VER1 %d is sizeof",
		    HMAP_IOC_SNAPSHOT_SIZE_VER0, HMAP_IOC_SNAPSHOT_SIZE_VER1);
	ASSERT_EQ(sm_setup(2, SM_N, &st), 0, "create " SM " (4 shards), %d entries", SM_N);
	state_get(SM, &before);
	for (uint32_t size = HMAP_IOC_SNAPSHOT_SIZE_VER0 + 1; size < HMAP_IOC_SNAPSHOT_SIZE_VER1;
	     size++) {
		snap_fill(&sn, SM, 0, 0);
		EXPECT_REFUSED(sized_at(HMAP_IOC_SNAPSHOT, &sn, sizeof(sn), size, 0, 0), EINVAL, SM,
			       &before, "snapshot with size %u (between VER0 and VER1)", size);
	}
	snap_fill(&sn, SM, 0, 0);
	EXPECT_REFUSED(sized_at(HMAP_IOC_SNAPSHOT, &sn, sizeof(sn), HMAP_IOC_SNAPSHOT_SIZE_VER0 - 1,
				0, 0), EINVAL, SM, &before, "snapshot with size VER0 - 1");
	for (size_t i = 0; i < ARRAY_SIZE(bad_query); i++)
		EXPECT_REFUSED(snap_q(SM, bad_query[i], 0, &sn), EINVAL, SM, &before,
			       "snapshot with query %#x", bad_query[i]);
	EXPECT_REFUSED(snap_q(SM, 0, 2, &sn), EINVAL, SM, &before,
		       "snapshot with shard 2 but no HMAP_QUERY_SHARD");
	EXPECT_REFUSED(snap_q(SM, HMAP_QUERY_SHARD, 4, &sn), EINVAL, SM, &before,
		       "snapshot of shard 4 of 4");
	EXPECT_REFUSED(snap_q(SM, HMAP_QUERY_SHARD, 0xffffffff, &sn), EINVAL, SM, &before,
		       "snapshot of shard 0xffffffff of 4");
	snap_fill(&sn, SM, 0, 0);
	sn.reserved5 = 1;
	EXPECT_REFUSED(ioc(HMAP_IOC_SNAPSHOT, &sn), EINVAL, SM, &before, "snapshot with reserved5 1");
	snap_fill(&sn, SM, HMAP_QUERY_SHARD, 1);
	sn.reserved5 = 1U << 31;
	EXPECT_REFUSED(ioc(HMAP_IOC_SNAPSHOT, &sn), EINVAL, SM, &before,
		       "snapshot of shard 1 with reserved5 1 << 31");
	/* A one-table map has shard 0 only. */
	ASSERT_TRUE(!fresh_map(SM1, 8, 8, 0) && !fill(SM1, 8, 8, 0, 100, 0), "create " SM1);
	wait_settled(SM1, &st);
	state_get(SM1, &before);
	EXPECT_REFUSED(snap_q(SM1, HMAP_QUERY_SHARD, 1, &sn), EINVAL, SM1, &before,
		       "snapshot of shard 1 of a one-table map");
}

/* The sums of a snapshot's histograms, and whether they add up. */
struct hist_sums {
	uint64_t chains, bkts, live;
};

static struct hist_sums hist_sums(const struct hmap_ioc_snapshot *sn)
{
	struct hist_sums h = { 0 };

	for (int i = 0; i < HMAP_HIST_CHAIN; i++)
		h.chains += sn->chain_hist[i];
	for (int i = 0; i < HMAP_HIST_SLOTS; i++) {
		h.bkts += sn->slot_hist[i];
		h.live += (uint64_t)i * sn->slot_hist[i];
	}
	return h;
}

TEST_F(shard, snapshot_shards_sum_to_the_whole_map)
{
	struct hmap_ioc_snapshot whole, sh[4], one, one0;
	uint64_t chain[HMAP_HIST_CHAIN] = { 0 }, slot[HMAP_HIST_SLOTS] = { 0 };
	uint64_t count = 0, buckets = 0, novf = 0;
	struct hmap_ioc_stats st;
	struct hist_sums w;
	bool each = true, hist_eq = true, old_zero = true;
	int rc = 0;

	(void)self;
	ASSERT_EQ(sm_setup(2, SM_N, &st), 0, "create " SM " (4 shards), %d entries", SM_N);
	ASSERT_EQ(snap_q(SM, 0, 0, &whole), 0, "snapshot of " SM);
	w = hist_sums(&whole);
	for (int i = 0; i < HMAP_HIST_CHAIN; i++)
		old_zero &= !whole.old_chain_hist[i];
	for (int i = 0; i < HMAP_HIST_SLOTS; i++)
		old_zero &= !whole.old_slot_hist[i];
	EXPECT_TRUE(whole.count == SM_N && whole.shard_bits == 2 && whole.buckets == st.buckets &&
		    whole.growth == HMAP_GROWTH_NONE && !whole.old_buckets && old_zero &&
		    !whole.old_evacuated,
		    "whole map: count %llu, shard_bits %u, buckets %llu as in stats, not growing, old_* zero",
		    (unsigned long long)whole.count, whole.shard_bits,
		    (unsigned long long)whole.buckets);
	EXPECT_EQ(w.chains, whole.buckets, "whole map: chain_hist sums to buckets");
	EXPECT_EQ(w.bkts, whole.buckets + whole.noverflow,
		  "whole map: slot_hist sums to buckets + noverflow");
	EXPECT_EQ(w.live, whole.count, "whole map: live slots = count");
	for (uint32_t s = 0; s < 4 && !rc; s++) {
		struct hist_sums h;

		rc = snap_q(SM, HMAP_QUERY_SHARD, s, &sh[s]);
		if (rc)
			break;
		h = hist_sums(&sh[s]);
		count += sh[s].count;
		buckets += sh[s].buckets;
		novf += sh[s].noverflow;
		for (int i = 0; i < HMAP_HIST_CHAIN; i++)
			chain[i] += sh[s].chain_hist[i];
		for (int i = 0; i < HMAP_HIST_SLOTS; i++)
			slot[i] += sh[s].slot_hist[i];
		if (sh[s].shard != s || sh[s].shard_bits != 2 || sh[s].buckets != 1ULL << sh[s].B ||
		    h.chains != sh[s].buckets || h.bkts != sh[s].buckets + sh[s].noverflow ||
		    h.live != sh[s].count || !sh[s].count) {
			TH_LOG("shard %u: shard %u, shard_bits %u, B %u, buckets %llu, chains %llu, slots %llu, noverflow %llu, live %llu, count %llu",
			       s, sh[s].shard, sh[s].shard_bits, sh[s].B,
			       (unsigned long long)sh[s].buckets, (unsigned long long)h.chains,
			       (unsigned long long)h.bkts, (unsigned long long)sh[s].noverflow,
			       (unsigned long long)h.live, (unsigned long long)sh[s].count);
			each = false;
		}
	}
	ASSERT_EQ(rc, 0, "snapshot of each of the 4 shards");
	EXPECT_TRUE(each, "each shard's snapshot is its own and consistent (2^B buckets, histograms sum up)");
	EXPECT_EQ(count, whole.count, "the shards' counts sum to the whole map's");
	EXPECT_EQ(buckets, whole.buckets, "the shards' buckets sum to the whole map's");
	EXPECT_EQ(novf, whole.noverflow, "the shards' noverflow sum to the whole map's");
	for (int i = 0; i < HMAP_HIST_CHAIN; i++)
		hist_eq &= chain[i] == whole.chain_hist[i];
	for (int i = 0; i < HMAP_HIST_SLOTS; i++)
		hist_eq &= slot[i] == whole.slot_hist[i];
	EXPECT_TRUE(hist_eq, "the whole map's chain_hist and slot_hist are the shards', entry by entry");

	/* The first version's size: the whole map, nothing written past 512 bytes. */
	snap_fill(&one, SM, 0, 0);
	rc = sized_at(HMAP_IOC_SNAPSHOT, &one, HMAP_IOC_SNAPSHOT_SIZE_VER0,
		      HMAP_IOC_SNAPSHOT_SIZE_VER0, 0, 0xa5);
	memset(&one, 0, sizeof(one));
	memcpy(&one, area, HMAP_IOC_SNAPSHOT_SIZE_VER0);
	EXPECT_TRUE(rc == 0 && one.count == SM_N && one.buckets == whole.buckets &&
		    hist_sums(&one).chains == whole.buckets,
		    "snapshot with size VER0: the whole map (%s)", ename(rc));
	EXPECT_TRUE(canary_kept(HMAP_IOC_SNAPSHOT_SIZE_VER0, 0xa5),
		    "snapshot with size VER0: nothing written past it");
	snap_fill(&one, SM, HMAP_QUERY_SHARD, 1);
	rc = sized_at(HMAP_IOC_SNAPSHOT, &one, sizeof(one), HMAP_IOC_SNAPSHOT_SIZE_VER1, 0, 0x5a);
	memcpy(&one, area, sizeof(one));
	EXPECT_TRUE(rc == 0 && one.count == sh[1].count && one.shard == 1 &&
		    canary_kept(HMAP_IOC_SNAPSHOT_SIZE_VER1, 0x5a),
		    "snapshot of shard 1 at size VER1: its count, nothing past it (%s)", ename(rc));

	/* A one-table map's shard 0 is the map. */
	ASSERT_TRUE(!fresh_map(SM1, 8, 8, 0) && !fill(SM1, 8, 8, 0, 700, 0) &&
		    !wait_settled(SM1, &st), "create and fill " SM1);
	rc = snap_q(SM1, 0, 0, &one);
	rc = rc ? rc : snap_q(SM1, HMAP_QUERY_SHARD, 0, &one0);
	EXPECT_TRUE(rc == 0 && one.shard_bits == 0 && one0.count == one.count &&
		    one0.buckets == one.buckets && one0.B == one.B &&
		    !memcmp(one0.chain_hist, one.chain_hist, sizeof(one.chain_hist)) &&
		    !memcmp(one0.slot_hist, one.slot_hist, sizeof(one.slot_hist)),
		    "one table: the snapshot of shard 0 is the whole map's (%s)", ename(rc));
}

/* While shards grow, the old histograms sum over the shards growing. */
TEST_F(shard, snapshot_while_shards_grow)
{
	struct hmap_ioc_stats st;
	int checked = 0, growing = 0;
	bool ok = true;

	(void)self;
	ASSERT_EQ(sm_setup(2, 2000, &st), 0, "create " SM " (4 shards), 2000 entries");
	for (uint64_t id = 2000; id < 5000 && ok; id++) {
		struct hmap_ioc_snapshot sn;
		uint8_t key[8], val[8];
		uint64_t ochains = 0;

		mkkey(key, 8, id);
		mkval(val, 8, id, 0);
		update(SM, key, 8, val, 8, 0);
		if (id % 8)
			continue;
		if (snap_q(SM, 0, 0, &sn)) {
			ok = false;
			break;
		}
		for (int i = 0; i < HMAP_HIST_CHAIN; i++)
			ochains += sn.old_chain_hist[i];
		checked++;
		if (sn.growth == HMAP_GROWTH_NONE)
			continue;
		growing++;
		/* The shards are read one after another: a grow may end between. */
		if (ochains > sn.old_buckets || hist_sums(&sn).chains != sn.buckets ||
		    sn.count != id + 1) {
			TH_LOG("growing: count %llu, buckets %llu, chains %llu, old_buckets %llu, old chains %llu",
			       (unsigned long long)sn.count, (unsigned long long)sn.buckets,
			       (unsigned long long)hist_sums(&sn).chains,
			       (unsigned long long)sn.old_buckets, (unsigned long long)ochains);
			ok = false;
		}
	}
	EXPECT_TRUE(ok && checked > 0,
		    "%d snapshots while 3000 inserts grow the shards (%d growing): chains = buckets, old chains <= old_buckets",
		    checked, growing);
}

/* ---- dump ---- */

#define DUMP_N		4000
#define GROW_BASE	1000000
/* Keys inserted while a dump walks: each of 8 shards of DUMP_N doubles. */
#define DUMP_GROW	8000
static uint64_t grow_next, grow_end;

static int gen_grow(uint64_t id)
{
	if (id < DUMP_N)
		return 0;
	return id >= GROW_BASE && id < grow_next ? 0 : -1;
}

/* Between the calls of a dump: 100 new keys, until grow_end. */
static void grow_between(unsigned int call)
{
	uint8_t key[8], val[8];

	(void)call;
	for (int i = 0; i < 100 && grow_next < grow_end; i++, grow_next++) {
		mkkey(key, 8, grow_next);
		mkval(val, 8, grow_next, 0);
		update(SM, key, 8, val, 8, HMAP_UPDATE_NOEXIST);
	}
}

/* The B of each of SM's 2^@S shards, in @B. */
static int shard_Bs(uint32_t S, uint32_t *B)
{
	struct hmap_ioc_stats st;

	for (uint32_t s = 0; s < 1U << S; s++) {
		int rc = shard_stats(SM, s, &st);

		if (rc)
			return rc;
		B[s] = st.B;
	}
	return 0;
}

TEST_F(shard, dump_returns_each_key_once)
{
	struct hmap_ioc_stats st;
	struct dump_result r;
	int rc;

	(void)self;
	ASSERT_EQ(sm_setup(3, DUMP_N, &st), 0, "create " SM " (8 shards), %d entries, settled", DUMP_N);
	EXPECT_TRUE(st.growth == HMAP_GROWTH_NONE && st.count == DUMP_N,
		    "settled: not growing, count %llu", (unsigned long long)st.count);
	for (uint32_t batch = 7; batch <= 4096; batch *= 24) {
		result_init(&r, DUMP_N);
		r.nshards = 8;
		rc = dump_walk(SM, 0, 8, 8, batch, &r, gen_zero, NULL);
		EXPECT_TRUE(rc == 0 && r.entries == DUMP_N && !r.bad &&
			    result_seen(&r, 0, DUMP_N, 1, 1),
			    "dump of 8 shards, %d entries, batches of %u: each key exactly once (%u calls, %llu entries, %s)",
			    DUMP_N, batch, r.calls, (unsigned long long)r.entries, ename(rc));
		EXPECT_TRUE(!r.cursor_bad && !r.cursor_back,
			    "batches of %u: every cursor names a shard < 8, in order", batch);
		free(r.seen);
	}
}

/* A walk from cursor k << 56 returns shards k..7: exactly their keys. */
TEST_F(shard, dump_cursor_top_byte_is_the_shard)
{
	struct hmap_ioc_stats st, sh;
	uint64_t suffix = 0;
	uint32_t *prev = NULL;
	bool nested = true;
	int rc;

	(void)self;
	ASSERT_EQ(sm_setup(3, DUMP_N, &st), 0, "create " SM " (8 shards), %d entries, settled", DUMP_N);
	for (int k = 7; k >= 0; k--) {
		struct dump_result r;

		rc = shard_stats(SM, (uint32_t)k, &sh);
		ASSERT_EQ(rc, 0, "stats of shard %d", k);
		suffix += sh.count;
		result_init(&r, DUMP_N);
		r.nshards = 8;
		rc = dump_walk(SM, (uint64_t)k << CURSOR_SHIFT, 8, 8, 256, &r, gen_zero, NULL);
		EXPECT_TRUE(rc == 0 && !r.bad && r.entries == suffix &&
			    result_seen(&r, 0, DUMP_N, 0, 1) && !r.cursor_bad && !r.cursor_back,
			    "dump from cursor %d << 56: the %llu entries of shards %d..7, each once (%llu, %s)",
			    k, (unsigned long long)suffix, k, (unsigned long long)r.entries,
			    ename(rc));
		/* What shards k+1..7 returned, shards k..7 return too. */
		for (uint64_t id = 0; prev && id < DUMP_N; id++)
			nested &= !prev[id] || r.seen[id];
		free(prev);
		prev = r.seen;
	}
	EXPECT_EQ(suffix, DUMP_N, "the 8 shards' counts sum to %d", DUMP_N);
	EXPECT_TRUE(nested, "each walk from a later shard returns a subset of the walk from an earlier one");
	free(prev);
}

/*
 * One dump call in a child, which must return within @secs: 0 or -errno,
 * or -ETIME if it did not (the child is left behind: a task looping in
 * the kernel cannot be killed).
 */
static int dump_call_bounded(const char *name, uint64_t cursor, uint32_t count, int secs)
{
	static uint8_t keys[64 * 8], vals[64 * 8];
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int rc = dump_call(name, &cursor, keys, vals, 8, 8, &count);

		_exit(rc < 0 ? -rc : 0);
	}
	for (int i = 0; i < secs * 10; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? -WEXITSTATUS(status) : -EINTR;
		usleep(100000);
	}
	kill(pid, SIGKILL);
	return -ETIME;
}

TEST_F(shard, dump_cursor_past_the_last_shard_is_einval)
{
	static const uint64_t bad[] = {
		0xffULL << CURSOR_SHIFT, 8ULL << CURSOR_SHIFT, (8ULL << CURSOR_SHIFT) | 1,
		0x80ULL << CURSOR_SHIFT, ~0ULL,
	};
	static uint8_t keys[64 * 8], vals[64 * 8];
	struct hmap_ioc_stats st;
	struct state before;
	uint64_t cursor;
	uint32_t count;
	int rc;

	(void)self;
	ASSERT_EQ(sm_setup(3, 2000, &st), 0, "create " SM " (8 shards), 2000 entries");
	state_get(SM, &before);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		rc = dump_call_bounded(SM, bad[i], 64, 20);
		if (rc == -ETIME) {
			EXPECT_TRUE(false, "dump with cursor %#llx (shard %llu of 8) returned within 20 s: it did not (the task loops in the kernel)",
				    (unsigned long long)bad[i],
				    (unsigned long long)(bad[i] >> CURSOR_SHIFT));
			return;	/* one task stuck is enough */
		}
		EXPECT_REFUSED(rc, EINVAL, SM, &before, "dump with cursor %#llx (shard %llu of 8)",
			       (unsigned long long)bad[i], (unsigned long long)(bad[i] >> CURSOR_SHIFT));
	}
	cursor = 7ULL << CURSOR_SHIFT;
	count = 64;
	rc = dump_call(SM, &cursor, keys, vals, 8, 8, &count);
	EXPECT_TRUE(rc == 0 && (cursor == 0 || cursor >> CURSOR_SHIFT == 7),
		    "dump with cursor 7 << 56 (the last shard) -> 0, cursor %#llx (%s)",
		    (unsigned long long)cursor, ename(rc));
}

/* Inserts between the calls make every shard grow while the dump walks. */
TEST_F(shard, dump_while_shards_grow_between_calls)
{
	struct hmap_ioc_stats st0, st1;
	uint32_t B0[8], B1[8];
	unsigned int grew = 0;
	struct dump_result r;
	int rc;

	(void)self;
	ASSERT_EQ(sm_setup(3, DUMP_N, &st0), 0, "create " SM " (8 shards), %d entries", DUMP_N);
	ASSERT_EQ(shard_Bs(3, B0), 0, "each shard's B");
	grow_next = GROW_BASE;
	grow_end = GROW_BASE + DUMP_GROW;
	result_init(&r, DUMP_N);
	r.nshards = 8;
	rc = dump_walk(SM, 0, 8, 8, 32, &r, gen_grow, grow_between);
	wait_settled(SM, &st1);
	ASSERT_EQ(shard_Bs(3, B1), 0, "each shard's B after");
	for (int s = 0; s < 8; s++)
		grew += B1[s] > B0[s];
	EXPECT_TRUE(rc == 0 && !r.bad && result_seen(&r, 0, DUMP_N, 1, UINT32_MAX) &&
		    !r.cursor_bad && !r.cursor_back,
		    "dump of 8 shards while %llu keys were inserted between its %u calls: every key present throughout returned (%llu entries, %s)",
		    (unsigned long long)(grow_next - GROW_BASE), r.calls,
		    (unsigned long long)r.entries, ename(rc));
	EXPECT_TRUE(grew >= 4 && st1.counters[HMAP_STAT_GROWS] > st0.counters[HMAP_STAT_GROWS],
		    "the shards grew meanwhile (%u of 8 shards' B grew, B %u -> %u, %llu grows)", grew,
		    st0.B, st1.B,
		    (unsigned long long)(st1.counters[HMAP_STAT_GROWS] - st0.counters[HMAP_STAT_GROWS]));
	EXPECT_EQ(st1.count, DUMP_N + (grow_next - GROW_BASE), "count after");
	free(r.seen);
}

/* A writer in another process: ids GROW_BASE.. for DUMP_GROW, then it exits. */
static void __attribute__((noreturn)) inserter(void)
{
	uint8_t key[8], val[8];

	for (uint64_t id = GROW_BASE; id < GROW_BASE + DUMP_GROW; id++) {
		mkkey(key, 8, id);
		mkval(val, 8, id, 0);
		if (update(SM, key, 8, val, 8, 0))
			_exit(1);
	}
	_exit(0);
}

TEST_F(shard, dump_while_another_process_inserts)
{
	struct hmap_ioc_stats st0, st1;
	bool ok = true, done = false;
	struct dump_result r;
	int pass, status = 0, rc = 0;
	pid_t pid;

	(void)self;
	ASSERT_EQ(sm_setup(3, DUMP_N, &st0), 0, "create " SM " (8 shards), %d entries", DUMP_N);
	pid = fork();
	ASSERT_TRUE(pid >= 0, "fork");
	if (pid == 0)
		inserter();
	grow_next = GROW_BASE + DUMP_GROW;
	for (pass = 0; pass < 1000 && ok && !done; pass++) {
		done = waitpid(pid, &status, WNOHANG) == pid;
		result_init(&r, DUMP_N);
		r.nshards = 8;
		rc = dump_walk(SM, 0, 8, 8, 64, &r, gen_grow, NULL);
		ok = rc == 0 && !r.bad && result_seen(&r, 0, DUMP_N, 1, UINT32_MAX) &&
		     !r.cursor_bad && !r.cursor_back;
		free(r.seen);
	}
	if (!done) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	map_stats(SM, &st1);
	EXPECT_TRUE(ok, "%d dumps of 8 shards while another process inserts (count %llu -> %llu, %llu grows): every key present throughout returned by each (%s)",
		    pass, (unsigned long long)st0.count, (unsigned long long)st1.count,
		    (unsigned long long)(st1.counters[HMAP_STAT_GROWS] - st0.counters[HMAP_STAT_GROWS]),
		    ename(rc));
	EXPECT_TRUE(!done || (WIFEXITED(status) && WEXITSTATUS(status) == 0),
		    "the inserter's %d inserts succeeded", DUMP_GROW);
}

/* ---- max_entries ---- */

TEST_F(shard, max_entries_split_between_shards)
{
	struct hmap_ioc_stats st, sh;
	struct state before;
	uint8_t key[8], val[8];
	unsigned int e2big = 0, other = 0, over = 0;
	uint64_t id, last_refused = 0;
	bool shards_ok = true;
	int rc;

	(void)self;
	ASSERT_EQ(create_sharded(SM, 8, 8, 64, 0, 2), 0, "create " SM ", max_entries 64, 4 shards");
	rc = map_stats(SM, &st);
	EXPECT_TRUE(rc == 0 && st.max_entries == 64 && st.shard_bits == 2,
		    "stats: max_entries %u, shard_bits %u", st.max_entries, st.shard_bits);
	for (id = 0; id < 2000; id++) {
		long long n;

		mkkey(key, 8, id);
		mkval(val, 8, id, 0);
		rc = update(SM, key, 8, val, 8, HMAP_UPDATE_ANY);
		if (rc == -E2BIG) {
			e2big++;
			last_refused = id;
		} else if (rc) {
			if (other++ < 3)
				TH_LOG("insert %llu: %s", (unsigned long long)id, ename(rc));
		}
		n = map_count(SM);
		if (n > 64 && over++ < 3)
			TH_LOG("after insert %llu: count %lld", (unsigned long long)id, n);
	}
	EXPECT_TRUE(e2big > 0 && !other && !over,
		    "2000 inserts into 4 shards of 16: %u refused with E2BIG, no other error, count never over 64",
		    e2big);
	rc = map_stats(SM, &st);
	EXPECT_TRUE(rc == 0 && st.count == 64,
		    "every shard filled up in the end: count %llu", (unsigned long long)st.count);
	for (uint32_t s = 0; s < 4; s++) {
		rc = shard_stats(SM, s, &sh);
		if (rc || sh.max_entries != 16 || sh.count != 16) {
			TH_LOG("shard %u: max_entries %u, count %llu (%s)", s, sh.max_entries,
			       (unsigned long long)sh.count, ename(rc));
			shards_ok = false;
		}
	}
	EXPECT_TRUE(shards_ok, "each shard: max_entries 16, holding 16");

	/* A refused insert changes nothing; a replace in a full shard works. */
	wait_settled(SM, &st);
	state_get(SM, &before);
	mkkey(key, 8, last_refused);
	mkval(val, 8, last_refused, 0);
	EXPECT_REFUSED(update(SM, key, 8, val, 8, HMAP_UPDATE_NOEXIST), E2BIG, SM, &before,
		       "insert of key %llu into its full shard", (unsigned long long)last_refused);
	mkkey(key, 8, 0);
	mkval(val, 8, 0, 1);
	rc = update(SM, key, 8, val, 8, HMAP_UPDATE_ANY);
	EXPECT_TRUE(rc == 0 && map_count(SM) == 64 && lookup(SM, key, 8, val, 8) == 0 &&
		    val_ok(val, 8, 0, 1),
		    "replace of key 0 in a full map -> 0, the new value (%s)", ename(rc));
	/* Room in one shard: a delete there lets that key back in. */
	mkkey(key, 8, 0);
	rc = delete(SM, key, 8);
	mkval(val, 8, 0, 0);
	rc = rc ? rc : update(SM, key, 8, val, 8, HMAP_UPDATE_NOEXIST);
	EXPECT_TRUE(rc == 0 && map_count(SM) == 64,
		    "delete of key 0, then its insert again -> 0 (%s)", ename(rc));
}
