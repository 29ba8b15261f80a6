// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/dhcp.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
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

// No capture of the corpus overloads options: a Discover written for this
// test, whose options go on in `file` and `sname` (Option Overload 3).
// tshark 4.0, behind UDP 68 -> 67:
//   Transaction ID: 0x3903f326, Client MAC address: 00:16:3e:11:22:33
//   Server name option overloaded by DHCP; Boot file name option overloaded by DHCP
//   Option: (53) DHCP Message Type (Discover)
//   Option: (52) Option Overload: Boot file and server host names hold options (3)
//     Server host name option overload: Option: (50) Requested IP Address (192.168.1.100); (255) End
//     Boot file name option overload: Option: (12) Host Name: host; (255) End
//   Option: (255) End
// (tshark shows `sname` before `file`; RFC 2131 §4.1 reads `file` first.)
constexpr auto overloaded = R"(
    01 01 06 00 39 03 f3 26 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 16 3e 11 22 33 00 00 00 00 00 00 00 00 00 00
    32 04 c0 a8 01 64 ff 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    0c 04 68 6f 73 74 ff 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    63 82 53 63 35 01 01 34 01 03 ff)"_hex;

std::vector<std::string> codes_and_offsets(const dhcp::view& v) {
    std::vector<std::string> out;
    for (const auto& o : v.options()) {
        if (!o) {
            out.push_back(to_string(o.error()));
            break;
        }
        out.push_back(std::to_string(o->code) + "@" + std::to_string(o->offset));
    }
    return out;
}

TEST(Dhcp, OptionOverloadGoesOnInFileThenSname) {
    ASSERT_EQ(overloaded.size(), 247u);
    const auto v = dhcp::view::checked(bytes{overloaded});
    ASSERT_TRUE(v);
    EXPECT_EQ(v->overload(), 3);
    EXPECT_EQ(codes_and_offsets(*v),
              (std::vector<std::string>{"53@240", "52@243", "255@246", "12@108", "255@114", "50@44", "255@50"}));
    EXPECT_EQ(v->find(dhcp::option_code::host_name)->text(), "host");
    EXPECT_EQ(v->find(dhcp::option_code::requested_ip)->address()->to_string(), "192.168.1.100");
    EXPECT_EQ(v->message_type(), 1);
    // The options field alone.
    std::size_t in_field = 0;
    for (const auto& o : v->options_field()) in_field += o ? 1 : 0;
    EXPECT_EQ(in_field, 3u);

    // Overload 1 and 2 take one field each; 0 none.
    for (const auto& [value, want] :
         {std::pair<int, std::vector<std::string>>{1, {"53@240", "52@243", "255@246", "12@108", "255@114"}},
          {2, {"53@240", "52@243", "255@246", "50@44", "255@50"}},
          {0, {"53@240", "52@243", "255@246"}}}) {
        auto copy = overloaded;
        copy[245] = std::byte(value);
        EXPECT_EQ(codes_and_offsets(dhcp::view::checked(bytes{copy}).value()), want) << value;
    }
    // Overload named in `file` is not followed: only the options field may name it.
    auto nested = overloaded;
    nested[245] = std::byte{1};
    const auto in_file = R"(34 01 02 ff)"_hex;
    std::copy(in_file.begin(), in_file.end(), nested.begin() + 108);
    EXPECT_EQ(codes_and_offsets(dhcp::view::checked(bytes{nested}).value()),
              (std::vector<std::string>{"53@240", "52@243", "255@246", "52@108", "255@111"}));
    // A bad option in `file` ends the walk with its error and offset.
    auto bad = overloaded;
    bad[108 + 127] = std::byte{0x0c}; // after End: not read
    bad[109] = std::byte{200};        // Host Name's length past `file`
    EXPECT_EQ(codes_and_offsets(dhcp::view::checked(bytes{bad}).value()),
              (std::vector<std::string>{
                  "53@240", "52@243", "255@246",
                  to_string(error::truncated(layer::dhcp, length_source::option_length, 108, 202, 128))}));
}

// A Relay-forward inside a Relay-forward around a Solicit, written for this
// test (the corpus has no relayed DHCPv6). tshark 4.0, behind UDP 547:
//   Message type: Relay-forw (12), Hopcount: 1, Link address: 2001:db8::1, Peer address: fe80::2
//   Interface-Id: Option (18), Length: 4, Interface-ID: 65746830
//   Relay Message: Option (9), Length: 62
//     Message type: Relay-forw (12), Hopcount: 0, Link address: ::, Peer address: fe80::1
//     Relay Message: Option (9), Length: 24
//       Message type: Solicit (1), Transaction ID: 0x123456
//       Client Identifier: Option (1), Length: 10, DUID: 00030001001122334455
//       Elapsed time: Option (8), Length: 2, Elapsed time: 0ms
constexpr auto relayed = R"(
    0c 01 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 fe 80 00 00 00 00 00 00 00 00 00 00 00 00
    00 02 00 12 00 04 65 74 68 30 00 09 00 3e
    0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 fe 80 00 00 00 00 00 00 00 00 00 00 00 00
    00 01 00 09 00 18
    01 12 34 56 00 01 00 0a 00 03 00 01 00 11 22 33 44 55 00 08 00 02 00 00)"_hex;

