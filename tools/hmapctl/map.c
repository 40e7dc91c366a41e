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

/* -EINVAL from create: say what the module may have refused. */
static int create_einval(const struct hmap_ioc_create *c)
{
	if (c->max_entries && !(c->max_entries >> c->shard_bits))
		return fail(EXIT_KERNEL, "max_entries %u is less than one per shard (%u shards)",
			    c->max_entries, 1U << c->shard_bits);
	if (c->shard_bits || c->evac_delay_ms)
		return fail(EXIT_KERNEL, "invalid argument (max_entries too large, unknown flags, or a module without shard_bits and evac_delay_ms?)");
	return fail(EXIT_KERNEL, "invalid argument (max_entries too large or unknown flags?)");
}

int do_create(int argc, char **argv)
{
	static const char *const kw[] = {
		"key_size", "value_size", "max_entries", "flags", "shard_bits",
		"evac_delay_ms", NULL
	};
	struct hmap_ioc_create c = { 0 };
	uint32_t val[6] = { 0 };
	bool seen[6] = { false };
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
			return usage_error("unknown keyword '%s' (expected key_size, value_size, max_entries, flags, shard_bits or evac_delay_ms)",
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
	if (val[4] > HMAP_MAX_SHARD_BITS)
		return usage_error("shard_bits %u out of range (0..%u)", val[4],
				   HMAP_MAX_SHARD_BITS);
	if (val[5] > HMAP_MAX_EVAC_DELAY_MS)
		return usage_error("evac_delay_ms %u out of range (0..%u)", val[5],
				   HMAP_MAX_EVAC_DELAY_MS);

	/*
	 * A map of one table is the first version's request: every kernel
	 * takes that size, however strict it is about sizes it does not know.
	 * shard_bits and evac_delay_ms need the second; a kernel older than
	 * it answers -EINVAL.
	 */
	c.size = val[4] || val[5] ? HMAP_IOC_CREATE_SIZE_VER1 : HMAP_IOC_CREATE_SIZE_VER0;
	c.key_size = val[0];
	c.value_size = val[1];
	c.max_entries = val[2];
	c.flags = val[3];
	c.shard_bits = val[4];
	c.evac_delay_ms = val[5];
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
		return create_einval(&c);
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
	const char *name = NULL;
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

/* What stats and snapshot are asked: NAME [shard I] [sample SECONDS]. */
struct query {
	const char *name;
	uint32_t query;		/* HMAP_QUERY_SHARD with shard I, else 0 */
	uint32_t shard;
	uint32_t secs;		/* stats' sample SECONDS; 0: no sample */
};

/* One "shard I" or "sample SECONDS" at argv[@i]: keyword @k of query_args(). */
static int query_kw(int argc, char **argv, int i, int k, struct query *q)
{
	const char *arg = i + 1 < argc ? argv[i + 1] : NULL;

	if (k == 0) {
		if (q->query)
			return usage_error("shard given twice");
		if (!arg)
			return usage_error("shard needs a number");
		if (parse_u32(arg, &q->shard))
			return usage_error("shard: bad number '%s'", arg);
		q->query = HMAP_QUERY_SHARD;
		return EXIT_OK;
	}
	if (q->secs)
		return usage_error("sample given twice");
	if (!arg)
		return usage_error("sample needs a number of seconds");
	if (parse_u32(arg, &q->secs) || q->secs < 1 || q->secs > SAMPLE_MAX)
		return usage_error("sample: bad number of seconds '%s' (1..%u)",
				   arg, SAMPLE_MAX);
	return EXIT_OK;
}

/* NAME and the keywords: stats takes shard and sample (@sample), snapshot shard. */
static int query_args(int argc, char **argv, bool sample, struct query *q)
{
	static const char *const kw[] = { "shard", "sample", NULL };
	static const char *const kw_shard[] = { "shard", NULL };
	const char *bad;
	int ret;

	memset(q, 0, sizeof(*q));
	if (argc < 1)
		return usage_error("missing NAME");
	bad = check_map_name(argv[0]);
	if (bad)
		return usage_error("%s", bad);
	q->name = argv[0];
	for (int i = 1; i < argc; i += 2) {
		int k = match_keyword(argv[i], sample ? kw : kw_shard);

		if (k == -2)
			return usage_error("ambiguous keyword '%s' (shard, sample)",
					   argv[i]);
		if (k < 0)
			return usage_error("unexpected argument '%s' (expected %s)",
					   argv[i], sample ?
					   "shard I or sample SECONDS" : "shard I");
		ret = query_kw(argc, argv, i, k, q);
		if (ret)
			return ret;
	}
	return EXIT_OK;
}

/*
 * A failed stats or snapshot request. -EINVAL to a shard query: a shard
 * the map does not have (exit status 8: an argument the module refuses),
 * or a module without shard queries.
 */
static int query_error(int err, const struct query *q)
{
	struct hmap_ioc_stats st;
	uint64_t n;

	if (err != EINVAL || !q->query)
		return kernel_error(err, q->name);
	err = get_stats(q->name, &st);
	if (err)
		return kernel_error(err, q->name);
	n = shard_count(st.shard_bits);
	if (q->shard >= n)
		return fail(EXIT_KERNEL, "map '%s' has %llu shard%s", q->name,
			    (unsigned long long)n, n == 1 ? "" : "s");
	return fail(EXIT_KERNEL, "%s does not know shard queries (module too old?)",
		    dev_path());
}

/* HMAP_IOC_STATS as @q asks. 0 or an exit status (reported). */
static int query_stats(const struct query *q, struct hmap_ioc_stats *st)
{
	int ret = get_stats_query(q->name, q->query, q->shard, st);

	return ret ? query_error(ret, q) : EXIT_OK;
}

/*
 * stats NAME sample SECONDS: run-time statistics on (an HMAP_IOC_ENABLE_STATS
 * file) for SECONDS; @st becomes the stats at the end with every counter
 * the count during the window. 0 or an exit status (reported).
 */
static int sample_stats(const struct query *q, struct hmap_ioc_stats *st)
{
	struct hmap_ioc_stats st0;
	int fd, ret;

	ret = dev_enable_stats(&fd);
	if (ret == EPERM || ret == EACCES)
		return fail(EXIT_PERM, "permission denied (sample needs CAP_SYS_ADMIN)");
	if (ret)
		return kernel_error(ret, q->name);
	ret = get_stats_query(q->name, q->query, q->shard, &st0);
	if (!ret) {
		sleep_secs(q->secs);
		ret = get_stats_query(q->name, q->query, q->shard, st);
	}
	dev_stats_release(fd);
	if (ret)
		return query_error(ret, q);
	for (uint32_t i = 0; i < HMAP_STATS_MAX_COUNTERS; i++)
		st->counters[i] -= st0.counters[i];
	/* Off at either end: the difference counts nothing. */
	st->counters_off |= st0.counters_off;
	return EXIT_OK;
}

/* stats' shape and sizes, in debugfs' order (shard after shard_bits). */
static void stats_shape(const struct query *q, const struct hmap_ioc_stats *st)
{
	char gbuf[32];

	if (q->secs)
		field_u64("sample_seconds", q->secs);
	field_u64("id", st->id);
	field_u64("count", st->count);
	field_u64("shard_bits", st->shard_bits);
	if (q->query)
		field_u64("shard", q->shard);
	if (st->evac_delay_ms)	/* 0: a kernel older than the field */
		field_u64("evac_delay_ms", st->evac_delay_ms);
	field_u64("B", st->B);
	field_u64("buckets", st->buckets);
	field_u64("noverflow", st->noverflow);
	field_str("growing", growth_name(st->growth, gbuf, sizeof(gbuf)));
	field_u64("nevacuate", st->nevacuate);
	field_u64("old_B", st->old_B);
	field_u64("old_buckets", st->old_buckets);
	field_u64("old_noverflow", st->old_noverflow);
	field_u64("max_entries", st->max_entries);
	field_u64("key_size", st->key_size);
	field_u64("value_size", st->value_size);
	field_u64("bucket_size", st->bucket_size);
	field_u64("memory", st->memory);
	field_u64("cache_objects", st->cache_objects);
	field_u64("spare_buckets", st->spare_buckets);
}

/* stats' counters: lookups, then each as debugfs names it. */
static void stats_counters(const struct hmap_ioc_stats *st)
{
	const uint64_t lookups = 1ULL << HMAP_STAT_HITS | 1ULL << HMAP_STAT_MISSES;
	uint32_t nc = st->nr_counters;

	if (nc > HMAP_STATS_MAX_COUNTERS)
		nc = HMAP_STATS_MAX_COUNTERS;
	if (nc > HMAP_STAT_MISSES)
		field_counter("lookups", st->counters[HMAP_STAT_HITS] +
			      st->counters[HMAP_STAT_MISSES],
			      st->counters_off & lookups);
	for (uint32_t i = 0; i < nc; i++) {
		char buf[32];
		const char *cn = i < HMAP_STAT_NR_V0 ? counter_names[i] : NULL;

		if (!cn) {
			snprintf(buf, sizeof(buf), "counter%u", i);
			cn = buf;
		}
		field_counter(cn, st->counters[i], st->counters_off & 1ULL << i);
	}
}

/* The shard table's header and rows: the columns line up. */
#define SHARD_HEAD	"%5s %10s %2s %10s %8s %-8s %11s %12s %6s\n"
#define SHARD_ROW	"%5u %10llu %2u %10llu %8llu %-8s %11s %12llu %6u\n"

/* One shard's line of the table (or its JSON object). */
static void shard_row(uint32_t shard, const struct hmap_ioc_stats *st)
{
	char gbuf[32], evac[48] = "-";
	const char *g = growth_name(st->growth, gbuf, sizeof(gbuf));

	if (json_output) {
		jw_obj_begin();
		jw_kv_u64("shard", shard);
		jw_kv_u64("count", st->count);
		jw_kv_u64("B", st->B);
		jw_kv_u64("buckets", st->buckets);
		jw_kv_u64("noverflow", st->noverflow);
		jw_kv_str("growing", g);
		jw_kv_u64("old_B", st->old_B);
		jw_kv_u64("old_buckets", st->old_buckets);
		jw_kv_u64("nevacuate", st->nevacuate);
		jw_kv_u64("memory", st->memory);
		jw_kv_u64("id", st->id);
		jw_obj_end();
		return;
	}
	if (st->growth != HMAP_GROWTH_NONE)
		snprintf(evac, sizeof(evac), "%llu/%llu",
			 (unsigned long long)st->nevacuate,
			 (unsigned long long)st->old_buckets);
	printf(SHARD_ROW, shard, (unsigned long long)st->count, st->B,
	       (unsigned long long)st->buckets,
	       (unsigned long long)st->noverflow, g, evac,
	       (unsigned long long)st->memory, st->id);
}

/*
 * A map of shards: after the whole map's figures, each shard's (one
 * HMAP_IOC_STATS with HMAP_QUERY_SHARD each). 0 or an exit status.
 */
static int shard_table(const struct query *q, uint32_t shard_bits)
{
	struct query one = *q;
	struct hmap_ioc_stats st;
	uint64_t n = shard_count(shard_bits);
	int ret;

	if (shard_bits > HMAP_MAX_SHARD_BITS)
		return fail(EXIT_KERNEL, "%s reports %u shard bits, over the ABI's %d",
			    dev_path(), shard_bits, HMAP_MAX_SHARD_BITS);
	one.query = HMAP_QUERY_SHARD;
	if (json_output) {
		jw_key("shards");
		jw_arr_begin();
	} else {
		printf("\n" SHARD_HEAD, "SHARD", "COUNT", "B", "BUCKETS",
		       "OVERFLOW", "GROWING", "EVACUATED", "MEMORY", "ID");
	}
	for (uint64_t i = 0; i < n; i++) {
		one.shard = (uint32_t)i;
		ret = query_stats(&one, &st);
		if (ret)
			return ret;
		shard_row(one.shard, &st);
	}
	if (json_output)
		jw_arr_end();
	return EXIT_OK;
}

int do_stats(int argc, char **argv)
{
	struct hmap_ioc_stats st;
	struct query q;
	int ret;

	ret = query_args(argc, argv, true, &q);
	if (ret)
		return ret;
	ret = dev_open();
	if (ret)
		return ret;
	ret = q.secs ? sample_stats(&q, &st) : query_stats(&q, &st);
	if (ret)
		return ret;

	if (json_output)
		jw_obj_begin();
	stats_shape(&q, &st);
	stats_counters(&st);
	if (st.shard_bits && !q.query) {
		ret = shard_table(&q, st.shard_bits);
		if (ret)
			return ret;
	}
	if (json_output)
		jw_obj_end();
	return EXIT_OK;
}

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


static int snapshot_ioctl(const struct query *q, uint32_t size,
			  struct hmap_ioc_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->size = size;
	s->query = q->query;
	s->shard = q->shard;
	set_name(s->name, q->name);
	return dev_ioctl(HMAP_IOC_SNAPSHOT, s);
}

/*
 * HMAP_IOC_SNAPSHOT as @q asks. For the whole map, a kernel that refuses
 * this size gets the first version's, as in get_stats_query(). 0 or an
 * exit status (reported).
 */
static int query_snapshot(const struct query *q, struct hmap_ioc_snapshot *s)
{
	int ret = snapshot_ioctl(q, sizeof(*s), s);

	if (ret == EINVAL && !q->query)
		ret = snapshot_ioctl(q, HMAP_IOC_SNAPSHOT_SIZE_VER0, s);
	return ret ? query_error(ret, q) : EXIT_OK;
}

/* snapshot's shape lines (JSON members). */
static void snapshot_shape(const struct query *q,
			   const struct hmap_ioc_snapshot *s)
{
	char gbuf[32];

	field_u64("count", s->count);
	field_u64("shard_bits", s->shard_bits);
	if (q->query)
		field_u64("shard", q->shard);
	field_u64("B", s->B);
	field_u64("buckets", s->buckets);
	field_u64("noverflow", s->noverflow);
	field_str("growing", growth_name(s->growth, gbuf, sizeof(gbuf)));
	if (json_output) {
		jw_kv_u64("old_B", s->old_B);
		jw_kv_u64("old_buckets", s->old_buckets);
		jw_kv_u64("nevacuate", s->nevacuate);
		jw_kv_u64("old_evacuated", s->old_evacuated);
	} else if (s->growth != HMAP_GROWTH_NONE) {
		printf("old_B: %u\n", s->old_B);
		printf("old_buckets: %llu\n", (unsigned long long)s->old_buckets);
		printf("nevacuate: %llu/%llu\n",
		       (unsigned long long)s->nevacuate,
		       (unsigned long long)s->old_buckets);
		printf("old_evacuated: %llu/%llu\n",
		       (unsigned long long)s->old_evacuated,
		       (unsigned long long)s->old_buckets);
	}
}

int do_snapshot(int argc, char **argv)
{
	struct hmap_ioc_snapshot s;
	struct query q;
	bool growing;
	int ret;

	ret = query_args(argc, argv, false, &q);
	if (ret)
		return ret;
	ret = dev_open();
	if (ret)
		return ret;
	ret = query_snapshot(&q, &s);
	if (ret)
		return ret;
	growing = s.growth != HMAP_GROWTH_NONE;

	if (json_output)
		jw_obj_begin();
	snapshot_shape(&q, &s);
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
