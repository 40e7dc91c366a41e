// SPDX-License-Identifier: GPL-2.0
/*
 * hmap_bench: hmap against the kernel's rhashtable, in one boot, on the
 * same keys. hmap runs twice: with its default hash, HMAP_HASH_SIPHASH
 * ("hmap-sip"), and with HMAP_HASH_FAST ("hmap-fast"); each is compared
 * with rhashtable.
 *
 * Loading the module runs the whole benchmark from its init function and
 * leaves the tables in /sys/kernel/debug/hmap_bench/results until rmmod.
 * Keys and values are 8 bytes; the keys are a splitmix64 sequence from
 * the seed parameter (2N distinct keys: the first N are inserted, the
 * other N are the misses). At each entry count in sizes, for each map:
 *
 *   insert   N new keys into an empty map (it grows from empty)
 *   hit/miss lookups of present / absent keys, by 1 reader kthread and,
 *            when there is more than one CPU, by one per online CPU (each
 *            bound to its CPU), after the map has finished resizing
 *            (steady state)
 *   delete   every key (the maps shrink as they go)
 *
 * then a second growth from empty with every insert timed on its own for
 * latency percentiles. Each figure is the MEDIAN of reps rounds (default
 * 5), not the best: one round runs each of the three maps once, in an
 * order that rotates from round to round, so slow phases of a shared host
 * fall on every map alike. The building-block table and the latency
 * percentiles are medians of their runs too. Times are ktime_get_ns().
 *
 * rhashtable is used the way a kernel user would, and as well as it can
 * be: objects of their own (rhash_head, key, value, rcu_head) from kmalloc,
 * the default hash (jhash2 for an 8-byte key), automatic_shrinking on
 * (hmap shrinks too), and one constant struct rhashtable_params passed to
 * the inline *_fast() functions, so that the compiler folds the key
 * length, offsets and hash function into them as a kernel user's code
 * gets. Inserts are rhashtable_insert_fast(); deletes a lookup then
 * rhashtable_remove_fast() and kfree_rcu(). Lookups take one RCU read-side
 * critical section each, in both maps: hmap_lookup() takes its own, and
 * the rhashtable side is rcu_read_lock(); rhashtable_lookup(); copy the
 * value; rcu_read_unlock() (rhashtable_lookup_fast() would nest a second
 * section inside). hmap stores the entries in its buckets, so its inserts
 * allocate no object.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/jhash.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/seq_buf.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include <hmap/hmap.h>

#define HB_MAX_SIZES	8
#define HB_MAX_REPS	9
#define HB_OUT_SIZE	(32 * 1024)

static unsigned int sizes[HB_MAX_SIZES] = { 1024, 65536, 1048576 };
static int nr_sizes = 3;
module_param_array(sizes, uint, &nr_sizes, 0444);
MODULE_PARM_DESC(sizes, "entry counts to measure at (default 1024,65536,1048576)");

static unsigned int lookup_ops = 1U << 19;
module_param(lookup_ops, uint, 0444);
MODULE_PARM_DESC(lookup_ops,
		 "lookups per reader kthread per measurement (at least the entry count)");

static unsigned int reps = 5;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "rounds; the median is reported (1..9, default 5)");

static unsigned int readers;
module_param(readers, uint, 0444);
MODULE_PARM_DESC(readers, "reader kthreads of the parallel lookups (0: one per online CPU)");

static unsigned long long seed = 0x5eed0fb0a7c4e11dULL;
module_param(seed, ullong, 0444);
MODULE_PARM_DESC(seed, "seed of the key sequence");

static unsigned int maps = 7;
module_param(maps, uint, 0444);
MODULE_PARM_DESC(maps,
		 "which maps to run, a mask: 1 hmap-sip, 2 rhashtable, 4 hmap-fast (default 7, all)");

static unsigned int writers = 2;
module_param(writers, uint, 0444);
MODULE_PARM_DESC(writers,
		 "writer kthreads of the writer-scaling runs (0: no such runs; default 2)");

static unsigned int write_ops = 1U << 17;
module_param(write_ops, uint, 0444);
MODULE_PARM_DESC(write_ops, "inserts and deletes per writer kthread per run");

static unsigned int shard_bits = 4;
module_param(shard_bits, uint, 0444);
MODULE_PARM_DESC(shard_bits, "hmap_params.shard_bits of the sharded map of the writer runs");

static bool latency = true;
module_param(latency, bool, 0444);
MODULE_PARM_DESC(latency, "measure insert latency percentiles while growing");

static bool breakdown = true;
module_param(breakdown, bool, 0444);
MODULE_PARM_DESC(breakdown, "measure the cost of the building blocks (hashes, RCU, locks)");

static __printf(1, 2) void hb_error(const char *fmt, ...);

/* ---- the three maps behind one interface ---- */

/* In the order of the table's columns; bit k of the maps parameter. */
enum hb_kind { HB_HMAP_SIP, HB_RHT, HB_HMAP_FAST, HB_NR_KINDS };

static const char * const hb_kind_name[HB_NR_KINDS] = {
	"hmap-sip", "rhashtable", "hmap-fast"
};

static const u32 hb_kind_hash[HB_NR_KINDS] = {
	[HB_HMAP_SIP] = HMAP_HASH_SIPHASH,
	[HB_HMAP_FAST] = HMAP_HASH_FAST,
};

struct hb_obj {
	struct rhash_head node;
	u64 key;
	u64 value;
	struct rcu_head rcu;
};

static const struct rhashtable_params hb_rht_params = {
	.key_len = sizeof(u64),
	.key_offset = offsetof(struct hb_obj, key),
	.head_offset = offsetof(struct hb_obj, node),
	.automatic_shrinking = true,
};

struct hb_map {
	enum hb_kind kind;
	struct hmap *hmap;
	struct rhashtable rht;
	unsigned long insert_retries;	/* rhashtable: -EBUSY/-ENOMEM retried */
};

