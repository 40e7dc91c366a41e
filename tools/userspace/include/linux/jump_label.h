/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static keys for userspace: a counted atomic flag, no code patching.
 * static_branch_inc()/dec() nest as the kernel's do, and going below zero
 * is a bug the shim reports.
 */
#ifndef _SHIM_LINUX_JUMP_LABEL_H
#define _SHIM_LINUX_JUMP_LABEL_H

#include <linux/bug.h>
#include <linux/compiler.h>

struct static_key {
	int count;
};

struct static_key_false {
	struct static_key key;
};

#define DEFINE_STATIC_KEY_FALSE(name)	struct static_key_false name = { { 0 } }

#define static_key_count(k)	__atomic_load_n(&(k)->count, __ATOMIC_RELAXED)
#define static_key_enabled(k)	(static_key_count(&(k)->key) > 0)
#define static_branch_unlikely(k)	unlikely(static_key_enabled(k))
#define static_branch_likely(k)		likely(static_key_enabled(k))
#define static_branch_inc(k)						\
	((void)__atomic_fetch_add(&(k)->key.count, 1, __ATOMIC_RELAXED))
#define static_branch_dec(k)						\
	WARN_ON(__atomic_fetch_sub(&(k)->key.count, 1, __ATOMIC_RELAXED) <= 0)

#endif
