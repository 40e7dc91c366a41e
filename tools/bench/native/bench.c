// SPDX-License-Identifier: GPL-2.0
/*
 * bench-native: the hmap core, built in userspace against the benchmark
 * build of the shims (-DSHIM_BENCH, tools/userspace/include/shim/bench.h:
 * liburcu-memb's inline read side, per-thread per-CPU counters, no
 * checks), with each of its hashes (hmap-sip: SipHash, the default;
 * hmap-fast: HMAP_HASH_FAST), against liburcu's rculfhash and abseil's
 * absl::flat_hash_map (single-threaded: 1 reader only), on the keys
 * map.go gives Go's map.
 *
 * Keys and values are 8 bytes. Keys are splitmix64(seed + i), i < 2N: the
 * first N are inserted (value ~key), the other N are the misses. For each
 * entry count N, each round runs every map once, in an order that rotates
 * with the round (-k: the first round's number, so that rounds in
 * separate runs rotate too):
 *
 *   insert   N keys into an empty map (grows from empty); for N < 65536
 *            the insert loops of 65536/N fresh maps are timed and summed
 *   hit/miss lookups of present/absent keys by 1 and by T reader threads
 *            (T = online CPUs), after the map has settled (hmap's
 *            background worker finished any grow, rculfhash's resize
 *            worker idle); each thread walks the keys from its own start
 *   delete   (not rculfhash) all N keys of a settled map of N, in order, until
 *            it is empty; for N < 65536 of 65536/N fresh maps, summed
 *   bytes    per entry: hmap_get_info().memory / count for hmap, and the
 *            malloc heap in use (mallinfo2 uordblks + hblkhd) after minus
 *            before, for all
 *   lat_*    grow latency: N inserts from empty, each timed alone
 *            (clock_gettime, its overhead included), percentiles
 *
 * Output: one line per figure and round, "R <map> <entries> <metric>
 * <value>", which tools/bench/native/table.py turns into the table (the
 * median over the rounds). Timer overhead and errors as "# " lines.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/err.h>
#include <shim.h>
#include <shim/bench.h>
#include <hmap/hmap.h>
#include <hmap_core.h>	/* hmap_core_init(): what loading hmap.ko does */

#include "bench.h"

typedef unsigned long long ull;

#define MAXV(a, b) ((a) > (b) ? (a) : (b))

static ull seed = 0x5eed0fb0a7c4e11dULL;
static unsigned int reps = 1;
static unsigned int round0;
/* -m MAP, -c CASE: one map, one case (hit1 or delete), for profiling. */
static const char *only_map, *only_case;
static ull churn_ops;		/* -d: delete case of -c: deletes in all */
static ull lookup_ops = 1 << 21;
static unsigned int nthreads;
static ull errors;

static ull now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ull)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* splitmix64 of a counter: distinct counters, distinct keys (map.go too). */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static ull heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* ---- the maps ---- */

struct driver {
	const char *name;
	void *(*create)(size_t n);
	int (*insert)(void *m, uint64_t k, uint64_t v);
	int (*lookup)(void *m, uint64_t k, uint64_t *v);
	int (*delete)(void *m, uint64_t k);
	void (*destroy)(void *m);
	void (*enter)(unsigned int tid);
	void (*leave)(void);
	void (*settle)(void *m);	/* until idle, before lookups */
	void (*quiet)(void *m);		/* deferred work done, before deletes */
	ull (*memory)(void *m);		/* the map's own figure, or 0 */
	ull (*ours)(void *m);		/* heap of the bench's, not the map's */
	int multi;			/* concurrent readers allowed */
};

static void *hm_create_hash(u32 hash)
{
	struct hmap_params p = { .key_size = 8, .value_size = 8, .hash = hash };
	struct hmap *m = hmap_create(&p);

	if (IS_ERR_OR_NULL(m)) {
		fprintf(stderr, "bench-native: hmap_create: %ld\n", PTR_ERR(m));
		exit(1);
	}
	return m;
}

static void *hm_create_sip(size_t n)
{
	return hm_create_hash(HMAP_HASH_SIPHASH);
}

static void *hm_create_fast(size_t n)
{
	return hm_create_hash(HMAP_HASH_FAST);
}

static int hm_insert(void *m, uint64_t k, uint64_t v)
{
	return hmap_update(m, &k, &v, HMAP_UPDATE_ANY, GFP_KERNEL);
}

static int hm_lookup(void *m, uint64_t k, uint64_t *v)
{
	return hmap_lookup(m, &k, v);
}

static int hm_delete(void *m, uint64_t k)
{
	return hmap_delete(m, &k, GFP_KERNEL);
}

/* An RCU reader with a CPU of its own (reader i: CPU i; writers: CPU 0). */
static void hm_enter(unsigned int tid)
{
	shim_bench_thread_enter(tid % (SHIM_NR_CPUS - 2));
}

