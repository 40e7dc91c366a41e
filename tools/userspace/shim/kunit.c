// SPDX-License-Identifier: GPL-2.0
/*
 * hmap-test: runs the KUnit suites of kunit/ (built against the shims of
 * <kunit/test.h>) and the userspace-only suites of tests/, and prints KTAP
 * version 1 as KUnit does: one subtest per suite, parameters one level
 * deeper, "# " diagnostics before a result, "# SKIP reason" on skips.
 *
 *   hmap-test [-l] [GLOB...]
 *
 * A GLOB selects suites ("hmap_basic", "hmap_*") or cases
 * ("hmap_iter.scan_*"), as kunit.filter_glob does; -l lists the cases.
 * After each case the runner runs its deferred actions, waits for grace
 * periods and work items (shim_quiesce()), and fails the case if an
 * allocation leaked or a WARN, lockdep or might_sleep check fired. A case
 * that runs longer than HMAP_KUNIT_TIMEOUT seconds (300, KUnit's default)
 * ends the run. HMAP_KUNIT_SKIP, globs of cases apart by spaces, skips
 * those cases (a build for which they are too slow and prove nothing).
 * Exit status 0 iff no case failed.
 */
#include <fnmatch.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <kunit/test.h>
#include <linux/percpu.h>
#include <linux/memcontrol.h>
#include <shim.h>

#include "hmap_core.h"
#include <shim/kunit.h>

#define MAX_SUITES	64

struct kunit_shim_action {
	kunit_action_t *fn;
	void *ctx;
	struct kunit_shim_action *next;
};

struct kunit_shim_state {
	sigjmp_buf leave;
	pthread_t thread;		/* the case's */
	struct kunit_shim_action *actions;
	int indent;			/* of the case's result line */
};

static struct kunit_suite *suites[MAX_SUITES];
static unsigned int nsuites;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

void kunit_shim_register(struct kunit_suite **list)
{
	for (; *list; list++) {
		if (nsuites == MAX_SUITES) {
			fprintf(stderr, "hmap-test: more than %d suites\n", MAX_SUITES);
			exit(2);
		}
		suites[nsuites++] = *list;
	}
}

/* Prints @text as "# " lines at the case's indentation. */
static void diag(struct kunit *test, const char *text)
{
	int indent = test && test->shim ? test->shim->indent : 0;
	const char *p = text, *nl;

	pthread_mutex_lock(&out_lock);
	do {
		nl = strchr(p, '\n');
		printf("%*s# %.*s\n", indent, "", nl ? (int)(nl - p) : (int)strlen(p), p);
		p = nl ? nl + 1 : NULL;
	} while (p && *p);
	pthread_mutex_unlock(&out_lock);
}

static void vfail(struct kunit *test, enum kunit_shim_kind kind,
		  const char *file, int line, const char *what,
		  const char *fmt, va_list ap)
{
	char head[1536], msg[1024] = "";

	if (fmt)
		shim_vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(head, sizeof(head), "%s: %s FAILED at %s:%d%s%s%s%s",
		 test->name, kind == KUNIT_SHIM_ASSERT ? "ASSERTION" : "EXPECTATION",
		 file, line, *what ? "\n" : "", what, *msg ? "\n" : "", msg);
	test->status = KUNIT_FAILURE;
	diag(test, head);
}

void kunit_shim_fail(struct kunit *test, enum kunit_shim_kind kind,
		     const char *file, int line, const char *what,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(test, kind, file, line, what, fmt, ap);
	va_end(ap);
}

void kunit_shim_fail_binary(struct kunit *test, enum kunit_shim_kind kind,
			    const char *file, int line, const char *left,
			    const char *op, const char *right, long long l,
			    long long r, const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	snprintf(what, sizeof(what),
		 "Expected %s %s %s, but\n    %s == %lld (%#llx)\n    %s == %lld (%#llx)",
		 left, op, right, left, l, l, right, r, r);
	va_start(ap, fmt);
	vfail(test, kind, file, line, what, fmt, ap);
	va_end(ap);
}

void kunit_shim_abort(struct kunit *test)
{
	/* Another thread of the case (not one KUnit would abort either). */
	if (!pthread_equal(pthread_self(), test->shim->thread))
		pthread_exit(NULL);
	siglongjmp(test->shim->leave, 1);
}

