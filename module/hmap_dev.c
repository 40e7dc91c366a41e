// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/hmap: the ioctl ABI of include/uapi/hmap.h over the named maps.
 *
 * Each request copies its structure in (checking its size, reserved
 * fields, flags and name), takes a reference on the named map for the
 * duration of the call, and copies results out. Nothing is changed before
 * every argument has been checked and copied in, so a bad request changes
 * nothing. The maps' own locking is the core's; this file adds none but
 * the registry's.
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hmap_dev.h"
#include "hmap_registry.h"

static umode_t hmap_dev_mode = 0600;
module_param_named(dev_mode, hmap_dev_mode, ushort, 0444);
MODULE_PARM_DESC(dev_mode, "permission bits of /dev/hmap (default 0600)");

/* A request's structure may not claim to be larger than this. */
#define HMAP_IOC_SIZE_MAX	PAGE_SIZE
/* Bytes of entries a dump buffers in the kernel per call, at least one. */
#define HMAP_DUMP_BUF_BYTES	(256 * 1024)

/*
 * Copies a request's structure in. @usize is what the caller says it is:
 * smaller than @minsize (the structure's first version) is an error, a
 * size between that and ours leaves the rest of @dst zero, larger is fine
 * if the extra bytes are 0.
 */
static int hmap_copy_in_ver(void *dst, size_t ksize, size_t minsize,
			    const void __user *src, u32 *usize)
{
	int err;

	if (get_user(*usize, (const u32 __user *)src))
		return -EFAULT;
	if (*usize < minsize || *usize > HMAP_IOC_SIZE_MAX)
		return -EINVAL;
	err = copy_struct_from_user(dst, ksize, src, *usize);
	/* Unknown non-zero trailing bytes: a field we do not support. */
	return err == -E2BIG ? -EINVAL : err;
}

/* The same for a structure that has had one version only. */
static int hmap_copy_in(void *dst, size_t ksize, const void __user *src,
			u32 *usize)
{
	return hmap_copy_in_ver(dst, ksize, ksize, src, usize);
}

/*
 * Copies a reply out: as much of it as the caller's structure holds
 * (@usize, checked by hmap_copy_in_ver()), never more; a caller's larger
 * structure keeps the zero tail it passed.
 */
static int hmap_copy_out(void __user *dst, const void *src, size_t ksize,
			 u32 usize)
{
	return copy_to_user(dst, src, min_t(size_t, ksize, usize)) ? -EFAULT : 0;
}

/* A size past version @lo but short of @hi would hold half a field. */
static bool hmap_size_between(u32 usize, u32 lo, u32 hi)
{
	return usize > lo && usize < hi;
}

/*
 * The map a stats or snapshot request describes: the whole map, or with
 * HMAP_QUERY_SHARD in @query its shard @shard.
 */
static int hmap_query_target(struct hmap *map, u32 query, u32 shard,
			     struct hmap **target)
{
	if (query & ~HMAP_QUERY_SHARD)
		return -EINVAL;
	if (!(query & HMAP_QUERY_SHARD)) {
		*target = map;
		return shard ? -EINVAL : 0;
	}
	*target = hmap_shard(map, shard);
	return *target ? 0 : -EINVAL;
}

/* Looks up @name after checking it; a reference is held on success. */
static int hmap_dev_get(const char *name, struct hmap_named **nm)
{
	if (hmap_check_name(name))
		return -EINVAL;
	*nm = hmap_reg_get(name);
	return *nm ? 0 : -ENOENT;
}

static int hmap_ioc_create(void __user *arg)
{
	struct hmap_ioc_create req;
	struct hmap_params params = {};
	u32 usize;
	int err;

	err = hmap_copy_in_ver(&req, sizeof(req), HMAP_IOC_CREATE_SIZE_VER0,
			       arg, &usize);
	if (err)
		return err;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (hmap_size_between(usize, HMAP_IOC_CREATE_SIZE_VER0,
			      HMAP_IOC_CREATE_SIZE_VER1) ||
	    req.reserved || hmap_check_name(req.name))
		return -EINVAL;
	/*
	 * hmap_create() checks the rest (evac_delay_ms 0 is
	 * HMAP_EVAC_DELAY_MS). Device maps take their keys from userspace,
	 * so they hash with the keyed PRF, SipHash.
	 */
	params.key_size = req.key_size;
	params.value_size = req.value_size;
	params.max_entries = req.max_entries;
	params.flags = req.flags;
	params.shard_bits = req.shard_bits;
	params.evac_delay_ms = req.evac_delay_ms;
	params.hash = HMAP_HASH_SIPHASH;
	return hmap_reg_create(req.name, &params);
}

