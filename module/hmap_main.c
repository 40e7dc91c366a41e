// SPDX-License-Identifier: GPL-2.0
/*
 * hmap module glue: brings the core up and down. The device and debugfs
 * front ends hook in here; the core itself knows nothing of them.
 */

#include <linux/init.h>
#include <linux/module.h>

#include "hmap_core.h"

static int __init hmap_init(void)
{
	int err = hmap_core_init();

	if (err)
		return err;
	pr_info("hmap: loaded\n");
	return 0;
}

static void __exit hmap_exit(void)
{
	hmap_core_exit();
	pr_info("hmap: unloaded\n");
}

module_init(hmap_init);
module_exit(hmap_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hmap: a concurrent Go-style hash map for the kernel");
MODULE_AUTHOR("hmap developers");
