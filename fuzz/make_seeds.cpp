// SPDX-License-Identifier: BSD-3-Clause
// Writes seed inputs for every fuzz target from the capture files of a
// directory (tests/data/corpus) and the golden frames of the tests, in the
// input encodings of inputs.hpp:
//
//   fuzz_make_seeds CAPTURE_DIR OUT_DIR
//
// OUT_DIR/<target>/ then holds one file per distinct input (named by a hash
// of its bytes): every frame for fuzz_decode, fuzz_build and fuzz_format;
// every layer the decoder finds (strict and lax), as the buffer its view is laid over, for
// the protocol targets; every capture file, cut after its first records
// when it is large, for fuzz_pcap. fuzz/seed.sh minimises them into
// fuzz/corpus/ with libFuzzer's -merge=1.
#include "inputs.hpp"
#include "support/golden_frames.hpp"

#include <rawpkt/decode.hpp>
#include <rawpkt/pcap/reader.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::fuzz;
namespace fs = std::filesystem;

namespace {

/// No seed is larger than this: libFuzzer makes its inputs up to the size of
/// the largest seed, and large inputs make every execution slow. (The few
/// larger frames, a BIG TCP segment and a jumbogram, are left to the unit
/// tests.)
constexpr std::size_t max_seed = 16 * 1024;
/// Capture files larger than max_seed are cut after their last record that
/// ends before it.
/// Frames taken from one capture file: the large captures repeat themselves.
constexpr std::size_t max_frames_per_capture = 300;

class seed_writer {
public:
    explicit seed_writer(fs::path out) : out_(std::move(out)) {}

    void write(const std::string& target, std::uint8_t first, bytes rest) {
        std::vector<std::uint8_t> data;
        data.reserve(rest.size() + 1);
        data.push_back(first);
        for (const std::byte b : rest) data.push_back(std::to_integer<std::uint8_t>(b));
        write(target, data);
    }

    void write(const std::string& target, const std::vector<std::uint8_t>& data) {
        if (data.size() > max_seed) return;
        std::uint64_t h = 0xcbf29ce484222325ull;
        for (const std::uint8_t b : data) h = (h ^ b) * 0x100000001b3ull;
        char name[17];
        std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(h));
        const fs::path dir = out_ / target;
        fs::create_directories(dir);
        const fs::path file = dir / name;
        if (fs::exists(file)) return;
        std::ofstream f(file, std::ios::binary);
        f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
        ++counts_[target];
    }

    void report() const {
        for (const auto& [target, n] : counts_) std::printf("%-16s %zu seeds\n", target.c_str(), n);
    }

private:
    fs::path out_;
    std::map<std::string, std::size_t> counts_;
};

std::uint8_t sel(auto e) { return static_cast<std::uint8_t>(e); }

/// Seeds for the protocol targets from one decoded frame.
/// fuzz_app seeds from a TCP or UDP segment `t` (header included): DNS on
/// ports 53, 5353 and 5355 (over TCP the length-prefixed stream bytes,
/// cut to the segment), DHCPv4 on 67 and 68, DHCPv6 on 546 and 547.
void app_seeds(seed_writer& w, layer kind, bytes t) {
    if (t.size() < 4) return;
    const std::uint16_t ports[2] = {load_be<std::uint16_t>(t, 0), load_be<std::uint16_t>(t, 2)};
    const auto on = [&](std::initializer_list<std::uint16_t> set) {
        for (const auto p : ports)
            for (const auto s : set)
                if (p == s) return true;
        return false;
    };
    const std::size_t header = kind == layer::tcp ? (t.size() >= 13 ? (load_u8(t, 12) >> 4) * 4u : t.size()) : 8;
    if (header >= t.size()) return;
    const bytes payload = t.subspan(header);
    if (on({53, 5353, 5355})) {
        if (kind == layer::udp) {
            w.write("fuzz_app", sel(app_protocol::dns), payload);
        } else {
            std::vector<std::uint8_t> stream{sel(app_protocol::dns_tcp), 0};
            for (const std::byte x : payload) stream.push_back(std::to_integer<std::uint8_t>(x));
            w.write("fuzz_app", stream);
            if (payload.size() > 2) w.write("fuzz_app", sel(app_protocol::dns), payload.subspan(2));
        }
    }
    if (kind == layer::udp && on({67, 68})) w.write("fuzz_app", sel(app_protocol::dhcp), payload);
    if (kind == layer::udp && on({546, 547})) w.write("fuzz_app", sel(app_protocol::dhcpv6), payload);
}

