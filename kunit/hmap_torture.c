// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_torture": a stress test in the spirit of the kernel's
 * test_rhashtable and rcutorture, built as its own module (hmap_torture.ko).
 *
 * Reader kthreads, one per online CPU (bound to it), look keys up and walk
 * the whole map (by turns hmap_iter_*() inside one RCU read-side section
 * and hmap_walk_*() in bounded sections) without pause. Writer kthreads
 * insert, update and delete keys, driving the map through cycles of three
 * phases:
 *
 *  - fill: insert until the map sits just under the load that would double
 *    it (double grows on the way up), a quarter of the keys;
 *  - churn: delete and insert at that load, so overflow chains pile up
 *    until a same-size grow compacts them;
 *  - drain: delete down to the stable keys (shrinks on the way down).
 *
 * Each writer owns a share of the keys, and a model of them (present or
 * not, and the version of the value), and checks every operation: its
 * return value against the model, then the key's state with a lookup. A
 * value encodes its key and its version (tools of hmap_test.h's kind:
 * index, version, and a pattern of both over every other byte), so a
 * reader recognises a torn value or one found under another key. A stable
 * key set is never deleted (only updated): readers must always find it,
 * and never see a key's version go back. Every verify_every operations a
 * writer runs hmap_verify().
 *
 * Readers also know, per key, whether it is present and whether a writer
 * is changing that (state[], below): a key no writer touched during a
 * lookup must be found exactly when it is present, and a key no writer
 * touched during a walk must be returned by it exactly once if present
 * (hmap_walk_*(): at least once), never if absent.
 *
 * A case with a handful of hot keys, rewritten in place and read without
 * pause, gives a sampling race detector (KCSAN) accesses that meet.
 *
 * The run lasts duration_ms, and longer if needed until the map has
 * doubled, grown same-size and shrunk at least once each (counters
 * HMAP_STAT_GROWS, HMAP_STAT_SAMESIZE_GROWS, HMAP_STAT_SHRINKS) and, in
 * a failslab case, a write has failed with -ENOMEM (a few in a second:
 * most failed allocations are retried), up to max_ms. Then the threads
 * stop and the case checks that hmap_verify()
 * passes and that the map holds exactly the writers' model.
 *
 * Writers in interrupt context: the irq_writers cases run three writers,
 * one in process context, one whose writes run in softirq (a tasklet) and
 * one whose writes run in hardirq (a hard irq_work), each write waited
 * for in the writer's thread. Those two pass GFP_ATOMIC, so the map's
 * worker must keep their memory ready; -ENOMEM (caches run dry) is
 * counted, not an error, and each writer must get writes through. The
 * sharded case does the same on a map of 4 shards (which need not
 * same-size grow: see torture_needs_samesize()).
 *
 * Fault injection: the failslab cases mark their writer threads
 * (current->make_it_fail), so that with failslab set up in debugfs with
 * task-filter (tools/vm/torture.sh does it) allocations fail only in the
 * writers. Every failed operation must fail with -ENOMEM and change
 * nothing; the number of those failures is reported. The case maps stay
 * small: their arrays fit a page, because kvmalloc() falls back to
 * vmalloc() above that, whose failure (its own allocations fail too) is
 * reported with a warning and a backtrace, a splat of the test run.
 *
 * Every case runs once per hash (enum hmap_hash); the inline case also
 * once per key size with a fast path (4, 8 and 16 bytes), the out-of-line
 * case's 136-byte keys take the generic path. Run-time statistics are on
 * for the run (hmap_stats_enable()), so the lookup counters (hits, misses,
 * reader retries) count, and the case checks they saw the readers.
 *
 * A long run: tools/vm/torture.sh's header, or `make torture`.
 */
#include <linux/cpumask.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <kunit/resource.h>
#include <kunit/test.h>
#include <hmap/hmap.h>
#include <hmap/hmap_debug.h>

#include "hmap_test.h"	/* HMAP_TEST_SUITE(), hmap_test_hash_name(): no hmap_test_main.o */

static unsigned int duration_ms = 3000;
module_param(duration_ms, uint, 0444);
MODULE_PARM_DESC(duration_ms,
		 "least run time of each case, in ms (it goes on until the map grew, grew same-size and shrank)");

static unsigned int max_ms = 120000;
module_param(max_ms, uint, 0444);
MODULE_PARM_DESC(max_ms,
		 "longest run time of each case, in ms (KUnit stops a case after 300 s)");

static unsigned int readers;
module_param(readers, uint, 0444);
MODULE_PARM_DESC(readers, "reader threads (0: one per online CPU)");

static unsigned int writers = 2;
module_param(writers, uint, 0444);
MODULE_PARM_DESC(writers, "writer threads");

static unsigned int keys = 2048;
module_param(keys, uint, 0444);
MODULE_PARM_DESC(keys, "keys the writers insert and delete (not the failslab cases)");

static unsigned int stable_keys = 16;
module_param(stable_keys, uint, 0444);
MODULE_PARM_DESC(stable_keys,
		 "keys always present, only updated (not the failslab cases)");

static unsigned int value_size = 24;
module_param(value_size, uint, 0444);
MODULE_PARM_DESC(value_size,
		 "value size of the first case, 8..65536 (above 128: out of line)");

static unsigned int failslab_percent;
module_param(failslab_percent, uint, 0444);
MODULE_PARM_DESC(failslab_percent,
		 "run the failslab cases: the failslab probability set up in debugfs (0: skip them)");

static unsigned int verify_every = 1000;
module_param(verify_every, uint, 0444);
MODULE_PARM_DESC(verify_every,
		 "operations of a writer between hmap_verify() calls (0: only at the end)");

#define TORTURE_MAX_WRITERS	16
#define TORTURE_MAX_READERS	64
/* Random lookups of a reader between two walks. */
#define TORTURE_LOOKUPS		256
/* Writer 0 looks at the map's count and counters every this many ops. */
#define TORTURE_PHASE_EVERY	16
/* A churn phase without a same-size grow ends after this many turnovers. */
#define TORTURE_CHURN_TURNOVERS	40
#define TORTURE_MSG		160

/*
 * state[] of a key: bit 0 present, bit 1 a writer is changing whether it
 * is present, the bits above count those changes.
 */
