#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The manual page renders without a warning (groff -ww), as KTAP.
#   tests/man.sh PAGE
page=${1:?usage: tests/man.sh PAGE}
printf 'KTAP version 1\n1..1\n'
if ! command -v groff > /dev/null; then
	echo "ok 1 man_page_renders # SKIP groff is not installed"
	exit 0
fi
if out=$(groff -man -Tutf8 -ww -z "$page" 2>&1) && [ -z "$out" ]; then
	echo "ok 1 man_page_renders"
else
	printf '%s\n' "$out" | sed 's/^/# /'
	echo "not ok 1 man_page_renders"
	exit 1
fi
