// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: destroy while other processes are inside the map. The last
 * file linked (Makefile): its last test checks the fixture at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ioctl_test.h"

enum looper { LOOP_LOOKUP, LOOP_DUMP, LOOP_UPDATE, LOOP_SNAPSHOT, LOOP_NR };
static const char *const looper_names[] = { "lookup", "dump", "update", "snapshot" };

/* Loops @what on @m until the map is gone: exit 0 on ENOENT, 1 on another error. */
static void __attribute__((noreturn)) looper(const char *m, enum looper what, int ready)
{
	static uint8_t keys[64 * 8], vals[64 * 8];
	struct hmap_ioc_snapshot sn;
	uint8_t key[8], val[8];
	uint64_t cursor = 0, i;
	uint32_t count;
	int rc = 0;

	alarm(120);
	for (i = 0;; i++) {
		mkkey(key, 8, i % 5000);
		switch (what) {
		case LOOP_LOOKUP:
			rc = lookup(m, key, 8, val, 8);
			break;
		case LOOP_DUMP:
			count = 64;
			rc = dump_call(m, &cursor, keys, vals, 8, 8, &count);
			if (rc == -ENOSPC)	/* a long chain: take it whole */
				rc = 0, cursor = 0;
			break;
		case LOOP_UPDATE:
			mkval(val, 8, i % 5000, 0);
			rc = update(m, key, 8, val, 8, 0);
			break;
		default:
			rc = map_snapshot(m, &sn);
			break;
		}
		if (rc == -ENOENT && (what != LOOP_LOOKUP || map_count(m) < 0))
			_exit(0);
		if (rc && rc != -ENOENT) {
			fprintf(stderr, "looper %s: %s\n", looper_names[what], ename(rc));
			_exit(1);
		}
		if (i == 10 && write(ready, "r", 1) != 1)
			_exit(1);
	}
}

TEST(destroy_while_others_are_inside_the_map)
{
	const char *m = "e2e_race";
	int round;

	for (round = 0; round < 3; round++) {
		pid_t pids[LOOP_NR];
		int pfd[2], status, rc, ok_children = 0;
		char c;

		ASSERT_TRUE(!fresh_map(m, 8, 8, 0), "create %s", m);
		fill(m, 8, 8, 0, 5000, 0);
		if (pipe(pfd))
			ASSERT_TRUE(false, "pipe");
		for (int w = 0; w < LOOP_NR; w++) {
			pids[w] = fork();
			if (pids[w] < 0)
				ASSERT_TRUE(false, "fork");
			if (pids[w] == 0) {
				close(pfd[0]);
				looper(m, w, pfd[1]);
			}
		}
		close(pfd[1]);
		for (int w = 0; w < LOOP_NR; w++)
			if (read(pfd[0], &c, 1) != 1)
				break;
		close(pfd[0]);
		usleep(20000 * (round + 1));
		rc = map_destroy(m);
		for (int w = 0; w < LOOP_NR; w++) {
			waitpid(pids[w], &status, 0);
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				ok_children++;
			else
				TH_LOG("%s looper: %s %d", looper_names[w],
				       WIFEXITED(status) ? "exit" : "signal",
				       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		}
		EXPECT_TRUE(rc == 0 && ok_children == LOOP_NR && !map_exists(m),
			    "round %d: destroy -> 0 while lookup, dump, update and snapshot loop; each saw ENOENT and stopped (%d/%d)",
			    round + 1, ok_children, LOOP_NR);
	}
}

/* A dump whose map goes away between two calls. */
TEST(dump_resumed_after_destroy_is_enoent)
{
	static uint8_t keys[16 * 8], vals[16 * 8];
	const char *m = "e2e_race";
	uint64_t cursor = 0;
	uint32_t count = 16;
	int rc;

	ASSERT_TRUE(!fresh_map(m, 8, 8, 0) && !fill(m, 8, 8, 0, 1000, 0), "create and fill %s", m);
	rc = dump_call(m, &cursor, keys, vals, 8, 8, &count);
	map_destroy(m);
	count = 16;
	rc = rc ? rc : dump_call(m, &cursor, keys, vals, 8, 8, &count);
	EXPECT_TRUE(rc == -ENOENT, "a dump resumed after its map was destroyed -> ENOENT (%s)",
		    ename(rc));
}

/* The last test (link order: this file is last). */
TEST(fixture_intact_at_the_end)
{
	EXPECT_TRUE(fixture_intact() && map_destroy(FIX) == 0 && !map_exists(FIX),
		    "fixture intact at the end, destroyed");
}