#define ST_PRESENT	1U
#define ST_BUSY		2U
#define ST_CHANGE	4U

enum torture_phase { PH_FILL, PH_CHURN, PH_DRAIN };

/* Where a writer's hmap_update() and hmap_delete() calls run. */
enum torture_wctx { TW_PROCESS, TW_SOFTIRQ, TW_HARDIRQ, TW_NR };

static const char *const torture_wctx_name[TW_NR] = {
	"process", "softirq", "hardirq",
};

struct torture_cfg {
	const char *name;
	u32 hash;		/* enum hmap_hash */
	u32 key_size;
	u32 value_size;
	u32 stable;		/* keys [0, stable) */
	u32 keys;		/* writer keys [stable, stable + keys) */
	bool failslab;
	bool hot;		/* few keys, no phases: see torture_hot_keys() */
	bool irq_writers;	/* writer i writes in context i % TW_NR */
	u32 shard_bits;		/* hmap_params.shard_bits */
};

struct torture_ctx;

struct torture_thread {
	struct torture_ctx *ctx;
	struct task_struct *task;
	u32 id;
	struct rnd_state rnd;
	u8 *key;
	u8 *value;
	/* Writers: own keys, as a partition into present and absent. */
	u32 first, n;		/* writer keys [first, first + n) */
	u32 *slot;		/* position of each own key in @order */
	u32 *order;		/* present keys first, then absent ones */
	u32 npresent;
	/* Writers in interrupt context: the write handed over, and its result. */
	enum torture_wctx wctx;
	struct tasklet_struct tasklet;
	struct irq_work irq_work;
	struct completion done;
	char op;
	u64 flags;
	int err;
	unsigned long wrong_ctx;	/* writes that ran in another context */
	/* Readers: per key, the newest version seen, and walk state. */
	u32 *last;
	u32 *state0;
	u8 *visits;
	/* Counts (read by the case after the threads stopped). */
	unsigned long ops, inserts, updates, deletes, negative, enomem;
	unsigned long verifies, lookups, hits, walks, walked;
	unsigned long errors;
	char msg[TORTURE_MSG];	/* the first error */
};

struct torture_ctx {
	struct kunit *test;
	const struct torture_cfg *cfg;
	struct hmap *map;
	u32 total;		/* stable + writer keys */
	u32 cap;		/* 6.5 * 2^b: the load the fill phase stops under */
	u32 high;		/* insert while the count is below this */
	u32 low;		/* the drain phase ends at this count */
	u32 nreaders, nwriters;
	/* Model, written by each key's owner. */
	u32 *cur;		/* version of the present value, 0: absent */
	u32 *issued;		/* highest version handed to hmap_update() */
	u32 *state;		/* see ST_* */
	atomic_t phase;
	atomic_t failed;	/* a thread saw the map broken: stop writing */
	unsigned long cycles, churn_ops, churn_samesize, churn_cap;
	struct torture_thread *threads;	/* writers, then readers */
	u32 nthreads;
};

/* ---- keys and values ---- */

static u8 torture_pattern(u32 idx, u32 ver, u32 j)
{
	return (u8)(idx * 31 + ver * 17 + j * 7 + 1);
}

static void torture_key(const struct torture_ctx *c, u8 *key, u32 idx)
{
	u32 j;

	put_unaligned_le32(idx, key);
	for (j = sizeof(u32); j < c->cfg->key_size; j++)
		key[j] = torture_pattern(idx, 0xabc, j);
}

/* The index a key encodes, or U32_MAX if its bytes are not a key's. */
static u32 torture_key_idx(const struct torture_ctx *c, const u8 *key)
{
	u32 idx = get_unaligned_le32(key), j;

	for (j = sizeof(u32); j < c->cfg->key_size; j++)
		if (key[j] != torture_pattern(idx, 0xabc, j))
			return U32_MAX;
	return idx < c->total ? idx : U32_MAX;
}

static void torture_value(const struct torture_ctx *c, u8 *v, u32 idx,
			  u32 ver)
{
	u32 j;

	put_unaligned_le32(idx, v);
	put_unaligned_le32(ver, v + 4);
	for (j = 8; j < c->cfg->value_size; j++)
		v[j] = torture_pattern(idx, ver, j);
}

/* Whether @v is a whole value of key @idx; its version in *@ver. */
static bool torture_value_ok(const struct torture_ctx *c, const u8 *v,
			     u32 idx, u32 *ver)
{
	u32 j;

	*ver = get_unaligned_le32(v + 4);
	if (get_unaligned_le32(v) != idx || !*ver)
		return false;
	for (j = 8; j < c->cfg->value_size; j++)
		if (v[j] != torture_pattern(idx, *ver, j))
			return false;
	return true;
}

static __printf(2, 3) void torture_error(struct torture_thread *t,
					 const char *fmt, ...)
{
	va_list args;

	if (t->errors++)
		return;
	va_start(args, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, args);
	va_end(args);
}

static u32 torture_rand(struct torture_thread *t, u32 n)
{
	return n ? prandom_u32_state(&t->rnd) % n : 0;
}

/* ---- readers ---- */

/* Looks up key @idx and checks what it finds. */
static void torture_lookup(struct torture_thread *t, u32 idx)
{
	struct torture_ctx *c = t->ctx;
	u32 s0, s1, ver, issued;
	int err;

	torture_key(c, t->key, idx);
	s0 = READ_ONCE(c->state[idx]);
	/*
	 * The state before the map, and again after it: pairs with the
	 * writers' barriers between their state writes and the map's slots
	 * (the map's own, inside hmap_update() and hmap_delete()).
	 */
	smp_rmb();
	err = hmap_lookup(c->map, t->key, t->value);
	smp_rmb();	/* as above */
	s1 = READ_ONCE(c->state[idx]);
	issued = READ_ONCE(c->issued[idx]);
	t->lookups++;
	if (err && err != -ENOENT) {
		torture_error(t, "lookup of key %u: error %d", idx, err);
		return;
	}
	if (s0 == s1 && !(s0 & ST_BUSY) && !err != !!(s0 & ST_PRESENT)) {
		torture_error(t, "lookup of key %u: %s, but it is %s", idx,
			      err ? "not found" : "found",
			      s0 & ST_PRESENT ? "present" : "absent");
		return;
	}
	if (err)
		return;
	t->hits++;
	if (!torture_value_ok(c, t->value, idx, &ver)) {
		torture_error(t, "lookup of key %u: torn or misplaced value (key %u version %u)",
			      idx, get_unaligned_le32(t->value),
			      get_unaligned_le32(t->value + 4));
		return;
	}
	if (ver > issued) {
		torture_error(t, "lookup of key %u: version %u never written (latest %u)",
			      idx, ver, issued);
		return;
	}
	if (idx < c->cfg->stable) {
		if (ver < t->last[idx])
			torture_error(t, "lookup of stable key %u: version %u after %u",
				      idx, ver, t->last[idx]);
		t->last[idx] = ver;
	}
}

