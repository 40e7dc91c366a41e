// SPDX-License-Identifier: GPL-2.0
/*
 * hmapctl: helpers shared by the commands: error reporting, keyword and
 * number parsing, key/value parsing and formatting.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/hex.h"
#include "hmapctl.h"

/* ---- errors ---- */

static int vreport(int status, bool hint, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fflush(stdout);		/* keep stdout and stderr in order on a tty */
	if (cmd_name)
		fprintf(stderr, "hmapctl: %s: %s\n", cmd_name, msg);
	else
		fprintf(stderr, "hmapctl: %s\n", msg);
	if (hint)
		fprintf(stderr, "Try 'hmapctl -h' for help.\n");
	if (json_output)
		jw_error(msg);
	return status;
}

int fail(int status, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vreport(status, false, fmt, ap);
	va_end(ap);
	return ret;
}

int usage_error(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vreport(EXIT_USAGE, true, fmt, ap);
	va_end(ap);
	return ret;
}

int kernel_error(int err, const char *name)
{
	switch (err) {
	case ENOENT:
		return fail(EXIT_NOMAP, "no such map '%s'", name);
	case EPERM:
	case EACCES:
		return fail(EXIT_PERM, "permission denied (need CAP_SYS_ADMIN)");
	case ENOTTY:
		return fail(EXIT_KERNEL,
			    "%s does not know this request (module too old?)",
			    dev_path());
	case ENOMEM:
		return fail(EXIT_KERNEL, "out of memory");
	default:
		return fail(EXIT_KERNEL, "%s", strerror(err));
	}
}

/* ---- keywords, numbers, names ---- */

bool is_prefix(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n > 0 && n <= strlen(word) && !memcmp(arg, word, n);
}

int match_keyword(const char *arg, const char *const *words)
{
	int found = -1;

	for (int i = 0; words[i]; i++) {
		if (!strcmp(arg, words[i]))
			return i;
		if (is_prefix(arg, words[i]))
			found = found == -1 ? i : -2;
	}
	return found;
}

int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		int d = hex_digit((unsigned char)*s);

		if (d < 0 || d >= base)
			return -1;
		v = v * base + d;
		if (v > UINT32_MAX)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

const char *check_map_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0)
		return "empty map name";
	if (n >= HMAP_NAME_MAX)
		return "map name too long (at most 31 characters)";
	if (name[0] == '.')
		return "map name starts with '.'";
	if (!strcmp(name, "maps"))
		return "'maps' is reserved";
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return "map name has characters outside [A-Za-z0-9_.-]";
	}
	return NULL;
}

void set_name(char dst[HMAP_NAME_MAX], const char *name)
{
	memset(dst, 0, HMAP_NAME_MAX);
	strncpy(dst, name, HMAP_NAME_MAX - 1);
}

/* ---- keys and values ---- */

