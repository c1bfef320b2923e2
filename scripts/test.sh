#!/usr/bin/env bash
# The whole test suite: typecheck, then side by side the server/SDK/dashboard tests under Bun, the
# system tests (faults, packaging, client matrix) under Bun, and the TypeScript SDK under Node with
# the Python tests and matrix in a local virtualenv.
# Starts its own throwaway PostgreSQL unless KALMIA_TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

if [[ ! -x node_modules/.bin/bun ]]; then npm install --no-audit --no-fund; fi

# Python clients and pytest, in a virtualenv of the project's own.
if [[ ! -x .venv/bin/python ]]; then python3 -m venv .venv; fi
if ! .venv/bin/python -c 'import openai, anthropic, pytest, kalmia_sdk, opentelemetry.sdk, agents, langchain_openai, langchain_anthropic, litellm, build, openinference.instrumentation.openai_agents, openinference.instrumentation.langchain, openinference.instrumentation.litellm, opentelemetry.instrumentation.openai, opentelemetry.instrumentation.anthropic' 2>/dev/null; then
  .venv/bin/pip install --quiet --disable-pip-version-check -r test/requirements.txt -r test/requirements-matrix.txt
  .venv/bin/pip install --quiet --disable-pip-version-check -e ./sdk/python
fi

pg_dir=""
cleanup() { [[ -n "$pg_dir" ]] && scripts/postgres.sh stop "$pg_dir"; }
trap cleanup EXIT
if [[ -z "${KALMIA_TEST_DATABASE_URL:-}" ]]; then
  if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    pg_dir=$(mktemp -d /tmp/kalmia-pg.XXXXXX)
    chmod 755 "$pg_dir"
    KALMIA_TEST_DATABASE_URL=$(scripts/postgres.sh start "$pg_dir")
    export KALMIA_TEST_DATABASE_URL
  elif [[ -n "${CI:-}" ]]; then
    echo "CI needs PostgreSQL for the storage suite; none found" >&2
    exit 1
  else
    echo "note: no PostgreSQL found, the storage suite runs on PGlite only" >&2
  fi
fi

echo "== typecheck"
tsc -p .
echo "== dashboard build"
npm run --silent build

# Three independent suites side by side: they share nothing but the PostgreSQL cluster (each suite
# makes databases of its own on it) and mostly wait on their own servers, so on 2 cores the whole
# run takes about as long as the longest suite. Each one's output is printed whole when it ends.
logs=$(mktemp -d /tmp/kalmia-test-logs.XXXXXX)
# Bun's tests outside test/ (server, db, dashboard, SDK sources) and those in test/ (fault
# injection, packaging, client matrix, scale, deploy) as two processes.
mapfile -t unit_files < <(find . -name '*.test.ts' -not -path '*/node_modules/*' -not -path './test/*' \
  -not -path './.venv/*' -not -path '*/.node-test/*' -not -path '*/dist/*' | sort)
suite_bun_app() { bun test --timeout 60000 "${unit_files[@]}"; }
suite_bun_system() { bun test --timeout 60000 ./test; }
suite_sdks_and_python() {
  echo "== TypeScript SDK under Node"
  KALMIA_SDK_NODE_ONLY=1 bash sdk/typescript/run-tests.sh || return 1
  echo "== pytest"
  local py_tests=()
  for d in sdk/python/tests test/proxy_py test/otel_py; do [[ -d $d ]] && py_tests+=("$d"); done
  .venv/bin/python -m pytest -q "${py_tests[@]}" || return 1
  echo "== client matrix (Python): three families in parallel, each with its own Kalmia and fake provider"
  # OpenInference patches the client classes process-wide, so its cells run apart from the others; the
  # families share nothing else, and mostly wait on their servers, so they overlap well on 2 cores.
  bash scripts/matrix-py.sh
}

suites=(bun_app bun_system sdks_and_python)
declare -A pid
for suite in "${suites[@]}"; do
  (
    start=$(date +%s)
    status=0
    "suite_$suite" >"$logs/$suite.log" 2>&1 || status=$?
    echo "$status $(( $(date +%s) - start ))" >"$logs/$suite.result"
    exit "$status"
  ) &
  pid[$suite]=$!
done
failed=()
for suite in "${suites[@]}"; do
  wait "${pid[$suite]}" || true
  read -r status seconds <"$logs/$suite.result"
  echo "== $suite: exit $status after $seconds s"
  cat "$logs/$suite.log"
  (( status == 0 )) || failed+=("$suite")
done
rm -rf "$logs"
if (( ${#failed[@]} )); then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "all suites passed"
