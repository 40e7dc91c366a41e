// SPDX-License-Identifier: GPL-2.0
/*
 * hmap_verify(): the structural invariants of a map, checked under its
 * writer lock. For tests (the torture suite runs it during and after its
 * run) and for debugging. It costs a walk of both arrays and, per entry, a
 * search of its chain, so it is no fast path.
 *
 * Part of the core: it reads the layout through the helpers of
 * hmap_core.h and allocates nothing, so it can run while the allocator
 * fails (fault injection).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "hmap_core.h"

/* What one array of a map is checked against. */
struct hmap_verify {
	struct hmap *map;
	struct hmap_table *t;		/* the current array */
	struct hmap_table *o;		/* the old array, NULL if not growing */
	bool old;			/* walking @o rather than @t */
	unsigned long noverflow;	/* the map's count for this array */
	unsigned long overflow;		/* overflow buckets found */
	u64 live;			/* live entries found */
};

static __printf(2, 3) void hmap_verify_map_err(struct hmap *map,
						const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("map %u: verify: %pV\n", map->id, &vaf);
	va_end(args);
}

static __printf(2, 3) void hmap_verify_err(struct hmap_verify *v,
					    const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("map %u: verify: %s array: %pV\n", v->map->id,
	       v->old ? "old" : "current", &vaf);
	va_end(args);
}

static bool hmap_is_evac_mark(u8 top)
{
	return top > HMAP_EMPTY_ONE && top < HMAP_MIN_TOPHASH;
}

/*
 * Whether a chain holds @key in a live slot: from its head (@from NULL) or
 * after slot @s of bucket @from. The chain's length was checked before.
 */
static bool hmap_chain_has(struct hmap_verify *v, struct hmap_bucket *head,
			   struct hmap_bucket *from, unsigned int s, u8 top,
			   const void *key)
{
	const struct hmap_layout *l = &v->map->layout;
	struct hmap_bucket *b = from ?: head;
	unsigned int i = from ? s + 1 : 0;
	const u8 *k;

	for (; b; b = hmap_dereference_protected(b->overflow, v->map), i = 0) {
		for (; i < HMAP_BUCKET_SLOTS; i++) {
			if (b->tophash[i] != top)
				continue;
			k = hmap_key_bytes(l, b, i);
			if (k && !memcmp(k, key, l->key_size))
				return true;
		}
	}
	return false;
}

/*
 * Counts the buckets of chain @index, failing if it is longer than the
 * array's overflow buckets allow (a cycle would never end).
 */
static int hmap_verify_chain_len(struct hmap_verify *v, unsigned long index,
				 struct hmap_bucket *head, unsigned long *len)
{
	struct hmap_bucket *b;

	*len = 0;
	for (b = head; b; b = hmap_dereference_protected(b->overflow, v->map)) {
		if (++*len > v->noverflow + 1) {
			hmap_verify_err(v, "bucket %lu: chain longer than %lu overflow buckets allow (a cycle? a wrong count?)",
					index, v->noverflow);
			return -EUCLEAN;
		}
	}
	v->overflow += *len - 1;
	return 0;
}

