"""Real IndieWeb servers from PyPI on 127.0.0.1, installed by `.ci/webmention.sh install` into a
venv of their own, started for this directory's tests and stopped after: the Webmention receiver
of `webmentions` (receiver_app.py) and the Micropub endpoint of `django-indieweb`
(micropub_app.py).

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
MICROPUB_APP = Path(__file__).with_name("micropub_app.py")
MICROPUB_TOKEN = "indieweb-token-7f3a9c"
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
    check = subprocess.run([str(python), "-c", "import webmentions, flask, django, indieweb"],
                           capture_output=True, check=False)  # fmt: skip
    return "" if check.returncode == 0 else f"the servers are not importable in {VENV}"


def _serve(app: Path, state: Path, *args: str, port: int = 0) -> Iterator[str]:
    """Run `app` with the venv's Python on `port` (else a free one); its origin while it runs."""
    missing = _missing()
    if missing:
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"the IndieWeb servers are missing ({missing}): {HINT}")
        pytest.skip(f"the IndieWeb servers are missing ({missing}): {HINT}")
    port = port or _free_port()
    log = (state / f"{app.stem}.log").open("ab")
    process = subprocess.Popen([str(VENV / "bin" / "python"), str(app), str(port), *args],
                               stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        origin = f"http://127.0.0.1:{port}"
        _wait_until_up(origin, process)
        yield origin
    finally:
        process.terminate()
        process.wait(10)
        log.close()


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Receiver]:
    """The receiver on a free 127.0.0.1 port, with a fresh database."""
    state = tmp_path_factory.mktemp("webmentions")
    for origin in _serve(APP, state, str(state / "mentions.db")):
        yield Receiver(origin)


class RestartableReceiver:
    """A receiver that is stopped and started again on the same port with the same database
    (the blog's site down for a while); `posts_received` counts the Webmentions it was sent."""

    def __init__(self, state: Path) -> None:
        self.state, self.port = state, _free_port()
        self.receiver = Receiver(f"http://127.0.0.1:{self.port}")
        self._running: Iterator[str] | None = None

    def start(self) -> Receiver:
        self._running = _serve(APP, self.state, str(self.state / "mentions.db"), port=self.port)
        next(self._running)
        return self.receiver

    def stop(self) -> None:
        if self._running is not None:
            self._running.close()
            self._running = None

    def posts_received(self) -> int:
        """How many `POST /webmentions` its request log shows (werkzeug logs each one)."""
        log = (self.state / f"{APP.stem}.log").read_text("utf-8", errors="replace")
        return log.count('"POST /webmentions ')


@pytest.fixture
def restartable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestartableReceiver]:
    """A receiver of its own for one test, not started yet."""
    server = RestartableReceiver(tmp_path_factory.mktemp("restartable"))
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class MicropubSite:
    """The user's own site: its Micropub endpoint and the token for it."""

    origin: str
    token: str = MICROPUB_TOKEN

    @property
    def endpoint(self) -> str:
        return f"{self.origin}/indieweb/micropub/"


def _micropub(tmp_path_factory: pytest.TempPathFactory, scope: str) -> Iterator[MicropubSite]:
    state = tmp_path_factory.mktemp("micropub")
    for origin in _serve(MICROPUB_APP, state, str(state), MICROPUB_TOKEN, scope):
        yield MicropubSite(origin)


@pytest.fixture(scope="module")
def micropub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MicropubSite]:
    """django-indieweb's Micropub endpoint, its token allowed to create and to look up."""
    yield from _micropub(tmp_path_factory, "create update")


@pytest.fixture(scope="module")
def micropub_create_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MicropubSite]:
    """The same endpoint with a token that may only create (no `q=source` answers)."""
    yield from _micropub(tmp_path_factory, "create")


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
