// SPDX-License-Identifier: GPL-2.0
/*
 * hmap-test: the hmap core (module/hmap_core.c, module/hmap_cache.c)
 * compiled as a normal program and tested natively.
 *
 *   hmap-test [-v] [-l] [-t SECONDS] [GROUP | GROUP/CASE ...]
 *
 * Groups: siphash, core (single-threaded, the shims in manual mode: no
 * background threads, the clock moves only when a test moves it), conc
 * (reader threads against a writer, the shims' RCU and work threads on).
 * Each case prints one line; the last line is "hmap-test: P passed, F
 * failed". After every case the shims are quiesced and the case fails if
 * an allocation leaked or a WARN, lockdep or might_sleep check fired.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <shim.h>

#include "hmap_core.h"
#include "test.h"

unsigned long test_fail_count;
int test_verbose;
double test_conc_seconds = 1.0;
static const char *test_current;

/* Thread safe: the concurrency tests report from their threads. */
void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (__atomic_fetch_add(&test_fail_count, 1, __ATOMIC_RELAXED) >= 10)
		return;
	flockfile(stderr);
	fprintf(stderr, "  %s: %s:%d: ", test_current, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void test_fail_eq(const char *file, int line, const char *as, const char *bs,
		  long long a, long long b, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	test_fail(file, line, "%s == %s: %lld != %lld %s", as, bs, a, b, msg);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const struct test_group *groups[] = {
	&siphash_group, &core_group, &conc_group,
};

static bool selected(int argc, char **argv, const char *group, const char *name)
{
	char full[128];
	int i;

	if (argc == 0)
		return true;
	snprintf(full, sizeof(full), "%s/%s", group, name);
	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], group) || !strcmp(argv[i], full))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0, g;
	bool list = false;
	int opt;

	while ((opt = getopt(argc, argv, "vlt:")) != -1) {
		switch (opt) {
		case 'v':
			test_verbose++;
			break;
		case 'l':
			list = true;
			break;
		case 't':
			test_conc_seconds = atof(optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-v] [-l] [-t SECONDS] [GROUP | GROUP/CASE ...]\n",
				argv[0]);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (list) {
		for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
			for (const struct test_case *c = groups[g]->cases; c->name; c++)
				printf("%s/%s\n", groups[g]->name, c->name);
		return 0;
	}

	shim_set_manual(true);
	if (hmap_core_init()) {
		fprintf(stderr, "hmap_core_init failed\n");
		return 1;
	}

	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		const struct test_group *grp = groups[g];

		for (const struct test_case *c = grp->cases; c->name; c++) {
			unsigned long live, warns;
			char name[128];
			double t;

			if (!selected(argc, argv, grp->name, c->name))
				continue;
			snprintf(name, sizeof(name), "%s/%s", grp->name, c->name);
			test_current = name;
			shim_quiesce();
			shim_set_manual(!grp->threaded);
			shim_alloc_fail_off();
			live = shim_alloc_live();
			warns = shim_warnings();
			test_fail_count = 0;
			t = now_s();
			c->fn();
			shim_set_read_hook(NULL);
			shim_alloc_fail_off();
			test_destroy_leftovers();
			shim_quiesce();
			if (shim_alloc_live() != live)
				test_fail(__FILE__, __LINE__, "%ld allocations leaked",
					  (long)(shim_alloc_live() - live));
			if (shim_warnings() != warns)
				test_fail(__FILE__, __LINE__, "%lu kernel warnings (WARN, lockdep, might_sleep)",
					  shim_warnings() - warns);
			t = now_s() - t;
			if (test_fail_count) {
				failed++;
				printf("FAIL %s (%.2fs, %lu failed checks)\n", name, t,
				       test_fail_count);
			} else {
				passed++;
				printf("ok   %s (%.2fs)\n", name, t);
			}
		}
	}

	shim_quiesce();
	hmap_core_exit();
	shim_shutdown();
	shim_rcu_unregister_thread();
	printf("hmap-test: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
