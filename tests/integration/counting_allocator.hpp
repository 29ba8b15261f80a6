// SPDX-License-Identifier: BSD-3-Clause
// Test helper: replaces the global operator new/delete of the test program
// that includes it (once, in one translation unit) with versions that count
// every allocation, so a test can show that a path allocates nothing:
//
//   const std::size_t before = rawpkt::test::allocations.load();
//   ... receive, send ...
//   EXPECT_EQ(rawpkt::test::allocations.load() - before, 0u);
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace rawpkt::test {
inline std::atomic<std::size_t> allocations{0};
inline void* counted_malloc(std::size_t n) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n == 0 ? 1 : n);
}
} // namespace rawpkt::test

[[gnu::noinline]] void* operator new(std::size_t n) {
    if (void* p = rawpkt::test::counted_malloc(n)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new[](std::size_t n) {
    if (void* p = rawpkt::test::counted_malloc(n)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    return rawpkt::test::counted_malloc(n);
}
[[gnu::noinline]] void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    return rawpkt::test::counted_malloc(n);
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