static int hb_map_init_shards(struct hb_map *m, enum hb_kind kind,
			      unsigned int bits)
{
	struct hmap_params p = {
		.key_size = sizeof(u64),
		.value_size = sizeof(u64),
		.hash = hb_kind_hash[kind],
		.shard_bits = bits,
	};

	m->kind = kind;
	m->insert_retries = 0;
	if (kind == HB_RHT)
		return rhashtable_init(&m->rht, &hb_rht_params);
	m->hmap = hmap_create(&p);
	if (IS_ERR(m->hmap))
		return PTR_ERR(m->hmap);
	return 0;
}

static int hb_map_init(struct hb_map *m, enum hb_kind kind)
{
	return hb_map_init_shards(m, kind, 0);
}

static void hb_obj_free(void *ptr, void *arg)
{
	kfree(ptr);
}

static void hb_map_destroy(struct hb_map *m)
{
	if (m->kind == HB_RHT)
		rhashtable_free_and_destroy(&m->rht, hb_obj_free, NULL);
	else
		hmap_destroy(m->hmap);
}

static int hb_insert(struct hb_map *m, u64 key, u64 value)
{
	struct hb_obj *obj;
	unsigned int tries;
	int err;

	if (m->kind != HB_RHT)
		return hmap_update(m->hmap, &key, &value, HMAP_UPDATE_ANY, GFP_KERNEL);

	obj = kmalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return -ENOMEM;
	obj->key = key;
	obj->value = value;
	for (tries = 0; tries < 1000; tries++) {
		err = rhashtable_insert_fast(&m->rht, &obj->node, hb_rht_params);
		/* A table that cannot grow fast enough: let its worker run. */
		if (err != -EBUSY && err != -ENOMEM)
			break;
		m->insert_retries++;
		cond_resched();
	}
	if (err)
		kfree(obj);
	return err;
}

static bool hb_lookup(struct hb_map *m, u64 key, u64 *value)
{
	struct hb_obj *obj;

	if (m->kind != HB_RHT)
		return !hmap_lookup(m->hmap, &key, value);

	rcu_read_lock();
	obj = rhashtable_lookup(&m->rht, &key, hb_rht_params);
	if (obj)
		*value = READ_ONCE(obj->value);
	rcu_read_unlock();
	return obj;
}

static int hb_delete(struct hb_map *m, u64 key)
{
	struct hb_obj *obj;
	int err;

	if (m->kind != HB_RHT)
		return hmap_delete(m->hmap, &key, GFP_KERNEL);

	rcu_read_lock();
	obj = rhashtable_lookup(&m->rht, &key, hb_rht_params);
	err = obj ? rhashtable_remove_fast(&m->rht, &obj->node, hb_rht_params)
		  : -ENOENT;
	rcu_read_unlock();
	if (!err)
		kfree_rcu(obj, rcu);
	return err;
}

/* True while the map is moving entries between arrays. */
static bool hb_resizing(struct hb_map *m)
{
	struct hmap_info *info;
	struct bucket_table *tbl;
	bool busy;

	if (m->kind == HB_RHT) {
		rcu_read_lock();
		tbl = rcu_dereference(m->rht.tbl);
		busy = rcu_access_pointer(tbl->future_tbl);
		rcu_read_unlock();
		return busy;
	}
	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return false;
	hmap_get_info(m->hmap, info);
	busy = info->growth != HMAP_GROWTH_NONE;
	kfree(info);
	return busy;
}

/*
 * Waits (up to 20 s) until the map has no resize in progress and pending
 * RCU callbacks have run, so that a measurement does not pay for the
 * previous phase.
 */
static void hb_settle(struct hb_map *m)
{
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		if (m->kind == HB_RHT)
			flush_work(&m->rht.run_work);
		if (!hb_resizing(m))
			break;
		msleep(20);
	}
	rcu_barrier();
}

/* Bytes the map holds per entry, with @n entries. */
static u64 hb_bytes(struct hb_map *m, unsigned int n)
{
	struct bucket_table *tbl;
	struct hmap_info *info;
	u64 bytes = 0;

	if (!n)
		return 0;
	if (m->kind == HB_RHT) {
		rcu_read_lock();
		tbl = rcu_dereference(m->rht.tbl);
		bytes = sizeof(m->rht) + struct_size(tbl, buckets, tbl->size) +
			(u64)n * kmalloc_size_roundup(sizeof(struct hb_obj));
		rcu_read_unlock();
		return div_u64(bytes, n);
	}
	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (info) {
		hmap_get_info(m->hmap, info);
		bytes = info->memory;
		/* The hash asked for is the one the map uses. */
		if (info->hash != hb_kind_hash[m->kind])
			hb_error("%s: the map has hash %u", hb_kind_name[m->kind],
				 info->hash);
		kfree(info);
	}
	return div_u64(bytes, n);
}

/* ---- keys ---- */

/* splitmix64: a bijection, so distinct counters give distinct keys. */
static u64 hb_mix(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static u64 hb_value(u64 key)
{
	return ~key;
}

/* ---- timed phases ---- */

static u64 hb_elapsed(u64 t0)
{
	return ktime_get_ns() - t0;
}

static u64 hb_rate(u64 ops, u64 ns)
{
	return ns ? div64_u64(ops * NSEC_PER_SEC, ns) : 0;
}

/* Inserts keys[0..n); returns ns, or 0 after a failure. */
static u64 hb_insert_all(struct hb_map *m, const u64 *keys, unsigned int n)
{
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < n; i++) {
		if (hb_insert(m, keys[i], hb_value(keys[i])))
			return 0;
		if ((i & 1023) == 1023)
			cond_resched();
	}
	return hb_elapsed(t0);
}

static u64 hb_delete_all(struct hb_map *m, const u64 *keys, unsigned int n)
{
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < n; i++) {
		if (hb_delete(m, keys[i]))
			return 0;
		if ((i & 1023) == 1023)
			cond_resched();
	}
	return hb_elapsed(t0);
}

