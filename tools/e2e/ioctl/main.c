// SPDX-License-Identifier: GPL-2.0
/*
 * hmap-ioctl-test: conformance test of the /dev/hmap ioctl ABI
 * (include/uapi/hmap.h), run as root in the test VM.
 *
 *   hmap-ioctl-test [-v] [-u UID] [-d DEVICE] [-t SECONDS] [TEST-GLOB...]
 *   hmap-ioctl-test [-d DEVICE] fill|insert ...     (runs hmap-fill)
 *
 *   -u UID     unprivileged uid for the CAP_SYS_ADMIN tests (default 1000)
 *   -d DEVICE  the device (default /dev/hmap)
 *   -t SECONDS how long one test may take (default 300)
 *   -v         print every check, not only those that fail
 *
 * The tests are the TEST()s of the files in this directory (the harness:
 * tools/lib/harness.h), in link order: this file's first (the fixture is
 * set up), race.c's last (the fixture is intact at the end). Output is
 * KTAP: "ok N name" / "not ok N name" per test, with "# FILE:LINE: what"
 * for each failed check before it. Exit status: 0 if every test passed, 1
 * if one failed, 2 if the test could not run at all.
 *
 * Every rejected request is checked twice: for its errno, and for leaving
 * the maps as they were (the fixture map's count and a sample entry, plus
 * whatever the request was about). The maps this test creates are named
 * e2e_*, and are destroyed before it exits.
 *
 * "fill" and "insert" are the helpers of the shell tests, which now live in
 * hmap-fill (tools/e2e/fill.c): hmap-ioctl-test passes them on to it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ioctl_test.h"

const char *dev_path = HMAP_DEVICE;
uid_t unpriv_uid = 1000;

uint8_t *edge_end;
void *hole;
void *ro_page;

static void __attribute__((noreturn, format(printf, 1, 2)))
bail(const char *fmt, ...)
{
	va_list ap;

	fputs("Bail out! ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(2);
}

bool fixture_intact(void)
{
	uint8_t key[FIX_KS], val[FIX_VS];
	long long n = map_count(FIX);

	if (n != FIX_N) {
		TH_LOG("fixture: count %lld, expected %d", n, FIX_N);
		return false;
	}
	mkkey(key, FIX_KS, FIX_SAMPLE);
	memset(val, 0, sizeof(val));
	if (lookup(FIX, key, FIX_KS, val, FIX_VS) || !val_ok(val, FIX_VS, FIX_SAMPLE, 0)) {
		TH_LOG("fixture: entry %d lost or changed", FIX_SAMPLE);
		return false;
	}
	mkkey(key, FIX_KS, FIX_N);
	if (lookup(FIX, key, FIX_KS, val, FIX_VS) != -ENOENT) {
		TH_LOG("fixture: entry %d appeared", FIX_N);
		return false;
	}
	return true;
}

bool rejected(int rc, int err, const char *what)
{
	bool ok = rc == -err;

	if (!ok)
		TH_LOG("%s: got %s, expected %s", what, ename(rc), ename(-err));
	return fixture_intact() && ok;
}

int fresh_map(const char *name, uint32_t ks, uint32_t vs, uint32_t max)
{
	map_destroy(name);
	return map_create(name, ks, vs, max);
}

static void setup_memory(void)
{
	long page_size = sysconf(_SC_PAGESIZE);
	uint8_t *p = mmap(NULL, 4 * page_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		bail("mmap: %s", strerror(errno));
	/* [rw][hole][ro][rw...]: the hole cannot be reused by a larger mmap. */
	memset(p, 0, 4 * page_size);
	if (munmap(p + page_size, page_size) ||
	    mprotect(p + 2 * page_size, page_size, PROT_READ))
		bail("munmap/mprotect: %s", strerror(errno));
	edge_end = p + page_size;
	hole = p + page_size;
	ro_page = p + 2 * page_size;
}

static void __attribute__((noreturn)) usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-v] [-u UID] [-d DEVICE] [-t SECONDS] [TEST-GLOB...]\n",
		prog);
	exit(2);
}

static int option(int opt, const char *arg)
{
	if (opt == 'u')
		unpriv_uid = (uid_t)strtoul(arg, NULL, 0);
	else if (opt == 'd')
		dev_path = arg;
	else
		return -1;
	return 0;
}

/* The first test (link order: this file is first). */
TEST(fixture_is_set_up)
{
	EXPECT_TRUE(fixture_intact(), "fixture %s: %d entries", FIX, FIX_N);
}

int main(int argc, char **argv)
{
	int first = harness_options(argc, argv, "u:d:", option), rc;

	if (first < 0)
		usage(argv[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = ioc_open(dev_path);
	if (rc)
		bail("open %s: %s", dev_path, strerror(-rc));
	setup_memory();

	/* Leftovers of an interrupted run. */
	if (fresh_map(FIX, FIX_KS, FIX_VS, 0) || fill(FIX, FIX_KS, FIX_VS, 0, FIX_N, 0))
		bail("cannot create the fixture map %s", FIX);
	rc = harness_run(argc - first, argv + first);
	map_destroy(FIX);	/* race.c's last test did, unless it did not run */
	return rc;
}
