"""Reply drafts: one plain, hand-editable file per draft, saved atomically and durably.

A draft file is a small header of `Key: value` lines, a blank line, then the text verbatim::

    Blog: example.org
    Article-URL: https://example.org/2024/hello
    In-Reply-To: 42
    ...
    Schema: 1

    The reply text.

Loading is tolerant (unknown headers are ignored, missing ones defaulted, CRLF accepted, a file
without a header block is all text). A file that cannot be read is listed as `Unreadable` and
never deleted or overwritten by blogtui on its own.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from blogtui.core.config import Identity
from blogtui.core.drafts.atomic import (
    LOCK_SUFFIX,
    acquire_lock,
    ensure_private_dir,
    fsync_dir,
    is_temporary,
    release_lock,
    remove_stale_lock,
    remove_stale_temporary,
    write_atomic,
)
from blogtui.core.drafts.autosave import Autosaver
from blogtui.core.drafts.file import (
    MAX_DRAFT_BYTES,
    SCHEMA_VERSION,
    Draft,
    DraftError,
    DraftLocked,
    DraftNotFound,
    DraftSaveError,
    DraftState,
    format_draft,
    parse_draft,
    quote,
    validate_identity,
)

__all__ = [
    "SCHEMA_VERSION",
    "Autosaver",
    "Draft",
    "DraftError",
    "DraftLease",
    "DraftListing",
    "DraftLocked",
    "DraftNotFound",
    "DraftSaveError",
    "DraftStore",
    "Unreadable",
    "quote",
    "validate_identity",
]

SENT_DIR = "sent"
BUSY_STATES = frozenset({DraftState.QUEUED, DraftState.SENDING, DraftState.SENT})
"""States in which a draft is no longer edited (find_for skips them)."""


@dataclass(frozen=True)
class Unreadable:
    """A draft file that could not be read; it is kept as it is."""

    path: Path
    reason: str

    @property
    def id(self) -> str:
        """The draft id the file name implies."""
        return self.path.stem


DraftListing = Draft | Unreadable


def _now() -> float:
    return round(time.time(), 3)


def new_id(now: float | None = None) -> str:
    """A sortable, unique draft id: UTC time to the millisecond plus randomness."""
    now = time.time() if now is None else now
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now))
    return f"{stamp}{int(now * 1000) % 1000:03d}-{secrets.token_hex(4)}"


def _check_id(draft_id: str) -> str:
    bad = not draft_id or draft_id.startswith(".") or len(draft_id) > 200
    if bad or any(c in draft_id for c in "/\\\x00") or draft_id != draft_id.strip():
        raise DraftNotFound(f"no draft {draft_id!r}; `blogtui drafts` lists them")
    return draft_id


def _save_error(error: OSError) -> DraftSaveError:
    reason = error.strerror or os.strerror(error.errno or 0) or str(error)
    return DraftSaveError(
        f"could not save the draft: {reason}; your text is still in the editor"
        " and saving will be retried"
    )


class DraftStore:
    """The drafts directory: `<id>.txt` files, archived ones under `sent/`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- paths -------------------------------------------------------------------------------

    def path_of(self, draft_id: str, *, sent: bool = False) -> Path:
        """Where draft `draft_id` lives."""
        folder = self.root / SENT_DIR if sent else self.root
        return folder / f"{_check_id(draft_id)}.txt"

    # -- reading -----------------------------------------------------------------------------

    def _read(self, path: Path) -> Draft:
        try:
            size = path.stat().st_size
            if size > MAX_DRAFT_BYTES:
                raise DraftError(f"{path}: too large to be a draft ({size} bytes)")
            data = path.read_bytes()
            mtime = path.stat().st_mtime
        except FileNotFoundError as error:
            raise DraftNotFound(f"no draft {path.stem!r}; `blogtui drafts` lists them") from error
        except OSError as error:
            raise DraftError(f"{path}: {error.strerror or error}") from error
        return parse_draft(path.stem, data, mtime, where=str(path))

    def load(self, draft_id: str, *, sent: bool = False) -> Draft:
        """Draft `draft_id`; DraftNotFound when missing, DraftError when unreadable."""
        return self._read(self.path_of(draft_id, sent=sent))

    def list(self, *, sent: bool = False) -> list[DraftListing]:
        """Every draft (oldest id first); unreadable files are listed as `Unreadable`."""
        folder = self.root / SENT_DIR if sent else self.root
        try:
            names = sorted(entry.name for entry in os.scandir(folder) if entry.is_file())
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as error:
            raise DraftError(f"cannot read {folder}: {error.strerror or error}") from error
        listing: list[DraftListing] = []
        present = frozenset(names)
        for name in names:
            if not sent and _orphan_lock(name, present):
                remove_stale_lock(folder / name)  # its draft was deleted or sent
            if name.startswith(".") or not name.endswith(".txt"):
                continue
            path = folder / name
            try:
                listing.append(self._read(path))
            except DraftNotFound:
                continue  # deleted meanwhile
            except DraftError as error:
                listing.append(Unreadable(path, _reason(error, path)))
        return listing

    def find_for(self, article_url: str, parent_id: str, source: str = "") -> Draft | None:
        """The newest editable draft replying to `parent_id` ("" = the post) on `article_url`,
        in the comment source `source` ("" the blog's own thread)."""
        matches = [
            entry
            for entry in self.list()
            if isinstance(entry, Draft)
            and entry.article_url == article_url
            and entry.parent_id == parent_id
            and entry.source == source
            and entry.state not in BUSY_STATES
        ]
        return max(matches, key=lambda d: d.updated, default=None)

    # -- writing -----------------------------------------------------------------------------

    def new(
        self,
        *,
        blog: str,
        article_url: str,
        article_title: str = "",
        parent_id: str = "",
        parent_author: str = "",
        parent_excerpt: str = "",
        identity: Identity | None = None,
        text: str = "",
        source: str = "",
    ) -> Draft:
        """A new draft with a fresh id; it is saved at once when `text` is not blank."""
        now = _now()
        who = identity or Identity()
        draft = Draft(
            id=new_id(now),
            blog=blog,
            article_url=article_url,
            article_title=article_title,
            source=source,
            parent_id=parent_id,
            parent_author=parent_author,
            parent_excerpt=parent_excerpt,
            name=who.name,
            email=who.email,
            website=who.website,
            created=now,
            updated=now,
            text=text,
        ).cleaned()
        return self.save(draft) if text.strip() else draft

    def save(self, draft: Draft) -> Draft:
        """Write `draft` atomically (a blank text deletes its file instead); returns it updated.

        Raises DraftSaveError when the disk refuses; the previous file is then untouched.
        """
        now = max(_now(), draft.created)
        saved = replace(draft.cleaned(), updated=now, schema_version=SCHEMA_VERSION)
        path = self.path_of(saved.id)
        self._set_aside_unreadable(path)
        if not saved.text.strip():
            self._remove(path)
            return saved
        self._write_atomic(path, format_draft(saved).encode("utf-8"))
        return saved

    def _set_aside_unreadable(self, path: Path) -> None:
        """Keep a hand-broken file under another name rather than overwrite or delete it."""
        try:
            self._read(path)
        except DraftNotFound:
            return
        except DraftError:
            aside = path.with_name(f"{path.stem}.unreadable-{new_id()}.txt")
            try:
                os.rename(path, aside)
            except OSError as error:
                raise _save_error(error) from error

    def _write_atomic(self, path: Path, data: bytes) -> None:
        try:
            write_atomic(path, data)
        except OSError as error:
            raise _save_error(error) from error

    def _remove(self, path: Path) -> None:
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as error:
            raise _save_error(error) from error
        fsync_dir(path.parent)

    def delete(self, draft_id: str) -> None:
        """Delete draft `draft_id` (readable or not); DraftNotFound when there is none."""
        path = self.path_of(draft_id)
        try:
            path.unlink()
        except FileNotFoundError as error:
            raise DraftNotFound(f"no draft {draft_id!r}; `blogtui drafts` lists them") from error
        except OSError as error:
            raise DraftError(f"cannot delete {path}: {error.strerror or error}") from error
        fsync_dir(self.root)

    def archive(self, draft_id: str, remote_id: str, remote_url: str) -> Draft:
        """Mark draft `draft_id` sent (with where it was published) and move it into `sent/`."""
        draft = self.load(draft_id)
        sent = replace(
            draft, state=DraftState.SENT, remote_id=remote_id, remote_url=remote_url
        ).cleaned()
        sent = replace(sent, updated=_now())
        path = self.path_of(draft_id)
        self._write_atomic(path, format_draft(sent).encode("utf-8"))
        target = ensure_private_dir(self.root / SENT_DIR) / path.name
        try:
            os.replace(path, target)
        except OSError as error:
            raise DraftError(f"cannot move {path} to {target}: {error.strerror}") from error
        fsync_dir(target.parent)
        fsync_dir(self.root)
        return sent

    def cleanup_temporary(self, min_age: float = 5.0) -> int:
        """Remove stray temporary files of crashed saves; returns how many were removed.

        Only `.*.tmp` files older than `min_age` seconds that no live process holds are touched.
        """
        return sum(remove_stale_temporary(path, min_age) for path in self._temporaries())

    def _temporaries(self) -> Iterator[Path]:
        for folder in (self.root, self.root / SENT_DIR):
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if is_temporary(entry.name):
                    yield Path(entry.path)

    # -- locking -----------------------------------------------------------------------------

    def open_for_edit(self, draft_id: str) -> DraftLease:
        """Take the edit lock of `draft_id`; DraftLocked when another process holds it."""
        return DraftLease(self, draft_id)


