// SPDX-License-Identifier: BSD-3-Clause
// rawpkt-dump --dns-tcp -T fields against tshark with its TCP reassembly on
// (its default): the dns.* fields of DNS over TCP on the frame that
// completes each message, for the corpus's DNS-over-TCP captures and for
// a capture written here with two messages in one segment and one message
// over three segments, out of order; also with a filter expression, which
// picks the frames printed but not those reassembled.
#include "run.hpp"

#include "support/tcp_segments.hpp"

#include <rawpkt/fields.hpp>
#include <rawpkt/packet/tcp.hpp>
#include <rawpkt/pcap/writer.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace rawpkt;
using namespace rawpkt::tooltest;
using rawpkt::test::operator""_hex;

/// Every dns.* field rawpkt prints.
std::string dns_fields() {
    std::string e = " -e frame.number";
    for (const auto n : fields::names()) {
        if (std::string_view(n).starts_with("dns.")) e += " -e " + std::string(n);
    }
    return e + " -E header=y -E occurrence=a";
}

/// Compares the two; `filter` (a tcpdump expression) and `display_filter`
/// (tshark's -Y) pick the same frames.
void expect_same_as_tshark(const std::filesystem::path& capture, const std::string& tshark_options = "",
                           const std::string& filter = "", const std::string& display_filter = "") {
    const std::string y = display_filter.empty() ? "" : " -Y " + quote(display_filter);
    const auto theirs = run("tshark -n -r " + quote(capture.string()) + tshark_options + y + " -T fields" +
                            dns_fields() + " 2>/dev/null");
    const std::string f = filter.empty() ? "" : " -- " + quote(filter);
    const auto mine =
        run(tool("rawpkt-dump") + " -r " + quote(capture.string()) + " --dns-tcp -T fields" + dns_fields() + f);
    EXPECT_EQ(mine.status, 0) << mine.err;
    ASSERT_FALSE(theirs.out.empty());
    EXPECT_EQ(mine.out, theirs.out) << capture;
}

TEST(DumpDnsTcp, CorpusCapturesMatchTshark) {
    if (!have("tshark")) GTEST_SKIP() << "tshark is not installed";
    expect_same_as_tshark(corpus_dir / "tcpdump__dns_tcp.pcap");
    expect_same_as_tshark(corpus_dir / "pcapplusplus__dns_over_tcp.pcapng");
    // The responses only: their first segments are printed or not, the
    // reassembly sees them all.
    expect_same_as_tshark(corpus_dir / "tcpdump__dns_tcp.pcap", "", "tcp src port 53", "tcp.srcport == 53");
    expect_same_as_tshark(corpus_dir / "pcapplusplus__dns_over_tcp.pcapng", "", "tcp src port 53", "tcp.srcport == 53");
}

TEST(DumpDnsTcp, MessagesAcrossAndWithinSegments) {
    if (!have("tshark")) GTEST_SKIP() << "tshark is not installed";
    namespace fl = tcp::flag;
    // Two queries back to back (ids 1 and 2, a.example A and b.example
    // AAAA), then a response to the first: id 1, one answer a.example A
    // 192.0.2.7.
    const auto queries = R"(
        00 1b 00 01 01 00 00 01 00 00 00 00 00 00 01 61 07 65 78 61 6d 70 6c 65 00 00 01 00 01
        00 1b 00 02 01 00 00 01 00 00 00 00 00 00 01 62 07 65 78 61 6d 70 6c 65 00 00 1c 00 01)"_hex;
    const auto response = R"(
        00 2b 00 01 81 80 00 01 00 01 00 00 00 00 01 61 07 65 78 61 6d 70 6c 65 00 00 01 00 01
        c0 0c 00 01 00 01 00 00 00 3c 00 04 c0 00 02 07)"_hex;
    const std::string q(reinterpret_cast<const char*>(queries.data()), queries.size());
    const std::string r(reinterpret_cast<const char*>(response.data()), response.size());
    // The connection of tcp_segments.hpp, moved to port 53.
    const auto on_53 = [](std::vector<std::byte> p, bool reply) {
        auto t = tcp::mut_view::unchecked(mut_bytes{p}.subspan(20));
        if (reply) {
            t.set_src_port(53);
        } else {
            t.set_dst_port(53);
        }
        return p;
    };
    using rawpkt::test::segment;
    const std::vector<std::vector<std::byte>> packets = {
        on_53(segment(false, 100, fl::syn), false),
        on_53(segment(true, 900, fl::syn | fl::ack), true),
        on_53(segment(false, 101, fl::ack | fl::psh, q), false),
        on_53(segment(true, 901, fl::ack, r.substr(0, 10)), true),
        on_53(segment(true, 931, fl::ack | fl::psh, r.substr(30)), true), // ahead of a hole
        on_53(segment(true, 911, fl::ack, r.substr(10, 20)), true),       // fills it
    };
    const auto path = work_dir() / "dns_tcp_built.pcap";
    {
        auto w = pcap::writer::open(path.string(), {.format = pcap::file_format::pcap, .link = link_type::raw});
        ASSERT_TRUE(w);
        std::int64_t ns = 1'000'000'000;
        for (const auto& p : packets) {
            frame f;
            f.data = bytes{p};
            f.original_len = static_cast<std::uint32_t>(p.size());
            f.timestamp_ns = ns += 1000;
            f.link = link_type::raw;
            ASSERT_TRUE(w->write(f));
        }
        ASSERT_TRUE(w->close());
    }
    // tshark 4.0 reassembles segments that come after a hole only with
    // tcp.reassemble_out_of_order on (off by default); rawpkt always does.
    expect_same_as_tshark(path, " -o tcp.reassemble_out_of_order:TRUE");
    // A filter picks what is printed, not what is reassembled: frames 3
    // and 6 only (60 bytes and more), the response still complete on 6.
    expect_same_as_tshark(path, " -o tcp.reassemble_out_of_order:TRUE", "greater 60", "frame.len >= 60");
    const auto filtered = lines(run(tool("rawpkt-dump") + " -r " + quote(path.string()) +
                                    " --dns-tcp -T fields -e frame.number -e dns.a -- 'greater 60'")
                                    .out);
    ASSERT_EQ(filtered.size(), 2u);
    EXPECT_EQ(filtered[0], "3\t");
    EXPECT_EQ(filtered[1], "6\t192.0.2.7");
    // What tshark prints there: both queries on frame 3, the response on
    // frame 6, which completes it.
    const auto mine =
        lines(run(tool("rawpkt-dump") + " -r " + quote(path.string()) +
                  " --dns-tcp -T fields -e frame.number -e dns.id -e dns.qry.name -e dns.a -E occurrence=a")
                  .out);
    ASSERT_EQ(mine.size(), 6u);
    EXPECT_EQ(mine[2], "3\t0x0001,0x0002\ta.example,b.example\t");
    EXPECT_EQ(mine[3], "4\t\t\t");
    EXPECT_EQ(mine[5], "6\t0x0001\ta.example\t192.0.2.7");
}

TEST(DumpDnsTcp, OnlyForFields) {
    const auto r =
        run(tool("rawpkt-dump") + " -r " + quote((corpus_dir / "tcpdump__dns_tcp.pcap").string()) + " --dns-tcp");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("--dns-tcp is for -T fields"), std::string::npos) << r.err;
}

} // namespace
