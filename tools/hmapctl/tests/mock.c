// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for /dev/hmap, linked into hmapctl-mock in place of dev.c so
 * the tool's logic can be tested on a machine without the module. The maps
 * live in the file $HMAPCTL_MOCK_STATE (read at open, written after each
 * request that changes it). It checks requests the way the ABI says the
 * kernel does (sizes, reserved fields, names) and answers with the ABI's
 * errors. It is no hash map: entries are kept in insertion order, and a
 * dump walks them in "bucket groups" of MOCK_GROUP entries, so a batch
 * smaller than a group gets -ENOSPC with the room needed.
 *
 *
 * Run-time statistics: HMAP_IOC_ENABLE_STATS (dev_enable_stats()) adds a
 * holder to the state file and dev_stats_release() removes it; hits and
 * misses count only while there is one, and stats report counters_off as
 * the kernel does. Every request re-reads the state under a lock on
 * $HMAPCTL_MOCK_STATE.lock, so a "stats NAME sample" in one process sees
 * the lookups of others.
 *
 * Shards: a map created with shard_bits S is 2^S shards; a key's shard is
 * bits 48.. of its FNV-1a hash, each shard holds at most max_entries >> S
 * entries and has its own counters, stats and snapshot answer for the
 * whole map (sums) or with HMAP_QUERY_SHARD for one shard, and a dump's
 * cursor names the shard in its top byte, as the ABI says.
 *
 * Knobs: HMAPCTL_MOCK_NOPRIV=1 makes create/destroy and enabling run-time
 * statistics fail with -EPERM; maps named grow* report a doubling grow in
 * progress (stats, snapshot) in their shard 0. HMAPCTL_MOCK_OLD=1 is a
 * kernel before shards (the sizes before shard_bits and query; a longer
 * structure only with a zero tail), HMAPCTL_MOCK_OLD=strict one that also
 * refuses every size it does not know.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "../hmapctl.h"

#define MOCK_MAX_MAPS	8
#define MOCK_MAX_ENTRIES (13u << 25)
#define MOCK_GROUP	5
#define MOCK_MAX_SHARDS	(1u << HMAP_MAX_SHARD_BITS)
#define MOCK_CURSOR_SHARD_SHIFT	56

struct mock_map {
	char name[HMAP_NAME_MAX];
	uint32_t key_size, value_size, max_entries, flags;
	uint32_t shard_bits;
	uint32_t evac_delay_ms;		/* as created; 0 there: the default */
	uint32_t n;
	uint8_t *data;			/* n * (key_size + value_size) */
	uint64_t counters[MOCK_MAX_SHARDS][HMAP_STAT_NR_V0];	/* per shard */
};

static struct mock_map maps[MOCK_MAX_MAPS];
static uint32_t nmaps;
static uint32_t stats_holders;	/* open HMAP_IOC_ENABLE_STATS files */
static const char *state_path;
static int lock_fd = -1;

static uint32_t nshards(const struct mock_map *m)
{
	return 1u << m->shard_bits;
}

/* The bytes of @m's counters in the state file: a row per shard. */
static size_t counters_size(const struct mock_map *m)
{
	return nshards(m) * sizeof(m->counters[0]);
}

const char *dev_path(void)
{
	return "mock";
}

static int load(void)
{
	FILE *f = fopen(state_path, "rb");

	for (uint32_t i = 0; i < nmaps && i < MOCK_MAX_MAPS; i++) {
		free(maps[i].data);
		maps[i].data = NULL;
	}
	nmaps = 0;
	stats_holders = 0;
	if (!f)
		return errno == ENOENT ? 0 : -1;
	if (fread(&nmaps, sizeof(nmaps), 1, f) != 1 ||
	    fread(&stats_holders, sizeof(stats_holders), 1, f) != 1)
		nmaps = stats_holders = 0;
	for (uint32_t i = 0; i < nmaps && i < MOCK_MAX_MAPS; i++) {
		struct mock_map *m = &maps[i];
		size_t sz;

		if (fread(m, offsetof(struct mock_map, data), 1, f) != 1 ||
		    m->shard_bits > HMAP_MAX_SHARD_BITS ||
		    fread(m->counters, counters_size(m), 1, f) != 1)
			return -1;
		sz = (size_t)m->n * (m->key_size + m->value_size);
		m->data = malloc(sz + 1);
		if (!m->data || fread(m->data, 1, sz, f) != sz)
			return -1;
	}
	fclose(f);
	return 0;
}

