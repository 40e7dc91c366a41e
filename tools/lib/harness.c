// SPDX-License-Identifier: GPL-2.0
/* The runner of harness.h: one child process per test, KTAP on stdout. */
#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static struct harness_test *first, **last = &first;
static struct harness *shared;	/* the running test's state */
static bool verbose;
static unsigned int timeout_s = 300;

/*
 * Registers @t (from a constructor, before main()). The first call also
 * maps the page the tests' children report in, so that it is in place
 * before the program maps anything itself: a test may rely on where its
 * own mappings, and the holes between them, are.
 */
void harness_register(struct harness_test *t)
{
	if (!shared) {
		shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (shared == MAP_FAILED)
			shared = NULL;
	}
	*last = t;
	last = &t->next;
}

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stdout);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

void harness_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("# ", fmt, ap);
	va_end(ap);
}

bool harness_check(struct harness *h, bool ok, const char *file, int line,
		   const char *fmt, ...)
{
	va_list ap;

	h->checks++;
	if (!ok)
		h->failed++;
	if (ok && !verbose)
		return ok;
	printf("# %s %s:%d: ", ok ? "ok" : "FAIL", file, line);
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
	return ok;
}

void harness_skip(struct harness *h, const char *fmt, ...)
{
	va_list ap;

	h->skipped = true;
	va_start(ap, fmt);
	vsnprintf(h->reason, sizeof(h->reason), fmt, ap);
	va_end(ap);
}

static bool selected(const struct harness_test *t, int nglob, char **globs, int *used)
{
	bool any = !nglob;

	for (int i = 0; i < nglob; i++)
		if (!fnmatch(globs[i], t->name, 0)) {
			used[i] = 1;
			any = true;
		}
	return any;
}

/*
 * Runs @t in a child; its checks are in @h (shared memory) afterwards.
 * Returns false if the child did not end by returning from the test.
 */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool run_one(const struct harness_test *t, struct harness *h)
{
	int status;
	pid_t pid;

	memset(h, 0, sizeof(*h));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		harness_log("%s: fork: %m", t->name);
		return false;
	}
	if (pid == 0) {
		alarm(timeout_s);
		if (!setjmp(h->abort))
			t->run(h);
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid) {
		harness_log("%s: waitpid: %m", t->name);
		return false;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		harness_log("%s: timed out after %u s", t->name, timeout_s);
	else if (WIFSIGNALED(status))
		harness_log("%s: killed by signal %d", t->name, WTERMSIG(status));
	else if (WEXITSTATUS(status))
		harness_log("%s: exited with status %d", t->name, WEXITSTATUS(status));
	else
		return true;
	return false;
}

int harness_run(int nglob, char **globs)
{
	struct harness *h = shared;
	unsigned int n = 0, i = 0, pass = 0, fail = 0, skip = 0, checks = 0, cfail = 0;
	int *used = calloc(nglob + 1, sizeof(*used));
	struct harness_test *t;
	bool ended;
	double t0;

	if (!h || !used) {
		printf("Bail out! harness: out of memory\n");
		return 1;
	}
	for (t = first; t; t = t->next)
		n += selected(t, nglob, globs, used);
	for (int g = 0; g < nglob; g++)
		if (!used[g]) {
			fprintf(stderr, "harness: no test matches '%s'\n", globs[g]);
			return 2;
		}
	printf("KTAP version 1\n1..%u\n", n);
	for (t = first; t; t = t->next) {
		if (!selected(t, nglob, globs, used))
			continue;
		t0 = now_s();
		ended = run_one(t, h);
		/* Which tests make a slow kernel's run long. */
		printf("# %s took %.1f s\n", t->name, now_s() - t0);
		checks += h->checks;
		cfail += h->failed;
		i++;
		if (h->failed || !ended) {
			fail++;
			printf("not ok %u %s\n", i, t->name);
		} else if (h->skipped) {
			skip++;
			printf("ok %u %s # SKIP %s\n", i, t->name, h->reason);
		} else {
			pass++;
			printf("ok %u %s\n", i, t->name);
		}
		fflush(stdout);
	}
	printf("# checks: %u passed, %u failed\n", checks - cfail, cfail);
	printf("# Totals: pass:%u fail:%u skip:%u\n", pass, fail, skip);
	fflush(stdout);
	free(used);
	return fail ? 1 : 0;
}

int harness_options(int argc, char **argv, const char *extra,
		    int (*option)(int opt, const char *arg))
{
	char optstring[64];
	int opt;

	snprintf(optstring, sizeof(optstring), "+vt:%s", extra);
	while ((opt = getopt(argc, argv, optstring)) != -1) {
		if (opt == 'v')
			verbose = true;
		else if (opt == 't')
			timeout_s = (unsigned int)strtoul(optarg, NULL, 0);
		else if (opt == '?' || !option || option(opt, optarg))
			return -1;
	}
	return optind;
}

int harness_main(int argc, char **argv)
{
	int first = harness_options(argc, argv, "", NULL);

	if (first < 0) {
		fprintf(stderr, "usage: %s [-v] [-t SECONDS] [TEST-GLOB...]\n", argv[0]);
		return 2;
	}
	return harness_run(argc - first, argv + first);
}
