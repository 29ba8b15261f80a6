// SPDX-License-Identifier: BSD-3-Clause
// Live capture and injection over a veth pair between two network namespaces
// that each test creates and removes (needs root: CAP_NET_ADMIN, CAP_NET_RAW,
// CAP_SYS_ADMIN for setns). Every test runs against every live backend: the
// TPACKET_V3 ring, the plain socket and libpcap. What libpcap cannot do
// (fanout, cooked mode, qdisc bypass, opening an interface that is down,
// per-frame direction) is checked to be refused or reported as unknown.
//
// No assertion depends on timing: waits are generous deadlines that only
// end a test that would otherwise hang, and "nothing arrived" is asserted
// only where nothing can arrive (no send() system call was made).
#include <rawpkt/build.hpp>
#include <rawpkt/datalink/datalink.hpp>
#include <rawpkt/decode.hpp>
#include <rawpkt/packet/sll.hpp>
#include <rawpkt/pcap/writer.hpp>

#include "netns.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <new>
#include <set>
#include <string>
#include <vector>

#include <linux/capability.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// Every allocation of this program is counted (support/counted_new.hpp), to
// show that receiving and sending allocate nothing.
#include "support/counted_new.hpp"

namespace {

namespace dl = rawpkt::datalink;
using rawpkt::bytes;
using rawpkt::direction;
using rawpkt::mac_address;
using rawpkt::mut_bytes;
using rawpkt::test::allocations;
using rawpkt::test::netns_pair;
using namespace std::chrono_literals;

constexpr std::uint16_t test_ethertype = 0x88b5; // IEEE 802 local experimental
constexpr std::size_t header = 14;
const char* const only_test_frames = "ether proto 0x88b5";

std::int64_t now_ns() {
    timespec t{};
    ::clock_gettime(CLOCK_REALTIME, &t);
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

void put16(std::vector<std::byte>& f, std::size_t at, unsigned v) {
    f[at] = static_cast<std::byte>(v >> 8);
    f[at + 1] = static_cast<std::byte>(v);
}

/// A test frame: Ethernet to `dst`, EtherType 0x88b5 (or tagged with
/// `tags`), "RPDL", the sequence number, then bytes derived from it.
std::vector<std::byte> make_frame(const mac_address& dst, const mac_address& src, std::uint32_t seq, std::size_t size,
                                  std::vector<std::pair<std::uint16_t, std::uint16_t>> tags = {}) {
    std::vector<std::byte> f(size);
    dst.store(f, 0);
    src.store(f, 6);
    std::size_t at = 12;
    for (const auto& [tpid, tci] : tags) {
        put16(f, at, tpid);
        put16(f, at + 2, tci);
        at += 4;
    }
    put16(f, at, test_ethertype);
    at += 2;
    const char magic[4] = {'R', 'P', 'D', 'L'};
    for (int i = 0; i < 4; ++i) f[at + i] = static_cast<std::byte>(magic[i]);
    for (int i = 0; i < 4; ++i) f[at + 4 + i] = static_cast<std::byte>(seq >> (24 - 8 * i));
    for (std::size_t i = at + 8; i < size; ++i) f[i] = static_cast<std::byte>((seq * 31 + i) & 0xff);
    return f;
}

/// The sequence number of a test frame (untagged), or -1.
long seq_of(bytes f) {
    if (f.size() < header + 8) return -1;
    if (std::to_integer<unsigned>(f[12]) != 0x88 || std::to_integer<unsigned>(f[13]) != 0xb5) return -1;
    if (std::memcmp(f.data() + 14, "RPDL", 4) != 0) return -1;
    std::uint32_t s = 0;
    for (int i = 0; i < 4; ++i) s = s << 8 | std::to_integer<std::uint32_t>(f[18 + i]);
    return static_cast<long>(s);
}

/// A received frame, copied out of the ring.
struct got {
    std::vector<std::byte> data;
    std::int64_t ts = 0;
    std::uint32_t original_len = 0;
    std::uint32_t interface = 0;
    rawpkt::link_type link{};
    direction dir{};
    std::uint16_t tpid = 0, tci = 0;
};

got copy(const rawpkt::frame& f) {
    return {std::vector<std::byte>(f.data.begin(), f.data.end()),
            f.timestamp_ns,
            f.original_len,
            f.interface,
            f.link,
            f.dir,
            f.vlan_tpid,
            f.vlan_tci};
}

/// Receives until `n` frames came (copied out) or `limit` passed.
std::vector<got> receive(dl::receiver& rx, std::size_t n, std::chrono::milliseconds limit = 30s) {
    std::vector<got> out;
    const auto end = std::chrono::steady_clock::now() + limit;
    while (out.size() < n && std::chrono::steady_clock::now() < end) {
        const auto batch = rx.next_batch(100ms);
        EXPECT_TRUE(batch) << dl::describe(batch.error());
        if (!batch) break;
        for (const rawpkt::frame& f : *batch) out.push_back(copy(f));
    }
    return out;
}

/// Receives everything until nothing more comes for `quiet`.
std::vector<got> receive_all(dl::receiver& rx, std::chrono::milliseconds quiet = 500ms) {
    std::vector<got> out;
    for (;;) {
        const auto batch = rx.next_batch(quiet);
        EXPECT_TRUE(batch);
        if (!batch || batch->empty()) return out;
        for (const rawpkt::frame& f : *batch) out.push_back(copy(f));
    }
}

struct ends {
    mac_address mac_a{}, mac_b{};
    std::uint32_t index_a = 0, index_b = 0;
};

ends look_up(netns_pair& net) {
    ends e;
    const auto a = net.in_a([] { return dl::find_interface("va"); });
    const auto b = net.in_b([] { return dl::find_interface("vb"); });
    EXPECT_TRUE(a && b);
    if (a && a->mac) e.mac_a = *a->mac;
    if (b && b->mac) e.mac_b = *b->mac;
    if (a) e.index_a = a->index;
    if (b) e.index_b = b->index;
    return e;
}

class datalink_live : public ::testing::TestWithParam<dl::backend> {
protected:
    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces, CAP_NET_RAW)";
        if (pcap() && !dl::has_pcap_backend()) GTEST_SKIP() << "built without libpcap";
    }
    static bool pcap() { return GetParam() == dl::backend::pcap; }
    /// libpcap hands out no direction.
    static direction dir(direction d) { return pcap() ? direction::unknown : d; }
    dl::config receiver_config() const {
        dl::config c;
        c.backend = GetParam();
        c.send = false;
        c.filter = only_test_frames;
        return c;
    }
    dl::config sender_config() const {
        dl::config c;
        c.backend = GetParam();
        c.receive = false;
        c.send_timeout = 30s;
        return c;
    }
    /// Opens in a namespace, failing the test with the message.
    static dl::channel open_in(netns_pair& net, bool side_a, const dl::config& c) {
        std::string why;
        auto ch = side_a ? net.in_a([&] { return dl::open("va", c, &why); })
                         : net.in_b([&] { return dl::open("vb", c, &why); });
        if (!ch) {
            ADD_FAILURE() << "open: " << why;
            return {};
        }
        return std::move(*ch);
    }
};

