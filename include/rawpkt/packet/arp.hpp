// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// ARP (RFC 826) packet view and repr; also RARP (RFC 903) and InARP
/// (RFC 2390), which share the format.
///
/// The four addresses are sized by the hardware and protocol length fields:
/// the packet is 8 + 2 * (hlen + plen) bytes. The generic accessors return
/// them as spans; the typed ones (sender_mac(), sender_ipv4(), ...) are for
/// the Ethernet/IPv4 form (is_ethernet_ipv4()) and return zero addresses
/// for any other.
///
/// Contract: after `view::checked(b)` succeeds, no accessor reads out of
/// bounds: the fixed part and all four addresses are inside `b`.
/// set_hardware_len() and set_protocol_len() void that guarantee (the
/// addresses may then extend past the buffer).
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/view_base.hpp>

#include <cstddef>
#include <cstdint>

namespace rawpkt::arp {

/// Packet layout, RFC 826 ("Packet format").
namespace field {
inline constexpr byte_range htype{0, 2};    ///< hardware type (hardware)
inline constexpr byte_range ptype{2, 4};    ///< protocol type, an EtherType
inline constexpr std::size_t hlen = 4;      ///< hardware address length in bytes
inline constexpr std::size_t plen = 5;      ///< protocol address length in bytes
inline constexpr byte_range oper{6, 8};     ///< operation
inline constexpr std::size_t addresses = 8; ///< sender hw, sender proto, target hw, target proto
} // namespace field

/// Bytes before the addresses: the fixed part of the packet.
inline constexpr std::size_t min_header_len = field::addresses; // 8
/// The Ethernet/IPv4 form: 8 + 2 * (6 + 4).
inline constexpr std::size_t ethernet_ipv4_len = 28;

/// Hardware types (IANA "ARP Parameters", hardware types).
enum class hardware : std::uint16_t {
    ethernet = 1,
    ieee802 = 6, ///< IEEE 802 networks (Token Ring, ...)
    arcnet = 7,
    frame_relay = 15,
    atm = 16,
    hdlc = 17,
    fibre_channel = 18,
    infiniband = 32,
};

/// Operation codes (IANA "ARP Parameters"; RFC 826, RFC 903, RFC 2390).
enum class operation : std::uint16_t {
    request = 1,
    reply = 2,
    rarp_request = 3,
    rarp_reply = 4,
    inarp_request = 8,
    inarp_reply = 9,
};

/// Zero-copy ARP packet view; see the file comment for the bounds contract.
template <byte_span Buf>
class basic_view : public detail::view_base<Buf> {
    using base = detail::view_base<Buf>;
    using base::u16;
    using base::u8;

public:
    constexpr basic_view() noexcept = default;

    /// No validation: for buffers the caller built or sized itself.
    [[nodiscard]] static constexpr basic_view unchecked(Buf b) noexcept { return basic_view{b}; }

    /// Validates the fixed part and that the addresses the length fields
    /// announce are in `b`.
    [[nodiscard]] static constexpr result<basic_view> checked(Buf b) noexcept {
        if (b.size() < min_header_len) {
            return error::truncated(layer::arp, length_source::fixed_header, 0, min_header_len, b.size());
        }
        const basic_view v{b};
        if (v.header_len() > b.size()) {
            return error::truncated(layer::arp, length_source::address_length, 0, v.header_len(), b.size());
        }
        return v;
    }

    // --- fields (RFC 826) ---
    /// Hardware type (RFC 826; 1: Ethernet).
    [[nodiscard]] constexpr arp::hardware hardware_type() const noexcept {
        return static_cast<arp::hardware>(u16(field::htype));
    }
    /// Protocol type, as an EtherType (RFC 826; 0x0800: IPv4).
    [[nodiscard]] constexpr rawpkt::ethertype protocol_type() const noexcept {
        return static_cast<rawpkt::ethertype>(u16(field::ptype));
    }
    /// Hardware address length in bytes.
    [[nodiscard]] constexpr std::uint8_t hardware_len() const noexcept { return u8(field::hlen); }
    /// Protocol address length in bytes.
    [[nodiscard]] constexpr std::uint8_t protocol_len() const noexcept { return u8(field::plen); }
    /// Operation: request, reply, or an RFC 903 / RFC 2390 one.
    [[nodiscard]] constexpr arp::operation operation() const noexcept {
        return static_cast<arp::operation>(u16(field::oper));
    }
    /// The packet's length: 8 + 2 * (hlen + plen). Bytes after it in the
    /// buffer (link-layer padding) are not part of it.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept {
        return min_header_len + 2 * (std::size_t{hardware_len()} + protocol_len());
    }
    /// The packet's bytes (fixed part and the four addresses).
    [[nodiscard]] constexpr Buf header() const noexcept { return this->range(0, header_len()); }

