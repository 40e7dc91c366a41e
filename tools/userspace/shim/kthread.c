// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: tasks and kthreads over pthreads, sleeping, CPU masks.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <shim.h>

struct task_struct {
	pthread_t thread;
	int (*fn)(void *data);
	void *data;
	char comm[16];
	int cpu;		/* -1: any */
	bool started;
	bool should_stop;	/* atomic */
	int ret;
};

const struct cpumask shim_cpu_masks[SHIM_NR_CPUS] = {
#define M(c) [c] = { 1UL << (c) }
	M(0), M(1), M(2), M(3),
#undef M
};
const struct cpumask shim_cpu_all = { (1UL << SHIM_NR_CPUS) - 1 };

_Static_assert(SHIM_NR_CPUS == 4, "shim_cpu_masks has 4 entries");

/* A thread that is not a kthread is a task of its own. */
static __thread struct task_struct shim_task_self = { .cpu = -1 };
static __thread struct task_struct *shim_task;

struct task_struct *shim_current(void)
{
	return shim_task ? shim_task : &shim_task_self;
}

int set_cpus_allowed_ptr(struct task_struct *task, const struct cpumask *mask)
{
	unsigned int cpu = cpumask_first(mask);

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	task->cpu = cpu;
	if (task == current)
		shim_set_cpu(cpu);
	return 0;
}

static void *shim_kthread_main(void *arg)
{
	struct task_struct *task = arg;

	shim_task = task;
	if (task->cpu >= 0)
		shim_set_cpu(task->cpu);
	task->ret = task->fn(task->data);
	return NULL;
}

struct task_struct *kthread_create(int (*fn)(void *data), void *data,
				   const char *namefmt, ...)
{
	struct task_struct *task = calloc(1, sizeof(*task));
	va_list ap;

	if (!task)
		return ERR_PTR(-ENOMEM);
	task->fn = fn;
	task->data = data;
	task->cpu = -1;
	va_start(ap, namefmt);
	vsnprintf(task->comm, sizeof(task->comm), namefmt, ap);
	va_end(ap);
	return task;
}

void kthread_bind(struct task_struct *task, unsigned int cpu)
{
	task->cpu = cpu;
}

int wake_up_process(struct task_struct *task)
{
	if (task == &shim_task_self || task->started || !task->fn)
		return 0;
	task->started = true;
	if (pthread_create(&task->thread, NULL, shim_kthread_main, task))
		shim_bug(__FILE__, __LINE__, "cannot start a kthread");
	pthread_setname_np(task->thread, task->comm);
	return 1;
}

bool kthread_should_stop(void)
{
	return shim_task && __atomic_load_n(&shim_task->should_stop, __ATOMIC_ACQUIRE);
}

int kthread_stop(struct task_struct *task)
{
	int ret = -EINTR;	/* never woken: its function never runs */

	__atomic_store_n(&task->should_stop, true, __ATOMIC_RELEASE);
	if (task->started) {
		pthread_join(task->thread, NULL);
		ret = task->ret;
	}
	free(task);
	return ret;
}

void shim_usleep(unsigned long us, const char *file, int line)
{
	shim_might_sleep(file, line);
	usleep(us);
}
