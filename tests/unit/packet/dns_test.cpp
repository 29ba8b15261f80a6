// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/dns.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace rawpkt;
using rawpkt::test::operator""_hex;

// tcpdump's dns_udp.pcap, frame 2 (the UDP payload). tshark 4.0:
//   Domain Name System (response), Transaction ID: 0x5934, Flags: 0x8500
//   Questions: 1, Answer RRs: 2, Authority RRs: 2, Additional RRs: 5
//   Queries: www.tcpdump.org: type A, class IN
//   Answers: www.tcpdump.org A 192.139.46.66; www.tcpdump.org A 198.199.88.104
//   Authoritative nameservers: tcpdump.org NS sns.cooperix.net; tcpdump.org NS nic.sandelman.ca
//   Additional records: nic.sandelman.ca A 209.87.249.18, AAAA 2607:f0b0:f::babe:f00d;
//     sns.cooperix.net A 97.107.133.15, AAAA 2600:3c03::f03c:91ff:fe96:e8ef; <Root> OPT
constexpr auto response = R"(
    59 34 85 00 00 01 00 02 00 02 00 05 03 77 77 77 07 74 63 70 64 75 6d 70 03 6f 72 67 00 00 01 00 01
    c0 0c 00 01 00 01 00 00 00 3c 00 04 c0 8b 2e 42 c0 0c 00 01 00 01 00 00 00 3c 00 04 c6 c7 58 68
    c0 10 00 02 00 01 00 01 51 80 00 12 03 73 6e 73 08 63 6f 6f 70 65 72 69 78 03 6e 65 74 00
    c0 10 00 02 00 01 00 01 51 80 00 12 03 6e 69 63 09 73 61 6e 64 65 6c 6d 61 6e 02 63 61 00
    c0 6b 00 01 00 01 00 00 01 2c 00 04 d1 57 f9 12 c0 6b 00 1c 00 01 00 00 01 2c 00 10
    26 07 f0 b0 00 0f 00 00 00 00 00 00 ba be f0 0d c0 4d 00 01 00 01 00 00 1c 20 00 04 61 6b 85 0f
    c0 4d 00 1c 00 01 00 00 1c 20 00 10 26 00 3c 03 00 00 00 00 f0 3c 91 ff fe 96 e8 ef
    00 00 29 10 00 00 00 00 00 00 00)"_hex;

TEST(Dns, ReadsEveryFieldOfARealResponse) {
    const auto v = dns::view::checked(bytes{response});
    ASSERT_TRUE(v);
    EXPECT_EQ(v->id(), 0x5934);
    EXPECT_EQ(v->flags(), 0x8500);
    EXPECT_TRUE(v->is_response());
    EXPECT_EQ(v->opcode(), 0);
    EXPECT_EQ(v->rcode(), 0);
    EXPECT_FALSE(v->truncated());
    EXPECT_EQ(v->question_count(), 1);
    EXPECT_EQ(v->answer_count(), 2);
    EXPECT_EQ(v->authority_count(), 2);
    EXPECT_EQ(v->additional_count(), 5);

    dns::reader r{*v};
    std::vector<std::string> names, a, aaaa, ns;
    int per_section[4] = {0, 0, 0, 0};
    while (auto e = r.next()) {
        ASSERT_TRUE(*e) << to_string((*e).error());
        const auto& entry = **e;
        ++per_section[static_cast<int>(entry.section)];
        if (entry.section == dns::section::question) {
            EXPECT_EQ(entry.question.name.to_string(), "www.tcpdump.org");
            EXPECT_EQ(entry.question.type, 1);
            EXPECT_EQ(entry.question.klass, 1);
            continue;
        }
        names.push_back(entry.record.name.to_string());
        if (const auto addr = entry.record.a()) a.push_back(addr->to_string());
        if (const auto addr = entry.record.aaaa()) aaaa.push_back(addr->to_string());
        if (entry.record.type == static_cast<std::uint16_t>(dns::rr_type::ns)) {
            // NS data is a name that may point back into the message.
            ASSERT_TRUE(dns::name_len_at(bytes{response}, entry.record.data_offset));
            ns.push_back(dns::name{bytes{response}, entry.record.data_offset}.to_string());
        }
        if (entry.record.type == static_cast<std::uint16_t>(dns::rr_type::opt)) {
            EXPECT_EQ(entry.record.klass, 4096); // UDP payload size (RFC 6891)
        }
    }
    EXPECT_EQ(per_section[0], 1);
    EXPECT_EQ(per_section[1], 2);
    EXPECT_EQ(per_section[2], 2);
    EXPECT_EQ(per_section[3], 5);
    EXPECT_EQ(a, (std::vector<std::string>{"192.139.46.66", "198.199.88.104", "209.87.249.18", "97.107.133.15"}));
    EXPECT_EQ(aaaa, (std::vector<std::string>{"2607:f0b0:f::babe:f00d", "2600:3c03::f03c:91ff:fe96:e8ef"}));
    EXPECT_EQ(ns, (std::vector<std::string>{"sns.cooperix.net", "nic.sandelman.ca"}));
    EXPECT_EQ(names.back(), "<Root>");
}

