// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861) message view, NDP
/// options iterator and reprs.
///
/// A view's buffer is exactly one ICMPv6 message: the upper-layer bytes of
/// its IPv6 packet (ICMPv6 has no length field of its own; the checksum
/// covers the whole buffer).
///
/// Contract: `view::checked(b)` validates the 8-byte header every message
/// has (RFC 4443 §2.1) and the fixed part of the message's own type
/// (min_message_len()); after it, no accessor reads out of bounds.
/// Accessors that belong to other message types never read out of bounds
/// either: past the buffer they return zero (or an empty span), and the
/// matching setters write nothing. No setter voids the guarantee.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/checksum.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/ipv6.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/tlv.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>

namespace rawpkt::icmpv6 {

/// The address type of target() and destination().
using address = ipv6_address;

/// Message types (RFC 4443 §2.1, IANA "ICMPv6 Parameters"). Values below
/// 128 are errors.
enum class message_type : std::uint8_t {
    destination_unreachable = 1, ///< RFC 4443 §3.1
    packet_too_big = 2,          ///< §3.2
    time_exceeded = 3,           ///< §3.3
    parameter_problem = 4,       ///< §3.4
    echo_request = 128,          ///< §4.1
    echo_reply = 129,            ///< §4.2
    mld_query = 130,             ///< RFC 2710 §3
    mld_report = 131,
    mld_done = 132,
    router_solicit = 133,   ///< RFC 4861 §4.1
    router_advert = 134,    ///< §4.2
    neighbor_solicit = 135, ///< §4.3
    neighbor_advert = 136,  ///< §4.4
    redirect = 137,         ///< §4.5
    mld2_report = 143,      ///< RFC 3810 §5.2
};

/// Destination Unreachable codes (RFC 4443 §3.1; 7 RFC 6554, 8 RFC 8883).
enum class unreachable_code : std::uint8_t {
    no_route = 0,
    admin_prohibited = 1,
    beyond_scope = 2,
    address_unreachable = 3,
    port_unreachable = 4,
    source_policy_failed = 5,
    reject_route = 6,
    source_routing_error = 7,
    headers_too_long = 8,
};

/// Time Exceeded codes (RFC 4443 §3.3).
enum class time_exceeded_code : std::uint8_t {
    hop_limit = 0,
    reassembly = 1,
};

/// Parameter Problem codes (RFC 4443 §3.4; 3 RFC 7112).
enum class parameter_problem_code : std::uint8_t {
    erroneous_header = 0,
    unrecognized_next_header = 1,
    unrecognized_option = 2,
    incomplete_chain = 3,
};

/// Message layout, RFC 4443 §2.1 and the per-type sections.
namespace field {
inline constexpr std::size_t type = 0;            ///< message type
inline constexpr std::size_t code = 1;            ///< code, meaning depends on the type
inline constexpr byte_range checksum{2, 4};       ///< over a pseudo header and the whole message (RFC 4443 §2.3)
inline constexpr byte_range rest_of_header{4, 8}; ///< message-specific (unused, MTU, pointer, ...)
inline constexpr std::size_t body = 4;            ///< message body (RFC 4443 §2.1)
// Echo (RFC 4443 §4)
inline constexpr byte_range identifier{4, 6}; ///< echo identifier
inline constexpr byte_range sequence{6, 8};   ///< echo sequence number
// Errors (RFC 4443 §3)
inline constexpr byte_range mtu{4, 8};     ///< packet too big
inline constexpr byte_range pointer{4, 8}; ///< parameter problem: offset of the error in the invoking packet
// Router Advertisement (RFC 4861 §4.2)
inline constexpr std::size_t cur_hop_limit = 4;    ///< Cur Hop Limit for hosts to use (0: unspecified)
inline constexpr std::size_t ra_flags = 5;         ///< M, O, H, Prf, P flags
inline constexpr byte_range router_lifetime{6, 8}; ///< seconds
inline constexpr byte_range reachable_time{8, 12}; ///< milliseconds
inline constexpr byte_range retrans_timer{12, 16}; ///< milliseconds
// Neighbor Advertisement (RFC 4861 §4.4)
inline constexpr byte_range na_flags{4, 8}; ///< R, S, O in the top bits
// Neighbor Solicitation / Advertisement, Redirect (RFC 4861 §4.3-4.5)
inline constexpr byte_range target{8, 24};       ///< the target address
inline constexpr byte_range destination{24, 40}; ///< redirect
} // namespace field

/// Type, code, checksum and the 32 bits after them: the header every
/// message has (RFC 4443 §2.1: the message body starts with them, and every
/// type RFC 4443 and RFC 4861 define fills them), so also the shortest
/// message checked() accepts. payload() follows it.
inline constexpr std::size_t header_len = field::rest_of_header.end;
/// An error message is at most this long: the minimum IPv6 MTU less the
/// fixed header (RFC 4443 §2.4(c)).
inline constexpr std::size_t max_error_message_len = 1280 - ipv6::fixed_header_len;

// Router Advertisement flags (RFC 4861 §4.2; H RFC 6275 §7.1, Prf RFC 4191 §2.2, P RFC 4389).
inline constexpr std::uint8_t ra_managed = 0x80;         ///< M: addresses are available from DHCPv6
inline constexpr std::uint8_t ra_other = 0x40;           ///< O: other configuration is available from DHCPv6
inline constexpr std::uint8_t ra_home_agent = 0x20;      ///< H: the router is a Mobile IPv6 home agent
inline constexpr std::uint8_t ra_preference_mask = 0x18; ///< Prf: default router preference, 2 bits
inline constexpr std::uint8_t ra_proxy = 0x04;           ///< P: proxied (RFC 4389)
// Neighbor Advertisement flags (RFC 4861 §4.4).
inline constexpr std::uint32_t na_router = 0x80000000;    ///< R: the sender is a router
inline constexpr std::uint32_t na_solicited = 0x40000000; ///< S: sent in response to a solicitation
inline constexpr std::uint32_t na_override = 0x20000000;  ///< O: override an existing cache entry

/// True for an error message (types 0 to 127, RFC 4443 §2.1), which quotes the packet that caused it.
[[nodiscard]] constexpr bool is_error(message_type t) noexcept { return static_cast<std::uint8_t>(t) < 128; }

/// The fixed part of a message of type `t`: what checked() requires. At
/// least header_len for every type, those rawpkt does not know included.
[[nodiscard]] constexpr std::size_t min_message_len(message_type t) noexcept {
    switch (t) {
    case message_type::destination_unreachable:
    case message_type::packet_too_big:
    case message_type::time_exceeded:
    case message_type::parameter_problem:
    case message_type::echo_request:
    case message_type::echo_reply:
    case message_type::router_solicit: return 8;
    case message_type::router_advert: return 16;
    case message_type::neighbor_solicit:
    case message_type::neighbor_advert: return 24;
    case message_type::redirect: return 40;
    default: return header_len;
    }
}

/// Where the NDP options of a message of type `t` start; 0 for messages
/// that carry none.
[[nodiscard]] constexpr std::size_t options_offset(message_type t) noexcept {
    switch (t) {
    case message_type::router_solicit:
    case message_type::router_advert:
    case message_type::neighbor_solicit:
    case message_type::neighbor_advert:
    case message_type::redirect: return min_message_len(t);
    default: return 0;
    }
}

// --- NDP options (RFC 4861 §4.6) ---

/// NDP option types (IANA "IPv6 Neighbor Discovery Option Formats").
enum class option_kind : std::uint8_t {
    source_link_addr = 1,  ///< RFC 4861 §4.6.1
    target_link_addr = 2,  ///< §4.6.1
    prefix_info = 3,       ///< §4.6.2
    redirected_header = 4, ///< §4.6.3
    mtu = 5,               ///< §4.6.4
    adv_interval = 7,      ///< RFC 6275 §7.3
    home_agent_info = 8,   ///< RFC 6275 §7.4
    nonce = 14,            ///< RFC 3971 §5.3.2
    route_info = 24,       ///< RFC 4191 §2.3
    rdnss = 25,            ///< RFC 8106 §5.1
    dnssl = 31,            ///< RFC 8106 §5.2
};

/// Exact lengths of the options with a fixed layout, in bytes.
inline constexpr std::size_t prefix_info_len = 32;
/// Bytes of an MTU option.
inline constexpr std::size_t mtu_option_len = 8;

// Prefix Information flags (RFC 4861 §4.6.2; R RFC 6275 §7.2).
inline constexpr std::uint8_t prefix_on_link = 0x80;        ///< L: the prefix is on-link
inline constexpr std::uint8_t prefix_autonomous = 0x40;     ///< A: usable for stateless address autoconfiguration
inline constexpr std::uint8_t prefix_router_address = 0x20; ///< R: the prefix field holds the router's address

/// One NDP option. `data` is what follows the type and length octets;
/// `offset` counts from the start of the ICMPv6 message. The accessors are
/// meant for their kind; on any other option they return a value read
/// within `data`, or 0, and never read outside it.
struct option {
    option_kind kind{};     ///< the option type
    std::size_t length = 0; ///< whole option in bytes: the length octet times 8
    std::size_t offset = 0; ///< where the option starts in the ICMPv6 message
    bytes data{};           ///< length - 2 bytes

