// SPDX-License-Identifier: BSD-3-Clause
// docs/getting-started.md: each part between "[guide:NAME]" markers is shown
// there as it is (a test keeps the two in step). Without arguments the
// program crafts a frame, writes it to a capture file, reads the file back
// and parses the frame; given an interface name it first captures ten
// frames from it (that needs CAP_NET_RAW).
#include <rawpkt/rawpkt.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

using namespace rawpkt;

namespace {

int capture(const char* interface) {
    // [guide:capture]
    std::string why;
    auto ch = datalink::open(interface, {.filter = "ip or ip6"}, &why);
    if (!ch) {
        std::fprintf(stderr, "%s\n", why.c_str()); // "CAP_NET_RAW needed (...)", "no interface named ..."
        return 1;
    }
    for (int i = 0; i < 10; ++i) {
        const auto f = ch->rx.next(std::chrono::seconds{1}); // in place in the ring: no copy
        if (!f) return 1;                                    // an error (see datalink::describe)
        if (*f == nullptr) continue;                         // nothing within a second
        std::printf("%u bytes at %lld ns\n", (*f)->captured_len(), static_cast<long long>((*f)->timestamp_ns));
    }
    // [/guide:capture]
    return 0;
}

result<mut_bytes> craft(std::array<std::byte, 128>& buf) {
    // [guide:craft]
    // Innermost layer first: lengths, protocol numbers and checksums are filled in.
    const auto hello = make_bytes('h', 'e', 'l', 'l', 'o');
    const auto frame = builder{buf}
                           .payload(hello)
                           .udp({.src_port = 40000, .dst_port = 7})
                           .ipv4({.src = ipv4_address{{192, 0, 2, 1}}, .dst = ipv4_address{{192, 0, 2, 2}}})
                           .ethernet({.src = mac_address{{2, 0, 0, 0, 0, 1}}, .dst = mac_address::broadcast()})
                           .finish(); // the frame's bytes: the end of buf
    if (!frame) std::printf("cannot build: %s\n", to_string(frame.error()).c_str());
    // [/guide:craft]
    return frame;
}

int write_file(const std::string& path, mut_bytes bytes) {
    // [guide:write]
    auto w = pcap::writer::open(path, {.format = pcap::file_format::pcap, .atomic = true});
    if (!w) {
        std::printf("%s: %s\n", path.c_str(), to_string(w.error()).c_str());
        return 1;
    }
    const frame f{.data = bytes,
                  .timestamp_ns = 1'700'000'000'000'000'000,
                  .original_len = static_cast<std::uint32_t>(bytes.size())};
    if (!w->write(f)) return 1; // buffered; every write error is reported
    if (!w->close()) return 1;  // atomic: the file appears whole, or not at all
    std::printf("wrote %s\n", path.c_str());
    // [/guide:write]
    return 0;
}

int parse_file(const std::string& path) {
    // [guide:parse]
    auto r = pcap::reader::open(path);
    if (!r) return 1;
    decoded d; // the layers of one frame, in storage you own
    for (const frame& f : *r) {
        if (const status s = decode(f.data, f.link, d); !s) {
            std::printf("malformed: %s\n", to_string(s.error()).c_str()); // layer, offset, sizes
            continue;
        }
        const auto ip = d.get<ipv4::view>();
        const auto udp = d.get<udp::view>();
        if (ip && udp)
            std::printf("%s:%u > %s:%u, %zu bytes of payload\n", ip->src().to_string().c_str(), udp->src_port(),
                        ip->dst().to_string().c_str(), udp->dst_port(), d.payload().size());
    }
    // [/guide:parse]
    return r->status() ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    if (argc > 1 && capture(argv[1]) != 0) return 1;
    std::array<std::byte, 128> buf{};
    const auto frame = craft(buf);
    if (!frame) return 1;
    const std::string path = (std::filesystem::temp_directory_path() / "rawpkt_getting_started.pcap").string();
    if (write_file(path, *frame) != 0) return 1;
    const int rc = parse_file(path);
    std::filesystem::remove(path);
    return rc;
}