/* Checks the live slot @i of @b, in chain @index of the array being walked. */
static int hmap_verify_entry(struct hmap_verify *v, struct hmap_bucket *head,
			     unsigned long index, struct hmap_bucket *b,
			     unsigned int i, unsigned long pos)
{
	struct hmap_table *a = v->old ? v->o : v->t;
	const struct hmap_layout *l = &v->map->layout;
	unsigned long mask = hmap_nbuckets(a) - 1;
	const u8 *k = hmap_key_bytes(l, b, i);
	u8 top = b->tophash[i];
	u64 hash;

	if (!k) {
		hmap_verify_err(v, "bucket %lu slot %lu: live, no key object",
				index, pos);
		return -EUCLEAN;
	}
	if (l->value_ool && !hmap_value_bytes(l, b, i)) {
		hmap_verify_err(v, "bucket %lu slot %lu: live, no value object",
				index, pos);
		return -EUCLEAN;
	}
	hash = hmap_hash(v->map, k);
	if (v->map->router && hmap_shard_of(v->map->router, hash) != v->map) {
		hmap_verify_err(v, "bucket %lu slot %lu: key of shard %llu",
				index, pos, (hash >> HMAP_SHARD_SHIFT) &
				v->map->router->shard_mask);
		return -EUCLEAN;
	}
	if ((hash & mask) != index) {
		hmap_verify_err(v, "bucket %lu slot %lu: key hashes to bucket %llu",
				index, pos, hash & mask);
		return -EUCLEAN;
	}
	if (top != hmap_tophash(hash)) {
		hmap_verify_err(v, "bucket %lu slot %lu: tophash %#x, hash says %#x",
				index, pos, top, hmap_tophash(hash));
		return -EUCLEAN;
	}
	if (hmap_chain_has(v, head, b, i, top, k)) {
		hmap_verify_err(v, "bucket %lu slot %lu: key stored twice in the chain",
				index, pos);
		return -EUCLEAN;
	}
	/*
	 * While growing, an entry reaches the current array by evacuation of
	 * its old bucket, or by a write that evacuated that bucket first.
	 */
	if (!v->old && v->o) {
		unsigned long oi = hash & (hmap_nbuckets(v->o) - 1);

		if (!hmap_evacuated(hmap_bucket_at(v->o, oi))) {
			hmap_verify_err(v, "bucket %lu slot %lu: its old bucket %lu is not evacuated",
					index, pos, oi);
			return -EUCLEAN;
		}
	}
	/* An entry not evacuated yet must not be in the new array as well. */
	if (v->old) {
		unsigned long ni = hash & (hmap_nbuckets(v->t) - 1);

		if (hmap_chain_has(v, hmap_bucket_at(v->t, ni), NULL, 0, top, k)) {
			hmap_verify_err(v, "bucket %lu slot %lu: key also in bucket %lu of the current array",
					index, pos, ni);
			return -EUCLEAN;
		}
	}
	v->live++;
	return 0;
}

/* Checks an evacuated old chain: every slot carries an evacuation mark. */
static int hmap_verify_evacuated(struct hmap_verify *v, unsigned long index,
				 struct hmap_bucket *head)
{
	unsigned long len = 0, pos;
	struct hmap_bucket *b;
	unsigned int i;
	u8 top;

	for (b = head; b; b = hmap_dereference_protected(b->overflow, v->map)) {
		len++;
		for (i = 0; i < HMAP_BUCKET_SLOTS; i++) {
			top = b->tophash[i];
			pos = (len - 1) * HMAP_BUCKET_SLOTS + i;
			if (!hmap_is_evac_mark(top)) {
				hmap_verify_err(v, "bucket %lu slot %lu: tophash %#x in an evacuated chain",
						index, pos, top);
				return -EUCLEAN;
			}
			if (top == HMAP_EVACUATED_Y &&
			    v->map->growth != HMAP_GROWTH_DOUBLE) {
				hmap_verify_err(v, "bucket %lu slot %lu: EVACUATED_Y outside a double grow",
						index, pos);
				return -EUCLEAN;
			}
		}
	}
	return 0;
}

/* Checks chain @index of the array being walked. */
static int hmap_verify_chain(struct hmap_verify *v, unsigned long index)
{
	struct hmap_table *a = v->old ? v->o : v->t;
	struct hmap_bucket *head = hmap_bucket_at(a, index), *b;
	unsigned long len, pos, empty_one = 0;
	bool rest = false, pending = false;
	unsigned int i;
	int err;
	u8 top;

	err = hmap_verify_chain_len(v, index, head, &len);
	if (err)
		return err;
	if (v->old) {
		if (hmap_evacuated(head))
			return hmap_verify_evacuated(v, index, head);
		if (index < v->map->nevacuate) {
			hmap_verify_err(v, "bucket %lu: below nevacuate %lu, not evacuated",
					index, v->map->nevacuate);
			return -EUCLEAN;
		}
	}
	len = 0;
	for (b = head; b; b = hmap_dereference_protected(b->overflow, v->map)) {
		len++;
		for (i = 0; i < HMAP_BUCKET_SLOTS; i++) {
			top = b->tophash[i];
			pos = (len - 1) * HMAP_BUCKET_SLOTS + i;
			if (top == HMAP_EMPTY_REST) {
				rest = true;
				continue;
			}
			if (rest) {
				hmap_verify_err(v, "bucket %lu slot %lu: tophash %#x after EMPTY_REST",
						index, pos, top);
				return -EUCLEAN;
			}
			if (top == HMAP_EMPTY_ONE) {
				if (!pending)
					empty_one = pos;
				pending = true;
				continue;
			}
			if (hmap_is_evac_mark(top)) {
				hmap_verify_err(v, "bucket %lu slot %lu: evacuation mark %#x in a live chain",
						index, pos, top);
				return -EUCLEAN;
			}
			pending = false;
			err = hmap_verify_entry(v, head, index, b, i, pos);
			if (err)
				return err;
		}
	}
	if (pending) {
		hmap_verify_err(v, "bucket %lu slot %lu: EMPTY_ONE with no live slot after it",
				index, empty_one);
		return -EUCLEAN;
	}
	return 0;
}

