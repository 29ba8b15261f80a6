// SPDX-License-Identifier: BSD-3-Clause
#include <rawpkt/build.hpp>
#include <rawpkt/pcap/reader.hpp>
#include <rawpkt/pcap/writer.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

// Every allocation of this test program is counted (support/counted_new.hpp),
// to show that writing a frame allocates nothing.
#include "support/counted_new.hpp"

using namespace rawpkt;
using rawpkt::test::allocations;
using namespace rawpkt::test;
using rawpkt::pcap::time_precision;
using rawpkt::pcap::writer;
using rawpkt::pcap::writer_options;

namespace {

namespace fs = std::filesystem;

// ---- helpers ----

/// A fresh directory from mkdtemp, removed with everything in it when the
/// test ends (also when it fails).
class temp_dir {
public:
    temp_dir() {
        std::string t = (fs::temp_directory_path() / "rawpkt-writer-XXXXXX").string();
        if (::mkdtemp(t.data()) != nullptr) path_ = t;
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        std::error_code ec;
        if (!path_.empty()) fs::remove_all(path_, ec);
    }
    [[nodiscard]] bool ok() const { return !path_.empty(); }
    [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }
    [[nodiscard]] std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(path_)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

private:
    fs::path path_;
};

class Writer : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dir.ok()) << "mkdtemp failed"; }
    temp_dir dir;
};

std::vector<std::byte> read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string s{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<std::byte> out(s.size());
    std::memcpy(out.data(), s.data(), s.size());
    return out;
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// "d4 c3 b2 a1 ..." so that a mismatch shows where.
std::string hex_of(bytes b) {
    std::string s;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i > 0) s += (i % 16 == 0) ? '\n' : ' ';
        const auto v = std::to_integer<unsigned>(b[i]);
        s += "0123456789abcdef"[v >> 4];
        s += "0123456789abcdef"[v & 15];
    }
    return s;
}

template <std::size_t N>
std::string hex_of(const std::array<std::byte, N>& a) {
    return hex_of(bytes{a});
}
std::string hex_of(const std::vector<std::byte>& v) { return hex_of(bytes{v}); }

error io(layer l, int err, std::uint64_t offset, std::uint64_t needed = 0) {
    error e = error::invalid(l, errc::io, length_source::none, offset, needed, 0);
    e.sys_errno = err;
    return e;
}

/// Options that write nothing host-specific, for exact-byte tests.
writer_options pcapng_options(time_precision p = time_precision::nano) {
    writer_options o;
    o.format = pcap::file_format::pcapng;
    o.precision = p;
    o.describe_host = false;
    return o;
}

writer_options pcap_options(time_precision p = time_precision::micro, link_type l = link_type::ethernet) {
    writer_options o;
    o.format = pcap::file_format::pcap;
    o.precision = p;
    o.link = l;
    return o;
}

// A 15-byte Ethernet frame (EtherType 0x88b5, local experimental, one
// payload byte): short, and not a multiple of 4, so pcapng pads it.
constexpr auto tiny = "ff ff ff ff ff ff 02 00 00 00 00 01 88 b5 aa"_hex;
// 2023-11-14T22:13:20.123456789Z
constexpr std::int64_t t0 = 1'700'000'000'123'456'789;

frame frame_of(bytes data, std::int64_t ts = t0) {
    frame f;
    f.data = data;
    f.timestamp_ns = ts;
    f.original_len = static_cast<std::uint32_t>(data.size());
    return f;
}

// ---- a tiny independent pcapng block walker, to check structure ----

struct block {
    std::uint32_t type;
    std::vector<std::byte> body; ///< between the two length fields
};

std::vector<block> blocks_of(const std::vector<std::byte>& file) {
    std::vector<block> out;
    std::size_t at = 0;
    const bytes b{file};
    while (at + 12 <= file.size()) {
        const auto type = load_le<std::uint32_t>(b, at);
        const auto len = load_le<std::uint32_t>(b, at + 4);
        if (len < 12 || len % 4 != 0 || at + len > file.size()) break;
        EXPECT_EQ(load_le<std::uint32_t>(b, at + len - 4), len) << "trailing Block Total Length";
        out.push_back({type,
                       {file.begin() + static_cast<std::ptrdiff_t>(at + 8),
                        file.begin() + static_cast<std::ptrdiff_t>(at + len - 4)}});
        at += len;
    }
    EXPECT_EQ(at, file.size()) << "the file ends on a block boundary";
    return out;
}

// ---- running tcpdump and tshark ----

struct command_output {
    int status = -1;
    std::string out;
};

command_output run(const std::string& command) {
    command_output r;
    FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
    if (p == nullptr) return r;
    std::array<char, 4096> chunk{};
    std::size_t n = 0;
    while ((n = std::fread(chunk.data(), 1, chunk.size(), p)) > 0) r.out.append(chunk.data(), n);
    r.status = ::pclose(p);
    return r;
}

bool have(const char* tool) { return run(std::string("command -v ") + tool).status == 0; }

std::string quoted(const std::string& s) { return "'" + s + "'"; }

/// One packet as `tcpdump -tt -nn -xx` prints it.
struct dumped {
    std::string time;    ///< "1700000000.123456"
    std::string summary; ///< the rest of the first line
    std::vector<std::byte> data;
};

std::vector<dumped> parse_tcpdump(const std::string& text) {
    std::vector<dumped> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        if (line[0] == '\t' && !out.empty()) {
            // "\t0x0010:  4500 0021 ..."
            const std::size_t colon = line.find(':');
            if (colon == std::string::npos) continue;
            int hi = -1;
            for (std::size_t i = colon + 1; i < line.size(); ++i) {
                const int v = hex_nibble(line[i]);
                if (v < 0) continue;
                if (hi < 0) {
                    hi = v;
                } else {
                    out.back().data.push_back(static_cast<std::byte>(hi * 16 + v));
                    hi = -1;
                }
            }
            continue;
        }
        const std::size_t space = line.find(' ');
        out.push_back({line.substr(0, space), space == std::string::npos ? "" : line.substr(space + 1), {}});
    }
    return out;
}

