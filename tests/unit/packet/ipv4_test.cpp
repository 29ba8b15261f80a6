// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/ipv4.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// pcapplusplus__ipv4-options.pcap frame 3, from the IPv4 header on:
// Internet Protocol Version 4, Src: 10.0.0.138, Dst: 224.0.0.1
//     0100 .... = Version: 4
//     .... 0110 = Header Length: 24 bytes (6)
//     Differentiated Services Field: 0x00 (DSCP: CS0, ECN: Not-ECT)
//     Total Length: 36
//     Identification: 0x0000 (0)
//     010. .... = Flags: 0x2, Don't fragment
//     ...0 0000 0000 0000 = Fragment Offset: 0
//     Time to Live: 1
//     Protocol: IGMP (2)
//     Header Checksum: 0xfa48
//     Options: (4 bytes), Router Alert
//         IP Option - Router Alert (4 bytes): Router shall examine packet (0)
// Internet Group Management Protocol (8 bytes), then 18 bytes of Ethernet padding.
constexpr auto router_alert = R"(
    46 00 00 24 00 00 40 00 01 02 fa 48 0a 00 00 8a
    e0 00 00 01 94 04 00 00 11 0a ec 78 00 00 00 00
    02 7d 00 00 00 00 00 00 00 00 00 00 00 00)"_hex;

// Frame 4: Record Route (39 bytes, pointer 16: 1.2.3.4, 10.0.0.138,
// 10.0.0.138, then six empty slots), EOL; TCP 0 -> 2693 follows.
// Internet Protocol Version 4, Src: 10.0.0.138, Dst: 10.0.0.6
//     Header Length: 60 bytes (15), Total Length: 80, Flags: DF, TTL 64,
//     Protocol: TCP (6), Header Checksum: 0xead8
constexpr auto record_route = R"(
    4f 00 00 50 00 00 40 00 40 06 ea d8 0a 00 00 8a
    0a 00 00 06 07 27 10 01 02 03 04 0a 00 00 8a 0a
    00 00 8a 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 0a 85
    00 00 00 00 19 28 c7 3a 50 14 00 00 b0 59 00 00)"_hex;

// Frame 6: NOP, Strict Source Route (7 bytes, pointer 4, 0.0.0.0); ICMP echo.
// Internet Protocol Version 4, Src: 10.0.0.6, Dst: 10.0.0.138
//     Header Length: 28 bytes (7), Total Length: 36, Identification: 0x334c,
//     Flags: 0x0, TTL 64, Protocol: ICMP (1), Header Checksum: 0x2871
constexpr auto strict_route = R"(
    47 00 00 24 33 4c 00 00 40 01 28 71 0a 00 00 06
    0a 00 00 8a 01 89 07 04 00 00 00 00 08 00 5d 07
    9a f6 00 02)"_hex;

// Frame 2: Time Stamp (40 bytes, pointer 9, overflow 0, flag 0: time stamps
// only; 82524601 then eight zero slots); ICMP echo follows.
// Internet Protocol Version 4, Src: 10.0.0.6, Dst: 10.0.0.138
//     Header Length: 60 bytes (15), Total Length: 124, Identification: 0x82e1,
//     Flags: DF, TTL 64, Protocol: ICMP (1), Header Checksum: 0x0d44
constexpr auto timestamp = R"(
    4f 00 00 7c 82 e1 40 00 40 01 0d 44 0a 00 00 06
    0a 00 00 8a 44 28 09 00 04 eb 39 b9 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 08 00 e1 a4
    08 5d 00 03 dc 73 ab 58 92 2b 09 00 08 09 0a 0b
    0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b
    1c 1d 1e 1f 20 21 22 23 24 25 26 27 28 29 2a 2b
    2c 2d 2e 2f 30 31 32 33 34 35 36 37)"_hex;

constexpr ipv4::address addr(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) { return {{a, b, c, d}}; }

