// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: kmalloc() and friends on malloc(), with allocation
 * failure injection and counters of live objects (a leak check that works
 * without a sanitizer).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/sched.h>
#include <linux/slab.h>
#include <shim.h>

#include "shim_internal.h"

static unsigned long fail_nth;		/* countdown, 0: off */
static bool fail_all;
static u32 fail_ppm;
static u64 fail_state;
static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned long n_live, n_total, n_failed;
static u64 live_bytes;

void shim_alloc_fail_nth(unsigned long n)
{
	__atomic_store_n(&fail_nth, n, __ATOMIC_RELAXED);
}

void shim_alloc_fail_all(bool on)
{
	__atomic_store_n(&fail_all, on, __ATOMIC_RELAXED);
}

void shim_alloc_fail_random(u32 ppm, u64 seed)
{
	pthread_mutex_lock(&fail_lock);
	fail_ppm = ppm;
	fail_state = seed;
	pthread_mutex_unlock(&fail_lock);
}

void shim_alloc_fail_off(void)
{
	shim_alloc_fail_nth(0);
	shim_alloc_fail_all(false);
	shim_alloc_fail_random(0, 0);
}

unsigned long shim_alloc_live(void)
{
	return __atomic_load_n(&n_live, __ATOMIC_RELAXED);
}

unsigned long shim_alloc_total(void)
{
	return __atomic_load_n(&n_total, __ATOMIC_RELAXED);
}

unsigned long shim_alloc_failures(void)
{
	return __atomic_load_n(&n_failed, __ATOMIC_RELAXED);
}

u64 shim_alloc_live_bytes(void)
{
	return __atomic_load_n(&live_bytes, __ATOMIC_RELAXED);
}

static bool shim_should_fail(gfp_t gfp)
{
	unsigned long n;
	bool fail = false;

	if (gfp & __GFP_NOFAIL)
		return false;
	if (__atomic_load_n(&fail_all, __ATOMIC_RELAXED))
		fail = true;
	n = __atomic_load_n(&fail_nth, __ATOMIC_RELAXED);
	while (!fail && n) {
		if (__atomic_compare_exchange_n(&fail_nth, &n, n - 1, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
			fail = n == 1;
			break;
		}
	}
	if (!fail && __atomic_load_n(&fail_ppm, __ATOMIC_RELAXED)) {
		pthread_mutex_lock(&fail_lock);
		fail = fail_ppm && shim_splitmix64(&fail_state) % 1000000 < fail_ppm;
		pthread_mutex_unlock(&fail_lock);
	}
	if (fail)
		__atomic_fetch_add(&n_failed, 1, __ATOMIC_RELAXED);
	return fail;
}

void *shim_kmalloc(size_t size, gfp_t gfp, const char *file, int line)
{
	void *p;

#ifdef SHIM_BENCH
	/* The benchmark build: malloc, no checks, no injection, no counts. */
	return (gfp & __GFP_ZERO) ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
#endif
	if (gfp & __GFP_DIRECT_RECLAIM)
		shim_might_sleep(file, line);
	shim_rt_check(file, line, "slab allocation");
	if (shim_should_fail(gfp))
		return NULL;
	p = (gfp & __GFP_ZERO) ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
	if (!p)
		return NULL;
	__atomic_fetch_add(&n_live, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&n_total, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&live_bytes, malloc_usable_size(p), __ATOMIC_RELAXED);
	return p;
}

void *shim_kcalloc(size_t n, size_t size, gfp_t gfp, const char *file, int line)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return shim_kmalloc(bytes, gfp, file, line);
}

static void (*shim_array_hook)(size_t bytes);
static __thread bool shim_in_array_hook;

void shim_set_array_hook(void (*fn)(size_t bytes))
{
	shim_array_hook = fn;
}

void *shim_kvcalloc(size_t n, size_t size, gfp_t gfp, const char *file, int line)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	if (shim_array_hook && !shim_in_array_hook) {
		shim_in_array_hook = true;
		shim_array_hook(bytes);
		shim_in_array_hook = false;
	}
	if (bytes > INT_MAX) {
		WARN_ON_ONCE(!(gfp & __GFP_NOWARN));
		return NULL;
	}
	return shim_kmalloc(bytes, gfp, file, line);
}

void shim_kfree(const void *p)
{
	if (!p)
		return;
#ifdef SHIM_BENCH
	free((void *)p);
	return;
#endif
	shim_rt_check(__FILE__, __LINE__, "kfree()");
	__atomic_fetch_sub(&live_bytes, malloc_usable_size((void *)p), __ATOMIC_RELAXED);
	__atomic_fetch_sub(&n_live, 1, __ATOMIC_RELAXED);
	free((void *)p);
}