TEST(Dhcpv6, RelayMessagesNest) {
    const auto outer = dhcpv6::relay_view::checked(bytes{relayed});
    ASSERT_TRUE(outer);
    EXPECT_EQ(outer->msg_type(), dhcpv6::relay_forward);
    EXPECT_EQ(outer->hop_count(), 1);
    EXPECT_EQ(outer->link_address().to_string(), "2001:db8::1");
    EXPECT_EQ(outer->peer_address().to_string(), "fe80::2");
    std::vector<std::uint16_t> codes;
    for (const auto& o : outer->options()) codes.push_back(o.value().code);
    EXPECT_EQ(codes, (std::vector<std::uint16_t>{18, 9}));
    const auto inner_bytes = outer->relay_message();
    ASSERT_TRUE(inner_bytes);
    EXPECT_EQ(inner_bytes->size(), 62u);
    const auto inner = dhcpv6::relay_view::checked(*inner_bytes);
    ASSERT_TRUE(inner);
    EXPECT_EQ(inner->hop_count(), 0);
    EXPECT_EQ(inner->link_address().to_string(), "::");
    EXPECT_EQ(inner->peer_address().to_string(), "fe80::1");
    unsigned depth = 0;
    const auto solicit_msg = dhcpv6::innermost(bytes{relayed}, &depth);
    ASSERT_TRUE(solicit_msg);
    EXPECT_EQ(depth, 2u);
    EXPECT_EQ(solicit_msg->msg_type(), 1);
    EXPECT_EQ(solicit_msg->transaction_id(), 0x123456u);
    EXPECT_EQ(solicit_msg->buffer().data(), relayed.data() + 84);
    // A client/server message is its own innermost.
    EXPECT_EQ(dhcpv6::innermost(bytes{solicit}, &depth)->transaction_id(), 0x90b45cu);
    EXPECT_EQ(depth, 0u);
    // Not a relay message.
    EXPECT_ERROR(dhcpv6::relay_view::checked(bytes{solicit}),
                 error::invalid(layer::dhcpv6, errc::bad_value, length_source::none, 0, 12, 1));
}

TEST(Dhcpv6, EveryTruncatedRelayRejected) {
    for (std::size_t n = 0; n < relayed.size(); ++n) {
        const bytes cut = bytes{relayed}.first(n);
        if (n < dhcpv6::relay_header_len) {
            EXPECT_ERROR(dhcpv6::relay_view::checked(cut),
                         error::truncated(layer::dhcpv6, length_source::fixed_header, 0, 34, n));
        }
        // Every cut loses the Relay Message of one of the two relays (its
        // option runs past the end, or, before it, the outer one is missing).
        const auto r = dhcpv6::innermost(cut);
        ASSERT_FALSE(r) << n;
        if (n >= dhcpv6::relay_header_len) {
            EXPECT_TRUE(r.error().code == errc::truncated || r.error().code == errc::not_found) << n;
        }
    }
    // The inner relay cut inside its Relay Message: the offset is the
    // option's in the whole message.
    EXPECT_ERROR(dhcpv6::innermost(bytes{relayed}.first(100)),
                 error::truncated(layer::dhcpv6, length_source::option_length, 42, 66, 58));
    // No Relay Message at all.
    EXPECT_ERROR(dhcpv6::relay_view::checked(bytes{relayed}.first(42))->relay_message(),
                 error::invalid(layer::dhcpv6, errc::not_found, length_source::none, 34, 9, 0));
    // Relays nested deeper than max_relay_depth.
    std::vector<std::byte> deep(dhcpv6::header_len, std::byte{1});
    for (unsigned i = 0; i <= dhcpv6::max_relay_depth; ++i) {
        std::vector<std::byte> wrap(dhcpv6::relay_header_len, std::byte{0});
        wrap[0] = std::byte{12};
        const auto len = static_cast<std::uint16_t>(deep.size());
        for (const int b : {0, 9, len >> 8, len & 0xff}) wrap.push_back(static_cast<std::byte>(b));
        wrap.insert(wrap.end(), deep.begin(), deep.end());
        deep = std::move(wrap);
    }
    const auto too_deep = dhcpv6::innermost(bytes{deep});
    ASSERT_FALSE(too_deep);
    EXPECT_EQ(too_deep.error().code, errc::too_many);
}

TEST(Dhcp, Constexpr) {
    static_assert(dhcp::view::unchecked(bytes{discover}).xid() == 0x06e32864u);
    static_assert(dhcpv6::view::unchecked(bytes{solicit}).transaction_id() == 0x90b45cu);
}

} // namespace
