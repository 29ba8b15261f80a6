// SPDX-License-Identifier: BSD-3-Clause
// Network-layer views: IPv4 and its options, IPv6 with its extension
// chain, upper layer and typed extension views, and each extension view and
// the chain parser on their own. The first input byte picks the protocol
// (ip_protocol in inputs.hpp), the rest is its buffer.
#include "inputs.hpp"
#include "touch.hpp"

using namespace rawpkt;
using namespace rawpkt::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bytes b = input(data + 1, size - 1);
    switch (static_cast<ip_protocol>(data[0] % ip_protocol_count)) {
    case ip_protocol::ipv4:
        check_and_touch<ipv4::view>(b);
        // The options parser on its own, over whatever the input holds.
        for (const auto& o : ipv4::option_range{b, ipv4::field::options}) {
            if (o) {
                touch(*o);
            } else {
                use(o.error());
            }
        }
        break;
    case ip_protocol::ipv6: check_and_touch<ipv6::view>(b); break;
    case ip_protocol::ipv6_options:
        check_and_touch<ipv6::opts::view>(b);
        touch(ipv6::option_range{b, 0});
        break;
    case ip_protocol::ipv6_routing: check_and_touch<ipv6::routing::view>(b); break;
    case ip_protocol::ipv6_fragment: check_and_touch<ipv6::fragment::view>(b); break;
    case ip_protocol::ipv6_ah: check_and_touch<ipv6::ah::view>(b); break;
    case ip_protocol::ipv6_chain:
        if (!b.empty()) {
            const auto first = static_cast<ip_proto>(std::to_integer<std::uint8_t>(b[0]));
            touch_chain(first, b.subspan(1), ipv6::fixed_header_len);
        }
        break;
    }
    return 0;
}
