#!/usr/bin/env bash
# Live capture side by side: the same flood over a veth pair between two
# network namespaces, captured by tpacket_floor (a minimal C TPACKET_V3
# loop) and by rawpkt's capture_count (ring and socket backends); when the
# build has the AF_XDP backend, also by xdp_floor (a minimal C AF_XDP loop)
# and capture_count's xdp backend. Needs root. Prints one line per
# capturer: frames captured, drops, and the capturer's CPU time.
#
# Usage: bench/capture_compare.sh <build-dir> [frames] [size] [rounds]
set -euo pipefail
build=${1:?usage: $0 <build-dir> [frames] [size] [rounds]}
frames=${2:-2000000}
size=${3:-60}
rounds=${4:-3}
bin=$build/bench
a=rpbench-$$-a
b=rpbench-$$-b
cleanup() { ip netns del "$a" 2>/dev/null || true; ip netns del "$b" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$a"
ip netns add "$b"
for ns in "$a" "$b"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$a" link add va type veth peer name vb netns "$b"
ip -n "$a" link set va up
ip -n "$b" link set vb up

run() { # name, command...
    local name=$1
    shift
    local out err
    out=$(mktemp)
    err=$(mktemp)
    ip netns exec "$b" "$@" >"$out" 2>"$err" &
    local pid=$!
    sleep 1
    ip netns exec "$a" "$bin/flood_send" va "$frames" "$size" >/dev/null
    sleep 1
    kill -INT "$pid"
    wait "$pid" || true
    local cpu
    cpu=$(grep -o 'cpu.*s sys [0-9.]* s' "$err")
    # Capturer CPU (user + sys) per captured frame.
    local per
    per=$(awk -v c="$(cat "$out")" -v t="$cpu" 'BEGIN { split(c, a, /[= ]/); split(t, b, " ");
        if (a[3] > 0) printf "%.2f us/frame", (b[3] + b[6]) / a[3] * 1e6 }')
    printf '%-16s %s  %s  %s\n' "$name" "$(cat "$out")" "$cpu" "$per"
    rm -f "$out" "$err"
}
echo "frames=$frames size=$size"
for r in $(seq "$rounds"); do
    run floor "$bin/tpacket_floor" vb
    run rawpkt-ring "$bin/capture_count" vb ring
    run rawpkt-socket "$bin/capture_count" vb socket
    if [ -x "$bin/xdp_floor" ]; then
        run xdp-floor "$bin/xdp_floor" vb "$build/xdp/rawpkt_xdp.bpf.o"
        run rawpkt-xdp "$bin/capture_count" vb xdp
    fi
done
