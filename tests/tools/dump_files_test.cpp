// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-dump end to end: -w files read back by tcpdump, rotation, filters
// on files, standard input, damaged files, exit statuses, Ctrl-C while
// writing, --stats.
#include "run.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <thread>

namespace {

using namespace rawpkt::tooltest;
namespace fs = std::filesystem;

std::string dump() { return tool("rawpkt-dump"); }
std::string corpus(const char* name) { return quote((corpus_dir / name).string()); }

/// tcpdump's reading of a file with a filter: its lines, or empty.
std::string tcpdump_read(const std::string& quoted_path, const std::string& args = "") {
    return run("TZ=UTC tcpdump -nn -S -r " + quoted_path + " " + args).out;
}

TEST(DumpFiles, WrittenPcapIsReadByTcpdump) {
    if (!have("tcpdump")) GTEST_SKIP() << "tcpdump is not installed";
    const auto out = work_dir() / "tcp.pcap";
    const auto r = run(dump() + " -r " + corpus("pcapplusplus__sll.pcap") + " -w " + quote(out.string()) + " tcp");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.out.empty()) << "-w prints no packets";
    // The same packets as tcpdump's own filter on the original, byte for byte.
    const std::string mine = tcpdump_read(quote(out.string()), "-x");
    const std::string theirs = tcpdump_read(corpus("pcapplusplus__sll.pcap"), "-x tcp");
    EXPECT_EQ(lines(tcpdump_read(quote(out.string()))).size(), 483u);
    EXPECT_EQ(mine, theirs);
    EXPECT_NE(run("tcpdump -r " + quote(out.string())).err.find("LINUX_SLL"), std::string::npos);
}

TEST(DumpFiles, WrittenPcapngKeepsInterfacesAndIsReadByTcpdump) {
    if (!have("tcpdump")) GTEST_SKIP() << "tcpdump is not installed";
    const auto out = work_dir() / "copy.pcapng";
    const auto r = run(dump() + " -r " + corpus("pcapplusplus__dns_over_tcp.pcapng") + " -w " + quote(out.string()));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(tcpdump_read(quote(out.string()), "-x"), tcpdump_read(corpus("pcapplusplus__dns_over_tcp.pcapng"), "-x"));
    // pcapng by extension; --format overrides it.
    EXPECT_EQ(read_file(out).substr(0, 4), std::string("\x0a\x0d\x0d\x0a", 4));
    const auto forced = work_dir() / "forced.pcapng";
    ASSERT_EQ(
        run(dump() + " -r " + corpus("tcpdump__vxlan.pcap") + " --format pcap -w " + quote(forced.string())).status, 0);
    EXPECT_EQ(read_file(forced).substr(0, 4), std::string("\xd4\xc3\xb2\xa1", 4));
    if (have("tshark")) {
        // Several interfaces (of different link types) stay apart.
        const auto multi = work_dir() / "multi.pcapng";
        ASSERT_EQ(
            run(dump() + " -r " + corpus("pcapplusplus__many_interfaces-1.pcapng") + " -w " + quote(multi.string()))
                .status,
            0);
        const auto names = [](const std::string& f) {
            return run("tshark -r " + f + " -T fields -e frame.interface_name -e frame.len 2>/dev/null").out;
        };
        EXPECT_EQ(names(quote(multi.string())), names(corpus("pcapplusplus__many_interfaces-1.pcapng")));
    }
}

TEST(DumpFiles, SnaplenCutsWrittenFrames) {
    if (!have("tcpdump")) GTEST_SKIP() << "tcpdump is not installed";
    const auto out = work_dir() / "snap.pcap";
    ASSERT_EQ(run(dump() + " -r " + corpus("pcapplusplus__sll.pcap") + " -s 64 -c 10 -w " + quote(out.string())).status,
              0);
    const auto r = run("tcpdump -r " + quote(out.string()));
    EXPECT_NE(r.err.find("snapshot length 64"), std::string::npos) << r.err;
    EXPECT_EQ(lines(r.out).size(), 10u);
}

