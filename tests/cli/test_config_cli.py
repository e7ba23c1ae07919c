"""The CLI and config.toml: warnings on stderr (the command still runs), type errors exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from blogtui.core.config import GENERAL, SCHEMA


def blogtui(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BLOGTUI_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "blogtui", *args],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip


def write_config(home: Path, text: str) -> Path:
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_keys_warn_on_stderr_and_the_command_runs(tmp_path):
    path = write_config(tmp_path, "[general]\nconcurency = 4\n[colours]\nfg = 'red'\n")
    done = blogtui(tmp_path, "refresh")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("No feeds to refresh.")
    known, sections = ", ".join(GENERAL), ", ".join(f"[{name}]" for name in SCHEMA)
    assert done.stderr.splitlines() == [
        f'blogtui: warning: {path}: [general] unknown key "concurency" (did you mean'
        f" concurrency? known: {known})",
        f'blogtui: warning: {path}: unknown section "colours" (known: {sections})',
    ]


def test_a_wrong_type_names_file_key_and_type_and_exits_2(tmp_path):
    path = write_config(tmp_path, '[general]\nconcurrency = "many"\n')
    done = blogtui(tmp_path, "refresh")
    assert done.returncode == 2
    assert (
        done.stderr == f'blogtui: {path}: [general] concurrency must be an integer (got "many")\n'
    )
