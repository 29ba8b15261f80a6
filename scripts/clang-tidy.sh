#!/usr/bin/env bash
# clang-tidy with the checks of .clang-tidy over the library's sources
# (src/) and the tools (tools/), which include the headers they use, with
# the compile commands of a clang build (BUILD_DIR, build/tidy by default:
# configured from the `clang` preset when missing; only the generated XDP
# program header is built).
# Findings are errors: the exit status is non-zero when there is one.
#
#   scripts/clang-tidy.sh [FILE_REGEX...]     (default: every .cpp of src/ and tools/)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build/tidy}
if [[ ! -f $build/compile_commands.json ]]; then
    cmake --preset clang -B "$build" -DRAWPKT_BUILD_TESTS=OFF -DRAWPKT_BUILD_BENCH=OFF >/dev/null
fi
# The one generated header the sources include (the embedded XDP program).
if cmake --build "$build" --target help | grep -q rawpkt_xdp_object; then
    cmake --build "$build" --target rawpkt_xdp_object >/dev/null
fi
if [[ $# -eq 0 ]]; then
    set -- "$PWD/src/.*\.cpp" "$PWD/tools/.*\.cpp"
fi
run-clang-tidy -quiet -p "$build" -j "$(nproc)" "$@"
