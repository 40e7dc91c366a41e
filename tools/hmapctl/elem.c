// SPDX-License-Identifier: GPL-2.0
/*
 * hmapctl: commands on entries: put, get, del, dump. Each first asks the
 * kernel for the map's key and value sizes (HMAP_IOC_STATS), then parses
 * KEY and VALUE against them, then makes its one request.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hmapctl.h"

/* Largest dump buffer allocated up front (the kernel may ask for more). */
#define DUMP_BUF_LIMIT		(64u << 20)
#define DUMP_DEFAULT_BATCH	256

/*
 * Check NAME (and that a KEY follows if @need_key), open the device and
 * fetch the map's stats.
 */
static int open_map(int argc, char **argv, bool need_key,
		    struct hmap_ioc_stats *st)
{
	const char *bad;
	int ret;

	if (argc < 1)
		return usage_error("missing NAME");
	bad = check_map_name(argv[0]);
	if (bad)
		return usage_error("%s", bad);
	if (need_key && argc < 2)
		return usage_error("missing KEY");
	ret = dev_open();
	if (ret)
		return ret;
	ret = get_stats(argv[0], st);
	if (ret)
		return kernel_error(ret, argv[0]);
	return EXIT_OK;
}

/* Parse KEY or VALUE at argv[*idx]; a usage error on bad syntax. */
static int parse_arg(int argc, char **argv, int *idx, uint8_t *buf,
		     size_t size, const char *what)
{
	char err[256];

	if (parse_bytes(argc, argv, idx, buf, size, what, err, sizeof(err)))
		return usage_error("%s", err);
	return EXIT_OK;
}

static int extra_arg(const char *arg, const struct hmap_ioc_stats *st)
{
	return usage_error("unexpected argument '%s' (the map's key_size is %u, value_size %u)",
			   arg, st->key_size, st->value_size);
}

/* ENOENT on an entry: the key is missing, or the map went away meanwhile. */
static int no_entry(const char *name)
{
	struct hmap_ioc_stats st;

	if (get_stats(name, &st) == ENOENT)
		return fail(EXIT_NOMAP, "no such map '%s'", name);
	return fail(EXIT_NOKEY, "no such key in map '%s'", name);
}

/* Buffers for a key and a value; at least one byte so malloc never fails on 0. */
static int alloc_kv(const struct hmap_ioc_stats *st, uint8_t **key,
		    uint8_t **value)
{
	*key = malloc(st->key_size + 1);
	*value = malloc(st->value_size + 1);
	if (!*key || !*value) {
		free(*key);
		free(*value);
		return fail(EXIT_KERNEL, "out of memory");
	}
	return EXIT_OK;
}

/*
 * -E2BIG from put. A map of shards splits max_entries among them, and the
 * key's shard may be full before the map is.
 */
static int map_full(const char *name, const struct hmap_ioc_stats *st)
{
	if (!st->shard_bits)
		return fail(EXIT_FULL, "map '%s' is full (max_entries %u)", name,
			    st->max_entries);
	return fail(EXIT_FULL, "map '%s' is full (max_entries %u, split among %llu shards: this key's shard is full)",
		    name, st->max_entries,
		    (unsigned long long)shard_count(st->shard_bits));
}

