// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// IPv6 extension headers (RFC 8200 §4): the header chain, typed views of the
/// Hop-by-Hop and Destination Options, Routing (including the Segment
/// Routing Header), Fragment and Authentication headers, and the options
/// iterator. Included by <rawpkt/packet/ipv6.hpp>.
///
/// Contract: every typed view's `checked(b)` guarantees its whole header
/// (per its own length field) is inside `b`, after which no accessor reads
/// out of bounds; for a Segment Routing Header it also guarantees the
/// segment list fits the header. `set_header_len()` and, for an SRH,
/// `set_last_entry()` void that guarantee. The chain iterator and
/// find_upper_layer() never read outside the bytes they are given, on any
/// input; option iterators never read outside their header.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/tlv.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>
#include <iterator>

namespace rawpkt::detail {
/// Validates the length octet of an IPv6 extension header that uses the
/// generic format ((Hdr Ext Len + 1) * 8 bytes) at the start of `b`.
[[nodiscard]] constexpr status ipv6_check_generic_len(bytes b) noexcept {
    constexpr std::size_t min_len = 8;
    if (b.size() < min_len) {
        return error::truncated(layer::ipv6_extension, length_source::fixed_header, 0, min_len, b.size());
    }
    const std::size_t len = (std::size_t{load_u8(b, 1)} + 1) * 8;
    if (len > b.size())
        return error::truncated(layer::ipv6_extension, length_source::extension_length, 0, len, b.size());
    return {};
}
} // namespace rawpkt::detail

namespace rawpkt::ipv6 {

using address = ipv6_address;

/// Every extension header is a whole number of 8-byte units, at least one
/// (RFC 8200 §4; RFC 4302 §2.2 for AH).
inline constexpr std::size_t min_ext_header_len = 8;
/// A chain longer than this is reported as errc::too_many. RFC 8200 §4.1
/// wants each header at most once (Destination Options twice): with
/// mobility, HIP and shim6 an honest chain has at most nine.
inline constexpr std::size_t max_ext_headers = 16;

/// True for the next-header values the chain walks as extension headers
/// (RFC 8200 §4 and IANA "IPv6 Extension Header Types": hop-by-hop,
/// routing, fragment, destination options, AH, mobility, HIP, shim6). ESP
/// (50) and No Next Header (59) end the chain: nothing after them can be
/// read as a header.
[[nodiscard]] constexpr bool is_extension_header(ip_proto p) noexcept {
    switch (p) {
    case ip_proto::hopopt:
    case ip_proto::ipv6_route:
    case ip_proto::ipv6_frag:
    case ip_proto::ipv6_opts:
    case ip_proto::ah:
    case ip_proto::mobility:
    case ip_proto::hip:
    case ip_proto::shim6: return true;
    default: return false;
    }
}

// --- Hop-by-Hop and Destination Options (RFC 8200 §4.2) ---

/// Option types (RFC 8200 §4.2; IANA "Destination Options and Hop-by-Hop
/// Options"). The two high bits are the action for a node that does not
/// recognise the option, the third says whether it may change en route.
enum class option_kind : std::uint8_t {
    pad1 = 0x00,               ///< one byte of padding, no length octet
    padn = 0x01,               ///< N bytes of padding
    tunnel_encap_limit = 0x04, ///< RFC 2473 §5.1
    router_alert = 0x05,       ///< RFC 2711 §2.1
    calipso = 0x07,            ///< RFC 5570
    smf_dpd = 0x08,            ///< RFC 6621
    pdm = 0x0f,                ///< RFC 8250
    quick_start = 0x26,        ///< RFC 4782
    path_mtu = 0x30,           ///< RFC 9268
    rpl = 0x63,                ///< RFC 6553
    jumbo_payload = 0xc2,      ///< RFC 2675 §2
    home_address = 0xc9,       ///< RFC 6275 §6.3
};

/// What a node that does not recognise an option does (RFC 8200 §4.2).
enum class option_action : std::uint8_t {
    skip = 0,                 ///< skip it and continue
    discard = 1,              ///< discard the packet
    discard_icmp = 2,         ///< discard and send ICMP Parameter Problem, code 2
    discard_icmp_unicast = 3, ///< the same, unless the destination is multicast
};

/// One option. `data` is the value after the type and length octets (empty
/// for Pad1); `offset` is where the option starts, counted from the start
/// of its extension header (or the base given to option_range).
struct option {
    option_kind kind{};     ///< the option type (its top bits: action() and may_change())
    std::size_t length = 1; ///< whole option in bytes, type and length octets included
    std::size_t offset = 0; ///< where the option starts (see the struct comment)
    bytes data{};           ///< the option data after the type and length octets

