// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Raw layer-3/4 channels: send and receive the packets of one IP protocol
/// over IPv4 or IPv6 without link-layer headers (Linux raw sockets).
///
/// ```cpp
/// namespace tp = rawpkt::transport;
/// tp::config cfg;
/// cfg.protocol = rawpkt::ip_proto::icmp;             // layer 4: the kernel writes the IP header
/// std::string why;
/// auto ch = tp::open(cfg, &why);
/// if (!ch) { std::fprintf(stderr, "%s\n", why.c_str()); return 1; }
/// ch->send_to(echo_request_bytes, tp::ip_address{dst});
/// auto reply = ch->next_as<rawpkt::icmpv4::view>(std::chrono::seconds(1));
/// if (reply && *reply) print((*reply)->view.sequence(), (*reply)->packet->source, (*reply)->packet->hop_limit);
/// ```
///
/// Modes. mode::layer4 opens SOCK_RAW with the protocol: the program sends
/// the protocol's message (ICMP, TCP, UDP, ... from its header on) and the
/// kernel writes the IP header, with config::hop_limit and traffic_class.
/// mode::layer3 makes the program write the IP header too: IP_HDRINCL for
/// IPv4, IPV6_HDRINCL for IPv6 (Linux 4.5 and later; older kernels give
/// errc::unsupported with step::header_include). The kernel still fills the
/// IPv4 header checksum, and the total length and identification when 0.
///
/// What comes in. packet::data is what the mode deals in: the protocol's
/// message in layer 4, the whole IP datagram in layer 3. The kernel hands
/// IPv4 raw sockets the IP header in both modes, so packet::datagram holds
/// it for IPv4; IPv6 raw sockets never see their IP header (RFC 3542 §3),
/// so an IPv6 layer-3 channel receives through a packet socket (AF_PACKET,
/// SOCK_DGRAM, ETH_P_IPV6) that does, and an IPv6 layer-4 channel reads the
/// hop limit, traffic class and destination from ancillary data
/// (IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS, IPV6_RECVPKTINFO).
///
/// Checksums. IPv4 raw sockets send the message as it is: the program fills
/// the ICMP, TCP or UDP checksum (the builder and the reprs do). IPv6
/// layer-4 channels have the kernel fill it (RFC 3542 §3.1: always for
/// ICMPv6; IPV6_CHECKSUM is set for TCP and UDP), since the pseudo header
/// needs the source address the kernel picks.
///
/// Malformed input. next_as<View>() lays View over packet::data with
/// View::checked(); a packet it rejects (and an IPv4 header that does not
/// check, a datagram longer than config::receive_buffer) is skipped and
/// counted in stats().malformed, or returned as the error when
/// config::malformed is on_malformed::report. Nothing is read out of bounds.
///
/// Waiting. Every receive call takes a timeout (no_wait never blocks: the
/// non-blocking mode; forever waits). native_handle() is the receive
/// descriptor, in O_NONBLOCK mode, for the caller's poll/epoll/Asio loop;
/// wait_readable() waits on it. A received packet stays valid until the
/// next receive call. No allocation per packet.
///
/// Threads: one channel must not be used from two threads at once.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/datalink/config.hpp>
#include <rawpkt/datalink/filter.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/transport/errors.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rawpkt::transport {

using datalink::forever;
using datalink::no_wait;
using datalink::timeout;

/// The IP version of a channel.
enum class family : std::uint8_t { ipv4 = 4, ipv6 = 6 };

/// What a channel sends and receives: the protocol's message (the kernel adds the IP header) or the whole IP datagram.
enum class mode : std::uint8_t {
    layer4, ///< the kernel writes the IP header
    layer3, ///< the program writes the IP header
};

/// What a typed receive does with a packet its view rejects.
enum class on_malformed : std::uint8_t {
    skip,   ///< count it in stats().malformed and wait for the next
    report, ///< return the view's error (also counted)
};

/// An IPv4 or IPv6 address; scope_id is the interface index of an IPv6
/// link-local address (0: none).
struct ip_address {
    transport::family family = family::ipv4; ///< which of v4 and v6 holds the address
    ipv4_address v4{};                       ///< the address when family is ipv4
    ipv6_address v6{};                       ///< the address when family is ipv6
    std::uint32_t scope_id = 0;              ///< interface index of an IPv6 link-local address (0: none)

