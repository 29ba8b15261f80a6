// SPDX-License-Identifier: BSD-3-Clause
// backend::xdp without a network: its settings, the sentences describe()
// makes of its errors, and what a build without libxdp says.
#include <rawpkt/datalink/config.hpp>
#include <rawpkt/datalink/errors.hpp>
#include <rawpkt/datalink/xdp.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

namespace {

namespace dl = rawpkt::datalink;
using rawpkt::errc;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(xdp_config, settings_are_checked_before_any_system_call) {
    dl::config c;
    c.backend = dl::backend::xdp;
    c.xdp.rx_size = 100; // not a power of two
    auto s = dl::validate(c);
    ASSERT_FALSE(s);
    EXPECT_EQ(dl::step_of(s.error()), dl::step::xdp_ring_size);
    EXPECT_NE(dl::describe(s.error()).find("power of two"), std::string::npos);
    c.xdp.rx_size = 2048;
    c.xdp.frame_size = 3000;
    s = dl::validate(c);
    ASSERT_FALSE(s);
    EXPECT_EQ(dl::step_of(s.error()), dl::step::xdp_frame_size);
    c.xdp.frame_size = 2048;
    c.xdp.batch = 4096; // more than the RX ring
    s = dl::validate(c);
    ASSERT_FALSE(s);
    EXPECT_EQ(dl::step_of(s.error()), dl::step::batch);
    c.xdp.batch = 64;
    EXPECT_TRUE(dl::validate(c));
    EXPECT_STREQ(dl::to_string(dl::backend::xdp), "xdp");
}

TEST(xdp_errors, each_failure_says_what_to_do) {
    const auto say = [](errc code, dl::step s, int e = 0, std::uint64_t needed = 0, std::uint64_t available = 0) {
        return dl::describe(dl::make_error(code, s, e, needed, available), "eth0");
    };
    EXPECT_TRUE(contains(say(errc::bad_value, dl::step::xdp_queue, 0, 4, 9), "config.xdp.queue = 9"));
    EXPECT_TRUE(contains(say(errc::bad_value, dl::step::xdp_queue, 0, 4, 9), "eth0 has 4 receive queue(s)"));
    EXPECT_TRUE(contains(say(errc::permission, dl::step::xdp_program, EPERM), "CAP_BPF and CAP_NET_ADMIN"));
    EXPECT_TRUE(contains(say(errc::bad_value, dl::step::xdp_program, EINVAL), "refused the XDP program"));
    EXPECT_TRUE(contains(dl::describe(dl::from_errno(dl::step::xdp_attach, EBUSY), "eth0"),
                         "eth0 already has an XDP program (ip link show dev eth0"));
    EXPECT_TRUE(
        contains(dl::describe(dl::from_errno(dl::step::xdp_attach, EOPNOTSUPP), "eth0"), "xdp_attach::generic"));
    EXPECT_TRUE(contains(dl::describe(dl::from_errno(dl::step::xdp_attach, EINVAL), "eth0"), "MTU"));
    EXPECT_TRUE(
        contains(dl::describe(dl::from_errno(dl::step::xdp_socket, EAFNOSUPPORT), "eth0"), "no AF_XDP sockets"));
    EXPECT_TRUE(contains(say(errc::unsupported, dl::step::xdp_socket, EOPNOTSUPP), "xdp_copy::copy"));
    EXPECT_TRUE(contains(say(errc::io, dl::step::xdp_socket, EBUSY, 0, 3), "queue 3 of eth0"));
    EXPECT_TRUE(contains(say(errc::unsupported, dl::step::xdp_filter, 0, 1, 5), "ancillary load"));
    EXPECT_TRUE(contains(say(errc::unsupported, dl::step::xdp_filter, 0, 1, 5), "instruction 5"));
    EXPECT_TRUE(contains(say(errc::bad_value, dl::step::xdp_filter, EACCES), "refused the translated XDP filter"));
    EXPECT_TRUE(
        contains(say(errc::unsupported, dl::step::config_backend, 0, 0, static_cast<std::uint8_t>(dl::backend::xdp)),
                 "without libxdp"));
    for (const dl::step s : {dl::step::xdp_ring_size, dl::step::xdp_frame_size, dl::step::xdp_queue,
                             dl::step::xdp_program, dl::step::xdp_attach, dl::step::xdp_socket, dl::step::xdp_filter}) {
        EXPECT_STRNE(dl::to_string(s), "?");
    }
}

TEST(xdp_errors, a_build_without_the_backend_says_so_everywhere) {
    if (dl::has_xdp_backend()) GTEST_SKIP() << "this build has the AF_XDP backend";
    const auto info = dl::xdp_state(dl::receiver{});
    ASSERT_FALSE(info);
    EXPECT_TRUE(contains(dl::describe(info.error()), "without libxdp"));
}

} // namespace
