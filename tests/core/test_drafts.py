"""Reply drafts: plain files, tolerant loading, atomic saves, locks, quoting."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from drafts_support import ARTICLE, WHO, make

from blogtui.core.config import Identity
from blogtui.core.drafts.store import (
    Draft,
    DraftLocked,
    DraftNotFound,
    DraftSaveError,
    DraftStore,
    Unreadable,
    quote,
    validate_identity,
)
from blogtui.core.drafts.store import new_id as make_id


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "data" / "drafts")


def write(store: DraftStore, name: str, data: bytes) -> Path:
    store.root.mkdir(parents=True, exist_ok=True)
    path = store.root / name
    path.write_bytes(data)
    return path


# -- round trip and format --------------------------------------------------------------------


def test_round_trip_keeps_text_verbatim(store):
    text = "Blog: evil.example\nState: sent\n\nÄpfel, Öl, Übel, ß — „so“ ‚oder‘ «so»\n\tTab\n\n"
    draft = make(store, text, parent_id="42")
    loaded = store.load(draft.id)
    assert loaded == draft
    assert loaded.text == text
    assert loaded.blog == "example.org" and loaded.state == "draft"
    assert loaded.identity == WHO
    raw = store.path_of(draft.id).read_text(encoding="utf-8")
    assert raw.startswith("Blog: example.org\nArticle-URL: " + ARTICLE + "\n")
    assert "\nIn-Reply-To: 42\nIn-Reply-To-Author: Anna\n" in raw
    assert raw.endswith("\n\n" + text + "\n")


def test_header_values_are_single_line_and_sanitised(store):
    draft = store.save(
        Draft(
            id=make_id(),
            article_url=ARTICLE,
            article_title="Titel\nState: sent\x1b[31m\u202e",
            name="Eve\r\nEmail: x@y.z",
            text="Text",
            created=time.time(),
        )
    )
    raw = store.path_of(draft.id).read_text(encoding="utf-8")
    assert "\x1b" not in raw and "\u202e" not in raw
    assert "\nState: draft\n" in raw
    assert not [line for line in raw.splitlines() if line.startswith(("State: sent", "Email: x"))]
    loaded = store.load(draft.id)
    assert loaded.state == "draft" and loaded.article_title.startswith("Titel State: sent")
    assert loaded.email == ""


def test_ids_sort_by_time_and_files_are_private(store):
    first, second = make_id(1_700_000_000.0), make_id(1_700_000_000.5)
    assert first < second and first != make_id(1_700_000_000.0)
    draft = make(store)
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path_of(draft.id).stat().st_mode) == 0o600
    assert store.path_of(draft.id).name == f"{draft.id}.txt"


def test_save_updates_the_timestamp(store):
    draft = make(store)
    time.sleep(0.01)
    again = store.save(draft)
    assert again.updated > draft.updated and again.created == draft.created


@pytest.mark.parametrize("bad", ["../escape", ".hidden", "", "a/b", " x"])
def test_bad_ids_are_refused(store, bad):
    with pytest.raises(DraftNotFound):
        store.load(bad)


# -- tolerant loading -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text", "checks"),
    [
        (b"Blog: example.org\n\nHallo Welt", "Hallo Welt", {"blog": "example.org"}),
        (
            b"Blog: x\r\nIn-Reply-To: 5\r\nState: queued\r\n\r\nZeile 1\r\nZeile 2\r\n",
            "Zeile 1\nZeile 2",
            {"parent_id": "5", "state": "queued"},
        ),
        (
            b"X-Mailer: vim\nblog:   lower.example  \nSchema: 7\nFuture-Thing: 1\n\nText",
            "Text",
            {"blog": "lower.example", "schema_version": 7},
        ),
        (b"Nur Text, kein Kopf\nzweite Zeile\n", "Nur Text, kein Kopf\nzweite Zeile", {}),
        (b"Subject: hi\n\nbody", "Subject: hi\n\nbody", {"blog": ""}),
        ("\ufeffName: Jörg\n\nmit BOM".encode(), "mit BOM", {"name": "Jörg"}),
        (b"Created: yesterday\nUpdated: 2024-01-02T03:04:05Z\n\nt", "t", {"updated": 1704164645}),
        (b"Article-Title: a\n  folded\n\nt", "t", {"article_title": "a folded"}),
        (b"", "", {}),
    ],
)
def test_hand_edited_files_load(store, data, text, checks):
    path = write(store, "handmade.txt", data)
    draft = store.load("handmade")
    assert draft.text == text
    assert draft.state in ("draft", "queued")
    for attribute, value in checks.items():
        assert getattr(draft, attribute) == value
    assert draft.created > 0 and draft.updated > 0
    assert path.read_bytes() == data


# -- unreadable files are kept ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Blog: x\n\n\xff\xfe caf\xe9", "not valid UTF-8"),
        (bytes(range(256)) * 4, "binary data"),
    ],
)
def test_corrupt_draft_is_listed_and_never_touched(store, data, reason):
    path = write(store, "20240101T000000000-deadbeef.txt", data)
    os.utime(path, (1_600_000_000, 1_600_000_000))
    other = make(store, "Erster Entwurf")
    store.save(Draft(**{**vars(other), "text": "Zweiter Stand"}))
    make(store, "Noch einer", parent_id="7")
    listing = store.list()
    broken = [entry for entry in listing if isinstance(entry, Unreadable)]
    assert len(listing) == 3 and len(broken) == 1
    assert broken[0].path == path and reason in broken[0].reason
    assert broken[0].id == "20240101T000000000-deadbeef"
    store.cleanup_temporary(min_age=0)
    assert store.find_for(ARTICLE, "") is not None
    assert path.read_bytes() == data and path.stat().st_mtime == 1_600_000_000
    with pytest.raises(Exception, match=reason):
        store.load(broken[0].id)


def test_saving_over_a_broken_file_sets_it_aside(store):
    draft = make(store, "gut")
    path = store.path_of(draft.id)
    path.write_bytes(b"\xff\x00 kaputt")
    store.save(Draft(**{**vars(draft), "text": "neu"}))
    assert store.load(draft.id).text == "neu"
    aside = [e for e in store.list() if isinstance(e, Unreadable)]
    assert len(aside) == 1 and aside[0].path.read_bytes() == b"\xff\x00 kaputt"


# -- empty drafts, deletion, resuming, archiving ------------------------------------------------


def test_empty_draft_is_not_kept(store):
    assert not store.path_of(make(store, "").id).exists()
    draft = make(store, "etwas")
    assert store.path_of(draft.id).exists()
    store.save(Draft(**{**vars(draft), "text": "  \n\t\n"}))
    assert not store.path_of(draft.id).exists()
    assert store.list() == []


def test_delete_and_unknown_ids(store):
    draft = make(store)
    store.delete(draft.id)
    assert store.list() == []
    with pytest.raises(DraftNotFound, match="no draft"):
        store.delete(draft.id)
    with pytest.raises(DraftNotFound):
        store.load(draft.id)


def test_find_for_resumes_the_editable_draft(store):
    to_post = make(store, "an den Artikel")
    to_comment = make(store, "an Anna", parent_id="42")
    assert store.find_for(ARTICLE, "") == to_post
    assert store.find_for(ARTICLE, "42") == to_comment
    assert store.find_for(ARTICLE, "43") is None
    store.save(Draft(**{**vars(to_comment), "state": "queued"}))
    assert store.find_for(ARTICLE, "42") is None


def test_archive_moves_into_sent(store):
    draft = make(store, "abgeschickt", parent_id="42")
    sent = store.archive(draft.id, "1234", "https://example.org/2024/hallo#comment-1234")
    assert sent.state == "sent" and sent.remote_id == "1234"
    assert store.list() == [] and not store.path_of(draft.id).exists()
    raw = store.path_of(draft.id, sent=True).read_text(encoding="utf-8")
    assert "\nRemote-Id: 1234\nRemote-URL: https://example.org/2024/hallo#comment-1234\n" in raw
    assert store.list(sent=True) == [store.load(draft.id, sent=True)]
    assert store.load(draft.id, sent=True).text == "abgeschickt"


# -- atomic saves and failures ------------------------------------------------------------------


def test_temporary_files_are_never_listed_and_cleaned(store):
    draft = make(store)
    old = write(store, f".{draft.id}.0123456789ab.tmp", b"Blog: half")
    fresh = write(store, f".{draft.id}.ba9876543210.tmp", b"Blog: in progress")
    locked = write(store, f".{draft.id}.aaaaaaaaaaaa.tmp", b"Blog: being written")
    foreign = [write(store, name, b"x") for name in ("notes.tmp", ".other.lock.bak", "README")]
    for path in (old, locked):
        os.utime(path, (time.time() - 60, time.time() - 60))
    assert [entry.id for entry in store.list()] == [draft.id]
    with open(locked, "rb") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
        assert store.cleanup_temporary() == 1
    assert not old.exists() and fresh.exists() and locked.exists()
    assert all(path.exists() for path in foreign)
    assert store.cleanup_temporary(min_age=0) == 2
    assert sorted(p.name for p in store.root.iterdir()) == sorted(
        [f"{draft.id}.txt", "notes.tmp", ".other.lock.bak", "README"]
    )


def no_temporaries(store: DraftStore) -> bool:
    return not [p for p in store.root.iterdir() if p.name.endswith(".tmp")]


def test_disk_full_keeps_the_previous_version(store, monkeypatch):
    draft = make(store, "gute alte Fassung")
    path = store.path_of(draft.id)
    before = path.read_bytes()
    real_write = os.write
    calls = []

    def full_disk(fd: int, data: bytes) -> int:
        calls.append(fd)
        if len(calls) == 1:
            return real_write(fd, bytes(data)[:10])  # a partial write, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(DraftSaveError) as caught:
        store.save(Draft(**{**vars(draft), "text": "neue Fassung " * 1000}))
    monkeypatch.undo()
    assert len(calls) == 2
    assert str(caught.value) == (
        "could not save the draft: No space left on device; your text is still in the editor"
        " and saving will be retried"
    )
    assert path.read_bytes() == before and no_temporaries(store)


def test_read_only_directory_keeps_the_previous_version(store, monkeypatch):
    draft = make(store, "gute alte Fassung")
    path = store.path_of(draft.id)
    before = path.read_bytes()
    os.chmod(store.root, 0o500)
    try:
        probe = store.root / ".probe"
        try:
            probe.touch()
            probe.unlink()
            writable = True  # root ignores the mode: simulate a read-only file system instead
        except PermissionError:
            writable = False
        if writable:
            real_open = os.open

            def read_only(name, flags, *args, **kwargs):
                if str(name).endswith(".tmp") and flags & os.O_CREAT:
                    raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(name))
                return real_open(name, flags, *args, **kwargs)

            monkeypatch.setattr(os, "open", read_only)
        with pytest.raises(DraftSaveError, match="your text is still in the editor"):
            store.save(Draft(**{**vars(draft), "text": "neu"}))
        with pytest.raises(DraftSaveError, match="Read-only file system|Permission denied"):
            store.save(Draft(**{**vars(draft), "text": "neu"}))
    finally:
        monkeypatch.undo()
        os.chmod(store.root, 0o700)
    assert path.read_bytes() == before and no_temporaries(store)


# -- the edit lock ------------------------------------------------------------------------------


def test_second_lease_is_refused_with_the_holders_pid(store):
    draft = make(store)
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from blogtui.core.drafts.store import DraftStore
        with DraftStore(Path({str(store.root)!r})).open_for_edit({draft.id!r}):
            print("locked", flush=True)
            sys.stdin.read()
        """
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(DraftLocked) as caught:
            store.open_for_edit(draft.id)
        assert str(caught.value) == f"this draft is open in another blogtui (pid {holder.pid})"
        store.save(Draft(**{**vars(draft), "text": "trotzdem gespeichert"}))
    finally:
        holder.communicate("", timeout=10)
    with store.open_for_edit(draft.id) as lease:
        assert lease.held and lease.load().text == "trotzdem gespeichert"
    assert not lease.held
    assert draft.id in [entry.id for entry in store.list()]


