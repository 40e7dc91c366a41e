// SPDX-License-Identifier: GPL-2.0
/* Keys and values of the e2e programs: a pattern per id (pattern.h). */
#include <errno.h>
#include <stdlib.h>

#include "ioc.h"
#include "pattern.h"

void mkkey(void *buf, uint32_t ks, uint64_t id)
{
	uint8_t *b = buf;
	uint32_t j;

	for (j = 0; j < ks; j++)
		b[j] = j < 8 ? (uint8_t)(id >> (8 * j)) : (uint8_t)(id * 131 + j);
}

uint64_t key_id(const void *buf, uint32_t ks)
{
	const uint8_t *b = buf;
	uint64_t id = 0;
	uint32_t j;

	for (j = 0; j < ks && j < 8; j++)
		id |= (uint64_t)b[j] << (8 * j);
	return id;
}

void mkval(void *buf, uint32_t vs, uint64_t id, unsigned int gen)
{
	uint8_t *b = buf;
	uint32_t j;

	for (j = 0; j < vs; j++)
		b[j] = (uint8_t)(id * 7 + gen * 13 + j);
}

bool val_ok(const void *buf, uint32_t vs, uint64_t id, unsigned int gen)
{
	const uint8_t *b = buf;
	uint32_t j;

	for (j = 0; j < vs; j++)
		if (b[j] != (uint8_t)(id * 7 + gen * 13 + j))
			return false;
	return true;
}

int fill(const char *name, uint32_t ks, uint32_t vs, uint64_t from, uint64_t to,
	 unsigned int gen)
{
	uint8_t key[HMAP_MAX_KEY_SIZE];
	uint8_t *val = malloc(vs + 1);
	uint64_t id;
	int rc = 0;

	if (!val)
		return -ENOMEM;
	for (id = from; id < to && !rc; id++) {
		mkkey(key, ks, id);
		mkval(val, vs, id, gen);
		rc = update(name, key, ks, val, vs, HMAP_UPDATE_ANY);
	}
	free(val);
	return rc;
}
