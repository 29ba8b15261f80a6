// SPDX-License-Identifier: BSD-3-Clause
// DNS over TCP: the length-prefixed messages of a stream split out of the
// pieces the TCP reassembler delivers, whatever their cut; too-long
// messages skipped in step; gaps; and the messages of the corpus's DNS-over-
// TCP captures against what tshark dissects (with its TCP reassembly on).
#include <rawpkt/decode.hpp>
#include <rawpkt/flow/dns_stream.hpp>
#include <rawpkt/flow/tcp_reassembly.hpp>
#include <rawpkt/packet/dns.hpp>
#include <rawpkt/pcap/reader.hpp>

#include "support/golden_frames.hpp"
#include "support/hex.hpp"
#include "support/tcp_segments.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace rawpkt;
using namespace rawpkt::flow;
using rawpkt::test::operator""_hex;

// Two queries as a client sends them back to back on one connection
// (RFC 7766 §6.2.1.1): tshark 4.0 on these bytes behind TCP port 53:
//   Length: 27; Domain Name System (query), Transaction ID: 0x0001, Queries: a.example: type A, class IN
//   Length: 27; Domain Name System (query), Transaction ID: 0x0002, Queries: b.example: type AAAA, class IN
constexpr auto two_queries = R"(
    00 1b 00 01 01 00 00 01 00 00 00 00 00 00 01 61 07 65 78 61 6d 70 6c 65 00 00 01 00 01
    00 1b 00 02 01 00 00 01 00 00 00 00 00 00 01 62 07 65 78 61 6d 70 6c 65 00 00 1c 00 01)"_hex;

struct collected {
    std::vector<std::string> messages; // as hex-free text: size and id, or the error
    std::vector<const std::byte*> where;
    void operator()(const result<bytes>& m) {
        if (!m) {
            messages.push_back(to_string(m.error()));
            return;
        }
        where.push_back(m->data());
        const auto v = dns::view::checked(*m);
        std::string e = std::to_string(m->size());
        if (v) {
            e += " id ";
            e += std::to_string(v->id());
        }
        messages.push_back(e);
    }
};

TEST(DnsStream, SeveralMessagesInOnePieceHandedOutInPlace) {
    dns_stream s;
    collected c;
    s.feed(bytes{two_queries}, std::ref(c));
    EXPECT_EQ(c.messages, (std::vector<std::string>{"27 id 1", "27 id 2"}));
    EXPECT_EQ(c.where, (std::vector<const std::byte*>{two_queries.data() + 2, two_queries.data() + 31}));
    EXPECT_EQ(s.messages(), 2u);
    EXPECT_EQ(s.offset(), two_queries.size());
    EXPECT_FALSE(s.partial());
    EXPECT_EQ(s.buffered(), 0u);
}

TEST(DnsStream, EveryCutOfTheStreamGivesTheSameMessages) {
    // Two pieces, cut at every place; then one byte at a time.
    for (std::size_t cut = 0; cut <= two_queries.size(); ++cut) {
        dns_stream s;
        collected c;
        s.feed(bytes{two_queries}.first(cut), std::ref(c));
        s.feed(bytes{two_queries}.subspan(cut), std::ref(c));
        EXPECT_EQ(c.messages, (std::vector<std::string>{"27 id 1", "27 id 2"})) << cut;
        EXPECT_FALSE(s.partial()) << cut;
    }
    dns_stream s;
    collected c;
    for (std::size_t i = 0; i < two_queries.size(); ++i) {
        s.feed(bytes{two_queries}.subspan(i, 1), std::ref(c));
        // Only one message is ever held.
        EXPECT_LE(s.buffered(), 27u);
    }
    EXPECT_EQ(c.messages, (std::vector<std::string>{"27 id 1", "27 id 2"}));
}

TEST(DnsStream, TooLongMessagesAreSkippedInStep) {
    dns_stream s{20};
    collected c;
    // A 27-byte message over the bound of 20, cut in three, then a 1-byte
    // message and an empty one.
    const bytes b{two_queries};
    s.feed(b.first(1), std::ref(c));
    s.feed(b.subspan(1, 10), std::ref(c));
    EXPECT_TRUE(s.partial());
    EXPECT_EQ(s.buffered(), 0u); // skipped, not held
    s.feed(b.subspan(11, 18), std::ref(c));
    const auto tail = R"(00 01 ff 00 00)"_hex;
    s.feed(bytes{tail}, std::ref(c));
    EXPECT_EQ(c.messages.size(), 3u);
    EXPECT_EQ(c.messages[1], "1");
    EXPECT_EQ(c.messages[2], "0");
    EXPECT_EQ(s.messages(), 2u);
    // In step: the second message (27 bytes too) is found at offset 29.
    dns_stream again{20};
    std::vector<error> errors;
    again.feed(b, [&](const result<bytes>& m) {
        if (!m) errors.push_back(m.error());
    });
    EXPECT_EQ(errors,
              (std::vector<error>{
                  error::invalid(layer::dns, errc::length_too_large, length_source::total_length, 0, 20, 27),
                  error::invalid(layer::dns, errc::length_too_large, length_source::total_length, 29, 20, 27)}));
}

