// SPDX-License-Identifier: BSD-3-Clause
// Reprs and the builder, fed with what the decoder finds. The input is read
// as fuzz_decode reads it (the low 4 bits of the first byte pick the link
// type) and decoded in strict mode. Then:
//
// - every layer that has a repr: parse(), emit() into a fresh buffer
//   (holding the layer's own payload bytes after the header, which some
//   reprs need: checksums, Teredo's IPv6 header), checked() on the result,
//   and parse() again must give the same repr;
// - when every layer of the frame is one the builder builds, the builder
//   fed with the parsed reprs (innermost first, over the decoded payload)
//   must produce a frame that decodes to the same layer kinds.
//
// Any difference aborts.
#include "decode_common.hpp"

#include <rawpkt/build.hpp>

#include <vector>

using namespace rawpkt;
using namespace rawpkt::fuzz;

namespace {

/// parse -> emit -> checked -> parse over a fresh buffer; `layer_bytes` is
/// what the decoder recorded for the layer (its header and payload).
template <class Repr, class View, class MutView, class... Link>
void round_trip(const char* what, bytes layer_bytes, Link... link) {
    const auto r = Repr::parse(View::unchecked(layer_bytes, link...));
    if (!r) {
        use(r.error());
        return;
    }
    const std::size_t len = detail::message_len(*r);
    const std::size_t hl = r->header_len();
    if (hl > len) fail(what);
    std::vector<std::byte> buf(len);
    // The payload the header describes, as far as the layer holds it.
    if (layer_bytes.size() > hl) {
        const bytes from = layer_bytes.subspan(hl);
        const std::size_t n = from.size() < len - hl ? from.size() : len - hl;
        for (std::size_t i = 0; i < n; ++i) buf[hl + i] = from[i];
    }
    const MutView out = MutView::unchecked(mut_bytes{buf}, link...);
    // Reprs with a pseudo-header checksum: the emit() that fills it (a UDP
    // repr's has_checksum only shows there).
    if constexpr (requires { r->emit(out, v6_src, v6_dst); }) {
        r->emit(out, v6_src, v6_dst);
    } else {
        r->emit(out);
    }
    const auto v = View::checked(bytes{buf}, link...);
    if (!v) {
        std::fprintf(stderr, "%s: %s\n", what, to_string(v.error()).c_str());
        fail("checked() rejects what emit() wrote");
    }
    touch(*v);
    const auto again = Repr::parse(*v);
    if (!again) {
        std::fprintf(stderr, "%s: %s\n", what, to_string(again.error()).c_str());
        fail("parse() rejects what emit() wrote");
    }
    if (!(*again == *r)) {
        std::fprintf(stderr, "%s\n", what);
        fail("parse() after emit() gives another repr");
    }
}

void round_trip_layer(const decoded& d, const layer_info& l) {
    const bytes b = d.bytes_of(l);
    switch (l.kind) {
    case layer::ethernet: round_trip<ethernet::repr, ethernet::view, ethernet::mut_view>("ethernet", b); break;
    case layer::llc: round_trip<llc::repr, llc::view, llc::mut_view>("llc", b); break;
    case layer::snap: round_trip<snap::repr, snap::view, snap::mut_view>("snap", b); break;
    case layer::vlan: round_trip<vlan::repr, vlan::view, vlan::mut_view>("vlan", b); break;
    case layer::mpls: round_trip<mpls::repr, mpls::view, mpls::mut_view>("mpls", b); break;
    case layer::sll: round_trip<sll::repr, sll::view, sll::mut_view>("sll", b); break;
    case layer::sll2: round_trip<sll2::repr, sll2::view, sll2::mut_view>("sll2", b); break;
    case layer::null_loopback:
        round_trip<null_loopback::repr, null_loopback::view, null_loopback::mut_view>("null/loopback", b, d.link());
        break;
    case layer::ppp: round_trip<ppp::repr, ppp::view, ppp::mut_view>("ppp", b); break;
    case layer::pppoe: round_trip<pppoe::repr, pppoe::view, pppoe::mut_view>("pppoe", b); break;
    case layer::arp: round_trip<arp::repr, arp::view, arp::mut_view>("arp", b); break;
    case layer::ipv4: round_trip<ipv4::repr, ipv4::view, ipv4::mut_view>("ipv4", b); break;
    case layer::ipv6: round_trip<ipv6::repr, ipv6::view, ipv6::mut_view>("ipv6", b); break;
    case layer::ipv6_extension: {
        const bytes h = b.first(l.header_len);
        switch (static_cast<ip_proto>(l.protocol)) {
        case ip_proto::hopopt:
        case ip_proto::ipv6_opts:
            round_trip<ipv6::opts::repr, ipv6::opts::view, ipv6::opts::mut_view>("ipv6 options", h);
            break;
        case ip_proto::ipv6_frag:
            round_trip<ipv6::fragment::repr, ipv6::fragment::view, ipv6::fragment::mut_view>("ipv6 fragment", h);
            break;
        default: break; // routing and AH headers have no repr
        }
        break;
    }
    case layer::icmpv4:
        round_trip<icmpv4::echo_repr, icmpv4::view, icmpv4::mut_view>("icmpv4 echo", b);
        round_trip<icmpv4::error_repr, icmpv4::view, icmpv4::mut_view>("icmpv4 error", b);
        break;
    case layer::icmpv6:
        round_trip<icmpv6::echo_repr, icmpv6::view, icmpv6::mut_view>("icmpv6 echo", b);
        round_trip<icmpv6::error_repr, icmpv6::view, icmpv6::mut_view>("icmpv6 error", b);
        round_trip<icmpv6::router_solicit_repr, icmpv6::view, icmpv6::mut_view>("router solicitation", b);
        round_trip<icmpv6::router_advert_repr, icmpv6::view, icmpv6::mut_view>("router advertisement", b);
        round_trip<icmpv6::neighbor_solicit_repr, icmpv6::view, icmpv6::mut_view>("neighbor solicitation", b);
        round_trip<icmpv6::neighbor_advert_repr, icmpv6::view, icmpv6::mut_view>("neighbor advertisement", b);
        round_trip<icmpv6::redirect_repr, icmpv6::view, icmpv6::mut_view>("redirect", b);
        break;
    case layer::tcp: round_trip<tcp::repr, tcp::view, tcp::mut_view>("tcp", b); break;
    case layer::udp: round_trip<udp::repr, udp::view, udp::mut_view>("udp", b); break;
    case layer::gre: round_trip<gre::repr, gre::view, gre::mut_view>("gre", b); break;
    case layer::vxlan: round_trip<vxlan::repr, vxlan::view, vxlan::mut_view>("vxlan", b); break;
    case layer::geneve: round_trip<geneve::repr, geneve::view, geneve::mut_view>("geneve", b); break;
    case layer::gtpu: round_trip<gtpu::repr, gtpu::view, gtpu::mut_view>("gtp-u", b); break;
    case layer::teredo: round_trip<teredo::repr, teredo::view, teredo::mut_view>("teredo", b); break;
    default: break;
    }
}

/// Parses layer `l` into a Repr through its View and hands it to `add`;
/// false when it does not parse.
template <class Repr, class View, class Add>
bool add_parsed(const decoded& d, const layer_info& l, Add add) {
    const auto r = Repr::parse(View::unchecked(d.bytes_of(l)));
    if (!r) return false;
    add(*r);
    return true;
}

/// Adds layer `i` of `d` to the builder; false when the builder has no
/// method for it or its repr does not parse.
bool add_layer(builder& b, const decoded& d, std::size_t i) {
    const layer_info& l = d[i];
    switch (l.kind) {
    case layer::ethernet:
        return add_parsed<ethernet::repr, ethernet::view>(d, l, [&](const auto& r) { b.ethernet(r); });
    case layer::vlan: {
        // The TPID that announced the tag is the type field before it.
        if (i == 0) return false;
        const layer_info& p = d[i - 1];
        ethertype tpid{};
        if (p.kind == layer::ethernet) {
            tpid = ethernet::view::unchecked(d.bytes_of(p)).ethertype();
        } else if (p.kind == layer::vlan) {
            tpid = vlan::view::unchecked(d.bytes_of(p)).ethertype();
        } else {
            return false;
        }
        return add_parsed<vlan::repr, vlan::view>(d, l, [&](const auto& r) { b.vlan(r, tpid); });
    }
    case layer::mpls: return add_parsed<mpls::repr, mpls::view>(d, l, [&](const auto& r) { b.mpls(r); });
    case layer::arp: return add_parsed<arp::repr, arp::view>(d, l, [&](const auto& r) { b.arp(r); });
    case layer::ipv4: return add_parsed<ipv4::repr, ipv4::view>(d, l, [&](const auto& r) { b.ipv4(r); });
    case layer::ipv6: return add_parsed<ipv6::repr, ipv6::view>(d, l, [&](const auto& r) { b.ipv6(r); });
    case layer::ipv6_extension: {
        const auto kind = static_cast<ip_proto>(l.protocol);
        if (kind == ip_proto::hopopt || kind == ip_proto::ipv6_opts) {
            return add_parsed<ipv6::opts::repr, ipv6::opts::view>(d, l,
                                                                  [&](const auto& r) { b.ipv6_options(kind, r); });
        }
        if (kind == ip_proto::ipv6_frag) {
            return add_parsed<ipv6::fragment::repr, ipv6::fragment::view>(d, l,
                                                                          [&](const auto& r) { b.ipv6_fragment(r); });
        }
        return false;
    }
    case layer::icmpv4:
        return add_parsed<icmpv4::echo_repr, icmpv4::view>(d, l, [&](const auto& r) { b.icmpv4(r); }) ||
               add_parsed<icmpv4::error_repr, icmpv4::view>(d, l, [&](const auto& r) { b.icmpv4(r); });
    case layer::icmpv6: return add_parsed<icmpv6::echo_repr, icmpv6::view>(d, l, [&](const auto& r) { b.icmpv6(r); });
    case layer::tcp: return add_parsed<tcp::repr, tcp::view>(d, l, [&](const auto& r) { b.tcp(r); });
    case layer::udp: return add_parsed<udp::repr, udp::view>(d, l, [&](const auto& r) { b.udp(r); });
    case layer::gre: return add_parsed<gre::repr, gre::view>(d, l, [&](const auto& r) { b.gre(r); });
    case layer::vxlan: return add_parsed<vxlan::repr, vxlan::view>(d, l, [&](const auto& r) { b.vxlan(r); });
    case layer::geneve: return add_parsed<geneve::repr, geneve::view>(d, l, [&](const auto& r) { b.geneve(r); });
    default: return false;
    }
}

/// Builds the decoded frame again from its reprs and decodes the result.
void rebuild(const decoded& d, link_type link) {
    if (d.empty()) return;
    const layer outer = d[0].kind;
    if (!(link == link_type::ethernet && outer == layer::ethernet) &&
        !((link == link_type::raw || link == link_type::ipv4) && outer == layer::ipv4) &&
        !((link == link_type::raw || link == link_type::ipv6) && outer == layer::ipv6)) {
        return;
    }
    std::vector<std::byte> buf(d.frame().size() + 256);
    builder b{mut_bytes{buf}};
    b.payload(d.payload());
    for (std::size_t i = d.size(); i-- > 0;) {
        if (!add_layer(b, d, i)) return;
    }
    const auto built = b.finish();
    if (!built) {
        use(built.error());
        return;
    }
    decoded again;
    if (const status s = decode(*built, link, again); !s) {
        std::fprintf(stderr, "decoding the rebuilt frame: %s\n", to_string(s.error()).c_str());
        fail("the builder made a frame the decoder rejects");
    }
    bool same = again.size() == d.size();
    for (std::size_t i = 0; same && i < d.size(); ++i) {
        same = again[i].kind == d[i].kind && again[i].protocol == d[i].protocol;
    }
    if (!same) {
        for (std::size_t i = 0; i < d.size(); ++i) std::fprintf(stderr, " %s", to_string(d[i].kind));
        std::fprintf(stderr, "\nrebuilt:");
        for (std::size_t i = 0; i < again.size(); ++i) std::fprintf(stderr, " %s", to_string(again[i].kind));
        std::fprintf(stderr, "\n");
        fail("the rebuilt frame decodes to other layers");
    }
    touch_decoded(again);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const frame_input in = read_frame_input(data, size);
    decoded d;
    const status s = decode(in.frame, in.link, d);
    use(s);
    for (const layer_info& l : d.layers()) round_trip_layer(d, l);
    if (s) rebuild(d, in.link);
    return 0;
}
