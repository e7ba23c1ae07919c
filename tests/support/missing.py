"""What a test does when a tool or service it needs is missing: on a developer's box it skips,
naming what is missing; under CI=true nothing may skip, so it fails with the same words."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def missing(message: str) -> NoReturn:
    """Skip the test saying `message`; fail it instead under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