    /// Source/target link-layer address option: the address, padded to the
    /// option's length.
    [[nodiscard]] constexpr bytes link_layer_address() const noexcept { return data; }
    /// The link-layer address as a MAC address (its first 6 bytes: the
    /// whole address when the option is 8 bytes, as on Ethernet).
    [[nodiscard]] constexpr mac_address mac() const noexcept { return load_address_or<mac_address>(data, 0); }

    // Prefix Information (RFC 4861 §4.6.2).
    /// Prefix Information: bits of the prefix that are valid (0 to 128).
    [[nodiscard]] constexpr std::uint8_t prefix_len() const noexcept { return load_u8_or(data, 0); }
    /// Prefix Information: the L, A and R flag octet.
    [[nodiscard]] constexpr std::uint8_t prefix_flags() const noexcept { return load_u8_or(data, 1); }
    /// Prefix Information, L: the prefix is on-link.
    [[nodiscard]] constexpr bool on_link_flag() const noexcept { return (prefix_flags() & prefix_on_link) != 0; }
    /// Prefix Information, A: usable for autoconfiguration.
    [[nodiscard]] constexpr bool autonomous_flag() const noexcept { return (prefix_flags() & prefix_autonomous) != 0; }
    /// Prefix Information, R: the prefix field holds the router's address.
    [[nodiscard]] constexpr bool router_address_flag() const noexcept {
        return (prefix_flags() & prefix_router_address) != 0;
    }
    /// Seconds; 0xffffffff is infinity.
    [[nodiscard]] constexpr std::uint32_t valid_lifetime() const noexcept { return load_be_or<std::uint32_t>(data, 2); }
    /// Seconds; 0xffffffff is infinity.
    [[nodiscard]] constexpr std::uint32_t preferred_lifetime() const noexcept {
        return load_be_or<std::uint32_t>(data, 6);
    }
    /// Prefix Information: the prefix (bits after prefix_len() are zero).
    [[nodiscard]] constexpr address prefix() const noexcept { return load_address_or<address>(data, 14); }

