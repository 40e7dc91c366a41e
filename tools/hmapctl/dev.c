// SPDX-License-Identifier: GPL-2.0
/*
 * hmapctl: the device. One descriptor, opened on first use; every request
 * goes through dev_ioctl() (tests link mock.c in its place).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hmapctl.h"

static int dev_fd = -1;

const char *dev_path(void)
{
	const char *p = getenv("HMAPCTL_DEVICE");

	return p && *p ? p : HMAP_DEVICE;
}

int dev_open(void)
{
	const char *path = dev_path();
	int err;

	if (dev_fd >= 0)
		return 0;
	dev_fd = open(path, O_RDWR | O_CLOEXEC);
	if (dev_fd >= 0)
		return 0;
	err = errno;
	if (err == EACCES || err == EPERM)
		return fail(EXIT_PERM, "cannot open %s: %s (need root)",
			    path, strerror(err));
	return fail(EXIT_NODEV, "cannot open %s: %s (is the hmap module loaded?)",
		    path, strerror(err));
}

int dev_ioctl(unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(dev_fd, req, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? errno : 0;
}

int dev_enable_stats(int *fd)
{
	struct hmap_ioc_enable_stats e = { .size = sizeof(e) };

	do {
		*fd = ioctl(dev_fd, HMAP_IOC_ENABLE_STATS, &e);
	} while (*fd < 0 && errno == EINTR);
	return *fd < 0 ? errno : 0;
}

void dev_stats_release(int fd)
{
	close(fd);
}
