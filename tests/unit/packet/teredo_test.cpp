// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/packet/teredo.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// No capture in the corpus carries Teredo: every packet here is crafted by
// hand from RFC 4380 §5.1.1 and checked with tshark 4.0 (UDP port 3544).

// A bubble from a Teredo server to a client, with the origin indication
// (port 40000 and 192.0.2.45, every bit inverted):
// Teredo IPv6 over UDP tunneling
//     Teredo Origin Indication header
//         Origin UDP port: 40000
//         Origin IPv4 address: 192.0.2.45
// Internet Protocol Version 6, Src: 2001:0:c000:201:0:63bf:3fff:fdd2, Dst: 2001:0:c000:201:8000:f227:62ff:fefe
//     Payload Length: 0
//     Next Header: No Next Header for IPv6 (59)
//     Hop Limit: 21
constexpr auto origin_bubble = R"(
    00 00 63 bf 3f ff fd d2 60 00 00 00 00 00 3b 15
    20 01 00 00 c0 00 02 01 00 00 63 bf 3f ff fd d2
    20 01 00 00 c0 00 02 01 80 00 f2 27 62 ff fe fe)"_hex;

// A client's router solicitation during qualification, with an
// authentication indicator without client identifier or value:
// Teredo IPv6 over UDP tunneling
//     Teredo Authentication header
//         Client identifier length: 0
//         Authentication value length: 0
//         Nonce value: 0123456789abcdef
//         Confirmation byte: 00
// Internet Protocol Version 6, Src: fe80::8000:ffff:ffff:fffd, Dst: ff02::2
//     Payload Length: 8
//     Next Header: ICMPv6 (58)
// Internet Control Message Protocol v6
//     Type: Router Solicitation (133)
//     Checksum: 0xfd38 [correct]
constexpr auto auth_solicitation = R"(
    00 01 00 00 01 23 45 67 89 ab cd ef 00 60 00 00
    00 00 08 3a ff fe 80 00 00 00 00 00 00 80 00 ff
    ff ff ff ff fd ff 02 00 00 00 00 00 00 00 00 00
    00 00 00 00 02 85 00 fd 38 00 00 00 00)"_hex;

// Both indicators, the authentication one with a client identifier and an
// authentication value:
// Teredo IPv6 over UDP tunneling
//     Teredo Authentication header
//         Client identifier length: 4
//         Authentication value length: 2
//         Client identifier: c11e4701
//         Authentication value: a0a1
//         Nonce value: fedcba9876543210
//         Confirmation byte: 01
//     Teredo Origin Indication header
//         Origin UDP port: 3544
//         Origin IPv4 address: 198.51.100.7
// Internet Protocol Version 6, Src: 2001:0:c000:201:0:63bf:3fff:fdd2, Dst: 2001:0:c000:201:8000:f227:62ff:fefe
//     Payload Length: 0
//     Next Header: No Next Header for IPv6 (59)
constexpr auto both_indicators = R"(
    00 01 04 02 c1 1e 47 01 a0 a1 fe dc ba 98 76 54
    32 10 01 00 00 f2 27 39 cc 9b f8 60 00 00 00 00
    00 3b 15 20 01 00 00 c0 00 02 01 00 00 63 bf 3f
    ff fd d2 20 01 00 00 c0 00 02 01 80 00 f2 27 62
    ff fe fe)"_hex;

// A plain bubble, no indicator: the origin bubble without its first 8 bytes.
constexpr auto plain_bubble = R"(
    60 00 00 00 00 00 3b 15 20 01 00 00 c0 00 02 01
    00 00 63 bf 3f ff fd d2 20 01 00 00 c0 00 02 01
    80 00 f2 27 62 ff fe fe)"_hex;

constexpr ipv4_address addr(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) { return {{a, b, c, d}}; }

// Accessors are usable in constant expressions.
static_assert(teredo::view::checked(origin_bubble).has_value());
static_assert(teredo::view::checked(origin_bubble)->header_len() == 8);
static_assert(teredo::view::checked(origin_bubble)->origin()->port == 40000);
static_assert(teredo::view::checked(both_indicators)->auth()->nonce == 0xfedcba9876543210u);
static_assert(teredo::view::checked(both_indicators)->header_len() == 27);
static_assert(teredo::view::checked(bytes{plain_bubble}.first(39)).error().code == errc::truncated);
static_assert(teredo::repr::parse(*teredo::view::checked(both_indicators))->origin->address == addr(198, 51, 100, 7));
// So is building.
static_assert([] {
    std::array<std::byte, 48> buf{};
    teredo::repr r;
    r.origin = teredo::origin_indication{3544, addr(192, 0, 2, 1)};
    r.emit(teredo::mut_view::unchecked(buf));
    buf[8] = std::byte{0x60};
    const auto v = teredo::view::checked(buf);
    return v->origin()->port == 3544 && teredo::mut_view::unchecked(buf).payload().size() == 40;
}());

