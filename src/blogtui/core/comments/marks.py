"""The marks beside a commenter's name: "(author)", "(you)" and the look-alike warning.

One rule, `marks_for` (`ThreadMarks` applies it to a whole thread):

- "(author)" only when the comment's identity key (`core.comments.identity`) is one of the post
  author's: the key the provider gave for the post (WordPress's user id) or the hashed addresses
  of the post's feed entry. Never by name: where the provider gives no identity (Isso, a
  WordPress RSS comment feed), no comment is "(author)", whatever its name.
- "(you)" only for the user's own comments (`mine`, set by the outbox for what it posted) and
  for comments by an account one of those was posted from (a WordPress user id).
- a warning when the name holds invisible characters (`name_is_suspicious`), or when its TR39
  skeleton (case-folded) equals the post author's name or one of the user's names while the
  comment is not marked as them: `Jürgen Weiß` with a zero-width space, a Cyrillic `ѕ`, a soft
  hyphen, or simply the same name without the identity.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from blogtui.core.comments.identity import email_keys, is_proof
from blogtui.core.models import Article, Comment, ThreadState
from blogtui.core.text.lookalike import name_is_suspicious, skeleton

HIDDEN = "name has hidden characters"
LIKE_POST_AUTHOR = "looks like the post author's name"
LIKE_YOU = "looks like your name"


@dataclass(frozen=True, slots=True)
class Marks:
    """What to show beside one commenter's name; `warning` is "" or why the name may deceive."""

    post_author: bool = False
    me: bool = False
    warning: str = ""


@lru_cache(maxsize=4096)
def folded(name: str) -> str:
    """The form two look-alike names share: their skeleton, case-folded."""
    return skeleton(name).casefold()


def _folded_names(names: Iterable[str]) -> frozenset[str]:
    return frozenset(f for f in map(folded, names) if f)


def post_author_names(author: str) -> tuple[str, ...]:
    """The names in an article's `author` ("Ann, Bob"): the whole and each comma-separated part."""
    parts = [part.strip() for part in (author or "").split(",")]
    return tuple(dict.fromkeys(name for name in [author or "", *parts] if name.strip()))


def post_author_keys(state: ThreadState, author_email: str = "") -> frozenset[str]:
    """The post author's identity keys: the thread provider's and the post's hashed addresses
    (`Article.author_email`)."""
    keys = set(email_keys(author_email))
    if state.post_author_key:
        keys.add(state.post_author_key)
    return frozenset(keys)


def account_keys(comments: Iterable[Comment]) -> frozenset[str]:
    """The accounts the user posted from: proven keys (a WordPress user id) of their comments."""
    return frozenset(c.author_key for c in comments if c.mine and is_proof(c.author_key))


def marks_for(
    comment: Comment,
    *,
    post_author_keys: Collection[str],
    post_author_names: Iterable[str] = (),
    my_keys: Collection[str] = (),
    my_names: Iterable[str] = (),
) -> Marks:
    """The marks of `comment` (the rule is the module docstring's)."""
    key = comment.author_key
    is_author = bool(key) and key in post_author_keys
    is_me = comment.mine or (bool(key) and key in my_keys)
    reasons: list[str] = []
    shape = folded(comment.author)
    if shape and not is_author and shape in _folded_names(post_author_names):
        reasons.append(LIKE_POST_AUTHOR)
    if shape and not is_me and shape in _folded_names(my_names):
        reasons.append(LIKE_YOU)
    if name_is_suspicious(comment.author):
        reasons.append(HIDDEN)
    return Marks(is_author, is_me, ", ".join(reasons))


class ThreadMarks:
    """`marks_for` over one thread, with what it needs gathered once.

    `post_author` is the article's `author` ("Ann, Bob"), `post_author_email` its `author_email`,
    `my_names` the names the user replies under (the configured identities)."""

    def __init__(
        self,
        comments: Iterable[Comment],
        state: ThreadState,
        *,
        post_author: str = "",
        post_author_email: str = "",
        my_names: Iterable[str] = (),
    ) -> None:
        self.post_author_keys = post_author_keys(state, post_author_email)
        self.post_author_names = post_author_names(post_author)
        self.my_keys = account_keys(comments)
        self.my_names = tuple(name for name in my_names if name.strip())

    @classmethod
    def for_article(
        cls,
        comments: Iterable[Comment],
        state: ThreadState,
        article: Article,
        my_names: Iterable[str] = (),
    ) -> ThreadMarks:
        """The marks of `article`'s thread: its author's names and addresses from the article."""
        return cls(comments, state, post_author=article.author,
                   post_author_email=article.author_email, my_names=my_names)  # fmt: skip

    def of(self, comment: Comment) -> Marks:
        """The marks of one comment of the thread."""
        return marks_for(
            comment,
            post_author_keys=self.post_author_keys,
            post_author_names=self.post_author_names,
            my_keys=self.my_keys,
            my_names=self.my_names,
        )