// Accessors are usable in constant expressions.
static_assert(ipv4::view::checked(router_alert).has_value());
static_assert(ipv4::view::checked(router_alert)->header_len() == 24);
static_assert(ipv4::view::checked(router_alert)->dst() == addr(224, 0, 0, 1));
static_assert(ipv4::view::checked(router_alert)->checksum_ok());
static_assert(ipv4::view::checked(bytes{router_alert}.first(19)).error().code == errc::truncated);

TEST(Ipv4, ReadsEveryField) {
    const auto v = ipv4::view::checked(router_alert);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->version(), 4);
    EXPECT_EQ(v->ihl(), 6);
    EXPECT_EQ(v->header_len(), 24u);
    EXPECT_EQ(v->dscp(), 0);
    EXPECT_EQ(v->ecn(), 0);
    EXPECT_EQ(v->tos(), 0);
    EXPECT_EQ(v->total_len(), 36);
    EXPECT_EQ(v->ident(), 0);
    EXPECT_EQ(v->flags(), 0x4000);
    EXPECT_FALSE(v->reserved_flag());
    EXPECT_TRUE(v->dont_fragment());
    EXPECT_FALSE(v->more_fragments());
    EXPECT_EQ(v->frag_offset(), 0u);
    EXPECT_FALSE(v->is_fragment());
    EXPECT_EQ(v->ttl(), 1);
    EXPECT_EQ(v->protocol(), ip_proto::igmp);
    EXPECT_EQ(v->checksum(), 0xfa48);
    EXPECT_TRUE(v->checksum_ok());
    EXPECT_EQ(v->compute_checksum(), 0xfa48);
    EXPECT_EQ(v->src(), addr(10, 0, 0, 138));
    EXPECT_EQ(v->dst(), addr(224, 0, 0, 1));
    EXPECT_EQ(v->src().to_string(), "10.0.0.138");
    EXPECT_TRUE(v->is_complete());
    // The payload stops at the total length: Ethernet padding is not payload.
    EXPECT_EQ(v->payload().size(), 12u);
    EXPECT_EQ(v->payload().data(), router_alert.data() + 24);
    EXPECT_EQ(v->header().size(), 24u);
}

TEST(Ipv4, RouterAlertOption) {
    const auto v = ipv4::view::checked(router_alert);
    ASSERT_TRUE(v);
    std::vector<ipv4::option> opts;
    for (const auto& o : v->options()) {
        ASSERT_TRUE(o);
        opts.push_back(*o);
    }
    ASSERT_EQ(opts.size(), 1u);
    EXPECT_EQ(opts[0].kind, ipv4::option_kind::router_alert);
    EXPECT_EQ(opts[0].length, 4);
    EXPECT_EQ(opts[0].offset, 20u);
    EXPECT_EQ(opts[0].router_alert_value(), 0);
}

TEST(Ipv4, RecordRouteOption) {
    const auto v = ipv4::view::checked(record_route);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->header_len(), 60u);
    EXPECT_EQ(v->protocol(), ip_proto::tcp);
    EXPECT_TRUE(v->checksum_ok());
    auto it = v->options().begin();
    ASSERT_TRUE(*it);
    EXPECT_EQ((*it)->kind, ipv4::option_kind::record_route);
    EXPECT_EQ((*it)->length, 39);
    EXPECT_EQ((*it)->pointer(), 16);
    ASSERT_EQ((*it)->route_count(), 9u);
    EXPECT_EQ((*it)->route(0), addr(1, 2, 3, 4));
    EXPECT_EQ((*it)->route(1), addr(10, 0, 0, 138));
    EXPECT_EQ((*it)->route(2), addr(10, 0, 0, 138));
    EXPECT_EQ((*it)->route(3), addr(0, 0, 0, 0));
    ++it;
    ASSERT_TRUE(*it);
    EXPECT_EQ((*it)->kind, ipv4::option_kind::end_of_list);
    EXPECT_EQ((*it)->offset, 59u);
    ++it;
    EXPECT_TRUE(it == v->options().end());
    EXPECT_TRUE(v->options().validate());
}