static void save(void)
{
	FILE *f = fopen(state_path, "wb");

	if (!f)
		abort();
	fwrite(&nmaps, sizeof(nmaps), 1, f);
	fwrite(&stats_holders, sizeof(stats_holders), 1, f);
	for (uint32_t i = 0; i < nmaps; i++) {
		struct mock_map *m = &maps[i];

		fwrite(m, offsetof(struct mock_map, data), 1, f);
		fwrite(m->counters, counters_size(m), 1, f);
		fwrite(m->data, 1, (size_t)m->n * (m->key_size + m->value_size), f);
	}
	if (fclose(f))
		abort();
}

int dev_open(void)
{
	state_path = getenv("HMAPCTL_MOCK_STATE");
	if (!state_path || !*state_path)
		return fail(EXIT_NODEV, "cannot open mock: %s (is the hmap module loaded?)",
			    strerror(ENOENT));
	if (lock_fd < 0) {
		char lock_path[4096];

		snprintf(lock_path, sizeof(lock_path), "%s.lock", state_path);
		lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (lock_fd < 0)
			return fail(EXIT_NODEV, "cannot open %s", lock_path);
	}
	if (load())
		return fail(EXIT_NODEV, "cannot read %s", state_path);
	return 0;
}

/* Around each request: the state as other processes left it. */
static void lock_state(void)
{
	if (flock(lock_fd, LOCK_EX) || load())
		abort();
}

static void unlock_state(void)
{
	flock(lock_fd, LOCK_UN);
}

static bool name_ok(const char name[HMAP_NAME_MAX])
{
	size_t n = strnlen(name, HMAP_NAME_MAX);

	if (n == HMAP_NAME_MAX || check_map_name(name))
		return false;
	for (size_t i = n; i < HMAP_NAME_MAX; i++)
		if (name[i])
			return false;
	return true;
}

static struct mock_map *find(const char name[HMAP_NAME_MAX])
{
	for (uint32_t i = 0; i < nmaps; i++)
		if (!strncmp(maps[i].name, name, HMAP_NAME_MAX))
			return &maps[i];
	return NULL;
}

static uint8_t *entry(struct mock_map *m, uint32_t i)
{
	return m->data + (size_t)i * (m->key_size + m->value_size);
}

static int64_t find_key(struct mock_map *m, const uint8_t *key)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (!memcmp(entry(m, i), key, m->key_size))
			return i;
	return -1;
}

/* The shard of @key: FNV-1a's bits 48 and up, as the kernel's hash's. */
static uint32_t key_shard(const struct mock_map *m, const uint8_t *key)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (uint32_t i = 0; i < m->key_size; i++)
		h = (h ^ key[i]) * 0x100000001b3ull;
	return (uint32_t)(h >> 48) & (nshards(m) - 1);
}

/* Entry indices of shard @s into @idx (room for m->n); returns how many. */
static uint32_t shard_entries(struct mock_map *m, uint32_t s, uint32_t *idx)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < m->n; i++)
		if (key_shard(m, entry(m, i)) == s)
			idx[k++] = i;
	return k;
}

static uint32_t shard_count_of(struct mock_map *m, uint32_t s)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < m->n; i++)
		k += key_shard(m, entry(m, i)) == s;
	return k;
}

/* HMAPCTL_MOCK_OLD: 0 this header's ABI, 1 before shards, 2 that and strict. */
static int old_abi(void)
{
	const char *e = getenv("HMAPCTL_MOCK_OLD");

	if (!e || !*e)
		return 0;
	return strcmp(e, "strict") ? 1 : 2;
}

/*
 * A request's @size against the @nv sizes the mock knows, smallest first:
 * one of them, or (unless strict) larger than the last with the bytes past
 * it zero. The mock reads no further than the structure it was given.
 */
static bool size_ok(const void *req, size_t ssize, uint32_t size,
		    const uint32_t *vers, int nv)
{
	const uint8_t *p = req;

	for (int i = 0; i < nv; i++)
		if (size == vers[i])
			return true;
	if (size < vers[nv - 1] || size > ssize || old_abi() == 2)
		return false;
	for (uint32_t i = vers[nv - 1]; i < size; i++)
		if (p[i])
			return false;
	return true;
}

static uint32_t mock_B(uint64_t count)
{
	uint32_t B = 0;

	while (count > 8 && count > 13ull * (1ull << B) / 2)
		B++;
	return B;
}

