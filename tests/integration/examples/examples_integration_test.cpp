// SPDX-License-Identifier: BSD-3-Clause
// Runs every network example (examples/) inside network namespaces this
// test creates and removes, and checks what it prints and how it exits.
// Needs root. Traffic never leaves the namespaces.
#include "netns_chain.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using rawpkt::test::netns_chain;

namespace {

const std::filesystem::path examples_dir{RAWPKT_EXAMPLES_DIR};

struct outcome {
    int status = -1; // exit status
    std::string output;
};

// Starts an example with `args` inside namespace `ns` of `net` (with no
// `net`, here), standard error merged into standard output.
FILE* start_example(const netns_chain* net, std::size_t ns, const std::string& example, const std::string& args) {
    const std::string cmd = (net != nullptr ? net->exec_prefix(ns) : std::string{}) +
                            (examples_dir / example).string() + " " + args + " 2>&1";
    return ::popen(cmd.c_str(), "r");
}

// Reads what a started example prints until it ends; its exit status.
outcome finish_example(FILE* p) {
    outcome o;
    if (p == nullptr) return o;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) o.output.append(buf, n);
    const int st = ::pclose(p);
    o.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return o;
}

outcome run_example(const netns_chain& net, std::size_t ns, const std::string& example, const std::string& args) {
    return finish_example(start_example(&net, ns, example, args));
}

// An example running in the background: started, its first line read
// (it prints one once it is ready), the rest read by finish().
class background_example {
public:
    background_example(const netns_chain& net, std::size_t ns, const std::string& example, const std::string& args)
        : pipe_(start_example(&net, ns, example, args)) {
        char line[512] = {};
        if (pipe_ != nullptr && std::fgets(line, sizeof line, pipe_) != nullptr) first_line_ = line;
    }
    ~background_example() {
        if (pipe_ != nullptr) (void)finish();
    }
    background_example(const background_example&) = delete;
    background_example& operator=(const background_example&) = delete;

    [[nodiscard]] const std::string& first_line() const noexcept { return first_line_; }
    /// Waits for the example to end: its exit status and the rest of its output.
    outcome finish() {
        FILE* p = pipe_;
        pipe_ = nullptr;
        return finish_example(p);
    }

private:
    FILE* pipe_ = nullptr;
    std::string first_line_;
};

std::size_t count_matches(const std::string& text, const std::regex& re) {
    return static_cast<std::size_t>(std::distance(std::sregex_iterator(text.begin(), text.end(), re), {}));
}

class ExamplesTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces, CAP_NET_RAW)";
    }
};

} // namespace

TEST_F(ExamplesTest, PingPrintsWhatIputilsPrints) {
    netns_chain net{3};
    // Host 0 to host 2, through the router: TTL 63.
    const auto v4 = run_example(net, 0, "ping", "-c 3 -i 0.2 -W 5 " + netns_chain::v4(1, 2));
    EXPECT_EQ(v4.status, 0) << v4.output;
    EXPECT_NE(v4.output.find("PING 10.99.1.2 (10.99.1.2) 56(84) bytes of data.\n"), std::string::npos) << v4.output;
    EXPECT_EQ(count_matches(v4.output,
                            std::regex(R"(\n64 bytes from 10\.99\.1\.2: icmp_seq=[123] ttl=63 time=\d+\.\d{3} ms)")),
              3u)
        << v4.output;
    EXPECT_NE(v4.output.find("\n--- 10.99.1.2 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, "
                             "time "),
              std::string::npos)
        << v4.output;
    EXPECT_TRUE(
        std::regex_search(v4.output, std::regex(R"(\nrtt min/avg/max/mdev = [\d.]+/[\d.]+/[\d.]+/[\d.]+ ms\n$)")))
        << v4.output;

    const auto v6 = run_example(net, 0, "ping", "-6 -c 2 -i 0.2 -W 5 " + netns_chain::v6(1, 2));
    EXPECT_EQ(v6.status, 0) << v6.output;
    EXPECT_NE(v6.output.find("PING 2001:db8:1::2(2001:db8:1::2) 56 data bytes\n"), std::string::npos) << v6.output;
    EXPECT_EQ(count_matches(v6.output,
                            std::regex(R"(\n64 bytes from 2001:db8:1::2: icmp_seq=[12] ttl=63 time=\d+\.\d{3} ms)")),
              2u)
        << v6.output;
    EXPECT_NE(v6.output.find("2 packets transmitted, 2 received, 0% packet loss"), std::string::npos) << v6.output;

    // Nobody at .9 on the first link: no reply, exit 1.
    const auto none = run_example(net, 0, "ping", "-c 1 -W 1 10.99.0.9");
    EXPECT_EQ(none.status, 1) << none.output;
    EXPECT_NE(none.output.find("1 packets transmitted, 0 received, 100% packet loss"), std::string::npos)
        << none.output;
    EXPECT_EQ(none.output.find("rtt "), std::string::npos) << none.output;
    // Usage errors: exit 2.
    EXPECT_EQ(run_example(net, 0, "ping", "-c 1").status, 2);
    EXPECT_EQ(run_example(net, 0, "ping", "-6 -c 1 10.99.0.2").status, 2);
}

