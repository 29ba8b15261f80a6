// SPDX-License-Identifier: BSD-3-Clause
// The shared TLV iterator and the helpers every packet header uses:
// small_bytes, the "or 0" loads and the stores that check their range.
#include <rawpkt/bytes.hpp>
#include <rawpkt/packet/tlv.hpp>
#include <rawpkt/packet/view_base.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

using namespace rawpkt;
using namespace rawpkt::test;

namespace {

// A toy TLV: type, length of the whole item (>= 2, or 0 to test the
// guard against items that do not move forward), value. Type 0 ends the
// list.
struct toy {
    std::uint8_t type = 0;
    std::size_t length = 0;
    std::size_t offset = 0;
};
struct toy_traits {
    using item = toy;
    static constexpr result<toy> parse(bytes area, std::size_t at, std::size_t base) noexcept {
        const std::size_t left = area.size() - at;
        if (left < 2) return error::truncated(layer::none, length_source::option_length, base + at, 2, left);
        const std::size_t len = load_u8(area, at + 1);
        if (len > left) return error::truncated(layer::none, length_source::option_length, base + at, len, left);
        return toy{load_u8(area, at), len, base + at};
    }
    static constexpr std::size_t next(std::size_t at, const toy& t) noexcept { return at + t.length; }
    static constexpr bool ends_list(const toy& t) noexcept { return t.type == 0; }
};
using toy_range = detail::tlv_range<toy_traits>;

std::vector<result<toy>> walk(bytes area) {
    std::vector<result<toy>> out;
    for (const auto& t : toy_range{area, 100}) {
        out.push_back(t);
        if (out.size() > area.size() + 1) break; // would be a loop
    }
    return out;
}

constexpr auto three = make_bytes(1, 2, 2, 3, 0xaa, 0, 2, 9, 9);
static_assert(toy_range{three, 0}.validate().has_value());

TEST(TlvRange, YieldsEachItemAndStopsAfterTheEndOfList) {
    const auto items = walk(three);
    ASSERT_EQ(items.size(), 3u);
    EXPECT_EQ(items[0]->offset, 100u);
    EXPECT_EQ(items[1]->offset, 102u);
    EXPECT_EQ(items[1]->length, 3u);
    EXPECT_EQ(items[2]->type, 0);
    EXPECT_EQ(items[2]->offset, 105u); // the bytes after it are never read
}

TEST(TlvRange, StopsAfterTheFirstError) {
    const auto cut = make_bytes(1, 2, 2, 9, 0xaa);
    const auto items = walk(cut);
    ASSERT_EQ(items.size(), 2u);
    ASSERT_FALSE(items[1]);
    EXPECT_EQ(items[1].error(), error::truncated(layer::none, length_source::option_length, 102, 9, 3));
    EXPECT_EQ(toy_range(cut, 100).validate().error(), items[1].error());
    EXPECT_TRUE(toy_range(bytes{}, 0).empty());
    EXPECT_TRUE(walk(bytes{}).empty());
}

TEST(TlvRange, AnItemThatDoesNotMoveForwardEndsTheIteration) {
    const auto stuck = make_bytes(1, 0, 1, 2);
    const auto items = walk(stuck);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0]->length, 0u);
}

TEST(SmallBytes, NeverHoldsMoreThanItsCapacity) {
    small_bytes<4> s;
    static_assert(small_bytes<4>::capacity() == 4);
    static_assert(sizeof(small_bytes<255>) == 256); // a one-byte length
    EXPECT_TRUE(s.empty());
    EXPECT_TRUE(s.set(make_bytes(1, 2, 3)));
    EXPECT_FALSE(s.set(make_bytes(1, 2, 3, 4, 5)));
    EXPECT_EQ(s.size(), 3u); // a refused set() changes nothing
    EXPECT_TRUE(s.push_back(std::byte{4}));
    EXPECT_FALSE(s.push_back(std::byte{5}));
    EXPECT_FALSE(s.append(make_bytes(5)));
    EXPECT_EQ(s.bytes().size(), 4u);
    EXPECT_EQ(s[3], std::byte{4});
    small_bytes<4> t;
    EXPECT_TRUE(t.append(make_bytes(1, 2)));
    EXPECT_TRUE(t.append(make_bytes(3, 4)));
    EXPECT_EQ(s, t);
    t.clear();
    EXPECT_NE(s, t);
    // Equality looks at the bytes in use only.
    small_bytes<4> a, b;
    EXPECT_TRUE(a.set(make_bytes(9, 9, 9)));
    EXPECT_TRUE(a.set(make_bytes(1)));
    EXPECT_TRUE(b.set(make_bytes(1)));
    EXPECT_EQ(a, b);
}

TEST(CheckedLoadsAndStores, NeverLeaveTheBuffer) {
    const auto b = make_bytes(0x12, 0x34, 0x56);
    EXPECT_EQ(load_be_or<std::uint16_t>(bytes{b}, 1), 0x3456);
    EXPECT_EQ(load_be_or<std::uint16_t>(bytes{b}, 2), 0);
    EXPECT_EQ(load_be_or<std::uint32_t>(bytes{b}, 0, 7u), 7u);
    EXPECT_EQ(load_be_or<std::uint16_t>(bytes{b}, ~std::size_t{0}), 0); // no overflow
    EXPECT_EQ(load_u8_or(bytes{b}, 2), 0x56);
    EXPECT_EQ(load_u8_or(bytes{b}, 3), 0);
    EXPECT_EQ(load_address_or<ipv4_address>(bytes{b}, 0), ipv4_address{});
    std::array<std::byte, 4> out{};
    EXPECT_FALSE(try_store_be<std::uint32_t>(out, 1, 0xffffffffu));
    EXPECT_FALSE(try_store_u8(out, 4, 1));
    EXPECT_FALSE(try_store_address(out, 1, ipv4_address{{1, 2, 3, 4}}));
    EXPECT_EQ(out, (std::array<std::byte, 4>{}));
    EXPECT_TRUE(try_store_address(out, 0, ipv4_address{{1, 2, 3, 4}}));
    EXPECT_EQ(out, make_bytes(1, 2, 3, 4));
}

} // namespace