/* @ops lookups cycling through keys[0..n) from @start; returns the hits. */
static unsigned long hb_lookups(struct hb_map *m, const u64 *keys,
				unsigned int n, unsigned int start,
				unsigned long ops, u64 *sum)
{
	unsigned long i, found = 0;
	unsigned int j = start;
	u64 v, s = 0;

	for (i = 0; i < ops; i++) {
		if (hb_lookup(m, keys[j], &v)) {
			found++;
			s += v;
		}
		if (++j == n)
			j = 0;
		if ((i & 1023) == 1023)
			cond_resched();
	}
	*sum = s;
	return found;
}

/* A measuring kthread: started together with the others, timed alone. */
struct hb_thread {
	struct task_struct *task;
	u64 t0, t1;
	struct completion *go;
	struct completion done;
};

/*
 * Creates the kthread @th running @fn(@arg), bound to the @i-th online
 * CPU (modulo their number); it starts when @go completes.
 */
static int hb_thread_start(struct hb_thread *th, int (*fn)(void *), void *arg,
			   unsigned int i, struct completion *go)
{
	th->go = go;
	init_completion(&th->done);
	th->task = kthread_create(fn, arg, "hmap_bench/%u", i);
	if (IS_ERR(th->task)) {
		int err = PTR_ERR(th->task);

		th->task = NULL;
		return err;
	}
	kthread_bind(th->task, cpumask_nth(i % num_online_cpus(), cpu_online_mask));
	wake_up_process(th->task);
	return 0;
}

/* In the kthread: wait for the start. */
static void hb_thread_begin(struct hb_thread *th)
{
	wait_for_completion(th->go);
	th->t0 = ktime_get_ns();
}

