// SPDX-License-Identifier: BSD-3-Clause
// The in-memory channel: code written against datalink::channel, tested
// without privileges. Frames pushed come out of the receiver, frames sent
// are recorded; the end, drops, the sender's checks and batching, waits
// across threads and allocation after warm-up.
#include <rawpkt/datalink/datalink.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>

// Every allocation of this program is counted (support/counted_new.hpp), to
// show that receiving and sending allocate nothing.
#include "support/counted_new.hpp"

namespace {

namespace dl = rawpkt::datalink;
using rawpkt::bytes;
using rawpkt::errc;
using rawpkt::frame;
using rawpkt::mut_bytes;
using rawpkt::test::allocations;
using namespace std::chrono_literals;

/// An Ethernet frame of `size` bytes: broadcast, EtherType 0x88b5, then i.
std::vector<std::byte> eth(std::uint32_t i, std::size_t size = 64) {
    std::vector<std::byte> f(size);
    for (int k = 0; k < 6; ++k) f[static_cast<std::size_t>(k)] = std::byte{0xff};
    f[6] = std::byte{0x02};
    f[12] = std::byte{0x88};
    f[13] = std::byte{0xb5};
    for (std::size_t k = 14; k < size; ++k) f[k] = static_cast<std::byte>((i + k) & 0xff);
    f[14] = static_cast<std::byte>(i);
    return f;
}

/// The code under test in a user's program: answers every frame with a copy
/// whose source and destination are swapped, until the input ends.
rawpkt::status echo_all(dl::channel& ch) {
    for (;;) {
        const auto batch = ch.rx.next_batch(5s);
        if (!batch) {
            if (dl::is_end_of_input(batch.error())) break;
            return batch.error();
        }
        for (const frame& f : *batch) {
            const auto s = ch.tx.send_with(f.data.size(), [&](mut_bytes slot) {
                std::memcpy(slot.data(), f.data.data(), f.data.size());
                std::memcpy(slot.data(), f.data.data() + 6, 6);
                std::memcpy(slot.data() + 6, f.data.data(), 6);
            });
            if (!s) return s;
        }
    }
    return ch.tx.flush();
}

TEST(datalink_memory, round_trip_through_user_code) {
    auto m = dl::open_memory();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->channel.rx.backend(), dl::backend::memory);
    EXPECT_EQ(m->channel.tx.backend(), dl::backend::memory);
    EXPECT_EQ(m->channel.link, rawpkt::link_type::ethernet);
    EXPECT_EQ(m->channel.interface.name, "mem0");
    EXPECT_EQ(m->channel.interface.index, 1u);
    EXPECT_TRUE(m->channel.interface.up());
    EXPECT_EQ(m->channel.tx.max_frame_len(), 1518u);
    EXPECT_EQ(m->channel.rx.file(), nullptr);

    std::vector<std::vector<std::byte>> in;
    for (std::uint32_t i = 0; i < 100; ++i) {
        in.push_back(eth(i, 60 + i * 13));
        ASSERT_TRUE(m->port.push(in.back()));
    }
    EXPECT_EQ(m->port.pending(), 100u);
    m->port.close();
    ASSERT_TRUE(echo_all(m->channel));
    ASSERT_EQ(m->port.sent_count(), 100u);
    for (std::uint32_t i = 0; i < 100; ++i) {
        auto want = in[i];
        std::memcpy(want.data(), in[i].data() + 6, 6);
        std::memcpy(want.data() + 6, in[i].data(), 6);
        EXPECT_EQ(m->port.sent(i), want) << i;
    }
    EXPECT_TRUE(m->port.sent(100).empty());
    const auto st = m->channel.tx.stats();
    EXPECT_EQ(st.sent, 100u);
    EXPECT_EQ(st.queued, 0u);
    const auto rs = m->channel.rx.stats();
    ASSERT_TRUE(rs);
    EXPECT_EQ(rs->received, 100u);
    EXPECT_EQ(rs->dropped, 0u);
    const auto all = m->port.take_sent();
    EXPECT_EQ(all.size(), 100u);
    EXPECT_EQ(m->port.sent_count(), 0u);
}