void kunit_shim_skip(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	shim_vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
	test->status = KUNIT_SKIPPED;
}

void kunit_shim_log(struct kunit *test, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	shim_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag(test, msg);
}

int kunit_add_action(struct kunit *test, kunit_action_t *fn, void *ctx)
{
	struct kunit_shim_action *a = malloc(sizeof(*a));

	if (!a)
		return -ENOMEM;
	a->fn = fn;
	a->ctx = ctx;
	a->next = test->shim->actions;
	test->shim->actions = a;
	return 0;
}

int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *fn, void *ctx)
{
	int err = kunit_add_action(test, fn, ctx);

	if (err)
		fn(ctx);
	return err;
}

/* Takes the newest action (@fn, @ctx) off the list; NULL if none. */
static struct kunit_shim_action *take_action(struct kunit *test,
					     kunit_action_t *fn, void *ctx)
{
	struct kunit_shim_action **pp, *a;

	for (pp = &test->shim->actions; (a = *pp); pp = &a->next) {
		if (a->fn == fn && a->ctx == ctx) {
			*pp = a->next;
			return a;
		}
	}
	return NULL;
}

void kunit_remove_action(struct kunit *test, kunit_action_t *fn, void *ctx)
{
	free(take_action(test, fn, ctx));
}

void kunit_release_action(struct kunit *test, kunit_action_t *fn, void *ctx)
{
	struct kunit_shim_action *a = take_action(test, fn, ctx);

	if (a) {
		a->fn(a->ctx);
		free(a);
	}
}

/*
 * The case's buffers come from calloc(), not the shim's allocator: they
 * do not count as the core's allocations, and failure injection spares
 * them.
 */
void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	void *p = calloc(1, size ? size : 1);

	if (p && kunit_add_action(test, free, p)) {
		free(p);
		p = NULL;
	}
	return p;
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	kunit_release_action(test, free, (void *)ptr);
}

/* ---- modes ---- */

const struct kunit_shim_skip kunit_shim_kernel_only[] = {
	{ NULL, NULL },
};

int kunit_shim_manual_init(struct kunit_suite *suite)
{
	shim_quiesce();
	shim_shutdown();	/* the RCU and work threads stop */
	shim_set_manual(true);
	return 0;
}

void kunit_shim_manual_exit(struct kunit_suite *suite)
{
	shim_quiesce();
	shim_set_manual(false);	/* the threads start again when needed */
}

/* ---- the watchdog ---- */

static long case_started;	/* atomic, s since the epoch; 0: no case running */
static const char *case_name;
static double case_timeout = 300;

static void *watchdog(void *arg)
{
	for (;;) {
		long t = __atomic_load_n(&case_started, __ATOMIC_RELAXED);

		if (t && time(NULL) - t > case_timeout) {
			diag(NULL, "");
			printf("# %s: timed out after %.0f s; the run ends here\n",
			       case_name, case_timeout);
			fflush(stdout);
			_exit(1);
		}
		sleep(1);
	}
	return NULL;
}

/* ---- running ---- */

static int nglobs;
static char **globs;

static bool selected(const struct kunit_suite *s, const struct kunit_case *c)
{
	char full[256];
	int i;

	if (!nglobs)
		return true;
	for (i = 0; i < nglobs; i++) {
		if (!strchr(globs[i], '.')) {
			if (!fnmatch(globs[i], s->name, 0))
				return true;
			continue;
		}
		if (!c)		/* some case of the suite may match */
			return true;
		snprintf(full, sizeof(full), "%s.%s", s->name, c->name);
		if (!fnmatch(globs[i], full, 0))
			return true;
	}
	return false;
}

static unsigned int suite_cases(const struct kunit_suite *s)
{
	const struct kunit_case *c;
	unsigned int n = 0;

	for (c = s->test_cases; c->run_case; c++)
		n += selected(s, c);
	return n;
}

/* Whether one of the space-separated globs of @list matches @full. */
static bool in_glob_list(const char *list, const char *full)
{
	char glob[256];
	size_t n;

	while (list && *list) {
		list += strspn(list, " ");
		n = strcspn(list, " ");
		if (n && n < sizeof(glob)) {
			memcpy(glob, list, n);
			glob[n] = 0;
			if (!fnmatch(glob, full, 0))
				return true;
		}
		list += n;
	}
	return false;
}

