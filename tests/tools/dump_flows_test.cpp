// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-dump --follow and --flows. --follow prints exactly what tshark's
// -z follow,tcp,raw,N prints (tshark runs as the oracle) for every stream of
// captures whose segments arrive in order; --flows prints each flow once,
// in the format asked for.
#include "run.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace rawpkt::tooltest;

std::string dump() { return tool("rawpkt-dump"); }
std::string corpus(const char* name) { return quote((corpus_dir / name).string()); }

TEST(DumpFlows, FollowPrintsWhatTsharkPrints) {
    if (!have("tshark")) GTEST_SKIP() << "tshark not installed";
    struct capture {
        const char* name;
        int streams;
    };
    // In-order captures: tshark's output and rawpkt's are equal line for line.
    for (const capture c : {capture{"tcpdump__dns_tcp.pcap", 1}, capture{"tcpdump__print-flags.pcap", 1},
                            capture{"tcpdump__accecn_handshake.pcap", 1}, capture{"tcpdump__tcp_rst_data.pcap", 1},
                            capture{"pcapplusplus__one_tcp_stream_fin_rst_close_packet.pcap", 1},
                            capture{"tcpdump__tfo-5c1fa7f9ae91.pcap", 3}, capture{"tcpdump__mptcp-v1.pcap", 1},
                            capture{"pcapplusplus__dns_over_tcp.pcapng", 2}}) {
        for (int n = 0; n <= c.streams; ++n) { // one past the last: both print an empty stream
            SCOPED_TRACE(std::string(c.name) + " stream " + std::to_string(n));
            const auto ours = run(dump() + " -r " + corpus(c.name) + " --follow tcp," + std::to_string(n));
            const auto theirs =
                run("tshark -n -r " + corpus(c.name) + " -q -z follow,tcp,raw," + std::to_string(n) + " 2>/dev/null");
            EXPECT_EQ(ours.status, 0) << ours.err;
            EXPECT_EQ(ours.out, theirs.out);
        }
    }
}

TEST(DumpFlows, FlowsAsCsvJsonAndTable) {
    const auto csv = run(dump() + " -r " + corpus("tcpdump__dns_tcp.pcap") + " --flows csv");
    ASSERT_EQ(csv.status, 0) << csv.err;
    // tshark -z conv,tcp: 192.168.1.11:33779 <-> 209.87.249.18:53, 6 frames one way, 5 back.
    EXPECT_EQ(lines(csv.out),
              (std::vector<std::string>{"src,dst,sport,dport,proto,vlan,tunnel,depth,first_ns,last_ns,packets_fwd,"
                                        "packets_rev,bytes_fwd,bytes_rev,tcp_flags_fwd,tcp_flags_rev,end",
                                        "192.168.1.11,209.87.249.18,33779,53,6,0,0,0,1591780863720289000,"
                                        "1591780864101256000,6,5,318,430,APSF,APSF,end"}));
    const auto json = run(dump() + " -r " + corpus("tcpdump__geneve.pcap") + " --flows json");
    ASSERT_EQ(json.status, 0) << json.err;
    const auto rows = lines(json.out);
    ASSERT_EQ(rows.size(), 2u); // the tunnelled ICMP and SSH flows, each direction in one record
    EXPECT_NE(rows[1].find(R"("src":"30.0.0.2","dst":"30.0.0.1","sport":51225,"dport":22,"proto":6)"),
              std::string::npos);
    EXPECT_NE(rows[1].find(R"("packets":[17,16])"), std::string::npos);
    const auto table = run(dump() + " -r " + corpus("tcpdump__geneve.pcap") + " --flows table");
    ASSERT_EQ(table.status, 0) << table.err;
    EXPECT_NE(table.out.find("2 flows, 39 packets, 0 without a flow"), std::string::npos);
}

TEST(DumpFlows, FullFlowTableIsSaidOnce) {
    // Two flows through a table of one: the first is evicted when the second starts.
    const auto csv = run(dump() + " -r " + corpus("tcpdump__geneve.pcap") + " --flows csv --max-flows 1");
    ASSERT_EQ(csv.status, 0) << csv.err;
    EXPECT_EQ(csv.err, "rawpkt-dump: flow table full (1 flows): oldest evicted (--max-flows)\n");
    const auto rows = lines(csv.out);
    ASSERT_GE(rows.size(), 3u);
    EXPECT_TRUE(rows[1].ends_with(",evicted")) << rows[1];
    const auto roomy = run(dump() + " -r " + corpus("tcpdump__geneve.pcap") + " --flows csv --max-flows 2");
    EXPECT_EQ(roomy.err, "");
}

TEST(DumpFlows, FollowSaysWhereTheStreamIsCut) {
    const std::string file = corpus("tcpdump__dns_tcp.pcap");
    const auto whole = run(dump() + " -r " + file + " --follow tcp,0");
    ASSERT_EQ(whole.status, 0) << whole.err;
    EXPECT_EQ(whole.err, "");
    const auto cut = run(dump() + " -r " + file + " --follow tcp,0 --follow-max 100");
    ASSERT_EQ(cut.status, 0) << cut.err;
    EXPECT_NE(cut.err.find("rawpkt-dump: --follow: stream 0 holds more than 100 bytes (--follow-max): "),
              std::string::npos)
        << cut.err;
    EXPECT_LT(cut.out.size(), whole.out.size());
    // A connection table of one, on a capture of several connections.
    const auto small =
        run(dump() + " -r " + corpus("tcpdump__tfo-5c1fa7f9ae91.pcap") + " --follow tcp,0 --max-flows 1");
    ASSERT_EQ(small.status, 0) << small.err;
    EXPECT_EQ(small.err, "rawpkt-dump: connection table full (1 connections): oldest evicted (--max-flows)\n");
}

TEST(DumpFlows, UsageErrors) {
    EXPECT_EQ(run(dump() + " -r " + corpus("tcpdump__dns_tcp.pcap") + " --follow tcp,0 --follow-max 0").status, 1);
    EXPECT_EQ(run(dump() + " -r " + corpus("tcpdump__dns_tcp.pcap") + " --follow tcp,0 --follow-max lots").status, 1);
    EXPECT_EQ(run(dump() + " -r " + corpus("tcpdump__dns_tcp.pcap") + " --flows csv --max-flows 0").status, 1);
    EXPECT_EQ(run(dump() + " -r " + corpus("tcpdump__dns_tcp.pcap") + " --follow udp,0").status, 1);
    EXPECT_EQ(run(dump() + " -r " + corpus("tcpdump__dns_tcp.pcap") + " --follow tcp,x").status, 1);
    EXPECT_EQ(run(dump() + " -r " + corpus("tcpdump__dns_tcp.pcap") + " --flows xml").status, 1);
    EXPECT_EQ(run(dump() + " -i lo --flows json").status, 1);
    EXPECT_EQ(run(dump() + " -r /nonexistent.pcap --flows json").status, 2);
}

} // namespace