/* In the kthread: report the end, then wait to be stopped. */
static int hb_thread_end(struct hb_thread *th)
{
	th->t1 = ktime_get_ns();
	complete(&th->done);
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Waits for a started kthread's end and stops it; widens [*t0, *t1]. */
static void hb_thread_join(struct hb_thread *th, u64 *t0, u64 *t1)
{
	wait_for_completion(&th->done);
	kthread_stop(th->task);
	*t0 = min(*t0, th->t0);
	*t1 = max(*t1, th->t1);
}

struct hb_reader {
	struct hb_thread th;
	struct hb_map *m;
	const u64 *keys;
	unsigned int n;
	unsigned int start;
	unsigned long ops;
	unsigned long found;
	u64 sum;
};

static int hb_reader_fn(void *arg)
{
	struct hb_reader *r = arg;

	hb_thread_begin(&r->th);
	r->found = hb_lookups(r->m, r->keys, r->n, r->start, r->ops, &r->sum);
	return hb_thread_end(&r->th);
}

/*
 * Runs @nthreads reader kthreads, thread i bound to the i-th online CPU,
 * each doing @ops lookups of keys[0..n) from its own offset. Returns the
 * span from the first start to the last end in ns (0 on failure); *@found
 * is the total of hits.
 */
static u64 hb_run_readers(struct hb_map *m, const u64 *keys, unsigned int n,
			  unsigned int nthreads, unsigned long ops,
			  unsigned long *found)
{
	struct hb_reader *r;
	struct completion go;
	u64 t0 = U64_MAX, t1 = 0;
	unsigned int i;
	int err = 0;

	r = kcalloc(nthreads, sizeof(*r), GFP_KERNEL);
	if (!r)
		return 0;
	init_completion(&go);
	for (i = 0; i < nthreads; i++) {
		r[i].m = m;
		r[i].keys = keys;
		r[i].n = n;
		r[i].start = (u64)n * i / nthreads;
		r[i].ops = ops;
		err = hb_thread_start(&r[i].th, hb_reader_fn, &r[i], i, &go);
		if (err)
			break;
	}
	complete_all(&go);
	*found = 0;
	for (i = 0; i < nthreads && r[i].th.task; i++) {
		hb_thread_join(&r[i].th, &t0, &t1);
		*found += r[i].found;
	}
	kfree(r);
	return err ? 0 : t1 - t0;
}

/* ---- writers ---- */

/* Keys per writer kthread: about half of them are in the map at a time. */
#define HB_WRITER_KEYS	8192

struct hb_writer {
	struct hb_thread th;
	struct hb_map *m;
	u64 keys[HB_WRITER_KEYS];	/* this writer's own keys */
	unsigned long present[BITS_TO_LONGS(HB_WRITER_KEYS)];
	unsigned long ops;
	unsigned long errors;
	u64 rnd;
};

/*
 * @ops writes on random keys of the writer's own: a delete if the key is
 * in the map, else an insert, so every call changes the map.
 */
static int hb_writer_fn(void *arg)
{
	struct hb_writer *w = arg;
	unsigned long i;
	unsigned int k;

	hb_thread_begin(&w->th);
	for (i = 0; i < w->ops; i++) {
		w->rnd = hb_mix(w->rnd);
		k = w->rnd % HB_WRITER_KEYS;
		if (__test_and_change_bit(k, w->present)) {
			if (hb_delete(w->m, w->keys[k]))
				w->errors++;
		} else if (hb_insert(w->m, w->keys[k], hb_value(w->keys[k]))) {
			w->errors++;
		}
		if (!(i & 1023))
			cond_resched();
	}
	return hb_thread_end(&w->th);
}

/*
 * Runs @nw writer kthreads, writer i bound to the i-th online CPU and
 * writing to m[i] (all to m[0] if @shared), each @ops writes on keys of
 * its own. Returns the writes per second of all of them together, from
 * the first start to the last end (0 on failure).
 */
static u64 hb_run_writers(struct hb_map *m, bool shared, unsigned int nw,
			  unsigned long ops, u64 round)
{
	u64 t0 = U64_MAX, t1 = 0;
	unsigned int i, k;
	unsigned long errors = 0;
	struct completion go;
	struct hb_writer *w;
	int err = 0;

	w = vzalloc(array_size(nw, sizeof(*w)));
	if (!w)
		return 0;
	init_completion(&go);
	for (i = 0; i < nw; i++) {
		w[i].m = shared ? m : &m[i];
		for (k = 0; k < HB_WRITER_KEYS; k++)
			w[i].keys[k] = hb_mix(seed ^ ((u64)(i + 1) << 40) ^ k);
		w[i].rnd = seed + round * nw + i;
		w[i].ops = ops;
		err = hb_thread_start(&w[i].th, hb_writer_fn, &w[i], i, &go);
		if (err)
			break;
	}
	complete_all(&go);
	for (i = 0; i < nw && w[i].th.task; i++) {
		hb_thread_join(&w[i].th, &t0, &t1);
		errors += w[i].errors;
	}
	vfree(w);
	if (errors)
		hb_error("writers: %lu writes failed", errors);
	return err ? 0 : hb_rate((u64)nw * ops, t1 - t0);
}

/* ---- results ---- */

enum hb_op {
	HB_INSERT,
	HB_HIT1,
	HB_MISS1,
	HB_HITN,
	HB_MISSN,
	HB_DELETE,
	HB_NR_OPS
};

static const char * const hb_op_name[HB_NR_OPS] = {
	"insert (grow from empty)",
	"lookup hit, 1 reader",
	"lookup miss, 1 reader",
	"lookup hit, %u readers",
	"lookup miss, %u readers",
	"delete (shrink to empty)",
};

/* Latency runs per entry count (at most reps). */
#define HB_LAT_RUNS	3

enum hb_lat_fig { HB_L_P50, HB_L_P99, HB_L_P999, HB_L_MAX, HB_L_MEAN, HB_L_NR };

/* One latency run's figures, in ns. */
struct hb_lat {
	u64 fig[HB_L_NR];
};

/* What one entry count measured: per op, map and round; latency medians. */
struct hb_size_result {
	u64 rate[HB_NR_OPS][HB_NR_KINDS][HB_MAX_REPS];
	u64 bytes[HB_NR_KINDS][HB_MAX_REPS];
	struct hb_lat lat_run[HB_NR_KINDS][HB_LAT_RUNS];
	struct hb_lat lat[HB_NR_KINDS];
};

static char *hb_out;
static struct seq_buf hb_sb;
static struct debugfs_blob_wrapper hb_blob;
static struct dentry *hb_dir;
static unsigned int hb_errors;
static unsigned long hb_rht_retries;

#define hb_printf(fmt, ...) seq_buf_printf(&hb_sb, fmt, ##__VA_ARGS__)

static __printf(1, 2) void hb_error(const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	hb_errors++;
	hb_printf("ERROR: %pV\n", &vaf);
	pr_err("%pV\n", &vaf);
	va_end(args);
}

static int hb_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int hb_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The median of v[0..n) (n <= HB_MAX_REPS; the mean of the two middle
 * values when n is even). Not the best: with the rounds interleaved, the
 * median is what a map does on this host, and a lucky round of one map
 * cannot decide a ratio.
 */
static u64 hb_median(const u64 *v, unsigned int n)
{
	u64 s[HB_MAX_REPS];

	if (!n)
		return 0;
	n = min_t(unsigned int, n, HB_MAX_REPS);
	memcpy(s, v, n * sizeof(*s));
	sort(s, n, sizeof(*s), hb_cmp_u64, NULL);
	return n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* "1.23" for a / b, "-" when b is 0. */
static void hb_print_ratio(u64 a, u64 b)
{
	u64 r;

	if (!b) {
		hb_printf("%9s", "-");
		return;
	}
	r = div64_u64(a * 100 + b / 2, b);
	hb_printf("%6llu.%02llu", r / 100, r % 100);
}

/* ---- one entry count ---- */

static void hb_measure(struct hb_map *m, const u64 *keys, unsigned int n,
		       unsigned int nreaders, unsigned int rep,
		       struct hb_size_result *res)
{
	enum hb_kind k = m->kind;
	unsigned long ops = max_t(unsigned long, lookup_ops, n), found;
	u64 ns;

	ns = hb_insert_all(m, keys, n);
	if (!ns) {
		hb_error("%s: insert failed at %u entries", hb_kind_name[k], n);
		return;
	}
	res->rate[HB_INSERT][k][rep] = hb_rate(n, ns);
	hb_rht_retries += m->insert_retries;
	hb_settle(m);
	res->bytes[k][rep] = hb_bytes(m, n);

	ns = hb_run_readers(m, keys, n, 1, ops, &found);
	if (found != ops)
		hb_error("%s: %lu of %lu lookups hit", hb_kind_name[k], found, ops);
	res->rate[HB_HIT1][k][rep] = hb_rate(ops, ns);
	ns = hb_run_readers(m, keys + n, n, 1, ops, &found);
	if (found)
		hb_error("%s: %lu absent keys found", hb_kind_name[k], found);
	res->rate[HB_MISS1][k][rep] = hb_rate(ops, ns);
	if (nreaders < 2)
		goto delete;
	ns = hb_run_readers(m, keys, n, nreaders, ops, &found);
	if (found != ops * nreaders)
		hb_error("%s: %lu of %lu parallel lookups hit", hb_kind_name[k],
			 found, ops * nreaders);
	res->rate[HB_HITN][k][rep] = hb_rate(ops * nreaders, ns);
	ns = hb_run_readers(m, keys + n, n, nreaders, ops, &found);
	if (found)
		hb_error("%s: %lu absent keys found", hb_kind_name[k], found);
	res->rate[HB_MISSN][k][rep] = hb_rate(ops * nreaders, ns);

delete:
	ns = hb_delete_all(m, keys, n);
	if (!ns)
		hb_error("%s: delete failed at %u entries", hb_kind_name[k], n);
	res->rate[HB_DELETE][k][rep] = hb_rate(n, ns);
	hb_settle(m);
}

/* Grows a map from empty to @n entries timing each insert alone. */
static int hb_latency(enum hb_kind kind, const u64 *keys, unsigned int n,
		      u32 *lat, struct hb_lat *out)
{
	struct hb_map m;
	unsigned int i;
	u64 t0, total = 0;
	int err;

	err = hb_map_init(&m, kind);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		t0 = ktime_get_ns();
		err = hb_insert(&m, keys[i], hb_value(keys[i]));
		lat[i] = min_t(u64, ktime_get_ns() - t0, U32_MAX);
		if (err)
			break;
		total += lat[i];
		if ((i & 1023) == 1023)
			cond_resched();
	}
	hb_map_destroy(&m);
	if (err)
		return err;
	sort(lat, n, sizeof(*lat), hb_cmp_u32, NULL);
	out->fig[HB_L_P50] = lat[n / 2];
	out->fig[HB_L_P99] = lat[(u64)n * 99 / 100];
	out->fig[HB_L_P999] = lat[(u64)n * 999 / 1000];
	out->fig[HB_L_MAX] = lat[n - 1];
	out->fig[HB_L_MEAN] = div_u64(total, n);
	return 0;
}

/* Each figure of @med: the median of that figure over runs[0..nruns). */
static void hb_lat_median(const struct hb_lat *runs, unsigned int nruns,
			  struct hb_lat *med)
{
	u64 v[HB_LAT_RUNS];
	unsigned int f, r;

	for (f = 0; f < HB_L_NR; f++) {
		for (r = 0; r < nruns; r++)
			v[r] = runs[r].fig[f];
		med->fig[f] = hb_median(v, nruns);
	}
}

/* One row: hmap-sip, rhashtable, hmap-fast, hmap-sip/rht, hmap-fast/rht. */
static void hb_print_row(unsigned int n, const char *name, const u64 *v)
{
	hb_printf("%8u  %-26s %12llu %12llu %12llu ", n, name, v[HB_HMAP_SIP],
		  v[HB_RHT], v[HB_HMAP_FAST]);
	hb_print_ratio(v[HB_HMAP_SIP], v[HB_RHT]);
	hb_printf(" ");
	hb_print_ratio(v[HB_HMAP_FAST], v[HB_RHT]);
	hb_printf("\n");
}

static void hb_print_size(unsigned int n, unsigned int nreaders,
			  struct hb_size_result *res)
{
	u64 v[HB_NR_KINDS];
	char name[40];
	unsigned int op, k;

	for (op = 0; op < HB_NR_OPS; op++) {
		if ((op == HB_HITN || op == HB_MISSN) && nreaders < 2)
			continue;
		snprintf(name, sizeof(name), hb_op_name[op], nreaders);
		for (k = 0; k < HB_NR_KINDS; k++)
			v[k] = hb_median(res->rate[op][k], reps);
		hb_print_row(n, name, v);
	}
	for (k = 0; k < HB_NR_KINDS; k++)
		v[k] = hb_median(res->bytes[k], reps);
	hb_print_row(n, "bytes per entry", v);
}

static void hb_print_lat(unsigned int n, struct hb_lat *l)
{
	static const char * const ratio_name[] = {
		[HB_HMAP_SIP] = "hmap-sip/rht", [HB_HMAP_FAST] = "hmap-fast/rht",
	};
	unsigned int k, f;

	for (k = 0; k < HB_NR_KINDS; k++)
		hb_printf("%8u  %-13s %10llu %10llu %10llu %12llu %10llu\n", n,
			  hb_kind_name[k], l[k].fig[HB_L_P50], l[k].fig[HB_L_P99],
			  l[k].fig[HB_L_P999], l[k].fig[HB_L_MAX],
			  l[k].fig[HB_L_MEAN]);
	for (k = 0; k < HB_NR_KINDS; k++) {
		if (k == HB_RHT)
			continue;
		hb_printf("%8u  %-13s", n, ratio_name[k]);
		for (f = 0; f < HB_L_NR; f++) {
			hb_printf(f == HB_L_MAX ? "    " : "  ");
			hb_print_ratio(l[k].fig[f], l[HB_RHT].fig[f]);
		}
		hb_printf("\n");
	}
}

/* ---- building blocks: what each piece of a lookup or insert costs ---- */

static DEFINE_PER_CPU(u64, hb_pcpu_counter);
static DEFINE_MUTEX(hb_mutex);
/* A length the compiler cannot see: memcmp()/memcpy() as hmap calls them. */
static unsigned int hb_len = sizeof(u64);

enum hb_piece {
	HB_P_LOOP,
	HB_P_SIPHASH,
	HB_P_HSIPHASH,
	HB_P_JHASH2,
	HB_P_MEMCMP,
	HB_P_MEMCPY,
	HB_P_RCU,
	HB_P_PCPU_INC,
	HB_P_MUTEX,
	HB_P_IRQSAVE,
	HB_P_KMALLOC,
	HB_P_HMAP_HIT,
	HB_P_HMAP_MISS,
	HB_P_FAST_HIT,
	HB_P_FAST_MISS,
	HB_P_RHT_HIT,
	HB_P_RHT_MISS,
	HB_P_HMAP_REPLACE,
	HB_P_HMAP_INSDEL,
	HB_P_RHT_INSDEL,
	HB_P_NR
};

static const char * const hb_piece_name[HB_P_NR] = {
	"loop over the keys (baseline)",
	"siphash_1u64 (SipHash-2-4)",
	"hsiphash_2u32 (half SipHash)",
	"jhash2, 2 words (rhashtable's)",
	"memcmp 8 B, length not constant",
	"memcpy 8 B, length not constant",
	"rcu_read_lock+unlock",
	"this_cpu_inc (a stats counter)",
	"mutex_lock+unlock",
	"local_irq_save+restore",
	"kmalloc+kfree 40 B",
	"hmap-sip lookup hit, 1-entry map",
	"hmap-sip lookup miss, 1-entry map",
	"hmap-fast lookup hit, 1-entry map",
	"hmap-fast lookup miss, 1-entry map",
	"rhashtable hit, 1-entry table",
	"rhashtable miss, 1-entry table",
	"hmap-sip update replace, 1 entry",
	"hmap-sip insert+delete, 1 other",
	"rhashtable insert+delete, 1 other",
};

/* Runs @stmt once per key of keys[0..n), with @key set. */
#define HB_LOOP(stmt)					\
	do {						\
		for (i = 0; i < n; i++) {		\
			key = keys[i];			\
			stmt;				\
			if ((i & 1023) == 1023)		\
				cond_resched();		\
		}					\
	} while (0)

/* Time of @n calls of piece @p, in ns (each piece has a loop of its own). */
static noinline u64 hb_piece(enum hb_piece p, const u64 *keys, unsigned int n,
			     struct hb_map *hm, struct hb_map *fm,
			     struct hb_map *rm)
{
	siphash_key_t sk = {{ 1, 2 }};
	hsiphash_key_t hk = {{ 3, 4 }};
	unsigned int i, len = READ_ONCE(hb_len);
	unsigned long flags;
	u64 sum = 0, key, v, t0;
	struct hb_obj *obj;

	t0 = ktime_get_ns();
	switch (p) {
	case HB_P_LOOP:
		HB_LOOP(sum += key);
		break;
	case HB_P_SIPHASH:
		HB_LOOP(sum += siphash_1u64(key, &sk));
		break;
	case HB_P_HSIPHASH:
		HB_LOOP(sum += hsiphash_2u32(key, key >> 32, &hk));
		break;
	case HB_P_JHASH2:
		HB_LOOP(sum += jhash2((const u32 *)&keys[i], 2, 0x12345));
		break;
	case HB_P_MEMCMP:
		HB_LOOP(sum += !memcmp(&keys[i], &keys[0], len));
		break;
	case HB_P_MEMCPY:
		HB_LOOP(memcpy(&v, &keys[i], len); sum += v);
		break;
	case HB_P_RCU:
		HB_LOOP(rcu_read_lock(); sum += key; rcu_read_unlock());
		break;
	case HB_P_PCPU_INC:
		HB_LOOP(this_cpu_inc(hb_pcpu_counter); sum += key);
		break;
	case HB_P_MUTEX:
		HB_LOOP(mutex_lock(&hb_mutex); sum += key; mutex_unlock(&hb_mutex));
		break;
	case HB_P_IRQSAVE:
		HB_LOOP(local_irq_save(flags); sum += key; local_irq_restore(flags));
		break;
	case HB_P_KMALLOC:
		HB_LOOP(obj = kmalloc(sizeof(*obj), GFP_KERNEL);
			sum += (unsigned long)obj; kfree(obj));
		break;
	case HB_P_HMAP_HIT:
		HB_LOOP(sum += hb_lookup(hm, keys[0], &v));
		break;
	case HB_P_HMAP_MISS:
		HB_LOOP(sum += hb_lookup(hm, key, &v));
		break;
	case HB_P_FAST_HIT:
		HB_LOOP(sum += hb_lookup(fm, keys[0], &v));
		break;
	case HB_P_FAST_MISS:
		HB_LOOP(sum += hb_lookup(fm, key, &v));
		break;
	case HB_P_RHT_HIT:
		HB_LOOP(sum += hb_lookup(rm, keys[0], &v));
		break;
	case HB_P_RHT_MISS:
		HB_LOOP(sum += hb_lookup(rm, key, &v));
		break;
	case HB_P_HMAP_REPLACE:
		HB_LOOP(sum += hb_insert(hm, keys[0], key));
		break;
	case HB_P_HMAP_INSDEL:
		HB_LOOP(sum += hb_insert(hm, key, key); sum += hb_delete(hm, key));
		break;
	case HB_P_RHT_INSDEL:
		HB_LOOP(sum += hb_insert(rm, key, key); sum += hb_delete(rm, key));
		break;
	default:
		break;
	}
	t0 = hb_elapsed(t0);
	/* Keep the results alive: the compiler may not drop the loops. */
	this_cpu_add(hb_pcpu_counter, sum);
	return t0;
}

/*
 * The cost of each piece, 1-entry maps of each kind. hmap's hashes are
 * static inline in its core, out of this module's reach: the hmap-sip and
 * hmap-fast lookup rows of an 8-byte key, one map of each hash, show what
 * the hash choice costs in a whole lookup.
 */
static void hb_breakdown(const u64 *keys, unsigned int n)
{
	struct hb_map m[HB_NR_KINDS];
	unsigned int p, r, k, made;
	u64 tns, med, t[HB_MAX_REPS], base = 0;

	for (made = 0; made < HB_NR_KINDS; made++)
		if (hb_map_init(&m[made], made))
			goto out;
	/* One entry each, keys[0]; keys[1..] are misses. */
	for (k = 0; k < HB_NR_KINDS; k++) {
		if (hb_insert(&m[k], keys[0], 1)) {
			hb_error("breakdown: insert failed");
			goto out;
		}
	}
	hb_printf("\nBuilding blocks (ns per call; median of %u runs of %u calls;\n"
		  "loop baseline subtracted)\n", reps, n - 1);
	for (p = 0; p < HB_P_NR; p++) {
		for (r = 0; r < reps; r++)
			t[r] = hb_piece(p, keys + 1, n - 1, &m[HB_HMAP_SIP],
					&m[HB_HMAP_FAST], &m[HB_RHT]);
		med = hb_median(t, reps);
		rcu_barrier();
		/* In hundredths of a ns per call. */
		tns = div_u64(med * 100, n - 1);
		if (p == HB_P_LOOP)
			base = tns;
		else
			tns = tns > base ? tns - base : 0;
		hb_printf("%-36s %7llu.%02llu\n", hb_piece_name[p], tns / 100,
			  tns % 100);
	}
out:
	while (made--)
		hb_map_destroy(&m[made]);
}

/*
 * Cost of the timer itself: one ktime_get_ns() pair, as in hb_latency().
 * *@step: the smallest step the clock was seen to take (its resolution,
 * when that is coarser than a call; 0 if it never moved).
 */
static u32 hb_timer_overhead(u32 *step)
{
	u32 t[256];
	unsigned int i;
	u64 t0;

	*step = 0;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		t0 = ktime_get_ns();
		t[i] = ktime_get_ns() - t0;
	}
	sort(t, ARRAY_SIZE(t), sizeof(t[0]), hb_cmp_u32, NULL);
	for (i = 0; i < ARRAY_SIZE(t) && !*step; i++)
		*step = t[i];
	return t[ARRAY_SIZE(t) / 2];
}