/// Flips up to three random bits of `golden`, and half of the time cuts it
/// at a random length.
std::vector<std::byte> mutate(bytes golden, std::mt19937& rng) {
    std::vector<std::byte> pkt(golden.begin(), golden.end());
    for (unsigned k = rng() % 4; k-- > 0;) pkt[rng() % pkt.size()] ^= static_cast<std::byte>(1u << (rng() % 8));
    if (rng() % 2 != 0) pkt.resize(rng() % (pkt.size() + 1));
    return pkt;
}

TEST(Teredo, OriginIndication) {
    const auto v = teredo::view::checked(origin_bubble);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->has_auth());
    EXPECT_EQ(v->auth_len(), 0u);
    EXPECT_EQ(v->auth(), std::nullopt);
    EXPECT_TRUE(v->has_origin());
    const auto o = v->origin();
    ASSERT_TRUE(o);
    EXPECT_EQ(o->port, 40000);
    EXPECT_EQ(o->address, addr(192, 0, 2, 45));
    EXPECT_EQ(v->header_len(), 8u);
    EXPECT_EQ(v->header().size(), 8u);
    EXPECT_EQ(v->payload().size(), 40u);
    EXPECT_EQ(v->payload().data(), origin_bubble.data() + 8);
}

TEST(Teredo, AuthenticationIndicator) {
    const auto v = teredo::view::checked(auth_solicitation);
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->has_auth());
    EXPECT_EQ(v->auth_len(), 13u);
    const auto a = v->auth();
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->client_id.empty());
    EXPECT_TRUE(a->auth_value.empty());
    EXPECT_EQ(a->nonce, 0x0123456789abcdefu);
    EXPECT_EQ(a->confirmation, 0);
    EXPECT_FALSE(v->has_origin());
    EXPECT_EQ(v->origin(), std::nullopt);
    EXPECT_EQ(v->header_len(), 13u);
    EXPECT_EQ(v->payload().size(), 48u);
    EXPECT_EQ(v->payload()[6], std::byte{58}); // next header: ICMPv6
}

TEST(Teredo, BothIndicators) {
    const auto v = teredo::view::checked(both_indicators);
    ASSERT_TRUE(v);
    const auto a = v->auth();
    ASSERT_TRUE(a);
    EXPECT_EQ(v->auth_len(), 19u);
    ASSERT_EQ(a->client_id.size(), 4u);
    EXPECT_EQ(load_be<std::uint32_t>(a->client_id, 0), 0xc11e4701u);
    ASSERT_EQ(a->auth_value.size(), 2u);
    EXPECT_EQ(load_be<std::uint16_t>(a->auth_value, 0), 0xa0a1);
    EXPECT_EQ(a->nonce, 0xfedcba9876543210u);
    EXPECT_EQ(a->confirmation, 1);
    const auto o = v->origin();
    ASSERT_TRUE(o);
    EXPECT_EQ(o->port, 3544);
    EXPECT_EQ(o->address, addr(198, 51, 100, 7));
    EXPECT_EQ(v->header_len(), 27u);
    EXPECT_EQ(v->payload().size(), 40u);
    EXPECT_EQ(v->payload()[0], std::byte{0x60});
}

TEST(Teredo, NoIndicator) {
    const auto v = teredo::view::checked(plain_bubble);
    ASSERT_TRUE(v);
    EXPECT_FALSE(v->has_auth());
    EXPECT_FALSE(v->has_origin());
    EXPECT_EQ(v->header_len(), 0u);
    EXPECT_TRUE(v->header().empty());
    EXPECT_EQ(v->payload().size(), 40u);
    EXPECT_EQ(v->payload().data(), plain_bubble.data());
}

TEST(Teredo, EveryTruncationIsRejectedWithTheExactError) {
    const auto l = layer::teredo;
    for (std::size_t n = 0; n < both_indicators.size(); ++n) {
        const auto v = teredo::view::checked(bytes{both_indicators}.first(n));
        if (n < 2) {
            // Not even an indicator type: too short for an IPv6 header.
            EXPECT_ERROR(v, error::truncated(l, length_source::fixed_header, 0, 40, n));
        } else if (n < 13) {
            EXPECT_ERROR(v, error::truncated(l, length_source::fixed_header, 0, 13, n));
        } else if (n < 19) {
            EXPECT_ERROR(v, error::truncated(l, length_source::header_length, 0, 19, n));
        } else if (n < 21) {
            // The origin indication's type is not there yet.
            EXPECT_ERROR(v, error::truncated(l, length_source::fixed_header, 19, 40, n - 19));
        } else if (n < 27) {
            EXPECT_ERROR(v, error::truncated(l, length_source::fixed_header, 19, 8, n - 19));
        } else {
            EXPECT_ERROR(v, error::truncated(l, length_source::fixed_header, 27, 40, n - 27));
        }
    }
    for (std::size_t n = 0; n < origin_bubble.size(); ++n) {
        const auto v = teredo::view::checked(bytes{origin_bubble}.first(n));
        if (n < 2) {
            EXPECT_ERROR(v, error::truncated(l, length_source::fixed_header, 0, 40, n));
        } else if (n < 8) {
            EXPECT_ERROR(v, error::truncated(l, length_source::fixed_header, 0, 8, n));
        } else {
            EXPECT_ERROR(v, error::truncated(l, length_source::fixed_header, 8, 40, n - 8));
        }
    }
}

