"""Patching a client instance in place: the user keeps the provider's own client object (so
`isinstance` checks and return types are unchanged); only methods on its resource instances are
shadowed. The classes themselves, and other clients, are never touched."""
from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any, Callable, Set

from ._wrap_call import wrap_async_call, wrap_sync_call

_warned: Set[str] = set()


def patch_method(resource: Any, name: str, adapter: Any) -> bool:
    original = getattr(resource, name, None)
    if not callable(original) or getattr(original, "__kalmia_wrapped__", False):
        return False
    wrap = wrap_async_call if is_async_method(original) else wrap_sync_call
    setattr(resource, name, wrap(original, adapter))
    forget_cached_views(resource)
    return True


def is_async_method(method: Any) -> bool:
    # The provider methods are wrapped by sync decorators (`required_args`); look underneath.
    return inspect.iscoroutinefunction(method) or inspect.iscoroutinefunction(inspect.unwrap(method))


def forget_cached_views(resource: Any) -> None:
    # `with_raw_response` / `with_streaming_response` are cached properties that capture the
    # methods when first read; drop them so they are rebuilt from the wrapped ones.
    state = getattr(resource, "__dict__", {})
    state.pop("with_raw_response", None)
    state.pop("with_streaming_response", None)


def patch_copies(client: Any, wrap: Callable[[Any], Any]) -> None:
    """`client.with_options(...)` / `client.copy(...)` build a fresh client: wrap it too."""
    for name in ("copy", "with_options"):
        original = getattr(client, name, None)
        if not callable(original) or getattr(original, "__kalmia_wrapped__", False):
            continue
        setattr(client, name, _wrapping(original, wrap))


def _wrapping(original: Callable[..., Any], wrap: Callable[[Any], Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def copy(*args: Any, **kwargs: Any) -> Any:
        return wrap(original(*args, **kwargs))

    copy.__kalmia_wrapped__ = True  # type: ignore[attr-defined]
    return copy


def warn_unwrapped(wrapper: str, client: Any) -> Any:
    if wrapper not in _warned:
        _warned.add(wrapper)
        warnings.warn(
            f"kalmia_sdk.{wrapper}: {type(client).__name__} is not a client it knows; returning it unwrapped",
            stacklevel=3,
        )
    return client