    /// What a node that does not know the option must do (the two high bits of the type, RFC 8200 §4.2).
    [[nodiscard]] constexpr option_action action() const noexcept {
        return static_cast<option_action>(static_cast<std::uint8_t>(kind) >> 6);
    }
    /// The option data may change on the way (the third high bit of the type, RFC 8200 §4.2).
    [[nodiscard]] constexpr bool may_change() const noexcept { return (static_cast<std::uint8_t>(kind) & 0x20u) != 0; }
    /// Jumbo Payload Length (RFC 2675 §2): the packet's length in bytes
    /// without the IPv6 fixed header, the hop-by-hop header included.
    [[nodiscard]] constexpr std::uint32_t jumbo_payload_len() const noexcept {
        return load_be_or<std::uint32_t>(data, 0);
    }
    /// Router Alert value (RFC 2711 §2.1): 0 MLD, 1 RSVP, 2 active networks.
    [[nodiscard]] constexpr std::uint16_t router_alert_value() const noexcept {
        return load_be_or<std::uint16_t>(data, 0);
    }
    /// Tunnel Encapsulation Limit (RFC 2473 §5.1): nested encapsulations allowed.
    [[nodiscard]] constexpr std::uint8_t tunnel_encap_limit() const noexcept { return load_u8_or(data, 0); }
    /// Home Address option (RFC 6275 §6.3).
    [[nodiscard]] constexpr address home_address() const noexcept { return load_address_or<address>(data, 0); }
};

/// Validates the option at `at` (< opts.size()) in `opts`. Lengths that
/// run past the header are truncation errors; the options rawpkt decodes
/// must have their exact data length (for those errors `needed` and
/// `available` are data lengths, the option length octet's value). `base`
/// is added to offsets.
[[nodiscard]] constexpr result<option> parse_option(bytes opts, std::size_t at, std::size_t base) noexcept {
    const std::size_t left = opts.size() - at;
    const auto kind = static_cast<option_kind>(load_u8(opts, at));
    option o{kind, 1, base + at, {}};
    if (kind == option_kind::pad1) return o;
    if (left < 2) return error::truncated(layer::ipv6_option, length_source::option_length, o.offset, 2, left);
    const std::size_t data_len = load_u8(opts, at + 1);
    if (2 + data_len > left) {
        return error::truncated(layer::ipv6_option, length_source::option_length, o.offset, 2 + data_len, left);
    }
    std::size_t want = 0; // exact data length, for the options with accessors
    switch (kind) {
    case option_kind::tunnel_encap_limit: want = 1; break;
    case option_kind::router_alert: want = 2; break;
    case option_kind::jumbo_payload: want = 4; break;
    case option_kind::home_address: want = address::size; break;
    default: break;
    }
    if (want != 0 && data_len != want) {
        return error::invalid(layer::ipv6_option, data_len < want ? errc::length_too_small : errc::length_too_large,
                              length_source::option_length, o.offset + 1, want, data_len);
    }
    o.length = 2 + data_len;
    o.data = opts.subspan(at + 2, data_len);
    return o;
}

/// How an options area is walked: each option by parse_option(), to the end.
struct option_traits {
    using item = option;                        ///< what the range yields
    static constexpr auto parse = parse_option; ///< reads one option
};

/// Iterates an options area. Yields `result<option>`: a malformed option
/// yields its error and ends the iteration.
using option_range = detail::tlv_range<option_traits>;

/// Hop-by-Hop Options (RFC 8200 §4.3) and Destination Options (§4.6)
/// headers: the same layout, a next-header octet, a length octet, options.
namespace opts {

namespace field {
inline constexpr std::size_t next_header = 0; ///< type of the header after this one (ip_proto)
inline constexpr std::size_t hdr_ext_len = 1; ///< length in 8-byte units, not counting the first 8
inline constexpr std::size_t options = 2;     ///< options start; up to the header length
} // namespace field

/// The longest header the length octet can describe.
inline constexpr std::size_t max_header_len = 256 * 8;

/// Zero-copy Hop-by-Hop / Destination Options header view; `b` starts at
/// the header and may run on past it.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;
    /// A view of `b` without checks, for buffers the caller sized.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }
    /// Validates the fixed 8 bytes and the header length. Options are
    /// checked as they are iterated (options().validate()).
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (auto ok = detail::ipv6_check_generic_len(b); !ok) return ok.error();
        return basic_view{b};
    }

