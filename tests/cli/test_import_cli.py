"""`blogtui import` with OPML files as other readers leave them: a broken file is named with
what is wrong (never a traceback), and outlines that are commands are refused in the output."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from blogtui.cli import main
from blogtui.core.feeds.opml import MAX_OPML_BYTES


def _import(tmp_path: Path, text: str) -> tuple[int, Path]:
    path = tmp_path / "subscriptions.opml"
    path.write_text(text, encoding="utf-8")
    return main(["--home", str(tmp_path / "home"), "import", str(path)]), path


def test_a_file_without_body_is_an_error_naming_the_file(tmp_path, capsys):
    status, path = _import(tmp_path, '<?xml version="1.0"?><opml version="1.0"><head/></opml>')
    captured = capsys.readouterr()
    assert status == 2
    assert f"{path}: " in captured.err and "<body> element" in captured.err
    assert "Traceback" not in captured.err + captured.out and "Imported" not in captured.out


def test_a_file_without_opml_root_is_an_error_naming_the_file(tmp_path, capsys):
    status, path = _import(tmp_path, '<?xml version="1.0"?><outlines><body/></outlines>')
    captured = capsys.readouterr()
    assert status == 2
    assert f"{path}: " in captured.err and "<opml> root element is missing" in captured.err


def test_command_outlines_are_listed_as_refused(tmp_path, capsys):
    status, _ = _import(
        tmp_path,
        '<opml version="1.0"><body>'
        '<outline title="Tweets" xmlUrl="|~/bin/tweets.py"/>'
        '<outline title="Picky" xmlUrl="https://p.example/feed" filtercmd="~/bin/keep.pl"/>'
        '<outline title="Plain" xmlUrl="https://q.example/feed"/>'
        "</body></opml>",
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "Imported 1 new feed(s)" in out
    assert "Skipped 2 outline(s)" in out
    assert "  Tweets (|~/bin/tweets.py): its address is a command" in out
    assert "  Picky (https://p.example/feed): it asks for a filter command" in out


@pytest.mark.timeout(20)
def test_an_endless_pipe_is_refused_once_over_the_limit(tmp_path, capsys):
    pipe = tmp_path / "endless.opml"
    os.mkfifo(pipe)
    done = threading.Event()

    def write() -> None:  # the limit and one byte more, then the pipe stays open
        with open(pipe, "wb") as writer:
            writer.write(b"<opml>" + b" " * MAX_OPML_BYTES)
            writer.flush()
            done.wait(60)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        status = main(["--home", str(tmp_path / "home"), "import", str(pipe)])
    finally:
        done.set()
        writer.join()
    assert status == 2 and "too large" in capsys.readouterr().err
