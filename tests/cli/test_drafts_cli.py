"""`blogtui drafts`, `drafts show ID`, `drafts rm ID`, in subprocesses with `--home DIR`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from blogtui.core.config import Identity
from blogtui.core.drafts.file import draft_age
from blogtui.core.drafts.store import Draft, DraftStore

ARTICLE = "https://example.org/2024/hallo"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def store(home: Path) -> DraftStore:
    return DraftStore(home / "data" / "drafts")


def blogtui(home: Path, *args: str, status: int = 0) -> subprocess.CompletedProcess[str]:
    command = ["-m", "blogtui"]
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("BLOGTUI_HOME", None)
    result = subprocess.run(
        [sys.executable, *command, "--home", str(home), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )
    assert result.returncode == status, result.stdout + result.stderr
    return result


def make(store: DraftStore, text: str, parent_id: str = "", title: str = "Über „Zitate“") -> Draft:
    return store.new(
        blog="example.org",
        article_url=ARTICLE,
        article_title=title,
        parent_id=parent_id,
        parent_author="Anna" if parent_id else "",
        identity=Identity("Jörg", "joerg@example.org"),
        text=text,
    )


def test_no_drafts(home):
    assert blogtui(home, "drafts").stdout == "No drafts.\n"
    assert not home.exists()


def test_list_shows_drafts_and_flags_unreadable_ones(home, store):
    to_post = make(store, "Erste Zeile an den Artikel\nzweite Zeile")
    to_anna = make(store, "\n  Liebe Anna, \x1b[2Jdanke!\u202e", parent_id="42", title="T\x1b]0;x")
    broken = store.root / "kaputt.txt"
    broken.write_bytes(b"Blog: x\n\n\xff\xfe")
    out = blogtui(home, "drafts").stdout
    assert "\x1b" not in out and "\u202e" not in out
    lines = out.splitlines()
    assert lines == [
        f"{to_post.id} [draft, just now] Über „Zitate“ — reply to the post",
        "    Erste Zeile an den Artikel",
        f"{to_anna.id} [draft, just now] T␛]0;x — reply to Anna",
        "    Liebe Anna, ␛[2Jdanke!",
        "kaputt [unreadable: not valid UTF-8 (byte 0xff at offset 9)]",
        f"    file kept as it is: {broken}",
    ]
    assert broken.read_bytes() == b"Blog: x\n\n\xff\xfe"


def test_show_prints_header_and_text(home, store):
    draft = make(store, "Hallo Anna,\n\n> zitiert\n    eingerückt", parent_id="42")
    out = blogtui(home, "drafts", "show", draft.id).stdout
    assert out.startswith(f"Id: {draft.id}\nFile: {store.path_of(draft.id)}\nBlog: example.org\n")
    assert "\nArticle-Title: Über „Zitate“\nIn-Reply-To: 42\nIn-Reply-To-Author: Anna\n" in out
    assert "\nName: Jörg\nEmail: joerg@example.org\n" in out
    assert out.endswith("\nSchema: 1\n\nHallo Anna,\n\n> zitiert\n    eingerückt\n")


def test_show_refuses_unknown_and_unreadable_drafts(home, store):
    make(store, "x")
    missing = blogtui(home, "drafts", "show", "nope", status=2)
    assert missing.stderr == "blogtui: no draft 'nope'; `blogtui drafts` lists them\n"
    (store.root / "kaputt.txt").write_bytes(b"\x00\x01binary")
    broken = blogtui(home, "drafts", "show", "kaputt", status=2)
    assert "blogtui: draft 'kaputt' is unreadable:" in broken.stderr
    assert "contains binary data" in broken.stderr and "the file is kept" in broken.stderr


def test_rm_deletes_and_refuses_unknown_ids(home, store):
    keep = make(store, "bleibt")
    gone = make(store, "weg")
    assert blogtui(home, "drafts", "rm", gone.id).stdout == f"Deleted draft {gone.id}\n"
    assert [entry.id for entry in store.list()] == [keep.id]
    again = blogtui(home, "drafts", "rm", gone.id, status=2)
    assert again.stderr == f"blogtui: no draft {gone.id!r}; `blogtui drafts` lists them\n"
    outside = home / "data" / "secret.txt"
    outside.write_text("nicht anfassen")
    blogtui(home, "drafts", "rm", "../secret", status=2)
    assert outside.exists() and store.path_of(keep.id).exists()


def test_rm_removes_an_unreadable_draft_when_asked(home, store):
    (store.root).mkdir(parents=True)
    (store.root / "kaputt.txt").write_bytes(b"\xff")
    blogtui(home, "drafts", "rm", "kaputt")
    assert store.list() == []


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(5, "just now"), (125, "2 min ago"), (7300, "2 h ago"), (3 * 86400 + 5, "3 d ago")],
)
def test_age(seconds, text):
    assert draft_age(seconds) == text


def test_drafts_is_a_registered_command(home):
    assert "drafts" in blogtui(home, "--help").stdout
