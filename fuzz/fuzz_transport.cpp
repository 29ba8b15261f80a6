// SPDX-License-Identifier: BSD-3-Clause
// Transport-layer views: TCP and its options, UDP, ICMPv4 (with the quoted
// IPv4 header), ICMPv6 (with the quoted IPv6 header and the NDP options).
// The first input byte picks the protocol (transport_protocol in
// inputs.hpp), the rest is its buffer.
#include "inputs.hpp"
#include "touch.hpp"

using namespace rawpkt;
using namespace rawpkt::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bytes b = input(data + 1, size - 1);
    switch (static_cast<transport_protocol>(data[0] % transport_protocol_count)) {
    case transport_protocol::tcp:
        check_and_touch<tcp::view>(b);
        // The options parser on its own, over whatever the input holds.
        for (const auto& o : tcp::option_range{b, tcp::field::options}) {
            if (o) {
                touch(*o);
            } else {
                use(o.error());
            }
        }
        break;
    case transport_protocol::udp: check_and_touch<udp::view>(b); break;
    case transport_protocol::icmpv4: check_and_touch<icmpv4::view>(b); break;
    case transport_protocol::icmpv6:
        check_and_touch<icmpv6::view>(b);
        for (const auto& o : icmpv6::option_range{b, 0}) {
            if (o) {
                touch(*o);
            } else {
                use(o.error());
            }
        }
        break;
    }
    return 0;
}