def lock_files(store: DraftStore) -> list[str]:
    return sorted(p.name for p in store.root.iterdir() if p.name.endswith(".lock"))


def test_lock_files_do_not_pile_up(store):
    drafts = [make(store, f"Entwurf {n}") for n in range(3)]
    for draft in drafts:
        with store.open_for_edit(draft.id) as lease:
            assert lock_files(store) == [f".{draft.id}.lock"]
            lease.save(Draft(**{**vars(lease.load()), "text": "geändert"}))
        assert lock_files(store) == []
    with store.open_for_edit(drafts[0].id):
        again = store.open_for_edit(drafts[1].id)
        again.release()
        again.release()
        assert lock_files(store) == [f".{drafts[0].id}.lock"]
    assert lock_files(store) == []


def test_lock_files_left_by_older_versions_are_swept_once_their_draft_is_gone(store):
    kept, deleted = make(store, "bleibt"), make(store, "weg")
    for draft in (kept, deleted):
        write(store, f".{draft.id}.lock", b"4242\n")
    write(store, ".vanished.lock", b"")
    store.delete(deleted.id)
    assert [entry.id for entry in store.list()] == [kept.id]
    assert lock_files(store) == [f".{kept.id}.lock"]  # its draft is there: removed on release
    with store.open_for_edit(kept.id):
        pass
    assert lock_files(store) == []


