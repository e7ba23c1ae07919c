"""Handing links to the web browser, only ever http, https and mailto."""

from __future__ import annotations

import webbrowser
from urllib.parse import urlsplit

from blogtui.core.text.sanitize import clean

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
"""The only schemes ever passed to the browser."""


class RefusedLink(ValueError):
    """A link blogtui will not open; the message says why."""


def checked_url(url: str) -> str:
    """Return `url` when it may be opened; raise RefusedLink naming the reason otherwise."""
    text = url.strip()
    shown = clean(text, limit=200) or "(empty)"
    if clean(text) != text or any(ch.isspace() for ch in text):
        raise RefusedLink(f"Not opening {shown}: it contains spaces or control characters")
    scheme = urlsplit(text).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        what = f"the {scheme}: scheme" if scheme else "a local path"
        raise RefusedLink(f"Not opening {shown}: {what} is never handed to the browser")
    if scheme != "mailto" and not urlsplit(text).hostname:
        raise RefusedLink(f"Not opening {shown}: it has no host name")
    return text


def open_in_browser(url: str) -> bool:
    """Open a checked `url`; blocking, so call it from a thread worker."""
    return webbrowser.open(checked_url(url), new=2)