    /// Redirected Header (RFC 4861 §4.6.3): the start of the redirected
    /// packet, after 6 reserved bytes.
    [[nodiscard]] constexpr bytes redirected_packet() const noexcept { return clamp_subspan(data, 6, data.size()); }
    /// MTU option (RFC 4861 §4.6.4), bytes.
    [[nodiscard]] constexpr std::uint32_t mtu() const noexcept { return load_be_or<std::uint32_t>(data, 2); }
    /// Nonce option (RFC 3971 §5.3.2): the nonce, padded to the option's length.
    [[nodiscard]] constexpr bytes nonce() const noexcept { return data; }
};

/// Validates the NDP option at `at` (< opts.size()) in `opts`; `base` is
/// added to offsets.
/// A length of 0 is invalid (RFC 4861 §4.6); prefix information must be 32
/// bytes and MTU 8. Error lengths are in bytes (the length octet times 8).
[[nodiscard]] constexpr result<option> parse_option(bytes opts, std::size_t at, std::size_t base) noexcept {
    const std::size_t left = opts.size() - at;
    const std::size_t off = base + at;
    if (left < 2) return error::truncated(layer::ndp_option, length_source::option_length, off, 2, left);
    const auto kind = static_cast<option_kind>(load_u8(opts, at));
    const std::size_t len = std::size_t{load_u8(opts, at + 1)} * 8;
    if (len == 0) {
        return error::invalid(layer::ndp_option, errc::length_too_small, length_source::option_length, off + 1, 8, 0);
    }
    if (len > left) return error::truncated(layer::ndp_option, length_source::option_length, off, len, left);
    std::size_t want = 0;
    switch (kind) {
    case option_kind::prefix_info: want = prefix_info_len; break;
    case option_kind::mtu: want = mtu_option_len; break;
    default: break;
    }
    if (want != 0 && len != want) {
        return error::invalid(layer::ndp_option, len < want ? errc::length_too_small : errc::length_too_large,
                              length_source::option_length, off + 1, want, len);
    }
    return option{kind, len, off, opts.subspan(at + 2, len - 2)};
}

/// How NDP options are walked: each by parse_option(), to the end.
struct option_traits {
    using item = option;                        ///< what the range yields
    static constexpr auto parse = parse_option; ///< reads one option
};

/// Iterates NDP options. Yields `result<option>`: a malformed option yields
/// its error and ends the iteration.
using option_range = detail::tlv_range<option_traits>;

// --- the message view ---

/// Zero-copy ICMPv6 message view; see the file comment for the contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u16_or0;
    using base::u32_or0;
    using base::u8;
    using base::u8_or0;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the 8-byte header and the fixed part of the message's type
    /// (min_message_len()). Options are checked as they are iterated
    /// (options().validate()).
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < icmpv6::header_len) {
            return error::truncated(layer::icmpv6, length_source::fixed_header, 0, icmpv6::header_len, b.size());
        }
        const basic_view v{b};
        const std::size_t need = min_message_len(v.type());
        if (b.size() < need) return error::truncated(layer::icmpv6, length_source::fixed_header, 0, need, b.size());
        return v;
    }

    // --- every message (RFC 4443 §2.1) ---
    /// The message type (RFC 4443 §2.1).
    [[nodiscard]] constexpr message_type type() const noexcept { return static_cast<message_type>(u8(field::type)); }
    /// The code, whose meaning depends on the type.
    [[nodiscard]] constexpr std::uint8_t code() const noexcept { return u8(field::code); }
    /// Checksum as carried (over a pseudo header); see checksum_ok().
    [[nodiscard]] constexpr std::uint16_t checksum() const noexcept { return u16(field::checksum); }
    /// True for an error message (see icmpv6::is_error()).
    [[nodiscard]] constexpr bool is_error() const noexcept { return icmpv6::is_error(type()); }
    /// Always 8: the header that payload() follows.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return icmpv6::header_len; }
    /// The message body: everything after the checksum.
    [[nodiscard]] constexpr Buf body() const noexcept { return this->tail(field::body); }
    /// Everything after the 8-byte header: echo data, the invoking packet,
    /// NDP fields and options, ... (empty for a shorter message).
    [[nodiscard]] constexpr Buf payload() const noexcept { return this->tail(icmpv6::header_len); }
    /// The 32 bits after the checksum: unused or reserved in most types.
    [[nodiscard]] constexpr std::uint32_t rest_of_header() const noexcept {
        return u32_or0(field::rest_of_header.begin);
    }

    // --- echo request / reply (RFC 4443 §4); the data is payload() ---
    /// Echo: the identifier (0 when the buffer is too short).
    [[nodiscard]] constexpr std::uint16_t identifier() const noexcept { return u16_or0(field::identifier.begin); }
    /// Echo: the sequence number (0 when the buffer is too short).
    [[nodiscard]] constexpr std::uint16_t sequence() const noexcept { return u16_or0(field::sequence.begin); }

    // --- errors (RFC 4443 §3) ---
    /// Packet Too Big: the next-hop link's MTU in bytes.
    [[nodiscard]] constexpr std::uint32_t mtu() const noexcept { return u32_or0(field::mtu.begin); }
    /// Parameter Problem: offset in the invoking packet where the error was found.
    [[nodiscard]] constexpr std::uint32_t pointer() const noexcept { return u32_or0(field::pointer.begin); }
    /// An error message's invoking packet, usually cut short; empty for
    /// other messages.
    [[nodiscard]] constexpr Buf invoking_packet() const noexcept { return is_error() ? payload() : Buf{}; }
    /// The invoking packet's IPv6 header (checked_header(): its payload may
    /// be cut short). Error offsets count from the start of this message.
    [[nodiscard]] constexpr result<ipv6::basic_view<Buf>> invoking_ipv6() const noexcept {
        auto v = ipv6::basic_view<Buf>::checked_header(invoking_packet());
        if (!v) return v.error().rebased(icmpv6::header_len);
        return v;
    }

    // --- Router Advertisement (RFC 4861 §4.2) ---
    /// Router Advertisement: the hop limit hosts should use (0: unspecified).
    [[nodiscard]] constexpr std::uint8_t cur_hop_limit() const noexcept { return u8_or0(field::cur_hop_limit); }
    /// The whole flags octet.
    [[nodiscard]] constexpr std::uint8_t ra_flags() const noexcept { return u8_or0(field::ra_flags); }
    /// M: addresses are available via DHCPv6.
    [[nodiscard]] constexpr bool managed_flag() const noexcept { return (ra_flags() & ra_managed) != 0; }
    /// O: other configuration is available via DHCPv6.
    [[nodiscard]] constexpr bool other_flag() const noexcept { return (ra_flags() & ra_other) != 0; }
    /// H: the router is a Mobile IPv6 home agent (RFC 6275 §7.1).
    [[nodiscard]] constexpr bool home_agent_flag() const noexcept { return (ra_flags() & ra_home_agent) != 0; }
    /// Default router preference (RFC 4191 §2.2): 1 high, 0 medium, 3 low, 2 reserved.
    [[nodiscard]] constexpr std::uint8_t router_preference() const noexcept {
        return static_cast<std::uint8_t>((ra_flags() & ra_preference_mask) >> 3);
    }
    /// P: the advertisement is proxied (RFC 4389).
    [[nodiscard]] constexpr bool proxy_flag() const noexcept { return (ra_flags() & ra_proxy) != 0; }
    /// Seconds; 0 means not a default router.
    [[nodiscard]] constexpr std::uint16_t router_lifetime() const noexcept {
        return u16_or0(field::router_lifetime.begin);
    }
    /// Milliseconds; 0 means unspecified.
    [[nodiscard]] constexpr std::uint32_t reachable_time() const noexcept {
        return u32_or0(field::reachable_time.begin);
    }
    /// Milliseconds; 0 means unspecified.
    [[nodiscard]] constexpr std::uint32_t retrans_timer() const noexcept { return u32_or0(field::retrans_timer.begin); }

    // --- Neighbor Advertisement (RFC 4861 §4.4) ---
    /// R: the sender is a router.
    [[nodiscard]] constexpr bool router_flag() const noexcept { return (na_flags() & na_router) != 0; }
    /// S: sent in response to a solicitation.
    [[nodiscard]] constexpr bool solicited_flag() const noexcept { return (na_flags() & na_solicited) != 0; }
    /// O: override an existing cache entry.
    [[nodiscard]] constexpr bool override_flag() const noexcept { return (na_flags() & na_override) != 0; }

    // --- Neighbor Solicitation / Advertisement, Redirect (RFC 4861 §4.3-4.5) ---
    /// Neighbor Solicitation / Advertisement, Redirect: the target address.
    [[nodiscard]] constexpr address target() const noexcept {
        return this->template address_or0<address>(field::target.begin);
    }
    /// Redirect: the destination that is redirected to the target.
    [[nodiscard]] constexpr address destination() const noexcept {
        return this->template address_or0<address>(field::destination.begin);
    }

    // --- NDP options (RFC 4861 §4.6) ---
    /// The options area of an NDP message (RS, RA, NS, NA, redirect); empty
    /// for other messages.
    [[nodiscard]] constexpr Buf options_bytes() const noexcept {
        const std::size_t off = options_offset(type());
        return off == 0 ? Buf{} : this->tail(off);
    }
    /// The NDP options; offsets count from the start of the message.
    [[nodiscard]] constexpr option_range options() const noexcept {
        return option_range{bytes{options_bytes()}, options_offset(type())};
    }

    // --- checksum (RFC 4443 §2.3, IPv6 pseudo header RFC 8200 §8.1) ---
    /// True when the checksum verifies for a packet from `src` to `dst`
    /// (the final destination, if a routing header is present).
    [[nodiscard]] constexpr bool checksum_ok(const address& src, const address& dst) const noexcept {
        return pseudo_header(src, dst).add(bytes{this->buf_}).verifies();
    }
    /// The checksum the message should carry (computed with the field as zero).
    [[nodiscard]] constexpr std::uint16_t compute_checksum(const address& src, const address& dst) const noexcept {
        checksum::accumulator acc = pseudo_header(src, dst);
        acc.add(bytes{this->range(0, field::checksum.begin)});
        acc.add(bytes{this->range(field::checksum.end, this->buf_.size())});
        return acc.finish();
    }

    // --- setters (mut_view only); type-specific ones write nothing past the buffer ---
    /// Sets the field type() reads.
    constexpr void set_type(message_type t) noexcept requires writable<Buf> {
        this->set_u8(field::type, static_cast<std::uint8_t>(t));
    }
    /// Sets the field code() reads.
    constexpr void set_code(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::code, v); }
    /// Sets the field checksum() reads.
    constexpr void set_checksum(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::checksum, v); }
    /// Computes and stores the checksum over the pseudo header of `src` and `dst`; the message must be final.
    constexpr void fill_checksum(const address& src, const address& dst) noexcept requires writable<Buf> {
        set_checksum(compute_checksum(src, dst));
    }
    /// Sets the field rest_of_header() reads.
    constexpr void set_rest_of_header(std::uint32_t v) noexcept requires writable<Buf> {
        this->try_set_u32(field::rest_of_header.begin, v);
    }
    /// Sets the field identifier() reads.
    constexpr void set_identifier(std::uint16_t v) noexcept requires writable<Buf> {
        this->try_set_u16(field::identifier.begin, v);
    }
    /// Sets the field sequence() reads.
    constexpr void set_sequence(std::uint16_t v) noexcept requires writable<Buf> {
        this->try_set_u16(field::sequence.begin, v);
    }
    /// Sets the field mtu() reads.
    constexpr void set_mtu(std::uint32_t v) noexcept requires writable<Buf> { this->try_set_u32(field::mtu.begin, v); }
    /// Sets the field pointer() reads.
    constexpr void set_pointer(std::uint32_t v) noexcept requires writable<Buf> {
        this->try_set_u32(field::pointer.begin, v);
    }
    /// Sets the field cur_hop_limit() reads.
    constexpr void set_cur_hop_limit(std::uint8_t v) noexcept requires writable<Buf> {
        this->try_set_u8(field::cur_hop_limit, v);
    }
    /// Sets the field ra_flags() reads.
    constexpr void set_ra_flags(std::uint8_t v) noexcept requires writable<Buf> {
        this->try_set_u8(field::ra_flags, v);
    }
    /// Sets or clears the flag managed_flag() reads.
    constexpr void set_managed_flag(bool v) noexcept requires writable<Buf> { set_ra_flag(ra_managed, v); }
    /// Sets or clears the flag other_flag() reads.
    constexpr void set_other_flag(bool v) noexcept requires writable<Buf> { set_ra_flag(ra_other, v); }
    /// Sets or clears the flag home_agent_flag() reads.
    constexpr void set_home_agent_flag(bool v) noexcept requires writable<Buf> { set_ra_flag(ra_home_agent, v); }
    /// Sets the field router_preference() reads.
    constexpr void set_router_preference(std::uint8_t v) noexcept requires writable<Buf> {
        set_ra_flags(static_cast<std::uint8_t>((ra_flags() & ~ra_preference_mask) | ((v << 3) & ra_preference_mask)));
    }
    /// Sets or clears the flag proxy_flag() reads.
    constexpr void set_proxy_flag(bool v) noexcept requires writable<Buf> { set_ra_flag(ra_proxy, v); }
    /// Sets the field router_lifetime() reads.
    constexpr void set_router_lifetime(std::uint16_t v) noexcept requires writable<Buf> {
        this->try_set_u16(field::router_lifetime.begin, v);
    }
    /// Sets the field reachable_time() reads.
    constexpr void set_reachable_time(std::uint32_t v) noexcept requires writable<Buf> {
        this->try_set_u32(field::reachable_time.begin, v);
    }
    /// Sets the field retrans_timer() reads.
    constexpr void set_retrans_timer(std::uint32_t v) noexcept requires writable<Buf> {
        this->try_set_u32(field::retrans_timer.begin, v);
    }
    /// Sets or clears the flag router_flag() reads.
    constexpr void set_router_flag(bool v) noexcept requires writable<Buf> { set_na_flag(na_router, v); }
    /// Sets or clears the flag solicited_flag() reads.
    constexpr void set_solicited_flag(bool v) noexcept requires writable<Buf> { set_na_flag(na_solicited, v); }
    /// Sets or clears the flag override_flag() reads.
    constexpr void set_override_flag(bool v) noexcept requires writable<Buf> { set_na_flag(na_override, v); }
    /// Writes the address target() reads.
    constexpr void set_target(const address& a) noexcept requires writable<Buf> {
        this->try_set_address(field::target.begin, a);
    }
    /// Writes the address destination() reads.
    constexpr void set_destination(const address& a) noexcept requires writable<Buf> {
        this->try_set_address(field::destination.begin, a);
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}

    [[nodiscard]] constexpr std::uint32_t na_flags() const noexcept { return u32_or0(field::na_flags.begin); }
    constexpr void set_ra_flag(std::uint8_t flag, bool v) noexcept requires writable<Buf> {
        set_ra_flags(static_cast<std::uint8_t>(v ? ra_flags() | flag : ra_flags() & ~flag));
    }
    constexpr void set_na_flag(std::uint32_t flag, bool v) noexcept requires writable<Buf> {
        this->try_set_u32(field::na_flags.begin, v ? na_flags() | flag : na_flags() & ~flag);
    }
    [[nodiscard]] constexpr checksum::accumulator pseudo_header(const address& src, const address& dst) const noexcept {
        checksum::accumulator acc;
        acc.add_pseudo_header(src, dst, ip_proto::icmpv6, static_cast<std::uint32_t>(this->buf_.size()));
        return acc;
    }
};

