"""LANG=C with Python's UTF-8 mode off: what blogtui prints stays readable (no `\\u256d`, no
`J\\xfcrgen`), arguments typed in UTF-8 are understood, and the reader draws its screen in ASCII."""

from __future__ import annotations

import io
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from support.tmux import BLOGTUI

from blogtui.cli.terminal import ascii_glyph, ascii_screen, local_path, utf8_arguments
from blogtui.core.paths import places
from blogtui.core.store import Store
from blogtui.core.text.clip import cell_width

C_LOCALE = {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"}


def ascii_env(home: Path) -> dict[str, str]:
    """This environment under LANG=C, UTF-8 mode off, PYTHONIOENCODING unset."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LANGUAGE")}
    return {**env, **C_LOCALE, "BLOGTUI_HOME": str(home)}


def blogtui(
    home: Path, *args: str, stdout: int = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "blogtui", *args],
        stdout=stdout, stderr=subprocess.PIPE, env=ascii_env(home), timeout=60,
    )  # fmt: skip


@pytest.fixture
def home(tmp_path: Path) -> Path:
    store = Store(places(tmp_path / "home").database)
    try:
        store.add_feed("https://a.example/feed", "Jürgen Weiß’ Blog", "", "Räder")
    finally:
        store.close()
    return tmp_path / "home"


def test_export_to_stdout_writes_the_utf8_document(home):
    done = blogtui(home, "export")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert "Jürgen Weiß’ Blog".encode() in done.stdout


def test_arguments_typed_in_utf8_are_understood_and_echoed_readably(home):
    done = blogtui(home, "remove", "Jürgen")
    assert done.returncode == 2
    assert done.stderr == b"blogtui: no feed 'Juergen'; `blogtui feeds` lists them\n"


def test_a_file_named_in_utf8_is_found(home, tmp_path):
    opml = tmp_path / "Abos für Jürgen.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline text="B" type="rss" xmlUrl="https://b.example/feed"/></body></opml>',
        encoding="utf-8",
    )
    done = blogtui(home, "import", str(opml))
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"Imported 1 new feed(s); 0 already subscribed.\n"
    target = tmp_path / "Sicherung für Jürgen.opml"
    assert blogtui(home, "export", str(target)).returncode == 0
    assert b"https://b.example/feed" in target.read_bytes()


def test_a_closed_stdout_ends_quietly(home):
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = blogtui(home, "feeds", stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 141 and done.stderr == b""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("╭──────╮", "+------+"), ("│ ┃ ║", "| | |"), ("╰─┴─╯", "+-+-+"), ("├┼┤", "+++"),
        ("█▀▀▄▄█", "######"), ("▁▂▃▔", "___-"), ("▎▊▌▐", "||||"), ("░▒▓", ".:#"),
        ("▼ Blogs ▶ …", "v Blogs > ."), ("Jürgen", "Jurgen"), ("日本", "????"), ("e\u0301", "e"),
    ],
)  # fmt: skip
def test_glyphs_become_ascii_of_the_same_width(text, expected):
    drawn = "".join(ascii_glyph(char) if not char.isascii() else char for char in text)
    assert drawn == expected and cell_width(text) == len(expected)


def test_ascii_screen_spells_stderr_in_ascii_while_inside():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="backslashreplace")
    with ascii_screen(stream):
        stream.write("╭─╮ Jürgen ▼\n")
    stream.write("╯\n")
    stream.flush()
    assert raw.getvalue() == b"+-+ Jurgen v\n\\u256f\n"


def test_utf8_arguments_and_local_path_round_trip(monkeypatch):
    typed = os.fsdecode("Jürgen".encode())  # what Python makes of it under LANG=C
    assert utf8_arguments([typed, "plain", "\udcff"]) == ["Jürgen", "plain", "\udcff"]
    assert local_path("Jürgen") == Path(os.fsdecode("Jürgen".encode()))


def test_the_reader_draws_in_ascii_under_lang_c(tmux, home):
    env = " ".join(f"{k}={v}" for k, v in C_LOCALE.items())
    program = (
        f"exec env -u PYTHONIOENCODING -u NO_COLOR {env} TERM=xterm-256color"
        f" BLOGTUI_HOME={shlex.quote(str(home))} {shlex.quote(str(BLOGTUI))}"
    )
    pane = tmux.launch(program=program)
    screen = pane.wait_for("All articles", "Juergen Weiss' Blog")
    assert "\\u" not in screen and "\\x" not in screen and screen.isascii()
    lines = screen.splitlines()
    assert lines[0].startswith("+-") and lines[0].endswith("-+") and "++" in lines[0]
    assert lines[1].startswith("|All articles")
    pane.quit("q")