TEST(Teredo, RejectsWhatIsNotIpv6) {
    // A DNS-looking payload on the port: no indicator, version nibble 0.
    std::vector<std::byte> pkt(plain_bubble.begin(), plain_bubble.end());
    pkt[0] = std::byte{0x12};
    EXPECT_ERROR(teredo::view::checked(pkt),
                 error::invalid(layer::teredo, errc::bad_version, length_source::none, 0, 6, 1));
    // IPv4 after the origin indication.
    auto v4 = copy_of(origin_bubble);
    v4[8] = std::byte{0x45};
    EXPECT_ERROR(teredo::view::checked(v4),
                 error::invalid(layer::teredo, errc::bad_version, length_source::none, 8, 6, 4));
}

TEST(Teredo, IndicatorsComeInOrder) {
    // An origin indication followed by an authentication indicator: the
    // latter is where IPv6 should start.
    std::vector<std::byte> pkt(origin_bubble.begin(), origin_bubble.begin() + 8);
    pkt.insert(pkt.end(), auth_solicitation.begin(), auth_solicitation.end());
    EXPECT_ERROR(teredo::view::checked(pkt),
                 error::invalid(layer::teredo, errc::bad_version, length_source::none, 8, 6, 0));
    // Two origin indications likewise.
    std::vector<std::byte> twice(origin_bubble.begin(), origin_bubble.begin() + 8);
    twice.insert(twice.end(), origin_bubble.begin(), origin_bubble.end());
    EXPECT_ERROR(teredo::view::checked(twice),
                 error::invalid(layer::teredo, errc::bad_version, length_source::none, 8, 6, 0));
}

TEST(Teredo, AuthenticationLengthsPastTheBuffer) {
    auto pkt = copy_of(auth_solicitation);
    pkt[2] = std::byte{0xff};
    pkt[3] = std::byte{0xff};
    EXPECT_ERROR(teredo::view::checked(pkt),
                 error::truncated(layer::teredo, length_source::header_length, 0, 523, pkt.size()));
}

TEST(Teredo, ProbingNeverReadsOutOfBounds) {
    // Every prefix of every payload, through every accessor, and short
    // buffers of every indicator-like start.
    for (const bytes pkt :
         {bytes{origin_bubble}, bytes{auth_solicitation}, bytes{both_indicators}, bytes{plain_bubble}}) {
        for (std::size_t n = 0; n <= pkt.size(); ++n) {
            const auto v = teredo::view::checked(pkt.first(n));
            if (!v) continue;
            EXPECT_LE(v->header_len() + v->payload().size(), n);
            (void)v->auth();
            (void)v->origin();
        }
    }
    for (const unsigned second : {0u, 1u, 2u}) {
        for (std::size_t n = 0; n < 4; ++n) {
            std::array<std::byte, 3> tiny{std::byte{0}, static_cast<std::byte>(second), std::byte{0}};
            EXPECT_FALSE(teredo::view::checked(bytes{tiny}.first(n)));
            EXPECT_LE(teredo::view::unchecked(bytes{tiny}.first(n)).payload().size(), n);
        }
    }
}

TEST(Teredo, SetEveryFieldThenCompare) {
    auto pkt = copy_of(both_indicators);
    auto v = teredo::mut_view::unchecked(pkt);
    v.set_nonce(0x1122334455667788);
    v.set_confirmation(0x7f);
    v.set_origin({65535, addr(0, 0, 0, 0)});
    const teredo::view r = v;
    EXPECT_EQ(r.auth()->nonce, 0x1122334455667788u);
    EXPECT_EQ(r.auth()->confirmation, 0x7f);
    EXPECT_EQ(r.origin(), (teredo::origin_indication{65535, addr(0, 0, 0, 0)}));
    // Obfuscated on the wire: every bit inverted.
    EXPECT_EQ(pkt[21], std::byte{0x00});
    EXPECT_EQ(pkt[22], std::byte{0x00});
    EXPECT_EQ(pkt[23], std::byte{0xff});
    EXPECT_EQ(pkt[26], std::byte{0xff});
    // The neighbours are untouched.
    EXPECT_EQ(load_be<std::uint32_t>(r.auth()->client_id, 0), 0xc11e4701u);
    EXPECT_EQ(load_be<std::uint16_t>(r.auth()->auth_value, 0), 0xa0a1);
    EXPECT_TRUE(teredo::view::checked(pkt));
    // Without the indicator, nothing is written.
    auto plain = copy_of(plain_bubble);
    auto p = teredo::mut_view::unchecked(plain);
    p.set_nonce(1);
    p.set_confirmation(1);
    p.set_origin({1, addr(1, 1, 1, 1)});
    EXPECT_TRUE(std::equal(plain.begin(), plain.end(), plain_bubble.begin()));
}

