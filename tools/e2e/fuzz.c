// SPDX-License-Identifier: GPL-2.0
/*
 * hmap-fuzz: a randomized, model-checked fuzzer of the /dev/hmap ioctls.
 *
 *   hmap-fuzz [-n CALLS] [-s SEED] [-d DEVICE] [-v]
 *
 *   -n CALLS   ioctl calls to make (default 100000)
 *   -s SEED    random seed (default: from the clock); printed, so a failing
 *              run can be repeated (the requests are the same; only what a
 *              dump returns depends on the maps' own random hash seeds)
 *   -v         print every inconsistency, not only the first few of a kind
 *
 * Each call picks a request (every hmap request, with the request number's
 * size and direction bits sometimes wrong, plus unknown numbers and wrong
 * magics), fills its structure from a few plausible values, and then may
 * spoil it: a wrong size field, a non-zero tail, reserved fields or flags
 * set, a bad name, wrong key or value sizes, pointers that are NULL,
 * unmapped, in the kernel, read-only, misaligned or running into an
 * unmapped page, huge counts; sizes of a structure's older versions (valid)
 * and between two versions (invalid); shard_bits over HMAP_MAX_SHARD_BITS,
 * evac_delay_ms over HMAP_MAX_EVAC_DELAY_MS,
 * unknown query bits, a shard without HMAP_QUERY_SHARD or past the map's
 * last, a dump cursor naming a shard past the last. Map names come from a
 * small pool, so maps do get created and hit; some of them are maps of
 * shards, whose element ops, dumps, stats and snapshots (of the whole map
 * or, with HMAP_QUERY_SHARD, of one shard) are checked the same way.
 *
 * A model of every map created here (its sizes and its entries) predicts
 * the result of each request that was not spoiled, and every spoiled
 * request that is invalid by the ABI's contract must fail; a successful
 * request updates the model (a request that fails must change nothing).
 * At the end every map is checked against the model: the list shows it,
 * its stats count equals a full dump's entry count, each dumped key looks
 * up with the dumped value, dump and model hold the same entries, and for a
 * map of shards the shards' counts and buckets sum to the map's. Then the
 * maps are destroyed.
 *
 * Exit status: 0 if nothing was inconsistent, 1 otherwise, 2 on a setup
 * failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <uapi/hmap.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	((a) < (b) ? (a) : (b))

static const char *dev_path = HMAP_DEVICE;
static int dev = -1;
static bool verbose;
static long page_size;

/* ---- random numbers (splitmix64: seedable, fast, good enough) ---- */

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

static void rnd_bytes(void *buf, size_t len)
{
	uint8_t *b = buf;
	uint64_t r = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!(i & 7))
			r = rnd();
		b[i] = (uint8_t)r;
		r >>= 8;
	}
}

/* ---- inconsistencies: counted by kind ---- */

struct kind {
	const char *what;
	unsigned long n;
};

static struct kind kinds[64];
static unsigned long inconsistencies;
static unsigned long call_no;

static void __attribute__((format(printf, 2, 3)))
inconsistent(const char *kind, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	inconsistencies++;
	for (i = 0; i < ARRAY_SIZE(kinds) && kinds[i].what; i++)
		if (!strcmp(kinds[i].what, kind))
			break;
	if (i < ARRAY_SIZE(kinds)) {
		kinds[i].what = kind;
		if (kinds[i].n++ >= 3 && !verbose)
			return;
	}
	printf("INCONSISTENT call %lu: %s: ", call_no, kind);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static const char *ename(int rc)
{
	static char buf[4][32];
	static unsigned int i;
	const char *s = rc ? strerrorname_np(-rc) : "0";

	if (s)
		return s;
	i = (i + 1) % ARRAY_SIZE(buf);
	snprintf(buf[i], sizeof(buf[i]), "errno %d", -rc);
	return buf[i];
}

/* ---- statistics ---- */

enum op {
	OP_CREATE, OP_DESTROY, OP_LIST, OP_LOOKUP, OP_UPDATE, OP_DELETE,
	OP_CLEAR, OP_DUMP, OP_STATS, OP_SNAPSHOT, OP_UNKNOWN, OP_NR
};

static const char *const op_names[OP_NR] = {
	"create", "destroy", "list", "lookup", "update", "delete", "clear",
	"dump", "stats", "snapshot", "unknown",
};

static const unsigned long op_reqs[OP_UNKNOWN] = {
	HMAP_IOC_CREATE, HMAP_IOC_DESTROY, HMAP_IOC_LIST, HMAP_IOC_LOOKUP,
	HMAP_IOC_UPDATE, HMAP_IOC_DELETE, HMAP_IOC_CLEAR, HMAP_IOC_DUMP,
	HMAP_IOC_STATS, HMAP_IOC_SNAPSHOT,
};

/*
 * Relative frequency of each request, per 1000. Destroy and clear are rare
 * enough that a map lives for thousands of calls and grows.
 */
static const unsigned int op_weight[OP_NR] = {
	[OP_CREATE] = 20, [OP_DESTROY] = 1, [OP_LIST] = 30, [OP_LOOKUP] = 250,
	[OP_UPDATE] = 330, [OP_DELETE] = 120, [OP_CLEAR] = 1, [OP_DUMP] = 100,
	[OP_STATS] = 50, [OP_SNAPSHOT] = 30, [OP_UNKNOWN] = 30,
};

static unsigned long op_calls[OP_NR], op_ok[OP_NR];
static unsigned long errno_count[512];
static unsigned long predicted, must_fail_calls;

/* ---- the model ---- */

#define NR_NAMES	6	/* valid names fz0..fz5 */

struct entry {
	uint8_t *key;
	uint8_t *val;
};

struct model {
	bool exists;
	uint32_t ks, vs, max;	/* max as created (0 means the largest) */
	uint32_t flags;
	uint32_t shard_bits;	/* 2^shard_bits shards (0: one table) */
	uint32_t evac_delay_ms;	/* as created (0 means HMAP_EVAC_DELAY_MS) */
	unsigned long seq;	/* creation order */
	struct entry *e;
	size_t n, cap;
	uint64_t cursor;	/* the last cursor a dump returned */
};

static struct model maps[NR_NAMES];
static unsigned long create_seq;

/*
 * Maps made by a create that should have failed (a bad name accepted):
 * already an inconsistency; kept here so that lists are not all reported
 * too, and destroyed at the end.
 */
#define MAX_ALIENS	64
static char aliens[MAX_ALIENS][HMAP_NAME_MAX];
static unsigned int naliens;

static int alien_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < naliens; i++)
		if (!memcmp(aliens[i], name, HMAP_NAME_MAX))
			return i;
	return -1;
}

static void slot_name(char name[HMAP_NAME_MAX], int slot)
{
	memset(name, 0, HMAP_NAME_MAX);
	snprintf(name, HMAP_NAME_MAX, "fz%d", slot);
}

/* Invalid names, all -EINVAL by the ABI. */
static void bad_name(char name[HMAP_NAME_MAX])
{
	static const char *const pool[] = {
		"", "a/b", ".x", "..", "maps", "a b", "fz0\n", "\xe9t\xe9", "fz\xff",
	};
	uint32_t i = below(ARRAY_SIZE(pool) + 2);

	memset(name, 0, HMAP_NAME_MAX);
	if (i < ARRAY_SIZE(pool)) {
		strcpy(name, pool[i]);
	} else if (i == ARRAY_SIZE(pool)) {
		memset(name, 'n', HMAP_NAME_MAX);	/* no NUL */
	} else {
		strcpy(name, "fz0");			/* junk after the NUL */
		name[4 + below(HMAP_NAME_MAX - 4)] = (char)(1 + below(255));
	}
}