    /// The type of the header that follows (RFC 8200 §4).
    [[nodiscard]] constexpr ip_proto next_header() const noexcept {
        return static_cast<ip_proto>(u8(field::next_header));
    }
    /// The raw Hdr Ext Len field, in 8-byte units not counting the first 8.
    [[nodiscard]] constexpr std::uint8_t hdr_ext_len() const noexcept { return u8(field::hdr_ext_len); }
    /// Header length in bytes: (Hdr Ext Len + 1) * 8.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return (std::size_t{hdr_ext_len()} + 1) * 8; }
    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, header_len()); }
    /// The options area: the header after its first 2 bytes.
    [[nodiscard]] constexpr Buf options_bytes() const noexcept { return this->range(field::options, header_len()); }
    /// The options; offsets count from the start of this header.
    [[nodiscard]] constexpr option_range options() const noexcept {
        return option_range{bytes{options_bytes()}, field::options};
    }
    /// Whatever follows the header in the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept { return this->range(header_len(), this->buf_.size()); }

    /// Sets the field next_header() reads.
    constexpr void set_next_header(ip_proto p) noexcept requires writable<Buf> {
        this->set_u8(field::next_header, static_cast<std::uint8_t>(p));
    }
    /// Sets Hdr Ext Len from a byte length (a multiple of 8, 8..2048).
    /// Voids the checked() guarantee if the new length exceeds the buffer.
    constexpr void set_header_len(std::size_t len) noexcept requires writable<Buf> {
        this->set_u8(field::hdr_ext_len, static_cast<std::uint8_t>(len / 8 - 1));
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only hop-by-hop / destination options header view over received bytes.
using view = basic_view<bytes>;
/// A writable options header view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// The options an opts::repr holds. The format allows up to 2046 bytes;
/// rawpkt keeps 256 inline (room for several IOAM or CALIPSO options), and
/// parse() refuses a header with more.
inline constexpr std::size_t max_repr_options_len = 256;

/// An options header, owned.
struct repr {
    ip_proto next_header = ip_proto::ipv6_nonxt; ///< the type of the header that follows
    /// Raw options; emit() pads them to a multiple of 8 bytes (RFC 8200 §4.2).
    small_bytes<max_repr_options_len> options{};

    /// Accepts a checked view whose options are well formed and fit
    /// max_repr_options_len (else errc::too_many, `needed` the limit and
    /// `available` the options' length).
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        if (auto ok = v.options().validate(); !ok) return ok.error();
        repr r{v.next_header(), {}};
        if (!r.options.set(v.options_bytes())) {
            return error::invalid(layer::ipv6_extension, errc::too_many, length_source::extension_length,
                                  field::hdr_ext_len, max_repr_options_len, v.options_bytes().size());
        }
        return r;
    }
    /// Bytes of the header emit() writes: 2 plus the options, padded to a multiple of 8.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return (field::options + options.size() + 7) & ~std::size_t{7};
    }
    /// Writes the header into `v` (at least header_len() bytes), padding
    /// with Pad1 or PadN (RFC 8200 §4.2).
    constexpr void emit(mut_view v) const noexcept {
        const std::size_t len = header_len();
        v.set_next_header(next_header);
        v.set_header_len(len);
        mut_bytes out = v.buffer();
        store_bytes(out, field::options, options.bytes());
        const std::size_t pad_at = field::options + options.size();
        const std::size_t pad = len - pad_at;
        for (std::size_t i = 0; i < pad; ++i) out[pad_at + i] = std::byte{0};
        if (pad >= 2) {
            store_u8(out, pad_at, static_cast<std::uint8_t>(option_kind::padn));
            store_u8(out, pad_at + 1, static_cast<std::uint8_t>(pad - 2));
        }
    }
    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};
static_assert((field::options + max_repr_options_len + 7) / 8 * 8 <= max_header_len,
              "every opts::repr fits the length octet");

} // namespace opts

// --- Routing header (RFC 8200 §4.4) ---