/*
 * Walks the whole map, in one RCU read-side section (hmap_iter_*()) or in
 * bounded ones (@sectioned: hmap_walk_*()), and checks the walk.
 */
static void torture_walk(struct torture_thread *t, bool sectioned)
{
	struct torture_ctx *c = t->ctx;
	struct hmap_walk walk;
	struct hmap_iter it;
	u32 idx, ver, s1;
	int err;

	for (idx = 0; idx < c->total; idx++)
		t->state0[idx] = READ_ONCE(c->state[idx]);
	/* The states before the map, as in torture_lookup(). */
	smp_rmb();
	memset(t->visits, 0, c->total);
	if (sectioned) {
		err = hmap_walk_start(c->map, &walk);
		if (err) {
			torture_error(t, "walk: hmap_walk_start() returned %d", err);
			return;
		}
	} else {
		rcu_read_lock();
		hmap_iter_init(c->map, &it);
	}
	while ((err = sectioned ? hmap_walk_next(&walk, t->key, t->value) :
				  hmap_iter_next(&it, t->key, t->value)) == 0) {
		t->walked++;
		idx = torture_key_idx(c, t->key);
		if (idx == U32_MAX) {
			torture_error(t, "walk: torn or unknown key %u",
				      get_unaligned_le32(t->key));
			continue;
		}
		if (t->visits[idx] < U8_MAX)
			t->visits[idx]++;
		if (!torture_value_ok(c, t->value, idx, &ver))
			torture_error(t, "walk: key %u: torn or misplaced value (%u, version %u)",
				      idx, get_unaligned_le32(t->value),
				      get_unaligned_le32(t->value + 4));
		else if (ver > READ_ONCE(c->issued[idx]))
			torture_error(t, "walk: key %u: version %u never written",
				      idx, ver);
	}
	if (sectioned)
		hmap_walk_stop(&walk);
	else
		rcu_read_unlock();
	t->walks++;
	if (err != -ENOENT)
		torture_error(t, "walk: %s() returned %d",
			      sectioned ? "hmap_walk_next" : "hmap_iter_next", err);
	/* The states after the map, as in torture_lookup(). */
	smp_rmb();
	for (idx = 0; idx < c->total; idx++) {
		s1 = READ_ONCE(c->state[idx]);
		/* Inserted or deleted during the walk: may or may not be seen. */
		if (s1 != t->state0[idx] || (s1 & ST_BUSY))
			continue;
		/* A resize during a sectioned walk may return a key twice. */
		if (sectioned && (s1 & ST_PRESENT) && t->visits[idx])
			continue;
		if (t->visits[idx] != !!(s1 & ST_PRESENT)) {
			torture_error(t, "walk (%s): key %u (%s all along) returned %u times",
				      sectioned ? "hmap_walk" : "hmap_iter", idx,
				      s1 & ST_PRESENT ? "present" : "absent",
				      t->visits[idx]);
			return;
		}
	}
}

static int torture_reader_fn(void *data)
{
	struct torture_thread *t = data;
	struct torture_ctx *c = t->ctx;
	u32 i;

	while (!kthread_should_stop()) {
		for (i = 0; i < TORTURE_LOOKUPS && !kthread_should_stop(); i++)
			torture_lookup(t, torture_rand(t, c->total));
		/* Every other walk in bounded read-side sections. */
		torture_walk(t, t->walks & 1);
		cond_resched();
	}
	return 0;
}

/* ---- writers ---- */

/* Moves own key @idx to the present or the absent part of @order. */
static void torture_set_present(struct torture_thread *t, u32 idx,
				bool present)
{
	u32 i = idx - t->first, pos = t->slot[i], other, dst;
	bool was = pos < t->npresent;

	if (present == was)
		return;
	dst = present ? t->npresent : t->npresent - 1;
	other = t->order[dst];
	t->order[dst] = i;
	t->order[pos] = other;
	t->slot[other] = pos;
	t->slot[i] = dst;
	if (present)
		t->npresent++;
	else
		t->npresent--;
}

/* A random own key that is present (@present) or absent; false if none. */
static bool torture_pick(struct torture_thread *t, bool present, u32 *idx)
{
	u32 n = present ? t->npresent : t->n - t->npresent;

	if (!n)
		return false;
	*idx = t->first + t->order[(present ? 0 : t->npresent) +
				   torture_rand(t, n)];
	return true;
}

/*
 * Checks after an operation on @idx that the map holds what the model says:
 * the key with version cur[idx], or no key.
 */
static void torture_check_key(struct torture_thread *t, u32 idx,
			      const char *op, int ret)
{
	struct torture_ctx *c = t->ctx;
	u32 want = c->cur[idx], ver;
	int err;

	err = hmap_lookup(c->map, t->key, t->value);
	if (!want && err == -ENOENT)
		return;
	if (want && !err && torture_value_ok(c, t->value, idx, &ver) &&
	    ver == want)
		return;
	torture_error(t, "%s of key %u returned %d: then lookup %d, version %u, model version %u",
		      op, idx, ret, err, err ? 0 : get_unaligned_le32(t->value + 4),
		      want);
}

/* The write of t->key (and t->value), in the writer's context. */
static int torture_write_here(struct torture_thread *t, gfp_t gfp)
{
	struct torture_ctx *c = t->ctx;

	if (t->op == 'd')
		return hmap_delete(c->map, t->key, gfp);
	return hmap_update(c->map, t->key, t->value, t->flags, gfp);
}

static void torture_write_in_irq(struct torture_thread *t, bool ok)
{
	if (!ok)
		t->wrong_ctx++;
	t->err = torture_write_here(t, GFP_ATOMIC);
	complete(&t->done);
}