static struct entry *model_find(struct model *m, const void *key)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!memcmp(m->e[i].key, key, m->ks))
			return &m->e[i];
	return NULL;
}

static void model_put(struct model *m, const void *key, const void *val)
{
	struct entry *e = model_find(m, key);

	if (!e) {
		if (m->n == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 64;
			m->e = realloc(m->e, m->cap * sizeof(*m->e));
		}
		e = &m->e[m->n++];
		e->key = malloc(m->ks);
		memcpy(e->key, key, m->ks);
		e->val = m->vs ? malloc(m->vs) : NULL;
	}
	if (m->vs)
		memcpy(e->val, val, m->vs);
}

static void model_del(struct model *m, const void *key)
{
	struct entry *e = model_find(m, key);

	if (!e)
		return;
	free(e->key);
	free(e->val);
	*e = m->e[--m->n];
}

static void model_clear(struct model *m)
{
	while (m->n)
		model_del(m, m->e[0].key);
}

static void model_drop(struct model *m)
{
	model_clear(m);
	free(m->e);
	memset(m, 0, sizeof(*m));
}

/*
 * The max_entries of one table (or shard): @max, or with @max 0 (or more)
 * the load (6.5 a bucket) of the largest bucket array one allocation
 * holds, INT_MAX bytes. A bucket is 24 bytes and 8 slots, a key or value
 * over 128 bytes being a pointer.
 */
static uint32_t table_max(const struct model *m, uint32_t max)
{
	uint64_t ks = m->ks > 128 ? 8 : m->ks, vs = m->vs > 128 ? 8 : m->vs;
	uint64_t bucket = (24 + 8 * (ks + vs) + 7) & ~7ULL;
	unsigned int B = 0;

	while (bucket << (B + 1) <= INT32_MAX)
		B++;
	return max && max < 13U << (B - 1) ? max : 13U << (B - 1);
}

/* What each shard takes: (max ?: HMAP_MAX_ENTRIES) >> shard_bits, or less. */
static uint32_t model_shard_max(const struct model *m)
{
	return table_max(m, (m->max ? m->max : HMAP_MAX_ENTRIES) >> m->shard_bits);
}

/* The max_entries the map reports: the sum of its shards'. */
static uint32_t model_max(const struct model *m)
{
	return model_shard_max(m) << m->shard_bits;
}

/* A new key is refused for sure: the map holds what all its shards take. */
static bool model_full(const struct model *m)
{
	return m->max && m->n >= model_max(m);
}

/*
 * A new key may be refused, or not: some shard may be full (the model does
 * not know which shard a key is in), but not all of them.
 */
static bool model_maybe_full(const struct model *m)
{
	return m->max && m->shard_bits && m->n >= model_shard_max(m) && !model_full(m);
}

/* ---- the watchdog: says which request never returned ---- */

/*
 * A request that loops in the kernel cannot be interrupted, and the run
 * would end in the VM's timeout with no word of what hung: a child
 * process watches the request in flight (in shared memory) and prints it
 * if it has not returned after WATCH_SECS.
 */
#define WATCH_SECS	30

struct watch {
	volatile unsigned long call;	/* the call in flight, 0: none */
	unsigned int op;		/* what it is */
	unsigned long req;
	uint32_t usize;
	uint64_t arg;
	bool dump;			/* a dump: its fields */
	uint64_t cursor;
	uint32_t count, shard_bits;
	char name[HMAP_NAME_MAX];
};

static struct watch *watch;
static pid_t watchdog_pid;

static void watchdog(pid_t parent)
{
	unsigned long seen = 0, reported = 0;
	int secs = 0;

	for (;;) {
		unsigned long now_call = watch->call;

		sleep(1);
		if (getppid() != parent)
			_exit(0);
		if (!now_call || now_call != watch->call || now_call != seen) {
			seen = now_call;
			secs = 0;
			continue;
		}
		if (++secs >= WATCH_SECS && reported != now_call) {
			dprintf(1, "INCONSISTENT call %lu: the request did not return within %d s (it loops in the kernel?): %s (req %#lx, size field %u, argument %#llx)",
				now_call, WATCH_SECS, op_names[watch->op], watch->req, watch->usize,
				(unsigned long long)watch->arg);
			if (watch->dump)
				dprintf(1, ": map %.32s (shard_bits %u), cursor %#llx, count %u",
					watch->name, watch->shard_bits,
					(unsigned long long)watch->cursor, watch->count);
			dprintf(1, "\n");
			reported = now_call;
		}
	}
}

