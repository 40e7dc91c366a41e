// SPDX-License-Identifier: GPL-2.0
/*
 * hmap-fuzz: a libFuzzer target for the core. The input is decoded into a
 * map's parameters and a sequence of operations; every result is checked
 * against a reference model (an array of generations indexed by key
 * number), counts included, and so are full iterations and scans. The
 * shims run in manual mode with a seeded random source, so one input is
 * one behaviour; any WARN, lockdep or might_sleep report aborts, and so
 * does a leak (the shim's allocation count after the map is destroyed).
 *
 * Input layout (every read past the end yields zeros, which ends the ops):
 *   byte  key size selector (bits 0-6; key_sizes[]: the fast paths' 4, 8
 *         and 16 bytes and generic sizes), bit 7 the hash (0
 *         HMAP_HASH_SIPHASH, 1 HMAP_HASH_FAST)
 *                                byte  value size selector
 *   byte  max_entries and evac_delay_ms selector
 *                                byte  create flags (bit 0 NO_SHRINK,
 *                                      bit 1 fail an allocation of create,
 *                                      bit 2 bad parameters first)
 *   8 bytes random seed
 *   then operations: opcode byte, then its operands (see run_op()).
 *
 *   hmap-fuzz [libFuzzer options] [CORPUS...]     (see ../Makefile)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/rcupdate.h>
#include <shim.h>

#include "hmap_core.h"

#define MAX_IDS		1024
#define MAX_OPS		4096

struct input {
	const u8 *p;
	size_t n;
};

static u8 *xmalloc(size_t n)
{
	u8 *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

static u8 in_u8(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static u16 in_u16(struct input *in)
{
	return in_u8(in) | (u16)in_u8(in) << 8;
}

static u64 in_u64(struct input *in)
{
	u64 v = 0;

	for (int i = 0; i < 8; i++)
		v |= (u64)in_u8(in) << (8 * i);
	return v;
}

struct fz {
	struct hmap *map;
	u32 ks, vs, max_entries, flags, evac_delay_ms, hash;
	u32 nids;			/* key numbers are 0..nids-1 */
	u32 gen[MAX_IDS];		/* 0: absent */
	u64 count;
	bool failing;			/* allocation failures injected now */
	bool ever_failed;		/* ... at some point of this input */
	/* A scan in progress across operations. */
	bool scanning;
	u64 cursor;
	u8 scan_must[MAX_IDS];		/* present since the scan began */
	u8 scan_seen[MAX_IDS];
	u32 scan_calls;
	u8 key[HMAP_MAX_KEY_SIZE], key2[HMAP_MAX_KEY_SIZE];
	u8 *val, *val2;
	/* Writes made, and the count at each key's last write attempt. */
	u64 clock;
	u64 stamp[MAX_IDS];
};

