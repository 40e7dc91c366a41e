/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Named maps for the userspace front ends (/dev/hmap and debugfs): a
 * registry of reference-counted maps looked up by name.
 */
#ifndef _HMAP_REGISTRY_H
#define _HMAP_REGISTRY_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <hmap/hmap.h>
#include <hmap/hmap_debug.h>
#include <uapi/hmap.h>

/**
 * struct hmap_named - a map with a name
 * @node: in the registry's list (RCU, written under the registry mutex)
 * @ref: one for the registry, one per user in flight
 * @rcu: frees the structure after readers of the list are done
 * @map: the map
 * @params: what it was created with
 * @name: its name, NUL-padded
 * @dbg: its debugfs directory, or NULL
 */
struct hmap_named {
	struct list_head node;
	struct kref ref;
	struct rcu_head rcu;
	struct hmap *map;
	struct hmap_params params;
	char name[HMAP_NAME_MAX];
	struct dentry *dbg;
};

extern unsigned int hmap_max_maps;
extern const char *const hmap_stat_names[HMAP_STAT_NR];
extern const char *const hmap_growth_names[];

int hmap_check_name(const char *name);
int hmap_reg_create(const char *name, const struct hmap_params *params);
int hmap_reg_destroy(const char *name);
struct hmap_named *hmap_reg_get(const char *name);
void hmap_reg_put(struct hmap_named *nm);
int hmap_reg_list(struct hmap_list_entry *out, u32 room, u32 *total);
void hmap_reg_destroy_all(void);

#endif /* _HMAP_REGISTRY_H */
