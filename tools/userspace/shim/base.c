// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: warnings, execution context checks, locks, per-CPU
 * memory, jiffies, randomness and shrinkers.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <linux/bug.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <shim.h>

#include "shim_internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define SHIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHIM_ASAN 1
#endif
#endif
#ifdef SHIM_ASAN
#include <sanitizer/asan_interface.h>
#endif

bool shim_is_manual;

__thread int shim_atomic_depth;
__thread int shim_rt_atomic_depth;
__thread int shim_rcu_depth;
__thread char shim_thread_marker;
__thread int shim_cpu = -1;

static unsigned long shim_warn_count;
static bool shim_warn_fatal, shim_warn_quiet;

void shim_set_manual(bool manual)
{
	shim_is_manual = manual;
}

bool shim_manual(void)
{
	return shim_is_manual;
}

unsigned long shim_warnings(void)
{
	return __atomic_load_n(&shim_warn_count, __ATOMIC_RELAXED);
}

void shim_set_warn_fatal(bool fatal)
{
	shim_warn_fatal = fatal;
}

void shim_set_warn_quiet(bool quiet)
{
	shim_warn_quiet = quiet;
}

/* Provided by every sanitizer runtime; absent in a plain build. */
extern void __sanitizer_print_stack_trace(void) __attribute__((weak));

void shim_warn(const char *file, int line, const char *what)
{
	__atomic_fetch_add(&shim_warn_count, 1, __ATOMIC_RELAXED);
	if (shim_warn_quiet && !shim_warn_fatal)
		return;
	fprintf(stderr, "WARNING: %s:%d: %s\n", file, line, what);
	if (__sanitizer_print_stack_trace)
		__sanitizer_print_stack_trace();
	if (shim_warn_fatal)
		abort();
}

void shim_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "BUG: %s:%d: %s\n", file, line, what);
	if (__sanitizer_print_stack_trace)
		__sanitizer_print_stack_trace();
	abort();
}

void shim_lockdep_warn(const char *file, int line, const char *what)
{
	shim_warn(file, line, what);
}

void shim_might_sleep(const char *file, int line)
{
	static __thread unsigned int calls;

	/*
	 * A point where the kernel may reschedule: now and then, let the
	 * other threads of this CPU run (reader kthreads would otherwise
	 * starve behind a writer on a loaded machine).
	 */
	if (!(++calls & 255))
		sched_yield();
	if (shim_atomic_depth > 0)
		shim_warn(file, line, "sleeping function called from atomic context");
	else if (shim_rcu_depth > 0)
		shim_warn(file, line, "sleeping function called inside rcu_read_lock()");
}

void shim_rt_check(const char *file, int line, const char *what)
{
	char msg[128];

	if (shim_rt_atomic_depth <= 0)
		return;
	snprintf(msg, sizeof(msg), "%s in atomic context: not allowed on PREEMPT_RT", what);
	shim_warn(file, line, msg);
}

void shim_cpu_relax(void)
{
	static __thread unsigned int spins;

#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
	/* A writer preempted inside its section would otherwise starve. */
	if (!(++spins & 63))
		sched_yield();
}

/* ---- per-CPU ---- */

int shim_cpu_assign(void)
{
	static unsigned int next;

	shim_cpu = __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED) % SHIM_NR_CPUS;
	return shim_cpu;
}

void shim_set_cpu(int cpu)
{
	if (cpu < 0 || cpu >= SHIM_NR_CPUS)
		shim_bug(__FILE__, __LINE__, "shim_set_cpu: no such CPU");
	shim_cpu = cpu;
}

void *shim_alloc_percpu(size_t size, gfp_t gfp, const char *file, int line)
{
	char *p;

	if (size > SHIM_PCPU_STRIDE)
		shim_bug(file, line, "per-CPU object larger than SHIM_PCPU_STRIDE");
	p = shim_kmalloc((size_t)SHIM_NR_CPUS * SHIM_PCPU_STRIDE,
			 gfp | __GFP_ZERO, file, line);
#ifdef SHIM_ASAN
	/* Between the copies: an overrun of one copy is an ASan report. */
	if (p && size < SHIM_PCPU_STRIDE)
		for (int cpu = 0; cpu < SHIM_NR_CPUS; cpu++)
			ASAN_POISON_MEMORY_REGION(p + cpu * SHIM_PCPU_STRIDE + size,
						  SHIM_PCPU_STRIDE - size);
#endif
	return p;
}

void shim_free_percpu(void *p)
{
#ifdef SHIM_ASAN
	if (p)
		ASAN_UNPOISON_MEMORY_REGION(p, (size_t)SHIM_NR_CPUS * SHIM_PCPU_STRIDE);
#endif
	shim_kfree(p);
}

/* ---- locks ---- */