static int hmap_verify_array(struct hmap_verify *v, bool old)
{
	struct hmap_table *a = old ? v->o : v->t;
	unsigned long i;
	int err;

	v->old = old;
	v->noverflow = old ? v->map->old_noverflow : v->map->noverflow;
	v->overflow = 0;
	for (i = 0; i < hmap_nbuckets(a); i++) {
		err = hmap_verify_chain(v, i);
		if (err)
			return err;
	}
	if (v->overflow != v->noverflow) {
		hmap_verify_err(v, "%lu overflow buckets, the map counts %lu",
				v->overflow, v->noverflow);
		return -EUCLEAN;
	}
	return 0;
}

/* The growth state: which arrays exist and how their sizes relate. */
static int hmap_verify_growth(struct hmap *map, struct hmap_table *t,
			      struct hmap_table *o)
{
	unsigned int want;

	lockdep_assert_held(&map->lock);
	if (!o) {
		if (map->growth == HMAP_GROWTH_NONE && !map->nevacuate &&
		    !map->old_noverflow)
			return 0;
		hmap_verify_map_err(map, "not growing: growth %d, nevacuate %lu, old_noverflow %lu",
				    map->growth, map->nevacuate,
				    map->old_noverflow);
		return -EUCLEAN;
	}
	switch (map->growth) {
	case HMAP_GROWTH_DOUBLE:
		want = o->B + 1;
		break;
	case HMAP_GROWTH_SAMESIZE:
		want = o->B;
		break;
	case HMAP_GROWTH_SHRINK:
		want = o->B - 1;
		break;
	default:
		hmap_verify_map_err(map, "old array, but growth %d", map->growth);
		return -EUCLEAN;
	}
	if (t->B != want) {
		hmap_verify_map_err(map, "growth %d from B %u to B %u",
				    map->growth, o->B, t->B);
		return -EUCLEAN;
	}
	if (map->nevacuate >= hmap_nbuckets(o)) {
		hmap_verify_map_err(map, "nevacuate %lu of %lu old buckets, grow not finished",
				    map->nevacuate, hmap_nbuckets(o));
		return -EUCLEAN;
	}
	return 0;
}

/*
 * The array allocated ahead of the next resize: a size up (double grow),
 * the same (same-size grow) or a size down (shrink) from the current
 * array, within the largest B, only while not growing, and untouched.
 */
static int hmap_verify_spare(struct hmap *map, struct hmap_table *t)
{
	struct hmap_table *s = map->spare;
	const u64 *w;
	size_t i, n;

	lockdep_assert_held(&map->lock);
	if (!s)
		return 0;
	if (map->growth != HMAP_GROWTH_NONE || s->B > t->B + 1 ||
	    s->B + 1 < t->B || s->B > map->max_B || rcu_access_pointer(s->old)) {
		hmap_verify_map_err(map, "spare array of B %u with growth %d, B %u",
				    s->B, map->growth, t->B);
		return -EUCLEAN;
	}
	/* Buckets are 8-byte multiples (see hmap_create()). */
	w = s->buckets;
	n = hmap_nbuckets(s) * s->layout.bucket_size / sizeof(u64);
	for (i = 0; i < n; i++) {
		if (w[i]) {
			hmap_verify_map_err(map, "spare array written at byte %zu",
					    i * sizeof(u64));
			return -EUCLEAN;
		}
	}
	return 0;
}

