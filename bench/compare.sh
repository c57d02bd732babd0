#!/usr/bin/env bash
# talentgraph beside its benchmark peers, on the same data and the same questions:
#   PostGraphile 4 (2 workers) on PostgreSQL 15   ../shared/peers/postgraphile (its setup.sh, bench.sh)
#   the stack's ceiling (actix-web + async-graphql, answers from memory)   ../shared/peers/ceiling
#   talentgraph on PostgreSQL (its own database on the peer's PostgreSQL) and on SQLite
# Every server gets the peer's data shape (same counts, skills per candidate, requirements per
# role: `seed --shape peer`), the same queries Q1-Q3 (same fields, same sizes), and the peer's
# bench.sh with the same settings: per round each server in turn (a warm-up, then a measured run
# per query), three rounds, medians. talentgraph is asked with a real JWT from `login`, so
# authentication and tenancy checks are on the request path. Prints one table.
#
# Usage: bench/compare.sh
# Env (defaults):
#   PEERS=../shared/peers    where postgraphile/ and ceiling/ live (relative to the project root)
#   PG_PORT                  the peer's PostgreSQL port: the running peer cluster's, else 55432 when
#                            free, else the next free port (a dev PostgreSQL often has 55432)
#   N_CANDIDATES=100000 N_ROLES=2000   data scale (the peer's defaults)
#   ROUNDS=3  CONC=32  DURATION=15  WARMUP=3   passed to bench.sh
#   SERVERS="postgraphile ceiling talentgraph-postgres talentgraph-sqlite"
#   KEEP_PEER=1              leave the peer's PostgreSQL and PostGraphile running at the end
#   TALENTGRAPH_BIN=<path>   benchmark this talentgraph binary instead of building one
# Needs: root (the peer's setup.sh runs PostgreSQL as the postgres user), cargo, wrk or oha.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PEERS=$(cd "${PEERS:-$ROOT/../shared/peers}" && pwd)
PEER="$PEERS/postgraphile"
export N_CANDIDATES="${N_CANDIDATES:-100000}" N_ROLES="${N_ROLES:-2000}"
ROUNDS="${ROUNDS:-3}"
SERVERS="${SERVERS:-postgraphile ceiling talentgraph-postgres talentgraph-sqlite}"
export CONC="${CONC:-32}" DURATION="${DURATION:-15}" WARMUP="${WARMUP:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/talentgraph/target}"
log() { echo "[compare $(date +%H:%M:%S)] $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port_in_use() { python3 -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1',$1))==0 else 1)"; }

# ---------------------------------------------------------------- the peer's PostgreSQL port
PEER_ROOT="${PG_ROOT:-/tmp/recruiter-peer}"
if [ -z "${PG_PORT:-}" ]; then
  if [ -s "$PEER_ROOT/pgdata/postmaster.pid" ] && kill -0 "$(head -1 "$PEER_ROOT/pgdata/postmaster.pid")" 2>/dev/null; then
    PG_PORT=$(sed -n 4p "$PEER_ROOT/pgdata/postmaster.pid")          # the running peer cluster's port
  else
    PG_PORT=55432
    while port_in_use "$PG_PORT"; do PG_PORT=$((PG_PORT + 1)); done
  fi
fi
export PG_PORT
source "$PEER/env.sh"     # DATABASE_URL, PG_SOCK, GQL_URL, GQL_PID, ... for this PG_PORT
log "peer PostgreSQL on 127.0.0.1:$PG_PORT"

# ---------------------------------------------------------------- builds
if [ -n "${TALENTGRAPH_BIN:-}" ]; then
  BIN="$TALENTGRAPH_BIN"                 # a binary built before (e.g. to compare two versions)
else
  log "building talentgraph (release)"
  cargo build --release --locked --bin talentgraph >&2
  BIN="$CARGO_TARGET_DIR/release/talentgraph"
fi
# The ceiling is built from a copy (shared/ may be read-only), asked our queries (its schema is
# ours, its role id ROLE_ID), and patched to the peer's shape: role
# 1234 has 5 + 1234 % 7 = 7 requirements, candidate n has 4 + n % 9 skills (as data.sql).
CEILING_SRC="$CARGO_TARGET_DIR/compare/ceiling-src"
rm -rf "$CEILING_SRC.new"; mkdir -p "$CEILING_SRC.new"; cp -r "$PEERS/ceiling/." "$CEILING_SRC.new/"
sed -i -e 's/(0\.\.15)\.map(|i| SkillRequirement/(0..7).map(|i| SkillRequirement/' \
       -e 's/skills: (0\.\.15)\.map(|s| CandidateSkill/skills: (0..(4 + (c + 1) % 9)).map(|s| CandidateSkill/' \
       "$CEILING_SRC.new/src/main.rs"