/* Waits for the deferred frees (an RCU work item frees the arrays), so
 * that they do not land in the next map's memory figure. */
static void hm_destroy(void *m)
{
	hmap_destroy(m);
	shim_quiesce();
}

static void nothing(void)
{
}

static void nothing_map(void *m)
{
}

/* Until the background worker has finished any grow (its idle delay is
 * 50 ms by default), at most 5 s. */
static void hm_settle(void *m)
{
	struct hmap_info info;
	int i;

	for (i = 0; i < 500; i++) {
		hmap_get_info(m, &info);
		if (info.growth == HMAP_GROWTH_NONE)
			break;
		usleep(1000);
	}
	/* the arrays grown out of are freed after a grace period */
	shim_quiesce();
}

static ull hm_memory(void *m)
{
	struct hmap_info info;

	hmap_get_info(m, &info);
	return info.memory;
}

static void lf_settle_map(void *m)
{
	/* resizes run in rculfhash's own worker: give it time */
	lf_settle();
	usleep(100000);
	lf_settle();
}

static void lf_quiet(void *m)
{
	lf_settle();
}

static void lf_enter(unsigned int tid)
{
	lf_thread_enter();
}

static void ab_enter(unsigned int tid)
{
}

static ull no_memory(void *m)
{
	return 0;
}

static const struct driver drivers[] = {
	{ "hmap-sip", hm_create_sip, hm_insert, hm_lookup, hm_delete, hm_destroy,
	  hm_enter, shim_bench_thread_leave, hm_settle, hm_settle, hm_memory,
	  no_memory, 1 },
	{ "hmap-fast", hm_create_fast, hm_insert, hm_lookup, hm_delete,
	  hm_destroy, hm_enter, shim_bench_thread_leave, hm_settle, hm_settle,
	  hm_memory, no_memory, 1 },
	/* no delete: cds_lfht_add_unique() was seen spinning for minutes
	 * filling a fresh 1M map right after the previous one's destroy */
	{ "rculfhash", lf_create, lf_insert, lf_lookup, NULL, lf_destroy,
	  lf_enter, lf_thread_leave, lf_settle_map, lf_quiet, no_memory,
	  lf_ours, 1 },
	{ "abseil", ab_create, ab_insert, ab_lookup, ab_delete, ab_destroy,
	  ab_enter, nothing, nothing_map, nothing_map, no_memory, no_memory, 0 },
};
#define NDRIVERS (sizeof(drivers) / sizeof(drivers[0]))

/* ---- running things in threads ----
 *
 * Every phase runs in threads of its own, each registered with its map's
 * RCU (rculfhash's liburcu-memb, the hmap shims' via
 * shim_bench_thread_enter(), which also gives it its CPU: reader i CPU
 * i); the main thread stays out of both. */

struct job {
	const struct driver *d;
	const uint64_t *keys;
	size_t n;
	void *map;
	int what;		/* JOB_* */
	unsigned int tid, nt;
	int miss;
	pthread_barrier_t *bar;
	ull t0, t1, ops, found;
	ull *lat;		/* JOB_LATENCY: n times */
	ull ins_ns;		/* JOB_INSERT, JOB_DELETE: summed loops */
	ull bytes_malloc;
};

enum { JOB_INSERT, JOB_LOOKUP, JOB_LATENCY, JOB_DESTROY, JOB_DELETE };

