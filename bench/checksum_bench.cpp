// SPDX-License-Identifier: BSD-3-Clause
// Internet checksum throughput: rawpkt::checksum::compute() next to the plain
// 16-bit word loop other libraries use (libpnet's sum_be_words: big-endian
// words summed into a u32, then folded), in the same run, on the same bytes.
// Each of rawpkt's kernels is also measured on its own. After the Google
// Benchmark output a table gives GB/s (10^9 bytes/s of CPU time; medians
// when --benchmark_repetitions is given) and the ratio rawpkt/reference.
//
//   checksum_bench --benchmark_repetitions=5
//
// Compiler flags: both sides are compiled in this one file with the flags
// of the build (CMAKE_BUILD_TYPE=Release: -O3 -DNDEBUG, no -march, so x86-64
// baseline code; rawpkt's AVX2/AVX-512 kernels carry their own target
// attributes and are picked at run time). The reference loop is kept the
// scalar loop it is: noinline, and its auto-vectorization is switched off
// (g++: optimize("no-tree-vectorize"); clang++: #pragma clang loop
// vectorize(disable) interleave(disable)). Otherwise -O3 turns it into SSE2
// code that no longer measures the word-at-a-time loop. Plain unrolling is
// left to the compiler.
//
// The data starts 14 bytes into a 64-byte aligned buffer, where an IP packet
// starts behind an Ethernet header in a frame buffer.
#include <rawpkt/checksum.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace cs = rawpkt::checksum;

constexpr std::array<std::size_t, 5> sizes{20, 64, 576, 1500, 9000};
constexpr std::size_t data_offset = 14;

alignas(64) std::array<std::byte, 9000 + 64> storage{};

rawpkt::bytes data(std::size_t n) { return rawpkt::bytes{storage}.subspan(data_offset, n); }

#if defined(__clang__)
#define RAWPKT_BENCH_NO_TREE_VECTORIZE
#define RAWPKT_BENCH_SCALAR_LOOP _Pragma("clang loop vectorize(disable) interleave(disable)")
#elif defined(__GNUC__)
#define RAWPKT_BENCH_NO_TREE_VECTORIZE __attribute__((optimize("no-tree-vectorize")))
#define RAWPKT_BENCH_SCALAR_LOOP
#else
#define RAWPKT_BENCH_NO_TREE_VECTORIZE
#define RAWPKT_BENCH_SCALAR_LOOP
#endif

/// The straightforward loop: one big-endian 16-bit word per iteration into a
/// 32-bit sum (no overflow below 128 KiB), a trailing odd byte as the high
/// half of a word, then the carries folded back and the sum complemented.
/// Cache-line aligned, so the placement of its loop in the binary does not
/// decide its speed: one unlucky placement ran it at half speed for 48 to
/// 128 bytes on the machine these numbers come from.
[[gnu::noinline, gnu::aligned(64)]] RAWPKT_BENCH_NO_TREE_VECTORIZE std::uint16_t
reference_checksum(rawpkt::bytes b) noexcept {
    const std::byte* p = b.data();
    const std::size_t n = b.size();
    std::uint32_t sum = 0;
    std::size_t i = 0;
    RAWPKT_BENCH_SCALAR_LOOP
    for (; i + 1 < n; i += 2) {
        sum += (std::to_integer<std::uint32_t>(p[i]) << 8) | std::to_integer<std::uint32_t>(p[i + 1]);
    }
    if ((n & 1u) != 0) sum += std::to_integer<std::uint32_t>(p[n - 1]) << 8;
    while ((sum >> 16) != 0) sum = (sum >> 16) + (sum & 0xffffu);
    return static_cast<std::uint16_t>(~sum);
}

/// A kernel's result as a checksum field value, like compute().
template <std::uint64_t (*Kernel)(const std::byte*, std::size_t)>
std::uint16_t kernel_checksum(rawpkt::bytes b) noexcept {
    const std::uint16_t s = cs::detail::fold(Kernel(b.data(), b.size()));
    return static_cast<std::uint16_t>(~(std::endian::native == std::endian::little ? cs::detail::swap16(s) : s));
}

std::uint16_t rawpkt_checksum(rawpkt::bytes b) noexcept { return cs::compute(b); }

using checksum_fn = std::uint16_t (*)(rawpkt::bytes) noexcept;

