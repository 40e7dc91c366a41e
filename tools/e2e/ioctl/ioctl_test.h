/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of the ioctl conformance test (hmap-ioctl-test) share:
 * the fixture map, memory with holes, the dump walker.
 */
#ifndef E2E_IOCTL_TEST_H
#define E2E_IOCTL_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "../../lib/harness.h"
#include "../ioc.h"
#include "../pattern.h"

/* An address in the kernel's direct map: never valid for copy_*_user(). */
#define KERNEL_PTR	0xffff888000000000ULL

/* Options (main.c). */
extern const char *dev_path;
extern uid_t unpriv_uid;

/* ---- the fixture: a map that bad requests must leave alone (main.c) ---- */

#define FIX		"e2e_fixture"
#define FIX_KS		8
#define FIX_VS		16
#define FIX_N		100	/* ids 0..99 */
#define FIX_SAMPLE	42

/* The fixture has its FIX_N entries, FIX_SAMPLE right, FIX_N absent. */
bool fixture_intact(void);

/* True if @rc is -@err and the fixture is intact (a diagnostic if not). */
bool rejected(int rc, int err, const char *what);

/* One check: @rc is -@err, and the maps are as they were. */
#define EXPECT_REJECTED(rc, err, ...) do {				\
	char _what[256];						\
	int _rc = (rc);							\
									\
	snprintf(_what, sizeof(_what), __VA_ARGS__);			\
	EXPECT_TRUE(rejected(_rc, (err), _what), "%s -> %s, maps unchanged", \
		    _what, ename(-(err)));				\
} while (0)

/* Destroys what is left of @name from an earlier test, then creates it. */
int fresh_map(const char *name, uint32_t ks, uint32_t vs, uint32_t max);

/* Polls stats until the map is not growing or shrinking (5 s at most; shape.c). */
int wait_settled(const char *name, struct hmap_ioc_stats *st);

/* ---- memory with holes (main.c) ---- */

extern uint8_t *edge_end;	/* a readable page ends here; the next is unmapped */
extern void *hole;		/* an unmapped page (munmap'ed) */
extern void *ro_page;		/* a read-only page */

/* ---- dumps (walk.c) ---- */

/* A dump of the whole fixture in one call into @keys and @vals (1024 entries). */
void dump_request(struct hmap_ioc_dump *d, void *keys, void *vals);

struct dump_result {
	uint32_t *seen;		/* times each id was returned */
	uint64_t nids;		/* ids 0..nids-1 are counted in seen */
	uint64_t entries;	/* entries returned */
	uint64_t bad;		/* entries with an unexpected key or value */
	unsigned int calls, enospc;
	/*
	 * With nshards set (a map of 2^shard_bits shards), dump_walk() also
	 * checks the cursors it gets back: their top byte (the shard, bits
	 * 56..63) below nshards and never going back.
	 */
	uint32_t nshards;
	unsigned int cursor_bad;	/* cursors naming a shard >= nshards */
	unsigned int cursor_back;	/* cursors whose shard went back */
};

/*
 * Expected value of a dumped id: @gen_of maps an id to its generation, or
 * -1 if the id should not be in the map at all.
 */
typedef int (*gen_fn)(uint64_t id);

int gen_zero(uint64_t id);
void result_init(struct dump_result *r, uint64_t nids);
/* Accounts for @n entries of a batch. */
void dump_account(struct dump_result *r, const uint8_t *keys, const uint8_t *vals,
		  uint32_t n, uint32_t ks, uint32_t vs, gen_fn gen);
/*
 * Dumps @name from @cursor to the end in batches of @batch, growing the
 * batch when a group needs more room (as a caller should); @between runs
 * after every call. Returns 0 or the first unexpected error.
 */
int dump_walk(const char *name, uint64_t cursor, uint32_t ks, uint32_t vs,
	      uint32_t batch, struct dump_result *r, gen_fn gen,
	      void (*between)(unsigned int call));
/* Ids in [from, to) seen between @min and @max times: true if all were. */
bool result_seen(const struct dump_result *r, uint64_t from, uint64_t to,
		 uint32_t min, uint32_t max);

#endif /* E2E_IOCTL_TEST_H */