def _orphan_lock(name: str, names: frozenset[str]) -> bool:
    """True for the lock file of a draft that is not in `names` (left by an older blogtui)."""
    if not (name.startswith(".") and name.endswith(LOCK_SUFFIX)):
        return False
    return f"{name[1 : -len(LOCK_SUFFIX)]}.txt" not in names


def _reason(error: DraftError, path: Path) -> str:
    prefix = f"{path}: "
    return error.message.removeprefix(prefix)


class DraftLease:
    """An advisory edit lock on one draft (`.<id>.lock` beside it); a context manager."""

    def __init__(self, store: DraftStore, draft_id: str) -> None:
        self.store = store
        self.draft_id = _check_id(draft_id)
        self.lock_path = store.root / f".{draft_id}{LOCK_SUFFIX}"
        self._fd: int | None = acquire_lock(self.lock_path)

    @property
    def held(self) -> bool:
        """True until released."""
        return self._fd is not None

    def load(self) -> Draft:
        """The leased draft."""
        return self.store.load(self.draft_id)

    def save(self, draft: Draft) -> Draft:
        """Save the leased draft."""
        return self.store.save(draft)

    def release(self) -> None:
        """Give the lock up, removing its file (core/drafts/atomic.py says why that is safe)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            release_lock(fd, self.lock_path)

    def __enter__(self) -> DraftLease:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()
