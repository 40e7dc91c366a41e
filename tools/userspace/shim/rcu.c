// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: RCU on liburcu's urcu-memb flavour.
 *
 * Readers are liburcu's. Grace periods are urcu_memb_synchronize_rcu(),
 * each numbered by a ticket taken before it starts: a cookie from
 * get_state_synchronize_rcu() is the next ticket, and it is done once a
 * grace period with that ticket or a later one has completed (that grace
 * period began after the cookie was taken, so it waited for every reader
 * that could see what was removed before).
 *
 * call_rcu() callbacks are queued here, not in liburcu, so that their grace
 * periods are numbered too: the shim's RCU thread takes the queue, runs a
 * grace period and invokes the batch, in order. The thread also runs
 * grace periods for cookies start_poll_synchronize_rcu() asked for. As in
 * the kernel, get_state_synchronize_rcu() asks for none: its cookie is
 * done only once someone else's grace period ran (a callback's, a
 * start_poll's, a synchronize_rcu()). In manual mode there is no thread;
 * shim_rcu_process() does one round, and shim_rcu_process_requested()
 * does one only if RCU was asked for a grace period, as an otherwise idle
 * kernel would.
 *
 * ThreadSanitizer cannot see liburcu's synchronization (membarrier and an
 * uninstrumented library), so the outermost rcu_read_unlock() releases a
 * sync object that synchronize_rcu() acquires after the grace period: what
 * a reader did happens before what the updater does after the grace
 * period, which is the RCU guarantee.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/compiler.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <shim.h>

#include "shim_internal.h"

#ifdef SHIM_TSAN
#include <sanitizer/tsan_interface.h>
#define shim_tsan_release(a)	__tsan_release(a)
#define shim_tsan_acquire(a)	__tsan_acquire(a)
#else
#define shim_tsan_release(a)	do { } while (0)
#define shim_tsan_acquire(a)	do { } while (0)
#endif

/* liburcu-memb's API, declared here: its headers #define rcu_read_lock. */
#ifndef SHIM_BENCH	/* <urcu/static/urcu-memb.h> has them inline */
extern void urcu_memb_read_lock(void);
extern void urcu_memb_read_unlock(void);
#endif
extern void urcu_memb_synchronize_rcu(void);
extern void urcu_memb_register_thread(void);
extern void urcu_memb_unregister_thread(void);

static char shim_gp_sync __maybe_unused;		/* the TSan sync object, by address */
static unsigned long gp_started;	/* last ticket handed out */
static unsigned long gp_done;		/* highest ticket completed */

static pthread_mutex_t rcu_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t rcu_wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t rcu_done = PTHREAD_COND_INITIALIZER;
static struct rcu_head *cb_head, **cb_tail = &cb_head;
static unsigned long cb_queued, cb_invoked;	/* under rcu_lock */
static unsigned long gp_wanted;	/* start_poll's latest cookie, under rcu_lock */
static bool rcu_thread_on, rcu_thread_stop;
static pthread_t rcu_thread;

static __thread bool rcu_registered;
static pthread_key_t rcu_key;
static pthread_once_t rcu_key_once = PTHREAD_ONCE_INIT;

static void shim_rcu_thread_exit(void *arg)
{
	shim_rcu_unregister_thread();
}

static void shim_rcu_key_init(void)
{
	if (pthread_key_create(&rcu_key, shim_rcu_thread_exit))
		abort();
}

static void shim_rcu_register(void)
{
	pthread_once(&rcu_key_once, shim_rcu_key_init);
	urcu_memb_register_thread();
	rcu_registered = true;
	/* Non-NULL, so the destructor runs at thread exit. */
	pthread_setspecific(rcu_key, &rcu_registered);
}

void shim_rcu_unregister_thread(void)
{
	if (!rcu_registered)
		return;
	if (shim_rcu_depth)
		shim_warn(__FILE__, __LINE__, "thread exits inside rcu_read_lock()");
	urcu_memb_unregister_thread();
	rcu_registered = false;
}

void (*shim_read_hook)(void);
static __thread int saved_rcu_depth, saved_atomic_depth, other_thread;

void shim_set_read_hook(void (*fn)(void))
{
	shim_read_hook = fn;
}

