// SPDX-License-Identifier: BSD-3-Clause
// Transport errors, their sentences, and the address type: no sockets.
#include <rawpkt/transport/channel.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

namespace tp = rawpkt::transport;
using rawpkt::errc;

TEST(TransportErrors, ErrnoMapsOntoWhatAUserCanActOn) {
    EXPECT_EQ(tp::from_errno(tp::step::socket, EPERM).code, errc::permission);
    EXPECT_EQ(tp::from_errno(tp::step::socket, EACCES).code, errc::permission);
    EXPECT_EQ(tp::from_errno(tp::step::bind_interface, ENODEV).code, errc::not_found);
    EXPECT_EQ(tp::from_errno(tp::step::header_include, ENOPROTOOPT).code, errc::unsupported);
    EXPECT_EQ(tp::from_errno(tp::step::send, EMSGSIZE).code, errc::length_too_large);
    EXPECT_EQ(tp::from_errno(tp::step::send, ENOBUFS).code, errc::no_room);
    EXPECT_EQ(tp::from_errno(tp::step::send, EIO).code, errc::io);
    // Unreachable: whatever the operation, the step says "route".
    for (const int e : {ENETUNREACH, EHOSTUNREACH}) {
        const rawpkt::error err = tp::from_errno(tp::step::send, e);
        EXPECT_EQ(err, tp::make_error(errc::not_found, tp::step::route, e));
        EXPECT_EQ(err.layer, rawpkt::layer::transport);
        EXPECT_EQ(tp::step_of(err), tp::step::route);
    }
    EXPECT_EQ(tp::step_of(rawpkt::error{}), tp::step::none);
}

TEST(TransportErrors, SentencesNameTheCauseAndTheRemedy) {
    EXPECT_EQ(tp::describe(tp::from_errno(tp::step::socket, EPERM)),
              "cannot open a raw socket: CAP_NET_RAW needed (run as root, or grant it with "
              "`setcap cap_net_raw+ep <program>`)");
    EXPECT_EQ(tp::describe(tp::from_errno(tp::step::send, EHOSTUNREACH), "192.0.2.9"), "no route to 192.0.2.9");
    EXPECT_EQ(tp::describe(tp::from_errno(tp::step::send, ENETUNREACH)), "no route to the destination");
    EXPECT_EQ(tp::describe(tp::make_error(errc::bad_value, tp::step::address_family, 0, 4, 6), "2001:db8::1"),
              "the address 2001:db8::1 is IPv6 but the channel is IPv4");
    EXPECT_EQ(tp::describe(tp::make_error(errc::bad_value, tp::step::config_protocol, 0, 0, 255)),
              "protocol 255 (raw) can only be sent in mode::layer3");
    EXPECT_EQ(tp::describe(tp::make_error(errc::length_too_large, tp::step::send, EMSGSIZE, 0, 9000), "192.0.2.9"),
              "the packet of 9000 bytes is longer than the path to 192.0.2.9 takes: Message too long (errno 90)");
    EXPECT_EQ(tp::describe(tp::from_errno(tp::step::header_include, ENOPROTOOPT)),
              "this kernel cannot take IPv6 headers from the program (IPV6_HDRINCL needs Linux 4.5): Protocol not "
              "available (errno 92)");
    EXPECT_EQ(tp::describe(tp::from_errno(tp::step::receive, EIO)),
              "receive failed: i/o error: Input/output error (errno 5)");
    // Not a transport error: the generic text.
    const rawpkt::error other =
        rawpkt::error::truncated(rawpkt::layer::udp, rawpkt::length_source::fixed_header, 0, 8, 4);
    EXPECT_EQ(tp::describe(other), rawpkt::to_string(other));
}

TEST(TransportErrors, OpenRejectsBadSettingsBeforeAnySystemCall) {
    tp::config c;
    c.protocol = static_cast<rawpkt::ip_proto>(255);
    std::string why;
    const auto raw4 = tp::open(c, &why);
    ASSERT_FALSE(raw4);
    EXPECT_EQ(raw4.error(), tp::make_error(errc::bad_value, tp::step::config_protocol, 0, 0, 255));
    EXPECT_EQ(why, "protocol 255 (raw) can only be sent in mode::layer3");
    c = {};
    c.receive_buffer = 8;
    const auto small = tp::open(c);
    ASSERT_FALSE(small);
    EXPECT_EQ(tp::step_of(small.error()), tp::step::receive_buffer);
    // A closed channel fails every call.
    tp::channel closed;
    EXPECT_FALSE(closed.is_open());
    EXPECT_FALSE(closed.next(tp::no_wait));
    EXPECT_FALSE(closed.send_to(rawpkt::bytes{}, tp::ip_address{}));
    EXPECT_EQ(closed.native_handle(), -1);
}

TEST(TransportAddress, ParsesAndPrintsBothFamilies) {
    tp::ip_address a;
    ASSERT_TRUE(tp::ip_address::parse("192.0.2.7", a));
    EXPECT_EQ(a.family, tp::family::ipv4);
    EXPECT_EQ(a.to_string(), "192.0.2.7");
    ASSERT_TRUE(tp::ip_address::parse("2001:db8::7", a));
    EXPECT_EQ(a.family, tp::family::ipv6);
    EXPECT_EQ(a.scope_id, 0u);
    EXPECT_EQ(a.to_string(), "2001:db8::7");
    ASSERT_TRUE(tp::ip_address::parse("fe80::1%12", a));
    EXPECT_EQ(a.scope_id, 12u);
    EXPECT_EQ(a.to_string(), "fe80::1%12");
    for (const char* bad : {"", "192.0.2", "fe80::1%", "fe80::1%eth0", "fe80::1%1234567890", "::g", "1.2.3.4%1"}) {
        EXPECT_FALSE(tp::ip_address::parse(bad, a)) << bad;
    }
    tp::ip_address v4, v6;
    ASSERT_TRUE(tp::ip_address::parse("0.0.0.0", v4));
    ASSERT_TRUE(tp::ip_address::parse("::", v6));
    EXPECT_NE(v4, v6); // all zeroes, but not the same family
    static_assert(tp::ip_address{rawpkt::ipv4_address{{192, 0, 2, 1}}} ==
                  tp::ip_address{rawpkt::ipv4_address{{192, 0, 2, 1}}});
}