int do_put(int argc, char **argv)
{
	static const char *const flag_words[] = {
		[HMAP_UPDATE_ANY]	= "any",
		[HMAP_UPDATE_NOEXIST]	= "noexist",
		[HMAP_UPDATE_EXIST]	= "exist",
		NULL
	};
	struct hmap_ioc_elem e = { .size = sizeof(e) };
	struct hmap_ioc_stats st;
	uint8_t *key, *value;
	int idx = 1, flag = HMAP_UPDATE_ANY, ret;

	ret = open_map(argc, argv, true, &st);
	if (ret)
		return ret;
	ret = alloc_kv(&st, &key, &value);
	if (ret)
		return ret;

	ret = parse_arg(argc, argv, &idx, key, st.key_size, "key");
	if (ret)
		goto out;
	/* A set's VALUE may be left out: a lone flag word is the flag. */
	if (!(st.value_size == 0 && idx == argc - 1 &&
	      match_keyword(argv[idx], flag_words) >= 0)) {
		ret = parse_arg(argc, argv, &idx, value, st.value_size, "value");
		if (ret)
			goto out;
	}
	if (idx < argc) {
		flag = match_keyword(argv[idx], flag_words);
		if (flag < 0) {
			ret = usage_error("unknown update flag '%s' (any, noexist or exist)",
					  argv[idx]);
			goto out;
		}
		idx++;
	}
	if (idx < argc) {
		ret = extra_arg(argv[idx], &st);
		goto out;
	}

	set_name(e.name, argv[0]);
	e.flags = (uint32_t)flag;
	e.key = (uintptr_t)key;
	e.key_size = st.key_size;
	e.value = st.value_size ? (uintptr_t)value : 0;
	e.value_size = st.value_size;
	ret = dev_ioctl(HMAP_IOC_UPDATE, &e);
	switch (ret) {
	case 0:
		if (json_output)
			jw_null();
		break;
	case ENOENT:
		if (flag == HMAP_UPDATE_EXIST)
			ret = no_entry(argv[0]);
		else
			ret = fail(EXIT_NOMAP, "no such map '%s'", argv[0]);
		break;
	case EEXIST:
		ret = fail(EXIT_EXISTS, "key already exists in map '%s'", argv[0]);
		break;
	case E2BIG:
		ret = map_full(argv[0], &st);
		break;
	default:
		ret = kernel_error(ret, argv[0]);
	}
out:
	free(key);
	free(value);
	return ret;
}

/* get and del: NAME KEY, nothing more. */
static int name_key(int argc, char **argv, struct hmap_ioc_stats *st,
		    uint8_t **key, uint8_t **value)
{
	int idx = 1, ret;

	ret = open_map(argc, argv, true, st);
	if (ret)
		return ret;
	ret = alloc_kv(st, key, value);
	if (ret)
		return ret;
	ret = parse_arg(argc, argv, &idx, *key, st->key_size, "key");
	if (!ret && idx < argc)
		ret = extra_arg(argv[idx], st);
	if (ret) {
		free(*key);
		free(*value);
	}
	return ret;
}

int do_get(int argc, char **argv)
{
	struct hmap_ioc_elem e = { .size = sizeof(e) };
	struct hmap_ioc_stats st;
	uint8_t *key, *value;
	int ret;

	ret = name_key(argc, argv, &st, &key, &value);
	if (ret)
		return ret;
	set_name(e.name, argv[0]);
	e.key = (uintptr_t)key;
	e.key_size = st.key_size;
	e.value = st.value_size ? (uintptr_t)value : 0;
	e.value_size = st.value_size;
	ret = dev_ioctl(HMAP_IOC_LOOKUP, &e);
	if (ret == ENOENT) {
		ret = no_entry(argv[0]);
	} else if (ret) {
		ret = kernel_error(ret, argv[0]);
	} else if (json_output) {
		jw_obj_begin();
		jw_key("key");
		json_bytes(key, st.key_size);
		jw_key("value");
		json_bytes(value, st.value_size);
		jw_obj_end();
	} else if (st.value_size) {
		print_bytes(stdout, value, st.value_size, false);
		putchar('\n');
	}
	free(key);
	free(value);
	return ret;
}

int do_del(int argc, char **argv)
{
	struct hmap_ioc_elem e = { .size = sizeof(e) };
	struct hmap_ioc_stats st;
	uint8_t *key, *value;
	int ret;

	ret = name_key(argc, argv, &st, &key, &value);
	if (ret)
		return ret;
	set_name(e.name, argv[0]);
	e.key = (uintptr_t)key;
	e.key_size = st.key_size;
	ret = dev_ioctl(HMAP_IOC_DELETE, &e);
	if (ret == ENOENT)
		ret = no_entry(argv[0]);
	else if (ret)
		ret = kernel_error(ret, argv[0]);
	else if (json_output)
		jw_null();
	free(key);
	free(value);
	return ret;
}

