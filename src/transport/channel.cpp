// SPDX-License-Identifier: BSD-3-Clause
// Raw layer-3/4 channels over Linux raw sockets (raw(7), ipv6(7), RFC 3542)
// and, for IPv6 layer-3 receive, a SOCK_DGRAM packet socket.
#include "../datalink/common.hpp"

#include <rawpkt/datalink/interfaces.hpp>
#include <rawpkt/packet/ipv4.hpp>
#include <rawpkt/packet/ipv6.hpp>
#include <rawpkt/transport/channel.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#ifndef IPV6_HDRINCL
#define IPV6_HDRINCL 36 // linux/in6.h, Linux 4.5
#endif

namespace rawpkt::transport {

namespace dl = rawpkt::datalink;
using dl::detail::deadline;
using dl::detail::unique_fd;

namespace {

// Where the checksum of a protocol's message is, for IPV6_CHECKSUM (RFC 3542
// §3.1); -1: the kernel leaves the message alone. ICMPv6 is always done.
int ipv6_checksum_offset(ip_proto p) noexcept {
    switch (p) {
    case ip_proto::tcp: return 16; // RFC 9293 §3.1
    case ip_proto::udp: return 6;  // RFC 768
    default: return -1;
    }
}

constexpr std::uint32_t filter_snaplen = 262144;

status set_int(int fd, int level, int name, int value, step s) {
    if (::setsockopt(fd, level, name, &value, sizeof value) != 0) return from_errno(s, errno);
    return {};
}

status attach(int fd, const std::vector<dl::bpf_instruction>& program) {
    static_assert(sizeof(dl::bpf_instruction) == sizeof(sock_filter));
    sock_fprog prog{};
    prog.len = static_cast<unsigned short>(program.size());
    prog.filter = reinterpret_cast<sock_filter*>(const_cast<dl::bpf_instruction*>(program.data()));
    if (::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) != 0) {
        return from_errno(step::filter_attach, errno);
    }
    return {};
}

// An IPv6 raw socket runs its filter on the message, after the IP header;
// SKF_NET_OFF + k reads byte k of the IP header (linux/filter.h), so a
// program written from the IP header on gets its packet loads moved there.
std::vector<dl::bpf_instruction> from_network_header(std::vector<dl::bpf_instruction> program) {
    constexpr std::uint16_t cls_ld = 0x00, cls_ldx = 0x01, mode_abs = 0x20, mode_ind = 0x40, mode_msh = 0xa0;
    constexpr std::uint32_t skf_special = 0xffe00000u; // SKF_LL_OFF and above: ancillary loads
    constexpr std::uint32_t skf_net_off = static_cast<std::uint32_t>(SKF_NET_OFF);
    for (dl::bpf_instruction& in : program) {
        const std::uint16_t cls = in.code & 0x07, mode = in.code & 0xe0;
        if (cls != cls_ld && cls != cls_ldx) continue;
        if (mode != mode_abs && mode != mode_ind && mode != mode_msh) continue;
        if (in.k >= skf_special) continue;
        in.k += skf_net_off;
    }
    return program;
}

// IPv6 layer 3 without a filter: pass packets whose next header is the
// protocol (extension headers in between are checked in user space).
std::vector<dl::bpf_instruction> next_header_program(ip_proto p) {
    return {{0x30, 0, 0, 6},                             // ldb [6]
            {0x15, 0, 1, static_cast<std::uint32_t>(p)}, // jeq #p, accept, drop
            {0x06, 0, 0, filter_snaplen},                // ret #snaplen
            {0x06, 0, 0, 0}};                            // ret #0
}

} // namespace

struct channel::impl {
    config cfg;
    unique_fd rx;      // raw socket, or the packet socket of IPv6 layer 3
    unique_fd tx_only; // IPv6 layer 3: the IPV6_HDRINCL raw socket
    std::uint32_t ifindex = 0;
    std::vector<std::byte> buffer;
    alignas(cmsghdr) std::byte control[256] = {};
    packet current{};
    transport::stats counters{};

    [[nodiscard]] int tx_fd() const noexcept { return tx_only.get() >= 0 ? tx_only.get() : rx.get(); }
    [[nodiscard]] bool v6() const noexcept { return cfg.family == transport::family::ipv6; }
    [[nodiscard]] bool packet_socket() const noexcept { return v6() && cfg.mode == transport::mode::layer3; }

