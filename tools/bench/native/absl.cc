// SPDX-License-Identifier: GPL-2.0
/*
 * The abseil side of the native benchmark: absl::flat_hash_map<uint64_t,
 * uint64_t> (SwissTable, absl::Hash), the single-threaded reference. Used
 * as a C++ program would: default-constructed (grows from empty, no
 * reserve()), insert_or_assign(), find() and copy the value, erase().
 */
#include <absl/container/flat_hash_map.h>

#include "bench.h"

using map_t = absl::flat_hash_map<uint64_t, uint64_t>;

void *ab_create(size_t expect)
{
	return new map_t();
}

int ab_insert(void *map, uint64_t key, uint64_t value)
{
	static_cast<map_t *>(map)->insert_or_assign(key, value);
	return 0;
}

int ab_lookup(void *map, uint64_t key, uint64_t *value)
{
	const map_t &m = *static_cast<map_t *>(map);
	auto it = m.find(key);

	if (it == m.end())
		return -1;
	*value = it->second;
	return 0;
}

int ab_delete(void *map, uint64_t key)
{
	return static_cast<map_t *>(map)->erase(key) ? 0 : -1;
}

void ab_destroy(void *map)
{
	delete static_cast<map_t *>(map);
}
