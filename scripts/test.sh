#!/usr/bin/env bash
# Builds rawpkt and runs every test: the release build (g++) runs all tests,
# the asan build (clang++, AddressSanitizer + UndefinedBehaviorSanitizer)
# runs the unit tests again, and the fuzz build (clang++, libFuzzer) fuzzes
# every target for a bounded time over its seeds and regression inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

for preset in release asan; do
    echo "== $preset: configure and build"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
    echo "== $preset: test"
    ctest --preset "$preset" -j "$jobs"
done
echo "== fuzz: build every target, fuzz each one briefly"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs"
ctest --preset fuzz
echo "== all tests passed"
