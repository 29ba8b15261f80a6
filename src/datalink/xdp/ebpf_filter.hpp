// SPDX-License-Identifier: BSD-3-Clause
// Internal: classic BPF (what libpcap compiles) translated into an eBPF XDP
// program, as the kernel's own cBPF-to-eBPF conversion does for socket
// filters, but reading the frame through XDP's direct packet access. Not
// installed.
#pragma once

#include <rawpkt/datalink/filter.hpp>
#include <rawpkt/error.hpp>

#include <span>
#include <vector>

#include <linux/bpf.h>

namespace rawpkt::datalink::detail {

/// What the translated program does with a frame its filter accepts.
struct xdp_accept {
    /// An XSKMAP: redirect to the socket of the frame's receive queue
    /// (XDP_PASS when the queue has none). -1: return `verdict` instead.
    int xsk_map_fd = -1;
    std::uint32_t verdict = XDP_TX;
};

/// Translates a checked classic BPF program. A rejected frame gets
/// XDP_PASS. errc::unsupported, step::xdp_filter for an ancillary load
/// (needed = 1, available = the instruction) or an unknown instruction
/// (needed = 2); errc::bad_value, step::filter_attach for a program
/// check_program() refuses.
result<std::vector<bpf_insn>> translate_filter(std::span<const bpf_instruction> program, const xdp_accept& accept);

} // namespace rawpkt::datalink::detail
