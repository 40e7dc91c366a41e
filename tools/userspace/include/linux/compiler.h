/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: compiler attributes, marked accesses and barriers.
 *
 * READ_ONCE()/WRITE_ONCE() are relaxed C11 atomics (on x86 the same single
 * mov as the kernel's volatile access), so that every marked access of the
 * core is an atomic access to the sanitizers. Under ThreadSanitizer, which
 * does not model fences (smp_rmb()/smp_wmb()), they are acquire/release
 * instead: the core's pattern "smp_wmb(); WRITE_ONCE(x)" / "READ_ONCE(x);
 * smp_rmb()" is a release store / acquire load, and TSan then sees the
 * happens-before the fences give. See tools/userspace/README.md.
 */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#include <stddef.h>
#include <linux/kconfig.h>

#if defined(__SANITIZE_THREAD__)
#define SHIM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SHIM_TSAN 1
#endif
#endif

#ifdef SHIM_TSAN
#define SHIM_ONCE_LOAD_ORDER	__ATOMIC_ACQUIRE
#define SHIM_ONCE_STORE_ORDER	__ATOMIC_RELEASE
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
#else
#define SHIM_ONCE_LOAD_ORDER	__ATOMIC_RELAXED
#define SHIM_ONCE_STORE_ORDER	__ATOMIC_RELAXED
#endif

#define __rcu
#define __percpu
#define __user
#define __iomem
#define __force
#define __kernel
#define __bitwise
#define __must_check		__attribute__((__warn_unused_result__))
#undef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#if __has_attribute(__uninitialized__)
#define __uninitialized		__attribute__((__uninitialized__))
#else
#define __uninitialized
#endif
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __packed		__attribute__((__packed__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __cold			__attribute__((__cold__))
#define __pure			__attribute__((__pure__))
#define __read_mostly
#define ____cacheline_aligned	__aligned(64)
#define ____cacheline_aligned_in_smp __aligned(64)
#define fallthrough		__attribute__((__fallthrough__))

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define barrier()		__asm__ __volatile__("" ::: "memory")

#define READ_ONCE(x)		__atomic_load_n(&(x), SHIM_ONCE_LOAD_ORDER)
#define WRITE_ONCE(x, val)						\
	__atomic_store_n(&(x), (__typeof__(x))(val), SHIM_ONCE_STORE_ORDER)

#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define mb()			smp_mb()
#define rmb()			smp_rmb()
#define wmb()			smp_wmb()
#define smp_mb__before_atomic()	smp_mb()
#define smp_mb__after_atomic()	smp_mb()
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)						\
	__atomic_store_n((p), (__typeof__(*(p)))(v), __ATOMIC_RELEASE)

/*
 * data_race(): an intentionally racy plain access. KCSAN ignores it; so
 * does ThreadSanitizer here, for the one expression only.
 */
#ifdef SHIM_TSAN
#define data_race(expr) ({						\
	__typeof__(({ expr; })) __dr_v;					\
	AnnotateIgnoreReadsBegin(__FILE__, __LINE__);			\
	__dr_v = (expr);						\
	AnnotateIgnoreReadsEnd(__FILE__, __LINE__);			\
	__dr_v;								\
})
#else
#define data_race(expr)		({ __typeof__(({ expr; })) __dr_v = (expr); __dr_v; })
#endif

/* The spin-wait hint; yields the CPU now and then (see shim/misc.c). */
void shim_cpu_relax(void);
#define cpu_relax()		shim_cpu_relax()

#define __same_type(a, b)	__builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))

#ifndef container_of
#define container_of(ptr, type, member) ({				\
	void *__cptr = (void *)(ptr);					\
	((type *)(__cptr - offsetof(type, member))); })
#endif

#endif /* _SHIM_LINUX_COMPILER_H */
