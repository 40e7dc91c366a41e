// SPDX-License-Identifier: GPL-2.0
/*
 * The liburcu rculfhash side of the native benchmark, in a file of its own:
 * liburcu's headers and the kernel shims (bench.c) define the same names.
 *
 * Used the way a liburcu user would: nodes of our own (cds_lfht_node, key,
 * value) from malloc, the urcu-memb flavour (the one the hmap shims use, so
 * both read sides cost the same), auto-resize with accounting, inserts with
 * cds_lfht_add_unique() inside a read-side section, lookups as
 * read lock, cds_lfht_lookup(), copy the value, read unlock.
 */
#define _LGPL_SOURCE
#include <stdint.h>
#include <malloc.h>
#include <stdlib.h>
#include <urcu/urcu-memb.h>
#include <urcu/rculfhash.h>

#include "bench.h"

struct lf_node {
	struct cds_lfht_node node;
	uint64_t key;
	uint64_t value;
};

struct lf_map {
	struct cds_lfht *ht;
	struct lf_node **nodes;	/* every node, to delete them all at the end */
	size_t n, cap;
};

/* A 64-bit mixer of the key (xor-shift-multiply, seeded); rculfhash leaves
 * hashing to the caller. */
static inline unsigned long lf_hash(uint64_t k)
{
	k ^= 0x243f6a8885a308d3ULL;
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	return k ^ (k >> 33);
}

static int lf_match(struct cds_lfht_node *node, const void *key)
{
	return ((struct lf_node *)node)->key == *(const uint64_t *)key;
}

void *lf_create(size_t expect)
{
	struct lf_map *m = calloc(1, sizeof(*m));

	m->cap = expect;
	/* the pointer array is ours, not the map's: allocated before the
	 * memory is measured */
	m->nodes = malloc(m->cap * sizeof(*m->nodes));
	m->ht = cds_lfht_new_flavor(1, 1, 0,
				    CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING,
				    &urcu_memb_flavor,
				    NULL);
	return m;
}

int lf_insert(void *map, uint64_t key, uint64_t value)
{
	struct lf_map *m = map;
	struct lf_node *n = malloc(sizeof(*n)), *old;

	cds_lfht_node_init(&n->node);
	n->key = key;
	n->value = value;
	urcu_memb_read_lock();
	old = (struct lf_node *)cds_lfht_add_unique(m->ht, lf_hash(key), lf_match,
						    &key, &n->node);
	urcu_memb_read_unlock();
	if (old != n) {
		free(n);
		return -1;
	}
	if (m->n < m->cap)
		m->nodes[m->n++] = n;
	return 0;
}

int lf_lookup(void *map, uint64_t key, uint64_t *value)
{
	struct lf_map *m = map;
	struct cds_lfht_iter it;
	struct lf_node *n;
	int ret = -1;

	urcu_memb_read_lock();
	cds_lfht_lookup(m->ht, lf_hash(key), lf_match, &key, &it);
	n = (struct lf_node *)cds_lfht_iter_get_node(&it);
	if (n) {
		*value = n->value;
		ret = 0;
	}
	urcu_memb_read_unlock();
	return ret;
}

/* Unlinks the key's node; the node itself is freed in lf_destroy() (it
 * is in the nodes array), as a call_rcu() of it would after a grace
 * period. */
int lf_delete(void *map, uint64_t key)
{
	struct lf_map *m = map;
	struct cds_lfht_iter it;
	struct cds_lfht_node *n;
	int ret = -1;

	urcu_memb_read_lock();
	cds_lfht_lookup(m->ht, lf_hash(key), lf_match, &key, &it);
	n = cds_lfht_iter_get_node(&it);
	if (n && cds_lfht_del(m->ht, n) == 0)
		ret = 0;
	urcu_memb_read_unlock();
	return ret;
}

/* Called from a registered thread outside any read-side section. */
void lf_destroy(void *map)
{
	struct lf_map *m = map;
	size_t i;

	urcu_memb_read_lock();
	for (i = 0; i < m->n; i++)
		cds_lfht_del(m->ht, &m->nodes[i]->node);
	urcu_memb_read_unlock();
	urcu_memb_synchronize_rcu();
	for (i = 0; i < m->n; i++)
		free(m->nodes[i]);
	cds_lfht_destroy(m->ht, NULL);
	free(m->nodes);
	free(m);
}

void lf_thread_enter(void)
{
	urcu_memb_register_thread();
}

void lf_thread_leave(void)
{
	urcu_memb_unregister_thread();
}

/* Waits for pending call_rcu work (resizes run in rculfhash's own worker). */
void lf_settle(void)
{
	urcu_memb_barrier();
}

/* Heap the benchmark's own bookkeeping takes (the node pointer array),
 * left out of the map's memory. */
unsigned long long lf_ours(void *map)
{
	struct lf_map *m = map;

	return malloc_usable_size(m->nodes) + malloc_usable_size(m);
}
