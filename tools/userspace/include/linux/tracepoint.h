/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a tracepoint is an inline function that evaluates its
 * arguments and does nothing. (trace/define_trace.h is empty.)
 */
#ifndef _SHIM_LINUX_TRACEPOINT_H
#define _SHIM_LINUX_TRACEPOINT_H

#include <linux/kernel.h>

#include <linux/types.h>

#define TP_PROTO(...)		__VA_ARGS__
#define TP_ARGS(...)		__VA_ARGS__
#define TP_STRUCT__entry(...)
#define TP_fast_assign(...)
#define TP_printk(...)

#define DECLARE_EVENT_CLASS(name, proto, args, tstruct, assign, print)
#define DEFINE_EVENT(template, name, proto, args)			\
	static inline void trace_##name(proto) { }			\
	static inline bool trace_##name##_enabled(void) { return false; }
#define TRACE_EVENT(name, proto, args, tstruct, assign, print)		\
	DEFINE_EVENT(name, name, TP_PROTO(proto), TP_ARGS(args))
#define DECLARE_TRACE(name, proto, args)				\
	DEFINE_EVENT(name, name, TP_PROTO(proto), TP_ARGS(args))

#endif