/* The skip reason of a case the shims cannot run or were told to skip, or NULL. */
static const char *kernel_only(const struct kunit_suite *s, const struct kunit_case *c)
{
	char full[256];
	unsigned int i;

	snprintf(full, sizeof(full), "%s.%s", s->name, c->name);
	for (i = 0; kunit_shim_kernel_only[i].name; i++)
		if (!fnmatch(kunit_shim_kernel_only[i].name, full, 0))
			return kunit_shim_kernel_only[i].reason;
	if (in_glob_list(getenv("HMAP_KUNIT_SKIP"), full))
		return "in HMAP_KUNIT_SKIP";
	return NULL;
}

static void result(int indent, enum kunit_status status, unsigned int n,
		   const char *name, const char *comment)
{
	pthread_mutex_lock(&out_lock);
	printf("%*s%s %u %s", indent, "", status == KUNIT_FAILURE ? "not ok" : "ok",
	       n, name);
	if (status == KUNIT_SKIPPED)
		printf(" # SKIP %s", comment);
	printf("\n");
	pthread_mutex_unlock(&out_lock);
}

/* One run of a case (one parameter); returns its status. */
static enum kunit_status run_one(struct kunit_suite *s, struct kunit_case *c,
				 const void *param, int param_index, int indent,
				 char *comment)
{
	struct kunit_shim_state state = { .indent = indent };
	struct kunit test = {
		.name = c->name,
		.param_value = param,
		.param_index = param_index,
		.shim = &state,
	};
	struct kunit_shim_action *a;
	unsigned long live, warns;
	char msg[128];

	state.thread = pthread_self();
	shim_quiesce();
	live = shim_alloc_live();
	warns = shim_warnings();
	case_name = c->name;
	__atomic_store_n(&case_started, (long)time(NULL), __ATOMIC_RELAXED);
	if (!sigsetjmp(state.leave, 0)) {
		if (s->init && s->init(&test)) {
			test.status = KUNIT_FAILURE;
			diag(&test, "the suite's init failed");
		} else {
			c->run_case(&test);
		}
	}
	/* Back from the case, or from an ASSERT in it. */
	if (s->exit && !sigsetjmp(state.leave, 0))
		s->exit(&test);
	while ((a = state.actions)) {
		state.actions = a->next;
		a->fn(a->ctx);
		free(a);
	}
	shim_set_read_hook(NULL);
	shim_set_array_hook(NULL);
	shim_task_memcg = NULL;
	shim_active_memcg = NULL;
	shim_alloc_fail_off();
	shim_quiesce();
	__atomic_store_n(&case_started, 0, __ATOMIC_RELAXED);
	/* The case's thread ends with it in KUnit, and its CPU pinning too. */
	shim_cpu = -1;
	if (shim_alloc_live() != live) {
		snprintf(msg, sizeof(msg), "%s: %ld allocations leaked", c->name,
			 (long)(shim_alloc_live() - live));
		diag(&test, msg);
		test.status = KUNIT_FAILURE;
	}
	if (shim_warnings() != warns) {
		snprintf(msg, sizeof(msg), "%s: %lu kernel warnings (WARN, lockdep, might_sleep)",
			 c->name, shim_warnings() - warns);
		diag(&test, msg);
		test.status = KUNIT_FAILURE;
	}
	if (test.status == KUNIT_SKIPPED)
		strcpy(comment, test.status_comment[0] ? test.status_comment : "skipped");
	return test.status;
}

struct tally {
	unsigned int pass, fail, skip;
};

static void count(struct tally *t, enum kunit_status st)
{
	if (st == KUNIT_FAILURE)
		t->fail++;
	else if (st == KUNIT_SKIPPED)
		t->skip++;
	else
		t->pass++;
}

static void print_tally(int indent, const char *name, const struct tally *t)
{
	printf("%*s# %s: pass:%u fail:%u skip:%u total:%u\n", indent, "", name,
	       t->pass, t->fail, t->skip, t->pass + t->fail + t->skip);
}

/* A parameterised case: each parameter a subtest; returns the case's status. */
static enum kunit_status run_params(struct kunit_suite *s, struct kunit_case *c,
				    struct tally *total, char *comment)
{
	char desc[KUNIT_PARAM_DESC_SIZE], name[KUNIT_PARAM_DESC_SIZE + 16];
	const void *p;
	struct tally t = {};
	unsigned int n = 0, i = 0;
	enum kunit_status st;

