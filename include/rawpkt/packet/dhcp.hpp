// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// DHCPv4 (RFC 2131 §2: the BOOTP header, the magic cookie, RFC 2132
/// options) and DHCPv6 (RFC 8415 §8 messages, §21 options).
///
/// Contract: after `dhcp::view::checked(b)` succeeds the fixed BOOTP header
/// and the magic cookie are there; `options()` walks the options after the
/// cookie with detail::tlv_range, checking each length, so no item reads
/// outside the message. Pad (0) is a one-byte option, End (255) ends the
/// list. When the options field holds Option Overload (52, RFC 2132 §9.3),
/// the list goes on in the `file` field, then in `sname` (RFC 2131 §4.1),
/// each again up to End or the field's end. Typed readers cover the common
/// options (message type, requested address, server identifier, lease
/// time, router, DNS servers, host name, parameter request list).
/// `dhcpv6::view` works the same way over the 4-byte client/server header;
/// `dhcpv6::relay_view` over the 34-byte relay header (RFC 8415 §9), whose
/// Relay Message option (9) carries the relayed message.
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
inline constexpr std::uint8_t overload = 52;       ///< the file and sname fields hold options too (§9.3)
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
/// The options of one field (options, file or sname).
using option_range = detail::tlv_range<option_traits>;

/// Option Overload's values (RFC 2132 §9.3): which fields hold options too.
namespace overload {
inline constexpr std::uint8_t file = 1;  ///< the `file` field holds options
inline constexpr std::uint8_t sname = 2; ///< the `sname` field holds options (3: both, `file` first)
} // namespace overload

/// Every option of a message, as the file comment says: the options field,
/// then `file` and `sname` as Option Overload (found in the options field)
/// names them. Yields the error that ends a field's list, and nothing after.
class option_list {
public:
    /// Input iterator over the options of all fields: ++ parses the next
    /// one, moving on to `file` and `sname` when the options field says so.
    class iterator {
    public:
        using value_type = result<option>;      ///< an option or the error that ends the list
        using difference_type = std::ptrdiff_t; ///< required by std::input_iterator; never used

        constexpr iterator() noexcept = default;
        /// At the first option of message `msg` (at least header_len bytes long).
        constexpr explicit iterator(bytes msg) noexcept
            : msg_(msg), it_(option_range{msg.subspan(header_len), header_len}.begin()) {
            settle();
        }

        /// The current option or its error.
        constexpr const result<option>& operator*() const noexcept { return *it_; }
        /// Member access to the current result.
        constexpr const result<option>* operator->() const noexcept { return &*it_; }
        /// Moves to the next option, in the next overloaded field after a
        /// field's End; after an error or the last field the iterator is at the end.
        constexpr iterator& operator++() noexcept {
            const result<option>& cur = *it_;
            if (!cur) {
                done_ = true;
                return *this;
            }
            // Only the options field may say where options continue.
            if (field_ == 0 && cur->code == option_code::overload && cur->data.size() == 1) {
                overload_ = std::to_integer<std::uint8_t>(cur->data[0]);
            }
            ++it_;
            settle();
            return *this;
        }
        /// Moves to the next option (see the prefix form).
        constexpr iterator operator++(int) noexcept {
            iterator t = *this;
            ++*this;
            return t;
        }
        friend constexpr bool operator==(const iterator& a, std::default_sentinel_t) noexcept { return a.done_; }

    private:
        /// Past the end of a field's list: on to the next field that holds
        /// options, or done.
        constexpr void settle() noexcept {
            while (!done_ && it_ == std::default_sentinel) {
                if (field_ == 0 && (overload_ & overload::file) != 0) {
                    field_ = 1;
                    it_ = option_range{msg_.subspan(field::file.begin, field::file.size()), field::file.begin}.begin();
                } else if (field_ <= 1 && (overload_ & overload::sname) != 0) {
                    field_ = 2;
                    it_ =
                        option_range{msg_.subspan(field::sname.begin, field::sname.size()), field::sname.begin}.begin();
                } else {
                    done_ = true;
                }
            }
        }
        bytes msg_{};
        option_range::iterator it_{};
        unsigned field_ = 0; ///< 0 options, 1 file, 2 sname
        std::uint8_t overload_ = 0;
        bool done_ = false;
    };