grep -q '(0..7).map(|i| SkillRequirement' "$CEILING_SRC.new/src/main.rs" && grep -q '(0..(4 + (c + 1) % 9))' "$CEILING_SRC.new/src/main.rs" \
  || { echo "could not adapt the ceiling to the peer's shape (its source changed?)" >&2; exit 1; }
# Replaced only when it changed, so cargo does not rebuild an unchanged ceiling.
if diff -rq "$CEILING_SRC.new" "$CEILING_SRC" >/dev/null 2>&1; then rm -rf "$CEILING_SRC.new"
else rm -rf "$CEILING_SRC"; mv "$CEILING_SRC.new" "$CEILING_SRC"; fi
log "building the ceiling (release)"
(cd "$CEILING_SRC" && CARGO_TARGET_DIR="$CARGO_TARGET_DIR/compare/ceiling-target" cargo build --release >&2)
CEILING_BIN="$CARGO_TARGET_DIR/compare/ceiling-target/release/ceiling"

# ---------------------------------------------------------------- the peer and the data
log "peer: setup.sh (PostgreSQL + data.sql, loaded once per scale)"
"$PEER/setup.sh" --no-start >&2
# PostGraphile restarted with 2 workers (as measured in issue 9), by the peer's own pid file.
if [ -f "$GQL_PID" ]; then
  old=$(cat "$GQL_PID")
  kill "$old" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
  rm -f "$GQL_PID"
fi
PGL_WORKERS="${PGL_WORKERS:-2}" "$PEER/start.sh" >&2

WORK="$PEER_ROOT/talentgraph"         # beside the peer's data; reused by the next run
mkdir -p "$WORK"
TG_DB=talentgraph_bench
psql_su() { psql -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres "$@"; }
psql_su -tAc "select 1 from pg_database where datname='$TG_DB'" | grep -q 1 || psql_su -c "CREATE DATABASE $TG_DB OWNER $DB_USER"
TG_PG_URL="postgres://$DB_USER:$DB_PASS@$PG_HOST:$PG_PORT/$TG_DB"
TG_SQLITE_URL="sqlite://$WORK/talentgraph-$N_CANDIDATES.db?mode=rwc"
for url in "$TG_PG_URL" "$TG_SQLITE_URL"; do
  log "seed --shape peer --candidates $N_CANDIDATES --roles $N_ROLES into ${url%%\?*}"
  RUST_LOG=warn "$BIN" seed --shape peer --candidates "$N_CANDIDATES" --roles "$N_ROLES" --database-url "$url" >&2
done

# ---------------------------------------------------------------- queries (ours: same fields, same sizes)
QUERIES_DIR="$WORK/queries"; mkdir -p "$QUERIES_DIR"
ROLE_GID=$(python3 -c '
import base64, uuid
ns = uuid.UUID("2b0c5a7e-4d1f-4e6a-8f3b-9c2d1e0f5a6b")          # src/demo NAMESPACE
print(base64.urlsafe_b64encode(("Role:" + uuid.uuid5(ns, "peer-role:1234").hex).encode()).decode().rstrip("="))')
python3 - "$QUERIES_DIR" "$ROLE_GID" <<'PY'
import json, sys
out, role = sys.argv[1], sys.argv[2]
bodies = {
  "q1_role_by_id": ("query RoleById($id: ID!) { role(id: $id) { id title description location minYearsExperience status "
                    "requirements { importance minLevel weight skill { id name } } } }", {"id": role}),
  "q2_candidates_with_skills": ("query CandidatesWithSkills($first: Int!) { candidates(first: $first, orderBy: {field: CREATED_AT, direction: ASC}) "
                    "{ nodes { id fullName email headline location yearsExperience skills { level years skill { id name } } } } }", {"first": 50}),
  "q3_experienced_candidates": ("query ExperiencedCandidates($minYears: Int!, $first: Int!) { candidates(first: $first, "
                    "orderBy: {field: CREATED_AT, direction: ASC}, filter: { minYearsExperience: $minYears }) "
                    "{ nodes { id fullName email headline location yearsExperience } } }", {"minYears": 10, "first": 20}),
}
for name, (query, variables) in bodies.items():
    json.dump({"query": query, "variables": variables}, open(f"{out}/{name}.json", "w"))
PY

# ---------------------------------------------------------------- servers
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -z "${KEEP_PEER:-}" ]; then "$PEER/stop.sh" >&2 || true; fi
}
trap cleanup EXIT
wait_up() { for _ in $(seq 1 150); do curl -fs -o /dev/null -H 'content-type: application/json' -d '{"query":"{__typename}"}' "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

CEILING_PORT=$(free_port)
PORT="$CEILING_PORT" WORKERS=2 ROLE_ID="$ROLE_GID" "$CEILING_BIN" > "$WORK/ceiling.log" 2>&1 &
CEILING_PID=$!; PIDS+=("$CEILING_PID")
JWT_SECRET="compare-$(head -c 24 /dev/urandom | base64 | tr -d '=+/')"
start_talentgraph() {  # url -> "port pid"
  local port; port=$(free_port)
  RUST_LOG=warn TALENTGRAPH_JWT_SECRET="$JWT_SECRET" "$BIN" serve --bind "127.0.0.1:$port" --workers 2 --database-url "$1" \
    > "$WORK/talentgraph-$port.log" 2>&1 &
  echo "$port $!"
}
read -r TG_PG_PORT TG_PG_PID < <(start_talentgraph "$TG_PG_URL"); PIDS+=("$TG_PG_PID")
read -r TG_SQLITE_PORT TG_SQLITE_PID < <(start_talentgraph "$TG_SQLITE_URL"); PIDS+=("$TG_SQLITE_PID")
for url in "http://127.0.0.1:$CEILING_PORT/graphql" "http://127.0.0.1:$TG_PG_PORT/graphql" "http://127.0.0.1:$TG_SQLITE_PORT/graphql"; do wait_up "$url"; done
token() {  # a fresh access token of the demo recruiter (the seed's ADMIN) from talentgraph on port $1
  curl -fsS -H 'content-type: application/json' \
    -d '{"query":"mutation { login(email: \"demo@talentgraph.dev\", password: \"talentgraph-demo\") { accessToken } }"}' \
    "http://127.0.0.1:$1/graphql" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])'
}
PG_POSTMASTER_PID=$(head -1 "$PG_DATA/postmaster.pid")

