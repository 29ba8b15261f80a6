// SPDX-License-Identifier: BSD-3-Clause
// Every capture of the corpus (and of tests/data/crafted), read with
// rawpkt's reader, decoded (lax) and printed with rawpkt::fields, compared cell by cell with what tshark prints
// for the same fields. tshark runs here, as the oracle, with checksum
// validation on and IP defragmentation and TCP reassembly off (rawpkt
// dissects each frame on its own). Every difference that remains is listed
// in `known` below with its reason.
#include <rawpkt/decode.hpp>
#include <rawpkt/fields.hpp>
#include <rawpkt/pcap/reader.hpp>

#include "support/counted_new.hpp"
#include "support/tshark_corpus.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace rawpkt;

bool have_tshark() { return std::system("tshark --version >/dev/null 2>&1") == 0; }

using test::known_difference;

const std::vector<known_difference> known = {
    // Protocols rawpkt does not decode (decoding stops there as unsupported).
    {"tcpdump__pim-packet-assortment.pcap", 632, "PIM register messages: tshark decodes the IP packet inside"},
    {"tcpdump__ipoib.pcap", 580, "link type IPOIB (242) is not decoded"},
    {"tcpdump__various_gre.pcap", 298, "GRE carrying Cisco metadata (0x8909): tshark decodes the IP packet after it"},
    {"tcpdump__nflog.pcap", 96, "link type NFLOG (239) is not decoded"},
    {"pcapplusplus__nflogPacket.pcap", 23, "link type NFLOG (239) is not decoded"},
    {"tcpdump__erspan-type-ii-1.pcap", 16, "ERSPAN type II inside GRE: tshark decodes the mirrored frame"},
    {"pcapplusplus__MplsPackets.pcap", 21,
     "a pseudowire control word after the label stack: tshark guesses Ethernet behind it, rawpkt stops"},
    {"pcapplusplus__NullLoopback.pcap", 25,
     "frame 3's null header 0x0f000800 is no address family; tshark takes its low 16 bits as an EtherType"},
    {"pcapplusplus__null_loopback.pcap", 25, "the same frame as NullLoopback.pcap"},
    // tshark's TCP analysis.
    {"pcapplusplus__dns_over_tcp.pcapng", 6,
     "frame 4 repeats frame 1's segment: tshark marks it a retransmission and leaves its DNS message undissected"},
    // Headers rawpkt refuses as a whole where tshark shows the fields that
    // precede the damage.
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
    {"pcapplusplus__IcmpPackets.pcap", 2,
     "a TCP header quoted in an ICMP error is cut to 8 bytes: tshark shows its ports, rawpkt needs 20"},
    // Timestamps (see the capture-file reader's tests).
    {"pcapplusplus__pcapng-example.pcapng", 100, "timestamps past 2262 do not fit in int64 nanoseconds"},
    {"tcpdump__timestamp_invalid_nano.pcap", 2,
     "a nanosecond fraction of 10^9 or more: rawpkt carries it into the seconds as libpcap does"},
    {"gopacket__le__test202.pcapng", 2, "Simple Packet Blocks have no timestamp: tshark prints none, rawpkt 0"},
    {"gopacket__be__test102.pcapng", 1, "Simple Packet Blocks have no timestamp: tshark prints none, rawpkt 0"},
};

