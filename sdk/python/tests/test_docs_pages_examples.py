"""The examples of docs/USERS-AND-SESSIONS.md, docs/SCORES.md and the README's users, sessions and
scores snippets, each taken from its page's fenced block and run as written: `sh` with bash, `python`
in a fresh interpreter, `ts` with Bun on the TypeScript SDK's source. Only the environment differs
from a user's machine (sdk_py_helpers.docs_example_env), and in a TypeScript example the package name
`@kalmia/sdk` becomes the path of the SDK's source, as the SDK's own README test does. After each
example, what a user would check is read back through the API.

The examples use fixed projects and ids (`support-bot`, `ticket-1042`, `trace-1`), so they run on a
server of their own, and each test asks for the examples it builds on (`ran`), which run once."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
from sdk_py_helpers import docs_example_env, get_json

REPO = Path(__file__).resolve().parents[3]
BUN = str(REPO / "node_modules" / ".bin" / "bun")
TS_SDK = REPO / "sdk" / "typescript" / "src" / "index.ts"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)


def block(page: str, lang: str, marker: str) -> str:
    """The one `lang` block of `page` that contains `marker`."""
    found = [code for kind, code in FENCE.findall((REPO / page).read_text()) if kind == lang and marker in code]
    assert len(found) == 1, f"{page} has {len(found)} {lang} blocks with {marker!r}"
    return found[0]


def run(lang: str, code: str, env: Dict[str, str]) -> str:
    """Runs one example as written; returns what it printed."""
    if lang == "ts":
        # Beside the repository's node_modules, so `openai` resolves as in a user's project.
        with tempfile.NamedTemporaryFile("w", suffix=".ts", dir=REPO / "sdk" / "typescript", prefix=".docs-example-", delete=False) as file:
            file.write(code.replace('from "@kalmia/sdk"', f"from {json.dumps(str(TS_SDK))}"))
        try:
            args = [BUN, file.name]
            result = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
        finally:
            Path(file.name).unlink()
    else:
        args = {"sh": ["bash", "-e", "-c", code], "python": [sys.executable, "-c", code]}[lang]
        result = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def answers(printed: str) -> List[Any]:
    """The JSON answers curl printed one after another (curl adds no newline between them)."""
    decoder, values, at = json.JSONDecoder(), [], 0
    while at < len(printed.rstrip()):
        value, at = decoder.raw_decode(printed, at)
        values.append(value)
        while at < len(printed) and printed[at].isspace():
            at += 1
    return values


class Docs:
    """The server the examples talk to, and reads of what they left there."""

    def __init__(self, kalmia_url: str, fake_upstream: str) -> None:
        self.url = kalmia_url
        self.env = docs_example_env(kalmia_url, fake_upstream)
        self.made: Dict[str, Any] = {}

    def get(self, path: str) -> Any:
        return get_json(f"{self.url}{path}")

    def trace_ids(self, project: str) -> List[str]:
        return [t["id"] for t in self.get(f"/api/v1/traces?project={project}&limit=500")["traces"]]

    def new_traces(self, project: str, before: List[str], count: int, wait: float = 30.0) -> List[Dict[str, Any]]:
        """The project's traces not in `before`, full, once `count` of them are there with every span ended."""
        deadline = time.monotonic() + wait
        while True:
            listed = self.get(f"/api/v1/traces?project={project}&limit=500")["traces"]
            fresh = [t for t in listed if t["id"] not in before]
            if (len(fresh) >= count and all(t["status"] != "running" for t in fresh)) or time.monotonic() > deadline:
                return [self.get(f"/api/v1/traces/{urllib.parse.quote(t['id'])}") for t in fresh]
            time.sleep(0.05)

    def run_once(self, name: str, project: str, count: int, example: Callable[[], Any]) -> List[Dict[str, Any]]:
        """Runs an example the first time a test asks for it; returns the traces it made."""
        if name not in self.made:
            before = self.trace_ids(project)
            example()
            self.made[name] = self.new_traces(project, before, count)
            assert len(self.made[name]) == count, [t["id"] for t in self.made[name]]
        return self.made[name]