TEST(Ipv4, NopAndStrictSourceRoute) {
    const auto v = ipv4::view::checked(strict_route);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->ident(), 0x334c);
    EXPECT_EQ(v->flags(), 0);
    std::vector<ipv4::option> opts;
    for (const auto& o : v->options()) {
        ASSERT_TRUE(o);
        opts.push_back(*o);
    }
    ASSERT_EQ(opts.size(), 2u);
    EXPECT_EQ(opts[0].kind, ipv4::option_kind::nop);
    EXPECT_EQ(opts[1].kind, ipv4::option_kind::ssrr);
    EXPECT_EQ(opts[1].length, 7);
    EXPECT_EQ(opts[1].pointer(), 4);
    ASSERT_EQ(opts[1].route_count(), 1u);
    EXPECT_EQ(opts[1].route(0), addr(0, 0, 0, 0));
}

TEST(Ipv4, TimestampOption) {
    const auto v = ipv4::view::checked(timestamp);
    ASSERT_TRUE(v);
    auto o = *v->options().begin();
    ASSERT_TRUE(o);
    EXPECT_EQ(o->kind, ipv4::option_kind::timestamp);
    EXPECT_EQ(o->length, 40);
    EXPECT_EQ(o->pointer(), 9);
    EXPECT_EQ(o->ts_overflow(), 0);
    EXPECT_EQ(o->ts_flag(), 0);
    ASSERT_EQ(o->ts_count(), 9u);
    EXPECT_EQ(o->ts_timestamp(0), 82524601u);
    EXPECT_EQ(o->ts_timestamp(8), 0u);
}

TEST(Ipv4, EveryTruncationIsRejectedWithTheExactError) {
    for (std::size_t n = 0; n < record_route.size(); ++n) {
        const bytes cut = bytes{record_route}.first(n);
        const auto v = ipv4::view::checked(cut);
        ASSERT_FALSE(v) << n;
        if (n < 20) {
            EXPECT_EQ(v.error(), error::truncated(layer::ipv4, length_source::fixed_header, 0, 20, n));
        } else if (n < 60) {
            EXPECT_EQ(v.error(), error::truncated(layer::ipv4, length_source::header_length, 0, 60, n));
        } else {
            EXPECT_EQ(v.error(), error::truncated(layer::ipv4, length_source::total_length, 0, 80, n));
            // The header alone is intact: checked_header() accepts it and the
            // payload is what was captured.
            const auto h = ipv4::view::checked_header(cut);
            ASSERT_TRUE(h);
            EXPECT_FALSE(h->is_complete());
            EXPECT_EQ(h->payload().size(), n - 60);
        }
    }
}

TEST(Ipv4, RejectsBadVersion) {
    auto pkt = copy_of(router_alert);
    pkt[0] = std::byte{0x66};
    EXPECT_ERROR(ipv4::view::checked(pkt),
                 error::invalid(layer::ipv4, errc::bad_version, length_source::none, 0, 4, 6));
}

TEST(Ipv4, RejectsHeaderLengthBelowTwenty) {
    auto pkt = copy_of(router_alert);
    pkt[0] = std::byte{0x44};
    EXPECT_ERROR(ipv4::view::checked(pkt),
                 error::invalid(layer::ipv4, errc::length_too_small, length_source::header_length, 0, 20, 16));
}

TEST(Ipv4, RejectsTotalLengthBelowHeaderLength) {
    auto pkt = copy_of(router_alert);
    pkt[3] = std::byte{20}; // total length 20 < header length 24
    EXPECT_ERROR(ipv4::view::checked(pkt),
                 error::invalid(layer::ipv4, errc::length_too_small, length_source::total_length, 2, 24, 20));
}

TEST(Ipv4, ZeroTotalLengthMeansTheWholeBuffer) {
    // TSO and BIG TCP captures carry a total length of 0.
    auto pkt = copy_of(record_route);
    pkt[2] = pkt[3] = std::byte{0};
    const auto v = ipv4::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->datagram_len(), record_route.size());
    EXPECT_EQ(v->payload().size(), record_route.size() - 60);
}

