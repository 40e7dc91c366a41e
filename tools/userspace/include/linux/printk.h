/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: printk() to stderr, with the kernel's %pV (a struct
 * va_format printed in place) and the KERN_* level prefixes dropped.
 */
#ifndef _SHIM_LINUX_PRINTK_H
#define _SHIM_LINUX_PRINTK_H

#include <stdarg.h>
#include <linux/compiler.h>

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "hmap"
#endif

struct va_format {
	const char *fmt;
	va_list *va;
};

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"

/* No format attribute: %pV is not printf's. */
int shim_printk(const char *fmt, ...);
int shim_vprintk(const char *fmt, va_list ap);
/* vsnprintf() with the kernel's %pV and %pe. */
int shim_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* Lines printed at KERN_ERR or worse so far (tests may expect none). */
unsigned long shim_printk_errors(void);

#define printk(fmt, ...)	shim_printk(fmt, ##__VA_ARGS__)
#define vprintk(fmt, ap)	shim_vprintk(fmt, ap)

#ifndef pr_fmt
#define pr_fmt(fmt)		fmt
#endif
#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { if (0) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__); } while (0)
#define pr_err_ratelimited	pr_err
#define pr_warn_ratelimited	pr_warn
#define pr_warn_once		pr_warn
#define pr_err_once		pr_err

#endif
