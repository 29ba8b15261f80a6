// SPDX-License-Identifier: BSD-3-Clause
// Test helpers: hex byte literals, readable errors in gtest, EXPECT_ERROR.
#pragma once

#include <rawpkt/bytes.hpp>
#include <rawpkt/error.hpp>

#include "support/hex_literal.hpp"

#include <ostream>

#include <gtest/gtest.h>

namespace rawpkt {
// gtest prints errors readably.
inline void PrintTo(const error& e, std::ostream* os) { *os << to_string(e); }
} // namespace rawpkt

/// Asserts that `expr` (a result) failed with exactly `expected`.
#define EXPECT_ERROR(expr, expected)                                                                                   \
    do {                                                                                                               \
        const auto& rawpkt_r_ = (expr);                                                                                \
        ASSERT_FALSE(rawpkt_r_.has_value()) << "expected: " << ::rawpkt::to_string(expected);                          \
        EXPECT_EQ(rawpkt_r_.error(), (expected));                                                                      \
    } while (0)
