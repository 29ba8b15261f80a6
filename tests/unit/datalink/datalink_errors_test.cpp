// SPDX-License-Identifier: BSD-3-Clause
// Datalink errors: errno mapping, the sentences describe() makes, and the
// "did you mean" helper. No network needed.
#include <rawpkt/datalink/errors.hpp>
#include <rawpkt/datalink/interfaces.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

namespace {

namespace dl = rawpkt::datalink;
using rawpkt::errc;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(datalink_errors, errno_maps_onto_actionable_codes) {
    const struct {
        int e;
        errc code;
    } cases[] = {{EPERM, errc::permission},
                 {EACCES, errc::permission},
                 {ENODEV, errc::not_found},
                 {ENXIO, errc::not_found},
                 {ENOMEM, errc::no_room},
                 {ENOBUFS, errc::no_room},
                 {EINVAL, errc::bad_value},
                 {ENOPROTOOPT, errc::unsupported},
                 {EOPNOTSUPP, errc::unsupported},
                 {EPROTONOSUPPORT, errc::unsupported},
                 {ENETDOWN, errc::io},
                 {EIO, errc::io}};
    for (const auto& c : cases) {
        const rawpkt::error e = dl::from_errno(dl::step::socket, c.e);
        EXPECT_EQ(e.layer, rawpkt::layer::datalink);
        EXPECT_EQ(e.code, c.code) << c.e;
        EXPECT_EQ(e.sys_errno, c.e);
        EXPECT_EQ(dl::step_of(e), dl::step::socket);
    }
}

TEST(datalink_errors, step_is_kept_in_the_error_and_only_for_datalink) {
    const rawpkt::error e = dl::make_error(errc::bad_value, dl::step::fanout, EINVAL, 1, 2);
    EXPECT_EQ(dl::step_of(e), dl::step::fanout);
    EXPECT_EQ(e.needed, 1u);
    EXPECT_EQ(e.available, 2u);
    rawpkt::error other = e;
    other.layer = rawpkt::layer::ipv4;
    EXPECT_EQ(dl::step_of(other), dl::step::none);
    // Every step has a name.
    for (int s = 0; s <= static_cast<int>(dl::step::interfaces); ++s) {
        EXPECT_STRNE(dl::to_string(static_cast<dl::step>(s)), "?") << s;
    }
}

TEST(datalink_errors, missing_capability) {
    const std::string m = dl::describe(dl::from_errno(dl::step::socket, EPERM), "eth0");
    EXPECT_TRUE(contains(m, "CAP_NET_RAW needed")) << m;
    EXPECT_TRUE(contains(m, "eth0")) << m;
    const std::string ts = dl::describe(dl::from_errno(dl::step::timestamping, EPERM), "eth0");
    EXPECT_TRUE(contains(ts, "CAP_NET_ADMIN")) << ts;
}

TEST(datalink_errors, interface_down) {
    const std::string m = dl::describe(dl::make_error(errc::io, dl::step::interface_state, ENETDOWN), "eth1");
    EXPECT_TRUE(contains(m, "eth1 is down")) << m;
    EXPECT_TRUE(contains(m, "ip link set eth1 up")) << m;
    EXPECT_TRUE(contains(m, "allow_down")) << m;
}

TEST(datalink_errors, unknown_interface_lists_what_there_is) {
    const std::string m = dl::describe(dl::make_error(errc::not_found, dl::step::interface_lookup, ENODEV), "nosuch0");
    EXPECT_TRUE(contains(m, "no interface named \"nosuch0\"")) << m;
    // Every network namespace has lo.
    EXPECT_TRUE(contains(m, "lo")) << m;
    const auto close = dl::similar_interfaces("l0");
    ASSERT_FALSE(close.empty());
    EXPECT_EQ(close.front(), "lo");
    EXPECT_TRUE(dl::similar_interfaces("completely-different-name").empty());
}

TEST(datalink_errors, ring_failures_name_the_settings) {
    rawpkt::error e = dl::from_errno(dl::step::rx_ring, ENOMEM);
    e.available = 4096;
    const std::string m = dl::describe(e, "eth0");
    EXPECT_EQ(e.code, errc::no_room);
    EXPECT_TRUE(contains(m, "RX ring")) << m;
    EXPECT_TRUE(contains(m, "rx_ring.block_count")) << m;
    const std::string bad = dl::describe(dl::make_error(errc::bad_value, dl::step::rx_block_size, 0, 4096, 1000));
    EXPECT_TRUE(contains(bad, "rx_ring.block_size = 1000")) << bad;
    EXPECT_TRUE(contains(bad, "4096")) << bad;
}

TEST(datalink_errors, filter_and_feature_messages) {
    EXPECT_TRUE(contains(dl::describe(dl::make_error(errc::bad_value, dl::step::filter_compile)), "filter expression"));
    EXPECT_TRUE(contains(dl::describe(dl::make_error(errc::unsupported, dl::step::filter_compile, 0, 1)), "libpcap"));
    EXPECT_TRUE(contains(dl::describe(dl::make_error(errc::unsupported, dl::step::filter_compile, 0, 2, 6)), "cooked"));
    EXPECT_TRUE(contains(dl::describe(dl::make_error(errc::unsupported, dl::step::timestamping), "veth0"),
                         "veth0 cannot time-stamp"));
    EXPECT_TRUE(contains(dl::describe(dl::make_error(errc::length_too_large, dl::step::send, 0, 1518, 2000), "eth0"),
                         "2000 bytes"));
    EXPECT_TRUE(contains(dl::describe(dl::make_error(errc::unsupported, dl::step::disabled)), "not enabled"));
    // An io error carries the system's words.
    const std::string io = dl::describe(dl::from_errno(dl::step::bind, EADDRINUSE), "eth0");
    EXPECT_TRUE(contains(io, "bind failed on eth0")) << io;
    EXPECT_TRUE(contains(io, "errno " + std::to_string(EADDRINUSE))) << io;
    // Errors of other layers fall back to the generic text.
    const rawpkt::error ip =
        rawpkt::error::truncated(rawpkt::layer::ipv4, rawpkt::length_source::total_length, 14, 60, 40);
    EXPECT_EQ(dl::describe(ip), rawpkt::to_string(ip));
}

TEST(datalink_errors, end_of_input_and_the_other_backends) {
    EXPECT_TRUE(dl::is_end_of_input(dl::end_of_input));
    EXPECT_EQ(dl::end_of_input.layer, rawpkt::layer::datalink);
    EXPECT_EQ(dl::end_of_input.code, errc::io);
    EXPECT_EQ(dl::end_of_input.sys_errno, 0);
    EXPECT_EQ(dl::step_of(dl::end_of_input), dl::step::end_of_input);
    EXPECT_FALSE(dl::is_end_of_input(dl::make_error(errc::io, dl::step::receive, EIO)));
    // The same code and step from another layer is something else.
    rawpkt::error other = dl::end_of_input;
    other.layer = rawpkt::layer::pcap;
    EXPECT_FALSE(dl::is_end_of_input(other));
    EXPECT_TRUE(contains(dl::describe(dl::end_of_input), "end of input"));
    static_assert(dl::is_end_of_input(dl::end_of_input));

    const std::string speed = dl::describe(dl::make_error(errc::bad_value, dl::step::replay_speed));
    EXPECT_TRUE(contains(speed, "replay_config.speed")) << speed;
    const std::string batch = dl::describe(dl::make_error(errc::bad_value, dl::step::batch, 0, 65536, 0));
    EXPECT_TRUE(contains(batch, "1 .. 65536")) << batch;
    const std::string mtu = dl::describe(dl::make_error(errc::bad_value, dl::step::mtu, 0, 262144, 0));
    EXPECT_TRUE(contains(mtu, "memory_config.mtu = 0")) << mtu;
    const std::string cooked = dl::describe(dl::make_error(errc::unsupported, dl::step::link_layer), "eth0");
    EXPECT_TRUE(contains(cooked, "cooked")) << cooked;
    const std::string nopcap = dl::describe(dl::make_error(errc::unsupported, dl::step::config_backend));
    EXPECT_TRUE(contains(nopcap, "without libpcap")) << nopcap;
    const std::string act = dl::describe(dl::make_error(errc::io, dl::step::pcap_create), "eth0");
    EXPECT_TRUE(contains(act, "libpcap could not open eth0")) << act;
    for (const dl::step st : {dl::step::end_of_input, dl::step::config_backend, dl::step::link_layer,
                              dl::step::replay_speed, dl::step::batch, dl::step::mtu, dl::step::pcap_create}) {
        EXPECT_STRNE(dl::to_string(st), "?");
    }
}

TEST(datalink_errors, edit_distance) {
    EXPECT_EQ(dl::edit_distance("", ""), 0u);
    EXPECT_EQ(dl::edit_distance("", "abc"), 3u);
    EXPECT_EQ(dl::edit_distance("eth0", "eth0"), 0u);
    EXPECT_EQ(dl::edit_distance("eht0", "eth0"), 1u); // a transposition
    EXPECT_EQ(dl::edit_distance("eth0", "eth1"), 1u);
    EXPECT_EQ(dl::edit_distance("eth", "eth0"), 1u);
    EXPECT_EQ(dl::edit_distance("kitten", "sitting"), 3u);
}

} // namespace