namespace routing {

/// Routing types (IANA "Routing Types").
enum class kind : std::uint8_t {
    source_route = 0,    ///< RFC 2460 §4.4, deprecated by RFC 5095
    mobile_ipv6 = 2,     ///< type 2, RFC 6275 §6.4: one home address
    rpl = 3,             ///< RFC 6554: compressed addresses
    segment_routing = 4, ///< RFC 8754 §2 (SRH)
};

namespace field {
inline constexpr std::size_t next_header = 0;   ///< type of the header that follows
inline constexpr std::size_t hdr_ext_len = 1;   ///< 8-byte units, not counting the first 8
inline constexpr std::size_t routing_type = 2;  ///< the routing type (see kind)
inline constexpr std::size_t segments_left = 3; ///< route segments still to be visited
inline constexpr std::size_t type_data = 4;     ///< type-specific data, up to the header length
inline constexpr byte_range reserved{4, 8};     ///< types 0 and 2
inline constexpr std::size_t last_entry = 4;    ///< SRH: index of the last segment-list entry
inline constexpr std::size_t flags = 5;         ///< SRH
inline constexpr byte_range tag{6, 8};          ///< SRH
inline constexpr std::size_t addresses = 8;     ///< types 0, 2 and SRH: 16-byte addresses from here
} // namespace field

/// Zero-copy Routing header view; `b` starts at the header.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;
    /// A view of `b` without checks, for buffers the caller sized.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }
    /// Validates the header length and, for an SRH, that the segment list
    /// (Last Entry + 1 addresses) fits the header.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (auto ok = detail::ipv6_check_generic_len(b); !ok) return ok.error();
        const basic_view v{b};
        if (v.routing_type() == kind::segment_routing) {
            const std::size_t need = field::addresses + (std::size_t{v.last_entry()} + 1) * address::size;
            if (need > v.header_len()) {
                return error::invalid(layer::ipv6_extension, errc::length_too_small, length_source::extension_length,
                                      field::hdr_ext_len, need, v.header_len());
            }
        }
        return v;
    }

    /// The type of the header that follows (RFC 8200 §4.4).
    [[nodiscard]] constexpr ip_proto next_header() const noexcept {
        return static_cast<ip_proto>(u8(field::next_header));
    }
    /// The raw Hdr Ext Len field, in 8-byte units not counting the first 8.
    [[nodiscard]] constexpr std::uint8_t hdr_ext_len() const noexcept { return u8(field::hdr_ext_len); }
    /// Header length in bytes: (Hdr Ext Len + 1) * 8.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return (std::size_t{hdr_ext_len()} + 1) * 8; }
    /// The routing type (RFC 8200 §4.4).
    [[nodiscard]] constexpr kind routing_type() const noexcept { return static_cast<kind>(u8(field::routing_type)); }
    /// Route segments still to be visited.
    [[nodiscard]] constexpr std::uint8_t segments_left() const noexcept { return u8(field::segments_left); }
    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, header_len()); }
    /// The type-specific data (from byte 4 to the end of the header).
    [[nodiscard]] constexpr Buf type_data() const noexcept { return this->range(field::type_data, header_len()); }

    /// Number of 16-byte addresses: Last Entry + 1 for an SRH, as many as
    /// fit the header for types 0 and 2, 0 for other types.
    [[nodiscard]] constexpr std::size_t address_count() const noexcept {
        switch (routing_type()) {
        case kind::segment_routing: return std::size_t{last_entry()} + 1;
        case kind::source_route:
        case kind::mobile_ipv6: return (header_len() - field::addresses) / address::size;
        default: return 0;
        }
    }
    /// Address i < address_count(): Address[i+1] of a type 0 header, the
    /// home address of a type 2 header, Segment List[i] of an SRH (entry 0
    /// is the final segment, RFC 8754 §2).
    [[nodiscard]] constexpr address address_at(std::size_t i) const noexcept {
        return load_address_or<address>(bytes{header()}, field::addresses + i * address::size);
    }

    /// The final destination, which the upper-layer pseudo header uses
    /// (RFC 8200 §8.1), of a packet whose IPv6 Destination Address is
    /// `dst`. With Segments Left 0 the packet is at its final destination
    /// and `dst` is it, whatever the type. Otherwise: the last address of a
    /// type 0 header, the home address of a type 2 header, Segment List[0]
    /// of an SRH; errc::unsupported for other types, length_too_small for a
    /// type 0 or 2 header without one.
    [[nodiscard]] constexpr result<address> final_destination(const address& dst) const noexcept {
        if (segments_left() == 0) return dst;
        const std::size_t n = address_count();
        switch (routing_type()) {
        case kind::segment_routing: return address_at(0);
        case kind::source_route:
        case kind::mobile_ipv6:
            if (n == 0) {
                return error::invalid(layer::ipv6_extension, errc::length_too_small, length_source::extension_length,
                                      field::hdr_ext_len, field::addresses + address::size, header_len());
            }
            return address_at(n - 1);
        default:
            return error::invalid(layer::ipv6_extension, errc::unsupported, length_source::none, field::routing_type, 0,
                                  u8(field::routing_type));
        }
    }

    // --- Segment Routing Header (RFC 8754 §2) ---
    /// SRH Last Entry: index of the last entry of the segment list (RFC 8754 §2).
    [[nodiscard]] constexpr std::uint8_t last_entry() const noexcept { return u8(field::last_entry); }
    /// SRH flags (none defined by RFC 8754).
    [[nodiscard]] constexpr std::uint8_t flags() const noexcept { return u8(field::flags); }
    /// SRH tag: packets of a class or group (RFC 8754 §2).
    [[nodiscard]] constexpr std::uint16_t tag() const noexcept { return u16(field::tag.begin); }
    /// SRH TLVs (RFC 8754 §2.1) after the segment list, undecoded.
    [[nodiscard]] constexpr Buf tlv_bytes() const noexcept {
        return this->range(field::addresses + address_count() * address::size, header_len());
    }

    /// Whatever follows the header in the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept { return this->range(header_len(), this->buf_.size()); }

    /// Sets the field next_header() reads.
    constexpr void set_next_header(ip_proto p) noexcept requires writable<Buf> {
        this->set_u8(field::next_header, static_cast<std::uint8_t>(p));
    }
    /// Sets Hdr Ext Len from a byte length (a multiple of 8). Voids the
    /// checked() guarantee if the new length exceeds the buffer.
    constexpr void set_header_len(std::size_t len) noexcept requires writable<Buf> {
        this->set_u8(field::hdr_ext_len, static_cast<std::uint8_t>(len / 8 - 1));
    }
    /// Sets the field routing_type() reads.
    constexpr void set_routing_type(kind k) noexcept requires writable<Buf> {
        this->set_u8(field::routing_type, static_cast<std::uint8_t>(k));
    }
    /// Sets the field segments_left() reads.
    constexpr void set_segments_left(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_u8(field::segments_left, v);
    }
    /// Voids the checked() guarantee if the segment list no longer fits.
    constexpr void set_last_entry(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_u8(field::last_entry, v);
    }
    /// Sets the field flags() reads.
    constexpr void set_flags(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::flags, v); }
    /// Sets the field tag() reads.
    constexpr void set_tag(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::tag.begin, v); }
    /// Sets the reserved word of a type 0 or 2 header.
    constexpr void set_reserved(std::uint32_t v) noexcept requires writable<Buf> { this->set_u32(field::reserved, v); }
    /// Address i < address_count().
    constexpr void set_address_at(std::size_t i, const address& a) noexcept requires writable<Buf> {
        a.store(this->buf_, field::addresses + i * address::size);
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only routing header view over received bytes.
using view = basic_view<bytes>;
/// A writable routing header view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

} // namespace routing

