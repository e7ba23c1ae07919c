"""Who wrote a comment, as the provider says it: an opaque identity key, never a name.

A key is `kind:value`, compared only for equality:

- `wordpress-user:N` — WordPress REST's `author` user id (N > 0): the comment was written by that
  logged-in account. WordPress sets it only for a logged-in commenter, so it proves who wrote it.
  A post's `author` is the same user id, so the post author's own comments match it.
- `gravatar:HASH` — a WordPress guest's `author_avatar_urls` hash (md5 before WordPress 6.8,
  sha256 since) of the email the guest typed. A claim, not a proof; never matches a post.
- `isso:HASH` — Isso's `hash` of the email (or, without one, the address) the commenter gave.
  Isso has no accounts and no post author: nobody in an Isso thread is "(author)".
- `email:SHA256` — an Atom/RSS author `<email>`, lower-cased and hashed (the address itself is
  never stored). The post's feed entry gives the post author's addresses (`Article.author_email`)
  hashed the same way, so a comment feed that names the commenter's address can show the author.
  Shared placeholders (`noreply@blogger.com`, every Blogger author) are no identity.

An empty key means the provider gave none.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

WORDPRESS_USER = "wordpress-user:"
GRAVATAR = "gravatar:"
ISSO = "isso:"
EMAIL = "email:"

_HEX_HASH = re.compile(r"[0-9a-f]{32}|[0-9a-f]{64}")
_ISSO_HASH = re.compile(r"[0-9a-fA-F]{4,128}")
_PLACEHOLDER = re.compile(r"^(?:no-?reply|do-?not-?reply|nobody|anonymous|unknown)\b", re.I)


def wordpress_user_key(user: object) -> str:
    """The key of a WordPress user id (REST `author`); "" for a guest (0) or a non-number."""
    if isinstance(user, bool) or not isinstance(user, int | str):
        return ""
    text = str(user).strip()
    if not text.isdigit() or len(text) > 18 or int(text) == 0:
        return ""
    return f"{WORDPRESS_USER}{int(text)}"


def gravatar_key(avatar_urls: object) -> str:
    """The key of the email hash in WordPress's `author_avatar_urls` ({"24": url, …}); "" when
    there is none or the URLs are not Gravatar-style `/avatar/HASH` ones (a local avatar)."""
    if not isinstance(avatar_urls, dict):
        return ""
    for url in avatar_urls.values():
        if not isinstance(url, str):
            continue
        path = urlsplit(url).path
        tail = path.rsplit("/avatar/", 1)[-1] if "/avatar/" in path else ""
        if _HEX_HASH.fullmatch(tail.lower()):
            return f"{GRAVATAR}{tail.lower()}"
    return ""


def isso_key(value: object) -> str:
    """The key of an Isso comment's `hash`; "" when absent or not a hex hash."""
    if isinstance(value, str) and _ISSO_HASH.fullmatch(value):
        return f"{ISSO}{value.lower()}"
    return ""


def email_key(address: object) -> str:
    """The key of one email address (sha256 of it trimmed and lower-cased); "" for an empty,
    malformed or placeholder address."""
    if not isinstance(address, str):
        return ""
    text = address.strip().strip("<>").strip().lower()
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in text):
        return ""
    if _PLACEHOLDER.match(local):
        return ""
    return EMAIL + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def email_keys(addresses: str) -> frozenset[str]:
    """The keys of comma-separated addresses (`Article.author_email`)."""
    keys = (email_key(part) for part in (addresses or "").split(","))
    return frozenset(key for key in keys if key)


def is_proof(key: str) -> bool:
    """True for a key an account stands behind (a WordPress user id): who wrote the comment is
    known, not claimed. Only such keys make other comments "(you)"."""
    return key.startswith(WORDPRESS_USER)