static int do_create_req(struct hmap_ioc_create *c)
{
	static const uint32_t vers[] = {
		HMAP_IOC_CREATE_SIZE_VER0, HMAP_IOC_CREATE_SIZE_VER1
	};
	struct hmap_ioc_create r = { 0 };
	struct mock_map *m;
	uint32_t max;

	if (!size_ok(c, sizeof(*c), c->size, vers, old_abi() ? 1 : 2))
		return EINVAL;
	memcpy(&r, c, c->size < sizeof(r) ? c->size : sizeof(r));
	c = &r;
	if (c->reserved || c->flags || !name_ok(c->name) ||
	    c->key_size < 1 || c->key_size > HMAP_MAX_KEY_SIZE ||
	    c->value_size > HMAP_MAX_VALUE_SIZE ||
	    c->max_entries > MOCK_MAX_ENTRIES ||
	    c->shard_bits > HMAP_MAX_SHARD_BITS ||
	    c->evac_delay_ms > HMAP_MAX_EVAC_DELAY_MS ||
	    (c->max_entries && !(c->max_entries >> c->shard_bits)))
		return EINVAL;
	if (getenv("HMAPCTL_MOCK_NOPRIV"))
		return EPERM;
	if (find(c->name))
		return EEXIST;
	if (nmaps == MOCK_MAX_MAPS)
		return ENOSPC;
	m = &maps[nmaps++];
	memset(m, 0, sizeof(*m));
	memcpy(m->name, c->name, HMAP_NAME_MAX);
	m->key_size = c->key_size;
	m->value_size = c->value_size;
	/* The sum of the shards' limits, as the kernel reports it. */
	max = c->max_entries ? c->max_entries : MOCK_MAX_ENTRIES;
	m->max_entries = max >> c->shard_bits << c->shard_bits;
	m->flags = c->flags;
	m->shard_bits = c->shard_bits;
	m->evac_delay_ms = c->evac_delay_ms ? c->evac_delay_ms : HMAP_EVAC_DELAY_MS;
	m->data = malloc(1);
	save();
	return 0;
}

static int do_map_req(struct hmap_ioc_map *r, bool destroy)
{
	struct mock_map *m;

	if (r->size != sizeof(*r) || r->reserved || !name_ok(r->name))
		return EINVAL;
	if (destroy && getenv("HMAPCTL_MOCK_NOPRIV"))
		return EPERM;
	m = find(r->name);
	if (!m)
		return ENOENT;
	if (destroy) {
		free(m->data);
		memmove(m, m + 1, (size_t)(&maps[nmaps] - (m + 1)) * sizeof(*m));
		nmaps--;
	} else {
		m->n = 0;
		for (uint32_t s = 0; s < nshards(m); s++)
			m->counters[s][HMAP_STAT_CLEARS]++;
	}
	save();
	return 0;
}

static int do_list_req(struct hmap_ioc_list *l)
{
	struct hmap_list_entry *e = (void *)(uintptr_t)l->entries;

	if (l->size != sizeof(*l))
		return EINVAL;
	if (l->count && !e)
		return EFAULT;
	for (uint32_t i = 0; i < nmaps && i < l->count; i++) {
		memset(&e[i], 0, sizeof(e[i]));
		memcpy(e[i].name, maps[i].name, HMAP_NAME_MAX);
		e[i].key_size = maps[i].key_size;
		e[i].value_size = maps[i].value_size;
		e[i].max_entries = maps[i].max_entries;
		e[i].flags = maps[i].flags;
		e[i].count = maps[i].n;
	}
	l->count = nmaps;
	return 0;
}

