"""Fixtures for the real Waline of `.ci/waline.sh` (helpers: `waline_support`).

`bash .ci/waline.sh install && bash .ci/waline.sh start` runs it on http://127.0.0.1:8360 and
describes it in `${WALINE_STATE:-/tmp/blogtui-waline}/waline.json`. Without it the tests that
need it skip on a dev box (node or the install missing) and FAIL under CI=true.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from feedserver import FeedServer
from waline_support import START_HINT, Blog, problem


@pytest.fixture(scope="session")
def waline() -> str:
    """The real Waline server's URL; skips (fails under CI=true) when it is not running."""
    missing, url = problem()
    if url:
        return url
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"real Waline not available: {missing}; start it with: {START_HINT}")
    pytest.skip(f"real Waline not running: run '{START_HINT}' ({missing})")


@pytest.fixture
def blog(waline: str) -> Iterator[Blog]:
    """Article pages on a loopback server of their own, embedding the real Waline."""
    server = FeedServer()
    try:
        yield Blog(server, waline)
    finally:
        server.close()
