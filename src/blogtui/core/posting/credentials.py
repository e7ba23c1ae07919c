"""Credentials for posting with an account (WordPress Application Passwords) and feed logins.

They live in the system keyring when the optional `keyring` module is installed and has a usable
backend; otherwise in `credentials.json` (mode 0600) inside `Places.secrets_dir` (mode 0700),
with a warning. A secrets file that group or others can read is refused. Feed logins
(core/feeds/logins.py) are kept here too, under keys of their own.

Credentials go only to https URLs or to a literal loopback address (127.0.0.0/8, ::1; the name
"localhost" is not trusted since it can be mapped anywhere), never to a URL carrying
`user:password@`, and never after a redirect. The password is a `Secret`, shown as "***".
"""

from __future__ import annotations

import base64
import ipaddress
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from blogtui.core.errors import BlogtuiError

SERVICE = "blogtui"
FILE_NAME = "credentials.json"
FILE_WARNING = (
    "no usable system keyring: credentials are kept in {path} (readable only by you, but not"
    " encrypted)"
)


class CredentialError(BlogtuiError):
    """Credentials could not be stored, read or used safely."""

    title = "Credentials"


class Secret(str):
    """A string that never shows itself: str(), repr() and format() give "***"."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'***'"

    def __str__(self) -> str:
        return "***"

    def __format__(self, spec: str) -> str:
        return "***"

    def reveal(self) -> str:
        """The real value, for the one place that sends it."""
        return str.__str__(self)


@dataclass(frozen=True, slots=True)
class Credential:
    """A user name and its (application) password for one site."""

    user: str
    password: Secret

    def authorization(self) -> str:
        """The HTTP Basic `Authorization` header value."""
        raw = f"{self.user}:{self.password.reveal().replace(' ', '')}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")


def is_loopback_literal(host: str) -> bool:
    """True for a literal loopback address (127.0.0.0/8 or ::1), never for a name."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_destination(url: str) -> None:
    """Raise CredentialError unless credentials may be sent to `url`."""
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise CredentialError("credentials are never sent to a URL containing user:password@")
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if scheme == "https" and host:
        return
    if scheme == "http" and is_loopback_literal(host):
        return
    raise CredentialError(
        f"credentials are sent only over https (or to a loopback address), not to {scheme}://{host}"
    )


def site_key(url: str) -> str:
    """`scheme://host[:port]` of a URL, lowercased: what credentials are stored under."""
    parts = urlsplit(url or "")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}" if parts.netloc else ""


def _usable_keyring() -> Any:
    """The keyring module when it exists and has a working backend, else None."""
    try:
        import keyring  # type: ignore[import-not-found]  # optional, not a dependency
    except Exception:  # noqa: BLE001 - any import failure means "no keyring"
        return None
    try:
        backend = keyring.get_keyring()
        if float(getattr(backend, "priority", 0)) <= 0:
            return None
    except Exception:  # noqa: BLE001
        return None
    return keyring


class CredentialStore:
    """Credentials per site, in the keyring or a private file."""

    def __init__(self, secrets_dir: Path, *, use_keyring: bool = True) -> None:
        self.dir = Path(secrets_dir)
        self.keyring = _usable_keyring() if use_keyring else None

    @property
    def path(self) -> Path:
        """The fallback file."""
        return self.dir / FILE_NAME

    @property
    def warning(self) -> str:
        """What to tell the user about where credentials are kept ("" with a keyring)."""
        return "" if self.keyring else FILE_WARNING.format(path=self.path)

    def get(self, site: str) -> Credential | None:
        """The credential stored for `site` (any URL of it), or None."""
        return self.get_entry(site_key(site) or site)

    def set(self, site: str, user: str, password: str) -> None:
        """Store `user` and `password` for `site`."""
        self.set_entry(site_key(site) or site, user, password)

    def delete(self, site: str) -> None:
        """Forget the credential of `site`."""
        self.delete_entry(site_key(site) or site)

    def get_entry(self, key: str) -> Credential | None:
        """The credential stored under `key` exactly (feed logins use their own keys), or None."""
        if self.keyring is not None:
            return _decode(self.keyring.get_password(SERVICE, key))
        entry = self._read().get(key)
        return _decode(json.dumps(entry)) if entry else None

    def set_entry(self, key: str, user: str, password: str) -> None:
        """Store `user` and `password` under `key` exactly."""
        value = {"user": user, "password": str.__str__(password)}
        if self.keyring is not None:
            self.keyring.set_password(SERVICE, key, json.dumps(value))
            return
        data = self._read()
        data[key] = value
        self._write(data)

    def delete_entry(self, key: str) -> None:
        """Forget the credential under `key` exactly."""
        if self.keyring is not None:
            try:
                self.keyring.delete_password(SERVICE, key)
            except Exception:  # noqa: BLE001 - nothing stored is fine
                pass
            return
        data = self._read()
        if data.pop(key, None) is not None:
            self._write(data)

    def _read(self) -> dict[str, Any]:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return {}
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            mode = stat.S_IMODE(info.st_mode)
            raise CredentialError(
                f"{self.path} is readable by others (mode {mode:04o}); it is not used."
                f" Run `chmod 600 {self.path}` if it is yours, or delete it"
            )
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CredentialError(f"{self.path} cannot be read ({type(error).__name__})") from None
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, Any]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.dir, 0o700)
        temporary = self.dir / f".{FILE_NAME}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)


def _decode(raw: str | None) -> Credential | None:
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("password"), str):
        return None
    return Credential(str(value.get("user", "")), Secret(value["password"]))
