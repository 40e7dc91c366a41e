// SPDX-License-Identifier: GPL-2.0
/* Helpers of the userspace tests: keys, values, a reference model. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <linux/rcupdate.h>
#include <linux/siphash.h>
#include <shim.h>

#include "hmap_core.h"
#include "test.h"

static u64 mix(u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

#define TEST_MAX_MAPS	64
static struct hmap *test_maps[TEST_MAX_MAPS];

struct hmap *test_create(u32 key_size, u32 value_size, u32 max_entries, u32 flags)
{
	struct hmap_params p = {
		.key_size = key_size, .value_size = value_size,
		.max_entries = max_entries, .flags = flags,
	};
	struct hmap *map = hmap_create(&p);

	if (IS_ERR(map)) {
		test_fail(__FILE__, __LINE__, "hmap_create(%u, %u, %u, %u): %ld",
			  key_size, value_size, max_entries, flags, PTR_ERR(map));
		return NULL;
	}
	for (int i = 0; i < TEST_MAX_MAPS; i++) {
		if (!test_maps[i]) {
			test_maps[i] = map;
			break;
		}
	}
	return map;
}

void test_destroy(struct hmap *map)
{
	if (!map)
		return;
	for (int i = 0; i < TEST_MAX_MAPS; i++)
		if (test_maps[i] == map)
			test_maps[i] = NULL;
	hmap_destroy(map);
}

void test_destroy_leftovers(void)
{
	for (int i = 0; i < TEST_MAX_MAPS; i++)
		if (test_maps[i])
			test_destroy(test_maps[i]);
}

struct hmap_info test_info(struct hmap *map)
{
	struct hmap_info info;

	hmap_get_info(map, &info);
	return info;
}

void test_key(u32 key_size, u64 i, u8 *buf)
{
	u32 n = key_size < 8 ? key_size : 8, j;

	for (j = 0; j < n; j++)
		buf[j] = i >> (8 * j);
	for (; j < key_size; j++)
		buf[j] = mix(i * 1024 + j / 8) >> (8 * (j % 8));
}

u64 test_key_id(u32 key_size, const u8 *buf)
{
	u32 n = key_size < 8 ? key_size : 8, j;
	u64 i = 0;

	for (j = 0; j < n; j++)
		i |= (u64)buf[j] << (8 * j);
	return i;
}

bool test_key_valid(u32 key_size, const u8 *buf)
{
	u64 i = test_key_id(key_size, buf);
	u32 j;

	for (j = 8; j < key_size; j++)
		if (buf[j] != (u8)(mix(i * 1024 + j / 8) >> (8 * (j % 8))))
			return false;
	return true;
}

void test_value(u32 value_size, u64 i, u32 gen, u8 *buf)
{
	u64 seed = mix(i ^ ((u64)gen << 40) ^ 0x5bd1e995);
	u32 j;

	for (j = 0; j < value_size; j++) {
		if (j % 8 == 0)
			seed = mix(seed + j);
		buf[j] = seed >> (8 * (j % 8));
	}
}

/* The core's own hash (hmap_core.h); test_siphash.c checks what it is. */
u64 test_hash(struct hmap *map, const void *key)
{
	return hmap_hash(map, key);
}