/// A read-only ICMPv6 view over received bytes.
using view = basic_view<bytes>;
/// A writable ICMPv6 view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

// --- reprs ---
//
// The echo data and the invoking packet of an error are not held, only
// their length (data_len, invoking_len): emit() writes the 8-byte header,
// and the caller (or the builder) writes what follows it. The NDP options
// are the message's own and are owned, up to max_ndp_options_len bytes.
// emit(v) leaves the checksum 0, as it covers a pseudo header;
// emit(v, src, dst) fills it over the first buffer_len() (echo, error) or
// header_len() (NDP) bytes of `v`, whatever follows the header in place.

/// The NDP options a repr holds. An honest advertisement (a few prefixes,
/// MTU, link-layer address, RDNSS, DNSSL) takes well under this; parse()
/// refuses a message with more.
inline constexpr std::size_t max_ndp_options_len = 512;
/// The owned NDP options of a repr: raw bytes, up to max_ndp_options_len.
using ndp_options = small_bytes<max_ndp_options_len>;

} // namespace rawpkt::icmpv6

namespace rawpkt::detail {

/// The check every ICMPv6 repr starts with: the type it represents, else
/// errc::unsupported with `available` the type (`needed` the type wanted).
[[nodiscard]] constexpr status icmpv6_check_type(const icmpv6::view& v, icmpv6::message_type want) noexcept {
    if (v.type() == want) return {};
    return error::invalid(layer::icmpv6, errc::unsupported, length_source::none, icmpv6::field::type,
                          static_cast<std::uint8_t>(want), static_cast<std::uint8_t>(v.type()));
}

/// The type and code 0.
[[nodiscard]] constexpr status icmpv6_check_type_and_code(const icmpv6::view& v, icmpv6::message_type want) noexcept {
    if (auto ok = icmpv6_check_type(v, want); !ok) return ok;
    if (v.code() != 0) {
        return error::invalid(layer::icmpv6, errc::bad_value, length_source::none, icmpv6::field::code, 0, v.code());
    }
    return {};
}

/// NDP validation shared by the NDP reprs (RFC 4861 §6.1, §7.1, §8.1): the
/// type, code 0 and well-formed options (each with a non-zero length), and
/// their copy into `out` (errc::too_many past max_ndp_options_len).
[[nodiscard]] constexpr status icmpv6_parse_ndp(const icmpv6::view& v, icmpv6::message_type want,
                                                icmpv6::ndp_options& out) noexcept {
    if (auto ok = icmpv6_check_type_and_code(v, want); !ok) return ok;
    if (auto ok = v.options().validate(); !ok) return ok;
    const bytes opts = v.options_bytes();
    if (!out.set(opts)) {
        return error::invalid(layer::icmpv6, errc::too_many, length_source::option_length, icmpv6::options_offset(want),
                              icmpv6::max_ndp_options_len, opts.size());
    }
    return {};
}

/// The target of a solicitation or advertisement is never multicast
/// (RFC 4861 §7.1.1, §7.1.2).
[[nodiscard]] constexpr status icmpv6_check_target(const icmpv6::view& v) noexcept {
    if (v.target().is_multicast()) {
        return error::invalid(layer::icmpv6, errc::bad_value, length_source::none, icmpv6::field::target.begin, 0,
                              v.target().octets[0]);
    }
    return {};
}

/// Starts a message: zeros over its fixed part (`fixed` bytes: reserved
/// fields included), then the type; `options` after the fixed part.
constexpr icmpv6::mut_view icmpv6_begin_emit(icmpv6::mut_view v, icmpv6::message_type t, std::size_t fixed,
                                             bytes options = {}) noexcept {
    const mut_bytes out = v.buffer();
    for (std::size_t i = 0; i < fixed; ++i) out[i] = std::byte{0};
    store_bytes(out, fixed, options);
    v.set_type(t);
    return v;
}

} // namespace rawpkt::detail