// --- Fragment header (RFC 8200 §4.5) ---

namespace fragment {

namespace field {
inline constexpr std::size_t next_header = 0;   ///< type of the fragmentable part's first header
inline constexpr std::size_t reserved = 1;      ///< ignored on receipt (not a length)
inline constexpr byte_range offset_flags{2, 4}; ///< offset (13 bits, x8 bytes), 2 reserved bits, M flag
inline constexpr byte_range ident{4, 8};        ///< identification
} // namespace field

/// The fragment header has no length field: it is always 8 bytes.
inline constexpr std::size_t fixed_header_len = field::ident.end;
/// The offset bits of the offset-and-flags word (in 8-byte units, shifted left by 3).
inline constexpr std::uint16_t offset_mask = 0xfff8;
/// The two reserved bits of that word.
inline constexpr std::uint16_t reserved_bits_mask = 0x0006;
/// The M flag: more fragments follow.
inline constexpr std::uint16_t more_fragments_flag = 0x0001;

/// Zero-copy Fragment header view; `b` starts at the header.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u32;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;
    /// A view of `b` without checks, for buffers the caller sized.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }
    /// A view of `b` when it holds the 8-byte header; errc::truncated otherwise.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < fixed_header_len) {
            return error::truncated(layer::ipv6_extension, length_source::fixed_header, 0, fixed_header_len, b.size());
        }
        return basic_view{b};
    }

    /// The type of the header that follows, in the first fragment (RFC 8200 §4.5).
    [[nodiscard]] constexpr ip_proto next_header() const noexcept {
        return static_cast<ip_proto>(u8(field::next_header));
    }
    /// The reserved octet (zero when sent, ignored on receipt).
    [[nodiscard]] constexpr std::uint8_t reserved() const noexcept { return u8(field::reserved); }
    /// The raw 13-bit fragment-offset field, in 8-byte units.
    [[nodiscard]] constexpr std::uint16_t frag_offset_units() const noexcept {
        return static_cast<std::uint16_t>(u16(field::offset_flags) >> 3);
    }
    /// Fragment offset in bytes, relative to the fragmentable part.
    [[nodiscard]] constexpr std::uint32_t frag_offset() const noexcept {
        return std::uint32_t{frag_offset_units()} * 8;
    }
    /// The two reserved bits (ignored on receipt).
    [[nodiscard]] constexpr std::uint8_t reserved_bits() const noexcept {
        return static_cast<std::uint8_t>((u16(field::offset_flags) & reserved_bits_mask) >> 1);
    }
    /// M: more fragments follow.
    [[nodiscard]] constexpr bool more_fragments() const noexcept {
        return (u16(field::offset_flags) & more_fragments_flag) != 0;
    }
    /// Identification: ties the fragments of one packet together (RFC 8200 §4.5).
    [[nodiscard]] constexpr std::uint32_t ident() const noexcept { return u32(field::ident); }
    /// True for a fragment other than the first: what follows the header
    /// is fragment data, not the next header.
    [[nodiscard]] constexpr bool is_later_fragment() const noexcept { return frag_offset_units() != 0; }
    /// An atomic fragment (RFC 6946): offset 0 and no more fragments, the
    /// whole packet in one piece.
    [[nodiscard]] constexpr bool is_atomic() const noexcept { return frag_offset_units() == 0 && !more_fragments(); }
    /// Always 8.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return fixed_header_len; }
    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, fixed_header_len); }
    /// The fragment data: whatever follows the header in the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept { return this->range(fixed_header_len, this->buf_.size()); }

    /// Sets the field next_header() reads.
    constexpr void set_next_header(ip_proto p) noexcept requires writable<Buf> {
        this->set_u8(field::next_header, static_cast<std::uint8_t>(p));
    }
    /// Sets the field reserved() reads.
    constexpr void set_reserved(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::reserved, v); }
    /// Sets the fragment offset from bytes (a multiple of 8, below 65536).
    constexpr void set_frag_offset(std::uint32_t bytes_offset) noexcept requires writable<Buf> {
        this->set_bits16(field::offset_flags.begin, offset_mask,
                         static_cast<std::uint16_t>(bytes_offset & offset_mask));
    }
    /// Sets the field reserved_bits() reads.
    constexpr void set_reserved_bits(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits16(field::offset_flags.begin, reserved_bits_mask, static_cast<std::uint16_t>(v << 1));
    }
    /// Sets or clears the flag more_fragments() reads.
    constexpr void set_more_fragments(bool v) noexcept requires writable<Buf> {
        this->set_bits16(field::offset_flags.begin, more_fragments_flag, v ? more_fragments_flag : 0);
    }
    /// Sets the field ident() reads.
    constexpr void set_ident(std::uint32_t v) noexcept requires writable<Buf> { this->set_u32(field::ident, v); }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only fragment header view over received bytes.
