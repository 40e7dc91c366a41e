/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_GFP_H
#define _SHIM_LINUX_GFP_H

#include <linux/kernel.h>

#include <linux/types.h>

#define __GFP_ZERO		0x0001u
#define __GFP_DIRECT_RECLAIM	0x0002u	/* may sleep */
#define __GFP_IO		0x0004u
#define __GFP_FS		0x0008u
#define __GFP_ACCOUNT		0x0010u
#define __GFP_NOWARN		0x0020u
#define __GFP_NOFAIL		0x0040u	/* never fails (injection skips it) */
#define __GFP_HIGH		0x0080u
#define __GFP_RETRY_MAYFAIL	0x0100u
#define __GFP_NORETRY		0x0200u

#define GFP_KERNEL		(__GFP_DIRECT_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOFS		(__GFP_DIRECT_RECLAIM | __GFP_IO)
#define GFP_NOIO		(__GFP_DIRECT_RECLAIM)
#define GFP_ATOMIC		(__GFP_HIGH)
#define GFP_NOWAIT		0u

#define gfpflags_allow_blocking(g)	(!!((g) & __GFP_DIRECT_RECLAIM))

#endif