void shim_other_thread_begin(void)
{
	if (other_thread++)
		return;
	saved_rcu_depth = shim_rcu_depth;
	saved_atomic_depth = shim_atomic_depth;
	shim_rcu_depth = 0;
	shim_atomic_depth = 0;
}

void shim_other_thread_end(void)
{
	if (--other_thread)
		return;
	shim_rcu_depth = saved_rcu_depth;
	shim_atomic_depth = saved_atomic_depth;
}

#ifdef SHIM_BENCH
/* The read side is inline (<linux/rcupdate.h>); threads register here. */
#include <shim/bench.h>

void shim_bench_thread_enter(int cpu)
{
	shim_set_cpu(cpu);
	if (!rcu_registered)
		shim_rcu_register();
}

void shim_bench_thread_leave(void)
{
	shim_rcu_unregister_thread();
}
#else
void rcu_read_lock(void)
{
	if (shim_rcu_depth++)
		return;
	if (!rcu_registered)
		shim_rcu_register();
	urcu_memb_read_lock();
}

void rcu_read_unlock(void)
{
	if (shim_rcu_depth <= 0) {
		shim_warn(__FILE__, __LINE__, "rcu_read_unlock() without rcu_read_lock()");
		return;
	}
	if (--shim_rcu_depth)
		return;
	shim_tsan_release(&shim_gp_sync);
	urcu_memb_read_unlock();
}
#endif