TEST_F(ExamplesTest, TracerouteFindsTheRouterAndTheHost) {
    netns_chain net{3}; // host 0 - router 1 - host 2
    for (const char* flags : {"", "-I ", "-6 ", "-6 -I "}) {
        const bool v6 = std::string(flags).find("-6") != std::string::npos;
        const std::string dst = v6 ? netns_chain::v6(1, 2) : netns_chain::v4(1, 2);
        const std::string router = v6 ? netns_chain::v6(0, 2) : netns_chain::v4(0, 2);
        const auto r = run_example(net, 0, "traceroute", std::string(flags) + "-m 5 -w 3 " + dst);
        EXPECT_EQ(r.status, 0) << flags << "\n" << r.output;
        EXPECT_TRUE(std::regex_match(r.output, std::regex("traceroute to " + dst + " \\(" + dst +
                                                          "\\), 5 hops max\n"
                                                          " 1  " +
                                                          router + "  \\d+\\.\\d{3} ms\n" + " 2  " + dst +
                                                          "  \\d+\\.\\d{3} ms\n")))
            << flags << "\n"
            << r.output;
    }
    // A hop that does not answer prints "*": the router drops what it
    // would forward to host 2.
    ASSERT_TRUE(rawpkt::test::run("ip netns exec " + net.name(1) + " sysctl -qw net.ipv4.ip_forward=0"));
    const auto blocked = run_example(net, 0, "traceroute", "-m 3 -w 0.3 " + netns_chain::v4(1, 2));
    EXPECT_EQ(blocked.status, 1) << blocked.output;
    EXPECT_NE(blocked.output.find("\n 2  *\n 3  *\n"), std::string::npos) << blocked.output;
}

TEST_F(ExamplesTest, ListInterfacesShowsEveryInterface) {
    netns_chain net{2};
    ASSERT_TRUE(rawpkt::test::run("ip -n " + net.name(0) + " link set r0 mtu 1400 address 02:00:5e:00:53:01"));
    const auto r = run_example(net, 0, "list_interfaces", "");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(^1: lo <UP,LOOPBACK,RUNNING,LOWER_UP> mtu 65536\n)"
                                                       R"(    link/loopback 00:00:00:00:00:00\n)"
                                                       R"(    inet 127\.0\.0\.1/8\n    inet6 ::1/128\n)")))
        << r.output;
    EXPECT_TRUE(
        std::regex_search(r.output, std::regex(R"(\n\d+: r0 <UP,BROADCAST,RUNNING,MULTICAST,LOWER_UP> mtu 1400\n)"
                                               R"(    link/ether 02:00:5e:00:53:01\n)"
                                               R"(    inet 10\.99\.0\.1/24\n)"
                                               R"(    inet6 2001:db8::1/64\n)")))
        << r.output;
}

