// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-vs-bpf: hmap through /dev/hmap ioctls against a BPF hash map
 * through the bpf() syscall, from userspace, on the same keys.
 *
 *   ioctl-vs-bpf [-n N[,N...]] [-b BATCH] [-l LOOKUPS] [-r REPS] [-s SEED]
 *
 * 8-byte keys and values; keys are the splitmix64 sequence of SEED (the
 * one hmap_bench.ko uses): the first N are inserted, the next N are the
 * misses. At each N, for hmap, a BPF_MAP_TYPE_HASH map (preallocated, the
 * default) and one with BPF_F_NO_PREALLOC (which, like hmap, allocates
 * as it grows): single inserts, replaces, lookup hits and misses, a full
 * batched read (HMAP_IOC_DUMP against BPF_MAP_LOOKUP_BATCH, BATCH entries
 * a call), single deletes, and batched inserts (BPF_MAP_UPDATE_BATCH; hmap
 * has no batched update, so its row shows single-ioctl inserts). Rates are
 * the best of REPS runs (the host is shared; its noise only slows a run).
 * Needs root (map creation) and a kernel with CONFIG_BPF_SYSCALL.
 * Exit status: 0, 1 on a failed call or a wrong result, 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "uapi/hmap.h"

#define MAX_SIZES	8
#define MAX_REPS	9
#define MAP_NAME	"ioctl_vs_bpf"

enum kind { K_HMAP, K_BPF, K_BPF_NP, NR_KINDS };

static const char *const kind_name[NR_KINDS] = {
	"hmap-ioctl", "bpf", "bpf-noprealloc",
};

enum op { OP_INSERT, OP_REPLACE, OP_HIT, OP_MISS, OP_DUMP, OP_DELETE,
	  OP_BATCH_INSERT, NR_OPS };

static const char *const op_name[NR_OPS] = {
	"insert, single",
	"replace, single",
	"lookup hit, single",
	"lookup miss, single",
	"read all, batched",
	"delete, single",
	"insert, batched",
};

struct map {
	enum kind kind;
	int fd;			/* /dev/hmap, or the BPF map */
	struct hmap_ioc_elem elem;	/* hmap: the request, name filled */
};

static int hmap_dev = -1;
static unsigned int batch = 256;
static int failures;

