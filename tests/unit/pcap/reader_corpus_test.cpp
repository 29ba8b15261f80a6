// SPDX-License-Identifier: BSD-3-Clause
// Every capture of tests/data/corpus read by rawpkt and compared, packet by
// packet, with what tshark 4.0 reads from it: captured and original length,
// timestamp in ns, section and interface, epb_flags direction, comment, and
// whether and after how many packets reading stops with an error.
//
// tests/data/expected/<capture>.tsv is written by
// scripts/gen-capture-expectations.py (run it again after adding captures).
#include <rawpkt/pcap/reader.hpp>

#include "support/hex.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace rawpkt;
using rawpkt::pcap::reader;

namespace {

const std::filesystem::path data_dir{RAWPKT_TEST_DATA_DIR};

struct record {
    std::uint64_t number = 0;
    std::string kind; ///< "packet" or "custom"
    std::uint32_t cap_len = 0;
    std::uint32_t len = 0;
    std::optional<std::int64_t> time_ns; ///< none: the record has no timestamp
    std::uint32_t section = 0;
    std::uint32_t interface = 0;
    std::optional<unsigned> direction; ///< epb_flags direction, when present
    std::string comment;
};

struct expectation {
    int tshark_exit = 0;
    std::string tshark_error;
    std::vector<record> records;
};

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, '\t')) out.push_back(cell);
    if (!line.empty() && line.back() == '\t') out.emplace_back();
    return out;
}

/// A timestamp in ns. Outside the range of std::int64_t (which tshark can
/// print, e.g. a pcapng timestamp near 2^64 ns) rawpkt saturates: so does
/// this.
std::int64_t parse_ns(const std::string& s) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range)
        return s[0] == '-' ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(ec, std::errc{}) << s;
    EXPECT_EQ(end, s.data() + s.size()) << s;
    return v;
}

expectation load(const std::filesystem::path& p) {
    expectation e;
    std::ifstream in(p);
    std::string line;
    while (std::getline(in, line)) {
        const auto c = split_tabs(line);
        if (line.rfind("# tshark_exit\t", 0) == 0) e.tshark_exit = std::stoi(c.at(1));
        if (line.rfind("# tshark_error\t", 0) == 0) e.tshark_error = c.size() > 1 ? c[1] : "";
        if (line.empty() || line[0] == '#') continue;
        record r;
        r.number = std::stoull(c.at(0));
        r.kind = c.at(1);
        r.cap_len = static_cast<std::uint32_t>(std::stoul(c.at(2)));
        r.len = static_cast<std::uint32_t>(std::stoul(c.at(3)));
        if (c.at(4) != "-") r.time_ns = parse_ns(c[4]);
        r.section = static_cast<std::uint32_t>(std::stoul(c.at(5)));
        if (c.at(6) != "-") r.interface = static_cast<std::uint32_t>(std::stoul(c[6]));
        if (c.at(7) != "-") r.direction = static_cast<unsigned>(std::stoul(c[7]));
        r.comment = c.size() > 8 ? c[8] : "";
        e.records.push_back(std::move(r));
    }
    return e;
}

/// Where rawpkt reads a field differently from tshark, and why. Keyed by
/// capture and tshark frame number.
struct difference {
    const char* capture;
    std::uint64_t frame_number;
    std::int64_t rawpkt_time_ns;
    const char* reason;
};
const std::vector<difference> differences{
    {"tcpdump__timestamp_invalid_nano.pcap", 3, 1418145370'000000000 + 2147483648,
     "the nanosecond fraction is 0x80000000: rawpkt reads it unsigned as the pcap format defines it (as libpcap "
     "and tcpdump do: 17:16:10.2147483648 in tcpdump's own expected output), Wireshark as a signed number"},
};

/// Captures that end in an error: tshark stops there too (its message is in
/// the expectation file); this is the error rawpkt reports.
const std::map<std::string, rawpkt::error> expected_errors{
    // A second section with version 2.0 at offset 480: "pcapng: unknown SHB
    // version 2.0" in tshark.
    {"gopacket__le__test901.pcapng",
     rawpkt::error::invalid(layer::pcapng, errc::bad_version, length_source::none, 480 + 12, 0x00010000, 0x00020000)},
};

/// Non-packet records tshark lists: pcapng custom blocks (pcapng §4.8) are
/// not frames; rawpkt skips them by their length.
bool is_frame(const record& r) { return r.kind == "packet"; }

std::vector<std::string> expectation_files() {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(data_dir / "expected"))
        if (e.path().extension() == ".tsv") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

class Corpus : public testing::TestWithParam<std::string> {};

