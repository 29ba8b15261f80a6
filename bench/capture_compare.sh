#!/usr/bin/env bash
# Live capture and transmit side by side, over a veth pair between two
# network namespaces the script makes and removes (also on failure). Needs
# root.
#
# Capture: a generator pinned to one core floods 60-byte (64 on the wire)
# and 1514-byte frames; each capturer in turn, pinned to the other core,
# counts them: tpacket_floor (a minimal C TPACKET_V3 loop, the floor),
# rawpkt's capture_count (ring backend with next_batch and with next,
# socket backend; xdp when built, next to xdp_floor), recvfrom_floor (poll + recvfrom per frame, libpnet's way),
# pcap_floor (libpcap's pcap_dispatch), `tcpdump -w /dev/null`,
# `netsniff-ng --out /dev/null` (its TPACKET_V3 ring, netsniff-ng package),
# and `rawpkt-dump -w FILE` next to `tcpdump -w FILE` on tmpfs. The generator is
# trafgen (netsniff-ng), or rawpkt's flood_send when trafgen is missing.
# For each: frames captured, loss (frames the receiving interface counted
# but the capturer did not get), and the capturer's CPU time per frame, read
# from /proc/PID/task/*/schedstat (time on CPU, every thread) between the
# start and the end of the flood, so start-up is not counted; and the ratio
# to the floor. Contenders alternate within each round; medians over rounds.
#
# Transmit: 60-byte frames from rawpkt's TX ring (flood_send, and rawpkt-gen),
# from trafgen and from sendto_floor (a sendto per frame), all past the
# qdisc layer (PACKET_QDISC_BYPASS, trafgen's default), each pinned to the generator core with nothing
# capturing: frames per second counted by the receiving interface (over the
# sender's wall time, start-up included) and as the sender reports it. Each
# is compared with trafgen sending the same frames: flood_send's and
# sendto_floor's (EtherType 0x88b5) with `trafgen`, rawpkt-gen's
# (IPv4/UDP, the IP ID counting up, checksums filled in) with `trafgen-udp`,
# the same frame in trafgen's header functions. What the frames are matters:
# the receiving side of a veth pair runs on the sender's core.
#
# Usage: bench/capture_compare.sh [--quick] [--results DIR] <build-dir> [frames] [sizes] [rounds]
#   frames  per run (default 500000; --quick: 50000)
#   sizes   comma-separated frame lengths without FCS (default 60,1514)
#   rounds  (default 3; --quick: 1)
#   --results DIR  also writes the median tables as tab-separated files
#           DIR/capture.tsv (size capturer captured loss% ns/frame x-floor)
#           and DIR/transmit.tsv (sender received received-pps reported-pps
#           x-trafgen), "-" for a ratio without its reference, for
#           bench/compare
# Exits non-zero when a contender fails or prints no count; 77 (skipped)
# when not root.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
    echo "capture_compare.sh needs root (network namespaces): skipped"
    exit 77
fi
quick=0
results=
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1 ;;
    --results) results=${2:?--results needs a directory}; shift ;;
    *) break ;;
    esac
    shift
done
build=${1:?usage: $0 [--quick] [--results DIR] <build-dir> [frames] [sizes] [rounds]}
if [ "$quick" = 1 ]; then
    frames=${2:-50000}
    rounds=${4:-1}
else
    frames=${2:-500000}
    rounds=${4:-3}
fi
IFS=, read -r -a sizes <<<"${3:-60,1514}"
bin=$build/bench
tools=$build/tools
a=rpbench-$$-a
b=rpbench-$$-b
gen_cpu=0
cap_cpu=$(($(nproc) > 1 ? 1 : 0))
tmp=$(mktemp -d -p /dev/shm rpbench.XXXXXX 2>/dev/null || mktemp -d)
cap_pid=
failed=0

