"""`wrap_openai`: trace an `openai.OpenAI` or `openai.AsyncOpenAI` client (never imported)."""
from __future__ import annotations

from typing import Any, TypeVar

from ._openai_chat import OpenAIChat
from ._openai_embeddings import OpenAIEmbeddings
from ._openai_responses import OpenAIResponses
from ._patch import patch_copies, patch_method, warn_unwrapped
from ._secrets import remember_client_keys

C = TypeVar("C")


def wrap_openai(client: C) -> C:
    """Trace every `chat.completions.create` / `parse`, `responses.create` / `parse` and
    `embeddings.create` call of an OpenAI client (sync or async), streamed or not, including
    through `with_raw_response`. Returns the same client object.

    >>> client = wrap_openai(openai.OpenAI())  # doctest: +SKIP
    """
    try:
        completions = getattr(getattr(client, "chat", None), "completions", None)
        if completions is None or not callable(getattr(completions, "create", None)):
            return warn_unwrapped("wrap_openai", client)
        remember_client_keys(client)
        patch_method(completions, "create", OpenAIChat("openai.chat.completions.create"))
        patch_method(completions, "parse", OpenAIChat("openai.chat.completions.parse"))
        _patch_optional(client, "responses", "create", OpenAIResponses("openai.responses.create"))
        _patch_optional(client, "responses", "parse", OpenAIResponses("openai.responses.parse"))
        _patch_optional(client, "embeddings", "create", OpenAIEmbeddings())
        patch_copies(client, wrap_openai)
    except Exception:
        return warn_unwrapped("wrap_openai", client)
    return client


def _patch_optional(client: Any, resource_name: str, method: str, adapter: Any) -> None:
    try:
        resource = getattr(client, resource_name, None)
    except Exception:
        return
    if resource is not None:
        patch_method(resource, method, adapter)