std::vector<std::vector<std::string>> parse_fields(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> row;
        std::size_t start = 0;
        for (;;) {
            const std::size_t tab = line.find('\t', start);
            row.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
            if (tab == std::string::npos) break;
            start = tab + 1;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

/// "1700000000.123456789": seconds and nine digits of nanoseconds.
std::string epoch(std::int64_t ns) {
    std::string frac = std::to_string(ns % 1'000'000'000);
    frac.insert(0, 9 - frac.size(), '0');
    return std::to_string(ns / 1'000'000'000) + "." + frac;
}

// ======================================================================
// Exact bytes
// ======================================================================

TEST_F(Writer, PcapMicrosecondsExactBytes) {
    const std::string path = dir.file("us.pcap");
    {
        auto w = writer::open(path, pcap_options());
        ASSERT_TRUE(w) << to_string(w.error());
        ASSERT_TRUE(w->write(frame_of(tiny)));
        ASSERT_TRUE(w->close());
    }
    // draft-ietf-opsawg-pcap §4 File Header, §5 Packet Record; little-endian.
    constexpr auto expected = "d4 c3 b2 a1 " // magic 0xa1b2c3d4: seconds and microseconds
                              "02 00 04 00 " // version 2.4
                              "00 00 00 00 " // Reserved1
                              "00 00 00 00 " // Reserved2
                              "00 00 04 00 " // SnapLen 262144
                              "01 00 00 00 " // LinkType 1 (Ethernet), no FCS information
                              "00 f1 53 65 " // Timestamp (Seconds) 1700000000
                              "40 e2 01 00 " // Timestamp (Microseconds) 123456 (.123456789 cut)
                              "0f 00 00 00 " // Captured Packet Length 15
                              "0f 00 00 00 " // Original Packet Length 15
                              "ff ff ff ff ff ff 02 00 00 00 00 01 88 b5 aa "_hex; // Packet Data, not padded
    EXPECT_EQ(hex_of(read_all(path)), hex_of(expected));
}

TEST_F(Writer, PcapNanosecondsExactBytes) {
    const std::string path = dir.file("ns.pcap");
    auto w = writer::open(path, pcap_options(time_precision::nano));
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->write(frame_of(tiny)));
    ASSERT_TRUE(w->close());
    constexpr auto expected = "4d 3c b2 a1 " // magic 0xa1b23c4d: seconds and nanoseconds (pcap §4)
                              "02 00 04 00 " // version 2.4
                              "00 00 00 00 " // Reserved1
                              "00 00 00 00 " // Reserved2
                              "00 00 04 00 " // SnapLen 262144
                              "01 00 00 00 " // LinkType 1
                              "00 f1 53 65 " // Timestamp (Seconds) 1700000000
                              "15 cd 5b 07 " // Timestamp (Nanoseconds) 123456789
                              "0f 00 00 00 " // Captured Packet Length 15
                              "0f 00 00 00 " // Original Packet Length 15
                              "ff ff ff ff ff ff 02 00 00 00 00 01 88 b5 aa "_hex;
    EXPECT_EQ(hex_of(read_all(path)), hex_of(expected));
}

TEST_F(Writer, PcapngExactBytes) {
    const std::string path = dir.file("out.pcapng");
    writer_options o = pcapng_options(time_precision::nano);
    o.section_comment = "hi";
    auto w = writer::open(path, o);
    ASSERT_TRUE(w) << to_string(w.error());
    frame f = frame_of(tiny);
    f.comment = "first";
    f.dir = direction::outgoing;
    ASSERT_TRUE(w->write(f));
    ASSERT_TRUE(w->write(frame_of(tiny, t0 + 1)));
    ASSERT_TRUE(w->close());
    constexpr auto expected = "0a 0d 0d 0a "                         // SHB (draft-ietf-opsawg-pcapng §4.1)
                              "34 00 00 00 "                         // Block Total Length 52
                              "4d 3c 2b 1a "                         // Byte-Order Magic
                              "01 00 00 00 "                         // version 1.0
                              "ff ff ff ff ff ff ff ff "             // Section Length -1: not specified
                              "01 00 02 00 68 69 00 00 "             // opt_comment "hi", padded to 32 bits (§3.5)
                              "04 00 06 00 72 61 77 70 6b 74 00 00 " // shb_userappl "rawpkt"
                              "00 00 00 00 "                         // opt_endofopt
                              "34 00 00 00 "                         // Block Total Length
                              "01 00 00 00 "                         // IDB (§4.2)
                              "20 00 00 00 "                         // Block Total Length 32
                              "01 00 00 00 "                         // LinkType 1, Reserved 0
                              "00 00 04 00 "                         // SnapLen 262144
                              "09 00 01 00 09 00 00 00 "             // if_tsresol 9: nanoseconds
                              "00 00 00 00 "                         // opt_endofopt
                              "20 00 00 00 "
                              "06 00 00 00 " // EPB (§4.3)
                              "48 00 00 00 " // Block Total Length 72
                              "00 00 00 00 " // Interface ID 0
                              "fe 9c 97 17 " // Timestamp (upper 32 bits) of 1700000000123456789 ns
                              "15 cd 85 3d " // Timestamp (lower 32 bits)
                              "0f 00 00 00 " // Captured Packet Length 15
                              "0f 00 00 00 " // Original Packet Length 15
                              "ff ff ff ff ff ff 02 00 00 00 00 01 88 b5 aa 00 " // Packet Data, padded
                              "01 00 05 00 66 69 72 73 74 00 00 00 "             // opt_comment "first"
                              "02 00 04 00 02 00 00 00 " // epb_flags: outbound (§4.3.1 bits 0-1 = 10)
                              "00 00 00 00 "             // opt_endofopt
                              "48 00 00 00 "
                              "06 00 00 00 " // EPB without options
                              "30 00 00 00 " // Block Total Length 48
                              "00 00 00 00 "
                              "fe 9c 97 17 "
                              "16 cd 85 3d " // one nanosecond later
                              "0f 00 00 00 "
                              "0f 00 00 00 "
                              "ff ff ff ff ff ff 02 00 00 00 00 01 88 b5 aa 00 "
                              "30 00 00 00 "_hex;
    EXPECT_EQ(hex_of(read_all(path)), hex_of(expected));
}

TEST_F(Writer, PcapngMicrosecondsWritesNoTsresol) {
    const std::string path = dir.file("us.pcapng");
    writer_options o = pcapng_options(time_precision::micro);
    o.user_application.clear();
    auto w = writer::open(path, o);
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->write(frame_of(tiny)));
    ASSERT_TRUE(w->close());
    constexpr auto expected = "0a 0d 0d 0a 1c 00 00 00 4d 3c 2b 1a 01 00 00 00 " // SHB without options: 28 bytes
                              "ff ff ff ff ff ff ff ff 1c 00 00 00 "
                              "01 00 00 00 14 00 00 00 01 00 00 00 00 00 04 00 " // IDB without options: 20 bytes,
                              "14 00 00 00 "                                     // if_tsresol absent = 10^-6 (§4.2)
                              "06 00 00 00 30 00 00 00 00 00 00 00 "
                              "24 0a 06 00 " // Timestamp upper: 1700000000123456 us = 0x00060a24'18202240
                              "40 22 20 18 " // Timestamp lower
                              "0f 00 00 00 0f 00 00 00 "
                              "ff ff ff ff ff ff 02 00 00 00 00 01 88 b5 aa 00 "
                              "30 00 00 00 "_hex;
    EXPECT_EQ(hex_of(read_all(path)), hex_of(expected));
}

TEST_F(Writer, PcapngSectionHeaderDescribesHost) {
    const std::string path = dir.file("host.pcapng");
    writer_options o;
    o.hardware = "test rig";
    auto w = writer::open(path, o); // describe_host: shb_os from uname(2)
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->close());
    const auto blocks = blocks_of(read_all(path));
    ASSERT_EQ(blocks.size(), 1u);
    const std::string body(reinterpret_cast<const char*>(blocks[0].body.data()), blocks[0].body.size());
    EXPECT_NE(body.find("test rig"), std::string::npos);
    EXPECT_NE(body.find("Linux"), std::string::npos);
    EXPECT_NE(body.find("rawpkt"), std::string::npos);
}

// ======================================================================
// Lengths, comments, directions, interfaces
// ======================================================================

TEST_F(Writer, SnaplenCutsFramesAndKeepsOriginalLength) {
    std::array<std::byte, 60> big{};
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::byte>(i);
    for (const auto fmt : {pcap::file_format::pcap, pcap::file_format::pcapng}) {
        const std::string path = dir.file(fmt == pcap::file_format::pcap ? "cut.pcap" : "cut.pcapng");
        writer_options o = fmt == pcap::file_format::pcap ? pcap_options() : pcapng_options();
        o.snaplen = 20;
        auto w = writer::open(path, o);
        ASSERT_TRUE(w);
        frame f = frame_of(big);
        f.original_len = 1514; // already cut by the capture: stays 1514
        ASSERT_TRUE(w->write(f));
        ASSERT_TRUE(w->write(frame_of(bytes{big}.first(20))));
        EXPECT_EQ(w->truncated_packets(), 1u);
        EXPECT_EQ(w->packets(), 2u);
        ASSERT_TRUE(w->close());
        const auto file = read_all(path);
        const bytes b{file};
        if (fmt == pcap::file_format::pcap) {
            EXPECT_EQ(load_le<std::uint32_t>(b, 16), 20u);        // SnapLen
            EXPECT_EQ(load_le<std::uint32_t>(b, 24 + 8), 20u);    // captured
            EXPECT_EQ(load_le<std::uint32_t>(b, 24 + 12), 1514u); // original
            EXPECT_EQ(hex_of(b.subspan(24 + 16, 20)), hex_of(bytes{big}.first(20)));
            EXPECT_EQ(file.size(), 24u + 2 * (16 + 20));
        } else {
            const auto blocks = blocks_of(file);
            ASSERT_EQ(blocks.size(), 4u);
            EXPECT_EQ(load_le<std::uint32_t>(bytes{blocks[1].body}, 4), 20u); // IDB SnapLen
            const bytes epb{blocks[2].body};
            EXPECT_EQ(load_le<std::uint32_t>(epb, 12), 20u);
            EXPECT_EQ(load_le<std::uint32_t>(epb, 16), 1514u);
            EXPECT_EQ(hex_of(epb.subspan(20, 20)), hex_of(bytes{big}.first(20)));
        }
    }
}

TEST_F(Writer, OriginalLengthBelowCapturedIsRaised) {
    const std::string path = dir.file("orig.pcap");
    auto w = writer::open(path, pcap_options());
    ASSERT_TRUE(w);
    frame f = frame_of(tiny);
    f.original_len = 0; // a crafted frame that never set it
    ASSERT_TRUE(w->write(f));
    ASSERT_TRUE(w->close());
    const auto file = read_all(path);
    EXPECT_EQ(load_le<std::uint32_t>(bytes{file}, 24 + 12), 15u); // pcap §5: not below the captured length
}

TEST_F(Writer, DirectionsBecomeEpbFlags) {
    const std::string path = dir.file("dir.pcapng");
    auto w = writer::open(path, pcapng_options());
    ASSERT_TRUE(w);
    // pcapng §4.3.1: bits 0-1 direction (01 in, 10 out), bits 2-4 reception
    // type (001 unicast, 010 multicast, 011 broadcast, 100 promiscuous).
    const std::vector<std::pair<direction, std::optional<std::uint32_t>>> cases{
        {direction::unknown, std::nullopt}, {direction::host, 0x05},       {direction::multicast, 0x09},
        {direction::broadcast, 0x0d},       {direction::other_host, 0x11}, {direction::outgoing, 0x02},
        {direction::inbound, 0x01},
    };
    for (const auto& [d, flags] : cases) {
        frame f = frame_of(tiny);
        f.dir = d;
        ASSERT_TRUE(w->write(f));
    }
    ASSERT_TRUE(w->close());
    const auto blocks = blocks_of(read_all(path));
    ASSERT_EQ(blocks.size(), 2 + cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const bytes epb{blocks[2 + i].body};
        const bytes opts = epb.subspan(20 + 16); // 15 bytes of data + 1 pad
        if (!cases[i].second) {
            EXPECT_TRUE(opts.empty()) << to_string(cases[i].first);
            continue;
        }
        ASSERT_EQ(opts.size(), 12u);
        EXPECT_EQ(load_le<std::uint16_t>(opts, 0), pcap::option::epb_flags);
        EXPECT_EQ(load_le<std::uint16_t>(opts, 2), 4u);
        EXPECT_EQ(load_le<std::uint32_t>(opts, 4), *cases[i].second) << to_string(cases[i].first);
        EXPECT_EQ(load_le<std::uint32_t>(opts, 8), 0u); // opt_endofopt
    }
}

TEST_F(Writer, CommentsArePaddedAndChecked) {
    const std::string path = dir.file("comments.pcapng");
    auto w = writer::open(path, pcapng_options());
    ASSERT_TRUE(w);
    for (const char* c : {"a", "ab", "abc", "abcd", "gr\xc3\xbc\xc3\x9f"}) {
        frame f = frame_of(tiny);
        f.comment = c;
        ASSERT_TRUE(w->write(f)) << c;
    }
    const std::uint64_t at = w->bytes_written() + w->bytes_buffered();
    // pcapng §3.6.3: only valid UTF-8 is written; the frame is refused, the
    // writer goes on.
    frame bad = frame_of(tiny);
    bad.comment = "\xc0\xaf"; // overlong '/'
    EXPECT_ERROR(w->write(bad), error::invalid(layer::pcapng, errc::bad_value, length_source::none, at));
    const std::string huge(70000, 'x');
    bad.comment = huge; // §3.5: Option Length is 16 bits
    EXPECT_ERROR(w->write(bad),
                 error::invalid(layer::pcapng, errc::length_too_large, length_source::option_length, at, 65535, 70000));
    const std::string largest(65535, 'y');
    bad.comment = largest;
    ASSERT_TRUE(w->write(bad));
    EXPECT_TRUE(w->state());
    ASSERT_TRUE(w->close());
    const auto blocks = blocks_of(read_all(path));
    ASSERT_EQ(blocks.size(), 2u + 6u);
    const std::vector<std::string> want{"a", "ab", "abc", "abcd", "gr\xc3\xbc\xc3\x9f", largest};
    for (std::size_t i = 0; i < want.size(); ++i) {
        const bytes opts = bytes{blocks[2 + i].body}.subspan(36);
        ASSERT_EQ(load_le<std::uint16_t>(opts, 0), pcap::option::comment);
        ASSERT_EQ(load_le<std::uint16_t>(opts, 2), want[i].size());
        const std::size_t padded = (want[i].size() + 3) / 4 * 4;
        ASSERT_EQ(opts.size(), 4 + padded + 4);
        EXPECT_EQ(std::string(reinterpret_cast<const char*>(opts.data() + 4), want[i].size()), want[i]);
        for (std::size_t k = 4 + want[i].size(); k < opts.size(); ++k) EXPECT_EQ(opts[k], std::byte{0});
    }
}

TEST_F(Writer, InterfacesAreDescribedOnFirstUse) {
    const std::string path = dir.file("ifaces.pcapng");
    auto w = writer::open(path, pcapng_options());
    ASSERT_TRUE(w);
    constexpr auto raw_ip = "45 00 00 14 00 00 00 00 40 fd 00 00 c0 00 02 01 c0 00 02 02"_hex;
    struct use {
        std::uint32_t interface;
        link_type link;
        std::uint32_t want_id;
    };
    const std::vector<use> uses{
        {0, link_type::ethernet, 0}, {7, link_type::ethernet, 1}, {0, link_type::raw, 2},
        {7, link_type::ethernet, 1}, {0, link_type::ethernet, 0}, {0, link_type::raw, 2},
    };
    for (const use& u : uses) {
        frame f = frame_of(u.link == link_type::raw ? bytes{raw_ip} : bytes{tiny});
        f.interface = u.interface;
        f.link = u.link;
        ASSERT_TRUE(w->write(f));
    }
    EXPECT_EQ(w->interface_count(), 3u);
    ASSERT_TRUE(w->close());
    const auto blocks = blocks_of(read_all(path));
    std::vector<std::uint32_t> idb_links;
    std::vector<std::uint32_t> epb_ids;
    for (const block& b : blocks) {
        if (b.type == 1) {
            idb_links.push_back(load_le<std::uint16_t>(bytes{b.body}, 0));
        }
        if (b.type == 6) {
            const auto id = load_le<std::uint32_t>(bytes{b.body}, 0);
            EXPECT_LT(id, idb_links.size()) << "EPB before its IDB";
            epb_ids.push_back(id);
        }
    }
    EXPECT_EQ(idb_links, (std::vector<std::uint32_t>{1, 1, 101}));
    EXPECT_EQ(epb_ids, (std::vector<std::uint32_t>{0, 1, 2, 1, 0, 2}));
}

TEST_F(Writer, AddInterfaceWritesEveryOption) {
    const std::string path = dir.file("described.pcapng");
    writer_options o = pcapng_options(time_precision::micro);
    o.user_application.clear();
    auto w = writer::open(path, o);
    ASSERT_TRUE(w);
    pcap::interface_info eth0;
    eth0.link = link_type::ethernet;
    eth0.snaplen = 128;
    eth0.ticks_per_second = 1'000'000'000;
    eth0.name = "eth0";
    eth0.description = "uplink";
    eth0.filter = "tcp";
    eth0.os = "Linux";
    eth0.fcslen = 4;
    eth0.hardware = "nic";
    const auto id = w->add_interface(eth0);
    ASSERT_TRUE(id) << to_string(id.error());
    EXPECT_EQ(*id, 0u);
    ASSERT_TRUE(w->write(frame_of(tiny))); // interface 0, Ethernet: eth0
    EXPECT_EQ(w->interface_count(), 1u);
    ASSERT_TRUE(w->close());
    const auto file = read_all(path);
    constexpr auto expected_idb = "01 00 00 00 "                         // IDB (pcapng §4.2)
                                  "58 00 00 00 "                         // Block Total Length 88
                                  "01 00 00 00 "                         // LinkType 1, Reserved 0
                                  "80 00 00 00 "                         // SnapLen 128
                                  "02 00 04 00 65 74 68 30 "             // if_name "eth0"
                                  "03 00 06 00 75 70 6c 69 6e 6b 00 00 " // if_description "uplink"
                                  "09 00 01 00 09 00 00 00 "             // if_tsresol 9
                                  "0b 00 04 00 00 74 63 70 "             // if_filter: type 0 (libpcap string), "tcp"
                                  "0c 00 05 00 4c 69 6e 75 78 00 00 00 " // if_os "Linux"
                                  "0d 00 01 00 04 00 00 00 "             // if_fcslen 4
                                  "0f 00 03 00 6e 69 63 00 "             // if_hardware "nic"
                                  "00 00 00 00 "                         // opt_endofopt
                                  "58 00 00 00 "_hex;
    ASSERT_GE(file.size(), 28 + expected_idb.size());
    EXPECT_EQ(hex_of(bytes{file}.subspan(28, expected_idb.size())), hex_of(expected_idb));
    // The frame uses the described interface, in its resolution (ns).
    const auto blocks = blocks_of(file);
    ASSERT_EQ(blocks.size(), 3u);
    const bytes epb{blocks[2].body};
    EXPECT_EQ(load_le<std::uint32_t>(epb, 0), 0u);
    EXPECT_EQ((std::uint64_t{load_le<std::uint32_t>(epb, 4)} << 32) | load_le<std::uint32_t>(epb, 8),
              static_cast<std::uint64_t>(t0));
}

TEST_F(Writer, AddInterfaceMapsFramesAndRefusesWhatItCannotWrite) {
    const std::string path = dir.file("map.pcapng");
    auto w = writer::open(path, pcapng_options());
    ASSERT_TRUE(w);
    pcap::interface_info a;
    a.name = "a";
    pcap::interface_info b;
    b.name = "b";
    b.ticks_per_second = 1000; // milliseconds: if_tsresol 3
    b.tsoffset_s = 1'600'000'000;
    ASSERT_EQ(w->add_interface(a).value_or(99), 0u);
    ASSERT_EQ(w->add_interface(b, 42).value_or(99), 1u); // frames of ifindex 42
    // The pair (42, ethernet) is taken; so is (0, ethernet).
    EXPECT_ERROR(w->add_interface(a, 42),
                 error::invalid(layer::pcapng, errc::bad_value, length_source::none, w->bytes_buffered(), 0, 42));
    pcap::interface_info odd;
    odd.ticks_per_second = 1024; // a power of two: not written by rawpkt
    EXPECT_EQ(w->add_interface(odd).error().code, errc::unsupported);
    pcap::interface_info wide;
    wide.link = static_cast<link_type>(0x10000); // §4.2: LinkType is 16 bits
    EXPECT_EQ(w->add_interface(wide).error().code, errc::bad_value);
    pcap::interface_info bad_name;
    bad_name.name = "\xff";
    EXPECT_EQ(w->add_interface(bad_name).error().code, errc::bad_value);
    EXPECT_EQ(w->interface_count(), 2u);

    frame f = frame_of(tiny, 1'600'000'001'234'567'890);
    f.interface = 42;
    ASSERT_TRUE(w->write(f));
    f.interface = 0;
    ASSERT_TRUE(w->write(f));
    f.interface = 42;
    f.timestamp_ns = 1'500'000'000'000'000'000; // before b's if_tsoffset: no unsigned timestamp for it
    EXPECT_EQ(w->write(f).error().code, errc::bad_value);
    ASSERT_TRUE(w->close());
    const auto blocks = blocks_of(read_all(path));
    ASSERT_EQ(blocks.size(), 5u);
    const bytes idb_b{blocks[2].body};
    // if_name "b", if_tsresol 3, if_tsoffset 1600000000 (§4.2).
    EXPECT_EQ(hex_of(idb_b.subspan(8)), hex_of(R"(
        02 00 01 00 62 00 00 00
        09 00 01 00 03 00 00 00
        0e 00 08 00 00 10 5e 5f 00 00 00 00
        00 00 00 00)"_hex));
    const bytes epb1{blocks[3].body};
    EXPECT_EQ(load_le<std::uint32_t>(epb1, 0), 1u);
    // 1.234567890 s after the offset, in milliseconds (§4.3: offset + timestamp).
    EXPECT_EQ((std::uint64_t{load_le<std::uint32_t>(epb1, 4)} << 32) | load_le<std::uint32_t>(epb1, 8), 1234u);
    EXPECT_EQ(load_le<std::uint32_t>(bytes{blocks[4].body}, 0), 0u);
}

TEST_F(Writer, AddInterfaceCutsToTheSmallerSnaplen) {
    const std::string path = dir.file("snap.pcapng");
    writer_options o = pcapng_options();
    o.snaplen = 12;
    auto w = writer::open(path, o);
    ASSERT_TRUE(w);
    pcap::interface_info small;
    small.snaplen = 8;
    pcap::interface_info unlimited; // SnapLen 0: no limit given; the writer's 12 still cuts
    ASSERT_TRUE(w->add_interface(small));
    ASSERT_TRUE(w->add_interface(unlimited));
    frame f = frame_of(tiny);
    ASSERT_TRUE(w->write(f));
    f.interface = 1;
    ASSERT_TRUE(w->write(f));
    ASSERT_TRUE(w->close());
    const auto blocks = blocks_of(read_all(path));
    ASSERT_EQ(blocks.size(), 5u);
    EXPECT_EQ(load_le<std::uint32_t>(bytes{blocks[1].body}, 4), 8u);
    EXPECT_EQ(load_le<std::uint32_t>(bytes{blocks[2].body}, 4), 0u);
    EXPECT_EQ(load_le<std::uint32_t>(bytes{blocks[3].body}, 12), 8u);
    EXPECT_EQ(load_le<std::uint32_t>(bytes{blocks[3].body}, 16), 15u);
    EXPECT_EQ(load_le<std::uint32_t>(bytes{blocks[4].body}, 12), 12u);
}

TEST_F(Writer, PcapRefusesAnotherLinkType) {
    const std::string path = dir.file("link.pcap");
    auto w = writer::open(path, pcap_options());
    ASSERT_TRUE(w);
    frame f = frame_of(tiny);
    f.link = link_type::linux_sll;
    // pcap §4: one link type per file. Not a silent mislabel: an error with
    // the file's link type (needed) and the frame's (available), at the
    // offset the record would have had.
    EXPECT_ERROR(w->write(f), error::invalid(layer::pcap, errc::bad_value, length_source::none, 24, 1, 113));
    EXPECT_TRUE(w->state()); // not sticky
    ASSERT_TRUE(w->write(frame_of(tiny)));
    pcap::interface_info sll;
    sll.link = link_type::linux_sll;
    EXPECT_ERROR(w->add_interface(sll), error::invalid(layer::pcap, errc::bad_value, length_source::none, 55, 1, 113));
    EXPECT_EQ(w->add_interface(pcap::interface_info{}).value_or(99), 0u); // Ethernet: the file's own
    EXPECT_EQ(w->packets(), 1u);
    ASSERT_TRUE(w->close());
    EXPECT_EQ(read_all(path).size(), 24u + 16 + 15);
}

TEST_F(Writer, PcapRawLinkTypeHeader) {
    const std::string path = dir.file("raw.pcap");
    auto w = writer::open(path, pcap_options(time_precision::micro, link_type::linux_sll2));
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->close());
    const auto file = read_all(path);
    ASSERT_EQ(file.size(), 24u);
    EXPECT_EQ(load_le<std::uint32_t>(bytes{file}, 20), 276u);
}

TEST_F(Writer, TimestampsTheFormatCannotHoldAreRefused) {
    const std::string pcap_path = dir.file("ts.pcap");
    auto w = writer::open(pcap_path, pcap_options(time_precision::micro));
    ASSERT_TRUE(w);
    // pcap §5: unsigned 32-bit seconds since 1970.
    EXPECT_ERROR(w->write(frame_of(tiny, -1)), error::invalid(layer::pcap, errc::bad_value, length_source::none, 24));
    EXPECT_ERROR(w->write(frame_of(tiny, 4'294'967'296'000'000'000)),
                 error::invalid(layer::pcap, errc::bad_value, length_source::none, 24, 0xffffffffu, 0xffffffffu));
    ASSERT_TRUE(w->write(frame_of(tiny, 4'294'967'295'999'999'999))); // the last second of 2106
    ASSERT_TRUE(w->write(frame_of(tiny, 0)));
    ASSERT_TRUE(w->close());
    const auto file = read_all(pcap_path);
    const bytes b{file};
    EXPECT_EQ(load_le<std::uint32_t>(b, 24), 0xffffffffu);
    EXPECT_EQ(load_le<std::uint32_t>(b, 28), 999'999u); // µs are cut, never rounded up
    EXPECT_EQ(load_le<std::uint32_t>(b, 24 + 31), 0u);

    auto ng = writer::open(dir.file("ts.pcapng"), pcapng_options());
    ASSERT_TRUE(ng);
    // pcapng §4.3: an unsigned 64-bit count since 1970.
    EXPECT_EQ(ng->write(frame_of(tiny, -1)).error().code, errc::bad_value);
    EXPECT_TRUE(ng->write(frame_of(tiny, 0)));
}

TEST_F(Writer, VlanTagKeptAsideIsPutBack) {
    const std::string path = dir.file("vlan.pcap");
    auto w = writer::open(path, pcap_options());
    ASSERT_TRUE(w);
    frame f = frame_of(tiny);
    f.original_len = 60;
    f.vlan_tpid = 0x8100;
    f.vlan_tci = 0x2064; // PCP 1, VID 100
    ASSERT_TRUE(w->write(f));
    ASSERT_TRUE(w->close());
    constexpr auto expected_record = "13 00 00 00 "                         // captured 15 + 4
                                     "40 00 00 00 "                         // original 60 + 4
                                     "ff ff ff ff ff ff 02 00 00 00 00 01 " // MAC addresses
                                     "81 00 20 64 "                         // the tag, back in place
                                     "88 b5 aa "_hex;
    const auto file = read_all(path);
    ASSERT_EQ(file.size(), 24u + 8 + expected_record.size());
    EXPECT_EQ(hex_of(bytes{file}.subspan(32)), hex_of(expected_record));
}

// ======================================================================
// Options and opening
// ======================================================================

TEST_F(Writer, OptionsTheFormatCannotHoldAreRefused) {
    const std::string path = dir.file("never.pcap");
    writer_options o = pcap_options();
    o.snaplen = 0; // pcap §4: SnapLen MUST NOT be zero
    EXPECT_ERROR(writer::open(path, o),
                 error::invalid(layer::pcap, errc::length_too_small, length_source::capture_length, 0, 1, 0));
    o.snaplen = pcap::max_captured_len + 1;
    EXPECT_ERROR(writer::open(path, o),
                 error::invalid(layer::pcap, errc::length_too_large, length_source::capture_length, 0,
                                pcap::max_captured_len, pcap::max_captured_len + 1));
    o = pcap_options();
    o.link = static_cast<link_type>(0x10001); // §4 Figure 2: 16 bits of link type
    EXPECT_ERROR(writer::open(path, o),
                 error::invalid(layer::pcap, errc::bad_value, length_source::none, 0, 0xffff, 0x10001));
    writer_options n = pcapng_options();
    n.section_comment = std::string(65536, 'c');
    EXPECT_ERROR(writer::open(path, n),
                 error::invalid(layer::pcapng, errc::length_too_large, length_source::option_length, 0, 65535, 65536));
    n = pcapng_options();
    n.user_application = "\xed\xa0\x80"; // a UTF-16 surrogate
    EXPECT_ERROR(writer::open(path, n), error::invalid(layer::pcapng, errc::bad_value, length_source::none, 0));
    EXPECT_FALSE(fs::exists(path)) << "a refused open creates no file";
}

TEST_F(Writer, OpenReportsTheSystemError) {
    const std::string missing = dir.file("no/such/dir/x.pcap");
    auto w = writer::open(missing, pcap_options());
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().layer, layer::pcap);
    EXPECT_EQ(w.error().code, errc::not_found);
    EXPECT_EQ(w.error().sys_errno, ENOENT);

    auto bad_fd = writer::to_fd(-1, pcapng_options());
    ASSERT_FALSE(bad_fd);
    EXPECT_EQ(bad_fd.error().code, errc::io);
    EXPECT_EQ(bad_fd.error().sys_errno, EBADF);

    // Atomic mode needs a name to rename into place.
    writer_options atomic = pcap_options();
    atomic.atomic = true;
    EXPECT_EQ(writer::open("-", atomic).error().code, errc::unsupported);
    EXPECT_EQ(writer::to_fd(1, atomic).error().code, errc::unsupported);
    auto onto_dir = writer::open(dir.file(""), atomic);
    ASSERT_FALSE(onto_dir);
    EXPECT_EQ(onto_dir.error().sys_errno, EISDIR);
}

// ======================================================================
// Buffering, flush, close
// ======================================================================

TEST_F(Writer, FlushAndCloseSemantics) {
    const std::string path = dir.file("buffered.pcap");
    auto w = writer::open(path, pcap_options());
    ASSERT_TRUE(w);
    EXPECT_TRUE(w->is_open());
    EXPECT_EQ(w->path(), path);
    ASSERT_TRUE(w->write(frame_of(tiny)));
    // Buffered: nothing reached the file yet.
    EXPECT_EQ(fs::file_size(path), 0u);
    EXPECT_EQ(w->bytes_written(), 0u);
    EXPECT_EQ(w->bytes_buffered(), 24u + 16 + 15);
    ASSERT_TRUE(w->flush());
    EXPECT_EQ(fs::file_size(path), 55u);
    EXPECT_EQ(w->bytes_written(), 55u);
    EXPECT_EQ(w->bytes_buffered(), 0u);
    ASSERT_TRUE(w->flush()); // nothing to do
    ASSERT_TRUE(w->write(frame_of(tiny)));
    EXPECT_EQ(fs::file_size(path), 55u);
    ASSERT_TRUE(w->close());
    EXPECT_FALSE(w->is_open());
    EXPECT_EQ(fs::file_size(path), 86u);
    EXPECT_EQ(w->packets(), 2u);
    EXPECT_TRUE(w->close()); // again: the same (success)
    // A closed writer refuses with EBADF, at the offset it reached.
    EXPECT_ERROR(w->write(frame_of(tiny)), io(layer::pcap, EBADF, 86));
    EXPECT_ERROR(w->flush(), io(layer::pcap, EBADF, 86));
    EXPECT_EQ(w->add_interface(pcap::interface_info{}).error(), io(layer::pcap, EBADF, 86));
}

TEST_F(Writer, DestructorWritesWhatIsBuffered) {
    const std::string path = dir.file("dtor.pcapng");
    {
        auto w = writer::open(path, pcapng_options());
        ASSERT_TRUE(w);
        ASSERT_TRUE(w->write(frame_of(tiny)));
        EXPECT_EQ(fs::file_size(path), 0u);
    }
    EXPECT_EQ(blocks_of(read_all(path)).size(), 3u);
}

TEST_F(Writer, EveryBufferSizeWritesTheSameBytes) {
    std::vector<std::byte> jumbo(9000);
    for (std::size_t i = 0; i < jumbo.size(); ++i) jumbo[i] = static_cast<std::byte>(i * 7);
    const auto write_with = [&](std::size_t buffer_size, pcap::file_format fmt) {
        const std::string path = dir.file("buf-" + std::to_string(buffer_size));
        writer_options o = fmt == pcap::file_format::pcap ? pcap_options() : pcapng_options();
        o.buffer_size = buffer_size;
        o.section_comment = std::string(300, 's'); // a header larger than small buffers
        auto w = writer::open(path, o);
        EXPECT_TRUE(w);
        if (!w) return std::vector<std::byte>{};
        for (int i = 0; i < 3; ++i) {
            frame f = frame_of(i == 1 ? bytes{jumbo} : bytes{tiny}, t0 + i);
            f.comment = i == 2 ? "third" : "";
            EXPECT_TRUE(w->write(f));
        }
        EXPECT_TRUE(w->close());
        return read_all(path);
    };
    for (const auto fmt : {pcap::file_format::pcap, pcap::file_format::pcapng}) {
        const auto reference = write_with(256 * 1024, fmt);
        ASSERT_FALSE(reference.empty());
        for (const std::size_t size : {0, 1, 7, 64, 4096, 9000, 9044, 9100}) {
            EXPECT_EQ(write_with(size, fmt), reference) << "buffer_size " << size;
        }
    }
}

TEST_F(Writer, MovesCarryTheFile) {
    const std::string path = dir.file("moved.pcap");
    auto opened = writer::open(path, pcap_options());
    ASSERT_TRUE(opened);
    writer w = std::move(*opened);
    EXPECT_FALSE(opened->is_open());
    EXPECT_EQ(opened->write(frame_of(tiny)).error().sys_errno, EBADF);
    EXPECT_TRUE(opened->close());
    ASSERT_TRUE(w.write(frame_of(tiny)));

    const std::string other_path = dir.file("other.pcap");
    auto other = writer::open(other_path, pcap_options());
    ASSERT_TRUE(other);
    ASSERT_TRUE(other->write(frame_of(tiny)));
    w = std::move(*other); // closes moved.pcap (flushing it), takes other.pcap
    EXPECT_EQ(fs::file_size(path), 55u);
    EXPECT_EQ(w.path(), other_path);
    ASSERT_TRUE(w.close());
    EXPECT_EQ(fs::file_size(other_path), 55u);
}

TEST_F(Writer, NoAllocationPerFrame) {
    if (!rawpkt::test::counts_allocations) GTEST_SKIP() << "allocations are not counted under ThreadSanitizer";
    std::vector<std::byte> jumbo(70000); // larger than the buffer: written through
    for (const auto fmt : {pcap::file_format::pcap, pcap::file_format::pcapng}) {
        writer_options o = fmt == pcap::file_format::pcap ? pcap_options() : pcapng_options();
        o.buffer_size = 64 * 1024;
        auto w = writer::open(dir.file("alloc"), o);
        ASSERT_TRUE(w);
        frame f = frame_of(tiny);
        f.comment = "a comment";
        f.dir = direction::inbound;
        f.vlan_tpid = 0x8100;
        ASSERT_TRUE(w->write(f)); // the first frame describes its interface
        const std::size_t before = allocations.load();
        for (int i = 0; i < 10000; ++i) {
            f.timestamp_ns += 1000;
            ASSERT_TRUE(w->write(f));
        }
        ASSERT_TRUE(w->write(frame_of(jumbo)));
        ASSERT_TRUE(w->flush());
        EXPECT_EQ(allocations.load(), before) << (fmt == pcap::file_format::pcap ? "pcap" : "pcapng");
        ASSERT_TRUE(w->close());
    }
}

TEST_F(Writer, NonBlockingDescriptorWaitsInsteadOfFailing) {
    std::array<int, 2> fds{};
    ASSERT_EQ(::pipe(fds.data()), 0);
    ASSERT_EQ(::fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
    constexpr int frames = 20000; // 24 + 20000 * 31 bytes: ten times a pipe's buffer
    constexpr std::size_t expected = 24 + frames * (16 + 15);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) { // a slow reader: counts what arrives
        ::close(fds[1]);
        std::size_t total = 0;
        std::array<char, 512> b{};
        ssize_t n = 0;
        while ((n = ::read(fds[0], b.data(), b.size())) > 0) {
            total += static_cast<std::size_t>(n);
            ::usleep(50);
        }
        ::_exit(total == expected ? 0 : 1);
    }
    ::close(fds[0]);
    {
        auto w = writer::to_fd(fds[1], pcap_options());
        ASSERT_TRUE(w);
        for (int i = 0; i < frames; ++i) ASSERT_TRUE(w->write(frame_of(tiny)));
        ASSERT_TRUE(w->close()) << "EAGAIN is waited out, not reported";
        EXPECT_EQ(w->bytes_written(), expected);
    }
    ::close(fds[1]);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the reader got every byte";
}

// ======================================================================
// Atomic mode
// ======================================================================

TEST_F(Writer, AtomicReplacesOnlyOnClose) {
    const std::string path = dir.file("atomic.pcap");
    write_text(path, "old content");
    writer_options o = pcap_options();
    o.atomic = true;
    auto w = writer::open(path, o);
    ASSERT_TRUE(w) << to_string(w.error());
    ASSERT_TRUE(w->write(frame_of(tiny)));
    ASSERT_TRUE(w->flush());
    // Written, flushed, yet a reader still sees the old file; the new one
    // is a hidden temporary file in the same directory.
    EXPECT_EQ(read_text(path), "old content");
    auto names = dir.entries();
    ASSERT_EQ(names.size(), 2u);
    EXPECT_EQ(names[0].rfind(".atomic.pcap.rawpkt-", 0), 0u) << names[0];
    EXPECT_EQ(fs::file_size(dir.file(names[0])), 55u);
    ASSERT_TRUE(w->write(frame_of(tiny)));
    ASSERT_TRUE(w->close());
    EXPECT_EQ(read_all(path).size(), 86u);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"atomic.pcap"});
    // The new file has a fresh file's mode, not mkstemp's 0600.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    EXPECT_EQ(static_cast<mode_t>(fs::status(path).permissions()), 0666 & ~mask);
}

