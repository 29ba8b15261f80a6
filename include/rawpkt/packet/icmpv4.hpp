// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// ICMPv4 (RFC 792) message view and reprs for echo and error messages,
/// with the next-hop MTU of RFC 1191 §4 and the multi-part extensions of
/// RFC 4884.
///
/// The view's buffer is the whole message as the IP layer delivers it (the
/// IPv4 payload): ICMP has no length field, and its checksum covers every
/// byte of the buffer.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds: the 8-byte header is inside `b`, and for timestamp (13, 14) and
/// address mask (17, 18) messages so are their 20 and 12 bytes. The
/// accessors of those fields return 0 on a buffer too short for them, so no
/// setter voids the guarantee, `set_type()` included. The invoking packet
/// quoted by an error message is validated lazily, by `invoking_ipv4()`:
/// it is usually cut short, so it is checked as a header only.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/checksum.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/ipv4.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>

namespace rawpkt::icmpv4 {

/// Message types (RFC 792; router messages RFC 1256; address mask RFC 950).
enum class message_type : std::uint8_t {
    echo_reply = 0,
    destination_unreachable = 3,
    source_quench = 4, ///< deprecated by RFC 6633
    redirect = 5,
    echo_request = 8,
    router_advert = 9,
    router_solicit = 10,
    time_exceeded = 11,
    parameter_problem = 12,
    timestamp_request = 13,
    timestamp_reply = 14,
    info_request = 15, ///< deprecated by RFC 6918
    info_reply = 16,
    address_mask_request = 17,
    address_mask_reply = 18,
};

/// Destination unreachable codes (RFC 792; 6 to 12 RFC 1122 §3.2.2.1;
/// 13 to 15 RFC 1812 §5.2.7.1).
namespace unreachable_code {
inline constexpr std::uint8_t net = 0;                  ///< network unreachable
inline constexpr std::uint8_t host = 1;                 ///< host unreachable
inline constexpr std::uint8_t protocol = 2;             ///< protocol unreachable (at the destination)
inline constexpr std::uint8_t port = 3;                 ///< port unreachable (at the destination)
inline constexpr std::uint8_t frag_needed = 4;          ///< with the next-hop MTU, RFC 1191 §4
inline constexpr std::uint8_t source_route_failed = 5;  ///< source route failed
inline constexpr std::uint8_t net_unknown = 6;          ///< destination network unknown
inline constexpr std::uint8_t host_unknown = 7;         ///< destination host unknown
inline constexpr std::uint8_t source_host_isolated = 8; ///< source host isolated
inline constexpr std::uint8_t net_prohibited = 9;       ///< communication with the network administratively prohibited
inline constexpr std::uint8_t host_prohibited = 10;     ///< communication with the host administratively prohibited
inline constexpr std::uint8_t net_unreachable_for_tos = 11;   ///< network unreachable for the type of service
inline constexpr std::uint8_t host_unreachable_for_tos = 12;  ///< host unreachable for the type of service
inline constexpr std::uint8_t admin_prohibited = 13;          ///< communication administratively prohibited (filtered)
inline constexpr std::uint8_t host_precedence_violation = 14; ///< host precedence violation
inline constexpr std::uint8_t precedence_cutoff = 15;         ///< precedence cutoff in effect
} // namespace unreachable_code

/// Redirect codes (RFC 792).
namespace redirect_code {
inline constexpr std::uint8_t net = 0;      ///< redirect for the network
inline constexpr std::uint8_t host = 1;     ///< redirect for the host
inline constexpr std::uint8_t tos_net = 2;  ///< redirect for the type of service and network
inline constexpr std::uint8_t tos_host = 3; ///< redirect for the type of service and host
} // namespace redirect_code

/// Time exceeded codes (RFC 792).
namespace time_exceeded_code {
inline constexpr std::uint8_t ttl = 0;        ///< TTL exceeded in transit (what traceroute reads)
inline constexpr std::uint8_t reassembly = 1; ///< fragment reassembly time exceeded
} // namespace time_exceeded_code

/// Parameter problem codes (RFC 792; 1 RFC 1108; 2 RFC 1812 §5.2.7.3).
namespace parameter_problem_code {
inline constexpr std::uint8_t pointer = 0;        ///< the pointer field names the offending octet
inline constexpr std::uint8_t missing_option = 1; ///< a required option is missing
inline constexpr std::uint8_t bad_length = 2;     ///< bad length
} // namespace parameter_problem_code

/// Message layout, RFC 792 (and RFC 950, RFC 1191 §4, RFC 4884 §4.1).
namespace field {
inline constexpr std::size_t type = 0;            ///< message type
inline constexpr std::size_t code = 1;            ///< code, meaning depends on the type
inline constexpr byte_range checksum{2, 4};       ///< over the whole message
inline constexpr byte_range rest_of_header{4, 8}; ///< meaning depends on the type
inline constexpr byte_range identifier{4, 6};     ///< echo, timestamp, information, address mask
inline constexpr byte_range sequence{6, 8};       ///< same types
inline constexpr byte_range gateway{4, 8};        ///< redirect
inline constexpr std::size_t pointer = 4;         ///< parameter problem
inline constexpr std::size_t length = 5;          ///< RFC 4884: invoking packet length, 32-bit words (3, 11, 12)
inline constexpr byte_range next_hop_mtu{6, 8};   ///< destination unreachable, code 4
inline constexpr std::size_t data = 8;            ///< echo data, invoking packet, ...
inline constexpr byte_range originate{8, 12};     ///< timestamp: ms since midnight UT
inline constexpr byte_range receive{12, 16};      ///< timestamp
inline constexpr byte_range transmit{16, 20};     ///< timestamp
inline constexpr byte_range address_mask{8, 12};  ///< address mask (RFC 950)
} // namespace field

/// Bytes of the fixed header: type, code, checksum and the rest-of-header word.
inline constexpr std::size_t header_len = field::data; // 8
/// The most data (or invoking packet and extension) a repr describes: a
/// message of at most 65535 bytes.
inline constexpr std::size_t max_data_len = 0xffff - header_len;
/// Bytes of a timestamp or timestamp reply message.
inline constexpr std::size_t timestamp_len = field::transmit.end; // 20
/// Bytes of an address mask request or reply.
inline constexpr std::size_t address_mask_len = field::address_mask.end; // 12
/// The least an error message quotes of the invoking packet's data, after
/// its IP header (RFC 792; RFC 1812 §4.3.2.3 asks for as much as fits in 576).
inline constexpr std::size_t min_invoking_data = 8;
/// RFC 4884 §5.1: with an extension, the invoking packet is padded to at
/// least 128 bytes; §5.5: a message without the length attribute may still
/// carry an extension at this offset.
inline constexpr std::size_t rfc4884_invoking_len = 128;
inline constexpr std::size_t extension_header_len = 4; ///< RFC 4884 §7
inline constexpr std::uint8_t extension_version = 2;   ///< RFC 4884 §7

/// The length of the fixed part of a message of type `t`: 20 for
/// timestamps, 12 for address masks, else 8.
[[nodiscard]] constexpr std::size_t fixed_len(message_type t) noexcept {
    switch (t) {
    case message_type::timestamp_request:
    case message_type::timestamp_reply: return timestamp_len;
    case message_type::address_mask_request:
    case message_type::address_mask_reply: return address_mask_len;
    default: return header_len;
    }
}

/// True for the error messages, which quote the datagram that caused them.
[[nodiscard]] constexpr bool is_error(message_type t) noexcept {
    return t == message_type::destination_unreachable || t == message_type::source_quench ||
           t == message_type::redirect || t == message_type::time_exceeded || t == message_type::parameter_problem;
}

/// True for the types that carry the RFC 4884 length attribute and may
/// carry an extension structure.
[[nodiscard]] constexpr bool has_length_attribute(message_type t) noexcept {
    return t == message_type::destination_unreachable || t == message_type::time_exceeded ||
           t == message_type::parameter_problem;
}

/// RFC 4884 §5.5: senders that predate the length attribute put the
/// extension after a 128-byte invoking packet; it is recognised by its
/// version and a checksum that verifies. True when the payload `p` of an
/// error message without a length attribute carries one there.
[[nodiscard]] constexpr bool has_compat_extension(bytes p) noexcept {
    if (p.size() < rfc4884_invoking_len + extension_header_len) return false;
    const bytes ext = p.subspan(rfc4884_invoking_len);
    if (load_u8(ext, 0) >> 4 != extension_version) return false;
    return checksum::accumulator{}.add(ext).verifies();
}

/// Zero-copy ICMPv4 message view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u32;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the header and the fixed part of the message type.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < icmpv4::header_len) {
            return error::truncated(layer::icmpv4, length_source::fixed_header, 0, icmpv4::header_len, b.size());
        }
        const basic_view v{b};
        const std::size_t need = fixed_len(v.type());
        if (b.size() < need) return error::truncated(layer::icmpv4, length_source::fixed_header, 0, need, b.size());
        return v;
    }

    // --- header (RFC 792) ---
    /// The message type (RFC 792).
    [[nodiscard]] constexpr message_type type() const noexcept { return static_cast<message_type>(u8(field::type)); }
    /// The code, whose meaning depends on the type (see the *_code namespaces).
    [[nodiscard]] constexpr std::uint8_t code() const noexcept { return u8(field::code); }
    /// Checksum as carried (over the whole message); see checksum_ok().
    [[nodiscard]] constexpr std::uint16_t checksum() const noexcept { return u16(field::checksum); }
    /// The second 32-bit word, raw.
    [[nodiscard]] constexpr std::uint32_t rest_of_header() const noexcept { return u32(field::rest_of_header); }
    /// Always 8: the fixed header that payload() follows.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return icmpv4::header_len; }
    /// True for an error message, which quotes the packet that caused it.
    [[nodiscard]] constexpr bool is_error() const noexcept { return icmpv4::is_error(type()); }

    /// Echo, timestamp, information and address mask messages.
    [[nodiscard]] constexpr std::uint16_t identifier() const noexcept { return u16(field::identifier); }
    /// Echo, timestamp, information and address mask messages: the sequence number.
    [[nodiscard]] constexpr std::uint16_t sequence() const noexcept { return u16(field::sequence); }
    /// Redirect: the gateway to send to instead.
    [[nodiscard]] constexpr ipv4_address gateway() const noexcept {
        return ipv4_address::load(this->buf_, field::gateway.begin);
    }
    /// Parameter problem: the offset of the offending octet in the invoking packet.
    [[nodiscard]] constexpr std::uint8_t pointer() const noexcept { return u8(field::pointer); }
    /// RFC 4884 length attribute (types 3, 11, 12): the invoking packet's
    /// length in 32-bit words; 0 when not given.
    [[nodiscard]] constexpr std::uint8_t length_words() const noexcept { return u8(field::length); }
    /// Destination unreachable, code 4: the MTU of the next hop (RFC 1191
    /// §4); 0 from routers that predate it.
    [[nodiscard]] constexpr std::uint16_t next_hop_mtu() const noexcept { return u16(field::next_hop_mtu); }

    /// Timestamp messages: milliseconds since midnight UT (RFC 792), or any
    /// value with the high bit set. 0 when the buffer is too short.
    [[nodiscard]] constexpr std::uint32_t originate_timestamp() const noexcept {
        return this->u32_or0(field::originate.begin);
    }
    /// Timestamp messages: when the request arrived (see originate_timestamp()).
    [[nodiscard]] constexpr std::uint32_t receive_timestamp() const noexcept {
        return this->u32_or0(field::receive.begin);
    }
    /// Timestamp messages: when the reply was sent (see originate_timestamp()).
    [[nodiscard]] constexpr std::uint32_t transmit_timestamp() const noexcept {
        return this->u32_or0(field::transmit.begin);
    }
    /// Address mask messages (RFC 950). 0 when the buffer is too short.
    [[nodiscard]] constexpr ipv4_address address_mask() const noexcept {
        return this->template address_or0<ipv4_address>(field::address_mask.begin);
    }

    /// Everything after the 8-byte header: echo data, the invoking packet
    /// and any extension, timestamps, ...
    [[nodiscard]] constexpr Buf payload() const noexcept {
        const std::size_t end = this->buf_.size();
        return this->range(end < icmpv4::header_len ? end : icmpv4::header_len, end);
    }

    // --- error messages: the invoking packet and the RFC 4884 extension ---
    /// The invoking packet of an error message (RFC 792's "original
    /// datagram": its IP header and leading data); empty for other types.
    /// With an RFC 4884 length attribute it ends there (clamped to the
    /// buffer); without one, at an extension found as RFC 4884 §5.5
    /// describes, or at the buffer end.
    [[nodiscard]] constexpr Buf invoking_packet() const noexcept {
        if (!is_error()) return Buf{};
        const Buf p = payload();
        return p.first(invoking_end(p));
    }
    /// The invoking packet's IPv4 header, validated by checked_header(): the
    /// quote is usually cut short of the total length. Error offsets count
    /// from the start of this message.
    [[nodiscard]] constexpr result<ipv4::basic_view<Buf>> invoking_ipv4() const noexcept {
        auto v = ipv4::basic_view<Buf>::checked_header(invoking_packet());
        if (!v) return v.error().rebased(icmpv4::header_len);
        return v;
    }
    /// The RFC 4884 extension structure (header and objects) after the
    /// invoking packet; empty when there is none.
    [[nodiscard]] constexpr Buf extension() const noexcept {
        if (!has_length_attribute(type())) return Buf{};
        const Buf p = payload();
        return p.subspan(invoking_end(p));
    }

    // --- checksum (RFC 792: the whole message, no pseudo header) ---
    /// True when the checksum over the whole message verifies.
    [[nodiscard]] constexpr bool checksum_ok() const noexcept {
        return checksum::accumulator{}.add(bytes{this->buf_}).verifies();
    }
    /// The checksum the message should carry (computed with the field as zero).
    [[nodiscard]] constexpr std::uint16_t compute_checksum() const noexcept {
        checksum::accumulator acc;
        acc.add(bytes{this->range(0, field::checksum.begin)});
        acc.add(bytes{this->range(field::checksum.end, this->buf_.size())});
        return acc.finish();
    }

    // --- setters (mut_view only) ---
    /// Sets the field type() reads.
    constexpr void set_type(message_type t) noexcept requires writable<Buf> {
        this->set_u8(field::type, static_cast<std::uint8_t>(t));
    }
    /// Sets the field code() reads.
    constexpr void set_code(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::code, v); }
    /// Sets the field checksum() reads.
    constexpr void set_checksum(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::checksum, v); }
    /// Sets the field rest_of_header() reads.
    constexpr void set_rest_of_header(std::uint32_t v) noexcept requires writable<Buf> {
        this->set_u32(field::rest_of_header, v);
    }
    /// Sets the field identifier() reads.
    constexpr void set_identifier(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_u16(field::identifier, v);
    }
    /// Sets the field sequence() reads.
    constexpr void set_sequence(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::sequence, v); }
    /// Writes the address gateway() reads.
    constexpr void set_gateway(const ipv4_address& a) noexcept requires writable<Buf> {
        a.store(this->buf_, field::gateway.begin);
    }
    /// Sets the field pointer() reads.
    constexpr void set_pointer(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::pointer, v); }
    /// Sets the field length_words() reads.
    constexpr void set_length_words(std::uint8_t words) noexcept requires writable<Buf> {
        this->set_u8(field::length, words);
    }
    /// Sets the field next_hop_mtu() reads.
    constexpr void set_next_hop_mtu(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_u16(field::next_hop_mtu, v);
    }
    /// Timestamp and address mask setters write nothing when the buffer is
    /// too short to hold their field.
    constexpr void set_originate_timestamp(std::uint32_t v) noexcept requires writable<Buf> {
        this->try_set_u32(field::originate.begin, v);
    }
    /// Sets the field receive_timestamp() reads.
    constexpr void set_receive_timestamp(std::uint32_t v) noexcept requires writable<Buf> {
        this->try_set_u32(field::receive.begin, v);
    }
    /// Sets the field transmit_timestamp() reads.
    constexpr void set_transmit_timestamp(std::uint32_t v) noexcept requires writable<Buf> {
        this->try_set_u32(field::transmit.begin, v);
    }
    /// Writes the address address_mask() reads (nothing when the buffer is too short).
    constexpr void set_address_mask(const ipv4_address& a) noexcept requires writable<Buf> {
        this->try_set_address(field::address_mask.begin, a);
    }
    /// Computes and stores the checksum; the whole message must be final.
    constexpr void fill_checksum() noexcept requires writable<Buf> { set_checksum(compute_checksum()); }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}

    /// Where the invoking packet ends in the payload `p` of an error message.
    [[nodiscard]] constexpr std::size_t invoking_end(const Buf& p) const noexcept {
        if (!has_length_attribute(type())) return p.size();
        if (length_words() != 0) {
            const std::size_t end = std::size_t{length_words()} * 4;
            return end < p.size() ? end : p.size();
        }
        return has_compat_extension(p) ? rfc4884_invoking_len : p.size();
    }
};

