// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Teredo (RFC 4380 §5.1.1): IPv6 over UDP (port 3544), optionally preceded
/// by an authentication indicator and/or an origin indication. A view over
/// the UDP payload and a repr.
///
/// The authentication indicator (type 0x0001) comes first when present,
/// then the origin indication (type 0x0000), then the IPv6 packet. A
/// payload is taken for Teredo when, after the indicators, it holds an IPv6
/// fixed header (40 bytes, version 6): that is what checked() verifies, so
/// it also tells Teredo apart from other traffic on the port.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds: both indicators, if present, and 40 bytes of IPv6 header are
/// inside `b`. No setter voids the guarantee (none changes a length).
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>

namespace rawpkt::teredo {

/// Authentication indicator layout, RFC 4380 §5.1.1; offsets from its start.
/// After the client identifier come the authentication value (AU-len
/// bytes), the nonce (8 bytes) and the confirmation byte.
namespace auth_field {
inline constexpr byte_range type{0, 2};     ///< 0x0001
inline constexpr std::size_t id_len = 2;    ///< client identifier length, one byte
inline constexpr std::size_t au_len = 3;    ///< authentication value length, one byte
inline constexpr std::size_t client_id = 4; ///< the client identifier starts here
} // namespace auth_field

/// Origin indication layout, RFC 4380 §5.1.1; offsets from its start.
namespace origin_field {
inline constexpr byte_range type{0, 2};    ///< 0x0000
inline constexpr byte_range port{2, 4};    ///< mapped port, every bit inverted
inline constexpr byte_range address{4, 8}; ///< mapped IPv4 address, every bit inverted
} // namespace origin_field

/// The type of an authentication indicator (RFC 4380 §5.1.1).
inline constexpr std::uint16_t indicator_auth = 0x0001;
/// The type of an origin indication (RFC 4380 §5.1.1).
inline constexpr std::uint16_t indicator_origin = 0x0000;
/// Bytes of the authentication nonce.
inline constexpr std::size_t nonce_len = 8;
/// An authentication indicator with empty client identifier and value.
inline constexpr std::size_t min_auth_len = auth_field::client_id + nonce_len + 1; // 13
/// Bytes of an origin indication.
inline constexpr std::size_t origin_len = origin_field::address.end; // 8
/// Bytes of the IPv6 header the indicators must be followed by.
inline constexpr std::size_t ipv6_header_len = 40;

/// The authentication indicator's fields.
struct authentication {
    bytes client_id{};             ///< the client identifier (points into the packet)
    bytes auth_value{};            ///< the authentication value (points into the packet)
    std::uint64_t nonce = 0;       ///< the 8 bytes, big-endian
    std::uint8_t confirmation = 0; ///< the confirmation byte (non-zero: the client's key should be refreshed)
};

/// The origin indication, de-obfuscated: the client's mapped address and
/// port as the server saw them.
struct origin_indication {
    std::uint16_t port = 0; ///< the client's mapped UDP port
    ipv4_address address{}; ///< the client's mapped IPv4 address

    friend constexpr bool operator==(const origin_indication&, const origin_indication&) = default;
};

/// Zero-copy view of a Teredo UDP payload; see the file comment for the
/// bounds contract.
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