TEST_F(Writer, AtomicTargetDoesNotExistUntilClose) {
    const std::string path = dir.file("fresh.pcapng");
    writer_options o = pcapng_options();
    o.atomic = true;
    o.buffer_size = 0; // every record goes straight to the temporary file
    auto w = writer::open(path, o);
    ASSERT_TRUE(w);
    for (int i = 0; i < 10; ++i) {
        ASSERT_TRUE(w->write(frame_of(tiny)));
        EXPECT_FALSE(fs::exists(path));
    }
    ASSERT_TRUE(w->close());
    EXPECT_EQ(blocks_of(read_all(path)).size(), 12u);
}

TEST_F(Writer, AtomicWithoutCloseCommitsNothing) {
    const std::string kept = dir.file("kept.pcap");
    const std::string absent = dir.file("absent.pcap");
    write_text(kept, "old content");
    writer_options o = pcap_options();
    o.atomic = true;
    {
        auto a = writer::open(kept, o);
        auto b = writer::open(absent, o);
        ASSERT_TRUE(a);
        ASSERT_TRUE(b);
        ASSERT_TRUE(a->write(frame_of(tiny)));
        ASSERT_TRUE(a->flush());
        ASSERT_TRUE(b->write(frame_of(tiny)));
        EXPECT_EQ(dir.entries().size(), 3u);
    } // destroyed without close(): the temporary files go, the targets stay as they were
    EXPECT_EQ(read_text(kept), "old content");
    EXPECT_FALSE(fs::exists(absent));
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"kept.pcap"});
}

