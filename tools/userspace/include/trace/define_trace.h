/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: tracepoints are no-ops, nothing to define. */
