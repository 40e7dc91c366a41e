// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/hmap/: a `maps` list, and per map a directory with
 * `stats`, `shards`, `buckets`, `old_buckets`, `histogram` and `dump`.
 * A map of shards shows the sum over its shards in `stats` and
 * `histogram`, each shard's shape in `shards`, and walks shard after shard
 * in `buckets`, `old_buckets` and `dump`.
 *
 * Every file is a seq_file that reads the map the way a lookup does (RCU,
 * sequence counts), one bucket chain or one scan group at a time, so
 * reading a large map neither blocks writers nor allocates more than one
 * chain's or group's worth of memory. Files are removed before their map
 * is released, and debugfs waits for readers inside them, so the map
 * pointer in i_private is valid whenever one of these functions runs.
 */

#include <linux/debugfs.h>
#include <linux/hex.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "hmap_debugfs.h"
#include "hmap_registry.h"

static struct dentry *hmap_debugfs_root;

static void hmap_seq_hex(struct seq_file *m, const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seq_putc(m, hex_asc_hi(p[i]));
		seq_putc(m, hex_asc_lo(p[i]));
	}
}

/* ---- maps ---- */

static int hmap_maps_show(struct seq_file *m, void *v)
{
	struct hmap_list_entry *e;
	u32 total, n, i;

	e = kvmalloc_array(hmap_max_maps ?: 1, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	n = hmap_reg_list(e, hmap_max_maps, &total);
	for (i = 0; i < n; i++)
		seq_printf(m, "%s key_size %u value_size %u max_entries %u count %llu\n",
			   e[i].name, e[i].key_size, e[i].value_size,
			   e[i].max_entries, e[i].count);
	kvfree(e);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hmap_maps);

/* ---- stats ---- */

/*
 * "NAME: value", or "NAME: off" for a counter that is not counting now
 * (a run-time counter while run-time statistics are off): its value would
 * be stale, and a stale number reads as a live one.
 */
static void hmap_seq_counter(struct seq_file *m, const char *name, u64 val,
			     bool off)
{
	if (off)
		seq_printf(m, "%s: off\n", name);
	else
		seq_printf(m, "%s: %llu\n", name, val);
}

static int hmap_stats_show(struct seq_file *m, void *v)
{
	const u64 lookups = BIT_ULL(HMAP_STAT_HITS) | BIT_ULL(HMAP_STAT_MISSES);
	struct hmap_named *nm = m->private;
	struct hmap_info info;
	int c;

	hmap_get_info(nm->map, &info);
	seq_printf(m, "id: %u\n", info.id);
	seq_printf(m, "count: %llu\n", info.count);
	seq_printf(m, "shard_bits: %u\n", info.shard_bits);
	seq_printf(m, "evac_delay_ms: %u\n", info.evac_delay_ms);
	seq_printf(m, "B: %u\n", info.B);
	seq_printf(m, "buckets: %llu\n", info.buckets);
	seq_printf(m, "noverflow: %llu\n", info.noverflow);
	seq_printf(m, "growing: %s\n", hmap_growth_names[info.growth]);
	seq_printf(m, "nevacuate: %llu\n", info.nevacuate);
	seq_printf(m, "old_B: %u\n", info.old_B);
	seq_printf(m, "old_buckets: %llu\n", info.old_buckets);
	seq_printf(m, "old_noverflow: %llu\n", info.old_noverflow);
	seq_printf(m, "max_entries: %u\n", info.max_entries);
	seq_printf(m, "key_size: %u\n", info.key_size);
	seq_printf(m, "value_size: %u\n", info.value_size);
	seq_printf(m, "bucket_size: %u\n", info.bucket_size);
	seq_printf(m, "memory: %llu\n", info.memory);
	seq_printf(m, "cache_objects: %llu\n", info.cache_objects);
	seq_printf(m, "spare_buckets: %llu\n", info.spare_buckets);
	hmap_seq_counter(m, "lookups", info.counters[HMAP_STAT_HITS] +
			 info.counters[HMAP_STAT_MISSES],
			 info.counters_off & lookups);
	for (c = 0; c < HMAP_STAT_NR; c++)
		hmap_seq_counter(m, hmap_stat_names[c], info.counters[c],
				 info.counters_off & BIT_ULL(c));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hmap_stats);

/* ---- shards: each shard's shape, a line each ---- */

/* Room for the header and one shard's line, so the file is shown once. */
#define HMAP_SHARDS_LINE_BYTES	160

static int hmap_shards_show(struct seq_file *m, void *v)
{
	struct hmap_named *nm = m->private;
	unsigned int i, n = hmap_shard_count(nm->map);
	struct hmap_info *info;

	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	seq_puts(m, "shard count B buckets noverflow growing old_B old_buckets nevacuate memory id\n");
	for (i = 0; i < n; i++) {
		hmap_get_info(hmap_shard(nm->map, i), info);
		seq_printf(m, "%u %llu %u %llu %llu %s %u %llu %llu %llu %u\n", i,
			   info->count, info->B, info->buckets, info->noverflow,
			   hmap_growth_names[info->growth], info->old_B,
			   info->old_buckets, info->nevacuate, info->memory,
			   info->id);
		cond_resched();
	}
	kfree(info);
	return 0;
}

static int hmap_shards_open(struct inode *inode, struct file *file)
{
	struct hmap_named *nm = inode->i_private;
	size_t size = HMAP_SHARDS_LINE_BYTES * (hmap_shard_count(nm->map) + 1);

	return single_open_size(file, hmap_shards_show, nm, size);
}

static const struct file_operations hmap_shards_fops = {
	.owner = THIS_MODULE,
	.open = hmap_shards_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* ---- histogram ---- */

static void hmap_histogram_print(struct seq_file *m, const char *prefix,
				 const struct hmap_histogram *h)
{
	int i;

	seq_printf(m, "%sbuckets: %llu\n", prefix, h->buckets);
	for (i = 0; i < HMAP_HIST_CHAIN; i++)
		seq_printf(m, "%schain %d%s: %llu\n", prefix, i + 1,
			   i == HMAP_HIST_CHAIN - 1 ? "+" : "", h->chain[i]);
	for (i = 0; i < HMAP_HIST_SLOTS; i++)
		seq_printf(m, "%sslots %d: %llu\n", prefix, i, h->occupancy[i]);
}

static int hmap_histogram_show(struct seq_file *m, void *v)
{
	struct hmap_named *nm = m->private;
	struct hmap_shape *shape;
	int err;

	shape = kmalloc(sizeof(*shape), GFP_KERNEL);
	if (!shape)
		return -ENOMEM;
	err = hmap_get_shape(nm->map, shape);
	if (!err) {
		hmap_histogram_print(m, "", &shape->cur);
		if (shape->resizing) {
			hmap_histogram_print(m, "old ", &shape->old);
			seq_printf(m, "old evacuated: %llu\n",
				   shape->old.evacuated);
		}
	}
	kfree(shape);
	return err;
}
DEFINE_SHOW_ATTRIBUTE(hmap_histogram);

/*
 * ---- buckets, old_buckets: one line per chain ----
 *
 * The file position is the shard in bits 32 and up and the bucket index
 * below (an index fits: B <= HMAP_MAX_B), so a read resumes at the same
 * chain of the same shard whatever the other shards did meanwhile.
 */

#define HMAP_POS_SHARD_SHIFT	32

struct hmap_buckets_priv {
	struct hmap_named *nm;
	bool old;
	struct hmap_bucket_snap snap;
};

/* The chain at *@pos, or the first after it: the next shard's first. */
static void *hmap_buckets_fetch(struct seq_file *m, loff_t *pos)
{
	struct hmap_buckets_priv *p = m->private;
	unsigned int n = hmap_shard_count(p->nm->map);
	u64 shard, index;

	if (*pos < 0)
		return NULL;
	for (;;) {
		shard = (u64)*pos >> HMAP_POS_SHARD_SHIFT;
		index = *pos & GENMASK_ULL(HMAP_POS_SHARD_SHIFT - 1, 0);
		if (shard >= n)
			return NULL;
		/* -ENOENT: the shard is not resizing; -ERANGE: past its end. */
		if (!hmap_snapshot_bucket(hmap_shard(p->nm->map, shard),
					  p->old, index, &p->snap))
			return p;
		*pos = (loff_t)(shard + 1) << HMAP_POS_SHARD_SHIFT;
	}
}

static void *hmap_buckets_start(struct seq_file *m, loff_t *pos)
{
	return hmap_buckets_fetch(m, pos);
}

static void *hmap_buckets_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return hmap_buckets_fetch(m, pos);
}

static void hmap_buckets_stop(struct seq_file *m, void *v)
{
}

/* Live slots show their tophash in hex; the markers are not hex. */
static const char *hmap_slot_mark(u8 top)
{
	switch (top) {
	case HMAP_EMPTY_REST:		return "__";
	case HMAP_EMPTY_ONE:		return "..";
	case HMAP_EVACUATED_X:		return "ex";
	case HMAP_EVACUATED_Y:		return "ey";
	case HMAP_EVACUATED_EMPTY:	return "e_";
	default:			return NULL;
	}
}

static int hmap_buckets_show(struct seq_file *m, void *v)
{
	struct hmap_buckets_priv *p = v;
	const struct hmap_bucket_snap *s = &p->snap;
	u64 index = m->index & GENMASK_ULL(HMAP_POS_SHARD_SHIFT - 1, 0);
	unsigned int i;

	/* A map of shards names the shard too: SHARD:INDEX. */
	if (hmap_shard_count(p->nm->map) > 1)
		seq_printf(m, "%llu:", (u64)m->index >> HMAP_POS_SHARD_SHIFT);
	seq_printf(m, "%llu %u", index, s->chain_len);
	for (i = 0; i < s->nslots; i++) {
		const char *mark = hmap_slot_mark(s->tophash[i]);

		seq_puts(m, i % HMAP_BUCKET_SLOTS ? " " : " | ");
		if (mark)
			seq_puts(m, mark);
		else
			seq_printf(m, "%02x", s->tophash[i]);
	}
	if (s->chain_len > s->nslots / HMAP_BUCKET_SLOTS)
		seq_puts(m, " | ...");
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations hmap_buckets_sops = {
	.start = hmap_buckets_start,
	.next = hmap_buckets_next,
	.stop = hmap_buckets_stop,
	.show = hmap_buckets_show,
};

static int hmap_buckets_open_common(struct inode *inode, struct file *file,
				    bool old)
{
	struct hmap_buckets_priv *p;

	p = __seq_open_private(file, &hmap_buckets_sops, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->nm = inode->i_private;
	p->old = old;
	return 0;
}

static int hmap_buckets_open(struct inode *inode, struct file *file)
{
	return hmap_buckets_open_common(inode, file, false);
}

static int hmap_old_buckets_open(struct inode *inode, struct file *file)
{
	return hmap_buckets_open_common(inode, file, true);
}

static const struct file_operations hmap_buckets_fops = {
	.owner = THIS_MODULE,
	.open = hmap_buckets_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

static const struct file_operations hmap_old_buckets_fops = {
	.owner = THIS_MODULE,
	.open = hmap_old_buckets_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

/* ---- dump: one scan group per record ---- */

struct hmap_dump_priv {
	struct hmap_named *nm;
	loff_t pos;		/* record held in keys/values, -1 for none */
	u64 next;		/* cursor after that record */
	u32 n;			/* entries held */
	u32 room;
	u8 *keys;
	u8 *values;
};

static int hmap_dump_grow(struct hmap_dump_priv *p, u32 room)
{
	const struct hmap_params *prm = &p->nm->params;
	u8 *k, *v = NULL;

	k = kvmalloc_array(room, prm->key_size, GFP_KERNEL);
	if (k && prm->value_size)
		v = kvmalloc_array(room, prm->value_size, GFP_KERNEL);
	if (!k || (prm->value_size && !v)) {
		kvfree(k);
		return -ENOMEM;
	}
	kvfree(p->keys);
	kvfree(p->values);
	p->keys = k;
	p->values = v;
	p->room = room;
	return 0;
}

static void *hmap_dump_fetch(struct seq_file *m, loff_t pos)
{
	struct hmap_dump_priv *p = m->private;
	u64 cursor;
	int err;

	if (pos == p->pos)
		return p;
	if (pos == 0)
		cursor = 0;
	else if (pos == p->pos + 1 && p->next)
		cursor = p->next;
	else
		return NULL;
	for (;;) {
		err = hmap_scan(p->nm->map, &cursor, p->keys, p->values,
				p->room, &p->n);
		if (err != -ENOSPC)
			break;
		/* The group needs more room: as much as it holds, no more. */
		err = hmap_dump_grow(p, p->n + 8);
		if (err)
			return ERR_PTR(err);
	}
	if (err)
		return ERR_PTR(err);
	p->pos = pos;
	p->next = cursor;
	return p;
}

static void *hmap_dump_start(struct seq_file *m, loff_t *pos)
{
	return hmap_dump_fetch(m, *pos);
}

static void *hmap_dump_next(struct seq_file *m, void *v, loff_t *pos)
{
	return hmap_dump_fetch(m, ++*pos);
}

static void hmap_dump_stop(struct seq_file *m, void *v)
{
}

static int hmap_dump_show(struct seq_file *m, void *v)
{
	struct hmap_dump_priv *p = v;
	const struct hmap_params *prm = &p->nm->params;
	u32 i;

	for (i = 0; i < p->n; i++) {
		hmap_seq_hex(m, p->keys + (size_t)i * prm->key_size,
			     prm->key_size);
		if (prm->value_size) {
			seq_putc(m, ' ');
			hmap_seq_hex(m, p->values + (size_t)i * prm->value_size,
				     prm->value_size);
		}
		seq_putc(m, '\n');
	}
	return 0;
}

static const struct seq_operations hmap_dump_sops = {
	.start = hmap_dump_start,
	.next = hmap_dump_next,
	.stop = hmap_dump_stop,
	.show = hmap_dump_show,
};

static int hmap_dump_open(struct inode *inode, struct file *file)
{
	struct hmap_dump_priv *p;
	int err;

	p = __seq_open_private(file, &hmap_dump_sops, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->nm = inode->i_private;
	p->pos = -1;
	err = hmap_dump_grow(p, 64);
	if (err)
		seq_release_private(inode, file);
	return err;
}

static int hmap_dump_release(struct inode *inode, struct file *file)
{
	struct hmap_dump_priv *p = ((struct seq_file *)file->private_data)->private;

	kvfree(p->keys);
	kvfree(p->values);
	return seq_release_private(inode, file);
}

static const struct file_operations hmap_dump_fops = {
	.owner = THIS_MODULE,
	.open = hmap_dump_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = hmap_dump_release,
};

/* ---- directories ---- */

/**
 * hmap_debugfs_add() - create a map's debugfs directory
 * @nm: the map, not yet visible in the registry
 *
 * Context: Process context; called under the registry mutex.
 * Return: the directory (an ERR_PTR if debugfs is unavailable, which
 * debugfs_remove_recursive() accepts).
 */
struct dentry *hmap_debugfs_add(struct hmap_named *nm)
{
	struct dentry *dir = debugfs_create_dir(nm->name, hmap_debugfs_root);

	debugfs_create_file("stats", 0400, dir, nm, &hmap_stats_fops);
	debugfs_create_file("buckets", 0400, dir, nm, &hmap_buckets_fops);
	debugfs_create_file("old_buckets", 0400, dir, nm,
			    &hmap_old_buckets_fops);
	debugfs_create_file("histogram", 0400, dir, nm, &hmap_histogram_fops);
	debugfs_create_file("shards", 0400, dir, nm, &hmap_shards_fops);
	debugfs_create_file("dump", 0400, dir, nm, &hmap_dump_fops);
	return dir;
}

/**
 * hmap_debugfs_remove() - remove a map's debugfs directory
 * @nm: the map
 *
 * Waits for readers inside the map's files to leave them.
 *
 * Context: Process context; may sleep.
 */
void hmap_debugfs_remove(struct hmap_named *nm)
{
	debugfs_remove_recursive(nm->dbg);
	nm->dbg = NULL;
}

/**
 * hmap_debugfs_init() - create /sys/kernel/debug/hmap and its maps file
 *
 * Context: Process context (module load).
 */
void hmap_debugfs_init(void)
{
	hmap_debugfs_root = debugfs_create_dir("hmap", NULL);
	debugfs_create_file("maps", 0400, hmap_debugfs_root, NULL,
			    &hmap_maps_fops);
}

/**
 * hmap_debugfs_exit() - remove /sys/kernel/debug/hmap
 *
 * Context: Process context (module unload), after every map is gone.
 */
void hmap_debugfs_exit(void)
{
	debugfs_remove_recursive(hmap_debugfs_root);
}
