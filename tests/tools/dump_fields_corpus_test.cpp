// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-dump -T fields against tshark -T fields over every capture of the
// corpus and of tests/data/crafted: the same fields (all that rawpkt
// prints), the same -E options,
// compared cell by cell. The values come from rawpkt::fields, which the
// unit test tests/unit/pcap/corpus_fields_test.cpp compares with tshark
// field by field; the differences it explains show up here too and are
// listed again, with the few that belong to the tool (frame numbering).
#include "run.hpp"
#include "support/tshark_corpus.hpp"

#include <rawpkt/fields.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace {

using namespace rawpkt;
using namespace rawpkt::tooltest;

using test::known_difference;

// The differences of rawpkt::fields (see corpus_fields_test.cpp), and the
// tool's own: frame.number counts packets, where tshark counts pcapng
// custom blocks as frames too.
const std::vector<known_difference> known = {
    {"tcpdump__pim-packet-assortment.pcap", 632, "PIM register messages: tshark decodes the IP packet inside"},
    {"tcpdump__ipoib.pcap", 580, "link type IPOIB (242) is not decoded"},
    {"tcpdump__various_gre.pcap", 298, "GRE carrying Cisco metadata (0x8909): tshark decodes the IP packet after it"},
    {"tcpdump__nflog.pcap", 96, "link type NFLOG (239) is not decoded"},
    {"pcapplusplus__nflogPacket.pcap", 23, "link type NFLOG (239) is not decoded"},
    {"tcpdump__erspan-type-ii-1.pcap", 16, "ERSPAN type II inside GRE: tshark decodes the mirrored frame"},
    {"pcapplusplus__MplsPackets.pcap", 21, "a pseudowire control word after the label stack"},
    {"pcapplusplus__NullLoopback.pcap", 25, "a null header that is no address family"},
    {"pcapplusplus__null_loopback.pcap", 25, "the same frame as NullLoopback.pcap"},
    {"pcapplusplus__dns_over_tcp.pcapng", 6, "frame 4 is a TCP retransmission: tshark leaves its DNS undissected"},
    {"pcapplusplus__tcp-malformed.pcap", 18, "TCP header length 28 past the IPv4 total length"},
    {"pcapplusplus__ip4_bad_fragment.pcap", 13, "IPv4 header length 60 past the captured bytes"},
    {"tcpdump__heapoverflow-tcp_print.pcap", 10, "TCP header cut by the capture"},
    {"tcpdump__ipv6_invalid_length.pcap", 6, "IPv6 payload length past the frame"},
    {"pcapplusplus__ipv4-malformed.pcap", 4, "IPv4 total length below its header length"},
    {"tcpdump__ipv4_invalid_hdr_length.pcap", 2, "IPv4 header length below 20"},
    {"tcpdump__tcp_header_heapoverflow.pcap", 2, "TCP header cut by the capture"},
    {"tcpdump__udp-length-heapoverflow.pcap", 2, "UDP header cut by the capture"},
    {"tcpdump__LINKTYPE_IPV6_invalid.pcap", 1, "an IPv4 packet in a LINKTYPE_IPV6 file"},
    {"tcpdump__gre-heapoverflow-1.pcap", 1, "GRE payload of 2 bytes: tshark shows an IP version of 0"},
    {"pcapplusplus__IcmpPackets.pcap", 2, "a TCP header quoted in an ICMP error cut to 8 bytes"},
    {"pcapplusplus__pcapng-example.pcapng", 100, "timestamps past 2262 do not fit in int64 nanoseconds"},
    {"tcpdump__timestamp_invalid_nano.pcap", 2, "a nanosecond fraction of 10^9 or more, carried into the seconds"},
    {"gopacket__le__test202.pcapng", 2 + 8,
     "Simple Packet Blocks have no timestamp: tshark prints none, rawpkt 0 (2); frame.number: tshark numbers the "
     "custom blocks before the 8 packets as frames, rawpkt-dump numbers packets (8)"},
    {"gopacket__be__test102.pcapng", 1 + 5,
     "Simple Packet Blocks have no timestamp (1); frame.number of the 5 packets after a custom block (5)"},
};

