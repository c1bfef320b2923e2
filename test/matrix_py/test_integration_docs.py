"""Every ```python block of docs/integrations/, run as written in a fresh interpreter against a
real Kalmia and the fake provider. Only the environment and two strings differ from a user's
machine: the provider clients find the fake through OPENAI_BASE_URL / ANTHROPIC_BASE_URL (as they
would find any server), and `http://localhost:3000` and `my-project` become this test's server and
a project of the example's own, so that what it recorded can be read back."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "integrations"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)
EXAMPLES = [(page.stem, i, code) for page in sorted(DOCS.glob("*.md")) for i, code in enumerate(BLOCK.findall(page.read_text()))]


@pytest.mark.parametrize("page,index,code", EXAMPLES, ids=[f"{page}-{index}" for page, index, _ in EXAMPLES])
def test_docs_example_runs_and_records_complete_llm_spans(keyless_stack, page, index, code):
    project = f"docs-{page}-{index}-{uuid.uuid4().hex[:6]}"
    program = code.replace("http://localhost:3000", keyless_stack.kalmia).replace('"my-project"', f'"{project}"')
    env = {key: value for key, value in os.environ.items() if not key.startswith(("KALMIA_", "OTEL_"))}
    env.update({
        "OPENAI_BASE_URL": f"{keyless_stack.upstream}/v1",
        "OPENAI_API_KEY": "sk-dummy",
        "ANTHROPIC_BASE_URL": keyless_stack.upstream,
        "ANTHROPIC_API_KEY": "sk-ant-dummy",
    })
    result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Hello! This is the fake upstream" in result.stdout or "Based on the tool results" in result.stdout, result.stdout
    traces = keyless_stack.finished_traces(project, 1)
    spans = [span for trace in traces for span in trace["spans"] if span["type"] == "llm"]
    assert spans, traces
    for span in spans:
        assert span["status"] == "ok"
        assert span["output"], span
        assert span["metrics"]["prompt_tokens"] > 0 and span["metrics"]["completion_tokens"] > 0, span["metrics"]
