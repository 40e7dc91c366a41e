/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small test harness in the shape of the kernel's kselftest_harness.h,
 * printing KTAP version 1 (what tools/vm/ktap reads).
 *
 *   TEST(name) { ... }                  a test; registered at startup
 *   FIXTURE(f) { fields };              state that tests of f share the
 *   FIXTURE_SETUP(f) { ... }            shape of: set up before and torn
 *   FIXTURE_TEARDOWN(f) { ... }         down after each TEST_F(f, name),
 *   TEST_F(f, name) { ... }             which reach it as self->field
 *
 * In a test:
 *   EXPECT_TRUE(cond, fmt, ...)   a check: on failure prints
 *   EXPECT_FALSE(cond, fmt, ...)  "# FILE:LINE: MESSAGE" and goes on
 *   EXPECT_EQ(a, b, fmt, ...)     (EQ, NE, LT, LE, GT, GE also print
 *   EXPECT_NE, _LT, _LE, _GT, _GE  both sides, as long long)
 *   ASSERT_*(..., fmt, ...)       the same, but a failure ends the test
 *                                 (the fixture is still torn down)
 *   SKIP(statement, fmt, ...)     the test is skipped for the reason
 *                                 given, then statement (e.g. return)
 *   TH_LOG(fmt, ...)              a "# " diagnostic line
 *
 * Every check is counted; -v prints the ones that pass too. Tests run in
 * the order they are defined, the files in the order they are linked, each
 * in a child process of its own (a crash or a timeout fails that test
 * only; what a test changes in memory is gone after it).
 *
 * Output: "KTAP version 1", "1..N", then per test its diagnostics and
 * "ok N name", "not ok N name" or "ok N name # SKIP reason"; at the end
 * "# checks: P passed, F failed" and "# Totals: pass:P fail:F skip:S".
 */
#ifndef HMAP_TOOLS_HARNESS_H
#define HMAP_TOOLS_HARNESS_H

#include <setjmp.h>
#include <stdbool.h>

/* The running test's state (in memory its parent reads afterwards). */
struct harness {
	unsigned int checks, failed;
	bool skipped;
	char reason[200];	/* of a skip */
	jmp_buf abort;		/* where a failed ASSERT goes */
};

struct harness_test {
	const char *name;
	void (*run)(struct harness *h);
	struct harness_test *next;
};

void harness_register(struct harness_test *t);

/*
 * Parses the harness's options, -v (print every check) and -t SECONDS (how
 * long one test may take; default 300, 0: no limit), and the program's
 * own: the getopt letters @extra, passed to @option (which returns 0, or
 * -1 for a usage error). Stops at the first argument that is not an
 * option, and returns its index (the test globs), or -1 on a usage error.
 */
int harness_options(int argc, char **argv, const char *extra,
		    int (*option)(int opt, const char *arg));

/*
 * Runs the tests whose names match one of the @nglob shell patterns
 * @globs (every test if @nglob is 0), printing KTAP. Returns 0 if none
 * failed, 1 if one did, 2 if a pattern matched no test.
 */
int harness_run(int nglob, char **globs);

/* main() for a test program: PROG [-v] [-t SECONDS] [TEST-GLOB...] */
int harness_main(int argc, char **argv);
#define TEST_HARNESS_MAIN \
	int main(int argc, char **argv) { return harness_main(argc, argv); }

