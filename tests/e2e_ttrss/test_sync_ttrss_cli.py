"""`blogtui account add|list|remove` and `blogtui sync` against the real tt-rss."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from support.ttrss import TtrssSite

from blogtui.cli import main
from blogtui.core.paths import places
from blogtui.core.store import Store


def run(home: Path, *args: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--home", str(home), *args])


@pytest.fixture
def home(tmp_path: Path, ttrss: TtrssSite) -> Path:
    feed = ttrss.add_feed("https://blog1.example.org/feed", "Blog Eins")
    ttrss.add_articles(feed, 12)
    return tmp_path / "home"


def test_accounts_and_sync_from_the_command_line(home, ttrss, monkeypatch, capsys):
    add = ("account", "add", "ttrss", ttrss.base_url, "--user", ttrss.user, "--name", "home")
    assert run(home, *add, stdin="falsch\n", monkeypatch=monkeypatch) == 2
    assert "refused the user name or password" in capsys.readouterr().err
    assert run(home, *add, stdin=ttrss.password + "\n", monkeypatch=monkeypatch) == 0
    assert ttrss.password not in json.dumps(capsys.readouterr())
    assert run(home, "sync", monkeypatch=monkeypatch) == 0
    assert "home: 0 changes sent, 12 new articles" in capsys.readouterr().out
    assert run(home, "account", "list", monkeypatch=monkeypatch) == 0
    listed = capsys.readouterr().out
    assert "home" in listed and "1 feed, 0 changes waiting" in listed

    store = Store(places(home).database)
    account = store.get_account("home")
    assert account is not None and ttrss.password not in str(account)
    database = places(home).database.read_bytes()
    assert ttrss.password.encode() not in database

    assert run(home, "account", "remove", "home", monkeypatch=monkeypatch) == 2
    assert "--keep-feeds or --drop-feeds" in capsys.readouterr().err
    assert run(home, "account", "remove", "home", "--keep-feeds", monkeypatch=monkeypatch) == 0
    assert store.article_count() == 12 and not store.synced_feed_ids()


def test_one_failing_account_makes_sync_exit_1_and_the_other_still_syncs(
    home, ttrss, monkeypatch, capsys
):
    for name, password in (("gut", ttrss.password), ("weg", ttrss.password)):
        add = ("account", "add", "ttrss", ttrss.base_url, "--user", ttrss.user, "--name", name)
        assert run(home, *add, stdin=password + "\n", monkeypatch=monkeypatch) == 0
    store = Store(places(home).database)
    store.db.execute("UPDATE sync_accounts SET url = 'http://127.0.0.1:9/' WHERE name = 'weg'")
    capsys.readouterr()
    assert run(home, "sync", monkeypatch=monkeypatch) == 1
    out, err = capsys.readouterr()
    assert "gut: 0 changes sent, 12 new articles" in out
    assert "weg: tt-rss login: cannot reach the server" in err
    assert run(home, "account", "remove", "gut", "--drop-feeds", monkeypatch=monkeypatch) == 0
    assert store.article_count() == 0


def test_credentials_never_go_to_plain_http_elsewhere(tmp_path, monkeypatch, capsys):
    args = ("account", "add", "fever", "http://rss.example.org/fever/", "--user", "ich")
    assert run(tmp_path, *args, stdin="geheim\n", monkeypatch=monkeypatch) == 2
    assert "only over https" in capsys.readouterr().err
