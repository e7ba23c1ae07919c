"""Killing a real writer process at random moments never leaves a broken or truncated draft.

Each round starts a separate process (forked from a `python -c` launcher that has imported
blogtui, so a round costs no interpreter start-up) that resumes the draft (as starting a reply
where a draft exists does) and types into it in a tight loop: every iteration appends the line
"Zeile N äöü" and calls `Autosaver.update`, so the file is written by the real autosave path.
The process is SIGKILLed 20-200 ms after it is ready. After every kill the file must hold exactly
the first K lines for some K >= 1 (K never shrinking) and load with `DraftStore.load`.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import blogtui
from blogtui.core.drafts.store import Draft, DraftStore

ROUNDS = 100
ARTICLE = "https://example.org/2024/absturz"

WRITER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from blogtui.core.drafts.store import Autosaver, DraftStore

    def type_into_the_draft(root, article):
        store = DraftStore(root)
        draft = store.find_for(article, "")
        lines = draft.text.split("\\n")
        saver = Autosaver(store, draft, delay=0.005)
        print("ready", os.getpid(), flush=True)
        while True:
            lines.append(f"Zeile {len(lines) + 1} äöü")
            saver.update("\\n".join(lines))
            time.sleep(0.0005)

    for command in sys.stdin:
        child = os.fork()
        if child == 0:
            type_into_the_draft(Path(sys.argv[1]), sys.argv[2])
        _, status = os.waitpid(child, 0)
        print("reaped", os.waitstatus_to_exitcode(status), flush=True)
    """
)


def expected(count: int) -> str:
    return "\n".join(f"Zeile {n} äöü" for n in range(1, count + 1))


def check_file(store: DraftStore, draft_id: str, previous: int) -> int:
    """The number of lines in the draft, after checking the file is one complete version."""
    names = sorted(p.name for p in store.root.iterdir() if not p.name.startswith("."))
    assert names == [f"{draft_id}.txt"], names
    raw = store.path_of(draft_id).read_bytes().decode("utf-8")
    header, _, body = raw.partition("\n\n")
    assert header.startswith("Blog: example.org\n") and header.endswith("\nSchema: 1")
    assert body.endswith("\n"), "truncated: no final newline"
    text = body.removesuffix("\n")
    count = text.count("\n") + 1
    assert count >= max(previous, 1)
    assert text == expected(count), f"not a version the writer wrote: ...{text[-80:]!r}"
    loaded = store.load(draft_id)
    assert loaded.text == text and loaded.article_url == ARTICLE
    return count


def start_launcher(root: Path) -> subprocess.Popen[str]:
    """A Python process that forks one fresh writer process per line it reads."""
    source = str(Path(blogtui.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": source + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), ARTICLE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def run_and_kill(launcher: subprocess.Popen[str], delay: float) -> None:
    """Start a writer, SIGKILL it `delay` seconds after it is ready, wait until it is gone."""
    assert launcher.stdin is not None and launcher.stdout is not None
    launcher.stdin.write("go\n")
    launcher.stdin.flush()
    ready, pid = launcher.stdout.readline().split()
    assert ready == "ready", "the writer did not start"
    time.sleep(delay)
    os.kill(int(pid), signal.SIGKILL)
    assert launcher.stdout.readline().split() == ["reaped", str(-signal.SIGKILL)]


@pytest.mark.slow
def test_sigkill_during_autosave_never_breaks_the_draft(tmp_path):
    store = DraftStore(tmp_path / "drafts")
    first: Draft = store.new(blog="example.org", article_url=ARTICLE, text=expected(1))
    rng = random.Random(os.environ.get("BLOGTUI_CRASH_SEED", "drafts"))
    count, grew = 1, 0
    launcher = start_launcher(store.root)
    try:
        for _ in range(ROUNDS):
            run_and_kill(launcher, rng.uniform(0.020, 0.200))
            previous, count = count, check_file(store, first.id, count)
            grew += count > previous
    finally:
        launcher.communicate("", timeout=10)
    assert grew > ROUNDS // 2, f"the writer saved in only {grew} of {ROUNDS} rounds"
    assert count > ROUNDS
    store.cleanup_temporary(min_age=0)
    assert [p.name for p in store.root.iterdir() if p.name.endswith(".tmp")] == []
    assert [entry.id for entry in store.list()] == [first.id]
