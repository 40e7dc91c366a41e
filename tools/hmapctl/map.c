// SPDX-License-Identifier: GPL-2.0
/*
 * hmapctl: commands on whole maps: create, list, destroy, clear, stats,
 * snapshot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hmapctl.h"

/* Commands that change state and have nothing to say print null in JSON. */
static int done(void)
{
	if (json_output)
		jw_null();
	return EXIT_OK;
}

/* The NAME argument of a command that takes nothing else. */
static int only_name(int argc, char **argv, const char **name)
{
	const char *bad;

	if (argc < 1)
		return usage_error("missing NAME");
	if (argc > 1)
		return usage_error("unexpected argument '%s'", argv[1]);
	bad = check_map_name(argv[0]);
	if (bad)
		return usage_error("%s", bad);
	*name = argv[0];
	return EXIT_OK;
}

int do_create(int argc, char **argv)
{
	static const char *const kw[] = {
		"key_size", "value_size", "max_entries", "flags", NULL
	};
	struct hmap_ioc_create c = { .size = sizeof(c) };
	uint32_t val[4] = { 0 };
	bool seen[4] = { false };
	const char *name, *bad;
	int ret;

	if (argc < 1)
		return usage_error("missing NAME");
	name = argv[0];
	bad = check_map_name(name);
	if (bad)
		return usage_error("%s", bad);
	for (int i = 1; i < argc; i += 2) {
		int k = match_keyword(argv[i], kw);

		if (k == -2)
			return usage_error("ambiguous keyword '%s'", argv[i]);
		if (k < 0)
			return usage_error("unknown keyword '%s' (expected key_size, value_size, max_entries or flags)",
					   argv[i]);
		if (seen[k])
			return usage_error("%s given twice", kw[k]);
		if (i + 1 >= argc)
			return usage_error("%s needs a number", kw[k]);
		if (parse_u32(argv[i + 1], &val[k]))
			return usage_error("%s: bad number '%s'", kw[k], argv[i + 1]);
		seen[k] = true;
	}
	if (!seen[0])
		return usage_error("missing key_size");
	if (!seen[1])
		return usage_error("missing value_size");
	if (val[0] < 1 || val[0] > HMAP_MAX_KEY_SIZE)
		return usage_error("key_size %u out of range (1..%u)", val[0],
				   HMAP_MAX_KEY_SIZE);
	if (val[1] > HMAP_MAX_VALUE_SIZE)
		return usage_error("value_size %u out of range (0..%u)", val[1],
				   HMAP_MAX_VALUE_SIZE);

	c.key_size = val[0];
	c.value_size = val[1];
	c.max_entries = val[2];
	c.flags = val[3];
	set_name(c.name, name);

	ret = dev_open();
	if (ret)
		return ret;
	ret = dev_ioctl(HMAP_IOC_CREATE, &c);
	switch (ret) {
	case 0:
		return done();
	case EEXIST:
		return fail(EXIT_EXISTS, "map '%s' already exists", name);
	case ENOSPC:
		return fail(EXIT_KERNEL, "too many maps (see the module parameter max_maps)");
	case EINVAL:
		return fail(EXIT_KERNEL, "invalid argument (max_entries too large or unknown flags?)");
	default:
		return kernel_error(ret, name);
	}
}