/* A map of shards: the shards are its own, share its seed, and add up. */
static int hmap_verify_router(struct hmap *map)
{
	u64 max_entries = 0;
	struct hmap *sh;
	unsigned int i;
	int err;

	for (i = 0; i <= map->shard_mask; i++) {
		sh = map->shards[i];
		if (sh->router != map || sh->shard_mask ||
		    memcmp(&sh->seed, &map->seed, sizeof(map->seed))) {
			hmap_verify_map_err(map, "shard %u: not this map's shard",
					    i);
			return -EUCLEAN;
		}
		err = hmap_verify(sh);
		if (err) {
			hmap_verify_map_err(map, "shard %u failed", i);
			return err;
		}
		max_entries += sh->max_entries;
	}
	if (max_entries != map->max_entries) {
		hmap_verify_map_err(map, "max_entries %u, but the shards' add up to %llu",
				    map->max_entries, max_entries);
		return -EUCLEAN;
	}
	return 0;
}

/**
 * hmap_verify() - check a map's internal invariants
 * @map: the map
 *
 * Under the writer lock, walks the current array and, while the map grows,
 * the old one, and checks that:
 *
 *  - the entry count equals the live entries: those of the current array
 *    and of the old buckets not evacuated yet;
 *  - every live entry sits in the bucket its hash names, carries its
 *    hash's tophash, and is stored once; an entry of the current array has
 *    its old bucket evacuated;
 *  - chains end: none is longer than the array's overflow buckets allow
 *    (no cycle), and their overflow buckets add up to the map's count of
 *    them (noverflow, old_noverflow);
 *  - every slot after an EMPTY_REST is EMPTY_REST too, and an EMPTY_ONE has
 *    a live slot after it;
 *  - old buckets below nevacuate are evacuated, and evacuated chains hold
 *    evacuation marks only;
 *  - the growth state matches the arrays' sizes, and an array allocated
 *    ahead of the next double grow is one size up and still zeroed;
 *  - no array is over the map's largest B, nor max_entries over its load;
 *  - in a shard, every key is one the shard's hash bits send there.
 *
 * A map of shards checks each of its shards so.
 *
 * Allocates nothing.
 *
 * Context: Any context but NMI; holds map->lock, a raw spinlock with
 * interrupts off, for the whole walk: O(entries), for tests and debugging.
 * Return: 0 if every invariant holds; -EUCLEAN at the first that does not,
 * after printing it with pr_err().
 */
int hmap_verify(struct hmap *map)
{
	struct hmap_verify v = { .map = map };
	unsigned long flags;
	int err;

	if (map->shard_mask)
		return hmap_verify_router(map);
	raw_spin_lock_irqsave(&map->lock, flags);
	v.t = hmap_dereference_protected(map->tbl, map);
	v.o = hmap_dereference_protected(v.t->old, map);
	err = hmap_verify_growth(map, v.t, v.o);
	if (!err)
		err = hmap_verify_spare(map, v.t);
	if (!err)
		err = hmap_verify_array(&v, false);
	if (!err && v.o)
		err = hmap_verify_array(&v, true);
	if (!err && v.live != map->count) {
		hmap_verify_map_err(map, "count %llu, but %llu live entries",
				    map->count, v.live);
		err = -EUCLEAN;
	}
	if (!err && map->count > map->max_entries) {
		hmap_verify_map_err(map, "count %llu over max_entries %u",
				    map->count, map->max_entries);
		err = -EUCLEAN;
	}
	if (!err && (v.t->B > map->max_B || (v.o && v.o->B > map->max_B) ||
		     map->max_entries > hmap_max_load(map->max_B))) {
		hmap_verify_map_err(map, "B %u (old %d), max_entries %u over the largest B %u",
				    v.t->B, v.o ? (int)v.o->B : -1,
				    map->max_entries, map->max_B);
		err = -EUCLEAN;
	}
	raw_spin_unlock_irqrestore(&map->lock, flags);
	return err;
}
EXPORT_SYMBOL_GPL(hmap_verify);