/// A read-only ICMPv4 view over received bytes.
using view = basic_view<bytes>;
/// A writable ICMPv4 view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// The checksum an emit() fills: over the first `len` bytes of `v` (the
/// whole message, header and what follows it).
constexpr void fill_message_checksum(mut_view v, std::size_t len) noexcept {
    mut_view::unchecked(clamp_subspan(v.buffer(), 0, len)).fill_checksum();
}

/// An echo request or reply (RFC 792), owned. The data is not held: the
/// builder writes data_len bytes after the header.
struct echo_repr {
    bool reply = false;           ///< echo reply; false: echo request
    std::uint16_t identifier = 0; ///< identifier (ping uses it to tell its replies apart)
    std::uint16_t sequence = 0;   ///< sequence number
    std::uint16_t data_len = 0;   ///< bytes of data after the header

    /// Accepts an echo request or reply with code 0 (another type is
    /// errc::unsupported, `available` the type) whose data fits data_len.
    [[nodiscard]] static constexpr result<echo_repr> parse(const view& v) noexcept {
        if (v.type() != message_type::echo_request && v.type() != message_type::echo_reply) {
            return error::invalid(layer::icmpv4, errc::unsupported, length_source::none, field::type, 0,
                                  static_cast<std::uint8_t>(v.type()));
        }
        if (v.code() != 0) {
            return error::invalid(layer::icmpv4, errc::bad_value, length_source::none, field::code, 0, v.code());
        }
        if (v.payload().size() > max_data_len) {
            return error::invalid(layer::icmpv4, errc::length_too_large, length_source::none, field::data, max_data_len,
                                  v.payload().size());
        }
        return echo_repr{v.type() == message_type::echo_reply, v.identifier(), v.sequence(),
                         static_cast<std::uint16_t>(v.payload().size())};
    }