static void torture_tasklet_fn(struct tasklet_struct *tl)
{
	struct torture_thread *t = from_tasklet(t, tl, tasklet);

	torture_write_in_irq(t, in_serving_softirq());
}

static void torture_irq_work_fn(struct irq_work *work)
{
	struct torture_thread *t = container_of(work, struct torture_thread,
						irq_work);

	torture_write_in_irq(t, in_hardirq());
}

/* Runs the write @op (flags @flags) where the writer writes; its result. */
static int torture_call(struct torture_thread *t, char op, u64 flags)
{
	t->op = op;
	t->flags = flags;
	switch (t->wctx) {
	case TW_SOFTIRQ:
		reinit_completion(&t->done);
		tasklet_schedule(&t->tasklet);
		break;
	case TW_HARDIRQ:
		reinit_completion(&t->done);
		irq_work_queue(&t->irq_work);
		break;
	default:
		return torture_write_here(t, GFP_KERNEL);
	}
	wait_for_completion(&t->done);
	return t->err;
}

/*
 * One operation on own key @idx: @op is 'i' (insert, HMAP_UPDATE_NOEXIST or
 * HMAP_UPDATE_ANY), 'u' (update, HMAP_UPDATE_EXIST or HMAP_UPDATE_ANY) or 'd' (delete); the
 * key may be present or not. Checks the result against the model and
 * updates the model.
 */
static void torture_write(struct torture_thread *t, u32 idx, char op,
			  u64 flags)
{
	struct torture_ctx *c = t->ctx;
	bool present = c->cur[idx], changes;
	u32 ver = c->issued[idx] + 1;
	int want, err;

	/* What the map must answer, memory permitting. */
	if (op == 'd')
		want = present ? 0 : -ENOENT;
	else if (flags == HMAP_UPDATE_NOEXIST)
		want = present ? -EEXIST : 0;
	else if (flags == HMAP_UPDATE_EXIST)
		want = present ? 0 : -ENOENT;
	else
		want = 0;
	changes = !want && (op == 'd' || !present);

	torture_key(c, t->key, idx);
	if (changes)
		WRITE_ONCE(c->state[idx], c->state[idx] | ST_BUSY);
	if (op != 'd') {
		WRITE_ONCE(c->issued[idx], ver);
		torture_value(c, t->value, idx, ver);
	}
	err = torture_call(t, op, flags);
	t->ops++;
	if (err == -ENOMEM && (c->cfg->failslab || t->wctx != TW_PROCESS)) {
		WRITE_ONCE(t->enomem, t->enomem + 1);
	} else if (err != want) {
		torture_error(t, "%c (flags %llu) of key %u (%s): %d, expected %d",
			      op, flags, idx, present ? "present" : "absent",
			      err, want);
	} else if (!err && op == 'd') {
		c->cur[idx] = 0;
		t->deletes++;
	} else if (!err) {
		c->cur[idx] = ver;
		if (present)
			t->updates++;
		else
			t->inserts++;
	} else {
		t->negative++;
	}
	if (changes) {
		WRITE_ONCE(c->state[idx], ((c->state[idx] & ~(ST_BUSY | ST_PRESENT)) +
					   ST_CHANGE) | (c->cur[idx] ? ST_PRESENT : 0));
		if (idx >= c->cfg->stable)
			torture_set_present(t, idx, c->cur[idx]);
	}
	torture_check_key(t, idx, op == 'd' ? "delete" : "update", err);
}

/* An operation that must fail (or fail with -ENOMEM) and change nothing. */
static void torture_negative(struct torture_thread *t)
{
	u32 idx;

	switch (torture_rand(t, 3)) {
	case 0:
		if (torture_pick(t, true, &idx))
			torture_write(t, idx, 'i', HMAP_UPDATE_NOEXIST);
		break;
	case 1:
		if (torture_pick(t, false, &idx))
			torture_write(t, idx, 'u', HMAP_UPDATE_EXIST);
		break;
	default:
		if (torture_pick(t, false, &idx))
			torture_write(t, idx, 'd', 0);
		break;
	}
}

/* Rewrites a present key: an own key or one of the writer's stable keys. */
static void torture_update(struct torture_thread *t)
{
	struct torture_ctx *c = t->ctx;
	u32 nstable = c->cfg->stable / c->nwriters +
		      (t->id < c->cfg->stable % c->nwriters);
	u32 idx;

	if (nstable && (torture_rand(t, 2) || !t->npresent))
		idx = t->id + c->nwriters * torture_rand(t, nstable);
	else if (!torture_pick(t, true, &idx))
		return;
	torture_write(t, idx, 'u', torture_rand(t, 2) ? HMAP_UPDATE_EXIST : HMAP_UPDATE_ANY);
}

static void torture_insert(struct torture_thread *t)
{
	u32 idx;

	if (torture_pick(t, false, &idx))
		torture_write(t, idx, 'i',
			      torture_rand(t, 2) ? HMAP_UPDATE_NOEXIST : HMAP_UPDATE_ANY);
}

static void torture_delete(struct torture_thread *t)
{
	u32 idx;

	if (torture_pick(t, true, &idx))
		torture_write(t, idx, 'd', 0);
}

/* Writer 0 moves the phases on, from the map's count and counters. */
static void torture_next_phase(struct torture_thread *t)
{
	struct torture_ctx *c = t->ctx;
	u64 count = hmap_count(c->map);
	struct hmap_info info;

	switch (atomic_read(&c->phase)) {
	case PH_FILL:
		if (count + c->nwriters < c->high)
			return;
		hmap_get_info(c->map, &info);
		c->churn_samesize = info.counters[HMAP_STAT_SAMESIZE_GROWS];
		c->churn_ops = 0;
		atomic_set(&c->phase, PH_CHURN);
		break;
	case PH_CHURN:
		c->churn_ops += TORTURE_PHASE_EVERY;
		hmap_get_info(c->map, &info);
		if (info.counters[HMAP_STAT_SAMESIZE_GROWS] == c->churn_samesize &&
		    c->churn_ops < c->churn_cap)
			return;
		atomic_set(&c->phase, PH_DRAIN);
		break;
	default:
		if (count > c->low)
			return;
		c->cycles++;
		atomic_set(&c->phase, PH_FILL);
		break;
	}
}

