/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: WARN_ON() and friends print, count (shim_warnings()) and,
 * when shim_set_warn_fatal(true) (the fuzzer), abort. BUG_ON() aborts.
 */
#ifndef _SHIM_LINUX_BUG_H
#define _SHIM_LINUX_BUG_H

#include <linux/compiler.h>

void shim_warn(const char *file, int line, const char *what);
__attribute__((__noreturn__)) void shim_bug(const char *file, int line,
					    const char *what);

#define WARN_ON(cond) ({						\
	int __w_c = !!(cond);						\
	if (unlikely(__w_c))						\
		shim_warn(__FILE__, __LINE__, "WARN_ON(" #cond ")");	\
	unlikely(__w_c);						\
})

#define WARN_ON_ONCE(cond) ({						\
	static bool __w_done;						\
	int __w_c = !!(cond);						\
	if (unlikely(__w_c) && !__atomic_exchange_n(&__w_done, true,	\
						    __ATOMIC_RELAXED))	\
		shim_warn(__FILE__, __LINE__, "WARN_ON_ONCE(" #cond ")");\
	unlikely(__w_c);						\
})

#define WARN(cond, ...)		WARN_ON(cond)
#define WARN_ONCE(cond, ...)	WARN_ON_ONCE(cond)

#define BUG()		shim_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(cond)	do {						\
	if (unlikely(cond))						\
		shim_bug(__FILE__, __LINE__, "BUG_ON(" #cond ")");	\
} while (0)

#endif
