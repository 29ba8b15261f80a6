// SPDX-License-Identifier: BSD-3-Clause
// Test helper: replaces the global operator new and delete with ones that
// count allocations, to show that a path allocates nothing. Include it in
// exactly one file of a test program.
//
// ThreadSanitizer brings its own operator new and delete, which cannot be
// replaced: there nothing is counted and `counts_allocations` is false, so
// that a test can skip itself.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RAWPKT_TEST_NO_COUNTED_NEW 1
#endif
#endif

namespace rawpkt::test {

#ifdef RAWPKT_TEST_NO_COUNTED_NEW
inline constexpr bool counts_allocations = false;
#else
inline constexpr bool counts_allocations = true;
#endif

/// Allocations so far (0 when not counted).
inline std::atomic<std::size_t> allocations{0};

namespace detail {
inline void* counted_malloc(std::size_t n) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n == 0 ? 1 : n);
}
} // namespace detail

} // namespace rawpkt::test

#ifndef RAWPKT_TEST_NO_COUNTED_NEW
// The whole family is replaced (plain, array, nothrow), so that every new
// and delete pair meets in malloc and free. Not inlined: g++ would otherwise
// pair free() with `new` (a false -Wmismatched-new-delete).
[[gnu::noinline]] void* operator new(std::size_t n) {
    if (void* p = rawpkt::test::detail::counted_malloc(n)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new[](std::size_t n) {
    if (void* p = rawpkt::test::detail::counted_malloc(n)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    return rawpkt::test::detail::counted_malloc(n);
}
[[gnu::noinline]] void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    return rawpkt::test::detail::counted_malloc(n);
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#endif
