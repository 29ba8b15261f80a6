// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/dhcp.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace rawpkt;
using rawpkt::test::operator""_hex;

// tcpdump's dhcp-rfc3004.pcap, frame 1 (the UDP payload). tshark 4.0:
//   Dynamic Host Configuration Protocol (Discover), Message type: Boot Request (1)
//   Hardware type: Ethernet (0x01), length 6, Hops 0, Transaction ID: 0x06e32864
//   Client MAC address: 00:0c:29:1f:74:06, Magic cookie: DHCP
//   Option: (53) DHCP Message Type (Discover)
//   Option: (50) Requested IP Address (192.168.1.4)
//   Option: (55) Parameter Request List: 1, 28, 2, 3, 15, 6, 12
//   Option: (77) User Class Information (37 bytes)
//   Option: (255) End, Padding: 0000
constexpr auto discover = R"(
    01 01 06 00 06 e3 28 64 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 0c 29 1f 74 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 63 82 53 63
    35 01 01 32 04 c0 a8 01 04 37 07 01 1c 02 03 0f 06 0c 4d 25 07 73 75 62
    6f 70 74 31 11 73 75 62 6f 70 74 32 2d 31 32 33 34 35 36 37 38 39 0a 73
    75 62 6f 70 74 33 2d 31 32 ff 00 00)"_hex;

// tcpdump's dhcpv6-ia-na.pcap, frame 1: Solicit (1), Transaction ID 0x90b45c,
// options Client Identifier (1, 10 bytes), Option Request (6, 4 bytes),
// Elapsed time (8, 2 bytes), Identity Association for Non-temporary
// Address (3, 12 bytes).
constexpr auto solicit = R"(
    01 90 b4 5c 00 01 00 0a 00 03 00 01 00 01 02 03 04 05 00 06 00 04 00 17
    00 18 00 08 00 02 00 00 00 03 00 0c 02 03 04 05 00 00 0e 10 00 00 15 18)"_hex;

TEST(Dhcp, ReadsARealDiscover) {
    const auto v = dhcp::view::checked(bytes{discover});
    ASSERT_TRUE(v);
    EXPECT_EQ(v->op(), 1);
    EXPECT_EQ(v->htype(), 1);
    EXPECT_EQ(v->hlen(), 6);
    EXPECT_EQ(v->hops(), 0);
    EXPECT_EQ(v->xid(), 0x06e32864u);
    EXPECT_EQ(v->secs(), 0);
    EXPECT_FALSE(v->broadcast());
    EXPECT_EQ(v->ciaddr().to_string(), "0.0.0.0");
    EXPECT_EQ(v->yiaddr().to_string(), "0.0.0.0");
    EXPECT_EQ(v->client_mac().to_string(), "00:0c:29:1f:74:06");
    EXPECT_EQ(v->message_type(), 1);
    std::vector<int> codes;
    for (const auto& o : v->options()) {
        ASSERT_TRUE(o);
        codes.push_back(o->code);
    }
    EXPECT_EQ(codes, (std::vector<int>{53, 50, 55, 77, 255}));
    EXPECT_EQ(v->find(dhcp::option_code::requested_ip)->address()->to_string(), "192.168.1.4");
    const auto params = v->find(dhcp::option_code::parameter_list);
    ASSERT_TRUE(params);
    EXPECT_EQ(params->data.size(), 7u);
    EXPECT_EQ(std::to_integer<int>(params->data[1]), 28);
    EXPECT_FALSE(v->find(dhcp::option_code::server_id));
}

