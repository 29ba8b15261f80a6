// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// UDP (RFC 768) header view and repr.
///
/// The view's buffer is the datagram as the IP layer delivers it: the IPv4
/// or IPv6 payload, starting at the UDP header.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds: the 8-byte header and the datagram (length field) are inside `b`.
/// `view::checked_header(b)` only guarantees the header; the datagram may be
/// cut short by the capture (or by the quote in an ICMP error), and
/// `payload()` then returns what is there. `payload()` is always clamped to
/// the buffer. No setter voids the guarantee: `set_length()` only changes
/// where `payload()` ends, and it stays clamped.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/checksum.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>

namespace rawpkt::udp {

/// Header layout, RFC 768 "Format".
namespace field {
inline constexpr byte_range src_port{0, 2}; ///< source port
inline constexpr byte_range dst_port{2, 4}; ///< destination port
inline constexpr byte_range length{4, 6};   ///< header + data, in bytes
inline constexpr byte_range checksum{6, 8}; ///< over pseudo header, header and data; 0 = none (IPv4 only)
inline constexpr std::size_t payload = 8;   ///< where the data starts
} // namespace field

/// Bytes of the UDP header.
inline constexpr std::size_t header_len = field::payload; // 8
/// The largest payload a 16-bit length field can describe.
inline constexpr std::size_t max_payload_len = 0xffff - header_len;

/// Zero-copy UDP header view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the header and the length field against the buffer.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        auto v = checked_header(b);
        if (!v) return v;
        if (v->length() > b.size()) {
            return error::truncated(layer::udp, length_source::total_length, 0, v->length(), b.size());
        }
        return v;
    }

    /// Validates the header only; the datagram may be cut short.
    [[nodiscard]] static constexpr result<basic_view> checked_header(Buf b) noexcept {
        if (b.size() < udp::header_len) {
            return error::truncated(layer::udp, length_source::fixed_header, 0, udp::header_len, b.size());
        }
        const basic_view v{b};
        if (v.length() < udp::header_len) {
            return error::invalid(layer::udp, errc::length_too_small, length_source::total_length, field::length.begin,
                                  udp::header_len, v.length());
        }
        return v;
    }

    // --- fields (RFC 768) ---
    /// Source port (RFC 768; 0: none given).
    [[nodiscard]] constexpr std::uint16_t src_port() const noexcept { return u16(field::src_port); }
    /// Destination port (RFC 768).
    [[nodiscard]] constexpr std::uint16_t dst_port() const noexcept { return u16(field::dst_port); }
    /// The length field: header plus data, in bytes.
    [[nodiscard]] constexpr std::uint16_t length() const noexcept { return u16(field::length); }
    /// Checksum as carried (0: none was computed, allowed over IPv4 only); see checksum_ok().
    [[nodiscard]] constexpr std::uint16_t checksum() const noexcept { return u16(field::checksum); }
    /// False when the checksum field is 0: the sender computed none. RFC 768
    /// allows that over IPv4. Over IPv6, RFC 8200 §8.1 forbids it except for
    /// tunnels configured for it (RFC 6935, RFC 6936); checksum_ok() still
    /// reports false there, as the datagram carries no valid checksum.
    [[nodiscard]] constexpr bool has_checksum() const noexcept { return checksum() != 0; }
    /// Always 8: UDP has no options.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return udp::header_len; }

    /// End of the datagram: the length field, or the buffer end if the
    /// buffer is shorter.
    [[nodiscard]] constexpr std::size_t datagram_len() const noexcept {
        const std::size_t len = length();
        return len > this->buf_.size() ? this->buf_.size() : len;
    }
    /// True when the whole datagram (per the length field) is in the buffer.
    [[nodiscard]] constexpr bool is_complete() const noexcept { return length() <= this->buf_.size(); }
    /// The data after the header, up to the length field, clamped to the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        const std::size_t end = datagram_len();
        return this->range(end < udp::header_len ? end : udp::header_len, end);
    }

    // --- checksum (RFC 768 over IPv4, RFC 8200 §8.1 over IPv6) ---
    /// True when the checksum verifies, or is 0 ("none", allowed over IPv4).
    /// False for an incomplete datagram: its checksum cannot be verified.
    [[nodiscard]] constexpr bool checksum_ok(const ipv4_address& src, const ipv4_address& dst) const noexcept {
        if (!has_checksum()) return true;
        if (!is_complete()) return false;
        return checksum::accumulator{}
            .add_pseudo_header(src, dst, ip_proto::udp, length())
            .add(bytes{this->range(0, length())})
            .verifies();
    }
    /// True when the checksum verifies. A zero checksum is not a valid one
    /// over IPv6, even where RFC 6935 lets a tunnel send it: false.
    [[nodiscard]] constexpr bool checksum_ok(const ipv6_address& src, const ipv6_address& dst) const noexcept {
        if (!has_checksum() || !is_complete()) return false;
        return checksum::accumulator{}
            .add_pseudo_header(src, dst, ip_proto::udp, length())
            .add(bytes{this->range(0, length())})
            .verifies();
    }
    /// The checksum field value to transmit, computed over the datagram
    /// (up to the length field, clamped to the buffer) with the field as
    /// zero. A computed 0 is returned as 0xffff: 0 means "none" (RFC 768).
    [[nodiscard]] constexpr std::uint16_t compute_checksum(const ipv4_address& src,
                                                           const ipv4_address& dst) const noexcept {
        checksum::accumulator acc;
        acc.add_pseudo_header(src, dst, ip_proto::udp, length());
        return finish(acc);
    }
    /// The same over an IPv6 pseudo header (RFC 8200 §8.1).
    [[nodiscard]] constexpr std::uint16_t compute_checksum(const ipv6_address& src,
                                                           const ipv6_address& dst) const noexcept {
        checksum::accumulator acc;
        acc.add_pseudo_header(src, dst, ip_proto::udp, length());
        return finish(acc);
    }

    // --- setters (mut_view only) ---
    /// Sets the field src_port() reads.
    constexpr void set_src_port(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::src_port, v); }
    /// Sets the field dst_port() reads.
    constexpr void set_dst_port(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::dst_port, v); }
    /// Sets the field length() reads.
    constexpr void set_length(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::length, v); }
    /// Sets the field checksum() reads.
    constexpr void set_checksum(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::checksum, v); }
    /// Computes and stores the checksum; the length field and the payload
    /// must be final.
    constexpr void fill_checksum(const ipv4_address& src, const ipv4_address& dst) noexcept requires writable<Buf> {
        set_checksum(compute_checksum(src, dst));
    }
    /// The same over an IPv6 pseudo header.
    constexpr void fill_checksum(const ipv6_address& src, const ipv6_address& dst) noexcept requires writable<Buf> {
        set_checksum(compute_checksum(src, dst));
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}

    /// Adds the header (checksum as zero) and the data to a sum that holds
    /// the pseudo header, and maps a result of 0 to 0xffff.
    [[nodiscard]] constexpr std::uint16_t finish(checksum::accumulator& acc) const noexcept {
        const std::size_t end = datagram_len();
        acc.add(bytes{this->range(0, field::checksum.begin)});
        if (end > field::checksum.end) acc.add(bytes{this->range(field::checksum.end, end)});
        const std::uint16_t c = acc.finish();
        return c == 0 ? 0xffff : c;
    }
};

