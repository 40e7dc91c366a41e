// SPDX-License-Identifier: GPL-2.0
/*
 * hmap-fill: fills maps for the shell tests, in one process (not one per
 * insert), run as root in the test VM.
 *
 *   hmap-fill [-d DEVICE] fill NAME KEY_SIZE VALUE_SIZE COUNT
 *   hmap-fill [-d DEVICE] insert NAME KEY_SIZE VALUE_SIZE FROM TO [-s DIR] [FIELD...]
 *
 * fill creates NAME and inserts COUNT entries (ids 0..COUNT-1, the pattern
 * of pattern.h: an id's key is the id in little-endian, zero-padded to 8
 * bytes, byte j of its value is id * 7 + j). insert adds ids FROM..TO-1 to
 * an existing map; with FIELDs, after each insert it prints a line
 * "ID VALUE..." with those fields of /sys/kernel/debug/hmap/NAME/stats, so
 * a script can watch a map grow without starting a process per insert.
 * With -s DIR, while the map grows from 32 old buckets or more, after each
 * insert the next view of its debugfs files is copied to DIR: buckets and
 * old_buckets with their stats as stats.0, then histogram with stats.1. A
 * view is kept only if the stats file read the same before and after: one
 * consistent moment of a grow in progress, which the background worker
 * would finish while a script looked (evac_delay_ms after the last write:
 * give the map a delay longer than a read of its files takes). A read
 * that the worker spoils is reported with its duration; the next insert
 * tries again.
 *
 * Exit status: 0, 1 if a request failed, 2 on a usage error or if the
 * device cannot be opened.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ioc.h"
#include "pattern.h"

/* hmap-fill fill NAME KEY_SIZE VALUE_SIZE COUNT */
static int fill_cmd(char **argv)
{
	uint32_t ks = strtoul(argv[1], NULL, 0), vs = strtoul(argv[2], NULL, 0);
	uint64_t n = strtoull(argv[3], NULL, 0);
	int rc = map_create(argv[0], ks, vs, 0);

	if (rc) {
		fprintf(stderr, "fill: create %s: %s\n", argv[0], strerror(-rc));
		return 1;
	}
	rc = fill(argv[0], ks, vs, 0, n, 0);
	if (rc) {
		fprintf(stderr, "fill: insert into %s: %s\n", argv[0], strerror(-rc));
		return 1;
	}
	return 0;
}

