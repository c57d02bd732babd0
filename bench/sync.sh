#!/usr/bin/env bash
# ATS sync over HTTP (issue 11 §1): on each backend, starts a release server on a fresh
# database (demo account, no demo candidates) and times, with one keep-alive client:
#   - an initial import of N candidates through upsertCandidates, 1,000 a call (each with an
#     email, a headline, 3 skills and 2 tags): total wall time and per-call p50/max;
#   - one of those batches sent again (every item UNCHANGED: reads only);
#   - one batch of 1,000 changes (new headline and skill levels: every item UPDATED);
#   - 1,000 roles with 5 requirements each through upsertRoles, then the same batch again.
# Targets: 1,000 items in one call ≤ 500 ms; 100,000 candidates ≤ 60 s.
#
# Usage: bench/sync.sh [N=100000] [backends="sqlite postgres"]  (TALENTGRAPH_BIN=path: that binary)
# PostgreSQL: PG_ADMIN_URL (default the dev server, postgres://talentgraph:talentgraph@127.0.0.1:55432/talentgraph)
# names a database whose user may CREATE DATABASE; the script creates and drops its own.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
BACKENDS="${2:-sqlite postgres}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://talentgraph:talentgraph@127.0.0.1:55432/talentgraph}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/talentgraph/target}"
# TALENTGRAPH_BIN: a given binary instead of this checkout's release build.
if [ -z "${TALENTGRAPH_BIN:-}" ]; then cargo build --release --locked --bin talentgraph >/dev/null 2>&1; fi
BIN="${TALENTGRAPH_BIN:-$CARGO_TARGET_DIR/release/talentgraph}"
WORK=$(mktemp -d)
PID=""
PGDB=""
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  [ -n "$PGDB" ] && psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for BACKEND in $BACKENDS; do
  if [ "$BACKEND" = sqlite ]; then
    DB="sqlite://$WORK/sync.db"
  else
    PGDB="tg_bench_sync_$$"
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null
    psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $PGDB" >/dev/null
    DB="${PG_ADMIN_URL%/*}/$PGDB"
  fi
  RUST_LOG=warn "$BIN" seed --database-url "$DB" --candidates 0 --roles 0 >/dev/null 2>&1
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  RUST_LOG=warn TALENTGRAPH_JWT_SECRET="bench-secret-bench-secret-bench-secret" \
    "$BIN" serve --bind "127.0.0.1:$PORT" --database-url "$DB" --workers 2 >"$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "== $BACKEND: $N candidates, 1,000 a call"
  python3 - "$PORT" "$N" <<'PY'
import http.client, json, random, sys, time
port, total = int(sys.argv[1]), int(sys.argv[2])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
def post(query, variables=None, token=None):
    headers = {"content-type": "application/json"}
    if token: headers["authorization"] = "Bearer " + token
    body = json.dumps({"query": query, "variables": variables or {}})
    started = time.perf_counter()
    conn.request("POST", "/graphql", body, headers)
    r = conn.getresponse(); data = r.read()
    elapsed = (time.perf_counter() - started) * 1000
    reply = json.loads(data)
    assert r.status == 200 and not reply.get("errors"), data[:500]
    return reply, elapsed
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
login, _ = post('mutation { login(email: "demo@talentgraph.dev", password: "talentgraph-demo") { accessToken } }')
token = login["data"]["login"]["accessToken"]
skills = ["python", "apache spark", "kafka", "rust", "java", "sql", "kubernetes", "aws", "scala", "react", "go", "docker"]
rng = random.Random(11)
def candidate(i, bump=0):
    return {"externalSource": "greenhouse", "externalId": f"gh-{i}", "fullName": f"Person {i}",
            "email": f"person{i}@example.com", "headline": f"Engineer #{i}" + (" (updated)" if bump else ""),
            "yearsExperience": i % 30, "tags": ["imported", f"cohort-{i % 10}"],
            "skills": [{"skill": s, "level": min(5, 1 + (i + k + bump) % 5), "years": (i + k) % 10}
                       for k, s in enumerate(rng.sample(skills, 3))]}
UPSERT = "mutation ($input: [CandidateUpsertInput!]!) { upsertCandidates(input: $input) { results { status } userErrors { message } } }"
def run(items):
    reply, ms = post(UPSERT, {"input": items}, token)
    payload = reply["data"]["upsertCandidates"]
    assert not payload["userErrors"], payload["userErrors"]
    return [r["status"] for r in payload["results"]], ms
batches = [[candidate(i) for i in range(start, min(total, start + 1000))] for start in range(0, total, 1000)]
started = time.perf_counter()
calls = []
for batch in batches:
    statuses, ms = run(batch)
    assert set(statuses) == {"CREATED"}, set(statuses)
    calls.append(ms)
    if "SYNC_BENCH_VERBOSE" in __import__("os").environ: print(f"    call {len(calls)}: {ms:.0f} ms", flush=True)
wall = time.perf_counter() - started
print(f"  initial import: {total} candidates in {len(calls)} calls, {wall:.1f} s "
      f"({total / wall:,.0f}/s); per call p50 {pct(calls, 50):.0f} ms, max {max(calls):.0f} ms")
replay = []
for _ in range(5):
    statuses, ms = run(batches[0]); assert set(statuses) == {"UNCHANGED"}, set(statuses); replay.append(ms)
print(f"  the first batch again (1,000 UNCHANGED): p50 {pct(replay, 50):.0f} ms, max {max(replay):.0f} ms (n=5)")
updates = []
for bump in range(1, 6):
    statuses, ms = run([candidate(i, bump) for i in range(len(batches[-1]))]); assert set(statuses) == {"UPDATED"}, set(statuses); updates.append(ms)
print(f"  1,000 changes (headline, skill levels; UPDATED): p50 {pct(updates, 50):.0f} ms, max {max(updates):.0f} ms (n=5)")
ROLES = "mutation ($input: [RoleUpsertInput!]!) { upsertRoles(input: $input) { results { status } userErrors { message } } }"
roles = [{"externalSource": "lever", "externalId": f"job-{i}", "title": f"Role {i}", "status": "OPEN",
          "requirements": [{"skill": s, "minLevel": 3} for s in rng.sample(skills, 5)]} for i in range(1000)]
reply, created = post(ROLES, {"input": roles}, token)
assert {r["status"] for r in reply["data"]["upsertRoles"]["results"]} == {"CREATED"}, reply["data"]["upsertRoles"]["userErrors"]
reply, unchanged = post(ROLES, {"input": roles}, token)
assert {r["status"] for r in reply["data"]["upsertRoles"]["results"]} == {"UNCHANGED"}
print(f"  1,000 roles with 5 requirements: created in {created:.0f} ms, sent again (UNCHANGED) {unchanged:.0f} ms")
PY
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  if [ "$BACKEND" = sqlite ]; then rm -f "$WORK"/sync.db*; else psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null; PGDB=""; fi
done
