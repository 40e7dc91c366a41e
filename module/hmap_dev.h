/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/hmap: the ioctl front end. */
#ifndef _HMAP_DEV_H
#define _HMAP_DEV_H

int hmap_dev_init(void);
void hmap_dev_exit(void);

#endif /* _HMAP_DEV_H */