/* The contents of @path (NUL-terminated; *@len bytes), or NULL. */
static char *slurp(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0, r;
	char *buf = malloc(cap + 1);
	FILE *f = fopen(path, "r");

	if (!f) {
		free(buf);
		return NULL;
	}
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

/*
 * Prints "@id" and the @nf fields @f of debugfs's stats file of @name, all
 * from one read of the file.
 */
static int print_stats_fields(const char *name, uint64_t id, char **f, int nf)
{
	char path[128], *st, *line;
	size_t len;

	snprintf(path, sizeof(path), "/sys/kernel/debug/hmap/%s/stats", name);
	st = slurp(path, &len);
	if (!st) {
		fprintf(stderr, "insert: %s: %s\n", path, strerror(errno));
		return 1;
	}
	printf("%llu", (unsigned long long)id);
	for (int i = 0; i < nf; i++) {
		size_t l = strlen(f[i]);
		bool found = false;

		for (line = st; line && !found; line = strchr(line, '\n')) {
			if (*line == '\n')
				line++;
			if (!strncmp(line, f[i], l) && line[l] == ':' && line[l + 1] == ' ') {
				printf(" %.*s", (int)strcspn(line + l + 2, "\n"), line + l + 2);
				found = true;
			}
		}
		if (!found)
			printf(" ?");
	}
	putchar('\n');
	free(st);
	return 0;
}

/* Writes @len bytes of @data to @dir/@file. */
static bool save(const char *dir, const char *file, const char *data, size_t len)
{
	char path[256];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	if (!f)
		return false;
	ok = fwrite(data, 1, len, f) == len;
	return !fclose(f) && ok;
}

/*
 * The views of a grow that insert -s copies: files that must be read at
 * one moment, with the stats of that moment saved as stats.N.
 */
static const char *const views[][3] = {
	{ "buckets", "old_buckets", NULL },
	{ "histogram", NULL },
};

/*
 * Copies view @v of @name's debugfs files to @dir if the map is growing
 * and its stats read the same before and after (no evacuation happened
 * meanwhile). Returns 1 if it did, -1 if the stats moved, 0 if the map is
 * not growing from 32 buckets or more.
 */
static int snapshot_view(const char *name, const char *dir, unsigned int v)
{
	char path[256], sname[16], *before, *after, *old, *data[2] = { NULL, NULL };
	struct timespec t0, t1;
	size_t blen, alen, len[2];
	bool ok;
	int i;

	snprintf(path, sizeof(path), "/sys/kernel/debug/hmap/%s/stats", name);
	before = slurp(path, &blen);
	old = before ? strstr(before, "\nold_buckets: ") : NULL;
	if (!old || strstr(before, "growing: no\n") || strtoull(old + 14, NULL, 10) < 32) {
		free(before);
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; views[v][i]; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/hmap/%s/%s", name, views[v][i]);
		data[i] = slurp(path, &len[i]);
	}
	snprintf(path, sizeof(path), "/sys/kernel/debug/hmap/%s/stats", name);
	after = slurp(path, &alen);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ok = after && alen == blen && !memcmp(before, after, blen);
	if (!ok)
		fprintf(stderr, "insert: view %u of %s: the stats moved during a %ld ms read\n", v,
			name, (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	snprintf(sname, sizeof(sname), "stats.%u", v);
	ok = ok && save(dir, sname, before, blen);
	for (i = 0; views[v][i]; i++)
		ok = ok && data[i] && save(dir, views[v][i], data[i], len[i]);
	for (i = 0; i < 2; i++)
		free(data[i]);
	free(before);
	free(after);
	return ok ? 1 : -1;
}

/* hmap-fill insert NAME KEY_SIZE VALUE_SIZE FROM TO [-s DIR] [FIELD...] */
static int insert_cmd(int argc, char **argv)
{
	uint32_t ks = strtoul(argv[1], NULL, 0), vs = strtoul(argv[2], NULL, 0);
	uint64_t from = strtoull(argv[3], NULL, 0), to = strtoull(argv[4], NULL, 0);
	char **fields = argv + 5;
	int nfields = argc - 5, tries = 0;
	const char *dir = NULL;
	unsigned int view = 0;

	if (nfields >= 2 && !strcmp(fields[0], "-s")) {
		dir = fields[1];
		fields += 2;
		nfields -= 2;
	}
	for (uint64_t id = from; id < to; id++) {
		int rc = fill(argv[0], ks, vs, id, id + 1, 0);

		if (rc) {
			fprintf(stderr, "insert: id %llu into %s: %s\n", (unsigned long long)id,
				argv[0], strerror(-rc));
			return 1;
		}
		if (nfields && print_stats_fields(argv[0], id, fields, nfields))
			return 1;
		if (dir && view < ARRAY_SIZE(views)) {
			int got = snapshot_view(argv[0], dir, view);

			if (got > 0) {
				fprintf(stderr, "insert: view %u of %s's grow copied to %s after id %llu (%d failed tries)\n",
					view, argv[0], dir, (unsigned long long)id, tries);
				view++;
				tries = 0;
			} else if (got < 0) {
				tries++;
			}
		}
	}
	if (dir && view < ARRAY_SIZE(views))
		fprintf(stderr, "insert: view %u of %s's grows not copied (%d failed tries)\n",
			view, argv[0], tries);
	return 0;
}

static void __attribute__((noreturn)) usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-d DEVICE] fill NAME KEY_SIZE VALUE_SIZE COUNT\n"
		"       %s [-d DEVICE] insert NAME KEY_SIZE VALUE_SIZE FROM TO [-s DIR] [FIELD...]\n",
		prog, prog);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dev_path = HMAP_DEVICE;
	int opt, rc;

	while ((opt = getopt(argc, argv, "+d:h")) != -1) {
		if (opt != 'd')
			usage(argv[0]);
		dev_path = optarg;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	argc -= optind;
	argv += optind;
	if (!(argc == 5 && !strcmp(argv[0], "fill")) &&
	    !(argc >= 6 && !strcmp(argv[0], "insert")))
		usage("hmap-fill");
	rc = ioc_open(dev_path);
	if (rc) {
		fprintf(stderr, "hmap-fill: open %s: %s\n", dev_path, strerror(-rc));
		return 2;
	}
	if (!strcmp(argv[0], "fill"))
		return fill_cmd(argv + 1);
	return insert_cmd(argc - 1, argv + 1);
}
