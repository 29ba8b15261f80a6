// SPDX-License-Identifier: BSD-3-Clause
// Tunnel views: GRE (RFC 2784/2890 and PPTP's enhanced GRE), VXLAN,
// Geneve and its options, GTP-U and its extension headers, Teredo. The
// first input byte picks the protocol (tunnel_protocol in inputs.hpp), the
// rest is its buffer.
#include "inputs.hpp"
#include "touch.hpp"

using namespace rawpkt;
using namespace rawpkt::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bytes b = input(data + 1, size - 1);
    switch (static_cast<tunnel_protocol>(data[0] % tunnel_protocol_count)) {
    case tunnel_protocol::gre: check_and_touch<gre::view>(b); break;
    case tunnel_protocol::vxlan: check_and_touch<vxlan::view>(b); break;
    case tunnel_protocol::geneve:
        check_and_touch<geneve::view>(b);
        for (const auto& o : geneve::option_range{b, geneve::field::options}) use(o.has_value());
        break;
    case tunnel_protocol::gtpu:
        check_and_touch<gtpu::view>(b);
        // The extension chain parser on its own: byte 0 is the first type.
        if (!b.empty()) {
            const auto first = static_cast<gtpu::extension_type>(std::to_integer<std::uint8_t>(b[0]));
            touch(gtpu::extension_range{b.subspan(1), gtpu::field::extensions, first});
        }
        break;
    case tunnel_protocol::teredo: check_and_touch<teredo::view>(b); break;
    }
    return 0;
}
