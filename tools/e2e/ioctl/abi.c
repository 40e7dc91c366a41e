// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: the size field and the argument pointer, for every request
 * (the extensible-struct rules of include/uapi/hmap.h).
 */
#include <errno.h>
#include <string.h>

#include "ioctl_test.h"

static char abi_map[] = "e2e_abi";
static uint8_t abi_key[FIX_KS], abi_val[FIX_VS];
static uint8_t abi_keys[1024 * FIX_KS], abi_vals[1024 * FIX_VS];

struct abi_case {
	const char *what;
	unsigned long req;
	size_t size;			/* sizeof the structure */
	void (*fill)(void *req);	/* a valid request */
	void (*before)(void);		/* makes it valid to run */
	bool (*unchanged)(void);	/* after a rejection: nothing changed (NULL: nothing to check) */
	void (*after)(void);
	size_t min_size;		/* its first version's size (0: size) */
};

static void abi_fill_create(void *p)
{
	struct hmap_ioc_create *c = p;

	c->key_size = 8;
	c->value_size = 8;
	name_set(c->name, abi_map);
}

static void abi_fill_map(void *p)
{
	name_set(((struct hmap_ioc_map *)p)->name, abi_map);
}

static void abi_fill_list(void *p)
{
	(void)p;	/* count 0, entries NULL */
}

static void abi_fill_elem(void *p, uint64_t id, bool value)
{
	struct hmap_ioc_elem *e = p;

	name_set(e->name, FIX);
	mkkey(abi_key, FIX_KS, id);
	mkval(abi_val, FIX_VS, id, 0);
	e->key = (uintptr_t)abi_key;
	e->key_size = FIX_KS;
	if (value) {
		e->value = (uintptr_t)abi_val;
		e->value_size = FIX_VS;
	}
}

static void abi_fill_lookup(void *p) { abi_fill_elem(p, FIX_SAMPLE, true); }
static void abi_fill_update(void *p) { abi_fill_elem(p, FIX_N, true); }
static void abi_fill_delete(void *p) { abi_fill_elem(p, FIX_N, false); }

static void abi_fill_dump(void *p)
{
	dump_request(p, abi_keys, abi_vals);
}

static void abi_fill_stats(void *p)
{
	name_set(((struct hmap_ioc_stats *)p)->name, FIX);
}

static void abi_fill_snapshot(void *p)
{
	name_set(((struct hmap_ioc_snapshot *)p)->name, FIX);
}

static void abi_no_map(void) { map_destroy(abi_map); }
static void abi_one_map(void)
{
	uint8_t k[8] = { 1 }, v[8] = { 2 };

	map_destroy(abi_map);
	map_create(abi_map, 8, 8, 0);
	update(abi_map, k, 8, v, 8, 0);
}
static bool abi_no_map_left(void) { return !map_exists(abi_map); }
static bool abi_map_kept(void) { return map_count(abi_map) == 1; }

static void abi_fix_add(void)
{
	mkkey(abi_key, FIX_KS, FIX_N);
	mkval(abi_val, FIX_VS, FIX_N, 0);
	update(FIX, abi_key, FIX_KS, abi_val, FIX_VS, 0);
}

static void abi_fix_del(void)
{
	mkkey(abi_key, FIX_KS, FIX_N);
	delete(FIX, abi_key, FIX_KS);
}

static bool abi_fix_extra(void) { return map_count(FIX) == FIX_N + 1; }
static bool abi_fix_plain(void) { return map_count(FIX) == FIX_N; }

#define S(type)	sizeof(struct hmap_ioc_##type)

static const struct abi_case abi_cases[] = {
	{ "create", HMAP_IOC_CREATE, S(create), abi_fill_create, abi_no_map, abi_no_map_left, abi_no_map,
	  HMAP_IOC_CREATE_SIZE_VER0 },
	{ "destroy", HMAP_IOC_DESTROY, S(map), abi_fill_map, abi_one_map, abi_map_kept, abi_no_map, 0 },
	{ "clear", HMAP_IOC_CLEAR, S(map), abi_fill_map, abi_one_map, abi_map_kept, abi_no_map, 0 },
	{ .what = "list", .req = HMAP_IOC_LIST, .size = S(list), .fill = abi_fill_list },
	{ .what = "lookup", .req = HMAP_IOC_LOOKUP, .size = S(elem), .fill = abi_fill_lookup },
	{ "update", HMAP_IOC_UPDATE, S(elem), abi_fill_update, abi_fix_del, abi_fix_plain, abi_fix_del, 0 },
	{ "delete", HMAP_IOC_DELETE, S(elem), abi_fill_delete, abi_fix_add, abi_fix_extra, abi_fix_del, 0 },
	{ .what = "dump", .req = HMAP_IOC_DUMP, .size = S(dump), .fill = abi_fill_dump },
	{ .what = "stats", .req = HMAP_IOC_STATS, .size = S(stats),
	  .min_size = HMAP_IOC_STATS_SIZE_VER0, .fill = abi_fill_stats },
	{ .what = "snapshot", .req = HMAP_IOC_SNAPSHOT, .size = S(snapshot),
	  .min_size = HMAP_IOC_SNAPSHOT_SIZE_VER0, .fill = abi_fill_snapshot },
};

