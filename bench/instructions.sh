#!/usr/bin/env bash
# Server instructions per request, counted by callgrind: a figure that other work on a shared
# machine does not disturb (wall-clock and CPU-time figures do), for comparing two builds or
# talentgraph with the stack's ceiling on the queries of bench/compare.sh. User-space
# instructions of the server only: the kernel's work (socket calls per statement) and the
# database's are not in it, so fewer statements show up as less time in compare.sh but only
# partly here.
#
# Usage: bench/instructions.sh [servers] [queries]
#   servers: "ceiling talentgraph-postgres talentgraph-sqlite" (default)
#   queries: "q1_role_by_id q2_candidates_with_skills q3_experienced_candidates" (default)
# Env: N=50 (measured requests, sequential, after 20 warm-up ones), TALENTGRAPH_BIN (default the
#   release build), PG_PORT (the peer's PostgreSQL, as compare.sh picked it; default 55434).
# Needs: one run of `KEEP_PEER=1 bench/compare.sh` before (its seeded databases, queries, the
#   built ceiling, the peer's PostgreSQL left running), and valgrind (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
SERVERS="${1:-ceiling talentgraph-postgres talentgraph-sqlite}"
QUERIES="${2:-q1_role_by_id q2_candidates_with_skills q3_experienced_candidates}"
N="${N:-50}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/talentgraph/target}"
BIN="${TALENTGRAPH_BIN:-$CARGO_TARGET_DIR/release/talentgraph}"
CEILING_BIN="$CARGO_TARGET_DIR/compare/ceiling-target/release/ceiling"
WORK="${PG_ROOT:-/tmp/recruiter-peer}/talentgraph"
PG_PORT="${PG_PORT:-55434}"
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }
[ -d "$WORK/queries" ] || { echo "run KEEP_PEER=1 bench/compare.sh first (no $WORK/queries)" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

measure() {  # server query -> prints "server query M-instructions-per-request"
  local server=$1 query=$2 port out pid token=""
  port=$(free_port); out=$(mktemp -d)
  local valgrind=(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/cg.%p")
  case "$server" in
    ceiling)
      local role; role=$(python3 -c "import json; print(json.load(open('$WORK/queries/q1_role_by_id.json'))['variables']['id'])")
      PORT=$port WORKERS=1 ROLE_ID=$role "${valgrind[@]}" "$CEILING_BIN" > "$out/log" 2>&1 & ;;
    talentgraph-postgres|talentgraph-sqlite)
      local url="postgres://peer:peer@127.0.0.1:$PG_PORT/talentgraph_bench"
      [ "$server" = talentgraph-sqlite ] && url="sqlite://$WORK/talentgraph-100000.db?mode=rwc"
      RUST_LOG=warn TALENTGRAPH_JWT_SECRET="instructions-$(head -c 24 /dev/urandom | base64 | tr -d '=+/')" \
        "${valgrind[@]}" "$BIN" serve --bind "127.0.0.1:$port" --workers 1 --database-url "$url" > "$out/log" 2>&1 & ;;
    *) echo "unknown server $server" >&2; exit 2 ;;
  esac
  pid=$!
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null -H 'content-type: application/json' -d '{"query":"{__typename}"}' "http://127.0.0.1:$port/graphql" && break
    sleep 0.5
  done
  if [ "$server" != ceiling ]; then
    token=$(curl -fsS -H 'content-type: application/json' \
      -d '{"query":"mutation { login(email: \"demo@talentgraph.dev\", password: \"talentgraph-demo\") { accessToken } }"}' \
      "http://127.0.0.1:$port/graphql" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')
  fi
  send() {  # sequential requests on one connection; the first answer must be clean
    python3 - "$1" "$port" "$WORK/queries/$query.json" "$token" <<'PY'
import http.client, sys
n, port, body, token = int(sys.argv[1]), int(sys.argv[2]), open(sys.argv[3], "rb").read(), sys.argv[4]
connection = http.client.HTTPConnection("127.0.0.1", port)
headers = {"content-type": "application/json", **({"authorization": "Bearer " + token} if token else {})}
for i in range(n):
    connection.request("POST", "/graphql", body, headers)
    response = connection.getresponse(); data = response.read()
    if i == 0 and (response.status != 200 or b'"errors"' in data):
        sys.exit(f"bad answer: {data[:300]!r}")
PY
  }
  send 20
  callgrind_control -i on "$pid" >/dev/null
  send "$N"
  callgrind_control -i off "$pid" >/dev/null
  callgrind_control -d "$pid" >/dev/null
  sleep 1
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  local total; total=$(cat "$out"/cg.* | awk '/^(summary|totals):/ { if ($2 > max) max = $2 } END { print max + 0 }')
  rm -rf "$out"
  python3 -c "print(f'$server $query {$total / $N / 1e6:.3f}')"
}

echo "server instructions per request (millions), callgrind, $N sequential requests after 20 warm-up"
printf '%-22s %-28s %s\n' server query "M instr/req"
for query in $QUERIES; do
  for server in $SERVERS; do
    read -r s q m < <(measure "$server" "$query")
    printf '%-22s %-28s %s\n' "$s" "$q" "$m"
  done
done
