"""The core stays UI-free, nothing is written at import time, and the type checker and the
linter pass (so the test command runs them too)."""

from __future__ import annotations

import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

from support.imports import loaded_after

import blogtui.core

ROOT = Path(__file__).resolve().parents[1]
"""The project's root: pyproject.toml (the mypy and ruff settings), src/, tests/, bench/."""


def core_modules() -> list[str]:
    return [
        info.name for info in pkgutil.walk_packages(blogtui.core.__path__, prefix="blogtui.core.")
    ]


def test_core_imports_no_ui():
    modules = core_modules()
    assert "blogtui.core.store" in modules and "blogtui.core.text.sanitize" in modules
    imports = f"import importlib\nfor name in {modules!r}: importlib.import_module(name)"
    assert loaded_after(imports, ("textual",)) == []


def test_core_sources_never_import_ui_libraries():
    # httpx itself imports rich when it is installed, so rich is checked in the sources.
    root = Path(blogtui.core.__file__).parent
    pattern = re.compile(r"^\s*(from|import)\s+(textual|rich)\b", re.MULTILINE)
    offenders = [str(p) for p in root.rglob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert offenders == []


def test_importing_writes_nothing(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "BLOGTUI_HOME": str(home), "HOME": str(tmp_path / "user")}
    code = "import blogtui.cli, blogtui.ui.app, blogtui.core.store, blogtui.demo"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert not home.exists()
    assert not (tmp_path / "user").exists()


def test_start_up_imports_stay_light():
    # The first frame waits for these imports: the parsers, HTTP and the main screen's modules
    # load after it (see ui/app.py), and a refactor that pulls one in shows up here first.
    heavy = (
        "feedparser", "html2text", "httpx", "blogtui.core.feeds.fetch", "blogtui.core.posting",
        "blogtui.core.comments", "blogtui.ui.screens.main", "blogtui.ui.widgets",
    )  # fmt: skip
    assert loaded_after("import blogtui.cli, blogtui.cli.tui, blogtui.ui.app", heavy) == []
    # `blogtui` alone opens the TUI without building the parser of every subcommand
    commands = tuple(f"blogtui.cli.{name}" for name in ("feeds", "comments", "drafts", "posting"))
    assert loaded_after("import blogtui.cli, blogtui.cli.tui", (*commands, "argparse")) == []


def test_building_the_parser_loads_no_store_models_or_drafts():
    # The store and drafts are for subcommands; the TUI opens the store after its first frame.
    heavy = (
        "blogtui.core.models", "blogtui.core.store", "blogtui.core.drafts.store",
        "blogtui.core.drafts.file", "blogtui.core.drafts.atomic", "blogtui.core.drafts.autosave",
        "blogtui.core.posting", "sqlite3",
    )  # fmt: skip
    imports = "import blogtui.cli\nblogtui.cli.build_parser().parse_args([])"
    assert loaded_after(imports, heavy) == []


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m <args>` in the project's root."""
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=170
    )


def test_the_core_passes_strict_type_checking():
    result = run_tool("mypy", "--strict", "src/blogtui/core")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_rest_passes_type_checking():
    # pyproject.toml's [tool.mypy]: default settings, the core's strict ones for blogtui.core.
    result = run_tool("mypy", "src/blogtui")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_passes():
    result = run_tool("ruff", "check", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr
