"""The real Webmention receiver (`webmentions` from PyPI, installed by `.ci/webmention.sh install`
into a venv of its own) on 127.0.0.1, started for this directory's tests and stopped after.

Without that venv the tests skip on a developer's machine and fail under CI=true."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

VENV = Path(os.environ.get("WM_VENV") or "/opt/blogtui-webmentions")
APP = Path(__file__).with_name("receiver_app.py")
HINT = "bash .ci/webmention.sh install"


@dataclass(frozen=True)
class Receiver:
    """The running blog: its origin and its Webmention endpoint."""

    origin: str

    @property
    def endpoint(self) -> str:
        return f"{self.origin}/webmentions"

    def article(self, slug: str) -> str:
        return f"{self.origin}/articles/{slug}"

    def stored(self, url: str) -> list[dict[str, object]]:
        """What the receiver itself lists for `url`."""
        answer = httpx.get(self.endpoint, params={"resource": url, "direction": "incoming"})
        answer.raise_for_status()
        data = answer.json()
        assert isinstance(data, list)
        return data


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _missing() -> str:
    python = VENV / "bin" / "python"
    if not python.exists():
        return f"{python} does not exist"
    check = subprocess.run([str(python), "-c", "import webmentions, flask, sqlalchemy"],
                           capture_output=True, check=False)  # fmt: skip
    return "" if check.returncode == 0 else f"webmentions is not importable in {VENV}"


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Receiver]:
    """The receiver on a free 127.0.0.1 port, with a fresh database."""
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"the Webmention receiver is missing ({missing}): {HINT}")
        pytest.skip(f"the Webmention receiver is missing ({missing}): {HINT}")
    port = _free_port()
    database = tmp_path_factory.mktemp("webmentions") / "mentions.db"
    log = (database.parent / "receiver.log").open("wb")
    process = subprocess.Popen([str(VENV / "bin" / "python"), str(APP), str(port), str(database)],
                               stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        origin = f"http://127.0.0.1:{port}"
        _wait_until_up(origin, process)
        yield Receiver(origin)
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def _wait_until_up(origin: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"the Webmention receiver exited with {process.returncode}")
        try:
            if httpx.get(f"{origin}/alive", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the Webmention receiver did not answer within 30 s")
