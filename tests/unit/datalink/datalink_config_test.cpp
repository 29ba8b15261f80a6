// SPDX-License-Identifier: BSD-3-Clause
// Datalink settings: validation (which setting each error names) and the
// ring geometry computed from them. No network needed.
#include <rawpkt/datalink/channel.hpp>
#include <rawpkt/datalink/config.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace {

namespace dl = rawpkt::datalink;
using rawpkt::errc;

constexpr std::size_t page = 4096;
constexpr std::uint64_t plenty = std::uint64_t{1} << 40;

TEST(datalink_config, defaults_are_valid) {
    const dl::config c;
    EXPECT_TRUE(dl::validate(c, page, plenty));
    EXPECT_EQ(c.backend, dl::backend::ring);
    EXPECT_TRUE(c.receive);
    EXPECT_TRUE(c.send);
    EXPECT_TRUE(c.promiscuous);
    EXPECT_EQ(c.snaplen, 262144u);
    EXPECT_EQ(c.rx_ring.block_size, 1u << 20);
    EXPECT_EQ(c.rx_ring.block_count, 64u);
    EXPECT_TRUE(c.filter.empty());
}

TEST(datalink_config, default_rx_ring_layout) {
    const auto l = dl::plan_rx_ring(dl::rx_ring_config{}, page);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->block_size, 1u << 20);
    EXPECT_EQ(l->block_count, 64u);
    EXPECT_EQ(l->frame_size, 2048u);
    EXPECT_EQ(l->frame_count, 512u * 64u);
    EXPECT_EQ(l->total_bytes, 64u << 20);
    // (block - 48-byte block header) / 72-byte smallest slot, plus one.
    EXPECT_EQ(l->max_frames_per_block, (1048576u - 48u) / 72u + 1u);
    EXPECT_EQ(l->max_frame_len, 1048576u - 48u - 96u);
}

