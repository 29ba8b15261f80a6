// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Kernel packet filters: tcpdump expressions compiled to classic BPF by
/// libpcap's compiler, or classic BPF programs given as instructions.
///
/// ```cpp
/// config.filter = "udp and port 53";                      // compiled by libpcap at open()
/// config.filter = datalink::filter{{{0x06, 0, 0, 0}}};    // "ret #0": drop everything
/// ```
///
/// The program runs in the kernel on each frame before it is copied: a
/// frame it rejects costs no ring space and is not counted in the
/// statistics. Its return value is the number of bytes to keep, so the
/// snaplen is part of the program (expressions are compiled with
/// config::snaplen; without a filter, open() attaches a one-instruction
/// program returning the snaplen when the snaplen is below the maximum).
///
/// Expressions see the frame as the channel hands it out: for a raw
/// channel on Ethernet, from the Ethernet header; for a cooked channel, from
/// a Linux cooked (LINUX_SLL) header. The kernel itself has no cooked
/// header, so for cooked channels the compiled program is rewritten as
/// libpcap does for its own cooked captures: loads beyond the 16-byte
/// header are moved back by 16 bytes, the packet type and protocol fields
/// become the kernel's SKF_AD_PKTTYPE and SKF_AD_PROTOCOL loads, and a
/// program that reads any other header field is refused (errc::unsupported).
///
/// Limitation: VLAN tags that the kernel has already moved into metadata
/// (every receive path strips a tag before packet sockets see the frame)
/// are not visible to an expression's in-band loads: "vlan 10" does not
/// match such frames in the kernel. Filter those in the program reading
/// frame::vlan_tci instead.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rawpkt::datalink {

/// One classic BPF instruction, laid out as Linux's struct sock_filter and
/// BSD's struct bpf_insn.
struct bpf_instruction {
    /// Opcode: class, size, mode and operation bits (BPF_LD | BPF_H | BPF_ABS, ...).
    std::uint16_t code = 0;
    /// Instructions to skip when a jump's condition holds.
    std::uint8_t jt = 0;
    /// Instructions to skip when it does not.
    std::uint8_t jf = 0;
    /// The constant operand (an offset, a value, a return length).
    std::uint32_t k = 0;
    friend constexpr bool operator==(const bpf_instruction&, const bpf_instruction&) = default;
};

/// The most instructions a classic BPF program may have (BPF_MAXINSNS).
inline constexpr std::size_t max_bpf_instructions = 4096;

/// A filter: nothing (accept everything), a tcpdump expression, or a
/// program. Converts implicitly from a string and from a vector of
/// instructions, so `config.filter = "tcp port 443";` reads naturally.
class filter {
public:
    filter() = default;
    /// A tcpdump expression (nullptr or "" is no filter), compiled when the channel opens.
    filter(const char* expression) : expression_(expression == nullptr ? "" : expression) {}
    /// A tcpdump expression (see above).
    filter(std::string expression) : expression_(std::move(expression)) {}
    /// A tcpdump expression (see above).
    filter(std::string_view expression) : expression_(expression) {}
    /// A classic BPF program, attached as is (at most max_bpf_instructions).
    filter(std::vector<bpf_instruction> program) : program_(std::move(program)), is_program_(true) {}

    /// No filter: every frame passes.
    [[nodiscard]] bool empty() const noexcept { return !is_program_ && expression_.empty(); }
    /// Holds a BPF program rather than an expression.
    [[nodiscard]] bool is_program() const noexcept { return is_program_; }
    /// The tcpdump expression (empty for a program).
    [[nodiscard]] const std::string& expression() const noexcept { return expression_; }
    /// The program (empty for an expression).
    [[nodiscard]] const std::vector<bpf_instruction>& program() const noexcept { return program_; }

private:
    std::string expression_;
    std::vector<bpf_instruction> program_;
    bool is_program_ = false;
};

/// True when this build of rawpkt can compile expressions (it was linked
/// with libpcap). Without it, an expression gives errc::unsupported with
/// step::filter_compile; programs work either way.
[[nodiscard]] bool has_filter_compiler() noexcept;

/// Compiles a tcpdump expression for frames of link type `link` (as
/// libpcap's pcap_compile with optimisation on and an unknown netmask),
/// returning at most `snaplen` bytes of each accepted frame. On a syntax
/// error: errc::bad_value with step::filter_compile, and libpcap's message
/// (e.g. "syntax error", "unknown port '4x3'") in *message when given.
[[nodiscard]] result<std::vector<bpf_instruction>>
compile_filter(std::string_view expression, link_type link, std::uint32_t snaplen, std::string* message = nullptr);

/// Rewrites a program written for LINUX_SLL frames so that it runs on a
/// cooked (SOCK_DGRAM) packet socket, which shows the kernel the frame
/// without that header (see the file comment). errc::unsupported when the
/// program reads a header field the kernel cannot provide.
[[nodiscard]] result<std::vector<bpf_instruction>> cooked_program(std::vector<bpf_instruction> program);

/// A program that accepts every frame, keeping `snaplen` bytes.
[[nodiscard]] std::vector<bpf_instruction> accept_program(std::uint32_t snaplen);
/// A program that accepts nothing.
[[nodiscard]] std::vector<bpf_instruction> drop_program();

/// Checks a program the way the kernel will (length 1..4096, jumps inside
/// the program, ends with a return). errc::bad_value with
/// step::filter_attach; `available` holds the index of the bad instruction.
[[nodiscard]] status check_program(const std::vector<bpf_instruction>& program) noexcept;

/// Runs a classic BPF program over a frame in user space, as the kernel
/// runs it on a socket: returns the number of bytes to keep (0: the frame
/// is rejected; at most data.size()). `data` is what was captured,
/// `wire_len` the frame's full length (what `len` loads, as libpcap's
/// bpf_filter does). The capture-file and in-memory backends filter with
/// it; it is also handy on frames from a pcap::reader.
///
/// Safe on any program and any frame: a load outside `data`, a division by
/// zero, a scratch-memory index above 15, a jump out of the program or
/// running off its end reject the frame. The kernel's ancillary loads
/// (SKF_AD_*, SKF_NET_OFF, SKF_LL_OFF: what a cooked-channel program and
/// some libpcap expressions on live Linux handles use) have no meaning
/// outside the kernel and reject the frame too. No allocation.
[[nodiscard]] std::uint32_t run_program(std::span<const bpf_instruction> program, bytes data,
                                        std::uint32_t wire_len) noexcept;

/// One instruction as tcpdump -d prints it ("(004) ldh [14]").
[[nodiscard]] std::string to_string(const bpf_instruction& insn, std::size_t index);

} // namespace rawpkt::datalink
