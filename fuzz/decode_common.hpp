// SPDX-License-Identifier: BSD-3-Clause
// What fuzz_decode and fuzz_build share: reading their input, and walking a
// decoded frame through every view the decoder promises is safe.
#pragma once

#include "inputs.hpp"
#include "touch.hpp"

#include <rawpkt/decode.hpp>

#include <array>
#include <cstddef>
#include <cstdint>

namespace rawpkt::fuzz {

/// A fuzz_decode / fuzz_build input: the link type and options byte, then
/// the frame.
struct frame_input {
    link_type link = link_type::ethernet;
    std::uint8_t flags = 0; ///< decode_flag bits
    bytes frame{};
};

[[nodiscard]] inline frame_input read_frame_input(const std::uint8_t* data, std::size_t size) noexcept {
    if (size == 0) return {};
    return {decode_links[data[0] & 0x0fu], static_cast<std::uint8_t>(data[0] & 0xf0u), input(data + 1, size - 1)};
}

/// Aborts unless two decodes of the same frame recorded the same thing.
inline void expect_same(const status& sa, const decoded& a, const status& sb, const decoded& b) noexcept {
    if (sa.has_value() != sb.has_value()) fail("fast path and general decoder disagree on success");
    if (!sa && !(sa.error() == sb.error())) fail("fast path and general decoder return different errors");
    if (a.size() != b.size()) fail("fast path and general decoder record a different number of layers");
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!(a[i] == b[i])) fail("fast path and general decoder record a different layer");
    }
    if (a.stop() != b.stop()) fail("fast path and general decoder stop for different reasons");
    if (!(a.error() == b.error())) fail("fast path and general decoder record different errors");
    if (a.payload_offset() != b.payload_offset() || a.payload().size() != b.payload().size()) {
        fail("fast path and general decoder find a different payload");
    }
    if (a.truncated() != b.truncated() || a.is_fragment() != b.is_fragment()) {
        fail("fast path and general decoder set different flags");
    }
    if (a.link() != b.link() || a.frame().data() != b.frame().data() || a.frame().size() != b.frame().size()) {
        fail("fast path and general decoder keep a different frame");
    }
}

/// The view of the n-th layer of its kind, touched. get() lays the view
/// over the layer without checking: the decoder promises it passed checked()
/// (or checked_header() in lax mode).
template <class View>
void touch_layer(const decoded& d, std::size_t nth) noexcept {
    const auto v = d.get<View>(nth);
    if (!v) fail("decoded::get() finds no layer that find() found");
    touch(*v);
}

/// Every accessor of a decoded frame, and every layer through its view.
inline void touch_decoded(const decoded& d) noexcept {
    use(d.frame());
    use(d.link());
    use(d.size());
    use(d.empty());
    use(d.stop());
    use(d.error());
    use(d.truncated());
    use(d.is_fragment());
    use(d.payload());
    use(d.payload_offset());
    std::array<std::size_t, 256> seen{};
    for (std::size_t i = 0; i < d.size(); ++i) {
        const layer_info& l = d[i];
        if (&d.layers()[i] != &l) fail("decoded::layers() and operator[] differ");
        use(l.kind);
        use(l.protocol);
        use(l.depth);
        use(l.flags);
        use(l.offset);
        use(l.header_len);
        use(l.length);
        use(l.payload_offset());
        use(l.payload_len());
        use(d.bytes_of(l));
        const std::size_t nth = seen[static_cast<std::uint8_t>(l.kind)]++;
        if (d.find(l.kind, nth) != &l) fail("decoded::find() misses a layer");
        if (d.find_last(l.kind) == nullptr) fail("decoded::find_last() misses a layer");
        switch (l.kind) {
        case layer::ethernet: touch_layer<ethernet::view>(d, nth); break;
        case layer::llc: touch_layer<llc::view>(d, nth); break;
        case layer::snap: touch_layer<snap::view>(d, nth); break;
        case layer::vlan: touch_layer<vlan::view>(d, nth); break;
        case layer::mpls: touch_layer<mpls::view>(d, nth); break;
        case layer::sll: touch_layer<sll::view>(d, nth); break;
        case layer::sll2: touch_layer<sll2::view>(d, nth); break;
        case layer::null_loopback: touch_layer<null_loopback::view>(d, nth); break;
        case layer::ppp: touch_layer<ppp::view>(d, nth); break;
        case layer::pppoe: touch_layer<pppoe::view>(d, nth); break;
        case layer::arp: touch_layer<arp::view>(d, nth); break;
        case layer::ipv4: touch_layer<ipv4::view>(d, nth); break;
        case layer::ipv6: touch_layer<ipv6::view>(d, nth); break;
        case layer::icmpv4: touch_layer<icmpv4::view>(d, nth); break;
        case layer::icmpv6: touch_layer<icmpv6::view>(d, nth); break;
        case layer::tcp: touch_layer<tcp::view>(d, nth); break;
        case layer::udp: touch_layer<udp::view>(d, nth); break;
        case layer::gre: touch_layer<gre::view>(d, nth); break;
        case layer::vxlan: touch_layer<vxlan::view>(d, nth); break;
        case layer::geneve: touch_layer<geneve::view>(d, nth); break;
        case layer::gtpu: touch_layer<gtpu::view>(d, nth); break;
        case layer::teredo: touch_layer<teredo::view>(d, nth); break;
        case layer::ipv6_extension: {
            // The decoder checks the generic layout; the typed views check
            // the rest of each header.
            const ipv6::ext_header h{static_cast<ip_proto>(l.protocol), ip_proto{}, l.offset, l.header_len,
                                     d.bytes_of(l).first(l.header_len)};
            touch(h);
            break;
        }
        default: fail("the decoder recorded a layer kind it does not decode");
        }
    }
}

} // namespace rawpkt::fuzz
