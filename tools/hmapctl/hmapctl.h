/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hmapctl: shared declarations. main.c holds the command table and the
 * options; common.c the helpers every command uses (argument parsing,
 * error reporting, byte formatting, the device); json.c the JSON writer;
 * map.c the commands on whole maps; elem.c the commands on entries.
 */
#ifndef HMAPCTL_H
#define HMAPCTL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <uapi/hmap.h>

/* Exit statuses (documented in -h and hmapctl.8). */
enum {
	EXIT_OK		= 0,
	EXIT_USAGE	= 1,	/* bad arguments; nothing was sent to the kernel */
	EXIT_NOMAP	= 2,	/* no such map */
	EXIT_NOKEY	= 3,	/* no such key */
	EXIT_EXISTS	= 4,	/* map (create) or key (put noexist) exists */
	EXIT_FULL	= 5,	/* map is full (max_entries) */
	EXIT_PERM	= 6,	/* permission denied */
	EXIT_NODEV	= 7,	/* /dev/hmap cannot be opened */
	EXIT_KERNEL	= 8,	/* any other error */
};

/* Options and the running command (main.c). */
extern bool json_output;
extern bool json_pretty;
extern const char *cmd_name;

/* ---- errors (common.c) ---- */

/*
 * Each returns @status after printing "hmapctl: CMD: MESSAGE" on stderr
 * and, in JSON mode, {"error": "MESSAGE"} on stdout (closing any JSON
 * already begun, so stdout stays one valid document).
 */
int fail(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A usage error: like fail(EXIT_USAGE, ...) plus a pointer to -h. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * A failed ioctl on map @name: the errors every command shares (ENOENT as
 * "no such map", EPERM, ENOTTY, ...); commands handle their own first.
 */
int kernel_error(int err, const char *name);

/* ---- argument parsing (common.c) ---- */

/* True if @arg is a non-empty prefix of @word. */
bool is_prefix(const char *arg, const char *word);
/*
 * Match @arg against the NULL-terminated @words: an exact match, else the
 * one word @arg is a prefix of. Returns its index, -1 if none, -2 if
 * several (ambiguous).
 */
int match_keyword(const char *arg, const char *const *words);
/* Decimal or 0x-prefixed hex, no sign, no trailing junk, fits 32 bits. */
int parse_u32(const char *s, uint32_t *out);
/*
 * A map name as the kernel accepts it. Returns NULL if valid, else a
 * description of the problem.
 */
const char *check_map_name(const char *name);

/*
 * Parse one key or value of exactly @size bytes into @buf from the words
 * argv[*idx..argc-1], advancing *idx past the words used. The forms:
 *   STRING          copied and zero-padded; longer than @size is an error
 *   str STRING      the same, for strings that look like the other forms
 *   0xHEXDIGITS     an even number of hex digits, zero-padded
 *   hex BB BB ...   byte words of 1-2 hex digits, taken while they parse
 *                   and bytes are left to fill, zero-padded
 * No word left is an error unless @size is 0. On error returns -1 with a
 * message in @err (@errlen bytes) and *idx unspecified; else 0.
 */
int parse_bytes(int argc, char **argv, int *idx, uint8_t *buf, size_t size,
		const char *what, char *err, size_t errlen);

/* ---- byte formatting (common.c) ---- */

/*
 * Length of the printable-ASCII string in @b if @b is one (at least one
 * printable byte, then only zero bytes), else 0.
 */
size_t printable_len(const uint8_t *b, size_t n);
/* Text: the string (quoted with \" and \\ escaped if @quote) or hex bytes. */
void print_bytes(FILE *f, const uint8_t *b, size_t n, bool quote);
/* JSON: {"hex": "0102..", "str": "..."} ("str" only if printable). */
void json_bytes(const uint8_t *b, size_t n);

/* ---- the device (dev.c, or mock.c in the test build) ---- */

/* The path to open: $HMAPCTL_DEVICE or HMAP_DEVICE. */
const char *dev_path(void);
/* Open the device once; returns 0 or an exit status (already reported). */
int dev_open(void);
/* ioctl on the device: 0 or a positive errno. */
int dev_ioctl(unsigned long req, void *arg);

/*
 * HMAP_IOC_ENABLE_STATS: run-time statistics on until dev_stats_release(*@fd).
 * 0 or a positive errno.
 */
int dev_enable_stats(int *fd);
void dev_stats_release(int fd);

/*
 * HMAP_IOC_STATS on @name into @st: the whole map, or with HMAP_QUERY_SHARD
 * in @query shard @shard alone. 0 or a positive errno.
 */
int get_stats_query(const char *name, uint32_t query, uint32_t shard,
		    struct hmap_ioc_stats *st);
/* The whole map: get_stats_query(@name, 0, 0, @st). */
int get_stats(const char *name, struct hmap_ioc_stats *st);
/* A map's shards: 2^@shard_bits, kept within what a shard index can name. */
uint64_t shard_count(uint32_t shard_bits);
/* Copy @name into a zero-padded kernel name field. */
void set_name(char dst[HMAP_NAME_MAX], const char *name);

/* ---- JSON writer (json.c): writes to stdout ---- */

void jw_set_pretty(bool pretty);
void jw_obj_begin(void);
void jw_obj_end(void);
void jw_arr_begin(void);
void jw_arr_end(void);
void jw_key(const char *key);
void jw_str(const char *s);
void jw_strn(const char *s, size_t n);
void jw_u64(uint64_t v);
void jw_bool(bool v);
void jw_null(void);
/* Key and value at once. */
void jw_kv_str(const char *key, const char *s);
void jw_kv_u64(const char *key, uint64_t v);
/* Emit {"error": MSG} where a value may go, then close everything open. */
void jw_error(const char *msg);
/* Nesting depth: 0 when no document is open. */
int jw_depth(void);

/* ---- commands ---- */

int do_create(int argc, char **argv);
int do_list(int argc, char **argv);
int do_destroy(int argc, char **argv);
int do_clear(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_snapshot(int argc, char **argv);
int do_put(int argc, char **argv);
int do_get(int argc, char **argv);
int do_del(int argc, char **argv);
int do_dump(int argc, char **argv);
int do_help(int argc, char **argv);

#endif /* HMAPCTL_H */
