// SPDX-License-Identifier: GPL-2.0
/* Hex digits to numbers and bytes (hex.h). */
#include "hex.h"

int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t hex_scan(const char *s, size_t max, uint64_t *val)
{
	uint64_t v = 0;
	size_t i;
	int d;

	if (max > 16)
		max = 16;
	for (i = 0; i < max && (d = hex_digit((unsigned char)s[i])) >= 0; i++)
		v = v << 4 | (unsigned int)d;
	*val = v;
	return i;
}

size_t hex_decode(const char *s, size_t n, uint8_t *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi = hex_digit((unsigned char)s[2 * i]), lo;

		if (hi < 0)
			return 2 * i;
		lo = hex_digit((unsigned char)s[2 * i + 1]);
		if (lo < 0)
			return 2 * i + 1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 2 * n;
}

void hex_encode(const uint8_t *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = 0;
}
