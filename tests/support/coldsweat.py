"""Access to the real coldsweat (a Fever API server) started by ``.ci/coldsweat.sh``.

``bash .ci/coldsweat.sh install && bash .ci/coldsweat.sh start`` runs coldsweat 0.10 from PyPI
on http://127.0.0.1:${CS_PORT:-8093} and describes the seed in
``${CS_STATE:-/tmp/blogtui-coldsweat}/coldsweat.json``. The ``coldsweat`` fixture returns that
description with the read and saved marks put back as seeded (straight in coldsweat's SQLite
database, so each test starts from the seed). When coldsweat is installed but not running, the
session starts it (and stops it again at the end); when it is not installed the tests skip,
except under ``CI=true``, where they fail so a missing server cannot pass silently.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
COLDSWEAT_SH = REPO_ROOT / ".ci" / "coldsweat.sh"
START_HINT = "bash .ci/coldsweat.sh install && bash .ci/coldsweat.sh start"
SEEDED_AT = "2024-01-01 00:00:00"
"""When restored marks were made: long ago, so coldsweat's 'unread recently read' leaves them."""


def state_dir() -> Path:
    """Where .ci/coldsweat.sh keeps its state and coldsweat.json (CS_STATE)."""
    return Path(os.environ.get("CS_STATE") or "/tmp/blogtui-coldsweat")


def installed() -> bool:
    """Whether .ci/coldsweat.sh installed coldsweat (its venv, CS_VENV)."""
    venv = Path(os.environ.get("CS_VENV") or "/opt/blogtui-coldsweat")
    return (venv / "bin" / "coldsweat").exists()


def _problem() -> tuple[str, dict[str, Any] | None]:
    path = state_dir() / "coldsweat.json"
    try:
        site = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"{path} does not exist", None
    except (OSError, ValueError) as exc:
        return f"{path} is unreadable: {exc}", None
    import httpx

    try:
        response = httpx.post(site["fever_url"] + "?api", data={"api_key": site["api_key"]})
    except httpx.HTTPError as exc:
        return f"coldsweat at {site['fever_url']} does not answer ({exc!r})", None
    if response.status_code != 200 or response.json().get("auth") != 1:
        return f"coldsweat answered HTTP {response.status_code}: {response.text[:200]}", None
    return "", site


def coldsweat_site() -> tuple[dict[str, Any], bool]:
    """The seed description and whether this call started the server (skips when coldsweat is
    not installed or, under CI=true, raises)."""
    problem, site = _problem()
    if site is not None:
        return site, False
    if installed():
        started = subprocess.run(
            ["bash", str(COLDSWEAT_SH), "start"], capture_output=True, text=True, timeout=120
        )
        problem, site = _problem()
        if site is not None:
            return site, True
        problem = f"{problem}; coldsweat.sh start said: {started.stderr[-500:]}"
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"real coldsweat not available: {problem}; start it with: {START_HINT}")
    pytest.skip(f"real coldsweat not running: run '{START_HINT}' ({problem})")


def restore_marks(site: dict[str, Any]) -> None:
    """Puts coldsweat's read and saved marks back to the seed's."""
    with sqlite3.connect(site["database"], timeout=30) as db:
        (user_id,) = db.execute("SELECT id FROM users WHERE email = ?", (site["email"],)).fetchone()
        db.execute("DELETE FROM read")
        db.execute("DELETE FROM saved")
        for table, column, ids in (
            ("read", "read_on", site["read_ids"]),
            ("saved", "saved_on", site["saved_ids"]),
        ):
            db.executemany(
                f"INSERT INTO {table} (user_id, entry_id, {column}) VALUES (?, ?, ?)",
                [(user_id, entry_id, SEEDED_AT) for entry_id in ids],
            )
    db.close()


@pytest.fixture(scope="session")
def coldsweat_session() -> Iterator[dict[str, Any]]:
    site, started = coldsweat_site()
    yield site
    if started:
        subprocess.run(["bash", str(COLDSWEAT_SH), "stop"], capture_output=True, timeout=60)


@pytest.fixture
def coldsweat(coldsweat_session: dict[str, Any]) -> dict[str, Any]:
    """The seed description of the running coldsweat, its marks as seeded."""
    restore_marks(coldsweat_session)
    return coldsweat_session