TEST_F(Writer, AtomicUniqueTemporaryNames) {
    writer_options o = pcap_options();
    o.atomic = true;
    const std::string path = dir.file("same.pcap");
    auto a = writer::open(path, o);
    auto b = writer::open(path, o);
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    EXPECT_EQ(dir.entries().size(), 2u);
    ASSERT_TRUE(a->write(frame_of(tiny)));
    ASSERT_TRUE(a->close());
    ASSERT_TRUE(b->close()); // the last close wins, whole
    EXPECT_EQ(read_all(path).size(), 24u);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"same.pcap"});
}

// ======================================================================
// Write errors
// ======================================================================

TEST_F(Writer, FullDiskIsReportedAndSticks) {
    auto w = writer::open("/dev/full", pcap_options());
    ASSERT_TRUE(w) << to_string(w.error());
    ASSERT_TRUE(w->write(frame_of(tiny))); // buffered
    const error enospc = io(layer::pcap, ENOSPC, 0, 55);
    EXPECT_ERROR(w->flush(), enospc);
    // The first error sticks: every later call returns it.
    EXPECT_ERROR(w->write(frame_of(tiny)), enospc);
    EXPECT_ERROR(w->flush(), enospc);
    EXPECT_ERROR(w->state(), enospc);
    EXPECT_ERROR(w->close(), enospc);
    EXPECT_ERROR(w->close(), enospc);
    EXPECT_EQ(w->packets(), 1u);
}

