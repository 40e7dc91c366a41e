// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: run-time statistics. HMAP_IOC_ENABLE_STATS returns a file
 * that holds the run-time counters (HMAP_STATS_RUNTIME_COUNTERS) on until
 * its last close; HMAP_IOC_STATS says which counters are off in
 * counters_off, and callers of its first version (without counters_off)
 * keep working. Without CAP_SYS_ADMIN it is -EPERM: see caps.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ioctl_test.h"

#define RS		"e2e_rstats"
#define RS_N		10	/* ids 0..9 */
#define RUNTIME		HMAP_STATS_RUNTIME_COUNTERS

/* RS's stats; counters_off is ~0 if the call failed. */
static struct hmap_ioc_stats rs_stats(void)
{
	struct hmap_ioc_stats st;

	if (map_stats(RS, &st))
		st.counters_off = ~0ULL;
	return st;
}

/* @hits lookups of present ids and @misses of absent ones in RS. */
static void rs_lookups(int hits, int misses)
{
	uint8_t key[8], val[16];

	for (int i = 0; i < hits + misses; i++) {
		mkkey(key, 8, i < hits ? (uint64_t)i % RS_N : (uint64_t)(1000 + i));
		lookup(RS, key, 8, val, 16);
	}
}

static int rs_setup(void)
{
	return fresh_map(RS, 8, 16, 0) || fill(RS, 8, 16, 0, RS_N, 0);
}

/* An HMAP_IOC_ENABLE_STATS request of @size bytes at @at; flags 0. */
static int enable_at(uint8_t *at, uint32_t size)
{
	memset(at, 0, size > 8 ? size : 8);
	memcpy(at, &size, sizeof(size));
	return stats_enable_fd(ioc_dev, at);
}

/* HMAP_IOC_ENABLE_STATS under another request word @req. */
static int stats_enable_fd_req(unsigned long req, void *arg)
{
	int ret = ioctl(ioc_dev, req, arg);

	return ret < 0 ? -errno : ret;
}

/* A successful request's file closed, and its result as 0. */
static int closed(int rc)
{
	if (rc < 0)
		return rc;
	close(rc);
	return 0;
}

TEST(runtime_stats_are_off_by_default)
{
	struct hmap_ioc_stats st;

	ASSERT_EQ(rs_setup(), 0, "create " RS);
	st = rs_stats();
	EXPECT_TRUE(st.counters_off == RUNTIME,
		    "counters_off = HMAP_STATS_RUNTIME_COUNTERS (%#llx) with no holder: %#llx",
		    (unsigned long long)RUNTIME, (unsigned long long)st.counters_off);
	EXPECT_TRUE(RUNTIME == (1ULL << HMAP_STAT_HITS | 1ULL << HMAP_STAT_MISSES |
				1ULL << HMAP_STAT_READER_RETRIES),
		    "the run-time counters are hits, misses and reader_retries");
	map_destroy(RS);
}

TEST(enable_stats_returns_a_cloexec_fd)
{
	int fd = stats_enable(), fdflags, flflags;

	ASSERT_TRUE(fd >= 0, "HMAP_IOC_ENABLE_STATS -> a file descriptor (%s)",
		    ename(fd < 0 ? fd : 0));
	fdflags = fcntl(fd, F_GETFD);
	flflags = fcntl(fd, F_GETFL);
	EXPECT_TRUE(fd != ioc_dev && fdflags >= 0 && (fdflags & FD_CLOEXEC),
		    "a new descriptor (%d, the device's %d), close-on-exec (F_GETFD %#x)",
		    fd, ioc_dev, (unsigned int)fdflags);
	EXPECT_TRUE(flflags >= 0 && (flflags & O_ACCMODE) == O_RDONLY,
		    "opened read-only (F_GETFL %#x)", (unsigned int)flflags);
	EXPECT_TRUE(close(fd) == 0, "close it -> 0");
}