std::string backend_name(const ::testing::TestParamInfo<dl::backend>& p) { return dl::to_string(p.param); }

// ---- interfaces ----

TEST_P(datalink_live, lists_interfaces_with_addresses) {
    netns_pair net;
    const auto list = net.in_a([] { return dl::interfaces(); });
    ASSERT_TRUE(list) << dl::describe(list.error());
    const auto va = std::find_if(list->begin(), list->end(), [](const auto& i) { return i.name == "va"; });
    const auto lo = std::find_if(list->begin(), list->end(), [](const auto& i) { return i.name == "lo"; });
    ASSERT_NE(va, list->end());
    ASSERT_NE(lo, list->end());
    EXPECT_EQ(va->mtu, 9000u);
    EXPECT_TRUE(va->up());
    EXPECT_TRUE(va->broadcast());
    EXPECT_TRUE(va->multicast());
    EXPECT_FALSE(va->loopback());
    EXPECT_EQ(va->hardware_type, dl::arphrd::ether);
    ASSERT_TRUE(va->mac.has_value());
    ASSERT_EQ(va->addresses.size(), 1u);
    EXPECT_EQ(va->addresses[0].to_string(), "192.0.2.1/24");
    EXPECT_TRUE(lo->loopback());
    EXPECT_EQ(lo->hardware_type, dl::arphrd::loopback);
    EXPECT_EQ(lo->promiscuity, 0u);
    // By index, and by index given as a name.
    const auto by_index = net.in_a([&] { return dl::find_interface(va->index); });
    ASSERT_TRUE(by_index);
    EXPECT_EQ(by_index->name, "va");
    const auto by_digits = net.in_a([&] { return dl::find_interface(std::to_string(va->index)); });
    ASSERT_TRUE(by_digits);
    EXPECT_EQ(by_digits->name, "va");
}

// ---- receive what was sent ----

TEST_P(datalink_live, frames_of_every_size_arrive_intact_and_in_order) {
    netns_pair net;
    const ends e = look_up(net);
    dl::channel rx = open_in(net, false, receiver_config());
    dl::channel tx = open_in(net, true, sender_config());
    ASSERT_TRUE(rx.rx.enabled() && tx.tx.enabled());
    EXPECT_FALSE(rx.tx.enabled());
    EXPECT_EQ(rx.link, rawpkt::link_type::ethernet);
    EXPECT_EQ(tx.tx.max_frame_len(), 9000u + 14 + 4);

    const std::vector<std::size_t> sizes = {60,   61,   64,   100,  127,  128,  255,  256,  511,
                                            512,  1000, 1499, 1500, 1514, 1515, 1600, 2048, 3000,
                                            4096, 4097, 6000, 8191, 8192, 9000, 9013, 9014};
    std::vector<std::vector<std::byte>> sent;
    const std::int64_t before = now_ns();
    for (std::uint32_t i = 0; i < sizes.size(); ++i) {
        sent.push_back(make_frame(e.mac_b, e.mac_a, i, sizes[i]));
        ASSERT_TRUE(tx.tx.send(sent.back()));
    }
    ASSERT_TRUE(tx.tx.flush());
    const auto frames = receive(rx.rx, sent.size());
    const std::int64_t after = now_ns();
    ASSERT_EQ(frames.size(), sent.size());
    std::int64_t last = 0;
    for (std::size_t i = 0; i < sent.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(frames[i].data, sent[i]);
        EXPECT_EQ(frames[i].original_len, sent[i].size());
        EXPECT_EQ(frames[i].dir, dir(direction::host));
        EXPECT_EQ(frames[i].interface, e.index_b);
        EXPECT_EQ(frames[i].link, rawpkt::link_type::ethernet);
        EXPECT_EQ(frames[i].tpid, 0);
        EXPECT_GE(frames[i].ts, before);
        EXPECT_LE(frames[i].ts, after);
        EXPECT_GE(frames[i].ts, last);
        last = frames[i].ts;
    }
    const auto st = tx.tx.stats();
    EXPECT_EQ(st.sent, sent.size());
    EXPECT_EQ(st.failed, 0u);
    EXPECT_EQ(st.queued, 0u);
    const auto rs = rx.rx.stats();
    ASSERT_TRUE(rs);
    EXPECT_EQ(rs->received, sent.size());
    EXPECT_EQ(rs->dropped, 0u);
}

TEST_P(datalink_live, next_hands_out_frames_one_by_one_and_times_out) {
    netns_pair net;
    const ends e = look_up(net);
    dl::channel rx = open_in(net, false, receiver_config());
    dl::channel tx = open_in(net, true, sender_config());
    // Nothing was sent: nothing can come.
    const auto none = rx.rx.next(dl::no_wait);
    ASSERT_TRUE(none);
    EXPECT_EQ(*none, nullptr);
    const auto later = rx.rx.next(20ms);
    ASSERT_TRUE(later);
    EXPECT_EQ(*later, nullptr);
    for (std::uint32_t i = 0; i < 10; ++i) ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, i, 100)));
    ASSERT_TRUE(tx.tx.flush());
    // The socket becomes readable for the caller's own poll().
    pollfd p{rx.rx.native_handle(), POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 30'000), 1);
    for (std::uint32_t i = 0; i < 10; ++i) {
        const auto f = rx.rx.next(30s);
        ASSERT_TRUE(f);
        ASSERT_NE(*f, nullptr);
        EXPECT_EQ(seq_of((*f)->data), static_cast<long>(i));
    }
}

TEST_P(datalink_live, snaplen_cuts_frames_and_keeps_their_length) {
    netns_pair net;
    const ends e = look_up(net);
    dl::config c = receiver_config();
    c.snaplen = 100;
    dl::channel rx = open_in(net, false, c);
    c.filter = {}; // the snaplen alone, as a one-instruction program
    dl::channel rx2 = open_in(net, false, c);
    dl::channel tx = open_in(net, true, sender_config());
    const auto f = make_frame(e.mac_b, e.mac_a, 7, 1000);
    ASSERT_TRUE(tx.tx.send(f));
    ASSERT_TRUE(tx.tx.flush());
    for (dl::receiver* r : {&rx.rx, &rx2.rx}) {
        const auto got = receive(*r, 1);
        ASSERT_EQ(got.size(), 1u);
        EXPECT_EQ(got[0].data.size(), 100u);
        EXPECT_EQ(got[0].original_len, 1000u);
        EXPECT_TRUE(std::equal(got[0].data.begin(), got[0].data.end(), f.begin()));
    }
}

// ---- VLAN ----