static int do_elem_req(unsigned long req, struct hmap_ioc_elem *e)
{
	uint8_t *key = (void *)(uintptr_t)e->key;
	uint8_t *value = (void *)(uintptr_t)e->value;
	struct mock_map *m;
	uint64_t *ctr;
	int64_t i;

	if (e->size != sizeof(*e) || !name_ok(e->name))
		return EINVAL;
	if (req != HMAP_IOC_UPDATE && e->flags)
		return EINVAL;
	if (req == HMAP_IOC_UPDATE && e->flags > HMAP_UPDATE_EXIST)
		return EINVAL;
	m = find(e->name);
	if (!m)
		return ENOENT;
	if (e->key_size != m->key_size)
		return EINVAL;
	if (req == HMAP_IOC_DELETE ? e->value || e->value_size :
	    e->value_size != m->value_size)
		return EINVAL;
	if (!key || (m->value_size && !value && req != HMAP_IOC_DELETE))
		return EFAULT;
	i = find_key(m, key);
	ctr = m->counters[key_shard(m, key)];

	if (req == HMAP_IOC_LOOKUP) {
		if (i < 0) {
			ctr[HMAP_STAT_MISSES] += !!stats_holders;
			save();
			return ENOENT;
		}
		ctr[HMAP_STAT_HITS] += !!stats_holders;
		if (m->value_size)
			memcpy(value, entry(m, i) + m->key_size, m->value_size);
		save();
		return 0;
	}
	if (req == HMAP_IOC_DELETE) {
		if (i < 0)
			return ENOENT;
		memmove(entry(m, i), entry(m, i + 1),
			(size_t)(m->n - i - 1) * (m->key_size + m->value_size));
		m->n--;
		ctr[HMAP_STAT_DELETES]++;
		save();
		return 0;
	}
	if (i >= 0 && e->flags == HMAP_UPDATE_NOEXIST)
		return EEXIST;
	if (i < 0 && e->flags == HMAP_UPDATE_EXIST)
		return ENOENT;
	if (i < 0) {
		uint8_t *p;

		if (shard_count_of(m, key_shard(m, key)) >=
		    m->max_entries >> m->shard_bits)
			return E2BIG;
		p = realloc(m->data, (size_t)(m->n + 1) *
			    (m->key_size + m->value_size) + 1);
		if (!p)
			return ENOMEM;
		m->data = p;
		i = m->n++;
		memcpy(entry(m, i), key, m->key_size);
		ctr[HMAP_STAT_INSERTS]++;
	} else {
		ctr[HMAP_STAT_UPDATES]++;
	}
	if (m->value_size)
		memcpy(entry(m, i) + m->key_size, value, m->value_size);
	save();
	return 0;
}

/* Copy entry @i of @m to slot @k of a dump's buffers. */
static void dump_entry(struct mock_map *m, uint32_t i, uint32_t k,
		       uint8_t *keys, uint8_t *values)
{
	memcpy(keys + (size_t)k * m->key_size, entry(m, i), m->key_size);
	if (m->value_size)
		memcpy(values + (size_t)k * m->value_size,
		       entry(m, i) + m->key_size, m->value_size);
}

/*
 * Walks shard after shard, each in groups of MOCK_GROUP of its entries:
 * the cursor is the shard in its top byte and the group below.
 */
static int dump_walk(struct mock_map *m, struct hmap_ioc_dump *d,
		     uint32_t count, uint32_t *idx)
{
	uint8_t *keys = (void *)(uintptr_t)d->keys;
	uint8_t *values = (void *)(uintptr_t)d->values;
	uint32_t s = (uint32_t)(d->cursor >> MOCK_CURSOR_SHARD_SHIFT), got = 0;
	uint64_t g = d->cursor & ((1ull << MOCK_CURSOR_SHARD_SHIFT) - 1);

	if (d->cursor >> MOCK_CURSOR_SHARD_SHIFT >= nshards(m))
		return EINVAL;
	for (; s < nshards(m); s++, g = 0) {
		uint32_t ns = shard_entries(m, s, idx);

		for (; g * MOCK_GROUP < ns; g++) {
			uint32_t first = (uint32_t)(g * MOCK_GROUP);
			uint32_t len = ns - first < MOCK_GROUP ? ns - first : MOCK_GROUP;

			if (got + len > count) {
				if (got == 0) {
					d->count = len;
					return ENOSPC;
				}
				goto out;
			}
			for (uint32_t j = 0; j < len; j++)
				dump_entry(m, idx[first + j], got++, keys, values);
		}
	}
out:
	d->count = got;
	d->cursor = s < nshards(m) ? (uint64_t)s << MOCK_CURSOR_SHARD_SHIFT | g : 0;
	return 0;
}

