// SPDX-License-Identifier: GPL-2.0
/*
 * hmap-json: a strict JSON validator and field extractor, for the shell
 * tests in the VM (busybox has no python or jq).
 *
 *   hmap-json [PATH...] < DOCUMENT
 *
 * Reads one JSON document (RFC 8259: one value, whitespace around it,
 * nothing else; strings valid UTF-8 with correct escapes; numbers in JSON's
 * grammar; nesting up to 256) from standard input. Exits 1 with a message
 * on stderr if it is not valid, else prints one line per PATH and exits 0
 * (2 if a PATH is not there, 3 on a usage error).
 *
 * A PATH is a chain of .MEMBER and [INDEX], e.g. .count, [0].name,
 * .key.str, or "." for the whole document. It prints a string's content
 * (unescaped), a number as written, true, false or null; an object as
 * "object N", an array as "array N" (N: members or elements).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/hex.h"

enum type { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct node {
	enum type type;
	char *text;		/* number (as written) or string (decoded); member name */
	size_t len;
	char *name;		/* the member name, in an object */
	struct node **kids;
	size_t nkids;
};

static const char *src, *pos, *end;

static void __attribute__((noreturn)) invalid(const char *why)
{
	size_t line = 1, col = 1;
	const char *p;

	for (p = src; p < pos && p < end; p++, col++)
		if (*p == '\n')
			line++, col = 0;
	fprintf(stderr, "hmap-json: invalid JSON at line %zu column %zu: %s\n", line, col, why);
	exit(1);
}

static void skip_ws(void)
{
	while (pos < end && (*pos == ' ' || *pos == '\t' || *pos == '\n' || *pos == '\r'))
		pos++;
}

static struct node *new_node(enum type t)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n) {
		fputs("hmap-json: out of memory\n", stderr);
		exit(1);
	}
	n->type = t;
	return n;
}

static void add_kid(struct node *p, struct node *k)
{
	p->kids = realloc(p->kids, (p->nkids + 1) * sizeof(*p->kids));
	p->kids[p->nkids++] = k;
}

/* The 4 hex digits of a \u escape. */
static unsigned int hex4(void)
{
	uint64_t v;
	size_t n = hex_scan(pos, end - pos < 4 ? (size_t)(end - pos) : 4, &v);

	pos += n;	/* an error points at the first bad digit */
	if (n != 4)
		invalid("bad \\u escape");
	return (unsigned int)v;
}

static void put_utf8(char **out, unsigned int cp)
{
	char *o = *out;

	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | cp >> 18);
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	*out = o;
}

/* One UTF-8 sequence at pos, checked (no overlong forms, no surrogates). */
static void utf8_seq(char **out)
{
	const unsigned char *p = (const unsigned char *)pos;
	unsigned int cp, need, i;

	if (*p < 0x80) {
		*(*out)++ = (char)*p;
		pos++;
		return;
	}
	if (*p >= 0xc2 && *p <= 0xdf)
		need = 1, cp = *p & 0x1f;
	else if (*p >= 0xe0 && *p <= 0xef)
		need = 2, cp = *p & 0x0f;
	else if (*p >= 0xf0 && *p <= 0xf4)
		need = 3, cp = *p & 0x07;
	else
		invalid("bad UTF-8 in a string");
	if ((size_t)(end - pos) <= need)
		invalid("truncated UTF-8 in a string");
	for (i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			invalid("bad UTF-8 in a string");
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		invalid("overlong or out-of-range UTF-8 in a string");
	memcpy(*out, pos, need + 1);
	*out += need + 1;
	pos += need + 1;
}

static char *parse_string(size_t *len)
{
	char *buf, *o;

	pos++;	/* the quote */
	buf = o = malloc((size_t)(end - pos) + 1);
	for (;;) {
		if (pos >= end)
			invalid("unterminated string");
		if (*pos == '"') {
			pos++;
			break;
		}
		if ((unsigned char)*pos < 0x20)
			invalid("control character in a string");
		if (*pos != '\\') {
			utf8_seq(&o);
			continue;
		}
		if (++pos >= end)
			invalid("unterminated escape");
		switch (*pos++) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned int cp = hex4();

			if (cp >= 0xd800 && cp <= 0xdbff) {
				unsigned int lo;

				if (end - pos < 6 || pos[0] != '\\' || pos[1] != 'u')
					invalid("lone high surrogate");
				pos += 2;
				lo = hex4();
				if (lo < 0xdc00 || lo > 0xdfff)
					invalid("bad low surrogate");
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				invalid("lone low surrogate");
			}
			put_utf8(&o, cp);
			break;
		}
		default:
			pos--;
			invalid("unknown escape");
		}
	}
	*o = 0;
	*len = (size_t)(o - buf);
	return buf;
}

static bool digit(void)
{
	return pos < end && *pos >= '0' && *pos <= '9';
}

static struct node *parse_number(void)
{
	const char *start = pos;
	struct node *n = new_node(J_NUMBER);

