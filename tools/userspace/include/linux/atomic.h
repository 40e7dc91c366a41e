/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: atomic_t on the compiler's __atomic builtins. Value
 * returning operations are fully ordered, the others relaxed, as in the
 * kernel's memory model.
 */
#ifndef _SHIM_LINUX_ATOMIC_H
#define _SHIM_LINUX_ATOMIC_H

#include <linux/kernel.h>

#include <linux/types.h>

typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
typedef struct { long counter; } atomic_long_t;

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }
#define ATOMIC_LONG_INIT(i)	{ (i) }

#define __shim_atomic_ops(pfx, t, T)					\
static inline T pfx##_read(const t *v)					\
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }		\
static inline void pfx##_set(t *v, T i)					\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }			\
static inline void pfx##_add(T i, t *v)					\
{ __atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline void pfx##_sub(T i, t *v)					\
{ __atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline void pfx##_inc(t *v) { pfx##_add(1, v); }			\
static inline void pfx##_dec(t *v) { pfx##_sub(1, v); }			\
static inline T pfx##_add_return(T i, t *v)				\
{ return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline T pfx##_sub_return(T i, t *v)				\
{ return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline T pfx##_inc_return(t *v) { return pfx##_add_return(1, v); } \
static inline T pfx##_dec_return(t *v) { return pfx##_sub_return(1, v); } \
static inline bool pfx##_dec_and_test(t *v)				\
{ return pfx##_sub_return(1, v) == 0; }					\
static inline T pfx##_xchg(t *v, T i)					\
{ return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline T pfx##_cmpxchg(t *v, T old, T new)			\
{									\
	__atomic_compare_exchange_n(&v->counter, &old, new, false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);\
	return old;							\
}

__shim_atomic_ops(atomic, atomic_t, int)
__shim_atomic_ops(atomic64, atomic64_t, s64)
__shim_atomic_ops(atomic_long, atomic_long_t, long)

#endif
