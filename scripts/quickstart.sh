#!/usr/bin/env bash
# Installs what is missing, builds rawpkt (release preset) and runs the
# demo: a handful of frames crafted with the builder and decoded again, then
# rawpkt-dump on the bundled sample capture (data/sample.pcap): one line per
# packet, and the --stats summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target example_craft_and_decode rawpkt-dump rawpkt-gen rawpkt-top
build/release/examples/craft_and_decode
echo
echo "== rawpkt-dump -r data/sample.pcap -c 16"
build/release/tools/rawpkt-dump -r data/sample.pcap -c 16
echo
echo "== rawpkt-dump -r data/sample.pcap -q --stats"
build/release/tools/rawpkt-dump -r data/sample.pcap -q --stats
