// SPDX-License-Identifier: BSD-3-Clause
// The captures of tests/data/corpus that are broken on purpose go through
// every code path a frame takes: the reader (memory-mapped, buffered with
// next_batch(), and from memory), the decoder (strict and lax, fast path on
// and off) and every named field. Under the asan preset this runs with
// AddressSanitizer and UndefinedBehaviorSanitizer: any read out of bounds
// is a failure, whatever the test asserts.
//
// Broken means: tcpdump's fuzz finds (`*heapoverflow*`, `*oobr*`,
// `*asan*`), the truncated, invalid and malformed files (by name), and any
// capture whose INDEX.tsv row counts malformed or short packets or that
// capinfos cannot read.
#include <rawpkt/decode.hpp>
#include <rawpkt/fields.hpp>
#include <rawpkt/pcap/reader.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

using namespace rawpkt;
using rawpkt::pcap::reader;

namespace {

const std::filesystem::path corpus_dir = std::filesystem::path{RAWPKT_TEST_DATA_DIR} / "corpus";

std::vector<std::string> broken_captures() {
    std::ifstream index(corpus_dir / "INDEX.tsv");
    std::vector<std::string> out;
    std::string line;
    std::getline(index, line); // header
    while (std::getline(index, line)) {
        std::vector<std::string> cols;
        std::istringstream in(line);
        for (std::string c; std::getline(in, c, '\t');) cols.push_back(c);
        if (cols.size() < 8) continue;
        const std::string& name = cols[0];
        bool broken = cols[4] == "capinfos-error" || (cols[7] != "0" && cols[7] != "");
        for (const char* word : {"heapoverflow", "oobr", "asan", "invalid", "trunc", "malformed", "bad_fragment"}) {
            broken = broken || name.find(word) != std::string::npos;
        }
        if (broken) out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> all_captures() {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(corpus_dir)) {
        if (e.path().filename() != "INDEX.tsv") out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::uint64_t sum(bytes b) {
    std::uint64_t s = 0;
    for (const std::byte x : b) s += std::to_integer<std::uint8_t>(x);
    return s;
}

/// Every decode of a frame, and every field of each. Returns a digest of
/// what was read, so that nothing is optimised away.
std::uint64_t every_path(const frame& f, std::uint64_t number) {
    std::uint64_t digest =
        sum(f.data) + sum(bytes{reinterpret_cast<const std::byte*>(f.comment.data()), f.comment.size()});
    for (const decode_mode mode : {decode_mode::strict, decode_mode::lax}) {
        decoded fast;
        decoded general;
        const status sf = decode(f.data, f.link, fast, {.mode = mode, .fast_path = true});
        const status sg = decode(f.data, f.link, general, {.mode = mode, .fast_path = false});
        EXPECT_EQ(sf.has_value(), sg.has_value()) << "frame " << number;
        EXPECT_TRUE(
            std::equal(fast.layers().begin(), fast.layers().end(), general.layers().begin(), general.layers().end()))
            << "frame " << number;
        EXPECT_EQ(fast.stop(), general.stop()) << "frame " << number;
        for (const layer_info& l : general.layers()) digest += sum(general.bytes_of(l));
        digest += sum(general.payload());
        const fields::context ctx{f, number, general};
        for (std::size_t i = 0; i < fields::names().size(); ++i) {
            digest += fields::value(static_cast<fields::id>(i), ctx).size();
        }
    }
    return digest;
}

struct outcome {
    std::uint64_t frames = 0;
    rawpkt::error error{};
    std::uint64_t digest = 0;
};

std::vector<std::uint8_t> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(BrokenCaptures, IncludeTheFuzzFindsOfTcpdump) {
    const auto broken = broken_captures();
    for (const char* name :
         {"tcpdump__gre-heapoverflow-1.pcap", "tcpdump__heapoverflow-tcp_print.pcap",
          "tcpdump__tcp_header_heapoverflow.pcap", "tcpdump__udp-length-heapoverflow.pcap",
          "tcpdump__icmp-cksum-oobr-1.pcap", "tcpdump__ipv6-next-header-oobr-1.pcap", "tcpdump__ip6_frag_asan.pcap",
          "tcpdump__ip_ts_opts_asan.pcap", "tcpdump__tcp_rst_data-trunc.pcap", "tcpdump__LINKTYPE_IPV6_invalid.pcap",
          "tcpdump__ipv4_invalid_hdr_length.pcap", "tcpdump__ipv4_invalid_total_length.pcap",
          "tcpdump__ipv6_invalid_length.pcap", "tcpdump__timestamp_invalid_nano.pcap",
          "pcapplusplus__ipv4-malformed.pcap", "pcapplusplus__tcp-malformed.pcap", "gopacket__le__test901.pcapng"}) {
        EXPECT_NE(std::find(broken.begin(), broken.end(), name), broken.end()) << name;
        EXPECT_TRUE(std::filesystem::exists(corpus_dir / name)) << name;
    }
}

TEST(BrokenCaptures, GoThroughTheReaderDecoderAndFieldsWithoutASanitizerReport) {
    for (const std::string& name : broken_captures()) {
        SCOPED_TRACE(name);
        const std::filesystem::path path = corpus_dir / name;

        // Memory-mapped, through the iterator.
        outcome mapped;
        if (auto r = reader::open(path.string(), {.map_files = true})) {
            for (const frame& f : *r) mapped.digest += every_path(f, ++mapped.frames);
            if (!r->status()) mapped.error = r->status().error();
        } else {
            mapped.error = r.error();
        }

        // Through the buffer, in batches.
        outcome buffered;
        if (auto r = reader::open(path.string(), {.map_files = false, .stream_buffer = 64})) {
            std::array<frame, 3> batch{};
            while (const std::size_t n = r->next_batch(batch)) {
                for (std::size_t i = 0; i < n; ++i) buffered.digest += every_path(batch[i], ++buffered.frames);
            }
            if (!r->status()) buffered.error = r->status().error();
        } else {
            buffered.error = r.error();
        }

        // From memory: an exact copy, so that a read past its end is one
        // AddressSanitizer sees.
        const std::vector<std::uint8_t> file = read_file(path);
        const std::vector<std::byte> copy(reinterpret_cast<const std::byte*>(file.data()),
                                          reinterpret_cast<const std::byte*>(file.data()) + file.size());
        outcome memory;
        if (auto r = reader::from_memory(copy)) {
            for (const frame& f : *r) memory.digest += every_path(f, ++memory.frames);
            if (!r->status()) memory.error = r->status().error();
        } else {
            memory.error = r.error();
        }

        // The three ways read the same file the same way.
        EXPECT_EQ(mapped.frames, buffered.frames);
        EXPECT_EQ(mapped.frames, memory.frames);
        EXPECT_EQ(mapped.error, buffered.error);
        EXPECT_EQ(mapped.error, memory.error);
        EXPECT_EQ(mapped.digest, buffered.digest);
        EXPECT_EQ(mapped.digest, memory.digest);
    }
}

// The captures that are not broken take the same paths: under the asan
// preset this is where every field and decode of the whole corpus runs
// under the sanitizers (the comparison with tshark runs in release only).
TEST(AllCaptures, GoThroughTheDecoderAndFieldsWithoutASanitizerReport) {
    std::uint64_t frames = 0;
    for (const std::string& name : all_captures()) {
        SCOPED_TRACE(name);
        const std::vector<std::uint8_t> file = read_file(corpus_dir / name);
        const std::vector<std::byte> copy(reinterpret_cast<const std::byte*>(file.data()),
                                          reinterpret_cast<const std::byte*>(file.data()) + file.size());
        auto r = reader::from_memory(copy);
        if (!r) continue; // not a capture file the reader accepts: the reader tests' business
        std::uint64_t n = 0;
        for (const frame& f : *r) (void)every_path(f, ++n);
        frames += n;
    }
    EXPECT_GT(frames, 40000u);
}

} // namespace
