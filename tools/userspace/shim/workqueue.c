// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: workqueues. One list of queued items for every queue,
 * run in order of queueing once due, by one worker thread, or by
 * shim_run_work() in manual mode.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/bug.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#ifdef SHIM_BENCH
#include <shim/bench.h>
#endif
#include <linux/sched.h>
#include <linux/workqueue.h>
#include <shim.h>

#include "shim_internal.h"

struct workqueue_struct {
	char name[32];
};

static struct workqueue_struct shim_system_wq = { "events" };
static struct workqueue_struct shim_system_unbound_wq = { "events_unbound" };
struct workqueue_struct *system_wq = &shim_system_wq;
struct workqueue_struct *system_unbound_wq = &shim_system_unbound_wq;

static pthread_mutex_t wq_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wq_wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t wq_done = PTHREAD_COND_INITIALIZER;
static LIST_HEAD(wq_items);			/* queued, in queueing order */
static struct work_struct *wq_running;		/* being run now */
static unsigned long wq_nr_queued;
static bool wq_thread_on, wq_thread_stop;
static pthread_t wq_thread;

void shim_init_work(struct work_struct *w, work_func_t func)
{
	memset(w, 0, sizeof(*w));
	INIT_LIST_HEAD(&w->entry);
	w->func = func;
}

struct workqueue_struct *shim_alloc_workqueue(const char *name)
{
	struct workqueue_struct *wq = calloc(1, sizeof(*wq));

	if (wq)
		strncpy(wq->name, name, sizeof(wq->name) - 1);
	return wq;
}

static void *shim_work_thread_fn(void *arg);

/* Called with wq_lock held: an item was queued. */
static void shim_work_kick(void)
{
	if (shim_is_manual)
		return;
	if (!wq_thread_on) {
		wq_thread_stop = false;
		if (pthread_create(&wq_thread, NULL, shim_work_thread_fn, NULL))
			abort();
		wq_thread_on = true;
	}
	pthread_cond_signal(&wq_wake);
}

static void __shim_queue(struct workqueue_struct *wq, struct work_struct *w,
			 unsigned long delay)
{
	w->wq = wq;
	w->due = jiffies + delay;
	list_add_tail(&w->entry, &wq_items);
	wq_nr_queued++;
	shim_work_kick();
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
			unsigned long delay)
{
	struct work_struct *w = &dw->work;
	bool queued = false;

	pthread_mutex_lock(&wq_lock);
	if (!w->pending) {
		w->pending = 1;
		__shim_queue(wq, w, delay);
		queued = true;
	}
	pthread_mutex_unlock(&wq_lock);
	return queued;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *w)
{
	return queue_delayed_work(wq, container_of(w, struct delayed_work, work), 0);
}

bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
		      unsigned long delay)
{
	struct work_struct *w = &dw->work;
	bool was;

	pthread_mutex_lock(&wq_lock);
	was = w->pending;
	if (was) {
		list_del_init(&w->entry);
		wq_nr_queued--;
	}
	w->pending = 1;
	__shim_queue(wq, w, delay);
	pthread_mutex_unlock(&wq_lock);
	return was;
}

static void shim_rcu_work_fn(struct rcu_head *head)
{
	struct rcu_work *rw = container_of(head, struct rcu_work, rcu);

	pthread_mutex_lock(&wq_lock);
	__shim_queue(rw->wq, &rw->work, 0);
	pthread_mutex_unlock(&wq_lock);
}

bool queue_rcu_work(struct workqueue_struct *wq, struct rcu_work *rw)
{
	struct work_struct *w = &rw->work;

	pthread_mutex_lock(&wq_lock);
	if (w->pending) {
		pthread_mutex_unlock(&wq_lock);
		return false;
	}
	w->pending = 1;
	rw->wq = wq;
	pthread_mutex_unlock(&wq_lock);
	call_rcu(&rw->rcu, shim_rcu_work_fn);
	return true;
}

bool shim_work_pending(struct work_struct *w)
{
	bool p;

	pthread_mutex_lock(&wq_lock);
	p = w->pending;
	pthread_mutex_unlock(&wq_lock);
	return p;
}

/* The first queued item that is due, taken off the list; wq_lock held. */
static struct work_struct *shim_take_due(struct workqueue_struct *wq)
{
	unsigned long now = jiffies;
	struct work_struct *w;

	list_for_each_entry(w, &wq_items, entry) {
		if (wq && w->wq != wq)
			continue;
		if (time_after_eq(now, w->due)) {
			list_del_init(&w->entry);
			wq_nr_queued--;
			w->pending = 0;
			return w;
		}
	}
	return NULL;
}

/* Runs @w, taken by shim_take_due(); wq_lock held, dropped meanwhile. */
static void shim_run_one(struct work_struct *w)
{
	wq_running = w;
	pthread_mutex_unlock(&wq_lock);
	w->func(w);		/* may free @w */
	if (shim_atomic_depth || shim_rcu_depth)
		shim_warn(__FILE__, __LINE__, "work item returned in atomic context or inside rcu_read_lock()");
	pthread_mutex_lock(&wq_lock);
	wq_running = NULL;
	pthread_cond_broadcast(&wq_done);
}

