/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: static_assert() is C11's, as in the kernel. */
#ifndef _SHIM_LINUX_BUILD_BUG_H
#define _SHIM_LINUX_BUILD_BUG_H

#include <assert.h>

#endif /* _SHIM_LINUX_BUILD_BUG_H */