static void *job_run(void *arg)
{
	struct job *j = arg;
	const struct driver *d = j->d;
	uint64_t v, sum = 0;
	size_t i, pos;
	ull t;

	d->enter(j->tid);
	switch (j->what) {
	case JOB_INSERT: {
		/* small maps: the insert loops of several fresh maps */
		size_t loops = j->n < 65536 ? 65536 / j->n : 1, l;

		j->ins_ns = 0;
		for (l = 0; l < loops; l++) {
			ull before = heap_in_use();
			void *m = d->create(j->n);

			t = now_ns();
			for (i = 0; i < j->n; i++)
				if (d->insert(m, j->keys[i], ~j->keys[i]))
					__atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
			j->ins_ns += now_ns() - t;
			if (l + 1 < loops) {
				d->destroy(m);
			} else {
				d->settle(m);
				j->bytes_malloc = heap_in_use() - before - d->ours(m);
				j->map = m;
			}
		}
		break;
	}
	case JOB_LOOKUP: {
		const uint64_t *keys = j->keys + (j->miss ? j->n : 0);

		pos = (size_t)((ull)j->n * j->tid / j->nt);
		j->found = 0;
		pthread_barrier_wait(j->bar);
		j->t0 = now_ns();
		for (i = 0; i < j->ops; i++) {
			if (d->lookup(j->map, keys[pos], &v) == 0) {
				sum += v;
				j->found++;
			}
			if (++pos == j->n)
				pos = 0;
		}
		j->t1 = now_ns();
		if (j->found != (j->miss ? 0 : j->ops))
			__atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
		__asm__ volatile("" : : "r"(sum));
		break;
	}
	case JOB_LATENCY: {
		void *m = d->create(j->n);

		for (i = 0; i < j->n; i++) {
			t = now_ns();
			if (d->insert(m, j->keys[i], ~j->keys[i]))
				__atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
			j->lat[i] = now_ns() - t;
		}
		d->destroy(m);
		break;
	}
	case JOB_DESTROY:
		d->destroy(j->map);
		break;
	case JOB_DELETE: {
		/* small maps: the delete loops of several full maps */
		size_t loops = j->n < 65536 ? 65536 / j->n : 1, l;

		j->ins_ns = 0;
		if (churn_ops) {
			/* profiling: fill and empty one map, no waits */
			void *m = d->create(j->n);

			for (l = 0; l < MAXV(churn_ops / j->n, 1); l++) {
				for (i = 0; i < j->n; i++)
					d->insert(m, j->keys[i], ~j->keys[i]);
				t = now_ns();
				for (i = 0; i < j->n; i++)
					if (d->delete(m, j->keys[i]))
						__atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
				j->ins_ns += now_ns() - t;
			}
			d->destroy(m);
			break;
		}
		for (l = 0; l < loops; l++) {
			void *m = d->create(j->n);

			for (i = 0; i < j->n; i++)
				if (d->insert(m, j->keys[i], ~j->keys[i]))
					__atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
			d->quiet(m);
			t = now_ns();
			for (i = 0; i < j->n; i++)
				if (d->delete(m, j->keys[i]))
					__atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
			j->ins_ns += now_ns() - t;
			d->destroy(m);
		}
		break;
	}
	}
	d->leave();
	return NULL;
}

static void run1(struct job *j)
{
	pthread_t th;

	pthread_create(&th, NULL, job_run, j);
	pthread_join(th, NULL);
}

/* Lookups by nt threads; returns ops/s over the whole (first start to
 * last end). */
static ull lookups(const struct driver *d, void *map, const uint64_t *keys,
		   size_t n, unsigned int nt, int miss)
{
	struct job jobs[64];
	pthread_t th[64];
	pthread_barrier_t bar;
	ull t0 = ~0ULL, t1 = 0, ops = 0;
	unsigned int i;

	pthread_barrier_init(&bar, NULL, nt);
	for (i = 0; i < nt; i++) {
		jobs[i] = (struct job){ .d = d, .keys = keys, .n = n, .map = map,
			.what = JOB_LOOKUP, .tid = i, .nt = nt, .miss = miss,
			.bar = &bar, .ops = lookup_ops > n ? lookup_ops : n };
		pthread_create(&th[i], NULL, job_run, &jobs[i]);
	}
	for (i = 0; i < nt; i++) {
		pthread_join(th[i], NULL);
		t0 = jobs[i].t0 < t0 ? jobs[i].t0 : t0;
		t1 = jobs[i].t1 > t1 ? jobs[i].t1 : t1;
		ops += jobs[i].ops;
	}
	pthread_barrier_destroy(&bar);
	return t1 > t0 ? (ull)((double)ops * 1e9 / (t1 - t0)) : 0;
}

static int cmp_ull(const void *a, const void *b)
{
	ull x = *(const ull *)a, y = *(const ull *)b;

	return x < y ? -1 : x > y;
}

#define MINV(a, b) ((a) < (b) ? (a) : (b))

static void print_rate(const char *map, size_t n, const char *what, ull v)
{
	printf("R %s %zu %s %llu\n", map, n, what, v);
}