int do_list(int argc, char **argv)
{
	struct hmap_list_entry *ents = NULL;
	struct hmap_ioc_list l;
	size_t room = 16;
	uint32_t n;
	int ret;

	if (argc > 0)
		return usage_error("unexpected argument '%s'", argv[0]);
	ret = dev_open();
	if (ret)
		return ret;
	for (;;) {
		struct hmap_list_entry *p = realloc(ents, room * sizeof(*ents));

		if (!p) {
			free(ents);
			return fail(EXIT_KERNEL, "out of memory");
		}
		ents = p;
		memset(ents, 0, room * sizeof(*ents));
		memset(&l, 0, sizeof(l));
		l.size = sizeof(l);
		l.count = (uint32_t)room;
		l.entries = (uintptr_t)ents;
		ret = dev_ioctl(HMAP_IOC_LIST, &l);
		if (ret) {
			free(ents);
			return kernel_error(ret, "");
		}
		if (l.count <= room)
			break;
		/* Some slack in case it grows again. */
		room = l.count < UINT32_MAX - 16 ? l.count + 16 : UINT32_MAX;
	}
	n = l.count;

	if (json_output) {
		jw_arr_begin();
		for (uint32_t i = 0; i < n; i++) {
			char nm[HMAP_NAME_MAX];

			memcpy(nm, ents[i].name, sizeof(nm));
			nm[HMAP_NAME_MAX - 1] = 0;
			jw_obj_begin();
			jw_kv_str("name", nm);
			jw_kv_u64("key_size", ents[i].key_size);
			jw_kv_u64("value_size", ents[i].value_size);
			jw_kv_u64("max_entries", ents[i].max_entries);
			jw_kv_u64("flags", ents[i].flags);
			jw_kv_u64("count", ents[i].count);
			jw_obj_end();
		}
		jw_arr_end();
	} else if (n) {
		printf("%-31s %8s %10s %11s %6s %10s\n", "NAME", "KEY_SIZE",
		       "VALUE_SIZE", "MAX_ENTRIES", "FLAGS", "COUNT");
		for (uint32_t i = 0; i < n; i++) {
			char flags[16];

			snprintf(flags, sizeof(flags), "0x%x", ents[i].flags);
			printf("%-31.31s %8u %10u %11u %6s %10llu\n",
			       ents[i].name, ents[i].key_size,
			       ents[i].value_size, ents[i].max_entries, flags,
			       (unsigned long long)ents[i].count);
		}
	}
	free(ents);
	return EXIT_OK;
}

/* DESTROY and CLEAR take the same structure. */
static int map_op(int argc, char **argv, unsigned long req)
{
	struct hmap_ioc_map m = { .size = sizeof(m) };
	const char *name;
	int ret;

	ret = only_name(argc, argv, &name);
	if (ret)
		return ret;
	set_name(m.name, name);
	ret = dev_open();
	if (ret)
		return ret;
	ret = dev_ioctl(req, &m);
	if (ret)
		return kernel_error(ret, name);
	return done();
}

int do_destroy(int argc, char **argv)
{
	return map_op(argc, argv, HMAP_IOC_DESTROY);
}

int do_clear(int argc, char **argv)
{
	return map_op(argc, argv, HMAP_IOC_CLEAR);
}

static const char *growth_name(uint32_t g, char *buf, size_t len)
{
	switch (g) {
	case HMAP_GROWTH_NONE:
		return "no";
	case HMAP_GROWTH_DOUBLE:
		return "double";
	case HMAP_GROWTH_SAMESIZE:
		return "samesize";
	case HMAP_GROWTH_SHRINK:
		return "shrink";
	}
	snprintf(buf, len, "unknown(%u)", g);
	return buf;
}

/*
 * Names of hmap_ioc_stats.counters[], as in debugfs. stats prints what
 * /sys/kernel/debug/hmap/NAME/stats does, in the same order.
 */
static const char *const counter_names[HMAP_STAT_NR_V0] = {
	[HMAP_STAT_HITS]		= "hits",
	[HMAP_STAT_MISSES]		= "misses",
	[HMAP_STAT_INSERTS]		= "inserts",
	[HMAP_STAT_UPDATES]		= "updates",
	[HMAP_STAT_DELETES]		= "deletes",
	[HMAP_STAT_GROWS]		= "grows",
	[HMAP_STAT_SAMESIZE_GROWS]	= "samesize_grows",
	[HMAP_STAT_EVACUATED]		= "evacuated",
	[HMAP_STAT_OVERFLOW_ALLOCS]	= "overflow_allocs",
	[HMAP_STAT_READER_RETRIES]	= "reader_retries",
	[HMAP_STAT_CLEARS]		= "clears",
	[HMAP_STAT_RESEEDS]		= "reseeds",
	[HMAP_STAT_SHRINKS]		= "shrinks",
	[HMAP_STAT_EVACUATED_BG]	= "evacuated_bg",
	[HMAP_STAT_CACHE_HITS]		= "cache_hits",
	[HMAP_STAT_CACHE_MISSES]	= "cache_misses",
	[HMAP_STAT_CACHE_REFILLS]	= "cache_refills",
	[HMAP_STAT_CACHE_DRAINS]	= "cache_drains",
};

/* One "name: value" line, or one JSON member. */
static void field_u64(const char *name, uint64_t v)
{
	if (json_output)
		jw_kv_u64(name, v);
	else
		printf("%s: %llu\n", name, (unsigned long long)v);
}

