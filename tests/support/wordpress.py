"""Access to the real WordPress test site started by ``.ci/wordpress.sh``.

``bash .ci/wordpress.sh install && bash .ci/wordpress.sh start`` runs Debian's
WordPress on http://127.0.0.1:${WP_PORT:-8089} and describes the seeded site in
``${WP_STATE:-/tmp/blogtui-wp}/wordpress.json``.  :func:`wordpress_site` returns that
description when the site answers; otherwise it skips the calling test (or, in CI,
raises, so a missing site cannot pass silently).

tests/e2e_wordpress/conftest.py imports the session fixture ``wordpress`` from here.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
WORDPRESS_SH = REPO_ROOT / ".ci" / "wordpress.sh"
START_HINT = "bash .ci/wordpress.sh install && bash .ci/wordpress.sh start"


def state_dir() -> Path:
    """Where .ci/wordpress.sh keeps its state and wordpress.json (WP_STATE)."""
    return Path(os.environ.get("WP_STATE") or "/tmp/blogtui-wp")


def _problem() -> tuple[str, dict[str, Any] | None]:
    """Returns (what is missing, site) where site is None when something is."""
    path = state_dir() / "wordpress.json"
    try:
        site = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"{path} does not exist", None
    except (OSError, ValueError) as exc:
        return f"{path} is unreadable: {exc}", None
    import httpx  # imported late: only needed when a site description exists

    url = site.get("base_url", "") + "/?rest_route=/"
    try:
        response = httpx.get(url, timeout=10)
    except httpx.HTTPError as exc:
        return f"WordPress at {url} does not answer ({exc.__class__.__name__}: {exc})", None
    if response.status_code != 200:
        return f"WordPress at {url} answered HTTP {response.status_code}", None
    return "", site


def wordpress_site() -> dict[str, Any]:
    """The site description from wordpress.json, if the server answers.

    Skips the test when it does not, except under ``CI=true``, where it raises
    RuntimeError naming what is missing.
    """
    problem, site = _problem()
    if site is not None:
        return site
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"real WordPress not available: {problem}; start it with: {START_HINT}")
    pytest.skip(f"real WordPress not running: run '{START_HINT}' ({problem})")


@pytest.fixture(scope="session")
def wordpress() -> dict[str, Any]:
    """Session fixture: the dict from ``${WP_STATE}/wordpress.json``."""
    return wordpress_site()


def wp_php(code: str) -> str:
    """Runs PHP code with WordPress loaded (``.ci/wordpress.sh php CODE``); returns stdout."""
    result = subprocess.run(
        ["bash", str(WORDPRESS_SH), "php", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"wordpress.sh php failed ({result.returncode}): {result.stderr}")
    return result.stdout


def wp_option(name: str, value: str | int | None = None) -> str:
    """Reads (value None) or sets a WordPress option; returns the value now stored."""
    args = ["bash", str(WORDPRESS_SH), "option", name]
    if value is not None:
        args.append(str(value))
    result = subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"wordpress.sh option failed ({result.returncode}): {result.stderr}")
    return result.stdout.rstrip("\n")
