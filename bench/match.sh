#!/usr/bin/env bash
# Matching end to end over HTTP (issue 10): seeds N demo candidates (`seed --candidates N`) on
# each backend, starts a release server, and times, with full explanations:
#   - matchCandidates(first: 20) for the Big Data Technical Lead role: the first request after
#     start (cold: it builds the organization's pool) and R warm requests;
#   - 100 typical roles: random sets of 8-12 requirements (a fixed seed; one alternatives group
#     in a third of them) through matchCandidatesForRequirements, one request each;
#   - matchCandidates(first: 20) for every seeded role (7 templates);
#   - talentPool for the flagship role, R requests;
# printing p50/p99 in milliseconds and the server's peak RSS (VmHWM). One keep-alive client,
# sequential requests.
#
# Usage: bench/match.sh [N=100000] [backends="sqlite postgres"] [R=200]
# MATCH_DATABASE_URL=<url> instead serves a database seeded before (one backend, not seeded,
# not dropped), e.g. to time two builds on the same 1M pool: bench/match.sh 1000000 sqlite.
# PostgreSQL: PG_ADMIN_URL (default the dev server, postgres://talentgraph:talentgraph@127.0.0.1:55432/talentgraph)
# names a database whose user may CREATE DATABASE; the script creates and drops its own.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
BACKENDS="${2:-sqlite postgres}"
R="${3:-200}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://talentgraph:talentgraph@127.0.0.1:55432/talentgraph}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/talentgraph/target}"
# TALENTGRAPH_BIN=<binary> times that build instead of building this checkout.
if [ -z "${TALENTGRAPH_BIN:-}" ]; then
  cargo build --release --locked --bin talentgraph >/dev/null 2>&1
fi
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

PRESEEDED="${MATCH_DATABASE_URL:-}"
for BACKEND in $BACKENDS; do
  if [ -n "$PRESEEDED" ]; then
    DB="$PRESEEDED"
  elif [ "$BACKEND" = sqlite ]; then
    DB="sqlite://$WORK/match.db"
  else
    PGDB="tg_bench_match_$$"
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null
    psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $PGDB" >/dev/null
    DB="${PG_ADMIN_URL%/*}/$PGDB"
  fi
  start=$(date +%s.%N)
  [ -n "$PRESEEDED" ] || RUST_LOG=warn "$BIN" seed --database-url "$DB" --candidates "$N" >/dev/null 2>&1
  seeded=$(python3 -c "print(f'{$(date +%s.%N) - $start:.0f}')")
  # Planner statistics for the freshly seeded tables. Without them SQLite answers the page's
  # `candidates WHERE organization_id = ? AND id IN (…)` through the organization index, a scan
  # of the whole pool (170 ms at 100k), instead of 20 primary-key lookups.
  if [ -n "$PRESEEDED" ]; then
    :
  elif [ "$BACKEND" = sqlite ]; then
    python3 -c "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('ANALYZE')" "$WORK/match.db"
  else
    psql "$DB" -qc "ANALYZE candidates, candidate_skills, skill_requirements, roles, applications" >/dev/null
  fi
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  RUST_LOG=warn TALENTGRAPH_JWT_SECRET="bench-secret-bench-secret-bench-secret" \
    "$BIN" serve --bind "127.0.0.1:$PORT" --database-url "$DB" --workers 2 >"$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  if [ -n "$PRESEEDED" ]; then echo "== $BACKEND, $N candidates (preseeded)"; else echo "== $BACKEND, $N candidates (seeded in ${seeded}s)"; fi
  python3 - "$PORT" "$PID" "$R" <<'PY'
import http.client, json, random, sys, time
port, pid, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
def post(query, variables=None, token=None):
    headers = {"content-type": "application/json"}
    if token: headers["authorization"] = "Bearer " + token
    started = time.perf_counter()
    conn.request("POST", "/graphql", json.dumps({"query": query, "variables": variables or {}}), headers)
    r = conn.getresponse(); data = r.read()
    elapsed = (time.perf_counter() - started) * 1000
    body = json.loads(data)
    assert r.status == 200 and not body.get("errors"), data[:500]
    return body, elapsed