TEST(Dns, EveryTruncationEndsWithAnError) {
    for (std::size_t n = 0; n < response.size(); ++n) {
        const bytes cut = bytes{response}.first(n);
        const auto v = dns::view::checked(cut);
        if (n < dns::header_len) {
            EXPECT_ERROR(v, error::truncated(layer::dns, length_source::fixed_header, 0, 12, n));
            continue;
        }
        ASSERT_TRUE(v);
        dns::reader r{*v};
        bool failed = false;
        while (auto e = r.next()) {
            if (!*e) {
                EXPECT_EQ((*e).error().code, errc::truncated) << n;
                failed = true;
            }
        }
        EXPECT_TRUE(failed) << n;
    }
}

TEST(Dns, CompressionLoopsAndForwardPointersRejected) {
    // A pointer to itself at offset 12.
    const auto self = R"(00 00 00 00 00 01 00 00 00 00 00 00 c0 0c 00 01 00 01)"_hex;
    EXPECT_ERROR(dns::name_len_at(bytes{self}, 12),
                 error::invalid(layer::dns, errc::bad_value, length_source::none, 12, 12, 12));
    // Two labels pointing at each other: the second points forward.
    const auto pair = R"(00 00 00 00 00 01 00 00 00 00 00 00 01 61 c0 10 01 62 c0 0c)"_hex;
    EXPECT_ERROR(dns::name_len_at(bytes{pair}, 12),
                 error::invalid(layer::dns, errc::bad_value, length_source::none, 14, 14, 16));
    // The reader stops at the first bad name and yields nothing after it.
    dns::reader r{dns::view::unchecked(bytes{self})};
    auto e = r.next();
    ASSERT_TRUE(e);
    EXPECT_FALSE(*e);
    EXPECT_FALSE(r.next());
}

TEST(Dns, NameLimits) {
    // 5 labels of 63 bytes: 5 * 64 + 1 = 321 > 255.
    std::vector<std::byte> msg(12);
    for (int l = 0; l < 5; ++l) {
        msg.push_back(std::byte{63});
        for (int i = 0; i < 63; ++i) msg.push_back(std::byte{'x'});
    }
    msg.push_back(std::byte{0});
    EXPECT_ERROR(dns::name_len_at(bytes{msg}, 12), error::invalid(layer::dns, errc::length_too_large,
                                                                  length_source::option_length, 12 + 3 * 64, 255, 257));
    // Label types 01 and 10 (RFC 6891 §5) are not names rawpkt reads.
    const auto extended = R"(00 00 00 00 00 00 00 00 00 00 00 00 41 00)"_hex;
    EXPECT_ERROR(dns::name_len_at(bytes{extended}, 12),
                 error::invalid(layer::dns, errc::unsupported, length_source::none, 12, 0, 0x41));
    // The root name.
    const auto root = R"(00)"_hex;
    EXPECT_EQ(dns::name_len_at(bytes{root}, 0).value(), 1u);
    EXPECT_EQ(dns::name(bytes{root}, 0).to_string(), "<Root>");
}

TEST(Dns, TcpLengthPrefix) {
    const auto seg = R"(00 03 aa bb cc dd)"_hex;
    const auto m = dns::tcp_message(bytes{seg});
    ASSERT_TRUE(m);
    EXPECT_EQ(m->size(), 3u);
    EXPECT_ERROR(dns::tcp_message(bytes{seg}.first(4)),
                 error::truncated(layer::dns, length_source::total_length, 0, 5, 4));
    EXPECT_ERROR(dns::tcp_message(bytes{seg}.first(1)),
                 error::truncated(layer::dns, length_source::fixed_header, 0, 2, 1));
}

TEST(Dns, SettersAndConstexpr) {
    auto msg = response;
    auto v = dns::mut_view::unchecked(mut_bytes{msg});
    v.set_id(0x1234);
    v.set_flags(0x0100);
    EXPECT_EQ(v.id(), 0x1234);
    EXPECT_FALSE(v.is_response());
    static_assert(dns::view::unchecked(bytes{response}).id() == 0x5934);
    static_assert(dns::name_len_at(bytes{response}, 12).value() == 17);
}

} // namespace