TEST_P(datalink_live, vlan_tags_come_back) {
    netns_pair net;
    const ends e = look_up(net);
    dl::config c = receiver_config();
    c.filter = {}; // tagged frames: the tag is gone from the bytes the filter sees
    dl::channel rx = open_in(net, false, c);
    dl::channel tx = open_in(net, true, sender_config());
    struct tagged {
        std::uint16_t tpid, tci;
    };
    const std::vector<tagged> tags = {{0x8100, 0x0005}, {0x8100, 0xa00a}, {0x88a8, 0x0064}, {0x8100, 0x0000}};
    for (std::uint32_t i = 0; i < tags.size(); ++i) {
        ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, i, 200, {{tags[i].tpid, tags[i].tci}})));
    }
    ASSERT_TRUE(tx.tx.flush());
    std::vector<got> frames;
    const auto end = std::chrono::steady_clock::now() + 30s;
    while (frames.size() < tags.size() && std::chrono::steady_clock::now() < end) {
        for (auto& g : receive(*&rx.rx, 1, 1s)) {
            // Skip anything that is not ours (it has no RPDL marker anywhere).
            bool ours = false;
            for (std::size_t at = 12; at + 6 <= g.data.size() && at < 30; ++at) {
                ours = ours || std::memcmp(g.data.data() + at, "RPDL", 4) == 0;
            }
            if (ours) frames.push_back(std::move(g));
        }
    }
    ASSERT_EQ(frames.size(), tags.size());
    for (std::size_t i = 0; i < tags.size(); ++i) {
        SCOPED_TRACE(i);
        const auto tagged_frame =
            make_frame(e.mac_b, e.mac_a, static_cast<std::uint32_t>(i), 200, {{tags[i].tpid, tags[i].tci}});
        std::vector<std::byte> untagged = tagged_frame;
        untagged.erase(untagged.begin() + 12, untagged.begin() + 16);
        if (frames[i].tpid != 0) {
            // Taken out by the kernel: metadata, and the frame without it.
            EXPECT_EQ(frames[i].tpid, tags[i].tpid);
            EXPECT_EQ(frames[i].tci, tags[i].tci);
            EXPECT_EQ(frames[i].data, untagged);
        } else {
            // Left in the frame.
            EXPECT_EQ(frames[i].data, tagged_frame);
        }
    }
}

// ---- direction ----

TEST_P(datalink_live, direction_tells_outgoing_from_host_broadcast_multicast_other) {
    if (pcap()) GTEST_SKIP() << "libpcap hands out no per-frame direction";
    netns_pair net;
    const ends e = look_up(net);
    dl::config ca = receiver_config();
    ca.send = true;
    ca.send_timeout = 30s;
    dl::channel a = open_in(net, true, ca);
    dl::channel b = open_in(net, false, receiver_config());
    const mac_address multicast{{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}};
    const mac_address other{{0x02, 0x00, 0x00, 0x00, 0x00, 0x99}};
    const std::vector<std::pair<mac_address, direction>> cases = {{e.mac_b, direction::host},
                                                                  {mac_address::broadcast(), direction::broadcast},
                                                                  {multicast, direction::multicast},
                                                                  {other, direction::other_host}};
    for (std::uint32_t i = 0; i < cases.size(); ++i) ASSERT_TRUE(a.tx.send(make_frame(cases[i].first, e.mac_a, i, 80)));
    ASSERT_TRUE(a.tx.flush());
    const auto at_b = receive(b.rx, cases.size());
    const auto at_a = receive(a.rx, cases.size());
    ASSERT_EQ(at_b.size(), cases.size());
    ASSERT_EQ(at_a.size(), cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(at_b[i].dir, cases[i].second);
        EXPECT_EQ(at_a[i].dir, direction::outgoing);
        EXPECT_EQ(at_a[i].interface, e.index_a);
        EXPECT_EQ(at_a[i].data, at_b[i].data);
    }
}

TEST_P(datalink_live, ignore_outgoing_hides_own_frames) {
    netns_pair net;
    const ends e = look_up(net);
    dl::config ca = receiver_config();
    ca.send = true;
    ca.ignore_outgoing = true;
    ca.send_timeout = 30s;
    dl::channel a = open_in(net, true, ca);
    dl::config cb = sender_config();
    dl::channel b = open_in(net, false, cb);
    for (std::uint32_t i = 0; i < 5; ++i) ASSERT_TRUE(a.tx.send(make_frame(e.mac_b, e.mac_a, i, 80)));
    ASSERT_TRUE(a.tx.flush());
    // Then one frame the other way: the first and only frame a sees.
    ASSERT_TRUE(b.tx.send(make_frame(e.mac_a, e.mac_b, 100, 80)));
    ASSERT_TRUE(b.tx.flush());
    const auto got = receive(a.rx, 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(seq_of(got[0].data), 100);
    EXPECT_EQ(got[0].dir, dir(direction::host));
}

// ---- promiscuous mode ----

TEST_P(datalink_live, promiscuous_membership_is_counted_and_undone_on_close) {
    netns_pair net;
    const ends e = look_up(net);
    const auto promiscuity = [&] {
        const auto i = net.in_b([] { return dl::find_interface("vb"); });
        return i ? i->promiscuity : 999u;
    };
    EXPECT_EQ(promiscuity(), 0u);
    dl::config quiet = receiver_config();
    quiet.promiscuous = false;
    {
        dl::channel rx = open_in(net, false, quiet);
        EXPECT_EQ(promiscuity(), 0u);
    }
    {
        dl::channel rx = open_in(net, false, receiver_config());
        EXPECT_EQ(promiscuity(), 1u);
        dl::channel tx = open_in(net, true, sender_config());
        const mac_address other{{0x02, 0x00, 0x00, 0x00, 0x00, 0x42}};
        ASSERT_TRUE(tx.tx.send(make_frame(other, e.mac_a, 1, 64)));
        ASSERT_TRUE(tx.tx.flush());
        const auto got = receive(rx.rx, 1);
        ASSERT_EQ(got.size(), 1u);
        EXPECT_EQ(got[0].dir, dir(direction::other_host));
        EXPECT_EQ(mac_address::load(got[0].data, 0), other);
    }
    EXPECT_EQ(promiscuity(), 0u);
}

// ---- filters ----

/// An Ethernet/IPv4/UDP frame from a to b with `payload` bytes, to an IP
/// address nobody has (so b's kernel answers nothing, not even ICMP).
std::vector<std::byte> udp_frame(const ends& e, std::uint16_t sport, std::uint16_t dport, std::uint32_t seq,
                                 std::size_t payload = 32) {
    std::vector<std::byte> buf(14 + 20 + 8 + payload + 64);
    std::vector<std::byte> data(payload);
    for (std::size_t i = 0; i < payload; ++i) data[i] = static_cast<std::byte>((seq >> (8 * (i % 4))) & 0xff);
    const auto built =
        rawpkt::builder{buf}
            .payload(data)
            .udp({.src_port = sport, .dst_port = dport})
            .ipv4({.src = rawpkt::ipv4_address{{192, 0, 2, 1}}, .dst = rawpkt::ipv4_address{{198, 51, 100, 2}}})
            .ethernet({.src = e.mac_a, .dst = e.mac_b})
            .finish();
    EXPECT_TRUE(built);
    return {built->begin(), built->end()};
}

std::uint16_t udp_dport(const std::vector<std::byte>& f) {
    return static_cast<std::uint16_t>(std::to_integer<unsigned>(f[36]) << 8 | std::to_integer<unsigned>(f[37]));
}

TEST_P(datalink_live, expression_filter_passes_and_drops_what_it_should) {
    netns_pair net;
    const ends e = look_up(net);
    dl::config c = receiver_config();
    c.filter = "udp dst port 9999";
    dl::channel rx = open_in(net, false, c);
    dl::channel tx = open_in(net, true, sender_config());
    for (std::uint32_t i = 0; i < 60; ++i) {
        if (i % 3 == 0)
            ASSERT_TRUE(tx.tx.send(udp_frame(e, 1000, 9999, i)));
        else if (i % 3 == 1)
            ASSERT_TRUE(tx.tx.send(udp_frame(e, 1000, 8888, i)));
        else
            ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, i, 100)));
    }
    ASSERT_TRUE(tx.tx.flush());
    const auto got = receive(rx.rx, 20);
    ASSERT_EQ(got.size(), 20u);
    for (const auto& g : got) EXPECT_EQ(udp_dport(g.data), 9999);
    // Whatever else was on the wire went past the filter: nothing more
    // comes, and the counters saw only what passed.
    const auto more = receive_all(rx.rx, 300ms);
    EXPECT_TRUE(more.empty());
    const auto st = rx.rx.stats();
    ASSERT_TRUE(st);
    EXPECT_EQ(st->received, 20u);
    EXPECT_EQ(st->dropped, 0u);
}