TEST(Ipv4, OptionRejectionRules) {
    struct bad_option {
        const char* what;
        std::vector<std::uint8_t> opts; // exactly 4 bytes of options
        error expected;
    };
    const std::vector<bad_option> cases = {
        {"length below 2",
         {0x07, 0x01, 0x00, 0x00},
         error::invalid(layer::ipv4_option, errc::length_too_small, length_source::option_length, 21, 2, 1)},
        {"length past the header",
         {0x01, 0x07, 0x08, 0x04},
         error::truncated(layer::ipv4_option, length_source::option_length, 21, 8, 3)},
        {"no room for the length octet",
         {0x01, 0x01, 0x01, 0x44},
         error::truncated(layer::ipv4_option, length_source::option_length, 23, 2, 1)},
        {"record route shorter than 3",
         {0x07, 0x02, 0x00, 0x00},
         error::invalid(layer::ipv4_option, errc::length_too_small, length_source::option_length, 21, 3, 2)},
        {"timestamp shorter than 4",
         {0x44, 0x03, 0x05, 0x00},
         error::invalid(layer::ipv4_option, errc::length_too_small, length_source::option_length, 21, 4, 3)},
        {"router alert not 4",
         {0x94, 0x03, 0x00, 0x00},
         error::invalid(layer::ipv4_option, errc::length_too_small, length_source::option_length, 21, 4, 3)},
    };
    for (const auto& c : cases) {
        auto pkt = copy_of(router_alert);
        for (std::size_t i = 0; i < 4; ++i) pkt[20 + i] = static_cast<std::byte>(c.opts[i]);
        const auto v = ipv4::view::checked(pkt);
        ASSERT_TRUE(v) << c.what; // the header is fine; options are checked lazily
        EXPECT_EQ(v->options().validate().error(), c.expected) << c.what;
        EXPECT_EQ(ipv4::repr::parse(*v).error(), c.expected) << c.what;
        // The iterator yields the error once and ends.
        std::size_t seen = 0;
        for (const auto& o : v->options()) {
            ++seen;
            ASSERT_LE(seen, 4u);
            if (!o) {
                EXPECT_EQ(o.error(), c.expected);
            }
        }
    }
}

TEST(Ipv4, ReprRejectsReservedFlag) {
    auto pkt = copy_of(router_alert);
    pkt[6] = std::byte{0xc0};
    const auto v = ipv4::view::checked(pkt);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->reserved_flag());
    EXPECT_ERROR(ipv4::repr::parse(*v), error::invalid(layer::ipv4, errc::bad_value, length_source::none, 6, 0, 1));
}

TEST(Ipv4, SetEveryFieldThenCompare) {
    std::array<std::byte, 24> buf{};
    auto v = ipv4::mut_view::unchecked(buf);
    v.set_version(4);
    v.set_header_len(24);
    v.set_dscp(0x2e);
    v.set_ecn(1);
    v.set_total_len(24);
    v.set_ident(0xbeef);
    v.set_reserved_flag(true);
    v.set_dont_fragment(false);
    v.set_more_fragments(true);
    v.set_frag_offset(1480);
    v.set_ttl(17);
    v.set_protocol(ip_proto::udp);
    v.set_src(addr(192, 0, 2, 1));
    v.set_dst(addr(198, 51, 100, 7));
    v.fill_checksum();
    const ipv4::view r = v;
    EXPECT_EQ(r.version(), 4);
    EXPECT_EQ(r.header_len(), 24u);
    EXPECT_EQ(r.dscp(), 0x2e);
    EXPECT_EQ(r.ecn(), 1);
    EXPECT_EQ(r.total_len(), 24);
    EXPECT_EQ(r.ident(), 0xbeef);
    EXPECT_TRUE(r.reserved_flag());
    EXPECT_FALSE(r.dont_fragment());
    EXPECT_TRUE(r.more_fragments());
    EXPECT_EQ(r.frag_offset(), 1480u);
    EXPECT_EQ(r.frag_offset_units(), 185);
    EXPECT_TRUE(r.is_fragment());
    EXPECT_TRUE(r.is_later_fragment());
    EXPECT_EQ(r.ttl(), 17);
    EXPECT_EQ(r.protocol(), ip_proto::udp);
    EXPECT_EQ(r.src(), addr(192, 0, 2, 1));
    EXPECT_EQ(r.dst(), addr(198, 51, 100, 7));
    EXPECT_TRUE(r.checksum_ok());
    // Setting one field leaves its neighbours alone.
    v.set_dont_fragment(true);
    EXPECT_TRUE(r.more_fragments());
    EXPECT_TRUE(r.reserved_flag());
    EXPECT_EQ(r.frag_offset(), 1480u);
    v.set_ecn(2);
    EXPECT_EQ(r.dscp(), 0x2e);
}