using view = basic_view<bytes>;
/// A writable fragment header view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// A fragment header, owned. The reserved fields are not kept: they are
/// ignored on receipt and written as zero (RFC 8200 §4.5).
struct repr {
    ip_proto next_header = ip_proto::udp; ///< type of the header that follows
    std::uint32_t frag_offset = 0;        ///< bytes, a multiple of 8
    bool more_fragments = false;          ///< M: more fragments follow
    std::uint32_t ident = 0;              ///< identification

    /// Accepts every checked header (the reserved fields are dropped).
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        return repr{v.next_header(), v.frag_offset(), v.more_fragments(), v.ident()};
    }
    /// Always 8.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return fixed_header_len; }
    /// Writes the header into `v` (at least 8 bytes).
    constexpr void emit(mut_view v) const noexcept {
        v.set_next_header(next_header);
        v.set_reserved(0);
        v.set_frag_offset(frag_offset);
        v.set_reserved_bits(0);
        v.set_more_fragments(more_fragments);
        v.set_ident(ident);
    }
    friend constexpr bool operator==(const repr&, const repr&) = default;
};

} // namespace fragment

// --- Authentication Header (RFC 4302 §2) ---

namespace ah {

namespace field {
inline constexpr std::size_t next_header = 0; ///< type of the header that follows
inline constexpr std::size_t payload_len = 1; ///< length in 4-byte units, minus 2
inline constexpr byte_range reserved{2, 4};   ///< reserved, zero on transmission
inline constexpr byte_range spi{4, 8};        ///< security parameters index
inline constexpr byte_range seq{8, 12};       ///< sequence number
inline constexpr std::size_t icv = 12;        ///< integrity check value, up to the header length
} // namespace field

/// The fixed fields; the ICV may be empty (RFC 4302 §2.2: the "null" algorithm).
inline constexpr std::size_t min_header_len = field::icv;

/// Zero-copy Authentication Header view; `b` starts at the header.
///
/// RFC 4302 §2.2 asks for a multiple of 8 bytes in IPv6; rawpkt accepts any
/// multiple of 4: the length is still self-describing.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u32;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;
    /// A view of `b` without checks, for buffers the caller sized.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }
    /// A view of `b` when it holds the fixed fields and its Payload Len fits both the minimum and the buffer.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < min_header_len) {
            return error::truncated(layer::ipv6_extension, length_source::fixed_header, 0, min_header_len, b.size());
        }
        const basic_view v{b};
        if (v.header_len() < min_header_len) {
            return error::invalid(layer::ipv6_extension, errc::length_too_small, length_source::extension_length,
                                  field::payload_len, min_header_len, v.header_len());
        }
        if (v.header_len() > b.size()) {
            return error::truncated(layer::ipv6_extension, length_source::extension_length, 0, v.header_len(),
                                    b.size());
        }
        return v;
    }

    /// The type of the header that follows (RFC 4302 §2.1).
    [[nodiscard]] constexpr ip_proto next_header() const noexcept {
        return static_cast<ip_proto>(u8(field::next_header));
    }
    /// The raw Payload Len field: header length in 32-bit words, minus 2.
    [[nodiscard]] constexpr std::uint8_t payload_len_words() const noexcept { return u8(field::payload_len); }
    /// Header length in bytes: (Payload Len + 2) * 4.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return (std::size_t{payload_len_words()} + 2) * 4;
    }
    /// The reserved field (RFC 4302 §2.3).
    [[nodiscard]] constexpr std::uint16_t reserved() const noexcept { return u16(field::reserved.begin); }
    /// Security parameters index: with the destination, names the security association (RFC 4302 §2.4).
    [[nodiscard]] constexpr std::uint32_t spi() const noexcept { return u32(field::spi); }
    /// The sequence number (RFC 4302 §2.5).
    [[nodiscard]] constexpr std::uint32_t sequence() const noexcept { return u32(field::seq); }
    /// The integrity check value, up to header_len() (RFC 4302 §2.6).
    [[nodiscard]] constexpr Buf icv() const noexcept { return this->range(field::icv, header_len()); }
    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, header_len()); }
    /// Whatever follows the header in the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept { return this->range(header_len(), this->buf_.size()); }

    /// Sets the field next_header() reads.
    constexpr void set_next_header(ip_proto p) noexcept requires writable<Buf> {
        this->set_u8(field::next_header, static_cast<std::uint8_t>(p));
    }
    /// Sets Payload Len from a byte length (a multiple of 4, at least 12).
    /// Voids the checked() guarantee if the new length exceeds the buffer.
    constexpr void set_header_len(std::size_t len) noexcept requires writable<Buf> {
        this->set_u8(field::payload_len, static_cast<std::uint8_t>(len / 4 - 2));
    }
    /// Sets the field reserved() reads.
    constexpr void set_reserved(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_u16(field::reserved.begin, v);
    }
    /// Sets the field spi() reads.
    constexpr void set_spi(std::uint32_t v) noexcept requires writable<Buf> { this->set_u32(field::spi, v); }
    /// Sets the field sequence() reads.
    constexpr void set_sequence(std::uint32_t v) noexcept requires writable<Buf> { this->set_u32(field::seq, v); }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only authentication header view over received bytes.