	if (*pos == '-')
		pos++;
	if (!digit())
		invalid("bad number");
	if (*pos == '0')
		pos++;
	else
		while (digit())
			pos++;
	if (pos < end && *pos == '.') {
		pos++;
		if (!digit())
			invalid("bad fraction");
		while (digit())
			pos++;
	}
	if (pos < end && (*pos == 'e' || *pos == 'E')) {
		pos++;
		if (pos < end && (*pos == '+' || *pos == '-'))
			pos++;
		if (!digit())
			invalid("bad exponent");
		while (digit())
			pos++;
	}
	n->len = (size_t)(pos - start);
	n->text = strndup(start, n->len);
	return n;
}

static bool literal(const char *word)
{
	size_t l = strlen(word);

	if ((size_t)(end - pos) >= l && !memcmp(pos, word, l)) {
		pos += l;
		return true;
	}
	return false;
}

static struct node *parse_value(int depth)
{
	struct node *n;

	if (depth > 256)
		invalid("nested too deep");
	skip_ws();
	if (pos >= end)
		invalid("a value is missing");
	switch (*pos) {
	case '{':
		n = new_node(J_OBJECT);
		pos++;
		skip_ws();
		if (pos < end && *pos == '}') {
			pos++;
			return n;
		}
		for (;;) {
			struct node *k;
			char *name;
			size_t len;

			skip_ws();
			if (pos >= end || *pos != '"')
				invalid("a member name (string) expected");
			name = parse_string(&len);
			skip_ws();
			if (pos >= end || *pos != ':')
				invalid("':' expected");
			pos++;
			k = parse_value(depth + 1);
			k->name = name;
			for (size_t i = 0; i < n->nkids; i++)
				if (!strcmp(n->kids[i]->name, name))
					invalid("duplicate member name");
			add_kid(n, k);
			skip_ws();
			if (pos < end && *pos == ',') {
				pos++;
				continue;
			}
			if (pos < end && *pos == '}') {
				pos++;
				return n;
			}
			invalid("',' or '}' expected");
		}
	case '[':
		n = new_node(J_ARRAY);
		pos++;
		skip_ws();
		if (pos < end && *pos == ']') {
			pos++;
			return n;
		}
		for (;;) {
			add_kid(n, parse_value(depth + 1));
			skip_ws();
			if (pos < end && *pos == ',') {
				pos++;
				continue;
			}
			if (pos < end && *pos == ']') {
				pos++;
				return n;
			}
			invalid("',' or ']' expected");
		}
	case '"':
		n = new_node(J_STRING);
		n->text = parse_string(&n->len);
		return n;
	default:
		if (literal("true"))
			return new_node(J_TRUE);
		if (literal("false"))
			return new_node(J_FALSE);
		if (literal("null"))
			return new_node(J_NULL);
		if (*pos == '-' || (*pos >= '0' && *pos <= '9'))
			return parse_number();
		invalid("unexpected character");
	}
}

/* The node at @path under @n, or NULL. */
static const struct node *walk(const struct node *n, const char *path)
{
	while (*path && n) {
		if (path[0] == '.' && path[1] == 0) {
			path++;
		} else if (*path == '.') {
			size_t l = strcspn(path + 1, ".[");
			const struct node *found = NULL;

			if (n->type != J_OBJECT)
				return NULL;
			for (size_t i = 0; i < n->nkids; i++)
				if (strlen(n->kids[i]->name) == l &&
				    !memcmp(n->kids[i]->name, path + 1, l))
					found = n->kids[i];
			n = found;
			path += 1 + l;
		} else if (*path == '[') {
			char *e;
			unsigned long i = strtoul(path + 1, &e, 10);

			if (*e != ']' || e == path + 1 || n->type != J_ARRAY || i >= n->nkids)
				return NULL;
			n = n->kids[i];
			path = e + 1;
		} else {
			fprintf(stderr, "hmap-json: bad path at '%s'\n", path);
			exit(3);
		}
	}
	return n;
}

static void print(const struct node *n)
{
	switch (n->type) {
	case J_NULL: puts("null"); break;
	case J_FALSE: puts("false"); break;
	case J_TRUE: puts("true"); break;
	case J_NUMBER: puts(n->text); break;
	case J_STRING:
		fwrite(n->text, 1, n->len, stdout);
		putchar('\n');
		break;
	case J_ARRAY: printf("array %zu\n", n->nkids); break;
	case J_OBJECT: printf("object %zu\n", n->nkids); break;
	}
}

int main(int argc, char **argv)
{
	size_t cap = 1 << 16, len = 0, r;
	const struct node *root;
	char *buf = malloc(cap);
	int i, rc = 0;

	while ((r = fread(buf + len, 1, cap - len, stdin)) > 0) {
		len += r;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	src = pos = buf;
	end = buf + len;
	root = parse_value(0);
	skip_ws();
	if (pos != end)
		invalid("text after the document");
	for (i = 1; i < argc; i++) {
		const struct node *n = walk(root, argv[i]);

		if (!n) {
			fprintf(stderr, "hmap-json: no %s in the document\n", argv[i]);
			rc = 2;
			continue;
		}
		print(n);
	}
	return rc;
}
