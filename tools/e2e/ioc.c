// SPDX-License-Identifier: GPL-2.0
/* The ioctls of /dev/hmap as calls that return 0 or -errno (ioc.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ioc.h"

int ioc_dev = -1;

int ioc_open(const char *path)
{
	ioc_dev = open(path, O_RDWR | O_CLOEXEC);
	return ioc_dev < 0 ? -errno : 0;
}

const char *ename(int rc)
{
	static char buf[8][32];
	static unsigned int i;
	const char *s;

	if (rc == 0)
		return "0";
	s = strerrorname_np(-rc);
	if (s)
		return s;
	i = (i + 1) % ARRAY_SIZE(buf);
	snprintf(buf[i], sizeof(buf[i]), "errno %d", -rc);
	return buf[i];
}

int ioc_fd(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

int ioc(unsigned long req, void *arg)
{
	return ioc_fd(ioc_dev, req, arg);
}

void name_set(char dst[HMAP_NAME_MAX], const char *src)
{
	memset(dst, 0, HMAP_NAME_MAX);
	memcpy(dst, src, strnlen(src, HMAP_NAME_MAX));
}

int map_create(const char *name, uint32_t ks, uint32_t vs, uint32_t max)
{
	struct hmap_ioc_create c = {
		.size = sizeof(c), .key_size = ks, .value_size = vs,
		.max_entries = max,
	};

	name_set(c.name, name);
	return ioc(HMAP_IOC_CREATE, &c);
}

int map_op(unsigned long req, const char *name)
{
	struct hmap_ioc_map m = { .size = sizeof(m) };

	name_set(m.name, name);
	return ioc(req, &m);
}

int elem_fd(int fd, unsigned long req, const char *name, const void *key,
	    uint32_t ks, void *val, uint32_t vs, uint32_t flags)
{
	struct hmap_ioc_elem e = {
		.size = sizeof(e), .flags = flags,
		.key = (uintptr_t)key, .value = (uintptr_t)val,
		.key_size = ks, .value_size = vs,
	};

	name_set(e.name, name);
	return ioc_fd(fd, req, &e);
}

int lookup(const char *name, const void *key, uint32_t ks, void *val, uint32_t vs)
{
	return elem_fd(ioc_dev, HMAP_IOC_LOOKUP, name, key, ks, val, vs, 0);
}

int update(const char *name, const void *key, uint32_t ks, const void *val,
	   uint32_t vs, uint32_t flags)
{
	return elem_fd(ioc_dev, HMAP_IOC_UPDATE, name, key, ks, (void *)val, vs, flags);
}

int delete(const char *name, const void *key, uint32_t ks)
{
	return elem_fd(ioc_dev, HMAP_IOC_DELETE, name, key, ks, NULL, 0, 0);
}

int map_stats(const char *name, struct hmap_ioc_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	name_set(st->name, name);
	return ioc(HMAP_IOC_STATS, st);
}

int stats_enable_fd(int fd, void *arg)
{
	int ret = ioctl(fd, HMAP_IOC_ENABLE_STATS, arg);

	return ret < 0 ? -errno : ret;
}

int stats_enable(void)
{
	struct hmap_ioc_enable_stats e = { .size = sizeof(e) };

	return stats_enable_fd(ioc_dev, &e);
}

int map_snapshot(const char *name, struct hmap_ioc_snapshot *sn)
{
	memset(sn, 0, sizeof(*sn));
	sn->size = sizeof(*sn);
	name_set(sn->name, name);
	return ioc(HMAP_IOC_SNAPSHOT, sn);
}

long long map_count(const char *name)
{
	struct hmap_ioc_stats st;
	int rc = map_stats(name, &st);

	return rc ? rc : (long long)st.count;
}

bool map_exists(const char *name)
{
	return map_count(name) >= 0;
}

long long map_list(struct hmap_list_entry *out, uint32_t room)
{
	struct hmap_ioc_list l = {
		.size = sizeof(l), .count = room, .entries = (uintptr_t)out,
	};
	int rc = ioc(HMAP_IOC_LIST, &l);

	return rc ? rc : (long long)l.count;
}

int list_pos(const char *name)
{
	static struct hmap_list_entry e[256];
	long long n = map_list(e, ARRAY_SIZE(e));
	int i;

	for (i = 0; i < n && i < (int)ARRAY_SIZE(e); i++)
		if (!strncmp(e[i].name, name, HMAP_NAME_MAX))
			return i;
	return -1;
}

int dump_call(const char *name, uint64_t *cursor, void *keys, void *vals,
	      uint32_t ks, uint32_t vs, uint32_t *count)
{
	struct hmap_ioc_dump d = {
		.size = sizeof(d), .cursor = *cursor, .keys = (uintptr_t)keys,
		.values = (uintptr_t)vals, .key_size = ks, .value_size = vs,
		.count = *count,
	};
	int rc;

	name_set(d.name, name);
	rc = ioc(HMAP_IOC_DUMP, &d);
	if (!rc)
		*cursor = d.cursor;
	if (!rc || rc == -ENOSPC)
		*count = d.count;
	return rc;
}
