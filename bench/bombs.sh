#!/usr/bin/env bash
# How long each denial-of-service request of issue 8 takes to be refused, against the baseline
# `{ __typename }` measured in the same run (so the figures read as ratios on a noisy machine).
# Release build, SQLite demo data; one keep-alive client, sequential requests; wall time per
# request as the client sees it and server CPU per request (every thread's schedstat).
#
# Usage: bench/bombs.sh [requests=200]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/talentgraph/target}"
cargo build --release --locked --bin talentgraph >/dev/null 2>&1
BIN="$CARGO_TARGET_DIR/release/talentgraph"
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DB="sqlite://$WORK/bench.db"
RUST_LOG=warn "$BIN" seed --database-url "$DB" >/dev/null 2>&1
RUST_LOG=error TALENTGRAPH_JWT_SECRET="bench-secret-bench-secret-bench-secret" "$BIN" serve --bind "127.0.0.1:$PORT" --database-url "$DB" --workers 1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
python3 - "$PORT" "$PID" "$N" <<'PY'
import http.client, json, sys, time, os
port, pid, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def cpu():
    # Seconds on CPU of every thread of the server (schedstat: nanoseconds, unlike /proc/stat).
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(open(f"/proc/{pid}/task/{task}/schedstat").read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended meanwhile
    return total / 1e9
conn = http.client.HTTPConnection("127.0.0.1", port)
def post(body, token=None):
    headers = {"content-type": "application/json"}
    if token: headers["authorization"] = "Bearer " + token
    conn.request("POST", "/graphql", json.dumps(body), headers)
    r = conn.getresponse(); data = r.read()
    assert r.status == 200, data
    return json.loads(data), len(data)
login, _ = post({"query": 'mutation { login(email: "demo@talentgraph.dev", password: "talentgraph-demo") { accessToken } }'})
token = login["data"]["login"]["accessToken"]

def fan_out(levels, leaf):
    q = "query { ...F0 } " + " ".join(f"fragment F{i} on Query {{ ...F{i+1} ...F{i+1} }}" for i in range(levels))
    return q + f" fragment F{levels} on Query {{ {leaf} }}"
def aliased(count, field):
    return " ".join(f"a{i}: {field}" for i in range(count))
ids = [f"Q2FuZGlkYXRlOj{i:03}" for i in range(100)]
chain = "roles(first: 100) { nodes { applications { candidate { skills { skill { name } } applications { role { title } } } } } }"
login_field = 'login(email: "demo@talentgraph.dev", password: "talentgraph-demo") { accessToken }'
circular = "{ __schema { types { " + "fields { type { " * 4 + "name" + " } }" * 4 + " } } }"
cases = [
    ("{ __typename } (baseline)", {"query": "{ __typename }"}, None),
    ("fan-out 22 levels, __typename", {"query": fan_out(21, "__typename")}, None),
    ("fan-out 22 levels, serverVersion", {"query": fan_out(21, "serverVersion")}, None),
    ("fan-out 40 levels", {"query": fan_out(40, "__typename")}, None),
    ("20 aliased roles→…→skills chains", {"query": "{ " + aliased(20, chain) + " }"}, token),
    ("200 aliased nodes(ids: $ids[100])", {"query": "query ($ids: [ID!]!) { " + aliased(200, "nodes(ids: $ids) { id }") + " }", "variables": {"ids": ids}}, token),
    ("20 aliased nodes(ids) with skills", {"query": "query ($ids: [ID!]!) { " + aliased(20, "nodes(ids: $ids) { id ... on Candidate { skills { level } } }") + " }", "variables": {"ids": ids}}, token),
    ("150 aliased roles(requiresSkills)", {"query": "{ " + aliased(150, 'roles(filter: { requiresSkills: ["zzqxvN"] }) { totalCount }') + " }"}, token),
    ("1,000 @include on one field", {"query": "{ __typename " + "@include(if: true) " * 1000 + "}"}, None),
    ("3,000 aliased fields", {"query": "{ " + aliased(3000, "__typename") + " }"}, None),
    ("3,000 fields", {"query": "{ " + "__typename " * 3000 + "}"}, None),
    ("2 logins in one request", {"query": "mutation { " + login_field + " again: " + login_field + " }"}, None),
    ("40 aliased logins", {"query": "mutation { " + aliased(40, login_field) + " }"}, None),
    ("circular introspection, 4 levels", {"query": circular}, None),
]
print(f"{n} sequential requests each; release build, 1 worker, SQLite demo data")
print(f"{'request':38} {'answer':20} {'bytes':>7} {'wall ms':>8} {'cpu ms':>7} {'wall/base':>9} {'cpu/base':>8}")
base = None
for label, body, auth in cases:
    out, size = post(body, auth)
    code = out["errors"][0]["extensions"]["code"] if "errors" in out else "answered"
    for _ in range(10): post(body, auth)
    c0, t0 = cpu(), time.perf_counter()
    for _ in range(n): post(body, auth)
    c1, t1 = cpu(), time.perf_counter()
    wall, cpu_ms = (t1 - t0) * 1000 / n, (c1 - c0) * 1000 / n
    if base is None: base = (wall, max(cpu_ms, 0.001))
    print(f"{label:38} {code:20} {size:7d} {wall:8.3f} {cpu_ms:7.3f} {wall / base[0]:8.1f}x {cpu_ms / base[1]:7.1f}x")
PY