TEST(Teredo, ReprRoundTripReproducesTheIndicatorBytes) {
    for (const bytes pkt :
         {bytes{origin_bubble}, bytes{auth_solicitation}, bytes{both_indicators}, bytes{plain_bubble}}) {
        const auto v = teredo::view::checked(pkt);
        ASSERT_TRUE(v);
        const auto r = teredo::repr::parse(*v);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->header_len(), v->header_len());
        EXPECT_EQ(r->buffer_len(), pkt.size());
        std::vector<std::byte> out(pkt.begin(), pkt.end());
        std::fill_n(out.begin(), r->header_len(), std::byte{0xcc});
        r->emit(teredo::mut_view::unchecked(out));
        EXPECT_TRUE(std::equal(out.begin(), out.end(), pkt.begin()));
        const auto again = teredo::repr::parse(*teredo::view::checked(out));
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *r);
    }
}

TEST(Teredo, ReprFields) {
    const auto r = teredo::repr::parse(*teredo::view::checked(both_indicators));
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->auth);
    EXPECT_EQ(r->auth->client_id.size(), 4u);
    EXPECT_EQ(r->auth->auth_value.size(), 2u);
    EXPECT_EQ(load_be<std::uint32_t>(r->auth->client_id.bytes(), 0), 0xc11e4701u);
    EXPECT_EQ(r->auth->nonce, 0xfedcba9876543210u);
    EXPECT_EQ(r->auth->confirmation, 1);
    EXPECT_EQ(r->origin, (teredo::origin_indication{3544, addr(198, 51, 100, 7)}));
    EXPECT_EQ(r->payload_len, 40u);
}

TEST(Teredo, ReprBuildsAQualificationSolicitation) {
    teredo::repr r;
    r.auth = teredo::auth_repr{};
    r.auth->nonce = 0x0123456789abcdef;
    r.payload_len = 48;
    EXPECT_EQ(r.header_len(), 13u);
    std::vector<std::byte> out(auth_solicitation.begin(), auth_solicitation.end());
    std::fill_n(out.begin(), 13, std::byte{0xcc});
    r.emit(teredo::mut_view::unchecked(out));
    EXPECT_TRUE(std::equal(out.begin(), out.end(), auth_solicitation.begin()));
    // Each field is a small_bytes<255>: its length octet can say all of it.
    std::array<std::byte, 256> too_long{};
    EXPECT_FALSE(r.auth->client_id.set(too_long));
    EXPECT_TRUE(r.auth->client_id.empty());
    EXPECT_TRUE(r.auth->client_id.set(bytes{too_long}.first(255)));
    EXPECT_FALSE(r.auth->auth_value.set(too_long));
    EXPECT_EQ(r.header_len(), 268u);
}

TEST(Teredo, MutatedPacketsNeverReadOutOfBounds) {
    // Meant for the sanitizer build with RAWPKT_CHECK_BOUNDS, where any read
    // past the buffer aborts. Every accepted repr also emits its bytes back.
    std::size_t emitted = 0;
    std::mt19937 rng(4380);
    for (const bytes golden :
         {bytes{origin_bubble}, bytes{auth_solicitation}, bytes{both_indicators}, bytes{plain_bubble}}) {
        for (int round = 0; round < 3000; ++round) {
            const auto pkt = mutate(golden, rng);
            // Probing the unchecked view is safe too.
            const auto u = teredo::view::unchecked(pkt);
            (void)u.has_auth();
            (void)u.has_origin();
            EXPECT_LE(u.payload().size(), pkt.size());
            const auto v = teredo::view::checked(pkt);
            if (!v) continue;
            EXPECT_EQ(v->header_len() + v->payload().size(), pkt.size());
            (void)v->auth();
            (void)v->origin();
            const auto r = teredo::repr::parse(*v);
            ASSERT_TRUE(r);
            ++emitted;
            std::vector<std::byte> out(pkt);
            r->emit(teredo::mut_view::unchecked(out));
            EXPECT_EQ(out, pkt);
            EXPECT_EQ(*teredo::repr::parse(*teredo::view::checked(out)), *r);
        }
    }
    EXPECT_GT(emitted, 1000u);
}

} // namespace