@pytest.fixture(scope="module")
def docs(proxying_kalmia_url: str, fake_upstream: str) -> Iterator[Docs]:
    yield Docs(proxying_kalmia_url, fake_upstream)


USERS = "docs/USERS-AND-SESSIONS.md"
SCORES = "docs/SCORES.md"
USERS_READING = ("sh", "/api/v1/users?")
SCORES_EXAMPLES = [("sh", "/api/v1/scores"), ("json", '"scores"'), ("python", "user_feedback"), ("ts", "user_feedback")]
# A block of the two pages that no test here runs, and why.
NOT_RUN = {
    (USERS, "js", "experimental_telemetry"): "ai 6, which cannot be installed beside the repository's ai 7; "
    "test/matrix_ts/vercel-ai-6-matrix.test.ts runs its recipe, server/otel/context-attributes.test.ts the attributes",
}

# Each sending example of USERS-AND-SESSIONS.md: its block, and how many traces it makes in support-bot.
USERS_EXAMPLES = {
    "proxy curl": ("sh", "x-kalmia-user-id: customer-7", 1),
    "proxy OpenAI client": ("python", "extra_headers=", 1),
    "proxy request body": ("python", 'user="customer-7"', 1),
    "Python SDK": ("python", "from kalmia_sdk import", 1),
    "TypeScript SDK": ("ts", "wrapOpenAI", 1),
    "ingest and span rows": ("sh", "traces/ingest", 2),
    "OpenTelemetry (OpenInference)": ("python", "from opentelemetry import trace", 1),
    "Vercel AI SDK 7": ("ts", "kalmiaTelemetry()", 1),
}


def test_every_example_of_the_two_pages_is_run_here_or_says_why_not():
    run_here = [(USERS, lang, marker) for lang, marker, _ in USERS_EXAMPLES.values()] + [(USERS, *USERS_READING)]
    run_here += [(SCORES, lang, marker) for lang, marker in SCORES_EXAMPLES]
    for page in (USERS, SCORES):
        for lang, code in FENCE.findall((REPO / page).read_text()):
            named = [(p, l, m) for p, l, m in [*run_here, *NOT_RUN] if (p, l) == (page, lang) and m in code]
            assert len(named) == 1, f"{page}: a {lang} block is run by {len(named)} tests here:\n{code}"


def ran(docs: Docs, name: str) -> List[Dict[str, Any]]:
    lang, marker, count = USERS_EXAMPLES[name]
    return docs.run_once(name, "support-bot", count, lambda: run(lang, block(USERS, lang, marker), docs.env))


def assert_fields(trace: Dict[str, Any], tags: List[str], **metadata: Any) -> None:
    assert (trace["user_id"], trace["session_id"], trace["tags"]) == ("customer-7", "ticket-1042", tags), trace
    assert {key: trace["metadata"].get(key) for key in metadata} == metadata, trace["metadata"]


def test_the_proxy_curl_example_records_the_headers_user_session_tags_and_metadata(docs):
    (trace,) = ran(docs, "proxy curl")
    assert trace["source"] == "proxy" and trace["status"] == "ok"
    assert_fields(trace, ["prod", "v2"], tenant="acme")


def test_the_openai_client_example_records_its_default_and_per_call_headers(docs):
    (trace,) = ran(docs, "proxy OpenAI client")
    assert trace["source"] == "proxy" and trace["model"].startswith("gpt-4o")
    assert_fields(trace, ["prod", "v2"], tenant="acme")


def test_the_request_body_example_records_openai_user_and_metadata_without_headers(docs):
    (trace,) = ran(docs, "proxy request body")
    assert trace["source"] == "proxy"
    assert_fields(trace, [], tenant="acme", session_id="ticket-1042")


