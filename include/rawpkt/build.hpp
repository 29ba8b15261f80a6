// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Frame builder: innermost layer first, prepended into headroom, lengths,
/// next-protocol fields and checksums filled on the way out.
///
/// ```
/// std::array<std::byte, 128> buf;
/// auto frame = rawpkt::builder{buf}
///                  .payload(data)
///                  .udp({.src_port = 5353, .dst_port = 53})
///                  .ipv4({.src = a, .dst = b})
///                  .ethernet({.src = mac_a, .dst = mac_b})
///                  .finish(); // result<mut_bytes>: the exact frame
/// ```
///
/// The frame grows from the end of the caller's buffer towards its start,
/// so it ends where the buffer ends; everything before it is headroom.
/// Lay the builder over `slot.first(n)` to end a frame at byte n of a TX
/// slot. Nothing is allocated and nothing is copied but the payload given
/// to payload() (reserve_payload() lets the caller write it in place).
///
/// What the builder fills, overriding the repr: every length (IPv4 total
/// length, IPv6 payload length, UDP length, ...), the next-protocol field of
/// each layer whose inner layer it built (EtherType, IP protocol, next
/// header, GRE/Geneve protocol type; a repr's own value is kept over raw
/// payload), the MPLS bottom-of-stack bit, VXLAN/Geneve UDP destination
/// ports left 0, the IPv4 header checksum, and the TCP, UDP, ICMPv4 and
/// ICMPv6 checksums (a transport checksum once the IP layer around it is
/// built: it needs the pseudo header's addresses).
///
/// Errors are sticky: the first one (no room, a length too large for its
/// field, a layer that cannot go where it was put, such as ICMPv6 straight
/// over IPv4) stops the build and finish() returns it.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>
#include <rawpkt/packet/arp.hpp>
#include <rawpkt/packet/ethernet.hpp>
#include <rawpkt/packet/geneve.hpp>
#include <rawpkt/packet/gre.hpp>
#include <rawpkt/packet/icmpv4.hpp>
#include <rawpkt/packet/icmpv6.hpp>
#include <rawpkt/packet/ipv4.hpp>
#include <rawpkt/packet/ipv6.hpp>
#include <rawpkt/packet/mpls.hpp>
#include <rawpkt/packet/numbers.hpp>
#include <rawpkt/packet/tcp.hpp>
#include <rawpkt/packet/udp.hpp>
#include <rawpkt/packet/vlan.hpp>
#include <rawpkt/packet/vxlan.hpp>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace rawpkt {

/// Builds one frame, innermost layer first; see the file comment.
class builder {
    // Defined ahead of its callers: clang 14 does not instantiate a member
    // template defined later in the class during constant evaluation.
    /// Fills the checksum of the transport header waiting for its IP layer.
    template <class Address>
    constexpr void fill_waiting_checksum(const Address& src, const Address& dst) noexcept {
        if (!ok() || pending_ == layer::none) return;
        const mut_bytes segment = buf_.subspan(pending_at_);
        switch (pending_) {
        case layer::tcp: tcp::mut_view::unchecked(segment).fill_checksum(src, dst); break;
        case layer::udp:
            if (udp_checksum_ || std::is_same_v<Address, ipv6_address>) {
                udp::mut_view::unchecked(segment).fill_checksum(src, dst);
            }
            break;
        case layer::icmpv6:
            if constexpr (std::is_same_v<Address, ipv6_address>) {
                icmpv6::mut_view::unchecked(segment).fill_checksum(src, dst);
            }
            break;
        default: break;
        }
        pending_ = layer::none;
    }

public:
    /// Builds at the end of `buffer`.
    constexpr explicit builder(mut_bytes buffer) noexcept : buf_(buffer), start_(buffer.size()) {}

    /// The frame built so far (the layers added up to now).
    [[nodiscard]] constexpr mut_bytes data() const noexcept { return buf_.subspan(start_); }
    /// Bytes of the frame built so far.
    [[nodiscard]] constexpr std::size_t size() const noexcept { return buf_.size() - start_; }
    /// Bytes still free in front of the frame.
    [[nodiscard]] constexpr std::size_t headroom() const noexcept { return start_; }
    /// False once a layer did not fit or was refused; see error().
    [[nodiscard]] constexpr bool ok() const noexcept { return error_.code == errc::ok; }
    /// Why the first failed layer failed (errc::ok while ok()).
    [[nodiscard]] constexpr const rawpkt::error& error() const noexcept { return error_; }