TEST(DumpFiles, RotationBySizeAndTime) {
    if (!have("tcpdump")) GTEST_SKIP() << "tcpdump is not installed";
    const auto dir = work_dir() / "rotate";
    fs::create_directories(dir);
    const std::string src = corpus("pcapplusplus__sll.pcap");
    // -C: rot.pcap, rot.pcap1, ... each a valid file, together every packet.
    ASSERT_EQ(run(dump() + " -r " + src + " -w " + quote((dir / "rot.pcap").string()) + " -C 100k").status, 0);
    std::string all;
    for (const char* name : {"rot.pcap", "rot.pcap1", "rot.pcap2", "rot.pcap3", "rot.pcap4"}) {
        ASSERT_TRUE(fs::exists(dir / name)) << name;
        EXPECT_LE(fs::file_size(dir / name), 100u * 1024 + 2000) << name;
        all += tcpdump_read(quote((dir / name).string()));
    }
    EXPECT_FALSE(fs::exists(dir / "rot.pcap5"));
    EXPECT_EQ(all, tcpdump_read(src));
    // -C with -W: a ring of numbered files.
    ASSERT_EQ(run(dump() + " -r " + src + " -w " + quote((dir / "ring.pcap").string()) + " -C 100k -W 3").status, 0);
    for (const char* name : {"ring.pcap0", "ring.pcap1", "ring.pcap2"}) EXPECT_TRUE(fs::exists(dir / name)) << name;
    EXPECT_FALSE(fs::exists(dir / "ring.pcap3"));
    EXPECT_FALSE(fs::exists(dir / "ring.pcap"));
    // -G: by packet time, names from strftime (TZ=UTC); -W stops after 2 files.
    ASSERT_EQ(
        run("TZ=UTC " + dump() + " -r " + src + " -w " + quote((dir / "t-%H%M%S.pcap").string()) + " -G 10").status, 0);
    for (const char* name :
         {"t-211747.pcap", "t-211757.pcap", "t-211807.pcap", "t-211817.pcap", "t-211827.pcap", "t-211837.pcap"}) {
        EXPECT_TRUE(fs::exists(dir / name)) << name;
    }
    const auto first = tcpdump_read(quote((dir / "t-211747.pcap").string()));
    EXPECT_EQ(lines(first).size(), 1u); // the RIP packet at 21:17:47, nothing else before 21:17:57
    ASSERT_EQ(run("TZ=UTC " + dump() + " -r " + src + " -w " + quote((dir / "w-%H%M%S.pcap").string()) + " -G 10 -W 2")
                  .status,
              0);
    EXPECT_TRUE(fs::exists(dir / "w-211747.pcap"));
    EXPECT_TRUE(fs::exists(dir / "w-211757.pcap"));
    EXPECT_FALSE(fs::exists(dir / "w-211807.pcap"));
}

TEST(DumpFiles, FilterCountAndStdin) {
    const std::string src = corpus("pcapplusplus__sll.pcap");
    const auto udp = run("TZ=UTC " + dump() + " -r " + src + " -c 3 udp port 53");
    EXPECT_EQ(udp.status, 0);
    const auto l = lines(udp.out);
    ASSERT_EQ(l.size(), 3u);
    for (const auto& line : l) EXPECT_NE(line.find(".53"), std::string::npos) << line;
    // Standard input: the same lines.
    const auto piped = run("cat " + src + " | TZ=UTC " + dump() + " -r - -c 3 udp port 53");
    EXPECT_EQ(piped.status, 0) << piped.err;
    EXPECT_EQ(piped.out, udp.out);
    if (have("tcpdump")) {
        // The filter selects what tcpdump's selects.
        const auto mine = run("TZ=UTC " + dump() + " -r " + src + " -tt 'arp or (ip6 and udp)'");
        const auto theirs = run("TZ=UTC tcpdump -nn -tt -r " + src + " 'arp or (ip6 and udp)'");
        ASSERT_EQ(lines(mine.out).size(), lines(theirs.out).size());
        for (std::size_t i = 0; i < lines(mine.out).size(); ++i) {
            EXPECT_EQ(lines(mine.out)[i].substr(0, 17), lines(theirs.out)[i].substr(0, 17)); // the same timestamps
        }
    }
}