TEST_F(Writer, FullDiskWhileWritingThrough) {
    writer_options o = pcapng_options();
    o.buffer_size = 0; // the Section Header Block is written at open
    auto w = writer::open("/dev/full", o);
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().code, errc::io);
    EXPECT_EQ(w.error().sys_errno, ENOSPC);

    o.buffer_size = 64; // a frame larger than the buffer is written through
    auto small = writer::open("/dev/full", o);
    ASSERT_TRUE(small);
    std::vector<std::byte> big(1000);
    const status s = small->write(frame_of(big));
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().sys_errno, ENOSPC);
    EXPECT_EQ(small->write(frame_of(tiny)).error(), s.error());
}

/// Restores SIGPIPE's disposition and this thread's signal mask.
class sigpipe_default {
public:
    sigpipe_default() {
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        ::sigaction(SIGPIPE, &dfl, &old_);
        sigset_t none;
        sigemptyset(&none);
        pthread_sigmask(SIG_SETMASK, &none, &old_mask_);
    }
    sigpipe_default(const sigpipe_default&) = delete;
    sigpipe_default& operator=(const sigpipe_default&) = delete;
    ~sigpipe_default() {
        ::sigaction(SIGPIPE, &old_, nullptr);
        pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    }

private:
    struct sigaction old_ {};
    sigset_t old_mask_{};
};

bool sigpipe_blocked() {
    sigset_t now;
    pthread_sigmask(SIG_SETMASK, nullptr, &now);
    return sigismember(&now, SIGPIPE) == 1;
}

bool sigpipe_pending() {
    sigset_t pending;
    sigpending(&pending);
    return sigismember(&pending, SIGPIPE) == 1;
}

TEST_F(Writer, ClosedPipeIsEpipeNotSigpipe) {
    const sigpipe_default dfl; // SIGPIPE would kill this process
    std::array<int, 2> fds{};
    ASSERT_EQ(::pipe(fds.data()), 0);
    ::close(fds[0]); // the reader is gone
    {
        auto w = writer::to_fd(fds[1], pcapng_options());
        ASSERT_TRUE(w);
        EXPECT_TRUE(w->path().empty());
        ASSERT_TRUE(w->write(frame_of(tiny)));
        const status s = w->flush();
        ASSERT_FALSE(s);
        EXPECT_EQ(s.error().code, errc::io);
        EXPECT_EQ(s.error().sys_errno, EPIPE);
        EXPECT_EQ(s.error().layer, layer::pcapng);
        EXPECT_EQ(w->write(frame_of(tiny)).error(), s.error()); // sticks
        EXPECT_EQ(w->close().error(), s.error());
    }
    EXPECT_FALSE(sigpipe_blocked()) << "the signal mask is restored";
    EXPECT_FALSE(sigpipe_pending()) << "the SIGPIPE the write raised is taken back";
    EXPECT_EQ(::fcntl(fds[1], F_GETFD), 0) << "to_fd() leaves the descriptor open";
    ::close(fds[1]);
}