TEST(datalink_config, default_ring_is_lossless_for_bursts) {
    // What the defaults promise (config.hpp): a 60-byte frame takes
    // TPACKET_ALIGN(82 + 60) = 144 bytes of ring, a 9014-byte one 9096.
    const auto l = dl::plan_rx_ring(dl::rx_ring_config{}, page);
    ASSERT_TRUE(l);
    const std::uint64_t usable = l->block_size - 48;
    EXPECT_GE(usable / 144 * l->block_count, 460'000u);
    EXPECT_GE(usable / 9096 * l->block_count, 7'300u);
    EXPECT_GE(l->max_frame_len, 9014u);
}

TEST(datalink_config, rx_ring_rules) {
    dl::rx_ring_config r;
    r.block_size = 4096 + 1;
    auto l = dl::plan_rx_ring(r, page);
    ASSERT_FALSE(l);
    EXPECT_EQ(l.error().code, errc::bad_value);
    EXPECT_EQ(dl::step_of(l.error()), dl::step::rx_block_size);
    EXPECT_EQ(l.error().available, 4097u);
    EXPECT_EQ(l.error().needed, 4096u);

    r = {};
    r.block_size = 2048;
    EXPECT_EQ(dl::step_of(dl::plan_rx_ring(r, page).error()), dl::step::rx_block_size);
    r.block_size = 1u << 31;
    EXPECT_TRUE(dl::plan_rx_ring(r, page));
    r.block_size = (1u << 31) + 4096;
    EXPECT_EQ(dl::step_of(dl::plan_rx_ring(r, page).error()), dl::step::rx_block_size);

    r = {};
    for (const std::uint32_t too_few : {0u, 1u, 2u}) {
        r.block_count = too_few;
        EXPECT_EQ(dl::step_of(dl::plan_rx_ring(r, page).error()), dl::step::rx_block_count) << too_few;
    }
    r.block_count = 3;
    EXPECT_TRUE(dl::plan_rx_ring(r, page));

    r = {};
    for (const std::uint32_t bad : {0u, 64u, 72u, 2047u, 2056u + 1u, (1u << 20) + 16u}) {
        r.frame_size = bad;
        const auto e = dl::plan_rx_ring(r, page);
        ASSERT_FALSE(e) << bad;
        EXPECT_EQ(dl::step_of(e.error()), dl::step::rx_frame_size) << bad;
    }
    for (const std::uint32_t good : {80u, 96u, 2048u, 9216u, 1u << 20}) {
        r.frame_size = good;
        EXPECT_TRUE(dl::plan_rx_ring(r, page)) << good;
    }
    // Too many frames for the kernel's 32-bit count.
    r = {};
    r.block_size = 1u << 30;
    r.frame_size = 80;
    r.block_count = 400;
    EXPECT_EQ(dl::step_of(dl::plan_rx_ring(r, page).error()), dl::step::rx_block_count);
    // Other page sizes.
    r = {};
    r.block_size = 16384;
    EXPECT_TRUE(dl::plan_rx_ring(r, 16384));
    r.block_size = 8192;
    EXPECT_EQ(dl::step_of(dl::plan_rx_ring(r, 16384).error()), dl::step::rx_block_size);
}

TEST(datalink_config, tx_ring_layout_follows_the_mtu) {
    auto l = dl::plan_tx_ring({}, 1500, 14, page);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->frame_size, 1568u); // align16(48 + 1500 + 14 + 4)
    EXPECT_EQ(l->block_size, 65536u);
    EXPECT_EQ(l->frames_per_block, 41u);
    EXPECT_EQ(l->block_count, 7u); // ceil(256 / 41)
    EXPECT_EQ(l->frame_count, 287u);
    EXPECT_EQ(l->total_bytes, 7u * 65536u);
    EXPECT_EQ(l->max_frame_len, 1518u);

    l = dl::plan_tx_ring({}, 9000, 14, page);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->frame_size, 9072u); // align16(48 + 9000 + 14 + 4)
    EXPECT_EQ(l->frames_per_block, 7u);
    EXPECT_EQ(l->frame_count % 7u, 0u);
    EXPECT_GE(l->frame_count, 256u);
    EXPECT_EQ(l->max_frame_len, 9018u);

    // Jumbo MTUs are capped by the 16-bit frame offset of a slot.
    l = dl::plan_tx_ring({}, 65535, 14, page);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->frame_size, 65536u);
    EXPECT_EQ(l->max_frame_len, 65536u - 48u);

    // A frame size given: the slot limits the frame.
    l = dl::plan_tx_ring({.frame_count = 10, .frame_size = 1024}, 9000, 14, page);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->frame_size, 1024u);
    EXPECT_EQ(l->max_frame_len, 976u);
    EXPECT_GE(l->frame_count, 10u);
    EXPECT_EQ(l->block_size % page, 0u);
    EXPECT_EQ(l->frames_per_block, l->block_size / 1024u);

    // Blocks are whole pages however the frames divide them.
    for (std::uint32_t mtu = 68; mtu < 20000; mtu += 997) {
        const auto x = dl::plan_tx_ring({}, mtu, 14, page);
        ASSERT_TRUE(x) << mtu;
        EXPECT_EQ(x->block_size % page, 0u) << mtu;
        EXPECT_EQ(x->frame_size % 16u, 0u) << mtu;
        EXPECT_GE(x->frames_per_block * x->frame_size, x->block_size - x->frame_size) << mtu;
        EXPECT_LE(x->frames_per_block * x->frame_size, x->block_size) << mtu;
        EXPECT_GE(x->max_frame_len, mtu + 14u) << mtu;
    }
}

TEST(datalink_config, tx_ring_rules) {
    auto l = dl::plan_tx_ring({.frame_count = 0}, 1500, 14, page);
    ASSERT_FALSE(l);
    EXPECT_EQ(dl::step_of(l.error()), dl::step::tx_frame_count);
    for (const std::uint32_t bad : {8u, 32u, 1000u, 65536u + 16u}) {
        l = dl::plan_tx_ring({.frame_count = 1, .frame_size = bad}, 1500, 14, page);
        ASSERT_FALSE(l) << bad;
        EXPECT_EQ(dl::step_of(l.error()), dl::step::tx_frame_size) << bad;
    }
}