TEST_F(ExamplesTest, EventLoopsDriveDatalinkAndTransportTogether) {
    netns_chain net{2};
    for (const char* example : {"event_loop", "asio_loop"}) {
        if (!std::filesystem::exists(examples_dir / example)) {
            ADD_FAILURE() << example << " was not built (Boost.Asio missing: install libboost-dev)";
            continue;
        }
        for (const std::string& host : {netns_chain::v4(0, 2), netns_chain::v6(0, 2)}) {
            const auto r = run_example(net, 0, example, "r0 " + host + " 4");
            EXPECT_EQ(r.status, 0) << r.output;
            std::smatch m;
            ASSERT_TRUE(std::regex_search(
                r.output, m,
                std::regex(R"(^sent 4 echo requests\ntransport: 4 echo replies\ndatalink: (\d+) frames on r0\n$)")))
                << r.output;
            // The ring saw each request leave and each reply come in.
            EXPECT_GE(std::stol(m[1]), 8) << r.output;
        }
    }
}

TEST_F(ExamplesTest, SynProbeTellsOpenFromClosed) {
    netns_chain net{2};
    // A listener on port 8080 (IPv4 and IPv6) in namespace 1, for as long as the test needs it.
    const std::string listener = net.exec_prefix(1) +
                                 "python3 -c 'import os,socket,time\n"
                                 "s=socket.socket(socket.AF_INET6)\n"
                                 "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)\n"
                                 "s.bind((\"::\", 8080))\ns.listen()\nprint(os.getpid(), flush=True)\ntime.sleep(30)'";
    FILE* l = ::popen(listener.c_str(), "r");
    ASSERT_NE(l, nullptr);
    char pid[16] = {}; // the listener says its pid once it listens
    ASSERT_NE(std::fgets(pid, sizeof pid, l), nullptr);
    for (const std::string& host : {netns_chain::v4(0, 2), netns_chain::v6(0, 2)}) {
        const auto r = run_example(net, 0, "syn_probe", "-w 3 " + host + " 8080,8081");
        EXPECT_EQ(r.status, 0) << r.output;
        EXPECT_EQ(r.output, host + " 8080/tcp open\n" + host + " 8081/tcp closed\n");
    }
    ::kill(static_cast<pid_t>(std::strtol(pid, nullptr, 10)), SIGTERM);
    ::pclose(l);
}

TEST_F(ExamplesTest, ArpScanFindsTheNeighbours) {
    netns_chain net{2};
    ASSERT_TRUE(rawpkt::test::run("ip -n " + net.name(1) + " link set l1 address 02:00:5e:00:53:02"));
    // A second neighbour on the same link.
    ASSERT_TRUE(rawpkt::test::run("ip -n " + net.name(1) + " addr add 10.99.0.77/24 dev l1"));
    const auto r = run_example(net, 0, "arp_scan", "-w 1 r0");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output, "10.99.0.2\t02:00:5e:00:53:02\n10.99.0.77\t02:00:5e:00:53:02\n2 hosts answered of 253 asked\n");
    // A smaller subnet given on the command line.
    const auto small = run_example(net, 0, "arp_scan", "-w 1 r0 10.99.0.0/30");
    EXPECT_EQ(small.output, "10.99.0.2\t02:00:5e:00:53:02\n1 hosts answered of 1 asked\n");
}

TEST_F(ExamplesTest, PacketdumpPrintsDecodedFrames) {
    netns_chain net{2};
    background_example dump{net, 1, "packetdump", "-c 4 -t 20 -f icmp l1"};
    ASSERT_EQ(dump.first_line(), "listening on l1, link-type EN10MB\n");
    const auto ping = run_example(net, 0, "ping", "-c 2 -i 0.2 -W 5 " + netns_chain::v4(0, 2));
    ASSERT_EQ(ping.status, 0) << ping.output;
    const auto r = dump.finish();
    EXPECT_EQ(r.status, 0) << r.output;
    // Two requests in, two replies out, each line as tcpdump prints it.
    EXPECT_EQ(
        count_matches(
            r.output,
            std::regex(
                R"(\d\d:\d\d:\d\d\.\d{6} IP 10\.99\.0\.1 > 10\.99\.0\.2: ICMP echo request, id \d+, seq [12], length 64\n)")),
        2u)
        << r.output;
    EXPECT_EQ(
        count_matches(
            r.output,
            std::regex(
                R"(\d\d:\d\d:\d\d\.\d{6} IP 10\.99\.0\.2 > 10\.99\.0\.1: ICMP echo reply, id \d+, seq [12], length 64\n)")),
        2u)
        << r.output;
    EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(\n4 packets printed, \d+ received, 0 dropped\n$)")))
        << r.output;
}

