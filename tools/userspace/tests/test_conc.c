// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency: lockless readers against a writer that grows and shrinks the
 * map, with the shims' RCU thread and work thread running (so grace
 * periods, deferred frees, cache reuse and the background evacuation
 * worker all happen concurrently, as in the kernel).
 *
 * Stable keys are present throughout; the writer updates their values (a
 * value carries its key and generation and is otherwise a pattern of both,
 * so a torn copy shows) and publishes each generation after hmap_update()
 * returns, so a reader can check that a lookup sees every update that
 * returned before it began. Churn keys come and go by thousands, which
 * makes the map double and halve again and again.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/rcupdate.h>
#include <shim.h>

#include "hmap_core.h"
#include "test.h"

#define NSTABLE		512
#define CHURN_BASE	(1ULL << 20)
#define ABSENT_BASE	(1ULL << 40)

struct conc {
	struct hmap *map;
	u32 vs;
	u64 nchurn;			/* keys of the writer; the churner has as many after */
	/*
	 * Per churn key (2 * nchurn): a version a writer increments before
	 * and after each insert or delete (odd: a write in flight), and
	 * whether the key is in the map (valid while the version is even).
	 */
	u32 *ver;
	u8 *present;
	bool paused;			/* the churner waits (atomic) */
	unsigned long changed_dups;	/* keys written during a walk, returned twice */
	u32 gen[NSTABLE];		/* published generations (atomic) */
	bool stop;			/* atomic */
	unsigned long errors;		/* atomic */
	unsigned long lookups, walks, scans;	/* atomic */
};

static void conc_error(struct conc *c, const char *fmt, u64 a, u64 b)
{
	if (__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED) < 10)
		test_fail(__FILE__, __LINE__, fmt, (unsigned long long)a,
			  (unsigned long long)b);
}

static void conc_value(u32 vs, u64 id, u32 gen, u8 *buf)
{
	test_value(vs, id, gen, buf);
	memcpy(buf, &id, 8);
	memcpy(buf + 8, &gen, 4);
}

/* An insert (or delete) of churn key @id, its version bumped around it. */
static int churn_write(struct conc *c, u64 id, bool insert, u32 gen, u8 *val)
{
	u64 k = id - CHURN_BASE;
	u8 key[8];
	int err;

	test_key(8, id, key);
	__atomic_fetch_add(&c->ver[k], 1, __ATOMIC_SEQ_CST);
	if (insert) {
		conc_value(c->vs, id, gen, val);
		err = hmap_update(c->map, key, val, HMAP_UPDATE_ANY);
	} else {
		err = hmap_delete(c->map, key);
	}
	if (!err)
		__atomic_store_n(&c->present[k], insert, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&c->ver[k], 1, __ATOMIC_SEQ_CST);
	return err;
}

/* Checks a value copied out for key @id; returns its generation. */
static u32 conc_check_value(struct conc *c, u64 id, const u8 *val, u8 *tmp)
{
	u64 vid;
	u32 gen;

	memcpy(&vid, val, 8);
	memcpy(&gen, val + 8, 4);
	if (vid != id) {
		conc_error(c, "key %llu has the value of key %llu", id, vid);
		return 0;
	}
	conc_value(c->vs, id, gen, tmp);
	if (memcmp(val, tmp, c->vs))
		conc_error(c, "key %llu: torn value (generation %llu)", id, gen);
	return gen;
}

static bool conc_stopped(struct conc *c)
{
	return __atomic_load_n(&c->stop, __ATOMIC_ACQUIRE);
}