namespace rawpkt::icmpv6 {

/// Echo Request / Echo Reply (RFC 4443 §4).
struct echo_repr {
    bool reply = false;           ///< echo reply; false: echo request
    std::uint16_t identifier = 0; ///< identifier
    std::uint16_t sequence = 0;   ///< sequence number
    std::size_t data_len = 0;     ///< bytes of data after the header

    /// Accepts echo requests and replies with code 0.
    [[nodiscard]] static constexpr result<echo_repr> parse(const view& v) noexcept {
        const bool reply = v.type() == message_type::echo_reply;
        const message_type want = reply ? message_type::echo_reply : message_type::echo_request;
        if (auto ok = detail::icmpv6_check_type_and_code(v, want); !ok) return ok.error();
        return echo_repr{reply, v.identifier(), v.sequence(), v.payload().size()};
    }
    /// The fixed header length, icmpv6::header_len bytes.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return icmpv6::header_len; }
    /// The whole message: header and data.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return header_len() + data_len; }
    /// Writes the 8-byte header into `v`, checksum 0.
    constexpr void emit(mut_view v) const noexcept {
        mut_view m =
            detail::icmpv6_begin_emit(v, reply ? message_type::echo_reply : message_type::echo_request, header_len());
        m.set_identifier(identifier);
        m.set_sequence(sequence);
    }
    /// Writes the header and fills the checksum over the pseudo header of `src` and `dst` and the first buffer_len()
    /// bytes of `v`.
    constexpr void emit(mut_view v, const address& src, const address& dst) const noexcept {
        detail::emit_with_checksum(*this, v, src, dst);
    }
    friend constexpr bool operator==(const echo_repr&, const echo_repr&) noexcept = default;
};

/// Destination Unreachable, Packet Too Big, Time Exceeded, Parameter
/// Problem (RFC 4443 §3). The 32 bits after the checksum carry the MTU or
/// the pointer; for the other two types they are unused, written as zero.
/// Trimming the invoking packet to max_error_message_len is the caller's
/// choice.
struct error_repr {
    message_type type = message_type::destination_unreachable; ///< the error's type
    std::uint8_t code = 0;                                     ///< the code
    std::uint32_t mtu = 0;                                     ///< packet too big
    std::uint32_t pointer = 0;                                 ///< parameter problem
    std::size_t invoking_len = 0;                              ///< bytes of the invoking packet after the header