using view = basic_view<bytes>;
/// A writable authentication header view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

} // namespace ah

// --- The header chain (RFC 8200 §4.1) ---

/// One extension header of a chain.
struct ext_header {
    ip_proto kind{};            ///< this header's type: the next-header value that named it
    ip_proto next_header{};     ///< the type of what follows
    std::size_t offset = 0;     ///< where the header starts (see ext_range)
    std::size_t header_len = 0; ///< bytes, from its own length field
    bytes header{};             ///< the header's bytes, header_len of them: lay a typed view on it

    /// A fragment header with a non-zero offset: what follows is fragment
    /// data, and the chain ends here.
    [[nodiscard]] constexpr bool is_later_fragment() const noexcept {
        return kind == ip_proto::ipv6_frag &&
               (load_be_or<std::uint16_t>(header, fragment::field::offset_flags.begin) & fragment::offset_mask) != 0;
    }
};

/// Validates the extension header of type `kind` at `at` in `b`: at least 8
/// bytes, its length inside `b`, AH at least 12 bytes. A hop-by-hop header
/// anywhere but `first` is errc::bad_value at its offset (RFC 8200 §4.3).
/// `base` is added to error and header offsets.
[[nodiscard]] constexpr result<ext_header> parse_ext_header(ip_proto kind, bytes b, std::size_t at, std::size_t base,
                                                            bool first) noexcept {
    const std::size_t left = at < b.size() ? b.size() - at : 0;
    const std::size_t off = base + at;
    if (kind == ip_proto::hopopt && !first) {
        return error::invalid(layer::ipv6_extension, errc::bad_value, length_source::none, off, 0,
                              static_cast<std::uint8_t>(kind));
    }
    if (left < min_ext_header_len) {
        return error::truncated(layer::ipv6_extension, length_source::fixed_header, off, min_ext_header_len, left);
    }
    const std::size_t len_field = load_u8(b, at + 1);
    std::size_t len = (len_field + 1) * 8;
    if (kind == ip_proto::ipv6_frag) {
        len = fragment::fixed_header_len; // its second octet is reserved, not a length
    } else if (kind == ip_proto::ah) {
        len = (len_field + 2) * 4;
        if (len < ah::min_header_len) {
            return error::invalid(layer::ipv6_extension, errc::length_too_small, length_source::extension_length,
                                  off + 1, ah::min_header_len, len);
        }
    }
    if (len > left) return error::truncated(layer::ipv6_extension, length_source::extension_length, off, len, left);
    return ext_header{kind, static_cast<ip_proto>(load_u8(b, at)), off, len, b.subspan(at, len)};
}