static u64 rnd(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void *reader(void *arg)
{
	struct conc *c = arg;
	u8 key[8], *val = malloc(c->vs), *tmp = malloc(c->vs);
	u64 s = (u64)(uintptr_t)&s | 1, n = 0;

	while (!conc_stopped(c)) {
		rcu_read_lock();	/* lookups nest inside */
		for (int j = 0; j < 32; j++, n++) {
			u64 r = rnd(&s), id;
			u32 g0, g;
			int err;

			switch (r % 8) {
			case 0:		/* never present */
				id = ABSENT_BASE + (r >> 8) % 100000;
				test_key(8, id, key);
				err = hmap_lookup(c->map, key, val);
				if (err != -ENOENT)
					conc_error(c, "absent key %llu: %llu", id, (u64)err);
				break;
			case 1:		/* churn: present or not */
				id = CHURN_BASE + (r >> 8) % (2 * c->nchurn);
				test_key(8, id, key);
				err = hmap_lookup(c->map, key, val);
				if (!err)
					conc_check_value(c, id, val, tmp);
				else if (err != -ENOENT)
					conc_error(c, "churn key %llu: %llu", id, (u64)err);
				break;
			default:	/* stable */
				id = (r >> 8) % NSTABLE;
				test_key(8, id, key);
				g0 = __atomic_load_n(&c->gen[id], __ATOMIC_ACQUIRE);
				err = hmap_lookup(c->map, key, val);
				if (err) {
					conc_error(c, "stable key %llu missing: %llu", id, (u64)err);
					break;
				}
				g = conc_check_value(c, id, val, tmp);
				if (g < g0)
					conc_error(c, "stable key %llu: generation %llu, older than the last update's",
						   id, g);
				break;
			}
		}
		rcu_read_unlock();
	}
	__atomic_fetch_add(&c->lookups, n, __ATOMIC_RELAXED);
	free(val);
	free(tmp);
	return NULL;
}

/*
 * Full walks: every stable key exactly once; a churn key that no write
 * touched during the walk exactly once if it was in the map, never if it
 * was not (writes to it during the walk: no promise but a valid value).
 */
static void *walker(void *arg)
{
	struct conc *c = arg;
	u64 nk = 2 * c->nchurn;
	u8 key[8], *val = malloc(c->vs), *tmp = malloc(c->vs);
	u8 *seen = malloc(nk);
	u32 *v0 = malloc(nk * sizeof(*v0));
	u8 stable[NSTABLE];
	u32 g0[NSTABLE];
	unsigned long walks = 0;

	while (!conc_stopped(c)) {
		struct hmap_iter it;
		u64 n = 0;

		memset(stable, 0, sizeof(stable));
		memset(seen, 0, nk);
		for (int i = 0; i < NSTABLE; i++)
			g0[i] = __atomic_load_n(&c->gen[i], __ATOMIC_ACQUIRE);
		for (u64 k = 0; k < nk; k++)
			v0[k] = __atomic_load_n(&c->ver[k], __ATOMIC_SEQ_CST);
		rcu_read_lock();
		hmap_iter_init(c->map, &it);
		while (!hmap_iter_next(&it, key, val) && n++ < 1000000) {
			u64 id = test_key_id(8, key);

			if (!test_key_valid(8, key)) {
				conc_error(c, "walk returned a garbled key %llu%llu", id, 0);
			} else if (id < NSTABLE) {
				if (stable[id]++)
					conc_error(c, "walk returned stable key %llu twice%llu", id, 0);
				if (conc_check_value(c, id, val, tmp) < g0[id])
					conc_error(c, "walk: stable key %llu older than generation %llu",
						   id, g0[id]);
			} else if (id >= CHURN_BASE && id < CHURN_BASE + nk) {
				if (seen[id - CHURN_BASE] < 255)
					seen[id - CHURN_BASE]++;
				conc_check_value(c, id, val, tmp);
			} else {
				conc_error(c, "walk returned key %llu, never inserted%llu", id, 0);
			}
		}
		for (u64 k = 0; k < nk; k++) {
			/*
			 * The flag first: a write that changed it since v0 also
			 * moved the version before the load below.
			 */
			u8 want = __atomic_load_n(&c->present[k], __ATOMIC_SEQ_CST);
			u32 v1 = __atomic_load_n(&c->ver[k], __ATOMIC_SEQ_CST);

			if (v1 != v0[k] || (v1 & 1)) {
				if (seen[k] > 1)
					__atomic_fetch_add(&c->changed_dups, 1, __ATOMIC_RELAXED);
				continue;
			}
			if (seen[k] != want)
				conc_error(c, want ? "walk returned churn key %llu %llu times, present throughout" :
					   "walk returned churn key %llu %llu times, absent throughout",
					   CHURN_BASE + k, seen[k]);
		}
		rcu_read_unlock();
		for (int i = 0; i < NSTABLE; i++)
			if (!stable[i])
				conc_error(c, "walk missed stable key %llu%llu", i, 0);
		walks++;
	}
	__atomic_fetch_add(&c->walks, walks, __ATOMIC_RELAXED);
	free(val);
	free(tmp);
	free(seen);
	free(v0);
	return NULL;
}

/* Resumable scans: every stable key at least once; introspection calls. */
static void *scanner(void *arg)
{
	struct conc *c = arg;
	u32 room = 64, n;
	u8 *keys = malloc(room * 8), *vals = malloc((size_t)room * c->vs);
	u8 *tmp = malloc(c->vs);
	u8 stable[NSTABLE];
	unsigned long scans = 0;
	u64 s = 88172645463325252ULL;

	while (!conc_stopped(c)) {
		u64 cursor = 0, calls = 0;
		struct hmap_histogram h;
		struct hmap_bucket_snap snap;
		struct hmap_info info;
		int err;

		memset(stable, 0, sizeof(stable));
		for (;;) {
			err = hmap_scan(c->map, &cursor, keys, vals, room, &n);
			if (err == -ENOSPC) {
				room = n;
				keys = realloc(keys, room * 8);
				vals = realloc(vals, (size_t)room * c->vs);
				continue;
			}
			if (err) {
				conc_error(c, "scan: %llu%llu", (u64)err, 0);
				break;
			}
			for (u32 j = 0; j < n; j++) {
				u64 id = test_key_id(8, keys + j * 8);

				if (id < NSTABLE)
					stable[id] = 1;
				else if (id < CHURN_BASE || id >= CHURN_BASE + 2 * c->nchurn)
					conc_error(c, "scan returned key %llu%llu", id, 0);
				conc_check_value(c, id, vals + (size_t)j * c->vs, tmp);
			}
			if (!cursor || ++calls >= 10000000)
				break;
		}
		for (int i = 0; i < NSTABLE; i++)
			if (!stable[i])
				conc_error(c, "scan missed stable key %llu%llu", i, 0);
		scans++;

		/* What debugfs does while the map changes. */
		hmap_get_info(c->map, &info);
		if (info.count < NSTABLE)
			conc_error(c, "count %llu below the %llu stable keys", info.count, NSTABLE);
		hmap_get_histogram(c->map, false, &h);
		hmap_get_histogram(c->map, true, &h);
		hmap_snapshot_bucket(c->map, false, rnd(&s) & ((1ULL << info.B) - 1), &snap);
		hmap_snapshot_bucket(c->map, true, rnd(&s) & 1023, &snap);
	}
	__atomic_fetch_add(&c->scans, scans, __ATOMIC_RELAXED);
	free(keys);
	free(vals);
	free(tmp);
	return NULL;
}

/*
 * A second writer on keys of its own: writers contend for the map's lock,
 * and inserts and deletes come from two threads (two "CPUs" of the
 * per-CPU caches). It leaves none of its keys behind.
 */
static void *churner(void *arg)
{
	struct conc *c = arg;
	u8 *val = malloc(c->vs);
	u64 n = c->nchurn / 4, round = 0, i, id;
	int err;

	while (!conc_stopped(c)) {
		for (int phase = 0; phase < 2; phase++) {
			for (i = 0; i < n; i++) {
				/* The writer's pauses are the worker's turn: pause too. */
				while (__atomic_load_n(&c->paused, __ATOMIC_ACQUIRE) &&
				       !conc_stopped(c))
					usleep(1000);
				id = CHURN_BASE + c->nchurn + (i * 7 + round) % c->nchurn;
				err = churn_write(c, id, phase == 0, 1000000 + (u32)round, val);
				if (err)
					conc_error(c, "churner write of key %llu: %llu", id, (u64)err);
			}
		}
		round++;
	}
	free(val);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void conc_run(u32 vs, u64 nchurn, int nreaders)
{
	struct conc *c = calloc(1, sizeof(*c));
	pthread_t th[8];
	int nth = 0, err;
	u8 key[8], *val = malloc(vs);
	double t0 = now_s();
	u64 rounds = 0, i, id;
	struct hmap_info info;

	c->vs = vs;
	c->nchurn = nchurn;
	c->ver = calloc(2 * nchurn, sizeof(*c->ver));
	c->present = calloc(2 * nchurn, 1);
	c->map = test_create(8, vs, 0, 0);
	if (!c->map)
		goto out;
	for (i = 0; i < NSTABLE; i++) {
		test_key(8, i, key);
		conc_value(vs, i, 1, val);
		CHECK_EQ(hmap_update(c->map, key, val, HMAP_UPDATE_NOEXIST), 0);
		c->gen[i] = 1;
	}
	for (int r = 0; r < nreaders; r++)
		pthread_create(&th[nth++], NULL, reader, c);
	pthread_create(&th[nth++], NULL, walker, c);
	pthread_create(&th[nth++], NULL, scanner, c);
	pthread_create(&th[nth++], NULL, churner, c);

	/* The writer: rounds of growing to thousands of churn keys and back. */
	while ((now_s() - t0 < test_conc_seconds || rounds < 2) &&
	       !__atomic_load_n(&c->errors, __ATOMIC_RELAXED)) {
		for (int phase = 0; phase < 2; phase++) {
			/*
			 * Now and then (and until it first happened) a pause
			 * mid-grow: the background worker's turn.
			 */
			bool pause = rounds % 4 == 1 ||
				     !test_info(c->map).counters[HMAP_STAT_EVACUATED_BG];

			for (i = 0; i < nchurn; i++) {
				if (pause && i % 64 == 0 &&
				    test_info(c->map).growth != HMAP_GROWTH_NONE) {
					/*
					 * Until the worker, seeing the writes stop,
					 * has evacuated (or 5 s on a loaded machine).
					 */
					u64 bg = test_info(c->map).counters[HMAP_STAT_EVACUATED_BG];
					double tp = now_s();

					__atomic_store_n(&c->paused, true, __ATOMIC_RELEASE);
					do
						usleep(20 * 1000);
					while (test_info(c->map).counters[HMAP_STAT_EVACUATED_BG] == bg &&
					       now_s() - tp < 5);
					__atomic_store_n(&c->paused, false, __ATOMIC_RELEASE);
					pause = false;
				}
				id = CHURN_BASE + i;
				err = churn_write(c, id, phase == 0, (u32)rounds + 1, val);
				if (err)
					conc_error(c, "churn write of key %llu: %llu", id, (u64)err);
				if (i % 8 == 0) {	/* a stable key gets a new value */
					u64 sid = (i / 8 + rounds * 7) % NSTABLE;
					u32 g = c->gen[sid] + 1;

					test_key(8, sid, key);
					conc_value(vs, sid, g, val);
					err = hmap_update(c->map, key, val, HMAP_UPDATE_EXIST);
					if (err)
						conc_error(c, "update of stable key %llu: %llu", sid, (u64)err);
					__atomic_store_n(&c->gen[sid], g, __ATOMIC_RELEASE);
				}
			}
		}
		rounds++;
	}
	__atomic_store_n(&c->stop, true, __ATOMIC_RELEASE);
	for (int t = 0; t < nth; t++)
		pthread_join(th[t], NULL);

	info = test_info(c->map);
	CHECK_EQ(info.count, NSTABLE);
	CHECK(info.counters[HMAP_STAT_GROWS] >= 2, "%llu grows", info.counters[HMAP_STAT_GROWS]);
	CHECK(info.counters[HMAP_STAT_SHRINKS] >= 1, "%llu shrinks", info.counters[HMAP_STAT_SHRINKS]);
	CHECK(c->lookups > 0 && c->walks > 0 && c->scans > 0);
	CHECK(info.counters[HMAP_STAT_EVACUATED_BG] > 0, "the worker never evacuated");
	if (test_verbose)
		printf("    value %u: %llu rounds, %lu lookups, %lu walks, %lu scans, "
		       "%llu grows, %llu shrinks, %llu evacuated by the worker, "
		       "%llu reader retries, %llu cache hits, %lu duplicates of keys "
		       "written during a walk\n",
		       vs, (unsigned long long)rounds, c->lookups, c->walks, c->scans,
		       info.counters[HMAP_STAT_GROWS], info.counters[HMAP_STAT_SHRINKS],
		       info.counters[HMAP_STAT_EVACUATED_BG],
		       info.counters[HMAP_STAT_READER_RETRIES],
		       info.counters[HMAP_STAT_CACHE_HITS], c->changed_dups);
	for (i = 0; i < NSTABLE; i++) {
		u8 tmp[4096];

		test_key(8, i, key);
		CHECK_EQ(hmap_lookup(c->map, key, val), 0);
		CHECK_EQ(conc_check_value(c, i, val, tmp), c->gen[i]);
	}
	test_destroy(c->map);
out:
	free(val);
	free(c->ver);
	free(c->present);
	free(c);
}

static void readers_during_grow_and_shrink_inline(void)
{
	conc_run(16, 4000, 3);
}

static void readers_during_grow_and_shrink_out_of_line(void)
{
	conc_run(256, 2000, 3);
}

static const struct test_case conc_cases[] = {
	{ "readers_during_grow_and_shrink_inline", readers_during_grow_and_shrink_inline },
	{ "readers_during_grow_and_shrink_out_of_line", readers_during_grow_and_shrink_out_of_line },
	{ NULL, NULL },
};

const struct test_group conc_group = { "conc", conc_cases, true };