static int do_dump_req(struct hmap_ioc_dump *d)
{
	uint32_t count = d->count > HMAP_DUMP_MAX_BATCH ? HMAP_DUMP_MAX_BATCH : d->count;
	struct mock_map *m;
	uint32_t *idx;
	int ret;

	if (d->size != sizeof(*d) || d->flags || d->reserved || !name_ok(d->name))
		return EINVAL;
	m = find(d->name);
	if (!m)
		return ENOENT;
	if (d->key_size != m->key_size || d->value_size != m->value_size)
		return EINVAL;
	if (!d->keys || (m->value_size && !d->values))
		return EFAULT;
	idx = malloc((size_t)m->n * sizeof(*idx) + 1);
	if (!idx)
		return ENOMEM;
	ret = dump_walk(m, d, count, idx);
	free(idx);
	return ret;
}

/* The figures of shards [first, end): a shard's, or their sums. */
struct mock_shape {
	uint64_t count, buckets, old_buckets, nevacuate, memory, evacuated;
	uint32_t B, old_B, growth;
	uint64_t slot_hist[HMAP_HIST_SLOTS];
	uint64_t counters[HMAP_STAT_NR_V0];
};

static uint32_t bucket_size(const struct mock_map *m)
{
	return 8 + 8 * (m->key_size + m->value_size) + 8;
}

/* Adds shard @s's figures to @sh; grow* maps grow in shard 0. */
static void add_shard(struct mock_map *m, uint32_t s, struct mock_shape *sh)
{
	uint64_t count = shard_count_of(m, s), buckets, old = 0, left;
	uint32_t B = mock_B(count), growth = HMAP_GROWTH_NONE;

	if (!strncmp(m->name, "grow", 4) && s == 0) {
		growth = HMAP_GROWTH_DOUBLE;
		old = 1ull << B++;
		sh->nevacuate++;
		sh->evacuated++;
		sh->old_B = sh->old_B > B - 1 ? sh->old_B : B - 1;
	}
	buckets = 1ull << B;
	sh->count += count;
	sh->B = sh->B > B ? sh->B : B;
	sh->growth = sh->growth ? sh->growth : growth;
	sh->buckets += buckets;
	sh->old_buckets += old;
	sh->memory += (buckets + old) * bucket_size(m);
	/* Fill buckets 8 at a time: a plausible, not a real, picture. */
	left = count;
	for (uint64_t b = 0; b < buckets; b++) {
		uint64_t k = left > 8 ? 8 : left;

		sh->slot_hist[k]++;
		left -= k;
	}
	for (int c = 0; c < HMAP_STAT_NR_V0; c++)
		sh->counters[c] += m->counters[s][c];
}

/*
 * The shards a stats or snapshot request names, as the ABI checks it:
 * all of them, or with HMAP_QUERY_SHARD @shard alone. 0 or EINVAL.
 */
static int query_shape(struct mock_map *m, uint32_t query, uint32_t shard,
		       struct mock_shape *sh)
{
	uint32_t first = 0, end = nshards(m);

	if (query & ~HMAP_QUERY_SHARD || (!query && shard))
		return EINVAL;
	if (query) {
		if (shard >= nshards(m))
			return EINVAL;
		first = shard;
		end = shard + 1;
	}
	memset(sh, 0, sizeof(*sh));
	for (uint32_t s = first; s < end; s++)
		add_shard(m, s, sh);
	return 0;
}

/*
 * The caller's structure may be the first version's (no counters_off) or
 * the second's (no query, shard, shard_bits); the mock writes no more of
 * it than it knows (HMAPCTL_MOCK_OLD: the second version's).
 */
static int do_stats_req(struct hmap_ioc_stats *us)
{
	static const uint32_t vers[] = {
		HMAP_IOC_STATS_SIZE_VER0, HMAP_IOC_STATS_SIZE_VER1,
		HMAP_IOC_STATS_SIZE_VER2
	};
	struct hmap_ioc_stats st = { 0 }, *s = &st;
	uint32_t size = us->size, nv = old_abi() ? 2 : 3;
	struct mock_shape sh;
	struct mock_map *m;
	int ret;

	if (!size_ok(us, sizeof(*us), size, vers, nv))
		return EINVAL;
	memcpy(s, us, size);
	if (s->reserved || !name_ok(s->name))
		return EINVAL;
	m = find(s->name);
	if (!m)
		return ENOENT;
	ret = query_shape(m, s->query, s->shard, &sh);
	if (ret)
		return ret;
	s->key_size = m->key_size;
	s->value_size = m->value_size;
	s->max_entries = s->query ? m->max_entries >> m->shard_bits : m->max_entries;
	s->flags = m->flags;
	s->count = sh.count;
	s->B = sh.B;
	s->old_B = sh.old_B;
	s->growth = sh.growth;
	s->nevacuate = sh.nevacuate;
	s->bucket_size = bucket_size(m);
	s->buckets = sh.buckets;
	s->old_buckets = sh.old_buckets;
	s->memory = sh.memory;
	s->nr_counters = HMAP_STAT_NR_V0;
	memcpy(s->counters, sh.counters, sizeof(sh.counters));
	s->counters_off = stats_holders ? 0 : HMAP_STATS_RUNTIME_COUNTERS;
	s->shard_bits = m->shard_bits;
	s->evac_delay_ms = m->evac_delay_ms;
	/* As the kernel: a shard's id is its own, never the map's. */
	s->id = (uint32_t)(m - maps) * (MOCK_MAX_SHARDS + 1) + 1 +
		(s->query ? 1 + s->shard : 0);
	memcpy(us, s, size < vers[nv - 1] ? size : vers[nv - 1]);
	return 0;
}

