"""The built wheel carries the styles; the styles are found from a checkout too."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.missing import missing

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_styles_and_console_script(tmp_path):
    if (
        shutil.which("hatchling") is None
        and subprocess.run(
            [sys.executable, "-c", "import hatchling"], capture_output=True
        ).returncode
    ):
        message = "hatchling is not installed (the [test] extra brings it)"
        missing(message)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True,
    )  # fmt: skip
    wheel = next(tmp_path.glob("blogtui-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    styles = {Path(n).name for n in names if n.startswith("blogtui/styles/")}
    assert {"base.tcss", "main.tcss", "dialogs.tcss"} <= styles
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "blogtui = blogtui.cli:entry" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_styles_dir_is_found_from_the_checkout():
    from blogtui.ui.styles import styles_dir

    assert (styles_dir() / "base.tcss").is_file()
