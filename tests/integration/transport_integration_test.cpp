// SPDX-License-Identifier: BSD-3-Clause
// Raw layer-3/4 channels between two network namespaces that each test
// creates and removes (needs root). Both modes, IPv4 and IPv6: the bytes
// sent are the bytes received, the TTL / hop limit and TOS / traffic class
// set on one side are seen on the other, timeouts end a wait with nothing,
// malformed packets are skipped and counted (or reported), the kernel
// filter runs, and the errors say what went wrong.
//
// No assertion depends on timing beyond "a wait did not end early": the
// waits are deadlines that only end a test that would otherwise hang.
// Sending and receiving are shown to allocate nothing.
#include <rawpkt/build.hpp>
#include <rawpkt/packet/icmpv4.hpp>
#include <rawpkt/packet/icmpv6.hpp>
#include <rawpkt/packet/udp.hpp>
#include <rawpkt/transport/channel.hpp>

#include "netns_chain.hpp"
#include "support/counted_new.hpp"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace tp = rawpkt::transport;
using namespace std::chrono_literals;
using rawpkt::test::netns_chain;

namespace {

tp::ip_address addr(const std::string& s) {
    tp::ip_address a;
    EXPECT_TRUE(tp::ip_address::parse(s, a)) << s;
    return a;
}

tp::channel open_in(netns_chain& net, std::size_t ns, const tp::config& c) {
    std::string why;
    auto ch = net.in(ns, [&] { return tp::open(c, &why); });
    if (!ch) ADD_FAILURE() << why;
    return ch ? std::move(*ch) : tp::channel{};
}

// The next packet of a channel whose source is `from` (the kernel's own
// replies and neighbour discovery may come by too), within 5 s.
const tp::packet* next_from(tp::channel& ch, const tp::ip_address& from) {
    const auto end = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < end) {
        const auto p = ch.next(500ms);
        if (!p) {
            ADD_FAILURE() << rawpkt::to_string(p.error());
            return nullptr;
        }
        if (*p != nullptr && (*p)->source == from) return *p;
    }
    return nullptr;
}

std::vector<std::byte> to_vector(rawpkt::bytes b) { return {b.begin(), b.end()}; }

class TransportTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces, CAP_NET_RAW)";
    }
};

// An ICMP echo request with 24 bytes of data, checksum filled.
std::vector<std::byte> icmpv4_echo(std::uint16_t seq) {
    std::array<std::byte, 32> buf{};
    std::array<std::byte, 24> data{};
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(i);
    auto m = rawpkt::builder{buf}.payload(data).icmpv4(rawpkt::icmpv4::echo_repr{false, 0x4242, seq, 0}).finish();
    EXPECT_TRUE(m);
    return to_vector(*m);
}

} // namespace

TEST_F(TransportTest, Layer4Ipv4BytesTtlAndTosArrive) {
    netns_chain net{2};
    tp::config c;
    c.protocol = rawpkt::ip_proto::icmp;
    tp::channel rx = open_in(net, 1, c);
    c.hop_limit = 7;
    c.traffic_class = 0xb9; // DSCP 46 (EF), ECN 01 (ECT(1))
    tp::channel tx = open_in(net, 0, c);
    const auto msg = icmpv4_echo(1);
    ASSERT_TRUE(tx.send_to(rawpkt::bytes{msg}, addr(netns_chain::v4(0, 2))));
    const tp::packet* p = next_from(rx, addr(netns_chain::v4(0, 1)));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(to_vector(p->data), msg);
    EXPECT_EQ(p->hop_limit, 7); // one link, no router: not decremented
    EXPECT_EQ(p->traffic_class, 0xb9);
    EXPECT_EQ(p->destination, addr(netns_chain::v4(0, 2)));
    EXPECT_EQ(p->datagram.size(), 20 + msg.size());
    EXPECT_NE(p->ifindex, 0u);
    // The typed receive in the sender's namespace sees the kernel's reply.
    const auto reply = tx.next_as<rawpkt::icmpv4::view>(5s);
    ASSERT_TRUE(reply);
    ASSERT_TRUE(reply->has_value());
    EXPECT_EQ((*reply)->packet->source, addr(netns_chain::v4(0, 2)));
    EXPECT_EQ((*reply)->view.sequence(), 1);
    EXPECT_EQ(tx.stats().sent, 1u);
}

