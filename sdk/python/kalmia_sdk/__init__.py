"""Kalmia SDK: trace OpenAI and Anthropic calls and whole agent runs to a Kalmia server.

    from kalmia_sdk import init_logger, wrap_anthropic, traced
    init_logger(project_name="my-agent", base_url="http://localhost:3000")
    client = wrap_anthropic(anthropic.Anthropic())

Standard library only; tracing never raises into, or blocks, the traced application.
"""
from ._context import ContextThread, bind_context, current_span
from ._logger import Logger, flush, init_logger
from ._span import NoopSpan, Span
from ._traced import traced
from ._version import __version__
from ._wrap_anthropic import wrap_anthropic
from ._wrap_openai import wrap_openai

__all__ = [
    "ContextThread",
    "Logger",
    "NoopSpan",
    "Span",
    "__version__",
    "bind_context",
    "current_span",
    "flush",
    "init_logger",
    "traced",
    "wrap_anthropic",
    "wrap_openai",
]