/* A request with the size field @usize, at @at (inside a zeroed area). */
static int abi_run(const struct abi_case *c, unsigned long req, uint8_t *at, uint32_t usize,
		   long tail_byte)
{
	memset(at, 0, usize > c->size ? usize : c->size);
	c->fill(at);
	memcpy(at, &usize, sizeof(usize));
	if (tail_byte >= 0)
		at[tail_byte] = 0x5a;
	if (c->before)
		c->before();
	return ioc(req, at);
}

/* One check: the rejection's errno, nothing changed, the fixture intact. */
static void abi_expect(struct harness *_h, const struct abi_case *c, int rc, int err,
		       const char *what)
{
	bool ok = rc == -err;

	if (!ok)
		TH_LOG("%s: %s: got %s", c->what, what, ename(rc));
	if (err && c->unchanged && !c->unchanged()) {
		TH_LOG("%s: %s: the request changed something", c->what, what);
		ok = false;
	}
	if (c->after)
		c->after();
	ok = fixture_intact() && ok;
	EXPECT_TRUE(ok, "%s: %s -> %s%s", c->what, what, ename(-err), err ? ", nothing changed" : "");
}

/* Every rule of the size field and the argument for request @c. */
static void abi_check(struct harness *_h, const struct abi_case *c)
{
	static uint8_t area[2 * 4096 + 64] __attribute__((aligned(64)));
	uint32_t sz = c->size, min = c->min_size ? c->min_size : c->size;
	unsigned long bigger = _IOC(_IOC_DIR(c->req), HMAP_IOC_MAGIC, _IOC_NR(c->req),
				    (sz + 64) & _IOC_SIZEMASK);
	int rc;

	memset(area, 0, sizeof(area));
	abi_expect(_h, c, abi_run(c, c->req, area, sz, -1), 0, "size = sizeof");
	abi_expect(_h, c, abi_run(c, c->req, area + 1, sz, -1), 0, "misaligned structure");

	abi_expect(_h, c, abi_run(c, c->req, area, 0, -1), EINVAL, "size 0");
	abi_expect(_h, c, abi_run(c, c->req, area, 4, -1), EINVAL, "size 4");
	abi_expect(_h, c, abi_run(c, c->req, area, min - 1, -1), EINVAL,
		   min == sz ? "size sizeof - 1" : "size of the first version - 1");
	if (min != sz) {
		abi_expect(_h, c, abi_run(c, c->req, area, min, -1), 0, "size of the first version");
		/* Read and written to the caller's size only: nothing faults. */
		uint8_t *at = edge_end - min;

		memset(at, 0, min);
		c->fill(at);
		memcpy(at, &min, sizeof(min));
		if (c->before)
			c->before();
		abi_expect(_h, c, ioc(c->req, at), 0, "first version's size, ending at an unmapped page");
	}

	abi_expect(_h, c, abi_run(c, c->req, area, sz + 8, -1), 0, "size + 8, zero tail");
	abi_expect(_h, c, abi_run(c, bigger, area, sz + 64, -1), 0,
		  "size + 64 in the structure and the request number");
	abi_expect(_h, c, abi_run(c, c->req, area, 4096, -1), 0, "size 4096, zero tail");
	abi_expect(_h, c, abi_run(c, c->req, area, sz + 8, sz + 3), EINVAL,
		  "size + 8, a non-zero tail byte");
	abi_expect(_h, c, abi_run(c, c->req, area, 4096, 4095), EINVAL,
		  "size 4096, last byte non-zero");

	/* The structure runs into an unmapped page. */
	{
		uint8_t *at = edge_end - sz;

		abi_expect(_h, c, abi_run(c, c->req, at, sz, -1), 0, "structure ending at an unmapped page");
		memset(at, 0, sz);
		c->fill(at);
		memcpy(at, &(uint32_t){ sz + 8 }, 4);
		if (c->before)
			c->before();
		abi_expect(_h, c, ioc(c->req, at), EFAULT, "size + 8 running into an unmapped page");
	}
	if (c->before)
		c->before();
	rc = ioc(c->req, NULL);
	abi_expect(_h, c, rc, EFAULT, "argument NULL");
	if (c->before)
		c->before();
	abi_expect(_h, c, ioc(c->req, hole), EFAULT, "argument unmapped");
	if (c->before)
		c->before();
	abi_expect(_h, c, ioc(c->req, (void *)(uintptr_t)KERNEL_PTR), EFAULT,
		  "argument a kernel address");
}

#define ABI_TEST(request, i)						\
	TEST(size_and_argument_rules_##request)				\
	{								\
		abi_check(_h, &abi_cases[i]);				\
	}

ABI_TEST(create, 0)
ABI_TEST(destroy, 1)
ABI_TEST(clear, 2)
ABI_TEST(list, 3)
ABI_TEST(lookup, 4)
ABI_TEST(update, 5)
ABI_TEST(delete, 6)
ABI_TEST(dump, 7)
ABI_TEST(stats, 8)
ABI_TEST(snapshot, 9)
