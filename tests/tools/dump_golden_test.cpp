// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-dump's one-line, verbose, hex and JSON output against golden files
// (tests/data/golden/). The golden files were made by the tool and checked
// by eye against `tcpdump -nn -S` (and, for JSON, against tshark's fields)
// for the same captures. After a deliberate change of the output, run this
// test with RAWPKT_UPDATE_GOLDEN=1 to write them anew, and check the diff.
// Times print in UTC (TZ=UTC) so the files do not depend on the machine.
#include "run.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace {

using namespace rawpkt::tooltest;

struct golden_case {
    const char* capture;
    const char* args;
    const char* golden;
};

const golden_case cases[] = {
    {"pcapplusplus__sll.pcap", "-c 60", "sample.txt"},
    {"pcapplusplus__GrePackets.cap", "", "GrePackets.txt"},
    {"pcapplusplus__IcmpPackets.pcap", "", "IcmpPackets.txt"},
    {"tcpdump__vxlan.pcap", "", "vxlan.txt"},
    {"tcpdump__geneve.pcap", "-c 12", "geneve.txt"},
    {"pcapplusplus__MplsPackets.pcap", "", "MplsPackets.txt"},
    {"tcpdump__mpls-traceroute.pcap", "", "mpls-traceroute.txt"},
    {"pcapplusplus__ipv6_options.pcap", "", "ipv6_options.txt"},
    {"pcapplusplus__ip6_fragments.pcap", "-c 6", "ip6_fragments.txt"},
    {"pcapplusplus__ip4_fragments.pcap", "-c 6", "ip4_fragments.txt"},
    {"tcpdump__icmpv6.pcap", "", "icmpv6.txt"},
    {"pcapplusplus__IcmpV6_NeighAdvSoli.pcap", "", "IcmpV6_NeighAdvSoli.txt"},
    {"tcpdump__802.1ad_QinQ.pcap", "", "QinQ.txt"},
    {"pcapplusplus__PPPoESession.pcap", "", "PPPoESession.txt"},
    {"tcpdump__LLDP_and_CDP.pcap", "-c 6", "LLDP_and_CDP.txt"},
    {"pcapplusplus__gtp-u.pcap", "-c 4", "gtp-u.txt"},
    {"tcpdump__accecn_handshake.pcap", "", "accecn_handshake.txt"},
    {"pcapplusplus__IPv4-encapsulated-IPv6.pcap", "", "IPv4-encapsulated-IPv6.txt"},
    {"pcapplusplus__tcp-malformed.pcap", "", "tcp-malformed.txt"},
    {"pcapplusplus__NullLoopback.pcap", "", "NullLoopback.txt"},
    {"tcpdump__nflog.pcap", "-c 2", "nflog.txt"},
    // tcpdump -e, time formats
    {"pcapplusplus__sll.pcap", "-c 5 --link -tttt", "sample-link.txt"},
    {"pcapplusplus__ArpRequestWithVlan.pcap", "--link -tt", "ArpRequestWithVlan-link.txt"},
    {"tcpdump__vxlan.pcap", "-c 4 -ttt --nano", "vxlan-delta.txt"},
    // -v and -x
    {"pcapplusplus__GrePackets.cap", "-c 12 -v", "GrePackets-verbose.txt"},
    {"tcpdump__vxlan.pcap", "-c 2 -v -x", "vxlan-verbose-hex.txt"},
    // JSON
    {"pcapplusplus__sll.pcap", "-c 20 -T json", "sample.jsonl"},
    {"tcpdump__vxlan.pcap", "-T json", "vxlan.jsonl"},
    {"pcapplusplus__IcmpPackets.pcap", "-T json", "IcmpPackets.jsonl"},
    {"pcapplusplus__ipv6_options.pcap", "-T json", "ipv6_options.jsonl"},
};

TEST(DumpGolden, OutputMatchesGoldenFiles) {
    const bool update = std::getenv("RAWPKT_UPDATE_GOLDEN") != nullptr;
    const auto dir = data_dir / "golden";
    for (const auto& c : cases) {
        const auto r =
            run("TZ=UTC " + tool("rawpkt-dump") + " -r " + quote((corpus_dir / c.capture).string()) + " " + c.args);
        EXPECT_EQ(r.status, 0) << c.capture << ": " << r.err;
        if (update) {
            write_file(dir / c.golden, r.out);
            continue;
        }
        EXPECT_EQ(r.out, read_file(dir / c.golden)) << c.golden << " (RAWPKT_UPDATE_GOLDEN=1 writes it anew)";
    }
}

TEST(DumpGolden, JsonLinesAreJson) {
    if (!have("python3")) GTEST_SKIP() << "python3 is not installed";
    // Every line is one JSON object; the layers of the first VXLAN frame.
    const auto r = run(tool("rawpkt-dump") + " -r " + quote((corpus_dir / "tcpdump__vxlan.pcap").string()) +
                       " -T json | python3 -c \"import sys, json\n"
                       "for line in sys.stdin: o = json.loads(line); print(','.join(l['protocol'] for l in "
                       "o['layers']))\"");
    EXPECT_EQ(r.status, 0) << r.err;
    const auto out = lines(r.out);
    ASSERT_EQ(out.size(), 10u);
    EXPECT_EQ(out[0], "eth,ip,udp,vxlan,eth,ip,icmp");
    EXPECT_EQ(out[1], "eth,ip,udp,vxlan,eth,arp");
}

} // namespace