    /// Accepts the four error types RFC 4443 defines, any code.
    [[nodiscard]] static constexpr result<error_repr> parse(const view& v) noexcept {
        error_repr r{v.type(), v.code(), 0, 0, v.invoking_packet().size()};
        switch (v.type()) {
        case message_type::packet_too_big: r.mtu = v.mtu(); break;
        case message_type::parameter_problem: r.pointer = v.pointer(); break;
        case message_type::destination_unreachable:
        case message_type::time_exceeded: break;
        default:
            return error::invalid(layer::icmpv6, errc::unsupported, length_source::none, field::type, 0,
                                  static_cast<std::uint8_t>(v.type()));
        }
        return r;
    }
    /// The fixed header length, icmpv6::header_len bytes.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return icmpv6::header_len; }
    /// The whole message: header and invoking packet.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return header_len() + invoking_len; }
    /// Writes the 8-byte header into `v`, checksum 0.
    constexpr void emit(mut_view v) const noexcept {
        mut_view m = detail::icmpv6_begin_emit(v, type, header_len());
        m.set_code(code);
        if (type == message_type::packet_too_big) m.set_mtu(mtu);
        if (type == message_type::parameter_problem) m.set_pointer(pointer);
    }
    /// Writes the header and fills the checksum over the pseudo header of `src` and `dst` and the first buffer_len()
    /// bytes of `v`.
    constexpr void emit(mut_view v, const address& src, const address& dst) const noexcept {
        detail::emit_with_checksum(*this, v, src, dst);
    }
    friend constexpr bool operator==(const error_repr&, const error_repr&) noexcept = default;
};

/// Router Solicitation (RFC 4861 §4.1).
struct router_solicit_repr {
    ndp_options options{}; ///< the message's options

