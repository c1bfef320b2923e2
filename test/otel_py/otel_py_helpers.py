"""Helpers for the OTel tests (a module name of its own: several test folders share one pytest run)."""
from __future__ import annotations

import json
import urllib.request
from typing import Any


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())