    /// Validates the indicators and that an IPv6 header follows them.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        const basic_view v{b};
        std::size_t off = 0;
        if (v.has_auth()) {
            if (b.size() < min_auth_len) {
                return error::truncated(layer::teredo, length_source::fixed_header, 0, min_auth_len, b.size());
            }
            if (v.auth_len() > b.size()) {
                return error::truncated(layer::teredo, length_source::header_length, 0, v.auth_len(), b.size());
            }
            off = v.auth_len();
        }
        if (v.has_origin()) {
            if (b.size() - off < origin_len) {
                return error::truncated(layer::teredo, length_source::fixed_header, off, origin_len, b.size() - off);
            }
            off += origin_len;
        }
        if (b.size() - off < ipv6_header_len) {
            return error::truncated(layer::teredo, length_source::fixed_header, off, ipv6_header_len, b.size() - off);
        }
        const std::uint8_t version = v.u8(off) >> 4;
        if (version != 6) return error::invalid(layer::teredo, errc::bad_version, length_source::none, off, 6, version);
        return v;
    }

    /// True when the payload starts with an authentication indicator.
    [[nodiscard]] constexpr bool has_auth() const noexcept { return this->holds(0, 2) && u16(0) == indicator_auth; }
    /// The authentication indicator's length in bytes (0 when absent; the
    /// minimum, 13, when its length octets are not in the buffer).
    [[nodiscard]] constexpr std::size_t auth_len() const noexcept {
        if (!has_auth()) return 0;
        if (this->buf_.size() < auth_field::client_id) return min_auth_len;
        return min_auth_len + u8(auth_field::id_len) + u8(auth_field::au_len);
    }
    /// True when an origin indication follows the authentication indicator
    /// (or starts the payload).
    [[nodiscard]] constexpr bool has_origin() const noexcept {
        const std::size_t at = auth_len();
        return this->holds(at, 2) && u16(at) == indicator_origin;
    }
    /// Bytes before the IPv6 packet: both indicators (0 without any).
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return auth_len() + (has_origin() ? origin_len : 0);
    }

    /// The authentication indicator's fields, when present.
    [[nodiscard]] constexpr std::optional<authentication> auth() const noexcept {
        if (!has_auth()) return std::nullopt;
        const std::size_t id_end = auth_field::client_id + u8(auth_field::id_len);
        const std::size_t au_end = id_end + u8(auth_field::au_len);
        return authentication{bytes{this->range(auth_field::client_id, id_end)}, bytes{this->range(id_end, au_end)},
                              this->u64(au_end), u8(au_end + nonce_len)};
    }
    /// The origin indication, de-obfuscated, when present.
    [[nodiscard]] constexpr std::optional<origin_indication> origin() const noexcept {
        if (!has_origin()) return std::nullopt;
        const std::size_t at = auth_len();
        return origin_indication{static_cast<std::uint16_t>(~u16(at + origin_field::port.begin)),
                                 ipv4_address::from_u32(~u32(at + origin_field::address.begin))};
    }

    /// The indicator bytes (may be empty).
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, header_len()); }
    /// The encapsulated IPv6 packet.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        const std::size_t size = this->buf_.size();
        return this->range(header_len() < size ? header_len() : size, size);
    }

    // --- setters (mut_view only); each writes only if its indicator is present ---
    /// Writes the nonce of the authentication indicator (nothing without one).
    constexpr void set_nonce(std::uint64_t v) noexcept requires writable<Buf> {
        if (has_auth()) this->try_set_u64(auth_len() - 1 - nonce_len, v);
    }
    /// Writes the confirmation byte of the authentication indicator (nothing without one).
    constexpr void set_confirmation(std::uint8_t v) noexcept requires writable<Buf> {
        if (has_auth()) this->try_set_u8(auth_len() - 1, v);
    }
    /// Stores the origin, obfuscated.
    constexpr void set_origin(const origin_indication& o) noexcept requires writable<Buf> {
        if (!has_origin()) return;
        const std::size_t at = auth_len();
        this->set_u16(at + origin_field::port.begin, static_cast<std::uint16_t>(~o.port));
        this->set_u32(at + origin_field::address.begin, ~o.address.to_u32());
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only Teredo view over received bytes.
using view = basic_view<bytes>;
/// A writable Teredo view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// An authentication indicator, owned.
struct auth_repr {
    /// Each at most 255 bytes: their lengths are one octet each.
    small_bytes<255> client_id{};
    small_bytes<255> auth_value{}; ///< authentication value
    std::uint64_t nonce = 0;       ///< the nonce, as an 8-byte big-endian number
    std::uint8_t confirmation = 0; ///< confirmation byte

    /// The indicator's length in bytes.
    [[nodiscard]] constexpr std::size_t len() const noexcept {
        return min_auth_len + client_id.size() + auth_value.size();
    }

    friend constexpr bool operator==(const auth_repr&, const auth_repr&) noexcept = default;
};

/// The accepted states of the Teredo indicators, owned; every checked view
/// is one.
struct repr {
    std::optional<auth_repr> auth{};           ///< the authentication indicator, if any
    std::optional<origin_indication> origin{}; ///< the origin indication, if any
    /// The IPv6 packet's length.
    std::size_t payload_len = 0;

    /// Accepts every checked view, copying the indicators.
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        repr r;
        if (const auto a = v.auth()) {
            auth_repr ar;
            // Both fit: the view read each length from one octet.
            (void)ar.client_id.set(a->client_id);
            (void)ar.auth_value.set(a->auth_value);
            ar.nonce = a->nonce;
            ar.confirmation = a->confirmation;
            r.auth = ar;
        }
        r.origin = v.origin();
        r.payload_len = v.payload().size();
        return r;
    }

    /// The indicators' length: where the IPv6 packet starts.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return (auth ? auth->len() : 0) + (origin ? origin_len : 0);
    }
    /// Indicators plus the IPv6 packet.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return header_len() + payload_len; }

    /// Writes the indicators into `v` (at least header_len() bytes).
    constexpr void emit(mut_view v) const noexcept {
        mut_bytes out = v.buffer();
        std::size_t at = 0;
        if (auth) {
            store_be<std::uint16_t>(out, auth_field::type.begin, indicator_auth);
            store_u8(out, auth_field::id_len, static_cast<std::uint8_t>(auth->client_id.size()));
            store_u8(out, auth_field::au_len, static_cast<std::uint8_t>(auth->auth_value.size()));
            store_bytes(out, auth_field::client_id, auth->client_id.bytes());
            store_bytes(out, auth_field::client_id + auth->client_id.size(), auth->auth_value.bytes());
            at = auth->len();
            store_be<std::uint64_t>(out, at - 1 - nonce_len, auth->nonce);
            store_u8(out, at - 1, auth->confirmation);
        }
        if (origin) {
            store_be<std::uint16_t>(out, at + origin_field::type.begin, indicator_origin);
            store_be<std::uint16_t>(out, at + origin_field::port.begin, static_cast<std::uint16_t>(~origin->port));
            store_be<std::uint32_t>(out, at + origin_field::address.begin, ~origin->address.to_u32());
        }
    }

    friend constexpr bool operator==(const repr&, const repr&) = default;
};

} // namespace rawpkt::teredo