    /// The fixed header length, icmpv4::header_len bytes.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return icmpv4::header_len; }
    /// The whole message: header and data.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return icmpv4::header_len + data_len; }

    /// Writes the header into `v` and fills the checksum, which covers the
    /// data: `v` holds buffer_len() bytes, the data already after the header.
    constexpr void emit(mut_view v) const noexcept {
        v.set_type(reply ? message_type::echo_reply : message_type::echo_request);
        v.set_code(0);
        v.set_checksum(0);
        v.set_identifier(identifier);
        v.set_sequence(sequence);
        fill_message_checksum(v, buffer_len());
    }

    friend constexpr bool operator==(const echo_repr&, const echo_repr&) noexcept = default;
};

/// An error message (destination unreachable, source quench, redirect,
/// time exceeded, parameter problem), owned. The invoking packet and the
/// extension are not held: the builder writes them after the header.
struct error_repr {
    message_type type = message_type::destination_unreachable; ///< the error's type
    std::uint8_t code = 0;                                     ///< the code (see the *_code namespaces)
    std::uint16_t next_hop_mtu = 0; ///< destination unreachable (RFC 1191 §4: code 4, else 0)
    std::uint8_t pointer = 0;       ///< parameter problem
    ipv4_address gateway{};         ///< redirect
    std::uint16_t invoking_len = 0; ///< bytes of the invoking packet after the header
    /// Bytes of the RFC 4884 extension structure after the invoking packet
    /// (types 3, 11 and 12 only; 0 for none).
    std::uint16_t extension_len = 0;

