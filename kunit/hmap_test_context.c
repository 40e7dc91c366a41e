// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "hmap_context": the writers from the contexts kernel maps
 * are written in: softirq (a timer), hardirq (an hrtimer in hard mode),
 * and under a caller's spinlock or raw spinlock, all with GFP_ATOMIC.
 * Each case runs one workload, a batch of writes per call into that
 * context, through double grows, a same-size grow, shrinks and a clear,
 * and each call asserts the context it ran in. Writes that may not sleep
 * take memory only from what the map's worker keeps ready: a write that
 * finds none gets -ENOMEM with the map unchanged, and the workload retries
 * it in the next batch, after the test thread has let the worker run.
 *
 * Kernel only: the userspace build has no timers or interrupts.
 */
#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <kunit/test.h>

#include "hmap_core.h"
#include "hmap_test.h"

/* Writes per call into the context: short enough for a hardirq. */
#define CTX_BATCH	48
/* Calls into the context before a case gives up. */
#define CTX_MAX_CALLS	20000
/* Keys held during the churn: a load of 6 at B 4, as in hmap_grow. */
#define CTX_CHURN_HOLD	96
/* Keys the map grows to after the churn. */
#define CTX_GROW_KEYS	1200
/* Churn rounds (a delete and an insert) before a case gives up. */
#define CTX_CHURN_MAX	50000

enum ctx_kind { CTX_SOFTIRQ, CTX_HARDIRQ, CTX_SPINLOCK, CTX_RAW_SPINLOCK };

enum ctx_phase {
	PH_FILL,	/* insert [0, CTX_CHURN_HOLD): double grows */
	PH_CHURN,	/* delete the oldest, insert the next: a same-size grow */
	PH_GROW,	/* insert up to CTX_GROW_KEYS live keys: double grows */
	PH_DRAIN,	/* delete every key: shrinks */
	PH_SETTLE,	/* the test thread waits for the shrinks to end */
	PH_CLEAR,	/* insert a few, clear */
	PH_DONE,
};

struct ctx_run {
	struct kunit *test;
	struct hmap *map;
	enum ctx_kind kind;
	enum ctx_phase phase;
	u32 first, next;	/* live keys are [first, next) */
	u32 churns;
	u32 calls, enomem, wrong_context, failures;
	int last_err;
	struct timer_list timer;
	struct hrtimer hrtimer;
	struct completion done;
	spinlock_t lock;		/* held around each batch of CTX_SPINLOCK */
	raw_spinlock_t raw_lock;	/* and of CTX_RAW_SPINLOCK */
};

static bool ctx_in_context(struct ctx_run *r)
{
	switch (r->kind) {
	case CTX_SOFTIRQ:
		return in_serving_softirq() && !in_hardirq();
	case CTX_HARDIRQ:
		return in_hardirq() && irqs_disabled();
	case CTX_SPINLOCK:
		return lockdep_is_held(&r->lock) && !in_interrupt();
	default:
		return lockdep_is_held(&r->raw_lock) && irqs_disabled();
	}
}

static int ctx_insert(struct ctx_run *r)
{
	u8 key[8], value[8];

	hmap_test_key(key, 8, r->next);
	hmap_test_value(value, 8, r->next, 1);
	return hmap_update(r->map, key, value, HMAP_UPDATE_NOEXIST, GFP_ATOMIC);
}

static int ctx_delete(struct ctx_run *r)
{
	u8 key[8];

	hmap_test_key(key, 8, r->first);
	return hmap_delete(r->map, key, GFP_ATOMIC);
}

/* One write of the workload; advances it unless the write failed. */
static int ctx_step(struct ctx_run *r)
{
	int err = 0;

	switch (r->phase) {
	case PH_FILL:
	case PH_GROW:
		err = ctx_insert(r);
		if (!err && ++r->next - r->first ==
		    (r->phase == PH_FILL ? CTX_CHURN_HOLD : CTX_GROW_KEYS))
			r->phase++;
		break;
	case PH_CHURN:
		/* Delete the oldest key, then insert a new one. */
		if (r->next - r->first == CTX_CHURN_HOLD) {
			err = ctx_delete(r);
			if (!err)
				r->first++;
			break;
		}
		/* The test thread ends the churn at the same-size grow. */
		err = ctx_insert(r);
		if (!err) {
			r->next++;
			r->churns++;
		}
		break;
	case PH_DRAIN:
		err = ctx_delete(r);
		if (!err && ++r->first == r->next)
			r->phase++;
		break;
	case PH_CLEAR:
		if (r->next - r->first < 20) {
			err = ctx_insert(r);
			if (!err)
				r->next++;
			break;
		}
		err = hmap_clear(r->map, GFP_ATOMIC);
		if (!err) {
			r->first = r->next;
			r->phase++;
		}
		break;
	default:
		break;
	}
	return err;
}

/* One call into the context: a batch of writes, stopping at -ENOMEM. */
static void ctx_batch(struct ctx_run *r)
{
	int i, err;

	r->calls++;
	if (!ctx_in_context(r))
		r->wrong_context++;
	for (i = 0; i < CTX_BATCH && r->phase != PH_DONE; i++) {
		err = ctx_step(r);
		if (err == -ENOMEM) {
			r->enomem++;
			break;
		}
		if (err) {
			r->failures++;
			r->last_err = err;
			r->phase = PH_DONE;
		}
	}
}

static void ctx_timer_fn(struct timer_list *t)
{
	struct ctx_run *r = from_timer(r, t, timer);

	ctx_batch(r);
	complete(&r->done);
}

static enum hrtimer_restart ctx_hrtimer_fn(struct hrtimer *t)
{
	struct ctx_run *r = container_of(t, struct ctx_run, hrtimer);