    /// The finished frame, or the first error. A transport checksum still
    /// waiting for its IP layer is left 0.
    [[nodiscard]] constexpr result<mut_bytes> finish() const noexcept {
        if (!ok()) return error_;
        return data();
    }

    // ---- payload ----

    /// Copies `bytes` in as the innermost data.
    constexpr builder& payload(bytes data) noexcept {
        if (const auto out = prepend(layer::none, data.size())) store_bytes(*out, 0, data);
        inner_ = layer::none;
        return *this;
    }
    /// Reserves `len` bytes of innermost data for the caller to write in
    /// place through data() (zero-initialised).
    constexpr builder& reserve_payload(std::size_t len) noexcept {
        if (const auto out = prepend(layer::none, len)) {
            for (auto& b : *out) b = std::byte{0};
        }
        inner_ = layer::none;
        return *this;
    }

    // ---- transport ----

    /// A TCP header over what was built so far (its payload). The checksum
    /// is filled when the IP layer is built.
    constexpr builder& tcp(tcp::repr r) noexcept {
        r.payload_len = static_cast<std::uint32_t>(size());
        if (const auto out = prepend(layer::tcp, r.header_len())) {
            r.emit(tcp::mut_view::unchecked(*out));
            await_checksum(layer::tcp, ip_proto::tcp);
        }
        return *this;
    }
    /// A UDP header; a destination port left 0 over a VXLAN or Geneve
    /// header becomes that protocol's port. With `has_checksum` false the
    /// checksum stays 0 over IPv4 (RFC 768). Over IPv6 the builder always
    /// fills it, `has_checksum` notwithstanding: RFC 8200 §8.1 makes it
    /// mandatory, and the zero checksum RFC 6935 allows some tunnels is not
    /// built here (udp::repr::emit(v, src, dst) writes one).
    constexpr builder& udp(udp::repr r) noexcept {
        if (size() > udp::max_payload_len) return fail_too_large(layer::udp, udp::max_payload_len);
        r.payload_len = static_cast<std::uint16_t>(size());
        if (r.dst_port == 0 && inner_ == layer::vxlan) r.dst_port = port::vxlan;
        if (r.dst_port == 0 && inner_ == layer::geneve) r.dst_port = port::geneve;
        if (const auto out = prepend(layer::udp, udp::header_len)) {
            r.emit(udp::mut_view::unchecked(*out));
            await_checksum(layer::udp, ip_proto::udp);
            udp_checksum_ = r.has_checksum;
        }
        return *this;
    }
    /// An ICMPv4 echo request or reply around the data built so far.
    constexpr builder& icmpv4(icmpv4::echo_repr r) noexcept {
        if (size() > icmpv4::max_data_len) return fail_too_large(layer::icmpv4, icmpv4::max_data_len);
        r.data_len = static_cast<std::uint16_t>(size());
        if (const auto out = prepend(layer::icmpv4, r.header_len())) {
            r.emit(icmpv4::mut_view::unchecked(*out)); // fills the checksum over the data
            set_inner(layer::icmpv4, ip_proto::icmp);
        }
        return *this;
    }
    /// An ICMPv4 error quoting the packet built so far.
    constexpr builder& icmpv4(icmpv4::error_repr r) noexcept {
        if (size() > icmpv4::max_data_len) return fail_too_large(layer::icmpv4, icmpv4::max_data_len);
        r.invoking_len = static_cast<std::uint16_t>(size());
        r.extension_len = 0;
        if (const auto out = prepend(layer::icmpv4, r.header_len())) {
            r.emit(icmpv4::mut_view::unchecked(*out)); // fills the checksum over the quote
            set_inner(layer::icmpv4, ip_proto::icmp);
            pending_ = layer::none; // a quoted transport keeps its own checksum
        }
        return *this;
    }
    /// An ICMPv6 echo request or reply around the data built so far. The
    /// checksum is filled when the IPv6 layer is built; an IPv4 layer built
    /// around it instead is errc::bad_value (ICMPv6 has no IPv4 pseudo
    /// header: its checksum would stay 0).
    constexpr builder& icmpv6(icmpv6::echo_repr r) noexcept {
        r.data_len = size();
        if (const auto out = prepend(layer::icmpv6, r.header_len())) {
            r.emit(icmpv6::mut_view::unchecked(*out));
            await_checksum(layer::icmpv6, ip_proto::icmpv6);
        }
        return *this;
    }

    // ---- network ----