def test_a_held_lock_of_a_gone_draft_is_not_swept(store):
    draft = make(store)
    lease = store.open_for_edit(draft.id)
    store.delete(draft.id)
    store.list()
    assert lock_files(store) == [f".{draft.id}.lock"]
    with pytest.raises(DraftLocked):
        store.open_for_edit(draft.id)
    lease.release()
    assert lock_files(store) == []


def test_a_lock_removed_under_a_taker_is_taken_afresh(store, monkeypatch):
    """A taker that flocked a lock file its holder removed meanwhile opens the path again, so
    two processes never both hold the lock."""
    from blogtui.core.drafts import atomic

    draft = make(store)
    path = store.root / f".{draft.id}.lock"
    opened = []
    real_open = os.open

    def open_then_lose_it(target, flags, mode=0o777):  # the holder lets go right after our open
        fd = real_open(target, flags, mode)
        if Path(target) == path and not opened:
            opened.append(fd)
            os.unlink(path)
        return fd

    monkeypatch.setattr(atomic.os, "open", open_then_lose_it)
    with store.open_for_edit(draft.id) as lease:
        assert lease.held and path.read_text() == f"{os.getpid()}\n"  # the file at the path
    assert len(opened) == 1 and not path.exists()


# -- the autosaver ------------------------------------------------------------------------------


