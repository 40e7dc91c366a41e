/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU caches of a map's free objects: overflow buckets and
 * out-of-line keys and values. Part of the core.
 */
#ifndef _HMAP_CACHE_H
#define _HMAP_CACHE_H

#include <linux/gfp.h>
#include <linux/types.h>

struct hmap;

/*
 * The largest cache_objs (objects per CPU and kind): hmap.ko refuses to
 * load with more. 1024 of the largest values (64 KiB) are 64 MiB per CPU.
 */
#define HMAP_CACHE_OBJS_MAX	1024

enum hmap_obj_kind {
	HMAP_OBJ_BUCKET,	/* overflow buckets, bucket_size bytes */
	HMAP_OBJ_KEY,		/* out-of-line keys */
	HMAP_OBJ_VALUE,		/* out-of-line values */
	HMAP_OBJ_NR
};

int hmap_cache_create(struct hmap *map);
void hmap_cache_destroy(struct hmap *map);
void *hmap_cache_take(struct hmap *map, enum hmap_obj_kind kind);
void *hmap_cache_alloc(struct hmap *map, enum hmap_obj_kind kind, gfp_t gfp);
bool hmap_cache_put(struct hmap *map, enum hmap_obj_kind kind, void *obj,
		    bool readers);
void hmap_cache_release(enum hmap_obj_kind kind, void *obj, bool readers);
void hmap_cache_free(struct hmap *map, enum hmap_obj_kind kind, void *obj,
		     bool readers);
void hmap_cache_fill(struct hmap *map, enum hmap_obj_kind kind);
unsigned long hmap_cache_drain(struct hmap *map, unsigned long max);
u64 hmap_cache_objects(struct hmap *map, u64 *bytes);
int hmap_cache_init(void);
void hmap_cache_exit(void);

#endif /* _HMAP_CACHE_H */
