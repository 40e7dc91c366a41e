/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_CACHE_H
#define _SHIM_LINUX_CACHE_H

#include <linux/kernel.h>
#include <linux/compiler.h>
#define L1_CACHE_BYTES		64
#define SMP_CACHE_BYTES		64
#endif
