"""`blogtui comment-key micropub ENDPOINT_URL`: the endpoint and its token go to the credentials
(the token read from standard input, never echoed); a plain-http endpoint on a name is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from blogtui.core.paths import Places, places
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.micropub import ENTRY

TOKEN = "micropub-token-Überall-1"


def comment_key(home: Places, *args: str, token: str = TOKEN) -> tuple[int, str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("BLOGTUI_HOME", None)
    done = subprocess.run(
        [sys.executable, "-m", "blogtui", "--home", str(home.config_dir.parent), "comment-key",
         "micropub", *args],
        input=f"{token}\n", capture_output=True, text=True, encoding="utf-8", env=env, timeout=60,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert "Traceback" not in output and TOKEN not in output, output
    return done.returncode, output


def test_endpoint_and_token_are_stored(tmp_path: Path) -> None:
    home = places(tmp_path / "home")
    endpoint = "https://joerg.example.org/micropub"
    status, output = comment_key(home, endpoint)
    assert status == 0 and "stored the micropub key" in output
    stored = CredentialStore(home.secrets_dir).get_entry(ENTRY)
    assert stored is not None
    assert (stored.user, stored.password.reveal()) == (endpoint, TOKEN)
    status, output = comment_key(home, "--delete")
    assert status == 0 and CredentialStore(home.secrets_dir).get_entry(ENTRY) is None


def test_plain_http_endpoint_or_none_is_refused(tmp_path: Path) -> None:
    home = places(tmp_path / "home")
    status, output = comment_key(home, "http://joerg.example.org/micropub")
    assert status != 0 and "only over https" in output
    status, output = comment_key(home)
    assert status != 0 and "give your Micropub endpoint" in output
    assert CredentialStore(home.secrets_dir).get_entry(ENTRY) is None