/* ---- the writer-scaling runs ---- */

/* One row of the writer table: a kind of map, one per writer or shared. */
struct hb_wconf {
	enum hb_kind kind;
	bool shared;
	bool shards;		/* hmap_params.shard_bits = shard_bits */
};

static const struct hb_wconf hb_wconfs[] = {
	{ HB_HMAP_FAST, false, false },
	{ HB_HMAP_FAST, true, false },
	{ HB_HMAP_FAST, true, true },
	{ HB_HMAP_SIP, false, false },
	{ HB_HMAP_SIP, true, false },
	{ HB_HMAP_SIP, true, true },
	{ HB_RHT, false, false },
	{ HB_RHT, true, false },
};

#define HB_NR_WCONFS	ARRAY_SIZE(hb_wconfs)

/* One round of configuration @c; returns writes/s, 0 on failure. */
static u64 hb_wconf_round(const struct hb_wconf *c, unsigned int nw, u64 round)
{
	unsigned int i, nmaps = c->shared ? 1 : nw;
	struct hb_map *m;
	u64 rate = 0;

	m = kcalloc(nmaps, sizeof(*m), GFP_KERNEL);
	if (!m)
		return 0;
	for (i = 0; i < nmaps; i++) {
		if (hb_map_init_shards(&m[i], c->kind, c->shards ? shard_bits : 0)) {
			hb_error("%s: create failed (shard_bits %u)",
				 hb_kind_name[c->kind], c->shards ? shard_bits : 0);
			goto out;
		}
	}
	rate = hb_run_writers(m, c->shared, nw, write_ops, round);
out:
	while (i--)
		hb_map_destroy(&m[i]);
	rcu_barrier();
	kfree(m);
	return rate;
}

