#!/usr/bin/env bash
# The Python client matrix (test/matrix_py) as four families run side by side: the OpenTelemetry
# cells (OpenInference instruments the clients process-wide), the provider clients on the proxy and
# SDK paths, the frameworks with the integration docs' examples, and the other instrumentations
# (OpenLLMetry, OpenInference's LangChain and LiteLLM: they patch the same classes, so apart from the
# first family). Fails if any family fails.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
pids=()
$PY -m pytest -q -p no:cacheprovider test/matrix_py --ignore=test/matrix_py/test_matrix_instrumentations.py -k otel & pids+=($!)
$PY -m pytest -q -p no:cacheprovider test/matrix_py/test_matrix_openai.py test/matrix_py/test_matrix_anthropic.py -k "not otel" & pids+=($!)
$PY -m pytest -q -p no:cacheprovider test/matrix_py/test_matrix_frameworks.py test/matrix_py/test_integration_docs.py -k "not otel" & pids+=($!)
$PY -m pytest -q -p no:cacheprovider test/matrix_py/test_matrix_instrumentations.py & pids+=($!)
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
