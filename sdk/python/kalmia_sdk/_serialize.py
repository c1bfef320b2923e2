"""Turning whatever the user logs into JSON, in two steps.

`snapshot` runs on the caller's path and only copies containers, so a list the app appends to
after the call (an agent's `messages`) is recorded as it was. Provider models and other objects
are kept by reference and converted by `dumps_row` on the sender thread, off the caller's path.
"""
from __future__ import annotations

import dataclasses
import datetime
import enum
import json
from typing import Any

from ._secrets import scrub_json

# The server refuses a body nested deeper than 64 levels, and a row sits 3 levels down in it.
_MAX_DEPTH = 48
_PRIMITIVES = (str, int, float, bool, type(None))


def snapshot(value: Any, _depth: int = 0) -> Any:
    if isinstance(value, _PRIMITIVES):
        return value
    if _depth > _MAX_DEPTH:
        return "<nested too deep>"
    if isinstance(value, dict):
        return {k: snapshot(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [snapshot(v, _depth + 1) for v in value]
    return value


def is_not_given(value: Any) -> bool:
    """The provider SDKs' `NOT_GIVEN` / `omit` sentinels, recognised by name (we never import them)."""
    return type(value).__name__ in ("NotGiven", "Omit")


def to_jsonable(obj: Any) -> Any:
    """`json.dumps` default: called only for objects json cannot encode itself."""
    if isinstance(obj, type):
        return obj.__name__  # e.g. a `response_format` model class
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        try:
            return dump(mode="json", exclude_none=True)
        except Exception:
            try:
                return dump()
            except Exception:
                pass
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (datetime.datetime, datetime.date, datetime.time)):
        return obj.isoformat()
    if isinstance(obj, (set, frozenset)):
        return list(obj)
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return f"<{len(obj)} bytes>"
    if is_not_given(obj):
        return None
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        try:
            return to_dict()
        except Exception:
            pass
    return repr(obj)


def dumps_row(row: dict) -> str:
    """One row's JSON, scrubbed of the wrapped clients' keys (_secrets.py)."""
    return scrub_json(_dumps_row(row))


def _dumps_row(row: dict) -> str:
    try:
        return json.dumps(row, default=to_jsonable, ensure_ascii=False, separators=(",", ":"))
    except (ValueError, TypeError, RecursionError):
        # A circular or unencodable value: keep the span, with the offending fields as text.
        safe = {k: (v if isinstance(v, (str, int, float, bool, type(None))) else _safe_repr(v)) for k, v in row.items()}
        for key in ("span_parents", "span_attributes", "metrics"):
            if key in row:
                safe[key] = row[key]
        return json.dumps(safe, default=_safe_repr, ensure_ascii=False, separators=(",", ":"))


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)[:10_000]
    except Exception:
        return f"<unrepresentable {type(value).__name__}>"