TEST(Ipv4, DecrementTtlUpdatesChecksumIncrementally) {
    auto pkt = copy_of(timestamp);
    auto v = ipv4::mut_view::unchecked(pkt);
    for (int i = 0; i < 64; ++i) {
        v.decrement_ttl();
        ASSERT_TRUE(v.checksum_ok()) << i;
        ASSERT_EQ(v.checksum(), v.compute_checksum());
    }
    EXPECT_EQ(v.ttl(), 0);
}

TEST(Ipv4, ReprRoundTripReproducesTheHeaderBytes) {
    for (const bytes pkt : {bytes{router_alert}, bytes{record_route}, bytes{strict_route}, bytes{timestamp}}) {
        const auto v = ipv4::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = ipv4::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), v->header_len());
        EXPECT_EQ(r->buffer_len(), v->total_len());
        std::vector<std::byte> out(r->header_len());
        r->emit(ipv4::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin())) << v->src().to_string();
        // ...and the emitted header parses back to the same repr.
        std::vector<std::byte> full(pkt.begin(), pkt.end());
        std::copy(out.begin(), out.end(), full.begin());
        const auto again = ipv4::repr::parse(*ipv4::view::checked(full));
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *r);
    }
}

TEST(Ipv4, ReprEmitPadsOptions) {
    ipv4::repr r;
    r.src = addr(10, 0, 0, 1);
    r.dst = addr(10, 0, 0, 2);
    r.protocol = ip_proto::icmp;
    r.payload_len = 8;
    const auto ra = make_bytes(0x94, 0x04, 0x00);
    ASSERT_TRUE(r.options.set(bytes{ra}.first(3)));
    EXPECT_EQ(r.header_len(), 24u);
    EXPECT_EQ(r.buffer_len(), 32u);
    std::array<std::byte, 32> buf{};
    buf.fill(std::byte{0xaa});
    r.emit(ipv4::mut_view::unchecked(buf));
    const auto v = ipv4::view::checked(buf);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->total_len(), 32);
    EXPECT_EQ(buf[23], std::byte{0}); // padding is EOL
    EXPECT_TRUE(v->checksum_ok());
    EXPECT_TRUE(v->options().validate());
    std::array<std::byte, 41> too_many{};
    EXPECT_FALSE(r.options.set(too_many));
    EXPECT_EQ(r.options.size(), 3u); // a refused set() changes nothing
}

TEST(Ipv4, ReprOptionsCannotExceedTheirStorage) {
    // The options are a small_bytes<40>: no length field a caller can set
    // past the storage, and emit() writes at most a 60-byte header.
    ipv4::repr r;
    static_assert(decltype(r.options)::capacity() == 40);
    std::array<std::byte, 40> full{};
    full.fill(std::byte{0x01}); // NOPs
    ASSERT_TRUE(r.options.set(full));
    EXPECT_FALSE(r.options.append(make_bytes(0x01)));
    EXPECT_EQ(r.header_len(), 60u);
    std::array<std::byte, 60> buf{};
    r.emit(ipv4::mut_view::unchecked(buf));
    const auto v = ipv4::view::checked_header(buf);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->header_len(), 60u);
    EXPECT_TRUE(v->options().validate());
    const auto again = ipv4::repr::parse(*v);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->options, r.options);
}