    // What one read gave.
    enum class outcome : std::uint8_t { ready, none, not_ours, malformed };
    // Why the last malformed packet was refused.
    error malformed_error{};

    status apply_filter(const dl::filter& f, std::string* message);
    result<outcome> read_one();
    // Fill `current` from the n bytes read.
    outcome fill_ipv4(std::size_t n, const msghdr& msg);
    outcome fill_ipv6(std::size_t n, const sockaddr_storage& from, const msghdr& msg);
    outcome fill_packet_socket(std::size_t n, const sockaddr_storage& from);
};

void channel::impl_deleter::operator()(impl* p) const noexcept { delete p; }

channel::channel() noexcept = default;
channel::~channel() = default;
channel::channel(channel&&) noexcept = default;
channel& channel::operator=(channel&&) noexcept = default;

status channel::impl::apply_filter(const dl::filter& f, std::string* message) {
    const link_type link = v6() ? link_type::ipv6 : link_type::ipv4;
    std::vector<dl::bpf_instruction> program;
    if (f.empty()) {
        program = packet_socket() ? next_header_program(cfg.protocol) : dl::accept_program(filter_snaplen);
    } else if (f.is_program()) {
        program = f.program();
    } else {
        auto compiled = dl::compile_filter(f.expression(), link, filter_snaplen, message);
        if (!compiled) {
            const error& e = compiled.error();
            return make_error(e.code, step::filter_compile, e.sys_errno, e.needed, e.available);
        }
        program = std::move(*compiled);
    }
    if (const status ok = dl::check_program(program); !ok) {
        return make_error(errc::bad_value, step::filter_attach, 0, 0, ok.error().available);
    }
    if (v6() && cfg.mode == transport::mode::layer4) program = from_network_header(std::move(program));
    return attach(rx.get(), program);
}

result<channel> open(const config& c, std::string* message) {
    const auto fail = [&](const error& e, std::string_view subject = {}) -> result<channel> {
        if (message == nullptr) return e;
        // A filter that does not compile left libpcap's text: keep it after the sentence.
        *message = message->empty() ? describe(e, subject) : describe(e, subject) + ": " + *message;
        return e;
    };
    if (message != nullptr) message->clear();
    if (c.mode == transport::mode::layer4 && static_cast<std::uint8_t>(c.protocol) == 255) {
        return fail(make_error(errc::bad_value, step::config_protocol, 0, 0, 255));
    }
    if (c.receive_buffer < 40 || c.receive_buffer > (1u << 24)) {
        return fail(make_error(errc::bad_value, step::receive_buffer, 0, 1u << 24, c.receive_buffer));
    }
    std::unique_ptr<channel::impl, channel::impl_deleter> p{new channel::impl{}};
    p->cfg = c;
    p->buffer.resize(c.receive_buffer);
    const int domain = p->v6() ? AF_INET6 : AF_INET;
    const int proto = static_cast<int>(c.protocol);

    if (!c.interface.empty()) {
        const auto info = dl::find_interface(c.interface);
        if (!info) return fail(make_error(errc::not_found, step::interface_lookup), c.interface);
        p->ifindex = info->index;
    }

    if (p->packet_socket()) {
        p->rx = unique_fd{::socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_IPV6))};
        if (p->rx.get() < 0) return fail(from_errno(step::socket, errno));
        sockaddr_ll ll{};
        ll.sll_family = AF_PACKET;
        ll.sll_protocol = htons(ETH_P_IPV6);
        ll.sll_ifindex = static_cast<int>(p->ifindex);
        if (::bind(p->rx.get(), reinterpret_cast<const sockaddr*>(&ll), sizeof ll) != 0) {
            return fail(from_errno(step::bind_interface, errno), c.interface);
        }
        p->tx_only = unique_fd{::socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto)};
        if (p->tx_only.get() < 0) return fail(from_errno(step::socket, errno));
        if (auto s = set_int(p->tx_only.get(), IPPROTO_IPV6, IPV6_HDRINCL, 1, step::header_include); !s) {
            return fail(s.error());
        }
        // Its receive queue is never read: keep it empty.
        if (auto s = attach(p->tx_only.get(), dl::drop_program()); !s) return fail(s.error());
    } else {
        p->rx = unique_fd{::socket(domain, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto)};
        if (p->rx.get() < 0) return fail(from_errno(step::socket, errno));
        if (c.mode == transport::mode::layer3) {
            if (auto s = set_int(p->rx.get(), IPPROTO_IP, IP_HDRINCL, 1, step::header_include); !s) {
                return fail(s.error());
            }
        }
        if (p->v6()) {
            for (const int opt : {IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS, IPV6_RECVPKTINFO}) {
                if (auto s = set_int(p->rx.get(), IPPROTO_IPV6, opt, 1, step::socket_option); !s) {
                    return fail(s.error());
                }
            }
            if (const int off = ipv6_checksum_offset(c.protocol); off >= 0 && c.mode == transport::mode::layer4) {
                if (auto s = set_int(p->rx.get(), IPPROTO_IPV6, IPV6_CHECKSUM, off, step::socket_option); !s) {
                    return fail(s.error());
                }
            }
        } else if (auto s = set_int(p->rx.get(), IPPROTO_IP, IP_PKTINFO, 1, step::socket_option); !s) {
            return fail(s.error());
        }
    }
    if (!c.interface.empty()) {
        for (const int fd : {p->rx.get(), p->tx_only.get()}) {
            if (fd < 0 || (fd == p->rx.get() && p->packet_socket())) continue;
            if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c.interface.data(),
                             static_cast<socklen_t>(c.interface.size())) != 0) {
                return fail(from_errno(step::bind_interface, errno), c.interface);
            }
        }
    }
    channel ch;
    ch.impl_ = std::move(p);
    if (c.hop_limit) {
        if (auto s = ch.set_hop_limit(*c.hop_limit); !s) return fail(s.error());
    }
    if (c.traffic_class) {
        if (auto s = ch.set_traffic_class(*c.traffic_class); !s) return fail(s.error());
    }
    if (!c.filter.empty() || ch.impl_->packet_socket()) {
        if (auto s = ch.impl_->apply_filter(c.filter, message); !s) return fail(s.error());
    }
    return ch;
}

