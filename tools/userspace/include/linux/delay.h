/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: sleeps are usleep(3), and may_sleep() checks them. */
#ifndef _SHIM_LINUX_DELAY_H
#define _SHIM_LINUX_DELAY_H

#include <linux/kernel.h>

void shim_usleep(unsigned long us, const char *file, int line);

#define msleep(ms)		shim_usleep((ms) * 1000UL, __FILE__, __LINE__)
#define ssleep(s)		msleep((s) * 1000UL)
#define usleep_range(lo, hi)	shim_usleep(lo, __FILE__, __LINE__)
#define udelay(us)		shim_usleep(us, __FILE__, __LINE__)
#define mdelay(ms)		msleep(ms)

#endif
