"""Real parts for the SDK tests: the fake LLM upstream and a real Kalmia server, each started as a
subprocess on a free port, and the real `openai` / `anthropic` clients pointed at the fake."""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, List

import pytest

import kalmia_sdk

if TYPE_CHECKING:
    from sdk_py_capture import CaptureServer

REPO = Path(__file__).resolve().parents[3]
BUN = REPO / "node_modules" / ".bin" / "bun"


class Process:
    def __init__(self, args: List[str], env: Dict[str, str], ready: str) -> None:
        # A keyless, PGlite-backed server whatever this shell has set: the tests read traces back
        # without a key, from a data directory of their own.
        inherited = {k: v for k, v in os.environ.items() if k not in ("KALMIA_API_KEYS", "DATABASE_URL")}
        self.proc = subprocess.Popen(
            args, cwd=REPO, env={**inherited, **env}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        self.url = self._wait_for(ready)

    def _wait_for(self, pattern: str) -> str:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            match = re.search(pattern, line)
            if match:
                # Keep reading: a child whose stdout pipe fills up blocks on its next write.
                threading.Thread(target=self._drain, daemon=True).start()
                return match.group(1)
        raise RuntimeError(f"{' '.join(self.proc.args)} exited before printing its address")

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for _ in self.proc.stdout:
            pass

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def fake_upstream() -> Iterator[str]:
    upstream = Process(
        [str(BUN), "test/fake-upstream/main.ts"], {"PORT": "0"}, r"fake upstream listening on (http://\S+)"
    )
    yield upstream.url
    upstream.stop()


@pytest.fixture(scope="session")
def kalmia_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="kalmia-sdk-py-") as data_dir:
        server = Process(
            [str(BUN), "server/main.ts"],
            {"PORT": "0", "HOST": "127.0.0.1", "KALMIA_DATA_DIR": data_dir},
            r"Kalmia listening on (http://[^\s)]+)",
        )
        yield server.url
        server.stop()


@pytest.fixture(scope="session")
def proxying_kalmia_url(fake_upstream: str) -> Iterator[str]:
    """A server of its own whose proxy forwards to the fake upstream, for the docs pages' examples: they
    use fixed projects and ids (`support-bot`, `trace-1`) that the other tests' server must not see."""
    with tempfile.TemporaryDirectory(prefix="kalmia-docs-py-") as data_dir:
        server = Process(
            [str(BUN), "server/main.ts"],
            {"PORT": "0", "HOST": "127.0.0.1", "KALMIA_DATA_DIR": data_dir,
             "OPENAI_BASE_URL": f"{fake_upstream}/v1", "ANTHROPIC_BASE_URL": fake_upstream},
            r"Kalmia listening on (http://[^\s)]+)",
        )
        yield server.url
        server.stop()


@pytest.fixture
def project(kalmia_url: str) -> str:
    """A fresh project per test, so each test sees only its own traces."""
    name = f"sdk-py-{uuid.uuid4().hex[:12]}"
    kalmia_sdk.init_logger(project_name=name, base_url=kalmia_url)
    return name


@pytest.fixture
def openai_client(fake_upstream: str) -> Any:
    import openai

    return kalmia_sdk.wrap_openai(openai.OpenAI(base_url=f"{fake_upstream}/v1", api_key="sk-test", max_retries=0))


@pytest.fixture
def async_openai_client(fake_upstream: str) -> Any:
    import openai

    return kalmia_sdk.wrap_openai(openai.AsyncOpenAI(base_url=f"{fake_upstream}/v1", api_key="sk-test", max_retries=0))


@pytest.fixture
def anthropic_client(fake_upstream: str) -> Any:
    import anthropic

    return kalmia_sdk.wrap_anthropic(anthropic.Anthropic(base_url=fake_upstream, api_key="sk-ant-test", max_retries=0))


@pytest.fixture
def async_anthropic_client(fake_upstream: str) -> Any:
    import anthropic

    return kalmia_sdk.wrap_anthropic(
        anthropic.AsyncAnthropic(base_url=fake_upstream, api_key="sk-ant-test", max_retries=0)
    )


@pytest.fixture
def capture() -> Iterator["CaptureServer"]:
    """A scripted span collector, with the SDK's logger pointed at it."""
    from sdk_py_capture import CaptureServer

    server = CaptureServer()
    kalmia_sdk.init_logger(project_name="capture", base_url=server.url, api_key="key-123")
    yield server
    server.stop()
