"""Addresses other readers turn into commands (Liferea's `|program`, newsboat's `exec:` and
`filter:`) are refused by `blogtui add` with that reason, never fetched nor run."""

from __future__ import annotations

import pytest

from blogtui.core.errors import DiscoveryError
from blogtui.core.feeds.discover import normalize_url


@pytest.mark.parametrize(
    "address",
    ["|~/bin/make-feed.sh", "exec:~/bin/make-feed.sh", "filter:~/bin/f.pl:https://e.example/f"],
)
def test_a_command_address_is_refused_as_a_command(address):
    with pytest.raises(DiscoveryError, match="never runs commands"):
        normalize_url(address)


def test_other_schemes_keep_their_message():
    with pytest.raises(DiscoveryError, match="unsupported scheme 'gopher'"):
        normalize_url("gopher://hole.example/1")
