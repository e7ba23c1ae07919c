"""The one way a test waits on another thread or process: poll against a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")

TIMEOUT = 20.0
"""Seconds a wait lasts by default: generous, for a loaded 2-core machine."""


def wait_until(
    check: Callable[[], T | None],
    *,
    timeout: float = TIMEOUT,
    interval: float = 0.05,
    failure: str | Callable[[], str] = "the condition never held",
) -> T:
    """Call `check` every `interval` seconds until it returns something truthy; return that.

    After `timeout` seconds the test fails with `failure` (a callable is asked only then, so it
    can show the latest state, such as the screen).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            message = failure() if callable(failure) else failure
            pytest.fail(f"waited {timeout:g} s: {message}", pytrace=False)
        time.sleep(interval)
