"""Credentials: private storage, and never sent where they could leak."""

from __future__ import annotations

import logging
import os
import stat
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from blogtui.core.posting.credentials import (
    Credential,
    CredentialError,
    CredentialStore,
    Secret,
    check_destination,
)
from blogtui.core.posting.rest import REDIRECTED, RestPoster

PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"


@pytest.fixture
def creds(tmp_path) -> CredentialStore:
    return CredentialStore(tmp_path / "secrets", use_keyring=False)


def test_file_fallback_is_private(creds):
    creds.set("https://blog.example/2024/post/", "anna", PASSWORD)
    assert stat.S_IMODE(creds.dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(creds.path.stat().st_mode) == 0o600
    found = creds.get("https://blog.example/other")
    assert found is not None and found.user == "anna" and found.password.reveal() == PASSWORD
    assert "not encrypted" in creds.warning
    creds.delete("https://blog.example")
    assert creds.get("https://blog.example") is None


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_readable_secrets_file_is_refused(creds, mode):
    creds.set("https://blog.example", "anna", PASSWORD)
    os.chmod(creds.path, mode)
    with pytest.raises(CredentialError) as caught:
        creds.get("https://blog.example")
    assert f"{mode:04o}" in caught.value.message and "chmod 600" in caught.value.message
    assert PASSWORD not in caught.value.message


def test_secret_never_shows():
    secret = Secret(PASSWORD)
    credential = Credential("anna", secret)
    for shown in (str(secret), repr(secret), f"{secret}", "%s" % secret, repr(credential)):  # noqa: UP031
        assert PASSWORD not in shown
    assert str(secret) == "***"


@pytest.mark.parametrize(
    "url",
    [
        "http://blog.example/wp-json/",
        "http://localhost:8080/wp-json/",
        "http://10.0.0.1/wp-json/",
        "https://anna:pw@blog.example/wp-json/",
        "http://user@127.0.0.1/wp-json/",
        "ftp://blog.example/",
    ],
)
def test_unsafe_destinations_are_refused(url):
    with pytest.raises(CredentialError):
        check_destination(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://blog.example/wp-json/",
        "http://127.0.0.1:8089/",
        "http://127.5.6.7/",
        "http://[::1]:80/",
    ],
)
def test_safe_destinations(url):
    check_destination(url)


class _Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []
    location = ""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("Authorization", "")))
        if self.path.startswith("/redirect") and self.location:
            self.send_response(302)
            self.send_header("Location", self.location)
        else:
            self.send_response(401)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def recorder() -> Iterator[tuple[str, type[_Recorder]]]:
    handler = type("Handler", (_Recorder,), {"seen": [], "location": ""})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


async def test_not_sent_after_a_redirect(recorder, caplog):
    base, handler = recorder
    handler.location = f"{base}/elsewhere"
    poster = RestPoster(Credential("anna", Secret(PASSWORD)))
    caplog.set_level(logging.DEBUG)
    async with httpx.AsyncClient() as client:
        outcome = await poster.check_credential(client, f"{base}/redirect/")
    assert outcome is not None and outcome.message == REDIRECTED
    assert [path for path, _ in handler.seen] == ["/redirect/wp/v2/users/me"]
    assert handler.seen[0][1].startswith("Basic ")
    assert PASSWORD not in caplog.text and "abcdEFGH" not in caplog.text


async def test_never_sent_over_plain_http_to_a_remote_host():
    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda request: seen.append(request) or httpx.Response(200))
    poster = RestPoster(Credential("anna", Secret(PASSWORD)))
    async with httpx.AsyncClient(transport=transport) as client:
        for url in ("http://blog.example/wp-json/", "https://a:b@blog.example/wp-json/"):
            with pytest.raises(CredentialError) as caught:
                await poster.request(client, "GET", url)
            assert PASSWORD not in str(caught.value)
    assert seen == []


async def test_wrong_password_message(recorder):
    base, handler = recorder
    poster = RestPoster(Credential("anna", Secret(PASSWORD)))
    async with httpx.AsyncClient() as client:
        outcome = await poster.check_credential(client, f"{base}/wp-json/")
    assert outcome is not None and outcome.state == "rejected"
    assert "application passwords unavailable" in outcome.message
    assert PASSWORD not in repr(outcome)


