"""Access to the real Tiny Tiny RSS started by ``.ci/ttrss.sh`` (Debian's tt-rss package).

``bash .ci/ttrss.sh install && bash .ci/ttrss.sh start`` serves it on
http://127.0.0.1:${TT_PORT:-8090}/ and describes it in
``${TT_STATE:-/tmp/blogtui-ttrss}/ttrss.json``; an installed but stopped one is started for
the test session (and stopped after it).
tt-rss refuses to subscribe to or fetch feeds on 127.0.0.1, so feeds and articles are seeded
straight into its MariaDB database (`TtrssSite.sql`). The ``ttrss`` fixture empties the test
user's feeds, articles and sessions first; when the server does not answer it skips, except
under ``CI=true``, where it raises so a missing server cannot pass silently.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

START_HINT = "bash .ci/ttrss.sh install && bash .ci/ttrss.sh start"


def state_dir() -> Path:
    """Where .ci/ttrss.sh keeps its state and ttrss.json (TT_STATE)."""
    return Path(os.environ.get("TT_STATE") or "/tmp/blogtui-ttrss")


def quote(value: object) -> str:
    """A SQL literal (MariaDB) for a str, int, float, bool or None."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace("'", "''")
    return f"'{text}'"


class TtrssSite:
    """The running tt-rss: its addresses, the test user, and SQL on its database."""

    def __init__(self, info: dict[str, Any]) -> None:
        self.info = info
        self.base_url: str = info["base_url"]
        self.api_url: str = info["api_url"]
        self.user: str = info["user"]
        self.password: str = info["password"]
        rows = self.sql(f"SELECT id FROM ttrss_users WHERE login = {quote(self.user)}")
        self.uid = int(rows[0][0])

    def sql(self, query: str) -> list[list[str]]:
        """Run SQL in tt-rss's database; the rows of the last statement, as strings."""
        result = subprocess.run(
            ["mariadb", "--no-defaults", f"--socket={self.info['db_socket']}", "-uroot",
             self.info["db_name"], "-N", "-B", "-e", query],
            capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        return [line.split("\t") for line in result.stdout.splitlines() if line]

    def clear(self) -> None:
        """The test user with no feeds, folders, articles or sessions; default preferences."""
        uid = self.uid
        self.sql(
            f"DELETE FROM ttrss_user_entries WHERE owner_uid = {uid};"
            f" DELETE FROM ttrss_entries WHERE id NOT IN (SELECT ref_id FROM ttrss_user_entries);"
            f" DELETE FROM ttrss_feeds WHERE owner_uid = {uid};"
            f" DELETE FROM ttrss_feed_categories WHERE owner_uid = {uid};"
            f" DELETE FROM ttrss_sessions;"
            f" DELETE FROM ttrss_user_prefs WHERE owner_uid = {uid}"
            "  AND pref_name != 'ENABLE_API_ACCESS';"
        )

    def add_category(self, title: str) -> int:
        self.sql(
            "INSERT INTO ttrss_feed_categories (owner_uid, title)"
            f" VALUES ({self.uid}, {quote(title)})"
        )
        return int(self.sql("SELECT max(id) FROM ttrss_feed_categories")[0][0])

    def add_feed(self, url: str, title: str, category: int | None = None) -> int:
        self.sql(
            "INSERT INTO ttrss_feeds (owner_uid, title, cat_id, feed_url, site_url, last_updated)"
            f" VALUES ({self.uid}, {quote(title)}, {quote(category)}, {quote(url)},"
            f" {quote(url.rsplit('/', 1)[0] + '/')}, NOW())"
        )
        return int(self.sql(f"SELECT id FROM ttrss_feeds WHERE feed_url = {quote(url)}")[0][0])

    def add_articles(
        self,
        feed_id: int,
        count: int,
        *,
        unread: bool = True,
        published: float | None = None,
        prefix: str = "",
    ) -> list[int]:
        """`count` articles in one feed (links https://…/<feed>/<n>), newest last; their ids."""
        moment = time.time() if published is None else published
        rows = ",".join(
            f"('', CONCAT('blogtui-new-', UUID()), '', FROM_UNIXTIME({int(moment) - count + n}),"
            " '', '', NOW(), NOW(), 'Jörg')"
            for n in range(count)
        )
        self.sql(
            "INSERT INTO ttrss_entries (title, guid, link, updated, content, content_hash,"
            f" date_entered, date_updated, author) VALUES {rows}"
        )
        new = [int(r[0]) for r in self.sql(
            "SELECT id FROM ttrss_entries WHERE guid LIKE 'blogtui-new-%' ORDER BY id"
        )]  # fmt: skip
        link = f"CONCAT('https://blog{feed_id}.example.org/{prefix}', id)"
        self.sql(
            f"UPDATE ttrss_entries SET link = {link},"
            " title = CONCAT('Artikel ', id, ': Grüße aus „Köln“'),"
            " content = CONCAT('<p>Text ', id, ' mit Umlauten: äöü ß</p>'),"
            f' guid = CONCAT(\'{{"ver":2,"uid":"{self.uid}","hash":"SHA1:\','
            f" SHA1({link}), '\"}}') WHERE guid LIKE 'blogtui-new-%'"
        )
        self.sql(
            "INSERT INTO ttrss_user_entries (ref_id, uuid, feed_id, owner_uid, tag_cache,"
            " label_cache, unread) VALUES "
            + ",".join(f"({i}, '', {feed_id}, {self.uid}, '', '', {int(unread)})" for i in new)
        )
        return new

    def _flagged(self, column: str) -> set[int]:
        rows = self.sql(
            f"SELECT ref_id FROM ttrss_user_entries WHERE owner_uid = {self.uid} AND {column} = 1"
        )
        return {int(r[0]) for r in rows}

    def unread_ids(self) -> set[int]:
        return self._flagged("unread")

    def starred_ids(self) -> set[int]:
        return self._flagged("marked")

    def set_flag(self, ids: list[int], column: str, value: bool) -> None:
        """Change `unread` or `marked` as another device would."""
        assert column in ("unread", "marked")
        self.sql(
            f"UPDATE ttrss_user_entries SET {column} = {int(value)} WHERE owner_uid = {self.uid}"
            f" AND ref_id IN ({','.join(map(str, ids))})"
        )

    def feed_urls(self) -> set[str]:
        rows = self.sql(f"SELECT feed_url FROM ttrss_feeds WHERE owner_uid = {self.uid}")
        return {r[0] for r in rows}

    def expire_sessions(self) -> None:
        self.sql("DELETE FROM ttrss_sessions")


def _problem() -> tuple[str, dict[str, Any] | None]:
    path = state_dir() / "ttrss.json"
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"{path} does not exist", None
    except (OSError, ValueError) as exc:
        return f"{path} is unreadable: {exc}", None
    try:
        answer = httpx.post(info["api_url"], json={"op": "getApiLevel"}, timeout=10).json()
    except (httpx.HTTPError, ValueError) as exc:
        return f"tt-rss at {info['api_url']} does not answer ({exc!r})", None
    if answer.get("content", {}).get("error") != "NOT_LOGGED_IN":
        return f"tt-rss answered {answer!r}", None
    return "", info


def ttrss_site() -> TtrssSite:
    """The running tt-rss (skips, or under CI=true raises, when it does not answer)."""
    problem, info = _problem()
    if info is not None:
        return TtrssSite(info)
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"real tt-rss not available: {problem}; start it with: {START_HINT}")
    pytest.skip(f"real tt-rss not running: run '{START_HINT}' ({problem})")


SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "ttrss.sh"
"""The script that starts and stops the test server."""


def start_if_installed() -> bool:
    """Start an installed but stopped tt-rss for the session; True when this started it."""
    if _problem()[1] is not None or not Path("/usr/share/tt-rss/www").is_dir():
        return False
    result = subprocess.run(["bash", str(SCRIPT), "start"], capture_output=True, timeout=300)
    return result.returncode == 0


@pytest.fixture(scope="session")
def ttrss_session() -> Iterator[TtrssSite]:
    started = start_if_installed()
    try:
        yield ttrss_site()
    finally:
        if started:
            subprocess.run(["bash", str(SCRIPT), "stop"], capture_output=True, timeout=120)


@pytest.fixture
def ttrss(ttrss_session: TtrssSite) -> TtrssSite:
    """The running tt-rss with the test user emptied."""
    ttrss_session.clear()
    return ttrss_session