TEST_F(Writer, ReaderLeavingHalfWayIsEpipe) {
    const sigpipe_default dfl;
    std::array<int, 2> fds{};
    ASSERT_EQ(::pipe(fds.data()), 0);
    // A child reads the first bytes, then goes away.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(fds[1]);
        std::array<char, 100> b{};
        (void)!::read(fds[0], b.data(), b.size());
        ::_exit(0);
    }
    ::close(fds[0]);
    writer_options o = pcap_options();
    o.buffer_size = 0;
    auto w = writer::to_fd(fds[1], o);
    ASSERT_TRUE(w);
    status s;
    for (int i = 0; i < 100000 && s; ++i) s = w->write(frame_of(tiny));
    int child_status = 0;
    ::waitpid(child, &child_status, 0);
    ASSERT_FALSE(s) << "the pipe never broke";
    EXPECT_EQ(s.error().sys_errno, EPIPE);
    EXPECT_FALSE(sigpipe_pending());
    ::close(fds[1]);
}

TEST_F(Writer, ClosedSocketIsEpipeNotSigpipe) {
    const sigpipe_default dfl;
    std::array<int, 2> fds{};
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds.data()), 0);
    ::close(fds[0]);
    auto w = writer::to_fd(fds[1], pcap_options());
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->write(frame_of(tiny)));
    EXPECT_EQ(w->flush().error().sys_errno, EPIPE);
    EXPECT_FALSE(sigpipe_pending());
    ::close(fds[1]);
}

TEST_F(Writer, DashIsStandardOutput) {
    std::array<int, 2> fds{};
    ASSERT_EQ(::pipe(fds.data()), 0);
    std::fflush(stdout);
    const int saved = ::dup(STDOUT_FILENO);
    ASSERT_GE(saved, 0);
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[1]);
    status closed;
    {
        auto w = writer::open("-", pcap_options());
        if (w) {
            (void)w->write(frame_of(tiny));
            closed = w->close();
        } else {
            closed = w.error();
        }
    }
    const bool stdout_open = ::fcntl(STDOUT_FILENO, F_GETFD) >= 0;
    ::dup2(saved, STDOUT_FILENO); // also closes the pipe's write end
    ::close(saved);
    ASSERT_TRUE(closed) << to_string(closed.error());
    EXPECT_TRUE(stdout_open) << "close() leaves standard output open";
    std::vector<std::byte> got;
    std::array<std::byte, 256> chunk{};
    ssize_t n = 0;
    while ((n = ::read(fds[0], chunk.data(), chunk.size())) > 0)
        got.insert(got.end(), chunk.begin(), chunk.begin() + n);
    ::close(fds[0]);
    EXPECT_EQ(got.size(), 55u);
}

// ======================================================================
// Round trips through tcpdump and tshark
// ======================================================================

/// Frames crafted with rawpkt's builder, with timestamps that show every
/// digit of a nanosecond.
struct crafted {
    std::vector<std::vector<std::byte>> storage;
    std::vector<frame> frames;
};

crafted craft() {
    crafted c;
    const auto keep = [&](result<mut_bytes> built) {
        EXPECT_TRUE(built);
        c.storage.emplace_back(built->begin(), built->end());
    };
    std::array<std::byte, 256> buf{};
    const auto query = make_bytes(0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
    keep(builder{buf}
             .payload(query)
             .udp({.src_port = 5353, .dst_port = 53})
             .ipv4({.src = ipv4_address{{192, 0, 2, 1}}, .dst = ipv4_address{{192, 0, 2, 53}}})
             .ethernet({.src = mac_address{{2, 0, 0, 0, 0, 1}}, .dst = mac_address::broadcast()})
             .finish());
    std::array<std::byte, 256> buf2{};
    keep(builder{buf2}
             .payload(make_bytes('h', 'e', 'l', 'l', 'o'))
             .tcp({.src_port = 40000,
                   .dst_port = 80,
                   .sequence = 1,
                   .flags = tcp::flag::psh | tcp::flag::ack,
                   .window = 512})
             .ipv6({.src = ipv6_address{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
                    .dst = ipv6_address{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}}})
             .ethernet({.src = mac_address{{2, 0, 0, 0, 0, 2}},
                        .dst = mac_address{{2, 0, 0, 0, 0, 1}},
                        .ethertype = ethertype::ipv6})
             .finish());
    std::array<std::byte, 1600> buf3{};
    std::array<std::byte, 1000> filler{};
    keep(builder{buf3}
             .payload(filler)
             .udp({.src_port = 1000, .dst_port = 2000})
             .ipv4({.src = ipv4_address{{198, 51, 100, 1}}, .dst = ipv4_address{{198, 51, 100, 2}}})
             .ethernet({.src = mac_address{{2, 0, 0, 0, 0, 3}}, .dst = mac_address{{2, 0, 0, 0, 0, 4}}})
             .finish());
    const std::array<std::int64_t, 3> times{t0, 1'700'000'001'000'001'999, 1'700'000'002'999'999'999};
    for (std::size_t i = 0; i < c.storage.size(); ++i) c.frames.push_back(frame_of(c.storage[i], times[i]));
    c.frames[0].comment = "a DNS query";
    c.frames[0].dir = direction::outgoing;
    c.frames[1].dir = direction::host;
    return c;
}

class ReferenceTools : public Writer {
protected:
    void SetUp() override {
        Writer::SetUp();
        if (!have("tcpdump") || !have("tshark"))
            GTEST_SKIP() << "tcpdump and tshark are needed (scripts/debian-packages.txt)";
    }
};

TEST_F(ReferenceTools, TcpdumpPrintsWhatWasWritten) {
    const crafted c = craft();
    struct variant {
        const char* name;
        writer_options options;
        bool nano;
    };
    writer_options cut = pcap_options(time_precision::nano);
    cut.snaplen = 100;
    const std::vector<variant> variants{
        {"us.pcap", pcap_options(time_precision::micro), false},
        {"ns.pcap", pcap_options(time_precision::nano), true},
        {"us.pcapng", pcapng_options(time_precision::micro), false},
        {"ns.pcapng", pcapng_options(time_precision::nano), true},
        {"cut.pcap", cut, true},
    };
    for (const variant& v : variants) {
        SCOPED_TRACE(v.name);
        const std::string path = dir.file(v.name);
        auto w = writer::open(path, v.options);
        ASSERT_TRUE(w);
        for (const frame& f : c.frames) ASSERT_TRUE(w->write(f));
        ASSERT_TRUE(w->close());
        const auto r = run(std::string("tcpdump -tt -nn -xx ") + (v.nano ? "--time-stamp-precision=nano " : "") +
                           "-r " + quoted(path));
        ASSERT_EQ(r.status, 0) << r.out;
        const auto packets = parse_tcpdump(r.out);
        ASSERT_EQ(packets.size(), c.frames.size()) << r.out;
        for (std::size_t i = 0; i < packets.size(); ++i) {
            const frame& f = c.frames[i];
            // µs files: the time cut to microseconds; ns: every digit.
            std::string want_time = epoch(f.timestamp_ns);
            if (!v.nano) want_time.resize(want_time.size() - 3);
            EXPECT_EQ(packets[i].time, want_time);
            const std::size_t captured = std::min<std::size_t>(f.data.size(), v.options.snaplen);
            EXPECT_EQ(hex_of(packets[i].data), hex_of(f.data.first(captured)));
        }
        EXPECT_NE(packets[0].summary.find("IP 192.0.2.1.5353 > 192.0.2.53.53: 4660+"), std::string::npos)
            << packets[0].summary;
        EXPECT_NE(packets[1].summary.find("IP6 2001:db8::1.40000 > 2001:db8::2.80: Flags [P.], seq 1:6"),
                  std::string::npos)
            << packets[1].summary;
        EXPECT_NE(packets[2].summary.find("IP 198.51.100.1.1000 > 198.51.100.2.2000: UDP, length 1000"),
                  std::string::npos)
            << packets[2].summary;
    }
}

TEST_F(ReferenceTools, TsharkReadsTimesLengthsCommentsAndFlags) {
    const crafted c = craft();
    for (const auto& [name, options] :
         std::vector<std::pair<std::string, writer_options>>{{"us.pcap", pcap_options(time_precision::micro)},
                                                             {"ns.pcap", pcap_options(time_precision::nano)},
                                                             {"us.pcapng", pcapng_options(time_precision::micro)},
                                                             {"ns.pcapng", pcapng_options(time_precision::nano)}}) {
        SCOPED_TRACE(name);
        const bool ng = options.format == pcap::file_format::pcapng;
        const bool nano = options.precision == time_precision::nano;
        writer_options o = options;
        o.snaplen = 100;
        const std::string path = dir.file(name);
        auto w = writer::open(path, o);
        ASSERT_TRUE(w);
        for (const frame& f : c.frames) ASSERT_TRUE(w->write(f));
        ASSERT_TRUE(w->close());
        const auto r = run("tshark -r " + quoted(path) +
                           " -T fields -e frame.time_epoch -e frame.len -e frame.cap_len -e frame.comment"
                           " -e frame.packet_flags_direction -e frame.packet_flags_reception_type");
        ASSERT_EQ(r.status, 0);
        const auto rows = parse_fields(r.out);
        ASSERT_EQ(rows.size(), c.frames.size()) << r.out;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const frame& f = c.frames[i];
            ASSERT_EQ(rows[i].size(), 6u) << r.out;
            std::string want_time = epoch(f.timestamp_ns);
            if (!nano) want_time.replace(want_time.size() - 3, 3, "000");
            EXPECT_EQ(rows[i][0], want_time);
            EXPECT_EQ(rows[i][1], std::to_string(f.data.size()));
            EXPECT_EQ(rows[i][2], std::to_string(std::min<std::size_t>(f.data.size(), 100)));
            EXPECT_EQ(rows[i][3], ng ? std::string(f.comment) : "");
        }
        if (ng) {
            // pcapng §4.3.1: outbound (2); inbound (1) unicast (1).
            EXPECT_EQ(rows[0][4], "0x00000002");
            EXPECT_EQ(rows[1][4], "0x00000001");
            EXPECT_EQ(rows[1][5], "1"); // tshark prints this one in decimal
            EXPECT_EQ(rows[2][4], "");
        }
    }
}

