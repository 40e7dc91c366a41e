// SPDX-License-Identifier: GPL-2.0
/*
 * What the benchmark build of the shims (-DSHIM_BENCH, <shim/bench.h>)
 * needs beyond tools/userspace/shim: jiffies as a variable, as the
 * kernel's is (a load, not a clock_gettime() per write), advanced every
 * millisecond (HZ 1000) by a ticker thread that starts with the program.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <linux/jiffies.h>

unsigned long shim_bench_jiffies = INITIAL_JIFFIES;

static void *shim_bench_ticker(void *arg)
{
	struct timespec t0, now, next;
	unsigned long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	next = t0;
	for (;;) {
		next.tv_nsec += 1000000;
		if (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - t0.tv_sec) * 1000UL +
		     (now.tv_nsec - t0.tv_nsec) / 1000000;
		__atomic_store_n(&shim_bench_jiffies, INITIAL_JIFFIES + ms,
				 __ATOMIC_RELAXED);
	}
	return NULL;
}

__attribute__((constructor)) static void shim_bench_start(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, shim_bench_ticker, NULL))
		abort();
	pthread_detach(th);
}