TEST(runtime_counters_count_only_while_enabled)
{
	struct hmap_ioc_stats st0, st1, st2, st3;
	int fd;

	ASSERT_EQ(rs_setup(), 0, "create " RS);
	st0 = rs_stats();
	rs_lookups(4, 3);
	st1 = rs_stats();
	EXPECT_TRUE(st1.counters_off == RUNTIME &&
		    st1.counters[HMAP_STAT_HITS] == st0.counters[HMAP_STAT_HITS] &&
		    st1.counters[HMAP_STAT_MISSES] == st0.counters[HMAP_STAT_MISSES],
		    "off: 7 lookups move neither hits (%llu -> %llu) nor misses (%llu -> %llu)",
		    (unsigned long long)st0.counters[HMAP_STAT_HITS],
		    (unsigned long long)st1.counters[HMAP_STAT_HITS],
		    (unsigned long long)st0.counters[HMAP_STAT_MISSES],
		    (unsigned long long)st1.counters[HMAP_STAT_MISSES]);

	fd = stats_enable();
	ASSERT_TRUE(fd >= 0, "HMAP_IOC_ENABLE_STATS (%s)", ename(fd < 0 ? fd : 0));
	st1 = rs_stats();
	EXPECT_TRUE(st1.counters_off == 0, "while the fd is open: counters_off 0 (%#llx)",
		    (unsigned long long)st1.counters_off);
	rs_lookups(5, 2);
	st2 = rs_stats();
	EXPECT_TRUE(st2.counters[HMAP_STAT_HITS] - st1.counters[HMAP_STAT_HITS] == 5 &&
		    st2.counters[HMAP_STAT_MISSES] - st1.counters[HMAP_STAT_MISSES] == 2 &&
		    st2.counters[HMAP_STAT_READER_RETRIES] ==
		    st1.counters[HMAP_STAT_READER_RETRIES],
		    "on: 5 hits and 2 misses counted exactly (hits +%llu, misses +%llu), no retries",
		    (unsigned long long)(st2.counters[HMAP_STAT_HITS] - st1.counters[HMAP_STAT_HITS]),
		    (unsigned long long)(st2.counters[HMAP_STAT_MISSES] -
					 st1.counters[HMAP_STAT_MISSES]));
	close(fd);

	st3 = rs_stats();
	EXPECT_TRUE(st3.counters_off == RUNTIME, "after close: counters_off has the run-time bits (%#llx)",
		    (unsigned long long)st3.counters_off);
	EXPECT_TRUE(st3.counters[HMAP_STAT_HITS] == st2.counters[HMAP_STAT_HITS] &&
		    st3.counters[HMAP_STAT_MISSES] == st2.counters[HMAP_STAT_MISSES],
		    "after close: the counts are kept");
	rs_lookups(6, 1);
	st3 = rs_stats();
	EXPECT_TRUE(st3.counters[HMAP_STAT_HITS] == st2.counters[HMAP_STAT_HITS] &&
		    st3.counters[HMAP_STAT_MISSES] == st2.counters[HMAP_STAT_MISSES],
		    "after close: hits (%llu) and misses (%llu) stop moving",
		    (unsigned long long)st3.counters[HMAP_STAT_HITS],
		    (unsigned long long)st3.counters[HMAP_STAT_MISSES]);
	EXPECT_TRUE(st3.counters[HMAP_STAT_INSERTS] == RS_N,
		    "the other counters count regardless (inserts %llu)",
		    (unsigned long long)st3.counters[HMAP_STAT_INSERTS]);
	map_destroy(RS);
}

TEST(enable_stats_holders_nest)
{
	struct hmap_ioc_stats st0, st1;
	int fd1, fd2, fd3;

	ASSERT_EQ(rs_setup(), 0, "create " RS);
	fd1 = stats_enable();
	fd2 = stats_enable();
	ASSERT_TRUE(fd1 >= 0 && fd2 >= 0 && fd1 != fd2, "two holders (%d, %d)", fd1, fd2);
	close(fd1);
	st0 = rs_stats();
	rs_lookups(3, 0);
	st1 = rs_stats();
	EXPECT_TRUE(st1.counters_off == 0 &&
		    st1.counters[HMAP_STAT_HITS] - st0.counters[HMAP_STAT_HITS] == 3,
		    "one of two closed: still on, lookups count");
	/* One file, two descriptors: the hold ends with the last close. */
	fd3 = dup(fd2);
	close(fd2);
	st1 = rs_stats();
	EXPECT_TRUE(fd3 >= 0 && st1.counters_off == 0, "a dup of the last holder keeps it on");
	close(fd3);
	st1 = rs_stats();
	EXPECT_TRUE(st1.counters_off == RUNTIME, "the last holder closed: off (%#llx)",
		    (unsigned long long)st1.counters_off);
	map_destroy(RS);
}