static void print_entry(const uint8_t *key, size_t ks, const uint8_t *value,
			size_t vs)
{
	if (json_output) {
		jw_obj_begin();
		jw_key("key");
		json_bytes(key, ks);
		if (vs) {
			jw_key("value");
			json_bytes(value, vs);
		}
		jw_obj_end();
		return;
	}
	fputs("key: ", stdout);
	print_bytes(stdout, key, ks, true);
	if (vs) {
		fputs(" value: ", stdout);
		print_bytes(stdout, value, vs, true);
	}
	putchar('\n');
}

/* (Re)size the dump buffers for @room entries. */
static int dump_bufs(uint8_t **keys, uint8_t **values, size_t room,
		     const struct hmap_ioc_stats *st)
{
	uint8_t *k = realloc(*keys, room * st->key_size + 1);
	uint8_t *v;

	if (!k)
		return -1;
	*keys = k;
	v = realloc(*values, room * st->value_size + 1);
	if (!v)
		return -1;
	*values = v;
	return 0;
}

int do_dump(int argc, char **argv)
{
	struct hmap_ioc_stats st;
	uint8_t *keys = NULL, *values = NULL;
	uint32_t batch = DUMP_DEFAULT_BATCH, room;
	uint64_t cursor = 0, total = 0;
	size_t esize;
	int ret;

	if (argc >= 2) {
		if (!is_prefix(argv[1], "batch"))
			return usage_error("unexpected argument '%s' (expected batch N)",
					   argv[1]);
		if (argc < 3)
			return usage_error("batch needs a number");
		if (parse_u32(argv[2], &batch) || batch < 1 ||
		    batch > HMAP_DUMP_MAX_BATCH)
			return usage_error("batch: bad number '%s' (1..%u)",
					   argv[2], HMAP_DUMP_MAX_BATCH);
		if (argc > 3)
			return usage_error("unexpected argument '%s'", argv[3]);
	}
	ret = open_map(argc, argv, false, &st);
	if (ret)
		return ret;

	esize = (size_t)st.key_size + st.value_size;
	room = batch;
	if (esize && room > DUMP_BUF_LIMIT / esize)
		room = DUMP_BUF_LIMIT / esize ? DUMP_BUF_LIMIT / esize : 1;
	if (dump_bufs(&keys, &values, room, &st)) {
		ret = fail(EXIT_KERNEL, "out of memory");
		goto out;
	}

	if (json_output)
		jw_arr_begin();
	for (;;) {
		struct hmap_ioc_dump d = { .size = sizeof(d) };

		set_name(d.name, argv[0]);
		d.cursor = cursor;
		d.keys = (uintptr_t)keys;
		d.values = st.value_size ? (uintptr_t)values : 0;
		d.key_size = st.key_size;
		d.value_size = st.value_size;
		d.count = room;
		ret = dev_ioctl(HMAP_IOC_DUMP, &d);
		if (ret == ENOSPC) {
			/* One bucket group needs more room: d.count says how much. */
			if (d.count <= room || d.count > HMAP_DUMP_MAX_BATCH) {
				ret = fail(EXIT_KERNEL,
					   "dump: kernel asked for room for %u entries (had %u)",
					   d.count, room);
				goto out;
			}
			room = d.count;
			if (dump_bufs(&keys, &values, room, &st)) {
				ret = fail(EXIT_KERNEL, "out of memory");
				goto out;
			}
			continue;
		}
		if (ret) {
			ret = kernel_error(ret, argv[0]);
			goto out;
		}
		if (d.count > room) {
			ret = fail(EXIT_KERNEL, "dump: kernel returned %u entries for room %u",
				   d.count, room);
			goto out;
		}
		for (uint32_t i = 0; i < d.count; i++)
			print_entry(keys + (size_t)i * st.key_size, st.key_size,
				    values + (size_t)i * st.value_size,
				    st.value_size);
		total += d.count;
		if (d.cursor == 0)
			break;
		if (d.cursor == cursor && d.count == 0) {
			ret = fail(EXIT_KERNEL, "dump: no progress at cursor %#llx",
				   (unsigned long long)cursor);
			goto out;
		}
		cursor = d.cursor;
	}
	if (json_output)
		jw_arr_end();
	else
		printf("%llu %s\n", (unsigned long long)total,
		       total == 1 ? "entry" : "entries");
	ret = EXIT_OK;
out:
	free(keys);
	free(values);
	return ret;
}
