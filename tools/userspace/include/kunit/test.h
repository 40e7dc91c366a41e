/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the part of KUnit the hmap suites use, so that the files
 * of kunit/ build and run unchanged in tools/userspace (tests/kunit.c runs
 * them and prints KTAP as KUnit does).
 *
 * A case runs on the runner's thread. A failed KUNIT_ASSERT_*() (and
 * kunit_skip(), KUNIT_FAIL_AND_ABORT()) leaves the case by longjmp() to
 * the runner, which then runs the case's deferred actions in reverse order
 * and frees its kunit_kzalloc() buffers, as KUnit does when the case's
 * kthread exits. A check's message arguments are evaluated only when it
 * fails. Messages are formatted by the shim's printk formatter, so the
 * kernel's %pe and %pV work.
 */
#ifndef _SHIM_KUNIT_TEST_H
#define _SHIM_KUNIT_TEST_H

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

#define KUNIT_PARAM_DESC_SIZE	128

enum kunit_speed {
	KUNIT_SPEED_UNSET,
	KUNIT_SPEED_VERY_SLOW,
	KUNIT_SPEED_SLOW,
	KUNIT_SPEED_NORMAL,
};

struct kunit_attributes {
	enum kunit_speed speed;
};

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

struct kunit;

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
	struct kunit_attributes attr;
};

