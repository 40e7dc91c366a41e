// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: CAP_SYS_ADMIN for create, destroy and enable_stats, and only
 * for them.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ioctl_test.h"

/* What the unprivileged child saw, for the parent to check. */
struct unpriv_result {
	int setuid_rc;
	int open_rc;		/* open /dev/hmap at 0666 as the user */
	int create_rc, destroy_rc, lookup_rc, update_rc, stats_rc, enable_rc;
	int inh_create_rc, inh_destroy_rc, inh_lookup_rc, inh_enable_rc;
};

/* HMAP_IOC_ENABLE_STATS on @fd: 0 (the new fd closed) or -errno. */
static int try_enable(int fd)
{
	struct hmap_ioc_enable_stats e = { .size = sizeof(e) };
	int rc = stats_enable_fd(fd, &e);

	if (rc >= 0) {
		close(rc);
		rc = 0;
	}
	return rc;
}

static void unpriv_child(int wfd)
{
	struct unpriv_result r = { 0 };
	uint8_t key[FIX_KS], val[FIX_VS];
	struct hmap_ioc_create c = { .size = sizeof(c), .key_size = 4, .value_size = 4 };
	struct hmap_ioc_map mo = { .size = sizeof(mo) };
	struct hmap_ioc_stats st = { .size = sizeof(st) };
	int fd;

	name_set(c.name, "e2e_unpriv");
	name_set(mo.name, FIX);
	name_set(st.name, FIX);
	mkkey(key, FIX_KS, FIX_SAMPLE);
	mkval(val, FIX_VS, FIX_SAMPLE, 0);
	if (setgroups(0, NULL) || setgid(unpriv_uid) || setuid(unpriv_uid) || geteuid() == 0)
		r.setuid_rc = errno ? -errno : -EPERM;
	/* The fd the parent (root) opened: what counts is the caller's caps. */
	r.inh_create_rc = ioc_fd(ioc_dev, HMAP_IOC_CREATE, &c);
	r.inh_destroy_rc = ioc_fd(ioc_dev, HMAP_IOC_DESTROY, &mo);
	r.inh_lookup_rc = elem_fd(ioc_dev, HMAP_IOC_LOOKUP, FIX, key, FIX_KS, val, FIX_VS, 0);
	r.inh_enable_rc = try_enable(ioc_dev);
	fd = open(dev_path, O_RDWR);
	r.open_rc = fd < 0 ? -errno : 0;
	if (fd >= 0) {
		r.create_rc = ioc_fd(fd, HMAP_IOC_CREATE, &c);
		r.destroy_rc = ioc_fd(fd, HMAP_IOC_DESTROY, &mo);
		r.lookup_rc = elem_fd(fd, HMAP_IOC_LOOKUP, FIX, key, FIX_KS, val, FIX_VS, 0);
		r.update_rc = elem_fd(fd, HMAP_IOC_UPDATE, FIX, key, FIX_KS, val, FIX_VS, 0);
		r.stats_rc = ioc_fd(fd, HMAP_IOC_STATS, &st);
		r.enable_rc = try_enable(fd);
		close(fd);
	}
	if (write(wfd, &r, sizeof(r)) != sizeof(r))
		_exit(1);
	_exit(0);
}

/*
 * Runs unpriv_child() as unpriv_uid with the device at mode 0666 (skips
 * the test if not root). Returns true if it ran, with its results in *@r.
 */
static bool run_unpriv(struct harness *_h, struct unpriv_result *r)
{
	struct stat sb;
	int pfd[2], status;
	mode_t mode;
	pid_t pid;
	ssize_t n;

	if (geteuid() != 0) {
		SKIP(return false, "not running as root");
	}
	ASSERT_TRUE(!stat(dev_path, &sb), "stat %s", dev_path);
	mode = sb.st_mode & 07777;
	ASSERT_TRUE(!chmod(dev_path, 0666) && !pipe(pfd), "chmod %s 0666, pipe", dev_path);
	pid = fork();
	ASSERT_TRUE(pid >= 0, "fork");
	if (pid == 0)
		unpriv_child(pfd[1]);
	close(pfd[1]);
	n = read(pfd[0], r, sizeof(*r));
	close(pfd[0]);
	waitpid(pid, &status, 0);
	chmod(dev_path, mode);
	ASSERT_TRUE(n == sizeof(*r) && !r->setuid_rc, "unprivileged child ran (setuid %s)",
		    n == sizeof(*r) ? ename(r->setuid_rc) : "?");
	return true;
}

TEST(device_mode_is_0600_by_default)
{
	struct stat sb;
	mode_t mode;

	ASSERT_TRUE(!stat(dev_path, &sb), "stat %s", dev_path);
	mode = sb.st_mode & 07777;
	EXPECT_TRUE(mode == 0600, "%s has mode 0600 by default (%04o)", dev_path, (unsigned int)mode);
}

TEST(create_and_destroy_need_cap_sys_admin)
{
	struct unpriv_result r;

	if (!run_unpriv(_h, &r))
		return;
	EXPECT_TRUE(r.open_rc == 0, "uid %u opens %s at mode 0666 (%s)", (unsigned int)unpriv_uid,
		    dev_path, ename(r.open_rc));
	EXPECT_REJECTED(r.create_rc, EPERM, "create without CAP_SYS_ADMIN");
	EXPECT_TRUE(!map_exists("e2e_unpriv"), "no map was created");
	EXPECT_REJECTED(r.destroy_rc, EPERM, "destroy without CAP_SYS_ADMIN");
}

TEST(elem_requests_need_no_capability)
{
	struct unpriv_result r;

	if (!run_unpriv(_h, &r))
		return;
	EXPECT_TRUE(r.lookup_rc == 0 && r.update_rc == 0 && r.stats_rc == 0,
		    "lookup, update and stats need no capability (%s, %s, %s)", ename(r.lookup_rc),
		    ename(r.update_rc), ename(r.stats_rc));
}

/* The fd root opened: what counts is the caller's capabilities. */
TEST(capability_of_the_caller_not_the_opener)
{
	struct unpriv_result r;

	if (!run_unpriv(_h, &r))
		return;
	EXPECT_REJECTED(r.inh_create_rc, EPERM, "create without CAP_SYS_ADMIN on root's open file");
	EXPECT_REJECTED(r.inh_destroy_rc, EPERM, "destroy without CAP_SYS_ADMIN on root's open file");
	EXPECT_TRUE(r.inh_lookup_rc == 0, "lookup on root's open file -> 0 (%s)",
		    ename(r.inh_lookup_rc));
}

TEST(enable_stats_needs_cap_sys_admin)
{
	struct unpriv_result r;
	struct hmap_ioc_stats st;

	if (!run_unpriv(_h, &r))
		return;
	EXPECT_REJECTED(r.enable_rc, EPERM, "enable_stats without CAP_SYS_ADMIN");
	EXPECT_REJECTED(r.inh_enable_rc, EPERM, "enable_stats without CAP_SYS_ADMIN on root's open file");
	EXPECT_TRUE(map_stats(FIX, &st) == 0 && st.counters_off == HMAP_STATS_RUNTIME_COUNTERS,
		    "run-time statistics still off (%#llx)", (unsigned long long)st.counters_off);
}
