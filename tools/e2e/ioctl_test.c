// SPDX-License-Identifier: GPL-2.0
/*
 * hmap-ioctl-test: conformance test of the /dev/hmap ioctl ABI
 * (include/uapi/hmap.h), run as root in the test VM.
 *
 *   hmap-ioctl-test [-v] [-u UID] [-d DEVICE]
 *   hmap-ioctl-test [-d DEVICE] fill NAME KEY_SIZE VALUE_SIZE COUNT
 *   hmap-ioctl-test [-d DEVICE] insert NAME KEY_SIZE VALUE_SIZE FROM TO [-s DIR] [FIELD...]
 *
 *   -u UID     unprivileged uid for the CAP_SYS_ADMIN checks (default 1000)
 *   -d DEVICE  the device (default /dev/hmap)
 *   -v         more diagnostics
 *
 * Output is TAP-like: "ok N - what" or "not ok N - what" per check, "#"
 * lines of diagnostics, then "1..N" and "ioctl_test: P passed, F failed".
 * Exit status: 0 if every check passed, 1 if one failed, 2 if the test
 * could not run at all.
 *
 * "fill" and "insert" are helpers for the shell tests. fill creates NAME and
 * inserts COUNT entries (ids 0..COUNT-1, the pattern of mkkey() and
 * mkval(): an id's key is the id in little-endian, zero-padded to 8 bytes,
 * byte j of its value is id * 7 + j). insert adds ids FROM..TO-1 to an
 * existing map; with FIELDs, after each insert it prints a line "ID VALUE..."
 * with those fields of /sys/kernel/debug/hmap/NAME/stats, so a script can
 * watch a map grow without starting a process per insert. With -s DIR, while
 * the map grows from 32 old buckets or more, after each insert the next
 * view of its debugfs files is copied to DIR: buckets and old_buckets with
 * their stats as stats.0, then histogram with stats.1. A view is kept only
 * if the stats file read the same before and after: one consistent moment
 * of a grow in progress, which the background worker would finish while a
 * script looked, 50 ms after the last write. A slow read spoils a try (and
 * lets the worker end that grow); the next grow gives more.
 *
 * Every rejected request is checked twice: for its errno, and for leaving
 * the maps as they were (the fixture map's count and a sample entry, plus
 * whatever the request was about). The maps this test creates are named
 * e2e_*, and are destroyed before it exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <uapi/hmap.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* An address in the kernel's direct map: never valid for copy_*_user(). */
#define KERNEL_PTR	0xffff888000000000ULL

static const char *dev_path = HMAP_DEVICE;
static uid_t unpriv_uid = 1000;
static bool verbose;
static int dev = -1;
static long page_size;

/* ---- TAP ---- */

static unsigned int ntests, nfailed;

static bool vcheck(bool ok, const char *fmt, va_list ap)
{
	ntests++;
	if (!ok)
		nfailed++;
	printf("%sok %u - ", ok ? "" : "not ", ntests);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	return ok;
}

static bool __attribute__((format(printf, 2, 3)))
check(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcheck(ok, fmt, ap);
	va_end(ap);
	return ok;
}

