/* SPDX-License-Identifier: GPL-2.0 */
/* The runner's side of the KUnit shim, for the userspace-only suites. */
#ifndef _SHIM_KUNIT_H
#define _SHIM_KUNIT_H

#include <kunit/test.h>

/* Cases the shims cannot run: "suite.case" globs, and why. */
struct kunit_shim_skip {
	const char *name;
	const char *reason;
};

extern const struct kunit_shim_skip kunit_shim_kernel_only[];

/*
 * suite_init and suite_exit of a suite that runs with the shims in manual
 * mode (no background threads; the clock moves only with
 * shim_advance_jiffies()), as the KUnit suites do not.
 */
int kunit_shim_manual_init(struct kunit_suite *suite);
void kunit_shim_manual_exit(struct kunit_suite *suite);

/* Registers a suite @id of @cases that runs in manual mode. */
#define KUNIT_SHIM_MANUAL_SUITE(id, cases)				\
	static struct kunit_suite id##_suite = {			\
		.name = #id,						\
		.suite_init = kunit_shim_manual_init,			\
		.suite_exit = kunit_shim_manual_exit,			\
		.test_cases = cases,					\
	};								\
	kunit_test_suites(&id##_suite)

#endif