def test_the_python_sdk_example_records_the_run_and_its_llm_call_with_the_logger_default_keys(docs):
    (trace,) = ran(docs, "Python SDK")
    assert trace["name"] == "answer" and trace["source"] == "sdk"
    assert_fields(trace, ["prod", "vip"], tenant="acme", plan={"tier": "gold"}, region="eu-west-1", release="2026.12")
    assert sorted(s["type"] for s in trace["spans"]) == ["function", "llm"]


def test_the_typescript_sdk_example_records_the_run_and_its_llm_call_with_the_logger_default_keys(docs):
    (trace,) = ran(docs, "TypeScript SDK")
    assert trace["name"] == "answer" and trace["source"] == "sdk"
    assert_fields(trace, ["prod", "vip"], tenant="acme", plan={"tier": "gold"}, region="eu-west-1")
    assert sorted(s["type"] for s in trace["spans"]) == ["function", "llm"]


def test_the_ingest_and_span_rows_examples_record_top_level_fields_and_metadata_aliases(docs):
    by_id = {t["id"]: t for t in ran(docs, "ingest and span rows")}
    assert sorted(by_id) == ["run-8", "trace-7"]
    assert_fields(by_id["trace-7"], ["prod"], tenant="acme")
    assert_fields(by_id["run-8"], [], tenant="acme")


def test_the_opentelemetry_example_records_the_openinference_attributes(docs):
    (trace,) = ran(docs, "OpenTelemetry (OpenInference)")
    assert trace["name"] == "answer"
    assert_fields(trace, ["prod"], tenant="acme")


def test_the_vercel_ai_sdk_7_example_records_the_call_under_the_traced_run(docs):
    (trace,) = ran(docs, "Vercel AI SDK 7")
    assert trace["name"] == "answer" and trace["source"] == "sdk"
    assert_fields(trace, ["prod"], tenant="acme")
    assert "llm" in [s["type"] for s in trace["spans"]]


def test_the_reading_examples_find_what_the_sending_examples_recorded(docs):
    made = {name: ran(docs, name) for name in USERS_EXAMPLES}
    every = [t["id"] for traces in made.values() for t in traces]
    lines = [line for line in block(USERS, *USERS_READING).splitlines() if line.startswith("curl")]
    by_user, by_tags, by_metadata, by_retries, facets, sessions, session, users = (
        answers(run("sh", line, docs.env))[0] for line in lines
    )
    assert sorted(t["id"] for t in by_user["traces"]) == sorted(every)
    assert sorted(t["id"] for t in by_tags["traces"]) == sorted(
        t["id"] for name in ("proxy curl", "proxy OpenAI client") for t in made[name]
    )
    assert sorted(t["id"] for t in by_metadata["traces"]) == sorted(
        t["id"] for name in ("Python SDK", "TypeScript SDK") for t in made[name]
    )
    assert by_retries["traces"] == []
    assert {"value": "customer-7", "count": len(every)} in facets["users"]
    assert "prod" in [f["value"] for f in facets["tags"]] and "tenant" in [f["value"] for f in facets["metadata_keys"]]
    (listed,) = [s for s in sessions["sessions"] if s["id"] == "ticket-1042"]
    assert (listed["user_id"], listed["trace_count"], listed["project"]) == ("customer-7", len(every), "support-bot")
    assert session["trace_count"] == len(every)
    starts = [t["start_time"] for t in session["traces"]]
    assert sorted(t["id"] for t in session["traces"]) == sorted(every) and starts == sorted(starts)
    assert [(u["id"], u["trace_count"]) for u in users["users"]] == [("customer-7", len(every))]


def test_the_readme_users_and_sessions_examples_answer_from_the_same_data(docs):
    made = {name: ran(docs, name) for name in USERS_EXAMPLES}
    tagged_prod = [t["id"] for traces in made.values() for t in traces if "prod" in t["tags"] and t["metadata"].get("tenant") == "acme"]
    lines = [line for line in block("README.md", "sh", "/api/v1/sessions?").splitlines() if line.startswith("curl")]
    listed, sessions, session, users = (answers(run("sh", line, docs.env))[0] for line in lines)
    assert sorted(t["id"] for t in listed["traces"]) == sorted(tagged_prod)
    assert "ticket-1042" in [s["id"] for s in sessions["sessions"]]
    assert session["id"] == "ticket-1042" and session["user_id"] == "customer-7"
    assert [u["id"] for u in users["users"]] == ["customer-7"]


