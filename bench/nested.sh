#!/usr/bin/env bash
# Server CPU per request for "50 candidates with skills, tags and pipelines", against the
# baseline `{ __typename }` measured in the same run (so the figure reads as a ratio on a noisy
# machine). Release build, SQLite demo data; one keep-alive client, sequential requests.
#
# Usage: bench/nested.sh [requests=500] [candidates=240]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-500}"
CANDIDATES="${2:-240}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/talentgraph/target}"
cargo build --release --locked --bin talentgraph >/dev/null 2>&1
BIN="$CARGO_TARGET_DIR/release/talentgraph"
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DB="sqlite://$WORK/bench.db"
RUST_LOG=warn "$BIN" seed --candidates "$CANDIDATES" --database-url "$DB" >/dev/null 2>&1
RUST_LOG=warn TALENTGRAPH_JWT_SECRET="bench-secret-bench-secret-bench-secret" "$BIN" serve --bind "127.0.0.1:$PORT" --database-url "$DB" --workers 1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
python3 - "$PORT" "$PID" "$N" <<'PY'
import http.client, json, sys, time, os
port, pid, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
tck = os.sysconf("SC_CLK_TCK")
def cpu():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tck
conn = http.client.HTTPConnection("127.0.0.1", port)
def post(body, token=None):
    headers = {"content-type": "application/json"}
    if token: headers["authorization"] = "Bearer " + token
    conn.request("POST", "/graphql", json.dumps(body), headers)
    r = conn.getresponse(); data = r.read()
    assert r.status == 200, data
    return json.loads(data)
login = post({"query": 'mutation { login(email: "demo@talentgraph.dev", password: "talentgraph-demo") { accessToken } }'})
token = login["data"]["login"]["accessToken"]
nested = {"query": "{ candidates(first: 50) { nodes { fullName tags skills { level skill { name } } applications { stage role { title } } } } }"}
typename = {"query": "{ __typename }"}
def run(body, label):
    for _ in range(20): post(body, token)
    c0, t0 = cpu(), time.perf_counter()
    for _ in range(n):
        out = post(body, token)
        assert "errors" not in out, out
    c1, t1 = cpu(), time.perf_counter()
    cpu_ms, wall_ms = (c1 - c0) * 1000 / n, (t1 - t0) * 1000 / n
    print(f"{label:32} server {cpu_ms:6.2f} cpu-ms/req   wall {wall_ms:6.2f} ms/req")
    return cpu_ms
base = run(typename, "{ __typename } (baseline)")
nest = run(nested, "50 candidates, nested")
print(f"nested / baseline: {nest / max(base, 0.001):.1f}x server CPU")
PY