#ifndef SHIM_BENCH	/* the benchmark build's are inline, <linux/mutex.h> */

/* Locks are error-checking mutexes: a recursive lock is a BUG, not a hang. */
static void shim_errorcheck_init(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

void shim_spin_lock_init(spinlock_t *l)
{
	shim_errorcheck_init(&l->m);
	l->owner = 0;
}

static void shim_lock_fail(int err, const char *what)
{
	char msg[96];

	snprintf(msg, sizeof(msg), "%s: %s", what,
		 err == EDEADLK ? "recursive locking (deadlock)" : strerror(err));
	shim_bug(__FILE__, __LINE__, msg);
}

static void shim_lock(spinlock_t *l)
{
	int err = pthread_mutex_lock(&l->m);

	if (err)
		shim_lock_fail(err, "spin_lock");
	__atomic_store_n(&l->owner, shim_self(), __ATOMIC_RELAXED);
	shim_atomic_depth++;
}

static int shim_trylock(spinlock_t *l)
{
	if (pthread_mutex_trylock(&l->m))
		return 0;
	__atomic_store_n(&l->owner, shim_self(), __ATOMIC_RELAXED);
	shim_atomic_depth++;
	return 1;
}

static void shim_unlock(spinlock_t *l)
{
	int err;

	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) != shim_self())
		shim_bug(__FILE__, __LINE__, "spin_unlock of a lock this thread does not hold");
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
	shim_atomic_depth--;
	err = pthread_mutex_unlock(&l->m);
	if (err)
		shim_lock_fail(err, "spin_unlock");
}

void shim_spin_lock(spinlock_t *l)
{
	shim_rt_check(__FILE__, __LINE__, "spinlock_t");
	shim_lock(l);
}

int shim_spin_trylock(spinlock_t *l)
{
	shim_rt_check(__FILE__, __LINE__, "spinlock_t");
	return shim_trylock(l);
}

void shim_spin_unlock(spinlock_t *l)
{
	shim_unlock(l);
}

void shim_raw_spin_lock(raw_spinlock_t *l)
{
	shim_lock(shim_raw_lock(l));
	shim_rt_atomic_depth++;
}

int shim_raw_spin_trylock(raw_spinlock_t *l)
{
	if (!shim_trylock(shim_raw_lock(l)))
		return 0;
	shim_rt_atomic_depth++;
	return 1;
}

void shim_raw_spin_unlock(raw_spinlock_t *l)
{
	shim_rt_atomic_depth--;
	shim_unlock(shim_raw_lock(l));
}

void shim_mutex_init(struct mutex *m)
{
	shim_errorcheck_init(&m->m);
	m->owner = 0;
}

void shim_mutex_destroy(struct mutex *m)
{
	if (__atomic_load_n(&m->owner, __ATOMIC_RELAXED))
		shim_warn(__FILE__, __LINE__, "mutex_destroy() of a held mutex");
	pthread_mutex_destroy(&m->m);
}

void shim_mutex_lock(struct mutex *m, const char *file, int line)
{
	int err;

	shim_might_sleep(file, line);
	err = pthread_mutex_lock(&m->m);
	if (err)
		shim_lock_fail(err, "mutex_lock");
	__atomic_store_n(&m->owner, shim_self(), __ATOMIC_RELAXED);
}

int shim_mutex_trylock(struct mutex *m)
{
	if (pthread_mutex_trylock(&m->m))
		return 0;
	__atomic_store_n(&m->owner, shim_self(), __ATOMIC_RELAXED);
	return 1;
}

void shim_mutex_unlock(struct mutex *m)
{
	int err;

	if (__atomic_load_n(&m->owner, __ATOMIC_RELAXED) != shim_self())
		shim_bug(__FILE__, __LINE__, "mutex_unlock of a mutex this thread does not hold");
	__atomic_store_n(&m->owner, 0, __ATOMIC_RELAXED);
	err = pthread_mutex_unlock(&m->m);
	if (err)
		shim_lock_fail(err, "mutex_unlock");
}
#endif

/* ---- jiffies ---- */

static unsigned long shim_manual_clock;