    /// Accepts a Router Solicitation with code 0 and well-formed options that fit.
    [[nodiscard]] static constexpr result<router_solicit_repr> parse(const view& v) noexcept {
        router_solicit_repr r;
        if (auto ok = detail::icmpv6_parse_ndp(v, message_type::router_solicit, r.options); !ok) return ok.error();
        return r;
    }
    /// The fixed part and the options: the whole message.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return options_offset(message_type::router_solicit) + options.size();
    }
    /// Writes the message into `v` (header_len() bytes), checksum 0.
    constexpr void emit(mut_view v) const noexcept {
        detail::icmpv6_begin_emit(v, message_type::router_solicit, options_offset(message_type::router_solicit),
                                  options.bytes());
    }
    /// Writes the message and fills the checksum over the pseudo header of `src` and `dst`.
    constexpr void emit(mut_view v, const address& src, const address& dst) const noexcept {
        detail::emit_with_checksum(*this, v, src, dst);
    }
    friend constexpr bool operator==(const router_solicit_repr&, const router_solicit_repr&) noexcept = default;
};

/// Router Advertisement (RFC 4861 §4.2). The reserved flag bits are
/// ignored on parse and written as zero.
struct router_advert_repr {
    std::uint8_t cur_hop_limit = 64;    ///< hop limit hosts should use (0: unspecified)
    bool managed_flag = false;          ///< M: addresses from DHCPv6
    bool other_flag = false;            ///< O: other configuration from DHCPv6
    bool home_agent_flag = false;       ///< H: home agent
    std::uint8_t router_preference = 0; ///< RFC 4191 §2.2: 1 high, 0 medium, 3 low
    bool proxy_flag = false;            ///< P: proxied
    std::uint16_t router_lifetime = 0;  ///< seconds
    std::uint32_t reachable_time = 0;   ///< milliseconds
    std::uint32_t retrans_timer = 0;    ///< milliseconds
    ndp_options options{};              ///< the message's options

    /// Accepts a Router Advertisement with code 0 and well-formed options that fit.
    [[nodiscard]] static constexpr result<router_advert_repr> parse(const view& v) noexcept {
        router_advert_repr r{
            v.cur_hop_limit(), v.managed_flag(),    v.other_flag(),     v.home_agent_flag(), v.router_preference(),
            v.proxy_flag(),    v.router_lifetime(), v.reachable_time(), v.retrans_timer(),   {}};
        if (auto ok = detail::icmpv6_parse_ndp(v, message_type::router_advert, r.options); !ok) return ok.error();
        return r;
    }
    /// The fixed part and the options: the whole message.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return options_offset(message_type::router_advert) + options.size();
    }
    /// Writes the message into `v` (header_len() bytes), checksum 0.
    constexpr void emit(mut_view v) const noexcept {
        mut_view m = detail::icmpv6_begin_emit(v, message_type::router_advert,
                                               options_offset(message_type::router_advert), options.bytes());
        m.set_cur_hop_limit(cur_hop_limit);
        m.set_managed_flag(managed_flag);
        m.set_other_flag(other_flag);
        m.set_home_agent_flag(home_agent_flag);
        m.set_router_preference(router_preference);
        m.set_proxy_flag(proxy_flag);
        m.set_router_lifetime(router_lifetime);
        m.set_reachable_time(reachable_time);
        m.set_retrans_timer(retrans_timer);
    }
    /// Writes the message and fills the checksum over the pseudo header of `src` and `dst`.
    constexpr void emit(mut_view v, const address& src, const address& dst) const noexcept {
        detail::emit_with_checksum(*this, v, src, dst);
    }
    friend constexpr bool operator==(const router_advert_repr&, const router_advert_repr&) noexcept = default;
};