TEST_F(ReferenceTools, TsharkSeesEveryInterface) {
    const std::string path = dir.file("multi.pcapng");
    auto w = writer::open(path, pcapng_options());
    ASSERT_TRUE(w);
    pcap::interface_info eth;
    eth.name = "eth0";
    eth.description = "uplink";
    pcap::interface_info lo;
    lo.name = "lo";
    lo.link = link_type::null;
    ASSERT_TRUE(w->add_interface(eth));
    ASSERT_TRUE(w->add_interface(lo));
    constexpr auto null_frame = R"(02 00 00 00  45 00 00 14 00 00 00 00 40 fd 00 00
        7f 00 00 01 7f 00 00 01)"_hex; // BSD loopback AF_INET, then IPv4
    frame f = frame_of(tiny);
    ASSERT_TRUE(w->write(f));
    frame g = frame_of(null_frame, t0 + 1000);
    g.interface = 1;
    g.link = link_type::null;
    ASSERT_TRUE(w->write(g));
    frame h = frame_of(tiny, t0 + 2000);
    h.interface = 5; // not described: a third interface, made on first use
    ASSERT_TRUE(w->write(h));
    ASSERT_TRUE(w->close());
    const auto r = run("tshark -r " + quoted(path) +
                       " -T fields -e frame.interface_id -e frame.interface_name -e frame.encap_type");
    ASSERT_EQ(r.status, 0);
    const auto rows = parse_fields(r.out);
    ASSERT_EQ(rows.size(), 3u) << r.out;
    EXPECT_EQ(rows[0][0], "0");
    EXPECT_EQ(rows[0][1], "eth0");
    EXPECT_EQ(rows[1][0], "1");
    EXPECT_EQ(rows[1][1], "lo");
    EXPECT_EQ(rows[2][0], "2");
    EXPECT_NE(rows[0][2], rows[1][2]); // Ethernet, then NULL
    EXPECT_EQ(rows[0][2], rows[2][2]);
}

// ======================================================================
// Corpus round trip: read with rawpkt's reader, write back, compare what
// tcpdump (and tshark) print for the original and for the copies
// ======================================================================

/// The first line where two tool outputs differ, or "" when they agree.
std::string first_difference(const std::string& a, const std::string& b) {
    if (a == b) return {};
    std::istringstream ia(a);
    std::istringstream ib(b);
    std::string la;
    std::string lb;
    for (std::size_t line = 1;; ++line) {
        const bool more_a = static_cast<bool>(std::getline(ia, la));
        const bool more_b = static_cast<bool>(std::getline(ib, lb));
        if (!more_a && !more_b) return "outputs differ only in line endings";
        if (!more_a || !more_b || la != lb) {
            return "line " + std::to_string(line) + ":\n  original: " + (more_a ? la : "<end>") +
                   "\n  rewritten: " + (more_b ? lb : "<end>");
        }
    }
}

/// pcapng resolutions rawpkt writes are powers of ten up to 10^9; a file
/// in another resolution (2^-k) is rewritten in nanoseconds, the unit of
/// frame::timestamp_ns.
pcap::interface_info writable(pcap::interface_info info) {
    std::uint64_t tps = 1;
    while (tps < info.ticks_per_second && tps < 1'000'000'000) tps *= 10;
    if (tps != info.ticks_per_second) info.ticks_per_second = 1'000'000'000;
    return info;
}

struct corpus_copy {
    std::string pcap; ///< "" when pcap cannot hold the file (several link types)
    std::string pcapng;
    bool several_links = false;
    /// libpcap (so tcpdump) reads a pcapng file only when every interface
    /// has the first one's link type and snap length.
    bool libpcap_reads = true;
};

/// Writes `frames` as pcap and as pcapng next to `stem`.
corpus_copy rewrite(pcap::reader& r, const std::vector<frame>& frames, const std::string& stem) {
    corpus_copy out;
    const auto ifs = r.interfaces();
    for (const auto& i : ifs) {
        out.several_links = out.several_links || i.link != ifs.front().link;
        out.libpcap_reads = out.libpcap_reads && i.link == ifs.front().link && i.snaplen == ifs.front().snaplen;
    }

    writer_options ng = pcapng_options();
    ng.snaplen = pcap::max_captured_len; // cut only where the file's interfaces say so
    out.pcapng = stem + ".pcapng";
    auto w = writer::open(out.pcapng, ng);
    EXPECT_TRUE(w);
    if (!w) return out;
    for (const auto& i : ifs) {
        const auto id = w->add_interface(writable(i)); // frame::interface is the reader's global index
        EXPECT_TRUE(id) << to_string(id.error());
    }
    for (const frame& f : frames) {
        const status s = w->write(f);
        EXPECT_TRUE(s) << to_string(s.error());
    }
    EXPECT_TRUE(w->close());

    // pcap: the first interface's link type; the largest snap length of all
    // (0, no limit given, becomes libpcap's default or the largest frame).
    const link_type link = ifs.empty() ? r.link() : ifs.front().link;
    writer_options p = pcap_options(r.precision(), link);
    std::uint32_t largest = 0;
    for (const frame& f : frames) largest = std::max(largest, f.captured_len());
    bool unlimited = ifs.empty() || r.format() == pcap::file_format::pcap ? r.snaplen() == 0 : false;
    p.snaplen = ifs.empty() ? r.snaplen() : 0;
    for (const auto& i : ifs) {
        unlimited = unlimited || i.snaplen == 0;
        p.snaplen = std::max(p.snaplen, i.snaplen);
    }
    if (unlimited || p.snaplen > pcap::max_captured_len) p.snaplen = std::max(pcap::default_snaplen, largest);
    p.snaplen = std::min(p.snaplen, pcap::max_captured_len);
    auto pw = writer::open(stem + ".pcap", p);
    EXPECT_TRUE(pw);
    if (!pw) return out;
    bool refused = false;
    for (const frame& f : frames) {
        const std::uint64_t at = pw->bytes_written() + pw->bytes_buffered();
        const status s = pw->write(f);
        if (!s && f.link != link) {
            // pcap §4: one link type per file; the writer says so.
            EXPECT_EQ(s.error(), error::invalid(layer::pcap, errc::bad_value, length_source::none, at,
                                                static_cast<std::uint32_t>(link), static_cast<std::uint32_t>(f.link)));
            refused = true;
            continue;
        }
        EXPECT_TRUE(s) << to_string(s.error());
    }
    EXPECT_TRUE(pw->close());
    EXPECT_EQ(refused, out.several_links);
    if (!refused) out.pcap = stem + ".pcap";
    return out;
}

std::string tcpdump_of(const std::string& path) {
    return run("tcpdump -tt -nn -xx --time-stamp-precision=nano -r " + quoted(path)).out;
}

/// Columns of tshark_fields_of().
enum column : std::size_t {
    time_col,
    encap_col,
    len_col,
    cap_len_col,
    protocols_col,
    interface_col,
    comment_col,
    direction_col,
    reception_col
};

/// What tshark says of every packet record, one tab-separated line each.
/// In a pcapng file, -Y frame.interface_id leaves out the custom blocks
/// tshark lists as records (rawpkt hands out packets only).
/// `pcapng_metadata`: also the interface, comment and direction.
std::vector<std::vector<std::string>> tshark_rows_of(const std::string& path, bool pcapng_file, bool pcapng_metadata) {
    std::string fields = " -e frame.time_epoch -e frame.encap_type -e frame.len -e frame.cap_len -e frame.protocols";
    if (pcapng_metadata) {
        fields += " -e frame.interface_id -e frame.comment -e frame.packet_flags_direction"
                  " -e frame.packet_flags_reception_type";
    }
    auto rows = parse_fields(
        run("tshark -r " + quoted(path) + (pcapng_file ? " -Y frame.interface_id" : "") + " -T fields" + fields).out);
    for (auto& row : rows) {
        // epb_flags 0 ("information not available", pcapng §4.3.1) and no
        // epb_flags at all are the same frame::dir (unknown); rawpkt writes
        // the latter.
        for (const std::size_t c : {direction_col, reception_col}) {
            if (c < row.size() && (row[c] == "0x00000000" || row[c] == "0")) row[c].clear();
        }
    }
    return rows;
}

std::string joined(const std::vector<std::vector<std::string>>& rows) {
    std::string out;
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) out += (c > 0 ? "\t" : "") + row[c];
        out += '\n';
    }
    return out;
}

std::string tshark_fields_of(const std::string& path, bool pcapng_file, bool pcapng_metadata) {
    return joined(tshark_rows_of(path, pcapng_file, pcapng_metadata));
}

/// Summary and bytes of every packet, without the time (compared above).
std::string tshark_hex_of(const std::string& path, bool pcapng_file) {
    return run("tshark -r " + quoted(path) + (pcapng_file ? " -Y frame.interface_id" : "") +
               " -x -o 'gui.column.format:\"No.\",\"%m\",\"Protocol\",\"%p\",\"Info\",\"%i\"'")
        .out;
}

/// Tool outputs the corpus test compares.
enum class output { tcpdump, tshark_fields, tshark_hex };

/// `text` with the time and/or the interface column emptied.
std::string blanked(const std::string& text, output kind, bool time, bool interface) {
    std::istringstream in(text);
    std::string out;
    std::string line;
    while (std::getline(in, line)) {
        if (kind == output::tcpdump) {
            // A packet's first line starts with its time, hex lines with a tab.
            if (time && !line.empty() && line[0] != '\t') line.erase(0, line.find(' '));
        } else if (kind == output::tshark_fields) {
            auto row = parse_fields(line).front();
            if (time) row[time_col].clear();
            if (interface && row.size() > interface_col) row[interface_col].clear();
            line = joined({row});
            line.pop_back();
        }
        out += line + '\n';
    }
    return out;
}