static void __attribute__((format(printf, 1, 2)))
diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void __attribute__((format(printf, 1, 2)))
skip(const char *fmt, ...)
{
	va_list ap;

	ntests++;
	printf("ok %u - ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	puts(" # SKIP");
	fflush(stdout);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
bail(const char *fmt, ...)
{
	va_list ap;

	fputs("Bail out! ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(2);
}

/* "ENOENT" for -ENOENT, "0" for 0. */
static const char *ename(int rc)
{
	static char buf[8][32];
	static unsigned int i;
	const char *s;

	if (rc == 0)
		return "0";
	s = strerrorname_np(-rc);
	if (s)
		return s;
	i = (i + 1) % ARRAY_SIZE(buf);
	snprintf(buf[i], sizeof(buf[i]), "errno %d", -rc);
	return buf[i];
}

/* ---- ioctl wrappers: 0 or -errno ---- */

static int ioc_fd(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static int ioc(unsigned long req, void *arg)
{
	return ioc_fd(dev, req, arg);
}

static void name_set(char dst[HMAP_NAME_MAX], const char *src)
{
	memset(dst, 0, HMAP_NAME_MAX);
	memcpy(dst, src, strnlen(src, HMAP_NAME_MAX));
}

static int map_create(const char *name, uint32_t ks, uint32_t vs, uint32_t max)
{
	struct hmap_ioc_create c = {
		.size = sizeof(c), .key_size = ks, .value_size = vs,
		.max_entries = max,
	};

	name_set(c.name, name);
	return ioc(HMAP_IOC_CREATE, &c);
}

static int map_op(unsigned long req, const char *name)
{
	struct hmap_ioc_map m = { .size = sizeof(m) };

	name_set(m.name, name);
	return ioc(req, &m);
}

#define map_destroy(name)	map_op(HMAP_IOC_DESTROY, name)
#define map_clear(name)		map_op(HMAP_IOC_CLEAR, name)

static int elem_fd(int fd, unsigned long req, const char *name, const void *key,
		   uint32_t ks, void *val, uint32_t vs, uint32_t flags)
{
	struct hmap_ioc_elem e = {
		.size = sizeof(e), .flags = flags,
		.key = (uintptr_t)key, .value = (uintptr_t)val,
		.key_size = ks, .value_size = vs,
	};

	name_set(e.name, name);
	return ioc_fd(fd, req, &e);
}

static int lookup(const char *name, const void *key, uint32_t ks, void *val,
		  uint32_t vs)
{
	return elem_fd(dev, HMAP_IOC_LOOKUP, name, key, ks, val, vs, 0);
}

static int update(const char *name, const void *key, uint32_t ks,
		  const void *val, uint32_t vs, uint32_t flags)
{
	return elem_fd(dev, HMAP_IOC_UPDATE, name, key, ks, (void *)val, vs, flags);
}

static int delete(const char *name, const void *key, uint32_t ks)
{
	return elem_fd(dev, HMAP_IOC_DELETE, name, key, ks, NULL, 0, 0);
}

static int map_stats(const char *name, struct hmap_ioc_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	name_set(st->name, name);
	return ioc(HMAP_IOC_STATS, st);
}

static int map_snapshot(const char *name, struct hmap_ioc_snapshot *sn)
{
	memset(sn, 0, sizeof(*sn));
	sn->size = sizeof(*sn);
	name_set(sn->name, name);
	return ioc(HMAP_IOC_SNAPSHOT, sn);
}

/* The map's entry count, or -errno. */
static long long map_count(const char *name)
{
	struct hmap_ioc_stats st;
	int rc = map_stats(name, &st);

	return rc ? rc : (long long)st.count;
}

/* Fills @out (room for @room) and returns the number of maps, or -errno. */
static long long map_list(struct hmap_list_entry *out, uint32_t room)
{
	struct hmap_ioc_list l = {
		.size = sizeof(l), .count = room, .entries = (uintptr_t)out,
	};
	int rc = ioc(HMAP_IOC_LIST, &l);

	return rc ? rc : (long long)l.count;
}

static bool map_exists(const char *name)
{
	return map_count(name) >= 0;
}

/* Position of @name in the list (creation order), or -1. */
static int list_pos(const char *name)
{
	static struct hmap_list_entry e[256];
	long long n = map_list(e, ARRAY_SIZE(e));
	int i;

	for (i = 0; i < n && i < (int)ARRAY_SIZE(e); i++)
		if (!strncmp(e[i].name, name, HMAP_NAME_MAX))
			return i;
	return -1;
}

/* ---- keys and values: a deterministic pattern per id ---- */

static void mkkey(void *buf, uint32_t ks, uint64_t id)
{
	uint8_t *b = buf;
	uint32_t j;

	for (j = 0; j < ks; j++)
		b[j] = j < 8 ? (uint8_t)(id >> (8 * j)) : (uint8_t)(id * 131 + j);
}

static uint64_t key_id(const void *buf, uint32_t ks)
{
	const uint8_t *b = buf;
	uint64_t id = 0;
	uint32_t j;

	for (j = 0; j < ks && j < 8; j++)
		id |= (uint64_t)b[j] << (8 * j);
	return id;
}

static void mkval(void *buf, uint32_t vs, uint64_t id, unsigned int gen)
{
	uint8_t *b = buf;
	uint32_t j;

	for (j = 0; j < vs; j++)
		b[j] = (uint8_t)(id * 7 + gen * 13 + j);
}

static bool val_ok(const void *buf, uint32_t vs, uint64_t id, unsigned int gen)
{
	const uint8_t *b = buf;
	uint32_t j;

	for (j = 0; j < vs; j++)
		if (b[j] != (uint8_t)(id * 7 + gen * 13 + j))
			return false;
	return true;
}

/* Inserts ids [from, to) with generation @gen; returns 0 or the first error. */
static int fill(const char *name, uint32_t ks, uint32_t vs, uint64_t from,
		uint64_t to, unsigned int gen)
{
	uint8_t key[HMAP_MAX_KEY_SIZE];
	uint8_t *val = malloc(vs + 1);
	uint64_t id;
	int rc = 0;

	for (id = from; id < to && !rc; id++) {
		mkkey(key, ks, id);
		mkval(val, vs, id, gen);
		rc = update(name, key, ks, val, vs, HMAP_UPDATE_ANY);
	}
	free(val);
	return rc;
}

/* ---- the fixture: a map that bad requests must leave alone ---- */

#define FIX		"e2e_fixture"
#define FIX_KS		8
#define FIX_VS		16
#define FIX_N		100	/* ids 0..99 */
#define FIX_SAMPLE	42

static bool fixture_intact(void)
{
	uint8_t key[FIX_KS], val[FIX_VS];
	long long n = map_count(FIX);

	if (n != FIX_N) {
		diag("fixture: count %lld, expected %d", n, FIX_N);
		return false;
	}
	mkkey(key, FIX_KS, FIX_SAMPLE);
	memset(val, 0, sizeof(val));
	if (lookup(FIX, key, FIX_KS, val, FIX_VS) || !val_ok(val, FIX_VS, FIX_SAMPLE, 0)) {
		diag("fixture: entry %d lost or changed", FIX_SAMPLE);
		return false;
	}
	mkkey(key, FIX_KS, FIX_N);
	if (lookup(FIX, key, FIX_KS, val, FIX_VS) != -ENOENT) {
		diag("fixture: entry %d appeared", FIX_N);
		return false;
	}
	return true;
}

/* One check: @rc must be -@err, and the fixture unchanged. */
static bool __attribute__((format(printf, 3, 4)))
expect_err(int rc, int err, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ok = rc == -err;
	if (!ok)
		diag("%s: got %s, expected %s", what, ename(rc), ename(-err));
	ok = fixture_intact() && ok;
	return check(ok, "%s -> %s, maps unchanged", what, ename(-err));
}

/* ---- memory with holes ---- */

static uint8_t *edge_end;	/* a readable page ends here; the next is unmapped */
static void *hole;		/* an unmapped page (munmap'ed) */
static void *ro_page;		/* a read-only page */

static void setup_memory(void)
{
	uint8_t *p = mmap(NULL, 4 * page_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		bail("mmap: %s", strerror(errno));
	/* [rw][hole][ro][rw...]: the hole cannot be reused by a larger mmap. */
	memset(p, 0, 4 * page_size);
	if (munmap(p + page_size, page_size) ||
	    mprotect(p + 2 * page_size, page_size, PROT_READ))
		bail("munmap/mprotect: %s", strerror(errno));
	edge_end = p + page_size;
	hole = p + page_size;
	ro_page = p + 2 * page_size;
}

/* ---- create, list, destroy ---- */

static void test_create_destroy(void)
{
	static struct hmap_list_entry e[8];
	struct hmap_ioc_stats st;
	long long before, n;
	uint8_t key[8], val[8];
	int rc, pa, pb, pc;

	diag("create, list, destroy");
	rc = map_create("e2e_a", 8, 8, 0);
	check(rc == 0 && map_exists("e2e_a"), "create e2e_a (key 8, value 8, max 0) -> 0 (%s)",
	      ename(rc));
	rc = map_stats("e2e_a", &st);
	check(rc == 0 && st.key_size == 8 && st.value_size == 8 && st.count == 0 &&
	      st.max_entries == HMAP_MAX_ENTRIES && st.flags == 0,
	      "stats of a new map: key 8, value 8, count 0, max_entries %u (0 means HMAP_MAX_ENTRIES)",
	      st.max_entries);

	before = map_list(NULL, 0);
	rc = map_create("e2e_a", 4, 4, 0);
	check(rc == -EEXIST && map_list(NULL, 0) == before &&
	      map_stats("e2e_a", &st) == 0 && st.key_size == 8,
	      "create e2e_a again -> EEXIST, the first one kept (%s)", ename(rc));

	map_create("e2e_c", 4, 0, 10);
	map_create("e2e_b", 16, 32, 0);
	{
		struct hmap_ioc_stats sa, sb;

		map_stats("e2e_a", &sa);
		map_stats("e2e_b", &sb);
		check(sa.id != sb.id, "stats: two maps have different ids (%u, %u)", sa.id, sb.id);
	}
	pa = list_pos("e2e_a");
	pc = list_pos("e2e_c");
	pb = list_pos("e2e_b");
	check(pa >= 0 && pa < pc && pc < pb, "list: in creation order (a %d, c %d, b %d)",
	      pa, pc, pb);

	n = map_list(NULL, 0);
	check(n >= 4, "list with count 0 and entries NULL -> number of maps (%lld)", n);
	memset(e, 0xa5, sizeof(e));
	n = map_list(e, 1);
	check(n >= 4 && e[0].name[0] != (char)0xa5 && e[1].name[0] == (char)0xa5,
	      "list with room for 1: count %lld, only entry 0 written", n);
	n = map_list(e, ARRAY_SIZE(e));
	pc = list_pos("e2e_c");
	check(pc >= 0 && e[pc].key_size == 4 && e[pc].value_size == 0 &&
	      e[pc].max_entries == 10 && e[pc].count == 0 && e[pc].flags == 0,
	      "list: e2e_c has key_size 4, value_size 0, max_entries 10, count 0");
	mkkey(key, 8, 1);
	mkval(val, 8, 1, 0);
	update("e2e_a", key, 8, val, 8, 0);
	n = map_list(e, ARRAY_SIZE(e));
	pa = list_pos("e2e_a");
	check(pa >= 0 && e[pa].count == 1, "list: e2e_a count 1 after an insert");
	n = map_list(e, 0xffffffff);
	check(n >= 4, "list: count 0xffffffff (huge room) -> capped, count %lld", n);

	rc = map_destroy("e2e_a");
	check(rc == 0 && !map_exists("e2e_a") && list_pos("e2e_a") < 0,
	      "destroy e2e_a -> 0, gone from list and stats (%s)", ename(rc));
	rc = lookup("e2e_a", key, 8, val, 8);
	check(rc == -ENOENT, "lookup in a destroyed map -> ENOENT (%s)", ename(rc));
	rc = map_destroy("e2e_a");
	check(rc == -ENOENT, "destroy e2e_a again -> ENOENT (%s)", ename(rc));
	rc = map_create("e2e_a", 4, 4, 0);
	check(rc == 0 && map_count("e2e_a") == 0 && map_stats("e2e_a", &st) == 0 &&
	      st.key_size == 4, "the name is free again: create e2e_a (key 4) -> 0, empty");
	map_destroy("e2e_a");
	map_destroy("e2e_b");
	map_destroy("e2e_c");

	/* Names at the limits. */
	{
		const char *n31 = "abcdefghijklmnopqrstuvwxyz01234";	/* 31 */
		const char *good[] = { n31, "a.b-c_D9", "-x", "_", "maps2", "Maps", "x.", "0" };
		size_t i;

		for (i = 0; i < ARRAY_SIZE(good); i++) {
			rc = map_create(good[i], 4, 4, 0);
			check(rc == 0 && list_pos(good[i]) >= 0 && map_destroy(good[i]) == 0,
			      "create, list, destroy name \"%s\" -> 0 (%s)", good[i], ename(rc));
		}
	}
}

/* ---- lookup, update, delete, clear ---- */

static void test_elem_ops(void)
{
	const char *m = "e2e_elem";
	uint8_t key[8], val[16], got[16], ks0[4];
	struct hmap_ioc_stats st;
	int rc;

	diag("lookup, update (ANY, NOEXIST, EXIST), delete, clear");
	if (map_create(m, 8, 16, 0))
		bail("create %s failed", m);
	mkkey(key, 8, 7);

	memset(got, 0x5a, sizeof(got));
	rc = lookup(m, key, 8, got, 16);
	check(rc == -ENOENT && got[0] == 0x5a && got[15] == 0x5a,
	      "lookup of a missing key -> ENOENT, value buffer untouched (%s)", ename(rc));

	rc = update(m, key, 8, (mkval(val, 16, 7, 0), val), 16, HMAP_UPDATE_EXIST);
	check(rc == -ENOENT && map_count(m) == 0, "update EXIST of a missing key -> ENOENT, nothing inserted (%s)",
	      ename(rc));

	rc = update(m, key, 8, val, 16, HMAP_UPDATE_NOEXIST);
	check(rc == 0 && map_count(m) == 1, "update NOEXIST of a new key -> 0, count 1 (%s)", ename(rc));
	rc = lookup(m, key, 8, got, 16);
	check(rc == 0 && val_ok(got, 16, 7, 0), "lookup returns the value stored (%s)", ename(rc));

	mkval(val, 16, 7, 1);
	rc = update(m, key, 8, val, 16, HMAP_UPDATE_NOEXIST);
	lookup(m, key, 8, got, 16);
	check(rc == -EEXIST && val_ok(got, 16, 7, 0) && map_count(m) == 1,
	      "update NOEXIST of a present key -> EEXIST, value kept (%s)", ename(rc));

	rc = update(m, key, 8, val, 16, HMAP_UPDATE_EXIST);
	lookup(m, key, 8, got, 16);
	check(rc == 0 && val_ok(got, 16, 7, 1) && map_count(m) == 1,
	      "update EXIST of a present key -> 0, value replaced (%s)", ename(rc));

	mkval(val, 16, 7, 2);
	rc = update(m, key, 8, val, 16, HMAP_UPDATE_ANY);
	lookup(m, key, 8, got, 16);
	check(rc == 0 && val_ok(got, 16, 7, 2) && map_count(m) == 1,
	      "update ANY of a present key -> 0, value replaced (%s)", ename(rc));

	mkkey(key, 8, 8);
	mkval(val, 16, 8, 0);
	rc = update(m, key, 8, val, 16, HMAP_UPDATE_ANY);
	check(rc == 0 && map_count(m) == 2, "update ANY of a new key -> 0, count 2 (%s)", ename(rc));

	rc = delete(m, key, 8);
	check(rc == 0 && map_count(m) == 1 && lookup(m, key, 8, got, 16) == -ENOENT,
	      "delete -> 0, key gone, count 1 (%s)", ename(rc));
	rc = delete(m, key, 8);
	check(rc == -ENOENT && map_count(m) == 1, "delete of a missing key -> ENOENT (%s)", ename(rc));

	rc = fill(m, 8, 16, 100, 1100, 0);
	check(rc == 0 && map_count(m) == 1001, "1000 inserts -> count 1001 (%s)", ename(rc));
	rc = map_clear(m);
	mkkey(key, 8, 500);
	check(rc == 0 && map_count(m) == 0 && lookup(m, key, 8, got, 16) == -ENOENT,
	      "clear -> 0, count 0, entries gone (%s)", ename(rc));
	rc = map_clear(m);
	check(rc == 0 && map_count(m) == 0, "clear of an empty map -> 0 (%s)", ename(rc));
	rc = fill(m, 8, 16, 0, 50, 3);
	rc = rc ? rc : lookup(m, key, 8, got, 16) == -ENOENT ? 0 : -1;
	mkkey(key, 8, 49);
	check(rc == 0 && map_count(m) == 50 && lookup(m, key, 8, got, 16) == 0 &&
	      val_ok(got, 16, 49, 3), "inserts after clear work (count 50)");

	/* Counters: exact on a fresh map. */
	map_destroy(m);
	map_create(m, 8, 16, 0);
	fill(m, 8, 16, 0, 10, 0);		/* 10 inserts */
	fill(m, 8, 16, 0, 3, 1);		/* 3 updates */
	for (int i = 0; i < 7; i++) {		/* 5 hits, 2 misses */
		mkkey(key, 8, i < 5 ? i : 1000 + i);
		lookup(m, key, 8, got, 16);
	}
	for (int i = 0; i < 4; i++) {		/* 4 deletes */
		mkkey(key, 8, i);
		delete(m, key, 8);
	}
	rc = map_stats(m, &st);
	check(rc == 0 && st.nr_counters >= HMAP_STAT_NR_V0 &&
	      st.nr_counters <= HMAP_STATS_MAX_COUNTERS,
	      "stats: nr_counters %u in [%d, %d]", st.nr_counters, HMAP_STAT_NR_V0,
	      HMAP_STATS_MAX_COUNTERS);
	check(st.count == 6 && st.counters[HMAP_STAT_INSERTS] == 10 &&
	      st.counters[HMAP_STAT_UPDATES] == 3 && st.counters[HMAP_STAT_HITS] == 5 &&
	      st.counters[HMAP_STAT_MISSES] == 2 && st.counters[HMAP_STAT_DELETES] == 4,
	      "stats counters: count %llu, inserts %llu, updates %llu, hits %llu, misses %llu, deletes %llu (6 10 3 5 2 4)",
	      (unsigned long long)st.count,
	      (unsigned long long)st.counters[HMAP_STAT_INSERTS],
	      (unsigned long long)st.counters[HMAP_STAT_UPDATES],
	      (unsigned long long)st.counters[HMAP_STAT_HITS],
	      (unsigned long long)st.counters[HMAP_STAT_MISSES],
	      (unsigned long long)st.counters[HMAP_STAT_DELETES]);
	map_clear(m);
	map_stats(m, &st);
	check(st.count == 0 && st.counters[HMAP_STAT_CLEARS] == 1, "stats: clears 1 after a clear");
	check(st.buckets == 1ULL << st.B && st.bucket_size > 0 && st.memory > 0 &&
	      st.key_size == 8 && st.value_size == 16,
	      "stats: buckets %llu = 2^B (B %u), bucket_size %u, memory %llu",
	      (unsigned long long)st.buckets, st.B, st.bucket_size,
	      (unsigned long long)st.memory);
	map_destroy(m);

	/* A set: value_size 0, NULL values. */
	map_create("e2e_set", 4, 0, 0);
	memcpy(ks0, "abcd", 4);
	rc = update("e2e_set", ks0, 4, NULL, 0, 0);
	check(rc == 0 && map_count("e2e_set") == 1, "set (value_size 0): update with value NULL -> 0 (%s)",
	      ename(rc));
	rc = lookup("e2e_set", ks0, 4, NULL, 0);
	check(rc == 0, "set: lookup with value NULL -> 0 (%s)", ename(rc));
	rc = update("e2e_set", ks0, 4, NULL, 0, HMAP_UPDATE_NOEXIST);
	check(rc == -EEXIST, "set: update NOEXIST of a member -> EEXIST (%s)", ename(rc));
	rc = delete("e2e_set", ks0, 4);
	check(rc == 0 && map_count("e2e_set") == 0, "set: delete -> 0 (%s)", ename(rc));
	map_destroy("e2e_set");
}

/* Keys and values stored out of line (over 128 bytes) and at the limits. */
static void test_big_entries(void)
{
	static uint8_t key[HMAP_MAX_KEY_SIZE];
	static uint8_t got[HMAP_MAX_VALUE_SIZE];
	const char *m = "e2e_big";
	uint64_t id;
	bool ok = true;
	int rc;

	diag("large keys and values");
	rc = map_create(m, 200, 300, 0);
	ok = rc == 0 && fill(m, 200, 300, 0, 500, 0) == 0 && map_count(m) == 500;
	for (id = 0; id < 500 && ok; id++) {
		mkkey(key, 200, id);
		ok = lookup(m, key, 200, got, 300) == 0 && val_ok(got, 300, id, 0);
	}
	check(ok, "key 200, value 300 (out of line): 500 inserts, every lookup right");
	for (id = 0; id < 500; id += 2) {
		mkkey(key, 200, id);
		delete(m, key, 200);
	}
	mkkey(key, 200, 3);
	check(map_count(m) == 250 && lookup(m, key, 200, got, 300) == 0 &&
	      (mkkey(key, 200, 4), lookup(m, key, 200, got, 300)) == -ENOENT,
	      "out-of-line entries: delete half -> count 250, the rest found");
	map_destroy(m);

	rc = map_create(m, HMAP_MAX_KEY_SIZE, HMAP_MAX_VALUE_SIZE, 0);
	check(rc == 0, "create key_size %d, value_size %d (the limits) -> 0 (%s)",
	      HMAP_MAX_KEY_SIZE, HMAP_MAX_VALUE_SIZE, ename(rc));
	ok = fill(m, HMAP_MAX_KEY_SIZE, HMAP_MAX_VALUE_SIZE, 0, 20, 5) == 0;
	mkkey(key, HMAP_MAX_KEY_SIZE, 13);
	memset(got, 0, sizeof(got));
	ok = ok && lookup(m, key, HMAP_MAX_KEY_SIZE, got, HMAP_MAX_VALUE_SIZE) == 0 &&
	     val_ok(got, HMAP_MAX_VALUE_SIZE, 13, 5);
	check(ok && map_count(m) == 20, "largest entries: 20 inserts, lookup right");
	map_destroy(m);
}

/* ---- dump ---- */

struct dump_result {
	uint32_t *seen;		/* times each id was returned */
	uint64_t nids;		/* ids 0..nids-1 are counted in seen */
	uint64_t entries;	/* entries returned */
	uint64_t bad;		/* entries with an unexpected key or value */
	unsigned int calls, enospc;
};

/*
 * One call: returns 0 or -errno; on success *count is what came back and
 * *cursor the next cursor; with -ENOSPC, *count is the room needed.
 */
static int dump_call(const char *name, uint64_t *cursor, void *keys, void *vals,
		     uint32_t ks, uint32_t vs, uint32_t *count)
{
	struct hmap_ioc_dump d = {
		.size = sizeof(d), .cursor = *cursor, .keys = (uintptr_t)keys,
		.values = (uintptr_t)vals, .key_size = ks, .value_size = vs,
		.count = *count,
	};
	int rc;

	name_set(d.name, name);
	rc = ioc(HMAP_IOC_DUMP, &d);
	if (!rc)
		*cursor = d.cursor;
	if (!rc || rc == -ENOSPC)
		*count = d.count;
	return rc;
}

/*
 * Expected value of a dumped id: @gen_of maps an id to its generation, or
 * -1 if the id should not be in the map at all.
 */
typedef int (*gen_fn)(uint64_t id);

static int gen_zero(uint64_t id)
{
	(void)id;
	return 0;
}

/* Accounts for @n entries of a batch. */
static void dump_account(struct dump_result *r, const uint8_t *keys, const uint8_t *vals,
			 uint32_t n, uint32_t ks, uint32_t vs, gen_fn gen)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint64_t id = key_id(keys + (size_t)i * ks, ks);
		int g = gen(id);

		r->entries++;
		if (id < r->nids)
			r->seen[id]++;
		if (g < 0 || (vs && !val_ok(vals + (size_t)i * vs, vs, id, g))) {
			if (r->bad++ < 5)
				diag("dump: unexpected entry id %llu", (unsigned long long)id);
		}
	}
}

/*
 * Dumps @name from @cursor to the end in batches of @batch, growing the
 * batch when a group needs more room (as a caller should); @between runs
 * after every call. Returns 0 or the first unexpected error.
 */
static int dump_walk(const char *name, uint64_t cursor, uint32_t ks, uint32_t vs,
		     uint32_t batch, struct dump_result *r, gen_fn gen,
		     void (*between)(unsigned int call))
{
	uint32_t room = batch, count;
	uint8_t *keys = malloc((size_t)room * ks), *vals = malloc((size_t)room * vs + 1);
	int rc = 0;

	do {
		uint32_t asked = batch;

		count = batch;
		rc = dump_call(name, &cursor, keys, vals, ks, vs, &count);
		r->calls++;
		/* Retry with the room asked for (again if the group grew). */
		while (rc == -ENOSPC && r->enospc++ < 1000000) {
			if (count <= asked) {
				diag("dump: ENOSPC with count %u <= the %u asked for", count, asked);
				rc = -EPROTO;
				break;
			}
			if (count > room) {
				room = count;
				keys = realloc(keys, (size_t)room * ks);
				vals = realloc(vals, (size_t)room * vs + 1);
			}
			asked = count;
			rc = dump_call(name, &cursor, keys, vals, ks, vs, &count);
			r->calls++;
		}
		if (!rc && count > asked) {
			diag("dump: returned %u entries for a count of %u", count, asked);
			rc = -EPROTO;
		}
		if (rc)
			break;
		dump_account(r, keys, vals, count, ks, vs, gen);
		if (between)
			between(r->calls);
		if (r->calls > 10000000) {
			diag("dump: no end after %u calls", r->calls);
			rc = -ELOOP;
			break;
		}
	} while (cursor);
	free(keys);
	free(vals);
	return rc;
}

static void result_init(struct dump_result *r, uint64_t nids)
{
	memset(r, 0, sizeof(*r));
	r->nids = nids;
	r->seen = calloc(nids, sizeof(*r->seen));
}

/* Ids in [from, to) seen between @min and @max times: true if all were. */
static bool result_seen(const struct dump_result *r, uint64_t from, uint64_t to,
			uint32_t min, uint32_t max)
{
	uint64_t id, wrong = 0;

	for (id = from; id < to; id++) {
		if (r->seen[id] < min || r->seen[id] > max) {
			if (wrong++ < 5)
				diag("id %llu seen %u times", (unsigned long long)id, r->seen[id]);
		}
	}
	if (wrong)
		diag("%llu ids seen outside [%u, %u] times", (unsigned long long)wrong, min, max);
	return !wrong;
}

/* Grow-during-dump state: ids >= CHURN_BASE come and go between batches. */
#define CHURN_BASE	1000000
static const char *churn_map;
static uint64_t churn_next, churn_deleted;
static unsigned int churn_per_call, churn_calls_max;

static int gen_churn(uint64_t id)
{
	if (id < 2000)
		return 0;
	if (id >= CHURN_BASE && id < churn_next)
		return 1;
	return -1;
}

static void churn(unsigned int call)
{
	uint8_t key[8], val[8];
	unsigned int i;

	if (call > churn_calls_max)
		return;
	for (i = 0; i < churn_per_call; i++) {
		mkkey(key, 8, churn_next);
		mkval(val, 8, churn_next, 1);
		update(churn_map, key, 8, val, 8, HMAP_UPDATE_NOEXIST);
		churn_next++;
	}
	/* And delete an older churn entry: shrinking chains under the cursor. */
	if (churn_deleted + 1 < churn_next - CHURN_BASE) {
		mkkey(key, 8, CHURN_BASE + churn_deleted);
		delete(churn_map, key, 8);
		churn_deleted += 2;
	}
}

static void test_dump(void)
{
	const char *m = "e2e_dump";
	static uint8_t keys[HMAP_DUMP_MAX_BATCH * 8], vals[HMAP_DUMP_MAX_BATCH * 16];
	struct dump_result r, r2;
	struct hmap_ioc_stats st0, st1;
	uint64_t cursor, resume = 0;
	uint32_t count;
	int rc, batches;

	diag("dump");
	map_create(m, 8, 16, 0);
	result_init(&r, 5000);
	cursor = 0;
	count = 16;
	rc = dump_call(m, &cursor, keys, vals, 8, 16, &count);
	check(rc == 0 && count == 0 && cursor == 0,
	      "dump of an empty map -> 0 entries, cursor 0 (%s, count %u)", ename(rc), count);

	if (fill(m, 8, 16, 0, 5000, 0))
		bail("fill %s failed", m);
	rc = dump_walk(m, 0, 8, 16, 16, &r, gen_zero, NULL);
	check(rc == 0 && r.entries == 5000 && !r.bad && result_seen(&r, 0, 5000, 1, 1),
	      "dump of 5000 entries in batches of 16: each key exactly once, values right (%u calls, %u ENOSPC, %s)",
	      r.calls, r.enospc, ename(rc));
	free(r.seen);

	/* Resume: the dump from a saved cursor returns the rest, once. */
	result_init(&r, 5000);
	cursor = 0;
	for (batches = 0; batches < 20 && (cursor || !batches); batches++) {
		count = 64;
		rc = dump_call(m, &cursor, keys, vals, 8, 16, &count);
		if (rc)
			break;
		dump_account(&r, keys, vals, count, 8, 16, gen_zero);
	}
	resume = cursor;
	result_init(&r2, 5000);
	rc = rc ? rc : dump_walk(m, resume, 8, 16, 64, &r2, gen_zero, NULL);
	for (uint64_t id = 0; id < 5000; id++)
		r.seen[id] += r2.seen[id];
	check(rc == 0 && resume != 0 && r.entries + r2.entries == 5000 &&
	      result_seen(&r, 0, 5000, 1, 1),
	      "dump resumed from cursor %#llx after %d batches: the rest exactly once (%llu + %llu)",
	      (unsigned long long)resume, batches, (unsigned long long)r.entries,
	      (unsigned long long)r2.entries);
	free(r.seen);
	free(r2.seen);

	/* Count 1: -ENOSPC with the room needed, cursor unchanged. */
	cursor = 0;
	rc = 0;
	{
		unsigned int enospc = 0, wrong = 0;
		uint64_t got = 0;

		result_init(&r, 5000);
		do {
			uint64_t c = cursor;

			count = 1;
			rc = dump_call(m, &c, keys, vals, 8, 16, &count);
			if (rc == -ENOSPC) {
				uint32_t need = count;

				enospc++;
				if (need < 2)
					wrong++;
				c = cursor;
				rc = dump_call(m, &c, keys, vals, 8, 16, &count);
				if (!rc && count != need)
					wrong++;
			}
			if (rc)
				break;
			got += count;
			dump_account(&r, keys, vals, count, 8, 16, gen_zero);
			cursor = c;
		} while (cursor);
		check(rc == 0 && enospc > 0 && !wrong && got == 5000 &&
		      result_seen(&r, 0, 5000, 1, 1),
		      "dump with count 1: %u groups -> ENOSPC with the room needed, retried with it: each key once (%s, %u wrong)",
		      enospc, ename(rc), wrong);
		free(r.seen);
	}
	{
		struct hmap_ioc_dump d = { .size = sizeof(d), .count = 1, .key_size = 8,
					   .value_size = 16, .keys = (uintptr_t)keys,
					   .values = (uintptr_t)vals };
		uint64_t c0 = 0;

		/* Find a group that does not fit in 1, and look at the struct. */
		name_set(d.name, m);
		for (int i = 0; i < 1000; i++) {
			d.count = 1;
			c0 = d.cursor;
			rc = ioc(HMAP_IOC_DUMP, &d);
			if (rc || !d.cursor)
				break;
		}
		check(rc == -ENOSPC && d.cursor == c0 && d.count > 1,
		      "dump ENOSPC: cursor left at %#llx, count set to %u (%s)",
		      (unsigned long long)d.cursor, d.count, ename(rc));
	}

	/* A count far over the limit: capped, and still returns entries. */
	cursor = 0;
	count = 0xffffffff;
	rc = dump_call(m, &cursor, keys, vals, 8, 16, &count);
	check(rc == 0 && count > 0 && count <= HMAP_DUMP_MAX_BATCH,
	      "dump with count 0xffffffff -> 0 (not ENOMEM), %u entries (%s)", count, ename(rc));
	result_init(&r, 5000);
	rc = dump_walk(m, 0, 8, 16, HMAP_DUMP_MAX_BATCH, &r, gen_zero, NULL);
	check(rc == 0 && result_seen(&r, 0, 5000, 1, 1),
	      "dump in batches of HMAP_DUMP_MAX_BATCH: each key once (%u calls)", r.calls);
	free(r.seen);

	/* Growth between the batches: keys present throughout come back. */
	map_destroy(m);
	map_create(m, 8, 8, 0);
	fill(m, 8, 8, 0, 2000, 0);
	churn_map = m;
	churn_next = CHURN_BASE;
	churn_deleted = 0;
	churn_per_call = 97;
	churn_calls_max = 400;
	map_stats(m, &st0);
	result_init(&r, 2000);
	rc = dump_walk(m, 0, 8, 8, 8, &r, gen_churn, churn);
	map_stats(m, &st1);
	check(rc == 0 && !r.bad && result_seen(&r, 0, 2000, 1, UINT32_MAX) &&
	      st1.counters[HMAP_STAT_GROWS] >= st0.counters[HMAP_STAT_GROWS] + 3,
	      "dump while the map grows (B %u -> %u, %llu grows, %llu inserts, %llu deletes between batches): every lasting key returned (%u calls, %llu entries)",
	      st0.B, st1.B,
	      (unsigned long long)(st1.counters[HMAP_STAT_GROWS] - st0.counters[HMAP_STAT_GROWS]),
	      (unsigned long long)(churn_next - CHURN_BASE),
	      (unsigned long long)(churn_deleted / 2), r.calls,
	      (unsigned long long)r.entries);
	free(r.seen);

	/* Growth during the calls: a writer in another process. */
	map_destroy(m);
	map_create(m, 8, 8, 0);
	fill(m, 8, 8, 0, 2000, 0);
	map_stats(m, &st0);
	{
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			uint8_t key[8], val[8];

			for (uint64_t id = CHURN_BASE; id < CHURN_BASE + 60000; id++) {
				mkkey(key, 8, id);
				mkval(val, 8, id, 1);
				if (update(m, key, 8, val, 8, 0))
					_exit(1);
			}
			_exit(0);
		}
		bool ok = true, done = false;
		int pass;

		churn_next = CHURN_BASE + 60000;
		for (pass = 0; pass < 1000 && ok && !done; pass++) {
			done = waitpid(pid, &status, WNOHANG) == pid;
			result_init(&r, 2000);
			rc = dump_walk(m, 0, 8, 8, 8, &r, gen_churn, NULL);
			ok = rc == 0 && !r.bad && result_seen(&r, 0, 2000, 1, UINT32_MAX);
			free(r.seen);
		}
		map_stats(m, &st1);
		if (!done) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		}
		check(ok, "%d dumps while another process inserts (B %u -> %u): every lasting key returned by each (%s)",
		      pass, st0.B, st1.B, ename(rc));
	}
	map_destroy(m);
}

/* Shrink-during-dump state: ids 1000..19999 are deleted between batches. */
static const char *shrink_map;
static uint64_t shrink_next;

static int gen_below_20000(uint64_t id)
{
	return id < 20000 ? 0 : -1;
}

static void shrink_between(unsigned int call)
{
	uint8_t key[8];
	unsigned int i;

	(void)call;
	for (i = 0; i < 300 && shrink_next < 20000; i++, shrink_next++) {
		mkkey(key, 8, shrink_next);
		delete(shrink_map, key, 8);
	}
}

/* Polls stats until the map is not growing or shrinking (5 s at most). */
static int wait_settled(const char *name, struct hmap_ioc_stats *st)
{
	for (int i = 0; i < 500; i++) {
		int rc = map_stats(name, st);

		if (rc || st->growth == HMAP_GROWTH_NONE)
			return rc;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

static void test_shrink(void)
{
	const char *m = "e2e_shrink", *ns = "e2e_noshrink";
	struct hmap_ioc_stats st0, st1;
	struct hmap_ioc_create c = { .size = sizeof(c), .key_size = 8, .value_size = 8,
				     .flags = HMAP_F_NO_SHRINK };
	struct dump_result r;
	uint8_t key[8], val[8];
	bool ok = true;
	int rc;

	diag("shrink, and HMAP_F_NO_SHRINK");
	map_create(m, 8, 8, 0);
	name_set(c.name, ns);
	rc = ioc(HMAP_IOC_CREATE, &c);
	check(rc == 0, "create with flags HMAP_F_NO_SHRINK -> 0 (%s)", ename(rc));
	fill(m, 8, 8, 0, 5000, 0);
	fill(ns, 8, 8, 0, 5000, 0);
	wait_settled(m, &st0);
	for (uint64_t id = 100; id < 5000; id++) {
		mkkey(key, 8, id);
		delete(m, key, 8);
		delete(ns, key, 8);
	}
	rc = wait_settled(m, &st1);
	for (uint64_t id = 0; id < 100 && ok; id++) {
		mkkey(key, 8, id);
		ok = lookup(m, key, 8, val, 8) == 0 && val_ok(val, 8, id, 0);
	}
	check(rc == 0 && ok && st1.count == 100 && st1.B < st0.B &&
	      st1.counters[HMAP_STAT_SHRINKS] > 0,
	      "deleting 4900 of 5000: the table shrinks (B %u -> %u, %llu shrinks), the rest intact (%s)",
	      st0.B, st1.B, (unsigned long long)st1.counters[HMAP_STAT_SHRINKS], ename(rc));
	rc = wait_settled(ns, &st1);
	check(rc == 0 && st1.count == 100 && st1.B == st0.B && st1.flags == HMAP_F_NO_SHRINK &&
	      st1.counters[HMAP_STAT_SHRINKS] == 0,
	      "with HMAP_F_NO_SHRINK it does not (B %u, flags %#x, %llu shrinks)", st1.B, st1.flags,
	      (unsigned long long)st1.counters[HMAP_STAT_SHRINKS]);
	map_clear(m);
	map_stats(m, &st1);
	check(st1.count == 0 && st1.B == 0 && st1.growth == HMAP_GROWTH_NONE,
	      "clear leaves one bucket (B %u)", st1.B);
	map_destroy(ns);

	/* Shrinking between the batches of a dump. */
	fill(m, 8, 8, 0, 20000, 0);
	wait_settled(m, &st0);
	shrink_map = m;
	shrink_next = 1000;
	result_init(&r, 20000);
	rc = dump_walk(m, 0, 8, 8, 16, &r, gen_below_20000, shrink_between);
	map_stats(m, &st1);
	check(rc == 0 && !r.bad && result_seen(&r, 0, 1000, 1, UINT32_MAX) &&
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
		diag("%s: buckets %llu, B %u, chains %llu", what,
		     (unsigned long long)sn->buckets, sn->B, (unsigned long long)chains);
		ok = false;
	}
	if (bkts != sn->buckets + sn->noverflow) {
		diag("%s: slot_hist sums to %llu buckets, buckets + noverflow = %llu", what,
		     (unsigned long long)bkts, (unsigned long long)(sn->buckets + sn->noverflow));
		ok = false;
	}
	if (live + olive != sn->count) {
		diag("%s: live slots %llu + old %llu != count %llu", what,
		     (unsigned long long)live, (unsigned long long)olive,
		     (unsigned long long)sn->count);
		ok = false;
	}
	if (sn->growth == HMAP_GROWTH_NONE) {
		if (sn->old_buckets || sn->old_B || ochains || obkts || sn->old_evacuated) {
			diag("%s: not growing but old_* are set", what);
			ok = false;
		}
	} else {
		if (sn->old_buckets != 1ULL << sn->old_B || ochains != sn->old_buckets ||
		    obkts < sn->old_buckets || sn->nevacuate > sn->old_buckets ||
		    sn->old_evacuated < sn->nevacuate || sn->old_evacuated > sn->old_buckets) {
			diag("%s: growing: old_B %u old_buckets %llu old chains %llu nevacuate %llu old_evacuated %llu",
			     what, sn->old_B, (unsigned long long)sn->old_buckets,
			     (unsigned long long)ochains, (unsigned long long)sn->nevacuate,
			     (unsigned long long)sn->old_evacuated);
			ok = false;
		}
		if ((sn->growth == HMAP_GROWTH_DOUBLE && sn->old_B + 1 != sn->B) ||
		    (sn->growth == HMAP_GROWTH_SAMESIZE && sn->old_B != sn->B) ||
		    (sn->growth == HMAP_GROWTH_SHRINK && sn->old_B != sn->B + 1)) {
			diag("%s: growth %u from B %u to %u", what, sn->growth, sn->old_B, sn->B);
			ok = false;
		}
	}
	return ok;
}

static void test_stats_snapshot(void)
{
	const char *m = "e2e_shape";
	struct hmap_ioc_snapshot sn;
	struct hmap_ioc_stats st;
	uint64_t id;
	uint64_t prev_nevac = 0;
	int rc, grows = 0, checked = 0;
	bool ok = true;

	diag("stats and snapshot");
	map_create(m, 8, 8, 0);
	fill(m, 8, 8, 0, 5000, 0);
	rc = map_snapshot(m, &sn);
	map_stats(m, &st);
	check(rc == 0 && sn.count == 5000 && sn.B == st.B && sn.noverflow == st.noverflow &&
	      snapshot_consistent(&sn, "5000 entries"),
	      "snapshot of 5000 entries: count, B %u, histograms consistent (%s)", sn.B,
	      ename(rc));
	check(st.count == 5000 && st.growth == sn.growth && st.buckets == sn.buckets,
	      "stats agrees with the snapshot (count, growth, buckets)");

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
			diag("nevacuate went back from %llu to %llu",
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
	check(ok && grows >= 1 && checked > 0,
	      "stats while growing (%d grows): old_buckets = 2^old_B, nevacuate <= old_buckets and never goes back; %d snapshots consistent",
	      grows, checked);
	map_destroy(m);
}

/* ---- bad input: every rejection leaves the maps alone ---- */

static void test_bad_elem(void)
{
	uint8_t key[FIX_KS], val[FIX_VS], big[64];
	uint8_t *edge_key = edge_end - 4;	/* 4 readable bytes, then the hole */
	void *kp = (void *)(uintptr_t)KERNEL_PTR;
	int rc;

	diag("bad element requests");
	mkkey(key, FIX_KS, FIX_N);	/* a key not in the fixture */
	mkval(val, FIX_VS, FIX_N, 0);
	memset(big, 0, sizeof(big));

	expect_err(lookup("e2e_nosuchmap", key, FIX_KS, val, FIX_VS), ENOENT, "lookup in an unknown map");
	expect_err(update("e2e_nosuchmap", key, FIX_KS, val, FIX_VS, 0), ENOENT, "update in an unknown map");
	expect_err(delete("e2e_nosuchmap", key, FIX_KS), ENOENT, "delete in an unknown map");

	for (uint32_t ks = 0; ks <= 16; ks += 4) {
		if (ks == FIX_KS)
			continue;
		expect_err(lookup(FIX, big, ks, val, FIX_VS), EINVAL, "lookup with key_size %u (map's 8)", ks);
		expect_err(update(FIX, big, ks, val, FIX_VS, 0), EINVAL, "update with key_size %u", ks);
		expect_err(delete(FIX, big, ks), EINVAL, "delete with key_size %u", ks);
	}
	expect_err(lookup(FIX, key, FIX_KS, big, FIX_VS - 1), EINVAL, "lookup with value_size 15 (map's 16)");
	expect_err(lookup(FIX, key, FIX_KS, big, 0), EINVAL, "lookup with value_size 0");
	expect_err(update(FIX, key, FIX_KS, big, FIX_VS + 1, 0), EINVAL, "update with value_size 17");
	expect_err(update(FIX, key, FIX_KS, big, 0, 0), EINVAL, "update with value_size 0");
	expect_err(update(FIX, key, FIX_KS, big, 0xffffffff, 0), EINVAL, "update with value_size 0xffffffff");
	expect_err(elem_fd(dev, HMAP_IOC_DELETE, FIX, key, FIX_KS, val, 0, 0), EINVAL,
		   "delete with a value pointer");
	expect_err(elem_fd(dev, HMAP_IOC_DELETE, FIX, key, FIX_KS, NULL, FIX_VS, 0), EINVAL,
		   "delete with a value_size");

	/* Pointers. The key is new, so a half-done update would show. */
	expect_err(lookup(FIX, NULL, FIX_KS, val, FIX_VS), EFAULT, "lookup with key NULL");
	expect_err(update(FIX, NULL, FIX_KS, val, FIX_VS, 0), EFAULT, "update with key NULL");
	expect_err(delete(FIX, NULL, FIX_KS), EFAULT, "delete with key NULL");
	expect_err(lookup(FIX, hole, FIX_KS, val, FIX_VS), EFAULT, "lookup with key unmapped");
	expect_err(update(FIX, hole, FIX_KS, val, FIX_VS, 0), EFAULT, "update with key unmapped");
	expect_err(delete(FIX, hole, FIX_KS), EFAULT, "delete with key unmapped");
	expect_err(update(FIX, edge_key, FIX_KS, val, FIX_VS, 0), EFAULT,
		   "update with a key running into an unmapped page");
	expect_err(lookup(FIX, kp, FIX_KS, val, FIX_VS), EFAULT, "lookup with key a kernel address");
	expect_err(update(FIX, kp, FIX_KS, val, FIX_VS, 0), EFAULT, "update with key a kernel address");
	expect_err(update(FIX, key, FIX_KS, NULL, FIX_VS, 0), EFAULT, "update with value NULL");
	expect_err(update(FIX, key, FIX_KS, hole, FIX_VS, 0), EFAULT, "update with value unmapped");
	expect_err(update(FIX, key, FIX_KS, edge_end - 8, FIX_VS, 0), EFAULT,
		   "update with a value running into an unmapped page");
	expect_err(update(FIX, key, FIX_KS, kp, FIX_VS, 0), EFAULT, "update with value a kernel address");

	mkkey(key, FIX_KS, FIX_SAMPLE);	/* present: the lookup has a value to copy */
	expect_err(lookup(FIX, key, FIX_KS, NULL, FIX_VS), EFAULT, "lookup of a present key into value NULL");
	expect_err(lookup(FIX, key, FIX_KS, hole, FIX_VS), EFAULT, "lookup into an unmapped value");
	expect_err(lookup(FIX, key, FIX_KS, ro_page, FIX_VS), EFAULT, "lookup into a read-only value");
	expect_err(lookup(FIX, key, FIX_KS, kp, FIX_VS), EFAULT, "lookup into a kernel address");
	expect_err(update(FIX, key, FIX_KS, hole, FIX_VS, 0), EFAULT,
		   "update of a present key with value unmapped (value kept)");

	/* Misaligned pointers are fine. */
	{
		uint8_t buf[64];

		mkkey(buf + 3, FIX_KS, FIX_SAMPLE);
		memset(buf + 17, 0, FIX_VS);
		rc = lookup(FIX, buf + 3, FIX_KS, buf + 17, FIX_VS);
		check(rc == 0 && val_ok(buf + 17, FIX_VS, FIX_SAMPLE, 0),
		      "lookup with misaligned key and value pointers -> 0 (%s)", ename(rc));
	}

	/* Flags. */
	mkkey(key, FIX_KS, FIX_N);
	expect_err(update(FIX, key, FIX_KS, val, FIX_VS, 3), EINVAL, "update with flags 3");
	expect_err(update(FIX, key, FIX_KS, val, FIX_VS, 0x80000000), EINVAL, "update with flags 0x80000000");
	mkkey(key, FIX_KS, FIX_SAMPLE);
	expect_err(elem_fd(dev, HMAP_IOC_LOOKUP, FIX, key, FIX_KS, val, FIX_VS, 1), EINVAL,
		   "lookup with flags 1");
	expect_err(elem_fd(dev, HMAP_IOC_DELETE, FIX, key, FIX_KS, NULL, 0, 1), EINVAL,
		   "delete with flags 1");
	expect_err(elem_fd(dev, HMAP_IOC_DELETE, FIX, key, FIX_KS, NULL, 0, HMAP_UPDATE_EXIST), EINVAL,
		   "delete with flags EXIST");
}

static void test_bad_names(void)
{
	static const struct { const char *what; char name[HMAP_NAME_MAX]; } bad[] = {
		{ "empty", "" },
		{ "\"a/b\"", "a/b" },
		{ "\".x\"", ".x" },
		{ "\"..\"", ".." },
		{ "\"maps\"", "maps" },
		{ "\"a b\"", "a b" },
		{ "\"a\\n\"", "a\n" },
		{ "\"\\xff\"", "\xff" },
		{ "\"a\\0x\" (bytes after the NUL)", "a\0x" },
		{ "\"ab\" and a last byte set", "ab" },	/* byte 31 set below */
	};
	char name32[HMAP_NAME_MAX];
	uint8_t key[FIX_KS], val[FIX_VS];
	long long before = map_list(NULL, 0);
	size_t i;
	int rc;

	diag("names");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct hmap_ioc_create c = { .size = sizeof(c), .key_size = 4, .value_size = 4 };

		memcpy(c.name, bad[i].name, HMAP_NAME_MAX);
		if (i == ARRAY_SIZE(bad) - 1)
			c.name[HMAP_NAME_MAX - 1] = 1;
		rc = ioc(HMAP_IOC_CREATE, &c);
		expect_err(rc, EINVAL, "create with name %s", bad[i].what);
		if (rc == 0) {		/* take it away again */
			struct hmap_ioc_map mo = { .size = sizeof(mo) };

			memcpy(mo.name, c.name, HMAP_NAME_MAX);
			ioc(HMAP_IOC_DESTROY, &mo);
		}
	}
	memset(name32, 'n', sizeof(name32));	/* 32 characters, no NUL */
	{
		struct hmap_ioc_create c = { .size = sizeof(c), .key_size = 4, .value_size = 4 };

		memcpy(c.name, name32, HMAP_NAME_MAX);
		expect_err(ioc(HMAP_IOC_CREATE, &c), EINVAL, "create with a 32-character name (no NUL)");
	}
	check(map_list(NULL, 0) == before, "no map was created by a bad name");

	/* Bad names are EINVAL for every call, not ENOENT. */
	mkkey(key, FIX_KS, FIX_SAMPLE);
	{
		struct hmap_ioc_elem e = { .size = sizeof(e), .key = (uintptr_t)key,
					   .value = (uintptr_t)val, .key_size = FIX_KS,
					   .value_size = FIX_VS };
		struct hmap_ioc_map mo = { .size = sizeof(mo) };
		struct hmap_ioc_stats st = { .size = sizeof(st) };
		struct hmap_ioc_snapshot sn = { .size = sizeof(sn) };
		struct hmap_ioc_dump d = { .size = sizeof(d), .key_size = FIX_KS,
					   .value_size = FIX_VS, .count = 1,
					   .keys = (uintptr_t)key, .values = (uintptr_t)val };

		memcpy(e.name, "a/b", 4);
		expect_err(ioc(HMAP_IOC_LOOKUP, &e), EINVAL, "lookup in map \"a/b\"");
		memcpy(e.name, name32, HMAP_NAME_MAX);
		expect_err(ioc(HMAP_IOC_UPDATE, &e), EINVAL, "update in a 32-character name");
		memcpy(mo.name, ".x", 3);
		expect_err(ioc(HMAP_IOC_DESTROY, &mo), EINVAL, "destroy \".x\"");
		expect_err(ioc(HMAP_IOC_CLEAR, &mo), EINVAL, "clear \".x\"");
		memcpy(st.name, "maps", 5);
		expect_err(ioc(HMAP_IOC_STATS, &st), EINVAL, "stats of \"maps\"");
		memcpy(sn.name, FIX "\0x", sizeof(FIX) + 2);
		expect_err(ioc(HMAP_IOC_SNAPSHOT, &sn), EINVAL, "snapshot of \"" FIX "\\0x\"");
		expect_err(ioc(HMAP_IOC_DUMP, &d), EINVAL, "dump of an empty name");
	}
}

static void test_bad_create(void)
{
	static const struct { const char *what; uint32_t ks, vs, max, flags, reserved; } bad[] = {
		{ "key_size 0", 0, 4, 0, 0, 0 },
		{ "key_size 513", HMAP_MAX_KEY_SIZE + 1, 4, 0, 0, 0 },
		{ "key_size 0xffffffff", 0xffffffff, 4, 0, 0, 0 },
		{ "value_size 65537", 4, HMAP_MAX_VALUE_SIZE + 1, 0, 0, 0 },
		{ "value_size 0xffffffff", 4, 0xffffffff, 0, 0, 0 },
		{ "max_entries 0xffffffff", 4, 4, 0xffffffff, 0, 0 },
		{ "max_entries HMAP_MAX_ENTRIES + 1", 4, 4, HMAP_MAX_ENTRIES + 1, 0, 0 },
		{ "flags 2 (unknown)", 4, 4, 0, 2, 0 },
		{ "flags 0x80000001 (unknown bit)", 4, 4, 0, 0x80000001, 0 },
		{ "reserved 1", 4, 4, 0, 0, 1 },
	};
	size_t i;

	diag("bad create parameters");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct hmap_ioc_create c = {
			.size = sizeof(c), .key_size = bad[i].ks, .value_size = bad[i].vs,
			.max_entries = bad[i].max, .flags = bad[i].flags,
			.reserved = bad[i].reserved,
		};

		name_set(c.name, "e2e_badcreate");
		expect_err(ioc(HMAP_IOC_CREATE, &c), EINVAL, "create with %s", bad[i].what);
		if (map_exists("e2e_badcreate")) {
			check(false, "create with %s made a map", bad[i].what);
			map_destroy("e2e_badcreate");
		}
	}
	expect_err(map_create(FIX, FIX_KS, FIX_VS, 0), EEXIST, "create of an existing name");
	expect_err(map_create(FIX, 1, 1, 0), EEXIST, "create of an existing name, other sizes");
}

static void test_bad_misc(void)
{
	static uint8_t keys[1024 * FIX_KS], vals[1024 * FIX_VS];
	uint8_t key[FIX_KS], val[FIX_VS];
	struct hmap_ioc_map mo = { .size = sizeof(mo), .reserved = 1 };
	struct hmap_ioc_stats st;
	struct hmap_ioc_snapshot sn;
	struct hmap_ioc_list l = { .size = sizeof(l), .count = 4 };
	uint64_t cursor;
	uint32_t count;
	int rc;

	diag("bad map, list, dump, stats and snapshot requests; unknown requests");
	expect_err(map_destroy("e2e_nosuchmap"), ENOENT, "destroy of an unknown map");
	expect_err(map_clear("e2e_nosuchmap"), ENOENT, "clear of an unknown map");
	expect_err(map_stats("e2e_nosuchmap", &st), ENOENT, "stats of an unknown map");
	expect_err(map_snapshot("e2e_nosuchmap", &sn), ENOENT, "snapshot of an unknown map");
	cursor = 0;
	count = 16;
	expect_err(dump_call("e2e_nosuchmap", &cursor, keys, vals, FIX_KS, FIX_VS, &count),
		   ENOENT, "dump of an unknown map");

	name_set(mo.name, FIX);
	expect_err(ioc(HMAP_IOC_DESTROY, &mo), EINVAL, "destroy with reserved 1");
	expect_err(ioc(HMAP_IOC_CLEAR, &mo), EINVAL, "clear with reserved 1");

	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	name_set(st.name, FIX);
	st.reserved = 1;
	expect_err(ioc(HMAP_IOC_STATS, &st), EINVAL, "stats with reserved 1");
	for (int i = 0; i < 4; i++) {
		static const char *const field[] = {
			"reserved", "reserved2", "reserved3", "reserved4",
		};

		memset(&sn, 0, sizeof(sn));
		sn.size = sizeof(sn);
		name_set(sn.name, FIX);
		if (i == 0)
			sn.reserved = 1;
		else if (i == 1)
			sn.reserved2 = 1;
		else if (i == 2)
			sn.reserved3 = 1;
		else
			sn.reserved4 = 1;
		expect_err(ioc(HMAP_IOC_SNAPSHOT, &sn), EINVAL, "snapshot with %s 1", field[i]);
	}

	/* list */
	l.entries = 0;
	expect_err(ioc(HMAP_IOC_LIST, &l), EFAULT, "list into entries NULL with count 4");
	l.entries = (uintptr_t)hole;
	expect_err(ioc(HMAP_IOC_LIST, &l), EFAULT, "list into unmapped entries");
	l.entries = (uintptr_t)ro_page;
	expect_err(ioc(HMAP_IOC_LIST, &l), EFAULT, "list into read-only entries");
	l.entries = KERNEL_PTR;
	expect_err(ioc(HMAP_IOC_LIST, &l), EFAULT, "list into a kernel address");

	/* dump */
	{
		struct hmap_ioc_dump d;

#define DUMP_INIT(d) do { \
		memset(&(d), 0, sizeof(d)); \
		(d).size = sizeof(d); name_set((d).name, FIX); \
		(d).keys = (uintptr_t)keys; (d).values = (uintptr_t)vals; \
		(d).key_size = FIX_KS; (d).value_size = FIX_VS; (d).count = 1024; \
	} while (0)
		DUMP_INIT(d);
		rc = ioc(HMAP_IOC_DUMP, &d);
		check(rc == 0 && d.count == FIX_N && d.cursor == 0,
		      "dump of the fixture in one call -> %u entries, cursor 0 (%s)", d.count, ename(rc));
		DUMP_INIT(d); d.key_size = 4;
		expect_err(ioc(HMAP_IOC_DUMP, &d), EINVAL, "dump with key_size 4 (map's 8)");
		DUMP_INIT(d); d.value_size = 8;
		expect_err(ioc(HMAP_IOC_DUMP, &d), EINVAL, "dump with value_size 8 (map's 16)");
		DUMP_INIT(d); d.flags = 1;
		expect_err(ioc(HMAP_IOC_DUMP, &d), EINVAL, "dump with flags 1");
		DUMP_INIT(d); d.reserved = 1;
		expect_err(ioc(HMAP_IOC_DUMP, &d), EINVAL, "dump with reserved 1");
		DUMP_INIT(d); d.keys = 0;
		expect_err(ioc(HMAP_IOC_DUMP, &d), EFAULT, "dump into keys NULL");
		DUMP_INIT(d); d.values = 0;
		expect_err(ioc(HMAP_IOC_DUMP, &d), EFAULT, "dump into values NULL");
		DUMP_INIT(d); d.keys = (uintptr_t)hole;
		expect_err(ioc(HMAP_IOC_DUMP, &d), EFAULT, "dump into unmapped keys");
		DUMP_INIT(d); d.values = (uintptr_t)ro_page;
		expect_err(ioc(HMAP_IOC_DUMP, &d), EFAULT, "dump into read-only values");
		DUMP_INIT(d); d.keys = KERNEL_PTR;
		expect_err(ioc(HMAP_IOC_DUMP, &d), EFAULT, "dump into a kernel address");
		DUMP_INIT(d); d.values = (uintptr_t)(edge_end - 100 * FIX_VS + 8);
		expect_err(ioc(HMAP_IOC_DUMP, &d), EFAULT, "dump into values running into an unmapped page");
		DUMP_INIT(d); d.count = 0;
		expect_err(ioc(HMAP_IOC_DUMP, &d), EINVAL, "dump with count 0");
#undef DUMP_INIT
	}

	/* Unknown requests. */
	mkkey(key, FIX_KS, FIX_SAMPLE);
	{
		struct hmap_ioc_elem e = { .size = sizeof(e), .key = (uintptr_t)key,
					   .value = (uintptr_t)val, .key_size = FIX_KS,
					   .value_size = FIX_VS };
		static const unsigned int nrs[] = { 0, 11, 12, 0x7f, 0xff };

		name_set(e.name, FIX);
		for (size_t i = 0; i < ARRAY_SIZE(nrs); i++)
			expect_err(ioc(_IOWR(HMAP_IOC_MAGIC, nrs[i], struct hmap_ioc_elem), &e),
				   ENOTTY, "request number %u", nrs[i]);
		expect_err(ioc(_IOWR(HMAP_IOC_MAGIC + 1, 4, struct hmap_ioc_elem), &e), ENOTTY,
			   "lookup with magic 0xb8");
		expect_err(ioc(_IOWR(0, 5, struct hmap_ioc_elem), &e), ENOTTY, "update with magic 0");
		expect_err(ioc(_IOW('T', 2, struct hmap_ioc_map), &mo), ENOTTY,
			   "destroy request with magic 'T'");
		expect_err(ioc(0x5401 /* TCGETS */, &e), ENOTTY, "TCGETS");
		/* Type and number only: the direction and size bits do not matter. */
		rc = ioc(_IO(HMAP_IOC_MAGIC, _IOC_NR(HMAP_IOC_LOOKUP)), &e);
		check(rc == 0 && val_ok(val, FIX_VS, FIX_SAMPLE, 0),
		      "lookup as _IO(magic, 4) (no size, no direction) -> 0 (%s)", ename(rc));
	}

	/* A full map. */
	map_create("e2e_full", 4, 4, 10);
	rc = fill("e2e_full", 4, 4, 0, 10, 0);
	check(rc == 0 && map_count("e2e_full") == 10, "max_entries 10: 10 inserts -> 0 (%s)", ename(rc));
	mkkey(key, 4, 10);
	rc = update("e2e_full", key, 4, val, 4, HMAP_UPDATE_ANY);
	check(rc == -E2BIG && map_count("e2e_full") == 10 &&
	      lookup("e2e_full", key, 4, val, 4) == -ENOENT,
	      "the 11th insert -> E2BIG, count 10 (%s)", ename(rc));
	rc = update("e2e_full", key, 4, val, 4, HMAP_UPDATE_NOEXIST);
	check(rc == -E2BIG, "the 11th insert, NOEXIST -> E2BIG (%s)", ename(rc));
	mkkey(key, 4, 3);
	mkval(val, 4, 3, 1);
	rc = update("e2e_full", key, 4, val, 4, HMAP_UPDATE_ANY);
	check(rc == 0 && map_count("e2e_full") == 10, "replacing in a full map -> 0 (%s)", ename(rc));
	rc = update("e2e_full", key, 4, val, 4, HMAP_UPDATE_EXIST);
	check(rc == 0, "update EXIST in a full map -> 0 (%s)", ename(rc));
	delete("e2e_full", key, 4);
	mkkey(key, 4, 10);
	rc = update("e2e_full", key, 4, val, 4, HMAP_UPDATE_ANY);
	check(rc == 0 && map_count("e2e_full") == 10, "after a delete, an insert fits again (%s)", ename(rc));
	map_destroy("e2e_full");
}

/* ---- struct sizes and the argument pointer, for every request ---- */

static char abi_map[] = "e2e_abi";
static uint8_t abi_key[FIX_KS], abi_val[FIX_VS];
static uint8_t abi_keys[1024 * FIX_KS], abi_vals[1024 * FIX_VS];

struct abi_case {
	const char *what;
	unsigned long req;
	size_t size;			/* sizeof the structure */
	void (*fill)(void *req);	/* a valid request */
	void (*before)(void);		/* makes it valid to run */
	bool (*unchanged)(void);	/* after a rejection: nothing changed */
	void (*after)(void);
};

static void abi_fill_create(void *p)
{
	struct hmap_ioc_create *c = p;

	c->key_size = 8;
	c->value_size = 8;
	name_set(c->name, abi_map);
}

static void abi_fill_map(void *p)
{
	name_set(((struct hmap_ioc_map *)p)->name, abi_map);
}

static void abi_fill_list(void *p)
{
	(void)p;	/* count 0, entries NULL */
}

static void abi_fill_elem(void *p, uint64_t id, bool value)
{
	struct hmap_ioc_elem *e = p;

	name_set(e->name, FIX);
	mkkey(abi_key, FIX_KS, id);
	mkval(abi_val, FIX_VS, id, 0);
	e->key = (uintptr_t)abi_key;
	e->key_size = FIX_KS;
	if (value) {
		e->value = (uintptr_t)abi_val;
		e->value_size = FIX_VS;
	}
}

static void abi_fill_lookup(void *p) { abi_fill_elem(p, FIX_SAMPLE, true); }
static void abi_fill_update(void *p) { abi_fill_elem(p, FIX_N, true); }
static void abi_fill_delete(void *p) { abi_fill_elem(p, FIX_N, false); }

static void abi_fill_dump(void *p)
{
	struct hmap_ioc_dump *d = p;

	name_set(d->name, FIX);
	d->keys = (uintptr_t)abi_keys;
	d->values = (uintptr_t)abi_vals;
	d->key_size = FIX_KS;
	d->value_size = FIX_VS;
	d->count = 1024;
}

static void abi_fill_stats(void *p)
{
	name_set(((struct hmap_ioc_stats *)p)->name, FIX);
}

static void abi_fill_snapshot(void *p)
{
	name_set(((struct hmap_ioc_snapshot *)p)->name, FIX);
}

static void abi_no_map(void) { map_destroy(abi_map); }
static void abi_one_map(void)
{
	uint8_t k[8] = { 1 }, v[8] = { 2 };

	map_destroy(abi_map);
	map_create(abi_map, 8, 8, 0);
	update(abi_map, k, 8, v, 8, 0);
}
static bool abi_no_map_left(void) { return !map_exists(abi_map); }
static bool abi_map_kept(void) { return map_count(abi_map) == 1; }
static bool abi_true(void) { return true; }

static void abi_fix_add(void)
{
	mkkey(abi_key, FIX_KS, FIX_N);
	mkval(abi_val, FIX_VS, FIX_N, 0);
	update(FIX, abi_key, FIX_KS, abi_val, FIX_VS, 0);
}

static void abi_fix_del(void)
{
	mkkey(abi_key, FIX_KS, FIX_N);
	delete(FIX, abi_key, FIX_KS);
}

static bool abi_fix_has_extra(void) { return map_count(FIX) == FIX_N + 1; }
static bool abi_fix_plain(void) { return map_count(FIX) == FIX_N; }

static const struct abi_case abi_cases[] = {
	{ "create", HMAP_IOC_CREATE, sizeof(struct hmap_ioc_create), abi_fill_create,
	  abi_no_map, abi_no_map_left, abi_no_map },
	{ "destroy", HMAP_IOC_DESTROY, sizeof(struct hmap_ioc_map), abi_fill_map,
	  abi_one_map, abi_map_kept, abi_no_map },
	{ "clear", HMAP_IOC_CLEAR, sizeof(struct hmap_ioc_map), abi_fill_map,
	  abi_one_map, abi_map_kept, abi_no_map },
	{ "list", HMAP_IOC_LIST, sizeof(struct hmap_ioc_list), abi_fill_list,
	  NULL, abi_true, NULL },
	{ "lookup", HMAP_IOC_LOOKUP, sizeof(struct hmap_ioc_elem), abi_fill_lookup,
	  NULL, abi_true, NULL },
	{ "update", HMAP_IOC_UPDATE, sizeof(struct hmap_ioc_elem), abi_fill_update,
	  abi_fix_del, abi_fix_plain, abi_fix_del },
	{ "delete", HMAP_IOC_DELETE, sizeof(struct hmap_ioc_elem), abi_fill_delete,
	  abi_fix_add, abi_fix_has_extra, abi_fix_del },
	{ "dump", HMAP_IOC_DUMP, sizeof(struct hmap_ioc_dump), abi_fill_dump,
	  NULL, abi_true, NULL },
	{ "stats", HMAP_IOC_STATS, sizeof(struct hmap_ioc_stats), abi_fill_stats,
	  NULL, abi_true, NULL },
	{ "snapshot", HMAP_IOC_SNAPSHOT, sizeof(struct hmap_ioc_snapshot), abi_fill_snapshot,
	  NULL, abi_true, NULL },
};

/* A request with the size field @usize, at @at (inside a zeroed area). */
static int abi_run(const struct abi_case *c, unsigned long req, uint8_t *at, uint32_t usize,
		   long tail_byte)
{
	memset(at, 0, usize > c->size ? usize : c->size);
	c->fill(at);
	memcpy(at, &usize, sizeof(usize));
	if (tail_byte >= 0)
		at[tail_byte] = 0x5a;
	if (c->before)
		c->before();
	return ioc(req, at);
}

/* One check: the rejection's errno, nothing changed, the fixture intact. */
static void abi_expect(const struct abi_case *c, int rc, int err, const char *what)
{
	bool ok = rc == -err;

	if (!ok)
		diag("%s: %s: got %s", c->what, what, ename(rc));
	if (err && !c->unchanged()) {
		diag("%s: %s: the request changed something", c->what, what);
		ok = false;
	}
	if (c->after)
		c->after();
	ok = fixture_intact() && ok;
	check(ok, "%s: %s -> %s%s", c->what, what, ename(-err), err ? ", nothing changed" : "");
}

static void test_abi(void)
{
	static uint8_t area[2 * 4096 + 64] __attribute__((aligned(64)));
	size_t i;

	diag("structure sizes and argument pointers");
	for (i = 0; i < ARRAY_SIZE(abi_cases); i++) {
		const struct abi_case *c = &abi_cases[i];
		uint32_t sz = c->size;
		unsigned long bigger = _IOC(_IOC_DIR(c->req), HMAP_IOC_MAGIC, _IOC_NR(c->req),
					    (sz + 64) & _IOC_SIZEMASK);
		int rc;

		memset(area, 0, sizeof(area));
		abi_expect(c, abi_run(c, c->req, area, sz, -1), 0, "size = sizeof");
		abi_expect(c, abi_run(c, c->req, area + 1, sz, -1), 0, "misaligned structure");

		abi_expect(c, abi_run(c, c->req, area, 0, -1), EINVAL, "size 0");
		abi_expect(c, abi_run(c, c->req, area, 4, -1), EINVAL, "size 4");
		abi_expect(c, abi_run(c, c->req, area, sz - 1, -1), EINVAL, "size sizeof - 1");

		abi_expect(c, abi_run(c, c->req, area, sz + 8, -1), 0, "size + 8, zero tail");
		abi_expect(c, abi_run(c, bigger, area, sz + 64, -1), 0,
			   "size + 64 in the structure and the request number");
		abi_expect(c, abi_run(c, c->req, area, 4096, -1), 0, "size 4096, zero tail");
		abi_expect(c, abi_run(c, c->req, area, sz + 8, sz + 3), EINVAL,
			   "size + 8, a non-zero tail byte");
		abi_expect(c, abi_run(c, c->req, area, 4096, 4095), EINVAL,
			   "size 4096, last byte non-zero");

		/* The structure runs into an unmapped page. */
		{
			uint8_t *at = edge_end - sz;

			abi_expect(c, abi_run(c, c->req, at, sz, -1), 0, "structure ending at an unmapped page");
			memset(at, 0, sz);
			c->fill(at);
			memcpy(at, &(uint32_t){ sz + 8 }, 4);
			if (c->before)
				c->before();
			abi_expect(c, ioc(c->req, at), EFAULT, "size + 8 running into an unmapped page");
		}
		if (c->before)
			c->before();
		rc = ioc(c->req, NULL);
		abi_expect(c, rc, EFAULT, "argument NULL");
		if (c->before)
			c->before();
		abi_expect(c, ioc(c->req, hole), EFAULT, "argument unmapped");
		if (c->before)
			c->before();
		abi_expect(c, ioc(c->req, (void *)(uintptr_t)KERNEL_PTR), EFAULT,
			   "argument a kernel address");
	}
}

/* ---- CAP_SYS_ADMIN ---- */

/* What the unprivileged child saw, for the parent to check. */
struct unpriv_result {
	int setuid_rc;
	int open_rc;		/* open /dev/hmap at 0666 as the user */
	int create_rc, destroy_rc, lookup_rc, update_rc, stats_rc;
	int inh_create_rc, inh_destroy_rc, inh_lookup_rc;
};

static void unpriv_child(int wfd)
{
	struct unpriv_result r = { 0 };
	uint8_t key[FIX_KS], val[FIX_VS];
	struct hmap_ioc_create c = { .size = sizeof(c), .key_size = 4, .value_size = 4 };
	struct hmap_ioc_map mo = { .size = sizeof(mo) };
	struct hmap_ioc_stats st = { .size = sizeof(st) };
	int fd;

	name_set(c.name, "e2e_unpriv");
	name_set(mo.name, FIX);
	name_set(st.name, FIX);
	mkkey(key, FIX_KS, FIX_SAMPLE);
	mkval(val, FIX_VS, FIX_SAMPLE, 0);
	if (setgroups(0, NULL) || setgid(unpriv_uid) || setuid(unpriv_uid) || geteuid() == 0)
		r.setuid_rc = errno ? -errno : -EPERM;
	/* The fd the parent (root) opened: what counts is the caller's caps. */
	r.inh_create_rc = ioc_fd(dev, HMAP_IOC_CREATE, &c);
	r.inh_destroy_rc = ioc_fd(dev, HMAP_IOC_DESTROY, &mo);
	r.inh_lookup_rc = elem_fd(dev, HMAP_IOC_LOOKUP, FIX, key, FIX_KS, val, FIX_VS, 0);
	fd = open(dev_path, O_RDWR);
	r.open_rc = fd < 0 ? -errno : 0;
	if (fd >= 0) {
		r.create_rc = ioc_fd(fd, HMAP_IOC_CREATE, &c);
		r.destroy_rc = ioc_fd(fd, HMAP_IOC_DESTROY, &mo);
		r.lookup_rc = elem_fd(fd, HMAP_IOC_LOOKUP, FIX, key, FIX_KS, val, FIX_VS, 0);
		r.update_rc = elem_fd(fd, HMAP_IOC_UPDATE, FIX, key, FIX_KS, val, FIX_VS, 0);
		r.stats_rc = ioc_fd(fd, HMAP_IOC_STATS, &st);
		close(fd);
	}
	if (write(wfd, &r, sizeof(r)) != sizeof(r))
		_exit(1);
	_exit(0);
}

static void test_unpriv(void)
{
	struct unpriv_result r;
	struct stat sb;
	int pfd[2], status;
	mode_t mode;
	pid_t pid;
	ssize_t n;

	diag("CAP_SYS_ADMIN (unprivileged uid %u)", (unsigned int)unpriv_uid);
	if (geteuid() != 0) {
		skip("create and destroy without CAP_SYS_ADMIN: not running as root");
		return;
	}
	if (stat(dev_path, &sb))
		bail("stat %s: %s", dev_path, strerror(errno));
	mode = sb.st_mode & 07777;
	check(mode == 0600, "%s has mode 0600 by default (%04o)", dev_path, (unsigned int)mode);
	if (chmod(dev_path, 0666) || pipe(pfd))
		bail("chmod/pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		bail("fork: %s", strerror(errno));
	if (pid == 0)
		unpriv_child(pfd[1]);
	close(pfd[1]);
	n = read(pfd[0], &r, sizeof(r));
	close(pfd[0]);
	waitpid(pid, &status, 0);
	chmod(dev_path, mode);
	if (n != sizeof(r) || r.setuid_rc) {
		check(false, "unprivileged child ran (setuid %s)", n == sizeof(r) ? ename(r.setuid_rc) : "?");
		return;
	}
	check(r.open_rc == 0, "uid %u opens %s at mode 0666 (%s)", (unsigned int)unpriv_uid,
	      dev_path, ename(r.open_rc));
	expect_err(r.create_rc, EPERM, "create without CAP_SYS_ADMIN");
	check(!map_exists("e2e_unpriv"), "no map was created");
	expect_err(r.destroy_rc, EPERM, "destroy without CAP_SYS_ADMIN");
	check(r.lookup_rc == 0 && r.update_rc == 0 && r.stats_rc == 0,
	      "lookup, update and stats need no capability (%s, %s, %s)", ename(r.lookup_rc),
	      ename(r.update_rc), ename(r.stats_rc));
	expect_err(r.inh_create_rc, EPERM, "create without CAP_SYS_ADMIN on root's open file");
	expect_err(r.inh_destroy_rc, EPERM, "destroy without CAP_SYS_ADMIN on root's open file");
	check(r.inh_lookup_rc == 0, "lookup on root's open file -> 0 (%s)", ename(r.inh_lookup_rc));
}

/* ---- destroy while others are inside the map ---- */

enum looper { LOOP_LOOKUP, LOOP_DUMP, LOOP_UPDATE, LOOP_SNAPSHOT, LOOP_NR };
static const char *const looper_names[] = { "lookup", "dump", "update", "snapshot" };

/* Loops @what on @m until the map is gone: exit 0 on ENOENT, 1 on another error. */
static void __attribute__((noreturn)) looper(const char *m, enum looper what, int ready)
{
	static uint8_t keys[64 * 8], vals[64 * 8];
	struct hmap_ioc_snapshot sn;
	uint8_t key[8], val[8];
	uint64_t cursor = 0, i;
	uint32_t count;
	int rc = 0;

	alarm(120);
	for (i = 0;; i++) {
		mkkey(key, 8, i % 5000);
		switch (what) {
		case LOOP_LOOKUP:
			rc = lookup(m, key, 8, val, 8);
			break;
		case LOOP_DUMP:
			count = 64;
			rc = dump_call(m, &cursor, keys, vals, 8, 8, &count);
			if (rc == -ENOSPC)	/* a long chain: take it whole */
				rc = 0, cursor = 0;
			break;
		case LOOP_UPDATE:
			mkval(val, 8, i % 5000, 0);
			rc = update(m, key, 8, val, 8, 0);
			break;
		default:
			rc = map_snapshot(m, &sn);
			break;
		}
		if (rc == -ENOENT && (what != LOOP_LOOKUP || map_count(m) < 0))
			_exit(0);
		if (rc && rc != -ENOENT) {
			fprintf(stderr, "looper %s: %s\n", looper_names[what], ename(rc));
			_exit(1);
		}
		if (i == 10 && write(ready, "r", 1) != 1)
			_exit(1);
	}
}

static void test_destroy_race(void)
{
	const char *m = "e2e_race";
	int round;

	diag("destroy while other processes are inside the map");
	for (round = 0; round < 3; round++) {
		pid_t pids[LOOP_NR];
		int pfd[2], status, rc, ok_children = 0;
		char c;

		map_create(m, 8, 8, 0);
		fill(m, 8, 8, 0, 5000, 0);
		if (pipe(pfd))
			bail("pipe: %s", strerror(errno));
		for (int w = 0; w < LOOP_NR; w++) {
			pids[w] = fork();
			if (pids[w] < 0)
				bail("fork: %s", strerror(errno));
			if (pids[w] == 0) {
				close(pfd[0]);
				looper(m, w, pfd[1]);
			}
		}
		close(pfd[1]);
		for (int w = 0; w < LOOP_NR; w++)
			if (read(pfd[0], &c, 1) != 1)
				break;
		close(pfd[0]);
		usleep(20000 * (round + 1));
		rc = map_destroy(m);
		for (int w = 0; w < LOOP_NR; w++) {
			waitpid(pids[w], &status, 0);
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				ok_children++;
			else
				diag("%s looper: %s %d", looper_names[w],
				     WIFEXITED(status) ? "exit" : "signal",
				     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		}
		check(rc == 0 && ok_children == LOOP_NR && !map_exists(m),
		      "round %d: destroy -> 0 while lookup, dump, update and snapshot loop; each saw ENOENT and stopped (%d/%d)",
		      round + 1, ok_children, LOOP_NR);
	}

	/* A dump whose map goes away between two calls. */
	{
		static uint8_t keys[16 * 8], vals[16 * 8];
		uint64_t cursor = 0;
		uint32_t count = 16;
		int rc;

		map_create(m, 8, 8, 0);
		fill(m, 8, 8, 0, 1000, 0);
		rc = dump_call(m, &cursor, keys, vals, 8, 8, &count);
		map_destroy(m);
		count = 16;
		rc = rc ? rc : dump_call(m, &cursor, keys, vals, 8, 8, &count);
		check(rc == -ENOENT, "a dump resumed after its map was destroyed -> ENOENT (%s)", ename(rc));
	}
}

/* ---- main ---- */

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-v] [-u UID] [-d DEVICE]\n"
		"       %s [-d DEVICE] fill NAME KEY_SIZE VALUE_SIZE COUNT\n"
		"       %s [-d DEVICE] insert NAME KEY_SIZE VALUE_SIZE FROM TO [-s DIR] [FIELD...]\n",
		prog, prog, prog);
	exit(2);
}

