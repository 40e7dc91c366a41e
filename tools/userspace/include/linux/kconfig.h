/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the kernel configuration the core is built for, that of
 * the architecture it is compiled on (x86-64 and arm64 kernels select
 * ARCH_SUPPORTS_INT128 with every compiler that has __int128).
 */
#ifndef _SHIM_LINUX_KCONFIG_H
#define _SHIM_LINUX_KCONFIG_H

#if defined(__SIZEOF_INT128__) && (defined(__x86_64__) || defined(__aarch64__))
#define CONFIG_ARCH_SUPPORTS_INT128 1
#endif

#endif