static int torture_writer_fn(void *data)
{
	struct torture_thread *t = data;
	struct torture_ctx *c = t->ctx;
	unsigned long since_verify = 0, loops = 0;
	u32 r;
	int err;

#ifdef CONFIG_FAULT_INJECTION
	/* failslab's task-filter fails allocations of marked tasks only. */
	if (c->cfg->failslab)
		current->make_it_fail = 1;
#endif
	while (!kthread_should_stop()) {
		if (atomic_read(&c->failed)) {
			msleep(20);
			continue;
		}
		if (t->id == 0 && !c->cfg->hot &&
		    loops++ % TORTURE_PHASE_EVERY == 0)
			torture_next_phase(t);
		r = torture_rand(t, 32);
		if (r == 0) {
			torture_negative(t);
		} else if (r < (c->cfg->hot ? 16 : 5)) {
			torture_update(t);
		} else if (c->cfg->hot) {
			if (r & 1)
				torture_insert(t);
			else
				torture_delete(t);
		} else {
			switch (atomic_read(&c->phase)) {
			case PH_FILL:
				if (hmap_count(c->map) < c->high)
					torture_insert(t);
				else
					torture_update(t);
				break;
			case PH_CHURN:
				if (hmap_count(c->map) < c->high)
					torture_insert(t);
				else
					torture_delete(t);
				break;
			default:
				torture_delete(t);
				break;
			}
		}
		if (verify_every && ++since_verify >= verify_every) {
			since_verify = 0;
			t->verifies++;
			err = hmap_verify(c->map);
			if (err)
				torture_error(t, "hmap_verify() after %lu ops: %d (see the log)",
					      t->ops, err);
		}
		if (t->errors)
			atomic_set(&c->failed, 1);
		cond_resched();
	}
#ifdef CONFIG_FAULT_INJECTION
	current->make_it_fail = 0;
#endif
	return 0;
}

/* ---- the case ---- */

static void torture_stop_threads(void *data)
{
	struct torture_ctx *c = data;
	u32 i;

	for (i = 0; i < c->nthreads; i++) {
		if (c->threads[i].task) {
			kthread_stop(c->threads[i].task);
			c->threads[i].task = NULL;
		}
		/* Idle already: each write was waited for. */
		tasklet_kill(&c->threads[i].tasklet);
		irq_work_sync(&c->threads[i].irq_work);
	}
}

KUNIT_DEFINE_ACTION_WRAPPER(torture_kvfree, kvfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(torture_destroy, hmap_destroy, struct hmap *);

/* Zeroed memory freed when the case ends; the case fails without it. */
static void *torture_alloc(struct kunit *test, size_t n, size_t size)
{
	void *p = kvcalloc(n, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL_MSG(test, p, "no memory for %zu x %zu bytes",
				  n, size);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, torture_kvfree, p), 0);
	return p;
}

static struct torture_ctx *torture_setup(struct kunit *test,
					 const struct torture_cfg *cfg)
{
	struct hmap_params params = {
		.key_size = cfg->key_size,
		.value_size = cfg->value_size,
		.hash = cfg->hash,
		.shard_bits = cfg->shard_bits,
	};
	struct torture_ctx *c;
	struct torture_thread *t;
	u32 i, b, idx;
	int err;

	KUNIT_ASSERT_GE_MSG(test, cfg->key_size, 4U, "keys encode a u32");
	KUNIT_ASSERT_GE_MSG(test, cfg->value_size, 8U,
			    "values encode a key and a version");
	KUNIT_ASSERT_GE_MSG(test, cfg->keys, cfg->hot ? 1U : 16U, "too few keys");
	KUNIT_ASSERT_TRUE_MSG(test, writers >= 1 && writers <= TORTURE_MAX_WRITERS,
			      "writers must be 1..%d", TORTURE_MAX_WRITERS);

	c = torture_alloc(test, 1, sizeof(*c));
	c->test = test;
	c->cfg = cfg;
	c->total = cfg->stable + cfg->keys;
	c->nwriters = cfg->irq_writers ? max_t(u32, writers, TW_NR) : writers;
	c->nreaders = min_t(u32, readers ?: num_online_cpus(),
			    TORTURE_MAX_READERS);
	/*
	 * Fill to the largest grow threshold under a quarter of the keys:
	 * churn then deletes and inserts keys out of four times as many, so
	 * each chain sees its share of new keys (with a key set barely larger
	 * than the load, the chains would only ever hold the same few keys,
	 * and their overflow would never reach a same-size grow).
	 */
	for (b = 0; (13U << (b + 1)) / 2 <= c->total / 4; b++)
		;
	c->cap = (13U << b) / 2;
	c->high = c->cap - c->nwriters;
	c->low = cfg->stable + c->nwriters;
	c->churn_cap = (unsigned long)TORTURE_CHURN_TURNOVERS * c->cap;
	KUNIT_ASSERT_TRUE_MSG(test, cfg->hot || c->high > c->low + 8,
			      "too few writer keys (%u) for the stable keys (%u) and writers",
			      cfg->keys, cfg->stable);
	c->cur = torture_alloc(test, c->total, sizeof(u32));
	c->issued = torture_alloc(test, c->total, sizeof(u32));
	c->state = torture_alloc(test, c->total, sizeof(u32));
	c->threads = torture_alloc(test, c->nwriters + c->nreaders,
				   sizeof(*c->threads));

	c->map = hmap_create(&params);
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, c->map,
					 "hmap_create(%u, %u, hash %u, shard_bits %u)",
					 cfg->key_size, cfg->value_size, cfg->hash,
					 cfg->shard_bits);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, torture_destroy,
							c->map), 0);
	KUNIT_ASSERT_EQ(test, hmap_shard_count(c->map), 1U << cfg->shard_bits);

	for (i = 0; i < c->nwriters + c->nreaders; i++) {
		t = &c->threads[i];
		t->ctx = c;
		t->id = i;
		prandom_seed_state(&t->rnd, get_random_u64());
		t->key = torture_alloc(test, 1, cfg->key_size);
		t->value = torture_alloc(test, 1, cfg->value_size);
		if (cfg->irq_writers && i < c->nwriters)
			t->wctx = i % TW_NR;
		tasklet_setup(&t->tasklet, torture_tasklet_fn);
		t->irq_work = IRQ_WORK_INIT_HARD(torture_irq_work_fn);
		init_completion(&t->done);
	}
	/* Writers' shares of the writer keys: all absent. */
	for (i = 0; i < c->nwriters; i++) {
		t = &c->threads[i];
		t->first = cfg->stable + cfg->keys / c->nwriters * i;
		t->n = i == c->nwriters - 1 ? c->total - t->first :
					      cfg->keys / c->nwriters;
		t->slot = torture_alloc(test, t->n, sizeof(u32));
		t->order = torture_alloc(test, t->n, sizeof(u32));
		for (idx = 0; idx < t->n; idx++) {
			t->slot[idx] = idx;
			t->order[idx] = idx;
		}
	}
	for (i = c->nwriters; i < c->nwriters + c->nreaders; i++) {
		t = &c->threads[i];
		t->last = torture_alloc(test, c->total, sizeof(u32));
		t->state0 = torture_alloc(test, c->total, sizeof(u32));
		t->visits = torture_alloc(test, c->total, 1);
	}
	/* The stable keys, version 1. */
	t = &c->threads[0];
	for (idx = 0; idx < cfg->stable; idx++) {
		torture_key(c, t->key, idx);
		torture_value(c, t->value, idx, 1);
		err = hmap_update(c->map, t->key, t->value, HMAP_UPDATE_NOEXIST, GFP_KERNEL);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "insert of stable key %u", idx);
		c->cur[idx] = 1;
		c->issued[idx] = 1;
		c->state[idx] = ST_PRESENT;
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, torture_stop_threads, c), 0);
	return c;
}

