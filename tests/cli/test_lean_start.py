"""The `blogtui` command keeps modules it never uses out of its process (cli/lean.py), and its
HTTP still works without them."""

from __future__ import annotations

import subprocess
import sys

from feedserver import FeedServer

PROBE = """
import asyncio, sys
from blogtui.cli.lean import skip_unused
skip_unused()
from blogtui.core.feeds.client import make_client
async def get():
    async with make_client(2) as client:
        return (await client.get(sys.argv[1])).text
print(asyncio.run(get()))
print(sorted({m.split(".")[0] for m in sys.modules if sys.modules[m] is not None}
             & {"trio", "click", "pygments"}), "httpx._main" in sys.modules)
"""


def test_http_works_without_the_unused_modules(feed_server: FeedServer):
    url = feed_server.route("/gruesse", body="Grüße aus Köln".encode())
    done = subprocess.run([sys.executable, "-c", PROBE, url], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    answer, loaded = done.stdout.splitlines()
    assert answer == "Grüße aus Köln"
    assert loaded == "[] True"  # marked absent, never imported


def test_the_command_runs_with_them_kept_out(tmp_path):
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "blogtui", "--home", str(tmp_path), "sync"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-500:]
    assert "no accounts to sync" in done.stdout
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert not {"click", "pygments", "rich.console"} & imported