TEST(enable_stats_killed_holder_turns_them_off)
{
	struct hmap_ioc_stats st;
	int pfd[2], status;
	char c = 0;
	pid_t pid;

	ASSERT_EQ(rs_setup(), 0, "create " RS);
	ASSERT_TRUE(!pipe(pfd), "pipe");
	pid = fork();
	ASSERT_TRUE(pid >= 0, "fork");
	if (pid == 0) {
		int fd = stats_enable();

		c = fd >= 0 ? 'y' : 'n';
		if (write(pfd[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (read(pfd[0], &c, 1) != 1)
		c = 0;
	close(pfd[0]);
	st = rs_stats();
	EXPECT_TRUE(c == 'y' && st.counters_off == 0, "a child holds run-time statistics on");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	st = rs_stats();
	EXPECT_TRUE(WIFSIGNALED(status) && st.counters_off == RUNTIME,
		    "the child killed: off again (%#llx)", (unsigned long long)st.counters_off);
	map_destroy(RS);
}

TEST(enable_stats_bad_requests)
{
	static uint8_t area[2 * 4096] __attribute__((aligned(64)));
	struct hmap_ioc_enable_stats e = { .size = sizeof(e) };
	unsigned long bigger = _IOC(_IOC_WRITE, HMAP_IOC_MAGIC, _IOC_NR(HMAP_IOC_ENABLE_STATS), 64);
	int rc;

	e.flags = 1;
	rc = stats_enable_fd(ioc_dev, &e);
	EXPECT_REJECTED(closed(rc), EINVAL, "enable_stats with flags 1");
	e.flags = 1U << 31;
	rc = stats_enable_fd(ioc_dev, &e);
	EXPECT_REJECTED(closed(rc), EINVAL, "enable_stats with flags 1 << 31");
	EXPECT_REJECTED(closed(enable_at(area, 0)), EINVAL, "enable_stats with size 0");
	EXPECT_REJECTED(closed(enable_at(area, 4)), EINVAL, "enable_stats with size 4");
	EXPECT_REJECTED(closed(enable_at(area, sizeof(e) - 1)), EINVAL,
			"enable_stats with size sizeof - 1");
	memset(area, 0, 64);
	memcpy(area, &(uint32_t){ 16 }, 4);
	area[12] = 0x5a;
	rc = stats_enable_fd(ioc_dev, area);
	EXPECT_REJECTED(closed(rc), EINVAL, "enable_stats with size 16, a non-zero tail byte");
	EXPECT_REJECTED(closed(stats_enable_fd(ioc_dev, NULL)), EFAULT, "enable_stats argument NULL");
	EXPECT_REJECTED(closed(stats_enable_fd(ioc_dev, hole)), EFAULT,
			"enable_stats argument unmapped");
	EXPECT_REJECTED(closed(stats_enable_fd(ioc_dev, (void *)(uintptr_t)KERNEL_PTR)), EFAULT,
			"enable_stats argument a kernel address");
	memset(edge_end - 8, 0, 8);
	memcpy(edge_end - 8, &(uint32_t){ 16 }, 4);
	rc = stats_enable_fd(ioc_dev, edge_end - 8);
	EXPECT_REJECTED(closed(rc), EFAULT, "enable_stats, size 16 running into an unmapped page");
	EXPECT_TRUE(rs_setup() == 0 && rs_stats().counters_off == RUNTIME,
		    "no rejected request left run-time statistics on");

	/* The extensible-struct rules: what a valid request may look like. */
	rc = closed(enable_at(area, 16));
	EXPECT_TRUE(rc == 0, "size 16, zero tail -> an fd (%s)", ename(rc));
	rc = closed(enable_at(area, 4096));
	EXPECT_TRUE(rc == 0, "size 4096, zero tail -> an fd (%s)", ename(rc));
	rc = closed(enable_at(area + 1, sizeof(e)));
	EXPECT_TRUE(rc == 0, "misaligned structure -> an fd (%s)", ename(rc));
	memset(edge_end - 8, 0, 8);
	memcpy(edge_end - 8, &(uint32_t){ 8 }, 4);
	rc = closed(stats_enable_fd(ioc_dev, edge_end - 8));
	EXPECT_TRUE(rc == 0, "structure ending at an unmapped page -> an fd (%s)", ename(rc));
	memset(area, 0, 64);
	memcpy(area, &(uint32_t){ 64 }, 4);
	rc = closed(stats_enable_fd_req(bigger, area));
	EXPECT_TRUE(rc == 0, "size 64 in the structure and the request number -> an fd (%s)",
		    ename(rc));
	e.flags = 0;
	rc = closed(stats_enable_fd_req(_IO(HMAP_IOC_MAGIC, _IOC_NR(HMAP_IOC_ENABLE_STATS)), &e));
	EXPECT_TRUE(rc == 0, "as _IO (no size, no direction) -> an fd (%s)", ename(rc));
	EXPECT_TRUE(rs_stats().counters_off == RUNTIME, "every fd closed: off");
	map_destroy(RS);
}

/* HMAP_IOC_STATS as a caller of its first version makes it. */
static int stats_v0(void *at, const char *name)
{
	unsigned long req = _IOC(_IOC_READ | _IOC_WRITE, HMAP_IOC_MAGIC,
				 _IOC_NR(HMAP_IOC_STATS), HMAP_IOC_STATS_SIZE_VER0);
	struct hmap_ioc_stats st = { .size = HMAP_IOC_STATS_SIZE_VER0 };

	name_set(st.name, name);
	memcpy(at, &st, HMAP_IOC_STATS_SIZE_VER0);
	return ioc(req, at);
}

TEST(stats_first_version_size_still_works)
{
	static uint8_t area[4096] __attribute__((aligned(64)));
	struct hmap_ioc_stats st;
	uint8_t *at;
	int rc, fd;
	bool tail_ok = true;

	EXPECT_TRUE(HMAP_IOC_STATS_SIZE_VER0 == offsetof(struct hmap_ioc_stats, counters_off) &&
		    HMAP_IOC_STATS_SIZE_VER1 == offsetof(struct hmap_ioc_stats, query) &&
		    HMAP_IOC_STATS_SIZE_VER2 == sizeof(struct hmap_ioc_stats),
		    "HMAP_IOC_STATS_SIZE_VER0 %d ends before counters_off, VER1 %d before query, VER2 %d is sizeof",
		    HMAP_IOC_STATS_SIZE_VER0, HMAP_IOC_STATS_SIZE_VER1, HMAP_IOC_STATS_SIZE_VER2);
	/* The bytes after the caller's structure are not the kernel's to write. */
	memset(area, 0xa5, sizeof(area));
	rc = stats_v0(area, FIX);
	memcpy(&st, area, HMAP_IOC_STATS_SIZE_VER0);
	for (size_t i = HMAP_IOC_STATS_SIZE_VER0; i < sizeof(area); i++)
		tail_ok &= area[i] == 0xa5;
	EXPECT_TRUE(rc == 0 && st.count == FIX_N && st.key_size == FIX_KS &&
		    st.nr_counters >= HMAP_STAT_NR_V0,
		    "stats with size HMAP_IOC_STATS_SIZE_VER0 -> 0, count %llu (%s)",
		    (unsigned long long)st.count, ename(rc));
	EXPECT_TRUE(tail_ok, "nothing written past the first version's %d bytes",
		    HMAP_IOC_STATS_SIZE_VER0);
	/* Ending at an unmapped page: the reply must fit the caller's size. */
	at = edge_end - HMAP_IOC_STATS_SIZE_VER0;
	rc = stats_v0(at, FIX);
	memcpy(&st, at, HMAP_IOC_STATS_SIZE_VER0);
	EXPECT_TRUE(rc == 0 && st.count == FIX_N,
		    "size VER0 ending at an unmapped page -> 0 (%s)", ename(rc));
	/* Its counters still count while on. */
	fd = stats_enable();
	ASSERT_TRUE(fd >= 0, "HMAP_IOC_ENABLE_STATS (%s)", ename(fd < 0 ? fd : 0));
	{
		struct hmap_ioc_stats st1;
		uint8_t key[FIX_KS], val[FIX_VS];

		mkkey(key, FIX_KS, 1);
		lookup(FIX, key, FIX_KS, val, FIX_VS);
		rc = stats_v0(area, FIX);
		memcpy(&st, area, HMAP_IOC_STATS_SIZE_VER0);
		lookup(FIX, key, FIX_KS, val, FIX_VS);
		rc = rc ? rc : stats_v0(area, FIX);
		memcpy(&st1, area, HMAP_IOC_STATS_SIZE_VER0);
		EXPECT_TRUE(rc == 0 && st1.counters[HMAP_STAT_HITS] == st.counters[HMAP_STAT_HITS] + 1,
			    "a VER0 caller sees hits move while on (%s)", ename(rc));
	}
	close(fd);

	memset(area, 0, sizeof(area));
	name_set(((struct hmap_ioc_stats *)area)->name, FIX);
	memcpy(area, &(uint32_t){ HMAP_IOC_STATS_SIZE_VER0 - 1 }, 4);
	EXPECT_REJECTED(ioc(HMAP_IOC_STATS, area), EINVAL, "stats with size VER0 - 1");
	memcpy(area, &(uint32_t){ HMAP_IOC_STATS_SIZE_VER0 - 8 }, 4);
	EXPECT_REJECTED(ioc(HMAP_IOC_STATS, area), EINVAL, "stats with size VER0 - 8");
	/* Between two versions: the reply would end inside counters_off. */
	memcpy(area, &(uint32_t){ HMAP_IOC_STATS_SIZE_VER0 + 4 }, 4);
	EXPECT_REJECTED(ioc(HMAP_IOC_STATS, area), EINVAL, "stats with size VER0 + 4");
	rc = map_stats(FIX, &st);
	EXPECT_TRUE(rc == 0 && st.counters_off == RUNTIME,
		    "full size: counters_off filled (%#llx)", (unsigned long long)st.counters_off);
}