status channel::set_hop_limit(std::uint8_t ttl) {
    if (!impl_) return make_error(errc::io, step::socket_option);
    const bool v6 = impl_->v6();
    return set_int(impl_->tx_fd(), v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_UNICAST_HOPS : IP_TTL, ttl,
                   step::hop_limit);
}

status channel::set_traffic_class(std::uint8_t tos) {
    if (!impl_) return make_error(errc::io, step::socket_option);
    const bool v6 = impl_->v6();
    return set_int(impl_->tx_fd(), v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_TCLASS : IP_TOS, tos, step::traffic_class);
}

status channel::set_filter(const dl::filter& f, std::string* message) {
    if (!impl_) return make_error(errc::io, step::filter_attach);
    if (f.empty() && !impl_->packet_socket()) {
        // Detaching a filter that is not there fails with ENOENT: that is fine.
        if (::setsockopt(impl_->rx.get(), SOL_SOCKET, SO_DETACH_FILTER, nullptr, 0) != 0 && errno != ENOENT) {
            return from_errno(step::filter_attach, errno);
        }
        return {};
    }
    return impl_->apply_filter(f, message);
}

result<channel::impl::outcome> channel::impl::read_one() {
    sockaddr_storage from{};
    iovec iov{buffer.data(), buffer.size()};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    const ssize_t n = ::recvmsg(rx.get(), &msg, MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return outcome::none;
        return from_errno(step::receive, errno);
    }
    current = packet{};
    const auto len = static_cast<std::size_t>(n);
    if (len > buffer.size() || (msg.msg_flags & MSG_TRUNC) != 0) {
        malformed_error = error::truncated(layer::transport, length_source::capture_length, 0, len, buffer.size());
        return outcome::malformed;
    }
    if (packet_socket()) return fill_packet_socket(len, from);
    if (v6()) return fill_ipv6(len, from, msg);
    return fill_ipv4(len, msg);
}

channel::impl::outcome channel::impl::fill_ipv4(std::size_t n, const msghdr& msg) {
    const auto ip = ipv4::view::checked(bytes{buffer.data(), n});
    if (!ip) {
        malformed_error = ip.error();
        return outcome::malformed;
    }
    current.datagram = ip->buffer().first(ip->datagram_len());
    current.data = cfg.mode == transport::mode::layer3 ? current.datagram : ip->payload();
    current.source = ip->src();
    current.destination = ip->dst();
    current.hop_limit = ip->ttl();
    current.traffic_class = ip->tos();
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(const_cast<msghdr*>(&msg), c)) {
        if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO) continue;
        in_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        current.ifindex = static_cast<std::uint32_t>(info.ipi_ifindex);
    }
    return outcome::ready;
}