/// Neighbor Solicitation (RFC 4861 §4.3).
struct neighbor_solicit_repr {
    address target{};      ///< the address whose link-layer address is asked for
    ndp_options options{}; ///< the message's options

    /// Also rejects a multicast target.
    [[nodiscard]] static constexpr result<neighbor_solicit_repr> parse(const view& v) noexcept {
        neighbor_solicit_repr r{v.target(), {}};
        if (auto ok = detail::icmpv6_parse_ndp(v, message_type::neighbor_solicit, r.options); !ok) return ok.error();
        if (auto ok = detail::icmpv6_check_target(v); !ok) return ok.error();
        return r;
    }
    /// The fixed part and the options: the whole message.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return options_offset(message_type::neighbor_solicit) + options.size();
    }
    /// Writes the message into `v` (header_len() bytes), checksum 0.
    constexpr void emit(mut_view v) const noexcept {
        mut_view m = detail::icmpv6_begin_emit(v, message_type::neighbor_solicit,
                                               options_offset(message_type::neighbor_solicit), options.bytes());
        m.set_target(target);
    }
    /// Writes the message and fills the checksum over the pseudo header of `src` and `dst`.
    constexpr void emit(mut_view v, const address& src, const address& dst) const noexcept {
        detail::emit_with_checksum(*this, v, src, dst);
    }
    friend constexpr bool operator==(const neighbor_solicit_repr&, const neighbor_solicit_repr&) noexcept = default;
};

/// Neighbor Advertisement (RFC 4861 §4.4). The reserved bits are ignored
/// on parse and written as zero.
struct neighbor_advert_repr {
    bool router_flag = false;    ///< R: the sender is a router
    bool solicited_flag = false; ///< S: answers a solicitation
    bool override_flag = false;  ///< O: override a cache entry
    address target{};            ///< the address the advertisement is about
    ndp_options options{};       ///< the message's options

    /// Also rejects a multicast target.
    [[nodiscard]] static constexpr result<neighbor_advert_repr> parse(const view& v) noexcept {
        neighbor_advert_repr r{v.router_flag(), v.solicited_flag(), v.override_flag(), v.target(), {}};
        if (auto ok = detail::icmpv6_parse_ndp(v, message_type::neighbor_advert, r.options); !ok) return ok.error();
        if (auto ok = detail::icmpv6_check_target(v); !ok) return ok.error();
        return r;
    }
    /// The fixed part and the options: the whole message.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return options_offset(message_type::neighbor_advert) + options.size();
    }
    /// Writes the message into `v` (header_len() bytes), checksum 0.
    constexpr void emit(mut_view v) const noexcept {
        mut_view m = detail::icmpv6_begin_emit(v, message_type::neighbor_advert,
                                               options_offset(message_type::neighbor_advert), options.bytes());
        m.set_router_flag(router_flag);
        m.set_solicited_flag(solicited_flag);
        m.set_override_flag(override_flag);
        m.set_target(target);
    }
    /// Writes the message and fills the checksum over the pseudo header of `src` and `dst`.
    constexpr void emit(mut_view v, const address& src, const address& dst) const noexcept {
        detail::emit_with_checksum(*this, v, src, dst);
    }
    friend constexpr bool operator==(const neighbor_advert_repr&, const neighbor_advert_repr&) noexcept = default;
};

/// Redirect (RFC 4861 §4.5).
struct redirect_repr {
    address target{};      ///< the better first hop
    address destination{}; ///< the destination being redirected
    ndp_options options{}; ///< the message's options

    /// Also rejects a multicast destination (RFC 4861 §8.1).
    [[nodiscard]] static constexpr result<redirect_repr> parse(const view& v) noexcept {
        redirect_repr r{v.target(), v.destination(), {}};
        if (auto ok = detail::icmpv6_parse_ndp(v, message_type::redirect, r.options); !ok) return ok.error();
        if (v.destination().is_multicast()) {
            return error::invalid(layer::icmpv6, errc::bad_value, length_source::none, field::destination.begin, 0,
                                  v.destination().octets[0]);
        }
        return r;
    }
    /// The fixed part and the options: the whole message.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return options_offset(message_type::redirect) + options.size();
    }
    /// Writes the message into `v` (header_len() bytes), checksum 0.
    constexpr void emit(mut_view v) const noexcept {
        mut_view m = detail::icmpv6_begin_emit(v, message_type::redirect, options_offset(message_type::redirect),
                                               options.bytes());
        m.set_target(target);
        m.set_destination(destination);
    }
    /// Writes the message and fills the checksum over the pseudo header of `src` and `dst`.
    constexpr void emit(mut_view v, const address& src, const address& dst) const noexcept {
        detail::emit_with_checksum(*this, v, src, dst);
    }
    friend constexpr bool operator==(const redirect_repr&, const redirect_repr&) noexcept = default;
};

} // namespace rawpkt::icmpv6