    /// The options of message `msg`, which holds at least header_len bytes
    /// (as after basic_view::checked()) and must outlive the list and its options.
    constexpr explicit option_list(bytes msg) noexcept : msg_(msg) {}
    /// At the first option of the options field.
    [[nodiscard]] constexpr iterator begin() const noexcept { return iterator{msg_}; }
    /// Compares equal to the iterator after the last field's list or an error.
    [[nodiscard]] constexpr std::default_sentinel_t end() const noexcept { return {}; }
    /// The first error among the options, if any.
    [[nodiscard]] constexpr status validate() const noexcept {
        for (const auto& o : *this)
            if (!o) return o.error();
        return {};
    }

private:
    bytes msg_;
};

/// Zero-copy view of a DHCPv4 (BOOTP) message: the fixed header and the
/// options after the magic cookie. See the file comment for the bounds contract.
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
    /// Every option, in the overloaded fields too (see option_list).
    [[nodiscard]] constexpr option_list options() const noexcept { return option_list{bytes{this->buf_}}; }
    /// The options field alone.
    [[nodiscard]] constexpr option_range options_field() const noexcept {
        return {this->buf_.subspan(header_len), header_len};
    }
    /// Option Overload's value (RFC 2132 §9.3), when the options field holds it.
    [[nodiscard]] constexpr std::optional<std::uint8_t> overload() const noexcept {
        for (const auto& o : options_field()) {
            if (!o) return std::nullopt;
            if (o->code == option_code::overload && o->data.size() == 1)
                return std::to_integer<std::uint8_t>(o->data[0]);
        }
        return std::nullopt;
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

/// Relay message layout, RFC 8415 §9.
namespace relay_field {
inline constexpr std::size_t msg_type = 0;        ///< msg-type: RELAY-FORW (12) or RELAY-REPL (13)
inline constexpr std::size_t hop_count = 1;       ///< relay agents that relayed this message before
inline constexpr byte_range link_address{2, 18};  ///< link-address: identifies the client's link, or ::
inline constexpr byte_range peer_address{18, 34}; ///< peer-address: the client's or the previous relay's
} // namespace relay_field
/// Bytes of the relay header before its options (34).
inline constexpr std::size_t relay_header_len = relay_field::peer_address.end;

/// Option codes rawpkt reads (RFC 8415 §21).
namespace option_code {
inline constexpr std::uint16_t relay_message = 9; ///< the relayed message (§21.10)
inline constexpr std::uint16_t interface_id = 18; ///< the relay's name for the client's interface (§21.18)
} // namespace option_code

/// True for Relay-forward and Relay-reply, whose layout is relay_view's.
[[nodiscard]] constexpr bool is_relay(std::uint8_t msg_type) noexcept {
    return msg_type == relay_forward || msg_type == relay_reply;
}

/// One DHCPv6 option (RFC 8415 §21.1): option-code, option-len,
/// option-data. It refers into the message, whose bytes must outlive it.
struct option {
    std::uint16_t code = 0; ///< option-code (see option_code)
    std::size_t offset = 0; ///< from the start of the message
    bytes data{};           ///< option-data, option-len bytes inside the message
    std::size_t length = 0; ///< bytes taken: option_header_len + data.size()
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
    /// Client/server messages only: relay messages (12, 13) have another
    /// layout (relay_view), and are refused here as errc::unsupported.
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

/// A Relay-forward or Relay-reply message (RFC 8415 §9): after checked()
/// the 34-byte header is there; options are checked as they are walked.
template <byte_span Buf>
class basic_relay_view : public detail::view_base<Buf> {
public:
    constexpr basic_relay_view() noexcept = default;
    /// A view of `b` without checks, for buffers the caller sized.
    [[nodiscard]] static constexpr basic_relay_view unchecked(Buf b) noexcept { return basic_relay_view{b}; }
    /// A view of `b` when it holds the 34-byte relay header of a RELAY-FORW
    /// or RELAY-REPL; errc::truncated or errc::bad_value otherwise.
    [[nodiscard]] static constexpr result<basic_relay_view> checked(Buf b) noexcept {
        if (b.size() < relay_header_len) {
            return error::truncated(layer::dhcpv6, length_source::fixed_header, 0, relay_header_len, b.size());
        }
        const basic_relay_view v{b};
        if (!is_relay(v.msg_type())) {
            return error::invalid(layer::dhcpv6, errc::bad_value, length_source::none, 0, relay_forward, v.msg_type());
        }
        return v;
    }
    /// msg-type: 12 RELAY-FORW (towards the server), 13 RELAY-REPL (towards the client).
    [[nodiscard]] constexpr std::uint8_t msg_type() const noexcept { return this->u8(relay_field::msg_type); }
    /// Relay agents this message went through before this one.
    [[nodiscard]] constexpr std::uint8_t hop_count() const noexcept { return this->u8(relay_field::hop_count); }
    /// The client's link (a global or unique-local address), or :: (RFC 8415 §9.1).
    [[nodiscard]] constexpr ipv6_address link_address() const noexcept {
        return ipv6_address::load(this->buf_, relay_field::link_address.begin);
    }
    /// The client's or the previous relay's address.
    [[nodiscard]] constexpr ipv6_address peer_address() const noexcept {
        return ipv6_address::load(this->buf_, relay_field::peer_address.begin);
    }
    /// The options after the relay header (RFC 8415 §9): iterate for `result<option>`.
    [[nodiscard]] constexpr option_range options() const noexcept {
        return {this->buf_.subspan(relay_header_len), relay_header_len};
    }
    /// The relayed message: the data of the Relay Message option (RFC 8415
    /// §21.10), itself a client/server message or another relay message.
    /// An error when an option before it is malformed or it is missing.
    [[nodiscard]] constexpr result<bytes> relay_message() const noexcept {
        for (const auto& o : options()) {
            if (!o) return o.error();
            if (o->code == option_code::relay_message) return o->data;
        }
        return error::invalid(layer::dhcpv6, errc::not_found, length_source::none, relay_header_len,
                              option_code::relay_message, 0);
    }

    /// Sets the field hop_count() reads.
    constexpr void set_hop_count(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_u8(relay_field::hop_count, v);
    }

private:
    constexpr explicit basic_relay_view(Buf b) noexcept : detail::view_base<Buf>(b) {}
};

/// A read-only DHCPv6 relay view over received bytes.
using relay_view = basic_relay_view<bytes>;
/// A writable DHCPv6 relay view: set_hop_count() is enabled, for editing in place.
using mut_relay_view = basic_relay_view<mut_bytes>;

/// How many relay messages innermost() unwraps at most.
inline constexpr unsigned max_relay_depth = 32;

/// The client/server message inside any number of relay messages (up to
/// max_relay_depth), with the relay headers it went through counted in
/// `depth`; the first error on the way otherwise.
[[nodiscard]] constexpr result<view> innermost(bytes msg, unsigned* depth = nullptr) noexcept {
    std::size_t base = 0;
    for (unsigned d = 0;; ++d) {
        if (msg.empty()) return error::truncated(layer::dhcpv6, length_source::fixed_header, base, header_len, 0);
        if (!is_relay(load_u8(msg, 0))) {
            if (depth != nullptr) *depth = d;
            const auto v = view::checked(msg);
            if (!v) return v.error().rebased(base);
            return *v;
        }
        if (d == max_relay_depth) {
            return error::invalid(layer::dhcpv6, errc::too_many, length_source::none, base, max_relay_depth, d + 1);
        }
        const auto r = relay_view::checked(msg);
        if (!r) return r.error().rebased(base);
        const auto inner = r->relay_message();
        if (!inner) return inner.error().rebased(base);
        base += static_cast<std::size_t>(inner->data() - msg.data());
        msg = *inner;
    }
}

} // namespace rawpkt::dhcpv6