TEST_F(TransportTest, Layer4Ipv6BytesHopLimitAndTrafficClassArrive) {
    netns_chain net{2};
    tp::config c;
    c.family = tp::family::ipv6;
    c.protocol = rawpkt::ip_proto::icmpv6;
    c.filter = "icmp6 and ip6[40] == 128"; // echo requests only: no neighbour discovery
    tp::channel rx = open_in(net, 1, c);
    c.filter = {};
    c.hop_limit = 9;
    c.traffic_class = 0x2e;
    tp::channel tx = open_in(net, 0, c);
    const auto src = addr(netns_chain::v6(0, 1)), dst = addr(netns_chain::v6(0, 2));
    // Built with the checksum the kernel computes too (RFC 3542 §3.1).
    std::array<std::byte, 40> buf{};
    std::array<std::byte, 32> data{};
    data.fill(std::byte{0x5a});
    auto m = rawpkt::builder{buf}.payload(data).icmpv6(rawpkt::icmpv6::echo_repr{false, 7, 3, 0}).finish();
    ASSERT_TRUE(m);
    rawpkt::icmpv6::mut_view::unchecked(*m).fill_checksum(src.v6, dst.v6);
    const auto msg = to_vector(*m);
    ASSERT_TRUE(tx.send_to(rawpkt::bytes{msg}, dst));
    const tp::packet* p = next_from(rx, src);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(to_vector(p->data), msg);
    EXPECT_EQ(p->hop_limit, 9);
    EXPECT_EQ(p->traffic_class, 0x2e);
    EXPECT_EQ(p->destination, dst);
    EXPECT_TRUE(p->datagram.empty());
    EXPECT_EQ(rx.stats().malformed, 0u);
}

TEST_F(TransportTest, Layer3DatagramsArriveAsSent) {
    netns_chain net{2};
    for (const auto fam : {tp::family::ipv4, tp::family::ipv6}) {
        const bool v6 = fam == tp::family::ipv6;
        tp::config c;
        c.family = fam;
        c.mode = tp::mode::layer3;
        c.protocol = rawpkt::ip_proto::udp;
        tp::channel rx = open_in(net, 1, c);
        tp::channel tx = open_in(net, 0, c);
        const auto src = addr(v6 ? netns_chain::v6(0, 1) : netns_chain::v4(0, 1));
        const auto dst = addr(v6 ? netns_chain::v6(0, 2) : netns_chain::v4(0, 2));
        std::array<std::byte, 80> buf{};
        std::array<std::byte, 12> data{};
        data.fill(std::byte{0x33});
        const rawpkt::udp::repr u{.src_port = 40000, .dst_port = 9};
        // TTL / hop limit 5, DSCP 10 (AF11), ECN 10 (ECT(0)).
        auto d = v6 ? rawpkt::builder{buf}
                          .payload(data)
                          .udp(u)
                          .ipv6({.src = src.v6, .dst = dst.v6, .hop_limit = 5, .traffic_class = 0x2a, .flow_label = 7})
                          .finish()
                    : rawpkt::builder{buf}
                          .payload(data)
                          .udp(u)
                          .ipv4({.src = src.v4, .dst = dst.v4, .ttl = 5, .dscp = 10, .ecn = 2, .ident = 0x1234})
                          .finish();
        ASSERT_TRUE(d);
        const auto datagram = to_vector(*d);
        ASSERT_TRUE(tx.send_to(rawpkt::bytes{datagram}, dst));
        const tp::packet* p = next_from(rx, src);
        ASSERT_NE(p, nullptr) << (v6 ? "IPv6" : "IPv4");
        EXPECT_EQ(to_vector(p->data), datagram);
        EXPECT_EQ(to_vector(p->datagram), datagram);
        EXPECT_EQ(p->hop_limit, 5);
        EXPECT_EQ(p->traffic_class, 0x2a);
        EXPECT_EQ(p->destination, dst);
    }
}

TEST_F(TransportTest, Layer4Ipv6UdpChecksumFilledByTheKernel) {
    netns_chain net{2};
    tp::config c;
    c.family = tp::family::ipv6;
    c.protocol = rawpkt::ip_proto::udp;
    tp::channel rx = open_in(net, 1, c);
    tp::channel tx = open_in(net, 0, c);
    const auto src = addr(netns_chain::v6(0, 1)), dst = addr(netns_chain::v6(0, 2));
    // A UDP header with checksum 0 and 4 bytes of data.
    std::array<std::byte, 12> msg{};
    rawpkt::udp::repr u{.src_port = 1000, .dst_port = 2000, .payload_len = 4};
    u.emit(rawpkt::udp::mut_view::unchecked(msg));
    ASSERT_TRUE(tx.send_to(rawpkt::bytes{msg}, dst));
    const tp::packet* p = next_from(rx, src);
    ASSERT_NE(p, nullptr);
    const auto v = rawpkt::udp::view::checked(p->data);
    ASSERT_TRUE(v);
    EXPECT_NE(v->checksum(), 0);
    EXPECT_TRUE(v->checksum_ok(src.v6, dst.v6));
}

