// SPDX-License-Identifier: GPL-2.0
/*
 * Registry of named maps.
 *
 * Locking: hmap_reg_lock (a mutex) serializes create, destroy and list,
 * and keeps names unique. Lookups by name walk the list under RCU and take
 * a reference with kref_get_unless_zero(), so an operation in flight keeps
 * its map alive after the map was destroyed: the last reference frees it.
 * The debugfs directory is removed before the registry's reference is
 * dropped; debugfs waits for readers inside its files.
 */

#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hmap_debugfs.h"
#include "hmap_registry.h"

unsigned int hmap_max_maps = 1024;
module_param_named(max_maps, hmap_max_maps, uint, 0444);
MODULE_PARM_DESC(max_maps, "most named maps that may exist at once");

static LIST_HEAD(hmap_reg_list_head);
static DEFINE_MUTEX(hmap_reg_lock);
static unsigned int hmap_reg_nr;

const char *const hmap_stat_names[HMAP_STAT_NR] = {
	[HMAP_STAT_HITS]			= "hits",
	[HMAP_STAT_MISSES]		= "misses",
	[HMAP_STAT_INSERTS]		= "inserts",
	[HMAP_STAT_UPDATES]		= "updates",
	[HMAP_STAT_DELETES]		= "deletes",
	[HMAP_STAT_GROWS]		= "grows",
	[HMAP_STAT_SAMESIZE_GROWS]	= "samesize_grows",
	[HMAP_STAT_EVACUATED]		= "evacuated",
	[HMAP_STAT_OVERFLOW_ALLOCS]	= "overflow_allocs",
	[HMAP_STAT_READER_RETRIES]	= "reader_retries",
	[HMAP_STAT_CLEARS]		= "clears",
	[HMAP_STAT_RESEEDS]		= "reseeds",
	[HMAP_STAT_SHRINKS]		= "shrinks",
	[HMAP_STAT_EVACUATED_BG]		= "evacuated_bg",
	[HMAP_STAT_CACHE_HITS]		= "cache_hits",
	[HMAP_STAT_CACHE_MISSES]		= "cache_misses",
	[HMAP_STAT_CACHE_REFILLS]	= "cache_refills",
	[HMAP_STAT_CACHE_DRAINS]		= "cache_drains",
};

const char *const hmap_growth_names[] = {
	[HMAP_GROWTH_NONE]	= "no",
	[HMAP_GROWTH_DOUBLE]	= "double",
	[HMAP_GROWTH_SAMESIZE]	= "samesize",
	[HMAP_GROWTH_SHRINK]	= "shrink",
};

/**
 * hmap_check_name() - validate a map name
 * @name: HMAP_NAME_MAX bytes
 *
 * Context: Any context.
 * Return: 0 if @name is 1..HMAP_NAME_MAX-1 characters of [A-Za-z0-9_.-],
 * does not start with '.', is not "maps", and is zero-padded; else -EINVAL.
 */
int hmap_check_name(const char *name)
{
	size_t len = strnlen(name, HMAP_NAME_MAX), i;

	if (!len || len == HMAP_NAME_MAX || name[0] == '.' ||
	    !strcmp(name, "maps"))
		return -EINVAL;
	/* ASCII only: the kernel's isalnum() also accepts Latin-1 letters. */
	for (i = 0; i < len; i++)
		if (!isascii(name[i]) ||
		    (!isalnum(name[i]) && !strchr("_.-", name[i])))
			return -EINVAL;
	for (; i < HMAP_NAME_MAX; i++)
		if (name[i])
			return -EINVAL;
	return 0;
}

/* Caller holds hmap_reg_lock or rcu_read_lock(). */
static struct hmap_named *hmap_reg_find(const char *name)
{
	struct hmap_named *nm;

	list_for_each_entry_rcu(nm, &hmap_reg_list_head, node,
				lockdep_is_held(&hmap_reg_lock))
		if (!memcmp(nm->name, name, HMAP_NAME_MAX))
			return nm;
	return NULL;
}

/**
 * hmap_reg_create() - create a named map
 * @name: a name that passed hmap_check_name()
 * @params: the map's parameters
 *
 * Context: Process context; takes hmap_reg_lock (a mutex).
 * Return: 0; -EEXIST if the name is taken; -ENOSPC if hmap_max_maps maps
 * exist; hmap_create()'s errors.
 */
