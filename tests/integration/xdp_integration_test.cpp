// SPDX-License-Identifier: BSD-3-Clause
// backend::xdp over a veth pair between two network namespaces that each
// test creates and removes (veth has native XDP, in copy mode), and the
// XDP filter translation run in the kernel (BPF_PROG_TEST_RUN) against
// classic BPF run in user space. Needs root; every test skips with the
// reason when the build has no AF_XDP backend or the kernel refuses AF_XDP
// sockets or BPF programs.
//
// No assertion depends on timing: waits are generous deadlines that only
// end a test that would otherwise hang.
#include <rawpkt/datalink/datalink.hpp>

#include "netns.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/if_link.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace dl = rawpkt::datalink;
using rawpkt::bytes;
using rawpkt::mac_address;
using rawpkt::mut_bytes;
using rawpkt::test::netns_pair;
using namespace std::chrono_literals;

std::vector<std::byte> hex(const char* s) {
    std::vector<std::byte> out;
    for (const char* p = s; *p != '\0';) {
        if (*p == ' ' || *p == '\n') {
            ++p;
            continue;
        }
        out.push_back(static_cast<std::byte>(std::stoul(std::string(p, 2), nullptr, 16)));
        p += 2;
    }
    return out;
}

// Frames the filter tests run over (checksums zero: no filter reads them).
// IPv4/UDP: 02:00:00:00:00:02 -> 02:00:00:00:00:01, 0x0800; IPv4 IHL 5, total
// 30, TTL 64, UDP, 192.0.2.2 -> 192.0.2.1; UDP 5000 -> 7000, length 10, "hi".
const char* const udp_7000 = "020000000001 020000000002 0800"
                             "4500001e 00010000 40110000 c0000202 c0000201"
                             "13881b58 000a0000 6869";
// IPv4 with 4 bytes of options (IHL 6: NOP NOP NOP EOL), TTL 63, TCP,
// 198.51.100.7 -> 192.0.2.1; TCP 50000 -> 443, seq 1, data offset 5, SYN.
const char* const tcp_syn_443 = "020000000001 020000000002 0800"
                                "4600002c 00020000 3f060000 c6336407 c0000201 01010100"
                                "c35001bb 00000001 00000000 50020000 00000000";
// 802.1Q VLAN 10 (TCI 0x000a) carrying the IPv4/UDP frame above.
const char* const vlan10_udp = "020000000001 020000000002 8100 000a 0800"
                               "4500001e 00010000 40110000 c0000202 c0000201"
                               "13881b58 000a0000 6869";
// ARP request to the broadcast address: who has 192.0.2.1, tell 192.0.2.2.
const char* const arp_request = "ffffffffffff 020000000002 0806"
                                "0001 0800 06 04 0001 020000000002 c0000202 000000000000 c0000201";
// IPv6/UDP: payload 10, next header UDP, hop limit 64, 2001:db8::2 ->
// 2001:db8::1; UDP 5000 -> 7000, length 10, "hi".
const char* const ipv6_udp = "020000000001 020000000002 86dd"
                             "60000000 000a1140 20010db8000000000000000000000002 20010db8000000000000000000000001"
                             "13881b58 000a0000 6869";

bool xdp_usable(std::string* why) {
    if (::geteuid() != 0) {
        *why = "needs root (network namespaces, CAP_BPF, CAP_NET_ADMIN)";
        return false;
    }
    if (!dl::has_xdp_backend()) {
        *why = "built without libxdp/libbpf: no AF_XDP backend";
        return false;
    }
    const int fd = ::socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *why = std::string("the kernel refuses AF_XDP sockets: ") + std::strerror(errno);
        return false;
    }
    ::close(fd);
    return true;
}

class xdp_live : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!xdp_usable(&why)) GTEST_SKIP() << why;
    }
};

// ---- the filter, translated and run in the kernel ----

TEST_F(xdp_live, translated_filters_decide_as_classic_bpf_does) {
    const std::vector<std::vector<std::byte>> frames = {hex(udp_7000), hex(tcp_syn_443), hex(vlan10_udp),
                                                        hex(arp_request), hex(ipv6_udp)};
    // Cut inside the IPv4 header: every load past the end rejects.
    std::vector<std::byte> cut = hex(udp_7000);
    cut.resize(30);
    std::vector<std::vector<std::byte>> all = frames;
    all.push_back(cut);
    const char* const expressions[] = {
        "udp port 7000",
        "tcp port 443",
        "host 192.0.2.1",
        "src net 198.51.100.0/24",
        "vlan 10",
        "vlan 10 and udp port 7000",
        "arp",
        "ip6 and udp dst port 7000",
        "greater 60",
        "less 50",
        "tcp[tcpflags] & tcp-syn != 0",
        "ip[8] = 64",
        "udp and udp[8:2] = 0x6869",
        "not ip",
        "ether broadcast",
        "icmp or udp portrange 6000-8000",
        "ip[0] & 0xf > 5",
        "len % 3 = 0",
        "ether[12:2] / 0x100 = 0x86",
    };
    std::size_t accepted = 0, rejected = 0;
    for (const char* expr : expressions) {
        const auto classic = dl::compile_filter(expr, rawpkt::link_type::ethernet, 262144);
        ASSERT_TRUE(classic) << expr;
        for (std::size_t i = 0; i < all.size(); ++i) {
            const bytes f{all[i]};
            const bool want = dl::run_program(*classic, f, static_cast<std::uint32_t>(f.size())) != 0;
            std::string log;
            const auto got = dl::xdp_filter_accepts(dl::filter(expr), f, &log);
            if (!got && got.error().code == rawpkt::errc::permission) GTEST_SKIP() << "no CAP_BPF";
            ASSERT_TRUE(got) << expr << ": " << dl::describe(got.error()) << "\n" << log;
            EXPECT_EQ(*got, want) << expr << " on frame " << i;
            (want ? accepted : rejected) += 1;
        }
    }
    // Both verdicts were exercised, and a few known ones hold.
    EXPECT_GT(accepted, 20u);
    EXPECT_GT(rejected, 20u);
    EXPECT_TRUE(*dl::xdp_filter_accepts("udp port 7000", bytes{frames[0]}));
    EXPECT_FALSE(*dl::xdp_filter_accepts("udp port 7000", bytes{frames[1]}));
    EXPECT_FALSE(*dl::xdp_filter_accepts("udp port 7000", bytes{cut}));
    EXPECT_TRUE(*dl::xdp_filter_accepts("vlan 10", bytes{frames[2]}));
    EXPECT_TRUE(*dl::xdp_filter_accepts("tcp[tcpflags] & tcp-syn != 0", bytes{frames[1]}));
}

