// SPDX-License-Identifier: BSD-3-Clause
// Edges of the tools' output formatting that fuzz_format found (its
// regression inputs are in fuzz/regressions/fuzz_format/): timestamps far
// apart, text the caller wrote before a summary, and byte strings that are
// almost UTF-8.
#include <rawpkt/decode.hpp>
#include <rawpkt/frame.hpp>
#include <rawpkt/json.hpp>
#include <rawpkt/summary.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

constexpr std::int64_t earliest = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t latest = std::numeric_limits<std::int64_t>::max();

std::string time_of(std::int64_t ns, time_format format, bool nano, std::int64_t reference_ns) {
    std::string s;
    append_time(s, ns, format, nano, reference_ns);
    return s;
}

// The difference of the two extreme timestamps, 2^64 - 1 ns, does not fit
// in int64; it printed garbage (and was undefined behaviour) before.
TEST(AppendTime, DeltaOfTimestampsFurtherApartThanInt64) {
    EXPECT_EQ(time_of(latest, time_format::delta, true, earliest), "18446744073.709551615");
    EXPECT_EQ(time_of(earliest, time_format::delta, true, latest), "-18446744073.709551615");
    EXPECT_EQ(time_of(earliest, time_format::delta, false, latest), "-18446744073.709551");
    // 18446744073 s = 5124095 h 34 min 33 s.
    EXPECT_EQ(time_of(latest, time_format::since_first, true, earliest), "5124095:34:33.709551615");
    EXPECT_EQ(time_of(earliest, time_format::since_first, false, latest), "-5124095:34:33.709551");
}

TEST(AppendTime, DeltaAndEpochOfOrdinaryTimestamps) {
    EXPECT_EQ(time_of(1'500'000'000, time_format::delta, false, 1'000'000'000), "0.500000");
    EXPECT_EQ(time_of(1'000'000'000, time_format::delta, true, 1'500'000'000), "-0.500000000");
    EXPECT_EQ(time_of(-1, time_format::epoch, true, 0), "-0.000000001");
    EXPECT_EQ(time_of(earliest, time_format::epoch, true, latest), "-9223372036.854775808");
}

// A summary appended after the caller's text is that text followed by the
// summary alone: the summary neither separates itself from it nor trims it.
TEST(AppendSummary, LeavesTheCallersTextAlone) {
    // An Ethernet header cut after 10 bytes: the summary is just the error.
    constexpr auto cut = R"(00 0c 29 f7 80 12 00 50 56 c0)"_hex;
    frame f;
    f.data = cut;
    f.original_len = 60;
    decoded d;
    (void)decode(cut, link_type::ethernet, d, {.mode = decode_mode::lax});
    const std::string alone = summary(f, d);
    ASSERT_FALSE(alone.empty());
    for (const std::string_view before : {"", "#1:", "12:00:00.000000 "}) {
        std::string out{before};
        append_summary(out, f, d);
        EXPECT_EQ(out, std::string{before} + alone) << "after \"" << before << '"';
    }
}

std::string json_string(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

// RFC 3629 §4: what is not UTF-8 becomes U+FFFD, one per byte.
TEST(AppendJsonString, ReplacesWhatIsNotUtf8) {
    EXPECT_EQ(json_string("\xe2\x82\xac"), "\"\xe2\x82\xac\"");                  // U+20AC
    EXPECT_EQ(json_string("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");          // U+1F600
    EXPECT_EQ(json_string("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"");          // U+10FFFF, the last
    EXPECT_EQ(json_string("\xed\x9f\xbf"), "\"\xed\x9f\xbf\"");                  // U+D7FF, before the surrogates
    EXPECT_EQ(json_string("\xc0\xaf"), R"("\ufffd\ufffd")");                     // overlong '/'
    EXPECT_EQ(json_string("\xe0\x80\xaf"), R"("\ufffd\ufffd\ufffd")");           // overlong '/'
    EXPECT_EQ(json_string("\xf0\x80\x80\xaf"), R"("\ufffd\ufffd\ufffd\ufffd")"); // overlong '/'
    EXPECT_EQ(json_string("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");           // U+D800, a surrogate
    EXPECT_EQ(json_string("\xf4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")"); // U+110000
    EXPECT_EQ(json_string("a\xe2\x82"), R"("a\ufffd\ufffd")");                   // cut short
    EXPECT_EQ(json_string("\"\\\n\x01"), R"("\"\\\n\u0001")");
}

} // namespace
