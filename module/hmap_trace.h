/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hmap tracepoints: a map growing, shrinking and being evacuated, for perf
 * and tracefs (events/hmap/).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM hmap

#if !defined(_HMAP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _HMAP_TRACE_H

#include <linux/tracepoint.h>

#define hmap_show_growth(kind)					\
	__print_symbolic(kind, { 1, "double" }, { 2, "samesize" },	\
			 { 3, "shrink" })

DECLARE_EVENT_CLASS(hmap_grow_class,
		    TP_PROTO(u32 id, unsigned int old_B, unsigned int new_B,
			     int kind, u64 count),
		    TP_ARGS(id, old_B, new_B, kind, count),
		    TP_STRUCT__entry(__field(u32, id)
				     __field(unsigned int, old_B)
				     __field(unsigned int, new_B)
				     __field(int, kind)
				     __field(u64, count)),
		    TP_fast_assign(__entry->id = id;
				   __entry->old_B = old_B;
				   __entry->new_B = new_B;
				   __entry->kind = kind;
				   __entry->count = count;),
		    TP_printk("map=%u old_B=%u new_B=%u kind=%s count=%llu",
			      __entry->id, __entry->old_B, __entry->new_B,
			      hmap_show_growth(__entry->kind), __entry->count));

/* A grow (double, same-size or shrink) published its new array. */
DEFINE_EVENT(hmap_grow_class, hmap_grow_start,
	     TP_PROTO(u32 id, unsigned int old_B, unsigned int new_B,
		      int kind, u64 count),
	     TP_ARGS(id, old_B, new_B, kind, count));

/* The last old bucket was evacuated: the old array is retired. */
DEFINE_EVENT(hmap_grow_class, hmap_grow_finish,
	     TP_PROTO(u32 id, unsigned int old_B, unsigned int new_B,
		      int kind, u64 count),
	     TP_ARGS(id, old_B, new_B, kind, count));

/* One old bucket chain was evacuated, by a writer or by the worker. */
TRACE_EVENT(hmap_evacuate,
	    TP_PROTO(u32 id, unsigned long bucket, unsigned int entries,
		     unsigned long nevacuate, bool worker),
	    TP_ARGS(id, bucket, entries, nevacuate, worker),
	    TP_STRUCT__entry(__field(u32, id)
			     __field(unsigned long, bucket)
			     __field(unsigned int, entries)
			     __field(unsigned long, nevacuate)
			     __field(bool, worker)),
	    TP_fast_assign(__entry->id = id;
			   __entry->bucket = bucket;
			   __entry->entries = entries;
			   __entry->nevacuate = nevacuate;
			   __entry->worker = worker;),
	    TP_printk("map=%u bucket=%lu entries=%u nevacuate=%lu by=%s",
		      __entry->id, __entry->bucket, __entry->entries,
		      __entry->nevacuate, __entry->worker ? "worker" : "writer"));

#endif /* _HMAP_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE hmap_trace
#include <trace/define_trace.h>
