// SPDX-License-Identifier: GPL-2.0
/*
 * hmap module glue: brings up the core, debugfs and /dev/hmap, and takes
 * them down in the reverse order. The core knows nothing of the others.
 */

#include <linux/init.h>
#include <linux/module.h>

#include "hmap_core.h"
#include "hmap_debugfs.h"
#include "hmap_dev.h"
#include "hmap_registry.h"

static int __init hmap_init(void)
{
	int err = hmap_core_init();

	if (err)
		return err;
	hmap_debugfs_init();
	err = hmap_dev_init();
	if (err) {
		hmap_debugfs_exit();
		hmap_core_exit();
		return err;
	}
	pr_info("hmap: loaded, /dev/hmap ready\n");
	return 0;
}

static void __exit hmap_exit(void)
{
	hmap_dev_exit();
	/* Maps left behind are freed here: unloading never leaks them. */
	hmap_reg_destroy_all();
	hmap_debugfs_exit();
	hmap_core_exit();
	pr_info("hmap: unloaded\n");
}

module_init(hmap_init);
module_exit(hmap_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hmap: a concurrent Go-style hash map for the kernel");
MODULE_AUTHOR("hmap developers");