    constexpr ip_address() noexcept = default;
    /// An IPv4 address.
    constexpr ip_address(ipv4_address a) noexcept : v4(a) {}
    /// An IPv6 address, with the interface index for a link-local one.
    constexpr ip_address(ipv6_address a, std::uint32_t scope = 0) noexcept
        : family(family::ipv6), v6(a), scope_id(scope) {}

    /// "192.0.2.1", "2001:db8::1", "fe80::1%3" (a numeric scope only).
    [[nodiscard]] static constexpr bool parse(std::string_view s, ip_address& out) noexcept {
        ipv4_address a4;
        if (ipv4_address::parse(s, a4)) {
            out = ip_address{a4};
            return true;
        }
        std::uint32_t scope = 0;
        if (const auto pct = s.find('%'); pct != std::string_view::npos) {
            const std::string_view digits = s.substr(pct + 1);
            if (digits.empty() || digits.size() > 9) return false;
            for (const char c : digits) {
                if (c < '0' || c > '9') return false;
                scope = scope * 10 + static_cast<std::uint32_t>(c - '0');
            }
            s = s.substr(0, pct);
        }
        ipv6_address a6;
        if (!ipv6_address::parse(s, a6)) return false;
        out = ip_address{a6, scope};
        return true;
    }
    /// The text parse() reads ("fe80::1%3" with a scope).
    [[nodiscard]] std::string to_string() const {
        if (family == family::ipv4) return v4.to_string();
        std::string s = v6.to_string();
        if (scope_id != 0) {
            s += '%';
            s += std::to_string(scope_id);
        }
        return s;
    }
    friend constexpr bool operator==(const ip_address& a, const ip_address& b) noexcept {
        return a.family == b.family &&
               (a.family == family::ipv4 ? a.v4 == b.v4 : a.v6 == b.v6 && a.scope_id == b.scope_id);
    }
};

/// What transport::open() opens: IP version, mode, protocol, interface and per-packet settings.
struct config {
    transport::family family = family::ipv4; ///< IPv4 (AF_INET raw socket) or IPv6 (AF_INET6)
    transport::mode mode = mode::layer4;     ///< whether the program writes the IP header
    /// The IP protocol sent and received (icmp for IPv4 ping, icmpv6 for
    /// IPv6, tcp, udp, ...). Layer 3 over IPv4 with protocol 255 (raw) can
    /// send any protocol but receives nothing (raw(7)).
    ip_proto protocol = ip_proto::icmp;
    /// Bind to this interface (SO_BINDTODEVICE): only its packets come in,
    /// packets go out through it. Empty: any interface.
    std::string interface {};
    /// TTL / hop limit of sent packets (layer 4; in layer 3 the program's
    /// header says). Unset: the system default.
    std::optional<std::uint8_t> hop_limit{};
    /// TOS / traffic class byte of sent packets: DSCP << 2 | ECN (RFC 2474
    /// §3, RFC 3168 §5). Layer 4 only. Unset: 0.
    std::optional<std::uint8_t> traffic_class{};
    /// A kernel filter: a tcpdump expression that sees each packet from its
    /// IP header on (link type IPV4 / IPV6), or a classic BPF program that
    /// does (for IPv6 layer 4, where the socket starts at the message, the
    /// program's loads are moved to the kernel's network-header offset).
    datalink::filter filter{};
    on_malformed malformed = on_malformed::skip; ///< what next_as() does with a packet its view rejects
    /// The longest datagram received whole (64 KiB, the IPv4 maximum); a
    /// longer one is counted as malformed.
    std::size_t receive_buffer = 65536;
    /// How long send_to() waits for room in the socket buffer.
    timeout send_timeout = forever;
};

/// One received packet. Its bytes stay valid until the next receive call.
struct packet {
    /// What the mode deals in: the protocol's message (layer 4) or the whole
    /// IP datagram (layer 3).
    bytes data{};
    /// The IP datagram from its header on when the kernel handed it over
    /// (IPv4 in both modes, IPv6 in layer 3); empty otherwise.
    bytes datagram{};
    ip_address source{};      ///< the sender (with scope for IPv6 link-local)
    ip_address destination{}; ///< the address it was sent to (unspecified when the kernel did not say)
    /// The TTL / hop limit and the TOS / traffic class it arrived with.
    std::uint8_t hop_limit = 0;
    std::uint8_t traffic_class = 0; ///< see hop_limit
    /// The interface it came in on (0: unknown).
    std::uint32_t ifindex = 0;
};

