/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: deferred actions are declared in <kunit/test.h>. */
#ifndef _SHIM_KUNIT_RESOURCE_H
#define _SHIM_KUNIT_RESOURCE_H

#include <kunit/test.h>

#endif
