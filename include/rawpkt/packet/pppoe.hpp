// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// PPPoE (RFC 2516): the session-stage header view and repr (EtherType
/// 0x8864) and the discovery-stage header view with its tag iterator
/// (EtherType 0x8863).
///
/// Both stages share the 6-byte header: version and type (both 1), code,
/// session id, and the length of the payload after the header. A session
/// packet's payload is a PPP frame without address and control octets: its
/// protocol field (RFC 2516 §4 draws it as part of the session packet) is
/// read here too, one octet or two (RFC 1661 §6.5).
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds: the header, the PPP protocol field and the payload (its length
/// field) are inside `b`. `view::checked_header(b)` only guarantees the
/// header and the PPP protocol field; the payload may be cut short by the
/// capture, and `payload()` then returns what is there. `payload()` is
/// always clamped to the buffer, so set_length() voids nothing;
/// set_ppp_protocol() writes two octets: over a compressed field it takes
/// the payload's first octet, and voids the guarantee when that field ends
/// the buffer. The same holds for the
/// discovery view (`discovery_view::checked` / `checked_header`), whose
/// `tag_range` never reads out of bounds on any input.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/ppp.hpp>
#include <rawpkt/packet/tlv.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>

namespace rawpkt::pppoe {

/// Header layout, RFC 2516 §4.
namespace field {
inline constexpr std::size_t ver_type = 0;    ///< version (4 bits, 1), type (4 bits, 1)
inline constexpr std::size_t code = 1;        ///< 0 for session data, else a discovery code
inline constexpr byte_range session_id{2, 4}; ///< 0 until the session is established
inline constexpr byte_range length{4, 6};     ///< payload length, after this header
inline constexpr std::size_t payload = 6;     ///< session: the PPP protocol field; discovery: tags
} // namespace field

/// Bytes of the PPPoE header.
inline constexpr std::size_t header_len = field::payload; // 6
/// The only version RFC 2516 defines.
inline constexpr std::uint8_t version_1 = 1;
/// The only type RFC 2516 defines.
inline constexpr std::uint8_t type_1 = 1;

/// Codes (RFC 2516 §4 and §5).
enum class code : std::uint8_t {
    session_data = 0x00,
    pado = 0x07, ///< active discovery offer
    padi = 0x09, ///< active discovery initiation
    padr = 0x19, ///< active discovery request
    pads = 0x65, ///< active discovery session-confirmation
    padt = 0xa7, ///< active discovery terminate
};

/// The header fields both stages share, and the payload bounded by the length field.
template <byte_span Buf>
class basic_header : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;

public:
    /// The version: 1 for a header checked() accepted (RFC 2516 §4).
    [[nodiscard]] constexpr std::uint8_t version() const noexcept { return this->u8(field::ver_type) >> 4; }
    /// The type: 1 for a header checked() accepted.
    [[nodiscard]] constexpr std::uint8_t type() const noexcept { return this->u8(field::ver_type) & 0x0f; }
    /// The code: session data (0) or a discovery stage.
    [[nodiscard]] constexpr pppoe::code code() const noexcept {
        return static_cast<pppoe::code>(this->u8(field::code));
    }
    /// The session id: 0 until PADS assigns one.
    [[nodiscard]] constexpr std::uint16_t session_id() const noexcept { return this->u16(field::session_id); }
    /// The length field: payload bytes after the 6-byte header.
    [[nodiscard]] constexpr std::uint16_t length() const noexcept { return this->u16(field::length); }
    /// Always 6.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return pppoe::header_len; }
    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, pppoe::header_len); }
    /// True when the whole payload (per the length field) is in the buffer.
    [[nodiscard]] constexpr bool is_complete() const noexcept {
        return pppoe::header_len + length() <= this->buf_.size();
    }
    /// The payload after the header, up to the length field, clamped to the
    /// buffer (Ethernet padding after it is not payload).
    [[nodiscard]] constexpr Buf payload() const noexcept {
        return clamp_subspan(this->buf_, pppoe::header_len, length());
    }

    /// Sets the field version() reads.
    constexpr void set_version(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits8(field::ver_type, 0xf0, static_cast<std::uint8_t>(v << 4));
    }
    /// Sets the field type() reads.
    constexpr void set_type(std::uint8_t v) noexcept requires writable<Buf> {
        this->set_bits8(field::ver_type, 0x0f, v);
    }
    /// Sets the field code() reads.
    constexpr void set_code(pppoe::code c) noexcept requires writable<Buf> {
        this->set_u8(field::code, static_cast<std::uint8_t>(c));
    }
    /// Sets the field session_id() reads.
    constexpr void set_session_id(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_u16(field::session_id, v);
    }
    /// Sets the field length() reads.
    constexpr void set_length(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::length, v); }

