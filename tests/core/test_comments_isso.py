"""Isso: a real isso server (PyPI `isso`) on 127.0.0.1 with a temporary SQLite database."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from blogtui.core.comments import find_thread
from blogtui.core.comments.tree import build_tree, flatten
from blogtui.core.feeds.client import make_client
from blogtui.core.models import Article

LAUNCH = "import sys; from isso import main; sys.argv[0] = 'isso'; sys.exit(main())"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_isso() -> None:
    if importlib.util.find_spec("isso") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the isso package is not installed (it is in the test extras)")
        pytest.skip("isso is not installed: pip install isso")


@pytest.fixture(scope="module")
def isso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running isso server; yields its base URL (with a trailing slash)."""
    require_isso()
    home = tmp_path_factory.mktemp("isso")
    port = free_port()
    config = home / "isso.cfg"
    config.write_text(
        f"[general]\ndbpath = {home / 'comments.db'}\nhost = http://127.0.0.1:{port}/\n"
        f"[server]\nlisten = http://127.0.0.1:{port}\n"
        "[moderation]\nenabled = false\n[guard]\nenabled = false\n",
        encoding="utf-8",
    )
    log = (home / "isso.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "-c", str(config), "run"], stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base, process, home / "isso.log")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_for(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"isso exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(base + "?uri=/probe", timeout=2).status_code in (200, 404):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"isso did not start: {log.read_text(errors='replace')[-2000:]}")


def post_comment(
    base: str, uri: str, text: str, author: str, parent: int | None = None, email: str = ""
) -> int:
    body = {"text": text, "author": author, "title": "Test post", "parent": parent}
    if email:
        body["email"] = email
    response = httpx.post(base + "new", params={"uri": uri}, json=body, timeout=10)
    assert response.status_code in (201, 202), response.text
    return int(response.json()["id"])


@pytest.fixture
def page_server() -> Iterator[tuple[str, dict[str, bytes]]]:
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            body = pages.get(self.path.split("?")[0])
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


def article(link: str) -> Article:
    return Article(id=0, feed_id=0, key=link, title="", author="", link=link, published=None,
                   updated=None, content="", read=False)  # fmt: skip


async def test_thread_from_a_real_isso(isso: str, page_server) -> None:
    base, pages = page_server
    uri = "/2024/hello-isso/"
    first = post_comment(isso, uri, "First! **bold**", "Ann")
    reply = post_comment(isso, uri, "A reply", "Ben", first)
    deeper = post_comment(isso, uri, "Reply to the reply", "Cy", reply)
    other = post_comment(isso, uri, "Another thread", "")
    pages["/hello/"] = (
        f'<html><head><script data-isso="{isso}" src="{isso}js/embed.min.js"></script></head>'
        f'<body><section id="isso-thread" data-isso-id="{uri}"></section></body></html>'
    ).encode()
    async with make_client(4) as client:
        found = await find_thread(client, article(base + "/hello/"), deadline=20)
    assert found.provider == "isso" and not found.thread.partial
    comments = {c.key: c for c in found.thread.comments}
    assert set(comments) == {str(first), str(reply), str(deeper), str(other)}
    # Isso keeps one level of nesting: a reply to a reply hangs under the top comment.
    api = httpx.get(isso, params={"uri": uri}, timeout=10).json()
    expected = {str(c["id"]): "" for c in api["replies"]}
    expected |= {str(r["id"]): str(c["id"]) for c in api["replies"] for r in c["replies"]}
    assert {key: c.parent_key for key, c in comments.items()} == expected
    assert (
        comments[str(first)].author == "Ann"
        and "<strong>bold</strong>" in comments[str(first)].content
    )
    assert comments[str(first)].published is not None
    shape = [(n.comment.key, d) for n, d in flatten(build_tree(found.thread.comments))]
    assert shape[0] == (str(first), 0) and shape[-1] == (str(other), 0)


async def test_page_path_is_the_thread_without_an_id(isso: str, page_server) -> None:
    base, pages = page_server
    post_comment(isso, "/plain/", "On the path thread", "Dee")
    pages["/plain/"] = (
        f'<html><head><script src="{isso}js/embed.min.js"></script></head></html>'.encode()
    )
    async with make_client(4) as client:
        found = await find_thread(client, article(base + "/plain/"), deadline=20)
    assert found.provider == "isso"
    assert [c.author for c in found.thread.comments] == ["Dee"]


async def test_an_empty_thread(isso: str, page_server) -> None:
    base, pages = page_server
    pages["/empty/"] = f'<html><head><script data-isso="{isso}"></script></head></html>'.encode()
    async with make_client(4) as client:
        found = await find_thread(client, article(base + "/empty/"), deadline=20)
    assert found.provider == "isso" and found.thread.comments == []


async def test_isso_hash_is_the_identity_never_the_address(isso: str, page_server) -> None:
    base, pages = page_server
    uri = "/who/"
    ann = post_comment(isso, uri, "One", "Ann", email="ann@example.org")
    again = post_comment(isso, uri, "Two", "Ann\u200b", email="ann@example.org")
    other = post_comment(isso, uri, "Three", "Ann", email="someone@example.net")
    pages["/who/"] = f'<html><head><script data-isso="{isso}"></script></head></html>'.encode()
    async with make_client(4) as client:
        found = await find_thread(client, article(base + "/who/"), deadline=20)
    keys = {c.key: c.author_key for c in found.thread.comments}
    assert keys[str(ann)].startswith("isso:") and keys[str(ann)] == keys[str(again)]
    assert keys[str(other)].startswith("isso:") and keys[str(other)] != keys[str(ann)]
    assert found.thread.post_author_key == ""  # Isso knows no post author
    assert not any("example" in c.author_key for c in found.thread.comments)