channel::impl::outcome channel::impl::fill_ipv6(std::size_t n, const sockaddr_storage& from, const msghdr& msg) {
    sockaddr_in6 sin6{};
    std::memcpy(&sin6, &from, sizeof sin6);
    ipv6_address src;
    std::memcpy(src.octets.data(), &sin6.sin6_addr, 16);
    current.source = ip_address{src, src.is_link_local() ? sin6.sin6_scope_id : 0};
    current.data = bytes{buffer.data(), n};
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(const_cast<msghdr*>(&msg), c)) {
        if (c->cmsg_level != IPPROTO_IPV6) continue;
        if (c->cmsg_type == IPV6_HOPLIMIT || c->cmsg_type == IPV6_TCLASS) {
            int v = 0;
            std::memcpy(&v, CMSG_DATA(c), sizeof v);
            (c->cmsg_type == IPV6_HOPLIMIT ? current.hop_limit : current.traffic_class) = static_cast<std::uint8_t>(v);
        } else if (c->cmsg_type == IPV6_PKTINFO) {
            in6_pktinfo info{};
            std::memcpy(&info, CMSG_DATA(c), sizeof info);
            ipv6_address dst;
            std::memcpy(dst.octets.data(), &info.ipi6_addr, 16);
            current.destination = ip_address{dst};
            current.ifindex = info.ipi6_ifindex;
        }
    }
    return outcome::ready;
}

channel::impl::outcome channel::impl::fill_packet_socket(std::size_t n, const sockaddr_storage& from) {
    sockaddr_ll ll{};
    std::memcpy(&ll, &from, sizeof ll);
    // Our own packets come by once more as PACKET_OUTGOING; packets for
    // other hosts (a promiscuous interface) are not ours.
    if (ll.sll_pkttype == PACKET_OUTGOING || ll.sll_pkttype == PACKET_OTHERHOST) return outcome::not_ours;
    const auto ip = ipv6::view::checked(bytes{buffer.data(), n});
    if (!ip) {
        malformed_error = ip.error();
        return outcome::malformed;
    }
    const auto upper = ip->upper_layer();
    if (!upper) {
        malformed_error = upper.error();
        return outcome::malformed;
    }
    if (upper->protocol != cfg.protocol) return outcome::not_ours;
    const auto in_ifindex = static_cast<std::uint32_t>(ll.sll_ifindex);
    current.datagram = ip->buffer().first(ip->datagram_len());
    current.data = current.datagram;
    current.source = ip_address{ip->src(), ip->src().is_link_local() ? in_ifindex : 0};
    current.destination = ip_address{ip->dst()};
    current.hop_limit = ip->hop_limit();
    current.traffic_class = ip->traffic_class();
    current.ifindex = in_ifindex;
    return outcome::ready;
}

namespace {

socklen_t to_sockaddr(const ip_address& to, sockaddr_storage& addr) noexcept {
    if (to.family == transport::family::ipv4) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        std::memcpy(&sin.sin_addr, to.v4.octets.data(), 4);
        std::memcpy(&addr, &sin, sizeof sin);
        return sizeof sin;
    }
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    std::memcpy(&sin6.sin6_addr, to.v6.octets.data(), 16);
    sin6.sin6_scope_id = to.scope_id;
    std::memcpy(&addr, &sin6, sizeof sin6);
    return sizeof sin6;
}

result<bool> poll_one(int fd, short events, int ms, step s) {
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, ms);
    if (rc < 0) {
        if (errno == EINTR) return false;
        return from_errno(s, errno);
    }
    if (rc == 0) return false;
    if ((p.revents & POLLNVAL) != 0) return from_errno(s, EBADF);
    return true;
}

} // namespace

result<bool> wait_readable(int fd, timeout wait) { return poll_one(fd, POLLIN, deadline{wait}.poll_ms(), step::wait); }
result<bool> wait_writable(int fd, timeout wait) { return poll_one(fd, POLLOUT, deadline{wait}.poll_ms(), step::wait); }

result<bool> channel::wait_readable(timeout wait) {
    if (!impl_) return make_error(errc::io, step::wait);
    return transport::wait_readable(impl_->rx.get(), wait);
}