static int hmap_ioc_map_op(void __user *arg, bool destroy)
{
	struct hmap_ioc_map req;
	struct hmap_named *nm;
	u32 usize;
	int err;

	err = hmap_copy_in(&req, sizeof(req), arg, &usize);
	if (err)
		return err;
	if (destroy && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (req.reserved || hmap_check_name(req.name))
		return -EINVAL;
	if (destroy)
		return hmap_reg_destroy(req.name);
	err = hmap_dev_get(req.name, &nm);
	if (err)
		return err;
	err = hmap_clear(nm->map, GFP_KERNEL);
	hmap_reg_put(nm);
	return err;
}

static int hmap_ioc_list(void __user *arg)
{
	struct hmap_list_entry *out = NULL;
	struct hmap_ioc_list req;
	u32 usize, total, n;
	int err;

	err = hmap_copy_in(&req, sizeof(req), arg, &usize);
	if (err)
		return err;
	/* More room than there can be maps is never needed. */
	req.count = min(req.count, hmap_max_maps);
	if (req.count) {
		out = kvcalloc(req.count, sizeof(*out), GFP_KERNEL);
		if (!out)
			return -ENOMEM;
	}
	n = hmap_reg_list(out, req.count, &total);
	err = -EFAULT;
	if (n && copy_to_user(u64_to_user_ptr(req.entries), out,
			      (size_t)n * sizeof(*out)))
		goto out;
	req.count = total;
	if (put_user(req.count, &((struct hmap_ioc_list __user *)arg)->count))
		goto out;
	err = 0;
out:
	kvfree(out);
	return err;
}

/* Checks an element request against its map; takes the map's reference. */
static int hmap_elem_prepare(struct hmap_ioc_elem *req, struct hmap_named **nm)
{
	int err = hmap_dev_get(req->name, nm);

	if (err)
		return err;
	if (req->key_size != (*nm)->params.key_size) {
		hmap_reg_put(*nm);
		return -EINVAL;
	}
	return 0;
}

static int hmap_ioc_elem(void __user *arg, unsigned int nr)
{
	struct hmap_ioc_elem req;
	struct hmap_named *nm;
	void *key = NULL, *value = NULL;
	u32 usize, vsize;
	int err;

	err = hmap_copy_in(&req, sizeof(req), arg, &usize);
	if (err)
		return err;
	if (nr != _IOC_NR(HMAP_IOC_UPDATE) && req.flags)
		return -EINVAL;
	if (nr == _IOC_NR(HMAP_IOC_UPDATE) && req.flags > HMAP_UPDATE_EXIST)
		return -EINVAL;
	if (nr == _IOC_NR(HMAP_IOC_DELETE) && (req.value || req.value_size))
		return -EINVAL;
	err = hmap_elem_prepare(&req, &nm);
	if (err)
		return err;
	vsize = nm->params.value_size;
	err = -EINVAL;
	if (nr != _IOC_NR(HMAP_IOC_DELETE) && req.value_size != vsize)
		goto out;

	key = memdup_user(u64_to_user_ptr(req.key), req.key_size);
	if (IS_ERR(key)) {
		err = PTR_ERR(key);
		key = NULL;
		goto out;
	}
	if (nr == _IOC_NR(HMAP_IOC_DELETE)) {
		err = hmap_delete(nm->map, key, GFP_KERNEL);
		goto out;
	}
	if (nr == _IOC_NR(HMAP_IOC_UPDATE)) {
		value = vsize ? vmemdup_user(u64_to_user_ptr(req.value), vsize)
			      : NULL;
		if (IS_ERR(value)) {
			err = PTR_ERR(value);
			value = NULL;
			goto out;
		}
		err = hmap_update(nm->map, key, value, req.flags, GFP_KERNEL);
		goto out;
	}
	/* Lookup: check the output buffer before doing the work. */
	err = -EFAULT;
	if (vsize && !access_ok(u64_to_user_ptr(req.value), vsize))
		goto out;
	err = -ENOMEM;
	value = vsize ? kvmalloc(vsize, GFP_KERNEL) : NULL;
	if (vsize && !value)
		goto out;
	err = hmap_lookup(nm->map, key, value);
	if (!err && vsize && copy_to_user(u64_to_user_ptr(req.value), value, vsize))
		err = -EFAULT;
out:
	kfree(key);
	kvfree(value);
	hmap_reg_put(nm);
	return err;
}

/* The dump's kernel buffer: keys then values, room entries each. */
struct hmap_dump_buf {
	u8 *keys;
	u8 *values;
	u32 room;
};

static void hmap_dump_buf_free(struct hmap_dump_buf *b)
{
	kvfree(b->keys);
	kvfree(b->values);
	b->keys = NULL;
	b->values = NULL;
	b->room = 0;
}

static int hmap_dump_buf_alloc(struct hmap_dump_buf *b, u32 room, u32 ksize,
			       u32 vsize)
{
	hmap_dump_buf_free(b);
	b->keys = kvmalloc_array(room, ksize, GFP_KERNEL);
	b->values = vsize ? kvmalloc_array(room, vsize, GFP_KERNEL) : NULL;
	if (!b->keys || (vsize && !b->values)) {
		hmap_dump_buf_free(b);
		return -ENOMEM;
	}
	b->room = room;
	return 0;
}

static int hmap_ioc_dump(void __user *arg)
{
	struct hmap_ioc_dump req, __user *uarg = arg;
	struct hmap_dump_buf buf = {};
	struct hmap_named *nm;
	u32 usize, ks, vs, limit, got = 0, n = 0;
	u64 cursor;
	int err;

	err = hmap_copy_in(&req, sizeof(req), arg, &usize);
	if (err)
		return err;
	if (req.flags || req.reserved || !req.count)
		return -EINVAL;
	err = hmap_dev_get(req.name, &nm);
	if (err)
		return err;
	ks = nm->params.key_size;
	vs = nm->params.value_size;
	err = -EINVAL;
	if (req.key_size != ks || req.value_size != vs)
		goto out;
	limit = min_t(u32, req.count, HMAP_DUMP_MAX_BATCH);
	err = -EFAULT;
	if (!access_ok(u64_to_user_ptr(req.keys), (size_t)limit * ks) ||
	    (vs && !access_ok(u64_to_user_ptr(req.values), (size_t)limit * vs)))
		goto out;

	/* Buffer what fits in HMAP_DUMP_BUF_BYTES, never what userspace asks. */
	err = hmap_dump_buf_alloc(&buf, min_t(u32, limit,
					      max_t(u32, 1, HMAP_DUMP_BUF_BYTES / (ks + vs))),
				  ks, vs);
	if (err)
		goto out;

	cursor = req.cursor;
	for (;;) {
		u64 c = cursor;

		err = hmap_scan(nm->map, &c, buf.keys + (size_t)got * ks,
				buf.values + (size_t)got * vs, buf.room - got, &n);
		if (err == -ENOSPC) {
			if (got)
				break;	/* return what we have */
			if (n > limit) {
				/* Not even this group fits: say what it needs. */
				req.count = n;
				err = put_user(req.count, &uarg->count) ? -EFAULT
									: -ENOSPC;
				goto out;
			}
			/*
			 * The group fits the caller's room but not our buffer:
			 * size the buffer to it (bounded by what the map holds
			 * and by the caller's room) and scan again.
			 */
			err = hmap_dump_buf_alloc(&buf, min(n + 8, limit), ks, vs);
			if (err)
				goto out;
			continue;
		}
		/* -EINVAL: the cursor names a shard the map does not have. */
		if (err)
			goto out;
		got += n;
		cursor = c;
		if (!cursor || got >= buf.room)
			break;
		cond_resched();
	}

	err = -EFAULT;
	if (copy_to_user(u64_to_user_ptr(req.keys), buf.keys, (size_t)got * ks))
		goto out;
	if (vs && copy_to_user(u64_to_user_ptr(req.values), buf.values,
			       (size_t)got * vs))
		goto out;
	if (put_user(cursor, &uarg->cursor) || put_user(got, &uarg->count))
		goto out;
	err = 0;
out:
	hmap_dump_buf_free(&buf);
	hmap_reg_put(nm);
	return err;
}

static int hmap_ioc_stats(void __user *arg)
{
	struct hmap_ioc_stats *req;
	struct hmap_named *nm;
	struct hmap *target;
	struct hmap_info info;
	u32 usize;
	int err, c;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	err = hmap_copy_in_ver(req, sizeof(*req), HMAP_IOC_STATS_SIZE_VER0, arg,
			       &usize);
	if (err)
		goto out;
	err = -EINVAL;
	if (req->reserved ||
	    hmap_size_between(usize, HMAP_IOC_STATS_SIZE_VER0,
			      HMAP_IOC_STATS_SIZE_VER1) ||
	    hmap_size_between(usize, HMAP_IOC_STATS_SIZE_VER1,
			      HMAP_IOC_STATS_SIZE_VER2))
		goto out;
	err = hmap_dev_get(req->name, &nm);
	if (err)
		goto out;
	err = hmap_query_target(nm->map, req->query, req->shard, &target);
	if (!err)
		hmap_get_info(target, &info);
	req->shard_bits = ilog2(hmap_shard_count(nm->map));
	hmap_reg_put(nm);
	if (err)
		goto out;

	req->key_size = info.key_size;
	req->value_size = info.value_size;
	req->max_entries = info.max_entries;
	req->flags = info.flags;
	req->count = info.count;
	req->B = info.B;
	req->old_B = info.old_B;
	req->growth = info.growth;
	req->bucket_size = info.bucket_size;
	req->buckets = info.buckets;
	req->old_buckets = info.old_buckets;
	req->nevacuate = info.nevacuate;
	req->noverflow = info.noverflow;
	req->old_noverflow = info.old_noverflow;
	req->memory = info.memory;
	req->cache_objects = info.cache_objects;
	req->spare_buckets = info.spare_buckets;
	req->nr_counters = HMAP_STAT_NR;
	req->id = info.id;
	for (c = 0; c < HMAP_STAT_NR; c++)
		req->counters[c] = info.counters[c];
	req->counters_off = info.counters_off;
	req->evac_delay_ms = info.evac_delay_ms;
	err = hmap_copy_out(arg, req, sizeof(*req), usize);
out:
	kfree(req);
	return err;
}

static int hmap_ioc_snapshot(void __user *arg)
{
	struct hmap_ioc_snapshot *req;
	struct hmap_shape *shape;
	struct hmap_named *nm;
	struct hmap *target;
	u32 usize;
	int err, i;

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	shape = kzalloc(sizeof(*shape), GFP_KERNEL);
	err = -ENOMEM;
	if (!req || !shape)
		goto out;
	err = hmap_copy_in_ver(req, sizeof(*req), HMAP_IOC_SNAPSHOT_SIZE_VER0,
			       arg, &usize);
	if (err)
		goto out;
	err = -EINVAL;
	if (req->reserved || req->reserved2 || req->reserved3 ||
	    req->reserved4 || req->reserved5 ||
	    hmap_size_between(usize, HMAP_IOC_SNAPSHOT_SIZE_VER0,
			      HMAP_IOC_SNAPSHOT_SIZE_VER1))
		goto out;
	err = hmap_dev_get(req->name, &nm);
	if (err)
		goto out;
	err = hmap_query_target(nm->map, req->query, req->shard, &target);
	if (!err)
		err = hmap_get_shape(target, shape);
	req->shard_bits = ilog2(hmap_shard_count(nm->map));
	hmap_reg_put(nm);
	if (err)
		goto out;
	req->count = shape->info.count;
	req->B = shape->info.B;
	req->old_B = shape->info.old_B;
	req->growth = shape->info.growth;
	req->buckets = shape->info.buckets;
	req->old_buckets = shape->info.old_buckets;
	req->nevacuate = shape->info.nevacuate;
	req->noverflow = shape->info.noverflow;
	/* The old part is all zero when the map is not resizing. */
	for (i = 0; i < HMAP_HIST_CHAIN; i++) {
		req->chain_hist[i] = shape->cur.chain[i];
		req->old_chain_hist[i] = shape->old.chain[i];
	}
	for (i = 0; i < HMAP_HIST_SLOTS; i++) {
		req->slot_hist[i] = shape->cur.occupancy[i];
		req->old_slot_hist[i] = shape->old.occupancy[i];
	}
	req->old_evacuated = shape->old.evacuated;
	err = hmap_copy_out(arg, req, sizeof(*req), usize);
out:
	kfree(shape);
	kfree(req);
	return err;
}

/* A file of HMAP_IOC_ENABLE_STATS: its one hold ends with its last close. */
static int hmap_stats_fd_release(struct inode *inode, struct file *file)
{
	hmap_stats_disable();
	return 0;
}

static const struct file_operations hmap_stats_fd_fops = {
	.owner = THIS_MODULE,
	.release = hmap_stats_fd_release,
	.llseek = noop_llseek,
};

static int hmap_ioc_enable_stats(void __user *arg)
{
	struct hmap_ioc_enable_stats req;
	u32 usize;
	int err, fd;

	err = hmap_copy_in(&req, sizeof(req), arg, &usize);
	if (err)
		return err;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (req.flags)
		return -EINVAL;
	/* On before the file exists: its release always has a hold to drop. */
	err = hmap_stats_enable();
	if (err)
		return err;
	fd = anon_inode_getfd("[hmap-stats]", &hmap_stats_fd_fops, NULL,
			      O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		hmap_stats_disable();
	return fd;
}

static long hmap_dev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	unsigned int nr = _IOC_NR(cmd);

	/* Dispatch on type and number: later, larger structures still match. */
	if (_IOC_TYPE(cmd) != HMAP_IOC_MAGIC)
		return -ENOTTY;
	switch (nr) {
	case _IOC_NR(HMAP_IOC_CREATE):
		return hmap_ioc_create(uarg);
	case _IOC_NR(HMAP_IOC_DESTROY):
		return hmap_ioc_map_op(uarg, true);
	case _IOC_NR(HMAP_IOC_CLEAR):
		return hmap_ioc_map_op(uarg, false);
	case _IOC_NR(HMAP_IOC_LIST):
		return hmap_ioc_list(uarg);
	case _IOC_NR(HMAP_IOC_LOOKUP):
	case _IOC_NR(HMAP_IOC_UPDATE):
	case _IOC_NR(HMAP_IOC_DELETE):
		return hmap_ioc_elem(uarg, nr);
	case _IOC_NR(HMAP_IOC_DUMP):
		return hmap_ioc_dump(uarg);
	case _IOC_NR(HMAP_IOC_STATS):
		return hmap_ioc_stats(uarg);
	case _IOC_NR(HMAP_IOC_SNAPSHOT):
		return hmap_ioc_snapshot(uarg);
	case _IOC_NR(HMAP_IOC_ENABLE_STATS):
		return hmap_ioc_enable_stats(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations hmap_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = hmap_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice hmap_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hmap",
	.fops = &hmap_dev_fops,
};

/**
 * hmap_dev_init() - register /dev/hmap
 *
 * Context: Process context (module load).
 * Return: 0 or misc_register()'s error.
 */
int hmap_dev_init(void)
{
	BUILD_BUG_ON(HMAP_STAT_NR > HMAP_STATS_MAX_COUNTERS);
	BUILD_BUG_ON(HMAP_STAT_NR < HMAP_STAT_NR_V0);
	BUILD_BUG_ON(HMAP_STATS_RUNTIME_COUNTERS != HMAP_STATS_RUNTIME_MASK);
	BUILD_BUG_ON(offsetof(struct hmap_ioc_stats, counters_off) !=
		     HMAP_IOC_STATS_SIZE_VER0);
	BUILD_BUG_ON(offsetof(struct hmap_ioc_stats, query) !=
		     HMAP_IOC_STATS_SIZE_VER1);
	BUILD_BUG_ON(sizeof(struct hmap_ioc_stats) != HMAP_IOC_STATS_SIZE_VER2);
	BUILD_BUG_ON(offsetof(struct hmap_ioc_create, shard_bits) !=
		     HMAP_IOC_CREATE_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct hmap_ioc_create) != HMAP_IOC_CREATE_SIZE_VER1);
	BUILD_BUG_ON(offsetof(struct hmap_ioc_snapshot, query) !=
		     HMAP_IOC_SNAPSHOT_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct hmap_ioc_snapshot) !=
		     HMAP_IOC_SNAPSHOT_SIZE_VER1);

	hmap_miscdev.mode = hmap_dev_mode & 0777;
	return misc_register(&hmap_miscdev);
}

/**
 * hmap_dev_exit() - unregister /dev/hmap
 *
 * No ioctl can be running afterwards: an open file pins the module.
 *
 * Context: Process context (module unload).
 */
void hmap_dev_exit(void)
{
	misc_deregister(&hmap_miscdev);
}
