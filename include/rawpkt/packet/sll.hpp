// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113) header view and repr,
/// and the ARPHRD_ and packet-type numbers SLL v2 shares.
///
/// The 16-byte header replaces the link-layer header of captures on the
/// "any" device and on links without one. The address field holds 8 bytes;
/// a longer link-layer address is cut to them (the length field still says
/// how long it was), a shorter one is padded with bytes that need not be
/// zero.
///
/// The protocol field is an EtherType for most ARPHRD_ types, except:
/// for ARPHRD_NETLINK it is a Netlink protocol, for ARPHRD_IEEE80211_RADIOTAP
/// and ARPHRD_FRAD it is ignored (the payload is radiotap + 802.11, or Frame
/// Relay LAPF), and values below 0x0600 are Linux pseudo-protocols
/// (ETH_P_802_3 1: Novell 802.3 without LLC, ETH_P_802_2 4: an LLC header,
/// ETH_P_CAN 0x000C, ...). For ARPHRD_IPGRE and ARPHRD_IP6GRE it is a GRE
/// protocol type, which is an EtherType too. `is_ethertype()` applies these
/// rules.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds (the 16-byte header is inside `b`; `address()` never exceeds the
/// 8-byte field). No setter voids that.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <array>
#include <cstddef>
#include <cstdint>

namespace rawpkt::sll {

/// Header layout (tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html).
namespace field {
inline constexpr byte_range packet_type{0, 2}; ///< direction (packet_type)
inline constexpr byte_range arphrd_type{2, 4}; ///< link-layer device type (arphrd)
inline constexpr byte_range address_len{4, 6}; ///< the sender's link-layer address length
inline constexpr byte_range address{6, 14};    ///< its first 8 bytes, padded
inline constexpr byte_range protocol{14, 16};  ///< see the file comment
} // namespace field

/// Bytes of the SLL header.
inline constexpr std::size_t header_len = field::protocol.end; // 16
/// Bytes of address the header holds.
inline constexpr std::size_t address_capacity = field::address.size(); // 8

/// Where the packet went (Linux PACKET_* values, <linux/if_packet.h>).
enum class packet_type : std::uint16_t {
    host = 0,      ///< to us
    broadcast = 1, ///< broadcast by somebody else
    multicast = 2, ///< multicast by somebody else
    otherhost = 3, ///< to somebody else, by somebody else
    outgoing = 4,  ///< sent by us
};

/// Linux ARPHRD_ device types (<linux/if_arp.h>), the ones captures carry.
enum class arphrd : std::uint16_t {
    netrom = 0,
    ether = 1,
    ieee802 = 6,
    infiniband = 32,
    can = 280,
    ppp = 512,
    rawip = 519,
    tunnel = 768, ///< IPIP
    tunnel6 = 769,
    frad = 770, ///< Frame Relay access device
    loopback = 772,
    sit = 776,   ///< IPv6 in IPv4
    ipgre = 778, ///< GRE over IPv4
    ieee80211 = 801,
    ieee80211_radiotap = 803,
    ip6gre = 823,
    netlink = 824,
    none = 0xfffe, ///< no link-layer header
    void_ = 0xffff,
};

/// Linux pseudo-protocol values below 0x0600 (<linux/if_ether.h>).
namespace linux_protocol {
inline constexpr std::uint16_t ieee802_3 = 0x0001; ///< Novell 802.3 frame without an LLC header
inline constexpr std::uint16_t all = 0x0003;       ///< ETH_P_ALL
inline constexpr std::uint16_t ieee802_2 = 0x0004; ///< the payload begins with an 802.2 LLC header
inline constexpr std::uint16_t can = 0x000c;       ///< ETH_P_CAN: a SocketCAN frame
inline constexpr std::uint16_t canfd = 0x000d;     ///< ETH_P_CANFD: a SocketCAN FD frame
} // namespace linux_protocol

/// True when the protocol field is an EtherType for this ARPHRD_ type (see
/// the file comment).
[[nodiscard]] constexpr bool protocol_is_ethertype(arphrd hw, std::uint16_t protocol) noexcept {
    switch (hw) {
    case arphrd::netlink:
    case arphrd::ieee80211_radiotap:
    case arphrd::frad: return false;
    default: return protocol >= ethertype_min;
    }
}

/// Zero-copy SLL header view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates that the 16-byte header is in `b`. Every value is accepted.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < sll::header_len) {
            return error::truncated(layer::sll, length_source::fixed_header, 0, sll::header_len, b.size());
        }
        return basic_view{b};
    }

    // --- fields ---
    /// Which way the packet went (PACKET_HOST, PACKET_OUTGOING, ...).
    [[nodiscard]] constexpr sll::packet_type packet_type() const noexcept {
        return static_cast<sll::packet_type>(u16(field::packet_type));
    }
    /// Link-layer device type of the capturing interface (ARPHRD_*).
    [[nodiscard]] constexpr arphrd arphrd_type() const noexcept { return static_cast<arphrd>(u16(field::arphrd_type)); }
    /// The address length field: may exceed the 8 bytes held.
    [[nodiscard]] constexpr std::uint16_t address_len() const noexcept { return u16(field::address_len); }
    /// The sender's address as held: its first min(address_len(), 8) bytes.
    [[nodiscard]] constexpr Buf address() const noexcept {
        const std::size_t n = address_len() < address_capacity ? address_len() : address_capacity;
        return this->range(field::address.begin, field::address.begin + n);
    }
    /// The whole 8-byte address field, padding included.
    [[nodiscard]] constexpr Buf address_field() const noexcept { return this->range(field::address); }
    /// The raw protocol field.
    [[nodiscard]] constexpr std::uint16_t protocol() const noexcept { return u16(field::protocol); }
    /// True when protocol() is an EtherType (see the file comment).
    [[nodiscard]] constexpr bool is_ethertype() const noexcept {
        return protocol_is_ethertype(arphrd_type(), protocol());
    }
    /// The protocol field as an EtherType (meaningful when is_ethertype()).
    [[nodiscard]] constexpr rawpkt::ethertype ethertype() const noexcept {
        return static_cast<rawpkt::ethertype>(protocol());
    }

    /// Always 16.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return sll::header_len; }
    /// The header's bytes, header_len() of them.
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, sll::header_len); }
    /// The bytes after the header, to the end of the buffer.
    [[nodiscard]] constexpr Buf payload() const noexcept {
        return clamp_subspan(this->buf_, sll::header_len, this->buf_.size());
    }

    // --- setters (mut_view only) ---
    /// Sets the field packet_type() reads.
    constexpr void set_packet_type(sll::packet_type t) noexcept requires writable<Buf> {
        this->set_u16(field::packet_type, static_cast<std::uint16_t>(t));
    }
    /// Sets the field arphrd_type() reads.
    constexpr void set_arphrd_type(arphrd t) noexcept requires writable<Buf> {
        this->set_u16(field::arphrd_type, static_cast<std::uint16_t>(t));
    }
    /// Sets the field address_len() reads.
    constexpr void set_address_len(std::uint16_t v) noexcept requires writable<Buf> {
        this->set_u16(field::address_len, v);
    }
    /// Sets the length field to `a.size()` and stores the first 8 bytes of
    /// `a`, zero-padded.
    constexpr void set_address(bytes a) noexcept requires writable<Buf> {
        set_address_len(static_cast<std::uint16_t>(a.size()));
        for (std::size_t i = 0; i < address_capacity; ++i) {
            this->set_u8(field::address.begin + i, i < a.size() ? std::to_integer<std::uint8_t>(a[i]) : 0);
        }
    }
    /// Sets the field protocol() reads.
    constexpr void set_protocol(std::uint16_t v) noexcept requires writable<Buf> { this->set_u16(field::protocol, v); }
    /// Sets the field ethertype() reads.
    constexpr void set_ethertype(rawpkt::ethertype t) noexcept requires writable<Buf> {
        set_protocol(static_cast<std::uint16_t>(t));
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}
};

