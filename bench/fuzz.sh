#!/usr/bin/env bash
# Fuzzes the GraphQL API with schemathesis (GraphQL mode) as a signed-in ADMIN of the demo
# organization, and fails on any finding: an HTTP 5xx, a response that breaks the schema, or an
# error that is not a refusal of the input (schemathesis' `not_a_server_error` counts every
# top-level error with a `path` whose code is not BAD_USER_INPUT). `positive_data_acceptance` is
# excluded: schema-valid input may still be refused by our rules (a malformed id, a bad email).
#
#   bench/fuzz.sh                      # SQLite in a temporary directory, 60 cases per operation
#   DATABASE_URL=postgres://… bench/fuzz.sh   # an empty PostgreSQL database instead
#   EXAMPLES=100 SEED=7 bench/fuzz.sh
#
# Prints the failures, the number of generated cases, and the server's ERROR log lines (an
# INTERNAL error logs one); any of them fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES="${EXAMPLES:-60}"
SEED="${SEED:-20261201}"
SCHEMATHESIS_VERSION="4.32.5"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/talentgraph/target}"
BIN="${BIN:-$CARGO_TARGET_DIR/debug/talentgraph}"
[ -x "$BIN" ] || cargo build --quiet --bin talentgraph

VENV="${XDG_CACHE_HOME:-$HOME/.cache}/talentgraph/schemathesis-$SCHEMATHESIS_VERSION"
if [ ! -x "$VENV/bin/st" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DB="${DATABASE_URL:-sqlite://$WORK/fuzz.db?mode=rwc}"
# --demo seeds the demo organization and turns introspection on (schemathesis reads the schema).
"$BIN" serve --demo --database-url "$DB" --bind "127.0.0.1:$PORT" --log-format json >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

TOKEN=$(curl -fs "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(email: \"demo@talentgraph.dev\", password: \"talentgraph-demo\") { accessToken } }"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["accessToken"])')

set +e
# Strategies for our custom scalars (JSON).
SCHEMATHESIS_HOOKS="$PWD/bench/fuzz_hooks.py" "$VENV/bin/st" run "http://127.0.0.1:$PORT/graphql" \
  -H "Authorization: Bearer $TOKEN" \
  --exclude-checks positive_data_acceptance \
  --max-examples "$EXAMPLES" --seed "$SEED" --no-shrink \
  --report junit --report-junit-path "$WORK/junit.xml" >"$WORK/st.log" 2>&1
STATUS=$?
set -e
grep -B2 -A12 "^_\{5,\} .* _\{5,\}$" "$WORK/st.log" | head -200 || true
tail -n 30 "$WORK/st.log"

python3 - "$WORK/st.log" "$WORK/server.log" "$STATUS" <<'PY'
import json, re, sys
log = open(sys.argv[1]).read()
cases = re.search(r"(\d+) generated", log)
errors = 0
for line in open(sys.argv[2]):
    try:
        event = json.loads(line)
        # Ours only: actix logs a client's malformed request line at ERROR (answered 400).
        if event.get("level") == "ERROR" and event.get("target", "").startswith("talentgraph"):
            errors += 1
            print("server ERROR:", line.strip()[:400])
    except ValueError:
        pass
print(f"fuzz: {cases.group(1) if cases else '?'} generated cases, schemathesis exit {sys.argv[3]} "
      f"(0 = no failure: no 5xx, no error outside the input's refusals); server ERROR log lines (ours): {errors}")
sys.exit(1 if errors else 0)
PY
exit "$STATUS"