class MemoryKeyring:
    """A stand-in for the optional `keyring` module (not installed here): its module-level API
    (get_keyring, get/set/delete_password) over a dict, with a backend priority."""

    def __init__(self, priority: float = 1.0) -> None:
        self.priority = priority
        self.items: dict[tuple[str, str], str] = {}

    def get_keyring(self) -> MemoryKeyring:
        return self

    def get_password(self, service: str, name: str) -> str | None:
        return self.items.get((service, name))

    def set_password(self, service: str, name: str, value: str) -> None:
        self.items[(service, name)] = value

    def delete_password(self, service: str, name: str) -> None:
        if (service, name) not in self.items:
            raise KeyError(name)  # keyring raises PasswordDeleteError
        del self.items[(service, name)]


def test_keyring_holds_credentials_when_it_has_a_usable_backend(tmp_path, monkeypatch):
    from blogtui.core.posting.credentials import SERVICE

    ring = MemoryKeyring()
    monkeypatch.setitem(sys.modules, "keyring", ring)
    store = CredentialStore(tmp_path / "secrets")
    assert store.keyring is ring and store.warning == ""
    store.set("https://Blog.Example/2024/post/", "anna", PASSWORD)
    assert list(ring.items) == [(SERVICE, "https://blog.example")]
    assert not store.path.exists()  # nothing on disk
    found = store.get("https://blog.example/other")
    assert found is not None and found.user == "anna" and found.password.reveal() == PASSWORD
    store.delete("https://blog.example")
    store.delete("https://blog.example")  # nothing stored any more: fine
    assert ring.items == {} and store.get("https://blog.example") is None


@pytest.mark.parametrize("broken", ["no backend", "import fails"])
def test_without_a_usable_keyring_the_private_file_is_used(tmp_path, monkeypatch, broken):
    if broken == "no backend":
        monkeypatch.setitem(sys.modules, "keyring", MemoryKeyring(priority=0))
    else:
        monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring -> ImportError
    store = CredentialStore(tmp_path / "secrets")
    assert store.keyring is None and "not encrypted" in store.warning
    store.set("https://blog.example", "anna", PASSWORD)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_feed_logins_are_kept_per_origin_under_keys_of_their_own(tmp_path):
    from blogtui.core.feeds.logins import FeedLogins, split_login

    posting = CredentialStore(tmp_path / "secrets", use_keyring=False)
    posting.set("https://blog.example", "poster", PASSWORD)
    logins = FeedLogins(tmp_path / "secrets", use_keyring=False)
    clean, login = split_login("https://reader:pw%40x@Blog.Example/feed")
    assert clean == "https://Blog.Example/feed" and login is not None
    assert login.credential.user == "reader" and login.credential.password.reveal() == "pw@x"
    logins.save(login)
    found = logins.get("https://blog.example:443/other/feed")
    assert found is not None and found.credential.user == "reader"
    assert logins.get("http://blog.example/feed") is None  # another scheme: another origin
    assert logins.get("https://blog.example:8443/feed") is None
    assert posting.get("https://blog.example").user == "poster"  # posting's key untouched
    logins.forget("https://blog.example/feed")
    assert logins.get("https://blog.example/feed") is None and posting.get("https://blog.example")
    assert stat.S_IMODE(posting.path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("url", "sent"),
    [
        ("https://blog.example/feed", True),
        ("https://blog.example:443/other", True),
        ("http://blog.example/feed", False),
        ("https://www.blog.example/feed", False),
        ("https://blog.example:8443/feed", False),
    ],
)
def test_a_feed_login_goes_only_to_its_origin(url, sent):
    from blogtui.core.feeds.logins import split_login

    _, login = split_login("https://u:p@blog.example/feed")
    assert login is not None and login.may_send_to(url) is sent


def test_loopback_literals_may_take_a_login_over_http_names_may_not():
    from blogtui.core.feeds.logins import split_login

    for url, sent in [("http://127.0.0.1:8080/f", True), ("http://[::1]:8080/f", True)]:
        _, login = split_login(url.replace("//", "//u:p@"))
        assert login is not None and login.may_send_to(url) is sent
    _, named = split_login("http://u:p@localhost:8080/f")
    assert named is not None and not named.may_send_to("http://localhost:8080/f")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("cannot fetch https://u:p@h.example/x: boom", "cannot fetch https://h.example/x: boom"),
        ("see http://u:p@ss@h.example/ and ftp://a@b/", "see http://h.example/ and ftp://b/"),
        ("HTTPS://TOKEN@h.example", "HTTPS://h.example"),
        ("mail me@h.example", "mail me@h.example"),
        ("https://medium.example/@anna/feed?to=a@b", "https://medium.example/@anna/feed?to=a@b"),
    ],
)
def test_redact_drops_userinfo_from_any_url_in_a_text(text, shown):
    from blogtui.core.feeds.logins import redact

    assert redact(text) == shown