static void torture_start(struct kunit *test, struct torture_ctx *c)
{
	struct task_struct *task;
	u32 i, cpu;

	for (i = 0; i < c->nwriters + c->nreaders; i++) {
		struct torture_thread *t = &c->threads[i];

		if (i < c->nwriters) {
			task = kthread_create(torture_writer_fn, t,
					      "hmap_torture_w%u", i);
		} else {
			cpu = cpumask_nth((i - c->nwriters) % num_online_cpus(),
					  cpu_online_mask);
			task = kthread_create(torture_reader_fn, t,
					      "hmap_torture_r%u", cpu);
			if (!IS_ERR(task))
				kthread_bind(task, cpu);
		}
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(task), "kthread_create: %pe",
				       task);
		t->task = task;
		c->nthreads = i + 1;
		wake_up_process(task);
	}
}

/* Counter deltas since @before. */
static u64 torture_delta(const struct hmap_info *now,
			 const struct hmap_info *before, enum hmap_stat n)
{
	return now->counters[n] - before->counters[n];
}

/*
 * A map of shards need not same-size grow: the total count stays just
 * under a grow, but each shard's own count wanders with the random keys
 * until it has grown once, and at half its load a shard's chains seldom
 * overflow.
 */
static bool torture_needs_samesize(const struct torture_cfg *cfg)
{
	return !cfg->shard_bits;
}

static bool torture_all_moved(const struct torture_cfg *cfg,
			      const struct hmap_info *now,
			      const struct hmap_info *before)
{
	return torture_delta(now, before, HMAP_STAT_GROWS) &&
	       (torture_delta(now, before, HMAP_STAT_SAMESIZE_GROWS) ||
		!torture_needs_samesize(cfg)) &&
	       torture_delta(now, before, HMAP_STAT_SHRINKS);
}

/*
 * A failslab case has seen fault injection at work: some write failed
 * with -ENOMEM (read while the writers run).
 */
static bool torture_enomem_seen(struct torture_ctx *c)
{
	u32 i;

	for (i = 0; i < c->nwriters; i++)
		if (READ_ONCE(c->threads[i].enomem))
			return true;
	return false;
}

/* After the run: the map holds exactly the model, walked or looked up. */
static void torture_check_model(struct kunit *test, struct torture_ctx *c)
{
	struct torture_thread *t = &c->threads[0];
	u32 idx, ver, bad = 0, npresent = 0, first_bad = U32_MAX;
	u8 *seen = torture_alloc(test, c->total, 1);
	struct hmap_iter it;
	unsigned long n = 0;
	int err;

	for (idx = 0; idx < c->total; idx++) {
		torture_key(c, t->key, idx);
		err = hmap_lookup(c->map, t->key, t->value);
		npresent += !!c->cur[idx];
		if (!c->cur[idx] && err == -ENOENT)
			continue;
		if (c->cur[idx] && !err &&
		    torture_value_ok(c, t->value, idx, &ver) && ver == c->cur[idx])
			continue;
		if (!bad++)
			first_bad = idx;
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U,
			    "%u keys differ from the model, the first key %u (model version %u)",
			    bad, first_bad,
			    first_bad < c->total ? c->cur[first_bad] : 0);
	KUNIT_EXPECT_EQ_MSG(test, hmap_count(c->map), (u64)npresent,
			    "count against the model");

	bad = 0;
	rcu_read_lock();
	hmap_iter_init(c->map, &it);
	while (!hmap_iter_next(&it, t->key, t->value)) {
		n++;
		idx = torture_key_idx(c, t->key);
		if (idx == U32_MAX || !c->cur[idx] || seen[idx]++ ||
		    !torture_value_ok(c, t->value, idx, &ver) ||
		    ver != c->cur[idx])
			bad++;
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U,
			    "entries of a walk not in the model, repeated, or with another value");
	KUNIT_EXPECT_EQ_MSG(test, n, (unsigned long)npresent,
			    "entries walked against the model");
}

static void torture_stats_off(void *unused)
{
	hmap_stats_disable();
}

