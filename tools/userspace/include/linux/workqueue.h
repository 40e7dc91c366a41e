/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: workqueues, delayed work and RCU work.
 *
 * Every queue feeds one shim worker thread, which runs items in the order
 * they became due (delayed items when their jiffies come). In manual mode
 * (shim_set_manual(true)) there is no thread: items wait until the test
 * calls shim_run_work() (after shim_advance_jiffies() for delayed ones).
 * queue_rcu_work() goes through call_rcu(), as the kernel's does.
 */
#ifndef _SHIM_LINUX_WORKQUEUE_H
#define _SHIM_LINUX_WORKQUEUE_H

#include <linux/kernel.h>

#include <linux/compiler.h>
#include <linux/jiffies.h>
#include <linux/types.h>

struct work_struct;
struct workqueue_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	struct list_head entry;		/* on the pending list while queued */
	work_func_t func;
	struct workqueue_struct *wq;
	unsigned long due;		/* jiffies at which it may run */
	int pending;
};

struct delayed_work {
	struct work_struct work;
};

struct rcu_work {
	struct work_struct work;
	struct rcu_head rcu;
	struct workqueue_struct *wq;
};

#define WQ_UNBOUND		(1 << 1)
#define WQ_FREEZABLE		(1 << 2)
#define WQ_MEM_RECLAIM		(1 << 3)
#define WQ_HIGHPRI		(1 << 4)

extern struct workqueue_struct *system_wq;
extern struct workqueue_struct *system_unbound_wq;

void shim_init_work(struct work_struct *w, work_func_t func);
struct workqueue_struct *shim_alloc_workqueue(const char *name);
void destroy_workqueue(struct workqueue_struct *wq);
bool queue_work(struct workqueue_struct *wq, struct work_struct *w);
bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
			unsigned long delay);
bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
		      unsigned long delay);
bool queue_rcu_work(struct workqueue_struct *wq, struct rcu_work *rw);
bool cancel_work_sync(struct work_struct *w);
bool cancel_delayed_work(struct delayed_work *dw);
bool cancel_delayed_work_sync(struct delayed_work *dw);
bool flush_work(struct work_struct *w);
bool flush_delayed_work(struct delayed_work *dw);
void flush_workqueue(struct workqueue_struct *wq);
bool shim_work_pending(struct work_struct *w);

#define INIT_WORK(w, f)		shim_init_work(w, f)
#define INIT_DELAYED_WORK(dw, f) shim_init_work(&(dw)->work, f)
#define INIT_RCU_WORK(rw, f)	shim_init_work(&(rw)->work, f)
#define alloc_workqueue(fmt, flags, max_active, ...)			\
	shim_alloc_workqueue(fmt)
#define alloc_ordered_workqueue(fmt, flags, ...) shim_alloc_workqueue(fmt)
#define schedule_work(w)	queue_work(system_wq, w)
#define schedule_delayed_work(dw, d) queue_delayed_work(system_wq, dw, d)
#define work_pending(w)		shim_work_pending(w)
#define delayed_work_pending(dw) shim_work_pending(&(dw)->work)

static inline struct delayed_work *to_delayed_work(struct work_struct *w)
{
	return container_of(w, struct delayed_work, work);
}

static inline struct rcu_work *to_rcu_work(struct work_struct *w)
{
	return container_of(w, struct rcu_work, work);
}

#endif