TEST_F(TransportTest, TimeoutsEndAnEmptyWait) {
    netns_chain net{2};
    tp::config c;
    c.protocol = rawpkt::ip_proto::udp;
    tp::channel ch = open_in(net, 0, c);
    const auto start = std::chrono::steady_clock::now();
    const auto p = ch.next(150ms);
    const auto waited = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, nullptr);
    EXPECT_GE(waited, 150ms);
    const auto none = ch.next(tp::no_wait);
    ASSERT_TRUE(none);
    EXPECT_EQ(*none, nullptr);
    const auto typed = ch.next_as<rawpkt::udp::view>(50ms);
    ASSERT_TRUE(typed);
    EXPECT_FALSE(typed->has_value());
    const auto ready = ch.wait_readable(50ms);
    ASSERT_TRUE(ready);
    EXPECT_FALSE(*ready);
    EXPECT_GE(ch.native_handle(), 0);
}

namespace {

// A UDP datagram over IPv4 whose UDP length field is `udp_len`.
std::vector<std::byte> udp_datagram(const tp::ip_address& src, const tp::ip_address& dst, std::uint16_t dst_port,
                                    std::uint16_t udp_len) {
    std::array<std::byte, 64> buf{};
    const std::array<std::byte, 4> data{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}};
    rawpkt::ipv4::repr ip{};
    ip.src = src.v4;
    ip.dst = dst.v4;
    ip.protocol = rawpkt::ip_proto::udp;
    auto d = rawpkt::builder{buf}.payload(data).udp({.src_port = 5, .dst_port = dst_port}).ipv4(ip).finish();
    EXPECT_TRUE(d);
    auto v = to_vector(*d);
    // UDP length at offset 20 + 4 (RFC 768).
    v[24] = static_cast<std::byte>(udp_len >> 8);
    v[25] = static_cast<std::byte>(udp_len);
    return v;
}

} // namespace

TEST_F(TransportTest, MalformedPacketsAreSkippedAndCounted) {
    netns_chain net{2};
    const auto src = addr(netns_chain::v4(0, 1)), dst = addr(netns_chain::v4(0, 2));
    tp::config c;
    c.protocol = rawpkt::ip_proto::udp;
    tp::channel rx = open_in(net, 1, c);
    c.malformed = tp::on_malformed::report;
    tp::channel reporting = open_in(net, 1, c);
    tp::config tc;
    tc.mode = tp::mode::layer3;
    tc.protocol = rawpkt::ip_proto::udp;
    tp::channel tx = open_in(net, 0, tc);
    // UDP length 4: below the 8-byte header (RFC 768); then 200: beyond
    // the datagram; then a good one.
    ASSERT_TRUE(tx.send_to(rawpkt::bytes{udp_datagram(src, dst, 7, 4)}, dst));
    ASSERT_TRUE(tx.send_to(rawpkt::bytes{udp_datagram(src, dst, 7, 200)}, dst));
    ASSERT_TRUE(tx.send_to(rawpkt::bytes{udp_datagram(src, dst, 7, 12)}, dst));
    const auto good = rx.next_as<rawpkt::udp::view>(5s);
    ASSERT_TRUE(good);
    ASSERT_TRUE(good->has_value());
    EXPECT_EQ((*good)->view.length(), 12);
    EXPECT_EQ(rx.stats().malformed, 2u);
    EXPECT_EQ(rx.stats().received, 3u);
    // The reporting channel got the same three: two errors, then the view.
    const auto first = reporting.next_as<rawpkt::udp::view>(5s);
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().layer, rawpkt::layer::udp);
    const auto second = reporting.next_as<rawpkt::udp::view>(5s);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().layer, rawpkt::layer::udp);
    const auto third = reporting.next_as<rawpkt::udp::view>(5s);
    ASSERT_TRUE(third);
    ASSERT_TRUE(third->has_value());
    EXPECT_EQ(reporting.stats().malformed, 2u);
}