TEST(DumpFiles, DamagedFilePrintsEverythingBeforeTheDamage) {
    // A pcap cut in the middle of its ninth record.
    const auto cut = work_dir() / "cut.pcap";
    write_file(cut, read_file(corpus_dir / "pcapplusplus__GrePackets.cap").substr(0, 1000));
    const auto r = run("TZ=UTC " + dump() + " -r " + quote(cut.string()));
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(lines(r.out).size(), 8u);
    EXPECT_EQ(r.out, [] {
        std::string first8;
        const auto all = lines(read_file(data_dir / "golden" / "GrePackets.txt"));
        for (std::size_t i = 0; i < 8; ++i) first8 += all[i] + "\n";
        return first8;
    }());
    EXPECT_NE(r.err.find("truncated at offset 912"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("after 8 packets"), std::string::npos) << r.err;
    // Written: the 8 packets, in a valid file.
    const auto out = work_dir() / "cut-copy.pcap";
    EXPECT_EQ(run(dump() + " -r " + quote(cut.string()) + " -w " + quote(out.string())).status, 2);
    if (have("tcpdump")) {
        EXPECT_EQ(lines(tcpdump_read(quote(out.string()))).size(), 8u);
    }
}

TEST(DumpFiles, ExitStatuses) {
    const std::string src = corpus("tcpdump__vxlan.pcap");
    EXPECT_EQ(run(dump() + " -r " + src).status, 0);
    EXPECT_EQ(run(dump() + " --help").status, 0);
    EXPECT_EQ(run(dump() + " --version").status, 0);
    // Usage: no input, both inputs, unknown option, bad values, bad filter.
    EXPECT_EQ(run(dump()).status, 1);
    EXPECT_EQ(run(dump() + " -r " + src + " -i lo").status, 1);
    EXPECT_EQ(run(dump() + " -r " + src + " --no-such-option").status, 1);
    EXPECT_EQ(run(dump() + " -r " + src + " -c 0").status, 1);
    EXPECT_EQ(run(dump() + " -r " + src + " -T xml").status, 1);
    EXPECT_EQ(run(dump() + " -r " + src + " -C 10").status, 1); // -C without -w
    const auto bad = run(dump() + " -r " + src + " tcp port");
    EXPECT_EQ(bad.status, 1);
    EXPECT_NE(bad.err.find("syntax error"), std::string::npos) << bad.err;
    // Input: missing file, not a capture, no such interface.
    const auto missing = run(dump() + " -r /nonexistent.pcap");
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("/nonexistent.pcap: no such file"), std::string::npos) << missing.err;
    EXPECT_EQ(run(dump() + " -r " + quote((corpus_dir / "INDEX.tsv").string())).status, 2);
    const auto iface = run(dump() + " -i rawpkt-no-such-if0");
    EXPECT_EQ(iface.status, 2);
    EXPECT_NE(iface.err.find("rawpkt-no-such-if0"), std::string::npos) << iface.err;
    // Output that cannot be created.
    EXPECT_EQ(run(dump() + " -r " + src + " -w /nonexistent-dir/x.pcap").status, 2);
}

TEST(DumpFiles, Stats) {
    const auto r = run(dump() + " -r " + corpus("pcapplusplus__sll.pcap") + " -q --stats --top 3");
    EXPECT_EQ(r.status, 0) << r.err;
    const auto l = lines(r.out);
    ASSERT_GT(l.size(), 10u);
    EXPECT_EQ(l[0], "packets   518");
    EXPECT_NE(r.out.find("\ntcp                   483   93.2%"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\narp                     7    1.4%"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\n10.0.0.8                                        494         449136"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("\ntcp/80 "), std::string::npos) << r.out;
    // With a filter, only what passed is counted.
    const auto arp = run(dump() + " -r " + corpus("pcapplusplus__sll.pcap") + " -q --stats arp");
    EXPECT_EQ(lines(arp.out)[0], "packets   7");
}

TEST(DumpFiles, StatsSayWhenTheTalkerTableIsFull) {
    const auto r = run(dump() + " -r " + corpus("pcapplusplus__sll.pcap") + " -q --stats --max-talkers 1");
    EXPECT_EQ(r.status, 0) << r.err;
    // The first address seen keeps its row; every later one is left out.
    EXPECT_NE(r.out.find("\ntalker table full (1 addresses): "), std::string::npos) << r.out;
    const auto full = run(dump() + " -r " + corpus("pcapplusplus__sll.pcap") + " -q --stats");
    EXPECT_EQ(full.out.find("talker table full"), std::string::npos) << full.out;
    EXPECT_EQ(run(dump() + " -r " + corpus("pcapplusplus__sll.pcap") + " -q --stats --max-talkers 0").status, 1);
}

TEST(DumpFiles, InterruptedCaptureLeavesAValidFile) {
    if (!have("tcpdump")) GTEST_SKIP() << "tcpdump is not installed";
    // Packets come through a pipe that stays open; SIGINT stops the dump,
    // which closes the file with every packet it read.
    const auto fifo = work_dir() / "fifo";
    const auto out = work_dir() / "interrupted.pcap";
    ASSERT_EQ(run("mkfifo " + quote(fifo.string())).status, 0);
    // The feeder keeps the pipe open for 20 s: the dump must stop on the
    // signal, not at the end of its input.
    const std::string feeder =
        "sh -c 'cat " + corpus("pcapplusplus__sll.pcap") + "; exec sleep 20' > " + quote(fifo.string()) + " &";
    const std::string cmd = feeder + " feeder=$!; " + dump() + " -r " + quote(fifo.string()) + " -w " +
                            quote(out.string()) + " & pid=$!; sleep 1; kill -INT $pid; wait $pid; echo status=$?; " +
                            "kill $feeder 2>/dev/null; true";
    const auto start = std::chrono::steady_clock::now();
    const auto r = run(cmd);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    EXPECT_NE(r.out.find("status=0"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.err.find("518 packets captured"), std::string::npos) << r.err;
    EXPECT_EQ(lines(tcpdump_read(quote(out.string()))).size(), 518u);
}

} // namespace
