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

namespace field { // RFC 2131 §2, figure 1
inline constexpr std::size_t op = 0, htype = 1, hlen = 2, hops = 3;
inline constexpr byte_range xid{4, 8};
inline constexpr byte_range secs{8, 10};
inline constexpr byte_range flags{10, 12};
inline constexpr byte_range ciaddr{12, 16};
inline constexpr byte_range yiaddr{16, 20};
inline constexpr byte_range siaddr{20, 24};
inline constexpr byte_range giaddr{24, 28};
inline constexpr byte_range chaddr{28, 44};
inline constexpr byte_range sname{44, 108};
inline constexpr byte_range file{108, 236};
inline constexpr byte_range magic_cookie{236, 240}; // RFC 2131 §3
} // namespace field

inline constexpr std::size_t header_len = field::magic_cookie.end; // 240
inline constexpr std::uint32_t magic = 0x63825363;

/// Option codes rawpkt reads (RFC 2132).
namespace option_code {
inline constexpr std::uint8_t pad = 0, subnet_mask = 1, router = 3, dns_servers = 6, host_name = 12, requested_ip = 50,
                              lease_time = 51, message_type = 53, server_id = 54, parameter_list = 55, end = 255;
} // namespace option_code

struct option {
    std::uint8_t code = 0;
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

struct option_traits {
    using item = option;
    static constexpr auto parse = parse_option;
    [[nodiscard]] static constexpr bool ends_list(const option& o) noexcept { return o.code == option_code::end; }
};
using option_range = detail::tlv_range<option_traits>;

template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
public:
    constexpr basic_view() noexcept = default;
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }
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

    [[nodiscard]] constexpr std::uint8_t op() const noexcept { return this->u8(field::op); }
    [[nodiscard]] constexpr std::uint8_t htype() const noexcept { return this->u8(field::htype); }
    [[nodiscard]] constexpr std::uint8_t hlen() const noexcept { return this->u8(field::hlen); }
    [[nodiscard]] constexpr std::uint8_t hops() const noexcept { return this->u8(field::hops); }
    [[nodiscard]] constexpr std::uint32_t xid() const noexcept { return this->u32(field::xid.begin); }
    [[nodiscard]] constexpr std::uint16_t secs() const noexcept { return this->u16(field::secs.begin); }
    [[nodiscard]] constexpr std::uint16_t flags() const noexcept { return this->u16(field::flags.begin); }
    [[nodiscard]] constexpr bool broadcast() const noexcept { return (flags() & 0x8000) != 0; }
    [[nodiscard]] constexpr ipv4_address ciaddr() const noexcept { return ipv4_address::load(this->buf_, 12); }
    [[nodiscard]] constexpr ipv4_address yiaddr() const noexcept { return ipv4_address::load(this->buf_, 16); }
    [[nodiscard]] constexpr ipv4_address siaddr() const noexcept { return ipv4_address::load(this->buf_, 20); }
    [[nodiscard]] constexpr ipv4_address giaddr() const noexcept { return ipv4_address::load(this->buf_, 24); }
    /// The client hardware address as a MAC (when hlen is 6).
    [[nodiscard]] constexpr mac_address client_mac() const noexcept { return mac_address::load(this->buf_, 28); }
    [[nodiscard]] constexpr std::uint32_t cookie() const noexcept { return this->u32(field::magic_cookie.begin); }
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

inline constexpr std::size_t header_len = 4; // msg-type and transaction-id (RFC 8415 §8)
inline constexpr std::size_t option_header_len = 4;

/// Message types (RFC 8415 §7.3); 12 and 13 are relay messages.
inline constexpr std::uint8_t relay_forward = 12, relay_reply = 13;

struct option { // RFC 8415 §21.1
    std::uint16_t code = 0;
    std::size_t offset = 0;
    bytes data{};
    std::size_t length = 0;
};

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

struct option_traits {
    using item = option;
    static constexpr auto parse = parse_option;
};
using option_range = detail::tlv_range<option_traits>;

template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
public:
    constexpr basic_view() noexcept = default;
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
    [[nodiscard]] constexpr std::uint8_t msg_type() const noexcept { return this->u8(0); }
    [[nodiscard]] constexpr std::uint32_t transaction_id() const noexcept { return this->u24(1); }
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