TEST_F(TransportTest, KernelFilterPassesOnlyWhatTheExpressionSays) {
    netns_chain net{2};
    for (const auto fam : {tp::family::ipv4, tp::family::ipv6}) {
        const bool v6 = fam == tp::family::ipv6;
        const auto src = addr(v6 ? netns_chain::v6(0, 1) : netns_chain::v4(0, 1));
        const auto dst = addr(v6 ? netns_chain::v6(0, 2) : netns_chain::v4(0, 2));
        tp::config c;
        c.family = fam;
        c.protocol = rawpkt::ip_proto::udp;
        c.filter = "udp dst port 5000";
        tp::channel rx = open_in(net, 1, c);
        c.filter = {};
        tp::channel tx = open_in(net, 0, c);
        for (const std::uint16_t port : {4000, 5000}) {
            std::array<std::byte, 8> msg{};
            rawpkt::udp::repr u{.src_port = 1, .dst_port = port, .payload_len = 0};
            u.emit(rawpkt::udp::mut_view::unchecked(msg));
            if (!v6) rawpkt::udp::mut_view::unchecked(msg).fill_checksum(src.v4, dst.v4);
            ASSERT_TRUE(tx.send_to(rawpkt::bytes{msg}, dst));
        }
        const auto p = rx.next_as<rawpkt::udp::view>(5s);
        ASSERT_TRUE(p);
        ASSERT_TRUE(p->has_value()) << (v6 ? "IPv6" : "IPv4");
        EXPECT_EQ((*p)->view.dst_port(), 5000);
        // Port 4000 went first: had the filter passed it, it would have come first.
        const auto rest = rx.next(tp::no_wait);
        ASSERT_TRUE(rest);
        EXPECT_EQ(*rest, nullptr);
        EXPECT_EQ(rx.stats().received, 1u);
        // A filter that does not compile says so.
        std::string why;
        const auto bad = rx.set_filter("udp dst port", &why);
        ASSERT_FALSE(bad);
        EXPECT_EQ(tp::step_of(bad.error()), tp::step::filter_compile);
        EXPECT_FALSE(why.empty());
        tp::config bad_config = c;
        bad_config.filter = "udp port";
        const auto refused = net.in(1, [&] { return tp::open(bad_config, &why); });
        ASSERT_FALSE(refused);
        EXPECT_EQ(why.rfind("the filter expression does not compile: ", 0), 0u) << why;
    }
}

TEST_F(TransportTest, TypedRangeIteratesUntilATimeout) {
    netns_chain net{2};
    const auto src = addr(netns_chain::v4(0, 1)), dst = addr(netns_chain::v4(0, 2));
    tp::config c;
    c.protocol = rawpkt::ip_proto::icmp;
    c.filter = "icmp[icmptype] == icmp-echo";
    tp::channel rx = open_in(net, 1, c);
    c.filter = {};
    tp::channel tx = open_in(net, 0, c);
    for (std::uint16_t seq = 1; seq <= 3; ++seq) ASSERT_TRUE(tx.send_to(rawpkt::bytes{icmpv4_echo(seq)}, dst));
    std::vector<std::uint16_t> seen;
    auto range = rx.packets<rawpkt::icmpv4::view>(2s);
    for (const auto& p : range) {
        EXPECT_EQ(p.packet->source, src);
        seen.push_back(p.view.sequence());
        if (seen.size() == 3) break;
    }
    EXPECT_EQ(seen, (std::vector<std::uint16_t>{1, 2, 3}));
    EXPECT_EQ(range.error(), nullptr);
}

TEST_F(TransportTest, ErrorsSayWhatWentWrong) {
    netns_chain net{2};
    tp::config c;
    tp::channel ch = open_in(net, 0, c);
    // Family mismatch: checked before any system call.
    const auto wrong = ch.send_to(rawpkt::bytes{icmpv4_echo(1)}, addr("2001:db8::1"));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, rawpkt::errc::bad_value);
    EXPECT_EQ(tp::step_of(wrong.error()), tp::step::address_family);
    EXPECT_EQ(tp::describe(wrong.error(), "2001:db8::1"), "the address 2001:db8::1 is IPv6 but the channel is IPv4");
    // No route inside the namespace: the kernel refuses before sending.
    const auto unreachable = ch.send_to(rawpkt::bytes{icmpv4_echo(1)}, addr("203.0.113.9"));
    ASSERT_FALSE(unreachable);
    EXPECT_EQ(unreachable.error().code, rawpkt::errc::not_found);
    EXPECT_EQ(tp::step_of(unreachable.error()), tp::step::route);
    EXPECT_EQ(tp::describe(unreachable.error(), "203.0.113.9"), "no route to 203.0.113.9");
    EXPECT_EQ(ch.stats().send_failed, 2u - 1u); // the mismatch never reached the kernel
    // An interface that is not there.
    c.interface = "r9";
    std::string why;
    const auto missing = net.in(0, [&] { return tp::open(c, &why); });
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, rawpkt::errc::not_found);
    EXPECT_NE(why.find("no interface named \"r9\" (did you mean r0?)"), std::string::npos) << why;
}