static void fail(const char *what, enum kind k)
{
	fprintf(stderr, "ioctl-vs-bpf: %s: %s: %s\n", kind_name[k], what,
		strerror(errno));
	failures++;
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int map_create(struct map *m, enum kind k, unsigned int n)
{
	memset(m, 0, sizeof(*m));
	m->kind = k;
	if (k == K_HMAP) {
		struct hmap_ioc_create c = {
			.size = sizeof(c), .key_size = 8, .value_size = 8,
			.max_entries = n,
		};

		strcpy(c.name, MAP_NAME);
		if (ioctl(hmap_dev, HMAP_IOC_CREATE, &c))
			return -1;
		m->fd = hmap_dev;
		m->elem.size = sizeof(m->elem);
		strcpy(m->elem.name, MAP_NAME);
		m->elem.key_size = 8;
		return 0;
	}

	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_HASH;
	a.key_size = 8;
	a.value_size = 8;
	a.max_entries = n;
	a.map_flags = k == K_BPF_NP ? BPF_F_NO_PREALLOC : 0;
	strcpy(a.map_name, "ioctl_vs_bpf");
	m->fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
	return m->fd < 0 ? -1 : 0;
}

static void map_destroy(struct map *m)
{
	if (m->kind == K_HMAP) {
		struct hmap_ioc_map d = { .size = sizeof(d) };

		strcpy(d.name, MAP_NAME);
		if (ioctl(hmap_dev, HMAP_IOC_DESTROY, &d))
			fail("destroy", m->kind);
	} else {
		close(m->fd);
	}
}

static int map_update(struct map *m, const uint64_t *key, const uint64_t *value)
{
	if (m->kind == K_HMAP) {
		m->elem.flags = HMAP_UPDATE_ANY;
		m->elem.key = (uintptr_t)key;
		m->elem.value = (uintptr_t)value;
		m->elem.value_size = 8;
		return ioctl(m->fd, HMAP_IOC_UPDATE, &m->elem);
	}

	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = m->fd;
	a.key = (uintptr_t)key;
	a.value = (uintptr_t)value;
	a.flags = BPF_ANY;
	return (int)sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
}

static int map_lookup(struct map *m, const uint64_t *key, uint64_t *value)
{
	if (m->kind == K_HMAP) {
		m->elem.flags = 0;
		m->elem.key = (uintptr_t)key;
		m->elem.value = (uintptr_t)value;
		m->elem.value_size = 8;
		return ioctl(m->fd, HMAP_IOC_LOOKUP, &m->elem);
	}

	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = m->fd;
	a.key = (uintptr_t)key;
	a.value = (uintptr_t)value;
	return (int)sys_bpf(BPF_MAP_LOOKUP_ELEM, &a);
}

static int map_delete(struct map *m, const uint64_t *key)
{
	if (m->kind == K_HMAP) {
		m->elem.flags = 0;
		m->elem.key = (uintptr_t)key;
		m->elem.value = 0;
		m->elem.value_size = 0;
		return ioctl(m->fd, HMAP_IOC_DELETE, &m->elem);
	}

	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = m->fd;
	a.key = (uintptr_t)key;
	return (int)sys_bpf(BPF_MAP_DELETE_ELEM, &a);
}

/* Reads the whole map in batches; returns the entries read, -1 on error. */
static long map_read_all(struct map *m, uint64_t *keys, uint64_t *values)
{
	long total = 0;

	if (m->kind == K_HMAP) {
		struct hmap_ioc_dump d = {
			.size = sizeof(d), .key_size = 8, .value_size = 8,
		};

		strcpy(d.name, MAP_NAME);
		do {
			d.keys = (uintptr_t)keys;
			d.values = (uintptr_t)values;
			d.count = batch;
			if (ioctl(m->fd, HMAP_IOC_DUMP, &d))
				return -1;
			total += d.count;
		} while (d.cursor);
		return total;
	}

	union bpf_attr a;
	uint64_t token = 0;
	bool first = true;

	for (;;) {
		int err;

		memset(&a, 0, sizeof(a));
		a.batch.map_fd = m->fd;
		a.batch.in_batch = first ? 0 : (uintptr_t)&token;
		a.batch.out_batch = (uintptr_t)&token;
		a.batch.keys = (uintptr_t)keys;
		a.batch.values = (uintptr_t)values;
		a.batch.count = batch;
		err = (int)sys_bpf(BPF_MAP_LOOKUP_BATCH, &a);
		if (err && errno != ENOENT)
			return -1;
		total += a.batch.count;
		if (err)
			return total;	/* ENOENT: the end */
		first = false;
	}
}

/* Inserts keys[0..n) BATCH at a time; hmap has no batch: single ioctls. */
static int map_insert_batched(struct map *m, const uint64_t *keys,
			      const uint64_t *values, unsigned int n)
{
	unsigned int i, c;

	if (m->kind == K_HMAP) {
		for (i = 0; i < n; i++)
			if (map_update(m, &keys[i], &values[i]))
				return -1;
		return 0;
	}
	for (i = 0; i < n; i += c) {
		union bpf_attr a;

		c = n - i < batch ? n - i : batch;
		memset(&a, 0, sizeof(a));
		a.batch.map_fd = m->fd;
		a.batch.keys = (uintptr_t)&keys[i];
		a.batch.values = (uintptr_t)&values[i];
		a.batch.count = c;
		a.batch.elem_flags = BPF_ANY;
		if (sys_bpf(BPF_MAP_UPDATE_BATCH, &a) || a.batch.count != c)
			return -1;
	}
	return 0;
}

static uint64_t rate(uint64_t ops, uint64_t ns)
{
	return ns ? (uint64_t)((double)ops * 1e9 / (double)ns) : 0;
}

/* One run of every operation on a fresh map of kind @k; rates into @r. */
static void run(enum kind k, const uint64_t *keys, uint64_t *values,
		uint64_t *buf, unsigned int n, unsigned long lookups,
		uint64_t r[NR_OPS])
{
	struct map m;
	unsigned long i, hits;
	unsigned int j;
	uint64_t t0, v;
	long got;

	if (map_create(&m, k, n)) {
		fail("create", k);
		return;
	}

	for (i = 0; i < n; i++)
		values[i] = ~keys[i];
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (map_update(&m, &keys[i], &values[i])) {
			fail("insert", k);
			goto out;
		}
	r[OP_INSERT] = rate(n, now_ns() - t0);

	for (i = 0; i < n; i++)
		values[i] = keys[i];
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (map_update(&m, &keys[i], &values[i])) {
			fail("replace", k);
			goto out;
		}
	r[OP_REPLACE] = rate(n, now_ns() - t0);

	hits = 0;
	t0 = now_ns();
	for (i = 0, j = 0; i < lookups; i++) {
		if (!map_lookup(&m, &keys[j], &v))
			hits += v == keys[j];
		if (++j == n)
			j = 0;
	}
	r[OP_HIT] = rate(lookups, now_ns() - t0);
	if (hits != lookups) {
		fprintf(stderr, "ioctl-vs-bpf: %s: %lu of %lu lookups hit\n",
			kind_name[k], hits, lookups);
		failures++;
	}

	hits = 0;
	t0 = now_ns();
	for (i = 0, j = 0; i < lookups; i++) {
		if (!map_lookup(&m, &keys[n + j], &v))
			hits++;
		else if (errno != ENOENT)
			hits++;
		if (++j == n)
			j = 0;
	}
	r[OP_MISS] = rate(lookups, now_ns() - t0);
	if (hits) {
		fprintf(stderr, "ioctl-vs-bpf: %s: %lu misses went wrong\n",
			kind_name[k], hits);
		failures++;
	}

	t0 = now_ns();
	got = map_read_all(&m, buf, buf + batch);
	r[OP_DUMP] = rate(n, now_ns() - t0);
	if (got != (long)n) {
		if (got < 0)
			fail("read all", k);
		else
			fprintf(stderr, "ioctl-vs-bpf: %s: read %ld of %u entries\n",
				kind_name[k], got, n);
		failures += got >= 0;
		r[OP_DUMP] = 0;
	}

	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (map_delete(&m, &keys[i])) {
			fail("delete", k);
			goto out;
		}
	r[OP_DELETE] = rate(n, now_ns() - t0);

	t0 = now_ns();
	if (map_insert_batched(&m, keys, values, n))
		fail("batched insert", k);
	else
		r[OP_BATCH_INSERT] = rate(n, now_ns() - t0);
out:
	map_destroy(&m);
}

static void print_ratio(uint64_t a, uint64_t b)
{
	if (!a || !b)
		printf(" %12s", "-");
	else
		printf(" %12.2f", (double)a / (double)b);
}

static int parse_sizes(char *s, unsigned int *sizes)
{
	int n = 0;
	char *tok, *end;

	for (tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		unsigned long v = strtoul(tok, &end, 0);

		if (*end || v < 1 || v > (1UL << 24) || n == MAX_SIZES)
			return -1;
		sizes[n++] = (unsigned int)v;
	}
	return n;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ioctl-vs-bpf [-n N[,N...]] [-b BATCH] [-l LOOKUPS] [-r REPS] [-s SEED]\n"
		"  -n  entry counts (default 1024,65536,262144)\n"
		"  -b  entries per batched call (default 256)\n"
		"  -l  lookups per measurement, at least N (default 65536)\n"
		"  -r  runs, best reported (1..%d, default 3)\n"
		"  -s  key seed (default hmap_bench's)\n", MAX_REPS);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int sizes[MAX_SIZES] = { 1024, 65536, 262144 }, maxn = 0;
	unsigned long lookups = 65536, reps = 3;
	uint64_t seed = 0x5eed0fb0a7c4e11dULL;
	uint64_t res[MAX_REPS][NR_KINDS][NR_OPS];
	uint64_t *keys, *values, *buf;
	int nsizes = 3, opt, s;
	char *end;

	while ((opt = getopt(argc, argv, "n:b:l:r:s:h")) != -1) {
		switch (opt) {
		case 'n':
			nsizes = parse_sizes(optarg, sizes);
			if (nsizes < 1)
				usage();
			break;
		case 'b':
			batch = (unsigned int)strtoul(optarg, &end, 0);
			if (*end || batch < 1 || batch > HMAP_DUMP_MAX_BATCH)
				usage();
			break;
		case 'l':
			lookups = strtoul(optarg, &end, 0);
			if (*end)
				usage();
			break;
		case 'r':
			reps = strtoul(optarg, &end, 0);
			if (*end || reps < 1 || reps > MAX_REPS)
				usage();
			break;
		case 's':
			seed = strtoull(optarg, &end, 0);
			if (*end)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	hmap_dev = open(HMAP_DEVICE, O_RDWR);
	if (hmap_dev < 0) {
		perror("ioctl-vs-bpf: " HMAP_DEVICE);
		return 1;
	}
	for (s = 0; s < nsizes; s++)
		if (sizes[s] > maxn)
			maxn = sizes[s];
	keys = calloc(2 * (size_t)maxn, sizeof(*keys));
	values = calloc(maxn, sizeof(*values));
	buf = calloc(2 * (size_t)batch, sizeof(*buf));
	if (!keys || !values || !buf) {
		perror("ioctl-vs-bpf: calloc");
		return 1;
	}

	printf("ioctl-vs-bpf: hmap via /dev/hmap ioctls vs BPF_MAP_TYPE_HASH via bpf(),\n"
	       "8-byte keys and values, splitmix64 seed %#" PRIx64 ", best of %lu runs,\n"
	       "batch %u entries (HMAP_IOC_DUMP vs BPF_MAP_LOOKUP_BATCH; BPF_MAP_UPDATE_BATCH\n"
	       "vs single HMAP_IOC_UPDATE: hmap has no batched update), lookups max(%lu, N)\n\n",
	       seed, reps, batch, lookups);
	printf("Throughput (ops/s or entries/s, emulated clock; ratio > 1: hmap faster)\n");
	printf("%8s  %-20s %12s %12s %14s %12s %12s\n", "entries", "operation",
	       kind_name[K_HMAP], kind_name[K_BPF], kind_name[K_BPF_NP],
	       "ioctl/bpf", "ioctl/bpf-np");

	for (s = 0; s < nsizes; s++) {
		unsigned int n = sizes[s], op, k, rep;
		unsigned long nl = lookups > n ? lookups : n;

		for (unsigned long i = 0; i < 2 * (unsigned long)n; i++)
			keys[i] = mix(seed + i);
		memset(res, 0, sizeof(res));
		for (rep = 0; rep < reps; rep++)
			for (k = 0; k < NR_KINDS; k++)
				run((k + rep) % NR_KINDS, keys, values, buf, n, nl,
				    res[rep][(k + rep) % NR_KINDS]);
		for (op = 0; op < NR_OPS; op++) {
			uint64_t best[NR_KINDS] = { 0 };

			for (rep = 0; rep < reps; rep++)
				for (k = 0; k < NR_KINDS; k++)
					if (res[rep][k][op] > best[k])
						best[k] = res[rep][k][op];
			printf("%8u  %-20s %11" PRIu64 "%s %12" PRIu64 " %14" PRIu64,
			       n, op_name[op], best[K_HMAP],
			       op == OP_BATCH_INSERT ? "*" : " ",
			       best[K_BPF], best[K_BPF_NP]);
			print_ratio(best[K_HMAP], best[K_BPF]);
			print_ratio(best[K_HMAP], best[K_BPF_NP]);
			printf("\n");
		}
		fflush(stdout);
	}
	printf("* hmap has no batched update: single HMAP_IOC_UPDATE ioctls\n");
	close(hmap_dev);
	free(keys);
	free(values);
	free(buf);
	if (failures)
		fprintf(stderr, "ioctl-vs-bpf: %d failures\n", failures);
	return failures ? 1 : 0;
}
