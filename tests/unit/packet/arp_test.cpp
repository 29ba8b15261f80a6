// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/arp.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// pcapplusplus__ArpRequestPacket.pcap frame 1, after the Ethernet header:
// Address Resolution Protocol (request)
//     Hardware type: Ethernet (1)
//     Protocol type: IPv4 (0x0800)
//     Hardware size: 6
//     Protocol size: 4
//     Opcode: request (1)
//     Sender MAC address: Giga-Byt_b2:de:6e (6c:f0:49:b2:de:6e)
//     Sender IP address: 10.0.0.1
//     Target MAC address: 00:00:00_00:00:00 (00:00:00:00:00:00)
//     Target IP address: 10.0.0.138
constexpr auto request = R"(
    00 01 08 00 06 04 00 01 6c f0 49 b2 de 6e 0a 00
    00 01 00 00 00 00 00 00 0a 00 00 8a)"_hex;

// tcpdump__802.1ad_QinQ.pcap frame 2, after the Ethernet header and two
// tags; 14 bytes of padding follow the packet:
// Address Resolution Protocol (reply)
//     Hardware type: Ethernet (1)
//     Protocol type: IPv4 (0x0800)
//     Hardware size: 6
//     Protocol size: 4
//     Opcode: reply (2)
//     Sender MAC address: ADVAOpti_81:88:63 (00:80:ea:81:88:63)
//     Sender IP address: 172.21.79.100
//     Target MAC address: RadDataC_5a:fb:3f (00:20:d2:5a:fb:3f)
//     Target IP address: 172.21.79.97
constexpr auto reply = R"(
    00 01 08 00 06 04 00 02 00 80 ea 81 88 63 ac 15
    4f 64 00 20 d2 5a fb 3f ac 15 4f 61 00 00 00 00
    00 00 00 00 00 00 00 00 00 00)"_hex;

// tcpdump__arp-too-long-tha.pcap frame 1 (64 of 262144 bytes captured),
// after the Ethernet header and an 802.1ad tag. A fuzzed packet with a
// 14-byte hardware address: 8 + 2 * (14 + 4) = 44 bytes, and 46 are there,
// so it is well formed. tshark shows it whole, the last 2 bytes as trailer:
// Address Resolution Protocol (request/gratuitous ARP)
//     Hardware type: Unknown (12336)
//     Protocol type: IPv4 (0x0800)
//     Hardware size: 14
//     Protocol size: 4
//     Opcode: request (1)
//     [Is gratuitous: True]
//     Sender hardware address: 3030303030303030303030303030
//     Sender IP address: 48.48.48.48
//     Target hardware address: 3030303030303030303030303030
//     Target IP address: 48.48.48.48
// and tcpdump -v: "ARP, Unknown Hardware (12336) (len 14), IPv4 (len 4),
// Request who-has 48.48.48.48 (30:30:30:30:30:30:30:30:30:30:30:30:30:30)
// tell 48.48.48.48, length 262126".
constexpr auto long_hardware = R"(
    30 30 08 00 0e 04 00 01 30 30 30 30 30 30 30 30
    30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30
    30 30 30 30 30 30 30 30 30 30 30 30 30 30)"_hex;

constexpr mac_address mac(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint8_t e,
                          std::uint8_t f) {
    return {{a, b, c, d, e, f}};
}
constexpr ipv4_address ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) { return {{a, b, c, d}}; }

// Accessors are usable in constant expressions.
static_assert(arp::view::checked(request).has_value());
static_assert(arp::view::checked(request)->is_ethernet_ipv4());
static_assert(arp::view::checked(request)->operation() == arp::operation::request);
static_assert(arp::view::checked(request)->target_ipv4() == ip(10, 0, 0, 138));
static_assert(arp::view::checked(long_hardware)->header_len() == 44);
static_assert(arp::repr::parse(*arp::view::checked(reply))->sender_mac == mac(0x00, 0x80, 0xea, 0x81, 0x88, 0x63));
static_assert(arp::view::checked(bytes{request}.first(27)).error().source == length_source::address_length);