TEST_P(datalink_live, program_filter_and_live_filter_change) {
    netns_pair net;
    const ends e = look_up(net);
    dl::config c = receiver_config();
    // ldh [12]; jeq #0x800 jt 0 jf 1; ret #262144; ret #0  -- IPv4 only
    c.filter =
        std::vector<dl::bpf_instruction>{{0x28, 0, 0, 12}, {0x15, 0, 1, 0x0800}, {0x06, 0, 0, 262144}, {0x06, 0, 0, 0}};
    dl::channel rx = open_in(net, false, c);
    dl::channel tx = open_in(net, true, sender_config());
    ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, 1, 100)));
    ASSERT_TRUE(tx.tx.send(udp_frame(e, 1, 8888, 2)));
    ASSERT_TRUE(tx.tx.flush());
    auto got = receive(rx.rx, 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(udp_dport(got[0].data), 8888);

    // Change it while running: from now on only the test EtherType.
    std::string why;
    ASSERT_TRUE(rx.rx.set_filter("ether proto 0x88b5", &why)) << why;
    ASSERT_TRUE(tx.tx.send(udp_frame(e, 1, 8888, 3)));
    ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, 4, 100)));
    ASSERT_TRUE(tx.tx.flush());
    got = receive(rx.rx, 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(seq_of(got[0].data), 4);

    // A bad expression leaves the filter as it was and says why.
    const auto bad = rx.rx.set_filter("udp port 4x3", &why);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, rawpkt::errc::bad_value);
    EXPECT_EQ(dl::step_of(bad.error()), dl::step::filter_compile);
    EXPECT_NE(why.find("4x3"), std::string::npos) << why;
}

TEST_P(datalink_live, bad_filter_expression_fails_open_with_libpcap_message) {
    if (!dl::has_filter_compiler()) GTEST_SKIP() << "built without libpcap";
    netns_pair net;
    dl::config c = receiver_config();
    c.filter = "tcp port and and";
    std::string why;
    const auto ch = net.in_b([&] { return dl::open("vb", c, &why); });
    ASSERT_FALSE(ch);
    EXPECT_EQ(ch.error().code, rawpkt::errc::bad_value);
    EXPECT_EQ(dl::step_of(ch.error()), dl::step::filter_compile);
    EXPECT_NE(why.find("syntax error"), std::string::npos) << why;
}

TEST_P(datalink_live, cooked_channel_hands_out_sll_frames_and_filters_them) {
    netns_pair net;
    const ends e = look_up(net);
    dl::config c = receiver_config();
    c.layer = dl::link_layer::cooked;
    c.filter = "udp dst port 9999";
    if (pcap()) {
        std::string why;
        const auto ch = net.in_b([&] { return dl::open("vb", c, &why); });
        ASSERT_FALSE(ch);
        EXPECT_EQ(ch.error().code, rawpkt::errc::unsupported);
        EXPECT_EQ(dl::step_of(ch.error()), dl::step::link_layer);
        EXPECT_NE(why.find("cooked"), std::string::npos) << why;
        GTEST_SKIP() << "libpcap offers no cooked mode on one interface (refused, as checked)";
    }
    dl::channel rx = open_in(net, false, c);
    EXPECT_EQ(rx.link, rawpkt::link_type::linux_sll);
    EXPECT_EQ(rx.rx.link(), rawpkt::link_type::linux_sll);
    dl::channel tx = open_in(net, true, sender_config());
    const auto want = udp_frame(e, 5, 9999, 1);
    ASSERT_TRUE(tx.tx.send(udp_frame(e, 5, 8888, 0)));
    ASSERT_TRUE(tx.tx.send(want));
    ASSERT_TRUE(tx.tx.flush());
    const auto got = receive(rx.rx, 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].link, rawpkt::link_type::linux_sll);
    ASSERT_EQ(got[0].data.size(), want.size() - 14 + 16);
    EXPECT_EQ(got[0].original_len, want.size() - 14 + 16);
    const auto sll = rawpkt::sll::view::checked(got[0].data);
    ASSERT_TRUE(sll);
    EXPECT_EQ(static_cast<int>(sll->packet_type()), 0); // PACKET_HOST
    EXPECT_EQ(static_cast<int>(sll->arphrd_type()), 1); // ARPHRD_ETHER
    EXPECT_EQ(sll->address_len(), 6);
    EXPECT_EQ(sll->protocol(), 0x0800);
    EXPECT_TRUE(std::equal(got[0].data.begin() + 16, got[0].data.end(), want.begin() + 14));
    EXPECT_TRUE(std::equal(got[0].data.begin() + 6, got[0].data.begin() + 12, want.begin() + 6)); // source MAC
    // And the whole frame decodes.
    rawpkt::decoded d;
    EXPECT_TRUE(rawpkt::decode(got[0].data, rawpkt::link_type::linux_sll, d));
}

// ---- fanout ----