TEST_F(xdp_live, classic_programs_keep_their_division_and_return_rules) {
    const auto frame = hex(udp_7000);
    using insn = dl::bpf_instruction;
    // ld #14; ldx #7; div x; ret a: 14 / 7 = 2, accepted.
    const std::vector<insn> divides = {{0x00, 0, 0, 14}, {0x01, 0, 0, 7}, {0x3c, 0, 0, 0}, {0x16, 0, 0, 0}};
    // ld #5; ldx #0; div x; ret #1: division by zero rejects the frame.
    const std::vector<insn> by_zero = {{0x00, 0, 0, 5}, {0x01, 0, 0, 0}, {0x3c, 0, 0, 0}, {0x06, 0, 0, 1}};
    // st M[3] = len; ld #0; ld M[3]; ret a: the frame's length (44), accepted.
    const std::vector<insn> scratch = {
        {0x80, 0, 0, 0}, {0x02, 0, 0, 3}, {0x00, 0, 0, 0}, {0x60, 0, 0, 3}, {0x16, 0, 0, 0}};
    for (const auto* p : {&divides, &by_zero, &scratch}) {
        const bool want = dl::run_program(*p, bytes{frame}, static_cast<std::uint32_t>(frame.size())) != 0;
        const auto got = dl::xdp_filter_accepts(dl::filter(*p), bytes{frame});
        if (!got && got.error().code == rawpkt::errc::permission) GTEST_SKIP() << "no CAP_BPF";
        ASSERT_TRUE(got) << dl::describe(got.error());
        EXPECT_EQ(*got, want);
    }
    EXPECT_TRUE(*dl::xdp_filter_accepts(dl::filter(divides), bytes{frame}));
    EXPECT_FALSE(*dl::xdp_filter_accepts(dl::filter(by_zero), bytes{frame}));

    // ld [SKF_AD_OFF + SKF_AD_PROTOCOL]: an ancillary load XDP cannot do.
    const std::vector<insn> ancillary = {{0x28, 0, 0, 0xfffff000u}, {0x16, 0, 0, 0}};
    const auto refused = dl::xdp_filter_accepts(dl::filter(ancillary), bytes{frame});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, rawpkt::errc::unsupported);
    EXPECT_EQ(dl::step_of(refused.error()), dl::step::xdp_filter);
    EXPECT_NE(dl::describe(refused.error()).find("ancillary"), std::string::npos) << dl::describe(refused.error());
}

// ---- live ----

/// A frame to `dst` with EtherType 0x88b5, "XDPT", the sequence number,
/// then bytes derived from it.
std::vector<std::byte> test_frame(const mac_address& dst, const mac_address& src, std::uint32_t seq, std::size_t size) {
    std::vector<std::byte> f(size);
    dst.store(f, 0);
    src.store(f, 6);
    f[12] = std::byte{0x88};
    f[13] = std::byte{0xb5};
    std::memcpy(f.data() + 14, "XDPT", 4);
    for (int i = 0; i < 4; ++i) f[18 + i] = static_cast<std::byte>(seq >> (24 - 8 * i));
    for (std::size_t i = 22; i < size; ++i) f[i] = static_cast<std::byte>((seq * 7 + i) & 0xff);
    return f;
}

struct received {
    std::vector<std::byte> data;
    std::int64_t ts = 0;
    std::uint32_t original_len = 0;
    rawpkt::direction dir{};
};

/// Takes frames with EtherType 0x88b5 until `n` came or `limit` passed.
std::vector<received> take(dl::receiver& rx, std::size_t n, std::chrono::milliseconds limit = 20s) {
    std::vector<received> out;
    const auto end = std::chrono::steady_clock::now() + limit;
    while (out.size() < n && std::chrono::steady_clock::now() < end) {
        const auto batch = rx.next_batch(100ms);
        EXPECT_TRUE(batch) << dl::describe(batch.error());
        if (!batch) break;
        for (const rawpkt::frame& f : *batch) {
            if (f.data.size() < 14 || f.data[12] != std::byte{0x88} || f.data[13] != std::byte{0xb5}) continue;
            out.push_back(
                {std::vector<std::byte>(f.data.begin(), f.data.end()), f.timestamp_ns, f.original_len, f.dir});
        }
    }
    return out;
}