void layer_seeds(seed_writer& w, const decoded& d) {
    for (std::size_t i = 0; i < d.size(); ++i) {
        const layer_info& l = d[i];
        const bytes b = d.bytes_of(l);
        switch (l.kind) {
        case layer::ethernet: w.write("fuzz_link", sel(link_protocol::ethernet), b); break;
        case layer::llc: w.write("fuzz_link", sel(link_protocol::llc), b); break;
        case layer::snap: w.write("fuzz_link", sel(link_protocol::snap), b); break;
        case layer::vlan: w.write("fuzz_link", sel(link_protocol::vlan), b); break;
        case layer::mpls: w.write("fuzz_link", sel(link_protocol::mpls), b); break;
        case layer::sll: w.write("fuzz_link", sel(link_protocol::sll), b); break;
        case layer::sll2: w.write("fuzz_link", sel(link_protocol::sll2), b); break;
        case layer::null_loopback: w.write("fuzz_link", sel(link_protocol::null_loopback), b); break;
        case layer::ppp: w.write("fuzz_link", sel(link_protocol::ppp), b); break;
        case layer::pppoe: w.write("fuzz_link", sel(link_protocol::pppoe_session), b); break;
        case layer::arp: w.write("fuzz_link", sel(link_protocol::arp), b); break;
        case layer::ipv4: w.write("fuzz_ip", sel(ip_protocol::ipv4), b); break;
        case layer::ipv6: {
            w.write("fuzz_ip", sel(ip_protocol::ipv6), b);
            if (b.size() > ipv6::fixed_header_len) {
                std::vector<std::uint8_t> chain{sel(ip_protocol::ipv6_chain), load_u8(b, ipv6::field::next_header)};
                for (const std::byte x : b.subspan(ipv6::fixed_header_len))
                    chain.push_back(std::to_integer<std::uint8_t>(x));
                w.write("fuzz_ip", chain);
            }
            break;
        }
        case layer::ipv6_extension:
            switch (static_cast<ip_proto>(l.protocol)) {
            case ip_proto::hopopt:
            case ip_proto::ipv6_opts: w.write("fuzz_ip", sel(ip_protocol::ipv6_options), b); break;
            case ip_proto::ipv6_route: w.write("fuzz_ip", sel(ip_protocol::ipv6_routing), b); break;
            case ip_proto::ipv6_frag: w.write("fuzz_ip", sel(ip_protocol::ipv6_fragment), b); break;
            case ip_proto::ah: w.write("fuzz_ip", sel(ip_protocol::ipv6_ah), b); break;
            default: break;
            }
            break;
        case layer::tcp:
        case layer::udp: {
            w.write("fuzz_transport", sel(l.kind == layer::tcp ? transport_protocol::tcp : transport_protocol::udp), b);
            app_seeds(w, l.kind, b);
            break;
        }
        case layer::icmpv4: w.write("fuzz_transport", sel(transport_protocol::icmpv4), b); break;
        case layer::icmpv6: w.write("fuzz_transport", sel(transport_protocol::icmpv6), b); break;
        case layer::gre: w.write("fuzz_tunnel", sel(tunnel_protocol::gre), b); break;
        case layer::vxlan: w.write("fuzz_tunnel", sel(tunnel_protocol::vxlan), b); break;
        case layer::geneve: w.write("fuzz_tunnel", sel(tunnel_protocol::geneve), b); break;
        case layer::gtpu: w.write("fuzz_tunnel", sel(tunnel_protocol::gtpu), b); break;
        case layer::teredo: w.write("fuzz_tunnel", sel(tunnel_protocol::teredo), b); break;
        default: break;
        }
    }
    // PPPoE discovery is not decoded: its seeds are the payload after an
    // Ethernet header or tag announcing it.
    if (d.stop() == stop_reason::unsupported && !d.empty()) {
        const layer_info& last = d[d.size() - 1];
        const bytes b = d.bytes_of(last);
        std::uint16_t type = 0;
        if (last.kind == layer::ethernet) type = ethernet::view::unchecked(b).type_len();
        if (last.kind == layer::vlan) type = vlan::view::unchecked(b).type_len();
        if (type == static_cast<std::uint16_t>(ethertype::pppoe_discovery)) {
            w.write("fuzz_link", sel(link_protocol::pppoe_discovery), d.payload());
        }
    }
}

/// Seeds from one frame: the frame itself and its layers.
void frame_seeds(seed_writer& w, link_type link, bytes frame) {
    const int index = decode_link_index(link);
    if (index < 0) return;
    w.write("fuzz_decode", static_cast<std::uint8_t>(index), frame);
    w.write("fuzz_build", static_cast<std::uint8_t>(index), frame);
    w.write("fuzz_format", static_cast<std::uint8_t>(index), frame);
    for (const decode_mode mode : {decode_mode::strict, decode_mode::lax}) {
        decoded d;
        (void)decode(frame, link, d, {.mode = mode});
        layer_seeds(w, d);
    }
}

