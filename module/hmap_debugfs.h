/* SPDX-License-Identifier: GPL-2.0 */
/* debugfs view of the named maps: /sys/kernel/debug/hmap/. */
#ifndef _HMAP_DEBUGFS_H
#define _HMAP_DEBUGFS_H

struct dentry;
struct hmap_named;

void hmap_debugfs_init(void);
void hmap_debugfs_exit(void);
struct dentry *hmap_debugfs_add(struct hmap_named *nm);
void hmap_debugfs_remove(struct hmap_named *nm);

#endif /* _HMAP_DEBUGFS_H */