/* Used by the macros below. */
bool harness_check(struct harness *h, bool ok, const char *file, int line,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void harness_skip(struct harness *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void harness_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define HARNESS_REGISTER(id, fn)					\
	static struct harness_test harness_test_##id = { #id, fn, 0 };	\
	static void __attribute__((constructor)) harness_reg_##id(void)	\
	{								\
		harness_register(&harness_test_##id);			\
	}

#define TEST(name)							\
	static void harness_body_##name(struct harness *_h __attribute__((unused)));		\
	HARNESS_REGISTER(name, harness_body_##name)			\
	static void harness_body_##name(struct harness *_h __attribute__((unused)))

#define FIXTURE(f)	struct harness_fixture_##f
#define FIXTURE_SETUP(f)						\
	static void harness_setup_##f(struct harness *_h __attribute__((unused)),		\
				      struct harness_fixture_##f *self)
#define FIXTURE_TEARDOWN(f)						\
	static void harness_teardown_##f(struct harness *_h __attribute__((unused)),		\
					 struct harness_fixture_##f *self)

/* self is static: it must survive the longjmp() of a failed ASSERT. */
#define TEST_F(f, name)							\
	static void harness_body_##f##_##name(struct harness *_h __attribute__((unused)),	\
			struct harness_fixture_##f *self);		\
	static void harness_run_##f##_##name(struct harness *_h __attribute__((unused)))	\
	{								\
		static struct harness_fixture_##f self;			\
									\
		if (!setjmp(_h->abort)) {				\
			harness_setup_##f(_h, &self);			\
			harness_body_##f##_##name(_h, &self);		\
		}							\
		harness_teardown_##f(_h, &self);			\
	}								\
	HARNESS_REGISTER(f##_##name, harness_run_##f##_##name)	\
	static void harness_body_##f##_##name(struct harness *_h __attribute__((unused)),	\
			struct harness_fixture_##f *self)

#define HARNESS_CHECK(stop, cond, ...) do {				\
	if (!harness_check(_h, (cond), __FILE__, __LINE__, __VA_ARGS__) && \
	    (stop))							\
		longjmp(_h->abort, 1);					\
} while (0)

#define HARNESS_CMP(stop, a, op, b, ...) do {				\
	long long _ha = (long long)(a), _hb = (long long)(b);		\
									\
	if (!harness_check(_h, _ha op _hb, __FILE__, __LINE__, __VA_ARGS__)) { \
		harness_log("  %s = %lld, %s = %lld", #a, _ha, #b, _hb); \
		if (stop)						\
			longjmp(_h->abort, 1);				\
	}								\
} while (0)

#define EXPECT_TRUE(cond, ...)	HARNESS_CHECK(0, !!(cond), __VA_ARGS__)
#define EXPECT_FALSE(cond, ...)	HARNESS_CHECK(0, !(cond), __VA_ARGS__)
#define ASSERT_TRUE(cond, ...)	HARNESS_CHECK(1, !!(cond), __VA_ARGS__)
#define ASSERT_FALSE(cond, ...)	HARNESS_CHECK(1, !(cond), __VA_ARGS__)
#define EXPECT_EQ(a, b, ...)	HARNESS_CMP(0, a, ==, b, __VA_ARGS__)
#define EXPECT_NE(a, b, ...)	HARNESS_CMP(0, a, !=, b, __VA_ARGS__)
#define EXPECT_LT(a, b, ...)	HARNESS_CMP(0, a, <, b, __VA_ARGS__)
#define EXPECT_LE(a, b, ...)	HARNESS_CMP(0, a, <=, b, __VA_ARGS__)
#define EXPECT_GT(a, b, ...)	HARNESS_CMP(0, a, >, b, __VA_ARGS__)
#define EXPECT_GE(a, b, ...)	HARNESS_CMP(0, a, >=, b, __VA_ARGS__)
#define ASSERT_EQ(a, b, ...)	HARNESS_CMP(1, a, ==, b, __VA_ARGS__)
#define ASSERT_NE(a, b, ...)	HARNESS_CMP(1, a, !=, b, __VA_ARGS__)
#define ASSERT_LT(a, b, ...)	HARNESS_CMP(1, a, <, b, __VA_ARGS__)
#define ASSERT_LE(a, b, ...)	HARNESS_CMP(1, a, <=, b, __VA_ARGS__)
#define ASSERT_GT(a, b, ...)	HARNESS_CMP(1, a, >, b, __VA_ARGS__)
#define ASSERT_GE(a, b, ...)	HARNESS_CMP(1, a, >=, b, __VA_ARGS__)

#define SKIP(statement, ...) do {					\
	harness_skip(_h, __VA_ARGS__);					\
	statement;							\
} while (0)

#define TH_LOG(...)	harness_log(__VA_ARGS__)

#endif /* HMAP_TOOLS_HARNESS_H */