    /// Accepts an error message (another type is errc::unsupported,
    /// `available` the type) whose invoking packet holds an IPv4 header and
    /// at least 8 bytes after it (RFC 792). Fields the type does not use
    /// are not kept. A length attribute that describes no extension while
    /// the quote holds one RFC 4884 §5.5 would find is errc::bad_value
    /// (`available` the attribute): emit() could not write it back.
    [[nodiscard]] static constexpr result<error_repr> parse(const view& v) noexcept {
        if (!v.is_error()) {
            return error::invalid(layer::icmpv4, errc::unsupported, length_source::none, field::type, 0,
                                  static_cast<std::uint8_t>(v.type()));
        }
        const auto ip = v.invoking_ipv4();
        if (!ip) return ip.error();
        const std::size_t quoted = v.invoking_packet().size();
        const std::size_t need = ip->header_len() + min_invoking_data;
        if (quoted < need) {
            return error::truncated(layer::icmpv4, length_source::header_length, field::data, need, quoted);
        }
        const std::size_t ext = v.extension().size();
        // emit() writes the length attribute only with an extension. A
        // message whose attribute describes none would read, written again
        // without it, as carrying the extension RFC 4884 §5.5 finds at
        // byte 128: not a message emit() can reproduce.
        if (ext == 0 && v.length_words() != 0 && has_length_attribute(v.type()) && has_compat_extension(v.payload())) {
            return error::invalid(layer::icmpv4, errc::bad_value, length_source::none, field::length, 0,
                                  v.length_words());
        }
        if (quoted > max_data_len || ext > max_data_len - quoted) {
            return error::invalid(layer::icmpv4, errc::length_too_large, length_source::none, field::data, max_data_len,
                                  quoted + ext);
        }
        error_repr r;
        r.type = v.type();
        r.code = v.code();
        if (r.type == message_type::destination_unreachable) r.next_hop_mtu = v.next_hop_mtu();
        if (r.type == message_type::parameter_problem) r.pointer = v.pointer();
        if (r.type == message_type::redirect) r.gateway = v.gateway();
        r.invoking_len = static_cast<std::uint16_t>(quoted);
        r.extension_len = static_cast<std::uint16_t>(ext);
        return r;
    }