TEST(CorpusFields, EveryCaptureMatchesTshark) {
    if (!have_tshark()) GTEST_SKIP() << "tshark is not installed (scripts/install-deps.sh installs it)";
    const std::vector<std::filesystem::path> captures = test::field_captures();
    ASSERT_GT(captures.size(), 100u);

    struct tally {
        std::size_t count = 0;
        std::string example;
    };
    std::map<std::pair<std::string, std::string>, tally> unexplained;
    std::map<const known_difference*, std::size_t> used;
    std::size_t frames_compared = 0;
    std::size_t cells_compared = 0;

    for (const auto& path : captures) {
        const std::string name = path.filename().string();
        std::vector<std::vector<std::string>> rows;
        for (const auto& line : test::tshark_corpus_lines(path)) rows.push_back(test::split_cells(line, '\t'));
        auto r = pcap::reader::open(path.string());
        if (!r || rows.size() <= 1) continue; // unreadable files are the reader tests' business
        const auto& header = rows[0];
        std::vector<fields::id> ids;
        for (const auto& h : header) {
            const auto f = fields::lookup(h);
            ASSERT_TRUE(f) << h;
            ids.push_back(*f);
        }
        std::vector<bool> is_packet{false}; // row 0 is the header
        for (const bool p : test::packet_records(name)) is_packet.push_back(p);
        decoded d;
        std::uint64_t number = 0; // tshark's frame number (it counts custom blocks too)
        for (const frame& f : *r) {
            ++number;
            while (number < is_packet.size() && !is_packet[number]) ++number;
            if (number >= rows.size()) break;
            const auto& row = rows[number];
            (void)decode(f.data, f.link, d, {.mode = decode_mode::lax});
            const fields::context ctx{f, number, d};
            for (std::size_t c = 0; c < ids.size() && c < row.size(); ++c) {
                const std::string mine = fields::value(ids[c], ctx);
                ++cells_compared;
                if (mine == row[c]) continue;
                if (const auto* k = test::explain(known, name)) {
                    ++used[k];
                    continue;
                }
                auto& t = unexplained[{name, header[c]}];
                if (t.count++ == 0) {
                    t.example = "frame " + std::to_string(number) + ": rawpkt '" + mine + "' tshark '" + row[c] + "'";
                }
            }
            ++frames_compared;
        }
    }
    for (const auto& [key, t] : unexplained) {
        ADD_FAILURE() << key.first << " " << key.second << ": " << t.count << " frames differ, first " << t.example;
    }
    std::printf("compared %zu frames, %zu cells\n", frames_compared, cells_compared);
    for (const auto& k : known) {
        EXPECT_EQ(used[&k], k.cells) << k.capture << ": " << k.reason;
    }
    EXPECT_GT(frames_compared, 40000u);
}

TEST(CorpusFields, ApplicationFieldsAllocateNothing) {
    // The dns.* and dhcp.* values are written straight into the output:
    // once it has room, printing them allocates nothing, for any occurrence.
    if (!rawpkt::test::counts_allocations) GTEST_SKIP() << "allocations are not counted under ThreadSanitizer";
    const std::filesystem::path data{RAWPKT_TEST_DATA_DIR};
    std::vector<fields::id> ids;
    for (const auto n : fields::names()) {
        if (n.starts_with("dns.") || n.starts_with("dhcp.")) ids.push_back(*fields::lookup(n));
    }
    std::string out;
    out.reserve(1 << 16);
    std::size_t printed = 0;
    for (const auto* name :
         {"crafted/dns_special_strings.pcap", "corpus/tcpdump__dns_udp.pcap", "corpus/pcapplusplus__DnsPackets.pcap",
          "corpus/tcpdump__edns-opts.pcap", "corpus/pcapplusplus__Dhcp1.pcap"}) {
        auto r = pcap::reader::open((data / name).string());
        ASSERT_TRUE(r) << name;
        decoded d;
        std::uint64_t number = 0;
        for (const frame& f : *r) {
            (void)decode(f.data, f.link, d, {.mode = decode_mode::lax});
            const fields::context ctx{f, ++number, d};
            const std::size_t before = rawpkt::test::allocations.load();
            for (const auto which : {fields::occurrence::first, fields::occurrence::last, fields::occurrence::all}) {
                for (const auto id : ids) {
                    out.clear();
                    fields::append(out, id, ctx, which);
                    printed += out.size();
                }
            }
            EXPECT_EQ(rawpkt::test::allocations.load(), before) << name << " frame " << number;
        }
    }
    EXPECT_GT(printed, 10000u);
}

} // namespace