static unsigned long shim_now_ms(void)
{
	static unsigned long start;
	struct timespec ts;
	unsigned long ms, s;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ms = ts.tv_sec * 1000UL + ts.tv_nsec / 1000000;
	s = __atomic_load_n(&start, __ATOMIC_RELAXED);
	if (!s) {
		unsigned long zero = 0;

		__atomic_compare_exchange_n(&start, &zero, ms, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
		s = __atomic_load_n(&start, __ATOMIC_RELAXED);
	}
	return ms - s;
}

unsigned long shim_jiffies(void)
{
	if (shim_is_manual)
		return INITIAL_JIFFIES + __atomic_load_n(&shim_manual_clock, __ATOMIC_RELAXED);
	return INITIAL_JIFFIES + shim_now_ms();
}

void shim_advance_jiffies(unsigned long n)
{
	__atomic_fetch_add(&shim_manual_clock, n, __ATOMIC_RELAXED);
}

/* ---- randomness ---- */

static pthread_mutex_t shim_random_lock = PTHREAD_MUTEX_INITIALIZER;
static bool shim_random_fixed;
static u64 shim_random_state;

void shim_random_seed(u64 seed)
{
	pthread_mutex_lock(&shim_random_lock);
	shim_random_fixed = seed != 0;
	shim_random_state = seed;
	pthread_mutex_unlock(&shim_random_lock);
}

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	pthread_mutex_lock(&shim_random_lock);
	if (shim_random_fixed) {
		while (len) {
			u64 r = shim_splitmix64(&shim_random_state);
			size_t n = len < 8 ? len : 8;

			memcpy(p, &r, n);
			p += n;
			len -= n;
		}
	}
	pthread_mutex_unlock(&shim_random_lock);
	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			shim_bug(__FILE__, __LINE__, "getrandom failed");
		}
		p += n;
		len -= n;
	}
}

u32 get_random_u32(void)
{
	u32 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

u64 get_random_u64(void)
{
	u64 v;

	get_random_bytes(&v, sizeof(v));
	return v;
}

/* ---- shrinkers ---- */

static LIST_HEAD(shim_shrinkers);
static pthread_mutex_t shim_shrinker_lock = PTHREAD_MUTEX_INITIALIZER;

struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...)
{
	struct shrinker *s = calloc(1, sizeof(*s));
	va_list ap;

	if (!s)
		return NULL;
	s->flags = flags;
	s->seeks = DEFAULT_SEEKS;
	va_start(ap, fmt);
	vsnprintf(s->name, sizeof(s->name), fmt, ap);
	va_end(ap);
	INIT_LIST_HEAD(&s->list);
	return s;
}

void shrinker_register(struct shrinker *s)
{
	pthread_mutex_lock(&shim_shrinker_lock);
	list_add_tail(&s->list, &shim_shrinkers);
	s->registered = true;
	pthread_mutex_unlock(&shim_shrinker_lock);
}

void shrinker_free(struct shrinker *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&shim_shrinker_lock);
	if (s->registered)
		list_del_init(&s->list);
	pthread_mutex_unlock(&shim_shrinker_lock);
	free(s);
}

/*
 * Every shrinker's count; with @scan, then its scan of @nr objects where
 * the count found any. Returns the sum of the counts, or of the scans.
 */
static unsigned long shim_shrinkers_call(unsigned long nr, bool scan,
					 struct mem_cgroup *memcg)
{
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .memcg = memcg };
	unsigned long counted = 0, freed = 0, n;
	struct shrinker *s;

	pthread_mutex_lock(&shim_shrinker_lock);
	list_for_each_entry(s, &shim_shrinkers, list) {
		/* Reclaim in a cgroup calls only the memcg-aware ones. */
		if (memcg && !(s->flags & SHRINKER_MEMCG_AWARE))
			continue;
		n = s->count_objects(s, &sc);
		if (n == 0 || n == SHRINK_EMPTY)
			continue;
		counted += n;
		if (!scan)
			continue;
		sc.nr_to_scan = nr;
		sc.nr_scanned = nr;
		n = s->scan_objects(s, &sc);
		if (n != SHRINK_STOP)
			freed += n;
	}
	pthread_mutex_unlock(&shim_shrinker_lock);
	return scan ? freed : counted;
}

unsigned long shim_shrink_all(unsigned long nr)
{
	return shim_shrinkers_call(nr, true, NULL);
}

unsigned long shim_shrink_memcg(struct mem_cgroup *memcg, unsigned long nr)
{
	return shim_shrinkers_call(nr, true, memcg);
}

unsigned long shim_shrink_memcg_count(struct mem_cgroup *memcg)
{
	return shim_shrinkers_call(0, false, memcg);
}

unsigned long shim_shrink_count(void)
{
	return shim_shrinkers_call(0, false, NULL);
}

void shim_thread_stop(pthread_mutex_t *lock, pthread_cond_t *wake,
		      pthread_t *thread, bool *on, bool *stop)
{
	pthread_mutex_lock(lock);
	if (!*on) {
		pthread_mutex_unlock(lock);
		return;
	}
	*stop = true;
	pthread_cond_signal(wake);
	pthread_mutex_unlock(lock);
	pthread_join(*thread, NULL);
	pthread_mutex_lock(lock);
	*on = false;
	pthread_mutex_unlock(lock);
}

void shim_shutdown(void)
{
	shim_work_thread_stop();
	shim_rcu_thread_stop();
}