def rss_mib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM"): return int(line.split()[1]) / 1024
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
def show(name, xs):
    print(f"  {name:44} p50 {pct(xs, 50):7.2f} ms  p99 {pct(xs, 99):7.2f} ms  (n={len(xs)})")
login, _ = post('mutation { login(email: "demo@talentgraph.dev", password: "talentgraph-demo") { accessToken } }')
token = login["data"]["login"]["accessToken"]
roles, _ = post("{ roles(first: 100) { nodes { id title } } }", token=token)
roles = roles["data"]["roles"]["nodes"]
flagship = next(r["id"] for r in roles if r["title"] == "Big Data Technical Lead")
explained = """score meetsAllRequired scorerVersion candidate { id fullName }
  requirements { status via points weight requiredLevel candidateLevel candidateYears skills { name } matchedSkill { name } }
  experience { points }"""
match = "query ($role: ID!) { matchCandidates(roleId: $role, first: 20) { totalCount edges { cursor node { %s } } } }" % explained
# Cold: until the first answer. A build longer than the request timeout answers TIMEOUT and
# goes on in the background; the next request finds it done (or waits for it).
started, attempts = time.perf_counter(), 0
while True:
    attempts += 1
    conn.request("POST", "/graphql", json.dumps({"query": match, "variables": {"role": flagship}}),
                 {"content-type": "application/json", "authorization": "Bearer " + token})
    body = json.loads(conn.getresponse().read())
    if not body.get("errors"): break
    assert body["errors"][0]["extensions"]["code"] == "TIMEOUT" and attempts < 30, body
cold = (time.perf_counter() - started) * 1000
total = body["data"]["matchCandidates"]["totalCount"]
print(f"  pool: {total} active candidates; peak RSS after the cold build {rss_mib():.0f} MiB")
print(f"  {'matchCandidates flagship, cold (builds pool)':44} {cold:9.1f} ms ({attempts} request(s))")
warm = [post(match, {"role": flagship}, token)[1] for _ in range(rounds)]
show("matchCandidates(first: 20) flagship, warm", warm)
skills, after = [], None
while True:
    page, _ = post("query ($after: String) { skills(first: 100, after: $after) { nodes { slug } pageInfo { hasNextPage endCursor } } }", {"after": after}, token)
    page = page["data"]["skills"]
    skills += [n["slug"] for n in page["nodes"]]
    if not page["pageInfo"]["hasNextPage"]: break
    after = page["pageInfo"]["endCursor"]
rng = random.Random(10)
draft = "query ($reqs: [SkillRequirementInput!]!, $years: Int!) { matchCandidatesForRequirements(requirements: $reqs, minYearsExperience: $years, first: 20) { totalCount edges { node { %s } } } }" % explained
typical = []
for _ in range(100):
    chosen = rng.sample(skills, rng.randint(8, 12))
    reqs = [{"skill": s, "importance": rng.choice(["REQUIRED"] * 6 + ["PREFERRED"] * 3 + ["NICE_TO_HAVE"]),
             "minLevel": rng.randint(2, 5), "minYears": rng.choice([None, None, 2, 3, 5])} for s in chosen]
    if rng.random() < 0.33:
        for r in reqs[:2]: r["alternativesGroup"] = "either"
    typical.append(post(draft, {"reqs": reqs, "years": rng.choice([0, 3, 5, 8])}, token)[1])
show("100 typical roles (8-12 random requirements)", typical)
seeded = [post(match, {"role": r["id"]}, token)[1] for r in roles for _ in range(max(1, rounds // len(roles)))]
show(f"matchCandidates, the {len(roles)} seeded roles", seeded)
pool = "query ($role: ID!) { talentPool(roleId: $role) { poolSize qualified missingExactlyOne requirements { met partial missing moreIfPreferred moreIfLevelLower moreIfYearsLower skills { name } } } }"
pools = [post(pool, {"role": flagship}, token)[1] for _ in range(rounds)]
show("talentPool flagship", pools)
print(f"  talentPool / ranking (p50): {pct(pools, 50) / pct(warm, 50):.2f}x; server peak RSS {rss_mib():.0f} MiB")
PY
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  if [ -n "$PRESEEDED" ]; then :; elif [ "$BACKEND" = sqlite ]; then rm -f "$WORK"/match.db*; else psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null; PGDB=""; fi
done