    /// An IPv6 hop-by-hop (`kind` hopopt) or destination options (`kind`
    /// ipv6_opts) header. A header longer than its length octet can say
    /// (2048 bytes) is errc::length_too_large; the repr's own capacity
    /// (ipv6::opts::max_repr_options_len) keeps it well below that.
    constexpr builder& ipv6_options(ip_proto kind, ipv6::opts::repr r) noexcept {
        if (r.header_len() > ipv6::opts::max_header_len) {
            return fail_too_large(layer::ipv6_extension, ipv6::opts::max_header_len, length_source::extension_length,
                                  r.header_len());
        }
        r.next_header = next_ip_proto(r.next_header);
        if (const auto out = prepend(layer::ipv6_extension, r.header_len())) {
            r.emit(ipv6::opts::mut_view::unchecked(*out));
            set_inner(layer::ipv6_extension, kind);
        }
        return *this;
    }
    /// An IPv6 fragment header.
    constexpr builder& ipv6_fragment(ipv6::fragment::repr r) noexcept {
        r.next_header = next_ip_proto(r.next_header);
        if (const auto out = prepend(layer::ipv6_extension, ipv6::fragment::fixed_header_len)) {
            r.emit(ipv6::fragment::mut_view::unchecked(*out));
            set_inner(layer::ipv6_extension, ip_proto::ipv6_frag);
        }
        return *this;
    }
    /// An IPv4 header; fills the header checksum and a waiting transport
    /// checksum. Over an ICMPv6 message it is errc::bad_value (layer
    /// icmpv6, `needed` 6 and `available` 4, the IP versions).
    constexpr builder& ipv4(ipv4::repr r) noexcept {
        if (ok() && pending_ == layer::icmpv6) {
            error_ = error::invalid(layer::icmpv6, errc::bad_value, length_source::none, 0, 6, 4);
            return *this;
        }
        if (size() > 0xffff - r.header_len()) return fail_too_large(layer::ipv4, 0xffff - r.header_len());
        r.payload_len = static_cast<std::uint16_t>(size());
        r.protocol = next_ip_proto(r.protocol);
        fill_waiting_checksum(r.src, r.dst);
        if (const auto out = prepend(layer::ipv4, r.header_len())) {
            r.emit(ipv4::mut_view::unchecked(*out));
            set_inner(layer::ipv4, ip_proto::ipip);
        }
        return *this;
    }
    /// An IPv6 header; fills a waiting transport checksum.
    constexpr builder& ipv6(ipv6::repr r) noexcept {
        if (size() > ipv6::max_payload_len) return fail_too_large(layer::ipv6, ipv6::max_payload_len);
        r.payload_len = static_cast<std::uint32_t>(size());
        r.next_header = next_ip_proto(r.next_header);
        fill_waiting_checksum(r.src, r.dst);
        if (const auto out = prepend(layer::ipv6, ipv6::fixed_header_len)) {
            r.emit(ipv6::mut_view::unchecked(*out));
            set_inner(layer::ipv6, ip_proto::ipv6);
        }
        return *this;
    }
    /// An ARP packet (Ethernet/IPv4).
    constexpr builder& arp(const arp::repr& r) noexcept {
        if (const auto out = prepend(layer::arp, r.header_len())) {
            r.emit(arp::mut_view::unchecked(*out));
            inner_ = layer::arp;
        }
        return *this;
    }

    // ---- tunnels ----

    /// A VXLAN header over the Ethernet frame built so far.
    constexpr builder& vxlan(vxlan::repr r) noexcept {
        r.payload_len = size();
        if (const auto out = prepend(layer::vxlan, r.header_len())) {
            r.emit(vxlan::mut_view::unchecked(*out));
            inner_ = layer::vxlan;
        }
        return *this;
    }
    /// A Geneve header over the frame or packet built so far.
    constexpr builder& geneve(geneve::repr r) noexcept {
        r.payload_len = size();
        r.protocol_type = next_ethertype(r.protocol_type);
        if (const auto out = prepend(layer::geneve, r.header_len())) {
            r.emit(geneve::mut_view::unchecked(*out));
            inner_ = layer::geneve;
        }
        return *this;
    }
    /// A GRE header (RFC 2784/2890) over what was built so far; its
    /// checksum, when present, is filled. In version 1 a payload over 65535
    /// bytes (its payload-length field) is errc::length_too_large.
    constexpr builder& gre(gre::repr r) noexcept {
        if (r.version == gre::version_enhanced && size() > 0xffff) return fail_too_large(layer::gre, 0xffff);
        r.payload_len = size();
        r.protocol_type = next_ethertype(r.protocol_type);
        if (const auto out = prepend(layer::gre, r.header_len())) {
            r.emit(gre::mut_view::unchecked(*out));
            set_inner(layer::gre, ip_proto::gre);
        }
        return *this;
    }
    /// An MPLS label stack entry; bottom of stack is set unless another
    /// entry follows it.
    constexpr builder& mpls(mpls::repr r) noexcept {
        r.bottom_of_stack = inner_ != layer::mpls;
        if (const auto out = prepend(layer::mpls, mpls::header_len)) {
            r.emit(mpls::mut_view::unchecked(*out));
            inner_ = layer::mpls;
        }
        return *this;
    }