static void field_str(const char *name, const char *s)
{
	if (json_output)
		jw_kv_str(name, s);
	else
		printf("%s: %s\n", name, s);
}

/* A counter: "name: off" (JSON null) if it is not counting now. */
static void field_counter(const char *name, uint64_t v, bool off)
{
	if (!off) {
		field_u64(name, v);
	} else if (json_output) {
		jw_key(name);
		jw_null();
	} else {
		printf("%s: off\n", name);
	}
}

/* The most seconds stats ... sample takes. */
#define SAMPLE_MAX	86400

/* Sleeps @secs seconds, signals or not. */
static void sleep_secs(uint32_t secs)
{
	struct timespec ts = { .tv_sec = secs };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * stats NAME sample SECONDS: run-time statistics on (an HMAP_IOC_ENABLE_STATS
 * file) for SECONDS; @st becomes the stats at the end with every counter
 * the count during the window. 0 or an exit status (reported).
 */
static int sample_stats(const char *name, uint32_t secs,
			struct hmap_ioc_stats *st)
{
	struct hmap_ioc_stats st0;
	int fd, ret;

	ret = dev_enable_stats(&fd);
	if (ret == EPERM || ret == EACCES)
		return fail(EXIT_PERM, "permission denied (sample needs CAP_SYS_ADMIN)");
	if (ret)
		return kernel_error(ret, name);
	ret = get_stats(name, &st0);
	if (!ret) {
		sleep_secs(secs);
		ret = get_stats(name, st);
	}
	dev_stats_release(fd);
	if (ret)
		return kernel_error(ret, name);
	for (uint32_t i = 0; i < HMAP_STATS_MAX_COUNTERS; i++)
		st->counters[i] -= st0.counters[i];
	/* Off at either end: the difference counts nothing. */
	st->counters_off |= st0.counters_off;
	return EXIT_OK;
}

int do_stats(int argc, char **argv)
{
	static const char *const kw[] = { "sample", NULL };
	const uint64_t lookups = 1ULL << HMAP_STAT_HITS | 1ULL << HMAP_STAT_MISSES;
	struct hmap_ioc_stats st;
	uint32_t nc, secs = 0;
	const char *name, *bad;
	char gbuf[32];
	int ret;

	if (argc < 1)
		return usage_error("missing NAME");
	bad = check_map_name(argv[0]);
	if (bad)
		return usage_error("%s", bad);
	name = argv[0];
	if (argc > 1) {
		if (match_keyword(argv[1], kw) != 0)
			return usage_error("unexpected argument '%s' (expected sample SECONDS)",
					   argv[1]);
		if (argc < 3)
			return usage_error("sample needs a number of seconds");
		if (parse_u32(argv[2], &secs) || secs < 1 || secs > SAMPLE_MAX)
			return usage_error("sample: bad number of seconds '%s' (1..%u)",
					   argv[2], SAMPLE_MAX);
		if (argc > 3)
			return usage_error("unexpected argument '%s'", argv[3]);
	}
	ret = dev_open();
	if (ret)
		return ret;
	if (secs) {
		ret = sample_stats(name, secs, &st);
		if (ret)
			return ret;
	} else {
		ret = get_stats(name, &st);
		if (ret)
			return kernel_error(ret, name);
	}

	if (json_output)
		jw_obj_begin();
	if (secs)
		field_u64("sample_seconds", secs);
	field_u64("id", st.id);
	field_u64("count", st.count);
	field_u64("B", st.B);
	field_u64("buckets", st.buckets);
	field_u64("noverflow", st.noverflow);
	field_str("growing", growth_name(st.growth, gbuf, sizeof(gbuf)));
	field_u64("nevacuate", st.nevacuate);
	field_u64("old_B", st.old_B);
	field_u64("old_buckets", st.old_buckets);
	field_u64("old_noverflow", st.old_noverflow);
	field_u64("max_entries", st.max_entries);
	field_u64("key_size", st.key_size);
	field_u64("value_size", st.value_size);
	field_u64("bucket_size", st.bucket_size);
	field_u64("memory", st.memory);
	field_u64("cache_objects", st.cache_objects);
	field_u64("spare_buckets", st.spare_buckets);
	nc = st.nr_counters;
	if (nc > HMAP_STATS_MAX_COUNTERS)
		nc = HMAP_STATS_MAX_COUNTERS;
	if (nc > HMAP_STAT_MISSES)
		field_counter("lookups", st.counters[HMAP_STAT_HITS] +
			      st.counters[HMAP_STAT_MISSES],
			      st.counters_off & lookups);
	for (uint32_t i = 0; i < nc; i++) {
		char buf[32];
		const char *cn = i < HMAP_STAT_NR_V0 ? counter_names[i] : NULL;

		if (!cn) {
			snprintf(buf, sizeof(buf), "counter%u", i);
			cn = buf;
		}
		field_counter(cn, st.counters[i], st.counters_off & 1ULL << i);
	}
	if (json_output)
		jw_obj_end();
	return EXIT_OK;
}

/* A histogram: JSON array, or rows with a bar scaled to the largest. */
static void histogram(const char *key, const char *title, const __u64 *h,
		      int n, int label_base, bool last_is_more)
{
	uint64_t max = 0;

	if (json_output) {
		jw_key(key);
		jw_arr_begin();
		for (int i = 0; i < n; i++)
			jw_u64(h[i]);
		jw_arr_end();
		return;
	}
	for (int i = 0; i < n; i++)
		if (h[i] > max)
			max = h[i];
	printf("%s:\n", title);
	for (int i = 0; i < n; i++) {
		int bar = max ? (int)((h[i] * 40 + max - 1) / max) : 0;

		printf("  %s%2d: %10llu", last_is_more && i == n - 1 ? ">=" : "  ",
		       label_base + i, (unsigned long long)h[i]);
		if (bar)
			fputs("  ", stdout);
		for (int j = 0; j < bar; j++)
			putchar('#');
		putchar('\n');
	}
}

int do_snapshot(int argc, char **argv)
{
	struct hmap_ioc_snapshot s = { .size = sizeof(s) };
	const char *name;
	char gbuf[32];
	bool growing;
	int ret;

	ret = only_name(argc, argv, &name);
	if (ret)
		return ret;
	set_name(s.name, name);
	ret = dev_open();
	if (ret)
		return ret;
	ret = dev_ioctl(HMAP_IOC_SNAPSHOT, &s);
	if (ret)
		return kernel_error(ret, name);
	growing = s.growth != HMAP_GROWTH_NONE;

	if (json_output) {
		jw_obj_begin();
		jw_kv_u64("count", s.count);
		jw_kv_u64("B", s.B);
		jw_kv_u64("buckets", s.buckets);
		jw_kv_u64("noverflow", s.noverflow);
		jw_kv_str("growing", growth_name(s.growth, gbuf, sizeof(gbuf)));
		jw_kv_u64("old_B", s.old_B);
		jw_kv_u64("old_buckets", s.old_buckets);
		jw_kv_u64("nevacuate", s.nevacuate);
		jw_kv_u64("old_evacuated", s.old_evacuated);
	} else {
		printf("count: %llu\n", (unsigned long long)s.count);
		printf("B: %u\n", s.B);
		printf("buckets: %llu\n", (unsigned long long)s.buckets);
		printf("noverflow: %llu\n", (unsigned long long)s.noverflow);
		printf("growing: %s\n", growth_name(s.growth, gbuf, sizeof(gbuf)));
		if (growing) {
			printf("old_B: %u\n", s.old_B);
			printf("old_buckets: %llu\n",
			       (unsigned long long)s.old_buckets);
			printf("nevacuate: %llu/%llu\n",
			       (unsigned long long)s.nevacuate,
			       (unsigned long long)s.old_buckets);
			printf("old_evacuated: %llu/%llu\n",
			       (unsigned long long)s.old_evacuated,
			       (unsigned long long)s.old_buckets);
		}
	}
	histogram("chain_hist", "chains by length (buckets in the chain)",
		  s.chain_hist, HMAP_HIST_CHAIN, 1, true);
	histogram("slot_hist", "buckets by occupancy (live slots)",
		  s.slot_hist, HMAP_HIST_SLOTS, 0, false);
	if (json_output || growing) {
		histogram("old_chain_hist",
			  "old array: chains by length (buckets in the chain)",
			  s.old_chain_hist, HMAP_HIST_CHAIN, 1, true);
		histogram("old_slot_hist",
			  "old array: buckets by occupancy (live slots)",
			  s.old_slot_hist, HMAP_HIST_SLOTS, 0, false);
	}
	if (json_output)
		jw_obj_end();
	return EXIT_OK;
}
