// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/dns.hpp>

#include "support/golden_frames.hpp"
#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using namespace rawpkt;
using rawpkt::test::operator""_hex;

// A real response (tcpdump's dns_udp.pcap, frame 2, the UDP payload; its
// dissection is in golden_frames.hpp).
constexpr const auto& response = rawpkt::test::frames::dns_response;

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

// The records of a message, in order (questions left out).
std::vector<dns::record> records_of(bytes msg) {
    std::vector<dns::record> out;
    dns::reader r{dns::view::checked(msg).value()};
    while (auto e = r.next()) {
        EXPECT_TRUE(*e) << to_string((*e).error());
        if (!*e) break;
        if ((*e)->section != dns::section::question) out.push_back((*e)->record);
    }
    return out;
}

// The record with its RDATA cut to n bytes (the message ends there too).
dns::record cut(dns::record r, std::size_t n) {
    r.data = r.data.first(n);
    r.message = r.message.first(r.data_offset + n);
    return r;
}

// PcapPlusPlus' DnsPackets.pcap, frame 181 (UDP payload). tshark 4.0:
//   Transaction ID: 0x89a8, Flags: 0x8180, Questions: 1, Answer RRs: 2
//   Queries: www.mora.fr: type A, class IN
//   Answers: www.mora.fr: type CNAME, class IN, cname mora.fr (TTL 10800, Data length: 2)
//            mora.fr: type A, class IN, addr 81.88.57.89
constexpr auto cname_response = R"(
    89 a8 81 80 00 01 00 02 00 00 00 00 03 77 77 77 04 6d 6f 72 61 02 66 72 00 00 01 00 01 c0 0c 00
    05 00 01 00 00 2a 30 00 02 c0 10 c0 10 00 01 00 01 00 00 2a 30 00 04 51 58 39 59)"_hex;

// PcapPlusPlus' many_interfaces-1.pcapng, frame 19 (UDP payload). tshark 4.0:
//   Transaction ID: 0x2393, Flags: 0x8580, Questions: 1, Answer RRs: 1
//   Queries: 1.1.168.192.in-addr.arpa: type PTR, class IN
//   Answers: 1.1.168.192.in-addr.arpa: type PTR, class IN, kaplake (TTL 0, Data length: 9)
constexpr auto ptr_response = R"(
    23 93 85 80 00 01 00 01 00 00 00 00 01 31 01 31 03 31 36 38 03 31 39 32 07 69 6e 2d 61 64 64 72
    04 61 72 70 61 00 00 0c 00 01 c0 0c 00 0c 00 01 00 00 00 00 00 09 07 6b 61 70 6c 61 6b 65 00)"_hex;

// PcapPlusPlus' many_interfaces-1.pcapng, frame 9 (UDP payload). tshark 4.0:
//   Transaction ID: 0xf1ea, Flags: 0x8580, Questions: 1, Authority RRs: 1
//   Queries: 255.255.255.255.in-addr.arpa: type PTR, class IN
//   Authoritative nameservers: 255.255.255.255.IN-ADDR.ARPA: type SOA, class IN (TTL 86400, Data length: 23)
//     Primary name server: 255.255.255.255.IN-ADDR.ARPA
//     Responsible authority's mailbox: <Root>
//     Serial Number: 0, Refresh Interval: 28800, Retry Interval: 7200, Expire limit: 604800, Minimum TTL: 86400
constexpr auto soa_response = R"(
    f1 ea 85 80 00 01 00 00 00 01 00 00 03 32 35 35 03 32 35 35 03 32 35 35 03 32 35 35 07 69 6e 2d
    61 64 64 72 04 61 72 70 61 00 00 0c 00 01 03 32 35 35 03 32 35 35 03 32 35 35 03 32 35 35 07 49
    4e 2d 41 44 44 52 04 41 52 50 41 00 00 06 00 01 00 01 51 80 00 17 c0 2e 00 00 00 00 00 00 00 70
    80 00 00 1c 20 00 09 3a 80 00 01 51 80)"_hex;