void run(benchmark::State& state, checksum_fn fn, bool available) {
    if (!available) {
        state.SkipWithError("CPU lacks this kernel");
        return;
    }
    rawpkt::bytes b = data(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(b);
        std::uint16_t c = fn(b);
        benchmark::DoNotOptimize(c);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

struct contender {
    const char* name;
    checksum_fn fn;
    bool available;
};

std::vector<contender> contenders() {
    std::vector<contender> c{
        {"reference", reference_checksum, true},
        {"rawpkt", rawpkt_checksum, true},
        {"scalar", kernel_checksum<cs::detail::sum_native_scalar>, true},
    };
#if RAWPKT_CHECKSUM_X86_SIMD
    c.push_back({"avx2", kernel_checksum<cs::detail::sum_native_avx2>, cs::detail::cpu_has_avx2()});
    c.push_back({"avx512", kernel_checksum<cs::detail::sum_native_avx512>, cs::detail::cpu_has_avx512bw()});
#endif
    return c;
}

/// Prints what Google Benchmark prints and keeps the bytes_per_second of
/// every run, for the table.
class table_reporter : public benchmark::ConsoleReporter {
public:
    table_reporter() : ConsoleReporter(OO_Tabular) {}

    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& r : runs) {
            if (r.error_occurred) continue;
            const auto it = r.counters.find("bytes_per_second");
            if (it == r.counters.end()) continue;
            const key k{r.run_name.function_name, r.run_name.args};
            if (r.run_type == Run::RT_Aggregate) {
                if (r.aggregate_name == "median") medians_[k] = it->second.value;
            } else {
                samples_[k].push_back(it->second.value);
            }
        }
    }

    /// Median bytes/s of one benchmark, 0 when it did not run.
    double rate(const std::string& name, std::size_t size) const {
        const key k{name, std::to_string(size)};
        if (const auto m = medians_.find(k); m != medians_.end()) return m->second;
        const auto s = samples_.find(k);
        if (s == samples_.end() || s->second.empty()) return 0;
        std::vector<double> v = s->second;
        std::sort(v.begin(), v.end());
        const std::size_t h = v.size() / 2;
        return v.size() % 2 != 0 ? v[h] : (v[h - 1] + v[h]) / 2;
    }

private:
    using key = std::pair<std::string, std::string>;
    std::map<key, double> medians_;
    std::map<key, std::vector<double>> samples_;
};

void print_table(const table_reporter& rep, const std::vector<contender>& cs_list) {
    std::printf("\nInternet checksum, GB/s (10^9 bytes per CPU second, median of the repetitions)\n");
    std::printf("%7s", "bytes");
    for (const contender& c : cs_list) std::printf(" %10s", c.name);
    std::printf(" %18s\n", "rawpkt/reference");
    for (std::size_t n : sizes) {
        std::printf("%7zu", n);
        for (const contender& c : cs_list) {
            const double r = rep.rate(c.name, n);
            if (r > 0) {
                std::printf(" %10.2f", r / 1e9);
            } else {
                std::printf(" %10s", "-");
            }
        }
        const double ref = rep.rate("reference", n);
        const double ours = rep.rate("rawpkt", n);
        if (ref > 0 && ours > 0) {
            std::printf(" %17.1fx\n", ours / ref);
        } else {
            std::printf(" %18s\n", "-");
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    std::mt19937_64 rng(0x1071);
    for (std::byte& b : storage) b = static_cast<std::byte>(rng());

    const std::vector<contender> list = contenders();
    // Every contender computes the same checksum, or the numbers mean nothing.
    for (std::size_t n : sizes) {
        const std::uint16_t want = reference_checksum(data(n));
        for (const contender& c : list) {
            if (c.available && c.fn(data(n)) != want) {
                std::fprintf(stderr, "%s disagrees with the reference at %zu bytes\n", c.name, n);
                return 1;
            }
        }
    }

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
#if defined(__clang__)
    benchmark::AddCustomContext("compiler", "clang++ " __clang_version__);
#elif defined(__GNUC__)
    benchmark::AddCustomContext("compiler", "g++ " __VERSION__);
#endif
#if RAWPKT_CHECKSUM_X86_SIMD
    benchmark::AddCustomContext("rawpkt kernel >= " + std::to_string(cs::detail::simd_min_len) + " bytes",
                                cs::detail::cpu_has_avx512bw() ? "avx512"
                                : cs::detail::cpu_has_avx2()   ? "avx2"
                                                               : "scalar");
#endif

    for (std::size_t n : sizes) {
        for (const contender& c : list) {
            benchmark::RegisterBenchmark(c.name, run, c.fn, c.available)->Arg(static_cast<std::int64_t>(n));
        }
    }
    table_reporter rep;
    benchmark::RunSpecifiedBenchmarks(&rep);
    print_table(rep, list);
    benchmark::Shutdown();
    return 0;
}
