/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a module parameter NAME becomes a function
 * shim_param_NAME() returning a pointer to the variable, so tests can set
 * it (declare it with SHIM_PARAM_DECLARE(NAME, type)).
 */
#ifndef _SHIM_LINUX_MODULEPARAM_H
#define _SHIM_LINUX_MODULEPARAM_H

#include <linux/kernel.h>

#include <linux/types.h>

typedef unsigned int uint;
typedef unsigned long ulong;
typedef unsigned short ushort;

#define SHIM_PARAM_DECLARE(name, type)	type *shim_param_##name(void)

#define module_param_named(name, value, type, perm)			\
	SHIM_PARAM_DECLARE(name, __typeof__(value));			\
	SHIM_PARAM_DECLARE(name, __typeof__(value))			\
	{ return &(value); }						\
	extern int __shim_param_##name##_perm
#define module_param(name, type, perm)	module_param_named(name, name, type, perm)
#define MODULE_PARM_DESC(name, desc)	extern int __shim_param_desc_##name

#endif
