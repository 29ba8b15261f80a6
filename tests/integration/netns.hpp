// SPDX-License-Identifier: BSD-3-Clause
// Test helper: two network namespaces joined by a veth pair, created for one
// test and removed afterwards (also when the test fails), so that the
// traffic of a test never leaves it.
//
//   netns_pair net;                         // rpdl-<pid>-<n>-a / -b, veth "va" <-> "vb"
//   auto ch = net.in_a([&] { return datalink::open("va", cfg); });
//
// A socket belongs to the namespace it was created in, so channels are
// opened on a thread that has joined the namespace (setns) and used from
// the test's thread afterwards.
#pragma once

#include <rawpkt/bytes.hpp>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <initializer_list>
#include <linux/capability.h>
#include <optional>
#include <sched.h>
#include <signal.h>
#include <stdexcept>
#include <string>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <utility>

namespace rawpkt::test {

/// Runs a shell command; true when it exits 0.
inline bool run(const std::string& cmd) {
    const int rc = std::system((cmd + " >/dev/null 2>&1").c_str());
    return rc == 0;
}

/// A shell command that waits, up to 20 s, until a packet socket in the
/// network namespace `ns` is bound to an interface and running (its line in
/// /proc/net/packet: Iface not 0, R 1), or until the capturing process whose
/// pid is in the shell variable `pid_var` has ended: a capture started in
/// the background then receives what is sent next. A fixed sleep loses the
/// first frames when a loaded machine starts the capture late.
inline std::string wait_for_capture_command(const std::string& ns, const std::string& pid_var = "p") {
    return "for i in $(seq 200); do kill -0 $" + pid_var + " 2>/dev/null || break; ip netns exec " + ns +
           " awk 'NR > 1 && $5 != 0 && $6 == 1 { up = 1 } END { exit !up }' /proc/net/packet && break; sleep 0.1; "
           "done";
}

/// Takes capabilities (CAP_*) out of the calling thread's effective set;
/// false when the kernel refuses.
inline bool drop_capabilities(std::initializer_list<unsigned> caps) {
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    if (::syscall(SYS_capget, &hdr, data) != 0) return false;
    for (const unsigned c : caps) data[c / 32].effective &= ~(1u << (c % 32));
    return ::syscall(SYS_capset, &hdr, data) == 0;
}

/// Runs `fn` on a thread that joined the network namespace `ns` (a name
/// under /var/run/netns) and returns what it returned.
template <class F>
auto in_netns(const std::string& ns, F&& fn) -> decltype(fn()) {
    std::optional<decltype(fn())> out;
    std::string failure;
    std::thread t([&] {
        const std::string path = "/var/run/netns/" + ns;
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
            failure = "cannot join " + path + ": " + std::strerror(errno);
            if (fd >= 0) ::close(fd);
            return;
        }
        ::close(fd);
        out.emplace(fn());
    });
    t.join();
    if (!out) {
        std::fprintf(stderr, "%s\n", failure.c_str());
        std::abort();
    }
    return std::move(*out);
}

/// Removes the namespaces named <prefix><pid>-... whose process <pid> is
/// gone (left by a test that died).
inline void remove_stale_netns(const std::string& prefix) {
    DIR* d = ::opendir("/var/run/netns");
    if (d == nullptr) return;
    while (const dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name.rfind(prefix, 0) != 0) continue;
        const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) run("ip netns del " + name);
    }
    ::closedir(d);
}

class netns_pair {
public:
    /// The two ends: "va" in namespace a, "vb" in namespace b, MTU 9000,
    /// 192.0.2.1/24 and 192.0.2.2/24, IPv6 off (no router solicitations or
    /// MLD reports in the way).
    explicit netns_pair(unsigned mtu = 9000) {
        static std::atomic<unsigned> counter{0};
        remove_stale();
        const std::string base = prefix() + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        a_ = base + "-a";
        b_ = base + "-b";
        const bool ok = run("ip netns add " + a_) && run("ip netns add " + b_) &&
                        run("ip netns exec " + a_ +
                            " sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1") &&
                        run("ip netns exec " + b_ +
                            " sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1") &&
                        run("ip -n " + a_ + " link add va type veth peer name vb netns " + b_) &&
                        run("ip -n " + a_ + " link set va mtu " + std::to_string(mtu) + " up") &&
                        run("ip -n " + b_ + " link set vb mtu " + std::to_string(mtu) + " up") &&
                        run("ip -n " + a_ + " addr add 192.0.2.1/24 dev va") &&
                        run("ip -n " + b_ + " addr add 192.0.2.2/24 dev vb");
        if (!ok) {
            cleanup();
            std::fprintf(stderr, "cannot create the network namespaces %s, %s\n", a_.c_str(), b_.c_str());
            std::abort();
        }
    }
    ~netns_pair() { cleanup(); }
    netns_pair(const netns_pair&) = delete;
    netns_pair& operator=(const netns_pair&) = delete;

    [[nodiscard]] const std::string& a() const noexcept { return a_; }
    [[nodiscard]] const std::string& b() const noexcept { return b_; }

    template <class F>
    auto in_a(F&& fn) {
        return in_netns(a_, std::forward<F>(fn));
    }
    template <class F>
    auto in_b(F&& fn) {
        return in_netns(b_, std::forward<F>(fn));
    }
    /// `ip -n <a> <args>`.
    bool ip_a(const std::string& args) const { return run("ip -n " + a_ + " " + args); }
    bool ip_b(const std::string& args) const { return run("ip -n " + b_ + " " + args); }

private:
    void cleanup() {
        if (!a_.empty()) run("ip netns del " + a_);
        if (!b_.empty()) run("ip netns del " + b_);
    }
    // The start of the namespaces' names: rpdl-, or $RAWPKT_TEST_NETNS_PREFIX
    // to keep test runs that share a machine apart.
    static std::string prefix() {
        const char* p = std::getenv("RAWPKT_TEST_NETNS_PREFIX");
        return p != nullptr && *p != '\0' ? p : "rpdl-";
    }
    // Namespaces left by a test process that died (<prefix><pid>-...).
    static void remove_stale() { remove_stale_netns(prefix()); }

    std::string a_;
    std::string b_;
};

} // namespace rawpkt::test