TEST(DnsStream, Gaps) {
    const bytes b{two_queries};
    {
        // A gap inside a skipped message only shortens the skip.
        dns_stream s{20};
        collected c;
        s.feed(b.first(5), std::ref(c));
        s.gap(20, std::ref(c));
        s.feed(b.subspan(25), std::ref(c));
        // The second message is found where it starts.
        EXPECT_EQ(c.messages,
                  (std::vector<std::string>{to_string(error::invalid(layer::dns, errc::length_too_large,
                                                                     length_source::total_length, 0, 20, 27)),
                                            to_string(error::invalid(layer::dns, errc::length_too_large,
                                                                     length_source::total_length, 29, 20, 27))}));
        EXPECT_FALSE(s.failed());
    }
    {
        // Inside a message: the framing is lost for good.
        dns_stream s;
        std::vector<error> errors;
        std::size_t good = 0;
        const auto fn = [&](const result<bytes>& m) {
            if (m) {
                ++good;
            } else {
                errors.push_back(m.error());
            }
        };
        s.feed(b.first(10), fn);
        EXPECT_EQ(s.buffered(), 8u);
        s.gap(5, fn);
        s.feed(b.subspan(15), fn);
        EXPECT_TRUE(s.failed());
        EXPECT_EQ(good, 0u);
        EXPECT_EQ(errors, (std::vector<error>{error::truncated(layer::dns, length_source::total_length, 0, 29, 10)}));
        EXPECT_EQ(s.buffered(), 0u);
    }
    {
        // Between messages, and in a length prefix.
        dns_stream s;
        std::vector<error> errors;
        const auto fn = [&](const result<bytes>& m) {
            if (!m) errors.push_back(m.error());
        };
        s.feed(b.first(29), fn);
        s.gap(7, fn);
        dns_stream t;
        t.feed(b.first(30), fn);
        t.gap(1, fn);
        EXPECT_EQ(errors, (std::vector<error>{error::truncated(layer::dns, length_source::none, 29, 7, 0),
                                              error::truncated(layer::dns, length_source::total_length, 29, 2, 1)}));
    }
}

// A DNS-over-TCP connection through the reassembler: the client's two
// queries in one segment, the server's reply to the first (dns_test.cpp's
// dns_udp.pcap response, 224 bytes) cut over three segments, and the
// server's second reply after a retransmission of the first segment.
struct dns_handler {
    std::map<std::pair<std::uint64_t, unsigned>, dns_stream> streams;
    std::vector<std::string> seen;
    void on_data(const tcp_connection& c, unsigned dir, bytes data) {
        streams[{c.index, dir}].feed(data, [&](const result<bytes>& m) {
            ASSERT_TRUE(m);
            const auto v = dns::view::checked(*m);
            ASSERT_TRUE(v);
            std::string e(1, dir == 0 ? '>' : '<');
            e += std::to_string(v->id());
            e += ' ';
            e += std::to_string(m->size());
            seen.push_back(e);
        });
    }
    void on_gap(const tcp_connection& c, unsigned dir, std::uint64_t size) {
        streams[{c.index, dir}].gap(size, [&](const result<bytes>& m) { seen.push_back(to_string(m.error())); });
    }
    void on_close(const tcp_connection&, tcp_close) {}
};

TEST(DnsStream, ThroughTheTcpReassembler) {
    namespace fl = tcp::flag;
    using rawpkt::test::segment;
    // A real response (golden_frames.hpp: tcpdump's dns_udp.pcap, frame 2),
    // id 0x5934, with its length prefix.
    const auto& message = rawpkt::test::frames::dns_response;
    ASSERT_EQ(message.size(), 0xe0u);
    const std::string r =
        std::string("\x00\xe0", 2) + std::string(reinterpret_cast<const char*>(message.data()), message.size());
    const std::string q(reinterpret_cast<const char*>(two_queries.data()), two_queries.size());
    std::string second = r;
    second[2] = '\x00'; // id 0x0034
    dns_handler h;
    tcp_reassembler<dns_handler> re{h};
    decoded d;
    std::int64_t now = 0;
    const auto add = [&](const std::vector<std::byte>& p) {
        ASSERT_TRUE(decode(bytes{p}, link_type::ipv4, d));
        re.add(d, ++now);
    };
    add(segment(false, 100, fl::syn));
    add(segment(true, 900, fl::syn | fl::ack));
    add(segment(false, 101, fl::ack | fl::psh, q));
    add(segment(true, 901, fl::ack, r.substr(0, 1)));
    add(segment(true, 902 + 100, fl::ack, r.substr(101, 50))); // out of order
    add(segment(true, 902, fl::ack, r.substr(1, 100)));
    add(segment(true, 902, fl::ack, r.substr(1, 100))); // retransmission
    add(segment(true, 902 + 150, fl::ack | fl::psh, r.substr(151) + second));
    re.finish();
    EXPECT_EQ(h.seen, (std::vector<std::string>{">1 27", ">2 27", "<22836 224", "<52 224"}));
}