/* One round over every map for @n entries, the order rotated by @round. */
static void bench_size(size_t n, unsigned int round, const uint64_t *keys,
		       ull *lat)
{
	unsigned int x, k;
	size_t i, loops = n < 65536 ? 65536 / n : 1;

	for (x = 0; x < NDRIVERS; x++) {
		const struct driver *d;
		struct job j = { .keys = keys, .n = n, .what = JOB_INSERT };
		ull sum = 0;

		k = (x + round) % NDRIVERS;
		d = &drivers[k];
		if (only_map && strcmp(only_map, d->name))
			continue;
		if (only_case && !strcmp(only_case, "delete") && d->delete) {
			j = (struct job){ .d = d, .keys = keys, .n = n,
					  .what = JOB_DELETE };
			run1(&j);
			print_rate(d->name, n, "delete", j.ins_ns ? (ull)((double)n *
				   (churn_ops ? MAXV(churn_ops / n, 1) : loops) *
				   1e9 / j.ins_ns) : 0);
			continue;
		}
		j.d = d;
		run1(&j);
		if (only_case) {
			print_rate(d->name, n, "hit1",
				   lookups(d, j.map, keys, n, 1, 0));
			j.what = JOB_DESTROY;
			run1(&j);
			continue;
		}
		print_rate(d->name, n, "insert", j.ins_ns ?
			   (ull)((double)n * loops * 1e9 / j.ins_ns) : 0);
		if (d->memory(j.map))
			printf("R %s %zu bytes %.1f\n", d->name, n,
			       (double)d->memory(j.map) / n);
		printf("R %s %zu bytes_malloc %.1f\n", d->name, n,
		       (double)j.bytes_malloc / n);
		print_rate(d->name, n, "hit1", lookups(d, j.map, keys, n, 1, 0));
		print_rate(d->name, n, "miss1", lookups(d, j.map, keys, n, 1, 1));
		if (d->multi) {
			print_rate(d->name, n, "hitT",
				   lookups(d, j.map, keys, n, nthreads, 0));
			print_rate(d->name, n, "missT",
				   lookups(d, j.map, keys, n, nthreads, 1));
		}
		j.what = JOB_DESTROY;
		run1(&j);

		if (d->delete) {
			j = (struct job){ .d = d, .keys = keys, .n = n,
					  .what = JOB_DELETE };
			run1(&j);
			print_rate(d->name, n, "delete", j.ins_ns ?
				   (ull)((double)n * loops * 1e9 / j.ins_ns) : 0);
		}

		/* grow latency */
		j = (struct job){ .d = d, .keys = keys, .n = n,
				  .what = JOB_LATENCY, .lat = lat };
		run1(&j);
		for (i = 0; i < n; i++)
			sum += lat[i];
		qsort(lat, n, sizeof(*lat), cmp_ull);
		printf("R %s %zu lat_p50 %llu\nR %s %zu lat_p99 %llu\n"
		       "R %s %zu lat_p999 %llu\nR %s %zu lat_max %llu\n"
		       "R %s %zu lat_mean %llu\n",
		       d->name, n, lat[n / 2], d->name, n, lat[(size_t)(n * 0.99)],
		       d->name, n, lat[(size_t)(n * 0.999)], d->name, n, lat[n - 1],
		       d->name, n, sum / n);
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	ull sizes[16] = { 1024, 65536, 1048576 }, t, over = ~0ULL;
	unsigned int nsizes = 3, i;
	int c;

	if (hmap_core_init()) {
		fprintf(stderr, "bench-native: hmap_core_init() failed\n");
		return 1;
	}
	nthreads = sysconf(_SC_NPROCESSORS_ONLN);
	while ((c = getopt(argc, argv, "s:r:k:l:S:t:m:c:d:h")) != -1) {
		switch (c) {
		case 's': {
			char *p = optarg;

			for (nsizes = 0; nsizes < 16 && *p; nsizes++) {
				sizes[nsizes] = strtoull(p, &p, 0);
				if (*p == ',')
					p++;
			}
			break;
		}
		case 'r': reps = atoi(optarg); break;
		case 'k': round0 = atoi(optarg); break;
		case 'm': only_map = optarg; break;
		case 'c': only_case = optarg; break;
		case 'd': churn_ops = strtoull(optarg, NULL, 0); break;
		case 'l': lookup_ops = strtoull(optarg, NULL, 0); break;
		case 'S': seed = strtoull(optarg, NULL, 0); break;
		case 't': nthreads = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: bench-native [-s N,N,...] [-r ROUNDS] "
				"[-k FIRST-ROUND] [-l LOOKUPS] [-S SEED] "
				"[-t READERS] [-m MAP -c hit1|delete [-d DELETES]]\n");
			return c != 'h';
		}
	}
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > 64)
		nthreads = 64;
	for (i = 0; i < 1000; i++) {
		t = now_ns();
		t = now_ns() - t;
		over = MINV(over, t);
	}
	printf("# bench-native: hmap-sip, hmap-fast (benchmark build of the "
	       "shims), rculfhash, abseil; seed %#llx, rounds %u, "
	       "readers %u, lookups %llu\n", seed, reps, nthreads,
	       lookup_ops);
	printf("# timer overhead %llu ns\n", over);
	printf("R meta 0 readers %u\n", nthreads);
	for (i = 0; i < nsizes; i++) {
		size_t n = sizes[i], k;
		uint64_t *keys = malloc(2 * n * sizeof(*keys));
		ull *lat = malloc(n * sizeof(*lat));
		unsigned int r;

		for (k = 0; k < 2 * n; k++)
			keys[k] = mix(seed + k);
		for (r = 0; r < reps; r++)
			bench_size(n, round0 + r, keys, lat);
		free(keys);
		free(lat);
	}
	printf("# errors %llu\n", errors);
	return errors != 0;
}
