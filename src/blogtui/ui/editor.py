"""Editing a reply in the user's own editor ($VISUAL, $EDITOR): the command, and the text's
round trip through a private file (the caller suspends the TUI around `edit_text`)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path


def editor_command(environ: dict[str, str] | None = None) -> list[str] | None:
    """$VISUAL, else $EDITOR (split like a shell would), else vi, else nano; None if none."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        try:
            parts = shlex.split(env.get(name, ""))
        except ValueError:
            continue
        if parts:
            return parts
    for fallback in ("vi", "nano"):
        found = shutil.which(fallback)
        if found:
            return [found]
    return None


def edit_text(command: list[str], text: str, folder: Path, name: str) -> tuple[int, str]:
    """Run `command` on `folder/name`, a new 0600 copy of `text` (removed afterwards); the
    editor's exit status and the text it left (final newline handled as `text` had it)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    copy = folder / name
    fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    newline = "\n" if text and not text.endswith("\n") else ""
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + newline)  # a POSIX text file, as editors expect
    try:
        done = subprocess.run([*command, str(copy)], check=False)
        edited = copy.read_bytes().decode("utf-8", errors="replace")
    finally:
        try:
            copy.unlink()
        except OSError:
            pass
    edited = edited.replace("\r\n", "\n")
    if edited.endswith("\n") and not text.endswith("\n"):
        edited = edited[:-1]  # the final newline we (or the editor) added
    return done.returncode, edited
