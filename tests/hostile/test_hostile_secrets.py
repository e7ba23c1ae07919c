"""A stored Application Password never leaks: not to plain http, not to user:password@ URLs, not
after a redirect, and never into logs, exceptions, the outbox or the CLI's output.

Runs the whole pipeline: the credential is stored with CredentialStore (file backend in a private
home), a draft is queued, and the outbox is sent by `python -m blogtui send` (a subprocess) and
by `send_pending` in this process with every logger captured at DEBUG. Servers run on 127.0.0.1
and record every request's Authorization header. The plain-http case uses a host name that must
never be resolved, so it goes through an httpx transport that records requests instead.
"""

from __future__ import annotations

import base64
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from blogtui.core.config import Identity
from blogtui.core.drafts.store import Draft, DraftStore
from blogtui.core.feeds.client import make_client
from blogtui.core.paths import Places, places
from blogtui.core.posting import poster_chooser, queue_reply, send_pending
from blogtui.core.posting.base import ReplyRequest
from blogtui.core.posting.credentials import CredentialError, CredentialStore, check_destination
from blogtui.core.posting.rest import REDIRECTED, RestPoster
from blogtui.core.store import Store

USER = "anna"
PASSWORD = "Zq7v Kp2m Xw9r Lt4b Hn6c Jd8f"
"""A WordPress Application Password (spaces are part of how WordPress shows it)."""
SQUEEZED = PASSWORD.replace(" ", "")
BASIC = base64.b64encode(f"{USER}:{SQUEEZED}".encode()).decode("ascii")
FORBIDDEN = (PASSWORD, SQUEEZED, BASIC, "Kp2m", "Xw9rLt4b")
"""The secret in every shape it could leak in (whole, squeezed, as the Basic header, parts)."""
ME = Identity("Jörg Müller", "joerg@example.org", "https://joerg.example.org")
REMOTE = "blog.invalid"
"""A name that must never be looked up (.invalid is reserved; nothing may resolve it)."""


def assert_no_secret(text: str, where: str) -> None:
    """`text` carries the password in none of its shapes."""
    for shape in FORBIDDEN:
        assert shape not in text, f"the secret ({shape!r}) leaked into {where}: {text[:500]!r}"


def assert_home_clean(home: Path) -> None:
    """No file in the home but the credentials file holds the secret (database, drafts, logs)."""
    for path in home.rglob("*"):
        if path.is_file() and path.name != "credentials.json":
            data = path.read_bytes()
            for shape in FORBIDDEN:
                assert shape.encode() not in data, f"the secret ({shape!r}) is in {path}"


def page(root: str, post_url: str) -> bytes:
    """An article page advertising its REST root and post id, as WordPress does."""
    return (
        "<!doctype html><html><head><title>Hallo</title>"
        f'<link rel="https://api.w.org/" href="{root}">'
        f'<link rel="shortlink" href="{post_url}?p=42">'
        "</head><body><p>Ein Beitrag</p></body></html>"
    ).encode()


@dataclass
class Seen:
    """One request a recording server received."""

    method: str
    path: str
    authorization: str


