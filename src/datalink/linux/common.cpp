// SPDX-License-Identifier: BSD-3-Clause
// Pieces shared by the AF_PACKET receive and send backends.
#include "impl.hpp"

#include <cerrno>
#include <cstring>

#include <linux/filter.h>
#include <sys/mman.h>
#include <unistd.h>

namespace rawpkt::datalink::detail {

mapping::~mapping() {
    if (p_ != nullptr) ::munmap(p_, n_);
}

mapping& mapping::operator=(mapping&& o) noexcept {
    if (this != &o) {
        if (p_ != nullptr) ::munmap(p_, n_);
        p_ = o.p_;
        n_ = o.n_;
        o.p_ = nullptr;
        o.n_ = 0;
    }
    return *this;
}

result<mapping> map_ring(int fd, std::size_t bytes, step s) {
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return from_errno(s, errno);
    return mapping{static_cast<std::byte*>(p), bytes};
}

status set_option(int fd, int level, int name, const void* value, socklen_t len, step s) {
    if (::setsockopt(fd, level, name, value, len) != 0) return from_errno(s, errno);
    return {};
}

status attach_program(int fd, const std::vector<bpf_instruction>& program) {
    if (const status ok = check_program(program); !ok) return ok;
    // bpf_instruction has struct sock_filter's layout.
    static_assert(sizeof(bpf_instruction) == sizeof(sock_filter));
    sock_fprog prog{};
    prog.len = static_cast<unsigned short>(program.size());
    prog.filter = reinterpret_cast<sock_filter*>(const_cast<bpf_instruction*>(program.data()));
    return set_option(fd, SOL_SOCKET, SO_ATTACH_FILTER, prog, step::filter_attach);
}

result<std::vector<bpf_instruction>> program_for(const filter& f, link_type link, link_layer layer,
                                                 std::uint32_t snaplen, std::string* message) {
    constexpr std::uint32_t max_snaplen = 262144;
    if (f.is_program()) {
        if (const status ok = check_program(f.program()); !ok) return ok.error();
        return f.program();
    }
    if (f.expression().empty()) {
        // Without a filter the snaplen is a one-instruction program.
        if (snaplen >= max_snaplen) return std::vector<bpf_instruction>{};
        return accept_program(snaplen);
    }
    const link_type compile_for = layer == link_layer::cooked ? link_type::linux_sll : link;
    auto prog = compile_filter(f.expression(), compile_for, snaplen, message);
    if (!prog) return prog.error();
    if (layer == link_layer::cooked) {
        auto fixed = cooked_program(std::move(*prog));
        if (!fixed && message != nullptr) {
            *message = "the filter reads a field of the cooked header the kernel cannot provide (only the packet "
                       "type and the protocol)";
        }
        return fixed;
    }
    return prog;
}

status add_statistics(int fd, bool v3, rx_stats& total) {
    if (v3) {
        tpacket_stats_v3 st{};
        socklen_t len = sizeof st;
        if (::getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0) {
            return from_errno(step::statistics, errno);
        }
        // tp_packets counts stored and dropped frames.
        total.received += st.tp_packets - st.tp_drops;
        total.dropped += st.tp_drops;
        total.freezes += st.tp_freeze_q_cnt;
    } else {
        tpacket_stats st{};
        socklen_t len = sizeof st;
        if (::getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0) {
            return from_errno(step::statistics, errno);
        }
        total.received += st.tp_packets - st.tp_drops;
        total.dropped += st.tp_drops;
    }
    return {};
}

direction direction_of(unsigned char pkttype) noexcept {
    switch (pkttype) {
    case PACKET_HOST: return direction::host;
    case PACKET_BROADCAST: return direction::broadcast;
    case PACKET_MULTICAST: return direction::multicast;
    case PACKET_OTHERHOST: return direction::other_host;
    case PACKET_OUTGOING: return direction::outgoing;
    // A multicast or broadcast frame of this host looped back to it: a
    // received copy.
    case PACKET_LOOPBACK: return direction::inbound;
    default: return direction::unknown;
    }
}

void write_sll_header(std::byte* at, const sockaddr_ll& sll) noexcept {
    // LINKTYPE_LINUX_SLL: packet type, ARPHRD type, address length (all
    // big-endian), 8 address bytes, protocol (already in network order).
    const auto put16 = [](std::byte* p, unsigned v) {
        p[0] = static_cast<std::byte>(v >> 8);
        p[1] = static_cast<std::byte>(v);
    };
    put16(at, sll.sll_pkttype);
    put16(at + 2, sll.sll_hatype);
    const unsigned halen = sll.sll_halen > 8 ? 8 : sll.sll_halen;
    put16(at + 4, sll.sll_halen);
    std::memset(at + 6, 0, 8);
    std::memcpy(at + 6, sll.sll_addr, halen);
    std::memcpy(at + 14, &sll.sll_protocol, 2);
}

} // namespace rawpkt::datalink::detail