# SCORES.md, in the page's order: the API's scores come before their trace, which the ingest example sends.


def scores_of(docs: Docs, trace_id: str) -> List[Dict[str, Any]]:
    return docs.get(f"/api/v1/traces/{trace_id}")["scores"]


def sent_scores(docs: Docs) -> List[Any]:
    """The API examples' answers, then the ingest example's trace sent (once)."""
    if "scores api" not in docs.made:
        docs.made["scores api"] = answers(run("sh", block(SCORES, *SCORES_EXAMPLES[0]), docs.env))
        ingested = json.loads(block(SCORES, *SCORES_EXAMPLES[1]))
        request = urllib.request.Request(f"{docs.url}/api/v1/traces/ingest", data=json.dumps(ingested).encode(),
                                         headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response)["accepted"] == 1
    return docs.made["scores api"]


def test_the_scores_api_examples_store_update_and_delete_and_wait_for_their_trace(docs):
    posted_one, posted_two, deleted = sent_scores(docs)
    assert posted_one["accepted"] == 1 and posted_one["id"]
    assert posted_two["accepted"] == 2 and posted_two["ids"][0] == "verdict-1" and posted_two["ids"][1]
    assert deleted == {"deleted": "verdict-1"}
    # trace-1 came after its API score (as on the page): the score shows on it, beside the ingested ones.
    by_name = {s["name"]: s for s in scores_of(docs, "trace-1")}
    assert sorted(by_name) == ["accuracy", "factuality", "toxicity"]
    assert (by_name["accuracy"]["value"], by_name["accuracy"]["comment"], by_name["accuracy"]["source"]) == (0.9, "one date off", "api")
    assert (by_name["factuality"]["value"], by_name["factuality"]["span_id"], by_name["factuality"]["source"]) == (0.75, None, "ingest")
    assert (by_name["toxicity"]["value"], by_name["toxicity"]["span_id"]) == (0, "span-1")
    (listed,) = [t for t in docs.get("/api/v1/traces?project=my-project")["traces"] if t["id"] == "trace-1"]
    assert listed["scores"] == {"accuracy": 0.9, "factuality": 0.75, "toxicity": 0}


@pytest.mark.parametrize("lang", ["python", "ts"])
def test_the_sdk_scores_example_sends_the_span_score_and_the_later_feedback(docs, lang):
    code = block(SCORES, *[example for example in SCORES_EXAMPLES if example[0] == lang][0])
    (trace,) = docs.run_once(f"scores {lang}", "my-agent", 1, lambda: run(lang, code, docs.env))
    assert trace["name"] == "answer"
    deadline = time.monotonic() + 10
    while len(scores_of(docs, trace["id"])) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    by_name = {s["name"]: s for s in scores_of(docs, trace["id"])}
    assert sorted(by_name) == ["relevance", "user_feedback"]
    assert (by_name["relevance"]["value"], by_name["relevance"]["source"]) == (0.8, "ingest")
    feedback = by_name["user_feedback"]
    assert (feedback["value"], feedback["comment"], feedback["source"]) == (0, "wrong city", "sdk")
    # The span is the trace's root: its score is the span's, feedback on its id scores the trace.
    assert by_name["relevance"]["span_id"] == trace["spans"][0]["span_id"] and feedback["span_id"] is None


def test_the_readme_scores_example_posts_feedback_and_filters_by_score(docs):
    sent_scores(docs)
    posted, listed = answers(run("sh", block("README.md", "sh", "/api/v1/scores"), docs.env))
    assert posted["accepted"] == 1
    assert "user_feedback" in {s["name"] for s in scores_of(docs, "trace-1")}
    assert [t["id"] for t in listed["traces"]] == ["trace-1"]
