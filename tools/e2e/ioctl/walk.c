// SPDX-License-Identifier: GPL-2.0
/* The dump walker of the conformance test (ioctl_test.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ioctl_test.h"

void dump_request(struct hmap_ioc_dump *d, void *keys, void *vals)
{
	memset(d, 0, sizeof(*d));
	d->size = sizeof(*d);
	name_set(d->name, FIX);
	d->keys = (uintptr_t)keys;
	d->values = (uintptr_t)vals;
	d->key_size = FIX_KS;
	d->value_size = FIX_VS;
	d->count = 1024;
}

int gen_zero(uint64_t id)
{
	(void)id;
	return 0;
}

/* Accounts for @n entries of a batch. */
void dump_account(struct dump_result *r, const uint8_t *keys, const uint8_t *vals,
		  uint32_t n, uint32_t ks, uint32_t vs, gen_fn gen)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint64_t id = key_id(keys + (size_t)i * ks, ks);
		int g = gen(id);

		r->entries++;
		if (id < r->nids)
			r->seen[id]++;
		if (g < 0 || (vs && !val_ok(vals + (size_t)i * vs, vs, id, g))) {
			if (r->bad++ < 5)
				TH_LOG("dump: unexpected entry id %llu", (unsigned long long)id);
		}
	}
}

int dump_walk(const char *name, uint64_t cursor, uint32_t ks, uint32_t vs,
	      uint32_t batch, struct dump_result *r, gen_fn gen,
	      void (*between)(unsigned int call))
{
	uint32_t room = batch, count;
	uint8_t *keys = malloc((size_t)room * ks), *vals = malloc((size_t)room * vs + 1);
	uint64_t prev_shard = cursor >> 56;
	int rc = 0;

	do {
		uint32_t asked = batch;

		count = batch;
		rc = dump_call(name, &cursor, keys, vals, ks, vs, &count);
		r->calls++;
		/* Retry with the room asked for (again if the group grew). */
		while (rc == -ENOSPC && r->enospc++ < 1000000) {
			if (count <= asked) {
				TH_LOG("dump: ENOSPC with count %u <= the %u asked for", count, asked);
				rc = -EPROTO;
				break;
			}
			if (count > room) {
				room = count;
				keys = realloc(keys, (size_t)room * ks);
				vals = realloc(vals, (size_t)room * vs + 1);
			}
			asked = count;
			rc = dump_call(name, &cursor, keys, vals, ks, vs, &count);
			r->calls++;
		}
		if (!rc && count > asked) {
			TH_LOG("dump: returned %u entries for a count of %u", count, asked);
			rc = -EPROTO;
		}
		if (rc)
			break;
		dump_account(r, keys, vals, count, ks, vs, gen);
		if (r->nshards && cursor) {
			uint64_t shard = cursor >> 56;

			if (shard >= r->nshards && r->cursor_bad++ < 5)
				TH_LOG("dump: cursor %#llx names shard %llu of %u",
				       (unsigned long long)cursor, (unsigned long long)shard,
				       r->nshards);
			if (shard < prev_shard && r->cursor_back++ < 5)
				TH_LOG("dump: cursor %#llx goes back from shard %llu",
				       (unsigned long long)cursor,
				       (unsigned long long)prev_shard);
			prev_shard = shard;
		}
		if (between)
			between(r->calls);
		if (r->calls > 10000000) {
			TH_LOG("dump: no end after %u calls", r->calls);
			rc = -ELOOP;
			break;
		}
	} while (cursor);
	free(keys);
	free(vals);
	return rc;
}

void result_init(struct dump_result *r, uint64_t nids)
{
	memset(r, 0, sizeof(*r));
	r->nids = nids;
	r->seen = calloc(nids, sizeof(*r->seen));
}

/* Ids in [from, to) seen between @min and @max times: true if all were. */
bool result_seen(const struct dump_result *r, uint64_t from, uint64_t to,
		 uint32_t min, uint32_t max)
{
	uint64_t id, wrong = 0;

	for (id = from; id < to; id++) {
		if (r->seen[id] < min || r->seen[id] > max) {
			if (wrong++ < 5)
				TH_LOG("id %llu seen %u times", (unsigned long long)id, r->seen[id]);
		}
	}
	if (wrong)
		TH_LOG("%llu ids seen outside [%u, %u] times", (unsigned long long)wrong, min, max);
	return !wrong;
}