    /// The sender hardware address, hardware_len() bytes.
    [[nodiscard]] constexpr Buf sender_hardware_addr() const noexcept { return addr(0, hardware_len()); }
    /// The sender protocol address, protocol_len() bytes.
    [[nodiscard]] constexpr Buf sender_protocol_addr() const noexcept { return addr(hardware_len(), protocol_len()); }
    /// The target hardware address, hardware_len() bytes.
    [[nodiscard]] constexpr Buf target_hardware_addr() const noexcept {
        return addr(std::size_t{hardware_len()} + protocol_len(), hardware_len());
    }
    /// The target protocol address, protocol_len() bytes.
    [[nodiscard]] constexpr Buf target_protocol_addr() const noexcept {
        return addr(2 * std::size_t{hardware_len()} + protocol_len(), protocol_len());
    }

    /// True for the form the typed accessors and repr handle: Ethernet
    /// hardware, IPv4 protocol, lengths 6 and 4.
    [[nodiscard]] constexpr bool is_ethernet_ipv4() const noexcept {
        return hardware_type() == arp::hardware::ethernet && protocol_type() == rawpkt::ethertype::ipv4 &&
               hardware_len() == mac_address::size && protocol_len() == ipv4_address::size;
    }
    /// Typed addresses of the Ethernet/IPv4 form; all zero for any other.
    [[nodiscard]] constexpr mac_address sender_mac() const noexcept { return load_mac(sender_hardware_addr()); }
    /// The sender IPv4 address (zero for another form).
    [[nodiscard]] constexpr ipv4_address sender_ipv4() const noexcept { return load_ipv4(sender_protocol_addr()); }
    /// The target MAC address (zero for another form).
    [[nodiscard]] constexpr mac_address target_mac() const noexcept { return load_mac(target_hardware_addr()); }
    /// The target IPv4 address (zero for another form).
    [[nodiscard]] constexpr ipv4_address target_ipv4() const noexcept { return load_ipv4(target_protocol_addr()); }

    // --- setters (mut_view only) ---
    /// Sets the field hardware_type() reads.
    constexpr void set_hardware_type(arp::hardware v) noexcept requires writable<Buf> {
        this->set_u16(field::htype, static_cast<std::uint16_t>(v));
    }
    /// Sets the field protocol_type() reads.
    constexpr void set_protocol_type(rawpkt::ethertype v) noexcept requires writable<Buf> {
        this->set_u16(field::ptype, static_cast<std::uint16_t>(v));
    }
    /// Voids the checked() guarantee if the addresses no longer fit the buffer.
    constexpr void set_hardware_len(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::hlen, v); }
    /// Voids the checked() guarantee if the addresses no longer fit the buffer.
    constexpr void set_protocol_len(std::uint8_t v) noexcept requires writable<Buf> { this->set_u8(field::plen, v); }
    /// Sets the field operation() reads.
    constexpr void set_operation(arp::operation v) noexcept requires writable<Buf> {
        this->set_u16(field::oper, static_cast<std::uint16_t>(v));
    }
    /// Typed setters: the lengths must already be 6 and 4.
    constexpr void set_sender_mac(const mac_address& a) noexcept requires writable<Buf> {
        a.store(sender_hardware_addr(), 0);
    }
    /// Writes the sender IPv4 address (Ethernet/IPv4 form).
    constexpr void set_sender_ipv4(const ipv4_address& a) noexcept requires writable<Buf> {
        a.store(sender_protocol_addr(), 0);
    }
    /// Writes the target MAC address (Ethernet/IPv4 form).
    constexpr void set_target_mac(const mac_address& a) noexcept requires writable<Buf> {
        a.store(target_hardware_addr(), 0);
    }
    /// Writes the target IPv4 address (Ethernet/IPv4 form).
    constexpr void set_target_ipv4(const ipv4_address& a) noexcept requires writable<Buf> {
        a.store(target_protocol_addr(), 0);
    }

    /// A read-only view of the same bytes.
    constexpr operator basic_view<bytes>() const noexcept requires writable<Buf> {
        return basic_view<bytes>::unchecked(this->buf_);
    }