static void torture_run(struct kunit *test, const struct torture_cfg *cfg)
{
	struct hmap_info *before = torture_alloc(test, 1, sizeof(*before));
	struct hmap_info *now = torture_alloc(test, 1, sizeof(*now));
	unsigned long start, end, limit;
	struct torture_thread sum = {};
	struct torture_ctx *c;
	u64 looked_up;
	u32 i;

	/* Off again at the end, or when the case stops early (after the threads). */
	hmap_stats_enable();
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, torture_stats_off, NULL), 0);
	c = torture_setup(test, cfg);
	hmap_get_info(c->map, before);
	start = jiffies;
	end = start + msecs_to_jiffies(duration_ms);
	limit = start + msecs_to_jiffies(max(max_ms, duration_ms));
	torture_start(test, c);
	for (;;) {
		msleep(50);
		hmap_get_info(c->map, now);
		if (atomic_read(&c->failed) || time_after(jiffies, limit))
			break;
		if (time_after(jiffies, end) &&
		    (cfg->hot || torture_all_moved(cfg, now, before)) &&
		    (!cfg->failslab || torture_enomem_seen(c)))
			break;
	}
	torture_stop_threads(c);
	hmap_get_info(c->map, now);
	kunit_release_action(test, torture_stats_off, NULL);

	for (i = 0; i < c->nthreads; i++) {
		struct torture_thread *t = &c->threads[i];

		KUNIT_EXPECT_EQ_MSG(test, t->errors, 0UL, "%s %u: %lu errors, the first: %s",
				    i < c->nwriters ? "writer" : "reader", i,
				    t->errors, t->msg);
		KUNIT_EXPECT_GT_MSG(test, t->ops + t->lookups, 0UL,
				    "thread %u did nothing", i);
		if (i < c->nwriters && cfg->irq_writers) {
			KUNIT_EXPECT_EQ_MSG(test, t->wrong_ctx, 0UL,
					    "writer %u: writes outside %s context",
					    i, torture_wctx_name[t->wctx]);
			KUNIT_EXPECT_GT_MSG(test, t->ops - t->enomem, 0UL,
					    "writer %u (%s): no write got through",
					    i, torture_wctx_name[t->wctx]);
			kunit_info(test, "%s: writer %u in %s context: %lu ops, %lu -ENOMEM",
				   cfg->name, i, torture_wctx_name[t->wctx],
				   t->ops, t->enomem);
		}
		sum.ops += t->ops;
		sum.inserts += t->inserts;
		sum.updates += t->updates;
		sum.deletes += t->deletes;
		sum.negative += t->negative;
		sum.enomem += t->enomem;
		sum.verifies += t->verifies;
		sum.lookups += t->lookups;
		sum.hits += t->hits;
		sum.walks += t->walks;
		sum.walked += t->walked;
	}
	kunit_info(test, "%s: %u.%03us, %u readers, %u writers, %u+%u keys (key %u, value %u bytes, %s), %lu cycles",
		   cfg->name, jiffies_to_msecs(jiffies - start) / 1000,
		   jiffies_to_msecs(jiffies - start) % 1000, c->nreaders,
		   c->nwriters, cfg->stable, cfg->keys, cfg->key_size,
		   cfg->value_size, hmap_test_hash_name(cfg->hash), c->cycles);
	kunit_info(test, "%s: writers: %lu ops: %lu inserts, %lu updates, %lu deletes, %lu refused as expected, %lu -ENOMEM, %lu verifies",
		   cfg->name, sum.ops, sum.inserts, sum.updates, sum.deletes,
		   sum.negative, sum.enomem, sum.verifies);
	looked_up = torture_delta(now, before, HMAP_STAT_HITS) +
		    torture_delta(now, before, HMAP_STAT_MISSES);
	kunit_info(test, "%s: readers: %lu lookups (%lu hits), %lu walks (%lu entries); map: %llu lookups (%llu hits)",
		   cfg->name, sum.lookups, sum.hits, sum.walks, sum.walked,
		   looked_up, torture_delta(now, before, HMAP_STAT_HITS));
	kunit_info(test, "%s: map: %llu grows, %llu same-size grows, %llu shrinks, %llu+%llu buckets evacuated (writers+worker), %llu reader retries, B %u",
		   cfg->name, torture_delta(now, before, HMAP_STAT_GROWS),
		   torture_delta(now, before, HMAP_STAT_SAMESIZE_GROWS),
		   torture_delta(now, before, HMAP_STAT_SHRINKS),
		   torture_delta(now, before, HMAP_STAT_EVACUATED),
		   torture_delta(now, before, HMAP_STAT_EVACUATED_BG),
		   torture_delta(now, before, HMAP_STAT_READER_RETRIES), now->B);

	/* The readers' lookups and the writers' checks all counted. */
	KUNIT_EXPECT_GE_MSG(test, looked_up, (u64)sum.lookups,
			    "the map counted fewer lookups than the readers made: are statistics on?");
	KUNIT_EXPECT_GE_MSG(test, torture_delta(now, before, HMAP_STAT_HITS),
			    (u64)sum.hits, "the map counted fewer hits than the readers saw");
	KUNIT_EXPECT_EQ_MSG(test, hmap_verify(c->map), 0,
			    "hmap_verify() after the run (its error is in the log)");
	torture_check_model(test, c);
	if (cfg->hot)
		return;
	KUNIT_EXPECT_GT_MSG(test, torture_delta(now, before, HMAP_STAT_GROWS), 0ULL,
			    "no double grow in %ums", max(max_ms, duration_ms));
	if (torture_needs_samesize(cfg))
		KUNIT_EXPECT_GT_MSG(test, torture_delta(now, before,
							HMAP_STAT_SAMESIZE_GROWS),
				    0ULL, "no same-size grow in %ums",
				    max(max_ms, duration_ms));
	KUNIT_EXPECT_GT_MSG(test, torture_delta(now, before, HMAP_STAT_SHRINKS), 0ULL,
			    "no shrink in %ums", max(max_ms, duration_ms));
	if (cfg->failslab)
		KUNIT_EXPECT_GT_MSG(test, sum.enomem, 0UL,
				    "no operation failed with -ENOMEM: is failslab set up (tools/vm/torture.sh)?");
}

/*
 * Which hash (enum hmap_hash) and, for the inline case, which fast-path
 * key size. Together the cases cover each hash on each path (inline 4, 8
 * and 16 bytes, out of line); the matrix is not full, to keep make check
 * within its budget (make torture runs the same cases for longer).
 */
struct torture_param {
	u32 hash;
	u32 key_size;
};

static const struct torture_param torture_hashes[] = {
	{ HMAP_HASH_SIPHASH }, { HMAP_HASH_FAST },
};