TEST_F(ReferenceTools, CorpusRoundTrip) {
    const fs::path corpus = fs::path(RAWPKT_TEST_DATA_DIR) / "corpus";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(corpus)) {
        const std::string ext = e.path().extension().string();
        if (ext == ".pcap" || ext == ".pcapng" || ext == ".cap") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    ASSERT_GT(files.size(), 100u);

    // Where a tool's output for a copy differs from the original's by
    // necessity, and why. Only the columns named may differ: the rest must
    // be identical, as it must be for every other file.
    struct difference {
        const char* why;
        bool time;      ///< the timestamps
        bool interface; ///< the interface id (tshark)
    };
    const difference simple_packet_blocks{
        "Simple Packet Blocks (pcapng §4.4) carry neither a timestamp nor an interface id; the reader hands "
        "them out with timestamp 0 on the first interface and rawpkt writes Enhanced Packet Blocks, so the "
        "copies say \"1970-01-01, interface N\" where tshark shows nothing for the original",
        true, true};
    const std::map<std::string, difference> differs{
        {"gopacket__be__test102.pcapng", simple_packet_blocks},
        {"gopacket__le__test202.pcapng", simple_packet_blocks},
        {"pcapplusplus__pcapng-example.pcapng",
         {"interface 1 stamps its packets 2^64 - 505 s in microseconds (the year 586524): past what "
          "frame::timestamp_ns holds (int64 nanoseconds, up to 2262); the reader saturates them and the "
          "copies carry the saturated time",
          true, false}},
        {"tcpdump__timestamp_invalid_nano.pcap",
         {"nanosecond fractions of 10^9 and more (pcap §5: nanoseconds within the second): the reader carries "
          "them into the seconds, so the copies hold the same instants written validly (\"1418145370.1000000000\" "
          "becomes \"1418145371.000000000\")",
          true, false}},
    };

    std::size_t compared = 0;
    std::vector<std::string> unreadable;
    for (const fs::path& file : files) {
        const std::string name = file.filename().string();
        SCOPED_TRACE(name);
        auto r = pcap::reader::open(file.string(), {.map_files = true}); // the frames are kept
        if (!r) {
            unreadable.push_back(name + ": " + to_string(r.error()));
            continue;
        }
        std::vector<frame> frames;
        for (const frame& f : *r) frames.push_back(f);
        const corpus_copy copy = rewrite(*r, frames, dir.file(name));
        const bool ng = r->format() == pcap::file_format::pcapng;

        const auto known = differs.find(name);
        std::vector<std::string> diffs;
        bool differed = false;
        const auto compare = [&](const std::string& what, output kind, const std::string& original,
                                 const std::string& copied) {
            differed = differed || original != copied;
            std::string d = first_difference(original, copied);
            if (known != differs.end()) {
                const difference& k = known->second;
                d = first_difference(blanked(original, kind, k.time, k.interface),
                                     blanked(copied, kind, k.time, k.interface));
            }
            if (!d.empty()) diffs.push_back(what + ": " + d);
        };
        if (copy.libpcap_reads) {
            const std::string original = tcpdump_of(file.string());
            compare("tcpdump, pcap copy", output::tcpdump, original, tcpdump_of(copy.pcap));
            compare("tcpdump, pcapng copy", output::tcpdump, original, tcpdump_of(copy.pcapng));
        } else {
            // tcpdump refuses the original: tshark reads it.
            const std::string fields = tshark_fields_of(file.string(), ng, false);
            const std::string hex = tshark_hex_of(file.string(), ng);
            compare("tshark, pcapng copy", output::tshark_fields, fields, tshark_fields_of(copy.pcapng, true, false));
            compare("tshark -x, pcapng copy", output::tshark_hex, hex, tshark_hex_of(copy.pcapng, true));
            if (!copy.pcap.empty()) {
                compare("tshark, pcap copy", output::tshark_fields, fields, tshark_fields_of(copy.pcap, false, false));
                compare("tshark -x, pcap copy", output::tshark_hex, hex, tshark_hex_of(copy.pcap, false));
            }
        }
        if (ng) {
            compare("tshark pcapng metadata, pcapng copy", output::tshark_fields,
                    tshark_fields_of(file.string(), true, true), tshark_fields_of(copy.pcapng, true, true));
        }
        for (const std::string& d : diffs) ADD_FAILURE() << d;
        if (known != differs.end()) {
            EXPECT_TRUE(differed) << "listed as differing (" << known->second.why << "), yet identical";
        }
        ++compared;
        std::error_code ec;
        fs::remove(copy.pcapng, ec);
        fs::remove(dir.file(name) + ".pcap", ec);
    }
    std::cout << compared
              << " corpus files rewritten and compared; not readable by rawpkt::pcap::reader: " << unreadable.size()
              << "\n";
    for (const std::string& u : unreadable) std::cout << "  " << u << "\n";
}

// ======================================================================
// Files the reference tools write, read back by rawpkt
// ======================================================================

struct read_file_result {
    std::vector<std::vector<std::byte>> data; ///< owned copies: the reader is gone
    std::vector<frame> frames;                ///< data points into `data`
    std::vector<std::string> comments;
    std::string error; ///< "" when the reader opened it and reached the end
};

read_file_result read_frames(const std::string& path) {
    read_file_result out;
    auto r = pcap::reader::open(path);
    if (!r) {
        out.error = to_string(r.error());
        return out;
    }
    for (const frame& f : *r) {
        out.data.emplace_back(f.data.begin(), f.data.end());
        out.comments.emplace_back(f.comment);
        out.frames.push_back(f);
    }
    for (std::size_t i = 0; i < out.frames.size(); ++i) {
        out.frames[i].data = out.data[i];
        out.frames[i].comment = out.comments[i];
    }
    if (!r->status()) out.error = to_string(r->status().error());
    return out;
}

/// The first frame where `copy` differs from `original`, or "".
/// `pcapng_metadata`: also the interface, direction and comment.
std::string first_frame_difference(const read_file_result& original, const read_file_result& copy,
                                   bool pcapng_metadata) {
    for (std::size_t i = 0; i < std::min(original.frames.size(), copy.frames.size()); ++i) {
        const frame& a = original.frames[i];
        const frame& b = copy.frames[i];
        const std::string at = "frame " + std::to_string(i + 1) + ": ";
        if (a.timestamp_ns != b.timestamp_ns) {
            return at + "time " + std::to_string(a.timestamp_ns) + " vs " + std::to_string(b.timestamp_ns);
        }
        if (a.link != b.link) return at + "link type";
        if (a.original_len != b.original_len) {
            return at + "original length " + std::to_string(a.original_len) + " vs " + std::to_string(b.original_len);
        }
        if (hex_of(a.data) != hex_of(b.data)) return at + "bytes";
        if (pcapng_metadata) {
            if (a.interface != b.interface) return at + "interface";
            if (a.dir != b.dir) return at + "direction";
            if (a.comment != b.comment) return at + "comment";
        }
    }
    if (original.frames.size() != copy.frames.size()) {
        return std::to_string(original.frames.size()) + " frames vs " + std::to_string(copy.frames.size());
    }
    return {};
}

TEST_F(ReferenceTools, ReaderAgreesWithFilesTheToolsWrite) {
    const fs::path corpus = fs::path(RAWPKT_TEST_DATA_DIR) / "corpus";
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(corpus)) {
        const std::string ext = e.path().extension().string();
        if (ext == ".pcap" || ext == ".pcapng" || ext == ".cap") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());

    // Where the tools change what they copy: why, and the first difference
    // that change makes. Every other file must read back identically.
    struct change {
        const char* why;
        const char* first_difference;
    };
    const std::map<std::string, change> tcpdump_changes{
        {"tcpdump__pim-packet-assortment.pcap",
         {"frame 58 holds 65549 bytes in a file whose snap length is 65535: libpcap cuts it to the snap length "
          "when reading, rawpkt's reader keeps it whole (its documented choice)",
          "frame 58: bytes"}},
    };
    const std::map<std::string, change> wiretap_changes{
        {"gopacket__le__test202.pcapng",
         {"three sections: wiretap (Wireshark 4.0) writes one section holding every interface, but keeps each packet's "
          "per-section interface id, so packets of the later sections land on the first section's interfaces",
          "frame 4: interface"}},
        {"tcpdump__ppp_ip_udp_dns.pcap",
         {"wiretap reads LINKTYPE_PPP_HDLC (50) as its PPP encapsulation and writes LINKTYPE_PPP (9)",
          "frame 1: link type"}},
        {"tcpdump__timestamp_invalid_nano.pcap",
         {"frame 3's nanosecond fraction is 2147483648 (pcap §5 wants less than 10^9): rawpkt carries it into "
          "the seconds (1418145372.147483648), wiretap makes 1418145386.299260425 of it",
          "frame 3: time 1418145372147483648 vs 1418145386299260425"}},
    };

    std::size_t compared = 0;
    for (const fs::path& file : files) {
        const std::string name = file.filename().string();
        SCOPED_TRACE(name);
        const read_file_result original = read_frames(file.string());
        if (!original.error.empty()) continue; // damaged or unreadable: nothing to compare against

        // tcpdump -w writes pcap (nanoseconds when asked to read in them);
        // libpcap refuses pcapng files mixing link types or snap lengths.
        const std::string by_tcpdump = dir.file(name + ".tcpdump.pcap");
        if (run("tcpdump --time-stamp-precision=nano -r " + quoted(file.string()) + " -w " + quoted(by_tcpdump))
                .status == 0) {
            const std::string d = first_frame_difference(original, read_frames(by_tcpdump), false);
            const auto known = tcpdump_changes.find(name);
            EXPECT_EQ(d, known == tcpdump_changes.end() ? std::string() : known->second.first_difference)
                << "tcpdump -w";
        }
        // editcap -F pcapng: Wireshark's file library (wiretap) reads and
        // writes the file, as tshark -w and dumpcap do, without loading the
        // dissectors (a fortieth of tshark's time). Where editcap refuses
        // the copy (gopacket__be__test102.pcapng: Simple Packet Blocks),
        // tshark -w writes it.
        const std::string by_tshark = dir.file(name + ".wiretap.pcapng");
        if (run("editcap -F pcapng " + quoted(file.string()) + " " + quoted(by_tshark)).status != 0) {
            ASSERT_EQ(run("tshark -r " + quoted(file.string()) + " -w " + quoted(by_tshark) + " -F pcapng").status, 0);
        }
        const read_file_result copy = read_frames(by_tshark);
        EXPECT_EQ(copy.error, "");
        const std::string d = first_frame_difference(original, copy, true);
        const auto known = wiretap_changes.find(name);
        EXPECT_EQ(d, known == wiretap_changes.end() ? std::string() : known->second.first_difference)
            << "written by wiretap";
        ++compared;
        std::error_code ec;
        fs::remove(by_tcpdump, ec);
        fs::remove(by_tshark, ec);
    }
    EXPECT_GT(compared, 100u);
}

} // namespace
