// SPDX-License-Identifier: BSD-3-Clause
// The XDP program of backend::xdp, compiled with clang -target bpf at build
// time and embedded in the library (see xdp_program.cmake).
//
// Every frame goes to the AF_XDP socket of the queue it arrived on, if one
// is in the XSKMAP; otherwise it goes on to the kernel stack (XDP_PASS).
// A datalink filter is a second program, generated at run time from the
// filter's classic BPF (xdp_filter.cpp), that the receiver puts into slot 0
// of `rawpkt_filter`: this program tail-calls it first, and it redirects
// the frames it accepts and passes the others. With the slot empty the tail
// call falls through and every frame is redirected.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_XSKMAP);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u32);
} rawpkt_xsks SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} rawpkt_filter SEC(".maps");

SEC("xdp")
int rawpkt_xdp(struct xdp_md* ctx) {
    bpf_tail_call(ctx, &rawpkt_filter, 0);
    // The low bits of the flags are the action when the queue has no socket.
    return bpf_redirect_map(&rawpkt_xsks, ctx->rx_queue_index, XDP_PASS);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
