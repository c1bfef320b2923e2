#!/usr/bin/env bash
# The whole test suite: typecheck, server/SDK/dashboard tests under Bun, the
# TypeScript SDK under Node, and the Python tests in a local virtualenv.
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
echo "== bun test"
bun test --timeout 60000
echo "== TypeScript SDK under Node"
KALMIA_SDK_NODE_ONLY=1 bash sdk/typescript/run-tests.sh
echo "== pytest"
py_tests=()
for d in sdk/python/tests test/proxy_py test/otel_py; do [[ -d $d ]] && py_tests+=("$d"); done
.venv/bin/python -m pytest -q "${py_tests[@]}"
echo "== client matrix (Python): four families in parallel, each with its own Kalmia and fake provider"
# OpenInference patches the client classes process-wide, so its cells run apart from the others; the
# families share nothing else, and mostly wait on their servers, so they overlap well on 2 cores.
bash scripts/matrix-py.sh
