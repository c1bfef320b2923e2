"""A traced function's input: its arguments by parameter name, found without `Signature.bind`
(too slow for the caller's path) from names read once at decoration time."""
from __future__ import annotations

import inspect
from typing import Any, Callable, Dict, List, Optional, Tuple

Namer = Callable[[Tuple[Any, ...], Dict[str, Any]], Dict[str, Any]]


def argument_namer(fn: Callable[..., Any]) -> Namer:
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    positional: List[str] = []
    var_positional: Optional[str] = None
    for p in params:
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            positional.append(p.name)
        elif p.kind == p.VAR_POSITIONAL:
            var_positional = p.name
    skip_first = bool(positional) and positional[0] in ("self", "cls")

    def name_arguments(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Dict[str, Any]:
        named = dict(zip(positional, args))
        if len(args) > len(positional):
            named[var_positional or "args"] = list(args[len(positional):])
        if skip_first:
            named.pop(positional[0], None)
        if kwargs:
            named.update(kwargs)
        return named

    return name_arguments