// The DNS-over-TCP captures of the corpus: every message the reassembled
// streams hold, against the messages tshark dissects with its own TCP
// reassembly (its default), in the same order.
const std::filesystem::path corpus_dir = std::filesystem::path(RAWPKT_TEST_DATA_DIR) / "corpus";

std::vector<std::string> tshark_messages(const std::filesystem::path& capture) {
    const std::string cmd = "tshark -n -r '" + capture.string() +
                            "' -Y dns -T fields -E occurrence=a -E aggregator=';' -e dns.id -e dns.qry.name"
                            " -e dns.count.answers 2>/dev/null";
    std::vector<std::string> out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p) != nullptr) {
        std::string line(buf);
        if (!line.empty() && line.back() == '\n') line.pop_back();
        // One message per value of the aggregated columns.
        std::vector<std::vector<std::string>> cols;
        std::size_t start = 0;
        for (;;) {
            const std::size_t tab = line.find('\t', start);
            const std::string cell = line.substr(start, tab - start);
            std::vector<std::string> values;
            std::size_t s = 0;
            for (;;) {
                const std::size_t semi = cell.find(';', s);
                values.push_back(cell.substr(s, semi - s));
                if (semi == std::string::npos) break;
                s = semi + 1;
            }
            cols.push_back(values);
            if (tab == std::string::npos) break;
            start = tab + 1;
        }
        for (std::size_t i = 0; i < cols[0].size(); ++i) {
            std::string m;
            for (const auto& c : cols) {
                if (!m.empty()) m += ' ';
                m += i < c.size() ? c[i] : std::string("-");
            }
            out.push_back(m);
        }
    }
    ::pclose(p);
    return out;
}

struct corpus_handler {
    std::map<std::pair<std::uint64_t, unsigned>, dns_stream> streams;
    std::vector<std::string> messages;
    std::size_t errors = 0;
    void on_data(const tcp_connection& c, unsigned dir, bytes data) {
        if (c.key.port[0] != 53 && c.key.port[1] != 53) return;
        streams[{c.index, dir}].feed(data, [&](const result<bytes>& m) {
            if (!m) {
                ++errors;
                return;
            }
            const auto v = dns::view::checked(*m);
            if (!v) return;
            char id[8];
            std::snprintf(id, sizeof id, "0x%04x", v->id());
            std::string name = "-";
            dns::reader r{*v};
            if (const auto e = r.next(); e && *e && (*e)->section == dns::section::question) {
                name = (*e)->question.name.to_string();
            }
            messages.push_back(std::string(id) + " " + name + " " + std::to_string(v->answer_count()));
        });
    }
    void on_gap(const tcp_connection& c, unsigned dir, std::uint64_t size) {
        streams[{c.index, dir}].gap(size, [&](const result<bytes>&) { ++errors; });
    }
    void on_close(const tcp_connection&, tcp_close) {}
};

TEST(DnsStream, CorpusCapturesMatchTshark) {
    if (std::system("tshark --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "tshark is not installed";
    for (const char* name : {"tcpdump__dns_tcp.pcap", "pcapplusplus__dns_over_tcp.pcapng"}) {
        const auto path = corpus_dir / name;
        auto reader = pcap::reader::open(path.string());
        ASSERT_TRUE(reader) << name;
        corpus_handler h;
        // tshark has no idle timeout: dns_over_tcp.pcapng's frame 4 comes
        // years after frame 1 with the same sequence number, a
        // retransmission to tshark, a new connection to a reassembler
        // that closed the first one when it went idle.
        tcp_config cfg;
        cfg.idle_timeout_ns = std::numeric_limits<std::int64_t>::max();
        tcp_reassembler<corpus_handler> re{h, cfg};
        decoded d;
        for (const frame& f : *reader) {
            if (decode(f.data, f.link, d, {.mode = decode_mode::lax})) re.add(d, f.timestamp_ns);
        }
        re.finish();
        EXPECT_EQ(h.messages, tshark_messages(path)) << name;
        EXPECT_EQ(h.errors, 0u) << name;
    }
}

} // namespace
