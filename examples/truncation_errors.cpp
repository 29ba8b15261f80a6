// SPDX-License-Identifier: BSD-3-Clause
// docs/safety.md: the part between "[guide:NAME]" markers is shown there as
// it is (a test keeps the two in step). Every prefix of a frame is decoded:
// each one comes back as the layers that fit plus an error value naming the
// layer, the length source and the sizes; nothing reads past the prefix.
#include <rawpkt/rawpkt.hpp>

#include <array>
#include <cstdio>
#include <string>

using namespace rawpkt;

int main() {
    std::array<std::byte, 96> buf{};
    const auto built = builder{buf}
                           .reserve_payload(10)
                           .tcp({.src_port = 443, .dst_port = 50000, .flags = tcp::flag::ack})
                           .ipv4({.src = ipv4_address{{192, 0, 2, 1}}, .dst = ipv4_address{{192, 0, 2, 2}}})
                           .ethernet({.src = mac_address{{2, 0, 0, 0, 0, 1}}, .dst = mac_address{{2, 0, 0, 0, 0, 2}}})
                           .finish();
    if (!built) return 1;
    const bytes whole = *built;
    std::size_t failures = 0;
    // [guide:truncation]
    decoded d;
    for (std::size_t len = 0; len < whole.size(); ++len) {
        const status s = decode(whole.first(len), link_type::ethernet, d); // strict mode
        if (s) continue;                                                   // only the whole frame decodes...
        ++failures; // ...every shorter one is an error value, never a crash or an exception
        if (len == 40) std::printf("%zu bytes: %s\n", len, to_string(s.error()).c_str());
        // "ipv4: truncated at offset 14: total length field needs 50 bytes, 26 available"
    }
    // [/guide:truncation]
    std::printf("%zu of %zu prefixes rejected\n", failures, whole.size());
    return failures == whole.size() ? 0 : 1;
}
