/* SPDX-License-Identifier: GPL-2.0 */
/* The rculfhash (lfht.c) and abseil (absl.cc) drivers, for bench.c. */
#ifndef BENCH_NATIVE_H
#define BENCH_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void *lf_create(size_t expect);
int lf_insert(void *map, uint64_t key, uint64_t value);
int lf_lookup(void *map, uint64_t key, uint64_t *value);
int lf_delete(void *map, uint64_t key);
void lf_destroy(void *map);
void lf_thread_enter(void);
void lf_thread_leave(void);
void lf_settle(void);
unsigned long long lf_ours(void *map);

void *ab_create(size_t expect);
int ab_insert(void *map, uint64_t key, uint64_t value);
int ab_lookup(void *map, uint64_t key, uint64_t *value);
int ab_delete(void *map, uint64_t key);
void ab_destroy(void *map);

#ifdef __cplusplus
}
#endif

#endif