TEST_P(datalink_live, fanout_by_hash_splits_flows_and_sees_each_frame_once) {
    netns_pair net;
    const ends e = look_up(net);
    dl::config c = receiver_config();
    c.filter = "udp dst port 7777";
    c.fanout = {.enabled = true, .group = 0x4242, .mode = dl::fanout_mode::hash, .defrag = true};
    if (pcap()) {
        std::string why;
        const auto ch = net.in_b([&] { return dl::open("vb", c, &why); });
        ASSERT_FALSE(ch);
        EXPECT_EQ(ch.error().code, rawpkt::errc::unsupported);
        EXPECT_EQ(dl::step_of(ch.error()), dl::step::fanout);
        EXPECT_NE(why.find("fanout"), std::string::npos) << why;
        GTEST_SKIP() << "libpcap has no fanout (refused, as checked)";
    }
    dl::channel r1 = open_in(net, false, c);
    dl::channel r2 = open_in(net, false, c);
    dl::channel tx = open_in(net, true, sender_config());
    constexpr std::uint32_t flows = 64, per_flow = 5;
    for (std::uint32_t k = 0; k < per_flow; ++k) {
        for (std::uint32_t f = 0; f < flows; ++f) {
            ASSERT_TRUE(tx.tx.send(udp_frame(e, static_cast<std::uint16_t>(20000 + f), 7777, f * per_flow + k)));
        }
    }
    ASSERT_TRUE(tx.tx.flush());
    std::map<std::uint16_t, std::set<int>> sockets_of_flow;
    std::multiset<std::uint32_t> seen;
    std::size_t count1 = 0, count2 = 0;
    const auto end = std::chrono::steady_clock::now() + 30s;
    while (seen.size() < flows * per_flow && std::chrono::steady_clock::now() < end) {
        for (int which : {1, 2}) {
            dl::receiver& r = which == 1 ? r1.rx : r2.rx;
            const auto batch = r.next_batch(50ms);
            ASSERT_TRUE(batch);
            for (const rawpkt::frame& f : *batch) {
                const std::uint16_t sport = static_cast<std::uint16_t>(std::to_integer<unsigned>(f.data[34]) << 8 |
                                                                       std::to_integer<unsigned>(f.data[35]));
                std::uint32_t seq = 0;
                for (int i = 0; i < 4; ++i) seq |= std::to_integer<std::uint32_t>(f.data[42 + i]) << (8 * i);
                sockets_of_flow[sport].insert(which);
                seen.insert(seq);
                (which == 1 ? count1 : count2)++;
            }
        }
    }
    ASSERT_EQ(seen.size(), flows * per_flow);
    for (std::uint32_t s = 0; s < flows * per_flow; ++s) EXPECT_EQ(seen.count(s), 1u) << s;
    for (const auto& [port, socks] : sockets_of_flow) EXPECT_EQ(socks.size(), 1u) << "flow " << port;
    EXPECT_GT(count1, 0u);
    EXPECT_GT(count2, 0u);
}

TEST_P(datalink_live, fanout_round_robin_sees_each_frame_once) {
    if (pcap()) GTEST_SKIP() << "libpcap has no fanout";
    netns_pair net;
    const ends e = look_up(net);
    dl::config c = receiver_config();
    c.fanout = {.enabled = true, .group = 7, .mode = dl::fanout_mode::lb};
    dl::channel r1 = open_in(net, false, c);
    dl::channel r2 = open_in(net, false, c);
    // A second group on the same interface is independent of the first.
    c.fanout.group = 8;
    dl::channel other = open_in(net, false, c);
    dl::channel tx = open_in(net, true, sender_config());
    constexpr std::uint32_t n = 100;
    for (std::uint32_t i = 0; i < n; ++i) ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, i, 64)));
    ASSERT_TRUE(tx.tx.flush());
    std::set<long> seen;
    std::size_t c1 = 0, c2 = 0;
    const auto end = std::chrono::steady_clock::now() + 30s;
    while (c1 + c2 < n && std::chrono::steady_clock::now() < end) {
        for (auto [r, count] : {std::pair{&r1.rx, &c1}, std::pair{&r2.rx, &c2}}) {
            const auto batch = r->next_batch(50ms);
            ASSERT_TRUE(batch);
            for (const rawpkt::frame& f : *batch) {
                EXPECT_TRUE(seen.insert(seq_of(f.data)).second);
                ++*count;
            }
        }
    }
    EXPECT_EQ(c1 + c2, n);
    EXPECT_EQ(seen.size(), n);
    EXPECT_GT(c1, 0u);
    EXPECT_GT(c2, 0u);
    EXPECT_EQ(receive(other.rx, n).size(), n); // alone in its group: everything
}

// ---- sending ----

TEST_P(datalink_live, qdisc_bypass_sends_past_the_taps) {
    netns_pair net;
    const ends e = look_up(net);
    dl::config ca = receiver_config();
    ca.send = true;
    ca.qdisc_bypass = true;
    ca.send_timeout = 30s;
    if (pcap()) {
        std::string why;
        const auto ch = net.in_a([&] { return dl::open("va", ca, &why); });
        ASSERT_FALSE(ch);
        EXPECT_EQ(ch.error().code, rawpkt::errc::unsupported);
        EXPECT_EQ(dl::step_of(ch.error()), dl::step::qdisc_bypass);
        GTEST_SKIP() << "libpcap cannot bypass the qdisc layer (refused, as checked)";
    }
    dl::channel a = open_in(net, true, ca);
    dl::channel b = open_in(net, false, receiver_config());
    for (std::uint32_t i = 0; i < 20; ++i) ASSERT_TRUE(a.tx.send(make_frame(e.mac_b, e.mac_a, i, 300)));
    ASSERT_TRUE(a.tx.flush());
    const auto got = receive(b.rx, 20);
    ASSERT_EQ(got.size(), 20u);
    for (std::uint32_t i = 0; i < 20; ++i) EXPECT_EQ(seq_of(got[i].data), static_cast<long>(i));
    // Its own receiver never saw them: the first frame it gets is b's.
    dl::channel back = open_in(net, false, sender_config());
    ASSERT_TRUE(back.tx.send(make_frame(e.mac_a, e.mac_b, 99, 64)));
    ASSERT_TRUE(back.tx.flush());
    const auto at_a = receive(a.rx, 1);
    ASSERT_EQ(at_a.size(), 1u);
    EXPECT_EQ(seq_of(at_a[0].data), 99);
}

TEST_P(datalink_live, receiving_and_sending_allocate_nothing) {
    if (!rawpkt::test::counts_allocations) GTEST_SKIP() << "allocations are not counted under ThreadSanitizer";
    netns_pair net;
    const ends e = look_up(net);
    dl::channel rx = open_in(net, false, receiver_config());
    dl::config tc = sender_config();
    tc.tx_batch = 32;
    dl::channel tx = open_in(net, true, tc);
    const auto frame = make_frame(e.mac_b, e.mac_a, 1, 200);
    constexpr std::size_t n = 2000;
    std::size_t ok = 0, received = 0;
    const std::size_t before_send = rawpkt::test::allocations.load();
    for (std::size_t i = 0; i < n; ++i) {
        ok +=
            tx.tx.send_with(frame.size(), [&](mut_bytes slot) { std::memcpy(slot.data(), frame.data(), frame.size()); })
                ? 1
                : 0;
    }
    ok += tx.tx.flush() ? 1 : 0;
    const std::size_t send_allocations = rawpkt::test::allocations.load() - before_send;
    const auto end = std::chrono::steady_clock::now() + 30s;
    const std::size_t before_receive = rawpkt::test::allocations.load();
    std::uint32_t sum = 0;
    while (received < n && std::chrono::steady_clock::now() < end) {
        const auto f = rx.rx.next(100ms);
        if (!f || *f == nullptr) continue;
        sum += std::to_integer<std::uint32_t>((*f)->data[0]);
        ++received;
    }
    const std::size_t receive_allocations = rawpkt::test::allocations.load() - before_receive;
    EXPECT_EQ(ok, n + 1);
    EXPECT_EQ(received, n);
    EXPECT_EQ(sum, n * std::to_integer<std::uint32_t>(frame[0]));
    EXPECT_EQ(send_allocations, 0u);
    EXPECT_EQ(receive_allocations, 0u);
}

