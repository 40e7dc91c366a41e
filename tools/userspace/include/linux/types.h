/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the kernel's integer types. */
#ifndef _SHIM_LINUX_TYPES_H
#define _SHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/compiler.h>

/* The same underlying types as the kernel's (asm-generic/int-ll64.h). */
typedef unsigned char		u8;
typedef unsigned short		u16;
typedef unsigned int		u32;
typedef unsigned long long	u64;
#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;
#endif
typedef signed char		s8;
typedef short			s16;
typedef int			s32;
typedef long long		s64;

#ifndef __ASM_GENERIC_INT_LL64_H	/* not if a uapi header defined them */
#define __ASM_GENERIC_INT_LL64_H
typedef unsigned char		__u8;
typedef unsigned short		__u16;
typedef unsigned int		__u32;
typedef unsigned long long	__u64;
typedef signed char		__s8;
typedef short			__s16;
typedef int			__s32;
typedef long long		__s64;
#endif
typedef __u16 __le16;
typedef __u32 __le32;
typedef __u64 __le64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u64 __be64;

typedef unsigned int		gfp_t;
typedef u64			phys_addr_t;

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

/* Kernel's struct callback_head; the third field serves kfree_rcu(). */
struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
	size_t kfree_offset;
};
#define callback_head rcu_head

#endif /* _SHIM_LINUX_TYPES_H */
