/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: there are no interrupts. Disabling them only makes the
 * section atomic for might_sleep().
 */
#ifndef _SHIM_LINUX_IRQFLAGS_H
#define _SHIM_LINUX_IRQFLAGS_H

#include <shim/ctx.h>

#ifdef SHIM_BENCH
/*
 * The benchmark build: no context tracking; a compiler barrier where the
 * kernel has pushf/cli and popf (which this build does not pay for).
 */
#define local_irq_save(flags) do {					\
	unsigned long *__irqf = &(flags);	/* typecheck */		\
	*__irqf = 0;							\
	__asm__ __volatile__("" ::: "memory");				\
} while (0)
#define local_irq_restore(flags) do {					\
	(void)(flags);							\
	__asm__ __volatile__("" ::: "memory");				\
} while (0)
#define local_irq_disable()	__asm__ __volatile__("" ::: "memory")
#define local_irq_enable()	__asm__ __volatile__("" ::: "memory")
#define irqs_disabled()		0
#define local_bh_disable()	__asm__ __volatile__("" ::: "memory")
#define local_bh_enable()	__asm__ __volatile__("" ::: "memory")
#else
#define local_irq_save(flags) do {					\
	unsigned long *__irqf = &(flags);	/* typecheck */		\
	*__irqf = 0;							\
	shim_atomic_depth++;						\
	shim_rt_atomic_depth++;						\
} while (0)
#define local_irq_restore(flags) do {					\
	(void)(flags);							\
	shim_rt_atomic_depth--;						\
	shim_atomic_depth--;						\
} while (0)
#define local_irq_disable()	do { shim_atomic_depth++; shim_rt_atomic_depth++; } while (0)
#define local_irq_enable()	do { shim_rt_atomic_depth--; shim_atomic_depth--; } while (0)
#define irqs_disabled()		(shim_atomic_depth != 0)
#define local_bh_disable()	do { shim_atomic_depth++; } while (0)
#define local_bh_enable()	do { shim_atomic_depth--; } while (0)
#endif

#endif