std::vector<std::uint8_t> read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void capture_seeds(seed_writer& w, const fs::path& path) {
    const std::vector<std::uint8_t> file = read_file(path);
    const bytes all{reinterpret_cast<const std::byte*>(file.data()), file.size()};
    auto r = pcap::reader::from_memory(all);
    // The file itself, or its first records (or its first bytes).
    std::size_t cut = file.size();
    if (r && file.size() > max_seed) {
        frame f;
        cut = 0;
        while (r->next(f) && r->offset() <= max_seed) cut = static_cast<std::size_t>(r->offset());
        if (cut == 0) cut = max_seed;
    }
    w.write("fuzz_pcap", std::vector<std::uint8_t>(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(cut)));
    // Every frame.
    r = pcap::reader::from_memory(all);
    if (!r) return;
    std::size_t n = 0;
    for (const frame& f : *r) {
        if (n++ == max_frames_per_capture) break;
        frame_seeds(w, f.link, f.data);
    }
}

/// Frames the captures do not have: PPPoE discovery, Teredo, an AH header.
void synthetic_seeds(seed_writer& w) {
    // PADI: Service-Name (empty), Host-Uniq, End-Of-List.
    constexpr auto padi = make_bytes(0x11, 0x09, 0x00, 0x00, 0x00, 0x10, 0x01, 0x01, 0x00, 0x00, 0x01, 0x03, 0x00, 0x04,
                                     0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00);
    w.write("fuzz_link", sel(link_protocol::pppoe_discovery), padi);
    // Teredo: authentication indicator (client id "ab", 1-byte value),
    // origin indication, and an IPv6 header with no payload.
    std::vector<std::uint8_t> teredo{sel(tunnel_protocol::teredo),
                                     0x00,
                                     0x01,
                                     0x02,
                                     0x01,
                                     'a',
                                     'b',
                                     0x55,
                                     1,
                                     2,
                                     3,
                                     4,
                                     5,
                                     6,
                                     7,
                                     8,
                                     0x00,
                                     0x00,
                                     0x00,
                                     0xf2,
                                     0x27,
                                     0x3f,
                                     0xff,
                                     0xfd,
                                     0xfe};
    const std::vector<std::uint8_t> ipv6{0x60, 0, 0, 0, 0, 0, 59, 64};
    teredo.insert(teredo.end(), ipv6.begin(), ipv6.end());
    teredo.resize(teredo.size() + 32, 0);
    w.write("fuzz_tunnel", teredo);
    // AH with a 12-byte ICV.
    w.write(
        "fuzz_ip",
        {sel(ip_protocol::ipv6_ah), 6, 4, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
}

template <std::size_t N>
void golden(seed_writer& w, link_type link, const std::array<std::byte, N>& frame) {
    frame_seeds(w, link, bytes{frame});
}

void golden_seeds(seed_writer& w) {
    namespace g = rawpkt::test::frames;
    golden(w, link_type::ethernet, g::eth_ipv4_tcp);
    golden(w, link_type::ethernet, g::qinq_arp);
    golden(w, link_type::ethernet, g::vlan_mpls_truncated);
    golden(w, link_type::ethernet, g::mpls_pseudowire);
    golden(w, link_type::linux_sll, g::sll_tcp);
    golden(w, link_type::linux_sll2, g::sll2_tcp);
    golden(w, link_type::null, g::null_udp);
    golden(w, link_type::ethernet, g::pppoe_ipv6_udp);
    golden(w, link_type::ethernet, g::ipv6_first_fragment);
    golden(w, link_type::ethernet, g::ipv6_last_fragment);
    golden(w, link_type::ethernet, g::gre_ppp_lcp);
    golden(w, link_type::ethernet, g::vxlan_icmp);
    golden(w, link_type::ethernet, g::geneve_tcp);
    golden(w, link_type::ethernet, g::gtpu_icmp);
    golden(w, link_type::ethernet, g::ipv4_ipv6_tcp);
    golden(w, link_type::ethernet, g::icmp_quoting_tcp);
    golden(w, link_type::ethernet, g::icmpv6_hop_by_hop);
    golden(w, link_type::raw, g::raw_ipv4_udp);
    golden(w, link_type::ethernet, g::llc_stp);
    golden(w, link_type::ethernet, g::vlan_first_fragment_udp);
    golden(w, link_type::ppp, g::ppp_ipv4_udp);
    golden(w, link_type::ethernet, g::mpls_in_udp);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s CAPTURE_DIR OUT_DIR\n", argv[0]);
        return 2;
    }
    seed_writer w{argv[2]};
    std::vector<fs::path> captures;
    for (const auto& e : fs::directory_iterator(argv[1])) {
        const std::string ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".pcap" || ext == ".pcapng" || ext == ".cap")) captures.push_back(e.path());
    }
    std::sort(captures.begin(), captures.end());
    for (const auto& p : captures) capture_seeds(w, p);
    golden_seeds(w);
    synthetic_seeds(w);
    w.report();
    return 0;
}