    /// The fixed header length, icmpv4::header_len bytes.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return icmpv4::header_len; }
    /// Header, invoking packet and extension.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept {
        return icmpv4::header_len + invoking_len + extension_len;
    }

    /// Writes the header into `v` and fills the checksum, which covers the
    /// whole message: `v` holds buffer_len() bytes, the invoking packet and
    /// extension already after the header. With an extension, the RFC 4884
    /// length attribute is written as invoking_len / 4: the invoking packet
    /// must then be padded to a multiple of 4 bytes and to at least 128
    /// (RFC 4884 §5.1).
    constexpr void emit(mut_view v) const noexcept {
        v.set_type(type);
        v.set_code(code);
        v.set_checksum(0);
        v.set_rest_of_header(0);
        switch (type) {
        case message_type::destination_unreachable: v.set_next_hop_mtu(next_hop_mtu); break;
        case message_type::parameter_problem: v.set_pointer(pointer); break;
        case message_type::redirect: v.set_gateway(gateway); break;
        default: break;
        }
        if (extension_len != 0 && has_length_attribute(type)) {
            v.set_length_words(static_cast<std::uint8_t>(invoking_len / 4));
        }
        fill_message_checksum(v, buffer_len());
    }

    friend constexpr bool operator==(const error_repr&, const error_repr&) noexcept = default;
};

} // namespace rawpkt::icmpv4