/// A received packet with a view laid over packet::data.
template <class View>
struct typed_packet {
    View view;                                 ///< the view, already checked
    const transport::packet* packet = nullptr; ///< the packet it was read from (addresses, hop limit, interface)
};

/// Counters of a channel since it was opened.
struct stats {
    std::uint64_t received = 0;    ///< packets handed out (typed or not)
    std::uint64_t malformed = 0;   ///< packets skipped or reported as malformed
    std::uint64_t sent = 0;        ///< packets sent whole
    std::uint64_t send_failed = 0; ///< send_to() calls that failed
};

template <class View>
class packet_range;

/// A raw layer-3/4 channel (raw(7) sockets): sends and receives one IP protocol's messages, or whole datagrams, without
/// a link layer. Move-only; one thread at a time.
class channel {
public:
    /// A closed channel: every call fails with errc::io, step::receive/send.
    channel() noexcept;
    ~channel();
    /// Takes over `other`'s sockets; `other` is left closed.
    channel(channel&&) noexcept;
    /// Closes this channel, then takes over `other`'s sockets.
    channel& operator=(channel&&) noexcept;
    channel(const channel&) = delete;
    channel& operator=(const channel&) = delete;

    /// False for a default-constructed or moved-from channel.
    [[nodiscard]] bool is_open() const noexcept { return impl_ != nullptr; }

    /// The next packet of the protocol, waiting up to `wait`; nullptr when
    /// none came in time or a signal interrupted the wait.
    [[nodiscard]] result<const packet*> next(timeout wait = forever);

    /// The next packet that View::checked() accepts over packet::data,
    /// waiting up to `wait` in all (skipped packets do not restart it);
    /// nullopt on timeout.
    template <class View>
    [[nodiscard]] result<std::optional<typed_packet<View>>> next_as(timeout wait = forever);

    /// Typed packets until one call waits `wait` in vain (or fails: see
    /// packet_range::error()): `for (auto& p : ch.packets<icmpv4::view>(1s))`.
    template <class View>
    [[nodiscard]] packet_range<View> packets(timeout wait);

    /// Sends a message (layer 4) or a whole datagram (layer 3) to `to`,
    /// whose family must be the channel's (errc::bad_value,
    /// step::address_family).
    [[nodiscard]] status send_to(bytes message, const ip_address& to);
    /// The same with any view (its whole buffer).
    template <class View>
    requires requires(const View& v) { bytes{v.buffer()}; }
    [[nodiscard]] status send_to(const View& v, const ip_address& to) { return send_to(bytes{v.buffer()}, to); }

    /// Changes the TTL / hop limit and the TOS / traffic class of the
    /// packets sent from now on (layer 4).
    [[nodiscard]] status set_hop_limit(std::uint8_t ttl);
    /// The same for the TOS / traffic class byte.
    [[nodiscard]] status set_traffic_class(std::uint8_t tos);
    /// Replaces the kernel filter (an empty filter passes everything; see
    /// config::filter). On a compile error *message gets libpcap's text.
    [[nodiscard]] status set_filter(const datalink::filter& f, std::string* message = nullptr);

    /// Waits until a packet can be read: false on timeout.
    [[nodiscard]] result<bool> wait_readable(timeout wait);
    /// The receive descriptor (O_NONBLOCK), for poll/epoll; -1 when closed.
    [[nodiscard]] int native_handle() const noexcept;
    /// The send descriptor: native_handle() except for IPv6 layer 3, which
    /// receives through a packet socket.
    [[nodiscard]] int send_handle() const noexcept;

