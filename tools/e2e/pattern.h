/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keys and values of the e2e programs: a deterministic pattern per id.
 * An id's key is the id in little-endian in its first 8 bytes (then
 * id * 131 + j); byte j of its value in generation @gen is
 * id * 7 + gen * 13 + j.
 */
#ifndef E2E_PATTERN_H
#define E2E_PATTERN_H

#include <stdbool.h>
#include <stdint.h>

void mkkey(void *buf, uint32_t ks, uint64_t id);
/* The id of a key made by mkkey(). */
uint64_t key_id(const void *buf, uint32_t ks);
void mkval(void *buf, uint32_t vs, uint64_t id, unsigned int gen);
bool val_ok(const void *buf, uint32_t vs, uint64_t id, unsigned int gen);
/* Inserts ids [from, to) of generation @gen; returns 0 or the first error. */
int fill(const char *name, uint32_t ks, uint32_t vs, uint64_t from, uint64_t to,
	 unsigned int gen);

#endif /* E2E_PATTERN_H */
