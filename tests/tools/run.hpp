// SPDX-License-Identifier: BSD-3-Clause
// Test helper: runs a command line through the shell and returns its exit
// status, standard output and standard error.
#pragma once

#include "support/tshark_corpus.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace rawpkt::tooltest {

inline const std::filesystem::path data_dir{RAWPKT_TEST_DATA_DIR};
inline const std::filesystem::path corpus_dir = data_dir / "corpus";
inline const std::filesystem::path tools_dir{RAWPKT_TOOLS_DIR};

/// A per-process scratch directory, removed and made anew on first use.
inline const std::filesystem::path& work_dir() {
    static const std::filesystem::path dir = [] {
        std::filesystem::path d = std::filesystem::path(RAWPKT_TEST_WORK_DIR) / std::to_string(::getpid());
        std::filesystem::remove_all(d);
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

/// Single-quotes a word for the shell.
inline std::string quote(const std::string& s) { return test::shell_quoted(s); }

inline std::string tool(const char* name) { return quote((tools_dir / name).string()); }

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

struct run_result {
    int status = -1; ///< exit status, or -1 when killed by a signal
    std::string out;
    std::string err;
};

/// Runs `cmd` with /bin/sh; stdin is /dev/null unless the command redirects it.
inline run_result run(const std::string& cmd) {
    static int n = 0;
    const auto out = work_dir() / ("out-" + std::to_string(n) + ".txt");
    const auto err = work_dir() / ("err-" + std::to_string(n++) + ".txt");
    const std::string full = "(" + cmd + ") </dev/null >" + quote(out.string()) + " 2>" + quote(err.string());
    const int rc = std::system(full.c_str());
    run_result r;
    r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = read_file(out);
    r.err = read_file(err);
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    return r;
}

inline bool have(const char* program) {
    return std::system((std::string("command -v ") + program + " >/dev/null 2>&1").c_str()) == 0;
}

inline std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> v;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        v.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return v;
}

inline std::vector<std::string> split(const std::string& line, char sep) { return test::split_cells(line, sep); }

using test::tshark_fields_command;

} // namespace rawpkt::tooltest