TEST(Ipv4, OptionAccessorsNeverReadOutsideTheOption) {
    // Every accessor on every option of the real frames, with indexes past
    // the entries: the values are 0 / the zero address where the kind or
    // index does not match. Under RAWPKT_CHECK_BOUNDS (the sanitizer build)
    // a read outside `data` would abort.
    for (const bytes pkt : {bytes{router_alert}, bytes{record_route}, bytes{strict_route}, bytes{timestamp}}) {
        const auto v = ipv4::view::checked(pkt);
        ASSERT_TRUE(v);
        for (const auto& o : v->options()) {
            ASSERT_TRUE(o);
            const bool route = o->kind == ipv4::option_kind::record_route || o->kind == ipv4::option_kind::lsrr ||
                               o->kind == ipv4::option_kind::ssrr;
            const bool ts = o->kind == ipv4::option_kind::timestamp;
            if (!route) {
                EXPECT_EQ(o->route_count(), 0u);
            }
            if (!ts) {
                EXPECT_EQ(o->ts_count(), 0u);
                EXPECT_EQ(o->ts_flag(), 0);
                EXPECT_EQ(o->ts_overflow(), 0);
            }
            if (o->kind != ipv4::option_kind::router_alert) {
                EXPECT_EQ(o->router_alert_value(), 0);
            }
            for (std::size_t i = 0; i < 20; ++i) {
                if (i >= o->route_count()) {
                    EXPECT_EQ(o->route(i), addr(0, 0, 0, 0));
                }
                if (i >= o->ts_count()) {
                    EXPECT_EQ(o->ts_timestamp(i), 0u);
                    EXPECT_EQ(o->ts_address(i), addr(0, 0, 0, 0));
                }
            }
        }
    }
}

TEST(Ipv4, OptionAccessorsOnShortData) {
    // Options whose data is shorter than the accessor's field, built by
    // hand (parse_option() would refuse some of them): no accessor reads
    // past `data`, ts_count() does not underflow.
    const auto one = make_bytes(0x05);
    for (const auto kind : {ipv4::option_kind::timestamp, ipv4::option_kind::router_alert,
                            ipv4::option_kind::record_route, ipv4::option_kind::nop}) {
        for (const bytes data : {bytes{}, bytes{one}}) {
            const ipv4::option o{kind, static_cast<std::uint8_t>(2 + data.size()), 20, data};
            EXPECT_EQ(o.ts_count(), 0u);
            EXPECT_EQ(o.ts_flag(), 0);
            EXPECT_EQ(o.ts_overflow(), 0);
            EXPECT_EQ(o.ts_timestamp(0), 0u);
            EXPECT_EQ(o.ts_address(0), addr(0, 0, 0, 0));
            EXPECT_EQ(o.router_alert_value(), 0);
            EXPECT_EQ(o.route_count(), 0u);
            EXPECT_EQ(o.route(0), addr(0, 0, 0, 0));
            EXPECT_EQ(o.pointer(), data.empty() ? 0 : 5);
        }
    }
    // The timestamp option of frame 2 with flag 1 (address + timestamp):
    // 36 bytes of entries make 4 pairs, and entry 4 is past them.
    auto pkt = copy_of(timestamp);
    pkt[23] = std::byte{0x01};
    const auto v = ipv4::view::checked(pkt);
    ASSERT_TRUE(v);
    const auto o = *v->options().begin();
    ASSERT_TRUE(o);
    EXPECT_EQ(o->ts_flag(), 1);
    ASSERT_EQ(o->ts_count(), 4u);
    EXPECT_EQ(o->ts_address(0), addr(4, 235, 57, 185));
    EXPECT_EQ(o->ts_timestamp(0), 0u);
    EXPECT_EQ(o->ts_address(4), addr(0, 0, 0, 0));
    EXPECT_EQ(o->ts_timestamp(4), 0u);
}

TEST(Ipv4, ErrorMessagesArePrecise) {
    const auto v = ipv4::view::checked(bytes{record_route}.first(40));
    EXPECT_EQ(to_string(v.error()), "ipv4: truncated at offset 0: header length field needs 60 bytes, 40 available");
}

} // namespace