# -- identities and quoting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identity", "problems"),
    [
        (WHO, 0),
        (Identity("Anna", "anna@mail.example.org", ""), 0),
        (Identity("Anna", "anna@mail.example.org", "http://anna.example/blog"), 0),
        (Identity("", "anna@example.org"), 1),
        (Identity("Anna", ""), 1),
        (Identity("Anna", "anna example.org"), 1),
        (Identity("Anna", "anna@localhost"), 1),
        (Identity("Anna", "an na@example.org"), 1),
        (Identity("Anna", "anna@example.org", "ftp://anna.example"), 1),
        (Identity("Anna", "anna@example.org", "https://"), 1),
        (Identity("Anna", "anna@example.org", "anna.example"), 1),
        (Identity("", "nope", "javascript:alert(1)"), 3),
    ],
)
def test_validate_identity(identity, problems):
    assert len(validate_identity(identity)) == problems


def test_quote_sanitises_hostile_text():
    hostile = "Hallo\x1b]0;pwned\x07 \x1b[2J„Welt“\u202eevil\u2066\n\n\n\n> schon zitiert\r\nEnde"
    quoted = quote(hostile, "Anna\x1b[31m\u202e")
    assert "\x1b" not in quoted and "\x07" not in quoted
    assert not any(c in quoted for c in "\u202e\u2066\r")
    lines = quoted.split("\n")
    assert lines[0] == "Anna\u241b[31m wrote:"
    assert all(line.startswith(">") for line in lines[1:-1]) and lines[-1] == ""
    assert ">> schon zitiert" in lines and "> Ende" in lines and lines.count(">") == 1
    assert "„Welt“" in quoted
    assert quote("x", "") == "Someone wrote:\n> x\n"