/// Sends 600 frames of 60 to 1460 bytes with send_with() three ways (whole
/// slot, a length, the builder ending at the end of the slot) and receives
/// exactly them.
void send_in_place_and_receive(const ends& e, dl::channel& rx, dl::channel& tx, bool pcap) {
    constexpr std::uint32_t n = 600;
    std::vector<std::vector<std::byte>> expect;
    for (std::uint32_t i = 0; i < n; ++i) {
        const std::size_t size = 60 + (i * 37) % 1400;
        expect.push_back(make_frame(e.mac_b, e.mac_a, i, size));
        rawpkt::status s;
        switch (i % 3) {
        case 0: // void: all of it
            s = tx.tx.send_with(size, [&](mut_bytes slot) { std::memcpy(slot.data(), expect.back().data(), size); });
            break;
        case 1: // a length: the first n bytes of a bigger slot
            s = tx.tx.send_with(size + 100, [&](mut_bytes slot) {
                std::memcpy(slot.data(), expect.back().data(), size);
                return size;
            });
            break;
        default: // the builder, ending at the end of the slot
            s = tx.tx.send_with(tx.tx.max_frame_len(), [&](mut_bytes slot) {
                const auto body = bytes{expect.back()}.subspan(14);
                return rawpkt::builder{slot}
                    .payload(body)
                    .ethernet({.src = e.mac_a, .dst = e.mac_b, .ethertype = rawpkt::ethertype{test_ethertype}})
                    .finish();
            });
            break;
        }
        ASSERT_TRUE(s) << i << ": " << dl::describe(s.error());
    }
    ASSERT_TRUE(tx.tx.flush());
    const auto got = receive(rx.rx, n);
    ASSERT_EQ(got.size(), n);
    for (std::uint32_t i = 0; i < n; ++i) ASSERT_EQ(got[i].data, expect[i]) << i;
    const auto st = tx.tx.stats();
    EXPECT_EQ(st.sent, n);
    EXPECT_EQ(st.failed, 0u);
    if (pcap) {
        EXPECT_EQ(st.syscalls, n); // pcap_inject: one call per frame
    } else {
        // Batches of 16, one system call each (and a few more for the last).
        EXPECT_LE(st.syscalls, n / 16 + 4);
    }
}

// Ring: frames up to tx_copy_max are copied by the kernel, longer ones
// attached as ring pages; each way, and mixed, they arrive intact.
TEST_P(datalink_live, send_with_builds_in_place) {
    netns_pair net;
    const ends e = look_up(net);
    for (const std::uint32_t copy_max : {dl::config{}.tx_copy_max, 0u, 700u}) {
        SCOPED_TRACE("tx_copy_max " + std::to_string(copy_max));
        dl::channel rx = open_in(net, false, receiver_config());
        dl::config tc = sender_config();
        tc.tx_batch = 16;
        tc.tx_copy_max = copy_max;
        dl::channel tx = open_in(net, true, tc);
        send_in_place_and_receive(e, rx, tx, pcap());
        if (pcap() || GetParam() == dl::backend::socket) break; // tx_copy_max is the ring's
    }
}

TEST_P(datalink_live, frames_wait_for_flush) {
    netns_pair net;
    const ends e = look_up(net);
    dl::channel rx = open_in(net, false, receiver_config());
    dl::config tc = sender_config();
    tc.tx_batch = 1000;
    dl::channel tx = open_in(net, true, tc);
    for (std::uint32_t i = 0; i < 10; ++i) ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, i, 100)));
    auto st = tx.tx.stats();
    EXPECT_EQ(st.queued, 10u);
    EXPECT_EQ(st.sent, 0u);
    EXPECT_EQ(st.syscalls, 0u);
    // No system call was made: nothing can have left.
    const auto early = rx.rx.next(100ms);
    ASSERT_TRUE(early);
    EXPECT_EQ(*early, nullptr);
    ASSERT_TRUE(tx.tx.flush());
    st = tx.tx.stats();
    EXPECT_EQ(st.queued, 0u);
    EXPECT_EQ(st.sent, 10u);
    const std::uint64_t calls = pcap() ? 10u : 1u; // pcap_inject: one call per frame
    EXPECT_EQ(st.syscalls, calls);
    const auto got = receive(rx.rx, 10);
    ASSERT_EQ(got.size(), 10u);
    for (std::uint32_t i = 0; i < 10; ++i) EXPECT_EQ(seq_of(got[i].data), static_cast<long>(i));
    // An empty flush makes no system call.
    ASSERT_TRUE(tx.tx.flush());
    EXPECT_EQ(tx.tx.stats().syscalls, calls);
}

TEST_P(datalink_live, sender_refuses_frames_that_do_not_fit) {
    netns_pair net;
    const ends e = look_up(net);
    dl::channel tx = open_in(net, true, sender_config());
    const auto big = tx.tx.send(make_frame(e.mac_b, e.mac_a, 1, 9015)); // untagged, above MTU + 14
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code, rawpkt::errc::length_too_large);
    const auto huge = tx.tx.send(std::vector<std::byte>(9100));
    ASSERT_FALSE(huge);
    EXPECT_EQ(huge.error().code, rawpkt::errc::length_too_large);
    const auto tiny = tx.tx.send(std::vector<std::byte>(10));
    ASSERT_FALSE(tiny);
    EXPECT_EQ(tiny.error().code, rawpkt::errc::length_too_small);
    // A tagged frame may be 4 bytes longer.
    ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, 1, 9018, {{0x8100, 5}})));
    ASSERT_TRUE(tx.tx.flush());
    EXPECT_EQ(tx.tx.stats().sent, 1u);
}

TEST_P(datalink_live, send_on_a_downed_interface_fails_and_recovers) {
    netns_pair net;
    const ends e = look_up(net);
    dl::channel rx = open_in(net, false, receiver_config());
    dl::channel tx = open_in(net, true, sender_config());
    ASSERT_TRUE(net.ip_a("link set va down"));
    for (std::uint32_t i = 0; i < 3; ++i) (void)tx.tx.send(make_frame(e.mac_b, e.mac_a, i, 100));
    const auto down = tx.tx.flush();
    ASSERT_FALSE(down);
    EXPECT_EQ(down.error().sys_errno, ENETDOWN);
    EXPECT_NE(dl::describe(down.error(), "va").find("down"), std::string::npos);
    EXPECT_EQ(tx.tx.stats().failed, 3u);
    EXPECT_EQ(tx.tx.stats().queued, 0u);
    ASSERT_TRUE(net.ip_a("link set va up"));
    for (std::uint32_t i = 10; i < 13; ++i) ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, i, 100)));
    const auto up = tx.tx.flush();
    ASSERT_TRUE(up) << dl::describe(up.error(), "va");
    const auto got = receive(rx.rx, 3);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(seq_of(got[0].data), 10);
}