TEST(datalink_memory, frames_keep_what_was_pushed) {
    auto m = dl::open_memory({.name = "t0", .ifindex = 7, .snaplen = 100});
    ASSERT_TRUE(m);
    const auto before = std::chrono::system_clock::now();
    ASSERT_TRUE(m->port.push(eth(1, 300))); // cut to the snaplen
    frame f;
    const auto data = eth(2, 80);
    f.data = data;
    f.timestamp_ns = 42;
    f.original_len = 10; // raised to the bytes
    f.interface = 3;
    f.link = rawpkt::link_type::raw;
    f.dir = rawpkt::direction::outgoing;
    f.vlan_tpid = 0x8100;
    f.vlan_tci = 5;
    f.comment = "hello";
    ASSERT_TRUE(m->port.push(f));
    const auto b = m->channel.rx.next_batch(dl::no_wait);
    ASSERT_TRUE(b);
    ASSERT_EQ(b->size(), 2u);
    const frame& a = (*b)[0];
    EXPECT_EQ(a.data.size(), 100u);
    EXPECT_EQ(a.original_len, 300u);
    EXPECT_TRUE(std::equal(a.data.begin(), a.data.end(), eth(1, 300).begin()));
    EXPECT_EQ(a.interface, 7u);
    EXPECT_EQ(a.link, rawpkt::link_type::ethernet);
    EXPECT_EQ(a.dir, rawpkt::direction::unknown);
    const auto ts = std::chrono::duration_cast<std::chrono::nanoseconds>(before.time_since_epoch()).count();
    EXPECT_GE(a.timestamp_ns, ts - 1'000'000'000);
    const frame& c = (*b)[1];
    EXPECT_TRUE(std::equal(c.data.begin(), c.data.end(), data.begin(), data.end()));
    EXPECT_NE(c.data.data(), data.data()); // a copy
    EXPECT_EQ(c.timestamp_ns, 42);
    EXPECT_EQ(c.original_len, 80u);
    EXPECT_EQ(c.interface, 3u);
    EXPECT_EQ(c.link, rawpkt::link_type::raw);
    EXPECT_EQ(c.dir, rawpkt::direction::outgoing);
    EXPECT_EQ(c.vlan_tpid, 0x8100);
    EXPECT_EQ(c.vlan_tci, 5);
    EXPECT_EQ(c.comment, "hello");
    // Nothing more: a timeout, not the end.
    const auto none = m->channel.rx.next(10ms);
    ASSERT_TRUE(none);
    EXPECT_EQ(*none, nullptr);
}

TEST(datalink_memory, the_end_comes_after_the_last_frame) {
    auto m = dl::open_memory();
    ASSERT_TRUE(m);
    ASSERT_TRUE(m->port.push(eth(1)));
    m->port.close();
    const auto late = m->port.push(eth(2));
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error(), dl::end_of_input);
    const auto f = m->channel.rx.next(dl::no_wait);
    ASSERT_TRUE(f);
    ASSERT_NE(*f, nullptr);
    for (int k = 0; k < 2; ++k) {
        const auto end = m->channel.rx.next(1s);
        ASSERT_FALSE(end);
        EXPECT_TRUE(dl::is_end_of_input(end.error()));
    }
    pollfd p{m->channel.rx.native_handle(), POLLIN, 0};
    EXPECT_EQ(::poll(&p, 1, 0), 1); // readable at the end
}

TEST(datalink_memory, capacity_drops_are_counted) {
    auto m = dl::open_memory({.capacity = 3});
    ASSERT_TRUE(m);
    for (std::uint32_t i = 0; i < 3; ++i) ASSERT_TRUE(m->port.push(eth(i)));
    const auto full = m->port.push(eth(3));
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error().code, errc::no_room);
    const auto b = m->channel.rx.next_batch(dl::no_wait);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->size(), 3u);
    ASSERT_TRUE(m->port.push(eth(4))); // room again
    const auto st = m->channel.rx.stats();
    ASSERT_TRUE(st);
    EXPECT_EQ(st->received, 3u);
    EXPECT_EQ(st->dropped, 1u);
}

TEST(datalink_memory, sender_checks_frames_like_a_live_one) {
    auto m = dl::open_memory({.mtu = 1500});
    ASSERT_TRUE(m);
    dl::sender& tx = m->channel.tx;
    const auto big = tx.send(eth(1, 1515));
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code, errc::length_too_large);
    const auto huge = tx.send(std::vector<std::byte>(1600));
    ASSERT_FALSE(huge);
    EXPECT_EQ(huge.error().code, errc::length_too_large);
    const auto tiny = tx.send(std::vector<std::byte>(10));
    ASSERT_FALSE(tiny);
    EXPECT_EQ(tiny.error().code, errc::length_too_small);
    auto tagged = eth(1, 1518);
    tagged[12] = std::byte{0x81};
    tagged[13] = std::byte{0x00};
    ASSERT_TRUE(tx.send(tagged));
    ASSERT_TRUE(tx.flush());
    EXPECT_EQ(m->port.sent_count(), 1u);
    EXPECT_EQ(tx.stats().sent, 1u);
    // A raw-IP channel has no link header.
    auto raw = dl::open_memory({.link = rawpkt::link_type::raw, .mtu = 1500});
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->channel.tx.max_frame_len(), 1500u);
    ASSERT_TRUE(raw->channel.tx.send(std::vector<std::byte>(20)));
}

