"""Durable file operations under the drafts: atomic writes, stale temporaries, the edit lock.

A write goes to a hidden temporary file in the same directory (`.<name>.<random>.tmp`, locked
with flock while it is written), is fsynced, renamed over the target with `os.replace`, and the
directory is fsynced. A crash at any moment leaves either the old or the new file, never a mix.

The edit lock is a flock on `.<id>.lock`. Its holder removes the file before it lets go, so lock
files do not pile up; whoever takes a lock checks after flock that the file it locked is still
the one at that path (else it was removed meanwhile, and it tries again), so two processes never
both hold a lock.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import time
from pathlib import Path

from blogtui.core.drafts.file import DraftError, DraftLocked

TEMP_SUFFIX = ".tmp"
LOCK_SUFFIX = ".lock"


def ensure_private_dir(folder: Path) -> Path:
    """Create `folder` (mode 0700) when missing and return it."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(folder, 0o700)
    return folder


def fsync_dir(path: Path) -> None:
    """Make a rename or unlink in `path` durable (best effort)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync directories; the rename itself is done
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically and durably; raises OSError, leaving `path` as was."""
    folder = ensure_private_dir(path.parent)
    temporary = folder / f".{path.stem}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # tells cleanup a live save has it
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    fsync_dir(folder)


def is_temporary(name: str) -> bool:
    """True for the name of one of our temporary files."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def remove_stale_temporary(path: Path, min_age: float) -> bool:
    """Remove temporary `path` when older than `min_age` seconds and unlocked; True if removed."""
    try:
        if time.time() - path.stat().st_mtime < min_age:
            return False
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.unlink(path)
        return True
    except OSError:
        return False  # a live save holds it, or it is gone already
    finally:
        os.close(fd)


def _read_pid(path: Path) -> str:
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return "unknown"
    return text if text.isdigit() else "unknown"


LOCK_TRIES = 20
"""Times `acquire_lock` opens the lock file again after finding it removed under its flock."""


def _still_there(fd: int, lock_path: Path) -> bool:
    """True when `lock_path` is still the file open as `fd` (not removed or replaced)."""
    try:
        here, there = os.fstat(fd), os.stat(lock_path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def acquire_lock(lock_path: Path) -> int:
    """Take the advisory lock `lock_path` without waiting, recording our pid; returns its fd.

    Raises DraftLocked (naming the holder's pid) when another process holds it.
    """
    for _ in range(LOCK_TRIES):
        try:
            ensure_private_dir(lock_path.parent)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise DraftError(f"cannot lock the draft: {error.strerror or error}") from error
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            os.close(fd)
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise DraftError(f"cannot lock the draft: {error.strerror}") from error
            pid = _read_pid(lock_path)
            raise DraftLocked(f"this draft is open in another blogtui (pid {pid})") from error
        if _still_there(fd, lock_path):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
            return fd
        os.close(fd)  # its holder removed it as we opened it: open the path again
    raise DraftError("cannot lock the draft: its lock file keeps being removed")


def release_lock(fd: int, lock_path: Path | None = None) -> None:
    """Give up a lock taken by `acquire_lock`, removing `lock_path` (its file) first."""
    if lock_path is not None and _still_there(fd, lock_path):
        try:
            os.unlink(lock_path)
        except OSError:
            pass
    try:
        os.ftruncate(fd, 0)
    except OSError:
        pass
    os.close(fd)


def remove_stale_lock(lock_path: Path) -> bool:
    """Remove lock file `lock_path` when no process holds it; True if removed."""
    try:
        fd = os.open(lock_path, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False  # held: its holder removes it
    release_lock(fd, lock_path)
    return True