TEST_P(datalink_live, frames_the_device_drops_are_retried_and_never_stall_the_sender) {
    netns_pair net;
    const ends e = look_up(net);
    dl::channel rx = open_in(net, false, receiver_config());
    dl::config tc = sender_config();
    tc.tx_batch = 8;
    dl::channel tx = open_in(net, true, tc);
    // A token bucket with room for three frames: the rest of each burst is
    // dropped by the qdisc, and send() reports ENOBUFS.
    ASSERT_TRUE(net.ip_a("link set va up") &&
                rawpkt::test::run("ip netns exec " + net.a() +
                                  " tc qdisc add dev va root tbf rate 8mbit burst 1600 limit 3000"));
    constexpr std::uint32_t n = 60;
    for (std::uint32_t i = 0; i < n; ++i) ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, i, 1000)));
    ASSERT_TRUE(tx.tx.flush());
    const auto st = tx.tx.stats();
    std::printf("drops: sent %llu failed %llu retried %llu syscalls %llu\n", static_cast<unsigned long long>(st.sent),
                static_cast<unsigned long long>(st.failed), static_cast<unsigned long long>(st.retried),
                static_cast<unsigned long long>(st.syscalls));
    EXPECT_EQ(st.sent + st.failed, n);
    EXPECT_EQ(st.queued, 0u);
    EXPECT_GT(st.retried, 0u);
    // What the sender counts as sent went out, once each, in order.
    const auto got = receive(rx.rx, st.sent);
    ASSERT_EQ(got.size(), st.sent);
    long last = -1;
    for (const auto& g : got) {
        EXPECT_GT(seq_of(g.data), last);
        last = seq_of(g.data);
    }
    EXPECT_TRUE(receive_all(rx.rx, 300ms).empty());
    // Without the bottleneck everything goes out again.
    ASSERT_TRUE(rawpkt::test::run("ip netns exec " + net.a() + " tc qdisc del dev va root"));
    for (std::uint32_t i = 0; i < 20; ++i) ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, 1000 + i, 1000)));
    ASSERT_TRUE(tx.tx.flush());
    const auto after = receive(rx.rx, 20);
    ASSERT_EQ(after.size(), 20u);
    for (std::uint32_t i = 0; i < 20; ++i) EXPECT_EQ(seq_of(after[i].data), static_cast<long>(1000 + i));
}

TEST_P(datalink_live, frames_the_device_always_drops_are_given_up_and_counted) {
    netns_pair net;
    const ends e = look_up(net);
    dl::channel rx = open_in(net, false, receiver_config());
    dl::channel tx = open_in(net, true, sender_config());
    // A queue smaller than one frame: every frame is dropped.
    ASSERT_TRUE(rawpkt::test::run("ip netns exec " + net.a() +
                                  " tc qdisc add dev va root tbf rate 8mbit burst 1600 limit 500"));
    for (std::uint32_t i = 0; i < 3; ++i) ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, i, 1000)));
    ASSERT_TRUE(tx.tx.flush()); // drops are counted, not errors
    auto st = tx.tx.stats();
    EXPECT_EQ(st.failed, 3u);
    EXPECT_EQ(st.sent, 0u);
    EXPECT_EQ(st.queued, 0u);
    EXPECT_GE(st.retried, 3u * 8u);
    ASSERT_TRUE(rawpkt::test::run("ip netns exec " + net.a() + " tc qdisc del dev va root"));
    for (std::uint32_t i = 10; i < 13; ++i) ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, i, 1000)));
    ASSERT_TRUE(tx.tx.flush());
    st = tx.tx.stats();
    EXPECT_EQ(st.sent, 3u);
    const auto got = receive(rx.rx, 3);
    ASSERT_EQ(got.size(), 3u);
    for (std::uint32_t i = 0; i < 3; ++i) EXPECT_EQ(seq_of(got[i].data), static_cast<long>(10 + i));
}

// ---- overload ----

TEST_P(datalink_live, flood_beyond_the_ring_is_counted_and_the_channel_recovers) {
    netns_pair net;
    const ends e = look_up(net);
    // Capture on the sending side: outgoing frames reach the receiver
    // synchronously inside send(), so every frame sent is either stored or
    // counted as dropped (nothing is lost on the way, as a veth backlog
    // could).
    dl::config c = receiver_config();
    c.send = true;
    c.send_timeout = 30s;
    c.rx_ring = {.block_size = 64 * 1024, .block_count = 3, .frame_size = 2048};
    c.socket_buffer = 64 * 1024;
    c.socket_batch = 64;
    dl::channel a = open_in(net, true, c);
    constexpr std::uint32_t n = 20000;
    for (std::uint32_t i = 0; i < n; ++i) ASSERT_TRUE(a.tx.send(make_frame(e.mac_b, e.mac_a, i, 60 + i % 140)));
    ASSERT_TRUE(a.tx.flush());
    const auto tx_stats = a.tx.stats();
    EXPECT_EQ(tx_stats.sent + tx_stats.failed, n);
    const auto got = receive_all(a.rx);
    const auto st = a.rx.stats();
    ASSERT_TRUE(st);
    std::printf("flood: sent %llu failed %llu retried %llu syscalls %llu; captured %zu dropped %llu freezes %llu\n",
                static_cast<unsigned long long>(tx_stats.sent), static_cast<unsigned long long>(tx_stats.failed),
                static_cast<unsigned long long>(tx_stats.retried), static_cast<unsigned long long>(tx_stats.syscalls),
                got.size(), static_cast<unsigned long long>(st->dropped), static_cast<unsigned long long>(st->freezes));
    // Every frame handed to the device passed the tap once (a retried one
    // twice).
    EXPECT_EQ(got.size() + st->dropped, n + tx_stats.retried);
    EXPECT_EQ(st->received, got.size());
    EXPECT_GT(st->dropped, 0u);
    // What was kept is intact and in order.
    long last = -1;
    for (const auto& g : got) {
        const long s = seq_of(g.data);
        ASSERT_GE(s, last);
        ASSERT_EQ(g.data, make_frame(e.mac_b, e.mac_a, static_cast<std::uint32_t>(s), g.data.size()));
        last = s;
    }
    if (GetParam() == dl::backend::ring) {
        EXPECT_GT(st->freezes, 0u);
    }
    // And it keeps working: 100 more frames, 10 at a time, each batch
    // received before the next is sent, so that they fit whatever the
    // buffer. Each batch pauses after 5 frames for longer than the block
    // timeout, so a block is closed with part of the batch in it: with the
    // 64 KiB asked for above libpcap's ring would be a single block and lose
    // the rest of the batch (the pcap backend asks for two blocks).
    for (std::uint32_t batch = 0; batch < 10; ++batch) {
        for (std::uint32_t i = 0; i < 10; ++i) {
            ASSERT_TRUE(a.tx.send(make_frame(e.mac_b, e.mac_a, n + batch * 10 + i, 100)));
            if (i == 4) {
                ASSERT_TRUE(a.tx.flush());
                std::this_thread::sleep_for(c.block_timeout * 3);
            }
        }
        ASSERT_TRUE(a.tx.flush());
        const auto after = receive(a.rx, 10);
        const auto now = a.rx.stats();
        ASSERT_TRUE(now);
        ASSERT_EQ(after.size(), 10u) << "batch " << batch << ", dropped since the flood " << now->dropped - st->dropped;
        for (std::uint32_t i = 0; i < 10; ++i) {
            EXPECT_EQ(seq_of(after[i].data), static_cast<long>(n + batch * 10 + i));
        }
    }
    const auto st2 = a.rx.stats();
    ASSERT_TRUE(st2);
    EXPECT_EQ(st2->received, got.size() + 100);
    EXPECT_EQ(st2->dropped, st->dropped);
}

