// SPDX-License-Identifier: GPL-2.0
/* Conformance: dump, resumed, in small and huge batches, while the map grows. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ioctl_test.h"

#define M	"e2e_dump"

static uint8_t keys[HMAP_DUMP_MAX_BATCH * 8], vals[HMAP_DUMP_MAX_BATCH * 16];

FIXTURE(dump) {
	int unused;
};

/* M: key 8, value 16, ids 0..4999. */
FIXTURE_SETUP(dump)
{
	(void)self;
	ASSERT_TRUE(!fresh_map(M, 8, 16, 0) && !fill(M, 8, 16, 0, 5000, 0),
		    "create and fill " M);
}

FIXTURE_TEARDOWN(dump)
{
	(void)self;
	map_destroy(M);
}

TEST(dump_of_an_empty_map)
{
	uint64_t cursor = 0;
	uint32_t count = 16;
	int rc;

	ASSERT_EQ(fresh_map(M, 8, 16, 0), 0, "create " M);
	rc = dump_call(M, &cursor, keys, vals, 8, 16, &count);
	EXPECT_TRUE(rc == 0 && count == 0 && cursor == 0,
		    "dump of an empty map -> 0 entries, cursor 0 (%s, count %u)", ename(rc), count);
	map_destroy(M);
}

TEST_F(dump, each_key_once)
{
	struct dump_result r;
	int rc;

	(void)self;
	result_init(&r, 5000);
	rc = dump_walk(M, 0, 8, 16, 16, &r, gen_zero, NULL);
	EXPECT_TRUE(rc == 0 && r.entries == 5000 && !r.bad && result_seen(&r, 0, 5000, 1, 1),
		    "dump of 5000 entries in batches of 16: each key exactly once, values right (%u calls, %u ENOSPC, %s)",
		    r.calls, r.enospc, ename(rc));
	free(r.seen);
}

/* Resume: the dump from a saved cursor returns the rest, once. */
TEST_F(dump, resumes_from_a_saved_cursor)
{
	struct dump_result r, r2;
	uint64_t cursor = 0, resume;
	uint32_t count;
	int rc = 0, batches;

	(void)self;
	result_init(&r, 5000);
	for (batches = 0; batches < 20 && (cursor || !batches); batches++) {
		count = 64;
		rc = dump_call(M, &cursor, keys, vals, 8, 16, &count);
		if (rc)
			break;
		dump_account(&r, keys, vals, count, 8, 16, gen_zero);
	}
	resume = cursor;
	result_init(&r2, 5000);
	rc = rc ? rc : dump_walk(M, resume, 8, 16, 64, &r2, gen_zero, NULL);
	for (uint64_t id = 0; id < 5000; id++)
		r.seen[id] += r2.seen[id];
	EXPECT_TRUE(rc == 0 && resume != 0 && r.entries + r2.entries == 5000 &&
		    result_seen(&r, 0, 5000, 1, 1),
		    "dump resumed from cursor %#llx after %d batches: the rest exactly once (%llu + %llu)",
		    (unsigned long long)resume, batches, (unsigned long long)r.entries,
		    (unsigned long long)r2.entries);
	free(r.seen);
	free(r2.seen);
}

/* Count 1: -ENOSPC with the room needed, cursor unchanged. */
TEST_F(dump, enospc_gives_the_room_needed)
{
	unsigned int enospc = 0, wrong = 0;
	struct dump_result r;
	uint64_t cursor = 0, got = 0;
	uint32_t count;
	int rc = 0;

	(void)self;
	result_init(&r, 5000);
	do {
		uint64_t c = cursor;

		count = 1;
		rc = dump_call(M, &c, keys, vals, 8, 16, &count);
		if (rc == -ENOSPC) {
			uint32_t need = count;

			enospc++;
			if (need < 2)
				wrong++;
			c = cursor;
			rc = dump_call(M, &c, keys, vals, 8, 16, &count);
			if (!rc && count != need)
				wrong++;
		}
		if (rc)
			break;
		got += count;
		dump_account(&r, keys, vals, count, 8, 16, gen_zero);
		cursor = c;
	} while (cursor);
	EXPECT_TRUE(rc == 0 && enospc > 0 && !wrong && got == 5000 &&
		    result_seen(&r, 0, 5000, 1, 1),
		    "dump with count 1: %u groups -> ENOSPC with the room needed, retried with it: each key once (%s, %u wrong)",
		    enospc, ename(rc), wrong);
	free(r.seen);
}

/* Find a group that does not fit in 1, and look at the struct. */
TEST_F(dump, enospc_leaves_the_cursor)
{
	struct hmap_ioc_dump d = { .size = sizeof(d), .count = 1, .key_size = 8,
				   .value_size = 16, .keys = (uintptr_t)keys,
				   .values = (uintptr_t)vals };
	uint64_t c0 = 0;
	int rc = 0;

	(void)self;
	name_set(d.name, M);
	for (int i = 0; i < 1000; i++) {
		d.count = 1;
		c0 = d.cursor;
		rc = ioc(HMAP_IOC_DUMP, &d);
		if (rc || !d.cursor)
			break;
	}
	EXPECT_TRUE(rc == -ENOSPC && d.cursor == c0 && d.count > 1,
		    "dump ENOSPC: cursor left at %#llx, count set to %u (%s)",
		    (unsigned long long)d.cursor, d.count, ename(rc));
}

