"""A trace's user, session and tags as span row fields, cut to what the server takes.

The server refuses a row whose tags or ids are past its bounds, which would lose the span: the SDK
cuts them here instead, and drops what is not text, so tracing never fails for its context.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, Optional

_ID_CHARS = 512
_TAG_CHARS = 200
_TAGS = 100


def _id(value: Any) -> Optional[str]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    return value[:_ID_CHARS]


def _tags(value: Any) -> Optional[list]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        return None
    tags: list = []
    for tag in value:
        if isinstance(tag, str) and tag.strip() and tag[:_TAG_CHARS] not in tags:
            tags.append(tag[:_TAG_CHARS])
        if len(tags) == _TAGS:
            break
    return tags


def context_fields(user_id: Any = None, session_id: Any = None, tags: Any = None) -> Dict[str, Any]:
    """The row fields for what was given: `user_id`, `session_id` and `tags`, each only when usable."""
    fields: Dict[str, Any] = {}
    try:
        if _id(user_id) is not None:
            fields["user_id"] = _id(user_id)
        if _id(session_id) is not None:
            fields["session_id"] = _id(session_id)
        if tags is not None and _tags(tags) is not None:
            fields["tags"] = _tags(tags)
    except Exception:
        pass
    return fields