TEST(datalink_memory, frames_wait_for_the_batch_or_flush) {
    auto m = dl::open_memory({.tx_batch = 4});
    ASSERT_TRUE(m);
    dl::sender& tx = m->channel.tx;
    for (std::uint32_t i = 0; i < 3; ++i) ASSERT_TRUE(tx.send(eth(i)));
    EXPECT_EQ(m->port.sent_count(), 0u);
    EXPECT_EQ(tx.stats().queued, 3u);
    ASSERT_TRUE(tx.send(eth(3))); // the fourth hands the batch over
    EXPECT_EQ(m->port.sent_count(), 4u);
    EXPECT_EQ(tx.stats().syscalls, 1u);
    ASSERT_TRUE(tx.send(eth(4)));
    EXPECT_EQ(m->port.sent_count(), 4u);
    ASSERT_TRUE(tx.flush());
    EXPECT_EQ(m->port.sent_count(), 5u);
    EXPECT_EQ(tx.stats().syscalls, 2u);
    EXPECT_EQ(m->port.sent(4), eth(4));
    // send_with: a length, a span, or a cancelled build.
    ASSERT_TRUE(tx.send_with(200, [](mut_bytes slot) {
        std::memcpy(slot.data(), eth(5).data(), 64);
        return std::size_t{64};
    }));
    ASSERT_TRUE(tx.send_with(200, [](mut_bytes) { return std::size_t{0}; }));
    ASSERT_TRUE(tx.send_with(200, [](mut_bytes slot) {
        std::memcpy(slot.data() + 100, eth(6).data(), 64);
        return slot.subspan(100, 64);
    }));
    ASSERT_TRUE(tx.flush());
    ASSERT_EQ(m->port.sent_count(), 7u);
    EXPECT_EQ(m->port.sent(5), eth(5));
    EXPECT_EQ(m->port.sent(6), eth(6));
    // The sender flushes what is queued when it goes.
    ASSERT_TRUE(tx.send(eth(7)));
    m->channel.tx = dl::sender{};
    EXPECT_EQ(m->port.sent_count(), 8u);
}

TEST(datalink_memory, a_push_from_another_thread_wakes_the_receiver) {
    auto m = dl::open_memory();
    ASSERT_TRUE(m);
    const int fd = m->channel.rx.native_handle();
    ASSERT_GE(fd, 0);
    pollfd p{fd, POLLIN, 0};
    EXPECT_EQ(::poll(&p, 1, 0), 0);
    dl::memory_port port = m->port; // a handle: copies share the channel
    std::thread pusher([port]() mutable {
        std::this_thread::sleep_for(30ms);
        (void)port.push(eth(9));
    });
    const auto f = m->channel.rx.next(10s);
    pusher.join();
    ASSERT_TRUE(f);
    ASSERT_NE(*f, nullptr);
    EXPECT_EQ(std::to_integer<int>((*f)->data[14]), 9);
    EXPECT_EQ(::poll(&p, 1, 0), 0); // taken: not readable any more
    ASSERT_TRUE(m->port.push(eth(10)));
    EXPECT_EQ(::poll(&p, 1, 0), 1);
}

TEST(datalink_memory, many_threads_push_and_every_frame_comes_once) {
    auto m = dl::open_memory();
    ASSERT_TRUE(m);
    constexpr std::uint32_t per = 2000;
    std::vector<std::thread> pushers;
    for (std::uint32_t t = 0; t < 3; ++t) {
        pushers.emplace_back([port = m->port, t]() mutable {
            for (std::uint32_t i = 0; i < per; ++i) {
                auto f = eth(i);
                f[15] = static_cast<std::byte>(t);
                f[16] = static_cast<std::byte>(i >> 8);
                f[17] = static_cast<std::byte>(i);
                (void)port.push(f);
            }
        });
    }
    std::vector<std::vector<std::uint32_t>> got(3);
    std::size_t n = 0;
    const auto end = std::chrono::steady_clock::now() + 30s;
    while (n < 3 * per && std::chrono::steady_clock::now() < end) {
        const auto b = m->channel.rx.next_batch(100ms);
        ASSERT_TRUE(b);
        for (const frame& f : *b) {
            const auto t = std::to_integer<std::size_t>(f.data[15]);
            ASSERT_LT(t, 3u);
            got[t].push_back(std::to_integer<std::uint32_t>(f.data[16]) << 8 |
                             std::to_integer<std::uint32_t>(f.data[17]));
            ++n;
        }
    }
    for (auto& th : pushers) th.join();
    for (std::uint32_t t = 0; t < 3; ++t) {
        ASSERT_EQ(got[t].size(), per) << t;
        for (std::uint32_t i = 0; i < per; ++i) ASSERT_EQ(got[t][i], i); // in order per thread
    }
}

