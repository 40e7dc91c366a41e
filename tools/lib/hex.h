/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hex digits to numbers and bytes, for the userspace tools (hmapctl's key
 * and value arguments, hmap-json's \u escapes). No allocation, no locale:
 * only 0-9, a-f and A-F are digits.
 */
#ifndef HMAP_TOOLS_HEX_H
#define HMAP_TOOLS_HEX_H

#include <stddef.h>
#include <stdint.h>

/* The value of the hex digit @c, or -1 if it is not one. */
int hex_digit(int c);

/*
 * Reads hex digits at @s, at most @max of them (at most 16) and stopping
 * at the first character that is not one; their value goes to *@val.
 * Returns the number of digits read (0: none; *@val is then 0).
 */
size_t hex_scan(const char *s, size_t max, uint64_t *val);

/*
 * Decodes the 2 * @n hex digits at @s into the @n bytes at @out, high digit
 * first. Returns the number of digits decoded before the first character
 * that is not a hex digit: 2 * @n when all were. The bytes before that
 * point are written; an odd count means the byte it falls in is not.
 */
size_t hex_decode(const char *s, size_t n, uint8_t *out);

/* Writes the @n bytes at @b as 2 * @n lower-case digits and a NUL to @out. */
void hex_encode(const uint8_t *b, size_t n, char *out);

#endif /* HMAP_TOOLS_HEX_H */
