#!/usr/bin/env bash
# Runs the @kalmia/sdk suite twice: under Bun (bun:test, on the TypeScript sources) and under Node
# (node:test, on the same tests compiled to JavaScript by tsc, since Node 18/20 cannot run TypeScript).
# Under Node, the fake upstream and a real Kalmia server are started once here, with Bun, and handed to
# the tests through KALMIA_SDK_TEST_UPSTREAM / KALMIA_SDK_TEST_SERVER.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUN=./node_modules/.bin/bun
SDK=sdk/typescript

# Both runners always run; the script fails if either does.
bun_status=0
# The project's test command has already run these under Bun with everything else.
if [ -z "${KALMIA_SDK_NODE_ONLY:-}" ]; then
  echo "== bun:test =="
  "$BUN" test "$SDK" || bun_status=$?
fi

echo "== node:test ($(node --version)) =="
rm -rf "$SDK/.node-test"
./node_modules/.bin/tsc -p "$SDK/tsconfig.node-test.json"

work=$(mktemp -d)
cleanup() {
  # start() runs in a $(…) subshell, so the server pids are kept in a file rather than a variable.
  if [ -f "$work/pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$work/pids"
    while read -r pid; do
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done <"$work/pids"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a server in the background and prints the URL from its "listening on" line.
start() {
  local log="$work/$1.log"
  shift
  "$@" >"$log" 2>&1 &
  echo $! >>"$work/pids"
  for _ in $(seq 1 1200); do
    if grep -qo 'listening on http://[^ ]*' "$log"; then grep -o 'http://[^ ]*' "$log" | head -1; return; fi
    sleep 0.1
  done
  echo "$log: the server did not start:" >&2
  cat "$log" >&2
  return 1
}

upstream=$(PORT=0 start upstream "$BUN" test/fake-upstream/main.ts)
server=$(PORT=0 KALMIA_DATA_DIR="$work/data" start kalmia "$BUN" server/main.ts)

node_status=0
KALMIA_SDK_TEST_UPSTREAM="$upstream" KALMIA_SDK_TEST_SERVER="$server" NODE_OPTIONS=--expose-gc \
  node --test $(find "$SDK/.node-test/$SDK" -name '*.test.js' | sort) || node_status=$?

echo "bun:test exit $bun_status, node:test exit $node_status"
[ "$bun_status" -eq 0 ] && [ "$node_status" -eq 0 ]
