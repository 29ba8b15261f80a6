// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// BSD loopback encapsulation: LINKTYPE_NULL (0) and LINKTYPE_LOOP (108)
/// header view and repr.
///
/// Both put a 4-byte address family (AF_ value) before the packet.
/// LINKTYPE_NULL writes it in the capturing host's byte order, which the
/// file does not record; as tcpdump and Wireshark do, rawpkt takes the
/// reading whose low 16 bits are not all zero (AF_ values are small), so a
/// file from a host of either byte order reads the same. LINKTYPE_LOOP
/// (OpenBSD) writes it in network byte order. AF_INET6 differs between
/// systems: 24 (NetBSD, OpenBSD, BSD/OS, Npcap), 28 (FreeBSD, DragonFly),
/// 30 (macOS, iOS), 10 (Linux).
///
/// Contract: after `view::checked(b, lt)` succeeds, no accessor reads out
/// of bounds (the 4-byte header is inside `b`); no setter voids that.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>

namespace rawpkt::null_loopback {

/// Header layout (tcpdump.org/linktypes/LINKTYPE_NULL.html, LINKTYPE_LOOP.html).
namespace field {
inline constexpr byte_range family{0, 4}; ///< AF_ value; byte order depends on the link type
} // namespace field

/// Bytes of the header: the address family word.
inline constexpr std::size_t header_len = field::family.end; // 4

/// Address family values that appear in loopback captures.
namespace af {
inline constexpr std::uint32_t inet = 2;           ///< AF_INET, on every system
inline constexpr std::uint32_t inet6_linux = 10;   ///< AF_INET6 on Linux
inline constexpr std::uint32_t inet6_bsd = 24;     ///< NetBSD, OpenBSD, BSD/OS, Npcap
inline constexpr std::uint32_t inet6_freebsd = 28; ///< AF_INET6 on FreeBSD, DragonFly BSD
inline constexpr std::uint32_t inet6_darwin = 30;  ///< AF_INET6 on macOS and iOS
} // namespace af

/// The EtherType of the packet after a header with address family `af`:
/// IPv4 for AF_INET, IPv6 for every system's AF_INET6; any other family is
/// unsupported (`available` holds it, the offset is 0).
[[nodiscard]] constexpr result<rawpkt::ethertype> ethertype_of(std::uint32_t af) noexcept {
    switch (af) {
    case af::inet: return rawpkt::ethertype::ipv4;
    case af::inet6_linux:
    case af::inet6_bsd:
    case af::inet6_freebsd:
    case af::inet6_darwin: return rawpkt::ethertype::ipv6;
    default: return error::invalid(layer::null_loopback, errc::unsupported, length_source::none, 0, 0, af);
    }
}

/// Zero-copy loopback header view; see the file comment for the bounds
/// contract. It remembers its link type, which decides the byte order.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u32;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself. `lt` is
    /// link_type::null or link_type::loop.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b, link_type lt = link_type::null) noexcept {
        return basic_view{b, lt == link_type::loop};
    }

    /// Validates that the 4-byte header is in `b`. `lt` must be
    /// link_type::null or link_type::loop (else unsupported, `available`
    /// holding it).
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b, link_type lt = link_type::null) noexcept {
        if (lt != link_type::null && lt != link_type::loop) {
            return error::invalid(layer::null_loopback, errc::unsupported, length_source::none, 0, 0,
                                  static_cast<std::uint32_t>(lt));
        }
        if (b.size() < null_loopback::header_len) {
            return error::truncated(layer::null_loopback, length_source::fixed_header, 0, null_loopback::header_len,
                                    b.size());
        }
        return basic_view{b, lt == link_type::loop};
    }

    /// link_type::loop or link_type::null.
    [[nodiscard]] constexpr link_type link() const noexcept { return loop_ ? link_type::loop : link_type::null; }
    /// The address family, read in the link type's byte order (see the file comment).
    [[nodiscard]] constexpr std::uint32_t family() const noexcept {
        const std::uint32_t v = u32(field::family);
        if (loop_ || (v & 0xffffu) != 0) return v;
        return load_le<std::uint32_t>(this->buf_, field::family.begin);
    }
    /// The EtherType of the payload, from the family; see ethertype_of().
    [[nodiscard]] constexpr result<rawpkt::ethertype> payload_ethertype() const noexcept {
        return ethertype_of(family());
    }

    /// Always 4.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return null_loopback::header_len; }
    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, null_loopback::header_len); }
    /// The bytes after the header, to the end of the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        return clamp_subspan(this->buf_, null_loopback::header_len, this->buf_.size());
    }

    // --- setters (mut_view only) ---
    /// Writes the family in network order for LINKTYPE_LOOP, in this host's
    /// order for LINKTYPE_NULL (the capturing host is this one).
    constexpr void set_family(std::uint32_t af) noexcept requires writable<Buf> {
        if (loop_ || std::endian::native == std::endian::big) {
            this->set_u32(field::family, af);
        } else {
            store_le<std::uint32_t>(this->buf_, field::family.begin, af);
        }
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_, link());
    }

private:
    constexpr basic_view(Buf b, bool loop) noexcept : base(b), loop_(loop) {}

    bool loop_ = false;
};

/// A read-only BSD null/loopback view over received bytes.
using view = basic_view<bytes>;
/// A writable BSD null/loopback view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// A loopback header, owned: the family only (the byte order comes from the
/// view emit() writes into). Every checked LINKTYPE_LOOP header is
/// accepted; a LINKTYPE_NULL header only with a family below 65536, the
/// values its byte-order rule reads back from what emit() writes.
struct repr {
    std::uint32_t family = af::inet; ///< the address family, as a host-order number

    /// Rejects a LINKTYPE_NULL family above 0xffff (errc::bad_value,
    /// `available` the family): written in host order, it would read back
    /// byte-swapped.
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        if (v.link() == link_type::null && v.family() > 0xffffu) {
            return error::invalid(layer::null_loopback, errc::bad_value, length_source::none, field::family.begin, 0,
                                  v.family());
        }
        return repr{v.family()};
    }

    /// The fixed header length, null_loopback::header_len bytes.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return null_loopback::header_len; }

    /// Writes the header into `v` (at least 4 bytes), in `v`'s byte order.
    constexpr void emit(mut_view v) const noexcept { v.set_family(family); }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::null_loopback
