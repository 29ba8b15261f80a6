// SPDX-License-Identifier: BSD-3-Clause
// Link-layer views: the first input byte picks the protocol (see
// link_protocol in inputs.hpp), the rest is the buffer handed to its
// checked() (and checked_header()); every accessor and iterator then runs
// on what they accept.
#include "inputs.hpp"
#include "touch.hpp"

using namespace rawpkt;
using namespace rawpkt::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bytes b = input(data + 1, size - 1);
    switch (static_cast<link_protocol>(data[0] % link_protocol_count)) {
    case link_protocol::ethernet:
        check_and_touch<ethernet::view>(b);
        // The tag stack after the header, as the decoder walks it.
        if (const auto e = ethernet::view::checked_header(b)) touch_tags(e->ethertype(), e->payload());
        break;
    case link_protocol::llc: check_and_touch<llc::view>(b); break;
    case link_protocol::snap: check_and_touch<snap::view>(b); break;
    case link_protocol::vlan:
        check_and_touch<vlan::view>(b);
        touch_tags(ethertype::vlan, b);
        touch_tags(ethertype::qinq, b);
        break;
    case link_protocol::mpls:
        check_and_touch<mpls::view>(b);
        touch_labels(b);
        break;
    case link_protocol::sll: check_and_touch<sll::view>(b); break;
    case link_protocol::sll2: check_and_touch<sll2::view>(b); break;
    case link_protocol::null_loopback:
        for (const link_type lt : {link_type::null, link_type::loop, link_type::ethernet}) {
            if (const auto v = null_loopback::view::checked(b, lt)) {
                touch(*v);
            } else {
                use(v.error());
            }
        }
        break;
    case link_protocol::ppp: check_and_touch<ppp::view>(b); break;
    case link_protocol::pppoe_session: check_and_touch<pppoe::view>(b); break;
    case link_protocol::pppoe_discovery: check_and_touch<pppoe::discovery_view>(b); break;
    case link_protocol::arp: check_and_touch<arp::view>(b); break;
    }
    return 0;
}
