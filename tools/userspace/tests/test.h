/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small test harness: CHECK*() record a failure and go on (the first few
 * messages of a case are printed); each case is one line of output.
 */
#ifndef _HMAP_UTEST_H
#define _HMAP_UTEST_H

#include <stdio.h>
#include <linux/err.h>
#include <linux/types.h>
#include <hmap/hmap.h>
#include <hmap/hmap_debug.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

struct test_group {
	const char *name;
	const struct test_case *cases;
	bool threaded;		/* needs the shim's background threads */
};

extern const struct test_group siphash_group, core_group, conc_group;

extern unsigned long test_fail_count;	/* failures in the current case */
extern int test_verbose;
extern double test_conc_seconds;	/* length of each concurrency run */

void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void test_fail_eq(const char *file, int line, const char *as, const char *bs,
		  long long a, long long b, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

#define CHECK(cond, ...) do {						\
	if (!(cond))							\
		test_fail(__FILE__, __LINE__, "CHECK(" #cond ") " __VA_ARGS__); \
} while (0)

#define CHECK_EQ(a, b, ...) do {					\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b)							\
		test_fail_eq(__FILE__, __LINE__, #a, #b, __a, __b, " " __VA_ARGS__); \
} while (0)

/* Stop the case if a check failed (its state is no longer meaningful). */
#define BAIL_IF_FAILED() do { if (test_fail_count) return; } while (0)

/* ---- helpers shared by the test files (util.c) ---- */

/*
 * Maps made by test_create() and not given to test_destroy() when a case
 * ends (it bailed out) are destroyed by test_destroy_leftovers().
 */
struct hmap *test_create(u32 key_size, u32 value_size, u32 max_entries, u32 flags);
void test_destroy(struct hmap *map);
void test_destroy_leftovers(void);
struct hmap_info test_info(struct hmap *map);

/* Key number i as key_size bytes (i in the first min(8, size) bytes). */
void test_key(u32 key_size, u64 i, u8 *buf);
u64 test_key_id(u32 key_size, const u8 *buf);
bool test_key_valid(u32 key_size, const u8 *buf);
/* Value of key i at generation gen (gen 0 is never stored). */
void test_value(u32 value_size, u64 i, u32 gen, u8 *buf);
/* The core's hash of a key, with the map's current seed (white box). */
u64 test_hash(struct hmap *map, const void *key);

/*
 * A reference model: gen[i] is the generation of key i's value, 0 when
 * absent. model_check() compares everything the map can tell: count,
 * lookups of every key, a full iteration and a full scan (each key
 * exactly once), and hmap_verify() when the core has it.
 */
struct model {
	u32 key_size, value_size;
	u64 nkeys;
	u64 count;
	u32 *gen;
	u32 max_entries;
	bool allow_enomem;	/* -ENOMEM (injected) is an allowed outcome */
};

void model_init(struct model *m, u32 key_size, u32 value_size, u64 nkeys);
void model_free(struct model *m);
int model_update(struct hmap *map, struct model *m, u64 i, u32 gen, u64 flags);
int model_delete(struct hmap *map, struct model *m, u64 i);
void model_check(struct hmap *map, const struct model *m, const char *when);
void test_check_iter(struct hmap *map, const struct model *m, const char *when);
void test_check_scan(struct hmap *map, const struct model *m, const char *when);
void test_verify(struct hmap *map, const char *when);

#endif