/// A read-only Linux cooked (SLL) view over received bytes.
using view = basic_view<bytes>;
/// A writable Linux cooked (SLL) view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// An SLL header, owned. Every checked header is accepted.
struct repr {
    sll::packet_type packet_type = sll::packet_type::outgoing; ///< direction
    arphrd arphrd_type = arphrd::ether;                        ///< link-layer device type
    std::uint16_t address_len = 0;                             ///< the sender's link-layer address length
    /// The whole address field, padding included, so that emit() gives the
    /// parsed bytes back.
    std::array<std::uint8_t, address_capacity> address{};
    std::uint16_t protocol = static_cast<std::uint16_t>(
        rawpkt::ethertype::ipv4); ///< the protocol field (an EtherType, or a linux_protocol value)

    /// Accepts every checked header, the padding of the address field included.
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        repr r{v.packet_type(), v.arphrd_type(), v.address_len(), {}, v.protocol()};
        for (std::size_t i = 0; i < address_capacity; ++i) r.address[i] = load_u8(v.address_field(), i);
        return r;
    }

    /// Sets the address length and bytes (the first 8, zero-padded).
    constexpr void set_address(bytes a) noexcept {
        address_len = static_cast<std::uint16_t>(a.size());
        for (std::size_t i = 0; i < address_capacity; ++i) {
            address[i] = i < a.size() ? std::to_integer<std::uint8_t>(a[i]) : 0;
        }
    }

    /// The fixed header length, sll::header_len bytes.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return sll::header_len; }

    /// Writes the header into `v` (at least 16 bytes).
    constexpr void emit(mut_view v) const noexcept {
        v.set_packet_type(packet_type);
        v.set_arphrd_type(arphrd_type);
        v.set_address_len(address_len);
        for (std::size_t i = 0; i < address_capacity; ++i) store_u8(v.buffer(), field::address.begin + i, address[i]);
        v.set_protocol(protocol);
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::sll