static void hb_run_writer_scaling(void)
{
	u64 rate[HB_NR_WCONFS][HB_MAX_REPS], med[HB_NR_WCONFS];
	unsigned int nw = writers, rep, i, c;
	const struct hb_wconf *w;
	u64 ceiling = 0;

	if (!nw)
		return;
	if (shard_bits > HMAP_MAX_SHARD_BITS) {
		hb_error("shard_bits %u: at most %u", shard_bits, HMAP_MAX_SHARD_BITS);
		return;
	}
	hb_printf("\nWriter scaling: %u writer kthreads, one per CPU, each %u writes\n"
		  "on %u random keys of its own (a delete if present, else an insert;\n"
		  "about half present); writes/s of all writers together, the median\n"
		  "of %u rounds; 'of ceiling': of the same kind with one map per writer\n",
		  nw, write_ops, HB_WRITER_KEYS, reps);
	for (rep = 0; rep < reps; rep++) {
		for (i = 0; i < HB_NR_WCONFS; i++) {
			c = (i + rep) % HB_NR_WCONFS;
			if (!(maps & BIT(hb_wconfs[c].kind))) {
				rate[c][rep] = 0;
				continue;
			}
			rate[c][rep] = hb_wconf_round(&hb_wconfs[c], nw, rep);
		}
	}
	hb_printf("%-40s %12s %10s\n", "map", "writes/s", "of ceiling");
	for (c = 0; c < HB_NR_WCONFS; c++) {
		char name[64];

		w = &hb_wconfs[c];
		if (!(maps & BIT(w->kind)))
			continue;
		med[c] = hb_median(rate[c], reps);
		if (!w->shared)
			ceiling = med[c];
		if (!w->shared)
			snprintf(name, sizeof(name), "%s, %u %s (ceiling)",
				 hb_kind_name[w->kind], nw,
				 w->kind == HB_RHT ? "tables" : "maps");
		else if (w->shards)
			snprintf(name, sizeof(name), "%s, 1 map of %u shards",
				 hb_kind_name[w->kind], 1U << shard_bits);
		else
			snprintf(name, sizeof(name), "%s, 1 %s",
				 hb_kind_name[w->kind],
				 w->kind == HB_RHT ? "table" : "map");
		hb_printf("%-40s %12llu ", name, med[c]);
		hb_print_ratio(med[c], ceiling);
		hb_printf("\n");
	}
}