result<const packet*> channel::next(timeout wait) {
    if (!impl_) return make_error(errc::io, step::receive);
    const deadline d{wait};
    for (;;) {
        const auto got = impl_->read_one();
        if (!got) return got.error();
        switch (*got) {
        case impl::outcome::ready: ++impl_->counters.received; return &impl_->current;
        case impl::outcome::malformed:
            if (count_malformed()) return impl_->malformed_error;
            continue;
        case impl::outcome::not_ours: continue;
        case impl::outcome::none: break;
        }
        const result<bool> ready = poll_one(impl_->rx.get(), POLLIN, d.poll_ms(), step::receive);
        if (!ready) return ready.error();
        if (!*ready) return static_cast<const packet*>(nullptr);
    }
}

bool channel::count_malformed() noexcept {
    ++impl_->counters.malformed;
    return impl_->cfg.malformed == on_malformed::report;
}

std::int64_t channel::now_ns() noexcept { return dl::detail::monotonic_ns(); }

timeout channel::remaining(timeout wait, std::int64_t started_ns) noexcept {
    if (wait.count() <= 0) return wait;
    const std::int64_t spent_ms = (now_ns() - started_ns) / 1'000'000;
    return spent_ms >= wait.count() ? no_wait : wait - timeout{spent_ms};
}

status channel::send_to(bytes message, const ip_address& to) {
    if (!impl_) return make_error(errc::io, step::send);
    if (to.family != impl_->cfg.family) {
        return make_error(errc::bad_value, step::address_family, 0, static_cast<std::uint8_t>(impl_->cfg.family),
                          static_cast<std::uint8_t>(to.family));
    }
    sockaddr_storage addr{};
    const socklen_t addr_len = to_sockaddr(to, addr);
    const int fd = impl_->tx_fd();
    const deadline d{impl_->cfg.send_timeout};
    for (;;) {
        const ssize_t n =
            ::sendto(fd, message.data(), message.size(), 0, reinterpret_cast<const sockaddr*>(&addr), addr_len);
        if (n >= 0) {
            ++impl_->counters.sent;
            return {};
        }
        const int e = errno;
        if (e == EINTR) continue;
        if (e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS) {
            const result<bool> room = poll_one(fd, POLLOUT, d.poll_ms(), step::send);
            if (room && *room) continue;
        }
        ++impl_->counters.send_failed;
        if (e == EMSGSIZE) {
            return make_error(errc::length_too_large, step::send, e, 0, message.size());
        }
        return from_errno(step::send, e);
    }
}

result<ip_address> source_address(const ip_address& to) {
    // connect() on a UDP socket picks the route and the source; it sends nothing.
    const bool v6 = to.family == transport::family::ipv6;
    const unique_fd fd{::socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
    if (fd.get() < 0) return from_errno(step::socket, errno);
    sockaddr_storage addr{};
    const socklen_t len = to_sockaddr(to, addr);
    // Any port will do; sin_port and sin6_port are at the same offset.
    static_assert(offsetof(sockaddr_in, sin_port) == offsetof(sockaddr_in6, sin6_port));
    const std::uint16_t port = htons(9);
    std::memcpy(reinterpret_cast<char*>(&addr) + offsetof(sockaddr_in, sin_port), &port, sizeof port);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), len) != 0) return from_errno(step::route, errno);
    sockaddr_storage local{};
    socklen_t local_len = sizeof local;
    if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &local_len) != 0) {
        return from_errno(step::route, errno);
    }
    if (v6) {
        sockaddr_in6 sin6{};
        std::memcpy(&sin6, &local, sizeof sin6);
        ipv6_address a;
        std::memcpy(a.octets.data(), &sin6.sin6_addr, 16);
        return ip_address{a, sin6.sin6_scope_id};
    }
    sockaddr_in sin{};
    std::memcpy(&sin, &local, sizeof sin);
    ipv4_address a;
    std::memcpy(a.octets.data(), &sin.sin_addr, 4);
    return ip_address{a};
}

int channel::native_handle() const noexcept { return impl_ ? impl_->rx.get() : -1; }
int channel::send_handle() const noexcept { return impl_ ? impl_->tx_fd() : -1; }
transport::stats channel::stats() const noexcept { return impl_ ? impl_->counters : transport::stats{}; }
transport::family channel::family() const noexcept { return impl_ ? impl_->cfg.family : transport::family::ipv4; }
transport::mode channel::mode() const noexcept { return impl_ ? impl_->cfg.mode : transport::mode::layer4; }
ip_proto channel::protocol() const noexcept { return impl_ ? impl_->cfg.protocol : ip_proto::icmp; }

} // namespace rawpkt::transport