TEST_F(ExamplesTest, FanoutCaptureSpreadsFramesOverThreads) {
    netns_chain net{2};
    background_example capture{net, 1, "fanout_capture", "-n 2 -t 3 -m lb l1"};
    ASSERT_EQ(capture.first_line(), "capturing on l1 with 2 threads\n");
    const auto ping = run_example(net, 0, "ping", "-c 10 -i 0.05 -W 2 " + netns_chain::v4(0, 2));
    ASSERT_EQ(ping.status, 0) << ping.output;
    const auto r = capture.finish();
    EXPECT_EQ(r.status, 0) << r.output;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(
        r.output, m,
        std::regex(R"(thread 0: (\d+) frames, \d+ bytes\nthread 1: (\d+) frames, \d+ bytes\ntotal: (\d+) frames\n)")))
        << r.output;
    // Round robin: both threads got frames, together at least the 10
    // requests and 10 replies.
    EXPECT_GT(std::stol(m[1]), 0) << r.output;
    EXPECT_GT(std::stol(m[2]), 0) << r.output;
    EXPECT_EQ(std::stol(m[1]) + std::stol(m[2]), std::stol(m[3]));
    EXPECT_GE(std::stol(m[3]), 20) << r.output;
}

TEST(ExamplesFiles, PacketRewriteUpdatesAddressesAndChecksums) {
    // No network: a capture file in, a capture file out, checked by tshark.
    if (::system("tshark -v >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark is not installed";
    const std::filesystem::path corpus = std::filesystem::path(RAWPKT_TEST_DATA_DIR) / "corpus";
    const std::filesystem::path work = std::filesystem::path(RAWPKT_TEST_WORK_DIR) / std::to_string(::getpid());
    std::filesystem::create_directories(work);
    struct case_ {
        const char* file;
        const char* mapping;
        const char* fields;
        const char* summary;
    };
    // DNS over UDP (checksums set) and over TCP, pcap and pcapng.
    for (const case_& c : {case_{"gopacket__test_dns.pcap", "95.211.92.14=192.0.2.14 95.211.92.15=192.0.2.15", "udp",
                                 "10 frames, 10 addresses rewritten\n"},
                           case_{"pcapplusplus__dns_over_tcp.pcapng", "165.21.83.88=198.51.100.88", "tcp",
                                 "4 frames, 2 addresses rewritten\n"}}) {
        const auto out = work / (std::string("rewritten-") + c.file);
        const auto r = finish_example(start_example(nullptr, 0, "packet_rewrite",
                                                    (corpus / c.file).string() + " " + out.string() + " " + c.mapping));
        EXPECT_EQ(r.status, 0) << r.output;
        EXPECT_EQ(r.output, c.summary);
        // tshark recomputes every checksum from scratch: 1 is "good".
        const std::string proto = c.fields;
        const std::string cmd = "tshark -r " + out.string() + " -o ip.check_checksum:TRUE -o " + proto +
                                ".check_checksum:TRUE -Y ip -T fields -e ip.src -e ip.dst -e ip.checksum.status -e " +
                                proto + ".checksum.status 2>/dev/null";
        const auto t = finish_example(::popen(cmd.c_str(), "r"));
        ASSERT_EQ(t.status, 0);
        EXPECT_EQ(count_matches(t.output, std::regex("\t1\t1\n")), count_matches(t.output, std::regex("\n")))
            << t.output;
        EXPECT_EQ(t.output.find("95.211.92."), std::string::npos) << t.output;
        EXPECT_EQ(t.output.find("165.21.83.88"), std::string::npos) << t.output;
        EXPECT_NE(t.output.find(proto == "udp" ? "192.0.2.14" : "198.51.100.88"), std::string::npos) << t.output;
    }
    std::filesystem::remove_all(work);
}