TEST(Dhcp, TypedOptions) {
    // Offer options: server id 192.168.1.1, lease 86400, router, DNS servers, host name.
    const auto opts = R"(36 04 c0 a8 01 01 33 04 00 01 51 80 03 04 c0 a8 01 01 06 08 c0 a8 01 01 08 08 08 08
        0c 04 48 6f 6d 65 00 ff)"_hex;
    std::vector<std::byte> msg(discover.begin(), discover.begin() + dhcp::header_len);
    msg.resize(dhcp::header_len + opts.size());
    for (std::size_t i = 0; i < opts.size(); ++i) msg[dhcp::header_len + i] = opts[i];
    const auto v = dhcp::view::checked(bytes{msg});
    ASSERT_TRUE(v);
    EXPECT_EQ(v->find(dhcp::option_code::server_id)->address()->to_string(), "192.168.1.1");
    EXPECT_EQ(v->find(dhcp::option_code::lease_time)->seconds(), 86400u);
    EXPECT_EQ(v->find(dhcp::option_code::router)->address(0)->to_string(), "192.168.1.1");
    const auto dns = v->find(dhcp::option_code::dns_servers);
    EXPECT_EQ(dns->address(1)->to_string(), "8.8.8.8");
    EXPECT_FALSE(dns->address(2));
    EXPECT_EQ(v->find(dhcp::option_code::host_name)->text(), "Home");
    EXPECT_FALSE(v->message_type());
}

TEST(Dhcp, EveryTruncation) {
    for (std::size_t n = 0; n < dhcp::header_len; ++n) {
        EXPECT_ERROR(dhcp::view::checked(bytes{discover}.first(n)),
                     error::truncated(layer::dhcp, length_source::fixed_header, 0, dhcp::header_len, n));
    }
    // Cut inside the options: the option that is cut yields its error.
    for (std::size_t n = dhcp::header_len + 1; n < discover.size() - 3; ++n) {
        const auto v = dhcp::view::checked(bytes{discover}.first(n));
        ASSERT_TRUE(v);
        bool failed = false, ended = false;
        for (const auto& o : v->options()) {
            if (!o) {
                EXPECT_EQ(o.error().code, errc::truncated);
                EXPECT_EQ(o.error().source, length_source::option_length);
                failed = true;
            } else if (o->code == 255) {
                ended = true;
            }
        }
        EXPECT_TRUE(failed || !ended) << n;
    }
}

TEST(Dhcp, BadCookieRejected) {
    auto msg = discover;
    msg[236] = std::byte{0};
    EXPECT_ERROR(dhcp::view::checked(bytes{msg}),
                 error::invalid(layer::dhcp, errc::bad_value, length_source::none, 236, dhcp::magic, 0x00825363));
}

TEST(Dhcpv6, ReadsARealSolicit) {
    const auto v = dhcpv6::view::checked(bytes{solicit});
    ASSERT_TRUE(v);
    EXPECT_EQ(v->msg_type(), 1);
    EXPECT_EQ(v->transaction_id(), 0x90b45cu);
    std::vector<int> codes;
    std::vector<std::size_t> lens;
    for (const auto& o : v->options()) {
        ASSERT_TRUE(o);
        codes.push_back(o->code);
        lens.push_back(o->data.size());
    }
    EXPECT_EQ(codes, (std::vector<int>{1, 6, 8, 3}));
    EXPECT_EQ(lens, (std::vector<std::size_t>{10, 4, 2, 12}));
}

TEST(Dhcpv6, TruncationsAndRelays) {
    for (std::size_t n = 0; n < dhcpv6::header_len; ++n) {
        EXPECT_ERROR(dhcpv6::view::checked(bytes{solicit}.first(n)),
                     error::truncated(layer::dhcpv6, length_source::fixed_header, 0, 4, n));
    }
    // Cut inside the first option's header and inside its data.
    const auto cut = dhcpv6::view::checked(bytes{solicit}.first(10));
    ASSERT_TRUE(cut);
    const auto first = *cut->options().begin();
    EXPECT_ERROR(first, error::truncated(layer::dhcpv6, length_source::option_length, 4, 14, 6));
    const auto relay = R"(0c 00 00 00)"_hex;
    EXPECT_ERROR(dhcpv6::view::checked(bytes{relay}),
                 error::invalid(layer::dhcpv6, errc::unsupported, length_source::none, 0, 0, 12));
}

TEST(Dhcp, Constexpr) {
    static_assert(dhcp::view::unchecked(bytes{discover}).xid() == 0x06e32864u);
    static_assert(dhcpv6::view::unchecked(bytes{solicit}).transaction_id() == 0x90b45cu);
}

} // namespace
