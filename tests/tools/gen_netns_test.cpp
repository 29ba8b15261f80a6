// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-gen end to end: frames sent on one end of a veth pair, inside
// network namespaces this test creates and removes, captured on the other
// end by rawpkt-dump -i, and compared byte by byte with the frames the
// options ask for (built here with rawpkt::builder, independently of the
// generator). Needs root; skips itself without.
#include "integration/netns.hpp"
#include "run.hpp"

#include <rawpkt/build.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/fields.hpp>
#include <rawpkt/pcap/reader.hpp>
#include <rawpkt/pcap/writer.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <set>

namespace {

using namespace rawpkt;
using namespace rawpkt::tooltest;

class GenNetns : public ::testing::Test {
protected:
    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "needs root for network namespaces";
        net_.emplace();
    }

    /// Runs rawpkt-gen in namespace a with `args` while rawpkt-dump captures
    /// `count` of its frames in namespace b; the captured frames.
    std::vector<std::vector<std::byte>> send_and_capture(const std::string& args, std::size_t count,
                                                         std::string* gen_out = nullptr,
                                                         std::vector<std::int64_t>* stamps = nullptr) {
        const auto file = work_dir() / ("gen-" + std::to_string(++n_) + ".pcap");
        const std::string cmd = "ip netns exec " + net_->b() + " timeout 30 " + tool("rawpkt-dump") + " -i vb -q -c " +
                                std::to_string(count) + " -w " + quote(file.string()) +
                                " 'ether src 02:00:00:00:00:01' & p=$!; " + test::wait_for_capture_command(net_->b()) +
                                "; ip netns exec " + net_->a() + " " + tool("rawpkt-gen") + " -i va -q " + args +
                                "; echo gen=$?; wait $p; echo dump=$?";
        const auto r = run(cmd);
        EXPECT_NE(r.out.find("gen=0"), std::string::npos) << r.out << r.err;
        EXPECT_NE(r.out.find("dump=0"), std::string::npos) << r.out << r.err;
        if (gen_out != nullptr) *gen_out = r.out;
        std::vector<std::vector<std::byte>> frames;
        auto reader = pcap::reader::open(file.string());
        if (!reader) {
            ADD_FAILURE() << "no capture: " << to_string(reader.error());
            return frames;
        }
        for (const frame& f : *reader) {
            frames.emplace_back(f.data.begin(), f.data.end());
            if (stamps != nullptr) stamps->push_back(f.timestamp_ns);
        }
        return frames;
    }

    std::optional<rawpkt::test::netns_pair> net_;
    int n_ = 0;
};

std::vector<std::byte> bytes_of(result<mut_bytes> built) {
    EXPECT_TRUE(built.has_value());
    if (!built) return {};
    return {built->begin(), built->end()};
}

constexpr mac_address gen_src{{0x02, 0, 0, 0, 0, 0x01}};
constexpr mac_address peer{{0x02, 0, 0, 0, 0, 0x02}};

TEST_F(GenNetns, UdpWithRangesVlanAndPayloadBytes) {
    const auto got = send_and_capture("--count 6 --src 10.0.0.1-10.0.0.3 --dst 10.1.0.9 --sport 1000-1001 --dport 53"
                                      " --payload deadbeef --payload-size 10 --vlan 100:5 --dst-mac 02:00:00:00:00:02"
                                      " --ttl 17",
                                      6);
    ASSERT_EQ(got.size(), 6u);
    for (std::size_t n = 0; n < 6; ++n) {
        std::array<std::byte, 128> buf{};
        const auto payload = make_bytes(0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef, 0xde, 0xad);
        ipv4::repr ip{};
        ip.src = ipv4_address{{10, 0, 0, static_cast<std::uint8_t>(1 + n % 3)}};
        ip.dst = ipv4_address{{10, 1, 0, 9}};
        ip.ttl = 17;
        ip.ident = static_cast<std::uint16_t>(n);
        const auto want = bytes_of(builder{mut_bytes{buf}.first(14 + 4 + 20 + 8 + 10)}
                                       .payload(payload)
                                       .udp({.src_port = static_cast<std::uint16_t>(1000 + n % 2), .dst_port = 53})
                                       .ipv4(ip)
                                       .vlan({.pcp = 5, .vid = 100})
                                       .ethernet({.src = gen_src, .dst = peer})
                                       .finish());
        EXPECT_EQ(got[n], want) << "frame " << n;
    }
}