std::int64_t wall_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct veth {
    netns_pair net;
    mac_address mac_a{}, mac_b{};
    std::uint32_t index_a = 0;
    explicit veth(unsigned mtu = 1500) : net(mtu) {
        const auto a = net.in_a([] { return dl::find_interface("va"); });
        const auto b = net.in_b([] { return dl::find_interface("vb"); });
        if (a && a->mac) mac_a = *a->mac;
        if (b && b->mac) mac_b = *b->mac;
        if (a) index_a = a->index;
    }
    /// Opens a channel on va (a side) or vb, failing the test with the message.
    dl::channel open(bool side_a, const dl::config& c) {
        std::string why;
        auto ch = side_a ? net.in_a([&] { return dl::open("va", c, &why); })
                         : net.in_b([&] { return dl::open("vb", c, &why); });
        if (!ch) {
            ADD_FAILURE() << "open: " << why;
            return {};
        }
        return std::move(*ch);
    }
    /// The id of the XDP program on va (0: none).
    std::uint32_t program_on_a() {
        const auto id = net.in_a([&] { return dl::attached_xdp_program(index_a); });
        EXPECT_TRUE(id);
        return id ? *id : 0;
    }
    /// True when `ip link show va` mentions no XDP program.
    bool ip_link_shows_no_xdp() const {
        return !rawpkt::test::run("ip -n " + net.a() + " link show dev va | grep -q xdp");
    }
};

dl::config xdp_receiver() {
    dl::config c;
    c.backend = dl::backend::xdp;
    c.send = false;
    c.xdp.rx_size = 256;
    c.xdp.tx_size = 256;
    return c;
}

dl::config ring_sender() {
    dl::config c;
    c.receive = false;
    c.send_timeout = 10s;
    return c;
}

TEST_F(xdp_live, frames_arrive_intact_with_time_stamps_and_go_back_to_the_fill_ring) {
    veth v;
    dl::channel rx = v.open(true, xdp_receiver());
    dl::channel tx = v.open(false, ring_sender());
    ASSERT_TRUE(rx.rx.enabled() && tx.tx.enabled());
    EXPECT_EQ(rx.rx.backend(), dl::backend::xdp);
    const auto info = dl::xdp_state(rx.rx);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->queues, std::vector<std::uint32_t>{0});
    EXPECT_FALSE(info->zero_copy); // veth has no zero-copy driver support
    EXPECT_TRUE(info->native);     // but native XDP
    EXPECT_NE(info->program_id, 0u);
    EXPECT_EQ(v.program_on_a(), info->program_id);

    // Three times the 256 RX frames: the ring runs dry unless frames go
    // back to the fill ring. Rounds of 128: the last batch of a round (up
    // to 64 frames) is still held while the next round arrives.
    constexpr std::uint32_t rounds = 6, per_round = 128;
    std::uint32_t seq = 0;
    for (std::uint32_t r = 0; r < rounds; ++r) {
        std::vector<std::vector<std::byte>> sent;
        const std::int64_t before = wall_ns();
        for (std::uint32_t i = 0; i < per_round; ++i, ++seq) {
            sent.push_back(test_frame(v.mac_a, v.mac_b, seq, 60 + (seq * 53) % 1400));
            ASSERT_TRUE(tx.tx.send(bytes{sent.back()}));
        }
        ASSERT_TRUE(tx.tx.flush());
        // The time stamps are the XDP program's, taken as each frame came
        // in, not the receiver's: a receive call made well after the frames
        // arrived hands out times before it.
        std::this_thread::sleep_for(100ms);
        const std::int64_t taking = wall_ns();
        const auto got = take(rx.rx, per_round);
        const std::int64_t after = wall_ns();
        ASSERT_EQ(got.size(), per_round) << "round " << r;
        for (std::uint32_t i = 0; i < per_round; ++i) {
            EXPECT_EQ(got[i].data, sent[i]) << r << "/" << i;
            EXPECT_EQ(got[i].original_len, sent[i].size());
            EXPECT_EQ(got[i].dir, rawpkt::direction::inbound);
            EXPECT_GE(got[i].ts, before);
            EXPECT_LE(got[i].ts, after);
            EXPECT_LT(got[i].ts, taking) << r << "/" << i;
            if (i > 0) {
                EXPECT_GE(got[i].ts, got[i - 1].ts) << r << "/" << i;
            }
        }
    }
    const auto st = rx.rx.stats();
    ASSERT_TRUE(st);
    EXPECT_GE(st->received, rounds * per_round);
    EXPECT_EQ(st->dropped, 0u);
}