static int do_enable_stats_req(struct hmap_ioc_enable_stats *e)
{
	if (e->size != sizeof(*e))
		return EINVAL;
	if (getenv("HMAPCTL_MOCK_NOPRIV"))
		return EPERM;
	if (e->flags)
		return EINVAL;
	stats_holders++;
	save();
	return 0;
}

int dev_enable_stats(int *fd)
{
	struct hmap_ioc_enable_stats e = { .size = sizeof(e) };
	int ret;

	lock_state();
	ret = do_enable_stats_req(&e);
	unlock_state();
	*fd = ret ? -1 : 1000;	/* no file: dev_stats_release() is the close */
	return ret;
}

void dev_stats_release(int fd)
{
	if (fd < 0)
		return;
	lock_state();
	if (stats_holders)
		stats_holders--;
	save();
	unlock_state();
}

static int do_snapshot_req(struct hmap_ioc_snapshot *us)
{
	static const uint32_t vers[] = {
		HMAP_IOC_SNAPSHOT_SIZE_VER0, HMAP_IOC_SNAPSHOT_SIZE_VER1
	};
	struct hmap_ioc_snapshot snap = { 0 }, *s = &snap;
	uint32_t size = us->size, nv = old_abi() ? 1 : 2;
	struct mock_shape sh;
	struct mock_map *m;
	int ret;

	if (!size_ok(us, sizeof(*us), size, vers, nv))
		return EINVAL;
	memcpy(s, us, size);
	if (s->reserved || s->reserved2 || s->reserved3 || s->reserved4 ||
	    s->reserved5 || !name_ok(s->name))
		return EINVAL;
	m = find(s->name);
	if (!m)
		return ENOENT;
	ret = query_shape(m, s->query, s->shard, &sh);
	if (ret)
		return ret;
	s->count = sh.count;
	s->B = sh.B;
	s->old_B = sh.old_B;
	s->growth = sh.growth;
	s->nevacuate = sh.nevacuate;
	s->buckets = sh.buckets;
	s->chain_hist[0] = sh.buckets;
	memcpy(s->slot_hist, sh.slot_hist, sizeof(sh.slot_hist));
	s->old_buckets = sh.old_buckets;
	s->old_chain_hist[0] = sh.old_buckets;
	s->old_slot_hist[0] = sh.old_buckets;
	s->old_evacuated = sh.evacuated;
	s->shard_bits = m->shard_bits;
	memcpy(us, s, size < vers[nv - 1] ? size : vers[nv - 1]);
	return 0;
}

static int dispatch(unsigned long req, void *arg)
{
	switch (req) {
	case HMAP_IOC_CREATE:
		return do_create_req(arg);
	case HMAP_IOC_DESTROY:
		return do_map_req(arg, true);
	case HMAP_IOC_CLEAR:
		return do_map_req(arg, false);
	case HMAP_IOC_LIST:
		return do_list_req(arg);
	case HMAP_IOC_LOOKUP:
	case HMAP_IOC_UPDATE:
	case HMAP_IOC_DELETE:
		return do_elem_req(req, arg);
	case HMAP_IOC_DUMP:
		return do_dump_req(arg);
	case HMAP_IOC_STATS:
		return do_stats_req(arg);
	case HMAP_IOC_SNAPSHOT:
		return do_snapshot_req(arg);
	}
	return ENOTTY;
}

int dev_ioctl(unsigned long req, void *arg)
{
	int ret;

	lock_state();
	ret = dispatch(req, arg);
	unlock_state();
	return ret;
}