/* ---- the run ---- */

static void hb_run(void)
{
	unsigned int nreaders = readers ?: num_online_cpus();
	unsigned int latruns = min_t(unsigned int, reps, HB_LAT_RUNS);
	unsigned int maxn = 0, s, rep, i, k;
	struct hb_size_result *res, *warm;
	u32 *latbuf = NULL, overhead, step;
	u64 *keys, t0 = ktime_get_ns();

	for (s = 0; s < nr_sizes; s++)
		maxn = max(maxn, sizes[s]);
	if (maxn < 2 || reps < 1 || reps > HB_MAX_REPS ||
	    !(maps & (BIT(HB_NR_KINDS) - 1))) {
		hb_error("bad parameters: sizes need 2 entries or more, reps 1..%u, maps 1..%lu",
			 HB_MAX_REPS, BIT(HB_NR_KINDS) - 1);
		return;
	}
	res = vzalloc(array_size(nr_sizes, sizeof(*res)));
	keys = vmalloc_array(2 * (size_t)maxn, sizeof(*keys));
	if (latency)
		latbuf = vmalloc_array(maxn, sizeof(*latbuf));
	if (!res || !keys || (latency && !latbuf)) {
		hb_error("no memory for %u keys", maxn);
		goto out;
	}
	/* keys[0..N) are inserted, keys[N..2N) are absent: one sequence. */

	hb_printf("hmap_bench: hmap (two hashes) vs rhashtable, 8-byte keys and values\n");
	hb_printf("keys: splitmix64 seed %#llx; %u online CPUs; ", seed,
		  num_online_cpus());
	if (nreaders < 2)
		hb_printf("no parallel lookups (1 reader)\n");
	else
		hb_printf("parallel lookups: %u reader kthreads\n", nreaders);
	hb_printf("each figure: the MEDIAN of %u rounds; a round runs every map once,\n"
		  "in an order that rotates each round\n", reps);
	overhead = hb_timer_overhead(&step);
	hb_printf("lookups per reader and measurement: max(%u, entries)\n"
		  "timer: ktime_get_ns() pair %u ns, smallest step seen %u ns\n",
		  lookup_ops, overhead, step);
	hb_printf("hmap-sip: HMAP_HASH_SIPHASH (default); hmap-fast: HMAP_HASH_FAST;\n"
		  "rhashtable: constant rhashtable_params, jhash2; one RCU section per lookup\n");
	hb_printf("\nThroughput (ops/s, median of %u rounds; ratio > 1: hmap faster;\n"
		  "bytes: lower is better)\n", reps);
	hb_printf("%8s  %-26s %12s %12s %12s %9s %9s\n", "entries", "operation",
		  hb_kind_name[HB_HMAP_SIP], hb_kind_name[HB_RHT],
		  hb_kind_name[HB_HMAP_FAST], "sip/rht", "fast/rht");

	/* Warm-up (code translated, caches filled), not reported. */
	warm = kzalloc(sizeof(*warm), GFP_KERNEL);
	for (i = 0; warm && i < 2 * HB_NR_KINDS; i++) {
		struct hb_map m;
		unsigned int n = min(maxn, 4096U);

		for (k = 0; k < 2 * n; k++)
			keys[k] = hb_mix(seed + k);
		if (!(maps & BIT(i % HB_NR_KINDS)))
			continue;
		if (hb_map_init(&m, i % HB_NR_KINDS))
			break;
		hb_measure(&m, keys, n, nreaders, 0, warm);
		hb_map_destroy(&m);
	}
	kfree(warm);

	for (s = 0; s < nr_sizes; s++) {
		struct hb_size_result *r = &res[s];
		unsigned int n = sizes[s];

		if (n < 2)
			continue;
		for (i = 0; i < 2 * n; i++)
			keys[i] = hb_mix(seed + i);
		for (rep = 0; rep < reps; rep++) {
			for (i = 0; i < HB_NR_KINDS; i++) {
				struct hb_map m;

				/* Rotate the order every round. */
				k = (i + rep) % HB_NR_KINDS;
				if (!(maps & BIT(k)))
					continue;
				if (hb_map_init(&m, k)) {
					hb_error("%s: create failed", hb_kind_name[k]);
					goto out;
				}
				hb_measure(&m, keys, n, nreaders, rep, r);
				hb_map_destroy(&m);
				rcu_barrier();
			}
		}
		hb_print_size(n, nreaders, r);
		for (rep = 0; latency && rep < latruns; rep++) {
			for (i = 0; i < HB_NR_KINDS; i++) {
				k = (i + rep) % HB_NR_KINDS;
				if (!(maps & BIT(k)))
					continue;
				if (hb_latency(k, keys, n, latbuf,
					       &r->lat_run[k][rep]))
					hb_error("%s: latency run failed",
						 hb_kind_name[k]);
				rcu_barrier();
			}
		}
		for (k = 0; latency && k < HB_NR_KINDS; k++)
			hb_lat_median(r->lat_run[k], latruns, &r->lat[k]);
		pr_info("%u entries done\n", n);
	}
	if (hb_rht_retries)
		hb_printf("(rhashtable inserts retried after -EBUSY/-ENOMEM: %lu)\n",
			  hb_rht_retries);

	if (latency) {
		hb_printf("\nInsert latency while growing from empty (ns; each insert\n"
			  "timed alone, timer overhead included; each figure the\n"
			  "median of %u runs)\n", latruns);
		hb_printf("%8s  %-13s %10s %10s %10s %12s %10s\n", "entries",
			  "map", "p50", "p99", "p99.9", "max", "mean");
		for (s = 0; s < nr_sizes; s++)
			if (sizes[s] >= 2)
				hb_print_lat(sizes[s], res[s].lat);
	}
	hb_run_writer_scaling();
	if (breakdown) {
		unsigned int nb = min(2 * maxn, 1U << 17);

		for (i = 0; i < nb; i++)
			keys[i] = hb_mix(seed + i);
		hb_breakdown(keys, nb);
	}
	hb_printf("\nhmap_bench: done in %llu ms, %u errors\n",
		  div_u64(hb_elapsed(t0), NSEC_PER_MSEC), hb_errors);
out:
	vfree(latbuf);
	vfree(keys);
	vfree(res);
}

static int __init hb_init(void)
{
	hb_out = vzalloc(HB_OUT_SIZE);
	if (!hb_out)
		return -ENOMEM;
	seq_buf_init(&hb_sb, hb_out, HB_OUT_SIZE);
	hb_run();
	hb_blob.data = hb_out;
	hb_blob.size = seq_buf_used(&hb_sb);
	hb_dir = debugfs_create_dir("hmap_bench", NULL);
	debugfs_create_blob("results", 0444, hb_dir, &hb_blob);
	pr_info("results in /sys/kernel/debug/hmap_bench/results (%u errors)\n",
		hb_errors);
	return 0;
}

static void __exit hb_exit(void)
{
	debugfs_remove(hb_dir);
	rcu_barrier();
	vfree(hb_out);
}

module_init(hb_init);
module_exit(hb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hmap benchmark against rhashtable");