#define fz_assert(c, ...) do {						\
	if (!(c)) {							\
		fprintf(stderr, "hmap-fuzz: %s:%d: %s: ", __FILE__, __LINE__, #c); \
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

static u64 mix(u64 x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ULL;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dULL;
	return x ^ (x >> 33);
}

/* Key number id: its bytes, little endian, then a pattern of it. */
static void mk_key(const struct fz *f, u32 id, u8 *buf)
{
	for (u32 j = 0; j < f->ks; j++)
		buf[j] = j < 4 ? id >> (8 * j) : (u8)mix(id * 977 + j);
}

static bool key_id(const struct fz *f, const u8 *buf, u32 *id)
{
	u8 tmp[HMAP_MAX_KEY_SIZE];

	*id = 0;
	for (u32 j = 0; j < f->ks && j < 4; j++)
		*id |= (u32)buf[j] << (8 * j);
	if (*id >= f->nids)
		return false;
	mk_key(f, *id, tmp);
	return !memcmp(tmp, buf, f->ks);
}

/* Eight bytes at a time: 64 KiB values are common and coverage is slow. */
static void mk_val(const struct fz *f, u32 id, u32 gen, u8 *buf)
{
	u64 s = mix((u64)id << 32 | gen), w;
	u32 j;

	for (j = 0; j + 8 <= f->vs; j += 8) {
		w = s + j * 0x9e3779b97f4a7c15ULL;
		memcpy(buf + j, &w, 8);
	}
	w = mix(s);
	memcpy(buf + j, &w, f->vs - j);
}

static void check_val(const struct fz *f, u32 id, const u8 *val, const char *what)
{
	if (!f->vs)
		return;
	mk_val(f, id, f->gen[id], f->val2);
	fz_assert(!memcmp(val, f->val2, f->vs), "%s: wrong value for key %u", what, id);
}

static void check_count(struct fz *f)
{
	fz_assert(hmap_count(f->map) == f->count, "count %llu, model %llu",
		  (unsigned long long)hmap_count(f->map), (unsigned long long)f->count);
}

static void op_update(struct fz *f, u32 id, u32 gen, u64 flags)
{
	bool present = f->gen[id] != 0;
	int err, want;

	f->stamp[id] = ++f->clock;
	mk_key(f, id, f->key);
	mk_val(f, id, gen, f->val);
	err = hmap_update(f->map, f->key, f->val, flags, GFP_KERNEL);
	if (flags > HMAP_UPDATE_EXIST)
		want = -EINVAL;
	else if (present && flags == HMAP_UPDATE_NOEXIST)
		want = -EEXIST;
	else if (!present && flags == HMAP_UPDATE_EXIST)
		want = -ENOENT;
	else if (!present && f->count >= f->max_entries)
		want = -E2BIG;
	else
		want = 0;
	/*
	 * Nothing changed, the model neither. (A write evacuates before it
	 * looks for its key, so even one that would fail otherwise may fail
	 * for want of memory first.)
	 */
	if (err == -ENOMEM && f->failing && want != -EINVAL)
		return;
	fz_assert(err == want, "update key %u flags %llu: %d, want %d", id,
		  (unsigned long long)flags, err, want);
	if (!err) {
		if (!present)
			f->count++;
		f->gen[id] = gen;
	}
}

static void op_delete(struct fz *f, u32 id)
{
	bool present = f->gen[id] != 0;
	int err;

	f->stamp[id] = ++f->clock;
	mk_key(f, id, f->key);
	err = hmap_delete(f->map, f->key, GFP_KERNEL);
	if (err == -ENOMEM && f->failing)
		return;
	fz_assert(err == (present ? 0 : -ENOENT), "delete key %u: %d", id, err);
	if (present) {
		f->gen[id] = 0;
		f->count--;
		f->scan_must[id] = 0;
	}
}

static void op_lookup(struct fz *f, u32 id, bool with_value)
{
	int err;

	mk_key(f, id, f->key);
	err = hmap_lookup(f->map, f->key, with_value ? f->val : NULL);
	fz_assert(err == (f->gen[id] ? 0 : -ENOENT), "lookup key %u: %d", id, err);
	if (!err && with_value)
		check_val(f, id, f->val, "lookup");
}

static void op_clear(struct fz *f)
{
	int err = hmap_clear(f->map, GFP_KERNEL);

	if (err == -ENOMEM && f->failing)
		return;
	fz_assert(!err, "clear: %d", err);
	memset(f->gen, 0, sizeof(f->gen));
	memset(f->scan_must, 0, sizeof(f->scan_must));
	f->count = 0;
}

/* A walk of @limit entries (all if 0): no key twice, all of them if full. */
static void op_iterate(struct fz *f, u32 limit)
{
	u8 seen[MAX_IDS] = { 0 };
	struct hmap_iter it;
	u64 n = 0;
	u32 id;

	rcu_read_lock();
	hmap_iter_init(f->map, &it);
	while ((!limit || n < limit) && !hmap_iter_next(&it, f->key, f->val)) {
		fz_assert(key_id(f, f->key, &id) && f->gen[id], "iteration returned a key not in the map");
		fz_assert(!seen[id]++, "iteration returned key %u twice", id);
		check_val(f, id, f->val, "iteration");
		fz_assert(++n <= f->count, "iteration returned more than %llu entries",
			  (unsigned long long)f->count);
	}
	rcu_read_unlock();
	if (!limit)
		fz_assert(n == f->count, "iteration: %llu entries, model %llu",
			  (unsigned long long)n, (unsigned long long)f->count);
}

/* One hmap_scan() call of the scan in progress (starting one if none). */
static void op_scan_step(struct fz *f, u32 room)
{
	u32 n, id;
	u8 *keys, *vals;
	int err;

	if (!f->scanning) {
		f->scanning = true;
		f->cursor = 0;
		f->scan_calls = 0;
		for (id = 0; id < f->nids; id++) {
			f->scan_must[id] = f->gen[id] != 0;
			f->scan_seen[id] = 0;
		}
	}
	room = room % 64 + 1;
	keys = malloc((size_t)room * f->ks);
	vals = malloc((size_t)room * f->vs + 1);
	err = hmap_scan(f->map, &f->cursor, keys, vals, room, &n);
	if (err == -ENOSPC) {
		fz_assert(n > room, "scan: -ENOSPC with room %u asks for %u", room, n);
		free(keys);
		free(vals);
		room = n;
		keys = malloc((size_t)room * f->ks);
		vals = malloc((size_t)room * f->vs + 1);
		err = hmap_scan(f->map, &f->cursor, keys, vals, room, &n);
	}
	fz_assert(!err, "scan: %d", err);
	for (u32 j = 0; j < n; j++) {
		fz_assert(key_id(f, keys + (size_t)j * f->ks, &id) && f->gen[id],
			  "scan returned a key not in the map");
		check_val(f, id, vals + (size_t)j * f->vs, "scan");
		f->scan_seen[id] = 1;
	}
	free(keys);
	free(vals);
	fz_assert(++f->scan_calls < (1U << 24), "scan does not end");
	if (!f->cursor) {
		for (id = 0; id < f->nids; id++)
			fz_assert(!f->scan_must[id] || f->scan_seen[id],
				  "scan missed key %u, present throughout", id);
		f->scanning = false;
	}
}

static void hook_on(struct fz *f, struct input *in);
static void hook_off(void);

/*
 * One hmap_scan() call into *@keys and *@vals (room for *@room entries),
 * with the read hook on if @in is given; on -ENOSPC the buffers grow to
 * the room asked for and the call is made again.
 */
static int fz_scan(struct fz *f, struct input *in, u64 *cursor, u8 **keys,
		   u8 **vals, u32 *room, u32 *n)
{
	int err;

	for (;;) {
		if (in)
			hook_on(f, in);
		err = hmap_scan(f->map, cursor, *keys, *vals, *room, n);
		if (in)
			hook_off();
		if (err != -ENOSPC)
			return err;
		fz_assert(*n > *room, "scan: -ENOSPC asks for %u, room %u", *n, *room);
		*room = *n;
		*keys = realloc(*keys, (size_t)*room * f->ks);
		*vals = realloc(*vals, (size_t)*room * f->vs + 1);
	}
}

/* A whole scan with no writes in between: each key exactly once. */
static void op_scan_full(struct fz *f)
{
	u8 seen[MAX_IDS] = { 0 };
	u32 room = 8, n, id;
	u8 *keys = malloc(room * f->ks), *vals = malloc(room * f->vs + 1);
	u64 cursor = 0, total = 0;
	int err;

	for (;;) {
		err = fz_scan(f, NULL, &cursor, &keys, &vals, &room, &n);
		fz_assert(!err, "scan: %d", err);
		for (u32 j = 0; j < n; j++) {
			fz_assert(key_id(f, keys + (size_t)j * f->ks, &id) && f->gen[id],
				  "scan returned a key not in the map");
			fz_assert(!seen[id]++, "scan returned key %u twice", id);
			check_val(f, id, vals + (size_t)j * f->vs, "scan");
		}
		total += n;
		if (!cursor)
			break;
	}
	fz_assert(total == f->count, "scan: %llu entries, model %llu",
		  (unsigned long long)total, (unsigned long long)f->count);
	free(keys);
	free(vals);
}

/*
 * Reads with writes between their steps: the read hook (every
 * rcu_dereference() and seqcount section edge of the reader) takes a byte
 * of the input; one in four makes a write, as another thread would. Keys
 * no write touched during the read are judged against the model.
 */
static struct {
	struct fz *f;
	struct input *in;
	bool busy;
} hk;

static void hook_write(void)
{
	struct fz *f = hk.f;
	u8 b;

	if (hk.busy || !hk.in->n)
		return;
	b = in_u8(hk.in);
	if (b & 3)
		return;
	hk.busy = true;
	shim_other_thread_begin();
	/* (The readers below copy into buffers of their own.) */
	switch (b >> 2 & 3) {
	case 0: case 1:
		op_update(f, in_u16(hk.in) % f->nids, in_u8(hk.in) + 1, HMAP_UPDATE_ANY);
		break;
	case 2:
		op_delete(f, in_u16(hk.in) % f->nids);
		break;
	default:
		shim_advance_jiffies(in_u8(hk.in));
		shim_run_work();
		break;
	}
	shim_other_thread_end();
	hk.busy = false;
}

static void hook_on(struct fz *f, struct input *in)
{
	hk.f = f;
	hk.in = in;
	shim_set_read_hook(hook_write);
}

static void hook_off(void)
{
	shim_set_read_hook(NULL);
}

static void op_walk_interleaved(struct fz *f, struct input *in)
{
	u8 seen[MAX_IDS] = { 0 }, present[MAX_IDS], key[HMAP_MAX_KEY_SIZE];
	u8 *val = xmalloc(f->vs);
	u64 c0 = f->clock;
	struct hmap_iter it;
	u32 id;

	for (id = 0; id < f->nids; id++)
		present[id] = f->gen[id] != 0;
	hook_on(f, in);
	rcu_read_lock();
	hmap_iter_init(f->map, &it);
	while (!hmap_iter_next(&it, key, val)) {
		fz_assert(key_id(f, key, &id), "interleaved walk returned a key never inserted");
		if (seen[id] < 255)
			seen[id]++;
		if (f->stamp[id] <= c0)
			check_val(f, id, val, "interleaved walk");
	}
	rcu_read_unlock();
	hook_off();
	free(val);
	for (id = 0; id < f->nids; id++)
		fz_assert(f->stamp[id] > c0 || seen[id] == present[id],
			  "interleaved walk returned key %u %u times, %s throughout",
			  id, seen[id], present[id] ? "present" : "absent");
}

static void op_lookup_interleaved(struct fz *f, struct input *in, u32 id)
{
	u8 *val = xmalloc(f->vs);
	u64 c0 = f->clock;
	int err;

	mk_key(f, id, f->key2);
	hook_on(f, in);
	err = hmap_lookup(f->map, f->key2, val);
	hook_off();
	if (f->stamp[id] <= c0) {
		fz_assert(err == (f->gen[id] ? 0 : -ENOENT),
			  "interleaved lookup of key %u: %d", id, err);
		if (!err)
			check_val(f, id, val, "interleaved lookup");
	}
	free(val);
}

static void op_scan_interleaved(struct fz *f, struct input *in)
{
	u8 seen[MAX_IDS] = { 0 }, present[MAX_IDS];
	u32 room = 16, n, id;
	u8 *keys = malloc(room * f->ks), *vals = malloc(room * f->vs + 1);
	u64 c0 = f->clock, cursor = 0, calls = 0;
	int err;

	for (id = 0; id < f->nids; id++)
		present[id] = f->gen[id] != 0;
	for (;;) {
		err = fz_scan(f, in, &cursor, &keys, &vals, &room, &n);
		fz_assert(!err, "interleaved scan: %d", err);
		for (u32 j = 0; j < n; j++) {
			fz_assert(key_id(f, keys + (size_t)j * f->ks, &id),
				  "interleaved scan returned a key never inserted");
			seen[id] = 1;
		}
		if (!cursor)
			break;
		fz_assert(++calls < (1U << 24), "interleaved scan does not end");
	}
	free(keys);
	free(vals);
	for (id = 0; id < f->nids; id++)
		fz_assert(f->stamp[id] > c0 || !present[id] || seen[id],
			  "interleaved scan missed key %u, present throughout", id);
}

static void check_all(struct fz *f)
{
	check_count(f);
	for (u32 id = 0; id < f->nids; id++)
		op_lookup(f, id, true);
	op_iterate(f, 0);
	op_scan_full(f);
	fz_assert(!hmap_verify(f->map), "hmap_verify");
}

static void check_info(struct fz *f)
{
	struct hmap_info info;
	struct hmap_histogram h;
	struct hmap_bucket_snap s;
	u64 occ = 0;

	hmap_get_info(f->map, &info);
	fz_assert(info.count == f->count, "info count");
	fz_assert(info.key_size == f->ks && info.value_size == f->vs, "info sizes");
	fz_assert(info.hash == f->hash, "info hash %u, created with %u", info.hash, f->hash);
	fz_assert(info.B <= HMAP_MAX_B, "B %u", info.B);
	fz_assert((info.growth == HMAP_GROWTH_NONE) == !info.old_buckets, "growth %u old %llu",
		  info.growth, (unsigned long long)info.old_buckets);
	if (info.growth == HMAP_GROWTH_NONE) {
		/*
		 * At rest the load is at most 6.5 per bucket, plus what inserts
		 * added during a same-size grow (which blocks doubling): one per
		 * write, at most 2^B writes. An injected failure of the second
		 * evacuation of a write does not fail it, so only without those.
		 */
		fz_assert(f->ever_failed || info.count <= 8 || info.count * 2 <= (15ULL << info.B),
			  "%llu entries in 2^%u buckets at rest", (unsigned long long)info.count, info.B);
		fz_assert(hmap_get_histogram(f->map, true, &h) == -ENOENT, "old histogram");
		fz_assert(!hmap_get_histogram(f->map, false, &h), "histogram");
		for (int i = 0; i < HMAP_HIST_SLOTS; i++)
			occ += h.occupancy[i] * i;
		fz_assert(occ == f->count, "histogram has %llu live slots, model %llu",
			  (unsigned long long)occ, (unsigned long long)f->count);
	} else {
		fz_assert(info.nevacuate < info.old_buckets, "nevacuate %llu of %llu",
			  (unsigned long long)info.nevacuate, (unsigned long long)info.old_buckets);
		fz_assert(!hmap_snapshot_bucket(f->map, true, info.old_buckets - 1, &s), "old snapshot");
		fz_assert(hmap_snapshot_bucket(f->map, true, info.old_buckets, &s) == -ERANGE, "old range");
	}
	fz_assert(!hmap_snapshot_bucket(f->map, false, 0, &s), "snapshot");
}

/* New sizes go at the end: a selector keeps its size (the corpus's). */
static const u32 key_sizes[] = { 4, 8, 1, 2, 3, 5, 16, 24, 128, 129, 200, 512,
				 12, 17 };
static const u32 value_sizes[] = { 8, 0, 4, 1, 16, 128, 129, 300, 1000, 65536 };

static struct hmap *fz_create(struct fz *f, u8 cflags)
{
	struct hmap_params p = {
		.key_size = f->ks, .value_size = f->vs,
		.max_entries = f->max_entries == ~0U ? 0 : f->max_entries,
		.flags = f->flags, .evac_delay_ms = f->evac_delay_ms,
		.hash = f->hash,
	};
	struct hmap *map;

	if (cflags & 4) {	/* bad parameters: -EINVAL, nothing allocated */
		struct hmap_params bad = p;

		bad.key_size = cflags & 8 ? 0 : HMAP_MAX_KEY_SIZE + 1 + (cflags >> 4);
		fz_assert(hmap_create(&bad) == ERR_PTR(-EINVAL), "bad key size");
		bad = p;
		bad.flags |= 2u << (cflags >> 5);
		fz_assert(hmap_create(&bad) == ERR_PTR(-EINVAL), "bad flags");
		bad = p;
		bad.evac_delay_ms = HMAP_MAX_EVAC_DELAY_MS + 1 + cflags;
		fz_assert(hmap_create(&bad) == ERR_PTR(-EINVAL), "bad evac_delay_ms");
		bad = p;
		bad.hash = cflags & 8 ? ~0U : HMAP_HASH_NR + (cflags >> 4);
		fz_assert(hmap_create(&bad) == ERR_PTR(-EINVAL), "bad hash");
	}
	if (cflags & 2) {
		shim_alloc_fail_nth(1 + (cflags >> 4));
		map = hmap_create(&p);
		shim_alloc_fail_off();
		if (!IS_ERR(map))
			return map;
		fz_assert(map == ERR_PTR(-ENOMEM), "create with a failing allocation: %ld",
			  PTR_ERR(map));
	}
	map = hmap_create(&p);
	fz_assert(!IS_ERR(map), "create: %ld", PTR_ERR(map));
	return map;
}

/*
 * One operation. Opcodes (byte % 20):
 *   0-4  update   id(2) gen(1) flags(1: 0-3 as given, >= 0xf0 a bad flag)
 *   5-6  delete   id(2)
 *   7    lookup   id(2)          8  lookup presence only  id(2)
 *   9    bulk insert  count(1)*4 keys from id(2)
 *   10   bulk delete  count(1)*4 keys from id(2)
 *   11   iterate (full)          12  iterate partially  limit(1)
 *   13   scan step  room(1)      14  full scan
 *   15   fail the next op's n-th allocation  n(1), or all (n >= 0xf0)
 *   16   grace period and RCU callbacks (frees, cache reuse)
 *   17   background worker: clock forward ticks(1), run work
 *   18   shrinker  nr(1);  info/histogram/snapshot checks
 *   19   clear (if the operand byte is odd), else a full check
 *   20   walk, 21 lookup id(2), 22 full scan, each with writes between
 *        the reader's steps: at each step a byte, one in four a write
 *        (0-1: update id(2) gen(1), 2: delete id(2), 3: worker ticks(1))
 */
static void run_op(struct fz *f, struct input *in)
{
	u8 op = in_u8(in) % 23, b;
	u32 id, n;

	switch (op) {
	case 0: case 1: case 2: case 3: case 4: {
		u64 flags;

		id = in_u16(in) % f->nids;
		n = in_u8(in) + 1;
		b = in_u8(in);
		flags = b >= 0xf0 ? (u64)1 << (b & 63) | 3 : b % 4;
		op_update(f, id, n, flags);
		break;
	}
	case 5: case 6:
		op_delete(f, in_u16(in) % f->nids);
		break;
	case 7: case 8:
		op_lookup(f, in_u16(in) % f->nids, op == 7);
		break;
	case 9:
		n = min_t(u32, in_u8(in) * 4, f->nids);
		id = in_u16(in);
		for (u32 j = 0; j < n; j++)
			op_update(f, (id + j) % f->nids, 1 + j % 200, HMAP_UPDATE_ANY);
		break;
	case 10:
		n = min_t(u32, in_u8(in) * 4, f->nids);
		id = in_u16(in);
		for (u32 j = 0; j < n; j++)
			op_delete(f, (id + j) % f->nids);
		break;
	case 11:
		op_iterate(f, 0);
		break;
	case 12:
		op_iterate(f, in_u8(in) + 1);
		break;
	case 13:
		op_scan_step(f, in_u8(in));
		break;
	case 14:
		op_scan_full(f);
		break;
	case 15:
		b = in_u8(in);
		if (f->failing)
			break;
		if (b >= 0xf0)
			shim_alloc_fail_all(true);
		else
			shim_alloc_fail_nth(b % 16 + 1);
		f->failing = f->ever_failed = true;
		run_op(f, in);
		shim_alloc_fail_off();
		f->failing = false;
		break;
	case 16:
		shim_rcu_process();
		break;
	case 17:
		shim_advance_jiffies(in_u8(in));
		shim_run_work();
		break;
	case 18:
		shim_shrink_all(in_u8(in));
		check_info(f);
		break;
	case 19:
		if (in_u8(in) & 1)
			op_clear(f);
		else
			check_all(f);
		break;
	case 20:
		if (!f->failing)
			op_walk_interleaved(f, in);
		break;
	case 21:
		if (!f->failing)
			op_lookup_interleaved(f, in, in_u16(in) % f->nids);
		break;
	default:
		if (!f->failing)
			op_scan_interleaved(f, in);
		break;
	}
	check_count(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	shim_set_manual(true);
	shim_set_warn_fatal(true);
	if (hmap_core_init())
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	unsigned long live = shim_alloc_live();
	struct fz *f = calloc(1, sizeof(*f));
	u8 ksel = in_u8(&in), vsel = in_u8(&in), msel = in_u8(&in);
	u8 cflags = in_u8(&in);
	u64 seed = in_u64(&in);
	u64 idspace;
	int ops;

	if (!f)
		abort();
	f->ks = key_sizes[(ksel & 0x7f) % (sizeof(key_sizes) / sizeof(key_sizes[0]))];
	f->hash = ksel & 0x80 ? HMAP_HASH_FAST : HMAP_HASH_SIPHASH;
	f->vs = value_sizes[vsel % (sizeof(value_sizes) / sizeof(value_sizes[0]))];
	/* Big values: few keys, so an input stays fast. */
	f->nids = f->vs > 4096 ? 24 : f->ks > 128 || f->vs > 128 ? 256 : MAX_IDS;
	idspace = f->ks >= 4 ? ~0ULL : 1ULL << (8 * f->ks);
	if (f->nids > idspace)
		f->nids = idspace;
	f->max_entries = msel < 0xc0 ? ~0U : msel % 64 + 1;
	/* The default (50 ms), 1 ms, or longer than most inputs' clocks go. */
	f->evac_delay_ms = (u32[]){ 0, 1, 300 }[msel % 3];
	f->flags = cflags & 1 ? HMAP_F_NO_SHRINK : 0;
	f->val = xmalloc(f->vs);
	f->val2 = xmalloc(f->vs);
	shim_random_seed(seed | 1);

	f->map = fz_create(f, cflags);
	if (f->max_entries == ~0U) {
		struct hmap_info info;

		/* 0 means as many as the largest array takes. */
		hmap_get_info(f->map, &info);
		fz_assert(info.max_entries ==
			  hmap_max_load(hmap_max_B(info.bucket_size, HMAP_ALLOC_MAX)),
			  "max_entries %u", info.max_entries);
		f->max_entries = info.max_entries;
	}
	for (ops = 0; in.n && ops < MAX_OPS; ops++)
		run_op(f, &in);
	check_all(f);
	check_info(f);

	hmap_destroy(f->map);
	shim_quiesce();
	fz_assert(shim_alloc_live() == live, "%ld allocations leaked",
		  (long)(shim_alloc_live() - live));
	shim_random_seed(0);
	free(f->val);
	free(f->val2);
	free(f);
	return 0;
}
