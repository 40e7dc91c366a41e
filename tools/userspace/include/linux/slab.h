/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the slab allocator is malloc(), one block per object so
 * that AddressSanitizer checks each. Allocations can be made to fail (see
 * shim_alloc_fail_*() in <shim.h>); __GFP_NOFAIL ones never do. Sleeping
 * GFP flags are checked with might_sleep().
 */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <linux/kernel.h>

#include <linux/gfp.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

void *shim_kmalloc(size_t size, gfp_t gfp, const char *file, int line);
void *shim_kcalloc(size_t n, size_t size, gfp_t gfp, const char *file, int line);
void shim_kfree(const void *p);

#define kmalloc(s, g)		shim_kmalloc(s, g, __FILE__, __LINE__)
#define kzalloc(s, g)		shim_kmalloc(s, (g) | __GFP_ZERO, __FILE__, __LINE__)
#define kmalloc_array(n, s, g)	shim_kcalloc(n, s, g, __FILE__, __LINE__)
#define kcalloc(n, s, g)	shim_kcalloc(n, s, (g) | __GFP_ZERO, __FILE__, __LINE__)
/* As in 6.12, kvmalloc() and friends refuse over INT_MAX bytes, with a WARN. */
void *shim_kvcalloc(size_t n, size_t size, gfp_t gfp, const char *file, int line);

#define kvmalloc(s, g)		shim_kvcalloc(1, s, g, __FILE__, __LINE__)
#define kvzalloc(s, g)		shim_kvcalloc(1, s, (g) | __GFP_ZERO, __FILE__, __LINE__)
#define kvmalloc_array(n, s, g)	shim_kvcalloc(n, s, g, __FILE__, __LINE__)
#define kvcalloc(n, s, g)	shim_kvcalloc(n, s, (g) | __GFP_ZERO, __FILE__, __LINE__)
#define kfree(p)		shim_kfree(p)
#define kvfree(p)		shim_kfree(p)
#define kfree_sensitive(p)	shim_kfree(p)

/* Caches: plain allocations of their size (list_lru.h says what _lru adds). */
struct kmem_cache {
	size_t size;
};

struct list_lru;

#define SLAB_ACCOUNT		(1U << 26)
struct kmem_cache *shim_kmem_cache_create(size_t size);
#define KMEM_CACHE(s, flags)	shim_kmem_cache_create(sizeof(struct s))
void kmem_cache_destroy(struct kmem_cache *c);
void *kmem_cache_alloc_lru(struct kmem_cache *c, struct list_lru *lru, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *c, void *obj);

#endif
