/* SPDX-License-Identifier: GPL-2.0 */
/* The rculfhash driver (lfht.c), for bench.c. */
#ifndef BENCH_NATIVE_H
#define BENCH_NATIVE_H

#include <stddef.h>
#include <stdint.h>

void *lf_create(size_t expect);
int lf_insert(void *map, uint64_t key, uint64_t value);
int lf_lookup(void *map, uint64_t key, uint64_t *value);
void lf_destroy(void *map);
void lf_thread_enter(void);
void lf_thread_leave(void);
void lf_settle(void);
unsigned long long lf_ours(void *map);

#endif
