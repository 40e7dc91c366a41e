/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: static_assert() with an optional message, as the
 * kernel's (C11's needs one before C2x). After <assert.h>, which would
 * define it otherwise.
 */
#ifndef _SHIM_LINUX_BUILD_BUG_H
#define _SHIM_LINUX_BUILD_BUG_H

#include <assert.h>

#undef static_assert
#define static_assert(expr, ...)	__shim_static_assert(expr, ##__VA_ARGS__, #expr)
#define __shim_static_assert(expr, msg, ...)	_Static_assert(expr, msg)

#endif /* _SHIM_LINUX_BUILD_BUG_H */