	ctx_batch(r);
	complete(&r->done);
	return HRTIMER_NORESTART;
}

static void ctx_call(struct ctx_run *r)
{
	unsigned long flags;

	switch (r->kind) {
	case CTX_SOFTIRQ:
		reinit_completion(&r->done);
		mod_timer(&r->timer, jiffies);
		wait_for_completion(&r->done);
		break;
	case CTX_HARDIRQ:
		reinit_completion(&r->done);
		hrtimer_start(&r->hrtimer, ns_to_ktime(10 * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_HARD);
		wait_for_completion(&r->done);
		break;
	case CTX_SPINLOCK:
		spin_lock(&r->lock);
		ctx_batch(r);
		spin_unlock(&r->lock);
		break;
	default:
		raw_spin_lock_irqsave(&r->raw_lock, flags);
		ctx_batch(r);
		raw_spin_unlock_irqrestore(&r->raw_lock, flags);
		break;
	}
}

static void ctx_run_workload(struct kunit *test, enum ctx_kind kind)
{
	struct ctx_run *r = hmap_test_buf(test, sizeof(*r));
	struct hmap_info *before, *after, *now;

	r->test = test;
	r->kind = kind;
	r->map = hmap_test_create(test, 8, 8, 0);
	init_completion(&r->done);
	spin_lock_init(&r->lock);
	raw_spin_lock_init(&r->raw_lock);
	timer_setup(&r->timer, ctx_timer_fn, 0);
	hrtimer_init(&r->hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	r->hrtimer.function = ctx_hrtimer_fn;
	before = hmap_test_info(test, r->map);
	now = hmap_test_buf(test, sizeof(*now));

	while (r->phase != PH_DONE && r->calls < CTX_MAX_CALLS) {
		ctx_call(r);
		/* Let the worker stock the caches and make the arrays. */
		flush_delayed_work(&r->map->evac_work);
		hmap_get_info(r->map, now);
		if (r->phase == PH_CHURN &&
		    (now->counters[HMAP_STAT_SAMESIZE_GROWS] !=
		     before->counters[HMAP_STAT_SAMESIZE_GROWS] ||
		     r->churns >= CTX_CHURN_MAX))
			r->phase = PH_GROW;
		/*
		 * Emptied, the map shrinks one half at a time; each shrink
		 * ends once writes pause, and the worker starts the next.
		 */
		if (r->phase == PH_SETTLE) {
			KUNIT_EXPECT_TRUE_MSG(test, hmap_test_wait(r->map, now,
								   hmap_test_one_bucket),
					      "emptied map at B %u", now->B);
			r->phase = PH_CLEAR;
		}
		cond_resched();
	}
	del_timer_sync(&r->timer);
	hrtimer_cancel(&r->hrtimer);

	/* The worker finishes what the last writes started. */
	after = hmap_test_buf(test, sizeof(*after));
	KUNIT_EXPECT_TRUE_MSG(test, hmap_test_wait(r->map, after,
						   hmap_test_not_growing),
			      "still growing after the workload");
	KUNIT_EXPECT_EQ_MSG(test, r->wrong_context, 0U,
			    "%u of %u calls ran in another context",
			    r->wrong_context, r->calls);
	KUNIT_EXPECT_EQ_MSG(test, r->failures, 0U, "a write failed with %d",
			    r->last_err);
	KUNIT_ASSERT_EQ_MSG(test, r->phase, PH_DONE,
			    "workload at phase %u after %u calls (%u -ENOMEM)",
			    r->phase, r->calls, r->enomem);
	KUNIT_EXPECT_GT_MSG(test, after->counters[HMAP_STAT_GROWS] -
			    before->counters[HMAP_STAT_GROWS], 4ULL, "double grows");
	KUNIT_EXPECT_GT_MSG(test, after->counters[HMAP_STAT_SAMESIZE_GROWS],
			    before->counters[HMAP_STAT_SAMESIZE_GROWS],
			    "no same-size grow in %u churns", r->churns);
	/* From B 8 with CTX_GROW_KEYS keys down to one bucket. */
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_SHRINKS] -
			    before->counters[HMAP_STAT_SHRINKS], 8ULL, "shrinks");
	KUNIT_EXPECT_EQ_MSG(test, after->counters[HMAP_STAT_CLEARS] -
			    before->counters[HMAP_STAT_CLEARS], 1ULL, "clears");
	KUNIT_EXPECT_EQ(test, after->count, 0ULL);
	KUNIT_EXPECT_EQ(test, hmap_verify(r->map), 0);
	kunit_info(test, "%u calls, %u -ENOMEM, %u churns", r->calls, r->enomem,
		   r->churns);
}

static void writers_in_softirq_timer(struct kunit *test)
{
	ctx_run_workload(test, CTX_SOFTIRQ);
}

static void writers_in_hardirq_hrtimer(struct kunit *test)
{
	ctx_run_workload(test, CTX_HARDIRQ);
}

static void writers_under_spinlock(struct kunit *test)
{
	ctx_run_workload(test, CTX_SPINLOCK);
}

static void writers_under_raw_spinlock(struct kunit *test)
{
	ctx_run_workload(test, CTX_RAW_SPINLOCK);
}

static struct kunit_case hmap_context_cases[] = {
	KUNIT_CASE(writers_in_softirq_timer),
	KUNIT_CASE(writers_in_hardirq_hrtimer),
	KUNIT_CASE(writers_under_spinlock),
	KUNIT_CASE(writers_under_raw_spinlock),
	{}
};

HMAP_TEST_SUITE(hmap_context, hmap_context_cases);
