// SPDX-License-Identifier: BSD-3-Clause
// Test helpers shared by the two tests that compare rawpkt's fields with
// tshark's over the whole corpus (tests/unit/pcap/corpus_fields_test.cpp
// for the library, tests/tools/dump_fields_corpus_test.cpp for
// rawpkt-dump): the oracle's command line, its output cached in the build
// tree so the second test does not run tshark over the corpus again, which
// of its rows are packets, and the table of understood differences.
// Besides the corpus they compare the captures of tests/data/crafted.
#pragma once

#include <rawpkt/fields.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace rawpkt::test {

/// The captures both corpus tests compare, sorted: every capture of the
/// corpus (tests/data/corpus) and those rawpkt's tests made for the cases
/// the corpus lacks (tests/data/crafted, see its README).
inline std::vector<std::filesystem::path> field_captures() {
    const std::filesystem::path data{RAWPKT_TEST_DATA_DIR};
    std::vector<std::filesystem::path> captures;
    for (const auto& e : std::filesystem::directory_iterator(data / "corpus")) {
        if (e.path().filename() != "INDEX.tsv") captures.push_back(e.path());
    }
    for (const auto& e : std::filesystem::directory_iterator(data / "crafted")) {
        if (e.path().extension() == ".pcap") captures.push_back(e.path());
    }
    std::sort(captures.begin(), captures.end());
    return captures;
}

/// Splits `line` at every `sep`; "a\t\tb" gives three cells.
inline std::vector<std::string> split_cells(std::string_view line, char sep) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (;;) {
        const std::size_t at = line.find(sep, start);
        cells.emplace_back(line.substr(start, at - start));
        if (at == std::string_view::npos) break;
        start = at + 1;
    }
    return cells;
}

/// Single-quotes a word for the shell.
inline std::string shell_quoted(const std::string& s) {
    std::string out = "'";
    for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// tshark with the options the field comparison needs: numeric, checksum
/// validation on, no reassembly (rawpkt dissects each frame on its own).
inline std::string tshark_fields_command(const std::filesystem::path& capture) {
    return "tshark -n -r " + shell_quoted(capture.string()) +
           " -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE"
           " -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE -T fields";
}

/// " -e NAME" for every field rawpkt prints, in fields::names() order.
inline std::string every_field_option() {
    std::string out;
    for (const auto n : fields::names()) out += " -e " + std::string(n);
    return out;
}

/// The -E options both corpus tests use.
inline constexpr std::string_view corpus_field_options = " -E header=y -E occurrence=a -E aggregator=,";

/// tshark's lines for every field of `capture` (header first), empty when
/// tshark cannot read it. The output is kept in RAWPKT_TSHARK_CACHE_DIR
/// under the capture's name, headed by the command that made it: a later
/// call with the same command (the other corpus test, a rerun) reads it
/// instead of running tshark again.
inline std::vector<std::string> tshark_corpus_lines(const std::filesystem::path& capture) {
    const std::string command =
        tshark_fields_command(capture) + every_field_option() + std::string(corpus_field_options);
    const std::filesystem::path cache_dir{RAWPKT_TSHARK_CACHE_DIR};
    const std::filesystem::path cached = cache_dir / (capture.filename().string() + ".tsv");
    const std::string head = "# " + command;

    std::string text;
    {
        std::ifstream in(cached, std::ios::binary);
        std::string first;
        if (in && std::getline(in, first) && first == head) {
            std::ostringstream rest;
            rest << in.rdbuf();
            text = rest.str();
        } else {
            std::filesystem::create_directories(cache_dir);
            // Written aside and renamed, so a reader never sees half a file.
            const std::filesystem::path partial =
                cache_dir / (capture.filename().string() + "." + std::to_string(::getpid()) + ".partial");
            const std::string full = "(echo " + shell_quoted(head) + "; " + command + " 2>/dev/null) </dev/null >" +
                                     shell_quoted(partial.string());
            const int status = std::system(full.c_str());
            std::ifstream made(partial, std::ios::binary);
            std::getline(made, first);
            std::ostringstream rest;
            rest << made.rdbuf();
            text = rest.str();
            if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
                std::filesystem::rename(partial, cached);
            } else {
                std::filesystem::remove(partial);
            }
        }
    }
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

/// Which of tshark's records are packets, in order (the header row not
/// counted): tshark also lists pcapng custom blocks as records, which
/// rawpkt skips. The capture-file expectations
/// (tests/data/expected/<capture>.tsv) say which records those are.
inline std::vector<bool> packet_records(const std::string& capture) {
    std::vector<bool> records;
    std::ifstream in(std::filesystem::path(RAWPKT_TEST_DATA_DIR) / "expected" / (capture + ".tsv"));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto cells = split_cells(line, '\t');
        if (cells.size() > 1 && cells[0] != "record") records.push_back(cells[1] == "packet");
    }
    return records;
}

/// A difference from tshark that is understood: every differing cell of
/// `capture` counts against it, and the count must be exactly `cells`.
struct known_difference {
    const char* capture;
    std::size_t cells;
    const char* reason;
};

/// The entry of `known` for `capture`, or nullptr.
template <typename Table>
const known_difference* explain(const Table& known, const std::string& capture) {
    for (const known_difference& k : known) {
        if (capture == k.capture) return &k;
    }
    return nullptr;
}

} // namespace rawpkt::test