TEST_F(GenNetns, TcpOverIpv6WithFrameSize) {
    const auto got = send_and_capture("--count 4 --tcp --flags SA --seq 1000 --ack 7 --src 2001:db8::1"
                                      " --dst 2001:db8::10-2001:db8::11 --sport 443 --dport 50000 --frame-size 100",
                                      4);
    ASSERT_EQ(got.size(), 4u);
    for (std::size_t n = 0; n < 4; ++n) {
        std::array<std::byte, 128> buf{};
        std::array<std::byte, 100 - 14 - 40 - 20> payload{};
        for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::byte>(i);
        ipv6::repr ip{};
        ASSERT_TRUE(ipv6_address::parse("2001:db8::1", ip.src));
        ASSERT_TRUE(ipv6_address::parse(n % 2 == 0 ? "2001:db8::10" : "2001:db8::11", ip.dst));
        tcp::repr t{};
        t.src_port = 443;
        t.dst_port = 50000;
        t.sequence = static_cast<std::uint32_t>(1000 + n * payload.size());
        t.ack_number = 7;
        t.flags = tcp::flag::syn | tcp::flag::ack;
        t.window = 65535;
        const auto want = bytes_of(builder{mut_bytes{buf}.first(100)}
                                       .payload(payload)
                                       .tcp(t)
                                       .ipv6(ip)
                                       .ethernet({.src = gen_src, .dst = mac_address::broadcast()})
                                       .finish());
        EXPECT_EQ(got[n], want) << "frame " << n;
    }
}

TEST_F(GenNetns, IcmpEchoInQinQ) {
    const auto got = send_and_capture("--count 3 --icmp --payload-size 56 --vlan 10 --vlan 20:1 --qinq", 3);
    ASSERT_EQ(got.size(), 3u);
    for (std::size_t n = 0; n < 3; ++n) {
        std::array<std::byte, 128> buf{};
        std::array<std::byte, 56> payload{};
        for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::byte>(i);
        ipv4::repr ip{};
        ip.src = ipv4_address{{192, 0, 2, 1}};
        ip.dst = ipv4_address{{192, 0, 2, 2}};
        ip.ident = static_cast<std::uint16_t>(n);
        const auto want = bytes_of(builder{mut_bytes{buf}.first(14 + 8 + 20 + 8 + 56)}
                                       .payload(payload)
                                       .icmpv4(icmpv4::echo_repr{.sequence = static_cast<std::uint16_t>(n)})
                                       .ipv4(ip)
                                       .vlan({.pcp = 1, .vid = 20})
                                       .vlan({.vid = 10}, ethertype::qinq)
                                       .ethernet({.src = gen_src, .dst = mac_address::broadcast()})
                                       .finish());
        EXPECT_EQ(got[n], want) << "frame " << n;
    }
}

TEST_F(GenNetns, RandomPortsAndAddressesWithGoodChecksums) {
    const auto got = send_and_capture("--count 64 --src 10.0.0.0/24 --dst rand --sport rand --dport rand", 64);
    ASSERT_EQ(got.size(), 64u);
    std::set<std::uint16_t> ports;
    std::set<std::uint32_t> sources;
    decoded d;
    for (std::size_t n = 0; n < got.size(); ++n) {
        ASSERT_TRUE(decode(got[n], link_type::ethernet, d)) << n;
        const auto ip = d.get<ipv4::view>();
        const auto u = d.get<udp::view>();
        ASSERT_TRUE(ip && u);
        EXPECT_TRUE(ip->checksum_ok());
        EXPECT_TRUE(u->checksum_ok(ip->src(), ip->dst()));
        EXPECT_EQ(ip->src().to_u32(), 0x0a000001u + n) << "a prefix is walked in order";
        ports.insert(u->dst_port());
        sources.insert(ip->dst().to_u32());
    }
    EXPECT_GT(ports.size(), 50u);
    EXPECT_GT(sources.size(), 50u);
}

