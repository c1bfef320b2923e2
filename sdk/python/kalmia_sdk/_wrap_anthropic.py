"""`wrap_anthropic`: trace an `anthropic.Anthropic` or `anthropic.AsyncAnthropic` client."""
from __future__ import annotations

from typing import TypeVar

from ._anthropic_messages import AnthropicMessages
from ._anthropic_stream_manager import patch_stream_method
from ._patch import patch_copies, patch_method, warn_unwrapped
from ._secrets import remember_client_keys

C = TypeVar("C")


def wrap_anthropic(client: C) -> C:
    """Trace every `messages.create` call (plain and `stream=True`) and every
    `messages.stream(...)` context manager of an Anthropic client, sync or async, including
    through `with_raw_response`. Returns the same client object.

    >>> client = wrap_anthropic(anthropic.Anthropic())  # doctest: +SKIP
    """
    try:
        messages = getattr(client, "messages", None)
        if messages is None or not callable(getattr(messages, "create", None)):
            return warn_unwrapped("wrap_anthropic", client)
        remember_client_keys(client)
        patch_method(messages, "create", AnthropicMessages("anthropic.messages.create"))
        patch_stream_method(messages, AnthropicMessages("anthropic.messages.stream"))
        patch_copies(client, wrap_anthropic)
    except Exception:
        return warn_unwrapped("wrap_anthropic", client)
    return client