static u8 *xmalloc(size_t n)
{
	u8 *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

void model_init(struct model *m, u32 key_size, u32 value_size, u64 nkeys)
{
	memset(m, 0, sizeof(*m));
	m->key_size = key_size;
	m->value_size = value_size;
	m->nkeys = nkeys;
	m->gen = calloc(nkeys, sizeof(*m->gen));
	if (!m->gen)
		abort();
	m->max_entries = HMAP_MAX_ENTRIES;
}

void model_free(struct model *m)
{
	free(m->gen);
	m->gen = NULL;
}

int model_update(struct hmap *map, struct model *m, u64 i, u32 gen, u64 flags)
{
	u8 *key = xmalloc(m->key_size), *val = xmalloc(m->value_size);
	bool present = m->gen[i] != 0;
	int want, err;

	test_key(m->key_size, i, key);
	test_value(m->value_size, i, gen, val);
	err = hmap_update(map, key, val, flags);
	if (flags > HMAP_UPDATE_EXIST)
		want = -EINVAL;
	else if (present && flags == HMAP_UPDATE_NOEXIST)
		want = -EEXIST;
	else if (!present && flags == HMAP_UPDATE_EXIST)
		want = -ENOENT;
	else if (!present && m->count >= m->max_entries)
		want = -E2BIG;
	else
		want = 0;
	/* A write evacuates first: any but -EINVAL may fail for memory. */
	if (err != want && !(err == -ENOMEM && m->allow_enomem && want != -EINVAL))
		test_fail(__FILE__, __LINE__, "update key %llu flags %llu: got %d, want %d",
			  (unsigned long long)i, (unsigned long long)flags, err, want);
	if (!err) {
		if (!present)
			m->count++;
		m->gen[i] = gen;
	}
	free(key);
	free(val);
	return err;
}

int model_delete(struct hmap *map, struct model *m, u64 i)
{
	u8 *key = xmalloc(m->key_size);
	bool present = m->gen[i] != 0;
	int err, want = present ? 0 : -ENOENT;

	test_key(m->key_size, i, key);
	err = hmap_delete(map, key);
	if (err != want && !(err == -ENOMEM && m->allow_enomem))
		test_fail(__FILE__, __LINE__, "delete key %llu: got %d, want %d",
			  (unsigned long long)i, err, want);
	if (!err && present) {
		m->count--;
		m->gen[i] = 0;
	}
	free(key);
	return err;
}

/* Checks one returned entry against the model; counts it in @seen. */
static void check_entry(const struct model *m, const u8 *key, const u8 *val,
			u8 *seen, u8 *want, bool once, const char *what,
			const char *when)
{
	u64 id = test_key_id(m->key_size, key);

	if (!test_key_valid(m->key_size, key) || id >= m->nkeys || !m->gen[id]) {
		test_fail(__FILE__, __LINE__, "%s (%s): returned key %llu not in the map",
			  what, when, (unsigned long long)id);
		return;
	}
	if (seen[id]++ && once)
		test_fail(__FILE__, __LINE__, "%s (%s): key %llu returned twice",
			  what, when, (unsigned long long)id);
	if (val && m->value_size) {
		test_value(m->value_size, id, m->gen[id], want);
		if (memcmp(val, want, m->value_size))
			test_fail(__FILE__, __LINE__, "%s (%s): wrong value for key %llu",
				  what, when, (unsigned long long)id);
	}
}

void test_check_iter(struct hmap *map, const struct model *m, const char *when)
{
	u8 *seen = calloc(m->nkeys, 1), *key = xmalloc(m->key_size);
	u8 *val = xmalloc(m->value_size), *want = xmalloc(m->value_size);
	struct hmap_iter it;
	u64 n = 0, limit = 2 * m->count + 100;

	rcu_read_lock();
	hmap_iter_init(map, &it);
	while (n < limit && !hmap_iter_next(&it, key, val)) {
		check_entry(m, key, val, seen, want, true, "iteration", when);
		n++;
	}
	rcu_read_unlock();
	if (n != m->count)
		test_fail(__FILE__, __LINE__, "iteration (%s): %llu entries, want %llu",
			  when, (unsigned long long)n, (unsigned long long)m->count);
	free(seen);
	free(key);
	free(val);
	free(want);
}

void test_check_scan(struct hmap *map, const struct model *m, const char *when)
{
	u8 *seen = calloc(m->nkeys, 1), *want = xmalloc(m->value_size);
	u32 room = 4, n, j, calls = 0;
	u8 *keys = xmalloc((size_t)room * m->key_size);
	u8 *vals = xmalloc((size_t)room * m->value_size);
	u64 cursor = 0, total = 0;
	int err;

	for (;;) {
		err = hmap_scan(map, &cursor, keys, vals, room, &n);
		if (err == -ENOSPC) {
			if (n <= room) {
				test_fail(__FILE__, __LINE__, "scan (%s): -ENOSPC asks for %u, room %u",
					  when, n, room);
				break;
			}
			room = n;
			free(keys);
			free(vals);
			keys = xmalloc((size_t)room * m->key_size);
			vals = xmalloc((size_t)room * m->value_size);
			continue;
		}
		if (err) {
			test_fail(__FILE__, __LINE__, "scan (%s): %d", when, err);
			break;
		}
		for (j = 0; j < n; j++)
			check_entry(m, keys + (size_t)j * m->key_size,
				    vals + (size_t)j * m->value_size, seen, want,
				    true, "scan", when);
		total += n;
		if (!cursor || ++calls > (1U << 28))
			break;
	}
	if (total != m->count)
		test_fail(__FILE__, __LINE__, "scan (%s): %llu entries, want %llu",
			  when, (unsigned long long)total, (unsigned long long)m->count);
	free(seen);
	free(want);
	free(keys);
	free(vals);
}

void test_verify(struct hmap *map, const char *when)
{
#ifdef HMAP_HAVE_VERIFY
	int err = hmap_verify(map);

	if (err)
		test_fail(__FILE__, __LINE__, "hmap_verify (%s): %d", when, err);
#endif
}

void model_check(struct hmap *map, const struct model *m, const char *when)
{
	u8 *key = xmalloc(m->key_size), *val = xmalloc(m->value_size);
	u8 *want = xmalloc(m->value_size);
	u64 i;
	int err;

	CHECK_EQ(hmap_count(map), m->count, "(%s)", when);
	for (i = 0; i < m->nkeys; i++) {
		test_key(m->key_size, i, key);
		err = hmap_lookup(map, key, val);
		if (!m->gen[i]) {
			if (err != -ENOENT)
				test_fail(__FILE__, __LINE__, "lookup (%s): absent key %llu: %d",
					  when, (unsigned long long)i, err);
			continue;
		}
		if (err) {
			test_fail(__FILE__, __LINE__, "lookup (%s): key %llu: %d",
				  when, (unsigned long long)i, err);
			continue;
		}
		test_value(m->value_size, i, m->gen[i], want);
		if (memcmp(val, want, m->value_size))
			test_fail(__FILE__, __LINE__, "lookup (%s): wrong value for key %llu",
				  when, (unsigned long long)i);
		if (test_fail_count > 20)
			break;
	}
	test_check_iter(map, m, when);
	test_check_scan(map, m, when);
	test_verify(map, when);
	free(key);
	free(val);
	free(want);
}
