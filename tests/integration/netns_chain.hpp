// SPDX-License-Identifier: BSD-3-Clause
// Test helper: N network namespaces in a line, each joined to the next by a
// veth pair, with IPv4 and IPv6 addresses and routes, the middle ones
// forwarding: a two-host network (N = 2) or a path through routers (N > 2).
// Created for one test, removed afterwards (also when the test fails).
//
//   link k joins namespace k ("r<k>" side, .1 / ::1) and k+1 ("l<k+1>" side,
//   .2 / ::2): IPv4 subnet 10.99.k.0/24, IPv6 2001:db8:k::/64. Every
//   namespace routes everything else towards the far ends of the line.
//
//   netns_chain net{3};                     // host 0 - router 1 - host 2
//   net.in(0, [&] { ... });                 // run on a thread inside namespace 0
//   net.v4(1, 2)                            // "10.99.1.2": link 1, the right side
#pragma once

#include "netns.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

namespace rawpkt::test {

class netns_chain {
public:
    explicit netns_chain(std::size_t n = 2) {
        static std::atomic<unsigned> counter{0};
        remove_stale_netns(prefix);
        const std::string base = prefix + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-";
        for (std::size_t i = 0; i < n; ++i) names_.push_back(base + std::to_string(i));
        bool ok = true;
        for (std::size_t i = 0; ok && i < n; ++i) {
            const std::string& ns = names_[i];
            // No DAD delay and no router solicitations on the new links.
            ok = run("ip netns add " + ns) && run("ip -n " + ns + " link set lo up") &&
                 run("ip netns exec " + ns +
                     " sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0"
                     " net.ipv6.conf.default.router_solicitations=0 net.ipv4.ip_forward=1"
                     " net.ipv6.conf.all.forwarding=1");
        }
        for (std::size_t k = 0; ok && k + 1 < n; ++k) {
            // Built with append: g++ 12 warns (-Wrestrict) on "r" + to_string(k).
            std::string r = "r", l = "l";
            r.append(std::to_string(k));
            l.append(std::to_string(k + 1));
            ok = run("ip -n " + names_[k] + " link add " + r + " type veth peer name " + l + " netns " +
                     names_[k + 1]) &&
                 run("ip -n " + names_[k] + " addr add " + v4(k, 1) + "/24 dev " + r) &&
                 run("ip -n " + names_[k + 1] + " addr add " + v4(k, 2) + "/24 dev " + l) &&
                 run("ip -n " + names_[k] + " addr add " + v6(k, 1) + "/64 dev " + r + " nodad") &&
                 run("ip -n " + names_[k + 1] + " addr add " + v6(k, 2) + "/64 dev " + l + " nodad") &&
                 run("ip -n " + names_[k] + " link set " + r + " up") &&
                 run("ip -n " + names_[k + 1] + " link set " + l + " up");
        }
        // Routes: towards the right end through r<i>, towards the left
        // through l<i>, for every subnet not on the namespace itself.
        for (std::size_t i = 0; ok && i < n; ++i) {
            for (std::size_t k = 0; ok && k + 1 < n; ++k) {
                if (k == i || k + 1 == i) continue;
                const bool right = k > i;
                const std::size_t via_link = right ? i : i - 1;
                const int via_side = right ? 2 : 1;
                ok = run("ip -n " + names_[i] + " route add 10.99." + std::to_string(k) + ".0/24 via " +
                         v4(via_link, via_side)) &&
                     run("ip -n " + names_[i] + " -6 route add 2001:db8:" + std::to_string(k) + "::/64 via " +
                         v6(via_link, via_side));
            }
        }
        if (!ok) {
            cleanup();
            std::fprintf(stderr, "cannot create the network namespaces %s...\n", base.c_str());
            std::abort();
        }
    }
    ~netns_chain() { cleanup(); }
    netns_chain(const netns_chain&) = delete;
    netns_chain& operator=(const netns_chain&) = delete;

    [[nodiscard]] const std::string& name(std::size_t i) const { return names_.at(i); }
    /// The IPv4 / IPv6 address of `side` (1: left namespace k, 2: right
    /// namespace k+1) of link k.
    [[nodiscard]] static std::string v4(std::size_t link, int side) {
        return "10.99." + std::to_string(link) + "." + std::to_string(side);
    }
    /// In the form addresses print in (RFC 5952: "2001:db8::1" for link 0).
    [[nodiscard]] static std::string v6(std::size_t link, int side) {
        std::string s = "2001:db8:";
        if (link != 0) s += std::to_string(link) + ":";
        return s + ":" + std::to_string(side);
    }

    template <class F>
    auto in(std::size_t i, F&& fn) {
        return in_netns(names_.at(i), std::forward<F>(fn));
    }
    /// `ip netns exec <namespace i> <command>` through the shell.
    [[nodiscard]] std::string exec_prefix(std::size_t i) const { return "ip netns exec " + names_.at(i) + " "; }

    static inline const std::string prefix = "rptr-";

private:
    void cleanup() {
        for (const std::string& ns : names_) run("ip netns del " + ns);
    }
    std::vector<std::string> names_;
};

} // namespace rawpkt::test