static void watchdog_start(void)
{
	pid_t parent = getpid();

	watch = mmap(NULL, sizeof(*watch), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (watch == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	memset(watch, 0, sizeof(*watch));
	fflush(stdout);
	watchdog_pid = fork();
	if (watchdog_pid == 0)
		watchdog(parent);
}

static void watchdog_stop(void)
{
	if (watchdog_pid > 0) {
		kill(watchdog_pid, SIGKILL);
		waitpid(watchdog_pid, NULL, 0);
	}
}

/* ---- memory: buffers, and holes to point at ---- */

#define DUMP_BYTES	(64UL << 20)	/* each of the dump key and value areas */
#define AREA_BYTES	(3 * 4096)

static uint8_t *area;		/* the request structures go here */
static uint8_t *kbuf, *vbuf;	/* a key, a value */
static uint8_t *dkeys, *dvals;	/* dump output; a guard page follows each */
static struct hmap_list_entry *lbuf;
#define LIST_ROOM	64
static uint8_t *edge_end;	/* readable up to here, then a hole */
static uint8_t *hole;
static uint8_t *ro_page;	/* read-only, filled with 0xa5 */

static void *map_or_die(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

/* @len bytes followed by an inaccessible page. */
static uint8_t *guarded(size_t len)
{
	size_t rounded = (len + page_size - 1) & ~(size_t)(page_size - 1);
	uint8_t *p = map_or_die(rounded + page_size);

	mprotect(p + rounded, page_size, PROT_NONE);
	return p + rounded - len;
}

static void setup_memory(void)
{
	uint8_t *p = map_or_die(3 * page_size);

	area = guarded(AREA_BYTES + 64);
	kbuf = guarded(HMAP_MAX_KEY_SIZE + 64);
	vbuf = guarded(HMAP_MAX_VALUE_SIZE + 64);
	dkeys = guarded(DUMP_BYTES + 64);
	dvals = guarded(DUMP_BYTES + 64);
	lbuf = (struct hmap_list_entry *)guarded(LIST_ROOM * sizeof(*lbuf) + 64);
	/* [rw][hole][ro] */
	munmap(p + page_size, page_size);
	memset(p + 2 * page_size, 0xa5, page_size);
	mprotect(p + 2 * page_size, page_size, PROT_READ);
	edge_end = p + page_size;
	hole = p + page_size;
	ro_page = p + 2 * page_size;
}

/* ---- one call ---- */

struct call {
	enum op op;
	unsigned long req;
	bool spoiled;		/* something was changed: no prediction */
	bool must_fail;		/* ... and by the contract it is invalid */
	const char *why;	/* with must_fail: how it was spoiled */
	int expect_errno;	/* with must_fail: the errno if only one will do */
};

/* Marks @c as spoiled; @why (a static string) if that makes it invalid. */
static void spoil(struct call *c, const char *why)
{
	c->spoiled = true;
	if (why) {
		c->must_fail = true;
		c->why = why;
	}
}

/* Pointer kinds. */
enum ptr { P_GOOD, P_MISALIGNED, P_NULL, P_HOLE, P_KERNEL, P_EDGE, P_RO, P_WILD, P_NR };

/*
 * A pointer to @len bytes at @buf (which has 8 bytes of slack), or with
 * @spoil_pct percent chance a bad one. *@kind says which it is.
 */
static uint64_t pick_ptr(uint8_t *buf, size_t len, unsigned int spoil_pct, enum ptr *kind)
{
	*kind = chance(spoil_pct) ? (enum ptr)(P_NULL + below(P_NR - P_NULL)) :
		chance(15) ? P_MISALIGNED : P_GOOD;
	switch (*kind) {
	case P_GOOD:
		return (uintptr_t)buf;
	case P_MISALIGNED:
		return (uintptr_t)buf + 1 + below(7);
	case P_NULL:
		return 0;
	case P_HOLE:
		return (uintptr_t)hole + below(page_size);
	case P_KERNEL:
		return 0xffff888000000000ULL + (rnd() & 0xffffff8ULL);
	case P_EDGE:	/* starts readable, runs into the hole */
		return (uintptr_t)edge_end - (len > 1 ? 1 + below(len - 1) : 0);
	case P_RO:
		return (uintptr_t)ro_page;
	default:	/* never mapped: low, non-canonical or kernel */
		switch (below(3)) {
		case 0:
			return below(0x10000);
		case 1:
			return 0x0000800000000000ULL + (rnd() & 0x00007fffffffffffULL);
		default:
			return 0xffff800000000000ULL | rnd();
		}
	}
}

/* Where a key or value is really stored before the call. */
static uint8_t *ptr_buf(uint64_t p, enum ptr kind)
{
	return kind == P_GOOD || kind == P_MISALIGNED ? (uint8_t *)(uintptr_t)p : NULL;
}

/* Can the kernel read @len bytes at a pointer of @kind? */
static bool readable(enum ptr kind, size_t len)
{
	return len == 0 || kind == P_GOOD || kind == P_MISALIGNED || kind == P_RO;
}

static bool writable(enum ptr kind, size_t len)
{
	return len == 0 || kind == P_GOOD || kind == P_MISALIGNED;
}

/*
 * Issues @c->req with the structure @s (@ssize bytes, its first field the
 * size): placed in the request area, maybe misaligned, with a size variant,
 * or the argument pointer replaced by a bad one. After the call the area's
 * copy is copied back to @s (for the fields the kernel writes).
 */
/* The size of the first version of @req's structure (@ssize bytes now). */
static size_t first_size(unsigned long req, size_t ssize)
{
	if (_IOC_NR(req) == _IOC_NR(HMAP_IOC_STATS))
		return HMAP_IOC_STATS_SIZE_VER0;
	if (_IOC_NR(req) == _IOC_NR(HMAP_IOC_CREATE))
		return HMAP_IOC_CREATE_SIZE_VER0;
	if (_IOC_NR(req) == _IOC_NR(HMAP_IOC_SNAPSHOT))
		return HMAP_IOC_SNAPSHOT_SIZE_VER0;
	return ssize;
}

/*
 * The sizes of @req's structure's versions before the current one, in
 * @ver (0 of them for a structure of one version).
 */
static unsigned int older_sizes(unsigned long req, uint32_t ver[2])
{
	switch (_IOC_NR(req)) {
	case _IOC_NR(HMAP_IOC_STATS):
		ver[0] = HMAP_IOC_STATS_SIZE_VER0;
		ver[1] = HMAP_IOC_STATS_SIZE_VER1;
		return 2;
	case _IOC_NR(HMAP_IOC_CREATE):
		ver[0] = HMAP_IOC_CREATE_SIZE_VER0;
		return 1;
	case _IOC_NR(HMAP_IOC_SNAPSHOT):
		ver[0] = HMAP_IOC_SNAPSHOT_SIZE_VER0;
		return 1;
	default:
		return 0;
	}
}

/* The size field of the last issue(): what the kernel was told to read. */
static uint32_t last_usize;

static int issue(struct call *c, void *s, size_t ssize)
{
	size_t off = chance(10) ? 1 + below(7) : 0;
	uint8_t *at = area + off;
	uint32_t usize = ssize;
	uint64_t arg = (uintptr_t)at;
	uint32_t v = below(100);
	int rc;

	memset(at, 0, AREA_BYTES);
	memcpy(at, s, ssize);
	if (v < 8) {		/* longer, zero tail: fine */
		usize = ssize + 1 + below(AREA_BYTES / 3 - ssize);
	} else if (v < 13) {	/* longer, non-zero tail */
		usize = ssize + 1 + below(64);
		at[ssize + below(usize - ssize)] = (uint8_t)(1 + below(255));
		spoil(c, "size field larger, non-zero tail");
	} else if (v < 18) {	/* shorter than the first version */
		usize = below(first_size(c->req, ssize));
		spoil(c, "size field too small");
	} else if (v < 20) {	/* anything: the contract sets no maximum */
		usize = (uint32_t)rnd();
		spoil(c, NULL);
	} else if (v < 23) {	/* a bad argument pointer */
		enum ptr kind;

		/* The read-only page holds 0xa5: a size with a non-zero tail. */
		arg = pick_ptr(at, ssize, 100, &kind);
		spoil(c, "bad argument pointer");
	} else if (v < 25) {	/* the last bytes run into a hole */
		arg = (uintptr_t)edge_end - ssize;
		memcpy(edge_end - ssize, s, ssize);
		usize = ssize + 1 + below(64);
		memcpy(edge_end - ssize, &usize, sizeof(usize));
		spoil(c, "structure (by its size field) running into a hole");
	} else if (v < 29) {	/* an older version's size, or one between two */
		uint32_t ver[2], nver = older_sizes(c->req, ver);
		uint32_t i = below(nver), next = i + 1 < nver ? ver[i + 1] : ssize;

		if (nver && v < 27 && !c->spoiled) {
			/* Valid: the fields after it are not read (nor written). */
			usize = ver[i];
		} else if (nver) {
			usize = ver[i] + 1 + below(next - ver[i] - 1);
			spoil(c, "size between two versions of the structure");
			c->expect_errno = EINVAL;
		}
	}
	if (arg == (uintptr_t)at)
		memcpy(at, &usize, sizeof(usize));
	last_usize = usize;

	watch->op = c->op;
	watch->req = c->req;
	watch->usize = usize;
	watch->arg = arg;
	watch->call = call_no;
	rc = ioctl(dev, c->req, (void *)(uintptr_t)arg) < 0 ? -errno : 0;
	watch->call = 0;
	watch->dump = false;
	if (arg == (uintptr_t)at)
		memcpy(s, at, ssize);
	return rc;
}

/* The request number: the right one, or with other size/direction bits. */
static unsigned long pick_req(enum op op)
{
	unsigned long req = op_reqs[op];

	if (chance(5))
		req = _IOC(below(4), HMAP_IOC_MAGIC, _IOC_NR(req), below(_IOC_SIZEMASK + 1));
	return req;
}

/* A slot of the name pool, or -1 with a bad name in @name. */
static int pick_name(struct call *c, char name[HMAP_NAME_MAX])
{
	int slot;

	if (chance(5)) {
		bad_name(name);
		spoil(c, "bad name");
		return -1;
	}
	slot = below(NR_NAMES);
	slot_name(name, slot);
	return slot;
}

/* A u32 field spoiled with a non-zero value. */
static uint32_t junk32(void)
{
	return chance(50) ? 1u << below(32) : (uint32_t)rnd() | 1;
}

/* Checks a result against the prediction, or against must_fail. */
static void verdict(struct call *c, int rc, int predicted_rc, bool predictable)
{
	op_calls[c->op]++;
	op_ok[c->op] += rc == 0;
	errno_count[MIN((unsigned int)-rc, ARRAY_SIZE(errno_count) - 1)]++;
	if (c->must_fail) {
		must_fail_calls++;
		if (rc == 0)
			inconsistent(c->why, "invalid request succeeded: %s (req %#lx)",
				     op_names[c->op], c->req);
		else if (c->expect_errno && rc != -c->expect_errno)
			inconsistent("invalid request: unexpected errno", "%s: %s, expected %s",
				     op_names[c->op], ename(rc), ename(-c->expect_errno));
	}
	/* The kernel dispatches on type and number: a known one is never ENOTTY. */
	if (c->op != OP_UNKNOWN && (rc == -ENOTTY || rc == -ENOMEM))
		inconsistent("unexpected errno", "%s (req %#lx): %s", op_names[c->op], c->req,
			     ename(rc));
	if (c->must_fail)
		return;
	if (!c->spoiled && predictable) {
		predicted++;
		if (rc != predicted_rc)
			inconsistent("result differs from the model", "%s: %s, model says %s",
				      op_names[c->op], ename(rc), ename(predicted_rc));
	}
}

/* ---- the requests ---- */

static const uint32_t key_sizes[] = { 1, 2, 4, 8, 8, 8, 16, 32, 128, 129, 200, 512 };
static const uint32_t value_sizes[] = { 0, 1, 4, 8, 8, 16, 64, 128, 129, 300, 1000, 4096 };

static void do_create(struct call *c)
{
	struct hmap_ioc_create s = { .size = sizeof(s) };
	int slot = pick_name(c, s.name), rc, want;

	s.key_size = key_sizes[below(ARRAY_SIZE(key_sizes))];
	s.value_size = chance(2) ? HMAP_MAX_VALUE_SIZE :
		       value_sizes[below(ARRAY_SIZE(value_sizes))];
	s.max_entries = chance(60) ? 0 : chance(50) ? 1 + below(20) : below(2000);
	if (chance(20))
		s.flags = HMAP_F_NO_SHRINK;
	/*
	 * Some maps of shards: mostly a few, now and then up to 256 (rarely:
	 * a stats, snapshot or dump of one reads every shard).
	 */
	if (chance(30))
		s.shard_bits = chance(95) ? 1 + below(3) : 4 + below(HMAP_MAX_SHARD_BITS - 3);
	/* Now and then a worker that waits longer (or less) than 50 ms. */
	if (chance(15))
		s.evac_delay_ms = chance(10) ? HMAP_MAX_EVAC_DELAY_MS : 1 + below(300);
	if (chance(12)) {
		static const char *const why[] = {
			"create: key_size 0", "create: key_size too large",
			"create: value_size too large", "create: max_entries 0xffffffff",
			"create: flags set", "create: reserved set",
			"create: shard_bits over HMAP_MAX_SHARD_BITS",
			"create: evac_delay_ms over HMAP_MAX_EVAC_DELAY_MS",
		};
		uint32_t w = below(8);

		switch (w) {
		case 0: s.key_size = 0; break;
		case 1: s.key_size = HMAP_MAX_KEY_SIZE + 1 + below(1000); break;
		case 2: s.value_size = HMAP_MAX_VALUE_SIZE + 1 + below(1000); break;
		case 3: s.max_entries = 0xffffffff; break;
		case 4: s.flags = junk32() & ~HMAP_F_NO_SHRINK ?: 2; break;
		case 5: s.reserved = junk32(); break;
		case 6:
			s.shard_bits = chance(50) ? HMAP_MAX_SHARD_BITS + 1 + below(30) : junk32();
			if (s.shard_bits <= HMAP_MAX_SHARD_BITS)
				s.shard_bits = 1U << 31;
			break;
		default:
			s.evac_delay_ms = HMAP_MAX_EVAC_DELAY_MS + 1 +
					  below(0xffffffffU - HMAP_MAX_EVAC_DELAY_MS);
			break;
		}
		spoil(c, why[w]);
	}
	rc = issue(c, &s, sizeof(s));
	/* A caller of VER0 gets one table, whatever follows its 56 bytes. */
	if (last_usize < HMAP_IOC_CREATE_SIZE_VER1) {
		s.shard_bits = 0;
		s.evac_delay_ms = 0;
	}
	if (rc == 0 && slot < 0 && alien_find(s.name) < 0 && naliens < MAX_ALIENS)
		memcpy(aliens[naliens++], s.name, HMAP_NAME_MAX);
	if (slot >= 0 && maps[slot].exists)
		want = -EEXIST;
	else if (s.max_entries && s.shard_bits <= HMAP_MAX_SHARD_BITS &&
		 !(s.max_entries >> s.shard_bits))
		want = -EINVAL;	/* not one entry per shard */
	else
		want = 0;
	verdict(c, rc, want, true);
	if (rc == 0 && slot >= 0) {
		struct model *m = &maps[slot];

		if (m->exists)
			inconsistent("create of an existing name succeeded", "fz%d", slot);
		model_drop(m);
		m->exists = true;
		m->ks = s.key_size;
		m->vs = s.value_size;
		m->max = s.max_entries;
		m->flags = s.flags;
		m->shard_bits = s.shard_bits;
		m->evac_delay_ms = s.evac_delay_ms ?: HMAP_EVAC_DELAY_MS;
		m->seq = ++create_seq;
	}
}

static void do_map_op(struct call *c)
{
	struct hmap_ioc_map s = { .size = sizeof(s) };
	int slot = pick_name(c, s.name), rc;

	if (chance(3)) {
		s.reserved = junk32();
		spoil(c, "destroy/clear: reserved set");
	}
	rc = issue(c, &s, sizeof(s));
	verdict(c, rc, slot >= 0 && maps[slot].exists ? 0 : -ENOENT, true);
	if (rc == 0 && slot < 0 && c->op == OP_DESTROY) {
		int a = alien_find(s.name);

		if (a >= 0)
			memcpy(aliens[a], aliens[--naliens], HMAP_NAME_MAX);
	}
	if (rc == 0 && slot >= 0) {
		if (c->op == OP_DESTROY)
			model_drop(&maps[slot]);
		else
			model_clear(&maps[slot]);
	}
}

static void do_list(struct call *c)
{
	struct hmap_ioc_list s = { .size = sizeof(s) };
	unsigned long nmaps = 0, last_seq = 0;
	enum ptr kind;
	uint32_t room, i;
	int rc;

	s.count = chance(3) ? 0xffffffff - below(3) : below(LIST_ROOM + 1);
	room = MIN(s.count, LIST_ROOM);
	s.entries = pick_ptr((uint8_t *)lbuf, room * sizeof(*lbuf), 5, &kind);
	if (!writable(kind, room * sizeof(*lbuf)))
		spoil(c, NULL);	/* fails only if there are maps to write */
	rc = issue(c, &s, sizeof(s));
	for (i = 0; i < NR_NAMES; i++)
		nmaps += maps[i].exists;
	verdict(c, rc, 0, true);
	if (rc || c->spoiled)
		return;
	if (s.count != nmaps + naliens)
		inconsistent("list: wrong number of maps", "%u, the model has %lu", s.count,
			     nmaps + naliens);
	for (i = 0; i < MIN(room, s.count); i++) {
		struct hmap_list_entry le, *e = &le;
		int slot = -1;

		/* Where the kernel wrote it (maybe misaligned). */
		memcpy(e, (uint8_t *)(uintptr_t)s.entries + i * sizeof(*e), sizeof(*e));
		if (alien_find(e->name) >= 0)
			continue;

		if (e->name[0] == 'f' && e->name[1] == 'z' && e->name[2] >= '0' &&
		    e->name[2] < '0' + NR_NAMES && !e->name[3])
			slot = e->name[2] - '0';
		if (slot < 0 || !maps[slot].exists) {
			inconsistent("list: a map the model does not have", "%.32s", e->name);
			continue;
		}
		if (e->key_size != maps[slot].ks || e->value_size != maps[slot].vs ||
		    e->count != maps[slot].n || e->flags != maps[slot].flags ||
		    e->max_entries != model_max(&maps[slot]))
			inconsistent("list: entry differs from the model",
				     "fz%d: key %u value %u max %u count %llu; model %u %u %u %zu",
				     slot, e->key_size, e->value_size, e->max_entries,
				     (unsigned long long)e->count, maps[slot].ks, maps[slot].vs,
				     maps[slot].max, maps[slot].n);
		if (maps[slot].seq < last_seq)
			inconsistent("list: not in creation order", "fz%d", slot);
		last_seq = maps[slot].seq;
	}
}

/* A key of @ks bytes at @buf: mostly from small id pools, so keys repeat. */
static void pick_key(uint8_t *buf, uint32_t ks)
{
	uint64_t id = chance(50) ? below(32) : chance(80) ? below(1024) : rnd();
	uint32_t j;

	for (j = 0; j < ks; j++)
		buf[j] = j < 8 ? (uint8_t)(id >> (8 * j)) : (uint8_t)(id * 131 + j);
}

static void do_elem(struct call *c)
{
	struct hmap_ioc_elem s = { .size = sizeof(s) };
	int slot = pick_name(c, s.name), rc, want = 0;
	struct model *m = slot >= 0 ? &maps[slot] : NULL;
	bool exists = m && m->exists;
	uint32_t ks = exists ? m->ks : key_sizes[below(ARRAY_SIZE(key_sizes))];
	uint32_t vs = exists ? m->vs : value_sizes[below(ARRAY_SIZE(value_sizes))];
	enum ptr kkind, vkind = P_GOOD;
	const struct entry *e;
	uint8_t *kp, *vp = NULL;

	if (c->op == OP_UPDATE)
		s.flags = below(3);
	s.key_size = ks;
	s.value_size = c->op == OP_DELETE ? 0 : vs;
	s.key = pick_ptr(kbuf, ks, 4, &kkind);
	kp = ptr_buf(s.key, kkind);
	if (kp)
		pick_key(kp, ks);
	if (c->op != OP_DELETE) {
		s.value = pick_ptr(vbuf, vs, 4, &vkind);
		vp = ptr_buf(s.value, vkind);
		if (vp && c->op == OP_UPDATE)
			rnd_bytes(vp, vs);
		else if (vp)
			memset(vp, 0, vs);
	}
	if (!readable(kkind, ks))
		spoil(c, "elem: key pointer bad");
	else if (kkind == P_RO)
		spoil(c, NULL);
	if (c->op == OP_UPDATE && !readable(vkind, vs))
		spoil(c, "update: value pointer bad");
	else if (c->op == OP_UPDATE && vkind == P_RO)
		spoil(c, NULL);
	/* ENOENT if the key is absent, else EFAULT: a failure either way. */
	if (c->op == OP_LOOKUP && !writable(vkind, vs))
		spoil(c, "lookup: value pointer not writable");

	if (chance(8)) {
		static const char *const why[] = {
			"elem: key_size too large", "elem: key_size too small",
			"elem: value_size too large (delete: set)",
			"elem: value_size too small (delete: value set)", "elem: bad flags",
		};
		uint32_t w = below(5);

		switch (w) {
		case 0:
			s.key_size = ks + 1 + below(8);
			break;
		case 1:
			s.key_size = below(ks);
			break;
		case 2:
			if (c->op == OP_DELETE)
				s.value_size = 1 + below(64);
			else
				s.value_size = vs + 1 + below(8);
			break;
		case 3:
			if (c->op == OP_DELETE)
				s.value = (uintptr_t)vbuf;
			else if (vs)
				s.value_size = below(vs);
			else
				s.value_size = 1 + below(8);
			break;
		default:
			s.flags = c->op == OP_UPDATE ? HMAP_UPDATE_EXIST + 1 + below(100) : junk32();
			break;
		}
		spoil(c, why[w]);
	}

	rc = issue(c, &s, sizeof(s));

	/* The model's answer for a clean request. */
	e = exists && kp ? model_find(m, kp) : NULL;
	if (!exists) {
		want = -ENOENT;
	} else if (c->op == OP_LOOKUP || c->op == OP_DELETE) {
		want = e ? 0 : -ENOENT;
	} else if (e) {
		want = s.flags == HMAP_UPDATE_NOEXIST ? -EEXIST : 0;
	} else {
		want = s.flags == HMAP_UPDATE_EXIST ? -ENOENT : model_full(m) ? -E2BIG : 0;
		/* Its shard may be full: 0 or E2BIG, both right. */
		if (!want && model_maybe_full(m) && (rc == 0 || rc == -E2BIG))
			want = rc;
	}
	verdict(c, rc, want, kp != NULL);
	if (rc == -ENOMEM)
		inconsistent("ENOMEM", "%s of a %u+%u byte entry", op_names[c->op], ks, vs);

	if (rc || !exists || !readable(kkind, ks) ||
	    (c->op == OP_UPDATE && !readable(vkind, vs)))
		return;
	/* It worked: the kernel could read the key (and value) where they are. */
	kp = (uint8_t *)(uintptr_t)s.key;
	vp = (uint8_t *)(uintptr_t)s.value;
	switch (c->op) {
	case OP_LOOKUP:
		e = model_find(m, kp);
		if (!e)
			inconsistent("lookup found a key the model does not have", "fz%d", slot);
		else if (vs && writable(vkind, vs) && memcmp(vp, e->val, vs))
			inconsistent("lookup returned a value the model does not have", "fz%d", slot);
		break;
	case OP_UPDATE:
		if (!model_find(m, kp) && model_full(m))
			inconsistent("insert beyond max_entries succeeded", "fz%d: %zu entries, max %u",
				     slot, m->n, m->max);
		model_put(m, kp, vp);
		break;
	case OP_DELETE:
		if (!model_find(m, kp))
			inconsistent("delete of a key the model does not have succeeded", "fz%d", slot);
		model_del(m, kp);
		break;
	default:
		break;
	}
}

static void do_dump(struct call *c)
{
	struct hmap_ioc_dump s = { .size = sizeof(s) };
	int slot = pick_name(c, s.name), rc;
	struct model *m = slot >= 0 ? &maps[slot] : NULL;
	bool exists = m && m->exists;
	uint32_t ks = exists ? m->ks : 8, vs = exists ? m->vs : 8, asked, i, fit;
	enum ptr kkind, vkind;

	s.key_size = ks;
	s.value_size = vs;
	fit = MIN(DUMP_BYTES / ks, vs ? DUMP_BYTES / vs : UINT32_MAX);
	s.count = chance(70) ? 1 + below(64) : chance(50) ? 1 + below(4096) :
		  chance(50) ? 0xffffffff : HMAP_DUMP_MAX_BATCH + below(1000000);
	if (chance(1)) {
		s.count = 0;
		spoil(c, "dump: count 0");
	}
	s.cursor = exists && chance(50) ? m->cursor : chance(80) ? 0 : rnd();
	/* A map of shards: the start of some shard, or one it does not have. */
	if (exists && m->shard_bits && chance(10))
		s.cursor = (uint64_t)below(1U << m->shard_bits) << 56;
	if (exists && m->shard_bits && chance(2))
		s.cursor = (uint64_t)((1U << m->shard_bits) + below(256 - (1U << m->shard_bits))) << 56 |
			   (rnd() & ((1ULL << 56) - 1));
	if (exists && m->shard_bits && s.cursor >> 56 >= 1U << m->shard_bits)
		spoil(c, "dump: cursor names a shard past the last");
	/* The buffers end at their guard pages; 64 bytes of slack before. */
	s.keys = pick_ptr(dkeys + 64 + DUMP_BYTES - (size_t)MIN(s.count, fit) * ks,
			  (size_t)MIN(s.count, fit) * ks, 3, &kkind);
	s.values = pick_ptr(dvals + 64 + DUMP_BYTES - (size_t)MIN(s.count, fit) * vs,
			    (size_t)MIN(s.count, fit) * vs, 3, &vkind);
	if (kkind == P_MISALIGNED)
		s.keys -= 8;
	if (vkind == P_MISALIGNED)
		s.values -= 8;
	/* Bad buffers fail only if there is something to write. */
	if (!writable(kkind, ks) || (vs && !writable(vkind, vs)) || s.count > fit)
		spoil(c, NULL);
	if (chance(5)) {
		static const char *const why[] = {
			"dump: key_size too large", "dump: value_size too large",
			"dump: flags set", "dump: reserved set", "dump: key_size too small",
		};
		uint32_t w = below(5);

		switch (w) {
		case 0: s.key_size = ks + 1 + below(8); break;
		case 1: s.value_size = vs + 1 + below(8); break;
		case 2: s.flags = junk32(); break;
		case 3: s.reserved = junk32(); break;
		default: s.key_size = below(ks); break;
		}
		spoil(c, why[w]);
	}
	asked = s.count;
	watch->dump = true;
	watch->cursor = s.cursor;
	watch->count = s.count;
	watch->shard_bits = exists ? m->shard_bits : 0;
	memcpy(watch->name, s.name, HMAP_NAME_MAX);
	rc = issue(c, &s, sizeof(s));
	/* 0 or ENOSPC: which one depends on the layout. */
	verdict(c, rc, exists ? (rc == -ENOSPC ? -ENOSPC : 0) : -ENOENT, true);
	if (!exists || c->spoiled)
		return;
	if (rc == -ENOSPC) {
		if (s.count <= MIN(asked, HMAP_DUMP_MAX_BATCH))
			inconsistent("dump: ENOSPC without asking for more room",
				     "asked %u, needs %u", asked, s.count);
		return;
	}
	if (rc)
		return;
	if (s.count > MIN(asked, HMAP_DUMP_MAX_BATCH) || s.count > m->n) {
		inconsistent("dump: too many entries", "%u for a count of %u, %zu in the model",
			     s.count, asked, m->n);
		return;
	}
	m->cursor = s.cursor;
	for (i = 0; i < s.count; i++) {
		const uint8_t *k = (uint8_t *)(uintptr_t)s.keys + (size_t)i * ks;
		const uint8_t *v = (uint8_t *)(uintptr_t)s.values + (size_t)i * vs;
		const struct entry *e = model_find(m, k);

		if (!e)
			inconsistent("dump: an entry the model does not have", "fz%d", slot);
		else if (vs && memcmp(e->val, v, vs))
			inconsistent("dump: a value the model does not have", "fz%d", slot);
	}
}

/*
 * The query of a stats or snapshot request: mostly the whole map, else
 * one of its shards (HMAP_QUERY_SHARD); spoiled now and then with an
 * unknown query bit, a shard without HMAP_QUERY_SHARD or a shard past the
 * map's last. *@shard_q says whether a valid request asks for a shard.
 */
static void pick_query(struct call *c, const struct model *m, bool exists, uint32_t *query,
		       uint32_t *shard, bool *shard_q)
{
	uint32_t nshards = exists ? 1U << m->shard_bits : 1;

	*query = 0;
	*shard = 0;
	*shard_q = false;
	if (chance(30)) {
		*query = HMAP_QUERY_SHARD;
		*shard = below(nshards);
		*shard_q = true;
	}
	if (chance(6)) {
		static const char *const why[] = {
			"query: an unknown bit", "query: shard set without HMAP_QUERY_SHARD",
			"query: shard past the map's last",
		};
		uint32_t w = below(exists ? 3 : 2);

		switch (w) {
		case 0:
			*query |= junk32() & ~HMAP_QUERY_SHARD ?: 2;
			break;
		case 1:
			*query = 0;
			*shard = junk32();
			break;
		default:
			*query = HMAP_QUERY_SHARD;
			*shard = chance(50) ? nshards + below(4) : nshards + below(~nshards);
			break;
		}
		spoil(c, why[w]);
	}
}

static void do_stats(struct call *c)
{
	struct hmap_ioc_stats s = { .size = sizeof(s) };
	int slot = pick_name(c, s.name), rc;
	struct model *m = slot >= 0 ? &maps[slot] : NULL;
	bool exists = m && m->exists, shard_q;
	uint64_t nb, lo, hi;

	pick_query(c, m, exists, &s.query, &s.shard, &shard_q);
	if (chance(5)) {
		s.reserved = junk32();
		spoil(c, "stats: reserved set");
	}
	/* An output field: what the caller put there is ignored. */
	if (chance(5))
		s.evac_delay_ms = junk32();
	rc = issue(c, &s, sizeof(s));
	verdict(c, rc, exists ? 0 : -ENOENT, true);
	if (rc || !exists || c->spoiled)
		return;
	/* A caller of VER0 or VER1 has no query: it gets the whole map. */
	if (last_usize < HMAP_IOC_STATS_SIZE_VER2) {
		shard_q = false;
	} else {
		if (s.shard_bits != m->shard_bits)
			inconsistent("stats: shard_bits differ from the model", "fz%d: %u, model %u",
				     slot, s.shard_bits, m->shard_bits);
		if (s.evac_delay_ms != m->evac_delay_ms)
			inconsistent("stats: evac_delay_ms differs from the model",
				     "fz%d: %u, model %u", slot, s.evac_delay_ms, m->evac_delay_ms);
	}
	if (shard_q) {
		if (s.count > m->n || s.key_size != m->ks || s.value_size != m->vs ||
		    s.max_entries != model_shard_max(m) || s.flags != m->flags ||
		    s.buckets != 1ULL << s.B || s.query != HMAP_QUERY_SHARD ||
		    s.shard >= 1U << m->shard_bits || s.nr_counters < HMAP_STAT_NR_V0 ||
		    s.nr_counters > HMAP_STATS_MAX_COUNTERS)
			inconsistent("stats of a shard differ from the model",
				     "fz%d shard %u: count %llu key %u value %u max %u B %u buckets %llu; model %zu %u %u %u, shard_bits %u",
				     slot, s.shard, (unsigned long long)s.count, s.key_size,
				     s.value_size, s.max_entries, s.B, (unsigned long long)s.buckets,
				     m->n, m->ks, m->vs, model_shard_max(m), m->shard_bits);
		if (s.growth != HMAP_GROWTH_NONE &&
		    (s.old_buckets != 1ULL << s.old_B || s.nevacuate > s.old_buckets))
			inconsistent("stats of a shard: growth fields",
				     "old_B %u old_buckets %llu nevacuate %llu", s.old_B,
				     (unsigned long long)s.old_buckets, (unsigned long long)s.nevacuate);
		return;
	}
	/* The whole map: buckets sums the shards' 2^B_i, B the largest. */
	nb = 1ULL << m->shard_bits;
	lo = (1ULL << s.B) + nb - 1;
	hi = nb << s.B;
	if (s.count != m->n || s.key_size != m->ks || s.value_size != m->vs ||
	    s.max_entries != model_max(m) || s.flags != m->flags ||
	    s.buckets < lo || s.buckets > hi || s.nr_counters < HMAP_STAT_NR_V0 ||
	    s.nr_counters > HMAP_STATS_MAX_COUNTERS)
		inconsistent("stats differ from the model",
			     "fz%d: count %llu key %u value %u max %u B %u buckets %llu; model %zu %u %u %u, shard_bits %u",
			     slot, (unsigned long long)s.count, s.key_size, s.value_size,
			     s.max_entries, s.B, (unsigned long long)s.buckets, m->n, m->ks, m->vs,
			     model_max(m), m->shard_bits);
	if (s.growth != HMAP_GROWTH_NONE &&
	    (s.old_buckets < 1ULL << s.old_B || s.old_buckets > nb << s.old_B ||
	     s.nevacuate > s.old_buckets || (!m->shard_bits && s.old_buckets != 1ULL << s.old_B)))
		inconsistent("stats: growth fields", "old_B %u old_buckets %llu nevacuate %llu",
			     s.old_B, (unsigned long long)s.old_buckets,
			     (unsigned long long)s.nevacuate);
}

static void do_snapshot(struct call *c)
{
	struct hmap_ioc_snapshot s = { .size = sizeof(s) };
	int slot = pick_name(c, s.name), rc, i;
	struct model *m = slot >= 0 ? &maps[slot] : NULL;
	bool exists = m && m->exists, shard_q, bad;
	uint64_t chains = 0, bkts = 0, live = 0, nb;

	pick_query(c, m, exists, &s.query, &s.shard, &shard_q);
	if (chance(5)) {
		uint32_t j = junk32();

		switch (below(5)) {
		case 0: s.reserved = j; break;
		case 1: s.reserved2 = j; break;
		case 2: s.reserved3 = j; break;
		case 3: s.reserved4 = j; break;
		default: s.reserved5 = j; break;
		}
		spoil(c, "snapshot: a reserved field set");
	}
	rc = issue(c, &s, sizeof(s));
	verdict(c, rc, exists ? 0 : -ENOENT, true);
	if (rc || !exists || c->spoiled)
		return;
	if (last_usize < HMAP_IOC_SNAPSHOT_SIZE_VER1)
		shard_q = false;
	else if (s.shard_bits != m->shard_bits)
		inconsistent("snapshot: shard_bits differ from the model", "fz%d: %u, model %u",
			     slot, s.shard_bits, m->shard_bits);
	for (i = 0; i < HMAP_HIST_CHAIN; i++)
		chains += s.chain_hist[i];
	for (i = 0; i < HMAP_HIST_SLOTS; i++) {
		bkts += s.slot_hist[i];
		live += (uint64_t)i * (s.slot_hist[i] + s.old_slot_hist[i]);
	}
	/* One table (or shard): 2^B buckets; the whole map of shards: their sum. */
	nb = shard_q ? 1 : 1ULL << m->shard_bits;
	bad = chains != s.buckets || bkts != s.buckets + s.noverflow || live != s.count;
	if (nb == 1)
		bad |= s.buckets != 1ULL << s.B;
	else
		bad |= s.buckets < (1ULL << s.B) + nb - 1 || s.buckets > nb << s.B;
	bad |= shard_q ? s.count > m->n : s.count != m->n;
	if (bad)
		inconsistent(shard_q ? "snapshot of a shard inconsistent" : "snapshot inconsistent",
			     "fz%d%s: count %llu (model %zu), B %u, buckets %llu, chains %llu, buckets by slots %llu, noverflow %llu, live slots %llu, shard_bits %u",
			     slot, shard_q ? " (a shard)" : "", (unsigned long long)s.count, m->n,
			     s.B, (unsigned long long)s.buckets, (unsigned long long)chains,
			     (unsigned long long)bkts, (unsigned long long)s.noverflow,
			     (unsigned long long)live, m->shard_bits);
}

static void do_unknown(struct call *c)
{
	static const unsigned int magics[] = { 0xb6, 0xb8, 0x01, 0x42, 0xff };
	uint8_t s[64];
	int rc;

	rnd_bytes(s, sizeof(s));
	if (chance(50)) {	/* our magic, a number no request has */
		unsigned int nr = below(2) ? 0 : 12 + below(244);

		c->req = _IOC(below(4), HMAP_IOC_MAGIC, nr, below(_IOC_SIZEMASK + 1));
	} else {		/* a request's number with another magic */
		c->req = _IOC(below(4), magics[below(ARRAY_SIZE(magics))], 1 + below(10),
			      below(_IOC_SIZEMASK + 1));
	}
	spoil(c, "unknown request");
	c->expect_errno = ENOTTY;
	rc = ioctl(dev, c->req, s) < 0 ? -errno : 0;
	verdict(c, rc, -ENOTTY, true);
	if (rc && rc != -ENOTTY)
		inconsistent("unknown request: not ENOTTY", "req %#lx: %s", c->req, ename(rc));
}

static enum op pick_op(void)
{
	unsigned int total = 0, r, i;

	for (i = 0; i < OP_NR; i++)
		total += op_weight[i];
	r = below(total);
	for (i = 0; r >= op_weight[i]; i++)
		r -= op_weight[i];
	return i;
}

static void one_call(void)
{
	struct call c = { .op = pick_op() };

	if (c.op != OP_UNKNOWN)
		c.req = pick_req(c.op);
	switch (c.op) {
	case OP_CREATE:
		do_create(&c);
		break;
	case OP_DESTROY:
	case OP_CLEAR:
		do_map_op(&c);
		break;
	case OP_LIST:
		do_list(&c);
		break;
	case OP_LOOKUP:
	case OP_UPDATE:
	case OP_DELETE:
		do_elem(&c);
		break;
	case OP_DUMP:
		do_dump(&c);
		break;
	case OP_STATS:
		do_stats(&c);
		break;
	case OP_SNAPSHOT:
		do_snapshot(&c);
		break;
	default:
		do_unknown(&c);
		break;
	}
}

/* ---- the final check ---- */

/*
 * Dumps map @slot whole into *@keys and *@vals (room for the model's count
 * and 64 more); *@n is the number of entries. Returns 0 or -errno.
 */
static int dump_full(int slot, uint8_t **keys, uint8_t **vals, uint64_t *n)
{
	const struct model *m = &maps[slot];
	size_t room = m->n + 64, got = 0;
	uint64_t cursor = 0;
	int rc;

	*keys = malloc(room * m->ks);
	*vals = malloc(room * m->vs + 1);
	do {
		struct hmap_ioc_dump d = {
			.size = sizeof(d), .cursor = cursor, .key_size = m->ks,
			.value_size = m->vs, .count = MIN(room - got, 64),
			.keys = (uintptr_t)(*keys + got * m->ks),
			.values = (uintptr_t)(*vals + got * m->vs),
		};

		if (got == room)
			return -EOVERFLOW;	/* more entries than the model */
		slot_name(d.name, slot);
		rc = ioctl(dev, HMAP_IOC_DUMP, &d) < 0 ? -errno : 0;
		if (rc == -ENOSPC && d.count <= room - got)
			rc = ioctl(dev, HMAP_IOC_DUMP, &d) < 0 ? -errno : 0;
		if (rc)
			return rc;
		got += d.count;
		cursor = d.cursor;
	} while (cursor);
	*n = got;
	return 0;
}

static void final_check(void)
{
	struct hmap_list_entry *l = calloc(2048, sizeof(*l));
	struct hmap_ioc_list lr = { .size = sizeof(lr), .count = 2048, .entries = (uintptr_t)l };
	uint32_t i, listed = 0;
	int slot, rc;

	printf("# final check of every map against the model\n");
	if (ioctl(dev, HMAP_IOC_LIST, &lr))
		inconsistent("final: list failed", "%s", strerror(errno));
	for (slot = 0; slot < NR_NAMES; slot++) {
		struct model *m = &maps[slot];
		struct hmap_ioc_stats st = { .size = sizeof(st) };
		uint8_t *keys = NULL, *vals = NULL;
		char name[HMAP_NAME_MAX];
		bool in_list = false;
		uint64_t n = 0, j;

		if (!m->exists)
			continue;
		slot_name(name, slot);
		for (i = 0; i < MIN(lr.count, 2048); i++)
			in_list |= !memcmp(l[i].name, name, HMAP_NAME_MAX);
		listed += in_list;
		if (!in_list)
			inconsistent("final: map missing from the list", "%s", name);
		memcpy(st.name, name, HMAP_NAME_MAX);
		rc = ioctl(dev, HMAP_IOC_STATS, &st) < 0 ? -errno : 0;
		if (rc) {
			inconsistent("final: stats failed", "%s: %s", name, ename(rc));
			continue;
		}
		rc = dump_full(slot, &keys, &vals, &n);
		if (rc)
			inconsistent("final: dump failed", "%s: %s", name, ename(rc));
		else if (st.count != n || n != m->n)
			inconsistent("final: counts differ", "%s: stats %llu, dump %llu, model %zu",
				     name, (unsigned long long)st.count, (unsigned long long)n, m->n);
		for (j = 0; !rc && j < n; j++) {
			const uint8_t *k = keys + j * m->ks, *v = vals + j * m->vs;
			struct hmap_ioc_elem e = {
				.size = sizeof(e), .key = (uintptr_t)k, .value = (uintptr_t)vbuf,
				.key_size = m->ks, .value_size = m->vs,
			};
			const struct entry *me = model_find(m, k);

			memcpy(e.name, name, HMAP_NAME_MAX);
			if (ioctl(dev, HMAP_IOC_LOOKUP, &e))
				inconsistent("final: a dumped key does not look up", "%s: %s", name,
					     strerror(errno));
			else if (m->vs && memcmp(vbuf, v, m->vs))
				inconsistent("final: lookup and dump disagree", "%s", name);
			if (!me)
				inconsistent("final: dumped key not in the model", "%s", name);
			else if (m->vs && memcmp(me->val, v, m->vs))
				inconsistent("final: dumped value not the model's", "%s", name);
		}
		if (st.shard_bits != m->shard_bits)
			inconsistent("final: shard_bits differ", "%s: stats %u, model %u", name,
				     st.shard_bits, m->shard_bits);
		if (m->shard_bits) {
			uint64_t count = 0, buckets = 0;
			uint32_t sh;

			for (sh = 0; sh < 1U << m->shard_bits; sh++) {
				struct hmap_ioc_stats ss = {
					.size = sizeof(ss), .query = HMAP_QUERY_SHARD, .shard = sh,
				};

				memcpy(ss.name, name, HMAP_NAME_MAX);
				if (ioctl(dev, HMAP_IOC_STATS, &ss)) {
					inconsistent("final: stats of a shard failed", "%s shard %u: %s",
						     name, sh, strerror(errno));
					break;
				}
				count += ss.count;
				buckets += ss.buckets;
			}
			if (count != st.count || buckets != st.buckets)
				inconsistent("final: the shards do not sum to the map",
					     "%s: count %llu, buckets %llu; shards' %llu, %llu", name,
					     (unsigned long long)st.count, (unsigned long long)st.buckets,
					     (unsigned long long)count, (unsigned long long)buckets);
		}
		printf("# %s: key %u value %u max %u shard_bits %u: %llu entries, B %u, %llu buckets, %llu grows; stats, dump, lookups and model agree\n",
		       name, m->ks, m->vs, m->max, m->shard_bits, (unsigned long long)n, st.B,
		       (unsigned long long)st.buckets,
		       (unsigned long long)st.counters[HMAP_STAT_GROWS]);
		free(keys);
		free(vals);
		{
			struct hmap_ioc_map d = { .size = sizeof(d) };

			memcpy(d.name, name, HMAP_NAME_MAX);
			if (ioctl(dev, HMAP_IOC_DESTROY, &d))
				inconsistent("final: destroy failed", "%s: %s", name, strerror(errno));
		}
		model_drop(m);
	}
	if (lr.count != listed + naliens) {
		inconsistent("final: the list has maps the model does not", "%u listed, %u expected",
			     lr.count, listed);
		for (i = 0; i < MIN(lr.count, 2048); i++) {	/* clean up what we can */
			struct hmap_ioc_map d = { .size = sizeof(d) };

			memcpy(d.name, l[i].name, HMAP_NAME_MAX);
			ioctl(dev, HMAP_IOC_DESTROY, &d);
		}
	}
	for (i = 0; i < naliens; i++) {
		struct hmap_ioc_map d = { .size = sizeof(d) };

		memcpy(d.name, aliens[i], HMAP_NAME_MAX);
		ioctl(dev, HMAP_IOC_DESTROY, &d);
	}
	lr.count = 0;
	if (ioctl(dev, HMAP_IOC_LIST, &lr) || lr.count)
		inconsistent("final: maps left after destroying them all", "%u", lr.count);
	free(l);
}

/* ---- main ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long ncalls = 100000;
	uint64_t seed = 0;
	bool seeded = false;
	double t0, t;
	unsigned int i;
	int opt;

	while ((opt = getopt(argc, argv, "n:s:d:v")) != -1) {
		switch (opt) {
		case 'n':
			ncalls = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'd':
			dev_path = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-n CALLS] [-s SEED] [-d DEVICE] [-v]\n", argv[0]);
			return 2;
		}
	}
	if (!seeded) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^
		       ((uint64_t)getpid() << 32);
	}
	rng = seed;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("hmap-fuzz: seed %#llx, %lu calls (repeat with -s %#llx -n %lu)\n",
	       (unsigned long long)seed, ncalls, (unsigned long long)seed, ncalls);
	page_size = sysconf(_SC_PAGESIZE);
	dev = open(dev_path, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		printf("hmap-fuzz: open %s: %s\n", dev_path, strerror(errno));
		return 2;
	}
	/* Before setup_memory(): its mapping must not land in the hole. */
	watchdog_start();
	setup_memory();
	/* Maps of an earlier, interrupted run. */
	for (i = 0; i < NR_NAMES; i++) {
		struct hmap_ioc_map d = { .size = sizeof(d) };

		slot_name(d.name, i);
		ioctl(dev, HMAP_IOC_DESTROY, &d);
	}

	t0 = t = now();
	for (call_no = 1; call_no <= ncalls; call_no++) {
		one_call();
		if (call_no % 10000 == 0) {
			double t1 = now();

			printf("# %lu calls, %.1fs (%.0f calls/s), %lu inconsistencies\n", call_no,
			       t1 - t0, 10000 / (t1 - t), inconsistencies);
			t = t1;
		}
	}
	call_no = ncalls;
	t = now() - t0;
	final_check();

	printf("# calls by request (succeeded/made):");
	for (i = 0; i < OP_NR; i++)
		printf(" %s %lu/%lu", op_names[i], op_ok[i], op_calls[i]);
	printf("\n# results:");
	for (i = 0; i < ARRAY_SIZE(errno_count); i++) {
		if (errno_count[i])
			printf(" %s %lu", i ? ename(-(int)i) : "ok", errno_count[i]);
	}
	printf("\n# %lu results predicted by the model, %lu invalid requests checked to fail\n",
	       predicted, must_fail_calls);
	for (i = 0; i < ARRAY_SIZE(kinds) && kinds[i].what; i++)
		printf("# inconsistency: %s: %lu\n", kinds[i].what, kinds[i].n);
	printf("hmap-fuzz: %lu calls in %.1fs (%.0f calls/s), seed %#llx: %lu inconsistencies\n",
	       ncalls, t, ncalls / (t > 0 ? t : 1), (unsigned long long)seed, inconsistencies);
	watchdog_stop();
	return inconsistencies ? 1 : 0;
}
