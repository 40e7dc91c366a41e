/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioctls of /dev/hmap (include/uapi/hmap.h) as calls that return 0 or
 * -errno, for the e2e programs. ioc_dev is the device they use (opened by
 * ioc_open()).
 */
#ifndef E2E_IOC_H
#define E2E_IOC_H

#include <stdbool.h>
#include <stdint.h>

#include <uapi/hmap.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

extern int ioc_dev;

/* Opens @path read-write (close-on-exec) as ioc_dev: 0 or -errno. */
int ioc_open(const char *path);

/* "ENOENT" for -ENOENT, "0" for 0 (8 results live at a time). */
const char *ename(int rc);

int ioc_fd(int fd, unsigned long req, void *arg);
int ioc(unsigned long req, void *arg);

/* Copies @src into a zero-padded name field. */
void name_set(char dst[HMAP_NAME_MAX], const char *src);

int map_create(const char *name, uint32_t ks, uint32_t vs, uint32_t max);
int map_op(unsigned long req, const char *name);
#define map_destroy(name)	map_op(HMAP_IOC_DESTROY, name)
#define map_clear(name)		map_op(HMAP_IOC_CLEAR, name)

int elem_fd(int fd, unsigned long req, const char *name, const void *key,
	    uint32_t ks, void *val, uint32_t vs, uint32_t flags);
int lookup(const char *name, const void *key, uint32_t ks, void *val, uint32_t vs);
int update(const char *name, const void *key, uint32_t ks, const void *val,
	   uint32_t vs, uint32_t flags);
int delete(const char *name, const void *key, uint32_t ks);

int map_stats(const char *name, struct hmap_ioc_stats *st);
/*
 * HMAP_IOC_ENABLE_STATS with @arg on @fd: the new file descriptor, or
 * -errno. stats_enable() is the plain request on ioc_dev.
 */
int stats_enable_fd(int fd, void *arg);
int stats_enable(void);
int map_snapshot(const char *name, struct hmap_ioc_snapshot *sn);
/* The map's entry count, or -errno. */
long long map_count(const char *name);
bool map_exists(const char *name);
/* Fills @out (room for @room) and returns the number of maps, or -errno. */
long long map_list(struct hmap_list_entry *out, uint32_t room);
/* Position of @name in the list (creation order), or -1. */
int list_pos(const char *name);

/*
 * One HMAP_IOC_DUMP: returns 0 or -errno; on success *count is what came
 * back and *cursor the next cursor; with -ENOSPC, *count is the room needed.
 */
int dump_call(const char *name, uint64_t *cursor, void *keys, void *vals,
	      uint32_t ks, uint32_t vs, uint32_t *count);

#endif /* E2E_IOC_H */
