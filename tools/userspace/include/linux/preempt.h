/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_PREEMPT_H
#define _SHIM_LINUX_PREEMPT_H

#include <linux/kernel.h>

#include <shim/ctx.h>

#ifdef SHIM_BENCH
/* The benchmark build: a compiler barrier, as without PREEMPT_COUNT. */
#define preempt_disable()	barrier()
#define preempt_enable()	barrier()
#else
#define preempt_disable()	do { shim_atomic_depth++; shim_rt_atomic_depth++; } while (0)
#define preempt_enable()	do { shim_rt_atomic_depth--; shim_atomic_depth--; } while (0)
#endif
#define preempt_disable_notrace() preempt_disable()
#define preempt_enable_notrace()  preempt_enable()
#define migrate_disable()	do { } while (0)
#define migrate_enable()	do { } while (0)

#endif
