"""The fake provider and a real Kalmia (with API keys on) for the client matrix, started once per run."""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Iterator

import pytest

from matrix_py_support import KEY, Stack

REPO = Path(__file__).resolve().parents[2]
BUN = str(REPO / "node_modules" / ".bin" / "bun")


def _start(args, env, pattern):
    process = subprocess.Popen([BUN, *args], cwd=REPO, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        match = re.search(pattern, line)
        if match:
            # Keep reading: a child whose stdout pipe fills up blocks on its next write.
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, match.group(1)
    raise RuntimeError(f"{args[0]} exited before listening")


def _stop(process) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def upstream_url() -> Iterator[str]:
    upstream, url = _start(["test/fake-upstream/main.ts"], {"PORT": "0"}, r"fake upstream listening on (http://\S+)")
    yield url
    _stop(upstream)


def _kalmia(upstream_url: str, keys: str) -> Iterator[Stack]:
    with tempfile.TemporaryDirectory(prefix="kalmia-matrix-py-") as data_dir:
        env = {"PORT": "0", "HOST": "127.0.0.1", "KALMIA_DATA_DIR": data_dir, "KALMIA_API_KEYS": keys,
               "OPENAI_BASE_URL": f"{upstream_url}/v1", "ANTHROPIC_BASE_URL": upstream_url}
        kalmia, kalmia_url = _start(["server/main.ts"], env, r"Kalmia listening on (http://[^\s)]+)")
        yield Stack(upstream_url, kalmia_url)
        _stop(kalmia)


@pytest.fixture(scope="session")
def stack(upstream_url: str) -> Iterator[Stack]:
    """A Kalmia with API keys on: every cell also proves the key is carried on its path."""
    yield from _kalmia(upstream_url, KEY)


@pytest.fixture(scope="session")
def keyless_stack(upstream_url: str) -> Iterator[Stack]:
    """A Kalmia as the docs' examples assume it (localhost, no keys)."""
    yield from _kalmia(upstream_url, "")
