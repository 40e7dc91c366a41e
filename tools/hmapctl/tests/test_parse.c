// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of hmapctl's parsers and formatters (common.c, json.c).
 * KTAP on stdout (tools/lib/harness.h): test_parse [-v] [TEST-GLOB...]
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/harness.h"
#include "../../lib/hex.h"
#include "../hmapctl.h"

bool json_output;
bool json_pretty;
const char *cmd_name = "test";

/* ---- numbers, names, keywords ---- */

TEST(parse_u32_numbers)
{
	static const struct { const char *s; int ok; uint32_t v; } t[] = {
		{ "0", 1, 0 }, { "42", 1, 42 }, { "4294967295", 1, UINT32_MAX },
		{ "4294967296", 0, 0 }, { "0x10", 1, 16 }, { "0XfF", 1, 255 },
		{ "0xffffffff", 1, UINT32_MAX }, { "0x100000000", 0, 0 },
		{ "", 0, 0 }, { "0x", 0, 0 }, { "-1", 0, 0 }, { "+1", 0, 0 },
		{ "12a", 0, 0 }, { " 1", 0, 0 }, { "1 ", 0, 0 }, { "0x1g", 0, 0 },
		{ "010", 1, 10 },	/* decimal, not octal */
		{ "99999999999999999999999", 0, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t v = 12345;
		int r = parse_u32(t[i].s, &v);

		EXPECT_TRUE((r == 0) == t[i].ok, "parse_u32(\"%s\") returned %d", t[i].s, r);
		if (t[i].ok && !r)
			EXPECT_TRUE(v == t[i].v, "parse_u32(\"%s\") = %u", t[i].s, v);
	}
}

TEST(check_map_name)
{
	static const char *const good[] = {
		"a", "foo", "Foo_bar-1.2", "a.", "-", "_", "mapsx", "xmaps",
		"1234567890123456789012345678901",	/* 31 */
	};
	static const char *const bad[] = {
		"", ".a", ".", "maps", "a b", "a/b", "a\n", "\xc3\xa9",
		"12345678901234567890123456789012",	/* 32 */
		"a:b", "*",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		EXPECT_TRUE(!check_map_name(good[i]), "name '%s' rejected", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_TRUE(check_map_name(bad[i]), "name '%s' accepted", bad[i]);
}

TEST(match_keyword_prefixes)
{
	static const char *const cmds[] = {
		"create", "list", "put", "get", "del", "dump", "clear",
		"destroy", "stats", "snapshot", "help", NULL
	};
	static const char *const flags[] = { "any", "noexist", "exist", NULL };

	EXPECT_TRUE(match_keyword("create", cmds) == 0, "create");
	EXPECT_TRUE(match_keyword("cr", cmds) == 0, "cr");
	EXPECT_TRUE(match_keyword("c", cmds) == -2, "c ambiguous");
	EXPECT_TRUE(match_keyword("cl", cmds) == 6, "cl");
	EXPECT_TRUE(match_keyword("d", cmds) == -2, "d ambiguous");
	EXPECT_TRUE(match_keyword("de", cmds) == -2, "de ambiguous");
	EXPECT_TRUE(match_keyword("del", cmds) == 4, "del exact");
	EXPECT_TRUE(match_keyword("des", cmds) == 7, "des");
	EXPECT_TRUE(match_keyword("du", cmds) == 5, "du");
	EXPECT_TRUE(match_keyword("s", cmds) == -2, "s ambiguous");
	EXPECT_TRUE(match_keyword("st", cmds) == 8, "st");
	EXPECT_TRUE(match_keyword("sn", cmds) == 9, "sn");
	EXPECT_TRUE(match_keyword("h", cmds) == 10, "h");
	EXPECT_TRUE(match_keyword("", cmds) == -1, "empty");
	EXPECT_TRUE(match_keyword("creates", cmds) == -1, "longer than a command");
	EXPECT_TRUE(match_keyword("x", cmds) == -1, "unknown");
	EXPECT_TRUE(match_keyword("e", flags) == 2, "e = exist");
	EXPECT_TRUE(match_keyword("n", flags) == 1, "n = noexist");
	EXPECT_TRUE(match_keyword("a", flags) == 0, "a = any");
}

/* ---- keys and values ---- */

/*
 * Parse @words (space-separated) as one field of @size bytes, then expect
 * @next_idx words consumed and @want (hex, NULL for an error).
 */
static void expect_bytes(struct harness *_h, const char *words, size_t size,
			 int want_idx, const char *want_hex)
{
	char buf[256], *argv[32], err[256] = "";
	uint8_t out[600], want[600];
	int argc = 0, idx = 0, r;

	snprintf(buf, sizeof(buf), "%s", words);
	for (char *w = strtok(buf, " "); w && argc < 32; w = strtok(NULL, " "))
		argv[argc++] = strcmp(w, "''") ? w : (char *)"";
	memset(out, 0xee, sizeof(out));
	r = parse_bytes(argc, argv, &idx, out, size, "key", err, sizeof(err));
	if (!want_hex) {
		EXPECT_TRUE(r == -1 && err[0], "'%s' size %zu: expected an error", words, size);
		return;
	}
	EXPECT_TRUE(r == 0, "'%s' size %zu: error %s", words, size, err);
	if (r)
		return;
	EXPECT_TRUE(idx == want_idx, "'%s' size %zu: consumed %d words, want %d",
		    words, size, idx, want_idx);
	hex_decode(want_hex, size, want);
	for (size_t i = 0; i < size; i++) {
		EXPECT_TRUE(out[i] == want[i], "'%s' size %zu: byte %zu is %02x, want %02x",
			    words, size, i, out[i], want[i]);
	}
	EXPECT_TRUE(out[size] == 0xee, "'%s': wrote past %zu bytes", words, size);
}

TEST(parse_bytes_forms)
{
	/* Strings. */
	expect_bytes(_h, "foo", 4, 1, "666f6f00");
	expect_bytes(_h, "abcd", 4, 1, "61626364");
	expect_bytes(_h, "abcde", 4, 0, NULL);		/* too long */
	expect_bytes(_h, "'' x", 4, 1, "00000000");		/* empty string */
	expect_bytes(_h, "foo bar", 8, 1, "666f6f0000000000");
	expect_bytes(_h, "str hex", 4, 2, "68657800");
	expect_bytes(_h, "str 0x12", 4, 2, "30783132");
	expect_bytes(_h, "str str", 4, 2, "73747200");
	expect_bytes(_h, "str", 4, 0, NULL);		/* str needs a word */
	expect_bytes(_h, "-1", 2, 1, "2d31");
	expect_bytes(_h, "", 4, 0, NULL);			/* nothing: missing */
	expect_bytes(_h, "", 0, 0, "");			/* size 0: fine */
	expect_bytes(_h, "x", 0, 0, NULL);			/* too long for 0 */
	expect_bytes(_h, "'' any", 0, 1, "");

	/* 0x form. */
	expect_bytes(_h, "0x0102", 4, 1, "01020000");
	expect_bytes(_h, "0X0A0b", 2, 1, "0a0b");
	expect_bytes(_h, "0x01020304", 4, 1, "01020304");
	expect_bytes(_h, "0x0102030405", 4, 0, NULL);	/* too long */
	expect_bytes(_h, "0x012", 4, 0, NULL);		/* odd */
	expect_bytes(_h, "0x0g", 4, 0, NULL);		/* bad digit */
	expect_bytes(_h, "0x", 4, 1, "00000000");		/* no bytes: zeros */
	expect_bytes(_h, "0x", 0, 1, "");

	/* hex form: words while they are bytes and room is left. */
	expect_bytes(_h, "hex 01 02 ab", 4, 4, "0102ab00");
	expect_bytes(_h, "hex 1 2 3 4 5", 4, 5, "01020304");	/* stops: full */
	expect_bytes(_h, "hex 01 02 hex 03", 2, 3, "0102");
	expect_bytes(_h, "hex 01 02 hex 03", 4, 3, "01020000");	/* stops: 'hex' */
	expect_bytes(_h, "hex 01 zz", 4, 2, "01000000");		/* stops: not hex */
	expect_bytes(_h, "hex 01 0x02", 4, 2, "01000000");		/* 0x02 is next */
	expect_bytes(_h, "hex 01 123", 4, 2, "01000000");		/* 3 digits */
	expect_bytes(_h, "hex FF fE", 2, 3, "fffe");
	expect_bytes(_h, "hex", 4, 0, NULL);			/* no bytes */
	expect_bytes(_h, "hex zz", 4, 0, NULL);
	expect_bytes(_h, "hex", 0, 1, "");				/* a set's value */
	expect_bytes(_h, "hex 01", 0, 1, "");			/* 01 is left over */

	/* Big key sizes: hex pads, a 512-byte string fits. */
	{
		char *argv[1], err[128];
		uint8_t out[HMAP_MAX_KEY_SIZE];
		char s[HMAP_MAX_KEY_SIZE + 2];
		int idx = 0;

		memset(s, 'k', sizeof(s) - 1);
		s[HMAP_MAX_KEY_SIZE] = 0;
		argv[0] = s;
		EXPECT_TRUE(!parse_bytes(1, argv, &idx, out, sizeof(out), "key", err,
				   sizeof(err)), "512-byte string");
		s[HMAP_MAX_KEY_SIZE] = 'k';
		s[HMAP_MAX_KEY_SIZE + 1] = 0;
		idx = 0;
		EXPECT_TRUE(parse_bytes(1, argv, &idx, out, sizeof(out), "key", err,
				  sizeof(err)), "513-byte string accepted");
		EXPECT_TRUE(!strcmp(err, "key 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...' is 513 bytes, longer than the map's key size (512)"),
			    "long string shortened in the message: %s", err);
	}
}

/* ---- output ---- */

/* Run @fn with stdout redirected; returns what it printed (static). */
static const char *capture(void (*fn)(const void *), const void *arg)
{
	static char out[4096];
	FILE *tmp = tmpfile();
	int saved = dup(1);
	size_t n;

	fflush(stdout);
	dup2(fileno(tmp), 1);
	fn(arg);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = 0;
	fclose(tmp);
	return out;
}

struct bytes { const char *b; size_t n; bool quote; };

static void run_print(const void *arg)
{
	const struct bytes *x = arg;

	print_bytes(stdout, (const uint8_t *)x->b, x->n, x->quote);
}

static void run_json(const void *arg)
{
	const struct bytes *x = arg;

	json_bytes((const uint8_t *)x->b, x->n);
}

static void run_jstr(const void *arg)
{
	const struct bytes *x = arg;

	jw_obj_begin();
	jw_key("s");
	jw_strn(x->b, x->n);
	jw_obj_end();
}

static void run_nested(const void *arg)
{
	(void)arg;
	jw_obj_begin();
	jw_kv_u64("a", 1);
	jw_key("b");
	jw_arr_begin();
	jw_u64(2);
	jw_obj_begin();
	jw_obj_end();
	jw_arr_end();
	jw_key("c");
	jw_arr_begin();
	jw_arr_end();
	jw_obj_end();
}

static void run_error_in_array(const void *arg)
{
	(void)arg;
	jw_arr_begin();
	jw_obj_begin();
	jw_kv_u64("a", 1);
	jw_obj_end();
	jw_error("boom");
}

static void run_error_in_object(const void *arg)
{
	(void)arg;
	jw_obj_begin();
	jw_kv_u64("a", 1);
	jw_key("b");
	jw_error("boom \"x\"");
}

TEST(print_and_json_bytes)
{
	static const struct { struct bytes in; const char *text, *json; } t[] = {
		{ { "foo\0", 4, false }, "foo", "{\"hex\":\"666f6f00\",\"str\":\"foo\"}\n" },
		{ { "foo\0", 4, true }, "\"foo\"", NULL },
		{ { "a\"b\\", 4, true }, "\"a\\\"b\\\\\"", "{\"hex\":\"6122625c\",\"str\":\"a\\\"b\\\\\"}\n" },
		{ { "abcd", 4, false }, "abcd", NULL },
		{ { "\0\0\0\0", 4, false }, "00 00 00 00", "{\"hex\":\"00000000\"}\n" },
		{ { "ab\0c", 4, false }, "61 62 00 63", "{\"hex\":\"61620063\"}\n" },
		{ { "\x01" "abc", 4, false }, "01 61 62 63", NULL },
		{ { "ab\n\0", 4, false }, "61 62 0a 00", NULL },
		{ { "\xff", 1, false }, "ff", "{\"hex\":\"ff\"}\n" },
		{ { "", 0, false }, "", "{\"hex\":\"\"}\n" },
		{ { " ", 1, false }, " ", NULL },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *got = capture(run_print, &t[i].in);

		EXPECT_TRUE(!strcmp(got, t[i].text), "print #%zu: got '%s' want '%s'",
			    i, got, t[i].text);
		if (!t[i].json)
			continue;
		got = capture(run_json, &t[i].in);
		EXPECT_TRUE(!strncmp(got, t[i].json, strlen(t[i].json)),
			    "json #%zu: got '%s' want '%s'", i, got, t[i].json);
	}
}

TEST(json_writer)
{
	static const struct { struct bytes in; const char *want; } esc[] = {
		{ { "a\"b\\c", 5, false }, "{\"s\":\"a\\\"b\\\\c\"}\n" },
		{ { "\n\t\r\b\f", 5, false }, "{\"s\":\"\\n\\t\\r\\b\\f\"}\n" },
		{ { "\x01\x1f\x7f", 3, false }, "{\"s\":\"\\u0001\\u001f\\u007f\"}\n" },
		{ { "\xc3\xa9", 2, false }, "{\"s\":\"\xc3\xa9\"}\n" },	/* é */
		{ { "\xe2\x82\xac", 3, false }, "{\"s\":\"\xe2\x82\xac\"}\n" },	/* € */
		{ { "\xff", 1, false }, "{\"s\":\"\\ufffd\"}\n" },
		{ { "\xc3", 1, false }, "{\"s\":\"\\ufffd\"}\n" },	/* cut short */
		{ { "\xc0\xaf", 2, false }, "{\"s\":\"\\ufffd\\ufffd\"}\n" },	/* overlong */
		{ { "\xed\xa0\x80", 3, false }, "{\"s\":\"\\ufffd\\ufffd\\ufffd\"}\n" },	/* surrogate */
		{ { "a\0b", 3, false }, "{\"s\":\"a\\u0000b\"}\n" },
	};
	const char *got;

	for (size_t i = 0; i < sizeof(esc) / sizeof(esc[0]); i++) {
		got = capture(run_jstr, &esc[i].in);
		EXPECT_TRUE(!strcmp(got, esc[i].want), "escape #%zu: got '%s' want '%s'",
			    i, got, esc[i].want);
	}

	got = capture(run_nested, NULL);
	EXPECT_TRUE(!strcmp(got, "{\"a\":1,\"b\":[2,{}],\"c\":[]}\n"), "compact: %s", got);
	jw_set_pretty(true);
	got = capture(run_nested, NULL);
	EXPECT_TRUE(!strcmp(got, "{\n    \"a\": 1,\n    \"b\": [\n        2,\n        {}\n    ],\n    \"c\": []\n}\n"),
		    "pretty: %s", got);
	jw_set_pretty(false);

	got = capture(run_error_in_array, NULL);
	EXPECT_TRUE(!strcmp(got, "[{\"a\":1},{\"error\":\"boom\"}]\n"), "error in array: %s", got);
	EXPECT_TRUE(jw_depth() == 0, "error left depth %d", jw_depth());
	got = capture(run_error_in_object, NULL);
	EXPECT_TRUE(!strcmp(got, "{\"a\":1,\"b\":null,\"error\":\"boom \\\"x\\\"\"}\n"),
		    "error in object: %s", got);
	EXPECT_TRUE(jw_depth() == 0, "error left depth %d", jw_depth());
}

TEST_HARNESS_MAIN