@dataclass
class Recorder:
    """A 127.0.0.1 server answering by a function of (method, path); records every request."""

    answer: Callable[[str, str], tuple[int, dict[str, str], bytes]]
    seen: list[Seen] = field(default_factory=list)
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def recorder() -> Iterator[
    Callable[[Callable[[str, str], tuple[int, dict[str, str], bytes]]], Recorder]
]:
    """Start recording servers on 127.0.0.1 (stopped afterwards)."""
    servers: list[ThreadingHTTPServer] = []

    def start(answer: Callable[[str, str], tuple[int, dict[str, str], bytes]]) -> Recorder:
        made = Recorder(answer)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                made.seen.append(
                    Seen(self.command, self.path, self.headers.get("Authorization", ""))
                )
                status, headers, body = made.answer(self.command, self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _handle  # noqa: N815 - http.server's names

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        made.port = server.server_address[1]
        servers.append(server)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return made

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def prepare(home: Places, article_url: str, credential_site: str) -> Draft:
    """Store the credential, and a draft replying to `article_url` queued in the outbox."""
    CredentialStore(home.secrets_dir, use_keyring=False).set(credential_site, USER, PASSWORD)
    store = Store(home.database)
    try:
        drafts = DraftStore(home.drafts_dir)
        draft = drafts.new(blog="hostile", article_url=article_url, article_title="Hallo",
                           identity=ME, text="Danke für den Beitrag!")  # fmt: skip
        queue_reply(store, drafts, draft, None)
    finally:
        store.close()
    return draft


def cli(home: Places, *args: str, module: bool = False) -> str:
    """Run blogtui (`python -m blogtui` when `module`) in the home; stdout and stderr."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(BLOGTUI_HOME=str(root_of(home)), NO_COLOR="1", LANG="C.UTF-8")
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    command = [sys.executable, "-m", "blogtui", *args] if module else ["blogtui", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    return output


async def send_here(home: Places, draft: Draft, client: httpx.AsyncClient) -> str:
    """Re-queue the draft and send the outbox in this process; the outbox's last_error."""
    store = Store(home.database)
    try:
        store.update_reply(draft.id, state="queued", next_attempt=None)
        drafts = DraftStore(home.drafts_dir)
        results = await send_pending(
            store, drafts, client, poster_for=poster_chooser(store, home.secrets_dir)
        )
        assert len(results) == 1, results
        for result in results:
            assert_no_secret(repr(result), "a SendResult")
        item = store.outbox_item(draft.id)
        assert item is not None
        assert item.state not in ("posted", "held"), item
        assert_no_secret(repr(item), "the outbox row")
        return item.last_error
    finally:
        store.close()


@pytest.fixture
def private_home(tmp_path: Path) -> Places:
    return places(tmp_path / "home")


def root_of(home: Places) -> Path:
    """The BLOGTUI_HOME directory the Places were made from."""
    return home.config_dir.parent


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger at DEBUG (httpx and httpcore log request lines and headers there)."""
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "blogtui", "asyncio", ""):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


# --- (a) plain http to a remote name: refused before any connection ----------------------------


async def test_plain_http_remote_refused_before_any_request(
    private_home: Places, debug_logs: pytest.LogCaptureFixture
) -> None:
    seen: list[httpx.Request] = []
    root = f"http://{REMOTE}/wp-json/"
    article = f"http://{REMOTE}/2024/hallo/"

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/2024/hallo/":
            body = page(root, f"http://{REMOTE}/")
            headers = {"Content-Type": "text/html; charset=utf-8"}
            return httpx.Response(200, headers=headers, stream=httpx.ByteStream(body))
        return httpx.Response(200, stream=httpx.ByteStream(b'{"id": 1}'))

    draft = prepare(private_home, article, f"http://{REMOTE}")
    credential = CredentialStore(private_home.secrets_dir, use_keyring=False).get(article)
    assert credential is not None and credential.password.reveal() == PASSWORD

    # With the REST root known, the poster refuses before a single request.
    poster = RestPoster(credential)
    reply = ReplyRequest(f"{article}?p=42", "", "Danke", ME, post_id="42", api_root=root)
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        outcome = await poster.post(client, reply)
    assert seen == [], [str(r.url) for r in seen]
    assert outcome.state == "unavailable" and "https" in outcome.message
    with pytest.raises(CredentialError) as caught:
        check_destination(root)
    for shown in (str(caught.value), repr(caught.value), caught.value.message, repr(outcome)):
        assert_no_secret(shown, "the refusal")

    # Through the outbox: the page is read (no credential), the REST API never touched.
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        last_error = await send_here(private_home, draft, client)
    assert [r.url.path for r in seen] == ["/2024/hallo/"], [str(r.url) for r in seen]
    assert all("authorization" not in r.headers for r in seen)
    assert "https" in last_error
    assert_no_secret(last_error, "the outbox's last_error")
    assert_no_secret(debug_logs.text, "the log")
    assert_no_secret(cli(private_home, "drafts"), "`blogtui drafts`")
    assert_home_clean(root_of(private_home))


# --- (b) user:password@ URLs, (c) redirects: against recording servers on 127.0.0.1 -----------


def answers(case: str, base: str) -> Callable[[str, str], tuple[int, dict[str, str], bytes]]:
    """The recording server's behaviour for one case."""
    host = base.removeprefix("http://")
    html = {"Content-Type": "text/html; charset=utf-8"}
    as_json = {"Content-Type": "application/json"}
    roots = {
        "root_with_userinfo": f"http://{USER}:pw@{host}/wp-json/",
        "article_with_userinfo": "/wp-json/",
    }
    root = roots.get(case, f"{base}/wp-json/")

    def answer(method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        if path.startswith("/post/"):
            return 200, html, page(root, f"{base}/")
        if path.startswith("/wp-json/wp/v2/users/me"):
            if case == "redirect_path":
                return 302, {"Location": "/elsewhere/wp/v2/users/me"}, b""
            if case == "redirect_host":
                return 307, {"Location": f"http://localhost:{host.split(':')[1]}/stolen"}, b""
            return 200, as_json, b'{"id": 7, "name": "anna"}'
        if path.startswith("/wp-json/wp/v2/comments") and method == "POST":
            return 307, {"Location": "/elsewhere/wp/v2/comments"}, b""
        return 404, as_json, b'{"code": "rest_no_route"}'

    return answer


CASES = [
    "root_with_userinfo",  # the page advertises http://user:pw@127.0.0.1:PORT/wp-json/
    "article_with_userinfo",  # the article itself is at http://user:pw@127.0.0.1:PORT/
    "redirect_path",  # users/me redirects to another path
    "redirect_host",  # users/me redirects to another host name
    "redirect_post",  # users/me is fine; the POST of the comment is redirected
]


@pytest.mark.parametrize("case", CASES)
async def test_credential_never_leaks(
    case: str, recorder, private_home: Places, debug_logs: pytest.LogCaptureFixture
) -> None:
    server = recorder(lambda method, path: (500, {}, b""))
    server.answer = answers(case, server.base)
    host = server.base.removeprefix("http://")
    article = (
        f"http://{USER}:pw@{host}/post/hallo/"
        if case == "article_with_userinfo"
        else f"{server.base}/post/hallo/"
    )
    draft = prepare(private_home, article, article)

    sent = cli(private_home, "send", module=True)
    assert draft.id in sent, sent
    assert_no_secret(sent, "`python -m blogtui send`")
    first = len(server.seen)
    assert first > 0, "the CLI never reached the server"

    async with make_client(4, trust_env=False) as client:
        last_error = await send_here(private_home, draft, client)
    assert last_error
    assert_no_secret(last_error, "the outbox's last_error")
    assert_no_secret(debug_logs.text, "the log")
    assert_no_secret(cli(private_home, "drafts"), "`blogtui drafts`")
    assert_home_clean(root_of(private_home))
    # Both passes made the same requests: the outcome does not depend on the process.
    assert [(s.method, s.path) for s in server.seen[:first]] == [
        (s.method, s.path) for s in server.seen[first:]
    ]

    with_secret = [s for s in server.seen if s.authorization == f"Basic {BASIC}"]
    paths = [s.path for s in server.seen]
    assert not any(p.startswith(("/elsewhere", "/stolen")) for p in paths), paths
    if case.endswith("userinfo"):
        assert with_secret == [], server.seen
        assert not any(p.startswith("/wp-json/wp/v2/users") for p in paths), paths
        assert "user:password" in last_error
    else:
        # Sent once per pass to the one URL it was meant for, then the redirect is not followed.
        expected = "/wp-json/wp/v2/comments" if case == "redirect_post" else "/wp-json/wp/v2/users"
        assert [s.path.startswith(expected) for s in with_secret][-1]
        assert all(s.path.startswith("/wp-json/wp/v2/") for s in with_secret), with_secret
        assert last_error == REDIRECTED
    for seen in server.seen:
        if seen.authorization and seen.authorization != f"Basic {BASIC}":
            # Only the URL's own user:pw (httpx sends userinfo as Basic auth), never our secret.
            decoded = base64.b64decode(seen.authorization.split()[-1]).decode()
            assert_no_secret(decoded, "an Authorization header")
