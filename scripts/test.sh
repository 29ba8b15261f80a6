#!/usr/bin/env bash
# Builds rawpkt and runs every test: the release build (g++) runs all tests,
# the asan build (clang++, AddressSanitizer + UndefinedBehaviorSanitizer)
# runs the unit and integration tests again, except the cases that compare
# rawpkt's output with tshark's and tcpdump's over the whole corpus
# (ReferenceTools.*, CorpusFields.*: the asan preset's GTEST_FILTER). Those
# spend their time in the reference tools, which the sanitizers do not
# instrument; the code they drive runs under the sanitizers in
# broken_captures_test, the reader corpus test and the fuzz replays. The tsan build (ThreadSanitizer) runs
# the tests that use threads; clang-tidy checks the library and the tools
# (.clang-tidy); then the fuzz build (clang++, libFuzzer) fuzzes every
# target for a bounded time over its seeds and regression inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

for preset in release asan; do
    echo "== $preset: configure and build"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
    echo "== $preset: test"
    # Label bench (bench/capture_compare.sh --quick, about a minute of
    # flooding on both cores) runs on demand: ctest --preset release -L bench
    # Label compare (bench/compare --quick) runs here, alone (RUN_SERIAL).
    ctest --preset "$preset" -j "$jobs" -LE bench
done
echo "== tsan: build and run the tests that use threads"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs"
ctest --preset tsan -j "$jobs"
echo "== clang-tidy: the library and the tools"
BUILD_DIR=build/tidy scripts/clang-tidy.sh
echo "== fuzz: build every target, fuzz each one briefly"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs"
ctest --preset fuzz
echo "== all tests passed"
