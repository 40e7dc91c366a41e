/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_STRING_H
#define _SHIM_LINUX_STRING_H

#include <linux/kernel.h>

#include <string.h>
#include <linux/types.h>

static inline bool mem_is_zero(const void *s, size_t n)
{
	const unsigned char *p = s;

	while (n--)
		if (*p++)
			return false;
	return true;
}

#endif