TEST(DumpFieldsCorpus, EveryCaptureMatchesTshark) {
    if (!have("tshark")) GTEST_SKIP() << "tshark is not installed (scripts/install-deps.sh installs it)";
    const std::string fields = test::every_field_option();
    const std::string opts{test::corpus_field_options};

    const std::vector<std::filesystem::path> captures = test::field_captures();
    ASSERT_GT(captures.size(), 100u);

    std::map<const known_difference*, std::size_t> used;
    std::map<std::string, std::string> unexplained; // capture -> first difference
    std::size_t rows_compared = 0;
    for (const auto& path : captures) {
        const std::string name = path.filename().string();
        const auto theirs = test::tshark_corpus_lines(path);
        const auto mine_run = run(tool("rawpkt-dump") + " -r " + quote(path.string()) + " -T fields" + fields + opts);
        const auto mine = lines(mine_run.out);
        if (theirs.empty()) continue; // tshark could not read it: the reader tests' business
        // The rows tshark prints for packets (header first).
        std::vector<std::string> want{theirs[0]};
        const auto is_packet = test::packet_records(name);
        for (std::size_t i = 1; i < theirs.size(); ++i) {
            if (i - 1 >= is_packet.size() || is_packet[i - 1]) want.push_back(theirs[i]);
        }
        const auto* k = test::explain(known, name);
        std::size_t differences = 0;
        std::string first;
        if (mine.size() != want.size()) {
            ++differences;
            first = "rows: rawpkt " + std::to_string(mine.size()) + ", tshark " + std::to_string(want.size());
        }
        for (std::size_t r = 0; r < std::min(mine.size(), want.size()); ++r) {
            const auto a = split(mine[r], '\t');
            const auto b = split(want[r], '\t');
            for (std::size_t c = 0; c < std::max(a.size(), b.size()); ++c) {
                const std::string x = c < a.size() ? a[c] : "<none>";
                const std::string y = c < b.size() ? b[c] : "<none>";
                if (x == y) continue;
                ++differences;
                if (first.empty())
                    first = "row " + std::to_string(r) + " column " + std::to_string(c) + ": '" + x + "' tshark '" + y +
                            "'";
            }
            ++rows_compared;
        }
        if (k != nullptr) {
            used[k] += differences;
        } else if (differences > 0) {
            unexplained[name] = std::to_string(differences) + " differences, first " + first;
        }
    }
    for (const auto& [capture, what] : unexplained) ADD_FAILURE() << capture << ": " << what;
    for (const auto& k : known) EXPECT_EQ(used[&k], k.cells) << k.capture << ": " << k.reason;
    std::printf("compared %zu rows\n", rows_compared);
    EXPECT_GT(rows_compared, 40000u);
}

TEST(DumpFieldsCorpus, FirstAndLastOccurrenceOfDnsStrings) {
    // The DNS names and TXT strings of the crafted capture (many per frame)
    // with -E occurrence=f and l, which the test above does not use.
    if (!have("tshark")) GTEST_SKIP() << "tshark is not installed (scripts/install-deps.sh installs it)";
    const auto capture = data_dir / "crafted" / "dns_special_strings.pcap";
    std::string fields;
    for (const auto n : fields::names()) {
        if (std::string_view(n).starts_with("dns.")) fields += " -e " + std::string(n);
    }
    for (const char* occurrence : {"f", "l"}) {
        const std::string opts = fields + " -E occurrence=" + occurrence;
        const auto theirs = run(test::tshark_fields_command(capture) + opts + " 2>/dev/null");
        const auto mine = run(tool("rawpkt-dump") + " -r " + quote(capture.string()) + " -T fields" + opts);
        ASSERT_EQ(mine.status, 0) << mine.err;
        ASSERT_GT(lines(theirs.out).size(), 10u);
        EXPECT_EQ(mine.out, theirs.out) << "occurrence=" << occurrence;
    }
}

} // namespace
