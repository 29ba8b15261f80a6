// SPDX-License-Identifier: BSD-3-Clause
// A main() for the fuzz targets without libFuzzer: runs the target's entry
// point once over every file named on the command line and every file in
// the directories named there (in name order). This is how the seed corpora
// and the regression inputs are replayed by the unit tests, with any
// compiler. A property a target checks stops the program (abort), as does a
// sanitizer report in a sanitizer build.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool run_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", p.c_str());
        return false;
    }
    const std::string read{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    // A copy allocated to exactly the input's size (a range of known
    // length), so that a sanitizer sees any read past its end, as in
    // libFuzzer's own copy.
    const std::vector<std::uint8_t> input(read.begin(), read.end());
    LLVMFuzzerTestOneInput(input.empty() ? nullptr : input.data(), input.size());
    return true;
}

} // namespace

int main(int argc, char** argv) {
    std::size_t runs = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg{argv[i]};
        std::error_code ec;
        if (std::filesystem::is_directory(arg, ec)) {
            std::vector<std::filesystem::path> files;
            for (const auto& e : std::filesystem::directory_iterator(arg, ec)) {
                // Hidden files (.gitkeep) are not inputs.
                if (e.is_regular_file() && e.path().filename().string().front() != '.') files.push_back(e.path());
            }
            if (ec) {
                std::fprintf(stderr, "cannot list %s: %s\n", arg.c_str(), ec.message().c_str());
                return 1;
            }
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                if (!run_file(f)) return 1;
                ++runs;
            }
        } else if (std::filesystem::is_regular_file(arg, ec)) {
            if (!run_file(arg)) return 1;
            ++runs;
        } else {
            std::fprintf(stderr, "no such file or directory: %s\n", arg.c_str());
            return 1;
        }
    }
    std::printf("%zu inputs replayed\n", runs);
    return 0;
}
