// SPDX-License-Identifier: BSD-3-Clause
// Every fragment of every corpus capture through the defragmenter, each
// reassembled payload compared byte for byte with the "Reassembled IPv4/IPv6"
// data source tshark prints with -x for the same frame. tshark is the
// oracle and runs here; captures without fragments are not asked about.
#include <rawpkt/decode.hpp>
#include <rawpkt/flow/defrag.hpp>
#include <rawpkt/pcap/reader.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace rawpkt;

const std::filesystem::path corpus_dir = std::filesystem::path(RAWPKT_TEST_DATA_DIR) / "corpus";

bool have_tshark() { return std::system("tshark --version >/dev/null 2>&1") == 0; }

std::vector<std::string> run_lines(const std::string& cmd) {
    std::vector<std::string> lines;
    FILE* p = ::popen((cmd + " 2>/dev/null").c_str(), "r");
    if (p == nullptr) return lines;
    std::string line;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p) != nullptr) {
        line += buf;
        if (line.back() != '\n') continue;
        line.pop_back();
        lines.push_back(line);
        line.clear();
    }
    ::pclose(p);
    return lines;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

using payloads = std::map<std::uint64_t, std::string>; // frame number -> reassembled payload

/// tshark's reassembled IP payloads, by the frame that completed them.
payloads tshark_reassembled(const std::filesystem::path& capture) {
    // -P prints each packet's summary line (frame number first) before its
    // data sources.
    const auto dump = run_lines("tshark -n -r '" + capture.string() +
                                "' -Y 'ip.reassembled.length || ipv6.reassembled.length' -P -x");
    payloads out;
    std::uint64_t number = 0;
    std::string* current = nullptr;
    for (const std::string& line : dump) {
        if (!line.empty() && line[0] == ' ') {
            number = std::stoull(line);
            current = nullptr;
            continue;
        }
        if (line.rfind("Reassembled IPv4 (", 0) == 0 || line.rfind("Reassembled IPv6 (", 0) == 0) {
            current = &out[number];
            continue;
        }
        if (line.empty() || line.find("bytes):") != std::string::npos) {
            current = nullptr;
            continue;
        }
        if (current == nullptr) continue;
        // "0000  45 00 ...   ascii": sixteen two-digit columns from column 6.
        for (std::size_t i = 0; i < 16; ++i) {
            const std::size_t at = 6 + 3 * i;
            if (at + 1 >= line.size()) break;
            const int hi = hex_value(line[at]), lo = hex_value(line[at + 1]);
            if (hi < 0 || lo < 0) break;
            current->push_back(static_cast<char>(hi * 16 + lo));
        }
    }
    return out;
}

/// rawpkt's reassembled payloads; `fragments` counts the fragments seen.
payloads rawpkt_reassembled(const std::filesystem::path& capture, std::size_t& fragments) {
    payloads out;
    auto r = pcap::reader::open(capture.string());
    if (!r) return out;
    flow::defragmenter defrag;
    decoded d;
    frame f;
    std::uint64_t number = 0;
    while (r->next(f)) {
        ++number;
        (void)decode(f.data, f.link, d, {.mode = decode_mode::lax});
        if (!d.is_fragment()) continue;
        ++fragments;
        const auto res = defrag.add(d, f.timestamp_ns);
        if (res.status != flow::defrag_status::reassembled) continue;
        const bytes payload = res.datagram.subspan(res.header_len);
        out[number] = std::string(reinterpret_cast<const char*>(payload.data()), payload.size());
    }
    return out;
}

TEST(DefragCorpus, ReassembledPayloadsMatchTshark) {
    if (!have_tshark()) GTEST_SKIP() << "tshark not installed";
    std::size_t files_with_fragments = 0, datagrams = 0;
    for (const auto& entry : std::filesystem::directory_iterator(corpus_dir)) {
        const auto ext = entry.path().extension();
        if (ext != ".pcap" && ext != ".pcapng" && ext != ".cap") continue;
        std::size_t fragments = 0;
        const payloads ours = rawpkt_reassembled(entry.path(), fragments);
        if (fragments == 0) continue;
        ++files_with_fragments;
        const payloads theirs = tshark_reassembled(entry.path());
        SCOPED_TRACE(entry.path().filename().string());
        EXPECT_EQ(ours.size(), theirs.size());
        for (const auto& [number, bytes] : theirs) {
            const auto it = ours.find(number);
            if (it == ours.end()) {
                ADD_FAILURE() << "frame " << number << ": tshark reassembled " << bytes.size() << " bytes, rawpkt none";
                continue;
            }
            EXPECT_EQ(it->second.size(), bytes.size()) << "frame " << number;
            EXPECT_TRUE(it->second == bytes) << "frame " << number;
            ++datagrams;
        }
    }
    EXPECT_GE(files_with_fragments, 5u);
    EXPECT_GE(datagrams, 10u);
    std::printf("%zu captures with fragments, %zu datagrams equal to tshark's\n", files_with_fragments, datagrams);
}

} // namespace