protected:
    constexpr basic_header() noexcept = default;
    /// Used by the derived views, over bytes they checked.
    constexpr explicit basic_header(Buf b) noexcept : base(b) {}

    /// The checks both stages share: the fixed header, version and type.
    [[nodiscard]] static constexpr status check_common(bytes b) noexcept {
        if (b.size() < pppoe::header_len) {
            return error::truncated(layer::pppoe, length_source::fixed_header, 0, pppoe::header_len, b.size());
        }
        const std::uint8_t vt = load_u8(b, field::ver_type);
        if ((vt >> 4) != version_1) {
            return error::invalid(layer::pppoe, errc::bad_version, length_source::none, field::ver_type, version_1,
                                  vt >> 4);
        }
        if ((vt & 0x0f) != type_1) {
            return error::invalid(layer::pppoe, errc::bad_value, length_source::none, field::ver_type, type_1,
                                  vt & 0x0f);
        }
        return {};
    }

    /// The length-field check of checked(): the payload must be in `b`.
    [[nodiscard]] constexpr status check_payload() const noexcept {
        if (!is_complete()) {
            return error::truncated(layer::pppoe, length_source::payload_length, 0, pppoe::header_len + length(),
                                    this->buf_.size());
        }
        return {};
    }
};

/// Zero-copy PPPoE session header view; see the file comment for the
/// bounds contract.
template <byte_span Buf>
class basic_view : public basic_header<Buf> {
    using base = basic_header<Buf>;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the header, the PPP protocol field and the payload length.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        auto v = checked_header(b);
        if (!v) return v;
        if (auto ok = v->check_payload(); !ok) return ok.error();
        return v;
    }

    /// Validates the header and the PPP protocol field only; the payload may
    /// be cut short (a capture with a snaplen). Until the protocol field's
    /// first octet is in the buffer it is taken to be two octets long.
    [[nodiscard]] static constexpr result<basic_view> checked_header(Buf b) noexcept {
        if (auto ok = base::check_common(b); !ok) return ok.error();
        const basic_view v{b};
        if (v.code() != pppoe::code::session_data) {
            return error::invalid(layer::pppoe, errc::bad_value, length_source::none, field::code, 0,
                                  static_cast<std::uint8_t>(v.code()));
        }
        const std::size_t proto_len =
            b.size() > field::payload ? ppp::protocol_field_len(load_u8(b, field::payload)) : 2;
        if (b.size() < field::payload + proto_len) {
            return error::truncated(layer::pppoe, length_source::fixed_header, 0, field::payload + proto_len, b.size());
        }
        if (v.length() < proto_len) {
            return error::invalid(layer::pppoe, errc::length_too_small, length_source::payload_length,
                                  field::length.begin, proto_len, v.length());
        }
        if (!ppp::is_valid_protocol(v.ppp_protocol_number())) {
            return error::invalid(layer::pppoe, errc::bad_value, length_source::none, field::payload, 0,
                                  v.ppp_protocol_number());
        }
        return v;
    }

    /// 1, or 2 unless the peers negotiated protocol-field compression.
    [[nodiscard]] constexpr std::size_t ppp_protocol_len() const noexcept {
        return ppp::protocol_field_len(this->u8(field::payload));
    }
    /// The PPP protocol field's value, whatever its width.
    [[nodiscard]] constexpr std::uint16_t ppp_protocol_number() const noexcept {
        return ppp_protocol_len() == 1 ? this->u8(field::payload) : this->u16(field::payload);
    }
    /// The PPP protocol of the payload.
    [[nodiscard]] constexpr ppp::protocol ppp_protocol() const noexcept {
        return static_cast<ppp::protocol>(ppp_protocol_number());
    }
    /// The EtherType the PPP protocol announces, see ppp::ethertype_of().
    [[nodiscard]] constexpr result<rawpkt::ethertype> payload_ethertype() const noexcept {
        return ppp::ethertype_of(ppp_protocol(), field::payload);
    }
    /// The PPP information field: the payload after the protocol field.
    [[nodiscard]] constexpr Buf ppp_payload() const noexcept {
        const Buf p = this->payload();
        return clamp_subspan(p, ppp_protocol_len(), p.size());
    }

    /// Writes a two-octet protocol field (RFC 2516 §7 does not recommend
    /// compression).
    constexpr void set_ppp_protocol(ppp::protocol p) noexcept requires writable<Buf> {
        this->set_u16(field::payload, static_cast<std::uint16_t>(p));
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only PPPoE session view over received bytes.
using view = basic_view<bytes>;
/// A writable PPPoE session view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// A PPPoE session header and the PPP protocol field, owned. The accepted
/// states have an uncompressed protocol field.
struct repr {
    std::uint16_t session_id = 0;                     ///< the session id
    ppp::protocol ppp_protocol = ppp::protocol::ipv4; ///< the PPP protocol of the payload
    std::uint16_t payload_len = 0;                    ///< bytes after the PPP protocol field

    /// Rejects a compressed protocol field (unsupported, `available` holding
    /// the protocol).
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        if (v.ppp_protocol_len() != 2) {
            return error::invalid(layer::pppoe, errc::unsupported, length_source::none, field::payload, 0,
                                  v.ppp_protocol_number());
        }
        return repr{v.session_id(), v.ppp_protocol(), static_cast<std::uint16_t>(v.length() - 2)};
    }

    /// 8: the PPPoE header and the PPP protocol field.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return pppoe::header_len + 2; }
    /// Header, protocol field and payload.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return header_len() + payload_len; }

    /// Writes the header and the protocol field into `v` (at least 8 bytes),
    /// the length field included.
    constexpr void emit(mut_view v) const noexcept {
        v.set_version(version_1);
        v.set_type(type_1);
        v.set_code(code::session_data);
        v.set_session_id(session_id);
        v.set_length(static_cast<std::uint16_t>(2 + payload_len));
        v.set_ppp_protocol(ppp_protocol);
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

/// Discovery tag types (RFC 2516 Appendix A; RFC 4638 for PPP-Max-Payload).
enum class tag_type : std::uint16_t {
    end_of_list = 0x0000,
    service_name = 0x0101,
    ac_name = 0x0102,
    host_uniq = 0x0103,
    ac_cookie = 0x0104,
    vendor_specific = 0x0105,
    relay_session_id = 0x0110,
    ppp_max_payload = 0x0120,
    service_name_error = 0x0201,
    ac_system_error = 0x0202,
    generic_error = 0x0203,
};

/// One discovery tag. `offset` is where it starts in the packet.
struct tag {
    tag_type type{};          ///< the tag type (RFC 2516 appendix A)
    std::uint16_t length = 0; ///< of the value
    std::size_t offset = 0;   ///< where the tag starts in the packet
    bytes value{};            ///< the tag's value
};

inline constexpr std::size_t tag_header_len = 4; ///< type and length

/// Validates the tag at `at` in `tags`; `base` is where `tags` starts in the packet.
[[nodiscard]] constexpr result<tag> parse_tag(bytes tags, std::size_t at, std::size_t base) noexcept {
    const std::size_t left = tags.size() - at;
    if (left < tag_header_len) {
        return error::truncated(layer::pppoe, length_source::option_length, base + at, tag_header_len, left);
    }
    const auto type = static_cast<tag_type>(load_be<std::uint16_t>(tags, at));
    const std::uint16_t len = load_be<std::uint16_t>(tags, at + 2);
    if (tag_header_len + len > left) {
        return error::truncated(layer::pppoe, length_source::option_length, base + at, tag_header_len + len, left);
    }
    if (type == tag_type::end_of_list && len != 0) {
        return error::invalid(layer::pppoe, errc::length_too_large, length_source::option_length, base + at + 2, 0,
                              len);
    }
    return tag{type, len, base + at, tags.subspan(at + tag_header_len, len)};
}

/// How the tags are walked: each by parse_tag(), ending after End-Of-List.
struct tag_traits {
    using item = tag;                        ///< what the range yields
    static constexpr auto parse = parse_tag; ///< reads one tag
    /// Where the tag after `t` (at `at`) starts.
    [[nodiscard]] static constexpr std::size_t next(std::size_t at, const tag& t) noexcept {
        return at + tag_header_len + t.length;
    }
    /// True for End-Of-List, after which no tag is read.
    [[nodiscard]] static constexpr bool ends_list(const tag& t) noexcept { return t.type == tag_type::end_of_list; }
};

/// Iterates the tags of a discovery packet. Yields `result<tag>`: a
/// malformed tag yields its error and ends the iteration, End-Of-List ends
/// it after being yielded.
using tag_range = detail::tlv_range<tag_traits>;

/// Zero-copy PPPoE discovery header view; see the file comment for the
/// bounds contract.
template <byte_span Buf>
class basic_discovery_view : public basic_header<Buf> {
    using base = basic_header<Buf>;

public:
    constexpr basic_discovery_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_discovery_view unchecked(Buf b) noexcept { return basic_discovery_view{b}; }

    /// Validates the header and that the tags (the length field) are in `b`.
    [[nodiscard]] static constexpr result<basic_discovery_view> checked(Buf b) noexcept {
        auto v = checked_header(b);
        if (!v) return v;
        if (auto ok = v->check_payload(); !ok) return ok.error();
        return v;
    }

    /// Validates the header only: a discovery code, version and type 1.
    /// Tags may be cut short; they are checked as they are iterated.
    [[nodiscard]] static constexpr result<basic_discovery_view> checked_header(Buf b) noexcept {
        if (auto ok = base::check_common(b); !ok) return ok.error();
        const basic_discovery_view v{b};
        switch (v.code()) {
        case pppoe::code::pado:
        case pppoe::code::padi:
        case pppoe::code::padr:
        case pppoe::code::pads:
        case pppoe::code::padt: return v;
        case pppoe::code::session_data: break;
        }
        return error::invalid(layer::pppoe, errc::bad_value, length_source::none, field::code, 0,
                              static_cast<std::uint8_t>(v.code()));
    }

    /// The tags of the payload: iterate for `result<tag>`.
    [[nodiscard]] constexpr tag_range tags() const noexcept {
        return tag_range{bytes{this->payload()}, field::payload};
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_discovery_view<bytes>() const noexcept requires writable<Buf> {
        return basic_discovery_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_discovery_view(Buf b) noexcept : base(b) {}
};

/// A read-only discovery (PADI, PADO, PADR, PADS, PADT) view over received bytes.
using discovery_view = basic_discovery_view<bytes>;
/// A writable discovery view.
using mut_discovery_view = basic_discovery_view<mut_bytes>;

} // namespace rawpkt::pppoe
