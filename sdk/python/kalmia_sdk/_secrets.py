"""The wrapped clients' API keys, kept out of every row sent to Kalmia.

A provider's error message can carry the key verbatim (`401 Incorrect API key provided: sk-...`),
and an app may put it in a prompt or in metadata. `wrap_openai` / `wrap_anthropic` remember the
client's key here; every row's JSON text is scrubbed of every key remembered, on the sender
thread, whichever span recorded it (an llm span, or a `traced` function that logged the error).
"""
from __future__ import annotations

import json
import re
import threading
from typing import Any, Tuple

REDACTED = "[redacted]"
# Shorter values are too likely to be ordinary words to replace everywhere.
_MIN_LENGTH = 8
# A JSON string literal: a match never crosses from one string into another, nor into a number.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')

_lock = threading.Lock()
# (key, key as it reads inside a JSON string), longest first so a key containing another goes whole.
_known: Tuple[Tuple[str, str], ...] = ()


def remember_client_keys(client: Any) -> None:
    """The client's `api_key` (and Anthropic's `auth_token`), read without ever raising."""
    global _known
    for name in ("api_key", "auth_token"):
        try:
            value = getattr(client, name, None)
        except Exception:
            continue
        if not isinstance(value, str) or len(value) < _MIN_LENGTH:
            continue
        with _lock:
            if any(value == key for key, _ in _known):
                continue
            escaped = json.dumps(value, ensure_ascii=False)[1:-1]
            _known = tuple(sorted(_known + ((value, escaped),), key=lambda pair: -len(pair[0])))


def scrub_json(text: str) -> str:
    """`text` (one row's JSON) with every remembered key replaced by REDACTED, still valid JSON."""
    known = _known
    if not known or not any(escaped in text for _, escaped in known):
        return text
    try:
        return _STRING.sub(lambda match: _scrub_literal(match.group(0), known), text)
    except Exception:
        # The key must not go out; a row this breaks is refused by the server, and only that row.
        for _, escaped in known:
            text = text.replace(escaped, REDACTED)
        return text


def _scrub_literal(literal: str, known: Tuple[Tuple[str, str], ...]) -> str:
    if not any(escaped in literal for _, escaped in known):
        return literal
    # Decoded first: a key's text could otherwise match across an escape (`\n` + `key…`).
    value = json.loads(literal)
    for key, _ in known:
        value = value.replace(key, REDACTED)
    return json.dumps(value, ensure_ascii=False)