// tcpdump's edns-opts.pcap, frame 41 (UDP payload). tshark 4.0:
//   Transaction ID: 0x42e2, Flags: 0x0120, Questions: 1, Additional RRs: 1
//   Queries: example.com: type A, class IN
//   Additional records: <Root>: type OPT, UDP payload size: 4096, Higher bits in extended RCODE: 0x00,
//     EDNS0 version: 0, Z: 0x8000 (DO bit: 1), Data length: 32
//     Option: CHAIN (13), Length: 5, Data: 03636f6d00
//     Option: DHU (6), Length: 1, Data: 03
//     Option: PADDING (12), Length: 4, Data: 00000000
//     Option: NSID (3), Length: 6, Data: aabbccddeeff
constexpr auto edns_query = R"(
    42 e2 01 20 00 01 00 00 00 00 00 01 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 01 00 01 00 00 29
    10 00 00 00 80 00 00 20 00 0d 00 05 03 63 6f 6d 00 00 06 00 01 03 00 0c 00 04 00 00 00 00 00 03
    00 06 aa bb cc dd ee ff)"_hex;

// No capture of the corpus has MX, TXT or SRV records: a response written
// for this test, checked with tshark 4.0 (written to a pcap behind UDP):
//   Transaction ID: 0x1234, Flags: 0x8180, Questions: 1, Answer RRs: 3
//   Queries: example.org: type ANY, class IN
//   Answers:
//     example.org: type MX, class IN, preference 10, mx mail.example.org (TTL 3600, Data length: 9)
//     example.org: type TXT, class IN (TTL 300, Data length: 16)
//       TXT Length: 11, TXT: v=spf1 -all; TXT Length: 2, TXT: hi; TXT Length: 0, TXT:
//     example.org: type SRV, class IN, priority 10, weight 60, port 5060, target sip.example.org
//       (TTL 86400, Data length: 12)
constexpr auto mx_txt_srv = R"(
    12 34 81 80 00 01 00 03 00 00 00 00 07 65 78 61 6d 70 6c 65 03 6f 72 67 00 00 ff 00 01
    c0 0c 00 0f 00 01 00 00 0e 10 00 09 00 0a 04 6d 61 69 6c c0 0c
    c0 0c 00 10 00 01 00 00 01 2c 00 10 0b 76 3d 73 70 66 31 20 2d 61 6c 6c 02 68 69 00
    c0 0c 00 21 00 01 00 01 51 80 00 0c 00 0a 00 3c 13 c4 03 73 69 70 c0 0c)"_hex;

TEST(Dns, CnameNsPtrNames) {
    const auto c = records_of(bytes{cname_response});
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].cname().value().to_string(), "mora.fr");
    EXPECT_EQ(c[1].a().value().to_string(), "81.88.57.89");
    const auto p = records_of(bytes{ptr_response});
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].name.to_string(), "1.1.168.192.in-addr.arpa");
    EXPECT_EQ(p[0].ptr().value().to_string(), "kaplake");
    const auto n = records_of(bytes{response}); // dns_udp.pcap above
    EXPECT_EQ(n[2].ns().value().to_string(), "sns.cooperix.net");
    EXPECT_EQ(n[3].ns().value().to_string(), "nic.sandelman.ca");
    // Asking for another type names the TYPE field and both types.
    EXPECT_ERROR(c[0].ptr(), error::invalid(layer::dns, errc::bad_value, length_source::none, 31, 12, 5));
    EXPECT_ERROR(c[1].cname(), error::invalid(layer::dns, errc::bad_value, length_source::none, 45, 5, 1));
}

