"""Starts the fake upstream and a real Kalmia server (bun subprocesses) for the proxy client tests."""

import os
import re
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUN = str(ROOT / "node_modules" / ".bin" / "bun")


def _start(args, env, pattern, timeout=60.0):
    process = subprocess.Popen(
        [BUN, *args], cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    found = {}

    def read():
        for line in process.stdout:
            match = re.search(pattern, line)
            if match and "url" not in found:
                found["url"] = match.group(1)
                ready.set()
        ready.set()

    ready = threading.Event()
    threading.Thread(target=read, daemon=True).start()
    ready.wait(timeout)
    if "url" not in found:
        process.kill()
        raise RuntimeError(f"{args[0]} did not start")
    return process, found["url"]


@pytest.fixture(scope="session")
def fake_upstream():
    process, url = _start(["test/fake-upstream/main.ts"], {"PORT": "0"}, r"fake upstream listening on (http://\S+)")
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="session")
def kalmia(fake_upstream):
    with tempfile.TemporaryDirectory(prefix="kalmia-py-proxy-") as data_dir:
        env = {
            "PORT": "0",
            "KALMIA_DATA_DIR": data_dir,
            "OPENAI_BASE_URL": f"{fake_upstream}/v1",
            "ANTHROPIC_BASE_URL": fake_upstream,
        }
        process, url = _start(["server/main.ts"], env, r"Kalmia listening on (http://\S+)")
        yield url
        process.terminate()
        process.wait(15)