int hmap_reg_create(const char *name, const struct hmap_params *params)
{
	struct hmap_named *nm;
	struct hmap_info info;
	struct hmap *map;
	int err;

	mutex_lock(&hmap_reg_lock);
	err = -EEXIST;
	if (hmap_reg_find(name))
		goto out;
	err = -ENOSPC;
	if (hmap_reg_nr >= hmap_max_maps)
		goto out;
	err = -ENOMEM;
	nm = kzalloc(sizeof(*nm), GFP_KERNEL_ACCOUNT);
	if (!nm)
		goto out;
	map = hmap_create(params);
	if (IS_ERR(map)) {
		err = PTR_ERR(map);
		kfree(nm);
		goto out;
	}
	nm->map = map;
	nm->params = *params;
	/* What the map made of it: 0, or too many for its buckets, lowered. */
	hmap_get_info(map, &info);
	nm->params.max_entries = info.max_entries;
	memcpy(nm->name, name, HMAP_NAME_MAX);
	kref_init(&nm->ref);
	/* Optional: a map without its debugfs files still works. */
	nm->dbg = hmap_debugfs_add(nm);
	list_add_tail_rcu(&nm->node, &hmap_reg_list_head);
	hmap_reg_nr++;
	err = 0;
out:
	mutex_unlock(&hmap_reg_lock);
	return err;
}

static void hmap_reg_release(struct kref *ref)
{
	struct hmap_named *nm = container_of(ref, struct hmap_named, ref);

	hmap_destroy(nm->map);
	kfree_rcu(nm, rcu);
}

/**
 * hmap_reg_get() - find a map by name and take a reference
 * @name: HMAP_NAME_MAX bytes
 *
 * Context: Any context but NMI.
 * Return: the map with a reference held (drop it with hmap_reg_put()),
 * or NULL if no map has that name.
 */
struct hmap_named *hmap_reg_get(const char *name)
{
	struct hmap_named *nm;

	rcu_read_lock();
	nm = hmap_reg_find(name);
	if (nm && !kref_get_unless_zero(&nm->ref))
		nm = NULL;
	rcu_read_unlock();
	return nm;
}

/**
 * hmap_reg_put() - drop a reference taken by hmap_reg_get()
 * @nm: the map
 *
 * Context: Process context: the last put of a destroyed map frees it,
 * which waits for the map's background worker to stop and may sleep.
 */
void hmap_reg_put(struct hmap_named *nm)
{
	kref_put(&nm->ref, hmap_reg_release);
}

/* Unlinks @nm and drops the registry's reference. Under hmap_reg_lock. */
static void hmap_reg_unlink(struct hmap_named *nm)
{
	list_del_rcu(&nm->node);
	hmap_reg_nr--;
	hmap_debugfs_remove(nm);
	hmap_reg_put(nm);
}

/**
 * hmap_reg_destroy() - remove a named map
 * @name: HMAP_NAME_MAX bytes
 *
 * The name is free again at once; operations in flight on the map finish
 * first, then the map is freed.
 *
 * Context: Process context; takes hmap_reg_lock (a mutex).
 * Return: 0, or -ENOENT if no map has that name.
 */
int hmap_reg_destroy(const char *name)
{
	struct hmap_named *nm;
	int err = -ENOENT;

	mutex_lock(&hmap_reg_lock);
	nm = hmap_reg_find(name);
	if (nm) {
		hmap_reg_unlink(nm);
		err = 0;
	}
	mutex_unlock(&hmap_reg_lock);
	return err;
}

/**
 * hmap_reg_list() - describe the maps
 * @out: room for @room entries
 * @room: capacity of @out
 * @total: set to the number of maps
 *
 * Context: Process context; takes hmap_reg_lock (a mutex).
 * Return: the number of entries filled, min(@room, *@total).
 */
int hmap_reg_list(struct hmap_list_entry *out, u32 room, u32 *total)
{
	struct hmap_named *nm;
	u32 n = 0;

	mutex_lock(&hmap_reg_lock);
	list_for_each_entry(nm, &hmap_reg_list_head, node) {
		if (n < room) {
			memset(&out[n], 0, sizeof(out[n]));
			memcpy(out[n].name, nm->name, HMAP_NAME_MAX);
			out[n].key_size = nm->params.key_size;
			out[n].value_size = nm->params.value_size;
			out[n].max_entries = nm->params.max_entries;
			out[n].flags = nm->params.flags;
			out[n].count = hmap_count(nm->map);
		}
		n++;
	}
	*total = n;
	mutex_unlock(&hmap_reg_lock);
	return min(n, room);
}

/**
 * hmap_reg_destroy_all() - remove every named map (module unload)
 *
 * Context: Process context; takes hmap_reg_lock (a mutex).
 */
void hmap_reg_destroy_all(void)
{
	struct hmap_named *nm, *tmp;

	mutex_lock(&hmap_reg_lock);
	list_for_each_entry_safe(nm, tmp, &hmap_reg_list_head, node)
		hmap_reg_unlink(nm);
	mutex_unlock(&hmap_reg_lock);
}