/// A read-only UDP view over received bytes.
using view = basic_view<bytes>;
/// A writable UDP view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// The accepted states of a UDP header, owned.
struct repr {
    std::uint16_t src_port = 0;    ///< source port
    std::uint16_t dst_port = 0;    ///< destination port
    std::uint16_t payload_len = 0; ///< at most max_payload_len
    /// Whether the datagram carries a checksum: parse() takes the view's
    /// has_checksum(), emit(v, src, dst) writes 0 when false. Over IPv4 a
    /// sender may omit it (RFC 768), as tunnels often do; over IPv6 it is
    /// mandatory (RFC 8200 §8.1) but for tunnels under RFC 6935, so a
    /// parsed zero-checksum IPv6 datagram round-trips as one. (The builder
    /// always fills it over IPv6.)
    bool has_checksum = true;

    /// Accepts any view from checked() or checked_header(): the payload
    /// length comes from the length field, whatever the capture kept.
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        return repr{v.src_port(), v.dst_port(), static_cast<std::uint16_t>(v.length() - udp::header_len),
                    v.has_checksum()};
    }

    /// Always 8.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return udp::header_len; }
    /// Header plus payload: the length field's value.
    [[nodiscard]] constexpr std::size_t buffer_len() const noexcept { return udp::header_len + payload_len; }

    /// Writes the header into `v` (at least 8 bytes), length included. The
    /// checksum is left 0: it covers a pseudo header (see emit(v, src, dst)).
    constexpr void emit(mut_view v) const noexcept {
        v.set_src_port(src_port);
        v.set_dst_port(dst_port);
        v.set_length(static_cast<std::uint16_t>(buffer_len()));
        v.set_checksum(0);
    }
    /// emit(v), then, if has_checksum, the checksum over the first
    /// buffer_len() bytes of `v` (the payload must be in place) for a
    /// datagram from `src` to `dst`.
    template <ip_address Address>
    constexpr void emit(mut_view v, const Address& src, const Address& dst) const noexcept {
        detail::emit_with_checksum(*this, v, src, dst, has_checksum);
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::udp