cleanup() {
    if [ -n "$cap_pid" ]; then kill "$cap_pid" 2>/dev/null || true; fi
    ip netns del "$a" 2>/dev/null || true
    ip netns del "$b" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP # through the EXIT trap
ip netns add "$a"
ip netns add "$b"
for ns in "$a" "$b"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$a" link add va type veth peer name vb netns "$b"
ip -n "$a" link set va up
ip -n "$b" link set vb up

rx_packets() { ip netns exec "$b" cat /sys/class/net/vb/statistics/rx_packets; }
now() { date +%s.%N; }

# Nanoseconds the process has run, all its threads.
cpu_ns() {
    { cat /proc/"$1"/task/*/schedstat 2>/dev/null || true; } | awk '{ t += $1 } END { printf "%d", t }'
}

# The frame flood_send sends, as a trafgen configuration: locally
# administered unicast addresses, EtherType 0x88b5, zero padding.
for size in "${sizes[@]}" 60; do
    printf '{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x88, 0xb5, fill(0x00, %d) }\n' \
        $((size - 14)) >"$tmp/frame-$size.cfg"
done
# rawpkt-gen's default frame padded to 60 bytes (its payload counts 0, 1,
# 2, ...; the IP ID counts frames), as trafgen header functions.
printf '{ eth(da=02:00:00:00:00:01, sa=02:00:00:00:00:01), ipv4(saddr=192.0.2.1, daddr=192.0.2.2, id=dinc(), df, ttl=64), udp(sp=1024, dp=9), %s }\n' \
    "$(seq -s ', ' 0 17)" >"$tmp/frame-gen-60.cfg"
if command -v trafgen >/dev/null; then
    generator=trafgen
else
    generator=flood_send
    echo "trafgen (Debian package netsniff-ng) not found: flood_send generates the traffic"
fi

# Sends <count> frames of <size> bytes from va with <sender>, pinned to the
# generator core; its output goes to standard output.
send() { # sender size count
    local sender=$1 size=$2 count=$3
    case $sender in
    trafgen)
        ip netns exec "$a" taskset -c "$gen_cpu" trafgen --dev va --conf "$tmp/frame-$size.cfg" --cpus 1 \
            --num "$count" --no-sock-mem 2>&1
        ;;
    trafgen-udp)
        ip netns exec "$a" taskset -c "$gen_cpu" trafgen --dev va --conf "$tmp/frame-gen-$size.cfg" --cpus 1 \
            --num "$count" --no-sock-mem 2>&1
        ;;
    flood_send) ip netns exec "$a" taskset -c "$gen_cpu" "$bin/flood_send" va "$count" "$size" ;;
    # The transmit comparison: past the qdisc layer, as trafgen sends.
    flood_send-bypass)
        ip netns exec "$a" taskset -c "$gen_cpu" "$bin/flood_send" va "$count" "$size" ring bypass
        ;;
    rawpkt-gen)
        ip netns exec "$a" taskset -c "$gen_cpu" "$tools/rawpkt-gen" -i va --count "$count" --frame-size "$size" \
            --dst-mac 02:00:00:00:00:01 -q --qdisc-bypass
        ;;
    sendto) ip netns exec "$a" taskset -c "$gen_cpu" "$bin/sendto_floor" va "$count" "$size" bypass ;;
    esac
}

# The command line of each capturer on vb; empty when it is not built or
# not installed.
capturer_command() {
    case $1 in
    floor) [ -x "$bin/tpacket_floor" ] && echo "$bin/tpacket_floor vb" ;;
    rawpkt-ring) [ -x "$bin/capture_count" ] && echo "$bin/capture_count vb ring" ;;
    rawpkt-ring-next) [ -x "$bin/capture_count" ] && echo "$bin/capture_count vb ring next" ;;
    rawpkt-socket) [ -x "$bin/capture_count" ] && echo "$bin/capture_count vb socket" ;;
    xdp-floor) echo "$bin/xdp_floor vb $build/xdp/rawpkt_xdp.bpf.o" ;;
    rawpkt-xdp) echo "$bin/capture_count vb xdp" ;;
    recvfrom) [ -x "$bin/recvfrom_floor" ] && echo "$bin/recvfrom_floor vb" ;;
    pcap-dispatch) [ -x "$bin/pcap_floor" ] && echo "$bin/pcap_floor vb" ;;
    tcpdump-null) command -v tcpdump >/dev/null && echo "tcpdump -i vb -n -w /dev/null" ;;
    # A 64 MiB ring as the floor's and rawpkt's (by default netsniff-ng
    # sizes it from the memory, GiBs that take seconds to allocate);
    # --notouch-irq: it would move the interface's interrupts otherwise.
    netsniff-ng) command -v netsniff-ng >/dev/null &&
        echo "netsniff-ng --in vb --out /dev/null --silent --ring-size 64MiB --notouch-irq --bind-cpu $cap_cpu" ;;
    tcpdump-file) command -v tcpdump >/dev/null && echo "tcpdump -i vb -n -w $tmp/tcpdump.pcap" ;;
    rawpkt-dump-file) [ -x "$tools/rawpkt-dump" ] && echo "$tools/rawpkt-dump -i vb -w $tmp/rawpkt.pcap" ;;
    esac
    return 0
}
capturers=(floor rawpkt-ring rawpkt-ring-next rawpkt-socket)
if [ -x "$bin/xdp_floor" ]; then capturers+=(xdp-floor rawpkt-xdp); fi
capturers+=(recvfrom pcap-dispatch tcpdump-null netsniff-ng rawpkt-dump-file tcpdump-file)
for name in "${capturers[@]}"; do
    if [ -z "$(capturer_command "$name")" ]; then echo "$name: not built or not installed, skipped"; fi
done

# One capture run: prints "<captured> <received by vb> <cpu ns>" and
# appends it to the results.
capture() { # name size
    local name=$1 size=$2 cmd
    cmd=$(capturer_command "$name")
    [ -n "$cmd" ] || return 0
    # shellcheck disable=SC2086 # the command line is split on purpose
    ip netns exec "$b" taskset -c "$cap_cpu" $cmd >"$tmp/out" 2>"$tmp/err" &
    cap_pid=$!
    sleep 0.5
    local rx0 cpu0 rx1 cpu1
    rx0=$(rx_packets)
    cpu0=$(cpu_ns "$cap_pid")
    send "$generator" "$size" "$frames" >"$tmp/gen"
    sleep 0.3 # the last ring block retires after 10 ms; tcpdump flushes its buffer
    rx1=$(rx_packets)
    cpu1=$(cpu_ns "$cap_pid")
    kill -INT "$cap_pid" 2>/dev/null || true # gone already: no count below
    wait "$cap_pid" || true
    cap_pid=
    rm -f "$tmp"/*.pcap
    # CAPBENCH captured=N from the C loops and capture_count; "N packets
    # captured" from tcpdump and rawpkt-dump; "N  packets passed filter"
    # (lines that start with a carriage return) from netsniff-ng.
    local captured
    captured=$(cat "$tmp/out" "$tmp/err" | tr '\r' '\n' |
        sed -n 's/^CAPBENCH captured=\([0-9]*\).*/\1/p; s/^\([0-9]*\) packets\{0,1\} captured$/\1/p
                s/^ *\([0-9]*\)  packets passed filter$/\1/p' | head -n 1)
    if [ -z "$captured" ] || [ "$cpu1" = 0 ]; then
        echo "$name ($size bytes): no count; its output:" >&2
        cat "$tmp/out" "$tmp/err" >&2
        failed=1
        return 0
    fi
    echo "$size $name $captured $((rx1 - rx0)) $((cpu1 - cpu0))" >>"$tmp/results"
    printf '  %-17s %5d bytes  captured %9d of %9d  cpu %8.1f ms\n' "$name" "$size" "$captured" \
        $((rx1 - rx0)) "$(awk -v n=$((cpu1 - cpu0)) 'BEGIN { print n / 1e6 }')"
}

# Medians of the rounds, in one awk program (a fork per figure is slow on a
# busy machine). med() takes a space-separated list of numbers.
awk_median='function med(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}'

echo "capture: $frames frames per run, ${sizes[*]}-byte frames, $rounds round(s), generator $generator on CPU $gen_cpu, capturers on CPU $cap_cpu"
: >"$tmp/results"
: >"$tmp/capture.tsv"
: >"$tmp/transmit.tsv"
for r in $(seq "$rounds"); do
    echo "round $r"
    for size in "${sizes[@]}"; do
        for name in "${capturers[@]}"; do capture "$name" "$size"; done
    done
done

# The tables, and the same figures tab-separated for --results.
awk -v sizes="${sizes[*]}" -v names="${capturers[*]}" -v rounds="$rounds" -v tsv="$tmp/capture.tsv" "$awk_median"'
    { k = $1 SUBSEP $2; cap[k] = cap[k] " " $3; ns[k] = ns[k] " " ($3 > 0 ? $5 / $3 : 0)
      loss[k] = loss[k] " " ($4 > $3 ? ($4 - $3) / $4 * 100 : 0) }
    END {
        nsizes = split(sizes, size, " "); nnames = split(names, name, " ")
        for (i = 1; i <= nsizes; i++) {
            printf "\ncapture, %s-byte frames: medians of %d round(s)\n", size[i], rounds
            printf "%-17s %10s %8s %10s %9s\n", "capturer", "captured", "loss", "ns/frame", "x floor"
            floor = 0
            for (j = 1; j <= nnames; j++) {
                k = size[i] SUBSEP name[j]
                if (!(k in cap)) continue
                c = med(cap[k]); l = med(loss[k]); t = med(ns[k])
                if (name[j] == "floor") floor = t
                r = floor > 0 ? sprintf("%.2f", t / floor) : "-"
                printf "%-17s %10.0f %7.2f%% %10.1f %9s\n", name[j], c, l, t, r == "-" ? r : r "x"
                printf "%s\t%s\t%.0f\t%.4f\t%.2f\t%s\n", size[i], name[j], c, l, t, r >>tsv
            }
        }
    }' "$tmp/results"

# Transmit: each sender alone, 60-byte frames.
tx_frames=$((frames * 4))
echo
echo "transmit: $tx_frames 60-byte frames per run, senders on CPU $gen_cpu, $rounds round(s)"
senders=(flood_send-bypass)
if [ -x "$tools/rawpkt-gen" ]; then senders+=(rawpkt-gen); else echo "rawpkt-gen: not built, skipped"; fi
if [ "$generator" = trafgen ]; then senders+=(trafgen trafgen-udp); else echo "trafgen: not installed, skipped"; fi
if [ -x "$bin/sendto_floor" ]; then senders+=(sendto); else echo "sendto_floor: not built, skipped"; fi
: >"$tmp/tx"
for r in $(seq "$rounds"); do
    for sender in "${senders[@]}"; do
        rx0=$(rx_packets)
        t0=$(now)
        if ! send "$sender" 60 "$tx_frames" >"$tmp/gen"; then
            echo "$sender failed:" >&2
            cat "$tmp/gen" >&2
            failed=1
            continue
        fi
        t1=$(now)
        rx1=$(rx_packets)
        # The sender's own rate: flood_send's TXBENCH line, rawpkt-gen's
        # "sent N frames, B bytes in S s", trafgen's packets over its time.
        reported=$(awk '
            /^TXBENCH/ { split($2, n, "="); split($4, s, "="); if (s[2] > 0) print n[2] / s[2] }
            /^sent [0-9]+ frames, [0-9]+ bytes in / { if ($7 > 0) print $2 / $7 }
            /packets outgoing/ { sent = $1 }
            /sec,/ && sent > 0 { secs = $1 + $3 / 1e6; if (secs > 0) print sent / secs }' <(tr -d '\r' <"$tmp/gen") |
            head -n 1)
        echo "$sender $((rx1 - rx0)) $(awk -v a="$t0" -v b="$t1" -v n=$((rx1 - rx0)) 'BEGIN { print n / (b - a) }') ${reported:-0}" >>"$tmp/tx"
    done
done
awk -v names="${senders[*]}" -v tsv="$tmp/transmit.tsv" "$awk_median"'
    { rx[$1] = rx[$1] " " $2; pps[$1] = pps[$1] " " $3; rep[$1] = rep[$1] " " $4 }
    END {
        printf "%-17s %10s %14s %14s %12s\n", "sender", "received", "received pps", "reported pps", "x trafgen"
        n = split(names, name, " ")
        for (i = 1; i <= n; i++) {
            s = name[i]
            if (!(s in pps)) continue
            # The trafgen run that sent the same frames.
            ref = s == "rawpkt-gen" || s == "trafgen-udp" ? "trafgen-udp" : "trafgen"
            t = (ref in pps) ? med(pps[ref]) : 0
            p = med(pps[s])
            r = t > 0 ? sprintf("%.2f", p / t) : "-"
            printf "%-17s %10.0f %14.0f %14.0f %12s\n", s, med(rx[s]), p, med(rep[s]), r == "-" ? r : r "x"
            printf "%s\t%.0f\t%.0f\t%.0f\t%s\n", s, med(rx[s]), p, med(rep[s]), r >>tsv
        }
    }' "$tmp/tx"
if [ -n "$results" ]; then
    mkdir -p "$results"
    cp "$tmp/capture.tsv" "$results/capture.tsv"
    cp "$tmp/transmit.tsv" "$results/transmit.tsv"
fi
exit "$failed"
