// SPDX-License-Identifier: GPL-2.0
/*
 * hmapctl: a small streaming JSON writer on stdout. Compact by default
 * ({"a":1,"b":[2,3]}); pretty mode puts one member or element per line,
 * indented by four spaces. Strings are escaped so the output is valid
 * JSON whatever bytes they hold: invalid UTF-8 becomes U+FFFD.
 */
#include <stdio.h>
#include <string.h>

#include "hmapctl.h"

#define JW_MAX_DEPTH	16

static struct {
	bool pretty;
	int depth;
	bool after_key;			/* a key was written, its value is due */
	bool first[JW_MAX_DEPTH];	/* nothing in this container yet */
	bool is_obj[JW_MAX_DEPTH];
} jw;

void jw_set_pretty(bool pretty)
{
	jw.pretty = pretty;
}

int jw_depth(void)
{
	return jw.depth;
}

static void newline_indent(int depth)
{
	putchar('\n');
	for (int i = 0; i < depth; i++)
		fputs("    ", stdout);
}

/* Separator and indentation before a value or key. */
static void before_item(void)
{
	if (jw.after_key) {
		jw.after_key = false;
		return;
	}
	if (jw.depth == 0)
		return;
	if (!jw.first[jw.depth])
		putchar(',');
	jw.first[jw.depth] = false;
	if (jw.pretty)
		newline_indent(jw.depth);
}

/* After a complete value: a newline ends a top-level document. */
static void after_value(void)
{
	if (jw.depth == 0)
		putchar('\n');
}

static void begin(bool obj)
{
	before_item();
	putchar(obj ? '{' : '[');
	if (jw.depth + 1 >= JW_MAX_DEPTH)
		return;		/* cannot happen: hmapctl nests 3 deep */
	jw.depth++;
	jw.first[jw.depth] = true;
	jw.is_obj[jw.depth] = obj;
}

static void end(void)
{
	bool obj = jw.is_obj[jw.depth];
	bool empty = jw.first[jw.depth];

	jw.depth--;
	if (jw.pretty && !empty)
		newline_indent(jw.depth);
	putchar(obj ? '}' : ']');
	after_value();
}

void jw_obj_begin(void)
{
	begin(true);
}

void jw_obj_end(void)
{
	end();
}

void jw_arr_begin(void)
{
	begin(false);
}

void jw_arr_end(void)
{
	end();
}

/* Length of the valid UTF-8 sequence at @s (@n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static void put_quoted(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	putchar('"');
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len;

		switch (c) {
		case '"':  fputs("\\\"", stdout); i++; continue;
		case '\\': fputs("\\\\", stdout); i++; continue;
		case '\b': fputs("\\b", stdout); i++; continue;
		case '\f': fputs("\\f", stdout); i++; continue;
		case '\n': fputs("\\n", stdout); i++; continue;
		case '\r': fputs("\\r", stdout); i++; continue;
		case '\t': fputs("\\t", stdout); i++; continue;
		}
		if (c < 0x20 || c == 0x7f) {
			printf("\\u%04x", c);
			i++;
			continue;
		}
		len = utf8_len(s + i, n - i);
		if (!len) {
			fputs("\\ufffd", stdout);
			i++;
			continue;
		}
		fwrite(s + i, 1, len, stdout);
		i += len;
	}
	putchar('"');
}

void jw_key(const char *key)
{
	before_item();
	put_quoted(key, strlen(key));
	fputs(jw.pretty ? ": " : ":", stdout);
	jw.after_key = true;
}

void jw_strn(const char *s, size_t n)
{
	before_item();
	put_quoted(s, n);
	after_value();
}

void jw_str(const char *s)
{
	jw_strn(s, strlen(s));
}

void jw_u64(uint64_t v)
{
	before_item();
	printf("%llu", (unsigned long long)v);
	after_value();
}

void jw_bool(bool v)
{
	before_item();
	fputs(v ? "true" : "false", stdout);
	after_value();
}

void jw_null(void)
{
	before_item();
	fputs("null", stdout);
	after_value();
}

void jw_kv_str(const char *key, const char *s)
{
	jw_key(key);
	jw_str(s);
}

void jw_kv_u64(const char *key, uint64_t v)
{
	jw_key(key);
	jw_u64(v);
}

void jw_error(const char *msg)
{
	if (jw.after_key)
		jw_null();	/* finish the member a failure interrupted */
	if (jw.depth > 0 && jw.is_obj[jw.depth]) {
		jw_kv_str("error", msg);
	} else {
		jw_obj_begin();
		jw_kv_str("error", msg);
		jw_obj_end();
	}
	while (jw.depth > 0)
		end();
}