// ---- capture files ----

TEST_P(datalink_live, a_capture_file_replays_onto_the_wire_at_its_pace) {
    netns_pair net;
    const ends e = look_up(net);
    // A file of 20 frames recorded 5 ms apart.
    char path[] = "/tmp/rawpkt-replay-XXXXXX";
    const int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    std::vector<std::vector<std::byte>> frames;
    {
        auto w = rawpkt::pcap::writer::open(path, {.format = rawpkt::pcap::file_format::pcap});
        ASSERT_TRUE(w);
        for (std::uint32_t i = 0; i < 20; ++i) {
            frames.push_back(make_frame(e.mac_b, e.mac_a, i, 100 + i * 50));
            rawpkt::frame f;
            f.data = frames.back();
            f.original_len = static_cast<std::uint32_t>(frames.back().size());
            f.timestamp_ns = 1'700'000'000'000'000'000 + std::int64_t{i} * 5'000'000;
            ASSERT_TRUE(w->write(f));
        }
        ASSERT_TRUE(w->close());
    }
    dl::channel rx = open_in(net, false, receiver_config());
    dl::channel tx = open_in(net, true, sender_config());
    std::string why;
    auto file = dl::open_file(path, {.speed = 1.0}, &why);
    ::unlink(path);
    ASSERT_TRUE(file) << why;
    // What a replay tool does: the file's receiver into the live sender.
    const auto start = std::chrono::steady_clock::now();
    for (;;) {
        const auto batch = file->rx.next_batch(5s);
        if (!batch) {
            EXPECT_TRUE(dl::is_end_of_input(batch.error())) << dl::describe(batch.error());
            break;
        }
        for (const rawpkt::frame& f : *batch) ASSERT_TRUE(tx.tx.send(f.data));
        ASSERT_TRUE(tx.tx.flush());
    }
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, 94ms);
    EXPECT_LT(took, 30s);
    const auto got = receive(rx.rx, frames.size());
    ASSERT_EQ(got.size(), frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i) EXPECT_EQ(got[i].data, frames[i]) << i;
}

// ---- errors a user can act on ----

TEST_P(datalink_live, unknown_interface_names_close_ones) {
    netns_pair net;
    dl::config c = receiver_config();
    std::string why;
    const auto ch = net.in_a([&] { return dl::open("vaa", c, &why); });
    ASSERT_FALSE(ch);
    EXPECT_EQ(ch.error().code, rawpkt::errc::not_found);
    EXPECT_EQ(dl::step_of(ch.error()), dl::step::interface_lookup);
    EXPECT_NE(why.find("no interface named \"vaa\""), std::string::npos) << why;
    EXPECT_NE(why.find("did you mean va"), std::string::npos) << why;
    const auto close = net.in_a([] { return dl::similar_interfaces("v"); });
    EXPECT_EQ(close, std::vector<std::string>{"va"});
    const auto by_index = net.in_a([&] { return dl::open(std::uint32_t{4242}, c, &why); });
    ASSERT_FALSE(by_index);
    EXPECT_EQ(by_index.error().code, rawpkt::errc::not_found);
}

TEST_P(datalink_live, interface_down_is_refused_unless_allowed) {
    netns_pair net;
    ASSERT_TRUE(net.ip_b("link set vb down"));
    dl::config c = receiver_config();
    std::string why;
    const auto ch = net.in_b([&] { return dl::open("vb", c, &why); });
    ASSERT_FALSE(ch);
    EXPECT_EQ(dl::step_of(ch.error()), dl::step::interface_state);
    EXPECT_EQ(ch.error().sys_errno, ENETDOWN);
    EXPECT_NE(why.find("vb is down"), std::string::npos) << why;
    c.allow_down = true;
    if (pcap()) {
        // libpcap itself refuses an interface that is down.
        const auto refused = net.in_b([&] { return dl::open("vb", c, &why); });
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().sys_errno, ENETDOWN);
        EXPECT_NE(why.find("vb is down"), std::string::npos) << why;
        GTEST_SKIP() << "libpcap cannot open an interface that is down (refused, as checked)";
    }
    auto ok = net.in_b([&] { return dl::open("vb", c, &why); });
    ASSERT_TRUE(ok) << why;
    // It receives once the interface is up.
    ASSERT_TRUE(net.ip_b("link set vb up"));
    const ends e = look_up(net);
    dl::channel tx = open_in(net, true, sender_config());
    ASSERT_TRUE(tx.tx.send(make_frame(e.mac_b, e.mac_a, 1, 100)));
    ASSERT_TRUE(tx.tx.flush());
    const auto got = receive(ok->rx, 1);
    ASSERT_EQ(got.size(), 1u);
}

TEST_P(datalink_live, missing_capability_is_reported_as_such) {
    netns_pair net;
    dl::config c = receiver_config();
    // In a child that drops CAP_NET_RAW from its effective set.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
        __user_cap_data_struct data[2]{};
        if (::syscall(SYS_capget, &hdr, data) != 0) ::_exit(10);
        data[0].effective &= ~(1u << CAP_NET_RAW);
        if (::syscall(SYS_capset, &hdr, data) != 0) ::_exit(11);
        std::string why;
        const auto ch = rawpkt::test::in_netns(net.b(), [&] { return dl::open("vb", c, &why); });
        if (ch) ::_exit(12);
        if (ch.error().code != rawpkt::errc::permission) ::_exit(13);
        if (why.find("CAP_NET_RAW") == std::string::npos) ::_exit(14);
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_P(datalink_live, hardware_timestamps_on_veth_are_refused) {
    netns_pair net;
    dl::config c = receiver_config();
    c.timestamps = dl::timestamp_source::hardware;
    std::string why;
    const auto ch = net.in_b([&] { return dl::open("vb", c, &why); });
    ASSERT_FALSE(ch);
    EXPECT_EQ(ch.error().code, rawpkt::errc::unsupported);
    EXPECT_EQ(dl::step_of(ch.error()), dl::step::timestamping);
    EXPECT_NE(why.find("hardware"), std::string::npos) << why;
}

TEST_P(datalink_live, ring_too_large_names_the_setting) {
    if (GetParam() != dl::backend::ring) GTEST_SKIP() << "the socket backend has no ring";
    netns_pair net;
    dl::config c = receiver_config();
    c.rx_ring.block_size = 1u << 30;
    c.rx_ring.block_count = 4096; // 4 TiB
    std::string why;
    const auto ch = net.in_b([&] { return dl::open("vb", c, &why); });
    ASSERT_FALSE(ch);
    EXPECT_EQ(ch.error().code, rawpkt::errc::no_room);
    EXPECT_EQ(dl::step_of(ch.error()), dl::step::rx_ring_size);
    EXPECT_NE(why.find("rx_ring.block_count"), std::string::npos) << why;
}

INSTANTIATE_TEST_SUITE_P(backends, datalink_live,
                         ::testing::Values(dl::backend::ring, dl::backend::socket, dl::backend::pcap), backend_name);

} // namespace