/// Where the extension headers end: the first header that is not one.
struct upper_layer {
    /// The first non-extension next-header value: a transport protocol,
    /// ipv6_nonxt (nothing follows, RFC 8200 §4.7) or esp (encrypted).
    ip_proto protocol{};
    std::size_t offset = 0;      ///< where it starts (same base as the chain)
    bytes data{};                ///< from there to the end of the bytes given
    bool fragmented = false;     ///< a fragment header was crossed
    bool later_fragment = false; ///< ... with a non-zero offset: `data` is fragment data, not a header
};

/// Iterates the extension headers that start with next-header value
/// `first` at the start of `b` (the bytes after the IPv6 fixed header).
/// Offsets are `base` plus the position in `b`: pass 40 to count from the
/// IPv6 header. Yields `result<ext_header>`; a malformed header yields its
/// error and ends the iteration. Ends before the first non-extension
/// header, and after a later fragment's fragment header. Only the generic
/// layout is checked (see parse_ext_header()); typed views check the rest.
/// A chain of more than max_ext_headers yields errc::too_many (`needed`
/// the limit, `available` the count reached).
class ext_range {
public:
    /// Input iterator over the chain: ++ reads the next extension header.
    class iterator {
    public:
        using value_type = result<ext_header>;  ///< an extension header or the error that ends the chain
        using difference_type = std::ptrdiff_t; ///< required by std::input_iterator; never used

        constexpr iterator() noexcept = default;
        /// At the first header, of type `first`, at the start of `b` (offsets from `base`).
        constexpr iterator(ip_proto first, bytes b, std::size_t base) noexcept : b_(b), base_(base), next_(first) {
            load();
        }

        /// The current header or its error.
        constexpr const result<ext_header>& operator*() const noexcept { return current_; }
        /// Member access to the current result.
        constexpr const result<ext_header>* operator->() const noexcept { return &current_; }
        /// Moves to the next header; after the last or an error the iterator is at the end.
        constexpr iterator& operator++() noexcept {
            if (!current_ || current_->is_later_fragment()) {
                done_ = true;
                return *this;
            }
            pos_ += current_->header_len;
            next_ = current_->next_header;
            ++count_;
            load();
            return *this;
        }
        /// Moves to the next header (see the prefix form).
        constexpr iterator operator++(int) noexcept {
            iterator t = *this;
            ++*this;
            return t;
        }
        friend constexpr bool operator==(const iterator& a, std::default_sentinel_t) noexcept { return a.done_; }

    private:
        constexpr void load() noexcept {
            if (!is_extension_header(next_)) {
                done_ = true;
            } else if (count_ == max_ext_headers) {
                current_ = error::invalid(layer::ipv6_extension, errc::too_many, length_source::none, base_ + pos_,
                                          max_ext_headers, count_ + 1);
            } else {
                current_ = parse_ext_header(next_, b_, pos_, base_, count_ == 0);
            }
        }
        bytes b_{};
        std::size_t base_ = 0;
        std::size_t pos_ = 0;
        std::size_t count_ = 0;
        ip_proto next_{};
        bool done_ = false;
        result<ext_header> current_{ext_header{}};
    };

    /// The chain starting with next-header value `first` at the start of `b`; offsets count from `base`.
    constexpr ext_range(ip_proto first, bytes b, std::size_t base = 0) noexcept : first_(first), b_(b), base_(base) {}
    /// At the first extension header.
    [[nodiscard]] constexpr iterator begin() const noexcept { return {first_, b_, base_}; }
    /// Compares equal to the iterator after the last header or an error.
    [[nodiscard]] constexpr std::default_sentinel_t end() const noexcept { return {}; }
    /// The first error in the chain, if any.
    [[nodiscard]] constexpr status validate() const noexcept {
        for (const auto& h : *this)
            if (!h) return h.error();
        return {};
    }

private:
    ip_proto first_;
    bytes b_;
    std::size_t base_;
};

/// Skips the extension headers (see ext_range for the rules and offsets)
/// and returns what follows them, or the chain's first error.
[[nodiscard]] constexpr result<upper_layer> find_upper_layer(ip_proto first, bytes b, std::size_t base = 0) noexcept {
    upper_layer u{first, base, b};
    std::size_t pos = 0;
    for (std::size_t count = 0; is_extension_header(u.protocol); ++count) {
        if (count == max_ext_headers) {
            return error::invalid(layer::ipv6_extension, errc::too_many, length_source::none, base + pos,
                                  max_ext_headers, count + 1);
        }
        const auto h = parse_ext_header(u.protocol, b, pos, base, count == 0);
        if (!h) return h.error();
        pos += h->header_len;
        u.protocol = h->next_header;
        if (h->kind == ip_proto::ipv6_frag) {
            u.fragmented = true;
            if (h->is_later_fragment()) {
                u.later_fragment = true;
                break;
            }
        }
    }
    u.offset = base + pos;
    u.data = b.subspan(pos);
    return u;
}

} // namespace rawpkt::ipv6
