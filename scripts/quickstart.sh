#!/usr/bin/env bash
# Installs what is missing, builds rawpkt (release preset) and runs the
# demo: a handful of frames crafted with the builder and decoded again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target example_craft_and_decode
exec build/release/examples/craft_and_decode
