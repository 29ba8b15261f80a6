// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// DHCPv4 (RFC 2131 §2: the BOOTP header, the magic cookie, RFC 2132
/// options) and DHCPv6 (RFC 8415 §8 messages, §21 options).
///
/// Contract: after `dhcp::view::checked(b)` succeeds the fixed BOOTP header
/// and the magic cookie are there; `options()` walks the options after the
/// cookie with detail::tlv_range, checking each length, so no item reads
/// outside the message. Pad (0) is a one-byte option, End (255) ends the
/// list. Typed readers cover the common options (message type, requested
/// address, server identifier, lease time, router, DNS servers, host name,
/// parameter request list). `dhcpv6::view` works the same way over the
/// 4-byte client/server header (relay messages are not decoded further).
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/tlv.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace rawpkt::dhcp {

/// Message layout, RFC 2131 §2 (figure 1).
namespace field {
inline constexpr std::size_t op = 0;                ///< 1 BOOTREQUEST, 2 BOOTREPLY
inline constexpr std::size_t htype = 1;             ///< hardware address type (ARP's: 1 Ethernet)
inline constexpr std::size_t hlen = 2;              ///< hardware address length (6 for Ethernet)
inline constexpr std::size_t hops = 3;              ///< relay agents crossed
inline constexpr byte_range xid{4, 8};              ///< transaction ID, chosen by the client
inline constexpr byte_range secs{8, 10};            ///< seconds since the client began
inline constexpr byte_range flags{10, 12};          ///< the B (broadcast) bit, then zeros
inline constexpr byte_range ciaddr{12, 16};         ///< client IP address, when it has one
inline constexpr byte_range yiaddr{16, 20};         ///< "your" address: what the server assigns
inline constexpr byte_range siaddr{20, 24};         ///< next server (boot file)
inline constexpr byte_range giaddr{24, 28};         ///< relay agent address
inline constexpr byte_range chaddr{28, 44};         ///< client hardware address, 16 bytes
inline constexpr byte_range sname{44, 108};         ///< server host name, NUL-terminated
inline constexpr byte_range file{108, 236};         ///< boot file name, NUL-terminated
inline constexpr byte_range magic_cookie{236, 240}; ///< 99.130.83.99, options follow (RFC 2131 §3)
} // namespace field

/// Bytes before the options: the BOOTP header and the magic cookie.
inline constexpr std::size_t header_len = field::magic_cookie.end; // 240
/// The magic cookie (RFC 2131 §3): options in RFC 2132 format follow.
inline constexpr std::uint32_t magic = 0x63825363;

/// Option codes rawpkt reads (RFC 2132).
namespace option_code {
inline constexpr std::uint8_t pad = 0;             ///< one byte of padding (§3.1)
inline constexpr std::uint8_t subnet_mask = 1;     ///< the client's subnet mask (§3.3)
inline constexpr std::uint8_t router = 3;          ///< routers on the subnet, in order of preference (§3.5)
inline constexpr std::uint8_t dns_servers = 6;     ///< DNS servers (§3.8)
inline constexpr std::uint8_t host_name = 12;      ///< the client's name (§3.14)
inline constexpr std::uint8_t requested_ip = 50;   ///< the address the client asks for (§9.1)
inline constexpr std::uint8_t lease_time = 51;     ///< lease time in seconds (§9.2)
inline constexpr std::uint8_t message_type = 53;   ///< DHCP message type (§9.6)
inline constexpr std::uint8_t server_id = 54;      ///< the server's identifier, an address (§9.7)
inline constexpr std::uint8_t parameter_list = 55; ///< option codes the client asks for (§9.8)
inline constexpr std::uint8_t end = 255;           ///< end of the options (§3.2)
} // namespace option_code

/// One DHCPv4 option (RFC 2132 §2), with typed readers for the common ones.
struct option {
    std::uint8_t code = 0;  ///< the option code (see option_code)
    std::size_t offset = 0; ///< from the start of the message
    bytes data{};           ///< the value (empty for Pad and End)
    std::size_t length = 0; ///< bytes the option takes (1 for Pad and End)

    /// Message type (option 53: 1 Discover ... 8 Inform, RFC 2132 §9.6).
    [[nodiscard]] constexpr std::optional<std::uint8_t> message_type() const noexcept {
        if (code != option_code::message_type || data.size() != 1) return std::nullopt;
        return std::to_integer<std::uint8_t>(data[0]);
    }
    /// One address (options 50, 54, 1).
    [[nodiscard]] constexpr std::optional<ipv4_address> address() const noexcept {
        if (data.size() != 4) return std::nullopt;
        return ipv4_address::load(data, 0);
    }
    /// A list of addresses (options 3, 6): the n-th, if there.
    [[nodiscard]] constexpr std::optional<ipv4_address> address(std::size_t n) const noexcept {
        if (data.size() % 4 != 0 || n >= data.size() / 4) return std::nullopt;
        return ipv4_address::load(data, 4 * n);
    }
    /// Seconds (option 51).
    [[nodiscard]] constexpr std::optional<std::uint32_t> seconds() const noexcept {
        if (data.size() != 4) return std::nullopt;
        return load_be<std::uint32_t>(data, 0);
    }
    /// Text (option 12); the parameter request list (55) is `data` itself.
    [[nodiscard]] std::string_view text() const noexcept {
        return {reinterpret_cast<const char*>(data.data()), data.size()};
    }
};

/// Reads the option at `at` of the options area `area`, which starts
/// `base` bytes into the message; errc::truncated when its length runs past
/// the area.
[[nodiscard]] constexpr result<option> parse_option(bytes area, std::size_t at, std::size_t base) noexcept {
    const auto code = std::to_integer<std::uint8_t>(area[at]);
    if (code == option_code::pad || code == option_code::end) return option{code, base + at, {}, 1};
    if (at + 2 > area.size()) {
        return error::truncated(layer::dhcp, length_source::option_length, base + at, 2, area.size() - at);
    }
    const std::size_t len = std::to_integer<std::uint8_t>(area[at + 1]);
    if (at + 2 + len > area.size()) {
        return error::truncated(layer::dhcp, length_source::option_length, base + at, 2 + len, area.size() - at);
    }
    return option{code, base + at, area.subspan(at + 2, len), 2 + len};
}

/// How the options are walked: each by parse_option(), ending after End.
struct option_traits {
    using item = option;                        ///< what the range yields
    static constexpr auto parse = parse_option; ///< reads one option
    /// True for End, after which nothing is read.
    [[nodiscard]] static constexpr bool ends_list(const option& o) noexcept { return o.code == option_code::end; }
};
/// Iterates the options. Yields `result<option>`: a malformed option yields
/// its error and ends the iteration. Stops after End.
using option_range = detail::tlv_range<option_traits>;

/// Zero-copy view of a DHCPv4 message; see the file comment for the bounds
/// contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
public:
    constexpr basic_view() noexcept = default;
    /// A view of `b` without checks, for buffers the caller sized.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }
    /// A view of `b` when it holds the 240-byte header with the magic
    /// cookie; errc::truncated or errc::bad_value otherwise.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < header_len) {
            return error::truncated(layer::dhcp, length_source::fixed_header, 0, header_len, b.size());
        }
        const basic_view v{b};
        if (v.cookie() != magic) {
            return error::invalid(layer::dhcp, errc::bad_value, length_source::none, field::magic_cookie.begin, magic,
                                  v.cookie());
        }
        return v;
    }

    /// op: 1 BOOTREQUEST (client to server), 2 BOOTREPLY.
    [[nodiscard]] constexpr std::uint8_t op() const noexcept { return this->u8(field::op); }
    /// htype: hardware address type (1 Ethernet).
    [[nodiscard]] constexpr std::uint8_t htype() const noexcept { return this->u8(field::htype); }
    /// hlen: hardware address length in bytes (6 for Ethernet).
    [[nodiscard]] constexpr std::uint8_t hlen() const noexcept { return this->u8(field::hlen); }
    /// hops: relay agents crossed.
    [[nodiscard]] constexpr std::uint8_t hops() const noexcept { return this->u8(field::hops); }
    /// xid: the transaction ID, chosen by the client.
    [[nodiscard]] constexpr std::uint32_t xid() const noexcept { return this->u32(field::xid.begin); }
    /// secs: seconds since the client began acquiring an address.
    [[nodiscard]] constexpr std::uint16_t secs() const noexcept { return this->u16(field::secs.begin); }
    /// The flags word.
    [[nodiscard]] constexpr std::uint16_t flags() const noexcept { return this->u16(field::flags.begin); }
    /// B: the client asks for broadcast replies (RFC 2131 §4.1).
    [[nodiscard]] constexpr bool broadcast() const noexcept { return (flags() & 0x8000) != 0; }
    /// ciaddr: the client's address, when it already has one.
    [[nodiscard]] constexpr ipv4_address ciaddr() const noexcept { return ipv4_address::load(this->buf_, 12); }
    /// yiaddr: the address the server offers or assigns.
    [[nodiscard]] constexpr ipv4_address yiaddr() const noexcept { return ipv4_address::load(this->buf_, 16); }
    /// siaddr: the next server to use (boot file).
    [[nodiscard]] constexpr ipv4_address siaddr() const noexcept { return ipv4_address::load(this->buf_, 20); }
    /// giaddr: the relay agent's address (0: not relayed).
    [[nodiscard]] constexpr ipv4_address giaddr() const noexcept { return ipv4_address::load(this->buf_, 24); }
    /// The client hardware address as a MAC (when hlen is 6).
    [[nodiscard]] constexpr mac_address client_mac() const noexcept { return mac_address::load(this->buf_, 28); }
    /// The magic cookie: `magic` in a view checked() accepted.
    [[nodiscard]] constexpr std::uint32_t cookie() const noexcept { return this->u32(field::magic_cookie.begin); }
    /// The options after the cookie: iterate for `result<option>`.
    [[nodiscard]] constexpr option_range options() const noexcept {
        return {this->buf_.subspan(header_len), header_len};
    }
    /// The first option with this code that parses, if any.
    [[nodiscard]] constexpr std::optional<option> find(std::uint8_t code) const noexcept {
        for (const auto& o : options()) {
            if (!o) return std::nullopt;
            if (o->code == code) return *o;
        }
        return std::nullopt;
    }
    /// The DHCP message type (option 53: 1 DHCPDISCOVER ... 8 DHCPINFORM), if present.
    [[nodiscard]] constexpr std::optional<std::uint8_t> message_type() const noexcept {
        const auto o = find(option_code::message_type);
        return o ? o->message_type() : std::nullopt;
    }

    /// Sets the field xid() reads.
    constexpr void set_xid(std::uint32_t v) noexcept requires writable<Buf> { this->set_u32(field::xid.begin, v); }

