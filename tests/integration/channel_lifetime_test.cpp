// SPDX-License-Identifier: BSD-3-Clause
// Opening and closing 10,000 channels (1,000 under AddressSanitizer) leaves nothing behind: not a file
// descriptor (/proc/self/fd), not a mapping (/proc/self/maps: the rings),
// and not the interface's promiscuous mode (its promiscuity count, as
// `ip -d link` shows it). On a veth end in a network namespace this test
// creates and removes; every backend that opens sockets. Needs root; skips
// itself without.
#include "netns.hpp"

#include <rawpkt/datalink/channel.hpp>
#include <rawpkt/datalink/config.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace dl = rawpkt::datalink;
using rawpkt::test::netns_pair;

std::size_t open_fds() {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) n += e.path().empty() ? 0 : 1;
    return n;
}

#if defined(__SANITIZE_ADDRESS__)
#define RAWPKT_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RAWPKT_TEST_ASAN 1
#endif
#endif
#ifdef RAWPKT_TEST_ASAN
// AddressSanitizer's allocator maps heap regions of its own as it goes
// (its quarantine holds freed memory back), so anonymous private mappings
// come and go with the allocator, not with channels; its leak checker
// covers the heap. What a channel could leave behind is a ring or a socket
// mapping: shared or file-backed.
constexpr bool count_heap_mappings = false;
// The full count runs in the other builds; under the sanitizer each open
// costs ten times more and proves no more.
constexpr int channels = 1'000;
#else
constexpr bool count_heap_mappings = true;
constexpr int channels = 10'000;
#endif

/// Lines of /proc/self/maps; without count_heap_mappings, only the shared
/// and the file-backed ones (the rings show as shared `socket:[inode]`).
std::size_t mappings() {
    std::ifstream in("/proc/self/maps");
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) {
        // address perms offset dev inode [path]
        char perms[5] = {};
        char path[2] = {};
        const bool anonymous = std::sscanf(line.c_str(), "%*s %4s %*s %*s %*s %1s", perms, path) < 2;
        const bool shared = perms[3] == 's';
        if (count_heap_mappings || shared || !anonymous) ++n;
    }
    return n;
}

/// The interface's promiscuity count in namespace `ns` (IFLA_PROMISCUITY):
/// how many sockets asked for promiscuous mode; -1 when unreadable.
int promiscuity(const std::string& ns, const std::string& ifname) {
    const std::string cmd = "ip -n " + ns + " -d link show " + ifname + " 2>/dev/null";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return -1;
    std::string text;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p) != nullptr) text += buf;
    ::pclose(p);
    const auto at = text.find("promiscuity ");
    if (at == std::string::npos) return -1;
    return std::stoi(text.substr(at + 12));
}

class channel_lifetime : public ::testing::TestWithParam<dl::backend> {
protected:
    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces, CAP_NET_RAW)";
    }
    dl::config config() const {
        dl::config c;
        c.backend = GetParam();
        c.promiscuous = true;
        c.filter = "udp port 9"; // a kernel filter attached to each socket
        // Small rings: the test is about what is released, not about size.
        c.rx_ring = {.block_size = 1u << 16, .block_count = 3, .frame_size = 2048};
        c.tx_ring = {.frame_count = 16, .frame_size = 0};
        return c;
    }
};

TEST_P(channel_lifetime, ten_thousand_channels_leave_nothing_behind) {
    netns_pair net;
    const dl::config c = config();
    ASSERT_EQ(promiscuity(net.b(), "vb"), 0);

    struct counts {
        std::size_t fds = 0;
        std::size_t maps = 0;
    };
    struct outcome {
        counts before;
        counts after;
        int failed_at = -1;
        std::string why;
    };
    // One thread in the namespace for the whole loop: a thread per open
    // would add stacks to the mappings.
    const outcome o = net.in_b([&] {
        outcome out;
        {
            // Warm up what stays for the life of the process (libpcap's
            // filter compiler, the allocator's arenas).
            auto warm = dl::open("vb", c, &out.why);
            if (!warm) return out;
        }
        out.before = {open_fds(), mappings()};
        for (int i = 0; i < channels; ++i) {
            auto ch = dl::open("vb", c, &out.why);
            if (!ch) {
                out.failed_at = i;
                break;
            }
        }
        out.after = {open_fds(), mappings()};
        return out;
    });
    ASSERT_EQ(o.failed_at, -1) << "open " << o.failed_at << ": " << o.why;
    ASSERT_GT(o.before.fds, 0u) << o.why;
    EXPECT_EQ(o.after.fds, o.before.fds);
    EXPECT_EQ(o.after.maps, o.before.maps);

    // Promiscuous while a channel is open, not after.
    {
        std::string why;
        const auto ch = net.in_b([&] { return dl::open("vb", c, &why); });
        ASSERT_TRUE(ch) << why;
        EXPECT_EQ(promiscuity(net.b(), "vb"), 1);
    }
    EXPECT_EQ(promiscuity(net.b(), "vb"), 0);
}

std::string backend_name(const ::testing::TestParamInfo<dl::backend>& p) { return dl::to_string(p.param); }

INSTANTIATE_TEST_SUITE_P(backends, channel_lifetime, ::testing::Values(dl::backend::ring, dl::backend::socket),
                         backend_name);

} // namespace