struct kunit_suite {
	const char *name;
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

struct kunit_shim_state;

struct kunit {
	void *priv;
	const char *name;		/* the case's */
	const void *param_value;
	int param_index;
	enum kunit_status status;
	char status_comment[256];	/* the skip reason */
	struct kunit_shim_state *shim;	/* the runner's: actions, buffers */
};

typedef void (kunit_action_t)(void *);

#define KUNIT_CASE(fn)		{ .run_case = fn, .name = #fn }
#define KUNIT_CASE_ATTR(fn, attrs) { .run_case = fn, .name = #fn, .attr = attrs }
#define KUNIT_CASE_SLOW(fn)						\
	{ .run_case = fn, .name = #fn, .attr.speed = KUNIT_SPEED_SLOW }
#define KUNIT_CASE_PARAM(fn, gen)					\
	{ .run_case = fn, .name = #fn, .generate_params = gen }
#define KUNIT_CASE_PARAM_ATTR(fn, gen, attrs)				\
	{ .run_case = fn, .name = #fn, .generate_params = gen, .attr = attrs }

/* Suites register themselves with the runner before main(). */
void kunit_shim_register(struct kunit_suite **suites);

#define __KUNIT_SHIM_CAT2(a, b)	a##b
#define __KUNIT_SHIM_CAT(a, b)	__KUNIT_SHIM_CAT2(a, b)
#define kunit_test_suites(...)						\
	static struct kunit_suite *__KUNIT_SHIM_CAT(__kunit_shim_suites_, __LINE__)[] = \
		{ __VA_ARGS__, NULL };					\
	static void __attribute__((constructor))			\
	__KUNIT_SHIM_CAT(__kunit_shim_register_, __LINE__)(void)	\
	{								\
		kunit_shim_register(__KUNIT_SHIM_CAT(__kunit_shim_suites_, __LINE__)); \
	}
#define kunit_test_suite(suite)	kunit_test_suites(&suite)

/* Parameters from an array: each element in turn, described by @get_desc. */
#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof((array)[0]) *__p = prev ?			\
			(typeof(__p))prev + 1 : (array);		\
		void (*__d)(typeof(__p), char *) = get_desc;		\
									\
		if (__p >= (array) + ARRAY_SIZE(array))			\
			return NULL;					\
		if (__d)						\
			__d(__p, desc);					\
		return __p;						\
	}
/* The same, the description being the string member @member. */
#define KUNIT_ARRAY_PARAM_DESC(name, array, member)			\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof((array)[0]) *__p = prev ?			\
			(typeof(__p))prev + 1 : (array);		\
									\
		if (__p >= (array) + ARRAY_SIZE(array))			\
			return NULL;					\
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", __p->member); \
		return __p;						\
	}

/* ---- the runner's side (tests/kunit.c) ---- */

enum kunit_shim_kind { KUNIT_SHIM_EXPECT, KUNIT_SHIM_ASSERT };

/*
 * A failed check: @what is the text KUnit prints for it (built by the
 * macros below), @fmt the case's own message or NULL. An ASSERT leaves
 * the case and does not return.
 */
void kunit_shim_fail(struct kunit *test, enum kunit_shim_kind kind,
		     const char *file, int line, const char *what,
		     const char *fmt, ...);
void __attribute__((noreturn)) kunit_shim_abort(struct kunit *test);
void kunit_shim_skip(struct kunit *test, const char *fmt, ...);
void kunit_shim_log(struct kunit *test, const char *fmt, ...);

int kunit_add_action(struct kunit *test, kunit_action_t *action, void *ctx);
int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action,
			      void *ctx);
void kunit_release_action(struct kunit *test, kunit_action_t *action,
			  void *ctx);
void kunit_remove_action(struct kunit *test, kunit_action_t *action,
			 void *ctx);
void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp);
void kunit_kfree(struct kunit *test, const void *ptr);

#define kunit_kzalloc(test, size, gfp)	kunit_kmalloc(test, size, (gfp) | __GFP_ZERO)
#define kunit_kcalloc(test, n, size, gfp) kunit_kzalloc(test, (n) * (size), gfp)

#define KUNIT_DEFINE_ACTION_WRAPPER(wrapper, orig, arg_type)		\
	static void wrapper(void *in)					\
	{								\
		orig((arg_type)in);					\
	}

#define kunit_info(test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)
#define kunit_log(lvl, test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)

#define kunit_mark_skipped(test, fmt, ...)				\
	kunit_shim_skip(test, fmt, ##__VA_ARGS__)
#define kunit_skip(test, fmt, ...) do {					\
	kunit_shim_skip(test, fmt, ##__VA_ARGS__);			\
	kunit_shim_abort(test);						\
} while (0)

/* ---- checks ---- */

#define __KUNIT_SHIM_MSG(test, kind, what, ...) do {			\
	kunit_shim_fail(test, kind, __FILE__, __LINE__, what, ##__VA_ARGS__); \
	if ((kind) == KUNIT_SHIM_ASSERT)				\
		kunit_shim_abort(test);					\
} while (0)

#define KUNIT_FAIL(test, fmt, ...)					\
	__KUNIT_SHIM_MSG(test, KUNIT_SHIM_EXPECT, "", fmt, ##__VA_ARGS__)
#define KUNIT_FAIL_AND_ABORT(test, fmt, ...)				\
	__KUNIT_SHIM_MSG(test, KUNIT_SHIM_ASSERT, "", fmt, ##__VA_ARGS__)

#define __KUNIT_SHIM_BOOL(test, kind, cond, want, ...) do {		\
	bool __c = (cond);						\
									\
	if (__c != (want))						\
		__KUNIT_SHIM_MSG(test, kind, "Expected " #cond " to be "	\
				 #want ", but is not", ##__VA_ARGS__);	\
} while (0)

/*
 * Integers (and pointers) compared as the kernel does, typeof() each
 * side; printed as signed and hexadecimal 64-bit values.
 */
void kunit_shim_fail_binary(struct kunit *test, enum kunit_shim_kind kind,
			    const char *file, int line, const char *left,
			    const char *op, const char *right, long long l,
			    long long r, const char *fmt, ...);

#define __KUNIT_SHIM_BINARY(test, kind, left, op, right, ...) do {	\
	typeof(left) __l = (left);					\
	typeof(right) __r = (right);					\
									\
	if (!(__l op __r)) {						\
		kunit_shim_fail_binary(test, kind, __FILE__, __LINE__,	\
				       #left, #op, #right,		\
				       (long long)(uintptr_t)__l,	\
				       (long long)(uintptr_t)__r,	\
				       ##__VA_ARGS__);			\
		if ((kind) == KUNIT_SHIM_ASSERT)			\
			kunit_shim_abort(test);				\
	}								\
} while (0)

#define __KUNIT_SHIM_STR(test, kind, left, op, right, ...) do {	\
	const char *__l = (left), *__r = (right);			\
									\
	if (!(strcmp(__l, __r) op 0))					\
		__KUNIT_SHIM_MSG(test, kind, "Expected " #left " " #op " " #right, \
				 ##__VA_ARGS__);			\
} while (0)

#define __KUNIT_SHIM_PTR(test, kind, ptr, bad, what, ...) do {		\
	const void *__p = (ptr);					\
									\
	if (bad(__p))							\
		__KUNIT_SHIM_MSG(test, kind, "Expected " #ptr " " what,	\
				 ##__VA_ARGS__);			\
} while (0)

#define __kunit_shim_is_null(p)		(!(p))
#define __kunit_shim_not_null(p)	(!!(p))

/* EXPECT records a failure and goes on, ASSERT leaves the case. */
#define KUNIT_EXPECT_TRUE(t, c)		__KUNIT_SHIM_BOOL(t, KUNIT_SHIM_EXPECT, c, true, NULL)
#define KUNIT_EXPECT_TRUE_MSG(t, c, ...) __KUNIT_SHIM_BOOL(t, KUNIT_SHIM_EXPECT, c, true, __VA_ARGS__)
#define KUNIT_EXPECT_FALSE(t, c)	__KUNIT_SHIM_BOOL(t, KUNIT_SHIM_EXPECT, c, false, NULL)
#define KUNIT_EXPECT_FALSE_MSG(t, c, ...) __KUNIT_SHIM_BOOL(t, KUNIT_SHIM_EXPECT, c, false, __VA_ARGS__)
#define KUNIT_ASSERT_TRUE(t, c)		__KUNIT_SHIM_BOOL(t, KUNIT_SHIM_ASSERT, c, true, NULL)
#define KUNIT_ASSERT_TRUE_MSG(t, c, ...) __KUNIT_SHIM_BOOL(t, KUNIT_SHIM_ASSERT, c, true, __VA_ARGS__)
#define KUNIT_ASSERT_FALSE(t, c)	__KUNIT_SHIM_BOOL(t, KUNIT_SHIM_ASSERT, c, false, NULL)
#define KUNIT_ASSERT_FALSE_MSG(t, c, ...) __KUNIT_SHIM_BOOL(t, KUNIT_SHIM_ASSERT, c, false, __VA_ARGS__)

#define KUNIT_EXPECT_EQ(t, a, b)	__KUNIT_SHIM_BINARY(t, KUNIT_SHIM_EXPECT, a, ==, b, NULL)
#define KUNIT_EXPECT_NE(t, a, b)	__KUNIT_SHIM_BINARY(t, KUNIT_SHIM_EXPECT, a, !=, b, NULL)
#define KUNIT_EXPECT_LT(t, a, b)	__KUNIT_SHIM_BINARY(t, KUNIT_SHIM_EXPECT, a, <, b, NULL)
#define KUNIT_EXPECT_LE(t, a, b)	__KUNIT_SHIM_BINARY(t, KUNIT_SHIM_EXPECT, a, <=, b, NULL)
#define KUNIT_EXPECT_GT(t, a, b)	__KUNIT_SHIM_BINARY(t, KUNIT_SHIM_EXPECT, a, >, b, NULL)
#define KUNIT_EXPECT_GE(t, a, b)	__KUNIT_SHIM_BINARY(t, KUNIT_SHIM_EXPECT, a, >=, b, NULL)
#define KUNIT_EXPECT_EQ_MSG(t, a, b, ...) __KUNIT_SHIM_BINARY(t, KUNIT_SHIM_EXPECT, a, ==, b, __VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, a, b, ...) __KUNIT_SHIM_BINARY(t, KUNIT_SHIM_EXPECT, a, !=, b, __VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(t, a, b, ...) __KUNIT_SHIM_BINARY(t, KUNIT_SHIM_EXPECT, a, <, b, __VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(t, a, b, ...) __KUNIT_SHIM_BINARY(t, KUNIT_SHIM_EXPECT, a, <=, b, __VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, a, b, ...) __KUNIT_SHIM_BINARY(t, KUNIT_SHIM_EXPECT, a, >, b, __VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, a, b, ...) __KUNIT_SHIM_BINARY(t, KUNIT_SHIM_EXPECT, a, >=, b, __VA_ARGS__)
#define KUNIT_ASSERT_EQ(t, a, b)	__KUNIT_SHIM_BINARY(t, KUNIT_SHIM_ASSERT, a, ==, b, NULL)
#define KUNIT_ASSERT_NE(t, a, b)	__KUNIT_SHIM_BINARY(t, KUNIT_SHIM_ASSERT, a, !=, b, NULL)
#define KUNIT_ASSERT_LT(t, a, b)	__KUNIT_SHIM_BINARY(t, KUNIT_SHIM_ASSERT, a, <, b, NULL)
#define KUNIT_ASSERT_LE(t, a, b)	__KUNIT_SHIM_BINARY(t, KUNIT_SHIM_ASSERT, a, <=, b, NULL)
#define KUNIT_ASSERT_GT(t, a, b)	__KUNIT_SHIM_BINARY(t, KUNIT_SHIM_ASSERT, a, >, b, NULL)
#define KUNIT_ASSERT_GE(t, a, b)	__KUNIT_SHIM_BINARY(t, KUNIT_SHIM_ASSERT, a, >=, b, NULL)
#define KUNIT_ASSERT_EQ_MSG(t, a, b, ...) __KUNIT_SHIM_BINARY(t, KUNIT_SHIM_ASSERT, a, ==, b, __VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(t, a, b, ...) __KUNIT_SHIM_BINARY(t, KUNIT_SHIM_ASSERT, a, !=, b, __VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(t, a, b, ...) __KUNIT_SHIM_BINARY(t, KUNIT_SHIM_ASSERT, a, <, b, __VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(t, a, b, ...) __KUNIT_SHIM_BINARY(t, KUNIT_SHIM_ASSERT, a, <=, b, __VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(t, a, b, ...) __KUNIT_SHIM_BINARY(t, KUNIT_SHIM_ASSERT, a, >, b, __VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(t, a, b, ...) __KUNIT_SHIM_BINARY(t, KUNIT_SHIM_ASSERT, a, >=, b, __VA_ARGS__)

#define KUNIT_EXPECT_PTR_EQ(t, a, b)	KUNIT_EXPECT_EQ(t, (const void *)(a), (const void *)(b))
#define KUNIT_EXPECT_PTR_NE(t, a, b)	KUNIT_EXPECT_NE(t, (const void *)(a), (const void *)(b))
#define KUNIT_ASSERT_PTR_EQ(t, a, b)	KUNIT_ASSERT_EQ(t, (const void *)(a), (const void *)(b))

#define KUNIT_EXPECT_STREQ(t, a, b)	__KUNIT_SHIM_STR(t, KUNIT_SHIM_EXPECT, a, ==, b, NULL)
#define KUNIT_EXPECT_STRNEQ(t, a, b)	__KUNIT_SHIM_STR(t, KUNIT_SHIM_EXPECT, a, !=, b, NULL)
#define KUNIT_ASSERT_STREQ(t, a, b)	__KUNIT_SHIM_STR(t, KUNIT_SHIM_ASSERT, a, ==, b, NULL)

#define KUNIT_EXPECT_NULL(t, p)		__KUNIT_SHIM_PTR(t, KUNIT_SHIM_EXPECT, p, __kunit_shim_not_null, "is NULL", NULL)
#define KUNIT_EXPECT_NOT_NULL(t, p)	__KUNIT_SHIM_PTR(t, KUNIT_SHIM_EXPECT, p, __kunit_shim_is_null, "is not NULL", NULL)
#define KUNIT_EXPECT_NOT_NULL_MSG(t, p, ...) __KUNIT_SHIM_PTR(t, KUNIT_SHIM_EXPECT, p, __kunit_shim_is_null, "is not NULL", __VA_ARGS__)
#define KUNIT_ASSERT_NULL(t, p)		__KUNIT_SHIM_PTR(t, KUNIT_SHIM_ASSERT, p, __kunit_shim_not_null, "is NULL", NULL)
#define KUNIT_ASSERT_NOT_NULL(t, p)	__KUNIT_SHIM_PTR(t, KUNIT_SHIM_ASSERT, p, __kunit_shim_is_null, "is not NULL", NULL)
#define KUNIT_ASSERT_NOT_NULL_MSG(t, p, ...) __KUNIT_SHIM_PTR(t, KUNIT_SHIM_ASSERT, p, __kunit_shim_is_null, "is not NULL", __VA_ARGS__)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(t, p) __KUNIT_SHIM_PTR(t, KUNIT_SHIM_EXPECT, p, IS_ERR_OR_NULL, "is not error or NULL", NULL)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(t, p, ...) __KUNIT_SHIM_PTR(t, KUNIT_SHIM_EXPECT, p, IS_ERR_OR_NULL, "is not error or NULL", __VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p) __KUNIT_SHIM_PTR(t, KUNIT_SHIM_ASSERT, p, IS_ERR_OR_NULL, "is not error or NULL", NULL)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(t, p, ...) __KUNIT_SHIM_PTR(t, KUNIT_SHIM_ASSERT, p, IS_ERR_OR_NULL, "is not error or NULL", __VA_ARGS__)

#endif