TEST_F(xdp_live, next_hands_out_frames_one_by_one_and_snaplen_cuts_them) {
    veth v;
    dl::config c = xdp_receiver();
    c.snaplen = 40;
    // Busy polling and no need-wakeup change how the kernel is driven, not
    // what arrives.
    c.xdp.busy_poll = true;
    c.xdp.need_wakeup = false;
    dl::channel rx = v.open(true, c);
    const auto info = dl::xdp_state(rx.rx);
    ASSERT_TRUE(info);
    EXPECT_TRUE(info->busy_poll);
    EXPECT_FALSE(info->need_wakeup);
    dl::channel tx = v.open(false, ring_sender());
    const auto f = test_frame(v.mac_a, v.mac_b, 7, 300);
    ASSERT_TRUE(tx.tx.send(bytes{f}));
    ASSERT_TRUE(tx.tx.flush());
    const rawpkt::frame* got = nullptr;
    for (int i = 0; i < 200 && got == nullptr; ++i) {
        const auto r = rx.rx.next(100ms);
        ASSERT_TRUE(r);
        if (*r != nullptr && (*r)->data.size() >= 14 && (*r)->data[12] == std::byte{0x88}) got = *r;
    }
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->captured_len(), 40u);
    EXPECT_EQ(got->original_len, 300u);
    EXPECT_TRUE(got->truncated());
    EXPECT_EQ(std::vector<std::byte>(got->data.begin(), got->data.end()),
              std::vector<std::byte>(f.begin(), f.begin() + 40));
    // Nothing else was sent: no_wait returns at once with nothing.
    const auto none = rx.rx.next(dl::no_wait);
    ASSERT_TRUE(none);
}