TEST(Arp, ReadsEveryField) {
    const auto v = arp::view::checked(request);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->hardware_type(), arp::hardware::ethernet);
    EXPECT_EQ(v->protocol_type(), ethertype::ipv4);
    EXPECT_EQ(v->hardware_len(), 6);
    EXPECT_EQ(v->protocol_len(), 4);
    EXPECT_EQ(v->operation(), arp::operation::request);
    EXPECT_EQ(v->header_len(), 28u);
    EXPECT_EQ(v->header().size(), 28u);
    EXPECT_TRUE(v->is_ethernet_ipv4());
    EXPECT_EQ(v->sender_mac(), mac(0x6c, 0xf0, 0x49, 0xb2, 0xde, 0x6e));
    EXPECT_EQ(v->sender_ipv4(), ip(10, 0, 0, 1));
    EXPECT_EQ(v->target_mac(), mac(0, 0, 0, 0, 0, 0));
    EXPECT_EQ(v->target_ipv4(), ip(10, 0, 0, 138));
    EXPECT_EQ(v->sender_hardware_addr().data(), request.data() + 8);
    EXPECT_EQ(v->sender_hardware_addr().size(), 6u);
    EXPECT_EQ(v->sender_protocol_addr().data(), request.data() + 14);
    EXPECT_EQ(v->sender_protocol_addr().size(), 4u);
    EXPECT_EQ(v->target_hardware_addr().data(), request.data() + 18);
    EXPECT_EQ(v->target_hardware_addr().size(), 6u);
    EXPECT_EQ(v->target_protocol_addr().data(), request.data() + 24);
    EXPECT_EQ(v->target_protocol_addr().size(), 4u);
}

TEST(Arp, PaddingIsNotPartOfThePacket) {
    const auto v = arp::view::checked(reply);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->operation(), arp::operation::reply);
    EXPECT_EQ(v->header_len(), 28u);
    EXPECT_EQ(v->buffer().size(), 42u);
    EXPECT_EQ(v->sender_mac(), mac(0x00, 0x80, 0xea, 0x81, 0x88, 0x63));
    EXPECT_EQ(v->sender_ipv4(), ip(172, 21, 79, 100));
    EXPECT_EQ(v->target_mac(), mac(0x00, 0x20, 0xd2, 0x5a, 0xfb, 0x3f));
    EXPECT_EQ(v->target_ipv4(), ip(172, 21, 79, 97));
}

TEST(Arp, LongHardwareAddressesAreReadThroughTheGenericAccessors) {
    const auto v = arp::view::checked(long_hardware);
    ASSERT_TRUE(v);
    EXPECT_EQ(static_cast<std::uint16_t>(v->hardware_type()), 12336);
    EXPECT_EQ(v->protocol_type(), ethertype::ipv4);
    EXPECT_EQ(v->hardware_len(), 14);
    EXPECT_EQ(v->protocol_len(), 4);
    EXPECT_EQ(v->operation(), arp::operation::request);
    EXPECT_EQ(v->header_len(), 44u); // 2 bytes of the buffer are left over
    EXPECT_FALSE(v->is_ethernet_ipv4());
    EXPECT_EQ(v->sender_hardware_addr().size(), 14u);
    EXPECT_EQ(v->sender_hardware_addr().data(), long_hardware.data() + 8);
    EXPECT_EQ(ipv4_address::load(v->sender_protocol_addr(), 0), ip(48, 48, 48, 48));
    EXPECT_EQ(v->target_hardware_addr().size(), 14u);
    EXPECT_EQ(v->target_hardware_addr().data(), long_hardware.data() + 26);
    EXPECT_EQ(v->target_protocol_addr().data(), long_hardware.data() + 40);
    EXPECT_EQ(ipv4_address::load(v->target_protocol_addr(), 0), ip(48, 48, 48, 48));
    // The typed accessors are for the Ethernet/IPv4 form only.
    EXPECT_EQ(v->sender_mac(), mac_address{});
    EXPECT_EQ(v->sender_ipv4(), ipv4_address{});
    EXPECT_EQ(v->target_mac(), mac_address{});
    EXPECT_EQ(v->target_ipv4(), ipv4_address{});
    // Two bytes fewer and the target address no longer fits.
    EXPECT_ERROR(arp::view::checked(bytes{long_hardware}.first(43)),
                 error::truncated(layer::arp, length_source::address_length, 0, 44, 43));
    EXPECT_ERROR(arp::repr::parse(*v), error::invalid(layer::arp, errc::unsupported, length_source::none, 0, 1, 12336));
}

TEST(Arp, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n <= reply.size(); ++n) {
        const auto v = arp::view::checked(bytes{reply}.first(n));
        if (n < 8) {
            EXPECT_ERROR(v, error::truncated(layer::arp, length_source::fixed_header, 0, 8, n));
        } else if (n < 28) {
            EXPECT_ERROR(v, error::truncated(layer::arp, length_source::address_length, 0, 28, n));
        } else {
            ASSERT_TRUE(v) << n;
            EXPECT_EQ(v->header_len(), 28u);
        }
    }
}

