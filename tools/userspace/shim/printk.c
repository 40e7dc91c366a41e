// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace shim: printk(). Formats itself, one conversion at a time, so
 * that the kernel's %pV (print a struct va_format in place) works; other
 * %p extensions print the pointer, but %pe prints an error pointer's
 * name (-EINVAL). shim_vsnprintf() formats the same way. Messages at KERN_INFO and below are
 * dropped unless HMAP_SHIM_PRINTK=all is in the environment.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/printk.h>

static unsigned long printk_errors;

unsigned long shim_printk_errors(void)
{
	return __atomic_load_n(&printk_errors, __ATOMIC_RELAXED);
}

struct pbuf {
	char *s;
	size_t len, cap;
};

static void pb_put(struct pbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->s, cap);

		if (!p)
			return;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void pb_fmt(struct pbuf *b, const char *spec, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, spec);
	n = vsnprintf(tmp, sizeof(tmp), spec, ap);
	va_end(ap);
	if (n > 0)
		pb_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Formats @fmt into @b; @ap is consumed through the pointer. */
static void pb_vformat(struct pbuf *b, const char *fmt, va_list *ap)
{
	const char *p = fmt;

	while (*p) {
		const char *start = p;
		char spec[32], len[3] = "";
		size_t n;

		if (*p != '%') {
			while (*p && *p != '%')
				p++;
			pb_put(b, start, p - start);
			continue;
		}
		p++;
		if (*p == '%') {
			pb_put(b, "%", 1);
			p++;
			continue;
		}
		while (*p && strchr("-+ #0", *p))
			p++;
		while (isdigit((unsigned char)*p) || *p == '.')
			p++;
		if (*p == 'h' || *p == 'l') {
			len[0] = *p++;
			if (*p == len[0])
				len[1] = *p++;
		} else if (*p == 'z' || *p == 't' || *p == 'j') {
			len[0] = *p++;
		}
		n = p + 1 - start;
		if (!*p || n >= sizeof(spec)) {
			pb_put(b, start, strlen(start));
			return;
		}
		memcpy(spec, start, n);
		spec[n] = 0;
		switch (*p++) {
		case 'd': case 'i':
			if (!strcmp(len, "ll") || !strcmp(len, "j"))
				pb_fmt(b, spec, va_arg(*ap, long long));
			else if (len[0] == 'l' || len[0] == 'z' || len[0] == 't')
				pb_fmt(b, spec, va_arg(*ap, long));
			else
				pb_fmt(b, spec, va_arg(*ap, int));
			break;
		case 'u': case 'x': case 'X': case 'o':
			if (!strcmp(len, "ll") || !strcmp(len, "j"))
				pb_fmt(b, spec, va_arg(*ap, unsigned long long));
			else if (len[0] == 'l' || len[0] == 'z' || len[0] == 't')
				pb_fmt(b, spec, va_arg(*ap, unsigned long));
			else
				pb_fmt(b, spec, va_arg(*ap, unsigned int));
			break;
		case 'c':
			pb_fmt(b, spec, va_arg(*ap, int));
			break;
		case 's':
			pb_fmt(b, spec, va_arg(*ap, const char *));
			break;
		case 'p':
			if (*p == 'V') {
				struct va_format *vaf = va_arg(*ap, struct va_format *);
				va_list inner;

				p++;
				va_copy(inner, *vaf->va);
				pb_vformat(b, vaf->fmt, &inner);
				va_end(inner);
				break;
			}
			if (*p == 'e') {	/* an error pointer's name */
				void *e = va_arg(*ap, void *);
				long err = (long)e;
				const char *name = err < 0 && err >= -4095 ?
						   strerrorname_np(-err) : NULL;

				p++;
				if (name)
					pb_fmt(b, "-%s", name);
				else if (err < 0 && err >= -4095)
					pb_fmt(b, "%ld", err);
				else
					pb_fmt(b, "%p", e);
				break;
			}
			pb_fmt(b, spec, va_arg(*ap, void *));
			while (isalnum((unsigned char)*p))	/* %pS, %pK, ... */
				p++;
			break;
		default:
			pb_put(b, start, p - start);
			break;
		}
	}
}

int shim_vprintk(const char *fmt, va_list ap)
{
	struct pbuf b = { NULL, 0, 0 };
	static int all = -1;
	int level = 4;
	va_list copy;

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		level = fmt[1] >= '0' && fmt[1] <= '7' ? fmt[1] - '0' : 4;
		fmt += 2;
	}
	if (level <= 3)
		__atomic_fetch_add(&printk_errors, 1, __ATOMIC_RELAXED);
	if (all < 0) {
		const char *e = getenv("HMAP_SHIM_PRINTK");

		all = e && !strcmp(e, "all");
	}
	if (level > 5 && !all)
		return 0;
	va_copy(copy, ap);
	pb_vformat(&b, fmt, &copy);
	va_end(copy);
	if (b.s) {
		fputs(b.s, stderr);
		free(b.s);
	}
	return (int)b.len;
}

int shim_printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = shim_vprintk(fmt, ap);
	va_end(ap);
	return n;
}

int shim_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct pbuf b = { NULL, 0, 0 };
	va_list copy;
	int n;

	va_copy(copy, ap);
	pb_vformat(&b, fmt, &copy);
	va_end(copy);
	n = snprintf(buf, size, "%s", b.s ? b.s : "");
	free(b.s);
	return n;
}