RESULTS="$WORK/results/$(date -u +%Y%m%dT%H%M%SZ)"; mkdir -p "$RESULTS"
run_one() {  # server round
  local server=$1 round=$2 env=()
  case "$server" in
    postgraphile) env=(URL="$GQL_URL" QUERIES_DIR="$PEER/queries" SERVER_PID="$(cat "$GQL_PID")") ;;
    ceiling) env=(URL="http://127.0.0.1:$CEILING_PORT/graphql" QUERIES_DIR="$QUERIES_DIR" SERVER_PID="$CEILING_PID") ;;
    talentgraph-postgres) env=(URL="http://127.0.0.1:$TG_PG_PORT/graphql" QUERIES_DIR="$QUERIES_DIR" SERVER_PID="$TG_PG_PID"
                                AUTH_HEADER="Bearer $(token "$TG_PG_PORT")") ;;
    talentgraph-sqlite) env=(URL="http://127.0.0.1:$TG_SQLITE_PORT/graphql" QUERIES_DIR="$QUERIES_DIR" SERVER_PID="$TG_SQLITE_PID"
                              AUTH_HEADER="Bearer $(token "$TG_SQLITE_PORT")") ;;
  esac
  log "round $round/$ROUNDS: $server"
  env "${env[@]}" PG_POSTMASTER_PID="$PG_POSTMASTER_PID" RESULTS_DIR="$RESULTS/$server" "$PEER/bench.sh" "$server-r$round" >&2
}
for round in $(seq 1 "$ROUNDS"); do
  for server in $SERVERS; do run_one "$server" "$round"; done
done

# Peak resident memory of each server (its worker processes included) over the whole run.
peak_rss_mib() {
  local total=0 p
  for p in $1 $(pgrep -P "$1" 2>/dev/null); do
    total=$((total + $(awk '/^VmHWM:/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  done
  echo $((total / 1024))
}
{
  echo "postgraphile $(peak_rss_mib "$(cat "$GQL_PID")")"
  echo "ceiling $(peak_rss_mib "$CEILING_PID")"
  echo "talentgraph-postgres $(peak_rss_mib "$TG_PG_PID")"
  echo "talentgraph-sqlite $(peak_rss_mib "$TG_SQLITE_PID")"
} > "$RESULTS/peak_rss.txt"

# Idle memory of `serve --demo` on a fresh SQLite file.
IDLE_PORT=$(free_port); rm -f "$WORK/idle.db"*
RUST_LOG=warn "$BIN" serve --demo --bind "127.0.0.1:$IDLE_PORT" --database-url "sqlite://$WORK/idle.db?mode=rwc" > "$WORK/idle.log" 2>&1 &
IDLE_PID=$!; PIDS+=("$IDLE_PID")
wait_up "http://127.0.0.1:$IDLE_PORT/graphql"; sleep 2
echo "$(( $(awk '/^VmRSS:/{print $2}' "/proc/$IDLE_PID/status") / 1024 ))" > "$RESULTS/idle_rss.txt"

{
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
  echo "data: $N_CANDIDATES candidates, $N_ROLES roles (peer shape); load: $(command -v oha >/dev/null && echo oha || echo wrk), c=$CONC, ${DURATION}s per query after ${WARMUP}s warm-up, $ROUNDS alternating rounds, medians"
  echo
  python3 "$ROOT/bench/compare_table.py" "$RESULTS"
} | tee "$RESULTS/table.md"
log "results in $RESULTS"