TEST(datalink_config, validation_names_the_setting) {
    const auto check = [](auto change, dl::step want, errc code = errc::bad_value) {
        dl::config c;
        change(c);
        const rawpkt::status s = dl::validate(c, page, plenty);
        ASSERT_FALSE(s) << dl::to_string(want);
        EXPECT_EQ(s.error().layer, rawpkt::layer::datalink);
        EXPECT_EQ(s.error().code, code) << dl::to_string(want);
        EXPECT_EQ(dl::step_of(s.error()), want);
        // describe() names it too.
        EXPECT_FALSE(dl::describe(s.error()).empty());
    };
    check([](dl::config& c) { c.receive = c.send = false; }, dl::step::config_direction);
    check([](dl::config& c) { c.snaplen = 0; }, dl::step::snaplen);
    check([](dl::config& c) { c.snaplen = 262145; }, dl::step::snaplen);
    check([](dl::config& c) { c.rx_ring.block_size = 1000; }, dl::step::rx_block_size);
    check([](dl::config& c) { c.rx_ring.block_count = 0; }, dl::step::rx_block_count);
    check([](dl::config& c) { c.rx_ring.frame_size = 100; }, dl::step::rx_frame_size);
    check([](dl::config& c) { c.block_timeout = std::chrono::milliseconds{0}; }, dl::step::block_timeout);
    check([](dl::config& c) { c.block_timeout = std::chrono::milliseconds{70000}; }, dl::step::block_timeout);
    check([](dl::config& c) { c.tx_ring.frame_size = 20; }, dl::step::tx_frame_size);
    check([](dl::config& c) { c.tx_batch = 0; }, dl::step::tx_batch);
    check(
        [](dl::config& c) {
            c.backend = dl::backend::socket;
            c.socket_batch = 0;
        },
        dl::step::socket_batch);
    check(
        [](dl::config& c) {
            c.backend = dl::backend::socket;
            c.socket_batch = 1025;
        },
        dl::step::socket_batch);
    check(
        [](dl::config& c) {
            c.fanout.enabled = true;
            c.fanout.mode = static_cast<dl::fanout_mode>(99);
        },
        dl::step::fanout_mode);
}

TEST(datalink_config, backends_open_chooses_and_the_others) {
    EXPECT_STREQ(dl::to_string(dl::backend::ring), "ring");
    EXPECT_STREQ(dl::to_string(dl::backend::socket), "socket");
    EXPECT_STREQ(dl::to_string(dl::backend::pcap), "pcap");
    EXPECT_STREQ(dl::to_string(dl::backend::file), "file");
    EXPECT_STREQ(dl::to_string(dl::backend::memory), "memory");
    // libpcap: its batch and its timeout are checked, no ring geometry.
    dl::config c;
    c.backend = dl::backend::pcap;
    c.rx_ring.block_size = 3;
    EXPECT_TRUE(dl::validate(c, page, plenty));
    c.socket_batch = 0;
    EXPECT_EQ(dl::step_of(dl::validate(c, page, plenty).error()), dl::step::socket_batch);
    c.socket_batch = 32;
    c.block_timeout = std::chrono::milliseconds{0};
    EXPECT_EQ(dl::step_of(dl::validate(c, page, plenty).error()), dl::step::block_timeout);
    // Files and memory channels have their own entry points.
    for (const dl::backend b : {dl::backend::file, dl::backend::memory}) {
        dl::config o;
        o.backend = b;
        const rawpkt::status s = dl::validate(o, page, plenty);
        ASSERT_FALSE(s);
        EXPECT_EQ(dl::step_of(s.error()), dl::step::config_backend);
        EXPECT_EQ(s.error().code, errc::bad_value);
        const std::string m = dl::describe(s.error());
        EXPECT_NE(m.find(b == dl::backend::file ? "file" : "memory"), std::string::npos) << m;
        EXPECT_NE(m.find("open_file() or open_memory()"), std::string::npos) << m;
    }
}

