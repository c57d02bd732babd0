#!/usr/bin/env bash
# Times `talentgraph seed --candidates N` into a fresh SQLite file (release build), and, as a
# baseline measured in the same run, a plain copy of the resulting database file, so the figure
# can be read as a ratio on a noisy machine. Prints rows per second and the database size.
#
# Usage: bench/seed.sh [N=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/talentgraph/target}"
cargo build --release --locked --bin talentgraph >/dev/null
BIN="$CARGO_TARGET_DIR/release/talentgraph"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$BIN" migrate --database-url "sqlite://$WORK/empty.db" >/dev/null 2>&1
start=$(date +%s.%N)
RUST_LOG=warn "$BIN" seed --candidates "$N" --database-url "sqlite://$WORK/bench.db"
end=$(date +%s.%N)
seconds=$(python3 -c "print(f'{$end - $start:.2f}')")
cstart=$(date +%s.%N); cp "$WORK/bench.db" "$WORK/copy.db"; sync "$WORK/copy.db"; cend=$(date +%s.%N)
copy=$(python3 -c "print(f'{$cend - $cstart:.3f}')")
size=$(du -m "$WORK/bench.db" | cut -f1)
rows=$(python3 - "$WORK/bench.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(" ".join(f"{t}={c.execute(f'select count(*) from {t}').fetchone()[0]}" for t in
      ["candidates", "candidate_skills", "candidate_tags", "applications", "application_events", "roles"]))
PY
)
echo "seed --candidates $N (SQLite): ${seconds} s; ${size} MB; $rows"
echo "baseline: copying the finished database file took ${copy} s (ratio $(python3 -c "print(f'{$seconds / max($copy, 0.001):.0f}')")x)"
