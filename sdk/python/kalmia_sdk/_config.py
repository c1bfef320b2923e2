"""Logger settings: explicit argument, then environment, then default; read once, frozen."""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from typing import Any, Optional

DEFAULT_BASE_URL = "http://localhost:3000"
DEFAULT_PROJECT = "default"


@dataclass(frozen=True)
class Config:
    project: str
    base_url: str
    api_key: Optional[str]
    max_queue: int = 10_000
    batch_rows: int = 200
    batch_bytes: int = 1_000_000
    # Above the server's 10 s wait for its database commit before it answers 202.
    request_timeout: float = 15.0
    exit_timeout: float = 5.0

    @property
    def spans_url(self) -> str:
        return self.base_url.rstrip("/") + "/api/v1/spans"

    @property
    def scores_url(self) -> str:
        return self.base_url.rstrip("/") + "/api/v1/scores"


def _env_number(name: str, default: float, kind: type = float) -> Any:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        # A bad tuning variable must not stop the app: keep the default, say which variable.
        warnings.warn(f"kalmia_sdk: ignoring {name}={raw!r}, expected a number", stacklevel=3)
        return default


def _base_url(argument: Optional[str]) -> str:
    source = "base_url" if argument else "KALMIA_BASE_URL"
    url = (argument or os.environ.get("KALMIA_BASE_URL") or DEFAULT_BASE_URL).strip()
    if not url.startswith(("http://", "https://")):
        warnings.warn(f"kalmia_sdk: {source}={url!r} has no http:// or https://; using http://{url}", stacklevel=4)
        url = "http://" + url
    return url


def resolve_config(
    project_name: Optional[str], base_url: Optional[str], api_key: Optional[str]
) -> Config:
    return Config(
        project=project_name or os.environ.get("KALMIA_PROJECT") or DEFAULT_PROJECT,
        base_url=_base_url(base_url),
        api_key=api_key or os.environ.get("KALMIA_API_KEY") or None,
        max_queue=_env_number("KALMIA_MAX_QUEUE", 10_000, int),
        exit_timeout=_env_number("KALMIA_FLUSH_TIMEOUT", 5.0),
    )