void synchronize_rcu(void)
{
	unsigned long ticket, done;

#ifndef SHIM_BENCH
	if (shim_rcu_depth) {
		shim_warn(__FILE__, __LINE__, "synchronize_rcu() inside rcu_read_lock() (deadlock)");
		return;
	}
	might_sleep();
#endif
	ticket = __atomic_add_fetch(&gp_started, 1, __ATOMIC_SEQ_CST);
	urcu_memb_synchronize_rcu();
	shim_tsan_acquire(&shim_gp_sync);
	done = __atomic_load_n(&gp_done, __ATOMIC_RELAXED);
	while ((long)(ticket - done) > 0 &&
	       !__atomic_compare_exchange_n(&gp_done, &done, ticket, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
}

unsigned long shim_rcu_grace_periods(void)
{
	return __atomic_load_n(&gp_done, __ATOMIC_ACQUIRE);
}

bool poll_state_synchronize_rcu(unsigned long cookie)
{
	return (long)(__atomic_load_n(&gp_done, __ATOMIC_ACQUIRE) - cookie) >= 0;
}

/* RCU is asked for a grace period that completes @cookie. */
static void shim_rcu_want(unsigned long cookie)
{
	pthread_mutex_lock(&rcu_lock);
	if ((long)(cookie - gp_wanted) > 0) {
		gp_wanted = cookie;
		if (!shim_is_manual) {
			shim_rcu_thread_start();
			pthread_cond_signal(&rcu_wake);
		}
	}
	pthread_mutex_unlock(&rcu_lock);
}

/* A snapshot only: nothing makes a grace period start for it. */
unsigned long get_state_synchronize_rcu(void)
{
	return __atomic_load_n(&gp_started, __ATOMIC_SEQ_CST) + 1;
}

/*
 * The snapshot, and a grace period asked for. (The kernel's requires
 * interrupts enabled; the shim cannot tell them from preemption off, so
 * it does not check that.)
 */
unsigned long start_poll_synchronize_rcu(void)
{
	unsigned long cookie = get_state_synchronize_rcu();

	shim_rcu_want(cookie);
	return cookie;
}

void cond_synchronize_rcu(unsigned long cookie)
{
	if (!poll_state_synchronize_rcu(cookie))
		synchronize_rcu();
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	head->next = NULL;
	pthread_mutex_lock(&rcu_lock);
	*cb_tail = head;
	cb_tail = &head->next;
	cb_queued++;
	if (!shim_is_manual) {
		shim_rcu_thread_start();
		pthread_cond_signal(&rcu_wake);
	}
	pthread_mutex_unlock(&rcu_lock);
}

static void shim_kfree_rcu_cb(struct rcu_head *head)
{
	shim_kfree((char *)head - head->kfree_offset);
}

void shim_kfree_rcu(void *ptr, size_t offset)
{
	struct rcu_head *head = (struct rcu_head *)((char *)ptr + offset);

	head->kfree_offset = offset;
	call_rcu(head, shim_kfree_rcu_cb);
}

/* Takes the queued callbacks, runs a grace period, invokes them. */
static unsigned long shim_rcu_round(void)
{
	struct rcu_head *list, *next;
	unsigned long n = 0;

	pthread_mutex_lock(&rcu_lock);
	list = cb_head;
	cb_head = NULL;
	cb_tail = &cb_head;
	pthread_mutex_unlock(&rcu_lock);

	synchronize_rcu();
	for (; list; list = next) {
		next = list->next;
		list->func(list);
		n++;
	}

	pthread_mutex_lock(&rcu_lock);
	cb_invoked += n;
	pthread_cond_broadcast(&rcu_done);
	pthread_mutex_unlock(&rcu_lock);
	return n;
}

/* How long the RCU thread lets callbacks gather before a grace period. */
#define SHIM_RCU_BATCH_US	3000

static void *shim_rcu_thread_fn(void *arg)
{
#ifdef SHIM_BENCH
	shim_bench_thread_enter(SHIM_BENCH_CPU_RCU);
#endif
	pthread_mutex_lock(&rcu_lock);
	for (;;) {
		while (!rcu_thread_stop && !cb_head &&
		       (long)(gp_wanted - __atomic_load_n(&gp_done, __ATOMIC_RELAXED)) <= 0)
			pthread_cond_wait(&rcu_wake, &rcu_lock);
		if (rcu_thread_stop && !cb_head)
			break;
		pthread_mutex_unlock(&rcu_lock);
		/*
		 * As the kernel's, a grace period takes milliseconds: the
		 * callbacks of a burst are batched, and a caller does not see
		 * what it deferred done within microseconds of deferring it.
		 */
		usleep(SHIM_RCU_BATCH_US);
		shim_rcu_round();
		pthread_mutex_lock(&rcu_lock);
	}
	pthread_mutex_unlock(&rcu_lock);
	return NULL;
}

/* Called with rcu_lock held. */
void shim_rcu_thread_start(void)
{
	if (rcu_thread_on)
		return;
	rcu_thread_stop = false;
	if (pthread_create(&rcu_thread, NULL, shim_rcu_thread_fn, NULL))
		abort();
	rcu_thread_on = true;
}

void shim_rcu_thread_stop(void)
{
	shim_thread_stop(&rcu_lock, &rcu_wake, &rcu_thread, &rcu_thread_on,
			 &rcu_thread_stop);
}

void rcu_barrier(void)
{
	unsigned long target;

	might_sleep();
	pthread_mutex_lock(&rcu_lock);
	target = cb_queued;
	if (shim_is_manual) {
		pthread_mutex_unlock(&rcu_lock);
		while (__atomic_load_n(&cb_invoked, __ATOMIC_RELAXED) < target)
			shim_rcu_round();
		return;
	}
	if (cb_invoked < target) {
		shim_rcu_thread_start();
		pthread_cond_signal(&rcu_wake);
	}
	while (cb_invoked < target)
		pthread_cond_wait(&rcu_done, &rcu_lock);
	pthread_mutex_unlock(&rcu_lock);
}

unsigned long shim_rcu_process(void)
{
	unsigned long before;

	if (shim_is_manual)
		return shim_rcu_round();
	pthread_mutex_lock(&rcu_lock);
	before = cb_invoked;
	pthread_mutex_unlock(&rcu_lock);
	rcu_barrier();
	synchronize_rcu();
	pthread_mutex_lock(&rcu_lock);
	before = cb_invoked - before;
	pthread_mutex_unlock(&rcu_lock);
	return before;
}

bool shim_rcu_gp_requested(void)
{
	bool req;

	pthread_mutex_lock(&rcu_lock);
	req = cb_head || !poll_state_synchronize_rcu(gp_wanted);
	pthread_mutex_unlock(&rcu_lock);
	return req;
}

bool shim_rcu_process_requested(void)
{
	if (!shim_rcu_gp_requested())
		return false;
	shim_rcu_process();
	return true;
}

unsigned long shim_rcu_pending(void)
{
	unsigned long n;

	pthread_mutex_lock(&rcu_lock);
	n = cb_queued - cb_invoked;
	pthread_mutex_unlock(&rcu_lock);
	return n;
}

bool shim_rcu_idle(void)
{
	return !shim_rcu_pending();
}