TEST_F(GenNetns, ReplayIsByteForByte) {
    // An Ethernet capture whose frames get our source MAC (the capture
    // side keeps only frames from it), replayed twice.
    const auto eth = corpus_dir / "tcpdump__geneve.pcap";
    auto original = pcap::reader::open(eth.string());
    ASSERT_TRUE(original);
    std::vector<std::vector<std::byte>> frames;
    for (const frame& f : *original) {
        std::vector<std::byte> b(f.data.begin(), f.data.end());
        for (std::size_t i = 0; i < 6; ++i) b[6 + i] = static_cast<std::byte>(gen_src.octets[i]);
        frames.push_back(std::move(b));
    }
    const auto ours = work_dir() / "replay-src.pcap";
    {
        auto w = pcap::writer::open(ours.string(), {.format = pcap::file_format::pcap});
        ASSERT_TRUE(w);
        for (const auto& b : frames) {
            frame f;
            f.data = bytes{b};
            f.original_len = static_cast<std::uint32_t>(b.size());
            ASSERT_TRUE(w->write(f));
        }
        ASSERT_TRUE(w->close());
    }
    const auto got = send_and_capture("--replay " + quote(ours.string()) + " --speed 0 --loop 2", frames.size() * 2);
    ASSERT_EQ(got.size(), frames.size() * 2);
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], frames[i % frames.size()]) << "frame " << i;
}

TEST_F(GenNetns, RateAndTotals) {
    std::string out;
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::int64_t> stamps;
    const auto got = send_and_capture("--count 100 --rate 200", 100, &out, &stamps);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(got.size(), 100u);
    EXPECT_GE(took, std::chrono::milliseconds(450)); // 100 frames at 200/s
    EXPECT_NE(out.find("sent 100 frames, 4200 bytes"), std::string::npos) << out;
    // Spaced 5 ms apart on the wire, not queued into bursts of a TX batch
    // (which leaves nearly all 100 within 1 ms of the one before). A late
    // wake-up on a loaded machine lets the frames that fell due meanwhile
    // go together, to keep the rate: a few such, not a batch.
    ASSERT_EQ(stamps.size(), 100u);
    int close = 0;
    for (std::size_t i = 1; i < stamps.size(); ++i) close += stamps[i] - stamps[i - 1] < 1'000'000 ? 1 : 0;
    EXPECT_LT(close, 40) << "frames less than 1 ms apart";
}

TEST(GenUsage, ExitStatuses) {
    EXPECT_EQ(run(tool("rawpkt-gen") + " --count 1").status, 1); // -i is required
    EXPECT_EQ(run(tool("rawpkt-gen") + " --help").status, 0);
    EXPECT_EQ(run(tool("rawpkt-gen") + " -i lo --src 10.0.0.300").status, 1);
    EXPECT_EQ(run(tool("rawpkt-gen") + " -i lo --dport 70000").status, 1);
    EXPECT_EQ(run(tool("rawpkt-gen") + " -i lo --flags SX").status, 1);
    EXPECT_EQ(run(tool("rawpkt-gen") + " -i lo --frame-size 20").status, 1);
    EXPECT_EQ(run(tool("rawpkt-gen") + " -i lo --rate 10 --bitrate 1M").status, 1);
    const auto r = run(tool("rawpkt-gen") + " -i rawpkt-no-such-if0 --count 1");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("rawpkt-no-such-if0"), std::string::npos) << r.err;
}

} // namespace
