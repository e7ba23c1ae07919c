"""Addresses other feed readers run as commands (Liferea's `|program`, newsboat's `exec:` and
`filter:`): blogtui never runs them. The one rule for `blogtui add` and the OPML import."""

from __future__ import annotations

NEVER_RUN = "blogtui never runs commands"


def command_of(address: str) -> str:
    """Whose command `address` is (`Liferea's "|"`, "newsboat's exec:"), or "" for none."""
    if address.startswith("|"):
        return 'Liferea\'s "|"'
    scheme, colon, _ = address.partition(":")
    if colon and scheme.lower() in ("exec", "filter"):
        return f"newsboat's {scheme.lower()}:"
    return ""