/* A byte word of the hex form: 1 or 2 hex digits. */
static int parse_hex_byte(const char *s, uint8_t *out)
{
	size_t n = strlen(s);
	uint64_t v;

	if (n < 1 || n > 2 || hex_scan(s, 2, &v) != n)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

/* @w for an error message: at most 40 characters, else cut with "...". */
static const char *shorten(const char *w)
{
	static char buf[48];

	if (strlen(w) <= 40)
		return w;
	snprintf(buf, sizeof(buf), "%.37s...", w);
	return buf;
}

int parse_bytes(int argc, char **argv, int *idx, uint8_t *buf, size_t size,
		const char *what, char *err, size_t errlen)
{
	const char *w;
	size_t n = 0;

	memset(buf, 0, size);
	if (*idx >= argc) {
		if (size == 0)
			return 0;
		snprintf(err, errlen, "missing %s", what);
		return -1;
	}
	w = argv[(*idx)++];

	if (!strcmp(w, "hex")) {
		while (n < size && *idx < argc &&
		       !parse_hex_byte(argv[*idx], &buf[n])) {
			n++;
			(*idx)++;
		}
		if (n == 0 && size > 0) {
			snprintf(err, errlen,
				 "%s: 'hex' needs byte words of 1-2 hex digits",
				 what);
			return -1;
		}
		return 0;
	}

	if (w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) {
		size_t digits = strlen(w + 2), got;

		if (digits % 2) {
			snprintf(err, errlen,
				 "%s '%s': odd number of hex digits", what,
				 shorten(w));
			return -1;
		}
		if (digits / 2 > size) {
			snprintf(err, errlen,
				 "%s '%s' is %zu bytes, longer than the map's %s size (%zu)",
				 what, shorten(w), digits / 2, what, size);
			return -1;
		}
		got = hex_decode(w + 2, digits / 2, buf);
		if (got != digits) {
			snprintf(err, errlen, "%s '%s': not a hex digit: '%c'", what,
				 shorten(w), w[2 + got]);
			return -1;
		}
		return 0;
	}

	if (!strcmp(w, "str")) {
		if (*idx >= argc) {
			snprintf(err, errlen, "%s: 'str' needs a string", what);
			return -1;
		}
		w = argv[(*idx)++];
	}
	n = strlen(w);
	if (n > size) {
		snprintf(err, errlen,
			 "%s '%s' is %zu bytes, longer than the map's %s size (%zu)",
			 what, shorten(w), n, what, size);
		return -1;
	}
	memcpy(buf, w, n);
	return 0;
}

size_t printable_len(const uint8_t *b, size_t n)
{
	size_t len = 0;

	while (len < n && b[len] >= 0x20 && b[len] < 0x7f)
		len++;
	if (len == 0)
		return 0;
	for (size_t i = len; i < n; i++)
		if (b[i])
			return 0;
	return len;
}

void print_bytes(FILE *f, const uint8_t *b, size_t n, bool quote)
{
	size_t len = printable_len(b, n);

	if (len && !quote) {
		fwrite(b, 1, len, f);
	} else if (len) {
		fputc('"', f);
		for (size_t i = 0; i < len; i++) {
			if (b[i] == '"' || b[i] == '\\')
				fputc('\\', f);
			fputc(b[i], f);
		}
		fputc('"', f);
	} else {
		for (size_t i = 0; i < n; i++)
			fprintf(f, i ? " %02x" : "%02x", b[i]);
	}
}

void json_bytes(const uint8_t *b, size_t n)
{
	size_t len = printable_len(b, n);
	char *hex = malloc(2 * n + 1);

	jw_obj_begin();
	jw_key("hex");
	if (hex) {
		hex_encode(b, n, hex);
		jw_strn(hex, 2 * n);
		free(hex);
	} else {
		jw_null();
	}
	if (len) {
		jw_key("str");
		jw_strn((const char *)b, len);
	}
	jw_obj_end();
}

/* ---- the device ---- */

uint64_t shard_count(uint32_t shard_bits)
{
	return 1ULL << (shard_bits < 32 ? shard_bits : 32);
}

static int stats_ioctl(const char *name, uint32_t size, uint32_t query,
		       uint32_t shard, struct hmap_ioc_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = size;
	st->query = query;
	st->shard = shard;
	set_name(st->name, name);
	return dev_ioctl(HMAP_IOC_STATS, st);
}

int get_stats_query(const char *name, uint32_t query, uint32_t shard,
		    struct hmap_ioc_stats *st)
{
	int ret = stats_ioctl(name, sizeof(*st), query, shard, st);

	/*
	 * A kernel older than @query takes this size with its tail zero, as
	 * the ABI says; one that refuses it gets the size before @query, for
	 * the whole map (it has no shard to answer for). Its maps are one
	 * table each, and that is the 0 left in @shard_bits.
	 */
	if (ret == EINVAL && !query && !shard)
		ret = stats_ioctl(name, HMAP_IOC_STATS_SIZE_VER1, 0, 0, st);
	return ret;
}

int get_stats(const char *name, struct hmap_ioc_stats *st)
{
	return get_stats_query(name, 0, 0, st);
}