private:
    constexpr explicit basic_view(Buf b) noexcept : detail::view_base<Buf>(b) {}
};

/// A read-only DHCP view over received bytes.
using view = basic_view<bytes>;
/// A writable DHCP view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

} // namespace rawpkt::dhcp

namespace rawpkt::dhcpv6 {

/// Bytes of the client/server header: msg-type and transaction-id (RFC 8415 §8).
inline constexpr std::size_t header_len = 4;
/// Bytes of an option header: option-code and option-len (RFC 8415 §21.1).
inline constexpr std::size_t option_header_len = 4;

/// Message types (RFC 8415 §7.3); 12 and 13 are relay messages.
inline constexpr std::uint8_t relay_forward = 12; ///< RELAY-FORW
inline constexpr std::uint8_t relay_reply = 13;   ///< RELAY-REPL

/// One DHCPv6 option (RFC 8415 §21.1).
struct option {
    std::uint16_t code = 0; ///< option-code
    std::size_t offset = 0; ///< where the option starts, from the start of the message
    bytes data{};           ///< option-data, option-len bytes
    std::size_t length = 0; ///< bytes the option takes, its 4-byte header included
};

/// Reads the option at `at` of the options area `area`, which starts
/// `base` bytes into the message; errc::truncated when its length runs past
/// the area.
[[nodiscard]] constexpr result<option> parse_option(bytes area, std::size_t at, std::size_t base) noexcept {
    if (at + option_header_len > area.size()) {
        return error::truncated(layer::dhcpv6, length_source::option_length, base + at, option_header_len,
                                area.size() - at);
    }
    const std::size_t len = load_be<std::uint16_t>(area, at + 2);
    if (at + option_header_len + len > area.size()) {
        return error::truncated(layer::dhcpv6, length_source::option_length, base + at, option_header_len + len,
                                area.size() - at);
    }
    return option{load_be<std::uint16_t>(area, at), base + at, area.subspan(at + option_header_len, len),
                  option_header_len + len};
}

/// How the options are walked: each by parse_option(), to the end.
struct option_traits {
    using item = option;                        ///< what the range yields
    static constexpr auto parse = parse_option; ///< reads one option
};
/// Iterates the options. Yields `result<option>`: a malformed option yields
/// its error and ends the iteration.
using option_range = detail::tlv_range<option_traits>;

/// Zero-copy view of a DHCPv6 client/server message; see the file comment.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
public:
    constexpr basic_view() noexcept = default;
    /// A view of `b` without checks, for buffers the caller sized.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }
    /// Client/server messages only: relay messages (12, 13) have another layout.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < header_len) {
            return error::truncated(layer::dhcpv6, length_source::fixed_header, 0, header_len, b.size());
        }
        const basic_view v{b};
        if (v.msg_type() == relay_forward || v.msg_type() == relay_reply) {
            return error::invalid(layer::dhcpv6, errc::unsupported, length_source::none, 0, 0, v.msg_type());
        }
        return v;
    }
    /// msg-type: 1 SOLICIT, 2 ADVERTISE, 3 REQUEST, ... (RFC 8415 §7.3).
    [[nodiscard]] constexpr std::uint8_t msg_type() const noexcept { return this->u8(0); }
    /// transaction-id, 24 bits: matches a reply to its request.
    [[nodiscard]] constexpr std::uint32_t transaction_id() const noexcept { return this->u24(1); }
    /// The options after the header: iterate for `result<option>`.
    [[nodiscard]] constexpr option_range options() const noexcept {
        return {this->buf_.subspan(header_len), header_len};
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : detail::view_base<Buf>(b) {}
};

/// A read-only DHCPv6 view over received bytes.
using view = basic_view<bytes>;
/// A writable DHCPv6 view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

} // namespace rawpkt::dhcpv6
