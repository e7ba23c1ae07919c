"""A package's public names, imported from their submodules on first use (start-up stays cheap)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module


def lazy_names(package: str, where: Mapping[str, str]) -> Callable[[str], object]:
    """The module `__getattr__` of `package`: a name in `where` is imported, on first use, from
    the submodule `where` gives for it; any other name raises AttributeError."""

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{module}"), name)

    return __getattr__