/* hmap-ioctl-test fill NAME KEY_SIZE VALUE_SIZE COUNT */
static int fill_cmd(char **argv)
{
	uint32_t ks = strtoul(argv[1], NULL, 0), vs = strtoul(argv[2], NULL, 0);
	uint64_t n = strtoull(argv[3], NULL, 0);
	int rc = map_create(argv[0], ks, vs, 0);

	if (rc) {
		fprintf(stderr, "fill: create %s: %s\n", argv[0], strerror(-rc));
		return 1;
	}
	rc = fill(argv[0], ks, vs, 0, n, 0);
	if (rc) {
		fprintf(stderr, "fill: insert into %s: %s\n", argv[0], strerror(-rc));
		return 1;
	}
	return 0;
}

/* The contents of @path (NUL-terminated; *@len bytes), or NULL. */
static char *slurp(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0, r;
	char *buf = malloc(cap + 1);
	FILE *f = fopen(path, "r");

	if (!f) {
		free(buf);
		return NULL;
	}
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

/*
 * Prints "@id" and the @nf fields @f of debugfs's stats file of @name, all
 * from one read of the file.
 */
static int print_stats_fields(const char *name, uint64_t id, char **f, int nf)
{
	char path[128], *st, *line;
	size_t len;

	snprintf(path, sizeof(path), "/sys/kernel/debug/hmap/%s/stats", name);
	st = slurp(path, &len);
	if (!st) {
		fprintf(stderr, "insert: %s: %s\n", path, strerror(errno));
		return 1;
	}
	printf("%llu", (unsigned long long)id);
	for (int i = 0; i < nf; i++) {
		size_t l = strlen(f[i]);
		bool found = false;

		for (line = st; line && !found; line = strchr(line, '\n')) {
			if (*line == '\n')
				line++;
			if (!strncmp(line, f[i], l) && line[l] == ':' && line[l + 1] == ' ') {
				printf(" %.*s", (int)strcspn(line + l + 2, "\n"), line + l + 2);
				found = true;
			}
		}
		if (!found)
			printf(" ?");
	}
	putchar('\n');
	free(st);
	return 0;
}

/* Writes @len bytes of @data to @dir/@file. */
static bool save(const char *dir, const char *file, const char *data, size_t len)
{
	char path[256];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	if (!f)
		return false;
	ok = fwrite(data, 1, len, f) == len;
	return !fclose(f) && ok;
}

/*
 * The views of a grow that insert -s copies: files that must be read at
 * one moment, with the stats of that moment saved as stats.N.
 */
static const char *const views[][3] = {
	{ "buckets", "old_buckets", NULL },
	{ "histogram", NULL },
};

/*
 * Copies view @v of @name's debugfs files to @dir if the map is growing
 * and its stats read the same before and after (no evacuation happened
 * meanwhile). Returns 1 if it did, -1 if the stats moved, 0 if the map is
 * not growing from 32 buckets or more.
 */
static int snapshot_view(const char *name, const char *dir, unsigned int v)
{
	char path[256], sname[16], *before, *after, *old, *data[2] = { NULL, NULL };
	size_t blen, alen, len[2];
	bool ok;
	int i;

	snprintf(path, sizeof(path), "/sys/kernel/debug/hmap/%s/stats", name);
	before = slurp(path, &blen);
	old = before ? strstr(before, "\nold_buckets: ") : NULL;
	if (!old || strstr(before, "growing: no\n") || strtoull(old + 14, NULL, 10) < 32) {
		free(before);
		return 0;
	}
	for (i = 0; views[v][i]; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/hmap/%s/%s", name, views[v][i]);
		data[i] = slurp(path, &len[i]);
	}
	snprintf(path, sizeof(path), "/sys/kernel/debug/hmap/%s/stats", name);
	after = slurp(path, &alen);
	ok = after && alen == blen && !memcmp(before, after, blen);
	snprintf(sname, sizeof(sname), "stats.%u", v);
	ok = ok && save(dir, sname, before, blen);
	for (i = 0; views[v][i]; i++)
		ok = ok && data[i] && save(dir, views[v][i], data[i], len[i]);
	for (i = 0; i < 2; i++)
		free(data[i]);
	free(before);
	free(after);
	return ok ? 1 : -1;
}

/* hmap-ioctl-test insert NAME KEY_SIZE VALUE_SIZE FROM TO [-s DIR] [FIELD...] */
static int insert_cmd(int argc, char **argv)
{
	uint32_t ks = strtoul(argv[1], NULL, 0), vs = strtoul(argv[2], NULL, 0);
	uint64_t from = strtoull(argv[3], NULL, 0), to = strtoull(argv[4], NULL, 0);
	char **fields = argv + 5;
	int nfields = argc - 5, tries = 0;
	const char *dir = NULL;
	unsigned int view = 0;

	if (nfields >= 2 && !strcmp(fields[0], "-s")) {
		dir = fields[1];
		fields += 2;
		nfields -= 2;
	}
	for (uint64_t id = from; id < to; id++) {
		int rc = fill(argv[0], ks, vs, id, id + 1, 0);

		if (rc) {
			fprintf(stderr, "insert: id %llu into %s: %s\n", (unsigned long long)id,
				argv[0], strerror(-rc));
			return 1;
		}
		if (nfields && print_stats_fields(argv[0], id, fields, nfields))
			return 1;
		if (dir && view < ARRAY_SIZE(views)) {
			int got = snapshot_view(argv[0], dir, view);

			if (got > 0) {
				fprintf(stderr, "insert: view %u of %s's grow copied to %s after id %llu (%d failed tries)\n",
					view, argv[0], dir, (unsigned long long)id, tries);
				view++;
				tries = 0;
			} else if (got < 0) {
				tries++;
			}
		}
	}
	if (dir && view < ARRAY_SIZE(views))
		fprintf(stderr, "insert: view %u of %s's grows not copied (%d failed tries)\n",
			view, argv[0], tries);
	return 0;
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "+vu:d:h")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'u':
			unpriv_uid = (uid_t)strtoul(optarg, NULL, 0);
			break;
		case 'd':
			dev_path = optarg;
			break;
		default:
			usage(argv[0]);
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	page_size = sysconf(_SC_PAGESIZE);
	dev = open(dev_path, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		bail("open %s: %s", dev_path, strerror(errno));
	if (optind < argc) {
		if (!strcmp(argv[optind], "fill") && argc - optind == 5)
			return fill_cmd(argv + optind + 1);
		if (!strcmp(argv[optind], "insert") && argc - optind >= 6)
			return insert_cmd(argc - optind - 1, argv + optind + 1);
		usage(argv[0]);
	}
	setup_memory();

	/* Leftovers of an interrupted run. */
	map_destroy(FIX);
	if (map_create(FIX, FIX_KS, FIX_VS, 0) || fill(FIX, FIX_KS, FIX_VS, 0, FIX_N, 0))
		bail("cannot create the fixture map %s", FIX);
	check(fixture_intact(), "fixture %s: %d entries", FIX, FIX_N);

	test_create_destroy();
	test_elem_ops();
	test_big_entries();
	test_dump();
	test_stats_snapshot();
	test_shrink();
	test_bad_elem();
	test_bad_names();
	test_bad_create();
	test_bad_misc();
	test_abi();
	test_unpriv();
	test_destroy_race();

	check(fixture_intact() && map_destroy(FIX) == 0 && !map_exists(FIX),
	      "fixture intact at the end, destroyed");
	if (verbose)
		diag("maps left: %lld", map_list(NULL, 0));
	printf("1..%u\n", ntests);
	printf("ioctl_test: %u passed, %u failed\n", ntests - nfailed, nfailed);
	return nfailed ? 1 : 0;
}
