// SPDX-License-Identifier: GPL-2.0
/* Unit test of hex.c: hex-test [-v] [TEST-GLOB...], KTAP on stdout. */
#include <string.h>

#include "harness.h"
#include "hex.h"

TEST(digit_values)
{
	static const char digits[] = "0123456789abcdefABCDEF";

	for (int i = 0; digits[i]; i++)
		EXPECT_EQ(hex_digit(digits[i]), i < 16 ? i : i - 6, "digit '%c'", digits[i]);
}

TEST(non_digits_are_minus_one)
{
	static const char bad[] = "gG/:@`xX -+.\n";

	for (int i = 0; bad[i]; i++)
		EXPECT_EQ(hex_digit(bad[i]), -1, "'%c'", bad[i]);
	EXPECT_EQ(hex_digit(0), -1, "NUL");
	EXPECT_EQ(hex_digit(0xe9), -1, "byte 0xe9");
	EXPECT_EQ(hex_digit(-1), -1, "EOF");
}

TEST(scan_stops_at_a_non_digit)
{
	uint64_t v = 1;

	EXPECT_EQ(hex_scan("00e9\"", 4, &v), 4, "4 digits read");
	EXPECT_EQ(v, 0xe9, "\\u00e9");
	EXPECT_EQ(hex_scan("d83d", 4, &v), 4, "4 digits read");
	EXPECT_EQ(v, 0xd83d, "upper half of the range");
	EXPECT_EQ(hex_scan("12g4", 4, &v), 2, "stops at 'g'");
	EXPECT_EQ(v, 0x12, "the digits before it");
	EXPECT_EQ(hex_scan("x", 4, &v), 0, "none");
	EXPECT_EQ(v, 0, "no digits: 0");
	EXPECT_EQ(hex_scan("", 4, &v), 0, "empty string");
}

TEST(scan_reads_at_most_max_digits)
{
	uint64_t v;

	EXPECT_EQ(hex_scan("123456", 4, &v), 4, "max 4");
	EXPECT_EQ(v, 0x1234, "the first 4");
	EXPECT_EQ(hex_scan("ab", 0, &v), 0, "max 0");
	EXPECT_EQ(hex_scan("ffffffffffffffff1", 20, &v), 16, "max capped at 16");
	EXPECT_TRUE(v == UINT64_MAX, "16 digits fill 64 bits");
}

TEST(decode_bytes)
{
	uint8_t b[4];

	memset(b, 0xee, sizeof(b));
	EXPECT_EQ(hex_decode("0aFf10", 3, b), 6, "all 6 digits");
	EXPECT_TRUE(b[0] == 0x0a && b[1] == 0xff && b[2] == 0x10, "bytes 0a ff 10");
	EXPECT_EQ(b[3], 0xee, "nothing written past 3 bytes");
	EXPECT_EQ(hex_decode("", 0, b), 0, "no bytes");
}

TEST(decode_reports_the_first_bad_digit)
{
	uint8_t b[3];

	memset(b, 0xee, sizeof(b));
	EXPECT_EQ(hex_decode("01zz03", 3, b), 2, "high digit of byte 1");
	EXPECT_EQ(b[0], 0x01, "byte 0 written");
	EXPECT_EQ(b[1], 0xee, "byte 1 not");
	EXPECT_EQ(hex_decode("010g", 2, b), 3, "low digit of byte 1");
	EXPECT_EQ(hex_decode("0", 1, b), 1, "string ends in a byte");
	EXPECT_EQ(hex_decode("", 1, b), 0, "string ends before it");
}

TEST(encode_round_trip)
{
	static const uint8_t b[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	uint8_t back[sizeof(b)];
	char s[2 * sizeof(b) + 1];

	memset(s, 'x', sizeof(s));
	hex_encode(b, sizeof(b), s);
	EXPECT_TRUE(!strcmp(s, "00017f80abff"), "encoded: %s", s);
	EXPECT_EQ(hex_decode(s, sizeof(b), back), 2 * sizeof(b), "decoded back");
	EXPECT_TRUE(!memcmp(b, back, sizeof(b)), "the same bytes");
	hex_encode(b, 0, s);
	EXPECT_EQ(s[0], 0, "no bytes: an empty string");
}

TEST_HARNESS_MAIN