TEST_F(xdp_live, filter_redirects_what_matches_and_passes_the_rest_to_the_stack) {
    veth v;
    dl::config c = xdp_receiver();
    c.filter = "udp dst port 7000";
    dl::channel rx = v.open(true, c);
    // A UDP socket in namespace a on port 7001 gets what the filter passes on.
    const int sock = v.net.in_a([] {
        const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(7001);
        sa.sin_addr.s_addr = htonl(INADDR_ANY);
        return ::bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0 ? fd : -1;
    });
    ASSERT_GE(sock, 0);
    const timeval tv{10, 0};
    ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    // From namespace b, through its stack: ARP first, then the datagrams.
    const bool sent = v.net.in_b([] {
        const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_addr.s_addr = htonl(0xc0000201); // 192.0.2.1
        bool ok = fd >= 0;
        for (int i = 0; i < 3 && ok; ++i) {
            to.sin_port = htons(7000);
            ok = ::sendto(fd, "seven", 5, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 5;
            to.sin_port = htons(7001);
            ok = ok && ::sendto(fd, "other", 5, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 5;
        }
        if (fd >= 0) ::close(fd);
        return ok;
    });
    ASSERT_TRUE(sent);
    // The socket sees the frames for port 7001 (XDP_PASS)...
    char buf[16] = {};
    ASSERT_EQ(::recv(sock, buf, sizeof buf, 0), 5) << "XDP_PASS frames did not reach the stack";
    EXPECT_EQ(std::string(buf, 5), "other");
    // ...and the receiver only those for port 7000 (the first may wait for
    // ARP in b's stack).
    std::size_t seven = 0, other = 0;
    const auto end = std::chrono::steady_clock::now() + 10s;
    while (seven < 3 && std::chrono::steady_clock::now() < end) {
        const auto batch = rx.rx.next_batch(100ms);
        ASSERT_TRUE(batch);
        for (const rawpkt::frame& f : *batch) {
            ASSERT_GE(f.data.size(), 42u);
            const unsigned port = std::to_integer<unsigned>(f.data[36]) << 8 | std::to_integer<unsigned>(f.data[37]);
            (port == 7000 ? seven : other) += 1;
        }
    }
    EXPECT_EQ(seven, 3u);
    EXPECT_EQ(other, 0u);

    // A new filter while running: now port 7001 goes to the receiver.
    ASSERT_TRUE(rx.rx.set_filter("udp dst port 7001"));
    v.net.in_b([] {
        const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_addr.s_addr = htonl(0xc0000201);
        to.sin_port = htons(7001);
        const bool ok = ::sendto(fd, "again", 5, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 5;
        ::close(fd);
        return ok;
    });
    bool got_7001 = false;
    for (int i = 0; i < 100 && !got_7001; ++i) {
        const auto batch = rx.rx.next_batch(100ms);
        ASSERT_TRUE(batch);
        for (const rawpkt::frame& f : *batch) {
            got_7001 = got_7001 || (f.data.size() >= 38 && f.data[37] == std::byte{0x59}); // 7001 = 0x1b59
        }
    }
    EXPECT_TRUE(got_7001);
    ::close(sock);
    // A filter the kernel cannot run in XDP is refused, naming the reason.
    const std::vector<dl::bpf_instruction> ancillary = {{0x28, 0, 0, 0xfffff000u}, {0x16, 0, 0, 0}};
    const auto refused = rx.rx.set_filter(dl::filter(ancillary));
    ASSERT_FALSE(refused);
    EXPECT_EQ(dl::step_of(refused.error()), dl::step::xdp_filter);
}

TEST_F(xdp_live, send_and_send_with_build_in_umem_frames) {
    veth v;
    dl::config rc;
    rc.send = false;
    rc.filter = "ether proto 0x88b5";
    dl::channel rx = v.open(false, rc);
    dl::config tc;
    tc.backend = dl::backend::xdp;
    tc.receive = false;
    tc.tx_batch = 16;
    tc.send_timeout = 10s;
    tc.xdp.tx_size = 64; // fewer TX frames than frames sent: they are reused
    dl::channel tx = v.open(true, tc);
    ASSERT_TRUE(tx.tx.enabled());
    EXPECT_EQ(tx.tx.backend(), dl::backend::xdp);
    // A send-only channel leaves the interface alone.
    EXPECT_EQ(v.program_on_a(), 0u);
    constexpr std::uint32_t n = 300;
    std::vector<std::vector<std::byte>> expect;
    for (std::uint32_t i = 0; i < n; ++i) {
        const std::size_t size = 60 + (i * 29) % 1400;
        expect.push_back(test_frame(v.mac_b, v.mac_a, i, size));
        rawpkt::status s;
        if (i % 2 == 0) {
            s = tx.tx.send(bytes{expect.back()});
        } else {
            s = tx.tx.send_with(size + 50, [&](mut_bytes slot) {
                std::memcpy(slot.data(), expect.back().data(), size);
                return size;
            });
        }
        ASSERT_TRUE(s) << i << ": " << dl::describe(s.error());
    }
    ASSERT_TRUE(tx.tx.flush());
    const auto got = take(rx.rx, n);
    ASSERT_EQ(got.size(), n);
    for (std::uint32_t i = 0; i < n; ++i) EXPECT_EQ(got[i].data, expect[i]) << i;
    const auto st = tx.tx.stats();
    EXPECT_EQ(st.sent, n);
    EXPECT_EQ(st.queued, 0u);
    // Too long for a UMEM frame.
    const auto big = tx.tx.send_with(8192, [](mut_bytes) {});
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code, rawpkt::errc::length_too_large);
}

TEST_F(xdp_live, closing_the_channel_or_dying_detaches_the_program) {
    veth v;
    {
        dl::channel rx = v.open(true, xdp_receiver());
        ASSERT_TRUE(rx.rx.enabled());
        EXPECT_NE(v.program_on_a(), 0u);
        EXPECT_FALSE(v.ip_link_shows_no_xdp());
    }
    EXPECT_EQ(v.program_on_a(), 0u);
    EXPECT_TRUE(v.ip_link_shows_no_xdp());

    // A process killed with the program attached: the kernel closes the
    // link with its descriptors and the program goes.
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        std::string why;
        auto ch = rawpkt::test::in_netns(v.net.a(), [&] { return dl::open("va", xdp_receiver(), &why); });
        const char c = ch ? 'y' : 'n';
        (void)::write(ready[1], &c, 1);
        ::pause();
        ::_exit(0);
    }
    char c = 0;
    ASSERT_EQ(::read(ready[0], &c, 1), 1);
    ::close(ready[0]);
    ::close(ready[1]);
    EXPECT_EQ(c, 'y');
    EXPECT_NE(v.program_on_a(), 0u);
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    // The link is released when the last descriptor goes, shortly after.
    std::uint32_t left = 1;
    for (int i = 0; i < 100 && left != 0; ++i) {
        left = v.program_on_a();
        if (left != 0) std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(left, 0u);
    EXPECT_TRUE(v.ip_link_shows_no_xdp());
}

/// Makes va and vb anew with two receive and two transmit queues each.
bool two_queues(veth& v) {
    const bool ok = v.net.ip_a("link del va") &&
                    v.net.ip_a("link add va numtxqueues 2 numrxqueues 2 type veth peer name vb numtxqueues 2 "
                               "numrxqueues 2 netns " +
                               v.net.b()) &&
                    v.net.ip_a("link set va up") && v.net.ip_b("link set vb up");
    const auto a = v.net.in_a([] { return dl::find_interface("va"); });
    const auto b = v.net.in_b([] { return dl::find_interface("vb"); });
    if (!ok || !a || !b || !a->mac || !b->mac) return false;
    v.mac_a = *a->mac;
    v.mac_b = *b->mac;
    v.index_a = a->index;
    return true;
}

TEST_F(xdp_live, every_queue_gets_a_socket) {
    veth v;
    ASSERT_TRUE(two_queues(v));
    dl::config c = xdp_receiver();
    c.xdp.queue = dl::all_queues;
    dl::channel tx = v.open(false, ring_sender());
    // Each socket with a UMEM of its own, then all sharing one.
    for (const bool shared : {false, true}) {
        c.xdp.shared_umem = shared;
        dl::channel rx = v.open(true, c);
        const auto info = dl::xdp_state(rx.rx);
        ASSERT_TRUE(info);
        EXPECT_EQ(info->queues, (std::vector<std::uint32_t>{0, 1}));
        EXPECT_EQ(info->shared_umem, shared);
        constexpr std::uint32_t n = 200;
        for (std::uint32_t i = 0; i < n; ++i) {
            ASSERT_TRUE(tx.tx.send(bytes{test_frame(v.mac_a, v.mac_b, i, 100 + i)}));
        }
        ASSERT_TRUE(tx.tx.flush());
        const auto got = take(rx.rx, n);
        ASSERT_EQ(got.size(), n);
        for (const auto& g : got) EXPECT_EQ(g.data.size(), g.original_len);
    }
    // A queue beyond the interface's is refused, naming the count.
    c.xdp.queue = 2;
    std::string why;
    const auto bad = v.net.in_a([&] { return dl::open("va", c, &why); });
    ASSERT_FALSE(bad);
    EXPECT_EQ(dl::step_of(bad.error()), dl::step::xdp_queue);
    EXPECT_NE(why.find("2 receive queue"), std::string::npos) << why;
}

dl::config xdp_sender(std::uint32_t queue) {
    dl::config c;
    c.backend = dl::backend::xdp;
    c.receive = false;
    c.send_timeout = 10s;
    c.xdp.queue = queue;
    c.xdp.tx_size = 256;
    return c;
}

/// Sends `n` test frames to va with sequence numbers from `first` from an
/// AF_XDP sender on one of vb's transmit queues: veth hands a frame to the
/// peer's receive queue with the number of the transmit queue it left by,
/// so they arrive on that queue of va.
bool send_on(dl::channel& tx, const veth& v, std::uint32_t first, std::uint32_t n) {
    for (std::uint32_t i = 0; i < n; ++i) {
        if (!tx.tx.send(bytes{test_frame(v.mac_a, v.mac_b, first + i, 80 + i % 64)})) return false;
    }
    return static_cast<bool>(tx.tx.flush());
}

/// The sequence number test_frame() wrote.
std::uint32_t seq_of(const std::vector<std::byte>& f) {
    std::uint32_t seq = 0;
    for (int i = 0; i < 4; ++i) seq = seq << 8 | std::to_integer<std::uint32_t>(f[18 + i]);
    return seq;
}

TEST_F(xdp_live, multi_buffer_joins_frames_longer_than_a_umem_frame) {
    veth v(9000);
    dl::config c = xdp_receiver();
    c.xdp.multi_buffer = true;
    c.xdp.frame_size = 2048; // 1792 bytes of frame per UMEM frame
    c.xdp.rx_size = 2048;    // the whole burst below: about 460 UMEM frames
    std::string why;
    auto rx = v.net.in_a([&] { return dl::open("va", c, &why); });
    if (!rx && dl::step_of(rx.error()) == dl::step::xdp_socket && rx.error().sys_errno == EINVAL) {
        GTEST_SKIP() << "the kernel refuses XDP_USE_SG (before Linux 6.6): " << why;
    }
    ASSERT_TRUE(rx) << why;
    const auto info = dl::xdp_state(rx->rx);
    ASSERT_TRUE(info);
    EXPECT_TRUE(info->multi_buffer);
    dl::channel tx = v.open(false, ring_sender());
    // One, two, three and six UMEM frames' worth, in between short ones.
    const std::size_t sizes[] = {60, 1792, 1793, 3000, 100, 5000, 9014, 64, 1500, 8000};
    std::vector<std::vector<std::byte>> sent;
    for (std::uint32_t round = 0; round < 20; ++round) {
        for (const std::size_t size : sizes) {
            sent.push_back(test_frame(v.mac_a, v.mac_b, static_cast<std::uint32_t>(sent.size()), size));
            ASSERT_TRUE(tx.tx.send(bytes{sent.back()}));
        }
    }
    ASSERT_TRUE(tx.tx.flush());
    const auto got = take(rx->rx, sent.size());
    ASSERT_EQ(got.size(), sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) {
        EXPECT_EQ(got[i].data, sent[i]) << i;
        EXPECT_EQ(got[i].original_len, sent[i].size()) << i;
    }

    // Without it, what does not fit one UMEM frame is dropped.
    rx = dl::channel{};
    c.xdp.multi_buffer = false;
    auto single = v.net.in_a([&] { return dl::open("va", c, &why); });
    ASSERT_TRUE(single) << why;
    EXPECT_FALSE(dl::xdp_state(single->rx)->multi_buffer);
    const auto big = test_frame(v.mac_a, v.mac_b, 1, 3000);
    const auto small = test_frame(v.mac_a, v.mac_b, 2, 100);
    ASSERT_TRUE(tx.tx.send(bytes{big}) && tx.tx.send(bytes{small}) && tx.tx.flush());
    const auto only = take(single->rx, 2, 2s);
    ASSERT_EQ(only.size(), 1u);
    EXPECT_EQ(only[0].data, small);
}

TEST_F(xdp_live, channels_on_two_queues_share_the_program_and_the_last_close_removes_it) {
    veth v;
    ASSERT_TRUE(two_queues(v));
    dl::channel tx0 = v.open(false, xdp_sender(0));
    dl::channel tx1 = v.open(false, xdp_sender(1));
    ASSERT_TRUE(tx0.tx.enabled() && tx1.tx.enabled());
    // Queue 0 with a filter (even sequence numbers), queue 1 without: each
    // queue has its own.
    dl::config c0 = xdp_receiver();
    c0.filter = "ether[21] & 1 = 0";
    dl::config c1 = xdp_receiver();
    c1.xdp.queue = 1;
    auto rx0 = std::make_unique<dl::channel>(v.open(true, c0));
    dl::channel rx1 = v.open(true, c1);
    const auto i0 = dl::xdp_state(rx0->rx);
    const auto i1 = dl::xdp_state(rx1.rx);
    ASSERT_TRUE(i0 && i1);
    EXPECT_EQ(i0->queues, std::vector<std::uint32_t>{0});
    EXPECT_EQ(i1->queues, std::vector<std::uint32_t>{1});
    const std::uint32_t id = i0->program_id;
    EXPECT_NE(id, 0u);
    EXPECT_EQ(i1->program_id, id); // one program on va, shared
    EXPECT_EQ(i1->native, i0->native);
    EXPECT_EQ(v.program_on_a(), id);

    constexpr std::uint32_t n = 100;
    ASSERT_TRUE(send_on(tx0, v, 0, n));
    ASSERT_TRUE(send_on(tx1, v, 1000, n));
    const auto got0 = take(rx0->rx, n / 2);
    const auto got1 = take(rx1.rx, n);
    ASSERT_EQ(got0.size(), n / 2);
    ASSERT_EQ(got1.size(), n);
    for (std::uint32_t i = 0; i < n / 2; ++i) EXPECT_EQ(seq_of(got0[i].data), 2 * i);
    for (std::uint32_t i = 0; i < n; ++i) EXPECT_EQ(seq_of(got1[i].data), 1000 + i);
    // Each frame once: none of the other queue's went to either.
    EXPECT_TRUE(take(rx0->rx, 1, 300ms).empty());
    EXPECT_TRUE(take(rx1.rx, 1, 300ms).empty());

    // The first channel closes: the program stays for the second, which
    // goes on receiving.
    rx0.reset();
    EXPECT_EQ(v.program_on_a(), id);
    ASSERT_TRUE(send_on(tx1, v, 2000, n));
    const auto again = take(rx1.rx, n);
    ASSERT_EQ(again.size(), n);
    for (std::uint32_t i = 0; i < n; ++i) EXPECT_EQ(seq_of(again[i].data), 2000 + i);

    // A new channel on queue 0, without a filter, joins the program and
    // gets every frame: the old channel's filter left with it.
    dl::channel rx0b = v.open(true, xdp_receiver());
    ASSERT_TRUE(rx0b.rx.enabled());
    EXPECT_EQ(dl::xdp_state(rx0b.rx)->program_id, id);
    ASSERT_TRUE(send_on(tx0, v, 3000, 10));
    const auto all = take(rx0b.rx, 10);
    ASSERT_EQ(all.size(), 10u);
    for (std::uint32_t i = 0; i < 10; ++i) EXPECT_EQ(seq_of(all[i].data), 3000 + i);

    // The last channel closes: nothing stays on the interface.
    rx0b = dl::channel{};
    EXPECT_EQ(v.program_on_a(), id);
    rx1 = dl::channel{};
    EXPECT_EQ(v.program_on_a(), 0u);
    EXPECT_TRUE(v.ip_link_shows_no_xdp());
}

TEST_F(xdp_live, channels_opened_at_once_agree_on_one_program) {
    veth v;
    ASSERT_TRUE(two_queues(v));
    // Two opens race for the interface: one attaches, the other joins
    // (after its own attach was refused, or straight away).
    for (int round = 0; round < 10; ++round) {
        std::optional<rawpkt::result<dl::channel>> opened[2];
        std::string why[2];
        std::thread threads[2];
        for (std::uint32_t q = 0; q < 2; ++q) {
            threads[q] = std::thread([&, q] {
                dl::config c = xdp_receiver();
                c.xdp.queue = q;
                opened[q].emplace(v.net.in_a([&] { return dl::open("va", c, &why[q]); }));
            });
        }
        for (auto& t : threads) t.join();
        ASSERT_TRUE(*opened[0]) << why[0];
        ASSERT_TRUE(*opened[1]) << why[1];
        const std::uint32_t id = dl::xdp_state((*opened[0])->rx)->program_id;
        EXPECT_NE(id, 0u);
        EXPECT_EQ(dl::xdp_state((*opened[1])->rx)->program_id, id) << "round " << round;
        EXPECT_EQ(v.program_on_a(), id);
        opened[0].reset();
        opened[1].reset();
        EXPECT_EQ(v.program_on_a(), 0u);
    }
}

TEST_F(xdp_live, a_process_per_queue) {
    veth v;
    ASSERT_TRUE(two_queues(v));
    dl::channel tx0 = v.open(false, xdp_sender(0));
    dl::channel tx1 = v.open(false, xdp_sender(1));
    dl::channel rx0 = v.open(true, xdp_receiver());
    ASSERT_TRUE(rx0.rx.enabled());
    const std::uint32_t id = dl::xdp_state(rx0.rx)->program_id;
    constexpr std::uint32_t n = 100;

    // A child process with a channel on queue 1: it joins the parent's
    // program and takes queue 1's frames, in order, and no others.
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        dl::config c = xdp_receiver();
        c.xdp.queue = 1;
        std::string why;
        auto ch = rawpkt::test::in_netns(v.net.a(), [&] { return dl::open("va", c, &why); });
        const char r = ch ? 'y' : 'n';
        (void)::write(ready[1], &r, 1);
        if (!ch) ::_exit(2);
        const auto info = dl::xdp_state(ch->rx);
        if (!info || info->program_id != id) ::_exit(3);
        std::uint32_t got = 0;
        const auto end = std::chrono::steady_clock::now() + 20s;
        while (got < n && std::chrono::steady_clock::now() < end) {
            const auto batch = ch->rx.next_batch(100ms);
            if (!batch) ::_exit(4);
            for (const rawpkt::frame& f : *batch) {
                if (f.data.size() < 22 || f.data[12] != std::byte{0x88} || f.data[13] != std::byte{0xb5}) continue;
                if (seq_of(std::vector<std::byte>(f.data.begin(), f.data.end())) != 1000 + got) ::_exit(5);
                ++got;
            }
        }
        ::_exit(got == n ? 0 : 6);
    }
    char r = 0;
    ASSERT_EQ(::read(ready[0], &r, 1), 1);
    ::close(ready[0]);
    ::close(ready[1]);
    EXPECT_EQ(r, 'y');
    ASSERT_TRUE(send_on(tx0, v, 0, n));
    ASSERT_TRUE(send_on(tx1, v, 1000, n));
    const auto got = take(rx0.rx, n);
    ASSERT_EQ(got.size(), n);
    for (std::uint32_t i = 0; i < n; ++i) EXPECT_EQ(seq_of(got[i].data), i);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);

    // The child is gone: the parent's channel and the program stay.
    EXPECT_EQ(v.program_on_a(), id);
    ASSERT_TRUE(send_on(tx0, v, 5000, 10));
    const auto after = take(rx0.rx, 10);
    ASSERT_EQ(after.size(), 10u);
    EXPECT_EQ(seq_of(after[0].data), 5000u);
    EXPECT_TRUE(take(rx0.rx, 1, 300ms).empty());
    rx0 = dl::channel{};
    EXPECT_EQ(v.program_on_a(), 0u);
    EXPECT_TRUE(v.ip_link_shows_no_xdp());
}