	for (p = c->generate_params(NULL, desc); p; p = c->generate_params(p, desc))
		n++;
	printf("        KTAP version 1\n        # Subtest: %s\n        1..%u\n", c->name, n);
	desc[0] = 0;
	for (p = c->generate_params(NULL, desc); p; p = c->generate_params(p, desc)) {
		i++;
		if (desc[0])
			snprintf(name, sizeof(name), "%s", desc);
		else
			snprintf(name, sizeof(name), "param-%u", i - 1);
		st = run_one(s, c, p, i - 1, 8, comment);
		count(&t, st);
		count(total, st);
		result(8, st, i, name, comment);
		desc[0] = 0;
	}
	print_tally(4, c->name, &t);
	if (t.fail)
		return KUNIT_FAILURE;
	return t.pass || !t.skip ? KUNIT_SUCCESS : KUNIT_SKIPPED;
}

static bool run_suite(struct kunit_suite *s, unsigned int index, struct tally *total)
{
	struct tally t = {};
	unsigned int n = 0;
	struct kunit_case *c;
	enum kunit_status st;
	bool failed = false, init_failed = false;

	printf("    KTAP version 1\n    # Subtest: %s\n    1..%u\n", s->name, suite_cases(s));
	if (s->suite_init && s->suite_init(s)) {
		printf("    # %s: the suite's init failed\n", s->name);
		failed = init_failed = true;
	}
	for (c = s->test_cases; !init_failed && c->run_case; c++) {
		char comment[256] = "";
		const char *why;

		if (!selected(s, c))
			continue;
		n++;
		why = kernel_only(s, c);
		if (why) {
			snprintf(comment, sizeof(comment), "%s", why);
			st = KUNIT_SKIPPED;
			count(total, st);
		} else if (c->generate_params) {
			st = run_params(s, c, total, comment);
		} else {
			st = run_one(s, c, NULL, 0, 4, comment);
			count(total, st);
		}
		count(&t, st);
		failed |= st == KUNIT_FAILURE;
		result(4, st, n, c->name, comment);
	}
	if (s->suite_exit && !init_failed)
		s->suite_exit(s);
	print_tally(0, s->name, &t);
	result(0, failed ? KUNIT_FAILURE : t.pass || !t.skip ? KUNIT_SUCCESS : KUNIT_SKIPPED,
	       index, s->name, "");
	return !failed;
}

int main(int argc, char **argv)
{
	unsigned int i, n = 0, index = 0;
	struct tally total = {};
	bool list, ok = true;
	pthread_t wd;

	list = argc > 1 && !strcmp(argv[1], "-l");
	globs = argv + 1 + list;
	nglobs = argc - 1 - list;
	if (nglobs && globs[0][0] == '-') {
		fprintf(stderr, "usage: %s [-l] [GLOB...]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (list) {
		for (i = 0; i < nsuites; i++)
			for (struct kunit_case *c = suites[i]->test_cases; c->run_case; c++)
				if (selected(suites[i], c))
					printf("%s.%s\n", suites[i]->name, c->name);
		return 0;
	}
	if (getenv("HMAP_KUNIT_TIMEOUT"))
		case_timeout = atof(getenv("HMAP_KUNIT_TIMEOUT"));
	pthread_create(&wd, NULL, watchdog, NULL);

	if (hmap_core_init()) {
		fprintf(stderr, "hmap_core_init failed\n");
		return 1;
	}
	for (i = 0; i < nsuites; i++)
		n += selected(suites[i], NULL) && suite_cases(suites[i]);
	/* A glob that picks nothing is a mistake, not a pass. */
	if (nglobs && !n) {
		fprintf(stderr, "hmap-test: no case matches the given globs (-l lists them)\n");
		return 2;
	}
	printf("KTAP version 1\n1..%u\n", n);
	for (i = 0; i < nsuites; i++)
		if (selected(suites[i], NULL) && suite_cases(suites[i]))
			ok &= run_suite(suites[i], ++index, &total);
	printf("# Totals: pass:%u fail:%u skip:%u total:%u\n", total.pass, total.fail,
	       total.skip, total.pass + total.fail + total.skip);

	shim_quiesce();
	hmap_core_exit();
	shim_quiesce();
	shim_shutdown();
	shim_rcu_unregister_thread();
	return ok ? 0 : 1;
}
