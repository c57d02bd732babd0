#!/usr/bin/env bash
# Reading job descriptions (issue 12, section 7): times descriptions::parse on one core (the
# pure parser with the built-in matcher, no HTTP or database) over every ad of the evaluation
# corpus, a few-kB ad and a 20,000-character one, printing p50/p99 per description in ms and
# how long building the matcher took (once per process).
#
# Usage: bench/parse.sh [rounds=300]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-300}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/talentgraph/target}"
cargo build --release --locked --example parse_bench >/dev/null 2>&1
BIN="$CARGO_TARGET_DIR/release/examples/parse_bench"
# One core: the figure is per core, whatever else the machine runs.
if command -v taskset >/dev/null; then
  taskset -c 0 "$BIN" src/descriptions/corpus "$ROUNDS"
else
  "$BIN" src/descriptions/corpus "$ROUNDS"
fi