TEST_F(TransportTest, MissingCapNetRawIsSaidAsSuch) {
    // Capabilities belong to a thread: this one drops CAP_NET_RAW from its
    // effective set and tries to open a channel.
    std::string why;
    rawpkt::error err{};
    bool opened = true;
    std::thread t([&] {
        __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
        __user_cap_data_struct data[2] = {};
        if (::syscall(SYS_capget, &hdr, data) != 0) return;
        data[0].effective &= ~(1u << CAP_NET_RAW);
        if (::syscall(SYS_capset, &hdr, data) != 0) return;
        const auto ch = tp::open(tp::config{}, &why);
        opened = ch.has_value();
        if (!ch) err = ch.error();
    });
    t.join();
    ASSERT_FALSE(opened);
    EXPECT_EQ(err.code, rawpkt::errc::permission);
    EXPECT_EQ(tp::step_of(err), tp::step::socket);
    EXPECT_NE(why.find("CAP_NET_RAW needed"), std::string::npos) << why;
}

TEST_F(TransportTest, BoundToAnInterfaceSeesOnlyItsPackets) {
    netns_chain net{3};
    // The router (namespace 1) has l1 towards host 0 and r1 towards host 2.
    tp::config c;
    c.protocol = rawpkt::ip_proto::icmp;
    c.interface = "r1";
    tp::channel bound = open_in(net, 1, c);
    c.interface = {};
    tp::channel from0 = open_in(net, 0, c);
    tp::channel from2 = open_in(net, 2, c);
    ASSERT_TRUE(from0.send_to(rawpkt::bytes{icmpv4_echo(10)}, addr(netns_chain::v4(0, 2))));
    ASSERT_TRUE(from2.send_to(rawpkt::bytes{icmpv4_echo(20)}, addr(netns_chain::v4(1, 1))));
    const auto p = bound.next_as<rawpkt::icmpv4::view>(5s);
    ASSERT_TRUE(p);
    ASSERT_TRUE(p->has_value());
    EXPECT_EQ((*p)->view.sequence(), 20);
    EXPECT_EQ((*p)->packet->source, addr(netns_chain::v4(1, 2)));
}

TEST_F(TransportTest, SendingAndReceivingAllocateNothing) {
    netns_chain net{2};
    for (const auto fam : {tp::family::ipv4, tp::family::ipv6}) {
        const bool v6 = fam == tp::family::ipv6;
        const auto dst = addr(v6 ? netns_chain::v6(0, 2) : netns_chain::v4(0, 2));
        tp::config c;
        c.family = fam;
        c.protocol = rawpkt::ip_proto::udp;
        c.filter = "udp dst port 7777";
        tp::channel rx = open_in(net, 1, c);
        c.filter = {};
        c.hop_limit = 9;
        tp::channel tx = open_in(net, 0, c);
        std::array<std::byte, 16> msg{};
        rawpkt::udp::repr{.src_port = 1, .dst_port = 7777, .payload_len = 8}.emit(
            rawpkt::udp::mut_view::unchecked(msg));
        // One exchange first: neighbour discovery and lazy set-up happen there.
        ASSERT_TRUE(tx.send_to(rawpkt::bytes{msg}, dst));
        ASSERT_TRUE(rx.next_as<rawpkt::udp::view>(5s));
        constexpr int rounds = 200;
        int received = 0;
        const std::size_t before = rawpkt::test::allocations.load();
        for (int i = 0; i < rounds; ++i) {
            if (!tx.send_to(rawpkt::bytes{msg}, dst)) break;
            const auto p = rx.next_as<rawpkt::udp::view>(5s);
            if (p && *p) ++received;
        }
        const std::size_t after = rawpkt::test::allocations.load();
        EXPECT_EQ(received, rounds);
        EXPECT_EQ(after - before, 0u) << (v6 ? "IPv6" : "IPv4");
    }
}