TEST(Dns, Soa) {
    const auto r = records_of(bytes{soa_response});
    ASSERT_EQ(r.size(), 1u);
    const auto soa = r[0].soa();
    ASSERT_TRUE(soa) << to_string(soa.error());
    EXPECT_EQ(soa->mname.to_string(), "255.255.255.255.IN-ADDR.ARPA");
    EXPECT_EQ(soa->rname.to_string(), "<Root>");
    EXPECT_EQ(soa->serial, 0u);
    EXPECT_EQ(soa->refresh, 28800u);
    EXPECT_EQ(soa->retry, 7200u);
    EXPECT_EQ(soa->expire, 604800u);
    EXPECT_EQ(soa->minimum, 86400u);
}

TEST(Dns, MxTxtSrv) {
    const auto r = records_of(bytes{mx_txt_srv});
    ASSERT_EQ(r.size(), 3u);
    const auto mx = r[0].mx();
    ASSERT_TRUE(mx) << to_string(mx.error());
    EXPECT_EQ(mx->preference, 10);
    EXPECT_EQ(mx->exchange.to_string(), "mail.example.org");

    const auto txt = r[1].txt();
    ASSERT_TRUE(txt);
    std::vector<std::string> strings;
    std::vector<std::size_t> offsets;
    for (const auto& s : *txt) {
        ASSERT_TRUE(s) << to_string(s.error());
        strings.emplace_back(reinterpret_cast<const char*>(s->text.data()), s->text.size());
        offsets.push_back(s->offset);
    }
    EXPECT_EQ(strings, (std::vector<std::string>{"v=spf1 -all", "hi", ""}));
    EXPECT_EQ(offsets, (std::vector<std::size_t>{62, 74, 77}));

    const auto srv = r[2].srv();
    ASSERT_TRUE(srv) << to_string(srv.error());
    EXPECT_EQ(srv->priority, 10);
    EXPECT_EQ(srv->weight, 60);
    EXPECT_EQ(srv->port, 5060);
    EXPECT_EQ(srv->target.to_string(), "sip.example.org");
    EXPECT_ERROR(r[2].mx(), error::invalid(layer::dns, errc::bad_value, length_source::none, 80, 15, 33));
}

TEST(Dns, OptPseudoRecord) {
    const auto r = records_of(bytes{edns_query});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].name.to_string(), "<Root>");
    const auto opt = r[0].opt();
    ASSERT_TRUE(opt);
    EXPECT_EQ(opt->udp_payload_size, 4096);
    EXPECT_EQ(opt->extended_rcode, 0);
    EXPECT_EQ(opt->version, 0);
    EXPECT_TRUE(opt->dnssec_ok);
    EXPECT_EQ(opt->z, 0);
    EXPECT_EQ(opt->rcode(3), 3);
    std::vector<std::uint16_t> codes;
    std::vector<std::size_t> lengths;
    for (const auto& o : opt->options) {
        ASSERT_TRUE(o) << to_string(o.error());
        codes.push_back(o->code);
        lengths.push_back(o->data.size());
    }
    EXPECT_EQ(codes, (std::vector<std::uint16_t>{13, 6, 12, 3}));
    EXPECT_EQ(lengths, (std::vector<std::size_t>{5, 1, 4, 6}));
    // Extended RCODE 0x01 and version 1 from a TTL of 0x01018000: RCODE
    // BADVERS (16) with a header RCODE of 0 (RFC 6891 §9).
    dns::record bad = r[0];
    bad.ttl = 0x01018000;
    EXPECT_EQ(bad.opt()->rcode(0), 16);
    EXPECT_EQ(bad.opt()->version, 1);
}