TEST(datalink_memory, filters_run_in_user_space) {
    // ldb [14]; jset #1 jt 0 jf 1; ret #262144; ret #0  -- odd sequence numbers
    const std::vector<dl::bpf_instruction> odd = {
        {0x30, 0, 0, 14}, {0x45, 0, 1, 1}, {0x06, 0, 0, 262144}, {0x06, 0, 0, 0}};
    auto m = dl::open_memory({.filter = odd});
    ASSERT_TRUE(m);
    for (std::uint32_t i = 0; i < 10; ++i) ASSERT_TRUE(m->port.push(eth(i)));
    const auto b = m->channel.rx.next_batch(dl::no_wait);
    ASSERT_TRUE(b);
    ASSERT_EQ(b->size(), 5u);
    for (std::size_t k = 0; k < 5; ++k) EXPECT_EQ(std::to_integer<std::size_t>((*b)[k].data[14]), 2 * k + 1);
    ASSERT_TRUE(m->channel.rx.set_filter({}));
    for (std::uint32_t i = 0; i < 10; ++i) ASSERT_TRUE(m->port.push(eth(i)));
    const auto all = m->channel.rx.next_batch(dl::no_wait);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 10u);
    if (dl::has_filter_compiler()) {
        ASSERT_TRUE(m->channel.rx.set_filter("ether[14] = 3"));
        for (std::uint32_t i = 0; i < 10; ++i) ASSERT_TRUE(m->port.push(eth(i)));
        const auto three = m->channel.rx.next_batch(dl::no_wait);
        ASSERT_TRUE(three);
        ASSERT_EQ(three->size(), 1u);
        std::string why;
        const auto bad = m->channel.rx.set_filter("ether[", &why);
        ASSERT_FALSE(bad);
        EXPECT_EQ(dl::step_of(bad.error()), dl::step::filter_compile);
        EXPECT_FALSE(why.empty());
    }
}

TEST(datalink_memory, receiving_and_sending_allocate_nothing_after_warm_up) {
    if (!rawpkt::test::counts_allocations) GTEST_SKIP() << "allocations are not counted under ThreadSanitizer";
    auto m = dl::open_memory({.tx_batch = 32});
    ASSERT_TRUE(m);
    dl::channel& ch = m->channel;
    const auto frame_bytes = eth(1, 200);
    const auto round = [&] {
        for (int i = 0; i < 64; ++i) (void)m->port.push(frame_bytes);
        std::size_t got = 0;
        while (got < 64) {
            const auto f = ch.rx.next(dl::no_wait);
            if (!f || *f == nullptr) break;
            ++got;
            (void)ch.tx.send((*f)->data);
        }
        (void)ch.tx.flush();
        m->port.clear_sent();
        return got;
    };
    EXPECT_EQ(round(), 64u); // warm-up: the buffers grow
    EXPECT_EQ(round(), 64u);
    const std::size_t before = allocations.load();
    std::size_t total = 0;
    for (int r = 0; r < 50; ++r) total += round();
    EXPECT_EQ(allocations.load() - before, 0u);
    EXPECT_EQ(total, 50u * 64u);
}

TEST(datalink_memory, bad_settings_and_unconnected_ports) {
    std::string why;
    EXPECT_EQ(dl::step_of(dl::open_memory({.mtu = 0}, &why).error()), dl::step::mtu);
    EXPECT_NE(why.find("mtu"), std::string::npos) << why;
    EXPECT_EQ(dl::step_of(dl::open_memory({.snaplen = 0}).error()), dl::step::snaplen);
    EXPECT_EQ(dl::step_of(dl::open_memory({.tx_batch = 0}).error()), dl::step::batch);
    EXPECT_EQ(dl::step_of(dl::open_memory({.receive = false, .send = false}).error()), dl::step::config_direction);
    // A send-only channel: pushing has nowhere to go.
    auto tx_only = dl::open_memory({.receive = false});
    ASSERT_TRUE(tx_only);
    EXPECT_FALSE(tx_only->channel.rx.enabled());
    EXPECT_FALSE(tx_only->port.push(eth(1)));
    dl::memory_port loose;
    EXPECT_FALSE(loose.connected());
    EXPECT_FALSE(loose.push(eth(1)));
    EXPECT_EQ(loose.sent_count(), 0u);
    loose.close();
}

} // namespace
