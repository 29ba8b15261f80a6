#!/usr/bin/env bash
# A fuzzing campaign over every target: each fuzzes for DURATION seconds, as
# many at once as there are cores (JOBS), and the table at the end gives per
# target the executions, executions per second and libFuzzer's final
# coverage (cov: edges, ft: features).
#
#   fuzz/run.sh DURATION [BUILD_DIR [WORK_DIR]]
#
# BUILD_DIR is a build of the `fuzz` preset (build/fuzz by default; it is
# brought up to date first). WORK_DIR (build/fuzz-campaign by default) keeps
# per target its corpus (started from fuzz/corpus/ and fuzz/regressions/,
# and kept between campaigns), its libFuzzer log and any crash reproducer.
# TARGETS="fuzz_ip fuzz_pcap" limits the campaign to some targets. The exit
# status is 1 when a target crashed.
set -euo pipefail
if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 DURATION [BUILD_DIR [WORK_DIR]]" >&2
    exit 2
fi
duration=$1
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${2:-$root/build/fuzz}")
work=$(realpath -m "${3:-$root/build/fuzz-campaign}")
jobs=${JOBS:-$(nproc)}
read -r -a targets <<<"${TARGETS:-fuzz_link fuzz_ip fuzz_transport fuzz_tunnel fuzz_app fuzz_decode fuzz_pcap fuzz_build fuzz_format}"

cmake --build "$build" --target fuzz -j "$jobs" >/dev/null
mkdir -p "$work"

run_one() {
    local t=$1 dir=$work/$1
    mkdir -p "$dir/corpus"
    if [[ -z $(ls -A "$dir/corpus") ]]; then
        cp "$root/fuzz/corpus/$t/"* "$dir/corpus/" 2>/dev/null || true
        cp "$root/fuzz/regressions/$t/"* "$dir/corpus/" 2>/dev/null || true
    fi
    local start end rc=0
    start=$(date +%s)
    "$build/fuzz/$t" -max_total_time="$duration" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$dir/" "$dir/corpus" >"$dir/log" 2>&1 || rc=$?
    end=$(date +%s)
    echo "$rc $((end - start))" >"$dir/result"
}

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for t in "${targets[@]}"; do
    while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
    echo "$(date +%H:%M:%S) $t: fuzzing for ${duration}s" >&2
    run_one "$t" &
done
wait

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "campaign started $started, ${duration}s per target, $jobs at a time"
echo "machine: $(uname -srm), $(nproc) cores ($cpu), $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
printf '%-16s %14s %10s %8s %8s %9s  %s\n' target execs exec/s cov ft seconds result
total=0
failed=0
for t in "${targets[@]}"; do
    dir=$work/$t
    read -r rc secs <"$dir/result"
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$dir/log" | tail -1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    status=ok
    if [[ $rc != 0 ]]; then
        status="CRASH (exit $rc): $(ls "$dir"/crash-* "$dir"/timeout-* "$dir"/oom-* 2>/dev/null | head -1 || true)"
        failed=1
    fi
    printf '%-16s %14s %10s %8s %8s %9s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$secs" "$status"
    total=$((total + ${execs:-0}))
done
printf '%-16s %14s\n' total "$total"
exit $failed