/// Attaches a program that is not rawpkt's (XDP_PASS for every frame) to
/// the interface through a bpf_link, as another XDP application would:
/// the link's descriptor, or -1.
int foreign_program(std::uint32_t ifindex) {
    const bpf_insn insns[] = {
        {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, XDP_PASS},
        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
    };
    const char license[] = "GPL";
    bpf_attr load{};
    load.prog_type = BPF_PROG_TYPE_XDP;
    load.insn_cnt = 2;
    load.insns = reinterpret_cast<std::uintptr_t>(insns);
    load.license = reinterpret_cast<std::uintptr_t>(license);
    std::memcpy(load.prog_name, "other_xdp", 10);
    const int prog = static_cast<int>(::syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load));
    if (prog < 0) return -1;
    bpf_attr link{};
    link.link_create.prog_fd = static_cast<__u32>(prog);
    link.link_create.target_ifindex = ifindex;
    link.link_create.attach_type = BPF_XDP;
    link.link_create.flags = XDP_FLAGS_DRV_MODE;
    const int fd = static_cast<int>(::syscall(SYS_bpf, BPF_LINK_CREATE, &link, sizeof link));
    ::close(prog);
    return fd;
}

TEST_F(xdp_live, clear_errors_for_a_busy_interface_a_driver_without_xdp_and_missing_capabilities) {
    veth v;
    // A second channel on a queue that has one: it joins the program,
    // which stays for the first when the socket is refused.
    dl::channel first = v.open(true, xdp_receiver());
    const std::uint32_t id = dl::xdp_state(first.rx)->program_id;
    std::string why;
    const auto second = v.net.in_a([&] { return dl::open("va", xdp_receiver(), &why); });
    ASSERT_FALSE(second);
    EXPECT_NE(why.find("queue 0 of va already has an AF_XDP socket"), std::string::npos) << why;
    EXPECT_EQ(v.program_on_a(), id);
    first = dl::channel{}; // frees va's queue 0 and its XDP program
    EXPECT_EQ(v.program_on_a(), 0u);

    // Another application's program on the interface.
    const int other = v.net.in_a([&] { return foreign_program(v.index_a); });
    ASSERT_GE(other, 0) << std::strerror(errno);
    const auto busy = v.net.in_a([&] { return dl::open("va", xdp_receiver(), &why); });
    ::close(other);
    ASSERT_FALSE(busy);
    EXPECT_NE(why.find("already has an XDP program"), std::string::npos) << why;
    EXPECT_EQ(v.program_on_a(), 0u);

    // veth has no zero-copy AF_XDP: refused when asked for (automatic
    // falls back to copy, as every other test shows).
    dl::config zc = xdp_receiver();
    zc.xdp.copy = dl::xdp_copy::zero_copy;
    const auto refused = v.net.in_a([&] { return dl::open("va", zc, &why); });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, rawpkt::errc::unsupported);
    EXPECT_NE(why.find("zero-copy"), std::string::npos) << why;
    EXPECT_EQ(v.program_on_a(), 0u); // nothing left behind by the failed open

    // Loopback has no native XDP: refused when asked for, generic when
    // automatic.
    ASSERT_TRUE(v.net.ip_a("link set lo up"));
    dl::config c = xdp_receiver();
    c.xdp.attach = dl::xdp_attach::native;
    const auto native = v.net.in_a([&] { return dl::open("lo", c, &why); });
    ASSERT_FALSE(native);
    EXPECT_EQ(dl::step_of(native.error()), dl::step::xdp_attach);
    EXPECT_NE(why.find("no native XDP"), std::string::npos) << why;
    c.xdp.attach = dl::xdp_attach::automatic;
    const auto generic = v.net.in_a([&] { return dl::open("lo", c, &why); });
    ASSERT_TRUE(generic) << why;
    EXPECT_FALSE(dl::xdp_state(generic->rx)->native);

    // Without CAP_BPF, CAP_SYS_ADMIN and CAP_NET_ADMIN in a child.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // Into namespace b first: setns needs CAP_SYS_ADMIN.
        const int ns = ::open(("/var/run/netns/" + v.net.b()).c_str(), O_RDONLY | O_CLOEXEC);
        if (ns < 0 || ::setns(ns, CLONE_NEWNET) != 0) ::_exit(9);
        if (!rawpkt::test::drop_capabilities({CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_BPF})) ::_exit(11);
        std::string msg;
        const auto ch = dl::open("vb", xdp_receiver(), &msg);
        if (ch) ::_exit(12);
        if (ch.error().code != rawpkt::errc::permission) ::_exit(13);
        if (msg.find("CAP_BPF") == std::string::npos) ::_exit(14);
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

} // namespace