TEST(Arp, AddressLengthsUpTo255) {
    // Crafted: the largest lengths announce 8 + 2 * 510 bytes.
    std::vector<std::byte> pkt(8 + 2 * 510);
    auto w = arp::mut_view::unchecked(pkt);
    w.set_hardware_len(255);
    w.set_protocol_len(255);
    const auto v = arp::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->header_len(), 1028u);
    EXPECT_EQ(v->target_protocol_addr().size(), 255u);
    EXPECT_EQ(v->target_protocol_addr().data() + 255, pkt.data() + pkt.size());
    EXPECT_ERROR(arp::view::checked(bytes{pkt}.first(1027)),
                 error::truncated(layer::arp, length_source::address_length, 0, 1028, 1027));
    // Zero lengths leave the fixed part only.
    w.set_hardware_len(0);
    w.set_protocol_len(0);
    EXPECT_EQ(arp::view::checked(bytes{pkt}.first(8))->header_len(), 8u);
    EXPECT_TRUE(arp::view::checked(bytes{pkt}.first(8))->target_protocol_addr().empty());
}

TEST(Arp, ReprRejectsOtherForms) {
    struct bad_form {
        const char* what;
        std::size_t offset;
        std::uint8_t value;
        error expected;
    };
    const bad_form cases[] = {
        {"IEEE 802 hardware", 1, 6, error::invalid(layer::arp, errc::unsupported, length_source::none, 0, 1, 6)},
        {"IPv6 protocol", 2, 0x86,
         error::invalid(layer::arp, errc::unsupported, length_source::none, 2, 0x0800, 0x8600)},
        {"8-byte hardware", 4, 8, error::invalid(layer::arp, errc::unsupported, length_source::none, 4, 6, 8)},
        {"16-byte protocol", 5, 16, error::invalid(layer::arp, errc::unsupported, length_source::none, 5, 4, 16)},
    };
    for (const auto& c : cases) {
        std::vector<std::byte> pkt(64);
        std::copy(request.begin(), request.end(), pkt.begin());
        pkt[c.offset] = static_cast<std::byte>(c.value);
        const auto v = arp::view::checked(pkt);
        ASSERT_TRUE(v) << c.what;
        EXPECT_FALSE(v->is_ethernet_ipv4()) << c.what;
        EXPECT_EQ(arp::repr::parse(*v).error(), c.expected) << c.what;
    }
}

TEST(Arp, SetEveryFieldThenCompare) {
    std::array<std::byte, 28> buf{};
    auto v = arp::mut_view::unchecked(buf);
    v.set_hardware_type(arp::hardware::ethernet);
    v.set_protocol_type(ethertype::ipv4);
    v.set_hardware_len(6);
    v.set_protocol_len(4);
    v.set_operation(arp::operation::rarp_reply);
    v.set_sender_mac(mac(0x02, 0, 0, 0, 0, 1));
    v.set_sender_ipv4(ip(192, 0, 2, 1));
    v.set_target_mac(mac(0x02, 0, 0, 0, 0, 2));
    v.set_target_ipv4(ip(192, 0, 2, 2));
    const arp::view r = v;
    EXPECT_TRUE(r.is_ethernet_ipv4());
    EXPECT_EQ(r.operation(), arp::operation::rarp_reply);
    EXPECT_EQ(r.sender_mac(), mac(0x02, 0, 0, 0, 0, 1));
    EXPECT_EQ(r.sender_ipv4(), ip(192, 0, 2, 1));
    EXPECT_EQ(r.target_mac(), mac(0x02, 0, 0, 0, 0, 2));
    EXPECT_EQ(r.target_ipv4(), ip(192, 0, 2, 2));
    // Setting one field leaves its neighbours alone.
    v.set_operation(arp::operation::inarp_request);
    v.set_hardware_type(arp::hardware::ieee802);
    EXPECT_EQ(r.protocol_type(), ethertype::ipv4);
    EXPECT_EQ(r.hardware_len(), 6);
    EXPECT_EQ(r.operation(), arp::operation::inarp_request);
    EXPECT_EQ(ipv4_address::load(r.target_protocol_addr(), 0), ip(192, 0, 2, 2));
    v.set_hardware_type(arp::hardware::ethernet);
    v.set_protocol_type(ethertype::ipv6);
    EXPECT_FALSE(r.is_ethernet_ipv4());
}

TEST(Arp, ReprRoundTripReproducesThePacketBytes) {
    for (const bytes pkt : {bytes{request}, bytes{reply}}) {
        const auto v = arp::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = arp::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), 28u);
        std::array<std::byte, 28> out{};
        r->emit(arp::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        EXPECT_EQ(*arp::repr::parse(*arp::view::checked(out)), *r);
    }
    const arp::repr expected{arp::operation::request, mac(0x6c, 0xf0, 0x49, 0xb2, 0xde, 0x6e), ip(10, 0, 0, 1),
                             mac_address{}, ip(10, 0, 0, 138)};
    EXPECT_EQ(*arp::repr::parse(*arp::view::checked(request)), expected);
}

} // namespace
