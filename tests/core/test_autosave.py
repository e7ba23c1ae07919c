"""The autosaver: the newest text is on disk within its delay; a failed save is retried."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest
from drafts_support import make

from blogtui.core.drafts.autosave import Autosaver
from blogtui.core.drafts.file import Draft
from blogtui.core.drafts.store import DraftSaveError, DraftStore


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "data" / "drafts")


class FullDisk:
    """Saves into a DraftStore, except while `full`: then the disk is full."""

    def __init__(self, store: DraftStore) -> None:
        self.store = store
        self.full = True

    def save(self, draft: Draft) -> Draft:
        if self.full:
            raise DraftSaveError(os.strerror(errno.ENOSPC))
        return self.store.save(draft)


def wait_for(condition, timeout: float = 5.0) -> float:
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, "timed out"
        time.sleep(0.005)
    return time.monotonic() - start


def test_autosaver_writes_within_the_delay(store):
    draft = make(store, "")
    saver = Autosaver(store, draft, delay=0.2)
    saver.update("Hallo")
    start = time.monotonic()
    for word in (" Welt", ", wie", " geht's?"):  # steady typing must not postpone the save
        time.sleep(0.08)
        saver.update(saver.draft.text + word)
    path = store.path_of(draft.id)
    wait_for(path.exists)
    assert time.monotonic() - start < 0.6
    wait_for(lambda: store.load(draft.id).text == "Hallo Welt, wie geht's?")
    saver.update("Zuletzt")
    assert saver.close() and store.load(draft.id).text == "Zuletzt"


def test_autosaver_keeps_the_text_and_retries_after_a_failure(store):
    draft = make(store, "alt")
    disk = FullDisk(store)
    errors = []
    saver = Autosaver(disk, draft, delay=0.05, retry_interval=0.3, on_error=errors.append)
    saver.update("neuer Text")
    wait_for(lambda: errors)
    assert "No space left on device" in str(saver.last_error) and isinstance(
        errors[0], DraftSaveError
    )
    assert saver.dirty and saver.draft.text == "neuer Text"
    assert store.load(draft.id).text == "alt"
    assert not saver.flush()
    disk.full = False
    waited = wait_for(lambda: saver.last_error is None)  # the timer retries on its own
    assert waited < 2.0
    assert store.load(draft.id).text == "neuer Text" and not saver.dirty
    assert saver.close()
