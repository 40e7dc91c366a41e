/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_MODULE_H
#define _SHIM_LINUX_MODULE_H

#include <linux/kernel.h>
#include <linux/moduleparam.h>

#define THIS_MODULE			((void *)0)
#define EXPORT_SYMBOL(sym)		extern int __shim_export_##sym
#define EXPORT_SYMBOL_GPL(sym)		extern int __shim_export_##sym
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	extern int __shim_export_##sym
#define MODULE_LICENSE(x)		extern int __shim_module_license
#define MODULE_AUTHOR(x)		extern int __shim_module_author
#define MODULE_DESCRIPTION(x)		extern int __shim_module_description
#define module_init(fn)			extern int __shim_module_init
#define module_exit(fn)			extern int __shim_module_exit

#endif
