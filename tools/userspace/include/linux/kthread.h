/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: kthreads are pthreads (shim/kthread.c). A kthread starts
 * at wake_up_process() on the "CPU" kthread_bind() gave it (see
 * <linux/percpu.h>), and kthread_stop() joins it.
 */
#ifndef _SHIM_LINUX_KTHREAD_H
#define _SHIM_LINUX_KTHREAD_H

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/sched.h>

struct task_struct *kthread_create(int (*fn)(void *data), void *data,
				   const char *namefmt, ...)
	__attribute__((format(printf, 3, 4)));
void kthread_bind(struct task_struct *task, unsigned int cpu);
bool kthread_should_stop(void);
int kthread_stop(struct task_struct *task);

#define kthread_run(fn, data, namefmt, ...) ({				\
	struct task_struct *__task = kthread_create(fn, data, namefmt,	\
						    ##__VA_ARGS__);	\
	if (!IS_ERR(__task))						\
		wake_up_process(__task);				\
	__task;								\
})

#endif