TEST_P(Corpus, ReadsWhatTsharkReads) {
    const std::string name = GetParam();
    const expectation want = load(data_dir / "expected" / (name + ".tsv"));
    auto r = reader::open((data_dir / "corpus" / name).string(), {.map_files = true});
    ASSERT_TRUE(r) << to_string(r.error());

    std::vector<frame> got;
    for (const frame& f : *r) got.push_back(f); // a mapped file: frames stay valid

    std::vector<record> frames;
    std::copy_if(want.records.begin(), want.records.end(), std::back_inserter(frames), is_frame);
    ASSERT_EQ(got.size(), frames.size());

    const auto ifs = r->interfaces();
    for (std::size_t i = 0; i < got.size(); ++i) {
        const frame& f = got[i];
        const record& w = frames[i];
        SCOPED_TRACE("tshark frame " + std::to_string(w.number));
        EXPECT_EQ(f.captured_len(), w.cap_len);
        EXPECT_EQ(f.original_len, w.len);
        std::int64_t want_ns = w.time_ns.value_or(0); // a simple packet has none: 0
        for (const difference& d : differences)
            if (name == d.capture && w.number == d.frame_number) want_ns = d.rawpkt_time_ns;
        EXPECT_EQ(f.timestamp_ns, want_ns);
        // tshark numbers interfaces per section, rawpkt across the file.
        ASSERT_LT(f.interface, ifs.size());
        EXPECT_EQ(ifs[f.interface].section, w.section);
        std::uint32_t first = f.interface;
        while (first > 0 && ifs[first - 1].section == w.section) --first;
        EXPECT_EQ(f.interface - first, w.interface);
        EXPECT_EQ(f.link, ifs[f.interface].link);
        if (!w.direction) {
            EXPECT_EQ(f.dir, direction::unknown);
        } else if (*w.direction == 2) {
            EXPECT_EQ(f.dir, direction::outgoing);
        } else if (*w.direction == 1) {
            EXPECT_NE(f.dir, direction::outgoing);
            EXPECT_NE(f.dir, direction::unknown);
        }
        // tshark joins several comments with ','; rawpkt hands out the first.
        if (f.comment.empty())
            EXPECT_EQ(w.comment, "");
        else
            EXPECT_TRUE(w.comment == f.comment || w.comment.rfind(std::string(f.comment) + ",", 0) == 0)
                << "tshark: " << w.comment << ", rawpkt: " << f.comment;
    }

    if (const auto it = expected_errors.find(name); it != expected_errors.end()) {
        EXPECT_NE(want.tshark_error, "") << "tshark reads this capture without an error";
        ASSERT_FALSE(r->status());
        EXPECT_EQ(r->status().error(), it->second);
    } else {
        EXPECT_EQ(want.tshark_exit, 0);
        EXPECT_EQ(want.tshark_error, "");
        EXPECT_TRUE(r->status()) << to_string(r->status().error());
    }
    EXPECT_TRUE(r->done());

    // The same frames through from_memory() and through a batch.
    std::ifstream in(data_dir / "corpus" / name, std::ios::binary);
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::byte> bytes_copy(file.size());
    std::transform(file.begin(), file.end(), bytes_copy.begin(), [](char c) { return static_cast<std::byte>(c); });
    auto m = reader::from_memory(bytes_copy);
    ASSERT_TRUE(m);
    std::vector<frame> batch(50);
    std::size_t k = 0;
    while (const std::size_t n = m->next_batch(batch)) {
        for (std::size_t j = 0; j < n && k < got.size(); ++j, ++k) {
            EXPECT_EQ(batch[j].timestamp_ns, got[k].timestamp_ns);
            EXPECT_EQ(batch[j].data.size(), got[k].data.size());
            EXPECT_TRUE(std::equal(batch[j].data.begin(), batch[j].data.end(), got[k].data.begin()));
        }
    }
    EXPECT_EQ(k, got.size());
    EXPECT_EQ(m->status().has_value(), r->status().has_value());
}

INSTANTIATE_TEST_SUITE_P(Captures, Corpus, testing::ValuesIn(expectation_files()),
                         [](const testing::TestParamInfo<std::string>& p) {
                             std::string s = p.param;
                             for (char& c : s)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return s;
                         });

TEST(CorpusExpectations, EveryCaptureHasOne) {
    std::vector<std::string> captures;
    for (const auto& e : std::filesystem::directory_iterator(data_dir / "corpus")) {
        const auto ext = e.path().extension();
        if (ext == ".pcap" || ext == ".pcapng" || ext == ".cap") captures.push_back(e.path().filename().string());
    }
    std::sort(captures.begin(), captures.end());
    EXPECT_EQ(captures, expectation_files()) << "run scripts/gen-capture-expectations.py";
}

} // namespace
