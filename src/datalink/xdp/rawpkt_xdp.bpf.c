// SPDX-License-Identifier: BSD-3-Clause
// The XDP program of backend::xdp, compiled with clang -target bpf at build
// time and embedded in the library (see cmake/xdp.cmake).
//
// Every frame goes to the AF_XDP socket of the queue it arrived on, if one
// is in the XSKMAP; otherwise it goes on to the kernel stack (XDP_PASS).
// Several channels (in one process or several) share one attached program:
// each puts its sockets into the XSKMAP at the slots of its queues.
// A datalink filter is a second program, generated at run time from the
// filter's classic BPF (ebpf_filter.cpp), that a receiver puts into
// `rawpkt_filter` at the slots of its queues: this program tail-calls the
// one of the frame's queue first, and it redirects the frames it accepts
// and passes the others. With the slot empty the tail call falls through
// and every frame is redirected.
//
// Before that, the time the frame reached XDP goes into the metadata area
// (rawpkt_xdp_meta.h), which the kernel copies into the UMEM in front of
// the frame: the receiver's time stamp.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

#include "rawpkt_xdp_meta.h"

// Both maps are sized at load time for the interface's queues.
struct {
    __uint(type, BPF_MAP_TYPE_XSKMAP);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u32);
} rawpkt_xsks SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u32);
} rawpkt_filter SEC(".maps");

// xdp.frags (BPF_F_XDP_HAS_FRAGS): the program copes with frames in
// several buffers, which lets a driver hand it frames longer than a page
// (and AF_XDP sockets with XDP_USE_SG receive them).
SEC("xdp.frags")
int rawpkt_xdp(struct xdp_md* ctx) {
    // A driver without metadata support refuses: the frame goes on without.
    if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(struct rawpkt_xdp_meta)) == 0) {
        struct rawpkt_xdp_meta* meta = (void*)(long)ctx->data_meta;
        if ((void*)(meta + 1) <= (void*)(long)ctx->data) {
            meta->tai_ns = bpf_ktime_get_tai_ns();
            meta->reserved = 0;
            meta->magic = RAWPKT_XDP_META_MAGIC;
        }
    }
    bpf_tail_call(ctx, &rawpkt_filter, ctx->rx_queue_index);
    // The low bits of the flags are the action when the queue has no socket.
    return bpf_redirect_map(&rawpkt_xsks, ctx->rx_queue_index, XDP_PASS);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