static void *shim_work_thread_fn(void *arg)
{
	struct work_struct *w;

#ifdef SHIM_BENCH
	shim_bench_thread_enter(SHIM_BENCH_CPU_WORK);
#endif

	pthread_mutex_lock(&wq_lock);
	while (!wq_thread_stop) {
		w = shim_take_due(NULL);
		if (w) {
			shim_run_one(w);
			continue;
		}
		if (list_empty(&wq_items)) {
			pthread_cond_wait(&wq_wake, &wq_lock);
		} else {
			/* Sleep until the earliest delayed item is due. */
			unsigned long now = jiffies, wait = ~0UL;
			struct timespec ts;

			list_for_each_entry(w, &wq_items, entry)
				if (w->due - now < wait)
					wait = w->due - now;
			if (wait > HZ)
				wait = HZ;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += (wait ? wait : 1) * (1000000000 / HZ);
			while (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&wq_wake, &wq_lock, &ts);
		}
	}
	pthread_mutex_unlock(&wq_lock);
	return NULL;
}

void shim_work_thread_stop(void)
{
	shim_thread_stop(&wq_lock, &wq_wake, &wq_thread, &wq_thread_on,
			 &wq_thread_stop);
}

unsigned int shim_run_work(void)
{
	struct work_struct *w;
	unsigned int n = 0;

	pthread_mutex_lock(&wq_lock);
	while ((w = shim_take_due(NULL))) {
		shim_run_one(w);
		n++;
	}
	pthread_mutex_unlock(&wq_lock);
	return n;
}

unsigned long shim_work_queued(void)
{
	unsigned long n;

	pthread_mutex_lock(&wq_lock);
	n = wq_nr_queued;
	pthread_mutex_unlock(&wq_lock);
	return n;
}

/* Whether an item of @wq (any if NULL) is due or running; wq_lock held. */
static bool shim_wq_busy(struct workqueue_struct *wq)
{
	unsigned long now = jiffies;
	struct work_struct *w;

	if (wq_running && (!wq || wq_running->wq == wq))
		return true;
	list_for_each_entry(w, &wq_items, entry)
		if ((!wq || w->wq == wq) && time_after_eq(now, w->due))
			return true;
	return false;
}

void flush_workqueue(struct workqueue_struct *wq)
{
	might_sleep();
	if (shim_is_manual) {
		shim_run_work();
		return;
	}
	pthread_mutex_lock(&wq_lock);
	while (shim_wq_busy(wq))
		pthread_cond_wait(&wq_done, &wq_lock);
	pthread_mutex_unlock(&wq_lock);
}

bool shim_work_idle(void)
{
	bool busy;

	pthread_mutex_lock(&wq_lock);
	busy = shim_wq_busy(NULL);
	pthread_mutex_unlock(&wq_lock);
	return !busy;
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	struct work_struct *w, *n;

	flush_workqueue(wq);
	pthread_mutex_lock(&wq_lock);
	list_for_each_entry_safe(w, n, &wq_items, entry) {
		if (w->wq != wq)
			continue;
		shim_warn(__FILE__, __LINE__, "destroy_workqueue() with delayed work pending");
		list_del_init(&w->entry);
		wq_nr_queued--;
		w->pending = 0;
	}
	pthread_mutex_unlock(&wq_lock);
	free(wq);
}

/* Takes @w off the queue if it is there; waits for it to finish running. */
static bool __shim_cancel(struct work_struct *w, bool wait)
{
	bool was = false;

	if (wait)
		might_sleep();
	pthread_mutex_lock(&wq_lock);
	for (;;) {
		/* Queued (not waiting for a grace period in queue_rcu_work). */
		if (w->pending && !list_empty(&w->entry)) {
			list_del_init(&w->entry);
			wq_nr_queued--;
			w->pending = 0;
			was = true;
		}
		if (!wait || wq_running != w)
			break;
		if (shim_is_manual || pthread_equal(pthread_self(), wq_thread)) {
			shim_warn(__FILE__, __LINE__, "work item cancels itself synchronously (deadlock)");
			break;
		}
		/* It may queue itself again while it runs: loop. */
		pthread_cond_wait(&wq_done, &wq_lock);
	}
	pthread_mutex_unlock(&wq_lock);
	return was;
}

bool cancel_work_sync(struct work_struct *w)
{
	return __shim_cancel(w, true);
}

bool cancel_delayed_work(struct delayed_work *dw)
{
	return __shim_cancel(&dw->work, false);
}

bool cancel_delayed_work_sync(struct delayed_work *dw)
{
	return __shim_cancel(&dw->work, true);
}

bool flush_work(struct work_struct *w)
{
	bool waited = false;

	might_sleep();
	if (shim_is_manual) {
		shim_run_work();
		return true;
	}
	pthread_mutex_lock(&wq_lock);
	while ((w->pending && !list_empty(&w->entry) && time_after_eq(jiffies, w->due)) ||
	       wq_running == w) {
		waited = true;
		pthread_cond_wait(&wq_done, &wq_lock);
	}
	pthread_mutex_unlock(&wq_lock);
	return waited;
}

bool flush_delayed_work(struct delayed_work *dw)
{
	pthread_mutex_lock(&wq_lock);
	if (dw->work.pending && !list_empty(&dw->work.entry))
		dw->work.due = jiffies;
	pthread_mutex_unlock(&wq_lock);
	return flush_work(&dw->work);
}

void shim_quiesce(void)
{
	for (;;) {
		unsigned long n = shim_rcu_process();

		if (shim_is_manual)
			n += shim_run_work();
		else
			flush_workqueue(NULL);
		if (!n && shim_rcu_idle() && shim_work_idle())
			break;
	}
}
