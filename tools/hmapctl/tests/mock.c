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
 * Knobs: HMAPCTL_MOCK_NOPRIV=1 makes create/destroy and enabling run-time
 * statistics fail with -EPERM; maps named grow* report a doubling grow in
 * progress (stats, snapshot).
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

struct mock_map {
	char name[HMAP_NAME_MAX];
	uint32_t key_size, value_size, max_entries, flags;
	uint32_t n;
	uint8_t *data;			/* n * (key_size + value_size) */
	uint64_t counters[HMAP_STAT_NR_V0];
};

static struct mock_map maps[MOCK_MAX_MAPS];
static uint32_t nmaps;
static uint32_t stats_holders;	/* open HMAP_IOC_ENABLE_STATS files */
static const char *state_path;
static int lock_fd = -1;

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
		    fread(m->counters, sizeof(m->counters), 1, f) != 1)
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
		fwrite(m->counters, sizeof(m->counters), 1, f);
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

static uint32_t mock_B(uint64_t count)
{
	uint32_t B = 0;

	while (count > 8 && count > 13ull * (1ull << B) / 2)
		B++;
	return B;
}

static int do_create_req(struct hmap_ioc_create *c)
{
	struct mock_map *m;

	if (c->size != sizeof(*c) || c->reserved || c->flags || !name_ok(c->name) ||
	    c->key_size < 1 || c->key_size > HMAP_MAX_KEY_SIZE ||
	    c->value_size > HMAP_MAX_VALUE_SIZE ||
	    c->max_entries > MOCK_MAX_ENTRIES)
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
	m->max_entries = c->max_entries ? c->max_entries : MOCK_MAX_ENTRIES;
	m->flags = c->flags;
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
		m->counters[HMAP_STAT_CLEARS]++;
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

	if (req == HMAP_IOC_LOOKUP) {
		if (i < 0) {
			m->counters[HMAP_STAT_MISSES] += !!stats_holders;
			save();
			return ENOENT;
		}
		m->counters[HMAP_STAT_HITS] += !!stats_holders;
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
		m->counters[HMAP_STAT_DELETES]++;
		save();
		return 0;
	}
	if (i >= 0 && e->flags == HMAP_UPDATE_NOEXIST)
		return EEXIST;
	if (i < 0 && e->flags == HMAP_UPDATE_EXIST)
		return ENOENT;
	if (i < 0) {
		uint8_t *p;

		if (m->n >= m->max_entries)
			return E2BIG;
		p = realloc(m->data, (size_t)(m->n + 1) *
			    (m->key_size + m->value_size) + 1);
		if (!p)
			return ENOMEM;
		m->data = p;
		i = m->n++;
		memcpy(entry(m, i), key, m->key_size);
		m->counters[HMAP_STAT_INSERTS]++;
	} else {
		m->counters[HMAP_STAT_UPDATES]++;
	}
	if (m->value_size)
		memcpy(entry(m, i) + m->key_size, value, m->value_size);
	save();
	return 0;
}

static int do_dump_req(struct hmap_ioc_dump *d)
{
	uint8_t *keys = (void *)(uintptr_t)d->keys;
	uint8_t *values = (void *)(uintptr_t)d->values;
	struct mock_map *m;
	uint64_t g = d->cursor;
	uint32_t count = d->count > HMAP_DUMP_MAX_BATCH ? HMAP_DUMP_MAX_BATCH : d->count;
	uint32_t got = 0;

	if (d->size != sizeof(*d) || d->flags || d->reserved || !name_ok(d->name))
		return EINVAL;
	m = find(d->name);
	if (!m)
		return ENOENT;
	if (d->key_size != m->key_size || d->value_size != m->value_size)
		return EINVAL;
	if (!keys || (m->value_size && !values))
		return EFAULT;
	for (; g * MOCK_GROUP < m->n; g++) {
		uint32_t first = (uint32_t)(g * MOCK_GROUP);
		uint32_t len = m->n - first < MOCK_GROUP ? m->n - first : MOCK_GROUP;

		if (got + len > count) {
			if (got == 0) {
				d->count = len;
				return ENOSPC;
			}
			break;
		}
		for (uint32_t j = 0; j < len; j++, got++) {
			memcpy(keys + (size_t)got * m->key_size,
			       entry(m, first + j), m->key_size);
			if (m->value_size)
				memcpy(values + (size_t)got * m->value_size,
				       entry(m, first + j) + m->key_size,
				       m->value_size);
		}
	}
	d->count = got;
	d->cursor = g * MOCK_GROUP < m->n ? g : 0;
	return 0;
}

static void shape(struct mock_map *m, uint32_t *B, uint32_t *old_B,
		  uint32_t *growth, __u64 *nevac)
{
	*B = mock_B(m->n);
	*growth = HMAP_GROWTH_NONE;
	*old_B = 0;
	*nevac = 0;
	if (!strncmp(m->name, "grow", 4)) {
		*growth = HMAP_GROWTH_DOUBLE;
		*B += 1;
		*old_B = *B - 1;
		*nevac = 1;
	}
}

/* The caller's structure may be the first version's (no counters_off). */
static int do_stats_req(struct hmap_ioc_stats *us)
{
	struct hmap_ioc_stats st = { 0 }, *s = &st;
	uint32_t size = us->size;
	struct mock_map *m;
	__u64 nevac;

	if (size != sizeof(*s) && size != HMAP_IOC_STATS_SIZE_VER0)
		return EINVAL;
	memcpy(s, us, size);
	if (s->reserved || !name_ok(s->name))
		return EINVAL;
	m = find(s->name);
	if (!m)
		return ENOENT;
	s->key_size = m->key_size;
	s->value_size = m->value_size;
	s->max_entries = m->max_entries;
	s->flags = m->flags;
	s->count = m->n;
	shape(m, &s->B, &s->old_B, &s->growth, &nevac);
	s->nevacuate = nevac;
	s->bucket_size = 8 + 8 * (m->key_size + m->value_size) + 8;
	s->buckets = 1ull << s->B;
	s->old_buckets = s->growth ? 1ull << s->old_B : 0;
	s->memory = (s->buckets + s->old_buckets) * s->bucket_size;
	s->nr_counters = HMAP_STAT_NR_V0;
	memcpy(s->counters, m->counters, sizeof(m->counters));
	s->counters_off = stats_holders ? 0 : HMAP_STATS_RUNTIME_COUNTERS;
	memcpy(us, s, size);
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

static int do_snapshot_req(struct hmap_ioc_snapshot *s)
{
	struct mock_map *m;
	uint64_t left;

	if (s->size != sizeof(*s) || s->reserved || !name_ok(s->name))
		return EINVAL;
	m = find(s->name);
	if (!m)
		return ENOENT;
	s->count = m->n;
	shape(m, &s->B, &s->old_B, &s->growth, &s->nevacuate);
	s->buckets = 1ull << s->B;
	s->chain_hist[0] = s->buckets;
	/* Fill buckets 8 at a time: a plausible, not a real, picture. */
	left = m->n;
	for (uint64_t b = 0; b < s->buckets; b++) {
		uint64_t k = left > 8 ? 8 : left;

		s->slot_hist[k]++;
		left -= k;
	}
	if (s->growth) {
		s->old_buckets = 1ull << s->old_B;
		s->old_chain_hist[0] = s->old_buckets;
		s->old_slot_hist[0] = s->old_buckets;
		s->old_evacuated = 1;
	}
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