TEST(Dns, EveryTruncatedRdataRejected) {
    const auto cn = records_of(bytes{cname_response})[0];
    const auto ptr = records_of(bytes{ptr_response})[0];
    const auto soa = records_of(bytes{soa_response})[0];
    const auto mts = records_of(bytes{mx_txt_srv});
    for (std::size_t n = 0; n < cn.data.size(); ++n) EXPECT_EQ(cut(cn, n).cname().error().code, errc::truncated) << n;
    for (std::size_t n = 0; n < ptr.data.size(); ++n) EXPECT_EQ(cut(ptr, n).ptr().error().code, errc::truncated) << n;
    for (std::size_t n = 0; n < soa.data.size(); ++n) EXPECT_EQ(cut(soa, n).soa().error().code, errc::truncated) << n;
    for (std::size_t n = 0; n < mts[0].data.size(); ++n) {
        EXPECT_EQ(cut(mts[0], n).mx().error().code, errc::truncated) << n;
    }
    for (std::size_t n = 0; n < mts[2].data.size(); ++n) {
        EXPECT_EQ(cut(mts[2], n).srv().error().code, errc::truncated) << n;
    }
    // The fixed parts name the RDATA and how much they need.
    EXPECT_ERROR(cut(mts[0], 1).mx(), error::truncated(layer::dns, length_source::payload_length, 41, 2, 1));
    EXPECT_ERROR(cut(soa, 10).soa(), error::truncated(layer::dns, length_source::payload_length, 86, 23, 10));
    // A name cut inside its pointer.
    EXPECT_ERROR(cut(ptr, 8).ptr(), error::truncated(layer::dns, length_source::option_length, 62, 63, 62));
    // TXT and OPT: a cut between two items leaves a shorter valid list;
    // any other cut ends the iteration with an error.
    const auto check_list = [](const auto& range, std::size_t n, const std::vector<std::size_t>& ends) {
        bool failed = false;
        for (const auto& item : range) {
            if (!item) {
                EXPECT_EQ(item.error().code, errc::truncated) << n;
                failed = true;
            }
        }
        const bool boundary = n == 0 || std::find(ends.begin(), ends.end(), n) != ends.end();
        EXPECT_EQ(failed, !boundary) << n;
    };
    for (std::size_t n = 0; n < mts[1].data.size(); ++n) check_list(*cut(mts[1], n).txt(), n, {12, 15});
    const auto opt = records_of(bytes{edns_query})[0];
    for (std::size_t n = 0; n < opt.data.size(); ++n) check_list(cut(opt, n).opt()->options, n, {9, 14, 22});
    // RDATA that claims more than the message holds.
    dns::record past = cn;
    past.data = bytes{cname_response}.subspan(cn.data_offset, 4);
    past.message = bytes{cname_response}.first(cn.data_offset + 3);
    EXPECT_ERROR(past.cname(), error::truncated(layer::dns, length_source::payload_length, 39, 45, 44));
}

TEST(Dns, RdataLongerThanItsFields) {
    // The CNAME record of cname_response with RDLENGTH 3: one byte after
    // the name.
    const auto msg = R"(
        89 a8 81 80 00 01 00 01 00 00 00 00 03 77 77 77 04 6d 6f 72 61 02 66 72 00 00 01 00 01 c0 0c 00
        05 00 01 00 00 2a 30 00 03 c0 10 00)"_hex;
    const auto r = records_of(bytes{msg});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_ERROR(r[0].cname(),
                 error::invalid(layer::dns, errc::length_too_large, length_source::payload_length, 39, 2, 3));
    // A name in RDATA may not point into itself or after itself.
    const auto loop = R"(
        00 00 81 80 00 00 00 01 00 00 00 00 00 00 05 00 01 00 00 00 00 00 02 c0 17)"_hex;
    const auto l = records_of(bytes{loop});
    ASSERT_EQ(l.size(), 1u);
    EXPECT_ERROR(l[0].cname(), error::invalid(layer::dns, errc::bad_value, length_source::none, 23, 23, 23));
}

TEST(Dns, UnknownTypesStayBytes) {
    // dns_over_tcp.pcapng carries RRSIG (46) records; any type rawpkt does
    // not read keeps its RDATA as bytes, and the typed readers refuse it.
    const auto r = records_of(bytes{mx_txt_srv});
    dns::record other = r[1];
    other.type = 99;
    EXPECT_EQ(other.data.size(), 16u);
    EXPECT_FALSE(other.txt());
    EXPECT_FALSE(other.opt());
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