static const struct torture_param torture_sip[] = { { HMAP_HASH_SIPHASH } };
static const struct torture_param torture_fast[] = { { HMAP_HASH_FAST } };

static const struct torture_param torture_fast_paths[] = {
	{ HMAP_HASH_SIPHASH, 4 }, { HMAP_HASH_SIPHASH, 8 },
	{ HMAP_HASH_FAST, 8 }, { HMAP_HASH_FAST, 16 },
};

static void torture_param_desc(const struct torture_param *p, char *desc)
{
	if (p->key_size)
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s key %u",
			 hmap_test_hash_name(p->hash), p->key_size);
	else
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s",
			 hmap_test_hash_name(p->hash));
}

KUNIT_ARRAY_PARAM(torture_hashes, torture_hashes, torture_param_desc);
KUNIT_ARRAY_PARAM(torture_sip, torture_sip, torture_param_desc);
KUNIT_ARRAY_PARAM(torture_fast, torture_fast, torture_param_desc);
KUNIT_ARRAY_PARAM(torture_fast_paths, torture_fast_paths, torture_param_desc);

/* "@base (hash, key N)", in a buffer of the case. */
static const char *torture_name(struct kunit *test, const char *base,
				const struct torture_param *p, u32 key_size)
{
	char *name = torture_alloc(test, 1, TORTURE_MSG);

	snprintf(name, TORTURE_MSG, "%s (%s, key %u)", base,
		 hmap_test_hash_name(p->hash), key_size);
	return name;
}

static void torture_inline(struct kunit *test)
{
	const struct torture_param *p = test->param_value;
	const struct torture_cfg cfg = {
		.name = torture_name(test, "inline", p, p->key_size),
		.hash = p->hash, .key_size = p->key_size,
		.value_size = value_size, .stable = stable_keys, .keys = keys,
	};

	torture_run(test, &cfg);
}

static void torture_out_of_line(struct kunit *test)
{
	const struct torture_param *p = test->param_value;
	const struct torture_cfg cfg = {
		.name = torture_name(test, "out_of_line", p, 136),
		.hash = p->hash, .key_size = 136, .value_size = 200,
		.stable = stable_keys, .keys = keys,
	};

	torture_run(test, &cfg);
}

/*
 * Few keys, all in one or two buckets, read and rewritten without pause:
 * every access meets others on the same slots, which is what a data-race
 * detector that samples accesses (KCSAN) needs to see races. Half the
 * writes rewrite values in place, the rest insert and delete, so the map
 * grows and shrinks between 1 and 4 buckets; no phases, and no counter
 * must move.
 */
static void torture_hot_keys(struct kunit *test)
{
	const struct torture_param *p = test->param_value;
	const struct torture_cfg cfg = {
		.name = torture_name(test, "hot_keys", p, 8),
		.hash = p->hash, .key_size = 8, .value_size = 64,
		.stable = 4, .keys = 12, .hot = true,
	};

	torture_run(test, &cfg);
}

/*
 * The failslab cases: 416 keys, a load of at most 104 entries, so that the
 * arrays stay within a page (2^4 buckets of 152 bytes at most, see the top
 * of the file).
 */
static void torture_failslab(struct kunit *test, u32 key_size, u32 vsize,
			     const char *base)
{
	const struct torture_param *p = test->param_value;
	const struct torture_cfg cfg = {
		.name = torture_name(test, base, p, key_size),
		.hash = p->hash, .key_size = key_size, .value_size = vsize,
		.stable = 4, .keys = 412, .failslab = true,
	};

	if (!failslab_percent)
		kunit_skip(test, "failslab_percent=0 (tools/vm/torture.sh sets failslab up)");
	torture_run(test, &cfg);
}

static void torture_failslab_inline(struct kunit *test)
{
	torture_failslab(test, 8, 8, "failslab_inline");
}

static void torture_failslab_out_of_line(struct kunit *test)
{
	torture_failslab(test, 136, 136, "failslab_out_of_line");
}

/* Writers in process, softirq and hardirq context, a map of 2048+16 keys. */
static void torture_irq_writers(struct kunit *test)
{
	const struct torture_param *p = test->param_value;
	const struct torture_cfg cfg = {
		.name = torture_name(test, "irq_writers", p, 8),
		.hash = p->hash, .key_size = 8, .value_size = value_size,
		.stable = stable_keys, .keys = keys, .irq_writers = true,
	};

	torture_run(test, &cfg);
}

/* The same with failslab, on the failslab cases' small map. */
static void torture_failslab_irq_writers(struct kunit *test)
{
	const struct torture_param *p = test->param_value;
	const struct torture_cfg cfg = {
		.name = torture_name(test, "failslab_irq_writers", p, 8),
		.hash = p->hash, .key_size = 8, .value_size = 8,
		.stable = 4, .keys = 412, .failslab = true,
		.irq_writers = true,
	};

	if (!failslab_percent)
		kunit_skip(test, "failslab_percent=0 (tools/vm/torture.sh sets failslab up)");
	torture_run(test, &cfg);
}

/*
 * The irq writers on a map of 4 shards: each shard grows, same-size grows
 * and shrinks on its own while writers in every context cross all of
 * them, and readers' lookups and walks go through the router. The
 * counters checked are the shards' sums.
 */
static void torture_sharded_irq_writers(struct kunit *test)
{
	const struct torture_param *p = test->param_value;
	const struct torture_cfg cfg = {
		.name = torture_name(test, "sharded_irq_writers", p, 8),
		.hash = p->hash, .key_size = 8, .value_size = value_size,
		.stable = stable_keys, .keys = keys, .irq_writers = true,
		.shard_bits = 2,
	};

	torture_run(test, &cfg);
}

static struct kunit_case hmap_torture_cases[] = {
	KUNIT_CASE_PARAM_ATTR(torture_inline, torture_fast_paths_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(torture_out_of_line, torture_hashes_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(torture_hot_keys, torture_fast_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(torture_failslab_inline, torture_sip_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(torture_failslab_out_of_line,
			      torture_fast_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(torture_irq_writers, torture_sip_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(torture_failslab_irq_writers,
			      torture_fast_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(torture_sharded_irq_writers,
			      torture_fast_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

HMAP_TEST_SUITE(hmap_torture, hmap_torture_cases);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hmap torture test: readers, writers, grows, shrinks, failslab");