private:
    constexpr explicit basic_view(Buf b) noexcept : base(b) {}

    [[nodiscard]] constexpr Buf addr(std::size_t offset, std::size_t len) const noexcept {
        return this->range(field::addresses + offset, field::addresses + offset + len);
    }
    [[nodiscard]] constexpr mac_address load_mac(bytes a) const noexcept {
        return is_ethernet_ipv4() ? mac_address::load(a, 0) : mac_address{};
    }
    [[nodiscard]] constexpr ipv4_address load_ipv4(bytes a) const noexcept {
        return is_ethernet_ipv4() ? ipv4_address::load(a, 0) : ipv4_address{};
    }
};

/// A read-only ARP view over received bytes.
using view = basic_view<bytes>;
/// A writable ARP view: the setters are enabled, for building or editing in place.
using mut_view = basic_view<mut_bytes>;

/// An ARP packet of the Ethernet/IPv4 form, owned: the only form emitted.
struct repr {
    arp::operation operation = arp::operation::request; ///< request or reply
    mac_address sender_mac{};                           ///< sender hardware address
    ipv4_address sender_ipv4{};                         ///< sender IPv4 address
    mac_address target_mac{};                           ///< target hardware address (zero in a request)
    ipv4_address target_ipv4{};                         ///< target IPv4 address

    /// Accepts the Ethernet/IPv4 form; any other is unsupported, at the
    /// first field that differs (`needed` the Ethernet/IPv4 value,
    /// `available` the packet's).
    [[nodiscard]] static constexpr result<repr> parse(const view& v) noexcept {
        const auto unsupported = [](std::size_t off, std::uint64_t want, std::uint64_t got) {
            return error::invalid(layer::arp, errc::unsupported, length_source::none, off, want, got);
        };
        if (v.hardware_type() != arp::hardware::ethernet) {
            return unsupported(field::htype.begin, static_cast<std::uint16_t>(arp::hardware::ethernet),
                               static_cast<std::uint16_t>(v.hardware_type()));
        }
        if (v.protocol_type() != rawpkt::ethertype::ipv4) {
            return unsupported(field::ptype.begin, static_cast<std::uint16_t>(rawpkt::ethertype::ipv4),
                               static_cast<std::uint16_t>(v.protocol_type()));
        }
        if (v.hardware_len() != mac_address::size) {
            return unsupported(field::hlen, mac_address::size, v.hardware_len());
        }
        if (v.protocol_len() != ipv4_address::size) {
            return unsupported(field::plen, ipv4_address::size, v.protocol_len());
        }
        return repr{v.operation(), v.sender_mac(), v.sender_ipv4(), v.target_mac(), v.target_ipv4()};
    }

    /// Always 28.
    [[nodiscard]] constexpr std::size_t header_len() const noexcept { return ethernet_ipv4_len; }

    /// Writes the packet into `v` (at least 28 bytes).
    constexpr void emit(mut_view v) const noexcept {
        v.set_hardware_type(arp::hardware::ethernet);
        v.set_protocol_type(rawpkt::ethertype::ipv4);
        v.set_hardware_len(mac_address::size);
        v.set_protocol_len(ipv4_address::size);
        v.set_operation(operation);
        v.set_sender_mac(sender_mac);
        v.set_sender_ipv4(sender_ipv4);
        v.set_target_mac(target_mac);
        v.set_target_ipv4(target_ipv4);
    }

    friend constexpr bool operator==(const repr&, const repr&) noexcept = default;
};

} // namespace rawpkt::arp
