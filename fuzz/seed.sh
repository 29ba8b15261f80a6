#!/usr/bin/env bash
# Rebuilds the seed corpora in fuzz/corpus/<target>/: every frame, layer and
# capture file of tests/data/corpus and the golden frames of the tests
# (fuzz_make_seeds writes them), plus the inputs of any MORE directory
# (e.g. the corpora of a fuzz/run.sh campaign, MORE/<target>/), minimised
# with libFuzzer's -merge=1 to the inputs that add coverage.
#
#   fuzz/seed.sh [BUILD_DIR [MORE...]]    (BUILD_DIR: a build of the fuzz preset, build/fuzz by default)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${1:-$root/build/fuzz}")
shift || true
targets=(fuzz_link fuzz_ip fuzz_transport fuzz_tunnel fuzz_app fuzz_decode fuzz_pcap fuzz_build fuzz_format)

cmake --build "$build" --target fuzz fuzz_make_seeds
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/fuzz/fuzz_make_seeds" "$root/tests/data/corpus" "$tmp/seeds"
for t in "${targets[@]}"; do
    out="$root/fuzz/corpus/$t"
    rm -rf "$out"
    mkdir -p "$out" "$tmp/seeds/$t"
    more=()
    for m in "$@"; do
        [[ -d "$m/$t" ]] && more+=("$m/$t")
        [[ -d "$m/$t/corpus" ]] && more+=("$m/$t/corpus")
    done
    "$build/fuzz/$t" -merge=1 -timeout=10 "$out" "$tmp/seeds/$t" "${more[@]}" 2>"$tmp/$t.log" || {
        cat "$tmp/$t.log"
        exit 1
    }
    printf '%-16s %5d files %8s\n' "$t" "$(find "$out" -type f | wc -l)" "$(du -sh "$out" | cut -f1)"
done
