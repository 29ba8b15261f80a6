#!/usr/bin/env bash
# Builds rawpkt and runs every test: the release build (g++) runs all tests,
# the asan build (clang++, AddressSanitizer + UndefinedBehaviorSanitizer)
# runs the unit tests again.
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
echo "== all tests passed"
