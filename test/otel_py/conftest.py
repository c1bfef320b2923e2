"""A real Kalmia server (bun server/main.ts on a free port, PGlite in a temp dir) for the OTel tests."""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[2]
BUN = REPO / "node_modules" / ".bin" / "bun"


@pytest.fixture(scope="session")
def kalmia_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="kalmia-otel-py-") as data_dir:
        proc = subprocess.Popen(
            [str(BUN), "server/main.ts"],
            cwd=REPO,
            env={**os.environ, "PORT": "0", "KALMIA_DATA_DIR": data_dir},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        url = None
        for line in proc.stdout:
            match = re.search(r"Kalmia listening on (http://\S+)", line)
            if match:
                url = match.group(1)
                break
        if url is None:
            raise RuntimeError("kalmia exited before listening")
        try:
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