    // ---- link ----

    /// An 802.1Q (or, with `tpid` qinq, 802.1ad) tag; the layer prepended
    /// next announces it with `tpid`.
    constexpr builder& vlan(vlan::repr r, ethertype tpid = ethertype::vlan) noexcept {
        r.ethertype = next_ethertype(r.ethertype);
        if (const auto out = prepend(layer::vlan, vlan::header_len)) {
            r.emit(vlan::mut_view::unchecked(*out));
            inner_ = layer::vlan;
            tpid_ = tpid;
        }
        return *this;
    }
    /// An Ethernet II header.
    constexpr builder& ethernet(ethernet::repr r) noexcept {
        r.ethertype = next_ethertype(r.ethertype);
        if (const auto out = prepend(layer::ethernet, ethernet::header_len)) {
            r.emit(ethernet::mut_view::unchecked(*out));
            inner_ = layer::ethernet;
        }
        return *this;
    }

private:
    /// Makes room for a `len`-byte header in front of the frame; the result
    /// spans the header and everything after it.
    constexpr result<mut_bytes> prepend(layer what, std::size_t len) noexcept {
        if (!ok()) return error_;
        if (len > start_) {
            error_ = error::truncated(what, length_source::fixed_header, 0, len, start_);
            error_.code = errc::no_room;
            return error_;
        }
        start_ -= len;
        return buf_.subspan(start_);
    }
    /// Records errc::length_too_large: `value` (by default the size built
    /// so far, the payload) is above `max`.
    constexpr builder& fail_too_large(layer what, std::size_t max,
                                      length_source source = length_source::payload_length) noexcept {
        return fail_too_large(what, max, source, size());
    }
    constexpr builder& fail_too_large(layer what, std::size_t max, length_source source, std::size_t value) noexcept {
        if (ok()) error_ = error::invalid(what, errc::length_too_large, source, 0, max, value);
        return *this;
    }
    constexpr void set_inner(layer kind, ip_proto proto) noexcept {
        inner_ = kind;
        inner_proto_ = proto;
    }
    constexpr void await_checksum(layer kind, ip_proto proto) noexcept {
        set_inner(kind, proto);
        pending_ = kind;
        pending_at_ = start_;
    }

    /// The IP protocol number announcing the inner layer, or `given` over raw
    /// payload.
    [[nodiscard]] constexpr ip_proto next_ip_proto(ip_proto given) const noexcept {
        switch (inner_) {
        case layer::tcp:
        case layer::udp:
        case layer::icmpv4:
        case layer::icmpv6:
        case layer::ipv4:
        case layer::ipv6:
        case layer::gre:
        case layer::ipv6_extension: return inner_proto_;
        default: return given;
        }
    }
    /// The EtherType announcing the inner layer, or `given` over raw payload.
    [[nodiscard]] constexpr ethertype next_ethertype(ethertype given) const noexcept {
        switch (inner_) {
        case layer::ipv4: return ethertype::ipv4;
        case layer::ipv6: return ethertype::ipv6;
        case layer::arp: return ethertype::arp;
        case layer::vlan: return tpid_;
        case layer::mpls: return ethertype::mpls_unicast;
        case layer::ethernet: return ethertype::transparent_ethernet_bridging;
        default: return given;
        }
    }

    mut_bytes buf_;
    std::size_t start_;
    std::size_t pending_at_ = 0;
    rawpkt::error error_{};
    layer inner_ = layer::none;
    layer pending_ = layer::none;
    ip_proto inner_proto_ = ip_proto::ipv6_nonxt;
    ethertype tpid_ = ethertype::vlan;
    bool udp_checksum_ = true;
};

} // namespace rawpkt
