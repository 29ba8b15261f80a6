/* SPDX-License-Identifier: BSD-3-Clause */
/* What the XDP program (rawpkt_xdp.bpf.c) writes into a frame's metadata
 * area (bpf_xdp_adjust_meta), just in front of the frame's first byte; the
 * kernel copies it into the UMEM with the frame, and xdp.cpp reads it back.
 * C, for both compilers. */
#ifndef RAWPKT_XDP_META_H
#define RAWPKT_XDP_META_H

#include <linux/types.h>

/* `magic` says the program wrote the area: the bytes in front of a frame
 * are stale otherwise (the receiver clears it after reading). */
#define RAWPKT_XDP_META_MAGIC 0x72706b74u /* "rpkt" */

struct rawpkt_xdp_meta {
    /* CLOCK_TAI when the program ran (bpf_ktime_get_tai_ns). */
    __u64 tai_ns;
    __u32 reserved;
    __u32 magic;
};

#endif