    /// Counters since open.
    [[nodiscard]] transport::stats stats() const noexcept;
    /// The IP version, as configured.
    [[nodiscard]] transport::family family() const noexcept;
    /// The mode, as configured.
    [[nodiscard]] transport::mode mode() const noexcept;
    /// The IP protocol, as configured.
    [[nodiscard]] ip_proto protocol() const noexcept;

private:
    friend result<channel> open(const config&, std::string*);
    struct impl;
    struct impl_deleter {
        void operator()(impl* p) const noexcept;
    };
    /// Counts a malformed packet; true when it is to be reported.
    bool count_malformed() noexcept;
    /// The deadline arithmetic of next_as: the wait left after `started`.
    [[nodiscard]] static timeout remaining(timeout wait, std::int64_t started_ns) noexcept;
    [[nodiscard]] static std::int64_t now_ns() noexcept;

    std::unique_ptr<impl, impl_deleter> impl_;
};

/// Opens a channel. On failure the error says why (see errors.hpp); when
/// `message` is given it also gets a sentence for the user (describe(),
/// plus libpcap's text for a filter that does not compile).
[[nodiscard]] result<channel> open(const config& c, std::string* message = nullptr);

template <class View>
result<std::optional<typed_packet<View>>> channel::next_as(timeout wait) {
    const std::int64_t started = now_ns();
    for (;;) {
        const result<const packet*> p = next(remaining(wait, started));
        if (!p) return p.error();
        if (*p == nullptr) return std::optional<typed_packet<View>>{};
        const auto v = View::checked((*p)->data);
        if (v) return std::optional<typed_packet<View>>{typed_packet<View>{*v, *p}};
        if (count_malformed()) return v.error();
    }
}

/// An input range of typed packets (see channel::packets).
template <class View>
class packet_range {
public:
    struct sentinel {};
    /// Input iterator: ++ waits for the next typed packet.
    class iterator {
    public:
        using value_type = typed_packet<View>;  ///< a received packet with its view
        using difference_type = std::ptrdiff_t; ///< required by std::input_iterator; never used
        /// The current packet; valid until the next ++.
        const typed_packet<View>& operator*() const noexcept { return *r_->current_; }
        /// Member access to the current packet.
        const typed_packet<View>* operator->() const noexcept { return &*r_->current_; }
        /// Waits for the next packet (at the end on timeout or error).
        iterator& operator++() {
            r_->advance();
            return *this;
        }
        /// Waits for the next packet (see the prefix form).
        void operator++(int) { r_->advance(); }
        friend bool operator==(const iterator& i, sentinel) noexcept { return i.at_end(); }

    private:
        friend class packet_range;
        explicit iterator(packet_range* r) noexcept : r_(r) {}
        [[nodiscard]] bool at_end() const noexcept { return !r_->current_; }
        packet_range* r_;
    };

    /// Packets of `ch` until a wait of `wait` passes in vain; `ch` must outlive the range.
    packet_range(channel& ch, timeout wait) noexcept : ch_(&ch), wait_(wait) {}
    /// Waits for the first packet.
    iterator begin() {
        advance();
        return iterator{this};
    }
    /// Compares equal to the iterator once a wait timed out or failed.
    sentinel end() const noexcept { return {}; }
    /// Why the iteration stopped early: nullptr when a call timed out.
    [[nodiscard]] const rawpkt::error* error() const noexcept { return failed_ ? &error_ : nullptr; }

private:
    void advance() {
        auto r = ch_->next_as<View>(wait_);
        if (r) {
            current_ = *r;
            return;
        }
        current_.reset();
        error_ = r.error();
        failed_ = true;
    }
    channel* ch_;
    timeout wait_;
    std::optional<typed_packet<View>> current_{};
    rawpkt::error error_{};
    bool failed_ = false;
};

template <class View>
packet_range<View> channel::packets(timeout wait) {
    return packet_range<View>{*this, wait};
}

/// The source address the kernel picks for packets to `to` (the route's
/// preferred source): what an IPv4 TCP or UDP checksum's pseudo header
/// needs in layer 4. Nothing is sent. errc::not_found, step::route when
/// there is no route.
[[nodiscard]] result<ip_address> source_address(const ip_address& to);

/// Waits until `fd` (any channel's native_handle(), datalink or transport)
/// is readable: false on timeout or a signal. For event loops that wait on
/// one descriptor without a receive call.
[[nodiscard]] result<bool> wait_readable(int fd, timeout wait);
/// The same for writable (room in the socket buffer or TX ring).
[[nodiscard]] result<bool> wait_writable(int fd, timeout wait);

} // namespace rawpkt::transport