/* A count far over the limit: capped, and still returns entries. */
TEST_F(dump, count_over_the_limit_is_capped)
{
	struct dump_result r;
	uint64_t cursor = 0;
	uint32_t count = 0xffffffff;
	int rc;

	(void)self;
	rc = dump_call(M, &cursor, keys, vals, 8, 16, &count);
	EXPECT_TRUE(rc == 0 && count > 0 && count <= HMAP_DUMP_MAX_BATCH,
		    "dump with count 0xffffffff -> 0 (not ENOMEM), %u entries (%s)", count, ename(rc));
	result_init(&r, 5000);
	rc = dump_walk(M, 0, 8, 16, HMAP_DUMP_MAX_BATCH, &r, gen_zero, NULL);
	EXPECT_TRUE(rc == 0 && result_seen(&r, 0, 5000, 1, 1),
		    "dump in batches of HMAP_DUMP_MAX_BATCH: each key once (%u calls)", r.calls);
	free(r.seen);
}

/* Grow-during-dump state: ids >= CHURN_BASE come and go between batches. */
#define CHURN_BASE	1000000
static const char *churn_map = M;
static uint64_t churn_next, churn_deleted;
static unsigned int churn_per_call, churn_calls_max;

static int gen_churn(uint64_t id)
{
	if (id < 2000)
		return 0;
	if (id >= CHURN_BASE && id < churn_next)
		return 1;
	return -1;
}

static void churn(unsigned int call)
{
	uint8_t key[8], val[8];
	unsigned int i;

	if (call > churn_calls_max)
		return;
	for (i = 0; i < churn_per_call; i++) {
		mkkey(key, 8, churn_next);
		mkval(val, 8, churn_next, 1);
		update(churn_map, key, 8, val, 8, HMAP_UPDATE_NOEXIST);
		churn_next++;
	}
	/* And delete an older churn entry: shrinking chains under the cursor. */
	if (churn_deleted + 1 < churn_next - CHURN_BASE) {
		mkkey(key, 8, CHURN_BASE + churn_deleted);
		delete(churn_map, key, 8);
		churn_deleted += 2;
	}
}


/* Growth between the batches: keys present throughout come back. */
TEST(dump_while_the_map_grows_between_batches)
{
	struct hmap_ioc_stats st0, st1;
	struct dump_result r;
	int rc;

	ASSERT_TRUE(!fresh_map(M, 8, 8, 0) && !fill(M, 8, 8, 0, 2000, 0), "create and fill " M);
	churn_next = CHURN_BASE;
	churn_deleted = 0;
	churn_per_call = 50;
	churn_calls_max = 400;
	map_stats(M, &st0);
	result_init(&r, 2000);
	rc = dump_walk(M, 0, 8, 8, 8, &r, gen_churn, churn);
	map_stats(M, &st1);
	EXPECT_TRUE(rc == 0 && !r.bad && result_seen(&r, 0, 2000, 1, UINT32_MAX) &&
		    st1.counters[HMAP_STAT_GROWS] >= st0.counters[HMAP_STAT_GROWS] + 3,
		    "dump while the map grows (B %u -> %u, %llu grows, %llu inserts, %llu deletes between batches): every lasting key returned (%u calls, %llu entries)",
		    st0.B, st1.B,
		    (unsigned long long)(st1.counters[HMAP_STAT_GROWS] - st0.counters[HMAP_STAT_GROWS]),
		    (unsigned long long)(churn_next - CHURN_BASE),
		    (unsigned long long)(churn_deleted / 2), r.calls,
		    (unsigned long long)r.entries);
	free(r.seen);
	map_destroy(M);
}

/*
 * A writer in another process: ids CHURN_BASE.. for INSERTER_KEYS, then it
 * exits. From 2000 entries that is three grows (B 9 to 12).
 */
#define INSERTER_KEYS	20000

static void __attribute__((noreturn)) inserter(void)
{
	uint8_t key[8], val[8];

	for (uint64_t id = CHURN_BASE; id < CHURN_BASE + INSERTER_KEYS; id++) {
		mkkey(key, 8, id);
		mkval(val, 8, id, 1);
		if (update(M, key, 8, val, 8, 0))
			_exit(1);
	}
	_exit(0);
}

/* Growth during the calls. */
TEST(dump_while_another_process_inserts)
{
	struct hmap_ioc_stats st0, st1;
	bool ok = true, done = false;
	struct dump_result r;
	int pass, status, rc = 0;
	pid_t pid;

	ASSERT_TRUE(!fresh_map(M, 8, 8, 0) && !fill(M, 8, 8, 0, 2000, 0), "create and fill " M);
	map_stats(M, &st0);
	pid = fork();
	ASSERT_TRUE(pid >= 0, "fork");
	if (pid == 0)
		inserter();
	churn_next = CHURN_BASE + INSERTER_KEYS;
	for (pass = 0; pass < 1000 && ok && !done; pass++) {
		done = waitpid(pid, &status, WNOHANG) == pid;
		result_init(&r, 2000);
		rc = dump_walk(M, 0, 8, 8, 8, &r, gen_churn, NULL);
		ok = rc == 0 && !r.bad && result_seen(&r, 0, 2000, 1, UINT32_MAX);
		free(r.seen);
	}
	map_stats(M, &st1);
	if (!done) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	EXPECT_TRUE(ok, "%d dumps while another process inserts (B %u -> %u): every lasting key returned by each (%s)",
		    pass, st0.B, st1.B, ename(rc));
	map_destroy(M);
}