TEST(datalink_config, settings_of_an_unused_part_are_not_checked) {
    dl::config c;
    c.send = false;
    c.tx_batch = 0;
    c.tx_ring.frame_size = 3;
    EXPECT_TRUE(dl::validate(c, page, plenty));
    c = {};
    c.backend = dl::backend::socket;
    c.rx_ring.block_size = 3; // no ring
    EXPECT_TRUE(dl::validate(c, page, plenty));
    c = {};
    c.receive = false;
    c.rx_ring.block_count = 0;
    EXPECT_TRUE(dl::validate(c, page, plenty));
}

TEST(datalink_config, ring_above_the_memory_limit_is_no_room) {
    dl::config c;
    const rawpkt::status s = dl::validate(c, page, 16u << 20); // 16 MiB allowed, 64 MiB asked
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, errc::no_room);
    EXPECT_EQ(dl::step_of(s.error()), dl::step::rx_ring_size);
    EXPECT_EQ(s.error().available, 64u); // MiB
    EXPECT_EQ(s.error().needed, 16u);
    const std::string m = dl::describe(s.error(), "eth0");
    EXPECT_NE(m.find("64 MiB"), std::string::npos) << m;
    EXPECT_NE(m.find("16 MiB"), std::string::npos) << m;
    EXPECT_NE(m.find("rx_ring.block_count"), std::string::npos) << m;
    // The default limit is half the machine's memory: 4 TiB is above it.
    c.rx_ring.block_size = 1u << 30;
    c.rx_ring.block_count = 4096;
    const rawpkt::status big = dl::validate(c);
    ASSERT_FALSE(big);
    EXPECT_EQ(dl::step_of(big.error()), dl::step::rx_ring_size);
}

TEST(datalink_config, filter_converts_from_strings_and_programs) {
    dl::config c;
    c.filter = "tcp port 443";
    EXPECT_FALSE(c.filter.empty());
    EXPECT_FALSE(c.filter.is_program());
    EXPECT_EQ(c.filter.expression(), "tcp port 443");
    c.filter = std::string("udp");
    EXPECT_EQ(c.filter.expression(), "udp");
    c.filter = dl::drop_program();
    EXPECT_TRUE(c.filter.is_program());
    EXPECT_FALSE(c.filter.empty());
    EXPECT_EQ(c.filter.program().size(), 1u);
    c.filter = {};
    EXPECT_TRUE(c.filter.empty());
    c.filter = "";
    EXPECT_TRUE(c.filter.empty());
    c.filter = static_cast<const char*>(nullptr);
    EXPECT_TRUE(c.filter.empty());
    EXPECT_TRUE(dl::validate(c, page, plenty));
}

TEST(datalink_config, disabled_receiver_and_sender_say_so) {
    dl::receiver rx;
    EXPECT_FALSE(rx.enabled());
    EXPECT_EQ(rx.native_handle(), -1);
    const auto f = rx.next(dl::no_wait);
    ASSERT_FALSE(f);
    EXPECT_EQ(dl::step_of(f.error()), dl::step::disabled);
    EXPECT_FALSE(rx.next_batch(dl::no_wait));
    EXPECT_FALSE(rx.stats());
    EXPECT_FALSE(rx.set_filter("udp"));

    dl::sender tx;
    EXPECT_FALSE(tx.enabled());
    EXPECT_EQ(tx.native_handle(), -1);
    EXPECT_EQ(tx.max_frame_len(), 0u);
    const std::array<std::byte, 60> frame{};
    const auto s = tx.send(frame);
    ASSERT_FALSE(s);
    EXPECT_EQ(dl::step_of(s.error()), dl::step::disabled);
    bool called = false;
    EXPECT_FALSE(tx.send_with(60, [&](rawpkt::mut_bytes) { called = true; }));
    EXPECT_FALSE(called);
    EXPECT_FALSE(tx.flush());
    EXPECT_EQ(tx.stats().sent, 0u);

    // Moving keeps them disabled.
    dl::receiver rx2 = std::move(rx);
    EXPECT_FALSE(rx2.enabled());
    dl::sender tx2 = std::move(tx);
    EXPECT_FALSE(tx2.enabled());
}

} // namespace
